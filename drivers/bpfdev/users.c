// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user limits, keyed by the uid of the caller (not of the opener: an fd
 * can be passed on), so that reopening /dev/bpf or handing fds around does
 * not reset them.
 *
 * Concurrent loads are counted while they run: the verifier can use a lot
 * of memory, and that is what the limit is for. Created programs and maps
 * are counted for the module's lifetime: bpfdev sees an object created, but
 * not its last fd closed, so a live count is not something it can keep.
 * The entries are a few bytes per user that ever called, freed at unload.
 */
#include <linux/atomic.h>
#include <linux/bpf.h>
#include <linux/hashtable.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "bpfdev.h"

struct bpfdev_user {
	struct hlist_node node;
	kuid_t uid;
	atomic_t loads;
	atomic_t progs;
	atomic_t maps;
};

static DEFINE_HASHTABLE(users, 6);
static DEFINE_SPINLOCK(users_lock);

static struct bpfdev_user *user_find(kuid_t uid)
{
	struct bpfdev_user *u;

	hash_for_each_possible_rcu(users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			return u;
	return NULL;
}

/**
 * bpfdev_user_find() - the accounting entry of @uid, if it has one
 * @uid: the caller's uid
 */
struct bpfdev_user *bpfdev_user_find(kuid_t uid)
{
	struct bpfdev_user *u;

	rcu_read_lock();
	u = user_find(uid);
	rcu_read_unlock();
	return u;
}

/**
 * bpfdev_user_get() - the accounting entry of @uid, made on first use
 * @uid: the caller's uid
 *
 * Entries live until the module is unloaded, so the pointer stays valid.
 *
 * Return: the entry, or NULL without memory.
 */
struct bpfdev_user *bpfdev_user_get(kuid_t uid)
{
	struct bpfdev_user *u, *new;

	rcu_read_lock();
	u = user_find(uid);
	rcu_read_unlock();
	if (u)
		return u;

	/* charged to the caller: entries are never freed before unload */
	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return NULL;
	new->uid = uid;
	spin_lock(&users_lock);
	u = user_find(uid);
	if (!u) {
		hash_add_rcu(users, &new->node, __kuid_val(uid));
		u = new;
		new = NULL;
	}
	spin_unlock(&users_lock);
	kfree(new);
	return u;
}

/* Take one of @limit (0: none) from @count, or -EDQUOT. */
static int user_take(atomic_t *count, u32 limit)
{
	if (atomic_inc_return(count) > limit && limit) {
		atomic_dec(count);
		return -EDQUOT;
	}
	return 0;
}

/**
 * bpfdev_user_begin() - account the start of @cmd for @user
 * @user: the caller's entry
 * @cmd: the command
 *
 * Return: 0, or -EDQUOT over a per-user limit.
 */
int bpfdev_user_begin(struct bpfdev_user *user, int cmd)
{
	struct bpfdev_user_limits lim;
	int err;

	bpfdev_user_limits(&lim);
	switch (cmd) {
	case BPF_PROG_LOAD:
		err = user_take(&user->progs, lim.progs_max);
		if (err)
			return err;
		err = user_take(&user->loads, lim.loads_max);
		if (err)
			atomic_dec(&user->progs);
		return err;
	case BPF_BTF_LOAD:
		return user_take(&user->loads, lim.loads_max);
	case BPF_MAP_CREATE:
		return user_take(&user->maps, lim.maps_max);
	default:
		return 0;
	}
}

/**
 * bpfdev_user_end() - account the end of @cmd for @user
 * @user: the caller's entry
 * @cmd: the command
 * @created: whether the call created its object
 */
void bpfdev_user_end(struct bpfdev_user *user, int cmd, bool created)
{
	switch (cmd) {
	case BPF_PROG_LOAD:
		atomic_dec(&user->loads);
		if (!created)
			atomic_dec(&user->progs);
		break;
	case BPF_BTF_LOAD:
		atomic_dec(&user->loads);
		break;
	case BPF_MAP_CREATE:
		if (!created)
			atomic_dec(&user->maps);
		break;
	default:
		break;
	}
}

/**
 * bpfdev_users_free() - free every entry, at module unload
 */
void bpfdev_users_free(void)
{
	struct bpfdev_user *u;
	struct hlist_node *tmp;
	int bkt;

	hash_for_each_safe(users, bkt, tmp, u, node) {
		hash_del(&u->node);
		kfree(u);
	}
}

/**
 * bpfdev_user_counts() - what @user created so far
 * @user: the entry
 * @progs: filled in
 * @maps: filled in
 */
void bpfdev_user_counts(struct bpfdev_user *user, u32 *progs, u32 *maps)
{
	*progs = atomic_read(&user->progs);
	*maps = atomic_read(&user->maps);
}
