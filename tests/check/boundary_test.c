// SPDX-License-Identifier: GPL-2.0
/*
 * The grant as a hard boundary: what the verifier allows only in its
 * CAP_BPF mode (calls, callbacks, kfuncs, loops) is refused unless
 * delegated; JIT images and BTF, which no memory cgroup is charged for,
 * have per-user budgets; and a request parked on a page fault of its own
 * memory cannot outlive a revocation or a change of the grant.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/btf.h>
#include <linux/capability.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#define BIT(n)		(1ULL << (n))

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			    .off = (o), .imm = (i) })
#define INSN_CALL(helper)	INSN(BPF_JMP | BPF_CALL, 0, 0, 0, (helper))
/* r@dst = the address of the function @delta instructions after the next */
#define INSN_LD_FUNC(dst, delta) \
	INSN(BPF_LD | BPF_IMM | BPF_DW, (dst), BPF_PSEUDO_FUNC, 0, (delta)), \
	INSN(0, 0, 0, 0, 0)

/*
 * A socket filter of 18 instructions that runs 256 x 4,096 iterations per
 * packet: bpf_loop() calling a callback that calls bpf_loop() again.
 */
static const struct bpf_insn nested_loop[18] = {
	INSN_MOV64_IMM(1, 256),
	INSN_LD_FUNC(2, 6),		/* the outer callback, at 8 */
	INSN_MOV64_IMM(3, 0),
	INSN_MOV64_IMM(4, 0),
	INSN_CALL(BPF_FUNC_loop),
	INSN_MOV64_IMM(0, 0),
	INSN_EXIT(),
	/* 8: outer callback */
	INSN_MOV64_IMM(1, 4096),
	INSN_LD_FUNC(2, 6),		/* the inner callback, at 16 */
	INSN_MOV64_IMM(3, 0),
	INSN_MOV64_IMM(4, 0),
	INSN_CALL(BPF_FUNC_loop),
	INSN_MOV64_IMM(0, 0),
	INSN_EXIT(),
	/* 16: inner callback */
	INSN_MOV64_IMM(0, 0),
	INSN_EXIT(),
};

/* bpf-to-bpf calls: the main function calls a second one twice. */
static const struct bpf_insn fan_out[] = {
	INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 3),	/* to 4 */
	INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 2),	/* to 4 */
	INSN_MOV64_IMM(0, 0),
	INSN_EXIT(),
	/* 4 */
	INSN_MOV64_IMM(0, 1),
	INSN_EXIT(),
};

/*
 * A bounded loop: r0 counts to 10. Without CAP_PERFMON the verifier also
 * follows each branch's other direction speculatively, and the second bound
 * ends those paths too.
 */
static const struct bpf_insn bounded_loop[] = {
	INSN_MOV64_IMM(0, 0),
	INSN(BPF_ALU64 | BPF_ADD | BPF_K, 0, 0, 0, 1),
	INSN(BPF_JMP | BPF_JGT | BPF_K, 0, 0, 1, 20),		/* to 4 */
	INSN(BPF_JMP | BPF_JLT | BPF_K, 0, 0, -3, 10),		/* to 1 */
	INSN_EXIT(),
};

/* The same loop closed by gotol (BPF_JMP32 | BPF_JA, offset in imm). */
static const struct bpf_insn gotol_loop[] = {
	INSN_MOV64_IMM(0, 0),
	INSN(BPF_ALU64 | BPF_ADD | BPF_K, 0, 0, 0, 1),
	INSN(BPF_JMP | BPF_JGT | BPF_K, 0, 0, 2, 9),		/* to 5 */
	INSN(BPF_JMP | BPF_JGT | BPF_K, 0, 0, 1, 20),		/* to 5 */
	INSN(BPF_JMP32 | BPF_JA, 0, 0, 0, -4),			/* to 1 */
	INSN_EXIT(),
};

/*
 * A loop the depth-first search enters in its middle: the edge that
 * closes it is a fall-through (3 -> 4), not the backward jump.
 */
