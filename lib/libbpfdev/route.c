// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Which bpf commands go through /dev/bpf.
 *
 * Only the commands that need privilege on Debian's 6.1 and 6.12 kernels:
 * creating maps, loading programs and BTF, and freezing maps (6.1 wants
 * CAP_BPF for it; on 6.12 the module forwards it unprivileged, so routing it
 * everywhere needs no kernel version test). Everything else works on fds the
 * caller holds and goes to bpf(2) unchanged: map operations, pinning,
 * attaching, queries, test runs. The exception is attaching cgroup_skb
 * programs to a cgroup (BPF_LINK_CREATE, BPF_PROG_ATTACH and
 * BPF_PROG_DETACH for cgroup_inet_ingress/egress), which needs
 * CAP_NET_ADMIN: it goes through the device too. So do the
 * ID commands of maps, programs and BTF (CAP_SYS_ADMIN in bpf(2)): the
 * device answers them with the caller's own objects, those it created
 * through bpfdev.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "libbpfdev.h"
#include "internal.h"

/*
 * Copy @len bytes at @src, which the caller of bpf(2) passed and nobody has
 * checked: 0, or -1 when they are not readable (the kernel would answer
 * EFAULT). process_vm_readv() on this very process is allowed whatever the
 * ptrace policy (same thread group); where a seccomp filter forbids it, a
 * write() into a pipe reads the same bytes, or fails with EFAULT the same
 * way. errno is left as it was.
 */
int bpfdev_peek_user(void *dst, const void *src, size_t len)
{
	struct iovec local = { .iov_base = dst, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)src, .iov_len = len };
	int saved = errno, p[2], ok;
	long n;

	n = bpfdev_real_syscall(SYS_process_vm_readv, getpid(), (long)&local,
				1, (long)&remote, 1, 0);
	if (n >= 0 || errno == EFAULT) {
		errno = saved;
		return n == (long)len ? 0 : -1;
	}
	ok = 0;
	if (!pipe2(p, O_CLOEXEC)) {
		ok = write(p[1], src, len) == (ssize_t)len &&
		     read(p[0], dst, len) == (ssize_t)len;
		close(p[0]);
		close(p[1]);
	}
	errno = saved;
	return ok ? 0 : -1;
}

/*
 * The attach type at @off of an attr as bpf(2) will see it: a field beyond
 * @size reads as 0 (which is BPF_CGROUP_INET_INGRESS). -1 when the attr is
 * not readable.
 */
static long attach_type_at(const union bpf_attr *attr, unsigned int size,
			   size_t off)
{
	__u32 type = 0;

	if (size >= off + sizeof(type) &&
	    bpfdev_peek_user(&type, (const char *)attr + off, sizeof(type)))
		return -1;
	return type;
}

static int cgroup_inet(long type)
{
	return type == BPF_CGROUP_INET_INGRESS || type == BPF_CGROUP_INET_EGRESS;
}

/*
 * The caller's attr is read for the attach commands only, and only through
 * peek_user(): a bad pointer is for bpf(2) to answer (EFAULT), never a
 * SIGSEGV in the program. Every other command is routed by its number:
 * the device takes those of the uapi's two lists.
 *
 * Attaching cgroup_skb programs needs CAP_NET_ADMIN, and the module runs it
 * only for a caller whose fd table is its own: from a helper. A detach
 * looks its fds up once in the module and goes to the device directly.
 */
enum bpfdev_route bpfdev_route(int cmd, const union bpf_attr *attr,
			       unsigned int size)
{
	if (cmd == BPF_LINK_CREATE)
		return cgroup_inet(attach_type_at(attr, size,
				offsetof(union bpf_attr, link_create.attach_type))) ?
		       BPFDEV_ROUTE_HELPER : BPFDEV_ROUTE_KERNEL;
	if (cmd == BPF_PROG_ATTACH || cmd == BPF_PROG_DETACH) {
		if (!cgroup_inet(attach_type_at(attr, size,
				offsetof(union bpf_attr, attach_type))))
			return BPFDEV_ROUTE_KERNEL;
		return cmd == BPF_PROG_ATTACH ? BPFDEV_ROUTE_HELPER :
						BPFDEV_ROUTE_DEVICE;
	}
	return bpfdev_cmd_on_device(cmd) ? BPFDEV_ROUTE_DEVICE :
					   BPFDEV_ROUTE_KERNEL;
}

