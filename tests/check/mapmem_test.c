// SPDX-License-Identifier: GPL-2.0
/*
 * What a map costs (mapmem.c), proven with the memory cgroup, not with
 * fdinfo's memlock: each delegable map type is created through /dev/bpf at
 * a few sizes by a member in a fresh memory cgroup and filled (elements
 * the map allocates as it fills are allocated, an arena's pages touched).
 * What the kernel took is the delta of the cgroup's kernel memory
 * (memory.stat), plus the per-CPU memory that went to the root memory
 * cgroup instead (mapmem.c): the system's Percpu (/proc/meminfo) delta
 * less the cgroup's own percpu delta. A map_mem_max just under it must refuse the same
 * map (E2BIG): bpfdev's price is at least what the kernel takes. bpfdev's
 * price, found by bisecting map_mem_max, is printed beside it.
 *
 * Not filled (they take devices or sockets; their entries are priced from
 * the kernel source): devmap, devmap_hash, xskmap, sockmap, sockhash.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"

/*
 * Per-CPU memory is populated in pages per CPU, and the measuring process
 * allocates a little itself: exact to within this.
 */
#define SLACK		(1L << 20)
/* every case takes more than this, so that the slack is small beside it */
#define DELTA_MIN	(3L << 20)

enum fill { NONE, UPDATE, LPM, PAGES };

static const struct mapcase {
	const char *name;
	__u32 type, key, value, entries, flags;
	enum fill fill;
	int only_612;
} cases[] = {
	{ "hash", BPF_MAP_TYPE_HASH, 4, 8, 65536, 0, NONE, 0 },
	{ "hash, preallocated, filled", BPF_MAP_TYPE_HASH, 4, 8, 65536, 0,
	  UPDATE, 0 },
	{ "hash, filled", BPF_MAP_TYPE_HASH, 8, 200, 32768,
	  BPF_F_NO_PREALLOC, UPDATE, 0 },
	{ "hash, 1000-byte values, filled", BPF_MAP_TYPE_HASH, 4, 1000, 8192,
	  BPF_F_NO_PREALLOC, UPDATE, 0 },
	{ "percpu_hash", BPF_MAP_TYPE_PERCPU_HASH, 4, 64, 32768, 0, NONE, 0 },
	{ "percpu_hash, filled", BPF_MAP_TYPE_PERCPU_HASH, 4, 8, 65536,
	  BPF_F_NO_PREALLOC, UPDATE, 0 },
	{ "lru_hash", BPF_MAP_TYPE_LRU_HASH, 4, 64, 65536, 0, UPDATE, 0 },
	{ "lru_percpu_hash", BPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 16, 65536, 0,
	  UPDATE, 0 },
	{ "array", BPF_MAP_TYPE_ARRAY, 4, 64, 100000, 0, NONE, 0 },
	{ "array, 4096-byte values", BPF_MAP_TYPE_ARRAY, 4, 4096, 1000, 0,
	  NONE, 0 },
	{ "percpu_array", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 128, 32768, 0, NONE,
	  0 },
	{ "prog_array", BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1 << 20, 0, NONE, 0 },
	{ "perf_event_array", BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 1 << 20, 0,
	  NONE, 0 },
	{ "cgroup_array", BPF_MAP_TYPE_CGROUP_ARRAY, 4, 4, 1 << 20, 0, NONE, 0 },
	{ "lpm_trie, filled", BPF_MAP_TYPE_LPM_TRIE, 8, 8, 65536,
	  BPF_F_NO_PREALLOC, LPM, 0 },
	{ "queue", BPF_MAP_TYPE_QUEUE, 0, 64, 131072, 0, NONE, 0 },
	{ "stack", BPF_MAP_TYPE_STACK, 0, 1000, 8192, 0, NONE, 0 },
	{ "stack_trace", BPF_MAP_TYPE_STACK_TRACE, 4, 1016, 8192, 0, NONE, 0 },
	{ "ringbuf", BPF_MAP_TYPE_RINGBUF, 0, 0, 8 << 20, 0, NONE, 0 },
	{ "user_ringbuf", BPF_MAP_TYPE_USER_RINGBUF, 0, 0, 8 << 20, 0, NONE, 0 },
	{ "bloom_filter", BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 8 << 20, 0, NONE, 0 },
	{ "devmap", BPF_MAP_TYPE_DEVMAP, 4, 4, 1 << 19, 0, NONE, 0 },
	{ "devmap_hash", BPF_MAP_TYPE_DEVMAP_HASH, 4, 4, 1 << 19, 0, NONE, 0 },
	{ "sockmap", BPF_MAP_TYPE_SOCKMAP, 4, 4, 1 << 19, 0, NONE, 0 },
	{ "sockhash", BPF_MAP_TYPE_SOCKHASH, 4, 4, 1 << 19, 0, NONE, 0 },
	{ "xskmap", BPF_MAP_TYPE_XSKMAP, 4, 4, 1 << 19, 0, NONE, 0 },
	{ "reuseport_sockarray", BPF_MAP_TYPE_REUSEPORT_SOCKARRAY, 4, 4,
	  1 << 19, 0, NONE, 0 },
	{ "arena, pages touched", 33 /* BPF_MAP_TYPE_ARENA */, 0, 0, 4096,
	  BPF_F_MMAPABLE, PAGES, 1 },
};

