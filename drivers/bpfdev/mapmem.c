// SPDX-License-Identifier: GPL-2.0
/*
 * What a map will cost: the kernel memory a map of these sizes and flags
 * takes once it is full, priced before it is created the way the map
 * implementations of 6.1 and 6.12 allocate it (kernel/bpf/,
 * net/core/sock_map.c). The grant's map_mem_max is compared with this.
 *
 * An upper bound, not fdinfo's memlock (6.1 prints a rough formula of its
 * own, 6.12 prints 0 for an arena): every allocation is rounded as the
 * allocator rounds it (kmalloc size classes, pages, a copy per possible CPU
 * for per-CPU memory), elements a map allocates as it fills are counted as
 * if it were full, and so are the per-CPU caches of bpf_mem_alloc and
 * the memory cgroup's own pointers per object. The Check suite "mapmem"
 * proves it with the memory cgroup: it creates and fills each type at
 * several sizes in a fresh cgroup and checks that a limit just under what
 * the kernel took refuses the map.
 *
 * Per-CPU memory a map allocates while it is created (per-CPU array
 * values, preallocated per-CPU hash values, the hash maps' lock counters)
 * is charged to the root memory cgroup on 6.1 and 6.12, not the creator's:
 * bpf_map_alloc_percpu() runs before map_create() saves the creator's
 * cgroup in the map. No memory.max bounds it; map_mem_max does.
 *
 * Some types take memory after creation that max_entries does not bound:
 * local storage (sk, inode, task, cgrp: one value per object a program
 * touches) and cgroup storage (one value per attach). That memory is
 * charged to the creator's memory cgroup; map_mem_max prices only the map
 * itself for them.
 */
#include <linux/bpf.h>
#include <linux/cpumask.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/skmsg.h>
#include <linux/slab.h>

#include "bpfdev.h"
#include "compat.h"

/* The struct bpf_map and the type's own struct around it, rounded up. */
#define MAP_HEADER		PAGE_SIZE
/* struct htab_elem (hashtab.c): node, lru node or per-CPU pointer, hash */
#define HTAB_ELEM		48
/* struct bucket (hashtab.c), as large as a debug kernel makes it */
#define HTAB_BUCKET		(sizeof(struct hlist_nulls_head) + \
				 sizeof(raw_spinlock_t))
/* struct lpm_trie_node (lpm_trie.c): rcu head, two children, prefix, flags */
#define LPM_NODE		40
/* struct stack_map_bucket (stackmap.c) */
#define STACK_BUCKET		16
/* struct bpf_shtab_elem (sock_map.c): rcu, hash, sk, node, link */
#define SHTAB_ELEM		64
/* a devmap entry (struct bpf_dtab_netdev), allocated when it is set */
#define DTAB_NETDEV		128
/* a perf event array slot's struct bpf_event_entry */
#define PERF_ENTRY		64
/* struct bpf_local_storage_elem before the value, with its own header */
#define LOCAL_STORAGE_ELEM	128
/* an xskmap entry (struct xsk_map_node) */
#define XSK_NODE		64
/*
 * A socket in a sockmap or sockhash: its psock, charged to the map's memory
 * cgroup when the first map takes the socket, and the link to the map.
 */
#define SOCK_ENTRY		(kmalloc_size_roundup(sizeof(struct sk_psock)) + 64)
/*
 * A cpumap entry: the entry, its ptr_ring of up to 16k pointers, and the
 * kthread it starts (stack and task).
 */
#define CPUMAP_ENTRY		(256UL << 10)
/* bpf_mem_alloc's per-CPU caches (memalloc.c): up to 96 x 256 bytes, 3 units */
#define MEMALLOC_CACHE(unit)	(2 * ((96UL << 8) + 3 * (unit)))
/* llist node before each bpf_mem_alloc object */
#define MEMALLOC_HDR		8

/* a * b, or U64_MAX if it does not fit */
static u64 mul(u64 a, u64 b)
{
	u64 r;

	return check_mul_overflow(a, b, &r) ? U64_MAX : r;
}

static u64 add(u64 a, u64 b)
{
	u64 r;

	return check_add_overflow(a, b, &r) ? U64_MAX : r;
}

