// SPDX-License-Identifier: GPL-2.0
/*
 * bpfdevctl (tools/bpfdevctl.c): profiles from files in
 * /etc/bpfdev/profiles.d, applied whole or not at all, and what root and
 * the members see and do with it. Its -j output is parsed as JSON and
 * checked against what the module says itself: configfs and fdinfo.
 *
 * The networking team (group NET_GID, the member user among others) and
 * the observability team (OBS_GID), as in profile_test.c, from two files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json.h"
#include "testlib.h"

#define CTL		"/usr/bin/bpfdevctl"
#define CONF_DIR	"/etc/bpfdev/profiles.d"
#define CFS		"/sys/kernel/config/bpfdev"
#define NET_GID		2201
#define OBS_GID		2202
#define OBS_UID		2202

static const gid_t net_groups[] = { NET_GID };
static const gid_t obs_groups[] = { OBS_GID };

#define NET_CONF							\
	"# the networking team\n"					\
	"group = 2201\n"						\
	"mode = 0660\n"							\
	"\n"								\
	"delegate_cmds = prog_load, map_create\n"			\
	"delegate_progs = xdp, cgroup_skb\n"				\
	"delegate_maps = array\n"					\
	"delegate_attachs = xdp, cgroup_inet_egress\n"		\
	"insn_max = 512\n"
#define OBS_CONF							\
	"group = 2202\n"						\
	"mode = 0660\n"							\
	"delegate_cmds = prog_load, map_create\n"			\
	"delegate_progs = kprobe, tracepoint\n"				\
	"delegate_maps = array, ringbuf\n"

struct ctl {
	int status;
	char out[1 << 16];
	char err[1 << 14];
};

/* Read all of @fd into @buf. */
static void drain(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while ((n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	ck_assert_msg(len < size - 1, "output too long");
	buf[len] = '\0';
	close(fd);
}

/*
 * Run bpfdevctl with @args (NULL-terminated) as @uid with @groups (root for
 * 0), stdout and stderr apart: its exit status.
 */
static int ctl_as(struct ctl *c, uid_t uid, const gid_t *groups, int n,
		  const char *const args[])
{
	const char *argv[16] = { CTL };
	int out[2], err[2], i;
	pid_t pid;

	for (i = 0; args[i]; i++)
		argv[i + 1] = args[i];
	ck_assert_int_eq(pipe(out), 0);
	ck_assert_int_eq(pipe(err), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		close(out[0]);
		close(err[0]);
		if (uid)
			become_ids(uid, groups, n);
		execv(CTL, (char *const *)argv);
		_exit(122);
	}
	close(out[1]);
	close(err[1]);
	drain(out[0], c->out, sizeof(c->out));
	drain(err[0], c->err, sizeof(c->err));
	ck_assert_int_eq(waitpid(pid, &c->status, 0), pid);
	ck_assert(WIFEXITED(c->status));
	return WEXITSTATUS(c->status);
}

#define CTL_ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* As root: must exit 0 */
#define ctl_ok(c, ...)							\
	ck_assert_msg(ctl_as(c, 0, NULL, 0, CTL_ARGS(__VA_ARGS__)) == 0, \
		      "bpfdevctl failed: %s", (c)->err)

static struct json *parsed(const struct ctl *c)
{
	struct json *j = json_parse(c->out);

	ck_assert_msg(j, "not JSON:\n%s", c->out);
	return j;
}

static void conf_write(const char *name, const char *text)
{
	char path[256];
	int fd;

	ck_assert_int_eq(mkdir("/etc/bpfdev", 0755) && errno != EEXIST, 0);
	ck_assert_int_eq(mkdir(CONF_DIR, 0755) && errno != EEXIST, 0);
	snprintf(path, sizeof(path), CONF_DIR "/%s.conf", name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	ck_assert_int_eq(close(fd), 0);
}

static void conf_remove(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), CONF_DIR "/%s.conf", name);
	ck_assert_int_eq(unlink(path), 0);
}

/* Each test starts without profile files, and ends so. */
static void confs_clear(void)
{
	const char *names[] = { "net", "obs", "bad" };
	char path[256];
	size_t i;

	for (i = 0; i < ARRAY_LEN(names); i++) {
		snprintf(path, sizeof(path), CONF_DIR "/%s.conf", names[i]);
		unlink(path);
	}
}

static void two_teams(struct ctl *c)
{
	confs_clear();
	conf_write("net", NET_CONF);
	conf_write("obs", OBS_CONF);
	ctl_ok(c, "reload");
	ck_assert_int_eq(system("udevadm settle --timeout=60"), 0);
}

static void teardown_profiles(struct ctl *c)
{
	confs_clear();
	/* a reload without files removes the profiles */
	ctl_ok(c, "reload");
	ck_assert_int_eq(access(CFS "/net", F_OK), -1);
}

static const struct bpf_insn ret0[] = { INSN_MOV64_IMM(0, 2), INSN_EXIT() };

static int load(int dev, __u32 type, __u32 eat)
{
	union bpf_attr a;

	attr_prog(&a, type, ret0, 2);
	a.expected_attach_type = eat;
	return -fd_result(dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a)));
}

