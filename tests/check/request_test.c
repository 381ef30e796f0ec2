// SPDX-License-Identifier: GPL-2.0
/*
 * The snapshot (request.c): malformed requests each get their errno and
 * leave no fd and no object behind; and a second thread rewriting the
 * request while the ioctl runs changes nothing (the race is also run
 * against the broken build, which reads the types again after the
 * decision, and must find it there).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "testlib.h"

static const struct bpf_insn ret0[] = { INSN_MOV64_IMM(0, 0), INSN_EXIT() };
static const struct bpf_insn ret1[] = { INSN_MOV64_IMM(0, 1), INSN_EXIT() };

struct fixture {
	int dev;
	int fds;
	struct objs objs;
	void *unmapped;
};

static void fixture_begin(struct fixture *f)
{
	objs_snapshot(&f->objs);
	become_member();
	f->dev = dev_open(O_RDWR);
	ck_assert_int_ge(f->dev, 0);
	/* an address that is certainly not mapped */
	f->unmapped = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			   -1, 0);
	ck_assert_ptr_ne(f->unmapped, MAP_FAILED);
	ck_assert_int_eq(munmap(f->unmapped, 4096), 0);
	f->fds = fd_count();
}

/* The request failed with @err and left nothing behind. */
static void expect_refused(struct fixture *f, int ret, int err)
{
	ck_assert_int_eq(ret, -1);
	ck_assert_int_eq(errno, err);
	ck_assert_int_eq(fd_count(), f->fds);
	ck_assert_int_eq(objs_created_since(&f->objs), 0);
}

static int raw_request(int dev, __u32 size, __u32 cmd, __u32 flags,
		       void *attr, __u32 attr_size)
{
	struct {
		struct bpfdev_sys_bpf req;
		__u64 tail;
	} r = {
		.req = { .size = size, .cmd = cmd, .flags = flags,
			 .attr = ptr_to_u64(attr), .attr_size = attr_size },
	};

	return ioctl(dev, BPFDEV_IOC_SYS_BPF, &r);
}

START_TEST(unknown_and_unmediated_commands)
{
	struct fixture f;
	union bpf_attr a;
	int cmd;

	fixture_begin(&f);
	memset(&a, 0, sizeof(a));
	expect_refused(&f, dev_bpf(f.dev, 999, &a, sizeof(a)), EINVAL);
	/* known, but needs no privilege: bpf(2) itself does it */
	expect_refused(&f, dev_bpf(f.dev, BPF_MAP_LOOKUP_ELEM, &a, sizeof(a)),
		       EOPNOTSUPP);
	/* never through bpfdev: ctx_in would be a kernel pointer */
	expect_refused(&f, dev_bpf(f.dev, BPF_PROG_TEST_RUN, &a, sizeof(a)),
		       EOPNOTSUPP);
	/* every command of 6.1's the uapi lists do not name */
	for (cmd = 0; cmd <= BPF_PROG_BIND_MAP; cmd++) {
		if ((BPFDEV_CMDS_EXECUTED | BPFDEV_CMDS_OWN) & (1ULL << cmd))
			continue;
		memset(&a, 0, sizeof(a));
		expect_refused(&f, dev_bpf(f.dev, cmd, &a, sizeof(a)),
			       EOPNOTSUPP);
	}
	/* attaches other than cgroup inet ones need no privilege */
	memset(&a, 0, sizeof(a));
	a.link_create.attach_type = BPF_XDP;
	expect_refused(&f, dev_bpf(f.dev, BPF_LINK_CREATE, &a, sizeof(a)),
		       EOPNOTSUPP);
}
END_TEST

START_TEST(request_struct_rules)
{
	struct fixture f;
	union bpf_attr a;
	int fd;

	fixture_begin(&f);
	attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 4, 1);
	expect_refused(&f, raw_request(f.dev, 16, BPF_MAP_CREATE, 0, &a,
				       sizeof(a)), EINVAL);
	expect_refused(&f, raw_request(f.dev, 24, BPF_MAP_CREATE, 1, &a,
				       sizeof(a)), EINVAL);
	expect_refused(&f, raw_request(f.dev, 5000, BPF_MAP_CREATE, 0, &a,
				       sizeof(a)), E2BIG);
	expect_refused(&f, ioctl(f.dev, BPFDEV_IOC_SYS_BPF, NULL), EFAULT);
	expect_refused(&f, ioctl(f.dev, BPFDEV_IOC_SYS_BPF, f.unmapped),
		       EFAULT);
	/* a larger struct with a zero tail is a request like any other */
	fd = raw_request(f.dev, 32, BPF_MAP_CREATE, 0, &a, sizeof(a));
	ck_assert_int_ge(fd, 0);
	close(fd);
}
END_TEST

