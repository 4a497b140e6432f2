#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-foreign.sh ARCH KVER: Debian's ARCH (arm64) kernel KVER, its
# headers and busybox-static, unpacked from their .debs into
# build/foreign/ARCH (lib.sh kernel_foreign_root), not installed: the
# module is cross-built against the headers, the guest boots the image
# with busybox as its userland.  The headers' scripts/ and tools/ are the
# host's linux-kbuild of the same version (amd64 programs that run here),
# and their Makefile includes the host's linux-headers-*-common, which
# holds every architecture's headers: both must be installed here.
# Prints KVER.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: fetch-foreign.sh ARCH KVER"
arch=$1
kver=$2
root=$MLPT_FOREIGN/$arch
hdr=$root/usr/src/linux-headers-$kver
# linux-kbuild-6.12.117+deb12 serves 6.12.117+deb12-amd64 and -arm64.
kbuild=/usr/lib/linux-kbuild-${kver%-"$arch"}

[ "$(kernel_arch "$kver")" = "$arch" ] || die "fetch-foreign: $kver is not an $arch kernel"
[ -d "$kbuild/scripts" ] ||
	die "fetch-foreign: $kbuild missing: install linux-kbuild-${kver%-"$arch"}"

if ! [ -f "$root/boot/vmlinuz-$kver" ] || ! [ -f "$hdr/Makefile" ] ||
	! [ -x "$root/bin/busybox" ]; then
	if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
		[ "$(id -u)" = 0 ] || die "fetch-foreign: run as root: dpkg --add-architecture $arch"
		say "adding the $arch architecture to dpkg, for apt-get download"
		dpkg --add-architecture "$arch"
		apt-get -o DPkg::Lock::Timeout=600 update -q >&2
	fi
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	# The image is "linux-image-KVER" (signed) or its -unsigned twin.
	(cd "$tmp" && apt-get download -q "linux-headers-$kver:$arch" \
		"busybox-static:$arch" >&2 &&
		{ apt-get download -q "linux-image-$kver:$arch" >&2 ||
			apt-get download -q "linux-image-$kver-unsigned:$arch" >&2; }) ||
		die "fetch-foreign: apt-get download of $arch packages for $kver failed"
	mkdir -p "$root"
	for deb in "$tmp"/*.deb; do
		dpkg-deb -x "$deb" "$root"
	done
fi
# The modules the guest loads (zram for the swap tests) need a modules.dep.
modules=$root/lib/modules/$kver
[ -f "$modules/modules.dep" ] || depmod -b "$root" "$kver"
# The headers link ../../lib/linux-kbuild-VERSION: resolve it to the host's.
mkdir -p "$root/usr/lib"
ln -sfn "$kbuild" "$root/usr/lib/${kbuild##*/}"
[ -f "$hdr/scripts/Makefile.build" ] ||
	die "fetch-foreign: $hdr/scripts does not resolve to $kbuild/scripts"
echo "$kver"
