#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In-guest tests of the mlpt tool (busybox sh, run as root with the module
# loaded and /proc/mlpt mounted).  The tool's numbers for a workload must be
# the module's, and its comparisons the formulas of docs/format.md and mlpt(1).
# kselftest-style TAP; exit 0 iff every test passed.

MLPT=${MLPT:-/bin/mlpt}
WORKLOAD=${WORKLOAD:-/bin/mlpt-workload}
TMP=${TMPDIR:-/tmp}/mlpt-tool.$$
NTESTS=24
# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

# "name tables table-bytes present next leaf nonpresent empty-tables" per
# unfolded level, from the module's report (columns found by header name)
module_levels() {
	awk '/^level /{ for (i = 1; i <= NF; i++) col[$i] = i; t = 1; next }
	     t && NF == 0 { exit }
	     t && $col["folded"] == 0 {
		print $1, $col["tables"], $col["table-bytes"], $col["present"],
		      $col["next"], $col["leaf"], $col["nonpresent"],
		      $col["empty-tables"] }' "$1"
}

# the same from the tool's --csv output
tool_levels() {
	awk -F, '$5 == "level" { print $6, $7, $8, $9, $10, $11, $12, $13 }' "$1"
}

# bytes of one comparison (model) in the tool's --csv output
model() {
	awk -F, -v m="$1" '$5 == "model" && $6 == m { print $14; exit }' "$2"
}

# 2^$1 x 8, exactly (busybox awk has no ^)
pow2x8() {
	awk -v e="$1" 'BEGIN { x = 8; for (i = 0; i < e; i++) x *= 2
			       printf "%.0f", x }'
}

tap_begin "$NTESTS"

# 1: the workload starts and says its pid
start_workload
said=$(grep -o '[0-9][0-9]*' "$TMP/workload.out" | head -n 1)
[ -n "$said" ] && [ "$said" = "$wpid" ] && [ -e "/proc/mlpt/$wpid" ]
ok $? "workload $wpid runs and is in /proc/mlpt"

cat "/proc/mlpt/$wpid" >"$TMP/module.txt"
"$MLPT" --csv "$wpid" >"$TMP/tool.csv"
ok $? "mlpt --csv PID exits 0"

# 3: every level's counts are the module's
module_levels "$TMP/module.txt" >"$TMP/module.levels"
tool_levels "$TMP/tool.csv" >"$TMP/tool.levels"
[ -s "$TMP/module.levels" ] && cmp -s "$TMP/module.levels" "$TMP/tool.levels"
ok $? "per-level counts equal the module's"

# 4: actual tree = sum of tables x table-bytes over unfolded levels
tree=$(awk '{ s += $2 * $3 } END { printf "%.0f", s }' "$TMP/module.levels")
[ "$(model tree "$TMP/tool.csv")" = "$tree" ]
ok $? "tree bytes = sum of tables x table-bytes ($tree)"

# 5: VmPTE is the module's kernel-pgtables-bytes
[ "$(model vmpte "$TMP/tool.csv")" = \
  "$(key kernel-pgtables-bytes "$TMP/module.txt")" ]
ok $? "VmPTE figure = kernel-pgtables-bytes"

# 6-7: linear tables: 2^(va-bits - 12) x 8, user half 2^(va-bits - 13) x 8
# (12: the page shift, 14 with 16 KiB pages)
va=$(key va-bits "$TMP/module.txt")
want=$(pow2x8 $((va - PSHIFT)))
[ "$(model linear "$TMP/tool.csv")" = "$want" ]
ok $? "linear table for $va bits = 2^($va-$PSHIFT) x 8 = $want"
want=$(pow2x8 $((va - PSHIFT - 1)))
[ "$(model linear_user "$TMP/tool.csv")" = "$want" ]
ok $? "linear table for the user half = $want"

# 8: lower bound = resident-bytes / page x 8
want=$(awk -v r="$(key resident-bytes "$TMP/module.txt")" -v p="$PAGE" \
	'BEGIN { printf "%.0f", r / p * 8 }')
[ "$(model resident "$TMP/tool.csv")" = "$want" ]
ok $? "lower bound = resident pages x 8 = $want"

# 9: bounds register = va-highest / page x 8
want=$(printf '%d' "$(key va-highest "$TMP/module.txt")" |
	awk -v p="$PAGE" '{ printf "%.0f", $1 / p * 8 }')
[ "$(model linear_bounds "$TMP/tool.csv")" = "$want" ]
ok $? "bounds register at va-highest = $want"

