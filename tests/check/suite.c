// SPDX-License-Identifier: GPL-2.0
/* Suites as tables (testlib.h), and the verdict of a race test. */
#include <stdio.h>

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

static TCase *tcase_build(const struct tcase_def *t)
{
	const struct test_entry *e;
	TCase *tc = tcase_create(t->name);

	if (t->timeout)
		tcase_set_timeout(tc, t->timeout);
	if (t->reset_grant)
		tcase_reset_grant(tc);
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
