#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench (on the host, before the guests): a CD CHD expanded by vcdromctl against `chdman extractcd`.
# The CHD is made by chdman createcd (its default codecs: cdlz, cdzl, cdfl) from a cue sheet of a MODE1/2352
# data track (base64 text: it compresses as files do) and an audio track (pink noise and a tone, made by sox).
# Each run expands it anew: `vcdromctl toc --cache-dir DIR` into an empty cache folder (the toc command loads
# the image, so expands it, and needs no drive), and `chdman extractcd -i x.chd -o out.cue -ob out.bin -f`;
# the two outputs must be the same bytes, or the bench fails. Both read the CHD from the page cache and
# write into it: dropping it needs root, so these are warm-cache times. vcdromctl checks the data's SHA-1
# too, which chdman does not. Median of $BENCH_RUNS runs, min and max beside it; prints a table, writes JSON.
#
# Environment: BENCH_CHD_MB (the disc's size, default 300), BENCH_CHD_AUDIO_MIN (minutes of it that are
# audio, default 4), BENCH_RUNS (default 3), BENCH_CHD_JSON (default build/bench_chd.json), TMPDIR.

set -eu
export LC_ALL=C

repo=$(cd "$(dirname "$0")/.." && pwd)
BENCH_CHD_MB=${BENCH_CHD_MB:-300}
BENCH_CHD_AUDIO_MIN=${BENCH_CHD_AUDIO_MIN:-4}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_CHD_JSON=${BENCH_CHD_JSON:-$repo/build/bench_chd.json}
vcdromctl=$repo/tools/vcdromctl/vcdromctl
cdsector=$repo/tools/tests/cdsector

fail() {
	echo "bench_chd: $*" >&2
	exit 1
}

for c in chdman sox base64 cmp awk; do
	command -v "$c" >/dev/null || fail "$c not installed (make deps)"
done
[ -x "$vcdromctl" ] || fail "$vcdromctl not built (make tools)"
make -s -C "$repo/tools" tests/cdsector || fail "cannot build $cdsector"

T=$(mktemp -d "${TMPDIR:-/tmp}/bench_chd.XXXXXX")
trap 'rm -rf "$T"' EXIT

# the disc: audio of whole seconds (75 frames each), data the rest in whole 2048-byte sectors
audio_s=$((BENCH_CHD_AUDIO_MIN * 60))
data_sectors=$(((BENCH_CHD_MB * 1048576 - audio_s * 75 * 2352) / 2352))
[ "$data_sectors" -ge 300 ] || fail "BENCH_CHD_MB=$BENCH_CHD_MB leaves no room for data beside the audio"
# base64 writes 4 bytes of 3: 1536 random bytes a sector
head -c $((data_sectors * 1536)) /dev/urandom | base64 -w 0 >"$T/data.in"
"$cdsector" encode --mode 1 "$T/data.in" "$T/data.bin" || fail "cdsector encode"
rm "$T/data.in"
sox -n -r 44100 -b 16 -c 2 -e signed -L -t raw "$T/audio.bin" synth "$audio_s" pinknoise sine 440 \
	vol 0.5 || fail "sox: the audio track"
cat >"$T/disc.cue" <<EOF
FILE "data.bin" BINARY
  TRACK 01 MODE1/2352
    INDEX 01 00:00:00
FILE "audio.bin" BINARY
  TRACK 02 AUDIO
    INDEX 01 00:00:00
EOF
chdman createcd -i "$T/disc.cue" -o "$T/x.chd" >"$T/createcd.log" 2>&1 ||
	fail "chdman createcd: $(tail -n 3 "$T/createcd.log")"
rm "$T/data.bin" "$T/audio.bin"
chd_bytes=$(stat -c %s "$T/x.chd")
out_bytes=$(((data_sectors + audio_s * 75) * 2352))
echo "# bench_chd: $((out_bytes / 1048576)) MiB disc ($data_sectors data sectors, ${audio_s} s of audio)" \
	"in a $((chd_bytes / 1048576)) MiB CHD; $BENCH_RUNS runs, warm page cache"

now_ns() { date +%s%N; }
# ms_since NS: milliseconds since the date +%s%N NS
ms_since() { echo $((($(now_ns) - $1) / 1000000)); }

ours=()
theirs=()
for run in $(seq "$BENCH_RUNS"); do
	rm -rf "$T/cache" "$T/out.cue" "$T/out.bin"
	mkdir "$T/cache"
	t=$(now_ns)
	"$vcdromctl" toc --cache-dir "$T/cache" --cache-max 0 "$T/x.chd" >"$T/toc.txt" 2>"$T/toc.err" ||
		fail "vcdromctl toc: $(cat "$T/toc.err")"
	ours+=("$(ms_since "$t")")
	t=$(now_ns)
	chdman extractcd -i "$T/x.chd" -o "$T/out.cue" -ob "$T/out.bin" -f >"$T/extract.log" 2>&1 ||
		fail "chdman extractcd: $(tail -n 3 "$T/extract.log")"
	theirs+=("$(ms_since "$t")")
	mapfile -t entries < <(find "$T/cache" -type f -size +1M)
	[ "${#entries[@]}" -eq 1 ] || fail "run $run: ${#entries[@]} large files in the cache, not one"
	cmp "${entries[0]}" "$T/out.bin" ||
		fail "run $run: vcdromctl's expansion is not chdman extractcd's BIN"
	[ "$(stat -c %s "$T/out.bin")" -eq "$out_bytes" ] ||
		fail "run $run: chdman's BIN is $(stat -c %s "$T/out.bin") bytes, not $out_bytes"
	echo "# run $run: vcdromctl ${ours[-1]} ms, chdman ${theirs[-1]} ms, the same bytes"
done

# stats V...: "median min max" of the numbers.
stats() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.6g %.6g %.6g\n", m, v[1], v[NR] }'
}
read -r om omin omax <<<"$(stats "${ours[@]}")"
read -r cm cmin cmax <<<"$(stats "${theirs[@]}")"
# MB/s of the disc written; the ratio is chdman's time over ours: above 1, ours is faster
mbps() { awk -v b="$out_bytes" -v ms="$1" 'BEGIN { printf "%.1f", b / 1e6 / (ms / 1e3) }'; }
ratio=$(awk -v a="$cm" -v b="$om" 'BEGIN { printf "%.2f", a / b }')
printf '# %-34s %-6s %-28s %-24s %s\n' measure unit "vcdromctl median (min-max)" \
	"chdman median (min-max)" "chdman/vcdromctl"
printf '# %-34s %-6s %-28s %-24s %sx\n' "CHD expansion, warm cache" ms "$om ($omin-$omax)" \
	"$cm ($cmin-$cmax)" "$ratio"
printf '# %-34s %-6s %-28s %s\n' "CHD expansion, warm cache" MB/s "$(mbps "$om")" "$(mbps "$cm")"

mkdir -p "$(dirname "$BENCH_CHD_JSON")"
(
	IFS=,
	printf '{"name":"CHD expansion, warm cache","unit":"ms","disc_bytes":%s,"chd_bytes":%s,' \
		"$out_bytes" "$chd_bytes"
	printf '"audio_seconds":%s,"runs":%s,"vcdromctl":[%s],"chdman":[%s],"chdman_over_vcdromctl":%s}\n' \
		"$audio_s" "$BENCH_RUNS" "${ours[*]}" "${theirs[*]}" "$ratio"
) >"$BENCH_CHD_JSON"
echo "# JSON in $BENCH_CHD_JSON"
