/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfdev internals. The request path, one file per step:
 *
 *   main.c     the device, its files, ioctl dispatch, fdinfo
 *   sys_bpf.c  one delegated command: snapshot -> policy -> execute
 *   request.c  the snapshot: the caller's request copied once, rebuilt into
 *              the attr the kernel will consume, pointers into kernel copies
 *   policy.c   the decision, made on the snapshot only
 *   insns.c    what a program's instructions contain: one pass
 *   creds.c    the capabilities a command needs, raised for that call only
 *   freeze.c   BPF_MAP_FREEZE on the object that was checked (freeze_61.c
 *              before 6.5, where bpfdev freezes the map itself)
 *   cgroup.c   cgroup attach, only to a cgroup the caller may write
 *   attach.c   BPF_PROG_ATTACH/DETACH of cgroup_skb, as links bpfdev holds
 *   file.c     an open file's own grant, narrowing, revocation, counts
 *   profile.c  the grants and their nodes: /dev/bpf and /dev/bpf-NAME
 *   configfs.c the administrator's profiles, under /sys/kernel/config
 *   users.c    per-user limits, keyed by profile and the caller's uid
 *   objects.c  the registry: what each user created, listed and reopened
 *   audit.c    what happened: audit records and counters
 *   refusals.c why a request was refused, kept for its user to read
 *   grant.c    the default profile's grant: module parameters; the
 *              grant's text form, shared with configfs.c
 *   vocab.c    the names of commands and types in the grant
 *
 * and the facts they share, each kept once:
 *
 *   limits.h          every limit and parameter default
 *   deny_reasons.h    why a request is refused (enum, audit, counters)
 *   executed_cmds.h   BPFDEV_CMDS_EXECUTED by name (the counters)
 *   compat.h          what differs between kernels, by feature
 *   testhooks.h       where the test-only broken build (broken.c) puts
 *                     the races back; empty in the module
 */
#ifndef _BPFDEV_H
#define _BPFDEV_H

#include <linux/atomic.h>
#include <linux/bpf.h>
#include <linux/kref.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/xarray.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/list.h>
#include <linux/hashtable.h>
#include <linux/cdev.h>
#include <linux/device.h>

#include <linux/bpfdev.h>

#include "limits.h"

struct attribute_group;
struct cred;
struct file;
struct seq_file;

/* vocab.c */
struct bpfdev_vocab {
	const char *kind;
	const char * const *names;
	u32 count;	/* the running kernel's __MAX_BPF_* */
};

extern const struct bpfdev_vocab bpfdev_vocab_cmds;
extern const struct bpfdev_vocab bpfdev_vocab_progs;
extern const struct bpfdev_vocab bpfdev_vocab_maps;
extern const struct bpfdev_vocab bpfdev_vocab_attachs;
extern const struct bpfdev_vocab bpfdev_vocab_insns;

/* delegate_insns: the uapi's BPFDEV_INSN_* bits (insns.c) */
#define BPFDEV_INSN_MAX		(BPFDEV_INSN_LOOP + 1)

const char *bpfdev_vocab_name(const struct bpfdev_vocab *vocab, u32 v);
int bpfdev_vocab_lookup(const struct bpfdev_vocab *vocab, const char *name,
			size_t len);

/* grant.c */
/**
 * struct bpfdev_grant - what a file may do: masks and limits
 * @cmds: bit per enum bpf_cmd
 * @progs: bit per enum bpf_prog_type
 * @maps: bit per enum bpf_map_type
 * @attachs: bit per enum bpf_attach_type
 * @insns: bit per BPFDEV_INSN_*
 * @insn_max: largest program, in instructions
 * @btf_max: largest BTF, in bytes
 * @map_mem_max: largest map, in bytes of memory
 * @progs_max: programs a file may create in its lifetime, 0 for no limit
 * @maps_max: maps a file may create in its lifetime, 0 for no limit
 * @allow_seccomp: callers under a seccomp filter may use it
 */
struct bpfdev_grant {
	u64 cmds;
	u64 progs;
	u64 maps;
	u64 attachs;
	u64 insns;
	u32 insn_max;
	u32 btf_max;
	u64 map_mem_max;
	u32 progs_max;
	u32 maps_max;
	bool allow_seccomp;
};

