# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# lib.sh: the few helpers every scripts/*.sh shares.  Sourced, never run;
# the caller has already done "set -eu".

MLPT_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MLPT_BUILD=${MLPT_BUILD:-$MLPT_SRC/build}
# Debian chroots of other releases (scripts/chroot.sh): big and slow to
# make, so one set however MLPT_BUILD is changed.
MLPT_CHROOTS=${MLPT_CHROOTS:-$MLPT_SRC/build/chroot}
# The debug kernel (scripts/debug-kernel.sh): an hour to build, so one
# for every MLPT_BUILD too.
MLPT_DEBUG_KERNELS=${MLPT_DEBUG_KERNELS:-$MLPT_SRC/build/debug-kernel}
# Seconds one selftest may run in the guest before it is killed.
MLPT_TEST_TIMEOUT=${MLPT_TEST_TIMEOUT:-300}
# The architecture the kernels under test are built for: amd64 (this
# host's), arm64 or riscv64 (cross-built, booted in QEMU under TCG).
MLPT_ARCH=${MLPT_ARCH:-amd64}
# Other architectures' kernels, headers and busybox, unpacked from their
# .debs (scripts/fetch-foreign.sh), one root per architecture.
MLPT_FOREIGN=${MLPT_FOREIGN:-$MLPT_SRC/build/foreign}

# What the kernel prints when something went wrong in it, whatever the
# tests thought: warnings, oopses, lockups and stalls, and the reports of
# the debug kernel's checks (lockdep, KASAN, KFENCE, UBSAN, debugobjects,
# list debugging).  Most begin "BUG:" or "WARNING:"; the others are named.
# scripts/splat-samples.txt holds one of each, tested by scripts/check.sh.
mlpt_splats='BUG:|WARNING:|Call Trace|soft lockup|RCU stall|detected stall|blocked for more than'
mlpt_splats="$mlpt_splats|KASAN|KFENCE:|UBSAN:|ODEBUG:|list_(add|del) corruption|kernel BUG at|Oops|general protection"
mlpt_splats="$mlpt_splats|circular locking|inconsistent lock state|suspicious RCU usage|invalid context"

# The host's C compiler for programs of ARCH (amd64, arm64, riscv64).
cross_cc() {
	case $1 in
	arm64) echo aarch64-linux-gnu-gcc ;;
	riscv64) echo riscv64-linux-gnu-gcc ;;
	*) echo gcc ;;
	esac
}

say() { echo "mlpt: $*" >&2; }
die() { say "$@"; exit 1; }

# Hold build/ for this process: a second "make check" or "make demo" in
# the same tree would rebuild the module sources under the first one.
lock_build() {
	mkdir -p "$MLPT_BUILD"
	exec 9>"$MLPT_BUILD/.lock"
	flock -n 9 || {
		say "waiting for another make check or make demo in $MLPT_SRC"
		flock 9
	}
}

# The kbuild output tree of the debug kernel KVER.
debug_kernel_dir() {
	echo "$MLPT_DEBUG_KERNELS/$1"
}

# The architecture KVER is built for, from Debian's flavour suffix
# (arm64-16k: arm64 with 16 KiB pages).
kernel_arch() {
	case $1 in
	*-arm64 | *-arm64-16k) echo arm64 ;;
	*-riscv64) echo riscv64 ;;
	*) echo amd64 ;;
	esac
}

# The unpacked root of a kernel of another architecture, or nothing.
kernel_foreign_root() {
	local arch
	arch=$(kernel_arch "$1")
	[ "$arch" = amd64 ] || echo "$MLPT_FOREIGN/$arch"
}

# The chroot suite (scripts/chroot.sh) whose archive has ARCH's kernel
# and userland, or nothing when the host's has them: Debian's riscv64
# port starts with trixie, so its kernels, programs and libraries are
# sid's, its headers need sid's kbuild (built against sid's libc) and
# its programs sid's cross compiler and -dev packages.
arch_suite() {
	[ "$1" != riscv64 ] || echo sid
}

# The chroot suite whose kbuild tools build for another architecture's
# KVER, or nothing when the host's do.
kernel_foreign_suite() {
	arch_suite "$(kernel_arch "$1")"
}

# in_arch_env ARCH CMD...: run CMD where ARCH's packages are fetched and
# its programs cross-built: here, or in the chroot of arch_suite, which
# sees the source tree and MLPT_BUILD at their own paths.
in_arch_env() {
	local suite
	suite=$(arch_suite "$1")
	shift
	if [ -n "$suite" ]; then
		"$MLPT_SRC/scripts/chroot.sh" run "$suite" "$@"
	else
		"$@"
	fi
}

