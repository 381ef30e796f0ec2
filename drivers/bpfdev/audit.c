// SPDX-License-Identifier: GPL-2.0
/*
 * What happened: an audit record for requests that reach the
 * delegated-command ioctl, and counters in sysfs that count every one.
 *
 * The syscall record of such a request is an ioctl(2), so audit rules on
 * bpf(2) never see it: this record is the trace. One policy decides which
 * requests are written, in this order:
 *
 * - A refusal is recorded (the way the kernel records an LSM denial, audit
 *   daemon or not). A request bpfdev let through (res=ok or failed) is
 *   recorded while auditing is enabled (an audit daemon enabled it, or
 *   audit=1), the rule the kernel applies to its own BPF records in
 *   bpf_audit_prog(), and not at all with audit_denials_only=Y.
 *
 * - Each user (the caller's uid, as users.c keys its limits) may write
 *   audit_rate records a second (default 20; 0: no limit), from a bucket
 *   that holds a second's worth. Per user, not per file: files are free to
 *   open and narrow, so a per-file budget would be as large as a user
 *   likes; not one for all users, which one user's flood would empty for
 *   everyone. Without the limit, any holder of an fd, even a read-only one,
 *   could have the kernel format records as fast as it can call: into
 *   kauditd's fallback to the kernel log, or into the audit backlog, where
 *   other processes' records (sshd's, sudo's) would then wait for room.
 *   What the bucket holds back is counted: the user's next record that is
 *   written carries suppressed=N, and stats/audit_suppressed counts them
 *   all. The counters below count every request, written or not.
 *
 * - The record is an event of its own, logged without the caller's syscall
 *   context: with it, audit would also write the ioctl's SYSCALL, PROCTITLE
 *   and EOE records (taking a record's serial from the context marks the
 *   syscall auditable), four records a request where one says it all; pid,
 *   uid, auid, ses and comm are in the record.
 *
 * - Nothing waits: the record is allocated GFP_NOWAIT, and audit_log_start()
 *   waits on a full backlog (up to backlog_wait_time, 60 s by default) only
 *   for allocations that may block. A full backlog drops the record, which
 *   audit counts as lost (and panics for, if the administrator set the
 *   failure mode to panic, as for any lost record).
 *
 * Its format (type AUDIT_KERNEL_OTHER, 1316), one line, key=value:
 *
 *   bpfdev op=prog_load prog_type=socket_filter attach_type=none
 *     map_type=none res=denied reason=prog_type errno=1 pid=120 uid=1000
 *     auid=4294967295 ses=4294967295 comm="loader" suppressed=37 profile=default
 *
 * op is the bpf command ("unknown" if the request was not readable), the
 * type fields are names or "none", res is ok, failed (the kernel refused a
 * request bpfdev accepted) or denied (bpfdev refused it, reason says why),
 * errno is positive or 0, comm is quoted, or hex when it holds characters
 * that could be mistaken for the record's own syntax. suppressed, only when
 * not 0, is how many of this user's records the rate limit held back since
 * its last record that was written. profile is the name of the profile the
 * file was opened from (profile.c), "default" for /dev/bpf. The rate, the
 * bucket and the refusals kept are per profile and user, as users.c keys
 * its entries.
 *
 * Counters, under /sys/class/misc/bpf/stats/: executed_<cmd> (bpf(2)
 * returned success), failed_<cmd>, denied_<reason>, and audit_suppressed,
 * for the requests of every profile. The same, but audit_suppressed, are
 * counted per profile and per user of each profile (configfs.c shows them).
 */
#include <linux/atomic.h>
#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/cred.h>
#include <linux/device.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/string_helpers.h>
#include <linux/sysfs.h>
#include <linux/user_namespace.h>

#include "bpfdev.h"

/* The counter slots: the commands bpfdev executes, in executed_cmds.h. */
struct cmd_slot {
	u32 cmd;
	const char *name;
};

#define BPFDEV_CMD(CMD)	{ .cmd = BPF_##CMD, .name = #CMD },

static const struct cmd_slot slots[] = {
#include "executed_cmds.h"
};

#undef BPFDEV_CMD
#define SLOT_MAX	ARRAY_SIZE(slots)
static_assert(SLOT_MAX == BPFDEV_COUNTED_CMDS);

