// SPDX-License-Identifier: GPL-2.0
/*
 * The decision (policy.c): what the grant lets a member do through
 * /dev/bpf. Program loading (what loads, what it does, what is refused),
 * map creation and the maps' life afterwards with bpf(2), BTF and a map
 * described by it, size limits; and every dimension of the grant, allowed
 * and denied: every command bpfdev executes, every program type, map type
 * and attach type the running kernel knows. "Denied" is EPERM, the
 * matching denied_<reason> counter going up, and no new object in the
 * system; "allowed" is that bpfdev's policy let it through (the kernel may
 * still refuse a request that is not a complete program of that type,
 * which is its business, not bpfdev's).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/btf.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
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

static int elem(int cmd, int map, const void *key, void *value)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (__u32)map;
	a.key = ptr_to_u64(key);
	a.value = ptr_to_u64(value);
	return sys_bpf(cmd, &a, sizeof(a));
}

static const __u32 usable_types[] = { BPF_MAP_TYPE_ARRAY, BPF_MAP_TYPE_HASH };

START_TEST(created_map_works_with_plain_bpf)
{
	__u32 key = 3;
	__u64 v = 0x1122334455667788ULL, out = 0;
	union bpf_attr a;
	int dev, map;

	dev = member_dev();
	attr_map(&a, usable_types[_i], sizeof(key), sizeof(v), 16);
	strcpy(a.map_name, "bpfdev_test");
	map = dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a));
	ck_assert_int_ge(map, 0);
	ck_assert(fcntl(map, F_GETFD) & FD_CLOEXEC);
	/* No privilege from here on: the fd is the member's. */
	ck_assert_int_eq(elem(BPF_MAP_UPDATE_ELEM, map, &key, &v), 0);
	ck_assert_int_eq(elem(BPF_MAP_LOOKUP_ELEM, map, &key, &out), 0);
	ck_assert_uint_eq(out, v);
	close(map);
}
END_TEST

static const __u32 undelegated_maps[] = {
	BPF_MAP_TYPE_LRU_HASH, BPF_MAP_TYPE_LPM_TRIE, BPF_MAP_TYPE_QUEUE,
	BPF_MAP_TYPE_STACK_TRACE, BPF_MAP_TYPE_SOCKMAP, BPF_MAP_TYPE_DEVMAP,
	BPF_MAP_TYPE_CPUMAP, BPF_MAP_TYPE_BLOOM_FILTER,
};

START_TEST(undelegated_map_is_eperm_and_creates_nothing)
{
	struct objs before;
	union bpf_attr a;
	int dev;

	objs_snapshot(&before);
	dev = member_dev();
	attr_map(&a, undelegated_maps[_i], 4, 4, 4);
	ck_assert_int_eq(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a)), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(objs_created_since(&before), 0);
}
END_TEST

START_TEST(never_delegated_maps_even_with_any)
{
	struct objs before;
	union bpf_attr a;
	int dev;

	ck_assert_int_eq(root_param_write("delegate_maps", "any"), 0);
	objs_snapshot(&before);
	dev = member_dev();
	attr_map(&a, BPF_MAP_TYPE_STRUCT_OPS, 4, 4, 1);
	ck_assert_int_eq(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a)), -1);
	ck_assert_int_eq(errno, EPERM);
	attr_map(&a, BPF_MAP_TYPE_HASH, 4, 4, 1);
	a.map_ifindex = 1;	/* device offload */
	ck_assert_int_eq(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a)), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(objs_created_since(&before), 0);
	/* and a delegated-by-any type does load */
	attr_map(&a, BPF_MAP_TYPE_LRU_HASH, 4, 4, 4);
	ck_assert_int_ge(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a)), 0);
}
END_TEST

/* The smallest useful BTF: type 1 is "int", 4 bytes, signed. */
static const struct {
	struct btf_header hdr;
	struct btf_type int_type;
	__u32 int_encoding;
	char strings[5];
} __attribute__((packed)) tiny_btf = {
	.hdr = {
		.magic = BTF_MAGIC,
		.version = BTF_VERSION,
		.hdr_len = sizeof(struct btf_header),
		.type_off = 0,
		.type_len = sizeof(struct btf_type) + sizeof(__u32),
		.str_off = sizeof(struct btf_type) + sizeof(__u32),
		.str_len = 5,
	},
	.int_type = {
		.name_off = 1,
		.info = BTF_KIND_INT << 24,
		.size = 4,
	},
	.int_encoding = (BTF_INT_SIGNED << 24) | 32,
	.strings = "\0int",
};

