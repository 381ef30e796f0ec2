// SPDX-License-Identifier: GPL-2.0
/*
 * libbpfdev's interposer and bpfdev-run with unmodified programs: a libbpf
 * skeleton program, Debian's bpftool, libbpf's feature probes, and a
 * multi-threaded loader, run as the users they would run as; and (tcase
 * harmless) tests/libbpf/host.c, a program that does to the library what
 * programs do: setgid, terminals, signal and fork handlers, bad pointers,
 * fork() from threads, setuid(), fd 2 reused.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#ifndef BPFDEV_LIBRARY
#define BPFDEV_LIBRARY "/usr/lib/x86_64-linux-gnu/libbpfdev.so.0"
#endif
#define GROUP_PINS	"/sys/fs/bpf/bpf-group"
#define CMDS_WITH_LINK "map_create:prog_load:btf_load:map_freeze:link_create"

static const char *const debug_env[] = { "BPFDEV_DEBUG=1", NULL };

START_TEST(skeleton_program_runs_through_bpfdev_run)
{
	const char *argv[] = { "/usr/bin/bpfdev-run", prog_path("sockcount"),
			       NULL };
	static struct run r;

	run_as(MEMBER, debug_env, argv, &r);
	ck_assert_msg(exited(&r, 0), "status %d:\n%s", r.status, run_tail(&r));
	assert_has(&r, "sockcount: packets=5 matched=2 events=2");
	assert_has(&r, "sockcount: ok");
	assert_has(&r, "bpf(BTF_LOAD) via /dev/bpf");
	assert_has(&r, "bpf(PROG_LOAD) via /dev/bpf");
	/* libbpf freezes .rodata: through the device on every kernel */
	assert_has(&r, "bpf(MAP_FREEZE) via /dev/bpf: 0");
	/* map lookups and the like go straight to bpf(2), named, answered */
	assert_has(&r, "bpf(OBJ_GET_INFO_BY_FD) via bpf(2): 0");
}
END_TEST

START_TEST(skeleton_program_without_the_interposer_is_refused)
{
	const char *argv[] = { prog_path("sockcount"), NULL };
	static struct run r;

	run_as(MEMBER, NULL, argv, &r);
	ck_assert(!exited(&r, 0));
	assert_has(&r, "Operation not permitted");
}
END_TEST

static void group_pins_setup(void)
{
	struct stat st;

	/* as an administrator would: a bpffs directory the group may use */
	ck_assert_int_eq(chmod("/sys/fs/bpf", 0711), 0);
	if (mkdir(GROUP_PINS, 01770) && errno != EEXIST)
		ck_abort_msg("mkdir: %s", strerror(errno));
	ck_assert_int_eq(chown(GROUP_PINS, 0, (gid_t)bpf_gid()), 0);
	ck_assert_int_eq(chmod(GROUP_PINS, 01770), 0);
	ck_assert_int_eq(stat(GROUP_PINS, &st), 0);
}

START_TEST(bpftool_prog_load_pins_into_group_bpffs)
{
	char obj[PATH_MAX + 64], pin[128];
	struct stat st;
	static struct run r;

	group_pins_setup();
	snprintf(obj, sizeof(obj), "%s", prog_path("sockcount.bpf.o"));
	snprintf(pin, sizeof(pin), GROUP_PINS "/prog-%d", getpid());
	{
		const char *argv[] = { "/usr/bin/bpfdev-run", "bpftool", "prog",
				       "load", obj, pin, NULL };

		run_as(MEMBER, NULL, argv, &r);
		ck_assert_msg(exited(&r, 0), "bpftool prog load: %d\n%s",
			      r.status, run_tail(&r));
	}
	ck_assert_int_eq(stat(pin, &st), 0);
	ck_assert_uint_eq(st.st_uid, MEMBER_UID);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	{
		const char *argv[] = { "/usr/sbin/bpftool", "prog", "show",
				       "pinned", pin, NULL };

		run_as(MEMBER, NULL, argv, &r);
		ck_assert_msg(exited(&r, 0), "%s", run_tail(&r));
		assert_has(&r, "socket_filter");
		assert_has(&r, "count_packets");
	}
}
END_TEST

