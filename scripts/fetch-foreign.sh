#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-foreign.sh ARCH KVER: Debian's ARCH (arm64, riscv64) kernel KVER,
# its headers and busybox-static, unpacked from their .debs into
# build/foreign/ARCH (lib.sh kernel_foreign_root), not installed: the
# module is cross-built against the headers, the guest boots the image
# with busybox as its userland.  The headers' scripts/ and tools/ are an
# amd64 linux-kbuild of the same version, and their Makefile includes
# linux-headers-*-common, which holds every architecture's headers: both
# must be installed where the module is built.
#   arm64: that is the host (bookworm has the same 6.12 for both).
#   riscv64: Debian's port starts with trixie, so the kernel is sid's and
#   is built in the sid chroot (lib.sh arch_suite) with sid's
#   kbuild and cross compiler: the packages come from sid, with riscv64
#   added to the chroot's dpkg, and the headers are unpacked into the
#   chroot, where their Makefile's absolute paths hold.
# Besides busybox, the guest's userland (jq, stress-ng, libproc2 and their
# libraries) is unpacked into the same root, from the same archive.
# Prints KVER.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: fetch-foreign.sh ARCH KVER"
arch=$1
kver=$2
root=$MLPT_FOREIGN/$arch
suite=$(kernel_foreign_suite "$kver")
# linux-kbuild-6.12.117+deb12 serves 6.12.117+deb12-amd64, -arm64 and
# -arm64-16k.
kbuild=/usr/lib/linux-kbuild-${kver%%-"$arch"*}
chroot=
if [ -n "$suite" ]; then
	chroot=$("$MLPT_SRC/scripts/chroot.sh" "$suite" make "gcc-$arch-linux-gnu")
fi
hdr=$chroot/usr/src/linux-headers-$kver
[ -n "$chroot" ] || hdr=$root$hdr
# In the chroot, apt and dpkg are the chroot's.
run() {
	in_arch_env "$arch" "$@"
}

[ "$(kernel_arch "$kver")" = "$arch" ] || die "fetch-foreign: $kver is not an $arch kernel"
[ -d "$chroot$kbuild/scripts" ] ||
	die "fetch-foreign: $chroot$kbuild missing: install linux-kbuild-${kver%%-"$arch"*}${suite:+ in the $suite chroot}"

if ! run dpkg --print-foreign-architectures | grep -qx "$arch"; then
	[ "$(id -u)" = 0 ] || die "fetch-foreign: run as root: dpkg --add-architecture $arch"
	say "adding the $arch architecture to dpkg${suite:+ in the $suite chroot}, for apt-get download"
	run dpkg --add-architecture "$arch"
	run apt-get -o DPkg::Lock::Timeout=600 update -q >&2
fi
if ! [ -f "$root/boot/vmlinuz-$kver" ] || ! [ -f "$hdr/Makefile" ] ||
	! [ -x "$root/bin/busybox" ]; then
	# Under build/, which the chroot sees at the same path.
	mkdir -p "$MLPT_BUILD"
	tmp=$(mktemp -d "$MLPT_BUILD/foreign-debs.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	# The image is "linux-image-KVER" (signed) or its -unsigned twin up
	# to 6.x; in 7.x that is a metapackage over linux-binary-KVER
	# (vmlinuz) and linux-modules-KVER.
	run sh -c 'cd "$1" && shift && apt-get download -q "$@"' sh "$tmp" \
		"linux-headers-$kver:$arch" "busybox-static:$arch" >&2 ||
		die "fetch-foreign: apt-get download of $arch headers and busybox for $kver failed"
	for pkgs in "linux-binary-$kver:$arch linux-modules-$kver:$arch" \
		"linux-image-$kver:$arch" "linux-image-$kver-unsigned:$arch"; do
		# shellcheck disable=SC2086 # split on purpose: a list of packages
		if run sh -c 'cd "$1" && shift && apt-get download -q "$@"' sh "$tmp" $pkgs >&2; then
			break
		fi
	done
	mkdir -p "$root"
	for deb in "$tmp"/*.deb; do
		case ${deb##*/} in
		linux-headers-*) dpkg-deb -x "$deb" "${chroot:-$root}" ;;
		*) dpkg-deb -x "$deb" "$root" ;;
		esac
	done
	# Merged-/usr packages (trixie on) unpack to usr/: give the root the
	# /bin and /lib the rig looks in, and 7.x's vmlinuz its /boot name.
	for dir in bin lib; do
		[ -e "$root/$dir" ] || [ ! -d "$root/usr/$dir" ] || ln -s "usr/$dir" "$root/$dir"
	done
	mkdir -p "$root/boot"
	[ -f "$root/boot/vmlinuz-$kver" ] || [ ! -f "$root/lib/modules/$kver/vmlinuz" ] ||
		cp "$root/lib/modules/$kver/vmlinuz" "$root/boot/vmlinuz-$kver"
	[ -f "$root/boot/vmlinuz-$kver" ] ||
		die "fetch-foreign: no vmlinuz-$kver in the $arch packages of $kver"
