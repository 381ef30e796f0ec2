// SPDX-License-Identifier: GPL-2.0
/*
 * bpfdev-run --supervise: serve a program's bpf(2) calls through /dev/bpf
 * without loading anything into it, for the programs the interposer cannot
 * reach: statically linked ones, musl ones, Go (which never calls libc for
 * a system call).
 *
 * The child sets no_new_privs, installs a seccomp filter that sends to a
 * listener the bpf(2) calls of the commands the device takes
 * (BPFDEV_CMDS_EXECUTED and BPFDEV_CMDS_OWN, the uapi's lists) and lets
 * every other system call through, passes the listener to the parent and
 * execs the command. The parent, single-threaded, serves each notification:
 *
 *   1. it reads the caller's attr, and every buffer the command uses, once,
 *      into its own memory (process_vm_readv()), and fetches every file
 *      descriptor the request names from the caller's table once
 *      (pidfd_getfd(); a number named twice is fetched once);
 *   2. it rewrites the copy to name only its own buffers and fds: no
 *      pointer or fd number of the caller's reaches the kernel;
 *   3. it checks that the caller is still waiting in this very call
 *      (SECCOMP_IOCTL_NOTIF_ID_VALID), so what it read was the caller's;
 *   4. it issues BPFDEV_IOC_SYS_BPF on its copy, writes back what the
 *      kernel wrote (the verifier log, log_true_size, next_id), and
 *      installs a new fd in the caller, close-on-exec as bpf(2)'s are, as
 *      the answer itself (SECCOMP_ADDFD_FLAG_SEND).
 *
 * BPF_LINK_CREATE, BPF_PROG_ATTACH and BPF_PROG_DETACH are sent for every
 * attach type (a filter cannot read the attr): one that bpfdev does not
 * execute (not cgroup_skb) is answered
 * "continue", which hands the call to the program's own, unprivileged
 * bpf(2); that grants nothing, so reading the attach type to decide it is
 * no check a race could defeat. No other call is ever continued.
 *
 * The module sees the supervisor as the caller, with the same uid and
 * groups as the program (no_new_privs: the program cannot have gained any).
 * The module's own caller rules are applied here to the program: it must be
 * in the supervisor's user namespace; a seccomp filter the program installs
 * itself that denies bpf(2) wins over this one (seccomp's precedence). The
 * supervisor's own fd table is unshared (one thread), as the module's
 * cgroup attach needs.
 *
 * If the supervisor dies, the kernel answers the program's calls ENOSYS;
 * none hangs. It is a subreaper and serves until its last descendant has
 * exited, so daemons stay served.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <elf.h>

#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/kcmp.h>
#include <linux/seccomp.h>

#include <linux/bpfdev.h>

#include "supervise.h"

#define SV_PAGE			4096	/* bpf(2): a larger attr is E2BIG */
#define SV_FDS_MAX		1024	/* distinct fds one request may name */
#define SV_FD_ARRAY_MAX		65536	/* entries of a program's fd_array */
#define SV_INSNS_MAX		1000000	/* BPF_COMPLEXITY_LIMIT_INSNS */
#define SV_BTF_MAX		(16 << 20)	/* BTF_MAX_SIZE */
#define SV_INFO_MAX		(64 << 20)	/* func/line info, CO-RE relos */
#define SV_LOG_MAX		(UINT32_MAX >> 2)	/* the verifier's */
#define SV_LOG_MIRROR		(16 << 20)	/* the longest log passed on */

#define offsetofend(TYPE, FIELD) \
	(offsetof(TYPE, FIELD) + sizeof(((TYPE *)0)->FIELD))

#ifndef PIDFD_THREAD
#define PIDFD_THREAD		O_EXCL	/* 6.9 */
#endif

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV	(1UL << 5)
#endif

static int debug;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bpfdev-run[%d]: ", getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* The names of the commands the filter sends (the uapi's two lists) */
static const char *cmd_name(int cmd)
{
	switch (cmd) {
	case BPF_MAP_CREATE: return "MAP_CREATE";
	case BPF_PROG_LOAD: return "PROG_LOAD";
	case BPF_BTF_LOAD: return "BTF_LOAD";
	case BPF_MAP_FREEZE: return "MAP_FREEZE";
	case BPF_LINK_CREATE: return "LINK_CREATE";
	case BPF_PROG_ATTACH: return "PROG_ATTACH";
	case BPF_PROG_DETACH: return "PROG_DETACH";
	case BPF_MAP_GET_NEXT_ID: return "MAP_GET_NEXT_ID";
	case BPF_MAP_GET_FD_BY_ID: return "MAP_GET_FD_BY_ID";
	case BPF_PROG_GET_NEXT_ID: return "PROG_GET_NEXT_ID";
	case BPF_PROG_GET_FD_BY_ID: return "PROG_GET_FD_BY_ID";
	case BPF_BTF_GET_NEXT_ID: return "BTF_GET_NEXT_ID";
	case BPF_BTF_GET_FD_BY_ID: return "BTF_GET_FD_BY_ID";
	}
	return "?";
}

