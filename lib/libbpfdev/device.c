// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The interposer's device fd: opened lazily, close-on-exec, by whichever
 * thread first needs it.
 *
 * Programs close or dup2() over fds they do not know about, so the cached
 * number is checked before each use: it must still be the character device
 * that was opened (same st_rdev). If it is not, the number is no longer ours
 * and is left alone; the device is opened again.
 *
 * The path may come from the environment ($BPFDEV_DEVICE), so it is opened
 * only if it is /dev/bpf's kind of character device (misc) or a profile's
 * (class bpfdev, bpfdev(4)), with O_NOCTTY (a terminal never
 * becomes the program's controlling tty) and O_NONBLOCK (nothing can make
 * the open wait), and then kept only if it answers BPFDEV_IOC_INFO as bpfdev
 * does. A fifo or a regular file is not even opened.
 *
 * bpf(2) is used directly instead when the device cannot help: it does not
 * exist, this user may not open it, or the caller already holds CAP_BPF or
 * CAP_SYS_ADMIN (it then gets exactly the kernel's own behaviour). That is
 * decided for the caller's identity (effective uid and gid, and whether it
 * is privileged), and decided again when the identity changes: a program
 * that starts as root and drops to a user gets the device from then on, one
 * that gains CAP_BPF gets bpf(2).
 *
 * Nothing that can block for long runs under device_lock (a debug line to
 * a full pipe is written after it is released), and a fork() while another
 * thread holds it leaves the child a lock that works (pthread_atfork).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/major.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpfdev.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "internal.h"

/* Who the decision below was made for. */
struct identity {
	uid_t euid;
	gid_t egid;
	int privileged;		/* CAP_BPF or CAP_SYS_ADMIN, effective */
};

static pthread_mutex_t device_lock = PTHREAD_MUTEX_INITIALIZER;
/* under device_lock */
static int device_fd = -1;
static struct identity decided_for;
static int decided;		/* decided_for is valid */
static int device_unusable;	/* for decided_for: bpf(2) directly */
/* written under device_lock, read by bpfdev_fd_is_device() without it */
static dev_t device_rdev;
int bpfdev_debug_state = -1;

int bpfdev_debug_init(void)
{
	const char *e = secure_getenv("BPFDEV_DEBUG");
	int d = e && *e && strcmp(e, "0");

	__atomic_store_n(&bpfdev_debug_state, d, __ATOMIC_RELAXED);
	return d;
}

/*
 * fd 2 is the program's: if it closed its standard error, the number may
 * now be a socket or anything else it opened, and a debug line must not
 * end up in its protocol. Terminals (and other character devices), pipes
 * and regular files are what a standard error is redirected to.
 */
static int stderr_is_for_text(void)
{
	struct stat st;

	return !fstat(STDERR_FILENO, &st) &&
	       (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) ||
		S_ISREG(st.st_mode));
}

void bpfdev_log(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n, saved = errno;
	ssize_t lost;

	if (!stderr_is_for_text()) {
		errno = saved;
		return;
	}
	n = snprintf(buf, sizeof(buf), "libbpfdev[%d]: ", (int)getpid());
	va_start(ap, fmt);
	/* a line cut short still ends the line */
	if (vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap) >=
	    (int)(sizeof(buf) - (size_t)n))
		buf[sizeof(buf) - 2] = '\n';
	va_end(ap);
	/* one write, so that threads' lines do not interleave; a line that
	 * cannot be written is lost */
	lost = write(STDERR_FILENO, buf, strlen(buf));
	(void)lost;
	errno = saved;
}

/* Does the caller hold CAP_BPF or CAP_SYS_ADMIN in its effective set? */
int bpfdev_caller_privileged(void)
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

static void identity_get(struct identity *id)
{
	id->euid = geteuid();
	id->egid = getegid();
	id->privileged = bpfdev_caller_privileged();
}

static int identity_equal(const struct identity *a, const struct identity *b)
{
	return a->euid == b->euid && a->egid == b->egid &&
	       a->privileged == b->privileged;
}

int bpfdev_fd_is_device(int fd)
{
	dev_t rdev = __atomic_load_n(&device_rdev, __ATOMIC_ACQUIRE);
	int saved = errno, is;
	struct stat st;

	is = fd >= 0 && !fstat(fd, &st) && S_ISCHR(st.st_mode) &&
	     st.st_rdev == rdev;
	errno = saved;
	return is;
}

