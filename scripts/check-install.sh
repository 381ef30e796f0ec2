#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# check-install.sh KVER...
#
# "make install DESTDIR=... KVER=..." for each kernel into a scratch root,
# and the files must be exactly where they belong.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
fail=0
for k in "$@"; do
	dest=$root/build/install-test/$k
	rm -rf "$dest"
	make -s -C "$root" install DESTDIR="$dest" KVER="$k" >/dev/null
	for f in "lib/modules/$k/updates/bpfdev.ko" \
		 usr/include/linux/bpfdev.h \
		 usr/lib/udev/rules.d/60-bpfdev.rules \
		 usr/lib/x86_64-linux-gnu/libbpfdev.so.0.1.0 \
		 usr/lib/x86_64-linux-gnu/libbpfdev.a \
		 usr/lib/x86_64-linux-gnu/pkgconfig/libbpfdev.pc \
		 usr/include/libbpfdev.h usr/bin/bpfdev-run \
		 usr/share/man/man1/bpfdev-run.1 usr/share/man/man3/libbpfdev.3 \
		 usr/share/man/man4/bpfdev.4 usr/lib/sysusers.d/bpfdev.conf \
		 usr/lib/modules-load.d/bpfdev.conf \
		 usr/lib/tmpfiles.d/bpfdev.conf etc/modprobe.d/bpfdev.conf; do
		if [ ! -f "$dest/$f" ]; then
			echo "check-install: $k: missing /$f" >&2
			fail=1
		fi
	done
	for l in libbpfdev.so.0 libbpfdev.so; do
		if [ ! -L "$dest/usr/lib/x86_64-linux-gnu/$l" ]; then
			echo "check-install: $k: missing link $l" >&2
			fail=1
		fi
	done
	echo "  INSTALL $k: $(cd "$dest" && find . ! -type d | wc -l) files"
	if ! modinfo -F vermagic "$dest/lib/modules/$k/updates/bpfdev.ko" |
	   grep -q "^$k "; then
		echo "check-install: $k: module built for another kernel" >&2
		fail=1
	fi
	make -s -C "$root" uninstall DESTDIR="$dest" KVER="$k" >/dev/null
	left=$(cd "$dest" && find . ! -type d)
	if [ -n "$left" ]; then
		echo "check-install: $k: uninstall left $left" >&2
		fail=1
	fi
done
exit $fail
