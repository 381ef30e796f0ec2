// SPDX-License-Identifier: GPL-2.0
/*
 * bpfdev: delegated, scoped bpf(2) through /dev/bpf.
 *
 * The devices and the life of their files. Who may open /dev/bpf, or a
 * profile's /dev/bpf-NAME (profile.c), is decided by DAC on the node (udev
 * makes /dev/bpf root:bpf 0660); an open file is a capability whose ioctls
 * run the delegated bpf commands (sys_bpf.c), report what the file may do,
 * and make narrower files from it (file.c).
 */
#include <linux/anon_inodes.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include <linux/bpfdev.h>

#include "bpfdev.h"
#include "compat.h"
#include "testhooks.h"

static const struct file_operations bpfdev_narrowed_fops;

static int bpfdev_open(struct inode *inode, struct file *file)
{
	struct bpfdev_fstate *st =
		bpfdev_profile_open(bpfdev_profile_of(inode),
				    file->f_mode & FMODE_WRITE);

	if (IS_ERR(st))
		return PTR_ERR(st);
	file->private_data = st;
	return nonseekable_open(inode, file);
}

static int bpfdev_release(struct inode *inode, struct file *file)
{
	bpfdev_fstate_put(file->private_data);
	return 0;
}

/*
 * Copy in an extensible struct whose first field is its size: at least
 * @min bytes, at most a page, a tail the kernel does not know must be zero.
 */
static int bpfdev_copy_sized(void *dst, size_t ksize, void __user *arg,
			     u32 min, u32 *usize)
{
	if (get_user(*usize, (u32 __user *)arg))
		return -EFAULT;
	if (*usize < min)
		return -EINVAL;
	if (*usize > PAGE_SIZE)
		return -E2BIG;
	return copy_struct_from_user(dst, ksize, arg, *usize);
}

static long bpfdev_info(struct file *file, void __user *arg)
{
	struct bpfdev_fstate *st = file->private_data;
	struct bpfdev_profile_grant pg;
	struct bpfdev_user_limits ulim;
	struct bpfdev_grant grant;
	struct bpfdev_user *user;
	struct bpfdev_info info;
	u32 size;
	int ret;

	/* Only to apply the extensible-struct rules to the caller's tail. */
	ret = bpfdev_copy_sized(&info, sizeof(info), arg,
				BPFDEV_INFO_SIZE_VER0, &size);
	if (ret)
		return ret;

	bpfdev_profile_grant(st->profile, &pg);
	bpfdev_fstate_grant(st, &pg, &grant);
	ulim = pg.users;
	memset(&info, 0, sizeof(info));
	info.size = min_t(u32, size, sizeof(info));
	info.abi_version = BPFDEV_ABI_VERSION;
	info.ioctls = BIT_ULL(_IOC_NR(BPFDEV_IOC_SYS_BPF)) |
		      BIT_ULL(_IOC_NR(BPFDEV_IOC_INFO)) |
		      BIT_ULL(_IOC_NR(BPFDEV_IOC_NARROW)) |
		      BIT_ULL(_IOC_NR(BPFDEV_IOC_REFUSALS));
	if (file->f_mode & FMODE_WRITE)
		info.flags |= BPFDEV_INFO_F_WRITABLE;
	if (bpfdev_fstate_revoked(st))
		info.flags |= BPFDEV_INFO_F_REVOKED;
	if (st->parent)
		info.flags |= BPFDEV_INFO_F_NARROWED;
	if (READ_ONCE(st->profile->removed))
		info.flags |= BPFDEV_INFO_F_REMOVED;
	info.insn_max = grant.insn_max;
	info.cmds = grant.cmds;
	info.progs = grant.progs;
	info.maps = grant.maps;
	info.attachs = grant.attachs;
	info.btf_max = grant.btf_max;
	info.progs_max = grant.progs_max;
	info.map_mem_max = grant.map_mem_max;
	info.maps_max = grant.maps_max;
	info.loads_max = ulim.loads_max;
	info.own_cmds = st->own.cmds;
	info.own_progs = st->own.progs;
	info.own_maps = st->own.maps;
	info.own_attachs = st->own.attachs;
	info.insns = grant.insns;
	info.own_insns = st->own.insns;
	info.progs_created = atomic_read(&st->progs);
	info.maps_created = atomic_read(&st->maps);
	user = bpfdev_user_find(st->profile, current_uid());
	if (user)
		bpfdev_user_counts(user, &info.user_progs_created,
				   &info.user_maps_created);
	info.user_progs_max = ulim.progs_max;
	info.user_maps_max = ulim.maps_max;
	if (user)
		bpfdev_user_budgets(user, &info.user_jit_bytes,
				    &info.user_btf_bytes);
	info.user_jit_max = ulim.jit_max;
	info.user_btf_max = ulim.btf_max;
	if (copy_to_user(arg, &info, info.size))
		return -EFAULT;
	return 0;
}

