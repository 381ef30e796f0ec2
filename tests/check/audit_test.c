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
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#define STATS "/sys/class/misc/bpf/stats/"

static const struct bpf_insn ret0[] = { INSN_MOV64_IMM(0, 0), INSN_EXIT() };

/*
 * Users of the rate limit's tests, in group bpf: each test its own, so that
 * no earlier test (nor suite) has taken from its bucket or left it a count
 * of suppressed records.
 */
#define FLOOD_UID	2001
#define SERIAL_UID	2002
#define DENIALS_UID	2003
#define FLOODER_UID	2004
#define OTHER_UID	2005
#define NSOWNER_UID	2006
/* ids a user namespace maps, from this host id */
#define NS_BASE		300000
#define NS_IDS		200
#define NS_REQUESTS	10

/* Denied requests of a flood, and files the per-user flood spreads over */
#define FLOOD_N		1000
#define FLOOD_FILES	50
/* Requests the other user makes during that flood */
#define OTHER_N		5

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
 * then appends every record it receives to @out as a line "type=N text"
 * until @stop is closed (and a little after, for records still queued). It
 * leaves auditing enabled, as the VM booted (audit=1), and no daemon
 * registered. @out is a file, not a pipe: a listener that stopped reading
 * would fill the audit backlog, and a flood of records would then wait on
 * it (up to a minute each, on the old module).
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
			char type[16];
			size_t tl;

			/*
			 * One record per message; kauditd sets nlmsg_len
			 * to the length of the text alone, as auditd
			 * expects. Replies to AUDIT_SET are not records.
			 */
			if (len <= (ssize_t)NLMSG_HDRLEN ||
			    nh->nlmsg_type < AUDIT_FIRST_USER_MSG)
				continue;
			tl = (size_t)len - NLMSG_HDRLEN;
			if (nh->nlmsg_len < tl)
				tl = nh->nlmsg_len;
			text[tl] = '\0';
			snprintf(type, sizeof(type), "type=%u ",
				 (unsigned int)nh->nlmsg_type);
			if (write(out, type, strlen(type)) < 0 ||
			    write(out, text, strlen(text)) < 0 ||
			    write(out, "\n", 1) != 1)
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
	int ready[2], stop[2];
	char c;

	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(stop), 0);
	l->out = memfd_create("audit_records", MFD_CLOEXEC);
	ck_assert_int_ge(l->out, 0);
	l->pid = fork();
	ck_assert_int_ge(l->pid, 0);
	if (l->pid == 0) {
		close(ready[0]);
		close(stop[1]);
		listener(ready[1], stop[0], l->out, enabled);
	}
	close(ready[1]);
	close(stop[0]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	close(ready[0]);
	l->stop = stop[1];
}

/*
 * Stops the listener; every record it saw, one a line ("type=N text"),
 * NUL-terminated, in memory that lasts as long as the test.
 */
static const char *listen_stop(struct listening *l)
{
	char *records;
	off_t len;
	int status;

	close(l->stop);
	ck_assert_int_eq(waitpid(l->pid, &status, 0), l->pid);
	ck_assert_msg(WIFEXITED(status) && !WEXITSTATUS(status),
		      "listener status %d", status);
	len = lseek(l->out, 0, SEEK_END);
	ck_assert_int_ge(len, 0);
	records = malloc((size_t)len + 1);
	ck_assert_ptr_nonnull(records);
	ck_assert_int_eq(pread(l->out, records, (size_t)len, 0), len);
	records[len] = '\0';
	close(l->out);
	return records;
}

/* Become @uid, in group bpf only: a user no earlier test has been. */
static void become_fresh(uid_t uid)
{
	gid_t groups[] = { (gid_t)bpf_gid() };

	become_ids(uid, groups, 1);
}

/* A request bpfdev refuses (the program type is not delegated). */
static int deny_one(int dev)
{
	union bpf_attr a;

	attr_prog(&a, BPF_PROG_TYPE_XDP, ret0, 2);
	a.expected_attach_type = BPF_XDP;
	return dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a));
}

/* records per second per user: the parameter, else its documented default */
static int audit_rate(void)
{
	char buf[32];

	return param_read("audit_rate", buf, sizeof(buf)) ? 20 : atoi(buf);
}

/* A counter of stats/, or -1 if the module has no such counter. */
static long counter_or_none(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), STATS "%s", name);
	return access(path, R_OK) ? -1 : stats_counter(name);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The lines of a listener's records, one at a time, copied (cut at 4 KiB) */
