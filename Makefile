# SPDX-License-Identifier: GPL-2.0
#
# make              build kernel/vcdrom.ko for KVER (default: the running kernel) and the tools
# make check        build for every installed test kernel and run the suite in a QEMU guest on each
# make check-host   run the suite on the running kernel (as root, on a real machine)
# make deps         install every Debian package needed to build and test

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build

.PHONY: all module tools tests clean deps check check-host bench

all: module tools

module:
	@test -d "$(KDIR)" || { echo "vcdrom: no kernel build tree at $(KDIR) (set KVER= or KDIR=, or install headers)" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools

tests:
	$(MAKE) -C tests

clean:
	-test -d "$(KDIR)" && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -f kernel/*.o kernel/*.ko kernel/*.mod kernel/*.mod.c kernel/.*.cmd kernel/modules.order \
		modules.order Module.symvers .*.cmd kernel/Module.symvers
	$(MAKE) -C tools clean
	$(MAKE) -C tests clean
	rm -rf build

deps:
	tests/vm/deps.sh

check: tools tests
	tests/vm/check.sh

check-host: tools tests
	tests/run_tests.sh

bench: tools tests
	tests/vm/check.sh --bench
