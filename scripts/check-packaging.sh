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
#   arm64     only with MLPT_PACKAGING_ARM64=1 (about 14 minutes more:
#             not in make check): the same in a clean arm64 bookworm chroot
#             (build/chroot/bookworm-arm64, its programs run by
#             qemu-user-static through binfmt_misc) with the headers of
#             the arm64 rig's kernel (MLPT_ARCH=arm64 scripts/kernels.sh),
#             the arm64 mlpt package and mlpt-dkms; then the mlpt.ko DKMS
#             built there is booted by the arm64 rig (QEMU, LPA2) and
#             mlpt_consistency and mlpt_layout run against it
#
# Logs in build/logs/packaging/.
set -eu
. "$(dirname "$0")/lib.sh"

logs=$MLPT_BUILD/logs/packaging
version=$(cat "$MLPT_SRC/VERSION")
n=0 passed=0 failed=0 skipped=0

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
	local p missing=() need=(dkms debootstrap lintian)
	[ "$arm64" = 0 ] || need+=(qemu-user-static)
	for p in "${need[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return
	say "check-packaging: installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${missing[@]}" >&2 || die "check-packaging: apt-get install ${missing[*]} failed"
}

# passes NAME CMD...: check, and whether it passed, for the checks that
# need what it made.
passes() {
	local before=$failed
	check "$@"
	[ "$failed" = "$before" ]
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

# The clean systems the .debs are installed into with apt: chroots of
# bookworm (scripts/chroot.sh), bookworm for amd64 and bookworm-arm64
# (emulated) for arm64, each with the headers DKMS builds against.
# in_system NAME CMD...
in_system() {
	"$MLPT_SRC/scripts/chroot.sh" run "$@"
}

# system_kver NAME HEADERS: the kernel whose headers HEADERS brought into
# NAME: the one it names (linux-headers-6.12.118+deb12-arm64, whose
# /usr/lib/modules/KVER is there), or the one the metapackage depends on
# (linux-headers-6.12-amd64).
system_kver() {
	local kver=${2#linux-headers-}
	if [ -d "$MLPT_CHROOTS/$1/usr/lib/modules/$kver" ]; then
		echo "$kver"
		return
	fi
	in_system "$1" dpkg-query -W -f='${Depends}' "$2" |
		grep -o 'linux-headers-[^ ,]*' | head -n 1 | sed 's/^linux-headers-//'
}

# deb_dir ARCH: where scripts/deb.sh puts the .debs built for ARCH.
deb_dir() {
	if [ "$1" = "$(dpkg --print-architecture)" ]; then
		echo "$MLPT_BUILD/deb"
	else
		echo "$MLPT_BUILD/deb-$1"
	fi
}

# system_install NAME ARCH: the mlpt package of ARCH and mlpt-dkms
# (arch all, from the host's make deb).
system_install() {
	local root=$MLPT_CHROOTS/$1 arch=$2
	rm -rf "$root/tmp/mlpt-debs"
	mkdir -p "$root/tmp/mlpt-debs"
	cp "$(deb_dir "$arch")/mlpt_${version}_$arch.deb" \
		"$MLPT_BUILD/deb/mlpt-dkms_${version}_all.deb" "$root/tmp/mlpt-debs/"
	in_system "$1" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends /tmp/mlpt-debs/mlpt_"$version"_"$arch".deb \
		/tmp/mlpt-debs/mlpt-dkms_"$version"_all.deb
}

# system_dkms NAME HEADERS: the module built and installed there by DKMS
# for the kernel of HEADERS, with that kernel's vermagic: the same string
# as the kernel's own modules (its zram.ko, from kernel_modules_dir: the
# host's /lib/modules, or arm64's unpacked root), which is what insmod of
# that kernel compares.
system_dkms() {
	local kver own
	kver=$(system_kver "$1" "$2")
	[ -n "$kver" ]
	if ! in_system "$1" dkms status mlpt/"$version" -k "$kver" | grep -q installed; then
		in_system "$1" dkms install mlpt/"$version" -k "$kver"
	fi
	in_system "$1" dkms status mlpt/"$version" -k "$kver"
	own=$(modinfo -F vermagic "$(kernel_modules_dir "$kver")"/kernel/drivers/block/zram/zram.ko*)
	echo "the kernel's own modules: vermagic $own"
	[ -n "$own" ] && [ "$(in_system "$1" modinfo -k "$kver" -F vermagic mlpt)" = "$own" ]
}

system_purge() {
	local kver
	kver=$(system_kver "$1" "$2")
	in_system "$1" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q mlpt mlpt-dkms
	! in_system "$1" modinfo -k "$kver" -n mlpt
}

# system_tests NAME ARCH HEADERS: both .debs into the clean chroot NAME of
# ARCH, the tool and its lab run there, DKMS builds the module for the
# kernel of HEADERS, both purged.  [then HOOK NAME KVER, before the purge]
system_tests() {
	local name=$1 arch=$2 headers=$3 hook=${4:-}
	if ! "$MLPT_SRC/scripts/chroot.sh" "$name" "$headers" >/dev/null 2>"$logs/chroot-$name.log"; then
		check "chroot: $name chroot with $headers" \
			sh -c 'cat "$1"; exit 1' sh "$logs/chroot-$name.log"
		return
	fi
	check "chroot: apt-get install both .debs into clean $name" system_install "$name" "$arch"
	check "chroot: mlpt --version ($name)" in_system "$name" mlpt --version
	check "chroot: mlpt lab sparse runs the installed lab ($name)" lab_ran in_system "$name" mlpt lab sparse
	check "chroot: dkms built mlpt.ko for $headers ($name)" system_dkms "$name" "$headers"
	[ -z "$hook" ] || "$hook" "$name" "$(system_kver "$name" "$headers")"
	check "chroot: purge both ($name)" system_purge "$name" "$headers"
}

# dkms_ko NAME KVER OUT: the mlpt.ko DKMS installed in chroot NAME for
# KVER, uncompressed (the guest's busybox insmod takes a plain .ko) to OUT.
dkms_ko() {
	local ko
	ko=$(in_system "$1" modinfo -k "$2" -n mlpt)
	echo "DKMS installed $ko"
	case $ko in
	*/updates/dkms/mlpt.ko.xz) xz -dc "$MLPT_CHROOTS/$1$ko" ;;
	*/updates/dkms/mlpt.ko.zst) zstd -qdc "$MLPT_CHROOTS/$1$ko" ;;
	*/updates/dkms/mlpt.ko) cat "$MLPT_CHROOTS/$1$ko" ;;
	*) return 1 ;;
	esac >"$3"
	modinfo -F vermagic "$3"
}

