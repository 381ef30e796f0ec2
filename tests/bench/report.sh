#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# report.sh OUTDIR KVER...: from each kernel's guest outputs (make bench):
#  - the two instruction-counting runs (OUTDIR/vm-icount1, vm-icount2):
#    their CSVs (OUTDIR/bench-KVER-run1.csv, -run2.csv), and a table of the
#    median instructions per operation of each run, their agreement, and
#    what bpfdev adds (dev - cap; shim - plain for map operations);
#  - the concurrency boot (OUTDIR/vm, real time, two vCPUs): its CSV;
#  - OUTDIR/bench-KVER.csv, run 1 and the concurrency boot together, from
#    which a table of min and median per operation and their ratio to the
#    baseline (bpfdev and the BPF token vs CAP_BPF direct; interposer vs
#    plain of the same pair), the concurrency scaling (time for N
#    operations in one process / split over two at once; its ratio to
#    cap's), the lock contentions during those samples, and a chart of
#    the median ratios (OUTDIR/bench.png, gnuplot).
# The CSV ops and modes are described in tests/bench/bench.c.
set -euo pipefail
out=$1
shift
table=$out/bench-table.txt
: >"$table"

# The operations of the tables, in order; for both tables' awk, the median
# of the n[k] values v[k, 1..n[k]] (sorted) of a key, and a mode's baseline.
ops="prog_load_2 prog_load_4k prog_load_100k map_create map_create_hash btf_load
prog_load_2@auditd map_create@auditd btf_load@auditd map_update map_lookup
map_delete map_update@fork map_lookup@fork map_delete@fork"
awk_med='
function med(k, c) {
	c = n[k]
	return (c % 2) ? v[k, (c + 1) / 2] : (v[k, c / 2] + v[k, c / 2 + 1]) / 2
}
# the baseline of mode m for op o: cap, or plain of the same pair
function base_of(o, m) {
	if (o !~ /^map_(update|lookup|delete)/)
		return "cap"
	return (m ~ /2$/) ? "plain2" : "plain"
}'

# The CSV lines of a guest's output (the console also carries the
# benchmark's own diagnostics and err-level kernel messages).
csv_of() {
	sed -n '/BPFDEV-BENCH-CSV-BEGIN/,/BPFDEV-BENCH-CSV-END/p' "$1" | tr -d '\r' |
		grep -E '^(op,mode,round,ns|[a-z0-9_@]+,[a-z0-9]+,[0-9]+,[0-9]+)$' || true
}

