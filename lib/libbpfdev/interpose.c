// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * syscall(): libbpf issues every bpf command as syscall(__NR_bpf, cmd, attr,
 * size[, ...]). The commands that need privilege go through /dev/bpf; every
 * other call, bpf or not, reaches the kernel exactly as glibc's syscall()
 * would send it (all six arguments), with its semantics: the result, or -1
 * and errno.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "libbpfdev.h"
#include "internal.h"

/*
 * The kernel entry itself, not glibc's syscall(), which this library
 * replaces for the whole process. The instruction and its registers are the
 * architecture's: x86-64 only for now (not x32, whose long is 32 bits: how
 * its arguments fill the 64-bit registers was never checked). Another
 * architecture needs its own block here, from the "Architecture calling
 * conventions" tables of syscall(2).
 */
#if !defined(__x86_64__) || defined(__ILP32__)
#error "libbpfdev: bpfdev_real_syscall() is implemented for x86-64 only"
#endif

long bpfdev_raw_syscall(long nr, long a1, long a2, long a3, long a4, long a5,
			long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile ("syscall"
			  : "=a"(ret)
			  : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
			    "r"(r8), "r"(r9)
			  : "rcx", "r11", "memory");
	return ret;
}

long bpfdev_real_syscall(long nr, long a1, long a2, long a3, long a4, long a5,
			 long a6)
{
	long ret = bpfdev_raw_syscall(nr, a1, a2, a3, a4, a5, a6);

	if ((unsigned long)ret > -4096UL) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

static long kernel_bpf(const long a[6])
{
	long ret = bpfdev_real_syscall(__NR_bpf, a[0], a[1], a[2], a[3], a[4],
				       a[5]);

	if (bpfdev_debug()) {
		int saved = errno;

		bpfdev_log("bpf(%s) via bpf(2): %ld%s%s\n",
			   bpfdev_cmd_name((int)a[0]), ret, ret < 0 ? " " : "",
			   ret < 0 ? strerror(saved) : "");
		errno = saved;
	}
	return ret;
}

static int device_bpf(enum bpfdev_route route, int fd, int cmd,
		      union bpf_attr *attr, unsigned int size)
{
	if (route == BPFDEV_ROUTE_HELPER)
		return bpfdev_helper_sys_bpf(fd, cmd, attr, size);
	return bpfdev_ioctl_sys_bpf(fd, cmd, attr, size);
}

/* CLOCK_REALTIME in ns, as the module stamps refusals */
static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (__u64)ts.tv_sec * 1000000000 + (__u64)ts.tv_nsec;
}

/*
 * Why the device refused this process's @cmd that started at @since, if it
 * did: the newest such refusal, " (refused: REASON...)", else "". Another
 * thread's refusal of the same command in between may be the one found.
 */
static void refusal_reason(int fd, int cmd, __u64 since, char *buf,
			   size_t len)
{
	struct bpfdev_refusal r[16];
	__u32 n = 16, i;

	buf[0] = '\0';
	if ((!bpfdev_fd_is_device(fd) && !bpfdev_fd_is_node(fd)) ||
	    bpfdev_get_refusals(fd, BPFDEV_REFUSALS_OWN, r, &n))
		return;
	for (i = 0; i < n && r[i].time_ns >= since; i++) {
		if (r[i].pid != (__u32)getpid() || r[i].cmd != (__u32)cmd)
			continue;
		if (r[i].limit_name[0])
			snprintf(buf, len, " (refused: %s, %s %llu, asked %llu)",
				 r[i].reason, r[i].limit_name,
				 (unsigned long long)r[i].limit,
				 (unsigned long long)r[i].value);
		else
			snprintf(buf, len, " (refused: %s)", r[i].reason);
		return;
	}
}

