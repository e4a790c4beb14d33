// SPDX-License-Identifier: GPL-2.0
/*
 * Host-only unit tests for the CUE loader: handwritten sheets over small
 * generated BIN and WAVE files, checked against the layout they must make
 * (LBAs, extents, offsets, formats, modes, flags, ISRC, MCN, CD-TEXT pack
 * bytes and CRCs), every error with its exact message, and the serialiser
 * on what they add. Then, where ../../shared/corpora is (VCDROM_CORPORA
 * overrides it), third-party sheets: libcdio's must load or be refused,
 * whipper's must load over stand-in WAVE files. The CD-TEXT tests are in
 * test_cue_cdtext.c, the TAP helpers in tap.c.
 *
 * Prints TAP, then "N passed, N failed"; exits 1 if anything failed.
 * Files go to a directory under $TMPDIR (default /tmp), removed at the end.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "helpers.h"
#include "loaders.h"
#include "output.h"
#include "tap.h"
#include "test_cue.h"

/* ---- files ---- */

char *make_bin(const char *name, off_t size)
{
	return make_file(name, size, NULL, 0);
}

static void put_le16(uint8_t *p, unsigned int v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, v);
	put_le16(p + 2, v >> 16);
}

/*
 * A WAVE file: RIFF header, a 4-byte LIST chunk when @list, fmt, then a data
 * chunk saying @data_len bytes, followed by @real_len bytes (sparse).
 */
static char *make_wav(const char *name, unsigned int channels, unsigned int rate,
		      unsigned int bits, bool list, uint32_t data_len, uint64_t real_len)
{
	uint8_t h[64] = { 0 };
	unsigned int n = 12;
	char *path;
	int fd;

	memcpy(h, "RIFF", 4);
	memcpy(h + 8, "WAVE", 4);
	if (list) {
		memcpy(h + n, "LIST", 4);
		put_le32(h + n + 4, 3);		/* odd: padded to 4 */
		n += 12;
	}
	memcpy(h + n, "fmt ", 4);
	put_le32(h + n + 4, 16);
	put_le16(h + n + 8, 1);
	put_le16(h + n + 10, channels);
	put_le32(h + n + 12, rate);
	put_le32(h + n + 16, rate * channels * bits / 8);
	put_le16(h + n + 20, channels * bits / 8);
	put_le16(h + n + 22, bits);
	n += 24;
	memcpy(h + n, "data", 4);
	put_le32(h + n + 4, data_len);
	n += 8;
	put_le32(h + 4, n - 8 + data_len);
	path = write_file(name, h, n);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || ftruncate(fd, n + real_len))
		die(path);
	close(fd);
	return path;
}

/* Copy @src to @name in the test folder. */
static void copy_file(const char *src, const char *name)
{
	char buf[65536];
	size_t n;
	FILE *f = fopen(src, "rb");

	if (!f)
		die(src);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	write_file(name, buf, n);
}

/* ---- loading ---- */

struct noted notes;

bool load_cue(const char *what, const char *name, const char *text,
		     struct vcd_disc *disc)
{
	struct vcd_load ld = { .note = note, .note_arg = &notes };
	char *path = text ? write_text(name, text) : tmp_path(name);
	int ret;

	memset(&notes, 0, sizeof(notes));
	vcd_disc_init(disc);
	ret = vcd_load_image(path, disc, &ld);
	if (!ok(ret == 0, "%s: loads", what))
		printf("# %s: %s\n", ld.object, ld.reason);
	else
		keep_sheet(path);
	return !ret;
}

/* The @n-th track of the disc, over its sessions. */
static const struct vcd_track *track(const struct vcd_disc *d, unsigned int n)
{
	static const struct vcd_track none;
	unsigned int i;

	for (i = 0; i < d->nr_sessions; i++) {
		if (n < d->sessions[i].nr_tracks)
			return &d->sessions[i].tracks[n];
		n -= d->sessions[i].nr_tracks;
	}
	return &none;
}

static unsigned int nr_tracks(const struct vcd_disc *d)
{
	unsigned int i, n = 0;

	for (i = 0; i < d->nr_sessions; i++)
		n += d->sessions[i].nr_tracks;
	return n;
}

/* Extent @i of @t is @start +@len of @format in file @file at @off. */
static bool ext_is(const struct vcd_track *t, unsigned int i, uint32_t start, uint32_t len,
		   uint32_t format, uint32_t file, uint64_t off)
{
	const struct vcd_extent *e = i < t->nr_extents ? &t->extents[i] : NULL;

	if (e && e->start == start && e->length == len && e->format == format &&
	    (format == VCDROM_SECTOR_ZERO || (e->file == file && e->offset == off)))
		return true;
	if (e)
		printf("# extent %u: start %u length %u format %u file %u offset %llu\n", i,
		       e->start, e->length, e->format, e->file, (unsigned long long)e->offset);
	else
		printf("# no extent %u\n", i);
	return false;
}

static bool track_is(const struct vcd_track *t, unsigned int number, uint32_t mode,
		     uint32_t flags, uint32_t start, unsigned int nr_extents)
{
	if (t->number == number && t->mode == mode && t->flags == flags && t->start == start &&
	    t->nr_extents == nr_extents)
		return true;
	printf("# track %u: mode %u flags %#x start %u extents %u\n", t->number, t->mode,
	       t->flags, t->start, t->nr_extents);
	return false;
}

void cue_fails(const char *what, const char *text, int err, unsigned int line,
		      const char *reason)
{
	struct vcd_load ld = { .note = note, .note_arg = &notes };
	char *path = text ? write_text("err.cue", text) : tmp_path("err.cue");
	char object[PATH_MAX + 16];
	struct vcd_disc disc;
	int fd = next_fd(), ret;

	if (line)
		snprintf(object, sizeof(object), "%s:%u", path, line);
	else
		snprintf(object, sizeof(object), "%s", path);
	vcd_disc_init(&disc);
	ret = vcd_load_image(path, &disc, &ld);
	if (!ok(ret == -err && ld.err == err, "%s: refused with %s", what, strerrorname_np(err)))
		printf("# returned %d: %s: %s\n", ret, ld.object, ld.reason);
	if (ret == -err) {
		ok_str(ld.object, object, what, "where");
		ok_str(ld.reason, reason, what, "why");
	}
	ok(!disc.nr_files && !disc.nr_sessions && !disc.cdtext && next_fd() == fd,
	   "%s: nothing loaded, no fd leaked", what);
	vcd_disc_free(&disc);
}

/* ---- layouts ---- */

static void test_shared_file(void)
{
	struct vcd_disc d;
	const struct vcd_track *t;
	struct vcd_toc toc;

	make_bin("game.bin", 700 * 2352);
	if (!load_cue("one shared FILE", "game.cue",
		      "CATALOG 1234567890123\n"
		      "FILE \"game.bin\" BINARY\n"
		      "  TRACK 01 MODE1/2352\n"
		      "    INDEX 01 00:00:00\n"
		      "  TRACK 02 AUDIO\n"
		      "    FLAGS DCP PRE 4CH SCMS\n"
		      "    ISRC usrc17607839\n"
		      "    INDEX 00 00:04:00\n"
		      "    INDEX 01 00:06:00\n"
		      "    INDEX 02 00:06:50\n"
		      "    INDEX 03 00:08:00\n", &d))
		return;
	ok(d.nr_files == 1 && d.files[0].size == 700 * 2352 && d.nr_sessions == 1 &&
	   nr_tracks(&d) == 2 && d.medium == VCDROM_MEDIUM_CD && !strcmp(d.mcn, "1234567890123") &&
	   !d.cdtext && !notes.n, "one shared FILE: 1 file, 2 tracks, a CD, MCN, no CD-TEXT");
	t = track(&d, 0);
	ok(track_is(t, 1, VCDROM_TRACK_MODE1, 0, 0, 1) &&
	   ext_is(t, 0, 0, 300, VCDROM_SECTOR_RAW, 0, 0) && !t->nr_indexes && !t->isrc[0],
	   "one shared FILE: track 1 MODE1 raw, LBA 0-299 from byte 0");
	t = track(&d, 1);
	ok(track_is(t, 2, VCDROM_TRACK_AUDIO,
		    VCDROM_TRACK_F_DCP | VCDROM_TRACK_F_PRE | VCDROM_TRACK_F_4CH, 450, 1) &&
	   ext_is(t, 0, 300, 400, VCDROM_SECTOR_RAW, 0, 300 * 2352),
	   "one shared FILE: track 2 AUDIO, DCP PRE 4CH (SCMS dropped), index 0 at 300, 1 at 450");
	ok(t->nr_indexes == 2 && t->indexes[0] == 500 && t->indexes[1] == 600,
	   "one shared FILE: INDEX 02 at 500, INDEX 03 at 600");
	ok_str(t->isrc, "USRC17607839", "one shared FILE", "ISRC, upper case");
	vcd_disc_toc(&d, &toc);
	ok(toc.nr_tracks == 2 && toc.leadout == 700 && toc.tracks[0].control == VCD_Q_DATA &&
	   toc.tracks[1].control == (VCD_Q_DCP | VCD_Q_PRE | VCD_Q_4CH) &&
	   toc.tracks[1].start == 450 && toc.tracks[1].session == 1 && !strcmp(toc.mcn, d.mcn),
	   "one shared FILE: its TOC: lead-out 700, Q control bits");
	vcd_disc_free(&d);
}

