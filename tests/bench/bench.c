// SPDX-License-Identifier: GPL-2.0
/*
 * bpfdev_bench ROUNDS [PHASES]: what delegation costs, measured in the VM (as
 * root). PHASES: a comma-separated list of the phases below to run (single,
 * mapops, conc, auditd; default all of them). make bench runs the
 * concurrency phase in a boot of its own, with two vCPUs, and the others in
 * boots with QEMU's instruction counting and one vCPU, where the guest's
 * clock counts executed instructions: "ns" is then instructions.
 *
 * The coordinator starts worker processes (worker.c: dev, cap, root, token,
 * shim, plain) and asks them for timed samples, the modes of an operation
 * interleaved round by round (the order alternates), in one boot. Output:
 * CSV "op,mode,round,ns" on stdout, ns per operation; diagnostics on stderr
 * as "bench: ..." lines.
 *
 * Auditing is disabled first (audit.c): the Debian default without auditd.
 * Phases and their CSV ops:
 *   single       prog_load_2, prog_load_4k, prog_load_100k, map_create (an
 *                array of 1 entry), map_create_hash (a hash of 64 entries),
 *                btf_load; modes dev, cap, root and token (6.9+ kernels
 *                only: skipped where BPF_TOKEN_CREATE does not exist),
 *                and sv (the member supervised by bpfdev-run --supervise)
 *   mapops       map_update, map_lookup, map_delete; modes shim and plain
 *                (started in that order), sv (the filter runs on each
 *                call, none is sent to the supervisor), shim2 and plain2
 *                (two more such workers, started the other way round); and
 *                map_update@fork etc., modes shim and plain: every sample
 *                in a child freshly forked by the shim or plain worker, so
 *                that no process placement lasts more than one sample
 *   conc         prog_load_2@one, map_create@one: CONC_N operations by one
 *                worker; prog_load_2@two, map_create@two: the same number
 *                split over two workers of the mode running at once (from
 *                the start of the first to the end of the last); modes dev,
 *                cap, token; ns = that time / CONC_N; and
 *                prog_load_2@one_spin, @one_sleep, @two_spin, @two_sleep
 *                (and map_create's): the lock contentions of the machine
 *                during each (contention.c), spinning (LCB_F_SPIN: a
 *                spinlock, or a mutex's optimistic spin) and the others,
 *                in "ns" as hits per 1,000 operations
 *   auditd       prog_load_2@auditd, map_create@auditd, btf_load@auditd;
 *                modes dev and cap; auditing enabled and a listener
 *                registered as the audit daemon, draining its socket
 * Exit status 1 if a sample failed (its line is left out of the CSV).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

struct worker {
	const char *mode;	/* as in the CSV */
	const char *role;	/* what worker.c sets it up as */
	pid_t pid;
	int to, from;
	int up;
};

/* in the order they are started: shim2/plain2 the other way round */
enum { W_DEV, W_CAP, W_ROOT, W_TOKEN, W_SHIM, W_PLAIN, W_PLAIN2, W_SHIM2,
       W_DEV2, W_CAP2, W_TOKEN2, W_SV, W_MAX };

static struct worker workers[W_MAX] = {
	[W_DEV] = { "dev", "dev" }, [W_CAP] = { "cap", "cap" },
	[W_ROOT] = { "root", "root" }, [W_TOKEN] = { "token", "token" },
	[W_SHIM] = { "shim", "shim" }, [W_PLAIN] = { "plain", "plain" },
	[W_PLAIN2] = { "plain2", "plain" }, [W_SHIM2] = { "shim2", "shim" },
	[W_DEV2] = { "dev", "dev" }, [W_CAP2] = { "cap", "cap" },
	[W_TOKEN2] = { "token", "token" }, [W_SV] = { "sv", "sv" },
};

#ifndef BPFDEV_RUN
#define BPFDEV_RUN "/usr/bin/bpfdev-run"
#endif