START_TEST(btf_loads_and_describes_a_map)
{
	char log[4096] = "";
	union bpf_attr a;
	int dev, btf, map;

	become_member();
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	memset(&a, 0, sizeof(a));
	a.btf = ptr_to_u64(&tiny_btf);
	a.btf_size = sizeof(tiny_btf);
	a.btf_log_buf = ptr_to_u64(log);
	a.btf_log_size = sizeof(log);
	a.btf_log_level = 1;
	btf = dev_bpf(dev, BPF_BTF_LOAD, &a, sizeof(a));
	ck_assert_msg(btf >= 0, "BTF_LOAD: %s, log: %s", strerror(errno), log);
	ck_assert(fcntl(btf, F_GETFD) & FD_CLOEXEC);
	/* the BTF verifier's log reached the caller's buffer */
	ck_assert_ptr_nonnull(strstr(log, "btf_total_size"));

	attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 4, 1);
	a.btf_fd = (__u32)btf;
	a.btf_key_type_id = 1;
	a.btf_value_type_id = 1;
	map = dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a));
	ck_assert_int_ge(map, 0);
	/* a wrong type id is refused by the kernel, as with bpf(2) */
	a.btf_value_type_id = 7;
	ck_assert_int_eq(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a)), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(btf_load_not_delegated)
{
	struct objs before;
	union bpf_attr a;
	int dev;

	ck_assert_int_eq(root_param_write("delegate_cmds",
					  "map_create:prog_load"), 0);
	objs_snapshot(&before);
	become_member();
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	memset(&a, 0, sizeof(a));
	a.btf = ptr_to_u64(&tiny_btf);
	a.btf_size = sizeof(tiny_btf);
	ck_assert_int_eq(dev_bpf(dev, BPF_BTF_LOAD, &a, sizeof(a)), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(objs_created_since(&before), 0);
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
	ck_assert_int_eq(fd_result(dev_bpf(dev, BPF_BTF_LOAD, &a, sizeof(a))),
			 -E2BIG);
	/* 100M entries of 8 bytes: the OOM killer's map, refused up front */
	attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 8, 100000000);
	ck_assert_int_eq(fd_result(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a))),
			 -E2BIG);
	attr_map(&a, BPF_MAP_TYPE_PERCPU_HASH, 8, 4096, 1 << 16);
	ck_assert_int_eq(fd_result(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a))),
			 -E2BIG);
	attr_map(&a, BPF_MAP_TYPE_RINGBUF, 0, 0, 128U << 20);
	ck_assert_int_eq(fd_result(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a))),
			 -E2BIG);
	ck_assert_int_eq(objs_created_since(&before), 0);
	/* within the limit */
	attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 8, 1 << 20);
	ck_assert_int_eq(fd_result(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a))),
			 0);
}
END_TEST

#define STATS "/sys/class/misc/bpf/stats/"

/* The kernel's __MAX_ values: 6.1 and 6.12 differ. */
static int kernel_max(int max_61, int max_612)
{
	return kernel_is_612() ? max_612 : max_61;
}

#define MAX_PROG_TYPE	kernel_max(32, 33)	/* ... syscall / netfilter */
#define MAX_MAP_TYPE	kernel_max(32, 34)	/* ... user_ringbuf / arena */
#define MAX_ATTACH_TYPE	kernel_max(44, 57)

static int never_prog(__u32 type)
{
	return type == BPF_PROG_TYPE_SYSCALL || type == BPF_PROG_TYPE_EXT ||
	       type == BPF_PROG_TYPE_LSM || type == BPF_PROG_TYPE_STRUCT_OPS;
}

struct outcome {
	int ret;	/* 0 or -errno */
	long denied;	/* how much the counter moved */
	int created;	/* new objects in the system */
};

