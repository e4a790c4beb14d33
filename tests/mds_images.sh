#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Alcohol 120% MDS 1.x images, inserted and read back against their own bytes and others' converters:
# - same_disc.py's discs "one" and "two" as MDS (audio stored with its sub-channel, 2448 bytes a sector;
#   data raw; pregaps not stored): the drive's full TOC holds each track block's entry byte for byte, and
#   READ CD of every stored sector returns the .mdf's bytes, the audio's raw P-W as stored;
# - an ISO 9660 image written as an MDS of mode 1 raw sectors: mdf2iso and iat (converters we did not
#   write) turn the .mdf back into the ISO, and the drive holding the MDS reads the ISO's bytes and mounts it;
# - a DVD MDS (fuzz_mds's seed, its structures and BCA filled with random bytes): a DVD-ROM whose READ
#   DISC STRUCTURE answers formats 00h, 01h, 03h and 04h with the bytes the .mds stores, and whose
#   sectors are the .mdf's; `vcdromctl toc` shows the DPM block added to it (plain and --json);
# - an MDS whose .mdf is gone: refused naming it, the drive as it was.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

need_root
need_vcdromctl
need_cmd jq python3 sg_raw sg_turs mdf2iso iat
cdsector=$(test_bin cdsector)

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)

# ---- same_disc.py's discs: every stored sector as the .mdf holds it ----
for variant in one two; do
	d=$T/$variant
	kmsg "disc $variant as MDS"
	python3 "$TESTS_DIR/same_disc.py" write "$cdsector" "$d" "$variant" || fail "same_disc.py write $variant"
	cd_insert "$d/disc.mds"
	sg_ready "$sg"
	python3 - "$TESTS_DIR" "$sg" "$d" <<'EOF' || fail "disc $variant: READ CD against disc.mdf"
import importlib.util, json, os, struct, sys
spec = importlib.util.spec_from_file_location("read_cd", os.path.join(sys.argv[1], "read_cd.py"))
rc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rc)
drv = rc.Drive.__new__(rc.Drive)
drv.fd = os.open(sys.argv[2], os.O_RDWR)
d = sys.argv[3]
# the full TOC (READ TOC format 2) against the .mds: each track block holds a full-TOC entry (ADR/control,
# TNO, point, ATIME, zero, PTIME) after its mode and sub-channel bytes, in its session block's order
mds = open(os.path.join(d, "disc.mds"), "rb").read()
got, sense = drv.cmd(bytes([0x43, 0x02, 0x02, 0, 0, 0, 1, 0x1f, 0xfe, 0]), 8190)
if sense is not None:
    sys.exit(f"FAIL: READ TOC format 2: sense {sense}")
toc = {(got[i], got[i + 3]): got[i + 1:i + 11] for i in range(4, len(got) - 10, 11)}
nr_sessions, at = struct.unpack_from("<H", mds, 20)[0], struct.unpack_from("<I", mds, 80)[0]
entries = 0
for s in range(nr_sessions):
    number, n_blocks = struct.unpack_from("<HB", mds, at + 24 * s + 8)
    blocks = struct.unpack_from("<I", mds, at + 24 * s + 20)[0]
    for b in range(n_blocks):
        want = mds[blocks + 80 * b + 2:blocks + 80 * b + 12]
        have = toc.pop((number, want[2]), None)
        if have != want:
            sys.exit(f"FAIL: session {number} point {want[2]:#04x}: the drive's full TOC entry "
                     f"{have.hex() if have else None}, the .mds's {want.hex()}")
        entries += 1
extra = [k for k in toc if k[1] < 0xa3]
if extra:
    sys.exit(f"FAIL: the drive's full TOC has (session, point) {extra} that the .mds has not")
print(f"mds_images: the drive's full TOC has the .mds's {entries} entries")
mdf = open(os.path.join(d, "disc.mdf"), "rb").read()
off = n = 0
# same_disc.py's write_mds: each track from index 1 to its end, audio 2448 bytes a sector, data 2352
for t in json.load(open(os.path.join(d, "layout.json")))["tracks"]:
    size = 2448 if t["mode"] == "AUDIO" else 2352
    for lba in range(t["start"], t["end"]):
        got, sense = rc.read_cd(drv, lba, 1, 0xf8, sub=1, length=2448)
        want = mdf[off:off + size]
        if sense is not None or got[:size] != want:
            sys.exit(f"FAIL: READ CD at LBA {lba} (track {t['number']}, {t['mode']}): sense {sense}, "
                     f"{'P-W' if got[:2352] == want[:2352] else 'main channel'} not the .mdf's")
        off += size
        n += 1
if off != len(mdf):
    sys.exit(f"FAIL: {off} of the .mdf's {len(mdf)} bytes read")
print(f"mds_images: {n} sectors as disc.mdf stores them")
EOF
	vcdromctl eject 0 || fail "vcdromctl eject 0"
done

