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
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
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
	type_race_run(&r, scaled(RACE_ITERATIONS));
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

/*
 * Threads that each open, query and close a file of their own, narrow the
 * shared budgeted file, load through the narrowed file and close it: all
 * at once. The loads through a file narrowed to a budget of BUDGET
 * programs (and everything narrowed from it) must never exceed BUDGET, and
 * the file's count must say how many ran.
 */
#define BUDGET		6
#define BUDGET_THREADS	4	/* user_loads_max: 4 loads at once */

struct budget_round {
	int narrowed;
	volatile int go;
	pthread_mutex_t lock;
	int loaded, refused, other;
};

static void *budget_thread(void *arg)
{
	struct budget_round *b = arg;
	int loaded = 0, refused = 0, other = 0, i;
	struct bpfdev_info info;
	union bpf_attr a;

	while (!b->go)
		;
	for (i = 0; i < 2 * BUDGET; i++) {
		int dev = dev_open(O_RDWR), child, fd;

		if (dev < 0 || dev_info(dev, &info))
			other++;
		if (dev >= 0)
			close(dev);
		child = dev_narrow(b->narrowed, ~0ULL, ~0ULL, 0, 0);
		if (child < 0) {
			other++;
			continue;
		}
		attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, insns_a, 2);
		fd = dev_bpf(child, BPF_PROG_LOAD, &a, sizeof(a));
		if (fd >= 0) {
			loaded++;
			close(fd);
		} else if (errno == EDQUOT) {
			refused++;
		} else {
			other++;
		}
		close(child);
	}
	pthread_mutex_lock(&b->lock);
	b->loaded += loaded;
	b->refused += refused;
	b->other += other;
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

void budget_race_run(struct budget_race *r, int rounds)
{
	struct bpfdev_info info;
	pthread_t t[BUDGET_THREADS];
	int dev, i, round;

	memset(r, 0, sizeof(*r));
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	for (round = 0; round < rounds; round++) {
		struct budget_round b = { .lock = PTHREAD_MUTEX_INITIALIZER };

		b.narrowed = dev_narrow(dev, ~0ULL, ~0ULL, BUDGET, 0);
		ck_assert_int_ge(b.narrowed, 0);
		for (i = 0; i < BUDGET_THREADS; i++)
			ck_assert_int_eq(pthread_create(&t[i], NULL,
							budget_thread, &b), 0);
		b.go = 1;
		for (i = 0; i < BUDGET_THREADS; i++)
			pthread_join(t[i], NULL);
		if (b.loaded > BUDGET)
			r->violations++;
		ck_assert_int_eq(dev_info(b.narrowed, &info), 0);
		if (info.progs_created != (__u32)b.loaded)
			r->miscounted++;
		r->loaded += b.loaded;
		r->refused += b.refused;
		r->other += b.other;
		close(b.narrowed);
	}
	r->rounds = rounds;
	close(dev);
}

START_TEST(open_narrow_execute_close_race)
{
	struct budget_race r;

	become_member();
	budget_race_run(&r, scaled(BUDGET_ROUNDS));
	race_report("open/narrow/execute/close", r.rounds, r.violations,
		    r.loaded, r.refused);
	ck_assert_int_eq(r.violations, 0);
	ck_assert_int_eq(r.miscounted, 0);
	ck_assert_int_eq(r.other, 0);
	/* every round used its whole budget, and more was asked for */
	ck_assert_int_eq(r.loaded, BUDGET * r.rounds);
	ck_assert_int_gt(r.refused, 0);
}
END_TEST

/*
 * Two threads of the member load through one file while root revokes
 * every grant. A load that started after the write to "revoke" returned
 * must be refused; loads in flight at that moment may finish.
 */
struct revoke_shared {
	int revoked;		/* set once the write returned */
	int done;
	int before, after_ok, refused, other;
};

struct revoke_thread {
	struct revoke_shared *sh;
	int dev;
};