#define BPFDEV_DENY(NAME) \
	[BPFDEV_DENY_##NAME] = #NAME,

static const char * const deny_upper[BPFDEV_DENY_MAX] = {
	[BPFDEV_DENY_NONE] = "NONE",
#include "deny_reasons.h"
};

#undef BPFDEV_DENY

/* The reasons as records and counters name them: lower case (stats_init) */
static char deny_names[BPFDEV_DENY_MAX][24];

static struct bpfdev_counts counts;	/* of every profile */
static atomic_long_t audit_suppressed;

static unsigned int audit_rate = BPFDEV_DEFAULT_AUDIT_RATE;

static int audit_rate_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 0, BPFDEV_AUDIT_RATE_LIMIT);
}

static const struct kernel_param_ops audit_rate_ops = {
	.set = audit_rate_set,
	.get = param_get_uint,
};

module_param_cb(audit_rate, &audit_rate_ops, &audit_rate, 0644);
MODULE_PARM_DESC(audit_rate,
		 "audit records one user's requests may write per second, a second's worth at once (0: no limit, default 20)");

static bool audit_denials_only;
module_param(audit_denials_only, bool, 0644);
MODULE_PARM_DESC(audit_denials_only,
		 "audit refused requests only, not those that ran (default N)");

/* The bucket of callers without a user entry (no memory for one) */
static struct bpfdev_audit_bucket audit_fallback = {
	.lock = __SPIN_LOCK_UNLOCKED(audit_fallback.lock),
};

static int cmd_slot(int cmd)
{
	unsigned int slot;

	for (slot = 0; slot < SLOT_MAX; slot++)
		if (slots[slot].cmd == cmd)
			return slot;
	return -1;
}

static const char *name_or_none(const char *name)
{
	return name ?: "none";
}

/*
 * A record's text, built here and logged as one "%s": vsnprintf() costs
 * about 400 instructions a conversion and a record has fourteen, where
 * copying a field costs a few dozen (docs/bench.md). 512 holds the
 * longest record (about 380 characters: names of up to 30, comm in hex,
 * six numbers, a profile name of 32); a longer one would lose fields,
 * never overrun.
 */
struct record_text {
	char buf[512];
	unsigned int len;
};

/* Append @n characters of @s, as many as fit with the terminating NUL */
static void text_put(struct record_text *t, const char *s, size_t n)
{
	n = min_t(size_t, n, sizeof(t->buf) - 1 - t->len);
	memcpy(t->buf + t->len, s, n);
	t->len += n;
}

/* A literal: its length known when compiled, copied by a few moves */
#define text_lit(t, s)							\
	do {								\
		struct record_text *t_ = (t);				\
									\
		if (t_->len + sizeof("" s "") - 1 < sizeof(t_->buf)) {	\
			memcpy(t_->buf + t_->len, s, sizeof(s) - 1);	\
			t_->len += sizeof(s) - 1;			\
		}							\
	} while (0)

static void text_add(struct record_text *t, const char *s)
{
	text_put(t, s, strlen(s));
}

/* Digits of a 64-bit number by 32-bit divisions, once it fits in 32 bits */
static void text_num(struct record_text *t, u64 v)
{
	char digits[20], *d = digits + sizeof(digits);
	u32 low;

	while (v > U32_MAX)
		*--d = '0' + do_div(v, 10);
	low = v;
	do {
		*--d = '0' + low % 10;
		low /= 10;
	} while (low);
	text_put(t, d, digits + sizeof(digits) - d);
}

/* Quoted, or in hex if it holds what could pass for the record's syntax */
static void text_comm(struct record_text *t, const char *comm)
{
	const char *c;

	for (c = comm; *c; c++)
		if (*c <= ' ' || *c == '"' || *c >= 0x7f)
			break;
	if (!*c) {
		text_lit(t, " comm=\"");
		text_put(t, comm, c - comm);
		text_lit(t, "\"");
		return;
	}
	text_lit(t, " comm=");
	for (c = comm; *c && t->len + 2 < sizeof(t->buf); c++)
		t->len = hex_byte_pack_upper(t->buf + t->len, *c) - t->buf;
}

/*
 * The caller's bucket: its user's, or for a caller in a user namespace
 * (refused, but recorded) the bucket of the host user who owns the
 * namespace below the initial one, so that setuid() through a range of
 * mapped ids neither buys records nor adds entries.
 */