for k in "$@"; do
	csv=$out/bench-$k.csv
	for run in 1 2; do
		csv_of "$out/vm-icount$run/$k/verdict.log" >"$out/bench-$k-run$run.csv"
		[ "$(wc -l <"$out/bench-$k-run$run.csv")" -gt 1 ] ||
			{ echo "report.sh: no benchmark CSV in $out/vm-icount$run/$k/verdict.log" >&2; exit 1; }
	done
	{ cat "$out/bench-$k-run1.csv"; csv_of "$out/vm/$k/verdict.log" | tail -n +2; } >"$csv"
	{
		echo "Linux $k: instructions per operation (QEMU -icount shift=0, one vCPU, -cpu Nehalem-v1), median of the rounds of each run"
		echo "agree: |run 1 - run 2| / their mean; adds: dev - cap (bpfdev's cost over the CAP_BPF path), shim - plain for map operations"
		{ tail -n +2 "$out/bench-$k-run1.csv" | sed 's/^/1,/'
		  tail -n +2 "$out/bench-$k-run2.csv" | sed 's/^/2,/'; } |
		sort -t, -k2,2 -k3,3 -k1,1n -k5,5n |
		awk -F, -v ops="$ops" "$awk_med"'
		{ key = $1 "," $2 "," $3; v[key, ++n[key]] = $5 }
		function have(r, o, m) { return (r "," o "," m) in n }
		END {
			printf "%-20s %-6s %13s %13s %7s %11s %11s %8s\n", "op", "mode", "run 1", "run 2", "agree", "adds 1", "adds 2", "x base"
			nops = split(ops, order, " ")
			nmodes = split("cap dev root token sv plain shim plain2 shim2", ms, " ")
			for (i = 1; i <= nops; i++) {
				o = order[i]
				for (j = 1; j <= nmodes; j++) {
					m = ms[j]
					if (!have(1, o, m) || !have(2, o, m))
						continue
					a = med("1," o "," m); b = med("2," o "," m)
					agree = (a + b) ? 200 * (a > b ? a - b : b - a) / (a + b) : 0
					base = base_of(o, m)
					adds1 = adds2 = x = "-"
					if (m != base && have(1, o, base) && have(2, o, base)) {
						b1 = med("1," o "," base); b2 = med("2," o "," base)
						adds1 = sprintf("%+d", a - b1); adds2 = sprintf("%+d", b - b2)
						x = sprintf("%.4f", a / b1)
					}
					printf "%-20s %-6s %13d %13d %6.2f%% %11s %11s %8s\n", o, m, a, b, agree, adds1, adds2, x
				}
			}
		}'
		echo
	} >>"$table"
	: >"$out/bench-ratios-$k.dat"
	{
		echo "Linux $k, run 1 and the concurrency boot (instructions per operation, concurrency: ns of real time; ratio = mode / baseline: cap, or plain of the same pair for map operations)"
		tail -n +2 "$csv" | sort -t, -k1,1 -k2,2 -k4,4n |
		awk -F, -v dat="$out/bench-ratios-$k.dat" -v ops="$ops" "$awk_med"'
		{ key = $1 "," $2; v[key, ++n[key]] = $4 }
		END {
			printf "%-18s %-6s %12s %12s %9s %9s\n", "op", "mode", "min", "median", "min x", "median x"
			nops = split(ops, order, " ")
			nmodes = split("dev cap root token sv shim plain shim2 plain2", ms, " ")
			for (i = 1; i <= nops; i++) {
				o = order[i]
				for (j = 1; j <= nmodes; j++) {
					m = ms[j]
					k = o "," m
					base = base_of(o, m)
					b = o "," base
					# the chart: every candidate, "-" where not measured
					charted = (base == "cap") ? (m == "dev" || m == "token" || m == "sv") : (m ~ /^shim/ || m == "sv")
					if (!(k in n) || !(b in n)) {
						if (charted)
							printf "%s %s/%s\t-\n", o, m, base > dat
						continue
					}
					rmin = v[k, 1] / v[b, 1]
					rmed = med(k) / med(b)
					printf "%-18s %-6s %12d %12d %9.3f %9.3f\n", o, m, v[k, 1], med(k), rmin, rmed
					if (charted)
						printf "%s %s/%s\t%.3f\n", o, m, base, rmed > dat
				}
			}
			print ""
			print "Concurrency: N operations in one process (one) vs split over two of the mode at once (two),"
			print "ns per operation; scaling = one / two (2.0: perfect); x cap = scaling / cap'"'"'s scaling (target 0.95..1.05)"
			printf "%-12s %-6s %10s %10s %10s %10s %8s %8s %8s %8s\n", "op", "mode", "one min", "one med", "two min", "two med", "scal min", "scal med", "min x", "med x"
			split("prog_load_2 map_create", cops, " ")
			split("dev cap token", cms, " ")
			for (i = 1; i <= 2; i++) {
				o = cops[i]
				c1 = o "@one,cap"; c2 = o "@two,cap"
				have = (c1 in n) && (c2 in n)
				if (have) {
					cmin = v[c1, 1] / v[c2, 1]
					cmed = med(c1) / med(c2)
				}
				for (j = 1; j <= 3; j++) {
					m = cms[j]
					k1 = o "@one," m; k2 = o "@two," m
					if (!have || !(k1 in n) || !(k2 in n)) {
						if (m != "cap")
							printf "%s scaling %s/cap\t-\n", o, m > dat
						continue
					}
					smin = v[k1, 1] / v[k2, 1]
					smed = med(k1) / med(k2)
					printf "%-12s %-6s %10d %10d %10d %10d %8.3f %8.3f %8.3f %8.3f\n", o, m, v[k1, 1], med(k1), v[k2, 1], med(k2), smin, smed, smin / cmin, smed / cmed
					if (m != "cap")
						printf "%s scaling %s/cap\t%.3f\n", o, m, smed / cmed > dat
				}
			}
			print ""
			print "Lock contention during the same samples: lock:contention_begin hits of the whole machine"
			print "per 1,000 operations, median of the rounds; spinning (a spinlock, or a mutex spinning before it sleeps), and sleeping"
			printf "%-12s %-6s %10s %10s %10s %10s\n", "op", "mode", "spin one", "spin two", "sleep one", "sleep two"
			for (i = 1; i <= 2; i++)
				for (j = 1; j <= 3; j++) {
					o = cops[i]; m = cms[j]
					k1 = o "@one_spin," m; k2 = o "@two_spin," m
					k3 = o "@one_sleep," m; k4 = o "@two_sleep," m
					if (!(k1 in n) || !(k2 in n) || !(k3 in n) || !(k4 in n))
						continue
					printf "%-12s %-6s %10d %10d %10d %10d\n", o, m, med(k1), med(k2), med(k3), med(k4)
				}
		}'
		echo
	} >>"$table"
	# The function_graph profile (tests/bench/profile-in-guest.sh):
	# average ns per call of each traced step, dev beside cap.
	prof=$out/bench-profile-$k.csv
	sed -n '/BPFDEV-PROFILE-BEGIN/,/BPFDEV-PROFILE-END/p' \
		"$out/vm-profile/$k/verdict.log" | tr -d '\r' | grep '^profile,' >"$prof" || true
	if [ -s "$prof" ]; then
		{
			echo "Linux $k: where the instructions go (function_graph under icount, average instructions per call, tracing included; 200 operations; outline: layers only, steps: every step traced)"
			printf '%-8s %-16s %-34s %8s %10s\n' set op function calls "avg insns"
			sort -t, -k2,2r -k4,4 -k3,3 -k7,7nr "$prof" |
			awk -F, '{ printf "%-8s %-16s %-34s %8d %10d\n", $2, $4 "/" $3, $5, $6, $7 }'
			echo
		} >>"$table"
	fi
