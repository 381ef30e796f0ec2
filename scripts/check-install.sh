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
		 usr/lib/udev/rules.d/60-bpfdev.rules; do
		if [ ! -f "$dest/$f" ]; then
			echo "check-install: $k: missing /$f" >&2
			fail=1
		fi
	done
	got=$(cd "$dest" && find . -type f | sort | tr '\n' ' ')
	echo "  INSTALL $k: $got"
	if modinfo -F vermagic "$dest/lib/modules/$k/updates/bpfdev.ko" |
	   grep -qv "^$k "; then
		echo "check-install: $k: module built for another kernel" >&2
		fail=1
	fi
done
exit $fail
