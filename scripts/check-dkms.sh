#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# check-dkms.sh KVER...
#
# Build the module with DKMS, from dkms.conf, the way "make dkms-install"
# does, for every kernel - but into a DKMS tree under build/, against the
# kernel headers unpacked in build/kernels (--kernelsourcedir), so that the
# test installs nothing on this machine.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$root/dkms.conf")
base=$root/build/dkms
src=$base/src/bpfdev-$version
rm -rf "$base"
mkdir -p "$src" "$base/tree"
"$root/scripts/dkms-source.sh" "$src"
dkms add -m bpfdev -v "$version" --sourcetree "$base/src" \
	--dkmstree "$base/tree" >/dev/null
fail=0
for k in "$@"; do
	if ! dkms build -m bpfdev -v "$version" -k "$k" \
		--kernelsourcedir "$("$root/scripts/kernels.sh" kdir "$k")" \
		--sourcetree "$base/src" --dkmstree "$base/tree" \
		>"$base/build-$k.log" 2>&1; then
		cat "$base/build-$k.log" >&2
		fail=1
		continue
	fi
	ko=$(find "$base/tree/bpfdev/$version/$k" -name 'bpfdev.ko*' | head -n 1)
	if [ -z "$ko" ]; then
		echo "check-dkms: $k: no module built" >&2
		fail=1
		continue
	fi
	echo "  DKMS    $k: ${ko#"$base"/}"
done
exit $fail
