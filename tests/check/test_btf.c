// SPDX-License-Identifier: GPL-2.0
/* BTF through /dev/bpf, and a map described by it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/btf.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

/* The smallest useful BTF: type 1 is "int", 4 bytes, signed. */
static const struct {
	struct btf_header hdr;
	struct btf_type int_type;
	__u32 int_encoding;
	char strings[5];
} __attribute__((packed)) tiny_btf = {
	.hdr = {
		.magic = BTF_MAGIC,
		.version = BTF_VERSION,
		.hdr_len = sizeof(struct btf_header),
		.type_off = 0,
		.type_len = sizeof(struct btf_type) + sizeof(__u32),
		.str_off = sizeof(struct btf_type) + sizeof(__u32),
		.str_len = 5,
	},
	.int_type = {
		.name_off = 1,
		.info = BTF_KIND_INT << 24,
		.size = 4,
	},
	.int_encoding = (BTF_INT_SIGNED << 24) | 32,
	.strings = "\0int",
};

START_TEST(btf_loads_and_describes_a_map)
{
	char log[4096] = "";
	union bpf_attr a;
	int dev, btf, map;

	become_member();
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	memset(&a, 0, sizeof(a));
	a.btf = ptr_to_u64(&tiny_btf);
	a.btf_size = sizeof(tiny_btf);
	a.btf_log_buf = ptr_to_u64(log);
	a.btf_log_size = sizeof(log);
	a.btf_log_level = 1;
	btf = dev_bpf(dev, BPF_BTF_LOAD, &a, sizeof(a));
	ck_assert_msg(btf >= 0, "BTF_LOAD: %s, log: %s", strerror(errno), log);
	ck_assert(fcntl(btf, F_GETFD) & FD_CLOEXEC);
	/* the BTF verifier's log reached the caller's buffer */
	ck_assert_ptr_nonnull(strstr(log, "btf_total_size"));

	attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 4, 1);
	a.btf_fd = (__u32)btf;
	a.btf_key_type_id = 1;
	a.btf_value_type_id = 1;
	map = dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a));
	ck_assert_int_ge(map, 0);
	/* a wrong type id is refused by the kernel, as with bpf(2) */
	a.btf_value_type_id = 7;
	ck_assert_int_eq(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a)), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(btf_load_not_delegated)
{
	struct objs before;
	union bpf_attr a;
	int dev;

	ck_assert_int_eq(root_param_write("delegate_cmds",
					  "map_create:prog_load"), 0);
	objs_snapshot(&before);
	become_member();
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	memset(&a, 0, sizeof(a));
	a.btf = ptr_to_u64(&tiny_btf);
	a.btf_size = sizeof(tiny_btf);
	ck_assert_int_eq(dev_bpf(dev, BPF_BTF_LOAD, &a, sizeof(a)), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(objs_created_since(&before), 0);
}
END_TEST

Suite *btf_suite(void)
{
	Suite *s = suite_create("btf");
	TCase *tc = tcase_create("btf_load");

	tcase_reset_grant(tc);
	tcase_add_test(tc, btf_loads_and_describes_a_map);
	tcase_add_test(tc, btf_load_not_delegated);
	suite_add_tcase(s, tc);
	return s;
}
