// SPDX-License-Identifier: GPL-2.0
/*
 * bpfdevctl: configure, inspect and revoke bpfdev's profiles (bpfdevctl(8)).
 *
 * What it reads and writes is the module's own interface: configfs
 * (/sys/kernel/config/bpfdev: a directory per profile, default/ being
 * /dev/bpf's), the nodes' refusals ioctl, and /proc/PID/fdinfo for the
 * holders of open files. The profiles' files are
 * /etc/bpfdev/profiles.d/NAME.conf, over /usr/lib/bpfdev/profiles.d/ of
 * the same name, one profile each: "key = value" lines, the keys of a
 * profile's grant (bpfdev(4), NAMES) and group, mode.
 *
 * Every value is checked by the kernel's own parser before anything is
 * applied: bpfdevctl writes each line alone into a scratch profile that
 * never gets a node, so a bad type name is refused with its file and line.
 * A reload applies all the files or none: what it changed is put back if a
 * step fails. Conventions of bpftool: subcommands, -j and -p for JSON, exit
 * status 0 on success, 1 on an error, 2 on a usage error.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <linux/bpfdev.h>

#define CFS		"/sys/kernel/config/bpfdev"
#define ETC_DIR		"/etc/bpfdev/profiles.d"
#define VENDOR_DIR	"/usr/lib/bpfdev/profiles.d"
#define NAME_MAX_LEN	32	/* BPFDEV_PROFILE_NAME_MAX */
#define MAX_PROFILES	256
#define MAX_KEYS	64
#define LISTING_MAX	(4 << 20)	/* BPFDEV_LISTING_MAX */

enum { EXIT_OK, EXIT_ERR, EXIT_USAGE };

static int json, pretty;

/* --- JSON, as bpftool writes it: -j on one line, -p indented --------- */

static int jdepth;
static int jfirst = 1;

static void jsep(void)
{
	if (!jfirst)
		putchar(',');
	jfirst = 0;
	if (pretty && jdepth) {
		putchar('\n');
		printf("%*s", jdepth * 4, "");
	}
}

