#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the bpfdev test VM (busybox sh as PID 1), installed by
# mkinitramfs.sh.  Sets up just enough of a system for the tests (kernel file
# systems, loopback, udevd so /dev/bpf gets its owner/group/mode from the real
# udev rule), runs /opt/bpfdev-tests/run-in-guest.sh, reports its exit code
# and the whole kernel log on the guest's own channel, the second serial
# port (ttyS1), and powers off. The console (ttyS0) carries only what the
# kernel prints.
#
# Channel protocol, parsed by run-vm.sh on the host:
#   BPFDEV-GUEST-START <uname -r>
#   ... test output ...
#   BPFDEV-GUEST-RESULT rc=<N>
#   BPFDEV-DMESG-BEGIN
#   ... dmesg ...
#   BPFDEV-DMESG-END
#
# PID 1 must never exit (the kernel would panic) and must not stop at the
# first error, so there is no "set -e": every step reports failure and the
# script carries on to the result/dmesg/poweroff tail.  A hung test is
# killed by an in-guest timeout (bpfdev_guest_timeout= on the kernel command
# line, passed to us as an environment variable) so we still get the kernel
# log; if even that fails, the host-side timeout ends the VM.
#
# run-vm.sh looks for kernel splats in the console and in the dumped kernel
# log only: what the tests print on this channel is never taken for one.

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
umask 022

note() { echo "guest-init: $*"; }

mnt() {	# mnt TYPE DIR [OPTIONS]: mount, creating DIR; report but survive errors
	mkdir -p "$2" 2>/dev/null
	mount -t "$1" ${3:+-o "$3"} "$1" "$2" || note "mount -t $1 $2 failed"
}

mnt proc /proc nosuid,nodev,noexec
mnt sysfs /sys nosuid,nodev,noexec
mnt devtmpfs /dev mode=0755,nosuid
# Everything from here on goes to the guest's channel, ttyS1: the kernel
# opened the initramfs /dev/console for us, and nothing of ours belongs on
# the console. Raw mode: no echo, no newline translation.
exec </dev/null >/dev/ttyS1 2>&1
stty -F /dev/ttyS1 raw -echo 2>/dev/null || true
mnt devpts /dev/pts mode=0620,ptmxmode=0666
mnt tmpfs /dev/shm mode=1777,nosuid,nodev
mnt tmpfs /run mode=0755,nosuid,nodev
mnt tmpfs /tmp mode=1777,nosuid,nodev
mnt bpf /sys/fs/bpf mode=0700
mnt cgroup2 /sys/fs/cgroup nsdelegate
mnt debugfs /sys/kernel/debug
# devtmpfs does not provide these; bash-style redirections and some tests
# expect them.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr

echo "BPFDEV-GUEST-START $(uname -r)"

hostname bpfdev-vm
ip link set lo up || note "ip link set lo up failed"
# The archive is root-owned throughout (cpio -R 0:0); give the users their
# homes so tests running as them have a writable $HOME.
chown member:member /home/member
chown outsider:outsider /home/outsider

# udev.  /run/udev holds udevd's database and control socket.  udevd creates
# its netlink and control sockets before --daemon forks, so uevents sent by
# the trigger below cannot be lost even if the child is not yet scheduled.
# --resolve-names=early: user/group names in rules (GROUP="bpf") are resolved
# via NSS (/etc/group) once, when the rules are loaded.
mkdir -p /run/udev /run/udev/rules.d /etc/udev/rules.d
if /lib/systemd/systemd-udevd --daemon --resolve-names=early; then
	udevadm trigger --type=subsystems --action=add || note "udevadm trigger (subsystems) failed"
	udevadm trigger --type=devices --action=add || note "udevadm trigger (devices) failed"
	udevadm settle --timeout=120 || note "udevadm settle failed"
else
	note "systemd-udevd failed to start"
fi

t=/opt/bpfdev-tests/run-in-guest.sh
if [ -f "$t" ]; then
	note "running $t"
	# Honour its #! line if it is executable, else feed it to busybox sh.
	if [ -x "$t" ]; then set -- "$t"; else set -- sh "$t"; fi
	start=$(date +%s)
	# Run it in its own directory; as a child, so its exit cannot kill us.
	if [ -n "${bpfdev_guest_timeout:-}" ]; then
		# busybox timeout: TERM after the limit, KILL 10 s later.
		(cd /opt/bpfdev-tests && exec timeout -s TERM -k 10 "$bpfdev_guest_timeout" "$@")
	else
		(cd /opt/bpfdev-tests && exec "$@")
	fi
	rc=$?
	end=$(date +%s)
	if [ -n "${bpfdev_guest_timeout:-}" ] && [ $((end - start)) -ge "$bpfdev_guest_timeout" ]; then
		note "$t timed out after $((end - start)) s (limit ${bpfdev_guest_timeout} s)"
		# Make timeouts (probably a deadlock) diagnosable: dump the stacks of
		# all blocked (D state) tasks into the kernel log printed below.
		echo w >/proc/sysrq-trigger 2>/dev/null
		[ "$rc" -ne 0 ] || rc=124
	fi
	note "$t finished in $((end - start)) s"
else
	# No test payload is a harness error, not a pass.
	note "$t not found"
	rc=127
fi

echo "BPFDEV-GUEST-RESULT rc=$rc"
echo "BPFDEV-DMESG-BEGIN"
dmesg
echo "BPFDEV-DMESG-END"
sync
# The serial port drains asynchronously; give it a moment before the power
# goes away so the tail of the log (and the END marker) reaches the host.
sleep 1
# run-vm.sh boots with -no-reboot, so either request ends QEMU.  poweroff -f
# does not return if it works; reboot -f is the fallback should ACPI power
# off be unavailable (the kernel then halts instead, hence the host timeout).
poweroff -f
reboot -f
while :; do sleep 3600; done
