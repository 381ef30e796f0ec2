// SPDX-License-Identifier: GPL-2.0
/*
 * An ordinary libbpf XDP program, built without any knowledge of bpfdev:
 * open, set .rodata, load, attach to IFNAME with a link, send datagrams to
 * a UDP echo server at ADDR:PORT beyond IFNAME, receive each echo and read
 * the .bss counter of datagrams that reached IFNAME for its own port.
 * Exits 0 and prints "xdpcount: ok ..." when every echo was counted, once.
 *
 *	xdpcount IFNAME ADDR PORT
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "xdpcount.skel.h"

#define DATAGRAMS	10

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	struct sockaddr_in echo = { .sin_family = AF_INET };
	struct timeval tv = { .tv_sec = 5 };
	socklen_t alen = sizeof(addr);
	struct bpf_link *link = NULL;
	struct xdpcount_bpf *skel;
	int sock, ifindex, i, err = 1;
	char buf[16];

	if (argc != 4 || !(ifindex = (int)if_nametoindex(argv[1])) ||
	    inet_pton(AF_INET, argv[2], &echo.sin_addr) != 1 ||
	    !(echo.sin_port = htons((unsigned short)atoi(argv[3])))) {
		fprintf(stderr, "usage: xdpcount IFNAME ADDR PORT\n");
		return 2;
	}
	sock = socket(AF_INET, SOCK_DGRAM, 0);
	if (sock < 0 || bind(sock, (void *)&addr, sizeof(addr)) ||
	    getsockname(sock, (void *)&addr, &alen) ||
	    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		perror("xdpcount: socket");
		return 1;
	}
	skel = xdpcount_bpf__open();
	if (!skel) {
		fprintf(stderr, "xdpcount: open: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->port = addr.sin_port;
	if (xdpcount_bpf__load(skel)) {
		fprintf(stderr, "xdpcount: load: %s\n", strerror(errno));
		goto out;
	}
	link = bpf_program__attach_xdp(skel->progs.count_port, ifindex);
	if (!link) {
		fprintf(stderr, "xdpcount: attach: %s\n", strerror(errno));
		goto out;
	}
	for (i = 0; i < DATAGRAMS; i++) {
		if (sendto(sock, "datagram", 8, 0, (void *)&echo,
			   sizeof(echo)) != 8 ||
		    recv(sock, buf, sizeof(buf), 0) != 8) {
			perror("xdpcount: datagram");
			goto out;
		}
	}
	printf("xdpcount: %s: sent %d, counted %llu\n",
	       skel->bss->packets == DATAGRAMS ? "ok" : "wrong", DATAGRAMS,
	       (unsigned long long)skel->bss->packets);
	err = skel->bss->packets != DATAGRAMS;
out:
	bpf_link__destroy(link);
	xdpcount_bpf__destroy(skel);
	return err;
}
