/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * libbpfdev: run bpf(2) commands through /dev/bpf.
 *
 * Conventions follow libbpf: functions return a negative errno on failure
 * and also set errno; optional arguments come in an opts struct whose first
 * field is its size (declare it with LIBBPFDEV_OPTS()), so that the API
 * grows without breaking callers. A field beyond the caller's @sz reads as
 * zero; a struct larger than this library knows is accepted when its extra
 * bytes are zero. Otherwise the function fails with EINVAL and says why on
 * standard error. NULL opts are a zeroed struct. A field means what the
 * field of the same name in <linux/bpfdev.h> means.
 *
 * Linking libbpfdev (or preloading it) also interposes syscall(): libbpf's
 * syscall(__NR_bpf, ...) calls for commands that need privilege are routed
 * through /dev/bpf, everything else goes to the kernel unchanged.
 */
#ifndef LIBBPFDEV_H
#define LIBBPFDEV_H

#include <stddef.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/bpfdev.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What this library exports; everything else is hidden (libbpf's LIBBPF_API). */
#ifndef LIBBPFDEV_API
#define LIBBPFDEV_API __attribute__((visibility("default")))
#endif

/*
 * Declare and zero an opts struct, setting its size (libbpf's LIBBPF_OPTS):
 * LIBBPFDEV_OPTS(bpfdev_open_opts, o, .path = p);
 */
#define LIBBPFDEV_OPTS(TYPE, NAME, ...)					\
	struct TYPE NAME = ({						\
		memset(&NAME, 0, sizeof(struct TYPE));			\
		(struct TYPE){ .sz = sizeof(struct TYPE), __VA_ARGS__ };	\
	})

/**
 * struct bpfdev_open_opts - how to open the device
 * @sz: sizeof(struct bpfdev_open_opts)
 * @path: device node; NULL for $BPFDEV_DEVICE (ignored by setuid and setgid
 *	programs: secure_getenv()), else "/dev/bpf"
 * @read_only: open for querying only (BPFDEV_IOC_INFO)
 */
struct bpfdev_open_opts {
	size_t sz;
	const char *path;
	int read_only;
	size_t :0;
};
#define bpfdev_open_opts__last_field read_only

/* Open the device, close-on-exec, never as a controlling tty. Returns the
 * fd, or -errno (EACCES: not a member of the device's group; ENOENT: module
 * not loaded; EINVAL: bad opts). */
LIBBPFDEV_API int bpfdev_open(const struct bpfdev_open_opts *opts);

/* Run one bpf command through the device @dev_fd, as bpf(2) would run it:
 * returns a new fd, 0, or -errno. */
LIBBPFDEV_API int bpfdev_sys_bpf(int dev_fd, int cmd, union bpf_attr *attr,
				 unsigned int size);

/* The device's ABI version, ioctls and this fd's effective grant. */
LIBBPFDEV_API int bpfdev_get_info(int dev_fd, struct bpfdev_info *info);

/**
 * struct bpfdev_narrow_opts - what a narrowed file keeps: struct
 *	bpfdev_narrow of <linux/bpfdev.h>, field for field, with a size_t @sz
 * @sz: sizeof(struct bpfdev_narrow_opts)
 * @flags: %BPFDEV_NARROW_F_CLOEXEC, or 0 (the new fd stays open across
 *	execve(), as with the ioctl)
 * @cmds: bpf commands to keep, bit N for enum bpf_cmd N: ~0 keeps every
 *	command the file has, 0 none
 * @progs: program types to keep, as @cmds
 * @maps: map types to keep, as @cmds
 * @attachs: expected attach types to keep, as @cmds
 * @insn_max: a lower instruction limit; 0 keeps the file's
 * @btf_max: a lower BTF size limit; 0 keeps the file's
 * @map_mem_max: a lower map memory limit; 0 keeps the file's
 * @progs_max: programs the new file may create; 0 keeps the file's limit
 * @maps_max: maps the new file may create; 0 keeps the file's limit
 * @insns: BPFDEV_INSN_* bits to keep (calls, callbacks, kfunc calls,
 *	loops), as @cmds
 *
 * A mask keeps what has its bit set and drops the rest: a zeroed struct
 * (or NULL opts) makes a file that can execute nothing. Nothing can widen a
 * grant, so ~0 keeps a mask as it is.
 */
struct bpfdev_narrow_opts {
	size_t sz;
	__u32 flags;
	__u64 cmds;
	__u64 progs;
	__u64 maps;
	__u64 attachs;
	__u32 insn_max;
	__u32 btf_max;
	__u64 map_mem_max;
	__u32 progs_max;
	__u32 maps_max;
	__u64 insns;
	size_t :0;
};
#define bpfdev_narrow_opts__last_field insns

/* A new file of the device with a narrower grant; the original is
 * unchanged. Returns its fd, or -errno. */
LIBBPFDEV_API int bpfdev_narrow(int dev_fd,
				const struct bpfdev_narrow_opts *opts);

/* The last requests the module refused for @uid (the caller's own, or
 * any for root, BPFDEV_REFUSALS_ALL_UIDS for all), newest first: up to
 * *@count of them into @refusals, *@count set to how many. Returns 0 or
 * -errno (EPERM: another user's). */
LIBBPFDEV_API int bpfdev_get_refusals(int dev_fd, __u32 uid,
				      struct bpfdev_refusal *refusals,
				      __u32 *count);

/* Does the interposer send @cmd with this @attr through /dev/bpf (1), or
 * straight to bpf(2) (0)? @attr is read only for BPF_LINK_CREATE, and only
 * if readable (else 0: bpf(2) answers EFAULT). */
LIBBPFDEV_API int bpfdev_cmd_routed(int cmd, const union bpf_attr *attr);

#ifdef __cplusplus
}
#endif

#endif /* LIBBPFDEV_H */
