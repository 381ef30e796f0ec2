// SPDX-License-Identifier: GPL-2.0
/*
 * Lock contention, counted: Debian's kernels have no lock statistics
 * (CONFIG_LOCK_STAT is off), but every kernel since 5.19 has the
 * lock:contention_begin tracepoint, hit each time a task finds a lock
 * taken and spins or sleeps for it (kernel/locking/). A raw tracepoint
 * program counts its hits by the flags it reports (LCB_F_SPIN and the
 * others), in an array the coordinator reads before and after a sample:
 * the contentions of the whole machine during the sample.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

#define LCB_F_SPIN	(1U << 0)	/* include/trace/events/lock.h */
#define CONT_SLOTS	64		/* the six flags of 6.1 and 6.12 */

static int map_fd = -1, link_fd = -1;

static long bpf(int cmd, union bpf_attr *a)
{
	return syscall(__NR_bpf, cmd, a, sizeof(*a));
}

int contention_open(void)
{
	/* counts[args[1] & 63]++, args[1] being the flags */
	struct bpf_insn prog[] = {
		{ BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_2, BPF_REG_1, 8, 0 },
		{ BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_2, 0, 0, CONT_SLOTS - 1 },
		{ BPF_STX | BPF_MEM | BPF_W, BPF_REG_10, BPF_REG_2, -4, 0 },
		{ BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0 },
		{ BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -4 },
		{ BPF_LD | BPF_IMM | BPF_DW, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0, 0 },
		{ 0, 0, 0, 0, 0 },
		{ BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem },
		{ BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 2, 0 },
		{ BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_1, 0, 0, 1 },
		{ BPF_STX | BPF_ATOMIC | BPF_DW, BPF_REG_0, BPF_REG_1, 0, BPF_ADD },
		{ BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0 },
		{ BPF_JMP | BPF_EXIT, 0, 0, 0, 0 },
	};
	union bpf_attr a;
	int prog_fd = -1, err;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = CONT_SLOTS;
	map_fd = bpf(BPF_MAP_CREATE, &a);
	if (map_fd < 0)
		return -errno;
	prog[5].imm = map_fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT;
	a.insns = (uintptr_t)prog;
	a.insn_cnt = sizeof(prog) / sizeof(prog[0]);
	a.license = (uintptr_t)"GPL";
	prog_fd = bpf(BPF_PROG_LOAD, &a);
	if (prog_fd < 0)
		goto fail;

	memset(&a, 0, sizeof(a));
	a.raw_tracepoint.name = (uintptr_t)"contention_begin";
	a.raw_tracepoint.prog_fd = prog_fd;
	/* the attachment's fd holds the program */
	link_fd = bpf(BPF_RAW_TRACEPOINT_OPEN, &a);
	if (link_fd < 0)
		goto fail;
	close(prog_fd);
	return 0;
fail:
	err = -errno;
	if (prog_fd >= 0)
		close(prog_fd);
	close(map_fd);
	map_fd = -1;
	return err;
}

/* Detach the program: the phases after the counted one run without it */
void contention_close(void)
{
	if (link_fd >= 0)
		close(link_fd);
	if (map_fd >= 0)
		close(map_fd);
	link_fd = map_fd = -1;
}

/* The counts since contention_open(): spinning, and sleeping or other */
int contention_read(uint64_t *spin, uint64_t *sleep)
{
	union bpf_attr a;
	uint64_t v;
	uint32_t k;

	*spin = *sleep = 0;
	if (map_fd < 0)
		return -EBADF;
	for (k = 0; k < CONT_SLOTS; k++) {
		memset(&a, 0, sizeof(a));
		a.map_fd = map_fd;
		a.key = (uintptr_t)&k;
		a.value = (uintptr_t)&v;
		if (bpf(BPF_MAP_LOOKUP_ELEM, &a))
			return -errno;
		*(k & LCB_F_SPIN ? spin : sleep) += v;
	}
	return 0;
}
