#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh: run bench/mlpt-bench where /proc/mlpt can be read: on this
# machine if the module is loaded here, else in a QEMU guest running
# Debian's 6.12 kernel with 5-level paging (the layouts of real programs
# it replays, bench/layouts/, go into the guest's /lib/mlpt-bench).
# Writes build/bench/: the table (bench.txt), bench.json and bench.svg;
# exits non-zero when a target of the benchmark is missed or a replay
# differs from its capture.  Under TCG the absolute times are not
# hardware times: the ratios are what count.
set -eu
. "$(dirname "$0")/lib.sh"

out=$MLPT_BUILD/bench
quick=${MLPT_BENCH_ARGS:-}

# split RAW: the three documents mlpt-bench prints, into $out.
split() {
	sed -n '/^MLPT-BENCH-JSON-BEGIN/q;p' "$1" >"$out/bench.txt"
	sed -n '/^MLPT-BENCH-JSON-BEGIN/,/^MLPT-BENCH-JSON-END/{//!p}' "$1" >"$out/bench.json"
	sed -n '/^MLPT-BENCH-SVG-BEGIN/,/^MLPT-BENCH-SVG-END/{//!p}' "$1" >"$out/bench.svg"
	cat "$out/bench.txt"
	say "bench: results in $out/bench.{txt,json,svg}"
	! grep -q '^  MISSED' "$out/bench.txt"
}

lock_build
mkdir -p "$out" "$MLPT_BUILD/logs"
"$MLPT_SRC/scripts/deps.sh"
make -s -C "$MLPT_SRC/bench" O="$out"
# The survey times the tool itself (mlpt --all), from PATH.
make -s -C "$MLPT_SRC/userspace"
if [ -r /proc/mlpt/version ]; then
	say "bench: on this machine ($(uname -r)), module $(cat /proc/mlpt/version)"
	# shellcheck disable=SC2086 # empty or one option
	PATH=$MLPT_SRC/userspace:$PATH "$out/mlpt-bench" $quick \
		--layouts "$MLPT_SRC/bench/layouts" >"$out/raw.txt" || true
	split "$out/raw.txt"
	exit
fi

kver=$("$MLPT_SRC/scripts/kernels.sh" | grep '^6\.12\.') ||
	die "bench: no 6.12 kernel installed"
ko=$("$MLPT_SRC/scripts/build-module.sh" "$kver")
initrd=$out/initramfs.gz
log=$MLPT_BUILD/logs/bench-$kver.log
MLPT_BENCH=$out/mlpt-bench "$MLPT_SRC/scripts/mkinitramfs.sh" "$initrd" "$ko"
say "bench: booting $kver in QEMU (5-level, $(qemu_accel 5-level "$(kernel_image "$kver")")); console in $log"
MLPT_GUEST_ARGS="${quick:+mlpt_bench_quick=1}" MLPT_BOOT_TIMEOUT=3600 \
	"$MLPT_SRC/scripts/qemu-run.sh" "$kver" 5-level "$initrd" "$log" bench
tr -d '\r' <"$log" | sed -n '/^MLPT-BENCH-RUN-BEGIN/,/^MLPT-BENCH-RUN-END/{//!p}' >"$out/raw.txt"
[ -s "$out/raw.txt" ] || die "bench: the guest printed no results; see $log"
split "$out/raw.txt"
