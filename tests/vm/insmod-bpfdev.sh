#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# insmod-bpfdev [PARAM=VALUE...]: in a test VM, load what bpfdev needs and
# then the module, with PARAMs. Staged as /lib/bpfdev/insmod-bpfdev by
# tests/vm/stage.sh, for every guest script (tests, tools, bench, fuzz,
# demo). The initramfs has no /lib/modules to modprobe from: the kernel's
# own modules that bpfdev and the tests need (configfs, which bpfdev's
# profiles live in; null_blk; veth) were staged with their load order.
[ ! -f /lib/bpfdev/kernel/order ] || while read -r ko; do
	insmod "/lib/bpfdev/kernel/$ko" || exit 1
done </lib/bpfdev/kernel/order
exec insmod /lib/bpfdev/bpfdev.ko "$@"
