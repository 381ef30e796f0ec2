// SPDX-License-Identifier: GPL-2.0
/*
 * Auditing on or off, and an audit daemon, over NETLINK_AUDIT (as root).
 *
 * The VM boots with audit=1 and no audit daemon: kauditd then formats every
 * record into the kernel log, which is what made map creation cost five
 * times the direct path in the first figures. The main phases run with
 * auditing disabled (AUDIT_SET enabled=0), Debian's default without auditd;
 * the @auditd phase with auditing enabled and a listener registered as the
 * audit daemon (AUDIT_STATUS_PID) that receives and discards every record,
 * as auditd would (minus writing them out). tests/check/audit_test.c has
 * the same client, checking the records instead.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

static int audit_socket(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	int sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);

	if (sock < 0)
		return -1;
	if (bind(sock, (struct sockaddr *)&addr, sizeof(addr))) {
		close(sock);
		return -1;
	}
	return sock;
}

/* AUDIT_SET of the fields in @mask; the kernel's answer if @ack */
static int audit_set(int sock, __u32 mask, __u32 enabled, __u32 pid,
		     __u32 backlog_limit, int ack)
{
	struct {
		struct nlmsghdr nh;
		struct audit_status st;
	} req = {
		.nh = {
			.nlmsg_len = NLMSG_LENGTH(sizeof(struct audit_status)),
			.nlmsg_type = AUDIT_SET,
			.nlmsg_flags = NLM_F_REQUEST | (ack ? NLM_F_ACK : 0),
			.nlmsg_seq = 1,
		},
		.st = {
			.mask = mask, .enabled = enabled, .pid = pid,
			.backlog_limit = backlog_limit,
		},
	};
	union {
		char buf[1024];
		struct nlmsghdr align;
	} u;
	const struct nlmsghdr *nh = &u.align;
	ssize_t n;

	if (send(sock, &req, req.nh.nlmsg_len, 0) != (ssize_t)req.nh.nlmsg_len)
		return -1;
	if (!ack)
		return 0;
	for (;;) {
		n = recv(sock, u.buf, sizeof(u.buf), 0);
		if (n < (ssize_t)NLMSG_HDRLEN)
			return -1;
		if (nh->nlmsg_type == NLMSG_ERROR && nh->nlmsg_seq == 1) {
			const struct nlmsgerr *e = NLMSG_DATA(nh);

			if (n < (ssize_t)NLMSG_LENGTH(sizeof(*e)))
				return -1;
			errno = -e->error;
			return e->error ? -1 : 0;
		}
	}
}

/* AUDIT_GET: the kernel's audit status into *st; 0 or -1 */
static int audit_get(int sock, struct audit_status *st)
{
	struct nlmsghdr req = {
		.nlmsg_len = NLMSG_LENGTH(0),
		.nlmsg_type = AUDIT_GET,
		.nlmsg_flags = NLM_F_REQUEST,
		.nlmsg_seq = 2,
	};
	union {
		char buf[1024];
		struct nlmsghdr align;
	} u;
	const struct nlmsghdr *nh = &u.align;
	ssize_t n;

	if (send(sock, &req, req.nlmsg_len, 0) != (ssize_t)req.nlmsg_len)
		return -1;
	for (;;) {
		n = recv(sock, u.buf, sizeof(u.buf), 0);
		if (n < (ssize_t)NLMSG_HDRLEN)
			return -1;
		if (nh->nlmsg_seq != 2)
			continue;
		if (nh->nlmsg_type == NLMSG_ERROR) {
			errno = EPROTO;
			return -1;
		}
		if (nh->nlmsg_type == AUDIT_GET) {
			size_t len = (size_t)n - NLMSG_HDRLEN;

			memset(st, 0, sizeof(*st));
			memcpy(st, NLMSG_DATA(nh),
			       len < sizeof(*st) ? len : sizeof(*st));
			return 0;
		}
	}
}

