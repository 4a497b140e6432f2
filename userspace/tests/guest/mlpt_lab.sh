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
NTESTS=23
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

# simulate: x86-64 4-level from pagemap equals the module's tree for the
# tables pages need (no empty tables in the workload): pud+pmd+pte+pgd
"$MLPT" --csv simulate "$wpid" >"$TMP/sim.csv" 2>&1
ok $? "mlpt simulate PID: exit 0"
grep -q "^$wpid,x86_32,.*needs\|^$wpid,x86_32,32,4096,4,,,address" "$TMP/sim.csv"
ok $? "simulate: x86 32-bit is n/a for a 47-bit process"
levels=$(sed -n 's/^paging-levels: //p' /proc/mlpt/$wpid)
mod=$(awk '/^level /{t=1; next} t && NF == 0 {exit} t && $2 == 0 { s += $3 } END { print s }' /proc/mlpt/$wpid)
sim=$(awk -F, -v d="x86_64_$levels" '$2 == d { n = split($6, a, "+"); s = 0; for (i = 1; i <= n; i++) s += a[i]; print s }' "$TMP/sim.csv")
[ "$mod" = "$sim" ]
ok $? "simulate: x86-64 $levels-level tables = the module's ($mod, $sim)"

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
