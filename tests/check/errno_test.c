// SPDX-License-Identifier: GPL-2.0
/*
 * bpfdev answers invalid requests the way bpf(2) does. The baseline is not
 * a table: the same request is sent, in the same boot, by a process of the
 * member user holding exactly the capabilities bpfdev raises for it (full
 * root would run the verifier in another mode). Results and verifier logs
 * are compared live.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "testlib.h"

#define CAPS_BPF	(1ULL << CAP_BPF)

static const struct bpf_insn ret0[] = { INSN_MOV64_IMM(0, 0), INSN_EXIT() };
static const struct bpf_insn bad_opcode[] = {
	{ .code = 0xff }, INSN_MOV64_IMM(0, 0), INSN_EXIT(),
};
static const struct bpf_insn r0_unset[] = { INSN_EXIT() };
static const struct bpf_insn jmp_out[] = {
	{ .code = BPF_JMP | BPF_JA, .off = 5 }, INSN_EXIT(),
};

struct errno_case {
	const char *name;
	int cmd;
	void (*build)(union bpf_attr *a, unsigned int *size);
	int log;	/* compare a verifier log of this size */
};

#define LOG_SIZE	8192

/* What one side saw: its result, its verifier log, its log_true_size. */
struct outcome {
	int ret;
	__u32 true_size;
	char log[LOG_SIZE];
};

/* The log buffer of the side being built. */
static char *cur_log;

static void with_log(union bpf_attr *a, int size)
{
	memset(cur_log, 0, LOG_SIZE);
	a->log_buf = ptr_to_u64(cur_log);
	a->log_size = (__u32)size;
	a->log_level = 1;
}

static void b_insn_cnt_zero(union bpf_attr *a, unsigned int *size)
{
	(void)size;
	attr_prog(a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 0);
}

static void b_bad_opcode(union bpf_attr *a, unsigned int *size)
{
	(void)size;
	attr_prog(a, BPF_PROG_TYPE_SOCKET_FILTER, bad_opcode, 3);
	with_log(a, LOG_SIZE);
}

static void b_r0_unset(union bpf_attr *a, unsigned int *size)
{
	(void)size;
	attr_prog(a, BPF_PROG_TYPE_SOCKET_FILTER, r0_unset, 1);
	with_log(a, LOG_SIZE);
}

static void b_jump_out(union bpf_attr *a, unsigned int *size)
{
	(void)size;
	attr_prog(a, BPF_PROG_TYPE_SOCKET_FILTER, jmp_out, 2);
	with_log(a, LOG_SIZE);
}

static void b_small_log(union bpf_attr *a, unsigned int *size)
{
	(void)size;
	attr_prog(a, BPF_PROG_TYPE_SOCKET_FILTER, r0_unset, 1);
	with_log(a, 64);
}

