// SPDX-License-Identifier: GPL-2.0
/*
 * An ordinary libbpf XDP program, built without any knowledge of bpfdev:
 * open, set .rodata, load, attach to the loopback device (generic XDP)
 * with a link, send datagrams to its own UDP socket and read the .bss
 * counter. Exits 0 and prints "xdpcount: ok ..." when every datagram was
 * counted, once.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "xdpcount.skel.h"

#define DATAGRAMS	10

int main(void)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t alen = sizeof(addr);
	struct bpf_link *link = NULL;
	struct xdpcount_bpf *skel;
	int rx, tx, i, err = 1;
	char buf[16];

	rx = socket(AF_INET, SOCK_DGRAM, 0);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (rx < 0 || tx < 0 || bind(rx, (void *)&addr, sizeof(addr)) ||
	    getsockname(rx, (void *)&addr, &alen)) {
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
	link = bpf_program__attach_xdp(skel->progs.count_port,
				       (int)if_nametoindex("lo"));
	if (!link) {
		fprintf(stderr, "xdpcount: attach: %s\n", strerror(errno));
		goto out;
	}
	for (i = 0; i < DATAGRAMS; i++) {
		if (sendto(tx, "datagram", 8, 0, (void *)&addr,
			   sizeof(addr)) != 8 ||
		    recv(rx, buf, sizeof(buf), 0) != 8) {
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
