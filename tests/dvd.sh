#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The medium's profile follows the image's size (MMC-NOTES.md): CD-ROM up to 405000 sectors, DVD-ROM above
# (dual layer above 2295104), BD-ROM above 4173824; vcdromctl, GET CONFIGURATION and READ CAPACITY agree.
# `--medium cd|dvd|bd` makes a small image any of the three; an audio cue sheet as a DVD, 449850 sectors as a
# CD and an unknown medium are refused, with the reason, the drive as it was.
# A DVD-sized UDF image (sparse, made by mkudffs, files copied in): dvd+rw-mediainfo sees a DVD-ROM; READ DVD
# STRUCTURE answers formats 00h, 01h and FFh as the disc's size says; blkid finds the UDF label; the file
# system mounts and holds the tree; the drive reads the image's bytes. Structures a layout stores (physical
# format of two layers, copyright, BCA, manufacturer's) are answered as stored, and refused on a CD or when
# short. READ DVD STRUCTURE on a CD and on a BD medium: ILLEGAL REQUEST, CANNOT READ MEDIUM - INCOMPATIBLE
# FORMAT (05/30/02).

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl
need_cmd jq xorriso mkudffs blkid sg_raw sg_turs sg_get_config sg_readcap dvd+rw-mediainfo

DVD_SECTORS=420000
LABEL=VCDROM_DVD

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)

# put IMAGE [OPTION]: it replaces the medium, and sg's first command eats the insert's unit attention.
put() {
	vcdromctl insert --drive 0 --replace "${@:2}" "$1" >/dev/null || fail "vcdromctl insert --replace $*"
	sg_turs "$sg" >/dev/null 2>&1 || true
}

# read_dvd_structure FORMAT [LAYER]: sg_raw's output for READ DVD STRUCTURE, allocation length 2052.
read_dvd_structure() {
	run_rc rc sg_raw -r 2052 "$sg" ad 00 00 00 00 00 "${2:-00}" "$1" 08 04 00 00
}

# current_profile: GET CONFIGURATION's current profile, as sg_get_config names it.
current_profile() {
	sg_get_config -c "$sg" 2>&1 | sed -n 's/^Current profile: //p'
}

hex32() { printf '%02x %02x %02x %02x' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255)); }

# ---- the profile by size: empty sparse files at each boundary ----
kmsg "profiles by size"
for case in "405000 CD-ROM" "405001 DVD-ROM" "2295104 DVD-ROM" "2295105 DVD-ROM" "4173824 DVD-ROM" \
	"4173825 BD-ROM"; do
	read -r n profile <<<"$case"
	rm -f "$T/size.img"
	truncate -s $((n * 2048)) "$T/size.img"
	put "$T/size.img" --raw	# zeros: no file system
	assert_eq "$profile $n" "$(drive_json 0 '"\(.profile) \(.capacity)"')" "profile and capacity of $n sectors"
	assert_eq "$profile" "$(current_profile)" "GET CONFIGURATION current profile with $n sectors"
	run_rc rc sg_readcap "$sg"
	assert_match "Number of logical blocks=$n\$" "$out" "sg_readcap with $n sectors"
	read_dvd_structure 00
	case $profile in
	DVD-ROM)
		assert_eq 0 "$rc" "READ DVD STRUCTURE 00h with $n sectors:"$'\n'"$out"
		data=$(sg_data "$out")
		if [ "$n" -gt 2295104 ]; then
			layers=21 last=$((0x30000 + (n + 1) / 2 - 1))	# two layers, parallel track path
		else
			layers=01 last=$((0x30000 + n - 1))
		fi
		assert_eq "08 02 00 00 01 02 $layers 00 00 03 00 00 $(hex32 "$last")" "$(cut -d' ' -f1-16 <<<"$data")" \
			"READ DVD STRUCTURE 00h with $n sectors: header and physical format information"
		;;
	*)
		assert_ne 0 "$rc" "READ DVD STRUCTURE 00h on a $profile medium: exit status"
		assert_eq "Illegal Request / Cannot read medium - incompatible format" "$(sense_of "$out")" \
			"READ DVD STRUCTURE on a $profile medium:"$'\n'"$out"
		;;
	esac
