#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What building and testing bpfdev needs on Debian 12: QEMU and the
# toolchain, installed with apt-get; the two test kernels, 6.1 and 6.12,
# downloaded and unpacked into build/kernels (scripts/kernels.sh), never
# installed, so the machine's boot is left as it is.
# Installs nothing when everything is there already.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)

pkgs="build-essential pkg-config kmod cpio gzip xz-utils zstd dwarves
qemu-system-x86 busybox-static udev check sparse linux-source-6.12
clang llvm libbpf-dev bpftool libbpf-tools cppcheck dkms debootstrap e2fsprogs gnuplot-nox
golang-go golang-github-cilium-ebpf-dev debhelper dh-dkms lintian"

missing=
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	     grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "install-deps: missing packages:$missing (run as root)" >&2
		exit 1
	fi
	echo "install-deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
fi
"$root/scripts/kernels.sh" fetch
