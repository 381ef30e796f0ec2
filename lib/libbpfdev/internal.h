/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * libbpfdev internals, one file per concept:
 *   api.c        the public functions
 *   device.c     the interposer's lazily opened, revalidated device fd
 *   route.c      which bpf commands go through /dev/bpf
 *   interpose.c  syscall()
 *   helper.c     requests that must run with a private fd table
 */
#ifndef LIBBPFDEV_INTERNAL_H
#define LIBBPFDEV_INTERNAL_H

#include <linux/bpf.h>

#include "libbpfdev.h"

#define BPFDEV_DEFAULT_PATH	"/dev/bpf"

/* $BPFDEV_DEVICE, else /dev/bpf. */
const char *bpfdev_device_path(void);

/* The interposer's device fd, or -1 when bpf(2) should be used directly:
 * no device, not allowed to open it, or the caller is privileged already. */
int bpfdev_device_fd(void);

/* BPFDEV_DEBUG=1: one line per routing decision on stderr. */
int bpfdev_debug(void);
void bpfdev_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The interposer: glibc's syscall(), for the whole process (interpose.c). */
LIBBPFDEV_API long bpfdev_interposed_syscall(long nr, ...);

/* The raw system call, bypassing the interposer: -1 and errno on failure. */
long bpfdev_real_syscall(long nr, long a1, long a2, long a3, long a4, long a5,
			 long a6);

/* Returns what bpf(2) returns; -1 and errno on failure. */
int bpfdev_ioctl_sys_bpf(int dev_fd, int cmd, union bpf_attr *attr,
			 unsigned int size);

const char *bpfdev_cmd_name(int cmd);

/* BPF_LINK_CREATE to a cgroup inet attach type? */
int bpfdev_is_cgroup_link(int cmd, const union bpf_attr *attr);

/* The request run by a forked helper with a private fd table (helper.c). */
int bpfdev_helper_sys_bpf(int dev_fd, int cmd, union bpf_attr *attr,
			  unsigned int size);

#endif
