// SPDX-License-Identifier: GPL-2.0
/*
 * svrace MODE [N]: what a supervised program (bpfdev-run --supervise) can
 * do to the supervisor while a call is served. bpf(2) through libbpf's
 * low-level API, as any program.
 *
 *   maps N     load a socket filter whose two ld_imm64 name the same fd,
 *              while a thread keeps dup2()ing one map, then another, over
 *              that fd: every program must hold one map (the supervisor
 *              fetches a number once per request)
 *   type N     load with an attr whose type a thread keeps flipping from
 *              socket_filter to sk_reuseport (not delegated): every
 *              program loaded must be a socket filter
 *   sandbox    the program's own seccomp filter, which denies bpf(2) with
 *              EACCES, wins over the supervisor's
 *   filtered   its own filter allows everything: refused all the same
 *   userns     a map created from a new user namespace is refused
 *   thread     a map created by a thread that is not the group leader
 *   unshared   the same from a thread that unshared its fd table: refused
 *   loop       load programs until killed ("loop: loading" after the first)
 *
 * Prints one line of counts or errnos; exits 0 when it ran.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>

#define TARGET	700

static volatile int stop;
static int maps[2];

static const struct bpf_insn ret0[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

static void *swap_maps(void *arg)
{
	(void)arg;
	while (!stop) {
		dup2(maps[0], TARGET);
		dup2(maps[1], TARGET);
	}
	return NULL;
}

static int mode_maps(int n)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1,
		  .src_reg = BPF_PSEUDO_MAP_FD, .imm = TARGET },
		{ 0 },
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 2,
		  .src_reg = BPF_PSEUDO_MAP_FD, .imm = TARGET },
		{ 0 },
		ret0[0], ret0[1],
	};
	int i, fd, violations = 0, one = 0, refused = 0;
	struct bpf_prog_info info;
	__u32 len;
	pthread_t t;

	for (i = 0; i < 2; i++) {
		maps[i] = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 8, 1,
					 NULL);
		if (maps[i] < 0) {
			fprintf(stderr, "svrace: map: %s\n", strerror(errno));
			return 3;
		}
	}
	dup2(maps[0], TARGET);
	pthread_create(&t, NULL, swap_maps, NULL);
	for (i = 0; i < n; i++) {
		fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL",
				   insns, 6, NULL);
		if (fd < 0) {
			refused++;
			continue;
		}
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (bpf_obj_get_info_by_fd(fd, &info, &len) ||
		    info.nr_map_ids != 1)
			violations++;
		else
			one++;
		close(fd);
	}
	stop = 1;
	pthread_join(t, NULL);
	printf("svrace maps: %d iterations, %d violations, %d accepted, %d refused\n",
	       n, violations, one, refused);
	return 0;
}

static union bpf_attr flip_attr;

static void *flip_type(void *arg)
{
	volatile union bpf_attr *a = &flip_attr;

	(void)arg;
	while (!stop) {
		a->prog_type = BPF_PROG_TYPE_SK_REUSEPORT;
		a->expected_attach_type = BPF_SK_REUSEPORT_SELECT;
		a->prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
		a->expected_attach_type = 0;
	}
	return NULL;
}

static int mode_type(int n)
{
	int i, fd, violations = 0, loaded = 0, refused = 0, other = 0;
	struct bpf_prog_info info;
	__u32 len;
	pthread_t t;

	flip_attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	flip_attr.insns = (unsigned long)ret0;
	flip_attr.insn_cnt = 2;
	flip_attr.license = (unsigned long)"GPL";
	pthread_create(&t, NULL, flip_type, NULL);
	for (i = 0; i < n; i++) {
		fd = (int)syscall(__NR_bpf, BPF_PROG_LOAD, &flip_attr,
				  sizeof(flip_attr));
		if (fd < 0) {
			if (errno == EPERM)
				refused++;
			else
				other++;
			continue;
		}
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (bpf_obj_get_info_by_fd(fd, &info, &len) ||
		    info.type != BPF_PROG_TYPE_SOCKET_FILTER)
			violations++;
		else
			loaded++;
		close(fd);
	}
	stop = 1;
	pthread_join(t, NULL);
	printf("svrace type: %d iterations, %d violations, %d accepted, %d refused, %d other\n",
	       n, violations, loaded, refused, other);
	return 0;
}

static int map_errno(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 8, 1, NULL);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return errno;
}

static int mode_sandbox(int deny)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_bpf, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = f };
	int before = map_errno();

	if (!deny)	/* every system call allowed */
		f[2] = f[3];

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return 3;
	printf("svrace %s: before %s, after %s\n", deny ? "sandbox" : "filtered",
	       strerrorname_np(before) ?: "0", strerrorname_np(map_errno()) ?: "0");
	return 0;
}

static int mode_userns(void)
{
	int before = map_errno();

	if (unshare(CLONE_NEWUSER)) {
		fprintf(stderr, "svrace: unshare: %s\n", strerror(errno));
		return 3;
	}
	printf("svrace userns: before %s, after %s\n",
	       strerrorname_np(before) ?: "0", strerrorname_np(map_errno()) ?: "0");
	return 0;
}

static void *thread_map(void *arg)
{
	*(int *)arg = map_errno();
	return NULL;
}

static void *unshared_map(void *arg)
{
	*(int *)arg = unshare(CLONE_FILES) ? -errno : map_errno();
	return NULL;
}

static int mode_thread(int unshared)
{
	pthread_t t;
	int err = -1;

	pthread_create(&t, NULL, unshared ? unshared_map : thread_map, &err);
	pthread_join(t, NULL);
	if (err < 0) {
		fprintf(stderr, "svrace: unshare: %s\n", strerror(-err));
		return 3;
	}
	printf("svrace %s: %s\n", unshared ? "unshared" : "thread",
	       strerrorname_np(err) ?: "0");
	return 0;
}

static int mode_loop(void)
{
	struct bpf_insn insns[4096];
	int i, fd;

	for (i = 0; i < 4094; i++)
		insns[i] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV |
					      BPF_K, .dst_reg = 0, .imm = i };
	insns[4094] = ret0[0];
	insns[4095] = ret0[1];
	for (i = 0;; i++) {
		fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL",
				   insns, 4096, NULL);
		if (fd < 0) {
			fprintf(stderr, "svrace: load: %s\n", strerror(errno));
			return 3;
		}
		close(fd);
		if (!i) {
			printf("loop: loading\n");
			fflush(stdout);
		}
	}
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "maps"))
		return mode_maps(n);
	if (argc >= 3 && !strcmp(argv[1], "type"))
		return mode_type(n);
	if (argc == 2 && !strcmp(argv[1], "sandbox"))
		return mode_sandbox(1);
	if (argc == 2 && !strcmp(argv[1], "filtered"))
		return mode_sandbox(0);
	if (argc == 2 && !strcmp(argv[1], "userns"))
		return mode_userns();
	if (argc == 2 && !strcmp(argv[1], "thread"))
		return mode_thread(0);
	if (argc == 2 && !strcmp(argv[1], "unshared"))
		return mode_thread(1);
	if (argc == 2 && !strcmp(argv[1], "loop"))
		return mode_loop();
	return 2;
}
