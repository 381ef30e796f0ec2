// SPDX-License-Identifier: GPL-2.0
/*
 * bpfdev_fuzz ITERATIONS SEED: structure-aware random requests to
 * /dev/bpf, run as a member of group bpf.
 *
 * Each request picks an ioctl (mostly BPFDEV_IOC_SYS_BPF) and fills its
 * struct and the bpf attr from a mix of boundary values, valid values and
 * noise: commands, sizes and struct tails; pointers to valid, unmapped,
 * read-only, partially mapped and kernel memory; random and mutated
 * instruction streams of random program types and flags; random fds,
 * including fds of other kinds. Every fd a request returns is closed.
 *
 * It prints an errno histogram and a last line the caller checks:
 *   fuzz: N requests, M reached the kernel's bpf code, K fds leaked
 * (the module's own executed_* and failed_* counters tell how many got
 * past bpfdev's validation into the kernel).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/bpfdev.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define PAGE		4096
#define INSN_MAX	64

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: reproducible from the seed */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static uint32_t pick(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

/* Memory of every kind a pointer can point at. */
static char *valid;		/* 4 pages, read-write */
static char *readonly;		/* 1 page, read-only */
static char *straddle;		/* the last bytes before a PROT_NONE page */
static char *unmapped;

static int fds[12];		/* fds of every kind */

static void setup(void)
{
	char *guard;
	union bpf_attr a;
	int sv[2];

	valid = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	readonly = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	guard = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unmapped = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	if (valid == MAP_FAILED || readonly == MAP_FAILED ||
	    guard == MAP_FAILED || unmapped == MAP_FAILED)
		exit(10);
	mprotect(guard + PAGE, PAGE, PROT_NONE);
	straddle = guard + PAGE - 16;
	munmap(unmapped, PAGE);

	fds[0] = open("/dev/bpf", O_RDWR | O_CLOEXEC);
	fds[1] = open("/dev/bpf", O_RDONLY | O_CLOEXEC);
	fds[2] = open("/dev/null", O_RDWR | O_CLOEXEC);
	socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
	fds[3] = sv[0];
	fds[4] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	fds[5] = open("/sys/fs/cgroup", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	fds[6] = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 2;
	{
		struct bpfdev_sys_bpf r = {
			.size = sizeof(r), .cmd = BPF_MAP_CREATE,
			.attr_size = sizeof(a), .attr = (uintptr_t)&a,
		};

		fds[7] = ioctl(fds[0], BPFDEV_IOC_SYS_BPF, &r);
	}
	fds[8] = -1;
	fds[9] = 9999;
	fds[10] = 0;
	fds[11] = 1000000;
	if (fds[0] < 0 || fds[7] < 0)
		exit(11);
}

static uint64_t any_ptr(size_t len)
{
	switch (pick(8)) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)unmapped;
	case 2:
		return (uintptr_t)readonly;
	case 3:
		return (uintptr_t)straddle;
	case 4:
		return 0xffffffff81000000ULL + pick(1 << 20);	/* kernel */
	case 5:
		return rnd();
	default:
		return (uintptr_t)(valid + (len < 4 * PAGE ?
					    pick((uint32_t)(4 * PAGE - len)) : 0));
	}
}

static uint32_t any_fd(void)
{
	return (uint32_t)fds[pick(12)];
}

static uint32_t any_size(uint32_t typical)
{
	static const uint32_t edge[] = { 0, 1, 7, 8, 16, 24, 64, 127, 128,
					 4095, 4096, 4097, 65536,
					 0x7fffffff, 0xffffffff };

	switch (pick(4)) {
	case 0:
		return edge[pick(sizeof(edge) / sizeof(edge[0]))];
	case 1:
		return (uint32_t)rnd();
	default:
		return typical;
	}
}

