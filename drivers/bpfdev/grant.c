// SPDX-License-Identifier: GPL-2.0
/*
 * The default profile's grant (/dev/bpf): what members of its group may do.
 * The named profiles (profile.c) have grants of the same keys, written as
 * one text (bpfdev_grant_parse()); the module parameters are the default
 * profile's only, not a ceiling over the others.
 *
 * Four masks in the BPF token's vocabulary (delegate_cmds, delegate_progs,
 * delegate_maps, delegate_attachs), as module parameters: names joined by
 * ':', "any", or a number. They are readable by everyone, writable by root
 * at runtime under /sys/module/bpfdev/parameters/, and read at every call,
 * so a change applies at once to files that are already open.
 *
 * The defaults delegate what bpf(2) let any user do while
 * kernel.unprivileged_bpf_disabled was 0, plus the commands libbpf needs for
 * every object (BTF, and freezing .rodata on 6.1).
 *
 * A change of the grant, or a revocation, takes effect before the write
 * returns: every request makes its final decision and its call inside an
 * SRCU read section (sys_bpf.c), which takes no fault on caller memory, and
 * a write waits for the sections that began before it. A request parked on
 * a page fault is parked before its final decision, so the write does not
 * wait for it, and it is then decided under the new grant.
 */
#include <linux/bpf.h>
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/srcu.h>
#include <linux/sysfs.h>
#include <linux/atomic.h>
#include <linux/bitops.h>

#include "bpfdev.h"
#include "testhooks.h"

#define MASK_ANY	(~0ULL)

/* Read-held by each request's final decision and call (sys_bpf.c). */
DEFINE_SRCU(bpfdev_grant_srcu);

/**
 * bpfdev_grant_changed() - wait until no request decided under a grant
 *	that was just changed or revoked is still running
 */
void bpfdev_grant_changed(void)
{
	synchronize_srcu(&bpfdev_grant_srcu);
}

/* A parameter's setter returned @ret: if it changed the grant, wait. */
static int grant_set_done(int ret)
{
	if (!ret)
		bpfdev_grant_changed();
	return ret;
}

struct grant_param {
	const struct bpfdev_vocab *vocab;
	u64 mask;
};

/* The defaults, and why they are what they are: limits.h. */
static struct grant_param delegate_cmds = {
	.vocab = &bpfdev_vocab_cmds,
	.mask = BPFDEV_DEFAULT_CMDS,
};

static struct grant_param delegate_progs = {
	.vocab = &bpfdev_vocab_progs,
	.mask = BPFDEV_DEFAULT_PROGS,
};

static struct grant_param delegate_maps = {
	.vocab = &bpfdev_vocab_maps,
	.mask = BPFDEV_DEFAULT_MAPS,
};

static struct grant_param delegate_attachs = {
	.vocab = &bpfdev_vocab_attachs,
	.mask = BPFDEV_DEFAULT_ATTACHS,
};

static struct grant_param delegate_insns = {
	.vocab = &bpfdev_vocab_insns,
	.mask = BPFDEV_DEFAULT_INSNS,
};

static unsigned int insn_max = BPFDEV_DEFAULT_INSN_MAX;

/* A mask of @vocab from @val (@len bytes, no spaces around it) into @mask */
static int grant_mask_parse(const struct bpfdev_vocab *vocab, const char *val,
			    size_t len, u64 *mask)
{
	const char *p, *end = val + len;
	char buf[24];	/* a u64 in decimal (20 digits) or hex (18) */
	int v;

	*mask = 0;
	if (len == 3 && !strncmp(val, "any", 3)) {
		*mask = MASK_ANY;
		return 0;
	}
	if (len == 4 && !strncmp(val, "none", 4))
		return 0;
	if (len && isdigit(*val)) {
		if (len >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, val, len);
		buf[len] = '\0';
		return kstrtou64(buf, 0, mask) ? -EINVAL : 0;
	}
	/* names joined by ':', none of them empty */
	if (!len || end[-1] == ':')
		return -EINVAL;
	for (p = val; p < end; p = p + 1) {
		const char *sep = memchr(p, ':', end - p) ?: end;

		if (sep == p)
			return -EINVAL;
		v = bpfdev_vocab_lookup(vocab, p, sep - p);
		if (v < 0 || v >= 64) {
			pr_warn("bpfdev: unknown %s name '%.*s'\n",
				vocab->kind, (int)(sep - p), p);
			return -EINVAL;
		}
		*mask |= BIT_ULL(v);
		p = sep;
	}
	return 0;
}