static const struct bpf_insn mid_entry_loop[] = {
	INSN_MOV64_IMM(0, 0),
	INSN(BPF_JMP | BPF_JA, 0, 0, 2, 0),			/* to 4 */
	INSN(BPF_ALU64 | BPF_ADD | BPF_K, 0, 0, 0, 1),		/* 2 */
	INSN(BPF_ALU64 | BPF_ADD | BPF_K, 0, 0, 0, 0),
	INSN(BPF_JMP | BPF_JGT | BPF_K, 0, 0, 1, 1000),		/* 4: to 6 */
	INSN(BPF_JMP | BPF_JA, 0, 0, -4, 0),			/* to 2 */
	INSN_EXIT(),
};

/* 6.12's may_goto (BPF_JMP | BPF_JCOND) bounding a loop the kernel accepts. */
static const struct bpf_insn may_goto_loop[] = {
	INSN_MOV64_IMM(0, 0),
	INSN(BPF_JMP | 0xe0, 0, 0, 1, 0),			/* 1: to 3 */
	INSN(BPF_JMP | BPF_JA, 0, 0, -2, 0),			/* to 1 */
	INSN_EXIT(),
};

/* No loop: a backward jump to a shared exit. */
static const struct bpf_insn shared_exit[] = {
	INSN(BPF_LDX | BPF_MEM | BPF_W, 2, 1, 0, 0),	/* r2 = skb->len */
	INSN_MOV64_IMM(0, 0),
	INSN(BPF_JMP | BPF_JNE | BPF_K, 2, 0, 1, 0),	/* to 4 */
	INSN_EXIT(),					/* 3: the exit */
	INSN_MOV64_IMM(0, 1),
	INSN(BPF_JMP | BPF_JA, 0, 0, -3, 0),		/* back to 3 */
};

/* A kfunc call (the BTF ID does not matter: refused before the verifier). */
static const struct bpf_insn kfunc[] = {
	INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, 1),
	INSN_MOV64_IMM(0, 0),
	INSN_EXIT(),
};

/* A bpf-to-bpf call in the second half of an ldimm64: every slot counts. */
static const struct bpf_insn call_in_second_half[] = {
	INSN(BPF_LD | BPF_IMM | BPF_DW, 0, 0, 0, 0),
	INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 1),
	INSN_MOV64_IMM(0, 0),
	INSN_EXIT(),
};

/*
 * Callbacks need BTF func_info for every function: nested_loop's three,
 * "int f(void)" each, static.
 */
static const struct {
	struct btf_header hdr;
	__u32 types[4 + 3 + 3 * 3];
	char strings[18];
} __attribute__((packed)) funcs_btf = {
	.hdr = {
		.magic = BTF_MAGIC, .version = BTF_VERSION,
		.hdr_len = sizeof(struct btf_header),
		.type_off = 0, .type_len = 16 * 4,
		.str_off = 16 * 4, .str_len = 18,
	},
	.types = {
		/* [1] int */
		1, BTF_KIND_INT << 24, 4, (BTF_INT_SIGNED << 24) | 32,
		/* [2] int (void) */
		0, BTF_KIND_FUNC_PROTO << 24, 1,
		/* [3] main, [4] outer, [5] inner: static functions of [2] */
		5, BTF_KIND_FUNC << 24, 2,
		10, BTF_KIND_FUNC << 24, 2,
		14, BTF_KIND_FUNC << 24, 2,
	},
	.strings = "\0int\0main\0cb1\0cb2",
};

static const struct bpf_func_info nested_loop_funcs[] = {
	{ .insn_off = 0, .type_id = 3 },
	{ .insn_off = 8, .type_id = 4 },
	{ .insn_off = 16, .type_id = 5 },
};

/* Through the device, or (@dev < 0) bpf(2) directly. */
static int do_bpf(int dev, int cmd, union bpf_attr *a)
{
	return dev < 0 ? sys_bpf(cmd, a, sizeof(*a)) :
			 dev_bpf(dev, cmd, a, sizeof(*a));
}

