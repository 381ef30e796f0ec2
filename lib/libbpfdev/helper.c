// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Requests the module runs only for a caller whose fd table no other task
 * shares (cgroup attach: the module checks the cgroup directory the fd
 * names, and another thread must not be able to swap the fd before the
 * kernel looks it up). Threads share their table, so such a request runs in
 * a forked child, whose table is a private copy: it issues the ioctl and
 * sends the result back over a unix socket, the new fd with SCM_RIGHTS.
 * The child only makes system calls and _exit()s, which is safe after
 * fork() in a multi-threaded program.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libbpfdev.h"
#include "internal.h"

struct helper_result {
	int ret;
	int err;
};

static void helper_child(int sock, int dev_fd, int cmd, union bpf_attr *attr,
			 unsigned int size)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct helper_result res;
	struct iovec iov = { .iov_base = &res, .iov_len = sizeof(res) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	res.ret = bpfdev_ioctl_sys_bpf(dev_fd, cmd, attr, size);
	res.err = res.ret < 0 ? errno : 0;
	if (res.ret >= 0) {
		memset(cbuf, 0, sizeof(cbuf));
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &res.ret, sizeof(int));
	}
	_exit(sendmsg(sock, &msg, 0) == sizeof(res) ? 0 : 1);
}

int bpfdev_helper_sys_bpf(int dev_fd, int cmd, union bpf_attr *attr,
			  unsigned int size)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct helper_result res = { -1, EIO };
	struct iovec iov = { .iov_base = &res, .iov_len = sizeof(res) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int sv[2], fd = -1, status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		helper_child(sv[1], dev_fd, cmd, attr, size);
	}
	close(sv[1]);
	if (recvmsg(sv[0], &msg, MSG_CMSG_CLOEXEC) == sizeof(res) &&
	    res.ret >= 0) {
		c = CMSG_FIRSTHDR(&msg);
		if (c && c->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
		if (fd < 0)
			res = (struct helper_result){ -1, EIO };
	}
	close(sv[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (res.ret < 0) {
		errno = res.err;
		return -1;
	}
	return fd;
}
