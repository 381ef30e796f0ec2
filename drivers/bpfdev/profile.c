// SPDX-License-Identifier: GPL-2.0
/*
 * Profiles: a grant and the node that hands it out.
 *
 * The default profile is /dev/bpf, a misc device, its grant the module
 * parameters (grant.c), its owner, group and mode a static udev rule's.
 * The administrator makes the others in configfs (configfs.c): each is a
 * device of class bpfdev named by the kernel "bpf-NAME", with a grant of
 * its own, written whole and swapped in whole, and its own group and mode,
 * which devtmpfs gives the node it makes and the device shows in sysfs for
 * udev (udev/60-bpfdev.rules) to give it again at each change. DAC on the
 * node decides who may open it, as for /dev/bpf.
 *
 * The named profiles' nodes are minors of a char major of their own, taken
 * in turn (limits.h): a misc device's minor would be the next misc device's
 * as soon as it is free, and a node made by mknod for a removed profile
 * (a container runtime's --device) would then open that one.
 *
 * A profile lives while its configfs item, its node or one of its files
 * does. Its files check its revocation generation with the module's at
 * every call: revoking a profile, or removing it, stops every file opened
 * from its node before the write (or the rmdir) returns, as the "revoke"
 * parameter does for all of them (grant.c says how). Its per-user limits
 * and counters (users.c) are its own, and go with it.
 */
#include <linux/cdev.h>
#include <linux/cred.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/miscdevice.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "bpfdev.h"
#include "compat.h"
#include "testhooks.h"

/* The named profiles' nodes: a char major, its minors taken in turn */
static dev_t profiles_devt;
static DEFINE_IDR(profile_minors);
static DEFINE_MUTEX(profile_minors_lock);

static void profile_release(struct kref *ref)
{
	struct bpfdev_profile *p = container_of(ref, struct bpfdev_profile,
						ref);

	bpfdev_users_free(&p->users);
	/* no reader is left: every file and the item are gone */
	kfree(rcu_dereference_protected(p->grant, true));
	mutex_destroy(&p->files_lock);
	mutex_destroy(&p->lock);
	kfree(p);
}

/**
 * bpfdev_profile_get() - take a reference to a profile
 * @p: the profile
 */
void bpfdev_profile_get(struct bpfdev_profile *p)
{
	kref_get(&p->ref);
}

/**
 * bpfdev_profile_put() - drop a reference to a profile
 * @p: the profile; the default profile's last reference is never dropped
 */
void bpfdev_profile_put(struct bpfdev_profile *p)
{
	kref_put(&p->ref, profile_release);
}

/**
 * bpfdev_profile_of() - the profile whose node is being opened
 * @inode: the node: /dev/bpf (a misc device), or a named profile's, whose
 *	char device holds its device, which holds the profile
 */
struct bpfdev_profile *bpfdev_profile_of(struct inode *inode)
{
	if (imajor(inode) == MISC_MAJOR)
		return &bpfdev_default_profile;
	return container_of(inode->i_cdev, struct bpfdev_profile, cdev);
}

/**
 * bpfdev_profile_open() - the state of a file opened from a profile's node
 * @p: the profile
 * @writable: opened for writing
 *
 * A node made by mknod, or an inode still cached, can reach the char device
 * of a profile being removed, or one whose registration failed: such an
 * open is ENODEV once the removal took the node away (or the registration
 * failed), and one before is revoked by it. A user root revoked in the
 * profile (users.c) cannot open it for writing, which the bpf commands
 * need; it can for reading, to read why it was refused. A file opened just
 * before the revocation is revoked with the others.
 *
 * Return: the state, or ERR_PTR(-ENODEV, -EPERM or -ENOMEM).
 */
