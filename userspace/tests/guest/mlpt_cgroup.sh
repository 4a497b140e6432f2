#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In-guest test of the survey by cgroup (mlpt --all --by cgroup), as root
# with the module loaded.  Two cgroups v2 with the memory controller:
# mlpt-a holds three workloads started in it; mlpt-b one moved into it
# after it had mapped everything.  A process's page tables are charged
# to the cgroup it was in when they were allocated and stay there when it
# moves, so:
#   mlpt-a: memory.stat pagetables = the VmPTE of its three processes
#           (kernel-pgtables-bytes of each, read here from /proc/mlpt),
#           less their pud tables on kernels before 6.12: 5.10 and 6.1
#           allocate pud tables with get_zeroed_page(), charged to the
#           cgroup as kernel memory, not as page tables, while VmPTE
#           counts them (6.12's __pud_alloc_one() has pagetable_pud_ctor());
#           plus, from 6.14, their pgd and p4d tables, which VmPTE leaves
#           out: __pgd_alloc() and __p4d_alloc_one() call
#           pagetable_pgd_ctor() and pagetable_p4d_ctor() there, which
#           count the page as NR_PAGETABLE.  A pgd smaller than a page
#           (arm64 with 52 bits) comes from a slab cache without them;
#           a folded p4d has no tables (x86-64 and arm64 with 4 levels,
#           riscv64's Sv48 and Sv39).  Sid's riscv64 7.2 in Sv39, three
#           processes: VmPTE + 3 x 4096 for the pgds;
#   mlpt-b: memory.stat pagetables = 0, while its process has a VmPTE.
# The kernel folds per-CPU statistics into memory.stat at least every 2
# seconds: the test waits 3 before reading.  kselftest-style TAP.

MLPT=${MLPT:-/bin/mlpt}
WORKLOAD=${WORKLOAD:-/bin/mlpt-workload}
TMP=${TMPDIR:-/tmp}/mlpt-cgroup.$$
CG=/sys/fs/cgroup
NTESTS=5
# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

pids=
cleanup_cgroups() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	rmdir "$CG/mlpt-a" "$CG/mlpt-b" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup_cgroups EXIT

# start CGROUP N: workload N, which joins CGROUP (if any) before it
# execs, so that its address space is made there; its pid on stdout
start() {
	out=$TMP/w.$2
	if [ -n "$1" ]; then
		sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2"' sh "$1" "$WORKLOAD" >"$out" 2>&1 &
	else
		"$WORKLOAD" >"$out" 2>&1 &
	fi
	p=$!
	i=0
	while ! grep -q "^$p\$" "$out" 2>/dev/null && [ $i -lt 500 ]; do
		sleep 0.1 2>/dev/null || sleep 1
		i=$((i + 1))
	done
	echo "$p"
}

# level_bytes LEVEL REPORT: the bytes of that level's tables
level_bytes() {
	awk -v l="$1" '/^level /{ for (i = 1; i <= NF; i++) c[$i] = i; t = 1; next }
		t && $1 == l { print $c["tables"] * $c["table-bytes"]; exit }' "$2"
}

charged() {
	awk '$1 == "pagetables" { print $2 }' "$CG/$1/memory.stat"
}

tap_begin "$NTESTS"

# 1: cgroup v2 with the memory controller for the children of the root
grep -q '^[^ ]* /sys/fs/cgroup cgroup2 ' /proc/mounts ||
	mount -t cgroup2 none "$CG"
echo +memory >"$CG/cgroup.subtree_control" &&
	mkdir -p "$CG/mlpt-a" "$CG/mlpt-b" && [ -f "$CG/mlpt-a/memory.stat" ]
ok $? "cgroup2 mounted, memory controller on for mlpt-a and mlpt-b"

