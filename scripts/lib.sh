#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# scripts/lib.sh: helpers of the host scripts, sourced (scripts/vm,
# scripts/kunit, scripts/selftests, scripts/soak, scripts/check, and through
# bench/lib.sh the bench scripts); the one reader of the modes table
# (scripts/modes) and of the CLI's name lists. Run as
#   scripts/lib.sh FUNCTION [ARG...]
# it calls one of them (plots/common.gp does, for its defaults).
#
# The modes table (its syntax is in its header comment):
#   modes_names [SET]   the mode names in file order, space-separated on one
#                       line: every mode, or those of SET in the set's order
#                       ("all" is every mode)
#   modes_sets          the set names, "all" first
#   mode_exists MODE    true when MODE is a mode of the table (quiet)
#   mode_check MODE     the same, with an error on stderr when it is not
#   mode_field MODE N   field N (1..8) of MODE's line, empty when absent
#   mode_qemu MODE      its QEMU arguments (field 2)
#   mode_cmdline MODE   its kernel command line (field 3)
#   mode_group MODE     the group type the edu device must show (field 4)
#   mode_why MODE       why the boot cannot give that group type here (5)
#   mode_sysfs MODE     "sysfs" when the guest switches the group (field 6)
#   mode_config MODE    the kernel config fragment the mode boots (field 7)
#   mode_property MODE  what scripts/vm checks the mode gives (field 8)
# An unknown mode or set, and a malformed table, print an error on stderr
# ("PROG: unknown mode 'x' (see scripts/modes: nommu swiotlb ...)") and
# return 2. DMASTRESS_MODES=FILE reads another table (for tests).
#
# The kernels table (scripts/kernels, its syntax in its header comment):
#   kernels_names [SET] the kernel names in file order (or those of SET)
#   kernel_name K       K's table name (an alias resolved); error and 2 when
#                       K is neither a kernel nor an alias
#   kernel_field K N    field N (1..4) of K's line
# DMASTRESS_KERNELS=FILE reads another table (for tests).
#
# Debian's mirror through a private apt configuration under build/apt (Debian
# 12's and 13's suites; the host's sources and state stay as they are):
#   apt_ready           write the sources and update the lists, once
#   apt_get ARGS...     apt-get with it (download), apt_cache ARGS... apt-cache
# DEBIAN_MIRROR and DEBIAN_SECURITY override the mirror.
#
# Kernel logs:
#   kernel_warn_re      an extended regex of a WARN() splat or a lockdep
#                       report: "WARNING: " where a line begins (after its
#                       timestamp), as 6.x writes a WARN ("WARNING: CPU: 1
#                       PID: 2 at FILE:LINE FUNC"), 7.x ("WARNING: FILE:LINE
#                       at FUNC, CPU#1: COMM/PID") and lockdep its reports
#                       ("WARNING: possible circular locking dependency
#                       detected"); not a boot notice with "WARNING:" inside
#                       its line ("Speculative Return Stack Overflow: WARNING:")
#
# The CLI's name lists:
#   ds_list KIND        `dmastress info --list KIND` (paths, engines, dirs,
#                       group-types, attrs, phases) of bench/dmastress,
#                       built first (make -s -C bench, under the guest files'
#                       lock; when that fails, the one built before): the
#                       names space-separated on one line

lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lib_top=$(cd "$lib_dir/.." && pwd)
modes_file=${DMASTRESS_MODES:-$lib_dir/modes}
modes_shown=scripts/modes
[ "$modes_file" = "$lib_dir/modes" ] || modes_shown=$modes_file

kernels_file=${DMASTRESS_KERNELS:-$lib_dir/kernels}

# shellcheck disable=SC2034 # used by the scripts that source this file
kernel_warn_re='^(\[ *[0-9]+\.[0-9]+\] )?WARNING: '

