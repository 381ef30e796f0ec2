// SPDX-License-Identifier: GPL-2.0
/*
 * Profiles (profile.c, configfs.c): several grants on one machine, each
 * behind its own node /dev/bpf-NAME, made by root in configfs, given its
 * group and mode by the real udev rule, changed at run time atomically,
 * revoked and removed under open files.
 *
 * Two teams: the networking team (group NET_GID; its member is the member
 * user, who is not in the bpf group here) loads XDP and cgroup_skb, the
 * observability team (OBS_GID, uid OBS_UID) tracing programs. Users without
 * a passwd entry: DAC needs only the numbers.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

#define CFS		"/sys/kernel/config/bpfdev"
#define NET_GID		2201
#define OBS_GID		2202
#define OBS_UID		2202
#define BOTH_UID	2203

#define NET_GRANT							\
	"delegate_cmds=prog_load:map_create:btf_load:link_create "	\
	"delegate_progs=xdp:cgroup_skb delegate_maps=array:hash "	\
	"delegate_attachs=xdp:cgroup_inet_ingress:cgroup_inet_egress\n"
#define OBS_GRANT							\
	"delegate_cmds=prog_load:map_create:btf_load "			\
	"delegate_progs=kprobe:tracepoint:perf_event "			\
	"delegate_maps=array:hash:ringbuf delegate_attachs=none\n"

/* The loads of each grant-rewrite race */
#define REWRITE_ITERATIONS 10000

static const gid_t net_groups[] = { NET_GID };
static const gid_t obs_groups[] = { OBS_GID };
static const gid_t both_groups[] = { NET_GID, OBS_GID };
static const gid_t outsider_groups[] = { OUTSIDER_UID };

/* Write @value to the profile attribute @name/@attr: 0 or -errno. */
static int cfs_write(const char *name, const char *attr, const char *value)
{
	char path[256];

	snprintf(path, sizeof(path), CFS "/%s/%s", name, attr);
	return file_write(path, value);
}

/* Write @len bytes of @buf, NULs included: 0 or -errno. */
static int cfs_write_n(const char *name, const char *attr, const char *buf,
		       size_t len)
{
	char path[256];

	snprintf(path, sizeof(path), CFS "/%s/%s", name, attr);
	return file_write_n(path, buf, len);
}

/* Read the attribute into @buf: its length, or -errno. */
static int cfs_read(const char *name, const char *attr, char *buf, size_t len)
{
	char path[256];

	snprintf(path, sizeof(path), CFS "/%s/%s", name, attr);
	return file_read(path, buf, len);
}

static void settle(void)
{
	ck_assert_int_eq(system("udevadm settle --timeout=60"), 0);
}

/* A profile with @grant, its node root:@gid @mode, made and settled. */
static void profile_make(const char *name, const char *grant, gid_t gid,
			 const char *mode)
{
	char path[256], num[16];

	snprintf(path, sizeof(path), CFS "/%s", name);
	ck_assert_msg(mkdir(path, 0755) == 0, "mkdir %s: %s", path,
		      strerror(errno));
	ck_assert_int_eq(cfs_write(name, "grant", grant), 0);
	snprintf(num, sizeof(num), "%u", (unsigned int)gid);
	ck_assert_int_eq(cfs_write(name, "group", num), 0);
	ck_assert_int_eq(cfs_write(name, "mode", mode), 0);
	ck_assert_int_eq(cfs_write(name, "enable", "1"), 0);
	settle();
}

static void profile_remove(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), CFS "/%s", name);
	ck_assert_msg(rmdir(path) == 0, "rmdir %s: %s", path, strerror(errno));
}

static int node_open(const char *name, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/bpf-%s", name);
	return open(path, flags | O_CLOEXEC);
}

/*
 * Run fn(arg) in a child that is @uid with exactly @groups: what fn
 * returned, which must be 0..255.
 */
static int as_ids(uid_t uid, const gid_t *groups, int n,
		  int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		become_ids(uid, groups, n);
		_exit(fn(arg));
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "child died: status %d", status);
	return WEXITSTATUS(status);
}

static const struct bpf_insn ret0[] = { INSN_MOV64_IMM(0, 2), INSN_EXIT() };

/* Load a 2-insn program of @type (@eat) through @dev: 0 or errno. */
static int load(int dev, __u32 type, __u32 eat)
{
	union bpf_attr a;

	attr_prog(&a, type, ret0, 2);
	a.expected_attach_type = eat;
	return -fd_result(dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a)));
}

/* errno of opening @path read-write (0: it opened) */
static int path_open_errno(const char *path)
{
	return -fd_result(open(path, O_RDWR | O_CLOEXEC));
}

/* errno of opening the node (0: it opened) */
static int open_errno(const char *name)
{
	return -fd_result(node_open(name, O_RDWR));
}

/* Failure codes of the children: which step failed, 0 for none */
enum { OK, E_OPEN = 10, E_XDP, E_XDP_LINK, E_SKB, E_SKB_LINK, E_KPROBE,
       E_TP, E_REFUSED, E_OTHER_NODE, E_DEFAULT_NODE, E_STALLED, E_OTHER };

/* The networking member: XDP and cgroup_skb, attached; no tracing. */
static int net_member(void *arg)
{
	const char *cg = arg;
	union bpf_attr a;
	int dev, prog, link, dir;

	dev = node_open("net", O_RDWR);
	if (dev < 0)
		return E_OPEN;
	attr_prog(&a, BPF_PROG_TYPE_XDP, ret0, 2);
	a.expected_attach_type = BPF_XDP;
	prog = dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a));
	if (prog < 0)
		return E_XDP;
	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = (__u32)prog;
	a.link_create.target_ifindex = if_nametoindex(VETH);
	a.link_create.attach_type = BPF_XDP;
	link = sys_bpf(BPF_LINK_CREATE, &a, sizeof(a));
	if (link < 0)
		return E_XDP_LINK;
	close(link);
	close(prog);

	attr_prog(&a, BPF_PROG_TYPE_CGROUP_SKB, ret0, 2);
	a.expected_attach_type = BPF_CGROUP_INET_EGRESS;
	prog = dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a));
	if (prog < 0)
		return E_SKB;
	dir = open(cg, O_RDONLY | O_DIRECTORY);
	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = (__u32)prog;
	a.link_create.target_fd = (__u32)dir;
	a.link_create.attach_type = BPF_CGROUP_INET_EGRESS;
	link = dev_bpf(dev, BPF_LINK_CREATE, &a, sizeof(a));
	if (link < 0)
		return E_SKB_LINK;
	close(link);
	close(prog);

	if (load(dev, BPF_PROG_TYPE_KPROBE, 0) != EPERM ||
	    load(dev, BPF_PROG_TYPE_TRACEPOINT, 0) != EPERM)
		return E_REFUSED;
	if (open_errno("obs") != EACCES)
		return E_OTHER_NODE;
	if (open(DEV_PATH, O_RDWR) >= 0 || errno != EACCES)
		return E_DEFAULT_NODE;
	return OK;
}

