// SPDX-License-Identifier: GPL-2.0
/*
 * The administrator's profiles, in configfs: the kernel's interface for
 * objects an administrator creates (nvmet's targets, USB gadgets).
 *
 *   mkdir /sys/kernel/config/bpfdev/NAME      a profile, no node yet
 *   NAME/grant     the whole grant, key=value separated by white space, in
 *                  the module parameters' names and values; a key not
 *                  written has its default. One write replaces the grant
 *                  whole: files see the old one or the new one, never a mix
 *   NAME/group     the node's group (a gid), default 0
 *   NAME/mode      the node's mode (octal permission bits), default 0600
 *   NAME/enable    1: make /dev/bpf-NAME, once; udev gives it group and mode
 *   NAME/revoke    write anything: the profile's open files execute nothing
 *                  more; reads how many times they were revoked
 *   rmdir NAME     the node goes, the profile's files are revoked
 *
 * Each profile pins the module (configfs holds a reference per item):
 * rmmod needs every profile removed first.
 */
#include <linux/configfs.h>
#include <linux/ctype.h>
#include <linux/cred.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "bpfdev.h"

struct profile_item {
	struct config_item item;
	struct bpfdev_profile *p;
};

static struct bpfdev_profile *item_profile(struct config_item *item)
{
	return container_of(item, struct profile_item, item)->p;
}

static ssize_t profile_grant_show(struct config_item *item, char *page)
{
	struct bpfdev_profile_grant pg;

	bpfdev_profile_grant(item_profile(item), &pg);
	return bpfdev_grant_print(page, PAGE_SIZE, &pg);
}

static ssize_t profile_grant_store(struct config_item *item,
				   const char *page, size_t count)
{
	struct bpfdev_profile_grant *pg;
	int ret;

	/*
	 * configfs hands a write over in pieces of a page less one byte, and
	 * each piece would be a whole grant: one that fills a piece may have
	 * been cut, and is refused.
	 */
	if (count >= PAGE_SIZE - 1)
		return -EFBIG;
	pg = kzalloc(sizeof(*pg), GFP_KERNEL);
	if (!pg)
		return -ENOMEM;
	ret = bpfdev_grant_parse(pg, page, count);
	if (ret) {
		kfree(pg);
		return ret;
	}
	bpfdev_profile_set_grant(item_profile(item), pg);
	return count;
}

static ssize_t profile_group_show(struct config_item *item, char *page)
{
	kgid_t gid = READ_ONCE(item_profile(item)->gid);

	return sysfs_emit(page, "%u\n", from_kgid_munged(current_user_ns(),
							 gid));
}

static ssize_t profile_group_store(struct config_item *item,
				   const char *page, size_t count)
{
	kgid_t gid;
	u32 v;

	if (kstrtou32(page, 10, &v))
		return -EINVAL;
	gid = make_kgid(current_user_ns(), v);
	if (!gid_valid(gid))
		return -EINVAL;
	return bpfdev_profile_set_owner(item_profile(item), &gid, NULL) ?:
	       count;
}

static ssize_t profile_mode_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%04o\n", READ_ONCE(item_profile(item)->mode));
}

static ssize_t profile_mode_store(struct config_item *item, const char *page,
				  size_t count)
{
	umode_t mode;
	u16 v;

	if (kstrtou16(page, 8, &v))
		return -EINVAL;
	mode = v;
	return bpfdev_profile_set_owner(item_profile(item), NULL, &mode) ?:
	       count;
}

static ssize_t profile_enable_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(item_profile(item)->enabled));
}

/* A node, once made, goes with its profile: disabling it is EBUSY. */
static ssize_t profile_enable_store(struct config_item *item,
				    const char *page, size_t count)
{
	struct bpfdev_profile *p = item_profile(item);
	bool on;

	if (kstrtobool(page, &on))
		return -EINVAL;
	if (!on)
		return READ_ONCE(p->enabled) ? -EBUSY : count;
	return bpfdev_profile_enable(p) ?: count;
}

static ssize_t profile_revoke_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%llu\n",
			  bpfdev_profile_generation(item_profile(item)));
}

