#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In-guest tests of lab mode (busybox sh, root, module loaded): translate,
# vmas, simulate and map on mlpt-workload, and every lab of labs/ (each
# exits non-zero when the kernel disagrees with its prediction).
# kselftest-style TAP; exit 0 iff every test passed.

MLPT=${MLPT:-/bin/mlpt}
WORKLOAD=${WORKLOAD:-/bin/mlpt-workload}
TMP=${TMPDIR:-/tmp}/mlpt-lab.$$
LABS="sparse cs332 hugepages dontneed fork levels procs waste"
# The initramfs has the labs in /bin, not where make install puts them.
export MLPT_LABS=${MLPT_LABS:-/bin}
NTESTS=24
# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

tap_begin "$NTESTS"

start_workload
# "sparse 0x...+64M dense 0x...+4M" (+1024M and +16M with 16 KiB pages)
sparse=$(sed -n 's/.*sparse \(0x[0-9a-f]*\).*/\1/p' "$TMP/workload.err")
dense=$(sed -n 's/.*dense \(0x[0-9a-f]*\).*/\1/p' "$TMP/workload.err")
[ -n "$sparse" ] && [ -n "$dense" ]
ok $? "workload started"

# translate: a written page ends in a leaf with a physical address (root)
"$MLPT" translate "$wpid" "$dense" >"$TMP/tr" 2>&1
ok $? "mlpt translate PID dense: exit 0"
grep -q "maps one $((PAGE / 1024)) KiB page" "$TMP/tr" && grep -q "^physical: pfn" "$TMP/tr"
ok $? "translate: a leaf and a physical address"
grep "^binary" "$TMP/tr" | grep -q "000000000000$"
ok $? "translate: the binary offset field of a page start is 0"
# a page of the sparse region that was never written: empty pte
"$MLPT" translate "$wpid" $((sparse + PAGE)) >"$TMP/tr2" 2>&1
grep -q "empty: nothing is mapped here" "$TMP/tr2"
ok $? "translate: an unwritten page stops at an empty entry"
"$MLPT" translate "$wpid" 0x1000 >"$TMP/tr3" 2>&1
grep -q "in no VMA" "$TMP/tr3"
ok $? "translate: an address in no VMA is not walked"

# vmas: the columns sum to the summary, sorted by cost, JSON and CSV
"$MLPT" vmas "$wpid" >"$TMP/vmas" 2>&1
ok $? "mlpt vmas PID: exit 0"
grep -q "the columns sum to it" "$TMP/vmas"
ok $? "vmas: totals equal the summary"
"$MLPT" --csv vmas "$wpid" >"$TMP/vmas.csv"
awk -F, 'NR == 2 { print $8 }' "$TMP/vmas.csv" | grep -qx 32
ok $? "vmas --csv: the sparse region (32 pte tables) comes first"
"$MLPT" --json vmas "$wpid" >"$TMP/vmas.json" &&
	json --argjson pid "$wpid" '.pid == $pid and
		.total.equals_summary == true and
		([.vmas[].pte] | add) == .total.pte' "$TMP/vmas.json"
ok $? "vmas --json: valid JSON, the rows sum to the total, equals_summary"

# simulate: the design of the machine this runs on, chosen by
# architecture, page size and address bits, has the live tree's geometry
# (address bits, page size, levels, entries of the top table), and from
# the pages pagemap lists it needs the tables the module's walk found,
# level by level (the workload has no empty tables), and their bytes.  A
# design's tables are 2^bits x 8 bytes; the kernel's pgd may be bigger
# than that: x86-64 with page-table isolation allocates 2 pages, so the
# bytes compared are the tree's with the pgd counted at the design's size.
"$MLPT" --json simulate "$wpid" >"$TMP/sim.json" 2>&1
ok $? "mlpt simulate PID: exit 0"
json '.designs[] | select(.design == "x86_32") | .bytes == null and
	.why == "address above the VA size"' "$TMP/sim.json"
