#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-system.sh KVER BUILD_DIR
#
# The full-system test: a Debian 12 root file system made with debootstrap
# (cached under BUILD_DIR) with Debian's kernel KVER installed in it,
# bpfdev installed into it the way a user installs it (make install
# DESTDIR=...), booted under QEMU from its own /boot (kernel and initramfs)
# with systemd as PID 1. After boot, with no manual step,
# systemd-modules-load must have loaded the module, systemd-sysusers created
# group bpf, systemd-udevd made /dev/bpf root:bpf 0660 and
# systemd-tmpfiles the group's bpffs directory; then a user added to the
# group runs an unmodified libbpf program and bpftool through bpfdev-run,
# and pins are shared within the group as README says.
#
# Two serial ports: ttyS0 is the console (kernel and systemd messages, and
# nothing else: no getty runs on this system), ttyS1 carries the test's
# output, verdict and the kernel log dumped at its end (build/system/
# verdict.log). The console and the dumped kernel log are scanned for
# kernel splats, as for every VM (tests/vm/qemu.sh); the test's unit powers
# the machine off when it ends, passed or failed (SuccessAction=/
# FailureAction=).
set -euo pipefail
kver=$1
build=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$build/system
base=$work/rootfs-base
rootfs=$work/rootfs
image=$work/root.img
log=$work/verdict.log
console=$work/console.log
pkgs=systemd,systemd-sysv,udev,kmod,libbpf1,bpftool,passwd,iproute2,procps
kpkg=linux-image-$kver

die() { echo "check-system: $*" >&2; exit 1; }
mkdir -p "$work"
# The machine's own Debian mirror.
mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null |
	 grep -v security | head -n 1 || true)