/* The per-user limits, also module parameters; 0 for no limit. */
struct bpfdev_user_limits {
	u32 loads_max;	/* concurrent program and BTF loads */
	u32 progs_max;	/* programs created since the module was loaded */
	u32 maps_max;	/* maps created since the module was loaded */
	u64 jit_max;	/* bytes of JIT images of live programs */
	u64 btf_max;	/* bytes of BTF loaded since the module was loaded */
};

/**
 * struct bpfdev_profile_grant - everything a profile delegates, as one
 * @grant: what its files may do
 * @users: the limits of each user of the profile
 * @rcu: a profile's grant is replaced whole and freed after a grace period
 */
struct bpfdev_profile_grant {
	struct bpfdev_grant grant;
	struct bpfdev_user_limits users;
	struct rcu_head rcu;
};

void bpfdev_grant_params(struct bpfdev_profile_grant *pg);
void bpfdev_grant_defaults(struct bpfdev_profile_grant *pg);
int bpfdev_grant_parse(struct bpfdev_profile_grant *pg, const char *text,
		       size_t len);
int bpfdev_grant_print(char *buf, size_t size,
		       const struct bpfdev_profile_grant *pg);
void bpfdev_grant_intersect(struct bpfdev_grant *dst,
			    const struct bpfdev_grant *with);
void bpfdev_grant_show(struct seq_file *m, const struct bpfdev_grant *grant);
u64 bpfdev_generation(void);
extern struct srcu_struct bpfdev_grant_srcu;
void bpfdev_grant_changed(void);

/* The commands bpfdev executes, each a counter (executed_cmds.h) */
#define BPFDEV_CMD(CMD)	BPFDEV_COUNTED_##CMD,

enum bpfdev_counted_cmd {
#include "executed_cmds.h"
	BPFDEV_COUNTED_CMDS,
};

#undef BPFDEV_CMD

/* Why a request was refused: deny_reasons.h. */
#define BPFDEV_DENY(NAME)	BPFDEV_DENY_##NAME,

enum bpfdev_deny {
	BPFDEV_DENY_NONE,
#include "deny_reasons.h"
	BPFDEV_DENY_MAX,
};

#undef BPFDEV_DENY

/**
 * struct bpfdev_counts - requests, by outcome (audit.c)
 * @executed: per command executed_cmds.h lists, bpf(2) succeeded
 * @failed: per such command, bpf(2) failed
 * @denied: per reason, bpfdev refused
 */
struct bpfdev_counts {
	atomic_long_t executed[BPFDEV_COUNTED_CMDS];
	atomic_long_t failed[BPFDEV_COUNTED_CMDS];
	atomic_long_t denied[BPFDEV_DENY_MAX];
};

/* users.c: a profile's users, by uid */
struct bpfdev_users {
	spinlock_t lock;		/* writers of @table */
	DECLARE_HASHTABLE(table, 6);	/* struct bpfdev_user, RCU */
	atomic_t count;			/* entries in @table */
};

/* profile.c */
#define BPFDEV_PROFILE_NAME_MAX	32

/**
 * struct bpfdev_profile - a grant and the node that hands it out
 * @ref: held by its files and by its configfs item, which outlives its
 *	node
 * @name: "default" for /dev/bpf, else NAME of /dev/bpf-NAME
 * @grant: the grant (RCU); NULL for the default profile, whose grant is
 *	the module parameters
 * @generation: grows at each revocation of the profile, and at its removal
 * @lock: serialises the administrator's writes (@grant, @gid, @mode,
 *	@enabled, @removed) and open(2) with removal
 * @gid: the node's group
 * @mode: the node's mode
 * @enabled: its node is registered
 * @failed: registering its node failed: it will have none
 * @removed: it was removed: its files execute nothing more
 * @users: its per-user limits and counters (users.c)
 * @counts: its requests, by outcome
 * @files_lock: protects @files and @nfiles
 * @files: the states of its open files (struct bpfdev_fstate), for root's
 *	listing (configfs.c)
 * @nfiles: how many
 * @dev: its node's device (a named profile's), holding a reference
 * @cdev: its node's char device
 */
struct bpfdev_profile {
	struct kref ref;
	char name[BPFDEV_PROFILE_NAME_MAX + 1];
	struct bpfdev_profile_grant __rcu *grant;
	atomic64_t generation;
	struct mutex lock;
	kgid_t gid;
	umode_t mode;
	bool enabled;
	bool failed;
	bool removed;
	struct bpfdev_users users;
	struct bpfdev_counts counts;
	struct mutex files_lock;
	struct list_head files;
	unsigned int nfiles;
	struct device dev;
	struct cdev cdev;
};

