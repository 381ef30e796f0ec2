// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user limits, keyed by the profile and the uid of the caller (not of
 * the opener: an fd can be passed on), so that reopening /dev/bpf or
 * handing fds around does not reset them. Each profile has its own table:
 * its limits, counts, budgets, registry and refusals are its users' own,
 * and go when the profile does. "The module's lifetime" below is the
 * profile's: /dev/bpf's lasts until unload, a named profile's until root
 * removes it and its last file is closed. A user of several profiles has
 * each one's budgets, and removing a profile forgets what its users'
 * programs and BTF still take: both are the administrator's choice.
 *
 * Concurrent loads are counted while they run: the verifier can use a lot
 * of memory, and that is what the limit is for. Created programs and maps
 * are counted for the module's lifetime: bpfdev sees an object created, but
 * not its last fd closed, so a live count is not something it can keep.
 * The entries are some 3.5 KB per user that ever called (its last refusals
 * are most of it), charged to its memory cgroup, freed with the profile
 * (for /dev/bpf, at unload).
 *
 * Two kinds of kernel memory are not charged to the caller's memory cgroup,
 * so each user has a budget of them:
 *
 * JIT images. Without CAP_BPF a load is charged against the kernel's
 * bpf_jit_limit; with it, as bpfdev raises it, nothing limits them. The
 * budget is live: a program a user created through bpfdev is entered in
 * the user's registry (objects.c), which holds a reference to it, so its
 * image exists exactly as long as its entry, and the registry counts the
 * images of the programs it holds. A load is checked against an estimate
 * of its image before it runs, and its reservation is settled after it:
 * given back when the program was entered (its entry counts its image),
 * or turned into a charge for the profile's lifetime at the worst an
 * image of that many instructions can take when it was not (no memory for
 * the entry, or another file put at the fd number before bpfdev looked):
 * the budget fails closed. The entries are charged to the memory cgroup.
 *
 * BTF. The kernel parses BTF into memory it does not account, and a map or
 * program keeps its BTF alive after every fd is closed. Nothing a module
 * can call tells whether a BTF object still exists, so this budget counts
 * what a user loaded since the module was loaded.
 *
 * Each entry also holds the user's audit bucket: the audit records its
 * requests may write (audit.c says why per user), and its requests counted
 * by outcome.
 *
 * Root revokes one user of a profile (configfs.c) without revoking the
 * others: the files that user opened, and the files narrowed from them,
 * whoever holds them now, execute nothing more, nor does any call the
 * user makes through any file of the profile, and the user's opens of the
 * node are EPERM, until root lifts it. Lifting it does not bring back the
 * files revoked. It lives in the user's entry: it lasts as long as the
 * profile (for /dev/bpf, until unload), and is not written anywhere else.
 */
#include <linux/atomic.h>
#include <linux/bpf.h>
#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/user_namespace.h>

#include "bpfdev.h"
#include "testhooks.h"

struct bpfdev_user {
	struct hlist_node node;
	struct bpfdev_profile *profile;	/* whose table it is in */
	kuid_t uid;
	atomic_t loads;
	atomic_t progs;
	atomic_t maps;
	struct mutex budget_lock;	/* the two budgets below */
	u64 jit_bytes;			/* reserved, and charged for life */
	u64 btf_bytes;			/* charged since the profile began */
	atomic64_t revocations;		/* odd while revoked */
	struct bpfdev_audit_bucket audit;
	struct bpfdev_counts counts;
	struct bpfdev_objects objects;
	struct bpfdev_refusal_ring refusals;
};

/**
 * bpfdev_users_new() - an empty table, for a new profile
 * @users: the table
 */
void bpfdev_users_new(struct bpfdev_users *users)
{
	spin_lock_init(&users->lock);
	hash_init(users->table);
	atomic_set(&users->count, 0);
}

static struct bpfdev_user *user_find(struct bpfdev_users *users, kuid_t uid)
{
	struct bpfdev_user *u;

	hash_for_each_possible_rcu(users->table, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			return u;
	return NULL;
}

/**
 * bpfdev_host_uid() - the user of the machine the caller is: its uid, or
 *	in a user namespace the host user who owns the namespace below the
 *	initial one, so that setuid() through a range of mapped ids neither
 *	makes entries nor escapes a revocation
 */
kuid_t bpfdev_host_uid(void)
{
	struct user_namespace *ns = current_user_ns();

	if (ns == &init_user_ns)
		return current_uid();
	while (ns->parent != &init_user_ns)
		ns = ns->parent;
	return ns->owner;
}

/**
 * bpfdev_user_find() - the accounting entry of @uid, if it has one
 * @p: the profile, which the caller holds
 * @uid: the caller's uid
 */
struct bpfdev_user *bpfdev_user_find(struct bpfdev_profile *p, kuid_t uid)
{
	struct bpfdev_user *u;

