# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # DISC_* are for the tests; rc and out* come from lib.sh
#
# CD images for the CUE/BIN tests, made from Debian tools (sox, xorriso) and the tests' own sector encoder
# (cdsector.c): source it after lib.sh. Every maker writes into a directory of its own and records the disc it
# made as the layout it implies, for the tests' oracles:
#   DISC_CUE			the cue sheet
#   DISC_TRACKS			track numbers, in order
#   DISC_MODE[n]		AUDIO, MODE1/2352 or MODE2/2352
#   DISC_START[n]		LBA of index 1
#   DISC_INDEX0[n]		LBA of index 0 (= DISC_START[n] without a pregap)
#   DISC_SESSION[n]		session number
#   DISC_LEADOUT[s]		LBA of session s's lead-out (where its last track ends)
#   DISC_SESSIONS		number of sessions
#   DISC_ISRC[n], DISC_MCN	as in the sheet (empty when none)
#   DISC_EXTENTS		"LBA COUNT FILE OFFSET" lines: where each stored run of sectors is
# The layout rules are the loader's: LBA 0 is the first sector of the first FILE's first track; PREGAP adds
# unstored sectors before a track's stored ones; after a session there is a gap of 11250 unstored sectors
# (its lead-out and the next lead-in) before the next session's first sector.

SESSION_GAP=11250

# The shared corpora of third-party images, when this checkout has them beside it: its path, or nothing.
corpora_dir() {
	local d
	for d in "$REPO_DIR/../shared/corpora" /work/shared/corpora; do
		[ -d "$d" ] && { (cd "$d" && pwd -P); return 0; }
	done
	return 0
}

cdsector() {
	"$(test_bin cdsector)" "$@"
}

# msf FRAMES: MM:SS:FF.
msf() {
	printf '%02d:%02d:%02d' $(($1 / 4500)) $(($1 / 75 % 60)) $(($1 % 75))
}

# make_tone FILE SECTORS SYNTH...: SECTORS sectors of CD audio (44.1 kHz, 2 channels, 16-bit little-endian;
# --be: big-endian) from sox's synth effect with SYNTH (e.g. "sine 440", "square 330 sine 550", "pinknoise").
make_tone() {
	local file=$1 sectors=$2 enc=-L
	shift 2
	if [ "$1" = --be ]; then
		enc=-B
		shift
	fi
	need_cmd sox
	sox -D -r 44100 -c 2 -n -b 16 -e signed "$enc" -t raw "$file" synth $((sectors * 588))s "$@" vol 0.5 \
		>"$T/sox.log" 2>&1 || fail "sox could not make $file ($*):"$'\n'"$(cat "$T/sox.log")"
	[ "$(stat -c %s "$file")" -eq $((sectors * 2352)) ] ||
		fail "sox made $(stat -c %s "$file") bytes in $file, not $((sectors * 2352))"
}

# ---- the layout being made ----

disc_reset() {
	DISC_CUE=
	DISC_TRACKS=()
	DISC_MODE=()
	DISC_START=()
	DISC_INDEX0=()
	DISC_SESSION=()
	DISC_ISRC=()
	DISC_FLAGS=()
	DISC_LEADOUT=()
	DISC_SESSIONS=1
	DISC_MCN=
	DISC_EXTENTS=
}

# disc_track N MODE SESSION INDEX0 START [ISRC [FLAGS]]
disc_track() {
	DISC_TRACKS+=("$1")
	DISC_MODE[$1]=$2
	DISC_SESSION[$1]=$3
	DISC_INDEX0[$1]=$4
	DISC_START[$1]=$5
	DISC_ISRC[$1]=${6:-}
	DISC_FLAGS[$1]=${7:-}
	[ "$3" -le "$DISC_SESSIONS" ] || DISC_SESSIONS=$3
}

# disc_extent LBA COUNT FILE OFFSET: COUNT sectors from LBA on are stored in FILE from byte OFFSET (2352 each).
disc_extent() {
	DISC_EXTENTS+="$1 $2 $3 $4"$'\n'
}

