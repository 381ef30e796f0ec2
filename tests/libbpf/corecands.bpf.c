// SPDX-License-Identifier: GPL-2.0
/*
 * A CO-RE relocation against a type vmlinux does not have. libbpf then
 * looks for it in every kernel module's BTF (load_module_btfs(): a
 * BPF_BTF_GET_NEXT_ID walk), and libbpf 1.1, Debian 12's, gives up on the
 * whole object when that walk fails; when it ends, the type just does not
 * exist, and the program says so.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct bpfdev_not_in_vmlinux {
	int field;
};

SEC("socket")
int type_exists(struct __sk_buff *skb)
{
	return bpf_core_type_exists(struct bpfdev_not_in_vmlinux);
}

char LICENSE[] SEC("license") = "GPL";
