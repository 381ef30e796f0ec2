#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make fuzz, inside the VM: only the fuzzer, $BPFDEV_FUZZ_ITERATIONS long.
dir=$(dirname "$0")
export CK_TIMEOUT_MULTIPLIER=4
/lib/bpfdev/insmod-bpfdev || exit 1
udevadm settle
cd /tmp || exit 1
"$dir/bpfdev_tests" fuzz
