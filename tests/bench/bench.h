/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfdev_bench: what the coordinator (bench.c), the workers (worker.c), the
 * BPF token set-up (token.c), the audit netlink client (audit.c) and the
 * lock contention counter (contention.c) share.
 */
#ifndef BPFDEV_BENCH_H
#define BPFDEV_BENCH_H

#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum op { OP_LOAD_TINY, OP_LOAD_4K, OP_LOAD_100K, OP_MAP_CREATE,
	  OP_MAP_CREATE_HASH, OP_BTF_LOAD, OP_MAP_UPDATE, OP_MAP_LOOKUP, OP_MAP_DELETE, OP_MAX };
extern const char *const op_names[OP_MAX];
/* operations per timed sample */
extern const int op_reps[OP_MAX];

/*
 * Coordinator to worker: run @reps (at most BENCH_REPS_MAX) of @op, in a
 * child forked for the sample if @fork_each. Worker to coordinator: on one
 * CPU, @per_op, the instructions of the median call (worker.c's run());
 * else @t0 and @t1, CLOCK_MONOTONIC (one clock for all processes) before
 * the first and after the last; and the errno of the first failure (0:
 * all succeeded).
 */
#define BENCH_REPS_MAX	2000

struct bench_req {
	int op;
	int reps;
	int fork_each;
};

struct bench_rep {
	uint64_t t0, t1;
	uint64_t per_op;
	int err;
};

uint64_t now_ns(void);

/* worker.c: a one-CPU machine, make bench's instruction-counting boots */
int bench_counting(void);
/* worker.c: SCHED_FIFO on a one-CPU machine (the counting boots) */
void bench_fifo(void);

/* worker.c: become the member (uid 1000, groups 1000 and bpf), with
 * exactly CAP_BPF if @caps_bpf */
void bench_become(int caps_bpf);

/* worker.c: set up as @role, then serve requests until @in is closed */
void worker_main(const char *role, int in, int out, int token_sock)
	__attribute__((noreturn));
/* worker.c: set up as @role, run @n of the operation named @op, exit */
void profile_main(const char *role, const char *op, int n)
	__attribute__((noreturn));

/*
 * The 6.12 union bpf_attr, as far as the token needs it: Debian 12's
 * <linux/bpf.h> is the 6.1 uapi, which has neither BPF_TOKEN_CREATE nor
 * the *_token_fd fields. Offsets and values from
 * linux-headers-6.12.117+deb12-common/include/uapi/linux/bpf.h, checked by
 * the static assertions in token.c. The 6.1 fields stay where they are.
 */
#define BENCH_BPF_TOKEN_CREATE	36
#define BENCH_BPF_F_TOKEN_FD	(1U << 16)
#define BENCH_BPF_ATTR_SIZE_612	152

union bpf_attr612 {
	union bpf_attr a;		/* the 6.1 fields */
	struct {			/* BPF_MAP_CREATE */
		__u8 pad_[76];		/* ..., map_extra, value_type_btf_obj_fd */
		__s32 map_token_fd;
	} map;
	struct {			/* BPF_PROG_LOAD */
		__u8 pad_[144];		/* ..., core_relo_rec_size, log_true_size */
		__s32 prog_token_fd;
	} prog;
	struct {			/* BPF_BTF_LOAD */
		__u8 pad_[32];		/* ..., btf_log_level, btf_log_true_size */
		__u32 btf_flags;
		__s32 btf_token_fd;
	} btf;
	struct {			/* BPF_TOKEN_CREATE */
		__u32 flags;
		__u32 bpffs_fd;
	} token_create;
	__u8 size_[BENCH_BPF_ATTR_SIZE_612];
};

/* token.c */
int token_supported(void);
int token_child(int sock);
int token_broker(int sock, pid_t child);

/*
 * contention.c: count lock:contention_begin hits from now on (0, or a
 * negative errno); read the counts so far, spinning and the others; stop.
 */
int contention_open(void);
int contention_read(uint64_t *spin, uint64_t *sleep);
void contention_close(void);

/* audit.c */
int audit_enable(unsigned int enabled);
struct audit_listener {
	pid_t pid;
	int stop;	/* closed: unregister and exit */
	int result;	/* from it: how many messages it received */
	int ctl;	/* the coordinator's own audit socket */
};
int audit_settle(struct audit_listener *l);
int audit_listener_start(struct audit_listener *l);
long audit_listener_stop(struct audit_listener *l);

#endif
