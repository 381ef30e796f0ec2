#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Where the time of a request goes, in the VM, with ftrace's function_graph
# tracer: the member creates maps and loads the 2-instruction program
# through /dev/bpf (dev) and directly holding CAP_BPF (cap); the tracer
# times the syscall, bpfdev's steps and the kernel's bpf code inside it.
# make bench runs it in a boot of its own with QEMU's instruction counting
# (BPFDEV_VM_ICOUNT in tests/vm/qemu.sh): the "ns" are instructions, and
# the kernel text ftrace patches is never run by another vCPU. Prints
# "profile,<set>,<mode>,<op>,<function>,<calls>,<avg ns>" lines between
# BPFDEV-PROFILE-BEGIN and -END.
# Auditing is switched off first (bpfdev_bench --profile does it), as in the
# benchmark's main phases and on a Debian system without auditd.
# Tracing adds its own cost to every traced function (about 800
# instructions each): compare the steps with each other, and take the
# absolute counts from the benchmark.
dir=$(dirname "$0")
/lib/bpfdev/insmod-bpfdev || exit 1
udevadm settle
T=/sys/kernel/tracing
[ -e $T/current_tracer ] || T=/sys/kernel/debug/tracing
[ -e $T/current_tracer ] || { echo "no tracefs" >&2; exit 1; }

# outline: the layers only (one traced level inside each other: the least
# tracing overhead); steps: each of bpfdev's steps (every traced call adds
# its tracing cost to its caller's time: read the steps' times relative to
# each other).
outline="__x64_sys_ioctl __x64_sys_bpf bpfdev_sys_bpf kern_sys_bpf __sys_bpf"
# kernel: inside the kernel's own map creation, called either way
kernel="__x64_sys_ioctl __x64_sys_bpf __sys_bpf security_bpf map_create
security_bpf_map_alloc security_bpf_map_create bpf_map_area_alloc
array_map_alloc bpf_map_alloc_id bpf_map_new_fd anon_inode_getfd
security_capable bpf_token_capable"
# loadk: inside the kernel's own program load, called either way
loadk="__x64_sys_ioctl __x64_sys_bpf __sys_bpf bpf_prog_load bpf_check
bpf_prog_select_runtime bpf_int_jit_compile bpf_prog_calc_tag
bpf_prog_alloc bpf_prog_new_fd security_bpf_prog_load
bpf_prog_kallsyms_add bpf_prog_pack_alloc bpf_jit_binary_pack_alloc
do_check_common check_cfg resolve_pseudo_ldimm64 do_misc_fixups
convert_ctx_accesses opt_subreg_zext_lo32_rnd_hi32 check_subprogs
add_subprog_and_kfunc bpf_adj_branches bpf_prog_realloc
kern_sys_bpf bpfdev_sys_bpf"
steps="__x64_sys_ioctl __x64_sys_bpf security_file_ioctl bpfdev_ioctl
bpfdev_sys_bpf bpfdev_request_snapshot bpfdev_policy_check
bpfdev_policy_limits bpfdev_user_get bpfdev_fstate_charge bpfdev_user_begin
bpfdev_request_copy_inputs bpfdev_policy_insns
bpfdev_request_prepare_writeback bpfdev_call_with_caps override_creds
revert_creds kern_sys_bpf __sys_bpf bpfdev_request_writeback
bpfdev_user_end bpfdev_fstate_refund bpfdev_request_free
bpfdev_audit_request bpfdev_insns_scan bpfdev_user_limits
bpfdev_user_jit_reserve bpfdev_user_jit_settle bpfdev_objects_add
bpfdev_fstate_grant bpfdev_profile_grant bpfdev_fstate_effective
bpfdev_fstate_within bpfdev_user_within prepare_creds __put_cred
_copy_from_user copy_struct_from_user __kvmalloc_node
__kvmalloc_node_noprof kvfree fault_in_safe_writeable bpfdev_caps_needed"

profile() {	# set mode op count
	set=$1
	shift
	eval "funcs=\$$set"
	echo 0 >$T/tracing_on
	echo nop >$T/current_tracer
	: >$T/set_ftrace_filter
	for f in $funcs; do
		echo "$f" >>$T/set_ftrace_filter 2>/dev/null
	done
	echo "__x64_sys_ioctl __x64_sys_bpf" >$T/set_graph_function
	echo 16384 >$T/buffer_size_kb
	echo function_graph >$T/current_tracer
	# the tracer's own options exist once it is the current tracer
	echo funcgraph-tail >$T/trace_options
	echo nofuncgraph-irqs >$T/trace_options
	: >$T/trace
	# trace only the benchmark process: set the pid, then exec it
	sh -c "echo \$\$ >$T/set_ftrace_pid; echo 1 >$T/tracing_on;
	       exec $dir/bpfdev_bench --profile $1 $2 $3" ||
		echo "profile $1 $2 failed" >&2
	echo 0 >$T/tracing_on
	echo >$T/set_ftrace_pid
	# "1.234 us | name();" (a leaf) or "1.234 us | } /* name */"
	awk -v set="$set" -v mode="$1" -v op="$2" '
	/ us +\|/ {
		line = $0
		sub(/^[^|]*\) */, "", line)
		if (!match(line, /[0-9.]+ us/)) next
		us = substr(line, RSTART, RLENGTH - 3) + 0
		name = line
		if (name ~ /\/\* .* \*\//) {
			sub(/.*\/\* /, "", name); sub(/ \*\/.*/, "", name)
		} else {
			sub(/.*\| */, "", name); sub(/\(\);.*/, "", name)
		}
		sub(/ \[.*\]/, "", name)
		n[name]++; t[name] += us
	}
	END {
		for (f in n)
			printf "profile,%s,%s,%s,%s,%d,%d\n", set, mode, op, f, n[f], t[f] * 1000 / n[f]
	}' $T/trace | sort -t, -k7,7nr
}

# Warm up: under TCG the first run of a code path pays for translating it,
# which would go to whichever mode is traced first.
for op in map_create prog_load_2; do
	for mode in dev cap; do
		"$dir/bpfdev_bench" --profile $mode $op 200
	done
done
echo BPFDEV-PROFILE-BEGIN
for set in outline steps kernel loadk; do
	for op in map_create prog_load_2 prog_load_4k; do
		[ $op = prog_load_4k ] && [ $set = kernel ] && continue
		[ $op != prog_load_4k ] && [ $set = loadk ] && continue
		for mode in dev cap; do
			[ $set = steps ] && [ $mode = cap ] && continue
			[ $set = kernel ] && [ $op != map_create ] && continue
			profile $set "$mode" "$op" 200
		done
	done
done
echo nop >$T/current_tracer
echo BPFDEV-PROFILE-END