/* A line "key:\tvalue" of fdinfo of @fd, its value */
static void fdinfo_str(int fd, const char *key, char *buf, size_t size)
{
	char path[64], text[8192], want[64], *p;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	ck_assert_int_gt(file_read(path, text, sizeof(text)), 0);
	snprintf(want, sizeof(want), "\n%s:\t", key);
	p = strstr(text, want);
	ck_assert_msg(p, "fdinfo has no %s", key);
	p += strlen(want);
	snprintf(buf, size, "%.*s", (int)strcspn(p, "\n"), p);
}

/* Two teams from two files: the profiles, their nodes, their grants. */
START_TEST(two_files_make_two_profiles)
{
	static struct ctl c;
	const struct json *net, *obs, *grant, *profiles;
	char cfs[4096], want[64], fdv[64];
	struct json *j;
	struct stat st;
	int dev;

	two_teams(&c);
	ctl_ok(&c, "-j", "status");
	j = parsed(&c);
	ck_assert_int_eq(json_int(j, "loaded"), 1);
	ck_assert_int_eq(json_int(j, "files_valid"), 1);
	profiles = json_get(j, "profiles");
	ck_assert_ptr_nonnull(profiles);
	ck_assert_ptr_nonnull(json_find(profiles, "name", "default"));
	net = json_find(profiles, "name", "net");
	obs = json_find(profiles, "name", "obs");
	ck_assert_ptr_nonnull(net);
	ck_assert_ptr_nonnull(obs);

	/* the nodes, as the kernel and udev made them */
	ck_assert_str_eq(json_str(net, "node"), "/dev/bpf-net");
	ck_assert_int_eq(stat("/dev/bpf-net", &st), 0);
	ck_assert_int_eq(json_int(net, "gid"), st.st_gid);
	ck_assert_int_eq(st.st_gid, NET_GID);
	ck_assert_str_eq(json_str(net, "mode"), "0660");
	ck_assert_int_eq(st.st_mode & 07777, 0660);
	ck_assert_int_eq(json_int(obs, "gid"), OBS_GID);
	ck_assert_str_eq(json_str(net, "file"), CONF_DIR "/net.conf");
	ck_assert_int_eq(json_get(net, "drift")->type, JSON_NULL);
	ck_assert_int_eq(json_get(obs, "drift")->type, JSON_NULL);

	/* the grants, as configfs has them */
	grant = json_get(net, "grant");
	ck_assert_ptr_nonnull(grant);
	ck_assert_int_gt(file_read(CFS "/net/grant", cfs, sizeof(cfs)), 0);
	snprintf(want, sizeof(want), "delegate_progs=%s\n",
		 json_str(grant, "delegate_progs"));
	ck_assert_msg(strstr(cfs, want), "configfs has no '%s'", want);
	ck_assert_str_eq(json_str(grant, "delegate_progs"), "xdp:cgroup_skb");
	ck_assert_str_eq(json_str(json_get(obs, "grant"), "delegate_progs"),
			 "kprobe:tracepoint");
	/* and as a file of the node has it */
	dev = open("/dev/bpf-net", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(dev, 0);
	fdinfo_str(dev, "insn_max", fdv, sizeof(fdv));
	ck_assert_int_eq(json_int(grant, "insn_max"), 512);
	ck_assert_int_eq(atoll(fdv), 512);
	close(dev);
	json_free(j);

	/* the grants hold for the teams' members */
	ids_enter(MEMBER_UID, net_groups, 1);
	dev = open("/dev/bpf-net", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(dev, 0);
	ck_assert_int_eq(load(dev, BPF_PROG_TYPE_XDP, BPF_XDP), 0);
	ck_assert_int_eq(load(dev, BPF_PROG_TYPE_KPROBE, 0), EPERM);
	close(dev);
	ck_assert_int_eq(open("/dev/bpf-obs", O_RDWR), -1);
	ck_assert_int_eq(errno, EACCES);
	ids_leave();
	ids_enter(OBS_UID, obs_groups, 1);
	dev = open("/dev/bpf-obs", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(dev, 0);
	ck_assert_int_eq(load(dev, BPF_PROG_TYPE_KPROBE, 0), 0);
	ck_assert_int_eq(load(dev, BPF_PROG_TYPE_XDP, BPF_XDP), EPERM);
	close(dev);
	ids_leave();

	/* a change made outside the files is drift, and status says so */
	ck_assert_int_eq(file_write(CFS "/net/grant", "insn_max=64"), 0);
	ctl_ok(&c, "-j", "status");
	j = parsed(&c);
	net = json_find(json_get(j, "profiles"), "name", "net");
	ck_assert_int_eq(json_get(net, "drift")->type, JSON_STR);
	ck_assert_int_eq(json_get(json_find(json_get(j, "profiles"), "name",
					    "obs"), "drift")->type,
			 JSON_NULL);
	json_free(j);
	teardown_profiles(&c);
}
END_TEST

/* A reload narrows a file already open, at once. */
START_TEST(a_reload_narrows_an_open_file)
{
	static struct ctl c;
	int dev;

	two_teams(&c);
	ids_enter(MEMBER_UID, net_groups, 1);
	dev = open("/dev/bpf-net", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(dev, 0);
	ck_assert_int_eq(load(dev, BPF_PROG_TYPE_XDP, BPF_XDP), 0);
	ids_leave();

	conf_write("net", "group = 2201\nmode = 0660\n"
		   "delegate_progs = cgroup_skb\n");
	ctl_ok(&c, "reload");
	ids_enter(MEMBER_UID, net_groups, 1);
	ck_assert_int_eq(load(dev, BPF_PROG_TYPE_XDP, BPF_XDP), EPERM);
	ck_assert_int_eq(load(dev, BPF_PROG_TYPE_CGROUP_SKB,
			      BPF_CGROUP_INET_EGRESS), 0);
	ids_leave();
	close(dev);
	teardown_profiles(&c);
}
END_TEST

/* A bad file anywhere: nothing applied, and each error says where. */
START_TEST(a_malformed_file_changes_nothing)
{
	static struct ctl c, before, list;
	char grant[4096], after_grant[4096];

	two_teams(&c);
	ctl_ok(&before, "-j", "status");
	ctl_ok(&list, "-j", "profile", "list");
	ck_assert_int_gt(file_read(CFS "/net/grant", grant, sizeof(grant)), 0);

	/* a new profile, an unknown key on line 3 */
	conf_write("bad", "group = 2201\nmode = 0660\nmax_insns = 10\n");
	/* a changed one, an unknown type on line 2, a bad number on 3 */
	conf_write("net", "group = 2201\ndelegate_progs = xdp, no_such_type\n"
		   "insn_max = lots\n");
	ck_assert_int_eq(ctl_as(&c, 0, NULL, 0, CTL_ARGS("reload")), 1);
	ck_assert_msg(strstr(c.err, CONF_DIR "/bad.conf:3: unknown key 'max_insns'"),
		      "%s", c.err);
	ck_assert_msg(strstr(c.err, CONF_DIR "/net.conf:2: delegate_progs:"),
		      "%s", c.err);
	ck_assert_msg(strstr(c.err, CONF_DIR "/net.conf:3: insn_max:"),
		      "%s", c.err);
	ck_assert_msg(strstr(c.err, "nothing was applied"), "%s", c.err);

	/* the running state is as it was */
	ck_assert_int_eq(access(CFS "/bad", F_OK), -1);
	ck_assert_int_gt(file_read(CFS "/net/grant", after_grant,
				   sizeof(after_grant)), 0);
	ck_assert_str_eq(after_grant, grant);
	ctl_ok(&c, "-j", "profile", "list");
	ck_assert_str_eq(c.out, list.out);
	/* the files put back, status is the same, to the byte */
	conf_remove("bad");
	conf_write("net", NET_CONF);
	ctl_ok(&c, "-j", "status");
	ck_assert_str_eq(c.out, before.out);

	/* default.conf is refused: the module parameters configure it */
	conf_write("bad", "insn_max = 10\n");
	ck_assert_int_eq(rename(CONF_DIR "/bad.conf",
				CONF_DIR "/default.conf"), 0);
	ck_assert_int_eq(ctl_as(&c, 0, NULL, 0, CTL_ARGS("reload")), 1);
	ck_assert_msg(strstr(c.err, "default.conf: the default profile"), "%s",
		      c.err);
	ck_assert_int_eq(unlink(CONF_DIR "/default.conf"), 0);
	teardown_profiles(&c);
}
END_TEST

/* Offboarding one user: the others keep working. */
START_TEST(revoke_one_user)
{
	static struct ctl c;
	const struct json *net, *rev;
	struct json *j;
	int a, b;

	two_teams(&c);
	ids_enter(MEMBER_UID, net_groups, 1);
	a = open("/dev/bpf-net", O_RDWR | O_CLOEXEC);
	ids_leave();
	ids_enter(MEMBER2_UID, net_groups, 1);
	b = open("/dev/bpf-net", O_RDWR | O_CLOEXEC);
	ids_leave();
	ck_assert_int_ge(a, 0);
	ck_assert_int_ge(b, 0);

	ctl_ok(&c, "revoke", "net", "--user", "1000");
	ids_enter(MEMBER_UID, net_groups, 1);
	ck_assert_int_eq(load(a, BPF_PROG_TYPE_XDP, BPF_XDP), EPERM);
	ck_assert_int_eq(open("/dev/bpf-net", O_RDWR), -1);
	ck_assert_int_eq(errno, EPERM);
	ids_leave();
	ids_enter(MEMBER2_UID, net_groups, 1);
	ck_assert_int_eq(load(b, BPF_PROG_TYPE_XDP, BPF_XDP), 0);
	ids_leave();

	ctl_ok(&c, "-j", "status");
	j = parsed(&c);
	net = json_find(json_get(j, "profiles"), "name", "net");
	rev = json_get(net, "revoked_users");
	ck_assert_ptr_nonnull(rev);
	ck_assert_int_eq(rev->type, JSON_ARR);
	ck_assert_int_eq(rev->n, 1);
	ck_assert_int_eq(rev->kids[0]->num, 1000);
	json_free(j);
	/* the member is refused that, and cannot revoke anyone */
	ck_assert_int_eq(ctl_as(&c, MEMBER2_UID, net_groups, 1,
				CTL_ARGS("revoke", "net")), 1);

	ctl_ok(&c, "unrevoke", "net", "--user", "1000");
	ids_enter(MEMBER_UID, net_groups, 1);
	close(a);
	a = open("/dev/bpf-net", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(a, 0);
	ck_assert_int_eq(load(a, BPF_PROG_TYPE_XDP, BPF_XDP), 0);
	ids_leave();
	close(a);
	close(b);
	teardown_profiles(&c);
}
END_TEST

/* files: a file another process holds, who made it, who holds it. */
START_TEST(files_shows_a_file_held_by_another_process)
{
	static struct ctl c;
	const struct json *files, *f = NULL, *holders;
	int go[2], ready[2], i;
	struct json *j;
	char x;
	pid_t pid;

	two_teams(&c);
	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_eq(pipe(ready), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		int dev;

		become_ids(MEMBER_UID, net_groups, 1);
		dev = open("/dev/bpf-net", O_RDWR);
		if (dev < 0 || write(ready[1], "x", 1) != 1 ||
		    read(go[0], &x, 1) < 0)
			_exit(1);
		_exit(0);
	}
	ck_assert_int_eq(read(ready[0], &x, 1), 1);
	ctl_ok(&c, "-j", "files", "net");
	j = parsed(&c);
	ck_assert_str_eq(json_str(j, "holders_from"), "/proc/*/fdinfo");
	files = json_get(j, "files");
	ck_assert_ptr_nonnull(files);
	for (i = 0; i < files->n; i++)
		if (json_int(files->kids[i], "pid") == pid)
			f = files->kids[i];
	ck_assert_msg(f, "no file made by pid %d:\n%s", pid, c.out);
	ck_assert_int_eq(json_int(f, "uid"), MEMBER_UID);
	ck_assert_int_eq(json_int(f, "revoked"), 0);
	ck_assert_str_eq(json_str(f, "profile"), "net");
	holders = json_get(f, "holders");
	ck_assert_ptr_nonnull(holders);
	ck_assert_int_eq(holders->n, 1);
	ck_assert_int_eq(json_int(holders->kids[0], "pid"), pid);
	json_free(j);
	ck_assert_int_eq(write(go[1], "x", 1), 1);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	teardown_profiles(&c);
}
END_TEST

/* A member finds out why, after the refused process is gone. */
START_TEST(explain_as_a_member_after_the_process_exited)
{
	static struct ctl c;
	const struct json *r;
	struct json *j;
	int dev, i;

	two_teams(&c);
	ids_enter(MEMBER_UID, net_groups, 1);
	dev = open("/dev/bpf-net", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(dev, 0);
	ck_assert_int_eq(fd_result(dev_map(dev, BPF_MAP_TYPE_ARRAY)), 0);
	ck_assert_int_eq(load(dev, BPF_PROG_TYPE_KPROBE, 0), EPERM);
	close(dev);
	ids_leave();

	ck_assert_int_eq(ctl_as(&c, MEMBER_UID, net_groups, 1,
				CTL_ARGS("-j", "explain", "net")), 0);
	j = parsed(&c);
	ck_assert_int_eq(j->type, JSON_ARR);
	ck_assert_int_ge(j->n, 1);
	r = j->kids[j->n - 1];	/* the newest, last */
	ck_assert_str_eq(json_str(r, "op"), "prog_load");
	ck_assert_str_eq(json_str(r, "reason"), "prog_type");
	ck_assert_str_eq(json_str(r, "prog_type"), "kprobe");
	ck_assert_str_eq(json_str(r, "errno"), "EPERM");
	for (i = 0; i < j->n; i++)
		ck_assert_int_eq(json_int(j->kids[i], "uid"), MEMBER_UID);
	json_free(j);

	/* what it created, which its node's INFO tells it */
	ck_assert_int_eq(ctl_as(&c, MEMBER_UID, net_groups, 1,
				CTL_ARGS("-j", "stats", "net", "--user",
					 "1000")), 0);
	j = parsed(&c);
	ck_assert_int_eq(json_int(json_get(j->kids[0], "user"), "maps"), 1);
	json_free(j);
	/* and root, its requests by outcome */
	ctl_ok(&c, "-j", "stats", "net", "--user", "1000");
	j = parsed(&c);
	ck_assert_int_eq(json_int(json_get(j->kids[0], "user"),
				  "denied_prog_type"), 1);
	ck_assert_int_eq(json_int(json_get(j->kids[0], "user"),
				  "executed_map_create"), 1);
	ck_assert_int_eq(json_int(json_get(j->kids[0], "user"), "maps"), 1);
	json_free(j);
	/* another user's, or the files, are not the member's to read */
	ck_assert_int_eq(ctl_as(&c, MEMBER_UID, net_groups, 1,
				CTL_ARGS("-j", "stats", "net", "--user",
					 "0")), 1);
	ck_assert_int_eq(ctl_as(&c, MEMBER_UID, net_groups, 1,
				CTL_ARGS("files", "net")), 1);
	teardown_profiles(&c);
}
END_TEST

const struct suite_def bpfdevctl_suite = {
	.name = "bpfdevctl",
	.tcases = {
		{ .name = "files", .timeout = 120, .reset_grant = 1, .tests = {
			TEST(two_files_make_two_profiles),
			TEST(a_reload_narrows_an_open_file),
			TEST(a_malformed_file_changes_nothing),
		} },
		{ .name = "admin", .timeout = 120, .reset_grant = 1, .tests = {
			TEST(revoke_one_user),
			TEST(files_shows_a_file_held_by_another_process),
			TEST(explain_as_a_member_after_the_process_exited),
		} },
	},
};
