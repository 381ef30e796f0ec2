// SPDX-License-Identifier: GPL-2.0
/*
 * A benchmark worker: one process, exec'd by the coordinator, set up as its
 * role, then running timed loops on request (struct bench_req) until the
 * coordinator closes its pipe. Roles:
 *   dev     the member, through /dev/bpf
 *   cap     the member holding exactly CAP_BPF, bpf(2) directly
 *   root    full root, bpf(2) directly
 *   token   the member, root in its own user namespace (and mount
 *           namespace) with only CAP_BPF there, bpf(2) with a BPF token
 *   shim    the member with libbpfdev preloaded (LD_PRELOAD set by the
 *           coordinator), map operations via syscall()
 *   plain   the member without it, the same map operations
 *   sv      the member under bpfdev-run --supervise (started as the
 *           member by the coordinator): every operation by syscall(),
 *           the privileged ones served by the supervisor, map operations
 *           past its seccomp filter
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <linux/bpfdev.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

const char *const op_names[OP_MAX] = {
	"prog_load_2", "prog_load_4k", "prog_load_100k", "map_create",
	"map_create_hash", "btf_load", "map_update", "map_lookup", "map_delete",
};
const int op_reps[OP_MAX] = { 20, 5, 1, 50, 50, 50, 2000, 2000, 2000 };

static struct bpf_insn *insns;
static int dev = -1, map = -1, token = -1;
static int use_dev;

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static long sys_bpf(int cmd, union bpf_attr612 *u)
{
	if (use_dev) {
		struct bpfdev_sys_bpf r = {
			.size = sizeof(r), .cmd = (__u32)cmd,
			.attr_size = sizeof(u->a), .attr = (uintptr_t)&u->a,
		};

		return ioctl(dev, BPFDEV_IOC_SYS_BPF, &r);
	}
	/* the 6.12 size only with a token: 6.1 refuses a non-zero tail */
	if (token >= 0)
		return syscall(__NR_bpf, cmd, u, sizeof(*u));
	/* syscall(): what libbpf calls, and what the interposer replaces */
	return syscall(__NR_bpf, cmd, &u->a, sizeof(u->a));
}

static const struct {
	__u32 hdr[6];
	__u32 type[3];
	__u32 enc;
	char str[5];
} __attribute__((packed)) btf = {
	{ 0x0001eB9F, 24, 0, 16, 16, 5 },
	{ 1, 1U << 24, 4 }, (1U << 24) | 32, "\0int",
};

/* One call: a new fd (closed by the caller) or 0 for a map operation, or -1. */
static int one(enum op op)
{
	union bpf_attr612 u;
	union bpf_attr *a = &u.a;
	__u32 key = 0;
	__u64 val = 1;
	long fd;

	memset(&u, 0, sizeof(u));
	switch (op) {
	case OP_LOAD_TINY:
	case OP_LOAD_4K:
	case OP_LOAD_100K:
		a->prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
		a->insn_cnt = op == OP_LOAD_TINY ? 2 :
			      op == OP_LOAD_4K ? 4000 : 100000;
		a->insns = (uintptr_t)(insns + 100000 - a->insn_cnt);
		a->license = (uintptr_t)"GPL";
		if (token >= 0) {
			a->prog_flags |= BENCH_BPF_F_TOKEN_FD;
			u.prog.prog_token_fd = token;
		}
		fd = sys_bpf(BPF_PROG_LOAD, &u);
		break;
	case OP_MAP_CREATE:
	case OP_MAP_CREATE_HASH:
		a->map_type = op == OP_MAP_CREATE ? BPF_MAP_TYPE_ARRAY :
			      BPF_MAP_TYPE_HASH;
		a->key_size = 4;
		a->value_size = 8;
		a->max_entries = op == OP_MAP_CREATE ? 1 : 64;
		if (token >= 0) {
			a->map_flags |= BENCH_BPF_F_TOKEN_FD;
			u.map.map_token_fd = token;
		}
		fd = sys_bpf(BPF_MAP_CREATE, &u);
		break;
	case OP_BTF_LOAD:
		a->btf = (uintptr_t)&btf;
		a->btf_size = sizeof(btf);
		if (token >= 0) {
			u.btf.btf_flags = BENCH_BPF_F_TOKEN_FD;
			u.btf.btf_token_fd = token;
		}
		fd = sys_bpf(BPF_BTF_LOAD, &u);
		break;
	default:
		a->map_fd = (__u32)map;
		a->key = (uintptr_t)&key;
		a->value = (uintptr_t)&val;
		fd = syscall(__NR_bpf, op == OP_MAP_UPDATE ? BPF_MAP_UPDATE_ELEM :
			     op == OP_MAP_LOOKUP ? BPF_MAP_LOOKUP_ELEM :
			     BPF_MAP_DELETE_ELEM, a, sizeof(*a));
		/* an array's elements cannot be deleted: EINVAL, still a call */
		if (fd < 0 && op == OP_MAP_DELETE && errno == EINVAL)
			return 0;
		return fd < 0 ? -1 : 0;
	}
	return fd < 0 ? -1 : (int)fd;
}

/*
 * The time stamp counter: under QEMU's instruction counting (-icount
 * shift=0) it advances by one per executed instruction, as the guest's
 * clocks do, and reading it is one instruction rather than a system call
 * (the counting boots' clocksource is not the TSC).
 */