static long route_bpf(const long a[6])
{
	int cmd = (int)a[0], fd, ret, tries;
	union bpf_attr *attr = (union bpf_attr *)a[1];
	unsigned int size = (unsigned int)a[2];
	enum bpfdev_route route = bpfdev_route(cmd, attr, size);
	union bpf_attr copy, before, *sent = attr;
	unsigned int send = size;
	char why[128], path[64] = "", note[320] = "";
	__u64 since = 0;
	long made;

	if (cmd == BPF_LINK_CREATE &&
	    bpfdev_kprobe_link_create(attr, size, &made))
		return made;
	fd = route != BPFDEV_ROUTE_KERNEL ?
	     bpfdev_node_fd(cmd, attr, size, path, sizeof(path), note,
			    sizeof(note)) : -1;
	if (fd < 0) {
		if (note[0] && bpfdev_debug())
			bpfdev_log("bpf(%s): no node%s: bpf(2) directly\n",
				   bpfdev_cmd_name(cmd), note);
		return kernel_bpf(a);
	}
	if (bpfdev_debug())
		since = now_ns();
	/* a kprobe program, loaded for the kprobe_multi link it will get */
	if (cmd == BPF_PROG_LOAD &&
	    bpfdev_kprobe_load_attr(fd, attr, size, &copy, &send)) {
		before = copy;
		sent = &copy;
	}
	ret = device_bpf(route, fd, cmd, sent, send);
	/*
	 * Another thread may close the checked fd, or dup2() another file
	 * over it, between the check and the ioctl: the ioctl then fails
	 * with EBADF, or ENOTTY (its number is unassigned, so another file
	 * type does nothing with it), and the command never ran. But the
	 * device forwards bpf(2)'s own answers, and bpf(2) answers EBADF too
	 * (a program naming a closed map fd): that command did run, was
	 * verified and audited, and must not run again. So it is re-issued
	 * only when the fd, looked at after the failure, is no longer the
	 * device; if it still is, the answer was the device's, as it is.
	 */
	for (tries = 0; ret < 0 && (errno == ENOTTY || errno == EBADF) &&
	     tries < 3 && !bpfdev_fd_is_device(fd) && !bpfdev_fd_is_node(fd);
	     tries++) {
		fd = bpfdev_node_fd(cmd, attr, size, path, sizeof(path), note,
				    sizeof(note));
		if (fd < 0)
			return kernel_bpf(a);
		ret = device_bpf(route, fd, cmd, sent, send);
	}
	if (sent == &copy)
		bpfdev_kprobe_load_done(ret, attr, &before, &copy, send);
	if (bpfdev_debug()) {
		int saved = errno;

		why[0] = '\0';
		if (ret < 0)
			refusal_reason(fd, cmd, since, why, sizeof(why));
		bpfdev_log("bpf(%s) via %s%s: %d%s%s%s\n", bpfdev_cmd_name(cmd),
			   path, note, ret, ret < 0 ? " " : "",
			   ret < 0 ? strerror(saved) : "", why);
		errno = saved;
	}
	return ret;
}

/*
 * Exported as plain "syscall", with no version: a versioned definition would
 * not satisfy programs' references to syscall@GLIBC_2.2.5, and LD_PRELOAD
 * would stop working. An empty version after "@@" binds the alias to the
 * base version (*global*), which the version script's "local: *;" leaves
 * alone; bpfdev_interposed_syscall itself is local.
 *
 * It takes syscall()'s six arguments as named parameters, as glibc's own
 * syscall() (assembly) does: on x86-64 a variadic call passes them where a
 * call with seven long parameters expects them (six registers, the last on
 * the stack), and no va_list has to be set up on the hot path.
 */
__asm__(".symver bpfdev_interposed_syscall, syscall@@");

/* Everything but the hot path below */
static __attribute__((noinline)) long interposed(long nr, long a1, long a2,
						 long a3, long a4, long a5,
						 long a6)
{
	long a[6] = { a1, a2, a3, a4, a5, a6 };

	if (nr == __NR_bpf)
		return route_bpf(a);
	if (nr == __NR_perf_event_open)
		return bpfdev_kprobe_perf_event_open(a);
	return bpfdev_real_syscall(nr, a1, a2, a3, a4, a5, a6);
}

long bpfdev_interposed_syscall(long nr, long a1, long a2, long a3, long a4,
			       long a5, long a6)
{
	/*
	 * Map operations and every other command the device never runs go
	 * to bpf(2) at once: the path a program's hot loop takes, a few
	 * instructions longer than glibc's own syscall() (make bench).
	 */
	if (nr == __NR_bpf && !bpfdev_cmd_maybe_routed((int)a1) &&
	    !__atomic_load_n(&bpfdev_debug_state, __ATOMIC_RELAXED))
		return bpfdev_real_syscall(nr, a1, a2, a3, a4, a5, a6);
	/* and the first call, before BPFDEV_DEBUG was read */
	return interposed(nr, a1, a2, a3, a4, a5, a6);
}
