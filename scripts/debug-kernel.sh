#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh: a debug kernel to run the suite on, as kernel
# maintainers test mm code: Debian's linux-source-6.12 built here with
# Debian's own configuration plus lockdep, KASAN, KFENCE, UBSAN and the
# VM, RCU and list checks (below).  Built once, into
# build/debug-kernel/KVER/ (the kbuild output tree that mlpt.ko builds
# against, with bzImage and the installed modules) next to the unpacked
# sources it needs; later runs only print the version.  Prints the kernel
# version (uname -r).
set -eu
. "$(dirname "$0")/lib.sh"

series=6.12
tarball=/usr/src/linux-source-$series.tar.xz
config=$(printf '%s\n' /boot/config-"$series".*-amd64 | sort -V | tail -n 1)

[ -f "$tarball" ] || die "debug-kernel: $tarball missing: install linux-source-$series"
[ -f "$config" ] || die "debug-kernel: no /boot/config-$series.*-amd64: install linux-image-amd64 from bookworm-backports"
# The source package's upstream version names the tree; the suffix keeps
# the kernel apart from Debian's own builds of it.
upstream=$(dpkg-query -W -f='${Version}' "linux-source-$series")
upstream=${upstream%%-*}
kver=$upstream-mlpt-debug
out=$(debug_kernel_dir "$kver")
src=$MLPT_DEBUG_KERNELS/linux-source-$upstream
log=$MLPT_DEBUG_KERNELS/$kver.log

# The stamp is written last, so an interrupted build is redone.
if [ -f "$out/.complete" ]; then
	echo "$kver"
	exit 0
fi

# What kbuild needs beyond what scripts/deps.sh installs for the rig.
missing=()
for p in flex bison libelf-dev libssl-dev bc; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	say "debug-kernel: installing ${missing[*]}"
	apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends \
		"${missing[@]}" >&2 || die "debug-kernel: apt-get install ${missing[*]} failed"
fi

mkdir -p "$MLPT_DEBUG_KERNELS"
if [ ! -f "$src/.complete" ]; then
	say "debug-kernel: unpacking $tarball"
	rm -rf "$src"
	mkdir -p "$src"
	tar -xJf "$tarball" -C "$src" --strip-components=1 ||
		die "debug-kernel: cannot unpack $tarball"
	touch "$src/.complete"
fi

rm -rf "$out"
mkdir -p "$out"
# LOCALVERSION from the environment would change the version printed above.
kmake() {
	nice -n 10 make -C "$src" O="$out" LOCALVERSION= "$@" >>"$log" 2>&1 ||
		die "debug-kernel: make $* failed, see $log"
}
: >"$log"
cp "$config" "$out/.config"
kmake olddefconfig

# Modules only for what the guest loads (zram and its compressors, see
# mkinitramfs.sh): the rest of Debian's thousands of modules would triple
# a build that takes most of an hour on two cores.
lsmod=$out/lsmod
printf 'Module Size Used by\nzram 1 0\nlz4_compress 1 1 zram\nlz4hc_compress 1 1 zram\n' >"$lsmod"
yes '' | kmake LSMOD="$lsmod" localmodconfig

cfg() { "$src/scripts/config" --file "$out/.config" "$@"; }
# The checks: lockdep with RCU's, sleeping in atomic context, KASAN
# (generic; inline checks run faster under TCG than calls), KFENCE armed
# (Debian builds it but samples nothing by default), UBSAN, DEBUG_VM with
# the page-table helpers' boot test, RCU head and list debugging.
cfg -e PROVE_LOCKING -e PROVE_RCU -e PROVE_RCU_LIST -e DEBUG_ATOMIC_SLEEP \
	-e KASAN -e KASAN_GENERIC -e KASAN_INLINE -e KASAN_VMALLOC \
	-e KFENCE --set-val KFENCE_SAMPLE_INTERVAL 100 \
	-e UBSAN -e UBSAN_BOUNDS -e UBSAN_SHIFT \
	-e DEBUG_VM -e DEBUG_VM_PGTABLE \
	-e DEBUG_OBJECTS -e DEBUG_OBJECTS_RCU_HEAD -e DEBUG_LIST
# No debug info or BTF: they only cost build time here.  Module signing
# stays (Debian's lockdown LSM selects it), with a key the build makes:
# Debian's certificates are not in the source package.  mlpt.ko is loaded
# unsigned, as on Debian's own kernels.
cfg -d DEBUG_INFO -d DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT -e DEBUG_INFO_NONE \
	-d DEBUG_INFO_BTF -d DEBUG_INFO_BTF_MODULES \
	--set-str SYSTEM_TRUSTED_KEYS "" --set-str LOCALVERSION "-mlpt-debug"
kmake olddefconfig
# Kconfig drops what it cannot satisfy without a word: check.
for opt in PROVE_LOCKING PROVE_RCU DEBUG_ATOMIC_SLEEP KASAN KASAN_GENERIC KFENCE \
	UBSAN DEBUG_VM DEBUG_VM_PGTABLE DEBUG_OBJECTS_RCU_HEAD DEBUG_LIST; do
	grep -qx "CONFIG_$opt=y" "$out/.config" || die "debug-kernel: CONFIG_$opt did not stay set, see $out/.config"
done
say "debug-kernel: building $kver in $out (long: see $log)"
start=$(date +%s)
kmake -j"$(nproc)" bzImage modules
got=$(cat "$out/include/config/kernel.release")
[ "$got" = "$kver" ] || die "debug-kernel: built $got, expected $kver"
kmake INSTALL_MOD_PATH="$out/modules" modules_install
say "debug-kernel: built $kver in $(($(date +%s) - start)) s"
touch "$out/.complete"
echo "$kver"
