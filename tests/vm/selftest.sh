#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftest.sh [KVER...]
#
# Prove the VM harness itself works, without the bpfdev module: boot each
# kernel (default: the test kernels, scripts/kernels.sh list) with a guest script that checks the
# environment the real tests rely on, then check that run-vm.sh really fails
# on a kernel splat, a failing guest script, a hung guest script and a
# kernel panic, and does not fail a test that merely prints a splat's words.
# make check-harness runs it.  Needs gcc (for a tiny uid-switching helper).  Exits non-zero
# if anything is not as expected.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ $# -gt 0 ]; then
	kvers=("$@")
else
	mapfile -t kvers < <("$here/../../scripts/kernels.sh" list)
fi
[ ${#kvers[@]} -gt 0 ] || { echo "selftest: no kernels" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/bpfdev-vm-selftest.XXXXXX")
# Kept for inspection (console logs) when something is not as expected.
trap 'if [ "${failures:-1}" -eq 0 ]; then rm -rf "$work"; else echo "selftest: logs kept in $work" >&2; fi' EXIT
echo "selftest: work dir $work"

# --- positive stage -----------------------------------------------------------
pos=$work/stage-pos
mkdir -p "$pos/opt/bpfdev-tests" "$pos/usr/lib/udev/rules.d"

# Any rule in the stage is installed as-is; this one proves that udevd loads
# rules and resolves GROUP names via NSS, on a node devtmpfs creates at boot
# (ttyS3 is registered by the 8250 driver even without the hardware port;
# ttyS1 is the harness's own channel).
echo 'KERNEL=="ttyS3", GROUP="bpf", MODE="0660"' >"$pos/usr/lib/udev/rules.d/99-selftest.rules"

# runas USER CMD...: switch to USER with its supplementary groups (busybox
# setpriv/chpst-free).  Built dynamically on purpose: it also proves that
# mkinitramfs.sh copies the libraries of staged binaries, and its
# getpwnam/initgroups go through glibc NSS like udevd's lookups.
cat >"$work/runas.c" <<'EOF'
#define _GNU_SOURCE
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct passwd *pw;

	if (argc < 3) {
		fprintf(stderr, "usage: runas USER CMD [ARG...]\n");
		return 111;
	}
	pw = getpwnam(argv[1]);
	if (!pw) {
		fprintf(stderr, "runas: unknown user %s\n", argv[1]);
		return 111;
	}
	/* Order matters: groups and gid while still root, uid last. */
	if (initgroups(pw->pw_name, pw->pw_gid) || setgid(pw->pw_gid) ||
	    setuid(pw->pw_uid)) {
		perror("runas");
		return 111;
	}
	if (pw->pw_uid != 0 && setuid(0) == 0) {
		fprintf(stderr, "runas: could get root back\n");
		return 111;
	}
	setenv("HOME", pw->pw_dir, 1);
	setenv("USER", pw->pw_name, 1);
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
EOF
gcc -O2 -Wall -Werror -o "$pos/opt/bpfdev-tests/runas" "$work/runas.c"

cat >"$pos/opt/bpfdev-tests/run-in-guest.sh" <<'EOF'
#!/bin/sh
# Harness self-test, run as PID 1's child in the VM.
fail=0
check() {	# check DESCRIPTION CMD...: TAP-like line, remember failures
	d=$1; shift
	if "$@"; then echo "ok - $d"; else echo "not ok - $d"; fail=1; fi
}
eq() {		# eq EXPECTED ACTUAL
	[ "$1" = "$2" ] || { echo "#   expected '$1', got '$2'"; return 1; }
}
check "/dev/bpf absent (no module loaded)" test ! -e /dev/bpf
check "getent group bpf (glibc NSS)" eq "bpf:x:990:member,member2" "$(getent group bpf)"
check "getent passwd member" eq "member:x:1000:1000:bpf group member:/home/member:/bin/sh" "$(getent passwd member)"
check "udevd running" pidof systemd-udevd
check "udevadm info /dev/null" eq "N: null" "$(udevadm info /dev/null | grep '^N:')"
check "60-bpfdev.rules installed" grep -q 'GROUP="bpf"' /usr/lib/udev/rules.d/60-bpfdev.rules
check "udev rule applied: ttyS3 root:bpf 660" eq "root:bpf 660" "$(stat -c '%U:%G %a' /dev/ttyS3)"
check "runas member: uid/gid/groups" eq "1000 1000 1000 990" "$(./runas member sh -c 'echo $(id -u) $(id -g) $(id -G)')"
check "runas outsider: uid/gid/groups" eq "1001 1001 1001" "$(./runas outsider sh -c 'echo $(id -u) $(id -g) $(id -G)')"
check "member may write a root:bpf 0660 node" ./runas member test -w /dev/ttyS3
check "outsider may not" ./runas outsider sh -c '! test -w /dev/ttyS3'
check "busybox su keeps supplementary groups" eq "1000 990" "$(su -s /bin/sh -c 'id -G' member)"
check "member's HOME is theirs" ./runas member sh -c 'touch "$HOME/x"'
check "/tmp is 1777" eq 1777 "$(stat -c %a /tmp)"
check "bpffs mounted" grep -q ' /sys/fs/bpf bpf ' /proc/mounts
check "cgroup2 mounted" grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts
check "lo is up" sh -c 'ip link show lo | grep -q "UP"'
check "hostname" eq bpfdev-vm "$(hostname)"
check "2 CPUs" eq 2 "$(nproc)"
exit $fail
EOF
chmod +x "$pos/opt/bpfdev-tests/run-in-guest.sh"

# --- negative stages ----------------------------------------------------------------
# mkneg NAME SCRIPT-BODY: a stage whose guest script is SCRIPT-BODY.
mkneg() {
	mkdir -p "$work/stage-$1/opt/bpfdev-tests"
	printf '#!/bin/sh\n%s\n' "$2" >"$work/stage-$1/opt/bpfdev-tests/run-in-guest.sh"
	chmod +x "$work/stage-$1/opt/bpfdev-tests/run-in-guest.sh"
}
# A fake WARN splat injected into the kernel log; the script itself passes.
mkneg splat 'echo "WARNING: test splat" >/dev/kmsg; exit 0'
mkneg rc 'echo "failing on purpose"; exit 3'
# Tests may print anything: only the kernel log is judged.
mkneg words 'echo "WARNING: a test printed this"; echo "BUG: so did it"; exit 0'
mkneg hang 'echo "hanging on purpose"; sleep 100000'
# Crash the kernel: panic=-1 + -no-reboot must end QEMU at once.
mkneg panic 'echo c >/proc/sysrq-trigger; sleep 100'

failures=0
declare -A took
# expect NAME WANT_RC GREP KVER STAGE [TIMEOUT]: run run-vm.sh, check its exit
# status, and (for failures) that its stderr mentions GREP.
expect() {
	local name=$1 want=$2 pat=$3 kver=$4 stage=$5 tmo=${6:-600} rc=0 t0
	echo "=== selftest: $name on $kver (expect exit $want)"
	t0=$(date +%s)
	# One OUTDIR per kernel, so the extracted vmlinux is cached across runs.
	"$here/run-vm.sh" "$kver" "$stage" "$work/out-$kver" "$tmo" 2>"$work/err" || rc=$?
	took[$name/$kver]=$(( $(date +%s) - t0 ))
	cp "$work/out-$kver/console.log" "$work/console-$name-$kver.log" 2>/dev/null || true
	cat "$work/err" >&2
	if [ "$rc" -ne "$want" ]; then
		echo "selftest: FAIL: $name on $kver: run-vm.sh exited $rc, wanted $want" >&2
		failures=$((failures + 1))
	elif [ -n "$pat" ] && ! grep -q -- "$pat" "$work/err"; then
		echo "selftest: FAIL: $name on $kver: stderr lacks '$pat'" >&2
		failures=$((failures + 1))
	else
		echo "=== selftest: $name on $kver: as expected"
	fi
}

for k in "${kvers[@]}"; do
	expect positive 0 "" "$k" "$pos"
	expect splat 1 "WARNING: test splat" "$k" "$work/stage-splat"
done
k=${kvers[0]}
expect rc 1 "rc=3" "$k" "$work/stage-rc"
expect words 0 "" "$k" "$work/stage-words"
# 45 s: the guest gives up on its script after 15 s and still reports.
expect hang 1 "timed out" "$k" "$work/stage-hang" 45
expect panic 1 "no BPFDEV-GUEST-RESULT" "$k" "$work/stage-panic"

echo "=== selftest: wall-clock seconds per run-vm.sh call"
echo "  (first run per kernel includes vmlinux extraction; all include the initramfs build)"
for key in "${!took[@]}"; do echo "  $key ${took[$key]}"; done | sort
if [ "$failures" -ne 0 ]; then
	echo "selftest: $failures unexpected result(s)" >&2
	exit 1
fi
echo "selftest: all as expected"
