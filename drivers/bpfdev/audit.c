// SPDX-License-Identifier: GPL-2.0
/*
 * What happened: an audit record for every request that reaches the
 * delegated-command ioctl, and counters in sysfs.
 *
 * The syscall record of such a request is an ioctl(2), so audit rules on
 * bpf(2) never see it: this record is the trace. A refusal is always
 * recorded (the way the kernel records an LSM denial, audit daemon or not);
 * a request bpfdev let through (res=ok or failed) is recorded while
 * auditing is enabled (an audit daemon enabled it, or audit=1), the rule
 * the kernel applies to its own BPF records in bpf_audit_prog(). Without
 * that, every map a member creates would cost a record formatted into the
 * kernel log by kauditd's fallback: several times the cost of the map.
 * Its format (type
 * AUDIT_KERNEL_OTHER, 1316), one line, key=value:
 *
 *   bpfdev op=prog_load prog_type=socket_filter attach_type=none
 *     map_type=none res=denied reason=prog_type errno=1 pid=120 uid=1000
 *     auid=4294967295 ses=4294967295 comm="loader"
 *
 * op is the bpf command ("unknown" if the request was not readable), the
 * type fields are names or "none", res is ok, failed (the kernel refused a
 * request bpfdev accepted) or denied (bpfdev refused it, reason says why),
 * errno is positive or 0, comm is quoted, or hex when it holds characters
 * that could be mistaken for the record's own syntax. The audit subsystem's
 * rate limit and backlog apply; bpfdev drops nothing itself, and the
 * counters below count every request whether or not its record got out.
 *
 * Counters, under /sys/class/misc/bpf/stats/: executed_<cmd> (bpf(2)
 * returned success), failed_<cmd>, and denied_<reason>.
 */
#include <linux/atomic.h>
#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/cred.h>
#include <linux/device.h>
#include <linux/sched.h>
#include <linux/sysfs.h>

#include "bpfdev.h"

static const char * const deny_names[BPFDEV_DENY_MAX] = {
	[BPFDEV_DENY_NONE] = "none",
	[BPFDEV_DENY_MALFORMED] = "malformed",
	[BPFDEV_DENY_READONLY] = "readonly",
	[BPFDEV_DENY_REVOKED] = "revoked",
	[BPFDEV_DENY_USERNS] = "userns",
	[BPFDEV_DENY_CMD] = "cmd",
	[BPFDEV_DENY_PROG_TYPE] = "prog_type",
	[BPFDEV_DENY_ATTACH_TYPE] = "attach_type",
	[BPFDEV_DENY_MAP_TYPE] = "map_type",
	[BPFDEV_DENY_NEVER] = "never",
	[BPFDEV_DENY_SIZE] = "size",
	[BPFDEV_DENY_QUOTA] = "quota",
	[BPFDEV_DENY_CGROUP] = "cgroup",
	[BPFDEV_DENY_SHARED_FDS] = "shared_fds",
	[BPFDEV_DENY_SECCOMP] = "seccomp",
	[BPFDEV_DENY_INSNS] = "insns",
};

/* The commands bpfdev executes, as counter slots. */
enum { SLOT_MAP_CREATE, SLOT_PROG_LOAD, SLOT_BTF_LOAD, SLOT_MAP_FREEZE,
	SLOT_LINK_CREATE, SLOT_MAX };

static atomic_long_t executed[SLOT_MAX];
static atomic_long_t failed[SLOT_MAX];
static atomic_long_t denied[BPFDEV_DENY_MAX];

static int cmd_slot(int cmd)
{
	switch (cmd) {
	case BPF_MAP_CREATE:
		return SLOT_MAP_CREATE;
	case BPF_PROG_LOAD:
		return SLOT_PROG_LOAD;
	case BPF_BTF_LOAD:
		return SLOT_BTF_LOAD;
	case BPF_MAP_FREEZE:
		return SLOT_MAP_FREEZE;
	case BPF_LINK_CREATE:
		return SLOT_LINK_CREATE;
	default:
		return -1;
	}
}

