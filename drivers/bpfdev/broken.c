// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only: the races bpfdev exists to prevent, put back at the points
 * testhooks.h names, so that the race tests can show they find each one.
 * Built only into the broken build (Kbuild, BPFDEV_TEST_BROKEN=1), which
 * the test harness loads in place of the module; never installed.
 */
#include <linux/bpf.h>
#include <linux/delay.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "bpfdev.h"
#include "testhooks.h"

/* The type read after the decision: what the snapshot prevents. */
void bpfdev_test_reread_types(struct bpfdev_request *req)
{
	union bpf_attr __user *u = req->uattr;
	u32 type, eat;

	if (req->cmd != BPF_PROG_LOAD)
		return;
	/*
	 * A sleep, not a spin: the other thread runs in the window even when
	 * the host runs one of the guest's vCPUs at a time.
	 */
	usleep_range(20, 40);
	if (!get_user(type, &u->prog_type) &&
	    !get_user(eat, &u->expected_attach_type)) {
		req->attr.prog_type = type;
		req->attr.expected_attach_type = eat;
	}
}

/* Without the private-table rule another thread can swap the cgroup fd. */
bool bpfdev_test_allow_shared_fds(void)
{
	return true;
}

void bpfdev_test_widen_race_window(void)
{
	usleep_range(50, 100);	/* a sleep: see bpfdev_test_reread_types() */
}

/* Check, then count: concurrent callers overshoot the limit. */
bool bpfdev_test_count_after_check(atomic_t *count, u32 limit, bool *taken)
{
	*taken = false;
	if (limit && atomic_read(count) >= limit)
		return true;
	udelay(200);
	atomic_inc(count);
	*taken = true;
	return true;
}

/* No second look, so check-then-count charging overshoots. */
bool bpfdev_test_skip_final_count(void)
{
	return true;
}

/* The budget decided under the grant before the section, not in it. */
void bpfdev_test_budget_window(void)
{
	usleep_range(50, 100);	/* a sleep: see bpfdev_test_reread_types() */
}

bool bpfdev_test_budget_unchecked(void)
{
	return true;
}

static atomic64_t *revoke_generation;

static void revoke_bump(struct work_struct *work)
{
	atomic64_inc(revoke_generation);
}

static DECLARE_DELAYED_WORK(revoke_work, revoke_bump);

/* Requests started after the write to "revoke" still run for a while. */
bool bpfdev_test_revoke_late(atomic64_t *generation)
{
	revoke_generation = generation;
	schedule_delayed_work(&revoke_work, 1);
	return true;
}

/*
 * Any file at the new fd number is the call's: one dup2()ed there by
 * another thread (a read-only fd of someone else's map) gets recorded,
 * and reopened read-write by ID. Still only a file of the kind's, so
 * that no other file's private data is taken for a map.
 */
bool bpfdev_test_record_any_creds(void)
{
	udelay(50);
	return true;
}

/*
 * A grant written a field at a time into the one files read: between the
 * masks and the limits, a file sees the new masks with the old limits.
 */
bool bpfdev_test_grant_store(struct bpfdev_profile_grant *live,
			     const struct bpfdev_profile_grant *pg)
{
	WRITE_ONCE(live->grant.cmds, pg->grant.cmds);
	WRITE_ONCE(live->grant.progs, pg->grant.progs);
	WRITE_ONCE(live->grant.maps, pg->grant.maps);
	WRITE_ONCE(live->grant.attachs, pg->grant.attachs);
	WRITE_ONCE(live->grant.insns, pg->grant.insns);
	usleep_range(2000, 3000);	/* a sleep: see bpfdev_test_reread_types() */
	WRITE_ONCE(live->grant.insn_max, pg->grant.insn_max);
	WRITE_ONCE(live->grant.btf_max, pg->grant.btf_max);
	WRITE_ONCE(live->grant.map_mem_max, pg->grant.map_mem_max);
	WRITE_ONCE(live->grant.progs_max, pg->grant.progs_max);
	WRITE_ONCE(live->grant.maps_max, pg->grant.maps_max);
	WRITE_ONCE(live->grant.allow_seccomp, pg->grant.allow_seccomp);
	live->users = pg->users;
	return true;
}

void bpfdev_test_exit(void)
{
	flush_delayed_work(&revoke_work);
}