static struct bpfdev_audit_bucket *
audit_bucket(const struct bpfdev_request *req)
{
	struct bpfdev_user *user = bpfdev_user_get(req->st->profile,
						   bpfdev_host_uid());

	return user ? bpfdev_user_audit_bucket(user) : &audit_fallback;
}

/*
 * Take a record's worth (a second / @rate) from @b, refilled first with the
 * time since it last was, up to a second's worth. Return: whether the
 * record may be written; if not, it is counted as suppressed.
 */
static bool audit_bucket_take(struct bpfdev_audit_bucket *b, u32 rate)
{
	u64 now, cost = NSEC_PER_SEC / rate;
	bool ok;

	spin_lock(&b->lock);
	/* read under the lock: a stamp later than now would refill it all */
	now = ktime_get_ns();
	b->credit = min_t(u64, b->credit + (now - b->stamp), NSEC_PER_SEC);
	b->stamp = now;
	ok = b->credit >= cost;
	if (ok)
		b->credit -= cost;
	else
		b->suppressed++;
	spin_unlock(&b->lock);
	if (!ok)
		atomic_long_inc(&audit_suppressed);
	return ok;
}

/* What @b suppressed since its last record, for the record being written */
static u64 audit_bucket_collect(struct bpfdev_audit_bucket *b)
{
	u64 n;

	spin_lock(&b->lock);
	n = b->suppressed;
	b->suppressed = 0;
	spin_unlock(&b->lock);
	return n;
}

/* The names of a request's types, NULL for none (or a malformed request) */
struct request_types {
	const char *prog, *attach, *map;
};

static void request_types(const struct bpfdev_request *req,
			  struct request_types *t)
{
	const union bpf_attr *k = &req->attr;

	memset(t, 0, sizeof(*t));
	if (req->deny == BPFDEV_DENY_MALFORMED)
		return;
	if (req->cmd == BPF_PROG_LOAD) {
		int type = bpfdev_prog_attach_type(k->prog_type,
						   k->expected_attach_type);

		t->prog = bpfdev_vocab_name(&bpfdev_vocab_progs, k->prog_type);
		if (type != BPFDEV_ATTACH_NONE)
			t->attach = bpfdev_vocab_name(&bpfdev_vocab_attachs,
						      type);
	}
	if (req->cmd == BPF_MAP_CREATE)
		t->map = bpfdev_vocab_name(&bpfdev_vocab_maps, k->map_type);
	if (req->cmd == BPF_LINK_CREATE)
		t->attach = bpfdev_vocab_name(&bpfdev_vocab_attachs,
					      k->link_create.attach_type);
	if (req->cmd == BPF_PROG_ATTACH || req->cmd == BPF_PROG_DETACH)
		t->attach = bpfdev_vocab_name(&bpfdev_vocab_attachs,
					      k->attach_type);
}

/*
 * Keep a refusal for its user to read (refusals.c), in @user, the caller's
 * entry. None for a caller in a user namespace: it is refused whatever it
 * asks (reason userns), and its uids are not users of the machine to keep
 * an entry for.
 */
static void refusal_keep(const struct bpfdev_request *req, int ret,
			 struct bpfdev_user *user)
{
	struct bpfdev_refusal r;
	struct request_types t;

	request_types(req, &t);
	memset(&r, 0, sizeof(r));
	r.uid = from_kuid(&init_user_ns, current_uid());
	r.pid = task_tgid_vnr(current);
	r.cmd = req->cmd;
	r.err = ret < 0 ? -ret : 0;
	r.limit = req->limit;
	r.value = req->limit_value;
	get_task_comm(r.comm, current);
	strscpy(r.op, req->cmd >= 0 ?
		name_or_none(bpfdev_vocab_name(&bpfdev_vocab_cmds, req->cmd)) :
		"unknown", sizeof(r.op));
	strscpy(r.reason, deny_names[req->deny], sizeof(r.reason));
	strscpy(r.prog_type, t.prog ?: "", sizeof(r.prog_type));
	strscpy(r.attach_type, t.attach ?: "", sizeof(r.attach_type));
	strscpy(r.map_type, t.map ?: "", sizeof(r.map_type));
	strscpy(r.limit_name, req->limit_name ?: "", sizeof(r.limit_name));
	bpfdev_refusals_add(bpfdev_user_refusals(user), &r);
}

