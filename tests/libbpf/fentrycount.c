// SPDX-License-Identifier: GPL-2.0
/*
 * An ordinary libbpf tracing program, built without any knowledge of
 * bpfdev: open, set .rodata, load and attach an fentry program on
 * vfs_write(), write to /dev/null and read the .bss counter. Exits 0 and
 * prints "fentrycount: ok ..." when every write was counted, once.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "fentrycount.skel.h"

#define WRITES	10

int main(void)
{
	struct fentrycount_bpf *skel;
	int fd, i, err = 1;
	__u64 counted;

	fd = open("/dev/null", O_WRONLY);
	if (fd < 0) {
		perror("fentrycount: /dev/null");
		return 1;
	}
	skel = fentrycount_bpf__open();
	if (!skel) {
		fprintf(stderr, "fentrycount: open: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->tgid = (__u32)getpid();
	if (fentrycount_bpf__load(skel)) {
		fprintf(stderr, "fentrycount: load: %s\n", strerror(errno));
		goto out;
	}
	if (fentrycount_bpf__attach(skel)) {
		fprintf(stderr, "fentrycount: attach: %s\n", strerror(errno));
		goto out;
	}
	for (i = 0; i < WRITES; i++)
		if (write(fd, "x", 1) != 1) {
			perror("fentrycount: write");
			goto out;
		}
	counted = skel->bss->writes;
	printf("fentrycount: %s: wrote %d, counted %llu\n",
	       counted == WRITES ? "ok" : "wrong", WRITES,
	       (unsigned long long)counted);
	err = counted != WRITES;
out:
	fentrycount_bpf__destroy(skel);
	return err;
}
