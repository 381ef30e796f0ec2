// SPDX-License-Identifier: GPL-2.0
/* Suites as tables (testlib.h), and the verdict of a race test. */
#include <stdio.h>
#include <unistd.h>

#include "testlib.h"

int broken_build;

static int entry_runs(const struct test_entry *e)
{
	if (!broken_build)
		return 1;
	return e->race && (!e->broken_has || e->broken_has());
}

static int tcase_tests(const struct tcase_def *t)
{
	const struct test_entry *e;
	int n = 0;

	for (e = t->tests; e < t->tests + TCASE_TESTS_MAX && e->test; e++)
		n += entry_runs(e);
	return n;
}

/*
 * Every CPU but the first offline (0), or online again (1). A tcase whose
 * tests patch hot kernel text (a tool enabling the scheduler's tracepoints
 * flips their static keys with text_poke_bp()) runs on one CPU: QEMU's
 * multi-threaded TCG can run the transient int3 on another vCPU after the
 * patch is done, an "Oops: int3" of the emulator's, not of the kernel's
 * (seen in blk_update_request and ttwu_do_activate on 6.12; qemu.sh). On
 * one online vCPU the patch and the code it patches run on the same QEMU
 * thread. Unchecked fixtures run in the parent, once per tcase, even when
 * a test fails, so the CPUs come back for the suites after it.
 */
static void cpus_set_online(const char *online)
{
	char path[64];
	long cpus = sysconf(_SC_NPROCESSORS_CONF);
	int cpu, err;
	FILE *f;

	for (cpu = 1; cpu < cpus; cpu++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%d/online", cpu);
		if (access(path, F_OK))
			continue;
		f = fopen(path, "w");
		err = !f || fputs(online, f) < 0;
		if ((f && fclose(f)) || err)
			fprintf(stderr, "%s: %s: %m\n", path, online);
	}
}

static void cpus_offline(void)
{
	cpus_set_online("0");
}

static void cpus_online(void)
{
	cpus_set_online("1");
}

static TCase *tcase_build(const struct tcase_def *t)
{
	const struct test_entry *e;
	TCase *tc = tcase_create(t->name);

	if (t->timeout)
		tcase_set_timeout(tc, t->timeout);
	if (t->reset_grant)
		tcase_reset_grant(tc);
	if (t->one_cpu)
		tcase_add_unchecked_fixture(tc, cpus_offline, cpus_online);
	for (e = t->tests; e < t->tests + TCASE_TESTS_MAX && e->test; e++) {
		if (!entry_runs(e))
			continue;
		if (e->loop_end)
			tcase_add_loop_test(tc, *e->test, 0, e->loop_end);
		else
			tcase_add_test(tc, *e->test);
	}
	return tc;
}

Suite *suite_build(const struct suite_def *def)
{
	const struct tcase_def *t, *end = def->tcases + SUITE_TCASES_MAX;
	Suite *s = NULL;

	for (t = def->tcases; t < end && t->name; t++) {
		if (!tcase_tests(t))
			continue;
		if (!s)
			s = suite_create(def->name);
		suite_add_tcase(s, tcase_build(t));
	}
	return s;
}

int race_verdict(const char *name, int iterations, int violations,
		 int accepted, int refused)
{
	printf("race %s%s: %d iterations, %d violations, %d accepted, %d refused\n",
	       name, broken_build ? " (broken build)" : "", iterations,
	       violations, accepted, refused);
	fflush(stdout);
	if (broken_build) {
		ck_assert_msg(violations > 0,
			      "race %s: the broken build got through unseen",
			      name);
		return 1;
	}
	ck_assert_msg(violations == 0, "race %s: %d violations", name,
		      violations);
	return 0;
}
