#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: in one guest, the same image read through /dev/srN (vcdrom) and through a loop device, beside a
# plain read of the file. Each figure is the median of $BENCH_RUNS runs (min and max beside it) and each vcdrom
# figure also a ratio to loop's from the same run. Prints a table; writes JSON to $BENCH_JSON.
#
# Environment: BENCH_MB (image size, default 384), BENCH_RUNS (default 3), BENCH_JSON (default
# /tmp/results/bench.json when that directory exists, else $T/bench.json).

source "$(dirname "$0")/lib.sh"

echo "TAP version 13"
echo "1..1"
bench_done=0
on_exit 'if [ "$bench_done" = 1 ]; then echo "ok 1 bench"; else echo "not ok 1 bench"; fi'
need_root
need_cmd xorriso dd fio losetup mount

BENCH_MB=${BENCH_MB:-384}
BENCH_RUNS=${BENCH_RUNS:-3}
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

rows=()		# "name|unit|loop-stats|vcdrom-stats" ("-" where a side has none)
json=()

# record NAME UNIT LOOP_VALUES VCDROM_VALUES (values space-separated; "" for none)
record() {
	local name=$1 unit=$2 l v
	l=$([ -n "$3" ] && stats $3 || echo "- - -")
	v=$([ -n "$4" ] && stats $4 || echo "- - -")
	rows+=("$name|$unit|$l|$v")
	json+=("{\"name\":\"$name\",\"unit\":\"$unit\",\"loop\":[${3// /,}],\"vcdrom\":[${4// /,}]}")
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

# fio_iops DEV DEPTH: random 2 KiB direct reads for a few seconds.
fio_iops() {
	fio --name=r --filename="$1" --rw=randread --bs=2k --direct=1 --ioengine=libaio \
		--iodepth="$2" --runtime=4 --time_based --size="$size" --minimal 2>/dev/null |
		awk -F';' '{ print $8 }'
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

modprobe loop || fail "modprobe loop"
vcdrom_load drives=1
loopdev=$(losetup -r -f --show "$T/bench.iso") || fail "losetup"
on_exit "losetup -d $loopdev"
sr=$("$VCDROMCTL" insert --drive 0 "$T/bench.iso") || fail "vcdromctl insert"
on_exit "'$VCDROMCTL' eject --force 0 >/dev/null 2>&1"
wait_until 10 dd if="$sr" of=/dev/null bs=2048 count=1 2>/dev/null || fail "$sr not readable"

cat_v=() lc=() vc=() lw=() vw=() ld=() vd=() l1=() v1=() l16=() v16=() lt=() vt=()
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
	l16+=("$(fio_iops "$loopdev" 16)"); v16+=("$(fio_iops "$sr" 16)")

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
done
record "cat of the file (page-cache limit)" MB/s "${cat_v[*]}" ""
record "dd bs=1M cold" MB/s "${lc[*]}" "${vc[*]}"
record "dd bs=1M warm (held open)" MB/s "${lw[*]}" "${vw[*]}"
record "dd bs=1M O_DIRECT" MB/s "${ld[*]}" "${vd[*]}"
record "fio randread 2k QD1" IOPS "${l1[*]}" "${v1[*]}"
record "fio randread 2k QD16" IOPS "${l16[*]}" "${v16[*]}"
record "iso9660 tree, every file, cold" MB/s "${lt[*]}" "${vt[*]}"

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
"$VCDROMCTL" eject --force 0 >/dev/null 2>&1
losetup -d "$loopdev"
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
printf '# %-40s %-5s %-24s %-24s %s\n' measure unit "loop median (min-max)" "vcdrom median (min-max)" "vcdrom/loop"
for r in "${rows[@]}"; do
	IFS='|' read -r name unit l v <<<"$r"
	read -r lm lmin lmax <<<"$l"
	read -r vm vmin vmax <<<"$v"
	ratio=-
	if [ "$lm" != - ] && [ "$vm" != - ]; then
		ratio=$(awk -v a="$vm" -v b="$lm" 'BEGIN { printf "%.2fx", a / b }')
	elif [ "$name" != "${name#cat}" ]; then
		:
	fi
	printf '# %-40s %-5s %-24s %-24s %s\n' "$name" "$unit" "$lm ($lmin-$lmax)" "$vm ($vmin-$vmax)" "$ratio"
done
# Against the page-cache limit: sequential cold through vcdrom over cat.
read -r catm _ <<<"$(stats "${cat_v[@]}")"
read -r vcm _ <<<"$(stats "${vc[@]}")"
printf '# vcdrom dd cold / cat: %s\n' "$(awk -v a="$vcm" -v b="$catm" 'BEGIN { printf "%.2fx", a / b }')"
printf '# slab per idle drive: %s\n' "$slab_top"

{
	printf '{"kernel":"%s","image_mb":%s,"runs":%s,"results":[' "$(uname -r)" "$BENCH_MB" "$BENCH_RUNS"
	(IFS=,; printf '%s' "${json[*]}")
	printf ']}\n'
} >"$BENCH_JSON"
log "JSON in $BENCH_JSON"
bench_done=1
