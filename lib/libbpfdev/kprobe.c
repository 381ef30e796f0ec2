// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * kprobes for members, as kprobe_multi links (opt-in: BPFDEV_KPROBE_MULTI=1;
 * 6.12, whose CONFIG_FPROBE Debian's 6.1 lacks).
 *
 * libbpf 1.1 attaches SEC("kprobe/f") and SEC("kretprobe/f") through
 * perf_event_open(2) of the kprobe PMU, which Debian's perf_event_paranoid=3
 * keeps from non-root. A kprobe_multi link (BPF_LINK_CREATE, sent to
 * bpf(2), which checks no capability there) reaches the same function's
 * entry, or its return, for a program loaded with expected_attach_type
 * BPF_TRACE_KPROBE_MULTI. So, for a caller the device serves:
 *
 *   - BPF_PROG_LOAD of a kprobe program for no attach type is loaded for
 *     BPF_TRACE_KPROBE_MULTI (the grant must delegate kprobe and
 *     trace_kprobe_multi);
 *   - perf_event_open() of the kprobe PMU at a function's entry (no offset,
 *     no address) returns a placeholder fd (a memfd) standing for it;
 *   - BPF_LINK_CREATE for BPF_PERF_EVENT on a placeholder makes the
 *     kprobe_multi link instead; ioctl(PERF_EVENT_IOC_SET_BPF) on one makes
 *     it and puts it in the placeholder's place (dup3), so that closing the
 *     fd detaches; PERF_EVENT_IOC_ENABLE and _DISABLE on either answer 0.
 *
 * Not served: offsets (kprobe_multi attaches at entries only), addresses,
 * uprobes, tracepoints; these go to perf_event_open(2) as they are. What
 * differs from a kprobe: a kretprobe.multi keeps fewer return slots
 * (2 x CPUs) and drops returns sooner; regs->ip is the fentry site.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libbpfdev.h"
#include "internal.h"

#define PLACEHOLDERS_MAX	256
#define SYM_MAX			128	/* KSYM_NAME_LEN in 6.12 is 512 */

/*
 * A perf_event_open() answered with a memfd (its own inode), or the link
 * put in its place (known by its ID: every link shares one anon inode).
 */
struct placeholder {
	int fd;
	dev_t dev;
	ino_t ino;
	__u32 link_id;
	int retprobe;
	char sym[SYM_MAX];
};

static struct placeholder placeholders[PLACEHOLDERS_MAX];
static int nr_placeholders;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

int bpfdev_kprobe_multi(void)
{
	static int on = -1;

	if (on < 0) {
		const char *v = secure_getenv("BPFDEV_KPROBE_MULTI");

		on = v && !strcmp(v, "1");
	}
	return on;
}

/* The kprobe PMU's type (sysfs, readable by anyone), or -1 */
static int kprobe_pmu_type(void)
{
	static int type = -2;

	if (type == -2) {
		FILE *f;

		type = -1;
		f = fopen("/sys/bus/event_source/devices/kprobe/type", "re");
		if (f) {
			if (fscanf(f, "%d", &type) != 1)
				type = -1;
			fclose(f);
		}
	}
	return type;
}

/* Any placeholder yet? Read without the lock: the fast path of ioctl() */
static int any_placeholder(void)
{
	return __atomic_load_n(&nr_placeholders, __ATOMIC_ACQUIRE) != 0;
}

/* The ID of the BPF link at @fd, or 0 */
static __u32 link_id(int fd)
{
	struct bpf_link_info info;
	union bpf_attr attr;

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (__u32)fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (__u64)(unsigned long)&info;
	if (bpfdev_real_syscall(__NR_bpf, BPF_OBJ_GET_INFO_BY_FD, (long)&attr,
				sizeof(attr), 0, 0, 0))
		return 0;
	return info.id;
}

/* Is @p still what stands at its fd? */
static int current(const struct placeholder *p)
{
	struct stat st;

	if (p->link_id)
		return link_id(p->fd) == p->link_id;
	return !fstat(p->fd, &st) && st.st_dev == p->dev &&
	       st.st_ino == p->ino;
}

