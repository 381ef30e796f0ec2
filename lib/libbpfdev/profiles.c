// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Which node serves a request when the caller named none (neither
 * $BPFDEV_DEVICE nor $BPFDEV_PROFILE): /dev/bpf if the caller can open it
 * and its grant covers the whole request; else the first profile node,
 * /dev/bpf-NAME in the order of NAME, that the caller can open and whose
 * grant covers it. A request no node covers goes to /dev/bpf, whose
 * refusal says why, or, if the caller cannot open /dev/bpf, to bpf(2) as
 * before. The choice is made from the nodes' grants (BPFDEV_IOC_INFO)
 * before the request is sent, and the request is sent once: a refusal is
 * never retried elsewhere. The ID commands (BPFDEV_CMDS_OWN) answer with
 * the objects the caller made through one profile: they go to /dev/bpf,
 * or to the first node the caller can open.
 *
 * "Covers" is what the grant says of the request's command, program,
 * map and attach types, and its size against insn_max and btf_max: a node
 * may still refuse it for a limit INFO does not show (a map's memory, a
 * count), and then that is the answer.
 *
 * The profile nodes are listed from /dev once per process, and opened as
 * they are needed, each kept if it is a bpfdev node (device.c's check); a
 * node opened stays open, as device.c's does; one that could not be opened
 * is tried again when the caller's identity changes. Programs in
 * secure-execution mode (setuid, setgid, file capabilities) get /dev/bpf
 * only, as they get no $BPFDEV_PROFILE: no ambient choice among nodes.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define NODES_MAX	32

struct node {
	char path[sizeof(BPFDEV_DEFAULT_PATH "-") + BPFDEV_PROFILE_NAME_MAX];
	int fd;			/* -1: not opened (yet, or could not be) */
	int tried;
	char why[48];		/* why it could not be */
	dev_t rdev;
};

static pthread_mutex_t nodes_lock = PTHREAD_MUTEX_INITIALIZER;
/* under nodes_lock */
static struct node nodes[NODES_MAX];
static int nnodes = -1;		/* -1: not listed yet */
static uid_t listed_euid;
static gid_t listed_egid;
/* the nodes' numbers, read by bpfdev_fd_is_node() without the lock */
static dev_t node_rdev[NODES_MAX];

/* What a request asks for, read once through bpfdev_peek_user() */
struct request {
	int cmd;
	__u32 type;		/* program or map type */
	__u32 attach;		/* expected (PROG_LOAD) or link attach type */
	__u32 count;		/* instructions, or BTF bytes */
};

/* No attach type to check: an ordinary program */
#define ATTACH_NONE	((__u32)-1)

/*
 * The attach type the module checks a load against (policy.c's
 * bpfdev_prog_attach_type(), after request.c's fixups), or ATTACH_NONE.
 */
static __u32 load_attach_type(__u32 type, __u32 eat)
{
	switch (type) {
	case BPF_PROG_TYPE_CGROUP_SOCK:
		return eat ?: BPF_CGROUP_INET_SOCK_CREATE;
	case BPF_PROG_TYPE_SK_REUSEPORT:
		return eat ?: BPF_SK_REUSEPORT_SELECT;
	case BPF_PROG_TYPE_CGROUP_SKB:
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
	case BPF_PROG_TYPE_CGROUP_SOCKOPT:
	case BPF_PROG_TYPE_SK_LOOKUP:
	case BPF_PROG_TYPE_TRACING:
	case 32:	/* BPF_PROG_TYPE_NETFILTER, 6.4 */
		return eat;
	case BPF_PROG_TYPE_XDP:
		return eat == BPF_XDP_DEVMAP || eat == BPF_XDP_CPUMAP ?
		       eat : BPF_XDP;
	default:
		return eat ?: ATTACH_NONE;
	}
}

static int field(const union bpf_attr *attr, unsigned int size, size_t off,
		 __u32 *v)
{
	*v = 0;
	if (size < off + sizeof(*v))
		return 0;	/* beyond the caller's size: 0, as for bpf(2) */
	return bpfdev_peek_user(v, (const char *)attr + off, sizeof(*v));
}

static int request_read(int cmd, const union bpf_attr *attr,
			unsigned int size, struct request *rq)
{
	memset(rq, 0, sizeof(*rq));
	rq->cmd = cmd;
	switch (cmd) {
	case BPF_PROG_LOAD:
		return field(attr, size, offsetof(union bpf_attr, prog_type),
			     &rq->type) ||
		       field(attr, size, offsetof(union bpf_attr, insn_cnt),
			     &rq->count) ||
		       field(attr, size,
			     offsetof(union bpf_attr, expected_attach_type),
			     &rq->attach);
	case BPF_MAP_CREATE:
		return field(attr, size, offsetof(union bpf_attr, map_type),
			     &rq->type);
	case BPF_BTF_LOAD:
		return field(attr, size, offsetof(union bpf_attr, btf_size),
			     &rq->count);
	case BPF_LINK_CREATE:
		return field(attr, size,
			     offsetof(union bpf_attr, link_create.attach_type),
			     &rq->attach);
	case BPF_PROG_ATTACH:
	case BPF_PROG_DETACH:
		return field(attr, size, offsetof(union bpf_attr, attach_type),
			     &rq->attach);
	}
	return 0;
}

static int has(__u64 mask, __u32 bit)
{
	return bit < 64 && (mask & (1ULL << bit));
}

/*
 * Does the grant of the file @fd cover @rq? If not, why, in @why. The
 * attach type a program is loaded for is its expected attach type, or for
 * XDP and cgroup_skb with none the kernel's own (bpfdev(4)).
 */
static int covers(int fd, const struct request *rq, char *why, size_t len)
{
	struct bpfdev_info info;
	__u32 attach;

	if (bpfdev_get_info(fd, &info)) {
		snprintf(why, len, "no INFO (%s)", strerror(errno));
		return 0;
	}
	if (info.flags & BPFDEV_INFO_F_REVOKED) {
		snprintf(why, len, "revoked");
		return 0;
	}
	if (!has(info.cmds, (__u32)rq->cmd)) {
		snprintf(why, len, "%s not delegated", bpfdev_cmd_name(rq->cmd));
		return 0;
	}
	if (rq->cmd == BPF_PROG_LOAD) {
		attach = load_attach_type(rq->type, rq->attach);
		if (!has(info.progs, rq->type)) {
			snprintf(why, len, "program type %u not delegated",
				 rq->type);
			return 0;
		}
		if (attach != ATTACH_NONE && !has(info.attachs, attach)) {
			snprintf(why, len, "attach type %u not delegated",
				 attach);
			return 0;
		}
		if (rq->count > info.insn_max) {
			snprintf(why, len, "%u instructions, insn_max %u",
				 rq->count, info.insn_max);
			return 0;
		}
	}
	if (rq->cmd == BPF_MAP_CREATE && !has(info.maps, rq->type)) {
		snprintf(why, len, "map type %u not delegated", rq->type);
		return 0;
	}
	if (rq->cmd == BPF_BTF_LOAD && info.size >= BPFDEV_INFO_SIZE_VER1 &&
	    rq->count > info.btf_max) {
		snprintf(why, len, "%u bytes of BTF, btf_max %u", rq->count,
			 info.btf_max);
		return 0;
	}
	if ((rq->cmd == BPF_LINK_CREATE || rq->cmd == BPF_PROG_ATTACH ||
	     rq->cmd == BPF_PROG_DETACH) && !has(info.attachs, rq->attach)) {
		snprintf(why, len, "attach type %u not delegated", rq->attach);
		return 0;
	}
	return 1;
}

static int cmp_node(const void *a, const void *b)
{
	return strcmp(((const struct node *)a)->path,
		      ((const struct node *)b)->path);
}

/*
 * A new identity: the nodes that could not be opened are tried again. One
 * that is open stays so, as device.c's fd does: closing it here could
 * close it under another thread's request, or a number that is no longer
 * ours.
 */
static void nodes_retry_locked(void)
{
	int i;

	for (i = 0; i < nnodes; i++)
		if (nodes[i].fd < 0)
			nodes[i].tried = 0;
	listed_euid = geteuid();
	listed_egid = getegid();
}

/* /dev/bpf-NAME for each NAME a profile may have, sorted */
static void nodes_list_locked(void)
{
	DIR *d = opendir("/dev");
	struct dirent *e;

	nnodes = 0;
	listed_euid = geteuid();
	listed_egid = getegid();
	if (!d)
		return;
	while ((e = readdir(d)) && nnodes < NODES_MAX) {
		const char *name;
		size_t n;

		if (strncmp(e->d_name, "bpf-", 4))
			continue;
		name = e->d_name + 4;
		n = strlen(name);
		if (!n || n > BPFDEV_PROFILE_NAME_MAX ||
		    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-") != n)
			continue;
		snprintf(nodes[nnodes].path, sizeof(nodes[nnodes].path),
			 "%s", BPFDEV_DEFAULT_PATH "-");
		strcat(nodes[nnodes].path, name);
		nodes[nnodes].fd = -1;
		nodes[nnodes].tried = 0;
		nnodes++;
	}
	closedir(d);
	qsort(nodes, (size_t)nnodes, sizeof(nodes[0]), cmp_node);
}

/* The node's file, opened on first need: -1 if it cannot be */
static int node_fd_locked(int i)
{
	struct node *n = &nodes[i];
	struct stat st;

	if (n->fd >= 0 &&
	    (fstat(n->fd, &st) || !S_ISCHR(st.st_mode) ||
	     st.st_rdev != n->rdev)) {
		/* the number is no longer ours: leave it, open again */
		n->fd = -1;
		n->tried = 0;
	}
	if (n->fd >= 0 || n->tried)
		return n->fd;
	n->tried = 1;
	n->fd = bpfdev_node_open(n->path, &n->rdev);
	if (n->fd >= 0)
		__atomic_store_n(&node_rdev[i], n->rdev, __ATOMIC_RELEASE);
	else
		snprintf(n->why, sizeof(n->why), "cannot open it (%s)",
			 strerror(errno));
	return n->fd;
}

int bpfdev_fd_is_node(int fd)
{
	struct stat st;
	int i, saved = errno, is = 0;

	if (fd >= 0 && !fstat(fd, &st) && S_ISCHR(st.st_mode))
		for (i = 0; i < NODES_MAX && !is; i++)
			is = st.st_rdev &&
			     st.st_rdev == __atomic_load_n(&node_rdev[i],
							   __ATOMIC_ACQUIRE);
	errno = saved;
	return is;
}

/* "; PATH: WHY" after @buf, for BPFDEV_DEBUG */
static void skipped(char *buf, size_t size, const char *path, const char *why)
{
	size_t n = strlen(buf);

	snprintf(buf + n, size - n, "; %s: %s", path, why);
}

/* Was a node named, by the environment? Then it alone serves. */
static int node_named(void)
{
	const char *d = secure_getenv("BPFDEV_DEVICE");
	const char *p = secure_getenv("BPFDEV_PROFILE");

	return (d && *d) || (p && *p);
}

int bpfdev_node_fd(int cmd, const union bpf_attr *attr, unsigned int size,
		   char *path, size_t path_len, char *note, size_t len)
{
	int primary = bpfdev_device_fd(), fd = -1, i;
	char why[96] = "cannot open it", skips[160] = "";
	int own = cmd >= 0 && cmd < 64 && (BPFDEV_CMDS_OWN & (1ULL << cmd));
	struct request rq;

	snprintf(path, path_len, "%s", bpfdev_device_path());
	note[0] = '\0';
	if (node_named() || getauxval(AT_SECURE) ||
	    bpfdev_caller_privileged() ||
	    request_read(cmd, attr, size, &rq))
		return primary;
	if (primary >= 0 && (own || covers(primary, &rq, why, sizeof(why))))
		return primary;

	pthread_mutex_lock(&nodes_lock);
	if (nnodes < 0)
		nodes_list_locked();
	else if (listed_euid != geteuid() || listed_egid != getegid())
		nodes_retry_locked();
	for (i = 0; i < nnodes && fd < 0; i++) {
		char skip[96];
		int nfd = node_fd_locked(i);

		if (nfd < 0) {
			skipped(skips, sizeof(skips), nodes[i].path,
				nodes[i].why);
		} else if (own || covers(nfd, &rq, skip, sizeof(skip))) {
			fd = nfd;
			snprintf(path, path_len, "%s", nodes[i].path);
		} else {
			skipped(skips, sizeof(skips), nodes[i].path, skip);
		}
	}
	pthread_mutex_unlock(&nodes_lock);
	if (fd >= 0) {
		snprintf(note, len, " (%s: %s%s)", bpfdev_device_path(), why,
			 skips);
		return fd;
	}
	/* /dev/bpf says why; without it, bpf(2) as before */
	if (skips[0])
		snprintf(note, len, " (no node covers it; %s: %s%s)",
			 bpfdev_device_path(), why, skips);
	return primary;
}

/* fork() while another thread holds nodes_lock: as device.c does */
static void nodes_lock_prepare(void)
{
	pthread_mutex_lock(&nodes_lock);
}

static void nodes_lock_parent(void)
{
	pthread_mutex_unlock(&nodes_lock);
}

static void nodes_lock_child(void)
{
	pthread_mutex_init(&nodes_lock, NULL);
}

__attribute__((constructor)) static void nodes_init(void)
{
	pthread_atfork(nodes_lock_prepare, nodes_lock_parent,
		       nodes_lock_child);
}
