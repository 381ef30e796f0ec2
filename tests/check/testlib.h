/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers of the bpfdev VM tests. The test binary starts as root in
 * the guest; each test runs in its own process (Check's fork mode) and
 * becomes the user it tests as, for good.
 */
#ifndef BPFDEV_TESTLIB_H
#define BPFDEV_TESTLIB_H

#include <check.h>
#include <linux/bpf.h>
#include <linux/bpfdev.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MEMBER_UID	1000
#define OUTSIDER_UID	1001
#define MEMBER2_UID	1002
#define DEV_PATH	"/dev/bpf"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))
#define ptr_to_u64(p)	((__u64)(uintptr_t)(p))
#define attr_end(field)	(offsetof(union bpf_attr, field) + \
			 sizeof(((union bpf_attr *)0)->field))

/* Instructions (the kernel's filter.h macros are not uapi). */
#define INSN_MOV64_IMM(dst, v) \
	((struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K, \
			    .dst_reg = (dst), .imm = (v) })
#define INSN_EXIT() ((struct bpf_insn){ .code = BPF_JMP | BPF_EXIT })
#define INSN_LD_MAP_FD(dst, fd)						\
	((struct bpf_insn){ .code = BPF_LD | BPF_DW | BPF_IMM,		\
			    .dst_reg = (dst), .src_reg = BPF_PSEUDO_MAP_FD, \
			    .imm = (fd) }),				\
	((struct bpf_insn){ 0 })

/* Who a test runs as. */
void become_member(void);
void become_outsider(void);
int bpf_gid(void);

/* Become the member and open /dev/bpf read-write. */
int member_dev(void);

/* Send a datagram from @tx to @to; did it reach @rx within 300 ms? */
struct sockaddr_in;
int datagram_arrives(int rx, int tx, const struct sockaddr_in *to);

/* A counter of /sys/class/misc/bpf/stats/. */
/*
 * /sys/fs/cgroup/<name>-<pid>, made and given to the member as systemd's
 * Delegate= would; its path in @path (name may hold a parent: "a-1/b").
 */
void delegated_cgroup(char *path, size_t len, const char *name);
/* this process into the cgroup @cg */
void cgroup_enter(const char *cg);
/* the number after @key ("": at the start) in the file @path */
long file_value(const char *path, const char *key);
long stats_counter(const char *name);

/* bpf(2) directly, and the same command through an open /dev/bpf. */
int sys_bpf(int cmd, union bpf_attr *attr, unsigned int size);
int dev_bpf(int devfd, int cmd, union bpf_attr *attr, unsigned int size);
int dev_open(int flags);
int dev_info(int devfd, struct bpfdev_info *info);
/* BPFDEV_IOC_NARROW to these masks and limits (~0: keep; 0: keep), cloexec. */
int dev_narrow(int dev, __u64 progs, __u64 maps, __u32 progs_max,
	       __u32 maps_max);

/* Close @fd if the call made one: 0, or -errno if the call failed. */
int fd_result(int fd);
/* Through @dev: a socket filter returning 0; a map of @type, 4 entries. */
int dev_load_sf(int dev);
int dev_map(int dev, __u32 type);
/* A BTF blob of @types 4-byte ints, all named "int" (malloc'd). */
void *btf_blob(__u32 types, __u32 *size);
/* BPF_BTF_LOAD of @blob through @dev: an fd, or -1 and errno. */
int dev_load_btf(int dev, const void *blob, __u32 size);
/* In a forked child: become @uid with @groups for good, or _exit(91). */
void become_ids(uid_t uid, const gid_t *groups, int n);
/*
 * Be @uid (real and effective) with @groups until ids_leave(), root kept
 * as the saved ids: files opened and calls made in between are @uid's.
 */
void ids_enter(uid_t uid, const gid_t *groups, int n);
void ids_leave(void);

/* Attr builders. */
void attr_prog(union bpf_attr *a, __u32 type, const struct bpf_insn *insns,
	       __u32 cnt);
void attr_map(union bpf_attr *a, __u32 type, __u32 key, __u32 value,
	      __u32 entries);

/*
 * Run fn(arg) in a child that is the member user holding exactly @caps
 * (a bit per CAP_*): the fair baseline for what bpfdev raises. Returns what
 * fn returned (for example -errno).
 */
int run_capped(__u64 caps, int (*fn)(void *), void *arg);

/*
 * Objects in the system, counted by a root helper process started before
 * the tests: IDs only grow, so "no ID above the highest seen before" proves
 * nothing was created, even while earlier tests' objects are being freed.
 */
struct objs {
	__u32 progs, maps, btfs, links;
	__u32 max_prog, max_map, max_btf, max_link;
};

void root_helper_start(void);
void objs_snapshot(struct objs *o);
int objs_created_since(const struct objs *before);
/*
 * Wait (up to 5 s) until the live counts are no more than @before's:
 * objects of earlier tests may go meanwhile, and bpfdev's registry frees
 * an object up to a second after its last other holder let go.
 */
int objs_settle_to(const struct objs *before);

/* Module parameters, written by the root helper; reset after each test. */
int root_param_write(const char *name, const char *value);
void root_params_reset(void);

