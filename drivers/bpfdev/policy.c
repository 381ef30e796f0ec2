// SPDX-License-Identifier: GPL-2.0
/*
 * The decision: may this request run?
 *
 * It looks only at the snapshot (request.c), the attr the kernel will
 * consume, never at the caller's memory, so what is checked is what runs.
 * It depends on no fd: which object an fd number names can change between
 * a check and the kernel's own lookup (freeze.c handles the one command
 * whose rule depends on the object).
 *
 * How delegate_attachs applies: at BPF_PROG_LOAD, to the attach type the
 * kernel will use for the program (bpfdev_prog_attach_type()), never to the
 * raw number: expected attach type 0 is cgroup_inet_ingress only for a
 * cgroup_skb program.
 */
#include <linux/bpf.h>
#include <linux/cred.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <linux/user_namespace.h>

#include "bpfdev.h"
#include "compat.h"

/**
 * bpfdev_cmd_executable() - does bpfdev execute @cmd at all?
 * @cmd: a bpf command
 *
 * Return: whether @cmd is in the uapi's BPFDEV_CMDS_EXECUTED.
 */
bool bpfdev_cmd_executable(u32 cmd)
{
	return cmd < 64 && (BPFDEV_CMDS_EXECUTED & BIT_ULL(cmd));
}

/*
 * Never delegated, whatever the grant: syscall programs run with kernel
 * pointers, extensions replace other programs, LSM and struct_ops programs
 * rewrite kernel policy and behaviour.
 */
static bool prog_type_never(u32 type)
{
	switch (type) {
	case BPF_PROG_TYPE_SYSCALL:
	case BPF_PROG_TYPE_EXT:
	case BPF_PROG_TYPE_LSM:
	case BPF_PROG_TYPE_STRUCT_OPS:
		return true;
	default:
		return false;
	}
}

/**
 * bpfdev_prog_attach_type() - the attach type a program is loaded for
 * @type: BPF_PROG_LOAD's prog_type
 * @eat: its expected_attach_type, fixed up as the kernel does (request.c:
 *	0 is cgroup_inet_sock_create for cgroup_sock, sk_reuseport_select for
 *	sk_reuseport)
 *
 * What the kernel makes of @eat, per type (bpf_prog_load_check_attach(),
 * the verifier, the attach paths of 6.1 and 6.12):
 *
 * - cgroup_skb, cgroup_sock, cgroup_sock_addr, cgroup_sockopt, sk_lookup,
 *   sk_reuseport, tracing, netfilter: the kernel ties the program to @eat
 *   itself, 0 included, which is cgroup_inet_ingress (the kernel refuses
 *   it for the others but tracing, where no attach accepts the program).
 * - xdp: the kernel attaches an xdp program to a device whatever its
 *   expected attach type but xdp_devmap and xdp_cpumap (it accepts any at
 *   load), so every other value, 0 included, is xdp.
 * - every other type, kprobe included: 0 is the ordinary program, attached
 *   by a perf event, a socket option or its own link type, with no attach
 *   type to delegate (BPFDEV_ATTACH_NONE); any other value is what it says
 *   (kprobe_multi), or a field the kernel ignores for that type, which the
 *   grant must still name.
 *
 * Return: the attach type, or BPFDEV_ATTACH_NONE.
 */
int bpfdev_prog_attach_type(u32 type, u32 eat)
{
	switch (type) {
	case BPF_PROG_TYPE_CGROUP_SKB:
	case BPF_PROG_TYPE_CGROUP_SOCK:
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
	case BPF_PROG_TYPE_CGROUP_SOCKOPT:
	case BPF_PROG_TYPE_SK_LOOKUP:
	case BPF_PROG_TYPE_SK_REUSEPORT:
	case BPF_PROG_TYPE_TRACING:
	case BPFDEV_PROG_TYPE_NETFILTER:
		return eat;
	case BPF_PROG_TYPE_XDP:
		/* dev_xdp_attach() refuses only these two */
		return eat == BPF_XDP_DEVMAP || eat == BPF_XDP_CPUMAP ?
		       eat : BPF_XDP;
	default:
		return eat ?: BPFDEV_ATTACH_NONE;
	}
}

