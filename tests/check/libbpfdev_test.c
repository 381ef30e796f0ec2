// SPDX-License-Identifier: GPL-2.0
/*
 * libbpfdev's interposer and bpfdev-run with unmodified programs: a libbpf
 * skeleton program, Debian's bpftool, libbpf's feature probes, and a
 * multi-threaded loader, run as the users they would run as.
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#ifndef BPFDEV_LIBRARY
#define BPFDEV_LIBRARY "/usr/lib/x86_64-linux-gnu/libbpfdev.so.0"
#endif
#define GROUP_PINS	"/sys/fs/bpf/bpf-group"

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
	/* map lookups and the like go straight to bpf(2) */
	assert_has(&r, "via bpf(2)");
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

START_TEST(bpfdev_run_keeps_exit_status_and_signals)
{
	static struct run r;

	{
		const char *argv[] = { "/usr/bin/bpfdev-run", "sh", "-c",
				       "exit 7", NULL };

		run_as(MEMBER, NULL, argv, &r);
		ck_assert(exited(&r, 7));
	}
	{
		const char *argv[] = { "/usr/bin/bpfdev-run", "sh", "-c",
				       "kill -TERM $$", NULL };

		run_as(MEMBER, NULL, argv, &r);
		ck_assert(WIFSIGNALED(r.status));
		ck_assert_int_eq(WTERMSIG(r.status), SIGTERM);
	}
	{
		const char *argv[] = { "/usr/bin/bpfdev-run", "/no/such/cmd",
				       NULL };

		run_as(MEMBER, NULL, argv, &r);
		ck_assert(exited(&r, 127));
	}
	{
		const char *argv[] = { "/usr/bin/bpfdev-run", "sh", "-c",
				       "echo \"$LD_PRELOAD\"", NULL };

		run_as(MEMBER, NULL, argv, &r);
		assert_has(&r, BPFDEV_LIBRARY);
	}
}
END_TEST

const struct suite_def libbpfdev_suite = { "libbpfdev", {
	{ "interposer", .timeout = 120, .tests = {
		TEST(skeleton_program_runs_through_bpfdev_run),
		TEST(skeleton_program_without_the_interposer_is_refused),
		TEST(bpftool_prog_load_pins_into_group_bpffs),
		TEST(bpftool_map_create_update_lookup_dump),
		TEST(libbpf_feature_probes_see_delegated_types),
		TEST(denied_type_fails_like_libbpf_and_leaves_nothing),
		TEST(outsider_sees_what_it_would_without_the_interposer),
		TEST(threads_load_at_once),
		TEST(device_fd_replaced_under_the_interposer),
		TEST(privileged_caller_gets_plain_syscall),
		TEST(bpfdev_device_selects_the_node),
		TEST(api_linked_program),
		TEST(bpfdev_run_keeps_exit_status_and_signals),
	} },
} };
