#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: in one guest, the same image read through /dev/srN (vcdrom) and through a loop device, beside a
# plain read of the file; the same sectors as MODE1/2352 and MODE2/2352 (XA form 1) BINs with their cues;
# the same ISO through the kernel's USB-gadget CD-ROM (g_mass_storage cdrom=y over dummy_hcd), when this
# kernel has it; READ CD of whole sectors as rippers send it; a cdparanoia rip. Each figure is the median of
# $BENCH_RUNS runs (min and max beside it) and each a ratio to loop's from the same run. Prints a table;
# writes JSON to $BENCH_JSON.
#
# Environment: BENCH_MB (image size, default 384), BENCH_RUNS (default 3), BENCH_AUDIO_MIN (minutes of the
# audio disc cdparanoia rips, default 10), BENCH_JSON (default /tmp/results/bench.json when that directory
# exists, else $T/bench.json).

source "$(dirname "$0")/lib.sh"

echo "TAP version 13"
echo "1..1"
bench_done=0
on_exit 'if [ "$bench_done" = 1 ]; then echo "ok 1 bench"; else echo "not ok 1 bench"; fi'
need_root
need_cmd xorriso dd fio losetup mount cdparanoia

BENCH_MB=${BENCH_MB:-384}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_AUDIO_MIN=${BENCH_AUDIO_MIN:-10}
if [ -d /tmp/results ]; then
	BENCH_JSON=${BENCH_JSON:-/tmp/results/bench.json}
else
	BENCH_JSON=${BENCH_JSON:-$T/bench.json}
fi
VCDROMCTL=$REPO_DIR/tools/vcdromctl/vcdromctl
[ -x "$VCDROMCTL" ] || fail "$VCDROMCTL not built (make tools)"

now_ns() { date +%s%N; }
drop_caches() { sync; echo 3 >/proc/sys/vm/drop_caches; }

# stats V...: "median min max" of the numbers.
stats() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.6g %.6g %.6g\n", m, v[1], v[NR] }'
}

rows=()		# "name|unit|loop-stats|vcdrom-stats|gadget-stats" ("- - -" where there is none)
json=()

# record NAME UNIT LOOP_VALUES VCDROM_VALUES [GADGET_VALUES] (values space-separated; "" for none)
record() {
	local name=$1 unit=$2 l v g
	l=$([ -n "$3" ] && stats $3 || echo "- - -")
	v=$([ -n "$4" ] && stats $4 || echo "- - -")
	g=$([ -n "${5:-}" ] && stats $5 || echo "- - -")
	rows+=("$name|$unit|$l|$v|$g")
	json+=("{\"name\":\"$name\",\"unit\":\"$unit\",\"loop\":[${3// /,}],\"vcdrom\":[${4// /,}],\"gadget\":[${5// /,}]}")
}

# mbps BYTES NS
mbps() { awk -v b="$1" -v t="$2" 'BEGIN { printf "%.1f", b / 1e6 / (t / 1e9) }'; }

# time_read DEV [DD_FLAGS...]: MB/s of reading all of DEV with dd bs=1M.
time_read() {
	local dev=$1 t0 t1
	shift
	t0=$(now_ns)
	dd if="$dev" of=/dev/null bs=1M "$@" 2>/dev/null || fail "dd $dev $*"
	t1=$(now_ns)
	mbps "$size" $((t1 - t0))
}

# fio_iops DEV DEPTH: random 2 KiB direct reads for a few seconds: IOPS. fio's own CPU time (user +
# system, % of one CPU) goes to $T/fio_cpu.
fio_iops() {
	fio --name=r --filename="$1" --rw=randread --bs=2k --direct=1 --ioengine=libaio \
		--iodepth="$2" --runtime=4 --time_based --size="$size" --minimal 2>/dev/null |
		awk -F';' -v cpu="$T/fio_cpu" '{ print $8; printf "%.0f\n", $88 + $89 >cpu }'
}

log "building a ${BENCH_MB} MiB ISO"
mkdir -p "$T/tree"
files=$((BENCH_MB / 4))
for i in $(seq "$files"); do
	mkdir -p "$T/tree/d$((i % 8))"
	head -c $((4 * 1024 * 1024 - 4096)) /dev/urandom >"$T/tree/d$((i % 8))/f$i"
done
xorriso -as mkisofs -quiet -R -J -V BENCH -o "$T/bench.iso" "$T/tree" || fail "xorriso"
rm -rf "$T/tree"
size=$(stat -c %s "$T/bench.iso")

