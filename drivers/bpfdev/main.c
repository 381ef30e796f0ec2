// SPDX-License-Identifier: GPL-2.0
/*
 * bpfdev: delegated, scoped bpf(2) through /dev/bpf.
 *
 * The device and the life of its files. Who may open /dev/bpf is decided by
 * DAC on the node (udev makes it root:bpf 0660); an open file is a
 * capability whose ioctls run the delegated bpf commands (sys_bpf.c).
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include <linux/bpfdev.h>

#include "bpfdev.h"
#include "compat.h"

static long bpfdev_info(struct file *file, void __user *arg)
{
	struct bpfdev_grant grant;
	struct bpfdev_info info;
	u32 size;
	int ret;

	if (get_user(size, (u32 __user *)arg))
		return -EFAULT;
	if (size < BPFDEV_INFO_SIZE_VER0)
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	/* Only to apply the extensible-struct rules to the caller's tail. */
	ret = copy_struct_from_user(&info, sizeof(info), arg, size);
	if (ret)
		return ret;

	bpfdev_grant_effective(&grant);
	memset(&info, 0, sizeof(info));
	info.size = min_t(u32, size, sizeof(info));
	info.abi_version = BPFDEV_ABI_VERSION;
	info.ioctls = BIT_ULL(_IOC_NR(BPFDEV_IOC_SYS_BPF)) |
		      BIT_ULL(_IOC_NR(BPFDEV_IOC_INFO));
	info.flags = (file->f_mode & FMODE_WRITE) ? BPFDEV_INFO_F_WRITABLE : 0;
	info.insn_max = grant.insn_max;
	info.cmds = grant.cmds;
	info.progs = grant.progs;
	info.maps = grant.maps;
	info.attachs = grant.attachs;
	if (copy_to_user(arg, &info, info.size))
		return -EFAULT;
	return 0;
}

/*
 * The structure sizes are the structures' own size fields, so the size bits
 * of the ioctl number are not part of the match.
 */
static long bpfdev_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	if (_IOC_TYPE(cmd) != BPFDEV_IOC_MAGIC ||
	    _IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE))
		return -ENOTTY;

	switch (_IOC_NR(cmd)) {
	case _IOC_NR(BPFDEV_IOC_SYS_BPF):
		return bpfdev_sys_bpf(file, uarg);
	case _IOC_NR(BPFDEV_IOC_INFO):
		return bpfdev_info(file, uarg);
	default:
		return -ENOTTY;
	}
}

/* As a BPF token's fdinfo: what this fd may do, now. */
static void bpfdev_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct bpfdev_grant grant;

	bpfdev_grant_effective(&grant);
	bpfdev_grant_show(m, &grant);
	seq_printf(m, "writable:\t%d\n", !!(file->f_mode & FMODE_WRITE));
}

static const struct file_operations bpfdev_fops = {
	.owner		= THIS_MODULE,	/* an open file pins the module */
	.open		= nonseekable_open,
	.unlocked_ioctl	= bpfdev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.show_fdinfo	= bpfdev_show_fdinfo,
};

/* Owner, group and mode come from udev (udev/60-bpfdev.rules). */
static struct miscdevice bpfdev_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "bpf",
	.fops	= &bpfdev_fops,
};

module_misc_device(bpfdev_misc);

BPFDEV_IMPORT_NS();
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Delegated, scoped bpf(2) through /dev/bpf");
MODULE_AUTHOR("The bpfdev developers");
