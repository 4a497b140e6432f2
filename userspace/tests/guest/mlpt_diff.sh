#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In-guest tests of mlpt diff and --watch --growth (busybox sh, root, the
# module loaded).  mlpt-workload --grow 16 maps 16 x 2 MiB alone in a slot
# of its own (mlpt_slot_size(): 512 GiB, one p4d or pgd entry; 8 GiB, 8
# pgd entries of 1 GiB, with 3 levels), untouched, and on SIGUSR1 writes
# one page in each 2 MiB of it.  That adds, and nothing else in the
# process changes:
#   pte: 16 tables (one per 2 MiB window), 16 entries
#   pmd: 1 table (the region is inside one 1 GiB window), 16 entries
#   pud: 1 table (the slot's 512 GiB had none), 1 entry; with 3 levels
#   (riscv64's Sv39) the pud is folded: no table, no row
#   the level above: with 3 or 4 levels the pgd, with 5 the p4d (the slot
#   is one of its 512 GiB entries; with 3 levels the first 1 GiB of 8),
#   1 entry and no table
#   bytes: 4096 per table, so the tree and VmPTE (pte + pmd + pud tables)
#   grow by 18 x 4096 = 73728 (with 3 levels 17 x 4096 = 69632),
#   resident memory by 16 x 4096 = 65536
# With 16 KiB pages the windows are 32 MiB (pte), 64 GiB (pmd) and 128 TiB
# (pud, a slot), and a page and a table 16384 bytes; with their 3 levels
# (47 bits) there is no pud: the pmd table takes one of the pgd's 64 GiB
# entries, and the tables grow by 17 pages.
# Snapshots before and after are taken in every JSON output (report,
# survey, vmas, --watch JSON Lines) and diffed; the figures are read with
# jq, a JSON parser independent of the tool.  kselftest-style TAP.

MLPT=${MLPT:-/bin/mlpt}
WORKLOAD=${WORKLOAD:-/bin/mlpt-workload}
TMP=${TMPDIR:-/tmp}/mlpt-diff.$$
NTESTS=12
PAGES=16
# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

watchers=
stop_watchers() {
	for p in $watchers; do
		kill -INT "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	watchers=
}

# wait_for FILE PATTERN: up to 60 s until FILE has a line matching PATTERN
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.1 2>/dev/null || sleep 1
		i=$((i + 1))
	done
	grep -q "$2" "$1" 2>/dev/null
}

# lines FILE: how many lines FILE has
lines() {
	wc -l <"$1" 2>/dev/null | tr -d ' '
}
trap 'stop_watchers; cleanup' EXIT

tap_begin "$NTESTS"

# 1: the workload and its region
"$WORKLOAD" --grow "$PAGES" >"$TMP/workload.out" 2>"$TMP/workload.err" &
wpid=$!
wait_for "$TMP/workload.out" '^[0-9]' &&
	region=$(sed -n 's/.*grow 0x\([0-9a-f]*\)+.*/\1/p' "$TMP/workload.err") &&
	[ -n "$region" ] && [ -e "/proc/mlpt/$wpid" ]
ok $? "mlpt-workload --grow $PAGES runs, its region at 0x$region"
levels=$(awk '$1 == "paging-levels:" { print $2 }' "/proc/mlpt/$wpid")
# the level above pud that gains the slot's entry, the pud tables added
top=pgd
[ "$levels" = 5 ] && top=p4d
# pud tables the region adds: none with 3 levels, where the pud is folded
puds=1
[ "$levels" = 3 ] && puds=0
TABLE_GROWTH=$(((PAGES + 1 + puds) * PAGE))
# 16 pte tables of a page, and as many bytes resident: 16 written pages
PTE_GROWTH=$((PAGES * PAGE))
# the levels that change, top first, as a jq array
changed='["pgd", "pmd", "pte"]'
[ $puds = 1 ] && changed="[\"$top\", \"pud\", \"pmd\", \"pte\"]"

# 2: snapshots before, and two watchers: plain JSON Lines and --growth
"$MLPT" --json "$wpid" >"$TMP/report-before.json" &&
	"$MLPT" --json vmas "$wpid" >"$TMP/vmas-before.json" &&
	"$MLPT" --json --all >"$TMP/all-before.json"