# The same sectors stored whole: MODE1/2352, and XA form 1 (MODE2/2352), as the tests' encoder writes them.
log "writing the ISO's sectors as MODE1/2352 and MODE2/2352 BINs"
cdsector=$(test_bin cdsector)
"$cdsector" encode --mode 1 "$T/bench.iso" "$T/m1.bin" || fail "cdsector encode --mode 1"
"$cdsector" encode --mode 2form1 "$T/bench.iso" "$T/m2.bin" || fail "cdsector encode --mode 2form1"
printf 'FILE "m1.bin" BINARY\n  TRACK 01 MODE1/2352\n    INDEX 01 00:00:00\n' >"$T/m1.cue"
printf 'FILE "m2.bin" BINARY\n  TRACK 01 MODE2/2352\n    INDEX 01 00:00:00\n' >"$T/m2.cue"
# An audio disc of random samples for cdparanoia.
head -c $((BENCH_AUDIO_MIN * 60 * 75 * 2352)) /dev/urandom >"$T/audio.bin"
printf 'FILE "audio.bin" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n' >"$T/audio.cue"

modprobe loop || fail "modprobe loop"
vcdrom_load drives=4
loopdev=$(losetup -r -f --show "$T/bench.iso") || fail "losetup"
on_exit "losetup -d $loopdev"
on_exit "for d in 0 1 2 3; do '$VCDROMCTL' eject --force \$d >/dev/null 2>&1; done"
sr=$("$VCDROMCTL" insert --drive 0 "$T/bench.iso") || fail "vcdromctl insert"
sr1=$("$VCDROMCTL" insert --drive 1 "$T/m1.cue") || fail "vcdromctl insert m1.cue"
sr2=$("$VCDROMCTL" insert --drive 2 "$T/m2.cue") || fail "vcdromctl insert m2.cue"
sra=$("$VCDROMCTL" insert --drive 3 "$T/audio.cue") || fail "vcdromctl insert audio.cue"
for d in "$sr" "$sr1" "$sr2"; do
	wait_until 10 dd if="$d" of=/dev/null bs=2048 count=1 2>/dev/null || fail "$d not readable"
done
cmp -n $((1024 * 1024)) "$T/bench.iso" "$sr2" || fail "$sr2 (MODE2/2352) does not read as the ISO"

# The kernel's USB-gadget CD-ROM with the same ISO: f_mass_storage with cdrom=1 over dummy_hcd, through
# g_mass_storage, or through configfs where a kernel has only the function (Debian 12's 6.1); a new
# /dev/srN once usb-storage binds it.
gadget=
gadget_cfs=/sys/kernel/config/usb_gadget/vcdrom_bench
srs() { ls /sys/class/block | grep '^sr' | sort; }
new_sr() { comm -13 <(echo "$1") <(srs) | head -1; }
has_new_sr() { [ -n "$(new_sr "$before")" ]; }
gadget_configfs() {
	local g=$gadget_cfs f
	modprobe libcomposite && modprobe usb_f_mass_storage || return 1
	mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config || return 1
	mkdir "$g" || return 1
	echo 0x0525 >"$g/idVendor"	# the ids g_mass_storage has
	echo 0xa4a5 >"$g/idProduct"
	mkdir "$g/configs/c.1" "$g/functions/mass_storage.0"
	f=$g/functions/mass_storage.0/lun.0
	echo 1 >"$f/removable"
	echo 1 >"$f/cdrom"
	echo 1 >"$f/ro"
	echo "$T/bench.iso" >"$f/file" || return 1
	ln -s "$g/functions/mass_storage.0" "$g/configs/c.1/"
	ls /sys/class/udc | head -1 >"$g/UDC"
}
gadget_down() {
	local g=$gadget_cfs
	if [ -d "$g" ]; then
		echo "" >"$g/UDC" 2>/dev/null
		rm -f "$g/configs/c.1/mass_storage.0"
		rmdir "$g/configs/c.1" "$g/functions/mass_storage.0" "$g" 2>/dev/null
	fi
	modprobe -r g_mass_storage usb_f_mass_storage libcomposite dummy_hcd 2>/dev/null
}
before=$(srs)
if modprobe dummy_hcd 2>/dev/null && modprobe usb_storage 2>/dev/null; then
	on_exit gadget_down
	if modprobe -n g_mass_storage 2>/dev/null; then
		modprobe g_mass_storage file="$T/bench.iso" cdrom=1 ro=1 || fail "modprobe g_mass_storage"
		gadget_how="g_mass_storage cdrom=1"
	else
		gadget_configfs || fail "f_mass_storage through configfs"
		gadget_how="f_mass_storage through configfs, cdrom=1"
	fi
	wait_until 60 has_new_sr || fail "$gadget_how: no new sr device"
	gadget=/dev/$(new_sr "$before")
	wait_until 30 dd if="$gadget" of=/dev/null bs=2048 count=1 2>/dev/null || fail "$gadget not readable"
	cmp -n $((1024 * 1024)) "$T/bench.iso" "$gadget" || fail "$gadget does not read as the ISO"
	log "USB-gadget CD-ROM over dummy_hcd ($gadget_how): $gadget"
