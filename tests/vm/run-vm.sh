#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-vm.sh KVER STAGE_DIR OUTDIR [TIMEOUT_SECONDS]
#
# Boot Debian's kernel KVER (scripts/kernels.sh image KVER) under QEMU (TCG,
# no KVM needed) with an initramfs built from STAGE_DIR (see
# mkinitramfs.sh), let guest-init.sh run /opt/bpfdev-tests/run-in-guest.sh,
# and judge the run:
#
#   exit 0  "VM KVER: clean" - the guest script exited 0 and the kernel log
#           shows no splat.
#   exit 1  "VM KVER: FAIL: <reason>" on stderr - timeout, no result line,
#           non-zero guest rc, incomplete kernel log, or a kernel splat
#           (the matching lines are printed too).
#   exit 2  usage or setup error.
#
# Two serial ports (tests/vm/qemu.sh), so that nothing the kernel or a test
# does can cut or interleave the verdict:
#   ttyS0  the kernel console: kernel messages only -> OUTDIR/console.log
#   ttyS1  the guest's channel: test output, the result line and the
#          whole kernel log dumped at the end -> OUTDIR/verdict.log (and
#          shown live, without the dump)
# The console and the dumped kernel log are scanned for kernel splats.
# OUTDIR also receives the cached vmlinux-KVER and the initramfs. Use one
# OUTDIR per kernel when running several kernels at once.
#
# bash, not sh: PIPESTATUS is needed to get QEMU's/timeout's exit status out
# of the console pipeline.
set -euo pipefail

usage() { echo "usage: run-vm.sh KVER STAGE_DIR OUTDIR [TIMEOUT_SECONDS]" >&2; exit 2; }
if [ $# -lt 3 ] || [ $# -gt 4 ]; then usage; fi
kver=$1 stage=$2 outdir=$3 timeout_s=${4:-600}
case $timeout_s in ''|*[!0-9]*) usage ;; esac

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
log=$outdir/verdict.log
console=$outdir/console.log
root=$(cd "$here/../.." && pwd)

# --- kernel -----------------------------------------------------------------
# QEMU boots the uncompressed ELF vmlinux through PVH: no real-mode setup
# code and no in-guest decompression, which is seconds faster under TCG.
# Extraction takes a few seconds itself, so cache it until the bzImage
# changes (e.g. a kernel package update).
# BPFDEV_KERNEL: boot this kernel image instead (make check-debug's own
# bzImage: its KASAN build cannot take the PVH entry, whose early C code
# runs before the KASAN shadow exists).
vmlinux=$outdir/vmlinux-$kver
if [ -n "${BPFDEV_KERNEL:-}" ]; then
	vmlinux=$BPFDEV_KERNEL
	[ -r "$vmlinux" ] || { echo "run-vm: $vmlinux not found" >&2; exit 2; }
elif ! vmlinuz=$("$root/scripts/kernels.sh" image "$kver"); then
	echo "run-vm: no kernel image for $kver (make deps)" >&2
	exit 2
elif [ ! -s "$vmlinux" ] || [ "$vmlinuz" -nt "$vmlinux" ]; then
	tmp=$(mktemp "$outdir/.vmlinux.XXXXXX")
	sh "$here/extract-vmlinux.sh" "$vmlinuz" >"$tmp"
	# extract-vmlinux.sh ignores decompressor status on purpose; check
	# that what came out is an ELF file.
	if [ "$(head -c 4 "$tmp" | od -An -tx1 | tr -d ' \n')" != 7f454c46 ]; then
		rm -f "$tmp"
		echo "run-vm: could not extract vmlinux from $vmlinuz" >&2
		exit 2
	fi
	mv -f "$tmp" "$vmlinux"
fi

# --- initramfs --------------------------------------------------------------
initrd=$outdir/initramfs-$kver.cpio.gz
sh "$here/mkinitramfs.sh" "$initrd" "$kver" "$stage" || {
	echo "run-vm: mkinitramfs.sh failed" >&2; exit 2; }

# The guest kills its own test script a little before QEMU is killed, so
# that a hung test still yields the result line and the kernel log (plus
# blocked-task stacks).  The margin covers boot, udev settle and the dmesg
# dump under TCG.
margin=$(( timeout_s / 10 > 30 ? timeout_s / 10 : 30 ))
guest_timeout=$(( timeout_s - margin > 5 ? timeout_s - margin : 5 ))

