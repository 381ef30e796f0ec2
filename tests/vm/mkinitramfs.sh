#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh OUT.cpio.gz KVER STAGE_DIR
#
# Build the self-contained initramfs that the bpfdev VM tests boot into.  The
# guest never mounts a root disk: busybox, systemd-udevd and the test payload
# all live in this one cpio archive, so a run depends only on the host files
# we copy here and on nothing the guest could find on a disk.
#
#   OUT.cpio.gz  gzip-compressed newc archive to write (replaced atomically)
#   KVER         kernel release the archive is for; any *.ko in STAGE_DIR must
#                carry that vermagic, so a module built for the wrong kernel
#                is caught here instead of as an insmod failure inside a VM
#   STAGE_DIR    tree copied verbatim to / of the guest (modules, test
#                binaries, /opt/bpfdev-tests/run-in-guest.sh, extra rules...)
#
# Must run as root on the host: mknod (for /dev/console) and ldconfig -r need
# it.  Everything in the archive is owned by root:root in the guest (cpio -R),
# whatever owns it on the host, so that a host user's uid (often 1000, which
# is "member" in the guest) can never own guest files by accident.
set -eu

die() { echo "mkinitramfs: $*" >&2; exit 1; }

[ $# -eq 3 ] || die "usage: mkinitramfs.sh OUT.cpio.gz KVER STAGE_DIR"
out=$1 kver=$2 stage=$3
[ -d "$stage" ] || die "STAGE_DIR $stage is not a directory"
stage=$(cd "$stage" && pwd)

# Locate the repository from this script's own path, so the harness works
# from any checkout and any working directory.
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
rules=$repo/udev/60-bpfdev.rules
[ -f "$rules" ] || die "missing $rules"
[ -f "$here/guest-init.sh" ] || die "missing $here/guest-init.sh"

root=$(mktemp -d "${TMPDIR:-/tmp}/bpfdev-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
trap 'exit 130' INT TERM

# Merged-/usr layout, like the Debian 12 host: /bin, /sbin, /lib and /lib64
# are symlinks into /usr.  Then every path ldd prints (/lib/x86_64-linux-gnu,
# /usr/lib/x86_64-linux-gnu, /lib64/ld-linux-x86-64.so.2) is valid as-is, and
# udevd finds rules whether it looks in /lib/udev or /usr/lib/udev.
mkdir -p "$root/usr/bin" "$root/usr/sbin" "$root/usr/lib" "$root/usr/lib64"
ln -s usr/bin "$root/bin"
ln -s usr/sbin "$root/sbin"
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"
for d in dev proc sys run tmp root etc/udev/rules.d usr/lib/udev/rules.d \
	 home/member home/outsider var/tmp mnt opt; do
	mkdir -p "$root/$d"
done
chmod 1777 "$root/tmp" "$root/var/tmp"
chmod 0700 "$root/root"
ln -s ../run "$root/var/run"

# The kernel opens /dev/console for PID 1 before /init runs, i.e. before
# devtmpfs is mounted.  Debian kernels also carry a built-in initramfs with
# that node, but do not depend on it.
mknod -m 600 "$root/dev/console" c 5 1

# copy_file PATH: copy the host file PATH to the same path in the guest,
# dereferencing symlinks (the guest gets the real content under the exact name
# the dynamic loader / ldd asked for; e.g. /lib64/ld-linux-x86-64.so.2).
copy_file() {
	[ -e "$root$1" ] && return 0
	mkdir -p "$root$(dirname "$1")"
	cp -L "$1" "$root$1"
}

# copy_deps FILE: copy every shared library FILE needs, as ldd resolves them
# on the host.  ldd prints "name => /path (addr)" for libraries and
# "/path (addr)" for the loader; "not found" means the guest would fail to
# exec the binary, so refuse to build.
copy_deps() {
	# Libraries staged for the guest resolve too; they are copied with the
	# rest of STAGE_DIR, so only host libraries are copied here.
	deps=$(LD_LIBRARY_PATH="$stage/usr/lib/x86_64-linux-gnu:$stage/lib/x86_64-linux-gnu" \
	       ldd "$1" 2>&1) || return 0	# static: "not a dynamic executable"
	case $deps in
	*"not found"*) die "$1: unresolved libraries: $(echo "$deps" | grep 'not found' | tr -s ' \t\n' ' ')" ;;
	esac
	for lib in $(echo "$deps" | awk '$2 == "=>" && $3 ~ /^\// { print $3; next }
					 $1 ~ /^\// { print $1 }'); do
		case $lib in "$stage"/*) continue ;; esac
		copy_file "$lib"
	done
}

# is_dyn_elf FILE: true for ELF executables and shared objects (e_type 2 or
# 3).  Kernel modules are ELF too but relocatable (e_type 1): ldd on them is
# meaningless.
is_dyn_elf() {
	[ -f "$1" ] && [ ! -L "$1" ] || return 1
	[ "$(od -An -N4 -tx1 "$1" 2>/dev/null | tr -d ' \n')" = 7f454c46 ] || return 1
	case $(od -An -j16 -N2 -tu2 "$1" | tr -d ' \n') in
	2|3) return 0 ;;
	esac
	return 1
}

# --- busybox ----------------------------------------------------------------
# Statically linked, so it needs nothing else.  Symlink every applet at the
# path busybox itself recommends (bin/, sbin/, usr/bin/, usr/sbin/).  Real
# programs copied later (udevadm, getent, staged files) are not busybox
# applets, so nothing here gets shadowed.
bb=$(command -v busybox) || die "busybox not found (apt-get install busybox-static)"
ldd "$bb" >/dev/null 2>&1 && die "$bb is dynamically linked; install busybox-static"
cp -L "$bb" "$root/usr/bin/busybox"
busybox --list-full | while read -r applet; do
	case $applet in
	*/*) ;;
	*) continue ;;		# "linuxrc" lives in /, we do not want it
	esac
	[ -e "$root/$applet" ] || [ -L "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done

# --- udev -------------------------------------------------------------------
# On Debian 12 systemd-udevd is a symlink to udevadm, which picks its
# personality from argv[0]; keep it a symlink so that still works.
udevadm=/usr/bin/udevadm
[ -x "$udevadm" ] || die "$udevadm not found (apt-get install udev)"
copy_file "$udevadm"
copy_deps "$udevadm"
mkdir -p "$root/usr/lib/systemd"
ln -s /bin/udevadm "$root/usr/lib/systemd/systemd-udevd"
cp "$rules" "$root/usr/lib/udev/rules.d/60-bpfdev.rules"

# getent: lets guest tests check user/group resolution through glibc NSS,
# the same path udevd takes for GROUP="bpf" (busybox has no getent, and its
# own id/su parse /etc/group directly).
copy_file /usr/bin/getent
copy_deps /usr/bin/getent

# --- glibc NSS --------------------------------------------------------------
# Since glibc 2.34 the "files" service is built into libc.so.6; the
# libnss_files.so.2 stub is copied anyway in case a binary links it.  An
# explicit nsswitch.conf keeps the host's "systemd" service (absent here)
# out of the picture.
if [ -e /lib/x86_64-linux-gnu/libnss_files.so.2 ]; then
	copy_file /lib/x86_64-linux-gnu/libnss_files.so.2
fi
cat >"$root/etc/nsswitch.conf" <<'EOF'
passwd:	files
group:	files
shadow:	files
hosts:	files
EOF

# --- users and groups ---------------------------------------------------------
# member (1000) and member2 (1002) are in the supplementary group bpf (990), which the udev rule
# gives access to /dev/bpf; outsider (1001) is not.  Passwords are locked:
# only root, switching uid, ever runs as these users.
cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
member:x:1000:1000:bpf group member:/home/member:/bin/sh
member2:x:1002:1002:another bpf group member:/tmp:/bin/sh
outsider:x:1001:1001:not in the bpf group:/home/outsider:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
bpf:x:990:member,member2
member:x:1000:
outsider:x:1001:
member2:x:1002:
nogroup:x:65534:
EOF
cat >"$root/etc/shadow" <<'EOF'
root:*:19000:0:99999:7:::
member:!:19000:0:99999:7:::
outsider:!:19000:0:99999:7:::
member2:!:19000:0:99999:7:::
nobody:*:19000:0:99999:7:::
EOF
chmod 0640 "$root/etc/shadow"
echo bpfdev-vm >"$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n' >"$root/etc/hosts"
echo "$kver" >"$root/etc/bpfdev-kver"

# --- staged payload -----------------------------------------------------------
# Refuse modules built for another kernel: vermagic's first word is the
# release they were built against.
find "$stage" -name '*.ko' -type f | while read -r ko; do
	vm=$(modinfo -F vermagic "$ko" 2>/dev/null | awk '{ print $1 }')
	[ "$vm" = "$kver" ] || die "$ko was built for '${vm:-?}', not $kver"
done
# tar rather than cp -a: --keep-directory-symlink lets a staged /lib/bpfdev
# land in /usr/lib/bpfdev through the /lib symlink instead of replacing the
# symlink with a directory (which would hide /lib/x86_64-linux-gnu).
tar -C "$stage" -cf - . | tar -C "$root" -xpf - --keep-directory-symlink
# Then the libraries of every dynamically linked program or library staged.
# (if/fi, not &&: a false test as the loop's last command would make the
# whole pipeline fail under set -e.)
find "$stage" -type f | while read -r f; do
	if is_dyn_elf "$f"; then copy_deps "$f"; fi
done

# Host ld.so config plus a cache: libraries that the host finds only through
# /etc/ld.so.conf.d (not the loader's built-in paths) are then found in the
# guest too.
cp -L /etc/ld.so.conf "$root/etc/" 2>/dev/null || true
[ -d /etc/ld.so.conf.d ] && cp -RL /etc/ld.so.conf.d "$root/etc/"
ldconfig -r "$root" 2>/dev/null || echo "mkinitramfs: note: ldconfig -r failed; relying on default library paths" >&2

# --- /init ----------------------------------------------------------------------
cp "$here/guest-init.sh" "$root/init"
chmod 0755 "$root/init"

# Sorted names and fixed ownership make the archive depend only on its
# contents; gzip -n omits the timestamp.  Write to a temporary name first so
# an interrupted build never leaves a truncated OUT behind.
outdir=$(dirname "$out")
mkdir -p "$outdir"
tmp=$(mktemp "$outdir/.initramfs.XXXXXX")
if (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -6 -n >"$tmp"; then
	chmod 0644 "$tmp"
	mv -f "$tmp" "$out"
else
	rm -f "$tmp"
	die "cpio/gzip failed"
fi