/* --- the filter, in the child ------------------------------------------- */

/*
 * bpf(2) of a command the device takes: to the listener. Everything else,
 * other architectures' calls included (x32's bpf has another number):
 * allowed. The command is an int: the low half of args[0].
 */
static int install_filter(void)
{
	const unsigned long long cmds = BPFDEV_CMDS_EXECUTED | BPFDEV_CMDS_OWN;
	struct sock_filter f[8 + 64];
	struct sock_fprog prog = { .filter = f };
	int n = 0, k = __builtin_popcountll(cmds), i = 0, cmd, fd;

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			AUDIT_ARCH_X86_64, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, nr));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			__NR_bpf, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, args[0]));
	for (cmd = 0; cmd < 64; cmd++)
		if (cmds & (1ULL << cmd))
			/* to the USER_NOTIF return, past the other tests */
			f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ |
					BPF_K, cmd, k - ++i + 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
			SECCOMP_RET_USER_NOTIF);
	prog.len = (unsigned short)n;
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		     SECCOMP_FILTER_FLAG_NEW_LISTENER |
		     SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, &prog);
	return fd;
}

static int send_fd(int sock, int fd)
{
	char c = 0;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);

	memset(&u, 0, sizeof(u));
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &fd, sizeof(int));
	return sendmsg(sock, &m, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *h;
	int fd;

	if (recvmsg(sock, &m, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	h = CMSG_FIRSTHDR(&m);
	if (!h || h->cmsg_type != SCM_RIGHTS ||
	    h->cmsg_len != CMSG_LEN(sizeof(int)))
		return -1;
	memcpy(&fd, CMSG_DATA(h), sizeof(int));
	return fd;
}

/* The child: no_new_privs, the filter, the listener to the parent, exec. */
static void child(int sock, const sigset_t *mask, char **argv)
{
	int fd;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		fprintf(stderr, "bpfdev-run: no_new_privs: %s\n",
			strerror(errno));
		_exit(125);
	}
	fd = install_filter();
	if (fd < 0) {
		fprintf(stderr, "bpfdev-run: seccomp listener: %s\n",
			strerror(errno));
		_exit(125);
	}
	if (send_fd(sock, fd)) {
		fprintf(stderr, "bpfdev-run: passing the listener: %s\n",
			strerror(errno));
		_exit(125);
	}
	close(fd);
	close(sock);
	sigprocmask(SIG_SETMASK, mask, NULL);
	execvp(argv[0], argv);
	fprintf(stderr, "bpfdev-run: %s: %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* --- one request --------------------------------------------------------- */

struct fd_map {
	int num;	/* the caller's */
	int local;	/* the supervisor's copy, or -1 (the caller's was bad) */
};

struct call {
	int listener, dev;
	__u64 id;
	pid_t tid, tgid;
	int pidfd;
	int cmd;
	__u64 uattr;		/* the caller's attr */
	__u32 size;		/* as the caller passed it */
	__u32 send;		/* as sent to the device: all we know */
	__u32 wb;		/* what may be written back: the caller's */
	int nfds;
	void *mem[8];
	int nmem;
	/* the verifier's log, written back after the call */
	char *log;
	__u64 log_at;
	__u32 log_size, log_level;
	/* not cleared between requests: */
	struct fd_map fds[SV_FDS_MAX];
	union {
		union bpf_attr a;
		unsigned char b[SV_PAGE];
	} attr;
	unsigned char before[SV_PAGE];
};

static struct call the_call;

static int read_caller(struct call *c, void *dst, __u64 src, size_t len)
{
	struct iovec l = { .iov_base = dst, .iov_len = len };
	struct iovec r = { .iov_base = (void *)(unsigned long)src,
			   .iov_len = len };
	ssize_t n;

	if (!len)
		return 0;
	n = process_vm_readv(c->tid, &l, 1, &r, 1, 0);
	if (n == (ssize_t)len)
		return 0;
	if (n >= 0 || errno == EFAULT)
		return -EFAULT;
	if (errno == EPERM)
		say("cannot read the memory of pid %d: %s (a program that is "
		    "not dumpable cannot be supervised)\n", c->tid,
		    strerror(errno));
	return -errno;
}

static int write_caller(struct call *c, __u64 dst, const void *src,
			size_t len)
{
	struct iovec l = { .iov_base = (void *)src, .iov_len = len };
	struct iovec r = { .iov_base = (void *)(unsigned long)dst,
			   .iov_len = len };

	if (!len)
		return 0;
	return process_vm_writev(c->tid, &l, 1, &r, 1, 0) == (ssize_t)len ?
	       0 : -EFAULT;
}

/* A buffer of the caller's, copied: its address in *@at becomes ours. */
static int copy_in(struct call *c, __u64 *at, size_t len, size_t max)
{
	void *p;
	int err;

	if (!*at || !len)
		return (*at = 0);
	if (len > max)
		return -E2BIG;
	if (c->nmem == (int)(sizeof(c->mem) / sizeof(c->mem[0])))
		return -E2BIG;
	p = malloc(len);
	if (!p)
		return -ENOMEM;
	c->mem[c->nmem++] = p;
	err = read_caller(c, p, *at, len);
	*at = (unsigned long)p;
	return err;
}

/* A NUL-terminated string of at most @max - 1 bytes, read page by page. */
static int copy_string(struct call *c, __u64 *at, size_t max)
{
	char *p;
	size_t got = 0, chunk;
	__u64 src = *at;
	int err;

	if (!src)
		return 0;
	if (c->nmem == (int)(sizeof(c->mem) / sizeof(c->mem[0])))
		return -E2BIG;
	p = calloc(1, max);
	if (!p)
		return -ENOMEM;
	c->mem[c->nmem++] = p;
	while (got < max - 1) {
		chunk = SV_PAGE - ((src + got) & (SV_PAGE - 1));
		if (chunk > max - 1 - got)
			chunk = max - 1 - got;
		err = read_caller(c, p + got, src + got, chunk);
		if (err)
			return err;
		if (memchr(p + got, 0, chunk))
			break;
		got += chunk;
	}
	*at = (unsigned long)p;
	return 0;
}

/*
 * The supervisor's copy of the caller's fd @num, in *@local: each number
 * is fetched once per request, so a number named twice (a map in two
 * instructions) is one file, whatever the caller's threads do to their
 * table meanwhile. A number the caller does not have becomes -1, which
 * bpf(2) answers as it would have: EBADF.
 */
static int caller_fd(struct call *c, __s64 num, __u32 *local)
{
	int i, fd;

	if (num < 0 || num > INT32_MAX) {
		*local = (__u32)-1;
		return 0;
	}
#ifndef BPFDEV_TEST_BROKEN
	for (i = 0; i < c->nfds; i++)
		if (c->fds[i].num == num) {
			*local = (__u32)c->fds[i].local;
			return 0;
		}
#else
	(void)i;	/* the test-only broken build: every name fetched anew */
#endif
	if (c->nfds == SV_FDS_MAX)
		return -E2BIG;
	fd = (int)syscall(SYS_pidfd_getfd, c->pidfd, (int)num, 0);
	if (fd < 0 && errno != EBADF)
		return -errno;
	c->fds[c->nfds].num = (int)num;
	c->fds[c->nfds++].local = fd;
	*local = (__u32)fd;
	return 0;
}

/* A __u32 fd field of the attr, translated in place */
static int attr_fd(struct call *c, __u32 *field)
{
	return caller_fd(c, (__s32)*field, field);
}

/*
 * A verifier (or BTF) log the kernel fills: ours, written back after; at
 * most SV_LOG_MIRROR bytes of it (the module makes every byte of a log
 * buffer resident before the call).
 */
static int take_log(struct call *c, __u64 *buf, __u32 *sizep, __u32 level)
{
	__u32 size = *sizep;

	if (!*buf)
		return 0;
	if (size > SV_LOG_MIRROR)
		size = *sizep = SV_LOG_MIRROR;
	c->log = calloc(1, size ? size : 1);
	if (!c->log)
		return -ENOMEM;
	c->log_at = *buf;
	c->log_size = size;
	c->log_level = level;
	*buf = (unsigned long)c->log;
	return 0;
}

/* The instruction at @i is the first half of an ld_imm64 */
static int wide(const struct bpf_insn *insn, __u32 i, __u32 n)
{
	return insn[i].code == (BPF_LD | BPF_IMM | BPF_DW) && i + 1 < n;
}

/*
 * Does @insn read a slot of fd_array? A map: an ld_imm64's first half
 * (@is_wide) with BPF_PSEUDO_MAP_IDX*, as the verifier resolves them. A
 * kfunc's module BTF: a call's off in any slot, second halves of ld_imm64
 * included, as the verifier's add_subprog_and_kfunc() (and the module's
 * insns.c) look at every slot before checking those.
 */
static int fd_array_slot(const struct bpf_insn *insn, int is_wide,
			 __s64 *idx)
{
	if (is_wide && (insn->src_reg == BPF_PSEUDO_MAP_IDX ||
			insn->src_reg == BPF_PSEUDO_MAP_IDX_VALUE)) {
		*idx = insn->imm;
		return 1;
	}
	if (insn->code == (BPF_JMP | BPF_CALL) &&
	    insn->src_reg == BPF_PSEUDO_KFUNC_CALL && insn->off) {
		*idx = insn->off;
		return 1;
	}
	return 0;
}

/* The fds an ld_imm64 names in its immediates, translated in place */
static int insn_fds(struct call *c, struct bpf_insn *insn)
{
	__u32 fd;
	int err;

	switch (insn[0].src_reg) {
	case BPF_PSEUDO_MAP_FD:
	case BPF_PSEUDO_MAP_VALUE:
		fd = (__u32)insn[0].imm;
		err = caller_fd(c, (__s32)fd, &fd);
		insn[0].imm = (__s32)fd;
		return err;
	case BPF_PSEUDO_BTF_ID:
		/* 0 is vmlinux; else a module's BTF */
		if (!insn[1].imm)
			return 0;
		fd = (__u32)insn[1].imm;
		err = caller_fd(c, (__s32)fd, &fd);
		insn[1].imm = (__s32)fd;
		return err;
	}
	return 0;
}

/*
 * fd_array: only the slots the instructions use, each read once, in an
 * array of our own as long as the highest slot used. A negative slot is
 * refused here (bpf(2) would read before the caller's array; here it would
 * read our memory).
 */
static int copy_fd_array(struct call *c, struct bpf_insn *insn, __u32 n)
{
	union bpf_attr *a = &c->attr.a;
	__u32 i, fd, *fds, len = 0;
	unsigned char *used;
	__s64 idx;
	int w, second = 0, err = 0;

	for (i = 0; i < n; i++, second = w) {
		w = !second && wide(insn, i, n);
		if (!fd_array_slot(&insn[i], w, &idx))
			continue;
		if (idx < 0)
			return -EINVAL;
		if (idx >= SV_FD_ARRAY_MAX)
			return -E2BIG;
		if (idx >= len)
			len = (__u32)idx + 1;
	}
	if (!a->fd_array || !len) {
		a->fd_array = 0;	/* bpf(2) refuses a slot without one */
		return 0;
	}
	fds = malloc(len * sizeof(*fds));
	used = calloc(len, 1);
	if (!fds || !used) {
		free(fds);
		free(used);
		return -ENOMEM;
	}
	c->mem[c->nmem++] = fds;
	memset(fds, 0xff, len * sizeof(*fds));
	for (i = 0, second = 0; i < n && !err; i++, second = w) {
		w = !second && wide(insn, i, n);
		if (!fd_array_slot(&insn[i], w, &idx) || used[idx])
			continue;
		used[idx] = 1;
		err = read_caller(c, &fd, a->fd_array + (__u64)idx * sizeof(fd),
				  sizeof(fd));
		if (!err)
			err = caller_fd(c, (__s32)fd, &fds[idx]);
	}
	free(used);
	a->fd_array = (unsigned long)fds;
	return err;
}

static int prep_prog_load(struct call *c)
{
	union bpf_attr *a = &c->attr.a;
	__u32 n = a->insn_cnt, i;
	struct bpf_insn *insn;
	int err, w;

	if (n > SV_INSNS_MAX)
		return -E2BIG;
	err = copy_in(c, &a->insns, (size_t)n * sizeof(*insn),
		      (size_t)SV_INSNS_MAX * sizeof(*insn));
	if (err)
		return err;
	insn = (struct bpf_insn *)(unsigned long)a->insns;
	for (i = 0; insn && i < n && !err; i += 1 + w) {
		w = wide(insn, i, n);
		if (w)
			err = insn_fds(c, &insn[i]);
	}
	if (!err && insn)
		err = copy_fd_array(c, insn, n);
	else if (!err)
		a->fd_array = 0;
	if (err)
		return err;
	err = copy_string(c, &a->license, 128);
	if (!err && (a->func_info_cnt || a->line_info_cnt))
		err = attr_fd(c, &a->prog_btf_fd);
	if (!err && a->attach_prog_fd)
		err = attr_fd(c, &a->attach_prog_fd);
	if (!err)
		err = copy_in(c, &a->func_info, (size_t)a->func_info_rec_size *
			      a->func_info_cnt, SV_INFO_MAX);
	if (!err)
		err = copy_in(c, &a->line_info, (size_t)a->line_info_rec_size *
			      a->line_info_cnt, SV_INFO_MAX);
	if (!err)
		err = copy_in(c, &a->core_relos, (size_t)a->core_relo_rec_size *
			      a->core_relo_cnt, SV_INFO_MAX);
	if (!err && a->log_size > SV_LOG_MAX)
		err = -EINVAL;
	if (!err)
		err = take_log(c, &a->log_buf, &a->log_size, a->log_level);
	return err;
}

static int prep_btf_load(struct call *c)
{
	union bpf_attr *a = &c->attr.a;
	int err;

	err = copy_in(c, &a->btf, a->btf_size, SV_BTF_MAX);
	if (!err && a->btf_log_size > SV_LOG_MAX)
		err = -EINVAL;
	if (!err)
		err = take_log(c, &a->btf_log_buf, &a->btf_log_size,
			       a->btf_log_level);
	return err;
}

static int prep_map_create(struct call *c)
{
	union bpf_attr *a = &c->attr.a;
	int err = 0;

	/* the kernel's own conditions for reading each (map_create()) */
	if (a->btf_key_type_id || a->btf_value_type_id ||
	    a->btf_vmlinux_value_type_id)
		err = attr_fd(c, &a->btf_fd);
	if (!err && (a->map_type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
		     a->map_type == BPF_MAP_TYPE_HASH_OF_MAPS))
		err = attr_fd(c, &a->inner_map_fd);
	return err;
}

/*
 * How much of the attr each command uses, as far as this supervisor knows
 * it (newer fields, such as tokens, must be zero: E2BIG). PROG_LOAD's and
 * BTF_LOAD's log_true_size (6.4) are outputs, written back.
 */
static __u32 attr_extent(int cmd)
{
	switch (cmd) {
	case BPF_MAP_CREATE:
		return offsetofend(union bpf_attr, map_extra);
	case BPF_PROG_LOAD:
		return offsetofend(union bpf_attr, core_relo_rec_size) + 4;
	case BPF_BTF_LOAD:
		return offsetofend(union bpf_attr, btf_log_level) + 4;
	case BPF_MAP_FREEZE:
		return offsetofend(union bpf_attr, map_fd);
	case BPF_LINK_CREATE:
		return offsetofend(union bpf_attr, link_create.flags);
	case BPF_PROG_ATTACH:
		return offsetofend(union bpf_attr, replace_bpf_fd);
	case BPF_PROG_DETACH:
		return offsetofend(union bpf_attr, attach_type);
	default:	/* the ID commands */
		return offsetofend(union bpf_attr, open_flags);
	}
}

static int returns_fd(int cmd)
{
	return cmd == BPF_MAP_CREATE || cmd == BPF_PROG_LOAD ||
	       cmd == BPF_BTF_LOAD || cmd == BPF_LINK_CREATE ||
	       cmd == BPF_MAP_GET_FD_BY_ID || cmd == BPF_PROG_GET_FD_BY_ID ||
	       cmd == BPF_BTF_GET_FD_BY_ID;
}

/*
 * The thread group of @tid (-1 if gone) and how many seccomp filters it
 * runs under, from /proc/TID/status ("self" for @tid 0).
 */
static pid_t proc_status(pid_t tid, int *filters)
{
	char path[64], line[128];
	pid_t tgid = -1;
	FILE *f;

	if (tid)
		snprintf(path, sizeof(path), "/proc/%d/status", tid);
	else
		snprintf(path, sizeof(path), "/proc/self/status");
	*filters = -1;
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) != 1 &&
		    sscanf(line, "Seccomp_filters: %d", filters) == 1)
			break;
	fclose(f);
	return *filters < 0 ? -1 : tgid;
}

/* The seccomp filters bpfdev-run itself runs under (a service's) */
static int own_filters;

/* bpfdev-run's own user namespace, read once at the start */
static struct stat own_userns;

/* The module's user namespace rule, for the program itself */
static int same_userns(pid_t tid)
{
	char path[64];
	struct stat them;

	snprintf(path, sizeof(path), "/proc/%d/ns/user", tid);
	return !stat(path, &them) && own_userns.st_dev == them.st_dev &&
	       own_userns.st_ino == them.st_ino;
}

/*
 * Everything the device is to see, copied and translated: 0, or the
 * -errno bpf(2) returns. 1: not ours to serve (continue).
 */
static int prepare(struct call *c)
{
	__u32 type = 0, i, extent;
	int err, filters;
	size_t n;

	if (c->cmd == BPF_LINK_CREATE || c->cmd == BPF_PROG_ATTACH ||
	    c->cmd == BPF_PROG_DETACH) {
		const __u32 off = c->cmd == BPF_LINK_CREATE ?
			offsetof(union bpf_attr, link_create.attach_type) :
			offsetof(union bpf_attr, attach_type);

		/* unreadable, or not cgroup_skb: bpf(2)'s own to answer */
		if (c->size >= off + sizeof(type) &&
		    read_caller(c, &type, c->uattr + off, sizeof(type)))
			return 1;
		if (type != BPF_CGROUP_INET_INGRESS &&
		    type != BPF_CGROUP_INET_EGRESS)
			return 1;
	}
	if (!same_userns(c->tid))
		return -EPERM;
	c->tgid = proc_status(c->tid, &filters);
	if (c->tgid < 0)
		return -ESRCH;
	/*
	 * The module refuses callers under a seccomp filter (a sandbox must
	 * not get around its own rules through the device): here, a program
	 * that installed one of its own, beyond bpfdev-run's and those it
	 * inherited. Filters are never removed: no race.
	 */
	if (filters > own_filters + 1) {
		if (debug)
			say("pid %d: under a seccomp filter of its own\n",
			    c->tid);
		return -EPERM;
	}
	/* 6.9+: a thread's own pidfd, whose pidfd_getfd() reads its table */
	c->pidfd = (int)syscall(SYS_pidfd_open, c->tid, PIDFD_THREAD);
	if (c->pidfd < 0 && errno == EINVAL) {
		/* 6.1: the process's, which reads the leader's table */
		c->pidfd = (int)syscall(SYS_pidfd_open, c->tgid, 0);
		if (c->pidfd >= 0 && c->tid != c->tgid &&
		    syscall(SYS_kcmp, c->tid, c->tgid, KCMP_FILES, 0, 0)) {
			if (debug)
				say("pid %d: a thread with its own fd table\n",
				    c->tid);
			return -EPERM;
		}
	}
	if (c->pidfd < 0)
		return -errno;
	if (c->size > SV_PAGE)
		return -E2BIG;
	n = c->size;
	err = read_caller(c, c->attr.b, c->uattr, n);
	if (err)
		return err;
	extent = attr_extent(c->cmd);
	for (i = extent; i < n; i++)
		if (c->attr.b[i])
			return -E2BIG;
	/*
	 * The whole extent, zero beyond the caller's size as bpf(2) reads
	 * it: a size ending inside a pointer field would cut our pointer.
	 */
	c->send = extent;
	c->wb = n < extent ? (__u32)n : extent;
	switch (c->cmd) {
	case BPF_PROG_LOAD:
		return prep_prog_load(c);
	case BPF_BTF_LOAD:
		return prep_btf_load(c);
	case BPF_MAP_CREATE:
		return prep_map_create(c);
	case BPF_MAP_FREEZE:
		return attr_fd(c, &c->attr.a.map_fd);
	case BPF_LINK_CREATE:
		err = attr_fd(c, &c->attr.a.link_create.prog_fd);
		return err ? err : attr_fd(c, &c->attr.a.link_create.target_fd);
	case BPF_PROG_ATTACH:
	case BPF_PROG_DETACH:
		err = attr_fd(c, &c->attr.a.attach_bpf_fd);
		return err ? err : attr_fd(c, &c->attr.a.target_fd);
	}
	return 0;
}

/* What the kernel wrote into our copy, written into the caller's */
static int write_back(struct call *c, const unsigned char *before)
{
	__u32 i = 0, j;
	size_t len;
	int err = 0;

	while (i < c->wb) {
		if (c->attr.b[i] == before[i]) {
			i++;
			continue;
		}
		for (j = i; j < c->wb && c->attr.b[j] != before[j]; j++)
			;
		err = err ? err : write_caller(c, c->uattr + i,
					       c->attr.b + i, j - i);
		i = j;
	}
	len = c->log && c->log_level ? strnlen(c->log, c->log_size) : 0;
	if (len) {
		if (len < c->log_size)
			len++;
		err = err ? err : write_caller(c, c->log_at, c->log, len);
	}
	return err;
}

static void release(struct call *c)
{
	int i;

	for (i = 0; i < c->nfds; i++)
		if (c->fds[i].local >= 0)
			close(c->fds[i].local);
	for (i = 0; i < c->nmem; i++)
		free(c->mem[i]);
	free(c->log);
	if (c->pidfd >= 0)
		close(c->pidfd);
}

static void answer(struct call *c, long val, int err, int cont)
{
	struct seccomp_notif_resp resp = {
		.id = c->id, .val = val, .error = err,
		.flags = cont ? SECCOMP_USER_NOTIF_FLAG_CONTINUE : 0,
	};

	/* ENOENT: the caller is gone (killed, or its wait interrupted) */
	if (ioctl(c->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) &&
	    errno != ENOENT && debug)
		say("answer: %s\n", strerror(errno));
}

/* The request, its answer: the fd it made goes to the caller as the answer */
static void run(struct call *c)
{
	struct bpfdev_sys_bpf req = {
		.size = sizeof(req), .cmd = (__u32)c->cmd,
		.attr_size = c->send, .attr = (unsigned long)&c->attr.a,
	};
	struct seccomp_notif_addfd addfd = {
		.id = c->id, .flags = SECCOMP_ADDFD_FLAG_SEND,
		.newfd_flags = O_CLOEXEC,
	};
	int ret, err = 0, got;

	memcpy(c->before, c->attr.b, c->send);
	ret = ioctl(c->dev, BPFDEV_IOC_SYS_BPF, &req);
	if (ret < 0)
		err = errno;
	/* a caller killed meanwhile: its pid may be another's by now */
	if (ioctl(c->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &c->id)) {
		if (ret >= 0 && returns_fd(c->cmd))
			close(ret);
		return;
	}
	got = write_back(c, c->before);
	if (debug)
		say("bpf(%s) of pid %d via the device: %d%s%s\n",
		    cmd_name(c->cmd), c->tid, ret, err ? " " : "",
		    err ? strerror(err) : "");
	if (ret >= 0 && got) {
		/* the caller's buffers went away: as bpf(2), EFAULT */
		if (returns_fd(c->cmd))
			close(ret);
		ret = -1;
		err = EFAULT;
	}
	if (ret >= 0 && returns_fd(c->cmd)) {
		addfd.srcfd = (__u32)ret;
		if (ioctl(c->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd) < 0 &&
		    errno != ENOENT)
			answer(c, 0, -errno, 0);	/* EMFILE, as bpf(2) */
		close(ret);
		return;
	}
	answer(c, ret < 0 ? 0 : ret, ret < 0 ? -err : 0, 0);
}

static void serve(int listener, int dev, struct seccomp_notif *n)
{
	struct call *c = &the_call;
	int err;

	memset(c, 0, offsetof(struct call, fds));
	memset(c->attr.b, 0, sizeof(c->attr.b));
	c->listener = listener;
	c->dev = dev;
	c->pidfd = -1;
	c->id = n->id;
	c->tid = (pid_t)n->pid;
	c->cmd = (int)n->data.args[0];
	c->uattr = n->data.args[1];
	c->size = (__u32)n->data.args[2];
	err = n->data.nr == __NR_bpf ? prepare(c) : 1;
	/* what was read was the caller's only if it still waits for it */
	if (err <= 0 &&
	    ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &c->id)) {
		release(c);
		return;
	}
	if (err == 1)
		answer(c, 0, 0, 1);
	else if (err < 0)
		answer(c, 0, err, 0);
	else
		run(c);
	if (err < 0 && debug)
		say("bpf(%s) of pid %d: %s\n", cmd_name(c->cmd), c->tid,
		    strerror(-err));
	release(c);
}

