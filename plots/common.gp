# plots/common.gp: what every dmastress plot shares; the other scripts load
# it. The terminal follows the suffix of out: .png (pngcairo) or .svg.
# Binary units on size axes, the unit in every label, noenhanced text so
# that column names such as p99_ns print as they are.
if (!exists("width")) width = 1500
if (!exists("height")) height = 900
if (out[strlen(out) - 3:] eq ".png") {
	set terminal pngcairo size width, height noenhanced font "sans,10"
} else {
	set terminal svg size width, height dynamic noenhanced font "sans,10"
}
set output out
set datafile separator ","
set datafile columnheaders
set grid
set key noautotitle top left
# lib("FUNCTION ARGS"): what scripts/lib.sh prints (the modes table, the
# CLI's name lists), for the defaults of a plot run alone.
lib(args) = system("'" . here . "/../scripts/lib.sh' " . args)
# The modes in the order they ran, as the scripts pass them (modes='...');
# alone, the default of bench/matrix: the set primary of scripts/modes.
if (!exists("modes")) modes = lib("modes_names primary")
if (words(modes) == 0) { exit error "plots: no modes: pass modes='...' (bench/report does)" }
# The plots with a panel per path take paths='...' (bench/report passes
# `dmastress info --list paths`); alone, they eval paths_default.
paths_default = "if (!exists('paths')) { paths = lib('ds_list paths') }; " . \
	"if (words(paths) == 0) { exit error 'plots: no paths: pass paths=... (bench/report does)' }"
# One colour per mode position, the same in every plot.
set linetype 1 lc rgb "#000000" lw 2 pt 7 ps 0.6
set linetype 2 lc rgb "#1f77b4" lw 2 pt 5 ps 0.6
set linetype 3 lc rgb "#2ca02c" lw 2 pt 9 ps 0.7
set linetype 4 lc rgb "#ff7f0e" lw 2 pt 11 ps 0.7
set linetype 5 lc rgb "#d62728" lw 2 pt 13 ps 0.7
set linetype 6 lc rgb "#9467bd" lw 2 pt 15 ps 0.7
set linetype 7 lc rgb "#8c564b" lw 2 pt 4 ps 0.7
set linetype 8 lc rgb "#e377c2" lw 2 pt 6 ps 0.7
set linetype 9 lc rgb "#7f7f7f" lw 2 pt 8 ps 0.7
set linetype cycle 9
# Panels of a multiplot: columns and rows for n panels.
mp_cols(n) = n <= 3 ? n : (n <= 4 ? 2 : (n <= 6 ? 3 : (n <= 8 ? 4 : 5)))
mp_rows(n) = int((n + mp_cols(n) - 1) / mp_cols(n))
# Position of word w in list l (0: absent).
word_index(l, w) = sum [i = 1:words(l)] (word(l, i) eq w ? i : 0)
# An empty panel that says so, instead of gnuplot's "no valid points" error.
no_data = "unset logscale; set offsets 0, 0, 0, 0; set xtics norotate; unset xtics; unset ytics; set xrange [0:1]; set yrange [0:1]; set label 99 'no data (skipped or not run)' at 0.5, 0.5 center; plot 2 notitle; unset label 99; set xtics; set ytics; set autoscale"
# "p99_ns" -> "p99": a statistic's name without its unit.
stat_name(s) = s[strlen(s) - 2:] eq "_ns" ? s[1:strlen(s) - 3] : s
# Size axes: log 2, a tic every factor of 4 with its binary unit (gnuplot's
# "%.0b%B" prints "ki" and rounds 1 MiB to "1023ki" on log axes).
size_axis = "set logscale x 2; set xtics (\"1KiB\" 1024, \"4KiB\" 4096, \"16KiB\" 16384, \"64KiB\" 65536, \"256KiB\" 262144, \"1MiB\" 1048576, \"4MiB\" 4194304, \"16MiB\" 16777216, \"64MiB\" 67108864, \"256MiB\" 268435456, \"1GiB\" 1073741824); set mxtics 2; set xtics rotate by 35 right; set offsets graph 0.04, graph 0.04, 0, 0"
# "4KiB", "1MiB", "1GiB": a size in bytes with its binary unit.
size_label(x) = x >= 1073741824 ? sprintf("%gGiB", x / 1073741824.0) : \
	(x >= 1048576 ? sprintf("%gMiB", x / 1048576.0) : \
	(x >= 1024 ? sprintf("%gKiB", x / 1024.0) : sprintf("%gB", x)))
# The key: in the first panel of a multiplot only, small, over the lines.
panel_key(first) = first ? "set key top left opaque box samplen 2 spacing 0.9 font ',9'" : "unset key"
# Numbers written to a datablock with "with table" lose digits (%g, so
# 1048576 becomes 1.04858e+06): write them as strings instead.
num(x) = sprintf("%.10g", x)