static u64 pow2(u64 n)
{
	return n > (1ULL << 63) ? U64_MAX : n ? roundup_pow_of_two(n) : 0;
}

/*
 * One bpf_map_area_alloc() (or kmalloc) of @size bytes: kmalloc rounds to a
 * power of two up to 32 KiB, vmalloc to pages plus its array of pages.
 */
static u64 area(u64 size)
{
	u64 pages;

	if (size <= PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER)
		return size ? kmalloc_size_roundup(size) : 0;
	pages = DIV_ROUND_UP_ULL(size, PAGE_SIZE);
	return add(mul(pages, PAGE_SIZE), mul(pages, sizeof(void *)));
}

/*
 * One object from a slab cache or bpf_mem_alloc, and the memory cgroup's
 * pointer to its owner (mm/memcontrol.c: obj_full_size()).
 */
static u64 object(u64 size)
{
	return size <= KMALLOC_MAX_CACHE_SIZE ?
	       kmalloc_size_roundup(size) + sizeof(void *) : area(size);
}

/*
 * @size bytes of per-CPU memory: a copy per possible CPU, and the memory
 * cgroup's pointer per 4-byte unit (mm/percpu.c: pcpu_obj_full_size()).
 */
static u64 percpu(u64 size)
{
	size = round_up(size, 8);
	return add(mul(size, num_possible_cpus()), size / 4 * sizeof(void *));
}

static u64 hash_cost(const union bpf_attr *k, bool percpu_values, bool lru)
{
	u64 n = k->max_entries, cpus = num_possible_cpus();
	u64 key = round_up((u64)k->key_size, 8);
	u64 value = round_up((u64)k->value_size, 8);
	u64 elem, cost;

	/* hashtab.c: per-CPU LRU lists get a multiple of the CPUs each */
	if (lru && (k->map_flags & BPF_F_NO_COMMON_LRU))
		n = roundup(n, cpus);
	elem = HTAB_ELEM + key + (percpu_values ? sizeof(void *) : value);
	/* buckets, the map's lock counters and its extra elements */
	cost = add(area(mul(pow2(n), HTAB_BUCKET)), percpu(8 * sizeof(int)));
	cost = add(cost, percpu(sizeof(void *)));
	if (percpu_values)
		cost = add(cost, mul(n, percpu(value)));
	if (k->map_flags & BPF_F_NO_PREALLOC) {
		/* elements from bpf_mem_alloc as the map fills */
		elem = object(elem + MEMALLOC_HDR);
		cost = add(cost, mul(add(n, cpus), elem));
		cost = add(cost, mul(cpus, MEMALLOC_CACHE(elem)));
		if (percpu_values)
			cost = add(cost, mul(cpus, MEMALLOC_CACHE(percpu(value))));
		return cost;
	}
	/* all of them at creation, and one spare per CPU if not LRU */
	if (!lru && !percpu_values)
		n += cpus;
	if (lru)	/* the per-CPU LRU lists */
		cost = add(cost, percpu(256));
	return add(cost, area(mul(n, elem)));
}

static u64 array_cost(const union bpf_attr *k, bool percpu_values)
{
	/* rounded to a power of two where the verifier masks the index */
	u64 n = pow2(k->max_entries);
	u64 value = round_up((u64)k->value_size, 8);

	if (percpu_values)
		return add(area(mul(n, sizeof(void *))), mul(n, percpu(value)));
	return area(mul(n, value));
}

/**
 * bpfdev_map_mem() - the memory a map of @k's sizes takes when full
 * @k: the kernel copy of a BPF_MAP_CREATE attr
 *
 * Return: an upper bound in bytes, U64_MAX if it does not fit or the type
 * is not one this module prices (never created then but with no limit).
 */
