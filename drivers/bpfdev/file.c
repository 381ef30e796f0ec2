// SPDX-License-Identifier: GPL-2.0
/*
 * The state of an open file of /dev/bpf or /dev/bpf-NAME: its profile, its
 * own grant, the revocation generations it was made in, and what it created.
 *
 * A file opened from a node has no grant of its own: the effective grant
 * is computed at every call as its profile's grant (the module parameters,
 * for /dev/bpf) intersected with the file's own grant, so a change by root
 * applies to open files at once, in either direction. BPFDEV_IOC_NARROW
 * makes a new file whose own grant is narrower; it keeps a reference to
 * the state it was narrowed from, so that what it creates counts against
 * every file up the chain, and a revocation of the original revokes it too.
 */
#include <linux/atomic.h>
#include <linux/bpf.h>
#include <linux/kref.h>
#include <linux/limits.h>
#include <linux/slab.h>

#include "bpfdev.h"
#include "testhooks.h"

/* Each file's id, shown in fdinfo and in its profile's listing */
static atomic64_t file_ids = ATOMIC64_INIT(0);

/**
 * bpfdev_fstate_new() - the state of a new file
 * @profile: the profile whose node is opened (ignored for a narrowing)
 * @parent: the state of the file it is narrowed from, or NULL for open(2)
 * @narrow: the grant to narrow with (ignored for open(2))
 *
 * The file is listed in its profile's files with who made it: the caller.
 *
 * Return: the state, or NULL without memory.
 */
struct bpfdev_fstate *bpfdev_fstate_new(struct bpfdev_profile *profile,
					struct bpfdev_fstate *parent,
					const struct bpfdev_grant *narrow)
{
	struct bpfdev_fstate *st = kzalloc(sizeof(*st), GFP_KERNEL_ACCOUNT);

	if (!st)
		return NULL;
	kref_init(&st->ref);
	spin_lock_init(&st->cred_lock);
	atomic_set(&st->progs, 0);
	atomic_set(&st->maps, 0);
	if (parent) {
		kref_get(&parent->ref);
		st->parent = parent;
		st->own = parent->own;
		bpfdev_grant_intersect(&st->own, narrow);
		st->profile = parent->profile;
		st->generation = parent->generation;
		st->profile_generation = parent->profile_generation;
		st->depth = parent->depth + 1;
		st->opener = parent->opener;
		st->opener_revocations = parent->opener_revocations;
	} else {
		/*
		 * A file opened from the node has no restriction of its
		 * own: it gets what its profile gives at each call, wider
		 * or narrower as root changes it.
		 */
		st->own.cmds = ~0ULL;
		st->own.progs = ~0ULL;
		st->own.maps = ~0ULL;
		st->own.attachs = ~0ULL;
		st->own.insns = ~0ULL;
		st->own.insn_max = U32_MAX;
		st->own.btf_max = U32_MAX;
		st->own.map_mem_max = U64_MAX;
		st->own.allow_seccomp = true;
		st->profile = profile;
		st->generation = bpfdev_generation();
		st->profile_generation = bpfdev_profile_generation(profile);
		st->opener = bpfdev_user_get(profile, bpfdev_host_uid());
		if (!st->opener) {
			kfree(st);
			return NULL;
		}
		st->opener_revocations = bpfdev_user_revocations(st->opener);
	}
	st->id = atomic64_inc_return(&file_ids);
	st->uid = current_uid();
	st->pid = task_tgid_nr(current);
	get_task_comm(st->comm, current);
	bpfdev_profile_get(st->profile);
	mutex_lock(&st->profile->files_lock);
	list_add_tail(&st->node, &st->profile->files);
	st->profile->nfiles++;
	mutex_unlock(&st->profile->files_lock);
	return st;
}

static void fstate_release(struct kref *ref)
{
	struct bpfdev_fstate *st = container_of(ref, struct bpfdev_fstate, ref);
	struct bpfdev_fstate *parent = st->parent;
	struct bpfdev_profile *profile = st->profile;

	mutex_lock(&profile->files_lock);
	list_del(&st->node);
	profile->nfiles--;
	mutex_unlock(&profile->files_lock);
	bpfdev_cred_cache_drop(st);
	kfree(st);
	if (parent)
		bpfdev_fstate_put(parent);
	bpfdev_profile_put(profile);
}

