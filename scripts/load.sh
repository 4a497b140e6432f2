#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# load.sh load KO | unload: the two steps that make /proc/mlpt usable,
# and their reverse.  insmod creates the empty /proc/mlpt mount point
# itself (there is no mkdir under /proc), so mounting is the second step;
# rmmod is refused while the filesystem is mounted, so umount comes first.
set -eu
. "$(dirname "$0")/lib.sh"

# Source "none": a source naming an existing file is taken for a loop
# image by some mount(8) implementations.
case ${1:-} in
load)
	[ $# -eq 2 ] || die "usage: load.sh load KO"
	[ -f "$2" ] || die "load: $2 missing: run make first"
	insmod "$2" || die "load: insmod $2 failed (see dmesg)"
	mount -t mlpt none /proc/mlpt || {
		rmmod mlpt
		die "load: mount -t mlpt none /proc/mlpt failed; module unloaded again"
	}
	;;
unload)
	if mountpoint -q /proc/mlpt; then
		umount /proc/mlpt || die "unload: umount /proc/mlpt failed (busy? a process has a file open)"
	fi
	rmmod mlpt || die "unload: rmmod mlpt failed (not loaded, or in use)"
	;;
*)
	die "usage: load.sh load KO | unload"
	;;
esac
