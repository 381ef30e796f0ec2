// SPDX-License-Identifier: GPL-2.0
/*
 * bpfdev-run: run a command with libbpfdev preloaded, so that its bpf(2)
 * calls that need privilege go through /dev/bpf. Like fakeroot or torsocks,
 * but without staying around: it sets LD_PRELOAD and execs the command, so
 * the command's exit status and signals are its own. With --explain it
 * stays, to say afterwards which requests the device refused, and why.
 * A command the interposer cannot reach (static, musl, Go: its ELF file
 * says so) is run under the supervisor instead (supervise.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/bpfdev.h>

#include "supervise.h"

/* The library, relative to the directory bpfdev-run is installed in. */
#ifndef BPFDEV_LIBRARY_REL
#define BPFDEV_LIBRARY_REL "../lib/x86_64-linux-gnu/libbpfdev.so.0"
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bpfdev-run [--explain] [--interpose|--supervise] [--if-granted]\n"
		"                  [-p PROFILE] COMMAND [ARG]...\n"
		"Run COMMAND with its bpf(2) commands that need privilege sent\n"
		"through /dev/bpf (see bpfdev-run(1)): by libbpfdev, preloaded\n"
		"(--interpose), or for static, musl and Go programs by a seccomp\n"
		"supervisor (--supervise; sets no_new_privs); by default, the one\n"
		"the program needs. --explain: interpose, then print each request\n"
		"the device refused, and why.\n"
		"--if-granted: run COMMAND unchanged, without bpfdev, unless\n"
		"the device opens for writing and the caller is unprivileged.\n"
		"-p PROFILE: through the profile's /dev/bpf-PROFILE instead.\n");
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

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * The node the library uses: $BPFDEV_DEVICE, else $BPFDEV_PROFILE's
 * (libbpfdev checks the name; a wrong one opens nothing), else /dev/bpf.
 */
static const char *device_path(char *buf, size_t len)
{
	const char *p = secure_getenv("BPFDEV_DEVICE");

	if (p && *p)
		return p;
	p = secure_getenv("BPFDEV_PROFILE");
	if (!p || !*p || !strcmp(p, "default"))
		return "/dev/bpf";
	snprintf(buf, len, "/dev/bpf-%s", p);
	return buf;
}