# track_end N: the LBA after track N as a ripper sees it: the next track's index 1 in the same session (its
# pregap belongs to N), or N's session lead-out.
track_end() {
	local i next=
	for i in "${!DISC_TRACKS[@]}"; do
		if [ "${DISC_TRACKS[i]}" = "$1" ]; then
			next=${DISC_TRACKS[i + 1]:-}
			break
		fi
	done
	if [ -n "$next" ] && [ "${DISC_SESSION[next]}" = "${DISC_SESSION[$1]}" ]; then
		echo "${DISC_START[next]}"
	else
		echo "${DISC_LEADOUT[${DISC_SESSION[$1]}]}"
	fi
}

# disc_bytes LBA COUNT OUT: the 2352-byte sectors LBA..LBA+COUNT-1 as stored, zeros where nothing is stored
# (silence in an audio track; not what a data track reads there).
disc_bytes() {
	local lba=$1 count=$2 out=$3 e_lba e_count e_file e_off from to
	: >"$out"
	truncate -s $((count * 2352)) "$out"
	while read -r e_lba e_count e_file e_off; do
		[ -n "$e_lba" ] || continue
		from=$((lba > e_lba ? lba : e_lba))
		to=$((lba + count < e_lba + e_count ? lba + count : e_lba + e_count))
		[ "$from" -lt "$to" ] || continue
		dd if="$e_file" of="$out" bs=2352 iflag=skip_bytes skip=$((e_off + (from - e_lba) * 2352)) \
			seek=$((from - lba)) count=$((to - from)) conv=notrunc status=none ||
			fail "dd from $e_file"
	done <<<"$DISC_EXTENTS"
}

# cddb_id: the freedb disc id of the layout (all sessions' tracks, the last session's lead-out), as cd-discid
# prints it: "id ntracks offset... seconds".
cddb_id() {
	local n=0 t s digits sum=0 offsets=() first last lead
	for t in "${DISC_TRACKS[@]}"; do
		s=$(((DISC_START[t] + 150) / 75))
		digits=0
		while [ "$s" -gt 0 ]; do
			digits=$((digits + s % 10))
			s=$((s / 10))
		done
		sum=$((sum + digits))
		offsets+=($((DISC_START[t] + 150)))
		n=$((n + 1))
	done
	first=$(((DISC_START[DISC_TRACKS[0]] + 150) / 75))
	lead=$((DISC_LEADOUT[DISC_SESSIONS] + 150))
	last=$((lead / 75))
	printf '%08x %d %s %d\n' $(((sum % 255) << 24 | (last - first) << 8 | n)) "$n" "${offsets[*]}" "$last"
}

# encode_data MODE LBA IN OUT: 2048-byte sectors from IN as raw sectors (cdsector's modes: 1, 2form1, 2form2).
encode_data() {
	"$(test_bin cdsector)" encode --mode "$1" --lba "$2" "$3" "$4" || fail "cdsector encode --mode $1 $3"
}

# ---- the discs ----

