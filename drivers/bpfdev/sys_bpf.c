// SPDX-License-Identifier: GPL-2.0
/*
 * One delegated bpf command, in order: read the request once, snapshot the
 * attr, decide (early: a denial copies and allocates nothing), copy the
 * inputs the kernel will read and fault in the log, then decide again and
 * run with the capabilities the command needs, in one section that no
 * fault on caller memory can hold open, and copy bpf(2)'s write-backs out.
 */
#include <linux/bpf.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/uaccess.h>

#include <linux/bpfdev.h>

#include "bpfdev.h"
#include "compat.h"
#include "testhooks.h"

/* What a BTF load is charged to the user's budget (limits.h). */
static u64 sys_bpf_btf_bytes(const struct bpfdev_request *req)
{
	return (u64)BPFDEV_BTF_BYTES_PER_BYTE * req->attr.btf_size +
	       BPFDEV_BTF_OVERHEAD;
}

/* The caller's log buffer, if the command writes one. */
static void __user *sys_bpf_log(const struct bpfdev_request *req, u32 *size)
{
	const union bpf_attr *k = &req->attr;

	*size = 0;
	if (req->cmd == BPF_PROG_LOAD && k->log_level && k->log_buf) {
		*size = k->log_size;
		return u64_to_user_ptr(k->log_buf);
	}
	if (req->cmd == BPF_BTF_LOAD && k->btf_log_level && k->btf_log_buf) {
		*size = k->btf_log_size;
		return u64_to_user_ptr(k->btf_log_buf);
	}
	return NULL;
}

/*
 * The verifier writes its log into the caller's buffer during the call, and
 * the call runs where no fault on caller memory may wait (below): fault the
 * log in first, without changing it.
 */
static int sys_bpf_prefault_log(const struct bpfdev_request *req)
{
	u32 size;
	void __user *log = sys_bpf_log(req, &size);

	if (log && size && fault_in_safe_writeable(log, size))
		return -EFAULT;
	return 0;
}

/* The call itself; @own: see bpfdev_call_with_caps(). */
static int sys_bpf_call(struct bpfdev_request *req, const struct cred **own)
{
	int ret;

	if (req->cmd == BPF_MAP_FREEZE)
		return bpfdev_map_freeze(req);
	if (req->cmd == BPF_LINK_CREATE)
		return bpfdev_cgroup_attach(req);
	if (req->cmd == BPF_PROG_ATTACH)
		return bpfdev_prog_attach(req);
	if (req->cmd == BPF_PROG_DETACH)
		return bpfdev_prog_detach(req);
	/*
	 * No fault on caller memory: one would wait, and a userfaultfd or
	 * FUSE page could make it wait for as long as its holder likes,
	 * inside the section a revocation waits for. The inputs are kernel
	 * copies; the log was faulted in.
	 */
	pagefault_disable();
	ret = bpfdev_call_with_caps(req, bpfdev_caps_needed(req), own);
	pagefault_enable();
	return ret;
}

/*
 * The final decision and the call, in one SRCU read section of the grant
 * (grant.c): a revocation or a change of the grant whose write has returned
 * is never followed by an object created under the old one. Decided again
 * here, on the kernel copies, after everything that could wait on caller
 * memory; nothing in the section waits for anything a caller controls.
 */
static int sys_bpf_decide_and_call(struct bpfdev_request *req,
				   struct bpfdev_user *user,
				   const struct cred **own)
{
	struct bpfdev_profile_grant pg;
	struct bpfdev_grant grant;
	int idx, ret;

	idx = srcu_read_lock(&bpfdev_grant_srcu);
	if (bpfdev_fstate_revoked(req->st) || bpfdev_user_revoked(user)) {
		ret = bpfdev_deny(req, BPFDEV_DENY_REVOKED, -EPERM);
		goto out;
	}
	/* one copy of the grant decides all of it: never a mix of two */
	bpfdev_profile_grant(req->st->profile, &pg);
	bpfdev_fstate_grant(req->st, &pg, &grant);
	ret = bpfdev_policy_check(req, &grant) ?:
	      bpfdev_policy_limits(req, &grant) ?:
	      bpfdev_policy_insns(req, &grant);
	if (ret)
		goto out;
	if (!bpfdev_fstate_within(req->st, req->cmd, &pg) ||
	    !bpfdev_user_within(user, req->cmd, &pg.users)) {
		ret = bpfdev_deny(req, BPFDEV_DENY_QUOTA, -EDQUOT);
		goto out;
	}
	bpfdev_test_reread_types(req);
	ret = sys_bpf_call(req, bpfdev_objects_made(req->cmd) ? own : NULL);
out:
	srcu_read_unlock(&bpfdev_grant_srcu, idx);
	return ret;
}