struct bpfdev_fstate *bpfdev_profile_open(struct bpfdev_profile *p,
					  bool writable)
{
	struct bpfdev_fstate *st = ERR_PTR(-ENODEV);

	mutex_lock(&p->lock);
	/* a named profile's char device is reachable while it registers */
	if (!p->removed && (p->enabled || p == &bpfdev_default_profile))
		st = bpfdev_fstate_new(p, NULL, NULL) ?: ERR_PTR(-ENOMEM);
	mutex_unlock(&p->lock);
	if (!IS_ERR(st) && writable && (st->opener_revocations & 1)) {
		bpfdev_fstate_put(st);
		st = ERR_PTR(-EPERM);
	}
	return st;
}

/**
 * bpfdev_profile_grant() - what a profile delegates now
 * @p: the profile
 * @out: filled in: a copy of one grant, as one write left it, never a mix
 */
void bpfdev_profile_grant(struct bpfdev_profile *p,
			  struct bpfdev_profile_grant *out)
{
	const struct bpfdev_profile_grant *pg;

	rcu_read_lock();
	pg = rcu_dereference(p->grant);
	if (pg)
		*out = *pg;
	rcu_read_unlock();
	if (!pg)
		bpfdev_grant_params(out);
}

/**
 * bpfdev_profile_generation() - grows at each revocation and at removal
 * @p: the profile
 */
u64 bpfdev_profile_generation(struct bpfdev_profile *p)
{
	return atomic64_read(&p->generation);
}

/* The node's group and mode, for udev's rule: numbers, as GROUP= takes */
static struct bpfdev_profile *dev_profile(struct device *dev)
{
	return container_of(dev, struct bpfdev_profile, dev);
}

static ssize_t group_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct bpfdev_profile *p = dev_profile(dev);

	return sysfs_emit(buf, "%u\n",
			  from_kgid_munged(&init_user_ns, READ_ONCE(p->gid)));
}
static DEVICE_ATTR_RO(group);

static ssize_t mode_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%04o\n", READ_ONCE(dev_profile(dev)->mode));
}
static DEVICE_ATTR_RO(mode);

static struct attribute *profile_attrs[] = {
	&dev_attr_group.attr,
	&dev_attr_mode.attr,
	NULL,
};

static const struct attribute_group profile_group = {
	.attrs = profile_attrs,
};

static const struct attribute_group *profile_groups[] = {
	&profile_group,
	NULL,
};

/* devtmpfs makes the node with the profile's group and mode */
static char *profile_devnode(BPFDEV_DEVNODE_CONST struct device *dev,
			     umode_t *mode, kuid_t *uid, kgid_t *gid)
{
	struct bpfdev_profile *p = dev_profile((struct device *)dev);

	if (mode)
		*mode = READ_ONCE(p->mode);
	if (gid)
		*gid = READ_ONCE(p->gid);
	return NULL;
}

static const struct device_type profile_dev_type = {
	.name		= "bpfdev_profile",
	.groups		= profile_groups,
	.devnode	= profile_devnode,
};

static struct class bpfdev_class = {
	.name		= "bpfdev",
};

/* The device's reference on its profile, and the node's number, go last */
static void profile_dev_release(struct device *dev)
{
	struct bpfdev_profile *p = dev_profile(dev);

	mutex_lock(&profile_minors_lock);
	idr_remove(&profile_minors, MINOR(dev->devt));
	mutex_unlock(&profile_minors_lock);
	bpfdev_profile_put(p);
}

struct bpfdev_profile bpfdev_default_profile = {
	.ref = KREF_INIT(1),
	.name = "default",
	.generation = ATOMIC64_INIT(0),
	.lock = __MUTEX_INITIALIZER(bpfdev_default_profile.lock),
	.files_lock = __MUTEX_INITIALIZER(bpfdev_default_profile.files_lock),
	.files = LIST_HEAD_INIT(bpfdev_default_profile.files),
};

/* Owner, group and mode come from udev (udev/60-bpfdev.rules). */
static struct miscdevice bpfdev_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "bpf",
	.fops	= &bpfdev_fops,
	.groups	= bpfdev_stats_groups,
};

