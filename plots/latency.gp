# plots/latency.gp: latency against operation size, one panel per path, one
# line per mode, log-log. Reads latency.csv of bench/run or bench/matrix.
#
# usage: gnuplot -e "in='latency.csv'; out='latency.png'" plots/latency.gp
# optional: phase='e2e' (map, sync_for_device, xfer, sync_for_cpu, unmap,
#   e2e; map/unmap of coherent, pool, pages, noncoherent and noncontig are
#   their allocation/free), stat='mean_ns' (or p50_ns, p99_ns, p999_ns...),
#   dir='bidi' (to, from), threads=1, modes='nommu ...', paths='...'
if (!exists("in")) in = "latency.csv"
if (!exists("out")) out = "latency.svg"
if (!exists("phase")) phase = "e2e"
if (!exists("stat")) stat = "mean_ns"
if (!exists("dir")) dir = "bidi"
if (!exists("threads")) threads = 1
here = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { here = ARG0[1:i - 1]; break } }
load here . "/common.gp"
eval paths_default

# One pass over the file: this plot's rows as "path#,size,mode#,value"
# (the selection columns also appear in the using list: gnuplot's "if" sees
# only the columns the using list reads).
set datafile columnheaders
set table $rows separator comma
plot in using (word_index(paths, strcol("path"))):(num(column("size_bytes"))): \
	(word_index(modes, strcol("mode"))):(num(column(stat) / 1000.0)): \
	(strcol("phase")):(strcol("dir")):(column("threads")):(column("nents")) with table \
	if (strcol("phase") eq phase && strcol("dir") eq dir && \
	    column("threads") == threads && column("nents") == 0)
unset table
set datafile nocolumnheaders

n = words(paths)
set multiplot layout mp_rows(n), mp_cols(n) title \
	sprintf("%s latency (%s) against operation size, dir %s, %d thread(s); one line per IOMMU mode", \
		phase, stat_name(stat), dir, threads) font ",12"
do for [pi = 1:n] {
	p = word(paths, pi)
	rows = 0
	do for [i = 1:words(modes)] {
		eval sprintf("set table $m%d separator comma", i)
		plot $rows using 2:4:1:3 with table if ($1 == pi && $3 == i)
		unset table
		eval sprintf("rows = rows + |$m%d|", i)
	}
	set title p
	set xlabel "operation size (bytes)"
	set ylabel sprintf("%s %s (us)", phase, stat_name(stat))
	if (rows == 0) {
		eval no_data
	} else {
		set logscale y 10
		eval size_axis
		set format y "%g"
		eval panel_key(p eq word(paths, 1))
		cmd = "plot "
		do for [i = 1:words(modes)] {
			eval sprintf("k = |$m%d|", i)
			if (k > 0) {
				cmd = cmd . sprintf("$m%d using 1:2 with linespoints lt %d title '%s', ", i, i, word(modes, i))
			}
		}
		eval cmd[1:strlen(cmd) - 2]
	}
}
unset multiplot
