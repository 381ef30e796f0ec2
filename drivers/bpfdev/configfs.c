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
 *   NAME/revoke_user    write a uid: revoke that user only (users.c)
 *   NAME/unrevoke_user  write a uid: lift it
 *   NAME/revoked_users  the revoked users' uids, one per line
 *   NAME/stats     the profile's requests by outcome, "name=value" a line,
 *                  named as /sys/class/misc/bpf/stats/ names them
 *   NAME/users     a line per user who used the profile: its counts,
 *                  budgets, revocation and requests, "key=value"s
 *   NAME/files     a line per open file: who made it, when revoked, what
 *                  it created (file.c)
 *   rmdir NAME     the node goes, the profile's files are revoked
 *
 * default/ is /dev/bpf's profile: the same, but its grant is the module
 * parameters' (read-only here), its group and mode udev's static rule's,
 * and it cannot be removed. users, files and revoked_users are root's to
 * read: they say who uses BPF, and each open of a listing holds a buffer
 * as long as it (configfs keeps it until close), which no memory cgroup
 * is charged for.
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
	struct config_group group;
	struct bpfdev_profile *p;
};

static struct bpfdev_profile *item_profile(struct config_item *item)
{
	return container_of(to_config_group(item), struct profile_item,
			    group)->p;
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

/* A uid, as written to revoke_user and unrevoke_user */
static int profile_uid(const char *page, kuid_t *uid)
{
	u32 v;

	if (kstrtou32(page, 10, &v))
		return -EINVAL;
	*uid = make_kuid(current_user_ns(), v);
	return uid_valid(*uid) ? 0 : -EINVAL;
}

/* revoke_user and unrevoke_user: a uid */
static ssize_t profile_user_store(struct config_item *item, const char *page,
				  size_t count, bool revoke)
{
	struct bpfdev_profile *p = item_profile(item);
	kuid_t uid;
	int ret = profile_uid(page, &uid) ?:
		  bpfdev_user_revoke(p, uid, revoke);

	if (ret)
		return ret;
	pr_info("bpfdev: profile %s: user %u %s\n", p->name,
		from_kuid(&init_user_ns, uid),
		revoke ? "revoked" : "no longer revoked");
	return count;
}

static ssize_t profile_revoke_user_store(struct config_item *item,
					 const char *page, size_t count)
{
	return profile_user_store(item, page, count, true);
}

static ssize_t profile_unrevoke_user_store(struct config_item *item,
					   const char *page, size_t count)
{
	return profile_user_store(item, page, count, false);
}

static ssize_t profile_revoked_users_show(struct config_item *item,
					  char *page)
{
	return bpfdev_users_revoked(item_profile(item), page, PAGE_SIZE);
}

static ssize_t profile_stats_show(struct config_item *item, char *page)
{
	return bpfdev_counts_print(page, PAGE_SIZE,
				   &item_profile(item)->counts, '\n');
}

/*
 * A listing longer than a page, at most BPFDEV_LISTING_MAX: @size says how
 * long it may be, @print prints it. configfs asks for the length (@buf
 * NULL), then for that many bytes, all of which the reader gets: a listing
 * that changed in between is cut after a whole line, or ends in blank
 * lines.
 */
static ssize_t profile_text(struct bpfdev_profile *p, void *buf, size_t max,
			    size_t (*size)(struct bpfdev_profile *),
			    ssize_t (*print)(struct bpfdev_profile *, char *,
					     size_t))
{
	size_t room = min_t(size_t, size(p) + 64, BPFDEV_LISTING_MAX);
	char *text = kvmalloc(room, GFP_KERNEL);
	ssize_t len;

	if (!text)
		return -ENOMEM;
	len = print(p, text, room);
	if (len >= 0 && buf) {
		if (len > max) {
			/* the whole lines that fit */
			len = max;
			while (len > 0 && text[len - 1] != '\n')
				len--;
		}
		memcpy(buf, text, len);
		memset(buf + len, '\n', max - len);
		len = max;
	}
	kvfree(text);
	return len;
}

static ssize_t profile_users_read(struct config_item *item, void *buf,
				  size_t max)
{
	return profile_text(item_profile(item), buf, max, bpfdev_users_size,
			    bpfdev_users_print);
}

static ssize_t profile_files_read(struct config_item *item, void *buf,
				  size_t max)
{
	return profile_text(item_profile(item), buf, max,
			    bpfdev_profile_files_size, bpfdev_profile_files);
}

CONFIGFS_ATTR(profile_, grant);
CONFIGFS_ATTR(profile_, group);
CONFIGFS_ATTR(profile_, mode);
CONFIGFS_ATTR(profile_, enable);
CONFIGFS_ATTR(profile_, revoke);
CONFIGFS_ATTR_WO(profile_, revoke_user);
CONFIGFS_ATTR_WO(profile_, unrevoke_user);
CONFIGFS_ATTR_RO(profile_, stats);

/* Who uses the profile, and who was revoked: root's to read */
static struct configfs_attribute profile_attr_revoked_users = {
	.ca_name	= "revoked_users",
	.ca_mode	= 0400,
	.ca_owner	= THIS_MODULE,
	.show		= profile_revoked_users_show,
};

static struct configfs_bin_attribute profile_attr_users = {
	.cb_attr = {
		.ca_name	= "users",
		.ca_mode	= 0400,
		.ca_owner	= THIS_MODULE,
	},
	.cb_max_size	= BPFDEV_LISTING_MAX,
	.read		= profile_users_read,
};

static struct configfs_bin_attribute profile_attr_files = {
	.cb_attr = {
		.ca_name	= "files",
		.ca_mode	= 0400,
		.ca_owner	= THIS_MODULE,
	},
	.cb_max_size	= BPFDEV_LISTING_MAX,
	.read		= profile_files_read,
};

static struct configfs_attribute *profile_attrs[] = {
	&profile_attr_grant,
	&profile_attr_group,
	&profile_attr_mode,
	&profile_attr_enable,
	&profile_attr_revoke,
	&profile_attr_revoke_user,
	&profile_attr_unrevoke_user,
	&profile_attr_revoked_users,
	&profile_attr_stats,
	NULL,
};

static struct configfs_bin_attribute *profile_bin_attrs[] = {
	&profile_attr_users,
	&profile_attr_files,
	NULL,
};

static void profile_item_release(struct config_item *item)
{
	struct profile_item *pi = container_of(to_config_group(item),
					       struct profile_item, group);

	bpfdev_profile_put(pi->p);
	kfree(pi);
}

static struct configfs_item_operations profile_item_ops = {
	.release = profile_item_release,
};

static const struct config_item_type profile_type = {
	.ct_item_ops	= &profile_item_ops,
	.ct_attrs	= profile_attrs,
	.ct_bin_attrs	= profile_bin_attrs,
	.ct_owner	= THIS_MODULE,
};

/* default/: /dev/bpf, whose grant the module parameters are */
static ssize_t default_grant_show(struct config_item *item, char *page)
{
	return profile_grant_show(item, page);
}

CONFIGFS_ATTR_RO(default_, grant);

static struct configfs_attribute *default_attrs[] = {
	&default_attr_grant,
	&profile_attr_revoke,
	&profile_attr_revoke_user,
	&profile_attr_unrevoke_user,
	&profile_attr_revoked_users,
	&profile_attr_stats,
	NULL,
};

static const struct config_item_type default_type = {
	.ct_attrs	= default_attrs,
	.ct_bin_attrs	= profile_bin_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct profile_item default_item = {
	.p = &bpfdev_default_profile,
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

static struct config_group *profiles_make_group(struct config_group *group,
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
	config_group_init_type_name(&pi->group, name, &profile_type);
	return &pi->group;
}

static void profiles_drop_item(struct config_group *group,
			       struct config_item *item)
{
	bpfdev_profile_remove(item_profile(item));
	config_item_put(item);
}

static struct configfs_group_operations profiles_ops = {
	.make_group	= profiles_make_group,
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
	config_group_init_type_name(&default_item.group, "default",
				    &default_type);
	configfs_add_default_group(&default_item.group, &profiles.su_group);
	return configfs_register_subsystem(&profiles);
}

/**
 * bpfdev_configfs_ready() - the module is loaded: profiles may be made
 */
void bpfdev_configfs_ready(void)
{
	/* pairs with profiles_make_group(): after everything the load did */
	smp_store_release(&profiles_ready, true);
}

/**
 * bpfdev_configfs_exit() - at unload, when no profile is left
 */
void bpfdev_configfs_exit(void)
{
	configfs_unregister_subsystem(&profiles);
}
