// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "testlib.h"

#include <dirent.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <poll.h>
#include <stddef.h>
#include <libgen.h>
#include <limits.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/btf.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "man_examples.h"

int bpf_gid(void)
{
	struct group *gr = getgrnam("bpf");

	ck_assert_msg(gr, "group bpf missing");
	return (int)gr->gr_gid;
}

static void become(uid_t uid, gid_t gid, const gid_t *groups, size_t n)
{
	ck_assert_int_eq(setgroups(n, groups), 0);
	ck_assert_int_eq(setresgid(gid, gid, gid), 0);
	ck_assert_int_eq(setresuid(uid, uid, uid), 0);
	ck_assert_int_eq(geteuid(), uid);
}

void become_member(void)
{
	gid_t groups[] = { MEMBER_UID, (gid_t)bpf_gid() };

	become(MEMBER_UID, MEMBER_UID, groups, ARRAY_LEN(groups));
}

void become_outsider(void)
{
	gid_t groups[] = { OUTSIDER_UID };

	become(OUTSIDER_UID, OUTSIDER_UID, groups, ARRAY_LEN(groups));
}

int sys_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	return (int)syscall(__NR_bpf, cmd, attr, size);
}

int dev_bpf(int devfd, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct bpfdev_sys_bpf req = {
		.size = sizeof(req),
		.cmd = (__u32)cmd,
		.attr_size = size,
		.attr = ptr_to_u64(attr),
	};

	return ioctl(devfd, BPFDEV_IOC_SYS_BPF, &req);
}

int dev_open(int flags)
{
	return open(DEV_PATH, flags | O_CLOEXEC);
}

int dev_info(int devfd, struct bpfdev_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return ioctl(devfd, BPFDEV_IOC_INFO, info);
}

int dev_narrow(int dev, __u64 progs, __u64 maps, __u32 progs_max,
	       __u32 maps_max)
{
	struct bpfdev_narrow n = {
		.size = sizeof(n),
		.flags = BPFDEV_NARROW_F_CLOEXEC,
		.cmds = ~0ULL, .progs = progs, .maps = maps, .attachs = ~0ULL,
		.progs_max = progs_max, .maps_max = maps_max,
	};

	return ioctl(dev, BPFDEV_IOC_NARROW, &n);
}

void attr_prog(union bpf_attr *a, __u32 type, const struct bpf_insn *insns,
	       __u32 cnt)
{
	static const char license[] = "GPL";

	memset(a, 0, sizeof(*a));
	a->prog_type = type;
	a->insns = ptr_to_u64(insns);
	a->insn_cnt = cnt;
	a->license = ptr_to_u64(license);
}

void attr_map(union bpf_attr *a, __u32 type, __u32 key, __u32 value,
	      __u32 entries)
{
	memset(a, 0, sizeof(*a));
	a->map_type = type;
	a->key_size = key;
	a->value_size = value;
	a->max_entries = entries;
}

static void capped_identity(__u64 caps)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { { 0 } };
	gid_t groups[] = { MEMBER_UID, (gid_t)bpf_gid() };

	if (prctl(PR_SET_KEEPCAPS, 1) || setgroups(2, groups) ||
	    setresgid(MEMBER_UID, MEMBER_UID, MEMBER_UID) ||
	    setresuid(MEMBER_UID, MEMBER_UID, MEMBER_UID))
		_exit(100);
	data[0].effective = data[0].permitted = (__u32)caps;
	data[1].effective = data[1].permitted = (__u32)(caps >> 32);
	if (syscall(SYS_capset, &hdr, data))
		_exit(101);
}