/*
 * A veth pair: VETH (VETH_ADDR/24) here, its peer in a netns of its own
 * with a UDP echo server at VETH_PEER_ADDR:VETH_ECHO_PORT, until
 * veth_stop() kills the peer and the pair is gone.
 */
#define VETH		"bpfdev0"
#define VETH_PEER	"bpfdev1"
#define VETH_ADDR	"10.201.0.1"
#define VETH_PEER_ADDR	"10.201.0.2"
#define VETH_ECHO_PORT	9007
#define VETH_ECHO_PORT_S "9007"
pid_t veth_start(void);
void veth_stop(pid_t pid);

/*
 * bpfdev(4)'s EXAMPLES (man_examples.awk): how many, the options of the
 * @i-th ("name=value", NULL-ended), whether options delegate program type
 * @type, the first example that does (or NULL), and a grant of exactly
 * @opts written by the root helper (0, or the first write's -errno).
 */
size_t man_examples_count(void);
const char *const *man_example_opts(size_t i);
int example_delegates(const char *const *opts, const char *type);
const char *const *man_example(const char *type);
int apply_options(const char *const *opts);

/* A checked fixture for every test case: resets the grant, removes profiles. */
void tcase_reset_grant(TCase *tc);

/* The running kernel is 6.12 or later (else 6.1). */
int kernel_is_612(void);

/*
 * @n, divided by $BPFDEV_TEST_SCALE_DOWN (at least 1): make check-debug
 * shortens the long loops, which a debug kernel under TCG runs many times
 * slower and which are there to hit race windows, not to cover paths.
 */
int scaled(int n);

/*
 * no_new_privs and a classic-BPF seccomp filter that allows everything,
 * but bpf(2) fails with EPERM if @deny_bpf.
 */
void seccomp_filter(int deny_bpf);

/* The number of open fds of this process. */
int fd_count(void);

/*
 * A file written with a string or @len bytes (0 or -errno), read into @buf
 * (its length or -errno).
 */
int file_write(const char *path, const char *value);
int file_write_n(const char *path, const char *buf, size_t len);
int file_read(const char *path, char *buf, size_t len);

/* Module parameters, read or written by this process directly. */
int param_write(const char *name, const char *value);
int param_read(const char *name, char *buf, size_t len);

/* Run a program as a user, output captured (test_programs in testlib.c). */
enum who { ROOT, MEMBER, OUTSIDER };

struct run {
	int status;
	char out[1 << 18];
};

void run_as(enum who who, const char *const env[], const char *const argv[],
	    struct run *r);
int exited(const struct run *r, int code);
const char *run_tail(const struct run *r);
/* The path of a program installed beside the test binary. */
const char *prog_path(const char *name);

#define assert_has(r, s)						\
	ck_assert_msg(strstr((r)->out, (s)), "missing \"%s\" in:\n%s", (s), \
		      run_tail(r))

/*
 * Suites: one a feature, declared as a table (suite.c builds it, the list
 * of suites is in test_main.c). A race test is a row like any other,
 * marked RACE: it also runs against the test-only broken build
 * (bpfdev_tests broken), where race_verdict() turns its expectation round.
 */
#define TCASE_TESTS_MAX		16
#define SUITE_TCASES_MAX	6

struct test_entry {
	const TTest *const *test;	/* &name of START_TEST(name) */
	int loop_end;			/* a loop test, _i in [0, loop_end) */
	int race;			/* also run against the broken build */
	/* the broken build has this race only where this is true (NULL: all) */
	int (*broken_has)(void);
};

#define TEST(t)			{ .test = &(t) }
#define LOOP_TEST(t, n)		{ .test = &(t), .loop_end = (int)(n) }
#define RACE(t)			{ .test = &(t), .race = 1 }
#define RACE_IF(t, when)	{ .test = &(t), .race = 1, .broken_has = (when) }

struct tcase_def {
	const char *name;
	int timeout;		/* seconds; 0: Check's default */
	int reset_grant;	/* the grant reset after each test */
	int one_cpu;		/* only the first CPU online while it runs */
	struct test_entry tests[TCASE_TESTS_MAX];
};

struct suite_def {
	const char *name;
	struct tcase_def tcases[SUITE_TCASES_MAX];
};

/* Is this run against the test-only broken build (bpfdev_tests broken)? */
extern int broken_build;

/*
 * A Check suite of @def: every test, or against the broken build only its
 * races (NULL when it has none there).
 */
Suite *suite_build(const struct suite_def *def);

/*
 * Report a race test's counts and judge its violations. Against the real
 * module no violation may occur: returns 0, and the test goes on to show
 * that the race really ran. Against the broken build the race must be
 * found (a violation at least): returns 1, and the test ends there.
 */
int race_verdict(const char *name, int iterations, int violations,
		 int accepted, int refused);
/* How often the single-request races (prog type, freeze) try. */
#define RACE_ITERATIONS	4000
/*
 * Runs of a race against the broken build before it counts as unseen: its
 * windows are 20 to 200 us, which TCG vCPUs that a loaded host deschedules
 * can miss for a whole run. Against the module a race runs once.
 */
#define RACE_RUNS_BROKEN	5

/* bpfdev_tests --exec-*: the programs exec_test.c execs */
int exec_helper_main(int argc, char **argv);

#endif
