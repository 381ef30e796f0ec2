// SPDX-License-Identifier: GPL-2.0
/*
 * The device and the life of its files (main.c): who may open /dev/bpf,
 * and what an open file says about itself; open files, narrowed ones
 * included, pin the module, and it loads and unloads cleanly, also while
 * files are opened and closed (the race is also run against the broken
 * build, whose narrowed files do not pin the module, and must find it
 * there).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
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

/* rmmod against open files. */
#define RMMOD_CYCLES	40
struct rmmod_race {
	int cycles;	/* unload + load cycles with openers running */
	int violations;	/* rmmod succeeded while a narrowed file was open */
	int busy;	/* rmmod refused: a file was open */
	int opened;	/* files opened, narrowed and queried */
	int absent;	/* opens that found no module (ENOENT, ENXIO, ENODEV) */
	int other;	/* anything else: a file that failed mid-use */
};

/*
 * A narrowed file (an anon-inode file, not the node) must pin the module
 * like an opened one. The file is held by a process of its own: should
 * rmmod wrongly succeed (the broken build), closing the file would run the
 * unloaded module's code, so that process keeps it open until the VM
 * powers off. Returns 1 if rmmod succeeded.
 */
static int rmmod_pinned_run(struct rmmod_race *r)
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
static void rmmod_race_run(struct rmmod_race *r, int cycles)
{
	struct opener o = { .lock = PTHREAD_MUTEX_INITIALIZER, .r = r };
	pthread_t t[2];
	int i, tries;

	memset(r, 0, sizeof(*r));
	/*
	 * Against the broken build the pinned file is the race test: its
	 * narrowed files do not pin the module, so files opened and narrowed
	 * while it is unloaded and loaded again would run unloaded code.
	 */
	if (rmmod_pinned_run(r) || broken_build)
		return;
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
	if (race_verdict("rmmod/open", r.cycles, r.violations, r.opened,
			 r.busy))
		return;
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

/* Last of all suites: the module is unloaded and loaded again. */
const struct suite_def main_suite = { "main", {
	{ "open", .tests = {
		TEST(node_is_root_bpf_0660),
		TEST(member_opens_read_write),
		TEST(outsider_gets_eacces),
		TEST(read_only_file_queries_but_cannot_execute),
		TEST(fdinfo_shows_the_grant),
		TEST(info_follows_extensible_struct_rules),
	} },
	{ "lifetime", .timeout = 120, .tests = {
		TEST(rmmod_refused_while_a_file_is_open),
		TEST(load_unload_twenty_times),
		RACE(rmmod_open_race),
	} },
} };