# The one QEMU command line and kernel command line of every VM
# (tests/vm/qemu.sh), plus the guest timeout: not a kernel parameter, the
# kernel hands unknown name=value words to /init as environment variables.
# BPFDEV_VM_APPEND: more words for the command line; NAME=value words reach
# the guest's scripts as environment variables (make fuzz uses this).
# The guest's channel is on stdio, shown live and kept in verdict.log.
. "$here/qemu.sh"
vm_qemu_cmd "$vmlinux" "$initrd" "$console" stdio \
	"bpfdev_guest_timeout=$guest_timeout ${BPFDEV_VM_APPEND:-}"

# Show the guest's output live, minus the (long) kernel log dump at the
# end, which is only kept in verdict.log.  fflush: mawk buffers its output otherwise.
live_filter() {
	awk '{ sub(/\r$/, "") }
	     /BPFDEV-DMESG-BEGIN/ { skip = 1; print "[kernel log: see verdict.log]"; fflush(); next }
	     /BPFDEV-DMESG-END/   { skip = 0; next }
	     !skip { print; fflush() }'
}

rm -f "$console"
echo "run-vm: booting $kver (timeout ${timeout_s} s, output in $log, kernel console in $console)"
t0=$(date +%s)
set +e
# -k: QEMU gets SIGTERM at the limit and SIGKILL 10 s later if stuck.
timeout -k 10 "$timeout_s" "${vm_qemu[@]}" </dev/null 2>&1 | tee "$log" | live_filter
status=("${PIPESTATUS[@]}")
set -e
elapsed=$(( $(date +%s) - t0 ))
qemu_rc=${status[0]}
echo "run-vm: $kver: boot+run took ${elapsed} s"

# --- judgement -------------------------------------------------------------
# All reasons are collected; the first is the headline.
reasons=()
# Carriage returns from the serial line would otherwise end up in matches.
clean_log=$(tr -d '\r' <"$log")

case $qemu_rc in
0) ;;
124|137) reasons+=("timeout after ${timeout_s} s") ;;
*) reasons+=("qemu exited with status $qemu_rc") ;;
esac

start_line=$(grep -a -o -m1 'BPFDEV-GUEST-START .*' <<<"$clean_log" || true)
if [ -n "$start_line" ] && [ "${start_line#BPFDEV-GUEST-START }" != "$kver" ]; then
	reasons+=("guest runs kernel '${start_line#BPFDEV-GUEST-START }', expected $kver")
fi

result=$(grep -a -o 'BPFDEV-GUEST-RESULT rc=[0-9]*' <<<"$clean_log" | tail -n1 || true)
if [ -z "$result" ]; then
	reasons+=("no BPFDEV-GUEST-RESULT line (guest crashed, hung or never booted)")
else
	rc=${result#*rc=}
	if grep -a -q 'guest-init: .* timed out after' <<<"$clean_log"; then
		# guest-init killed a hung script (blocked tasks are in the log).
		reasons+=("guest test script timed out after ${guest_timeout} s in the guest (rc=$rc)")
	elif [ "$rc" != 0 ]; then
		reasons+=("guest test script failed with rc=$rc")
	fi
	# Without the complete kernel log we cannot claim the run was clean.
	if ! grep -a -q 'BPFDEV-DMESG-END' <<<"$clean_log"; then
		reasons+=("kernel log dump incomplete (no BPFDEV-DMESG-END)")
	fi
fi

# Kernel splats: on the console, whole (err and worse, live: a panic or an
# oops before the end is there even if the guest never dumps its log), and
# in the kernel log dumped on the guest's channel (everything, including
# WARN()s, which are printed at KERN_WARNING and so not shown live with
# loglevel=4). The tests' own output is not scanned: it may say anything.
splats=$(vm_splats "$console" "$log" || true)
if [ -n "$splats" ]; then
	n=$(wc -l <<<"$splats")
	first=$(head -n1 <<<"$splats" | cut -d: -f3- | sed 's/^ //')
	reasons+=("kernel log has $n suspicious line(s), first: $first")
fi

if [ ${#reasons[@]} -eq 0 ]; then
	echo "VM $kver: clean"
	exit 0
fi

{
	echo "VM $kver: FAIL: ${reasons[0]}"
	for r in "${reasons[@]:1}"; do echo "  also: $r"; done
	if [ -n "$splats" ]; then
		echo "  suspicious lines (file:line: text):"
		head -n 50 <<<"$splats" | sed 's/^/    /'
		[ "$(wc -l <<<"$splats")" -le 50 ] || echo "    ... (more in $log)"
	fi
	echo "  guest output: $log"
	echo "  kernel console: $console"
} >&2
exit 1
