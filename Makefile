# SPDX-License-Identifier: GPL-2.0
#
# make              build kernel/vcdrom.ko for KVER (default: the running kernel) and the tools
# make check        the host-only tests of tools/ (make -C tools check), then build for every installed
#                   test kernel and run the suite in a QEMU guest on each
# make check-debug the suite, fuzzers and long stress in a debug kernel (KASAN, kmemleak, lockdep, fault
#                   injection) built from linux-source-6.12 into build/debug-kernel (cached; the first build
#                   takes 12 CPU minutes: 25 minutes on 2 busy cores)
# make check-host   run the suite on the running kernel (as root, on a real machine)
# make deps         install every Debian package needed to build and test, and prepare the sid chroot
# make bench        benchmarks beside a loop device, in a guest per kernel (not part of make check)
# make fuzz         the libFuzzer targets of tools/fuzz (clang), each for FUZZ_SECONDS (default 60)
# make lint         checkpatch --strict and sparse on kernel/, -Werror and cppcheck on tools/
# make clean        remove build products; keeps the Debian sid chroot and the debug kernel (build/sid-chroot,
#                   build/debug-kernel)
# make distclean    make clean, and remove build/ with the sid chroot and the debug kernel

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build

.PHONY: all module tools tests clean distclean deps check check-debug check-host bench lint fuzz

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
	@# not build/sid-chroot nor build/debug-kernel: they take a minute and a download, or 20 minutes, to make
	@# again (make distclean removes them)
	test ! -d build || find build -mindepth 1 -maxdepth 1 ! -name sid-chroot ! -name debug-kernel \
		-exec rm -rf --one-file-system {} +

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

# The debug kernel's defaults for the long tests; any VCDROM_* set when calling make wins, and goes to the guest.
check-debug: tools tests
	KERNELS=debug VCDROM_DEBUG_KERNEL=1 \
		VCDROM_FUZZ_CDB_COUNT=$${VCDROM_FUZZ_CDB_COUNT:-200000} \
		VCDROM_STRESS_SECONDS=$${VCDROM_STRESS_SECONDS:-300} \
		VCDROM_RACE_CYCLES=$${VCDROM_RACE_CYCLES:-10} \
		tests/vm/check.sh

check-host: tools tests
	tests/run_tests.sh

lint:
	tests/lint.sh

fuzz:
	$(MAKE) -C tools/fuzz run

bench: tools tests
	tests/vm/check.sh --bench
