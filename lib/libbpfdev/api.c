// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* The public functions: open the device, run one command, read the grant. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libbpfdev.h"
#include "internal.h"

/* libbpf's convention: a negative errno returned, and errno set. */
static int err_errno(int ret)
{
	if (ret < 0) {
		ret = -errno;
		errno = -ret;
	}
	return ret;
}

/* An error of the library's own: returned negative, and set in errno. */
static int err_set(int err)
{
	errno = -err;
	return err;
}

/*
 * secure_getenv(): in a setuid or setgid program, or one with file
 * capabilities, the environment is the invoking user's, and a path taken
 * from it would make the program open whatever that user chose.
 */
const char *bpfdev_device_path(void)
{
	static __thread char profile_path[sizeof(BPFDEV_DEFAULT_PATH "-") +
					  BPFDEV_PROFILE_NAME_MAX];
	const char *p = secure_getenv("BPFDEV_DEVICE");
	size_t i, len;

	if (p && *p)
		return p;
	/* $BPFDEV_PROFILE=NAME: /dev/bpf-NAME, "default" /dev/bpf */
	p = secure_getenv("BPFDEV_PROFILE");
	if (!p || !*p || !strcmp(p, "default"))
		return BPFDEV_DEFAULT_PATH;
	len = strlen(p);
	for (i = 0; i < len; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') ||
		      (p[i] >= '0' && p[i] <= '9') || p[i] == '_' ||
		      p[i] == '-'))
			break;
	/* not a profile's name: a node that cannot exist, never /dev/bpf */
	if (i < len || len > BPFDEV_PROFILE_NAME_MAX)
		return BPFDEV_DEFAULT_PATH "-(invalid BPFDEV_PROFILE)";
	snprintf(profile_path, sizeof(profile_path), "%s-%s",
		 BPFDEV_DEFAULT_PATH, p);
	return profile_path;
}

int bpfdev_open(const struct bpfdev_open_opts *opts)
{
	const char *path;

	if (!OPTS_VALID(opts, bpfdev_open_opts))
		return err_set(-EINVAL);
	path = OPTS_GET(opts, path, NULL);
	if (!path)
		path = bpfdev_device_path();
	return err_errno(open(path, (OPTS_GET(opts, read_only, 0) ?
				     O_RDONLY : O_RDWR) |
				    O_CLOEXEC | O_NOCTTY));
}

int bpfdev_ioctl_sys_bpf(int dev_fd, int cmd, union bpf_attr *attr,
			 unsigned int size)
{
	struct bpfdev_sys_bpf req = {
		.size = sizeof(req),
		.cmd = (__u32)cmd,
		.attr_size = size,
		.attr = (__u64)(unsigned long)attr,
	};

	return ioctl(dev_fd, BPFDEV_IOC_SYS_BPF, &req);
}

int bpfdev_sys_bpf(int dev_fd, int cmd, union bpf_attr *attr,
			  unsigned int size)
{
	return err_errno(bpfdev_ioctl_sys_bpf(dev_fd, cmd, attr, size));
}

int bpfdev_get_info(int dev_fd, struct bpfdev_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return err_errno(ioctl(dev_fd, BPFDEV_IOC_INFO, info));
}

int bpfdev_get_refusals(int dev_fd, __u32 uid, struct bpfdev_refusal *refusals,
			__u32 *count)
{
	struct bpfdev_refusals q;
	int ret;

	memset(&q, 0, sizeof(q));
	q.size = sizeof(q);
	q.uid = uid;
	q.count = *count;
	q.refusals = (__u64)(uintptr_t)refusals;
	q.refusal_size = sizeof(*refusals);
	ret = err_errno(ioctl(dev_fd, BPFDEV_IOC_REFUSALS, &q));
	if (!ret)
		*count = q.count;
	return ret;
}

/*
 * The ioctl's struct, field for field: a mask keeps the bits set in it (~0
 * keeps it whole, 0 empties it), a limit of 0 keeps the file's, and the
 * fields beyond the caller's sz read as 0, as they would for the ioctl.
 */
int bpfdev_narrow(int dev_fd, const struct bpfdev_narrow_opts *opts)
{
	struct bpfdev_narrow n;

	if (!OPTS_VALID(opts, bpfdev_narrow_opts))
		return err_set(-EINVAL);
	memset(&n, 0, sizeof(n));
	n.size = sizeof(n);
	n.flags = OPTS_GET(opts, flags, 0);
	n.cmds = OPTS_GET(opts, cmds, 0);
	n.progs = OPTS_GET(opts, progs, 0);
	n.maps = OPTS_GET(opts, maps, 0);
	n.attachs = OPTS_GET(opts, attachs, 0);
	n.insn_max = OPTS_GET(opts, insn_max, 0);
	n.btf_max = OPTS_GET(opts, btf_max, 0);
	n.map_mem_max = OPTS_GET(opts, map_mem_max, 0);
	n.progs_max = OPTS_GET(opts, progs_max, 0);
	n.maps_max = OPTS_GET(opts, maps_max, 0);
	n.insns = OPTS_GET(opts, insns, 0);
	return err_errno(ioctl(dev_fd, BPFDEV_IOC_NARROW, &n));
}