static void jstr_raw(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void jkey(const char *key)
{
	jsep();
	if (key) {
		jstr_raw(key);
		printf(pretty ? ": " : ":");
		jfirst = 1;	/* the value follows without a separator */
	}
}

static void jvalue_start(const char *key)
{
	jkey(key);
	jfirst = 0;
}

static void jopen(const char *key, char c)
{
	jvalue_start(key);
	putchar(c);
	jdepth++;
	jfirst = 1;
}

static void jclose(char c)
{
	int empty = jfirst;

	jdepth--;
	if (pretty && !empty) {
		putchar('\n');
		printf("%*s", jdepth * 4, "");
	}
	putchar(c);
	jfirst = 0;
	if (!jdepth)
		putchar('\n');
}

static void jstr(const char *key, const char *v)
{
	jvalue_start(key);
	jstr_raw(v);
}

static void jnum(const char *key, long long v)
{
	jvalue_start(key);
	printf("%lld", v);
}

static void jbool(const char *key, int v)
{
	jvalue_start(key);
	printf(v ? "true" : "false");
}

static void jnull(const char *key)
{
	jvalue_start(key);
	printf("null");
}

/* --- small helpers ----------------------------------------------------- */

static void warnx(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bpfdevctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The whole of a file, NUL-terminated, or NULL and errno. */
static char *slurp(const char *path, size_t max)
{
	size_t len = 0, size = 4096;
	char *buf = malloc(size);
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !buf) {
		int e = errno;

		free(buf);
		if (fd >= 0)
			close(fd);
		errno = e;
		return NULL;
	}
	for (;;) {
		if (len + 1 >= size) {
			char *bigger = size < max ? realloc(buf, size * 2) : NULL;

			if (!bigger) {
				free(buf);
				close(fd);
				errno = EFBIG;
				return NULL;
			}
			buf = bigger;
			size *= 2;
		}
		n = read(fd, buf + len, size - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/* A file of a few pages at most, into @buf: 0 or -errno (-EFBIG). */
static int read_text(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while (len + 1 < size &&
	       (n = read(fd, buf + len, size - 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = -errno;

			close(fd);
			return e;
		}
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return len + 1 < size ? 0 : -EFBIG;
}

/* The first line of a file, without its newline, into @buf: 0 or -errno. */
static int read_line(const char *path, char *buf, size_t size)
{
	int ret = read_text(path, buf, size);

	buf[strcspn(buf, "\n")] = '\0';
	return ret == -EFBIG ? 0 : ret;
}

/* One write of @value: 0 or -errno. */
static int write_str(const char *path, const char *value)
{
	size_t len = strlen(value);
	ssize_t n;
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	if (n < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	if (close(fd))
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static int attr_path(char *buf, size_t size, const char *name,
		     const char *attr)
{
	return snprintf(buf, size, CFS "/%s/%s", name, attr) >= (int)size ?
	       -ENAMETOOLONG : 0;
}

static int attr_read(const char *name, const char *attr, char *buf,
		     size_t size)
{
	char path[PATH_MAX];

	return attr_path(path, sizeof(path), name, attr) ?:
	       read_line(path, buf, size);
}

/* A whole attribute of a profile, newlines kept (a grant, a list) */
static int attr_text(const char *name, const char *attr, char *buf,
		     size_t size)
{
	char path[PATH_MAX];

	return attr_path(path, sizeof(path), name, attr) ?:
	       read_text(path, buf, size);
}

static char *attr_slurp(const char *name, const char *attr)
{
	char path[PATH_MAX];

	if (attr_path(path, sizeof(path), name, attr)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return slurp(path, LISTING_MAX);
}

static int attr_write(const char *name, const char *attr, const char *value)
{
	char path[PATH_MAX];

	return attr_path(path, sizeof(path), name, attr) ?:
	       write_str(path, value);
}

/* A profile's name, as the module takes it (configfs.c) */
static int name_ok(const char *name)
{
	size_t i, len = strlen(name);

	if (!len || len > NAME_MAX_LEN || !isalnum((unsigned char)name[0]))
		return 0;
	for (i = 0; i < len; i++)
		if (!(islower((unsigned char)name[i]) ||
		      isdigit((unsigned char)name[i]) || name[i] == '_' ||
		      name[i] == '-'))
			return 0;
	return 1;
}

static const char *node_of(const char *name, char *buf, size_t size)
{
	if (!strcmp(name, "default"))
		snprintf(buf, size, "/dev/bpf");
	else
		snprintf(buf, size, "/dev/bpf-%s", name);
	return buf;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The profiles running: default first, then by name. Returns the count. */
static int running_profiles(char **names, int max)
{
	DIR *d = opendir(CFS);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d)) && n < max)
		if (e->d_name[0] != '.' && e->d_type == DT_DIR)
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof(*names), cmp_str);
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], "default")) {
			char *def = names[i];

			memmove(names + 1, names, (size_t)i * sizeof(*names));
			names[0] = def;
		}
	return n;
}

static void free_names(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
}

/* Is the module there, and configfs? A reason when not. */
static const char *module_state(void)
{
	struct stat st;

	if (stat("/sys/module/bpfdev", &st))
		return "the bpfdev module is not loaded";
	if (stat(CFS, &st))
		return "no " CFS " (is configfs mounted?)";
	return NULL;
}

/*
 * --wait: udev sees the module's add event before its init has run, and
 * configfs refuses a profile (EAGAIN) until it has: wait for it, 30 s.
 */
static void module_wait(void)
{
	char state[32];
	struct stat st;

	for (int i = 0; i < 300; i++) {
		if (!read_line("/sys/module/bpfdev/initstate", state,
			       sizeof(state)) && !strcmp(state, "live") &&
		    !stat(CFS "/default", &st))
			return;
		usleep(100 * 1000);
	}
}

/* A user by name or number: 0 and *uid, or -1 */
static int parse_user(const char *s, uid_t *uid)
{
	struct passwd *pw;
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s && !*end && !errno && v < UINT_MAX) {
		*uid = (uid_t)v;
		return 0;
	}
	pw = getpwnam(s);
	if (!pw)
		return -1;
	*uid = pw->pw_uid;
	return 0;
}

/* --- the profiles' files ------------------------------------------------ */

struct conf_line {
	char *key, *value;
	int line;
};

struct conf {
	char name[NAME_MAX_LEN + 1];
	char path[PATH_MAX];
	struct conf_line kv[MAX_KEYS];
	int nkv;
	char grant[8192];	/* the grant keys, as one write */
	gid_t gid;
	unsigned int mode;
	int has_group, has_mode;
};

struct confs {
	struct conf *c;
	int n;
	int errors;
};

static void conf_error(struct confs *cs, const char *path, int line,
		       const char *fmt, ...)
{
	va_list ap;

	if (line)
		fprintf(stderr, "%s:%d: ", path, line);
	else
		fprintf(stderr, "%s: ", path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cs->errors++;
}

/* NAME.conf in @dir, over (etc) or under (vendor) what is already found */
static void confs_scan(struct confs *cs, const char *dir, int override)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char name[NAME_MAX + 1];
		struct conf *c = NULL;
		int i;

		if (len <= 5 || strcmp(e->d_name + len - 5, ".conf"))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len - 5),
			 e->d_name);
		for (i = 0; i < cs->n; i++)
			if (!strcmp(cs->c[i].name, name))
				c = &cs->c[i];
		if (c && !override)
			continue;
		if (!c) {
			if (cs->n == MAX_PROFILES) {
				conf_error(cs, dir, 0, "more than %d profiles",
					   MAX_PROFILES);
				break;
			}
			c = &cs->c[cs->n++];
		}
		memset(c, 0, sizeof(*c));
		snprintf(c->name, sizeof(c->name), "%.*s", (int)NAME_MAX_LEN,
			 name);
		snprintf(c->path, sizeof(c->path), "%s/%s", dir, e->d_name);
		if (strcmp(c->name, name) || !name_ok(name))
			conf_error(cs, c->path, 0,
				   "'%s' is not a profile name: at most %d of a-z, 0-9, '_' and '-', from a letter or digit",
				   name, NAME_MAX_LEN);
		else if (!strcmp(name, "default"))
			conf_error(cs, c->path, 0,
				   "the default profile (/dev/bpf) is configured by the module parameters, in /etc/modprobe.d/bpfdev.conf (bpfdev(4)), not here");
	}
	closedir(d);
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* The lines of one file: "key = value", '#' comments, blank lines */
static void conf_read(struct confs *cs, struct conf *c)
{
	char *text = slurp(c->path, 1 << 20), *line, *next;
	int no = 0;

	if (!text) {
		conf_error(cs, c->path, 0, "%s", strerror(errno));
		return;
	}
	for (line = text; line; line = next) {
		char *eq, *key, *value;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		no++;
		line = trim(line);
		if (!*line || *line == '#')
			continue;
		eq = strchr(line, '=');
		if (!eq) {
			conf_error(cs, c->path, no, "not 'key = value': '%s'",
				   line);
			continue;
		}
		*eq = '\0';
		key = trim(line);
		value = trim(eq + 1);
		for (int i = 0; i < c->nkv; i++)
			if (!strcmp(c->kv[i].key, key))
				conf_error(cs, c->path, no,
					   "'%s' again (line %d has it)", key,
					   c->kv[i].line);
		if (c->nkv == MAX_KEYS) {
			conf_error(cs, c->path, no, "too many keys");
			break;
		}
		c->kv[c->nkv].key = strdup(key);
		c->kv[c->nkv].value = strdup(value);
		c->kv[c->nkv].line = no;
		c->nkv++;
	}
	free(text);
}

