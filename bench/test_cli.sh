#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# test_cli.sh - host test of the dmastress CLI against the mock device of
# test_mock.c ("make -C bench check"): argument validation (exit 2), output
# formats (table, CSV with header and labels, JSON checked with jq), the
# percentiles of known samples, skip and failure exit codes, and the KTAP
# of selfcheck. Prints KTAP; exits 1 when a check fails.
#
# usage: test_cli.sh [PATH-TO-dmastress-mock]
#
# Conditions are single-quoted on purpose: check() evaluates them later.
# shellcheck disable=SC2016

bin=${1:-./dmastress-mock}
dev=/dev/dmastress-mock
n=0
failed=0
out=$(mktemp) || exit 1
err=$(mktemp) || exit 1
trap 'rm -f "$out" "$err"' EXIT

# check DESCRIPTION EXPECTED-EXIT [CONDITION...]: run $cmd with the mock
# outcome $mock (both set by the caller; $mock is reset afterwards), compare
# its exit code, then evaluate each CONDITION with $1 = stdout, $2 = stderr.
check() {
	desc=$1 want=$2
	shift 2
	n=$((n + 1))
	# shellcheck disable=SC2086 # $cmd is split into words on purpose
	DMASTRESS_MOCK=${mock:-ok} $bin $cmd >"$out" 2>"$err"
	rc=$?
	ok=1
	if [ "$rc" != "$want" ]; then
		echo "# exit $rc, expected $want; stderr: $(head -c 300 "$err")"
		ok=0
	fi
	for cond in "$@"; do
		if ! sh -c "$cond" -- "$out" "$err"; then
			echo "# failed: $cond"
			ok=0
		fi
	done
	if [ $ok = 1 ]; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		failed=$((failed + 1))
	fi
	mock=
}

