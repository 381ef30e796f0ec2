// SPDX-License-Identifier: GPL-2.0
/*
 * The capabilities one command needs, raised for the duration of that call
 * and nothing else.
 *
 * The caller's own credentials are copied and only cap_effective is widened,
 * so uid, groups, LSM label and audit identity stay the caller's, and the
 * caller's LSM policy still filters the raised capabilities. Objects are
 * created in the caller's context: the new fd lands in its table, memory is
 * charged to its memory cgroup. CAP_SYS_ADMIN is never raised: it satisfies
 * every bpf check at once and unlocks ID lookups, bpf_probe_write_user()
 * and more. CAP_PERFMON, which turns off the verifier's pointer-leak and
 * Spectre checks, is raised only for tracing program types.
 */
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/cred.h>

#include "bpfdev.h"
#include "compat.h"

/* Mirrors is_net_admin_prog_type() in kernel/bpf/syscall.c. */
static bool prog_type_needs_net_admin(u32 type)
{
	switch (type) {
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
	case BPF_PROG_TYPE_XDP:
	case BPF_PROG_TYPE_LWT_IN:
	case BPF_PROG_TYPE_LWT_OUT:
	case BPF_PROG_TYPE_LWT_XMIT:
	case BPF_PROG_TYPE_LWT_SEG6LOCAL:
	case BPF_PROG_TYPE_SK_SKB:
	case BPF_PROG_TYPE_SK_MSG:
	case BPF_PROG_TYPE_FLOW_DISSECTOR:
	case BPF_PROG_TYPE_CGROUP_DEVICE:
	case BPF_PROG_TYPE_CGROUP_SOCK:
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
	case BPF_PROG_TYPE_CGROUP_SOCKOPT:
	case BPF_PROG_TYPE_CGROUP_SYSCTL:
	case BPF_PROG_TYPE_SOCK_OPS:
	case BPFDEV_PROG_TYPE_NETFILTER:
		return true;
	default:
		return false;
	}
}

/* Mirrors is_perfmon_prog_type() (less the types never delegated). */
static bool prog_type_needs_perfmon(u32 type)
{
	switch (type) {
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_PERF_EVENT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE:
	case BPF_PROG_TYPE_TRACING:
		return true;
	default:
		return false;
	}
}

/* The map types map_create() checks CAP_NET_ADMIN for. */
static bool map_type_needs_net_admin(u32 type)
{
	switch (type) {
	case BPF_MAP_TYPE_SOCKMAP:
	case BPF_MAP_TYPE_SOCKHASH:
	case BPF_MAP_TYPE_DEVMAP:
	case BPF_MAP_TYPE_DEVMAP_HASH:
	case BPF_MAP_TYPE_XSKMAP:
		return true;
	default:
		return false;
	}
}

/**
 * bpfdev_caps_needed() - the capabilities @req needs, as a bit per CAP_*
 * @req: an accepted request
 *
 * CAP_BPF always: with kernel.unprivileged_bpf_disabled set (Debian's
 * default), every object-creating command wants it.
 */
u64 bpfdev_caps_needed(const struct bpfdev_request *req)
{
	const union bpf_attr *k = &req->attr;
	u64 caps = BIT_ULL(CAP_BPF);

	switch (req->cmd) {
	case BPF_PROG_LOAD:
		if (prog_type_needs_net_admin(k->prog_type))
			caps |= BIT_ULL(CAP_NET_ADMIN);
		if (prog_type_needs_perfmon(k->prog_type))
			caps |= BIT_ULL(CAP_PERFMON);
		break;
	case BPF_MAP_CREATE:
		if (map_type_needs_net_admin(k->map_type))
			caps |= BIT_ULL(CAP_NET_ADMIN);
		break;
	default:
		break;
	}
	return caps;
}

/**
 * bpfdev_call_with_caps() - run @req through kern_sys_bpf() with @caps
 * @req: an accepted request whose inputs are kernel copies
 * @caps: a bit per capability to raise in cap_effective
 *
 * Return: what bpf(2) returns: a new fd, 0, or a negative errno.
 */
int bpfdev_call_with_caps(struct bpfdev_request *req, u64 caps)
{
	const struct cred *old;
	struct cred *cred;
	int cap, ret;

	cred = prepare_creds();
	if (!cred)
		return -ENOMEM;
	for (cap = 0; cap <= CAP_LAST_CAP; cap++)
		if (caps & BIT_ULL(cap))
			cap_raise(cred->cap_effective, cap);

	old = override_creds(cred);
	ret = kern_sys_bpf(req->cmd, &req->attr, sizeof(req->attr));
	revert_creds(old);
	put_cred(cred);
	return ret;
}
