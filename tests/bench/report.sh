#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# report.sh OUTDIR KVER...: from each kernel's console log, the CSV of the
# run (OUTDIR/bench-KVER.csv), a table of min and median ns per operation
# and their ratio to the baseline (bpfdev vs CAP_BPF direct; interposer vs
# plain), and a chart (OUTDIR/bench.png, gnuplot).
set -euo pipefail
out=$1
shift
table=$out/bench-table.txt
: >"$table"
for k in "$@"; do
	csv=$out/bench-$k.csv
	sed -n '/BPFDEV-BENCH-CSV-BEGIN/,/BPFDEV-BENCH-CSV-END/p' \
		"$out/vm/$k/console.log" | tr -d '\r' |
		grep -v BPFDEV-BENCH >"$csv"
	{
		echo "Linux $k (ns per operation; ratio = mode / baseline)"
		printf '%-16s %-6s %12s %12s %9s %9s\n' op mode min median \
			"min x" "median x"
		tail -n +2 "$csv" | sort -t, -k1,1 -k2,2 -k4,4n |
		awk -F, '
		{ key = $1 "," $2; v[key, ++n[key]] = $4; ops[$1] = 1; modes[key] = $2 }
		END {
			for (k in n) {
				c = n[k]
				min[k] = v[k, 1]
				med[k] = (c % 2) ? v[k, (c + 1) / 2] : (v[k, c / 2] + v[k, c / 2 + 1]) / 2
			}
			split("prog_load_2 prog_load_4k prog_load_100k map_create btf_load map_update map_lookup map_delete", order, " ")
			for (i = 1; i <= 8; i++) {
				o = order[i]
				base = (o ~ /^map_(update|lookup|delete)/) ? "plain" : "cap"
				split("dev cap root shim plain", ms, " ")
				for (j = 1; j <= 5; j++) {
					k = o "," ms[j]
					if (!(k in n)) continue
					printf "%-16s %-6s %12d %12d %9.3f %9.3f\n", o, ms[j], min[k], med[k], min[k] / min[o "," base], med[k] / med[o "," base]
				}
			}
		}'
		echo
	} >>"$table"
done
cat "$table"
if command -v gnuplot >/dev/null; then
	dat=$out/bench-ratios.dat
	: >"$dat"
	for k in "$@"; do
		awk -v k="${k%%[-+]*}" '$2 == "dev" || $2 == "shim" { print k, k ":" $1 "/" $2, $6 }' \
			<(sed -n "/^Linux $k/,/^$/p" "$table" | tail -n +3) >>"$dat"
	done
	gnuplot <<GP
set terminal png size 1100,550 noenhanced
set output "$out/bench.png"
set title "bpfdev: median time per operation, relative to the direct path (1.0)"
set style data histograms
set style fill solid 0.6
set yrange [0:*]
set ylabel "ratio to direct"
set xtics rotate by -35
set grid ytics
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2
plot "$dat" using 3:xtic(2) title "median ratio"
GP
fi
