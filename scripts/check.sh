#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh: everything "make check" tests, as one TAP stream ending in
# "N passed, N failed[, N skipped]"; exits non-zero if anything failed.
#
#   host:    the selftests and the user tool build, the tool's unit tests,
#            checkpatch --strict on every source file, the links of the
#            Markdown files (scripts/check-links.sh)
#   packaging: scripts/check-packaging.sh (DKMS for every installed header
#            set, make install/uninstall, the .debs and lintian, both
#            installed into a clean bookworm chroot); MLPT_PACKAGING=0
#            leaves it out (make matrix, make check-stress),
#            MLPT_PACKAGING_ARM64=1 adds the arm64 system (slow)
#   arm64:   besides x86-64 (MLPT_ARCH=amd64 or arm64: that one alone),
#            the selftests, labs and user tool cross-built, and arm64's
#            kernel (scripts/kernels.sh) booted on QEMU's arm64 "virt"
#            board with and without LPA2 (docs/architectures.md); its
#            16 KiB-page twin (-arm64-16k) when MLPT_KERNELS names it
#   riscv64: with MLPT_ARCH=riscv64 the same for sid's riscv64 kernel
#            (the user tool cross-built in the sid chroot), booted on
#            QEMU's riscv64 "virt" board in Sv57, Sv48 and Sv39
#   kernels: for each of scripts/kernels.sh, a W=1 module build without
#            warnings, then one QEMU boot per paging mode (5-level, 4-level;
#            3-level too on riscv64)
#            that runs every selftest and must load, mount, unmount and
#            unload the module cleanly with no kernel splat on the console;
#            MLPT_MODULE=KO boots KO instead for the kernel it was built
#            for (a module DKMS built: scripts/check-packaging.sh)
#
# Build output and guest consoles are kept under build/logs/; a failure
# prints the tail of its log as TAP comments.  Limits: MLPT_TEST_TIMEOUT
# seconds per guest test (300), MLPT_BOOT_TIMEOUT per boot (900).
set -eu
# Before lib.sh makes amd64 the default.
arch_asked=${MLPT_ARCH:-}
. "$(dirname "$0")/lib.sh"

logs=${MLPT_LOGS:-$MLPT_BUILD/logs}
boot="boot, run the tests, power off"
n=0 passed=0 failed=0 skipped=0

# run NAME LOG CMD...: CMD's success is one test; its output goes to LOG.
run() {
	local name=$1 log=$2
	shift 2
	if "$@" >"$log" 2>&1; then
		result ok "$name"
	else
		result fail "$name" "failed, see $log" "$log"
		return 1
	fi
}

# tap_of NAME RC LOG: the records of one program's TAP output in LOG.
# Framed like a guest test, so the same parser (and its rules for exit
# codes and plans) judges host and guest tests alike.
tap_of() {
	{
		echo "MLPT-TEST-BEGIN $1"
		cat "$3"
		echo "MLPT-TEST-END $1 rc=$2 secs=0"
	} | awk -v timeout="$MLPT_TEST_TIMEOUT" -f "$MLPT_SRC/scripts/guest-results.awk"
}

