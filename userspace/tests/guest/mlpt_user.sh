#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In-guest tests of the mlpt tool as a user without privileges, with the
# module loaded: the paths a user takes first (the survey, mlpt run,
# translate) must work, and another user's process must be refused, never
# crash the tool (issue: the survey aborted in free() as soon as one
# process was unreadable, which for a user is pid 1).
# kselftest-style TAP; exit 0 iff every test passed.

MLPT=${MLPT:-/bin/mlpt}
WORKLOAD=${WORKLOAD:-/bin/mlpt-workload}
AS_USER="/bin/mlpt-as-user 1000"
TMP=${TMPDIR:-/tmp}/mlpt-user.$$
NTESTS=10
# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

# user CMD...: run CMD as uid 1000, stdout and stderr into $TMP/out, err;
# sets st to its exit status
user() {
	$AS_USER "$@" >"$TMP/out" 2>"$TMP/err"
	st=$?
}

# clean: exit 0 and nothing on stderr (no crash, no complaint)
clean() {
	[ "$st" -eq 0 ] && [ ! -s "$TMP/err" ]
}

tap_begin "$NTESTS"
chmod 0755 "$TMP"

# A workload of uid 1000's own, which that user may read.
# shellcheck disable=SC2086 # AS_USER is a command and its argument
start_workload $AS_USER
[ "$(cat "$TMP/workload.out")" = "$wpid" ]
ok $? "uid 1000's workload $wpid runs"

# 2: the default command.  Every root process (pid 1 at least) is refused
# to this user and counted as skipped, the workload has a row.
user "$MLPT"
clean && grep -q "^ *$wpid " "$TMP/out" &&
	grep -q '^skipped: .*[1-9][0-9]* permission denied' "$TMP/out"
ok $? "mlpt as uid 1000: the survey, root's processes skipped (exit $st)"

# 3: parsed by jq: the workload has a row, root's processes were refused
user "$MLPT" --all --json
clean && json --argjson w "$wpid" \
	'any(.processes[]; .pid == $w) and .skipped.permission_denied > 0' \
	"$TMP/out"
ok $? "mlpt --all --json as uid 1000 (exit $st)"

user "$MLPT" --csv --all
clean && grep -q "^$wpid," "$TMP/out"
ok $? "mlpt --csv --all as uid 1000 (exit $st)"

# 5: mlpt run traces its own child: peak and exit reports, its status.
user "$MLPT" run -- sh -c 'sleep 1; exit 7'
[ "$st" -eq 7 ] && [ ! -s "$TMP/err" ] && grep -q ', peak:' "$TMP/out" &&
	grep -q ', exit:' "$TMP/out"
ok $? "mlpt run as uid 1000: peak and exit, the command's status (exit $st)"

# 6: translate an address of the user's own workload (its dense region,
# written with huge pages refused, so the walk ends at a present pte); the
# frame stays hidden from a user without CAP_SYS_ADMIN.
dense=$(sed -n 's/.* dense \(0x[0-9a-f]*\)+.*/\1/p' "$TMP/workload.err")
user "$MLPT" translate "$wpid" "$dense"
clean && grep -q "maps one $((PAGE / 1024)) KiB page" "$TMP/out" &&
	grep -q '^physical: hidden' "$TMP/out"
ok $? "mlpt translate $wpid $dense as uid 1000: a pte leaf, frame hidden (exit $st)"

# 7-8: another user's process is refused with one line and exit 4.
user "$MLPT" 1
[ "$st" -eq 4 ] && [ ! -s "$TMP/out" ] &&
	[ "$(wc -l <"$TMP/err")" -eq 1 ] &&
	grep -q '^mlpt: 1: permission denied' "$TMP/err"
ok $? "mlpt 1 as uid 1000: exit 4, permission denied (exit $st)"

user "$MLPT" translate 1 0x1000
[ "$st" -eq 4 ] && [ ! -s "$TMP/out" ] &&
	grep -q '^mlpt: 1: permission denied' "$TMP/err"
ok $? "mlpt translate 1 as uid 1000: exit 4 (exit $st)"

# 9-10: waste of the user's own workload (its sparse region: 32 pte
# tables of one entry, mlpt_waste.sh derives the rest), and not of pid 1.
user "$MLPT" waste "$wpid"
clean && grep -q '^pid [0-9]* (mlpt-workload): page tables ' "$TMP/out" &&
	grep -q ' rw-p  anon .*  *32  *0  *32  -$' "$TMP/out"
ok $? "mlpt waste $wpid as uid 1000: the sparse region's 32 tables (exit $st)"

user "$MLPT" waste 1
[ "$st" -eq 4 ] && [ ! -s "$TMP/out" ] &&
	grep -q '^mlpt: 1: permission denied' "$TMP/err"
ok $? "mlpt waste 1 as uid 1000: exit 4 (exit $st)"

[ $failed -eq 0 ]
