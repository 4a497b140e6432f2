#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-kernel.sh SUITE: the newest amd64 kernel of Debian SUITE, to build
# and boot where the host cannot install it: its headers installed in the
# SUITE chroot (scripts/chroot.sh), its vmlinuz and modules unpacked there
# (below).  Prints the kernel version (uname -r).
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: fetch-kernel.sh SUITE"
suite=$1
root=$("$MLPT_SRC/scripts/chroot.sh" "$suite" linux-headers-amd64 make)
run() { "$MLPT_SRC/scripts/chroot.sh" run "$suite" "$@"; }

# The metapackage depends on the headers of exactly one kernel.
kver=$(run dpkg-query -W -f='${Depends}' linux-headers-amd64 |
	grep -o 'linux-headers-[^ ,]*' | head -n 1)
kver=${kver#linux-headers-}
[ -n "$kver" ] && [ "$(kernel_chroot "$kver")" = "$root" ] ||
	die "fetch-kernel: $suite: cannot tell which kernel linux-headers-amd64 installed"

# What the rig boots from the packages of kver, unpacked into the chroot
# (not installed: nothing of it runs there): vmlinuz, and the modules that
# the guest loads (zram for the swap tests), with a modules.dep made here.
# Where they are packaged changed: linux-image-KVER had both up to 6.x; in
# 7.x that is a metapackage over linux-binary-KVER (vmlinuz) and
# linux-modules-KVER.  Signed first; the -unsigned twins hold the same.
modules=$root/lib/modules/$kver
have_all() {
	[ -f "$root/boot/vmlinuz-$kver" ] && [ -d "$modules/kernel" ]
}
for pkg in "linux-binary-$kver" "linux-binary-unsigned-$kver" \
	"linux-modules-$kver" "linux-image-$kver" "linux-image-$kver-unsigned"; do
	have_all && break
	run sh -c "cd /tmp && rm -f ./*.deb && apt-get download -q $pkg" >>"$root.log" 2>&1 ||
		continue
	# Unpacked aside and copied in: dpkg-deb -x would replace the
	# chroot's /lib -> usr/lib link with a directory.
	tmp=$root/tmp/mlpt-unpack
	rm -rf "$tmp"
	dpkg-deb -x "$(echo "$root"/tmp/*.deb)" "$tmp"
	rm -f "$root"/tmp/*.deb
	for dir in "$tmp/lib/modules/$kver" "$tmp/usr/lib/modules/$kver"; do
		[ -d "$dir" ] || continue
		mkdir -p "$modules"
		cp -a "$dir/." "$modules/"
	done
	mkdir -p "$root/boot"
	# 7.x: /usr/lib/modules/KVER/vmlinuz; the rig boots /boot/vmlinuz-KVER.
	for img in "$tmp/boot/vmlinuz-$kver" "$modules/vmlinuz"; do
		[ ! -f "$img" ] || [ -f "$root/boot/vmlinuz-$kver" ] ||
			cp "$img" "$root/boot/vmlinuz-$kver"
	done
	rm -rf "$tmp"
done
have_all ||
	die "fetch-kernel: $suite: found no packages with vmlinuz-$kver and its modules, see $root.log"
[ -f "$modules/modules.dep" ] || depmod -b "$root" "$kver"
echo "$kver"