static int grant_param_set(const char *val, const struct kernel_param *kp)
{
	struct grant_param *gp = kp->arg;
	const char *end;
	u64 mask;
	int ret;

	val = skip_spaces(val);
	end = val + strlen(val);
	while (end > val && isspace(end[-1]))
		end--;
	ret = grant_mask_parse(gp->vocab, val, end - val, &mask);
	if (ret)
		return ret;
	WRITE_ONCE(gp->mask, mask);
	bpfdev_grant_changed();
	return 0;
}

static int grant_mask_print(char *buf, size_t size, u64 mask,
			    const struct bpfdev_vocab *vocab)
{
	int len = 0;
	u32 v;

	if (mask == MASK_ANY)
		return scnprintf(buf, size, "any");
	if (!mask)
		return scnprintf(buf, size, "none");
	/* A bit the kernel has no name for is shown as the number. */
	if (vocab->count < 64 && (mask >> vocab->count))
		return scnprintf(buf, size, "0x%llx", mask);
	for (v = 0; v < vocab->count; v++)
		if (mask & BIT_ULL(v))
			len += scnprintf(buf + len, size - len, "%s%s",
					 len ? ":" : "", vocab->names[v]);
	return len;
}

static int grant_param_get(char *buf, const struct kernel_param *kp)
{
	const struct grant_param *gp = kp->arg;
	int len;

	len = grant_mask_print(buf, PAGE_SIZE - 1, READ_ONCE(gp->mask),
			       gp->vocab);
	buf[len++] = '\n';
	buf[len] = '\0';
	return len;
}

static const struct kernel_param_ops grant_param_ops = {
	.set = grant_param_set,
	.get = grant_param_get,
};

module_param_cb(delegate_cmds, &grant_param_ops, &delegate_cmds, 0644);
MODULE_PARM_DESC(delegate_cmds,
		 "bpf commands members may run (names joined by ':', any, none, or a number)");
module_param_cb(delegate_progs, &grant_param_ops, &delegate_progs, 0644);
MODULE_PARM_DESC(delegate_progs, "program types members may load");
module_param_cb(delegate_maps, &grant_param_ops, &delegate_maps, 0644);
MODULE_PARM_DESC(delegate_maps, "map types members may create");
module_param_cb(delegate_attachs, &grant_param_ops, &delegate_attachs, 0644);
MODULE_PARM_DESC(delegate_attachs,
		 "expected attach types members' programs may be loaded for");
module_param_cb(delegate_insns, &grant_param_ops, &delegate_insns, 0644);
MODULE_PARM_DESC(delegate_insns,
		 "what programs may use beyond unprivileged bpf(2): bpf_call, callback, kfunc_call, loop (default none)");

static int insn_max_set(const char *val, const struct kernel_param *kp)
{
	return grant_set_done(param_set_uint_minmax(val, kp, 1,
						    BPFDEV_INSN_MAX_LIMIT));
}

static const struct kernel_param_ops insn_max_ops = {
	.set = insn_max_set,
	.get = param_get_uint,
};

module_param_cb(insn_max, &insn_max_ops, &insn_max, 0644);
MODULE_PARM_DESC(insn_max,
		 "largest program members may load, in instructions (1..1000000, default 4096)");

static unsigned int btf_max = BPFDEV_DEFAULT_BTF_MAX;

static int btf_max_set(const char *val, const struct kernel_param *kp)
{
	return grant_set_done(param_set_uint_minmax(val, kp, 1,
						    BPFDEV_BTF_MAX_LIMIT));
}

