#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: for every installed test kernel (a KVER with /boot/vmlinuz-KVER and /lib/modules/KVER/build)
# and for Debian sid's kernel in build/sid-chroot (made by `make deps`, tests/vm/sid-chroot.sh), build vcdrom
# in build/KVER/ (sid's inside its chroot, tests/vm/build-sid.sh), boot KVER under QEMU (TCG) on this machine's
# root filesystem shared read-only over 9p, run tests/run_tests.sh there as PID 1's child (tests/vm/guest.sh),
# and collect its TAP from a writable 9p share. Prints each kernel's TAP, then one last line:
# `N passed, N failed[, N skipped]`. A kernel that cannot be had (the sid chroot could not be prepared) is
# reported as `ok - KERNEL # SKIP reason` and counted as one skipped, never dropped silently.
# Fails on any failed test, a build error or warning, an oops/BUG/WARNING in the guest's console, or a guest
# that does not finish in time.
#
# The sid kernel's modules are not under this machine's /lib/modules: the initramfs takes its 9p modules from
# the chroot, and the guest bind-mounts the chroot's /lib/modules over its own (vcdrom_modules= on the kernel
# command line), so that modprobe and module autoloading work there as on the other kernels.
#
# The debug kernel (`make check-debug`, KERNELS=debug; never part of a plain run): tests/vm/build-debug-kernel.sh
# builds it in build/debug-kernel (cached) from Debian's linux-source-6.12 with KASAN, kmemleak, lockdep,
# DEBUG_OBJECTS and fault injection; vcdrom is built against its tree with W=1, and the guest gets its
# modules_install tree through vcdrom_modules=. Its console is also scanned for KASAN, lockdep, ODEBUG,
# "sleeping function called from invalid context" and kmemleak reports (tests/run_tests.sh scans for leaks after
# each test). "Call Trace" dumps that follow "FAULT_INJECTION: forcing a failure" or "page allocation failure"
# (the fault-injection tests' own doing) do not fail a run; a BUG or WARNING among them still does.
#
# Usage: tests/vm/check.sh [--bench]
#   --bench                run tests/bench.sh in the guests instead of the test suite
# Environment:
#   KERNELS="6.12 ..."     only these kernels: "6.1" is 6.1.*, not 6.12.*; "sid" is the sid chroot's kernel;
#                          "debug" is the debug kernel
#   DEBUG_KERNEL_DIR=DIR   use the debug kernel already built in DIR (as build/debug-kernel: bzImage, kver, obj/,
#                          modroot/) instead of building it in build/debug-kernel
#   VCDROM_*=VALUE         every such variable is passed to the tests in the guest (vcdrom_env= on the kernel
#                          command line); values may hold only letters, digits and _ . / : + - =
#   VCDROM_ONCE=1          run every test in full on every kernel: by default what tests/lib.sh's once_per_run
#                          marks (kernel-independent, and slow) runs in full only on the newest kernel of the run
#   GUEST_TIMEOUT=SECONDS  kill a guest after this long (default 2400: a kernel's suite takes about 20 minutes in
#                          one guest on 2 idle cores, half of it in each of two parts run side by side; much more
#                          on a busy machine; 3600 with --bench)
#   CHECK_JOBS=N           guests at a time (default 2; 1 with --bench)
#   CHECK_PARTS=N          split each kernel's tests over N guests (default CHECK_JOBS; 1 with --bench)
#   TESTS="a b ..."        run only these tests (names from tests/Makefile)
#   GUEST_MEM=SIZE         guest memory (default 1G; 3G with --bench; 2G for the debug kernel)
#   GUEST_TIMEOUT for the debug kernel defaults to 5400.
#
# Per kernel, build/KVER/ keeps: the module build (kernel/vcdrom.ko, build.log), initramfs.cpio.gz, per part
# (partN/, or build/KVER/ itself with one part) console.log (the guest's serial console), job.log (its report)
# and results/ (tap.txt, status) and, for an installed kernel when install_dkms.sh runs, dkms/ (DKMS's build of
# the module on this machine, in private trees, and its log).

set -eu

repo=$(cd "$(dirname "$0")/../.." && pwd)
mode=check
for arg in "$@"; do
	case $arg in
	--bench) mode=bench ;;
	*)
		echo "usage: $0 [--bench]" >&2
		exit 2
		;;
	esac
done
if [ "$mode" = bench ]; then
	guest_timeout=${GUEST_TIMEOUT:-3600}
else
	guest_timeout=${GUEST_TIMEOUT:-2400}
