// SPDX-License-Identifier: GPL-2.0
/*
 * An ordinary libbpf kprobe program, built without any knowledge of
 * bpfdev: open, set .rodata, load and attach a kprobe and a kretprobe (perf_event_open) on
 * vfs_write(), write to /dev/null and read the .bss counters. Exits 0 and
 * prints "kprobecount: ok ..." when every write was counted, once, on entry
 * and on return.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "kprobecount.skel.h"

#define WRITES	10

int main(void)
{
	struct kprobecount_bpf *skel;
	int fd, i, err = 1;
	__u64 in, out;

	fd = open("/dev/null", O_WRONLY);
	if (fd < 0) {
		perror("kprobecount: /dev/null");
		return 1;
	}
	skel = kprobecount_bpf__open();
	if (!skel) {
		fprintf(stderr, "kprobecount: open: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->tgid = (__u32)getpid();
	if (kprobecount_bpf__load(skel)) {
		fprintf(stderr, "kprobecount: load: %s\n", strerror(errno));
		goto done;
	}
	if (kprobecount_bpf__attach(skel)) {
		fprintf(stderr, "kprobecount: attach: %s\n", strerror(errno));
		goto done;
	}
	for (i = 0; i < WRITES; i++)
		if (write(fd, "x", 1) != 1) {
			perror("kprobecount: write");
			goto done;
		}
	in = skel->bss->entries;
	out = skel->bss->returns;
	err = in != WRITES || out != WRITES;
	printf("kprobecount: %s: wrote %d, counted %llu in, %llu out\n",
	       err ? "wrong" : "ok", WRITES, (unsigned long long)in,
	       (unsigned long long)out);
done:
	kprobecount_bpf__destroy(skel);
	return err;
}