static const struct {
	const char *mode;
	unsigned int size;
	uint32_t track_mode, format;
} modes[] = {
	{ "AUDIO",	2352, VCDROM_TRACK_AUDIO,	VCDROM_SECTOR_RAW },
	{ "CDG",	2448, VCDROM_TRACK_AUDIO,	VCDROM_SECTOR_RAW_PW },
	{ "MODE1/2048",	2048, VCDROM_TRACK_MODE1,	VCDROM_SECTOR_COOKED_2048 },
	{ "MODE1/2352",	2352, VCDROM_TRACK_MODE1,	VCDROM_SECTOR_RAW },
	{ "MODE2/2048",	2048, VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_COOKED_2048 },
	{ "MODE2/2324",	2324, VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_COOKED_2324 },
	{ "MODE2/2336",	2336, VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_MODE2 },
	{ "MODE2/2352",	2352, VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_RAW },
	{ "CDI/2336",	2336, VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_MODE2 },
	{ "CDI/2352",	2352, VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_RAW },
};

static void test_modes(void)
{
	char sheet[4096], name[32];
	struct vcd_disc d;
	const struct vcd_track *t;
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		snprintf(name, sizeof(name), "t%02u.bin", i + 1);
		make_bin(name, 10 * modes[i].size);
		len += snprintf(sheet + len, sizeof(sheet) - len,
				"FILE \"%s\" BINARY\nTRACK %02u %s\nINDEX 01 00:00:00\n",
				name, i + 1, modes[i].mode);
	}
	make_bin("moto.bin", 20 * 2352);
	len += snprintf(sheet + len, sizeof(sheet) - len,
			"FILE \"moto.bin\" MOTOROLA\n"
			"TRACK 11 audio\nINDEX 01 00:00:00\n"
			"TRACK 12 Mode1/2352\nINDEX 01 00:00:10\n");
	if (!load_cue("every track mode, a FILE each", "modes.cue", sheet, &d))
		return;
	ok(d.nr_files == 11 && nr_tracks(&d) == 12, "every track mode: 11 files, 12 tracks");
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		t = track(&d, i);
		ok(track_is(t, i + 1, modes[i].track_mode, 0, 10 * i, 1) &&
		   ext_is(t, 0, 10 * i, 10, modes[i].format, i, 0),
		   "%s: its mode and sector format, its own file from byte 0", modes[i].mode);
	}
	t = track(&d, 10);
	ok(track_is(t, 11, VCDROM_TRACK_AUDIO, 0, 100, 1) &&
	   ext_is(t, 0, 100, 10, VCDROM_SECTOR_RAW_SWAPPED, 10, 0),
	   "MOTOROLA AUDIO: byte-swapped raw");
	t = track(&d, 11);
	ok(track_is(t, 12, VCDROM_TRACK_MODE1, 0, 110, 1) &&
	   ext_is(t, 0, 110, 10, VCDROM_SECTOR_RAW, 10, 10 * 2352),
	   "MOTOROLA MODE1/2352: as BINARY");
	vcd_disc_free(&d);
}

/* Tracks of different sizes in one file: bytes are found by walking it. */
static void test_mixed_file(void)
{
	struct vcd_disc d;

	make_bin("mixed.bin", 100 * 2048 + 50 * 2352);
	if (!load_cue("MODE1/2048 then AUDIO in one FILE", "mixed.cue",
		      "FILE \"mixed.bin\" BINARY\n"
		      "TRACK 01 MODE1/2048\nINDEX 01 00:00:00\n"
		      "TRACK 02 AUDIO\nINDEX 00 00:01:25\nINDEX 01 00:01:30\n", &d))
		return;
	ok(ext_is(track(&d, 0), 0, 0, 100, VCDROM_SECTOR_COOKED_2048, 0, 0) &&
	   ext_is(track(&d, 1), 0, 100, 50, VCDROM_SECTOR_RAW, 0, 100 * 2048) &&
	   track(&d, 1)->start == 105,
	   "mixed sizes: track 2 at byte 100 * 2048, index 1 at LBA 105");
	vcd_disc_free(&d);
}

static void test_gaps(void)
{
	struct vcd_disc d;
	const struct vcd_track *t;

	make_bin("a.bin", 100 * 2352);
	make_bin("b.bin", 50 * 2352);
	if (!load_cue("PREGAP and POSTGAP", "gaps.cue",
		      "FILE \"a.bin\" BINARY\n"
		      "  TRACK 01 AUDIO\n"
		      "    PREGAP 00:02:00\n"
		      "    INDEX 01 00:00:00\n"
		      "    POSTGAP 00:01:00\n"
		      "FILE \"b.bin\" BINARY\n"
		      "  TRACK 02 AUDIO\n"
		      "    PREGAP 00:00:10\n"
		      "    INDEX 01 00:00:00\n", &d))
		return;
	t = track(&d, 0);
	ok(track_is(t, 1, VCDROM_TRACK_AUDIO, 0, 150, 3) &&
	   ext_is(t, 0, 0, 150, VCDROM_SECTOR_ZERO, 0, 0) &&
	   ext_is(t, 1, 150, 100, VCDROM_SECTOR_RAW, 0, 0) &&
	   ext_is(t, 2, 250, 75, VCDROM_SECTOR_ZERO, 0, 0),
	   "PREGAP on track 1: ZERO 0-149, index 1 at 150; POSTGAP: ZERO 250-324");
	t = track(&d, 1);
	ok(track_is(t, 2, VCDROM_TRACK_AUDIO, 0, 335, 2) &&
	   ext_is(t, 0, 325, 10, VCDROM_SECTOR_ZERO, 0, 0) &&
	   ext_is(t, 1, 335, 50, VCDROM_SECTOR_RAW, 1, 0),
	   "PREGAP on track 2: ZERO 325-334, file 1 from 335");
	vcd_disc_free(&d);

	/* A first FILE whose INDEX 01 is not at 0: what comes before is track 1's pregap. */
	if (!load_cue("track 1 INDEX 01 late", "late.cue",
		      "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:30\n", &d))
		return;
	ok(track_is(track(&d, 0), 1, VCDROM_TRACK_AUDIO, 0, 30, 1) &&
	   ext_is(track(&d, 0), 0, 0, 100, VCDROM_SECTOR_RAW, 0, 0),
	   "track 1 INDEX 01 at 30: stored from byte 0, index 0 at LBA 0");
	vcd_disc_free(&d);
}