/*
 * One try: the budgets of what no memory cgroup is charged for, reserved
 * before the section (pruning them may take the user's time, not root's)
 * under the grant of that moment, looked at again in the section under
 * the grant of the final decision, settled after it.
 */
static int sys_bpf_try(struct bpfdev_request *req, struct bpfdev_user *user)
{
	const struct bpfdev_user_limits *lim = &req->pg.users;
	const struct cred *own = NULL;
	bool added;
	u32 jit = 0;
	u64 btf = 0;
	int ret = 0;

	if (req->cmd == BPF_PROG_LOAD) {
		jit = req->attr.insn_cnt * BPFDEV_JIT_BYTES_PER_INSN;
		ret = bpfdev_user_jit_reserve(user, jit, lim->jit_max);
	} else if (req->cmd == BPF_BTF_LOAD) {
		btf = sys_bpf_btf_bytes(req);
		ret = bpfdev_user_btf_charge(user, btf, lim->btf_max);
	}
	if (ret)
		return req->cmd == BPF_PROG_LOAD ?
		       bpfdev_deny_limit(req, BPFDEV_DENY_QUOTA, ret,
					 "user_jit_max", lim->jit_max, jit) :
		       bpfdev_deny_limit(req, BPFDEV_DENY_QUOTA, ret,
					 "user_btf_max", lim->btf_max, btf);
	if (jit || btf)
		bpfdev_test_budget_window();

	ret = sys_bpf_decide_and_call(req, user, &own);

	added = bpfdev_objects_add(bpfdev_user_objects(user), req, ret, own);
	if (req->cmd == BPF_PROG_LOAD)
		bpfdev_user_jit_settle(user, jit, ret < 0 || added ? 0 :
				       req->attr.insn_cnt *
				       BPFDEV_JIT_WORST_PER_INSN);
	else if (req->cmd == BPF_BTF_LOAD && ret < 0)
		bpfdev_user_btf_refund(user, btf);
	bpfdev_call_done(req, own);
	return ret;
}

static int sys_bpf_execute(struct bpfdev_request *req,
			   struct bpfdev_user *user)
{
	int ret, tries = 0;
	u32 size;

	ret = bpfdev_request_prepare_writeback(req);
	if (ret)
		return ret;
	/*
	 * A log page reclaimed, migrated or unmapped between the prefault and
	 * the call fails the call with EFAULT, having created nothing: fault
	 * it in again and retry, a few times.
	 */
	do {
		ret = sys_bpf_prefault_log(req);
		if (ret)
			return bpfdev_deny(req, BPFDEV_DENY_MALFORMED, ret);
		ret = sys_bpf_try(req, user);
	} while (ret == -EFAULT && sys_bpf_log(req, &size) &&
		 ++tries < BPFDEV_LOG_TRIES);
	bpfdev_request_writeback(req);
	return ret;
}

/*
 * Count the call against the file's and the user's limits, run it, and
 * give back what a failed call took.
 */
static int sys_bpf_accounted(struct bpfdev_fstate *st,
			     struct bpfdev_request *req)
{
	struct bpfdev_user *user = bpfdev_user_get(st->profile, current_uid());
	struct bpfdev_count_limit hit;
	int ret;

	if (!user)
		return -ENOMEM;
	req->user = user;
	if (bpfdev_user_revoked(user))
		return bpfdev_deny(req, BPFDEV_DENY_REVOKED, -EPERM);
	ret = bpfdev_fstate_charge(st, req->cmd, &req->pg, &hit);
	if (ret)
		return bpfdev_deny_limit(req, BPFDEV_DENY_QUOTA, ret, hit.name,
					 hit.max, (u64)hit.max + 1);
	ret = bpfdev_user_begin(user, req->cmd, &req->pg.users, &hit);
	if (ret) {
		bpfdev_fstate_refund(st, req->cmd);
		return bpfdev_deny_limit(req, BPFDEV_DENY_QUOTA, ret, hit.name,
					 hit.max, (u64)hit.max + 1);
	}

	ret = bpfdev_request_copy_inputs(req);
	if (ret)
		bpfdev_deny(req, BPFDEV_DENY_MALFORMED, ret);
	else
		ret = sys_bpf_execute(req, user);

	bpfdev_user_end(user, req->cmd, ret >= 0);
	if (ret < 0)
		bpfdev_fstate_refund(st, req->cmd);
	return ret;
}

/* Everything up to the call: read the request, snapshot, decide. */
static int sys_bpf_prepare(struct file *file, void __user *arg,
			   struct bpfdev_request *req)
{
	struct bpfdev_fstate *st = file->private_data;
	struct bpfdev_sys_bpf sb;
	struct bpfdev_grant grant;
	u32 size;
	int ret;