/*
 * The scratch profile the values are checked in: the kernel's parser, on
 * a profile that never gets a node.
 */
static char scratch[NAME_MAX_LEN + 1];

static void scratch_remove(void)
{
	char path[PATH_MAX];

	if (!scratch[0])
		return;
	snprintf(path, sizeof(path), CFS "/%s", scratch);
	rmdir(path);
	scratch[0] = '\0';
}

static int scratch_make(void)
{
	char path[PATH_MAX];

	snprintf(scratch, sizeof(scratch), "bpfdevctl-check-%d",
		 (int)getpid());
	snprintf(path, sizeof(path), CFS "/%s", scratch);
	if (mkdir(path, 0755)) {
		int e = -errno;

		scratch[0] = '\0';
		return e;
	}
	atexit(scratch_remove);
	return 0;
}

/* The keys a grant has: the scratch profile's default grant, printed */
static int grant_keys(char keys[][32], int max)
{
	char buf[8192], *tok, *save = NULL;
	int n = 0;

	if (attr_text(scratch, "grant", buf, sizeof(buf)))
		return -1;
	for (tok = strtok_r(buf, " \t\n", &save); tok && n < max;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		char *eq = strchr(tok, '=');

		if (eq)
			snprintf(keys[n++], 32, "%.*s", (int)(eq - tok), tok);
	}
	return n;
}

/* A value as the module takes it: "a, b c" is "a:b:c" */
static void squeeze(char *dst, size_t size, const char *src)
{
	size_t n = 0;
	int sep = 0;

	for (; *src && n + 1 < size; src++) {
		if (strchr(" \t,:", *src)) {
			sep = n > 0;
			continue;
		}
		if (sep)
			dst[n++] = ':';
		sep = 0;
		if (n + 1 < size)
			dst[n++] = *src;
	}
	dst[n] = '\0';
}

static void conf_check(struct confs *cs, struct conf *c, char keys[][32],
		       int nkeys)
{
	size_t len = 0;

	c->mode = 0600;
	for (int i = 0; i < c->nkv; i++) {
		const struct conf_line *kv = &c->kv[i];
		char value[4096], one[4200];
		int known = 0, ret;

		if (!strcmp(kv->key, "group")) {
			struct group *gr = getgrnam(kv->value);
			char *end;
			unsigned long v = strtoul(kv->value, &end, 10);

			c->has_group = 1;
			if (gr)
				c->gid = gr->gr_gid;
			else if (*kv->value && !*end && v < UINT_MAX)
				c->gid = (gid_t)v;
			else
				conf_error(cs, c->path, kv->line,
					   "group: no group '%s'", kv->value);
			continue;
		}
		if (!strcmp(kv->key, "mode")) {
			char *end;
			unsigned long v = strtoul(kv->value, &end, 8);

			c->has_mode = 1;
			c->mode = (unsigned int)v;
			if (!*kv->value || *end || v > 0777)
				conf_error(cs, c->path, kv->line,
					   "mode: '%s' is not octal permission bits (0000 to 0777)",
					   kv->value);
			continue;
		}
		for (int k = 0; k < nkeys; k++)
			known |= !strcmp(keys[k], kv->key);
		if (!known) {
			conf_error(cs, c->path, kv->line,
				   "unknown key '%s' (bpfdev(4), NAMES)",
				   kv->key);
			continue;
		}
		squeeze(value, sizeof(value), kv->value);
		snprintf(one, sizeof(one), "%s=%s\n", kv->key, value);
		ret = attr_write(scratch, "grant", one);
		if (ret == -EINVAL || ret == -ERANGE)
			conf_error(cs, c->path, kv->line,
				   "%s: '%s' is not a value the module takes (an unknown name, or a bad number)",
				   kv->key, kv->value);
		else if (ret)
			conf_error(cs, c->path, kv->line, "%s: %s", kv->key,
				   strerror(-ret));
		len += (size_t)snprintf(c->grant + len, sizeof(c->grant) - len,
					"%s%s", len ? " " : "", one);
		if (len >= sizeof(c->grant))
			conf_error(cs, c->path, kv->line, "the grant is too long");
	}
	if (!len)
		snprintf(c->grant, sizeof(c->grant), "\n");
}

/* The grant @text as the module prints it, for comparing: 0 or -errno */
static int canonical(const char *text, char *out, size_t size)
{
	return attr_write(scratch, "grant", text) ?:
	       attr_text(scratch, "grant", out, size);
}

/* Read and check every file; errors are printed. 0 or the error count. */
static int confs_load(struct confs *cs)
{
	char keys[MAX_KEYS][32];
	int nkeys, ret;

	cs->c = calloc(MAX_PROFILES, sizeof(*cs->c));
	if (!cs->c)
		return ++cs->errors;
	confs_scan(cs, VENDOR_DIR, 0);
	confs_scan(cs, ETC_DIR, 1);
	for (int i = 0; i < cs->n; i++)
		conf_read(cs, &cs->c[i]);
	ret = scratch_make();
	if (ret) {
		warnx("cannot check the files: mkdir " CFS "/...: %s",
		      strerror(-ret));
		return ++cs->errors;
	}
	nkeys = grant_keys(keys, MAX_KEYS);
	if (nkeys <= 0) {
		warnx("cannot read a grant's keys from " CFS);
		return ++cs->errors;
	}
	for (int i = 0; i < cs->n; i++)
		conf_check(cs, &cs->c[i], keys, nkeys);
	return cs->errors;
}

static const struct conf *conf_find(const struct confs *cs, const char *name)
{
	for (int i = 0; i < cs->n; i++)
		if (!strcmp(cs->c[i].name, name))
			return &cs->c[i];
	return NULL;
}

