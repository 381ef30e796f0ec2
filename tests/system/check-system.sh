#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-system.sh KVER BUILD_DIR OTHER_KVER
#
# The full-system test: a Debian 12 root file system made with debootstrap
# (cached under BUILD_DIR) with Debian's kernel KVER and its headers
# installed in it. bpfdev is installed into it the way an administrator
# installs it: "apt-get install ./*.deb" of the four packages "make deb"
# built (BUILD_DIR/deb), run in the system (chroot), where DKMS builds the
# module for KVER; then installing OTHER_KVER's headers must build it for
# that kernel too. The system is booted under QEMU from its own /boot
# (kernel and initramfs) with systemd as PID 1. After boot, with no manual
# step, systemd-modules-load must have loaded the DKMS module,
# systemd-udevd made /dev/bpf root:bpf 0660 (group bpf: made by the
# package's postinst, with systemd-sysusers) and systemd-tmpfiles the
# group's bpffs directory; then a user added to the group runs an
# unmodified libbpf program and bpftool through bpfdev-run, and pins are
# shared within the group as README says. Last, "apt-get purge" of the four
# packages, in the system again, must leave no file of theirs behind: every
# path that is new since before the install and that no installed package
# owns is listed, and must be one dkms or dpkg leaves by design.
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
other=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$build/system
base=$work/rootfs-base
rootfs=$work/rootfs
image=$work/root.img
log=$work/verdict.log
console=$work/console.log
# what a user manager needs too, as a Debian desktop or server has it
pkgs=systemd,systemd-sysv,udev,kmod,libbpf1,bpftool,passwd,iproute2,procps,dbus,dbus-user-session,libpam-systemd
kpkg="linux-image-$kver linux-headers-$kver"
# Downloaded into the base's apt cache, installed by each run: what the
# packages pull in (dkms and the compiler), and the other kernel's headers.
cached="dkms linux-headers-$other"
debs=$build/deb

die() { echo "check-system: $*" >&2; exit 1; }
# proc is mounted in the system while apt runs there; never left behind,
# never under an rm -rf.
unmount_proc() { for d in "$base" "$rootfs"; do umount -q "$d/proc" 2>/dev/null || true; done; }
trap unmount_proc EXIT
unmount_proc
mkdir -p "$work"
# The machine's own Debian mirror.
mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null |
	 grep -v security | head -n 1 || true)
