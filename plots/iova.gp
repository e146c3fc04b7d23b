# plots/iova.gp: the IOVA API against dma_map_sgtable(): map (top) and unmap
# (bottom) cost per 4 KiB page against the mapping size, one panel per
# piece size (4 KiB, 2 MiB), one line per mode and API (solid: the IOVA
# API, dashed: dma_map_sgtable()). Reads iova.csv.
#
# usage: gnuplot -e "in='iova.csv'; out='iova.png'" plots/iova.gp
# optional: pieces='4k 2m', modes='...'
if (!exists("in")) in = "iova.csv"
if (!exists("out")) out = "iova.svg"
if (!exists("pieces")) pieces = "4k 2m"
here = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { here = ARG0[1:i - 1]; break } }
load here . "/common.gp"

apis = "iova sgtable"
set multiplot layout 2, words(pieces) title \
	"IOVA API (solid) against dma\\_map\\_sgtable() (dashed): cost per 4 KiB page of mapping (top) and unmapping (bottom)" font ",12"
do for [ph in "map unmap"] {
	do for [pc in pieces] {
		rows = 0
		do for [i = 1:words(modes)] {
			do for [a = 1:2] {
				set datafile columnheaders
				eval sprintf("set table $m%d_%d separator comma", i, a)
				plot in using (num(column("size_bytes"))):(num(column("ns_per_4k_page"))) with table \
					if (strcol("mode") eq word(modes, i) && strcol("api") eq word(apis, a) && \
					    strcol("piece") eq pc && strcol("phase") eq ph)
				unset table
				eval sprintf("rows = rows + |$m%d_%d|", i, a)
			}
		}
		set datafile nocolumnheaders
		set title sprintf("%s, %s pieces", ph, pc eq "2m" ? "2 MiB" : "4 KiB")
		set xlabel "mapping size (bytes)"
		set ylabel sprintf("%s time per 4 KiB page (ns)", ph)
		if (rows == 0) {
			eval no_data
		} else {
			set logscale y 10
			eval size_axis
			set format y "%g"
			eval panel_key(ph eq "map" && pc eq word(pieces, 1))
			cmd = "plot "
			do for [i = 1:words(modes)] {
				do for [a = 1:2] {
					eval sprintf("k = |$m%d_%d|", i, a)
					if (k > 0) {
						cmd = cmd . sprintf("$m%d_%d using 1:2 with linespoints lt %d dt %d title '%s %s', ", i, a, i, a, word(modes, i), word(apis, a))
					}
				}
			}
			eval cmd[1:strlen(cmd) - 2]
		}
	}
}
unset multiplot
