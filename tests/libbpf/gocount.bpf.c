// SPDX-License-Identifier: GPL-2.0
/* gocoll's object: datagrams counted by length in a BTF-described map */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("socket")
int count_len(struct __sk_buff *skb)
{
	__u32 key = skb->len;
	__u64 one = 1, *v = bpf_map_lookup_elem(&counts, &key);

	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&counts, &key, &one, BPF_ANY);
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
