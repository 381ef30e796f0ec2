#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo, inside the VM: a user in group bpf runs an unmodified libbpf
# program that counts packets per port, through bpfdev; a user outside the
# group cannot.
dir=$(dirname "$0")
cg=/sys/fs/cgroup/demo

say() { printf '%s\n' "$*"; }

say ""
say "=== bpfdev demo on Linux $(uname -r) ==="
say ""
# The administrator delegates cgroup attach too (see bpfdev(4)).
/lib/bpfdev/insmod-bpfdev \
	delegate_cmds=map_create:prog_load:btf_load:map_freeze:link_create || exit 1
udevadm settle
say "1. The module is loaded; udev gave the device its owner and mode:"
say "    $(ls -l /dev/bpf | awk '{ print $1, $3, $4, $NF }')"
say "   What an open file of it may do (its fdinfo):"
exec 3</dev/bpf
grep -E '^(allowed_cmds|allowed_progs|allowed_attachs)' /proc/$$/fdinfo/3 |
	sed 's/^/    /'
exec 3<&-
say ""

say "2. 'outsider' (uid 1001, not in group bpf) tries the same program:"
if su outsider -s /bin/sh -c "exec 3</dev/bpf" 2>/dev/null; then
	say "    it could open /dev/bpf: unexpected"
else
	say "    open /dev/bpf: Permission denied"
fi
mkdir -p $cg
su outsider -s /bin/sh -c "bpfdev-run $dir/portcount $cg" | sed 's/^    /    outsider: /'
say ""

say "3. 'member' (uid 1000, in group bpf) runs it, unmodified, with bpfdev-run,"
say "   in a cgroup delegated to it:"
chown member:member $cg $cg/cgroup.procs
sh -c "echo \$\$ > $cg/cgroup.procs; exec su member -s /bin/sh -c 'bpfdev-run $dir/portcount $cg'"
rc=$?
say "4. What bpfdev counted (/sys/class/misc/bpf/stats):"
for f in executed_prog_load executed_map_create executed_btf_load \
	 executed_link_create denied_prog_type denied_cmd; do
	printf '    %-22s %s\n' "$f" "$(cat /sys/class/misc/bpf/stats/$f)"
done
say ""
say "   Every request also left an audit record, e.g.:"
dmesg | grep -o 'bpfdev op=prog_load.*' | tail -n 1 | cut -c1-150 | sed 's/^/    /'
say ""
rmmod bpfdev
exit $rc
