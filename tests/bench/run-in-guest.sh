#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, inside the VM: the module with a grant that allows the large
# programs, then the benchmark; its CSV goes to the console between markers
# (its diagnostics, "bench: ..." lines on stderr, may land in between too:
# report.sh keeps only the CSV lines). The per-user limit of concurrent
# loads stays at its default (4): the concurrency phase runs two at a time.
# BPFDEV_BENCH_ROUNDS and BPFDEV_BENCH_PHASES come from the kernel command
# line (make bench): rounds per operation and which phases (bench.c).
dir=$(dirname "$0")
/lib/bpfdev/insmod-bpfdev insn_max=1000000 || exit 1
udevadm settle
echo BPFDEV-BENCH-CSV-BEGIN
"$dir/bpfdev_bench" "${BPFDEV_BENCH_ROUNDS:-15}" \
	"${BPFDEV_BENCH_PHASES:-single,mapops,conc,auditd}"
rc=$?
echo BPFDEV-BENCH-CSV-END
exit $rc
