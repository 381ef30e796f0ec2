// SPDX-License-Identifier: GPL-2.0
/*
 * The registry (objects.c): a member lists and reopens the maps and
 * programs it created through bpfdev, and no one else's; an entry does not
 * keep its object alive; a file another thread dup2()s onto the number a
 * create returns is not recorded (the race is also run against the broken
 * build, which records it, and must find it there). Each test runs as a uid
 * no other test uses, so its registry starts empty.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#define IDS_MAX		64

/* A member of the bpf group that no other test is. */
static int fresh_member_dev(uid_t uid)
{
	gid_t groups[] = { (gid_t)bpf_gid() };
	int dev;

	become_ids(uid, groups, 1);
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	return dev;
}

/* Every ID a *_GET_NEXT_ID walk through @dev gives, in order. */
static int list_ids(int dev, int cmd, __u32 *ids)
{
	union bpf_attr a;
	__u32 id = 0;
	int n = 0;

	for (;;) {
		memset(&a, 0, sizeof(a));
		a.start_id = id;
		if (dev_bpf(dev, cmd, &a, sizeof(a))) {
			ck_assert_int_eq(errno, ENOENT);
			return n;
		}
		ck_assert_uint_gt(a.next_id, id);
		ck_assert_int_lt(n, IDS_MAX);
		ids[n++] = id = a.next_id;
	}
}

static int get_fd(int dev, int cmd, __u32 id, __u32 open_flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_id = id;		/* prog_id: the same field */
	a.open_flags = open_flags;
	return dev_bpf(dev, cmd, &a, sizeof(a));
}

/* BPF_OBJ_GET_INFO_BY_FD (unprivileged): 0, or -1 and errno */
static int fd_info(int fd, void *info, __u32 len)
{
	union bpf_attr a;

	memset(info, 0, len);
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info_len = len;
	a.info.info = ptr_to_u64(info);
	return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a, sizeof(a));
}

/*
 * The kernel's ID of the map or program at @fd, or 0 with errno set if
 * there is none.
 */
static __u32 fd_obj_id(int fd)
{
	struct bpf_prog_info info;	/* type and id come first in both */

	return fd_info(fd, &info, sizeof(__u32) * 2) ? 0 : info.id;
}

static __u32 obj_id(int fd)
{
	__u32 id = fd_obj_id(fd);

	ck_assert_msg(id, "no map or program at fd %d: %s", fd,
		      strerror(errno));
	return id;
}

/* The kernel's ID of the BTF object at @fd. */
static __u32 btf_obj_id(int fd)
{
	struct bpf_btf_info info;

	ck_assert_int_eq(fd_info(fd, &info, sizeof(info)), 0);
	return info.id;
}

/* The ID of the BTF a map was created with (0: none). */
static __u32 map_btf_id(int fd)
{
	struct bpf_map_info info;

	ck_assert_int_eq(fd_info(fd, &info, sizeof(info)), 0);
	return info.btf_id;
}

/* A BTF of one int through @dev */
static int dev_btf(int dev)
{
	__u32 size;
	void *blob = btf_blob(1, &size);
	int fd = dev_load_btf(dev, blob, size);

	free(blob);
	return fd;
}

static int map_update(int fd, __u32 key, __u32 value)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = ptr_to_u64(&key);
	a.value = ptr_to_u64(&value);
	return sys_bpf(BPF_MAP_UPDATE_ELEM, &a, sizeof(a)) ? -errno : 0;
}

START_TEST(members_list_exactly_their_objects)
{
	int dev = fresh_member_dev(2001), map, prog;
	__u32 ids[IDS_MAX];

	ck_assert_int_eq(list_ids(dev, BPF_MAP_GET_NEXT_ID, ids), 0);
	ck_assert_int_eq(list_ids(dev, BPF_PROG_GET_NEXT_ID, ids), 0);
	map = dev_map(dev, BPF_MAP_TYPE_ARRAY);
	ck_assert_int_ge(map, 0);
	prog = dev_load_sf(dev);
	ck_assert_int_ge(prog, 0);

	ck_assert_int_eq(list_ids(dev, BPF_MAP_GET_NEXT_ID, ids), 1);
	ck_assert_uint_eq(ids[0], obj_id(map));
	ck_assert_int_eq(list_ids(dev, BPF_PROG_GET_NEXT_ID, ids), 1);
	ck_assert_uint_eq(ids[0], obj_id(prog));
}
END_TEST

