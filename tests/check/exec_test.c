// SPDX-License-Identifier: GPL-2.0
/*
 * Files of /dev/bpf across exec(2) and identity changes. An fd is a
 * capability: a program that inherits one (or is handed one by a process
 * that then drops privilege) can use it, within the file's grant, and the
 * requests run as that program - its uid, its credentials - never as the
 * process that opened the file. libbpfdev's own fd does not leak into
 * programs a caller execs.
 *
 * The test binary doubles as the exec'd program: bpfdev_tests --exec-*.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "testlib.h"

static const struct bpf_insn ret0[] = { INSN_MOV64_IMM(0, 0), INSN_EXIT() };

static __u32 created_by(int prog)
{
	struct bpf_prog_info info;
	union bpf_attr a;

	memset(&info, 0, sizeof(info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (__u32)prog;
	a.info.info_len = sizeof(info);
	a.info.info = ptr_to_u64(&info);
	if (syscall(__NR_bpf, BPF_OBJ_GET_INFO_BY_FD, &a, sizeof(a)))
		return (__u32)-1;
	return info.created_by_uid;
}

/* The /dev/bpf files this process has open; *cloexec: all close-on-exec. */
static int dev_fds(int *cloexec)
{
	char link[PATH_MAX];
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	*cloexec = 1;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		ssize_t len;

		len = readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);
		if (len <= 0)
			continue;
		link[len] = '\0';
		if (strcmp(link, DEV_PATH))
			continue;
		n++;
		if (!(fcntl(atoi(e->d_name), F_GETFD) & FD_CLOEXEC))
			*cloexec = 0;
	}
	closedir(d);
	return n;
}

/*
 * --exec-load FD: load through the inherited file FD and report as what;
 * then what the file's grant allows next.
 */
static int exec_load(int dev)
{
	union bpf_attr a;
	int prog, xdp, second;

	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	prog = dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a));
	if (prog < 0) {
		printf("load failed: %s\n", strerror(errno));
		return 1;
	}
	attr_prog(&a, BPF_PROG_TYPE_XDP, ret0, 2);
	a.expected_attach_type = BPF_XDP;
	xdp = dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a)) < 0 ? errno : 0;
	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	second = dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a)) < 0 ? errno : 0;
	printf("uid=%u created_by=%u xdp=%d second=%d\n", getuid(),
	       created_by(prog), xdp, second);
	return 0;
}

/*
 * --exec-interposer: one bpf(2) call through the interposer (LD_PRELOAD), which
 * opens the device; then exec --exec-count, which counts what it inherited.
 */
static int exec_interposer(const char *self)
{
	union bpf_attr a;
	int prog, cloexec, n;

	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	prog = (int)syscall(__NR_bpf, BPF_PROG_LOAD, &a, sizeof(a));
	n = dev_fds(&cloexec);
	printf("interposer_load=%s dev_fds=%d cloexec=%d\n",
	       prog >= 0 ? "ok" : strerror(errno), n, cloexec);
	fflush(stdout);
	execl(self, self, "--exec-count", (char *)NULL);
	return 1;
}

int exec_helper_main(int argc, char **argv)
{
	int cloexec;

	if (argc == 3 && !strcmp(argv[1], "--exec-load"))
		return exec_load(atoi(argv[2]));
	if (argc == 2 && !strcmp(argv[1], "--exec-interposer"))
		return exec_interposer(argv[0]);
	if (argc == 2 && !strcmp(argv[1], "--exec-count")) {
		printf("after_exec_dev_fds=%d\n", dev_fds(&cloexec));
		return 0;
	}
	return 2;
}

/*
 * Root opens the device and loads through a narrowed file, then hands the
 * narrowed file (not close-on-exec) to a program it runs as the outsider,
 * a user who could not open /dev/bpf: the program's load runs as the
 * outsider (the credential root's load left cached on the file is root's,
 * and must not be reused), within the narrowed grant and its budget.
 */
START_TEST(inherited_fd_runs_as_the_new_identity_within_its_grant)
{
	char fdarg[16], want[96];
	const char *argv[4];
	union bpf_attr a;
	struct run *r = calloc(1, sizeof(*r));
	int dev, narrowed, prog;

	ck_assert_ptr_nonnull(r);
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	narrowed = dev_narrow(dev, 1ULL << BPF_PROG_TYPE_SOCKET_FILTER, ~0ULL,
			      2, 0);
	ck_assert_int_ge(narrowed, 0);
	close(dev);
	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	prog = dev_bpf(narrowed, BPF_PROG_LOAD, &a, sizeof(a));
	ck_assert_int_ge(prog, 0);
	ck_assert_int_eq(created_by(prog), 0);
	close(prog);
	ck_assert_int_eq(fcntl(narrowed, F_SETFD, 0), 0);

	snprintf(fdarg, sizeof(fdarg), "%d", narrowed);
	argv[0] = prog_path("bpfdev_tests");
	argv[1] = "--exec-load";
	argv[2] = fdarg;
	argv[3] = NULL;
	run_as(OUTSIDER, NULL, argv, r);
	ck_assert_msg(exited(r, 0), "%s", run_tail(r));
	/* XDP is outside the narrowed grant; the budget of 2 is used up */
	snprintf(want, sizeof(want), "uid=%d created_by=%d xdp=%d second=%d",
		 OUTSIDER_UID, OUTSIDER_UID, EPERM, EDQUOT);
	assert_has(r, want);
	close(narrowed);
	free(r);
}
END_TEST

/* The interposer's device fd is close-on-exec: an exec'd program gets none. */
START_TEST(interposer_device_fd_does_not_survive_exec)
{
	const char *env[] = { "LD_PRELOAD=" BPFDEV_LIBRARY, NULL };
	const char *argv[3];
	struct run *r = calloc(1, sizeof(*r));

	ck_assert_ptr_nonnull(r);
	argv[0] = prog_path("bpfdev_tests");
	argv[1] = "--exec-interposer";
	argv[2] = NULL;
	run_as(MEMBER, env, argv, r);
	ck_assert_msg(exited(r, 0), "%s", run_tail(r));
	assert_has(r, "interposer_load=ok dev_fds=1 cloexec=1");
	assert_has(r, "after_exec_dev_fds=0");
	free(r);
}
END_TEST

const struct suite_def exec_suite = { "exec", {
	{ "inherit", .tests = {
		TEST(inherited_fd_runs_as_the_new_identity_within_its_grant),
		TEST(interposer_device_fd_does_not_survive_exec),
	} },
} };