static int failures;

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* a diagnostic line on stderr, after what stdout has so far */
static void note(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	fprintf(stderr, "bench: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void start(struct worker *w, const char *self, int with_token)
{
	int p1[2], p2[2], s[2] = { -1, -1 };

	if (pipe2(p1, O_CLOEXEC) || pipe2(p2, O_CLOEXEC) ||
	    (with_token &&
	     socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s)))
		exit(92);
	fflush(stdout);
	w->pid = fork();
	if (w->pid < 0)
		exit(92);
	if (w->pid == 0) {
		char in[16], out[16], sock[16];

		/* the worker's ends, and only those, survive the exec */
		if (fcntl(p1[0], F_SETFD, 0) || fcntl(p2[1], F_SETFD, 0) ||
		    (s[1] >= 0 && fcntl(s[1], F_SETFD, 0)))
			_exit(93);
		snprintf(in, sizeof(in), "%d", p1[0]);
		snprintf(out, sizeof(out), "%d", p2[1]);
		snprintf(sock, sizeof(sock), "%d", s[1]);
		bench_fifo();
		if (!strcmp(w->role, "shim"))
			setenv("LD_PRELOAD", BPFDEV_LIBRARY, 1);
		if (!strcmp(w->role, "sv")) {
			/* the supervisor runs as the member, as a user's */
			bench_become(0);
			execl(BPFDEV_RUN, BPFDEV_RUN, "--supervise", self,
			      "--worker", w->role, in, out, sock,
			      (char *)NULL);
			_exit(93);
		}
		execl(self, self, "--worker", w->role, in, out, sock,
		      (char *)NULL);
		_exit(93);
	}
	close(p1[0]);
	close(p2[1]);
	w->to = p1[1];
	w->from = p2[0];
	w->up = 1;
	if (with_token) {
		close(s[1]);
		if (token_broker(s[0], w->pid)) {
			close(w->to);
			close(w->from);
			waitpid(w->pid, NULL, 0);
			w->up = 0;
		}
		close(s[0]);
	}
}

static int send_req(struct worker *w, int op, int reps, int fork_each)
{
	struct bench_req q = { .op = op, .reps = reps, .fork_each = fork_each };

	return write(w->to, &q, sizeof(q)) == sizeof(q) ? 0 : -1;
}

/* The worker's answer to send_req(): 0, or -1 (counted and reported). */
static int get_rep(struct worker *w, const char *op, struct bench_rep *p)
{
	if (read(w->from, p, sizeof(*p)) != sizeof(*p))
		p->err = EPIPE;
	if (!p->err)
		return 0;
	failures++;
	note("%s, mode %s: sample failed: %s", op, w->mode, strerror(p->err));
	return -1;
}

static void emit(const char *op, const char *suffix, const char *mode,
		 int round, uint64_t ns)
{
	printf("%s%s,%s,%d,%llu\n", op, suffix, mode, round,
	       (unsigned long long)ns);
}

/*
 * One round of @op for the workers @ws, in that order on even rounds and
 * the other way round on odd ones; with @al, each sample once the audit
 * queue is empty.
 */
static void round_of(const int *ws, int n, int op, const char *suffix,
		     int fork_each, int r, struct audit_listener *al)
{
	struct bench_rep p;
	int i;

	for (i = 0; i < n; i++) {
		struct worker *w = &workers[ws[(r & 1) ? n - 1 - i : i]];

		if (!w->up)
			continue;
		if (al && audit_settle(al))
			note("%s: the audit queue did not empty", op_names[op]);
		/*
		 * The previous sample's objects are freed after RCU grace
		 * periods and in work items: let that finish, or it lands
		 * in this sample, whichever mode it is. A dev sample's go
		 * at the registry's next sweep, within a second
		 * (BPFDEV_OBJECTS_SWEEP); until then they hold their place
		 * in the kernel's allocators (the JIT's pack of small
		 * images), which the next sample's calls search. A counting
		 * boot skips its idle time, so waiting for the sweep costs
		 * nothing there.
		 */
		usleep(bench_counting() ? 1100000 : 20000);
		if (send_req(w, op, op_reps[op], fork_each))
			p.err = EPIPE;
		if (get_rep(w, op_names[op], &p))
			continue;
		emit(op_names[op], suffix, w->mode, r, p.per_op ? p.per_op :
		     (p.t1 - p.t0) / (uint64_t)op_reps[op]);
	}
}

static void phase_single(int rounds)
{
	static const int ws[] = { W_DEV, W_CAP, W_ROOT, W_TOKEN, W_SV };
	int op, r;

	for (op = OP_LOAD_TINY; op <= OP_BTF_LOAD; op++) {
		for (r = 0; r < rounds; r++)
			round_of(ws, 5, op, "", 0, r, NULL);
		fflush(stdout);
	}
}

static void phase_map_ops(int rounds)
{
	static const int pairs[] = { W_SHIM, W_PLAIN, W_SV, W_SHIM2, W_PLAIN2 };
	static const int fresh[] = { W_SHIM, W_PLAIN };
	int op, r;

	for (op = OP_MAP_UPDATE; op <= OP_MAP_DELETE; op++) {
		for (r = 0; r < rounds; r++) {
			round_of(pairs, 5, op, "", 0, r, NULL);
			round_of(fresh, 2, op, "@fork", 1, r, NULL);
		}
		fflush(stdout);
	}
}

/*
 * Concurrency: CONC_N operations by one worker, then split over two of the
 * same mode at once (the order of the two measurements alternates).
 */
static uint64_t conc_one(struct worker *w, int op, int n)
{
	struct bench_rep p;

	if (send_req(w, op, n, 0))
		p.err = EPIPE;
	if (get_rep(w, op_names[op], &p))
		return 0;
	return p.t1 - p.t0;
}

static uint64_t conc_two(struct worker *a, struct worker *b, int op, int n)
{
	struct bench_rep pa, pb;
	int bad = 0;

	if (send_req(a, op, n / 2, 0))
		pa.err = EPIPE;
	if (send_req(b, op, n - n / 2, 0))
		pb.err = EPIPE;
	bad |= get_rep(a, op_names[op], &pa);
	bad |= get_rep(b, op_names[op], &pb);
	if (bad)
		return 0;
	return (pa.t1 > pb.t1 ? pa.t1 : pb.t1) - (pa.t0 < pb.t0 ? pa.t0 : pb.t0);
}

/* Contentions per 1,000 of @n operations since @spin0 and @sleep0 */
static void emit_contention(const char *op, const char *which,
			    const char *mode, int r, int n, uint64_t spin0,
			    uint64_t sleep0)
{
	char name[64];
	uint64_t spin, sleep;

	if (contention_read(&spin, &sleep))
		return;
	snprintf(name, sizeof(name), "%s_spin", which);
	emit(op, name, mode, r, (spin - spin0) * 1000 / (uint64_t)n);
	snprintf(name, sizeof(name), "%s_sleep", which);
	emit(op, name, mode, r, (sleep - sleep0) * 1000 / (uint64_t)n);
}

/* One (@b NULL) or two workers' CONC_N operations, and their contentions */
static uint64_t conc_sample(struct worker *a, struct worker *b, int op,
			    int n, int r, int counting)
{
	uint64_t spin0 = 0, sleep0 = 0, t;

	if (counting && contention_read(&spin0, &sleep0))
		counting = 0;
	t = b ? conc_two(a, b, op, n) : conc_one(a, op, n);
	if (t && counting)
		emit_contention(op_names[op], b ? "@two" : "@one", a->mode, r,
				n, spin0, sleep0);
	return t;
}

static void phase_concurrency(int rounds)
{
	static const int pairs[][2] = {
		{ W_DEV, W_DEV2 }, { W_CAP, W_CAP2 }, { W_TOKEN, W_TOKEN2 },
	};
	static const struct { int op, n; } ops[] = {
		{ OP_LOAD_TINY, 100 }, { OP_MAP_CREATE, 1000 },
	};
	int r, counting, err;
	size_t o, i;

	err = contention_open();
	counting = !err;
	if (err)
		note("lock:contention_begin not counted: %s", strerror(-err));
	for (o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
		int op = ops[o].op, n = ops[o].n;

		for (r = 0; r < rounds; r++)
			for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
				struct worker *a = &workers[pairs[i][0]];
				struct worker *b = &workers[pairs[i][1]];
				uint64_t one, two;

				if (!a->up || !b->up)
					continue;
				if (r & 1) {
					two = conc_sample(a, b, op, n, r,
							  counting);
					one = conc_sample(b, NULL, op, n, r,
							  counting);
				} else {
					one = conc_sample(a, NULL, op, n, r,
							  counting);
					two = conc_sample(a, b, op, n, r,
							  counting);
				}
				if (one)
					emit(op_names[op], "@one", a->mode, r,
					     one / (uint64_t)n);
				if (two)
					emit(op_names[op], "@two", a->mode, r,
					     two / (uint64_t)n);
			}
		fflush(stdout);
	}
	contention_close();
}