a1=$(start "$CG/mlpt-a" 1)
a2=$(start "$CG/mlpt-a" 2)
a3=$(start "$CG/mlpt-a" 3)
b1=$(start "" 4)
pids="$a1 $a2 $a3 $b1"
echo "$b1" >"$CG/mlpt-b/cgroup.procs"
sleep 3
case $(uname -r) in
5.* | 6.[0-9].* | 6.1[01].*) pud_charged=0 ;;
*) pud_charged=1 ;;
esac
case $(uname -r) in
5.* | 6.[0-9].* | 6.1[0-3].*) top_charged=0 ;;
*) top_charged=1 ;;
esac
vmpte_a=0
want_a=0
for p in $a1 $a2 $a3; do
	cat "/proc/mlpt/$p" >"$TMP/r.$p"
	v=$(key kernel-pgtables-bytes "$TMP/r.$p")
	pud=$(level_bytes pud "$TMP/r.$p")
	# The pgd, when it is whole pages, and the p4d tables.
	top=$(level_bytes p4d "$TMP/r.$p")
	pgd=$(level_bytes pgd "$TMP/r.$p")
	[ $((pgd % $(key page-size "$TMP/r.$p"))) != 0 ] || top=$((top + pgd))
	vmpte_a=$((vmpte_a + v))
	want_a=$((want_a + v - (1 - pud_charged) * pud + top_charged * top))
done
cat "/proc/mlpt/$b1" >"$TMP/r.$b1"
vmpte_b=$(key kernel-pgtables-bytes "$TMP/r.$b1")
charged_a=$(charged mlpt-a)
charged_b=$(charged mlpt-b)
echo "# mlpt-a: VmPTE $vmpte_a, charged $charged_a (want $want_a); mlpt-b: VmPTE $vmpte_b, charged $charged_b"

# 2: where they must agree, the kernel's own two figures do
[ "$vmpte_a" -gt 0 ] && [ "$charged_a" = "$want_a" ] &&
	[ "$vmpte_b" -gt 0 ] && [ "$charged_b" = 0 ]
ok $? "memory.stat: mlpt-a charged its processes' VmPTE (pud tables: $pud_charged; pgd and p4d: $top_charged), mlpt-b nothing"

# 3: the tool's groups say the same, and name the processes right
"$MLPT" --all --by cgroup --json >"$TMP/cg.json"
json --argjson va "$vmpte_a" --argjson ca "$charged_a" \
	--argjson vb "$vmpte_b" --argjson a1 "$a1" --argjson b1 "$b1" '
	([.cgroups[] | select(.cgroup == "/mlpt-a") |
	  [.processes, .vmpte_bytes, .charged_pagetables_bytes]] ==
	 [[3, $va, $ca]]) and
	([.cgroups[] | select(.cgroup == "/mlpt-b") |
	  [.processes, .vmpte_bytes, .charged_pagetables_bytes]] ==
	 [[1, $vb, 0]]) and
	([.processes[] | select(.pid == $a1) | .cgroup] == ["/mlpt-a"]) and
	([.processes[] | select(.pid == $b1) | .cgroup] == ["/mlpt-b"]) and
	([.cgroups[].processes] | add) == (.processes | length)' "$TMP/cg.json"
ok $? "mlpt --all --by cgroup --json: mlpt-a 3 processes, $vmpte_a = charged; mlpt-b 1, charged 0"

# 4: the text and CSV forms of the same
"$MLPT" --all --by cgroup --bytes >"$TMP/cg.txt"
grep -q "^/mlpt-a  *3  *[0-9]*  *$vmpte_a  *$charged_a  *[0-9]*\$" "$TMP/cg.txt" &&
	grep -q '^CHARGED: ' "$TMP/cg.txt"
ok $? "mlpt --all --by cgroup: the mlpt-a row, the note on CHARGED"
"$MLPT" --all --by cgroup --csv >"$TMP/cg.csv"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["cgroup"] == "/mlpt-b" { n++; if ($c["charged_pagetables_bytes"] != "0" ||
					  $c["processes"] != 1) bad = 1 }
	END { exit bad || n != 1 }' "$TMP/cg.csv"
ok $? "mlpt --all --by cgroup --csv: mlpt-b charged 0 for 1 process"

[ $failed -eq 0 ]