extern struct bpfdev_profile bpfdev_default_profile;
extern const struct file_operations bpfdev_fops;

void bpfdev_profile_get(struct bpfdev_profile *p);
void bpfdev_profile_put(struct bpfdev_profile *p);
struct bpfdev_profile *bpfdev_profile_of(struct inode *inode);
struct bpfdev_fstate *bpfdev_profile_open(struct bpfdev_profile *p,
					  bool writable);
void bpfdev_profile_grant(struct bpfdev_profile *p,
			  struct bpfdev_profile_grant *out);
u64 bpfdev_profile_generation(struct bpfdev_profile *p);
struct bpfdev_profile *bpfdev_profile_new(const char *name);
void bpfdev_profile_set_grant(struct bpfdev_profile *p,
			      struct bpfdev_profile_grant *pg);
int bpfdev_profile_set_owner(struct bpfdev_profile *p, const kgid_t *gid,
			     const umode_t *mode);
int bpfdev_profile_enable(struct bpfdev_profile *p);
void bpfdev_profile_revoke(struct bpfdev_profile *p);
size_t bpfdev_profile_files_size(struct bpfdev_profile *p);
ssize_t bpfdev_profile_files(struct bpfdev_profile *p, char *buf,
			     size_t size);
void bpfdev_profile_remove(struct bpfdev_profile *p);
int bpfdev_profiles_init(void);
void bpfdev_profiles_exit(void);

/* configfs.c */
int bpfdev_configfs_init(void);
void bpfdev_configfs_ready(void);
void bpfdev_configfs_exit(void);

/* file.c: the state of an open file, shared with the files narrowed from it */

/**
 * struct bpfdev_fstate - the state of an open file (file.c)
 * @ref: held by the file and by files narrowed from it
 * @node: in its profile's list of files
 * @id: unique while the module is loaded, shown in fdinfo and the listing
 * @uid: who opened (or narrowed) it, in the initial namespaces ...
 * @pid: ... the thread group ...
 * @comm: ... and its command
 * @opener: the entry of the user who opened the node (its host user,
 *	bpfdev_host_uid(), users.c), whose revocation revokes the file and
 *	every file narrowed from it
 * @opener_revocations: that user's revocation count when it was opened
 * @parent: the state this one was narrowed from, or NULL
 * @profile: the profile whose node it was opened from (a reference)
 * @own: the file's own grant
 * @generation: the revocation generation it was made in
 * @profile_generation: its profile's revocation generation then
 * @depth: how many narrowings away from a file opened from the node
 * @progs: programs created through it and its narrowed files
 * @maps: maps created through it and its narrowed files
 * @cred_lock: protects the credential cache (creds.c)
 * @cred_base: the caller's credentials the cache was made from (a ref)
 * @cred_caps: the capability set of each cached credential
 * @cred: the caller's credentials with those capabilities raised
 * @cred_lent: a bit per @cred lent to one call alone (creds.c)
 */
struct bpfdev_fstate {
	struct kref ref;
	struct list_head node;
	u64 id;
	kuid_t uid;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	struct bpfdev_user *opener;
	u64 opener_revocations;
	struct bpfdev_fstate *parent;
	struct bpfdev_profile *profile;
	struct bpfdev_grant own;
	u64 generation;
	u64 profile_generation;
	u32 depth;
	atomic_t progs;
	atomic_t maps;
	spinlock_t cred_lock;
	const struct cred *cred_base;
	u64 cred_caps[BPFDEV_CRED_CACHE];
	const struct cred *cred[BPFDEV_CRED_CACHE];
	unsigned long cred_lent;
};

struct bpfdev_fstate *bpfdev_fstate_new(struct bpfdev_profile *profile,
					struct bpfdev_fstate *parent,
					const struct bpfdev_grant *narrow);
void bpfdev_fstate_put(struct bpfdev_fstate *st);
bool bpfdev_fstate_revoked(const struct bpfdev_fstate *st);
void bpfdev_fstate_grant(const struct bpfdev_fstate *st,
			 const struct bpfdev_profile_grant *pg,
			 struct bpfdev_grant *grant);
void bpfdev_fstate_effective(const struct bpfdev_fstate *st,
			     struct bpfdev_grant *grant);
/* A count limit that refused a request: its parameter's name and value */
struct bpfdev_count_limit {
	const char *name;
	u32 max;
};

