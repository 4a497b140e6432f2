#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In-guest test of `mlpt shared` (busybox sh, root, module loaded): the
# PostgreSQL pattern of selftests/mlpt_shared_segment.c, one 1 GiB shared
# anonymous segment populated by N = 1, 10 and 100 processes, and the
# exact page-table totals of that object, read from the tool's JSON by jq.
#
# The arithmetic, per process: the segment is 1 GiB at a 1 GiB-aligned
# address alone in its 512 GiB slot, every 4 KiB page present, so
#   pte tables: 1 GiB / 2 MiB (512 entries x 4 KiB per table) = 512
#   pmd tables: 1 GiB / 1 GiB (512 x 2 MiB per table)          = 1
#   pud tables: the slot's one (512 x 1 GiB), which no other VMA reaches
#               first                                           = 1
#               with 3 levels (riscv64's Sv39, slots of 8 GiB) the pud is
#               folded: the pmd table hangs from a pgd entry, and the
#               vmas pud column is 0                            = 0
# (the pgd and p4d tables above are in no row, docs/format.md `vmas`):
# 514 tables x 4096 = 2105344 bytes (Sv39: 513, 2101248), and 2^30 leaf
# bytes.  The object's totals are N times that.  As shared hugetlb 2 MiB
# pages: no pte table, the N pud tables (Sv39: none), and one pmd table
# for all N (the segment covers the aligned 1 GiB window whole in each
# process, so huge_pmd_share() shares it): (N + 1) x 4096 (Sv39: 4096).
# With 16 KiB pages a pte table maps 32 MiB and a pmd table 64 GiB: 32 pte
# tables, 1 pmd table, and the pud table of the 128 TiB slot, or none with
# 3 levels (the pud folded): 34 or 33 tables x 16384.  As hugetlb 32 MiB
# pages the segment covers no whole 64 GiB window, so each process keeps
# a pmd table of its own: (N x pud + N) x 16384.  The figures are
# computed from PAGE and ENTRIES (lib/tap.sh) and the levels.
#
# Speed under TCG: MADV_POPULATE_READ faults in every page of each
# process; shmem's fault-around maps fault_around_bytes of pages that are
# already in the page cache per fault (64 KiB by default).  Raised to its
# maximum, 2 MiB (one pte table; 32 MiB with 16 KiB pages), for the
# test, each fault fills a whole pte table: the same entries, 32 times
# fewer faults.  The claim stays
# "every page mapped": each mapping's leaf bytes are checked to be 1 GiB.
# kselftest-style TAP; exit 0 iff every test passed.

MLPT=${MLPT:-/bin/mlpt}
SEGMENT=${SEGMENT:-/bin/mlpt-shared-segment}
TMP=${TMPDIR:-/tmp}/mlpt-shared.$$
NTESTS=15
# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

FAULT_AROUND=/sys/kernel/debug/fault_around_bytes
GIB=1073741824
# what a pte table and a pmd table map
PTE_SPAN=$((PAGE * ENTRIES))
PMD_SPAN=$((PTE_SPAN * ENTRIES))
PTES=$((GIB / PTE_SPAN))
levels=$(sed -n 's/^paging-levels: //p' /proc/mlpt/self)
PUDS=1
[ "$levels" = 3 ] && PUDS=0
PER_PROC=$(((PTES + 1 + PUDS) * PAGE))
# hugetlb: one pmd table for all if the segment covers its window whole
SHARED=0
[ "$GIB" -ge "$PMD_SPAN" ] && SHARED=1

tap_begin "$NTESTS"

grep -q " /sys/kernel/debug " /proc/mounts ||
	mount -t debugfs none /sys/kernel/debug
old_fa=$(cat "$FAULT_AROUND" 2>/dev/null)
echo "$PTE_SPAN" >"$FAULT_AROUND" 2>/dev/null
[ "$(cat "$FAULT_AROUND" 2>/dev/null)" = "$PTE_SPAN" ]
ok $? "fault_around_bytes = $PTE_SPAN, a pte table's span (was ${old_fa:-unknown})"

t0=$(date +%s)
"$SEGMENT" 1 10 100 >"$TMP/segment.out" 2>"$TMP/segment.err" &
spid=$!
wpid=$spid	# killed by tap.sh's cleanup if the test stops early