static int policy_prog_load(struct bpfdev_request *req,
			    const struct bpfdev_grant *grant)
{
	const union bpf_attr *k = &req->attr;
	u32 type = k->prog_type, eat = k->expected_attach_type;
	int attach;

	/* Malformed, as bpf(2) would say. */
	if (type == BPF_PROG_TYPE_UNSPEC || type >= BPFDEV_MAX_PROG_TYPE ||
	    eat >= __MAX_BPF_ATTACH_TYPE)
		return bpfdev_deny(req, BPFDEV_DENY_MALFORMED, -EINVAL);

	if (prog_type_never(type))
		return bpfdev_deny(req, BPFDEV_DENY_NEVER, -EPERM);
	/* fmod_ret may override security_*() hooks' return values. */
	if (eat == BPF_MODIFY_RETURN)
		return bpfdev_deny(req, BPFDEV_DENY_NEVER, -EPERM);
	/* Device offload hands the program to a driver. */
	if (k->prog_ifindex)
		return bpfdev_deny(req, BPFDEV_DENY_NEVER, -EPERM);
	if (k->prog_flags & BPFDEV_TOKEN_FLAG)
		return bpfdev_deny(req, BPFDEV_DENY_NEVER, -EPERM);

	if (!bpfdev_mask_has(grant->progs, type))
		return bpfdev_deny(req, BPFDEV_DENY_PROG_TYPE, -EPERM);
	attach = bpfdev_prog_attach_type(type, eat);
	if (attach != BPFDEV_ATTACH_NONE &&
	    !bpfdev_mask_has(grant->attachs, attach))
		return bpfdev_deny(req, BPFDEV_DENY_ATTACH_TYPE, -EPERM);
	return 0;
}

static int policy_map_create(struct bpfdev_request *req,
			     const struct bpfdev_grant *grant)
{
	const union bpf_attr *k = &req->attr;
	u32 type = k->map_type;

	if (type == BPF_MAP_TYPE_UNSPEC || type >= BPFDEV_MAX_MAP_TYPE)
		return bpfdev_deny(req, BPFDEV_DENY_MALFORMED, -EINVAL);
	/* Only struct_ops programs use them, and those are never delegated. */
	if (type == BPF_MAP_TYPE_STRUCT_OPS || k->map_ifindex ||
	    (k->map_flags & BPFDEV_TOKEN_FLAG))
		return bpfdev_deny(req, BPFDEV_DENY_NEVER, -EPERM);
	if (!bpfdev_mask_has(grant->maps, type))
		return bpfdev_deny(req, BPFDEV_DENY_MAP_TYPE, -EPERM);
	return 0;
}

/* Who may use a grant at all. */
static int policy_caller(struct bpfdev_request *req,
			 const struct bpfdev_grant *grant)
{
	/*
	 * Raised capabilities count only in the caller's own user namespace,
	 * and a grant is for the host's users.
	 */
	if (current_user_ns() != &init_user_ns)
		return bpfdev_deny(req, BPFDEV_DENY_USERNS, -EPERM);
	/* Not a way around a sandbox that may deny bpf(2) (grant.c). */
	if (READ_ONCE(current->seccomp.mode) != SECCOMP_MODE_DISABLED &&
	    !grant->allow_seccomp)
		return bpfdev_deny(req, BPFDEV_DENY_SECCOMP, -EPERM);
	return 0;
}

/**
 * bpfdev_policy_lookup() - may @req list or reopen the caller's objects?
 * @req: a *_GET_NEXT_ID or *_GET_FD_BY_ID request (objects.c)
 * @grant: the effective grant
 *
 * As the command that creates the kind would be: the same callers, and the
 * grant must delegate that command. Which objects are visible is for the
 * registry to filter by the grant's types.
 *
 * Return: 0 or -EPERM.
 */
int bpfdev_policy_lookup(struct bpfdev_request *req,
			 const struct bpfdev_grant *grant)
{
	int ret = policy_caller(req, grant);

	if (ret)
		return ret;
	if (!bpfdev_mask_has(grant->cmds, bpfdev_objects_maker(req->cmd)))
		return bpfdev_deny(req, BPFDEV_DENY_CMD, -EPERM);
	return 0;
}

/**
 * bpfdev_policy_check() - may @req run under @grant?
 * @req: the snapshot of the request
 * @grant: the effective grant
 *
 * Return: 0, -EPERM for what is not delegated, -E2BIG for what is over a
 * limit, -EINVAL for a type bpf(2) would not know either.
 */