	rcu_read_lock();
	u = user_find(&p->users, uid);
	rcu_read_unlock();
	return u;
}

/**
 * bpfdev_user_get() - the accounting entry of @uid, made on first use
 * @p: the profile, which the caller holds
 * @uid: the caller's uid
 *
 * Entries live as long as their profile, so the pointer stays valid while
 * the caller holds it.
 *
 * Return: the entry, or NULL without memory.
 */
struct bpfdev_user *bpfdev_user_get(struct bpfdev_profile *p, kuid_t uid)
{
	struct bpfdev_users *users = &p->users;
	struct bpfdev_user *u, *new;

	rcu_read_lock();
	u = user_find(users, uid);
	rcu_read_unlock();
	if (u)
		return u;

	/* charged to the caller: entries live as long as the profile */
	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return NULL;
	new->profile = p;
	new->uid = uid;
	mutex_init(&new->budget_lock);
	spin_lock_init(&new->audit.lock);
	bpfdev_objects_init(&new->objects);
	bpfdev_refusals_init(&new->refusals);
	spin_lock(&users->lock);
	u = user_find(users, uid);
	if (!u) {
		hash_add_rcu(users->table, &new->node, __kuid_val(uid));
		atomic_inc(&users->count);
		u = new;
		new = NULL;
	}
	spin_unlock(&users->lock);
	kfree(new);
	return u;
}

/**
 * bpfdev_user_revocations() - grows at each revocation of @user, and when
 *	it is lifted: odd while @user is revoked
 * @user: the entry
 */
u64 bpfdev_user_revocations(struct bpfdev_user *user)
{
	return atomic64_read(&user->revocations);
}

/**
 * bpfdev_user_revoked() - is @user revoked now?
 * @user: the entry, or NULL for a caller without one
 */
bool bpfdev_user_revoked(struct bpfdev_user *user)
{
	return user && (bpfdev_user_revocations(user) & 1);
}

/**
 * bpfdev_user_revoke() - revoke one user of a profile, or lift it
 * @p: the profile
 * @uid: the user
 * @revoke: true to revoke, false to lift
 *
 * When it returns, no request of @uid, or through a file @uid opened, that
 * was decided before is still running (grant.c).
 *
 * Return: 0, or -ENOMEM for a user without an entry and no memory for one.
 */
int bpfdev_user_revoke(struct bpfdev_profile *p, kuid_t uid, bool revoke)
{
	struct bpfdev_user *u = bpfdev_user_get(p, uid);
	s64 v;

	if (!u)
		return -ENOMEM;
	do {
		v = atomic64_read(&u->revocations);
	} while ((v & 1) != revoke &&
		 atomic64_cmpxchg(&u->revocations, v, v + 1) != v);
	/* also when it was so already: a concurrent write may not be done */
	bpfdev_grant_changed();
	return 0;
}

/**
 * bpfdev_users_revoked() - the revoked users of @p, one uid per line
 * @p: the profile
 * @buf: where, a page
 * @size: its size
 *
 * Return: the length printed.
 */
ssize_t bpfdev_users_revoked(struct bpfdev_profile *p, char *buf,
			     size_t size)
{
	struct bpfdev_user *u;
	ssize_t len = 0;
	int bkt;

	rcu_read_lock();
	hash_for_each_rcu(p->users.table, bkt, u, node) {
		/* whole lines: a uid cut short would be another's */
		if (!bpfdev_user_revoked(u) || size - len < 12)
			continue;
		len += scnprintf(buf + len, size - len, "%u\n",
				 from_kuid_munged(&init_user_ns, u->uid));
	}
	rcu_read_unlock();
	return len;
}

/* What @user's JIT budget holds: reservations, lifetime charges, images */
static u64 user_jit(struct bpfdev_user *user)
{
	return READ_ONCE(user->jit_bytes) + bpfdev_objects_jit(&user->objects);
}

/* One user's line of bpfdev_users_print(), at @len of @buf */
static int user_print(struct bpfdev_user *u, char *buf, size_t size, int len)
{
	len += scnprintf(buf + len, size - len,
			 "uid=%u revoked=%d revocations=%llu loads=%d progs=%d maps=%d jit_bytes=%llu btf_bytes=%llu ",
			 from_kuid_munged(&init_user_ns, u->uid),
			 bpfdev_user_revoked(u), bpfdev_user_revocations(u),
			 atomic_read(&u->loads), atomic_read(&u->progs),
			 atomic_read(&u->maps),
			 /* a report: the budgets' lock may sleep, RCU not */
			 user_jit(u), data_race(u->btf_bytes));
	len += bpfdev_counts_print(buf + len, size - len, &u->counts, ' ');
	/* the last separator ends the line */
	if (len < size - 1)
		buf[len - 1] = '\n';
	return len;
}

/**
 * bpfdev_users_size() - how long bpfdev_users_print() may be
 * @p: the profile
 */
size_t bpfdev_users_size(struct bpfdev_profile *p)
{
	return (size_t)atomic_read(&p->users.count) * BPFDEV_USER_LINE_MAX;
}

/**
 * bpfdev_users_print() - a profile's users, a line each: "key=value"s
 * @p: the profile, which the caller holds
 * @buf: where
 * @size: its size
 *
 * Return: the length printed: the lines that fit, then "truncated" if not
 * all did.
 */
ssize_t bpfdev_users_print(struct bpfdev_profile *p, char *buf, size_t size)
{
	static const char more[] = "truncated\n";
	size_t room = size - sizeof(more);
	struct bpfdev_user *u;
	int bkt, len = 0, start;
	bool cut = false;

	rcu_read_lock();
	hash_for_each_rcu(p->users.table, bkt, u, node) {
		start = len;
		len = user_print(u, buf, room, len);
		if (len >= room - 1) {
			len = start;
			cut = true;
			break;
		}
	}
	rcu_read_unlock();
	if (cut)
		len += scnprintf(buf + len, size - len, "%s", more);
	return len;
}

/* Take one of @limit (0: none) from @count, or -EDQUOT naming @name. */
static int user_take(atomic_t *count, u32 limit, const char *name,
		     struct bpfdev_count_limit *hit)
{
	if (bpfdev_count_take(count, limit))
		return 0;
	hit->name = name;
	hit->max = limit;
	return -EDQUOT;
}

/**
 * bpfdev_user_begin() - account the start of @cmd for @user
 * @user: the caller's entry
 * @cmd: the command
 * @lim: the limits of @user's profile, a copy
 * @hit: set to the limit reached, on -EDQUOT
 *
 * Return: 0, or -EDQUOT over a per-user limit.
 */
int bpfdev_user_begin(struct bpfdev_user *user, int cmd,
		      const struct bpfdev_user_limits *lim,
		      struct bpfdev_count_limit *hit)
{
	int err;

