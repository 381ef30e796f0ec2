// SPDX-License-Identifier: GPL-2.0
/*
 * The instructions of a program: one pass over the kernel copy.
 *
 * Raising CAP_BPF for a load does more than pass the permission check: the
 * verifier runs in its CAP_BPF mode (env->bpf_capable), where any program
 * type may use bpf-to-bpf calls, callbacks (bpf_loop(),
 * bpf_for_each_map_elem(), timers: every helper that takes a callback),
 * kfunc calls and loops. Without them a verified program is loop-free and at
 * most a few thousand instructions long, so one run is short; with them a
 * socket filter of 18 instructions can hold a CPU for as long as it likes.
 * So what the kernel's unprivileged mode refuses is refused here too, before
 * the verifier runs, unless the grant delegates it (delegate_insns):
 *
 *   bpf_call    BPF_PSEUDO_CALL: a call to another function of the program
 *   callback    ldimm64 of BPF_PSEUDO_FUNC: a function's address, which is
 *               what every callback-taking helper needs
 *   kfunc_call  BPF_PSEUDO_KFUNC_CALL: a call to a kernel function
 *   loop        a back-edge of the control-flow graph: an edge, of any
 *               kind, to an instruction on the current depth-first path,
 *               as the verifier's check_cfg() finds it (a search may
 *               enter a cycle in its middle, and then the edge that
 *               closes it is a fall-through). A backward jump to a
 *               shared exit is not one. 6.12's gotol (offset in imm) and
 *               may_goto are jumps like the others.
 *
 * The same pass sizes fd_array and finds ldimm64 of kernel symbols. Calls
 * and function addresses are looked for in every slot, the second halves
 * of ldimm64 included: the verifier's add_subprog_and_kfunc() walks every
 * slot, and reads fd_array, before anything rejects a malformed second half.
 * Jumps out of the program or into the middle of an ldimm64 are left to the
 * verifier, which rejects them.
 */
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "bpfdev.h"