fi
if [ "$mode" = bench ]; then
	guest_mem=${GUEST_MEM:-3G}	# the image in tmpfs and two page caches of it
else
	guest_mem=${GUEST_MEM:-1G}
fi
kernels_filter=${KERNELS:-}
debug_timeout=${GUEST_TIMEOUT:-5400}
debug_mem=${GUEST_MEM:-2G}

# Kernel messages that fail a run, wherever they appear in a guest's console.
# The debug kernel's reports mostly start with BUG: or WARNING: too; the rest are named in full.
oops_re='Oops|BUG:|WARNING:|Call Trace|general protection|Kernel panic'
oops_re+='|possible circular locking|inconsistent lock state|possible recursive locking'
oops_re+='|sleeping function called from invalid context|ODEBUG:|kmemleak: [0-9]+ new suspected|unreferenced object 0x'
oops_re+='|suspicious RCU usage|UBSAN:'
# Dumps that are the fault-injection tests' own doing: "Call Trace" after these lines, up to the end of the dump
# ("</TASK>", or 60 lines), is not an event.
fault_re='FAULT_INJECTION: forcing a failure|page allocation failure: '

die() {
	echo "check: $*" >&2
	exit 1
}

# VCDROM_* variables for the tests in the guest, as NAME=VALUE,NAME=VALUE (tests/vm/guest.sh exports them)
vcdrom_env=
while IFS= read -r name; do
	value=${!name}
	[[ $value =~ ^[A-Za-z0-9_./:+=-]*$ ]] ||
		die "$name='$value': a value passed to the guest may hold only letters, digits and _ . / : + - ="
	vcdrom_env+=${vcdrom_env:+,}$name=$value
done < <(compgen -e | grep '^VCDROM_' || true)

[ "$(id -u)" -eq 0 ] || die "must run as root (QEMU reads /boot and shares / with the guest)"
case $repo in
*[[:space:]]*) die "the tree's path '$repo' has white space: the guest's kernel command line cannot carry it" ;;
esac
for c in qemu-system-x86_64 busybox cpio gzip xz modprobe timeout make; do
	command -v "$c" >/dev/null || die "$c not found (make deps)"
done
busybox=$(command -v busybox)
! ldd "$busybox" >/dev/null 2>&1 || die "$busybox is not static: install busybox-static"

# Test kernels: installed image + build tree, optionally filtered by KERNELS; then sid's, from its chroot.
# Per kernel: its image, and the root under which its modules are (/ or the chroot).
declare -A kimage kbase kbuild
kernels=()
skips=()	# "NAME<TAB>reason" of each kernel that cannot be had
sid_root=$repo/build/sid-chroot
sid_kver=

# kernel_wanted KVER: KVER matches KERNELS (or KERNELS is unset)
kernel_wanted() {
	local k
	[ -n "$kernels_filter" ] || return 0
	for k in $kernels_filter; do
		case $1 in "$k" | "$k"[!0-9]*) return 0 ;; esac
	done
	return 1
}

