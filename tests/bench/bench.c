// SPDX-License-Identifier: GPL-2.0
/*
 * bpfdev_bench ROUNDS: what delegation costs, measured in the VM.
 *
 * Workers, each its own process, run timed loops on command:
 *   dev     the member, through /dev/bpf
 *   cap     the member holding exactly CAP_BPF, bpf(2) directly: the fair
 *           baseline (the capabilities bpfdev raises for these commands)
 *   root    full root, bpf(2) directly, for reference (its verifier runs
 *           in another mode)
 *   shim    the member with libbpfdev preloaded, map operations via
 *           syscall(), which the interposer passes to the kernel
 *   plain   the member without it, the same map operations
 * The modes of one operation are interleaved round by round, in one boot.
 * Output: one CSV line per (operation, mode, round): ns per operation.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/bpf.h>
#include <linux/bpfdev.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum op { OP_LOAD_TINY, OP_LOAD_4K, OP_LOAD_100K, OP_MAP_CREATE, OP_BTF_LOAD,
	  OP_MAP_UPDATE, OP_MAP_LOOKUP, OP_MAP_DELETE, OP_MAX };
static const char *const op_names[] = {
	"prog_load_2", "prog_load_4k", "prog_load_100k", "map_create",
	"btf_load", "map_update", "map_lookup", "map_delete",
};
/* operations per timed sample */
static const int op_reps[] = { 20, 2, 1, 50, 50, 2000, 2000, 2000 };

static struct bpf_insn *insns;
static int dev = -1, map = -1;
static int use_dev;

static long sys_bpf(int cmd, union bpf_attr *a)
{
	if (use_dev) {
		struct bpfdev_sys_bpf r = {
			.size = sizeof(r), .cmd = (__u32)cmd,
			.attr_size = sizeof(*a), .attr = (uintptr_t)a,
		};

		return ioctl(dev, BPFDEV_IOC_SYS_BPF, &r);
	}
	/* syscall(): what libbpf calls, and what the interposer replaces */
	return syscall(__NR_bpf, cmd, a, sizeof(*a));
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

static int one(enum op op)
{
	union bpf_attr a;
	__u32 key = 0;
	__u64 val = 1;
	long fd;

	memset(&a, 0, sizeof(a));
	switch (op) {
	case OP_LOAD_TINY:
	case OP_LOAD_4K:
	case OP_LOAD_100K:
		a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
		a.insn_cnt = op == OP_LOAD_TINY ? 2 :
			     op == OP_LOAD_4K ? 4000 : 100000;
		a.insns = (uintptr_t)(insns + 100000 - a.insn_cnt);
		a.license = (uintptr_t)"GPL";
		fd = sys_bpf(BPF_PROG_LOAD, &a);
		break;
	case OP_MAP_CREATE:
		a.map_type = BPF_MAP_TYPE_ARRAY;
		a.key_size = 4;
		a.value_size = 8;
		a.max_entries = 1;
		fd = sys_bpf(BPF_MAP_CREATE, &a);
		break;
	case OP_BTF_LOAD:
		a.btf = (uintptr_t)&btf;
		a.btf_size = sizeof(btf);
		fd = sys_bpf(BPF_BTF_LOAD, &a);
		break;
	default:
		a.map_fd = (__u32)map;
		a.key = (uintptr_t)&key;
		a.value = (uintptr_t)&val;
		fd = syscall(__NR_bpf, op == OP_MAP_UPDATE ? BPF_MAP_UPDATE_ELEM :
			     op == OP_MAP_LOOKUP ? BPF_MAP_LOOKUP_ELEM :
			     BPF_MAP_DELETE_ELEM, &a, sizeof(a));
		/* an array's elements cannot be deleted: EINVAL, still a call */
		return fd < 0 && op != OP_MAP_DELETE ? -1 : 0;
	}
	if (fd < 0)
		return -1;
	close((int)fd);
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* A worker: reads an op, runs op_reps of it, writes ns per operation. */
static void worker(int in, int out)
{
	int op, i;
	uint64_t t0, per;

	while (read(in, &op, sizeof(op)) == sizeof(op)) {
		t0 = now_ns();
		for (i = 0; i < op_reps[op]; i++)
			if (one((enum op)op)) {
				per = 0;
				goto reply;
			}
		per = (now_ns() - t0) / (uint64_t)op_reps[op];
reply:
		if (write(out, &per, sizeof(per)) != sizeof(per))
			break;
	}
	_exit(0);
}

static void become(int caps_bpf)
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

struct mode {
	const char *name;
	pid_t pid;
	int to, from;
};

/* role: "dev", "cap", "root", "shim", "plain" */
static void role_setup(const char *role)
{
	union bpf_attr a;
	int i;

	insns = calloc(100000, sizeof(*insns));
	for (i = 0; i < 99999; i++)
		insns[i] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K,
					      .imm = i };
	insns[99999] = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
	if (!strcmp(role, "cap"))
		become(1);
	else if (strcmp(role, "root"))
		become(0);
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

static void start(struct mode *m, char *self)
{
	int p1[2], p2[2];

	if (pipe(p1) || pipe(p2))
		exit(92);
	m->pid = fork();
	if (m->pid == 0) {
		char in[16], out[16];

		close(p1[1]);
		close(p2[0]);
		snprintf(in, sizeof(in), "%d", p1[0]);
		snprintf(out, sizeof(out), "%d", p2[1]);
		if (!strcmp(m->name, "shim"))
			setenv("LD_PRELOAD", BPFDEV_LIBRARY, 1);
		execl(self, self, "--worker", m->name, in, out, (char *)NULL);
		_exit(93);
	}
	close(p1[0]);
	close(p2[1]);
	m->to = p1[1];
	m->from = p2[0];
}

static uint64_t ask(struct mode *m, int op)
{
	uint64_t per = 0;

	if (write(m->to, &op, sizeof(op)) != sizeof(op) ||
	    read(m->from, &per, sizeof(per)) != sizeof(per))
		return 0;
	return per;
}

int main(int argc, char **argv)
{
	struct mode modes[] = {
		{ .name = "dev" }, { .name = "cap" }, { .name = "root" },
		{ .name = "shim" }, { .name = "plain" },
	};
	int rounds, r, op, i;

	if (argc == 5 && !strcmp(argv[1], "--worker")) {
		role_setup(argv[2]);
		worker(atoi(argv[3]), atoi(argv[4]));
	}
	rounds = argc > 1 ? atoi(argv[1]) : 15;
	for (i = 0; i < 5; i++)
		start(&modes[i], argv[0]);
	printf("op,mode,round,ns\n");
	for (op = 0; op < OP_MAX; op++) {
		int first = op >= OP_MAP_UPDATE ? 3 : 0;
		int last = op >= OP_MAP_UPDATE ? 5 : 3;

		for (r = 0; r < rounds; r++)
			for (i = first; i < last; i++) {
				/* alternate which mode goes first */
				struct mode *m = &modes[(r & 1) ?
							last - 1 - (i - first) : i];

				printf("%s,%s,%d,%llu\n", op_names[op], m->name, r,
				       (unsigned long long)ask(m, op));
			}
		fflush(stdout);
	}
	for (i = 0; i < 5; i++)
		close(modes[i].to);
	while (wait(NULL) > 0)
		;
	return 0;
}