/* Count one request in @c: executed, failed, or denied and why */
static void counts_add(struct bpfdev_counts *c,
		       const struct bpfdev_request *req, int ret)
{
	int slot = cmd_slot(req->cmd);

	if (req->deny != BPFDEV_DENY_NONE)
		atomic_long_inc(&c->denied[req->deny]);
	else if (slot >= 0 && ret >= 0)
		atomic_long_inc(&c->executed[slot]);
	else if (slot >= 0)
		atomic_long_inc(&c->failed[slot]);
}

static void audit_record(const struct bpfdev_request *req, int ret,
			 const char *res)
{
	struct bpfdev_audit_bucket *bucket = audit_bucket(req);
	u32 rate = READ_ONCE(audit_rate);
	char comm[TASK_COMM_LEN];
	struct record_text text;
	struct audit_buffer *ab;
	struct request_types t;
	u64 suppressed;

	if (rate && !audit_bucket_take(bucket, rate))
		return;
	/* No syscall context, no wait on the backlog: see the top */
	ab = audit_log_start(NULL, GFP_NOWAIT, AUDIT_KERNEL_OTHER);
	if (!ab)
		return;	/* excluded, or lost: audit counts it */
	request_types(req, &t);

	text.len = 0;
	text_lit(&text, "bpfdev op=");
	text_add(&text, req->cmd >= 0 ?
		 name_or_none(bpfdev_vocab_name(&bpfdev_vocab_cmds, req->cmd)) :
		 "unknown");
	text_lit(&text, " prog_type=");
	text_add(&text, name_or_none(t.prog));
	text_lit(&text, " attach_type=");
	text_add(&text, name_or_none(t.attach));
	text_lit(&text, " map_type=");
	text_add(&text, name_or_none(t.map));
	text_lit(&text, " res=");
	text_add(&text, res);
	text_lit(&text, " reason=");
	text_add(&text, deny_names[req->deny]);
	text_lit(&text, " errno=");
	text_num(&text, ret < 0 ? -ret : 0);
	text_lit(&text, " pid=");
	text_num(&text, task_tgid_nr(current));
	text_lit(&text, " uid=");
	text_num(&text, from_kuid(&init_user_ns, current_uid()));
	text_lit(&text, " auid=");
	text_num(&text, from_kuid(&init_user_ns, audit_get_loginuid(current)));
	text_lit(&text, " ses=");
	text_num(&text, audit_get_sessionid(current));
	get_task_comm(comm, current);
	text_comm(&text, comm);
	suppressed = audit_bucket_collect(bucket);
	if (suppressed) {
		text_lit(&text, " suppressed=");
		text_num(&text, suppressed);
	}
	text_lit(&text, " profile=");
	text_add(&text, req->st->profile->name);
	text.buf[text.len] = '\0';
	audit_log_format(ab, "%s", text.buf);
	audit_log_end(ab);
}

/**
 * bpfdev_audit_request() - audit and count one request
 * @req: the request, as far as it was read
 * @ret: what the ioctl returns
 */
void bpfdev_audit_request(const struct bpfdev_request *req, int ret)
{
	struct bpfdev_user *user = NULL;
	const char *res;

	/* a caller in a user namespace is no user of the profile: above */
	if (current_user_ns() == &init_user_ns)
		user = req->user ?: bpfdev_user_get(req->st->profile,
						    current_uid());
	counts_add(&counts, req, ret);
	counts_add(&req->st->profile->counts, req, ret);
	if (user)
		counts_add(bpfdev_user_counts_of(user), req, ret);
	if (req->deny != BPFDEV_DENY_NONE) {
		if (user)
			refusal_keep(req, ret, user);
		res = "denied";
	} else {
		res = ret >= 0 ? "ok" : "failed";
	}
	/* Requests that ran: only while auditing is on, and not denials only */
	if (req->deny == BPFDEV_DENY_NONE &&
	    (audit_enabled == AUDIT_OFF || READ_ONCE(audit_denials_only)))
		return;
	audit_record(req, ret, res);
}

/* One read-only sysfs file per counter, named at load from the lists. */
struct counter_attribute {
	struct device_attribute attr;
	atomic_long_t *counter;
	char name[32];
};

