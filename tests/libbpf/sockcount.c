// SPDX-License-Identifier: GPL-2.0
/*
 * An ordinary libbpf skeleton program, built without any knowledge of
 * bpfdev: open, set .rodata, load, attach to its own UDP socket, send
 * datagrams over loopback, read the .bss counters and the ringbuf.
 * Exits 0 and prints "sockcount: ok ..." when the data is what was sent.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "sockcount.skel.h"

#define WATCH_LEN	(8 + 13)	/* UDP header + payload the filter sees */

struct event {
	__u32 len;
	__u32 seq;
};

static int events_seen;

static int on_event(void *ctx, void *data, size_t size)
{
	const struct event *e = data;

	(void)ctx;
	if (size != sizeof(*e) || e->len != WATCH_LEN)
		return -EINVAL;
	events_seen++;
	return 0;
}

int main(void)
{
	static const char *payloads[] = {
		"short", "thirteen byte", "a longer payload here", "thirteen byte",
		"x",
	};
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t alen = sizeof(addr);
	struct ring_buffer *rb = NULL;
	struct sockcount_bpf *skel;
	int rx, tx, fd, err = 1;
	char buf[64];
	size_t i;

	skel = sockcount_bpf__open();
	if (!skel) {
		fprintf(stderr, "sockcount: open: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->watch_len = WATCH_LEN;
	if (sockcount_bpf__load(skel)) {
		fprintf(stderr, "sockcount: load: %s\n", strerror(errno));
		goto out;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, NULL,
			      NULL);
	if (!rb) {
		fprintf(stderr, "sockcount: ring_buffer__new failed\n");
		goto out;
	}

	rx = socket(AF_INET, SOCK_DGRAM, 0);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (rx < 0 || tx < 0 || bind(rx, (void *)&addr, sizeof(addr)) ||
	    getsockname(rx, (void *)&addr, &alen)) {
		perror("sockcount: socket");
		goto out;
	}
	fd = bpf_program__fd(skel->progs.count_packets);
	if (setsockopt(rx, SOL_SOCKET, SO_ATTACH_BPF, &fd, sizeof(fd))) {
		perror("sockcount: SO_ATTACH_BPF");
		goto out;
	}
	for (i = 0; i < sizeof(payloads) / sizeof(payloads[0]); i++) {
		if (sendto(tx, payloads[i], strlen(payloads[i]), 0,
			   (void *)&addr, sizeof(addr)) < 0 ||
		    recv(rx, buf, sizeof(buf), 0) < 0) {
			perror("sockcount: datagram");
			goto out;
		}
	}
	if (ring_buffer__consume(rb) < 0) {
		fprintf(stderr, "sockcount: ring buffer\n");
		goto out;
	}
	printf("sockcount: packets=%llu matched=%llu events=%d\n",
	       (unsigned long long)skel->bss->packets,
	       (unsigned long long)skel->bss->matched, events_seen);
	if (skel->bss->packets == 5 && skel->bss->matched == 2 &&
	    events_seen == 2) {
		printf("sockcount: ok\n");
		err = 0;
	}
out:
	ring_buffer__free(rb);
	sockcount_bpf__destroy(skel);
	return err;
}
