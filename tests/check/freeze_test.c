// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_MAP_FREEZE through /dev/bpf (freeze.c): only a holder of a writable
 * fd freezes, and swapping the fd number during the call cannot redirect a
 * freeze to a map held read-only (the race is also run against the broken
 * build, which checks one lookup and freezes another, and must find it
 * there: on 6.1, where that path is bpfdev's).
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

static int map_update(int map, __u32 key, __u32 value)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (__u32)map;
	a.key = ptr_to_u64(&key);
	a.value = ptr_to_u64(&value);
	return sys_bpf(BPF_MAP_UPDATE_ELEM, &a, sizeof(a));
}

static int array_map(int dev)
{
	union bpf_attr a;

	attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 4, 1);
	return dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a));
}

/* A read-only fd of @map, as another user's shared pin would give. */
static int read_only_fd(int map)
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

static void pin_dir_setup(void)
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

/*
 * A second thread swaps the fd number the freeze names between the
 * member's own writable map and a read-only fd of another map.
 */
struct freeze_race {
	int iterations;
	int violations;	/* the map held read-only got frozen */
	int frozen;	/* the writable map got frozen */
	int refused;	/* EPERM: the read-only fd was seen */
	int other;	/* EAGAIN, EBUSY */
};

struct fd_flipper {
	int target;		/* the fd number the freeze names */
	volatile int writable;	/* the member's own, writable map */
	int read_only;		/* another map, held read-only */
	volatile int stop;
};

static void *fd_flip(void *arg)
{
	struct fd_flipper *f = arg;

	while (!f->stop) {
		dup2(f->writable, f->target);
		dup2(f->read_only, f->target);
	}
	return NULL;
}

static void freeze_race_run(struct freeze_race *r, int iterations)
{
	struct fd_flipper f = { .target = 900 };
	union bpf_attr a;
	int dev, victim_w, i, old;
	pthread_t t;

	memset(r, 0, sizeof(*r));
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	victim_w = array_map(dev);
	ck_assert_int_ge(victim_w, 0);
	f.read_only = read_only_fd(victim_w);
	f.writable = array_map(dev);
	ck_assert_int_ge(f.writable, 0);
	ck_assert_int_eq(dup2(f.writable, f.target), f.target);

	ck_assert_int_eq(pthread_create(&t, NULL, fd_flip, &f), 0);
	for (i = 0; i < iterations; i++) {
		memset(&a, 0, sizeof(a));
		a.map_fd = (__u32)f.target;
		if (dev_bpf(dev, BPF_MAP_FREEZE, &a, sizeof(a)) == 0) {
			if (map_update(victim_w, 0, (__u32)i)) {
				r->violations++;
				i++;
				break;	/* frozen for good */
			}
			r->frozen++;
			/* the writable map is frozen now: a fresh one */
			old = f.writable;
			f.writable = array_map(dev);
			ck_assert_int_ge(f.writable, 0);
			close(old);
		} else if (errno == EPERM) {
			r->refused++;
		} else {
			r->other++;
		}
	}
	f.stop = 1;
	pthread_join(t, NULL);
	r->iterations = i;
	close(dev);
}

START_TEST(freeze_fd_swap_race)
{
	struct freeze_race r;

	pin_dir_setup();
	become_member();
	freeze_race_run(&r, scaled(RACE_ITERATIONS));
	if (race_verdict("freeze fd-swap", r.iterations, r.violations,
			 r.frozen, r.refused))
		return;
	/* the race was run: both fds were seen at the freeze */
	ck_assert_int_gt(r.frozen, 0);
	ck_assert_int_gt(r.refused, 0);
}
END_TEST

/*
 * 6.12's own map_freeze() checks the mode on the object it freezes;
 * bpfdev forwards it there, so only 6.1 has a bpfdev freeze path to break.
 */
static int broken_build_has_freeze_race(void)
{
	return !kernel_is_612();
}

const struct suite_def freeze_suite = { "freeze", {
	{ "map_freeze", .timeout = 300, .tests = {
		TEST(freeze_own_writable_map),
		TEST(freeze_read_only_fd_is_refused),
		RACE_IF(freeze_fd_swap_race, broken_build_has_freeze_race),
	} },
} };
