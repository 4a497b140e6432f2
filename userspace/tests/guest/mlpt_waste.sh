#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In-guest test of `mlpt waste` (busybox sh, root, module loaded) on
# mlpt-workload, read back by jq (JSON), awk (CSV) and grep (Prometheus).
#
# The arithmetic.  The workload's sparse region is 64 MiB at the start of
# a 512 GiB slot of its own, MADV_NOHUGEPAGE, one page written in each
# 2 MiB; the dense region follows 1 GiB later (mlpt_workload_map()).  So
# the sparse mapping reaches 32 pte tables with one entry each (32 sparse,
# none empty), and first reaches them, the slot's pud table and its first
# pmd table: 34 x 4096 = 139264 table bytes for 32 x 4096 = 131072 bytes
# mapped.  With 3 levels (riscv64's Sv39: slots of 8 GiB, the pud folded)
# there is no pud table: 33 x 4096 = 135168.  Its remedies:
#   dontneed       no deposits; without CONFIG_PT_RECLAIM (Debian's 6.1,
#                  6.12) 0 bytes freed, with it (7.x) the 32 pte tables
#                  below; 131072 bytes unmapped
#   +pt_reclaim    all 32 pte tables hold only its entries: 131072
#   munmap         does not apply: it maps pages
#   thp            32 windows inside it, each a table of 1 page: no
#                  table freed (each becomes a deposit), and 32 x 2 MiB
#                  mapped instead of 32 pages: +66977792
#   hugetlb        its 32 pte tables are its own (the windows touch no
#                  other mapping): 131072 freed, +66977792 mapped, and
#                  64 MiB / 2 MiB = 32 huge pages reserved
# With 16 KiB pages: one page in each 32 MiB of 1 GiB, the dense region
# 64 GiB later, a page and a table 16384 bytes (the figures below are
# computed from PAGE and ENTRIES); with their 3 levels (47 bits) the pud
# is folded, and the mapping first reaches 33 tables, not 34.
# Over all mappings the table bytes (tables reached first, and deposits)
# are the kernel's own count, VmPTE, for an idle process.
# kselftest-style TAP; exit 0 iff every test passed.

MLPT=${MLPT:-/bin/mlpt}
WORKLOAD=${WORKLOAD:-/bin/mlpt-workload}
TMP=${TMPDIR:-/tmp}/mlpt-waste.$$
NTESTS=14
# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

tap_begin "$NTESTS"

start_workload
sparse=$(sed -n 's/.*sparse \(0x[0-9a-f]*\).*/\1/p' "$TMP/workload.err")
[ -n "$sparse" ]
ok $? "workload started"
start=$(printf '0x%016x' "$sparse")
# what the kernel was built with decides the dontneed figure
reclaim=false
grep -q '^CONFIG_PT_RECLAIM=y$' "/boot/config-$(uname -r)" && reclaim=true
# the sparse mapping: 32 written pages, 32 pte tables, the pmd table and
# the slot's pud table (none with 3 levels); THP and hugetlb map a pte
# table's span (2 MiB) for each of its pages
levels=$(sed -n 's/^paging-levels: //p' "/proc/mlpt/$wpid")
puds=1
[ "$levels" = 3 ] && puds=0
leaf=$((32 * PAGE))
tables=$(((32 + 1 + puds) * PAGE))
huge_delta=$((32 * (ENTRIES * PAGE - PAGE)))
freed=0
[ $reclaim = true ] && freed=$leaf

"$MLPT" --json --top 100000 waste "$wpid" >"$TMP/w.json" 2>"$TMP/err"
ok $? "mlpt --json waste PID: exit 0"
json . "$TMP/w.json"
ok $? "JSON parses"
[ -f "/boot/config-$(uname -r)" ] &&
	json ".pt_reclaim == $reclaim and .mappings_total == (.mappings | length)" \
		"$TMP/w.json"
ok $? "pt_reclaim $reclaim, as /boot/config says; every mapping listed"
json '.table_bytes == .kernel_pgtables_bytes and
      .table_bytes == ([.mappings[].table_bytes] | add)' "$TMP/w.json"
ok $? "the mappings' table bytes add up to VmPTE"
row=".mappings[] | select(.start == \"$start\")"
json "$row | .pte_tables == 32 and .empty_pte_tables == 0 and
      .sparse_pte_tables == 32 and .table_bytes == $tables and
      .leaf_bytes == $leaf and .kind == \"anon\"" "$TMP/w.json"
ok $? "sparse: 32 pte tables of one entry, $tables table bytes for $leaf"
json "$row | .remedies.dontneed == {applies: true, tables_freed: $freed,
      mapped_delta: -$leaf} and
      .remedies.dontneed_pt_reclaim.tables_freed == $leaf and
      .remedies.munmap.applies == false" "$TMP/w.json"
ok $? "sparse: DONTNEED frees $freed table bytes here, $leaf with CONFIG_PT_RECLAIM"
json "$row | .remedies.thp == {applies: true, tables_freed: 0,
      mapped_delta: $huge_delta} and
      .remedies.hugetlb == {applies: true, tables_freed: $leaf,
      mapped_delta: $huge_delta, huge_pages: 32}" "$TMP/w.json"
ok $? "sparse: THP keeps the tables (deposits), hugetlb frees them"
json '[.mappings[].rank] == [range(1; (.mappings | length) + 1)]' \
	"$TMP/w.json"
ok $? "ranks 1 to N in order"

"$MLPT" --top 3 waste "$wpid" >"$TMP/w.txt" 2>&1
[ $? -eq 0 ] && grep -q "^pte tables: " "$TMP/w.txt" &&
	[ "$(grep -c '^  [123] ' "$TMP/w.txt")" -eq 6 ]
ok $? "text: --top 3 shows 3 mappings and their 3 remedy rows"

"$MLPT" --csv --top 100000 waste "$wpid" >"$TMP/w.csv"
# rank,pid,comm,start,... (the name last); the sparse row's 5 remedies
awk -F, -v s="$start" -v f="$freed" -v t="$tables" -v l="$leaf" \
	'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
	$c["start"] == s { found = 1
		ok = $c["table_bytes"] == t && $c["pte_tables"] == 32 &&
		     $c["dontneed_tables_freed"] == f &&
		     $c["dontneed_pt_reclaim_tables_freed"] == l &&
		     $c["munmap_applies"] == 0 && $c["munmap_tables_freed"] == "" &&
		     $c["hugetlb_pages"] == 32 }
	END { exit !(found && ok) }' "$TMP/w.csv"
ok $? "CSV: the sparse row by column name"
[ "$(($(wc -l <"$TMP/w.csv") - 1))" -eq "$(jq '.mappings_total' "$TMP/w.json")" ]
ok $? "CSV: a row per mapping"

"$MLPT" --prometheus waste "$wpid" >"$TMP/w.prom"
grep -q "^mlpt_waste_remedy_tables_freed_bytes{pid=\"$wpid\",comm=\"mlpt-workload\",start=\"$start\",name=\"-\",remedy=\"hugetlb\"} $leaf$" "$TMP/w.prom"
ok $? "Prometheus: the sparse mapping's hugetlb saving"

"$MLPT" waste 999999 >/dev/null 2>"$TMP/err"
[ $? -eq 3 ] && grep -q "^mlpt: " "$TMP/err"
ok $? "no such process: exit 3, an mlpt: error"

[ $failed -eq 0 ]
