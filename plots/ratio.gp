# plots/ratio.gp: each mode's latency as a ratio to a base mode (nommu),
# against operation size, one panel per path. Reads latency.csv.
#
# usage: gnuplot -e "in='latency.csv'; out='ratio.png'" plots/ratio.gp
# optional: base='nommu', phase='e2e', stat='mean_ns', dir='bidi',
#   threads=1, modes='...', paths='...'
if (!exists("in")) in = "latency.csv"
if (!exists("out")) out = "ratio.svg"
if (!exists("base")) base = "nommu"
if (!exists("phase")) phase = "e2e"
if (!exists("stat")) stat = "mean_ns"
if (!exists("dir")) dir = "bidi"
if (!exists("threads")) threads = 1
here = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { here = ARG0[1:i - 1]; break } }
load here . "/common.gp"
eval paths_default

# The base mode's value per (path, log2 size), looked up by the ratio.
array ref[words(paths) * 64]
do for [i = 1:words(paths) * 64] { ref[i] = NaN }
slot(p, s) = (word_index(paths, p) - 1) * 64 + int(log(s) / log(2) + 0.5) + 1
set datafile columnheaders
stats in using ((strcol("mode") eq base && strcol("phase") eq phase && \
		 strcol("dir") eq dir && column("threads") == threads && \
		 column("nents") == 0 && word_index(paths, strcol("path")) > 0) ? \
		(ref[slot(strcol("path"), column("size_bytes"))] = column(stat)) : 0) nooutput

# One pass over the file: this plot's rows as "path#,size,mode#,ratio"
# (gnuplot's "if" sees only the columns the using list reads).
set table $rows separator comma
plot in using (word_index(paths, strcol("path"))):(num(column("size_bytes"))): \
	(word_index(modes, strcol("mode"))): \
	(num(column(stat) / ref[slot(strcol("path"), column("size_bytes"))])): \
	(strcol("phase")):(strcol("dir")):(column("threads")):(column("nents")) with table \
	if (word_index(paths, strcol("path")) > 0 && strcol("phase") eq phase && \
	    strcol("dir") eq dir && column("threads") == threads && column("nents") == 0)
unset table
set datafile nocolumnheaders

n = words(paths)
set multiplot layout mp_rows(n), mp_cols(n) title \
	sprintf("%s latency (%s) as a ratio to %s, dir %s, %d thread(s); one line per IOMMU mode", \
		phase, stat_name(stat), base, dir, threads) font ",12"
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
	set ylabel sprintf("%s %s / %s's", phase, stat_name(stat), base)
	if (rows == 0) {
		eval no_data
	} else {
		set logscale y 2
		eval size_axis
		set format y "%gx"
		eval panel_key(p eq word(paths, 1))
		cmd = "plot 1 with lines lt 9 lw 1 dt 3 notitle, "
		do for [i = 1:words(modes)] {
			eval sprintf("k = |$m%d|", i)
			if (k > 0 && word(modes, i) ne base) {
				cmd = cmd . sprintf("$m%d using 1:2 with linespoints lt %d title '%s', ", i, i, word(modes, i))
			}
		}
		eval cmd[1:strlen(cmd) - 2]
	}
}
unset multiplot
