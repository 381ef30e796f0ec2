// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_MAP_FREEZE on the object that was checked.
 *
 * Freezing makes a map read-only for bpf(2) forever, so only a holder of a
 * writable fd may do it. Since 6.5 map_freeze() checks that on the object
 * it resolves and needs no capability: bpfdev forwards the command as it
 * is, and the kernel resolves and checks the same object. Older kernels
 * need bpfdev's own freeze (freeze_61.c), which Kbuild builds instead.
 */
#include <linux/bpf.h>

#include "bpfdev.h"
#include "compat.h"

/**
 * bpfdev_map_freeze() - freeze the map @req names, if the caller may write it
 * @req: an accepted BPF_MAP_FREEZE request
 *
 * Return: 0, -EPERM for an fd not opened for writing, -EBUSY for a map
 * already frozen or mapped writable, -EBADF, -EINVAL for a non-map fd.
 */
int bpfdev_map_freeze(struct bpfdev_request *req)
{
	return kern_sys_bpf(BPF_MAP_FREEZE, &req->attr, sizeof(req->attr));
}
