#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# build-debug-kernel.sh BUILD_DIR
#
# Build the 6.12 debug kernel for "make check-debug" from Debian's
# linux-source-6.12 (the same patched source as the 6.12 kernel package):
# "make tinyconfig" plus tests/debug/debug.config (KASAN, KMEMLEAK,
# PROVE_LOCKING, DEBUG_ATOMIC_SLEEP and what the test VM needs).  Prints the
# kernel release on stdout; everything else goes to stderr.
#
# Cached in BUILD_DIR/debug-kernel: the source is unpacked again only when
# the package changes, the config made again only when the fragment
# changes, and make is incremental, so an interrupted build resumes where it
# stopped and a finished one costs seconds. The first build takes about 10
# minutes on two cores (with the checkers, without most drivers).
set -eu
mkdir -p "$1"
build=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
frag=$root/tests/debug/debug.config
tarball=/usr/src/linux-source-6.12.tar.xz
d=$build/debug-kernel
src=$d/src obj=$d/obj

log() { echo "debug-kernel: $*" >&2; }

need=
for p in linux-source-6.12:$tarball dwarves:/usr/bin/pahole flex:/usr/bin/flex \
	 bison:/usr/bin/bison bc:/usr/bin/bc libelf-dev:/usr/include/libelf.h \
	 libssl-dev:/usr/include/openssl/ssl.h; do
	[ -e "${p#*:}" ] || need="$need ${p%%:*}"
done
if [ -n "$need" ]; then
	log "installing$need"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need >&2
fi

srcver=$(dpkg-query -W -f '${Version}' linux-source-6.12)
if [ ! -f "$d/source" ] || [ "$(cat "$d/source")" != "$srcver" ]; then
	log "unpacking linux-source-6.12 $srcver"
	rm -rf "$d"
	mkdir -p "$src" "$obj"
	tar -xJf "$tarball" -C "$src" --strip-components=1
	echo "$srcver" >"$d/source"
fi
# A changed fragment is merged into the same tree: make then rebuilds what
# the changed options touch, not everything.
fraghash=$(sha256sum "$frag" | cut -d' ' -f1)
if [ ! -f "$d/config" ] || [ "$(cat "$d/config")" != "$fraghash" ]; then
	make -s -C "$src" O="$obj" ARCH=x86_64 tinyconfig >&2
	"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$frag" >&2
	make -s -C "$src" O="$obj" ARCH=x86_64 olddefconfig >&2
	# Kconfig drops what it cannot satisfy without a word; a checker
	# missing from the config would make the whole run pointless.
	for opt in KASAN DEBUG_KMEMLEAK PROVE_LOCKING DEBUG_ATOMIC_SLEEP \
		   DEBUG_INFO_BTF BPF_SYSCALL MODULES CGROUP_BPF AUDIT; do
		grep -q "^CONFIG_$opt=y" "$obj/.config" || {
			log "CONFIG_$opt did not survive olddefconfig"; exit 1; }
	done
	echo "$fraghash" >"$d/config"
fi

log "building in $obj (the first build takes a while on two cores)"
nice make -s -C "$src" O="$obj" ARCH=x86_64 -j"$(nproc)" bzImage modules >&2
# "modules" runs modpost over vmlinux too: Module.symvers, which an
# out-of-tree module build needs.
make -s -C "$src" O="$obj" kernelrelease
