// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* The public functions: open the device, run one command, read the grant. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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

/* A bigger opts struct from a newer caller must not carry unknown fields. */
static int opts_valid(const void *opts, size_t known)
{
	const char *p = opts;
	size_t sz = *(const size_t *)opts, i;

	for (i = known; i < sz; i++)
		if (p[i])
			return 0;
	return 1;
}

const char *bpfdev_device_path(void)
{
	const char *p = getenv("BPFDEV_DEVICE");

	return p && *p ? p : BPFDEV_DEFAULT_PATH;
}

int bpfdev_open(const struct bpfdev_open_opts *opts)
{
	const char *path = NULL;
	int flags = O_RDWR;

	if (opts) {
		if (opts->sz < offsetof(struct bpfdev_open_opts, read_only) +
			       sizeof(int) ||
		    !opts_valid(opts, sizeof(*opts))) {
			errno = EINVAL;
			return -EINVAL;
		}
		path = opts->path;
		if (opts->read_only)
			flags = O_RDONLY;
	}
	if (!path)
		path = bpfdev_device_path();
	return err_errno(open(path, flags | O_CLOEXEC));
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

/* 0 in a mask means "keep": nothing can widen a grant anyway. */
static __u64 keep_mask(__u64 mask)
{
	return mask ? mask : ~0ULL;
}

int bpfdev_narrow(int dev_fd, const struct bpfdev_narrow_opts *opts)
{
	struct bpfdev_narrow n = {
		.size = sizeof(n),
		.flags = BPFDEV_NARROW_F_CLOEXEC,
		.cmds = ~0ULL, .progs = ~0ULL, .maps = ~0ULL, .attachs = ~0ULL,
		.insns = ~0ULL,
	};

	if (opts) {
		if (opts->sz < offsetof(struct bpfdev_narrow_opts, keep_on_exec) +
			       sizeof(int) || !opts_valid(opts, sizeof(*opts))) {
			errno = EINVAL;
			return -EINVAL;
		}
		n.cmds = keep_mask(opts->cmds);
		n.progs = keep_mask(opts->progs);
		n.maps = keep_mask(opts->maps);
		n.attachs = keep_mask(opts->attachs);
		n.insn_max = opts->insn_max;
		n.btf_max = opts->btf_max;
		n.map_mem_max = opts->map_mem_max;
		n.progs_max = opts->progs_max;
		n.maps_max = opts->maps_max;
		if (opts->keep_on_exec)
			n.flags = 0;
		if (opts->sz >= offsetof(struct bpfdev_narrow_opts, insns) +
			       sizeof(opts->insns))
			n.insns = keep_mask(opts->insns);
	}
	return err_errno(ioctl(dev_fd, BPFDEV_IOC_NARROW, &n));
}
