#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# stage.sh BUILD KVER STAGE GUEST_SCRIPT [FILE...]
#
# Lay out STAGE, the tree mkinitramfs.sh turns into a test VM's initramfs:
#   /lib/bpfdev/bpfdev.ko           the module built for KVER
#   /lib/bpfdev/broken/bpfdev.ko    its test-only broken twin, if built
#   /opt/bpfdev-tests/              GUEST_SCRIPT as run-in-guest.sh, and
#                                   each FILE (test programs, BPF objects)
#   /lib/bpfdev/kernel/*.ko         the kernel's own modules the tests
#                                   load (scripts/kernels.sh modules),
#                                   and their load order in ./order
#   /lib/bpfdev/insmod-bpfdev       loads those, then the module
#   $LIBDIR/libbpfdev.so*, $BINDIR/bpfdev-run and bpfdevctl, /usr/sbin/bpftool
#   /usr/sbin/TOOL                  for each TOOL in GUEST_SBIN, and
#                                   their names in /opt/bpfdev-tests/sbin
# where LIBDIR and BINDIR (environment) are where make install puts them,
# since the test programs and bpfdev-run look there. GUEST_SBIN
# (environment, optional) names more of this machine's /usr/sbin programs
# the guest runs as they are (Debian's libbpf-tools).
set -eu
[ $# -ge 4 ] || { echo "usage: stage.sh BUILD KVER STAGE GUEST_SCRIPT [FILE...]" >&2; exit 2; }
build=$1 kver=$2 stage=$3 script=$4
shift 4
: "${LIBDIR:?}" "${BINDIR:?}"
mod=$build/mod/$kver
root=$(cd "$(dirname "$0")/../.." && pwd)

rm -rf "$stage"
mkdir -p "$stage/lib/bpfdev" "$stage/opt/bpfdev-tests" \
	"$stage$LIBDIR" "$stage$BINDIR" "$stage/usr/sbin"
cp "$mod/normal/drivers/bpfdev/bpfdev.ko" "$stage/lib/bpfdev/"
if [ -f "$mod/broken/drivers/bpfdev/bpfdev.ko" ]; then
	mkdir -p "$stage/lib/bpfdev/broken"
	cp "$mod/broken/drivers/bpfdev/bpfdev.ko" "$stage/lib/bpfdev/broken/"
fi
cp "$script" "$stage/opt/bpfdev-tests/run-in-guest.sh"
[ $# -eq 0 ] || cp "$@" "$stage/opt/bpfdev-tests/"
cp -P "$build"/lib/libbpfdev.so* "$stage$LIBDIR/"
cp "$build/bin/bpfdev-run" "$build/bin/bpfdevctl" "$stage$BINDIR/"
cp /usr/sbin/bpftool "$stage/usr/sbin/"
for t in ${GUEST_SBIN:-}; do
	[ -x "/usr/sbin/$t" ] || { echo "stage: no /usr/sbin/$t (make deps)" >&2; exit 1; }
	cp "/usr/sbin/$t" "$stage/usr/sbin/"
	echo "$t" >>"$stage/opt/bpfdev-tests/sbin"
done
# A kernel not unpacked by kernels.sh (check-debug's) has none to stage.
if kos=$("$root/scripts/kernels.sh" modules "$kver" 2>/dev/null); then
	mkdir -p "$stage/lib/bpfdev/kernel"
	for ko in $kos; do
		cp "$ko" "$stage/lib/bpfdev/kernel/"
		echo "${ko##*/}" >>"$stage/lib/bpfdev/kernel/order"
	done
fi
cp "$root/tests/vm/insmod-bpfdev.sh" "$stage/lib/bpfdev/insmod-bpfdev"
