// SPDX-License-Identifier: GPL-2.0
/*
 * netprobe listen PORT: accept TCP connections on every local address at
 * PORT, forever (the system test's server, run as root).
 * netprobe connect ADDR PORT: connect to ADDR:PORT within 3 seconds.
 * Prints "netprobe: ADDR ok" or "netprobe: ADDR ERRNO" (ETIMEDOUT when no
 * answer came) and exits 0 or 1: the client of the firewall test.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int serve(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1, c;

	a.sin_port = htons((unsigned short)port);
	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 16)) {
		perror("netprobe: listen");
		return 1;
	}
	for (;;) {
		c = accept(s, NULL, NULL);
		if (c >= 0)
			close(c);
	}
}

static int probe(const char *addr, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct pollfd p = { .events = POLLOUT };
	int err = 0;
	socklen_t len = sizeof(err);

	a.sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, addr, &a.sin_addr) != 1)
		return 2;
	p.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p.fd < 0)
		err = errno;
	else if (connect(p.fd, (struct sockaddr *)&a, sizeof(a)) &&
		 errno != EINPROGRESS)
		err = errno;
	else if (poll(&p, 1, 3000) != 1)
		err = ETIMEDOUT;
	else if (getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &err, &len))
		err = errno;
	printf("netprobe: %s %s\n", addr, err ? strerrorname_np(err) : "ok");
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "listen"))
		return serve(atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "connect"))
		return probe(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: netprobe listen PORT | connect ADDR PORT\n");
	return 2;
}
