// SPDX-License-Identifier: GPL-2.0
/*
 * Cgroup attach through /dev/bpf (cgroup.c, attach.c), as a link and as
 * BPF_PROG_ATTACH: only to a cgroup the member may write, race-free
 * against fd swaps, and with a real effect on traffic. The fd-swap races
 * from threads are also run against the broken build, which lets threads
 * sharing a table attach, and must find them there.
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
#define CMDS_WITH_ATTACH \
	"map_create:prog_load:btf_load:map_freeze:prog_attach:prog_detach"
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

static void admin_attach(int parent, int prog, __u32 flags, int cmd);

/* Two UDP sockets on loopback, in the caller's cgroup: rx bound */
struct loopback {
	int rx, tx;
	struct sockaddr_in addr;
};

static void loopback_open(struct loopback *lb)
{
	socklen_t alen = sizeof(lb->addr);

	memset(&lb->addr, 0, sizeof(lb->addr));
	lb->addr.sin_family = AF_INET;
	lb->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lb->rx = socket(AF_INET, SOCK_DGRAM, 0);
	lb->tx = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_eq(bind(lb->rx, (void *)&lb->addr, sizeof(lb->addr)), 0);
	ck_assert_int_eq(getsockname(lb->rx, (void *)&lb->addr, &alen), 0);
}

static int arrives(const struct loopback *lb)
{
	return datagram_arrives(lb->rx, lb->tx, &lb->addr);
}

/*
 * A delegated cgroup @cg that this process moves into (its sockets are the
 * cgroup's), then as the member: the device, a drop program, the cgroup's
 * fd, and loopback sockets that reach each other.
 */
