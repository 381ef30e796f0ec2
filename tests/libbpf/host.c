// SPDX-License-Identifier: GPL-2.0
/*
 * host MODE [ARGS]: a program the interposer lives in, linked with
 * -lbpfdev (so its syscall() is the interposer's, also where LD_PRELOAD is
 * ignored: setuid and setgid programs), doing what programs do to a
 * library that does not expect it. Each mode prints what it saw, one
 * "name: value" a line, for libbpfdev_test.c to judge; exit 0 when it ran.
 *
 *   secure          bpfdev_open(NULL) and a program load; AT_SECURE shown
 *   ctty            a session leader without a terminal, $BPFDEV_DEVICE a
 *                   pty: does it have a controlling terminal afterwards?
 *   badmap          one load naming a closed map fd (bpf(2) says EBADF)
 *   cgroup DIR N    N cgroup links from a multi-threaded program with
 *                   SIGCHLD and fork handlers, a reaping thread and a
 *                   SIGALRM storm; how many links live, handler counts
 *   efault          LINK_CREATE with unreadable or short attrs
 *   atfork          fork() while another thread is inside the library
 *   credchange UID GID GROUP   a load as root, then as UID after setuid()
 *   debugsock       BPFDEV_DEBUG=1 with fd 2 a socket: what reached it
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libbpfdev.h>

static const struct bpf_insn ret0[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

/* A load through syscall(), i.e. the interposer: the fd, or -errno. */
static int load(__u32 type, __u32 attach, const struct bpf_insn *insns,
		__u32 cnt)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.expected_attach_type = attach;
	a.insns = (__u64)(unsigned long)insns;
	a.insn_cnt = cnt;
	a.license = (__u64)(unsigned long)"GPL";
	fd = (int)syscall(__NR_bpf, BPF_PROG_LOAD, &a, sizeof(a));
	return fd < 0 ? -errno : fd;
}

static int load_sf(void)
{
	return load(BPF_PROG_TYPE_SOCKET_FILTER, 0, ret0, 2);
}

static void print_result(const char *name, int ret)
{
	if (ret >= 0)
		printf("%s: ok\n", name);
	else
		printf("%s: %s\n", name, strerror(-ret));
	fflush(stdout);
}

static int mode_secure(void)
{
	printf("secure: %lu\n", getauxval(AT_SECURE));
	print_result("open", bpfdev_open(NULL));
	print_result("load", load_sf());
	return 0;
}

static int mode_ctty(void)
{
	int master, tty;

	if (setsid() < 0)
		return 1;
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) || unlockpt(master))
		return 1;
	setenv("BPFDEV_DEVICE", ptsname(master), 1);
	print_result("load", load_sf());
	tty = open("/dev/tty", O_RDWR);
	printf("ctty: %s\n", tty >= 0 ? "acquired" : "none");
	return 0;
}

static int mode_badmap(void)
{
	const struct bpf_insn insns[] = {
		/* ld_imm64 r1 = map fd 999, which is not open */
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1,
		  .src_reg = BPF_PSEUDO_MAP_FD, .imm = 999 },
		{ 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	close(999);
	print_result("load", load(BPF_PROG_TYPE_SOCKET_FILTER, 0, insns, 4));
	return 0;
}

static volatile sig_atomic_t sigchld_seen, alarms, atfork_seen;
static volatile int stop;
static int reaped;

static void on_sigchld(int sig)
{
	(void)sig;
	sigchld_seen++;
}

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void on_fork(void)
{
	atfork_seen++;
}

/* A thread that reaps "all" children, as some programs do. */
static void *reaper(void *arg)
{
	int status;

	(void)arg;
	while (!stop) {
		if (waitpid(-1, &status, WNOHANG) > 0)
			__atomic_add_fetch(&reaped, 1, __ATOMIC_RELAXED);
		usleep(200);
	}
	return NULL;
}

static int mode_cgroup(const char *dir, int n)
{
	struct sigaction sa = { .sa_handler = on_sigchld };
	struct itimerval storm = {
		.it_interval = { .tv_usec = 500 },
		.it_value = { .tv_usec = 500 },
	};
	struct bpf_link_info info;
	union bpf_attr a;
	int prog, cg, link, i, alive = 0;
	pthread_t t;

	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = on_alarm;	/* no SA_RESTART: calls see EINTR */
	sigaction(SIGALRM, &sa, NULL);
	pthread_atfork(on_fork, on_fork, on_fork);
	if (pthread_create(&t, NULL, reaper, NULL))
		return 1;
	prog = load(BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS, ret0,
		    2);
	cg = open(dir, O_RDONLY | O_DIRECTORY);
	if (prog < 0 || cg < 0) {
		printf("setup: prog %d cgroup %d\n", prog, cg);
		return 1;
	}
	setitimer(ITIMER_REAL, &storm, NULL);
	for (i = 0; i < n; i++) {
		memset(&a, 0, sizeof(a));
		a.link_create.prog_fd = (__u32)prog;
		a.link_create.target_fd = (__u32)cg;
		a.link_create.attach_type = BPF_CGROUP_INET_INGRESS;
		link = (int)syscall(__NR_bpf, BPF_LINK_CREATE, &a, sizeof(a));
		if (link < 0) {
			printf("link %d: %s\n", i, strerror(errno));
			continue;
		}
		/* the link the program got is a live link on the cgroup */
		memset(&info, 0, sizeof(info));
		memset(&a, 0, sizeof(a));
		a.info.bpf_fd = (__u32)link;
		a.info.info_len = sizeof(info);
		a.info.info = (__u64)(unsigned long)&info;
		if (!syscall(__NR_bpf, BPF_OBJ_GET_INFO_BY_FD, &a, sizeof(a)) &&
		    info.type == BPF_LINK_TYPE_CGROUP)
			alive++;
		close(link);
	}
	memset(&storm, 0, sizeof(storm));
	setitimer(ITIMER_REAL, &storm, NULL);
	stop = 1;
	pthread_join(t, NULL);
	printf("links: %d of %d\n", alive, n);
	printf("sigchld: %d\n", (int)sigchld_seen);
	printf("atfork: %d\n", (int)atfork_seen);
	printf("reaped: %d\n", reaped);
	printf("alarms: %s\n", alarms > 0 ? "some" : "none");
	return 0;
}

static int mode_efault(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p;
	long ret;

	ret = syscall(__NR_bpf, BPF_LINK_CREATE, (void *)1, 64);
	printf("bad pointer: %ld %s\n", ret, strerror(errno));
	fflush(stdout);
	/* an 8-byte attr ending where the mapping ends: attach_type, at
	 * offset 8, is beyond its size (and reads as 0 in the kernel) */
	p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || munmap(p + page, page))
		return 1;
	memset(p + page - 8, 0xff, 8);
	ret = syscall(__NR_bpf, BPF_LINK_CREATE, p + page - 8, 8);
	printf("short attr: %ld\n", ret);
	return 0;
}

