# plots/threads.gp: thread scaling: aggregate bandwidth against the number
# of threads, one panel per path and size, one line per mode. Reads
# bandwidth.csv (its threads=1 rows come from the size sweep).
#
# usage: gnuplot -e "in='bandwidth.csv'; out='threads.png'" plots/threads.gp
# optional: cases='single:4096 single:1048576 sg:4096 sg:1048576',
#   dir='bidi', modes='...'
if (!exists("in")) in = "bandwidth.csv"
if (!exists("out")) out = "threads.svg"
if (!exists("cases")) cases = "single:4096 single:1048576 sg:4096 sg:1048576"
if (!exists("dir")) dir = "bidi"
if (!exists("width")) width = 1200
if (!exists("height")) height = 800
here = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { here = ARG0[1:i - 1]; break } }
load here . "/common.gp"

n = words(cases)
set multiplot layout mp_rows(n), mp_cols(n) title \
	sprintf("thread scaling, dir %s: aggregate bandwidth (threads x size / per-op DMA time); one line per IOMMU mode", dir) font ",12"
do for [c in cases] {
	colon = strstrt(c, ":")
	p = c[1:colon - 1]
	sz = int(c[colon + 1:])
	rows = 0
	do for [i = 1:words(modes)] {
		set datafile columnheaders
		eval sprintf("set table $m%d separator comma", i)
		plot in using (column("threads")):(num(column("bw_phase_mib_s"))) with table \
			if (strcol("mode") eq word(modes, i) && strcol("path") eq p && \
			    strcol("dir") eq dir && column("size_bytes") == sz)
		unset table
		eval sprintf("rows = rows + |$m%d|", i)
	}
	set datafile nocolumnheaders
	set title sprintf("%s, %s", p, size_label(sz))
	set xlabel "threads (kernel threads, one per CPU)"
	set ylabel "aggregate bandwidth (MiB/s)"
	if (rows == 0) {
		eval no_data
	} else {
		set xtics 1
		set format y "%g"
		set yrange [0:*]
		eval panel_key(c eq word(cases, 1))
		cmd = "plot "
		do for [i = 1:words(modes)] {
			eval sprintf("k = |$m%d|", i)
			if (k > 0) {
				cmd = cmd . sprintf("$m%d using 1:2 with linespoints lt %d title '%s', ", i, i, word(modes, i))
			}
		}
		eval cmd[1:strlen(cmd) - 2]
		set autoscale y
	}
}
unset multiplot