static const struct kernel_param_ops btf_max_ops = {
	.set = btf_max_set,
	.get = param_get_uint,
};

module_param_cb(btf_max, &btf_max_ops, &btf_max, 0644);
MODULE_PARM_DESC(btf_max, "largest BTF members may load, in bytes (default 4 MiB)");

/* The other parameters: set as usual, then wait as the masks do. */
static int grant_set_ulong(const char *val, const struct kernel_param *kp)
{
	return grant_set_done(param_set_ulong(val, kp));
}

static const struct kernel_param_ops grant_ulong_ops = {
	.set = grant_set_ulong,
	.get = param_get_ulong,
};

static int grant_set_uint(const char *val, const struct kernel_param *kp)
{
	return grant_set_done(param_set_uint(val, kp));
}

static const struct kernel_param_ops grant_uint_ops = {
	.set = grant_set_uint,
	.get = param_get_uint,
};

static int grant_set_bool(const char *val, const struct kernel_param *kp)
{
	return grant_set_done(param_set_bool(val, kp));
}

static const struct kernel_param_ops grant_bool_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = grant_set_bool,
	.get = param_get_bool,
};

static unsigned long map_mem_max = BPFDEV_DEFAULT_MAP_MEM_MAX;
module_param_cb(map_mem_max, &grant_ulong_ops, &map_mem_max, 0644);
MODULE_PARM_DESC(map_mem_max,
		 "largest map members may create, in bytes of memory (default 64 MiB)");

/*
 * The limits have the names the INFO ioctl and fdinfo give them
 * (bpfdev(4)): progs_max and maps_max per file, loads_max and user_*_max
 * per user.
 */
static unsigned int progs_max = BPFDEV_DEFAULT_PROGS_MAX;
module_param_cb(progs_max, &grant_uint_ops, &progs_max, 0644);
MODULE_PARM_DESC(progs_max,
		 "programs one open file may create in its lifetime (0: no limit)");

static unsigned int maps_max = BPFDEV_DEFAULT_MAPS_MAX;
module_param_cb(maps_max, &grant_uint_ops, &maps_max, 0644);
MODULE_PARM_DESC(maps_max,
		 "maps one open file may create in its lifetime (0: no limit)");

static unsigned int loads_max = BPFDEV_DEFAULT_LOADS_MAX;
module_param_cb(loads_max, &grant_uint_ops, &loads_max, 0644);
MODULE_PARM_DESC(loads_max,
		 "program and BTF loads one user may run at once (0: no limit, default 4)");

static unsigned int user_progs_max = BPFDEV_DEFAULT_USER_PROGS_MAX;
module_param_cb(user_progs_max, &grant_uint_ops, &user_progs_max, 0644);
MODULE_PARM_DESC(user_progs_max,
		 "programs one user may create while the module is loaded (0: no limit)");

static unsigned int user_maps_max = BPFDEV_DEFAULT_USER_MAPS_MAX;
module_param_cb(user_maps_max, &grant_uint_ops, &user_maps_max, 0644);
MODULE_PARM_DESC(user_maps_max,
		 "maps one user may create while the module is loaded (0: no limit)");

/*
 * JIT images are not charged to a memory cgroup, and with CAP_BPF raised
 * not to the kernel's bpf_jit_limit either: a live budget per user
 * (users.c).
 */
static unsigned long user_jit_max = BPFDEV_DEFAULT_USER_JIT_MAX;
module_param_cb(user_jit_max, &grant_ulong_ops, &user_jit_max, 0644);
MODULE_PARM_DESC(user_jit_max,
		 "bytes of JIT images one user's live programs may take (0: no limit, default 16 MiB)");

/*
 * BTF is parsed into memory no cgroup is charged for, and outlives its fds
 * in the maps and programs that use it: a budget per user for the module's
 * lifetime (users.c), in bytes as the kernel allocates them.
 */
static unsigned long user_btf_max = BPFDEV_DEFAULT_USER_BTF_MAX;
module_param_cb(user_btf_max, &grant_ulong_ops, &user_btf_max, 0644);
MODULE_PARM_DESC(user_btf_max,
		 "bytes of BTF one user may load while the module is loaded (0: no limit, default 64 MiB)");

