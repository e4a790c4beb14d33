# SPDX-License-Identifier: GPL-2.0
#
# make              build kernel/vcdrom.ko for KVER (default: the running kernel) and the tools
# make check        the host-only tests of tools/ (make -C tools check), then build for every installed
#                   test kernel and run the suite in a QEMU guest on each
# make check-host   run the suite on the running kernel (as root, on a real machine)
# make deps         install every Debian package needed to build and test, and prepare the sid chroot
# make bench        benchmarks beside a loop device, in a guest per kernel (not part of make check)
# make fuzz         the libFuzzer targets of tools/fuzz (clang), each for FUZZ_SECONDS (default 60)
# make lint         checkpatch --strict and sparse on kernel/, -Werror and cppcheck on tools/
# make clean        remove build products; keeps the Debian sid chroot (build/sid-chroot)
# make distclean    make clean, and remove build/ with the sid chroot

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build

.PHONY: all module tools tests clean distclean deps check check-host bench lint fuzz

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
	@# not build/sid-chroot: it takes a minute and a download to make again (make distclean removes it)
	test ! -d build || find build -mindepth 1 -maxdepth 1 ! -name sid-chroot -exec rm -rf --one-file-system {} +

# First unmount whatever a stopped run left mounted in the chroot; even then, never cross into another file system.
distclean:
	test ! -d build/sid-chroot || tests/vm/sid-chroot.sh --umount
	$(MAKE) clean
	rm -rf --one-file-system build

deps:
	tests/vm/deps.sh

check: tools tests
	$(MAKE) -C tools check
	tests/vm/check.sh

check-host: tools tests
	tests/run_tests.sh

lint:
	tests/lint.sh

fuzz:
	$(MAKE) -C tools/fuzz run

bench: tools tests
	tests/vm/check.sh --bench