mirror=${mirror:-http://deb.debian.org/debian}

# 1. The base system, made once: debootstrap is the slow part. Debian's
# kernels come from bookworm-security and -updates, which debootstrap does
# not read: the kernel is installed with apt in the new system, from the
# same archive as this machine's (its debian.sources).
if [ ! -f "$base/.bpfdev-stamp" ] || [ "$(cat "$base/.bpfdev-stamp")" != "$pkgs $kpkg" ]; then
	rm -rf "$base"
	echo "  DEBOOTSTRAP bookworm (minbase + $pkgs + $kpkg)"
	debootstrap --variant=minbase --include="$pkgs" bookworm "$base" \
		"$mirror" >"$work/debootstrap.log" 2>&1 ||
		{ tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
	rm -f "$base/etc/apt/sources.list"
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		cp /etc/apt/sources.list.d/debian.sources "$base/etc/apt/sources.list.d/"
	else
		cat >"$base/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	fi
	mount -t proc proc "$base/proc"
	if ! { chroot "$base" apt-get update -q &&
	       DEBIAN_FRONTEND=noninteractive chroot "$base" \
			apt-get install -y -q --no-install-recommends "$kpkg"; } \
	     >>"$work/debootstrap.log" 2>&1; then
		umount "$base/proc"
		tail -20 "$work/debootstrap.log" >&2
		die "installing $kpkg in the system failed"
	fi
	umount "$base/proc"
	chroot "$base" apt-get clean
	echo "$pkgs $kpkg" >"$base/.bpfdev-stamp"
fi
rm -rf "$rootfs"
cp -a "$base" "$rootfs"
grep -q '^bpf:' "$rootfs/etc/group" && die "group bpf exists before boot"

[ -f "$rootfs/boot/vmlinuz-$kver" ] && [ -f "$rootfs/boot/initrd.img-$kver" ] ||
	die "the system has no kernel $kver with an initramfs in /boot"

# 2. bpfdev, installed as a user would; depmod as make install runs it.
make -s -C "$root" install DESTDIR="$rootfs" KVER="$kver" >/dev/null
depmod -b "$rootfs" "$kver"

# 3. Users (two who will join the group, one who will not), the test
# programs, and a unit that runs the test after boot.
chroot "$rootfs" useradd -m -u 1000 -s /bin/sh member
chroot "$rootfs" useradd -m -u 1001 -s /bin/sh member2
chroot "$rootfs" useradd -m -u 1002 -s /bin/sh outsider
# Two teams, each a profile from a file of its own and nothing else
# (bpfdevctl(8)): applied at boot when the module appears.
chroot "$rootfs" groupadd -r teamnet
chroot "$rootfs" groupadd -r teamobs
chroot "$rootfs" usermod -aG teamnet member
chroot "$rootfs" usermod -aG teamobs member2
cat >"$rootfs/etc/bpfdev/profiles.d/teamnet.conf" <<'CONF'
# the networking team
group = teamnet
mode = 0660
delegate_cmds = prog_load, map_create, btf_load, map_freeze, link_create
delegate_progs = xdp, cgroup_skb
delegate_maps = array, hash, ringbuf
CONF
cat >"$rootfs/etc/bpfdev/profiles.d/teamobs.conf" <<'CONF'
# the observability team
group = teamobs
mode = 0660
delegate_cmds = prog_load, map_create, btf_load, map_freeze
delegate_progs = kprobe, tracepoint
delegate_maps = array, hash, ringbuf
CONF
echo bpfdev-system >"$rootfs/etc/hostname"
mkdir -p "$rootfs/opt/bpfdev"
cp "$build/tests/sockcount" "$build/tests/sockcount.bpf.o" "$build/tests/pinget" \
	"$rootfs/opt/bpfdev/"
cp "$here/system-test.sh" "$rootfs/opt/bpfdev/"
cat >"$rootfs/etc/systemd/system/bpfdev-system-test.service" <<'UNIT'
[Unit]
Description=bpfdev full-system test
After=multi-user.target systemd-modules-load.service systemd-sysusers.service systemd-tmpfiles-setup.service systemd-udev-trigger.service
SuccessAction=poweroff-force
FailureAction=poweroff-force

[Service]
Type=oneshot
# The verdict has a port of its own: nothing else on this system opens ttyS1.
ExecStart=/bin/sh -c 'exec /opt/bpfdev/system-test.sh >/dev/ttyS1 2>&1 </dev/null'

[Install]
WantedBy=multi-user.target
UNIT
ln -sf /etc/systemd/system/bpfdev-system-test.service \
	"$rootfs/etc/systemd/system/multi-user.target.wants/"
# No getty anywhere (the generator would start one on the console whatever
# getty.target.wants holds; the kernel command line turns it off too).
rm -f "$rootfs/etc/systemd/system/getty.target.wants/"*
for u in serial-getty@.service getty@.service console-getty.service; do
	ln -sf /dev/null "$rootfs/etc/systemd/system/$u"
done

# 4. A disk image of it, and the boot.
rm -f "$image"
mkfs.ext4 -q -F -L bpfdev-root -d "$rootfs" "$image" 3G >/dev/null
# The system's own kernel, booted through PVH as the other VMs are.
vmlinux=$work/vmlinux-$kver
sh "$root/tests/vm/extract-vmlinux.sh" "$rootfs/boot/vmlinuz-$kver" >"$vmlinux"
cp "$rootfs/boot/initrd.img-$kver" "$work/initrd.img-$kver"
echo "  BOOT    $kver with systemd (output: $log, console: $console)"
rm -f "$log" "$console"
start=$(date +%s)
qemu_rc=0
# The machine and kernel command line of every VM (tests/vm/qemu.sh), with
# the root disk; the test's channel goes to a file.
. "$root/tests/vm/qemu.sh"
vm_qemu_cmd "$vmlinux" "$work/initrd.img-$kver" "$console" "file:$log" \
	"root=/dev/vda rw systemd.show_status=0 systemd.getty_auto=0" \
	-drive file="$image",format=raw,if=virtio
timeout -k 10 900 "${vm_qemu[@]}" </dev/null >"$work/qemu.log" 2>&1 || qemu_rc=$?
echo "  booted and ran in $(( $(date +%s) - start )) s"

# 5. The verdict: the test's own lines, its result, a complete kernel log,
# and no splat on either port.
tr -d '\r' <"$log" | grep -a '^system-test:' || true
[ "$qemu_rc" -eq 0 ] || die "qemu exited with $qemu_rc (timeout: 124; see $console)"
tr -d '\r' <"$log" | grep -aq '^BPFDEV-SYSTEM-RESULT rc=0$' ||
	die "the test did not pass (see $log and $console)"
tr -d '\r' <"$log" | grep -aq '^BPFDEV-DMESG-END$' ||
	die "the kernel log dump is incomplete (see $log)"
if splats=$(vm_splats "$console" "$log"); then
	head -n 50 <<<"$splats" >&2
	die "kernel splat (see $console and $log)"
fi
echo "system test: clean"