done
rm -f "$T/size.img"

# ---- --medium: the disc the user asks for, whatever its size; refused when it cannot be that ----
kmsg "--medium"
truncate -s $((1000 * 2048)) "$T/small.img"
for case in "dvd DVD-ROM" "bd BD-ROM" "cd CD-ROM"; do
	read -r m profile <<<"$case"
	put "$T/small.img" --raw --medium "$m"
	assert_eq "$profile 1000" "$(drive_json 0 '"\(.profile) \(.capacity)"')" "1000 sectors with --medium $m"
	assert_eq "$profile" "$(current_profile)" "GET CONFIGURATION current profile with --medium $m"
	assert_eq "medium: $profile" "$(vcdromctl toc --raw --medium "$m" "$T/small.img" | tail -n 1)" \
		"vcdromctl toc --medium $m"
	[ "$m" != dvd ] || { read_dvd_structure 00 && assert_eq 0 "$rc" "READ DVD STRUCTURE 00h, --medium dvd"; }
done
before=$(drive_json 0 '"\(.state) \(.profile) \(.images)"')
truncate -s $((100 * 2352)) "$T/audio.bin"
printf 'FILE "audio.bin" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n' >"$T/audio.cue"
run_split rc vcdromctl insert --drive 0 --replace --medium dvd "$T/audio.cue"
assert_eq 6 "$rc" "insert --medium dvd of an audio CD: exit status"
assert_match 'audio\.cue: cannot be a DVD \(--medium\): only a CD can have audio or mode 2 tracks$' \
	"$out_stderr" "insert --medium dvd of an audio CD"
truncate -s $((449850 * 2048)) "$T/size.img"
run_split rc vcdromctl insert --drive 0 --replace --raw --medium cd "$T/size.img"
assert_eq 6 "$rc" "insert --medium cd of 449850 sectors: exit status"
assert_match 'cannot be a CD \(--medium\): 449850 sectors do not fit on a CD \(at most 449849\)$' \
	"$out_stderr" "insert --medium cd of 449850 sectors"
run_split rc vcdromctl insert --drive 0 --replace --medium dvd+r "$T/small.img"
assert_eq 2 "$rc" "insert --medium dvd+r: exit status (usage)"
assert_match '^vcdromctl: insert: --medium: "dvd\+r" is not cd, dvd or bd$' "$out_stderr" "insert --medium dvd+r"
assert_eq "$before" "$(drive_json 0 '"\(.state) \(.profile) \(.images)"')" "drive 0 after the refused --medium"
rm -f "$T/size.img" "$T/small.img"

# ---- a DVD image with a file system ----
kmsg "UDF DVD image"
make_tree "$T/tree"
make_udf "$T/dvd.udf" "$DVD_SECTORS" "$LABEL" "$T/tree"
assert_eq "$((DVD_SECTORS * 2048))" "$(stat -c %s "$T/dvd.udf")" "size of the UDF image"
run_split rc vcdromctl insert --drive 0 --replace "$T/dvd.udf"
assert_eq 0 "$rc" "vcdromctl insert dvd.udf exit status ($out_stderr)"
assert_eq "$sr" "$out_stdout" "what vcdromctl insert dvd.udf prints"
assert_eq "loaded DVD-ROM $DVD_SECTORS [\"$T/dvd.udf\"]" \
	"$(drive_json 0 '"\(.state) \(.profile) \(.capacity) \(.images)"')" "drive 0 with dvd.udf"
sg_turs "$sg" >/dev/null 2>&1 || true
assert_eq DVD-ROM "$(current_profile)" "GET CONFIGURATION current profile with dvd.udf"
run_rc rc sg_get_config "$sg"
assert_match '^ +profile: DVD-ROM , currentP=1' "$out" "sg_get_config $sg"
assert_match '^ +DVD read feature' "$out" "sg_get_config $sg (features)"

run_rc rc dvd+rw-mediainfo "$sr"
echo "$out"
assert_eq 0 "$rc" "dvd+rw-mediainfo $sr exit status"
assert_match '^ Mounted Media: +10h, DVD-ROM' "$out" "dvd+rw-mediainfo $sr"
assert_match '^ Media Book Type: +00h, DVD-ROM book' "$out" "dvd+rw-mediainfo $sr"
assert_match "^ Legacy lead-out at: +$DVD_SECTORS\\*2KB=$((DVD_SECTORS * 2048))\$" "$out" "dvd+rw-mediainfo $sr"

