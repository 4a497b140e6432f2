#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# show.sh PID...: what mlpt says about each process: its /proc/mlpt/<pid>
# report, the kernel's own VmPTE line to compare with, and the user tool's
# view when it is installed.  Plain sh: it runs on the host for the demo
# and as /bin/show.sh in the busybox guest.
set -eu

for pid in "$@"; do
	echo "==== pid $pid ($(cat "/proc/$pid/comm")): cat /proc/mlpt/$pid"
	cat "/proc/mlpt/$pid"
	echo "==== pid $pid: /proc/$pid/status"
	grep '^VmPTE:' "/proc/$pid/status"
	if command -v mlpt >/dev/null; then
		echo "==== pid $pid: mlpt $pid"
		mlpt "$pid"
	fi
done