/**
 * bpfdev_profile_new() - a profile, not yet with a node
 * @name: its name, checked by the caller
 *
 * Its grant is every key's default, its node root's, mode 0600, until the
 * administrator writes them.
 *
 * Return: the profile (one reference), or NULL without memory.
 */
struct bpfdev_profile *bpfdev_profile_new(const char *name)
{
	struct bpfdev_profile *p = kzalloc(sizeof(*p), GFP_KERNEL);
	struct bpfdev_profile_grant *pg = kzalloc(sizeof(*pg), GFP_KERNEL);

	if (!p || !pg) {
		kfree(p);
		kfree(pg);
		return NULL;
	}
	kref_init(&p->ref);
	strscpy(p->name, name, sizeof(p->name));
	bpfdev_grant_defaults(pg);
	RCU_INIT_POINTER(p->grant, pg);
	atomic64_set(&p->generation, 0);
	mutex_init(&p->lock);
	p->gid = GLOBAL_ROOT_GID;
	p->mode = 0600;
	bpfdev_users_new(&p->users);
	mutex_init(&p->files_lock);
	INIT_LIST_HEAD(&p->files);
	return p;
}

/**
 * bpfdev_profile_set_grant() - replace a profile's grant, whole
 * @p: a named profile
 * @pg: the new grant, which the profile takes
 *
 * Files see the old grant or the new one, never a mix; when this returns,
 * no request decided under the old one is still running.
 */
void bpfdev_profile_set_grant(struct bpfdev_profile *p,
			      struct bpfdev_profile_grant *pg)
{
	struct bpfdev_profile_grant *old;

	mutex_lock(&p->lock);
	old = rcu_dereference_protected(p->grant, lockdep_is_held(&p->lock));
	if (bpfdev_test_grant_store(old, pg)) {
		mutex_unlock(&p->lock);
		kfree(pg);
		return;
	}
	rcu_assign_pointer(p->grant, pg);
	mutex_unlock(&p->lock);
	bpfdev_grant_changed();
	kfree_rcu(old, rcu);
}

/**
 * bpfdev_profile_set_owner() - the group and mode udev gives the node
 * @p: a named profile
 * @gid: the new group, or NULL to keep it
 * @mode: the new mode (permission bits only), or NULL to keep it
 *
 * A node that exists gets a change event, so that udev applies them; a
 * file already open stays open, as after a chmod.
 *
 * Return: 0, -EINVAL for a mode with more than permission bits, or the
 * change event's errno (the new value is kept).
 */
int bpfdev_profile_set_owner(struct bpfdev_profile *p, const kgid_t *gid,
			     const umode_t *mode)
{
	int ret = 0;

	if (mode && (*mode & ~0777))
		return -EINVAL;
	mutex_lock(&p->lock);
	if (gid)
		WRITE_ONCE(p->gid, *gid);
	if (mode)
		WRITE_ONCE(p->mode, *mode);
	if (p->enabled)
		ret = kobject_uevent(&p->dev.kobj, KOBJ_CHANGE);
	mutex_unlock(&p->lock);
	return ret;
}

/* Register @p's node. p->lock held. */
static int profile_register(struct bpfdev_profile *p)
{
	int minor, ret;

	mutex_lock(&profile_minors_lock);
	minor = idr_alloc_cyclic(&profile_minors, p, 0, BPFDEV_PROFILE_MINORS,
				 GFP_KERNEL);
	mutex_unlock(&profile_minors_lock);
	if (minor < 0)
		return minor;

	device_initialize(&p->dev);
	p->dev.class = &bpfdev_class;
	p->dev.type = &profile_dev_type;
	p->dev.devt = MKDEV(MAJOR(profiles_devt), minor);
	p->dev.release = profile_dev_release;
	bpfdev_profile_get(p);		/* the device's, until its release */
	ret = dev_set_name(&p->dev, "bpf-%s", p->name);
	if (!ret) {
		cdev_init(&p->cdev, &bpfdev_fops);
		p->cdev.owner = THIS_MODULE;
		ret = cdev_device_add(&p->cdev, &p->dev);
	}
	if (ret)
		put_device(&p->dev);
	return ret;
}

