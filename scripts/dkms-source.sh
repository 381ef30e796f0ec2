#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dkms-source.sh DIR: lay out the DKMS source tree of bpfdev in DIR (what
# /usr/src/bpfdev-VERSION holds): dkms.conf, the module and its uapi header.
# Not the test-only broken build (broken*.c, built with BPFDEV_TEST_BROKEN=1
# alone): testhooks.h, which production code includes, is all of it that
# ships.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
mkdir -p "$dir/drivers/bpfdev" "$dir/include/uapi/linux"
cp "$root/dkms.conf" "$dir/"
for f in "$root"/drivers/bpfdev/*.c "$root"/drivers/bpfdev/*.h \
	"$root/drivers/bpfdev/Kbuild" "$root/drivers/bpfdev/Makefile"; do
	case ${f##*/} in broken*) continue ;; esac
	cp "$f" "$dir/drivers/bpfdev/"
done
cp "$root/include/uapi/linux/bpfdev.h" "$dir/include/uapi/linux/"
