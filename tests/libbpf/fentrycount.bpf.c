// SPDX-License-Identifier: GPL-2.0
/* An fentry program that counts one process's calls of vfs_write(). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

const volatile __u32 tgid = 0;
__u64 writes = 0;

SEC("fentry/vfs_write")
int BPF_PROG(count_writes)
{
	if (bpf_get_current_pid_tgid() >> 32 == tgid)
		__sync_fetch_and_add(&writes, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