# 10: the ceiling (every page of every VMA touched), derived from the
# workload's /proc/PID/maps here: the pgd, and per level below it one table
# for each window of the span one table maps (2^21 bytes a pte table, 2^30
# a pmd, 2^39 a pud with 4 or 5 levels, 2^48 a p4d with 5; with 16 KiB
# pages 2^25, 2^36, 2^47) that a VMA touches, a window shared by two VMAs
# once: the levels below the pgd, each table a page.  Addresses stay below
# 2^53, so awk's doubles hold them exactly; [vsyscall], in the kernel
# half, is no VMA of the user's.
ceiling_of_maps() {
	awk -v levels="$1" -v pgd="$2" -v page="$PAGE" -v entries="$ENTRIES" '
		function hex(s,  i, n) {
			for (i = 1; i <= length(s); i++)
				n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return n
		}
		{
			split($1, a, "-")
			if (length(a[1]) == 16 && a[1] ~ /^[89a-f]/) next
			s = hex(a[1]); e = hex(a[2])
			w = page * entries	# a pte table; busybox awk has no ^
			for (k = 1; k < levels; k++) {
				first = int(s / w); last = int((e - 1) / w)
				if (k in prev && first == prev[k]) first++
				if (last >= first) n += last - first + 1
				prev[k] = last
				w *= entries
			}
		}
		END { printf "%.0f", pgd + n * page }' "$3"
}
levels=$(key paging-levels "$TMP/module.txt")
pgd=$(awk '$1 == "pgd" { print $3; exit }' "$TMP/module.levels")
want=$(ceiling_of_maps "$levels" "$pgd" "/proc/$wpid/maps")
got=$(model ceiling "$TMP/tool.csv")
[ "$got" = "$want" ] && [ "$(model tree "$TMP/tool.csv")" -le "$got" ]
ok $? "ceiling = $want from /proc/$wpid/maps, and the tree is below it"

# 11: the workload's shape: one written page per pmd span over 32 of them
# gives at least 32 pte tables with one entry, 1024 pages written at least
# 2 full ones (with 16 KiB pages one of 2048 entries, half full: in the
# last bucket, 512 or more)
occupancy() {
	awk -v b="$1" '/^occupancy /{ for (i = 1; i <= NF; i++) col[$i] = i
				     t = 1; next }
		       t && $1 == "pte" { print $col[b]; exit }' "$2"
}
ones=$(occupancy 1 "$TMP/module.txt")
full=$(occupancy 512 "$TMP/module.txt")
dense=$(((1024 + ENTRIES - 1) / ENTRIES))
[ "${ones:-0}" -ge 32 ] && [ "${full:-0}" -ge "$dense" ]
ok $? "workload: $ones pte tables with 1 entry (>= 32), $full full (>= $dense)"

# 12: JSON, parsed by jq: one process, this pid, the module's level rows
# and tree bytes, and a nodes array for the guest's nodes 0 and 1 whose
# tables add up to each level's
"$MLPT" --json "$wpid" >"$TMP/tool.json"
st=$?
[ $st -eq 0 ] &&
	json --argjson pid "$wpid" --argjson tree "$tree" '
		.format == 1 and (.processes | length) == 1 and
		.processes[0].pid == $pid and .processes[0].estimate == false and
		([.processes[0].comparison[] | select(.model == "tree") |
		  .bytes] == [$tree]) and
		(.processes[0] as $p | ($p.nodes | map(.node)) == [0, 1] and
		 all($p.levels[]; . as $lv |
		     ([$p.nodes[].tables[$lv.level]] | add) == $lv.tables))' \
		"$TMP/tool.json" &&
	jq -r '.processes[0].levels[] | select(.folded | not) |
		"\(.level) \(.tables) \(.table_bytes) \(.present) \(.next) \(.leaf) \(.nonpresent) \(.empty_tables)"' \
		"$TMP/tool.json" >"$TMP/json.levels" &&
	cmp -s "$TMP/module.levels" "$TMP/json.levels"
ok $? "mlpt --json PID: valid JSON; pid, levels, nodes and tree bytes the module's"

# 13: the pagemap estimate is below the module's walk at every level
"$MLPT" --source pagemap --csv "$wpid" >"$TMP/estimate.csv"
tool_levels "$TMP/estimate.csv" >"$TMP/estimate.levels"
awk 'NR == FNR { t[$1] = $2; leaf[$1] = $6; next }
     $1 == "pte" && $2 > t["pte"] + leaf["pmd"] { bad = 1 }
     $1 != "pte" && $2 > t[$1] { bad = 1 }
     END { exit bad }' "$TMP/module.levels" "$TMP/estimate.levels"
ok $? "pagemap estimate <= module at every level (THP as pmd leaves)"

# 14: mlpt run returns the command's exit status and reports its tree
"$MLPT" run -- sh -c 'exit 3' >"$TMP/run.out" 2>&1
st=$?
[ $st -eq 3 ] && grep -q ', peak:$' "$TMP/run.out" &&
	grep -q ', exit:$' "$TMP/run.out" &&
	grep -q 'sh exited with status 3' "$TMP/run.out"
