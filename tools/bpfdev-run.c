// SPDX-License-Identifier: GPL-2.0
/*
 * bpfdev-run: run a command with libbpfdev preloaded, so that its bpf(2)
 * calls that need privilege go through /dev/bpf. Like fakeroot or torsocks,
 * but without staying around: it sets LD_PRELOAD and execs the command, so
 * the command's exit status and signals are its own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef BPFDEV_LIBRARY
#define BPFDEV_LIBRARY "/usr/lib/x86_64-linux-gnu/libbpfdev.so.0"
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bpfdev-run COMMAND [ARG]...\n"
		"Run COMMAND with libbpfdev preloaded: bpf(2) commands that need\n"
		"privilege go through /dev/bpf (see bpfdev-run(1)).\n");
}

int main(int argc, char **argv)
{
	const char *lib = getenv("BPFDEV_LIBRARY");
	const char *old = getenv("LD_PRELOAD");
	char *preload;

	if (argc < 2) {
		usage(stderr);
		return 125;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!lib || !*lib)
		lib = BPFDEV_LIBRARY;
	if (access(lib, R_OK)) {
		fprintf(stderr, "bpfdev-run: %s: %s\n", lib, strerror(errno));
		return 125;
	}
	if (old && *old) {
		if (asprintf(&preload, "%s:%s", lib, old) < 0)
			return 125;
	} else {
		preload = strdup(lib);
		if (!preload)
			return 125;
	}
	if (setenv("LD_PRELOAD", preload, 1))
		return 125;
	execvp(argv[1], argv + 1);
	fprintf(stderr, "bpfdev-run: %s: %s\n", argv[1], strerror(errno));
	/* as env(1): 127 for a command not found, 126 for one not runnable */
	return errno == ENOENT ? 127 : 126;
}
