// SPDX-License-Identifier: GPL-2.0
/*
 * Cgroup attach through /dev/bpf (cgroup.c): only to a cgroup the member
 * may write, race-free against fd swaps, and with a real effect on
 * traffic. The fd-swap race from threads is also run against the broken
 * build, which lets threads sharing a table attach, and must find it there.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

#define CMDS_WITH_LINK "map_create:prog_load:btf_load:map_freeze:link_create"
#define CGRACE_ITERATIONS 5000

static const struct bpf_insn drop[] = { INSN_MOV64_IMM(0, 0), INSN_EXIT() };

static int load_drop(int dev)
{
	union bpf_attr a;

	attr_prog(&a, BPF_PROG_TYPE_CGROUP_SKB, drop, 2);
	a.expected_attach_type = BPF_CGROUP_INET_INGRESS;
	return dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a));
}

static int link_cgroup(int dev, int prog, int cgroup)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = (__u32)prog;
	a.link_create.target_fd = (__u32)cgroup;
	a.link_create.attach_type = BPF_CGROUP_INET_INGRESS;
	return dev_bpf(dev, BPF_LINK_CREATE, &a, sizeof(a));
}

START_TEST(attach_to_a_delegated_cgroup_filters_its_traffic)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t alen = sizeof(addr);
	char cg[256];
	int dev, prog, dir, link, rx, tx;

	ck_assert_int_eq(root_param_write("delegate_cmds", CMDS_WITH_LINK), 0);
	delegated_cgroup(cg, sizeof(cg), "bpfdev");
	/* this process moves into it: its sockets are the cgroup's */
	cgroup_enter(cg);

	become_member();
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	prog = load_drop(dev);
	ck_assert_int_ge(prog, 0);
	dir = open(cg, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dir, 0);

	rx = socket(AF_INET, SOCK_DGRAM, 0);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(rx, (void *)&addr, sizeof(addr)), 0);
	ck_assert_int_eq(getsockname(rx, (void *)&addr, &alen), 0);
	ck_assert(datagram_arrives(rx, tx, &addr));

	link = link_cgroup(dev, prog, dir);
	ck_assert_msg(link >= 0, "link_create: %s", strerror(errno));
	ck_assert(!datagram_arrives(rx, tx, &addr));
	close(link);	/* the link was the only reference: detached */
	ck_assert(datagram_arrives(rx, tx, &addr));
}
END_TEST

