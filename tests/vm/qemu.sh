# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by every script that boots a test VM (run-vm.sh for the busybox
# guests of make check, fuzz, bench, demo and check-debug; check-system.sh
# for the Debian system booted with systemd), so that they boot the same
# machine and judge its kernel log the same way.
#
#   vm_qemu_cmd VMLINUX INITRD CONSOLE_FILE CHANNEL APPEND [QEMU_ARGS...]
#       sets the array vm_qemu to the QEMU command line. CHANNEL is the
#       backend of the guest's own port, ttyS1 ("stdio", "file:PATH").
#   vm_splats CONSOLE_FILE CHANNEL_FILE
#       prints "file:line: text" for each kernel splat on the console
#       (all of it) or in the kernel log dumped on the channel; exit
#       status 1 if there is none.
#
# Two serial ports, so that nothing the kernel or a test prints can cut,
# interleave or fake the verdict:
#   ttyS0  the kernel console: kernel messages only, written to a file
#   ttyS1  the guest's channel: test output, the result line and the whole
#          kernel log dumped at the end between BPFDEV-DMESG-BEGIN and
#          BPFDEV-DMESG-END.
# A splat is looked for in the console, whole, and in the dumped kernel log;
# never in the tests' own output, which may say anything.

# The kernel command line every VM starts with:
#  console=ttyS0     the kernel console on the first port
#  loglevel=4        only err and worse reach the console live; everything
#                    is in the dmesg dump at the end anyway
#  panic=-1          a panic reboots at once, and -no-reboot turns that into
#                    QEMU exiting (no waiting for the timeout); oopses and
#                    WARNs do NOT panic, so the run continues and we see them
#  audit=1           exercise the audit hooks the module's code paths hit
#  log_buf_len=8M    the default ring buffer could wrap on a noisy run and
#                    lose an early splat before we dump it
#  tsc=unstable      under TCG the clocksource watchdog sooner or later finds
#                    the TSC unstable and flips the sched_clock_stable static
#                    key while the other vCPU runs through the patched code;
#                    QEMU's multi-threaded TCG can then execute the transient
#                    int3 of text_poke_bp() ("Oops: int3" in sched_clock_cpu,
#                    seen once in ~20 boots of 6.12). Marking the TSC
#                    unstable at boot means the key is never flipped.
vm_cmdline="console=ttyS0 loglevel=4 panic=-1 audit=1 log_buf_len=8M tsc=unstable"

# -nodefaults: no NIC, VGA etc. to emulate and probe; both serial ports are
# 16550s (8250 is built into Debian's kernels). -accel tcg: never KVM, so
# runs behave the same on every host; BPFDEV_VM_ACCEL gives another value
# (make bench's profile boot uses tcg,thread=single: ftrace patches kernel
# text while the other vCPU runs, and multi-threaded TCG can then execute a
# stale int3, as above, seen as "Oops: int3" in __schedule; the tools
# suite, whose tools flip the scheduler's and the block layer's tracepoint
# keys, runs with every CPU but the first offline for the same reason:
# "Oops: int3" in blk_update_request and ttwu_do_activate, tests/check/
# suite.c). The bios is qboot: minimal and fast. The kernel is
# the uncompressed vmlinux, booted through PVH: no real-mode setup code and
# no in-guest decompression, seconds faster under TCG. -no-reboot: a guest
# reboot (panic=-1, or an init's fallback) ends QEMU.
#
# BPFDEV_VM_ICOUNT=1 (make bench's measuring boots): one vCPU, QEMU's
# instruction counting, guest time advancing 1 ns per executed instruction
# (shift=0) and jumping over idle periods (sleep=off), so that the guest's
# clock counts instructions and nothing of the host's load reaches it; and
# a fixed CPU model, so that runs on any QEMU compare: Nehalem has REP_GOOD
# but neither ERMS nor FSRM, so the kernel's user copies run "rep movsq"
# (one counted instruction per 8 bytes) rather than "rep movsb" (one per
# byte, as with -cpu max). RCU callbacks then run in kthreads (rcu_nocbs=0),
# where the benchmark's samples do not pay for them (tests/bench/worker.c),
# and without 6.12's lazy batching (rcutree.enable_rcu_lazy=0; 6.1 has no
# such batching and ignores the name), which would free the objects of
# earlier samples up to 10 s later, at any point of the run. (There is no
# KASLR to turn off: the vmlinux boots through PVH, without the
# decompressor that would randomise it.)
vm_qemu_cmd() {
	local vmlinux=$1 initrd=$2 console=$3 channel=$4 append=$5
	local cpu=(-accel "${BPFDEV_VM_ACCEL:-tcg}" -cpu max -smp 2)
	shift 5
	if [ "${BPFDEV_VM_ICOUNT:-0}" = 1 ]; then
		cpu=(-accel tcg,thread=single -cpu Nehalem-v1 -smp 1
		     -icount shift=0,sleep=off)
		# RCU callbacks in kthreads (rcuo), not in softirqs that
		# land in whichever sample runs (tests/bench/worker.c)
		append="rcu_nocbs=0 rcutree.enable_rcu_lazy=0 $append"
	fi
	vm_qemu=(
		qemu-system-x86_64
		-machine q35 "${cpu[@]}"
		-bios /usr/share/qemu/qboot.rom
		-m 1536
		-nodefaults -display none -monitor none
		-serial "file:$console" -serial "$channel"
		-no-reboot
		-kernel "$vmlinux" -initrd "$initrd"
		-append "$vm_cmdline $append"
		"$@"
	)
}

# What a kernel splat starts with: oopses, BUG()s, WARN()s, lockdep, KASAN,
# kmemleak, refcount and list debugging, panics, and any stack trace.
vm_splat_patterns=(
	'BUG:' 'WARNING:' 'Oops' 'general protection' 'refcount_t'
	'list_del corruption' 'possible circular locking'
	'possible recursive locking' 'INFO: inconsistent lock state'
	'possible irq lock inversion' 'bad unlock balance' 'held lock freed'
	'suspicious RCU usage' 'lockdep is turned off' 'lock held when returning'
	'KASAN' 'unreferenced object' 'Kernel panic' 'Call Trace'
)

vm_splats() {
	local console=$1 channel=$2 args=() p
	for p in "${vm_splat_patterns[@]}"; do args+=(-e "$p"); done
	{
		[ ! -r "$console" ] ||
			tr -d '\r' <"$console" | awk -v f="${console##*/}" \
				'{ printf "%s:%d: %s\n", f, NR, $0 }'
		[ ! -r "$channel" ] ||
			tr -d '\r' <"$channel" | awk -v f="${channel##*/}" '
				/^BPFDEV-DMESG-BEGIN$/ { dump = 1; next }
				/^BPFDEV-DMESG-END$/   { dump = 0; next }
				dump { printf "%s:%d: %s\n", f, NR, $0 }'
	} | grep -a -F "${args[@]}"
}