for img in /boot/vmlinuz-*; do
	[ -e "$img" ] || continue
	kver=${img#/boot/vmlinuz-}
	[ -d "/lib/modules/$kver/build" ] || continue
	kernel_wanted "$kver" || continue
	kernels+=("$kver")
	kimage[$kver]=$img
	kbase[$kver]=/
	kbuild[$kver]=/lib/modules/$kver/build
done

# The debug kernel, only when KERNELS names it: built (or found cached) now, or taken from DEBUG_KERNEL_DIR.
debug_kver=
if [[ " $kernels_filter " == *" debug "* ]]; then
	if [ -n "${DEBUG_KERNEL_DIR:-}" ]; then
		debug_dir=$DEBUG_KERNEL_DIR
	else
		debug_dir=$repo/build/debug-kernel
		echo "# ==== debug kernel: tests/vm/build-debug-kernel.sh $debug_dir"
		start=$SECONDS
		"$repo/tests/vm/build-debug-kernel.sh" "$debug_dir" >/dev/null || die "cannot build the debug kernel"
		echo "# debug kernel ready in $((SECONDS - start)) s"
	fi
	for f in bzImage kver obj/Makefile modroot/lib/modules; do
		[ -e "$debug_dir/$f" ] || die "no debug kernel in $debug_dir ($f missing; tests/vm/build-debug-kernel.sh)"
	done
	debug_kver=$(cat "$debug_dir/kver")
	kernels+=("$debug_kver")
	kimage[$debug_kver]=$debug_dir/bzImage
	kbase[$debug_kver]=$debug_dir/modroot
	kbuild[$debug_kver]=$debug_dir/obj
fi

# Debian sid's kernel: wanted with no KERNELS, or when KERNELS says "sid" or names its version (which is
# known only once the chroot is there).
sid_reason=
if sid_kver=$("$repo/tests/vm/sid-chroot.sh" --kver "$sid_root" 2>/dev/null) && [ -n "$sid_kver" ]; then
	if [ -n "${kimage[$sid_kver]-}" ]; then
		:	# the same kernel is installed on this machine: tested once, above
	elif [ -z "$kernels_filter" ] || [[ " $kernels_filter " == *" sid "* ]] || kernel_wanted "$sid_kver"; then
		kernels+=("$sid_kver")
		kimage[$sid_kver]=$sid_root/boot/vmlinuz-$sid_kver
		kbase[$sid_kver]=$sid_root
		kbuild[$sid_kver]=
	fi
else
	sid_kver=
	if [ -z "$kernels_filter" ] || [[ " $kernels_filter " == *" sid "* ]]; then
		# make deps records why it could not prepare the chroot; otherwise ask the chroot script
		if [ -s "$repo/build/sid-chroot.skip" ]; then
			sid_reason=$(head -n 1 "$repo/build/sid-chroot.skip")
		else
			sid_reason=$("$repo/tests/vm/sid-chroot.sh" --kver "$sid_root" 2>&1 >/dev/null | head -n 1) || true
		fi
		skips+=("Debian sid kernel"$'\t'"${sid_reason:-$sid_root is not prepared (make deps)}")
	fi
fi

[ "${#kernels[@]}" -gt 0 ] || [ "${#skips[@]}" -gt 0 ] ||
	die "no test kernel${kernels_filter:+ matching KERNELS=\"$kernels_filter\"} (need /boot/vmlinuz-KVER and /lib/modules/KVER/build, or for sid a prepared $sid_root; make deps)"
if [ "${#kernels[@]}" -gt 0 ]; then
	mapfile -t kernels < <(printf '%s\n' "${kernels[@]}" | sort -V)
fi

passed=0
failed=0
skipped=0

results=()	# one line per kernel for the recap before the summary

# A failure found by this script rather than by a test, reported in TAP's words.
harness_fail() {
	echo "not ok - $1"
	failed=$((failed + 1))
}

# harness_skip NAME REASON: a kernel that cannot be tested, counted as one skipped.
harness_skip() {
	echo "ok - $1 # SKIP $2"
	skipped=$((skipped + 1))
	results+=("$1: skipped: $2")
}

# build_module KVER DIR: build vcdrom.ko for KVER in DIR from a copy of the sources (kbuild writes its objects
# next to them). Errors fail the kernel; warnings count as one failure but the module is still tested.
build_module() {
	local kver=$1 dir=$2 rc=0
	rm -rf "$dir/kernel" "$dir/tests/kmod" "$dir/Kbuild" "$dir/Module.symvers" "$dir/modules.order"
	mkdir -p "$dir"
	tar -C "$repo" --exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
		--exclude='.*.cmd' --exclude='*.a' --exclude=modules.order --exclude=Module.symvers \
		-cf - Kbuild kernel tests/kmod | tar -C "$dir" -xf -
	local w=()
	[ "$kver" != "$debug_kver" ] || w=(W=1)
	make -C "${kbuild[$kver]}" M="$dir" "${w[@]}" VCDROM_TEST_KMOD=m VCDROM_VERSION="$vcdrom_version" \
		-j"$(nproc)" modules \
		>"$dir/build.log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ] || [ ! -f "$dir/kernel/vcdrom.ko" ]; then
		sed 's/^/# /' "$dir/build.log"
		harness_fail "$kver: module build failed (exit $rc, log $dir/build.log)"
		results+=("$kver: module build failed")
		return 1
	fi
	if grep -qiE 'warning:' "$dir/build.log"; then
		grep -iE -A3 'warning:' "$dir/build.log" | sed 's/^/# /'
		harness_fail "$kver: module build has warnings (log $dir/build.log)"
	fi
	return 0
}

# build_dkms KVER DIR: for tests/install_dkms.sh, DKMS's build of KVER's module on this machine, in private
# trees (DIR/dkms/src and DIR/dkms/tree, dkms --sourcetree and --dkmstree) from make dkms-source: a module
# build under TCG takes longer than a test may, and the guest's root is read-only. Only when that test runs;
# a failure is the test's to report (it finds no module, and DIR/dkms/log says why).
build_dkms() {
	local kver=$1 d=$2/dkms
	rm -rf "$d"
	if [ -n "${TESTS:-}" ] && [[ " $TESTS " != *" install_dkms.sh "* ]]; then
		return 0
	fi
	command -v dkms >/dev/null || return 0
	mkdir -p "$d/src" "$d/tree"
	{
		make -s -C "$repo" dkms-source DKMS_SRC="$d/src/vcdrom-$vcdrom_version" VCDROM_VERSION="$vcdrom_version" &&
			dkms --sourcetree "$d/src" --dkmstree "$d/tree" add "vcdrom/$vcdrom_version" &&
			dkms --sourcetree "$d/src" --dkmstree "$d/tree" build "vcdrom/$vcdrom_version" -k "$kver"
	} >"$d/log" 2>&1 || echo "# $kver: dkms build failed (log $d/log): install_dkms.sh will fail"
}

# build_sid_module KVER DIR: as build_module, for sid's kernel, inside its chroot (tests/vm/build-sid.sh).
# A chroot that is not prepared skips the kernel; a chroot that keeps a mount fails it (the guest would see it).
build_sid_module() {
	local kver=$1 dir=$2 rc=0
	rm -rf "$dir/kernel" "$dir/tests/kmod" "$dir/build.log" "$dir/build.err"
	mkdir -p "$dir"
	"$repo/tests/vm/build-sid.sh" "$dir" "$sid_root" >/dev/null 2>"$dir/build.err" || rc=$?
	if [ "$rc" -eq 3 ]; then
		harness_skip "$kver (Debian sid)" "$(head -n 1 "$dir/build.err")"
		return 1
	fi
	if [ "$rc" -ne 0 ] || [ ! -f "$dir/kernel/vcdrom.ko" ]; then
		sed 's/^/# /' "$dir/build.err"
		harness_fail "$kver: module build in $sid_root failed (exit $rc, log $dir/build.err)"
		results+=("$kver: module build failed")
		return 1
	fi
	if grep -qiE 'warning:' "$dir/build.log"; then
		grep -iE -A3 'warning:' "$dir/build.log" | sed 's/^/# /'
		harness_fail "$kver: module build has warnings (log $dir/build.log)"
	fi
	rc=0
	"$repo/tests/vm/sid-chroot.sh" --umount "$sid_root" 2>"$dir/build.err" || rc=$?
	if [ "$rc" -ne 0 ]; then
		sed 's/^/# /' "$dir/build.err"
		harness_fail "$kver: mounts left under $sid_root (exit $rc): not booting a guest that would see them"
		results+=("$kver: not run, mounts left under $sid_root")
		return 1
	fi
	return 0
}

# build_initramfs KVER FILE: busybox, tests/vm/init and the modules that mount the host root over 9p.
# The modules come from under the kernel's root (kbase: / or sid's chroot).
# Cached: rebuilt only when busybox, init, this script or the kernel's modules are newer than FILE.
build_initramfs() {
	local kver=$1 out=$2 base=${kbase[$1]} stage m name
	local moddir=$base/lib/modules/$kver mp=(-S "$kver")
	[ "$base" = / ] || mp=(-d "$base" -S "$kver")
	if [ -s "$out" ] && [ "$out" -nt "$busybox" ] && [ "$out" -nt "$repo/tests/vm/init" ] &&
		[ "$out" -nt "$repo/tests/vm/check.sh" ] && [ "$out" -nt "$moddir/modules.dep" ]; then
		return 0
	fi
	stage=$(mktemp -d)
	mkdir -p "$stage/bin" "$stage/lib/modules" "$stage/proc" "$stage/sys" "$stage/dev" "$stage/newroot"
	cp "$busybox" "$stage/bin/busybox"
	cp "$repo/tests/vm/init" "$stage/init"
	chmod 755 "$stage/init"
	: >"$stage/modules"
	# `modprobe --show-depends` lists each module after its dependencies; keep the first of repeats. Then
	# virtio-rng, where the kernel has it as a module (it may not): the guest's crng is ready at boot, not in
	# the middle of a test (its static key flips then, and TCG once hit the int3 of that patch in
	# urandom_read_iter).
	for m in $({
		modprobe "${mp[@]}" -a --show-depends virtio_pci 9pnet_virtio 9p 2>/dev/null
		modprobe "${mp[@]}" --show-depends virtio_rng 2>/dev/null
	} | awk '$1 == "insmod" && !seen[$2]++ { print $2 }'); do
		name=$(basename "$m")
		case $name in
		*.ko.xz) xz -dc "$m" >"$stage/lib/modules/${name%.xz}" && name=${name%.xz} ;;
		*.ko.zst) zstd -qdc "$m" >"$stage/lib/modules/${name%.zst}" && name=${name%.zst} ;;
		*.ko.gz) gzip -dc "$m" >"$stage/lib/modules/${name%.gz}" && name=${name%.gz} ;;
		*) cp "$m" "$stage/lib/modules/$name" ;;
		esac
		echo "$name" >>"$stage/modules"
	done
	grep -q '^9p\.ko$' "$stage/modules" || modinfo -b "$base" -k "$kver" -F filename 9p 2>/dev/null | grep -q builtin ||
		{ rm -rf "$stage"; echo "# cannot find the 9p modules of $kver"; return 1; }
	(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$stage"
}

