// SPDX-License-Identifier: GPL-2.0
/* The module's life: open files pin it, and it loads and unloads cleanly. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"
#include "test_race.h"

static const char *module_path(void)
{
	const char *p = getenv("BPFDEV_KO");

	return p ? p : "/lib/bpfdev/bpfdev.ko";
}

static int module_load(void)
{
	int fd = open(module_path(), O_RDONLY | O_CLOEXEC), ret;

	ck_assert_int_ge(fd, 0);
	ret = (int)syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	return ret;
}

static int module_unload(void)
{
	return (int)syscall(SYS_delete_module, "bpfdev", O_NONBLOCK);
}

/* Wait (up to 10 s) until udev has given /dev/bpf its group, or it is gone. */
static int node_settles(int present)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	struct stat st;
	int i;

	for (i = 0; i < 1000; i++) {
		int ok = stat(DEV_PATH, &st) == 0;

		if (!present && !ok)
			return 1;
		if (present && ok && st.st_gid == (gid_t)bpf_gid() &&
		    (st.st_mode & 07777) == 0660 && st.st_uid == 0)
			return 1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

/*
 * A narrowed file (an anon-inode file, not the node) must pin the module
 * like an opened one. The file is held by a process of its own: should
 * rmmod wrongly succeed (the broken build), closing the file would run the
 * unloaded module's code, so that process keeps it open until the VM
 * powers off. Returns 1 if rmmod succeeded.
 */
int rmmod_pinned_run(struct rmmod_race *r)
{
	int dev = dev_open(O_RDWR), narrowed, ret;
	pid_t holder;

	ck_assert_int_ge(dev, 0);
	narrowed = dev_narrow(dev, ~0ULL, ~0ULL, 0, 0);
	ck_assert_int_ge(narrowed, 0);
	close(dev);
	holder = fork();
	ck_assert_int_ge(holder, 0);
	if (holder == 0) {
		setsid();	/* out of reach of the test's process group */
		for (;;)
			pause();
	}
	close(narrowed);
	r->opened++;
	ret = module_unload();
	if (ret == 0) {
		r->violations++;
		ck_assert_int_eq(module_load(), 0);
		ck_assert(node_settles(1));
		return 1;
	}
	ck_assert_int_eq(errno, EWOULDBLOCK);
	r->busy++;
	kill(holder, SIGKILL);
	ck_assert_int_eq(waitpid(holder, NULL, 0), holder);
	return 0;
}

struct opener {
	volatile int stop;
	pthread_mutex_t lock;
	struct rmmod_race *r;
};

/* Open, narrow, close the original, query the narrowed file, close it. */
static void *opener_thread(void *arg)
{
	struct opener *o = arg;
	int opened = 0, absent = 0, other = 0;
	struct bpfdev_info info;

	while (!o->stop) {
		int dev = open(DEV_PATH, O_RDWR | O_CLOEXEC), narrowed;

		if (dev < 0) {
			if (errno == ENOENT || errno == ENXIO ||
			    errno == ENODEV)
				absent++;
			else
				other++;
			usleep(200);
			continue;
		}
		narrowed = dev_narrow(dev, ~0ULL, ~0ULL, 0, 0);
		close(dev);
		if (narrowed < 0 || dev_info(narrowed, &info))
			other++;
		else
			opened++;
		if (narrowed >= 0)
			close(narrowed);
		usleep((useconds_t)(opened % 5) * 50);
	}
	pthread_mutex_lock(&o->lock);
	o->r->opened += opened;
	o->r->absent += absent;
	o->r->other += other;
	pthread_mutex_unlock(&o->lock);
	return NULL;
}

/*
 * Root unloads and reloads the module while two threads open, narrow,
 * query and close files. rmmod must succeed only when no file is open,
 * and every file that opened must work until it is closed.
 */
void rmmod_race_run(struct rmmod_race *r, int cycles)
{
	struct opener o = { .lock = PTHREAD_MUTEX_INITIALIZER, .r = r };
	pthread_t t[2];
	int i, tries;

	memset(r, 0, sizeof(*r));
	rmmod_pinned_run(r);
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, opener_thread,
						&o), 0);
	for (i = 0; i < cycles; i++) {
		for (tries = 0; module_unload(); tries++) {
			ck_assert_int_eq(errno, EWOULDBLOCK);
			ck_assert_msg(tries < 100000, "rmmod never got through");
			r->busy++;
		}
		ck_assert_int_eq(module_load(), 0);
		usleep(2000);
	}
	o.stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	r->cycles = cycles;
	ck_assert(node_settles(1));
}

START_TEST(rmmod_open_race)
{
	struct rmmod_race r;

	rmmod_race_run(&r, scaled(RMMOD_CYCLES));
	race_report("rmmod/open", r.cycles, r.violations, r.opened, r.busy);
	ck_assert_int_eq(r.violations, 0);
	ck_assert_int_eq(r.other, 0);
	/* the openers and rmmod really met */
	ck_assert_int_gt(r.opened, 0);
	ck_assert_int_gt(r.absent, 0);
	ck_assert_int_gt(r.busy, 0);
}
END_TEST

START_TEST(rmmod_refused_while_a_file_is_open)
{
	int fd = dev_open(O_RDWR);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(module_unload(), -1);
	ck_assert_int_eq(errno, EWOULDBLOCK);
	close(fd);
	ck_assert_int_eq(module_unload(), 0);
	ck_assert(node_settles(0));
	ck_assert_int_eq(module_load(), 0);
	ck_assert(node_settles(1));
}
END_TEST

START_TEST(load_unload_twenty_times)
{
	struct bpfdev_info info;
	int i, fd;

	for (i = 0; i < 20; i++) {
		ck_assert_int_eq(module_unload(), 0);
		ck_assert_msg(node_settles(0), "node left after unload %d", i);
		ck_assert_int_eq(module_load(), 0);
		ck_assert_msg(node_settles(1), "no root:bpf 0660 node, load %d",
			      i);
		fd = dev_open(O_RDWR);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(dev_info(fd, &info), 0);
		close(fd);
	}
}
END_TEST

Suite *module_suite(void)
{
	Suite *s = suite_create("module");
	TCase *tc = tcase_create("lifetime");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, rmmod_refused_while_a_file_is_open);
	tcase_add_test(tc, load_unload_twenty_times);
	tcase_add_test(tc, rmmod_open_race);
	suite_add_tcase(s, tc);
	return s;
}
