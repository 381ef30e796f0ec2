// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The interposer's device fd: opened lazily, once, close-on-exec, by
 * whichever thread first needs it.
 *
 * Programs close or dup2() over fds they do not know about, so the cached
 * number is checked before each use: it must still be the character device
 * that was opened (same st_rdev). If it is not, the number is no longer ours
 * and is left alone; the device is opened again.
 *
 * bpf(2) is used directly instead when the device cannot help: it does not
 * exist, this user may not open it, or the caller already holds CAP_BPF or
 * CAP_SYS_ADMIN (it then gets exactly the kernel's own behaviour). That is
 * decided once per process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpfdev.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

static pthread_mutex_t device_lock = PTHREAD_MUTEX_INITIALIZER;
static int device_fd = -1;	/* read without the lock: atomics */
static dev_t device_rdev;
static int device_unusable;	/* decided: bpf(2) directly, for good */
static int debug = -1;

int bpfdev_debug(void)
{
	int d = __atomic_load_n(&debug, __ATOMIC_RELAXED);

	if (d < 0) {
		const char *e = getenv("BPFDEV_DEBUG");

		d = e && *e && strcmp(e, "0");
		__atomic_store_n(&debug, d, __ATOMIC_RELAXED);
	}
	return d;
}

void bpfdev_log(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "libbpfdev[%d]: ", (int)getpid());
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	va_end(ap);
	/* one write, so that threads' lines do not interleave */
	if (write(STDERR_FILENO, buf, strlen(buf)) < 0)
		return;
}

/* Does the caller hold CAP_BPF or CAP_SYS_ADMIN in its effective set? */
static int caller_privileged(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (bpfdev_real_syscall(SYS_capget, (long)&hdr, (long)data, 0, 0, 0,
				0))
		return 0;
	return !!(data[CAP_SYS_ADMIN / 32].effective &
		  (1U << (CAP_SYS_ADMIN % 32))) ||
	       !!(data[CAP_BPF / 32].effective & (1U << (CAP_BPF % 32)));
}

static int fd_is_device(int fd)
{
	struct stat st;

	return fd >= 0 && !fstat(fd, &st) && S_ISCHR(st.st_mode) &&
	       st.st_rdev == device_rdev;
}

static int device_open_locked(void)
{
	const char *path = bpfdev_device_path();
	struct bpfdev_info info = { .size = sizeof(info) };
	struct stat st;
	int fd;

	if (caller_privileged()) {
		if (bpfdev_debug())
			bpfdev_log("caller is privileged: bpf(2) directly\n");
		return -1;
	}
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		if (bpfdev_debug())
			bpfdev_log("cannot open %s (%s): bpf(2) directly\n",
				   path, strerror(errno));
		return -1;
	}
	/* The node must be a bpfdev device, not just any character device. */
	if (fstat(fd, &st) || !S_ISCHR(st.st_mode) ||
	    ioctl(fd, BPFDEV_IOC_INFO, &info)) {
		if (bpfdev_debug())
			bpfdev_log("%s is not a bpfdev device: bpf(2) directly\n",
				   path);
		close(fd);
		return -1;
	}
	device_rdev = st.st_rdev;
	return fd;
}

int bpfdev_device_fd(void)
{
	int fd, saved = errno;

	if (__atomic_load_n(&device_unusable, __ATOMIC_ACQUIRE))
		return -1;
	fd = __atomic_load_n(&device_fd, __ATOMIC_ACQUIRE);
	if (fd >= 0 && fd_is_device(fd))
		return fd;

	pthread_mutex_lock(&device_lock);
	fd = device_fd;
	if (fd < 0 || !fd_is_device(fd)) {
		if (fd >= 0 && bpfdev_debug())
			bpfdev_log("fd %d is no longer %s: reopening\n", fd,
				   bpfdev_device_path());
		fd = device_open_locked();
		if (fd < 0 && device_fd < 0)
			__atomic_store_n(&device_unusable, 1, __ATOMIC_RELEASE);
		__atomic_store_n(&device_fd, fd, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&device_lock);
	errno = saved;
	return fd;
}
