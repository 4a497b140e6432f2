#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# ksource.sh SERIES: unpack from Debian's linux-source-SERIES tarball only
# the kernel files the build and the tests borrow (kselftest harness,
# checkpatch and its data, .clang-format) into build/ksrc/SERIES/, and
# print that directory.  They stay out of the repository: they are the
# kernel's, and the installed tarball is the one true copy.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: ksource.sh SERIES (6.1 or 6.12)"
series=$1
tarball=/usr/src/linux-source-$series.tar.xz
out=$MLPT_BUILD/ksrc/$series
files=(
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest.h
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
	.clang-format
)

# The stamp is written last, so an interrupted unpack is redone.
if [ ! -f "$out/.complete" ]; then
	[ -f "$tarball" ] || die "ksource: $tarball missing: install linux-source-$series"
	rm -rf "$out"
	mkdir -p "$out"
	# The tarball's members are under linux-source-SERIES/; xz decoding
	# of the whole archive is the cost, so read it once for every file.
	tar -xJf "$tarball" -C "$out" --strip-components=1 \
		"${files[@]/#/linux-source-$series/}" ||
		die "ksource: cannot extract ${files[*]} from $tarball"
	touch "$out/.complete"
fi
echo "$out"