host_tests() {
	local rc=0
	# Fresh, so a test that was removed or renamed never runs stale.
	rm -rf "$MLPT_BUILD/selftests"
	run "host: build selftests" "$logs/selftests-build.log" \
		make -C "$MLPT_SRC/selftests" O="$MLPT_BUILD/selftests" || true
	run "host: build labs" "$logs/labs-build.log" \
		make -C "$MLPT_SRC/labs" O="$MLPT_BUILD/labs" || true
	# Another architecture's guest runs them cross-built, static: it has
	# no libc (scripts/mkinitramfs.sh).
	local arch cc
	for arch in $arches; do
		[ "$arch" != amd64 ] || continue
		cc=$(cross_cc "$arch")
		rm -rf "$MLPT_BUILD/$arch/selftests"
		run "host: cross-build selftests for $arch" "$logs/selftests-$arch-build.log" \
			make -C "$MLPT_SRC/selftests" O="$MLPT_BUILD/$arch/selftests" \
			CC="$cc" || true
		run "host: cross-build labs for $arch" "$logs/labs-$arch-build.log" \
			make -C "$MLPT_SRC/labs" O="$MLPT_BUILD/$arch/labs" \
			CC="$cc" LDFLAGS=-static || true
		# The user tool links libproc2, so it is built against ARCH's
		# (libproc2-dev:ARCH) where ARCH's packages are (lib.sh
		# in_arch_env: the host for arm64, scripts/deps.sh; sid's
		# chroot for riscv64, scripts/fetch-foreign.sh), in a copy:
		# the host's objects are in the tree.
		local tool=$MLPT_BUILD/$arch/tool pkgconfig
		pkgconfig=$(dpkg-architecture -a"$arch" -qDEB_HOST_GNU_TYPE 2>/dev/null)-pkg-config
		rm -rf "$tool"
		in_arch_env "$arch" "$pkgconfig" --exists libproc2 2>/dev/null || continue
		mkdir -p "$tool"
		cp -r "$MLPT_SRC/VERSION" "$MLPT_SRC/userspace" "$tool/"
		# shellcheck disable=SC2016 # the inner sh expands them
		run "host: cross-build user tool for $arch" "$logs/userspace-$arch-build.log" \
			in_arch_env "$arch" sh -c 'make -C "$1" clean && make -C "$1" CC="$2" PKG_CONFIG="$3" mlpt' \
			sh "$tool/userspace" "$cc" "$pkgconfig" || true
	done
	# The benchmark is not run here (make bench), but it must build, and
	# where it would replay each committed layout is checked.
	run "host: build bench" "$logs/bench-build.log" \
		make -C "$MLPT_SRC/bench" O="$MLPT_BUILD/bench" || true
	rc=0
	make -s -C "$MLPT_SRC/bench" O="$MLPT_BUILD/bench" test \
		>"$logs/bench-test.log" 2>&1 || rc=$?
	results host < <(tap_of bench-replay "$rc" "$logs/bench-test.log")
	rc=0
	run "host: Markdown links stay in the repository and resolve" \
		"$logs/links.log" "$MLPT_SRC/scripts/check-links.sh" || true
	[ -f "$MLPT_SRC/userspace/Makefile" ] || return 0
	run "host: build user tool" "$logs/userspace-build.log" \
		make -C "$MLPT_SRC/userspace" || return 0
	# -n: ask make whether the target exists without running it.
	make -n -C "$MLPT_SRC/userspace" test >/dev/null 2>&1 || return 0
	make -s -C "$MLPT_SRC/userspace" test >"$logs/userspace-test.log" 2>&1 || rc=$?
	results host < <(tap_of userspace "$rc" "$logs/userspace-test.log")
}