int bpfdev_cmd_routed(int cmd, const union bpf_attr *attr)
{
	return bpfdev_route(cmd, attr, sizeof(*attr)) != BPFDEV_ROUTE_KERNEL;
}

/* Every command's name; 36 is 6.9's BPF_TOKEN_CREATE, newer than <linux/bpf.h> here */
static const char *const cmd_names[] = {
	[BPF_MAP_CREATE] = "MAP_CREATE",
	[BPF_MAP_LOOKUP_ELEM] = "MAP_LOOKUP_ELEM",
	[BPF_MAP_UPDATE_ELEM] = "MAP_UPDATE_ELEM",
	[BPF_MAP_DELETE_ELEM] = "MAP_DELETE_ELEM",
	[BPF_MAP_GET_NEXT_KEY] = "MAP_GET_NEXT_KEY",
	[BPF_PROG_LOAD] = "PROG_LOAD",
	[BPF_OBJ_PIN] = "OBJ_PIN",
	[BPF_OBJ_GET] = "OBJ_GET",
	[BPF_PROG_ATTACH] = "PROG_ATTACH",
	[BPF_PROG_DETACH] = "PROG_DETACH",
	[BPF_PROG_TEST_RUN] = "PROG_TEST_RUN",
	[BPF_PROG_GET_NEXT_ID] = "PROG_GET_NEXT_ID",
	[BPF_MAP_GET_NEXT_ID] = "MAP_GET_NEXT_ID",
	[BPF_PROG_GET_FD_BY_ID] = "PROG_GET_FD_BY_ID",
	[BPF_MAP_GET_FD_BY_ID] = "MAP_GET_FD_BY_ID",
	[BPF_OBJ_GET_INFO_BY_FD] = "OBJ_GET_INFO_BY_FD",
	[BPF_PROG_QUERY] = "PROG_QUERY",
	[BPF_RAW_TRACEPOINT_OPEN] = "RAW_TRACEPOINT_OPEN",
	[BPF_BTF_LOAD] = "BTF_LOAD",
	[BPF_BTF_GET_FD_BY_ID] = "BTF_GET_FD_BY_ID",
	[BPF_TASK_FD_QUERY] = "TASK_FD_QUERY",
	[BPF_MAP_LOOKUP_AND_DELETE_ELEM] = "MAP_LOOKUP_AND_DELETE_ELEM",
	[BPF_MAP_FREEZE] = "MAP_FREEZE",
	[BPF_BTF_GET_NEXT_ID] = "BTF_GET_NEXT_ID",
	[BPF_MAP_LOOKUP_BATCH] = "MAP_LOOKUP_BATCH",
	[BPF_MAP_LOOKUP_AND_DELETE_BATCH] = "MAP_LOOKUP_AND_DELETE_BATCH",
	[BPF_MAP_UPDATE_BATCH] = "MAP_UPDATE_BATCH",
	[BPF_MAP_DELETE_BATCH] = "MAP_DELETE_BATCH",
	[BPF_LINK_CREATE] = "LINK_CREATE",
	[BPF_LINK_UPDATE] = "LINK_UPDATE",
	[BPF_LINK_GET_FD_BY_ID] = "LINK_GET_FD_BY_ID",
	[BPF_LINK_GET_NEXT_ID] = "LINK_GET_NEXT_ID",
	[BPF_ENABLE_STATS] = "ENABLE_STATS",
	[BPF_ITER_CREATE] = "ITER_CREATE",
	[BPF_LINK_DETACH] = "LINK_DETACH",
	[BPF_PROG_BIND_MAP] = "PROG_BIND_MAP",
	[36] = "TOKEN_CREATE",
};

const char *bpfdev_cmd_name(int cmd)
{
	if (cmd < 0 || (size_t)cmd >= sizeof(cmd_names) / sizeof(cmd_names[0]) ||
	    !cmd_names[cmd])
		return "unknown";
	return cmd_names[cmd];
}
