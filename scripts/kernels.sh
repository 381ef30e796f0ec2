#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kernels.sh fetch          download and unpack the test kernels
# kernels.sh list           print the newest unpacked kernel of each series
# kernels.sh kdir KVER      print the build tree to build a module for KVER
# kernels.sh image KVER     print the kernel image (vmlinuz) of KVER
# kernels.sh modules KVER   print the modules the test guests load, in order
#
# The tests run on Debian's own kernels, 6.1 (linux-image-amd64) and 6.12
# (linux-image-6.12-amd64), whatever kernel the machine runs. They are never
# installed on this machine: installing a kernel package would make it
# GRUB's default at the next boot. Their image, headers,
# linux-headers-*-common and linux-kbuild-* packages are fetched with
# "apt-get download" and unpacked with "dpkg-deb -x" into build/kernels/root,
# where the module is built against them and QEMU boots them. Of the
# image's modules only those the tests load are unpacked (guest_modules),
# uncompressed (6.12's are .ko.xz), since the guests have no modprobe.
#
# kdir and image fall back to the machine's own /lib/modules/KVER/build and
# /boot/vmlinuz-KVER, so "make KVER=..." builds for installed kernels too.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
base=${BPFDEV_KERNELS:-$root/build/kernels}
kroot=$base/root
# The meta packages that name the current kernel of each series.
metas="linux-image-amd64 linux-image-6.12-amd64"

die() { echo "kernels: $*" >&2; exit 1; }

# The image's modules the test guests load, dependencies first: null_blk
# (and its configfs) gives the block tools a disk, veth gives XDP a link.
guest_modules="fs/configfs/configfs drivers/block/null_blk/null_blk
drivers/net/veth"

# modules_of KVER: their unpacked paths, in that order.
modules_of() {
	for m in $guest_modules; do
		echo "$kroot/lib/modules/$1/kernel/$m.ko"
	done
}

# fetched KVER: is everything fetch_one unpacks for KVER there?
fetched() {
	[ -f "$base/$1.stamp" ] || return 1
	for ko in $(modules_of "$1"); do
		[ -f "$ko" ] || return 1
	done
}

# depends PKG: the packages PKG depends on (first alternative only).
depends() {
	apt-cache depends "$1" 2>/dev/null |
		awk '$1 == "Depends:" && $2 !~ /^</ { print $2 }'
}

fetch_one() {	# fetch_one KVER
	k=$1
	fetched "$k" && return 0
	img=linux-image-$k
	hdr=linux-headers-$k
	pkgs="$img $hdr"
	for p in $(depends "$hdr"); do
		case $p in
		linux-headers-*-common|linux-kbuild-*) pkgs="$pkgs $p" ;;
		esac
	done
	echo "  FETCH   $pkgs"
	d=$base/debs
	mkdir -p "$d" "$kroot"
	# shellcheck disable=SC2086 # a list of package names
	(cd "$d" && apt-get download -q $pkgs >"$base/fetch-$k.log" 2>&1) || {
		cat "$base/fetch-$k.log" >&2
		die "apt-get download failed (run 'apt-get update' first?)"
	}
	for p in $pkgs; do
		# shellcheck disable=SC2012 # Debian package file names
		deb=$(ls "$d/${p}_"*.deb 2>/dev/null | sort -V | tail -n 1)
		[ -n "$deb" ] || die "no .deb for $p in $d"
		if [ "$p" = "$img" ]; then
			# QEMU boots the image; the guests load only
			# guest_modules.
			pats=./boot
			for m in $guest_modules; do
				pats="$pats ./lib/modules/$k/kernel/$m.ko*"
			done
			# shellcheck disable=SC2086 # a list of patterns
			dpkg-deb --fsys-tarfile "$deb" |
				tar -C "$kroot" -x --wildcards $pats
			find "$kroot/lib/modules/$k" -name '*.ko.xz' \
				-exec xz -df {} +
		else
			dpkg-deb -x "$deb" "$kroot"
		fi
		rm -f "$deb"
	done
	# The headers' Makefile includes the -common tree by its absolute
	# /usr/src path: point it at the unpacked one.
	mk=$kroot/usr/src/linux-headers-$k/Makefile
	sed -i "s|^include /usr/src/|include $kroot/usr/src/|" "$mk"
	[ -f "$kroot/boot/vmlinuz-$k" ] || die "no /boot/vmlinuz-$k in $img"
	[ -f "$kroot/usr/src/linux-headers-$k/.config" ] || die "no headers for $k"
	for ko in $(modules_of "$k"); do
		[ -f "$ko" ] || die "no ${ko##*/} in $img"
	done
	date -u +%FT%TZ >"$base/$k.stamp"
}

case ${1:-} in
fetch)
	for m in $metas; do
		img=$(depends "$m" | grep '^linux-image-' | head -n 1)
		[ -n "$img" ] || die "apt-cache knows no $m (run 'apt-get update')"
		fetch_one "${img#linux-image-}"
	done
	;;
list)
	# the newest of each series: an archive update adds, never replaces
	for series in '6.1.0-*' '6.12.*'; do
		for s in "$base"/$series.stamp; do
			[ -f "$s" ] || continue
			k=${s##*/}
			echo "${k%.stamp}"
		done | sort -V | tail -n 1
	done
	;;
kdir)
	[ $# -eq 2 ] || die "usage: kernels.sh kdir KVER"
	if [ -f "$kroot/usr/src/linux-headers-$2/Makefile" ]; then
		echo "$kroot/usr/src/linux-headers-$2"
	elif [ -f "/lib/modules/$2/build/Makefile" ]; then
		echo "/lib/modules/$2/build"
	else
		die "no headers for $2"
	fi
	;;
image)
	[ $# -eq 2 ] || die "usage: kernels.sh image KVER"
	for f in "$kroot/boot/vmlinuz-$2" "/boot/vmlinuz-$2"; do
		[ -r "$f" ] && { echo "$f"; exit 0; }
	done
	die "no kernel image for $2"
	;;
modules)
	[ $# -eq 2 ] || die "usage: kernels.sh modules KVER"
	fetched "$2" || die "no modules for $2 (make deps)"
	modules_of "$2"
	;;
*)
	die "usage: kernels.sh fetch|list|kdir KVER|image KVER|modules KVER"
	;;
esac
