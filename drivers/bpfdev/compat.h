/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything that differs between the kernels bpfdev is built for lives
 * here, so that the rest of the driver reads the same on all of them.
 *
 * Each feature is tested against the kernel version where it arrived
 * upstream, as WireGuard's compat layer does, so that a new kernel is an
 * addition: the features it brings are already named here. The one
 * difference that is a whole function, BPF_MAP_FREEZE before 6.5, is a
 * file of its own that Kbuild selects (freeze_61.c). A feature a stable
 * kernel got as a backport cannot be told from its version: Kbuild looks
 * for it in the kernel's headers and says so with BPFDEV_BACKPORT_*.
 */
#ifndef _BPFDEV_COMPAT_H
#define _BPFDEV_COMPAT_H

#include <linux/bpf.h>
#include <linux/module.h>
#include <linux/stddef.h>
#include <linux/version.h>

/*
 * Is the kernel built against @major.@minor or later? Stable kernels
 * (the sublevel) get fixes, not features: see BPFDEV_BACKPORT_* for the
 * exceptions.
 */
#define BPFDEV_KERNEL_GE(major, minor)					\
	(KERNEL_VERSION(LINUX_VERSION_MAJOR, LINUX_VERSION_PATCHLEVEL, 0) >= \
	 KERNEL_VERSION(major, minor, 0))

/* kern_sys_bpf() is exported on every kernel, but no header declares it. */
int kern_sys_bpf(int cmd, union bpf_attr *attr, unsigned int size);

/*
 * 6.15 (f88886de0927, in 6.12.26 and later) exports kern_sys_bpf() in the
 * BPF_INTERNAL namespace; importing it where it does not exist is harmless.
 * Namespaces are string literals since 6.13 (cdd30ebb1b9f).
 */
#if BPFDEV_KERNEL_GE(6, 13)
#define BPFDEV_IMPORT_NS()	MODULE_IMPORT_NS("BPF_INTERNAL")
#else
#define BPFDEV_IMPORT_NS()	MODULE_IMPORT_NS(BPF_INTERNAL)
#endif

/* The enums' bounds: __MAX_BPF_CMD since 6.9, the types' since 6.3. */
#if BPFDEV_KERNEL_GE(6, 9)
#define BPFDEV_MAX_CMD		__MAX_BPF_CMD
#else
#define BPFDEV_MAX_CMD		(BPF_PROG_BIND_MAP + 1)
#endif

#if BPFDEV_KERNEL_GE(6, 3)
#define BPFDEV_MAX_PROG_TYPE	__MAX_BPF_PROG_TYPE
#define BPFDEV_MAX_MAP_TYPE	__MAX_BPF_MAP_TYPE
#elif BPFDEV_KERNEL_GE(6, 2)
#define BPFDEV_MAX_PROG_TYPE	(BPF_PROG_TYPE_SYSCALL + 1)
#define BPFDEV_MAX_MAP_TYPE	(BPF_MAP_TYPE_CGRP_STORAGE + 1)
#else
#define BPFDEV_MAX_PROG_TYPE	(BPF_PROG_TYPE_SYSCALL + 1)
#define BPFDEV_MAX_MAP_TYPE	(BPF_MAP_TYPE_USER_RINGBUF + 1)
#endif

/*
 * A program's JITed functions: 6.7 hides an exception callback the
 * verifier adds from func_cnt, and counts it in real_func_cnt.
 */
#if BPFDEV_KERNEL_GE(6, 7)
#define BPFDEV_PROG_FUNCS(aux)	((aux)->real_func_cnt)
#else
#define BPFDEV_PROG_FUNCS(aux)	((aux)->func_cnt)
#endif

/* Netfilter programs (6.4); before, a value no program type has. */
#if BPFDEV_KERNEL_GE(6, 4)
#define BPFDEV_PROG_TYPE_NETFILTER	BPF_PROG_TYPE_NETFILTER
#else
#define BPFDEV_PROG_TYPE_NETFILTER	U32_MAX
#endif

/* Map types that came later: before, values no map type has. */
#if BPFDEV_KERNEL_GE(6, 2)
#define BPFDEV_MAP_TYPE_CGRP_STORAGE	BPF_MAP_TYPE_CGRP_STORAGE
#else
#define BPFDEV_MAP_TYPE_CGRP_STORAGE	(U32_MAX - 1)
#endif
#if BPFDEV_KERNEL_GE(6, 9)
#define BPFDEV_MAP_TYPE_ARENA		BPF_MAP_TYPE_ARENA
#else
#define BPFDEV_MAP_TYPE_ARENA		U32_MAX
#endif

/*
 * BPF tokens (6.9): a token fd in map_create, prog_load and btf_load, and
 * BTF load flags, and struct_ops value types from module BTF. bpfdev never
 * forwards a token (policy.c), but the fields are part of the attr.
 */
#if BPFDEV_KERNEL_GE(6, 9)
#define BPFDEV_HAVE_TOKEN	1
#define BPFDEV_TOKEN_FLAG	BPF_F_TOKEN_FD
#else
#define BPFDEV_HAVE_TOKEN	0
#define BPFDEV_TOKEN_FLAG	0
#endif