ok $? "simulate: x86 32-bit is n/a for a process above 2^32"
report=/proc/mlpt/$wpid
va=$(key va-bits "$report")
psize=$(key page-size "$report")
case $(uname -m):$psize:$va in
x86_64:4096:48) design=x86_64_4 ;;
x86_64:4096:57) design=x86_64_5 ;;
aarch64:4096:48) design=arm64_4k ;;
aarch64:4096:52) design=arm64_4k_52 ;;
aarch64:16384:47) design=arm64_16k_47 ;;
aarch64:16384:52) design=arm64_16k_52 ;;
riscv64:4096:39) design=sv39 ;;
riscv64:4096:48) design=sv48 ;;
riscv64:4096:57) design=sv57 ;;
*) design=none ;;
esac
pgd_entries=$(key entries-per-table-pgd "$report")
[ -n "$pgd_entries" ] || pgd_entries=$(key entries-per-table "$report")
# "tables" and "bytes" of each level not folded, top first
awk '/^level /{ for (i = 1; i <= NF; i++) col[$i] = i; t = 1; next }
     t && NF == 0 { exit }
     t && $col["folded"] == 0 { print $col["tables"], $col["table-bytes"] }' \
	"$report" >"$TMP/live"
levels=$(wc -l <"$TMP/live")
tables=$(awk '{ printf "%s%s", (NR > 1 ? "," : ""), $1 }' "$TMP/live")
pgd_bytes=$(awk 'NR == 1 { print $2 }' "$TMP/live")
# the tree's bytes with the pgd at pgd_entries x 8
bytes=$(awk -v top="$pgd_entries" 'NR == 1 { s = $1 * top * 8; next }
	{ s += $1 * $2 } END { printf "%.0f", s }' "$TMP/live")
json --arg d "$design" --argjson va "$va" --argjson ps "$psize" \
	--argjson lv "$levels" --argjson top "$pgd_entries" \
	'.designs[] | select(.design == $d) |
	 (.bits | split("+")[0] | tonumber) as $b |
	 .va_bits == $va and .page_bytes == $ps and (.tables | length) == $lv and
	 ([range($b)] | map(2) | reduce .[] as $x (1; . * $x)) == $top' \
	"$TMP/sim.json" &&
	{ [ "$pgd_bytes" -eq $((pgd_entries * 8)) ] ||
		{ [ "$(uname -m)" = x86_64 ] && [ "$pgd_bytes" -eq $((pgd_entries * 16)) ]; }; }
ok $? "simulate: design $design has the live geometry ($va bits, $psize-byte pages, $levels levels, a top table of $pgd_entries in $pgd_bytes bytes)"
json --arg d "$design" --arg t "$tables" --argjson b "$bytes" \
	'.designs[] | select(.design == $d) |
	 (.tables | map(tostring) | join(",")) == $t and .bytes == $b' \
	"$TMP/sim.json"
ok $? "simulate: design $design needs the live tree's tables ($tables) and bytes ($bytes)"

# map: an SVG, bounded in size
"$MLPT" map "$wpid" --svg "$TMP/map.svg" >/dev/null 2>&1 &&
	grep -q "</svg>" "$TMP/map.svg"
ok $? "mlpt map PID --svg"
"$MLPT" --all --svg "$TMP/all.svg" >/dev/null 2>&1 && grep -q "</svg>" "$TMP/all.svg"
ok $? "mlpt --all --svg"

kill "$wpid"
wpid=

# every lab: the kernel agrees with the prediction
for lab in $LABS; do
	echo "# mlpt lab $lab"
	timeout 120 "$MLPT" lab "$lab" >"$TMP/lab" 2>&1
	rc=$?
	sed 's/^/# /' "$TMP/lab"
	[ $rc -eq 0 ]
	ok $? "mlpt lab $lab"
done

[ $failed -eq 0 ]
