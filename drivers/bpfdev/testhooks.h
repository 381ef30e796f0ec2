/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the test-only broken build puts the races back.
 *
 * Under TCG a race test can pass without ever hitting its window, so each
 * one also runs against a build of the module with the race put back, where
 * it must find it. The production code calls these hooks at the points
 * where the races were; here they are empty and compile to nothing. The
 * broken build (Kbuild, BPFDEV_TEST_BROKEN=1) defines them in broken.c
 * instead, and builds broken_freeze_61.c in place of freeze_61.c.
 *
 * A hook that returns true has done the step its own, broken way, and the
 * caller uses what it gave.
 */
#ifndef _BPFDEV_TESTHOOKS_H
#define _BPFDEV_TESTHOOKS_H

#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/types.h>

struct bpfdev_request;
struct bpfdev_profile_grant;

#ifdef BPFDEV_TEST_BROKEN

/* The module a narrowed file pins: none, so rmmod succeeds under it. */
#define BPFDEV_NARROWED_OWNER	NULL

void bpfdev_test_reread_types(struct bpfdev_request *req);
bool bpfdev_test_allow_shared_fds(void);
void bpfdev_test_widen_race_window(void);
bool bpfdev_test_count_after_check(atomic_t *count, u32 limit, bool *taken);
bool bpfdev_test_skip_final_count(void);
void bpfdev_test_budget_window(void);
bool bpfdev_test_budget_unchecked(void);
bool bpfdev_test_revoke_late(atomic64_t *generation);
bool bpfdev_test_record_any_creds(void);
bool bpfdev_test_grant_store(struct bpfdev_profile_grant *live,
			     const struct bpfdev_profile_grant *pg);
void bpfdev_test_exit(void);

#else

/* The module a narrowed file pins (main.c). */
#define BPFDEV_NARROWED_OWNER	THIS_MODULE

/*
 * sys_bpf.c, after the final decision: read the program and expected
 * attach types again from the caller's memory, where another thread may
 * have changed them since the snapshot.
 */
static inline void bpfdev_test_reread_types(struct bpfdev_request *req)
{
}

/* cgroup.c: attach for a caller whose fd table another task shares. */
static inline bool bpfdev_test_allow_shared_fds(void)
{
	return false;
}

/* cgroup.c: a delay between the check of a cgroup and the attach to it. */
static inline void bpfdev_test_widen_race_window(void)
{
}

/*
 * file.c: count a file's creation in two steps, the limit checked and then
 * the count raised, with a delay between them; *@taken as
 * bpfdev_count_take() returns it.
 */
static inline bool bpfdev_test_count_after_check(atomic_t *count, u32 limit,
						 bool *taken)
{
	return false;
}

/* file.c: no second look at a file's counts at the final decision. */
static inline bool bpfdev_test_skip_final_count(void)
{
	return false;
}

/*
 * sys_bpf.c: a delay after a load's JIT or BTF budget was reserved under
 * the grant of that moment, before the final decision.
 */
static inline void bpfdev_test_budget_window(void)
{
}

/*
 * users.c: no second look at the budgets (nor at loads_max) under the
 * grant of the final decision.
 */
static inline bool bpfdev_test_budget_unchecked(void)
{
	return false;
}

/*
 * grant.c: apply a revocation a tick after the write to "revoke" returned,
 * without waiting for the requests already decided.
 */
static inline bool bpfdev_test_revoke_late(atomic64_t *generation)
{
	return false;
}

/*
 * objects.c: after a delay, take the file at the fd number a create
 * returned as the call's whatever credentials it was made with, so that
 * a file another thread dup2()ed there is recorded as the caller's.
 */
static inline bool bpfdev_test_record_any_creds(void)
{
	return false;
}

/*
 * profile.c: write a profile's new grant into the one its files are
 * reading, a field at a time with a delay between the masks and the
 * limits, instead of swapping in the whole new grant.
 */
static inline bool
bpfdev_test_grant_store(struct bpfdev_profile_grant *live,
			const struct bpfdev_profile_grant *pg)
{
	return false;
}

/* main.c, at unload: finish what the hooks above left pending. */
static inline void bpfdev_test_exit(void)
{
}

#endif /* BPFDEV_TEST_BROKEN */

#endif /* _BPFDEV_TESTHOOKS_H */