/*
 * @cmd's executable as execvp() finds it, in @file; 0, or -1 when it
 * cannot be found (execvp() will say why).
 */
static int find_exe(const char *cmd, char *file, size_t len)
{
	const char *path = getenv("PATH"), *p, *end;

	if (strchr(cmd, '/'))
		return snprintf(file, len, "%s", cmd) < (int)len ? 0 : -1;
	for (p = path ? path : "/usr/local/bin:/usr/bin:/bin"; *p; p = end) {
		end = strchrnul(p, ':');
		if (snprintf(file, len, "%.*s/%s", (int)(end - p), p, cmd) <
		    (int)len && !access(file, X_OK))
			return 0;
		if (*end)
			end++;
	}
	return -1;
}

/*
 * Can the user read @cmd's executable? exec() of a file it may not read
 * makes the process not dumpable, and its memory unreadable to the
 * supervisor. 1 when unsure (execvp() will say).
 */
static int readable(const char *cmd)
{
	char file[4096];

	return find_exe(cmd, file, sizeof(file)) || access(file, X_OK) ||
	       !access(file, R_OK);
}

/* --- which programs need it ---------------------------------------------- */

static int read_at(int fd, void *buf, size_t len, off_t off)
{
	return pread(fd, buf, len, off) == (ssize_t)len ? 0 : -1;
}