static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile ("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* One CPU: make bench's instruction-counting boots (tests/vm/qemu.sh) */
int bench_counting(void)
{
	static int counting = -1;

	if (counting < 0)
		counting = sysconf(_SC_NPROCESSORS_ONLN) == 1;
	return counting;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * @q->reps calls. On one CPU (the counting boots) each call alone is
 * counted, in TSC ticks (instructions), and the fd it made is closed
 * outside the count: the close differs between the modes (the registry
 * holds a reference to what a dev call made, and frees it later) and is
 * not the call's cost. The sample is then the median call (@p->per_op):
 * what a call costs, not the allocator's occasional refill (a per-CPU
 * chunk populated, a slab grown) that one call in many pays, by chance
 * of the run in one mode or another. With more CPUs (the concurrency
 * boot), the whole loop in CLOCK_MONOTONIC ns.
 */
static void run(const struct bench_req *q, struct bench_rep *p)
{
	static uint64_t counts[BENCH_REPS_MAX];
	int counting = bench_counting();
	uint64_t t = 0;
	int i, fd;

	p->err = 0;
	p->per_op = 0;
	p->t0 = counting ? 0 : now_ns();
	for (i = 0; i < q->reps && (!counting || i < BENCH_REPS_MAX); i++) {
		if (counting)
			t = rdtsc();
		fd = one((enum op)q->op);
		if (counting)
			counts[i] = rdtsc() - t;
		if (fd < 0) {
			p->err = errno ? errno : EIO;
			break;
		}
		if (fd > 0)
			close(fd);
	}
	p->t1 = counting ? 0 : now_ns();
	if (counting && !p->err && i) {
		qsort(counts, (size_t)i, sizeof(counts[0]), cmp_u64);
		p->per_op = (i % 2) ? counts[i / 2] :
			    (counts[i / 2 - 1] + counts[i / 2]) / 2;
	}
}

/*
 * A sample in a child forked for it: a fresh process, which the scheduler
 * places anew (fork balancing), with this worker's set-up (and preload).
 */
static void run_forked(const struct bench_req *q, int out)
{
	struct bench_rep p = { .err = ECHILD };
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		run(q, &p);
		_exit(write(out, &p, sizeof(p)) == sizeof(p) ? 0 : 1);
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    !WEXITSTATUS(status))
		return;
	if (write(out, &p, sizeof(p)) != sizeof(p))
		_exit(1);
}

/*
 * On one CPU (make bench's instruction-counting boots), the worker runs
 * SCHED_FIFO: the work a sample defers (frees after RCU grace periods, in
 * work items, lazily batched RCU callbacks) then runs in kthreads in the
 * quiet period between samples instead of in whichever sample it falls in,
 * and every sample counts only the calls themselves and what they wait
 * for. Called as root before the worker's exec; inherited from there.
 */
void bench_fifo(void)
{
	struct sched_param sp = { .sched_priority = 1 };

	if (bench_counting() && sched_setscheduler(0, SCHED_FIFO, &sp))
		_exit(95);
}

void bench_become(int caps_bpf)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { { 0 } };
	gid_t groups[2] = { 1000, 990 };

	if (prctl(PR_SET_KEEPCAPS, 1) || setgroups(2, groups) ||
	    setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
		_exit(90);
	if (caps_bpf) {
		data[CAP_BPF / 32].effective = data[CAP_BPF / 32].permitted =
			1U << (CAP_BPF % 32);
		if (syscall(SYS_capset, &hdr, data))
			_exit(91);
	}
}

static void role_setup(const char *role, int token_sock)
{
	union bpf_attr a;
	int i;

	insns = calloc(100000, sizeof(*insns));
	if (!insns)
		_exit(92);
	for (i = 0; i < 99999; i++)
		insns[i] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K,
					      .imm = i };
	insns[99999] = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
	if (!strcmp(role, "cap"))
		bench_become(1);
	else if (strcmp(role, "root") && strcmp(role, "sv"))
		bench_become(0);	/* sv: the member already */
	if (!strcmp(role, "token")) {
		token = token_child(token_sock);
		if (token < 0)
			_exit(94);
		close(token_sock);
		return;		/* no map operations */
	}
	use_dev = !strcmp(role, "dev");
	if (use_dev || !strcmp(role, "shim") || !strcmp(role, "plain"))
		dev = open("/dev/bpf", O_RDWR | O_CLOEXEC);
	/* the map the map operations use */
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 1;
	if (dev >= 0) {
		struct bpfdev_sys_bpf r = {
			.size = sizeof(r), .cmd = BPF_MAP_CREATE,
			.attr_size = sizeof(a), .attr = (uintptr_t)&a,
		};

		map = ioctl(dev, BPFDEV_IOC_SYS_BPF, &r);
	} else {
		map = (int)syscall(__NR_bpf, BPF_MAP_CREATE, &a, sizeof(a));
	}
}

void profile_main(const char *role, const char *op, int n)
{
	struct bench_req q = { .op = -1, .reps = n };
	struct bench_rep p;
	int i;

	for (i = 0; i < OP_MAX; i++)
		if (!strcmp(op_names[i], op))
			q.op = i;
	if (q.op < 0 || n <= 0)
		_exit(2);
	if (audit_enable(0))
		_exit(3);
	bench_fifo();
	role_setup(role, -1);
	run(&q, &p);
	_exit(p.err ? 1 : 0);
}

void worker_main(const char *role, int in, int out, int token_sock)
{
	struct bench_req q;
	struct bench_rep p;

	role_setup(role, token_sock);
	while (read(in, &q, sizeof(q)) == sizeof(q)) {
		if (q.op < 0 || q.op >= OP_MAX || q.reps <= 0)
			break;
		if (q.fork_each) {
			run_forked(&q, out);
			continue;
		}
		run(&q, &p);
		if (write(out, &p, sizeof(p)) != sizeof(p))
			break;
	}
	_exit(0);
}