# wait_stage N: until the segment says N processes have populated it
wait_stage() {
	i=0
	while ! grep -q "^$1 " "$TMP/segment.out" && [ $i -lt 1800 ]; do
		kill -0 "$spid" 2>/dev/null || return 1
		sleep 0.1
		i=$((i + 1))
	done
	grep -q "^$1 " "$TMP/segment.out"
}

# the segment's object in $TMP/shared.json: the one mapped by $spid
OBJ='[.objects[] | select(any(.mappings[]; .pid == $p))]'

for procs in 1 10 100; do
	[ "$procs" = 1 ] || kill -USR1 "$spid"
	wait_stage "$procs"
	st=$?
	[ $st -eq 0 ] || sed 's/^/# /' "$TMP/segment.err"
	ok $st "N=$procs: $procs processes populated the 1 GiB segment"

	echo "# N=$procs populated at $(($(date +%s) - t0)) s"
	"$MLPT" --json shared >"$TMP/shared.json"
	st=$?
	echo "# mlpt shared read it at $(($(date +%s) - t0)) s"
	[ $st -eq 0 ] &&
		json --argjson p "$spid" --argjson procs "$procs" "$OBJ"' |
			length == 1 and .[0].processes == $procs and
			(.[0].mappings | length) == $procs and
			([.[0].mappings[].pid] | unique | length) == $procs and
			.[0].name == "/dev/zero (deleted)" and
			.[0].offset_first == 0 and .[0].offset_last == 1073741824' \
			"$TMP/shared.json"
	ok $? "N=$procs: one object, $procs processes, $procs mappings of offsets 0-1 GiB"

	json --argjson p "$spid" --argjson gib "$GIB" --argjson per "$PER_PROC" \
		--argjson puds "$PUDS" --argjson ptes "$PTES" \
		"$OBJ"' | [.[0].mappings[] | select(.pud == $puds and .pmd == 1 and
			.pte == $ptes and .table_bytes == $per and
			.leaf_bytes == $gib)] | length == ('"$procs"')' \
		"$TMP/shared.json"
	ok $? "N=$procs: every mapping: pud $PUDS, pmd 1, pte $PTES = $PER_PROC bytes, 1 GiB leaves"

	huge=$(((procs * PUDS + SHARED + (1 - SHARED) * procs) * PAGE))
	json --argjson p "$spid" --argjson procs "$procs" --argjson gib "$GIB" \
		--argjson per "$PER_PROC" --argjson puds "$PUDS" \
		--argjson ptes "$PTES" --argjson shared "$SHARED" \
		--argjson huge "$huge" "$OBJ"' | .[0] |
			.pud == $procs * $puds and .pmd == $procs and
			.pte == $ptes * $procs and
			.table_bytes == $procs * $per and .leaf_bytes == $procs * $gib and
			.hugetlb.pud == $procs * $puds and
			.hugetlb.pmd_shared == $shared and
			.hugetlb.pmd_own == (1 - $shared) * $procs and
			.hugetlb.pte == 0 and
			.hugetlb.table_bytes == $huge' "$TMP/shared.json"
	ok $? "N=$procs: total $procs x $PER_PROC = $((procs * PER_PROC)) bytes; hugetlb $huge"
done

# the identity against /proc/PID/maps: device (hex there, decimal here)
# and inode of the segment's line
line=$(grep ' /dev/zero (deleted)$' "/proc/$spid/maps")
dev=$(echo "$line" | awk '{ print $4 }')
ino=$(echo "$line" | awk '{ print $5 }')
want="$(printf %d "0x${dev%:*}"):$(printf %d "0x${dev#*:}")"
json --argjson p "$spid" --arg dev "$want" --argjson ino "${ino:-0}" \
	"$OBJ"' | .[0].dev == $dev and .[0].inode == $ino' "$TMP/shared.json"
ok $? "dev $want and inode $ino are those of /proc/$spid/maps"

kill "$spid"
wait "$spid"
st=$?
echo "# all exited at $(($(date +%s) - t0)) s"
ok $st "the segment's processes exit cleanly"
wpid=
[ -n "$old_fa" ] && echo "$old_fa" >"$FAULT_AROUND"

[ $failed -eq 0 ]
