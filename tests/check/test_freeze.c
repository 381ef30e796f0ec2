// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_MAP_FREEZE through /dev/bpf: only a holder of a writable fd freezes,
 * and swapping the fd number during the call cannot redirect a freeze to a
 * map held read-only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "testlib.h"
#include "test_race.h"

/*
 * A bpffs of the tests' own, open to all like /tmp: the guest's /sys/fs/bpf
 * is root's 0700, as systemd mounts it.
 */
#define PIN_DIR		"/run/bpfdev-tests-bpffs"

static int dev_freeze(int dev, int map)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (__u32)map;
	return dev_bpf(dev, BPF_MAP_FREEZE, &a, sizeof(a));
}

int map_update(int map, __u32 key, __u32 value)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (__u32)map;
	a.key = ptr_to_u64(&key);
	a.value = ptr_to_u64(&value);
	return sys_bpf(BPF_MAP_UPDATE_ELEM, &a, sizeof(a));
}

int array_map(int dev)
{
	union bpf_attr a;

	attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 4, 1);
	return dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a));
}

/* A read-only fd of @map, as another user's shared pin would give. */
int read_only_fd(int map)
{
	char path[128];
	union bpf_attr a;
	int fd;

	snprintf(path, sizeof(path), PIN_DIR "/map-%d-%d", getpid(), map);
	memset(&a, 0, sizeof(a));
	a.pathname = ptr_to_u64(path);
	a.bpf_fd = (__u32)map;
	ck_assert_int_eq(sys_bpf(BPF_OBJ_PIN, &a, sizeof(a)), 0);
	memset(&a, 0, sizeof(a));
	a.pathname = ptr_to_u64(path);
	a.file_flags = BPF_F_RDONLY;
	fd = sys_bpf(BPF_OBJ_GET, &a, sizeof(a));
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(unlink(path), 0);
	return fd;
}

void pin_dir_setup(void)
{
	struct statfs fs;

	if (mkdir(PIN_DIR, 0755) && errno != EEXIST)
		ck_abort_msg("mkdir %s: %s", PIN_DIR, strerror(errno));
	ck_assert_int_eq(statfs(PIN_DIR, &fs), 0);
	if (fs.f_type != BPF_FS_MAGIC)
		ck_assert_int_eq(mount("bpf", PIN_DIR, "bpf", 0, "mode=1777"),
				 0);
}

START_TEST(freeze_own_writable_map)
{
	int dev, map;

	become_member();
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	map = array_map(dev);
	ck_assert_int_ge(map, 0);
	ck_assert_int_eq(map_update(map, 0, 1), 0);
	ck_assert_int_eq(dev_freeze(dev, map), 0);
	ck_assert_int_eq(map_update(map, 0, 2), -1);
	ck_assert_int_eq(errno, EPERM);
	/* frozen for good: a second freeze is refused */
	ck_assert_int_eq(dev_freeze(dev, map), -1);
	ck_assert(errno == EBUSY || errno == EPERM);
}
END_TEST

START_TEST(freeze_read_only_fd_is_refused)
{
	int dev, map, ro;

	pin_dir_setup();
	become_member();
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	map = array_map(dev);
	ck_assert_int_ge(map, 0);
	ro = read_only_fd(map);
	ck_assert_int_eq(dev_freeze(dev, ro), -1);
	ck_assert_int_eq(errno, EPERM);
	/* not frozen: the writable fd still writes */
	ck_assert_int_eq(map_update(map, 0, 7), 0);
}
END_TEST

START_TEST(freeze_fd_swap_race)
{
	struct freeze_race r;

	pin_dir_setup();
	become_member();
	freeze_race_run(&r, scaled(RACE_ITERATIONS));
	race_report("freeze fd-swap", r.iterations, r.violations, r.frozen,
		    r.refused);
	ck_assert_int_eq(r.violations, 0);
	/* the race was run: both fds were seen at the freeze */
	ck_assert_int_gt(r.frozen, 0);
	ck_assert_int_gt(r.refused, 0);
}
END_TEST

Suite *freeze_suite(void)
{
	Suite *s = suite_create("freeze");
	TCase *tc = tcase_create("map_freeze");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, freeze_own_writable_map);
	tcase_add_test(tc, freeze_read_only_fd_is_refused);
	tcase_add_test(tc, freeze_fd_swap_race);
	suite_add_tcase(s, tc);
	return s;
}
