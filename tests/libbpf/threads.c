// SPDX-License-Identifier: GPL-2.0
/*
 * Several threads load programs and create maps at once through libbpf's
 * low-level API. With --churn, one thread also keeps replacing the fd the
 * interposer opened (as programs that close fds they do not know do), so
 * the interposer must notice and reopen. Exit 0 when every call worked.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#define THREADS		4
#define ROUNDS		50

static int churn;
static int failures;

static int find_device_fd(void)
{
	char path[300], target[64];
	struct dirent *e;
	DIR *d = opendir("/proc/self/fd");
	int fd = -1;
	ssize_t n;

	while (d && (e = readdir(d))) {
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n > 0) {
			target[n] = '\0';
			if (!strcmp(target, "/dev/bpf"))
				fd = atoi(e->d_name);
		}
	}
	if (d)
		closedir(d);
	return fd;
}

static void *worker(void *arg)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	long id = (long)arg;
	int i, prog, map, devfd, null;

	for (i = 0; i < ROUNDS; i++) {
		prog = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL",
				     insns, 2, NULL);
		map = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 8, 4, NULL);
		if (prog < 0 || map < 0) {
			fprintf(stderr, "thread %ld round %d: prog %d map %d\n",
				id, i, prog, map);
			__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
		}
		if (prog >= 0)
			close(prog);
		if (map >= 0)
			close(map);
		if (churn && id == 0 && (devfd = find_device_fd()) >= 0) {
			/* what a careless program does to fds it did not open */
			null = open("/dev/null", O_RDONLY);
			dup2(null, devfd);
			close(null);
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[THREADS];
	long i;

	churn = argc > 1 && !strcmp(argv[1], "--churn");
	for (i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	printf("threads: %d threads x %d rounds, %d failures\n", THREADS,
	       ROUNDS, failures);
	return failures ? 1 : 0;
}