int bpfdev_policy_check(struct bpfdev_request *req,
			const struct bpfdev_grant *grant)
{
	int ret = policy_caller(req, grant);

	if (ret)
		return ret;
	if (!bpfdev_mask_has(grant->cmds, req->cmd))
		return bpfdev_deny(req, BPFDEV_DENY_CMD, -EPERM);

	switch (req->cmd) {
	case BPF_PROG_LOAD:
		return policy_prog_load(req, grant);
	case BPF_MAP_CREATE:
		return policy_map_create(req, grant);
	case BPF_BTF_LOAD:
		if (bpfdev_btf_load_uses_token(&req->attr))
			return bpfdev_deny(req, BPFDEV_DENY_NEVER, -EPERM);
		return 0;
	case BPF_LINK_CREATE:
		if (!bpfdev_mask_has(grant->attachs,
				     req->attr.link_create.attach_type))
			return bpfdev_deny(req, BPFDEV_DENY_ATTACH_TYPE, -EPERM);
		return 0;
	case BPF_PROG_ATTACH:
	case BPF_PROG_DETACH:
		if (!bpfdev_mask_has(grant->attachs, req->attr.attach_type))
			return bpfdev_deny(req, BPFDEV_DENY_ATTACH_TYPE, -EPERM);
		/* attach.c: a held link, which is multi mode */
		if (req->cmd == BPF_PROG_ATTACH &&
		    req->attr.attach_flags != BPF_F_ALLOW_MULTI)
			return bpfdev_deny(req, BPFDEV_DENY_ATTACH_FLAGS, -EPERM);
		return 0;
	default:
		return 0;
	}
}

/**
 * bpfdev_policy_limits() - is @req within the limits of @grant?
 * @req: the snapshot of the request
 * @grant: the effective grant
 *
 * Return: 0, or -E2BIG for a program, BTF or map larger than allowed.
 */
int bpfdev_policy_limits(struct bpfdev_request *req,
			 const struct bpfdev_grant *grant)
{
	const union bpf_attr *k = &req->attr;
	const char *name;
	u64 limit, value;

	switch (req->cmd) {
	case BPF_PROG_LOAD:
		name = "insn_max";
		limit = grant->insn_max;
		value = k->insn_cnt;
		break;
	case BPF_BTF_LOAD:
		name = "btf_max";
		limit = grant->btf_max;
		value = k->btf_size;
		break;
	case BPF_MAP_CREATE:
		name = "map_mem_max";
		limit = grant->map_mem_max;
		value = req->map_mem;
		break;
	default:
		return 0;
	}
	if (value <= limit)
		return 0;
	return bpfdev_deny_limit(req, BPFDEV_DENY_SIZE, -E2BIG, name, limit,
				 value);
}

/**
 * bpfdev_policy_insns() - may these instructions run under the grant?
 * @req: a BPF_PROG_LOAD whose instructions are the kernel copy, scanned
 * @grant: the effective grant
 *
 * Kernel symbols: ldimm64 of BPF_PSEUDO_BTF_ID gives a program a pointer
 * into kernel data, typed by BTF. The verifier takes the BTF from any fd,
 * including BTF the caller loaded (upstream needs CAP_BPF to load BTF,
 * bpfdev delegates it), so a caller could describe init_task as a 1 MiB
 * char array and read the kernel's memory from a socket filter. Kernel
 * symbols are therefore never delegated through a caller's BTF, and only
 * to tracing program types (which can read kernel memory anyway) through
 * the kernel's own BTF.
 *
 * Calls, callbacks, kfunc calls and loops: what the verifier allows only
 * in the CAP_BPF mode bpfdev's raised capability puts it in, and what makes
 * a program's run time unbounded, only if delegate_insns says so (insns.c).
 * The search for a loop runs only when a jump goes backwards.
 *
 * Return: 0, -EPERM, or -ENOMEM.
 */
int bpfdev_policy_insns(struct bpfdev_request *req,
			const struct bpfdev_grant *grant)
{
	const union bpf_attr *k = &req->attr;
	const struct bpfdev_insns *in = &req->insns;
	int loop;

	if (req->cmd != BPF_PROG_LOAD)
		return 0;
	if (in->ksym_user_btf ||
	    (in->ksym && !bpfdev_prog_type_reads_kernel(k->prog_type)))
		return bpfdev_deny(req, BPFDEV_DENY_NEVER, -EPERM);
	if (in->found & ~grant->insns)
		return bpfdev_deny(req, BPFDEV_DENY_INSNS, -EPERM);
	if (!in->backward || bpfdev_mask_has(grant->insns, BPFDEV_INSN_LOOP))
		return 0;
	loop = bpfdev_insns_have_loop((const struct bpf_insn *)(uintptr_t)k->insns,
				      k->insn_cnt);
	if (loop < 0)
		return loop;
	return loop ? bpfdev_deny(req, BPFDEV_DENY_INSNS, -EPERM) : 0;
}
