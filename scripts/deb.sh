#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# deb.sh: "make deb": build the mlpt and mlpt-dkms packages with
# dpkg-buildpackage -us -uc -b from a copy of the tree in
# build/deb/mlpt-<version>/, so that the .debs, .buildinfo and .changes it
# writes to the parent directory land in build/deb/, never in the repo.
# Prints the path of the .changes file.
set -eu
. "$(dirname "$0")/lib.sh"

version=$(cat "$MLPT_SRC/VERSION")
out=$MLPT_BUILD/deb
tree=$out/mlpt-$version
pkgs=(debhelper dh-dkms dpkg-dev fakeroot libproc2-dev pkg-config)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
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
(cd "$tree" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1 ||
	die "deb: dpkg-buildpackage failed, see $out/build.log"
changes=$(echo "$out"/mlpt_*.changes)
[ -f "$changes" ] || die "deb: no .changes in $out, see $out/build.log"
echo "$changes"