# make_mixed_disc DIR: one BIN, CATALOG and CD-TEXT (disc and tracks):
#   1 MODE1/2352 an ISO of a tree (DIR/tree, label VCDROM_MIXED), TITLE
#   2 AUDIO  INDEX 00 (150 sectors of a tone) INDEX 01, INDEX 02 half way; FLAGS DCP, ISRC
#   3 AUDIO  PREGAP 00:02:00 (not stored) INDEX 01; FLAGS DCP PRE, ISRC
#   4 AUDIO  INDEX 00 (75 sectors of noise) INDEX 01
make_mixed_disc() {
	local d=$1 data a2 a3 a4
	disc_reset
	mkdir -p "$d"
	make_tree "$d/tree"
	make_iso "$d/tree" "$d/data.iso" VCDROM_MIXED
	data=$(sectors_of "$d/data.iso")
	encode_data 1 0 "$d/data.iso" "$d/t1.raw"
	make_tone "$d/p2.raw" 150 sine 220
	make_tone "$d/t2.raw" 300 sine 440 sine 445
	make_tone "$d/t3.raw" 375 square 330
	make_tone "$d/p4.raw" 75 whitenoise
	make_tone "$d/t4.raw" 300 pinknoise
	cat "$d/t1.raw" "$d/p2.raw" "$d/t2.raw" "$d/t3.raw" "$d/p4.raw" "$d/t4.raw" >"$d/mixed.bin"
	# file sectors: t1 0, p2 data, t2 data+150, t3 data+450, p4 data+825, t4 data+900; LBAs after
	# track 3's PREGAP are 150 further on
	a2=$((data + 150)) a3=$((data + 450)) a4=$((data + 900))
	DISC_MCN=0123456789012
	disc_track 1 MODE1/2352 1 0 0
	disc_track 2 AUDIO 1 "$data" "$a2" USVCD2600002 DCP
	disc_track 3 AUDIO 1 "$a3" $((a3 + 150)) USVCD2600003 "DCP PRE"
	disc_track 4 AUDIO 1 $((data + 825 + 150)) $((a4 + 150))
	DISC_LEADOUT[1]=$((a4 + 300 + 150))
	DISC_INDEX2=$((a2 + 150))
	disc_extent 0 "$a3" "$d/mixed.bin" 0
	disc_extent $((a3 + 150)) $((375 + 75 + 300)) "$d/mixed.bin" $((a3 * 2352))
	DISC_CUE=$d/mixed.cue
	cat >"$DISC_CUE" <<-CUE
	CATALOG $DISC_MCN
	TITLE "vcdrom mixed disc"
	PERFORMER "vcdrom tests"
	FILE "mixed.bin" BINARY
	  TRACK 01 MODE1/2352
	    TITLE "Data track"
	    PERFORMER "xorriso"
	    INDEX 01 00:00:00
	  TRACK 02 AUDIO
	    TITLE "Sine 440"
	    PERFORMER "Oscillator A"
	    FLAGS DCP
	    ISRC USVCD2600002
	    INDEX 00 $(msf "$data")
	    INDEX 01 $(msf "$a2")
	    INDEX 02 $(msf $((a2 + 150)))
	  TRACK 03 AUDIO
	    TITLE "Square 330"
	    PERFORMER "Oscillator B"
	    FLAGS DCP PRE
	    ISRC USVCD2600003
	    PREGAP 00:02:00
	    INDEX 01 $(msf "$a3")
	  TRACK 04 AUDIO
	    TITLE "Pink noise"
	    PERFORMER "Oscillator C"
	    INDEX 00 $(msf $((data + 825)))
	    INDEX 01 $(msf "$a4")
	CUE
}

