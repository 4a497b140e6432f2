#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# module-source.sh DEST: copy what building mlpt.ko out of tree needs (the
# module sources and probes, Kbuild, the top-level Makefile, probe.sh,
# VERSION, dkms.conf) into DEST, and nothing built for one kernel, so DEST
# builds for any kernel.  The one list of those files, for "make install",
# the DKMS test and the mlpt-dkms package (/usr/src/mlpt-<version>/).
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: module-source.sh DEST"
dest=$1
mkdir -p "$dest/module/probes" "$dest/scripts"
cd "$MLPT_SRC"
install -m 0644 Makefile Kbuild VERSION dkms.conf "$dest/"
install -m 0644 module/*.[ch] "$dest/module/"
install -m 0644 module/probes/*.c module/probes/*.sym "$dest/module/probes/"
install -m 0755 scripts/probe.sh "$dest/scripts/"
# Written by probe.sh for one kernel: never shipped.
rm -f "$dest/module/compat-probed.h"
