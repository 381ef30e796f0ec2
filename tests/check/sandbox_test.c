// SPDX-License-Identifier: GPL-2.0
/*
 * Sandboxed callers: the ioctl must not be a way around a seccomp filter
 * that denies bpf(2). bpfdev cannot evaluate a filter, so it refuses every
 * caller under one unless root sets allow_seccomp; no_new_privs alone
 * restricts nothing bpf does and is allowed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "testlib.h"

static const struct bpf_insn ret0[] = { INSN_MOV64_IMM(0, 0), INSN_EXIT() };

static int load_sf(int dev)
{
	union bpf_attr a;
	int fd;

	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	fd = dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a));
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

START_TEST(no_new_privs_alone_is_allowed)
{
	int dev = member_dev();

	ck_assert_int_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	ck_assert_int_eq(load_sf(dev), 0);
}
END_TEST

START_TEST(seccomp_filter_denying_bpf_is_not_bypassed)
{
	struct objs before;
	union bpf_attr a;
	int dev;

	objs_snapshot(&before);
	dev = member_dev();
	seccomp_filter(1);
	attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 4, 1);
	ck_assert_int_eq(sys_bpf(BPF_MAP_CREATE, &a, sizeof(a)), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(load_sf(dev), -EPERM);
	ck_assert_int_eq(objs_created_since(&before), 0);
}
END_TEST

START_TEST(any_seccomp_filter_is_refused_unless_root_allows_it)
{
	int dev = member_dev();

	seccomp_filter(0);
	ck_assert_int_eq(load_sf(dev), -EPERM);
	ck_assert_int_eq(root_param_write("allow_seccomp", "Y"), 0);
	ck_assert_int_eq(load_sf(dev), 0);
}
END_TEST

const struct suite_def sandbox_suite = { "sandbox", {
	{ "seccomp", .reset_grant = 1, .tests = {
		TEST(no_new_privs_alone_is_allowed),
		TEST(seccomp_filter_denying_bpf_is_not_bypassed),
		TEST(any_seccomp_filter_is_refused_unless_root_allows_it),
	} },
} };
