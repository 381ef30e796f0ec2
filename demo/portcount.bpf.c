// SPDX-License-Identifier: GPL-2.0
/*
 * Count the packets a cgroup receives, per destination port (IPv4 UDP and
 * TCP), in a hash map. A cgroup_skb ingress program: it sees every packet
 * delivered to a socket of the cgroup, and lets it pass.
 */
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u16);
	__type(value, __u64);
} ports SEC(".maps");

SEC("cgroup_skb/ingress")
int count_ports(struct __sk_buff *skb)
{
	__u8 iph[20];
	__u16 dport;
	__u64 one = 1, *count;
	__u32 ihl;

	if (skb->protocol != bpf_htons(0x0800) ||
	    bpf_skb_load_bytes(skb, 0, iph, sizeof(iph)))
		return 1;
	if (iph[9] != IPPROTO_UDP && iph[9] != IPPROTO_TCP)
		return 1;
	ihl = (iph[0] & 0xf) * 4;
	if (bpf_skb_load_bytes(skb, ihl + 2, &dport, sizeof(dport)))
		return 1;
	dport = bpf_ntohs(dport);
	count = bpf_map_lookup_elem(&ports, &dport);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&ports, &dport, &one, BPF_NOEXIST);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