/*
 * The names these limits had before they took the INFO ioctl's, which
 * administrators' modprobe.d files use: still accepted at load time and in
 * sysfs, for the parameter of the new name, with a warning the first time
 * each is set.
 */
struct param_alias {
	const char *name;	/* the parameter's name now */
	const struct kernel_param_ops *ops;
	void *arg;
	unsigned long warned;	/* bit 0: the warning was given */
};

static int param_alias_set(const char *val, const struct kernel_param *kp)
{
	struct param_alias *alias = kp->arg;
	struct kernel_param real = *kp;

	if (!test_and_set_bit(0, &alias->warned))
		pr_warn("bpfdev: parameter %s is deprecated, use %s\n",
			kp->name, alias->name);
	real.arg = alias->arg;
	return alias->ops->set(val, &real);
}

static int param_alias_get(char *buf, const struct kernel_param *kp)
{
	const struct param_alias *alias = kp->arg;
	struct kernel_param real = *kp;

	real.arg = alias->arg;
	return alias->ops->get(buf, &real);
}

static const struct kernel_param_ops param_alias_ops = {
	.set = param_alias_set,
	.get = param_alias_get,
};

static struct param_alias file_progs_max = {
	.name = "progs_max", .ops = &grant_uint_ops, .arg = &progs_max,
};
module_param_cb(file_progs_max, &param_alias_ops, &file_progs_max, 0644);
MODULE_PARM_DESC(file_progs_max, "deprecated: progs_max");

static struct param_alias file_maps_max = {
	.name = "maps_max", .ops = &grant_uint_ops, .arg = &maps_max,
};
module_param_cb(file_maps_max, &param_alias_ops, &file_maps_max, 0644);
MODULE_PARM_DESC(file_maps_max, "deprecated: maps_max");

static struct param_alias user_loads_max = {
	.name = "loads_max", .ops = &grant_uint_ops, .arg = &loads_max,
};
module_param_cb(user_loads_max, &param_alias_ops, &user_loads_max, 0644);
MODULE_PARM_DESC(user_loads_max, "deprecated: loads_max");

/*
 * A seccomp filter that denies bpf(2) cannot be told from one that allows
 * it (bpfdev cannot run the filter), and the ioctl must not be a way around
 * such a sandbox: callers under any seccomp filter are refused unless root
 * says otherwise. no_new_privs alone restricts nothing bpf does.
 */
static bool allow_seccomp;
module_param_cb(allow_seccomp, &grant_bool_ops, &allow_seccomp, 0644);
MODULE_PARM_DESC(allow_seccomp,
		 "let callers under a seccomp filter use the device (default N)");

/*
 * Revocation: every file opened (or narrowed from one opened) before the
 * last write to "revoke" executes nothing more. Reading it gives how many
 * times grants were revoked.
 */
static atomic64_t generation = ATOMIC64_INIT(0);

/*
 * Before the write returns: no request that starts after it runs, and none
 * that decided before it is still running.
 */
static void revoke_apply(void)
{
	if (bpfdev_test_revoke_late(&generation))
		return;
	atomic64_inc(&generation);
	bpfdev_grant_changed();
}

static int revoke_set(const char *val, const struct kernel_param *kp)
{
	revoke_apply();
	pr_info("bpfdev: every open grant revoked (generation %lld)\n",
		(long long)atomic64_read(&generation));
	return 0;
}

static int revoke_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(&generation));
}

static const struct kernel_param_ops revoke_ops = {
	.set = revoke_set,
	.get = revoke_get,
};

module_param_cb(revoke, &revoke_ops, NULL, 0600);
MODULE_PARM_DESC(revoke,
		 "write anything to revoke every open grant; reads the revocation count");

/**
 * bpfdev_generation() - the revocation generation: grows at each revocation
 */
u64 bpfdev_generation(void)
{
	return atomic64_read(&generation);
}

/**
 * bpfdev_grant_params() - the grant the module parameters give
 * @pg: filled in (the default profile's grant)
 */
