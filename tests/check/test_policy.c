// SPDX-License-Identifier: GPL-2.0
/*
 * The policy model: narrowed files, SCM_RIGHTS hand-over, revocation,
 * limits per file and per user, introspection.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

#define MEMBER2_UID	1002
#define BIT(n)		(1ULL << (n))

static const struct bpf_insn ret0[] = { INSN_MOV64_IMM(0, 0), INSN_EXIT() };
static const struct bpf_insn ret1[] = { INSN_MOV64_IMM(0, 1), INSN_EXIT() };

static int load(int dev, __u32 type, __u32 eat)
{
	union bpf_attr a;

	attr_prog(&a, type, type == BPF_PROG_TYPE_CGROUP_SKB ? ret1 : ret0, 2);
	a.expected_attach_type = eat;
	return dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a));
}

static int load_sf(int dev)
{
	return load(dev, BPF_PROG_TYPE_SOCKET_FILTER, 0);
}

static int load_skb(int dev)
{
	return load(dev, BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS);
}

static int map(int dev, __u32 type)
{
	union bpf_attr a;

	attr_map(&a, type, 4, 8, 4);
	return dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a));
}

/* Close an fd if the call made one; return 0 or -errno. */
static int result(int fd)
{
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return -errno;
}

START_TEST(narrowing_makes_a_new_file_and_leaves_the_original)
{
	struct bpfdev_info pi, ci;
	int dev = member_dev(), child;

	child = dev_narrow(dev, BIT(BPF_PROG_TYPE_SOCKET_FILTER),
		       BIT(BPF_MAP_TYPE_ARRAY), 0, 0);
	ck_assert_int_ge(child, 0);
	ck_assert(fcntl(child, F_GETFD) & FD_CLOEXEC);

	ck_assert_int_eq(result(load_sf(child)), 0);
	ck_assert_int_eq(result(load_skb(child)), -EPERM);
	ck_assert_int_eq(result(map(child, BPF_MAP_TYPE_ARRAY)), 0);
	ck_assert_int_eq(result(map(child, BPF_MAP_TYPE_HASH)), -EPERM);
	/* the original keeps its grant */
	ck_assert_int_eq(result(load_skb(dev)), 0);
	ck_assert_int_eq(result(map(dev, BPF_MAP_TYPE_HASH)), 0);

	ck_assert_int_eq(dev_info(dev, &pi), 0);
	ck_assert_int_eq(dev_info(child, &ci), 0);
	ck_assert_uint_eq(pi.size, sizeof(pi));
	ck_assert(!(pi.flags & BPFDEV_INFO_F_NARROWED));
	ck_assert(ci.flags & BPFDEV_INFO_F_NARROWED);
	ck_assert(ci.flags & BPFDEV_INFO_F_WRITABLE);
	ck_assert_uint_eq(pi.own_progs, ~0ULL);
	ck_assert_uint_eq(ci.own_progs, BIT(BPF_PROG_TYPE_SOCKET_FILTER));
	ck_assert_uint_eq(ci.progs, BIT(BPF_PROG_TYPE_SOCKET_FILTER));
	ck_assert_uint_eq(ci.maps, BIT(BPF_MAP_TYPE_ARRAY));
	ck_assert_uint_eq(ci.progs_created, 1);
	ck_assert_uint_eq(ci.maps_created, 1);
	/* what a narrowed file creates counts for its parent too */
	ck_assert_uint_eq(pi.progs_created, 2);
	ck_assert_uint_eq(pi.maps_created, 2);
}
END_TEST

