#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run inside the test VM by guest-init.sh, as root: load the module, let udev
# apply the project's rule, run the suite; then swap in the test-only broken
# build and check that the race tests find its races. CK_RUN_SUITE=<name>
# on the kernel command line (BPFDEV_VM_APPEND) runs one suite in both
# steps (bpfdev_tests list names them; tests/check/README.md).
set -u
dir=$(dirname "$0")
# Check's per-test timeouts were written for real hardware; this is TCG.
export CK_TIMEOUT_MULTIPLIER=4
rc=0

# The kernel's own modules some tests need (tests/vm/stage.sh): null_blk
# gives the block tools /dev/nullb0, veth gives XDP a link.
/lib/bpfdev/insmod-bpfdev || exit 1
# Profiles live in configfs, which systemd mounts at boot on a real system.
grep -qs ' /sys/kernel/config ' /proc/mounts || mount -t configfs configfs /sys/kernel/config || exit 1
udevadm settle
ls -l /dev/bpf

# Each profile pins the module (bpfdev(4), PROFILES): rmmod needs them gone.
remove_profiles() {
	for p in /sys/kernel/config/bpfdev/*/; do
		# default/ is /dev/bpf's, part of the module
		[ ! -d "$p" ] || [ "${p%/}" = /sys/kernel/config/bpfdev/default ] ||
			rmdir "$p" || echo "could not remove profile $p" >&2
	done
}

cd /tmp || exit 1
echo "--- suite: bpfdev${CK_RUN_SUITE:+, $CK_RUN_SUITE}"
"$dir/bpfdev_tests" || rc=1
# The tools suite runs on the first CPU alone (tests/check/suite.c); the
# races below need the others back.
for c in /sys/devices/system/cpu/cpu[0-9]*/online; do
	[ -e "$c" ] || continue	# one CPU: cpu0 has no such file
	[ "$(cat "$c")" = 1 ] && continue
	echo "$c: a suite left it offline" >&2
	echo 1 >"$c"
	rc=1
done

echo "--- suite: bpfdev${CK_RUN_SUITE:+, $CK_RUN_SUITE}, broken build"
remove_profiles
if rmmod bpfdev && insmod /lib/bpfdev/broken/bpfdev.ko; then
	udevadm settle
	BPFDEV_KO=/lib/bpfdev/broken/bpfdev.ko "$dir/bpfdev_tests" broken || rc=1
	remove_profiles
	rmmod bpfdev || rc=1
else
	echo "could not swap in the broken build" >&2
	rc=1
fi
exit $rc