int bpfdev_fstate_charge(struct bpfdev_fstate *st, int cmd,
			 const struct bpfdev_profile_grant *pg,
			 struct bpfdev_count_limit *hit);
bool bpfdev_fstate_within(struct bpfdev_fstate *st, int cmd,
			  const struct bpfdev_profile_grant *pg);
void bpfdev_fstate_refund(struct bpfdev_fstate *st, int cmd);

/**
 * struct bpfdev_audit_bucket - how many audit records a user may write now
 * @lock: protects the fields below
 * @stamp: when @credit was last brought up to date (ktime_get_ns())
 * @credit: the time's worth of records that may be written, in ns, at most
 *	a second (all zero: a full bucket)
 * @suppressed: records not written since the last one that was
 */
struct bpfdev_audit_bucket {
	spinlock_t lock;
	u64 stamp;
	u64 credit;
	u64 suppressed;
};

/* objects.c: the maps, programs and BTF a user created through bpfdev */
struct bpfdev_request;

#define BPFDEV_OBJ_KINDS	3	/* maps, programs, BTF */
#define BPFDEV_OBJ_BTF_USERS	2	/* maps and programs have BTF */

/**
 * struct bpfdev_objects - a user's registry (objects.c)
 * @node: in the list of registries that have entries, for the sweep
 * @lock: protects @ids and @btf_of
 * @ids: per kind, the objects by ID, each holding a reference (a BTF
 *	object's file, for BTF)
 * @btf_of: for maps and programs, by ID, the file of the registered BTF
 *	the object was created with, holding a reference
 * @jit_bytes: what the JIT images of the programs in @ids take
 */
struct bpfdev_objects {
	struct list_head node;
	struct mutex lock;
	struct xarray ids[BPFDEV_OBJ_KINDS];
	struct xarray btf_of[BPFDEV_OBJ_BTF_USERS];
	u64 jit_bytes;
};

bool bpfdev_objects_cmd(u32 cmd);
int bpfdev_objects_check(void);
bool bpfdev_objects_made(u32 cmd);
bool bpfdev_objects_listing(u32 cmd);
u32 bpfdev_objects_maker(u32 cmd);
void bpfdev_objects_init(struct bpfdev_objects *reg);
bool bpfdev_objects_add(struct bpfdev_objects *reg,
			const struct bpfdev_request *req, int fd,
			const struct cred *cred);
u64 bpfdev_objects_jit(struct bpfdev_objects *reg);
void bpfdev_objects_sweep(struct bpfdev_objects *reg);
int bpfdev_objects_next_id(struct bpfdev_objects *reg, int cmd,
			   const struct bpfdev_grant *grant, u32 start,
			   u32 *next);
int bpfdev_objects_get_fd(struct bpfdev_objects *reg, int cmd,
			  const struct bpfdev_grant *grant, u32 id,
			  u32 open_flags);
void bpfdev_objects_stop(void);
void bpfdev_objects_free(struct bpfdev_objects *reg);

/* users.c: per-user accounting, by the caller's uid */
struct bpfdev_user;

struct bpfdev_objects *bpfdev_user_objects(struct bpfdev_user *user);

kuid_t bpfdev_host_uid(void);
struct bpfdev_user *bpfdev_user_get(struct bpfdev_profile *p, kuid_t uid);
struct bpfdev_user *bpfdev_user_find(struct bpfdev_profile *p, kuid_t uid);
int bpfdev_user_begin(struct bpfdev_user *user, int cmd,
		      const struct bpfdev_user_limits *lim,
		      struct bpfdev_count_limit *hit);
void bpfdev_user_end(struct bpfdev_user *user, int cmd, bool created);
void bpfdev_user_counts(struct bpfdev_user *user, u32 *progs, u32 *maps);
int bpfdev_user_jit_reserve(struct bpfdev_user *user, u32 bytes, u64 max);
void bpfdev_user_jit_settle(struct bpfdev_user *user, u32 reserved,
			    u32 for_life);
void bpfdev_users_new(struct bpfdev_users *users);
bool bpfdev_user_within(struct bpfdev_user *user, int cmd,
			const struct bpfdev_user_limits *lim);
