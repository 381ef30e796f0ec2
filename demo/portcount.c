// SPDX-License-Identifier: GPL-2.0
/*
 * The demo's loader: an ordinary libbpf skeleton program, which knows
 * nothing of bpfdev. It loads a cgroup_skb program that counts received
 * packets per port, attaches it to the cgroup it runs in, sends UDP
 * datagrams to a few loopback ports, and prints what the program counted.
 *
 *   portcount CGROUP_DIR
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "portcount.skel.h"

static const struct {
	unsigned short port;
	int datagrams;
} traffic[] = { { 5000, 3 }, { 6000, 5 }, { 7000, 8 } };

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static void send_traffic(void)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	int rx[3], tx, i, j;
	char buf[16];

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	for (i = 0; i < 3; i++) {
		rx[i] = socket(AF_INET, SOCK_DGRAM, 0);
		addr.sin_port = htons(traffic[i].port);
		if (bind(rx[i], (void *)&addr, sizeof(addr)))
			perror("bind");
	}
	for (i = 0; i < 3; i++) {
		addr.sin_port = htons(traffic[i].port);
		for (j = 0; j < traffic[i].datagrams; j++) {
			if (sendto(tx, "hello", 5, 0, (void *)&addr,
				   sizeof(addr)) < 0 ||
			    recv(rx[i], buf, sizeof(buf), 0) < 0)
				perror("datagram");
		}
	}
}

int main(int argc, char **argv)
{
	struct portcount_bpf *skel;
	struct bpf_link *link;
	int cg, i, err;
	__u16 port;
	__u64 count;

	if (argc != 2) {
		fprintf(stderr, "usage: portcount CGROUP_DIR\n");
		return 2;
	}
	libbpf_set_print(quiet);
	skel = portcount_bpf__open();
	err = skel ? portcount_bpf__load(skel) : -errno;
	if (err) {
		printf("    loading the BPF program failed: %s\n", strerror(-err));
		return 1;
	}
	printf("    loaded cgroup_skb program \"count_ports\" and its hash map\n");
	cg = open(argv[1], O_RDONLY | O_DIRECTORY);
	link = bpf_program__attach_cgroup(skel->progs.count_ports, cg);
	if (!link) {
		printf("    attaching to %s failed: %s\n", argv[1],
		       strerror(errno));
		return 1;
	}
	printf("    attached it to cgroup %s (ingress)\n", argv[1]);
	send_traffic();
	printf("    sent UDP datagrams over loopback; the program counted:\n\n");
	printf("        port   packets\n");
	for (i = 0; i < 3; i++) {
		port = traffic[i].port;
		count = 0;
		bpf_map__lookup_elem(skel->maps.ports, &port, sizeof(port),
				     &count, sizeof(count), 0);
		printf("        %-6u %7llu   (sent %d)\n", port,
		       (unsigned long long)count, traffic[i].datagrams);
	}
	printf("\n");
	bpf_link__destroy(link);
	portcount_bpf__destroy(skel);
	return 0;
}