/* Load a socket filter; nested_loop with its BTF, loaded the same way. */
static int load_sf_log(int dev, const struct bpf_insn *insns, __u32 cnt,
		       char *log, __u32 log_size)
{
	union bpf_attr a;
	int btf = -1, fd;

	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, insns, cnt);
	if (insns == nested_loop) {
		union bpf_attr b;

		memset(&b, 0, sizeof(b));
		b.btf = ptr_to_u64(&funcs_btf);
		b.btf_size = sizeof(funcs_btf);
		btf = do_bpf(dev, BPF_BTF_LOAD, &b);
		ck_assert_int_ge(btf, 0);
		a.prog_btf_fd = (__u32)btf;
		a.func_info = ptr_to_u64(nested_loop_funcs);
		a.func_info_cnt = ARRAY_LEN(nested_loop_funcs);
		a.func_info_rec_size = sizeof(struct bpf_func_info);
	}
	if (log) {
		a.log_level = 1;
		a.log_buf = ptr_to_u64(log);
		a.log_size = log_size;
	}
	fd = do_bpf(dev, BPF_PROG_LOAD, &a);
	if (btf >= 0) {
		int err = errno;

		close(btf);
		errno = err;
	}
	return fd;
}

static int load_sf(int dev, const struct bpf_insn *insns, __u32 cnt)
{
	return load_sf_log(dev, insns, cnt, NULL, 0);
}

/* -errno, or 0 after closing the new fd */
static int result(int fd)
{
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return -errno;
}

/* A counter of /sys/class/misc/bpf/stats/, or -1 if the module has none. */
static long counter(const char *name)
{
	char path[128], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/class/misc/bpf/stats/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return atol(buf);
}

struct prog {
	const struct bpf_insn *insns;
	__u32 cnt;
};

/* bpf(2) as a process holding exactly CAP_BPF: run_capped()'s function */
static int capped_load(void *arg)
{
	const struct prog *p = arg;

	return result(load_sf_log(-1, p->insns, p->cnt, NULL, 0));
}

/*
 * Refused by default with EPERM and reason "insns", creating nothing. When
 * delegated, bpfdev refuses nothing: the kernel answers as it answers a
 * process holding exactly CAP_BPF (@loads: and that answer is a program).
 */
static void check_insns(const struct bpf_insn *insns, __u32 cnt,
			const char *delegate, int loads)
{
	struct prog p = { .insns = insns, .cnt = cnt };
	long denied = counter("denied_insns");
	struct objs before, after;
	int dev, capped = 0, got;

	if (delegate)
		capped = run_capped(BIT(CAP_BPF), capped_load, &p);
	objs_snapshot(&before);
	dev = member_dev();
	ck_assert_int_eq(result(load_sf(dev, insns, cnt)), -EPERM);
	ck_assert_int_ge(denied, 0);
	ck_assert_int_eq(counter("denied_insns"), denied + 1);
	objs_snapshot(&after);
	/* none above: earlier tests' programs may go meanwhile (the registry) */
	ck_assert_uint_le(after.max_prog, before.max_prog);
	if (!delegate)
		return;
	ck_assert_int_eq(root_param_write("delegate_insns", delegate), 0);
	got = result(load_sf(dev, insns, cnt));
	printf("delegate_insns=%s: through bpfdev %d, with CAP_BPF %d\n",
	       delegate, got, capped);
	ck_assert_int_eq(got, capped);
	ck_assert_int_eq(stats_counter("denied_insns"), denied + 1);
	if (loads) {
		static char log[65536];
		int fd = load_sf_log(dev, insns, cnt, log, sizeof(log));

		ck_assert_msg(fd >= 0, "delegated, still refused: %s\n%s",
			      strerror(errno),
			      log + (strlen(log) > 600 ? strlen(log) - 600 : 0));
		close(fd);
	}
}

START_TEST(nested_bpf_loop_needs_callbacks_delegated)
{
	check_insns(nested_loop, ARRAY_LEN(nested_loop), "callback", 1);
}
END_TEST

