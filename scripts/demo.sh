#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: show /proc/mlpt/<pid> for the shell, init and a workload with a
# sparse and a dense region.  On a host that can load modules, here and
# now; otherwise in a QEMU guest running Debian's 6.12 kernel.
set -eu
. "$(dirname "$0")/lib.sh"

# Why this host cannot load mlpt.ko, or nothing if it can.
cannot_load() {
	local kver
	kver=$(uname -r)
	if [ "$(id -u)" != 0 ]; then
		echo "not root"
	elif [ ! -f /proc/sys/kernel/modules_disabled ]; then
		echo "kernel $kver has no module support"
	elif [ "$(cat /proc/sys/kernel/modules_disabled)" != 0 ]; then
		echo "module loading is disabled (kernel.modules_disabled=1)"
	elif [ ! -f "$(kernel_build_dir "$kver")/Makefile" ]; then
		echo "no headers for kernel $kver (install linux-headers-$kver)"
	fi
}

# The helpers the demo runs: the workload, and the user tool if any.
build_userland() {
	mkdir -p "$MLPT_BUILD/logs"
	make -s -C "$MLPT_SRC/selftests" O="$MLPT_BUILD/selftests" \
		"$MLPT_BUILD/selftests/bin/mlpt-workload" >&2 ||
		die "demo: building the selftests' mlpt-workload failed"
	# The tool's view is a bonus: /proc/mlpt is what the demo is about.
	if [ -f "$MLPT_SRC/userspace/Makefile" ] &&
		! make -s -C "$MLPT_SRC/userspace" >"$MLPT_BUILD/logs/demo-tool.log" 2>&1; then
		say "demo: the user tool does not build (see $MLPT_BUILD/logs/demo-tool.log); going on without it"
	fi
}

# Global, not local: the EXIT trap of demo_here reads them after it returns.
workload=
pidfile=

demo_here() {
	local kver ko
	kver=$(uname -r)
	build_userland
	ko=$("$MLPT_SRC/scripts/build-module.sh" "$kver")
	"$MLPT_SRC/scripts/load.sh" load "$ko"
	pidfile=$(mktemp)
	# Unload even when a step fails, so the demo leaves the host as it was.
	trap '[ -z "$workload" ] || kill "$workload"; rm -f "$pidfile"; "$MLPT_SRC/scripts/load.sh" unload' EXIT
	"$MLPT_BUILD/selftests/bin/mlpt-workload" >"$pidfile" &
	workload=$!
	while [ ! -s "$pidfile" ]; do
		kill -0 "$workload" 2>/dev/null || die "demo: mlpt-workload exited before mapping its regions"
		sleep 0.1
	done
	PATH=$MLPT_SRC/userspace:$PATH "$MLPT_SRC/scripts/show.sh" $$ 1 "$workload"
	echo "mlpt demo: on this machine (kernel $kver)"
}

demo_qemu() {
	local kver ko initrd log
	"$MLPT_SRC/scripts/deps.sh"
	kver=$("$MLPT_SRC/scripts/kernels.sh" | grep '^6\.12\.') ||
		die "demo: no 6.12 kernel installed"
	build_userland
	ko=$("$MLPT_SRC/scripts/build-module.sh" "$kver")
	initrd=$MLPT_BUILD/demo/initramfs.gz
	log=$MLPT_BUILD/logs/demo-$kver.log
	"$MLPT_SRC/scripts/mkinitramfs.sh" "$initrd" "$ko"
	say "booting $kver in QEMU; console in $log"
	"$MLPT_SRC/scripts/qemu-run.sh" "$kver" 5-level "$initrd" "$log" demo
	tr -d '\r' <"$log" | sed -n '/^MLPT-DEMO-BEGIN/,/^MLPT-DEMO-END/{//!p}'
	grep -q '^mlpt demo: in QEMU' "$log" ||
		die "demo: the guest's demo did not finish; see $log"
}

lock_build
why=$(cannot_load)
if [ -z "$why" ]; then
	demo_here
else
	say "cannot load modules here: $why; running the demo in QEMU instead"
	demo_qemu
fi
