#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dkms-source.sh DIR: lay out the DKMS source tree of bpfdev in DIR (what
# /usr/src/bpfdev-VERSION holds): dkms.conf, the module and its uapi header.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
mkdir -p "$dir/drivers/bpfdev" "$dir/include/uapi/linux"
cp "$root/dkms.conf" "$dir/"
cp "$root"/drivers/bpfdev/*.c "$root"/drivers/bpfdev/*.h \
	"$root/drivers/bpfdev/Kbuild" "$root/drivers/bpfdev/Makefile" \
	"$dir/drivers/bpfdev/"
cp "$root/include/uapi/linux/bpfdev.h" "$dir/include/uapi/linux/"
