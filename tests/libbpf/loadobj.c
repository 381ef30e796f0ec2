// SPDX-License-Identifier: GPL-2.0
/*
 * Open and load a BPF object file with libbpf, as any loader would, and
 * report the outcome. Exit 0 when it loaded.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: loadobj FILE.o\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		printf("loadobj: open: %s\n", strerror(errno));
		return 1;
	}
	err = bpf_object__load(obj);
	printf("loadobj: load: %s\n", err ? strerror(-err) : "ok");
	bpf_object__close(obj);
	return err ? 1 : 0;
}
