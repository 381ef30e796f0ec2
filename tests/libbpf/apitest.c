// SPDX-License-Identifier: GPL-2.0
/*
 * The libbpfdev API, linked: bpfdev_open(), bpfdev_sys_bpf(),
 * bpfdev_get_info(), bpfdev_narrow(), bpfdev_cmd_routed(), libbpf's error
 * convention and its opts checks. Run as a member of group bpf. Exit 0 when
 * every check holds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libbpfdev.h>

static int failed;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("apitest: line %d: %s\n", __LINE__, #cond); \
			failed = 1;					\
		}							\
	} while (0)

static char warning[512];

/* Capture what the library writes on standard error around one call. */
static int stderr_saved = -1;
static FILE *stderr_file;

static void warnings_start(void)
{
	fflush(stderr);
	stderr_file = tmpfile();
	stderr_saved = dup(STDERR_FILENO);
	if (!stderr_file || stderr_saved < 0)
		abort();
	dup2(fileno(stderr_file), STDERR_FILENO);
}

/* What was written since warnings_start(), in warning[]. */
static const char *warnings_stop(void)
{
	size_t n;

	dup2(stderr_saved, STDERR_FILENO);
	close(stderr_saved);
	rewind(stderr_file);
	n = fread(warning, 1, sizeof(warning) - 1, stderr_file);
	warning[n] = '\0';
	fclose(stderr_file);
	return warning;
}

int main(void)
{
	struct bpfdev_info info;
	union bpf_attr a;
	int dev, ro, map;

	dev = bpfdev_open(NULL);
	CHECK(dev >= 0);
	CHECK(bpfdev_get_info(dev, &info) == 0);
	CHECK(info.abi_version == BPFDEV_ABI_VERSION);
	CHECK(info.flags & BPFDEV_INFO_F_WRITABLE);

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 4;
	a.max_entries = 1;
	map = bpfdev_sys_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a));
	CHECK(map >= 0);
	close(map);

	/* errors: negative errno returned, and errno set */
	a.map_type = BPF_MAP_TYPE_LRU_HASH;
	errno = 0;
	CHECK(bpfdev_sys_bpf(dev, BPF_MAP_CREATE, &a, sizeof(a)) == -EPERM);
	CHECK(errno == EPERM);

	{
		LIBBPFDEV_OPTS(bpfdev_open_opts, opts, .read_only = 1);

		ro = bpfdev_open(&opts);
		CHECK(ro >= 0);
		CHECK(bpfdev_get_info(ro, &info) == 0);
		CHECK(!(info.flags & BPFDEV_INFO_F_WRITABLE));
		a.map_type = BPF_MAP_TYPE_ARRAY;
		CHECK(bpfdev_sys_bpf(ro, BPF_MAP_CREATE, &a, sizeof(a)) ==
		      -EBADF);
	}
	{
		LIBBPFDEV_OPTS(bpfdev_open_opts, opts, .path = "/nonexistent");

		CHECK(bpfdev_open(&opts) == -ENOENT);
		CHECK(errno == ENOENT);
	}
	{
		/* an opts struct from a newer caller with unknown fields */
		struct {
			struct bpfdev_open_opts o;
			long future;
		} big = { .o = { .sz = sizeof(big) }, .future = 1 };

		warnings_start();
		errno = 0;
		ro = bpfdev_open(&big.o);
		warnings_stop();
		CHECK(ro == -EINVAL);
		CHECK(errno == EINVAL);
		CHECK(strstr(warning,
			     "bpfdev_open_opts has non-zero extra bytes\n"));
		big.future = 0;
		ro = bpfdev_open(&big.o);
		CHECK(ro >= 0);
		close(ro);
	}
	{
		/* a size that cannot even hold sz */
		struct bpfdev_open_opts o = { .sz = sizeof(size_t) - 1 };

		warnings_start();
		errno = 0;
		ro = bpfdev_open(&o);
		warnings_stop();
		CHECK(ro == -EINVAL);
		CHECK(errno == EINVAL);
		CHECK(strstr(warning, "bpfdev_open_opts size (7) is too small\n"));
		o.sz = 0;
		CHECK(bpfdev_open(&o) == -EINVAL);
	}
	{
		/* an older caller's struct, without read_only: that reads as
		 * 0 (read-write), whatever lies beyond its sz */
		struct bpfdev_open_opts o = {
			.sz = offsetof(struct bpfdev_open_opts, read_only),
			.read_only = 1,
		};

		ro = bpfdev_open(&o);
		CHECK(ro >= 0);
		CHECK(bpfdev_get_info(ro, &info) == 0);
		CHECK(info.flags & BPFDEV_INFO_F_WRITABLE);
		close(ro);
	}
	{
		struct {
			struct bpfdev_narrow_opts o;
			int future;
		} big = { .o = { .sz = sizeof(big) }, .future = 1 };

		warnings_start();
		errno = 0;
		CHECK(bpfdev_narrow(dev, &big.o) == -EINVAL);
		CHECK(errno == EINVAL);
		warnings_stop();
		CHECK(strstr(warning,
			     "bpfdev_narrow_opts has non-zero extra bytes\n"));
		big.o.sz = 1;
		CHECK(bpfdev_narrow(dev, &big.o) == -EINVAL);
	}
	{
		LIBBPFDEV_OPTS(bpfdev_narrow_opts, opts,
			    .maps = 1ULL << BPF_MAP_TYPE_HASH, .maps_max = 1);
		int narrow = bpfdev_narrow(dev, &opts);

		CHECK(narrow >= 0);
		CHECK(bpfdev_get_info(narrow, &info) == 0);
		CHECK(info.flags & BPFDEV_INFO_F_NARROWED);
		CHECK(info.maps == 1ULL << BPF_MAP_TYPE_HASH);
		CHECK(info.maps_max == 1);
		a.map_type = BPF_MAP_TYPE_ARRAY;
		CHECK(bpfdev_sys_bpf(narrow, BPF_MAP_CREATE, &a, sizeof(a)) ==
		      -EPERM);
		a.map_type = BPF_MAP_TYPE_HASH;
		map = bpfdev_sys_bpf(narrow, BPF_MAP_CREATE, &a, sizeof(a));
		CHECK(map >= 0);
		close(map);
		CHECK(bpfdev_sys_bpf(narrow, BPF_MAP_CREATE, &a, sizeof(a)) ==
		      -EDQUOT);
	}
	CHECK(bpfdev_cmd_routed(BPF_PROG_LOAD, NULL));
	CHECK(bpfdev_cmd_routed(BPF_MAP_CREATE, NULL));
	CHECK(!bpfdev_cmd_routed(BPF_MAP_LOOKUP_ELEM, NULL));
	CHECK(!bpfdev_cmd_routed(BPF_OBJ_PIN, NULL));
	printf("apitest: %s\n", failed ? "FAILED" : "ok");
	return failed;
}