# make_audio_disc DIR: audio only, one BIN per track, no CATALOG:
#   1 t1.bin  INDEX 01 00:00:00, 300 sectors
#   2 t2.bin  INDEX 00 00:00:00, INDEX 01 00:01:00 (75 sectors of pregap at the start of its own file), 300;
#             FLAGS DCP
#   3 t3.bin  PREGAP 00:01:00 (not stored), INDEX 01 00:00:00, 375
#   4 t4.bin  INDEX 01 00:00:00, 318 (not a whole number of seconds); FLAGS 4CH
make_audio_disc() {
	local d=$1 s2 s3 s4
	disc_reset
	mkdir -p "$d"
	make_tone "$d/t1.bin" 300 sine 261.63 sine 329.63
	make_tone "$d/p2.raw" 75 sine 110
	make_tone "$d/m2.raw" 300 sawtooth 392
	cat "$d/p2.raw" "$d/m2.raw" >"$d/t2.bin"
	make_tone "$d/t3.bin" 375 triangle 523.25 brownnoise
	make_tone "$d/t4.bin" 318 pinknoise sine 1000
	s2=$((300 + 75)) s3=$((300 + 375 + 75)) s4=$((300 + 375 + 75 + 375))
	disc_track 1 AUDIO 1 0 0
	disc_track 2 AUDIO 1 300 "$s2" "" DCP
	disc_track 3 AUDIO 1 $((s3 - 75)) "$s3"
	disc_track 4 AUDIO 1 "$s4" "$s4" "" 4CH
	DISC_LEADOUT[1]=$((s4 + 318))
	disc_extent 0 300 "$d/t1.bin" 0
	disc_extent 300 375 "$d/t2.bin" 0
	disc_extent "$s3" 375 "$d/t3.bin" 0
	disc_extent "$s4" 318 "$d/t4.bin" 0
	DISC_CUE=$d/audio.cue
	cat >"$DISC_CUE" <<-CUE
	REM GENRE "Test"
	REM COMMENT "vcdrom: audio, one BIN per track"
	PERFORMER "vcdrom tests"
	TITLE "vcdrom audio disc"
	FILE "t1.bin" BINARY
	  TRACK 01 AUDIO
	    INDEX 01 00:00:00
	FILE "t2.bin" BINARY
	  TRACK 02 AUDIO
	    FLAGS DCP
	    INDEX 00 00:00:00
	    INDEX 01 00:01:00
	FILE "t3.bin" BINARY
	  TRACK 03 AUDIO
	    PREGAP 00:01:00
	    INDEX 01 00:00:00
	FILE "t4.bin" BINARY
	  TRACK 04 AUDIO
	    FLAGS 4CH
	    INDEX 01 00:00:00
	CUE
}

# make_xa_disc DIR: one BIN of MODE2/2352 sectors (CD-ROM XA, like a Video CD):
#   1 an ISO of a tree (DIR/tree, label VCDROM_XA) in form 1 sectors (submode data)
#   2 INDEX 00: 150 sectors of zeroed form 2 sectors, INDEX 01: 300 form 2 sectors of random data (submode
#     form 2 | video | real time, 62h)
make_xa_disc() {
	local d=$1 data
	disc_reset
	mkdir -p "$d"
	make_tree "$d/tree"
	make_iso "$d/tree" "$d/data.iso" VCDROM_XA
	data=$(sectors_of "$d/data.iso")
	encode_data 2form1 0 "$d/data.iso" "$d/t1.raw"
	"$(test_bin cdsector)" encode --mode 2form2 --lba "$data" --sectors 150 - "$d/p2.raw" ||
		fail "cdsector encode of the pregap"
	head -c $((300 * 2324)) /dev/urandom >"$d/t2.user"
	"$(test_bin cdsector)" encode --mode 2form2 --submode 0x62 --lba $((data + 150)) "$d/t2.user" "$d/t2.raw" ||
		fail "cdsector encode of track 2"
	cat "$d/t1.raw" "$d/p2.raw" "$d/t2.raw" >"$d/xa.bin"
	disc_track 1 MODE2/2352 1 0 0
	disc_track 2 MODE2/2352 1 "$data" $((data + 150))
	DISC_LEADOUT[1]=$((data + 450))
	disc_extent 0 $((data + 450)) "$d/xa.bin" 0
	DISC_CUE=$d/xa.cue
	cat >"$DISC_CUE" <<-CUE
	FILE "xa.bin" BINARY
	  TRACK 01 MODE2/2352
	    INDEX 01 00:00:00
	  TRACK 02 MODE2/2352
	    INDEX 00 $(msf "$data")
	    INDEX 01 $(msf $((data + 150)))
	CUE
}