START_TEST(bpftool_map_create_update_lookup_dump)
{
	char pin[128];
	static struct run r;

	group_pins_setup();
	snprintf(pin, sizeof(pin), GROUP_PINS "/map-%d", getpid());
	{
		const char *argv[] = { "/usr/bin/bpfdev-run", "bpftool", "map",
				       "create", pin, "type", "hash", "key",
				       "4", "value", "4", "entries", "8",
				       "name", "groupmap", NULL };

		run_as(MEMBER, NULL, argv, &r);
		ck_assert_msg(exited(&r, 0), "map create:\n%s", run_tail(&r));
	}
	{
		const char *argv[] = { "/usr/bin/bpfdev-run", "bpftool", "map",
				       "update", "pinned", pin, "key", "1", "0",
				       "0", "0", "value", "2", "0", "0", "0",
				       NULL };

		run_as(MEMBER, NULL, argv, &r);
		ck_assert_msg(exited(&r, 0), "map update:\n%s", run_tail(&r));
	}
	{
		const char *argv[] = { "/usr/bin/bpfdev-run", "bpftool", "map",
				       "lookup", "pinned", pin, "key", "1", "0",
				       "0", "0", NULL };

		run_as(MEMBER, NULL, argv, &r);
		ck_assert_msg(exited(&r, 0), "map lookup:\n%s", run_tail(&r));
		assert_has(&r, "value: 02 00 00 00");
	}
	{
		const char *argv[] = { "/usr/bin/bpfdev-run", "bpftool", "map",
				       "dump", "pinned", pin, NULL };

		run_as(MEMBER, NULL, argv, &r);
		ck_assert_msg(exited(&r, 0), "map dump:\n%s", run_tail(&r));
		assert_has(&r, "key: 01 00 00 00  value: 02 00 00 00");
		assert_has(&r, "Found 1 element");
	}
}
END_TEST

START_TEST(bpftool_shows_the_members_programs_and_maps)
{
	char obj[PATH_MAX + 64], pin[128], maps[128], events[160], line[64];
	static struct run r;
	unsigned int id;
	int i;

	group_pins_setup();
	snprintf(obj, sizeof(obj), "%s", prog_path("sockcount.bpf.o"));
	snprintf(pin, sizeof(pin), GROUP_PINS "/show-%d", getpid());
	snprintf(maps, sizeof(maps), GROUP_PINS "/show-maps-%d", getpid());
	{
		const char *argv[] = { "/usr/bin/bpfdev-run", "bpftool", "prog",
				       "load", obj, pin, "pinmaps", maps, NULL };

		run_as(MEMBER, NULL, argv, &r);
		ck_assert_msg(exited(&r, 0), "bpftool prog load: %d\n%s",
			      r.status, run_tail(&r));
	}
	/* the program and its maps, held by their pins */
	{
		const char *argv[] = { "/usr/bin/bpfdev-run", "bpftool", "prog",
				       "show", NULL };

		run_as(MEMBER, NULL, argv, &r);
		ck_assert_msg(exited(&r, 0), "bpftool prog show: %d\n%s",
			      r.status, run_tail(&r));
		assert_has(&r, "socket_filter  name count_packets");
	}
	{
		const char *argv[] = { "/usr/bin/bpfdev-run", "bpftool", "map",
				       "show", NULL };

		run_as(MEMBER, NULL, argv, &r);
		ck_assert_msg(exited(&r, 0), "bpftool map show: %d\n%s",
			      r.status, run_tail(&r));
		assert_has(&r, "ringbuf  name events");
	}
	/*
	 * Unpinned (bpffs lets go of it after an RCU grace period), nobody
	 * holds them: the member lists them no more.
	 */
	{
		const char *argv[] = { "/usr/sbin/bpftool", "prog", "show",
				       "pinned", pin, NULL };

		run_as(MEMBER, NULL, argv, &r);
		ck_assert_msg(exited(&r, 0), "%s", run_tail(&r));
		ck_assert_int_eq(sscanf(r.out, "%u:", &id), 1);
		/* as a line of its own: "12:" is not "112:" */
		snprintf(line, sizeof(line), "\n%u: socket_filter", id);
	}
	/*
	 * The object's BTF, closed by bpftool's exit, listed while the
	 * program and maps it describes live, and read for a map's dump.
	 */
	{
		const char *argv[] = { "/usr/bin/bpfdev-run", "bpftool", "btf",
				       "list", NULL };
		char want[32];

		run_as(MEMBER, NULL, argv, &r);
		ck_assert_msg(exited(&r, 0), "bpftool btf list: %d\n%s",
			      r.status, run_tail(&r));
		snprintf(want, sizeof(want), "prog_ids %u", id);
		assert_has(&r, want);
		assert_has(&r, "map_ids ");
	}
	{
		char bss[160];
		const char *argv[] = { "/usr/bin/bpfdev-run", "bpftool", "map",
				       "dump", "pinned", bss, NULL };

		snprintf(bss, sizeof(bss), "%s/sockcoun_bss", maps);
		run_as(MEMBER, NULL, argv, &r);
		ck_assert_msg(exited(&r, 0), "bpftool map dump: %d\n%s",
			      r.status, run_tail(&r));
		assert_has(&r, "\"packets\"");
		assert_has(&r, "\"matched\"");
	}
	ck_assert_int_eq(unlink(pin), 0);
	snprintf(events, sizeof(events), "%s/events", maps);
	ck_assert_int_eq(unlink(events), 0);
	for (i = 0; i < 20; i++) {
		const char *argv[] = { "/usr/bin/bpfdev-run", "bpftool", "prog",
				       "show", NULL };

		run_as(MEMBER, NULL, argv, &r);
		ck_assert_msg(exited(&r, 0), "bpftool prog show: %d\n%s",
			      r.status, run_tail(&r));
		if (!strstr(r.out, line) && strncmp(r.out, line + 1,
						      strlen(line + 1)))
			break;
		usleep(200 * 1000);
	}
	ck_assert_msg(i < 20, "still listed:\n%s", run_tail(&r));
	{
		const char *argv[] = { "/bin/rm", "-r", maps, NULL };

		run_as(ROOT, NULL, argv, &r);
		ck_assert_msg(exited(&r, 0), "%s", run_tail(&r));
	}
}
END_TEST