# The program name of error messages: "vm" for scripts/vm.
lib_prog() {
	local p=${0##*/}
	[ "$p" = lib.sh ] && p=lib
	echo "$p"
}

# _modes_awk ACTION [ARG1 [ARG2]]: the parser. Checks the whole table, then
# answers ACTION: names (ARG1: a set, or empty), sets, exists (ARG1: a
# mode; exit 1 when absent), field (ARG1: mode, ARG2: N).
_modes_awk() {
	[ -r "$modes_file" ] || { echo "$(lib_prog): no modes table $modes_file" >&2; return 2; }
	awk -F'|' -v act="$1" -v a1="${2-}" -v a2="${3-}" -v file="$modes_shown" -v prog="$(lib_prog)" '
	function bad(msg) { printf "%s: %s:%d: %s\n", prog, file, FNR, msg > "/dev/stderr"; err = 1 }
	/^[ \t]*(#|$)/ { next }
	/^@/ {
		sub(/[ \t]+$/, "")
		nw = split($0, w, /[ \t]+/)
		if (w[1] != "@set") { bad("unknown directive " w[1]); next }
		if (nw < 3 || w[2] !~ /^[A-Za-z0-9_-]+$/) { bad("@set takes a NAME and one or more modes"); next }
		if (w[2] == "all") { bad("set all is every mode: it is not defined with @set"); next }
		if (w[2] in members) { bad("set " w[2] " defined twice"); next }
		sets[++nsets] = w[2]
		members[w[2]] = ""
		for (i = 3; i <= nw; i++) {
			members[w[2]] = members[w[2]] (i > 3 ? " " : "") w[i]
			ref[w[2] SUBSEP w[i]] = FNR
		}
		next
	}
	{
		if ($1 !~ /^[a-z0-9-]+$/) { bad("bad mode name \"" $1 "\""); next }
		if (NF < 4 || NF > 8) { bad("mode " $1 ": " NF " fields, not 4 to 8"); next }
		if (NF >= 7 && $7 != "" && $7 !~ /^[a-z0-9-]+$/) { bad("mode " $1 ": bad config name \"" $7 "\""); next }
		if (NF == 8 && $8 != "iova-above-4g" && $8 != "scalable") { bad("mode " $1 ": eighth field \"" $8 "\", not iova-above-4g or scalable"); next }
		if (NF >= 6 && $6 != "sysfs" && $6 != "") { bad("mode " $1 ": sixth field \"" $6 "\", not sysfs"); next }
		if (NF >= 6 && $6 == "sysfs" && $5 == "") { bad("mode " $1 ": sysfs without the fifth field"); next }
		if ($1 in line) { bad("mode " $1 " defined twice"); next }
		modes[++nmodes] = $1
		line[$1] = $0
		if (NF >= 7 && $7 != "") cfgmode[$1] = 1
	}
	END {
		for (k in ref) {
			split(k, sm, SUBSEP)
			if (!(sm[2] in line)) {
				printf "%s: %s:%d: set %s: unknown mode %s\n", prog, file, ref[k], sm[1], sm[2] > "/dev/stderr"
				err = 1
			}
		}
		if (!nmodes) { printf "%s: %s: no modes\n", prog, file > "/dev/stderr"; err = 1 }
		if (err) exit 2
		# "all": the modes of the kernel asked for (config modes boot others)
		all = ""
		for (i = 1; i <= nmodes; i++)
			if (!(modes[i] in cfgmode)) all = all (all != "" ? " " : "") modes[i]
		if (act == "names") {
			if (a1 == "" || a1 == "all") { print all; exit 0 }
			if (!(a1 in members)) {
				s = "all"
				for (i = 1; i <= nsets; i++) s = s " " sets[i]
				printf "%s: unknown mode set \047%s\047 (see %s: %s)\n", prog, a1, file, s > "/dev/stderr"
				exit 2
			}
			print members[a1]
		} else if (act == "sets") {
			s = "all"
			for (i = 1; i <= nsets; i++) s = s " " sets[i]
			print s
		} else if (act == "exists") {
			exit (a1 in line) ? 0 : 1
		} else if (act == "field") {
			if (!(a1 in line)) {
				printf "%s: unknown mode \047%s\047 (see %s: %s)\n", prog, a1, file, all > "/dev/stderr"
				exit 2
			}
			if (a2 !~ /^[1-8]$/) { printf "%s: mode_field: no field \"%s\" (1..8)\n", prog, a2 > "/dev/stderr"; exit 2 }
			split(line[a1], f, "|")
			print f[a2]
		}
	}' "$modes_file"
}

modes_names() {
	_modes_awk names "${1-}"
}

modes_sets() {
	_modes_awk sets
}

mode_exists() {
	_modes_awk exists "$1"
}

mode_check() {
	local rc=0
	_modes_awk exists "$1" || rc=$?
	if [ "$rc" = 1 ]; then
		echo "$(lib_prog): unknown mode '$1' (see $modes_shown: $(modes_names all))" >&2
		return 2
	fi
	return "$rc"
}

mode_field() {
	_modes_awk field "$1" "$2"
}

mode_qemu() {
	mode_field "$1" 2
}

mode_cmdline() {
	mode_field "$1" 3
}

mode_group() {
	mode_field "$1" 4
}

mode_why() {
	mode_field "$1" 5
}

mode_sysfs() {
	mode_field "$1" 6
}

mode_config() {
	mode_field "$1" 7
}

mode_property() {
	mode_field "$1" 8
}

# _kernels_awk ACTION [ARG1 [ARG2]]: the kernels table's parser. Checks the
# table, then answers ACTION: names (ARG1: a set or empty), name (ARG1: a
# kernel or alias), field (ARG1: kernel or alias, ARG2: N).
_kernels_awk() {
	[ -r "$kernels_file" ] || { echo "$(lib_prog): no kernels table $kernels_file" >&2; return 2; }
	awk -F'|' -v act="$1" -v a1="${2-}" -v a2="${3-}" -v file="$kernels_file" -v prog="$(lib_prog)" '
	function bad(msg) { printf "%s: %s:%d: %s\n", prog, file, FNR, msg > "/dev/stderr"; err = 1 }
	/^[ \t]*(#|$)/ { next }
	/^@/ {
		sub(/[ \t]+$/, "")
		nw = split($0, w, /[ \t]+/)
		if (w[1] == "@alias" && nw == 3) { alias[w[2]] = w[3]; aline[w[2]] = FNR; next }
		if (w[1] == "@set" && nw >= 3) {
			s = ""
			for (i = 3; i <= nw; i++) { s = s (i > 3 ? " " : "") w[i]; sref[w[i]] = FNR }
			members[w[2]] = s
			next
		}
		bad("expected @alias NAME KERNEL or @set NAME KERNEL...")
		next
	}
	{
		if ($1 !~ /^[a-z0-9.-]+$/) { bad("bad kernel name \"" $1 "\""); next }
		if (NF != 4) { bad("kernel " $1 ": " NF " fields, not 4"); next }
		if ($2 != "distro" && $2 != "test") { bad("kernel " $1 ": kind \"" $2 "\", not distro or test"); next }
		if ($4 != "host" && $4 != "trixie") { bad("kernel " $1 ": compiler \"" $4 "\", not host or trixie"); next }
		if ($1 in line) { bad("kernel " $1 " defined twice"); next }
		names[++n] = $1
		line[$1] = $0
	}
	END {
		for (a in alias) if (!(alias[a] in line)) { printf "%s: %s:%d: alias %s: unknown kernel %s\n", prog, file, aline[a], a, alias[a] > "/dev/stderr"; err = 1 }
		for (k in sref) if (!(k in line)) { printf "%s: %s:%d: set: unknown kernel %s\n", prog, file, sref[k], k > "/dev/stderr"; err = 1 }
		if (err) exit 2
		all = ""
		for (i = 1; i <= n; i++) all = all (i > 1 ? " " : "") names[i]
		if (act == "names") {
			if (a1 == "" || a1 == "all") { print all; exit 0 }
			if (!(a1 in members)) { printf "%s: unknown kernel set \047%s\047 (see %s)\n", prog, a1, file > "/dev/stderr"; exit 2 }
			print members[a1]
			exit 0
		}
		k = (a1 in alias) ? alias[a1] : a1
		if (!(k in line)) {
			al = ""
			for (a in alias) al = al " " a
			printf "%s: unknown kernel \047%s\047: the kernels are %s (aliases:%s), a config kernel VERSION+CONFIG (scripts/configs), or the path of a built kernel tree\n", prog, a1, all, al > "/dev/stderr"
			exit 2
		}
		if (act == "name") { print k; exit 0 }
		if (a2 !~ /^[1-4]$/) { printf "%s: kernel_field: no field \"%s\" (1..4)\n", prog, a2 > "/dev/stderr"; exit 2 }
		split(line[k], f, "|")
		print f[a2]
	}' "$kernels_file"
}

kernels_names() {
	_kernels_awk names "${1-}"
}

kernel_name() {
	_kernels_awk name "$1"
}

kernel_field() {
	_kernels_awk field "$1" "$2"
}

# kernel_has_release K MAJOR MINOR: is kernel K (scripts/kernel) MAJOR.MINOR
# or later? Reads its release, fetching the kernel when needed.
kernel_has_release() {
	local rel maj min
	rel=$("$lib_top/scripts/kernel" release "$1" 2>/dev/null) || return 1
	maj=${rel%%.*}
	min=${rel#*.}
	min=${min%%[!0-9]*}
	[ "$maj" -gt "$2" ] || { [ "$maj" -eq "$2" ] && [ "$min" -ge "$3" ]; }
}

apt_dir=$lib_top/build/apt
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY:-http://deb.debian.org/debian-security}

# The private apt: Debian 12's and 13's suites, its own lists and cache.
apt_opts() {
	echo "-o Dir::Etc::sourcelist=$apt_dir/sources.list -o Dir::Etc::sourceparts=/dev/null" \
		"-o Dir::State::Lists=$apt_dir/lists -o Dir::Cache=$apt_dir/cache" \
		"-o Dir::State::status=/dev/null -o APT::Architecture=amd64 -q"
}

apt_ready() {
	[ -f "$apt_dir/updated" ] && return 0
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
	local kr=/usr/share/keyrings/debian-archive-keyring.gpg s
	: > "$apt_dir/sources.list"
	for s in bookworm bookworm-updates bookworm-backports trixie trixie-backports; do
		echo "deb [signed-by=$kr] $mirror $s main" >> "$apt_dir/sources.list"
	done
	for s in bookworm-security trixie-security; do
		echo "deb [signed-by=$kr] $security $s main" >> "$apt_dir/sources.list"
	done
	# shellcheck disable=SC2046 # options, word-split on purpose
	apt-get $(apt_opts) update > "$apt_dir/update.log" 2>&1 ||
		{ cat "$apt_dir/update.log" >&2; echo "$(lib_prog): apt-get update of the private sources failed" >&2; return 1; }
	touch "$apt_dir/updated"
}

# apt_get ARGS...: apt-get with the private configuration.
apt_get() {
	# shellcheck disable=SC2046
	apt-get $(apt_opts) "$@" 2>&1 | { grep -v '^W: Download is performed unsandboxed' || true; }
	return "${PIPESTATUS[0]}"
}

# apt_cache ARGS...
apt_cache() {
	# shellcheck disable=SC2046
	apt-cache $(apt_opts) "$@"
}

ds_list() {
	local cli=$lib_top/bench/dmastress
	mkdir -p "$lib_top/build"
	# other scripts build bench/ under this lock too (scripts/vm)
	if ! flock "$lib_top/build/.guest-files.lock" make -s -C "$lib_top/bench" dmastress >&2; then
		[ -x "$cli" ] || { echo "$(lib_prog): cannot build $cli" >&2; return 1; }
		echo "$(lib_prog): cannot build $cli: using the one built before" >&2
	fi
	"$cli" info --list "$1"
}

# Run as a program: call the function named by the arguments.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case "${1-}" in
	modes_names|modes_sets|mode_exists|mode_check|mode_field|mode_qemu|mode_cmdline|mode_group|mode_why|mode_sysfs|mode_config|kernels_names|kernel_name|kernel_field|ds_list)
		"$@" ;;
	*)
		echo "usage: scripts/lib.sh FUNCTION [ARG...] (see its header)" >&2
		exit 2 ;;
	esac
fi
