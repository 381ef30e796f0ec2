// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_MAP_FREEZE on the object that was checked, before 6.5 (written for
 * 6.1; Kbuild builds freeze.c for later kernels).
 *
 * Freezing makes a map read-only for bpf(2) forever, so only a holder of a
 * writable fd may do it. 6.1's map_freeze() wants CAP_BPF and checks no fd
 * mode at all, so bpfdev must check the mode itself, and the check must be
 * about the map that gets frozen: another thread can dup2() a read-only fd
 * of someone else's map over the number between a check and the kernel's
 * own fd lookup, and a freeze cannot be undone afterwards.
 *
 * So bpfdev resolves the fd once into a file it holds, proves that file is
 * the map's, checks its mode, and sets the flag on that map itself, under
 * the map's freeze_mutex, exactly as map_freeze() does. No capability is
 * raised. The one difference from bpf(2): the security_bpf() LSM hook,
 * which no module can call, does not run for this command.
 */
#include <linux/bpf.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mutex.h>

#include "bpfdev.h"

/**
 * bpfdev_map_freeze() - freeze the map @req names, if the caller may write it
 * @req: an accepted BPF_MAP_FREEZE request
 *
 * Return: 0, -EPERM for an fd not opened for writing, -EBUSY for a map
 * already frozen or mapped writable, -EBADF, -EINVAL for a non-map fd,
 * -EAGAIN if the fd number was replaced during the call.
 */
int bpfdev_map_freeze(struct bpfdev_request *req)
{
	struct bpf_map *map;
	struct file *file;
	int err;

	file = fget(req->attr.map_fd);
	if (!file)
		return -EBADF;
	/*
	 * bpf_map_get() looks the number up again. If it still names the
	 * file we hold, the map is that file's and the mode we check is the
	 * mode of an fd of this very map. If not, the number changed under
	 * us: a caller racing against itself, told to try again.
	 */
	map = bpf_map_get(req->attr.map_fd);
	if (IS_ERR(map)) {
		err = PTR_ERR(map);
		goto out_fput;
	}
	if (file->private_data != map) {
		err = -EAGAIN;
		goto out_put;
	}

	/* The checks and their order are map_freeze()'s, 6.1. */
	if (map->map_type == BPF_MAP_TYPE_STRUCT_OPS ||
	    map_value_has_timer(map) || map_value_has_kptrs(map)) {
		err = -EOPNOTSUPP;
		goto out_put;
	}
	if (!(file->f_mode & FMODE_CAN_WRITE)) {
		err = -EPERM;
		goto out_put;
	}
	err = 0;
	mutex_lock(&map->freeze_mutex);
	/* writecnt: writable mmap()s of the map exist */
	if (atomic64_read(&map->writecnt) || READ_ONCE(map->frozen))
		err = -EBUSY;
	else
		WRITE_ONCE(map->frozen, true);
	mutex_unlock(&map->freeze_mutex);
out_put:
	bpf_map_put(map);
out_fput:
	fput(file);
	return err;
}