START_TEST(bpf_to_bpf_calls_need_delegating)
{
	check_insns(fan_out, ARRAY_LEN(fan_out), "bpf_call", 1);
}
END_TEST

START_TEST(bounded_loops_need_delegating)
{
	check_insns(bounded_loop, ARRAY_LEN(bounded_loop), "loop", 0);
}
END_TEST

START_TEST(gotol_loops_need_delegating)
{
	check_insns(gotol_loop, ARRAY_LEN(gotol_loop), "loop", 0);
}
END_TEST

START_TEST(a_loop_entered_in_its_middle_is_a_loop)
{
	check_insns(mid_entry_loop, ARRAY_LEN(mid_entry_loop), "loop", 0);
}
END_TEST

START_TEST(may_goto_loops_need_delegating)
{
	check_insns(may_goto_loop, ARRAY_LEN(may_goto_loop), "loop",
		    kernel_is_612());
}
END_TEST

START_TEST(kfunc_calls_are_refused_by_default)
{
	check_insns(kfunc, ARRAY_LEN(kfunc), NULL, 0);
}
END_TEST

START_TEST(every_slot_is_scanned)
{
	check_insns(call_in_second_half, ARRAY_LEN(call_in_second_half), NULL,
		    0);
}
END_TEST

/*
 * The scan skips straight code four instructions at a time: a jump to
 * itself, or an ldimm64 with a call in its second half, is found at every
 * position after a run of plain moves, and as the last instruction.
 */
START_TEST(every_position_after_straight_code_is_scanned)
{
	long denied = counter("denied_insns");
	struct bpf_insn prog[32];
	__u32 run, n, i;
	int dev = member_dev();

	ck_assert_int_ge(denied, 0);
	for (run = 8; run < 16; run++) {
		for (i = 0; i < run; i++)
			prog[i] = INSN_MOV64_IMM(0, (__s32)i);
		/* a loop: the last instruction jumps to itself */
		prog[run] = INSN(BPF_JMP | BPF_JA, 0, 0, -1, 0);
		ck_assert_msg(result(load_sf(dev, prog, run + 1)) == -EPERM,
			      "a loop after %u moves: %s", run, strerror(errno));
		/* a call in a second half, then the end of the program */
		n = run;
		for (i = 0; i < ARRAY_LEN(call_in_second_half); i++)
			prog[n++] = call_in_second_half[i];
		ck_assert_msg(result(load_sf(dev, prog, n)) == -EPERM,
			      "a call after %u moves: %s", run, strerror(errno));
	}
	ck_assert_int_eq(counter("denied_insns"), denied + 16);
}
END_TEST

START_TEST(a_backward_jump_to_a_shared_exit_is_not_a_loop)
{
	int dev = member_dev();

	ck_assert_int_eq(result(load_sf(dev, shared_exit,
					ARRAY_LEN(shared_exit))), 0);
}
END_TEST

