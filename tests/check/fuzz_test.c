// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl fuzzer (tests/fuzz/fuzz.c), run as a member: once with the
 * default grant, once with every type delegated so that random requests
 * reach deep into the verifier. Pass: the fuzzer leaked no fd, every
 * object it got is gone again, and (the harness checks) the guest kernel
 * log stays clean. $BPFDEV_FUZZ_ITERATIONS sets the length of each run
 * (make fuzz passes it; make check runs a short one).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

static long stat_sum(const char *prefix)
{
	static const char *const cmds[] = {
		"map_create", "prog_load", "btf_load", "map_freeze",
		"link_create",
	};
	char path[128], buf[32];
	long sum = 0;
	unsigned int i;
	ssize_t n;
	int fd;

	for (i = 0; i < ARRAY_LEN(cmds); i++) {
		snprintf(path, sizeof(path), "/sys/class/misc/bpf/stats/%s_%s",
			 prefix, cmds[i]);
		fd = open(path, O_RDONLY);
		ck_assert_int_ge(fd, 0);
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		ck_assert_int_gt(n, 0);
		buf[n] = '\0';
		sum += atol(buf);
	}
	return sum;
}

static void fuzz_run(const char *grant, const char *seed)
{
	static struct run r;
	const char *env = getenv("BPFDEV_FUZZ_ITERATIONS");
	char n[24];
	const char *argv[] = { prog_path("bpfdev_fuzz"), n, seed, NULL };
	struct objs before;
	long reached;

	snprintf(n, sizeof(n), "%s", env && *env ? env : "20000");
	if (!strcmp(grant, "any")) {
		ck_assert_int_eq(root_param_write("delegate_progs", "any"), 0);
		ck_assert_int_eq(root_param_write("delegate_maps", "any"), 0);
		ck_assert_int_eq(root_param_write("delegate_attachs", "any"), 0);
		ck_assert_int_eq(root_param_write("delegate_cmds", "any"), 0);
		ck_assert_int_eq(root_param_write("insn_max", "1000000"), 0);
	}
	objs_snapshot(&before);
	reached = stat_sum("executed") + stat_sum("failed");
	run_as(MEMBER, NULL, argv, &r);
	reached = stat_sum("executed") + stat_sum("failed") - reached;
	printf("fuzz (%s grant, seed %s): %s", grant, seed,
	       strstr(r.out, "fuzz: errno") ?: r.out);
	printf("fuzz (%s grant): %ld requests got past bpfdev into bpf(2)\n",
	       grant, reached);
	ck_assert_msg(exited(&r, 0), "fuzzer: %s", run_tail(&r));
	assert_has(&r, "0 fds leaked");
	ck_assert_msg(objs_settle_to(&before), "objects left after fuzzing");
	ck_assert_int_gt(reached, 0);
}

START_TEST(fuzz_default_grant)
{
	fuzz_run("default", "0x5eed1");
}
END_TEST

START_TEST(fuzz_everything_delegated)
{
	fuzz_run("any", "0x5eed2");
}
END_TEST

const struct suite_def fuzz_suite = { "fuzz", {
	{ "ioctl", .timeout = 3600, .reset_grant = 1, .tests = {
		TEST(fuzz_default_grant),
		TEST(fuzz_everything_delegated),
	} },
} };
