#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# chroot.sh NAME [PKG...]: make (once) a minimal Debian chroot in
# build/chroot/NAME with debootstrap, install PKG... in it when missing,
# and print its path.  NAME is a suite (bookworm: the host's architecture)
# or SUITE-ARCH for another architecture's system (bookworm-arm64), whose
# programs run through QEMU's user-mode emulation (lib.sh binfmt_hold).
# chroot.sh run NAME CMD...: run CMD in that chroot with /proc, /sys and
# /dev mounted in a private mount namespace, so nothing stays mounted on
# the host when CMD ends, however it ends.  The source tree and MLPT_BUILD
# are mounted at their own paths too, so the scripts and the paths they
# print are the same inside and out.
#
# Used for what the host cannot do itself: kernel headers of another
# Debian release (their kbuild tools and compiler come from that release),
# installing the .debs into a clean system, and running DKMS on another
# architecture as its users would (emulated: slow, but the same programs).  The mirror is the host's
# own (the first URIs: of /etc/apt/sources.list.d/debian.sources), so the
# chroots see the same archive as the host's apt.
set -eu
. "$(dirname "$0")/lib.sh"

mirror() {
	local m
	m=$(awk '/^URIs:/ && $2 ~ /\/debian\/?$/ { print $2; exit }' \
		/etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
	echo "${m:-http://deb.debian.org/debian}"
}

# has MIRROR SUITE: whether the archive at MIRROR carries SUITE now.
# Suites come and go (bullseye-backports moved to the archive of old
# releases), and apt-get update fails on one that is gone.
has() {
	curl -sfI -o /dev/null "$1/dists/$2/Release"
}

# sources MIRROR SUITE: apt lines for SUITE and what the archive carries
# beside it: point updates, backports (newer kernels) and security fixes
# (where stable kernels are updated between point releases).
sources() {
	local m=$1 suite=$2 s
	echo "deb $m $suite main"
	for s in "$suite-updates" "$suite-backports"; do
		if has "$m" "$s"; then
			echo "deb $m $s main"
		fi
	done
	if has "${m%/debian}/debian-security" "$suite-security"; then
		echo "deb ${m%/debian}/debian-security $suite-security main"
	fi
}

in_chroot() {
	local root=$1
	shift
	# --fork: the new pid namespace's init, so proc shows the chroot's
	# own processes and everything started in it ends with it.
	unshare --mount --pid --fork --propagation private -- \
		sh -c 'r=$1 src=$2 build=$3; shift 3
			mkdir -p "$r$src" &&
			mount -t proc proc "$r/proc" &&
			mount --rbind /sys "$r/sys" &&
			mount --rbind /dev "$r/dev" &&
			mount --bind "$src" "$r$src" &&
			mkdir -p "$r$build" &&
			mount --bind "$build" "$r$build" &&
			exec chroot "$r" "$@"' sh "$root" "$MLPT_SRC" "$MLPT_BUILD" "$@"
}

# The architecture of chroot NAME: the suffix of SUITE-ARCH, else the
# host's.
chroot_arch() {
	case $1 in
	*-arm64 | *-riscv64) echo "${1##*-}" ;;
	*) dpkg --print-architecture ;;
	esac
}

# bootstrap SUITE ARCH ROOT MIRROR: debootstrap, in two stages for
# another architecture: the packages unpacked here, then configured by
# the chroot's own (emulated) programs.
bootstrap() {
	local suite=$1 arch=$2 root=$3 m=$4
	if [ "$arch" = "$(dpkg --print-architecture)" ]; then
		debootstrap --variant=minbase "$suite" "$root" "$m"
		return
	fi
	debootstrap --variant=minbase --arch="$arch" --foreign "$suite" "$root" "$m" &&
		in_chroot "$root" /debootstrap/debootstrap --second-stage
}

ensure() {
	local name=$1 root=$MLPT_CHROOTS/$1 suite m missing=() p arch
	shift
	arch=$(chroot_arch "$name")
	suite=${name%-"$arch"}
	[ "$arch" = "$(dpkg --print-architecture)" ] || binfmt_hold "$arch"
	m=$(mirror)
	# The stamp is written last, so an interrupted bootstrap is redone.
	if [ ! -f "$root/.mlpt-complete" ]; then
		[ "$(id -u)" = 0 ] || die "chroot: creating $root needs root"
		command -v debootstrap >/dev/null || die "chroot: debootstrap missing: apt-get install debootstrap"
		rm -rf "$root"
		mkdir -p "$root"
		say "chroot: debootstrap $suite ($arch) into $root (once; cached)"
		bootstrap "$suite" "$arch" "$root" "$m" >"$root.log" 2>&1 ||
			die "chroot: debootstrap $suite ($arch) failed, see $root.log"
		sources "$m" "$suite" >"$root/etc/apt/sources.list"
		# The archive reached may be a snapshot whose fast-moving suites
		# (sid's Release is valid for a week) have outlived Valid-Until.
		echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/99mlpt"
		# No daemons in a build chroot: postinsts that would start one skip it.
		printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
		chmod 0755 "$root/usr/sbin/policy-rc.d"
		# Nor is a kernel booted from one: an image that headers depend on
		# (6.12's linux-headers-*-arm64) would have an initramfs made that
		# nobody boots, 20 minutes and more under emulation.
		in_chroot "$root" dpkg-divert --local --rename \
			--divert /usr/sbin/update-initramfs.mlpt --add /usr/sbin/update-initramfs >>"$root.log" 2>&1 ||
			die "chroot: dpkg-divert in $name failed, see $root.log"
		ln -sf /bin/true "$root/usr/sbin/update-initramfs"
		in_chroot "$root" apt-get update -q >>"$root.log" 2>&1 ||
			die "chroot: apt-get update in $name failed, see $root.log"
		touch "$root/.mlpt-complete"
	fi
	for p in "$@"; do
		in_chroot "$root" dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		say "chroot: installing in $name: ${missing[*]}"
		in_chroot "$root" env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$root.log" 2>&1 ||
			die "chroot: apt-get install ${missing[*]} in $name failed, see $root.log"
	fi
	echo "$root"
}

case ${1:-} in
"") die "usage: chroot.sh NAME [PKG...] | chroot.sh run NAME CMD..." ;;
run)
	[ $# -ge 3 ] || die "usage: chroot.sh run NAME CMD..."
	root=$MLPT_CHROOTS/$2
	[ -f "$root/.mlpt-complete" ] || die "chroot: no $2 chroot in $root: run chroot.sh $2 first"
	arch=$(chroot_arch "$2")
	[ "$arch" = "$(dpkg --print-architecture)" ] || binfmt_hold "$arch"
	shift 2
	in_chroot "$root" "$@"
	;;
*) ensure "$@" ;;
esac