int run_capped(__u64 caps, int (*fn)(void *), void *arg)
{
	int pfd[2], ret = -9999, status;
	pid_t pid;

	ck_assert_int_eq(geteuid(), 0);
	ck_assert_int_eq(pipe(pfd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(pfd[0]);
		capped_identity(caps);
		ret = fn(arg);
		if (write(pfd[1], &ret, sizeof(ret)) != sizeof(ret))
			_exit(102);
		_exit(0);
	}
	close(pfd[1]);
	ck_assert_int_eq(read(pfd[0], &ret, sizeof(ret)), (int)sizeof(ret));
	close(pfd[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "capped child failed: status %d", status);
	return ret;
}

/*
 * The root helper: a process forked before the tests, which stay root while
 * the tests drop their privileges. It counts objects and writes module
 * parameters on a test's behalf.
 */
struct helper_req {
	char op;		/* 'c' count, 'w' write param, 'r' reset params */
	char name[32];
	char value[256];
};

static int helper_sock = -1;

static const char *const param_names[] = {
	"delegate_cmds", "delegate_progs", "delegate_maps", "delegate_attachs",
	"insn_max", "btf_max", "map_mem_max", "progs_max", "maps_max",
	"loads_max", "user_progs_max", "user_maps_max", "allow_seccomp",
	"delegate_insns", "user_jit_max", "user_btf_max", "audit_rate",
	"audit_denials_only",
};

static char param_defaults[ARRAY_LEN(param_names)][1024];

static void objs_count_one(int cmd, __u32 *count, __u32 *max)
{
	union bpf_attr a;
	__u32 id = 0;

	*count = 0;
	*max = 0;
	for (;;) {
		memset(&a, 0, sizeof(a));
		a.start_id = id;
		if (sys_bpf(cmd, &a, attr_end(next_id)))
			break;
		id = a.next_id;
		(*count)++;
		*max = id;
	}
}

static void objs_count(struct objs *o)
{
	objs_count_one(BPF_PROG_GET_NEXT_ID, &o->progs, &o->max_prog);
	objs_count_one(BPF_MAP_GET_NEXT_ID, &o->maps, &o->max_map);
	objs_count_one(BPF_BTF_GET_NEXT_ID, &o->btfs, &o->max_btf);
	objs_count_one(BPF_LINK_GET_NEXT_ID, &o->links, &o->max_link);
}

/*
 * Every profile a test left (profile_test.c): each pins the module, and
 * the next test expects none.
 */
static int helper_remove_profiles(void)
{
	DIR *d = opendir("/sys/kernel/config/bpfdev");
	struct dirent *e;
	char path[300];
	int err = 0;

	if (!d)
		return 0;	/* a module without profiles */
	while ((e = readdir(d))) {
		/* default/ is /dev/bpf's, part of the module */
		if (e->d_type != DT_DIR || e->d_name[0] == '.' ||
		    !strcmp(e->d_name, "default"))
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/config/bpfdev/%s",
			 e->d_name);
		if (rmdir(path))
			err = -errno;
	}
	closedir(d);
	return err;
}

/* The users a test revoked in /dev/bpf's profile, which lives on */
static int helper_unrevoke_default_users(void)
{
	char buf[4096], *line, *save = NULL;
	int len, err = 0;

	len = file_read("/sys/kernel/config/bpfdev/default/revoked_users", buf,
			sizeof(buf));
	if (len < 0)
		return len == -ENOENT ? 0 : len;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		int ret = file_write("/sys/kernel/config/bpfdev/default/unrevoke_user",
				     line);

		if (ret)
			err = ret;
	}
	return err;
}

static int helper_reset_params(void)
{
	size_t i;
	int err = helper_remove_profiles() ?: helper_unrevoke_default_users();

	for (i = 0; i < ARRAY_LEN(param_names); i++) {
		int ret;

		if (!param_defaults[i][0])
			continue;	/* a module without it */
		ret = param_write(param_names[i], param_defaults[i]);
		if (ret)
			err = ret;
	}
	return err;
}

static void helper_loop(int sock)
{
	struct helper_req req;
	struct objs o;
	int ret;

	while (read(sock, &req, sizeof(req)) == sizeof(req)) {
		switch (req.op) {
		case 'c':
			objs_count(&o);
			if (write(sock, &o, sizeof(o)) != sizeof(o))
				return;
			continue;
		case 'w':
			req.name[sizeof(req.name) - 1] = '\0';
			req.value[sizeof(req.value) - 1] = '\0';
			ret = param_write(req.name, req.value);
			break;
		case 'r':
			ret = helper_reset_params();
			break;
		default:
			ret = -EINVAL;
		}
		if (write(sock, &ret, sizeof(ret)) != sizeof(ret))
			return;
	}
}

void root_helper_start(void)
{
	size_t i;
	int sv[2];
	pid_t pid;

	/*
	 * A parameter the module does not have stays empty and is not reset:
	 * the suite then also runs against an older module, whose failures
	 * show what a fix fixed.
	 */
	for (i = 0; i < ARRAY_LEN(param_names); i++)
		if (param_read(param_names[i], param_defaults[i],
			       sizeof(param_defaults[i])))
			param_defaults[i][0] = '\0';
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		abort();
	pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		close(sv[0]);
		helper_loop(sv[1]);
		_exit(0);
	}
	close(sv[1]);
	helper_sock = sv[0];
}

