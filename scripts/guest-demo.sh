#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest-demo.sh LEVELS: the demo inside the QEMU guest, run by
# guest-init.sh with /proc/mlpt mounted: the shell itself, init, and the
# selftests' mlpt-workload with its sparse and dense regions, then the
# tool's survey of every process and the workload's waste.  LEVELS is
# the paging mode the guest found.
set -eu

# The workload prints its pid once its regions are mapped and touched.
mlpt-workload >/tmp/workload.pid &
workload=$!
while [ ! -s /tmp/workload.pid ]; do
	kill -0 "$workload" 2>/dev/null || {
		echo "mlpt: demo: mlpt-workload exited before mapping its regions" >&2
		exit 1
	}
	sleep 0.1
done
show.sh $$ 1 "$workload"
# The whole guest, as the survey sees it.
if command -v mlpt >/dev/null; then
	echo "==== mlpt --all"
	mlpt --all
	echo "==== mlpt --top 4 waste $workload"
	mlpt --top 4 waste "$workload"
fi
kill "$workload"
echo "mlpt demo: in QEMU (kernel $(uname -r), $1-level paging)"
