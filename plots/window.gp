# plots/window.gp: the lazy window. For each IOMMU mode, the share of the
# device's reads of an IOVA, the delay after its dma_unmap_single(), that
# still reached the buffer (the IOTLB not yet invalidated), against the
# delay. Reads window.csv (mode,group,delay_us,reads,reached).
#
# usage: gnuplot -e "in='window.csv'; out='window.png'" plots/window.gp
# optional: modes='...'
if (!exists("in")) in = "window.csv"
if (!exists("out")) out = "window.svg"
here = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { here = ARG0[1:i - 1]; break } }
load here . "/common.gp"

set title "Window after unmap: reads of the old IOVA that still reached the buffer (% of reads), per mode; strict must stay at 0" font ",12"
set xlabel "delay after the unmap (us)"
set ylabel "reads that reached the buffer (%)"
set yrange [-5:105]
set logscale x 10
set xrange [50:*]
set key top right
cmd = "plot "
do for [i = 1:words(modes)] {
	cmd = cmd . sprintf("in using (column('delay_us') > 0 ? column('delay_us') : 50):(strcol('mode') eq '%s' ? 100.0 * column('reached') / column('reads') : NaN) with linespoints lt %d title '%s (delay 0 at 50)', ", word(modes, i), i, word(modes, i))
}
eval cmd[1:strlen(cmd) - 2]