/*
 * What the kernel has taken for the processes of @cg: the cgroup's kernel
 * memory (not memory.current, which also counts the files and anonymous
 * memory its processes use), and per-CPU memory charged to the root
 * cgroup instead (mapmem.c).
 */
static long kernel_took(const char *cg)
{
	char stat[300];

	snprintf(stat, sizeof(stat), "%s/memory.stat", cg);
	return file_value(stat, "\nkernel ") +
	       file_value("/proc/meminfo", "\nPercpu:") * 1024 -
	       file_value(stat, "\npercpu ");
}

/* A fresh memory cgroup with this process in it. */
static void enter_fresh_memcg(char *cg, size_t len)
{
	int fd;

	fd = open("/sys/fs/cgroup/cgroup.subtree_control", O_WRONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "+memory", 7), 7);
	close(fd);
	snprintf(cg, len, "/sys/fs/cgroup/bpfdev-mem-%d", getpid());
	ck_assert_int_eq(mkdir(cg, 0755), 0);
	cgroup_enter(cg);
}

/*
 * Wait until the system's per-CPU memory stops moving: the maps of the
 * test before are freed by deferred work after its process exits, and
 * what they give back would count against this one.
 */
static void settle_percpu(void)
{
	long last = -1, now;
	int i;

	for (i = 0; i < 20; i++) {
		now = file_value("/proc/meminfo", "\nPercpu:");
		if (now == last)
			return;
		last = now;
		sleep(1);
	}
	ck_abort_msg("per-CPU memory still moving after 20 s");
}

static int create(int dev, const struct mapcase *c)
{
	union bpf_attr a;

	attr_map(&a, c->type, c->key, c->value, c->entries);
	a.map_flags = c->flags;
	return dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a));
}

static void update(int map, const void *key, const void *value)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (__u32)map;
	a.key = ptr_to_u64(key);
	a.value = ptr_to_u64(value);
	ck_assert_msg(sys_bpf(BPF_MAP_UPDATE_ELEM, &a, sizeof(a)) == 0,
		      "update: %s", strerror(errno));
}

/* Make the map allocate what it allocates as it fills. */
static void fill(int map, const struct mapcase *c)
{
	static char value[4096];
	char key[16];
	long page = sysconf(_SC_PAGESIZE);
	volatile char *p;
	__u32 i;

	for (i = 0; c->fill != PAGES && c->fill != NONE && i < c->entries;
	     i++) {
		memset(key, 0, sizeof(key));
		if (c->fill == LPM) {
			__u32 prefix = 32;

			memcpy(key, &prefix, 4);
		}
		memcpy(key + (c->fill == LPM ? 4 : 0), &i, sizeof(i));
		update(map, key, value);
	}
	if (c->fill != PAGES)
		return;
	p = mmap(NULL, (size_t)c->entries * (size_t)page,
		 PROT_READ | PROT_WRITE, MAP_SHARED, map, 0);
	ck_assert_msg(p != MAP_FAILED, "mmap: %s", strerror(errno));
	for (i = 0; i < c->entries; i++)
		p[(size_t)i * (size_t)page] = 1;
}

