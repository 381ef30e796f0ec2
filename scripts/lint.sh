#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lint.sh KVER...
#
# The kernel's own checks on the module: scripts/checkpatch.pl (taken from
# Debian's linux-source-6.12 package) must be clean, and sparse (make C=2)
# must print nothing, for every kernel.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/lint
mkdir -p "$build"

tarball=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n 1)
[ -n "$tarball" ] || { echo "lint: linux-source-6.12 is not installed" >&2; exit 1; }
if [ ! -f "$build/checkpatch.pl" ]; then
	tar -xf "$tarball" -C "$build" --strip-components=2 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
fi

fail=0
echo "  CHECKPATCH drivers/bpfdev include/uapi/linux/bpfdev.h"
for f in "$root"/drivers/bpfdev/*.[ch] "$root"/include/uapi/linux/bpfdev.h; do
	if ! out=$(perl "$build/checkpatch.pl" --no-tree --terse -f "$f"); then
		printf '%s\n' "$out"
		fail=1
	fi
done

for k in "$@"; do
	echo "  SPARSE  $k"
	d=$root/build/mod/$k/normal/drivers/bpfdev
	[ -d "$d" ] || { echo "lint: build the module first (make modules)" >&2; exit 1; }
	out=$(make -s -C "$("$root/scripts/kernels.sh" kdir "$k")" M="$d" C=2 modules 2>&1 |
	      grep -v '^Skipping BTF generation' || true)
	[ -z "$out" ] || { printf '%s\n' "$out"; fail=1; }
done
exit $fail