static void member_in_cgroup(char *cg, size_t len, struct loopback *lb,
			     int *dev, int *prog, int *dir)
{
	delegated_cgroup(cg, len, "bpfdev");
	cgroup_enter(cg);
	become_member();
	*dev = dev_open(O_RDWR);
	ck_assert_int_ge(*dev, 0);
	*prog = load_drop(*dev);
	ck_assert_int_ge(*prog, 0);
	*dir = open(cg, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(*dir, 0);
	loopback_open(lb);
	ck_assert(arrives(lb));
}

/* BPF_PROG_ATTACH (@flags) or BPF_PROG_DETACH (@flags 0) through @dev */
static int prog_attach(int dev, int cmd, int prog, int cgroup, __u32 flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.target_fd = (__u32)cgroup;
	a.attach_bpf_fd = (__u32)prog;
	a.attach_type = BPF_CGROUP_INET_INGRESS;
	a.attach_flags = flags;
	return dev_bpf(dev, cmd, &a, sizeof(a));
}

static int attach_multi(int dev, int prog, int cgroup)
{
	return prog_attach(dev, BPF_PROG_ATTACH, prog, cgroup,
			   BPF_F_ALLOW_MULTI);
}

static int detach(int dev, int prog, int cgroup)
{
	return prog_attach(dev, BPF_PROG_DETACH, prog, cgroup, 0);
}

START_TEST(attach_to_a_delegated_cgroup_filters_its_traffic)
{
	struct loopback lb;
	char cg[256];
	int dev, prog, dir, link;

	ck_assert_int_eq(root_param_write("delegate_cmds", CMDS_WITH_LINK), 0);
	member_in_cgroup(cg, sizeof(cg), &lb, &dev, &prog, &dir);

	link = link_cgroup(dev, prog, dir);
	ck_assert_msg(link >= 0, "link_create: %s", strerror(errno));
	ck_assert(!arrives(&lb));
	close(link);	/* the link was the only reference: detached */
	ck_assert(arrives(&lb));
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

/*
 * BPF_PROG_ATTACH, as systemd's IP firewall makes it: the attachment is
 * held by the module, so it outlives the caller's fds of the device, the
 * cgroup and the program, until BPF_PROG_DETACH.
 */
START_TEST(prog_attach_holds_until_detach)
{
	struct loopback lb;
	char cg[256];
	int dev, prog, dir, keep;

	ck_assert_int_eq(root_param_write("delegate_cmds", CMDS_WITH_ATTACH), 0);
	member_in_cgroup(cg, sizeof(cg), &lb, &dev, &prog, &dir);

	ck_assert_msg(attach_multi(dev, prog, dir) == 0, "prog_attach: %s",
		      strerror(errno));
	ck_assert(!arrives(&lb));
	/* the same program twice on one cgroup: EINVAL, as bpf(2) */
	ck_assert_int_eq(attach_multi(dev, prog, dir), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* the attachment does not depend on the caller's fds */
	keep = fcntl(prog, F_DUPFD_CLOEXEC, 100);
	ck_assert_int_ge(keep, 0);
	close(prog);
	close(dir);
	close(dev);
	ck_assert(!arrives(&lb));

	dev = dev_open(O_RDWR);
	dir = open(cg, O_RDONLY | O_DIRECTORY);
	ck_assert_msg(detach(dev, keep, dir) == 0, "prog_detach: %s",
		      strerror(errno));
	ck_assert(arrives(&lb));
	ck_assert_int_eq(detach(dev, keep, dir), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/*
 * What BPF_PROG_ATTACH and BPF_PROG_DETACH refuse, each with bpf(2)'s
 * errno or the policy's, and nothing attached by any of them. systemd's
 * probes (both fds -1) get EBADF, which it reads as "supported".
 */
START_TEST(prog_attach_refusals)
{
	char cg[256];
	int dev, prog, dir, root, map;
	long d1;
	union bpf_attr a;

	ck_assert_int_eq(root_param_write("delegate_cmds", CMDS_WITH_ATTACH), 0);
	delegated_cgroup(cg, sizeof(cg), "bpfdev");
	become_member();
	dev = dev_open(O_RDWR);
	prog = load_drop(dev);
	ck_assert_int_ge(prog, 0);
	dir = open(cg, O_RDONLY | O_DIRECTORY);
	root = open("/sys/fs/cgroup", O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dir, 0);
	ck_assert_int_ge(root, 0);
	map = dev_map(dev, BPF_MAP_TYPE_ARRAY);
	ck_assert_int_ge(map, 0);

	ck_assert_int_eq(attach_multi(dev, prog, root), -1);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_int_eq(detach(dev, prog, root), -1);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_int_eq(attach_multi(dev, prog, dev), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(attach_multi(dev, -1, -1), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(detach(dev, -1, -1), -1);
	ck_assert_int_eq(errno, EBADF);
	/* a map is no cgroup_skb program */
	ck_assert_int_eq(detach(dev, map, dir), -1);
	ck_assert_int_eq(errno, EINVAL);

	d1 = stats_counter("denied_attach_flags");
	ck_assert_int_eq(prog_attach(dev, BPF_PROG_ATTACH, prog, dir, 0), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(prog_attach(dev, BPF_PROG_ATTACH, prog, dir,
				     BPF_F_ALLOW_OVERRIDE), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(prog_attach(dev, BPF_PROG_ATTACH, prog, dir,
				     BPF_F_ALLOW_MULTI | BPF_F_REPLACE), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(stats_counter("denied_attach_flags"), d1 + 3);
	/* detach takes no flags, as bpf(2) for a cgroup */
	ck_assert_int_eq(prog_attach(dev, BPF_PROG_DETACH, prog, dir,
				     BPF_F_ALLOW_MULTI), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* another attach type is bpf(2)'s own */
	memset(&a, 0, sizeof(a));
	a.target_fd = (__u32)dir;
	a.attach_bpf_fd = (__u32)prog;
	a.attach_type = BPF_CGROUP_INET_SOCK_CREATE;
	ck_assert_int_eq(dev_bpf(dev, BPF_PROG_ATTACH, &a, sizeof(a)), -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	/* nothing was attached by any of them */
	ck_assert_int_eq(detach(dev, prog, dir), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/*
 * bpf(2)'s own detach of an exclusive or override-mode program detaches
 * whatever is attached, whichever program it names. Through bpfdev a
 * member detaches only what it attached through bpfdev: root's program on
 * the member's own cgroup stays.
 */
START_TEST(prog_detach_leaves_root_programs_alone)
{
	struct loopback lb;
	char cg[256];
	union bpf_attr a;
	int admin, dir, status;
	pid_t pid;

	ck_assert_int_eq(root_param_write("delegate_cmds", CMDS_WITH_ATTACH), 0);
	delegated_cgroup(cg, sizeof(cg), "bpfdev");
	cgroup_enter(cg);
	attr_prog(&a, BPF_PROG_TYPE_CGROUP_SKB, drop, 2);
	a.expected_attach_type = BPF_CGROUP_INET_INGRESS;
	admin = sys_bpf(BPF_PROG_LOAD, &a, sizeof(a));
	ck_assert_int_ge(admin, 0);
	dir = open(cg, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dir, 0);
	admin_attach(dir, admin, 0, BPF_PROG_ATTACH);
	loopback_open(&lb);
	ck_assert(!arrives(&lb));

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int dev, prog;

		become_member();
		dev = dev_open(O_RDWR);
		prog = dev < 0 ? -1 : load_drop(dev);
		if (prog < 0)
			_exit(100);
		/* its own program, and root's (inherited fd) */
		if (!detach(dev, prog, dir) || errno != ENOENT)
			_exit(101);
		_exit(!detach(dev, admin, dir) ? 102 : errno);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), ENOENT);
	ck_assert(!arrives(&lb));
	admin_attach(dir, admin, 0, BPF_PROG_DETACH);
	ck_assert(arrives(&lb));
}
END_TEST

/*
 * Each user holds at most 256 attachments (EDQUOT); those of a removed
 * cgroup are let go of. 30 programs on 5 cgroups, both directions: 300
 * tries (a cgroup takes 64 programs per direction).
 */
START_TEST(prog_attach_quota_and_removed_cgroups)
{
	char cg[5][256], name[32];
	int dev, prog[30], dir[5], i, j, t, ok = 0, quota = 0, other = 0;
	gid_t gid = (gid_t)bpf_gid();
	union bpf_attr a;

	ck_assert_int_eq(root_param_write("delegate_cmds", CMDS_WITH_ATTACH), 0);
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "bpfdev-q%d", i);
		delegated_cgroup(cg[i], sizeof(cg[i]), name);
	}
	ids_enter(MEMBER_UID, &gid, 1);
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	for (j = 0; j < 30; j++) {
		prog[j] = load_drop(dev);
		ck_assert_int_ge(prog[j], 0);
	}
	for (i = 0; i < 5; i++) {
		dir[i] = open(cg[i], O_RDONLY | O_DIRECTORY);
		ck_assert_int_ge(dir[i], 0);
	}
	for (i = 0; i < 5; i++)
		for (t = 0; t < 2; t++)
			for (j = 0; j < 30; j++) {
				memset(&a, 0, sizeof(a));
				a.target_fd = (__u32)dir[i];
				a.attach_bpf_fd = (__u32)prog[j];
				a.attach_type = t ? BPF_CGROUP_INET_EGRESS :
						    BPF_CGROUP_INET_INGRESS;
				a.attach_flags = BPF_F_ALLOW_MULTI;
				if (!dev_bpf(dev, BPF_PROG_ATTACH, &a,
					     sizeof(a)))
					ok++;
				else if (errno == EDQUOT)
					quota++;
				else
					other++;
			}
	ck_assert_int_eq(other, 0);
	/* 256 at most, with whatever earlier tests left held */
	ck_assert_int_le(ok, 256);
	ck_assert_int_ge(quota, 300 - 256);
	for (i = 0; i < 5; i++)
		close(dir[i]);
	ids_leave();
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(rmdir(cg[i]), 0);
	/* the removed cgroups' attachments are gone: room again */
	delegated_cgroup(cg[0], sizeof(cg[0]), "bpfdev-q5");
	ids_enter(MEMBER_UID, &gid, 1);
	dir[0] = open(cg[0], O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dir[0], 0);
	ck_assert_msg(attach_multi(dev, prog[0], dir[0]) == 0,
		      "attach after the removal: %s", strerror(errno));
	ck_assert_int_eq(detach(dev, prog[0], dir[0]), 0);
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
 * The member's attempt to link below @cg (@legacy: BPF_PROG_ATTACH, then
 * detached), from a child that becomes the member: 0 if it attached, else
 * the errno.
 */
static int member_attaches_below(const char *cg, int legacy)
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
		if (!legacy)
			_exit(link_cgroup(dev, prog, dir) >= 0 ? 0 : errno);
		if (attach_multi(dev, prog, dir))
			_exit(errno);
		_exit(detach(dev, prog, dir) ? 101 : 0);
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

	ck_assert_int_eq(root_param_write("delegate_cmds", CMDS_WITH_LINK
					  ":prog_attach:prog_detach"), 0);
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
	err = member_attaches_below(cg, 0);
	ck_assert_msg(err == EPERM, "member's link below an override-mode program: %s",
		      err ? strerror(err) : "created");
	d1 = stats_counter("denied_cgroup_override");
	ck_assert_int_eq(member_attaches_below(cg, 0), EPERM);
	ck_assert_int_eq(stats_counter("denied_cgroup_override"), d1 + 1);
	err = member_attaches_below(cg, 1);
	ck_assert_msg(err == EPERM, "member's attach below an override-mode program: %s",
		      err ? strerror(err) : "attached");
	ck_assert_int_eq(stats_counter("denied_cgroup_override"), d1 + 2);
	admin_attach(pfd, admin, 0, BPF_PROG_DETACH);

	admin_attach(pfd, admin, BPF_F_ALLOW_MULTI, BPF_PROG_ATTACH);
	ck_assert_int_eq(member_attaches_below(cg, 0), 0);
	ck_assert_int_eq(member_attaches_below(cg, 1), 0);
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

	ck_assert_int_eq(root_param_write("delegate_cmds", CMDS_WITH_LINK
					  ":prog_attach:prog_detach"), 0);
	delegated_cgroup(cg, sizeof(cg), "bpfdev");
	become_member();
	dev = dev_open(O_RDWR);
	prog = load_drop(dev);
	dir = open(cg, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(prog, 0);
	ck_assert_int_ge(dir, 0);
	ck_assert_int_eq(pipe(p), 0);
	/* attached while the table is this thread's alone */
	ck_assert_int_eq(attach_multi(dev, prog, dir), 0);
	ck_assert_int_eq(pthread_create(&t, NULL, idle_thread, &p[0]), 0);
	ck_assert_int_eq(link_cgroup(dev, prog, dir), -1);
	ck_assert_int_eq(errno, EBUSY);
	ck_assert_int_eq(attach_multi(dev, prog, dir), -1);
	ck_assert_int_eq(errno, EBUSY);
	/* a detach looks its fds up once: no shared table to fear */
	ck_assert_msg(detach(dev, prog, dir) == 0, "detach: %s",
		      strerror(errno));
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

	ck_assert_int_eq(root_param_write("delegate_cmds", CMDS_WITH_LINK
					  ":prog_attach:prog_detach"), 0);
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

/* cgrace @mode through the interposer's helper: never anywhere else */
static void cgrace_through_the_interposer(const char *mode)
{
	static struct run r;
	int v, a, f, o;

	cgrace(mode, &r);
	cgrace_counts(&r, &v, &a, &f, &o);
	ck_assert_int_eq(v, 0);
	/* both fds were seen at the attach: the race ran */
	ck_assert_int_gt(a, 0);
	ck_assert_int_gt(f, 0);
	ck_assert_int_eq(o, 0);
}

START_TEST(cgroup_fd_swap_race_through_the_interposer)
{
	cgrace_through_the_interposer("interposer");
}
END_TEST

/* cgrace @mode's race from threads, with no helper: EBUSY every time */
static void cgrace_from_threads(const char *mode, const char *name)
{
	static struct run r;
	int v, a, f, o, runs = 1;

	cgrace(mode, &r);
	cgrace_counts(&r, &v, &a, &f, &o);
	while (broken_build && !v && runs++ < RACE_RUNS_BROKEN) {
		cgrace(mode, &r);
		cgrace_counts(&r, &v, &a, &f, &o);
	}
	if (race_verdict(name, scaled(CGRACE_ITERATIONS), v, a, f))
		return;
	ck_assert_int_eq(a, 0);
	ck_assert_int_eq(o, scaled(CGRACE_ITERATIONS));
}

START_TEST(cgroup_attach_from_threads_without_the_interposer_is_ebusy)
{
	cgrace_from_threads("direct", "cgroup fd-swap from threads");
}
END_TEST

START_TEST(prog_attach_fd_swap_race_through_the_interposer)
{
	cgrace_through_the_interposer("attach-interposer");
}
END_TEST

START_TEST(prog_attach_from_threads_without_the_interposer_is_ebusy)
{
	cgrace_from_threads("attach-direct",
			    "cgroup prog_attach fd-swap from threads");
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
	{ "prog_attach", .timeout = 240, .reset_grant = 1, .tests = {
		TEST(prog_attach_holds_until_detach),
		TEST(prog_attach_refusals),
		TEST(prog_detach_leaves_root_programs_alone),
		TEST(prog_attach_quota_and_removed_cgroups),
		TEST(prog_attach_fd_swap_race_through_the_interposer),
		RACE(prog_attach_from_threads_without_the_interposer_is_ebusy),
	} },
} };
