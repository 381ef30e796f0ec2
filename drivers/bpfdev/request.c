// SPDX-License-Identifier: GPL-2.0
/*
 * The snapshot: the caller's request copied once, rebuilt into the attr that
 * kern_sys_bpf() will consume.
 *
 * kern_sys_bpf() treats every pointer that bpf(2) reads through a bpfptr_t
 * (instructions, license, fd_array, func/line info, CO-RE relocations, BTF)
 * as a kernel address. So the attr is never forwarded: a fresh one is built
 * from the fields the command uses, each of those pointers is pointed at a
 * bounded kernel copy made here once, and the policy and the kernel see the
 * same bytes. A second thread rewriting the caller's memory changes nothing.
 * The log buffers are written with copy_to_user() and stay the caller's.
 *
 * A non-zero byte beyond the last field a command uses is EINVAL, as
 * bpf(2)'s CHECK_ATTR() makes it; nothing is silently dropped.
 */
#include <linux/bpf.h>
#include <linux/bpf_verifier.h>
#include <linux/filter.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "bpfdev.h"
#include "compat.h"

/* Is any byte after @field non-zero?  bpf(2)'s CHECK_ATTR(). */
#define attr_tail_nonzero(attr, field)					\
	(memchr_inv((const char *)(attr) +				\
		    offsetofend(union bpf_attr, field), 0,		\
		    sizeof(union bpf_attr) -				\
		    offsetofend(union bpf_attr, field)) != NULL)

static void request_map_create(union bpf_attr *k, const union bpf_attr *s)
{
	k->map_type = s->map_type;
	k->key_size = s->key_size;
	k->value_size = s->value_size;
	k->max_entries = s->max_entries;
	k->map_flags = s->map_flags;
	k->inner_map_fd = s->inner_map_fd;
	k->numa_node = s->numa_node;
	memcpy(k->map_name, s->map_name, sizeof(k->map_name));
	k->map_ifindex = s->map_ifindex;
	k->btf_fd = s->btf_fd;
	k->btf_key_type_id = s->btf_key_type_id;
	k->btf_value_type_id = s->btf_value_type_id;
	k->btf_vmlinux_value_type_id = s->btf_vmlinux_value_type_id;
	k->map_extra = s->map_extra;
	bpfdev_compat_map_create(k, s);
}

/* The pointers stay 0 here; bpfdev_request_copy_inputs() sets them. */
static void request_prog_load(union bpf_attr *k, const union bpf_attr *s)
{
	k->prog_type = s->prog_type;
	k->insn_cnt = s->insn_cnt;
	k->log_level = s->log_level;
	k->log_size = s->log_size;
	k->log_buf = s->log_buf;	/* a user pointer to the kernel too */
	k->kern_version = s->kern_version;
	k->prog_flags = s->prog_flags;
	memcpy(k->prog_name, s->prog_name, sizeof(k->prog_name));
	k->prog_ifindex = s->prog_ifindex;
	k->expected_attach_type = s->expected_attach_type;
	k->prog_btf_fd = s->prog_btf_fd;
	k->func_info_rec_size = s->func_info_rec_size;
	k->func_info_cnt = s->func_info_cnt;
	k->line_info_rec_size = s->line_info_rec_size;
	k->line_info_cnt = s->line_info_cnt;
	k->attach_btf_id = s->attach_btf_id;
	k->attach_prog_fd = s->attach_prog_fd;
	k->core_relo_cnt = s->core_relo_cnt;
	k->core_relo_rec_size = s->core_relo_rec_size;
	bpfdev_compat_prog_load(k, s);

	/*
	 * bpf_prog_load_fixup_attach_type() (6.1 and 6.12): a cgroup_sock
	 * program loaded for attach type 0 is one for socket creation, an
	 * sk_reuseport program one for select. Apply it here, so that the
	 * policy and the audit record see the type the kernel will use.
	 */
	if (!k->expected_attach_type) {
		if (k->prog_type == BPF_PROG_TYPE_CGROUP_SOCK)
			k->expected_attach_type = BPF_CGROUP_INET_SOCK_CREATE;
		else if (k->prog_type == BPF_PROG_TYPE_SK_REUSEPORT)
			k->expected_attach_type = BPF_SK_REUSEPORT_SELECT;
	}
}

