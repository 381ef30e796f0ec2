// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Requests the module runs only for a caller whose fd table no other task
 * shares (cgroup attach: the module checks the cgroup directory the fd
 * names, and another thread must not be able to swap the fd before the
 * kernel looks it up). Threads share their table, so such a request runs in
 * a helper task whose table is a private copy.
 *
 * The helper lives inside a program that knows nothing of it, so it touches
 * none of the program's state:
 *
 * - clone(CLONE_VM | CLONE_VFORK), not fork(): no pthread_atfork() handler
 *   runs, nothing of the address space is copied, and the calling thread
 *   sleeps until the helper has exited. Without CLONE_FILES its fd table is
 *   a copy (the module checks files->count == 1).
 * - Exit signal 0: the program's SIGCHLD handler never hears of it, and
 *   its waitpid(-1, ...) does not see it (a "clone" child is only seen with
 *   __WCLONE or __WALL); it is reaped here with __WCLONE.
 * - Every signal is blocked around the clone, so none of the program's
 *   handlers can run on the helper's stack; the caller's mask is restored
 *   afterwards.
 * - The helper shares the caller's memory and TLS, so it makes only raw
 *   system calls (no errno, no libc state), on a stack of its own, and
 *   leaves by SYS_exit. Its answer comes back through that shared memory.
 *
 * A BPF_PROG_ATTACH answers 0 and nothing more. The new link fd of a
 * BPF_LINK_CREATE is in the helper's table, though, and must be moved to
 * the program's. It travels with SCM_RIGHTS over a socketpair made for the
 * call. pidfd_getfd() (5.6) would need the helper to wait alive for the
 * caller and ptrace access to it, which Yama's ptrace_scope 2 or 3 and a
 * setuid (non-dumpable) program deny; SCM_RIGHTS needs nothing. The message
 * is queued before the caller wakes, and the caller reads it with signals
 * still blocked, so no EINTR can turn a created link into a failure (and
 * the fd into a detached link); EINTR is retried anyway.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libbpfdev.h"
#include "internal.h"

#define HELPER_STACK_SIZE	(64 * 1024)

/* Shared by the caller and the helper (CLONE_VM). */
struct helper_call {
	int dev_fd;
	int sock;
	struct bpfdev_sys_bpf req;
	long ret;	/* the ioctl's: the new fd, 0, or -errno */
};

/* The helper: raw system calls only, then SYS_exit. */
static int helper_main(void *arg)
{
	struct helper_call *c = arg;
	char cbuf[CMSG_SPACE(sizeof(int))];
	int dummy = 0, fd;
	struct iovec iov = { .iov_base = &dummy, .iov_len = sizeof(dummy) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	long sent;

	c->ret = bpfdev_raw_syscall(SYS_ioctl, c->dev_fd, BPFDEV_IOC_SYS_BPF,
				    (long)&c->req, 0, 0, 0);
	if (c->ret >= 0 && c->req.cmd == BPF_LINK_CREATE) {
		fd = (int)c->ret;
		memset(cbuf, 0, sizeof(cbuf));
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
		do
			sent = bpfdev_raw_syscall(SYS_sendmsg, c->sock,
						  (long)&msg, MSG_NOSIGNAL, 0,
						  0, 0);
		while (sent == -EINTR);
	}
	bpfdev_raw_syscall(SYS_exit, 0, 0, 0, 0, 0, 0);
	return 0;
}

/* The fd the helper sent, or -1 (EIO) if none came. */
static int helper_receive(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	int dummy, fd = -1;
	struct iovec iov = { .iov_base = &dummy, .iov_len = sizeof(dummy) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	ssize_t n;

	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	cm = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (cm && cm->cmsg_level == SOL_SOCKET &&
	    cm->cmsg_type == SCM_RIGHTS &&
	    cm->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	if (fd < 0)
		errno = EIO;
	return fd;
}

int bpfdev_helper_sys_bpf(int dev_fd, int cmd, union bpf_attr *attr,
			  unsigned int size)
{
	struct helper_call c = {
		.dev_fd = dev_fd,
		.req = {
			.size = sizeof(c.req),
			.cmd = (__u32)cmd,
			.attr_size = size,
			.attr = (__u64)(unsigned long)attr,
		},
		.ret = -EIO,
	};
	sigset_t all, old;
	int sv[2], fd = -1, err = 0, status;
	void *stack;
	pid_t pid;

	stack = mmap(NULL, HELPER_STACK_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		munmap(stack, HELPER_STACK_SIZE);
		return -1;
	}
	c.sock = sv[1];
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	/* exit signal 0: the low byte of the flags */
	pid = clone(helper_main, (char *)stack + HELPER_STACK_SIZE,
		    CLONE_VM | CLONE_VFORK, &c);
	if (pid < 0) {
		err = errno;
	} else {
		/* the helper has exited (or is exiting): its answer is in c */
		close(sv[1]);
		sv[1] = -1;
		if (c.ret >= 0 && cmd != BPF_LINK_CREATE) {
			fd = (int)c.ret;
		} else if (c.ret >= 0) {
			fd = helper_receive(sv[0]);
			if (fd < 0)
				err = errno;
		} else {
			err = (int)-c.ret;
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (pid > 0)
		while (waitpid(pid, &status, __WCLONE) < 0 && errno == EINTR)
			;
	close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	munmap(stack, HELPER_STACK_SIZE);
	if (fd < 0)
		errno = err;
	return fd;
}