/* --- reload --------------------------------------------------------------- */

/* What a profile was before reload changed it, to put it back */
struct undo {
	char name[NAME_MAX_LEN + 1];
	int created, saved;
	char grant[8192], group[32], mode[16];
};

static int profile_exists(const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), CFS "/%s", name);
	return !stat(path, &st);
}

/*
 * A node's group and mode. A new group is written with the node at 0600
 * in between (bpfdev(4)), so that it is never open to more than the old or
 * the new setting allows; the same group is not touched.
 */
static int set_owner(const char *name, const char *group, const char *mode)
{
	char now[32];

	if (attr_read(name, "group", now, sizeof(now)) ||
	    strtoul(now, NULL, 10) != strtoul(group, NULL, 10)) {
		int ret = attr_write(name, "mode", "0600") ?:
			  attr_write(name, "group", group);

		if (ret)
			return ret;
	}
	return attr_write(name, "mode", mode);
}

static int apply_one(const struct conf *c, struct undo *u)
{
	char path[PATH_MAX], num[32], mode[16];
	int ret;

	snprintf(u->name, sizeof(u->name), "%s", c->name);
	u->created = !profile_exists(c->name);
	if (u->created) {
		snprintf(path, sizeof(path), CFS "/%s", c->name);
		if (mkdir(path, 0755))
			return -errno;
	} else if (attr_text(c->name, "grant", u->grant, sizeof(u->grant)) ||
		   attr_read(c->name, "group", u->group, sizeof(u->group)) ||
		   attr_read(c->name, "mode", u->mode, sizeof(u->mode))) {
		return -EIO;
	} else {
		u->saved = 1;
	}
	ret = attr_write(c->name, "grant", c->grant);
	if (ret)
		return ret;
	snprintf(num, sizeof(num), "%u", c->has_group ? c->gid : 0);
	snprintf(mode, sizeof(mode), "%04o", c->mode);
	return set_owner(c->name, num, mode) ?:
	       attr_write(c->name, "enable", "1");
}

static void undo_one(const struct undo *u)
{
	char path[PATH_MAX];

	if (u->created) {
		snprintf(path, sizeof(path), CFS "/%s", u->name);
		rmdir(path);
		return;
	}
	if (!u->saved)
		return;
	attr_write(u->name, "grant", u->grant);
	set_owner(u->name, u->group, u->mode);
}

static int is_scratch(const char *name)
{
	return !strncmp(name, "bpfdevctl-check-", 16);
}

/* A scratch profile whose bpfdevctl is gone (killed before its rmdir) */
static int is_stale_scratch(const char *name)
{
	long pid = strtol(name + 16, NULL, 10);

	return is_scratch(name) && strcmp(name, scratch) && pid > 0 &&
	       kill((pid_t)pid, 0) && errno == ESRCH;
}

static int cmd_reload(int argc, char **argv)
{
	struct confs cs = { 0 };
	struct undo *undo;
	char *running[MAX_PROFILES];
	int nrun, i, ret = 0, check_only = 0, lock;
	const char *why;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check"))
			check_only = 1;
		else if (!strcmp(argv[i], "--wait"))
			module_wait();
		else
			return EXIT_USAGE;
	}
	why = module_state();
	if (why) {
		warnx("%s", why);
		return EXIT_ERR;
	}
	/* one reload at a time: udev's at a modprobe, and root's */
	lock = open("/run/lock/bpfdevctl.lock",
		    O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lock >= 0)
		flock(lock, LOCK_EX);
	if (confs_load(&cs)) {
		warnx("%d error(s): nothing was applied", cs.errors);
		return EXIT_ERR;
	}
	if (check_only) {
		if (!json)
			printf("%d profile file(s), all valid\n", cs.n);
		return EXIT_OK;
	}
	undo = calloc((size_t)cs.n + 1, sizeof(*undo));
	if (!undo)
		return EXIT_ERR;
	for (i = 0; i < cs.n; i++) {
		ret = apply_one(&cs.c[i], &undo[i]);
		if (ret) {
			warnx("%s: %s; the reload was undone", cs.c[i].path,
			      strerror(-ret));
			break;
		}
	}
	if (ret) {
		for (; i >= 0; i--)
			undo_one(&undo[i]);
		free(undo);
		return EXIT_ERR;
	}
	free(undo);
	/* last, once the rest holds: a profile without a file goes */
	nrun = running_profiles(running, MAX_PROFILES);
	for (i = 0; i < nrun; i++) {
		char path[PATH_MAX];

		if (!strcmp(running[i], "default") ||
		    (is_scratch(running[i]) && !is_stale_scratch(running[i])) ||
		    conf_find(&cs, running[i]))
			continue;
		snprintf(path, sizeof(path), CFS "/%s", running[i]);
		if (rmdir(path)) {
			warnx("rmdir %s: %s", path, strerror(errno));
			ret = -errno;
		}
	}
	free_names(running, nrun > 0 ? nrun : 0);
	if (!json)
		printf("%d profile(s) applied\n", cs.n);
	return ret ? EXIT_ERR : EXIT_OK;
}

/* --- status and profiles -------------------------------------------------- */

/* The grant text, "key=value"s, as JSON members or as indented lines */
static void show_grant(const char *grant)
{
	char buf[8192], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", grant);
	if (json)
		jopen("grant", '{');
	for (tok = strtok_r(buf, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq)
			continue;
		*eq = '\0';
		if (!json) {
			printf("\t%-16s %s\n", tok, eq + 1);
			continue;
		}
		if (isdigit((unsigned char)eq[1]) &&
		    eq[1 + strspn(eq + 1, "0123456789")] == '\0')
			jnum(tok, strtoll(eq + 1, NULL, 10));
		else
			jstr(tok, eq + 1);
	}
	if (json)
		jclose('}');
}

