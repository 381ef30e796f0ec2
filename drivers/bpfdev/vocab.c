// SPDX-License-Identifier: GPL-2.0
/*
 * The vocabulary of a grant: the names of bpf commands, program, map and
 * attach types, as the BPF token's bpffs mount options spell them
 * (delegate_cmds=map_create:prog_load, ...), and of the instruction kinds
 * of delegate_insns, bpfdev's own (insns.c).
 *
 * The tables follow the uapi enums by position, up to Linux 6.12. A kernel
 * knows only the values below its own __MAX_BPF_* bound; bpfdev_vocab_*()
 * cut each table there, so a name that the running kernel does not know is
 * rejected like any other unknown name.
 */
#include <linux/bpf.h>
#include <linux/kernel.h>

#include "bpfdev.h"
#include "compat.h"

/* enum bpf_cmd */
static const char * const cmd_names[] = {
	"map_create",	/* 0 */
	"map_lookup_elem",	/* 1 */
	"map_update_elem",	/* 2 */
	"map_delete_elem",	/* 3 */
	"map_get_next_key",	/* 4 */
	"prog_load",	/* 5 */
	"obj_pin",	/* 6 */
	"obj_get",	/* 7 */
	"prog_attach",	/* 8 */
	"prog_detach",	/* 9 */
	"prog_test_run",	/* 10 */
	"prog_get_next_id",	/* 11 */
	"map_get_next_id",	/* 12 */
	"prog_get_fd_by_id",	/* 13 */
	"map_get_fd_by_id",	/* 14 */
	"obj_get_info_by_fd",	/* 15 */
	"prog_query",	/* 16 */
	"raw_tracepoint_open",	/* 17 */
	"btf_load",	/* 18 */
	"btf_get_fd_by_id",	/* 19 */
	"task_fd_query",	/* 20 */
	"map_lookup_and_delete_elem",	/* 21 */
	"map_freeze",	/* 22 */
	"btf_get_next_id",	/* 23 */
	"map_lookup_batch",	/* 24 */
	"map_lookup_and_delete_batch",	/* 25 */
	"map_update_batch",	/* 26 */
	"map_delete_batch",	/* 27 */
	"link_create",	/* 28 */
	"link_update",	/* 29 */
	"link_get_fd_by_id",	/* 30 */
	"link_get_next_id",	/* 31 */
	"enable_stats",	/* 32 */
	"iter_create",	/* 33 */
	"link_detach",	/* 34 */
	"prog_bind_map",	/* 35 */
	"token_create",	/* 36 */
};

/* enum bpf_prog_type */
static const char * const prog_names[] = {
	"unspec",	/* 0 */
	"socket_filter",	/* 1 */
	"kprobe",	/* 2 */
	"sched_cls",	/* 3 */
	"sched_act",	/* 4 */
	"tracepoint",	/* 5 */
	"xdp",	/* 6 */
	"perf_event",	/* 7 */
	"cgroup_skb",	/* 8 */
	"cgroup_sock",	/* 9 */
	"lwt_in",	/* 10 */
	"lwt_out",	/* 11 */
	"lwt_xmit",	/* 12 */
	"sock_ops",	/* 13 */
	"sk_skb",	/* 14 */
	"cgroup_device",	/* 15 */
	"sk_msg",	/* 16 */
	"raw_tracepoint",	/* 17 */
	"cgroup_sock_addr",	/* 18 */
	"lwt_seg6local",	/* 19 */
	"lirc_mode2",	/* 20 */
	"sk_reuseport",	/* 21 */
	"flow_dissector",	/* 22 */
	"cgroup_sysctl",	/* 23 */
	"raw_tracepoint_writable",	/* 24 */
	"cgroup_sockopt",	/* 25 */
	"tracing",	/* 26 */
	"struct_ops",	/* 27 */
	"ext",	/* 28 */
	"lsm",	/* 29 */
	"sk_lookup",	/* 30 */
	"syscall",	/* 31 */
	"netfilter",	/* 32 */
};

/* enum bpf_map_type (the deprecated cgroup storage names without their suffix) */
static const char * const map_names[] = {
	"unspec",	/* 0 */
	"hash",	/* 1 */
	"array",	/* 2 */
	"prog_array",	/* 3 */
	"perf_event_array",	/* 4 */
	"percpu_hash",	/* 5 */
	"percpu_array",	/* 6 */
	"stack_trace",	/* 7 */
	"cgroup_array",	/* 8 */
	"lru_hash",	/* 9 */
	"lru_percpu_hash",	/* 10 */
	"lpm_trie",	/* 11 */
	"array_of_maps",	/* 12 */
	"hash_of_maps",	/* 13 */
	"devmap",	/* 14 */
	"sockmap",	/* 15 */
	"cpumap",	/* 16 */
	"xskmap",	/* 17 */
	"sockhash",	/* 18 */
	"cgroup_storage",	/* 19 */
	"reuseport_sockarray",	/* 20 */
	"percpu_cgroup_storage",	/* 21 */
	"queue",	/* 22 */
	"stack",	/* 23 */
	"sk_storage",	/* 24 */
	"devmap_hash",	/* 25 */
	"struct_ops",	/* 26 */
	"ringbuf",	/* 27 */
	"inode_storage",	/* 28 */
	"task_storage",	/* 29 */
	"bloom_filter",	/* 30 */
	"user_ringbuf",	/* 31 */
	"cgrp_storage",	/* 32 */
	"arena",	/* 33 */
};

