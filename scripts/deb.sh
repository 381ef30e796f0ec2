#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# deb.sh BUILD_DIR: the body of "make deb". Builds bpfdev's four Debian
# packages (debian/) with dpkg-buildpackage from a copy of the tree in
# BUILD_DIR/deb/bpfdev-VERSION, so that the packages and their .changes land
# in BUILD_DIR/deb/, then runs lintian on them: any error or warning fails
# (debian/*.lintian-overrides say why a tag does not apply).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=$1
version=$(dpkg-parsechangelog -l "$root/debian/changelog" -S Version)
out=$build/deb
src=$out/bpfdev-$version
rm -rf "$out"
mkdir -p "$src"
# The tree as a clone has it: no build output, no git metadata.
(cd "$root" && tar --exclude=./build --exclude=./.git -cf - .) | tar -xf - -C "$src"
echo "  DPKG    $out (log: $out/build.log)"
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	echo "deb: dpkg-buildpackage failed" >&2
	exit 1
fi
rm -rf "$src"
changes=$out/bpfdev_${version}_$(dpkg-architecture -qDEB_HOST_ARCH).changes
for d in "$out"/*.deb; do echo "  DEB     ${d#"$root"/}"; done
echo "  LINTIAN ${changes#"$root"/}"
# --fail-on warning: a warning fails as an error does.
lintian --fail-on error,warning --display-info "$changes"