/*
 * libbpf 1.1 looks for a type vmlinux lacks in the kernel modules' BTF by
 * listing every BTF object; the member's listing ends (its own BTF, then
 * ENOENT) and the object loads, where EPERM used to fail the whole load.
 */
START_TEST(core_type_missing_from_vmlinux_loads)
{
	char loadobj[PATH_MAX + 64], obj[PATH_MAX + 64];
	const char *argv[] = { "/usr/bin/bpfdev-run", loadobj, obj, NULL };
	static struct run r;

	snprintf(loadobj, sizeof(loadobj), "%s", prog_path("loadobj"));
	snprintf(obj, sizeof(obj), "%s", prog_path("corecands.bpf.o"));
	run_as(MEMBER, NULL, argv, &r);
	ck_assert_msg(exited(&r, 0), "%s", run_tail(&r));
	assert_has(&r, "loadobj: load: ok");
}
END_TEST

START_TEST(libbpf_feature_probes_see_delegated_types)
{
	const char *argv[] = { "/usr/bin/bpfdev-run", prog_path("probe"), NULL };
	static struct run r;

	run_as(MEMBER, NULL, argv, &r);
	ck_assert_msg(exited(&r, 0), "%s", run_tail(&r));
	assert_has(&r, "prog socket_filter 1\n");
	assert_has(&r, "prog cgroup_skb 1\n");
	assert_has(&r, "map hash 1\n");
	assert_has(&r, "map array 1\n");
	assert_has(&r, "map ringbuf 1\n");
	assert_has(&r, "map percpu_array 1\n");
	/* not delegated: missing, as it is */
	assert_has(&r, "prog xdp 0\n");
	assert_has(&r, "map lru_hash 0\n");
}
END_TEST

START_TEST(denied_type_fails_like_libbpf_and_leaves_nothing)
{
	const char *argv[] = { "/usr/bin/bpfdev-run", prog_path("loadobj"),
			       NULL, NULL };
	char obj[PATH_MAX + 64];
	struct objs before;
	static struct run r;

	snprintf(obj, sizeof(obj), "%s", prog_path("xdp_pass.bpf.o"));
	argv[1] = prog_path("loadobj");
	argv[2] = obj;
	objs_snapshot(&before);
	run_as(MEMBER, NULL, argv, &r);
	ck_assert(exited(&r, 1));
	assert_has(&r, "BPF program load failed: Operation not permitted");
	assert_has(&r, "loadobj: load: Operation not permitted");
	ck_assert_msg(objs_settle_to(&before), "objects left behind");
}
END_TEST

