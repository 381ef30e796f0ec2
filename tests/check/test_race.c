// SPDX-License-Identifier: GPL-2.0
/*
 * A second thread rewrites the request while the ioctl runs. Under TCG a
 * race test can pass without ever hitting the window, so each test also
 * runs against a test-only build of the module with the race put back
 * (BPFDEV_TEST_BROKEN), where it must find it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "testlib.h"
#include "test_race.h"

void race_report(const char *name, int iterations, int violations,
		 int accepted, int refused)
{
	printf("race %s: %d iterations, %d violations, %d accepted, %d refused\n",
	       name, iterations, violations, accepted, refused);
	fflush(stdout);
}

static const struct bpf_insn insns_a[] = { INSN_MOV64_IMM(0, 0), INSN_EXIT() };
static const struct bpf_insn insns_b[] = { INSN_MOV64_IMM(0, 1), INSN_EXIT() };

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
		f->attr->insns = ptr_to_u64(insns_b);
		f->attr->prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
		f->attr->expected_attach_type = 0;
		f->attr->insns = ptr_to_u64(insns_a);
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

void type_race_run(struct type_race *r, int iterations)
{
	static union bpf_attr attr;
	struct type_flipper f = { .attr = &attr };
	pthread_t t;
	int dev, i, fd;

	memset(r, 0, sizeof(*r));
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	attr_prog(&attr, BPF_PROG_TYPE_SOCKET_FILTER, insns_a, 2);
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

	become_member();
	type_race_run(&r, RACE_ITERATIONS);
	race_report("prog-type flip", r.iterations, r.violations, r.loaded,
		    r.refused);
	ck_assert_int_eq(r.violations, 0);
	/* the flips were seen by the snapshot: both outcomes occurred */
	ck_assert_int_gt(r.loaded, 0);
	ck_assert_int_gt(r.refused, 0);
}
END_TEST

struct fd_flipper {
	int target;		/* the fd number the freeze names */
	volatile int writable;	/* the member's own, writable map */
	int read_only;		/* another map, held read-only */
	volatile int stop;
};

static void *fd_flip(void *arg)
{
	struct fd_flipper *f = arg;

	while (!f->stop) {
		dup2(f->writable, f->target);
		dup2(f->read_only, f->target);
	}
	return NULL;
}

void freeze_race_run(struct freeze_race *r, int iterations)
{
	struct fd_flipper f = { .target = 900 };
	union bpf_attr a;
	int dev, victim_w, i, old;
	pthread_t t;

	memset(r, 0, sizeof(*r));
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	victim_w = array_map(dev);
	ck_assert_int_ge(victim_w, 0);
	f.read_only = read_only_fd(victim_w);
	f.writable = array_map(dev);
	ck_assert_int_ge(f.writable, 0);
	ck_assert_int_eq(dup2(f.writable, f.target), f.target);

	ck_assert_int_eq(pthread_create(&t, NULL, fd_flip, &f), 0);
	for (i = 0; i < iterations; i++) {
		memset(&a, 0, sizeof(a));
		a.map_fd = (__u32)f.target;
		if (dev_bpf(dev, BPF_MAP_FREEZE, &a, sizeof(a)) == 0) {
			if (map_update(victim_w, 0, (__u32)i)) {
				r->violations++;
				i++;
				break;	/* frozen for good */
			}
			r->frozen++;
			/* the writable map is frozen now: a fresh one */
			old = f.writable;
			f.writable = array_map(dev);
			ck_assert_int_ge(f.writable, 0);
			close(old);
		} else if (errno == EPERM) {
			r->refused++;
		} else {
			r->other++;
		}
	}
	f.stop = 1;
	pthread_join(t, NULL);
	r->iterations = i;
	close(dev);
}

Suite *race_suite(void)
{
	Suite *s = suite_create("race");
	TCase *tc = tcase_create("snapshot");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, prog_type_flip_race);
	suite_add_tcase(s, tc);
	return s;
}

/* Against the broken build: the same loops must find the race. */
START_TEST(broken_prog_type_flip_is_caught)
{
	struct type_race r;

	become_member();
	type_race_run(&r, RACE_ITERATIONS);
	race_report("prog-type flip (broken build)", r.iterations,
		    r.violations, r.loaded, r.refused);
	ck_assert_int_gt(r.violations, 0);
}
END_TEST

START_TEST(broken_freeze_fd_swap_is_caught)
{
	struct freeze_race r;

	pin_dir_setup();
	become_member();
	freeze_race_run(&r, RACE_ITERATIONS);
	race_report("freeze fd-swap (broken build)", r.iterations,
		    r.violations, r.frozen, r.refused);
	ck_assert_int_gt(r.violations, 0);
}
END_TEST

Suite *broken_suite(void)
{
	Suite *s = suite_create("broken");
	TCase *tc = tcase_create("races_found");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, broken_prog_type_flip_is_caught);
	/*
	 * 6.12's own map_freeze() checks the mode on the object it freezes;
	 * bpfdev forwards it there, so only 6.1 has a bpfdev freeze path
	 * to break.
	 */
	if (!kernel_is_612())
		tcase_add_test(tc, broken_freeze_fd_swap_is_caught);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, broken_cgroup_tcase());
	return s;
}
