// SPDX-License-Identifier: GPL-2.0
/*
 * Audit records and counters, observed through a real audit listener: a
 * root process registered as the audit daemon over netlink, as auditd
 * would be (without one, kauditd falls back to the kernel log and drops
 * most records under load).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

#define STATS "/sys/class/misc/bpf/stats/"

static const struct bpf_insn ret0[] = { INSN_MOV64_IMM(0, 0), INSN_EXIT() };

/* AUDIT_SET: auditing @enabled or not, and the audit daemon's @pid (0: none) */
static void audit_set(int sock, unsigned int enabled, pid_t pid)
{
	struct {
		struct nlmsghdr nh;
		struct audit_status st;
	} req = {
		.nh = {
			.nlmsg_len = NLMSG_LENGTH(sizeof(struct audit_status)),
			.nlmsg_type = AUDIT_SET,
			.nlmsg_flags = NLM_F_REQUEST,
		},
		.st = {
			.mask = AUDIT_STATUS_ENABLED | AUDIT_STATUS_PID,
			.enabled = enabled,
			.pid = (__u32)pid,
		},
	};

	if (send(sock, &req, req.nh.nlmsg_len, 0) < 0)
		_exit(80);
}

/*
 * The listener: registers with auditing @enabled or not, says so on @ready,
 * then copies every bpfdev record to @out until @stop is closed (and a
 * little after, for records still queued). It leaves auditing enabled, as
 * the VM booted (audit=1), and no daemon registered.
 */
static void listener(int ready, int stop, int out, unsigned int enabled)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	static char buf[65536];
	struct pollfd p[2];
	int sock, stopping = 0, idle = 0;

	sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (sock < 0 || bind(sock, (void *)&addr, sizeof(addr)))
		_exit(81);
	audit_set(sock, enabled, getpid());
	if (write(ready, "r", 1) != 1)
		_exit(82);
	p[0] = (struct pollfd){ .fd = sock, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = stop, .events = POLLIN };
	while (idle < 5) {
		int n = poll(p, stopping ? 1 : 2, 100);

		if (n <= 0) {
			idle += stopping;
			continue;
		}
		if (!stopping && (p[1].revents & (POLLIN | POLLHUP)))
			stopping = 1;
		if (p[0].revents & POLLIN) {
			ssize_t len = recv(sock, buf, sizeof(buf) - 1, 0);
			struct nlmsghdr *nh = (struct nlmsghdr *)buf;
			char *text = NLMSG_DATA(nh);
			size_t tl;

			/*
			 * One record per message; kauditd sets nlmsg_len
			 * to the length of the text alone, as auditd
			 * expects.
			 */
			if (len <= (ssize_t)NLMSG_HDRLEN ||
			    nh->nlmsg_type != AUDIT_KERNEL_OTHER)
				continue;
			tl = (size_t)len - NLMSG_HDRLEN;
			if (nh->nlmsg_len < tl)
				tl = nh->nlmsg_len;
			text[tl] = '\0';
			if (strstr(text, "bpfdev op=") &&
			    (write(out, text, strlen(text)) < 0 ||
			     write(out, "\n", 1) != 1))
				_exit(83);
		}
	}
	audit_set(sock, 1, 0);	/* unregister, as auditd does on exit */
	_exit(0);
}

#define assert_line(records, fmt, ...)					\
	do {								\
		char want_[256];					\
		snprintf(want_, sizeof(want_), fmt, __VA_ARGS__);	\
		ck_assert_msg(strstr(records, want_),			\
			      "no audit record with \"%s\" in:\n%.3000s", \
			      want_, records);				\
	} while (0)

struct listening {
	pid_t pid;
	int stop, out;
};

static void listen_start(struct listening *l, unsigned int enabled)
{
	int ready[2], stop[2], out[2];
	char c;

	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(stop), 0);
	ck_assert_int_eq(pipe(out), 0);
	l->pid = fork();
	ck_assert_int_ge(l->pid, 0);
	if (l->pid == 0) {
		close(ready[0]);
		close(stop[1]);
		close(out[0]);
		listener(ready[1], stop[0], out[1], enabled);
	}
	close(ready[1]);
	close(stop[0]);
	close(out[1]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	close(ready[0]);
	l->stop = stop[1];
	l->out = out[0];
}