/* One profile's drift from its file, or NULL: for root, with the files */
static const char *drift_of(const char *name, const struct confs *cs,
			    int have_files, char *buf, size_t size)
{
	const struct conf *c;
	char want[8192], have[8192], num[32];

	if (!have_files)
		return NULL;
	if (!strcmp(name, "default"))
		return NULL;
	c = conf_find(cs, name);
	if (!c)
		return "running, but no file configures it (a reload removes it)";
	if (canonical(c->grant, want, sizeof(want)) ||
	    attr_text(name, "grant", have, sizeof(have)))
		return "its grant cannot be read";
	if (strcmp(want, have)) {
		snprintf(buf, size, "its grant is not %s's", c->path);
		return buf;
	}
	if (attr_read(name, "group", num, sizeof(num)) ||
	    strtoul(num, NULL, 10) != (c->has_group ? c->gid : 0) ||
	    attr_read(name, "mode", num, sizeof(num)) ||
	    strtoul(num, NULL, 8) != c->mode) {
		snprintf(buf, size, "its group or mode is not %s's", c->path);
		return buf;
	}
	if (attr_read(name, "enable", num, sizeof(num)) || strcmp(num, "1"))
		return "it has no node";
	return NULL;
}

static void show_profile(const char *name, const struct confs *cs,
			 int have_files, int verbose)
{
	char grant[8192], node[64], rev[4096], buf[PATH_MAX + 64];
	int rev_known;
	const char *drift;
	struct stat st;
	struct group *gr;
	int has_node;

	node_of(name, node, sizeof(node));
	has_node = !stat(node, &st);
	if (attr_text(name, "grant", grant, sizeof(grant)))
		grant[0] = '\0';
	/* root's to read */
	rev_known = !attr_text(name, "revoked_users", rev, sizeof(rev));
	if (!rev_known)
		rev[0] = '\0';
	drift = drift_of(name, cs, have_files, buf, sizeof(buf));
	gr = has_node ? getgrgid(st.st_gid) : NULL;

	if (json) {
		jopen(NULL, '{');
		jstr("name", name);
		if (has_node) {
			jstr("node", node);
			jnum("gid", st.st_gid);
			if (gr)
				jstr("group", gr->gr_name);
			snprintf(buf, sizeof(buf), "%04o", st.st_mode & 07777);
			jstr("mode", buf);
		} else {
			jnull("node");
		}
		show_grant(grant);
		if (rev_known) {
			jopen("revoked_users", '[');
			for (char *p = rev, *save = NULL, *t;
			     (t = strtok_r(p, "\n", &save)); p = NULL) {
				jvalue_start(NULL);
				printf("%s", t);
			}
			jclose(']');
		} else {
			jnull("revoked_users");
		}
		if (have_files) {
			const struct conf *c = conf_find(cs, name);

			if (c)
				jstr("file", c->path);
			else
				jnull("file");
			if (drift)
				jstr("drift", drift);
			else
				jnull("drift");
		}
		jclose('}');
		return;
	}
	printf("%s: %s", name, has_node ? node : "no node");
	if (has_node)
		printf(" %s %04o", gr ? gr->gr_name : "?", st.st_mode & 07777);
	putchar('\n');
	if (verbose)
		show_grant(grant);
	if (rev[0]) {
		printf("\trevoked users:");
		for (char *p = rev; *p; p++)
			putchar(*p == '\n' ? ' ' : *p);
		putchar('\n');
	}
	if (drift)
		printf("\tDRIFT: %s\n", drift);
}

/* The files, when the caller may check them (root): 1, else 0 */
static int status_confs(struct confs *cs)
{
	if (geteuid())
		return 0;
	confs_load(cs);
	return 1;
}

static int cmd_status(int argc, char **argv, int verbose)
{
	char *names[MAX_PROFILES], version[64] = "";
	struct confs cs = { 0 };
	const char *why = module_state();
	int n, have_files, files_ok = 1;

	(void)argc;
	(void)argv;
	if (why) {
		if (json) {
			jopen(NULL, '{');
			jbool("loaded", 0);
			jstr("reason", why);
			jclose('}');
		} else {
			printf("%s\n", why);
		}
		return EXIT_ERR;
	}
	read_line("/sys/module/bpfdev/version", version, sizeof(version));
	have_files = status_confs(&cs);
	if (have_files && cs.errors)
		files_ok = 0;
	n = running_profiles(names, MAX_PROFILES);
	if (json) {
		jopen(NULL, '{');
		jbool("loaded", 1);
		jstr("version", version);
		if (have_files)
			jbool("files_valid", files_ok);
		else
			jnull("files_valid");
		jopen("profiles", '[');
	} else {
		printf("bpfdev %s\n", version[0] ? version : "(no version)");
		if (!have_files)
			printf("files: not compared (root only)\n");
		else if (!files_ok)
			printf("files: INVALID (above); running state kept\n");
	}
	for (int i = 0; i < n; i++)
		if (!is_scratch(names[i]))
			show_profile(names[i], &cs, have_files && files_ok,
				     verbose);
	/* files with no profile running */
	for (int i = 0; have_files && files_ok && i < cs.n; i++) {
		if (profile_exists(cs.c[i].name))
			continue;
		if (json) {
			jopen(NULL, '{');
			jstr("name", cs.c[i].name);
			jnull("node");
			jstr("file", cs.c[i].path);
			jstr("drift", "configured, but not running (bpfdevctl reload)");
			jclose('}');
		} else {
			printf("%s: not running\n\tDRIFT: %s configures it (bpfdevctl reload)\n",
			       cs.c[i].name, cs.c[i].path);
		}
	}
	if (json) {
		jclose(']');
		jclose('}');
	}
	free_names(names, n > 0 ? n : 0);
	return EXIT_OK;
}