st=$?
"$MLPT" --json --watch 1 "$wpid" >"$TMP/watch.jsonl" 2>"$TMP/watch.err" &
watchers="$!"
"$MLPT" --json --watch 1 --growth "$wpid" >"$TMP/growth.jsonl" \
	2>"$TMP/growth.err" &
watchers="$watchers $!"
"$MLPT" --csv --watch 1 --growth "$wpid" >"$TMP/growth.csv" \
	2>"$TMP/growth-csv.err" &
watchers="$watchers $!"
wait_for "$TMP/watch.jsonl" . && wait_for "$TMP/growth.jsonl" . &&
	wait_for "$TMP/growth.csv" '^time,' && [ $st -eq 0 ]
ok $? "snapshots before (report, vmas, survey); the watchers' first lines"

# 3: the first --growth line: nothing grew yet
head -n 1 "$TMP/growth.jsonl" >"$TMP/growth-first.json"
json '.diff == "growth" and .processes == [] and .before_time == .after_time' \
	"$TMP/growth-first.json"
ok $? "--growth, first refresh: nothing grew"

# 4: grow
kill -USR1 "$wpid" && wait_for "$TMP/workload.out" '^grown$'
ok $? "the workload touched its $PAGES pages"

"$MLPT" --json "$wpid" >"$TMP/report-after.json"
"$MLPT" --json vmas "$wpid" >"$TMP/vmas-after.json"
"$MLPT" --json --all >"$TMP/all-after.json"
# two refreshes of every watcher after the growth, then stop them
n1=$(lines "$TMP/growth.jsonl")
n2=$(lines "$TMP/watch.jsonl")
n3=$(lines "$TMP/growth.csv")
i=0
while [ $i -lt 600 ] && { [ "$(lines "$TMP/growth.jsonl")" -lt $((n1 + 2)) ] ||
	[ "$(lines "$TMP/watch.jsonl")" -lt $((n2 + 2)) ] ||
	[ "$(lines "$TMP/growth.csv")" -lt $((n3 + 2)) ]; }; do
	sleep 0.1 2>/dev/null || sleep 1
	i=$((i + 1))
done
stop_watchers

