// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_PROG_ATTACH and BPF_PROG_DETACH of cgroup_skb programs
 * (cgroup_inet_ingress/egress): the attach systemd's IP firewall makes
 * (IPAddressDeny=, IPAddressAllow=), so that a member's user manager can
 * firewall the member's own services.
 *
 * kern_sys_bpf() does not take BPF_PROG_ATTACH. bpfdev makes the attachment
 * a cgroup link instead, under the rules of BPF_LINK_CREATE (cgroup.c),
 * takes the link's fd back out of the caller's table, and holds the link:
 * the attachment then lives as a legacy one does, until BPF_PROG_DETACH,
 * the removal of the cgroup, or the unloading of the module, which detaches
 * what it holds. A link is a multi-mode attach, so BPF_F_ALLOW_MULTI is the
 * one mode taken: an exclusive or override-mode program (flags 0 or
 * BPF_F_ALLOW_OVERRIDE) would decide for the whole subtree below it, and
 * BPF_F_REPLACE replaces a program that need not be the caller's (EPERM).
 *
 * BPF_PROG_DETACH looks up its two fds once, here: the cgroup (which the
 * caller must be able to write, as for attach) and the program. It finds
 * the attachment among those the caller's uid made through bpfdev, by
 * cgroup, attach type and program, and detaches it; ENOENT if there is
 * none, as bpf(2) answers for a program not attached. No fd is looked up
 * again, so no fd swap can change what is detached, and an attachment made
 * with bpf(2) itself is never found: in the legacy detach of an exclusive
 * or override-mode program, bpf(2) detaches whatever is attached, whichever
 * program is named.
 *
 * Holding a link holds its program (its JIT image stays counted against
 * the user's user_jit_max) and a little memory no cgroup is charged for:
 * each user holds at most BPFDEV_USER_ATTACH_MAX attachments (EDQUOT).
 * Those whose cgroup is gone are released whenever an attachment is made
 * or detached.
 */
#include <linux/bpf.h>
#include <linux/bpf-cgroup.h>
#include <linux/cred.h>
#include <linux/fdtable.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "bpfdev.h"
#include "limits.h"
#include "testhooks.h"

struct attachment {
	struct list_head node;
	struct bpf_link *link;
	kuid_t uid;
	u64 cgroup_id;
	u32 attach_type;
};

static LIST_HEAD(attachments);
static DEFINE_MUTEX(attachments_lock);

/*
 * Is its cgroup removed? Its programs are detached asynchronously, some
 * time after the rmdir (cgroup_bpf_release(), which clears the link's
 * cgroup): a dying cgroup counts as gone already. Cgroups are RCU-freed.
 */
static bool attachment_gone(const struct attachment *a)
{
	const struct bpf_cgroup_link *cl =
		container_of(a->link, struct bpf_cgroup_link, link);
	struct cgroup *cgrp;
	bool gone;

	rcu_read_lock();
	cgrp = READ_ONCE(cl->cgroup);
	/* cleared by the rmdir itself (cgroup_destroy_locked()) */
	gone = !cgrp || !(READ_ONCE(cgrp->self.flags) & CSS_ONLINE);
	rcu_read_unlock();
	return gone;
}

/* Detach (if still attached) and let go of @a, taken off the list. */
static void attachment_release(struct attachment *a)
{
	/* a no-op for a link its cgroup's removal detached */
	a->link->ops->detach(a->link);
	bpf_link_put(a->link);
	kfree(a);
}

/* The live attachment of @prog to that cgroup and type, if any */
static struct attachment *attachment_find(u64 cgroup_id, u32 attach_type,
					  const struct bpf_prog *prog)
{
	struct attachment *a;

	list_for_each_entry(a, &attachments, node)
		if (a->cgroup_id == cgroup_id &&
		    a->attach_type == attach_type && a->link->prog == prog)
			return a;
	return NULL;
}

/*
 * Take off the list those whose cgroup is gone, and count @uid's others.
 * Under attachments_lock; the released ones go to @gone.
 */
static unsigned int attachments_sweep(kuid_t uid, struct list_head *gone)
{
	struct attachment *a, *tmp;
	unsigned int n = 0;

	list_for_each_entry_safe(a, tmp, &attachments, node) {
		if (attachment_gone(a))
			list_move(&a->node, gone);
		else if (uid_eq(a->uid, uid))
			n++;
	}
	return n;
}

static void attachments_free(struct list_head *gone)
{
	struct attachment *a, *tmp;

	list_for_each_entry_safe(a, tmp, gone, node) {
		list_del(&a->node);
		attachment_release(a);
	}
}

/* The cgroup_skb program a request names, referenced; or an ERR_PTR */
static struct bpf_prog *attach_prog(const struct bpfdev_request *req)
{
	return bpf_prog_get_type_dev(req->attr.attach_bpf_fd,
				     BPF_PROG_TYPE_CGROUP_SKB, false);
}

/**
 * bpfdev_prog_attach() - attach a cgroup_skb program, as a held link
 * @req: an accepted BPF_PROG_ATTACH of a cgroup inet attach type, with
 *	BPF_F_ALLOW_MULTI (policy.c)
 *
 * Return: 0, the errors of bpfdev_cgroup_attach_check(), -EDQUOT when the
 * user holds BPFDEV_USER_ATTACH_MAX attachments, -EINVAL for a program
 * attached there already (as bpf(2)), or bpf(2)'s.
 */
int bpfdev_prog_attach(struct bpfdev_request *req)
{
	const union bpf_attr *k = &req->attr;
	kuid_t uid = current_uid();
	struct bpf_link_info info;
	struct bpf_prog *prog;
	union bpf_attr l;
	struct attachment *a;
	struct bpf_link *link;
	LIST_HEAD(gone);
	u64 cgroup_id;
	int fd, err;

	err = bpfdev_cgroup_attach_check(req, k->target_fd, k->attach_type,
					 &cgroup_id);
	if (err)
		return err;
	/* the fd table is the caller's alone: the file the kernel will use */
	prog = attach_prog(req);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	a = kzalloc(sizeof(*a), GFP_KERNEL_ACCOUNT);
	if (!a) {
		bpf_prog_put(prog);
		return -ENOMEM;
	}
	memset(&l, 0, sizeof(l));
	l.link_create.prog_fd = k->attach_bpf_fd;
	l.link_create.target_fd = k->target_fd;
	l.link_create.attach_type = k->attach_type;

	mutex_lock(&attachments_lock);
	if (attachments_sweep(uid, &gone) >= BPFDEV_USER_ATTACH_MAX) {
		err = bpfdev_deny_limit(req, BPFDEV_DENY_QUOTA, -EDQUOT,
					"attachments", BPFDEV_USER_ATTACH_MAX,
					BPFDEV_USER_ATTACH_MAX + 1);
		goto out;
	}
	/* a link does not refuse a program linked there already: bpf(2) does */
	if (attachment_find(cgroup_id, k->attach_type, prog)) {
		err = -EINVAL;
		goto out;
	}
	bpfdev_test_widen_race_window();
	fd = bpfdev_call_cmd_with_caps(req, BPF_LINK_CREATE, &l,
				       BIT_ULL(CAP_NET_ADMIN));
	if (fd < 0) {
		err = fd;
		goto out;
	}
	link = bpf_link_get_from_fd(fd);
	close_fd(fd);
	if (WARN_ON_ONCE(IS_ERR(link))) {
		err = PTR_ERR(link);
		goto out;
	}
	/*
	 * The cgroup the kernel attached to, as it says (0 if already gone):
	 * what a detach names must be where the program is.
	 */
	memset(&info, 0, sizeof(info));
	link->ops->fill_link_info(link, &info);
	a->link = link;
	a->uid = uid;
	a->cgroup_id = info.cgroup.cgroup_id;
	a->attach_type = k->attach_type;
	list_add(&a->node, &attachments);
	a = NULL;
out:
	mutex_unlock(&attachments_lock);
	bpf_prog_put(prog);
	attachments_free(&gone);
	kfree(a);
	return err;
}

/**
 * bpfdev_prog_detach() - detach what bpfdev_prog_attach() attached
 * @req: an accepted BPF_PROG_DETACH of a cgroup inet attach type
 *
 * Return: 0, -EBADF, -EACCES for a cgroup the caller may not write,
 * -EINVAL for an fd that is no cgroup_skb program, -ENOENT when the
 * caller's uid attached no such program there.
 */
int bpfdev_prog_detach(struct bpfdev_request *req)
{
	const union bpf_attr *k = &req->attr;
	struct attachment *found;
	kuid_t uid = current_uid();
	struct bpf_prog *prog;
	LIST_HEAD(gone);
	u64 cgroup_id;
	int err;

	/* each fd looked up once, here */
	err = bpfdev_cgroup_dir(k->target_fd, &cgroup_id);
	if (err == -EACCES)
		return bpfdev_deny(req, BPFDEV_DENY_CGROUP, err);
	if (err)
		return err;
	prog = attach_prog(req);
	if (IS_ERR(prog))
		return PTR_ERR(prog);

	mutex_lock(&attachments_lock);
	attachments_sweep(uid, &gone);
	found = attachment_find(cgroup_id, k->attach_type, prog);
	if (found && uid_eq(found->uid, uid))
		list_del(&found->node);
	else
		found = NULL;
	mutex_unlock(&attachments_lock);
	bpf_prog_put(prog);
	attachments_free(&gone);
	if (!found)
		return -ENOENT;
	attachment_release(found);
	return 0;
}

/**
 * bpfdev_attachments_release() - detach everything held, at module unload
 */
void bpfdev_attachments_release(void)
{
	LIST_HEAD(all);

	mutex_lock(&attachments_lock);
	list_splice_init(&attachments, &all);
	mutex_unlock(&attachments_lock);
	attachments_free(&all);
}
