/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything that differs between the kernels bpfdev is built for (Debian's
 * 6.1 and 6.12) lives here, so that the rest of the driver reads the same on
 * both.
 */
#ifndef _BPFDEV_COMPAT_H
#define _BPFDEV_COMPAT_H

#include <linux/bpf.h>

/*
 * kern_sys_bpf() is exported on both, but no header declares it, and 6.12
 * exports it in the BPF_INTERNAL namespace.
 */
int kern_sys_bpf(int cmd, union bpf_attr *attr, unsigned int size);

/* Kbuild defines BPFDEV_KERNEL_6_12 for 6.12 and later. */
#ifdef BPFDEV_KERNEL_6_12

#define BPFDEV_IMPORT_NS()	MODULE_IMPORT_NS(BPF_INTERNAL)

#define BPFDEV_MAX_CMD		__MAX_BPF_CMD
#define BPFDEV_MAX_PROG_TYPE	__MAX_BPF_PROG_TYPE
#define BPFDEV_MAX_MAP_TYPE	__MAX_BPF_MAP_TYPE
#define BPFDEV_PROG_TYPE_NETFILTER	BPF_PROG_TYPE_NETFILTER

/* The last attr field each command consumes (kernel/bpf/syscall.c). */
#define BPFDEV_MAP_CREATE_LAST	map_token_fd
#define BPFDEV_PROG_LOAD_LAST	prog_token_fd
#define BPFDEV_BTF_LOAD_LAST	btf_token_fd

/* BPF tokens (6.9+): bpfdev never forwards one. */
#define BPFDEV_TOKEN_FLAG	BPF_F_TOKEN_FD

/*
 * map_freeze() checks that the fd was opened for writing and needs no
 * capability: the kernel resolves and checks the same object, so bpfdev
 * forwards the command as it is.
 */
#define BPFDEV_FREEZE_NEEDS_CAP	0

static inline void bpfdev_compat_map_create(union bpf_attr *k,
					    const union bpf_attr *s)
{
	k->value_type_btf_obj_fd = s->value_type_btf_obj_fd;
	k->map_token_fd = s->map_token_fd;
}

static inline void bpfdev_compat_prog_load(union bpf_attr *k,
					   const union bpf_attr *s)
{
	k->log_true_size = 0;	/* output only */
	k->prog_token_fd = s->prog_token_fd;
}

static inline void bpfdev_compat_btf_load(union bpf_attr *k,
					  const union bpf_attr *s)
{
	k->btf_log_true_size = 0;	/* output only */
	k->btf_flags = s->btf_flags;
	k->btf_token_fd = s->btf_token_fd;
}

/* Output fields the kernel writes into the attr even on failure. */
#define BPFDEV_HAS_LOG_TRUE_SIZE	1

/* cgroup links can be ordered (6.6+): relative_fd/id, expected_revision. */
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

static inline bool bpfdev_btf_load_uses_token(const union bpf_attr *k)
{
	return k->btf_flags & BPF_F_TOKEN_FD;
}

#else /* 6.1 */

#define BPFDEV_IMPORT_NS()

/* The enums have no __MAX_ value before 6.9 (commands) or 6.3 (types). */
#define BPFDEV_MAX_CMD		(BPF_PROG_BIND_MAP + 1)
#define BPFDEV_MAX_PROG_TYPE	(BPF_PROG_TYPE_SYSCALL + 1)
#define BPFDEV_MAX_MAP_TYPE	(BPF_MAP_TYPE_USER_RINGBUF + 1)
/* No netfilter programs before 6.4: a value no program type has. */
#define BPFDEV_PROG_TYPE_NETFILTER	U32_MAX

#define BPFDEV_MAP_CREATE_LAST	map_extra
#define BPFDEV_PROG_LOAD_LAST	core_relo_rec_size
#define BPFDEV_BTF_LOAD_LAST	btf_log_level

#define BPFDEV_TOKEN_FLAG	0

/*
 * 6.1's map_freeze() wants CAP_BPF but never checks that the fd was opened
 * for writing: bpfdev checks that itself and sets the flag on the very map it
 * checked (freeze.c).
 */
#define BPFDEV_FREEZE_NEEDS_CAP	1

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

#define BPFDEV_HAS_LOG_TRUE_SIZE	0

static inline void bpfdev_compat_cgroup_link(union bpf_attr *k,
					     const union bpf_attr *s)
{
}

static inline void bpfdev_compat_cgroup_link_clear(union bpf_attr *s)
{
}

static inline bool bpfdev_btf_load_uses_token(const union bpf_attr *k)
{
	return false;
}

#endif

#endif /* _BPFDEV_COMPAT_H */
