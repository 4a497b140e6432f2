#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# install.sh install | uninstall: "make install" and "make uninstall".
#
#   tool      mlpt and mlpt.1 by userspace/Makefile, under PREFIX, and
#             the labs mlpt lab runs, in PREFIX/libexec/mlpt
#   module    with dkms: the sources in /usr/src/mlpt-<version>, then
#             dkms add/build/install for the running kernel (and every
#             kernel installed later); without: mlpt.ko built for KDIR
#             into /lib/modules/<kernel>/updates/, then depmod
#   boot      /etc/modules-load.d/mlpt.conf loads the module at boot
#             (systemd and Debian's kmod init script both read it); with
#             systemd, proc-mlpt.mount and a udev rule mount /proc/mlpt
#             whenever the module is loaded; without, a modprobe.d rule
#             mounts and unmounts it with modprobe
#
# Environment: PREFIX (/usr/local), DESTDIR (staging root: files only,
# nothing is run against the live system), KDIR (the running kernel's
# headers), MLPT_INIT=systemd|other (default: what this system runs).
# Every step says what it did.
set -eu
. "$(dirname "$0")/lib.sh"

prefix=${PREFIX:-/usr/local}
destdir=${DESTDIR:-}
kver=$(uname -r)
kdir=${KDIR:-/lib/modules/$kver/build}
version=$(cat "$MLPT_SRC/VERSION")
pkg=$MLPT_SRC/packaging
etc=$destdir/etc
if [ -n "${MLPT_INIT:-}" ]; then
	init=$MLPT_INIT
elif [ -d /run/systemd/system ]; then
	init=systemd
else
	init=other
fi
# Files this installs outside PREFIX, so uninstall removes exactly them.
boot_files=(
	"$etc/modules-load.d/mlpt.conf"
	"$etc/systemd/system/proc-mlpt.mount"
	"$etc/udev/rules.d/60-mlpt.rules"
	"$etc/modprobe.d/mlpt.conf"
)
live() { [ -z "$destdir" ]; }
has_dkms() { live && command -v dkms >/dev/null; }

tool() {
	make -s -C "$MLPT_SRC/userspace" "$1" PREFIX="$prefix" DESTDIR="$destdir" ||
		die "install: make -C userspace $1 failed"
	say "tool: $1 $destdir$prefix/bin/mlpt, its man page and the labs in $destdir$prefix/libexec/mlpt"
}

install_module() {
	local src=$destdir/usr/src/mlpt-$version ko
	if has_dkms; then
		# A fresh add, so a reinstall builds these sources, not old ones.
		if dkms status mlpt/"$version" 2>/dev/null | grep -q .; then
			dkms remove mlpt/"$version" --all >/dev/null ||
				die "install: dkms remove mlpt/$version failed"
		fi
		rm -rf "$src"
		"$MLPT_SRC/scripts/module-source.sh" "$src"
		dkms add mlpt/"$version" >/dev/null || die "install: dkms add mlpt/$version failed"
		if [ ! -f "$kdir/Makefile" ]; then
			say "module: dkms add mlpt/$version; no headers for $kver in $kdir, so dkms builds it when they are installed"
			return
		fi
		dkms build mlpt/"$version" -k "$kver" >/dev/null &&
			dkms install mlpt/"$version" -k "$kver" >/dev/null ||
			die "install: dkms build/install mlpt/$version for $kver failed: see /var/lib/dkms/mlpt/$version/build/make.log"
		say "module: dkms add/build/install mlpt/$version for $kver (rebuilt for each new kernel)"
		return
	fi
	if [ -n "$destdir" ] && command -v dkms >/dev/null; then
		"$MLPT_SRC/scripts/module-source.sh" "$src"
		say "module: sources in $src: run dkms add/build/install mlpt/$version on the target"
		return
	fi
	if [ ! -f "$kdir/Makefile" ]; then
		say "module: not installed: no dkms and no kernel headers in $kdir (install dkms, or linux-headers-$kver)"
		return
	fi
	# Built in a copy: probe.sh writes the per-kernel compat-probed.h
	# next to the sources.
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	"$MLPT_SRC/scripts/module-source.sh" "$tmp"
	make -s -C "$tmp" KDIR="$kdir" module >"$tmp/build.log" 2>&1 || {
		cat "$tmp/build.log" >&2
		die "install: building mlpt.ko for $kdir failed"
	}
	ko=$destdir/lib/modules/$kver/updates/mlpt.ko
	install -D -m 0644 "$tmp/mlpt.ko" "$ko"
	if live; then
		depmod -a "$kver"
		say "module: $ko, depmod $kver (not rebuilt for new kernels: install dkms for that)"
	else
		say "module: $ko (run depmod -a $kver on the target)"
	fi
}

uninstall_module() {
	local ko=$destdir/lib/modules/$kver/updates/mlpt.ko
	if has_dkms && dkms status mlpt/"$version" 2>/dev/null | grep -q .; then
		dkms remove mlpt/"$version" --all >/dev/null ||
			die "uninstall: dkms remove mlpt/$version failed"
		say "module: dkms remove mlpt/$version --all"
	fi
	if [ -d "$destdir/usr/src/mlpt-$version" ]; then
		rm -rf "$destdir/usr/src/mlpt-$version"
		say "module: removed $destdir/usr/src/mlpt-$version"
	fi
	if [ -f "$ko" ]; then
		rm -f "$ko"
		if live; then depmod -a "$kver"; fi
		say "module: removed $ko"
	fi
}

install_boot() {
	install -D -m 0644 "$pkg/modules-load.conf" "$etc/modules-load.d/mlpt.conf"
	if [ "$init" = systemd ]; then
		install -D -m 0644 "$pkg/proc-mlpt.mount" "$etc/systemd/system/proc-mlpt.mount"
		install -D -m 0644 "$pkg/60-mlpt.rules" "$etc/udev/rules.d/60-mlpt.rules"
		if live; then
			systemctl daemon-reload
			systemctl enable proc-mlpt.mount
			udevadm control --reload || true
		fi
		say "boot: modules-load.d/mlpt.conf, proc-mlpt.mount (enabled) and a udev rule in $etc: /proc/mlpt is mounted whenever mlpt is loaded"
	else
		install -D -m 0644 "$pkg/modprobe.conf" "$etc/modprobe.d/mlpt.conf"
		say "boot: modules-load.d/mlpt.conf and modprobe.d/mlpt.conf in $etc: modprobe mlpt mounts /proc/mlpt, modprobe -r unmounts it"
	fi
}

uninstall_boot() {
	local f
	if live && [ -f "$etc/systemd/system/proc-mlpt.mount" ] && [ "$init" = systemd ]; then
		systemctl disable proc-mlpt.mount || true
	fi
	for f in "${boot_files[@]}"; do
		if [ -f "$f" ]; then
			rm -f "$f"
			say "boot: removed $f"
		fi
	done
	if live && [ "$init" = systemd ]; then systemctl daemon-reload; fi
}

case ${1:-} in
install)
	tool install
	install_module
	install_boot
	;;
uninstall)
	uninstall_boot
	uninstall_module
	tool uninstall
	;;
*) die "usage: install.sh install | uninstall" ;;
esac
