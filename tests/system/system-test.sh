#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in the booted system (a systemd unit), as root, with no manual step
# before it: checks what the installed packages set up, then runs the
# example as a member of group bpf. Prints "system-test: ..." lines and the result.
rc=0
ok()   { echo "system-test: ok: $*"; }
fail() { echo "system-test: FAIL: $*"; rc=1; }

if grep -q '^bpfdev ' /proc/modules; then
	ok "systemd-modules-load loaded bpfdev"
else
	fail "bpfdev is not loaded"
fi
# The module DKMS built from bpfdev-dkms, of that package's version.
ko=$(modinfo -n bpfdev 2>&1)
ver=$(cat /sys/module/bpfdev/version 2>&1)
pkg=$(dpkg-query -W -f '${Version}' bpfdev-dkms 2>&1)
case $ko in "/lib/modules/$(uname -r)/updates/dkms/bpfdev.ko"*) dkms=y ;; *) dkms=n ;; esac
[ "$dkms" = y ] && [ "$ver" = "$pkg" ] &&
	ok "the module is DKMS's, $ko, version $ver as bpfdev-dkms" ||
	fail "the module is '$ko' version '$ver', bpfdev-dkms is '$pkg'"
if getent group bpf >/dev/null; then
	ok "the package (systemd-sysusers) made group bpf ($(getent group bpf))"
else
	fail "no group bpf"
fi
udevadm settle
node=$(stat -c '%U:%G %a' /dev/bpf 2>/dev/null)
[ "$node" = "root:bpf 660" ] && ok "systemd-udevd made /dev/bpf $node" ||
	fail "/dev/bpf is '$node'"
dir=$(stat -c '%U:%G %a' /sys/fs/bpf/bpf 2>/dev/null)
[ "$dir" = "root:bpf 3770" ] && ok "systemd-tmpfiles made /sys/fs/bpf/bpf $dir" ||
	fail "/sys/fs/bpf/bpf is '$dir'"
[ -f /etc/modprobe.d/bpfdev.conf ] && ok "/etc/modprobe.d/bpfdev.conf documents the parameters"

usermod -aG bpf member
usermod -aG bpf member2
out=$(runuser -u member -- bpfdev-run /opt/bpfdev/sockcount 2>&1)
echo "$out" | grep -q 'sockcount: ok' &&
	ok "member ran a libbpf skeleton program through bpfdev-run: $(echo "$out" | grep packets=)" ||
	fail "sockcount: $out"
if runuser -u member -- bpfdev-run bpftool prog load /opt/bpfdev/sockcount.bpf.o \
	/sys/fs/bpf/bpf/sockcount >/dev/null 2>&1 &&
   [ -e /sys/fs/bpf/bpf/sockcount ]; then
	ok "member pinned a program into /sys/fs/bpf/bpf with bpftool"
else
	fail "bpftool prog load"
fi
out=$(runuser -u outsider -- bpfdev-run /opt/bpfdev/sockcount 2>&1)
echo "$out" | grep -q 'Operation not permitted' &&
	ok "a user outside group bpf is refused" || fail "outsider: $out"

# Sharing pins in the group, as README says: the directory is setgid, so
# pins belong to group bpf; a map pin at 0640 opens read-only, a program
# pin needs 0660; a user outside the group opens neither.
p=/sys/fs/bpf/bpf
runuser -u member -- bpfdev-run bpftool map create $p/shared type hash \
	key 4 value 4 entries 8 name shared >/dev/null 2>&1 ||
	fail "member could not create and pin a map"
pins=$(stat -c '%U:%G %a' $p/shared $p/sockcount 2>&1 | tr '\n' ' ')
[ "$pins" = "member:bpf 600 member:bpf 600 " ] &&
	ok "pins are created member:bpf 0600 in the setgid directory" ||
	fail "pins are '$pins'"
runuser -u member -- chmod 0640 $p/shared
runuser -u member -- chmod 0660 $p/sockcount
expect() {	# expect WHO PATH MODE RESULT
	got=$(runuser -u "$1" -- /opt/bpfdev/pinget "$2" "$3" 2>&1)
	[ "$got" = "pinget: $4" ] && ok "$1 opens ${2##*/} $3: $4" ||
		fail "$1 opens ${2##*/} $3: '$got', expected '$4'"
}
expect member2 $p/shared rdonly ok
expect member2 $p/shared rdwr EACCES
expect member2 $p/sockcount rdwr ok
expect outsider $p/shared rdonly EACCES
expect outsider $p/sockcount rdwr EACCES