START_TEST(reopened_by_id_as_bpf2_opens_them)
{
	int dev = fresh_member_dev(2002), map, prog, fd;
	__u32 map_id, prog_id;

	map = dev_map(dev, BPF_MAP_TYPE_ARRAY);
	prog = dev_load_sf(dev);
	ck_assert_int_ge(map, 0);
	ck_assert_int_ge(prog, 0);
	map_id = obj_id(map);
	prog_id = obj_id(prog);

	fd = get_fd(dev, BPF_MAP_GET_FD_BY_ID, map_id, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_uint_eq(obj_id(fd), map_id);
	ck_assert_int_eq(fcntl(fd, F_GETFD), FD_CLOEXEC);
	ck_assert_int_eq(map_update(fd, 1, 7), 0);
	close(fd);
	/* open_flags as bpf(2) takes them */
	fd = get_fd(dev, BPF_MAP_GET_FD_BY_ID, map_id, BPF_F_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(map_update(fd, 1, 8), -EPERM);
	close(fd);
	ck_assert_int_eq(fd_result(get_fd(dev, BPF_MAP_GET_FD_BY_ID, map_id,
					  BPF_F_RDONLY | BPF_F_WRONLY)),
			 -EINVAL);
	ck_assert_int_eq(fd_result(get_fd(dev, BPF_MAP_GET_FD_BY_ID, map_id,
					  1U << 20)), -EINVAL);

	fd = get_fd(dev, BPF_PROG_GET_FD_BY_ID, prog_id, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_uint_eq(obj_id(fd), prog_id);
	close(fd);
	/* a map's ID is not a program's, and 0 is nobody's */
	ck_assert_int_eq(fd_result(get_fd(dev, BPF_PROG_GET_FD_BY_ID, map_id,
					  0)), map_id == prog_id ? 0 : -ENOENT);
	ck_assert_int_eq(fd_result(get_fd(dev, BPF_MAP_GET_FD_BY_ID, 0, 0)),
			 -ENOENT);
	ck_assert_int_eq(fd_result(get_fd(dev, BPF_PROG_GET_FD_BY_ID, 0, 0)),
			 -ENOENT);
}
END_TEST

START_TEST(other_members_see_none_of_them)
{
	int up[2], down[2], status, dev, n;
	__u32 ids[3], id, listed[IDS_MAX];
	struct objs o;
	pid_t a;
	char c;

	ck_assert_int_eq(pipe(up), 0);
	ck_assert_int_eq(pipe(down), 0);
	a = fork();
	ck_assert_int_ge(a, 0);
	if (!a) {
		int map, prog, btf;

		close(down[1]);
		close(up[0]);
		dev = fresh_member_dev(2003);
		map = dev_map(dev, BPF_MAP_TYPE_ARRAY);
		prog = dev_load_sf(dev);
		btf = dev_btf(dev);
		if (map < 0 || prog < 0 || btf < 0)
			_exit(1);
		ids[0] = obj_id(map);
		ids[1] = obj_id(prog);
		ids[2] = btf_obj_id(btf);
		if (write(up[1], ids, sizeof(ids)) != sizeof(ids))
			_exit(1);
		/* alive until the other member has looked */
		_exit(read(down[0], &c, 1) == 0 ? 0 : 1);
	}
	close(up[1]);
	close(down[0]);
	ck_assert_int_eq(read(up[0], ids, sizeof(ids)), (int)sizeof(ids));
	objs_snapshot(&o);
	ck_assert_uint_ge(o.max_map, ids[0]);
	ck_assert_uint_ge(o.max_prog, ids[1]);
	ck_assert_uint_ge(o.max_btf, ids[2]);

	dev = fresh_member_dev(2004);
	ck_assert_int_eq(list_ids(dev, BPF_MAP_GET_NEXT_ID, listed), 0);
	ck_assert_int_eq(list_ids(dev, BPF_PROG_GET_NEXT_ID, listed), 0);
	ck_assert_int_eq(list_ids(dev, BPF_BTF_GET_NEXT_ID, listed), 0);
	/* every ID the machine has handed out: none is this member's */
	for (id = 0, n = 0; id <= o.max_map; id++)
		n += get_fd(dev, BPF_MAP_GET_FD_BY_ID, id, 0) >= 0 ||
		     errno != ENOENT;
	for (id = 0; id <= o.max_prog; id++)
		n += get_fd(dev, BPF_PROG_GET_FD_BY_ID, id, 0) >= 0 ||
		     errno != ENOENT;
	for (id = 0; id <= o.max_btf; id++)
		n += get_fd(dev, BPF_BTF_GET_FD_BY_ID, id, 0) >= 0 ||
		     errno != ENOENT;
	ck_assert_int_eq(n, 0);
	close(down[1]);
	ck_assert_int_eq(waitpid(a, &status, 0), a);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
END_TEST

/* Root's bpf(2): does the object with this ID still exist? */
static int exists(int cmd, __u32 id)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.map_id = id;
	fd = sys_bpf(cmd, &a, sizeof(a));
	if (fd >= 0)
		close(fd);
	else
		ck_assert_int_eq(errno, ENOENT);
	return fd >= 0;
}

START_TEST(entries_do_not_keep_their_objects)
{
	struct timespec tick = { 0, 50 * 1000 * 1000 };
	int p[2], status, i;
	__u32 ids[2];
	pid_t child;

	ck_assert_int_eq(pipe(p), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (!child) {
		struct bpf_insn insns[] = {
			INSN_LD_MAP_FD(1, 0),
			INSN_MOV64_IMM(0, 0),
			INSN_EXIT(),
		};
		__u32 listed[IDS_MAX];
		union bpf_attr a;
		int dev, map, prog, fd;

		dev = fresh_member_dev(2005);
		map = dev_map(dev, BPF_MAP_TYPE_ARRAY);
		ck_assert_int_ge(map, 0);
		ids[0] = obj_id(map);
		insns[0].imm = map;
		attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, insns,
			  ARRAY_LEN(insns));
		prog = dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a));
		ck_assert_int_ge(prog, 0);
		ids[1] = obj_id(prog);

		/* reopened while a user fd exists */
		fd = get_fd(dev, BPF_MAP_GET_FD_BY_ID, ids[0], 0);
		ck_assert_int_ge(fd, 0);
		close(fd);
		/*
		 * Only the program holds the map: its user references are
		 * gone (bpf(2) would empty a prog array now), and so it is
		 * gone for the member, as for any user without CAP_SYS_ADMIN.
		 */
		close(map);
		ck_assert_int_eq(list_ids(dev, BPF_MAP_GET_NEXT_ID, listed), 0);
		ck_assert_int_eq(fd_result(get_fd(dev, BPF_MAP_GET_FD_BY_ID,
						  ids[0], 0)), -ENOENT);

		/* nobody else holds the program: gone for the member */
		close(prog);
		ck_assert_int_eq(fd_result(get_fd(dev, BPF_PROG_GET_FD_BY_ID,
						  ids[1], 0)), -ENOENT);
		ck_assert_int_eq(list_ids(dev, BPF_PROG_GET_NEXT_ID, listed), 0);
		ck_assert_int_eq(write(p[1], ids, sizeof(ids)),
				 (int)sizeof(ids));
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], ids, sizeof(ids)), (int)sizeof(ids));
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* and freed: the program at once, the map at the sweep after */
	for (i = 0; i < 100 && (exists(BPF_PROG_GET_FD_BY_ID, ids[1]) ||
				exists(BPF_MAP_GET_FD_BY_ID, ids[0])); i++)
		nanosleep(&tick, NULL);
	ck_assert_msg(!exists(BPF_PROG_GET_FD_BY_ID, ids[1]),
		      "program %u kept alive", ids[1]);
	ck_assert_msg(!exists(BPF_MAP_GET_FD_BY_ID, ids[0]),
		      "map %u kept alive", ids[0]);
}
END_TEST