/*
 * The true size of the verifier's and BTF's log, written back into the
 * caller's attr even on failure (6.4).
 */
#if BPFDEV_KERNEL_GE(6, 4)
#define BPFDEV_HAVE_LOG_TRUE_SIZE	1
#else
#define BPFDEV_HAVE_LOG_TRUE_SIZE	0
#endif

/*
 * cgroup links ordered as tcx links are, relative_fd/id and
 * expected_revision (6.17, 120933984460; backported into 6.12.y).
 */
#if BPFDEV_KERNEL_GE(6, 17) || \
	defined(BPFDEV_BACKPORT_CGROUP_LINK_ORDER)
#define BPFDEV_HAVE_CGROUP_LINK_ORDER	1
#else
#define BPFDEV_HAVE_CGROUP_LINK_ORDER	0
#endif

/* The last attr field each command consumes (kernel/bpf/syscall.c). */
#if BPFDEV_HAVE_TOKEN
#define BPFDEV_MAP_CREATE_LAST	map_token_fd
#define BPFDEV_PROG_LOAD_LAST	prog_token_fd
#define BPFDEV_BTF_LOAD_LAST	btf_token_fd
#elif BPFDEV_HAVE_LOG_TRUE_SIZE
#define BPFDEV_MAP_CREATE_LAST	map_extra
#define BPFDEV_PROG_LOAD_LAST	log_true_size
#define BPFDEV_BTF_LOAD_LAST	btf_log_true_size
#else
#define BPFDEV_MAP_CREATE_LAST	map_extra
#define BPFDEV_PROG_LOAD_LAST	core_relo_rec_size
#define BPFDEV_BTF_LOAD_LAST	btf_log_level
#endif

#if BPFDEV_HAVE_TOKEN
static inline void bpfdev_compat_map_create(union bpf_attr *k,
					    const union bpf_attr *s)
{
	k->value_type_btf_obj_fd = s->value_type_btf_obj_fd;
	k->map_token_fd = s->map_token_fd;
}

static inline void bpfdev_compat_prog_load(union bpf_attr *k,
					   const union bpf_attr *s)
{
	k->prog_token_fd = s->prog_token_fd;
}

static inline void bpfdev_compat_btf_load(union bpf_attr *k,
					  const union bpf_attr *s)
{
	k->btf_flags = s->btf_flags;
	k->btf_token_fd = s->btf_token_fd;
}

static inline bool bpfdev_btf_load_uses_token(const union bpf_attr *k)
{
	return k->btf_flags & BPF_F_TOKEN_FD;
}
#else
static inline void bpfdev_compat_map_create(union bpf_attr *k,
					    const union bpf_attr *s)
{
}

static inline void bpfdev_compat_prog_load(union bpf_attr *k,
					   const union bpf_attr *s)
{
}

static inline void bpfdev_compat_btf_load(union bpf_attr *k,
					  const union bpf_attr *s)
{
}

static inline bool bpfdev_btf_load_uses_token(const union bpf_attr *k)
{
	return false;
}
#endif

/*
 * Where bpf(2) writes the true log size back for @cmd, an offset into
 * union bpf_attr, or 0 where it writes none. The field is output only:
 * the attr bpfdev builds leaves it 0.
 */
#if BPFDEV_HAVE_LOG_TRUE_SIZE
static inline size_t bpfdev_log_true_size_offset(int cmd)
{
	switch (cmd) {
	case BPF_PROG_LOAD:
		return offsetof(union bpf_attr, log_true_size);
	case BPF_BTF_LOAD:
		return offsetof(union bpf_attr, btf_log_true_size);
	default:
		return 0;
	}
}
#else
static inline size_t bpfdev_log_true_size_offset(int cmd)
{
	return 0;
}
#endif

#if BPFDEV_HAVE_CGROUP_LINK_ORDER
static inline void bpfdev_compat_cgroup_link(union bpf_attr *k,
					     const union bpf_attr *s)
{
	k->link_create.cgroup.relative_fd = s->link_create.cgroup.relative_fd;
	k->link_create.cgroup.expected_revision =
		s->link_create.cgroup.expected_revision;
}

static inline void bpfdev_compat_cgroup_link_clear(union bpf_attr *s)
{
	s->link_create.cgroup.relative_fd = 0;
	s->link_create.cgroup.expected_revision = 0;
}
#else
static inline void bpfdev_compat_cgroup_link(union bpf_attr *k,
					     const union bpf_attr *s)
{
}

static inline void bpfdev_compat_cgroup_link_clear(union bpf_attr *s)
{
}
#endif

/* struct device_type's devnode() takes a const device since 6.2. */
#if BPFDEV_KERNEL_GE(6, 2)
#define BPFDEV_DEVNODE_CONST	const
#else
#define BPFDEV_DEVNODE_CONST
#endif

#endif /* _BPFDEV_COMPAT_H */