static bool insn_is_ldimm64(const struct bpf_insn *in)
{
	return in->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static bool insn_is_jmp(const struct bpf_insn *in)
{
	return BPF_CLASS(in->code) == BPF_JMP ||
	       BPF_CLASS(in->code) == BPF_JMP32;
}

/*
 * The jump target of @insn[@i], as an index, or -1 for none: unconditional
 * and conditional jumps (including may_goto), not calls or exits.
 */
static s64 insn_jump_target(const struct bpf_insn *in, u32 i)
{
	if (!insn_is_jmp(in))
		return -1;
	switch (BPF_OP(in->code)) {
	case BPF_CALL:
	case BPF_EXIT:
		return -1;
	case BPF_JA:
		/* gotol: BPF_JMP32 | BPF_JA, the offset in imm */
		if (BPF_CLASS(in->code) == BPF_JMP32)
			return (s64)i + in->imm + 1;
		return (s64)i + in->off + 1;
	default:
		return (s64)i + in->off + 1;
	}
}

/* Does the instruction also fall through to the next one? */
static bool insn_falls_through(const struct bpf_insn *in)
{
	if (!insn_is_jmp(in))
		return true;
	return BPF_OP(in->code) != BPF_JA && BPF_OP(in->code) != BPF_EXIT;
}

/* The callee of a bpf-to-bpf call or a function address, or -1. */
static s64 insn_callee(const struct bpf_insn *in, u32 i)
{
	if ((in->code == (BPF_JMP | BPF_CALL) &&
	     in->src_reg == BPF_PSEUDO_CALL) ||
	    (insn_is_ldimm64(in) && in->src_reg == BPF_PSEUDO_FUNC))
		return (s64)i + in->imm + 1;
	return -1;
}

/*
 * What the scan must look at, by opcode; 0 for the rest (ALU, loads and
 * stores, exits), which is most of a program and costs one table lookup.
 */
enum {
	KIND_NONE,
	KIND_JUMP,		/* a jump of any condition: its target */
	KIND_CALL,		/* BPF_JMP | BPF_CALL: bpf_call, kfunc_call */
	KIND_LDIMM64,		/* two slots: the map index, ksym, callback */
};

/*
 * By opcode: filled once at module load from the predicates above, which
 * look at the opcode alone to say whether an instruction is a jump.
 */
static u8 insn_kind[256] __ro_after_init;

/**
 * bpfdev_insns_init() - fill the opcode table of the scan, at module load
 */
void __init bpfdev_insns_init(void)
{
	unsigned int c;

	for (c = 0; c < ARRAY_SIZE(insn_kind); c++) {
		struct bpf_insn in = { .code = c };

		if (c == (BPF_JMP | BPF_CALL))
			insn_kind[c] = KIND_CALL;
		else if (insn_is_ldimm64(&in))
			insn_kind[c] = KIND_LDIMM64;
		else if (insn_jump_target(&in, 0) >= 0)
			insn_kind[c] = KIND_JUMP;
	}
}

/*
 * What add_subprog_and_kfunc() acts on, in any slot (second halves of
 * ldimm64 included): calls to functions and kfuncs, function addresses.
 */
static int insns_scan_slot(const struct bpf_insn *in, struct bpfdev_insns *out,
			   u32 *need)
{
	if (in->code == (BPF_JMP | BPF_CALL)) {
		if (in->src_reg == BPF_PSEUDO_CALL)
			out->found |= BIT_ULL(BPFDEV_INSN_BPF_CALL);
		if (in->src_reg == BPF_PSEUDO_KFUNC_CALL) {
			out->found |= BIT_ULL(BPFDEV_INSN_KFUNC_CALL);
			if (in->off < 0)
				return -EINVAL;
			if (in->off)
				*need = max_t(u32, *need, (u32)in->off + 1);
		}
	}
	if (insn_is_ldimm64(in) && in->src_reg == BPF_PSEUDO_FUNC)
		out->found |= BIT_ULL(BPFDEV_INSN_CALLBACK);
	return 0;
}

/* A jump, call or ldimm64 at @i (the first slot); @i is moved past it. */
static int insns_scan_one(const struct bpf_insn *insn, u32 *i, u32 cnt,
			  struct bpfdev_insns *out, u32 *need)
{
	const struct bpf_insn *in = &insn[*i];
	s64 to;
	int err;

	err = insns_scan_slot(in, out, need);
	if (err)
		return err;
	if (insn_is_ldimm64(in)) {
		if (in->src_reg == BPF_PSEUDO_MAP_IDX ||
		    in->src_reg == BPF_PSEUDO_MAP_IDX_VALUE) {
			if (in->imm < 0)
				return -EINVAL;
			*need = max_t(u32, *need, (u32)in->imm + 1);
		}
		if (in->src_reg == BPF_PSEUDO_BTF_ID && *i + 1 < cnt) {
			if (insn[*i + 1].imm)
				out->ksym_user_btf = true;
			else
				out->ksym = true;
		}
		to = insn_callee(in, *i);
		if (to >= 0 && to <= *i)
			out->backward = true;
		/* the second half: a slot, not an instruction */
		if (++*i < cnt && insn_kind[insn[*i].code] >= KIND_CALL)
			return insns_scan_slot(&insn[*i], out, need);
		return 0;
	}
	/* a cycle needs an edge that does not go forwards */
	to = insn_jump_target(in, *i);
	if (to >= 0 && to <= *i)
		out->backward = true;
	to = insn_callee(in, *i);
	if (to >= 0 && to <= *i)
		out->backward = true;
	return 0;
}

/**
 * bpfdev_insns_scan() - what a program's instructions contain
 * @insn: the kernel copy of the instructions
 * @cnt: how many
 * @out: filled in
 *
 * One pass, which looks at an instruction that is not a jump, a call or
 * an ldimm64 only to find that out: a lookup of its opcode, four at a
 * time (about 3 instructions of the CPU's each, make bench).
 *
 * Return: 0, -EINVAL for a negative fd_array index, -E2BIG for one too
 * large to copy.
 */
int bpfdev_insns_scan(const struct bpf_insn *insn, u32 cnt,
		      struct bpfdev_insns *out)
{
	u32 i, need = 0;
	int err;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < cnt; i++) {
		/* four at a time, while none of them is anything */
		const struct bpf_insn *p = &insn[i];
		const struct bpf_insn *end4 = &insn[cnt > 3 ? cnt - 3 : 0];

		while (p < end4 && !(insn_kind[p[0].code] | insn_kind[p[1].code] |
				     insn_kind[p[2].code] | insn_kind[p[3].code]))
			p += 4;
		i = p - insn;
		if (i >= cnt)
			break;
		if (!insn_kind[insn[i].code])
			continue;
		err = insns_scan_one(insn, &i, cnt, out, &need);
		if (err)
			return err;
	}
	if (need > BPFDEV_FD_ARRAY_MAX)
		return -E2BIG;
	out->fd_array_len = need;
	return 0;
}