START_TEST(narrowing_never_widens)
{
	int dev = member_dev(), child, grandchild;
	struct bpfdev_info gi;

	child = dev_narrow(dev, BIT(BPF_PROG_TYPE_SOCKET_FILTER), ~0ULL, 0, 0);
	ck_assert_int_ge(child, 0);
	grandchild = dev_narrow(child, ~0ULL, ~0ULL, 0, 0);
	ck_assert_int_ge(grandchild, 0);
	ck_assert_int_eq(result(load_skb(grandchild)), -EPERM);
	/* root widening the module parameters does not widen it either */
	ck_assert_int_eq(root_param_write("delegate_progs", "any"), 0);
	ck_assert_int_eq(result(load(grandchild, BPF_PROG_TYPE_SK_REUSEPORT,
				     BPF_SK_REUSEPORT_SELECT)), -EPERM);
	ck_assert_int_eq(dev_info(grandchild, &gi), 0);
	ck_assert_uint_eq(gi.progs, BIT(BPF_PROG_TYPE_SOCKET_FILTER));
	/* while the opened file follows root's change at once */
	ck_assert_int_eq(root_param_write("delegate_attachs", "any"), 0);
	ck_assert_int_eq(result(load(dev, BPF_PROG_TYPE_SK_REUSEPORT,
				     BPF_SK_REUSEPORT_SELECT)), 0);
}
END_TEST

START_TEST(narrowing_a_read_only_file_stays_read_only)
{
	struct bpfdev_info info;
	int dev, child;

	become_member();
	dev = dev_open(O_RDONLY);
	ck_assert_int_ge(dev, 0);
	child = dev_narrow(dev, ~0ULL, ~0ULL, 0, 0);
	ck_assert_int_ge(child, 0);
	ck_assert_int_eq(dev_info(child, &info), 0);
	ck_assert(!(info.flags & BPFDEV_INFO_F_WRITABLE));
	ck_assert_int_eq(result(load_sf(child)), -EBADF);
}
END_TEST

START_TEST(narrowing_depth_is_bounded)
{
	int fd = member_dev(), i;

	for (i = 0; i < 8; i++) {
		fd = dev_narrow(fd, ~0ULL, ~0ULL, 0, 0);
		ck_assert_int_ge(fd, 0);
	}
	ck_assert_int_eq(dev_narrow(fd, ~0ULL, ~0ULL, 0, 0), -1);
	ck_assert_int_eq(errno, E2BIG);
	ck_assert_int_eq(result(load_sf(fd)), 0);
}
END_TEST

START_TEST(narrow_request_rules)
{
	struct {
		struct bpfdev_narrow n;
		__u64 tail;
	} big;
	int dev = member_dev();

	memset(&big, 0, sizeof(big));
	big.n.size = sizeof(big.n);
	big.n.flags = 1U << 5;
	ck_assert_int_eq(ioctl(dev, BPFDEV_IOC_NARROW, &big), -1);
	ck_assert_int_eq(errno, EINVAL);
	big.n.flags = 0;
	big.n.size = sizeof(big);
	big.tail = 1;
	ck_assert_int_eq(ioctl(dev, BPFDEV_IOC_NARROW, &big), -1);
	ck_assert_int_eq(errno, E2BIG);
	big.n.size = 16;
	ck_assert_int_eq(ioctl(dev, BPFDEV_IOC_NARROW, &big), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

static void send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte = 'x';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sock, &msg, 0) != 1)
		_exit(90);
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

static void identity(uid_t uid, const gid_t *groups, int n)
{
	if (setgroups(n, groups) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid))
		_exit(91);
}

/*
 * The member narrows its file to socket filters and sends it to a process
 * of @uid; what that process can do with it comes back as its exit code:
 * bit 0 set when it could not open /dev/bpf itself, bit 1 when a socket
 * filter loaded, bit 2 when cgroup_skb was refused with EPERM.
 */
