#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# install.sh install|uninstall KVER: the body of "make install" and
# "make uninstall", one list of files for both. KVER "-" is everything but
# the module ("make install-userspace": what debian/rules packages, the
# module source going to DKMS). The Makefile passes the
# layout in the environment: BUILD DESTDIR PREFIX LIBDIR BINDIR INCLUDEDIR
# MANDIR SYSCONFDIR LIB_VERSION. install expects the module for KVER and
# the userspace already built.
#
# /etc/modprobe.d/bpfdev.conf is kept like a conffile: an edited copy is
# never overwritten (the new one goes beside it as bpfdev.conf.dist) and
# uninstall removes it only if it is unmodified. Without DESTDIR, both run
# depmod.
set -eu
action=$1 k=$2
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
: "${BUILD:?}" "${PREFIX:?}" "${LIBDIR:?}" "${BINDIR:?}" "${INCLUDEDIR:?}"
: "${MANDIR:?}" "${SYSCONFDIR:?}" "${LIB_VERSION:?}"
D=${DESTDIR:-}
so=libbpfdev.so.$LIB_VERSION

# manifest: MODE SOURCE DESTINATION, one file per line.
manifest() {
	[ "$k" = - ] ||
		echo "0644 $BUILD/mod/$k/normal/drivers/bpfdev/bpfdev.ko /lib/modules/$k/updates/bpfdev.ko"
	cat <<EOF
0644 include/uapi/linux/bpfdev.h $PREFIX/include/linux/bpfdev.h
0755 $BUILD/lib/$so $LIBDIR/$so
0644 $BUILD/lib/libbpfdev.a $LIBDIR/libbpfdev.a
0644 lib/libbpfdev/libbpfdev.h $INCLUDEDIR/libbpfdev.h
0755 $BUILD/bin/bpfdev-run $BINDIR/bpfdev-run
0755 $BUILD/bin/bpfdevctl $BINDIR/bpfdevctl
0644 man/bpfdev-run.1 $MANDIR/man1/bpfdev-run.1
0644 man/bpfdevctl.8 $MANDIR/man8/bpfdevctl.8
0644 tools/completion/bpfdevctl.bash $PREFIX/share/bash-completion/completions/bpfdevctl
0644 man/libbpfdev.3 $MANDIR/man3/libbpfdev.3
0644 man/bpfdev.4 $MANDIR/man4/bpfdev.4
0644 udev/60-bpfdev.rules $PREFIX/lib/udev/rules.d/60-bpfdev.rules
0644 systemd/bpfdev.sysusers $PREFIX/lib/sysusers.d/bpfdev.conf
0644 systemd/bpfdev.modules-load $PREFIX/lib/modules-load.d/bpfdev.conf
0644 systemd/bpfdev.tmpfiles $PREFIX/lib/tmpfiles.d/bpfdev.conf
EOF
}
# Generated at install time, so that they name the installed paths.
pc=$LIBDIR/pkgconfig/libbpfdev.pc
unit=$PREFIX/lib/systemd/system/bpfdev-profiles.service
# Shipped inactive: the administrator links it into /etc (README).
dropin=$PREFIX/share/bpfdev/user@.service.d/bpfdev.conf
# Where the administrator's profiles go (bpfdevctl(8)): made empty, removed
# by uninstall only if still empty.
profiles=$D$SYSCONFDIR/bpfdev/profiles.d
links="$LIBDIR/libbpfdev.so.0 $LIBDIR/libbpfdev.so"
conf=$D$SYSCONFDIR/modprobe.d/bpfdev.conf

case $action in
install)
	manifest | while read -r mode src dst; do
		install -D -m "$mode" "$src" "$D$dst"
		echo "  INSTALL $dst"
	done
	ln -sfn "$so" "$D$LIBDIR/libbpfdev.so.0"
	ln -sfn libbpfdev.so.0 "$D$LIBDIR/libbpfdev.so"
	mkdir -p "$D${pc%/*}"
	sed -e "s|@PREFIX@|$PREFIX|; s|@LIBDIR@|$LIBDIR|" \
	    -e "s|@INCLUDEDIR@|$INCLUDEDIR|; s|@VERSION@|$LIB_VERSION|" \
		lib/libbpfdev/libbpfdev.pc.in >"$D$pc"
	echo "  INSTALL $pc"
	mkdir -p "$D${unit%/*}"
	sed "s|@BINDIR@|$BINDIR|" systemd/bpfdev-profiles.service >"$D$unit"
	echo "  INSTALL $unit"
	mkdir -p "$D${dropin%/*}"
	sed "s|@BINDIR@|$BINDIR|" systemd/bpfdev-user-manager.conf >"$D$dropin"
	echo "  INSTALL $dropin"
	mkdir -p "$profiles"
	if [ ! -e "$conf" ] || cmp -s systemd/bpfdev.modprobe.conf "$conf"; then
		install -D -m 0644 systemd/bpfdev.modprobe.conf "$conf"
		rm -f "$conf.dist"
		echo "  INSTALL $SYSCONFDIR/modprobe.d/bpfdev.conf"
	else
		install -D -m 0644 systemd/bpfdev.modprobe.conf "$conf.dist"
		echo "  KEEP    $conf (edited); the new one is $conf.dist"
	fi
	[ -z "$D" ] && [ "$k" != - ] || exit 0
	depmod -a "$k"
	cat <<EOF

bpfdev is installed for $k. Left to do:
  systemd-sysusers; systemd-tmpfiles --create; udevadm control --reload
  systemctl daemon-reload
  modprobe bpfdev                (or reboot: modules-load.d loads it)
  usermod -aG bpf NAME           then NAME logs in again
EOF
	;;
uninstall)
	manifest | while read -r mode src dst; do
		rm -f "$D$dst"
		echo "  RM      $dst"
	done
	for f in $links $pc $unit $dropin; do rm -f "$D$f"; done
	rmdir "$D${dropin%/*}" "$D${dropin%/*/*}" 2>/dev/null || true
	rmdir "$profiles" "${profiles%/*}" 2>/dev/null || true
	rm -f "$conf.dist"
	if [ -e "$conf" ] && ! cmp -s systemd/bpfdev.modprobe.conf "$conf"; then
		echo "  KEEP    $conf (edited)"
	else
		rm -f "$conf"
	fi
	[ -n "$D" ] || [ "$k" = - ] || depmod -a "$k"
	;;
*)
	echo "usage: install.sh install|uninstall KVER" >&2
	exit 2
	;;
esac