void bpfdev_grant_params(struct bpfdev_profile_grant *pg)
{
	struct bpfdev_grant *grant = &pg->grant;
	struct bpfdev_user_limits *limits = &pg->users;

	grant->cmds = READ_ONCE(delegate_cmds.mask);
	grant->progs = READ_ONCE(delegate_progs.mask);
	grant->maps = READ_ONCE(delegate_maps.mask);
	grant->attachs = READ_ONCE(delegate_attachs.mask);
	grant->insns = READ_ONCE(delegate_insns.mask);
	grant->insn_max = READ_ONCE(insn_max);
	grant->btf_max = READ_ONCE(btf_max);
	grant->map_mem_max = READ_ONCE(map_mem_max);
	grant->progs_max = READ_ONCE(progs_max);
	grant->maps_max = READ_ONCE(maps_max);
	grant->allow_seccomp = READ_ONCE(allow_seccomp);
	limits->loads_max = READ_ONCE(loads_max);
	limits->progs_max = READ_ONCE(user_progs_max);
	limits->maps_max = READ_ONCE(user_maps_max);
	limits->jit_max = READ_ONCE(user_jit_max);
	limits->btf_max = READ_ONCE(user_btf_max);
}

/**
 * bpfdev_grant_defaults() - the grant of a key that is not given: the
 *	module parameters' defaults (limits.h)
 * @pg: filled in
 */
void bpfdev_grant_defaults(struct bpfdev_profile_grant *pg)
{
	memset(pg, 0, sizeof(*pg));
	pg->grant.cmds = BPFDEV_DEFAULT_CMDS;
	pg->grant.progs = BPFDEV_DEFAULT_PROGS;
	pg->grant.maps = BPFDEV_DEFAULT_MAPS;
	pg->grant.attachs = BPFDEV_DEFAULT_ATTACHS;
	pg->grant.insns = BPFDEV_DEFAULT_INSNS;
	pg->grant.insn_max = BPFDEV_DEFAULT_INSN_MAX;
	pg->grant.btf_max = BPFDEV_DEFAULT_BTF_MAX;
	pg->grant.map_mem_max = BPFDEV_DEFAULT_MAP_MEM_MAX;
	pg->grant.progs_max = BPFDEV_DEFAULT_PROGS_MAX;
	pg->grant.maps_max = BPFDEV_DEFAULT_MAPS_MAX;
	pg->users.loads_max = BPFDEV_DEFAULT_LOADS_MAX;
	pg->users.progs_max = BPFDEV_DEFAULT_USER_PROGS_MAX;
	pg->users.maps_max = BPFDEV_DEFAULT_USER_MAPS_MAX;
	pg->users.jit_max = BPFDEV_DEFAULT_USER_JIT_MAX;
	pg->users.btf_max = BPFDEV_DEFAULT_USER_BTF_MAX;
}

/*
 * The grant as text: the module parameters' names and values, key=value,
 * for a profile's "grant" attribute (configfs.c).
 */
enum grant_key_type { KEY_MASK, KEY_U32, KEY_U64, KEY_BOOL };

struct grant_key {
	const char *name;
	enum grant_key_type type;
	size_t offset;				/* in bpfdev_profile_grant */
	const struct bpfdev_vocab *vocab;	/* KEY_MASK */
	u64 min, max;				/* KEY_U32, KEY_U64 */
};

#define PG_OFF(field)	offsetof(struct bpfdev_profile_grant, field)
#define KEY_MASK(n, f, v)	{ n, KEY_MASK, PG_OFF(f), v, 0, 0 }
#define KEY_NUM(n, t, f, lo, hi) { n, t, PG_OFF(f), NULL, lo, hi }