START_TEST(attach_to_the_root_cgroup_is_eacces)
{
	struct objs before;
	int dev, prog, root;

	ck_assert_int_eq(root_param_write("delegate_cmds", CMDS_WITH_LINK), 0);
	become_member();
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	prog = load_drop(dev);
	ck_assert_int_ge(prog, 0);
	objs_snapshot(&before);
	/* reading it is all it takes to open it */
	root = open("/sys/fs/cgroup", O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(root, 0);
	ck_assert_int_eq(link_cgroup(dev, prog, root), -1);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_int_eq(objs_created_since(&before), 0);
	/* not a cgroup at all: as bpf(2) */
	ck_assert_int_eq(link_cgroup(dev, prog, dev), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

START_TEST(cgroup_attach_is_not_delegated_by_default)
{
	char cg[256];
	int dev, prog, dir;

	delegated_cgroup(cg, sizeof(cg), "bpfdev");
	become_member();
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	prog = load_drop(dev);
	ck_assert_int_ge(prog, 0);
	dir = open(cg, O_RDONLY | O_DIRECTORY);
	ck_assert_int_eq(link_cgroup(dev, prog, dir), -1);
	ck_assert_int_eq(errno, EPERM);
}
END_TEST

/*
 * The member's attempt to link below @cg, from a child that becomes the
 * member: 0 if a link was created, else the errno.
 */
static int member_links_below(const char *cg)
{
	int status, dev, prog, dir;
	pid_t pid;

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		become_member();
		dev = dev_open(O_RDWR);
		prog = dev < 0 ? -1 : load_drop(dev);
		dir = open(cg, O_RDONLY | O_DIRECTORY);
		if (prog < 0 || dir < 0)
			_exit(100);
		_exit(link_cgroup(dev, prog, dir) >= 0 ? 0 : errno);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* root's program on @parent, attached with @flags (bpf(2), BPF_PROG_ATTACH) */
static void admin_attach(int parent, int prog, __u32 flags, int cmd)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.target_fd = (__u32)parent;
	a.attach_bpf_fd = (__u32)prog;
	a.attach_type = BPF_CGROUP_INET_INGRESS;
	a.attach_flags = flags;
	ck_assert_msg(sys_bpf(cmd, &a, sizeof(a)) == 0, "%s: %s",
		      cmd == BPF_PROG_ATTACH ? "attach" : "detach",
		      strerror(errno));
}

/*
 * A member's link would switch off, for its subtree, an administrator's
 * override-mode program on an ancestor: refused while it is there. A
 * multi-mode program runs with the member's, and the link is made.
 */
START_TEST(override_program_above_refuses_the_link)
{
	static const struct bpf_insn pass[] = { INSN_MOV64_IMM(0, 1),
						INSN_EXIT() };
	char parent[256], name[64], cg[300];
	union bpf_attr a;
	int admin, pfd, err;
	long d1;

	ck_assert_int_eq(root_param_write("delegate_cmds", CMDS_WITH_LINK), 0);
	/* root's cgroup, and the member's below it */
	snprintf(parent, sizeof(parent), "/sys/fs/cgroup/bpfdev-ov-%d",
		 getpid());
	ck_assert_int_eq(mkdir(parent, 0755), 0);
	snprintf(name, sizeof(name), "bpfdev-ov-%d/member", getpid());
	delegated_cgroup(cg, sizeof(cg), name);

	attr_prog(&a, BPF_PROG_TYPE_CGROUP_SKB, pass, 2);
	a.expected_attach_type = BPF_CGROUP_INET_INGRESS;
	admin = sys_bpf(BPF_PROG_LOAD, &a, sizeof(a));
	ck_assert_int_ge(admin, 0);
	pfd = open(parent, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(pfd, 0);

	admin_attach(pfd, admin, BPF_F_ALLOW_OVERRIDE, BPF_PROG_ATTACH);
	err = member_links_below(cg);
	ck_assert_msg(err == EPERM, "member's link below an override-mode program: %s",
		      err ? strerror(err) : "created");
	d1 = stats_counter("denied_cgroup_override");
	ck_assert_int_eq(member_links_below(cg), EPERM);
	ck_assert_int_eq(stats_counter("denied_cgroup_override"), d1 + 1);
	admin_attach(pfd, admin, 0, BPF_PROG_DETACH);

	admin_attach(pfd, admin, BPF_F_ALLOW_MULTI, BPF_PROG_ATTACH);
	ck_assert_int_eq(member_links_below(cg), 0);
	admin_attach(pfd, admin, 0, BPF_PROG_DETACH);
	/* the member's link went with its process */
	ck_assert_int_eq(rmdir(cg), 0);
	ck_assert_int_eq(rmdir(parent), 0);
}
END_TEST

static void *idle_thread(void *arg)
{
	int *fd = arg;
	char c;

	return read(*fd, &c, 1) < 0 ? NULL : arg;
}

START_TEST(shared_fd_table_is_ebusy)
{
	char cg[256];
	int dev, prog, dir, p[2];
	pthread_t t;

	ck_assert_int_eq(root_param_write("delegate_cmds", CMDS_WITH_LINK), 0);
	delegated_cgroup(cg, sizeof(cg), "bpfdev");
	become_member();
	dev = dev_open(O_RDWR);
	prog = load_drop(dev);
	dir = open(cg, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(prog, 0);
	ck_assert_int_ge(dir, 0);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(pthread_create(&t, NULL, idle_thread, &p[0]), 0);
	ck_assert_int_eq(link_cgroup(dev, prog, dir), -1);
	ck_assert_int_eq(errno, EBUSY);
	close(p[1]);
	pthread_join(t, NULL);
}
END_TEST

/* A run of cgrace in the test's cgroup, made by its first run */
static void cgrace(const char *mode, struct run *r)
{
	static char cg[256];
	char n[16];
	const char *argv[] = { "/usr/bin/bpfdev-run", prog_path("cgrace"),
			       mode, cg, n, NULL };

	ck_assert_int_eq(root_param_write("delegate_cmds", CMDS_WITH_LINK), 0);
	if (!cg[0])
		delegated_cgroup(cg, sizeof(cg), "bpfdev");
	snprintf(n, sizeof(n), "%d", scaled(CGRACE_ITERATIONS));
	run_as(MEMBER, NULL, argv, r);
	ck_assert_msg(exited(r, 0), "cgrace: %s", run_tail(r));
	printf("%s", r->out);
}

/* Parse "cgrace M: N iterations, V violations, A attached, R refused, O other" */
static void cgrace_counts(const struct run *r, int *v, int *a, int *f, int *o)
{
	const char *p = strchr(r->out, ':');
	int n;

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(sscanf(p, ": %d iterations, %d violations, %d attached, %d refused, %d other",
				&n, v, a, f, o), 5);
}

START_TEST(cgroup_fd_swap_race_through_the_interposer)
{
	static struct run r;
	int v, a, f, o;

	cgrace("interposer", &r);
	cgrace_counts(&r, &v, &a, &f, &o);
	ck_assert_int_eq(v, 0);
	/* both fds were seen at the attach: the race ran */
	ck_assert_int_gt(a, 0);
	ck_assert_int_gt(f, 0);
	ck_assert_int_eq(o, 0);
}
END_TEST

START_TEST(cgroup_attach_from_threads_without_the_interposer_is_ebusy)
{
	static struct run r;
	int v, a, f, o, runs = 1;

	cgrace("direct", &r);
	cgrace_counts(&r, &v, &a, &f, &o);
	while (broken_build && !v && runs++ < RACE_RUNS_BROKEN) {
		cgrace("direct", &r);
		cgrace_counts(&r, &v, &a, &f, &o);
	}
	if (race_verdict("cgroup fd-swap from threads",
			 scaled(CGRACE_ITERATIONS), v, a, f))
		return;
	ck_assert_int_eq(a, 0);
	ck_assert_int_eq(o, scaled(CGRACE_ITERATIONS));
}
END_TEST

const struct suite_def cgroup_suite = { "cgroup", {
	{ "attach", .timeout = 240, .reset_grant = 1, .tests = {
		TEST(attach_to_a_delegated_cgroup_filters_its_traffic),
		TEST(attach_to_the_root_cgroup_is_eacces),
		TEST(cgroup_attach_is_not_delegated_by_default),
		TEST(override_program_above_refuses_the_link),
		TEST(shared_fd_table_is_ebusy),
		TEST(cgroup_fd_swap_race_through_the_interposer),
		RACE(cgroup_attach_from_threads_without_the_interposer_is_ebusy),
	} },
} };
