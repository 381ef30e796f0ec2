// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: several processes of the member create programs and maps through
 * /dev/bpf in parallel, thousands each, in a memory cgroup of their own.
 * Afterwards every object is gone, the cgroup's memory is back to what it
 * was before they ran, and so is the kernel's unreclaimable slab.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#define STRESS_PROCS	4
#define STRESS_OPS	1500	/* programs, and as many maps, per process */
#define CG		"/sys/fs/cgroup/bpfdev-stress"

static const struct bpf_insn ret0[] = { INSN_MOV64_IMM(0, 0), INSN_EXIT() };

static long read_long(const char *path)
{
	char buf[64] = "";
	long v = -1;
	FILE *f = fopen(path, "re");

	if (f) {
		if (fgets(buf, sizeof(buf), f))
			v = strtol(buf, NULL, 10);
		fclose(f);
	}
	return v;
}

static void write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	close(fd);
}

/* A /proc/meminfo field, in kB. */
static long meminfo(const char *field)
{
	char line[256];
	size_t n = strlen(field);
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':')
			v = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

/* One stress process: returns the number of failed creations. */
static int stress_worker(int ops)
{
	union bpf_attr a;
	int dev = member_dev(), failed = 0, i, fd;

	for (i = 0; i < ops; i++) {
		attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
		fd = dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a));
		if (fd < 0)
			failed++;
		else
			close(fd);
		attr_map(&a, BPF_MAP_TYPE_HASH, 4, 64, 64);
		fd = dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a));
		if (fd < 0)
			failed++;
		else
			close(fd);
		if (i % 100 == 0) {
			fd = dev_narrow(dev, ~0ULL, ~0ULL, 0, 0);
			if (fd < 0)
				failed++;
			else
				close(fd);
		}
	}
	close(dev);
	return failed;
}

/*
 * The cgroup's kernel memory in use, in bytes: memory.stat's "kernel" (slab,
 * vmalloc, stacks, page tables: every kmem charge) plus "percpu". Unlike
 * memory.current this leaves out the charge each CPU keeps in stock for the
 * next allocation (up to 64 pages per CPU).
 */
static long cg_kernel(void)
{
	char line[256];
	long kernel = -1, percpu = -1;
	FILE *f = fopen(CG "/memory.stat", "re");

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "kernel ", 7))
			kernel = strtol(line + 7, NULL, 10);
		else if (!strncmp(line, "percpu ", 7))
			percpu = strtol(line + 7, NULL, 10);
	}
	fclose(f);
	ck_assert(kernel >= 0 && percpu >= 0);
	return kernel + percpu;
}

/*
 * Wait up to @secs for the cgroup's kernel memory to be <= @limit (frees
 * come after RCU grace periods and work items; the statistics are flushed
 * every 2 s); return the last value.
 */
static long cg_kernel_settles(long limit, int secs)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	long v = cg_kernel();
	int i;

	for (i = 0; i < secs * 10 && v > limit; i++) {
		nanosleep(&ts, NULL);
		v = cg_kernel();
	}
	return v;
}

START_TEST(parallel_loads_and_maps_give_memory_back)
{
	struct timespec t0, t1;
	long cg0, cg_peak, cg1, kmem0, kmem1, slab0, slab1;
	int i, status, failed = 0, ops = scaled(STRESS_OPS);
	struct objs before;
	char pid[32];
	pid_t pids[STRESS_PROCS];

	/* memory accounting for a cgroup of the stress processes */
	write_str("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
	rmdir(CG);
	ck_assert_int_eq(mkdir(CG, 0755), 0);
	objs_snapshot(&before);
	cg0 = read_long(CG "/memory.current");
	ck_assert_int_ge(cg0, 0);
	kmem0 = cg_kernel();
	slab0 = meminfo("SUnreclaim");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < STRESS_PROCS; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			snprintf(pid, sizeof(pid), "%d", getpid());
			write_str(CG "/cgroup.procs", pid);
			_exit(stress_worker(ops) ? 1 : 0);
		}
	}
	for (i = 0; i < STRESS_PROCS; i++) {
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_eq(failed, 0);
	cg_peak = read_long(CG "/memory.peak");	/* 6.12; -1 on 6.1 */

	/*
	 * Objects are freed after an RCU grace period and a work item; the
	 * cgroup's charge goes with them.
	 */
	for (i = 0; i < 10 && !objs_settle_to(&before); i++)
		;
	ck_assert_msg(i < 10, "bpf objects not back to baseline");
	/*
	 * A leaked program or map holds a page or more: 12,000 objects
	 * leaking would be tens of megabytes. The slack (256 KiB, about 22
	 * bytes per object) covers per-CPU object stocks and stragglers.
	 */
	kmem1 = cg_kernel_settles(kmem0 + (256 << 10), 20);
	cg1 = read_long(CG "/memory.current");
	slab1 = meminfo("SUnreclaim");
	printf("stress: %d processes x %d programs + %d maps in %.1f s; memcg kernel memory before %ld KiB, after %ld KiB; memory.current before %ld KiB, peak %ld KiB, after %ld KiB (per-CPU charge stock included); SUnreclaim before %ld kB, after %ld kB\n",
	       STRESS_PROCS, ops, ops,
	       (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       kmem0 >> 10, kmem1 >> 10, cg0 >> 10,
	       cg_peak < 0 ? -1 : cg_peak >> 10, cg1 >> 10, slab0, slab1);
	fflush(stdout);
	ck_assert_msg(kmem1 <= kmem0 + (256 << 10),
		      "the cgroup holds %ld bytes more kernel memory than before",
		      kmem1 - kmem0);
	/* at most the stock of 64 pages per CPU on top */
	ck_assert_msg(cg1 <= cg0 + sysconf(_SC_NPROCESSORS_ONLN) * (256 << 10) +
		      (64 << 10), "memory.current grew by %ld bytes", cg1 - cg0);
	/* slab is shared with everything else the kernel does: 4 MiB slack */
	ck_assert_msg(slab1 <= slab0 + 4096,
		      "SUnreclaim grew by %ld kB", slab1 - slab0);
	ck_assert_int_eq(rmdir(CG), 0);
}
END_TEST

const struct suite_def stress_suite = { "stress", {
	{ "parallel", .timeout = 600, .tests = {
		TEST(parallel_loads_and_maps_give_memory_back),
	} },
} };
