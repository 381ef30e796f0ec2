// SPDX-License-Identifier: GPL-2.0
/*
 * Every dimension of the grant, allowed and denied: every command bpfdev
 * executes, every program type, map type and attach type the running
 * kernel knows. "Denied" is EPERM, the matching denied_<reason> counter
 * going up, and no new object in the system; "allowed" is that bpfdev's
 * policy let it through (the kernel may still refuse a request that is not
 * a complete program of that type, which is its business, not bpfdev's).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

#define STATS "/sys/class/misc/bpf/stats/"

static const struct bpf_insn ret0[] = { INSN_MOV64_IMM(0, 0), INSN_EXIT() };

/* The kernel's __MAX_ values: 6.1 and 6.12 differ. */
static int kernel_max(int max_61, int max_612)
{
	return kernel_is_612() ? max_612 : max_61;
}

#define MAX_PROG_TYPE	kernel_max(32, 33)	/* ... syscall / netfilter */
#define MAX_MAP_TYPE	kernel_max(32, 34)	/* ... user_ringbuf / arena */
#define MAX_ATTACH_TYPE	kernel_max(44, 57)

static int never_prog(__u32 type)
{
	return type == BPF_PROG_TYPE_SYSCALL || type == BPF_PROG_TYPE_EXT ||
	       type == BPF_PROG_TYPE_LSM || type == BPF_PROG_TYPE_STRUCT_OPS;
}

struct outcome {
	int ret;	/* 0 or -errno */
	long denied;	/* how much the counter moved */
	int created;	/* new objects in the system */
};

static void try(int dev, int cmd, union bpf_attr *a, const char *reason,
		struct outcome *o)
{
	struct objs before;
	long c0 = stats_counter(reason);
	int fd;

	objs_snapshot(&before);
	fd = dev_bpf(dev, cmd, a, sizeof(*a));
	o->ret = fd >= 0 ? 0 : -errno;
	if (fd >= 0)
		close(fd);
	o->denied = stats_counter(reason) - c0;
	o->created = o->ret ? objs_created_since(&before) : 0;
}

static void prog_attr(union bpf_attr *a, __u32 type, __u32 eat)
{
	attr_prog(a, type, ret0, 2);
	a->expected_attach_type = eat;
}

START_TEST(every_prog_type_denied_when_not_delegated)
{
	struct outcome o;
	union bpf_attr a;
	int dev, t;

	ck_assert_int_eq(root_param_write("delegate_progs", "none"), 0);
	ck_assert_int_eq(root_param_write("delegate_attachs", "any"), 0);
	dev = member_dev();
	for (t = 1; t < MAX_PROG_TYPE; t++) {
		prog_attr(&a, (__u32)t, 0);
		try(dev, BPF_PROG_LOAD, &a,
		    never_prog((__u32)t) ? "denied_never" : "denied_prog_type",
		    &o);
		ck_assert_msg(o.ret == -EPERM && o.denied == 1 && !o.created,
			      "prog type %d: ret %d denied %ld created %d", t,
			      o.ret, o.denied, o.created);
	}
}
END_TEST

START_TEST(every_prog_type_passes_the_policy_when_delegated)
{
	struct outcome o;
	union bpf_attr a;
	char name[16];
	int dev, t;

	ck_assert_int_eq(root_param_write("delegate_attachs", "any"), 0);
	dev = member_dev();
	for (t = 1; t < MAX_PROG_TYPE; t++) {
		/* only this type, by number */
		snprintf(name, sizeof(name), "%llu", 1ULL << t);
		ck_assert_int_eq(root_param_write("delegate_progs", name), 0);
		prog_attr(&a, (__u32)t, 0);
		try(dev, BPF_PROG_LOAD, &a,
		    never_prog((__u32)t) ? "denied_never" : "denied_prog_type",
		    &o);
		if (never_prog((__u32)t))
			ck_assert_msg(o.ret == -EPERM && o.denied == 1,
				      "never type %d: %d", t, o.ret);
		else
			ck_assert_msg(o.denied == 0,
				      "prog type %d denied by bpfdev", t);
	}
}
END_TEST

START_TEST(every_map_type_denied_and_allowed)
{
	struct outcome o;
	union bpf_attr a;
	int dev, t;

	ck_assert_int_eq(root_param_write("delegate_maps", "none"), 0);
	dev = member_dev();
	for (t = 1; t < MAX_MAP_TYPE; t++) {
		attr_map(&a, (__u32)t, 4, 8, 4);
		try(dev, BPF_MAP_CREATE, &a,
		    t == BPF_MAP_TYPE_STRUCT_OPS ? "denied_never" :
						    "denied_map_type", &o);
		ck_assert_msg(o.ret == -EPERM && o.denied == 1 && !o.created,
			      "map type %d: ret %d", t, o.ret);
	}
	ck_assert_int_eq(root_param_write("delegate_maps", "any"), 0);
	for (t = 1; t < MAX_MAP_TYPE; t++) {
		attr_map(&a, (__u32)t, 4, 8, 4);
		try(dev, BPF_MAP_CREATE, &a,
		    t == BPF_MAP_TYPE_STRUCT_OPS ? "denied_never" :
						    "denied_map_type", &o);
		if (t == BPF_MAP_TYPE_STRUCT_OPS)
			ck_assert_int_eq(o.denied, 1);
		else
			ck_assert_msg(o.denied == 0,
				      "map type %d denied by bpfdev", t);
	}
}
END_TEST