static int helper_call(const struct helper_req *req)
{
	int ret;

	ck_assert_int_ge(helper_sock, 0);
	ck_assert_int_eq(write(helper_sock, req, sizeof(*req)),
			 (int)sizeof(*req));
	ck_assert_int_eq(read(helper_sock, &ret, sizeof(ret)),
			 (int)sizeof(ret));
	return ret;
}

int root_param_write(const char *name, const char *value)
{
	struct helper_req req = { .op = 'w' };

	snprintf(req.name, sizeof(req.name), "%s", name);
	snprintf(req.value, sizeof(req.value), "%s", value);
	return helper_call(&req);
}

void root_params_reset(void)
{
	struct helper_req req = { .op = 'r' };

	ck_assert_int_eq(helper_call(&req), 0);
}

void objs_snapshot(struct objs *o)
{
	struct helper_req req = { .op = 'c' };

	ck_assert_int_ge(helper_sock, 0);
	ck_assert_int_eq(write(helper_sock, &req, sizeof(req)),
			 (int)sizeof(req));
	ck_assert_int_eq(read(helper_sock, o, sizeof(*o)), (int)sizeof(*o));
}

int objs_created_since(const struct objs *b)
{
	struct objs a;

	objs_snapshot(&a);
	return (a.max_prog > b->max_prog) + (a.max_map > b->max_map) +
	       (a.max_btf > b->max_btf) + (a.max_link > b->max_link);
}

int scaled(int n)
{
	const char *env = getenv("BPFDEV_TEST_SCALE_DOWN");
	int div = env ? atoi(env) : 1;

	if (div <= 1)
		return n;
	return n / div > 0 ? n / div : 1;
}

int fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;	/* the directory's own fd */
}

static int param_path(const char *name, char *path, size_t len)
{
	return snprintf(path, len, "/sys/module/bpfdev/parameters/%s", name);
}

int file_write_n(const char *path, const char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	close(fd);
	return n < 0 ? -errno : 0;
}

int file_write(const char *path, const char *value)
{
	return file_write_n(path, value, strlen(value));
}

int file_read(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return (int)n;
}

int param_write(const char *name, const char *value)
{
	char path[256];

	param_path(name, path, sizeof(path));
	return file_write(path, value);
}

int param_read(const char *name, char *buf, size_t len)
{
	char path[256];
	int n;

	param_path(name, path, sizeof(path));
	n = file_read(path, buf, len);
	if (n < 0)
		return n;
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

int fd_result(int fd)
{
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return -errno;
}

int dev_load_sf(int dev)
{
	static const struct bpf_insn ret0[] = { INSN_MOV64_IMM(0, 0),
						INSN_EXIT() };
	union bpf_attr a;

	attr_prog(&a, BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	return dev_bpf(dev, BPF_PROG_LOAD, &a, sizeof(a));
}

int dev_map(int dev, __u32 type)
{
	union bpf_attr a;

	attr_map(&a, type, 4, 8, 4);
	return dev_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a));
}

void become_ids(uid_t uid, const gid_t *groups, int n)
{
	if (setgroups((size_t)n, groups) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid))
		_exit(91);
}

void ids_enter(uid_t uid, const gid_t *groups, int n)
{
	ck_assert(setgroups((size_t)n, groups) == 0);
	ck_assert(setresgid(uid, uid, 0) == 0);
	ck_assert(setresuid(uid, uid, 0) == 0);
}

void ids_leave(void)
{
	ck_assert(setresuid(0, 0, 0) == 0);
	ck_assert(setresgid(0, 0, 0) == 0);
	ck_assert(setgroups(0, NULL) == 0);
}

static void reset_grant(void)
{
	root_params_reset();
}

/* Append attribute @type (@len bytes of @data) to the message at @nh */
static struct rtattr *nl_attr(struct nlmsghdr *nh, size_t room,
			      unsigned short type, const void *data, size_t len)
{
	struct rtattr *rta = (void *)((char *)nh + NLMSG_ALIGN(nh->nlmsg_len));

	ck_assert_uint_le(NLMSG_ALIGN(nh->nlmsg_len) + RTA_SPACE(len), room);
	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_SPACE(len);
	return rta;
}

/* Close a nest begun by nl_attr(..., NULL, 0) */
static void nl_nest_end(struct nlmsghdr *nh, struct rtattr *nest)
{
	nest->rta_len = (unsigned short)((char *)nh + nh->nlmsg_len -
					 (char *)nest);
}