/* A limit of 0 in a narrowing request keeps the file's own. */
static u32 narrow_limit(u32 req, u32 own)
{
	return req ?: own;
}

static long bpfdev_narrow(struct file *file, void __user *arg)
{
	struct bpfdev_fstate *st = file->private_data, *child;
	struct bpfdev_narrow nr;
	struct bpfdev_grant with;
	u32 size;
	int ret, fd;

	ret = bpfdev_copy_sized(&nr, sizeof(nr), arg, BPFDEV_NARROW_SIZE_VER0,
				&size);
	if (ret)
		return ret;
	if (nr.flags & ~BPFDEV_NARROW_F_CLOEXEC)
		return -EINVAL;
	/*
	 * A revoked grant hands out nothing, not even a narrower one; nor
	 * does any file to a revoked user.
	 */
	if (bpfdev_fstate_revoked(st) ||
	    bpfdev_user_revoked(bpfdev_user_find(st->profile, current_uid())))
		return -EPERM;
	if (st->depth >= BPFDEV_NARROW_DEPTH_MAX)
		return -E2BIG;

	with.cmds = nr.cmds;
	with.progs = nr.progs;
	with.maps = nr.maps;
	with.attachs = nr.attachs;
	with.insns = nr.insns;
	with.insn_max = narrow_limit(nr.insn_max, st->own.insn_max);
	with.btf_max = narrow_limit(nr.btf_max, st->own.btf_max);
	with.map_mem_max = nr.map_mem_max ?: st->own.map_mem_max;
	with.progs_max = nr.progs_max;
	with.maps_max = nr.maps_max;
	with.allow_seccomp = true;

	child = bpfdev_fstate_new(NULL, st, &with);
	if (!child)
		return -ENOMEM;
	/* Read-only stays read-only; the anon file pins the module too. */
	fd = anon_inode_getfd("bpfdev", &bpfdev_narrowed_fops, child,
			      ((file->f_mode & FMODE_WRITE) ? O_RDWR : O_RDONLY) |
			      ((nr.flags & BPFDEV_NARROW_F_CLOEXEC) ? O_CLOEXEC : 0));
	if (fd < 0)
		bpfdev_fstate_put(child);
	return fd;
}

/*
 * The structure sizes are the structures' own size fields, so the size bits
 * of the ioctl number are not part of the match.
 */
static long bpfdev_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct bpfdev_fstate *st = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (_IOC_TYPE(cmd) != BPFDEV_IOC_MAGIC ||
	    _IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE))
		return -ENOTTY;

	switch (_IOC_NR(cmd)) {
	case _IOC_NR(BPFDEV_IOC_SYS_BPF):
		return bpfdev_sys_bpf(file, uarg);
	case _IOC_NR(BPFDEV_IOC_INFO):
		return bpfdev_info(file, uarg);
	case _IOC_NR(BPFDEV_IOC_NARROW):
		return bpfdev_narrow(file, uarg);
	case _IOC_NR(BPFDEV_IOC_REFUSALS):
		return bpfdev_refusals_read(st->profile, uarg);
	default:
		return -ENOTTY;
	}
}

/* As a BPF token's fdinfo: what this fd may do, now. */
static void bpfdev_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct bpfdev_fstate *st = file->private_data;
	struct bpfdev_profile_grant pg;
	struct bpfdev_user_limits ulim;
	struct bpfdev_grant grant;

	bpfdev_profile_grant(st->profile, &pg);
	bpfdev_fstate_grant(st, &pg, &grant);
	bpfdev_grant_show(m, &grant);
	ulim = pg.users;
	seq_printf(m, "loads_max:\t%u\n", ulim.loads_max);
	seq_printf(m, "user_progs_max:\t%u\n", ulim.progs_max);
	seq_printf(m, "user_maps_max:\t%u\n", ulim.maps_max);
	seq_printf(m, "user_jit_max:\t%llu\n", ulim.jit_max);
	seq_printf(m, "user_btf_max:\t%llu\n", ulim.btf_max);
	seq_printf(m, "writable:\t%d\n", !!(file->f_mode & FMODE_WRITE));
	seq_printf(m, "narrowed:\t%d\n", !!st->parent);
	seq_printf(m, "revoked:\t%d\n", bpfdev_fstate_revoked(st));
	seq_printf(m, "profile:\t%s\n", st->profile->name);
	seq_printf(m, "removed:\t%d\n", READ_ONCE(st->profile->removed));
	seq_printf(m, "id:\t%llu\n", st->id);
	seq_printf(m, "uid:\t%u\n", from_kuid_munged(seq_user_ns(m), st->uid));
	seq_printf(m, "progs_created:\t%d\n", atomic_read(&st->progs));
	seq_printf(m, "maps_created:\t%d\n", atomic_read(&st->maps));
}

