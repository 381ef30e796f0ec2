// SPDX-License-Identifier: GPL-2.0
/*
 * Why was I refused? A member gets an errno; the reason is in audit
 * records, which only root reads. Each user's last refusals are kept in
 * its users.c entry, after the refused process exited, for that user to
 * read (BPFDEV_IOC_REFUSALS) and root to read for everyone.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include <linux/bpfdev.h>

#include "bpfdev.h"

/**
 * bpfdev_refusals_init() - an empty ring
 * @ring: the ring, in its user's entry
 */
void bpfdev_refusals_init(struct bpfdev_refusal_ring *ring)
{
	spin_lock_init(&ring->lock);
}

/**
 * bpfdev_refusals_add() - keep a refusal, dropping the oldest if full
 * @ring: the user's ring
 * @r: the refusal; its time is set here
 */
void bpfdev_refusals_add(struct bpfdev_refusal_ring *ring,
			 struct bpfdev_refusal *r)
{
	r->time_ns = ktime_get_real_ns();
	spin_lock(&ring->lock);
	ring->r[ring->next] = *r;
	ring->next = (ring->next + 1) % BPFDEV_REFUSALS_KEPT;
	if (ring->used < BPFDEV_REFUSALS_KEPT)
		ring->used++;
	spin_unlock(&ring->lock);
}

/* The newest @max refusals, gathered from rings one at a time */
struct refusals_pick {
	struct bpfdev_refusal *r;
	u32 n, max;
};

static int refusal_newer_first(const void *a, const void *b)
{
	const struct bpfdev_refusal *x = a, *y = b;

	if (x->time_ns == y->time_ns)
		return 0;
	return x->time_ns > y->time_ns ? -1 : 1;
}

/* Add @ring's entries to @p, keeping the newest. */
static void refusals_pick(struct bpfdev_refusal_ring *ring, void *arg)
{
	struct refusals_pick *p = arg;
	u32 i, oldest, j;

	if (!p->max)
		return;
	spin_lock(&ring->lock);
	for (i = 0; i < ring->used; i++) {
		const struct bpfdev_refusal *r = &ring->r[i];

		if (p->n < p->max) {
			p->r[p->n++] = *r;
			continue;
		}
		for (oldest = 0, j = 1; j < p->n; j++)
			if (p->r[j].time_ns < p->r[oldest].time_ns)
				oldest = j;
		if (r->time_ns > p->r[oldest].time_ns)
			p->r[oldest] = *r;
	}
	spin_unlock(&ring->lock);
}

/**
 * bpfdev_refusals_read() - BPFDEV_IOC_REFUSALS
 * @prof: the profile of the file: its users' refusals
 * @arg: the caller's struct bpfdev_refusals
 *
 * Return: 0, or -EPERM, -EINVAL, -E2BIG, -EFAULT, -ENOMEM.
 */
long bpfdev_refusals_read(struct bpfdev_profile *prof, void __user *arg)
{
	struct bpfdev_refusals __user *uq = arg;
	struct refusals_pick p = { };
	struct bpfdev_refusals q;
	u32 size, own, i, len;
	char __user *out;
	int ret;

	if (get_user(size, &uq->size))
		return -EFAULT;
	if (size < BPFDEV_REFUSALS_SIZE_VER0)
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	ret = copy_struct_from_user(&q, sizeof(q), arg, size);
	if (ret)
		return ret;
	if (q.flags || q.pad || q.refusal_size < BPFDEV_REFUSAL_SIZE_VER0 ||
	    q.refusal_size > PAGE_SIZE)
		return -EINVAL;
	/* the caller's kernel uid: in a user namespace, whatever it maps to */
	own = from_kuid(&init_user_ns, current_uid());
	if (q.uid == BPFDEV_REFUSALS_OWN)
		q.uid = own;
	else if (q.uid != own && !capable(CAP_SYS_ADMIN))
		return -EPERM;

	p.max = min_t(u32, q.count, BPFDEV_REFUSALS_READ_MAX);
	if (p.max) {
		p.r = kvcalloc(p.max, sizeof(*p.r), GFP_KERNEL_ACCOUNT);
		if (!p.r)
			return -ENOMEM;
	}
	if (q.uid == BPFDEV_REFUSALS_ALL_UIDS)
		bpfdev_users_refusals(prof, INVALID_UID, refusals_pick, &p);
	else
		bpfdev_users_refusals(prof, make_kuid(&init_user_ns, q.uid),
				      refusals_pick, &p);
	sort(p.r, p.n, sizeof(*p.r), refusal_newer_first, NULL);

	out = u64_to_user_ptr(q.refusals);
	len = min_t(u32, q.refusal_size, sizeof(*p.r));
	for (i = 0; i < p.n && !ret; i++) {
		if (copy_to_user(out + (size_t)i * q.refusal_size, &p.r[i], len) ||
		    clear_user(out + (size_t)i * q.refusal_size + len,
			       q.refusal_size - len))
			ret = -EFAULT;
	}
	kvfree(p.r);
	if (!ret && put_user(p.n, &uq->count))
		ret = -EFAULT;
	return ret;
}