/* Auditing @enabled (1) or disabled (0), system-wide; 0 or -1 (errno). */
int audit_enable(unsigned int enabled)
{
	int sock = audit_socket(), ret, err;

	if (sock < 0)
		return -1;
	ret = audit_set(sock, AUDIT_STATUS_ENABLED, enabled, 0, 0, 1);
	err = errno;
	close(sock);
	errno = err;
	return ret;
}

/*
 * The listener: registers as the audit daemon with auditing enabled and the
 * backlog limit of Debian's auditd rules (-b 8192: the boot default of 64
 * loses records that cannot wait, e.g. the kernel's own BPF prog unload
 * records), says so on @ready, discards every message until @stop is
 * closed, unregisters (auditing stays enabled, the backlog limit goes back)
 * and writes how many messages it got to @ready.
 */
static void listener(int ready, int stop)
{
	static char buf[65536];
	struct audit_status st;
	struct pollfd p[2];
	int sock, count = 0;

	sock = audit_socket();
	if (sock < 0 || audit_get(sock, &st) ||
	    audit_set(sock, AUDIT_STATUS_ENABLED | AUDIT_STATUS_PID |
		      AUDIT_STATUS_BACKLOG_LIMIT, 1, (__u32)getpid(), 8192, 1)) {
		fprintf(stderr, "bench: audit listener: %s\n", strerror(errno));
		_exit(1);
	}
	if (write(ready, "r", 1) != 1)
		_exit(1);
	p[0] = (struct pollfd){ .fd = sock, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = stop, .events = POLLIN };
	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		while (recv(sock, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			count++;
		if (p[1].revents)
			break;
	}
	/* unregister, as auditd does on exit; the kernel's ack is discarded */
	audit_set(sock, AUDIT_STATUS_PID | AUDIT_STATUS_BACKLOG_LIMIT, 0, 0,
		  st.backlog_limit, 0);
	if (write(ready, &count, sizeof(count)) != sizeof(count))
		_exit(1);
	_exit(0);
}

/*
 * Waits (up to two seconds) until kauditd has handed every queued record to
 * the listener, so that one sample's records are not sent while the next
 * sample runs; 0, or -1 if the queue did not empty.
 */
int audit_settle(struct audit_listener *l)
{
	struct timespec ms = { 0, 1000000 };
	struct audit_status st;
	int i;

	for (i = 0; i < 2000; i++) {
		if (audit_get(l->ctl, &st))
			return -1;
		if (!st.backlog)
			return 0;
		nanosleep(&ms, NULL);
	}
	return -1;
}

int audit_listener_start(struct audit_listener *l)
{
	int ready[2], stop[2];
	char c;

	l->ctl = audit_socket();
	if (l->ctl < 0)
		return -1;
	if (pipe2(ready, O_CLOEXEC)) {
		close(l->ctl);
		return -1;
	}
	if (pipe2(stop, O_CLOEXEC)) {
		close(ready[0]);
		close(ready[1]);
		close(l->ctl);
		return -1;
	}
	fflush(stdout);
	l->pid = fork();
	if (l->pid == 0) {
		close(ready[0]);
		close(stop[1]);
		listener(ready[1], stop[0]);
	}
	close(ready[1]);
	close(stop[0]);
	if (l->pid < 0 || read(ready[0], &c, 1) != 1) {
		close(ready[0]);
		close(stop[1]);
		if (l->pid > 0)
			waitpid(l->pid, NULL, 0);
		close(l->ctl);
		return -1;
	}
	l->stop = stop[1];
	l->result = ready[0];
	return 0;
}

/* Stops the listener: the number of messages it received, or -1. */
long audit_listener_stop(struct audit_listener *l)
{
	int count = -1, status;

	close(l->ctl);
	close(l->stop);
	if (read(l->result, &count, sizeof(count)) != sizeof(count))
		count = -1;
	close(l->result);
	if (waitpid(l->pid, &status, 0) != l->pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return count;
}