START_TEST(every_attach_type_denied_and_allowed)
{
	struct outcome o;
	union bpf_attr a;
	char one[32];
	int dev, t;

	/* cgroup_sock_addr ties its load to an attach type */
	ck_assert_int_eq(root_param_write("delegate_progs", "any"), 0);
	ck_assert_int_eq(root_param_write("delegate_attachs", "none"), 0);
	dev = member_dev();
	for (t = 0; t < MAX_ATTACH_TYPE; t++) {
		if (t == BPF_MODIFY_RETURN)
			continue;
		prog_attr(&a, BPF_PROG_TYPE_CGROUP_SOCK_ADDR, (__u32)t);
		try(dev, BPF_PROG_LOAD, &a, "denied_attach_type", &o);
		ck_assert_msg(o.ret == -EPERM && o.denied == 1 && !o.created,
			      "attach type %d: ret %d", t, o.ret);
	}
	for (t = 0; t < MAX_ATTACH_TYPE; t++) {
		if (t == BPF_MODIFY_RETURN)
			continue;
		snprintf(one, sizeof(one), "%llu", 1ULL << t);
		ck_assert_int_eq(root_param_write("delegate_attachs", one), 0);
		prog_attr(&a, BPF_PROG_TYPE_CGROUP_SOCK_ADDR, (__u32)t);
		try(dev, BPF_PROG_LOAD, &a, "denied_attach_type", &o);
		ck_assert_msg(o.denied == 0, "attach type %d denied", t);
	}
	/* fmod_ret: never, even when delegated */
	ck_assert_int_eq(root_param_write("delegate_attachs", "any"), 0);
	prog_attr(&a, BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN);
	try(dev, BPF_PROG_LOAD, &a, "denied_never", &o);
	ck_assert_int_eq(o.ret, -EPERM);
	ck_assert_int_eq(o.denied, 1);
}
END_TEST

START_TEST(every_executed_command_denied_and_allowed)
{
	static const char *const names[] = {
		"map_create", "prog_load", "btf_load", "map_freeze",
		"link_create",
	};
	static const int cmds[] = {
		BPF_MAP_CREATE, BPF_PROG_LOAD, BPF_BTF_LOAD, BPF_MAP_FREEZE,
		BPF_LINK_CREATE,
	};
	struct outcome o;
	union bpf_attr a;
	unsigned int i;
	int dev;

	ck_assert_int_eq(root_param_write("delegate_cmds", "none"), 0);
	dev = member_dev();
	for (i = 0; i < ARRAY_LEN(cmds); i++) {
		memset(&a, 0, sizeof(a));
		if (cmds[i] == BPF_PROG_LOAD)
			prog_attr(&a, BPF_PROG_TYPE_SOCKET_FILTER, 0);
		if (cmds[i] == BPF_MAP_CREATE)
			attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 4, 1);
		try(dev, cmds[i], &a, "denied_cmd", &o);
		ck_assert_msg(o.ret == -EPERM && o.denied == 1 && !o.created,
			      "%s: ret %d", names[i], o.ret);
	}
	for (i = 0; i < ARRAY_LEN(cmds); i++) {
		ck_assert_int_eq(root_param_write("delegate_cmds", names[i]), 0);
		memset(&a, 0, sizeof(a));
		if (cmds[i] == BPF_PROG_LOAD)
			prog_attr(&a, BPF_PROG_TYPE_SOCKET_FILTER, 0);
		if (cmds[i] == BPF_MAP_CREATE)
			attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 4, 1);
		try(dev, cmds[i], &a, "denied_cmd", &o);
		ck_assert_msg(o.denied == 0, "%s denied", names[i]);
	}
}
END_TEST

Suite *matrix_suite(void)
{
	Suite *s = suite_create("matrix");
	TCase *tc = tcase_create("grant_dimensions");

	tcase_reset_grant(tc);
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, every_prog_type_denied_when_not_delegated);
	tcase_add_test(tc, every_prog_type_passes_the_policy_when_delegated);
	tcase_add_test(tc, every_map_type_denied_and_allowed);
	tcase_add_test(tc, every_attach_type_denied_and_allowed);
	tcase_add_test(tc, every_executed_command_denied_and_allowed);
	suite_add_tcase(s, tc);
	return s;
}