/* The grant shows it; a narrowed file can drop it. */
START_TEST(delegate_insns_in_info_fdinfo_and_narrowing)
{
	struct bpfdev_narrow nr = {
		.size = sizeof(nr), .flags = BPFDEV_NARROW_F_CLOEXEC,
		.cmds = ~0ULL, .progs = ~0ULL, .maps = ~0ULL, .attachs = ~0ULL,
		.insns = BIT(BPFDEV_INSN_BPF_CALL),
	};
	struct bpfdev_info info = { .size = sizeof(info) };
	char path[64], buf[4096];
	int dev, child, fd;
	ssize_t n;

	ck_assert_int_eq(root_param_write("delegate_insns", "loop:bpf_call"), 0);
	dev = member_dev();
	/* bpf_call loads; a loop passes bpfdev (the verifier decides) */
	ck_assert_int_eq(dev_info(dev, &info), 0);
	ck_assert_int_eq(info.size, sizeof(info));
	ck_assert_uint_eq(info.insns, BIT(BPFDEV_INSN_LOOP) |
				      BIT(BPFDEV_INSN_BPF_CALL));
	ck_assert_uint_eq(info.own_insns, ~0ULL);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", dev);
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	close(fd);
	ck_assert_ptr_nonnull(strstr(buf, "allowed_insns:\tbpf_call:loop\n"));

	child = ioctl(dev, BPFDEV_IOC_NARROW, &nr);
	ck_assert_int_ge(child, 0);
	ck_assert_int_eq(result(load_sf(child, fan_out, ARRAY_LEN(fan_out))), 0);
	{
		long denied = stats_counter("denied_insns");

		ck_assert_int_eq(result(load_sf(child, bounded_loop,
						ARRAY_LEN(bounded_loop))), -EPERM);
		ck_assert_int_eq(stats_counter("denied_insns"), denied + 1);
		(void)load_sf(dev, bounded_loop, ARRAY_LEN(bounded_loop));
		ck_assert_int_eq(stats_counter("denied_insns"), denied + 1);
	}
	/* a caller built before the field existed keeps none */
	nr.size = BPFDEV_NARROW_SIZE_VER0;
	child = ioctl(dev, BPFDEV_IOC_NARROW, &nr);
	ck_assert_int_ge(child, 0);
	ck_assert_int_eq(result(load_sf(child, fan_out, ARRAY_LEN(fan_out))),
			 -EPERM);
}
END_TEST

/* --- budgets ------------------------------------------------------------ */

static void budgets(int dev, __u64 *jit, __u64 *btf)
{
	struct bpfdev_info info = { .size = sizeof(info) };

	ck_assert_int_eq(dev_info(dev, &info), 0);
	*jit = info.user_jit_bytes;
	*btf = info.user_btf_bytes;
}

/* A socket filter of @n instructions, none of them a jump. */
static int load_long(int dev, __u32 n)
{
	static struct bpf_insn insns[4096];
	__u32 i;

	for (i = 0; i + 1 < n; i++)
		insns[i] = INSN_MOV64_IMM(0, (int)i);
	insns[n - 1] = INSN_EXIT();
	return load_sf(dev, insns, n);
}

/*
 * The JIT budget is live: programs past it are refused with EDQUOT while
 * the earlier ones exist, and load again once they are gone.
 */
START_TEST(jit_budget_is_live)
{
	int fds[256], n = 0, i, fd, dev;
	__u64 jit0, jit, btf;
	char max[32];

	dev = member_dev();
	budgets(dev, &jit0, &btf);
	/* room for a few 1,024-instruction programs beyond what is live */
	snprintf(max, sizeof(max), "%llu", (unsigned long long)jit0 + 64 * 1024);
	ck_assert_int_eq(root_param_write("user_jit_max", max), 0);
	for (;;) {
		ck_assert_int_lt(n, (int)ARRAY_LEN(fds));
		fd = load_long(dev, 1024);
		if (fd < 0)
			break;
		fds[n++] = fd;
	}
	ck_assert_int_eq(errno, EDQUOT);
	budgets(dev, &jit, &btf);
	printf("JIT budget 64 KiB: %d programs of 1,024 instructions, %llu bytes\n",
	       n, (unsigned long long)(jit - jit0));
	ck_assert_int_ge(n, 2);
	ck_assert_uint_le(jit, jit0 + 64 * 1024);
	ck_assert_uint_gt(jit, jit0);

	for (i = 0; i < n; i++)
		close(fds[i]);
	/* programs are freed after an RCU grace period and a work item */
	for (i = 0; i < 1000; i++) {	/* 10 s */
		budgets(dev, &jit, &btf);
		if (jit == jit0)
			break;
		usleep(10000);
	}
	ck_assert_uint_eq(jit, jit0);
	fd = load_long(dev, 1024);
	ck_assert_int_ge(fd, 0);
	close(fd);
}
END_TEST

/*
 * BTF is charged at load, 3 bytes per byte plus 512 per object, for the
 * module's lifetime: closing the fds gives nothing back (a map could be
 * keeping the BTF alive), and the member is stopped at the budget.
 */
