# SPDX-License-Identifier: GPL-2.0
#
# make              build kernel/vcdrom.ko for KVER (default: the running kernel) and the tools
# make check        the host-only tests of tools/ (make -C tools check), then build for every installed
#                   test kernel and run the suite in a QEMU guest on each
# make check-debug the suite, fuzzers and long stress in a debug kernel (KASAN, kmemleak, lockdep, fault
#                   injection) built from linux-source-6.12 into build/debug-kernel (cached; the first build
#                   takes 12 CPU minutes: 25 minutes on 2 busy cores)
# make check-host   run the suite on the running kernel (as root, on a real machine)
# make check-install  (root; loads nothing) make install/uninstall into temporary trees, DKMS builds for every
#                   installed kernel with headers in private trees (tests/host/install.sh); the Debian
#                   packages built, lintian-clean and their contents checked (tests/host/deb.sh); the bash
#                   completion against the tool's own help (tests/host/completion.sh)
# make deps         install every Debian package needed to build and test, and prepare the sid chroot
# make bench        CHD expansion against chdman extractcd on the host (make bench-chd: tests/bench_chd.sh),
#                   then benchmarks beside a loop device, in a guest per kernel (not part of make check)
# make fuzz         the libFuzzer targets of tools/fuzz (clang), each for FUZZ_SECONDS (default 60)
# make lint         checkpatch --strict and sparse on kernel/, -Werror and cppcheck on tools/
# make install      build, then install the module into $(DESTDIR)/lib/modules/$(KVER)/updates/, vcdromctl
#                   into $(DESTDIR)$(PREFIX)/bin, the man pages into share/man, and the examples of contrib/
#                   into share/doc/vcdrom/examples (PREFIX defaults to /usr/local); then depmod, when the
#                   tree the module went into holds its kernel's modules (see below). Also install-module
#                   and install-tools, each half alone.
# make uninstall    remove exactly what make install put there (same DESTDIR, PREFIX and KVER), then depmod
# make dkms-source  the module's sources and dkms.conf, with the version filled in, into
#                   $(DESTDIR)/usr/src/vcdrom-VERSION (what `dkms add` takes; DKMS_SRC= to put them elsewhere)
# make clean        remove build products; keeps the Debian sid chroot and the debug kernel (build/sid-chroot,
#                   build/debug-kernel)
# make distclean    make clean, and remove build/ with the sid chroot and the debug kernel

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
# one version for module and tool (scripts/version.sh); VCDROM_VERSION= on the command line sets it for both
ifeq ($(origin VCDROM_VERSION),undefined)
VCDROM_VERSION := $(shell scripts/version.sh)
endif

# make install. depmod runs on the module tree the module went into when that tree holds its kernel's own
# modules (modules.order: the running system's /lib/modules with DESTDIR empty, a chroot, a disk image); a
# staging DESTDIR for a package has none, and depmod is left to the package's installation. DEPMOD=: skips it.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR ?= $(PREFIX)/lib/systemd/system
APPDIR ?= $(PREFIX)/share/applications
# zsh's own folder under /usr/local; Debian's for packages under /usr
ZSHCOMPDIR ?= $(if $(filter /usr,$(PREFIX)),/usr/share/zsh/vendor-completions,$(PREFIX)/share/zsh/site-functions)
DOCDIR ?= $(PREFIX)/share/doc/vcdrom
MODDIR ?= /lib/modules/$(KVER)/updates
DEPMOD ?= depmod
EXAMPLES := modprobe.d/vcdrom.conf modules-load.d/vcdrom.conf
define run_depmod
	if [ -e "$(DESTDIR)/lib/modules/$(KVER)/modules.order" ]; then \
		echo "$(DEPMOD) -b $(or $(DESTDIR),/) $(KVER)"; $(DEPMOD) -b "$(or $(DESTDIR),/)" "$(KVER)"; \
	else \
		echo "vcdrom: $(DESTDIR)/lib/modules/$(KVER) holds no kernel's modules: no depmod (run it where the module is installed)"; \
	fi
endef

# make dkms-source: where the DKMS source tree goes
DKMS_SRC ?= $(DESTDIR)/usr/src/vcdrom-$(VCDROM_VERSION)

.PHONY: all module tools tests clean distclean deps check check-debug check-host bench bench-chd lint fuzz \
	install install-module install-tools uninstall uninstall-module uninstall-tools dkms-source check-install

all: module tools

module:
	@test -d "$(KDIR)" || { echo "vcdrom: no kernel build tree at $(KDIR) (set KVER= or KDIR=, or install headers)" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) VCDROM_VERSION=$(VCDROM_VERSION) modules

tools:
	$(MAKE) -C tools VCDROM_VERSION=$(VCDROM_VERSION)

tests:
	$(MAKE) -C tests

install: install-module install-tools

