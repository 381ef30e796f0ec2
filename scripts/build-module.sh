#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# build-module.sh BUILD_DIR KVER VARIANT [MAKE_ARGS...]
#
# Build drivers/bpfdev for one kernel. Each kernel and variant gets its own
# tree of links to the sources, mirroring the repository layout so that the
# module finds the uapi header, because Kbuild writes objects next to the
# sources. VARIANT "broken" is the test-only build with the races put back.
# KDIR: the kernel build tree (default: scripts/kernels.sh kdir KVER).
set -eu
build=$1 kver=$2 variant=$3
shift 3
root=$(cd "$(dirname "$0")/.." && pwd)
d=$build/mod/$kver/$variant
mkdir -p "$d/drivers/bpfdev" "$d/include/uapi/linux"
for f in "$root"/drivers/bpfdev/*; do
	ln -sfn "$f" "$d/drivers/bpfdev/"
done
ln -sfn "$root/include/uapi/linux/bpfdev.h" "$d/include/uapi/linux/"
ln -sfn "$root/dkms.conf" "$d/"
echo "  KMOD    $kver $variant"
log=$d/build.log
kdir=${KDIR:-$("$root/scripts/kernels.sh" kdir "$kver")}
if ! make -s -C "$kdir" M="$d/drivers/bpfdev" W=1 "$@" \
	modules >"$log" 2>&1; then
	cat "$log" >&2
	exit 1
fi
# Anything the build printed, less the note that module BTF needs vmlinux.
grep -v '^Skipping BTF generation' "$log" || true
