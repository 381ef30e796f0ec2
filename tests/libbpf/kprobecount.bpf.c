// SPDX-License-Identifier: GPL-2.0
/* A kprobe and a kretprobe that count one process's calls of vfs_write(). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 tgid = 0;
__u64 entries = 0, returns = 0;

SEC("kprobe/vfs_write")
int count_entries(void *ctx)
{
	if (bpf_get_current_pid_tgid() >> 32 == tgid)
		__sync_fetch_and_add(&entries, 1);
	return 0;
}

SEC("kretprobe/vfs_write")
int count_returns(void *ctx)
{
	if (bpf_get_current_pid_tgid() >> 32 == tgid)
		__sync_fetch_and_add(&returns, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
