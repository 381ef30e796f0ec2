#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, inside the VM: the module with a grant that allows the large
# programs, then the benchmark; its CSV goes to the console between markers.
dir=$(dirname "$0")
insmod /lib/bpfdev/bpfdev.ko insn_max=1000000 || exit 1
udevadm settle
echo BPFDEV-BENCH-CSV-BEGIN
"$dir/bpfdev_bench" "${BPFDEV_BENCH_ROUNDS:-15}" || exit 1
echo BPFDEV-BENCH-CSV-END
