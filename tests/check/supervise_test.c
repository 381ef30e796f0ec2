// SPDX-License-Identifier: GPL-2.0
/*
 * tools/supervise.c: bpfdev-run --supervise, as a member. A statically
 * linked libbpf program, which the interposer cannot reach, runs with
 * root's results; a dynamic skeleton too, never interposed; a cgroup link
 * and its fd-swap race; an fd named twice in one request is one file (the
 * race a test-only broken supervisor, which fetches it each time, must
 * lose); the prog-type flip race; the program's own seccomp filter, a new
 * user namespace, a caller thread that is not the leader, a caller killed
 * mid-call, a daemon, and the supervisor killed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

#ifndef BPFDEV_LIBRARY
#define BPFDEV_LIBRARY "/usr/lib/x86_64-linux-gnu/libbpfdev.so.0"
#endif
#define RUN		"/usr/bin/bpfdev-run"
#define CMDS_WITH_LINK	"map_create:prog_load:btf_load:map_freeze:link_create" \
			":prog_attach:prog_detach"
/* the floor for the supervised races */
#define SV_RACE_ITERATIONS 10000

static const char *const debug_env[] = { "BPFDEV_DEBUG=1", NULL };

/* prog_path() in a buffer of its own: prog_path()'s is the next call's */
static const char *path_of(const char *name)
{
	static char paths[4][PATH_MAX + 64];
	static unsigned int next;
	char *p = paths[next++ % 4];

	snprintf(p, sizeof(paths[0]), "%s", prog_path(name));
	return p;
}

static int kernel_is_61(void)
{
	struct utsname u;

	ck_assert_int_eq(uname(&u), 0);
	return !strncmp(u.release, "6.1.", 4);
}

static void assert_sockcount_ok(const struct run *r)
{
	ck_assert_msg(exited(r, 0), "status %d:\n%s", r->status, run_tail(r));
	assert_has(r, "sockcount: packets=5 matched=2 events=2");
	assert_has(r, "sockcount: ok");
}

START_TEST(static_program_runs_supervised_as_root_runs_it)
{
	const char *root_argv[] = { path_of("sockcount-static"), NULL };
	const char *plain[] = { RUN, "--interpose", path_of("sockcount-static"),
				NULL };
	const char *chosen[] = { RUN, path_of("sockcount-static"), NULL };
	const char *sv[] = { RUN, "--supervise", path_of("sockcount-static"),
			     NULL };
	static struct run r;

	run_as(ROOT, NULL, root_argv, &r);
	assert_sockcount_ok(&r);
	/* no glibc syscall() to replace: the interposer cannot serve it */
	run_as(MEMBER, NULL, plain, &r);
	ck_assert_msg(!exited(&r, 0), "served without supervision:\n%s",
		      run_tail(&r));
	assert_has(&r, "Operation not permitted");
	/* plain bpfdev-run picks the supervisor for it */
	run_as(MEMBER, debug_env, chosen, &r);
	assert_sockcount_ok(&r);
	assert_has(&r, "supervised (statically linked)");
	run_as(MEMBER, debug_env, sv, &r);
	assert_sockcount_ok(&r);
	assert_has(&r, "bpf(BTF_LOAD) of pid");
	assert_has(&r, "bpf(PROG_LOAD) of pid");
	assert_has(&r, "bpf(MAP_CREATE) of pid");
	assert_has(&r, "bpf(MAP_FREEZE) of pid");
	assert_has(&r, "via the device: ");
}
END_TEST

START_TEST(dynamic_skeleton_runs_supervised_never_interposed)
{
	const char *env[] = { "BPFDEV_DEBUG=1",
			      "LD_PRELOAD=" BPFDEV_LIBRARY, NULL };
	const char *sv[] = { RUN, "--supervise", path_of("sockcount"),
			     NULL };
	static struct run r;

	/* an LD_PRELOAD naming libbpfdev, as an outer bpfdev-run leaves */
	run_as(MEMBER, env, sv, &r);
	assert_sockcount_ok(&r);
	assert_has(&r, "bpf(PROG_LOAD) of pid");
	/* the interposer's lines: it was not loaded */
	ck_assert_msg(!strstr(r.out, "libbpfdev["), "interposed:\n%s",
		      run_tail(&r));
}
END_TEST