# The headers kbuild needs for KVER, where Debian's linux-headers put them,
# or the debug kernel's own build tree.  Another architecture's headers
# are in its unpacked root, or in the chroot of kernel_foreign_suite.
kernel_build_dir() {
	local root
	root=$(kernel_foreign_root "$1")
	if [ -f "$(debug_kernel_dir "$1")/.complete" ]; then
		debug_kernel_dir "$1"
	elif [ -n "$root" ] && [ -z "$(kernel_foreign_suite "$1")" ]; then
		echo "$root/usr/src/linux-headers-$1"
	else
		echo "/usr/lib/modules/$1/build"
	fi
}

# The chroot (scripts/chroot.sh) that has the headers for KVER, or
# nothing when the host has them: kernels of other Debian releases build
# with that release's compiler and kbuild tools.
kernel_chroot() {
	local r b
	[ ! -f "$(kernel_build_dir "$1")/Makefile" ] || return 0
	for r in "$MLPT_CHROOTS"/*/; do
		r=${r%/}
		# An absolute build link is meant for inside the chroot.
		b=$(readlink "$r$(kernel_build_dir "$1")" || true)
		case $b in
		/*) b=$r$b ;;
		*) b=$r$(kernel_build_dir "$1") ;;
		esac
		if [ -f "$b/Makefile" ]; then
			echo "$r"
			return 0
		fi
	done
}

# The configuration KVER was built with, from its headers.
kernel_config() {
	in_kernel_env "$1" sh -c 'cat "$1/.config"' sh "$(kernel_build_dir "$1")"
}

# The paging levels a boot of KVER in MODE (5-level, 4-level) runs with:
# the CPU's, except that a kernel built without CONFIG_X86_5LEVEL (Debian's
# 5.10) runs 4 levels on a CPU with LA57 too.  Newer kernels (7.2 here)
# have no such option: 5-level support is always built in.  arm64 runs
# 52-bit addresses when built for them and the CPU has LPA2 (the "5-level"
# CPU; the "4-level" one has none), else VA_BITS_MIN: 47 with 16 KiB
# pages, else 48 (arch/arm64/include/asm/memory.h); the levels are what
# those bits take above the page offset, PAGE_SHIFT - 3 bits a level:
# 5 and 4 with 4 KiB pages, 4 and 3 with 16 KiB.  riscv64 runs the mode
# asked for (Sv57, Sv48, Sv39: 5, 4, 3 levels; qemu_append).
kernel_paging_levels() {
	local config shift=12 bits=48
	if [ "$(kernel_arch "$1")" = riscv64 ]; then
		echo "${2%-level}"
	elif [ "$(kernel_arch "$1")" = arm64 ]; then
		config=$(kernel_config "$1")
		! grep -q '^CONFIG_ARM64_16K_PAGES=y$' <<<"$config" || shift=14 bits=47
		if [ "$2" = 5-level ] && grep -q '^CONFIG_ARM64_VA_BITS=52$' <<<"$config"; then
			bits=52
		fi
		echo $(((bits - shift + shift - 4) / (shift - 3)))
	elif [ "$2" = 5-level ] && ! kernel_config "$1" | grep -q '^# CONFIG_X86_5LEVEL is not set'; then
		echo 5
	else
		echo 4
	fi
}

# in_kernel_env KVER CMD...: run CMD where the headers for KVER are:
# here, in a chroot, or either with kbuild told to cross-compile.
in_kernel_env() {
	local root arch
	root=$(kernel_chroot "$1")
	arch=$(kernel_arch "$1")
	shift
	if [ "$arch" = arm64 ]; then
		ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "$@"
	elif [ "$arch" = riscv64 ]; then
		"$MLPT_SRC/scripts/chroot.sh" run "${root##*/}" \
			env ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- "$@"
	elif [ -n "$root" ]; then
		"$MLPT_SRC/scripts/chroot.sh" run "${root##*/}" "$@"
	else
		"$@"
	fi
}

# The root that holds KVER's /boot and /lib/modules: the host's (empty),
# a chroot's or another architecture's unpacked root.
kernel_root() {
	local root
	root=$(kernel_foreign_root "$1")
	if [ -n "$root" ]; then
		echo "$root"
	else
		kernel_chroot "$1"
	fi
}

