# plots/anchor.gp: dmastress against the kernel's dma_map_benchmark, same
# boot, same device: dmastress's mean map and unmap time against
# dma_map_benchmark's, one point per row of anchor_map_benchmark.csv, with
# the agreement band of target 2 (within 20% or 100 ns, whichever is larger):
# filled, dmastress in the kernel tool's arithmetic (ds_*_mb_ns, what target
# 2 compares); open, dmastress's true means.
#
# usage: gnuplot -e "in='anchor_map_benchmark.csv'; out='anchor.png'" plots/anchor.gp
# optional: modes='...'
if (!exists("in")) in = "anchor_map_benchmark.csv"
if (!exists("out")) out = "anchor.svg"
if (!exists("width")) width = 1300
if (!exists("height")) height = 650
here = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { here = ARG0[1:i - 1]; break } }
load here . "/common.gp"

# in us: the band is 20% or 0.1 us (100 ns), whichever is larger
hi(x) = x * 1.2 > x + 0.1 ? x * 1.2 : x + 0.1
lo(x) = x * 0.8 < x - 0.1 ? x * 0.8 : (x - 0.1 > 0.001 ? x - 0.1 : 0.001)
set logscale xy 10
set format x "%g"
set format y "%g"
set key outside right top vertical
set multiplot layout 1, 2 title "dmastress run --path single (and sg) against dma\\_map\\_benchmark -m 0 (-m 1), same boot and device; band: within 20% or 100 ns" font ",12"
do for [ph in "map unmap"] {
	set title sprintf("%s: mean time per operation", ph)
	set xlabel sprintf("dma_map_benchmark mean %s (us)", ph)
	set ylabel sprintf("dmastress mean %s (us)", ph)
	mb = sprintf("mb_%s_ns", ph)
	ds = sprintf("ds_%s_ns", ph)
	dq = sprintf("ds_%s_mb_ns", ph)
	plot x with lines lt 9 lw 1 title "equal", \
	     hi(x) with lines lt 9 lw 1 dt 2 title "agreement band", \
	     lo(x) with lines lt 9 lw 1 dt 2 notitle, \
	     for [i = 1:words(modes)] in using (column(mb) / 1000.0):(strcol("mode") eq word(modes, i) ? column(dq) / 1000.0 : NaN) \
		with points lt i pt 7 ps 1.2 title word(modes, i), \
	     for [i = 1:words(modes)] in using (column(mb) / 1000.0):(strcol("mode") eq word(modes, i) ? column(ds) / 1000.0 : NaN) \
		with points lt i pt 6 ps 1.0 title word(modes, i) . " (true mean)"
}
unset multiplot
