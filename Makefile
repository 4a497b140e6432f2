# SPDX-License-Identifier: GPL-2.0
#
# mlpt top-level wrapper.
#
#   make                 build mlpt.ko for KDIR (default: the running kernel)
#   make tool            build the mlpt user tool (userspace/)
#   make check           install what is missing, then build and run every test
#                        in QEMU on Debian's 6.1 and 6.12 kernels (4- and 5-level),
#                        x86-64 and (6.12) arm64
#   make check-stress    the reliability/security suite alone, longer runs
#   make demo            show /proc/mlpt/<pid> on this machine or in QEMU
#   make load / unload   insmod + mount /proc/mlpt, umount + rmmod (root)
#   make install         tool, man page, module (DKMS when present) and the
#                        boot setup that mounts /proc/mlpt; PREFIX, DESTDIR
#   make uninstall       remove all of that again
#   make deb             the mlpt and mlpt-dkms .debs, in build/deb/
#   make check-packaging DKMS builds, the .debs, lintian, a clean install
#                        (MLPT_PACKAGING_ARM64=1: in an arm64 system too)
#   make matrix          build and test on every kernel Debian ships
#   make bench           time /proc/mlpt against smaps_rollup, pagemap and
#                        a memory scan (QEMU, or here with the module loaded)

KDIR ?= /lib/modules/$(shell uname -r)/build
SRC := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD ?= $(SRC)/build

.PHONY: all module tool selftests check check-stress demo load unload install uninstall \
	deb check-packaging matrix bench clean help

all: module

module:
	@if [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "mlpt: no kernel headers in $(KDIR): install linux-headers-$(shell uname -r) (or pass KDIR=/usr/lib/modules/<version>/build)" >&2; \
		exit 1; \
	fi
	$(SRC)/scripts/probe.sh "$(KDIR)" "$(SRC)"
	$(MAKE) -C "$(KDIR)" M="$(SRC)" modules

tool:
	$(MAKE) -C userspace

selftests:
	$(MAKE) -C selftests O="$(BUILD)/selftests"

check:
	@$(SRC)/scripts/check.sh

# The reliability suite alone (docs/reliability.md), 60 s per stress group.
check-stress:
	@MLPT_STRESS_SECONDS=$${MLPT_STRESS_SECONDS:-60} MLPT_PACKAGING=0 \
	 MLPT_TESTS='mlpt_security,mlpt_stress_*' \
	 MLPT_BOOT_TIMEOUT=$${MLPT_BOOT_TIMEOUT:-1800} $(SRC)/scripts/check.sh

demo:
	@$(SRC)/scripts/demo.sh

load: module
	$(SRC)/scripts/load.sh load "$(SRC)/mlpt.ko"

unload:
	$(SRC)/scripts/load.sh unload

PREFIX ?= /usr/local

install uninstall:
	@PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" KDIR="$(KDIR)" $(SRC)/scripts/install.sh $@

deb:
	@$(SRC)/scripts/deb.sh

check-packaging:
	@$(SRC)/scripts/check-packaging.sh

matrix:
	@$(SRC)/scripts/matrix.sh

bench:
	@$(SRC)/scripts/bench.sh

clean:
	@if [ -f "$(KDIR)/Makefile" ]; then $(MAKE) -C "$(KDIR)" M="$(SRC)" clean; fi
	rm -f module/compat-probed.h
	$(MAKE) -C userspace clean
	rm -rf "$(BUILD)"
