#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-kernel.sh SUITE: the newest amd64 kernel of Debian SUITE, to build
# and boot where the host cannot install it: its headers installed in the
# SUITE chroot (scripts/chroot.sh), its image's vmlinuz unpacked from the
# linux-image .deb into the chroot's /boot (not installed: nothing of it
# runs in the chroot).  Prints the kernel version (uname -r).
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

# Where vmlinuz is packaged changed: linux-image-KVER had it up to 6.x;
# in 7.x that is a metapackage over linux-binary-KVER.  Signed first; the
# -unsigned twins hold the same image.
for pkg in "linux-binary-$kver" "linux-binary-unsigned-$kver" \
	"linux-image-$kver" "linux-image-$kver-unsigned"; do
	[ ! -f "$root/boot/vmlinuz-$kver" ] || break
	run sh -c "cd /tmp && rm -f ./*.deb && apt-get download -q $pkg" >>"$root.log" 2>&1 ||
		continue
	deb=$(echo "$root"/tmp/*.deb)
	# /boot/vmlinuz-KVER, or /usr/lib/modules/KVER/vmlinuz (7.x).
	img=$(dpkg-deb -c "$deb" | awk -v k="$kver" \
		'$6 == "./boot/vmlinuz-" k || $6 == "./usr/lib/modules/" k "/vmlinuz" { print $6; exit }')
	if [ -n "$img" ]; then
		mkdir -p "$root/boot"
		dpkg-deb --fsys-tarfile "$deb" | tar -x -O "$img" >"$root/boot/vmlinuz-$kver.tmp"
		mv "$root/boot/vmlinuz-$kver.tmp" "$root/boot/vmlinuz-$kver"
	fi
	rm -f "$deb"
done
[ -f "$root/boot/vmlinuz-$kver" ] ||
	die "fetch-kernel: $suite: found no package with boot/vmlinuz-$kver, see $root.log"
echo "$kver"