static void *revoke_thread(void *arg)
{
	struct revoke_thread *rt = arg;
	struct revoke_shared *sh = rt->sh;
	union bpf_attr a;

	while (!__atomic_load_n(&sh->done, __ATOMIC_ACQUIRE)) {
		int after = __atomic_load_n(&sh->revoked, __ATOMIC_ACQUIRE);
		int fd;

		attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, insns_a, 2);
		fd = dev_bpf(rt->dev, BPF_PROG_LOAD, &a, sizeof(a));
		if (fd >= 0) {
			close(fd);
			__atomic_add_fetch(after ? &sh->after_ok : &sh->before,
					   1, __ATOMIC_RELAXED);
		} else if (errno == EPERM) {
			__atomic_add_fetch(&sh->refused, 1, __ATOMIC_RELAXED);
		} else if (errno != EDQUOT) {
			__atomic_add_fetch(&sh->other, 1, __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

void revoke_race_run(struct revoke_race *r, int rounds)
{
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	struct revoke_shared *sh;
	int round, status;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(sh, MAP_FAILED);
	for (round = 0; round < rounds; round++) {
		memset(sh, 0, sizeof(*sh));
		pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			struct revoke_thread rt = { .sh = sh };
			pthread_t t;

			rt.dev = member_dev();
			if (pthread_create(&t, NULL, revoke_thread, &rt))
				_exit(1);
			revoke_thread(&rt);
			pthread_join(t, NULL);
			_exit(0);
		}
		/* revoke once the loaders are running, at a varying moment */
		for (status = 0; !__atomic_load_n(&sh->before, __ATOMIC_ACQUIRE);
		     status++) {
			ck_assert_msg(status < 10000, "the loaders never ran");
			usleep(1000);
		}
		usleep((useconds_t)(round % 7) * 100);
		ck_assert_int_eq(param_write("revoke", "1"), 0);
		__atomic_store_n(&sh->revoked, 1, __ATOMIC_RELEASE);
		/* let loads start after it, at least until one is refused */
		nanosleep(&pause, NULL);
		for (status = 0; !__atomic_load_n(&sh->refused, __ATOMIC_ACQUIRE) &&
		     status < 10000; status++)
			usleep(1000);
		__atomic_store_n(&sh->done, 1, __ATOMIC_RELEASE);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		r->violations += sh->after_ok;
		r->before += sh->before;
		r->refused += sh->refused;
		r->other += sh->other;
	}
	r->rounds = rounds;
	munmap(sh, sizeof(*sh));
}

START_TEST(revocation_execution_race)
{
	struct revoke_race r;

	revoke_race_run(&r, scaled(REVOKE_ROUNDS));
	race_report("revoke/execute", r.rounds, r.violations, r.before,
		    r.refused);
	ck_assert_int_eq(r.violations, 0);
	ck_assert_int_eq(r.other, 0);
	/* each round had loads run before and refused after */
	ck_assert_int_ge(r.before, r.rounds);
	ck_assert_int_ge(r.refused, r.rounds);
}
END_TEST

Suite *race_suite(void)
{
	Suite *s = suite_create("race");
	TCase *tc = tcase_create("snapshot");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, prog_type_flip_race);
	suite_add_tcase(s, tc);
	tc = tcase_create("lifetime");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, open_narrow_execute_close_race);
	tcase_add_test(tc, revocation_execution_race);
	suite_add_tcase(s, tc);
	return s;
}

/* Against the broken build: the same loops must find the race. */
START_TEST(broken_prog_type_flip_is_caught)
{
	struct type_race r;

	become_member();
	type_race_run(&r, scaled(RACE_ITERATIONS));
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
	freeze_race_run(&r, scaled(RACE_ITERATIONS));
	race_report("freeze fd-swap (broken build)", r.iterations,
		    r.violations, r.frozen, r.refused);
	ck_assert_int_gt(r.violations, 0);
}
END_TEST

START_TEST(broken_budget_is_overshot)
{
	struct budget_race r;

	become_member();
	budget_race_run(&r, scaled(BUDGET_ROUNDS));
	race_report("open/narrow/execute/close (broken build)", r.rounds,
		    r.violations, r.loaded, r.refused);
	ck_assert_int_gt(r.violations, 0);
}
END_TEST

START_TEST(broken_revocation_is_late)
{
	struct revoke_race r;

	revoke_race_run(&r, scaled(REVOKE_ROUNDS));
	race_report("revoke/execute (broken build)", r.rounds, r.violations,
		    r.before, r.refused);
	ck_assert_int_gt(r.violations, 0);
}
END_TEST

START_TEST(broken_rmmod_with_narrowed_file_open)
{
	struct rmmod_race r;

	memset(&r, 0, sizeof(r));
	rmmod_pinned_run(&r);
	race_report("rmmod/open, pinned (broken build)", 1, r.violations,
		    r.opened, r.busy);
	ck_assert_int_gt(r.violations, 0);
}
END_TEST

Suite *broken_suite(void)
{
	Suite *s = suite_create("broken");
	TCase *tc = tcase_create("races_found");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, broken_prog_type_flip_is_caught);
	tcase_add_test(tc, broken_budget_is_overshot);
	tcase_add_test(tc, broken_revocation_is_late);
	tcase_add_test(tc, broken_rmmod_with_narrowed_file_open);
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
