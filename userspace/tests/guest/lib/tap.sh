# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Sourced by the in-guest test scripts of userspace/tests/guest/: TAP
# output, JSON checks, and mlpt-workload started in the background.  The
# caller sets TMP (a directory of its own) and WORKLOAD before sourcing.

n=0
failed=0
wpid=

# The page size, as the module reports it for this shell, and what
# follows from it: PAGE bytes (4096; 16384 on arm64's -16k kernels),
# PSHIFT its log2, ENTRIES of a page-table page (PAGE / 8) and LBITS, the
# address bits one level indexes (PSHIFT - 3: 9, or 11).
PAGE=$(sed -n 's/^page-size: //p' /proc/mlpt/self 2>/dev/null)
PAGE=${PAGE:-4096}
PSHIFT=0
while [ $((1 << PSHIFT)) -lt "$PAGE" ]; do PSHIFT=$((PSHIFT + 1)); done
ENTRIES=$((PAGE / 8))
LBITS=$((PSHIFT - 3))

# ok STATUS NAME: one TAP result; STATUS 0 passes.
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
}

# skip NAME REASON
skip() {
	n=$((n + 1))
	echo "ok $n $1 # SKIP $2"
}

# json ARGS...: jq -e ARGS, quietly.  jq is a JSON parser independent of
# the tool (make test's checker is the tool's own code): it refuses
# anything that is not JSON, and the filter in ARGS must hold.
json() {
	if ! command -v jq >/dev/null; then
		echo "# jq missing in the guest: scripts/mkinitramfs.sh adds it (apt-get install jq)"
		return 1
	fi
	jq -e "$@" >/dev/null
}

# key KEY FILE: the value of a "KEY: value" line of a module's report
key() {
	awk -v k="$1:" '$1 == k { print $2; exit }' "$2"
}

cleanup() {
	[ -n "$wpid" ] && kill "$wpid" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# tap_begin NTESTS: the TAP header, and the scratch directory.
tap_begin() {
	echo "TAP version 13"
	echo "1..$1"
	mkdir -p "$TMP"
}

# start_workload [RUNNER...]: run $WORKLOAD (through RUNNER, which must
# exec it, e.g. mlpt-as-user UID), set wpid, and wait (up to 50 s) until it
# prints its pid on $TMP/workload.out, which it does once its regions are
# mapped and written; its addresses are on $TMP/workload.err.
start_workload() {
	"$@" "$WORKLOAD" >"$TMP/workload.out" 2>"$TMP/workload.err" &
	wpid=$!
	i=0
	while [ ! -s "$TMP/workload.out" ] && [ $i -lt 500 ]; do
		sleep 0.1 2>/dev/null || sleep 1
		i=$((i + 1))
	done
}