/* ip link add @name type veth peer name @peer netns @pid: 0 or -errno */
static int veth_add(const char *name, const char *peer, pid_t pid)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
		char attrs[512];
	} req;
	struct {
		struct nlmsghdr nh;
		struct nlmsgerr err;
	} ack;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct rtattr *info, *data, *peer_info;
	struct ifinfomsg peer_ifi = { .ifi_family = AF_UNSPEC };
	__u32 ns_pid = (__u32)pid;
	int nl, ret;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifi));
	req.nh.nlmsg_type = RTM_NEWLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
			     NLM_F_EXCL;
	req.ifi.ifi_family = AF_UNSPEC;
	nl_attr(&req.nh, sizeof(req), IFLA_IFNAME, name, strlen(name) + 1);
	info = nl_attr(&req.nh, sizeof(req), IFLA_LINKINFO, NULL, 0);
	nl_attr(&req.nh, sizeof(req), IFLA_INFO_KIND, "veth", 5);
	data = nl_attr(&req.nh, sizeof(req), IFLA_INFO_DATA, NULL, 0);
	peer_info = nl_attr(&req.nh, sizeof(req), VETH_INFO_PEER, &peer_ifi,
			    sizeof(peer_ifi));
	nl_attr(&req.nh, sizeof(req), IFLA_IFNAME, peer, strlen(peer) + 1);
	nl_attr(&req.nh, sizeof(req), IFLA_NET_NS_PID, &ns_pid,
		sizeof(ns_pid));
	nl_nest_end(&req.nh, peer_info);
	nl_nest_end(&req.nh, data);
	nl_nest_end(&req.nh, info);

	nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	ck_assert_int_ge(nl, 0);
	ret = (int)sendto(nl, &req, req.nh.nlmsg_len, 0, (void *)&kernel,
			  sizeof(kernel));
	if (ret == (int)req.nh.nlmsg_len)
		ret = (int)recv(nl, &ack, sizeof(ack), 0);
	if (ret < 0)
		ret = -errno;
	else if (ret < (int)sizeof(ack) || ack.nh.nlmsg_type != NLMSG_ERROR)
		ret = -EPROTO;
	else
		ret = ack.err.error;
	close(nl);
	return ret;
}

/* ip addr add @addr/24 dev @ifname; ip link set @ifname up: 0 or -errno */
static int if_up(const char *ifname, const char *addr)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	int s, ret = 0;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	sin->sin_family = AF_INET;
	if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1 ||
	    ioctl(s, SIOCSIFADDR, &ifr))
		ret = -errno ?: -EINVAL;
	inet_pton(AF_INET, "255.255.255.0", &sin->sin_addr);
	if (!ret && ioctl(s, SIOCSIFNETMASK, &ifr))
		ret = -errno;
	if (!ret && ioctl(s, SIOCGIFFLAGS, &ifr))
		ret = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!ret && ioctl(s, SIOCSIFFLAGS, &ifr))
		ret = -errno;
	close(s);
	return ret;
}

/* The peer's side: its own netns, VETH_PEER up, a UDP echo server */
static void veth_peer(int to_parent, int from_parent)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len;
	char buf[64], c = 'u';
	ssize_t n;
	int s;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (unshare(CLONE_NEWNET) || write(to_parent, &c, 1) != 1 ||
	    read(from_parent, &c, 1) != 1 || if_up(VETH_PEER, VETH_PEER_ADDR))
		_exit(2);
	sin.sin_port = htons(VETH_ECHO_PORT);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || bind(s, (void *)&sin, sizeof(sin)))
		_exit(2);
	c = 'r';
	if (write(to_parent, &c, 1) != 1)
		_exit(2);
	for (;;) {
		len = sizeof(sin);
		n = recvfrom(s, buf, sizeof(buf), 0, (void *)&sin, &len);
		if (n < 0 || sendto(s, buf, (size_t)n, 0, (void *)&sin, len) != n)
			_exit(2);
	}
}

pid_t veth_start(void)
{
	int down[2], up[2];
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe(down), 0);
	ck_assert_int_eq(pipe(up), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(up[0]);
		close(down[1]);
		veth_peer(up[1], down[0]);
	}
	close(up[1]);
	close(down[0]);
	ck_assert_int_eq(read(up[0], &c, 1), 1);
	ck_assert_int_eq(veth_add(VETH, VETH_PEER, pid), 0);
	ck_assert_int_eq(if_up(VETH, VETH_ADDR), 0);
	ck_assert_int_eq(write(down[1], &c, 1), 1);
	ck_assert_msg(read(up[0], &c, 1) == 1 && c == 'r',
		      "the veth peer failed");
	close(up[0]);
	close(down[1]);
	return pid;
}