static const char *name_or_none(const char *name)
{
	return name ?: "none";
}

static void audit_comm(struct audit_buffer *ab)
{
	char comm[TASK_COMM_LEN];
	const char *c;

	get_task_comm(comm, current);
	for (c = comm; *c; c++)
		if (*c <= ' ' || *c == '"' || *c >= 0x7f)
			break;
	if (!*c) {
		audit_log_format(ab, " comm=\"%s\"", comm);
		return;
	}
	audit_log_format(ab, " comm=");
	for (c = comm; *c; c++)
		audit_log_format(ab, "%02X", (unsigned char)*c);
}

static void audit_record(const struct bpfdev_request *req, int ret,
			 const char *res)
{
	const union bpf_attr *k = &req->attr;
	const char *prog = NULL, *map = NULL, *attach = NULL;
	struct audit_buffer *ab;

	if (req->deny == BPFDEV_DENY_NONE && audit_enabled == AUDIT_OFF)
		return;
	ab = audit_log_start(audit_context(), GFP_KERNEL, AUDIT_KERNEL_OTHER);
	if (!ab)
		return;	/* audit is off */
	if (req->cmd == BPF_PROG_LOAD && req->deny != BPFDEV_DENY_MALFORMED) {
		prog = bpfdev_vocab_name(&bpfdev_vocab_progs, k->prog_type);
		if (k->expected_attach_type ||
		    bpfdev_prog_uses_attach_type(k->prog_type))
			attach = bpfdev_vocab_name(&bpfdev_vocab_attachs,
						   k->expected_attach_type);
	}
	if (req->cmd == BPF_MAP_CREATE && req->deny != BPFDEV_DENY_MALFORMED)
		map = bpfdev_vocab_name(&bpfdev_vocab_maps, k->map_type);
	if (req->cmd == BPF_LINK_CREATE && req->deny != BPFDEV_DENY_MALFORMED)
		attach = bpfdev_vocab_name(&bpfdev_vocab_attachs,
					   k->link_create.attach_type);

	audit_log_format(ab,
			 "bpfdev op=%s prog_type=%s attach_type=%s map_type=%s res=%s reason=%s errno=%d pid=%d uid=%u auid=%u ses=%u",
			 req->cmd >= 0 ?
			 name_or_none(bpfdev_vocab_name(&bpfdev_vocab_cmds,
							req->cmd)) : "unknown",
			 name_or_none(prog), name_or_none(attach),
			 name_or_none(map), res, deny_names[req->deny],
			 ret < 0 ? -ret : 0, task_tgid_nr(current),
			 from_kuid(&init_user_ns, current_uid()),
			 from_kuid(&init_user_ns, audit_get_loginuid(current)),
			 audit_get_sessionid(current));
	audit_comm(ab);
	audit_log_end(ab);
}

/**
 * bpfdev_audit_request() - audit and count one request
 * @req: the request, as far as it was read
 * @ret: what the ioctl returns
 */
void bpfdev_audit_request(const struct bpfdev_request *req, int ret)
{
	int slot = cmd_slot(req->cmd);
	const char *res;

	if (req->deny != BPFDEV_DENY_NONE) {
		atomic_long_inc(&denied[req->deny]);
		res = "denied";
	} else if (ret >= 0) {
		if (slot >= 0)
			atomic_long_inc(&executed[slot]);
		res = "ok";
	} else {
		if (slot >= 0)
			atomic_long_inc(&failed[slot]);
		res = "failed";
	}
	audit_record(req, ret, res);
}

/* One read-only sysfs file per counter. */
struct counter_attribute {
	struct device_attribute attr;
	atomic_long_t *counter;
};

static ssize_t counter_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct counter_attribute *ca =
		container_of(attr, struct counter_attribute, attr);

	return sysfs_emit(buf, "%ld\n", atomic_long_read(ca->counter));
}

