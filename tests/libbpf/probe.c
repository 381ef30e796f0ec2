// SPDX-License-Identifier: GPL-2.0
/* libbpf's own feature probes, one line each: "prog socket_filter 1". */
#include <stdio.h>

#include <bpf/libbpf.h>

int main(void)
{
	static const struct {
		const char *name;
		enum bpf_prog_type type;
	} progs[] = {
		{ "socket_filter", BPF_PROG_TYPE_SOCKET_FILTER },
		{ "cgroup_skb", BPF_PROG_TYPE_CGROUP_SKB },
		{ "xdp", BPF_PROG_TYPE_XDP },
	};
	static const struct {
		const char *name;
		enum bpf_map_type type;
	} maps[] = {
		{ "hash", BPF_MAP_TYPE_HASH },
		{ "array", BPF_MAP_TYPE_ARRAY },
		{ "ringbuf", BPF_MAP_TYPE_RINGBUF },
		{ "percpu_array", BPF_MAP_TYPE_PERCPU_ARRAY },
		{ "lru_hash", BPF_MAP_TYPE_LRU_HASH },
	};
	unsigned int i;

	for (i = 0; i < sizeof(progs) / sizeof(progs[0]); i++)
		printf("prog %s %d\n", progs[i].name,
		       libbpf_probe_bpf_prog_type(progs[i].type, NULL));
	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		printf("map %s %d\n", maps[i].name,
		       libbpf_probe_bpf_map_type(maps[i].type, NULL));
	return 0;
}
