#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Extract the uncompressed ELF vmlinux from an x86 bzImage, so that QEMU can
# boot it through PVH (no real-mode setup, no decompression under TCG).
# The payload position comes from the boot protocol header (payload_offset at
# 0x248, payload_length at 0x24c, relative to the protected-mode code, which
# starts after (setup_sects + 1) * 512 bytes).
set -eu
img=$1
u8()  { od -An -j "$2" -N 1 -t u1 "$1" | tr -d ' '; }
u32() { od -An -j "$2" -N 4 -t u4 "$1" | tr -d ' '; }
setup_sects=$(u8 "$img" 497)
[ "$setup_sects" -eq 0 ] && setup_sects=4
base=$(( (setup_sects + 1) * 512 ))
off=$(( base + $(u32 "$img" 584) ))
len=$(u32 "$img" 588)
magic=$(od -An -j "$off" -N 4 -t x1 "$img" | tr -d ' ')
case $magic in
28b52ffd)	dec="zstd -dcq" ;;
fd377a58)	dec="xz -dcq --single-stream" ;;
1f8b*)		dec="gzip -dcq" ;;
*)		echo "extract-vmlinux: unknown payload magic $magic in $img" >&2; exit 1 ;;
esac
# The payload ends with its uncompressed size (4 bytes), which zstd reports as
# trailing garbage after a complete frame: judge the result, not the status.
tail -c +"$((off + 1))" "$img" | head -c "$len" | $dec 2>/dev/null || true