#define COUNTER(_name, _counter)					\
	static struct counter_attribute counter_##_name = {		\
		.attr = __ATTR(_name, 0444, counter_show, NULL),	\
		.counter = &(_counter),					\
	}

COUNTER(executed_map_create, executed[SLOT_MAP_CREATE]);
COUNTER(executed_prog_load, executed[SLOT_PROG_LOAD]);
COUNTER(executed_btf_load, executed[SLOT_BTF_LOAD]);
COUNTER(executed_map_freeze, executed[SLOT_MAP_FREEZE]);
COUNTER(executed_link_create, executed[SLOT_LINK_CREATE]);
COUNTER(failed_map_create, failed[SLOT_MAP_CREATE]);
COUNTER(failed_prog_load, failed[SLOT_PROG_LOAD]);
COUNTER(failed_btf_load, failed[SLOT_BTF_LOAD]);
COUNTER(failed_map_freeze, failed[SLOT_MAP_FREEZE]);
COUNTER(failed_link_create, failed[SLOT_LINK_CREATE]);
COUNTER(denied_malformed, denied[BPFDEV_DENY_MALFORMED]);
COUNTER(denied_readonly, denied[BPFDEV_DENY_READONLY]);
COUNTER(denied_revoked, denied[BPFDEV_DENY_REVOKED]);
COUNTER(denied_userns, denied[BPFDEV_DENY_USERNS]);
COUNTER(denied_cmd, denied[BPFDEV_DENY_CMD]);
COUNTER(denied_prog_type, denied[BPFDEV_DENY_PROG_TYPE]);
COUNTER(denied_attach_type, denied[BPFDEV_DENY_ATTACH_TYPE]);
COUNTER(denied_map_type, denied[BPFDEV_DENY_MAP_TYPE]);
COUNTER(denied_never, denied[BPFDEV_DENY_NEVER]);
COUNTER(denied_size, denied[BPFDEV_DENY_SIZE]);
COUNTER(denied_quota, denied[BPFDEV_DENY_QUOTA]);
COUNTER(denied_cgroup, denied[BPFDEV_DENY_CGROUP]);
COUNTER(denied_shared_fds, denied[BPFDEV_DENY_SHARED_FDS]);
COUNTER(denied_seccomp, denied[BPFDEV_DENY_SECCOMP]);
COUNTER(denied_insns, denied[BPFDEV_DENY_INSNS]);

static struct attribute *stats_attrs[] = {
	&counter_executed_map_create.attr.attr,
	&counter_executed_prog_load.attr.attr,
	&counter_executed_btf_load.attr.attr,
	&counter_executed_map_freeze.attr.attr,
	&counter_executed_link_create.attr.attr,
	&counter_failed_map_create.attr.attr,
	&counter_failed_prog_load.attr.attr,
	&counter_failed_btf_load.attr.attr,
	&counter_failed_map_freeze.attr.attr,
	&counter_failed_link_create.attr.attr,
	&counter_denied_malformed.attr.attr,
	&counter_denied_readonly.attr.attr,
	&counter_denied_revoked.attr.attr,
	&counter_denied_userns.attr.attr,
	&counter_denied_cmd.attr.attr,
	&counter_denied_prog_type.attr.attr,
	&counter_denied_attach_type.attr.attr,
	&counter_denied_map_type.attr.attr,
	&counter_denied_never.attr.attr,
	&counter_denied_size.attr.attr,
	&counter_denied_quota.attr.attr,
	&counter_denied_cgroup.attr.attr,
	&counter_denied_shared_fds.attr.attr,
	&counter_denied_seccomp.attr.attr,
	&counter_denied_insns.attr.attr,
	NULL,
};

static const struct attribute_group stats_group = {
	.name = "stats",
	.attrs = stats_attrs,
};

const struct attribute_group *bpfdev_stats_groups[] = {
	&stats_group,
	NULL,
};