	switch (cmd) {
	case BPF_PROG_LOAD:
		err = user_take(&user->progs, lim->progs_max, "user_progs_max",
				hit);
		if (err)
			return err;
		err = user_take(&user->loads, lim->loads_max, "loads_max", hit);
		if (err)
			atomic_dec(&user->progs);
		return err;
	case BPF_BTF_LOAD:
		return user_take(&user->loads, lim->loads_max, "loads_max", hit);
	case BPF_MAP_CREATE:
		return user_take(&user->maps, lim->maps_max, "user_maps_max",
				 hit);
	default:
		return 0;
	}
}

/* A count or budget within a limit (0: none) */
static bool within(u64 used, u64 limit)
{
	return !limit || used <= limit;
}

/* A load: the loads running, and the budget (JIT or BTF) it reserved in */
static bool load_within(struct bpfdev_user *user,
			const struct bpfdev_user_limits *lim, u64 used, u64 max)
{
	if (bpfdev_test_budget_unchecked())
		return true;
	return within(atomic_read(&user->loads), lim->loads_max) &&
	       within(used, max);
}

/**
 * bpfdev_user_within() - is what @user counted and reserved within limits?
 * @user: the caller's entry, @cmd already begun and its budget reserved
 * @cmd: the command
 * @lim: the limits of the final decision, from the copy of the profile's
 *	grant the rest of it is decided under
 *
 * A limit root lowered after the charge applies; so does one root raised,
 * with nothing from the grant before mixed in.
 */
bool bpfdev_user_within(struct bpfdev_user *user, int cmd,
			const struct bpfdev_user_limits *lim)
{
	switch (cmd) {
	case BPF_PROG_LOAD:
		return within(atomic_read(&user->progs), lim->progs_max) &&
		       load_within(user, lim, user_jit(user), lim->jit_max);
	case BPF_BTF_LOAD:
		return load_within(user, lim, READ_ONCE(user->btf_bytes),
				   lim->btf_max);
	case BPF_MAP_CREATE:
		return within(atomic_read(&user->maps), lim->maps_max);
	default:
		return true;
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
 * bpfdev_users_free() - free every entry of a profile's table, when no file
 *	of the profile is left (for /dev/bpf, at unload)
 * @users: the table
 */
void bpfdev_users_free(struct bpfdev_users *users)
{
	struct bpfdev_user *u;
	struct hlist_node *tmp;
	int bkt;

	hash_for_each_safe(users->table, bkt, tmp, u, node) {
		hash_del(&u->node);
		bpfdev_objects_free(&u->objects);
		mutex_destroy(&u->budget_lock);
		kfree(u);
	}
}

/**
 * bpfdev_user_audit_bucket() - the audit records @user may write
 * @user: the entry
 */
struct bpfdev_audit_bucket *bpfdev_user_audit_bucket(struct bpfdev_user *user)
{
	return &user->audit;
}

/**
 * bpfdev_user_refusals() - the last refusals of @user
 * @user: the entry
 */
struct bpfdev_refusal_ring *bpfdev_user_refusals(struct bpfdev_user *user)
{
	return &user->refusals;
}

/**
 * bpfdev_users_refusals() - call @fn on the refusals of @uid, or of every
 *	user for INVALID_UID, of one profile
 * @p: the profile, which the caller holds
 * @uid: the user
 * @fn: called under RCU: it may not sleep
 * @arg: its argument
 */
void bpfdev_users_refusals(struct bpfdev_profile *p, kuid_t uid,
			   void (*fn)(struct bpfdev_refusal_ring *, void *),
			   void *arg)
{
	struct bpfdev_user *u;
	int bkt;

	rcu_read_lock();
	if (uid_valid(uid)) {
		u = user_find(&p->users, uid);
		if (u)
			fn(&u->refusals, arg);
	} else {
		hash_for_each_rcu(p->users.table, bkt, u, node)
			fn(&u->refusals, arg);
	}
	rcu_read_unlock();
}

/**
 * bpfdev_user_objects() - the registry of what @user created
 * @user: the entry
 */
struct bpfdev_objects *bpfdev_user_objects(struct bpfdev_user *user)
{
	return &user->objects;
}

/**
 * bpfdev_user_counts_of() - @user's requests, by outcome
 * @user: the entry
 */
struct bpfdev_counts *bpfdev_user_counts_of(struct bpfdev_user *user)
{
	return &user->counts;
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

/**
 * bpfdev_user_jit_reserve() - reserve JIT memory for a program load
 * @user: the caller's entry
 * @bytes: the estimate of the image
 * @max: the budget (0: none)
 *
 * Return: 0, or -EDQUOT when even the programs still alive leave no room.
 */
int bpfdev_user_jit_reserve(struct bpfdev_user *user, u32 bytes, u64 max)
{
	int ret = 0;

	mutex_lock(&user->budget_lock);
	if (max && user_jit(user) + bytes > max) {
		/* the programs only the registry still holds go first */
		mutex_unlock(&user->budget_lock);
		bpfdev_objects_sweep(&user->objects);
		mutex_lock(&user->budget_lock);
	}
	if (max && user_jit(user) + bytes > max)
		ret = -EDQUOT;
	else
		user->jit_bytes += bytes;
	mutex_unlock(&user->budget_lock);
	return ret;
}

/**
 * bpfdev_user_jit_settle() - settle a load's reservation, after the load
 * @user: the caller's entry
 * @reserved: what bpfdev_user_jit_reserve() reserved
 * @for_life: what to charge for the profile's lifetime: 0 when the load
 *	failed or its program was entered in the registry (whose entry counts
 *	its image from then on), the worst its image could take when it was
 *	not
 */
void bpfdev_user_jit_settle(struct bpfdev_user *user, u32 reserved,
			    u32 for_life)
{
	mutex_lock(&user->budget_lock);
	user->jit_bytes += (u64)for_life - reserved;
	mutex_unlock(&user->budget_lock);
}

/**
 * bpfdev_user_btf_charge() - charge a BTF load
 * @user: the caller's entry
 * @bytes: the estimate of what the kernel will allocate
 * @max: the budget (0: none)
 *
 * Return: 0, or -EDQUOT.
 */
int bpfdev_user_btf_charge(struct bpfdev_user *user, u64 bytes, u64 max)
{
	int ret = 0;

	mutex_lock(&user->budget_lock);
	if (max && user->btf_bytes + bytes > max)
		ret = -EDQUOT;
	else
		user->btf_bytes += bytes;
	mutex_unlock(&user->budget_lock);
	return ret;
}

/**
 * bpfdev_user_btf_refund() - give back the charge of a BTF load that failed
 * @user: the caller's entry
 * @bytes: what bpfdev_user_btf_charge() charged
 */
void bpfdev_user_btf_refund(struct bpfdev_user *user, u64 bytes)
{
	mutex_lock(&user->budget_lock);
	user->btf_bytes -= bytes;
	mutex_unlock(&user->budget_lock);
}

/**
 * bpfdev_user_budgets() - what @user has charged to its budgets
 * @user: the entry
 * @jit: JIT memory of its live programs (swept first), its reservations
 *	and its lifetime charges
 * @btf: BTF memory loaded since the profile began
 */
void bpfdev_user_budgets(struct bpfdev_user *user, u64 *jit, u64 *btf)
{
	bpfdev_objects_sweep(&user->objects);
	mutex_lock(&user->budget_lock);
	*jit = user_jit(user);
	*btf = user->btf_bytes;
	mutex_unlock(&user->budget_lock);
}
