#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check-packaging.sh: "make check-packaging", as TAP ending in
# "N passed, N failed":
#
#   dkms      dkms add/build/install of the tree for each host kernel
#             (scripts/kernels.sh), the installed mlpt.ko checked with
#             modinfo, then dkms remove
#   install   make install / uninstall into a DESTDIR, systemd and not;
#             the installed mlpt runs the installed lab sparse
#   deb       make deb, lintian on the result (errors and warnings); the
#             mlpt package cross-built for arm64 (scripts/deb.sh arm64):
#             arm64 programs, libproc2-0 in Depends, lintian clean
#   chroot    both .debs installed with apt into a clean bookworm chroot
#             (build/chroot/bookworm) with linux-headers-6.12-amd64:
#             mlpt --version, mlpt lab sparse, the module built and
#             installed by DKMS there, then both purged
#
# Logs in build/logs/packaging/.
set -eu
. "$(dirname "$0")/lib.sh"

logs=$MLPT_BUILD/logs/packaging
version=$(cat "$MLPT_SRC/VERSION")
n=0 passed=0 failed=0

# check NAME CMD...: CMD's success is one test; its output goes to a log.
check() {
	local name=$1 log
	shift
	n=$((n + 1))
	log=$logs/$n.log
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
		echo "ok $n - $name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name"
		tail -n 15 "$log" | sed 's/^/#   /'
	fi
}

deps() {
	local p missing=()
	for p in dkms debootstrap lintian; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return
	say "check-packaging: installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${missing[@]}" >&2 || die "check-packaging: apt-get install ${missing[*]} failed"
}

dkms_clean() {
	if dkms status mlpt/"$version" 2>/dev/null | grep -q .; then
		dkms remove mlpt/"$version" --all
	fi
	rm -rf "/usr/src/mlpt-$version"
}

# dkms_one KVER: build and install for KVER, check what was installed.
dkms_one() {
	local kver=$1 ko
	dkms build mlpt/"$version" -k "$kver"
	dkms install mlpt/"$version" -k "$kver"
	ko=$(modinfo -k "$kver" -n mlpt)
	echo "installed: $ko"
	case $ko in
	*/updates/dkms/mlpt.ko*) ;;
	*) return 1 ;;
	esac
	modinfo -k "$kver" -F vermagic mlpt | grep -q "^$kver "
	[ "$(modinfo -k "$kver" -F version mlpt)" = "$version" ]
}

dkms_tests() {
	local kver
	# Left over from an interrupted run, or make install: start clean.
	dkms_clean >/dev/null 2>&1 || true
	check "dkms: add" sh -c "$(printf '%q ' "$MLPT_SRC/scripts/module-source.sh" "/usr/src/mlpt-$version") && dkms add mlpt/$version"
	for kver in $("$MLPT_SRC/scripts/kernels.sh"); do
		check "dkms: build and install for $kver" dkms_one "$kver"
	done
	check "dkms: remove" dkms_clean
}

# lab_ran CMD...: CMD (an installed "mlpt lab sparse") found the lab and
# ran it: without the module here, the lab's own refusal (exit 5, its
# name on stderr, nothing on stdout); with it, the lab's result.
lab_ran() {
	local out err rc=0 ok=0
	out=$(mktemp)
	err=$(mktemp)
	"$@" >"$out" 2>"$err" || rc=$?
	cat "$out" "$err"
	echo "exit $rc"
	if [ -e /proc/mlpt/version ]; then
		[ "$rc" = 0 ] && grep -q '^result: the kernel agrees' "$out"
	else
		[ "$rc" = 5 ] && [ ! -s "$out" ] &&
			grep -qx 'mlpt-lab-sparse: /proc/mlpt: module not loaded: .*' "$err"
	fi || ok=1
	rm -f "$out" "$err"
	return "$ok"
}

# staged_lab ROOT: ROOT/usr/bin/mlpt lab sparse, with ROOT/usr/libexec/mlpt
# at /usr/libexec/mlpt (in a mount namespace of its own, over a tmpfs, so
# the host's /usr/libexec is neither seen nor changed): the directory the
# tool was built to look in is the one make install filled.
staged_lab() {
	# shellcheck disable=SC2016 # the inner sh expands them
	lab_ran unshare --mount --propagation private sh -c '
		mount -t tmpfs tmpfs /usr/libexec && mkdir /usr/libexec/mlpt &&
		mount --bind "$1/usr/libexec/mlpt" /usr/libexec/mlpt &&
		exec "$1/usr/bin/mlpt" lab sparse' sh "$1"
}