fi
# The modules the guest loads (zram for the swap tests) need a modules.dep.
modules=$root/lib/modules/$kver
[ -f "$modules/modules.dep" ] || depmod -b "$root" "$kver"
if [ -n "$chroot" ]; then
	# Where lib.sh kernel_build_dir looks for the headers of a kernel
	# built in a chroot.
	mkdir -p "$chroot/usr/lib/modules/$kver"
	ln -sfn "/usr/src/linux-headers-$kver" "$chroot/usr/lib/modules/$kver/build"
else
	# The headers link ../../lib/linux-kbuild-VERSION: resolve it to the host's.
	mkdir -p "$root/usr/lib"
	ln -sfn "$kbuild" "$root/usr/lib/${kbuild##*/}"
fi
[ -f "$hdr/scripts/Makefile.build" ] ||
	die "fetch-foreign: $hdr/scripts does not resolve to $kbuild/scripts"

# The guest's userland beyond busybox, from the same archive: the user
# tool's library (libproc2-0 in bookworm, libproc2-1 in sid: whichever
# libproc2-dev depends on), jq for the tool's in-guest tests and
# stress-ng, the stress selftests' neighbour load, each with every
# library it needs (apt's dependency closure, restricted to this
# architecture), unpacked into the root as the kernel is: installing them
# would replace the host's own jq and stress-ng.  mkinitramfs.sh copies
# what each program needs from there.  libelogind0 is the other half of
# an "or" (libsystemd0 | libelogind0) and would clash with libsystemd0.
if ! [ -x "$root/usr/bin/stress-ng" ]; then
	userland=$(mktemp -d "$MLPT_BUILD/foreign-userland.XXXXXX")
	# shellcheck disable=SC2064 # expand now: both directories
	trap "rm -rf '${tmp:-}' '$userland'" EXIT
	libproc2=$(run apt-cache depends "libproc2-dev:$arch" |
		sed -n "s/^  Depends: \(libproc2-[0-9]*:$arch\)$/\1/p")
	[ -n "$libproc2" ] || die "fetch-foreign: no libproc2 library for $arch${suite:+ in $suite}"
	pkgs=$(run apt-cache depends --recurse --no-recommends --no-suggests \
		--no-conflicts --no-breaks --no-replaces --no-enhances \
		"stress-ng:$arch" "jq:$arch" "$libproc2" |
		grep -x "[a-z0-9][^ ]*:$arch" | grep -v '^libelogind0:' | sort -u)
	# shellcheck disable=SC2086 # split on purpose: a list of packages
	run sh -c 'cd "$1" && shift && apt-get download -q "$@"' sh "$userland" $pkgs >&2 ||
		die "fetch-foreign: apt-get download of the $arch userland failed"
	for deb in "$userland"/*.deb; do
		dpkg-deb -x "$deb" "$root"
	done
	[ -x "$root/usr/bin/stress-ng" ] ||
		die "fetch-foreign: no usr/bin/stress-ng in the $arch packages"
fi
# The user tool is cross-built where the kernel module is, against this
# archive's libproc2-dev and libc (scripts/check.sh): in the chroot, they
# and pkg-config for ARCH are installed here (scripts/deps.sh does it on
# the host).
[ -z "$suite" ] ||
	"$MLPT_SRC/scripts/chroot.sh" "$suite" "libproc2-dev:$arch" \
		"libc6-dev:$arch" "pkgconf:$arch" >/dev/null
echo "$kver"