/* enum bpf_attach_type */
static const char * const attach_names[] = {
	"cgroup_inet_ingress",	/* 0 */
	"cgroup_inet_egress",	/* 1 */
	"cgroup_inet_sock_create",	/* 2 */
	"cgroup_sock_ops",	/* 3 */
	"sk_skb_stream_parser",	/* 4 */
	"sk_skb_stream_verdict",	/* 5 */
	"cgroup_device",	/* 6 */
	"sk_msg_verdict",	/* 7 */
	"cgroup_inet4_bind",	/* 8 */
	"cgroup_inet6_bind",	/* 9 */
	"cgroup_inet4_connect",	/* 10 */
	"cgroup_inet6_connect",	/* 11 */
	"cgroup_inet4_post_bind",	/* 12 */
	"cgroup_inet6_post_bind",	/* 13 */
	"cgroup_udp4_sendmsg",	/* 14 */
	"cgroup_udp6_sendmsg",	/* 15 */
	"lirc_mode2",	/* 16 */
	"flow_dissector",	/* 17 */
	"cgroup_sysctl",	/* 18 */
	"cgroup_udp4_recvmsg",	/* 19 */
	"cgroup_udp6_recvmsg",	/* 20 */
	"cgroup_getsockopt",	/* 21 */
	"cgroup_setsockopt",	/* 22 */
	"trace_raw_tp",	/* 23 */
	"trace_fentry",	/* 24 */
	"trace_fexit",	/* 25 */
	"modify_return",	/* 26 */
	"lsm_mac",	/* 27 */
	"trace_iter",	/* 28 */
	"cgroup_inet4_getpeername",	/* 29 */
	"cgroup_inet6_getpeername",	/* 30 */
	"cgroup_inet4_getsockname",	/* 31 */
	"cgroup_inet6_getsockname",	/* 32 */
	"xdp_devmap",	/* 33 */
	"cgroup_inet_sock_release",	/* 34 */
	"xdp_cpumap",	/* 35 */
	"sk_lookup",	/* 36 */
	"xdp",	/* 37 */
	"sk_skb_verdict",	/* 38 */
	"sk_reuseport_select",	/* 39 */
	"sk_reuseport_select_or_migrate",	/* 40 */
	"perf_event",	/* 41 */
	"trace_kprobe_multi",	/* 42 */
	"lsm_cgroup",	/* 43 */
	"struct_ops",	/* 44 */
	"netfilter",	/* 45 */
	"tcx_ingress",	/* 46 */
	"tcx_egress",	/* 47 */
	"trace_uprobe_multi",	/* 48 */
	"cgroup_unix_connect",	/* 49 */
	"cgroup_unix_sendmsg",	/* 50 */
	"cgroup_unix_recvmsg",	/* 51 */
	"cgroup_unix_getpeername",	/* 52 */
	"cgroup_unix_getsockname",	/* 53 */
	"netkit_primary",	/* 54 */
	"netkit_peer",	/* 55 */
	"trace_kprobe_session",	/* 56 */
};

/* A table shorter than the kernel's enum would leave values unnamed. */
/* enum bpfdev_insn_kind: delegate_insns (insns.c) */
static const char * const insn_names[] = {
	"bpf_call",	/* 0 */
	"callback",	/* 1 */
	"kfunc_call",	/* 2 */
	"loop",	/* 3 */
};

static_assert(ARRAY_SIZE(insn_names) == BPFDEV_INSN_MAX);
static_assert(ARRAY_SIZE(cmd_names) >= BPFDEV_MAX_CMD);
static_assert(ARRAY_SIZE(prog_names) >= BPFDEV_MAX_PROG_TYPE);
static_assert(ARRAY_SIZE(map_names) >= BPFDEV_MAX_MAP_TYPE);
static_assert(ARRAY_SIZE(attach_names) >= __MAX_BPF_ATTACH_TYPE);

const struct bpfdev_vocab bpfdev_vocab_cmds = {
	.kind = "cmd", .names = cmd_names, .count = BPFDEV_MAX_CMD,
};

const struct bpfdev_vocab bpfdev_vocab_progs = {
	.kind = "prog", .names = prog_names, .count = BPFDEV_MAX_PROG_TYPE,
};

const struct bpfdev_vocab bpfdev_vocab_maps = {
	.kind = "map", .names = map_names, .count = BPFDEV_MAX_MAP_TYPE,
};

const struct bpfdev_vocab bpfdev_vocab_attachs = {
	.kind = "attach", .names = attach_names, .count = __MAX_BPF_ATTACH_TYPE,
};

const struct bpfdev_vocab bpfdev_vocab_insns = {
	.kind = "insn", .names = insn_names, .count = BPFDEV_INSN_MAX,
};

/**
 * bpfdev_vocab_name() - the name of value @v, or NULL if the kernel has none
 * @vocab: which enum
 * @v: the value
 */
const char *bpfdev_vocab_name(const struct bpfdev_vocab *vocab, u32 v)
{
	return v < vocab->count ? vocab->names[v] : NULL;
}

/**
 * bpfdev_vocab_lookup() - the value named @name (length @len)
 * @vocab: which enum
 * @name: the name, not necessarily NUL-terminated
 * @len: its length
 *
 * Return: the value, or -EINVAL for a name the running kernel does not know.
 */
int bpfdev_vocab_lookup(const struct bpfdev_vocab *vocab, const char *name,
			size_t len)
{
	u32 i;

	for (i = 0; i < vocab->count; i++)
		if (strlen(vocab->names[i]) == len &&
		    !strncmp(vocab->names[i], name, len))
			return i;
	return -EINVAL;
}