# make_sessions_disc DIR: two sessions, a BIN each (CD-Extra / Enhanced CD):
#   session 1: audio.bin  1 AUDIO 300 sectors; 2 AUDIO INDEX 00 (75) INDEX 01 300
#   session 2: data.bin   3 MODE1/2352 INDEX 00 (150 zeroed sectors) INDEX 01: an ISO of DIR/tree2 (label
#              VCDROM_SESSION2) built for its place on the disc: session 1's end + 11250 + 150
make_sessions_disc() {
	local d=$1 end1 i0 start data
	disc_reset
	mkdir -p "$d" "$d/tree2/second session"
	make_tone "$d/t1.raw" 300 sine 880
	make_tone "$d/p2.raw" 75 whitenoise
	make_tone "$d/t2.raw" 300 square 220 sine 660
	cat "$d/t1.raw" "$d/p2.raw" "$d/t2.raw" >"$d/audio.bin"
	end1=675
	i0=$((end1 + SESSION_GAP))
	start=$((i0 + 150))
	printf 'in the second session\n' >"$d/tree2/second session/hello.txt"
	head -c 123456 /dev/urandom >"$d/tree2/random.bin"
	seq 1 20000 >"$d/tree2/numbers.txt"
	need_cmd xorriso
	xorriso -as mkisofs -R -J -V VCDROM_SESSION2 -C "0,$start" -o "$d/data.iso" "$d/tree2" >"$T/xorriso.log" 2>&1 ||
		fail "xorriso -C 0,$start:"$'\n'"$(cat "$T/xorriso.log")"
	data=$(sectors_of "$d/data.iso")
	"$(test_bin cdsector)" encode --mode 1 --lba "$i0" --sectors 150 - "$d/p3.raw" ||
		fail "cdsector encode of the pregap"
	encode_data 1 "$start" "$d/data.iso" "$d/t3.raw"
	cat "$d/p3.raw" "$d/t3.raw" >"$d/data.bin"
	disc_track 1 AUDIO 1 0 0
	disc_track 2 AUDIO 1 300 375
	disc_track 3 MODE1/2352 2 "$i0" "$start"
	DISC_LEADOUT[1]=$end1
	DISC_LEADOUT[2]=$((start + data))
	DISC_ISO_SECTORS=$data
	disc_extent 0 "$end1" "$d/audio.bin" 0
	disc_extent "$i0" $((150 + data)) "$d/data.bin" 0
	DISC_CUE=$d/sessions.cue
	cat >"$DISC_CUE" <<-CUE
	REM SESSION 01
	FILE "audio.bin" BINARY
	  TRACK 01 AUDIO
	    INDEX 01 00:00:00
	  TRACK 02 AUDIO
	    INDEX 00 00:04:00
	    INDEX 01 00:05:00
	REM SESSION 02
	FILE "data.bin" BINARY
	  TRACK 03 MODE1/2352
	    INDEX 00 00:00:00
	    INDEX 01 00:02:00
	CUE
}

# ---- oracles on the drive ----

# cd_insert CUE: `vcdromctl insert [--replace] CUE` must succeed and print the drive's node.
cd_insert() {
	local sr
	sr=$(vcdrom_srdevs | head -n 1)
	run_split rc vcdromctl insert "$@"
	assert_eq 0 "$rc" "vcdromctl insert $* exit status (stderr: $out_stderr)"
	assert_eq "$sr" "$out_stdout" "what vcdromctl insert $* prints"
	sg_turs "$(vcdrom_sg_of "$sr")" >/dev/null 2>&1 || true	# the insert's unit attention
}

# check_iso_image IMAGE ISO TREE: drive 0 holding IMAGE (a data disc made from ISO, whose files are TREE)
# reads ISO's bytes from its start and mounts as TREE; ejected after.
check_iso_image() {
	local image=$1 iso=$2 tree=$3 sr mnt=$T/mnt.check
	sr=$(vcdrom_srdevs | head -n 1)
	cd_insert --drive 0 "$image"
	sg_ready "$(vcdrom_sg_of "$sr")"
	cmp <(head -c "$(stat -c %s "$iso")" "$sr") "$iso" ||
		fail "the drive holding $image reads other bytes than $iso"
	mount_ro "$sr" "$mnt"
	diff -r "$tree" "$mnt" || fail "the files on $sr ($image) differ from $tree"
	umount "$mnt"
	vcdromctl eject 0 || fail "vcdromctl eject 0"
}