int bpfdev_user_btf_charge(struct bpfdev_user *user, u64 bytes, u64 max);
void bpfdev_user_btf_refund(struct bpfdev_user *user, u64 bytes);
void bpfdev_user_budgets(struct bpfdev_user *user, u64 *jit, u64 *btf);
void bpfdev_users_free(struct bpfdev_users *users);
struct bpfdev_audit_bucket *bpfdev_user_audit_bucket(struct bpfdev_user *user);
struct bpfdev_counts *bpfdev_user_counts_of(struct bpfdev_user *user);
u64 bpfdev_user_revocations(struct bpfdev_user *user);
bool bpfdev_user_revoked(struct bpfdev_user *user);
int bpfdev_user_revoke(struct bpfdev_profile *p, kuid_t uid, bool revoke);
size_t bpfdev_users_size(struct bpfdev_profile *p);
ssize_t bpfdev_users_print(struct bpfdev_profile *p, char *buf, size_t size);
ssize_t bpfdev_users_revoked(struct bpfdev_profile *p, char *buf,
			     size_t size);

/* refusals.c: each user's last refusals (BPFDEV_IOC_REFUSALS) */
struct bpfdev_refusal_ring {
	spinlock_t lock;
	u32 next, used;
	struct bpfdev_refusal r[BPFDEV_REFUSALS_KEPT];
};

void bpfdev_refusals_init(struct bpfdev_refusal_ring *ring);
void bpfdev_refusals_add(struct bpfdev_refusal_ring *ring,
			 struct bpfdev_refusal *r);
long bpfdev_refusals_read(struct bpfdev_profile *p, void __user *arg);
struct bpfdev_refusal_ring *bpfdev_user_refusals(struct bpfdev_user *user);
void bpfdev_users_refusals(struct bpfdev_profile *p, kuid_t uid,
			   void (*fn)(struct bpfdev_refusal_ring *, void *),
			   void *arg);

/**
 * bpfdev_count_take() - count one against a limit, atomically
 * @count: what is counted (a file's creations, a user's loads, ...)
 * @limit: the most @count may reach; 0 for no limit
 *
 * Counted before it is checked, so that concurrent callers cannot overshoot.
 *
 * Return: true if counted, false (and @count unchanged) at the limit.
 */
static inline bool bpfdev_count_take(atomic_t *count, u32 limit)
{
	if (atomic_inc_return(count) > limit && limit) {
		atomic_dec(count);
		return false;
	}
	return true;
}

static inline bool bpfdev_mask_has(u64 mask, u32 bit)
{
	return bit < 64 && (mask & BIT_ULL(bit));
}

/* request.c */
/* The caller's input pointers and record sizes, as it gave them. */
struct bpfdev_request_inputs {
	u64 insns;
	u64 license;
	u64 fd_array;
	u64 func_info;
	u64 line_info;
	u64 core_relos;
	u64 btf;
	u32 func_info_rec_size;
	u32 line_info_rec_size;
	u32 core_relo_rec_size;
};

/* insns.c: what one pass over a program's instructions found */
struct bpfdev_insns {
	u64 found;		/* bit per BPFDEV_INSN_*, less loops */
	u32 fd_array_len;	/* entries of fd_array the verifier may read */
	bool backward;		/* a jump to itself or an earlier instruction */
	bool ksym;		/* ldimm64 of a kernel symbol, kernel BTF */
	bool ksym_user_btf;	/* ldimm64 of a kernel symbol, caller's BTF */
};

void bpfdev_insns_init(void);
int bpfdev_insns_scan(const struct bpf_insn *insn, u32 cnt,
		      struct bpfdev_insns *out);
int bpfdev_insns_have_loop(const struct bpf_insn *insn, u32 cnt);

/**
 * struct bpfdev_request - one bpf command, as the kernel will consume it
 * @cmd: the command, read once from the caller's request; -1 before
 * @deny: why the request was refused, if it was
 * @usize: the caller's attr size (bounds the write-backs)
 * @uattr: the caller's attr, written to only for bpf(2)'s write-backs
 * @st: the state of the file the request came through
 * @user: the caller's entry in @st's profile, once sys_bpf.c looked it up
 * @pg: the profile's grant when the request was read: what it is decided
 *	and counted under before the final decision (one copy for all of
 *	those steps; the final decision takes a copy of its own)
 * @in: the caller's input pointers, read once by bpfdev_request_copy_inputs()
 * @insns: what the program's instructions contain (BPF_PROG_LOAD)
 * @attr: the attr handed to kern_sys_bpf(): built from the fields @cmd
 *	uses; every pointer the kernel dereferences as a kernel pointer points
 *	at a buffer below, the log buffers stay the caller's
 * @license: the kernel copy of a program's license
 * @bufs: kernel copies of the other inputs, freed by bpfdev_request_free()
 * @nbufs: how many of @bufs are in use
 * @small: kernel copies of small inputs (a short program, its fd_array),
 *	which then cost no allocation and nothing to free
 * @small_used: bytes of @small in use, a multiple of 8
 */
