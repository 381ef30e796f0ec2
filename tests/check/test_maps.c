// SPDX-License-Identifier: GPL-2.0
/* Map creation through /dev/bpf, and the maps' life afterwards with bpf(2). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"

static int elem(int cmd, int map, const void *key, void *value)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (__u32)map;
	a.key = ptr_to_u64(key);
	a.value = ptr_to_u64(value);
	return sys_bpf(cmd, &a, sizeof(a));
}

static const __u32 usable_types[] = { BPF_MAP_TYPE_ARRAY, BPF_MAP_TYPE_HASH };

START_TEST(created_map_works_with_plain_bpf)
{
	__u32 key = 3;
	__u64 v = 0x1122334455667788ULL, out = 0;
	union bpf_attr a;
	int dev, map;

	dev = member_dev();
	attr_map(&a, usable_types[_i], sizeof(key), sizeof(v), 16);
	strcpy(a.map_name, "bpfdev_test");
	map = dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a));
	ck_assert_int_ge(map, 0);
	ck_assert(fcntl(map, F_GETFD) & FD_CLOEXEC);
	/* No privilege from here on: the fd is the member's. */
	ck_assert_int_eq(elem(BPF_MAP_UPDATE_ELEM, map, &key, &v), 0);
	ck_assert_int_eq(elem(BPF_MAP_LOOKUP_ELEM, map, &key, &out), 0);
	ck_assert_uint_eq(out, v);
	close(map);
}
END_TEST

static const __u32 undelegated_maps[] = {
	BPF_MAP_TYPE_LRU_HASH, BPF_MAP_TYPE_LPM_TRIE, BPF_MAP_TYPE_QUEUE,
	BPF_MAP_TYPE_STACK_TRACE, BPF_MAP_TYPE_SOCKMAP, BPF_MAP_TYPE_DEVMAP,
	BPF_MAP_TYPE_CPUMAP, BPF_MAP_TYPE_BLOOM_FILTER,
};

START_TEST(undelegated_map_is_eperm_and_creates_nothing)
{
	struct objs before;
	union bpf_attr a;
	int dev;

	objs_snapshot(&before);
	dev = member_dev();
	attr_map(&a, undelegated_maps[_i], 4, 4, 4);
	ck_assert_int_eq(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a)), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(objs_created_since(&before), 0);
}
END_TEST

START_TEST(never_delegated_maps_even_with_any)
{
	struct objs before;
	union bpf_attr a;
	int dev;

	ck_assert_int_eq(root_param_write("delegate_maps", "any"), 0);
	objs_snapshot(&before);
	dev = member_dev();
	attr_map(&a, BPF_MAP_TYPE_STRUCT_OPS, 4, 4, 1);
	ck_assert_int_eq(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a)), -1);
	ck_assert_int_eq(errno, EPERM);
	attr_map(&a, BPF_MAP_TYPE_HASH, 4, 4, 1);
	a.map_ifindex = 1;	/* device offload */
	ck_assert_int_eq(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a)), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(objs_created_since(&before), 0);
	/* and a delegated-by-any type does load */
	attr_map(&a, BPF_MAP_TYPE_LRU_HASH, 4, 4, 4);
	ck_assert_int_ge(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a)), 0);
}
END_TEST

START_TEST(grant_change_applies_to_open_file)
{
	struct bpfdev_info info;
	union bpf_attr a;
	int dev;

	dev = member_dev();
	attr_map(&a, BPF_MAP_TYPE_HASH, 4, 4, 4);
	ck_assert_int_ge(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a)), 0);
	ck_assert_int_eq(root_param_write("delegate_maps", "array"), 0);
	ck_assert_int_eq(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a)), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(dev_info(dev, &info), 0);
	ck_assert_uint_eq(info.maps, 1ULL << BPF_MAP_TYPE_ARRAY);
	attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 4, 4);
	ck_assert_int_ge(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a)), 0);
}
END_TEST

START_TEST(params_parse_and_print_names)
{
	char buf[1024];

	ck_assert_int_eq(root_param_write("delegate_maps", "0x6"), 0);
	ck_assert_int_eq(param_read("delegate_maps", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "hash:array");
	ck_assert_int_eq(root_param_write("delegate_maps", "any"), 0);
	ck_assert_int_eq(param_read("delegate_maps", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "any");
	ck_assert_int_eq(root_param_write("delegate_progs", "none"), 0);
	ck_assert_int_eq(param_read("delegate_progs", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "none");
	ck_assert_int_eq(root_param_write("delegate_cmds",
					  "prog_load:no_such_cmd"), -EINVAL);
	ck_assert_int_eq(root_param_write("delegate_cmds", "prog_load::"),
			 -EINVAL);
	ck_assert_int_eq(param_read("delegate_cmds", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "map_create:prog_load:btf_load:map_freeze");
}
END_TEST

START_TEST(params_are_root_writable_only)
{
	struct stat st;

	ck_assert_int_eq(stat("/sys/module/bpfdev/parameters/delegate_progs",
			      &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0644);
	become_member();
	ck_assert_int_eq(param_write("delegate_progs", "any"), -EACCES);
}
END_TEST

Suite *maps_suite(void)
{
	Suite *s = suite_create("maps");
	TCase *tc = tcase_create("map_create");

	tcase_reset_grant(tc);
	tcase_add_loop_test(tc, created_map_works_with_plain_bpf, 0,
			    ARRAY_LEN(usable_types));
	tcase_add_loop_test(tc, undelegated_map_is_eperm_and_creates_nothing,
			    0, ARRAY_LEN(undelegated_maps));
	tcase_add_test(tc, never_delegated_maps_even_with_any);
	tcase_add_test(tc, grant_change_applies_to_open_file);
	tcase_add_test(tc, params_parse_and_print_names);
	tcase_add_test(tc, params_are_root_writable_only);
	suite_add_tcase(s, tc);
	return s;
}
