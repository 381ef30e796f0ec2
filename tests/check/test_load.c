// SPDX-License-Identifier: GPL-2.0
/* Program loading through /dev/bpf: what loads, what it does, what is refused. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "testlib.h"

static const struct bpf_insn ret0[] = { INSN_MOV64_IMM(0, 0), INSN_EXIT() };
static const struct bpf_insn ret_all[] = { INSN_MOV64_IMM(0, -1), INSN_EXIT() };
/* cgroup_skb programs must return 0 (drop) or 1 (pass) */
static const struct bpf_insn ret1[] = { INSN_MOV64_IMM(0, 1), INSN_EXIT() };

static int load(int dev, __u32 type, __u32 eat, const struct bpf_insn *insns,
		__u32 cnt)
{
	union bpf_attr a;

	attr_prog(&a, type, insns, cnt);
	a.expected_attach_type = eat;
	return dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a));
}

START_TEST(socket_filter_filters_traffic)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	int dev, drop, pass, rx, tx;

	dev = member_dev();
	drop = load(dev, BPF_PROG_TYPE_SOCKET_FILTER, 0, ret0, 2);
	ck_assert_int_ge(drop, 0);
	pass = load(dev, BPF_PROG_TYPE_SOCKET_FILTER, 0, ret_all, 2);
	ck_assert_int_ge(pass, 0);
	ck_assert(fcntl(drop, F_GETFD) & FD_CLOEXEC);

	rx = socket(AF_INET, SOCK_DGRAM, 0);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(rx, 0);
	ck_assert_int_ge(tx, 0);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(rx, (void *)&addr, sizeof(addr)), 0);
	ck_assert_int_eq(getsockname(rx, (void *)&addr, &len), 0);

	ck_assert(datagram_arrives(rx, tx, &addr));
	ck_assert_int_eq(setsockopt(rx, SOL_SOCKET, SO_ATTACH_BPF, &drop,
				    sizeof(drop)), 0);
	ck_assert(!datagram_arrives(rx, tx, &addr));
	ck_assert(!datagram_arrives(rx, tx, &addr));
	ck_assert_int_eq(setsockopt(rx, SOL_SOCKET, SO_ATTACH_BPF, &pass,
				    sizeof(pass)), 0);
	ck_assert(datagram_arrives(rx, tx, &addr));
}
END_TEST

START_TEST(cgroup_skb_loads_for_either_direction)
{
	int dev = member_dev(), fd;

	fd = load(dev, BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS,
		  ret1, 2);
	ck_assert_int_ge(fd, 0);
	close(fd);
	fd = load(dev, BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_EGRESS,
		  ret1, 2);
	ck_assert_int_ge(fd, 0);
	close(fd);
}
END_TEST

static const struct {
	__u32 type, eat;
} undelegated[] = {
	{ BPF_PROG_TYPE_KPROBE, 0 },
	{ BPF_PROG_TYPE_TRACEPOINT, 0 },
	{ BPF_PROG_TYPE_XDP, BPF_XDP },
	{ BPF_PROG_TYPE_SCHED_CLS, 0 },
	{ BPF_PROG_TYPE_SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT },
	{ BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE },
	{ BPF_PROG_TYPE_CGROUP_SOCK, 0 },	/* fixed up to sock_create */
	{ BPF_PROG_TYPE_RAW_TRACEPOINT, 0 },
	{ BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY },
	/* a delegated type for an attach type that is not */
	{ BPF_PROG_TYPE_SOCKET_FILTER, BPF_CGROUP_INET_SOCK_CREATE },
	{ BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_SOCK_CREATE },
};

START_TEST(undelegated_type_is_eperm_and_creates_nothing)
{
	struct objs before;
	int dev;

	objs_snapshot(&before);
	dev = member_dev();
	ck_assert_int_eq(load(dev, undelegated[_i].type, undelegated[_i].eat,
			      ret0, 2), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(objs_created_since(&before), 0);
}
END_TEST

static const struct {
	__u32 type, eat, ifindex;
} never[] = {
	{ BPF_PROG_TYPE_SYSCALL, 0, 0 },
	{ BPF_PROG_TYPE_EXT, 0, 0 },
	{ BPF_PROG_TYPE_LSM, BPF_LSM_MAC, 0 },
	{ BPF_PROG_TYPE_STRUCT_OPS, 0, 0 },
	{ BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN, 0 },
	{ BPF_PROG_TYPE_XDP, BPF_XDP, 1 },	/* device offload */
};

START_TEST(never_delegated_even_with_any)
{
	struct objs before;
	union bpf_attr a;
	int dev;

	ck_assert_int_eq(root_param_write("delegate_progs", "any"), 0);
	ck_assert_int_eq(root_param_write("delegate_attachs", "any"), 0);
	objs_snapshot(&before);
	dev = member_dev();
	attr_prog(&a, never[_i].type, ret0, 2);
	a.expected_attach_type = never[_i].eat;
	a.prog_ifindex = never[_i].ifindex;
	ck_assert_int_eq(dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a)), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(objs_created_since(&before), 0);
}
END_TEST