# ---- an ISO as an MDS of raw mode 1 sectors; mdf2iso is the oracle ----
kmsg "ISO as MDS"
mkdir -p "$T/tree/dir" "$T/iso"
head -c 300000 /dev/urandom >"$T/tree/dir/random.bin"
echo "vcdrom mds" >"$T/tree/readme.txt"
make_iso "$T/tree" "$T/data.iso" VCDROM_MDS
python3 - "$TESTS_DIR" "$cdsector" "$T/iso" "$T/data.iso" <<'EOF' || fail "write the ISO as an MDS"
import importlib.util, os, sys
spec = importlib.util.spec_from_file_location("same_disc", os.path.join(sys.argv[1], "same_disc.py"))
sd = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sd)
iso = open(sys.argv[4], "rb").read()
disc = {"mcn": "", "sessions": [[sd.track("MODE1", len(iso) // 2048)]]}
sd.lay_out(disc)
disc["tracks"][0]["raw"] = sd.encode_data(sys.argv[2], sys.argv[3], 0, iso)
sd.write_mds(disc, sys.argv[3])
EOF
(cd "$T/iso" && mdf2iso disc.mdf back.iso >/dev/null) || fail "mdf2iso disc.mdf"
cmp "$T/data.iso" "$T/iso/back.iso" || fail "mdf2iso of the MDS's .mdf is not the ISO"
iat "$T/iso/disc.mdf" "$T/iso/iat.iso" >/dev/null 2>&1 || fail "iat disc.mdf"
cmp "$T/data.iso" "$T/iso/iat.iso" || fail "iat of the MDS's .mdf is not the ISO"
check_iso_image "$T/iso/disc.mds" "$T/data.iso" "$T/tree"

# ---- a DVD with its structures and BCA ----
kmsg "DVD MDS"
seed=$REPO_DIR/tools/fuzz/corpus/fuzz_mds/dvd.mds
[ -f "$seed" ] || fail "no $seed"
mkdir -p "$T/dvd"
python3 - "$seed" "$T/dvd" <<'EOF' || fail "write the DVD MDS"
import os, struct, sys
b = open(sys.argv[1], "rb").read()
size, _ = struct.unpack("<II", b[:8])
mds = bytearray(b[8:])
st, bca, bca_len = struct.unpack("<I", mds[64:68])[0], struct.unpack("<I", mds[36:40])[0], \
    struct.unpack("<H", mds[26:28])[0]
assert st and bca_len, "the seed has DVD structures and a BCA"
mds[st:st + 4100] = os.urandom(4100)
mds[st + 4 + 2048 + 2] = 0x01		# one layer (bits 5-6: 00), embossed
mds[bca:bca + bca_len] = os.urandom(bca_len)
# a DPM block at the end: number 1, from sector 0, an entry every 50 sectors, 2 entries
struct.pack_into("<I", mds, 84, len(mds))
mds += struct.pack("<II", 1, len(mds) + 8) + struct.pack("<6I", 1, 0, 50, 2, 1000, 2000)
d = sys.argv[2]
open(os.path.join(d, "dvd.mds"), "wb").write(mds)
open(os.path.join(d, "dvd.mdf"), "wb").write(os.urandom(size))
for name, at, n in (("copyright", st, 4), ("manufacturer", st + 4, 2048), ("physical", st + 2052, 2048),
                    ("bca", bca, bca_len)):
    open(os.path.join(d, name), "wb").write(mds[at:at + n])
EOF
run_rc rc vcdromctl toc "$T/dvd/dvd.mds"
assert_eq 0 "$rc" "vcdromctl toc of the DVD MDS: $out"
assert_match '^dpm: block 1: from sector 0, an entry every 50 sectors, 2 entries$' "$out" \
	"vcdromctl toc shows the DPM block"
assert_eq '[{"block":1,"entries":2,"resolution":50,"start":0}]' \
	"$(vcdromctl --json toc "$T/dvd/dvd.mds" 2>/dev/null | jq -cS .dpm)" "vcdromctl --json toc: the DPM block"
cd_insert "$T/dvd/dvd.mds"
sg_ready "$sg"
assert_eq DVD-ROM "$(drive_json 0 .profile)" "the profile of the DVD MDS"
for s in "00 physical" "01 copyright" "03 bca" "04 manufacturer"; do
	run_rc rc sg_raw -r 2052 -o "$T/got" "$sg" ad 00 00 00 00 00 00 "${s%% *}" 08 04 00 00
	assert_eq 0 "$rc" "READ DISC STRUCTURE ${s%% *}h of the DVD MDS: $out"
	cmp <(tail -c +5 "$T/got") "$T/dvd/${s#* }" || fail "READ DISC STRUCTURE ${s%% *}h: not the ${s#* } the .mds stores"
done
size=$(stat -c %s "$T/dvd/dvd.mdf")
cmp <(head -c "$size" "$sr") "$T/dvd/dvd.mdf" || fail "the DVD MDS's sectors are not its .mdf's"

# ---- refused: the drive as it was ----
kmsg "refusals"
mkdir -p "$T/bad"
cp "$T/dvd/dvd.mds" "$T/bad/nomdf.mds"
insert_refused "$T/bad/nomdf.mds" nomdf "an MDS without its .mdf"