static int try_with_limit(int dev, const struct mapcase *c,
			  unsigned long limit)
{
	char v[32];
	int fd;

	snprintf(v, sizeof(v), "%lu", limit);
	ck_assert_int_eq(root_param_write("map_mem_max", v), 0);
	fd = create(dev, c);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return -errno;
}

/* bpfdev's price: the smallest map_mem_max that lets the map through */
static unsigned long price(int dev, const struct mapcase *c)
{
	unsigned long lo = 0, hi = 1UL << 40, mid;

	while (lo + 1 < hi) {
		mid = lo + (hi - lo) / 2;
		if (try_with_limit(dev, c, mid))
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

START_TEST(map_memory_is_priced_as_the_kernel_takes_it)
{
	const struct mapcase *c = &cases[_i];
	char cg[256];
	long before, delta;
	unsigned long bpfdev_price;
	int dev, map, err;

	ck_assert_int_eq(root_param_write("delegate_maps", "any"), 0);
	ck_assert_int_eq(root_param_write("map_mem_max", "1099511627776"), 0);
	enter_fresh_memcg(cg, sizeof(cg));
	dev = member_dev();
	if (c->only_612 && !kernel_is_612()) {
		/* a type 6.1 does not know: as bpf(2) */
		ck_assert_int_eq(create(dev, c), -1);
		ck_assert_int_eq(errno, EINVAL);
		return;
	}

	settle_percpu();
	before = kernel_took(cg);
	map = create(dev, c);
	ck_assert_msg(map >= 0, "%s: %s", c->name, strerror(errno));
	fill(map, c);
	/*
	 * memory.stat is exact once the kernel's periodic flush of the
	 * cgroup statistics has run (every 2 s, mm/memcontrol.c FLUSH_TIME);
	 * a read may flush before that, or not. Before, the fresh cgroup had
	 * next to nothing to flush.
	 */
	sleep(3);
	delta = kernel_took(cg) - before;

	bpfdev_price = price(dev, c);
	printf("mapmem %s: the kernel took %ld bytes, bpfdev prices %lu (%.2fx)\n",
	       c->name, delta, bpfdev_price, (double)bpfdev_price / (double)delta);
	ck_assert_msg(delta >= DELTA_MIN, "%s: %ld bytes, too small to measure",
		      c->name, delta);
	err = try_with_limit(dev, c, (unsigned long)(delta - SLACK));
	ck_assert_msg(err == -E2BIG,
		      "%s took %ld bytes, but a limit of %ld let it through (bpfdev prices %lu)",
		      c->name, delta, delta - SLACK, bpfdev_price);
	close(map);
}
END_TEST

/*
 * An arena's max_entries counts pages: 1 GiB and 4 GiB of them (the
 * largest) are over the default limit, which once priced them as 16 MiB
 * and 64 MiB.
 */
static const __u32 arena_pages[] = { 1 << 18, 1 << 20 };

START_TEST(large_arena_is_over_the_default_limit)
{
	const struct mapcase arena = {
		"arena", 33 /* BPF_MAP_TYPE_ARENA */, 0, 0, arena_pages[_i],
		BPF_F_MMAPABLE, NONE, 1
	};
	struct objs before;
	int dev, fd;

	/* the defaults, whatever a failed test before left */
	root_params_reset();
	ck_assert_int_eq(root_param_write("delegate_maps", "any"), 0);
	dev = member_dev();
	objs_snapshot(&before);
	fd = create(dev, &arena);
	/* 6.1 has no arena: a type it does not know */
	ck_assert_msg(fd == -1 && errno == (kernel_is_612() ? E2BIG : EINVAL),
		      "arena of %u pages: %d (%s)", arena_pages[_i], fd,
		      fd < 0 ? strerror(errno) : "created");
	ck_assert_int_eq(objs_created_since(&before), 0);
}
END_TEST

const struct suite_def mapmem_suite = { "mapmem", {
	{ "price", .timeout = 600, .reset_grant = 1, .tests = {
		LOOP_TEST(map_memory_is_priced_as_the_kernel_takes_it,
			  ARRAY_LEN(cases)),
		LOOP_TEST(large_arena_is_over_the_default_limit,
			  ARRAY_LEN(arena_pages)),
	} },
} };
