// SPDX-License-Identifier: GPL-2.0
/*
 * The administrator's grant (grant.c): module parameters parsed and
 * printed by name, root's alone to write, applied at once to open files,
 * renamed ones still answering to their old names;
 * and revocation, which stops every file in use, at once: a request that
 * starts after the write to "revoke" returned is refused (the race is also
 * run against the broken build, which revokes a tick late, and must find
 * it there).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

START_TEST(grant_change_applies_to_open_file)
{
	struct bpfdev_info info;
	union bpf_attr a;
	int dev;

	dev = member_dev();
	attr_map(&a, BPF_MAP_TYPE_HASH, 4, 4, 4);
	ck_assert_int_ge(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a)), 0);
	ck_assert_int_eq(root_param_write("delegate_maps", "array"), 0);
	ck_assert_int_eq(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a)), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(dev_info(dev, &info), 0);
	ck_assert_uint_eq(info.maps, 1ULL << BPF_MAP_TYPE_ARRAY);
	attr_map(&a, BPF_MAP_TYPE_ARRAY, 4, 4, 4);
	ck_assert_int_ge(dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a)), 0);
}
END_TEST

START_TEST(params_parse_and_print_names)
{
	char buf[1024];

	ck_assert_int_eq(root_param_write("delegate_maps", "0x6"), 0);
	ck_assert_int_eq(param_read("delegate_maps", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "hash:array");
	ck_assert_int_eq(root_param_write("delegate_maps", "any"), 0);
	ck_assert_int_eq(param_read("delegate_maps", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "any");
	ck_assert_int_eq(root_param_write("delegate_progs", "none"), 0);
	ck_assert_int_eq(param_read("delegate_progs", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "none");
	ck_assert_int_eq(root_param_write("delegate_cmds",
					  "prog_load:no_such_cmd"), -EINVAL);
	ck_assert_int_eq(root_param_write("delegate_cmds", "prog_load::"),
			 -EINVAL);
	ck_assert_int_eq(param_read("delegate_cmds", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "map_create:prog_load:btf_load:map_freeze");
}
END_TEST

START_TEST(params_are_root_writable_only)
{
	struct stat st;

	ck_assert_int_eq(stat("/sys/module/bpfdev/parameters/delegate_progs",
			      &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0644);
	become_member();
	ck_assert_int_eq(param_write("delegate_progs", "any"), -EACCES);
}
END_TEST

/* Parameters renamed after the INFO fields keep their old names. */
START_TEST(renamed_parameters_keep_their_old_names)
{
	static const char *const renamed[][2] = {
		{ "file_progs_max", "progs_max" },
		{ "file_maps_max", "maps_max" },
		{ "user_loads_max", "loads_max" },
	};
	struct bpfdev_info info;
	char buf[32];
	size_t i;
	int dev;

	for (i = 0; i < ARRAY_LEN(renamed); i++) {
		ck_assert_int_eq(root_param_write(renamed[i][0], "7"), 0);
		ck_assert_int_eq(param_read(renamed[i][1], buf, sizeof(buf)), 0);
		ck_assert_str_eq(buf, "7");
		ck_assert_int_eq(param_read(renamed[i][0], buf, sizeof(buf)), 0);
		ck_assert_str_eq(buf, "7");
	}
	dev = member_dev();
	ck_assert_int_eq(dev_info(dev, &info), 0);
	ck_assert_uint_eq(info.progs_max, 7);
	ck_assert_uint_eq(info.maps_max, 7);
	ck_assert_uint_eq(info.loads_max, 7);
}
END_TEST

START_TEST(revocation_stops_a_file_in_use_elsewhere)
{
	gid_t member_groups[] = { MEMBER_UID, (gid_t)bpf_gid() };
	int go[2], done[2], status, dev, m, child, code = 0;
	struct bpfdev_info info;
	__u32 key = 0;
	__u64 value = 7;
	union bpf_attr a;
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_eq(pipe(done), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		become_ids(MEMBER_UID, member_groups, 2);
		dev = open(DEV_PATH, O_RDWR);
		child = dev_narrow(dev, ~0ULL, ~0ULL, 0, 0);
		m = dev_map(dev, BPF_MAP_TYPE_ARRAY);
		if (dev < 0 || child < 0 || m < 0 || fd_result(dev_load_sf(dev)))
			_exit(94);
		if (write(done[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(95);
		/* revoked now */
		if (fd_result(dev_load_sf(dev)) == -EPERM)
			code |= 1;
		if (fd_result(dev_load_sf(child)) == -EPERM)
			code |= 2;
		if (dev_narrow(dev, ~0ULL, ~0ULL, 0, 0) < 0 && errno == EPERM)
			code |= 4;
		if (!dev_info(dev, &info) && (info.flags & BPFDEV_INFO_F_REVOKED))
			code |= 8;
		/* what it created stays its own */
		memset(&a, 0, sizeof(a));
		a.map_fd = (__u32)m;
		a.key = ptr_to_u64(&key);
		a.value = ptr_to_u64(&value);
		if (!sys_bpf(BPF_MAP_UPDATE_ELEM, &a, sizeof(a)))
			code |= 16;
		/* a file opened after the revocation works */
		close(dev);
		dev = open(DEV_PATH, O_RDWR);
		if (!fd_result(dev_load_sf(dev)))
			code |= 32;
		_exit(code);
	}
	ck_assert_int_eq(read(done[0], &c, 1), 1);
	ck_assert_int_eq(root_param_write("revoke", "1"), 0);
	ck_assert_int_eq(write(go[1], "g", 1), 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 63);
}
END_TEST

/* Requests started after the write to "revoke" returned. */
#define REVOKE_ROUNDS	150
struct revoke_race {
	int rounds;
	int violations;	/* loads that started after revoke returned and ran */
	int before;	/* loads that ran before it */
	int refused;	/* EPERM after it */
	int other;
};

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

	while (!__atomic_load_n(&sh->done, __ATOMIC_ACQUIRE)) {
		int after = __atomic_load_n(&sh->revoked, __ATOMIC_ACQUIRE);
		int fd;

		fd = dev_load_sf(rt->dev);
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

static void revoke_race_run(struct revoke_race *r, int rounds)
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
	if (race_verdict("revoke/execute", r.rounds, r.violations, r.before,
			 r.refused))
		return;
	ck_assert_int_eq(r.other, 0);
	/* each round had loads run before and refused after */
	ck_assert_int_ge(r.before, r.rounds);
	ck_assert_int_ge(r.refused, r.rounds);
}

const struct suite_def grant_suite = { "grant", {
	{ "params", .reset_grant = 1, .tests = {
		TEST(grant_change_applies_to_open_file),
		TEST(params_parse_and_print_names),
		TEST(params_are_root_writable_only),
		TEST(renamed_parameters_keep_their_old_names),
	} },
	{ "revocation", .timeout = 120, .reset_grant = 1, .tests = {
		TEST(revocation_stops_a_file_in_use_elsewhere),
	} },
	{ "race", .timeout = 300, .tests = {
		RACE(revocation_execution_race),
	} },
} };