# run_guest KVER DIR OUT: boot KVER with DIR's module and initramfs, OUT/results as the writable share; its
# console goes to OUT/console.log. TESTS, when set, are the tests it runs.
# A kernel whose modules are not in this machine's /lib/modules gets vcdrom_modules= (for tests/vm/guest.sh).
# Returns timeout(1)'s status.
run_guest() {
	local kver=$1 dir=$2 out=$3 rc=0 extra='' mem=$guest_mem tmo=$guest_timeout
	[ "${kbase[$kver]}" = / ] || extra=" vcdrom_modules=${kbase[$kver]}/lib/modules"
	local env=$vcdrom_env
	# tests that do not depend on the kernel's version run in full on one kernel of the run (tests/lib.sh)
	[ "$kver" = "$once_kver" ] || [ -n "${VCDROM_ONCE:-}" ] || env+=${env:+,}VCDROM_ONCE=0
	[ -z "$env" ] || extra+=" vcdrom_env=$env"
	if [ "$kver" = "$debug_kver" ]; then
		mem=$debug_mem
		tmo=$debug_timeout
		extra+=" printk.time=1"
	fi
	rm -rf "$out/results" "$out/console.log"
	mkdir -p "$out/results"
	timeout -k 10 "$tmo" qemu-system-x86_64 \
		-accel tcg -nodefaults -no-reboot -machine pc -m "$mem" -smp 2 \
		-display none -monitor none -serial "file:$out/console.log" \
		-kernel "${kimage[$kver]}" -initrd "$dir/initramfs.cpio.gz" \
		-append "console=ttyS0 panic=-1 printk.devkmsg=on vcdrom_guest=$repo/tests/vm/guest.sh vcdrom_repo=$repo vcdrom_ko=$dir/kernel/vcdrom.ko vcdrom_mode=$mode$extra${TESTS:+ vcdrom_tests=${TESTS// /,}}" \
		-fsdev "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap" \
		-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
		-fsdev "local,id=results,path=$out/results,security_model=none" \
		-device virtio-9p-pci,fsdev=results,mount_tag=results \
		-device virtio-rng-pci \
		</dev/null >"$out/qemu.log" 2>&1 || rc=$?
	return "$rc"
}