/* Print the refusals the device recorded for this user since @since. */
static void print_refusals(unsigned long long since)
{
	char buf[PATH_MAX];
	const char *path = device_path(buf, sizeof(buf));
	struct bpfdev_refusal r[64];
	struct bpfdev_refusals q = {
		.size = sizeof(q), .uid = BPFDEV_REFUSALS_OWN,
		.count = sizeof(r) / sizeof(r[0]),
		.refusals = (__u64)(unsigned long)r, .refusal_size = sizeof(r[0]),
	};
	int fd, i, n = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, BPFDEV_IOC_REFUSALS, &q)) {
		fprintf(stderr, "bpfdev-run: cannot read the refusals: %s\n",
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	/* newest first: print them in the order they happened */
	for (i = (int)q.count - 1; i >= 0; i--) {
		if (r[i].time_ns < since)
			continue;
		n++;
		fprintf(stderr, "bpfdev-run: refused: %s%s%s%s%s%s%s: %s (%s)",
			r[i].op, r[i].prog_type[0] ? " prog_type=" : "",
			r[i].prog_type, r[i].attach_type[0] ? " attach_type=" : "",
			r[i].attach_type, r[i].map_type[0] ? " map_type=" : "",
			r[i].map_type, r[i].reason,
			strerrorname_np((int)r[i].err) ?: "?");
		if (r[i].limit_name[0])
			fprintf(stderr, ": %s is %llu, it asked for %llu",
				r[i].limit_name, (unsigned long long)r[i].limit,
				(unsigned long long)r[i].value);
		fprintf(stderr, " [pid %u %s]\n", r[i].pid, r[i].comm);
	}
	if (!n)
		fprintf(stderr, "bpfdev-run: the device refused nothing\n");
}

/*
 * LD_PRELOAD without libbpfdev: a supervised program issues its own bpf(2)
 * calls, and the module would refuse the interposer's ioctls from under
 * the supervisor's seccomp filter.
 */
static int strip_library(const char *old)
{
	char *copy, *tok, *save, *out;
	const char *base;
	size_t len;

	if (!old || !*old)
		return 0;
	copy = strdup(old);
	out = calloc(1, strlen(old) + 1);
	if (!copy || !out)
		return -1;
	for (tok = strtok_r(copy, " :", &save); tok;
	     tok = strtok_r(NULL, " :", &save)) {
		base = strrchr(tok, '/') ? strrchr(tok, '/') + 1 : tok;
		if (!strncmp(base, "libbpfdev.so", strlen("libbpfdev.so")))
			continue;
		len = strlen(out);
		sprintf(out + len, "%s%s", len ? ":" : "", tok);
	}
	free(copy);
	if (*out ? setenv("LD_PRELOAD", out, 1) : unsetenv("LD_PRELOAD"))
		return -1;
	free(out);
	return 0;
}

static pid_t child;

/* Termination asked of bpfdev-run is asked of the command. */
static void forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

/*
 * --explain: run the command as a child, then say what was refused. As
 * system(3): the terminal's SIGINT and SIGQUIT reach the command and
 * bpfdev-run waits for it; SIGTERM and SIGHUP are passed on. Ends as the
 * command did, by its signal if one killed it.
 */
static int explain(char **argv)
{
	unsigned long long since = now_ns();
	struct sigaction ign = { .sa_handler = SIG_IGN };
	struct sigaction fwd = { .sa_handler = forward };
	struct sigaction old_int, old_quit;
	int status;

	fflush(NULL);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	child = fork();
	if (child < 0) {
		fprintf(stderr, "bpfdev-run: fork: %s\n", strerror(errno));
		return 125;
	}
	if (!child) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		execvp(argv[0], argv);
		fprintf(stderr, "bpfdev-run: %s: %s\n", argv[0],
			strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	sigaction(SIGTERM, &fwd, NULL);
	sigaction(SIGHUP, &fwd, NULL);
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return 125;
	print_refusals(since);
	if (WIFSIGNALED(status)) {
		signal(WTERMSIG(status), SIG_DFL);
		raise(WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}

/* Exec @argv; if that fails, bpfdev-run's exit status */
static int exec_command(char **argv)
{
	execvp(argv[0], argv);
	fprintf(stderr, "bpfdev-run: %s: %s\n", argv[0], strerror(errno));
	/* as env(1): 127 for a command not found, 126 for one not runnable */
	return errno == ENOENT ? 127 : 126;
}

int main(int argc, char **argv)
{
	const char *lib = getenv("BPFDEV_LIBRARY");
	const char *old = getenv("LD_PRELOAD");
	int explaining = 0, supervising = -1, if_granted = 0, fd;
	char *preload, buf[PATH_MAX], why[320];

	for (;;) {
		if (argc >= 2 && !strcmp(argv[1], "--explain")) {
			explaining = 1;
			argv++;
			argc--;
		} else if (argc >= 2 && !strcmp(argv[1], "--supervise")) {
			supervising = 1;
			argv++;
			argc--;
		} else if (argc >= 2 && !strcmp(argv[1], "--if-granted")) {
			if_granted = 1;
			argv++;
			argc--;
		} else if (argc >= 2 && !strcmp(argv[1], "--interpose")) {
			supervising = 0;
			argv++;
			argc--;
		} else if (argc >= 3 && (!strcmp(argv[1], "-p") ||
					 !strcmp(argv[1], "--profile"))) {
			/* the library's $BPFDEV_PROFILE, over any device */
			if (!*argv[2] || strchr(argv[2], '/') ||
			    setenv("BPFDEV_PROFILE", argv[2], 1) ||
			    unsetenv("BPFDEV_DEVICE")) {
				usage(stderr);
				return 125;
			}
			argv += 2;
			argc -= 2;
		} else {
			break;
		}
	}
	if (argc < 2) {
		usage(stderr);
		return 125;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	/*
	 * For a wrapper that runs for everyone (a user@.service drop-in):
	 * nothing of bpfdev for whoever has no use for it, not even the
	 * library in the process.
	 */
	if (if_granted) {
		fd = privileged() ? -1 : open(device_path(buf, sizeof(buf)),
					     O_RDWR | O_CLOEXEC | O_NOCTTY);
		if (fd >= 0)
			close(fd);
		if (fd < 0) {
			if (strip_library(old))
				return 125;
			return exec_command(argv + 1);
		}
	}
	if (supervising == 1 && explaining) {
		fprintf(stderr, "bpfdev-run: --explain and --supervise do not mix\n");
		return 125;
	}
	if (supervising < 0) {
		/* the program decides: --explain is the interposer's */
		supervising = !explaining &&
			      supervise_wanted(argv[1], why, sizeof(why));
		if (explaining)
			snprintf(why, sizeof(why), "--explain");
		if (secure_getenv("BPFDEV_DEBUG") &&
		    !strcmp(secure_getenv("BPFDEV_DEBUG"), "1"))
			fprintf(stderr, "bpfdev-run: %s: %s (%s)\n", argv[1],
				supervising ? "supervised" : "interposed", why);
	}
	if (supervising) {
		/* never the interposer too: the module refuses seccomp'd callers */
		if (strip_library(old))
			return 125;
		return supervise(device_path(buf, sizeof(buf)), argv + 1);
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
	if (explaining)
		return explain(argv + 1);
	return exec_command(argv + 1);
}
