# SPDX-License-Identifier: GPL-2.0
#
# mlpt top-level wrapper.
#
#   make                 build mlpt.ko for KDIR (default: the running kernel)
#   make tool            build the mlpt user tool (userspace/)
#   make check           install what is missing, then build and run every test
#                        in QEMU on Debian's 6.1 and 6.12 kernels (4- and 5-level)
#   make demo            show /proc/mlpt/<pid> on this machine or in QEMU
#   make load / unload   insmod + mount /proc/mlpt, umount + rmmod (root)

KDIR ?= /lib/modules/$(shell uname -r)/build
SRC := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD ?= $(SRC)/build

.PHONY: all module tool selftests check demo load unload install clean help

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
	$(SRC)/scripts/check.sh

demo:
	$(SRC)/scripts/demo.sh

load: module
	$(SRC)/scripts/load.sh load "$(SRC)/mlpt.ko"

unload:
	$(SRC)/scripts/load.sh unload

install:
	$(MAKE) -C userspace install

clean:
	@if [ -f "$(KDIR)/Makefile" ]; then $(MAKE) -C "$(KDIR)" M="$(SRC)" clean; fi
	rm -f module/compat-probed.h
	$(MAKE) -C userspace clean
	rm -rf "$(BUILD)"
