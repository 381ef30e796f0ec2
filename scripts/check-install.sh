#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# check-install.sh KVER...
#
# "make install DESTDIR=... KVER=..." for each kernel into a scratch root:
# the files must be exactly where they belong, uninstall must remove
# exactly them. For the first kernel also: install from an empty build
# directory (it builds what it installs), /etc/modprobe.d/bpfdev.conf kept
# like a conffile, and a PREFIX=/usr/local tree whose bpfdev-run finds its
# own library.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$root/build/install-test
multiarch=$(${CC:-cc} -print-multiarch)
libver=$(sed -n 's/^LIB_VERSION := //p' "$root/Makefile")
fail=0
bad() { echo "check-install: $*" >&2; fail=1; }

files() {	# files PREFIX KVER: what install must place
	echo "lib/modules/$2/updates/bpfdev.ko $1/include/linux/bpfdev.h
$1/lib/udev/rules.d/60-bpfdev.rules $1/lib/$multiarch/libbpfdev.so.$libver
$1/lib/$multiarch/libbpfdev.a $1/lib/$multiarch/pkgconfig/libbpfdev.pc
$1/include/libbpfdev.h $1/bin/bpfdev-run $1/share/man/man1/bpfdev-run.1
$1/bin/bpfdevctl $1/share/man/man8/bpfdevctl.8
$1/share/bash-completion/completions/bpfdevctl
$1/lib/systemd/system/bpfdev-profiles.service
$1/share/bpfdev/user@.service.d/bpfdev.conf
$1/share/man/man3/libbpfdev.3 $1/share/man/man4/bpfdev.4
$1/lib/sysusers.d/bpfdev.conf $1/lib/modules-load.d/bpfdev.conf
$1/lib/tmpfiles.d/bpfdev.conf etc/modprobe.d/bpfdev.conf"
}

check_tree() {	# check_tree DEST PREFIX KVER
	for f in $(files "$2" "$3"); do
		[ -f "$1/$f" ] || bad "$3: missing /$f"
	done
	for l in libbpfdev.so.0 libbpfdev.so; do
		[ -L "$1/$2/lib/$multiarch/$l" ] || bad "$3: missing link $l"
	done
	grep -qx "ExecStart=/$2/bin/bpfdevctl reload --wait" \
		"$1/$2/lib/systemd/system/bpfdev-profiles.service" ||
		bad "$3: bpfdev-profiles.service does not run /$2/bin/bpfdevctl"
	grep -q "^ExecStart=/$2/bin/bpfdev-run --if-granted " \
		"$1/$2/share/bpfdev/user@.service.d/bpfdev.conf" ||
		bad "$3: the user@.service drop-in does not run /$2/bin/bpfdev-run"
	modinfo -F vermagic "$1/lib/modules/$3/updates/bpfdev.ko" | grep -q "^$3 " ||
		bad "$3: module built for another kernel"
}

uninstall_leaves() {	# uninstall_leaves DEST KVER [MAKE ARGS]: what is left
	d=$1 k=$2
	shift 2
	make -s -C "$root" uninstall DESTDIR="$d" KVER="$k" "$@" >/dev/null
	(cd "$d" && find . ! -type d | sort)
}

first=1
for k in "$@"; do
	dest=$scratch/$k
	rm -rf "$dest"
	if [ $first = 1 ]; then
		# No prior build: install must build the module itself.
		b=$scratch/build-$k
		rm -rf "$b"
		make -s -C "$root" install DESTDIR="$dest" KVER="$k" BUILD="$b" >/dev/null
		[ -f "$b/mod/$k/normal/drivers/bpfdev/bpfdev.ko" ] ||
			bad "$k: install did not build the module"
		rm -rf "$b"
	else
		make -s -C "$root" install DESTDIR="$dest" KVER="$k" >/dev/null
	fi
	check_tree "$dest" usr "$k"
	echo "  INSTALL $k: $(cd "$dest" && find . ! -type d | wc -l) files"
	left=$(uninstall_leaves "$dest" "$k")
	[ -z "$left" ] || bad "$k: uninstall left $left"
	[ $first = 1 ] || continue
	first=0

	# The modprobe.d file behaves like a conffile.
	conf=$dest/etc/modprobe.d/bpfdev.conf
	make -s -C "$root" install DESTDIR="$dest" KVER="$k" >/dev/null
	echo "options bpfdev insn_max=100" >>"$conf"
	make -s -C "$root" install DESTDIR="$dest" KVER="$k" >/dev/null
	grep -q '^options bpfdev insn_max=100$' "$conf" || bad "reinstall overwrote an edited $conf"
	cmp -s "$root/systemd/bpfdev.modprobe.conf" "$conf.dist" ||
		bad "reinstall did not put the new file beside the edited one"
	left=$(uninstall_leaves "$dest" "$k")
	[ "$left" = "./etc/modprobe.d/bpfdev.conf" ] ||
		bad "uninstall with an edited conffile left '$left'"
	echo "  INSTALL conffile: an edited bpfdev.conf survives reinstall and uninstall"
	rm -rf "$dest"

	# PREFIX=/usr/local, built for /usr: bpfdev-run finds its own library.
	make -s -C "$root" install DESTDIR="$dest" KVER="$k" PREFIX=/usr/local >/dev/null
	check_tree "$dest" usr/local "$k"
	pre=$("$dest/usr/local/bin/bpfdev-run" sh -c 'echo "$LD_PRELOAD"')
	[ "$pre" = "$dest/usr/local/lib/$multiarch/libbpfdev.so.0" ] ||
		bad "PREFIX=/usr/local: bpfdev-run preloads '$pre'"
	grep -q '^prefix=/usr/local$' "$dest/usr/local/lib/$multiarch/pkgconfig/libbpfdev.pc" ||
		bad "PREFIX=/usr/local: libbpfdev.pc does not say so"
	echo "  INSTALL PREFIX=/usr/local: bpfdev-run preloads $pre"
	# --if-granted, for root (and without a device here): nothing preloaded
	pre=$(LD_PRELOAD= "$dest/usr/local/bin/bpfdev-run" --if-granted sh -c 'echo "$LD_PRELOAD"')
	[ -z "$pre" ] || bad "bpfdev-run --if-granted preloads '$pre' for root"
	left=$(uninstall_leaves "$dest" "$k" PREFIX=/usr/local)
	[ -z "$left" ] || bad "PREFIX=/usr/local: uninstall left $left"
done
exit $fail