/* The observability member: tracing programs; no XDP, no cgroup_skb. */
static int obs_member(void *arg)
{
	int dev = node_open("obs", O_RDWR);

	(void)arg;
	if (dev < 0)
		return E_OPEN;
	if (load(dev, BPF_PROG_TYPE_KPROBE, 0))
		return E_KPROBE;
	if (load(dev, BPF_PROG_TYPE_TRACEPOINT, 0))
		return E_TP;
	if (load(dev, BPF_PROG_TYPE_XDP, BPF_XDP) != EPERM ||
	    load(dev, BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_EGRESS) !=
	    EPERM)
		return E_REFUSED;
	if (open_errno("net") != EACCES)
		return E_OTHER_NODE;
	return OK;
}

/* A member of both teams: each grant through its own node. */
static int both_member(void *arg)
{
	int net = node_open("net", O_RDWR), obs = node_open("obs", O_RDWR);

	(void)arg;
	if (net < 0 || obs < 0)
		return E_OPEN;
	if (load(net, BPF_PROG_TYPE_XDP, BPF_XDP))
		return E_XDP;
	if (load(obs, BPF_PROG_TYPE_KPROBE, 0))
		return E_KPROBE;
	if (load(net, BPF_PROG_TYPE_KPROBE, 0) != EPERM ||
	    load(obs, BPF_PROG_TYPE_XDP, BPF_XDP) != EPERM)
		return E_REFUSED;
	return OK;
}

static int outsider(void *arg)
{
	(void)arg;
	if (open_errno("net") != EACCES || open_errno("obs") != EACCES)
		return E_OPEN;
	return OK;
}

static void assert_node(const char *name, gid_t gid, mode_t mode)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/dev/bpf-%s", name);
	ck_assert_msg(stat(path, &st) == 0, "%s: %s", path, strerror(errno));
	ck_assert(S_ISCHR(st.st_mode));
	ck_assert_int_eq(st.st_uid, 0);
	ck_assert_int_eq(st.st_gid, gid);
	ck_assert_int_eq(st.st_mode & 07777, mode);
}

START_TEST(two_teams_hold_disjoint_grants_through_two_nodes)
{
	char cg[256];
	pid_t echo;

	profile_make("net", NET_GRANT, NET_GID, "0660");
	profile_make("obs", OBS_GRANT, OBS_GID, "0660");
	/* udev gave the nodes the profiles' group and mode */
	assert_node("net", NET_GID, 0660);
	assert_node("obs", OBS_GID, 0660);
	delegated_cgroup(cg, sizeof(cg), "bpfdev-net");
	echo = veth_start();

	ck_assert_int_eq(as_ids(MEMBER_UID, net_groups, 1, net_member, cg), OK);
	ck_assert_int_eq(as_ids(OBS_UID, obs_groups, 1, obs_member, NULL), OK);
	ck_assert_int_eq(as_ids(BOTH_UID, both_groups, 2, both_member, NULL),
			 OK);
	ck_assert_int_eq(as_ids(OUTSIDER_UID, outsider_groups, 1, outsider,
				NULL), OK);
	veth_stop(echo);
	profile_remove("net");
	profile_remove("obs");
}
END_TEST

static int opens_net(void *arg)
{
	(void)arg;
	return open_errno("net");
}

/* A group or mode written at run time reaches the node through udev. */
START_TEST(a_group_change_reaches_the_node)
{
	profile_make("net", NET_GRANT, NET_GID, "0660");
	ck_assert_int_eq(as_ids(MEMBER_UID, net_groups, 1, opens_net, NULL), 0);
	ck_assert_int_eq(as_ids(OBS_UID, obs_groups, 1, opens_net, NULL),
			 EACCES);

	ck_assert_int_eq(cfs_write("net", "group", "2202"), 0);
	settle();
	assert_node("net", OBS_GID, 0660);
	ck_assert_int_eq(as_ids(MEMBER_UID, net_groups, 1, opens_net, NULL),
			 EACCES);
	ck_assert_int_eq(as_ids(OBS_UID, obs_groups, 1, opens_net, NULL), 0);

	ck_assert_int_eq(cfs_write("net", "mode", "0600"), 0);
	settle();
	assert_node("net", OBS_GID, 0600);
	ck_assert_int_eq(as_ids(OBS_UID, obs_groups, 1, opens_net, NULL),
			 EACCES);
	profile_remove("net");
}
END_TEST

/* The module parameters are /dev/bpf's: not a ceiling over a profile. */
static int net_loads_xdp(void *arg)
{
	int dev = node_open("net", O_RDWR);

	(void)arg;
	return dev < 0 ? E_OPEN : load(dev, BPF_PROG_TYPE_XDP, BPF_XDP);
}

START_TEST(module_parameters_are_the_default_profile_only)
{
	profile_make("net", NET_GRANT, NET_GID, "0660");
	ck_assert_int_eq(root_param_write("delegate_progs", "none"), 0);
	ck_assert_int_eq(root_param_write("delegate_cmds", "none"), 0);
	ck_assert_int_eq(as_ids(MEMBER_UID, net_groups, 1, net_loads_xdp,
				NULL), 0);
	profile_remove("net");
}
END_TEST

/*
 * An unmodified libbpf program through a profile: bpfdev-run with
 * BPFDEV_DEVICE, BPFDEV_PROFILE or -p, for the outsider, whose own group
 * is the profile's; the member, not in it, is refused.
 */