/* Stops the listener; the bpfdev records it saw, as lines. */
static const char *listen_stop(struct listening *l)
{
	static char records[1 << 16];
	size_t len = 0;
	ssize_t n;
	int status;

	close(l->stop);
	while ((n = read(l->out, records + len,
			 sizeof(records) - 1 - len)) > 0)
		len += (size_t)n;
	records[len] = '\0';
	close(l->out);
	ck_assert_int_eq(waitpid(l->pid, &status, 0), l->pid);
	ck_assert_msg(WIFEXITED(status) && !WEXITSTATUS(status),
		      "listener status %d", status);
	return records;
}

START_TEST(records_reach_an_audit_listener)
{
	int dev, pid = getpid();
	struct listening l;
	long den0, exe0, fail0;
	const char *records;
	union bpf_attr a;

	listen_start(&l, 1);

	den0 = stats_counter("denied_prog_type");
	exe0 = stats_counter("executed_prog_load");
	fail0 = stats_counter("failed_prog_load");

	become_member();
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	attr_prog(&a, BPF_PROG_TYPE_XDP, ret0, 2);
	a.expected_attach_type = BPF_XDP;
	ck_assert_int_eq(dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a)), -1);
	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	ck_assert_int_ge(dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a)), 0);
	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 1);
	ck_assert_int_eq(dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a)), -1);
	attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 4, 1);
	ck_assert_int_ge(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a)), 0);

	ck_assert_int_eq(stats_counter("denied_prog_type"), den0 + 1);
	ck_assert_int_eq(stats_counter("executed_prog_load"), exe0 + 1);
	ck_assert_int_eq(stats_counter("failed_prog_load"), fail0 + 1);

	records = listen_stop(&l);

	assert_line(records,
		    "bpfdev op=prog_load prog_type=xdp attach_type=xdp map_type=none res=denied reason=prog_type errno=1 pid=%d uid=%d",
		    pid, MEMBER_UID);
	assert_line(records,
		    "bpfdev op=prog_load prog_type=socket_filter attach_type=none map_type=none res=ok reason=none errno=0 pid=%d uid=%d",
		    pid, MEMBER_UID);
	assert_line(records,
		    "res=failed reason=none errno=22 pid=%d uid=%d", pid,
		    MEMBER_UID);
	assert_line(records,
		    "bpfdev op=map_create prog_type=none attach_type=none map_type=array res=ok reason=none errno=0 pid=%d uid=%d",
		    pid, MEMBER_UID);
	assert_line(records, "pid=%d uid=%d auid=", pid, MEMBER_UID);
	assert_line(records, "uid=%d auid=4294967295 ses=4294967295 comm=\"%s\"",
		    MEMBER_UID, "bpfdev_tests");
}
END_TEST

/*
 * With auditing disabled (audit daemon registered, enabled=0), requests
 * that ran leave no record, as the kernel's own BPF records do not; a
 * refusal still does. The counters count all of them.
 */
START_TEST(only_denials_recorded_while_audit_disabled)
{
	int dev, prog, pid = getpid();
	struct listening l;
	long den0, exe0;
	const char *records;
	union bpf_attr a;

	listen_start(&l, 0);
	den0 = stats_counter("denied_prog_type");
	exe0 = stats_counter("executed_prog_load");

	become_member();
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	prog = dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a));
	ck_assert_int_ge(prog, 0);
	attr_prog(&a, BPF_PROG_TYPE_XDP, ret0, 2);
	a.expected_attach_type = BPF_XDP;
	ck_assert_int_eq(dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a)), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(stats_counter("denied_prog_type"), den0 + 1);
	ck_assert_int_eq(stats_counter("executed_prog_load"), exe0 + 1);

	records = listen_stop(&l);
	assert_line(records,
		    "bpfdev op=prog_load prog_type=xdp attach_type=xdp map_type=none res=denied reason=prog_type errno=1 pid=%d uid=%d",
		    pid, MEMBER_UID);
	ck_assert_msg(!strstr(records, "res=ok"),
		      "a request that ran was recorded with audit disabled:\n%s",
		      records);
}
END_TEST

START_TEST(counters_are_read_only_files)
{
	ck_assert_int_ge(stats_counter("denied_malformed"), 0);
	become_member();
	ck_assert_int_eq(open(STATS "denied_malformed", O_WRONLY), -1);
	ck_assert_int_eq(errno, EACCES);
}
END_TEST

const struct suite_def audit_suite = { "audit", {
	{ "records", .timeout = 60, .tests = {
		TEST(records_reach_an_audit_listener),
		TEST(only_denials_recorded_while_audit_disabled),
		TEST(counters_are_read_only_files),
	} },
} };