# checkpatch as the kernel runs it on a submission, file by file, every C
# file of the tree.  The user tool, the tests, the labs and the benchmark
# are ordinary userspace C against libc: the kernel-only spellings
# checkpatch prefers (u64, __printf(), BIT()) do not exist there, so those
# three suggestions are turned off for them only.  One perl per file, as
# many at once as there are CPUs; results in file order.
checkpatch_tests() {
	local ksrc=$1 f rc
	local files=()
	mkdir -p "$logs/checkpatch"
	for f in "$MLPT_SRC"/module/*.[ch] "$MLPT_SRC"/selftests/*.[ch] \
		"$MLPT_SRC"/testlib/*.[ch] \
		"$MLPT_SRC"/userspace/*.[ch] "$MLPT_SRC"/userspace/*/*.[ch] \
		"$MLPT_SRC"/labs/*.[ch] "$MLPT_SRC"/bench/*.[ch]; do
		[ -f "$f" ] || continue
		f=${f#"$MLPT_SRC"/}
		# Written by probe.sh for one kernel, not source.
		[ "$f" = module/compat-probed.h ] || files+=("$f")
	done
	# shellcheck disable=SC2016 # the inner sh expands them
	printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -I{} sh -c '
		f=$1 log=$2/$(echo "$1" | tr / _).log
		ignore=
		case $f in module/*) ;; *) ignore="--ignore PREFER_KERNEL_TYPES,PREFER_DEFINED_ATTRIBUTE_MACRO,BIT_MACRO" ;; esac
		# shellcheck disable=SC2086 # ignore: empty or one option
		perl "$3/scripts/checkpatch.pl" --no-tree --strict --terse \
			--show-types $ignore --file "$4/$f" >"$log" 2>&1
		echo $? >"$log.rc"' sh {} "$logs/checkpatch" "$ksrc" "$MLPT_SRC"
	for f in "${files[@]}"; do
		local log=$logs/checkpatch/${f//\//_}.log
		rc=$(cat "$log.rc" 2>/dev/null || echo 1)
		if [ "$rc" = 0 ]; then
			result ok "checkpatch: $f"
		else
			result fail "checkpatch: $f" "failed, see $log" "$log"
		fi
	done
}

# The splat pattern against scripts/splat-samples.txt: it must match
# every report there and no line of a clean boot.
splat_tests() {
	local kind line bad=()
	while IFS=$'\t' read -r kind line; do
		case $kind in
		report) grep -qE "$mlpt_splats" <<<"$line" || bad+=("misses: $line") ;;
		clean) ! grep -qE "$mlpt_splats" <<<"$line" || bad+=("matches: $line") ;;
		esac
	done <"$MLPT_SRC/scripts/splat-samples.txt"
	if [ ${#bad[@]} = 0 ]; then
		result ok "host: the splat pattern knows every kernel report"
	else
		result fail "host: the splat pattern knows every kernel report" "${bad[*]}"
	fi
}

packaging_tests() {
	local rc=0
	"$MLPT_SRC/scripts/check-packaging.sh" >"$logs/packaging.log" 2>&1 || rc=$?
	results host < <(tap_of packaging "$rc" "$logs/packaging.log")
}

# boot_results KVER MODE RC: the tests of one finished boot.
boot_results() {
	local kver=$1 mode=$2 rc=$3 log=$logs/$1-$2.log splat levels
	local name="$kver/$mode"
	levels=$(kernel_paging_levels "$kver" "$mode")
	if [ "$rc" = 0 ]; then
		result ok "$name: $boot"
	else
		result fail "$name: $boot" "$(cat "$log.qemu-run")" "$log"
	fi
	results "$name" < <(awk -v levels="$levels" \
		-v timeout="$((MLPT_TEST_TIMEOUT * $(kernel_slowdown "$kver")))" \
		-f "$MLPT_SRC/scripts/guest-results.awk" "$log")
	splat=$(grep -a -m 1 -E "$mlpt_splats" "$log" || true)
	if [ -z "$splat" ]; then
		result ok "$name: no kernel splat on the console"
	else
		result fail "$name: no kernel splat on the console" "${splat//$'\r'/}"
	fi
}

# early_int3 LOG: did the kernel oops at an int3 before the guest loaded
# mlpt.ko?  Under TCG, kernels that patch their text with int3 (static
# keys, alternatives) now and then trap on one during boot, on a busy
# host, with no module of ours loaded: docs/matrix.md has the analysis.
# Such a boot says nothing about mlpt, so check.sh boots once more; an
# oops after insmod is never retried.
early_int3() {
	grep -aq 'Oops: int3' "$1" && ! grep -aq '^MLPT-CHECK insmod' "$1"
}

# given_module KVER: MLPT_MODULE, when it is set and was built for KVER
# (its vermagic): a module built elsewhere (the one DKMS built from the
# mlpt-dkms package, say) to boot instead of building one here.
given_module() {
	[ -n "${MLPT_MODULE:-}" ] || return 1
	[ "$(modinfo -F vermagic "$MLPT_MODULE" | cut -d' ' -f1)" = "$1" ] || return 1
	echo "$MLPT_MODULE"
}

# kernel_tests KVER: build (or take MLPT_MODULE), then boot every paging
# mode at once: under TCG each guest is bound by one host thread per
# vCPU, and two guests keep both host cores busy through the guests'
# serial phases (boot, insmod).
kernel_tests() {
	local kver=$1 ko mode pids=() rc modes
	read -ra modes <<<"$(kernel_paging_modes "$kver")"
	local initrd=$MLPT_BUILD/kernels/$kver/initramfs.gz
	if ko=$(given_module "$kver"); then
		echo "# $kver: booting MLPT_MODULE=$ko, not a module built here"
	elif ! ko=$("$MLPT_SRC/scripts/build-module.sh" "$kver" 2>"$logs/$kver-build.err"); then
		result fail "$kver: build W=1 clean" "$(tail -n 1 "$logs/$kver-build.err")" \
			"$MLPT_BUILD/kernels/$kver/build.log"
		for mode in "${modes[@]}"; do
			result skip "$kver/$mode: $boot" "no module"
		done
		return
	else
		result ok "$kver: build W=1 clean"
	fi
	run "$kver: initramfs" "$logs/$kver-initramfs.log" \
		"$MLPT_SRC/scripts/mkinitramfs.sh" "$initrd" "$ko" || return 0
	for mode in "${modes[@]}"; do
		echo "# booting $kver with $mode paging"
		"$MLPT_SRC/scripts/qemu-run.sh" "$kver" "$mode" "$initrd" \
			"$logs/$kver-$mode.log" 2>"$logs/$kver-$mode.log.qemu-run" &
		pids+=($!)
		# MLPT_ONE_BOOT=1: one guest at a time, on a shared machine.
		[ "${MLPT_ONE_BOOT:-0}" = 0 ] || wait "$!" || true
	done
	for i in "${!modes[@]}"; do
		rc=0
		wait "${pids[$i]}" || rc=$?
		mode=${modes[$i]}
		if early_int3 "$logs/$kver-$mode.log"; then
			echo "# $kver/$mode: Oops: int3 while booting, before mlpt.ko was loaded (see docs/matrix.md); the first console is in $kver-$mode.log.int3, booting once more"
			mv "$logs/$kver-$mode.log" "$logs/$kver-$mode.log.int3"
			rc=0
			"$MLPT_SRC/scripts/qemu-run.sh" "$kver" "$mode" "$initrd" \
				"$logs/$kver-$mode.log" 2>"$logs/$kver-$mode.log.qemu-run" ||
				rc=$?
		fi
		boot_results "$kver" "$mode" "$rc"
	done
}

# The architectures under test: those of MLPT_KERNELS when it is given
# (make matrix), else MLPT_ARCH's alone when it is set, else x86-64 and
# arm64.  Each gets its packages, its kernels and its cross-built tests.
if [ -n "${MLPT_KERNELS:-}" ]; then
	arches=$(for kver in $MLPT_KERNELS; do kernel_arch "$kver"; done | sort -u)
else
	arches=${arch_asked:-amd64 arm64}
fi
for arch in $arches; do
	MLPT_ARCH=$arch "$MLPT_SRC/scripts/deps.sh"
done
lock_build
mkdir -p "$logs"
start=$SECONDS
echo "TAP version 13"
ksrc=$("$MLPT_SRC/scripts/ksource.sh" 6.12)
# make matrix passes its own list.
kernels=${MLPT_KERNELS:-$(for arch in $arches; do
	MLPT_ARCH=$arch "$MLPT_SRC/scripts/kernels.sh"
done)}
# Another architecture's kernel named there is fetched as kernels.sh
# fetches its own (fetch-foreign.sh does nothing when it is unpacked).
for kver in $kernels; do
	[ "$(kernel_arch "$kver")" = amd64 ] ||
		"$MLPT_SRC/scripts/fetch-foreign.sh" "$(kernel_arch "$kver")" "$kver" >/dev/null
done
host_tests
checkpatch_tests "$ksrc"
splat_tests
[ "${MLPT_PACKAGING:-1}" = 0 ] || packaging_tests
for kver in $kernels; do
	kernel_tests "$kver"
done
echo "1..$n"
echo "# $((SECONDS - start))s; logs in $logs"
summary="$passed passed, $failed failed"
[ "$skipped" = 0 ] || summary="$summary, $skipped skipped"
echo "$summary"
echo "$summary" >"$logs/summary"
[ "$failed" = 0 ]
