# plots/bandwidth.gp: bandwidth against operation size, one panel per path,
# one line per mode, with the same boot's memcpy bandwidth drawn dashed as
# the limit. Reads bandwidth.csv of bench/run or bench/matrix.
#
# usage: gnuplot -e "in='bandwidth.csv'; out='bandwidth.png'" plots/bandwidth.gp
# optional: dir='from' (to, bidi), threads=1, modes='...', paths='...'
if (!exists("in")) in = "bandwidth.csv"
if (!exists("out")) out = "bandwidth.svg"
if (!exists("dir")) dir = "from"
if (!exists("threads")) threads = 1
here = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { here = ARG0[1:i - 1]; break } }
load here . "/common.gp"
eval paths_default

# One pass over the file: this plot's rows as "path#,size,mode#,bw,memcpy"
# (gnuplot's "if" sees only the columns the using list reads).
set datafile columnheaders
set table $rows separator comma
plot in using (word_index(paths, strcol("path"))):(num(column("size_bytes"))): \
	(word_index(modes, strcol("mode"))):(num(column("bw_phase_mib_s"))):(num(column("memcpy_mib_s"))): \
	(strcol("dir")):(column("threads")) with table \
	if (strcol("dir") eq dir && column("threads") == threads)
unset table
set datafile nocolumnheaders

n = words(paths)
set multiplot layout mp_rows(n), mp_cols(n) title \
	sprintf("bandwidth against operation size, dir %s, %d thread(s): size / (map + syncs + transfer + unmap); dashed: memcpy in the same boot", \
		dir, threads) font ",12"
do for [pi = 1:n] {
	p = word(paths, pi)
	rows = 0
	do for [i = 1:words(modes)] {
		eval sprintf("set table $m%d separator comma", i)
		plot $rows using 2:4:5:1:3 with table if ($1 == pi && $3 == i)
		unset table
		eval sprintf("rows = rows + |$m%d|", i)
	}
	set title p
	set xlabel "operation size (bytes)"
	set ylabel "bandwidth (MiB/s)"
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
				cmd = cmd . sprintf("$m%d using 1:3 with lines lt %d dt 2 lw 1 notitle, ", i, i)
			}
		}
		eval cmd[1:strlen(cmd) - 2]
	}
}
unset multiplot