rc=$?
[ $rc -eq 0 ] || sed "s/^/# status $st: /" "$TMP/run.out"
ok $rc "mlpt run -- sh -c 'exit 3': exit 3, peak and exit reports"

# 15: the survey, parsed by jq: its total is the sum of its rows, and the
# workload's row has the tree of its report
"$MLPT" --all --json >"$TMP/all.json"
st=$?
[ $st -eq 0 ] &&
	json --argjson pid "$wpid" --argjson tree "$tree" '
		(.processes | length) == .total.processes and
		([.processes[].tree_bytes] | add) == .total.tree_bytes and
		([.processes[] | select(.pid == $pid) | .tree_bytes] == [$tree])' \
		"$TMP/all.json"
ok $? "mlpt --all --json: total = the sum of the rows, the workload's tree"

# 16: the text survey's total line
"$MLPT" --all --bytes >"$TMP/all.txt"
grep -q '^[0-9]* processes: page tables [0-9]*; linear tables would need [0-9]* ([0-9]* times more)$' \
	"$TMP/all.txt" && grep -q '^skipped: ' "$TMP/all.txt"
ok $? "mlpt --all: total line and skipped line"

# 17-19: the survey's ceilings and its --ram-share flag.  A second
# workload maps 512 GiB more, readable and untouched: its ceiling holds
# the 2^39 / 2^21 = 262144 pte tables (1 GiB) all of that would need,
# above 25% (the default share) of this guest's 2 GiB of RAM and below
# 100%; the first workload's is far below both.  With 16 KiB pages a pte
# table of 16 KiB maps 32 MiB, so the same 1 GiB of tables needs 2 TiB:
# the reservation is 1 GiB x ENTRIES.  With 3 levels of 4 KiB pages
# (riscv64's Sv39) user space is 2^38 = 256 GiB: the second workload maps
# 64 GiB, whose 2^36 / 2^21 = 32768 pte tables (128 MiB) are above 5% of
# 2 GiB (102 MiB) and below 25% (512 MiB).  Each ceiling is the one
# /proc/PID/maps gives here (test 10's arithmetic), the flag is ceiling >
# MemTotal x share / 100: the default share flags the second workload
# (in Sv39 not), --ram-share $flag_share does, $spare_share not.
reserve=$(((1 << 30) * ENTRIES)) flag_share=25 spare_share=100 flagged=true
[ "$levels" = 3 ] && [ "$PAGE" = 4096 ] &&
	reserve=$((1 << 36)) flag_share=5 spare_share=25 flagged=false
"$WORKLOAD" --reserve "$reserve" >"$TMP/big.out" 2>"$TMP/big.err" &
bpid=$!
i=0
while [ ! -s "$TMP/big.out" ] && [ $i -lt 500 ]; do
	sleep 0.1 2>/dev/null || sleep 1
	i=$((i + 1))
done
ram=$(awk '$1 == "MemTotal:" { printf "%.0f", $2 * 1024 }' /proc/meminfo)
wceil=$(ceiling_of_maps "$levels" "$pgd" "/proc/$wpid/maps")
bceil=$(ceiling_of_maps "$levels" "$pgd" "/proc/$bpid/maps")
"$MLPT" --all --json >"$TMP/ceil.json"
json --argjson w "$wpid" --argjson b "$bpid" --argjson wc "$wceil" \
	--argjson bc "$bceil" --argjson ram "$ram" --argjson f "$flagged" '
	.ram_bytes == $ram and .ram_share_percent == 25 and
	([.processes[] | select(.pid == $w) |
	  [.ceiling_bytes, .ceiling_over_ram_share]] == [[$wc, false]]) and
	([.processes[] | select(.pid == $b) |
	  [.ceiling_bytes, .ceiling_over_ram_share]] == [[$bc, $f]]) and
	.over_ram_share == ([.processes[] |
			     select(.ceiling_bytes * 100 > $ram * 25)] | length) and
	.total.ceiling_bytes == ([.processes[].ceiling_bytes] | add)' \
	"$TMP/ceil.json"
ok $? "mlpt --all --json: ceilings from /proc/PID/maps ($wceil, $bceil), flagged above 25% of $ram ($bpid: $flagged)"
"$MLPT" --all --ram-share "$spare_share" --csv >"$TMP/ceil.csv"
awk -F, -v b="$bpid" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["pid"] == b { n++; if ($c["ceiling_over_ram_share"] != 0) bad = 1 }
	END { exit bad || n != 1 }' "$TMP/ceil.csv"
