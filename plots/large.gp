# plots/large.gp: large mappings: map and unmap cost per 4 KiB page against
# the mapping size, for sg and noncontig on 4 KiB pages and sg on 2 MiB huge
# pages, one line per mode. Reads large.csv.
#
# usage: gnuplot -e "in='large.csv'; out='large.png'" plots/large.gp
# optional: cases='sg:4k noncontig:4k sg:2m', modes='...'
if (!exists("in")) in = "large.csv"
if (!exists("out")) out = "large.svg"
if (!exists("cases")) cases = "sg:4k noncontig:4k sg:2m"
here = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { here = ARG0[1:i - 1]; break } }
load here . "/common.gp"

set multiplot layout 2, words(cases) title \
	"large mappings: cost per 4 KiB page of mapping (top) and unmapping (bottom); one line per IOMMU mode" font ",12"
do for [ph in "map unmap"] {
	do for [c in cases] {
		colon = strstrt(c, ":")
		p = c[1:colon - 1]
		backing = c[colon + 1:]
		rows = 0
		do for [i = 1:words(modes)] {
			set datafile columnheaders
			eval sprintf("set table $m%d separator comma", i)
			plot in using (num(column("size_bytes"))):(num(column("ns_per_4k_page"))) with table \
				if (strcol("mode") eq word(modes, i) && strcol("path") eq p && \
				    strcol("backing") eq backing && strcol("phase") eq ph)
			unset table
			eval sprintf("rows = rows + |$m%d|", i)
		}
		set datafile nocolumnheaders
		set title sprintf("%s %s, %s pages", p, ph, backing eq "2m" ? "2 MiB" : "4 KiB")
		set xlabel "mapping size (bytes)"
		set ylabel sprintf("%s time per 4 KiB page (ns)", ph)
		if (rows == 0) {
			eval no_data
		} else {
			set logscale y 10
			eval size_axis
			set format y "%g"
			eval panel_key(ph eq "map" && c eq word(cases, 1))
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
}
unset multiplot