	req->st = st;
	if (!(file->f_mode & FMODE_WRITE))
		return bpfdev_deny(req, BPFDEV_DENY_READONLY, -EBADF);
	if (bpfdev_fstate_revoked(st))
		return bpfdev_deny(req, BPFDEV_DENY_REVOKED, -EPERM);
	if (get_user(size, (u32 __user *)arg))
		return bpfdev_deny(req, BPFDEV_DENY_MALFORMED, -EFAULT);
	if (size < BPFDEV_SYS_BPF_SIZE_VER0)
		return bpfdev_deny(req, BPFDEV_DENY_MALFORMED, -EINVAL);
	if (size > PAGE_SIZE)
		return bpfdev_deny(req, BPFDEV_DENY_MALFORMED, -E2BIG);
	ret = copy_struct_from_user(&sb, sizeof(sb), arg, size);
	if (ret)
		return bpfdev_deny(req, BPFDEV_DENY_MALFORMED, ret);
	if (sb.flags || sb.cmd >= BPFDEV_MAX_CMD)
		return bpfdev_deny(req, BPFDEV_DENY_MALFORMED, -EINVAL);
	if (!bpfdev_cmd_executable(sb.cmd) && !bpfdev_objects_cmd(sb.cmd))
		return bpfdev_deny(req, BPFDEV_DENY_MALFORMED, -EOPNOTSUPP);

	ret = bpfdev_request_snapshot(req, sb.cmd, sb.attr, sb.attr_size);
	if (ret)
		return bpfdev_deny(req, BPFDEV_DENY_MALFORMED, ret);
	if (bpfdev_objects_cmd(req->cmd))
		return 0;
	bpfdev_profile_grant(st->profile, &req->pg);
	bpfdev_fstate_grant(st, &req->pg, &grant);
	ret = bpfdev_policy_check(req, &grant);
	if (!ret)
		ret = bpfdev_policy_limits(req, &grant);
	return ret;
}

/*
 * The caller's own objects, from the registry (objects.c): decided by
 * bpfdev_policy_lookup() and the file's grant, but no capability is raised
 * and nothing is created, so nothing is counted or audited; an ID that is
 * not the caller's is ENOENT, as a dead one is.
 */
static int sys_bpf_lookup(struct bpfdev_request *req)
{
	struct bpfdev_user *user = bpfdev_user_find(req->st->profile,
						    current_uid());
	struct bpfdev_objects *reg = user ? bpfdev_user_objects(user) : NULL;
	const union bpf_attr *k = &req->attr;
	struct bpfdev_grant grant;
	u32 next = 0;
	int idx, ret;

	/* in the grant's section: no fd after a revocation returned */
	idx = srcu_read_lock(&bpfdev_grant_srcu);
	bpfdev_fstate_effective(req->st, &grant);
	if (bpfdev_fstate_revoked(req->st) || bpfdev_user_revoked(user))
		ret = bpfdev_deny(req, BPFDEV_DENY_REVOKED, -EPERM);
	else
		ret = bpfdev_policy_lookup(req, &grant);
	if (ret)
		goto out;
	if (bpfdev_objects_listing(req->cmd))
		ret = bpfdev_objects_next_id(reg, req->cmd, &grant,
					     k->start_id, &next);
	else
		ret = bpfdev_objects_get_fd(reg, req->cmd, &grant, k->map_id,
					    k->open_flags);
out:
	srcu_read_unlock(&bpfdev_grant_srcu, idx);
	if (ret || !next)
		return ret;
	if (req->usize < offsetofend(union bpf_attr, next_id))
		return -EINVAL;
	return put_user(next, &req->uattr->next_id);
}

/**
 * bpfdev_sys_bpf() - BPFDEV_IOC_SYS_BPF
 * @file: the open /dev/bpf file
 * @arg: the caller's struct bpfdev_sys_bpf
 *
 * Every request, refused or run, is audited and counted.
 *
 * Return: what bpf(2) returns (a new fd, 0, or a negative errno), or
 * bpfdev's own errno for a request it refuses (see the uapi header).
 */
long bpfdev_sys_bpf(struct file *file, void __user *arg)
{
	struct bpfdev_request req = { .cmd = -1, .deny = BPFDEV_DENY_NONE };
	int ret;

	ret = sys_bpf_prepare(file, arg, &req);
	if (!ret && bpfdev_objects_cmd(req.cmd))
		return sys_bpf_lookup(&req);
	if (!ret) {
		ret = sys_bpf_accounted(file->private_data, &req);
		bpfdev_request_free(&req);
	}
	bpfdev_audit_request(&req, ret);
	return ret;
}
