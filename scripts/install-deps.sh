#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install, with apt-get, what building and testing bpfdev needs on Debian 12:
# both Debian kernels with their headers, QEMU, and the userspace toolchain.
# Does nothing when everything is already installed.
set -eu

pkgs="build-essential pkg-config kmod cpio gzip xz-utils zstd
qemu-system-x86 busybox-static udev check sparse linux-source-6.12
clang llvm libbpf-dev bpftool cppcheck dkms debootstrap e2fsprogs gnuplot-nox
linux-image-amd64 linux-headers-amd64
linux-image-6.12-amd64 linux-headers-6.12-amd64"

missing=
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	     grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages:$missing (run as root)" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