START_TEST(token_flag_is_refused)
{
	union bpf_attr a;
	int dev = member_dev();

	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	a.prog_flags = 1U << 16;	/* BPF_F_TOKEN_FD, 6.9+ */
	ck_assert_int_eq(dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a)), -1);
	/* bpfdev refuses it on 6.12; 6.1's bpf(2) knows no such flag. */
	ck_assert_int_eq(errno, kernel_is_612() ? EPERM : EINVAL);
}
END_TEST

START_TEST(delegating_a_type_makes_it_load)
{
	int dev, fd;

	ck_assert_int_eq(root_param_write("delegate_progs",
					  "socket_filter:sk_reuseport"), 0);
	ck_assert_int_eq(root_param_write("delegate_attachs",
					  "sk_reuseport_select"), 0);
	dev = member_dev();
	fd = load(dev, BPF_PROG_TYPE_SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT,
		  ret0, 2);
	ck_assert_int_ge(fd, 0);
	/* cgroup_skb was dropped from the grant: refused now. */
	ck_assert_int_eq(load(dev, BPF_PROG_TYPE_CGROUP_SKB,
			      BPF_CGROUP_INET_INGRESS, ret0, 2), -1);
	ck_assert_int_eq(errno, EPERM);
}
END_TEST

static struct bpf_insn *long_prog(__u32 cnt)
{
	struct bpf_insn *p = calloc(cnt, sizeof(*p));
	__u32 i;

	ck_assert_ptr_nonnull(p);
	for (i = 0; i + 1 < cnt; i++)
		p[i] = INSN_MOV64_IMM(0, (int)i);
	p[cnt - 1] = INSN_EXIT();
	return p;
}

START_TEST(instruction_limit_is_e2big)
{
	struct bpf_insn *p = long_prog(4097);
	struct objs before;
	int dev, fd;

	objs_snapshot(&before);
	dev = member_dev();
	ck_assert_int_eq(load(dev, BPF_PROG_TYPE_SOCKET_FILTER, 0, p, 4097),
			 -1);
	ck_assert_int_eq(errno, E2BIG);
	ck_assert_int_eq(objs_created_since(&before), 0);
	fd = load(dev, BPF_PROG_TYPE_SOCKET_FILTER, 0, p + 1, 4096);
	ck_assert_int_ge(fd, 0);

	/* root lowers the limit: it applies to the open file at once */
	ck_assert_int_eq(root_param_write("insn_max", "8"), 0);
	ck_assert_int_eq(load(dev, BPF_PROG_TYPE_SOCKET_FILTER, 0,
			      p + 4097 - 9, 9), -1);
	ck_assert_int_eq(errno, E2BIG);
	fd = load(dev, BPF_PROG_TYPE_SOCKET_FILTER, 0, p + 4097 - 8, 8);
	ck_assert_int_ge(fd, 0);
	/* out of range for the parameter */
	ck_assert_int_eq(root_param_write("insn_max", "0"), -EINVAL);
	ck_assert_int_eq(root_param_write("insn_max", "1000001"), -EINVAL);
	free(p);
}
END_TEST

START_TEST(user_namespace_caller_is_refused)
{
	struct objs before;
	union bpf_attr a;
	int dev;

	objs_snapshot(&before);
	dev = member_dev();
	ck_assert_int_eq(unshare(CLONE_NEWUSER), 0);
	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	ck_assert_int_eq(dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a)), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(objs_created_since(&before), 0);
}
END_TEST

START_TEST(command_not_delegated_is_eperm)
{
	union bpf_attr a;
	int dev, fd;

	ck_assert_int_eq(root_param_write("delegate_cmds", "map_create"), 0);
	dev = member_dev();
	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	ck_assert_int_eq(dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a)), -1);
	ck_assert_int_eq(errno, EPERM);
	attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 4, 1);
	fd = dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a));
	ck_assert_int_ge(fd, 0);
}
END_TEST

Suite *load_suite(void)
{
	Suite *s = suite_create("load");
	TCase *tc = tcase_create("prog_load");

	tcase_reset_grant(tc);
	tcase_add_test(tc, socket_filter_filters_traffic);
	tcase_add_test(tc, cgroup_skb_loads_for_either_direction);
	tcase_add_loop_test(tc, undelegated_type_is_eperm_and_creates_nothing,
			    0, ARRAY_LEN(undelegated));
	tcase_add_loop_test(tc, never_delegated_even_with_any, 0,
			    ARRAY_LEN(never));
	tcase_add_test(tc, token_flag_is_refused);
	tcase_add_test(tc, delegating_a_type_makes_it_load);
	tcase_add_test(tc, instruction_limit_is_e2big);
	tcase_add_test(tc, user_namespace_caller_is_refused);
	tcase_add_test(tc, command_not_delegated_is_eperm);
	suite_add_tcase(s, tc);
	return s;
}
