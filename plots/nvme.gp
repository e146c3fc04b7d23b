# plots/nvme.gp: the nvme engine's bandwidth (bytes over its data commands'
# time, doorbell to completion; every byte written to the namespace and
# read back, verified) against the
# operation size, one panel per path and direction, one line per mode,
# threads 1. Reads nvme.csv.
#
# usage: gnuplot -e "in='nvme.csv'; out='nvme.png'" plots/nvme.gp
# optional: cases='single:to single:from sg:to sg:from', modes='...'
if (!exists("in")) in = "nvme.csv"
if (!exists("out")) out = "nvme.svg"
if (!exists("cases")) cases = "single:to single:from sg:to sg:from"
here = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { here = ARG0[1:i - 1]; break } }
load here . "/common.gp"

set multiplot layout 2, 2 title \
	"nvme engine: bandwidth against operation size, 1 thread, verified (MiB/s over the data commands); one line per IOMMU mode" font ",12"
do for [c in cases] {
	colon = strstrt(c, ":")
	p = c[1:colon - 1]
	d = c[colon + 1:]
	rows = 0
	do for [i = 1:words(modes)] {
		set datafile columnheaders
		eval sprintf("set table $m%d separator comma", i)
		plot in using (num(column("size_bytes"))):(num(column("cmd_bw_mib_s"))) with table \
			if (strcol("mode") eq word(modes, i) && strcol("path") eq p && \
			    strcol("dir") eq d && column("threads") == 1)
		unset table
		eval sprintf("rows = rows + |$m%d|", i)
	}
	set datafile nocolumnheaders
	set title sprintf("%s, dir %s", p, d)
	set xlabel "operation size (bytes)"
	set ylabel "MiB/s"
	if (rows == 0) {
		eval no_data
	} else {
		set logscale y 10
		eval size_axis
		set format y "%g"
		eval panel_key(c eq word(cases, 1))
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