/*
 * Why was it refused: bpfdev-run --explain says it after the command
 * exited, and BPFDEV_DEBUG=1 with the failed call.
 */
START_TEST(explain_and_debug_say_why_a_load_was_refused)
{
	char loadobj[PATH_MAX + 64], obj[PATH_MAX + 64];
	const char *argv[] = { "/usr/bin/bpfdev-run", "--explain", loadobj,
			       obj, NULL };
	const char *env[] = { "BPFDEV_DEBUG=1", NULL };
	static struct run r;

	snprintf(loadobj, sizeof(loadobj), "%s", prog_path("loadobj"));
	snprintf(obj, sizeof(obj), "%s", prog_path("xdp_pass.bpf.o"));
	run_as(MEMBER, NULL, argv, &r);
	ck_assert_msg(exited(&r, 1), "status %d:\n%s", r.status, run_tail(&r));
	assert_has(&r, "bpfdev-run: refused: prog_load prog_type=xdp attach_type=xdp: prog_type (EPERM) [pid ");
	assert_has(&r, " loadobj]");
	run_as(MEMBER, env, argv, &r);
	assert_has(&r, "bpf(PROG_LOAD) via /dev/bpf: -1 Operation not permitted (refused: prog_type)");
}
END_TEST

START_TEST(outsider_sees_what_it_would_without_the_interposer)
{
	char loadobj[PATH_MAX + 64], obj[PATH_MAX + 64], preload[300];
	const char *env[] = { preload, NULL };
	static struct run with, without;

	snprintf(loadobj, sizeof(loadobj), "%s", prog_path("loadobj"));
	snprintf(obj, sizeof(obj), "%s", prog_path("sockcount.bpf.o"));
	snprintf(preload, sizeof(preload), "LD_PRELOAD=%s", BPFDEV_LIBRARY);
	{
		const char *argv[] = { loadobj, obj, NULL };

		run_as(OUTSIDER, env, argv, &with);
		run_as(OUTSIDER, NULL, argv, &without);
	}
	ck_assert_int_eq(with.status, without.status);
	ck_assert_str_eq(with.out, without.out);
	ck_assert(!exited(&with, 0));
}
END_TEST

START_TEST(threads_load_at_once)
{
	const char *argv[] = { "/usr/bin/bpfdev-run", prog_path("threads"),
			       NULL };
	static struct run r;

	run_as(MEMBER, NULL, argv, &r);
	ck_assert_msg(exited(&r, 0), "%s", run_tail(&r));
	assert_has(&r, "threads: 4 threads x 50 rounds, 0 failures");
}
END_TEST

START_TEST(device_fd_replaced_under_the_interposer)
{
	const char *argv[] = { "/usr/bin/bpfdev-run", prog_path("threads"),
			       "--churn", NULL };
	static struct run r;

	run_as(MEMBER, debug_env, argv, &r);
	ck_assert_msg(exited(&r, 0), "%s", run_tail(&r));
	assert_has(&r, "is no longer /dev/bpf: reopening");
	assert_has(&r, "0 failures");
}
END_TEST

START_TEST(privileged_caller_gets_plain_syscall)
{
	char preload[300], obj[PATH_MAX + 64];
	const char *env[] = { preload, "BPFDEV_DEBUG=1", NULL };
	const char *argv[] = { NULL, obj, NULL };
	static struct run r;

	snprintf(preload, sizeof(preload), "LD_PRELOAD=%s", BPFDEV_LIBRARY);
	snprintf(obj, sizeof(obj), "%s", prog_path("sockcount.bpf.o"));
	argv[0] = prog_path("loadobj");
	run_as(ROOT, env, argv, &r);
	ck_assert_msg(exited(&r, 0), "%s", run_tail(&r));
	assert_has(&r, "caller is privileged: bpf(2) directly");
	ck_assert_ptr_null(strstr(r.out, "via /dev/bpf"));
}
END_TEST