/* A map of @type, int to int, described by the BTF at @btf */
static int dev_btf_map(int dev, __u32 type, int btf)
{
	union bpf_attr a;

	attr_map(&a, type, 4, 4, 1);
	a.btf_fd = btf;
	a.btf_key_type_id = 1;
	a.btf_value_type_id = 1;
	return dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a));
}

/*
 * BTF is listed and reopened as the very file BPF_BTF_LOAD made, and
 * stays listed after its fd is closed while a map created with it lives.
 */
START_TEST(btf_listed_while_it_or_its_maps_live)
{
	struct timespec tick = { 0, 50 * 1000 * 1000 };
	int dev = fresh_member_dev(2008), btf, map, fd, i;
	__u32 ids[IDS_MAX], id;

	ck_assert_int_eq(list_ids(dev, BPF_BTF_GET_NEXT_ID, ids), 0);
	btf = dev_btf(dev);
	ck_assert_int_ge(btf, 0);
	id = btf_obj_id(btf);
	ck_assert_int_eq(list_ids(dev, BPF_BTF_GET_NEXT_ID, ids), 1);
	ck_assert_uint_eq(ids[0], id);

	fd = get_fd(dev, BPF_BTF_GET_FD_BY_ID, id, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_uint_eq(btf_obj_id(fd), id);
	ck_assert_int_eq(fcntl(fd, F_GETFD), FD_CLOEXEC);
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
	close(fd);
	/* bpf(2) takes no open_flags for BTF */
	ck_assert_int_eq(fd_result(get_fd(dev, BPF_BTF_GET_FD_BY_ID, id,
					  BPF_F_RDONLY)), -EINVAL);

	/* a map described by it keeps it listed once its fd is closed */
	map = dev_btf_map(dev, BPF_MAP_TYPE_ARRAY, btf);
	ck_assert_int_ge(map, 0);
	ck_assert_uint_eq(map_btf_id(map), id);
	close(btf);
	for (i = 0; i < 30; i++)	/* a sweep or more */
		nanosleep(&tick, NULL);
	ck_assert_int_eq(list_ids(dev, BPF_BTF_GET_NEXT_ID, ids), 1);
	ck_assert_uint_eq(ids[0], id);
	fd = get_fd(dev, BPF_BTF_GET_FD_BY_ID, id, 0);
	ck_assert_int_ge(fd, 0);
	close(fd);

	/* the map gone, the BTF goes */
	close(map);
	for (i = 0; i < 100 && list_ids(dev, BPF_BTF_GET_NEXT_ID, ids); i++)
		nanosleep(&tick, NULL);
	ck_assert_int_eq(list_ids(dev, BPF_BTF_GET_NEXT_ID, ids), 0);
	ck_assert_int_eq(fd_result(get_fd(dev, BPF_BTF_GET_FD_BY_ID, id, 0)),
			 -ENOENT);
}
END_TEST

/* A map of @type described by a BTF of its own; *@btf_id: that BTF's ID */
static void btf_map(int dev, __u32 type, __u32 *btf_id)
{
	int btf = dev_btf(dev);

	ck_assert_int_ge(btf, 0);
	*btf_id = btf_obj_id(btf);
	ck_assert_int_ge(dev_btf_map(dev, type, btf), 0);
}

START_TEST(narrowed_files_and_sandboxes_see_no_more)
{
	int dev = fresh_member_dev(2006), hash, array, prog, narrow, status;
	__u32 ids[IDS_MAX], btf_hash, btf_array;
	pid_t child;

	hash = dev_map(dev, BPF_MAP_TYPE_HASH);
	array = dev_map(dev, BPF_MAP_TYPE_ARRAY);
	prog = dev_load_sf(dev);
	ck_assert_int_ge(hash, 0);
	ck_assert_int_ge(array, 0);
	ck_assert_int_ge(prog, 0);

	/* a file narrowed to hash maps lists and reopens no more */
	narrow = dev_narrow(dev, 0, 1ULL << BPF_MAP_TYPE_HASH, 0, 0);
	ck_assert_int_ge(narrow, 0);
	ck_assert_int_eq(list_ids(narrow, BPF_MAP_GET_NEXT_ID, ids), 1);
	ck_assert_uint_eq(ids[0], obj_id(hash));
	ck_assert_int_eq(list_ids(narrow, BPF_PROG_GET_NEXT_ID, ids), 0);
	ck_assert_int_eq(fd_result(get_fd(narrow, BPF_MAP_GET_FD_BY_ID,
					  obj_id(array), 0)), -ENOENT);
	ck_assert_int_eq(fd_result(get_fd(narrow, BPF_PROG_GET_FD_BY_ID,
					  obj_id(prog), 0)), -ENOENT);
	ck_assert_int_eq(list_ids(dev, BPF_MAP_GET_NEXT_ID, ids), 2);

	/* BTF only where every map made with it is visible */
	btf_map(dev, BPF_MAP_TYPE_HASH, &btf_hash);
	btf_map(dev, BPF_MAP_TYPE_ARRAY, &btf_array);
	ck_assert_int_eq(list_ids(narrow, BPF_BTF_GET_NEXT_ID, ids), 1);
	ck_assert_uint_eq(ids[0], btf_hash);
	ck_assert_int_eq(fd_result(get_fd(narrow, BPF_BTF_GET_FD_BY_ID,
					  btf_array, 0)), -ENOENT);
	ck_assert_int_eq(list_ids(dev, BPF_BTF_GET_NEXT_ID, ids), 2);

	/* a caller in a user namespace, or under seccomp, is refused */
	child = fork();
	ck_assert_int_ge(child, 0);
	if (!child) {
		union bpf_attr a;

		memset(&a, 0, sizeof(a));
		if (unshare(CLONE_NEWUSER))
			_exit(2);
		_exit(dev_bpf(dev, BPF_MAP_GET_NEXT_ID, &a, sizeof(a)) == -1 &&
		      errno == EPERM ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	seccomp_filter(0);	/* bpf(2) allowed: still a sandbox */
	ck_assert_int_eq(fd_result(get_fd(dev, BPF_MAP_GET_FD_BY_ID,
					  obj_id(hash), 0)), -EPERM);
	ck_assert_int_eq(fd_result(get_fd(dev, BPF_PROG_GET_FD_BY_ID,
					  obj_id(prog), 0)), -EPERM);
}
END_TEST

/*
 * Another thread dup2()s a read-only fd of a map that is not the member's
 * onto the number the member's next map create gets (the lowest free),
 * and closes it again, over and over: whenever that lands between the
 * kernel's fd_install() and the registry's look at the number, the file
 * there is not the one the create made, and must not be recorded. If it
 * were, the member could list the other map and reopen it read-write by
 * its ID through the device.
 */
#define SWAP_RACE_UID		2007
#define SWAP_RACE_ITERATIONS	10000
/* the registry is searched for the other map every so many creates */
#define SWAP_RACE_LOOK_EVERY	100

struct swap_race {
	int iterations;
	int violations;	/* the other map reachable through the device */
	int own;	/* the create's fd held the new map when looked at */
	int swapped;	/* it held the other map: the swap landed */
	int failed;	/* the create failed */
	int error;	/* errno of the last failure */
};

struct fd_swapper {
	int target;	/* the number the create gets */
	int foreign;	/* the other map, held read-only */
	volatile int stop;
};

/*
 * dup2() fails (EBUSY) while a create has the number but has not installed
 * its file there yet: then again at once, to land just after it does.
 */
static void *fd_swap(void *arg)
{
	struct fd_swapper *s = arg;

	while (!s->stop) {
		if (dup2(s->foreign, s->target) < 0)
			continue;
		close(s->target);
	}
	return NULL;
}

/* Can @dev reach the map @id: reopen it by ID, or list it? */
static int reachable(int dev, __u32 id)
{
	union bpf_attr a;
	__u32 next = 0;
	int fd, n = 0;

	fd = get_fd(dev, BPF_MAP_GET_FD_BY_ID, id, 0);
	if (fd >= 0) {
		close(fd);
		n++;
	} else {
		ck_assert_int_eq(errno, ENOENT);
	}
	for (;;) {
		memset(&a, 0, sizeof(a));
		a.start_id = next;
		if (dev_bpf(dev, BPF_MAP_GET_NEXT_ID, &a, sizeof(a))) {
			ck_assert_int_eq(errno, ENOENT);
			break;
		}
		ck_assert_uint_gt(a.next_id, next);
		next = a.next_id;
		n += next == id;
	}
	return n > 0;
}

/* As root: a map of root's, and a read-only fd of it that holds it. */
static int foreign_map(__u32 *id)
{
	union bpf_attr a;
	int map, fd;

	attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 4, 1);
	map = sys_bpf(BPF_MAP_CREATE, &a, sizeof(a));
	ck_assert_int_ge(map, 0);
	*id = obj_id(map);
	memset(&a, 0, sizeof(a));
	a.map_id = *id;
	a.open_flags = BPF_F_RDONLY;
	fd = sys_bpf(BPF_MAP_GET_FD_BY_ID, &a, sizeof(a));
	ck_assert_int_ge(fd, 0);
	close(map);
	return fd;
}

static void swap_race_run(struct swap_race *r, int iterations)
{
	struct fd_swapper s;
	union bpf_attr a;
	__u32 foreign_id, id;
	int dev, fd, i;
	pthread_t t;

	memset(r, 0, sizeof(*r));
	memset(&s, 0, sizeof(s));
	s.foreign = foreign_map(&foreign_id);
	dev = fresh_member_dev(SWAP_RACE_UID);
	/* the member holds it read-only, and the device knows it not */
	ck_assert_int_eq(map_update(s.foreign, 0, 1), -EPERM);
	ck_assert(!reachable(dev, foreign_id));
	s.target = dup(dev);
	ck_assert_int_ge(s.target, 0);
	close(s.target);

	ck_assert_int_eq(pthread_create(&t, NULL, fd_swap, &s), 0);
	for (i = 0; i < iterations && !r->violations; i++) {
		attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 4, 1);
		fd = dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a));
		if (fd < 0) {
			r->failed++;
			r->error = errno;
		} else {
			/* 0: the other thread closed it since */
			id = fd_obj_id(fd);
			if (id == foreign_id)
				r->swapped++;
			else if (id)
				r->own++;
			/* the new map, the other's dup or nothing */
			close(fd);
		}
		if ((i + 1) % SWAP_RACE_LOOK_EVERY == 0)
			r->violations += reachable(dev, foreign_id);
	}
	s.stop = 1;
	pthread_join(t, NULL);
	r->iterations = i;
	if (!r->violations)
		r->violations += reachable(dev, foreign_id);
	close(s.foreign);
	close(dev);
}

START_TEST(create_dup2_race)
{
	struct swap_race r;

	swap_race_run(&r, scaled(SWAP_RACE_ITERATIONS));
	/* refused: the other map at the number, which must not be recorded */
	if (race_verdict("create/dup2", r.iterations, r.violations, r.own,
			 r.swapped))
		return;
	ck_assert_msg(!r.failed, "%d of %d creates failed, the last: %s",
		      r.failed, r.iterations, strerror(r.error));
	/* the race was run: the create's fd held the other map at times */
	ck_assert_int_gt(r.own, 0);
	ck_assert_int_gt(r.swapped, 0);
}
END_TEST

const struct suite_def objects_suite = {
	.name = "objects",
	.tcases = {
		{ .name = "registry", .reset_grant = 1, .tests = {
			TEST(members_list_exactly_their_objects),
			TEST(reopened_by_id_as_bpf2_opens_them),
			TEST(other_members_see_none_of_them),
			TEST(entries_do_not_keep_their_objects),
			TEST(btf_listed_while_it_or_its_maps_live),
			TEST(narrowed_files_and_sandboxes_see_no_more),
		} },
		{ .name = "race", .timeout = 300, .tests = {
			RACE(create_dup2_race),
		} },
	},
};