static void phase_auditd(int rounds)
{
	static const int ws[] = { W_DEV, W_CAP };
	static const int ops[] = { OP_LOAD_TINY, OP_MAP_CREATE, OP_BTF_LOAD };
	struct audit_listener l;
	long records;
	size_t o;
	int r;

	if (audit_listener_start(&l)) {
		failures++;
		note("no audit listener, @auditd phase skipped");
		return;
	}
	for (o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
		for (r = 0; r < rounds; r++)
			round_of(ws, 2, ops[o], "@auditd", 0, r, &l);
		fflush(stdout);
	}
	records = audit_listener_stop(&l);
	note("the audit listener received %ld messages%s", records,
	     records < 0 ? " (failed)" : "");
	if (records < 0)
		failures++;
}

/* whether the comma-separated list @phases names @name */
static int has_phase(const char *phases, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = phases; (p = strstr(p, name)); p += n)
		if ((p == phases || p[-1] == ',') && (!p[n] || p[n] == ','))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *phases;
	int rounds, i, token;

	if (argc == 6 && !strcmp(argv[1], "--worker"))
		worker_main(argv[2], atoi(argv[3]), atoi(argv[4]),
			    atoi(argv[5]));
	if (argc == 5 && !strcmp(argv[1], "--profile"))
		profile_main(argv[2], argv[3], atoi(argv[4]));
	rounds = argc > 1 ? atoi(argv[1]) : 15;
	if (rounds < 1)
		rounds = 1;
	phases = argc > 2 ? argv[2] : "single,mapops,conc,auditd";
	signal(SIGPIPE, SIG_IGN);

	if (audit_enable(0)) {
		failures++;
		note("could not disable auditing: %s", strerror(errno));
	}
	token = token_supported();
	if (!token)
		note("no BPF_TOKEN_CREATE in this kernel, mode token skipped");
	for (i = 0; i < W_MAX; i++) {
		int is_token = !strcmp(workers[i].role, "token");

		if (is_token && !token)
			continue;
		start(&workers[i], argv[0], is_token);
		if (!workers[i].up) {
			failures++;
			note("worker %s (%s) did not start", workers[i].mode,
			     workers[i].role);
		}
	}

	printf("op,mode,round,ns\n");
	if (has_phase(phases, "single"))
		phase_single(rounds);
	if (has_phase(phases, "mapops"))
		phase_map_ops(rounds);
	if (has_phase(phases, "conc"))
		phase_concurrency(rounds);
	if (has_phase(phases, "auditd"))
		phase_auditd(rounds);

	for (i = 0; i < W_MAX; i++)
		if (workers[i].up)
			close(workers[i].to);
	while (wait(NULL) > 0)
		;
	if (failures)
		note("%d sample(s) or set-up step(s) failed", failures);
	return failures ? 1 : 0;
}