static int cmd_profile(int argc, char **argv)
{
	char *names[MAX_PROFILES];
	struct confs cs = { 0 };
	const char *why = module_state();
	int n;

	if (why) {
		warnx("%s", why);
		return EXIT_ERR;
	}
	if (argc >= 2 && !strcmp(argv[1], "list")) {
		n = running_profiles(names, MAX_PROFILES);
		if (json)
			jopen(NULL, '[');
		for (int i = 0; i < n; i++)
			if (!is_scratch(names[i]))
				show_profile(names[i], &cs, 0, 0);
		if (json)
			jclose(']');
		free_names(names, n > 0 ? n : 0);
		return EXIT_OK;
	}
	if (argc == 3 && !strcmp(argv[1], "show")) {
		if (!profile_exists(argv[2]) || is_scratch(argv[2])) {
			warnx("no profile '%s'", argv[2]);
			return EXIT_ERR;
		}
		show_profile(argv[2], &cs, status_confs(&cs) && !cs.errors, 1);
		return EXIT_OK;
	}
	warnx("usage: bpfdevctl profile list | profile show NAME");
	return EXIT_USAGE;
}

/* --- stats, files ------------------------------------------------------------ */

/* "key=value"s on @line: as JSON members (numbers), or "key value" lines */
static void show_pairs(char *line, const char *skip)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(line, " \n", &save); tok;
	     tok = strtok_r(NULL, " \n", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq || (skip && !strncmp(tok, skip, strlen(skip))))
			continue;
		*eq = '\0';
		if (json) {
			if (!strcmp(tok, "comm"))
				jstr(tok, eq + 1);
			else
				jnum(tok, strtoll(eq + 1, NULL, 10));
		} else if (strcmp(eq + 1, "0")) {
			printf("\t%-28s %s\n", tok, eq + 1);
		}
	}
}

/*
 * A member's own counts, which the users listing (root's) has: what the
 * node's INFO says of the caller, under the listing's names.
 */
static int stats_own(const char *name)
{
	struct bpfdev_info info = { .size = sizeof(info) };
	char node[64];
	int fd = open(node_of(name, node, sizeof(node)), O_RDONLY | O_CLOEXEC);

	if (fd < 0 || ioctl(fd, BPFDEV_IOC_INFO, &info)) {
		/* a profile whose node the caller may not open is not its */
		int e = errno;

		if (fd >= 0)
			close(fd);
		return e == EACCES ? 0 : -1;
	}
	close(fd);
	if (json) {
		jopen(NULL, '{');
		jstr("profile", name);
		jopen("user", '{');
		jnum("uid", getuid());
		jnum("progs", info.user_progs_created);
		jnum("maps", info.user_maps_created);
		jnum("jit_bytes", (long long)info.user_jit_bytes);
		jnum("btf_bytes", (long long)info.user_btf_bytes);
		jclose('}');
		jclose('}');
	} else {
		printf("%s\n  uid %u (the requests by outcome are root's to read):\n"
		       "\tprogs %u\n\tmaps %u\n\tjit_bytes %llu\n\tbtf_bytes %llu\n",
		       name, (unsigned int)getuid(), info.user_progs_created,
		       info.user_maps_created,
		       (unsigned long long)info.user_jit_bytes,
		       (unsigned long long)info.user_btf_bytes);
	}
	return 0;
}

static int stats_one(const char *name, int by_user, uid_t uid)
{
	char *text = attr_slurp(name, by_user ? "users" : "stats");
	char want[32];
	int found = 0;

	if (!text && errno == EACCES && by_user && uid == getuid())
		return stats_own(name);
	if (!text) {
		warnx("%s: %s%s", name, strerror(errno),
		      errno == EACCES ? " (root's to read)" : "");
		return -1;
	}
	snprintf(want, sizeof(want), "uid=%u ", (unsigned int)uid);
	if (json) {
		jopen(NULL, '{');
		jstr("profile", name);
	} else {
		printf("%s%s\n", name, by_user ? "" : ":");
	}
	if (!by_user) {
		if (json)
			jopen("counts", '{');
		show_pairs(text, NULL);
		if (json)
			jclose('}');
	} else {
		for (char *p = text, *save = NULL, *line;
		     (line = strtok_r(p, "\n", &save)); p = NULL) {
			if (strncmp(line, want, strlen(want)))
				continue;
			found = 1;
			if (json) {
				jopen("user", '{');
			} else {
				printf("  uid %u:\n", (unsigned int)uid);
			}
			show_pairs(line, NULL);
			if (json)
				jclose('}');
		}
		if (!found) {
			if (json)
				jnull("user");
			else
				printf("  uid %u: no requests\n",
				       (unsigned int)uid);
		}
	}
	if (json)
		jclose('}');
	free(text);
	return 0;
}

/* [PROFILE] [--user U]: the profiles asked for, and the user */
static int profile_args(int argc, char **argv, char **names, int *n,
			int *by_user, uid_t *uid)
{
	const char *why = module_state();
	const char *one = NULL;

	if (why) {
		warnx("%s", why);
		return EXIT_ERR;
	}

	*by_user = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--user") && i + 1 < argc) {
			if (parse_user(argv[++i], uid)) {
				warnx("no user '%s'", argv[i]);
				return EXIT_USAGE;
			}
			*by_user = 1;
		} else if (argv[i][0] != '-' && !one) {
			one = argv[i];
		} else {
			return EXIT_USAGE;
		}
	}
	if (one) {
		if (!profile_exists(one) || is_scratch(one)) {
			warnx("no profile '%s'", one);
			return EXIT_ERR;
		}
		names[0] = strdup(one);
		*n = 1;
		return EXIT_OK;
	}
	*n = running_profiles(names, MAX_PROFILES);
	return *n < 0 ? EXIT_ERR : EXIT_OK;
}