# scan_console LOG: print each oops/BUG/WARNING in LOG with its context; lines within 40 of each other are one
# event. Prints the number of events last, on a line of its own.
scan_console() {
	if [ ! -r "$1" ]; then
		echo 0
		return
	fi
	awk -v re="$oops_re" -v fault="$fault_re" '
		{ line[NR] = $0 }
		$0 ~ fault { expected = NR + 60 }
		NR <= expected && /<\/TASK>/ { expected = 0 }
		NR <= expected && $0 ~ re && $0 !~ /Call Trace/ { expected = 0 }
		$0 ~ re && NR > expected { hit[++nhits] = NR }
		END {
			events = 0
			for (i = 1; i <= nhits; i++) {
				if (i > 1 && hit[i] - hit[i - 1] <= 40)
					continue
				events++
				from = hit[i] - 5 < 1 ? 1 : hit[i] - 5
				to = hit[i] + 30 > NR ? NR : hit[i] + 30
				print "# --- console line " hit[i] ":"
				for (l = from; l <= to; l++)
					print "# " line[l]
			}
			print events
		}' "$1"
}

# early_oops LOG: whether LOG has an oops/BUG/WARNING before the first test started (vcdrom is not loaded
# then). TCG has been seen to oops a guest at boot now and then ("int3" in sched_clock_cpu or
# urandom_read_iter, where the kernel patches its own code); such a guest is booted again, once.
early_oops() {
	[ -r "$1" ] && awk -v re="$oops_re" '
		/vcdrom-selftest: / { exit 1 }
		$0 ~ re { found = 1; exit 0 }
		END { exit !found }' "$1"
}