START_TEST(bpfdev_device_selects_the_node)
{
	const char *env[] = { "BPFDEV_DEVICE=/dev/null", "BPFDEV_DEBUG=1",
			      NULL };
	const char *argv[] = { "/usr/bin/bpfdev-run", prog_path("sockcount"),
			       NULL };
	static struct run r;

	run_as(MEMBER, env, argv, &r);
	ck_assert(!exited(&r, 0));
	assert_has(&r, "/dev/null is not a bpfdev device: bpf(2) directly");
}
END_TEST

START_TEST(api_linked_program)
{
	const char *argv[] = { prog_path("apitest"), NULL };
	static struct run r;

	run_as(MEMBER, NULL, argv, &r);
	ck_assert_msg(exited(&r, 0), "%s", run_tail(&r));
	assert_has(&r, "apitest: ok");
}
END_TEST

/* In both modes: busybox's sh, static, is supervised unless told */
START_TEST(bpfdev_run_keeps_exit_status_and_signals)
{
	static const char *const modes[] = { "--interpose", "--supervise" };
	static struct run r;
	size_t m;

	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		const char *code[] = { "/usr/bin/bpfdev-run", modes[m], "sh",
				       "-c", "exit 7", NULL };
		const char *sig[] = { "/usr/bin/bpfdev-run", modes[m], "sh",
				      "-c", "kill -TERM $$", NULL };
		const char *none[] = { "/usr/bin/bpfdev-run", modes[m],
				       "/no/such/cmd", NULL };

		run_as(MEMBER, NULL, code, &r);
		ck_assert_msg(exited(&r, 7), "%s: status %d", modes[m],
			      r.status);
		run_as(MEMBER, NULL, sig, &r);
		ck_assert_msg(WIFSIGNALED(r.status) &&
			      WTERMSIG(r.status) == SIGTERM, "%s: status %d",
			      modes[m], r.status);
		run_as(MEMBER, NULL, none, &r);
		ck_assert_msg(exited(&r, 127), "%s: status %d", modes[m],
			      r.status);
	}
	{
		const char *argv[] = { "/usr/bin/bpfdev-run", "--interpose",
				       "sh", "-c", "echo \"$LD_PRELOAD\"", NULL };

		run_as(MEMBER, NULL, argv, &r);
		assert_has(&r, BPFDEV_LIBRARY);
	}
}
END_TEST

/*
 * The interposer must not hurt the program it lives in (issue 14 item 4).
 * tests/libbpf/host.c is that program, linked with -lbpfdev; each mode
 * does one thing programs do, and prints what it saw.
 */
static void host_run(enum who who, const char *const env[], const char *mode,
		     const char *arg1, const char *arg2, const char *arg3,
		     struct run *r)
{
	const char *argv[] = { prog_path("host"), mode, arg1, arg2, arg3,
			       NULL };

	run_as(who, env, argv, r);
	ck_assert_msg(!WIFSIGNALED(r->status), "host %s: signal %d:\n%s", mode,
		      WTERMSIG(r->status), run_tail(r));
	ck_assert_msg(exited(r, 0), "host %s: status %d:\n%s", mode,
		      r->status, run_tail(r));
}

/* A setgid copy of host: the loader runs it in secure-execution mode. */
static void setgid_host(char *path, size_t len)
{
	char buf[65536];
	ssize_t n;
	int in, out;

	/* /tmp is nosuid in the guest; the initramfs root is not */
	snprintf(path, len, "/var/tmp/host-setgid-%d", getpid());
	in = open(prog_path("host"), O_RDONLY);
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0700);
	ck_assert_int_ge(in, 0);
	ck_assert_int_ge(out, 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
	ck_assert_int_eq(chown(path, 0, (gid_t)bpf_gid()), 0);
	ck_assert_int_eq(chmod(path, 02755), 0);
}

