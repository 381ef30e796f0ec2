// SPDX-License-Identifier: GPL-2.0
/*
 * Why was I refused (refusals.c): a user reads its last refusals after the
 * refused process exited, with the reason, the types and the limit; other
 * users do not; root reads everyone's. Each test runs as uids no other
 * test uses, so their rings start empty.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

#define REFUSED_UID	2101
#define OTHER_UID	2102
#define RING_UID	2103
#define COUNT_UID	2112
#define KEPT		16

static const struct bpf_insn ret0[] = { INSN_MOV64_IMM(0, 0), INSN_EXIT() };

/* Become @uid, a member of the bpf group, and open the device. */
static int member_as(uid_t uid)
{
	gid_t groups[] = { (gid_t)bpf_gid() };
	int dev;

	become_ids(uid, groups, 1);
	dev = dev_open(O_RDONLY);
	ck_assert_int_ge(dev, 0);
	return dev;
}

/* BPFDEV_IOC_REFUSALS of @uid into @r, entries of @rsize bytes: n, or -errno */
static int refusals(int dev, __u32 uid, void *r, __u32 count, __u32 rsize)
{
	struct bpfdev_refusals q;

	memset(&q, 0, sizeof(q));
	q.size = sizeof(q);
	q.uid = uid;
	q.count = count;
	q.refusals = ptr_to_u64(r);
	q.refusal_size = rsize;
	if (ioctl(dev, BPFDEV_IOC_REFUSALS, &q))
		return -errno;
	return (int)q.count;
}

/* In a child that exits: @uid refused an XDP load, then a map too large. */
static pid_t refused_twice(uid_t uid)
{
	int status, dev, ret;
	union bpf_attr a;
	pid_t child;

	child = fork();
	ck_assert_int_ge(child, 0);
	if (!child) {
		gid_t groups[] = { (gid_t)bpf_gid() };

		become_ids(uid, groups, 1);
		dev = dev_open(O_RDWR);
		attr_prog(&a, BPF_PROG_TYPE_XDP, ret0, 2);
		ret = dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a));
		if (ret != -1 || errno != EPERM)
			_exit(1);
		attr_map(&a, BPF_MAP_TYPE_HASH, 4, 1024, 1024);
		ret = dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a));
		_exit(ret == -1 && errno == E2BIG ? 0 : 2);
	}
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert_msg(WIFEXITED(status) && !WEXITSTATUS(status),
		      "refused child: status %d", status);
	return child;
}

START_TEST(users_read_why_they_were_refused)
{
	struct bpfdev_refusal r[KEPT];
	pid_t child;
	int dev;

	ck_assert_int_eq(root_param_write("map_mem_max", "65536"), 0);
	child = refused_twice(REFUSED_UID);

	/* after the process exited, the user reads both, newest first */
	dev = member_as(REFUSED_UID);
	ck_assert_int_eq(refusals(dev, REFUSED_UID, r, KEPT, sizeof(r[0])), 2);
	ck_assert_str_eq(r[0].op, "map_create");
	ck_assert_str_eq(r[0].reason, "size");
	ck_assert_str_eq(r[0].map_type, "hash");
	ck_assert_uint_eq(r[0].err, E2BIG);
	ck_assert_str_eq(r[0].limit_name, "map_mem_max");
	ck_assert_uint_eq(r[0].limit, 65536);
	ck_assert_uint_gt(r[0].value, 65536);
	ck_assert_str_eq(r[1].op, "prog_load");
	ck_assert_str_eq(r[1].reason, "prog_type");
	ck_assert_str_eq(r[1].prog_type, "xdp");
	ck_assert_uint_eq(r[1].err, EPERM);
	ck_assert_str_eq(r[1].limit_name, "");
	ck_assert_uint_eq(r[1].pid, (__u32)child);
	ck_assert_uint_eq(r[1].uid, REFUSED_UID);
	ck_assert_uint_ge(r[0].time_ns, r[1].time_ns);
	/* room for one: the newest; for none: nothing */
	ck_assert_int_eq(refusals(dev, BPFDEV_REFUSALS_OWN, r, 1, sizeof(r[0])),
			 1);
	ck_assert_str_eq(r[0].op, "map_create");
	ck_assert_int_eq(refusals(dev, REFUSED_UID, r, 0, sizeof(r[0])), 0);
	/* another user's: refused */
	ck_assert_int_eq(refusals(dev, OTHER_UID, r, KEPT, sizeof(r[0])),
			 -EPERM);
}
END_TEST

