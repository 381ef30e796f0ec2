#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make tools-table, inside the VM: every one of Debian's libbpf-tools staged
# in /usr/sbin, run for 3 seconds under load (block I/O on null_blk, TCP on
# loopback, files, processes), as root, as a member through bpfdev-run
# --explain with every type delegated, and as a member again with
# BPFDEV_KPROBE_MULTI=1 (member+kmulti; on 6.12 libbpf's kprobes become
# kprobe_multi links, bpfdev-run(1)). One line per tool and user: "TOOL name who ok|FAIL: its exit: the first error line", then the
# refusals and the start of what it printed. "ok": it exited 0 after
# SIGINT and printed no error (a user stack it cannot name, "failed to get
# syms", or ksnoop's "lost N events" is none). The table in README and bpfdev(4) (TOOLS) was read from
# this output.
set -u
/lib/bpfdev/insmod-bpfdev || exit 1
udevadm settle
p=/sys/module/bpfdev/parameters
for g in delegate_cmds delegate_progs delegate_maps delegate_attachs \
	 delegate_insns; do
	echo any >"$p/$g" || exit 1
done
echo 268435456 >"$p/map_mem_max" || exit 1
cd /tmp || exit 1

# Tools that need an argument to run at all
args() {
	case $1 in
	funclatency) echo vfs_read ;;
	ksnoop) echo trace vfs_read ;;
	javagc) echo -p 1 ;;
	fsdist | fsslower) echo -t ext4 ;;
	vfsstat) echo 1 2 ;;	# it sleeps through SIGINT
	klockstat) echo -d 2 ;;	# its report outlasts the SIGINT grace
	esac
}

load() {
	while [ -e /tmp/load ]; do
		dd if=/dev/nullb0 of=/dev/null bs=4k count=16 iflag=direct 2>/dev/null
		dd if=/dev/zero of=/dev/nullb0 bs=16k count=4 oflag=direct 2>/dev/null
		echo x >/tmp/f; cat /tmp/f >/dev/null; sync
		rm -f /tmp/g; touch /tmp/g
		echo hi | nc 127.0.0.1 9000 -w 1 >/dev/null 2>&1
		sleep 0.2
	done
}
nc -lk -p 9000 >/dev/null 2>&1 &
listener=$!

cat >/tmp/sigint.sh <<'EOS'
"$@" >/tmp/tool.out 2>&1 &
t=$!
sleep 3
kill -INT $t 2>/dev/null
for i in 1 2 3 4 5 6; do kill -0 $t 2>/dev/null || break; sleep 0.5; done
kill -KILL $t 2>/dev/null && echo "killed: no exit 3 s after SIGINT" >>/tmp/tool.out
wait $t
echo "exit status $?" >>/tmp/tool.out
EOS

dir=$(dirname "$0")
while read -r tool; do
	for who in root member member+kmulti; do
		touch /tmp/load
		load &
		l=$!
		rm -f /tmp/tool.out /tmp/explain.out
		# shellcheck disable=SC2046 # args() is a word list
		if [ $who = root ]; then
			timeout 40 sh /tmp/sigint.sh "/usr/sbin/$tool" $(args "$tool")
		else
			[ $who = member ] && k= || k=BPFDEV_KPROBE_MULTI=1
			timeout 40 su member -c "$k /usr/bin/bpfdev-run --explain \
sh /tmp/sigint.sh /usr/sbin/$tool $(args "$tool")" >/tmp/explain.out 2>&1
		fi
		rm -f /tmp/load
		wait $l
		err=$(grep -hiE 'fail|denied|not permitted|no such|error|killed|refused:' \
			/tmp/tool.out /tmp/explain.out 2>/dev/null |
			grep -v -e 'prog_type=tracepoint: prog_type' \
				-e 'failed to get syms' -e 'lost [0-9]* events' |
			head -n 1)
		if grep -qx 'exit status 0' /tmp/tool.out && [ -z "$err" ]; then
			echo "TOOL $tool $who ok"
		else
			echo "TOOL $tool $who FAIL: $(tail -n 1 /tmp/tool.out): $err"
		fi
		grep -hE 'refused:' /tmp/explain.out 2>/dev/null | sed 's/^/  /'
		head -n 6 /tmp/tool.out | cut -c1-120 | sed 's/^/  /'
	done
done <"$dir/sbin"
kill $listener
exit 0