/*
 * Does @cmd need supervision: is it a program whose bpf(2) calls do not go
 * through glibc's syscall()? An ELF executable without an interpreter
 * (static), with one that is not glibc's (musl), or with a .go.buildinfo
 * section (Go issues its system calls itself, linked with glibc or not).
 * Scripts, glibc programs, and what cannot be read: the interposer. @why
 * gets the reason.
 */
int supervise_wanted(const char *cmd, char *why, size_t len)
{
	char file[4096], interp[256] = "", name[16];
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	Elf64_Shdr sh, strtab;
	int fd, i, want = 0;

	snprintf(why, len, "not an ELF executable");
	if (find_exe(cmd, file, sizeof(file)))
		return 0;
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (read_at(fd, &eh, sizeof(eh), 0) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(ph) || eh.e_shentsize != sizeof(sh))
		goto out;
	for (i = 0; i < eh.e_phnum; i++) {
		if (read_at(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph)))
			goto out;
		if (ph.p_type != PT_INTERP)
			continue;
		if (read_at(fd, interp, ph.p_filesz < sizeof(interp) ?
			    ph.p_filesz : sizeof(interp) - 1, ph.p_offset))
			goto out;
		break;
	}
	if (!interp[0]) {
		snprintf(why, len, "statically linked");
		want = 1;
		goto out;
	}
	if (!strstr(interp, "/ld-linux")) {
		snprintf(why, len, "interpreter %s, not glibc's", interp);
		want = 1;
		goto out;
	}
	snprintf(why, len, "dynamically linked with glibc");
	if (eh.e_shstrndx >= eh.e_shnum ||
	    read_at(fd, &strtab, sizeof(strtab),
		    eh.e_shoff + eh.e_shstrndx * sizeof(sh)))
		goto out;
	for (i = 0; i < eh.e_shnum; i++) {
		if (read_at(fd, &sh, sizeof(sh), eh.e_shoff + i * sizeof(sh)) ||
		    sh.sh_name >= strtab.sh_size ||
		    read_at(fd, name, sizeof(name),
			    strtab.sh_offset + sh.sh_name))
			continue;
		if (!strncmp(name, ".go.buildinfo", sizeof(name))) {
			snprintf(why, len, "a Go program");
			want = 1;
			break;
		}
	}