static void try(int dev, int cmd, union bpf_attr *a, const char *reason,
		struct outcome *o)
{
	struct objs before;
	long c0 = stats_counter(reason);
	int fd;

	objs_snapshot(&before);
	fd = dev_bpf(dev, cmd, a, sizeof(*a));
	o->ret = fd >= 0 ? 0 : -errno;
	if (fd >= 0)
		close(fd);
	o->denied = stats_counter(reason) - c0;
	o->created = o->ret ? objs_created_since(&before) : 0;
}

static void prog_attr(union bpf_attr *a, __u32 type, __u32 eat)
{
	attr_prog(a, type, ret0, 2);
	a->expected_attach_type = eat;
}

START_TEST(every_prog_type_denied_when_not_delegated)
{
	struct outcome o;
	union bpf_attr a;
	int dev, t;

	ck_assert_int_eq(root_param_write("delegate_progs", "none"), 0);
	ck_assert_int_eq(root_param_write("delegate_attachs", "any"), 0);
	dev = member_dev();
	for (t = 1; t < MAX_PROG_TYPE; t++) {
		prog_attr(&a, (__u32)t, 0);
		try(dev, BPF_PROG_LOAD, &a,
		    never_prog((__u32)t) ? "denied_never" : "denied_prog_type",
		    &o);
		ck_assert_msg(o.ret == -EPERM && o.denied == 1 && !o.created,
			      "prog type %d: ret %d denied %ld created %d", t,
			      o.ret, o.denied, o.created);
	}
}
END_TEST

START_TEST(every_prog_type_passes_the_policy_when_delegated)
{
	struct outcome o;
	union bpf_attr a;
	char name[16];
	int dev, t;

	ck_assert_int_eq(root_param_write("delegate_attachs", "any"), 0);
	dev = member_dev();
	for (t = 1; t < MAX_PROG_TYPE; t++) {
		/* only this type, by number */
		snprintf(name, sizeof(name), "%llu", 1ULL << t);
		ck_assert_int_eq(root_param_write("delegate_progs", name), 0);
		prog_attr(&a, (__u32)t, 0);
		try(dev, BPF_PROG_LOAD, &a,
		    never_prog((__u32)t) ? "denied_never" : "denied_prog_type",
		    &o);
		if (never_prog((__u32)t))
			ck_assert_msg(o.ret == -EPERM && o.denied == 1,
				      "never type %d: %d", t, o.ret);
		else
			ck_assert_msg(o.denied == 0,
				      "prog type %d denied by bpfdev", t);
	}
}
END_TEST

START_TEST(every_map_type_denied_and_allowed)
{
	struct outcome o;
	union bpf_attr a;
	int dev, t;

	ck_assert_int_eq(root_param_write("delegate_maps", "none"), 0);
	dev = member_dev();
	for (t = 1; t < MAX_MAP_TYPE; t++) {
		attr_map(&a, (__u32)t, 4, 8, 4);
		try(dev, BPF_MAP_CREATE, &a,
		    t == BPF_MAP_TYPE_STRUCT_OPS ? "denied_never" :
						    "denied_map_type", &o);
		ck_assert_msg(o.ret == -EPERM && o.denied == 1 && !o.created,
			      "map type %d: ret %d", t, o.ret);
	}
	ck_assert_int_eq(root_param_write("delegate_maps", "any"), 0);
	for (t = 1; t < MAX_MAP_TYPE; t++) {
		attr_map(&a, (__u32)t, 4, 8, 4);
		try(dev, BPF_MAP_CREATE, &a,
		    t == BPF_MAP_TYPE_STRUCT_OPS ? "denied_never" :
						    "denied_map_type", &o);
		if (t == BPF_MAP_TYPE_STRUCT_OPS)
			ck_assert_int_eq(o.denied, 1);
		else
			ck_assert_msg(o.denied == 0,
				      "map type %d denied by bpfdev", t);
	}
}
END_TEST