static void test_wave(void)
{
	struct vcd_disc d;
	const struct vcd_track *t;

	make_wav("one.wav", 2, 44100, 16, true, 20 * 2352, 20 * 2352);
	make_wav("two.wav", 2, 44100, 16, false, 10 * 2352 + 4, 10 * 2352 + 4);
	if (!load_cue("WAVE files", "wave.cue",
		      "FILE \"one.wav\" WAVE\n"
		      "TRACK 01 AUDIO\nINDEX 01 00:00:00\n"
		      "TRACK 02 AUDIO\nINDEX 01 00:00:15\n"
		      "FILE \"two.wav\" WAVE\n"
		      "TRACK 03 AUDIO\nINDEX 01 00:00:00\n", &d))
		return;
	t = track(&d, 0);
	ok(ext_is(t, 0, 0, 15, VCDROM_SECTOR_RAW, 0, 56) &&
	   ext_is(track(&d, 1), 0, 15, 5, VCDROM_SECTOR_RAW, 0, 56 + 15 * 2352),
	   "WAVE: extents start at the data chunk (past a LIST chunk)");
	ok(ext_is(track(&d, 2), 0, 20, 11, VCDROM_SECTOR_RAW, 1, 44) && notes.n == 1,
	   "WAVE: data ending 4 bytes into a sector at the end of the file: 11 sectors, a note");
	ok_str(notes.text, "\"two.wav\": its audio ends 4 bytes into a sector; the rest of it is silence",
	       "WAVE", "the note");
	ok_str(notes.object, tmp_path("wave.cue:6"), "WAVE", "the note is about the FILE line");
	vcd_disc_free(&d);

	/* streamed: the data chunk's size is left at 0 */
	make_wav("stream.wav", 2, 44100, 16, false, 0, 4 * 2352);
	if (load_cue("WAVE data size 0", "stream.cue",
		     "FILE \"stream.wav\" WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n", &d))
		ok(ext_is(track(&d, 0), 0, 0, 4, VCDROM_SECTOR_RAW, 0, 44),
		   "WAVE data size 0: the rest of the file");
	vcd_disc_free(&d);
}

static void test_sessions(void)
{
	struct vcd_disc d;
	const struct vcd_track *t;
	struct vcd_toc toc;

	make_bin("s1.bin", 100 * 2352);
	make_bin("s2.bin", 200 * 2352);
	make_bin("s3.bin", 300 * 2048);
	if (!load_cue("two sessions (Redump)", "redump.cue",
		      "REM SESSION 01\n"
		      "FILE \"s1.bin\" BINARY\n"
		      "  TRACK 01 AUDIO\n"
		      "    INDEX 01 00:00:00\n"
		      "REM SESSION 02\n"
		      "FILE \"s2.bin\" BINARY\n"
		      "  TRACK 02 MODE2/2352\n"
		      "    INDEX 00 00:00:00\n"
		      "    INDEX 01 00:02:00\n", &d))
		return;
	ok(d.nr_sessions == 2 && d.sessions[0].nr_tracks == 1 && d.sessions[1].nr_tracks == 1,
	   "two sessions: one track each");
	t = track(&d, 1);
	ok(track_is(t, 2, VCDROM_TRACK_MODE2_XA, 0, 100 + 11250 + 150, 1) &&
	   ext_is(t, 0, 100 + 11250, 200, VCDROM_SECTOR_RAW, 1, 0),
	   "two sessions: session 2 starts 11250 after session 1's end, index 1 150 later");
	vcd_disc_toc(&d, &toc);
	ok(toc.nr_sessions == 2 && toc.tracks[1].session == 2 && toc.leadout == 100 + 11250 + 200,
	   "two sessions: TOC");
	vcd_disc_free(&d);

	if (!load_cue("three sessions, REM LEAD-OUT", "three.cue",
		      "REM SESSION 01\n"
		      "FILE \"s1.bin\" BINARY\n"
		      "TRACK 01 AUDIO\nINDEX 01 00:00:00\n"
		      "REM LEAD-OUT 00:20:00\n"
		      "REM SESSION 02\n"
		      "FILE \"s2.bin\" BINARY\n"
		      "TRACK 02 MODE1/2352\nINDEX 01 00:00:00\n"
		      "REM SESSION 03\n"
		      "FILE \"s3.bin\" BINARY\n"
		      "TRACK 03 MODE1/2048\nINDEX 01 00:00:00\n", &d))
		return;
	ok(d.nr_sessions == 3 && track(&d, 1)->start == 100 + 1500 + 4500,
	   "REM LEAD-OUT 00:20:00 after session 1: session 2 at 1500 + 4500 after its end");
	ok(track(&d, 2)->start == 6100 + 200 + 6750 &&
	   ext_is(track(&d, 2), 0, 13050, 300, VCDROM_SECTOR_COOKED_2048, 2, 0),
	   "session 3: 2250 + 4500 after session 2's end");
	vcd_disc_free(&d);
}

static void test_paths(void)
{
	struct vcd_disc d;

	make_bin("lower.bin", 10 * 2352);
	mkdir(tmp_path("Sub Dir"), 0755);
	make_bin("Sub Dir/track 2.bin", 10 * 2352);
	if (load_cue("Windows names: case and backslashes", "win.cue",
		     "FILE \"LOWER.BIN\" BINARY\r\nTRACK 01 AUDIO\r\nINDEX 01 00:00:00\r\n"
		     "FILE \"SUB DIR\\TRACK 2.BIN\" BINARY\r\nTRACK 02 AUDIO\r\nINDEX 01 00:00:00\r\n",
		     &d)) {
		ok(d.nr_files == 2 && !strcmp(d.files[0].path, tmp_path("lower.bin")) &&
		   !strcmp(d.files[1].path, tmp_path("Sub Dir/track 2.bin")) && !notes.n,
		   "\"LOWER.BIN\" is lower.bin, \"SUB DIR\\TRACK 2.BIN\" is Sub Dir/track 2.bin");
	}
	vcd_disc_free(&d);

	make_bin("caf\xc3\xa9.bin", 10 * 2352);
	if (load_cue("a Latin-1 sheet naming a file in UTF-8", "latin1name.cue",
		     "FILE \"Caf\xe9.BIN\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n", &d))
		ok(d.nr_files == 1 && !strcmp(d.files[0].path, tmp_path("caf\xc3\xa9.bin")),
		   "\"Caf\\xe9.BIN\" (Latin-1) is caf\xc3\xa9.bin");
	vcd_disc_free(&d);

	if (load_cue("a FILE named after nothing, the sheet's name", "lower.cue",
		     "FILE \"OTHER.BIN\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n", &d))
		ok(d.nr_files == 1 && !strcmp(d.files[0].path, tmp_path("lower.bin")) &&
		   notes.n == 1, "lower.cue naming \"OTHER.BIN\": lower.bin, with a note");
	vcd_disc_free(&d);
}

static void test_eac(void)
{
	struct vcd_disc d;
	const struct vcd_track *t;

	make_bin("eac1.bin", 30 * 2352);
	make_bin("eac2.bin", 20 * 2352);
	if (!load_cue("EAC: INDEX 00 in one FILE, INDEX 01 in the next; a .txt", "eac.txt",
		      "REM GENRE \"Rock\" and \"more\n"
		      "REM COMMENT \"ExactAudioCopy v0.99pb4\"\n"
		      "FILE \"eac1.bin\" BINARY\n"
		      "  TRACK 04 AUDIO\n"
		      "    INDEX 01 00:00:00\n"
		      "  TRACK 05 AUDIO\n"
		      "    INDEX 00 00:00:25\n"
		      "FILE \"eac2.bin\" BINARY\n"
		      "    INDEX 01 00:00:00\n"
		      "    INDEX 02 00:00:05\n", &d))
		return;
	ok(track_is(track(&d, 0), 4, VCDROM_TRACK_AUDIO, 0, 0, 1) &&
	   ext_is(track(&d, 0), 0, 0, 25, VCDROM_SECTOR_RAW, 0, 0),
	   "EAC: track 4 (the first number) is the first 25 sectors");
	t = track(&d, 1);
	ok(track_is(t, 5, VCDROM_TRACK_AUDIO, 0, 30, 2) &&
	   ext_is(t, 0, 25, 5, VCDROM_SECTOR_RAW, 0, 25 * 2352) &&
	   ext_is(t, 1, 30, 20, VCDROM_SECTOR_RAW, 1, 0) &&
	   t->nr_indexes == 1 && t->indexes[0] == 35,
	   "EAC: track 5 from the end of file 1 (index 0) into file 2 (index 1 at 30, 2 at 35)");
	vcd_disc_free(&d);
}

