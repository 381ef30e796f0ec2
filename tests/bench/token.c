// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF token (Linux 6.9 and later), the upstream alternative to bpfdev,
 * set up the way tools/testing/selftests/bpf/prog_tests/token.c does it:
 *
 *   worker (the member, uid 1000)        coordinator (root, init namespaces)
 *   unshare(CLONE_NEWUSER)        --->   writes uid_map/gid_map "0 1000 1":
 *                                 <---   the member is root in its userns
 *   unshare(CLONE_NEWNS), fsopen("bpf")
 *   the fs context fd (SCM_RIGHTS) --->  fsconfig delegate_cmds/maps/progs/
 *                                        attachs (needs CAP_SYS_ADMIN in
 *                                        the init userns), FSCONFIG_CMD_CREATE,
 *                                 <---   fsmount(): the detached mount's fd
 *   BPF_TOKEN_CREATE on that bpffs' root, then drops every capability in its
 *   userns but CAP_BPF (which the token's checks are made against: the same
 *   verifier mode as the cap worker), and passes the token with
 *   BPF_F_TOKEN_FD to prog load, map create and BTF load.
 *
 * The delegation is as narrow as the benchmark: those three commands, array
 * maps and socket filters (whose expected_attach_type 0 needs attach bit 0).
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/mount.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

/* The 6.12 layout (bench.h) against the 6.1 one it extends. */
static_assert(sizeof(union bpf_attr) == 144, "6.1 union bpf_attr");
static_assert(sizeof(union bpf_attr612) == BENCH_BPF_ATTR_SIZE_612,
	      "6.12 union bpf_attr");
/* map_create: map_extra (u64), value_type_btf_obj_fd (u32), map_token_fd */
static_assert(offsetof(union bpf_attr, map_extra) + 8 + 4 ==
	      offsetof(union bpf_attr612, map.map_token_fd), "map_token_fd");
static_assert(offsetof(union bpf_attr612, map.map_token_fd) == 76,
	      "map_token_fd");
/* prog_load: core_relo_rec_size, log_true_size, prog_token_fd */
static_assert(offsetof(union bpf_attr, core_relo_rec_size) + 4 + 4 ==
	      offsetof(union bpf_attr612, prog.prog_token_fd), "prog_token_fd");
static_assert(offsetof(union bpf_attr612, prog.prog_token_fd) == 144,
	      "prog_token_fd");
/* btf_load: btf_log_level, btf_log_true_size, btf_flags, btf_token_fd */
static_assert(offsetof(union bpf_attr, btf_log_level) + 4 + 4 ==
	      offsetof(union bpf_attr612, btf.btf_flags), "btf_flags");
static_assert(offsetof(union bpf_attr612, btf.btf_flags) == 32, "btf_flags");
static_assert(offsetof(union bpf_attr612, btf.btf_token_fd) == 36,
	      "btf_token_fd");
/* token_create: flags, bpffs_fd */
static_assert(offsetof(union bpf_attr612, token_create.bpffs_fd) == 4,
	      "bpffs_fd");
static_assert(BPF_MAP_CREATE == 0 && BPF_PROG_LOAD == 5 && BPF_BTF_LOAD == 18,
	      "command numbers in the delegate_cmds mask");

/* what the bpffs instance delegates (see the top) */
#define DELEGATE_CMDS	((1ULL << BPF_MAP_CREATE) | (1ULL << BPF_PROG_LOAD) | \
			 (1ULL << BPF_BTF_LOAD))
#define DELEGATE_MAPS	((1ULL << BPF_MAP_TYPE_ARRAY) | (1ULL << BPF_MAP_TYPE_HASH))
#define DELEGATE_PROGS	(1ULL << BPF_PROG_TYPE_SOCKET_FILTER)
#define DELEGATE_ATTACHS 1ULL

#define MEMBER_ID 1000

/*
 * Whether the kernel has BPF_TOKEN_CREATE (6.9+): with no file behind
 * bpffs_fd a kernel that knows the command says EBADF, one that does not
 * EINVAL. Called as root.
 */
int token_supported(void)
{
	union bpf_attr612 u;

	memset(&u, 0, sizeof(u));
	u.token_create.bpffs_fd = (__u32)-1;
	return syscall(__NR_bpf, BENCH_BPF_TOKEN_CREATE, &u,
		       sizeof(u.token_create)) < 0 && errno == EBADF;
}

static int send_msg(int sock, char c, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec io = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &io, .msg_iovlen = 1 };

	if (fd >= 0) {
		struct cmsghdr *cmsg;

		memset(&u, 0, sizeof(u));
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof(u.buf);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	}
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

/* One byte, and the fd passed with it in *fd if fd is not NULL. */
static int recv_msg(int sock, char *c, int *fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec io = { .iov_base = c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &io, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cmsg;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!fd)
		return 0;
	if (!cmsg || cmsg->cmsg_level != SOL_SOCKET ||
	    cmsg->cmsg_type != SCM_RIGHTS ||
	    cmsg->cmsg_len != CMSG_LEN(sizeof(int)))
		return -1;
	memcpy(fd, CMSG_DATA(cmsg), sizeof(int));
	return 0;
}