/* The placeholder @fd is, or NULL; with the lock held */
static struct placeholder *find(int fd)
{
	int i;

	for (i = 0; i < nr_placeholders; i++)
		if (placeholders[i].fd == fd && current(&placeholders[i]))
			return &placeholders[i];
	return NULL;
}

/* Remember @fd as standing for @p's probe: a free slot, or a stale one */
static int remember(const struct placeholder *p)
{
	struct placeholder *slot = NULL;
	int i;

	for (i = 0; i < nr_placeholders && !slot; i++)
		if (!current(&placeholders[i]))
			slot = &placeholders[i];
	if (!slot && nr_placeholders < PLACEHOLDERS_MAX)
		slot = &placeholders[nr_placeholders];
	if (!slot)
		return -1;
	*slot = *p;
	if (slot == &placeholders[nr_placeholders])
		__atomic_store_n(&nr_placeholders, nr_placeholders + 1,
				 __ATOMIC_RELEASE);
	return 0;
}

long bpfdev_kprobe_perf_event_open(const long a[6])
{
	const struct perf_event_attr *uattr = (const void *)a[0];
	struct perf_event_attr attr;
	struct placeholder p;
	struct stat st;
	size_t i;
	int fd, err;

	memset(&attr, 0, sizeof(attr));
	if (!bpfdev_kprobe_multi() || kprobe_pmu_type() < 0 ||
	    bpfdev_peek_user(&attr, uattr, offsetofend(struct perf_event_attr,
							config2)) ||
	    attr.type != (__u32)kprobe_pmu_type() || !attr.config1 ||
	    attr.config2 || bpfdev_device_fd() < 0)
		goto real;
	memset(&p, 0, sizeof(p));
	/* the name, a byte at a time: a bad pointer is perf's EFAULT */
	for (i = 0; i < sizeof(p.sym); i++)
		if (bpfdev_peek_user(&p.sym[i], (const char *)attr.config1 + i,
				     1) || !p.sym[i])
			break;
	if (i == 0 || i == sizeof(p.sym) || strchr(p.sym, ':'))
		goto real;	/* unreadable, too long, or mod:func */
	p.retprobe = attr.config & 1;	/* kprobe/format/retprobe: config:0 */
	fd = memfd_create("bpfdev-kprobe",
			  (a[4] & PERF_FLAG_FD_CLOEXEC) ? MFD_CLOEXEC : 0);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st)) {
		close(fd);
		return -1;
	}
	p.fd = fd;
	p.dev = st.st_dev;
	p.ino = st.st_ino;
	pthread_mutex_lock(&lock);
	err = remember(&p);
	pthread_mutex_unlock(&lock);
	if (err) {
		close(fd);
		errno = EMFILE;
		return -1;
	}
	if (bpfdev_debug())
		bpfdev_log("perf_event_open(%s %s) as a kprobe_multi placeholder: %d\n",
			   p.retprobe ? "kretprobe" : "kprobe", p.sym, fd);
	return fd;
real:
	return bpfdev_real_syscall(__NR_perf_event_open, a[0], a[1], a[2],
				   a[3], a[4], a[5]);
}

/* A kprobe_multi link of @prog_fd to @p's function: its fd, or -1 */
static int kprobe_multi_link(int prog_fd, const struct placeholder *p)
{
	const char *syms[1] = { p->sym };
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = (__u32)prog_fd;
	attr.link_create.attach_type = BPF_TRACE_KPROBE_MULTI;
	attr.link_create.kprobe_multi.flags =
		p->retprobe ? BPF_F_KPROBE_MULTI_RETURN : 0;
	attr.link_create.kprobe_multi.cnt = 1;
	attr.link_create.kprobe_multi.syms = (__u64)(unsigned long)syms;
	return (int)bpfdev_real_syscall(__NR_bpf, BPF_LINK_CREATE,
					(long)&attr, sizeof(attr), 0, 0, 0);
}

/*
 * BPF_LINK_CREATE of @attr (@size bytes) for BPF_PERF_EVENT on a
 * placeholder: the kprobe_multi link's fd. 0 when it is not one (@ret
 * untouched), 1 when answered (@ret set, errno with it).
 */