install-module: module
	install -D -m 644 kernel/vcdrom.ko "$(DESTDIR)$(MODDIR)/vcdrom.ko"
	@$(run_depmod)

install-tools: tools
	install -D -m 755 tools/vcdromctl/vcdromctl "$(DESTDIR)$(BINDIR)/vcdromctl"
	install -D -m 644 tools/vcdromctl/vcdromctl.8 "$(DESTDIR)$(MANDIR)/man8/vcdromctl.8"
	install -D -m 644 tools/vcdromctl/vcdrom.4 "$(DESTDIR)$(MANDIR)/man4/vcdrom.4"
	install -D -m 644 tools/vcdromctl/vcdromctl.bash "$(DESTDIR)$(COMPLETIONDIR)/vcdromctl"
	install -D -m 644 tools/vcdromctl/vcdromctl.zsh "$(DESTDIR)$(ZSHCOMPDIR)/_vcdromctl"
	install -d "$(DESTDIR)$(UNITDIR)"
	sed 's|@BINDIR@|$(BINDIR)|g' tools/vcdromctl/vcdrom.service.in >"$(DESTDIR)$(UNITDIR)/vcdrom.service"
	chmod 644 "$(DESTDIR)$(UNITDIR)/vcdrom.service"
	install -d "$(DESTDIR)$(APPDIR)"
	sed 's|@BINDIR@|$(BINDIR)|g' tools/vcdromctl/vcdromctl.desktop.in >"$(DESTDIR)$(APPDIR)/vcdromctl.desktop"
	chmod 644 "$(DESTDIR)$(APPDIR)/vcdromctl.desktop"
	for f in $(EXAMPLES); do \
		install -D -m 644 "contrib/$$f" "$(DESTDIR)$(DOCDIR)/examples/$$f" || exit 1; \
	done

uninstall: uninstall-module uninstall-tools

uninstall-module:
	rm -f "$(DESTDIR)$(MODDIR)/vcdrom.ko"
	@$(run_depmod)

# the files, then the directories that are vcdrom's own, if nothing else is left in them
uninstall-tools:
	rm -f "$(DESTDIR)$(BINDIR)/vcdromctl" "$(DESTDIR)$(MANDIR)/man8/vcdromctl.8" \
		"$(DESTDIR)$(MANDIR)/man4/vcdrom.4" "$(DESTDIR)$(COMPLETIONDIR)/vcdromctl" \
		"$(DESTDIR)$(UNITDIR)/vcdrom.service" "$(DESTDIR)$(ZSHCOMPDIR)/_vcdromctl" \
		"$(DESTDIR)$(APPDIR)/vcdromctl.desktop" \
		$(foreach f,$(EXAMPLES),"$(DESTDIR)$(DOCDIR)/examples/$(f)")
	for d in $(sort $(dir $(EXAMPLES))); do \
		! [ -d "$(DESTDIR)$(DOCDIR)/examples/$$d" ] || rmdir "$(DESTDIR)$(DOCDIR)/examples/$$d" || exit 1; \
	done
	! [ -d "$(DESTDIR)$(DOCDIR)/examples" ] || rmdir "$(DESTDIR)$(DOCDIR)/examples"
	! [ -d "$(DESTDIR)$(DOCDIR)" ] || rmdir "$(DESTDIR)$(DOCDIR)"

# What `dkms add` takes: the module's sources, Kbuild, dkms.conf with PACKAGE_VERSION, and VERSION holding
# the whole version (git's part included: the copy is not in git).
dkms-source:
	rm -rf "$(DKMS_SRC)"
	mkdir -p "$(DKMS_SRC)/kernel/uapi/linux" "$(DKMS_SRC)/scripts"
	@# the top Kbuild without the test helpers of tests/kmod, which are not copied (make clean would look for them)
	grep -v 'tests/' Kbuild >"$(DKMS_SRC)/Kbuild"
	install -m 644 kernel/Kbuild kernel/*.c kernel/*.h "$(DKMS_SRC)/kernel/"
	install -m 644 kernel/uapi/linux/*.h "$(DKMS_SRC)/kernel/uapi/linux/"
	install -m 755 scripts/version.sh "$(DKMS_SRC)/scripts/"
	echo "$(VCDROM_VERSION)" >"$(DKMS_SRC)/VERSION"
	sed "s/#MODULE_VERSION#/$(VCDROM_VERSION)/" dkms.conf >"$(DKMS_SRC)/dkms.conf"
	rm -f "$(DKMS_SRC)/kernel/"*.mod.c

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

check-install:
	tests/host/install.sh
	tests/host/deb.sh
	tests/host/completion.sh

lint:
	tests/lint.sh

fuzz:
	$(MAKE) -C tools/fuzz run

# CHD expansion against chdman's, on the host: pure userspace
bench-chd: tools
	tests/bench_chd.sh

bench: tools tests bench-chd
	tests/vm/check.sh --bench