# The image to boot for KVER: the host's, the one scripts/fetch-kernel.sh
# (scripts/fetch-foreign.sh) unpacked into the /boot of its root, or the
# debug kernel's.
kernel_image() {
	if [ -f "$(debug_kernel_dir "$1")/.complete" ]; then
		echo "$(debug_kernel_dir "$1")/arch/x86/boot/bzImage"
	else
		echo "$(kernel_root "$1")/boot/vmlinuz-$1"
	fi
}

# Where the modules of KVER are, with their modules.dep.
kernel_modules_dir() {
	if [ -f "$(debug_kernel_dir "$1")/.complete" ]; then
		echo "$(debug_kernel_dir "$1")/modules/lib/modules/$1"
	else
		echo "$(kernel_root "$1")/lib/modules/$1"
	fi
}

# How many times longer than Debian's kernels KVER takes to run the
# suite: the debug kernel's checks (KASAN and lockdep above all) slow it
# down under TCG.  MLPT_BOOT_TIMEOUT and MLPT_TEST_TIMEOUT are scaled by it.
# A riscv64 guest is emulated instruction by instruction on this x86-64
# host: measured against x86-64 guests under TCG here, a module load and
# unload cycle took 6.4 times longer (1706 ms against 265) and the churn
# stress did 5 to 6 times fewer operations a second (docs/architectures.md).
kernel_slowdown() {
	if [ -f "$(debug_kernel_dir "$1")/.complete" ]; then
		echo 3
	elif [ "$(kernel_arch "$1")" = riscv64 ]; then
		echo 6
	else
		echo 1
	fi
}

# QEMU accelerator for booting KERNEL with a paging mode [on ARCH, default
# amd64; any other is TCG]: KVM only when
# it really runs that kernel and, for 5-level, when the host CPU has LA57
# (KVM cannot add it).  /dev/kvm existing is not enough, nor is an empty
# machine that sits in its BIOS: nested setups refuse MSR writes (QEMU
# aborts at the first vCPU reset) or fail to emulate an instruction of the
# kernel's decompressor ("KVM internal error ... emulation failure"), after
# which the guest hangs paused until the boot timeout.  So boot KERNEL
# itself without an initramfs, up to 20 s, and take KVM only if it printed
# its banner.  Otherwise multi-threaded TCG, one host thread per vCPU.
qemu_accel() {
	local mode=$1 kernel=$2 out pid i
	# KVM runs the host's architecture only.
	if [ "${3:-amd64}" = amd64 ] && [ -w /dev/kvm ] && { [ "$mode" != 5-level ] || grep -qw la57 /proc/cpuinfo; }; then
		out=$(mktemp)
		qemu-system-x86_64 -accel kvm -cpu "$(qemu_cpu "$mode")" -m 256 \
			-nodefaults -display none -monitor none -serial stdio \
			-no-reboot -kernel "$kernel" \
			-append "console=ttyS0 earlyprintk=ttyS0 panic=-1" \
			</dev/null >"$out" 2>&1 &
		pid=$!
		for i in $(seq 100); do
			grep -qE 'Linux version|emulation failure|KVM internal error' "$out" &&
				break
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		if grep -q 'Linux version' "$out"; then
			rm -f "$out"
			echo kvm
			return
		fi
		rm -f "$out"
	fi
	echo tcg,thread=multi
}

# The paging modes the rig boots KVER in: every one its architecture
# has with 4 KiB pages (riscv64's Sv57, Sv48 and Sv39; the others' 5 and
# 4 levels).
kernel_paging_modes() {
	if [ "$(kernel_arch "$1")" = riscv64 ]; then
		echo 5-level 4-level 3-level
	else
		echo 5-level 4-level
	fi
}

# QEMU -cpu for a paging mode [and architecture].  x86's "max" carries
# LA57, so Debian's kernels (CONFIG_X86_5LEVEL=y) boot with 5-level
# paging; without it they fall back to 4 levels.  arm64's "max" has LPA2
# (52-bit addresses with 4 KiB pages, 5 levels); without it Debian's
# 52-bit kernel folds a level at boot and runs 48 bits in 4 levels.
# Both modes are otherwise the same CPU.
# arm64's pointer authentication with QEMU's own cheap hash instead of the
# architected QARMA cipher (pauth-impdef): the same instructions, several
# times faster under TCG.  riscv64's "rv64" translates Sv57, Sv48 and
# Sv39; the kernel picks the mode (qemu_append).  With Svnapot (QEMU's
# device tree then lists it in riscv,isa) the kernel has 64 KiB hugetlb
# pages, mapped as NAPOT ptes, which mlpt_contpte checks.
qemu_cpu() {
	local cpu=max off=la57
	case ${2:-amd64}:$1 in
	riscv64:[543]-level)
		echo rv64,svnapot=true
		return
		;;
	arm64:*)
		cpu=max,pauth-impdef=on
		off=lpa2
		;;
	esac
	case $1 in
	5-level) echo "$cpu" ;;
	4-level) echo "$cpu,$off=off" ;;
	*) die "qemu_cpu: unknown paging mode '$1' for ${2:-amd64}" ;;
	esac
}