static ssize_t counter_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct counter_attribute *ca =
		container_of(attr, struct counter_attribute, attr);

	return sysfs_emit(buf, "%ld\n", atomic_long_read(ca->counter));
}

static struct counter_attribute executed_attrs[SLOT_MAX];
static struct counter_attribute failed_attrs[SLOT_MAX];
static struct counter_attribute denied_attrs[BPFDEV_DENY_MAX];
static struct counter_attribute suppressed_attr;
/* executed_<cmd>, failed_<cmd>, denied_<reason> but none, suppressed, NULL */
static struct attribute *stats_attrs[2 * SLOT_MAX + BPFDEV_DENY_MAX + 1];

/* "executed_" and "MAP_CREATE" name the counter "executed_map_create". */
static struct attribute *counter_init(struct counter_attribute *ca,
				      const char *prefix, const char *name,
				      atomic_long_t *counter)
{
	snprintf(ca->name, sizeof(ca->name), "%s%s", prefix, name);
	string_lower(ca->name, ca->name);
	sysfs_attr_init(&ca->attr.attr);
	ca->attr.attr.name = ca->name;
	ca->attr.attr.mode = 0444;
	ca->attr.show = counter_show;
	ca->counter = counter;
	return &ca->attr.attr;
}

/**
 * bpfdev_stats_init() - name the reasons and the counters, before the
 *	device (whose attribute group they are) is registered
 *
 * Return: 0, or -EINVAL for a build whose counters are not for the uapi's
 * BPFDEV_CMDS_EXECUTED, each by name.
 */
int bpfdev_stats_init(void)
{
	unsigned int i, n = 0;
	u64 cmds = 0;

	for (i = 0; i < SLOT_MAX; i++)
		cmds |= BIT_ULL(slots[i].cmd);
	if (WARN_ON(cmds != BPFDEV_CMDS_EXECUTED || SLOT_MAX != hweight64(cmds)))
		return -EINVAL;

	for (i = 0; i < BPFDEV_DENY_MAX; i++)
		string_lower(deny_names[i], deny_upper[i]);
	for (i = 0; i < SLOT_MAX; i++)
		stats_attrs[n++] = counter_init(&executed_attrs[i], "executed_",
						slots[i].name, &counts.executed[i]);
	for (i = 0; i < SLOT_MAX; i++)
		stats_attrs[n++] = counter_init(&failed_attrs[i], "failed_",
						slots[i].name, &counts.failed[i]);
	for (i = BPFDEV_DENY_NONE + 1; i < BPFDEV_DENY_MAX; i++)
		stats_attrs[n++] = counter_init(&denied_attrs[i], "denied_",
						deny_names[i], &counts.denied[i]);
	stats_attrs[n++] = counter_init(&suppressed_attr, "audit_",
					"suppressed", &audit_suppressed);
	stats_attrs[n] = NULL;
	return 0;
}

/* One counter, "name=value" and @sep, at @len of @buf */
static int counts_one(char *buf, size_t size, int len,
		      const struct counter_attribute *ca,
		      const atomic_long_t *v, char sep)
{
	return len + scnprintf(buf + len, size - len, "%s=%ld%c",
			       ca->attr.attr.name, atomic_long_read(v), sep);
}

/**
 * bpfdev_counts_print() - counters as text, named as the sysfs ones are
 * @buf: where
 * @size: its size
 * @c: the counters (of a profile, or of one of its users)
 * @sep: what follows each "name=value"
 *
 * Return: the length printed, truncated to @size.
 */
int bpfdev_counts_print(char *buf, size_t size,
			const struct bpfdev_counts *c, char sep)
{
	unsigned int i;
	int len = 0;

	for (i = 0; i < SLOT_MAX; i++)
		len = counts_one(buf, size, len, &executed_attrs[i],
				 &c->executed[i], sep);
	for (i = 0; i < SLOT_MAX; i++)
		len = counts_one(buf, size, len, &failed_attrs[i],
				 &c->failed[i], sep);
	for (i = BPFDEV_DENY_NONE + 1; i < BPFDEV_DENY_MAX; i++)
		len = counts_one(buf, size, len, &denied_attrs[i],
				 &c->denied[i], sep);
	return len;
}

static const struct attribute_group stats_group = {
	.name = "stats",
	.attrs = stats_attrs,
};

const struct attribute_group *bpfdev_stats_groups[] = {
	&stats_group,
	NULL,
};