START_TEST(an_unmodified_program_runs_through_a_profile)
{
	const char *env[] = { "BPFDEV_DEVICE=/dev/bpf-prog", "BPFDEV_DEBUG=1",
			      NULL };
	const char *profile_env[] = { "BPFDEV_PROFILE=prog", NULL };
	const char *bad_env[] = { "BPFDEV_PROFILE=../bpf", NULL };
	const char *argv[] = { "/usr/bin/bpfdev-run", prog_path("sockcount"),
			       NULL };
	const char *argv_p[] = { "/usr/bin/bpfdev-run", "-p", "prog",
				 prog_path("sockcount"), NULL };
	struct group *g = getgrnam("outsider");
	static struct run r;
	char gid[16];

	ck_assert_ptr_nonnull(g);
	snprintf(gid, sizeof(gid), "%u", (unsigned int)g->gr_gid);
	ck_assert_int_eq(mkdir(CFS "/prog", 0755), 0);
	ck_assert_int_eq(cfs_write("prog", "group", gid), 0);
	ck_assert_int_eq(cfs_write("prog", "mode", "0660"), 0);
	ck_assert_int_eq(cfs_write("prog", "enable", "1"), 0);
	settle();

	run_as(OUTSIDER, env, argv, &r);
	ck_assert_msg(exited(&r, 0), "status %d:\n%s", r.status, run_tail(&r));
	assert_has(&r, "sockcount: ok");
	assert_has(&r, "bpf(PROG_LOAD) via /dev/bpf");
	run_as(MEMBER, env, argv, &r);
	ck_assert(!exited(&r, 0));
	assert_has(&r, "Operation not permitted");
	/* by the profile's name: the environment, or bpfdev-run -p */
	run_as(OUTSIDER, profile_env, argv, &r);
	ck_assert_msg(exited(&r, 0), "status %d:\n%s", r.status, run_tail(&r));
	assert_has(&r, "sockcount: ok");
	run_as(OUTSIDER, NULL, argv_p, &r);
	ck_assert_msg(exited(&r, 0), "status %d:\n%s", r.status, run_tail(&r));
	assert_has(&r, "sockcount: ok");
	/* a name that is not a profile's opens nothing, not /dev/bpf */
	run_as(MEMBER, bad_env, argv, &r);
	ck_assert(!exited(&r, 0));
	assert_has(&r, "Operation not permitted");
	profile_remove("prog");
}
END_TEST

/*
 * No node named: /dev/bpf when its grant covers the request, else the
 * first profile node by name that the caller can open and that covers it;
 * a request none covers goes to /dev/bpf and is refused there, once.
 */
#define XDP_GRANT							\
	"delegate_cmds=prog_load:map_create:btf_load:map_freeze "	\
	"delegate_progs=xdp delegate_attachs=xdp\n"

START_TEST(the_interposer_picks_the_profile_that_covers_a_request)
{
	char loadobj[PATH_MAX + 64], obj[PATH_MAX + 64], sock[PATH_MAX + 64];
	char probe[PATH_MAX + 64];
	const char *argv[] = { "/usr/bin/bpfdev-run", loadobj, obj, NULL };
	const char *sock_argv[] = { "/usr/bin/bpfdev-run", sock, NULL };
	const char *probe_argv[] = { "/usr/bin/bpfdev-run", probe, NULL };
	const char *env[] = { "BPFDEV_DEBUG=1", NULL };
	struct group *g = getgrnam("outsider");
	static struct run r;
	gid_t outsider;

	/* getgrnam()'s result is overwritten by the next one (bpf_gid()) */
	ck_assert_ptr_nonnull(g);
	outsider = g->gr_gid;
	snprintf(loadobj, sizeof(loadobj), "%s", prog_path("loadobj"));
	snprintf(obj, sizeof(obj), "%s", prog_path("xdp_pass.bpf.o"));
	snprintf(sock, sizeof(sock), "%s", prog_path("sockcount"));
	snprintf(probe, sizeof(probe), "%s", prog_path("probe"));
	/* no profile: /dev/bpf refuses XDP */
	run_as(MEMBER, env, argv, &r);
	ck_assert_msg(exited(&r, 1), "status %d:\n%s", r.status, run_tail(&r));
	assert_has(&r, "bpf(PROG_LOAD) via /dev/bpf: -1 Operation not permitted (refused: prog_type)");

	/* one that does not cover it, then two that do: the first by name */
	profile_make("aa-kprobe", "delegate_progs=kprobe\n", bpf_gid(), "0660");
	profile_make("xdp", XDP_GRANT, bpf_gid(), "0660");
	run_as(MEMBER, env, argv, &r);
	ck_assert_msg(exited(&r, 0), "status %d:\n%s", r.status, run_tail(&r));
	assert_has(&r, "bpf(PROG_LOAD) via /dev/bpf-xdp (/dev/bpf: program type 6 not delegated; /dev/bpf-aa-kprobe: program type 6 not delegated): ");
	/* what /dev/bpf covers, it serves */
	assert_has(&r, "bpf(BTF_LOAD) via /dev/bpf: ");
	profile_make("ab-xdp", XDP_GRANT, bpf_gid(), "0660");
	run_as(MEMBER, env, argv, &r);
	ck_assert_msg(exited(&r, 0), "status %d:\n%s", r.status, run_tail(&r));
	assert_has(&r, "bpf(PROG_LOAD) via /dev/bpf-ab-xdp (/dev/bpf: program type 6 not delegated; /dev/bpf-aa-kprobe: program type 6 not delegated): ");

	/* none covers it: /dev/bpf refuses, and nothing else is tried */
	ck_assert_int_eq(cfs_write("ab-xdp", "grant", XDP_GRANT " insn_max=1"),
			 0);
	ck_assert_int_eq(cfs_write("xdp", "grant", XDP_GRANT " insn_max=1"),
			 0);
	run_as(MEMBER, env, argv, &r);
	ck_assert_msg(exited(&r, 1), "status %d:\n%s", r.status, run_tail(&r));
	assert_has(&r, "bpf(PROG_LOAD) via /dev/bpf (no node covers it; /dev/bpf: program type 6 not delegated; /dev/bpf-aa-kprobe: program type 6 not delegated; /dev/bpf-ab-xdp: ");
	assert_has(&r, "insn_max 1): -1 Operation not permitted (refused: prog_type)");
	ck_assert_msg(!strstr(r.out, "bpf(PROG_LOAD) via /dev/bpf-"),
		      "retried elsewhere:\n%s", run_tail(&r));
	profile_remove("aa-kprobe");
	profile_remove("ab-xdp");
	profile_remove("xdp");

	/*
	 * The attach type is the module's: a cgroup_skb load with none is
	 * for cgroup_inet_ingress (0), which a-egress does not delegate
	 */
	ck_assert_int_eq(param_write("delegate_progs", "socket_filter"), 0);
	profile_make("a-egress", "delegate_progs=cgroup_skb "
		     "delegate_attachs=cgroup_inet_egress\n", bpf_gid(), "0660");
	profile_make("b-ingress", "delegate_progs=cgroup_skb "
		     "delegate_attachs=cgroup_inet_ingress\n", bpf_gid(), "0660");
	run_as(MEMBER, env, probe_argv, &r);
	ck_assert_msg(exited(&r, 0), "status %d:\n%s", r.status, run_tail(&r));
	assert_has(&r, "prog cgroup_skb 1\n");
	assert_has(&r, "bpf(PROG_LOAD) via /dev/bpf-b-ingress (/dev/bpf: program type 8 not delegated; /dev/bpf-a-egress: attach type 0 not delegated): ");
	profile_remove("a-egress");
	profile_remove("b-ingress");

	/* a user who cannot open /dev/bpf: the profile it can open */
	profile_make("prog", "\n", outsider, "0660");
	run_as(OUTSIDER, env, sock_argv, &r);
	ck_assert_msg(exited(&r, 0), "status %d:\n%s", r.status, run_tail(&r));
	assert_has(&r, "sockcount: ok");
	assert_has(&r, "bpf(PROG_LOAD) via /dev/bpf-prog (/dev/bpf: cannot open it): ");
	profile_remove("prog");
}
END_TEST