struct bpfdev_request {
	int cmd;
	enum bpfdev_deny deny;
	const char *limit_name;		/* a limit that refused it, if known */
	u64 limit, limit_value;
	u32 usize;
	union bpf_attr __user *uattr;
	struct bpfdev_fstate *st;
	struct bpfdev_user *user;
	struct bpfdev_profile_grant pg;
	u64 after;			/* creds.c: a program load's start */
	u64 map_mem;			/* a map creation's, bpfdev_map_mem() */
	struct bpfdev_request_inputs in;
	struct bpfdev_insns insns;
	union bpf_attr attr;
	char license[BPFDEV_LICENSE_LEN];
	void *bufs[BPFDEV_MAX_BUFS];
	unsigned int nbufs;
	u64 small[BPFDEV_SMALL_INPUTS / sizeof(u64)];
	size_t small_used;
};

int bpfdev_request_snapshot(struct bpfdev_request *req, u32 cmd,
			    u64 uattr, u32 usize);
int bpfdev_request_copy_inputs(struct bpfdev_request *req);
int bpfdev_request_prepare_writeback(const struct bpfdev_request *req);
void bpfdev_request_writeback(const struct bpfdev_request *req);
void bpfdev_request_free(struct bpfdev_request *req);

/* policy.c */
int bpfdev_policy_check(struct bpfdev_request *req,
			const struct bpfdev_grant *grant);
int bpfdev_policy_limits(struct bpfdev_request *req,
			 const struct bpfdev_grant *grant);
int bpfdev_policy_insns(struct bpfdev_request *req,
			const struct bpfdev_grant *grant);
int bpfdev_policy_lookup(struct bpfdev_request *req,
			 const struct bpfdev_grant *grant);
bool bpfdev_cmd_executable(u32 cmd);
/* a program loaded for no particular attach type */
#define BPFDEV_ATTACH_NONE	(-1)
int bpfdev_prog_attach_type(u32 type, u32 eat);

static inline int bpfdev_deny(struct bpfdev_request *req,
			      enum bpfdev_deny why, int err)
{
	req->deny = why;
	return err;
}

/* A refusal by a limit: which, and what the request would have taken */
static inline int bpfdev_deny_limit(struct bpfdev_request *req,
				    enum bpfdev_deny why, int err,
				    const char *name, u64 limit, u64 value)
{
	req->limit_name = name;
	req->limit = limit;
	req->limit_value = value;
	return bpfdev_deny(req, why, err);
}

/* mapmem.c */
u64 bpfdev_map_mem(const union bpf_attr *k);

/* audit.c */
int bpfdev_stats_init(void);
int bpfdev_counts_print(char *buf, size_t size,
			const struct bpfdev_counts *c, char sep);
void bpfdev_audit_request(const struct bpfdev_request *req, int ret);
extern const struct attribute_group *bpfdev_stats_groups[];

/* creds.c */
u64 bpfdev_caps_needed(const struct bpfdev_request *req);
bool bpfdev_prog_type_reads_kernel(u32 type);
int bpfdev_call_with_caps(struct bpfdev_request *req, u64 caps,
			  const struct cred **own);
int bpfdev_call_cmd_with_caps(struct bpfdev_request *req, int cmd,
			      union bpf_attr *attr, u64 caps);
void bpfdev_call_done(struct bpfdev_request *req, const struct cred *own);
void bpfdev_cred_cache_drop(struct bpfdev_fstate *st);

/* cgroup.c */
bool bpfdev_is_cgroup_attach(u32 attach_type);
int bpfdev_cgroup_dir(int fd, u64 *id);
int bpfdev_cgroup_attach_check(struct bpfdev_request *req, int target_fd,
			       u32 attach_type, u64 *id);
int bpfdev_cgroup_attach(struct bpfdev_request *req);

/* attach.c */
int bpfdev_prog_attach(struct bpfdev_request *req);
int bpfdev_prog_detach(struct bpfdev_request *req);
void bpfdev_attachments_release(void);

/* freeze.c */
int bpfdev_map_freeze(struct bpfdev_request *req);

/* sys_bpf.c */
long bpfdev_sys_bpf(struct file *file, void __user *arg);

#endif /* _BPFDEV_H */
