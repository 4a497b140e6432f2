#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh KVER: build mlpt.ko for kernel KVER with W=1 in a fresh
# copy of the sources under build/kernels/KVER/src, and fail on any
# compiler or modpost warning.  A copy per kernel, because probe.sh writes
# the kernel-specific module/compat-probed.h next to the sources and two
# kernels must not share it.  Prints the path of the module.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: build-module.sh KVER"
kver=$1
kdir=$(kernel_build_dir "$kver")
root=$(kernel_chroot "$kver")
out=$MLPT_BUILD/kernels/$kver
src=$out/src
log=$out/build.log

[ -n "$root" ] || [ -f "$kdir/Makefile" ] || die "build-module: no headers for $kver in $kdir: install linux-headers-$kver"
rm -rf "$src"
"$MLPT_SRC/scripts/module-source.sh" "$src"

in_kernel_env "$kver" "$MLPT_SRC/scripts/probe.sh" "$kdir" "$src"
rc=0
in_kernel_env "$kver" make -C "$kdir" M="$src" W=1 modules >"$log" 2>&1 || rc=$?
[ "$rc" = 0 ] || die "build-module: $kver: build failed (exit $rc), see $log"
# modpost says "WARNING:", the compiler "warning:"; both count.
if grep -qi 'warning:' "$log"; then
	grep -i 'warning:' "$log" >&2
	die "build-module: $kver: W=1 build has warnings, see $log"
fi
[ -f "$src/mlpt.ko" ] || die "build-module: $kver: make succeeded but left no $src/mlpt.ko"
echo "$src/mlpt.ko"