# insert_refused IMAGE NAMED WHAT: `vcdromctl insert --drive 0 --replace IMAGE` fails, its message
# names NAMED (an extended regular expression), and drive 0 is as it was.
insert_refused() {
	local before
	before=$(drive_json 0 '"\(.state) \(.images)"')
	run_split rc vcdromctl insert --drive 0 --replace "$1"
	assert_ne 0 "$rc" "insert of $3"
	assert_match "$2" "$out_stderr" "the refusal of $3 names $2"
	assert_eq "$before" "$(drive_json 0 '"\(.state) \(.images)"')" "drive 0 after the refused $3: as it was"
}

# cdinfo ARGS...: cd-info's report on a cue file or a drive, without what depends on the host.
# Two things that libcdio reports differently for any Linux drive, not only ours, are evened out: its "Green?"
# column there is the track's copy bit (CDROMREADTOCENTRY has no XA flag), so it becomes "-" everywhere; and
# sr's CDROM_GET_MCN hands over the sub-channel's MCN bytes even when MCVal says there is none, which libcdio
# prints as an empty MCN: that reads "not available", as for a sheet without CATALOG.
cdinfo() {
	local o rc=0
	o=$(TZ=CUT cd-info --no-header --quiet --no-device-info --no-cddb "$@" 2>&1) || rc=$?
	sed -E 's/^( *[0-9]{1,3}: [0-9:]{8} +[0-9]{6} +[A-Za-z]+ +)(true|false)( +|$)/\1- /
		s/^(Media Catalog Number \(MCN\): )$/\1not available/' <<<"$o"
	return "$rc"
}

# cdinfo_tracks OUTPUT: the track list as "N TYPE GREEN COPY CHANNELS PREEMPHASIS" lines (positions left out),
# "leadout" for 170.
cdinfo_tracks() {
	sed -n 's/^ *\([0-9]\{1,3\}\): [0-9:]\{8\} *[0-9]\{6\} \(.*\)$/\1 \2/p' <<<"$1" |
		sed 's/leadout.*/leadout/; s/  */ /g; s/ $//'
}

# cdinfo_lsns OUTPUT: "N LSN" for each track and the lead-out (170), the LSN without leading zeros.
cdinfo_lsns() {
	sed -n 's/^ *\([0-9]\{1,3\}\): [0-9:]\{8\} *0*\([0-9][0-9]*\) .*$/\1 \2/p' <<<"$1"
}

# cdinfo_cdtext OUTPUT: the CD-TEXT sections ("CD-TEXT for ..." and their tab-indented fields).
cdinfo_cdtext() {
	sed -n '/^CD-TEXT for/p; /^\t[A-Z_]*: /p' <<<"$1"
}

# expected_lsns [SHIFT_FROM SHIFT]: "N LSN" lines the layout implies (index 1 of each track, then "170
# LEADOUT" of the last session); with SHIFT_FROM, tracks from that number on and the lead-out are SHIFT less
# (libcdio's reading of a cue sheet leaves out PREGAP).
expected_lsns() {
	local t from=${1:-1000} shift=${2:-0} s
	for t in "${DISC_TRACKS[@]}"; do
		s=${DISC_START[t]}
		[ "$t" -lt "$from" ] || s=$((s - shift))
		echo "$t $s"
	done
	s=${DISC_LEADOUT[$DISC_SESSIONS]}
	[ "$from" -eq 1000 ] || s=$((s - shift))
	echo "170 $s"
}

# check_cdinfo_drive SR: cd-info -C on the drive: the track list's positions are the layout's; MCN and each
# audio track's ISRC are the sheet's.
check_cdinfo_drive() {
	local t
	run_rc rc cdinfo -C "$1"
	drive_info=$out
	echo "$out" | sed -n '/^Disc mode/,/^audio status/p'
	assert_eq 0 "$rc" "cd-info -C $1 exit status"
	assert_eq "$(expected_lsns)" "$(cdinfo_lsns "$out")" "cd-info -C $1: track and lead-out LSNs"
	if [ -n "$DISC_MCN" ]; then
		assert_match "^Media Catalog Number \(MCN\): $DISC_MCN\$" "$out" "cd-info -C $1: MCN"
	else
		assert_no_match "^Media Catalog Number \(MCN\): [0-9]" "$out" "cd-info -C $1: no MCN"
	fi
	for t in "${DISC_TRACKS[@]}"; do
		[ "${DISC_MODE[t]}" = AUDIO ] || continue
		if [ -n "${DISC_ISRC[t]}" ]; then
			assert_match "^TRACK +$t ISRC: ${DISC_ISRC[t]}\$" "$out" "cd-info -C $1: track $t's ISRC"
		else
			assert_no_match "^TRACK +$t ISRC: [A-Z0-9]" "$out" "cd-info -C $1: track $t has no ISRC"
		fi
	done
}