/*
 * /dev/bpf is a misc device (drivers/char/misc.c, major 10); a profile's
 * /dev/bpf-NAME is a device of class bpfdev, on a major of its own, which
 * sysfs names: /sys/dev/char/MAJOR:MINOR/subsystem ends in class/bpfdev.
 */
static int is_bpfdev_chr(const struct stat *st)
{
	char path[64], link[256];
	const char *base;
	ssize_t n;

	if (!S_ISCHR(st->st_mode))
		return 0;
	if (major(st->st_rdev) == MISC_MAJOR)
		return 1;
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/subsystem",
		 major(st->st_rdev), minor(st->st_rdev));
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	base = strrchr(link, '/');
	return base && !strcmp(base, "/bpfdev");
}

/*
 * Open @path if it is a bpfdev node: its fd, and its number in @rdev; -1
 * and errno (ENODEV: not bpfdev's) if not. A fifo, a terminal, a file is
 * never opened: looked at first, then what was opened is looked at again.
 */
int bpfdev_node_open(const char *path, dev_t *rdev)
{
	struct bpfdev_info info = { .size = sizeof(info) };
	struct stat st;
	int fd;

	if (stat(path, &st))
		return -1;
	if (!is_bpfdev_chr(&st)) {
		errno = ENODEV;
		return -1;
	}
	fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	/* the node may have changed since stat(): look at what was opened */
	if (fstat(fd, &st) || !is_bpfdev_chr(&st) ||
	    ioctl(fd, BPFDEV_IOC_INFO, &info) ||
	    info.size < BPFDEV_INFO_SIZE_VER0 ||
	    !(info.ioctls & (1ULL << _IOC_NR(BPFDEV_IOC_SYS_BPF))) ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)) {
		close(fd);
		errno = ENODEV;
		return -1;
	}
	*rdev = st.st_rdev;
	return fd;
}

/* Open the device, or say in @why why not (for the log, after unlocking). */
static int device_open_locked(char *why, size_t len)
{
	const char *path = bpfdev_device_path();
	dev_t rdev;
	int fd = bpfdev_node_open(path, &rdev);

	if (fd >= 0) {
		__atomic_store_n(&device_rdev, rdev, __ATOMIC_RELEASE);
		return fd;
	}
	if (errno == ENODEV)
		snprintf(why, len, "%s is not a bpfdev device: bpf(2) directly\n",
			 path);
	else
		snprintf(why, len, "cannot open %s (%s): bpf(2) directly\n",
			 path, strerror(errno));
	return -1;
}

int bpfdev_device_fd(void)
{
	char note[2][200] = { "", "" };
	struct identity id;
	int fd, i, saved = errno;

	identity_get(&id);
	pthread_mutex_lock(&device_lock);
	if (!decided || !identity_equal(&id, &decided_for)) {
		/* a new identity: whatever was decided is decided again */
		if (id.privileged && (!decided || !decided_for.privileged))
			snprintf(note[0], sizeof(note[0]),
				 "caller is privileged: bpf(2) directly\n");
		decided_for = id;
		decided = 1;
		device_unusable = 0;
	}
	fd = -1;
	if (id.privileged || device_unusable)
		goto out;
	fd = device_fd;
	if (fd >= 0 && bpfdev_fd_is_device(fd))
		goto out;
	if (fd >= 0)
		snprintf(note[0], sizeof(note[0]),
			 "fd %d is no longer %s: reopening\n", fd,
			 bpfdev_device_path());
	fd = device_open_locked(note[1], sizeof(note[1]));
	/* a device lost and not found again is looked for once more */
	device_unusable = fd < 0 && device_fd < 0;
	device_fd = fd;
out:
	pthread_mutex_unlock(&device_lock);
	for (i = 0; i < 2; i++)
		if (note[i][0] && bpfdev_debug())
			bpfdev_log("%s", note[i]);
	errno = saved;
	return fd;
}

/*
 * fork() while another thread holds device_lock: the child would inherit it
 * locked by a thread it does not have. The lock is taken around fork(), so
 * the state it guards is consistent in both, and the child, which has one
 * thread, starts with a fresh one. (helper.c's clone() runs no handler.)
 */
static void device_lock_prepare(void)
{
	pthread_mutex_lock(&device_lock);
}

static void device_lock_parent(void)
{
	pthread_mutex_unlock(&device_lock);
}

static void device_lock_child(void)
{
	pthread_mutex_init(&device_lock, NULL);
}

__attribute__((constructor)) static void device_init(void)
{
	pthread_atfork(device_lock_prepare, device_lock_parent,
		       device_lock_child);
}