ok $? "mlpt --all --ram-share $spare_share --csv: the $reserve-byte reservation is not flagged"
"$MLPT" --all --ram-share "$flag_share" --bytes >"$TMP/ceil.txt"
grep -q "^! [0-9]* process.* could need page tables above $flag_share% of RAM ($ram) with every mapped page touched:.* $bpid (mlpt-workload)" \
	"$TMP/ceil.txt" &&
	grep -q "^ *$bpid .* $bceil! " "$TMP/ceil.txt"
ok $? "mlpt --all --ram-share $flag_share: the flagged ceiling has a ! and its process is named"
kill "$bpid"

# 20-21: errors are one line on stderr, nothing on stdout, documented codes
"$MLPT" 999999999 >"$TMP/err.out" 2>"$TMP/err.err"
st=$?
[ $st -eq 3 ] && [ ! -s "$TMP/err.out" ] &&
	[ "$(wc -l <"$TMP/err.err")" -eq 1 ] &&
	grep -q '^mlpt: 999999999: no such process' "$TMP/err.err"
ok $? "no such process: exit 3, one line"
# a new user namespace: uid 65534 there, no capability over the workload's
if unshare -U true 2>/dev/null; then
	unshare -U "$MLPT" "$wpid" >"$TMP/perm.out" 2>"$TMP/perm.err"
	st=$?
	[ $st -eq 4 ] && [ ! -s "$TMP/perm.out" ] &&
		grep -q "^mlpt: $wpid: permission denied: " "$TMP/perm.err"
	ok $? "another user's process: exit 4, permission denied"
else
	skip "another user's process: exit 4" "no unshare -U in this guest"
fi

# 22-24: contiguous ptes, in every format as the module counts them.  A
# dd copying through a buffer mapped while multi-size THP of the
# contiguous size is "always" (where the kernel has it): 64 KiB with 4 KiB
# pages (a 1 MiB buffer: no 2 MiB THP fits), 2 MiB with 16 KiB pages (a
# 4 MiB buffer: the pmd THP is 32 MiB).  On arm64 each aligned block of
# that size in the buffer is then one large folio whose ptes carry the
# contiguous bit (selftests/mlpt_contpte checks the module's count
# itself), so the key is there and not 0; x86-64 and riscv64 have no such
# bit and no key: JSON null, no CSV row, no text line.
if [ "$PAGE" -eq 16384 ]; then
	cont_kb=2048 buffer=4M
else
	cont_kb=64 buffer=1M
fi
mthp=/sys/kernel/mm/transparent_hugepage/hugepages-${cont_kb}kB/enabled
mode=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$mthp" 2>/dev/null)
[ -n "$mode" ] && echo always >"$mthp"
dd if=/dev/zero of=/dev/null bs=$buffer count=1000000000 2>/dev/null &
dpid=$!
sleep 1
[ -n "$mode" ] && echo "$mode" >"$mthp"
cat "/proc/mlpt/$dpid" >"$TMP/dd.txt"
"$MLPT" --json "$dpid" >"$TMP/dd.json"
"$MLPT" --csv "$dpid" >"$TMP/dd.csv"
"$MLPT" "$dpid" >"$TMP/dd.out"
kill "$dpid"
cont=$(key contiguous-ptes "$TMP/dd.txt")
leaves=$(module_levels "$TMP/dd.txt" | awk '$1 == "pte" { print $6 }')
if [ "$(uname -m)" = aarch64 ]; then
	[ -n "$cont" ] && [ "$cont" -gt 0 ] &&
		json --argjson c "$cont" '.processes[0].contiguous_ptes == $c' "$TMP/dd.json"
	ok $? "arm64, mlpt --json: contiguous_ptes = the module's contiguous-ptes (${cont:-none})"
	[ "$(awk -F, '$5 == "contiguous" && $6 == "pte" { print $11 }' "$TMP/dd.csv")" = "$cont" ]
	ok $? "arm64, mlpt --csv: the contiguous row's leaf column = $cont"
	grep -q "^contiguous: $cont of the $leaves pte leaves are in contiguous ranges" "$TMP/dd.out"
	ok $? "arm64, mlpt PID: \"contiguous: $cont of the $leaves pte leaves\""
else
	[ -z "$cont" ] && json '.processes[0].contiguous_ptes == null' "$TMP/dd.json"
	ok $? "$(uname -m), no contiguous-ptes key: mlpt --json says null"
	! grep -q '^[^,]*,[^,]*,[^,]*,[^,]*,contiguous,' "$TMP/dd.csv" &&
		grep -q ',level,pte,' "$TMP/dd.csv"
	ok $? "$(uname -m), mlpt --csv: no contiguous row"
	! grep -q '^contiguous:' "$TMP/dd.out" && grep -q '^pte ' "$TMP/dd.out"
	ok $? "$(uname -m), mlpt PID: no contiguous line"
fi

[ $failed -eq 0 ]
