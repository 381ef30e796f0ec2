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
 * programs to a cgroup (BPF_LINK_CREATE, cgroup_inet_ingress/egress),
 * which needs CAP_NET_ADMIN: it goes through the device too.
 */
#include "libbpfdev.h"
#include "internal.h"

/* Attaching cgroup_skb programs needs CAP_NET_ADMIN; other attaches none. */
int bpfdev_is_cgroup_link(int cmd, const union bpf_attr *attr)
{
	return cmd == BPF_LINK_CREATE && attr &&
	       (attr->link_create.attach_type == BPF_CGROUP_INET_INGRESS ||
		attr->link_create.attach_type == BPF_CGROUP_INET_EGRESS);
}

int bpfdev_cmd_routed(int cmd, const union bpf_attr *attr)
{
	switch (cmd) {
	case BPF_MAP_CREATE:
	case BPF_PROG_LOAD:
	case BPF_BTF_LOAD:
	case BPF_MAP_FREEZE:
		return 1;
	case BPF_LINK_CREATE:
		return bpfdev_is_cgroup_link(cmd, attr);
	default:
		return 0;
	}
}

const char *bpfdev_cmd_name(int cmd)
{
	switch (cmd) {
	case BPF_MAP_CREATE:
		return "MAP_CREATE";
	case BPF_PROG_LOAD:
		return "PROG_LOAD";
	case BPF_BTF_LOAD:
		return "BTF_LOAD";
	case BPF_MAP_FREEZE:
		return "MAP_FREEZE";
	case BPF_LINK_CREATE:
		return "LINK_CREATE";
	case BPF_OBJ_PIN:
		return "OBJ_PIN";
	case BPF_OBJ_GET:
		return "OBJ_GET";
	case BPF_MAP_LOOKUP_ELEM:
		return "MAP_LOOKUP_ELEM";
	case BPF_MAP_UPDATE_ELEM:
		return "MAP_UPDATE_ELEM";
	case BPF_OBJ_GET_INFO_BY_FD:
		return "OBJ_GET_INFO_BY_FD";
	default:
		return "cmd";
	}
}
