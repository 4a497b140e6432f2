#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kernels.sh: print the kernels the module is tested on, one version a
# line: the newest installed Debian 6.1 and 6.12 amd64 kernels that have
# both an image to boot and headers to build against.  Versions are found,
# not written down, so a point release of Debian needs no change here.
# "kernels.sh all" adds the newest kernel of each of MLPT_MATRIX_SUITES
# (default: bullseye and sid), which the host cannot install: their
# headers and image come from a chroot (scripts/fetch-kernel.sh), and
# the debug kernel (scripts/debug-kernel.sh: 6.12 with lockdep and KASAN).
# With MLPT_ARCH=arm64 it prints the arm64 kernel of the newest 6.12
# instead, unpacked by scripts/fetch-foreign.sh: the same version, so
# that the host's linux-kbuild builds for it; "all" adds its twin with
# 16 KiB pages (-arm64-16k), which make matrix boots and make check does
# not.  With MLPT_ARCH=riscv64,
# sid's riscv64 kernel of the version of sid's amd64 one (fetch-kernel.sh
# sid), built in the sid chroot with that chroot's linux-kbuild.
set -eu
. "$(dirname "$0")/lib.sh"

case $MLPT_ARCH in
arm64)
	v=$(MLPT_ARCH=amd64 "$0" | grep '^6\.12\.')
	"$MLPT_SRC/scripts/fetch-foreign.sh" arm64 "${v%-amd64}-arm64"
	[ "${1:-}" != all ] ||
		"$MLPT_SRC/scripts/fetch-foreign.sh" arm64 "${v%-amd64}-arm64-16k"
	exit 0
	;;
riscv64)
	v=$("$MLPT_SRC/scripts/fetch-kernel.sh" sid)
	"$MLPT_SRC/scripts/fetch-foreign.sh" riscv64 "${v%-amd64}-riscv64"
	exit 0
	;;
esac

for series in 6.1 6.12; do
	newest=
	for img in /boot/vmlinuz-"$series".*-amd64; do
		v=${img#/boot/vmlinuz-}
		[ -f "$img" ] && [ -f "$(kernel_build_dir "$v")/Makefile" ] || continue
		newest=$(printf '%s\n%s\n' "$newest" "$v" | sort -V | tail -n 1)
	done
	[ -n "$newest" ] ||
		die "kernels: no $series amd64 kernel with image and headers: run scripts/deps.sh"
	echo "$newest"
done

if [ "${1:-}" = all ]; then
	for suite in ${MLPT_MATRIX_SUITES:-bullseye sid}; do
		"$MLPT_SRC/scripts/fetch-kernel.sh" "$suite"
	done
	"$MLPT_SRC/scripts/debug-kernel.sh"
fi