else
	log "no dummy_hcd or usb_storage in this kernel: no gadget column"
fi

cat_v=() lc=() vc=() lw=() vw=() ld=() vd=() l1=() v1=() l16=() v16=() lt=() vt=() lcpu=() vcpu=()
gc=() gd=() g1=() g16=() gt=()
b1c=() b1d=() b11=() b116=() b2c=() b2d=() b21=() b216=()
r10=() rcd=() rbin=() rip=() cat_a=()
for run in $(seq "$BENCH_RUNS"); do
	log "run $run of $BENCH_RUNS"
	t0=$(now_ns); cat "$T/bench.iso" >/dev/null; t1=$(now_ns)
	cat_v+=("$(mbps "$size" $((t1 - t0)))")

	drop_caches; lc+=("$(time_read "$loopdev")")
	drop_caches; vc+=("$(time_read "$sr")")

	# Warm: the device held open so its page cache stays.
	exec {lfd}<"$loopdev" {vfd}<"$sr"
	time_read "$loopdev" >/dev/null; lw+=("$(time_read "$loopdev")")
	time_read "$sr" >/dev/null; vw+=("$(time_read "$sr")")
	exec {lfd}<&- {vfd}<&-

	ld+=("$(time_read "$loopdev" iflag=direct)")
	vd+=("$(time_read "$sr" iflag=direct)")

	l1+=("$(fio_iops "$loopdev" 1)"); v1+=("$(fio_iops "$sr" 1)")
	l16+=("$(fio_iops "$loopdev" 16)"); lcpu+=("$(cat "$T/fio_cpu")")
	v16+=("$(fio_iops "$sr" 16)"); vcpu+=("$(cat "$T/fio_cpu")")

	# Every file of the mounted tree, cold.
	mkdir -p "$T/ml" "$T/mv"
	mount -o ro "$loopdev" "$T/ml" || fail "mount $loopdev"
	mount -o ro "$sr" "$T/mv" || fail "mount $sr"
	drop_caches
	t0=$(now_ns); find "$T/ml" -type f -exec cat {} + >/dev/null; t1=$(now_ns)
	lt+=("$(mbps "$size" $((t1 - t0)))")
	t0=$(now_ns); find "$T/mv" -type f -exec cat {} + >/dev/null; t1=$(now_ns)
	vt+=("$(mbps "$size" $((t1 - t0)))")
	umount "$T/ml" "$T/mv"

	# The BINs: the same sectors, 2352 bytes each in the file.
	drop_caches; b1c+=("$(time_read "$sr1")")
	drop_caches; b2c+=("$(time_read "$sr2")")
	b1d+=("$(time_read "$sr1" iflag=direct)")
	b2d+=("$(time_read "$sr2" iflag=direct)")
	b11+=("$(fio_iops "$sr1" 1)"); b116+=("$(fio_iops "$sr1" 16)")
	b21+=("$(fio_iops "$sr2" 1)"); b216+=("$(fio_iops "$sr2" 16)")

	# As a ripper reads: 27 sectors a command, through SG_IO.
	r10+=("$("$(test_bin read_rate)" "$sr" read10 27 3)") || fail "read_rate read10"
	rcd+=("$("$(test_bin read_rate)" "$sr" cd 27 3)") || fail "read_rate cd"
	rbin+=("$("$(test_bin read_rate)" "$sr1" cd 27 3)") || fail "read_rate cd of the BIN"
	t0=$(now_ns); cat "$T/audio.bin" >/dev/null; t1=$(now_ns)
	cat_a+=("$(awk -v s=$((BENCH_AUDIO_MIN * 60)) -v t=$((t1 - t0)) 'BEGIN { printf "%.1f", s / (t / 1e9) }')")
	t0=$(now_ns)
	cdparanoia -q -d "$sra" 1 - >/dev/null || fail "cdparanoia of $sra"
	t1=$(now_ns)
	rip+=("$(awk -v s=$((BENCH_AUDIO_MIN * 60)) -v t=$((t1 - t0)) 'BEGIN { printf "%.1f", s / (t / 1e9) }')")

	[ -n "$gadget" ] || continue
	drop_caches; gc+=("$(time_read "$gadget")")
	gd+=("$(time_read "$gadget" iflag=direct)")
	g1+=("$(fio_iops "$gadget" 1)"); g16+=("$(fio_iops "$gadget" 16)")
	mkdir -p "$T/mg"
	mount -o ro "$gadget" "$T/mg" || fail "mount $gadget"
	drop_caches
	t0=$(now_ns); find "$T/mg" -type f -exec cat {} + >/dev/null; t1=$(now_ns)
	gt+=("$(mbps "$size" $((t1 - t0)))")
	umount "$T/mg"
