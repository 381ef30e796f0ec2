/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * bpfdev: delegated, scoped bpf(2) through the character device /dev/bpf.
 *
 * /dev/bpf is the default profile; the administrator may make others, each
 * a node /dev/bpf-NAME with a grant of its own (bpfdev(4), PROFILES). The
 * ioctls are the same on every node.
 *
 * An open file of /dev/bpf is a capability. Its ioctls run the bpf commands
 * that need privilege (map creation, program and BTF loading, ...) on behalf
 * of the caller, within the grant the administrator delegated, raising only
 * the capabilities that one command needs for the duration of that call.
 * Everything that works on file descriptors the caller already holds (map
 * lookups and updates, attaching to the caller's own sockets, pinning, ...)
 * is done with bpf(2) directly; it needs no privilege.
 *
 * Structures follow the rules of copy_struct_from_user(): each begins with
 * its size as the caller knows it. A caller built against an older, smaller
 * structure is accepted; a newer, larger one is accepted when the bytes the
 * kernel does not know are zero, and rejected with E2BIG otherwise.
 */
#ifndef _UAPI_LINUX_BPFDEV_H
#define _UAPI_LINUX_BPFDEV_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Bumped when the meaning of an existing ioctl or field changes. */
#define BPFDEV_ABI_VERSION	1

/* Not assigned in Documentation/userspace-api/ioctl/ioctl-number.rst. */
#define BPFDEV_IOC_MAGIC	0xBF

/**
 * struct bpfdev_sys_bpf - one bpf(2) command run through /dev/bpf
 * @size: sizeof(struct bpfdev_sys_bpf) as the caller was built with;
 *	at least %BPFDEV_SYS_BPF_SIZE_VER0.
 * @cmd: the bpf command (enum bpf_cmd), as bpf(2)'s first argument.
 * @attr_size: the size of the buffer at @attr, as bpf(2)'s third argument.
 *	Bytes beyond the kernel's union bpf_attr must be zero (E2BIG).
 * @flags: must be zero.
 * @attr: user pointer to a union bpf_attr, as bpf(2)'s second argument. The
 *	kernel writes back into it what bpf(2) writes back (for example the
 *	verifier's log_true_size); the verifier log itself goes to log_buf.
 *
 * The ioctl returns what bpf(2) would return: a new file descriptor, with
 * close-on-exec set, for commands that create an object, 0 for the others,
 * or -1 with errno set.
 */
struct bpfdev_sys_bpf {
	__u32		size;
	__u32		cmd;
	__u32		attr_size;
	__u32		flags;
	__aligned_u64	attr;
};

#define BPFDEV_SYS_BPF_SIZE_VER0	24	/* sizeof first published struct */

/**
 * struct bpfdev_info - what this open file of /dev/bpf may do
 * @size: in: sizeof(struct bpfdev_info) as the caller was built with, at
 *	least %BPFDEV_INFO_SIZE_VER0; out: the number of bytes the kernel
 *	filled in (the smaller of the two sizes).
 * @abi_version: out: %BPFDEV_ABI_VERSION of the running module.
 * @ioctls: out: bit N set when the ioctl with number N is implemented, so
 *	that userspace detects features instead of guessing from versions.
 * @flags: out: %BPFDEV_INFO_F_* bits describing this file.
 * @insn_max: out: the largest instruction count a program may have.
 * @cmds: out: effective grant, bit N set for enum bpf_cmd value N.
 * @progs: out: effective grant, bit N set for enum bpf_prog_type value N.
 * @maps: out: effective grant, bit N set for enum bpf_map_type value N.
 * @attachs: out: effective grant, bit N set for enum bpf_attach_type N.
 * @btf_max: out: effective limit: the largest BTF, in bytes.
 * @progs_max: out: effective limit: programs this file (with the files
 *	narrowed from it) may create in its lifetime; 0: no limit.
 * @map_mem_max: out: effective limit: the largest map, in bytes of memory
 *	(estimated from key, value and entry sizes and the map type).
 * @maps_max: out: as @progs_max, for maps.
 * @loads_max: out: concurrent program and BTF loads per user; 0: no limit.
 * @own_cmds: out: the file's own grant (what it was opened or narrowed
 *	with), before the global module parameters are applied.
 * @own_progs: out: as @own_cmds.
 * @own_maps: out: as @own_cmds.
 * @own_attachs: out: as @own_cmds.
 * @progs_created: out: programs created through this file and the files
 *	narrowed from it.
 * @maps_created: out: as @progs_created, for maps.
 * @user_progs_created: out: programs the calling user created through
 *	bpfdev since the module was loaded, whatever file it used.
 * @user_maps_created: out: as @user_progs_created, for maps.
 * @user_progs_max: out: the per-user limit on @user_progs_created; 0: none.
 * @user_maps_max: out: the per-user limit on @user_maps_created; 0: none.
 * @insns: out: effective grant, bit N set for BPFDEV_INSN_* N: what
 *	programs may use beyond what unprivileged bpf(2) allows.
 * @own_insns: out: as @own_cmds.
 * @user_jit_bytes: out: JIT memory of the calling user's live programs
 *	created through bpfdev, in bytes.
 * @user_jit_max: out: the per-user limit on @user_jit_bytes; 0: none.
 * @user_btf_bytes: out: kernel memory of the BTF the calling user loaded
 *	through bpfdev since the module was loaded (estimated), in bytes.
 * @user_btf_max: out: the per-user limit on @user_btf_bytes; 0: none.
 *
 * The effective grant is what a call made now would be checked against:
 * the global module parameters intersected with the file's own grant. It
 * is evaluated at each call, so a change of the module parameters by root
 * applies to files that are already open.
 */
struct bpfdev_info {
	__u32	size;
	__u32	abi_version;
	__u64	ioctls;
	__u32	flags;
	__u32	insn_max;
	__u64	cmds;
	__u64	progs;
	__u64	maps;
	__u64	attachs;
	/* BPFDEV_INFO_SIZE_VER1 */
	__u32	btf_max;
	__u32	progs_max;
	__u64	map_mem_max;
	__u32	maps_max;
	__u32	loads_max;
	__u64	own_cmds;
	__u64	own_progs;
	__u64	own_maps;
	__u64	own_attachs;
	__u32	progs_created;
	__u32	maps_created;
	__u32	user_progs_created;
	__u32	user_maps_created;
	__u32	user_progs_max;
	__u32	user_maps_max;
	/* BPFDEV_INFO_SIZE_VER2 */
	__u64	insns;
	__u64	own_insns;
	__u64	user_jit_bytes;
	__u64	user_jit_max;
	__u64	user_btf_bytes;
	__u64	user_btf_max;
};

#define BPFDEV_INFO_SIZE_VER0		56	/* sizeof first published struct */
#define BPFDEV_INFO_SIZE_VER1		136	/* limits, own grant, counts */
#define BPFDEV_INFO_SIZE_VER2		184	/* insns, JIT and BTF budgets */

/*
 * What a program may use beyond what unprivileged bpf(2) allows, bits of
 * @insns (module parameter delegate_insns): the verifier allows these only
 * to CAP_BPF, which bpfdev raises for the load, so bpfdev refuses them
 * itself unless delegated.
 */
#define BPFDEV_INSN_BPF_CALL		0	/* BPF_PSEUDO_CALL */
#define BPFDEV_INSN_CALLBACK		1	/* ldimm64 of BPF_PSEUDO_FUNC */
#define BPFDEV_INSN_KFUNC_CALL		2	/* BPF_PSEUDO_KFUNC_CALL */
#define BPFDEV_INSN_LOOP		3	/* a back-edge: a loop */

/* The file was opened for writing: it may execute commands. */
#define BPFDEV_INFO_F_WRITABLE		(1U << 0)
/*
 * Root revoked every grant, or this file's profile, or removed the profile,
 * after this file was opened: it executes nothing.
 */
#define BPFDEV_INFO_F_REVOKED		(1U << 1)
/* The file was made by BPFDEV_IOC_NARROW, not by open(2). */
#define BPFDEV_INFO_F_NARROWED		(1U << 2)
/* The profile this file was opened from was removed (and so revoked). */
#define BPFDEV_INFO_F_REMOVED		(1U << 3)

/**
 * struct bpfdev_narrow - make a new, narrower file of /dev/bpf
 * @size: sizeof(struct bpfdev_narrow) as the caller was built with.
 * @flags: %BPFDEV_NARROW_F_CLOEXEC, or 0.
 * @cmds: bpf commands to keep (intersected with this file's own grant).
 * @progs: program types to keep.
 * @maps: map types to keep.
 * @attachs: expected attach types to keep.
 * @insn_max: a lower instruction limit, or 0 to keep this file's.
 * @btf_max: a lower BTF size limit, or 0 to keep this file's.
 * @map_mem_max: a lower map memory limit, or 0 to keep this file's.
 * @progs_max: at most this many programs created through the new file (and
 *	files narrowed from it); they count against this file's limit too.
 *	0 keeps this file's limit.
 * @maps_max: as @progs_max, for maps.
 * @insns: BPFDEV_INSN_* bits to keep. A caller built before this field
 *	existed (@size %BPFDEV_NARROW_SIZE_VER0) keeps none.
 *
 * Pass ~0 in a mask to keep it unchanged: nothing can widen a grant.
 */
struct bpfdev_narrow {
	__u32	size;
	__u32	flags;
	__u64	cmds;
	__u64	progs;
	__u64	maps;
	__u64	attachs;
	__u32	insn_max;
	__u32	btf_max;
	__u64	map_mem_max;
	__u32	progs_max;
	__u32	maps_max;
	/* BPFDEV_NARROW_SIZE_VER1 */
	__u64	insns;
};

#define BPFDEV_NARROW_SIZE_VER0		64
#define BPFDEV_NARROW_SIZE_VER1		72	/* insns */
#define BPFDEV_NARROW_F_CLOEXEC		(1U << 0)

/*
 * BPFDEV_IOC_SYS_BPF - run one bpf command within this file's grant.
 *
 * Errors, beyond those of the bpf command itself:
 *   EBADF	the file was not opened for writing (it can only query)
 *   EPERM	the file's grant was revoked by root, or the program uses
 *		bpf-to-bpf calls, callbacks, kfunc calls or loops that the
 *		grant does not delegate (BPFDEV_INSN_*), or a kernel symbol
 *		(BPF_PSEUDO_BTF_ID) through the caller's BTF or from a
 *		non-tracing program, or
 *		the command, program, map or attach type is not delegated, or
 *		the request uses something bpfdev never delegates (device
 *		offload, BPF tokens, extension/LSM/struct_ops/syscall programs,
 *		fmod_ret), or the caller is outside the initial user namespace
 *		or under a seccomp filter (unless root allows it)
 *   EOPNOTSUPP	a known bpf command that bpfdev does not take (not in
 *		BPFDEV_CMDS_EXECUTED or BPFDEV_CMDS_OWN); it needs no
 *		privilege, use bpf(2) directly
 *   EINVAL	unknown command, non-zero @flags, @size too small, or a
 *		non-zero attr field the command does not use (as bpf(2) does)
 *   E2BIG	@size or @attr_size larger than the kernel knows with a
 *		non-zero tail, or a program, BTF or map larger than the
 *		file's limit
 *   EDQUOT	the file or the user created as many programs or maps as it
 *		may, the user's budget of JIT or BTF memory is spent, or the
 *		user has as many loads running as it may
 *   EFAULT	a pointer in the request or the attr cannot be read
 *   EACCES	BPF_LINK_CREATE, BPF_PROG_ATTACH or BPF_PROG_DETACH to a
 *		cgroup the caller may not write
 *   EBUSY	BPF_LINK_CREATE or BPF_PROG_ATTACH from a caller whose fd
 *		table another task shares: the cgroup checked could be
 *		swapped under the check
 *   ENOENT	BPF_PROG_DETACH of a program the caller's uid did not attach
 *		there through bpfdev
 *
 * BPF_LINK_CREATE, BPF_PROG_ATTACH and BPF_PROG_DETACH are executed only
 * for cgroup_skb attach types (cgroup_inet_ingress, cgroup_inet_egress),
 * which need CAP_NET_ADMIN; every other attach type is EOPNOTSUPP.
 * BPF_PROG_ATTACH takes BPF_F_ALLOW_MULTI alone (anything else is EPERM):
 * bpfdev makes the attachment a cgroup link that it holds until
 * BPF_PROG_DETACH, the cgroup's removal or the module's unloading; each
 * user holds at most 256 (EDQUOT).
 *
 * BPF_MAP_GET_NEXT_ID, BPF_PROG_GET_NEXT_ID, BPF_BTF_GET_NEXT_ID and the
 * matching BPF_*_GET_FD_BY_ID are answered with the caller's own maps,
 * programs and BTF, those its uid created through bpfdev and of types the
 * file's grant delegates (for BTF: those of every map and program made
 * with it): any other ID, kernel and module BTF included, is ENOENT. They need map_create, prog_load or
 * btf_load delegated (the command that makes the kind), the callers'
 * rules of the other commands (EPERM), and are not counted or audited.
 *
 * The ioctl's size bits are not part of the dispatch: the size of the
 * structure is its @size field.
 */
#define BPFDEV_IOC_SYS_BPF	_IOWR(BPFDEV_IOC_MAGIC, 0x01, struct bpfdev_sys_bpf)

/*
 * The commands BPFDEV_IOC_SYS_BPF takes, a bit (1ULL << cmd) each, with
 * <linux/bpf.h>'s names: those bpfdev executes with the capabilities they
 * need, and the ID commands it answers from the caller's own objects. The
 * module, the interposer's routing and the tests use these two lists.
 */
#define BPFDEV_CMDS_EXECUTED						\
	((1ULL << BPF_MAP_CREATE) | (1ULL << BPF_PROG_LOAD) |		\
	 (1ULL << BPF_BTF_LOAD) | (1ULL << BPF_MAP_FREEZE) |		\
	 (1ULL << BPF_LINK_CREATE) | (1ULL << BPF_PROG_ATTACH) |	\
	 (1ULL << BPF_PROG_DETACH))
#define BPFDEV_CMDS_OWN							\
	((1ULL << BPF_MAP_GET_NEXT_ID) | (1ULL << BPF_MAP_GET_FD_BY_ID) | \
	 (1ULL << BPF_PROG_GET_NEXT_ID) | (1ULL << BPF_PROG_GET_FD_BY_ID) | \
	 (1ULL << BPF_BTF_GET_NEXT_ID) | (1ULL << BPF_BTF_GET_FD_BY_ID))

/*
 * BPFDEV_IOC_INFO - report the ABI version, the implemented ioctls and the
 * effective grant of this file. Works on files opened read-only.
 */
#define BPFDEV_IOC_INFO		_IOWR(BPFDEV_IOC_MAGIC, 0x02, struct bpfdev_info)

/*
 * BPFDEV_IOC_NARROW - a new file of /dev/bpf whose grant is this file's own
 * grant intersected with the masks and limits given. Returns its fd. The
 * original is unchanged: narrowing in place would narrow every process that
 * shares the open file, the parent included. The new file is a capability
 * like any other: whoever receives it (SCM_RIGHTS, inheritance) may use it,
 * within its grant, even outside the device's group. It is read-only if
 * this one is. Errors: EPERM (revoked), EINVAL (unknown flags), E2BIG
 * (non-zero tail, or a file already narrowed 8 times over), EMFILE.
 */
#define BPFDEV_IOC_NARROW	_IOWR(BPFDEV_IOC_MAGIC, 0x03, struct bpfdev_narrow)

/**
 * struct bpfdev_refusal - a request bpfdev refused (BPFDEV_IOC_REFUSALS)
 * @time_ns: when, CLOCK_REALTIME
 * @uid: whose (the caller's uid; callers in a user namespace, refused
 *	whatever they ask, are not kept)
 * @pid: the caller's process, in its own PID namespace
 * @cmd: the bpf command
 * @err: the errno the ioctl returned (positive)
 * @limit: the limit that refused it (reason "size" or "quota"), when known
 * @value: what the request would have taken of it (bytes, instructions;
 *	for the per-user budgets, this request's share, not the user's total;
 *	for a count limit, the count it would have reached: @limit + 1)
 * @comm: the caller's name
 * @op: the command by the BPF token's name ("prog_load"), as the audit
 *	record's op=
 * @reason: why, as the audit record's reason= and the denied_<reason>
 *	counters name it
 * @prog_type: the program type, @attach_type its attach type (or the link's),
 *	@map_type the map type, by the BPF token's names; "" when none
 * @limit_name: the parameter or per-user budget @limit is ("map_mem_max",
 *	"user_jit_max", "progs_max", "loads_max", ...), "" when none is known
 *
 * Strings are NUL-terminated.
 */
struct bpfdev_refusal {
	__u64	time_ns;
	__u32	uid;
	__u32	pid;
	__u32	cmd;
	__u32	err;
	__u64	limit;
	__u64	value;
	char	comm[16];
	char	op[24];
	char	reason[24];
	char	prog_type[24];
	char	attach_type[32];
	char	map_type[24];
	char	limit_name[24];
};

#define BPFDEV_REFUSAL_SIZE_VER0	208	/* sizeof first published struct */

/* @uid of struct bpfdev_refusals: every user's (root only), the caller's */
#define BPFDEV_REFUSALS_ALL_UIDS	0xffffffffU
#define BPFDEV_REFUSALS_OWN		0xfffffffeU

/**
 * struct bpfdev_refusals - argument of BPFDEV_IOC_REFUSALS
 * @size: sizeof(struct bpfdev_refusals), set by the caller
 * @flags: must be 0
 * @uid: whose refusals: BPFDEV_REFUSALS_OWN or the caller's uid, or any
 *	uid or BPFDEV_REFUSALS_ALL_UIDS for a caller with CAP_SYS_ADMIN
 * @count: in: the entries @refusals has room for; out: the entries written
 * @refusals: user pointer to an array of struct bpfdev_refusal, written
 *	newest first
 * @refusal_size: the size of one entry as the caller knows it, at least
 *	BPFDEV_REFUSAL_SIZE_VER0 (a larger one is zero-filled beyond ours)

 * @pad: must be 0
 */
struct bpfdev_refusals {
	__u32	size;
	__u32	flags;
	__u32	uid;
	__u32	count;
	__aligned_u64 refusals;
	__u32	refusal_size;
	__u32	pad;	/* zero */
};

#define BPFDEV_REFUSALS_SIZE_VER0	32	/* sizeof first published struct */

/*
 * BPFDEV_IOC_REFUSALS - the last requests the module refused for a user,
 * newest first, kept per user (the last 16) after the refused process
 * exited: why an errno was returned, which only root's audit log says
 * otherwise. Works on files opened read-only and revoked ones. Errors:
 * EPERM (another user's without CAP_SYS_ADMIN), EINVAL (flags, sizes),
 * E2BIG (non-zero tail), EFAULT.
 */
#define BPFDEV_IOC_REFUSALS	_IOWR(BPFDEV_IOC_MAGIC, 0x04, struct bpfdev_refusals)

#endif /* _UAPI_LINUX_BPFDEV_H */
