#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh OUT KO: write the guest's initramfs (cpio newc, gzip) to
# OUT: busybox and its applets, scripts/guest-init.sh as /init, KO as
# /lib/mlpt.ko, the built selftests (build/selftests/) and the user tool's
# in-guest test scripts (userspace/tests/guest/*.sh) in /selftests, their
# helpers (build/selftests/bin/), the user tool when it is built and the
# demo scripts in /bin, the kernel's configuration in /boot; with
# MLPT_BENCH, that benchmark in /bin and bench/layouts/ in
# /lib/mlpt-bench.  Dynamically
# linked programs get their libraries and loader too.  Programs live in
# /bin and /selftests, never in the guest's cwd.
#
# For a kernel of another architecture (arm64, riscv64) everything comes
# from that architecture: busybox, jq and stress-ng from its unpacked root
# (scripts/fetch-foreign.sh: bookworm's for arm64, sid's for riscv64),
# with the libraries they need from there; the selftests and labs
# cross-built statically in build/ARCH/, the user tool cross-built in
# build/ARCH/tool/ (scripts/check.sh) against the root's libproc2.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: mkinitramfs.sh OUT KO"
out=$1
ko=$2
[ -f "$ko" ] || die "mkinitramfs: module $ko missing"
kver=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
arch=$(kernel_arch "$kver")
froot=$(kernel_foreign_root "$kver")
busybox=$froot/bin/busybox
build=$MLPT_BUILD
[ "$arch" = amd64 ] || build=$MLPT_BUILD/$arch

[ -x "$busybox" ] || die "mkinitramfs: $busybox missing: install busybox-static"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
# mktemp's 0700 would become the guest's /, shutting out the tests'
# unprivileged children.
chmod 0755 "$root"
mkdir -p "$root"/{bin,lib,selftests,proc,sys,dev,tmp}

# add SRC DEST: copy a program in, with what the dynamic loader needs.
# ldd prints "lib => /path (addr)" and "/loader (addr)"; static programs
# and scripts make it fail, and then there is nothing to add.
add() {
	local lib
	install -m 0755 "$1" "$root/$2"
	for lib in $(ldd "$1" 2>/dev/null | grep -o '/[^ ]*' || true); do
		mkdir -p "$root/$(dirname "$lib")"
		cp -L "$lib" "$root/$lib"
	done
}

# add_foreign SRC DEST: the same for a program of another architecture,
# which ldd cannot run: its loader (PT_INTERP) and, recursively, the
# libraries its NEEDED entries name, found in the unpacked root's
# multiarch directories and put where the guest's loader looks.
add_foreign() {
	local todo=("$1") f lib dir interp
	install -m 0755 "$1" "$root/$2"
	interp=$(readelf -lW "$1" | sed -n 's/.*program interpreter: \(.*\)]$/\1/p')
	[ -n "$interp" ] || return 0
	mkdir -p "$root/$(dirname "$interp")"
	cp -L "$froot$interp" "$root$interp"
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]}
		todo=("${todo[@]:1}")
		for lib in $(readelf -dW "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
			[ ! -e "$root/usr/lib/$triplet/$lib" ] || continue
			for dir in "$froot/usr/lib/$triplet" "$froot/lib/$triplet" ""; do
				[ -z "$dir" ] || [ ! -e "$dir/$lib" ] || break
			done
			[ -n "$dir" ] || die "mkinitramfs: $lib of $f not in $froot: run scripts/fetch-foreign.sh"
			mkdir -p "$root/usr/lib/$triplet"
			cp -L "$dir/$lib" "$root/usr/lib/$triplet/$lib"
			todo+=("$dir/$lib")
		done
	done
}

# add_program SRC DEST: add or add_foreign, as the guest's architecture asks.
add_program() {
	if [ "$arch" = amd64 ]; then
		add "$@"
	else
		add_foreign "$@"
	fi
}
[ "$arch" = amd64 ] || triplet=$(dpkg-architecture -a"$arch" -qDEB_HOST_MULTIARCH 2>/dev/null)