static void b_log_level_no_buf(union bpf_attr *a, unsigned int *size)
{
	(void)size;
	attr_prog(a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	a->log_level = 1;
}

static void b_no_license(union bpf_attr *a, unsigned int *size)
{
	(void)size;
	attr_prog(a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	a->license = 0;
}

static void b_unknown_prog_type(union bpf_attr *a, unsigned int *size)
{
	(void)size;
	attr_prog(a, 9999, ret0, 2);
}

static void b_bad_flags(union bpf_attr *a, unsigned int *size)
{
	(void)size;
	attr_prog(a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	a->prog_flags = 1U << 30;
}

static void b_bad_func_info(union bpf_attr *a, unsigned int *size)
{
	static __u32 info[8];

	(void)size;
	attr_prog(a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	a->func_info = ptr_to_u64(info);
	a->func_info_cnt = 1;
	a->func_info_rec_size = 7;
}

static void b_good_prog(union bpf_attr *a, unsigned int *size)
{
	(void)size;
	attr_prog(a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	with_log(a, LOG_SIZE);
	a->log_level = 2;	/* stats: a log even on success */
}

static void b_hash_key_zero(union bpf_attr *a, unsigned int *size)
{
	(void)size;
	attr_map(a, BPF_MAP_TYPE_HASH, 0, 4, 4);
}

static void b_array_no_entries(union bpf_attr *a, unsigned int *size)
{
	(void)size;
	attr_map(a, BPF_MAP_TYPE_ARRAY, 4, 4, 0);
}

static void b_unknown_map_type(union bpf_attr *a, unsigned int *size)
{
	(void)size;
	attr_map(a, 9999, 4, 4, 4);
}

static void b_map_unused_field(union bpf_attr *a, unsigned int *size)
{
	(void)size;
	attr_map(a, BPF_MAP_TYPE_ARRAY, 4, 4, 4);
	((char *)a)[100] = 1;
}

static void b_map_bad_flags(union bpf_attr *a, unsigned int *size)
{
	(void)size;
	attr_map(a, BPF_MAP_TYPE_ARRAY, 4, 4, 4);
	a->map_flags = 1U << 30;
}

static void b_good_map(union bpf_attr *a, unsigned int *size)
{
	(void)size;
	attr_map(a, BPF_MAP_TYPE_HASH, 4, 8, 4);
}

static void b_attr_too_big(union bpf_attr *a, unsigned int *size)
{
	attr_map(a, BPF_MAP_TYPE_ARRAY, 4, 4, 4);
	*size = 4097;
}

static void b_btf_garbage(union bpf_attr *a, unsigned int *size)
{
	static const char garbage[64] = "not btf";

	(void)size;
	memset(a, 0, sizeof(*a));
	a->btf = ptr_to_u64(garbage);
	a->btf_size = sizeof(garbage);
	memset(cur_log, 0, LOG_SIZE);
	a->btf_log_buf = ptr_to_u64(cur_log);
	a->btf_log_size = LOG_SIZE;
	a->btf_log_level = 1;
}

static void b_btf_too_big(union bpf_attr *a, unsigned int *size)
{
	static const char small[64];

	(void)size;
	memset(a, 0, sizeof(*a));
	a->btf = ptr_to_u64(small);
	a->btf_size = (16U << 20) + 1;
}

static void b_freeze_bad_fd(union bpf_attr *a, unsigned int *size)
{
	(void)size;
	memset(a, 0, sizeof(*a));
	a->map_fd = 9999;
}

static void b_freeze_not_a_map(union bpf_attr *a, unsigned int *size)
{
	(void)size;
	memset(a, 0, sizeof(*a));
	a->map_fd = 0;	/* stdin: open in both processes, not a map */
}

static const struct errno_case cases[] = {
	{ "insn_cnt 0", BPF_PROG_LOAD, b_insn_cnt_zero, 0 },
	{ "bad opcode", BPF_PROG_LOAD, b_bad_opcode, 1 },
	{ "r0 unset", BPF_PROG_LOAD, b_r0_unset, 1 },
	{ "jump out of range", BPF_PROG_LOAD, b_jump_out, 1 },
	{ "log under 128 bytes", BPF_PROG_LOAD, b_small_log, 0 },
	{ "log level without buffer", BPF_PROG_LOAD, b_log_level_no_buf, 0 },
	{ "no license", BPF_PROG_LOAD, b_no_license, 0 },
	{ "unknown prog type", BPF_PROG_LOAD, b_unknown_prog_type, 0 },
	{ "unknown prog flag", BPF_PROG_LOAD, b_bad_flags, 0 },
	{ "func_info rec size", BPF_PROG_LOAD, b_bad_func_info, 0 },
	{ "valid program", BPF_PROG_LOAD, b_good_prog, 1 },
	{ "hash key size 0", BPF_MAP_CREATE, b_hash_key_zero, 0 },
	{ "array max_entries 0", BPF_MAP_CREATE, b_array_no_entries, 0 },
	{ "unknown map type", BPF_MAP_CREATE, b_unknown_map_type, 0 },
	{ "unused attr field", BPF_MAP_CREATE, b_map_unused_field, 0 },
	{ "unknown map flag", BPF_MAP_CREATE, b_map_bad_flags, 0 },
	{ "valid map", BPF_MAP_CREATE, b_good_map, 0 },
	{ "attr over a page", BPF_MAP_CREATE, b_attr_too_big, 0 },
	{ "btf garbage", BPF_BTF_LOAD, b_btf_garbage, 1 },
	{ "btf over 16 MiB", BPF_BTF_LOAD, b_btf_too_big, 0 },
	{ "freeze bad fd", BPF_MAP_FREEZE, b_freeze_bad_fd, 0 },
	{ "freeze non-map fd", BPF_MAP_FREEZE, b_freeze_not_a_map, 0 },
};

/*
 * 6.12 writes the log's true size back into the attr (log_true_size after
 * core_relo_rec_size, btf_log_true_size after btf_log_level); the host's
 * uapi header may be older, so read it by offset.
 */
static __u32 true_size_of(int cmd, const union bpf_attr *a)
{
	size_t off;
	__u32 v;

	if (cmd == BPF_PROG_LOAD)
		off = attr_end(core_relo_rec_size);
	else if (cmd == BPF_BTF_LOAD)
		off = attr_end(btf_log_level);
	else
		return 0;
	memcpy(&v, (const char *)a + off, sizeof(v));
	return v;
}

static const struct errno_case *current_case;

/* Build the case's attr in @mem, run it through @dev (or bpf(2) if < 0). */
static void run_case(struct outcome *o, int dev)
{
	static char mem[8192] __attribute__((aligned(8)));
	union bpf_attr *a = (union bpf_attr *)mem;
	unsigned int size = sizeof(*a);
	int ret;

	memset(mem, 0, sizeof(mem));
	cur_log = o->log;
	current_case->build(a, &size);
	if (dev < 0)
		ret = sys_bpf(current_case->cmd, a, size);
	else
		ret = dev_bpf(dev, current_case->cmd, a, size);
	o->ret = ret >= 0 ? 0 : -errno;
	if (ret >= 0)
		close(ret);
	o->true_size = true_size_of(current_case->cmd, a);
}

static int direct(void *arg)
{
	struct outcome *o = arg;

	run_case(o, -1);
	return o->ret;
}

START_TEST(same_errno_as_bpf_syscall)
{
	const struct errno_case *c = &cases[_i];
	static struct outcome got;
	struct outcome *want;
	int dev;

	current_case = c;
	want = mmap(NULL, sizeof(*want), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(want, MAP_FAILED);
	ck_assert_int_eq(run_capped(CAPS_BPF, direct, want), want->ret);

	become_member();
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	run_case(&got, dev);

	ck_assert_msg(got.ret == want->ret, "%s: bpfdev %d, bpf(2) %d",
		      c->name, got.ret, want->ret);
	ck_assert_msg(got.true_size == want->true_size,
		      "%s: log_true_size bpfdev %u, bpf(2) %u", c->name,
		      got.true_size, want->true_size);
	if (c->log) {
		ck_assert_msg(want->log[0], "%s: bpf(2) wrote no log", c->name);
		ck_assert_str_eq(got.log, want->log);
	}
}
END_TEST

const struct suite_def errno_suite = { "errno", {
	{ "as_bpf_syscall", .tests = {
		LOOP_TEST(same_errno_as_bpf_syscall, ARRAY_LEN(cases)),
	} },
} };