read_dvd_structure 00
assert_eq 0 "$rc" "READ DVD STRUCTURE 00h:"$'\n'"$out"
data=$(sg_data "$out")
assert_eq 2052 "$(wc -w <<<"$data")" "bytes of READ DVD STRUCTURE 00h"
assert_eq "08 02 00 00 01 02 01 00 00 03 00 00 $(hex32 $((0x30000 + DVD_SECTORS - 1)))" \
	"$(cut -d' ' -f1-16 <<<"$data")" "READ DVD STRUCTURE 00h: header and physical format information"
read_dvd_structure 00 01
assert_eq "Illegal Request / Invalid field in cdb" "$(sense_of "$out")" \
	"READ DVD STRUCTURE 00h for layer 1 of a single-layer disc:"$'\n'"$out"
read_dvd_structure 01
assert_eq 0 "$rc" "READ DVD STRUCTURE 01h:"$'\n'"$out"
assert_eq "00 06 00 00 00 00 00 00" "$(sg_data "$out")" "READ DVD STRUCTURE 01h (copyright: none, all regions)"
read_dvd_structure ff
assert_eq 0 "$rc" "READ DVD STRUCTURE FFh:"$'\n'"$out"
assert_eq "00 12 00 00 00 40 08 04 01 40 00 08 04 40 08 04 ff 40 00 14" "$(sg_data "$out")" \
	"READ DVD STRUCTURE FFh (the list of structures)"

assert_eq "udf $LABEL" "$(blkid -o value -s TYPE "$sr") $(blkid -o value -s LABEL "$sr")" "blkid $sr"
mount_ro "$sr" "$T/mnt"
assert_eq udf "$(findmnt -n -o FSTYPE "$T/mnt")" "file system type of $sr mounted"
diff -r "$T/tree" "$T/mnt" || fail "the files on $sr (UDF) differ from the tree"
umount "$T/mnt"