/**
 * bpfdev_fstate_put() - drop a reference to a file state
 * @st: the state
 */
void bpfdev_fstate_put(struct bpfdev_fstate *st)
{
	kref_put(&st->ref, fstate_release);
}

/**
 * bpfdev_fstate_revoked() - was every grant, or the file's profile, or the
 *	user who opened it, revoked (or the profile removed) since @st was
 *	made? A file a revoked user opened (read-only) is revoked from the
 *	start.
 * @st: the state
 */
bool bpfdev_fstate_revoked(const struct bpfdev_fstate *st)
{
	return st->generation != bpfdev_generation() ||
	       st->profile_generation !=
	       bpfdev_profile_generation(st->profile) ||
	       st->opener_revocations != bpfdev_user_revocations(st->opener) ||
	       (st->opener_revocations & 1);
}

/* One file's line of bpfdev_profile_files(), at @len of @buf */
static int fstate_print(const struct bpfdev_fstate *st, char *buf,
			size_t size, int len)
{
	const char *c;

	len += scnprintf(buf + len, size - len,
			 "id=%llu uid=%u pid=%d depth=%u revoked=%d progs=%d maps=%d comm=",
			 st->id, from_kuid_munged(&init_user_ns, st->uid),
			 st->pid, st->depth, bpfdev_fstate_revoked(st),
			 atomic_read(&st->progs), atomic_read(&st->maps));
	/* the command as it is, but what would break a line into words */
	for (c = st->comm; *c; c++)
		len += scnprintf(buf + len, size - len,
				 *c > ' ' && *c < 0x7f && *c != '\\' ?
				 "%c" : "\\x%02x", (unsigned char)*c);
	return len + scnprintf(buf + len, size - len, "\n");
}

/**
 * bpfdev_profile_files_size() - how long bpfdev_profile_files() may be
 * @p: the profile
 */
size_t bpfdev_profile_files_size(struct bpfdev_profile *p)
{
	size_t n;

	mutex_lock(&p->files_lock);
	n = p->nfiles;
	mutex_unlock(&p->files_lock);
	return n * BPFDEV_FILE_LINE_MAX;
}

/**
 * bpfdev_profile_files() - a profile's open files, a line each: who made
 *	it (uid, pid in the initial namespace, and comm, with \xHH for a
 *	byte that is blank, a backslash or not ASCII), how many narrowings
 *	from the node, whether revoked, and what it created
 * @p: the profile, which the caller holds
 * @buf: where
 * @size: its size
 *
 * Return: the length printed: the lines that fit, then "truncated" if not
 * all did.
 */
ssize_t bpfdev_profile_files(struct bpfdev_profile *p, char *buf,
			     size_t size)
{
	static const char more[] = "truncated\n";
	const struct bpfdev_fstate *st;
	size_t room = size - sizeof(more);
	int len = 0, start;
	bool cut = false;

	mutex_lock(&p->files_lock);
	list_for_each_entry(st, &p->files, node) {
		start = len;
		len = fstate_print(st, buf, room, len);
		if (len >= room - 1) {
			len = start;
			cut = true;
			break;
		}
	}
	mutex_unlock(&p->files_lock);
	if (cut)
		len += scnprintf(buf + len, size - len, "%s", more);
	return len;
}

/**
 * bpfdev_fstate_grant() - the grant a call through @st is checked against,
 *	under one copy of its profile's grant
 * @st: the state
 * @pg: the copy of the profile's grant the call is decided under
 * @grant: filled in: @pg's grant intersected with @st's own, and socket
 *	filters wherever any program type is delegated
 *
 * libbpf loads socket filters before any program of an object: the trivial
 * program whose failure ends the load ("Couldn't load trivial BPF
 * program"), and the probes of program names and global data. They are the
 * type any user could load while kernel.unprivileged_bpf_disabled was 0,
 * and they filter only the sockets of whoever attaches them.
 */