static ssize_t profile_revoke_store(struct config_item *item,
				    const char *page, size_t count)
{
	struct bpfdev_profile *p = item_profile(item);

	bpfdev_profile_revoke(p);
	pr_info("bpfdev: profile %s revoked (generation %llu)\n", p->name,
		bpfdev_profile_generation(p));
	return count;
}

CONFIGFS_ATTR(profile_, grant);
CONFIGFS_ATTR(profile_, group);
CONFIGFS_ATTR(profile_, mode);
CONFIGFS_ATTR(profile_, enable);
CONFIGFS_ATTR(profile_, revoke);

static struct configfs_attribute *profile_attrs[] = {
	&profile_attr_grant,
	&profile_attr_group,
	&profile_attr_mode,
	&profile_attr_enable,
	&profile_attr_revoke,
	NULL,
};

static void profile_item_release(struct config_item *item)
{
	struct profile_item *pi = container_of(item, struct profile_item, item);

	bpfdev_profile_put(pi->p);
	kfree(pi);
}

static struct configfs_item_operations profile_item_ops = {
	.release = profile_item_release,
};

static const struct config_item_type profile_type = {
	.ct_item_ops	= &profile_item_ops,
	.ct_attrs	= profile_attrs,
	.ct_owner	= THIS_MODULE,
};

/*
 * A name for /dev/bpf-NAME: at most BPFDEV_PROFILE_NAME_MAX of [a-z0-9_-],
 * from a letter or digit, not "default". 0, -ENAMETOOLONG or -EINVAL.
 */
static int profile_name_check(const char *name)
{
	size_t len = strlen(name), i;

	if (len > BPFDEV_PROFILE_NAME_MAX)
		return -ENAMETOOLONG;
	if (!len || !isalnum(name[0]) || !strcmp(name, "default"))
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!(islower(name[i]) || isdigit(name[i]) ||
		      name[i] == '_' || name[i] == '-'))
			return -EINVAL;
	return 0;
}

/*
 * No profile before the module has finished loading: one that existed when
 * a later step of the load failed would outlive the module's code.
 */
static bool profiles_ready;

static struct config_item *profiles_make_item(struct config_group *group,
					      const char *name)
{
	struct profile_item *pi;
	int ret = profile_name_check(name);

	if (ret)
		return ERR_PTR(ret);
	/* pairs with bpfdev_configfs_ready(): what the load did is seen */
	if (!smp_load_acquire(&profiles_ready))
		return ERR_PTR(-EAGAIN);
	pi = kzalloc(sizeof(*pi), GFP_KERNEL);
	if (!pi)
		return ERR_PTR(-ENOMEM);
	pi->p = bpfdev_profile_new(name);
	if (!pi->p) {
		kfree(pi);
		return ERR_PTR(-ENOMEM);
	}
	config_item_init_type_name(&pi->item, name, &profile_type);
	return &pi->item;
}

static void profiles_drop_item(struct config_group *group,
			       struct config_item *item)
{
	bpfdev_profile_remove(item_profile(item));
	config_item_put(item);
}

static struct configfs_group_operations profiles_ops = {
	.make_item	= profiles_make_item,
	.drop_item	= profiles_drop_item,
};

static const struct config_item_type profiles_type = {
	.ct_group_ops	= &profiles_ops,
	.ct_owner	= THIS_MODULE,
};

static struct configfs_subsystem profiles = {
	.su_group = {
		.cg_item = {
			.ci_namebuf	= "bpfdev",
			.ci_type	= &profiles_type,
		},
	},
};

/**
 * bpfdev_configfs_init() - /sys/kernel/config/bpfdev
 *
 * Return: 0, or configfs' errno.
 */
int bpfdev_configfs_init(void)
{
	config_group_init(&profiles.su_group);
	mutex_init(&profiles.su_mutex);
	return configfs_register_subsystem(&profiles);
}

/**
 * bpfdev_configfs_ready() - the module is loaded: profiles may be made
 */
void bpfdev_configfs_ready(void)
{
	/* pairs with profiles_make_item(): after everything the load did */
	smp_store_release(&profiles_ready, true);
}

/**
 * bpfdev_configfs_exit() - at unload, when no profile is left
 */
void bpfdev_configfs_exit(void)
{
	configfs_unregister_subsystem(&profiles);
}