static int hand_over(uid_t uid, const gid_t *groups, int ngroups)
{
	gid_t member_groups[] = { MEMBER_UID, (gid_t)bpf_gid() };
	int sv[2], status, code;
	pid_t sender, receiver;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	receiver = fork();
	ck_assert_int_ge(receiver, 0);
	if (receiver == 0) {
		int fd, own;

		close(sv[0]);
		identity(uid, groups, ngroups);
		own = open(DEV_PATH, O_RDWR);
		fd = recv_fd(sv[1]);
		if (fd < 0)
			_exit(92);
		code = (own < 0 && errno == EACCES) ? 1 : 0;
		if (result(load_sf(fd)) == 0)
			code |= 2;
		if (result(load_skb(fd)) == -EPERM)
			code |= 4;
		_exit(code);
	}
	sender = fork();
	ck_assert_int_ge(sender, 0);
	if (sender == 0) {
		int dev, child;

		close(sv[1]);
		identity(MEMBER_UID, member_groups, 2);
		dev = open(DEV_PATH, O_RDWR);
		child = dev_narrow(dev, BIT(BPF_PROG_TYPE_SOCKET_FILTER), ~0ULL,
			       0, 0);
		if (dev < 0 || child < 0)
			_exit(93);
		send_fd(sv[0], child);
		_exit(0);
	}
	close(sv[0]);
	close(sv[1]);
	ck_assert_int_eq(waitpid(sender, &status, 0), sender);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(waitpid(receiver, &status, 0), receiver);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

START_TEST(narrowed_fd_to_another_member)
{
	gid_t groups[] = { MEMBER2_UID, (gid_t)bpf_gid() };

	/* it opens /dev/bpf itself; the received fd has the narrow grant */
	ck_assert_int_eq(hand_over(MEMBER2_UID, groups, 2), 2 | 4);
}
END_TEST

START_TEST(narrowed_fd_to_an_outsider_is_a_capability)
{
	gid_t groups[] = { OUTSIDER_UID };

	/* cannot open the node, but the fd it was given works, narrowly */
	ck_assert_int_eq(hand_over(OUTSIDER_UID, groups, 1), 1 | 2 | 4);
}
END_TEST

START_TEST(revocation_stops_a_file_in_use_elsewhere)
{
	gid_t member_groups[] = { MEMBER_UID, (gid_t)bpf_gid() };
	int go[2], done[2], status, dev, m, child, code = 0;
	struct bpfdev_info info;
	__u32 key = 0;
	__u64 value = 7;
	union bpf_attr a;
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_eq(pipe(done), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		identity(MEMBER_UID, member_groups, 2);
		dev = open(DEV_PATH, O_RDWR);
		child = dev_narrow(dev, ~0ULL, ~0ULL, 0, 0);
		m = map(dev, BPF_MAP_TYPE_ARRAY);
		if (dev < 0 || child < 0 || m < 0 || result(load_sf(dev)))
			_exit(94);
		if (write(done[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(95);
		/* revoked now */
		if (result(load_sf(dev)) == -EPERM)
			code |= 1;
		if (result(load_sf(child)) == -EPERM)
			code |= 2;
		if (dev_narrow(dev, ~0ULL, ~0ULL, 0, 0) < 0 && errno == EPERM)
			code |= 4;
		if (!dev_info(dev, &info) && (info.flags & BPFDEV_INFO_F_REVOKED))
			code |= 8;
		/* what it created stays its own */
		memset(&a, 0, sizeof(a));
		a.map_fd = (__u32)m;
		a.key = ptr_to_u64(&key);
		a.value = ptr_to_u64(&value);
		if (!sys_bpf(BPF_MAP_UPDATE_ELEM, &a, sizeof(a)))
			code |= 16;
		/* a file opened after the revocation works */
		close(dev);
		dev = open(DEV_PATH, O_RDWR);
		if (!result(load_sf(dev)))
			code |= 32;
		_exit(code);
	}
	ck_assert_int_eq(read(done[0], &c, 1), 1);
	ck_assert_int_eq(root_param_write("revoke", "1"), 0);
	ck_assert_int_eq(write(go[1], "g", 1), 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 63);
}
END_TEST

START_TEST(file_limit_from_narrowing)
{
	int dev = member_dev(), child, i;
	union bpf_attr bad;

	child = dev_narrow(dev, ~0ULL, ~0ULL, 2, 1);
	ck_assert_int_ge(child, 0);
	/* a failed load (no exit instruction) takes nothing from the budget */
	attr_prog(&bad, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 1);
	ck_assert_int_eq(result(dev_bpf(child, BPF_PROG_LOAD, &bad,
					sizeof(bad))), -EINVAL);
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(result(load_sf(child)), 0);
	ck_assert_int_eq(result(load_sf(child)), -EDQUOT);
	ck_assert_int_eq(result(map(child, BPF_MAP_TYPE_ARRAY)), 0);
	ck_assert_int_eq(result(map(child, BPF_MAP_TYPE_ARRAY)), -EDQUOT);
	/* the parent has no limit of its own */
	ck_assert_int_eq(result(load_sf(dev)), 0);
}
END_TEST

START_TEST(file_limit_from_module_parameter)
{
	int dev, again, i;

	ck_assert_int_eq(root_param_write("maps_max", "3"), 0);
	dev = member_dev();
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(result(map(dev, BPF_MAP_TYPE_ARRAY)), 0);
	ck_assert_int_eq(result(map(dev, BPF_MAP_TYPE_ARRAY)), -EDQUOT);
	/* per file: another file has its own budget */
	again = dev_open(O_RDWR);
	ck_assert_int_eq(result(map(again, BPF_MAP_TYPE_ARRAY)), 0);
}
END_TEST

/* Parameters renamed after the INFO fields keep their old names. */
START_TEST(renamed_parameters_keep_their_old_names)
{
	static const char *const renamed[][2] = {
		{ "file_progs_max", "progs_max" },
		{ "file_maps_max", "maps_max" },
		{ "user_loads_max", "loads_max" },
	};
	struct bpfdev_info info;
	char buf[32];
	size_t i;
	int dev;

	for (i = 0; i < ARRAY_LEN(renamed); i++) {
		ck_assert_int_eq(root_param_write(renamed[i][0], "7"), 0);
		ck_assert_int_eq(param_read(renamed[i][1], buf, sizeof(buf)), 0);
		ck_assert_str_eq(buf, "7");
		ck_assert_int_eq(param_read(renamed[i][0], buf, sizeof(buf)), 0);
		ck_assert_str_eq(buf, "7");
	}
	dev = member_dev();
	ck_assert_int_eq(dev_info(dev, &info), 0);
	ck_assert_uint_eq(info.progs_max, 7);
	ck_assert_uint_eq(info.maps_max, 7);
	ck_assert_uint_eq(info.loads_max, 7);
}
END_TEST

START_TEST(user_limit_survives_reopening)
{
	struct bpfdev_info info;
	char limit[32];
	int dev = member_dev(), i;

	ck_assert_int_eq(dev_info(dev, &info), 0);
	snprintf(limit, sizeof(limit), "%u", info.user_maps_created + 2);
	ck_assert_int_eq(root_param_write("user_maps_max", limit), 0);
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(result(map(dev, BPF_MAP_TYPE_ARRAY)), 0);
	ck_assert_int_eq(result(map(dev, BPF_MAP_TYPE_ARRAY)), -EDQUOT);
	close(dev);
	dev = dev_open(O_RDWR);
	ck_assert_int_eq(result(map(dev, BPF_MAP_TYPE_ARRAY)), -EDQUOT);
	ck_assert_int_eq(dev_info(dev, &info), 0);
	ck_assert_uint_eq(info.user_maps_max, info.user_maps_created);
}
END_TEST

START_TEST(size_limits_are_e2big_and_create_nothing)
{
	static const char btf[64];
	struct objs before;
	union bpf_attr a;
	int dev;

	ck_assert_int_eq(root_param_write("btf_max", "32"), 0);
	objs_snapshot(&before);
	dev = member_dev();
	memset(&a, 0, sizeof(a));
	a.btf = ptr_to_u64(btf);
	a.btf_size = sizeof(btf);
	ck_assert_int_eq(result(dev_bpf(dev, BPF_BTF_LOAD, &a, sizeof(a))),
			 -E2BIG);
	/* 100M entries of 8 bytes: the OOM killer's map, refused up front */
	attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 8, 100000000);
	ck_assert_int_eq(result(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a))),
			 -E2BIG);
	attr_map(&a, BPF_MAP_TYPE_PERCPU_HASH, 8, 4096, 1 << 16);
	ck_assert_int_eq(result(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a))),
			 -E2BIG);
	attr_map(&a, BPF_MAP_TYPE_RINGBUF, 0, 0, 128U << 20);
	ck_assert_int_eq(result(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a))),
			 -E2BIG);
	ck_assert_int_eq(objs_created_since(&before), 0);
	/* within the limit */
	attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 8, 1 << 20);
	ck_assert_int_eq(result(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a))),
			 0);
}
END_TEST