# shellcheck disable=SC2120 # SHIFT_FROM and SHIFT are optional
# check_cdinfo_cue_vs_drive SHIFT_FROM SHIFT: cd-info on the cue sheet (one BIN named like it) agrees with the
# drive (check_cdinfo_drive ran first) on the track types and flags, MCN and CD-TEXT (not on the disc mode:
# libcdio finds it differently for a device, through a full TOC or CDROM_DISC_STATUS); its
# positions are the layout's as libcdio reads a sheet (PREGAP left out from track SHIFT_FROM on).
check_cdinfo_cue_vs_drive() {
	local cue_info
	cue_info=$(cdinfo --cue-file "$DISC_CUE") || fail "cd-info --cue-file $DISC_CUE: $cue_info"
	assert_eq "$(expected_lsns "$@")" "$(cdinfo_lsns "$cue_info")" "cd-info --cue-file: track and lead-out LSNs"
	# Linux's CDROMREADTOCENTRY carries no XA flag: through the kernel a mode 2 track is "data", not green
	assert_eq "$(cdinfo_tracks "$cue_info" | sed 's/ XA - / data - /')" \
		"$(cdinfo_tracks "$drive_info")" \
		"track types, copy, channels, pre-emphasis: cue sheet against drive"
	assert_eq "$(grep '^Media Catalog' <<<"$cue_info")" "$(grep '^Media Catalog' <<<"$drive_info")" \
		"MCN: cue sheet against drive"
	assert_eq "$(cdinfo_cdtext "$cue_info")" "$(cdinfo_cdtext "$drive_info")" "CD-TEXT: cue sheet against drive"
}

# check_rips SR: cdparanoia rips every audio track bit for bit as the layout stores it (from index 1 to the
# next track's index 1, or the session's lead-out; silence where nothing is stored).
check_rips() {
	local t start end
	for t in "${DISC_TRACKS[@]}"; do
		[ "${DISC_MODE[t]}" = AUDIO ] || continue
		start=${DISC_START[t]}
		end=$(track_end "$t")
		rm -f "$T/rip.raw"
		run_rc rc cdparanoia -q -d "$1" -r "$t" "$T/rip.raw"
		assert_eq 0 "$rc" "cdparanoia -d $1 -r $t exit status: $out"
		disc_bytes "$start" $((end - start)) "$T/want.raw"
		assert_eq "$(stat -c %s "$T/want.raw")" "$(stat -c %s "$T/rip.raw")" \
			"size of track $t ripped by cdparanoia (LBA $start to $end)"
		cmp "$T/want.raw" "$T/rip.raw" || fail "track $t ripped by cdparanoia differs from the BIN's bytes"
		log "track $t: cdparanoia rips LBA $start-$((end - 1)) bit for bit"
	done
}

# check_discid SR: cd-discid gives the id the layout implies.
check_discid() {
	run_rc rc cd-discid "$1"
	assert_eq 0 "$rc" "cd-discid $1 exit status: $out"
	assert_eq "$(cddb_id)" "$out" "cd-discid $1"
}

lba_bytes() {
	printf '%02x %02x %02x %02x' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255))
}