static const struct grant_key grant_keys[] = {
	KEY_MASK("delegate_cmds", grant.cmds, &bpfdev_vocab_cmds),
	KEY_MASK("delegate_progs", grant.progs, &bpfdev_vocab_progs),
	KEY_MASK("delegate_maps", grant.maps, &bpfdev_vocab_maps),
	KEY_MASK("delegate_attachs", grant.attachs, &bpfdev_vocab_attachs),
	KEY_MASK("delegate_insns", grant.insns, &bpfdev_vocab_insns),
	KEY_NUM("insn_max", KEY_U32, grant.insn_max, 1, BPFDEV_INSN_MAX_LIMIT),
	KEY_NUM("btf_max", KEY_U32, grant.btf_max, 1, BPFDEV_BTF_MAX_LIMIT),
	KEY_NUM("map_mem_max", KEY_U64, grant.map_mem_max, 0, U64_MAX),
	KEY_NUM("progs_max", KEY_U32, grant.progs_max, 0, U32_MAX),
	KEY_NUM("maps_max", KEY_U32, grant.maps_max, 0, U32_MAX),
	KEY_NUM("loads_max", KEY_U32, users.loads_max, 0, U32_MAX),
	KEY_NUM("user_progs_max", KEY_U32, users.progs_max, 0, U32_MAX),
	KEY_NUM("user_maps_max", KEY_U32, users.maps_max, 0, U32_MAX),
	KEY_NUM("user_jit_max", KEY_U64, users.jit_max, 0, U64_MAX),
	KEY_NUM("user_btf_max", KEY_U64, users.btf_max, 0, U64_MAX),
	KEY_NUM("allow_seccomp", KEY_BOOL, grant.allow_seccomp, 0, 1),
};

/* One key=value of a grant's text, @len bytes at @tok, into @pg. */
static int grant_key_parse(struct bpfdev_profile_grant *pg, const char *tok,
			   size_t len, unsigned long *seen)
{
	const char *eq = memchr(tok, '=', len);
	const struct grant_key *k;
	char num[24];
	size_t vlen;
	u64 v;
	int i;

	if (!eq)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(grant_keys); i++)
		if (strlen(grant_keys[i].name) == eq - tok &&
		    !strncmp(grant_keys[i].name, tok, eq - tok))
			break;
	/* a key that is not one, or one given twice: the text is wrong */
	if (i == ARRAY_SIZE(grant_keys) || test_and_set_bit(i, seen))
		return -EINVAL;
	k = &grant_keys[i];
	vlen = tok + len - (eq + 1);
	if (!vlen)
		return -EINVAL;
	if (k->type == KEY_MASK)
		return grant_mask_parse(k->vocab, eq + 1, vlen,
					(u64 *)((char *)pg + k->offset));
	if (vlen >= sizeof(num))
		return -EINVAL;
	memcpy(num, eq + 1, vlen);
	num[vlen] = '\0';
	if (k->type == KEY_BOOL) {
		bool b;

		if (kstrtobool(num, &b))
			return -EINVAL;
		*(bool *)((char *)pg + k->offset) = b;
		return 0;
	}
	if (kstrtou64(num, 0, &v) || v < k->min || v > k->max)
		return -EINVAL;
	if (k->type == KEY_U32)
		*(u32 *)((char *)pg + k->offset) = v;
	else
		*(u64 *)((char *)pg + k->offset) = v;
	return 0;
}

/**
 * bpfdev_grant_parse() - a whole grant from its text
 * @pg: filled in
 * @text: key=value pairs, the module parameters' names and values,
 *	separated by white space; a key not given has its default
 * @len: bytes of @text
 *
 * Return: 0, or -EINVAL for a key that is not one, one given twice, a
 * value the module parameter of the key would refuse, or a NUL in @text.
 */
int bpfdev_grant_parse(struct bpfdev_profile_grant *pg, const char *text,
		       size_t len)
{
	const char *p = text, *end = text + len, *tok;
	unsigned long seen = 0;
	int ret;

	BUILD_BUG_ON(ARRAY_SIZE(grant_keys) > BITS_PER_LONG);
	bpfdev_grant_defaults(pg);
	if (memchr(text, '\0', len))
		return -EINVAL;
	for (;;) {
		while (p < end && isspace(*p))
			p++;
		if (p == end)
			return 0;
		tok = p;
		while (p < end && !isspace(*p))
			p++;
		ret = grant_key_parse(pg, tok, p - tok, &seen);
		if (ret)
			return ret;
	}
}