mirror=${mirror:-http://deb.debian.org/debian}

# In the system: a command, its output to LOG; on failure its tail, and die.
in_system() {	# in_system LOG WHAT COMMAND...
	local log=$1 what=$2
	shift 2
	if ! DEBIAN_FRONTEND=noninteractive chroot "$rootfs" "$@" >>"$log" 2>&1; then
		tail -n 30 "$log" >&2
		die "$what failed (see $log)"
	fi
}
# Every path of the system but the pseudo file systems and apt's and
# dpkg's own state, sorted.
listing() {
	(cd "$rootfs" && find . -xdev \( -path ./proc -o -path ./dev -o -path ./run \
		-o -path ./tmp -o -path ./var/cache -o -path ./var/log \
		-o -path ./var/lib/apt -o -path ./var/lib/dpkg \) -prune -o -print) |
		LC_ALL=C sort
}
for p in bpfdev bpfdev-dkms libbpfdev0 libbpfdev-dev; do
	ls "$debs/${p}_"*.deb >/dev/null 2>&1 || die "no $p package in $debs (make deb)"
done

# 1. The base system, made once: debootstrap is the slow part. Debian's
# kernels come from bookworm-security and -updates, which debootstrap does
# not read: the kernel is installed with apt in the new system, from the
# same archive as this machine's (its debian.sources).
if [ ! -f "$base/.bpfdev-stamp" ] ||
   [ "$(cat "$base/.bpfdev-stamp")" != "$pkgs $kpkg $cached" ]; then
	rm -rf --one-file-system "$base"
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
	# shellcheck disable=SC2086
	if ! { chroot "$base" apt-get update -q &&
	       DEBIAN_FRONTEND=noninteractive chroot "$base" \
			apt-get install -y -q --no-install-recommends $kpkg &&
	       chroot "$base" apt-get install -y -q --no-install-recommends \
			--download-only $cached; } \
	     >>"$work/debootstrap.log" 2>&1; then
		umount "$base/proc"
		tail -20 "$work/debootstrap.log" >&2
		die "installing $kpkg in the system failed"
	fi
	umount "$base/proc"
	echo "$pkgs $kpkg $cached" >"$base/.bpfdev-stamp"
fi
rm -rf --one-file-system "$rootfs"
cp -a "$base" "$rootfs"
grep -q '^bpf:' "$rootfs/etc/group" && die "group bpf exists before the install"

[ -f "$rootfs/boot/vmlinuz-$kver" ] && [ -f "$rootfs/boot/initrd.img-$kver" ] ||
	die "the system has no kernel $kver with an initramfs in /boot"

# 2. Users (two who will join the group, one who will not), the test
# programs, and a unit that runs the test after boot.
chroot "$rootfs" useradd -m -u 1000 -s /bin/sh member
chroot "$rootfs" useradd -m -u 1001 -s /bin/sh member2
chroot "$rootfs" useradd -m -u 1002 -s /bin/sh outsider
# Two teams (their profiles come with the install, below).
chroot "$rootfs" groupadd -r teamnet
chroot "$rootfs" groupadd -r teamobs
chroot "$rootfs" usermod -aG teamnet member
chroot "$rootfs" usermod -aG teamobs member2
echo bpfdev-system >"$rootfs/etc/hostname"
mkdir -p "$rootfs/opt/bpfdev"
cp "$build/tests/sockcount" "$build/tests/sockcount.bpf.o" "$build/tests/pinget" \
	"$build/tests/netprobe" "$rootfs/opt/bpfdev/"
# Two users whose user managers start at boot (loginctl enable-linger)
mkdir -p "$rootfs/var/lib/systemd/linger"
touch "$rootfs/var/lib/systemd/linger/member" "$rootfs/var/lib/systemd/linger/outsider"
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

# 3. bpfdev, installed as an administrator does: apt-get in the system, the
# packages' scripts run there (a chroot: no udev, no bpffs, another running
# kernel, so only what a chroot allows: the group, DKMS). Recommends are
# left out, as dkms's would pull the headers of Debian's newest 6.1 too.
listing >"$work/files-before"
log_apt=$work/apt.log
rm -f "$log_apt"
mkdir -p "$rootfs/tmp/debs"
for p in bpfdev bpfdev-dkms libbpfdev0 libbpfdev-dev; do
	cp "$debs/${p}_"*.deb "$rootfs/tmp/debs/"
done
mount -t proc proc "$rootfs/proc"
echo "  APT     install ./bpfdev*.deb in the system (log: $log_apt)"
in_system "$log_apt" "apt-get install of the packages" sh -c \
	'apt-get install -y --no-install-recommends /tmp/debs/*.deb'
# DKMS compresses the module as the kernel's own are (xz on 6.12).
dkms_ko() { ls "$rootfs/lib/modules/$1/updates/dkms/bpfdev.ko"* 2>/dev/null | head -n 1; }
ko=$(dkms_ko "$kver")
[ -n "$ko" ] || die "the install built no /lib/modules/$kver/updates/dkms/bpfdev.ko"
ko=${ko#"$rootfs"/}
grep -q '^bpf:' "$rootfs/etc/group" || die "the install made no group bpf"
[ -z "$(ls -A "$rootfs/sys")" ] || die "the install wrote into the system's /sys"
echo "  DKMS    $kver: /$ko, version $(modinfo -F version "$rootfs/$ko")"
echo "  APT     install linux-headers-$other in the system"
in_system "$log_apt" "installing linux-headers-$other" \
	apt-get install -y --no-install-recommends "linux-headers-$other"
oko=$(dkms_ko "$other")
[ -n "$oko" ] || die "the headers of $other built no /lib/modules/$other/updates/dkms/bpfdev.ko"
oko=${oko#"$rootfs"/}
vermagic=$(modinfo -F vermagic "$rootfs/$oko")
[ "${vermagic%% *}" = "$other" ] || die "/$oko is for '${vermagic%% *}', not $other"
echo "  DKMS    $other: /$oko, built when its headers came"
umount "$rootfs/proc"
rm -rf "$rootfs/tmp/debs"
chroot "$rootfs" apt-get clean
# The administrator's own configuration. The member is in group bpf before
# its user manager starts; the user managers get bpfdev (the drop-in the
# package ships inactive), and the default grant what systemd's IP firewall
# needs: prog_attach/prog_detach, and lpm_trie maps (README, "A firewall
# for your own services").
chroot "$rootfs" usermod -aG bpf member
mkdir -p "$rootfs/etc/systemd/system/user@.service.d"
ln -s /usr/share/bpfdev/user@.service.d/bpfdev.conf \
	"$rootfs/etc/systemd/system/user@.service.d/bpfdev.conf"
cat >"$rootfs/etc/modprobe.d/bpfdev-firewall.conf" <<'CONF'
options bpfdev delegate_cmds=map_create:prog_load:btf_load:map_freeze:prog_attach:prog_detach
options bpfdev delegate_maps=hash:array:prog_array:perf_event_array:percpu_hash:percpu_array:cgroup_array:array_of_maps:hash_of_maps:cgroup_storage:percpu_cgroup_storage:ringbuf:user_ringbuf:lpm_trie
CONF
# Two teams, each a profile from a file of its own and nothing else
# (bpfdevctl(8)), applied at boot when the module appears.
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

# 6. apt-get purge of the four, in the system, then autoremove of what
# apt pulled in for them (dkms, the compiler) and purge of the headers the
# test installed: what is left of them. Every path new since before the
# install that no installed package owns (dpkg's paths made canonical for
# the merged /usr) must be one of those the packages cannot remove by
# design: the administrator's own files (profiles, the firewall's grant,
# the link to the user@.service drop-in: dpkg removes no file it did not
# install, nor the directories that hold one), and the module index depmod
# wrote, when DKMS installed the module there, for the other kernel, which
# has headers but no image (depmod's files, no package's).
mount -t proc proc "$rootfs/proc"
echo "  APT     purge bpfdev bpfdev-dkms libbpfdev0 libbpfdev-dev in the system"
in_system "$log_apt" "apt-get purge" \
	apt-get purge -y bpfdev bpfdev-dkms libbpfdev0 libbpfdev-dev
in_system "$log_apt" "apt-get autoremove" apt-get autoremove --purge -y
in_system "$log_apt" "apt-get purge linux-headers-$other" \
	apt-get purge -y "linux-headers-$other"
umount "$rootfs/proc"
listing >"$work/files-after"
# Owned: the files of installed packages, and the links of the
# alternatives they registered (/usr/bin/lzma -> /etc/alternatives/lzma).
{
	cat "$rootfs"/var/lib/dpkg/info/*.list
	for a in "$rootfs"/var/lib/dpkg/alternatives/*; do
		chroot "$rootfs" update-alternatives --query "${a##*/}" |
			sed -n -e 's#^Name: \(.*\)#/etc/alternatives/\1#p' \
			    -e 's#^Link: ##p' \
			    -e 's#^ \([^ ]*\) \(/.*\)#/etc/alternatives/\1\n\2#p'
	done
} | sed -e 's#^/\(bin\|sbin\|lib\|lib64\)/#/usr/\1/#' -e 's#^#.#' |
	LC_ALL=C sort -u >"$work/files-owned"
LC_ALL=C comm -13 "$work/files-before" "$work/files-after" |
	LC_ALL=C comm -23 - "$work/files-owned" >"$work/files-left"
echo "  PURGE   left behind ($work/files-left):"
sed 's/^/            /' "$work/files-left"
grep -q '^bpf:' "$rootfs/etc/group" &&
	echo "            group bpf (Debian removes no system group: files may belong to it)"
unexpected=$(grep -v -x -e './etc/bpfdev' -e './etc/bpfdev/profiles\.d' \
	-e './etc/bpfdev/profiles\.d/team\(net\|obs\)\.conf' \
	-e './etc/modprobe\.d/bpfdev-firewall\.conf' \
	-e './etc/systemd/system/user@\.service\.d' \
	-e './etc/systemd/system/user@\.service\.d/bpfdev\.conf' \
	-e "./usr/lib/modules/$other" -e "./usr/lib/modules/$other/modules\.[a-z.]*" \
	"$work/files-left" || true)
[ -z "$unexpected" ] || die "the purge left behind: $(echo $unexpected)"
[ -z "$(ls -A "$rootfs/sys")" ] || die "something wrote into the system's /sys"
echo "system test: clean"