u64 bpfdev_map_mem(const union bpf_attr *k)
{
	u64 n = k->max_entries, cost;
	u64 key = k->key_size, value = k->value_size;

	switch (k->map_type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_HASH_OF_MAPS:	/* a pointer per value */
		cost = hash_cost(k, false, false);
		break;
	case BPF_MAP_TYPE_LRU_HASH:
		cost = hash_cost(k, false, true);
		break;
	case BPF_MAP_TYPE_PERCPU_HASH:
		cost = hash_cost(k, true, false);
		break;
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		cost = hash_cost(k, true, true);
		break;
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		/* and a struct bpf_event_entry per slot set, not charged */
		cost = add(array_cost(k, false), mul(n, object(PERF_ENTRY)));
		break;
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PROG_ARRAY:		/* pointers: value_size is 4 */
	case BPF_MAP_TYPE_CGROUP_ARRAY:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
		cost = array_cost(k, false);
		break;
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		cost = array_cost(k, true);
		break;
	case BPF_MAP_TYPE_LPM_TRIE:
		/* a node per entry, and as many intermediate nodes */
		cost = mul(2 * n, object(LPM_NODE + key + value + MEMALLOC_HDR));
		break;
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
		cost = area(mul(n + 1, value));
		break;
	case BPF_MAP_TYPE_STACK_TRACE:
		cost = add(area(mul(n, round_up(STACK_BUCKET + value, 8))),
			   area(mul(pow2(n), sizeof(void *))));
		break;
	case BPF_MAP_TYPE_RINGBUF:
	case BPF_MAP_TYPE_USER_RINGBUF:
		/* data pages, mapped twice, and a few pages of positions */
		cost = add(area(n), mul(8, PAGE_SIZE));
		break;
	case BPF_MAP_TYPE_BLOOM_FILTER:
		/* n * hashes / 5 * 7 bits, a power of two, at most 2^32 */
		cost = mul(n, (k->map_extra & 0xf) ?: 5) / 5 * 7;
		cost = area(min_t(u64, pow2(cost), 1ULL << 32) / 8);
		break;
	case BPF_MAP_TYPE_DEVMAP:
		cost = add(area(mul(n, sizeof(void *))), mul(n, DTAB_NETDEV));
		break;
	case BPF_MAP_TYPE_DEVMAP_HASH:
		cost = add(area(mul(pow2(n), HTAB_BUCKET)), mul(n, DTAB_NETDEV));
		break;
	case BPF_MAP_TYPE_XSKMAP:
		cost = add(area(mul(n, sizeof(void *))), mul(n, XSK_NODE));
		break;
	case BPF_MAP_TYPE_REUSEPORT_SOCKARRAY:
		cost = area(mul(n, sizeof(void *)));
		break;
	case BPF_MAP_TYPE_SOCKMAP:
		cost = add(area(mul(n, sizeof(void *))), mul(n, SOCK_ENTRY));
		break;
	case BPF_MAP_TYPE_SOCKHASH:
		cost = add(area(mul(pow2(n), HTAB_BUCKET)),
			   mul(n, object(SHTAB_ELEM + key) + SOCK_ENTRY));
		break;
	case BPF_MAP_TYPE_CPUMAP:
		cost = add(area(mul(n, sizeof(void *))), mul(n, CPUMAP_ENTRY));
		break;
	case BPF_MAP_TYPE_CGROUP_STORAGE:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
		/* max_entries is 0: storage comes per attach (see above) */
		cost = 0;
		break;
	case BPF_MAP_TYPE_SK_STORAGE:
	case BPF_MAP_TYPE_INODE_STORAGE:
	case BPF_MAP_TYPE_TASK_STORAGE:
	case BPFDEV_MAP_TYPE_CGRP_STORAGE:
		/*
		 * Storage comes per object (see above); 6.12 fills
		 * bpf_mem_alloc's per-CPU caches of it at creation.
		 */
		cost = mul(num_possible_cpus(),
			   MEMALLOC_CACHE(object(LOCAL_STORAGE_ELEM + value)));
		break;
	case BPFDEV_MAP_TYPE_ARENA:
		/* max_entries counts pages, each a page table entry too */
		cost = mul(n, PAGE_SIZE + sizeof(void *));
		break;
	default:
		return U64_MAX;
	}
	/*
	 * And an eighth for the allocators' own use: slabs and per-CPU
	 * chunks partly filled, objects whose free waits for RCU.
	 */
	return add(add(cost, cost / 8), MAP_HEADER);
}
