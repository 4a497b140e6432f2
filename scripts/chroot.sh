#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# chroot.sh SUITE [PKG...]: make (once) a minimal Debian SUITE chroot in
# build/chroot/SUITE with debootstrap, install PKG... in it when missing,
# and print its path.
# chroot.sh run SUITE CMD...: run CMD in that chroot with /proc, /sys and
# /dev mounted in a private mount namespace, so nothing stays mounted on
# the host when CMD ends, however it ends.  The source tree and MLPT_BUILD
# are mounted at their own paths too, so the scripts and the paths they
# print are the same inside and out.
#
# Used for what the host cannot do itself: kernel headers of another
# Debian release (their kbuild tools and compiler come from that release),
# and installing the .debs into a clean system.  The mirror is the host's
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

ensure() {
	local suite=$1 root=$MLPT_CHROOTS/$1 m missing=() p
	shift
	m=$(mirror)
	# The stamp is written last, so an interrupted bootstrap is redone.
	if [ ! -f "$root/.mlpt-complete" ]; then
		[ "$(id -u)" = 0 ] || die "chroot: creating $root needs root"
		command -v debootstrap >/dev/null || die "chroot: debootstrap missing: apt-get install debootstrap"
		rm -rf "$root"
		mkdir -p "$root"
		say "chroot: debootstrap $suite into $root (once; cached)"
		debootstrap --variant=minbase "$suite" "$root" "$m" >"$root.log" 2>&1 ||
			die "chroot: debootstrap $suite failed, see $root.log"
		sources "$m" "$suite" >"$root/etc/apt/sources.list"
		# The archive reached may be a snapshot whose fast-moving suites
		# (sid's Release is valid for a week) have outlived Valid-Until.
		echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/99mlpt"
		# No daemons in a build chroot: postinsts that would start one skip it.
		printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
		chmod 0755 "$root/usr/sbin/policy-rc.d"
		in_chroot "$root" apt-get update -q >>"$root.log" 2>&1 ||
			die "chroot: apt-get update in $suite failed, see $root.log"
		touch "$root/.mlpt-complete"
	fi
	for p in "$@"; do
		in_chroot "$root" dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		say "chroot: installing in $suite: ${missing[*]}"
		in_chroot "$root" env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$root.log" 2>&1 ||
			die "chroot: apt-get install ${missing[*]} in $suite failed, see $root.log"
	fi
	echo "$root"
}

case ${1:-} in
"") die "usage: chroot.sh SUITE [PKG...] | chroot.sh run SUITE CMD..." ;;
run)
	[ $# -ge 3 ] || die "usage: chroot.sh run SUITE CMD..."
	root=$MLPT_CHROOTS/$2
	[ -f "$root/.mlpt-complete" ] || die "chroot: no $2 chroot in $root: run chroot.sh $2 first"
	shift 2
	in_chroot "$root" "$@"
	;;
*) ensure "$@" ;;
esac