static void request_btf_load(union bpf_attr *k, const union bpf_attr *s)
{
	k->btf_log_buf = s->btf_log_buf;	/* a user pointer to the kernel too */
	k->btf_size = s->btf_size;
	k->btf_log_size = s->btf_log_size;
	k->btf_log_level = s->btf_log_level;
	bpfdev_compat_btf_load(k, s);
}

/*
 * Only cgroup inet links are mediated; every other attach needs no
 * privilege and goes to bpf(2) directly. Of the link_create union, those
 * use the program, the cgroup, the type, the flags and (6.12) the ordering
 * fields: any other non-zero byte is EINVAL rather than dropped.
 */
static int request_cgroup_link(union bpf_attr *k, union bpf_attr *s)
{
	if (!bpfdev_is_cgroup_attach(s->link_create.attach_type))
		return -EOPNOTSUPP;
	k->link_create.prog_fd = s->link_create.prog_fd;
	k->link_create.target_fd = s->link_create.target_fd;
	k->link_create.attach_type = s->link_create.attach_type;
	k->link_create.flags = s->link_create.flags;
	bpfdev_compat_cgroup_link(k, s);
	/* what is left of the caller's attr once the used fields are out */
	s->link_create.prog_fd = 0;
	s->link_create.target_fd = 0;
	s->link_create.attach_type = 0;
	s->link_create.flags = 0;
	bpfdev_compat_cgroup_link_clear(s);
	return memchr_inv(s, 0, sizeof(*s)) ? -EINVAL : 0;
}

/*
 * BPF_PROG_ATTACH and BPF_PROG_DETACH of cgroup inet attach types (attach.c);
 * every other attach needs no privilege and goes to bpf(2) directly. They
 * use the cgroup, the program, the type, and for attach the flags and
 * replace_bpf_fd (read only with BPF_F_REPLACE, which the policy refuses:
 * not kept). A later field (6.12's relative_fd, expected_revision) or
 * detach flags are EINVAL, as bpf(2) answers for a cgroup.
 */
static int request_prog_attach(union bpf_attr *k, const union bpf_attr *s,
			       u32 cmd)
{
	if (!bpfdev_is_cgroup_attach(s->attach_type))
		return -EOPNOTSUPP;
	if (cmd == BPF_PROG_ATTACH ? attr_tail_nonzero(s, replace_bpf_fd) :
				     attr_tail_nonzero(s, attach_type))
		return -EINVAL;
	k->target_fd = s->target_fd;
	k->attach_bpf_fd = s->attach_bpf_fd;
	k->attach_type = s->attach_type;
	k->attach_flags = s->attach_flags;
	return 0;
}

/**
 * bpfdev_request_snapshot() - copy the caller's attr once and rebuild it
 * @req: the request, filled in
 * @cmd: the bpf command
 * @uattr: the caller's attr pointer
 * @usize: the caller's attr size
 *
 * Input pointers are remembered as user addresses in @req->in and left 0
 * in @req->attr until bpfdev_request_copy_inputs(), which runs after the
 * policy has accepted the request, so a denial allocates nothing.
 *
 * Return: 0, or -E2BIG, -EFAULT, -EINVAL as bpf(2) would return them.
 */