# int3_line LOG: the line of the first int3 trap in LOG ("Oops: int3: 0000 [#1]", "int3: 0000 [#1]" on 6.1).
# Under QEMU's multi-threaded TCG a vCPU now and then runs a stale translation of kernel text that the other
# vCPU has just patched (a static key or an alternative) and traps on the int3 the patch left there for a
# moment: seen in get_signal while suspend.sh froze tasks (the freezer's static key flips at each freeze), and
# at boot in sched_clock_cpu and urandom_read_iter. No driver puts an int3 in kernel text.
int3_line() {
	[ -r "$1" ] && awk '/int3: [0-9a-f]+ \[#[0-9]+\]/ { print NR; found = 1; exit } END { exit !found }' "$1"
}

# keep_tap FILE K OFFSET FIRST: print FILE's results of tests 1..K-1, each with the output printed before it,
# numbered OFFSET on; the TAP header and plan only if FIRST is 1.
keep_tap() {
	[ -r "$1" ] || return 0
	awk -v k="$2" -v off="$3" -v first="$4" '
		/^TAP version/ || /^1\.\./ { if (first == 1) print; next }
		/^(not )?ok [0-9]+/ {
			n = ($1 == "not") ? $3 : $2
			if (n + 0 >= k + 0)
				exit
			line = $0
			sub(/ok [0-9]+/, "ok " (n + off), line)
			printf "%s%s\n", buf, line
			buf = ""
			next
		}
		{ buf = buf $0 "\n" }' "$1"
}

# count_tap KVER FILE FINISHED: add the top-level results in FILE to the totals; if the guest FINISHED (1),
# a plan that promised more tests than were reported is a failure.
count_tap() {
	local kver=$1 file=$2 finished=$3 plan ok notok skip
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$file" | head -n 1)
	ok=$(grep -cE '^ok [0-9]+' "$file" || true)
	skip=$(grep -cE '^ok [0-9]+ .*# SKIP' "$file" || true)
	notok=$(grep -cE '^not ok [0-9]+' "$file" || true)
	passed=$((passed + ok - skip))
	skipped=$((skipped + skip))
	failed=$((failed + notok))
	echo "# $kver: $((ok - skip)) passed, $notok failed, $skip skipped"
	results+=("$kver: $((ok - skip)) passed, $notok failed, $skip skipped")
	[ "$finished" -eq 1 ] || return 0
	if [ -z "$plan" ]; then
		harness_fail "$kver: no TAP plan in the results"
	elif [ $((ok + notok)) -lt "$plan" ]; then
		harness_fail "$kver: only $((ok + notok)) of $plan tests reported"
	fi
}

