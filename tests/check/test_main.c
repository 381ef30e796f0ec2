// SPDX-License-Identifier: GPL-2.0
/*
 * The bpfdev test suite, run as root inside a QEMU guest with the module
 * loaded and udev running. Each test forks and becomes the user it tests.
 *
 *   bpfdev_tests          every suite against the real module
 *   bpfdev_tests broken   the race tests against the test-only broken
 *                         build, where they must find the race
 *   bpfdev_tests fuzz     only the fuzzer ($BPFDEV_FUZZ_ITERATIONS)
 *   bpfdev_tests list     the suites' names, one a line
 *
 * CK_RUN_SUITE=<name> runs one suite (in either mode), CK_RUN_CASE=<name>
 * one test case: Check's own variables, the name checked here first.
 *
 * A suite is a feature: <name>_test.c, after the module file it tests
 * (drivers/bpfdev/<name>.c), as Landlock's selftests do; README lists
 * which file tests what. Adding one: write <name>_test.c with its
 * `const struct suite_def <name>_suite` and add X(<name>) below.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

/* Every suite, in the order they run: main last, since it reloads the module. */
#define SUITES(X)							\
	X(policy) X(file) X(users) X(grant) X(boundary) X(audit)	\
	X(cgroup) X(sandbox) X(fuzz) X(request) X(errno) X(freeze)	\
	X(libbpfdev) X(exec) X(stress) X(mapmem) X(objects) X(refusals)	\
	X(tools) X(profiles) X(bpfdevctl) X(supervise)			\
	X(main)

#define SUITE_DECLARE(name)	extern const struct suite_def name##_suite;
#define SUITE_ENTRY(name)	&name##_suite,

SUITES(SUITE_DECLARE)

static const struct suite_def *const suites[] = { SUITES(SUITE_ENTRY) };

static const struct suite_def *suite_named(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(suites); i++)
		if (!strcmp(suites[i]->name, name))
			return suites[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	const char *only = getenv("CK_RUN_SUITE");
	SRunner *sr = NULL;
	Suite *s;
	size_t i;
	int failed;

	if (!strncmp(mode, "--exec-", 7))
		return exec_helper_main(argc, argv);
	if (!strcmp(mode, "list")) {
		for (i = 0; i < ARRAY_LEN(suites); i++)
			printf("%s\n", suites[i]->name);
		return EXIT_SUCCESS;
	}
	broken_build = !strcmp(mode, "broken");
	if (!strcmp(mode, "fuzz"))
		only = "fuzz";
	else if (*mode && !broken_build) {
		fprintf(stderr, "usage: %s [broken | fuzz | list]\n", argv[0]);
		return 2;
	}
	if (only && *only && !suite_named(only)) {
		fprintf(stderr, "no suite \"%s\"; the suites are:", only);
		for (i = 0; i < ARRAY_LEN(suites); i++)
			fprintf(stderr, " %s", suites[i]->name);
		fprintf(stderr, "\n");
		return 2;
	}
	for (i = 0; i < ARRAY_LEN(suites); i++) {
		if (only && *only && strcmp(suites[i]->name, only))
			continue;
		s = suite_build(suites[i]);
		if (!s)
			continue;
		if (sr)
			srunner_add_suite(sr, s);
		else
			sr = srunner_create(s);
	}
	if (!sr) {
		printf("suite %s has no race test: nothing to run against the broken build\n",
		       only);
		return EXIT_SUCCESS;
	}
	root_helper_start();
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
