#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kver.sh [KVER]
#
# Print KVER, or with no KVER the running kernel's release, if bpfdev can
# be built for it: a 6.1 or 6.12 kernel whose headers are installed (or
# unpacked by scripts/kernels.sh). Otherwise say why, list the kernels it
# can be built for, and exit 1.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)

supported() {	# supported KVER: a kernel generation compat.h knows
	case $1 in
	6.1.*|6.12.*) return 0 ;;
	esac
	return 1
}

buildable() {
	supported "$1" && "$root/scripts/kernels.sh" kdir "$1" >/dev/null 2>&1
}

k=${1:-$(uname -r)}
if buildable "$k"; then
	echo "$k"
	exit 0
fi
if ! supported "$k"; then
	echo "bpfdev: cannot build for $k: bpfdev supports Debian's 6.1 and 6.12 kernels" >&2
else
	echo "bpfdev: cannot build for $k: no headers (apt-get install linux-headers-$k)" >&2
fi
list=$(for d in /lib/modules/*/build; do
	k=${d%/build}
	k=${k##*/}
	if [ -f "$d/Makefile" ] && supported "$k"; then echo "$k"; fi
done)
if [ -n "$list" ]; then
	echo "Installed kernels bpfdev can be built for (make KVER=...):" >&2
	# shellcheck disable=SC2086 # one release per word
	printf '  %s\n' $list >&2
else
	echo "No installed kernel with headers that bpfdev can be built for." >&2
fi
exit 1