/* ---- errors ---- */

#define T1 "TRACK 01 AUDIO\n"
#define I1 "INDEX 01 00:00:00\n"

/* Errors of size: 100 FILEs, CD-TEXT over a block, a CDTEXTFILE over 2048 packs. */
static void test_too_many(void)
{
	char *sheet = malloc(100 * 200), *p = sheet;
	uint8_t *packs = calloc(2049, 18);
	unsigned int i;

	for (i = 0; i < 100; i++)
		p += sprintf(p, "FILE \"e.bin\" BINARY\nTRACK %02u AUDIO\nINDEX 01 00:00:00\n",
			     i % 99 + 1);
	cue_fails("100 FILEs", sheet, EINVAL, 298, "more than 99 FILEs");

	p = sheet + sprintf(sheet, "FILE \"e.bin\" BINARY\n");
	for (i = 0; i < 25; i++)
		p += sprintf(p, "TRACK %02u AUDIO\nTITLE \"%0150u\"\nINDEX 01 00:00:%02u\n",
			     i + 1, i, i);
	cue_fails("CD-TEXT over 256 packs", sheet, EINVAL, 0,
		  "CD-TEXT is too long: more than 256 packs in a block");

	for (i = 0; i < 2049; i++)
		packs[i * 18] = 0x80;
	write_file("big.cdt", packs, 2049 * 18);
	cue_fails("CDTEXTFILE over 2048 packs", "CDTEXTFILE big.cdt\nFILE \"e.bin\" BINARY\n" T1 I1,
		  EINVAL, 1, "\"big.cdt\": more than 2048 CD-TEXT packs");
	memset(packs, 0, 18);
	write_file("type.cdt", packs, 18);
	cue_fails("CDTEXTFILE with a bad pack type", "CDTEXTFILE type.cdt\nFILE \"e.bin\" BINARY\n"
		  T1 I1, EINVAL, 1, "\"type.cdt\": CD-TEXT pack 0 has a bad type");
	free(packs);
	free(sheet);
}