START_TEST(attr_size_rules)
{
	char big[8192] = { 0 };
	union bpf_attr *a = (union bpf_attr *)big;
	struct fixture f;
	int fd;

	fixture_begin(&f);
	attr_map(a, BPF_MAP_TYPE_ARRAY, 4, 4, 1);
	/* as bpf(2): more than a page is E2BIG */
	expect_refused(&f, dev_bpf(f.dev, BPF_MAP_CREATE, a, 4097), E2BIG);
	/* a non-zero byte past what the kernel's union knows */
	big[4000] = 1;
	expect_refused(&f, dev_bpf(f.dev, BPF_MAP_CREATE, a, 4096), E2BIG);
	big[4000] = 0;
	fd = dev_bpf(f.dev, BPF_MAP_CREATE, a, 4096);
	ck_assert_int_ge(fd, 0);
	close(fd);
	/* a short attr is zero-extended, as bpf(2) does */
	fd = dev_bpf(f.dev, BPF_MAP_CREATE, a, attr_end(max_entries));
	ck_assert_int_ge(fd, 0);
	close(fd);
	/* the two maps may live a second more (the registry): count from here */
	objs_snapshot(&f.objs);
	/* a field the command does not use, as CHECK_ATTR() */
	big[100] = 1;
	expect_refused(&f, dev_bpf(f.dev, BPF_MAP_CREATE, a, sizeof(*a)),
		       EINVAL);
}
END_TEST

START_TEST(bad_pointers_are_efault)
{
	struct fixture f;
	union bpf_attr a;

	fixture_begin(&f);
	expect_refused(&f, dev_bpf(f.dev, BPF_MAP_CREATE, f.unmapped, 64),
		       EFAULT);
	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	a.insns = ptr_to_u64(f.unmapped);
	expect_refused(&f, dev_bpf(f.dev, BPF_PROG_LOAD, &a, sizeof(a)),
		       EFAULT);
	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	a.license = ptr_to_u64(f.unmapped);
	expect_refused(&f, dev_bpf(f.dev, BPF_PROG_LOAD, &a, sizeof(a)),
		       EFAULT);
	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	a.license = 0;
	expect_refused(&f, dev_bpf(f.dev, BPF_PROG_LOAD, &a, sizeof(a)),
		       EFAULT);
	memset(&a, 0, sizeof(a));
	a.btf = ptr_to_u64(f.unmapped);
	a.btf_size = 64;
	expect_refused(&f, dev_bpf(f.dev, BPF_BTF_LOAD, &a, sizeof(a)),
		       EFAULT);
	/* a kernel address is not a way to read kernel memory */
	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	a.insns = 0xffffffff81000000ULL;
	expect_refused(&f, dev_bpf(f.dev, BPF_PROG_LOAD, &a, sizeof(a)),
		       EFAULT);
}
END_TEST

START_TEST(fd_array_indexes_are_bounded)
{
	/* ldimm64 with a map index: imm indexes fd_array */
	struct bpf_insn insns[] = {
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1,
		  .src_reg = BPF_PSEUDO_MAP_IDX, .imm = -1 },
		{ 0 },
		INSN_MOV64_IMM(0, 0),
		INSN_EXIT(),
	};
	int fds[1] = { -1 };
	struct fixture f;
	union bpf_attr a;

	fixture_begin(&f);
	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, insns, ARRAY_LEN(insns));
	a.fd_array = ptr_to_u64(fds);
	expect_refused(&f, dev_bpf(f.dev, BPF_PROG_LOAD, &a, sizeof(a)),
		       EINVAL);
	insns[0].imm = 1 << 20;
	expect_refused(&f, dev_bpf(f.dev, BPF_PROG_LOAD, &a, sizeof(a)),
		       E2BIG);
}
END_TEST

/*
 * A kfunc call hidden in the second half of an ldimm64: the kernel reads
 * fd_array[off] for it before rejecting the malformed instruction, so the
 * copy must cover it. The caller's fd_array is 4 bytes at the end of a page
 * before an unmapped one: sized right, the copy faults (EFAULT); sized by
 * the map index alone, the kernel would read past a 4-byte kernel buffer.
 */
START_TEST(fd_array_covers_kfunc_in_ldimm64_second_half)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1,
		  .src_reg = BPF_PSEUDO_MAP_IDX, .imm = 0 },
		{ .code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_KFUNC_CALL,
		  .off = 0x7fff, .imm = 1 },
		INSN_MOV64_IMM(0, 0),
		INSN_EXIT(),
	};
	struct fixture f;
	union bpf_attr a;
	char *page;
	int *fds;

	page = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(page, MAP_FAILED);
	ck_assert_int_eq(mprotect(page + 4096, 4096, PROT_NONE), 0);
	fds = (int *)(page + 4096 - sizeof(int));
	fds[0] = -1;
	fixture_begin(&f);
	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, insns, ARRAY_LEN(insns));
	a.fd_array = ptr_to_u64(fds);
	expect_refused(&f, dev_bpf(f.dev, BPF_PROG_LOAD, &a, sizeof(a)),
		       EFAULT);
}
END_TEST

/*
 * A kernel symbol through BTF the caller loaded would let a socket filter
 * read kernel memory (a VAR "init_task" typed as a big array). Refused, and
 * so is any ksym from a non-tracing program.
 */
