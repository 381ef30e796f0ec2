// SPDX-License-Identifier: GPL-2.0
/*
 * Real tools nobody here wrote: Debian's libbpf-tools (BCC's CO-RE tools,
 * libbpf linked in), unmodified, run by a member through bpfdev-run with
 * bpfdev(4)'s tracing example as the grant, while the test causes the
 * events each tool counts: block I/O on null_blk's /dev/nullb0, TCP on
 * loopback, file reads and writes, RTC interrupts, sleeps. Each must end
 * well and report the events caused, as it does for root.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/rtc.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

#define LOAD_COMM	"bpfdev-load"	/* the load's name, as tools show it */
#define NULLB		"/dev/nullb0"
#define RTC		"/dev/rtc0"
#define IO_SIZE		4096

/* Each element of a histogram ("   4 -> 7    : 60   |***  |"), summed */
static unsigned long hist_sum(const char *s)
{
	unsigned long lo, hi, n, sum = 0;

	for (; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : NULL)
		if (sscanf(s, " %lu -> %lu : %lu", &lo, &hi, &n) == 3)
			sum += n;
	return sum;
}

/* The number after @name at the start of a line ("net_rx   6259"), or 0 */
static unsigned long row_value(const char *s, const char *name)
{
	size_t len = strlen(name);
	unsigned long v;

	for (; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : NULL) {
		s += strspn(s, " \t");
		if (!strncmp(s, name, len) && strchr(" \t", s[len]) &&
		    sscanf(s + len, " %lu", &v) == 1)
			return v;
	}
	return 0;
}

/* The line after the one holding @header, or NULL */
static const char *line_after(const char *s, const char *header)
{
	s = strstr(s, header);
	s = s ? strchr(s, '\n') : NULL;
	return s ? s + 1 : NULL;
}

static int counted_hist(const char *out)
{
	return hist_sum(out) > 0;
}

/* bitesize: a histogram of the load's own I/O sizes */
static int counted_load_io(const char *out)
{
	return hist_sum(strstr(out, "Process Name = " LOAD_COMM)) > 0;
}

/* softirqs: loopback TCP raises NET_RX */
static int counted_net_rx(const char *out)
{
	return row_value(line_after(out, "TOTAL_usecs"), "net_rx") > 0;
}

/* hardirqs: the RTC's update interrupts */
static int counted_rtc(const char *out)
{
	return row_value(line_after(out, "TOTAL_usecs"), "rtc0") > 0;
}

/* vfsstat: "HH:MM:SS:  READ/s WRITE/s FSYNC/s OPEN/s CREATE/s" */
static int counted_reads_writes(const char *out)
{
	const char *row = line_after(out, "CREATE/s");
	unsigned long rd, wr;
	char when[16];

	return row && sscanf(row, "%15s %lu %lu", when, &rd, &wr) == 3 &&
	       rd > 0 && wr > 0;
}

/* klockstat: "Caller  Avg Wait  Count ...", then a row per caller */
static int counted_locks(const char *out)
{
	const char *row = line_after(out, "Total Wait");
	char caller[128], unit[8];
	unsigned long count;
	double avg;

	return row && sscanf(row, "%127s %lf %7s %lu", caller, &avg, unit,
			     &count) == 4 && count > 0;
}

/* wakeuptime: the load, woken from its sleeps, is a target */
static int counted_load_wakeups(const char *out)
{
	const char *t;

	for (t = strstr(out, "target:"); t; t = strstr(t + 1, "target:"))
		if (!strncmp(t + 7 + strspn(t + 7, " \t"), LOAD_COMM,
			     strlen(LOAD_COMM)))
			return 1;
	return 0;
}

/* Each tool, its arguments (a bounded run), what it must have counted */
static const struct {
	const char *name;
	const char *args[5];
	int (*counted)(const char *out);
} tools[] = {
	{ "runqlat", { "2", "1" }, counted_hist },
	{ "cpudist", { "2", "1" }, counted_hist },
	{ "biolatency", { "2", "1" }, counted_hist },
	{ "bitesize", { "2", "1" }, counted_load_io },
	{ "softirqs", { "2", "1" }, counted_net_rx },
	{ "hardirqs", { "2", "1" }, counted_rtc },
	{ "vfsstat", { "2", "1" }, counted_reads_writes },
	{ "tcprtt", { "-i", "2", "-d", "2" }, counted_hist },
	{ "klockstat", { "-d", "2" }, counted_locks },
	{ "wakeuptime", { "2" }, counted_load_wakeups },
};

