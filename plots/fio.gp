# plots/fio.gp: fio IOPS and p99 completion latency per job, one bar per
# mode (boots, then the lazy boot's same-boot group types). Reads fio.csv.
#
# usage: gnuplot -e "in='fio.csv'; out='fio.png'" plots/fio.gp
# optional: modes='nommu ... lazy@identity ...', jobs='...'
if (!exists("in")) in = "fio.csv"
if (!exists("out")) out = "fio.svg"
if (!exists("jobs")) jobs = "randread-4k-qd1 randread-4k-qd32 seqread-128k"
if (!exists("width")) width = 1400
if (!exists("height")) height = 600
here = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { here = ARG0[1:i - 1]; break } }
load here . "/common.gp"

nm = words(modes)
bw = 0.8 / nm
# x of mode i's bar in job j's group
bar_x(j, i) = j + (i - (nm + 1) / 2.0) * bw
set style fill solid 0.8 border -1
set boxwidth bw absolute
set xrange [0.4:words(jobs) + 0.6]
set yrange [0:*]
set key outside right top vertical
xt = "set xtics ("
do for [j = 1:words(jobs)] { xt = xt . sprintf("'%s' %d, ", word(jobs, j), j) }
eval xt[1:strlen(xt) - 2] . ")"
set xtics scale 0

set multiplot layout 1, 2 title "fio against the guest's NVMe (QEMU nvme on null-co://), direct=1: one bar per mode" font ",12"
do for [metric in "iops clat_p99_us"] {
	set datafile columnheaders
	set title metric eq "iops" ? "I/O operations per second (IOPS), higher is better" : "completion latency p99 (us), lower is better"
	set ylabel metric eq "iops" ? "IOPS (1/s)" : "clat p99 (us)"
	set xlabel "fio job"
	plot for [i = 1:nm] in using (bar_x(word_index(jobs, strcol("job")), i)):(strcol("mode") eq word(modes, i) ? column(metric) : NaN) \
		with boxes lt i title word(modes, i)
}
unset multiplot