# result DESCRIPTION STATUS: the KTAP line of a check made by hand (STATUS 0:
# passed), for loops over many commands.
result() {
	n=$((n + 1))
	if [ "$2" = 0 ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		failed=$((failed + 1))
	fi
}

run="run --device $dev --path sg --engine cpu --dir bidi --size 64K --iterations 200"

echo "KTAP version 1"
echo "1..36"

cmd="info --device $dev"
check "info text" 0 \
	'grep -q "^bdf  *0000:00:04.0$" "$1"' \
	'grep -q "^group_type  *DMA-FQ$" "$1"' \
	'grep -q "^dma_mask  *0xffffffffffffffff (64 bits)$" "$1"' \
	'grep -q "^coherent_dma_mask  *0xffffffff (32 bits)$" "$1"' \
	'grep -q "^timer_overhead_ps  *21345$" "$1"' \
	'grep -q "^engine_max_xfer_bytes  *edu:2048,cpu:1048576$" "$1"' \
	'grep -q "^peer_window_bytes  *16777216$" "$1"' \
	'test "$(wc -l <"$1")" -eq 30'

cmd="info --device $dev --format json"
check "info json" 0 \
	'jq -e ".bdf == \"0000:00:04.0\" and .group_type == \"DMA-FQ\" and .max_seg_size_bytes == 65536 and .engines == [\"edu\",\"cpu\"] and .swiotlb_active and (.pfn_pitfall | not) and .timer_overhead_ns == 21 and .engine_max_xfer_bytes.edu == 2048 and .engine_max_xfer_bytes.cpu == 1048576" "$1" >/dev/null'

cmd="info --device /dev/dmastress-none"
check "info without a device exits 4" 4 'grep -q "cannot open" "$2"'

# --list never opens the device: the default one does not exist here.
list_rc=0
for kl in "paths:coherent pool single page sg sgtable resource pages noncoherent noncontig phys iova p2pdma" \
	"engines:edu cpu nvme" "dirs:bidi to from" \
	"group-types:none identity DMA DMA-FQ blocked" \
	"attrs:wc nokmap contig managed mmio skipsync single-pages nowarn weak minalign node" \
	"result-flags:iova-linked phys-fallback no-unmap bounced nvme-prp nvme-sgl" \
	"phases:map sync_for_device xfer sync_for_cpu unmap e2e cmd"; do
	kind=${kl%%:*}
	got=$($bin info --list "$kind" 2>"$err")
	rc=$?
	if [ "$rc" != 0 ] || [ "$got" != "${kl#*:}" ] || [ -s "$err" ]; then
		echo "# info --list $kind: exit $rc, got '$got'"
		list_rc=1
	fi
done
result "info --list prints each UAPI list without a device" $list_rc

cmd="info --device /dev/dmastress-none --list modes"
check "info --list with an unknown kind exits 2" 2 \
	'test ! -s "$1"' 'grep -q "unknown kind .modes." "$2"' \
	'grep -q "group-types" "$2"'

cmd="$run --seed 7"
check "run table" 0 \
	'grep -q "seed=0x00000007" "$1"' \
	'test "$(grep -c -E "^(map|sync_for_device|xfer|sync_for_cpu|unmap|e2e) " "$1")" -eq 6' \
	'grep -q "^mismatches  *0$" "$1"' \
	'grep -q "^bw_mib_s  *62500.000$" "$1"'

cols="mode,rep,path,engine,dir,size_bytes,nents,threads,phase,count,mean_ns,p50_ns,p90_ns,p99_ns,p999_ns,min_ns,max_ns,ops,bytes,elapsed_ns,bw_mib_s,mismatches,device_faults,map_errors,mb_mean_ns,mapped_by"
cmd="$run --format csv --header --label mode=strict,rep=1"
check "run csv with header and labels" 0 \
	"test \"\$(head -1 \"\$1\")\" = $cols" \
	'test "$(wc -l <"$1")" -eq 8' \
	'test "$(awk -F, "{print NF}" "$1" | sort -u)" = 26' \
	'grep -q "^strict,1,sg,cpu,bidi,65536,0,1,map,200,124.5," "$1"' \
	'grep -q "^strict,1,sg,cpu,bidi,65536,0,1,map,.*,100,none$" "$1"'

cmd="$run --format csv --header --device $dev"
check "run on two devices: a device column, one header, both results" 0 \
	'test "$(head -1 "$1" | cut -d, -f1)" = device' \
	'test "$(wc -l <"$1")" -eq 15' \
	'test "$(grep -c "^dmastress-mock,sg,cpu,bidi,65536" "$1")" -eq 14'

cmd="$run --format csv --device $dev --device $dev --device $dev --device $dev --device $dev --device $dev --device $dev --device $dev"
check "run on nine devices exits 2" 2 'grep -q "at most 8 devices" "$2"'

cmd="$run --format csv --batch 8"
check "run csv with batch has a batch row, no header" 0 \
	'test "$(wc -l <"$1")" -eq 8' \
	'grep -q ",batch,200,824.5,.*,800,849," "$1"' \
	'! grep -q "^path" "$1"'

cmd="$run --format json --label mode=strict"
check "run json" 0 \
	'jq -e ".labels.mode == \"strict\" and .status == 0 and .ops == 200 and .bytes == 13107200 and .params.size_bytes == 65536 and .first_mismatch == null and .sample_dma_addr == \"0xfffff000\"" "$1" >/dev/null' \
	'jq -e ".phases | keys | length == 7" "$1" >/dev/null' \
	'jq -e "(.bytes / 1048576 / (.elapsed_ns / 1e9) - .bw_mib_s) | (. < 0.001 and . > -0.001)" "$1" >/dev/null' \
	'jq -e ".phases.xfer.min_ns == 300 and .phases.xfer.max_ns == 349 and .phases.xfer.mean_ns == 324.5" "$1" >/dev/null' \
	'jq -e "[.phases[] | (.min_ns <= .p50_ns and .p50_ns <= .p90_ns and .p90_ns <= .p99_ns and .p99_ns <= .p999_ns and .p999_ns <= .max_ns)] | all" "$1" >/dev/null' \
	'jq -e ".phases.map.p50_ns >= 123 and .phases.map.p50_ns <= 126 and .phases.map.p99_ns >= 147 and .phases.map.p99_ns <= 149" "$1" >/dev/null'

cmd="run --device $dev --path sg --engine cpu --dir bidi --size 64K --format json --seconds 2 --threads 4"
check "run json --seconds" 0 \
	'jq -e ".params.seconds == 2 and .params.iterations == 0 and .params.threads == 4 and .ops == 80" "$1" >/dev/null'

cmd="run --device $dev --path sg --engine cpu --dir bidi --size 64K --format json"
check "run json: 100 iterations by default" 0 \
	'jq -e ".params.iterations == 100 and .params.seconds == 0 and .ops == 100" "$1" >/dev/null'

mock=skip; cmd="$run"
check "kernel skip prints the reason, exits 4" 4 \
	'test "$(cat "$1")" = "skip: mock: no MMIO resource"'

mock=mismatch; cmd="$run --format json"
check "mismatches exit 1 and are reported" 1 \
	'jq -e ".mismatches == 3 and .first_mismatch.offset_bytes == 17 and .first_mismatch.expected == 165" "$1" >/dev/null' \
	'grep -q "mismatches=3 first_mismatch_offset=17" "$2"'

mock=status; cmd="$run"
check "nonzero status exits 1" 1 'grep -q "status -5" "$2"'

mock=einval; cmd="$run"
check "kernel EINVAL exits 2" 2 'grep -q "refused" "$2"'

bad_rc=0
for bad in "--size 0" "--size 2G" "--size 1.5K" "--size 4KB" "--threads 0" \
	"--threads 65" "--iterations 0" "--iterations 5 --seconds 5" \
	"--mask-bits 65" "--offset 4096" "--batch 0" "--nents 16 --size 8" \
	"--seed -1" "--pool-align 64" "--dir sideways" "--engine gpu" \
	"--threads 2 --iterations 4294967296" \
	"--batch 4096 --size 1 --iterations 1048576"; do
	# shellcheck disable=SC2086 # split on purpose
	DMASTRESS_MOCK=ok $bin run --device $dev --path sg --engine cpu \
		--dir to --size 4K $bad >"$out" 2>"$err"
	rc=$?
	if [ "$rc" != 2 ] || [ ! -s "$err" ]; then
		echo "# run ... $bad: exit $rc, expected 2 with a message"
		bad_rc=1
	fi
done
result "out-of-range arguments exit 2 with a message" $bad_rc

cmd="run --device $dev --path coherent --engine cpu --dir to --size 4K --attrs wc,contig --format json"
check "coherent attrs" 0 'jq -e ".params.attrs == [\"wc\",\"contig\"]" "$1" >/dev/null'

cmd="run --device $dev --path single --engine cpu --dir to --size 4K --label a=b"
check "labels refused with table" 2

cmd="run --device $dev --path single --engine cpu --dir to --size 4K --format csv --label path=x"
check "a label cannot shadow a column" 2

cmd="selfcheck --device $dev --seed 1"
check "selfcheck passes, skips resource with the kernel's reason" 0 \
	'test "$(head -1 "$1")" = "KTAP version 1"' \
	'grep -q "^1\.\.306$" "$1"' \
	'grep -q "^# group_type=DMA-FQ$" "$1"' \
	'grep -q "^# swiotlb_active=1$" "$1"' \
	'test "$(grep -c -E "^(not )?ok [0-9]+ - " "$1")" -eq 306' \
	'grep -q "^ok [0-9]* - resource to 1 # SKIP mock: no MMIO resource$" "$1"' \
	'grep -q "^ok [0-9]* - sg bidi 1048576 nents=512$" "$1"' \
	'grep -q "^ok [0-9]* - noncontig from 4194304$" "$1"' \
	'test "$(tail -1 "$1")" = "selfcheck: 288 passed, 0 failed, 18 skipped"'

cmd="selfcheck --device $dev --engine edu"
check "selfcheck edu has no 4 MiB cases" 0 \
	'grep -q "^1\.\.261$" "$1"' '! grep -q " 4194304" "$1"'

cmd="selfcheck --device $dev --quick"
check "selfcheck --quick" 0 \
	'grep -q "^1\.\.132$" "$1"' '! grep -q nents= "$1"'

mock=mismatch; cmd="selfcheck --device $dev --quick"
check "selfcheck failures exit 1" 1 \
	'grep -q "^not ok 1 - coherent to 1$" "$1"' \
	'grep -q "^# coherent to 1: mismatches=3 first_mismatch_offset=17" "$1"' \
	'test "$(tail -1 "$1")" = "selfcheck: 0 passed, 123 failed, 9 skipped"'

mock=noreason; cmd="selfcheck --device $dev --quick"
check "a skip without the kernel's reason fails" 1 \
	'grep -q "skipped without a skip_reason" "$1"'

mock=skip; cmd="selfcheck --device $dev --quick"
check "all skipped exits 4" 4 \
	'test "$(tail -1 "$1")" = "selfcheck: 0 passed, 0 failed, 132 skipped"'

cmd="selfcheck --device /dev/dmastress-none"
check "selfcheck without a device exits 4" 4 'grep -q "^1\.\.0 # SKIP" "$1"'

cmd="frobnicate"
check "unknown command exits 2" 2

json=$(mktemp) || exit 1
cmd="stress --device $dev --iterations 5 --rounds 2 --seed 7 --json $json"
check "stress: seed first, per-path KTAP, JSON" 0 \
	'test "$(head -c 25 "$1")" = "# stress seed=0x00000007 "' \
	'grep -q "^ok 7 resource # SKIP mock: no MMIO resource$" "$1"' \
	'test "$(tail -1 "$1")" = "stress: 13 passed, 0 failed, 1 skipped"' \
	"jq -e '.seed == 7 and .paths.sg.ops == 20 and .paths.resource.skip != null' $json >/dev/null"

mock=mismatch; cmd="stress --device $dev --iterations 5 --seed 7"
check "stress: mismatches fail the path, exit 1" 1 \
	'grep -q "^not ok 1 coherent # data, device-fault" "$1"' \
	'test "$(tail -1 "$1")" = "stress: 1 passed, 12 failed, 1 skipped"'

cmd="stress --device $dev --seconds 1 --iterations 1"
check "stress: --seconds and --iterations exclude each other" 2

cmd="misuse --device $dev --class nosuch"
check "misuse: unknown class exits 2" 2

cmd="misuse --device $dev"
check "misuse without DMA_API_DEBUG here exits 4" 4 'grep -q "^skip: " "$1"'

cmd="failnth --device $dev --paths sg,nosuch"
check "failnth: unknown path exits 2" 2
rm -f "$json"

# bench/run checks --device before it touches sysfs: a path or a malformed
# address is refused (exit 2), nothing created.
bad_rc=0
for bdf in ../../../dev/sda 0000:00:1f.2x 0:0:1.0 "0000:00:02.0 x"; do
	d=$(mktemp -d) || exit 1
	./run --device "$bdf" --out "$d/out" >/dev/null 2>"$err"
	rc=$?
	if [ "$rc" != 2 ] || [ -e "$d/out" ] || ! grep -q "takes a PCI address" "$err"; then
		echo "# bench/run --device '$bdf': exit $rc"
		bad_rc=1
	fi
	rm -rf "$d"
done
result "bench/run refuses a --device that is not a PCI address" $bad_rc

echo "# Totals: pass:$((n - failed)) fail:$failed"
[ "$failed" = 0 ]