START_TEST(btf_budget_stops_unaccounted_btf)
{
	const __u64 each = 3ULL * 16413 + 512;
	int fds[16], n = 0, i, dev;
	__u64 jit, btf0, btf;
	char max[32];
	__u32 size;
	void *blob;

	blob = btf_blob(1024, &size);
	ck_assert_uint_eq(size, 16413);
	dev = member_dev();
	budgets(dev, &jit, &btf0);
	snprintf(max, sizeof(max), "%llu",
		 (unsigned long long)(btf0 + 5 * each + each / 2));
	ck_assert_int_eq(root_param_write("user_btf_max", max), 0);
	for (;;) {
		ck_assert_int_lt(n, (int)ARRAY_LEN(fds));
		fds[n] = dev_load_btf(dev, blob, size);
		if (fds[n] < 0)
			break;
		n++;
	}
	ck_assert_int_eq(errno, EDQUOT);
	ck_assert_int_eq(n, 5);
	budgets(dev, &jit, &btf);
	ck_assert_uint_eq(btf, btf0 + 5 * each);
	for (i = 0; i < n; i++)
		close(fds[i]);
	ck_assert_int_eq(result(dev_load_btf(dev, blob, size)), -EDQUOT);
	free(blob);
}
END_TEST

/* The member's budgets, as INFO tells the member (from a child). */
static void member_budgets(__u64 *jit, __u64 *btf)
{
	__u64 v[2] = { 0, 0 };
	int p[2], status;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int dev = member_dev();

		budgets(dev, &v[0], &v[1]);
		_exit(write(p[1], v, sizeof(v)) == sizeof(v) ? 0 : 1);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], v, sizeof(v)), (int)sizeof(v));
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	*jit = v[0];
	*btf = v[1];
}

/*
 * Real libbpf tools load BTF and programs on every run: 1,000 runs of
 * bpftool under the default budgets must all work, and the JIT budget is
 * back where it started once the programs are gone.
 */
START_TEST(a_thousand_runs_of_bpftool_fit_the_default_budgets)
{
	const char *pin = "/sys/fs/bpf/budget/prog";
	const char *const argv[] = {
		"/usr/bin/bpfdev-run", "/usr/sbin/bpftool", "prog", "load",
		prog_path("sockcount.bpf.o"), pin, NULL,
	};
	struct bpfdev_info info = { .size = sizeof(info) };
	__u64 jit0, btf0, jit, btf;
	static struct run r;
	int i, dev;

	dev = dev_open(O_RDWR);		/* the defaults, as the tests run */
	ck_assert_int_ge(dev, 0);
	ck_assert_int_eq(dev_info(dev, &info), 0);
	ck_assert_uint_eq(info.user_jit_max, 16ULL << 20);
	ck_assert_uint_eq(info.user_btf_max, 64ULL << 20);
	close(dev);
	ck_assert_int_eq(chmod("/sys/fs/bpf", 0711), 0);
	ck_assert_int_eq(mkdir("/sys/fs/bpf/budget", 0700), 0);
	ck_assert_int_eq(chown("/sys/fs/bpf/budget", MEMBER_UID, MEMBER_UID), 0);

	member_budgets(&jit0, &btf0);
	for (i = 0; i < scaled(1000); i++) {
		run_as(MEMBER, NULL, argv, &r);
		ck_assert_msg(exited(&r, 0), "run %d: %s", i, run_tail(&r));
		ck_assert_int_eq(unlink(pin), 0);
	}
	for (i = 0; i < 1000; i++) {	/* 10 s */
		member_budgets(&jit, &btf);
		if (jit == jit0)
			break;
		usleep(10000);
	}
	printf("%d runs of bpftool prog load: BTF %llu bytes charged in all (budget %llu), JIT back to %llu\n",
	       scaled(1000), (unsigned long long)(btf - btf0),
	       64ULL << 20, (unsigned long long)jit);
	ck_assert_uint_eq(jit, jit0);
	ck_assert_uint_le(btf, 64ULL << 20);
	ck_assert_int_eq(rmdir("/sys/fs/bpf/budget"), 0);
	ck_assert_int_eq(chmod("/sys/fs/bpf", 0700), 0);
}
END_TEST