# guest_job KVER DIR OUT LABEL: boot a guest of KVER (its module and initramfs in DIR) running TESTS (all when
# unset), its results, console and logs in OUT; print its TAP and findings. Its counts go to OUT/job.counts
# ("passed failed skipped"), its recap lines to OUT/job.results. Run in a subshell: the counters are its own.
guest_job() {
	local kver=$1 dir=$2 out=$3 label=$4
	passed=0
	failed=0
	skipped=0
	results=()
	guest_start=$SECONDS
	rc=0
	run_guest "$kver" "$dir" "$out" || rc=$?
	if early_oops "$out/console.log"; then
		mv "$out/console.log" "$out/console.first.log"
		echo "# $label: the guest oopsed before any test ran (TCG; $out/console.first.log): booting it again"
		rc=0
		run_guest "$kver" "$dir" "$out" || rc=$?
	fi
	# An int3 trap (see int3_line) spoils the test it hit and what follows: keep the results of the tests
	# before it and boot the guest again for the rest, twice at most. Oopses before the trap still count.
	redos=0
	int3_logs=()
	rm -f "$out"/console.int3-*.log "$out/console.before-int3.log" "$out/tap.kept"
	if [ "$mode" != bench ]; then
		saved_tests=${TESTS-}
		if [ -n "${TESTS:-}" ]; then
			read -r -a left <<<"$TESTS"
		else
			mapfile -t left < <(make -s --no-print-directory -C "$repo/tests" list-tests)
		fi
		offset=0
		: >"$out/tap.kept"
		while [ "$redos" -lt 2 ] && line=$(int3_line "$out/console.log"); do
			redos=$((redos + 1))
			k=$(head -n "$line" "$out/console.log" |
				sed -n 's/.*vcdrom-selftest: \([0-9]*\)\/[0-9]* [^ ]*: start.*/\1/p' | tail -n 1)
			k=${k:-1}
			[ "$k" -le "${#left[@]}" ] || break
			mv "$out/console.log" "$out/console.int3-$redos.log"
			int3_logs+=("$out/console.int3-$redos.log:$line")
			keep_tap "$out/results/tap.txt" "$k" "$offset" "$((redos == 1))" >>"$out/tap.kept"
			[ "$redos" -gt 1 ] || [ -s "$out/tap.kept" ] ||
				printf 'TAP version 13\n1..%s\n' "${#left[@]}" >"$out/tap.kept"
			left=("${left[@]:$((k - 1))}")
			offset=$((offset + k - 1))
			echo "# TCG int3 trap at line $line of $out/console.int3-$redos.log, in test ${left[0]}: booting" \
				"the guest again for the ${#left[@]} tests from it" | tee -a "$out/tap.kept"
			TESTS="${left[*]}"
			rc=0
			run_guest "$kver" "$dir" "$out" || rc=$?
		done
		TESTS=$saved_tests
		if [ "$redos" -gt 0 ] && [ -s "$out/tap.kept" ]; then
			[ ! -e "$out/results/tap.txt" ] || mv "$out/results/tap.txt" "$out/results/tap.last.txt"
			{
				cat "$out/tap.kept"
				keep_tap "$out/results/tap.last.txt" 1000000 "$offset" 0
			} >"$out/results/tap.txt"
		fi
	fi
	guest_secs=$((SECONDS - guest_start))

	finished=0
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		tail -n 20 "$out/console.log" | sed 's/^/# /'
		running=$(sed -n 's/.*vcdrom-selftest: \([0-9]*\/[0-9]* [^ ]*\): start.*/\1/p' "$out/console.log" | tail -n 1)
		[ "$kver" != "$debug_kver" ] || guest_timeout=$debug_timeout
		guest_failure="guest killed after ${guest_timeout}s (GUEST_TIMEOUT)${running:+, in test $running}"
	elif [ "$rc" -ne 0 ]; then
		sed 's/^/# /' "$out/qemu.log"
		guest_failure="qemu exited with status $rc"
	elif [ ! -s "$out/results/status" ]; then
		tail -n 30 "$out/console.log" | sed 's/^/# /'
		guest_failure="the guest stopped before the tests finished"
	elif [ ! -s "$out/results/tap.txt" ]; then
		guest_failure="the guest wrote no results"
	else
		finished=1
		guest_failure=
	fi
	if [ -s "$out/results/tap.txt" ]; then
		cat "$out/results/tap.txt"
		count_tap "$label" "$out/results/tap.txt" "$finished"
	fi
	if [ -n "$guest_failure" ]; then
		harness_fail "$label: $guest_failure"
		results+=("$label: $guest_failure")
	fi
	if [ "$finished" -eq 1 ] && [ "$(cat "$out/results/status")" != 0 ] &&
		! grep -qE '^not ok [0-9]+' "$out/results/tap.txt"; then
		harness_fail "$label: runner exited with status $(cat "$out/results/status") but no test failed"
	fi

	scan=$(scan_console "$out/console.log")
	events=$(tail -n 1 <<<"$scan")
	scan=$(sed '$d' <<<"$scan")
	for log in "${int3_logs[@]}"; do
		head -n "$((${log##*:} - 1))" "${log%:*}" >"$out/console.before-int3.log"
		more=$(scan_console "$out/console.before-int3.log")
		events=$((events + $(tail -n 1 <<<"$more")))
		scan+=${scan:+$'\n'}$(sed '$d' <<<"$more")
	done
	if [ "$events" -gt 0 ]; then
		[ -z "$scan" ] || echo "$scan"
		for _ in $(seq "$events"); do
			harness_fail "$label: kernel oops/BUG/WARNING in the guest console (see above, $out/console*.log)"
		done
		results+=("$label: $events oops/BUG/WARNING in the guest console")
	fi
	echo "# $label: guest ran ${guest_secs}s"
	echo "$passed $failed $skipped" >"$out/job.counts"
	printf '%s\n' "${results[@]}" >"$out/job.results"
}

# the version the module gets (modinfo), the tree's own: the copies built have no VERSION nor git
vcdrom_version=$("$repo/scripts/version.sh")
start_all=$SECONDS