struct loader {
	int dev;
	int ok, quota, other;
};

static void *load_loop(void *arg)
{
	struct loader *l = arg;
	static struct bpf_insn *insns;
	union bpf_attr a;
	int i, r;

	if (!__atomic_load_n(&insns, __ATOMIC_ACQUIRE)) {
		struct bpf_insn *p = calloc(4000, sizeof(*p));

		for (i = 0; i < 3999; i++)
			p[i] = INSN_MOV64_IMM(0, i);
		p[3999] = INSN_EXIT();
		__atomic_store_n(&insns, p, __ATOMIC_RELEASE);
	}
	for (i = 0; i < 60; i++) {
		attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, insns, 4000);
		r = result(dev_bpf(l->dev, BPF_PROG_LOAD, &a, sizeof(a)));
		if (!r)
			l->ok++;
		else if (r == -EDQUOT)
			l->quota++;
		else
			l->other++;
	}
	return NULL;
}

START_TEST(concurrent_loads_per_user)
{
	struct loader l[3];
	pthread_t t[3];
	int dev, i, ok = 0, quota = 0, other = 0;

	ck_assert_int_eq(root_param_write("loads_max", "1"), 0);
	dev = member_dev();
	for (i = 0; i < 3; i++) {
		l[i] = (struct loader){ .dev = dev };
		ck_assert_int_eq(pthread_create(&t[i], NULL, load_loop, &l[i]),
				 0);
	}
	for (i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		ok += l[i].ok;
		quota += l[i].quota;
		other += l[i].other;
	}
	printf("concurrent loads, limit 1: %d loaded, %d EDQUOT, %d other\n",
	       ok, quota, other);
	ck_assert_int_gt(ok, 0);
	ck_assert_int_gt(quota, 0);
	ck_assert_int_eq(other, 0);
}
END_TEST