/* --- requests parked on a page fault -------------------------------------- */

/* A page the kernel faults on until the test serves it (userfaultfd). */
struct parked {
	int uffd;
	char *page;
	long size;
};

/* As root, before becoming the member: the uffd then sees kernel faults. */
static void park_setup(struct parked *pk)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };

	pk->size = sysconf(_SC_PAGESIZE);
	pk->page = mmap(NULL, pk->size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert(pk->page != MAP_FAILED);
	pk->uffd = (int)syscall(__NR_userfaultfd, O_CLOEXEC);
	ck_assert_int_ge(pk->uffd, 0);
	ck_assert_int_eq(ioctl(pk->uffd, UFFDIO_API, &api), 0);
	reg.range.start = (unsigned long)pk->page;
	reg.range.len = pk->size;
	ck_assert_int_eq(ioctl(pk->uffd, UFFDIO_REGISTER, &reg), 0);
}

/* Wait until a request faults on the page: it is parked now. */
static void park_wait(struct parked *pk)
{
	struct pollfd p = { .fd = pk->uffd, .events = POLLIN };
	struct uffd_msg msg;

	ck_assert_int_eq(poll(&p, 1, 20000), 1);
	ck_assert_int_eq(read(pk->uffd, &msg, sizeof(msg)), (int)sizeof(msg));
	ck_assert_int_eq(msg.event, UFFD_EVENT_PAGEFAULT);
	ck_assert_uint_eq(msg.arg.pagefault.address & ~(__u64)(pk->size - 1),
			  (__u64)(unsigned long)pk->page);
}

/* Let the parked request go on, the page holding @len bytes of @data. */
static void park_serve(struct parked *pk, const void *data, size_t len)
{
	struct uffdio_copy copy = { 0 };
	char *src = aligned_alloc(pk->size, pk->size);

	ck_assert_ptr_nonnull(src);
	memset(src, 0, pk->size);
	memcpy(src, data, len);
	copy.dst = (unsigned long)pk->page;
	copy.src = (unsigned long)src;
	copy.len = pk->size;
	ck_assert_int_eq(ioctl(pk->uffd, UFFDIO_COPY, &copy), 0);
	free(src);
}

struct job {
	int dev, cmd, ret, err;
	union bpf_attr *attr;
};

static void *job_run(void *arg)
{
	struct job *j = arg;

	j->ret = dev_bpf(j->dev, j->cmd, j->attr, sizeof(*j->attr));
	j->err = errno;
	return NULL;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

enum park_what { PARK_INSNS, PARK_LOG, PARK_ATTR };

/*
 * The member's request parks on the page (its instructions, its verifier
 * log, or its whole attr); root revokes (or narrows the grant) while it is
 * parked, and the write returns although the request is still parked; then
 * the page is served. Nothing may be created: the request fails with @err.
 * The member holds @hold programs of 1,024 instructions meanwhile.
 */
static void parked_request(enum park_what what, const char *param,
			   const char *value, int hold, int err)
{
	static const struct bpf_insn ret0[] = { INSN_MOV64_IMM(0, 0),
						INSN_EXIT() };
	union bpf_attr a, *attr = &a;
	struct objs before;
	struct parked pk;
	int held[8], i;
	struct job j;
	pthread_t t;
	double took;

	ck_assert_int_le(hold, (int)ARRAY_LEN(held));
	park_setup(&pk);
	j.dev = member_dev();
	for (i = 0; i < hold; i++) {
		held[i] = load_long(j.dev, 1024);
		ck_assert_int_ge(held[i], 0);
	}
	objs_snapshot(&before);
	j.cmd = BPF_PROG_LOAD;
	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, ARRAY_LEN(ret0));
	switch (what) {
	case PARK_INSNS:
		a.insns = ptr_to_u64(pk.page);
		break;
	case PARK_LOG:
		a.log_level = 1;
		a.log_buf = ptr_to_u64(pk.page);
		a.log_size = (__u32)pk.size;
		break;
	case PARK_ATTR:
		j.cmd = BPF_MAP_CREATE;
		attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 8, 4);
		attr = (union bpf_attr *)pk.page;
		break;
	}
	j.attr = attr;
	ck_assert_int_eq(pthread_create(&t, NULL, job_run, &j), 0);
	park_wait(&pk);

	took = now();
	ck_assert_int_eq(root_param_write(param, value), 0);
	took = now() - took;
	printf("parked %s: writing %s took %.3f s, the request still parked\n",
	       what == PARK_INSNS ? "instructions" :
	       what == PARK_LOG ? "log buffer" : "attr", param, took);

	switch (what) {
	case PARK_INSNS:
		park_serve(&pk, ret0, sizeof(ret0));
		break;
	case PARK_LOG:
		park_serve(&pk, "", 1);
		break;
	case PARK_ATTR:
		park_serve(&pk, &a, sizeof(a));
		break;
	}
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_msg(j.ret < 0, "created fd %d after the write returned", j.ret);
	ck_assert_int_eq(j.err, err);
	ck_assert_int_eq(objs_created_since(&before), 0);
	for (i = 0; i < hold; i++)
		close(held[i]);
}