START_TEST(setgid_program_ignores_bpfdev_device_and_debug)
{
	char fifo[64], host[64], dev_env[100];
	const char *env[] = { dev_env, "BPFDEV_DEBUG=1", NULL };
	char events[4096];
	static struct run r;
	int in;

	snprintf(fifo, sizeof(fifo), "/tmp/fifo-%d", getpid());
	ck_assert_int_eq(mkfifo(fifo, 0666), 0);
	ck_assert_int_eq(chmod(fifo, 0666), 0);
	snprintf(dev_env, sizeof(dev_env), "BPFDEV_DEVICE=%s", fifo);
	in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	ck_assert_int_ge(in, 0);
	ck_assert_int_ge(inotify_add_watch(in, fifo, IN_OPEN), 0);
	setgid_host(host, sizeof(host));
	{
		const char *argv[] = { host, "secure", NULL };

		run_as(MEMBER, env, argv, &r);
	}
	ck_assert_msg(exited(&r, 0), "status %d:\n%s", r.status, run_tail(&r));
	assert_has(&r, "secure: 1\n");
	/* the user's path was not even opened, the node is /dev/bpf */
	ck_assert_int_eq(read(in, events, sizeof(events)), -1);
	ck_assert_int_eq(errno, EAGAIN);
	assert_has(&r, "open: ok\n");
	assert_has(&r, "load: ok\n");
	/* and the user's BPFDEV_DEBUG=1 gets no look inside */
	ck_assert_msg(!strstr(r.out, "libbpfdev["), "debug output:\n%s",
		      run_tail(&r));
	unlink(host);
	unlink(fifo);
}
END_TEST

START_TEST(tty_as_bpfdev_device_never_becomes_the_controlling_tty)
{
	static struct run r;

	host_run(MEMBER, debug_env, "ctty", NULL, NULL, NULL, &r);
	assert_has(&r, "is not a bpfdev device: bpf(2) directly");
	assert_has(&r, "ctty: none\n");
}
END_TEST

START_TEST(kernel_ebadf_is_answered_not_reissued)
{
	long failed, executed;
	static struct run r;

	failed = stats_counter("failed_prog_load");
	executed = stats_counter("executed_prog_load");
	host_run(MEMBER, NULL, "badmap", NULL, NULL, NULL, &r);
	/* bpf(2)'s EBADF, through the device: one verifier run, one record */
	assert_has(&r, "load: Bad file descriptor\n");
	ck_assert_int_eq(stats_counter("failed_prog_load"), failed + 1);
	ck_assert_int_eq(stats_counter("executed_prog_load"), executed);
}
END_TEST

START_TEST(cgroup_link_helper_is_invisible_to_the_program)
{
	char cg[256];
	static struct run r;

	ck_assert_int_eq(root_param_write("delegate_cmds", CMDS_WITH_LINK), 0);
	delegated_cgroup(cg, sizeof(cg), "bpfdev-host");
	host_run(MEMBER, NULL, "cgroup", cg, "20", NULL, &r);
	printf("%s", r.out);
	/* every attach made a live link, in spite of the SIGALRM storm */
	assert_has(&r, "links: 20 of 20\n");
	assert_has(&r, "alarms: some\n");
	/* and the program saw no child: no SIGCHLD, no fork handler, none
	 * for its waitpid(-1) */
	assert_has(&r, "sigchld: 0\n");
	assert_has(&r, "atfork: 0\n");
	assert_has(&r, "reaped: 0\n");
	rmdir(cg);
}
END_TEST

START_TEST(bad_attr_pointer_is_efault_not_sigsegv)
{
	static struct run r;

	host_run(MEMBER, NULL, "efault", NULL, NULL, NULL, &r);
	assert_has(&r, "bad pointer: -1 Bad address\n");
	/* attach_type is beyond the size: not read, so no fault */
	assert_has(&r, "short attr: -1\n");
}
END_TEST

START_TEST(fork_while_a_thread_is_inside_the_library)
{
	const char *env[] = { "BPFDEV_DEVICE=/nonexistent", "BPFDEV_DEBUG=1",
			      NULL };
	static struct run r;

	/* a thread blocks writing a debug line; the child must not hang */
	host_run(MEMBER, env, "atfork", NULL, NULL, NULL, &r);
	assert_has(&r, "child: exit 0\n");
}
END_TEST

START_TEST(root_that_becomes_a_member_then_uses_the_device)
{
	char uid[16], gid[16];
	static struct run r;

	snprintf(uid, sizeof(uid), "%d", MEMBER_UID);
	snprintf(gid, sizeof(gid), "%d", bpf_gid());
	host_run(ROOT, debug_env, "credchange", uid, uid, gid, &r);
	assert_has(&r, "caller is privileged: bpf(2) directly");
	assert_has(&r, "root load: ok\n");
	assert_has(&r, "bpf(PROG_LOAD) via /dev/bpf: ");
	assert_has(&r, "user load: ok\n");
}
END_TEST

