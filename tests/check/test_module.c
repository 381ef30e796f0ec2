// SPDX-License-Identifier: GPL-2.0
/* The module's life: open files pin it, and it loads and unloads cleanly. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

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
	suite_add_tcase(s, tc);
	return s;
}