void veth_stop(pid_t pid)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int status, i;

	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFSIGNALED(status), "the veth peer failed: %d", status);
	/* the pair goes with the peer's netns, in the kernel's own time */
	for (i = 0; i < 500 && if_nametoindex(VETH); i++)
		nanosleep(&ts, NULL);
	ck_assert_msg(!if_nametoindex(VETH), VETH " still there after 10 s");
}

size_t man_examples_count(void)
{
	return ARRAY_LEN(man_examples);
}

const char *const *man_example_opts(size_t i)
{
	return i < ARRAY_LEN(man_examples) ? man_examples[i] : NULL;
}

int example_delegates(const char *const *opts, const char *type)
{
	char types[256], *t, *save = NULL;

	for (; *opts; opts++) {
		if (strncmp(*opts, "delegate_progs=", 15))
			continue;
		snprintf(types, sizeof(types), ":%s:", *opts + 15);
		for (t = strtok_r(types, ":", &save); t;
		     t = strtok_r(NULL, ":", &save))
			if (!strcmp(t, type))
				return 1;
	}
	return 0;
}

const char *const *man_example(const char *type)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(man_examples); i++)
		if (example_delegates(man_examples[i], type))
			return man_examples[i];
	return NULL;
}

int apply_options(const char *const *opts)
{
	char name[32];
	const char *eq;
	int ret;

	root_params_reset();
	for (; *opts; opts++) {
		eq = strchr(*opts, '=');
		if (!eq || eq - *opts >= (ptrdiff_t)sizeof(name))
			return -EINVAL;
		snprintf(name, sizeof(name), "%.*s", (int)(eq - *opts), *opts);
		ret = root_param_write(name, eq + 1);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Before each test too: a test that failed did not get to its teardown,
 * and what it left (a parameter, a profile) must not fail the next one.
 */
void tcase_reset_grant(TCase *tc)
{
	tcase_add_checked_fixture(tc, reset_grant, reset_grant);
}

/* Usable outside a test too (suite construction): no assertions. */
int kernel_is_612(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		abort();
	return major > 6 || (major == 6 && minor >= 12);
}

const char *prog_path(const char *name)
{
	static char path[PATH_MAX + 64];
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	ck_assert_int_gt(n, 0);
	self[n] = '\0';
	snprintf(path, sizeof(path), "%s/%s", dirname(self), name);
	return path;
}

static void child_identity(enum who who)
{
	gid_t member[] = { MEMBER_UID, (gid_t)bpf_gid() };
	gid_t outsider[] = { OUTSIDER_UID };

	if (who == MEMBER &&
	    (setgroups(2, member) ||
	     setresgid(MEMBER_UID, MEMBER_UID, MEMBER_UID) ||
	     setresuid(MEMBER_UID, MEMBER_UID, MEMBER_UID)))
		_exit(120);
	if (who == OUTSIDER &&
	    (setgroups(1, outsider) ||
	     setresgid(OUTSIDER_UID, OUTSIDER_UID, OUTSIDER_UID) ||
	     setresuid(OUTSIDER_UID, OUTSIDER_UID, OUTSIDER_UID)))
		_exit(121);
}

/* Run argv as @who with a clean environment plus @env, output captured. */
void run_as(enum who who, const char *const env[], const char *const argv[],
	    struct run *r)
{
	const char *envp[16] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
				 "HOME=/tmp" };
	int pfd[2], n = 2, i;
	size_t len = 0;
	ssize_t got;
	pid_t pid;

	for (i = 0; env && env[i] && n < 15; i++)
		envp[n++] = env[i];
	envp[n] = NULL;
	ck_assert_int_eq(pipe(pfd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(pfd[0]);
		dup2(pfd[1], STDOUT_FILENO);
		dup2(pfd[1], STDERR_FILENO);
		child_identity(who);
		execve(argv[0], (char *const *)argv, (char *const *)envp);
		_exit(122);
	}
	close(pfd[1]);
	while ((got = read(pfd[0], r->out + len, sizeof(r->out) - 1 - len)) > 0)
		len += (size_t)got;
	ck_assert_msg(len < sizeof(r->out) - 1, "output too long");
	r->out[len] = '\0';
	close(pfd[0]);
	ck_assert_int_eq(waitpid(pid, &r->status, 0), pid);
}

int exited(const struct run *r, int code)
{
	return WIFEXITED(r->status) && WEXITSTATUS(r->status) == code;
}

/* The end of the output, short enough for a Check message. */
const char *run_tail(const struct run *r)
{
	size_t len = strlen(r->out);

	return len > 1500 ? r->out + len - 1500 : r->out;
}

/* Live objects return to @b's counts once the process's fds are gone. */
int objs_settle_to(const struct objs *b)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	struct objs a;
	int i;

	for (i = 0; i < 100; i++) {
		objs_snapshot(&a);
		if (a.progs <= b->progs && a.maps <= b->maps &&
		    a.btfs <= b->btfs && a.links <= b->links)
			return 1;
		nanosleep(&ts, NULL);
	}
	return 0;
}


int member_dev(void)
{
	int dev;

	become_member();
	dev = dev_open(O_RDWR);
	ck_assert_int_ge(dev, 0);
	return dev;
}

int datagram_arrives(int rx, int tx, const struct sockaddr_in *to)
{
	struct pollfd p = { .fd = rx, .events = POLLIN };
	char buf[16];

	ck_assert_int_eq(sendto(tx, "ping", 4, 0, (const void *)to,
				sizeof(*to)), 4);
	if (poll(&p, 1, 300) != 1)
		return 0;
	ck_assert_int_eq(recv(rx, buf, sizeof(buf), 0), 4);
	return 1;
}

void delegated_cgroup(char *path, size_t len, const char *name)
{
	char file[PATH_MAX];

	snprintf(path, len, "/sys/fs/cgroup/%s-%d", name, getpid());
	ck_assert_msg(mkdir(path, 0755) == 0, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(chown(path, MEMBER_UID, MEMBER_UID), 0);
	snprintf(file, sizeof(file), "%s/cgroup.procs", path);
	ck_assert_int_eq(chown(file, MEMBER_UID, MEMBER_UID), 0);
}

void cgroup_enter(const char *cg)
{
	char procs[PATH_MAX], pid[16];
	int fd;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
	fd = open(procs, O_WRONLY);
	ck_assert_msg(fd >= 0, "%s: %s", procs, strerror(errno));
	snprintf(pid, sizeof(pid), "%d", getpid());
	ck_assert_int_eq(write(fd, pid, strlen(pid)), (int)strlen(pid));
	close(fd);
}

long file_value(const char *path, const char *key)
{
	static char buf[16384];
	const char *p;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	p = *key ? strstr(buf, key) : buf;
	ck_assert_msg(p, "%s: no %s", path, key);
	return atol(p + strlen(key));
}

long stats_counter(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/class/misc/bpf/stats/%s", name);
	return file_value(path, "");
}

void seccomp_filter(int deny_bpf)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_bpf, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, deny_bpf ?
			 SECCOMP_RET_ERRNO | EPERM : SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = f };

	ck_assert_int_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	ck_assert_int_eq(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
				 &prog), 0);
}