struct line_iter {
	const char *p;
	char line[4096];
};

static const char *next_line(struct line_iter *it)
{
	const char *end;
	size_t n;

	if (!*it->p)
		return NULL;
	end = strchr(it->p, '\n');
	if (!end)
		end = it->p + strlen(it->p);
	n = (size_t)(end - it->p);
	if (n >= sizeof(it->line))
		n = sizeof(it->line) - 1;
	memcpy(it->line, it->p, n);
	it->line[n] = '\0';
	it->p = *end ? end + 1 : end;
	return it->line;
}

/* The audit serial of a record ("audit(1700000000.123:42): ..."), or 0 */
static unsigned int serial_of(const char *line)
{
	const char *a = strstr(line, "audit(");
	unsigned int serial;

	if (!a || sscanf(a, "audit(%*u.%*u:%u)", &serial) != 1)
		return 0;
	return serial;
}

/*
 * The bpfdev records of @uid: how many, and the sum of their suppressed=
 * counts; *last_suppressed: that of the last record (0 if none).
 */
static int user_records(const char *records, uid_t uid, long *suppressed,
			long *last_suppressed)
{
	struct line_iter it = { .p = records };
	const char *line, *s;
	char who[32];
	int n = 0;

	snprintf(who, sizeof(who), " uid=%u auid=", (unsigned int)uid);
	*suppressed = 0;
	*last_suppressed = 0;
	while ((line = next_line(&it))) {
		if (!strstr(line, "bpfdev op=") || !strstr(line, who))
			continue;
		n++;
		s = strstr(line, " suppressed=");
		*last_suppressed = s ? atol(s + 12) : 0;
		*suppressed += *last_suppressed;
	}
	return n;
}

/*
 * The records of the event of @uid's bpfdev record with @res: how many
 * share its serial, their types listed in @types. -1 if there is no such
 * record.
 */
static int event_records(const char *records, uid_t uid, const char *res,
			 char *types, size_t size)
{
	struct line_iter it = { .p = records };
	const char *line;
	unsigned int serial = 0;
	char who[32];
	size_t len = 0;
	int n = 0;

	snprintf(who, sizeof(who), " uid=%u auid=", (unsigned int)uid);
	while (!serial && (line = next_line(&it)))
		if (strstr(line, "bpfdev op=") && strstr(line, who) &&
		    strstr(line, res))
			serial = serial_of(line);
	if (!serial)
		return -1;
	types[0] = '\0';
	it.p = records;
	while ((line = next_line(&it))) {
		if (serial_of(line) != serial)
			continue;
		n++;
		len += (size_t)snprintf(types + len, len < size ? size - len : 0,
					"%s%.9s", n > 1 ? "," : "", line);
	}
	return n;
}

/* The SYSCALL records (1300) of process @pid */
static int syscall_records(const char *records, pid_t pid)
{
	struct line_iter it = { .p = records };
	const char *line;
	char who[32];
	int n = 0;

	snprintf(who, sizeof(who), " pid=%d ", (int)pid);
	while ((line = next_line(&it)))
		if (!strncmp(line, "type=1300 ", 10) && strstr(line, who))
			n++;
	return n;
}

/* bpfdev records of requests that ran (res=ok) */
static int ok_records(const char *records)
{
	struct line_iter it = { .p = records };
	const char *line;
	int n = 0;

	while ((line = next_line(&it)))
		if (strstr(line, "bpfdev op=") && strstr(line, " res=ok "))
			n++;
	return n;
}

/*
 * The member's bucket (audit_rate) may have been emptied by the suites
 * before this one: a second fills it again.
 */
static void member_bucket_refill(void)
{
	sleep(1);
}

START_TEST(records_reach_an_audit_listener)
{
	int dev, pid = getpid();
	struct listening l;
	long den0, exe0, fail0;
	const char *records;
	union bpf_attr a;

	member_bucket_refill();
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
 * A comm that could be mistaken for the record's syntax (a space, a
 * quote) is written in hex, and the fields after it follow as usual.
 */
START_TEST(a_comm_with_spaces_or_quotes_is_hex)
{
	struct listening l;
	const char *records;
	union bpf_attr a;
	int dev;

	member_bucket_refill();
	listen_start(&l, 1);
	become_member();
	ck_assert_int_eq(prctl(PR_SET_NAME, "z \"z\""), 0);
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	attr_prog(&a, BPF_PROG_TYPE_XDP, ret0, 2);
	ck_assert_int_eq(dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a)), -1);
	records = listen_stop(&l);
	/* "z \"z\"": z 7A, space 20, quote 22 */
	assert_line(records, "ses=4294967295 comm=%s profile=default",
		    "7A20227A22");
}
END_TEST