/* Is thread @tid blocked in write(2, ...)? (/proc/PID/task/TID/syscall) */
static int writing_stderr(pid_t tid)
{
	char path[64], buf[128] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return !strncmp(buf, "1 0x2 ", 6);
}

static pid_t stuck_tid;

/* Loads with fd 2 a full pipe: the library's debug line blocks. */
static void *stuck_loader(void *arg)
{
	(void)arg;
	__atomic_store_n(&stuck_tid, (pid_t)syscall(SYS_gettid),
			 __ATOMIC_RELEASE);
	load_sf();
	return NULL;
}

static int mode_atfork(void)
{
	int p[2], null, status;
	pthread_t t;
	pid_t pid, tid;

	/* fd 2: a pipe nobody reads, full */
	if (pipe2(p, O_NONBLOCK))
		return 1;
	while (write(p[1], "xxxxxxxxxxxxxxxx", 16) > 0)
		;
	fcntl(p[1], F_SETFL, 0);
	dup2(p[1], STDERR_FILENO);
	if (pthread_create(&t, NULL, stuck_loader, NULL))
		return 1;
	while (!(tid = __atomic_load_n(&stuck_tid, __ATOMIC_ACQUIRE)) ||
	       !writing_stderr(tid))
		usleep(1000);
	pid = fork();
	if (pid == 0) {
		/* the deadlock detector: a child that hangs is killed */
		alarm(60);
		null = open("/dev/null", O_WRONLY);
		dup2(null, STDERR_FILENO);
		load_sf();
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status))
		printf("child: exit %d\n", WEXITSTATUS(status));
	else
		printf("child: signal %d\n", WTERMSIG(status));
	fflush(stdout);
	_exit(0);
}

static int mode_credchange(uid_t uid, gid_t gid, gid_t group)
{
	gid_t groups[] = { gid, group };

	print_result("root load", load_sf());
	if (setgroups(2, groups) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid))
		return 1;
	print_result("user load", load_sf());
	return 0;
}

static int mode_debugsock(void)
{
	char buf[4096];
	int sv[2], saved;
	ssize_t n;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 1;
	saved = dup(STDERR_FILENO);
	dup2(sv[0], STDERR_FILENO);
	print_result("load", load_sf());
	dup2(saved, STDERR_FILENO);
	n = recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT);
	printf("socket got: %zd bytes\n", n < 0 ? (ssize_t)0 : n);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "secure"))
		return mode_secure();
	if (!strcmp(mode, "ctty"))
		return mode_ctty();
	if (!strcmp(mode, "badmap"))
		return mode_badmap();
	if (!strcmp(mode, "cgroup") && argc == 4)
		return mode_cgroup(argv[2], atoi(argv[3]));
	if (!strcmp(mode, "efault"))
		return mode_efault();
	if (!strcmp(mode, "atfork"))
		return mode_atfork();
	if (!strcmp(mode, "credchange") && argc == 5)
		return mode_credchange((uid_t)atoi(argv[2]),
				       (gid_t)atoi(argv[3]),
				       (gid_t)atoi(argv[4]));
	if (!strcmp(mode, "debugsock"))
		return mode_debugsock();
	fprintf(stderr, "usage: host MODE [ARGS]\n");
	return 2;
}