void bpfdev_fstate_grant(const struct bpfdev_fstate *st,
			 const struct bpfdev_profile_grant *pg,
			 struct bpfdev_grant *grant)
{
	*grant = pg->grant;
	bpfdev_grant_intersect(grant, &st->own);
	if (grant->progs)
		grant->progs |= BIT_ULL(BPF_PROG_TYPE_SOCKET_FILTER);
}

/**
 * bpfdev_fstate_effective() - bpfdev_fstate_grant() under its profile's
 *	grant now
 * @st: the state
 * @grant: filled in
 */
void bpfdev_fstate_effective(const struct bpfdev_fstate *st,
			     struct bpfdev_grant *grant)
{
	struct bpfdev_profile_grant pg;

	bpfdev_profile_grant(st->profile, &pg);
	bpfdev_fstate_grant(st, &pg, grant);
}

/* What @cmd creates counts in @st (and its parents) against its limit */
static atomic_t *fstate_counter(struct bpfdev_fstate *st, int cmd)
{
	return cmd == BPF_PROG_LOAD ? &st->progs : &st->maps;
}

static u32 fstate_limit(const struct bpfdev_fstate *st, int cmd,
			const struct bpfdev_profile_grant *pg)
{
	struct bpfdev_grant grant;

	bpfdev_fstate_grant(st, pg, &grant);
	return cmd == BPF_PROG_LOAD ? grant.progs_max : grant.maps_max;
}

/* Count one creation if @count is below @limit (0: no limit), atomically. */
static bool fstate_take(atomic_t *count, u32 limit)
{
	bool taken;

	if (bpfdev_test_count_after_check(count, limit, &taken))
		return taken;
	return bpfdev_count_take(count, limit);
}

/**
 * bpfdev_fstate_charge() - count a creation against @st and its parents
 * @st: the state
 * @cmd: BPF_PROG_LOAD or BPF_MAP_CREATE; other commands count nothing
 * @pg: the profile's grant, a copy
 * @hit: set to the limit reached, on -EDQUOT
 *
 * Charged before the call, refunded if it fails, so that concurrent calls
 * cannot overshoot a limit.
 *
 * Return: 0, or -EDQUOT if a file up the chain reached its limit.
 */
int bpfdev_fstate_charge(struct bpfdev_fstate *st, int cmd,
			 const struct bpfdev_profile_grant *pg,
			 struct bpfdev_count_limit *hit)
{
	struct bpfdev_fstate *s;
	u32 limit;

	if (cmd != BPF_PROG_LOAD && cmd != BPF_MAP_CREATE)
		return 0;
	for (s = st; s; s = s->parent) {
		limit = fstate_limit(s, cmd, pg);
		if (!fstate_take(fstate_counter(s, cmd), limit)) {
			hit->name = cmd == BPF_PROG_LOAD ? "progs_max" :
							   "maps_max";
			hit->max = limit;
			for (; st != s; st = st->parent)
				atomic_dec(fstate_counter(st, cmd));
			return -EDQUOT;
		}
	}
	return 0;
}

/**
 * bpfdev_fstate_within() - is what @st and its parents counted within limits?
 * @st: the file's state, @cmd already charged to it
 * @cmd: the command
 * @pg: the copy of the profile's grant of the final decision
 *
 * For the final decision: a limit root lowered after the charge applies.
 */
bool bpfdev_fstate_within(struct bpfdev_fstate *st, int cmd,
			  const struct bpfdev_profile_grant *pg)
{
	u32 limit;

	if (cmd != BPF_PROG_LOAD && cmd != BPF_MAP_CREATE)
		return true;
	if (bpfdev_test_skip_final_count())
		return true;
	for (; st; st = st->parent) {
		limit = fstate_limit(st, cmd, pg);
		if (limit && atomic_read(fstate_counter(st, cmd)) > limit)
			return false;
	}
	return true;
}

/**
 * bpfdev_fstate_refund() - undo bpfdev_fstate_charge() for a failed call
 * @st: the state
 * @cmd: the command charged
 */
void bpfdev_fstate_refund(struct bpfdev_fstate *st, int cmd)
{
	if (cmd != BPF_PROG_LOAD && cmd != BPF_MAP_CREATE)
		return;
	for (; st; st = st->parent)
		atomic_dec(fstate_counter(st, cmd));
}
