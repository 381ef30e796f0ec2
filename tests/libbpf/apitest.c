// SPDX-License-Identifier: GPL-2.0
/*
 * The libbpfdev API, linked: bpfdev_open(), bpfdev_sys_bpf(),
 * bpfdev_get_info(), bpfdev_narrow(), bpfdev_cmd_routed(), libbpf's error
 * convention and its opts checks. Run as a member of group bpf. Exit 0 when
 * every check holds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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

static int map_create(int fd, enum bpf_map_type type)
{
	union bpf_attr a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = 4;
	a.value_size = 4;
	a.max_entries = 1;
	ret = bpfdev_sys_bpf(fd, BPF_MAP_CREATE, &a, sizeof(a));
	if (ret >= 0) {
		close(ret);
		ret = 0;
	}
	return ret;
}

/* bpfdev_narrow(@dev, @opts) and the new file's grant in @info: 0, or -1. */
static int narrow_info(int dev, const struct bpfdev_narrow_opts *opts,
		       struct bpfdev_info *info)
{
	int fd = bpfdev_narrow(dev, opts);

	CHECK(fd >= 0);
	if (fd < 0)
		return -1;
	CHECK(bpfdev_get_info(fd, info) == 0);
	CHECK(info->flags & BPFDEV_INFO_F_NARROWED);
	close(fd);
	return 0;
}

/*
 * A mask of struct bpfdev_narrow_opts is the ioctl's: the bits set are kept
 * (intersected with the file's grant), the others dropped. ~0 keeps all,
 * 0 (a zeroed struct, NULL opts, a field beyond sz) drops all.
 */
static void narrow_masks_mean_what_the_uapi_means(int dev)
{
	struct bpfdev_info parent, info;
	int fd, map;

	CHECK(bpfdev_get_info(dev, &parent) == 0);
	CHECK(parent.maps & (1ULL << BPF_MAP_TYPE_HASH));
	CHECK(!(parent.maps & (1ULL << BPF_MAP_TYPE_LRU_HASH)));
	{
		LIBBPFDEV_OPTS(bpfdev_narrow_opts, opts, .cmds = ~0ULL,
			       .progs = ~0ULL, .maps = ~0ULL,
			       .attachs = ~0ULL, .insns = ~0ULL);

		if (!narrow_info(dev, &opts, &info)) {
			CHECK(info.own_cmds == parent.own_cmds);
			CHECK(info.own_progs == parent.own_progs);
			CHECK(info.own_maps == parent.own_maps);
			CHECK(info.own_attachs == parent.own_attachs);
			CHECK(info.own_insns == parent.own_insns);
			CHECK(info.cmds == parent.cmds);
			CHECK(info.progs == parent.progs);
			CHECK(info.maps == parent.maps);
			CHECK(info.attachs == parent.attachs);
			CHECK(info.insns == parent.insns);
			CHECK(info.insn_max == parent.insn_max);
		}
	}
	{
		LIBBPFDEV_OPTS(bpfdev_narrow_opts, opts);

		fd = bpfdev_narrow(dev, &opts);
		CHECK(fd >= 0);
		CHECK(bpfdev_get_info(fd, &info) == 0);
		CHECK(!info.own_cmds && !info.own_progs && !info.own_maps &&
		      !info.own_attachs && !info.own_insns);
		CHECK(!info.cmds && !info.progs && !info.maps &&
		      !info.attachs && !info.insns);
		CHECK(map_create(fd, BPF_MAP_TYPE_ARRAY) == -EPERM);
		close(fd);
	}
	if (!narrow_info(dev, NULL, &info))
		CHECK(!info.own_cmds && !info.own_maps && !info.own_insns);
	{
		/* a bit the file lacks is not granted: nothing widens */
		LIBBPFDEV_OPTS(bpfdev_narrow_opts, opts, .cmds = ~0ULL,
			       .maps = 1ULL << BPF_MAP_TYPE_HASH |
				       1ULL << BPF_MAP_TYPE_LRU_HASH,
			       .maps_max = 1);

		fd = bpfdev_narrow(dev, &opts);
		CHECK(fd >= 0);
		CHECK(bpfdev_get_info(fd, &info) == 0);
		CHECK(info.own_maps == (parent.own_maps &
					(1ULL << BPF_MAP_TYPE_HASH |
					 1ULL << BPF_MAP_TYPE_LRU_HASH)));
		CHECK(info.maps == 1ULL << BPF_MAP_TYPE_HASH);
		CHECK(info.cmds == parent.cmds);
		CHECK(!info.progs && !info.attachs && !info.insns);
		CHECK(info.maps_max == 1);
		CHECK(map_create(fd, BPF_MAP_TYPE_ARRAY) == -EPERM);
		CHECK(map_create(fd, BPF_MAP_TYPE_LRU_HASH) == -EPERM);
		map = map_create(fd, BPF_MAP_TYPE_HASH);
		CHECK(map == 0);
		CHECK(map_create(fd, BPF_MAP_TYPE_HASH) == -EDQUOT);
		close(fd);
	}
	{
		/* an older caller's struct, without insns: none kept, as the
		 * ioctl keeps none for a struct bpfdev_narrow without it */
		struct bpfdev_narrow_opts opts = {
			.sz = offsetof(struct bpfdev_narrow_opts, insns),
			.cmds = ~0ULL, .insns = ~0ULL,
		};

		if (!narrow_info(dev, &opts, &info)) {
			CHECK(info.own_cmds == parent.own_cmds);
			CHECK(!info.own_insns);
		}
	}
}

/* flags are the ioctl's: close-on-exec only with BPFDEV_NARROW_F_CLOEXEC. */
static void narrow_flags_are_the_uapi_flags(int dev)
{
	int fd;

	{
		LIBBPFDEV_OPTS(bpfdev_narrow_opts, opts,
			       .flags = BPFDEV_NARROW_F_CLOEXEC);

		fd = bpfdev_narrow(dev, &opts);
		CHECK(fd >= 0);
		CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
		close(fd);
	}
	{
		LIBBPFDEV_OPTS(bpfdev_narrow_opts, opts);

		fd = bpfdev_narrow(dev, &opts);
		CHECK(fd >= 0);
		CHECK(!(fcntl(fd, F_GETFD) & FD_CLOEXEC));
		close(fd);
	}
	{
		LIBBPFDEV_OPTS(bpfdev_narrow_opts, opts,
			       .flags = BPFDEV_NARROW_F_CLOEXEC << 1);

		errno = 0;
		CHECK(bpfdev_narrow(dev, &opts) == -EINVAL);
		CHECK(errno == EINVAL);
	}
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
	narrow_masks_mean_what_the_uapi_means(dev);
	narrow_flags_are_the_uapi_flags(dev);
	CHECK(bpfdev_cmd_routed(BPF_PROG_LOAD, NULL));
	CHECK(bpfdev_cmd_routed(BPF_MAP_CREATE, NULL));
	CHECK(!bpfdev_cmd_routed(BPF_MAP_LOOKUP_ELEM, NULL));
	CHECK(!bpfdev_cmd_routed(BPF_OBJ_PIN, NULL));
	printf("apitest: %s\n", failed ? "FAILED" : "ok");
	return failed;
}
