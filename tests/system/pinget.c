// SPDX-License-Identifier: GPL-2.0
/*
 * pinget PATH rdonly|rdwr: open a pinned bpf object with BPF_OBJ_GET, read-only
 * (BPF_F_RDONLY, what sharing a map pin 0640 allows) or read-write (what
 * bpftool's plain open asks for). Prints "pinget: ok" or "pinget: ERRNO" and
 * exits 0 or 1. No privilege involved: bpffs checks the pin's mode.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	union bpf_attr attr;
	long fd;

	if (argc != 3 || (strcmp(argv[2], "rdonly") && strcmp(argv[2], "rdwr"))) {
		fprintf(stderr, "usage: pinget PATH rdonly|rdwr\n");
		return 2;
	}
	memset(&attr, 0, sizeof(attr));
	attr.pathname = (unsigned long)argv[1];
	attr.file_flags = strcmp(argv[2], "rdonly") ? 0 : BPF_F_RDONLY;
	fd = syscall(__NR_bpf, BPF_OBJ_GET, &attr, sizeof(attr));
	if (fd < 0) {
		printf("pinget: %s\n", strerrorname_np(errno));
		return 1;
	}
	printf("pinget: ok\n");
	return 0;
}