START_TEST(every_attach_type_denied_and_allowed)
{
	struct outcome o;
	union bpf_attr a;
	char one[32];
	int dev, t;

	/* cgroup_sock_addr ties its load to an attach type */
	ck_assert_int_eq(root_param_write("delegate_progs", "any"), 0);
	ck_assert_int_eq(root_param_write("delegate_attachs", "none"), 0);
	dev = member_dev();
	for (t = 0; t < MAX_ATTACH_TYPE; t++) {
		if (t == BPF_MODIFY_RETURN)
			continue;
		prog_attr(&a, BPF_PROG_TYPE_CGROUP_SOCK_ADDR, (__u32)t);
		try(dev, BPF_PROG_LOAD, &a, "denied_attach_type", &o);
		ck_assert_msg(o.ret == -EPERM && o.denied == 1 && !o.created,
			      "attach type %d: ret %d", t, o.ret);
	}
	for (t = 0; t < MAX_ATTACH_TYPE; t++) {
		if (t == BPF_MODIFY_RETURN)
			continue;
		snprintf(one, sizeof(one), "%llu", 1ULL << t);
		ck_assert_int_eq(root_param_write("delegate_attachs", one), 0);
		prog_attr(&a, BPF_PROG_TYPE_CGROUP_SOCK_ADDR, (__u32)t);
		try(dev, BPF_PROG_LOAD, &a, "denied_attach_type", &o);
		ck_assert_msg(o.denied == 0, "attach type %d denied", t);
	}
	/* fmod_ret: never, even when delegated */
	ck_assert_int_eq(root_param_write("delegate_attachs", "any"), 0);
	prog_attr(&a, BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN);
	try(dev, BPF_PROG_LOAD, &a, "denied_never", &o);
	ck_assert_int_eq(o.ret, -EPERM);
	ck_assert_int_eq(o.denied, 1);
}
END_TEST

/*
 * Expected attach type 0 is checked as the attach type the kernel will use
 * for the program's type, not as bit 0 (cgroup_inet_ingress): the kernel's
 * fixups (cgroup_sock: sock_create, sk_reuseport: select), xdp (0 is the
 * same program as xdp), and 0 as the ordinary program (kprobe, socket
 * filter), which needs only its type.
 */
static const struct {
	const char *attachs;
	__u32 type;
	int denied;
	__u32 eat;
} eat_zero[] = {
	{ "cgroup_inet_ingress:cgroup_inet_egress", BPF_PROG_TYPE_XDP, 1, 0 },
	{ "cgroup_inet_ingress:cgroup_inet_egress",
	  BPF_PROG_TYPE_SK_REUSEPORT, 1, 0 },
	{ "cgroup_inet_ingress:cgroup_inet_egress", BPF_PROG_TYPE_CGROUP_SOCK,
	  1, 0 },
	{ "cgroup_inet_ingress:cgroup_inet_egress", BPF_PROG_TYPE_CGROUP_SKB,
	  0, 0 },
	{ "cgroup_inet_egress", BPF_PROG_TYPE_CGROUP_SKB, 1, 0 },
	{ "none", BPF_PROG_TYPE_KPROBE, 0, 0 },
	{ "none", BPF_PROG_TYPE_SOCKET_FILTER, 0, 0 },
	{ "none", BPF_PROG_TYPE_XDP, 1, 0 },
	{ "xdp", BPF_PROG_TYPE_XDP, 0, 0 },
	/* an attach type xdp ignores is still a device program */
	{ "xdp_devmap:cgroup_inet_ingress:cgroup_inet_egress",
	  BPF_PROG_TYPE_XDP, 1, BPF_CGROUP_INET_EGRESS },
	{ "sk_reuseport_select", BPF_PROG_TYPE_SK_REUSEPORT, 0, 0 },
	{ "cgroup_inet_sock_create", BPF_PROG_TYPE_CGROUP_SOCK, 0, 0 },
};

START_TEST(attach_type_zero_is_the_one_the_kernel_uses)
{
	struct outcome o;
	union bpf_attr a;
	int dev;

	ck_assert_int_eq(root_param_write("delegate_progs", "any"), 0);
	ck_assert_int_eq(root_param_write("delegate_attachs",
					  eat_zero[_i].attachs), 0);
	dev = member_dev();
	prog_attr(&a, eat_zero[_i].type, eat_zero[_i].eat);
	try(dev, BPF_PROG_LOAD, &a, "denied_attach_type", &o);
	ck_assert_msg(o.denied == eat_zero[_i].denied,
		      "prog type %u, eat %u, attachs %s: denied %ld, ret %d",
		      eat_zero[_i].type, eat_zero[_i].eat, eat_zero[_i].attachs,
		      o.denied,
		      o.ret);
	if (eat_zero[_i].denied)
		ck_assert_msg(o.ret == -EPERM && !o.created, "ret %d", o.ret);
}
END_TEST

