// SPDX-License-Identifier: GPL-2.0
/*
 * The state of an open file (file.c): narrowed files, SCM_RIGHTS
 * hand-over, limits per file, introspection; and the budget of a narrowed
 * file under threads that open, narrow, execute and close at once (the
 * race is also run against the broken build, which checks the limit and
 * counts in two steps, and must find it there).
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

START_TEST(narrowing_makes_a_new_file_and_leaves_the_original)
{
	struct bpfdev_info pi, ci;
	int dev = member_dev(), child;

	child = dev_narrow(dev, BIT(BPF_PROG_TYPE_SOCKET_FILTER),
		       BIT(BPF_MAP_TYPE_ARRAY), 0, 0);
	ck_assert_int_ge(child, 0);
	ck_assert(fcntl(child, F_GETFD) & FD_CLOEXEC);

	ck_assert_int_eq(fd_result(load_sf(child)), 0);
	ck_assert_int_eq(fd_result(load_skb(child)), -EPERM);
	ck_assert_int_eq(fd_result(dev_map(child, BPF_MAP_TYPE_ARRAY)), 0);
	ck_assert_int_eq(fd_result(dev_map(child, BPF_MAP_TYPE_HASH)), -EPERM);
	/* the original keeps its grant */
	ck_assert_int_eq(fd_result(load_skb(dev)), 0);
	ck_assert_int_eq(fd_result(dev_map(dev, BPF_MAP_TYPE_HASH)), 0);

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
	ck_assert_int_eq(fd_result(load_skb(grandchild)), -EPERM);
	/* root widening the module parameters does not widen it either */
	ck_assert_int_eq(root_param_write("delegate_progs", "any"), 0);
	ck_assert_int_eq(fd_result(load(grandchild, BPF_PROG_TYPE_SK_REUSEPORT,
				     BPF_SK_REUSEPORT_SELECT)), -EPERM);
	ck_assert_int_eq(dev_info(grandchild, &gi), 0);
	ck_assert_uint_eq(gi.progs, BIT(BPF_PROG_TYPE_SOCKET_FILTER));
	/* while the opened file follows root's change at once */
	ck_assert_int_eq(root_param_write("delegate_attachs", "any"), 0);
	ck_assert_int_eq(fd_result(load(dev, BPF_PROG_TYPE_SK_REUSEPORT,
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
	ck_assert_int_eq(fd_result(load_sf(child)), -EBADF);
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
	ck_assert_int_eq(fd_result(load_sf(fd)), 0);
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
		become_ids(uid, groups, ngroups);
		own = open(DEV_PATH, O_RDWR);
		fd = recv_fd(sv[1]);
		if (fd < 0)
			_exit(92);
		code = (own < 0 && errno == EACCES) ? 1 : 0;
		if (fd_result(load_sf(fd)) == 0)
			code |= 2;
		if (fd_result(load_skb(fd)) == -EPERM)
			code |= 4;
		_exit(code);
	}
	sender = fork();
	ck_assert_int_ge(sender, 0);
	if (sender == 0) {
		int dev, child;

		close(sv[1]);
		become_ids(MEMBER_UID, member_groups, 2);
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

START_TEST(file_limit_from_narrowing)
{
	int dev = member_dev(), child, i;
	union bpf_attr bad;

	child = dev_narrow(dev, ~0ULL, ~0ULL, 2, 1);
	ck_assert_int_ge(child, 0);
	/* a failed load (no exit instruction) takes nothing from the budget */
	attr_prog(&bad, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 1);
	ck_assert_int_eq(fd_result(dev_bpf(child, BPF_PROG_LOAD, &bad,
					sizeof(bad))), -EINVAL);
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(fd_result(load_sf(child)), 0);
	ck_assert_int_eq(fd_result(load_sf(child)), -EDQUOT);
	ck_assert_int_eq(fd_result(dev_map(child, BPF_MAP_TYPE_ARRAY)), 0);
	ck_assert_int_eq(fd_result(dev_map(child, BPF_MAP_TYPE_ARRAY)), -EDQUOT);
	/* the parent has no limit of its own */
	ck_assert_int_eq(fd_result(load_sf(dev)), 0);
}
END_TEST

START_TEST(file_limit_from_module_parameter)
{
	int dev, again, i;

	ck_assert_int_eq(root_param_write("maps_max", "3"), 0);
	dev = member_dev();
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(fd_result(dev_map(dev, BPF_MAP_TYPE_ARRAY)), 0);
	ck_assert_int_eq(fd_result(dev_map(dev, BPF_MAP_TYPE_ARRAY)), -EDQUOT);
	/* per file: another file has its own budget */
	again = dev_open(O_RDWR);
	ck_assert_int_eq(fd_result(dev_map(again, BPF_MAP_TYPE_ARRAY)), 0);
}
END_TEST

START_TEST(fdinfo_shows_revocation_and_narrowing)
{
	char path[64], buf[4096];
	int dev = member_dev(), child, fd;
	ssize_t n;

	child = dev_narrow(dev, BIT(BPF_PROG_TYPE_SOCKET_FILTER), ~0ULL, 5, 0);
	ck_assert_int_ge(child, 0);
	ck_assert_int_eq(fd_result(load_sf(child)), 0);
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

/* Many threads opening, narrowing, executing and closing at once. */
#define BUDGET_ROUNDS	250
struct budget_race {
	int rounds;
	int violations;	/* rounds where more loads ran than the budget */
	int miscounted;	/* rounds where the file's count disagreed */
	int loaded;
	int refused;	/* EDQUOT */
	int other;
};

/*
 * Threads that each open, query and close a file of their own, narrow the
 * shared budgeted file, load through the narrowed file and close it: all
 * at once. The loads through a file narrowed to a budget of BUDGET
 * programs (and everything narrowed from it) must never exceed BUDGET, and
 * the file's count must say how many ran.
 */
#define BUDGET		6
#define BUDGET_THREADS	4	/* loads_max: 4 loads at once */

struct budget_round {
	int narrowed;
	volatile int go;
	pthread_mutex_t lock;
	int loaded, refused, other;
};

static void *budget_thread(void *arg)
{
	struct budget_round *b = arg;
	int loaded = 0, refused = 0, other = 0, i;
	struct bpfdev_info info;
	union bpf_attr a;

	while (!b->go)
		;
	for (i = 0; i < 2 * BUDGET; i++) {
		int dev = dev_open(O_RDWR), child, fd;

		if (dev < 0 || dev_info(dev, &info))
			other++;
		if (dev >= 0)
			close(dev);
		child = dev_narrow(b->narrowed, ~0ULL, ~0ULL, 0, 0);
		if (child < 0) {
			other++;
			continue;
		}
		attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
		fd = dev_bpf(child, BPF_PROG_LOAD, &a, sizeof(a));
		if (fd >= 0) {
			loaded++;
			close(fd);
		} else if (errno == EDQUOT) {
			refused++;
		} else {
			other++;
		}
		close(child);
	}
	pthread_mutex_lock(&b->lock);
	b->loaded += loaded;
	b->refused += refused;
	b->other += other;
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

static void budget_race_run(struct budget_race *r, int rounds)
{
	struct bpfdev_info info;
	pthread_t t[BUDGET_THREADS];
	int dev, i, round;

	memset(r, 0, sizeof(*r));
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	for (round = 0; round < rounds; round++) {
		struct budget_round b = { .lock = PTHREAD_MUTEX_INITIALIZER };

		b.narrowed = dev_narrow(dev, ~0ULL, ~0ULL, BUDGET, 0);
		ck_assert_int_ge(b.narrowed, 0);
		for (i = 0; i < BUDGET_THREADS; i++)
			ck_assert_int_eq(pthread_create(&t[i], NULL,
							budget_thread, &b), 0);
		b.go = 1;
		for (i = 0; i < BUDGET_THREADS; i++)
			pthread_join(t[i], NULL);
		if (b.loaded > BUDGET)
			r->violations++;
		ck_assert_int_eq(dev_info(b.narrowed, &info), 0);
		if (info.progs_created != (__u32)b.loaded)
			r->miscounted++;
		r->loaded += b.loaded;
		r->refused += b.refused;
		r->other += b.other;
		close(b.narrowed);
	}
	r->rounds = rounds;
	close(dev);
}

START_TEST(open_narrow_execute_close_race)
{
	struct budget_race r;

	become_member();
	budget_race_run(&r, scaled(BUDGET_ROUNDS));
	if (race_verdict("open/narrow/execute/close", r.rounds, r.violations,
			 r.loaded, r.refused))
		return;
	ck_assert_int_eq(r.miscounted, 0);
	ck_assert_int_eq(r.other, 0);
	/* every round used its whole budget, and more was asked for */
	ck_assert_int_eq(r.loaded, BUDGET * r.rounds);
	ck_assert_int_gt(r.refused, 0);
}
END_TEST

const struct suite_def file_suite = { "file", {
	{ "narrowing", .timeout = 120, .reset_grant = 1, .tests = {
		TEST(narrowing_makes_a_new_file_and_leaves_the_original),
		TEST(narrowing_never_widens),
		TEST(narrowing_a_read_only_file_stays_read_only),
		TEST(narrow_request_rules),
		TEST(narrowing_depth_is_bounded),
		TEST(narrowed_fd_to_another_member),
		TEST(narrowed_fd_to_an_outsider_is_a_capability),
		TEST(file_limit_from_narrowing),
		TEST(file_limit_from_module_parameter),
		TEST(fdinfo_shows_revocation_and_narrowing),
	} },
	{ "race", .timeout = 300, .tests = {
		RACE(open_narrow_execute_close_race),
	} },
} };
