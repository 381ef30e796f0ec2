#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# cppcheck on the userspace C (the BPF programs are clang -target bpf code
# with libbpf's SEC() macros, which cppcheck cannot configure).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
skip=$(find tests -name '*.bpf.c' | sed 's/^/-i /')
# shellcheck disable=SC2086 # $skip: one word per option
out=$(cppcheck --quiet --enable=warning,portability,performance --std=c11 \
	--error-exitcode=1 -Iinclude/uapi -Ilib/libbpfdev $skip \
	lib/libbpfdev tools tests/check tests/libbpf tests/fuzz tests/bench 2>&1) || {
	printf '%s\n' "$out"
	exit 1
}
[ -z "$out" ] || { printf '%s\n' "$out"; exit 1; }
echo "  CPPCHECK lib tools tests"