START_TEST(debug_lines_never_go_into_a_socket)
{
	static struct run r;

	host_run(MEMBER, debug_env, "debugsock", NULL, NULL, NULL, &r);
	assert_has(&r, "load: ok\n");
	assert_has(&r, "socket got: 0 bytes\n");
}
END_TEST

/*
 * A libbpf program of ours, run by the member through bpfdev-run with
 * @args; xdpcount attaches to a veth pair whose peer echoes its datagrams.
 */
static void member_runs(const char *prog, const char *const args[],
			const char *ok)
{
	char path[PATH_MAX + 64];
	const char *argv[8] = { "/usr/bin/bpfdev-run", path };
	int veth = !strcmp(prog, "xdpcount"), i;
	static struct run r;
	pid_t peer = 0;

	snprintf(path, sizeof(path), "%s", prog_path(prog));
	for (i = 0; args && args[i] && i < 5; i++)
		argv[i + 2] = args[i];
	if (veth)
		peer = veth_start();
	run_as(MEMBER, NULL, argv, &r);
	if (veth)
		veth_stop(peer);
	ck_assert_msg(exited(&r, 0), "%s: status %d:\n%s", prog, r.status,
		      run_tail(&r));
	assert_has(&r, ok);
}

static const char *const xdpcount_args[] = {
	VETH, VETH_PEER_ADDR, VETH_ECHO_PORT_S, NULL
};

/*
 * libbpf loads socket filters (its probes) before anything else: a grant
 * of XDP alone still runs a libbpf XDP program, attached to a veth with a
 * link and counting the echoes of the datagrams it sends beyond it.
 */
START_TEST(xdp_only_grant_runs_a_libbpf_xdp_program)
{
	ck_assert_int_eq(root_param_write("delegate_progs", "xdp"), 0);
	ck_assert_int_eq(root_param_write("delegate_attachs", "xdp"), 0);
	member_runs("xdpcount", xdpcount_args,
		    "xdpcount: ok: sent 10, counted 10");
}
END_TEST

/*
 * BPFDEV_KPROBE_MULTI=1: an ordinary libbpf kprobe and kretprobe, which
 * libbpf attaches through perf_event_open(2) (EACCES for a member), become
 * kprobe_multi links and count every call, on entry and on return. 6.1 has
 * no fprobe: the link is refused there, and the program says so.
 */
START_TEST(kprobes_attach_as_kprobe_multi_links)
{
	const char *env[] = { "BPFDEV_KPROBE_MULTI=1", NULL };
	char path[PATH_MAX + 64];
	const char *argv[] = { "/usr/bin/bpfdev-run", path, NULL };
	const char *edges[] = { "/usr/bin/bpfdev-run", path, "edges", NULL };
	static struct run r;

	snprintf(path, sizeof(path), "%s", prog_path("kprobecount"));
	ck_assert_int_eq(root_param_write("delegate_progs", "kprobe"), 0);
	ck_assert_int_eq(root_param_write("delegate_attachs",
					  "trace_kprobe_multi"), 0);
	run_as(MEMBER, env, argv, &r);
	if (kernel_is_612()) {
		/* ioctl(PERF_EVENT_IOC_SET_BPF): libbpf finds no perf link */
		ck_assert_msg(exited(&r, 0), "status %d:\n%s", r.status,
			      run_tail(&r));
		assert_has(&r, "kprobecount: ok: wrote 10, counted 10 in, 10 out");
		/* BPF_LINK_CREATE: its probe loads a tracepoint program */
		ck_assert_int_eq(root_param_write("delegate_progs",
						  "kprobe:tracepoint"), 0);
		run_as(MEMBER, env, argv, &r);
		ck_assert_msg(exited(&r, 0), "status %d:\n%s", r.status,
			      run_tail(&r));
		assert_has(&r, "kprobecount: ok: wrote 10, counted 10 in, 10 out");
		/* what it must not serve, or serve wrong */
		run_as(MEMBER, env, edges, &r);
		ck_assert_msg(exited(&r, 0), "status %d:\n%s", r.status,
			      run_tail(&r));
		assert_has(&r, "kprobecount: unknown function: ESRCH\n");
		assert_has(&r, "kprobecount: offset: EACCES\n");
		assert_has(&r, "kprobecount: set_bpf on an eventfd: EINVAL\n");
	} else {
		ck_assert_msg(exited(&r, 1), "status %d:\n%s", r.status,
			      run_tail(&r));
		assert_has(&r, "kprobecount: attach: ");
	}
	/* without it, perf_event_open(2) answers, as for any non-root */
	run_as(MEMBER, NULL, argv, &r);
	ck_assert_msg(exited(&r, 1), "status %d:\n%s", r.status, run_tail(&r));
	assert_has(&r, "perf event: Permission denied");
	run_as(MEMBER, NULL, edges, &r);
	assert_has(&r, "kprobecount: set_bpf on an eventfd: ENOTTY\n");
}
END_TEST

