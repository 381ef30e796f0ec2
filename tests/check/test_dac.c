// SPDX-License-Identifier: GPL-2.0
/* Who may open /dev/bpf, and what an open file says about itself. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"

START_TEST(node_is_root_bpf_0660)
{
	struct stat st;

	ck_assert_int_eq(stat(DEV_PATH, &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
	ck_assert_uint_eq(st.st_uid, 0);
	ck_assert_uint_eq(st.st_gid, (unsigned int)bpf_gid());
	ck_assert_uint_eq(st.st_mode & 07777, 0660);
}
END_TEST

START_TEST(member_opens_read_write)
{
	struct bpfdev_info info;
	int fd;

	become_member();
	fd = dev_open(O_RDWR);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dev_info(fd, &info), 0);
	ck_assert_uint_eq(info.size, sizeof(info));
	ck_assert_uint_eq(info.abi_version, BPFDEV_ABI_VERSION);
	ck_assert(info.flags & BPFDEV_INFO_F_WRITABLE);
	ck_assert(info.ioctls & (1ULL << _IOC_NR(BPFDEV_IOC_SYS_BPF)));
	ck_assert(info.ioctls & (1ULL << _IOC_NR(BPFDEV_IOC_INFO)));
	/* The default grant. */
	ck_assert_uint_eq(info.cmds, (1ULL << BPF_MAP_CREATE) |
			  (1ULL << BPF_PROG_LOAD) | (1ULL << BPF_BTF_LOAD) |
			  (1ULL << BPF_MAP_FREEZE));
	ck_assert_uint_eq(info.progs, (1ULL << BPF_PROG_TYPE_SOCKET_FILTER) |
			  (1ULL << BPF_PROG_TYPE_CGROUP_SKB));
	ck_assert_uint_eq(info.attachs, (1ULL << BPF_CGROUP_INET_INGRESS) |
			  (1ULL << BPF_CGROUP_INET_EGRESS));
	ck_assert(info.maps & (1ULL << BPF_MAP_TYPE_HASH));
	ck_assert(!(info.maps & (1ULL << BPF_MAP_TYPE_LRU_HASH)));
	ck_assert_uint_eq(info.insn_max, 4096);
	close(fd);
}
END_TEST

START_TEST(outsider_gets_eacces)
{
	become_outsider();
	ck_assert_int_eq(dev_open(O_RDWR), -1);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_int_eq(dev_open(O_RDONLY), -1);
	ck_assert_int_eq(errno, EACCES);
}
END_TEST

START_TEST(read_only_file_queries_but_cannot_execute)
{
	struct bpfdev_info info;
	struct objs before;
	union bpf_attr a;
	int fd;

	objs_snapshot(&before);
	become_member();
	fd = dev_open(O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dev_info(fd, &info), 0);
	ck_assert(!(info.flags & BPFDEV_INFO_F_WRITABLE));
	attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 8, 1);
	ck_assert_int_eq(dev_bpf(fd, BPF_MAP_CREATE, &a, sizeof(a)), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(objs_created_since(&before), 0);
	close(fd);
}
END_TEST

START_TEST(fdinfo_shows_the_grant)
{
	char path[64], buf[4096];
	ssize_t n;
	int fd, info;

	become_member();
	fd = dev_open(O_RDWR);
	ck_assert_int_ge(fd, 0);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	info = open(path, O_RDONLY);
	ck_assert_int_ge(info, 0);
	n = read(info, buf, sizeof(buf) - 1);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_ptr_nonnull(strstr(buf,
		"allowed_cmds:\tmap_create:prog_load:btf_load:map_freeze\n"));
	ck_assert_ptr_nonnull(strstr(buf,
		"allowed_progs:\tsocket_filter:cgroup_skb\n"));
	ck_assert_ptr_nonnull(strstr(buf,
		"allowed_attachs:\tcgroup_inet_ingress:cgroup_inet_egress\n"));
	ck_assert_ptr_nonnull(strstr(buf, "allowed_maps:\thash:array:"));
	ck_assert_ptr_nonnull(strstr(buf, "insn_max:\t4096\n"));
	ck_assert_ptr_nonnull(strstr(buf, "writable:\t1\n"));
	close(info);
	close(fd);
}
END_TEST

START_TEST(info_follows_extensible_struct_rules)
{
	struct {
		struct bpfdev_info info;
		__u64 tail[2];
	} big;
	int fd;

	become_member();
	fd = dev_open(O_RDWR);
	ck_assert_int_ge(fd, 0);

	/* Too small for the first version. */
	memset(&big, 0, sizeof(big));
	big.info.size = BPFDEV_INFO_SIZE_VER0 - 8;
	ck_assert_int_eq(ioctl(fd, BPFDEV_IOC_INFO, &big), -1);
	ck_assert_int_eq(errno, EINVAL);

	/* A newer, larger struct with a zero tail: filled, size says how much. */
	memset(&big, 0, sizeof(big));
	big.info.size = sizeof(big);
	ck_assert_int_eq(ioctl(fd, BPFDEV_IOC_INFO, &big), 0);
	ck_assert_uint_eq(big.info.size, sizeof(big.info));
	ck_assert_uint_eq(big.info.abi_version, BPFDEV_ABI_VERSION);
	ck_assert_uint_eq(big.tail[0], 0);

	/* A non-zero byte the kernel does not know. */
	memset(&big, 0, sizeof(big));
	big.info.size = sizeof(big);
	big.tail[1] = 1;
	ck_assert_int_eq(ioctl(fd, BPFDEV_IOC_INFO, &big), -1);
	ck_assert_int_eq(errno, E2BIG);

	/* Unknown ioctl. */
	ck_assert_int_eq(ioctl(fd, _IOWR(BPFDEV_IOC_MAGIC, 0x3f, int), &big),
			 -1);
	ck_assert_int_eq(errno, ENOTTY);
	close(fd);
}
END_TEST

Suite *dac_suite(void)
{
	Suite *s = suite_create("dac");
	TCase *tc = tcase_create("open");

	tcase_add_test(tc, node_is_root_bpf_0660);
	tcase_add_test(tc, member_opens_read_write);
	tcase_add_test(tc, outsider_gets_eacces);
	tcase_add_test(tc, read_only_file_queries_but_cannot_execute);
	tcase_add_test(tc, fdinfo_shows_the_grant);
	tcase_add_test(tc, info_follows_extensible_struct_rules);
	suite_add_tcase(s, tc);
	return s;
}