# staged MODE: make install and uninstall into a DESTDIR with MODE init.
staged() {
	local d lab
	d=$(mktemp -d)
	make -s -C "$MLPT_SRC" install DESTDIR="$d" PREFIX=/usr MLPT_INIT="$1"
	find "$d" -type f | sort
	test -x "$d/usr/bin/mlpt"
	test -f "$d/usr/share/man/man1/mlpt.1"
	for lab in sparse cs332 hugepages dontneed fork levels procs; do
		test -x "$d/usr/libexec/mlpt/mlpt-lab-$lab"
	done
	staged_lab "$d"
	test -f "$d/etc/modules-load.d/mlpt.conf"
	if [ "$1" = systemd ]; then
		test -f "$d/etc/systemd/system/proc-mlpt.mount"
		test -f "$d/etc/udev/rules.d/60-mlpt.rules"
	else
		test -f "$d/etc/modprobe.d/mlpt.conf"
	fi
	make -s -C "$MLPT_SRC" uninstall DESTDIR="$d" PREFIX=/usr MLPT_INIT="$1"
	# Only empty directories may be left.
	[ -z "$(find "$d" -type f)" ]
	rm -rf "$d"
}

lint() {
	local out
	out=$(lintian --fail-on error,warning "$1" 2>&1) || {
		echo "$out"
		return 1
	}
	echo "$out"
}

# in_bookworm CMD...
in_bookworm() {
	"$MLPT_SRC/scripts/chroot.sh" run bookworm "$@"
}

# The headers the chroot's linux-headers-6.12-amd64 brought.
chroot_kver() {
	in_bookworm dpkg-query -W -f='${Depends}' linux-headers-6.12-amd64 |
		grep -o 'linux-headers-[^ ,]*' | head -n 1 | sed 's/^linux-headers-//'
}

chroot_install() {
	local root=$1
	mkdir -p "$root/tmp/mlpt-debs"
	cp "$MLPT_BUILD"/deb/*.deb "$root/tmp/mlpt-debs/"
	rm -f "$root"/tmp/mlpt-debs/*-dbgsym_*.deb
	in_bookworm env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends /tmp/mlpt-debs/mlpt_"$version"_amd64.deb \
		/tmp/mlpt-debs/mlpt-dkms_"$version"_all.deb
}

chroot_dkms() {
	local kver
	kver=$(chroot_kver)
	[ -n "$kver" ]
	if ! in_bookworm dkms status mlpt/"$version" -k "$kver" | grep -q installed; then
		in_bookworm dkms install mlpt/"$version" -k "$kver"
	fi
	in_bookworm dkms status mlpt/"$version" -k "$kver"
	in_bookworm modinfo -k "$kver" -F vermagic mlpt | grep "^$kver "
}

chroot_purge() {
	local kver
	kver=$(chroot_kver)
	in_bookworm env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q mlpt mlpt-dkms
	! in_bookworm modinfo -k "$kver" -n mlpt
}

deps
rm -rf "$logs"
mkdir -p "$logs"
echo "TAP version 13"
dkms_tests
check "install: make install/uninstall DESTDIR, systemd" staged systemd
check "install: make install/uninstall DESTDIR, no systemd" staged other
# arm64: the tool and its labs cross-built into an arm64 .deb, linked
# against arm64's libproc2 (dpkg-shlibdeps made its Depends).
arm64_deb() {
	local deb=$MLPT_BUILD/deb-arm64/mlpt_${version}_arm64.deb
	dpkg-deb -f "$deb" Architecture | grep -qx arm64 &&
		dpkg-deb -f "$deb" Depends | grep -q 'libproc2-0 ' &&
		dpkg-deb -c "$deb" | grep -q ' ./usr/libexec/mlpt/mlpt-lab-levels$' &&
		dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/bin/mlpt |
		file - | grep -q 'ARM aarch64'
}
if check "deb: make deb for arm64 (cross-built)" "$MLPT_SRC/scripts/deb.sh" arm64; then
	check "deb: the arm64 package holds arm64 programs, depends on libproc2-0" arm64_deb
	check "deb: lintian clean (arm64)" lint "$(echo "$MLPT_BUILD"/deb-arm64/mlpt_*.changes)"
fi
if check "deb: make deb" "$MLPT_SRC/scripts/deb.sh"; then
	check "deb: lintian clean" lint "$(echo "$MLPT_BUILD"/deb/mlpt_*.changes)"
	if root=$("$MLPT_SRC/scripts/chroot.sh" bookworm linux-headers-6.12-amd64 2>"$logs/chroot.log"); then
		check "chroot: apt-get install both .debs into clean bookworm" chroot_install "$root"
		check "chroot: mlpt --version" in_bookworm mlpt --version
		check "chroot: mlpt lab sparse runs the installed lab" lab_ran in_bookworm mlpt lab sparse
		check "chroot: dkms built mlpt.ko for linux-headers-6.12-amd64" chroot_dkms
		check "chroot: purge both" chroot_purge
	else
		check "chroot: bookworm chroot with linux-headers-6.12-amd64" \
			sh -c 'cat "$1"; exit 1' sh "$logs/chroot.log"
	fi
fi
echo "1..$n"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