# no_splat LOG: a console was written, and no kernel report is in it.
no_splat() {
	[ -s "$1" ] && ! grep -a -E "$mlpt_splats" "$1"
}

# arm64_boot NAME KVER: the mlpt.ko DKMS built in chroot NAME, in the
# initramfs of the arm64 rig (scripts/mkinitramfs.sh takes the module
# it is given) in place of the one scripts/build-module.sh cross-builds,
# and one boot of KVER with LPA2 (5 levels) that loads it and runs the
# selftests that check the walk against the kernel's own numbers
# (mlpt_consistency) and exact layouts (mlpt_layout), then unloads it.
arm64_boot() {
	local b=$MLPT_BUILD/packaging-arm64 kver=$2 log=$logs/arm64-guest.log rc=0 ksft
	rm -rf "$b"
	mkdir -p "$b"
	ksft=$("$MLPT_SRC/scripts/ksource.sh" 6.12)/tools/testing/selftests
	passes "arm64 guest: the DKMS-built mlpt.ko out of $1" dkms_ko "$1" "$kver" "$b/mlpt.ko" &&
		passes "arm64 guest: selftests cross-built" make -C "$MLPT_SRC/selftests" \
			O="$b/arm64/selftests" CC="$(cross_cc arm64)" KSFT_DIR="$ksft" &&
		passes "arm64 guest: initramfs with the DKMS-built mlpt.ko" env MLPT_BUILD="$b" \
			"$MLPT_SRC/scripts/mkinitramfs.sh" "$b/initramfs.gz" "$b/mlpt.ko" || return 0
	MLPT_TESTS=mlpt_consistency,mlpt_layout "$MLPT_SRC/scripts/qemu-run.sh" \
		"$kver" 5-level "$b/initramfs.gz" "$log" 2>"$log.qemu-run" || rc=$?
	# shellcheck disable=SC2016 # the inner sh expands them
	check "arm64 guest: $kver (LPA2): boot, run the tests, power off" \
		sh -c 'cat "$1"; exit "$2"' sh "$log.qemu-run" "$rc"
	# A QEMU that did not start wrote no console.
	[ -f "$log" ] || return 0
	results "arm64 guest" < <(awk -v levels="$(kernel_paging_levels "$kver" 5-level)" \
		-v timeout="$MLPT_TEST_TIMEOUT" -f "$MLPT_SRC/scripts/guest-results.awk" "$log")
	check "arm64 guest: no kernel splat on the console" no_splat "$log"
}

# MLPT_PACKAGING_ARM64=1: the arm64 system too (emulated, slow).
arm64=${MLPT_PACKAGING_ARM64:-0}
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
arm64_built=0
if passes "deb: make deb for arm64 (cross-built)" "$MLPT_SRC/scripts/deb.sh" arm64; then
	arm64_built=1
	check "deb: the arm64 package holds arm64 programs, depends on libproc2-0" arm64_deb
	check "deb: lintian clean (arm64)" lint "$(echo "$MLPT_BUILD"/deb-arm64/mlpt_*.changes)"
fi
if passes "deb: make deb" "$MLPT_SRC/scripts/deb.sh"; then
	check "deb: lintian clean" lint "$(echo "$MLPT_BUILD"/deb/mlpt_*.changes)"
	system_tests bookworm amd64 linux-headers-6.12-amd64
	if [ "$arm64" = 1 ] && [ "$arm64_built" = 1 ]; then
		# Held for the whole run, so that each chroot.sh finds it.
		binfmt_hold arm64
		start=$SECONDS
		system_tests bookworm-arm64 arm64 \
			"linux-headers-$(MLPT_ARCH=arm64 "$MLPT_SRC/scripts/kernels.sh")" arm64_boot
		echo "# arm64 system: $((SECONDS - start))s"
	fi
fi
echo "1..$n"
summary="$passed passed, $failed failed"
[ "$skipped" = 0 ] || summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" = 0 ]