# the level rows every diff below must have, as a jq filter on .levels
want_levels="
	(map(select(.level == \"pte\"))[0] | .tables.change == 16 and
	 .entries.change == 16 and .bytes.change == $PTE_GROWTH) and
	(map(select(.level == \"pmd\"))[0] | .tables.change == 1 and
	 .entries.change == 16 and .bytes.change == $PAGE) and
	(map(select(.level == \"pud\")) | $puds == 0 and length == 0 or
	 (.[0] | .tables.change == 1 and .entries.change == 1 and
	  .bytes.change == $PAGE)) and
	(map(select(.level == \$top))[0] | .tables.change == 0 and
	 .entries.change == 1 and .bytes.change == 0)"

# 5: diff of the two reports: every level, the totals
"$MLPT" --json diff "$TMP/report-before.json" "$TMP/report-after.json" \
	>"$TMP/diff-report.json" &&
	json --argjson pid "$wpid" --argjson t "$TABLE_GROWTH" --arg top "$top" \
		--argjson puds "$puds" "
		.diff == \"changes\" and (.processes | length) == 1 and
		.processes[0].pid == \$pid and .processes[0].status == \"both\" and
		.processes[0].totals.tree_bytes.change == \$t and
		.processes[0].totals.vmpte_bytes.change == \$t and
		.processes[0].totals.resident_bytes.change == $PTE_GROWTH and
		.processes[0].mappings == null and
		(.processes[0].levels | $want_levels)" "$TMP/diff-report.json"
ok $? "mlpt diff of reports: pte +16/+16, pmd +1/+16, pud +$puds/+$puds, $top +0/+1, tree and VmPTE +$TABLE_GROWTH"

# 6: diff of vmas: the region alone changed, pud +1, pmd +1, pte +16 (vmas
# has its pud column with 3 levels too, 0: docs/format.md)
"$MLPT" --json diff "$TMP/vmas-before.json" "$TMP/vmas-after.json" \
	>"$TMP/diff-vmas.json" &&
	json --arg start "$(printf '0x%016x' "0x$region")" \
		--argjson t "$TABLE_GROWTH" --argjson puds "$puds" '
		(.processes[0].mappings | length) == 1 and
		(.processes[0].mappings[0] | .start == $start and
		 .status == "both" and .pud.change == $puds and .pmd.change == 1 and
		 .pte.change == 16 and .table_bytes.change == $t) and
		(.processes[0].levels | map({(.level): .tables.change}) | add) ==
		{"pud": $puds, "pmd": 1, "pte": 16}' "$TMP/diff-vmas.json"
ok $? "mlpt diff of vmas: only the region, pud +$puds, pmd +1, pte +16, +$TABLE_GROWTH bytes"

# 7: diff of the surveys: the workload's row
"$MLPT" --json diff "$TMP/all-before.json" "$TMP/all-after.json" \
	>"$TMP/diff-all.json" &&
	json --argjson pid "$wpid" --argjson t "$TABLE_GROWTH" '
		[.processes[] | select(.pid == $pid) |
		 [.totals.tree_bytes.change, .totals.vmpte_bytes.change,
		  .levels]] == [[$t, $t, []]]' "$TMP/diff-all.json"
ok $? "mlpt diff of surveys: the workload's tree and VmPTE +$TABLE_GROWTH, no levels"

# 8: the --watch JSON Lines file alone: its first line against its last
"$MLPT" --json diff "$TMP/watch.jsonl" >"$TMP/diff-watch.json" &&
	json --arg top "$top" --argjson t "$TABLE_GROWTH" --argjson puds "$puds" "
		.before_time != .after_time and
		.processes[0].totals.tree_bytes.change == \$t and
		(.processes[0].levels | $want_levels)" "$TMP/diff-watch.json"
ok $? "mlpt diff WATCH.jsonl: first line against last, the same changes"

# 9: the last --growth line: only the levels and the mapping that grew
tail -n 1 "$TMP/growth.jsonl" >"$TMP/growth-last.json"
json --arg top "$top" --argjson t "$TABLE_GROWTH" --argjson puds "$puds" \
	--argjson changed "$changed" \
	--arg start "$(printf '0x%016x' "0x$region")" "
	(.processes | length) == 1 and
	(.processes[0].levels | map(.level)) == \$changed and
	(.processes[0].levels | $want_levels) and
	(.processes[0].mappings | length) == 1 and
	(.processes[0].mappings[0] | .start == \$start and .pte.change == 16 and
	 .pmd.change == 1 and .pud.change == \$puds and .table_bytes.change == \$t)" \
	"$TMP/growth-last.json"
ok $? "--watch --growth, last line: levels $changed and the region only"

# 10: every --growth line is JSON with a time (jq reads them one by one)
json -s 'length >= 3 and all(.[]; has("time") and .diff == "growth")' \
	"$TMP/growth.jsonl" && [ ! -s "$TMP/growth.err" ]
ok $? "--watch --growth --json: JSON Lines, each with a time, no error"

# 11: the CSV stream: its last refresh's pte rows, read by column name
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ last = $c["time"] }
	$c["kind"] == "level" && $c["name"] == "pte" { v[$c["time"], $c["quantity"]] = $c["change"] }
	$c["kind"] == "mapping" && $c["quantity"] == "pte" { m[$c["time"]] = $c["change"] }
	END { exit !(v[last, "tables"] == 16 && v[last, "entries"] == 16 &&
		     v[last, "bytes"] == b && m[last] == 16) }' b="$PTE_GROWTH" \
	"$TMP/growth.csv"
ok $? "--watch --growth --csv: the last refresh's pte rows +16 tables, entries, and the region's"

# 12: the text diff says it in its tables
"$MLPT" --bytes diff "$TMP/report-before.json" "$TMP/report-after.json" \
	>"$TMP/diff.txt" &&
	grep -q "^pte  *[0-9]* -> [0-9]*  *+16  *[0-9]* -> [0-9]*  *+16 .* +$PTE_GROWTH$" \
		"$TMP/diff.txt" &&
	grep -q "tree [0-9]* -> [0-9]* (+$TABLE_GROWTH)" "$TMP/diff.txt"
ok $? "mlpt diff (text): the pte row +16 +16 +$PTE_GROWTH, the tree +$TABLE_GROWTH"
# for the console log (README's example): the text of the vmas diff
"$MLPT" diff "$TMP/vmas-before.json" "$TMP/vmas-after.json" | sed 's/^/# /'
"$MLPT" diff "$TMP/report-before.json" "$TMP/report-after.json" | sed 's/^/# /'

[ $failed -eq 0 ]