START_TEST(parked_instructions_do_not_outlive_a_revocation)
{
	parked_request(PARK_INSNS, "revoke", "1", 0, EPERM);
}
END_TEST

START_TEST(a_parked_log_does_not_outlive_a_revocation)
{
	parked_request(PARK_LOG, "revoke", "1", 0, EPERM);
}
END_TEST

START_TEST(a_parked_attr_does_not_outlive_a_revocation)
{
	parked_request(PARK_ATTR, "revoke", "1", 0, EPERM);
}
END_TEST

START_TEST(parked_instructions_do_not_outlive_a_narrower_grant)
{
	parked_request(PARK_INSNS, "delegate_progs", "none", 0, EPERM);
}
END_TEST

/*
 * A JIT budget lowered below what the member's live programs take applies
 * to a load parked before it: reserved under the budget of its start, it
 * is decided again under the new one, live images included.
 */
START_TEST(a_parked_load_meets_a_lowered_jit_budget)
{
	parked_request(PARK_INSNS, "user_jit_max", "4096", 4, EDQUOT);
}
END_TEST

const struct suite_def boundary_suite = { "boundary", {
	{ "insns", .reset_grant = 1, .tests = {
		TEST(nested_bpf_loop_needs_callbacks_delegated),
		TEST(bpf_to_bpf_calls_need_delegating),
		TEST(bounded_loops_need_delegating),
		TEST(gotol_loops_need_delegating),
		TEST(a_loop_entered_in_its_middle_is_a_loop),
		TEST(may_goto_loops_need_delegating),
		TEST(kfunc_calls_are_refused_by_default),
		TEST(every_slot_is_scanned),
		TEST(every_position_after_straight_code_is_scanned),
		TEST(a_backward_jump_to_a_shared_exit_is_not_a_loop),
		TEST(delegate_insns_in_info_fdinfo_and_narrowing),
	} },
	{ "budgets", .timeout = 900, .reset_grant = 1, .tests = {
		TEST(jit_budget_is_live),
		TEST(btf_budget_stops_unaccounted_btf),
		TEST(a_thousand_runs_of_bpftool_fit_the_default_budgets),
	} },
	{ "parked", .timeout = 60, .reset_grant = 1, .tests = {
		TEST(parked_instructions_do_not_outlive_a_revocation),
		TEST(a_parked_log_does_not_outlive_a_revocation),
		TEST(a_parked_attr_does_not_outlive_a_revocation),
		TEST(parked_instructions_do_not_outlive_a_narrower_grant),
		TEST(a_parked_load_meets_a_lowered_jit_budget),
	} },
} };