START_TEST(fdinfo_shows_revocation_and_narrowing)
{
	char path[64], buf[4096];
	int dev = member_dev(), child, fd;
	ssize_t n;

	child = dev_narrow(dev, BIT(BPF_PROG_TYPE_SOCKET_FILTER), ~0ULL, 5, 0);
	ck_assert_int_ge(child, 0);
	ck_assert_int_eq(result(load_sf(child)), 0);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", child);
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_ptr_nonnull(strstr(buf, "allowed_progs:\tsocket_filter\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\nprogs_max:\t5\n"));
	ck_assert_ptr_nonnull(strstr(buf, "narrowed:\t1\n"));
	ck_assert_ptr_nonnull(strstr(buf, "revoked:\t0\n"));
	ck_assert_ptr_nonnull(strstr(buf, "progs_created:\t1\n"));
}
END_TEST

Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("grant");

	tcase_reset_grant(tc);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, narrowing_makes_a_new_file_and_leaves_the_original);
	tcase_add_test(tc, narrowing_never_widens);
	tcase_add_test(tc, narrowing_a_read_only_file_stays_read_only);
	tcase_add_test(tc, narrow_request_rules);
	tcase_add_test(tc, narrowing_depth_is_bounded);
	tcase_add_test(tc, narrowed_fd_to_another_member);
	tcase_add_test(tc, narrowed_fd_to_an_outsider_is_a_capability);
	tcase_add_test(tc, revocation_stops_a_file_in_use_elsewhere);
	tcase_add_test(tc, file_limit_from_narrowing);
	tcase_add_test(tc, file_limit_from_module_parameter);
	tcase_add_test(tc, renamed_parameters_keep_their_old_names);
	tcase_add_test(tc, user_limit_survives_reopening);
	tcase_add_test(tc, size_limits_are_e2big_and_create_nothing);
	tcase_add_test(tc, concurrent_loads_per_user);
	tcase_add_test(tc, fdinfo_shows_revocation_and_narrowing);
	suite_add_tcase(s, tc);
	return s;
}
