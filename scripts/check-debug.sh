#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-debug.sh BUILD_DIR: make check-debug. Build (or reuse) the 6.12
# debug kernel, build the module against it, boot it under QEMU and run
# tests/debug/run-in-guest.sh: the whole suite (its fuzz test sending
# $FUZZ_ITERATIONS requests per grant; its long race and stress loops
# $TEST_SCALE_DOWN times shorter, default 10: they exist to hit race
# windows, which the normal kernels do, and a debug kernel under TCG runs
# them many times slower) and a kmemleak scan. The run is
# judged like every VM run (run-vm.sh: no KASAN report, lockdep splat,
# WARN, BUG or leak in the kernel log).
set -eu
build=$1
root=$(cd "$(dirname "$0")/.." && pwd)
release=$("$root/scripts/build-debug-kernel.sh" "$build")
kdir=$build/debug-kernel/obj
echo "  DEBUG   kernel $release"
KDIR=$kdir "$root/scripts/build-module.sh" "$build" "$release" normal
KDIR=$kdir "$root/scripts/build-module.sh" "$build" "$release" broken \
	BPFDEV_TEST_BROKEN=1
BPFDEV_KERNEL=$kdir/arch/x86/boot/bzImage \
BPFDEV_VM_APPEND="BPFDEV_FUZZ_ITERATIONS=${FUZZ_ITERATIONS:-20000} BPFDEV_TEST_SCALE_DOWN=${TEST_SCALE_DOWN:-10}" \
	make -s -C "$root" check-vms KVERS="$release" \
	GUEST_SCRIPT=tests/debug/run-in-guest.sh VM_TIMEOUT=5400
