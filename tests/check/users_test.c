// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user limits (users.c), kept by the caller's uid: they survive
 * reopening /dev/bpf, and concurrent loads are counted while they run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "testlib.h"

START_TEST(user_limit_survives_reopening)
{
	struct bpfdev_info info;
	char limit[32];
	int dev = member_dev(), i;

	ck_assert_int_eq(dev_info(dev, &info), 0);
	snprintf(limit, sizeof(limit), "%u", info.user_maps_created + 2);
	ck_assert_int_eq(root_param_write("user_maps_max", limit), 0);
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(fd_result(dev_map(dev, BPF_MAP_TYPE_ARRAY)), 0);
	ck_assert_int_eq(fd_result(dev_map(dev, BPF_MAP_TYPE_ARRAY)), -EDQUOT);
	close(dev);
	dev = dev_open(O_RDWR);
	ck_assert_int_eq(fd_result(dev_map(dev, BPF_MAP_TYPE_ARRAY)), -EDQUOT);
	ck_assert_int_eq(dev_info(dev, &info), 0);
	ck_assert_uint_eq(info.user_maps_max, info.user_maps_created);
}
END_TEST

struct loader {
	int dev;
	int ok, quota, other;
};

static void *load_loop(void *arg)
{
	struct loader *l = arg;
	static struct bpf_insn *insns;
	union bpf_attr a;
	int i, r;

	if (!__atomic_load_n(&insns, __ATOMIC_ACQUIRE)) {
		struct bpf_insn *p = calloc(4000, sizeof(*p));

		for (i = 0; i < 3999; i++)
			p[i] = INSN_MOV64_IMM(0, i);
		p[3999] = INSN_EXIT();
		__atomic_store_n(&insns, p, __ATOMIC_RELEASE);
	}
	for (i = 0; i < 60; i++) {
		attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, insns, 4000);
		r = fd_result(dev_bpf(l->dev, BPF_PROG_LOAD, &a, sizeof(a)));
		if (!r)
			l->ok++;
		else if (r == -EDQUOT)
			l->quota++;
		else
			l->other++;
	}
	return NULL;
}

START_TEST(concurrent_loads_per_user)
{
	struct loader l[3];
	pthread_t t[3];
	int dev, i, ok = 0, quota = 0, other = 0;

	ck_assert_int_eq(root_param_write("loads_max", "1"), 0);
	dev = member_dev();
	for (i = 0; i < 3; i++) {
		l[i] = (struct loader){ .dev = dev };
		ck_assert_int_eq(pthread_create(&t[i], NULL, load_loop, &l[i]),
				 0);
	}
	for (i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		ok += l[i].ok;
		quota += l[i].quota;
		other += l[i].other;
	}
	printf("concurrent loads, limit 1: %d loaded, %d EDQUOT, %d other\n",
	       ok, quota, other);
	ck_assert_int_gt(ok, 0);
	ck_assert_int_gt(quota, 0);
	ck_assert_int_eq(other, 0);
}
END_TEST


const struct suite_def users_suite = { "users", {
	{ "limits", .timeout = 120, .reset_grant = 1, .tests = {
		TEST(user_limit_survives_reopening),
		TEST(concurrent_loads_per_user),
	} },
} };