/* A BTF blob of @types 4-byte ints, all named "int". */
void *btf_blob(__u32 types, __u32 *size)
{
	struct btf_header *h;
	__u32 tlen = types * (sizeof(struct btf_type) + sizeof(__u32)), i;
	char *p;

	*size = sizeof(*h) + tlen + 5;
	h = calloc(1, *size);
	ck_assert_ptr_nonnull(h);
	h->magic = BTF_MAGIC;
	h->version = BTF_VERSION;
	h->hdr_len = sizeof(*h);
	h->type_len = tlen;
	h->str_off = tlen;
	h->str_len = 5;
	p = (char *)(h + 1);
	for (i = 0; i < types; i++) {
		struct btf_type t = {
			.name_off = 1, .info = BTF_KIND_INT << 24, .size = 4,
		};
		__u32 enc = (BTF_INT_SIGNED << 24) | 32;

		memcpy(p, &t, sizeof(t));
		memcpy(p + sizeof(t), &enc, sizeof(enc));
		p += sizeof(t) + sizeof(enc);
	}
	memcpy(p, "\0int", 5);
	return h;
}

int dev_load_btf(int dev, const void *blob, __u32 size)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.btf = ptr_to_u64(blob);
	a.btf_size = size;
	return dev_bpf(dev, BPF_BTF_LOAD, &a, sizeof(a));
}
