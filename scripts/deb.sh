#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# deb.sh [ARCH]: "make deb": build the mlpt and mlpt-dkms packages with
# dpkg-buildpackage -us -uc -b from a copy of the tree in
# build/deb/mlpt-<version>/, so that the .debs, .buildinfo and .changes it
# writes to the parent directory land in build/deb/, never in the repo.
# With ARCH (arm64, another architecture than this machine's), the mlpt
# package for ARCH is cross-built instead (-aARCH -B, without the host
# tests it cannot run), into build/deb-ARCH/; mlpt-dkms is the same for
# every architecture.  Prints the path of the .changes file.
set -eu
. "$(dirname "$0")/lib.sh"

version=$(cat "$MLPT_SRC/VERSION")
arch=${1:-}
out=$MLPT_BUILD/deb${arch:+-$arch}
tree=$out/mlpt-$version
pkgs=(debhelper dh-dkms dpkg-dev fakeroot libproc2-dev pkg-config)
build=(-us -uc -b)
if [ -n "$arch" ]; then
	if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
		say "deb: adding the $arch architecture to dpkg"
		dpkg --add-architecture "$arch"
		apt-get -o DPkg::Lock::Timeout=600 update -q >&2
	fi
	pkgs+=("crossbuild-essential-$arch" "libproc2-dev:$arch" "pkgconf:$arch")
	build=(-us -uc -B "-a$arch" -Pnocheck)
	export DEB_BUILD_OPTIONS=nocheck
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	say "deb: installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${missing[@]}" >&2 || die "deb: apt-get install ${missing[*]} failed"
fi

rm -rf "$out"
mkdir -p "$tree"
# What git has or would add: sources, not build products or build/.
(cd "$MLPT_SRC" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 tar -cf - --no-recursion) | tar -xf - -C "$tree"
(cd "$tree" && dpkg-buildpackage "${build[@]}") >"$out/build.log" 2>&1 ||
	die "deb: dpkg-buildpackage failed, see $out/build.log"
changes=$(echo "$out"/mlpt_*.changes)
[ -f "$changes" ] || die "deb: no .changes in $out, see $out/build.log"
echo "$changes"