# A profile (bpfdev(4), PROFILES) for a group of its own: configfs as
# systemd mounted it at boot, the node's group and mode from the installed
# udev rule, an unmodified program through it with BPFDEV_DEVICE.
cfs=/sys/kernel/config/bpfdev
groupadd -r bpfnet && usermod -aG bpfnet outsider
gid=$(getent group bpfnet | cut -d: -f3)
if mkdir $cfs/net && echo delegate_progs=socket_filter >$cfs/net/grant &&
   echo "$gid" >$cfs/net/group && echo 0660 >$cfs/net/mode &&
   echo 1 >$cfs/net/enable; then
	udevadm settle
	node=$(stat -c '%U:%G %a' /dev/bpf-net 2>/dev/null)
	[ "$node" = "root:bpfnet 660" ] && ok "systemd-udevd made /dev/bpf-net $node" ||
		fail "/dev/bpf-net is '$node'"
	out=$(runuser -u outsider -- env BPFDEV_DEVICE=/dev/bpf-net \
		bpfdev-run /opt/bpfdev/sockcount 2>&1)
	echo "$out" | grep -q 'sockcount: ok' &&
		ok "outsider, in group bpfnet only, ran sockcount through /dev/bpf-net" ||
		fail "sockcount through /dev/bpf-net: $out"
	out=$(runuser -u member -- env BPFDEV_DEVICE=/dev/bpf-net \
		bpfdev-run /opt/bpfdev/sockcount 2>&1)
	echo "$out" | grep -q 'Operation not permitted' &&
		ok "member, in group bpf but not bpfnet, is refused /dev/bpf-net" ||
		fail "member through /dev/bpf-net: $out"
	rmdir $cfs/net && ok "profile net removed" || fail "rmdir $cfs/net"
else
	fail "could not make profile net in $cfs"
fi

# Two profiles from /etc/bpfdev/profiles.d, applied at boot by
# bpfdev-profiles.service, which udev started on the module's add event:
# one member per profile, each refused the other's.
res=$(systemctl show -P Result bpfdev-profiles.service)
[ "$res" = success ] && ok "bpfdev-profiles.service applied the profiles at boot" ||
	fail "bpfdev-profiles.service: Result=$res: $(journalctl -b -u bpfdev-profiles.service | tail -5)"
for t in net obs; do
	node=$(stat -c '%U:%G %a' /dev/bpf-team$t 2>/dev/null)
	[ "$node" = "root:team$t 660" ] && ok "/dev/bpf-team$t is $node, from team$t.conf" ||
		fail "/dev/bpf-team$t is '$node'"
done
for who in member:teamnet member2:teamobs; do
	u=${who%:*} t=${who#*:}
	out=$(runuser -u "$u" -- bpfdev-run -p "$t" /opt/bpfdev/sockcount 2>&1)
	echo "$out" | grep -q 'sockcount: ok' &&
		ok "$u ran sockcount through profile $t" || fail "$u, profile $t: $out"
done
out=$(runuser -u member2 -- bpfdev-run -p teamnet /opt/bpfdev/sockcount 2>&1)
echo "$out" | grep -q 'sockcount: ok' &&
	fail "member2 ran sockcount through teamnet" ||
	ok "member2, not in teamnet, is refused /dev/bpf-teamnet"
out=$(bpfdevctl status 2>&1)
if [ $? = 0 ] && ! echo "$out" | grep -q DRIFT; then
	ok "bpfdevctl status: the running profiles are the files'"
else
	fail "bpfdevctl status: $out"
fi

# A firewall for the member's own services (README): the member's user
# manager, started at boot for a lingering user with bpfdev's user@.service
# drop-in, applies IPAddressDeny=/IPAddressAllow= through /dev/bpf. The
# outsider's, with the same drop-in, cannot.
port=8089
/opt/bpfdev/netprobe listen $port &
server=$!
as_user() {	# as_user USER COMMAND...: in USER's session environment
	u=$1
	shift
	runuser -u "$u" -- env XDG_RUNTIME_DIR="/run/user/$(id -u "$u")" "$@"
}
probe() {	# probe USER ADDR [PROPERTY...]: netprobe in a transient user unit
	u=$1 addr=$2
	shift 2
	props=
	for p; do props="$props -p $p"; done
	# shellcheck disable=SC2086
	as_user "$u" systemd-run --user --wait --pipe --quiet $props \
		/opt/bpfdev/netprobe connect "$addr" $port 2>&1
}
for u in member outsider; do
	for _ in $(seq 120); do
		systemctl is-active -q "user@$(id -u $u).service" && break
		sleep 1
	done
	systemctl is-active -q "user@$(id -u $u).service" ||
		fail "$u's user manager did not start at boot (linger)"
done
fw="IPAddressDeny=any IPAddressAllow=127.0.0.2"
out=$(probe member 127.0.0.1 $fw)
case $out in
"netprobe: 127.0.0.1 ok") fail "member's IPAddressDeny=any let 127.0.0.1 through: $out" ;;
"netprobe: 127.0.0.1 "*) ok "member's unit with $fw: 127.0.0.1 blocked ($out)" ;;
*) fail "member's firewalled unit: $out" ;;
esac
out=$(probe member 127.0.0.2 $fw)
[ "$out" = "netprobe: 127.0.0.2 ok" ] &&
	ok "member's unit with $fw: 127.0.0.2 reached" || fail "member, 127.0.0.2: $out"
