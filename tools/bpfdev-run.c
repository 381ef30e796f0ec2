// SPDX-License-Identifier: GPL-2.0
/*
 * bpfdev-run: run a command with libbpfdev preloaded, so that its bpf(2)
 * calls that need privilege go through /dev/bpf. Like fakeroot or torsocks,
 * but without staying around: it sets LD_PRELOAD and execs the command, so
 * the command's exit status and signals are its own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The library, relative to the directory bpfdev-run is installed in. */
#ifndef BPFDEV_LIBRARY_REL
#define BPFDEV_LIBRARY_REL "../lib/x86_64-linux-gnu/libbpfdev.so.0"
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bpfdev-run COMMAND [ARG]...\n"
		"Run COMMAND with libbpfdev preloaded: bpf(2) commands that need\n"
		"privilege go through /dev/bpf (see bpfdev-run(1)).\n");
}

/*
 * The library installed with this bpfdev-run: BPFDEV_LIBRARY_REL from the
 * directory of /proc/self/exe, with that directory's symlinks resolved (the
 * name of the library itself is kept: it is the soname). LD_PRELOAD splits
 * on spaces and colons, so a path with one cannot be preloaded.
 */
static char *own_library(void)
{
	char exe[PATH_MAX], dir[PATH_MAX], *lib, *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0)
		return NULL;
	exe[n] = '\0';
	if (snprintf(dir, sizeof(dir), "%s/%s", dirname(exe),
		     BPFDEV_LIBRARY_REL) >= (int)sizeof(dir))
		return NULL;
	slash = strrchr(dir, '/');
	*slash = '\0';
	if (!realpath(dir, exe))
		return NULL;
	if (asprintf(&lib, "%s/%s", exe, slash + 1) < 0)
		return NULL;
	if (strpbrk(lib, " :\t\n")) {
		free(lib);
		errno = EINVAL;
		return NULL;
	}
	return lib;
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
		lib = own_library();
	if (!lib) {
		fprintf(stderr, "bpfdev-run: %s: %s\n", BPFDEV_LIBRARY_REL,
			strerror(errno));
		return 125;
	}
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