START_TEST(ksym_through_caller_btf_is_refused)
{
	static const struct {
		__u32 hdr[6];
		__u32 type[3];
		__u32 enc;
		char str[5];
	} __attribute__((packed)) btf = {
		{ 0x0001eB9F, 24, 0, 16, 16, 5 },
		{ 1, 1U << 24, 4 }, (1U << 24) | 32, "\0int",
	};
	struct bpf_insn insns[] = {
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1,
		  .src_reg = BPF_PSEUDO_BTF_ID, .imm = 1 },
		{ .imm = 0 },
		INSN_MOV64_IMM(0, 0),
		INSN_EXIT(),
	};
	struct fixture f;
	union bpf_attr a;
	int btf_fd;

	fixture_begin(&f);
	memset(&a, 0, sizeof(a));
	a.btf = ptr_to_u64(&btf);
	a.btf_size = sizeof(btf);
	btf_fd = dev_bpf(f.dev, BPF_BTF_LOAD, &a, sizeof(a));
	ck_assert_int_ge(btf_fd, 0);
	f.fds = fd_count();
	objs_snapshot(&f.objs);
	insns[1].imm = btf_fd;
	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, insns, ARRAY_LEN(insns));
	expect_refused(&f, dev_bpf(f.dev, BPF_PROG_LOAD, &a, sizeof(a)),
		       EPERM);
	/* the kernel's own BTF (imm 0), still from a socket filter */
	insns[1].imm = 0;
	expect_refused(&f, dev_bpf(f.dev, BPF_PROG_LOAD, &a, sizeof(a)),
		       EPERM);
}
END_TEST

struct type_race {
	int iterations;
	int violations;	/* an undelegated type got loaded */
	int loaded;	/* the delegated type loaded */
	int refused;	/* EPERM */
	int other;
};

struct type_flipper {
	volatile union bpf_attr *attr;
	volatile int stop;
};

/*
 * sk_reuseport needs the same capability as a socket filter (CAP_BPF), so
 * only bpfdev's policy stands between the member and loading it.
 */
static void *type_flip(void *arg)
{
	struct type_flipper *f = arg;

	while (!f->stop) {
		f->attr->prog_type = BPF_PROG_TYPE_SK_REUSEPORT;
		f->attr->expected_attach_type = BPF_SK_REUSEPORT_SELECT;
		f->attr->insns = ptr_to_u64(ret1);
		f->attr->prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
		f->attr->expected_attach_type = 0;
		f->attr->insns = ptr_to_u64(ret0);
	}
	return NULL;
}

static __u32 prog_type_of(int fd)
{
	struct bpf_prog_info info;
	union bpf_attr a;

	memset(&info, 0, sizeof(info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (__u32)fd;
	a.info.info_len = sizeof(info);
	a.info.info = ptr_to_u64(&info);
	ck_assert_int_eq(sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a, sizeof(a)), 0);
	return info.type;
}

static void type_race_run(struct type_race *r, int iterations)
{
	static union bpf_attr attr;
	struct type_flipper f = { .attr = &attr };
	pthread_t t;
	int dev, i, fd;

	memset(r, 0, sizeof(*r));
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	attr_prog(&attr, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	ck_assert_int_eq(pthread_create(&t, NULL, type_flip, &f), 0);
	for (i = 0; i < iterations; i++) {
		fd = dev_bpf(dev, BPF_PROG_LOAD, &attr, sizeof(attr));
		if (fd >= 0) {
			if (prog_type_of(fd) == BPF_PROG_TYPE_SOCKET_FILTER)
				r->loaded++;
			else
				r->violations++;
			close(fd);
		} else if (errno == EPERM) {
			r->refused++;
		} else {
			r->other++;
		}
	}
	f.stop = 1;
	pthread_join(t, NULL);
	r->iterations = iterations;
	close(dev);
}

START_TEST(prog_type_flip_race)
{
	struct type_race r;
	int runs = 1;

	become_member();
	type_race_run(&r, scaled(RACE_ITERATIONS));
	while (broken_build && !r.violations && runs++ < RACE_RUNS_BROKEN)
		type_race_run(&r, scaled(RACE_ITERATIONS));
	if (race_verdict("prog-type flip", r.iterations, r.violations,
			 r.loaded, r.refused))
		return;
	/* the flips were seen by the snapshot: both outcomes occurred */
	ck_assert_int_gt(r.loaded, 0);
	ck_assert_int_gt(r.refused, 0);
}
END_TEST

const struct suite_def request_suite = { "request", {
	{ "malformed", .tests = {
		TEST(unknown_and_unmediated_commands),
		TEST(request_struct_rules),
		TEST(attr_size_rules),
		TEST(bad_pointers_are_efault),
		TEST(fd_array_indexes_are_bounded),
		TEST(fd_array_covers_kfunc_in_ldimm64_second_half),
		TEST(ksym_through_caller_btf_is_refused),
	} },
	{ "snapshot_race", .timeout = 300, .tests = {
		RACE(prog_type_flip_race),
	} },
} };