/*
 * The attach type a record names is the one the kernel uses for the
 * program (policy.c): xdp for an xdp program loaded for 0, select for
 * sk_reuseport, none for the ordinary kprobe - not cgroup_inet_ingress.
 */
START_TEST(records_name_the_attach_type_the_kernel_uses)
{
	int dev, pid = getpid();
	struct listening l;
	const char *records;
	union bpf_attr a;

	ck_assert_int_eq(root_param_write("delegate_progs",
					  "socket_filter:cgroup_skb:xdp:sk_reuseport:kprobe"),
			 0);
	member_bucket_refill();
	listen_start(&l, 1);
	become_member();
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	attr_prog(&a, BPF_PROG_TYPE_XDP, ret0, 2);
	ck_assert_int_eq(dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a)), -1);
	attr_prog(&a, BPF_PROG_TYPE_SK_REUSEPORT, ret0, 2);
	ck_assert_int_eq(dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a)), -1);
	attr_prog(&a, BPF_PROG_TYPE_KPROBE, ret0, 2);
	dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a));

	records = listen_stop(&l);
	assert_line(records,
		    "bpfdev op=prog_load prog_type=xdp attach_type=xdp map_type=none res=denied reason=attach_type errno=1 pid=%d uid=%d",
		    pid, MEMBER_UID);
	assert_line(records,
		    "bpfdev op=prog_load prog_type=sk_reuseport attach_type=sk_reuseport_select map_type=none res=denied reason=attach_type errno=1 pid=%d uid=%d",
		    pid, MEMBER_UID);
	assert_line(records,
		    "bpfdev op=prog_load prog_type=kprobe attach_type=none map_type=none res=%s",
		    "");
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

	member_bucket_refill();
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

/*
 * A flood of refusals by one user: at most a second's worth of records
 * (audit_rate) and what the bucket refills while it lasts; a record after
 * it carries how many were suppressed; the counters count every request.
 */
START_TEST(flood_of_denials_is_rate_limited)
{
	int dev, i, n, bound, rate = audit_rate();
	long den0, sup0, suppressed, last;
	struct listening l;
	struct timespec t0;
	const char *records;
	double secs;

	listen_start(&l, 1);
	den0 = stats_counter("denied_prog_type");
	sup0 = counter_or_none("audit_suppressed");
	become_fresh(FLOOD_UID);
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < FLOOD_N; i++)
		ck_assert_int_eq(deny_one(dev), -1);
	secs = seconds_since(&t0);
	/* A little over a second later the bucket has room: the record after */
	usleep(1200 * 1000);
	ck_assert_int_eq(deny_one(dev), -1);
	ck_assert_int_eq(stats_counter("denied_prog_type"), den0 + FLOOD_N + 1);

	records = listen_stop(&l);
	n = user_records(records, FLOOD_UID, &suppressed, &last);
	/* the burst (a second's worth), the refill during the flood, the last */
	bound = rate + (int)(rate * secs) + 1 + 1;
	printf("audit flood: %d refusals in %.2f s, then 1: %d records, %ld suppressed (audit_rate %d)\n",
	       FLOOD_N, secs, n, suppressed, rate);
	fflush(stdout);
	ck_assert_msg(n <= bound,
		      "%d records for %d refusals in %.2f s, at most %d with audit_rate %d",
		      n, FLOOD_N + 1, secs, bound, rate);
	ck_assert_msg(last > 0,
		      "the record after the flood carries no suppressed= count");
	ck_assert_msg(n + suppressed == FLOOD_N + 1,
		      "%d records and %ld suppressed for %d refusals", n,
		      suppressed, FLOOD_N + 1);
	ck_assert_msg(sup0 >= 0, "no counter " STATS "audit_suppressed");
	ck_assert_int_eq(stats_counter("audit_suppressed"), sup0 + suppressed);
}
END_TEST

/*
 * One request, one record: an event of its own (its serial), without the
 * SYSCALL, PROCTITLE and EOE records of the ioctl(2) it came in. The
 * request that runs is a map creation: a program load has the kernel write
 * its own record (AUDIT_BPF, op=LOAD) in the syscall's context, and with it
 * those records, as bpf(2) would.
 */