START_TEST(outsider_is_not_served)
{
	const char *sv[] = { RUN, "--supervise", path_of("sockcount-static"),
			     NULL };
	static struct run r;

	run_as(OUTSIDER, NULL, sv, &r);
	ck_assert_msg(!exited(&r, 0), "outsider served:\n%s", run_tail(&r));
	assert_has(&r, "Operation not permitted");
}
END_TEST

/* What would make the program's memory unreadable is said at the start */
START_TEST(unreadable_program_or_yama_fails_at_start)
{
	const char *xonly = "/tmp/bpfdev-sv-xonly";
	const char *sv[] = { RUN, "--supervise", xonly, NULL };
	const char *ok[] = { RUN, "--supervise", path_of("svrace"), "thread",
			     NULL };
	const char *yama = "/proc/sys/kernel/yama/ptrace_scope";
	char cmd[512], old[16] = "";
	static struct run r;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "cp %s %s && chmod 0711 %s",
		 prog_path("sockcount-static"), xonly, xonly);
	ck_assert_int_eq(system(cmd), 0);
	run_as(MEMBER, NULL, sv, &r);
	unlink(xonly);
	ck_assert_msg(exited(&r, 125), "status %d: %s", r.status, run_tail(&r));
	assert_has(&r, "the program is not readable");

	f = fopen(yama, "r");
	ck_assert_msg(f, "%s: %s", yama, strerror(errno));
	ck_assert_ptr_nonnull(fgets(old, sizeof(old), f));
	fclose(f);
	/* 2 (admin-only attach) can be undone; 3 could not */
	f = fopen(yama, "w");
	ck_assert_ptr_nonnull(f);
	fputs("2\n", f);
	ck_assert_int_eq(fclose(f), 0);
	run_as(MEMBER, NULL, ok, &r);
	f = fopen(yama, "w");
	ck_assert_ptr_nonnull(f);
	fputs(old, f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_msg(exited(&r, 125), "status %d: %s", r.status, run_tail(&r));
	assert_has(&r, "kernel.yama.ptrace_scope = 2 forbids");
	/* and back at the old value, it serves */
	run_as(MEMBER, NULL, ok, &r);
	assert_has(&r, "svrace thread: 0");
}
END_TEST

/* "svrace MODE" (svrace.c) as the member, supervised by @run */
static void svrace(const char *run, const char *mode, int n, struct run *r)
{
	char count[16];
	const char *argv[] = { run, "--supervise", path_of("svrace"), mode,
			       n ? count : NULL, NULL };

	snprintf(count, sizeof(count), "%d", n);
	run_as(MEMBER, NULL, argv, r);
	ck_assert_msg(exited(r, 0), "svrace %s: status %d:\n%s", mode,
		      r->status, run_tail(r));
	printf("%s", r->out);
}

/* "svrace M: N iterations, V violations, A accepted, R refused[, O other]" */
static void svrace_counts(const struct run *r, int *v, int *a, int *f,
			  int *o)
{
	const char *p = strchr(r->out, ':');
	int n;

	ck_assert_ptr_nonnull(p);
	*o = 0;
	ck_assert_int_ge(sscanf(p, ": %d iterations, %d violations, %d accepted, %d refused, %d other",
				&n, v, a, f, o), 4);
}

START_TEST(fd_named_twice_in_a_request_is_one_file)
{
	const char *run = broken_build ? path_of("bpfdev-run-broken") : RUN;
	int n = scaled(SV_RACE_ITERATIONS), v, a, f, o, runs = 1;
	static struct run r;

	svrace(run, "maps", n, &r);
	svrace_counts(&r, &v, &a, &f, &o);
	while (broken_build && !v && runs++ < RACE_RUNS_BROKEN) {
		svrace(run, "maps", n, &r);
		svrace_counts(&r, &v, &a, &f, &o);
	}
	if (race_verdict("supervised fd named twice", n, v, a, f))
		return;
	ck_assert_int_eq(a, n);
}
END_TEST