add "$busybox" bin/busybox
# Another architecture's busybox cannot run here to list its applets; the
# host's is the same Debian build (same version, same configuration).
for applet in $(/bin/busybox --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
add "$MLPT_SRC/scripts/guest-init.sh" init
install -m 0644 "$ko" "$root/lib/mlpt.ko"

add "$MLPT_SRC/scripts/guest-demo.sh" bin/guest-demo.sh
add "$MLPT_SRC/scripts/show.sh" bin/show.sh

# add_dir DIR DEST: every executable file directly in DIR, into DEST.
add_dir() {
	local f
	for f in "$1"/*; do
		if [ -f "$f" ] && [ -x "$f" ]; then
			add "$f" "$2/${f##*/}"
		fi
	done
}
add_dir "$build/selftests" selftests
add_dir "$build/selftests/bin" bin
# make bench: the benchmark, when scripts/bench.sh asks for it, and the
# layouts of real programs it replays where it reads them by default.
if [ -n "${MLPT_BENCH:-}" ]; then
	add "$MLPT_BENCH" bin/mlpt-bench
	mkdir -p "$root/lib/mlpt-bench"
	cp "$MLPT_SRC"/bench/layouts/*.layout "$root/lib/mlpt-bench/"
fi
# The labs of labs/ (the guest's mlpt lab finds them with MLPT_LABS=/bin).
[ ! -d "$build/labs" ] || add_dir "$build/labs" bin
# The user tool, this host's or cross-built, when it is built; jq: the
# in-guest tests parse the tool's JSON with it, a parser that is not the
# tool's own; they fail without it.
tool=$MLPT_SRC/userspace/mlpt
jq=$(command -v jq || true)
stress_ng=$(command -v stress-ng || true)
if [ "$arch" != amd64 ]; then
	tool=$build/tool/userspace/mlpt
	jq=$froot/usr/bin/jq
	stress_ng=$froot/usr/bin/stress-ng
fi
# Scripts run through their #! line, executable in git or not.  The
# tests come whenever the architecture has that userland, so that a tool
# that failed to build fails them.
mkdir -p "$root/selftests/lib"
if [ "$arch" = amd64 ] || [ -x "$jq" ]; then
	[ ! -x "$tool" ] || add_program "$tool" bin/mlpt
	[ ! -x "$jq" ] || add_program "$jq" bin/jq
	for t in "$MLPT_SRC"/userspace/tests/guest/*.sh; do
		if [ -f "$t" ]; then
			add "$t" "selftests/${t##*/}"
		fi
	done
	# Their shared helpers, sourced from /selftests/lib (not run as tests).
	cp "$MLPT_SRC"/userspace/tests/guest/lib/*.sh "$root/selftests/lib/"
fi

# For the stress selftests (docs/reliability.md): stress-ng as a neighbour
# load, and zram with the modules it needs as a swap device, from the
# kernel KO was built for.  The modules go to /lib/zram uncompressed (the
# guest loads them with finit_module()), numbered in load order:
# modules.dep lists a module's dependencies last-needed first.
[ ! -x "$stress_ng" ] || add_program "$stress_ng" bin/stress-ng
# Kernels of other releases or architectures, and the debug kernel: their
# modules are in their chroot, unpacked root or build tree.
kmods=$(kernel_modules_dir "$kver")
zram=$(grep -E '^kernel/drivers/block/zram/zram\.ko[.a-z]*:' "$kmods/modules.dep" 2>/dev/null || true)
if [ -n "$zram" ]; then
	mkdir -p "$root/lib/zram"
	i=0
	for m in $(echo "${zram#*:}" | tr ' ' '\n' | tac) "${zram%%:*}"; do
		[ -n "$m" ] || continue
		i=$((i + 1))
		name=${m##*/}
		case $m in
		*.xz) xz -dc "$kmods/$m" ;;
		*.zst) zstd -qdc "$kmods/$m" ;;
		*) cat "$kmods/$m" ;;
		esac >"$root/lib/zram/$(printf %02d $i)-${name%.ko*}.ko"
	done
fi

# The kernel's configuration where Debian keeps it: labs predict from it
# (docs/lab.md, dontneed: CONFIG_PT_RECLAIM).
mkdir -p "$root/boot"
kernel_config "$kver" >"$root/boot/config-$kver"

mkdir -p "$(dirname "$out")"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