out:
	close(fd);
	return want;
}

/* --- the supervisor ------------------------------------------------------ */

static pid_t main_child;

static void forward(int sig)
{
	if (main_child > 0)
		kill(main_child, sig);
}

int privileged(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return 0;
	return (d[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &
		CAP_TO_MASK(CAP_SYS_ADMIN)) ||
	       (d[CAP_TO_INDEX(CAP_BPF)].effective & CAP_TO_MASK(CAP_BPF));
}

/* Yama at 2 or 3 forbids reading a child's memory without CAP_SYS_PTRACE */
static int ptrace_scope(void)
{
	FILE *f = fopen("/proc/sys/kernel/yama/ptrace_scope", "re");
	int scope = 0;

	if (f) {
		if (fscanf(f, "%d", &scope) != 1)
			scope = 0;
		fclose(f);
	}
	return scope;
}

/* How many fds this process has open (BPFDEV_DEBUG: leaks show) */
static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = -1;	/* the directory's own */

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static int exit_status(int status)
{
	if (WIFSIGNALED(status)) {
		signal(WTERMSIG(status), SIG_DFL);
		raise(WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}

int supervise(const char *dev_path, char **argv)
{
	struct sigaction ign = { .sa_handler = SIG_IGN };
	struct sigaction fwd = { .sa_handler = forward, .sa_flags = SA_RESTART };
	struct seccomp_notif_sizes sizes;
	struct seccomp_notif *n;
	sigset_t chld, old;
	struct pollfd p[2];
	int sv[2], dev, listener, sfd, status = 0, scope, ws;
	pid_t pid;

	debug = secure_getenv("BPFDEV_DEBUG") &&
		!strcmp(secure_getenv("BPFDEV_DEBUG"), "1");
	dev = open(dev_path, O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (dev < 0 || privileged()) {
		/* as the interposer: bpf(2) is the caller's own */
		if (debug)
			say("%s: %s: not supervised\n", dev_path,
			    dev < 0 ? strerror(errno) : "privileged already");
		if (dev >= 0)
			close(dev);
		execvp(argv[0], argv);
		fprintf(stderr, "bpfdev-run: %s: %s\n", argv[0],
			strerror(errno));
		return errno == ENOENT ? 127 : 126;
	}
	scope = ptrace_scope();
	if (scope >= 2) {
		fprintf(stderr, "bpfdev-run: --supervise reads the program's "
			"memory, which kernel.yama.ptrace_scope = %d forbids "
			"(0 or 1 allow it)\n", scope);
		return 125;
	}
	if (!readable(argv[0])) {
		fprintf(stderr, "bpfdev-run: %s: the program is not readable, "
			"so it will not be dumpable: its memory cannot be "
			"read to serve it\n", argv[0]);
		return 125;
	}
	if (stat("/proc/self/ns/user", &own_userns)) {
		fprintf(stderr, "bpfdev-run: /proc/self/ns/user: %s\n",
			strerror(errno));
		return 125;
	}
	if (proc_status(0, &own_filters) < 0) {
		fprintf(stderr, "bpfdev-run: /proc/self/status: no "
			"Seccomp_filters\n");
		return 125;
	}
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes)) {
		fprintf(stderr, "bpfdev-run: seccomp: %s\n", strerror(errno));
		return 125;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) ||
	    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) {
		fprintf(stderr, "bpfdev-run: %s\n", strerror(errno));
		return 125;
	}
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	fflush(NULL);
	main_child = fork();
	if (main_child < 0)
		return 125;
	if (!main_child) {
		close(sv[0]);
		close(dev);
		child(sv[1], &old, argv);
	}
	close(sv[1]);
	n = calloc(1, sizes.seccomp_notif > sizeof(*n) ?
		   sizes.seccomp_notif : sizeof(*n));
	if (!n)
		abort();
	listener = recv_fd(sv[0]);
	close(sv[0]);
	sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	/*
	 * The program runs as the same user: not dumpable, so that it
	 * cannot take the listener or the device out of this process
	 * (pidfd_getfd, ptrace) where Yama would let it.
	 */
	if (sfd < 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)) {
		fprintf(stderr, "bpfdev-run: %s\n", strerror(errno));
		kill(main_child, SIGKILL);
		free(n);
		return 125;
	}
	if (debug)
		say("supervising pid %d: %d fds open\n", main_child,
		    open_fds());
	/* as system(3): the terminal's signals reach the command itself */
	sigaction(SIGINT, &ign, NULL);
	sigaction(SIGQUIT, &ign, NULL);
	sigaction(SIGTERM, &fwd, NULL);
	sigaction(SIGHUP, &fwd, NULL);
	p[0].fd = listener;
	p[0].events = POLLIN;
	p[1].fd = sfd;
	p[1].events = POLLIN;
	for (;;) {
		struct signalfd_siginfo si;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 125;
		}
		if (p[0].revents & POLLIN) {
			memset(n, 0, sizes.seccomp_notif);
			if (!ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, n))
				serve(listener, dev, n);
		} else if (p[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			p[0].fd = -1;	/* no process uses the filter now */
		}
		if (!(p[1].revents & POLLIN))
			continue;
		while (read(sfd, &si, sizeof(si)) == sizeof(si))
			;
		while ((pid = waitpid(-1, &ws, WNOHANG)) > 0)
			if (pid == main_child) {
				status = ws;
				main_child = 0;	/* its pid is free now */
			}
		if (pid < 0 && errno == ECHILD)
			break;
	}
	if (debug)
		say("done: %d fds open\n", open_fds());
	return exit_status(status);
}