START_TEST(prog_type_flip_while_served)
{
	int n = scaled(SV_RACE_ITERATIONS), v, a, f, o;
	static struct run r;

	svrace(RUN, "type", n, &r);
	svrace_counts(&r, &v, &a, &f, &o);
	ck_assert_int_eq(v, 0);
	/* both types were read: the flips reached the supervisor's copy */
	ck_assert_int_gt(a, 0);
	ck_assert_int_gt(f, 0);
	ck_assert_int_eq(o, 0);
}
END_TEST

/* cgrace @mode under the supervisor: never attached anywhere but its cgroup */
static void cgrace_supervised(const char *mode)
{
	char cg[256], n[16];
	const char *argv[] = { RUN, "--supervise", path_of("cgrace"),
			       mode, cg, n, NULL };
	static struct run r;
	int v, a, f, o;

	ck_assert_int_eq(root_param_write("delegate_cmds", CMDS_WITH_LINK), 0);
	delegated_cgroup(cg, sizeof(cg), "bpfdev-sv");
	snprintf(n, sizeof(n), "%d", scaled(SV_RACE_ITERATIONS));
	run_as(MEMBER, NULL, argv, &r);
	ck_assert_msg(exited(&r, 0), "cgrace: %s", run_tail(&r));
	printf("%s", r.out);
	ck_assert_int_eq(sscanf(strchr(r.out, ':'), ": %*d iterations, %d violations, %d attached, %d refused, %d other",
				&v, &a, &f, &o), 4);
	ck_assert_int_eq(v, 0);
	/* the delegated cgroup attached, the root cgroup refused: raced */
	ck_assert_int_gt(a, 0);
	ck_assert_int_gt(f, 0);
	ck_assert_int_eq(o, 0);
}

START_TEST(cgroup_link_fd_swap_race_supervised)
{
	cgrace_supervised("interposer");
}
END_TEST

/* BPF_PROG_ATTACH and BPF_PROG_DETACH (the fds fetched once) */
START_TEST(cgroup_prog_attach_fd_swap_race_supervised)
{
	cgrace_supervised("attach-interposer");
}
END_TEST

START_TEST(programs_own_seccomp_filter_wins)
{
	static struct run r;

	svrace(RUN, "sandbox", 0, &r);
	assert_has(&r, "svrace sandbox: before 0, after EACCES");
	/* a filter of its own that allows bpf(2): the module's rule */
	svrace(RUN, "filtered", 0, &r);
	assert_has(&r, "svrace filtered: before 0, after EPERM");
}
END_TEST

START_TEST(new_user_namespace_is_refused)
{
	static struct run r;

	svrace(RUN, "userns", 0, &r);
	assert_has(&r, "svrace userns: before 0, after EPERM");
}
END_TEST

START_TEST(threads_are_served)
{
	const char *argv[] = { RUN, "--supervise", path_of("threads"),
			       NULL };
	static struct run r;

	svrace(RUN, "thread", 0, &r);
	assert_has(&r, "svrace thread: 0");
	/*
	 * A thread with a table of its own: on 6.1 a pidfd reads the
	 * leader's, so it is refused; 6.12's thread pidfd reads its own.
	 */
	svrace(RUN, "unshared", 0, &r);
	assert_has(&r, kernel_is_61() ? "svrace unshared: EPERM" :
				       "svrace unshared: 0");
	run_as(MEMBER, NULL, argv, &r);
	ck_assert_msg(exited(&r, 0), "threads: %s", run_tail(&r));
}
END_TEST

/*
 * A caller killed in the middle of its loads: the supervisor keeps nothing
 * (its fds are as before, the programs are gone) and serves the next one.
 */
START_TEST(caller_killed_mid_call_leaves_nothing)
{
	char script[1024];
	const char *argv[] = { RUN, "--supervise", "/bin/sh", "-c", script,
			       NULL };
	static struct run r;
	struct objs before;
	const char *p;
	int a, b;

	objs_snapshot(&before);
	snprintf(script, sizeof(script),
		 "%s loop & p=$!; sleep 3; kill -9 $p; wait $p; %s",
		 path_of("svrace"), path_of("sockcount"));
	run_as(MEMBER, debug_env, argv, &r);
	assert_sockcount_ok(&r);
	assert_has(&r, "loop: loading");
	/* the supervisor's fds at the start and at the end (BPFDEV_DEBUG) */
	p = strstr(r.out, "supervising pid");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(sscanf(p, "supervising pid %*d: %d fds open", &a), 1);
	p = strstr(r.out, "done: ");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(sscanf(p, "done: %d fds open", &b), 1);
	ck_assert_int_eq(a, b);
	ck_assert_msg(objs_settle_to(&before), "objects left behind");
}
END_TEST