static void test_errors(void)
{
	uint8_t nul[32] = "FILE \"x\" BINARY\n";

	make_bin("e.bin", 100 * 2352);
	make_bin("odd.bin", 100 * 2352 + 1);
	make_wav("mono.wav", 1, 44100, 16, false, 2352, 2352);
	make_wav("odd.wav", 2, 44100, 16, true, 2353, 2400);
	write_text("text.wav", "not a wave file");

	cue_fails("unknown track mode", "REM\nFILE \"e.bin\" BINARY\nTRACK 01 MODE3/2352\n" I1,
		  EINVAL, 3, "unknown track mode \"MODE3/2352\"");
	/* found by fuzz_cue: shorter than a BOM, read past its end (under ASan) */
	cue_fails("a sheet of 1 byte", "T", EINVAL, 1, "unknown command \"T\"");
	cue_fails("a sheet of 2 bytes of a BOM", "\xef\xbb", EINVAL, 1,
		  "unknown command \"\xef\xbb\"");
	cue_fails("unknown command", "FILE \"e.bin\" BINARY\nTRACKS 01 AUDIO\n", EINVAL, 2,
		  "unknown command \"TRACKS\"");
	cue_fails("unknown file type", "FILE \"e.mp3\" MP3\n", EINVAL, 1,
		  "unknown file type \"MP3\" (BINARY, MOTOROLA or WAVE)");
	cue_fails("FILE without a type", "FILE \"e.bin\"\n", EINVAL, 1,
		  "FILE needs a name and a type");
	cue_fails("a quote not closed", "FILE \"e.bin BINARY\n", EINVAL, 1,
		  "a quote is not closed");
	cue_fails("unexpected word", "FILE \"e.bin\" BINARY\n" T1 "INDEX 01 00:00:00 x\n",
		  EINVAL, 3, "unexpected \"x\" after INDEX");
	cue_fails("TRACK before FILE", T1, EINVAL, 1, "TRACK before the first FILE");
	cue_fails("INDEX before TRACK", "FILE \"e.bin\" BINARY\n" I1, EINVAL, 2,
		  "INDEX before the first TRACK");
	cue_fails("bad track number", "FILE \"e.bin\" BINARY\nTRACK 100 AUDIO\n", EINVAL, 2,
		  "bad track number \"100\" (1 to 99)");
	cue_fails("track 0", "FILE \"e.bin\" BINARY\nTRACK 00 AUDIO\n", EINVAL, 2,
		  "bad track number \"00\" (1 to 99)");
	cue_fails("tracks out of order", "FILE \"e.bin\" BINARY\n" T1 I1 "TRACK 03 AUDIO\n",
		  EINVAL, 4, "track 3 after track 1 (tracks are numbered one up)");
	cue_fails("INDEX skipped", "FILE \"e.bin\" BINARY\n" T1 I1 "INDEX 03 00:00:10\n",
		  EINVAL, 4, "INDEX 03 after INDEX 01 (indexes are numbered one up)");
	cue_fails("INDEX 02 first", "FILE \"e.bin\" BINARY\n" T1 "INDEX 02 00:00:00\n",
		  EINVAL, 3, "INDEX 02 before INDEX 01");
	cue_fails("bad index number", "FILE \"e.bin\" BINARY\n" T1 "INDEX 1a 00:00:00\n",
		  EINVAL, 3, "bad index number \"1a\" (0 to 99)");
	cue_fails("track without INDEX 01",
		  "FILE \"e.bin\" BINARY\n" T1 "INDEX 00 00:00:00\nTRACK 02 AUDIO\n", EINVAL, 2,
		  "track 1 has no INDEX 01");
	cue_fails("last track without INDEX 01", "FILE \"e.bin\" BINARY\n" T1 I1
		  "TRACK 02 AUDIO\n", EINVAL, 4, "track 2 has no INDEX 01");
	cue_fails("no TRACK", "REM nothing\nCATALOG 1234567890123\n", EINVAL, 0, "no TRACK");
	cue_fails("bad time: frames", "FILE \"e.bin\" BINARY\n" T1 "INDEX 01 00:00:75\n",
		  EINVAL, 3, "bad time \"00:00:75\" (mm:ss:ff, ss below 60, ff below 75)");
	cue_fails("bad time: form", "FILE \"e.bin\" BINARY\n" T1 "INDEX 01 0:0\n",
		  EINVAL, 3, "bad time \"0:0\" (mm:ss:ff, ss below 60, ff below 75)");
	cue_fails("PREGAP after INDEX", "FILE \"e.bin\" BINARY\n" T1 I1 "PREGAP 00:02:00\n",
		  EINVAL, 4, "PREGAP after INDEX (it comes before them)");
	cue_fails("POSTGAP before INDEX", "FILE \"e.bin\" BINARY\n" T1 "POSTGAP 00:02:00\n",
		  EINVAL, 3, "POSTGAP before INDEX (it comes after them)");
	cue_fails("INDEX after POSTGAP", "FILE \"e.bin\" BINARY\n" T1 I1 "POSTGAP 00:02:00\n"
		  "INDEX 02 00:00:10\n", EINVAL, 5, "INDEX after POSTGAP");
	cue_fails("two PREGAPs", "FILE \"e.bin\" BINARY\n" T1 "PREGAP 00:02:00\n"
		  "PREGAP 00:02:00\n", EINVAL, 4, "a second PREGAP in track 1");
	cue_fails("PREGAP before TRACK", "PREGAP 00:02:00\n", EINVAL, 1,
		  "PREGAP before the first TRACK");
	cue_fails("unknown flag", "FILE \"e.bin\" BINARY\n" T1 "FLAGS DCP COPY\n", EINVAL, 3,
		  "unknown flag \"COPY\" (DCP, 4CH, PRE or SCMS)");
	cue_fails("FLAGS alone", "FILE \"e.bin\" BINARY\n" T1 "FLAGS\n", EINVAL, 3,
		  "FLAGS needs a flag (DCP, 4CH, PRE or SCMS)");
	cue_fails("two FLAGS", "FILE \"e.bin\" BINARY\n" T1 "FLAGS DCP\nFLAGS PRE\n", EINVAL, 4,
		  "a second FLAGS in track 1");
	cue_fails("bad ISRC", "FILE \"e.bin\" BINARY\n" T1 "ISRC US-RC1-76-07839\n", EINVAL, 3,
		  "bad ISRC \"US-RC1-76-07839\" (12 letters and digits)");
	cue_fails("two ISRCs", "FILE \"e.bin\" BINARY\n" T1 "ISRC USRC17607839\n"
		  "ISRC USRC17607839\n", EINVAL, 4, "a second ISRC in track 1");
	cue_fails("CATALOG without digits", "CATALOG\n", EINVAL, 1, "CATALOG needs 13 digits");
	cue_fails("CATALOG too short", "CATALOG 123\n", EINVAL, 1,
		  "bad CATALOG \"123\" (13 digits)");
	cue_fails("two CATALOGs", "CATALOG 1234567890123\nCATALOG 1234567890123\n", EINVAL, 2,
		  "a second CATALOG");
	cue_fails("CATALOG in a track", "FILE \"e.bin\" BINARY\n" T1 "CATALOG 1234567890123\n",
		  EINVAL, 3, "CATALOG after the first TRACK");
	cue_fails("two CDTEXTFILEs", "CDTEXTFILE a\nCDTEXTFILE b\n", EINVAL, 2,
		  "a second CDTEXTFILE");
	cue_fails("TITLE without text", "TITLE\n", EINVAL, 1, "TITLE needs a text");
	cue_fails("two TITLEs", "TITLE a\nTITLE \"b\"\n", EINVAL, 2,
		  "a second TITLE for the disc");
	cue_fails("GENRE on a track", "FILE \"e.bin\" BINARY\n" T1 "GENRE Rock\n", EINVAL, 3,
		  "GENRE is for the disc (before the first TRACK), not a track");
	cue_fails("REM SESSION 2 first", "REM SESSION 02\n", EINVAL, 1,
		  "REM SESSION 2 before session 1");
	cue_fails("REM SESSION skipped", "REM SESSION 01\nFILE \"e.bin\" BINARY\n" T1 I1
		  "REM SESSION 03\n", EINVAL, 5, "REM SESSION 3 after session 1");
	cue_fails("REM SESSION without a TRACK", "REM SESSION 01\nREM SESSION 02\n", EINVAL, 2,
		  "REM SESSION 2 after session 1 without a TRACK");
	cue_fails("last session without a TRACK", "FILE \"e.bin\" BINARY\n" T1 I1
		  "REM SESSION 02\n", EINVAL, 0, "session 2 has no TRACK");
	cue_fails("REM LEAD-OUT before TRACK", "REM LEAD-OUT 00:30:00\n", EINVAL, 1,
		  "REM LEAD-OUT before the session's first TRACK");
	cue_fails("REM LEAD-OUT twice", "FILE \"e.bin\" BINARY\n" T1 I1
		  "REM LEAD-OUT 00:30:00\nREM LEAD-OUT 00:30:00\n", EINVAL, 5,
		  "a second REM LEAD-OUT in session 1");
	cue_fails("REM LEAD-OUT bad time", "FILE \"e.bin\" BINARY\n" T1 I1
		  "REM LEAD-OUT 30\n", EINVAL, 4,
		  "bad time \"30\" (mm:ss:ff, ss below 60, ff below 75)");

	cue_fails("FILE missing", "FILE \"none.bin\" BINARY\n" T1 I1 "FILE \"e.bin\" BINARY\n"
		  "TRACK 02 AUDIO\n" I1, ENOENT, 1, "\"none.bin\": No such file or directory");
	cue_fails("BIN not whole sectors", "FILE \"odd.bin\" BINARY\n" T1 I1
		  "TRACK 02 AUDIO\nINDEX 01 00:00:50\n", EINVAL, 4,
		  "track 2: the rest of \"odd.bin\" (117601 bytes) is not a whole number of 2352-byte sectors");
	cue_fails("BIN not whole sectors for its mode", "FILE \"e.bin\" BINARY\n"
		  "TRACK 01 MODE1/2048\n" I1, EINVAL, 2,
		  "track 1: the rest of \"e.bin\" (235200 bytes) is not a whole number of 2048-byte sectors");
	cue_fails("INDEX past the end", "FILE \"e.bin\" BINARY\n" T1 I1
		  "TRACK 02 AUDIO\nINDEX 01 00:02:00\n", EINVAL, 5,
		  "track 2: INDEX 01 is past the end of \"e.bin\" (235200 bytes)");
	cue_fails("INDEX going back", "FILE \"e.bin\" BINARY\n" T1 "INDEX 01 00:00:50\n"
		  "TRACK 02 AUDIO\nINDEX 01 00:00:10\n", EINVAL, 5,
		  "INDEX 01 is before the INDEX above it");
	cue_fails("empty track", "FILE \"e.bin\" BINARY\n" T1 "INDEX 01 00:00:10\n"
		  "TRACK 02 AUDIO\nINDEX 01 00:00:10\n", EINVAL, 2,
		  "track 1 has no sectors from its last INDEX on");
	cue_fails("INDEX 02 at INDEX 01", "FILE \"e.bin\" BINARY\n" T1 I1 "INDEX 02 00:00:00\n",
		  EINVAL, 4, "INDEX 02 is not after INDEX 01");
	cue_fails("FILE without INDEX", "FILE \"e.bin\" BINARY\n" T1 I1
		  "FILE \"e.bin\" BINARY\n", EINVAL, 4, "no INDEX in FILE \"e.bin\"");
	cue_fails("WAVE that is not", "FILE \"text.wav\" WAVE\n" T1 I1, EINVAL, 1,
		  "\"text.wav\" is not a RIFF WAVE file");
	write_text("song.flac", "fLaC\x01\x02\x03\x04\x05\x06\x07\x08");
	cue_fails("FLAC said to be WAVE", "FILE \"song.flac\" WAVE\n" T1 I1, EINVAL, 1,
		  "\"song.flac\" is FLAC, not a RIFF WAVE file (decode it to WAVE)");
	cue_fails("WAVE in mono", "FILE \"mono.wav\" WAVE\n" T1 I1, EINVAL, 1,
		  "\"mono.wav\" is not CD audio: format 1, 1 channels, 44100 Hz, 16 bits (PCM, 2, 44100, 16 needed)");
	cue_fails("WAVE data not whole sectors, then more", "FILE \"odd.wav\" WAVE\n" T1 I1,
		  EINVAL, 2, "track 1: the rest of \"odd.wav\" (2353 bytes) is not a whole number of 2352-byte sectors");
	make_wav("ok.wav", 2, 44100, 16, false, 2 * 2352, 2 * 2352);
	cue_fails("WAVE with a data track", "FILE \"ok.wav\" WAVE\nTRACK 01 MODE1/2352\n" I1,
		  EINVAL, 2, "track 1: a WAVE file holds AUDIO, not MODE1/2352");
	make_bin("cdg.bin", 10 * 2448);
	cue_fails("CDG in MOTOROLA", "FILE \"cdg.bin\" MOTOROLA\nTRACK 01 CDG\n" I1, EINVAL, 2,
		  "track 1: CDG in a MOTOROLA file is not supported");
	cue_fails("past 99:59:74", "FILE \"e.bin\" BINARY\nTRACK 01 AUDIO\nPREGAP 99:59:00\n" I1,
		  EINVAL, 2, "track 1 ends past 99:59:74, the end of a CD");
	cue_fails("too many words", "FILE \"e.bin\" BINARY\n" T1 "FLAGS DCP DCP DCP DCP DCP DCP DCP DCP DCP\n",
		  EINVAL, 3, "too many words");
	cue_fails("INDEX without a time", "FILE \"e.bin\" BINARY\n" T1 "INDEX 01\n", EINVAL, 3,
		  "INDEX needs a number and a time");
	cue_fails("TRACK without a mode", "FILE \"e.bin\" BINARY\nTRACK 01\n", EINVAL, 2,
		  "TRACK needs a number and a mode");
	cue_fails("FILE \"\"", "FILE \"\" BINARY\n", EINVAL, 1, "FILE needs a name");
	cue_fails("REM SESSION without a number", "REM SESSION\n", EINVAL, 1,
		  "REM SESSION needs a session number (1 to 99)");
	cue_fails("REM LEAD-OUT without a time", "REM LEAD-OUT\n", EINVAL, 1,
		  "REM LEAD-OUT needs a time");
	cue_fails("a FILE that is a folder", "FILE \".\" BINARY\n" T1 I1, EISDIR, 1,
		  "\".\": Is a directory");
	write_file("nofmt.wav", "RIFFxxxxWAVEdata\x08\0\0\0abcdefgh", 28);
	cue_fails("WAVE data before fmt", "FILE \"nofmt.wav\" WAVE\n" T1 I1, EINVAL, 1,
		  "\"nofmt.wav\": data before the fmt chunk");
	write_file("shortfmt.wav", "RIFFxxxxWAVEfmt \x04\0\0\0\x01\0\x02\0", 24);
	cue_fails("WAVE with a short fmt chunk", "FILE \"shortfmt.wav\" WAVE\n" T1 I1, EINVAL, 1,
		  "\"shortfmt.wav\": a bad fmt chunk");
	write_file("nodata.wav", "RIFFxxxxWAVEJUNK\x02\0\0\0ab", 22);
	cue_fails("WAVE without fmt and data", "FILE \"nodata.wav\" WAVE\n" T1 I1, EINVAL, 1,
		  "\"nodata.wav\" has no fmt chunk");
	write_file("err.cue", nul, sizeof(nul));
	cue_fails("binary .cue", NULL, EINVAL, 0, "binary data (a NUL byte): not a cue sheet");
	make_bin("err.cue", (1 << 20) + 1);
	cue_fails("a .cue over 1 MiB", NULL, EFBIG, 0, "larger than 1048576 bytes: not a cue sheet");
	test_too_many();
}

