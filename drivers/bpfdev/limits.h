/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every limit bpfdev applies and every default of its module parameters,
 * in one place (as Landlock's limits.h). bpfdev(4) documents the
 * parameters; a default changed here must be changed there and in
 * systemd/bpfdev.modprobe.conf.
 */
#ifndef _BPFDEV_LIMITS_H
#define _BPFDEV_LIMITS_H

#include <linux/bits.h>
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/kdev_t.h>

/* The grant's defaults (grant.c) */

/*
 * What bpf(2) let any user do while kernel.unprivileged_bpf_disabled was
 * 0, plus the commands libbpf needs for every object (BTF, and freezing
 * .rodata on 6.1).
 */
#define BPFDEV_DEFAULT_CMDS						\
	(BIT_ULL(BPF_MAP_CREATE) | BIT_ULL(BPF_PROG_LOAD) |		\
	 BIT_ULL(BPF_BTF_LOAD) | BIT_ULL(BPF_MAP_FREEZE))

#define BPFDEV_DEFAULT_PROGS						\
	(BIT_ULL(BPF_PROG_TYPE_SOCKET_FILTER) |				\
	 BIT_ULL(BPF_PROG_TYPE_CGROUP_SKB))

/* The map types map_create() lets a caller without CAP_BPF create. */
#define BPFDEV_DEFAULT_MAPS						\
	(BIT_ULL(BPF_MAP_TYPE_HASH) | BIT_ULL(BPF_MAP_TYPE_ARRAY) |	\
	 BIT_ULL(BPF_MAP_TYPE_PROG_ARRAY) |				\
	 BIT_ULL(BPF_MAP_TYPE_PERF_EVENT_ARRAY) |			\
	 BIT_ULL(BPF_MAP_TYPE_PERCPU_HASH) |				\
	 BIT_ULL(BPF_MAP_TYPE_PERCPU_ARRAY) |				\
	 BIT_ULL(BPF_MAP_TYPE_CGROUP_ARRAY) |				\
	 BIT_ULL(BPF_MAP_TYPE_ARRAY_OF_MAPS) |				\
	 BIT_ULL(BPF_MAP_TYPE_HASH_OF_MAPS) |				\
	 BIT_ULL(BPF_MAP_TYPE_CGROUP_STORAGE) |				\
	 BIT_ULL(BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE) |			\
	 BIT_ULL(BPF_MAP_TYPE_RINGBUF) |				\
	 BIT_ULL(BPF_MAP_TYPE_USER_RINGBUF))

/*
 * cgroup_skb programs must name their direction when loaded; the two are
 * delegated so that the default program types load. Attaching them is a
 * separate command, not delegated by default.
 */
#define BPFDEV_DEFAULT_ATTACHS						\
	(BIT_ULL(BPF_CGROUP_INET_INGRESS) | BIT_ULL(BPF_CGROUP_INET_EGRESS))

/*
 * What the verifier allows only in its CAP_BPF mode (insns.c): none by
 * default, so that a delegated program is as bounded as an unprivileged one.
 */
#define BPFDEV_DEFAULT_INSNS		0

/*
 * The cgroup attachments (BPF_PROG_ATTACH, attach.c) a user may hold: two
 * per unit for systemd's IP firewall. Each holds a cgroup link, which no
 * memory cgroup is charged for.
 */
#define BPFDEV_USER_ATTACH_MAX		256

/* BPF_MAXINSNS: what an unprivileged bpf(2) caller may load. */
#define BPFDEV_DEFAULT_INSN_MAX		BPF_MAXINSNS
#define BPFDEV_DEFAULT_BTF_MAX		(4U << 20)
/*
 * One map's memory: enough for ordinary maps and ring buffers, far from
 * what takes a small machine into the OOM killer.
 */
#define BPFDEV_DEFAULT_MAP_MEM_MAX	(64UL << 20)
/* Programs and maps a file may create: no limit (0). */
#define BPFDEV_DEFAULT_PROGS_MAX	0
#define BPFDEV_DEFAULT_MAPS_MAX		0

/* The per-user limits' defaults (grant.c, users.c) */

/* The verifier can use a lot of memory: a few loads at a time per user. */
#define BPFDEV_DEFAULT_LOADS_MAX	4
#define BPFDEV_DEFAULT_USER_PROGS_MAX	0
#define BPFDEV_DEFAULT_USER_MAPS_MAX	0
/* Some 400 programs of 4,096 instructions. */
#define BPFDEV_DEFAULT_USER_JIT_MAX	(16UL << 20)
#define BPFDEV_DEFAULT_USER_BTF_MAX	(64UL << 20)

/* Audit records (audit.c) */

/*
 * Records one user's requests may write per second; the bucket holds a
 * second's worth (the burst is the rate). A program's start-up (libbpf's
 * feature probes, its maps and programs) fits; a flood does not.
 */
#define BPFDEV_DEFAULT_AUDIT_RATE	20
#define BPFDEV_AUDIT_RATE_LIMIT		10000

/* What the parameters may be set to, and what requests may carry */

/* kernel/bpf/verifier.c: the largest program the verifier takes */
#define BPFDEV_INSN_MAX_LIMIT		BPF_COMPLEXITY_LIMIT_INSNS
/* kernel/bpf/btf.c: BTF_MAX_SIZE */
#define BPFDEV_BTF_MAX_LIMIT		(16U << 20)
/* kernel/bpf/verifier.c: MAX_FUNCINFO_REC_SIZE, also for line info, relos */
#define BPFDEV_REC_SIZE_MAX		252U
/* func/line info or CO-RE relocation bytes of one program */
#define BPFDEV_RECORDS_MAX		(16U << 20)
/* fd_array entries a program may index: far above what libbpf uses */
#define BPFDEV_FD_ARRAY_MAX		(1U << 16)
/* as bpf_prog_load()'s buffer */
#define BPFDEV_LICENSE_LEN		128

/* Files (file.c, creds.c) */

/* charges walk the chain of narrowed files: keep it short */
#define BPFDEV_NARROW_DEPTH_MAX		8

/*
 * The minors of the profiles' nodes: the whole range of a char major, taken
 * in turn, so that a removed profile's number comes back only after a
 * million more profiles were enabled. A node made by mknod for a removed
 * profile (a container's --device) opens nothing meanwhile.
 */
#define BPFDEV_PROFILE_MINORS		(1U << MINORBITS)
/*
 * A profile's listings of its users and files (configfs.c): the longest
 * line of each, and the longest listing, which ends in a line "truncated"
 * when there is more.
 */
#define BPFDEV_USER_LINE_MAX		2048
#define BPFDEV_FILE_LINE_MAX		256
#define BPFDEV_LISTING_MAX		(4U << 20)
/*
 * Credentials cached per file: one per capability set, and one per
 * object-creating command and capability set (creds.c)
 */
#define BPFDEV_CRED_CACHE		8

/* Refusals kept per user (refusals.c), and read at once at most */
#define BPFDEV_REFUSALS_KEPT		16
#define BPFDEV_REFUSALS_READ_MAX	256

/* The registry (objects.c): how often it drops what only it holds */
#define BPFDEV_OBJECTS_SWEEP		HZ

/* Requests (request.c, sys_bpf.c) */

/* kernel copies of inputs: insns, fd_array, 3 x info, btf */
#define BPFDEV_MAX_BUFS			6
/* inputs this small are copied into the request itself: no allocation */
#define BPFDEV_SMALL_INPUTS		256
/* loads whose log was unmapped between the prefault and the call */
#define BPFDEV_LOG_TRIES		3

/*
 * Kernel memory a load takes that no memory cgroup is charged for
 * (users.c): the JIT image of a program, reserved at 16 bytes per
 * instruction before the load and counted as its image after, or charged
 * at 512 if the program could not be entered in the registry (the x86
 * JIT's bound is 128 bytes per instruction, and the verifier's rewrites
 * may add instructions); and BTF as btf_parse() allocates it (the data,
 * up to 16 bytes of index per type of at least 12 bytes, the struct).
 */
#define BPFDEV_JIT_BYTES_PER_INSN	16
#define BPFDEV_JIT_WORST_PER_INSN	512
#define BPFDEV_BTF_BYTES_PER_BYTE	3
#define BPFDEV_BTF_OVERHEAD		512

#endif /* _BPFDEV_LIMITS_H */
