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
 * mod:func, per-task or per-cgroup probes, grouped events, uprobes,
 * tracepoints; these go to perf_event_open(2) as they are. What differs
 * from a kprobe: a kretprobe.multi keeps fewer return slots (2 x CPUs) and
 * drops returns sooner; regs->ip is the fentry site; an unknown function
 * fails at attach (ESRCH), not at perf_event_open (ENOENT).
 *
 * A program loaded for BPF_TRACE_KPROBE_MULTI must never run from a real
 * perf event: 6.12 does not check (__perf_event_set_bpf_prog), and its
 * helpers would misread their context. The interposer refuses
 * PERF_EVENT_IOC_SET_BPF of the programs it rewrote on any fd but a
 * placeholder (EINVAL); bpf(2) itself refuses them a perf link.
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
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "libbpfdev.h"
#include "internal.h"

#define PLACEHOLDERS_MAX	256
#define REWRITTEN_MAX		256
#define SYM_MAX			128	/* KSYM_NAME_LEN in 6.12 is 512 */
#define PAGE			4096	/* bpf(2)'s largest attr */

/*
 * A perf_event_open() answered with a memfd (its own inode), or the link
 * put in its place or made for it (a link is known by its ID and type:
 * every link shares one anon inode).
 */
struct placeholder {
	int fd;
	dev_t dev;
	ino_t ino;
	__u32 link_id;		/* the link at fd (ioctl path) */
	int attached;		/* a link was made for it */
	int retprobe;
	char sym[SYM_MAX];
};

static struct placeholder placeholders[PLACEHOLDERS_MAX];
static int nr_placeholders;
static __u32 rewritten[REWRITTEN_MAX];	/* program IDs, a ring */
static unsigned int nr_rewritten;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void lock_prepare(void)
{
	pthread_mutex_lock(&lock);
}

static void lock_parent(void)
{
	pthread_mutex_unlock(&lock);
}

static void lock_child(void)
{
	pthread_mutex_init(&lock, NULL);
}

__attribute__((constructor)) static void kprobe_init(void)
{
	pthread_atfork(lock_prepare, lock_parent, lock_child);
}

int bpfdev_kprobe_multi(void)
{
	static int on = -1;
	int v = __atomic_load_n(&on, __ATOMIC_RELAXED);

	if (v < 0) {
		const char *e = secure_getenv("BPFDEV_KPROBE_MULTI");

		v = e && !strcmp(e, "1");
		__atomic_store_n(&on, v, __ATOMIC_RELAXED);
	}
	return v;
}

/* The kprobe PMU's type (sysfs, readable by anyone), or -1 */
static int kprobe_pmu_type(void)
{
	static int type = -1;
	int t = __atomic_load_n(&type, __ATOMIC_RELAXED), fd;
	char buf[16];
	ssize_t n;

	if (t >= 0)
		return t;
	fd = (int)bpfdev_real_syscall(__NR_open,
		(long)"/sys/bus/event_source/devices/kprobe/type",
		O_RDONLY | O_CLOEXEC, 0, 0, 0, 0);
	if (fd < 0)
		return -1;	/* not cached: it may work next time */
	n = bpfdev_real_syscall(__NR_read, fd, (long)buf, sizeof(buf) - 1,
				0, 0, 0);
	bpfdev_real_syscall(__NR_close, fd, 0, 0, 0, 0, 0);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	t = (int)strtol(buf, NULL, 10);
	if (t <= 0 && strcmp(buf, "0\n"))
		return -1;
	__atomic_store_n(&type, t, __ATOMIC_RELAXED);
	return t;
}

static void close_fd(int fd)
{
	bpfdev_real_syscall(__NR_close, fd, 0, 0, 0, 0, 0);
}

/* Any placeholder yet? Read without the lock: the fast path of ioctl() */
static int any_placeholder(void)
{
	return __atomic_load_n(&nr_placeholders, __ATOMIC_ACQUIRE) != 0;
}