/* ---- the serialiser ---- */

static void test_serialise(void)
{
	struct nlattr *tb[VCDROM_A_MAX + 1], *dtb[VCDROM_DISC_A_MAX + 1];
	struct nlattr *a, *b, *c;
	unsigned int indexes = 0, isrcs = 0;
	struct vcd_disc d;
	struct nl_msg *msg;
	int r1, r2, r3;

	if (!load_cue("for the serialiser", "ser.cue",
		      "CATALOG 1234567890123\nTITLE \"T\"\n"
		      "FILE \"e.bin\" BINARY\nTRACK 01 AUDIO\nISRC USRC17607839\n"
		      "INDEX 01 00:00:00\nINDEX 02 00:00:10\nINDEX 03 00:00:20\n", &d))
		return;
	msg = nlmsg_alloc();
	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0x42, 0, 0, VCDROM_CMD_INSERT,
		    VCDROM_GENL_VERSION);
	ok(vcd_disc_put(msg, &d) == 0 &&
	   genlmsg_parse(nlmsg_hdr(msg), 0, tb, VCDROM_A_MAX, NULL) == 0 && tb[VCDROM_A_DISC] &&
	   nla_parse_nested(dtb, VCDROM_DISC_A_MAX, tb[VCDROM_A_DISC], NULL) == 0,
	   "serialise: a CUE disc");
	ok(dtb[VCDROM_DISC_A_MEDIUM] && nla_get_u32(dtb[VCDROM_DISC_A_MEDIUM]) == VCDROM_MEDIUM_CD,
	   "serialise: MEDIUM CD");
	ok(dtb[VCDROM_DISC_A_MCN] &&
	   !strcmp(nla_get_string(dtb[VCDROM_DISC_A_MCN]), "1234567890123") &&
	   nla_len(dtb[VCDROM_DISC_A_MCN]) == 14, "serialise: MCN, a 13-digit string");
	ok(dtb[VCDROM_DISC_A_CDTEXT] && nla_len(dtb[VCDROM_DISC_A_CDTEXT]) == (int)d.cdtext_len &&
	   !memcmp(nla_data(dtb[VCDROM_DISC_A_CDTEXT]), d.cdtext, d.cdtext_len),
	   "serialise: CDTEXT, the packs");
	nla_for_each_nested(a, tb[VCDROM_A_DISC], r1) {
		if (nla_type(a) != VCDROM_DISC_A_SESSION)
			continue;
		nla_for_each_nested(b, a, r2) {
			nla_for_each_nested(c, b, r3) {
				if (nla_type(c) == VCDROM_TRACK_A_INDEX)
					indexes = indexes * 100 + nla_get_u32(c);
				if (nla_type(c) == VCDROM_TRACK_A_ISRC &&
				    !strcmp(nla_get_string(c), "USRC17607839"))
					isrcs++;
			}
		}
	}
	ok(indexes == 1020 && isrcs == 1, "serialise: INDEX 10, INDEX 20 in order; ISRC");
	nlmsg_free(msg);
	vcd_disc_free(&d);
}

/* ---- the TOC as vcdromctl prints it ---- */

static char *print_toc(enum out_mode mode, const struct vcd_toc *toc)
{
	struct out o;
	char *buf;
	size_t size;
	FILE *f = open_memstream(&buf, &size);

	out_init(&o, mode, f);
	out_toc(&o, toc);
	fclose(f);
	return buf;
}

static void test_toc_output(void)
{
	struct vcd_disc d;
	struct vcd_toc toc;
	char *s;

	make_bin("s1.bin", 100 * 2352);
	make_bin("s2.bin", 200 * 2352);
	if (!load_cue("for the TOC", "toc.cue",
		      "CATALOG 0000010271955\n"
		      "FILE \"s1.bin\" BINARY\nTRACK 01 AUDIO\nFLAGS DCP PRE\nINDEX 01 00:00:00\n"
		      "REM SESSION 02\n"
		      "FILE \"s2.bin\" BINARY\nTRACK 02 MODE2/2352\nINDEX 00 00:00:00\n"
		      "INDEX 01 00:02:00\n", &d))
		return;
	vcd_disc_toc(&d, &toc);
	vcd_disc_free(&d);
	s = print_toc(OUT_TABLE, &toc);
	ok_str(s, "SESSION  TRACK     TYPE   START  MSF       FLAGS\n"
		  "1        1         audio  0      00:02:00  dcp,pre\n"
		  "2        2         data   11500  02:35:25  -\n"
		  "2        lead-out  -      11550  02:36:00  -\n"
		  "mcn: 0000010271955\n", "TOC", "as a table");
	free(s);
	s = print_toc(OUT_JSON, &toc);
	ok_str(s, "{\"sessions\":2,\"mcn\":\"0000010271955\",\"leadout\":{\"session\":2,"
		  "\"track\":\"lead-out\",\"start\":11550,\"msf\":\"02:36:00\"},\"tracks\":["
		  "{\"session\":1,\"track\":1,\"type\":\"audio\",\"start\":0,\"msf\":\"00:02:00\","
		  "\"flags\":\"dcp,pre\"},"
		  "{\"session\":2,\"track\":2,\"type\":\"data\",\"start\":11500,"
		  "\"msf\":\"02:35:25\",\"flags\":null}]}\n", "TOC", "as JSON");
	free(s);
}

/* ---- third-party sheets ---- */