out=$(probe member 127.0.0.1)$(probe member 127.0.0.2)
[ "$out" = "netprobe: 127.0.0.1 oknetprobe: 127.0.0.2 ok" ] &&
	ok "member's unit without them reaches both" || fail "member, no firewall: $out"
if journalctl -q -b _UID="$(id -u member)" | grep -q 'IP firewall'; then
	fail "member's user manager: $(journalctl -q -b _UID="$(id -u member)" | grep 'IP firewall')"
else
	ok "member's user manager did not warn that BPF firewalling is unsupported"
fi

# A unit that stays: what systemctl --user says of it, where its programs
# are, root's and another user's traffic meanwhile, and the programs gone
# when it stops. (Not IPAccounting=: on 6.12 the verifier refuses
# its program without CAP_PERFMON, which bpfdev does not raise; README.)
as_user member systemd-run --user --quiet --unit=bpfdev-fw \
	-p IPAddressDeny=any -p IPAddressAllow=127.0.0.2 sleep 600 ||
	fail "member could not start bpfdev-fw"
shown=$(for p in IPAddressDeny IPAddressAllow ActiveState; do
	as_user member systemctl --user show -P $p bpfdev-fw; done | tr '\n' ' ')
[ "$shown" = "0.0.0.0/0 ::/0 127.0.0.2/32 active " ] &&
	ok "systemctl --user show: the unit is active with IPAddressDeny=any IPAddressAllow=127.0.0.2" ||
	fail "systemctl --user show: '$shown'"
# the member's programs (bpftool prog show: uid), and where each is attached
progs=$(bpftool prog show | awk -v uid="$(id -u member)" '
	/^[0-9]+:/ { id = $1; sub(":", "", id) }
	$0 ~ "uid " uid "$" { print id }')
where=$(bpftool cgroup tree | awk '/^\// { path = $1 } $1 ~ /^[0-9]+$/ { print $1, path }')
mine=$(for p in $progs; do echo "$where" | awk -v p="$p" '$1 == p'; done)
sub="/sys/fs/cgroup/user.slice/user-$(id -u member).slice/user@$(id -u member).service/"
n=$(echo "$mine" | grep -c "$sub" || true)
others=$(echo "$mine" | grep -v "$sub" | grep . || true)
if [ "$n" -ge 2 ] && [ -z "$others" ]; then
	ok "the member's $n attached programs are all in its user@.service subtree"
else
	fail "member's programs ($progs) attached at: '$mine'"
	bpftool prog show | sed 's/^/    /'
	bpftool cgroup tree | sed 's/^/    /'
fi
out=$(/opt/bpfdev/netprobe connect 127.0.0.1 $port)
[ "$out" = "netprobe: 127.0.0.1 ok" ] && ok "root reaches 127.0.0.1 meanwhile" ||
	fail "root: $out"
out=$(runuser -u outsider -- /opt/bpfdev/netprobe connect 127.0.0.1 $port)
[ "$out" = "netprobe: 127.0.0.1 ok" ] && ok "outsider reaches 127.0.0.1 meanwhile" ||
	fail "outsider: $out"
as_user member systemctl --user stop bpfdev-fw
left=$(bpftool cgroup tree | awk '$1 ~ /^[0-9]+$/ { print $1 }' |
	while read -r p; do for q in $progs; do [ "$p" = "$q" ] && echo "$p"; done; done)
[ -n "$mine" ] && [ -z "$left" ] && ok "stopping the unit detached its programs" ||
	fail "programs still attached after the stop: '$left' (of '$mine')"

out=$(probe outsider 127.0.0.1 IPAddressDeny=any)
[ "$out" = "netprobe: 127.0.0.1 ok" ] &&
	ok "outsider's IPAddressDeny=any does nothing: its user manager has no BPF" ||
	fail "outsider's firewalled unit: $out"
journalctl -q -b _UID="$(id -u outsider)" | grep -q 'IP firewall, but not running as root' &&
	ok "outsider's user manager reports BPF firewalling unsupported" ||
	fail "outsider's user manager did not warn: $(journalctl -q -b _UID="$(id -u outsider)" | tail -3)"
kill $server

echo "BPFDEV-SYSTEM-RESULT rc=$rc"
# the whole kernel log, for the host to scan for splats
echo BPFDEV-DMESG-BEGIN
dmesg
echo BPFDEV-DMESG-END
exit $rc