/* A TCP connection on loopback: @fds[0] and @fds[1] its two ends */
static void tcp_pair(int fds[2])
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int l;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&sin, sizeof(sin)) ||
	    listen(l, 1) || getsockname(l, (struct sockaddr *)&sin, &len))
		_exit(2);
	fds[0] = socket(AF_INET, SOCK_STREAM, 0);
	if (fds[0] < 0 || connect(fds[0], (struct sockaddr *)&sin, len))
		_exit(2);
	fds[1] = accept(l, NULL, NULL);
	if (fds[1] < 0)
		_exit(2);
	close(l);
}

/*
 * The events, until killed: direct I/O on null_blk, a file written and
 * read, TCP on loopback, sleeps, and the RTC's update interrupt once a
 * second while its fd is open.
 */
static void load(void)
{
	char file[] = "/tmp/bpfdev-tools.XXXXXX", msg[64] = "ping";
	int fds[2], blk, f, rtc;
	void *buf;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, LOAD_COMM);
	tcp_pair(fds);
	blk = open(NULLB, O_RDWR | O_DIRECT);
	rtc = open(RTC, O_RDONLY);
	f = mkstemp(file);
	if (blk < 0 || rtc < 0 || ioctl(rtc, RTC_UIE_ON, 0) || f < 0 ||
	    posix_memalign(&buf, IO_SIZE, IO_SIZE))
		_exit(2);
	unlink(file);
	memset(buf, 0, IO_SIZE);
	for (;;) {
		if (pwrite(blk, buf, IO_SIZE, 0) != IO_SIZE ||
		    pread(blk, buf, IO_SIZE, IO_SIZE) != IO_SIZE ||
		    pwrite(f, msg, sizeof(msg), 0) != sizeof(msg) ||
		    pread(f, msg, sizeof(msg), 0) != sizeof(msg) ||
		    write(fds[0], msg, sizeof(msg)) != sizeof(msg) ||
		    read(fds[1], msg, sizeof(msg)) <= 0 ||
		    write(fds[1], msg, sizeof(msg)) != sizeof(msg) ||
		    read(fds[0], msg, sizeof(msg)) <= 0)
			_exit(2);
		usleep(2000);
	}
}

/* bpfdev(4)'s example that delegates tracing, as written */
static void tracing_example(void)
{
	const char *const *opts = man_example("tracing");

	ck_assert_ptr_nonnull(opts);
	ck_assert_int_eq(apply_options(opts), 0);
}

START_TEST(member_runs_libbpf_tool)
{
	const char *argv[8] = { "/usr/bin/bpfdev-run" };
	char path[64];
	static struct run r;
	int status, i;
	pid_t loader;

	ck_assert_msg(!access(NULLB, R_OK | W_OK), NULLB ": %m (null_blk)");
	ck_assert_msg(!access(RTC, R_OK), RTC ": %m");
	tracing_example();
	snprintf(path, sizeof(path), "/usr/sbin/%s", tools[_i].name);
	ck_assert_msg(!access(path, X_OK), "%s: %m (libbpf-tools)", path);
	argv[1] = path;
	for (i = 0; tools[_i].args[i]; i++)
		argv[i + 2] = tools[_i].args[i];

	/* the tcase runs on the first CPU alone (one_cpu, suite.c) */
	ck_assert_int_eq(sysconf(_SC_NPROCESSORS_ONLN), 1);
	loader = fork();
	ck_assert_int_ge(loader, 0);
	if (loader == 0)
		load();
	run_as(MEMBER, NULL, argv, &r);
	ck_assert_int_eq(kill(loader, SIGKILL), 0);
	ck_assert_int_eq(waitpid(loader, &status, 0), loader);
	ck_assert_msg(WIFSIGNALED(status), "the load failed: status %d",
		      status);

	ck_assert_msg(exited(&r, 0), "%s: status %d:\n%s", tools[_i].name,
		      r.status, run_tail(&r));
	ck_assert_msg(tools[_i].counted(r.out),
		      "%s counted none of the test's events:\n%s",
		      tools[_i].name, run_tail(&r));
}
END_TEST

const struct suite_def tools_suite = { "tools", {
	{ "libbpf_tools", .timeout = 60, .reset_grant = 1, .one_cpu = 1,
	  .tests = {
		LOOP_TEST(member_runs_libbpf_tool, ARRAY_LEN(tools)),
	} },
} };