done
record "cat of the file (page-cache limit)" MB/s "${cat_v[*]}" ""
record "dd bs=1M cold" MB/s "${lc[*]}" "${vc[*]}" "${gc[*]}"
record "dd bs=1M warm (held open)" MB/s "${lw[*]}" "${vw[*]}"
record "dd bs=1M O_DIRECT" MB/s "${ld[*]}" "${vd[*]}" "${gd[*]}"
record "fio randread 2k QD1" IOPS "${l1[*]}" "${v1[*]}" "${g1[*]}"
record "fio randread 2k QD16" IOPS "${l16[*]}" "${v16[*]}" "${g16[*]}"
record "fio QD16: fio's own CPU (usr+sys)" "%" "${lcpu[*]}" "${vcpu[*]}"
record "iso9660 tree, every file, cold" MB/s "${lt[*]}" "${vt[*]}" "${gt[*]}"
record "MODE1/2352 BIN: dd bs=1M cold" MB/s "${lc[*]}" "${b1c[*]}"
record "MODE1/2352 BIN: dd bs=1M O_DIRECT" MB/s "${ld[*]}" "${b1d[*]}"
record "MODE1/2352 BIN: fio randread 2k QD1" IOPS "${l1[*]}" "${b11[*]}"
record "MODE1/2352 BIN: fio randread 2k QD16" IOPS "${l16[*]}" "${b116[*]}"
record "MODE2/2352 BIN: dd bs=1M cold" MB/s "${lc[*]}" "${b2c[*]}"
record "MODE2/2352 BIN: dd bs=1M O_DIRECT" MB/s "${ld[*]}" "${b2d[*]}"
record "MODE2/2352 BIN: fio randread 2k QD1" IOPS "${l1[*]}" "${b21[*]}"
record "MODE2/2352 BIN: fio randread 2k QD16" IOPS "${l16[*]}" "${b216[*]}"
record "SG_IO READ(10) x27, ISO" sect/s "" "${r10[*]}"
record "SG_IO READ CD F8h x27, ISO (made up)" sect/s "" "${rcd[*]}"
record "SG_IO READ CD F8h x27, MODE1/2352 BIN" sect/s "" "${rbin[*]}"
record "audio: cat of the BIN / cdparanoia rip" xreal "${cat_a[*]}" "${rip[*]}"

# Insert to first successful read: through the library (no process start), and through vcdromctl + dd.
ins=()
while read -r ms; do
	ins+=("$ms")
done < <("$(test_bin insert_latency)" 0 "$T/bench.iso" 10) || fail "insert_latency"
[ "${#ins[@]}" -eq 10 ] || fail "insert_latency gave ${#ins[@]} figures"
record "insert to readable (library)" ms "" "${ins[*]}"
ins=()
for i in $(seq 5); do
	"$VCDROMCTL" eject 0 >/dev/null 2>&1
	t0=$(now_ns)
	"$VCDROMCTL" insert --drive 0 "$T/bench.iso" >/dev/null || fail "insert"
	until dd if="$sr" of=/dev/null bs=2048 count=1 2>/dev/null; do :; done
	t1=$(now_ns)
	ins+=("$(awk -v t=$((t1 - t0)) 'BEGIN { printf "%.2f", t / 1e6 }')")
done
t0=$(now_ns); /bin/true; t1=$(now_ns)
record "insert to readable (vcdromctl, dd)" ms "" "${ins[*]}"
record "one process start (/bin/true)" ms "" "$(awk -v t=$((t1 - t0)) 'BEGIN { printf "%.2f", t / 1e6 }')"