/* bpf(BPF_OBJ_GET_INFO_BY_FD) of @fd into @info (@len bytes): 0 or -1 */
static int obj_info(int fd, void *info, __u32 len)
{
	union bpf_attr attr;

	memset(info, 0, len);
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (__u32)fd;
	attr.info.info_len = len;
	attr.info.info = (__u64)(unsigned long)info;
	return bpfdev_real_syscall(__NR_bpf, BPF_OBJ_GET_INFO_BY_FD,
				   (long)&attr, sizeof(attr), 0, 0, 0) ? -1 : 0;
}

/* The ID of the kprobe_multi link at @fd, or 0 */
static __u32 kprobe_multi_link_id(int fd)
{
	struct bpf_link_info info;
	int saved = errno;
	__u32 id = 0;

	if (!obj_info(fd, &info, sizeof(info)) &&
	    info.type == BPF_LINK_TYPE_KPROBE_MULTI)
		id = info.id;
	errno = saved;
	return id;
}

/* The ID of the program at @fd, or 0 */
static __u32 prog_id(int fd)
{
	struct bpf_prog_info info;
	int saved = errno;
	__u32 id = 0;

	if (!obj_info(fd, &info, sizeof(info)))
		id = info.id;
	errno = saved;
	return id;
}

/* Is @p still what stands at its fd? */
static int current(const struct placeholder *p)
{
	struct stat st;
	int saved = errno, cur;

	if (p->link_id)
		cur = kprobe_multi_link_id(p->fd) == p->link_id;
	else
		cur = !fstat(p->fd, &st) && st.st_dev == p->dev &&
		      st.st_ino == p->ino;
	errno = saved;
	return cur;
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

/* Remember @p: in a free slot, or a stale one; with the lock held */
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

/* Did the interposer rewrite the program at @fd? */
static int was_rewritten(int fd)
{
	unsigned int i;
	int found = 0;
	__u32 id;

	if (!__atomic_load_n(&nr_rewritten, __ATOMIC_ACQUIRE))
		return 0;
	id = prog_id(fd);
	pthread_mutex_lock(&lock);
	for (i = 0; id && i < REWRITTEN_MAX; i++)
		if (rewritten[i] == id)
			found = 1;
	pthread_mutex_unlock(&lock);
	return found;
}

/*
 * libbpf's perf_event_open() of a kprobe: the kprobe PMU, a function's
 * name and no offset, every CPU's events of every task (pid -1 on CPU 0,
 * or this process on every CPU), no group, no flag but CLOEXEC.
 */
static int libbpf_kprobe(const struct perf_event_attr *attr, const long a[6])
{
	return attr->type == (__u32)kprobe_pmu_type() && attr->config <= 1 &&
	       attr->config1 && !attr->config2 && (int)a[3] == -1 &&
	       !(a[4] & ~(long)PERF_FLAG_FD_CLOEXEC) &&
	       (((int)a[1] == -1 && (int)a[2] == 0) ||
		((int)a[1] == getpid() && (int)a[2] == -1));
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
	    !libbpf_kprobe(&attr, a) || bpfdev_device_fd() < 0)
		goto real;
	memset(&p, 0, sizeof(p));
	/* the name, a byte at a time: a bad pointer is perf's EFAULT */
	for (i = 0; i < sizeof(p.sym); i++)
		if (bpfdev_peek_user(&p.sym[i], (const char *)attr.config1 + i,
				     1) || !p.sym[i])
			break;
	if (i == 0 || i == sizeof(p.sym) || p.sym[i] || strchr(p.sym, ':'))
		goto real;	/* unreadable, too long, or mod:func */
	p.retprobe = attr.config & 1;	/* kprobe/format/retprobe: config:0 */
	fd = memfd_create("bpfdev-kprobe",
			  (a[4] & PERF_FLAG_FD_CLOEXEC) ? MFD_CLOEXEC : 0);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st)) {
		close_fd(fd);
		return -1;
	}
	p.fd = fd;
	p.dev = st.st_dev;
	p.ino = st.st_ino;
	pthread_mutex_lock(&lock);
	err = remember(&p);
	pthread_mutex_unlock(&lock);
	if (err) {
		close_fd(fd);
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
static int kprobe_multi_link(int prog_fd, const struct placeholder *p,
			     __u64 cookie)
{
	const char *syms[1] = { p->sym };
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = (__u32)prog_fd;
	attr.link_create.attach_type = BPF_TRACE_KPROBE_MULTI;
	attr.link_create.kprobe_multi.flags =
		p->retprobe ? BPF_F_KPROBE_MULTI_RETURN : 0;
	attr.link_create.kprobe_multi.cnt = 1;
	attr.link_create.kprobe_multi.syms = (__u64)(unsigned long)syms;
	if (cookie)
		attr.link_create.kprobe_multi.cookies =
			(__u64)(unsigned long)&cookie;
	fd = (int)bpfdev_real_syscall(__NR_bpf, BPF_LINK_CREATE, (long)&attr,
				      sizeof(attr), 0, 0, 0);
	if (bpfdev_debug())
		bpfdev_log("bpf(LINK_CREATE) kprobe_multi %s%s for placeholder %d: %d\n",
			   p->retprobe ? "return " : "", p->sym, p->fd, fd);
	return fd;
}

/*
 * BPF_LINK_CREATE of @uattr (@size bytes) for BPF_PERF_EVENT on a
 * placeholder: the kprobe_multi link's fd. 0 when it is not one (@ret
 * untouched), 1 when answered (@ret set, errno with it).
 */
int bpfdev_kprobe_link_create(const union bpf_attr *uattr, unsigned int size,
			      long *ret)
{
	const size_t end = offsetofend(union bpf_attr,
				       link_create.perf_event.bpf_cookie);
	struct placeholder *f, p;
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	if (!bpfdev_kprobe_multi() || !any_placeholder() ||
	    size < offsetofend(union bpf_attr, link_create.attach_type) ||
	    bpfdev_peek_user(&attr, uattr, size < end ? size : end) ||
	    attr.link_create.attach_type != BPF_PERF_EVENT)
		return 0;
	pthread_mutex_lock(&lock);
	f = find((int)attr.link_create.target_fd);
	if (!f) {
		pthread_mutex_unlock(&lock);
		return 0;
	}
	if (attr.link_create.flags) {
		errno = EINVAL;
		*ret = -1;
	} else if (f->attached) {
		errno = EEXIST;
		*ret = -1;
	} else {
		p = *f;
		*ret = kprobe_multi_link((int)attr.link_create.prog_fd, &p,
					 attr.link_create.perf_event.bpf_cookie);
		if (*ret >= 0)
			f->attached = 1;
	}
	pthread_mutex_unlock(&lock);
	return 1;
}

/*
 * A kprobe program load of a caller the device serves, for no attach type,
 * not sleepable, in a process that opted in and whose file's grant
 * delegates trace_kprobe_multi: @copy (@size bytes, from the caller's
 * @uattr, at most a page) is set to load it for BPF_TRACE_KPROBE_MULTI,
 * and *@send to the size to send. 0 when it is not one.
 */
int bpfdev_kprobe_load_attr(int dev_fd, const union bpf_attr *uattr,
			    unsigned int size, union bpf_attr *copy,
			    unsigned int *send)
{
	char buf[PAGE];
	struct bpfdev_info info;
	unsigned int i;

	if (!bpfdev_kprobe_multi() || size > sizeof(buf) ||
	    size < offsetofend(union bpf_attr, expected_attach_type) ||
	    bpfdev_peek_user(buf, uattr, size))
		return 0;
	/* a newer libbpf's larger attr: the same, if what we lack is 0 */
	for (i = sizeof(*copy); i < size; i++)
		if (buf[i])
			return 0;
	memset(copy, 0, sizeof(*copy));
	memcpy(copy, buf, size < sizeof(*copy) ? size : sizeof(*copy));
	if (copy->prog_type != BPF_PROG_TYPE_KPROBE ||
	    copy->expected_attach_type ||
	    (copy->prog_flags & BPF_F_SLEEPABLE))
		return 0;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	if (ioctl(dev_fd, BPFDEV_IOC_INFO, &info) ||
	    !(info.attachs & (1ULL << BPF_TRACE_KPROBE_MULTI)))
		return 0;
	copy->expected_attach_type = BPF_TRACE_KPROBE_MULTI;
	*send = size < sizeof(*copy) ? size : sizeof(*copy);
	return 1;
}

/*
 * After the rewritten load: remember the program, and write into the
 * caller's @uattr what the kernel wrote into @copy (6.12's log_true_size,
 * a rec_size on error), the bytes that changed from @before but the
 * attach type, with process_vm_writev(): an unwritable attr is left as
 * it is, never a SIGSEGV.
 */
void bpfdev_kprobe_load_done(long fd, union bpf_attr *uattr,
			     const union bpf_attr *before,
			     const union bpf_attr *copy, unsigned int size)
{
	const size_t eat = offsetof(union bpf_attr, expected_attach_type);
	struct iovec local, remote;
	int saved = errno;
	unsigned int i;
	__u32 id;

	id = fd >= 0 ? prog_id((int)fd) : 0;
	if (id) {
		pthread_mutex_lock(&lock);
		rewritten[nr_rewritten % REWRITTEN_MAX] = id;
		__atomic_fetch_add(&nr_rewritten, 1, __ATOMIC_RELEASE);
		pthread_mutex_unlock(&lock);
	}
	for (i = 0; i < size && i < sizeof(*copy); i++) {
		if ((i >= eat && i < eat + sizeof(__u32)) ||
		    ((const char *)copy)[i] == ((const char *)before)[i])
			continue;
		local.iov_base = (char *)copy + i;
		remote.iov_base = (char *)uattr + i;
		local.iov_len = remote.iov_len = 1;
		bpfdev_real_syscall(SYS_process_vm_writev, getpid(),
				    (long)&local, 1, (long)&remote, 1, 0);
	}
	errno = saved;
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
	int link, flags, ret;
	va_list ap;

	va_start(ap, req);
	arg = va_arg(ap, unsigned long);
	va_end(ap);
	if ((req != PERF_EVENT_IOC_ENABLE && req != PERF_EVENT_IOC_DISABLE &&
	     req != PERF_EVENT_IOC_SET_BPF) ||
	    (!any_placeholder() &&
	     !__atomic_load_n(&nr_rewritten, __ATOMIC_ACQUIRE)))
		return real_ioctl(fd, req, arg);

	pthread_mutex_lock(&lock);
	f = find(fd);
	if (!f) {
		pthread_mutex_unlock(&lock);
		/* a rewritten program must not run from a real perf event */
		if (req == PERF_EVENT_IOC_SET_BPF && was_rewritten((int)arg)) {
			errno = EINVAL;
			return -1;
		}
		return real_ioctl(fd, req, arg);
	}
	if (req != PERF_EVENT_IOC_SET_BPF) {
		pthread_mutex_unlock(&lock);
		return 0;	/* a link is enabled from the start */
	}
	ret = -1;
	if (f->attached || f->link_id) {
		errno = EEXIST;
		goto out;
	}
	p = *f;
	flags = fcntl(fd, F_GETFD);
	link = kprobe_multi_link((int)arg, &p, 0);
	if (link < 0)
		goto out;
	/* the link takes the placeholder's fd: closing it detaches */
	p.link_id = kprobe_multi_link_id(link);
	if (!p.link_id ||
	    dup3(link, fd, flags > 0 && (flags & FD_CLOEXEC) ? O_CLOEXEC : 0) < 0) {
		close_fd(link);
		goto out;
	}
	close_fd(link);
	p.attached = 1;
	*f = p;		/* the memfd is gone: its entry becomes the link's */
	ret = 0;
out:
	pthread_mutex_unlock(&lock);
	return ret;
}