# The bytes: all of 860 MB takes too long through TCG; the first 8 MiB (the volume structures and, as the
# file system allocates from the start, the files), the last 2 MiB (the anchor and the reserve volume
# descriptors), and 1 MiB at a few places in between.
for range in 0:4096 $((DVD_SECTORS - 1024)):1024 100000:512 205000:512 $((DVD_SECTORS / 2 + 3)):512; do
	from=${range%:*} count=${range#*:}
	want=$(dd if="$T/dvd.udf" bs=2048 skip="$from" count="$count" status=none | sha256sum)
	got=$(dd if="$sr" bs=2048 skip="$from" count="$count" iflag=direct status=none | sha256sum) ||
		fail "cannot read $count sectors at $from from $sr"
	assert_eq "$want" "$got" "sha256 of sectors $from-$((from + count - 1)) of $sr against the image"
done

# ---- structures the image stores (an Alcohol DVD's), sent as a raw layout: answered as stored ----
kmsg "stored DVD structures"
python3 - "$T" "$DVD_SECTORS" <<'EOF'
import json, os, sys
t, n = sys.argv[1], int(sys.argv[2])
blobs = {"dvd_physical": os.urandom(2 * 2048), "dvd_copyright": bytes([1, 0xfe, 0, 0]),
         "dvd_manufacturer": os.urandom(2048), "dvd_bca": os.urandom(64)}
for k, v in blobs.items():
    open(os.path.join(t, k), "wb").write(v)
layout = {"medium": "dvd", "files": ["dvd.udf"],
          "sessions": [{"tracks": [{"number": 1, "mode": "mode1", "start": 0, "extents": [
              {"start": 0, "length": n, "format": "cooked_2048", "file": 0, "offset": 0}]}]}]}
layout.update({k: v.hex() for k, v in blobs.items()})
json.dump(layout, open(os.path.join(t, "dvd.json"), "w"))
for bad, what in (({"medium": "cd"}, "cd"), ({"dvd_physical": "00" * 100}, "short"),
                  ({"dvd_bca": ""}, "emptybca")):
    json.dump(dict(layout, **bad), open(os.path.join(t, "dvd-" + what + ".json"), "w"))
del layout["dvd_bca"]
json.dump(layout, open(os.path.join(t, "dvd-nobca.json"), "w"))
EOF
vcdrom_nl() { python3 "$(dirname "$0")/vcdrom_nl.py" "$@"; }
vcdrom_nl insert 0 "$T/dvd.json" --replace || fail "insert of a DVD layout with stored structures"
sg_turs "$sg" >/dev/null 2>&1 || true
# stored_is FORMAT LAYER FILE: READ DVD STRUCTURE FORMAT of LAYER returns FILE's bytes after the header.
stored_is() {
	run_rc rc sg_raw -r 4100 -o "$T/got" "$sg" ad 00 00 00 00 00 "$2" "$1" 10 04 00 00
	assert_eq 0 "$rc" "READ DVD STRUCTURE $1h, layer $2, of stored structures: $out"
	tail -c +5 "$T/got" >"$T/got.data"
	cmp "$3" "$T/got.data" || fail "READ DVD STRUCTURE $1h, layer $2: not the bytes stored ($3)"
	assert_eq "$(printf '%04x' $(($(stat -c %s "$3") + 2)))" "$(head -c 2 "$T/got" | od -An -tx1 | tr -d ' \n')" \
		"READ DVD STRUCTURE $1h, layer $2: its data length"
}
head -c 2048 "$T/dvd_physical" >"$T/phys0"
tail -c 2048 "$T/dvd_physical" >"$T/phys1"
stored_is 00 00 "$T/phys0"
stored_is 00 01 "$T/phys1"
stored_is 01 00 "$T/dvd_copyright"
stored_is 03 00 "$T/dvd_bca"
stored_is 04 00 "$T/dvd_manufacturer"
read_dvd_structure 00 02
assert_eq "Illegal Request / Invalid field in cdb" "$(sense_of "$out")" "READ DVD STRUCTURE 00h, layer 2 of 2"
read_dvd_structure ff
assert_eq "00 16 00 00 00 40 08 04 01 40 00 08 03 40 00 44 04 40 08 04 ff 40 00 18" "$(sg_data "$out")" \
	"READ DVD STRUCTURE FFh with a BCA stored"
vcdrom_nl insert 0 "$T/dvd-nobca.json" --replace || fail "insert of a DVD layout without a BCA"
sg_turs "$sg" >/dev/null 2>&1 || true
read_dvd_structure 03
assert_eq "Illegal Request / Invalid field in cdb" "$(sense_of "$out")" "READ DVD STRUCTURE 03h without a BCA"
read_dvd_structure ff
assert_eq "00 12 00 00 00 40 08 04 01 40 00 08 04 40 08 04 ff 40 00 14" "$(sg_data "$out")" \
	"READ DVD STRUCTURE FFh without a BCA"
for bad in "cd:not a DVD" "short:is not 2048 bytes a layer" "emptybca:empty DVD BCA"; do
	run_rc rc vcdrom_nl insert 0 "$T/dvd-${bad%%:*}.json" --replace
	assert_eq 1 "$rc" "insert of DVD structures (${bad%%:*}): exit status"
	assert_match "EINVAL: .*${bad#*:}" "$out" "insert of DVD structures refused (${bad%%:*})"
done

# ---- a CD: no DVD structures ----
kmsg "CD image"
make_iso "$T/tree" "$T/cd.iso" VCDROM_CD
put "$T/cd.iso"
assert_eq CD-ROM "$(current_profile)" "GET CONFIGURATION current profile with cd.iso"
for format in 00 01 ff; do
	read_dvd_structure "$format"
	assert_ne 0 "$rc" "READ DVD STRUCTURE $format on a CD: exit status"
	assert_eq "Illegal Request / Cannot read medium - incompatible format" "$(sense_of "$out")" \
		"READ DVD STRUCTURE $format on a CD:"$'\n'"$out"
done
run_rc rc dvd+rw-mediainfo "$sr"
assert_ne 0 "$rc" "dvd+rw-mediainfo on a CD: exit status"
assert_match 'non-DVD media' "$out" "dvd+rw-mediainfo on a CD"
