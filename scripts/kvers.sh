#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the kernel releases bpfdev is built and tested for: the newest
# installed Debian 6.1 and 6.12 kernels that have both an image and headers.
set -eu
for series in '6.1.0-*-amd64' '6.12.*+deb12-amd64'; do
	best=
	for d in /lib/modules/$series; do
		k=${d##*/}
		[ -e "/lib/modules/$k/build/Makefile" ] || continue
		[ -e "/boot/vmlinuz-$k" ] || continue
		best="$best $k"
	done
	[ -n "$best" ] || { echo "kvers: no kernel $series with headers" >&2; exit 1; }
	printf '%s\n' $best | sort -V | tail -n 1
done