static const char *corpora(void)
{
	static char path[PATH_MAX];
	const char *env = getenv("VCDROM_CORPORA");
	struct stat st;

	snprintf(path, sizeof(path), "%s", env && *env ? env : "../../shared/corpora");
	return !stat(path, &st) && S_ISDIR(st.st_mode) ? path : NULL;
}

static void load_file(const char *what, const char *path, int want, unsigned int tracks,
		      uint32_t leadout)
{
	struct vcd_load ld = { 0 };
	struct vcd_disc d;
	struct vcd_toc toc;
	int ret;

	vcd_disc_init(&d);
	ret = vcd_load_image(path, &d, &ld);
	if (!want) {
		vcd_disc_toc(&d, &toc);
		if (!ok(ret == 0 && nr_tracks(&d) == tracks && (!leadout || toc.leadout == leadout),
			"%s: loads, %u tracks%s", what, tracks,
			leadout ? ", lead-out as expected" : ""))
			printf("# %d: %s: %s; %u tracks, lead-out %u\n", ret, ld.object, ld.reason,
			       nr_tracks(&d), toc.leadout);
	} else {
		if (!ok(ret == -want, "%s: refused", what))
			printf("# returned %d\n", ret);
		else
			printf("# %s: %s\n", ld.object, ld.reason);
	}
	vcd_disc_free(&d);
}

/*
 * Our TOC of a libcdio sheet against the track list in cd-info's output
 * for it (the .right file): number, LSN, audio or data, copy permitted,
 * lead-out, MCN.
 */
static void test_libcdio_right(const char *base, const char *cue, const char *right)
{
	char path[PATH_MAX], line[256], type[16], copy[8], mcn[32] = "";
	unsigned int num, lsn, i = 0, bad = 0;
	uint32_t leadout = 0;
	struct vcd_load ld = { 0 };
	struct vcd_disc d;
	struct vcd_toc toc;
	FILE *f;

	snprintf(path, sizeof(path), "%s/libcdio/data/%s", base, cue);
	vcd_disc_init(&d);
	if (vcd_load_image(path, &d, &ld)) {
		ok(false, "libcdio %s: loads (%s)", cue, ld.reason);
		return;
	}
	vcd_disc_toc(&d, &toc);
	vcd_disc_free(&d);
	snprintf(path, sizeof(path), "%s/libcdio/%s", base, right);
	f = fopen(path, "r");
	if (!f) {
		skip("no .right file", "libcdio %s against cd-info", cue);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Media Catalog Number (MCN): %31s", mcn) == 1)
			continue;
		copy[0] = '\0';
		if (sscanf(line, " %u: %*u:%*u:%*u %u %15s %*s %7s", &num, &lsn, type, copy) < 3)
			continue;
		if (num == 170) {
			leadout = lsn;
			continue;
		}
		if (i >= toc.nr_tracks || toc.tracks[i].number != num ||
		    toc.tracks[i].start != lsn ||
		    !(toc.tracks[i].control & VCD_Q_DATA) != !strcmp(type, "audio") ||
		    !(toc.tracks[i].control & VCD_Q_DCP) != !!strcmp(copy, "yes"))
			bad++;
		i++;
	}
	fclose(f);
	if (!strcmp(mcn, "not"))
		mcn[0] = '\0';
	ok(i && !bad && i == toc.nr_tracks && leadout == toc.leadout && !strcmp(mcn, toc.mcn),
	   "libcdio %s: the tracks, lead-out and MCN cd-info reads from it (%s)", cue, right);
}

static void test_libcdio(const char *base)
{
	static const char *const bad[] = {
		"bad-cat1.cue", "bad-cat2.cue", "bad-cat3.cue", "bad-mode1.cue",
		"bad-msf-1.cue", "bad-msf-2.cue", "bad-msf-3.cue",
	};
	static const struct {
		const char *name;
		unsigned int packs;
	} cdts[] = {
		{ "cdtext.cdt", 96 },		/* 2 blocks, a NUL after them */
		{ "cdtext-krosis.cdt", 47 },
		{ "cdtext-libburnia.cdt", 91 },
	};
	char path[PATH_MAX], sheet[PATH_MAX + 128], what[64];
	struct vcd_load ld = { 0 };
	struct vcd_disc d;
	unsigned int i;

	snprintf(path, sizeof(path), "%s/libcdio/data/cdda.cue", base);
	load_file("libcdio cdda.cue (FILE \"CDDA.BIN\")", path, 0, 1, 302);
	snprintf(path, sizeof(path), "%s/libcdio/data/isofs-m1.cue", base);
	load_file("libcdio isofs-m1.cue", path, 0, 1, 302);
	snprintf(path, sizeof(path), "%s/libcdio/data/cdda_4_5.cue", base);
	load_file("libcdio cdda_4_5.cue", path, 0, 2, 302);
	snprintf(path, sizeof(path), "%s/libcdio/data/p1.cue", base);
	load_file("libcdio p1.cue (FILE \"BOING.BIN\")", path, 0, 2, 302);
	test_libcdio_right(base, "cdda.cue", "cdda.right");
	test_libcdio_right(base, "cdda_4_5.cue", "cdda_4_5.right");
	test_libcdio_right(base, "isofs-m1.cue", "isofs-m1.right");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(path, sizeof(path), "%s/libcdio/data/%s", base, bad[i]);
		load_file(bad[i], path, EINVAL, 0, 0);
	}

	for (i = 0; i < ARRAY_SIZE(cdts) && realpath(base, path); i++) {
		snprintf(sheet, sizeof(sheet), "CDTEXTFILE \"%s/libcdio/data/%s\"\n"
			 "FILE \"e.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n",
			 path, cdts[i].name);
		snprintf(what, sizeof(what), "libcdio %s as CDTEXTFILE", cdts[i].name);
		if (load_cue(what, "cdt-libcdio.cue", sheet, &d))
			ok(d.cdtext_len == cdts[i].packs * 18 && crcs_valid(d.cdtext, d.cdtext_len),
			   "libcdio %s: %u packs, their CRCs good", cdts[i].name, cdts[i].packs);
		vcd_disc_free(&d);
	}

	vcd_disc_init(&d);
	snprintf(path, sizeof(path), "%s/libcdio/data/cdda.cue", base);
	if (!vcd_load_image(path, &d, &ld)) {
		ok(!strcmp(d.mcn, "0000010271955") && track(&d, 0)->flags == VCDROM_TRACK_F_DCP &&
		   d.cdtext && packs_valid(d.cdtext, d.cdtext_len) &&
		   !memcmp(d.cdtext + 4, "Join us now ", 12),
		   "libcdio cdda.cue: MCN, DCP, CD-TEXT TITLE");
	}
	vcd_disc_free(&d);
}

/*
 * Make every FILE a whipper sheet names, as silence a minute longer than its
 * last INDEX, then load it. kanye.cue's data track is EAC's "MODEx/2xxx":
 * refused.
 */
static void test_whipper_cue(const char *base, const char *name)
{
	char src[PATH_MAX], line[1024], files[100][256], *q, *e, *s;
	unsigned int tracks = 0, nfiles = 0, m, sec, f, i;
	uint32_t last[100] = { 0 };
	FILE *in, *out;

	snprintf(src, sizeof(src), "%s/whipper/%s", base, name);
	in = fopen(src, "r");
	out = fopen(tmp_path(name), "w");
	if (!in || !out)
		die(src);
	while (fgets(line, sizeof(line), in)) {
		fputs(line, out);
		s = line + strspn(line, " \t");
		if (!strncmp(s, "TRACK ", 6))
			tracks++;
		if (nfiles && sscanf(s, "INDEX %*u %u:%u:%u", &m, &sec, &f) == 3)
			last[nfiles - 1] = (m * 60 + sec) * 75 + f;
		if (strncmp(s, "FILE \"", 6) || nfiles == ARRAY_SIZE(files))
			continue;
		q = s + 6;
		e = strrchr(q, '"');
		*e = '\0';
		for (s = q; (s = strchr(s, '\\')); )
			*s = '/';
		snprintf(files[nfiles++], sizeof(files[0]), "%s", q);
	}
	fclose(in);
	fclose(out);
	for (i = 0; i < nfiles; i++) {
		s = strrchr(files[i], '/');
		if (s) {
			*s = '\0';
			mkdir(tmp_path(files[i]), 0755);
			*s = '/';
		}
		make_wav(files[i], 2, 44100, 16, false, 0, (last[i] + 60 * 75) * 2352ULL);
	}
	snprintf(src, sizeof(src), "whipper %s", name);
	load_file(src, tmp_path(name), strcmp(name, "kanye.cue") ? 0 : EINVAL, tracks, 0);
}