START_TEST(one_record_per_request)
{
	char ok_types[256], denied_types[256];
	int dev, ok, denied, syscalls;
	struct listening l;
	const char *records;

	listen_start(&l, 1);
	become_fresh(SERIAL_UID);
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	ck_assert_int_ge(dev_map(dev, BPF_MAP_TYPE_ARRAY), 0);
	ck_assert_int_eq(deny_one(dev), -1);
	records = listen_stop(&l);

	ok = event_records(records, SERIAL_UID, " res=ok ", ok_types,
			   sizeof(ok_types));
	denied = event_records(records, SERIAL_UID, " res=denied ",
			       denied_types, sizeof(denied_types));
	syscalls = syscall_records(records, getpid());
	printf("audit records per request: map_create ok %d (%s), prog_load denied %d (%s); SYSCALL records of the caller %d\n",
	       ok, ok > 0 ? ok_types : "-", denied,
	       denied > 0 ? denied_types : "-", syscalls);
	fflush(stdout);
	ck_assert_msg(ok == 1 && denied == 1 && !syscalls,
		      "records per request: ok %d (%s), denied %d (%s); SYSCALL records of the caller: %d",
		      ok, ok > 0 ? ok_types : "-", denied,
		      denied > 0 ? denied_types : "-", syscalls);
}
END_TEST

/* With audit_denials_only, a request that ran leaves no record. */
START_TEST(denials_only_records_no_request_that_ran)
{
	int dev, pid = getpid(), set;
	struct listening l;
	const char *records;
	long den0, exe0;

	set = root_param_write("audit_denials_only", "Y");
	listen_start(&l, 1);
	den0 = stats_counter("denied_prog_type");
	exe0 = stats_counter("executed_prog_load");
	become_fresh(DENIALS_UID);
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	ck_assert_int_ge(dev_load_sf(dev), 0);
	ck_assert_int_eq(deny_one(dev), -1);
	ck_assert_int_eq(stats_counter("denied_prog_type"), den0 + 1);
	ck_assert_int_eq(stats_counter("executed_prog_load"), exe0 + 1);

	records = listen_stop(&l);
	assert_line(records, "res=denied reason=prog_type errno=1 pid=%d uid=%d",
		    pid, DENIALS_UID);
	ck_assert_msg(!ok_records(records),
		      "a request that ran was recorded with audit_denials_only=Y:\n%.3000s",
		      records);
	ck_assert_msg(!set, "audit_denials_only: %s", strerror(-set));
}
END_TEST

/* "0 @base @n" into /proc/@pid/@file */
static void id_map(pid_t pid, const char *file, unsigned int base,
		   unsigned int n)
{
	char path[64], map[64];
	int fd, len;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	len = snprintf(map, sizeof(map), "0 %u %u\n", base, n);
	fd = open(path, O_WRONLY);
	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(write(fd, map, (size_t)len), len);
	close(fd);
}

/*
 * A user's process in a user namespace that maps many ids: its requests
 * are refused (reason userns) and recorded, all from the bucket of the
 * user who owns the namespace, however many ids it setuid()s through.
 */
