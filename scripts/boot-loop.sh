#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# boot-loop.sh KVER MODE N [--no-module] [--flip-clocksource
# [--reload=MODULE]]: boot kernel KVER N times in QEMU with MODE paging
# (5-level or 4-level) and count the boots that oopsed or panicked: the
# tool for a crash that comes once in tens of boots (docs/matrix.md,
# "The int3 oops on 7.2").
#
# Each boot is the minimal guest: scripts/guest-init.sh with no selftest
# selected, so it boots, insmods mlpt.ko, mounts /proc/mlpt, reads one
# report (/proc/mlpt/self), unmounts, rmmods and powers off.
# --no-module boots the same guest with an empty file in place of
# mlpt.ko: busybox's insmod gives up on it ("short read") before it asks
# the kernel to load anything, and the boot is otherwise the same, as
# long.  --flip-clocksource adds one guest test that switches the
# clocksource MLPT_FLIPS times (100) while the time is read, and
# unloads and loads MODULE (mlpt, zram, lz4hc_compress or none; mlpt
# when it is loaded) all along (see below).
#
# Its own build directory (build/boot-loop/KVER), beside a make check.
# The consoles of the boots that failed are kept as
# build/boot-loop/KVER/MODE-WHAT[-flip-MODULE]/fail-I.log, the last
# clean one as clean.log.  A line a boot says how many clocksource
# switches its dmesg shows and whether the TSC was marked unstable; the
# last line printed is "KVER MODE WHAT: N boots, N clean, N oops,
# N panic, N other failures; N with a clocksource marked unstable".
# Exits 1 when a boot failed.
set -eu
. "$(dirname "$0")/lib.sh"

usage="usage: boot-loop.sh KVER MODE N [--no-module]"
usage="$usage [--flip-clocksource [--reload=MODULE]]"
[ $# -ge 3 ] || die "$usage"
kver=$1
mode=$2
n=$3
shift 3
what=module
flip=
reload=
for opt in "$@"; do
	case $opt in
	--no-module) what=no-module ;;
	--flip-clocksource) flip=-flip ;;
	--reload=*) reload=${opt#--reload=} ;;
	*) die "boot-loop: unknown option '$opt'; $usage" ;;
	esac
done
case $n in
'' | *[!0-9]*) die "boot-loop: N must be a number of boots, not '$n'" ;;
esac
# What the flipper reloads: mlpt when it is loaded, else nothing.
if [ -z "$reload" ]; then
	reload=none
	[ "$what" = no-module ] || reload=mlpt
fi
case $reload in
none | zram | lz4hc_compress) ;;
mlpt) [ "$what" = module ] || die "boot-loop: --reload=mlpt needs the module" ;;
*) die "boot-loop: --reload= takes mlpt, zram, lz4hc_compress or none" ;;
esac
[ -n "$flip" ] || [ "$reload" = none ] || [ "$reload" = mlpt ] ||
	die "boot-loop: --reload= goes with --flip-clocksource"
[ -z "$flip" ] || flip=-flip-$reload

export MLPT_BUILD=$MLPT_SRC/build/boot-loop/$kver
# A guest with nothing to do is up in well under a minute.
export MLPT_BOOT_TIMEOUT=${MLPT_BOOT_TIMEOUT:-300}
# No selftest has this name: the guest runs none, or only the flipper.
export MLPT_TESTS=none
[ -z "$flip" ] || MLPT_TESTS=clocksource-flip
lock_build
out=$MLPT_BUILD/$mode-$what$flip
rm -rf "$out"
mkdir -p "$out"

ko=$("$MLPT_SRC/scripts/build-module.sh" "$kver")
initrd=$MLPT_BUILD/initramfs.gz
"$MLPT_SRC/scripts/mkinitramfs.sh" "$initrd" "$ko"
# What differs from that initramfs goes in a second archive after it:
# the kernel unpacks concatenated cpio archives in order, a later file
# replacing an earlier one.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/lib" "$tmp/selftests"
[ "$what" = module ] || : >"$tmp/lib/mlpt.ko"
# --flip-clocksource: the guest's one test switches the clocksource
# from tsc to another and back FLIPS times while both CPUs read the
# time, and unloads and loads a module all along.  On 7.2 every switch
# patches the kernel's own text (the static key clocksource_read_inlined
# of timekeeping.c, off before the switch, on after a switch to tsc)
# with the int3 protocol of arch/x86/kernel/alternative.c, as loading a
# module patches its static calls (mlpt's two cond_resched(), zram's
# nineteen; lz4hc_compress has none): the two text patchings the oops
# is suspected of, many times and at the same time.  Once the watchdog
# has marked the TSC unstable, tsc can no longer be chosen: the dmesg's
# count of switches says how many were made.
if [ -n "$flip" ]; then
	cat >"$tmp/selftests/clocksource-flip" <<'EOF'
#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Written by scripts/boot-loop.sh --flip-clocksource.
cs=/sys/devices/system/clocksource/clocksource0
flips=$(sed -n 's/.*mlpt_flips=\([0-9]*\).*/\1/p' /proc/cmdline)
avail=$(cat $cs/available_clocksource)
other=$(echo "$avail" | tr ' ' '\n' | grep -v -x -e tsc -e '' | head -n 1)
if ! echo "$avail" | grep -qw tsc || [ -z "$other" ]; then
	echo "clocksource-flip: no tsc or nothing else in: $avail"
	exit 1