/**
 * bpfdev_grant_print() - a whole grant as text, a key=value a line
 * @buf: where
 * @size: its size
 * @pg: the grant
 *
 * Return: the length printed.
 */
int bpfdev_grant_print(char *buf, size_t size,
		       const struct bpfdev_profile_grant *pg)
{
	const char *base = (const char *)pg;
	int i, len = 0;

	for (i = 0; i < ARRAY_SIZE(grant_keys); i++) {
		const struct grant_key *k = &grant_keys[i];
		const void *f = base + k->offset;

		len += scnprintf(buf + len, size - len, "%s=", k->name);
		if (k->type == KEY_MASK)
			len += grant_mask_print(buf + len, size - len,
						*(const u64 *)f, k->vocab);
		else if (k->type == KEY_U32)
			len += scnprintf(buf + len, size - len, "%u",
					 *(const u32 *)f);
		else if (k->type == KEY_U64)
			len += scnprintf(buf + len, size - len, "%llu",
					 *(const u64 *)f);
		else
			len += scnprintf(buf + len, size - len, "%c",
					 *(const bool *)f ? 'Y' : 'N');
		len += scnprintf(buf + len, size - len, "\n");
	}
	return len;
}

/* The smaller of two limits where 0 means none. */
static u32 limit_min(u32 a, u32 b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return min(a, b);
}

/**
 * bpfdev_grant_intersect() - narrow @dst to what @with also allows
 * @dst: the grant to narrow
 * @with: the other grant
 */
void bpfdev_grant_intersect(struct bpfdev_grant *dst,
			    const struct bpfdev_grant *with)
{
	dst->cmds &= with->cmds;
	dst->progs &= with->progs;
	dst->maps &= with->maps;
	dst->attachs &= with->attachs;
	dst->insns &= with->insns;
	dst->insn_max = min(dst->insn_max, with->insn_max);
	dst->btf_max = min(dst->btf_max, with->btf_max);
	dst->map_mem_max = min(dst->map_mem_max, with->map_mem_max);
	dst->progs_max = limit_min(dst->progs_max, with->progs_max);
	dst->maps_max = limit_min(dst->maps_max, with->maps_max);
	dst->allow_seccomp = dst->allow_seccomp && with->allow_seccomp;
}

static void grant_show_mask(struct seq_file *m, const char *key, u64 mask,
			    const struct bpfdev_vocab *vocab)
{
	char *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);

	if (!buf)
		return;
	grant_mask_print(buf, PAGE_SIZE, mask, vocab);
	seq_printf(m, "%s:\t%s\n", key, buf);
	kfree(buf);
}

/**
 * bpfdev_grant_show() - print @grant for /proc/<pid>/fdinfo
 * @m: the fdinfo file
 * @grant: what to print
 *
 * The keys are those of a BPF token's fdinfo; the values are names, as in
 * the module parameters, so that a user can read what the fd may do.
 */
void bpfdev_grant_show(struct seq_file *m, const struct bpfdev_grant *grant)
{
	grant_show_mask(m, "allowed_cmds", grant->cmds, &bpfdev_vocab_cmds);
	grant_show_mask(m, "allowed_maps", grant->maps, &bpfdev_vocab_maps);
	grant_show_mask(m, "allowed_progs", grant->progs, &bpfdev_vocab_progs);
	grant_show_mask(m, "allowed_attachs", grant->attachs,
			&bpfdev_vocab_attachs);
	grant_show_mask(m, "allowed_insns", grant->insns, &bpfdev_vocab_insns);
	seq_printf(m, "insn_max:\t%u\n", grant->insn_max);
	seq_printf(m, "btf_max:\t%u\n", grant->btf_max);
	seq_printf(m, "map_mem_max:\t%llu\n", grant->map_mem_max);
	seq_printf(m, "progs_max:\t%u\n", grant->progs_max);
	seq_printf(m, "maps_max:\t%u\n", grant->maps_max);
}