/* Valid programs to mutate, and noise. */
static void fill_insns(struct bpf_insn *in, uint32_t cnt)
{
	uint32_t i;

	for (i = 0; i < cnt; i++) {
		in[i] = (struct bpf_insn){
			.code = BPF_ALU64 | BPF_MOV | BPF_K,
			.dst_reg = 0, .imm = (int32_t)i,
		};
	}
	in[cnt - 1] = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
	for (i = pick(4); i > 0; i--) {
		struct bpf_insn *x = &in[pick(cnt)];

		switch (pick(5)) {
		case 0:
			x->code = (uint8_t)rnd();
			break;
		case 1:
			x->src_reg = (uint8_t)pick(16);
			x->dst_reg = (uint8_t)pick(16);
			break;
		case 2:	/* map index into fd_array, or a kfunc offset */
			x->code = BPF_LD | BPF_DW | BPF_IMM;
			x->src_reg = (uint8_t)(pick(2) ? BPF_PSEUDO_MAP_IDX :
						BPF_PSEUDO_MAP_FD);
			x->imm = (int32_t)rnd();
			break;
		case 3:
			x->code = BPF_JMP | BPF_CALL;
			x->src_reg = BPF_PSEUDO_KFUNC_CALL;
			x->off = (int16_t)rnd();
			x->imm = (int32_t)rnd();
			break;
		default:
			x->off = (int16_t)rnd();
			x->imm = (int32_t)rnd();
		}
	}
}

static void fill_attr(union bpf_attr *a, uint32_t cmd)
{
	static struct bpf_insn insns[INSN_MAX];
	static int fd_array[8];
	uint32_t cnt, i;

	memset(a, 0, sizeof(*a));
	if (!pick(10)) {		/* noise */
		for (i = 0; i < sizeof(*a); i++)
			((char *)a)[i] = (char)rnd();
		return;
	}
	switch (cmd) {
	case BPF_PROG_LOAD:
		cnt = 1 + pick(INSN_MAX);
		fill_insns(insns, cnt);
		a->prog_type = pick(3) ? pick(34) : BPF_PROG_TYPE_SOCKET_FILTER;
		a->insn_cnt = pick(8) ? cnt : any_size(cnt);
		a->insns = pick(6) ? (uintptr_t)insns : any_ptr(cnt * 8);
		a->license = pick(6) ? (uintptr_t)"GPL" : any_ptr(4);
		a->expected_attach_type = pick(3) ? 0 : pick(60);
		a->prog_flags = pick(4) ? 0 : (uint32_t)rnd();
		if (!pick(4)) {
			a->log_level = pick(8);
			a->log_size = any_size(PAGE);
			a->log_buf = any_ptr(PAGE);
		}
		if (!pick(4)) {
			for (i = 0; i < 8; i++)
				fd_array[i] = (int)any_fd();
			a->fd_array = pick(3) ? (uintptr_t)fd_array : any_ptr(32);
		}
		if (!pick(6)) {
			a->prog_btf_fd = any_fd();
			a->func_info_cnt = pick(4);
			a->func_info_rec_size = any_size(8);
			a->func_info = any_ptr(64);
			a->line_info_cnt = pick(4);
			a->line_info_rec_size = any_size(16);
			a->line_info = any_ptr(64);
		}
		if (!pick(8))
			a->prog_ifindex = 1;
		if (!pick(8))
			a->attach_btf_id = (uint32_t)rnd();
		break;
	case BPF_MAP_CREATE:
		a->map_type = pick(36);
		a->key_size = any_size(4);
		a->value_size = any_size(8);
		a->max_entries = any_size(16);
		a->map_flags = pick(4) ? 0 : (uint32_t)rnd();
		if (!pick(6)) {
			a->btf_fd = any_fd();
			a->btf_key_type_id = pick(4);
			a->btf_value_type_id = pick(4);
		}
		if (!pick(8))
			a->inner_map_fd = any_fd();
		break;
	case BPF_BTF_LOAD:
		a->btf_size = any_size(64);
		a->btf = any_ptr(64);
		for (i = 0; i < 64; i++)
			valid[i] = (char)rnd();
		if (!pick(4)) {
			a->btf_log_level = pick(4);
			a->btf_log_size = any_size(PAGE);
			a->btf_log_buf = any_ptr(PAGE);
		}
		break;
	case BPF_MAP_FREEZE:
		a->map_fd = any_fd();
		break;
	case BPF_LINK_CREATE:
		a->link_create.prog_fd = any_fd();
		a->link_create.target_fd = any_fd();
		a->link_create.attach_type = pick(3) ? pick(2) : pick(60);
		a->link_create.flags = pick(4) ? 0 : (uint32_t)rnd();
		break;
	default:
		break;
	}
	if (!pick(20))	/* a byte the command does not use */
		((char *)a)[100 + pick(40)] = 1;
}