/* Every key has a default; text round-trips; a bad write changes nothing. */
START_TEST(grant_text_is_checked_whole)
{
	char before[4096], after[4096], buf[4096];
	struct stat st;

	ck_assert_int_eq(mkdir(CFS "/t", 0755), 0);
	ck_assert_int_ge(cfs_read("t", "grant", before, sizeof(before)), 0);
	/* a new profile: the module parameters' defaults, root's 0600 node */
	ck_assert_ptr_nonnull(strstr(before, "insn_max=4096\n"));
	ck_assert_ptr_nonnull(strstr(before, "allow_seccomp=N\n"));
	ck_assert_ptr_nonnull(strstr(before, "loads_max=4\n"));
	ck_assert_int_ge(cfs_read("t", "mode", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "0600\n");
	ck_assert_int_ge(cfs_read("t", "enable", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "0\n");
	/* no node before it is enabled */
	ck_assert_int_eq(stat("/dev/bpf-t", &st), -1);

	ck_assert_int_eq(cfs_write("t", "grant", NET_GRANT), 0);
	ck_assert_int_ge(cfs_read("t", "grant", before, sizeof(before)), 0);
	ck_assert_ptr_nonnull(strstr(before, "delegate_progs=xdp:cgroup_skb\n"));
	/* refused whole: unknown key, twice a key, out of range, bad name */
	ck_assert_int_eq(cfs_write("t", "grant", "delegate_progs=kprobe nokey=1"),
			 -EINVAL);
	ck_assert_int_eq(cfs_write("t", "grant",
				   "delegate_progs=kprobe delegate_progs=xdp"),
			 -EINVAL);
	ck_assert_int_eq(cfs_write("t", "grant", "delegate_progs=kprobe insn_max=0"),
			 -EINVAL);
	ck_assert_int_eq(cfs_write("t", "grant", "delegate_progs=kprobe:nosuch"),
			 -EINVAL);
	ck_assert_int_eq(cfs_write("t", "grant", "insn_max"), -EINVAL);
	ck_assert_int_eq(cfs_write("t", "grant", "delegate_progs=xdp:"), -EINVAL);
	ck_assert_int_eq(cfs_write("t", "grant", "delegate_progs=:xdp"), -EINVAL);
	ck_assert_int_eq(cfs_write("t", "grant", "delegate_progs=xdp::kprobe"),
			 -EINVAL);
	/* nothing after a NUL is ignored: the whole text is refused */
	ck_assert_int_eq(cfs_write_n("t", "grant",
				     "delegate_cmds=none\0delegate_cmds=any", 36),
			 -EINVAL);
	/* a text configfs would cut into pieces */
	memset(buf, ' ', sizeof(buf) - 1);
	memcpy(buf, "insn_max=64", 11);
	ck_assert_int_eq(cfs_write_n("t", "grant", buf, 4095), -EFBIG);
	ck_assert_int_eq(cfs_write_n("t", "grant", buf, 4094), 0);
	ck_assert_int_eq(cfs_write("t", "grant", before), 0);
	ck_assert_int_ge(cfs_read("t", "grant", after, sizeof(after)), 0);
	ck_assert_str_eq(before, after);
	/* what is read can be written back */
	ck_assert_int_eq(cfs_write("t", "grant", before), 0);
	ck_assert_int_ge(cfs_read("t", "grant", after, sizeof(after)), 0);
	ck_assert_str_eq(before, after);

	ck_assert_int_eq(cfs_write("t", "mode", "01777"), -EINVAL);
	ck_assert_int_eq(cfs_write("t", "mode", "9"), -EINVAL);
	ck_assert_int_eq(cfs_write("t", "group", "bpf"), -EINVAL);
	ck_assert_int_eq(cfs_write("t", "group", "4294967295"), -EINVAL);
	ck_assert_int_eq(cfs_write("t", "enable", "0"), 0);
	ck_assert_int_eq(cfs_write("t", "enable", "1"), 0);
	ck_assert_int_eq(cfs_write("t", "enable", "1"), 0);
	ck_assert_int_eq(cfs_write("t", "enable", "0"), -EBUSY);
	settle();
	ck_assert_int_eq(stat("/dev/bpf-t", &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	profile_remove("t");
	settle();
	ck_assert_int_eq(stat("/dev/bpf-t", &st), -1);

	/* names a node can have, and not the default profile's */
	ck_assert_int_eq(mkdir(CFS "/default", 0755), -1);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_int_eq(mkdir(CFS "/Net", 0755), -1);
	ck_assert_int_eq(mkdir(CFS "/-net", 0755), -1);
	ck_assert_int_eq(mkdir(CFS "/a.b", 0755), -1);
	ck_assert_int_eq(mkdir(CFS "/abcdefghijklmnopqrstuvwxyz0123456", 0755),
			 -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
	ck_assert_int_eq(mkdir(CFS "/abcdefghijklmnopqrstuvwxyz012345", 0755),
			 0);
	ck_assert_int_eq(rmdir(CFS "/abcdefghijklmnopqrstuvwxyz012345"), 0);
}
END_TEST

/* Each profile pins the module: rmmod is refused until it is removed. */
START_TEST(a_profile_pins_the_module)
{
	ck_assert_int_eq(mkdir(CFS "/pin", 0755), 0);
	ck_assert_int_eq(syscall(SYS_delete_module, "bpfdev", O_NONBLOCK), -1);
	ck_assert_int_eq(errno, EWOULDBLOCK);
	profile_remove("pin");
}
END_TEST

/* Loads through one profile count against its limits only. */
static int limits_per_profile(void *arg)
{
	struct bpfdev_info ia, ib;
	int a = node_open("la", O_RDWR), b = node_open("lb", O_RDWR);

	(void)arg;
	if (a < 0 || b < 0)
		return E_OPEN;
	if (load(a, BPF_PROG_TYPE_XDP, BPF_XDP) ||
	    load(a, BPF_PROG_TYPE_XDP, BPF_XDP) != EDQUOT)
		return 20;
	if (load(b, BPF_PROG_TYPE_XDP, BPF_XDP))
		return 21;
	if (dev_info(a, &ia) || dev_info(b, &ib))
		return 22;
	if (ia.user_progs_created != 1 || ib.user_progs_created != 1 ||
	    ia.user_progs_max != 1 || ib.user_progs_max != 0)
		return 23;
	return OK;
}

START_TEST(per_user_limits_are_per_profile)
{
	profile_make("la", NET_GRANT "user_progs_max=1\n", NET_GID, "0660");
	profile_make("lb", NET_GRANT, NET_GID, "0660");
	ck_assert_int_eq(as_ids(MEMBER_UID, net_groups, 1, limits_per_profile,
				NULL), OK);
	profile_remove("la");
	profile_remove("lb");
}
END_TEST

/*
 * A member's files of two profiles and /dev/bpf, kept open in a child while
 * root revokes and removes. The child reports each step on a pipe.
 */
struct held {
	pid_t pid;
	int cmd, res;	/* to the child; from it */
};

enum { HOLD_LOAD = 1, HOLD_INFO, HOLD_QUIT };

static void holder(int cmd, int res)
{
	int net, obs, dflt, narrowed, c, r;
	struct bpfdev_info info;

	net = node_open("net", O_RDWR);
	obs = node_open("obs", O_RDWR);
	dflt = open(DEV_PATH, O_RDWR | O_CLOEXEC);
	narrowed = net >= 0 ? dev_narrow(net, ~0ULL, ~0ULL, 0, 0) : -1;
	r = net >= 0 && obs >= 0 && dflt >= 0 && narrowed >= 0 ? 0 : -1;
	if (write(res, &r, sizeof(r)) != sizeof(r))
		_exit(1);
	while (read(cmd, &c, sizeof(c)) == sizeof(c) && c != HOLD_QUIT) {
		/* a bit per file that loaded (net, narrowed, obs, /dev/bpf) */
		if (c == HOLD_LOAD)
			r = (load(net, BPF_PROG_TYPE_XDP, BPF_XDP) ? 0 : 1) |
			    (load(narrowed, BPF_PROG_TYPE_XDP, BPF_XDP) ? 0 : 2) |
			    (load(obs, BPF_PROG_TYPE_KPROBE, 0) ? 0 : 4) |
			    (load(dflt, BPF_PROG_TYPE_SOCKET_FILTER, 0) ? 0 : 8);
		else	/* the INFO flags of net and of obs */
			r = (dev_info(net, &info) ? 0xff : (int)info.flags) |
			    (dev_info(obs, &info) ? 0xff :
			     (int)info.flags) << 8;
		if (write(res, &r, sizeof(r)) != sizeof(r))
			_exit(1);
	}
	_exit(0);
}

static int held_ask(struct held *h, int c)
{
	int r;

	ck_assert_int_eq(write(h->cmd, &c, sizeof(c)), (int)sizeof(c));
	ck_assert_int_eq(read(h->res, &r, sizeof(r)), (int)sizeof(r));
	return r;
}

static void held_start(struct held *h)
{
	static const gid_t groups[] = { NET_GID, OBS_GID, 990 };
	int cmd[2], res[2], r;

	ck_assert_int_eq(pipe(cmd), 0);
	ck_assert_int_eq(pipe(res), 0);
	ck_assert_int_eq((int)groups[2], bpf_gid());
	h->pid = fork();
	ck_assert_int_ge(h->pid, 0);
	if (h->pid == 0) {
		close(cmd[1]);
		close(res[0]);
		become_ids(MEMBER_UID, groups, 3);
		holder(cmd[0], res[1]);
	}
	close(cmd[0]);
	close(res[1]);
	h->cmd = cmd[1];
	h->res = res[0];
	ck_assert_int_eq(read(h->res, &r, sizeof(r)), (int)sizeof(r));
	ck_assert_int_eq(r, 0);
}

static void held_stop(struct held *h)
{
	int status, c = HOLD_QUIT;

	ck_assert_int_eq(write(h->cmd, &c, sizeof(c)), (int)sizeof(c));
	ck_assert_int_eq(waitpid(h->pid, &status, 0), h->pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(h->cmd);
	close(h->res);
}

#define ALL_LOAD	0xf

START_TEST(revoking_a_profile_stops_its_files_only)
{
	struct held h;
	char buf[32];

	profile_make("net", NET_GRANT, NET_GID, "0660");
	profile_make("obs", OBS_GRANT, OBS_GID, "0660");
	held_start(&h);
	ck_assert_int_eq(held_ask(&h, HOLD_LOAD), ALL_LOAD);

	ck_assert_int_eq(cfs_write("net", "revoke", "1"), 0);
	ck_assert_int_ge(cfs_read("net", "revoke", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "1\n");
	/* net and the file narrowed from it, not obs, not /dev/bpf */
	ck_assert_int_eq(held_ask(&h, HOLD_LOAD), 1 << 2 | 1 << 3);
	ck_assert_int_eq(held_ask(&h, HOLD_INFO),
			 (BPFDEV_INFO_F_WRITABLE | BPFDEV_INFO_F_REVOKED) |
			 BPFDEV_INFO_F_WRITABLE << 8);
	/* the module's revoke: every profile's files */
	ck_assert_int_eq(root_param_write("revoke", "1"), 0);
	ck_assert_int_eq(held_ask(&h, HOLD_LOAD), 0);
	held_stop(&h);
	/* files opened after it work */
	ck_assert_int_eq(as_ids(MEMBER_UID, net_groups, 1, net_loads_xdp,
				NULL), 0);
	profile_remove("net");
	profile_remove("obs");
}
END_TEST

START_TEST(removing_a_profile_under_open_files_revokes_them)
{
	struct held h;
	struct stat st;

	profile_make("net", NET_GRANT, NET_GID, "0660");
	profile_make("obs", OBS_GRANT, OBS_GID, "0660");
	held_start(&h);
	ck_assert_int_eq(held_ask(&h, HOLD_LOAD), ALL_LOAD);
	profile_remove("net");
	settle();
	ck_assert_int_eq(stat("/dev/bpf-net", &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(held_ask(&h, HOLD_LOAD), 1 << 2 | 1 << 3);
	ck_assert_int_eq(held_ask(&h, HOLD_INFO),
			 (BPFDEV_INFO_F_WRITABLE | BPFDEV_INFO_F_REVOKED |
			  BPFDEV_INFO_F_REMOVED) |
			 BPFDEV_INFO_F_WRITABLE << 8);
	/* a new profile of the same name is a new grant; the old files stay dead */
	profile_make("net", NET_GRANT, NET_GID, "0660");
	ck_assert_int_eq(held_ask(&h, HOLD_LOAD), 1 << 2 | 1 << 3);
	ck_assert_int_eq(as_ids(MEMBER_UID, net_groups, 1, net_loads_xdp,
				NULL), 0);
	/* the last file of the removed profile goes: nothing left to leak */
	held_stop(&h);
	profile_remove("net");
	profile_remove("obs");
}
END_TEST

/*
 * Root rewrites a profile's grant between two grants, A and B, as fast as
 * it can, while the member loads a program neither allows, which a mix of
 * the two would let in: no load may pass.
 */
struct rewrite_race {
	const char *name, *grant_a, *grant_b;
	__u32 type, eat;
	const struct bpf_insn *insns;
	__u32 cnt;
	int err_a, err_b;	/* the refusals under A and under B */
};

struct rewrite_counts {
	int accepted, under_a, under_b, other;
	volatile int writes;	/* grants the writer wrote so far */
};

/*
 * The race ran when the loads overlapped this many rewrites, at least,
 * and met both grants.
 */
#define REWRITES_OVERLAPPED	20

struct rewrite_run {
	const struct rewrite_race *race;
	struct rewrite_counts *c;
};

static int rewrite_loader(void *arg)
{
	const struct rewrite_run *run = arg;
	const struct rewrite_race *r = run->race;
	struct rewrite_counts *c = run->c;
	union bpf_attr a;
	int dev, i, fd, first;

	dev = node_open("race", O_RDWR);
	if (dev < 0)
		return E_OPEN;
	/* from the writer's first rewrite, until it overlapped enough of them */
	for (i = 0; !c->writes && i < 30000; i++)
		usleep(1000);
	first = c->writes;
	for (i = 0; i < scaled(REWRITE_ITERATIONS) ||
		    c->writes - first < REWRITES_OVERLAPPED ||
		    (!broken_build && (!c->under_a || !c->under_b)); i++) {
		if (i > 100 * REWRITE_ITERATIONS)
			return E_STALLED;	/* the writer stalled */
		attr_prog(&a, r->type, r->insns, r->cnt);
		a.expected_attach_type = r->eat;
		fd = dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a));
		if (fd >= 0) {
			c->accepted++;
			close(fd);
			if (broken_build)
				break;
		} else if (errno == r->err_a) {
			c->under_a++;
		} else if (errno == r->err_b) {
			c->under_b++;
		} else {
			c->other++;
		}
	}
	return OK;
}

static void rewrite_race_run(const struct rewrite_race *r)
{
	struct rewrite_run run = { .race = r };
	struct rewrite_counts *c;
	int status, fd, n;
	pid_t writer;

	c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(c, MAP_FAILED);
	memset(c, 0, sizeof(*c));
	run.c = c;
	profile_make("race", r->grant_a, NET_GID, "0660");

	writer = fork();
	ck_assert_int_ge(writer, 0);
	if (writer == 0) {
		fd = open(CFS "/race/grant", O_WRONLY);
		for (n = 0; fd >= 0; n++) {
			const char *g = n & 1 ? r->grant_a : r->grant_b;

			if (pwrite(fd, g, strlen(g), 0) < 0)
				_exit(1);
			c->writes = n + 1;
			/*
			 * Each grant in place for a while: how long a write
			 * takes depends on SRCU's grace periods, which need
			 * not treat A and B alike.
			 */
			usleep(100);
		}
		_exit(2);
	}
	ck_assert_int_eq(as_ids(MEMBER_UID, net_groups, 1, rewrite_loader,
				&run), OK);
	kill(writer, SIGKILL);
	ck_assert_int_eq(waitpid(writer, &status, 0), writer);
	ck_assert_msg(WIFSIGNALED(status), "the writer stopped: %d", status);
	profile_remove("race");
	printf("%s: %d grants written, %d refused as under A, %d as under B\n",
	       r->name, c->writes, c->under_a, c->under_b);
	ck_assert_int_eq(c->other, 0);
	if (race_verdict(r->name, c->accepted + c->under_a + c->under_b,
			 c->accepted, c->accepted, c->under_a + c->under_b))
		return;
	/* the race ran: the loads met both grants */
	ck_assert_int_gt(c->under_a, 0);
	ck_assert_int_gt(c->under_b, 0);
}

/* A: XDP up to 64 instructions; B: no XDP. A 100-instruction XDP program. */
START_TEST(grant_rewrites_are_atomic)
{
	static struct bpf_insn insns[100];
	static const struct rewrite_race r = {
		.name = "grant_rewrites_are_atomic",
		.grant_a = "delegate_progs=xdp delegate_attachs=any insn_max=64",
		.grant_b = "delegate_progs=cgroup_skb delegate_attachs=any insn_max=4096",
		.type = BPF_PROG_TYPE_XDP, .eat = BPF_XDP,
		.insns = insns, .cnt = ARRAY_LEN(insns),
		.err_a = E2BIG, .err_b = EPERM,
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(insns) - 1; i++)
		insns[i] = INSN_MOV64_IMM(0, 2);
	insns[ARRAY_LEN(insns) - 1] = INSN_EXIT();
	rewrite_race_run(&r);
}
END_TEST

/*
 * One request is decided under one grant, its budgets included. A: no
 * bpf-to-bpf calls, no JIT budget; B: calls, a JIT budget of 1 byte. A
 * program with a call: the budget of A and the calls of B would let it in.
 */
START_TEST(one_request_one_grant)
{
	static const struct bpf_insn insns[] = {
		{ .code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_CALL,
		  .imm = 1 },
		INSN_EXIT(),
		INSN_MOV64_IMM(0, 0),
		INSN_EXIT(),
	};
	static const struct rewrite_race r = {
		.name = "one_request_one_grant",
		.grant_a = "delegate_progs=socket_filter delegate_insns=none user_jit_max=0",
		.grant_b = "delegate_progs=socket_filter delegate_insns=bpf_call user_jit_max=1",
		.type = BPF_PROG_TYPE_SOCKET_FILTER,
		.insns = insns, .cnt = ARRAY_LEN(insns),
		.err_a = EPERM, .err_b = EDQUOT,
	};

	rewrite_race_run(&r);
}
END_TEST

/*
 * A removed profile's node number is not the next profile's: a node made
 * by mknod for it (a container's --device) opens nothing, not the next.
 */
START_TEST(a_removed_profile_number_opens_nothing)
{
	const char *copy = "/dev/bpfdev-test-copy";
	struct stat a, b, c;
	int held;

	profile_make("na", NET_GRANT, NET_GID, "0660");
	ck_assert_int_eq(stat("/dev/bpf-na", &a), 0);
	/* not a misc device: those minors come back at once */
	ck_assert_int_ne(major(a.st_rdev), 10);
	unlink(copy);
	ck_assert_int_eq(mknod(copy, S_IFCHR | 0666, a.st_rdev), 0);
	held = open(copy, O_RDWR);
	ck_assert_int_ge(held, 0);
	profile_remove("na");
	profile_make("nb", NET_GRANT, 0, "0600");
	ck_assert_int_eq(stat("/dev/bpf-nb", &b), 0);
	ck_assert_int_ne(a.st_rdev, b.st_rdev);
	/* while a file holds the removed one's device: ENODEV */
	ck_assert_int_eq(path_open_errno(copy), ENODEV);
	close(held);
	/* then no device at all */
	ck_assert_int_eq(path_open_errno(copy), ENXIO);
	/* the old number is free now, and still not the next profile's */
	profile_make("nc", NET_GRANT, 0, "0600");
	ck_assert_int_eq(stat("/dev/bpf-nc", &c), 0);
	ck_assert_int_ne(a.st_rdev, c.st_rdev);
	ck_assert_int_eq(path_open_errno(copy), ENXIO);
	ck_assert_int_eq(unlink(copy), 0);
	profile_remove("nb");
	profile_remove("nc");
}
END_TEST


/* --- one user of a profile: revoked, counted, listed ----------------- */

#define USERS_GRANT							\
	"delegate_cmds=map_create:prog_load delegate_progs=socket_filter " \
	"delegate_maps=array\n"

/* Create an array map through @dev: 0 or errno. */
static int map_as_self(int dev)
{
	return -fd_result(dev_map(dev, BPF_MAP_TYPE_ARRAY));
}

/* The same, as @uid */
static int map_as(uid_t uid, const gid_t *groups, int dev)
{
	int ret;

	ids_enter(uid, groups, 1);
	ret = map_as_self(dev);
	ids_leave();
	return ret;
}

/* Open @path as @uid: an fd, or -errno. */
static int path_open_as(uid_t uid, const gid_t *groups, const char *path)
{
	int fd;

	ids_enter(uid, groups, 1);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		fd = -errno;
	ids_leave();
	return fd;
}

/* Open the node of profile @name as @uid: an fd, or -errno. */
static int open_as(uid_t uid, const gid_t *groups, const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/bpf-%s", name);
	return path_open_as(uid, groups, path);
}

/* The value of @key in fdinfo of @fd */
static long fdinfo_value(int fd, const char *key)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	return file_value(path, key);
}

/*
 * The line of a listing (users, files) that starts with @first and a
 * blank, or NULL: "key=value"s, a line each, as configfs.c prints them.
 */
static const char *listing_line(const char *name, const char *attr,
				const char *first)
{
	static char buf[1 << 16];
	char *line, *save = NULL;
	size_t n = strlen(first);

	/* empty: no user, no file */
	ck_assert_int_ge(cfs_read(name, attr, buf, sizeof(buf)), 0);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, first, n) && line[n] == ' ')
			return line;
	return NULL;
}

/* The value of @key in that line: -1 if there is no such line. */
static long listing_value(const char *name, const char *attr,
			  const char *first, const char *key)
{
	const char *line = listing_line(name, attr, first), *v;
	size_t klen = strlen(key);

	if (!line)
		return -1;
	for (v = line; (v = strstr(v, key)); v += klen)
		if ((v == line || v[-1] == ' ') && v[klen] == '=')
			return strtol(v + klen + 1, NULL, 10);
	ck_abort_msg("%s/%s: no %s in '%s'", name, attr, key, line);
	return -1;
}

static const gid_t net_group[] = { NET_GID };

START_TEST(revoking_a_user_stops_that_user_only)
{
	char buf[64];
	int a, b, again;

	profile_make("net", USERS_GRANT, NET_GID, "0660");
	a = open_as(MEMBER_UID, net_group, "net");
	b = open_as(BOTH_UID, net_group, "net");
	ck_assert_int_ge(a, 0);
	ck_assert_int_ge(b, 0);
	ck_assert_int_eq(map_as(MEMBER_UID, net_group, a), 0);
	ck_assert_int_eq(map_as(BOTH_UID, net_group, b), 0);

	ck_assert_int_eq(cfs_write("net", "revoke_user", "1000"), 0);
	ck_assert_int_gt(cfs_read("net", "revoked_users", buf, sizeof(buf)),
			 0);
	ck_assert_str_eq(buf, "1000\n");
	/* the user, through its own file and through another's */
	ck_assert_int_eq(map_as(MEMBER_UID, net_group, a), EPERM);
	ck_assert_int_eq(map_as(MEMBER_UID, net_group, b), EPERM);
	/* its file, whoever holds it now */
	ck_assert_int_eq(map_as(BOTH_UID, net_group, a), EPERM);
	ck_assert_int_eq(fdinfo_value(a, "revoked:"), 1);
	/* and no one else */
	ck_assert_int_eq(map_as(BOTH_UID, net_group, b), 0);
	ck_assert_int_eq(fdinfo_value(b, "revoked:"), 0);
	/* a reopen is refused, until root lifts it; read-only, for its
	 * refusals, it is not */
	ck_assert_int_eq(open_as(MEMBER_UID, net_group, "net"), -EPERM);
	ids_enter(MEMBER_UID, net_group, 1);
	again = node_open("net", O_RDONLY);
	ck_assert_int_ge(again, 0);
	ck_assert_int_eq(map_as_self(again), EBADF);
	ids_leave();
	close(again);
	ck_assert_int_eq(listing_value("net", "users", "uid=1000", "revoked"),
			 1);
	ck_assert_int_eq(listing_value("net", "users", "uid=2203", "revoked"),
			 0);
	/* its two requests, not the other user's through its file */
	ck_assert_int_eq(listing_value("net", "users", "uid=1000",
				       "denied_revoked"), 2);
	ck_assert_int_eq(listing_value("net", "users", "uid=2203",
				       "denied_revoked"), 1);

	ck_assert_int_eq(cfs_write("net", "unrevoke_user", "1000"), 0);
	ck_assert_int_eq(cfs_read("net", "revoked_users", buf, sizeof(buf)),
			 0);
	again = open_as(MEMBER_UID, net_group, "net");
	ck_assert_int_ge(again, 0);
	ck_assert_int_eq(map_as(MEMBER_UID, net_group, again), 0);
	/* what was revoked stays revoked */
	ck_assert_int_eq(map_as(MEMBER_UID, net_group, a), EPERM);
	ck_assert_int_eq(cfs_write("net", "revoke_user", "x"), -EINVAL);
	close(again);
	close(a);
	close(b);
	profile_remove("net");
}
END_TEST

/* /dev/bpf's profile is default/: its users revoked in the same way. */
START_TEST(the_default_profile_is_in_configfs)
{
	const gid_t bpf[] = { (gid_t)bpf_gid() };
	char grant[4096];
	int a, a2;

	ck_assert_int_eq(rmdir(CFS "/default"), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(param_write("delegate_progs", "socket_filter:xdp"),
			 0);
	ck_assert_int_gt(cfs_read("default", "grant", grant, sizeof(grant)),
			 0);
	ck_assert_ptr_nonnull(strstr(grant, "delegate_progs=socket_filter:xdp"));
	ck_assert_int_eq(cfs_write("default", "grant", "insn_max=1"), -EACCES);

	a = path_open_as(MEMBER_UID, bpf, DEV_PATH);
	ck_assert_int_ge(a, 0);
	ck_assert_int_eq(cfs_write("default", "revoke_user", "1000"), 0);
	ck_assert_int_eq(map_as(MEMBER_UID, bpf, a), EPERM);
	ck_assert_int_eq(path_open_as(MEMBER_UID, bpf, DEV_PATH), -EPERM);
	/* the second member is not */
	ck_assert_int_eq(map_as(MEMBER2_UID, bpf, a), EPERM);
	a2 = path_open_as(MEMBER2_UID, bpf, DEV_PATH);
	ck_assert_int_ge(a2, 0);
	ck_assert_int_eq(map_as(MEMBER2_UID, bpf, a2), 0);
	ck_assert_int_eq(listing_value("default", "users", "uid=1000",
				       "revoked"), 1);
	ck_assert_int_eq(listing_value("default", "users", "uid=1002",
				       "revoked"), 0);
	ck_assert_int_eq(cfs_write("default", "unrevoke_user", "1000"), 0);
	close(a2);
	close(a);
}
END_TEST


/* Requests are counted per profile and per user, by outcome. */
START_TEST(a_profile_counts_its_users_requests)
{
	int a, b;

	profile_make("net", USERS_GRANT, NET_GID, "0660");
	a = open_as(MEMBER_UID, net_group, "net");
	b = open_as(BOTH_UID, net_group, "net");
	ck_assert_int_ge(a, 0);
	ck_assert_int_ge(b, 0);
	ck_assert_int_eq(map_as(MEMBER_UID, net_group, a), 0);
	ids_enter(MEMBER_UID, net_group, 1);
	ck_assert_int_eq(load(a, BPF_PROG_TYPE_KPROBE, 0), EPERM);
	ids_leave();
	ck_assert_int_eq(map_as(BOTH_UID, net_group, b), 0);

	ck_assert_int_eq(file_value(CFS "/net/stats", "executed_map_create="),
			 2);
	ck_assert_int_eq(file_value(CFS "/net/stats", "denied_prog_type="), 1);
	ck_assert_int_eq(listing_value("net", "users", "uid=1000",
				       "executed_map_create"), 1);
	ck_assert_int_eq(listing_value("net", "users", "uid=1000",
				       "denied_prog_type"), 1);
	ck_assert_int_eq(listing_value("net", "users", "uid=1000", "maps"), 1);
	ck_assert_int_eq(listing_value("net", "users", "uid=2203",
				       "executed_map_create"), 1);
	ck_assert_int_eq(listing_value("net", "users", "uid=2203",
				       "denied_prog_type"), 0);
	/* /dev/bpf's profile counted none of them */
	ck_assert_int_eq(listing_value("default", "users", "uid=2203",
				       "executed_map_create"), -1);
	close(a);
	close(b);
	profile_remove("net");
}
END_TEST

/* A child holding a file of the profile and one narrowed from it */
static int files_holder(int report, int wait_fd)
{
	long ids[2];
	int dev, narrow;

	prctl(PR_SET_NAME, "a b\\c");
	become_ids(MEMBER_UID, net_group, 1);
	dev = node_open("net", O_RDWR);
	if (dev < 0)
		return E_OPEN;
	narrow = dev_narrow(dev, 1ULL << BPF_PROG_TYPE_SOCKET_FILTER, 0, 0, 0);
	if (narrow < 0)
		return E_OTHER;
	ids[0] = fdinfo_value(dev, "\nid:");
	ids[1] = fdinfo_value(narrow, "\nid:");
	if (write(report, ids, sizeof(ids)) != sizeof(ids))
		return E_OTHER;
	/* until the parent has looked */
	if (read(wait_fd, ids, 1) < 0)
		return E_OTHER;
	return OK;
}

/* Root sees every open file of a profile, and who made it. */
START_TEST(a_profile_lists_its_files_and_who_made_them)
{
	int report[2], go[2], status;
	char first[32], comm[64];
	const char *line;
	long ids[2];
	pid_t pid;

	profile_make("net", USERS_GRANT, NET_GID, "0660");
	ck_assert_int_eq(pipe(report), 0);
	ck_assert_int_eq(pipe(go), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(files_holder(report[1], go[0]));
	ck_assert_int_eq(read(report[0], ids, sizeof(ids)), sizeof(ids));

	snprintf(first, sizeof(first), "id=%ld", ids[0]);
	ck_assert_int_eq(listing_value("net", "files", first, "uid"), 1000);
	ck_assert_int_eq(listing_value("net", "files", first, "pid"), pid);
	ck_assert_int_eq(listing_value("net", "files", first, "depth"), 0);
	ck_assert_int_eq(listing_value("net", "files", first, "revoked"), 0);
	/* a comm's blank and backslash are escaped: one word */
	line = listing_line("net", "files", first);
	ck_assert_ptr_nonnull(line);
	snprintf(comm, sizeof(comm), " comm=a\\x20b\\x5cc");
	ck_assert_msg(strstr(line, comm) && !strstr(line, comm)[strlen(comm)],
		      "'%s' has no '%s' at its end", line, comm);
	snprintf(first, sizeof(first), "id=%ld", ids[1]);
	ck_assert_int_eq(listing_value("net", "files", first, "depth"), 1);
	ck_assert_int_eq(listing_value("net", "files", first, "uid"), 1000);

	ck_assert_int_eq(write(go[1], "x", 1), 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), OK);
	/* closed: gone from the listing */
	ck_assert_int_eq(listing_value("net", "files", first, "uid"), -1);
	profile_remove("net");
}
END_TEST

const struct suite_def profiles_suite = {
	.name = "profiles",
	.tcases = {
		{ .name = "teams", .timeout = 120, .reset_grant = 1, .tests = {
			TEST(two_teams_hold_disjoint_grants_through_two_nodes),
			TEST(a_group_change_reaches_the_node),
			TEST(module_parameters_are_the_default_profile_only),
			TEST(per_user_limits_are_per_profile),
			TEST(an_unmodified_program_runs_through_a_profile),
			TEST(the_interposer_picks_the_profile_that_covers_a_request),
		} },
		{ .name = "admin", .timeout = 60, .reset_grant = 1, .tests = {
			TEST(grant_text_is_checked_whole),
			TEST(a_profile_pins_the_module),
		} },
		{ .name = "lifetime", .timeout = 120, .reset_grant = 1,
		  .tests = {
			TEST(revoking_a_profile_stops_its_files_only),
			TEST(removing_a_profile_under_open_files_revokes_them),
			TEST(a_removed_profile_number_opens_nothing),
			RACE(grant_rewrites_are_atomic),
			RACE(one_request_one_grant),
		} },
		{ .name = "users", .timeout = 60, .reset_grant = 1, .tests = {
			TEST(revoking_a_user_stops_that_user_only),
			TEST(the_default_profile_is_in_configfs),
			TEST(a_profile_counts_its_users_requests),
			TEST(a_profile_lists_its_files_and_who_made_them),
		} },
	},
};
