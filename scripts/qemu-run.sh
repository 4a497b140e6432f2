#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# qemu-run.sh KVER MODE INITRD LOG [GUEST]: boot kernel KVER (kernel_image) with
# INITRD on a CPU with MODE paging (5-level or 4-level; riscv64 3-level
# too), 2 vCPUs and 2 GiB (an x86-64 PC, or QEMU's "virt" board for an
# arm64 or riscv64 KVER), and write the whole serial console to LOG.
# GUEST (check, demo or bench) tells guest-init.sh what to run.  The
# guest powers itself off; one that hangs is killed after
# MLPT_BOOT_TIMEOUT seconds (default 900; times kernel_slowdown, as the
# per-test limit) and this exits non-zero, so a stuck test can never
# stall the run.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -ge 4 ] || die "usage: qemu-run.sh KVER MODE INITRD LOG [check|demo|bench]"
kver=$1
mode=$2
initrd=$3
log=$4
guest=${5:-check}
slowdown=$(kernel_slowdown "$kver")
limit=$((${MLPT_BOOT_TIMEOUT:-900} * slowdown))
test_timeout=$((MLPT_TEST_TIMEOUT * slowdown))
kernel=$(kernel_image "$kver")

[ -f "$kernel" ] || die "qemu-run: $kernel missing: install linux-image-$kver"
[ -f "$initrd" ] || die "qemu-run: initramfs $initrd missing"
arch=$(kernel_arch "$kver")
cpu=$(qemu_cpu "$mode" "$arch")
accel=$(qemu_accel "$mode" "$kernel" "$arch")
case $arch in
amd64)
	qemu=(qemu-system-x86_64)
	console=ttyS0
	;;
arm64)
	qemu=(qemu-system-aarch64 -M virt)
	console=ttyAMA0
	;;
riscv64)
	qemu=(qemu-system-riscv64 -M virt)
	console=ttyS0
	;;
esac

# Two NUMA nodes of 1 GiB, the second memory only (both vCPUs in one
# node, or the kernel warns that the topology is insane): page migration
# needs somewhere to go (the stress selftests), and mlpt_numa checks
# which node each page table is on (one node fails it).  MLPT_QEMU_ARGS
# replaces them, or adds QEMU options.
# MLPT_GUEST_ARGS adds words to the guest's kernel command line.  The
# stress selftests run each group MLPT_STRESS_SECONDS (5; 60 in "make
# check-stress"); MLPT_TESTS limits the guest to some tests
# (comma-separated patterns).  See docs/reliability.md.
# A slower kernel (the debug kernel) runs each stress group as many times
# longer as it is slower, so that the work a group must get done in its
# time is there to be done.
stress="mlpt_stress_seconds=$((${MLPT_STRESS_SECONDS:-5} * slowdown))${MLPT_TESTS:+ mlpt_tests=$MLPT_TESTS}"
# riscv64's "virt" board makes each node a socket, which must have a
# hart: one vCPU per node there.
cpus0=0-1 cpus1=
[ "$arch" != riscv64 ] || cpus0=0 cpus1=,cpus=1
numa="-object memory-backend-ram,id=mem0,size=1G -numa node,nodeid=0,cpus=$cpus0,memdev=mem0"
numa="$numa -object memory-backend-ram,id=mem1,size=1G -numa node,nodeid=1$cpus1,memdev=mem1"
# shellcheck disable=SC2206 # split on purpose: a list of options
extra=(${MLPT_QEMU_ARGS-$numa})

# riscv64: QEMU before 8.1 writes "riscv,sv48" as every hart's mmu-type
# in the device tree although its CPU translates Sv57 too, and the kernel
# takes no mode above the device tree's.  So boot with QEMU's own tree
# for this machine, dumped and given Sv57.
if [ "$arch" = riscv64 ]; then
	dtb=$(mktemp)
	trap 'rm -f "$dtb" "$dtb.dts"' EXIT
	"${qemu[@]}" -machine dumpdtb="$dtb" -cpu "$cpu" -smp 2 -m 2G \
		-nodefaults -display none "${extra[@]}" >/dev/null 2>&1 ||
		die "qemu-run: $kver: could not dump the riscv64 device tree"
	dtc -q -I dtb -O dts "$dtb" | sed 's/"riscv,sv[0-9]*"/"riscv,sv57"/' >"$dtb.dts"
	dtc -q -I dts -O dtb -o "$dtb" "$dtb.dts"
	qemu+=(-dtb "$dtb")
fi

# quiet keeps test output readable; the guest dumps the full dmesg at the
# end, and oopses and stalls print on the console regardless.  panic=-1
# with -no-reboot turns a panic into a prompt QEMU exit.
mkdir -p "$(dirname "$log")"
rc=0
timeout -k 10 "$limit" "${qemu[@]}" \
	-accel "$accel" -cpu "$cpu" -smp 2 -m 2G \
	-nodefaults -display none -monitor none -serial stdio -no-reboot \
	-kernel "$kernel" -initrd "$initrd" "${extra[@]}" \
	-append "console=$console panic=-1 quiet $(qemu_append "$mode" "$arch") mlpt_guest=$guest mlpt_timeout=$test_timeout mlpt_slowdown=$slowdown $stress ${MLPT_GUEST_ARGS:-}" \
	</dev/null >"$log" 2>&1 || rc=$?
case $rc in
0) ;;
124 | 137) die "qemu-run: $kver $mode: guest still running after ${limit}s, killed; see $log" ;;
*) die "qemu-run: $kver $mode: qemu failed (exit $rc); see $log" ;;
esac
grep -q '^MLPT-GUEST-END' "$log" ||
	die "qemu-run: $kver $mode: guest stopped before the end of its run; see $log"