done
cat "$table"
if command -v gnuplot >/dev/null; then
	# One row per ratio, one column per kernel ("-": not measured there).
	dat=$out/bench-ratios.dat
	i=0
	for k in "$@"; do
		i=$((i + 1))
		sed "s/^/$i\t/" "$out/bench-ratios-$k.dat"
	done | awk -F'\t' -v kernels="$*" '
	{ if (!($2 in seen)) { seen[$2] = 1; keys[++nk] = $2 } r[$2, $1] = $3 }
	$3 != "-" { measured[$2] = 1 }
	END {
		nkern = split(kernels, ks, " ")
		printf "ratio"
		for (i = 1; i <= nkern; i++) { kk = ks[i]; sub(/[-+].*/, "", kk); printf "\t%s", kk }
		print ""
		for (j = 1; j <= nk; j++) {
			if (!(keys[j] in measured)) continue
			printf "%s", keys[j]
			for (i = 1; i <= nkern; i++)
				printf "\t%s", ((keys[j], i) in r) ? r[keys[j], i] : "-"
			print ""
		}
	}' >"$dat"
	ncol=$(( $# + 1 ))
	gnuplot <<GP
set terminal png size 1600,700 noenhanced
set output "$out/bench.png"
set title "bpfdev: median instructions per operation relative to the direct path (1.0; icount, run 1; concurrency: real-time scaling relative to cap's)"
set datafile separator "\t"
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.6
set key top left
# log scale: the supervised calls' 20x to 40x beside the 1.0x of the rest
set logscale y 2
set yrange [0.5:64]
set ylabel "median ratio (log scale)"
set xtics rotate by -40 font ",9"
set grid ytics
set bmargin 12
set rmargin 12
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2
plot for [i=2:$ncol] "$dat" using i:xtic(1) title columnheader(i)
GP
fi
