// SPDX-License-Identifier: GPL-2.0
/*
 * cgrace MODE CGROUP_DIR ITERATIONS: attach a cgroup_skb program to
 * CGROUP_DIR (a cgroup the caller may write) again and again, while another
 * thread keeps dup2()ing the root cgroup (which it may only read) over the
 * fd number being attached to. Every link that gets created, and every
 * program attached, must be on CGROUP_DIR.
 *
 *   interposer  libbpf's bpf_link_create(), i.e. syscall(__NR_bpf): run
 *               it under bpfdev-run, whose interposer forks a helper per
 *               attach
 *   direct      the ioctl from this multi-threaded process itself (the
 *               program is loaded through the interposer in every mode)
 *   attach-interposer, attach-direct
 *               the same with BPF_PROG_ATTACH (BPF_F_ALLOW_MULTI), each
 *               attach then detached through CGROUP_DIR's own fd, which no
 *               thread swaps: a detach that finds nothing there (ENOENT)
 *               means the program was attached elsewhere
 *
 * Prints one line of counts; exits 0 when it ran.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/bpfdev.h>

#define TARGET	700

static int delegated, root;
static volatile int stop;

static void *flip(void *arg)
{
	(void)arg;
	while (!stop) {
		dup2(delegated, TARGET);
		dup2(root, TARGET);
	}
	return NULL;
}

static int attach_direct(int dev, int prog)
{
	union bpf_attr a;
	struct bpfdev_sys_bpf req = {
		.size = sizeof(req), .cmd = BPF_PROG_ATTACH,
		.attr_size = sizeof(a), .attr = (__u64)(unsigned long)&a,
	};

	memset(&a, 0, sizeof(a));
	a.target_fd = TARGET;
	a.attach_bpf_fd = (__u32)prog;
	a.attach_type = BPF_CGROUP_INET_INGRESS;
	a.attach_flags = BPF_F_ALLOW_MULTI;
	return ioctl(dev, BPFDEV_IOC_SYS_BPF, &req);
}

static int link_direct(int dev, int prog)
{
	union bpf_attr a;
	struct bpfdev_sys_bpf req = {
		.size = sizeof(req), .cmd = BPF_LINK_CREATE,
		.attr_size = sizeof(a), .attr = (__u64)(unsigned long)&a,
	};

	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = (__u32)prog;
	a.link_create.target_fd = TARGET;
	a.link_create.attach_type = BPF_CGROUP_INET_INGRESS;
	return ioctl(dev, BPFDEV_IOC_SYS_BPF, &req);
}

int main(int argc, char **argv)
{
	const struct bpf_insn pass[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 1 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct bpf_prog_load_opts popts = {
		.sz = sizeof(popts),
		.expected_attach_type = BPF_CGROUP_INET_INGRESS,
	};
	int direct, attach, n, i, prog, dev = -1, link;
	int violations = 0, attached = 0, refused = 0, other = 0;
	struct bpf_link_info info;
	__u32 len;
	struct stat st;
	pthread_t t;

	if (argc != 4)
		return 2;
	attach = !strncmp(argv[1], "attach-", 7);
	direct = !strcmp(argv[1] + (attach ? 7 : 0), "direct");
	n = atoi(argv[3]);
	delegated = open(argv[2], O_RDONLY | O_DIRECTORY);
	root = open("/sys/fs/cgroup", O_RDONLY | O_DIRECTORY);
	if (delegated < 0 || root < 0 || fstat(delegated, &st))
		return 3;
	if (direct) {
		dev = open("/dev/bpf", O_RDWR | O_CLOEXEC);
		if (dev < 0)
			return 4;
	}
	/* through the interposer, as any libbpf program */
	prog = bpf_prog_load(BPF_PROG_TYPE_CGROUP_SKB, NULL, "GPL", pass, 2,
			     &popts);
	if (prog < 0) {
		fprintf(stderr, "cgrace: load: %s\n", strerror(errno));
		return 5;
	}
	dup2(delegated, TARGET);
	pthread_create(&t, NULL, flip, NULL);
	for (i = 0; i < n && attach; i++) {
		if ((direct ? attach_direct(dev, prog) :
			      bpf_prog_attach(prog, TARGET,
					      BPF_CGROUP_INET_INGRESS,
					      BPF_F_ALLOW_MULTI)) < 0) {
			if (errno == EACCES)
				refused++;
			else
				other++;
		} else if (bpf_prog_detach2(prog, delegated,
					  BPF_CGROUP_INET_INGRESS))
			violations++;
		else
			attached++;
	}
	for (i = 0; i < n && !attach; i++) {
		link = direct ? link_direct(dev, prog) :
				bpf_link_create(prog, TARGET,
						BPF_CGROUP_INET_INGRESS, NULL);
		if (link >= 0) {
			memset(&info, 0, sizeof(info));
			len = sizeof(info);
			if (bpf_obj_get_info_by_fd(link, &info, &len) ||
			    info.cgroup.cgroup_id != st.st_ino)
				violations++;
			else
				attached++;
			close(link);
		} else if (errno == EACCES) {
			refused++;
		} else {
			other++;
		}
	}
	stop = 1;
	pthread_join(t, NULL);
	printf("cgrace %s: %d iterations, %d violations, %d attached, %d refused, %d other\n",
	       argv[1], n, violations, attached, refused, other);
	return 0;
}
