# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench/lib.sh: host-side helpers shared by bench/matrix, bench/anchor,
# bench/report and bench/compare (sourced, not run), with those of
# scripts/lib.sh (the modes table: modes_names, mode_check...; ds_list).

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
guest_bin=$top/build/guest-bin
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

# Human-readable duration of $1 seconds: 75 -> 1m15s.
fmt_s() {
	local s=${1%.*}
	[ -n "$s" ] || s=0
	if [ "$s" -ge 60 ]; then
		printf '%dm%02ds' $((s / 60)) $((s % 60))
	else
		printf '%ds' "$s"
	fi
}

# Static helpers for the guest, in build/guest-bin (scripts/initramfs copies
# them to the guest's /usr/bin): memcpy_bw, and dma_map_benchmark built from
# the kernel's own selftest source when that source is unpacked.
build_guest_bins() {
	local ksrc=${KSRC:-$top/build/linux-source-6.12} tmp
	mkdir -p "$guest_bin"
	if [ ! -x "$guest_bin/memcpy_bw" ] || [ "$top/bench/memcpy_bw.c" -nt "$guest_bin/memcpy_bw" ]; then
		gcc -static -O2 -Wall -Wextra -o "$guest_bin/memcpy_bw" "$top/bench/memcpy_bw.c" || return 1
	fi
	# tools/dma/ since 7.0 (with its scatter-gather mode), before that
	# tools/testing/selftests/dma/; the newer one also runs single mode on
	# an older kernel (map_mode 0 is the old struct's first spare byte)
	local mb=$ksrc/tools/dma/dma_map_benchmark.c hdr=$ksrc/include/uapi/linux/map_benchmark.h
	if [ ! -f "$mb" ]; then
		mb=$ksrc/tools/testing/selftests/dma/dma_map_benchmark.c
		hdr=$ksrc/include/linux/map_benchmark.h
	fi
	if [ -f "$mb" ] && { [ ! -x "$guest_bin/dma_map_benchmark" ] || [ "$mb" -nt "$guest_bin/dma_map_benchmark" ] ||
		! cmp -s "$mb" "$guest_bin/.dma_map_benchmark.c"; }; then
		# The tool includes <linux/map_benchmark.h> (a kernel-internal
		# header before 7.0): give it that one file, and the libc's UAPI
		# headers.
		tmp=$(mktemp -d)
		mkdir -p "$tmp/linux"
		cp "$hdr" "$tmp/linux/"
		gcc -static -O2 -I"$tmp" -o "$guest_bin/dma_map_benchmark" "$mb" || { rm -rf "$tmp"; return 1; }
		cp "$mb" "$guest_bin/.dma_map_benchmark.c"
		rm -rf "$tmp"
	fi
}

# Concatenate CSV files $2.. into $1, keeping the first header only.
cat_csv() {
	local dst=$1 f first=1
	shift
	: > "$dst"
	for f in "$@"; do
		[ -s "$f" ] || continue
		if [ "$first" = 1 ]; then
			cat "$f" >> "$dst"
			first=0
		else
			sed 1d "$f" >> "$dst"
		fi
	done
}

# csv_awk [-v VAR=VALUE...] PROGRAM FILE...: awk over CSV files that start
# with a header row, every column read by its name: col("mean_ns") ("" where
# a file has no such column). The header rows reach no rule of PROGRAM.
csv_awk() {
	local opts=()
	while [ "$1" = -v ]; do
		opts+=("$1" "$2")
		shift 2
	done
	local prog=$1
	shift
	awk -F, ${opts[@]+"${opts[@]}"} '
	function col(name) { return (name in csv_idx) ? $(csv_idx[name]) : "" }
	FNR == 1 { split("", csv_idx); for (csv_i = 1; csv_i <= NF; csv_i++) csv_idx[$csv_i] = csv_i; next }
	'"$prog" "$@"
}
