/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why a request was refused, one line each. enum bpfdev_deny (bpfdev.h),
 * the reason= of audit records and the denied_<reason> counters (audit.c)
 * are made from this list: it is included where BPFDEV_DENY(NAME) is
 * defined, as include/linux/bpf_types.h is. The names are lower-cased.
 */
BPFDEV_DENY(MALFORMED)		/* EINVAL, E2BIG, EFAULT on the request */
BPFDEV_DENY(READONLY)		/* the file was opened read-only */
BPFDEV_DENY(REVOKED)		/* root revoked the grant */
BPFDEV_DENY(USERNS)		/* caller outside the initial user namespace */
BPFDEV_DENY(CMD)		/* command not delegated */
BPFDEV_DENY(PROG_TYPE)		/* program type not delegated */
BPFDEV_DENY(ATTACH_TYPE)	/* expected attach type not delegated */
BPFDEV_DENY(MAP_TYPE)		/* map type not delegated */
BPFDEV_DENY(NEVER)		/* never delegated: see policy.c */
BPFDEV_DENY(SIZE)		/* over a size limit (E2BIG) */
BPFDEV_DENY(QUOTA)		/* over a count limit (EDQUOT) */
BPFDEV_DENY(CGROUP)		/* cgroup directory not writable (EACCES) */
BPFDEV_DENY(SHARED_FDS)		/* cgroup attach from a shared fd table */
BPFDEV_DENY(CGROUP_OVERRIDE)	/* an ancestor has an override-mode program */
BPFDEV_DENY(ATTACH_FLAGS)	/* a cgroup attach not in multi mode */
BPFDEV_DENY(SECCOMP)		/* caller under a seccomp filter */
BPFDEV_DENY(INSNS)		/* calls, callbacks, kfuncs or loops not delegated */
