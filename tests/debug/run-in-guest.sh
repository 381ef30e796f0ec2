#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make check-debug, inside the VM booted from the debug kernel (KASAN,
# KMEMLEAK, PROVE_LOCKING, DEBUG_ATOMIC_SLEEP): the whole suite, whose fuzz
# test runs $BPFDEV_FUZZ_ITERATIONS requests per grant, then a kmemleak
# scan. KASAN and lockdep reports go to the kernel log, which run-vm.sh
# scans; kmemleak only reports when asked, so ask here, and fail the run
# on any leak.
set -u
dir=$(dirname "$0")
kml=/sys/kernel/debug/kmemleak
# Lockdep and KASAN make everything several times slower under TCG.
export CK_TIMEOUT_MULTIPLIER=20
rc=0

# Leaks found so far belong to the boot, not to us: scan and forget them.
if [ -w "$kml" ]; then
	echo scan >"$kml"
	echo clear >"$kml"
else
	echo "no $kml: is this the debug kernel?" >&2
	exit 1
fi

/lib/bpfdev/insmod-bpfdev || exit 1
grep -qs ' /sys/kernel/config ' /proc/mounts || mount -t configfs configfs /sys/kernel/config || exit 1
udevadm settle
cd /tmp || exit 1
echo "--- suite: bpfdev (debug kernel)"
"$dir/bpfdev_tests" || rc=1
# Each profile pins the module (bpfdev(4), PROFILES): rmmod needs them gone.
for p in /sys/kernel/config/bpfdev/*/; do
	# default/ is /dev/bpf's, part of the module
	[ ! -d "$p" ] || [ "${p%/}" = /sys/kernel/config/bpfdev/default ] ||
		rmdir "$p" || rc=1
done
rmmod bpfdev || rc=1

# kmemleak reports an object only once it has stayed unreferenced over two
# scans (and is older than 5 s): scan, wait, scan again.
echo "--- kmemleak"
echo scan >"$kml"
sleep 6
echo scan >"$kml"
leaks=$(grep -c '^unreferenced object' "$kml")
echo "kmemleak scan after the run: $leaks leak(s)"
if [ "$leaks" -ne 0 ]; then
	cat "$kml"
	rc=1
fi
exit $rc