fi
# Two readers of the time, for the two vCPUs.
(while :; do read -r _ </proc/uptime; done) &
r1=$!
(while :; do read -r _ </proc/uptime; done) &
r2=$!
# A module unloaded and loaded again until the flips are done: mlpt,
# zram (its dependency loaded once first), lz4hc_compress, or none.
reload=$(sed -n 's/.*mlpt_reload=\([a-z0-9_]*\).*/\1/p' /proc/cmdline)
case $reload in
mlpt)
	umount /proc/mlpt || exit 1
	ko=/lib/mlpt.ko
	;;
zram)
	insmod /lib/zram/01-lz4hc_compress.ko || exit 1
	ko=/lib/zram/02-zram.ko
	insmod $ko || exit 1
	;;
lz4hc_compress)
	ko=/lib/zram/01-lz4hc_compress.ko
	insmod $ko || exit 1
	;;
esac
if [ "$reload" != none ]; then
	(
		n=0
		while [ ! -e /tmp/flips-done ]; do
			rmmod "$reload" && insmod "$ko" || exit 1
			n=$((n + 1))
		done
		echo "clocksource-flip: $reload unloaded and loaded $n times"
	) &
	r3=$!
fi
i=0
while [ "$i" -lt "$flips" ]; do
	echo "$other" >$cs/current_clocksource || break
	echo tsc >$cs/current_clocksource || break
	i=$((i + 1))
done
kill $r1 $r2
now=$(cat $cs/current_clocksource)
echo "clocksource-flip: $i of $flips flips tsc <-> $other, now $now"
[ "$i" = "$flips" ] || exit 1
[ "$reload" != none ] || exit 0
touch /tmp/flips-done
wait "$r3" || exit 1
[ "$reload" != mlpt ] || mount -t mlpt none /proc/mlpt
EOF
	chmod 0755 "$tmp/selftests/clocksource-flip"
	MLPT_GUEST_ARGS="${MLPT_GUEST_ARGS:-} mlpt_flips=${MLPT_FLIPS:-100}"
	export MLPT_GUEST_ARGS="$MLPT_GUEST_ARGS mlpt_reload=$reload"
fi
cp "$initrd" "$out/initramfs.gz"
(cd "$tmp" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --quiet) | gzip -1 >>"$out/initramfs.gz"
initrd=$out/initramfs.gz

# What the guest says it did: with the module, insmod succeeded and
# a report was read (its paging-levels); without, insmod was refused
# and there was no report.
want='insmod mlpt.ko rc=0$'
report='mlpt=[45]$'
if [ "$what" = no-module ]; then
	want='insmod mlpt.ko rc=[1-9][0-9]*$'
	report='mlpt=none$'
fi
# The flipper must have done all its flips.
flipped=.
[ -z "$flip" ] || flipped='^MLPT-TEST-END clocksource-flip rc=0 '

clean=0
unstable=0
oops=0
panic=0
other=0
for i in $(seq 1 "$n"); do
	log=$out/boot.log
	rc=0
	"$MLPT_SRC/scripts/qemu-run.sh" "$kver" "$mode" "$initrd" "$log" check \
		2>"$out/qemu-run.err" || rc=$?
	# The serial console ends its lines with CR LF.
	sed -i 's/\r$//' "$log"
	if grep -q -E 'Oops: |BUG: |general protection fault' "$log"; then
		oops=$((oops + 1))
		verdict=oops
	elif grep -q 'Kernel panic' "$log"; then
		panic=$((panic + 1))
		verdict=panic
	elif [ "$rc" != 0 ] ||
		grep -q -E 'WARNING:|Call Trace|soft lockup|rcu.*stall' "$log" ||
		! grep -q -E "^MLPT-CHECK $want" "$log" ||
		! grep -q -E "^MLPT-PAGING .*$report" "$log" ||
		! grep -q -E "$flipped" "$log"; then
		other=$((other + 1))
		verdict=other
	else
		clean=$((clean + 1))
		verdict=clean
	fi
	# The int3 of the oops is in the static key that each clocksource
	# switch toggles: say how many this boot made and why.
	switches=$(grep -c 'clocksource: Switched to clocksource' "$log" || true)
	marked=$(grep -c -E 'Marking (clocksource .*|TSC )unstable' "$log" || true)
	[ "$marked" = 0 ] || unstable=$((unstable + 1))
	if [ "$verdict" != clean ]; then
		cat "$out/qemu-run.err" >>"$log"
		mv "$log" "$out/fail-$i.log"
	fi
	echo "boot $i/$n: $verdict; clocksource switches $switches," \
		"marked unstable $marked"
done
# One clean console, to compare the failing ones with.
[ ! -f "$out/boot.log" ] || mv "$out/boot.log" "$out/clean.log"
rm -f "$out/qemu-run.err"
echo "$kver $mode $what$flip: $n boots, $clean clean, $oops oops," \
	"$panic panic, $other other failures;" \
	"$unstable with a clocksource marked unstable"
[ "$clean" = "$n" ]
