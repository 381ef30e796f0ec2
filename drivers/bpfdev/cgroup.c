// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_LINK_CREATE of cgroup_skb programs (cgroup_inet_ingress/egress), the
 * one attach that needs privilege (CAP_NET_ADMIN): only to a cgroup whose
 * directory the caller may write and search, a delegated subtree as
 * systemd's Delegate= gives a user. Opening a cgroup directory needs only
 * read access, so without this rule a member could attach a drop-all
 * program to the root cgroup and cut the machine off the network.
 *
 * The check is about a directory, the kernel attaches to whatever the fd
 * number names when it looks it up, and another thread could dup2() the
 * root cgroup over the number in between. So bpfdev runs this command only
 * for a caller whose fd table no other task shares: then nothing but the
 * caller, busy in this ioctl, can change what the number names. A
 * multi-threaded program gets EBUSY; libbpfdev runs such requests from a
 * forked helper, whose fd table is a private copy, and passes the link fd
 * back over a unix socket.
 *
 * Override-mode programs: a link is a multi-mode attach, and the kernel
 * runs an ancestor's program attached with BPF_F_ALLOW_OVERRIDE only in
 * the cgroups below it that have no program of their own for that attach
 * type. A member's link would silently switch off, for the member's
 * subtree, an administrator's override-mode program above it, so bpfdev
 * refuses the link (EPERM) while an ancestor holds such a program. It is
 * a check at attach time: a program root attaches in override mode later
 * does not apply below a link that already exists (bpfdev(4)).
 */
#include <linux/bpf.h>
#include <linux/bpf-cgroup.h>
#include <linux/cgroup.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/sched.h>

#include "bpfdev.h"
#include "testhooks.h"

/**
 * bpfdev_is_cgroup_attach() - is this a cgroup attach bpfdev mediates?
 * @attach_type: link_create.attach_type
 */
bool bpfdev_is_cgroup_attach(u32 attach_type)
{
	return attach_type == BPF_CGROUP_INET_INGRESS ||
	       attach_type == BPF_CGROUP_INET_EGRESS;
}

/**
 * bpfdev_cgroup_dir() - may the caller write and search the cgroup @fd names?
 * @fd: the caller's fd
 * @id: NULL, or where to put the cgroup's id (its directory's inode number)
 *
 * Return: 0, -EBADF for an fd that is not a cgroup2 directory (as
 * cgroup_get_from_fd() answers), -EACCES.
 */
int bpfdev_cgroup_dir(int fd, u64 *id)
{
	struct file *file = fget(fd);
	int err;

	if (!file)
		return -EBADF;
	if (!S_ISDIR(file_inode(file)->i_mode) ||
	    file_inode(file)->i_sb->s_magic != CGROUP2_SUPER_MAGIC)
		err = -EBADF;
	else
		err = file_permission(file, MAY_WRITE | MAY_EXEC) ? -EACCES : 0;
	if (id)
		*id = file_inode(file)->i_ino;
	fput(file);
	return err;
}

/*
 * Does an ancestor of the cgroup @fd names hold an override-mode program of
 * @attach_type? Read without cgroup_mutex (not exported): the fd holds the
 * cgroup, the cgroup its ancestors, and an attach racing with this check is
 * one that happens after the link, as bpfdev(4) says.
 */
static int cgroup_override_above(int fd, u32 attach_type)
{
	enum cgroup_bpf_attach_type atype =
		to_cgroup_bpf_attach_type(attach_type);
	struct cgroup *cgrp, *p;
	bool found = false;

	if (atype == CGROUP_BPF_ATTACH_TYPE_INVALID)
		return -EINVAL;
	cgrp = cgroup_get_from_fd(fd);
	if (IS_ERR(cgrp))
		return PTR_ERR(cgrp);
	for (p = cgroup_parent(cgrp); p && !found; p = cgroup_parent(p))
		found = (READ_ONCE(p->bpf.flags[atype]) & BPF_F_ALLOW_OVERRIDE) &&
			!hlist_empty(&p->bpf.progs[atype]);
	cgroup_put(cgrp);
	return found;
}

/**
 * bpfdev_cgroup_attach_check() - may the caller attach to this cgroup?
 * @req: the accepted request (for its denial)
 * @target_fd: the caller's fd of the cgroup directory
 * @attach_type: cgroup_inet_ingress or cgroup_inet_egress
 * @id: NULL, or where to put the cgroup's id (bpfdev_cgroup_dir())
 *
 * The rules of every cgroup attach bpfdev runs (BPF_LINK_CREATE, and
 * BPF_PROG_ATTACH in attach.c), for a call that names the cgroup by
 * @target_fd.
 *
 * Return: 0, -EBUSY when the caller's fd table is shared, -EACCES for a
 * cgroup the caller may not write, -EBADF for an fd that is not a cgroup2
 * directory, -EPERM below an override-mode program.
 */
int bpfdev_cgroup_attach_check(struct bpfdev_request *req, int target_fd,
			       u32 attach_type, u64 *id)
{
	int err;

	if (atomic_read(&current->files->count) != 1 &&
	    !bpfdev_test_allow_shared_fds())
		return bpfdev_deny(req, BPFDEV_DENY_SHARED_FDS, -EBUSY);
	err = bpfdev_cgroup_dir(target_fd, id);
	if (err == -EACCES)
		return bpfdev_deny(req, BPFDEV_DENY_CGROUP, err);
	if (err)
		return err;
	err = cgroup_override_above(target_fd, attach_type);
	if (err > 0)
		return bpfdev_deny(req, BPFDEV_DENY_CGROUP_OVERRIDE, -EPERM);
	return err;
}

/**
 * bpfdev_cgroup_attach() - attach to a cgroup the caller may write
 * @req: an accepted BPF_LINK_CREATE request for a cgroup inet attach type
 *
 * Return: the link fd, the errors of bpfdev_cgroup_attach_check(), or
 * bpf(2)'s.
 */
int bpfdev_cgroup_attach(struct bpfdev_request *req)
{
	int err;

	err = bpfdev_cgroup_attach_check(req, req->attr.link_create.target_fd,
					 req->attr.link_create.attach_type, NULL);
	if (err)
		return err;
	bpfdev_test_widen_race_window();
	return bpfdev_call_with_caps(req, BIT_ULL(CAP_NET_ADMIN), NULL);
}