int bpfdev_kprobe_link_create(const union bpf_attr *uattr, unsigned int size,
			      long *ret)
{
	union bpf_attr attr;
	struct placeholder p, *f;

	memset(&attr, 0, sizeof(attr));
	if (!bpfdev_kprobe_multi() || !any_placeholder() ||
	    size < offsetofend(union bpf_attr, link_create.attach_type) ||
	    bpfdev_peek_user(&attr, uattr,
			     offsetofend(union bpf_attr,
					 link_create.attach_type)) ||
	    attr.link_create.attach_type != BPF_PERF_EVENT)
		return 0;
	pthread_mutex_lock(&lock);
	f = find((int)attr.link_create.target_fd);
	if (f)
		p = *f;
	pthread_mutex_unlock(&lock);
	if (!f)
		return 0;
	*ret = kprobe_multi_link((int)attr.link_create.prog_fd, &p);
	return 1;
}

/*
 * The kprobe program loads of a caller the device serves: for
 * BPF_TRACE_KPROBE_MULTI, when it asked for no attach type.
 */
int bpfdev_kprobe_load_attr(union bpf_attr *attr, unsigned int size)
{
	if (!bpfdev_kprobe_multi() ||
	    size < offsetofend(union bpf_attr, expected_attach_type) ||
	    attr->prog_type != BPF_PROG_TYPE_KPROBE ||
	    attr->expected_attach_type)
		return 0;
	attr->expected_attach_type = BPF_TRACE_KPROBE_MULTI;
	return 1;
}

/*
 * What the kernel wrote into @copy (6.12's log_true_size), written into
 * the caller's @uattr: every byte that changed, but the attach type.
 */
void bpfdev_kprobe_load_done(union bpf_attr *uattr, const union bpf_attr *copy,
			     unsigned int size)
{
	const size_t eat = offsetof(union bpf_attr, expected_attach_type);
	union bpf_attr orig;
	unsigned int i;

	memset(&orig, 0, sizeof(orig));
	if (bpfdev_peek_user(&orig, uattr, size))
		return;
	for (i = 0; i < size; i++)
		if ((i < eat || i >= eat + sizeof(__u32)) &&
		    ((const char *)copy)[i] != ((char *)&orig)[i])
			((char *)uattr)[i] = ((const char *)copy)[i];
}

/* glibc's ioctl(), by its number */
static int real_ioctl(int fd, unsigned long req, unsigned long arg)
{
	return (int)bpfdev_real_syscall(__NR_ioctl, fd, (long)req, (long)arg,
					0, 0, 0);
}

__asm__(".symver bpfdev_interposed_ioctl, ioctl@@");

int bpfdev_interposed_ioctl(int fd, unsigned long req, ...)
{
	struct placeholder *f, p;
	unsigned long arg;
	int link, flags;
	va_list ap;

	va_start(ap, req);
	arg = va_arg(ap, unsigned long);
	va_end(ap);
	if (!any_placeholder() || (req != PERF_EVENT_IOC_ENABLE &&
				 req != PERF_EVENT_IOC_DISABLE &&
				 req != PERF_EVENT_IOC_SET_BPF))
		return real_ioctl(fd, req, arg);

	pthread_mutex_lock(&lock);
	f = find(fd);
	if (f)
		p = *f;
	pthread_mutex_unlock(&lock);
	if (!f)
		return real_ioctl(fd, req, arg);
	if (req != PERF_EVENT_IOC_SET_BPF)
		return 0;	/* a link is enabled from the start */
	if (p.link_id) {
		errno = EEXIST;
		return -1;
	}
	flags = fcntl(fd, F_GETFD);
	link = kprobe_multi_link((int)arg, &p);
	if (link < 0)
		return -1;
	/* the link takes the placeholder's fd: closing it detaches */
	p.link_id = link_id(link);
	if (!p.link_id ||
	    dup3(link, fd, flags > 0 && (flags & FD_CLOEXEC) ? O_CLOEXEC : 0) < 0) {
		close(link);
		return -1;
	}
	close(link);
	pthread_mutex_lock(&lock);
	remember(&p);
	pthread_mutex_unlock(&lock);
	return 0;
}