/* effective and permitted: @caps, bit n for capability n; nothing else */
static int set_caps(unsigned long long caps)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = {
		{ .effective = (__u32)caps, .permitted = (__u32)caps },
		{ .effective = (__u32)(caps >> 32),
		  .permitted = (__u32)(caps >> 32) },
	};

	return (int)syscall(SYS_capset, &hdr, data);
}

static int fail(const char *what)
{
	fprintf(stderr, "bench: token worker: %s: %s\n", what, strerror(errno));
	return -1;
}

/*
 * In the worker, already the member: the token, or -1 (and a line on
 * stderr). @sock leads to token_broker() in the coordinator; the last byte
 * sent on it says whether the token exists.
 */
int token_child(int sock)
{
	union bpf_attr612 u;
	int fs, mnt = -1, bpffs, token;
	char c;

	/* unprivileged in the init namespace, as a member is */
	if (set_caps(0))
		return fail("capset");
	if (unshare(CLONE_NEWUSER))
		return fail("unshare(CLONE_NEWUSER)");
	if (send_msg(sock, 'u', -1) || recv_msg(sock, &c, NULL))
		return fail("uid/gid maps");
	if (setresgid(0, 0, 0) || setresuid(0, 0, 0))
		return fail("root in the user namespace");
	if (unshare(CLONE_NEWNS))
		return fail("unshare(CLONE_NEWNS)");
	/* nothing we do here is to reach the init mount namespace */
	syscall(__NR_mount, "none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
	fs = (int)syscall(__NR_fsopen, "bpf", FSOPEN_CLOEXEC);
	if (fs < 0)
		return fail("fsopen(bpf)");
	if (send_msg(sock, 'f', fs)) {
		close(fs);
		return fail("sending the fs context");
	}
	close(fs);
	if (recv_msg(sock, &c, &mnt) || mnt < 0)
		return fail("no bpffs mount from the coordinator");
	/* the mount fd is O_PATH, which bpf(2)'s fdget() does not take */
	bpffs = openat(mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(mnt);
	if (bpffs < 0)
		return fail("opening the bpffs root");
	memset(&u, 0, sizeof(u));
	u.token_create.bpffs_fd = (__u32)bpffs;
	token = (int)syscall(__NR_bpf, BENCH_BPF_TOKEN_CREATE, &u,
			     sizeof(u.token_create));
	close(bpffs);
	if (token < 0)
		return fail("BPF_TOKEN_CREATE");
	/* only CAP_BPF in the user namespace, like the cap worker outside */
	if (set_caps(1ULL << CAP_BPF)) {
		close(token);
		return fail("capset(CAP_BPF)");
	}
	if (send_msg(sock, 't', -1)) {
		close(token);
		return fail("reporting the token");
	}
	return token;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int broker_fail(const char *what)
{
	fprintf(stderr, "bench: token set-up: %s: %s\n", what, strerror(errno));
	return -1;
}

static int delegate(int fs, const char *key, unsigned long long mask)
{
	char val[32];

	snprintf(val, sizeof(val), "0x%llx", mask);
	return (int)syscall(__NR_fsconfig, fs, FSCONFIG_SET_STRING, key, val, 0);
}

/*
 * In the coordinator (root): the privileged half of the set-up for the
 * token worker @child on @sock. 0 once the worker has its token.
 */
int token_broker(int sock, pid_t child)
{
	char path[64], map[32], c;
	int fs = -1, mnt;

	if (recv_msg(sock, &c, NULL))
		return broker_fail("worker gone before its user namespace");
	snprintf(map, sizeof(map), "0 %d 1\n", MEMBER_ID);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)child);
	if (write_file(path, map))
		return broker_fail(path);
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)child);
	if (write_file(path, map))
		return broker_fail(path);
	if (send_msg(sock, 'm', -1) || recv_msg(sock, &c, &fs) || fs < 0)
		return broker_fail("no fs context from the worker");
	if (delegate(fs, "delegate_cmds", DELEGATE_CMDS) ||
	    delegate(fs, "delegate_maps", DELEGATE_MAPS) ||
	    delegate(fs, "delegate_progs", DELEGATE_PROGS) ||
	    delegate(fs, "delegate_attachs", DELEGATE_ATTACHS)) {
		close(fs);
		return broker_fail("fsconfig delegate_*");
	}
	if (syscall(__NR_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0)) {
		close(fs);
		return broker_fail("FSCONFIG_CMD_CREATE");
	}
	mnt = (int)syscall(__NR_fsmount, fs, FSMOUNT_CLOEXEC, 0);
	close(fs);
	if (mnt < 0)
		return broker_fail("fsmount");
	if (send_msg(sock, 'M', mnt)) {
		close(mnt);
		return broker_fail("sending the mount");
	}
	close(mnt);
	if (recv_msg(sock, &c, NULL) || c != 't') {
		errno = EPROTO;
		return broker_fail("the worker has no token");
	}
	return 0;
}