START_TEST(others_see_none_and_root_sees_all)
{
	struct bpfdev_refusal r[KEPT];
	int dev, status, n, i, found = 0;
	pid_t child, other;

	ck_assert_int_eq(root_param_write("map_mem_max", "65536"), 0);
	child = refused_twice(REFUSED_UID + 10);
	other = fork();
	ck_assert_int_ge(other, 0);
	if (!other) {
		dev = member_as(OTHER_UID);
		_exit(refusals(dev, OTHER_UID, r, KEPT, sizeof(r[0])) == 0 &&
		      refusals(dev, REFUSED_UID + 10, r, KEPT,
			       sizeof(r[0])) == -EPERM &&
		      refusals(dev, BPFDEV_REFUSALS_ALL_UIDS, r, KEPT,
			       sizeof(r[0])) == -EPERM ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(other, &status, 0), other);
	ck_assert(WIFEXITED(status) && !WEXITSTATUS(status));

	/* root: any user's, and everyone's */
	dev = dev_open(O_RDONLY);
	ck_assert_int_ge(dev, 0);
	ck_assert_int_eq(refusals(dev, REFUSED_UID + 10, r, KEPT, sizeof(r[0])),
			 2);
	n = refusals(dev, BPFDEV_REFUSALS_ALL_UIDS, r, KEPT, sizeof(r[0]));
	ck_assert_int_ge(n, 2);
	for (i = 0; i < n; i++) {
		found += r[i].pid == (__u32)child;
		if (i)
			ck_assert_uint_ge(r[i - 1].time_ns, r[i].time_ns);
	}
	ck_assert_int_eq(found, 2);
}
END_TEST

START_TEST(the_last_sixteen_are_kept_and_sizes_are_checked)
{
	unsigned char big[KEPT][BPFDEV_REFUSAL_SIZE_VER0 + 16];
	struct bpfdev_refusal r[KEPT + 8];
	struct bpfdev_refusals q;
	union bpf_attr a;
	int dev, rw, i;

	dev = member_as(RING_UID);
	rw = dev_open(O_RDWR);
	ck_assert_int_ge(rw, 0);
	for (i = 0; i < KEPT + 4; i++) {
		attr_prog(&a, BPF_PROG_TYPE_XDP, ret0, 2);
		ck_assert_int_eq(dev_bpf(rw, BPF_PROG_LOAD, &a, sizeof(a)), -1);
	}
	ck_assert_int_eq(refusals(dev, RING_UID, r, KEPT + 8, sizeof(r[0])),
			 KEPT);
	for (i = 1; i < KEPT; i++)
		ck_assert_uint_ge(r[i - 1].time_ns, r[i].time_ns);
	/* a larger entry than ours: zeroed beyond it */
	memset(big, 0xff, sizeof(big));
	ck_assert_int_eq(refusals(dev, RING_UID, big, KEPT, sizeof(big[0])),
			 KEPT);
	for (i = BPFDEV_REFUSAL_SIZE_VER0; i < (int)sizeof(big[0]); i++)
		ck_assert_uint_eq(big[KEPT - 1][i], 0);
	/* too small an entry, unknown flags: EINVAL */
	ck_assert_int_eq(refusals(dev, RING_UID, r, KEPT, 64), -EINVAL);
	memset(&q, 0, sizeof(q));
	q.size = sizeof(q);
	q.flags = 1;
	q.uid = RING_UID;
	q.refusal_size = sizeof(r[0]);
	ck_assert_int_eq(ioctl(dev, BPFDEV_IOC_REFUSALS, &q), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

/* The newest refusal of @uid is by count limit @name at @max */
static void assert_count_refusal(int dev, const char *name, __u64 max)
{
	struct bpfdev_refusal r;

	ck_assert_int_eq(refusals(dev, COUNT_UID, &r, 1, sizeof(r)), 1);
	ck_assert_str_eq(r.reason, "quota");
	ck_assert_uint_eq(r.err, EDQUOT);
	ck_assert_str_eq(r.limit_name, name);
	ck_assert_uint_eq(r.limit, max);
	ck_assert_uint_eq(r.value, max + 1);
}

/* A count limit is named too: the file's progs_max, the user's maps */
START_TEST(count_limits_are_named)
{
	int dev, rw, one, fd;

	ck_assert_int_eq(root_param_write("user_maps_max", "1"), 0);
	dev = member_as(COUNT_UID);
	rw = dev_open(O_RDWR);
	ck_assert_int_ge(rw, 0);
	one = dev_narrow(rw, ~0ULL, ~0ULL, 1, 0);
	ck_assert_int_ge(one, 0);
	fd = dev_load_sf(one);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(dev_load_sf(one), -1);
	ck_assert_int_eq(errno, EDQUOT);
	assert_count_refusal(dev, "progs_max", 1);

	fd = dev_map(rw, BPF_MAP_TYPE_ARRAY);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(dev_map(rw, BPF_MAP_TYPE_ARRAY), -1);
	ck_assert_int_eq(errno, EDQUOT);
	assert_count_refusal(dev, "user_maps_max", 1);
}
END_TEST

/* Write @text to /proc/@pid/@file */
static void proc_write(pid_t pid, const char *file, const char *text)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	fd = open(path, O_WRONLY);
	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
}

/*
 * A container's root (a user namespace root made, its uid 0 mapped to
 * 100000) neither reads root's refusals nor adds to anyone's.
 */
START_TEST(a_user_namespace_reads_and_writes_no_ones_refusals)
{
	struct bpfdev_refusal r[KEPT];
	int dev, status, p[2], q[2], n;
	union bpf_attr a;
	pid_t child;
	char c;

	/* root has a refusal: XDP is not delegated */
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	attr_prog(&a, BPF_PROG_TYPE_XDP, ret0, 2);
	ck_assert_int_eq(dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a)), -1);
	ck_assert_int_ge(refusals(dev, 0, r, KEPT, sizeof(r[0])), 1);

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(pipe(q), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (!child) {
		close(p[1]);
		close(q[0]);
		if (unshare(CLONE_NEWUSER) || write(q[1], "u", 1) != 1 ||
		    read(p[0], &c, 1) != 1 || setresuid(0, 0, 0))
			_exit(2);
		/* refused (userns), and not kept for anyone */
		if (dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a)) != -1 ||
		    errno != EPERM)
			_exit(3);
		_exit(refusals(dev, 0, r, KEPT, sizeof(r[0])) == -EPERM &&
		      refusals(dev, BPFDEV_REFUSALS_OWN, r, KEPT,
			       sizeof(r[0])) == 0 ? 0 : 1);
	}
	close(p[0]);
	close(q[1]);
	/* once it has unshared: map it */
	ck_assert_int_eq(read(q[0], &c, 1), 1);
	proc_write(child, "uid_map", "0 100000 1");
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert_msg(WIFEXITED(status) && !WEXITSTATUS(status),
		      "namespace child: status %d", status);
	n = refusals(dev, 100000, r, KEPT, sizeof(r[0]));
	ck_assert_int_eq(n, 0);
}
END_TEST

const struct suite_def refusals_suite = {
	.name = "refusals",
	.tcases = {
		{ .name = "ring", .reset_grant = 1, .tests = {
			TEST(users_read_why_they_were_refused),
			TEST(others_see_none_and_root_sees_all),
			TEST(the_last_sixteen_are_kept_and_sizes_are_checked),
			TEST(count_limits_are_named),
			TEST(a_user_namespace_reads_and_writes_no_ones_refusals),
		} },
	},
};