static const uint32_t cmds[] = {
	BPF_PROG_LOAD, BPF_PROG_LOAD, BPF_PROG_LOAD, BPF_MAP_CREATE,
	BPF_MAP_CREATE, BPF_BTF_LOAD, BPF_MAP_FREEZE, BPF_LINK_CREATE,
};

#define ERRNOS	160
static long hist[ERRNOS];
static long fd_results;

static void record(int ret)
{
	if (ret >= 0) {
		fd_results++;
		if (ret > 2 && ret != fds[0] && ret != fds[1] && ret != fds[7])
			close(ret);
		return;
	}
	hist[errno < ERRNOS ? errno : 0]++;
}

static void one_request(void)
{
	static char attr_buf[2 * PAGE] __attribute__((aligned(8)));
	static char req_buf[PAGE + 64] __attribute__((aligned(8)));
	union bpf_attr *a = (union bpf_attr *)attr_buf;
	struct bpfdev_sys_bpf *r = (struct bpfdev_sys_bpf *)req_buf;
	uint32_t cmd = pick(16) ? cmds[pick(8)] : (uint32_t)pick(64);
	int dev = pick(8) ? fds[0] : (int)any_fd();
	unsigned long nr;

	memset(attr_buf, 0, sizeof(attr_buf));
	memset(req_buf, 0, sizeof(req_buf));
	fill_attr(a, cmd);
	if (!pick(16))	/* a tail past the kernel's union */
		attr_buf[sizeof(*a) + pick(64)] = (char)(pick(2));
	r->size = pick(8) ? sizeof(*r) : any_size(sizeof(*r));
	if (r->size > sizeof(*r) && r->size <= sizeof(req_buf) && pick(2))
		req_buf[sizeof(*r) + pick(r->size - sizeof(*r))] = 1;
	r->cmd = cmd;
	r->attr_size = pick(6) ? sizeof(*a) : any_size(sizeof(*a));
	r->flags = pick(16) ? 0 : (uint32_t)rnd();
	r->attr = pick(12) ? (uintptr_t)a : any_ptr(sizeof(*a));

	switch (pick(16)) {
	case 0: {
		struct bpfdev_info *info = (struct bpfdev_info *)req_buf;

		info->size = any_size(sizeof(*info));
		record(ioctl(dev, BPFDEV_IOC_INFO, pick(8) ? (void *)info :
			     (void *)(uintptr_t)any_ptr(64)));
		return;
	}
	case 1: {
		struct bpfdev_narrow *n = (struct bpfdev_narrow *)req_buf;

		n->size = any_size(sizeof(*n));
		n->flags = pick(2);
		n->progs = rnd();
		n->progs_max = pick(4);
		record(ioctl(dev, BPFDEV_IOC_NARROW, n));
		return;
	}
	case 2:
		nr = (unsigned long)_IOC(pick(4), BPFDEV_IOC_MAGIC, pick(8),
					 pick(256));
		record(ioctl(dev, nr, req_buf));
		return;
	default:
		record(ioctl(dev, BPFDEV_IOC_SYS_BPF,
			     pick(32) ? (void *)r :
				       (void *)(uintptr_t)any_ptr(24)));
	}
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = -1;	/* the directory's own */

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	if (d)
		closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	long n, i;
	int before, leaked, e;

	if (argc != 3)
		return 2;
	n = atol(argv[1]);
	rng_state = strtoull(argv[2], NULL, 0) | 1;
	setup();
	before = open_fds();
	for (i = 0; i < n; i++)
		one_request();
	leaked = open_fds() - before;
	printf("fuzz: errno histogram:");
	for (e = 0; e < ERRNOS; e++)
		if (hist[e])
			printf(" %s=%ld", e ? strerrorname_np(e) : "other",
			       hist[e]);
	printf(" fd=%ld\n", fd_results);
	printf("fuzz: %ld requests, %d fds leaked\n", n, leaked);
	return leaked ? 1 : 0;
}