START_TEST(user_namespace_ids_share_their_owners_bucket)
{
	int go[2], ready[2], dev, i, j, n = 0, bound, rate = audit_rate();
	struct listening l;
	const char *records, *p;
	struct timespec t0;
	pid_t pid, id;
	double secs;
	char c;

	listen_start(&l, 1);
	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_eq(pipe(ready), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		become_fresh(NSOWNER_UID);
		dev = dev_open(O_RDWR);
		if (dev < 0 || unshare(CLONE_NEWUSER) ||
		    write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(90);
		for (i = 0; i < NS_IDS; i++) {
			id = fork();
			if (id == 0) {
				if (setgid(0) || setuid((uid_t)i))
					_exit(91);
				for (j = 0; j < NS_REQUESTS; j++)
					if (deny_one(dev) != -1 || errno != EPERM)
						_exit(92);
				_exit(0);
			}
			if (id < 0 || waitpid(id, &j, 0) != id || j)
				_exit(93);
		}
		_exit(0);
	}
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	id_map(pid, "uid_map", NS_BASE, NS_IDS);
	id_map(pid, "gid_map", NS_BASE, 1);
	ck_assert_int_eq(write(go[1], "g", 1), 1);
	ck_assert_int_eq(waitpid(pid, &i, 0), pid);
	ck_assert_msg(WIFEXITED(i) && WEXITSTATUS(i) == 0, "child: %#x", i);
	secs = seconds_since(&t0);

	records = listen_stop(&l);
	for (p = records; (p = strstr(p, "reason=userns")); p++)
		n++;
	bound = rate + (int)(rate * secs) + 1;
	printf("audit userns: %d refusals from %d ids in %.2f s: %d records\n",
	       NS_IDS * NS_REQUESTS, NS_IDS, secs, n);
	ck_assert_msg(n > 0 && n <= bound,
		      "%d records for %d refusals from %d ids in %.2f s, at most %d",
		      n, NS_IDS * NS_REQUESTS, NS_IDS, secs, bound);
}
END_TEST

/*
 * The flooder's requests as one user over many files; stops when @stop
 * is readable (or after half a minute), says "g" on @go after the first
 * FLOOD_N, reports its count on @count.
 */
static void flooder(int go, int stop, int count)
{
	struct pollfd p = { .fd = stop, .events = POLLIN };
	int dev[FLOOD_FILES], i, n = 0;
	struct timespec t0;

	become_fresh(FLOODER_UID);
	for (i = 0; i < FLOOD_FILES; i++) {
		dev[i] = dev_open(O_RDWR);
		if (dev[i] < 0)
			_exit(70);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (n % 1000 || seconds_since(&t0) < 30) {
		if (deny_one(dev[n % FLOOD_FILES]) != -1)
			_exit(71);
		n++;
		if (n == FLOOD_N && write(go, "g", 1) != 1)
			_exit(72);
		if (n > FLOOD_N && poll(&p, 1, 0))
			break;
	}
	if (write(count, &n, sizeof(n)) != sizeof(n))
		_exit(73);
	_exit(0);
}

/*
 * The bucket is the user's: one user's flood, however many files it spans,
 * is limited, and another user's requests during it are all recorded.
 */
START_TEST(flood_does_not_suppress_other_users)
{
	int go[2], stop[2], count[2], dev, i, n, nf, no, bound;
	int rate = audit_rate(), status;
	long den0, fsup, osup, last;
	struct listening l;
	struct timespec t0;
	const char *records;
	double secs;
	pid_t pid;
	char c;

	/* the listener first: it must not hold the pipes' ends open */
	listen_start(&l, 1);
	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_eq(pipe(stop), 0);
	ck_assert_int_eq(pipe(count), 0);
	den0 = stats_counter("denied_prog_type");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(go[0]);
		close(stop[1]);
		close(count[0]);
		flooder(go[1], stop[0], count[1]);
	}
	close(go[1]);
	close(stop[0]);
	close(count[1]);
	ck_assert_int_eq(read(go[0], &c, 1), 1);

	become_fresh(OTHER_UID);
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	for (i = 0; i < OTHER_N; i++)
		ck_assert_int_eq(deny_one(dev), -1);
	close(stop[1]);
	ck_assert_int_eq(read(count[0], &n, sizeof(n)), (int)sizeof(n));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && !WEXITSTATUS(status),
		      "flooder status %d", status);
	secs = seconds_since(&t0);
	ck_assert_int_eq(stats_counter("denied_prog_type"),
			 den0 + n + OTHER_N);

	records = listen_stop(&l);
	nf = user_records(records, FLOODER_UID, &fsup, &last);
	no = user_records(records, OTHER_UID, &osup, &last);
	bound = rate + (int)(rate * secs) + 1;
	printf("audit flood over %d files: %d refusals in %.2f s: %d records, %ld suppressed; the other user's %d: %d records, %ld suppressed\n",
	       FLOOD_FILES, n, secs, nf, fsup, OTHER_N, no, osup);
	fflush(stdout);
	ck_assert_msg(nf <= bound,
		      "%d records for %d refusals over %d files in %.2f s, at most %d with audit_rate %d",
		      nf, n, FLOOD_FILES, secs, bound, rate);
	ck_assert_msg(no == OTHER_N && !osup,
		      "the other user's %d refusals: %d records, %ld suppressed",
		      OTHER_N, no, osup);
}
END_TEST

const struct suite_def audit_suite = { "audit", {
	{ "records", .timeout = 60, .tests = {
		TEST(records_reach_an_audit_listener),
		TEST(only_denials_recorded_while_audit_disabled),
		TEST(counters_are_read_only_files),
	} },
	{ "rate", .timeout = 300, .reset_grant = 1, .tests = {
		TEST(records_name_the_attach_type_the_kernel_uses),
		TEST(a_comm_with_spaces_or_quotes_is_hex),
		TEST(flood_of_denials_is_rate_limited),
		TEST(one_record_per_request),
		TEST(denials_only_records_no_request_that_ran),
		TEST(flood_does_not_suppress_other_users),
		TEST(user_namespace_ids_share_their_owners_bucket),
	} },
} };
