#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run inside the test VM by guest-init.sh, as root: load the module, let udev
# apply the project's rule, run the suite; then swap in the test-only broken
# build and check that the race tests find its races.
set -u
dir=$(dirname "$0")
# Check's per-test timeouts were written for real hardware; this is TCG.
export CK_TIMEOUT_MULTIPLIER=4
rc=0

insmod /lib/bpfdev/bpfdev.ko || exit 1
udevadm settle
ls -l /dev/bpf

cd /tmp || exit 1
echo "--- suite: bpfdev"
"$dir/bpfdev_tests" || rc=1

echo "--- suite: bpfdev, broken build"
if rmmod bpfdev && insmod /lib/bpfdev/broken/bpfdev.ko; then
	udevadm settle
	BPFDEV_KO=/lib/bpfdev/broken/bpfdev.ko "$dir/bpfdev_tests" broken || rc=1
	rmmod bpfdev || rc=1
else
	echo "could not swap in the broken build" >&2
	rc=1
fi
exit $rc
