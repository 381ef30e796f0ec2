#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-system.sh KVER BUILD_DIR
#
# The full-system test: a Debian 12 root file system made with debootstrap
# (cached under BUILD_DIR), bpfdev installed into it the way a user installs
# it (make install DESTDIR=...), booted under QEMU with systemd as PID 1 and
# Debian's own kernel and initramfs. After boot, with no manual step,
# systemd-modules-load must have loaded the module, systemd-sysusers created
# group bpf, systemd-udevd made /dev/bpf root:bpf 0660 and
# systemd-tmpfiles the group's bpffs directory; then a user added to the
# group runs an unmodified libbpf program and bpftool through bpfdev-run.
set -euo pipefail
kver=$1
build=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$build/system
base=$work/rootfs-base
rootfs=$work/rootfs
image=$work/root.img
log=$work/console.log
pkgs=systemd,systemd-sysv,udev,kmod,libbpf1,bpftool,passwd,iproute2,procps

die() { echo "check-system: $*" >&2; exit 1; }
mkdir -p "$work"

# 1. The base system, made once: debootstrap is the slow part.
if [ ! -f "$base/.bpfdev-stamp" ] || [ "$(cat "$base/.bpfdev-stamp")" != "$pkgs" ]; then
	rm -rf "$base"
	echo "  DEBOOTSTRAP bookworm (minbase + $pkgs)"
	debootstrap --variant=minbase --include="$pkgs" bookworm "$base" \
		http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
		{ tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
	echo "$pkgs" >"$base/.bpfdev-stamp"
fi
rm -rf "$rootfs"
cp -a "$base" "$rootfs"
grep -q '^bpf:' "$rootfs/etc/group" && die "group bpf exists before boot"

# 2. bpfdev, installed as a user would, plus what depmod needs to index it.
make -s -C "$root" install DESTDIR="$rootfs" KVER="$kver" >/dev/null
mkdir -p "$rootfs/lib/modules/$kver"
cp /lib/modules/"$kver"/modules.order /lib/modules/"$kver"/modules.builtin* \
	"$rootfs/lib/modules/$kver/"
depmod -b "$rootfs" "$kver"

# 3. A user, the test program, and a unit that runs the test after boot.
chroot "$rootfs" useradd -m -u 1000 -s /bin/sh member
echo bpfdev-system >"$rootfs/etc/hostname"
mkdir -p "$rootfs/opt/bpfdev"
cp "$build/tests/sockcount" "$build/tests/sockcount.bpf.o" "$rootfs/opt/bpfdev/"
cp "$here/system-test.sh" "$rootfs/opt/bpfdev/"
cat >"$rootfs/etc/systemd/system/bpfdev-system-test.service" <<'UNIT'
[Unit]
Description=bpfdev full-system test
After=multi-user.target systemd-modules-load.service systemd-sysusers.service systemd-tmpfiles-setup.service systemd-udev-trigger.service

[Service]
Type=oneshot
ExecStart=/opt/bpfdev/system-test.sh
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0
ExecStopPost=/usr/bin/systemctl --no-block poweroff

[Install]
WantedBy=multi-user.target
UNIT
ln -sf /etc/systemd/system/bpfdev-system-test.service \
	"$rootfs/etc/systemd/system/multi-user.target.wants/"
# no login prompts to wait for
rm -f "$rootfs/etc/systemd/system/getty.target.wants/"*

# 4. A disk image of it, and the boot.
rm -f "$image"
mkfs.ext4 -q -F -L bpfdev-root -d "$rootfs" "$image" 1536M >/dev/null
vmlinux=$work/vmlinux-$kver
[ -s "$vmlinux" ] || "$root/tests/vm/extract-vmlinux.sh" "/boot/vmlinuz-$kver" >"$vmlinux"
echo "  BOOT    $kver with systemd (console: $log)"
start=$(date +%s)
timeout 600 qemu-system-x86_64 -machine q35 -accel tcg \
	-bios /usr/share/qemu/qboot.rom -cpu max -smp 2 -m 1536 \
	-nodefaults -display none -monitor none -serial stdio -no-reboot \
	-kernel "$vmlinux" -initrd "/boot/initrd.img-$kver" \
	-drive file="$image",format=raw,if=virtio \
	-append "root=/dev/vda rw console=ttyS0 loglevel=4 panic=-1 tsc=unstable audit=1 systemd.show_status=0" \
	>"$log" 2>&1 || true
echo "  booted and ran in $(( $(date +%s) - start )) s"

# 5. The verdict: the test's own lines, its result, and a clean kernel log.
grep -a '^system-test:' "$log" || true
grep -aq '^BPFDEV-SYSTEM-RESULT rc=0' "$log" ||
	die "the test did not pass (see $log)"
if grep -aE 'BUG:|WARNING:|Oops|general protection|refcount_t|list_del corruption|possible circular locking|possible recursive locking|inconsistent lock state|KASAN|Kernel panic|Call Trace' "$log"; then
	die "kernel splat in $log"
fi
echo "system test: clean"
