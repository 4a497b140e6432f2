#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check-links.sh [DIR]: every link in the Markdown files of the source tree
# DIR (default: this one) must stay inside the tree and name something in
# it: a file or directory that git tracks (when DIR is a git checkout; any
# file of DIR otherwise, as in an unpacked release), and a "#fragment" must
# name a heading of the Markdown file it points into.  A clone gets exactly
# the tracked files, so a link to anything else is broken for its reader.
# Links with a scheme (https:, mailto:, man:) are not followed.  Prints one
# line per bad link, FILE:LINE: TARGET: why, and exits 1 if there is one.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -le 1 ] || die "usage: check-links.sh [DIR]"
root=$(cd "${1:-$MLPT_SRC}" && pwd)
cd "$root"
list=$(mktemp)
trap 'rm -f "$list"' EXIT

if [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$root" ]; then
	git ls-files >"$list"
else
	find . \( -path ./.git -o -path ./build \) -prune -o -type f -print |
		sed 's|^\./||' >"$list"
fi
mapfile -t docs < <(grep '\.md$' "$list" || true)
[ ${#docs[@]} != 0 ] || die "check-links: no Markdown file in $root"

# Two passes over the Markdown files: the headings of each (the anchors
# GitHub makes of them), then the links.  Fenced code blocks and code
# spans hold examples, not links: both are skipped.
awk -v list="$list" '
# GitHub: lower case, punctuation dropped, each space a hyphen.
function slug(s) {
	s = tolower(s)
	gsub(/[^a-z0-9 _-]/, "", s)
	gsub(/ /, "-", s)
	return s
}

# @path with "." and ".." resolved; "" for the top; "/.." when it leaves it.
function resolve(path,   n, i, part, out, depth, k) {
	n = split(path, part, "/")
	depth = 0
	for (i = 1; i <= n; i++) {
		if (part[i] == "" || part[i] == ".")
			continue
		if (part[i] == "..") {
			if (!depth)
				return "/.."
			depth--
			continue
		}
		out[++depth] = part[i]
	}
	path = ""
	for (k = 1; k <= depth; k++)
		path = path (k > 1 ? "/" : "") out[k]
	return path
}

function bad(target, why) {
	printf "%s:%d: %s: %s\n", FILENAME, FNR, target, why
	nbad++
}

function check(target,   path, frag, i, dir) {
	# <target> and "title" forms: the address alone.
	if (target ~ /^</) {
		sub(/^</, "", target)
		sub(/>.*$/, "", target)
	} else {
		sub(/[ \t].*$/, "", target)
	}
	if (target == "" || target ~ /^[A-Za-z][A-Za-z0-9+.-]*:/)
		return
	if (target ~ /^\//)
		return bad(target, "an absolute path, outside the repository")
	path = target
	frag = ""
	if ((i = index(path, "#"))) {
		frag = substr(path, i + 1)
		path = substr(path, 1, i - 1)
	}
	gsub(/%20/, " ", path)
	if (path == "") {
		path = FILENAME
	} else {
		dir = FILENAME
		if (!sub(/\/[^\/]*$/, "", dir))
			dir = ""
		path = resolve(dir "/" path)
		if (path == "/..")
			return bad(target, "outside the repository")
		if (!(path in known))
			return bad(target, "not in the repository")
	}
	if (frag != "" && path ~ /\.md$/ && !((path, frag) in anchor))
		bad(target, "no heading \"" frag "\" in " path)
}

BEGIN {
	while ((getline f < list) > 0) {
		known[f] = 1
		while (sub(/\/[^\/]*$/, "", f))
			known[f] = 1
	}
}

FNR == 1 { fenced = 0 }
/^ ?( ?( ?)?)?(```|~~~)/ { fenced = !fenced; next }
fenced { next }

pass == 1 && /^#+[ \t]/ {
	h = $0
	sub(/^#+[ \t]+/, "", h)
	sub(/[ \t]+#*[ \t]*$/, "", h)
	s = slug(h)
	if ((FILENAME, s) in seen)
		anchor[FILENAME, s "-" seen[FILENAME, s]++] = 1
	else
		seen[FILENAME, s] = 1
	anchor[FILENAME, s] = 1
}
pass == 1 {
	line = $0
	while (match(line, /(name|id)="[^"]+"/)) {
		a = substr(line, RSTART, RLENGTH)
		sub(/^[a-z]+="/, "", a)
		sub(/"$/, "", a)
		anchor[FILENAME, a] = 1
		line = substr(line, RSTART + RLENGTH)
	}
}

pass == 2 {
	line = $0
	gsub(/`[^`]*`/, "", line)
	if (match(line, /^ ?( ?( ?)?)?\[[^]]+\]:[ \t]*[^ \t]+/)) {
		t = line
		sub(/^ ?( ?( ?)?)?\[[^]]+\]:[ \t]*/, "", t)
		check(t)
		next
	}
	while (match(line, /\[[^]]*\]\([^)]*\)/)) {
		t = substr(line, RSTART, RLENGTH)
		line = substr(line, RSTART + RLENGTH)
		sub(/^\[[^]]*\]\(/, "", t)
		sub(/\)$/, "", t)
		check(t)
	}
}

END { exit nbad > 0 }
' pass=1 "${docs[@]}" pass=2 "${docs[@]}"