static int cmd_stats(int argc, char **argv)
{
	char *names[MAX_PROFILES];
	int n = 0, by_user, ret, err = 0;
	uid_t uid = getuid();
	ret = profile_args(argc, argv, names, &n, &by_user, &uid);
	if (ret)
		return ret;
	if (json)
		jopen(NULL, '[');
	for (int i = 0; i < n; i++)
		if (!is_scratch(names[i]))
			err |= stats_one(names[i], by_user, uid);
	if (json)
		jclose(']');
	free_names(names, n);
	return err ? EXIT_ERR : EXIT_OK;
}

/* Who holds a file now: found in /proc/PID/fdinfo */
struct holder {
	unsigned long long id;
	int pid, fd;
	char comm[32];
};

static struct holder *holders;
static int nholders;

static int is_bpfdev_link(const char *target)
{
	return !strcmp(target, "/dev/bpf") ||
	       !strncmp(target, "/dev/bpf-", 9) ||
	       !strcmp(target, "anon_inode:bpfdev");
}

static void scan_holders(void)
{
	DIR *proc = opendir("/proc");
	struct dirent *p;
	int cap = 0;

	if (!proc)
		return;
	while ((p = readdir(proc))) {
		char path[PATH_MAX], comm[32] = "";
		DIR *fds;
		struct dirent *f;
		int pid = atoi(p->d_name);

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		read_line(path, comm, sizeof(comm));
		snprintf(path, sizeof(path), "/proc/%d/fd", pid);
		fds = opendir(path);
		if (!fds)
			continue;
		while ((f = readdir(fds))) {
			char link[PATH_MAX], target[PATH_MAX], *info, *id;
			ssize_t len;

			if (f->d_name[0] == '.')
				continue;
			snprintf(link, sizeof(link), "/proc/%d/fd/%s", pid,
				 f->d_name);
			len = readlink(link, target, sizeof(target) - 1);
			if (len < 0)
				continue;
			target[len] = '\0';
			if (!is_bpfdev_link(target))
				continue;
			snprintf(link, sizeof(link), "/proc/%d/fdinfo/%s", pid,
				 f->d_name);
			info = slurp(link, 1 << 16);
			id = info ? strstr(info, "\nid:") : NULL;
			if (id && nholders == cap) {
				struct holder *more;

				cap = cap ? cap * 2 : 64;
				more = realloc(holders, (size_t)cap *
					       sizeof(*holders));
				if (!more) {
					free(info);
					break;
				}
				holders = more;
			}
			if (id) {
				struct holder *h = &holders[nholders++];

				h->id = strtoull(id + 4, NULL, 10);
				h->pid = pid;
				h->fd = atoi(f->d_name);
				snprintf(h->comm, sizeof(h->comm), "%s", comm);
			}
			free(info);
		}
		closedir(fds);
	}
	closedir(proc);
}

static int files_one(const char *name)
{
	char *text = attr_slurp(name, "files");

	if (!text) {
		warnx("%s/files: %s%s", name, strerror(errno),
		      errno == EACCES ? " (root's to read)" : "");
		return -1;
	}
	for (char *p = text, *save = NULL, *line;
	     (line = strtok_r(p, "\n", &save)); p = NULL) {
		unsigned long long id = strtoull(line + 3, NULL, 10);
		char copy[1024];
		int any = 0;

		if (!strcmp(line, "truncated"))
			warnx("%s: more files than the listing holds (bpfdev(4))",
			      name);
		if (strncmp(line, "id=", 3))
			continue;
		snprintf(copy, sizeof(copy), "%s", line);
		if (json) {
			jopen(NULL, '{');
			jstr("profile", name);
			show_pairs(copy, NULL);
			jopen("holders", '[');
		} else {
			printf("%s %s\n", name, line);
		}
		for (int i = 0; i < nholders; i++) {
			if (holders[i].id != id)
				continue;
			any = 1;
			if (json) {
				jopen(NULL, '{');
				jnum("pid", holders[i].pid);
				jnum("fd", holders[i].fd);
				jstr("comm", holders[i].comm);
				jclose('}');
			} else {
				printf("\theld by pid %d (%s) as fd %d\n",
				       holders[i].pid, holders[i].comm,
				       holders[i].fd);
			}
		}
		if (json)
			jclose(']');
		else if (!any)
			printf("\theld by no process this user can see\n");
		if (json)
			jclose('}');
	}
	free(text);
	return 0;
}

static int cmd_files(int argc, char **argv)
{
	char *names[MAX_PROFILES];
	int n = 0, by_user, ret, err = 0;
	uid_t uid;
	ret = profile_args(argc, argv, names, &n, &by_user, &uid);
	if (ret)
		return ret;
	scan_holders();
	if (json) {
		jopen(NULL, '{');
		jstr("holders_from", "/proc/*/fdinfo");
		jopen("files", '[');
	} else {
		printf("# who made each file: recorded by the module at open; who holds it now: found by scanning /proc/*/fdinfo\n");
	}
	for (int i = 0; i < n; i++)
		if (!is_scratch(names[i]))
			err |= files_one(names[i]);
	if (json) {
		jclose(']');
		jclose('}');
	}
	free_names(names, n);
	free(holders);
	return err ? EXIT_ERR : EXIT_OK;
}

/* --- revoke, explain ---------------------------------------------------------- */