/* Which of our programs each delegated program type runs */
static const struct {
	const char *type, *prog;
	const char *const *args;
	const char *ok;
} example_progs[] = {
	{ "socket_filter", "sockcount", NULL, "sockcount: ok" },
	{ "xdp", "xdpcount", xdpcount_args,
	  "xdpcount: ok: sent 10, counted 10" },
	{ "tracing", "fentrycount", NULL,
	  "fentrycount: ok: wrote 10, counted 10" },
};

/*
 * bpfdev(4)'s EXAMPLES, as written (the options are read from the page at
 * build time): each runs the libbpf programs of the types it delegates.
 */
START_TEST(man_page_examples_run_as_written)
{
	const char *const *opts;
	size_t e, p;
	int ran;

	ck_assert_uint_ge(man_examples_count(), 2);
	for (e = 0; e < man_examples_count(); e++) {
		opts = man_example_opts(e);
		ck_assert_msg(!apply_options(opts), "example %zu", e);
		ran = 0;
		for (p = 0; p < ARRAY_LEN(example_progs); p++) {
			if (!example_delegates(opts, example_progs[p].type))
				continue;
			member_runs(example_progs[p].prog,
				    example_progs[p].args, example_progs[p].ok);
			ran++;
		}
		ck_assert_msg(ran, "example %zu runs none of our programs", e);
	}
}
END_TEST

const struct suite_def libbpfdev_suite = { "libbpfdev", {
	{ "interposer", .timeout = 120, .tests = {
		TEST(skeleton_program_runs_through_bpfdev_run),
		TEST(skeleton_program_without_the_interposer_is_refused),
		TEST(bpftool_prog_load_pins_into_group_bpffs),
		TEST(bpftool_map_create_update_lookup_dump),
		TEST(bpftool_shows_the_members_programs_and_maps),
		TEST(libbpf_feature_probes_see_delegated_types),
		TEST(core_type_missing_from_vmlinux_loads),
		TEST(denied_type_fails_like_libbpf_and_leaves_nothing),
		TEST(outsider_sees_what_it_would_without_the_interposer),
		TEST(threads_load_at_once),
		TEST(device_fd_replaced_under_the_interposer),
		TEST(privileged_caller_gets_plain_syscall),
		TEST(bpfdev_device_selects_the_node),
		TEST(api_linked_program),
		TEST(bpfdev_run_keeps_exit_status_and_signals),
	} },
	{ "grants", .timeout = 180, .reset_grant = 1, .tests = {
		TEST(xdp_only_grant_runs_a_libbpf_xdp_program),
		TEST(man_page_examples_run_as_written),
		TEST(kprobes_attach_as_kprobe_multi_links),
		TEST(explain_and_debug_say_why_a_load_was_refused),
	} },
	{ "harmless", .timeout = 180, .reset_grant = 1, .tests = {
		TEST(setgid_program_ignores_bpfdev_device_and_debug),
		TEST(tty_as_bpfdev_device_never_becomes_the_controlling_tty),
		TEST(kernel_ebadf_is_answered_not_reissued),
		TEST(cgroup_link_helper_is_invisible_to_the_program),
		TEST(bad_attr_pointer_is_efault_not_sigsegv),
		TEST(fork_while_a_thread_is_inside_the_library),
		TEST(root_that_becomes_a_member_then_uses_the_device),
		TEST(debug_lines_never_go_into_a_socket),
	} },
} };
