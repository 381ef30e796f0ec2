// SPDX-License-Identifier: GPL-2.0
/*
 * An ordinary libbpf kprobe program, built without any knowledge of
 * bpfdev: open, set .rodata, load and attach a kprobe and a kretprobe
 * (perf_event_open) on vfs_write(), write to /dev/null and read the .bss
 * counters. Exits 0 and prints "kprobecount: ok ..." when every write was
 * counted, once, on entry and on return.
 *
 * "kprobecount edges" loads it and prints, instead, how three attaches end
 * (the errno's name): to a function that does not exist, at an offset
 * into vfs_write(), and PERF_EVENT_IOC_SET_BPF of the program on an
 * eventfd, which is no perf event.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/perf_event.h>

#include <bpf/libbpf.h>

#include "kprobecount.skel.h"

#define WRITES	10

/* The errno of an attach that may fail, by name */
static const char *attach_errno(struct bpf_link *link)
{
	int err = link ? 0 : errno;

	bpf_link__destroy(link);
	return err ? strerrorname_np(err) : "0";
}

/* kprobecount edges: how attaches the interposer must not serve end */
static int edges(struct kprobecount_bpf *skel)
{
	struct bpf_kprobe_opts at_offset = { .sz = sizeof(at_offset),
					     .offset = 4 };
	struct bpf_program *prog = skel->progs.count_entries;
	int e = eventfd(0, EFD_CLOEXEC);

	printf("kprobecount: unknown function: %s\n",
	       attach_errno(bpf_program__attach_kprobe(prog, false,
						       "bpfdev_no_such_fn")));
	printf("kprobecount: offset: %s\n",
	       attach_errno(bpf_program__attach_kprobe_opts(prog, "vfs_write",
							    &at_offset)));
	printf("kprobecount: set_bpf on an eventfd: %s\n",
	       ioctl(e, PERF_EVENT_IOC_SET_BPF, bpf_program__fd(prog)) ?
	       strerrorname_np(errno) : "0");
	close(e);
	kprobecount_bpf__destroy(skel);
	return 0;
}

int main(int argc, char **argv)
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
	if (argc > 1 && !strcmp(argv[1], "edges"))
		return edges(skel);
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