# 64 idle drives: the time to create them at load; then the kernel memory each more one costs (slab, percpu,
# vmalloc, stacks and page tables, caches dropped, over 16 more drives), beside what each more idle loop
# device costs.
for d in 0 1 2 3; do
	"$VCDROMCTL" eject --force $d >/dev/null 2>&1
done
losetup -d "$loopdev"
gadget_down
rm -f "$T/m1.bin" "$T/m2.bin" "$T/audio.bin"
vcdrom_unload
mem_kb() {
	drop_caches
	awk '/^(Slab|Percpu|VmallocUsed|KernelStack|PageTables):/ { s += $2 } END { print s }' /proc/meminfo
}
t0=$(now_ns)
vcdrom_load drives=64
t1=$(now_ns)
record "create 64 drives (insmod to all bound)" ms "" "$(awk -v t=$((t1 - t0)) 'BEGIN { printf "%.0f", t / 1e6 }')"
cp /proc/slabinfo "$T/slab0"
m0=$(mem_kb)
for i in $(seq 16); do
	"$VCDROMCTL" add >/dev/null || fail "vcdromctl add"
done
wait_until 60 vcdrom_ready 80 || fail "80 drives did not appear"
m1=$(mem_kb)
cp /proc/slabinfo "$T/slab1"
head -c 4096 /dev/zero >"$T/small.img"
m2=$(mem_kb)
loops=()
for i in $(seq 16); do
	loops+=("$(losetup -r -f --show "$T/small.img")") || fail "losetup"
done
m3=$(mem_kb)
losetup -d "${loops[@]}"
record "kernel memory per idle drive (vs loop device)" KiB "$(((m3 - m2) / 16))" "$(((m1 - m0) / 16))"
# Where it goes: the slab caches that grew most, per drive.
slab_top=$(awk 'NR == FNR { if (FNR > 2) a[$1] = $3 * $4; next }
	FNR > 2 { d = $3 * $4 - a[$1]; if (d > 0) printf "%.1f %s\n", d / 1024 / 16, $1 }' \
	"$T/slab0" "$T/slab1" | sort -rn | head -8 | awk '{ printf "%s%s %s KiB", (NR > 1 ? ", " : ""), $2, $1 }')

# The table.
ratio() { [ "$1" != - ] && [ "$2" != - ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }' || echo -; }
printf '# %-40s %-6s %-24s %-24s %-11s %-24s %s\n' measure unit "loop median (min-max)" \
	"vcdrom median (min-max)" "vcdrom/loop" "gadget median (min-max)" "gadget/loop"
for r in "${rows[@]}"; do
	IFS='|' read -r name unit l v g <<<"$r"
	read -r lm lmin lmax <<<"$l"
	read -r vm vmin vmax <<<"$v"
	read -r gm gmin gmax <<<"$g"
	printf '# %-40s %-6s %-24s %-24s %-11s %-24s %s\n' "$name" "$unit" "$lm ($lmin-$lmax)" \
		"$vm ($vmin-$vmax)" "$(ratio "$vm" "$lm")" "$gm ($gmin-$gmax)" "$(ratio "$gm" "$lm")"
done
# Against the page-cache limit: sequential cold through vcdrom over cat.
read -r catm _ <<<"$(stats "${cat_v[@]}")"
read -r vcm _ <<<"$(stats "${vc[@]}")"
printf '# vcdrom dd cold / cat: %s\n' "$(ratio "$vcm" "$catm")"
# READ CD of whole sectors over READ(10) of their user data, sectors a second
read -r r10m _ <<<"$(stats "${r10[@]}")"
read -r rcdm _ <<<"$(stats "${rcd[@]}")"
read -r rbinm _ <<<"$(stats "${rbin[@]}")"
printf '# READ CD / READ(10), sectors/s: ISO %s, MODE1/2352 BIN %s\n' "$(ratio "$rcdm" "$r10m")" \
	"$(ratio "$rbinm" "$r10m")"
printf '# slab per idle drive: %s\n' "$slab_top"

{
	printf '{"kernel":"%s","image_mb":%s,"runs":%s,"results":[' "$(uname -r)" "$BENCH_MB" "$BENCH_RUNS"
	(IFS=,; printf '%s' "${json[*]}")
	printf ']}\n'
} >"$BENCH_JSON"
log "JSON in $BENCH_JSON"
bench_done=1
