// SPDX-License-Identifier: GPL-2.0
/*
 * The bpfdev test suite, run as root inside a QEMU guest with the module
 * loaded and udev running. Each test forks and becomes the user it tests.
 *
 *   bpfdev_tests          every suite against the real module
 *   bpfdev_tests broken   the race tests against the test-only broken
 *                         build, where they must find the race
 *   bpfdev_tests fuzz     only the fuzzer ($BPFDEV_FUZZ_ITERATIONS)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

int main(int argc, char **argv)
{
	int broken = argc > 1 && !strcmp(argv[1], "broken");
	int fuzz = argc > 1 && !strcmp(argv[1], "fuzz");
	SRunner *sr;
	int failed;

	if (argc > 1 && !strncmp(argv[1], "--exec-", 7))
		return exec_helper_main(argc, argv);
	root_helper_start();
	if (broken) {
		sr = srunner_create(broken_suite());
	} else if (fuzz) {
		sr = srunner_create(fuzz_suite());
	} else {
		sr = srunner_create(dac_suite());
		srunner_add_suite(sr, load_suite());
		srunner_add_suite(sr, maps_suite());
		srunner_add_suite(sr, btf_suite());
		srunner_add_suite(sr, policy_suite());
		srunner_add_suite(sr, boundary_suite());
		srunner_add_suite(sr, audit_suite());
		srunner_add_suite(sr, cgroup_suite());
		srunner_add_suite(sr, matrix_suite());
		srunner_add_suite(sr, sandbox_suite());
		srunner_add_suite(sr, fuzz_suite());
		srunner_add_suite(sr, input_suite());
		srunner_add_suite(sr, errno_suite());
		srunner_add_suite(sr, freeze_suite());
		srunner_add_suite(sr, race_suite());
		srunner_add_suite(sr, shim_suite());
		srunner_add_suite(sr, exec_suite());
		srunner_add_suite(sr, stress_suite());
		srunner_add_suite(sr, module_suite());
	}
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
