#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# layers.sh: the user tool's directories include only from the layers
# before them (base <- sources <- models <- views <- commands <- mlpt.c),
# never from their own future; one line per offending include, exit 1.
# Run from userspace/tests.
cd "$(dirname "$0")/.." || exit 1
rank() {
	case $1 in
	base) echo 0 ;; sources) echo 1 ;; models) echo 2 ;; views) echo 3 ;;
	commands) echo 4 ;; *) echo 5 ;;
	esac
}
bad=0
for f in base/* sources/* models/* views/* commands/* mlpt.c; do
	case $f in *.c | *.h) ;; *) continue ;; esac
	dir=${f%%/*}
	[ "$dir" = "$f" ] && dir=top
	mine=$(rank "$dir")
	for inc in $(sed -n 's/^#include "\([a-z]*\)\/.*/\1/p' "$f"); do
		if [ "$(rank "$inc")" -gt "$mine" ]; then
			echo "$f includes from $inc/, a later layer"
			bad=1
		fi
	done
	if grep -q '^#include "[^/]*"' "$f"; then
		echo "$f: an include without its layer directory"
		bad=1
	fi
done
exit $bad