START_TEST(every_executed_command_denied_and_allowed)
{
	static const char *const names[] = {
		"map_create", "prog_load", "btf_load", "map_freeze",
		"link_create",
	};
	static const int cmds[] = {
		BPF_MAP_CREATE, BPF_PROG_LOAD, BPF_BTF_LOAD, BPF_MAP_FREEZE,
		BPF_LINK_CREATE,
	};
	struct outcome o;
	union bpf_attr a;
	unsigned int i;
	int dev;

	ck_assert_int_eq(root_param_write("delegate_cmds", "none"), 0);
	dev = member_dev();
	for (i = 0; i < ARRAY_LEN(cmds); i++) {
		memset(&a, 0, sizeof(a));
		if (cmds[i] == BPF_PROG_LOAD)
			prog_attr(&a, BPF_PROG_TYPE_SOCKET_FILTER, 0);
		if (cmds[i] == BPF_MAP_CREATE)
			attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 4, 1);
		try(dev, cmds[i], &a, "denied_cmd", &o);
		ck_assert_msg(o.ret == -EPERM && o.denied == 1 && !o.created,
			      "%s: ret %d", names[i], o.ret);
	}
	for (i = 0; i < ARRAY_LEN(cmds); i++) {
		ck_assert_int_eq(root_param_write("delegate_cmds", names[i]), 0);
		memset(&a, 0, sizeof(a));
		if (cmds[i] == BPF_PROG_LOAD)
			prog_attr(&a, BPF_PROG_TYPE_SOCKET_FILTER, 0);
		if (cmds[i] == BPF_MAP_CREATE)
			attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 4, 1);
		try(dev, cmds[i], &a, "denied_cmd", &o);
		ck_assert_msg(o.denied == 0, "%s denied", names[i]);
	}
}
END_TEST

const struct suite_def policy_suite = { "policy", {
	{ "prog_load", .reset_grant = 1, .tests = {
		TEST(socket_filter_filters_traffic),
		TEST(cgroup_skb_loads_for_either_direction),
		LOOP_TEST(undelegated_type_is_eperm_and_creates_nothing,
			  ARRAY_LEN(undelegated)),
		LOOP_TEST(never_delegated_even_with_any, ARRAY_LEN(never)),
		TEST(token_flag_is_refused),
		TEST(delegating_a_type_makes_it_load),
		TEST(instruction_limit_is_e2big),
		TEST(user_namespace_caller_is_refused),
		TEST(command_not_delegated_is_eperm),
	} },
	{ "map_create", .reset_grant = 1, .tests = {
		LOOP_TEST(created_map_works_with_plain_bpf,
			  ARRAY_LEN(usable_types)),
		LOOP_TEST(undelegated_map_is_eperm_and_creates_nothing,
			  ARRAY_LEN(undelegated_maps)),
		TEST(never_delegated_maps_even_with_any),
	} },
	{ "btf_load", .reset_grant = 1, .tests = {
		TEST(btf_loads_and_describes_a_map),
		TEST(btf_load_not_delegated),
	} },
	{ "limits", .timeout = 120, .reset_grant = 1, .tests = {
		TEST(size_limits_are_e2big_and_create_nothing),
	} },
	{ "grant_dimensions", .timeout = 240, .reset_grant = 1, .tests = {
		TEST(every_prog_type_denied_when_not_delegated),
		TEST(every_prog_type_passes_the_policy_when_delegated),
		TEST(every_map_type_denied_and_allowed),
		TEST(every_attach_type_denied_and_allowed),
		LOOP_TEST(attach_type_zero_is_the_one_the_kernel_uses,
			  ARRAY_LEN(eat_zero)),
		TEST(every_executed_command_denied_and_allowed),
	} },
} };
