/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * libbpfdev internals, one file per concept:
 *   api.c        the public functions
 *   device.c     the interposer's lazily opened, revalidated device fd
 *   route.c      which bpf commands go through /dev/bpf
 *   profiles.c   which node, when none was named: /dev/bpf or a profile's
 *   interpose.c  syscall()
 *   kprobe.c     kprobes as kprobe_multi links, and ioctl() for them
 *                (BPFDEV_KPROBE_MULTI=1 only)
 *   helper.c     requests that must run with a private fd table
 *
 * The library lives inside programs that know nothing of it, some of them
 * setuid, multi-threaded, with signal handlers, fork() handlers and their
 * own children: it reads the environment only outside secure-execution
 * mode, never opens anything but a bpfdev device (and /dev's listing, for
 * the profile nodes, profiles.c; and, opted in to
 * kprobe.c, the kprobe PMU's sysfs type and a memfd a placeholder), reads
 * no caller memory the kernel has not been asked to check, runs no
 * command twice, and starts no process the program could see (helper.c).
 */
#ifndef LIBBPFDEV_INTERNAL_H
#define LIBBPFDEV_INTERNAL_H

#include <linux/bpf.h>
#include <stddef.h>
#include <sys/types.h>

#include "libbpfdev.h"

#define BPFDEV_DEFAULT_PATH	"/dev/bpf"
/* A profile's name, as the module takes it (bpfdev(4), PROFILES) */
#define BPFDEV_PROFILE_NAME_MAX	32

#ifndef offsetofend
#define offsetofend(TYPE, FIELD) \
	(offsetof(TYPE, FIELD) + sizeof(((TYPE *)0)->FIELD))
#endif

/* $BPFDEV_DEVICE, else $BPFDEV_PROFILE's /dev/bpf-NAME, else /dev/bpf;
 * /dev/bpf in secure-execution mode (setuid, setgid, file capabilities:
 * secure_getenv()). */
const char *bpfdev_device_path(void);

/* The interposer's device fd, or -1 when bpf(2) should be used directly:
 * no device, not allowed to open it, or the caller is privileged already
 * (decided again whenever the caller's identity changes). */
int bpfdev_device_fd(void);
/* Is @fd (still) a file of the device the interposer opened? errno kept. */
int bpfdev_fd_is_device(int fd);
/* Open @path if it is a bpfdev node: an fd and its number, or -1, errno. */
int bpfdev_node_open(const char *path, dev_t *rdev);
/* CAP_BPF or CAP_SYS_ADMIN in the effective set */
int bpfdev_caller_privileged(void);

/* The node for this request (profiles.c): the device, or when no node was
 * named and it does not cover the request, the first profile node that
 * does; its path in @path, in @note why not the device. -1: bpf(2). */
int bpfdev_node_fd(int cmd, const union bpf_attr *attr, unsigned int size,
		   char *path, size_t path_len, char *note, size_t len);
/* Is @fd (still) one of the profile nodes profiles.c opened? errno kept. */
int bpfdev_fd_is_node(int fd);

/* BPFDEV_DEBUG, read once (bpfdev_debug_init()); -1 before. Hidden: read
 * without the GOT. */
extern int bpfdev_debug_state __attribute__((visibility("hidden")));
int bpfdev_debug_init(void);

/* BPFDEV_DEBUG=1 (ignored in secure-execution mode): one line per routing
 * decision on stderr. Inline: the interposer asks on every bpf(2) call. */
static inline int bpfdev_debug(void)
{
	int d = __atomic_load_n(&bpfdev_debug_state, __ATOMIC_RELAXED);

	return d >= 0 ? d : bpfdev_debug_init();
}
/* One line on stderr, "libbpfdev[pid]: ...", when stderr is a terminal,
 * a pipe or a file: never into a socket that took fd 2 over. */
void bpfdev_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The interposer: glibc's syscall(), for the whole process (interpose.c). */
LIBBPFDEV_API long bpfdev_interposed_syscall(long nr, long a1, long a2, long a3,
					    long a4, long a5, long a6);
LIBBPFDEV_API int bpfdev_interposed_ioctl(int fd, unsigned long req, ...);

/*
 * Opts structs, as libbpf's libbpf_internal.h: each ends in a field named by
 * TYPE__last_field. A caller's struct may be smaller (the fields it lacks
 * read as the fallback, OPTS_GET) or larger, when its extra bytes are zero.
 * OPTS_VALID() says on standard error what was wrong with one that is not;
 * the function then fails with EINVAL. NULL opts are valid.
 */
static inline int bpfdev_is_mem_zeroed(const char *p, size_t len)
{
	for (; len; p++, len--)
		if (*p)
			return 0;
	return 1;
}

static inline int bpfdev_validate_opts(const char *opts, size_t opts_sz,
				       size_t user_sz, const char *type_name)
{
	if (user_sz < sizeof(size_t)) {
		bpfdev_log("%s size (%zu) is too small\n", type_name, user_sz);
		return 0;
	}
	if (user_sz > opts_sz &&
	    !bpfdev_is_mem_zeroed(opts + opts_sz, user_sz - opts_sz)) {
		bpfdev_log("%s has non-zero extra bytes\n", type_name);
		return 0;
	}
	return 1;
}

#define OPTS_VALID(opts, type)						\
	(!(opts) || bpfdev_validate_opts((const char *)(opts),		\
					 offsetofend(struct type,	\
						     type##__last_field), \
					 (opts)->sz, #type))
#define OPTS_HAS(opts, field)						\
	((opts) && (opts)->sz >= offsetofend(__typeof__(*(opts)), field))
#define OPTS_GET(opts, field, fallback_value)				\
	(OPTS_HAS(opts, field) ? (opts)->field : (fallback_value))

/* The raw system call, bypassing the interposer: -1 and errno on failure. */
long bpfdev_real_syscall(long nr, long a1, long a2, long a3, long a4, long a5,
			 long a6);
/* The same, the kernel's answer as it is (-errno on failure), errno left
 * alone: for helper.c's child, which must not touch the program's TLS. */
long bpfdev_raw_syscall(long nr, long a1, long a2, long a3, long a4, long a5,
			long a6);

/* Returns what bpf(2) returns; -1 and errno on failure. */
int bpfdev_ioctl_sys_bpf(int dev_fd, int cmd, union bpf_attr *attr,
			 unsigned int size);

const char *bpfdev_cmd_name(int cmd);

/* Where the interposer sends a bpf command (route.c). */
/* Copy @len bytes of the caller's at @src: 0, or -1 if unreadable */
int bpfdev_peek_user(void *dst, const void *src, size_t len);

/* kprobe.c: kprobes as kprobe_multi links (BPFDEV_KPROBE_MULTI=1) */
int bpfdev_kprobe_multi(void);
long bpfdev_kprobe_perf_event_open(const long a[6]);
int bpfdev_kprobe_link_create(const union bpf_attr *uattr, unsigned int size,
			      long *ret);
int bpfdev_kprobe_load_attr(int dev_fd, const union bpf_attr *uattr,
			    unsigned int size, union bpf_attr *copy,
			    unsigned int *send);
void bpfdev_kprobe_load_done(long fd, union bpf_attr *uattr,
			     const union bpf_attr *before,
			     const union bpf_attr *copy, unsigned int size);

enum bpfdev_route {
	BPFDEV_ROUTE_KERNEL,	/* bpf(2), unchanged */
	BPFDEV_ROUTE_DEVICE,	/* the device's BPFDEV_IOC_SYS_BPF */
	BPFDEV_ROUTE_HELPER,	/* the same, from helper.c's child */
};
/* @attr and @size as the caller passed them to bpf(2): nothing is read
 * from @attr unless it is readable, and only within @size. */
enum bpfdev_route bpfdev_route(int cmd, const union bpf_attr *attr,
			       unsigned int size);
/* The commands the device runs whatever their attr says */
#define BPFDEV_CMDS_ON_DEVICE	(BPFDEV_CMDS_EXECUTED | BPFDEV_CMDS_OWN)

static inline int bpfdev_cmd_on_device(int cmd)
{
	return cmd >= 0 && cmd < 64 && (BPFDEV_CMDS_ON_DEVICE & (1ULL << cmd));
}

/*
 * May bpfdev_route() route @cmd anywhere but bpf(2), for some attr? One
 * test of a bit: the interposer asks on every bpf(2) call.
 */
#define BPFDEV_CMDS_MAYBE_ROUTED					\
	(BPFDEV_CMDS_ON_DEVICE | 1ULL << BPF_LINK_CREATE |		\
	 1ULL << BPF_PROG_ATTACH | 1ULL << BPF_PROG_DETACH)

static inline int bpfdev_cmd_maybe_routed(int cmd)
{
	return (unsigned int)cmd < 64 &&
	       ((BPFDEV_CMDS_MAYBE_ROUTED >> cmd) & 1);
}

/* The request run by a helper with a private fd table (helper.c). */
int bpfdev_helper_sys_bpf(int dev_fd, int cmd, union bpf_attr *attr,
			  unsigned int size);

#endif