int bpfdev_request_snapshot(struct bpfdev_request *req, u32 cmd,
			    u64 uattr, u32 usize)
{
	union bpf_attr s;
	int err;

	req->usize = usize;
	req->uattr = u64_to_user_ptr(uattr);
	req->nbufs = 0;
	memset(&req->in, 0, sizeof(req->in));
	memset(&req->attr, 0, sizeof(req->attr));

	req->cmd = cmd;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	err = copy_struct_from_user(&s, sizeof(s), req->uattr, usize);
	if (err)
		return err;

	switch (cmd) {
	case BPF_MAP_CREATE:
		if (attr_tail_nonzero(&s, BPFDEV_MAP_CREATE_LAST))
			return -EINVAL;
		request_map_create(&req->attr, &s);
		/* of the copy both decisions read: priced once */
		req->map_mem = bpfdev_map_mem(&req->attr);
		return 0;
	case BPF_PROG_LOAD:
		if (attr_tail_nonzero(&s, BPFDEV_PROG_LOAD_LAST))
			return -EINVAL;
		request_prog_load(&req->attr, &s);
		req->in.insns = s.insns;
		req->in.license = s.license;
		req->in.fd_array = s.fd_array;
		req->in.func_info = s.func_info;
		req->in.line_info = s.line_info;
		req->in.core_relos = s.core_relos;
		req->in.func_info_rec_size = s.func_info_rec_size;
		req->in.line_info_rec_size = s.line_info_rec_size;
		req->in.core_relo_rec_size = s.core_relo_rec_size;
		return 0;
	case BPF_BTF_LOAD:
		if (attr_tail_nonzero(&s, BPFDEV_BTF_LOAD_LAST))
			return -EINVAL;
		request_btf_load(&req->attr, &s);
		req->in.btf = s.btf;
		return 0;
	case BPF_MAP_FREEZE:
		if (attr_tail_nonzero(&s, map_fd))
			return -EINVAL;
		req->attr.map_fd = s.map_fd;
		return 0;
	case BPF_LINK_CREATE:
		return request_cgroup_link(&req->attr, &s);
	case BPF_PROG_ATTACH:
	case BPF_PROG_DETACH:
		return request_prog_attach(&req->attr, &s, cmd);
	case BPF_MAP_GET_NEXT_ID:
	case BPF_PROG_GET_NEXT_ID:
	case BPF_BTF_GET_NEXT_ID:
		/* next_id is written back, whatever it held */
		if (attr_tail_nonzero(&s, next_id))
			return -EINVAL;
		req->attr.start_id = s.start_id;
		return 0;
	case BPF_MAP_GET_FD_BY_ID:
		if (attr_tail_nonzero(&s, open_flags))
			return -EINVAL;
		req->attr.map_id = s.map_id;
		req->attr.open_flags = s.open_flags;
		return 0;
	case BPF_PROG_GET_FD_BY_ID:
	case BPF_BTF_GET_FD_BY_ID:
		/* prog_id and btf_id are one field, the last either reads */
		if (attr_tail_nonzero(&s, prog_id))
			return -EINVAL;
		req->attr.prog_id = s.prog_id;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * Copy @len bytes of caller memory at @uptr into a kernel buffer owned by
 * @req and return its address for the attr; 0 for an empty input, which the
 * kernel then does not read. Small inputs go into the request itself: the
 * allocation (charged to the caller's memory cgroup) would be most of the
 * cost of mediating a small program's load.
 */
static int request_dup(struct bpfdev_request *req, u64 uptr, size_t len,
		       u64 *kptr)
{
	size_t aligned = ALIGN(len, sizeof(u64));
	void *buf;

	*kptr = 0;
	if (!len)
		return 0;
	if (aligned >= len && aligned <= sizeof(req->small) - req->small_used) {
		buf = (u8 *)req->small + req->small_used;
		if (copy_from_user(buf, u64_to_user_ptr(uptr), len))
			return -EFAULT;
		req->small_used += aligned;
		*kptr = (u64)(uintptr_t)buf;
		return 0;
	}
	if (WARN_ON_ONCE(req->nbufs >= BPFDEV_MAX_BUFS))
		return -EFAULT;
	buf = kvmalloc(len, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	if (copy_from_user(buf, u64_to_user_ptr(uptr), len)) {
		kvfree(buf);
		return -EFAULT;
	}
	req->bufs[req->nbufs++] = buf;
	*kptr = (u64)(uintptr_t)buf;
	return 0;
}

/*
 * fd_array has no length: the verifier reads fd_array[imm] for ldimm64
 * map-index instructions and fd_array[off] for kfunc calls into module BTF.
 * The copy is sized from the (kernel copy of the) instructions, by the one
 * pass over them (insns.c), so that every index the verifier will use is
 * inside it; a negative index would read in front of the buffer.
 */

/* A func_info/line_info/core_relo array: cnt records of rec_size bytes. */
static int request_dup_records(struct bpfdev_request *req, u64 uptr,
			       u32 cnt, u32 rec_size, u32 cnt_max, u64 *kptr)
{
	*kptr = 0;
	if (!cnt)
		return 0;
	/* The verifier rejects these too, before reading the records. */
	if (rec_size > BPFDEV_REC_SIZE_MAX || cnt > cnt_max)
		return -EINVAL;
	if ((size_t)cnt * rec_size > BPFDEV_RECORDS_MAX)
		return -E2BIG;
	return request_dup(req, uptr, (size_t)cnt * rec_size, kptr);
}

static int request_prog_load_inputs(struct bpfdev_request *req)
{
	union bpf_attr *k = &req->attr;
	long len;
	int err;

	if (!k->insn_cnt || k->insn_cnt > BPFDEV_INSN_MAX_LIMIT)
		return -E2BIG;
	err = request_dup(req, req->in.insns,
			  (size_t)k->insn_cnt * sizeof(struct bpf_insn),
			  &k->insns);
	if (err)
		return err;

	len = strncpy_from_user(req->license, u64_to_user_ptr(req->in.license),
				sizeof(req->license) - 1);
	if (len < 0)
		return -EFAULT;
	req->license[len] = '\0';
	k->license = (u64)(uintptr_t)req->license;

	err = bpfdev_insns_scan((const struct bpf_insn *)(uintptr_t)k->insns,
				k->insn_cnt, &req->insns);
	if (err)
		return err;
	if (req->in.fd_array) {
		err = request_dup(req, req->in.fd_array,
				  (size_t)req->insns.fd_array_len * sizeof(int),
				  &k->fd_array);
		if (err)
			return err;
	}

	err = request_dup_records(req, req->in.func_info, k->func_info_cnt,
				  k->func_info_rec_size, BPF_MAX_SUBPROGS,
				  &k->func_info);
	if (err)
		return err;
	err = request_dup_records(req, req->in.line_info, k->line_info_cnt,
				  k->line_info_rec_size, k->insn_cnt,
				  &k->line_info);
	if (err)
		return err;
	return request_dup_records(req, req->in.core_relos, k->core_relo_cnt,
				   k->core_relo_rec_size, k->insn_cnt,
				   &k->core_relos);
}

/**
 * bpfdev_request_copy_inputs() - copy the inputs the kernel will read
 * @req: a request the policy accepted
 *
 * Return: 0, -EFAULT, -E2BIG, -EINVAL or -ENOMEM.
 */
int bpfdev_request_copy_inputs(struct bpfdev_request *req)
{
	union bpf_attr *k = &req->attr;

	switch (req->cmd) {
	case BPF_PROG_LOAD:
		return request_prog_load_inputs(req);
	case BPF_BTF_LOAD:
		if (k->btf_size > BPFDEV_BTF_MAX_LIMIT)
			return -E2BIG;
		return request_dup(req, req->in.btf, k->btf_size, &k->btf);
	default:
		return 0;
	}
}

/*
 * bpf(2) writes some results into the caller's attr. kern_sys_bpf() writes
 * them into ours; they are copied out after the call. Probing the caller's
 * fields before the call means a bad attr fails before an object exists,
 * instead of after its fd was installed.
 */
static bool request_covers(const struct bpfdev_request *req, size_t end)
{
	return req->usize >= end;
}

/**
 * bpfdev_request_prepare_writeback() - check the caller's output fields
 * @req: the request
 *
 * Return: 0 or -EFAULT.
 */
int bpfdev_request_prepare_writeback(const struct bpfdev_request *req)
{
	size_t off = bpfdev_log_true_size_offset(req->cmd);

	if (off && request_covers(req, off + sizeof(u32)))
		return put_user(0, (u32 __user *)((char __user *)req->uattr + off));
	return 0;
}

static void writeback_u32(const struct bpfdev_request *req, size_t off,
			 u32 val)
{
	if (request_covers(req, off + sizeof(u32)))
		(void)put_user(val, (u32 __user *)((char __user *)req->uattr + off));
}

/* A record size the kernel changed: the size it expects, on -E2BIG. */
#define writeback_rec_size(req, field)					\
	do {								\
		if ((req)->attr.field != (req)->in.field)		\
			writeback_u32(req,				\
				      offsetof(union bpf_attr, field),	\
				      (req)->attr.field);		\
	} while (0)

/**
 * bpfdev_request_writeback() - copy bpf(2)'s write-backs to the caller
 * @req: the request after the call
 *
 * A fault here cannot undo an fd that is already installed; the fields were
 * probed before the call, so only a caller racing against itself loses them.
 */
void bpfdev_request_writeback(const struct bpfdev_request *req)
{
	size_t off = bpfdev_log_true_size_offset(req->cmd);

	if (req->cmd == BPF_PROG_LOAD) {
		writeback_rec_size(req, func_info_rec_size);
		writeback_rec_size(req, line_info_rec_size);
		writeback_rec_size(req, core_relo_rec_size);
	}
	if (off)
		writeback_u32(req, off,
			      *(const u32 *)((const char *)&req->attr + off));
}

/**
 * bpfdev_request_free() - free the kernel copies of a request's inputs
 * @req: the request
 */
void bpfdev_request_free(struct bpfdev_request *req)
{
	while (req->nbufs)
		kvfree(req->bufs[--req->nbufs]);
}
