#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh: install the Debian packages the test rig needs that are missing.
# Only asks apt when something is missing, so a prepared machine pays
# nothing and never needs the network.
set -eu
. "$(dirname "$0")/lib.sh"

pkgs=(
	build-essential		# gcc, make, libc6-dev (static demo workload)
	perl			# checkpatch.pl
	xz-utils		# unpacking linux-source tarballs
	cpio			# initramfs
	busybox-static		# the whole guest userland
	qemu-system-x86		# the guest
	pkg-config libproc2-dev	# the user tool
	linux-image-amd64 linux-headers-amd64		# 6.1 test kernel
	linux-image-6.12-amd64 linux-headers-6.12-amd64	# 6.12 test kernel
	linux-source-6.1 linux-source-6.12	# kselftest harness, checkpatch
	stress-ng		# load next to the stress selftests, in the guest
	prometheus		# promtool: checks the tool's --prometheus output
	librsvg2-bin		# rsvg-convert: the tool's --png
	python3			# json and csv: an independent parser of the tool's output
	jq			# the same for the tool's JSON in the guest
	valgrind		# the tool's tests: no invalid free or read on error paths
)

# Another architecture's guest (MLPT_ARCH=arm64 or riscv64): QEMU, a cross compiler
# and a libc to link the selftests statically; for arm64 libproc2 and
# pkg-config of arm64 to cross-build the user tool (riscv64's are in the
# sid chroot, where fetch-foreign.sh installs them).  Its kernel, busybox,
# jq, stress-ng and the guest's libraries come from fetch-foreign.sh.
# riscv64's QEMU has OpenSBI in qemu-system-data; its device tree is
# rewritten with dtc (scripts/qemu-run.sh).
case $MLPT_ARCH in
arm64) pkgs+=(qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	libproc2-dev:arm64 pkgconf:arm64) ;;	# the user tool, cross-built
riscv64) pkgs+=(qemu-system-misc device-tree-compiler gcc-riscv64-linux-gnu libc6-dev-riscv64-cross) ;;
esac

# A name without ":ARCH" is the host's package (or an "all" one): with
# arm64's installed too, dpkg-query answers for both.
native=$(dpkg --print-architecture)
missing=()
for p in "${pkgs[@]}"; do
	want="$native|all"
	case $p in *:*) want=${p##*:} ;; esac
	dpkg-query -W -f='${Architecture} ${Status}\n' "$p" 2>/dev/null |
		grep -qE "^($want) install ok installed$" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

[ "$(id -u)" = 0 ] || die "deps: missing packages: ${missing[*]}: run as root or install them"
say "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Wait for a concurrent apt or dpkg (a boot-time upgrade) instead of failing.
lock=(-o DPkg::Lock::Timeout=600)
# A package of another architecture (libproc2-dev:arm64) needs that
# architecture in dpkg's list before apt can see it.
for p in "${missing[@]}"; do
	case $p in
	*:*)
		dpkg --print-foreign-architectures | grep -qx "${p##*:}" ||
			dpkg --add-architecture "${p##*:}"
		;;
	esac
done
apt-get "${lock[@]}" update -q >&2 || die "deps: apt-get update failed"
apt-get "${lock[@]}" install -y -q --no-install-recommends "${missing[@]}" >&2 ||
	die "deps: apt-get install ${missing[*]} failed"