/* The CDDB disc id of a TOC, as cd-discid and whipper compute it. */
static uint32_t cddb_id(const struct vcd_toc *toc)
{
	unsigned int i, n = 0, s;

	for (i = 0; i < toc->nr_tracks; i++)
		for (s = (toc->tracks[i].start + 150) / 75; s; s /= 10)
			n += s % 10;
	return (n % 0xff) << 24 |
	       ((toc->leadout + 150) / 75 - (toc->tracks[0].start + 150) / 75) << 8 |
	       toc->nr_tracks;
}

/*
 * whipper's single-file sheets over a data.wav as long as the disc's .toc
 * says: the disc id in their REM DISCID must come out.
 */
static void test_whipper_discid(const char *base, const char *name)
{
	char path[PATH_MAX], line[256];
	unsigned int m1, s1, f1, m2, s2, f2, want = 0;
	uint32_t end = 0;
	struct vcd_disc d;
	struct vcd_toc toc;
	FILE *f;

	snprintf(path, sizeof(path), "%s/whipper/%s.toc", base, name);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "FILE \"data.wav\" %u:%u:%u %u:%u:%u", &m1, &s1, &f1,
			   &m2, &s2, &f2) == 6)
			end = (m1 * 60 + s1) * 75 + f1 + (m2 * 60 + s2) * 75 + f2;
	if (f)
		fclose(f);
	snprintf(path, sizeof(path), "%s/whipper/%s.cue", base, name);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "REM DISCID %x", &want) == 1)
			break;
	if (f)
		fclose(f);
	if (!end || !want) {
		skip("no .toc or no REM DISCID", "whipper %s: disc id", name);
		return;
	}
	/* next to a data.wav of ours */
	make_wav("data.wav", 2, 44100, 16, false, end * 2352, end * 2352ULL);
	snprintf(path, sizeof(path), "%s/whipper/%s.cue", base, name);
	copy_file(path, "discid.cue");
	vcd_disc_init(&d);
	if (vcd_load_image(tmp_path("discid.cue"), &d, &(struct vcd_load){ 0 })) {
		ok(false, "whipper %s: loads over a data.wav of %u sectors", name, end);
		return;
	}
	vcd_disc_toc(&d, &toc);
	if (!ok(cddb_id(&toc) == want, "whipper %s: CDDB disc id %08x", name, want))
		printf("# got %08x\n", cddb_id(&toc));
	vcd_disc_free(&d);
}

static bool toc_msf(const char *s, uint32_t *v)
{
	unsigned int m, sec, f;

	if (!strcmp(s, "0")) {
		*v = 0;
		return true;
	}
	if (sscanf(s, "%u:%u:%u", &m, &sec, &f) != 3)
		return false;
	*v = (m * 60 + sec) * 75 + f;
	return true;
}

/*
 * capital.1.toc and capital.2.toc are the sessions of one enhanced CD. As a
 * Redump sheet (session 2's pregap stored as INDEX 00) its data track must
 * start at LBA 209100 and its disc id be b910140c.
 */
static void test_whipper_capital(const char *base)
{
	char path[PATH_MAX], line[256], a[32], b[32], *sheet = malloc(16384), *p = sheet;
	uint32_t start = 0, len = 0, idx1 = 0, end = 0, silence = 0;
	unsigned int n = 0;
	struct vcd_disc d;
	struct vcd_toc toc;
	FILE *f;

	snprintf(path, sizeof(path), "%s/whipper/capital.1.toc", base);
	f = fopen(path, "r");
	if (!f) {
		skip("no capital.1.toc", "whipper capital: two sessions");
		free(sheet);
		return;
	}
	p += sprintf(p, "REM SESSION 01\nFILE \"data.wav\" WAVE\n");
	/* a track's INDEX 01 is written when the next one (or the end) comes */
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "TRACK AUDIO", 11)) {
			if (n)
				p += sprintf(p, "INDEX 01 %02u:%02u:%02u\n", (start + idx1) / 4500,
					     (start + idx1) / 75 % 60, (start + idx1) % 75);
			p += sprintf(p, "TRACK %02u AUDIO\n", ++n);
			idx1 = silence = 0;
		} else if (sscanf(line, "SILENCE %31s", a) == 1 && toc_msf(a, &silence)) {
			p += sprintf(p, "PREGAP %02u:%02u:%02u\n", silence / 4500, silence / 75 % 60,
				     silence % 75);
		} else if (sscanf(line, "FILE \"data.wav\" %31s %31s", a, b) == 2 &&
			   toc_msf(a, &start) && toc_msf(b, &len)) {
			end = start + len;
		} else if (sscanf(line, "START %31s", a) == 1 && toc_msf(a, &idx1)) {
			/* START counts from the track's start, SILENCE (its PREGAP) included */
			idx1 -= silence;
			if (idx1)
				p += sprintf(p, "INDEX 00 %02u:%02u:%02u\n", start / 4500,
					     start / 75 % 60, start % 75);
		}
	}
	fclose(f);
	p += sprintf(p, "INDEX 01 %02u:%02u:%02u\n", (start + idx1) / 4500,
		     (start + idx1) / 75 % 60, (start + idx1) % 75);
	p += sprintf(p, "REM SESSION 02\nFILE \"data_1.bin\" BINARY\nTRACK %02u MODE1/2048\n"
		     "INDEX 00 00:00:00\nINDEX 01 00:02:00\n", n + 1);
	make_wav("data.wav", 2, 44100, 16, false, end * 2352, end * 2352ULL);
	make_bin("data_1.bin", (150 + 123750) * 2048ULL);	/* 27:30:00 of data */
	if (!load_cue("whipper capital.1 + capital.2 as one Redump sheet", "capital.cue", sheet,
		      &d)) {
		free(sheet);
		return;
	}
	vcd_disc_toc(&d, &toc);
	ok(toc.nr_sessions == 2 && toc.nr_tracks == 12 && toc.tracks[11].start == 209100 &&
	   toc.tracks[11].session == 2, "whipper capital: data track 12 in session 2 at 209100");
	if (!ok(cddb_id(&toc) == 0xb910140c, "whipper capital: CDDB disc id b910140c"))
		printf("# got %08x\n", cddb_id(&toc));
	vcd_disc_free(&d);
	free(sheet);
}

static void test_whipper(const char *base)
{
	struct dirent **names;
	char path[PATH_MAX];
	const char *name;
	int i, n;

	snprintf(path, sizeof(path), "%s/whipper", base);
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0) {
		skip("no whipper corpus", "whipper sheets");
		return;
	}
	for (i = 0; i < n; i++) {
		name = names[i]->d_name;
		if (strlen(name) > 4 && !strcmp(name + strlen(name) - 4, ".cue"))
			test_whipper_cue(base, name);
		free(names[i]);
	}
	free(names);
	test_whipper_discid(base, "bloc");
	test_whipper_discid(base, "breeders");
	test_whipper_discid(base, "cure");
	test_whipper_capital(base);
}

int main(void)
{
	const char *base;

	tap_begin("cue");
	test_shared_file();
	test_modes();
	test_mixed_file();
	test_gaps();
	test_wave();
	test_sessions();
	test_cdtext();
	test_cdtextfile();
	test_paths();
	test_eac();
	test_errors();
	test_serialise();
	test_toc_output();
	base = corpora();
	if (base) {
		test_libcdio(base);
		test_whipper(base);
	} else {
		skip("no shared/corpora", "third-party sheets");
	}

	return tap_end();
}
