// SPDX-License-Identifier: GPL-2.0
/*
 * One delegated bpf command, in order: read the request once, snapshot the
 * attr, decide, copy the inputs the kernel will read, run with the
 * capabilities the command needs, copy bpf(2)'s write-backs out.
 */
#include <linux/bpf.h>
#include <linux/cred.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/uaccess.h>

#include <linux/bpfdev.h>

#include "bpfdev.h"
#include "compat.h"

#ifdef BPFDEV_TEST_BROKEN
/*
 * Test-only: the bug the snapshot exists to prevent. After the policy has
 * accepted the request, the program type and expected attach type are read
 * again from the caller's memory, where a second thread may have changed
 * them. The race test must catch this build. Never built outside the test
 * harness.
 */
static void sys_bpf_reread_types(struct bpfdev_request *req)
{
	union bpf_attr __user *u = req->uattr;
	u32 type, eat;

	if (req->cmd != BPF_PROG_LOAD)
		return;
	udelay(20);
	if (!get_user(type, &u->prog_type) &&
	    !get_user(eat, &u->expected_attach_type)) {
		req->attr.prog_type = type;
		req->attr.expected_attach_type = eat;
	}
}
#else
static inline void sys_bpf_reread_types(struct bpfdev_request *req)
{
}
#endif

static int sys_bpf_execute(struct bpfdev_request *req)
{
	int ret;

	if (req->cmd == BPF_MAP_FREEZE)
		return bpfdev_map_freeze(req);
	if (req->cmd == BPF_LINK_CREATE)
		return bpfdev_cgroup_attach(req);

	ret = bpfdev_request_prepare_writeback(req);
	if (ret)
		return ret;
	ret = bpfdev_call_with_caps(req, bpfdev_caps_needed(req));
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
	struct bpfdev_user *user = bpfdev_user_get(current_uid());
	int ret;

	if (!user)
		return -ENOMEM;
	ret = bpfdev_fstate_charge(st, req->cmd);
	if (ret)
		return bpfdev_deny(req, BPFDEV_DENY_QUOTA, ret);
	ret = bpfdev_user_begin(user, req->cmd);
	if (ret) {
		bpfdev_fstate_refund(st, req->cmd);
		return bpfdev_deny(req, BPFDEV_DENY_QUOTA, ret);
	}

	ret = bpfdev_request_copy_inputs(req);
	if (ret)
		bpfdev_deny(req, BPFDEV_DENY_MALFORMED, ret);
	else
		ret = bpfdev_policy_insns(req) ?: sys_bpf_execute(req);

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
	if (!bpfdev_cmd_executable(sb.cmd))
		return bpfdev_deny(req, BPFDEV_DENY_MALFORMED, -EOPNOTSUPP);

	req->st = st;
	ret = bpfdev_request_snapshot(req, sb.cmd, sb.attr, sb.attr_size);
	if (ret)
		return bpfdev_deny(req, BPFDEV_DENY_MALFORMED, ret);
	bpfdev_fstate_effective(st, &grant);
	ret = bpfdev_policy_check(req, &grant);
	if (!ret)
		ret = bpfdev_policy_limits(req, &grant);
	return ret;
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
	if (!ret) {
		sys_bpf_reread_types(&req);
		ret = sys_bpf_accounted(file->private_data, &req);
		bpfdev_request_free(&req);
	}
	bpfdev_audit_request(&req, ret);
	return ret;
}