# Kernel parameters for a paging mode [and architecture].  riscv64 takes
# the best mode of its MMU (Sv57) unless told no5lvl (Sv48) or no4lvl
# (Sv39: arch/riscv/kernel/pi/cmdline_early.c); the others follow the CPU.
qemu_append() {
	case ${2:-amd64}:$1 in
	riscv64:4-level) echo no5lvl ;;
	riscv64:3-level) echo no4lvl ;;
	esac
}

# binfmt_hold ARCH: let this host run ARCH's programs (a chroot of that
# architecture: scripts/chroot.sh) through qemu-user-static, for as long
# as the calling script runs.  When the kernel already hands them to
# QEMU (qemu-user-static's own registration, or an outer script's), that
# is left as it is; otherwise binfmt_misc is mounted if it was not, the
# interpreter registered from qemu-user-static's binfmt.d file (flag F:
# the kernel opens it now, so it works inside a chroot), and both are
# undone when the script exits, and it says so.
binfmt_hold() {
	local name dir=/proc/sys/fs/binfmt_misc conf
	case $1 in
	arm64) name=qemu-aarch64 ;;
	riscv64) name=qemu-riscv64 ;;
	*) die "binfmt: no QEMU interpreter known for $1" ;;
	esac
	conf=/usr/lib/binfmt.d/$name.conf
	# Silently: every chroot.sh under an outer script's hold comes here.
	if [ -f "$dir/$name" ] && grep -qx enabled "$dir/$name"; then
		return
	fi
	[ -f "$conf" ] || die "binfmt: $conf missing: apt-get install qemu-user-static"
	[ "$(id -u)" = 0 ] || die "binfmt: registering $name needs root"
	mlpt_binfmt_mounted=
	if [ ! -f "$dir/register" ]; then
		mount -t binfmt_misc binfmt_misc "$dir" || die "binfmt: cannot mount binfmt_misc on $dir"
		mlpt_binfmt_mounted=$dir
	fi
	mlpt_binfmt_entry=$dir/$name
	trap binfmt_release EXIT
	cat "$conf" >"$dir/register" || die "binfmt: registering $conf failed"
	say "binfmt: registered $name (qemu-user-static) for this run only${mlpt_binfmt_mounted:+, binfmt_misc mounted on $dir for it}"
}

# Undo binfmt_hold's registration and mount (an EXIT trap).
binfmt_release() {
	[ ! -f "$mlpt_binfmt_entry" ] || echo -1 >"$mlpt_binfmt_entry"
	[ -z "$mlpt_binfmt_mounted" ] || umount "$mlpt_binfmt_mounted"
	say "binfmt: ${mlpt_binfmt_entry##*/} unregistered${mlpt_binfmt_mounted:+, binfmt_misc unmounted}"
}

# The TAP lines of check.sh and check-packaging.sh, numbered and counted in
# the caller's n, passed, failed and skipped.
# result STATUS NAME [DETAIL [LOG]]: print one numbered TAP line.
result() {
	n=$((n + 1))
	case $1 in
	ok)
		passed=$((passed + 1))
		echo "ok $n - $2"
		;;
	skip)
		skipped=$((skipped + 1))
		echo "ok $n - $2 # SKIP ${3:-}"
		;;
	*)
		failed=$((failed + 1))
		echo "not ok $n - $2"
		[ -z "${3:-}" ] || echo "# $3"
		[ -z "${4:-}" ] || tail -n 20 "$4" | sed 's/^/#   /'
		;;
	esac
}

# results PREFIX: number the STATUS<TAB>NAME<TAB>DETAIL records on stdin.
results() {
	local status name detail
	while IFS=$'\t' read -r status name detail; do
		result "$status" "$1: $name" "$detail"
	done
}