const struct file_operations bpfdev_fops = {
	.owner		= THIS_MODULE,	/* an open file pins the module */
	.open		= bpfdev_open,
	.release	= bpfdev_release,
	.unlocked_ioctl	= bpfdev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.show_fdinfo	= bpfdev_show_fdinfo,
};

/* A narrowed file is an anon-inode file: no open, the rest as the node's. */
static const struct file_operations bpfdev_narrowed_fops = {
	.owner		= BPFDEV_NARROWED_OWNER,
	.release	= bpfdev_release,
	.unlocked_ioctl	= bpfdev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.show_fdinfo	= bpfdev_show_fdinfo,
};

/*
 * The uapi structures are extended by appending: each published size must
 * still end at the field it ended at, and every structure is as large as
 * its newest published size (Landlock's build_check_abi()). The sizes stay
 * multiples of 8, so that a 32-bit caller lays them out the same way.
 */
static void __init build_check_abi(void)
{
	BUILD_BUG_ON(sizeof(struct bpfdev_sys_bpf) != BPFDEV_SYS_BPF_SIZE_VER0);

	BUILD_BUG_ON(offsetofend(struct bpfdev_info, attachs) !=
		     BPFDEV_INFO_SIZE_VER0);
	BUILD_BUG_ON(offsetofend(struct bpfdev_info, user_maps_max) !=
		     BPFDEV_INFO_SIZE_VER1);
	BUILD_BUG_ON(offsetofend(struct bpfdev_info, user_btf_max) !=
		     BPFDEV_INFO_SIZE_VER2);
	BUILD_BUG_ON(sizeof(struct bpfdev_info) != BPFDEV_INFO_SIZE_VER2);

	BUILD_BUG_ON(offsetofend(struct bpfdev_narrow, maps_max) !=
		     BPFDEV_NARROW_SIZE_VER0);
	BUILD_BUG_ON(offsetofend(struct bpfdev_narrow, insns) !=
		     BPFDEV_NARROW_SIZE_VER1);
	BUILD_BUG_ON(sizeof(struct bpfdev_narrow) != BPFDEV_NARROW_SIZE_VER1);
	BUILD_BUG_ON(sizeof(struct bpfdev_refusal) != BPFDEV_REFUSAL_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct bpfdev_refusals) !=
		     BPFDEV_REFUSALS_SIZE_VER0);

	BUILD_BUG_ON(BPFDEV_SYS_BPF_SIZE_VER0 % 8 ||
		     BPFDEV_INFO_SIZE_VER0 % 8 || BPFDEV_INFO_SIZE_VER1 % 8 ||
		     BPFDEV_INFO_SIZE_VER2 % 8 ||
		     BPFDEV_NARROW_SIZE_VER0 % 8 || BPFDEV_NARROW_SIZE_VER1 % 8);
	/* The BPFDEV_INSN_* bits fit the u64 masks that carry them. */
	BUILD_BUG_ON(BPFDEV_INSN_MAX > 64);
}

static int __init bpfdev_init(void)
{
	int ret;

	build_check_abi();
	ret = bpfdev_objects_check() ?: bpfdev_stats_init();
	if (ret)
		return ret;
	bpfdev_insns_init();
	return bpfdev_profiles_init();
}

static void __exit bpfdev_exit(void)
{
	/* No profile but the default is left (each pins the module). */
	bpfdev_profiles_exit();
	/* No file is open (each pins the module): no call is running. */
	bpfdev_attachments_release();
	bpfdev_test_exit();
	bpfdev_objects_stop();
	bpfdev_users_free(&bpfdev_default_profile.users);
}

module_init(bpfdev_init);
module_exit(bpfdev_exit);

BPFDEV_IMPORT_NS();
MODULE_VERSION(BPFDEV_VERSION);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Delegated, scoped bpf(2) through /dev/bpf");
MODULE_AUTHOR("The bpfdev developers");