# read_cd SG LBA COUNT OUT: READ CD of COUNT sectors, everything from sync to EDC/ECC (or all 2352 audio bytes).
read_cd() {
	# shellcheck disable=SC2046 # the CDB bytes are words
	run_rc rc sg_raw -r $(($3 * 2352)) -o "$4" "$1" be 00 $(lba_bytes "$2") 00 00 "$(printf %02x "$3")" f8 00 00
	assert_eq 0 "$rc" "READ CD of $3 sector(s) at LBA $2: $out"
	assert_eq $(($3 * 2352)) "$(stat -c %s "$4")" "bytes READ CD returned for $3 sector(s) at LBA $2"
}

# check_read_cd SG LBA [COUNT]: READ CD returns exactly the stored bytes (zeros where nothing is stored).
check_read_cd() {
	local n=${3:-1}
	read_cd "$1" "$2" "$n" "$T/readcd.bin"
	disc_bytes "$2" "$n" "$T/readcd.want"
	cmp "$T/readcd.want" "$T/readcd.bin" || fail "READ CD of $n sector(s) at LBA $2 differs from the stored bytes"
}

# check_raw_synth SG LBA COUNT COOKED: READ CD of sectors stored as user data only: each is a good raw sector
# at its LBA (cdsector verify: sync, header, EDC, ECC), and their user data is COOKED's (2048 bytes each).
check_raw_synth() {
	read_cd "$1" "$2" "$3" "$T/synth.bin"
	run_rc rc cdsector verify --lba "$2" "$T/synth.bin"
	assert_eq 0 "$rc" "cdsector verify of READ CD of $3 sector(s) from LBA $2: $out"
	cdsector cook "$T/synth.bin" "$T/synth.cooked" || fail "cdsector cook"
	cmp "$4" "$T/synth.cooked" || fail "user data of READ CD from LBA $2 differs from the image"
}

# cdrdao_toc_lines TOC_OR_CUE: what `cdrdao show-toc` says about the layout, modes as cdrdao read-toc names
# them from a drive (MODE1_RAW is MODE1, every mode 2 is MODE2), positions, flags, ISRC, catalog.
cdrdao_toc_lines() {
	(cd "$(dirname "$1")" && cdrdao show-toc "$(basename "$1")" 2>&1) |
		grep -E '^(TOC TYPE|CATALOG)|^TRACK|^ +(COPY|NO PRE|PRE-|TWO|FOUR|ISRC|PREGAP|START|END|INDEX)' |
		sed -E 's/MODE1_RAW/MODE1/; s/MODE2[A-Z0-9_]*/MODE2/; s/ +$//'
}

# check_cdrdao SG [starts]: `cdrdao read-toc` on the drive agrees with `cdrdao show-toc` of the sheet (INDEX 02
# and later left out of the sheet cdrdao reads: it misplaces them); returns the drive's show-toc in
# $cdrdao_drive. With "starts", only the TOC type, the track modes and where each track starts are compared:
# cdrdao looks for index 0 of audio tracks only, and counts a data track's pregap into the track before it.
check_cdrdao() {
	local only='.'
	[ "${2:-}" != starts ] || only='^(TOC TYPE|TRACK)|^ +START'

	sed '/^ *INDEX 0[2-9]/d; /^ *INDEX [1-9][0-9]/d' "$DISC_CUE" >"${DISC_CUE%.cue}.cdrdao.cue"
	rm -f "$T/drive.toc"
	run_rc rc cdrdao read-toc --device "$1" --datafile "$T/drive.bin" "$T/drive.toc"
	# show-toc wants the data file the toc names to exist and be long enough
	truncate -s $(((DISC_LEADOUT[DISC_SESSIONS] + 1000) * 2352)) "$T/drive.bin"
	assert_eq 0 "$rc" "cdrdao read-toc --device $1 exit status: $out"
	cdrdao_drive=$(cdrdao_toc_lines "$T/drive.toc")
	echo "$cdrdao_drive"
	assert_eq "$(cdrdao_toc_lines "${DISC_CUE%.cue}.cdrdao.cue" | grep -v '^ *INDEX' | grep -E "$only")" \
		"$(grep -v '^ *INDEX' <<<"$cdrdao_drive" | grep -E "$only")" "cdrdao show-toc of the sheet against read-toc of $1"
}
