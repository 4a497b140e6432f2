#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# matrix.sh: "make matrix": scripts/check.sh on every amd64 kernel Debian
# ships (kernels.sh all: bullseye, bookworm's two, sid), each built W=1
# and booted with 4- and 5-level paging, the debug kernel
# (scripts/debug-kernel.sh: lockdep, KASAN...), bookworm's arm64 6.12
# with 4 KiB and with 16 KiB pages (-arm64-16k), each with and without
# LPA2, and sid's riscv64 kernel in Sv57, Sv48 and Sv39, then one table
# of the results, printed and written to docs/matrix.md and README.md.
# The TAP stream is check.sh's; the last line is its "N passed, N failed".
#
# Its own build directory (build/matrix), so a make check running beside
# it keeps its own logs and selftests; the chroots are shared.
set -eu
. "$(dirname "$0")/lib.sh"

export MLPT_BUILD=$MLPT_SRC/build/matrix
export MLPT_CHROOTS
logs=$MLPT_BUILD/logs
tap=$MLPT_BUILD/check.tap
mkdir -p "$logs"

kernels=$("$MLPT_SRC/scripts/kernels.sh" all &&
	MLPT_ARCH=arm64 "$MLPT_SRC/scripts/kernels.sh" all &&
	MLPT_ARCH=riscv64 "$MLPT_SRC/scripts/kernels.sh") ||
	die "matrix: cannot get the kernels"
# --table: only the table again, from the last run's TAP.
if [ "${1:-}" = --table ]; then
	[ -f "$tap" ] || die "matrix: no $tap: run make matrix first"
	rc=0
else
	# Packaging does not depend on the kernels: make check tests it.
	MLPT_KERNELS=$kernels MLPT_LOGS=$logs MLPT_PACKAGING=0 \
		"$MLPT_SRC/scripts/check.sh" | tee "$tap"
	rc=${PIPESTATUS[0]}
fi

# cpu_of KVER MODE: what the guest CPU of that boot has or lacks, in the
# words of its architecture (scripts/lib.sh, qemu_cpu).
cpu_of() {
	case $(kernel_arch "$1"):$2 in
	amd64:5-level) echo LA57 ;;
	amd64:*) echo "no LA57" ;;
	arm64:5-level) echo LPA2 ;;
	arm64:*) echo "no LPA2" ;;
	riscv64:5-level) echo "Sv57" ;;
	riscv64:4-level) echo "Sv48 (no5lvl)" ;;
	riscv64:3-level) echo "Sv39 (no4lvl)" ;;
	*) echo "$2" ;;
	esac
}

# row KVER MODE: one table row from the TAP lines of that boot.
row() {
	local kver=$1 mode=$2 root suite warn pass fail
	root=$(kernel_chroot "$kver")
	suite=${root##*/}
	[ ! -f "$(debug_kernel_dir "$kver")/.complete" ] || suite="host (debug build)"
	warn=$(grep -ci 'warning:' "$MLPT_BUILD/kernels/$kver/build.log" 2>/dev/null || true)
	grep -q "^ok [0-9]* - $kver: build W=1 clean" "$tap" || warn="$warn (build failed)"
	pass=$(grep -F -- "- $kver/$mode: " "$tap" | grep -c '^ok ' || true)
	fail=$(grep -F -- "- $kver/$mode: " "$tap" | grep -c '^not ok ' || true)
	echo "| $kver | $(kernel_arch "$kver") | ${suite:-host} | $(cpu_of "$kver" "$mode") |" \
		"$(kernel_paging_levels "$kver" "$mode") | $warn | $pass | $fail |"
}

table=$(
	echo "| kernel | architecture | built in | CPU | paging levels | W=1 warnings | tests passed | tests failed |"
	echo "|---|---|---|---|---|---|---|---|"
	for kver in $kernels; do
		for mode in $(kernel_paging_modes "$kver"); do
			row "$kver" "$mode"
		done
	done
)
# The sections after the table (findings such as the 7.2 int3 oops) are
# written by people, not by this run: kept as they are.
notes=$(sed -n '/^## /,$p' "$MLPT_SRC/docs/matrix.md" 2>/dev/null || true)
{
	echo "# Kernel matrix"
	echo
	echo "Every amd64 kernel Debian ships, built W=1 and booted in QEMU on a"
	echo "CPU with LA57 (5-level paging) and on one without, and bookworm's"
	echo "arm64 6.12, cross-built and booted on QEMU's arm64 virt board with"
	echo "LPA2 (52 bits, 5 levels) and without (48 bits, 4 levels), and its"
	echo "flavour with 16 KiB pages (-arm64-16k: 52 bits in 4 levels, 47 in 3),"
	echo "and sid's riscv64 kernel on QEMU's riscv64 virt board in Sv57, Sv48"
	echo "and Sv39 (the mode the kernel picks: its no5lvl and no4lvl"
	echo "parameters), running every"
	echo "selftest (\`make matrix\`; \"built in\" is the Debian chroot that had"
	echo "the headers, or the host).  \"paging levels\" is what the kernel runs:"
	echo "Debian's 5.10 is built without CONFIG_X86_5LEVEL, so it runs 4 levels"
	echo "on LA57 too, and its tests expect that.  The -mlpt-debug kernel is"
	echo "Debian's 6.12 source built here (scripts/debug-kernel.sh) with"
	echo "Debian's configuration plus lockdep (PROVE_LOCKING, PROVE_RCU),"
	echo "DEBUG_ATOMIC_SLEEP, KASAN, KFENCE, UBSAN, DEBUG_VM, DEBUG_VM_PGTABLE,"
	echo "DEBUG_OBJECTS_RCU_HEAD and DEBUG_LIST: any report of theirs on the"
	echo "console fails the boot.  Built once (about an hour on two cores) and"
	echo "kept in build/debug-kernel/; too slow for \`make check\`."
	echo "Last run: $(date -u +%Y-%m-%d), $(tail -n 1 "$logs/summary" 2>/dev/null)."
	echo
	echo "$table"
	[ -z "$notes" ] || printf '\n%s\n' "$notes"
} >"$MLPT_SRC/docs/matrix.md.tmp"
mv "$MLPT_SRC/docs/matrix.md.tmp" "$MLPT_SRC/docs/matrix.md"
# README carries the same table between its two markers.
awk -v table="$table" '
	/^<!-- end of matrix -->$/ { print table; skip = 0 }
	!skip { print }
	/^<!-- matrix: written by make matrix -->$/ { skip = 1 }
' "$MLPT_SRC/README.md" >"$MLPT_SRC/README.md.tmp"
mv "$MLPT_SRC/README.md.tmp" "$MLPT_SRC/README.md"
echo "$table" | sed 's/^/# /'
# check.sh's verdict stays the last line.
tail -n 1 "$logs/summary" 2>/dev/null || true
exit "$rc"