# Every module first, one kernel after another: sid's is built in its chroot with mounts that a guest running
# meanwhile would see under the shared root.
ready=()
for kver in "${kernels[@]}"; do
	dir=$repo/build/$kver
	start=$SECONDS
	mkdir -p "$dir"
	if [ "${kbase[$kver]}" = / ]; then
		echo "# ==== $kver"
		build_module "$kver" "$dir" || continue
		build_dkms "$kver" "$dir"
	elif [ "$kver" = "$debug_kver" ]; then
		echo "# ==== $kver (debug kernel, ${kimage[$kver]})"
		build_module "$kver" "$dir" || continue
	else
		echo "# ==== $kver (Debian sid, $sid_root)"
		build_sid_module "$kver" "$dir" || continue
	fi
	build_initramfs "$kver" "$dir/initramfs.cpio.gz" || {
		harness_fail "$kver: cannot build the initramfs"
		results+=("$kver: not run, no initramfs")
		continue
	}
	echo "# $kver: module built in $((SECONDS - start)) s"
	ready+=("$kver")
done

# The guests: each kernel's tests split over PARTS guests (test i of the list in part i mod PARTS), at most
# JOBS guests at a time. Measured on 2 CPUs: a test runs 2-3 times slower beside another guest than alone
# (four vCPU threads on two CPUs): one at a time is as fast (6.12 whole, alone: 1080 s; its two parts side
# by side: 917 s and 1082 s). A part's results are in build/KVER/partN/ (build/KVER/ itself with one part). --bench: one guest at a
# time, whole.
# the kernel that runs the tests (or parts) that no kernel version changes, tests/lib.sh's once_per_run: the
# newest of the run
once_kver=
[ "${#ready[@]}" -eq 0 ] || once_kver=${ready[-1]}
jobs_max=${CHECK_JOBS:-2}
parts=${CHECK_PARTS:-$jobs_max}
[[ $jobs_max =~ ^[1-9][0-9]*$ ]] || die "CHECK_JOBS='$jobs_max': a number of guests, at least 1"
[[ $parts =~ ^[1-9][0-9]*$ ]] || die "CHECK_PARTS='$parts': a number of parts, at least 1"
all_tests=()
if [ "$mode" = bench ]; then
	jobs_max=1
	parts=1
elif [ -n "${TESTS:-}" ]; then
	read -r -a all_tests <<<"$TESTS"
else
	mapfile -t all_tests < <(make -s --no-print-directory -C "$repo/tests" list-tests)
fi
[ "$parts" -le "${#all_tests[@]}" ] || parts=$((${#all_tests[@]} > 0 ? ${#all_tests[@]} : 1))
# A check stopped (Ctrl-C, a timeout's TERM) stops its guests: a job's guest is its subshell's child.
stop_jobs() {
	local p
	for p in $(jobs -p); do
		pkill -TERM -P "$p" 2>/dev/null || true
		kill -TERM "$p" 2>/dev/null || true
	done
}
trap 'stop_jobs; exit 130' INT
trap 'stop_jobs; exit 143' TERM
job_labels=()
job_outs=()
for kver in "${ready[@]}"; do
	dir=$repo/build/$kver
	for ((p = 0; p < parts; p++)); do
		if [ "$parts" -eq 1 ]; then
			out=$dir
			label=$kver
			part_tests=${TESTS:-}
		else
			out=$dir/part$((p + 1))
			label="$kver part $((p + 1))/$parts"
			part_tests=
			for ((i = p; i < ${#all_tests[@]}; i += parts)); do
				part_tests+=${part_tests:+ }${all_tests[$i]}
			done
		fi
		while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
			wait -n || true
		done
		mkdir -p "$out"
		rm -f "$out/job.counts" "$out/job.results"
		echo "# $label: booting the guest (console: $out/console.log)"
		(TESTS=$part_tests guest_job "$kver" "$dir" "$out" "$label") >"$out/job.log" 2>&1 &
		job_labels+=("$label")
		job_outs+=("$out")
	done
done
wait || true

# Each guest's report, in order.
for j in "${!job_outs[@]}"; do
	out=${job_outs[$j]}
	label=${job_labels[$j]}
	echo "# ==== $label"
	cat "$out/job.log"
	if [ ! -s "$out/job.counts" ]; then
		harness_fail "$label: the guest's job ended before its report (see $out/job.log)"
		results+=("$label: no report")
		continue
	fi
	read -r p f s <"$out/job.counts"
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	while IFS= read -r r; do
		[ -z "$r" ] || results+=("$r")
	done <"$out/job.results"
done
for skip in "${skips[@]}"; do
	echo "# ==== ${skip%%$'\t'*}"
	harness_skip "${skip%%$'\t'*}" "${skip#*$'\t'}"
done
for r in "${results[@]}"; do
	echo "# $r"
done
echo "# all kernels: $((SECONDS - start_all))s"

summary="$passed passed, $failed failed"
[ "$skipped" -eq 0 ] || summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]
