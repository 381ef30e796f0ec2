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
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

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

/**
 * bpfdev_prog_type_reads_kernel() - a tracing type, loaded with CAP_PERFMON?
 * @type: a program type
 */
bool bpfdev_prog_type_reads_kernel(u32 type)
{
	return prog_type_needs_perfmon(type);
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

/*
 * Elevated credentials are the caller's own with cap_effective widened.
 * Making them (prepare_creds()) on every call is most of bpfdev's fixed
 * cost, so each file keeps the ones it made, one per capability set, for
 * the credentials they were made from. The key is the identity of the
 * caller's struct cred: credentials are immutable, and the cache holds a
 * reference to the base, so the same pointer is the same uid, groups, LSM
 * label and audit identity. A different caller (another process, or the
 * receiver of an fd passed over a unix socket) misses and gets its own.
 */
static const struct cred *cred_make(u64 caps)
{
	struct cred *cred = prepare_creds();
	int cap;

	if (!cred)
		return NULL;
	for (cap = 0; cap <= CAP_LAST_CAP; cap++)
		if (caps & BIT_ULL(cap))
			cap_raise(cred->cap_effective, cap);
	return cred;
}

/*
 * A reference to the caller's credentials with the capabilities of @caps
 * raised. Bits of @caps above the capabilities are only part of the key
 * (cred_key()). @lend: for this call alone, until cred_return(): no other
 * call gets the same credentials meanwhile.
 */
static const struct cred *cred_get(struct bpfdev_fstate *st, u64 caps,
				   bool lend)
{
	const struct cred *base = current_cred(), *cred, *stale = NULL;
	const struct cred *old[BPFDEV_CRED_CACHE] = { NULL };
	int i, slot = -1;

	spin_lock(&st->cred_lock);
	if (st->cred_base == base) {
		for (i = 0; i < BPFDEV_CRED_CACHE; i++) {
			if (st->cred[i] && st->cred_caps[i] == caps &&
			    !(lend && (st->cred_lent & BIT(i)))) {
				if (lend)
					st->cred_lent |= BIT(i);
				cred = get_cred(st->cred[i]);
				spin_unlock(&st->cred_lock);
				return cred;
			}
		}
	}
	spin_unlock(&st->cred_lock);

	cred = cred_make(caps);
	if (!cred)
		return NULL;

	spin_lock(&st->cred_lock);
	if (st->cred_base != base) {
		/* another caller's cache: replaced by this caller's */
		stale = st->cred_base;
		memcpy(old, st->cred, sizeof(old));
		memset(st->cred, 0, sizeof(st->cred));
		st->cred_lent = 0;
		st->cred_base = get_cred(base);
	}
	for (i = 0; i < BPFDEV_CRED_CACHE && slot < 0; i++)
		if (!st->cred[i])
			slot = i;
	if (slot >= 0) {
		st->cred[slot] = get_cred(cred);
		st->cred_caps[slot] = caps;
		if (lend)
			st->cred_lent |= BIT(slot);
	}
	spin_unlock(&st->cred_lock);

	for (i = 0; i < BPFDEV_CRED_CACHE; i++)
		if (old[i])
			put_cred(old[i]);
	if (stale)
		put_cred(stale);
	return cred;
}

/* Give back credentials cred_get() lent, and the reference to them */
static void cred_return(struct bpfdev_fstate *st, const struct cred *cred)
{
	int i;

	spin_lock(&st->cred_lock);
	for (i = 0; i < BPFDEV_CRED_CACHE; i++)
		if (st->cred[i] == cred)
			st->cred_lent &= ~BIT(i);
	spin_unlock(&st->cred_lock);
	put_cred(cred);
}

/**
 * bpfdev_cred_cache_drop() - release a file's cached credentials
 * @st: the file's state, being freed
 */
void bpfdev_cred_cache_drop(struct bpfdev_fstate *st)
{
	int i;

	for (i = 0; i < BPFDEV_CRED_CACHE; i++)
		if (st->cred[i])
			put_cred(st->cred[i]);
	if (st->cred_base)
		put_cred(st->cred_base);
}

/**
 * bpfdev_call_cmd_with_caps() - run another command for @req with @caps
 * @req: the accepted request it is run for
 * @cmd: the bpf command
 * @attr: its attr, built by bpfdev, with no user pointer
 * @caps: a bit per capability to raise in cap_effective
 *
 * For a request that bpfdev carries out with a different command
 * (BPF_PROG_ATTACH as a cgroup link, attach.c).
 *
 * Return: what bpf(2) returns.
 */
int bpfdev_call_cmd_with_caps(struct bpfdev_request *req, int cmd,
			      union bpf_attr *attr, u64 caps)
{
	const struct cred *cred, *old;
	int ret;

	cred = cred_get(req->st, caps, false);
	if (!cred)
		return -ENOMEM;
	old = override_creds(cred);
	ret = kern_sys_bpf(cmd, attr, sizeof(*attr));
	revert_creds(old);
	put_cred(cred);
	return ret;
}

/*
 * The cache key of the credentials a created object's file is recognised
 * by (objects.c): the capabilities and, above them, the command, so that
 * those credentials are never lent to another command, whose files the
 * registry would then take for this one's.
 */
static u64 cred_key(u64 caps, u32 cmd)
{
	BUILD_BUG_ON(CAP_LAST_CAP >= 48);
	return caps | (u64)(cmd + 1) << 48;
}

/**
 * bpfdev_call_with_caps() - run @req through kern_sys_bpf() with @caps
 * @req: an accepted request whose inputs are kernel copies
 * @caps: a bit per capability to raise in cap_effective
 * @own: NULL, or where to return a reference to the credentials the call
 *	ran with, to recognise the file of the object it created by its
 *	f_cred (objects.c); given back with bpfdev_call_done(). For a map or
 *	BTF they are the file's cached ones (prepare_creds() was a third of
 *	what bpfdev added to a map creation): any file with them was created
 *	through this open file by this caller, so the registry records
 *	nothing that is not the caller's own. For BPF_PROG_LOAD they are lent
 *	to this call alone, and @req->after is when: a program whose file has
 *	them and that was loaded after that is this call's, and no other file
 *	may stand in for it, because its JIT image is charged by that
 *	(users.c).
 *
 * Return: what bpf(2) returns: a new fd, 0, or a negative errno.
 */
int bpfdev_call_with_caps(struct bpfdev_request *req, u64 caps,
			  const struct cred **own)
{
	bool lend = own && req->cmd == BPF_PROG_LOAD;
	const struct cred *cred, *old;
	int ret;

	if (own)
		caps = cred_key(caps, req->cmd);
	cred = cred_get(req->st, caps, lend);
	if (!cred)
		return -ENOMEM;
	if (lend)
		req->after = ktime_get_boottime_ns();
	old = override_creds(cred);
	ret = kern_sys_bpf(req->cmd, &req->attr, sizeof(req->attr));
	revert_creds(old);
	if (own)
		*own = cred;
	else
		put_cred(cred);
	return ret;
}

/**
 * bpfdev_call_done() - give back what bpfdev_call_with_caps() returned
 * @req: the request
 * @own: the credentials it returned, or NULL
 */
void bpfdev_call_done(struct bpfdev_request *req, const struct cred *own)
{
	if (!own)
		return;
	if (req->cmd == BPF_PROG_LOAD)
		cred_return(req->st, own);
	else
		put_cred(own);
}
