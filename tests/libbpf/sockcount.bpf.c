// SPDX-License-Identifier: GPL-2.0
/*
 * A socket filter with the pieces libbpf programs have: a .rodata constant
 * set by the loader before load (libbpf freezes .rodata: BPF_MAP_FREEZE),
 * .bss counters, and a ringbuf of events.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 watch_len = 0;	/* .rodata */
__u64 packets = 0;			/* .bss */
__u64 matched = 0;			/* .bss */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct event {
	__u32 len;
	__u32 seq;
};

SEC("socket")
int count_packets(struct __sk_buff *skb)
{
	struct event *e;

	__sync_fetch_and_add(&packets, 1);
	if (skb->len != watch_len)
		return skb->len;
	__sync_fetch_and_add(&matched, 1);
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (e) {
		e->len = skb->len;
		e->seq = (__u32)packets;
		bpf_ringbuf_submit(e, 0);
	}
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
