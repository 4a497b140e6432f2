#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest-init.sh: /init of the QEMU guest (busybox sh as pid 1).  Loads
# mlpt.ko, mounts /proc/mlpt, runs every /selftests/* (mlpt_guest=check on
# the kernel command line) or the demo (mlpt_guest=demo), unloads, dumps
# dmesg and powers off.  Everything the host needs is printed on the
# console between MLPT-* markers that scripts/guest-results.awk reads;
# a guest that dies before MLPT-GUEST-END is a failure on the host side.
#
# No "set -e": if pid 1 exits the kernel panics and the log says nothing
# useful, so every step reports its status and the script goes on.
export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp

guest=check
timeout=300
for arg in $(cat /proc/cmdline); do
	case $arg in
	mlpt_guest=*) guest=${arg#*=} ;;
	mlpt_timeout=*) timeout=${arg#*=} ;;
	# The kernel's slowdown (scripts/lib.sh): tests scale rates by it.
	mlpt_slowdown=*) export MLPT_SLOWDOWN="${arg#*=}" ;;
	# Stress groups' duration, and which tests run (comma-separated
	# patterns; all when unset): see docs/reliability.md.
	mlpt_stress_seconds=*) export MLPT_STRESS_SECONDS=${arg#*=} ;;
	mlpt_tests=*) tests=${arg#*=} ;;
	esac
done

# selected NAME: is test NAME one the mlpt_tests= patterns ask for?
selected() {
	[ -z "${tests:-}" ] && return 0
	set -f
	old_ifs=$IFS
	IFS=,
	found=1
	for pattern in $tests; do
		# shellcheck disable=SC2254
		case $1 in $pattern) found=0 ;; esac
	done
	IFS=$old_ifs
	set +f
	return $found
}

# step NAME CMD...: run one rig step and report it as a test of its own.
step() {
	name=$1
	shift
	"$@"
	echo "MLPT-CHECK $name rc=$?"
}

echo "MLPT-GUEST-BEGIN kernel=$(uname -r) guest=$guest"
# hugetlb tests need pages reserved before memory fragments.
echo 16 > /proc/sys/vm/nr_hugepages
echo "MLPT-INFO nr_hugepages=$(cat /proc/sys/vm/nr_hugepages)"

step "insmod mlpt.ko" insmod /lib/mlpt.ko
# "none", not "mlpt": busybox mount takes a source naming an existing file
# for a loop image, and the cwd is / here.
step "mount -t mlpt none /proc/mlpt" mount -t mlpt none /proc/mlpt

# The paging mode as the CPU flags and as the module see it: the host
# compares both with the mode it asked QEMU for.  The kernel clears la57
# from the flags when it runs with 4 levels on a CPU that has it.  arm64
# shows no such flag: its kernel says at boot when it uses the CPU's
# 52-bit addresses, else it runs 48 bits (47 with 16 KiB pages); the
# levels are what those bits take above the page offset, PAGE_SHIFT - 3
# bits a level, rounded up: 5 or 4 with 4 KiB pages, 4 or 3 with 16 KiB
# (the page size from KernelPageSize: busybox has no getconf).  riscv64
# names the satp mode in use ("mmu : sv48"): 12 bits of page offset and 9
# per level.
cpu_levels=4
case $(uname -m) in
aarch64) page_kb=$(sed -n 's/^KernelPageSize: *\([0-9]*\) kB$/\1/p' /proc/self/smaps | head -n 1)
	case $page_kb in
	16) page_shift=14 va_bits=47 ;;
	*) page_shift=12 va_bits=48 ;;
	esac
	dmesg | grep -q 'CPU features: detected: 52-bit Virtual Addressing' && va_bits=52
	cpu_levels=$(((va_bits - page_shift + page_shift - 4) / (page_shift - 3))) ;;
riscv64) cpu_levels=$(sed -n 's/^mmu[[:space:]]*: sv\(39\|48\|57\)$/\1/p' /proc/cpuinfo | head -n 1)
	cpu_levels=$(((${cpu_levels:-0} - 12) / 9)) ;;
*) grep -qw la57 /proc/cpuinfo && cpu_levels=5 ;;
esac
mlpt_levels=$(sed -n 's/^paging-levels: //p' /proc/mlpt/self 2>/dev/null)
echo "MLPT-PAGING cpuinfo=$cpu_levels mlpt=${mlpt_levels:-none}"

# A subshell: nothing in it can end pid 1.
(
	cd /tmp || exit
	case $guest in
	check)
		for t in /selftests/*; do
			[ -f "$t" ] && [ -x "$t" ] || continue
			name=${t##*/}
			selected "$name" || continue
			echo "MLPT-TEST-BEGIN $name"
			start=$(date +%s)
			timeout "$timeout" "$t" </dev/null
			rc=$?
			echo "MLPT-TEST-END $name rc=$rc secs=$(($(date +%s) - start))"
		done
		;;
	bench)
		echo "MLPT-BENCH-RUN-BEGIN"
		if grep -qw mlpt_bench_quick=1 /proc/cmdline; then
			mlpt-bench --quick
		else
			mlpt-bench
		fi
		echo "MLPT-BENCH-RUN-END"
		;;
	demo)
		echo "MLPT-DEMO-BEGIN"
		guest-demo.sh "$cpu_levels"
		echo "MLPT-DEMO-END"
		;;
	esac
)

step "umount /proc/mlpt" umount /proc/mlpt
step "rmmod mlpt" rmmod mlpt

echo "MLPT-DMESG-BEGIN"
dmesg
echo "MLPT-DMESG-END"
echo "MLPT-GUEST-END"
poweroff -f