/* bpfdev-run outlives the command for its daemon, which stays served */
START_TEST(daemon_stays_served)
{
	const char *out = "/tmp/bpfdev-sv-daemon.out";
	char script[512];
	const char *argv[] = { RUN, "--supervise", "/bin/sh", "-c", script,
			       NULL };
	static struct run r;
	FILE *f;
	size_t n;

	unlink(out);
	snprintf(script, sizeof(script),
		 "(sleep 2; exec %s) > %s 2>&1 & echo parent gone",
		 path_of("sockcount"), out);
	run_as(MEMBER, NULL, argv, &r);
	ck_assert_msg(exited(&r, 0), "%s", run_tail(&r));
	assert_has(&r, "parent gone");
	f = fopen(out, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(r.out, 1, sizeof(r.out) - 1, f);
	r.out[n] = '\0';
	fclose(f);
	unlink(out);
	assert_has(&r, "sockcount: ok");
}
END_TEST

/* Without its supervisor, a program's bpf(2) fails ENOSYS: never hangs */
START_TEST(supervisor_killed_calls_fail_enosys)
{
	char script[512];
	const char *argv[] = { RUN, "--supervise", "/bin/sh", "-c", script,
			       NULL };
	static struct run r;

	snprintf(script, sizeof(script),
		 "kill -9 $PPID; sleep 1; %s; echo \"exit=$?\"",
		 path_of("sockcount"));
	run_as(MEMBER, NULL, argv, &r);
	ck_assert_msg(WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGKILL,
		      "status %d: %s", r.status, run_tail(&r));
	assert_has(&r, "Function not implemented");
	ck_assert_msg(!strstr(r.out, "exit=0"), "%s", run_tail(&r));
	assert_has(&r, "exit=");
}
END_TEST

/* Debian's cilium/ebpf programs (tests/go), Debian's build and a static one */
static const struct go_program {
	const char *name, *arg, *reason, *counts;
} go_programs[] = {
	{ "gosock", NULL, "a Go program", "gosock: packets=5 len21=2" },
	{ "gosock-static", NULL, "statically linked",
	  "gosock: packets=5 len21=2" },
	{ "gocoll", "gocount.bpf.o", "a Go program",
	  "gocoll: packets=5 len21=2" },
	{ "gocoll-static", "gocount.bpf.o", "statically linked",
	  "gocoll: packets=5 len21=2" },
};

static void go_assert_ok(const struct run *r, const struct go_program *g)
{
	char ok[64];

	ck_assert_msg(exited(r, 0), "%s: status %d:\n%s", g->name, r->status,
		      run_tail(r));
	assert_has(r, g->counts);
	snprintf(ok, sizeof(ok), "%.6s: ok", g->name);
	assert_has(r, ok);
}

/*
 * Each Go program: root's results for a member through plain bpfdev-run,
 * which picks the supervisor for it and says why, and through
 * --supervise; refused without bpfdev-run, and for an outsider.
 */
START_TEST(go_program_runs_as_root_runs_it)
{
	const struct go_program *g = &go_programs[_i];
	const char *prog = path_of(g->name);
	const char *obj = g->arg ? path_of(g->arg) : NULL;
	const char *alone[] = { prog, obj, NULL };
	const char *plain[] = { RUN, prog, obj, NULL };
	const char *sv[] = { RUN, "--supervise", prog, obj, NULL };
	char line[256];
	static struct run r;

	run_as(ROOT, NULL, alone, &r);
	go_assert_ok(&r, g);
	run_as(MEMBER, NULL, alone, &r);
	ck_assert_msg(!exited(&r, 0), "%s ran unserved:\n%s", g->name,
		      run_tail(&r));
	assert_has(&r, "operation not permitted");
	run_as(MEMBER, debug_env, plain, &r);
	go_assert_ok(&r, g);
	snprintf(line, sizeof(line), "bpfdev-run: %s: supervised (%s)", prog,
		 g->reason);
	assert_has(&r, line);
	assert_has(&r, "bpf(PROG_LOAD) of pid");
	run_as(MEMBER, NULL, sv, &r);
	go_assert_ok(&r, g);
	run_as(OUTSIDER, NULL, plain, &r);
	ck_assert_msg(!exited(&r, 0), "outsider served:\n%s", run_tail(&r));
}
END_TEST

/* glibc programs stay with the interposer, and say so */
START_TEST(glibc_program_is_interposed)
{
	const char *argv[] = { RUN, path_of("sockcount"), NULL };
	char line[256];
	static struct run r;

	run_as(MEMBER, debug_env, argv, &r);
	assert_sockcount_ok(&r);
	snprintf(line, sizeof(line),
		 "bpfdev-run: %s: interposed (dynamically linked with glibc)",
		 argv[1]);
	assert_has(&r, line);
	assert_has(&r, "bpf(PROG_LOAD) via /dev/bpf");
}
END_TEST

/* Successful PROG_LOADs the supervisor served in @r (BPFDEV_DEBUG lines) */
static int served_loads(const struct run *r)
{
	const char *p = r->out;
	int n = 0, fd;

	while ((p = strstr(p, "bpf(PROG_LOAD) of pid"))) {
		p = strstr(p, "via the device: ");
		if (!p)
			break;
		p += strlen("via the device: ");
		if (sscanf(p, "%d", &fd) == 1 && fd >= 0)
			n++;
	}
	return n;
}

/*
 * 1,000 loads from 8 goroutines at once, while Go preempts its threads
 * with SIGURG: each served once, none lost or hung. cilium/ebpf's own
 * probes are the loads of a run that asks for none.
 */
START_TEST(go_goroutines_load_concurrently)
{
	const char *none[] = { RUN, path_of("gosock"), "loads", "0", NULL };
	const char *many[] = { RUN, path_of("gosock"), "loads", "1000", NULL };
	static struct run r;
	struct objs before;
	int probes;

	objs_snapshot(&before);
	run_as(MEMBER, debug_env, none, &r);
	ck_assert_msg(exited(&r, 0), "%s", run_tail(&r));
	probes = served_loads(&r);
	run_as(MEMBER, debug_env, many, &r);
	ck_assert_msg(exited(&r, 0), "%s", run_tail(&r));
	assert_has(&r, "gosock: loads=1000 failures=0");
	ck_assert_int_eq(served_loads(&r), probes + 1000);
	ck_assert_msg(objs_settle_to(&before), "programs left behind");
}
END_TEST

const struct suite_def supervise_suite = { "supervise", {
	{ "programs", .timeout = 300, .reset_grant = 1, .tests = {
		TEST(static_program_runs_supervised_as_root_runs_it),
		TEST(dynamic_skeleton_runs_supervised_never_interposed),
		TEST(outsider_is_not_served),
		TEST(programs_own_seccomp_filter_wins),
		TEST(new_user_namespace_is_refused),
		TEST(threads_are_served),
		TEST(unreadable_program_or_yama_fails_at_start),
	} },
	{ "lifetime", .timeout = 300, .reset_grant = 1, .tests = {
		TEST(caller_killed_mid_call_leaves_nothing),
		TEST(daemon_stays_served),
		TEST(supervisor_killed_calls_fail_enosys),
	} },
	{ "go", .timeout = 600, .reset_grant = 1, .tests = {
		LOOP_TEST(go_program_runs_as_root_runs_it, 4),
		TEST(glibc_program_is_interposed),
		TEST(go_goroutines_load_concurrently),
	} },
	{ "races", .timeout = 900, .reset_grant = 1, .tests = {
		RACE(fd_named_twice_in_a_request_is_one_file),
		TEST(prog_type_flip_while_served),
		TEST(cgroup_link_fd_swap_race_supervised),
		TEST(cgroup_prog_attach_fd_swap_race_supervised),
	} },
} };