static int cmd_revoke(int argc, char **argv, int lift)
{
	char *names[MAX_PROFILES];
	int n = 0, by_user, ret;
	uid_t uid;
	char num[32];

	if (argc < 2 || argv[1][0] == '-')
		return EXIT_USAGE;
	ret = profile_args(argc, argv, names, &n, &by_user, &uid);
	if (ret)
		return ret;
	if (lift && !by_user) {
		free_names(names, n);
		warnx("unrevoke lifts one user's revocation: --user U");
		return EXIT_USAGE;
	}
	snprintf(num, sizeof(num), "%u", (unsigned int)uid);
	ret = by_user ? attr_write(names[0], lift ? "unrevoke_user" :
				   "revoke_user", num) :
	      attr_write(names[0], "revoke", "1");
	if (ret)
		warnx("%s: %s", names[0], strerror(-ret));
	free_names(names, n);
	return ret ? EXIT_ERR : EXIT_OK;
}

static int cmd_explain(int argc, char **argv)
{
	struct bpfdev_refusal r[256];	/* BPFDEV_REFUSALS_READ_MAX */
	struct bpfdev_refusals q = {
		.size = sizeof(q), .uid = BPFDEV_REFUSALS_OWN,
		.count = 256,
		.refusals = (__u64)(unsigned long)r, .refusal_size = sizeof(r[0]),
	};
	char *names[MAX_PROFILES], node[64];
	int n = 0, by_user, ret, err = 0;
	uid_t uid;

	ret = profile_args(argc, argv, names, &n, &by_user, &uid);
	if (ret)
		return ret;
	if (by_user)
		q.uid = uid;
	if (json)
		jopen(NULL, '[');
	for (int i = 0; i < n; i++) {
		int fd;

		if (is_scratch(names[i]))
			continue;
		node_of(names[i], node, sizeof(node));
		fd = open(node, O_RDONLY | O_CLOEXEC);
		q.count = 256;
		if (fd < 0 || ioctl(fd, BPFDEV_IOC_REFUSALS, &q)) {
			/* a profile the caller may not open is not theirs */
			if (n == 1 || (errno != EACCES && errno != ENOENT)) {
				warnx("%s: %s", node, strerror(errno));
				err = 1;
			}
			if (fd >= 0)
				close(fd);
			continue;
		}
		close(fd);
		for (int k = (int)q.count - 1; k >= 0; k--) {
			const struct bpfdev_refusal *e = &r[k];

			if (json) {
				jopen(NULL, '{');
				jstr("profile", names[i]);
				jnum("time_ns", (long long)e->time_ns);
				jnum("uid", e->uid);
				jnum("pid", e->pid);
				jstr("comm", e->comm);
				jstr("op", e->op);
				jstr("reason", e->reason);
				jstr("errno", strerrorname_np((int)e->err) ?: "?");
				if (e->prog_type[0])
					jstr("prog_type", e->prog_type);
				if (e->attach_type[0])
					jstr("attach_type", e->attach_type);
				if (e->map_type[0])
					jstr("map_type", e->map_type);
				if (e->limit_name[0]) {
					jstr("limit", e->limit_name);
					jnum("limit_value", (long long)e->limit);
					jnum("asked", (long long)e->value);
				}
				jclose('}');
				continue;
			}
			printf("%s: uid %u pid %u %s: %s%s%s%s%s%s%s: %s (%s)",
			       names[i], e->uid, e->pid, e->comm, e->op,
			       e->prog_type[0] ? " prog_type=" : "",
			       e->prog_type,
			       e->attach_type[0] ? " attach_type=" : "",
			       e->attach_type,
			       e->map_type[0] ? " map_type=" : "", e->map_type,
			       e->reason,
			       strerrorname_np((int)e->err) ?: "?");
			if (e->limit_name[0])
				printf(": %s is %llu, it asked for %llu",
				       e->limit_name,
				       (unsigned long long)e->limit,
				       (unsigned long long)e->value);
			putchar('\n');
		}
	}
	if (json)
		jclose(']');
	free_names(names, n);
	return err ? EXIT_ERR : EXIT_OK;
}

/* --- main ------------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bpfdevctl [-j | -p] COMMAND\n"
		"  status                       module, profiles, nodes, grants, drift from the files\n"
		"  profile list | show NAME     the profiles running\n"
		"  reload [--check] [--wait]    apply " ETC_DIR "/*.conf (over " VENDOR_DIR "), all or nothing\n"
		"  stats [PROFILE] [--user U]   requests by outcome, per profile or of one user\n"
		"  files [PROFILE]              the open files, who made them, who holds them\n"
		"  revoke PROFILE [--user U]    stop the profile's files, or one user's\n"
		"  unrevoke PROFILE --user U    lift a user's revocation\n"
		"  explain [PROFILE] [--user U] the last refusals and why\n"
		"-j: JSON, -p: JSON, indented. See bpfdevctl(8).\n");
}

int main(int argc, char **argv)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "-p") ||
			   !strcmp(argv[i], "--pretty")) {
			json = pretty = 1;
		} else if (!strcmp(argv[i], "-h") ||
			   !strcmp(argv[i], "--help")) {
			usage(stdout);
			return EXIT_OK;
		} else {
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= i;
	argv += i;
	if (argc < 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[0], "status"))
		return cmd_status(argc, argv, 1);
	if (!strcmp(argv[0], "profile"))
		return cmd_profile(argc, argv);
	if (!strcmp(argv[0], "reload"))
		return cmd_reload(argc, argv);
	if (!strcmp(argv[0], "stats"))
		return cmd_stats(argc, argv);
	if (!strcmp(argv[0], "files"))
		return cmd_files(argc, argv);
	if (!strcmp(argv[0], "revoke") || !strcmp(argv[0], "unrevoke")) {
		int ret = cmd_revoke(argc, argv, argv[0][0] == 'u');

		if (ret == EXIT_USAGE)
			usage(stderr);
		return ret;
	}
	if (!strcmp(argv[0], "explain"))
		return cmd_explain(argc, argv);
	usage(stderr);
	return EXIT_USAGE;
}