enum {
	INSN_NEW,		/* not reached yet */
	INSN_ON_PATH,		/* on the current depth-first path */
	INSN_DONE,		/* every path from it explored */
	INSN_HALF,		/* the second half of an ldimm64: no node */
};

/* The @k-th successor of @i (0: fall-through, 1: jump, 2: callee), or -1. */
static s64 insn_successor(const struct bpf_insn *insn, u32 i, u32 k)
{
	const struct bpf_insn *in = &insn[i];

	switch (k) {
	case 0:
		if (!insn_falls_through(in))
			return -1;
		return (s64)i + (insn_is_ldimm64(in) ? 2 : 1);
	case 1:
		return insn_jump_target(in, i);
	default:
		return insn_callee(in, i);
	}
}

/**
 * bpfdev_insns_have_loop() - does the control-flow graph have a back-edge?
 * @insn: the kernel copy of the instructions
 * @cnt: how many
 *
 * A depth-first search from the first instruction, following fall-through,
 * jump and callee edges, iterative as the verifier's check_cfg(): any edge
 * to an instruction on the current path closes a cycle. (One through a
 * call is recursion, which the verifier refuses in any mode; calling it a
 * loop only refuses it sooner.)
 *
 * Return: 1 for a loop, 0 for none, -ENOMEM.
 */
int bpfdev_insns_have_loop(const struct bpf_insn *insn, u32 cnt)
{
	u8 *state, *next;
	u32 *stack, sp = 0, i;
	int ret = 0;

	state = kvcalloc(cnt, 2 * sizeof(u8), GFP_KERNEL_ACCOUNT);
	stack = kvmalloc_array(cnt, sizeof(u32), GFP_KERNEL_ACCOUNT);
	if (!state || !stack) {
		kvfree(state);
		kvfree(stack);
		return -ENOMEM;
	}
	next = state + cnt;

	for (i = 0; i + 1 < cnt; i++)
		if (insn_is_ldimm64(&insn[i]))
			state[++i] = INSN_HALF;

	state[0] = INSN_ON_PATH;
	stack[sp++] = 0;
	while (sp) {
		u32 t = stack[sp - 1];
		s64 w;

		if (next[t] > 2) {
			state[t] = INSN_DONE;
			sp--;
			continue;
		}
		w = insn_successor(insn, t, next[t]++);
		if (w < 0 || w >= cnt || state[w] == INSN_HALF ||
		    state[w] == INSN_DONE)
			continue;
		if (state[w] == INSN_ON_PATH) {
			ret = 1;
			break;
		}
		state[w] = INSN_ON_PATH;
		stack[sp++] = w;
	}
	kvfree(stack);
	kvfree(state);
	return ret;
}