/**
 * bpfdev_profile_enable() - register the node of a profile
 * @p: a named profile
 *
 * Once: devtmpfs makes the node with the group and mode written before,
 * and udev's add event sees them. The node goes when the profile does.
 *
 * Return: 0; -EBUSY if registering failed before (a char device that may
 * have been opened meanwhile is not made again: remove the profile); or
 * the errno of registering.
 */
int bpfdev_profile_enable(struct bpfdev_profile *p)
{
	int ret = 0;

	mutex_lock(&p->lock);
	if (p->failed) {
		ret = -EBUSY;
	} else if (!p->enabled) {
		ret = profile_register(p);
		p->failed = ret != 0;
		WRITE_ONCE(p->enabled, !ret);
	}
	mutex_unlock(&p->lock);
	return ret;
}

/**
 * bpfdev_profile_revoke() - every file opened from the profile's node so far
 *	executes nothing more, once this returns
 * @p: the profile
 */
void bpfdev_profile_revoke(struct bpfdev_profile *p)
{
	atomic64_inc(&p->generation);
	bpfdev_grant_changed();
}

/**
 * bpfdev_profile_remove() - take a profile's node away and revoke its files
 * @p: a named profile; its memory stays while a file holds it
 */
void bpfdev_profile_remove(struct bpfdev_profile *p)
{
	mutex_lock(&p->lock);
	if (p->enabled) {
		cdev_device_del(&p->cdev, &p->dev);
		put_device(&p->dev);
	}
	WRITE_ONCE(p->enabled, false);
	/* an open(2) after this is ENODEV; one before, revoked below */
	WRITE_ONCE(p->removed, true);
	mutex_unlock(&p->lock);
	bpfdev_profile_revoke(p);
}

/**
 * bpfdev_profiles_init() - the profiles' class and numbers, the
 *	administrator's interface, then /dev/bpf: last, for a file of the
 *	module must not be opened before it can no longer fail to load
 *
 * Return: 0, or an errno.
 */
int bpfdev_profiles_init(void)
{
	int ret;

	bpfdev_users_new(&bpfdev_default_profile.users);
	ret = alloc_chrdev_region(&profiles_devt, 0, BPFDEV_PROFILE_MINORS,
				  "bpfdev");
	if (ret)
		return ret;
	/*
	 * Minors from a random start: the major is usually the same after a
	 * reload, and a node made by mknod before it must not open the first
	 * profile enabled after it.
	 */
	idr_set_cursor(&profile_minors,
		       get_random_u32() & (BPFDEV_PROFILE_MINORS - 1));
	ret = class_register(&bpfdev_class);
	if (ret)
		goto out_region;
	ret = bpfdev_configfs_init();
	if (ret)
		goto out_class;
	ret = misc_register(&bpfdev_misc);
	if (!ret) {
		bpfdev_configfs_ready();
		return 0;
	}
	bpfdev_configfs_exit();
out_class:
	class_unregister(&bpfdev_class);
out_region:
	unregister_chrdev_region(profiles_devt, BPFDEV_PROFILE_MINORS);
	return ret;
}

/**
 * bpfdev_profiles_exit() - at unload: no profile but the default is left
 *	(each configfs item pins the module), and no file is open
 */
void bpfdev_profiles_exit(void)
{
	misc_deregister(&bpfdev_misc);
	bpfdev_configfs_exit();
	class_unregister(&bpfdev_class);
	unregister_chrdev_region(profiles_devt, BPFDEV_PROFILE_MINORS);
	idr_destroy(&profile_minors);
}
