// SPDX-License-Identifier: GPL-2.0
/*
 * Host-only unit tests for the TOC loader: handwritten toc-files over small
 * generated files, checked against the layout they must make (LBAs,
 * extents, offsets, formats, flags, ISRC, MCN, CD-TEXT), the byte order of
 * raw audio, and every refusal with its file, line and reason; several TOC
 * files as one disc of several sessions. Then, where
 * ../../shared/corpora is (VCDROM_CORPORA overrides it), cdrdao's test
 * TOCs against the starts and ends `cdrdao show-toc` printed (gold/).
 *
 * Prints TAP, then "N passed, N failed"; exits 1 if anything failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "loaders.h"
#include "tap.h"

static struct noted notes;

static bool load_toc(const char *what, const char *name, const char *text, struct vcd_disc *disc)
{
	struct vcd_load ld = { .note = note, .note_arg = &notes };
	const char *path = text ? write_text(name, text) : name;
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

/* @text must be refused at @line (0: no line) for @reason, leaving no fd open. */
static void toc_fails(const char *what, const char *text, unsigned int line, const char *reason)
{
	struct vcd_load ld = { 0 };
	struct vcd_disc disc;
	char object[PATH_MAX + 16];
	const char *path = write_text("bad.toc", text);
	int fd = next_fd(), ret;

	vcd_disc_init(&disc);
	ret = vcd_load_image(path, &disc, &ld);
	ok(ret < 0 && !disc.nr_sessions && !disc.nr_files && next_fd() == fd,
	   "%s: refused, nothing kept", what);
	if (line)
		snprintf(object, sizeof(object), "%s:%u", path, line);
	else
		snprintf(object, sizeof(object), "%s", path);
	ok_str(ld.object, object, what, "where");
	ok_str(ld.reason, reason, what, "why");
	vcd_disc_free(&disc);
}

static const struct vcd_track *track(const struct vcd_disc *d, unsigned int n)
{
	return n < d->sessions[0].nr_tracks ? &d->sessions[0].tracks[n] : NULL;
}

static bool ext_is(const struct vcd_track *t, unsigned int i, uint32_t start, uint32_t len,
		   uint32_t format, int file, uint64_t offset)
{
	const struct vcd_extent *e = i < t->nr_extents ? &t->extents[i] : NULL;

	if (!e)
		return false;
	if (e->start != start || e->length != len || e->format != format) {
		printf("# extent %u: %u+%u format %u\n", i, e->start, e->length, e->format);
		return false;
	}
	if (format == VCDROM_SECTOR_ZERO)
		return true;
	if ((int)e->file != file || e->offset != offset) {
		printf("# extent %u: file %u offset %llu\n", i, e->file,
		       (unsigned long long)e->offset);
		return false;
	}
	return true;
}

static void put_le(uint8_t *p, uint32_t v, unsigned int n)
{
	while (n--) {
		*p++ = v;
		v >>= 8;
	}
}

/* A WAVE file of CD audio: a 44-byte header, then @len bytes. */
static void make_wav(const char *name, uint32_t len)
{
	uint8_t h[44] = { 0 };
	char *path;
	int fd;

	memcpy(h, "RIFF", 4);
	put_le(h + 4, 36 + len, 4);
	memcpy(h + 8, "WAVEfmt ", 8);
	put_le(h + 16, 16, 4);
	put_le(h + 20, 1, 2);
	put_le(h + 22, 2, 2);
	put_le(h + 24, 44100, 4);
	put_le(h + 28, 44100 * 4, 4);
	put_le(h + 32, 4, 2);
	put_le(h + 34, 16, 2);
	memcpy(h + 36, "data", 4);
	put_le(h + 40, len, 4);
	path = write_file(name, h, sizeof(h));
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || ftruncate(fd, sizeof(h) + len))
		die(path);
	close(fd);
}

static void test_statements(void)
{
	const struct vcd_track *t;
	struct vcd_disc d;

	make_file("a.raw", 300 * 2352, NULL, 0);
	make_file("d.bin", 400 * 2048, NULL, 0);
	make_wav("c.wav", 100 * 2352);
	if (!load_toc("every statement", "all.toc",
		      "// a comment\nCD_ROM\nCATALOG \"0724385356926\"\n"
		      "TRACK MODE1\nDATAFILE \"d.bin\" 0:1:0\nDATAFILE \"d.bin\" 2048\n"
		      "ZERO 0:2:0 // post-gap\n"
		      "TRACK AUDIO\nCOPY\nPRE_EMPHASIS\nFOUR_CHANNEL_AUDIO\nISRC \"DEMUA9800001\"\n"
		      "SILENCE 0:2:0\nSTART\nFILE \"a.raw\" 0 0:2:0\nAUDIOFILE \"a.raw\" SWAP #4704 0:0:10 588\n"
		      "FILE \"c.wav\" 0\nINDEX 0:1:0\nINDEX 0:2:0\n"
		      "TRACK AUDIO\nNO COPY\nNO PRE_EMPHASIS\nTWO_CHANNEL_AUDIO\nPREGAP 0:1:0\n"
		      "DATAFILE \"a.raw\" #0 0:0:5\nDATAFILE \"a.raw\"\n"
		      "TRACK MODE1\nZERO MODE1 4096\nSTART 0:0:1\nDATAFILE \"d.bin\" #2048\n",
		      &d))
		return;
	ok(!strcmp(d.mcn, "0724385356926") && d.nr_sessions == 1 &&
	   d.sessions[0].nr_tracks == 4 && d.nr_files == 3, "every statement: MCN, 4 tracks, 3 files");
	t = track(&d, 0);
	ok(t && t->mode == VCDROM_TRACK_MODE1 && t->start == 0 && t->nr_extents == 3 &&
	   ext_is(t, 0, 0, 75, VCDROM_SECTOR_COOKED_2048, 0, 0) &&
	   ext_is(t, 1, 75, 1, VCDROM_SECTOR_COOKED_2048, 0, 75 * 2048) &&
	   ext_is(t, 2, 76, 150, VCDROM_SECTOR_ZERO, 0, 0),
	   "DATAFILE without #offset goes on where the last one stopped; ZERO");
	t = track(&d, 1);
	ok(t && t->mode == VCDROM_TRACK_AUDIO && t->start == 226 + 150 &&
	   t->flags == (VCDROM_TRACK_F_DCP | VCDROM_TRACK_F_PRE | VCDROM_TRACK_F_4CH) &&
	   !strcmp(t->isrc, "DEMUA9800001"), "COPY, PRE_EMPHASIS, FOUR_CHANNEL_AUDIO, ISRC, START");
	ok(t && t->nr_extents == 4 &&
	   ext_is(t, 0, 226, 150, VCDROM_SECTOR_ZERO, 0, 0) &&
	   ext_is(t, 1, 376, 150, VCDROM_SECTOR_RAW_SWAPPED, 1, 0) &&
	   ext_is(t, 2, 526, 1, VCDROM_SECTOR_RAW, 1, 4704 + 10 * 2352) &&
	   ext_is(t, 3, 527, 100, VCDROM_SECTOR_RAW, 2, 44),
	   "raw audio is big-endian, SWAP and .wav little-endian; #offset, start, length in samples");
	ok(t && t->nr_indexes == 2 && t->indexes[0] == 376 + 75 && t->indexes[1] == 376 + 150,
	   "INDEX counts from index 1");
	t = track(&d, 2);
	ok(t && !t->flags && t->start == 627 + 75 && t->nr_extents == 3 &&
	   ext_is(t, 0, 627, 75, VCDROM_SECTOR_ZERO, 0, 0) &&
	   ext_is(t, 1, 702, 5, VCDROM_SECTOR_RAW_SWAPPED, 1, 0) &&
	   ext_is(t, 2, 707, 295, VCDROM_SECTOR_RAW_SWAPPED, 1, 5 * 2352),
	   "NO COPY, PREGAP; DATAFILE in an AUDIO track is raw big-endian audio");
	t = track(&d, 3);
	ok(t && t->start == 1003 && ext_is(t, 0, 1002, 2, VCDROM_SECTOR_ZERO, 0, 0) &&
	   ext_is(t, 1, 1004, 399, VCDROM_SECTOR_COOKED_2048, 0, 2048),
	   "ZERO in bytes of a mode; START with a time; DATAFILE #offset to the end");
	vcd_disc_free(&d);
}

static void test_modes(void)
{
	static const struct {
		const char *mode;
		unsigned int size;
		uint32_t tmode, format;
	} m[] = {
		{ "MODE1", 2048, VCDROM_TRACK_MODE1, VCDROM_SECTOR_COOKED_2048 },
		{ "MODE1_RAW", 2352, VCDROM_TRACK_MODE1, VCDROM_SECTOR_RAW },
		{ "MODE2", 2336, VCDROM_TRACK_MODE2_XA, VCDROM_SECTOR_MODE2 },
		{ "MODE2_RAW", 2352, VCDROM_TRACK_MODE2_XA, VCDROM_SECTOR_RAW },
		{ "MODE2_FORM1", 2048, VCDROM_TRACK_MODE2_XA, VCDROM_SECTOR_COOKED_2048 },
		{ "MODE2_FORM2", 2324, VCDROM_TRACK_MODE2_XA, VCDROM_SECTOR_COOKED_2324 },
		{ "MODE2_FORM_MIX", 2336, VCDROM_TRACK_MODE2_XA, VCDROM_SECTOR_MODE2 },
		{ "AUDIO RW_RAW", 2448, VCDROM_TRACK_AUDIO, VCDROM_SECTOR_RAW_PW },
		{ "MODE1_RAW RW_RAW", 2448, VCDROM_TRACK_MODE1, VCDROM_SECTOR_RAW_PW },
	};
	char text[256], what[64];
	struct vcd_disc d;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(m); i++) {
		make_file("m.bin", 10 * m[i].size, NULL, 0);
		snprintf(text, sizeof(text), "CD_ROM_XA\nTRACK %s\n%s\"m.bin\"%s\n", m[i].mode,
			 strncmp(m[i].mode, "AUDIO", 5) ? "DATAFILE " : "DATAFILE ",
			 strncmp(m[i].mode, "AUDIO", 5) ? "" : "");
		snprintf(what, sizeof(what), "TRACK %s", m[i].mode);
		if (!strcmp(m[i].mode, "AUDIO RW_RAW")) {
			toc_fails(what, text, 3, "track 1: big-endian audio with sub-channel data is not supported (SWAP it)");
			continue;
		}
		if (!load_toc(what, "m.toc", text, &d))
			continue;
		ok(d.sessions[0].tracks[0].mode == m[i].tmode &&
		   ext_is(&d.sessions[0].tracks[0], 0, 0, 10, m[i].format, 0, 0),
		   "%s: mode and sector format", what);
		vcd_disc_free(&d);
	}
	make_file("m.bin", 10 * 2336, NULL, 0);
	if (load_toc("MODE2 on CD_ROM", "m.toc", "CD_ROM\nTRACK MODE2\nDATAFILE \"m.bin\"\n", &d)) {
		ok(d.sessions[0].tracks[0].mode == VCDROM_TRACK_MODE2, "MODE2 on CD_ROM is formless");
		vcd_disc_free(&d);
	}
}

static void test_cdtext(void)
{
	struct vcd_disc d;

	if (!load_toc("CD-TEXT", "t.toc",
		      "CD_DA\nCD_TEXT {\n LANGUAGE_MAP { 0 : 8 1 : EN }\n"
		      " LANGUAGE 0 { TITLE \"Disc \\\"x\\\" \\101\" PERFORMER \"P\" DISC_ID \"XY1\"\n"
		      "  GENRE { 0, 8, 74, 97, 122, 122, 0 } UPC_EAN \"\" TOC_INFO1 { 1, 2 } }\n"
		      " LANGUAGE 1 { TITLE \"other\" }\n}\n"
		      "TRACK AUDIO\nCD_TEXT { LANGUAGE 0 { TITLE \"T1\" ISRC \"DE-MUA-98-00001\" } }\n"
		      "SILENCE 0:4:0\n", &d))
		return;
	ok(d.cdtext && d.cdtext_len % 18 == 0 && d.cdtext[0] == 0x80 &&
	   !memcmp(d.cdtext + 4, "Disc \"x\" A", 10), "CD-TEXT: TITLE first, with \\\" and \\101");
	ok(d.cdtext && d.cdtext[d.cdtext_len - 18 + 4 + 4] == 8,
	   "CD-TEXT: SIZE_INFO has LANGUAGE_MAP's code of language 0");
	ok(notes.n == 1 && strstr(notes.text, "languages other than 0"),
	   "CD-TEXT: other languages left out, with a note");
	vcd_disc_free(&d);
	if (!load_toc("CD-TEXT escape in UTF-8", "t8.toc",
		      "CD_DA\nCD_TEXT {\n LANGUAGE_MAP { 0 : EN }\n"
		      " LANGUAGE 0 { TITLE \"\\361\xc3\xa9\" } }\nTRACK AUDIO\nSILENCE 0:4:0\n", &d))
		return;
	ok(d.cdtext && !memcmp(d.cdtext + 4, "\xf1\xe9", 3),
	   "CD-TEXT: an octal escape in a UTF-8 file is a Latin-1 byte");
	vcd_disc_free(&d);
}

static void test_errors(void)
{
	make_file("e.bin", 100 * 2352, NULL, 0);
	make_wav("w.wav", 10 * 2352);
	toc_fails("unknown track mode", "CD_DA\n\nTRACK MODE3\nSILENCE 1:0:0\n", 3,
		  "unknown track mode \"MODE3\"");
	toc_fails("bad CATALOG", "CATALOG \"12345\"\nTRACK AUDIO\nSILENCE 1:0:0\n", 1,
		  "bad CATALOG \"12345\" (13 digits)");
	toc_fails("CATALOG without a string", "// c\nCATALOG 1234567890123\nTRACK AUDIO\n", 2,
		  "a \"catalog number\" (13 digits) expected, not \"1234567890123\"");
	toc_fails("bad ISRC", "TRACK AUDIO\nISRC \"DE-MUA-98\"\nSILENCE 1:0:0\n", 2,
		  "bad ISRC \"DE-MUA-98\" (CCOOOYYSSSSS: 5 capitals or digits, then 7 digits)");
	toc_fails("bad time", "TRACK AUDIO\nSILENCE 0:60:0\n", 2,
		  "bad time 0:60:0 (seconds below 60, frames below 75)");
	toc_fails("no track", "CD_DA\n", 0, "no TRACK");
	toc_fails("track without data", "TRACK AUDIO\nTRACK AUDIO\n", 2,
		  "SILENCE, ZERO, FILE, AUDIOFILE or DATAFILE expected, not \"TRACK\"");
	toc_fails("string not closed", "TRACK AUDIO\nFILE \"e.bin 0\n", 2, "a string is not closed");
	toc_fails("unknown word", "TRACK AUDIO\nSILENCE 1:0:0\nPOSTGAP 0:2:0\n", 3,
		  "TRACK expected, not \"POSTGAP\"");
	toc_fails("packed RW", "TRACK MODE1_RAW RW\nZERO 1:0:0\n", 1,
		  "sub-channel mode RW (packed R-W) is not supported; RW_RAW is");
	toc_fails("RW_RAW with MODE1", "TRACK MODE1 RW_RAW\nZERO 1:0:0\n", 1,
		  "RW_RAW sub-channel data is supported with AUDIO, MODE1_RAW and MODE2_RAW, not MODE1");
	toc_fails("FILE in a data track", "TRACK MODE1\nFILE \"e.bin\" 0\n", 2,
		  "FILE/AUDIOFILE is for AUDIO tracks (DATAFILE for data)");
	toc_fails("SILENCE in a data track", "TRACK MODE1\nSILENCE 0:2:0\n", 2,
		  "SILENCE is for AUDIO tracks without sub-channel data (ZERO for data)");
	toc_fails("missing file", "TRACK AUDIO\nFILE \"none.bin\" 0\n", 2,
		  "\"none.bin\": No such file or directory");
	toc_fails("standard input", "TRACK AUDIO\nFILE \"-\" 0\n", 2,
		  "\"-\" (standard input) cannot be inserted");
	toc_fails("FIFO", "TRACK AUDIO\nFIFO \"f\" 100\n", 2,
		  "FIFO cannot be inserted (its data is read once)");
	toc_fails("END", "TRACK AUDIO\nSILENCE 1:0:0\nEND 0:30:0\n", 3,
		  "END (a post-gap index mark) is not supported");
	toc_fails("start past the end", "TRACK AUDIO\nFILE \"e.bin\" 0:2:0\n", 2,
		  "\"e.bin\": its start is past its end (235200 bytes of audio)");
	toc_fails("length past the end", "TRACK AUDIO\nFILE \"e.bin\" 0 0:2:0\n", 2,
		  "\"e.bin\": 352800 bytes from its start asked, 235200 there");
	toc_fails("DATAFILE offset past the end", "TRACK MODE1\nDATAFILE \"e.bin\" #235200\n", 2,
		  "\"e.bin\": offset 235200 is past its end (235200 bytes)");
	toc_fails("part ends inside a sector", "TRACK AUDIO\nFILE \"e.bin\" 0 100\nSILENCE 0:1:0\n",
		  2, "track 1: this part ends inside a 2352-byte sector, and more follows");
	toc_fails("track ends inside a sector", "TRACK AUDIO\nFILE \"e.bin\" 0 100\n", 2,
		  "track 1 ends inside a 2352-byte sector before the end of its file");
	toc_fails("SILENCE of length 0", "TRACK AUDIO\nSILENCE 0\n", 2, "SILENCE of length 0");
	toc_fails("ZERO not whole sectors", "TRACK MODE1\nZERO 100\n", 2,
		  "ZERO of 100 bytes: not whole 2048-byte sectors");
	toc_fails("second START", "TRACK AUDIO\nPREGAP 0:2:0\nSILENCE 1:0:0\nSTART\n", 4,
		  "a second START (or START after PREGAP)");
	toc_fails("START at the end", "TRACK AUDIO\nSILENCE 1:0:0\nSTART 1:0:0\n", 3,
		  "START at or after the end of track 1");
	toc_fails("INDEX at 0", "TRACK AUDIO\nSILENCE 1:0:0\nINDEX 0:0:0\n", 3,
		  "INDEX at the start of the track (that is index 1)");
	toc_fails("INDEX not ascending", "TRACK AUDIO\nSILENCE 1:0:0\nINDEX 0:2:0\nINDEX 0:1:0\n",
		  4, "INDEX is not after the INDEX before it");
	toc_fails("INDEX past the end", "TRACK AUDIO\nSILENCE 1:0:0\nINDEX 1:0:0\n", 3,
		  "INDEX past the end of track 1");
	toc_fails("WAVE in a data track", "TRACK MODE1\nDATAFILE \"w.wav\"\n", 2,
		  "\"w.wav\": a WAVE file holds audio, not MODE1");
	toc_fails("#offset in a WAVE file", "TRACK AUDIO\nFILE \"w.wav\" #8 0\n", 2,
		  "\"w.wav\": #offset in a WAVE file is not supported");
	toc_fails("unknown CD-TEXT item", "CD_TEXT { LANGUAGE 0 { NAME \"x\" } }\n", 1,
		  "unknown CD-TEXT item \"NAME\"");
	toc_fails("disc item in a track",
		  "TRACK AUDIO\nCD_TEXT { LANGUAGE 0 { GENRE \"Rock\" } }\nSILENCE 1:0:0\n", 2,
		  "GENRE is for the disc's CD_TEXT, not a track's");
	toc_fails("unmapped language", "CD_TEXT { LANGUAGE 3 { TITLE \"x\" } }\n", 1,
		  "LANGUAGE 3 is not in the LANGUAGE_MAP");
	toc_fails("MS-JIS", "CD_TEXT { LANGUAGE 0 { ENCODING_MS_JIS } }\n", 1,
		  "CD-TEXT in MS_JIS is not supported (only ISO 8859-1)");
	toc_fails("a byte above 255", "CD_TEXT { LANGUAGE 0 { GENRE { 0, 256 } } }\n", 1,
		  "a byte (0 to 255) \"256\" is too big");
}

/* ---- cdrdao's test TOCs against their gold show-toc ---- */

/* ---- several TOC files, one disc ---- */

static bool load_multi(const char *what, const char *const *paths, unsigned int n,
		       struct vcd_disc *disc)
{
	struct vcd_load ld = { .note = note, .note_arg = &notes };
	int ret;

	memset(&notes, 0, sizeof(notes));
	vcd_disc_init(disc);
	ret = vcd_load_images(paths, n, disc, &ld);
	if (!ok(ret == 0, "%s: loads", what))
		printf("# %s: %s\n", ld.object, ld.reason);
	return !ret;
}

/* @paths (with --raw when @raw) must be refused as @object for @reason, leaving no fd open. */
static void multi_fails(const char *what, const char *const *paths, unsigned int n, bool raw,
			const char *object, const char *reason)
{
	struct vcd_load ld = { .sector_size = raw ? 2048 : 0 };
	struct vcd_disc disc;
	int fd = next_fd(), ret;

	vcd_disc_init(&disc);
	ret = vcd_load_images(paths, n, &disc, &ld);
	ok(ret < 0 && !disc.nr_sessions && !disc.nr_files && next_fd() == fd,
	   "%s: refused, nothing kept", what);
	ok_str(ld.object, object, what, "where");
	ok_str(ld.reason, reason, what, "why");
	vcd_disc_free(&disc);
}

/* The track numbered @number, wherever it is; NULL when none. */
static const struct vcd_track *track_no(const struct vcd_disc *d, unsigned int session,
					unsigned int number)
{
	const struct vcd_session *s = session < d->nr_sessions ? &d->sessions[session] : NULL;
	unsigned int i;

	for (i = 0; s && i < s->nr_tracks; i++)
		if (s->tracks[i].number == number)
			return &s->tracks[i];
	return NULL;
}

#define NOT_XA	"is data but not CD-ROM XA (MODE2_FORM1, MODE2_FORM2, MODE2_FORM_MIX, or " \
		"MODE2 in a CD_ROM_XA TOC): a disc of several sessions needs it, as cdrdao " \
		"--multi does"

static void test_sessions(void)
{
	const char *paths[VCDROM_MAX_SESSIONS + 1], *one[1];
	char s1[PATH_MAX], s2[PATH_MAX], s3[PATH_MAX], m1[PATH_MAX], x[PATH_MAX + 128];
	const struct vcd_track *t;
	struct vcd_disc d;
	unsigned int i;
	int fd;

	make_file("sa.raw", 300 * 2352, NULL, 0);
	make_file("sd.bin", 400 * 2048, NULL, 0);
	make_file("sm.bin", 375 * 2336, NULL, 0);
	/* 750 sectors: 300 of a file and 450 of silence */
	snprintf(s1, sizeof(s1), "%s", write_text("s1.toc",
		 "CD_DA\nCATALOG \"0724385356926\"\nTRACK AUDIO\nFILE \"sa.raw\" 0\n"
		 "TRACK AUDIO\nSILENCE 0:6:0\n"));
	snprintf(s2, sizeof(s2), "%s", write_text("s2.toc",
		 "CD_ROM_XA\nTRACK MODE2_FORM1\nDATAFILE \"sd.bin\"\nINDEX 0:1:0\n"));
	snprintf(s3, sizeof(s3), "%s", write_text("s3.toc",
		 "CD_ROM_XA\nCATALOG \"0724385356926\"\nTRACK MODE2\n"
		 "CD_TEXT { LANGUAGE 0 { TITLE \"late\" } }\nDATAFILE \"sm.bin\"\n"));
	snprintf(m1, sizeof(m1), "%s", write_text("m1.toc", "CD_ROM\nTRACK MODE1\n"
		 "DATAFILE \"sd.bin\"\n"));

	paths[0] = s1;
	paths[1] = s2;
	if (load_multi("two TOC files", paths, 2, &d)) {
		ok(d.nr_sessions == 2 && d.sessions[0].nr_tracks == 2 &&
		   d.sessions[1].nr_tracks == 1 && d.nr_files == 2 &&
		   d.medium == VCDROM_MEDIUM_CD && !strcmp(d.mcn, "0724385356926"),
		   "two TOC files: two sessions, 2 + 1 tracks, both files, the MCN");
		t = track_no(&d, 1, 3);
		ok(t && t->mode == VCDROM_TRACK_MODE2_XA && t->start == 750 + 11400 &&
		   t->nr_extents == 2 &&
		   ext_is(t, 0, 750 + 11250, 150, VCDROM_SECTOR_ZERO, 0, 0) &&
		   ext_is(t, 1, 750 + 11400, 400, VCDROM_SECTOR_COOKED_2048, 1, 0),
		   "two TOC files: track 3 after lead-out 6750, lead-in 4500, pre-gap 150");
		ok(t && t->nr_indexes == 1 && t->indexes[0] == 750 + 11400 + 75,
		   "two TOC files: an INDEX moves with its track");
		t = track_no(&d, 0, 2);
		ok(t && t->start == 300 && !notes.n, "two TOC files: session 1 as it was");
		vcd_disc_free(&d);
	}

	paths[2] = s3;
	if (load_multi("three TOC files", paths, 3, &d)) {
		t = track_no(&d, 2, 4);
		ok(d.nr_sessions == 3 && t && t->mode == VCDROM_TRACK_MODE2_XA &&
		   t->start == 12550 + 2250 + 4500 + 150 &&
		   ext_is(t, 1, 19450, 375, VCDROM_SECTOR_MODE2, 2, 0),
		   "three TOC files: track 4 after lead-out 2250, lead-in 4500, pre-gap 150; "
		   "MODE2 of CD_ROM_XA is XA");
		ok(!d.cdtext && notes.n == 1 && !strcmp(notes.object, s3) &&
		   strstr(notes.text, "CD-TEXT is left out"),
		   "three TOC files: a later session's CD-TEXT is left out, with a note");
		vcd_disc_free(&d);
	}

	one[0] = s1;
	if (load_multi("one TOC file", one, 1, &d)) {
		ok(d.nr_sessions == 1 && d.sessions[0].nr_tracks == 2 && track(&d, 1)->start == 300,
		   "one TOC file: as vcd_load_image()");
		vcd_disc_free(&d);
	}

	paths[1] = write_text("c.cue", "FILE \"sd.bin\" BINARY\n  TRACK 01 MODE1/2048\n"
			      "    INDEX 01 00:00:00\n");
	multi_fails("a cue sheet among TOC files", paths, 2, false, paths[1],
		    "CUE sheet, not a cdrdao TOC: a disc of several images takes TOC files "
		    "only, one session each");
	paths[1] = m1;
	multi_fails("MODE1 in session 2", paths, 2, false, m1, "track 1 " NOT_XA);
	paths[0] = m1;
	paths[1] = s2;
	multi_fails("MODE1 in session 1", paths, 2, false, m1, "track 1 " NOT_XA);
	paths[0] = s1;
	paths[1] = write_text("m2.toc", "CD_ROM\nTRACK MODE2\nDATAFILE \"sm.bin\"\n");
	multi_fails("MODE2 outside CD_ROM_XA", paths, 2, false, paths[1], "track 1 " NOT_XA);
	paths[1] = s2;
	paths[2] = write_text("bad2.toc", "CD_ROM_XA\nTRACK MODE3\n");
	snprintf(x, sizeof(x), "%s:2", paths[2]);
	multi_fails("a bad third TOC file", paths, 3, false, x, "unknown track mode \"MODE3\"");
	paths[1] = write_text("cat.toc", "CATALOG \"1234567890123\"\nTRACK AUDIO\nSILENCE 0:4:0\n");
	snprintf(x, sizeof(x), "its catalog number 1234567890123 is not %s's (0724385356926): "
		 "a disc has one", s1);
	multi_fails("two catalog numbers", paths, 2, false, paths[1], x);
	paths[1] = s2;
	multi_fails("--raw", paths, 2, true, s2, "--raw and --sector-size take a single image");
	paths[0] = paths[1] = write_text("big.toc", "CD_ROM_XA\nTRACK MODE2_FORM1\nZERO 95:0:0\n");
	multi_fails("past the end of a CD", paths, 2, false, paths[1],
		    "its session ends past 99:59:74, the end of a CD, after those before it");
	for (i = 0, x[0] = '\0'; i < 60; i++)
		strcat(x, "TRACK AUDIO\nSILENCE 0:4:0\n");
	paths[0] = paths[1] = write_text("sixty.toc", x);
	multi_fails("more than 99 tracks", paths, 2, false, paths[1],
		    "more than 99 tracks on the disc with those before it");
	for (i = 0; i <= VCDROM_MAX_SESSIONS; i++)
		paths[i] = s1;
	multi_fails("100 sessions", paths, VCDROM_MAX_SESSIONS + 1, false, s1,
		    "more than 99 images: a disc holds at most 99 sessions");

	for (i = 0; i < 20; i++)
		paths[i] = s2;
	fd = next_fd();
	if (load_multi("20 TOC files", paths, 20, &d)) {
		t = track_no(&d, 19, 20);
		ok(d.nr_sessions == 20 && d.nr_files == 20 && t &&
		   t->start == 400 + 11400 + 18 * (400 + 2250 + 4500 + 150),
		   "20 TOC files: session 20's track 20 where it belongs");
		vcd_disc_free(&d);
	}
	ok(next_fd() == fd, "20 TOC files: every fd closed with the disc");
}

static const char *corpora(void)
{
	const char *env = getenv("VCDROM_CORPORA");
	const char *base = env ?: "../../shared/corpora";
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/cdrdao/gold", base);
	return access(p, R_OK) ? NULL : base;
}

/* "START 00:05:00(   375)" lines and the last "END": what show-toc said. */
static void test_gold(const char *base, const char *name)
{
	char path[PATH_MAX], line[512], what[128];
	uint32_t starts[VCDROM_MAX_TRACKS], end = 0, got_end;
	unsigned int n = 0, i;
	const struct vcd_track *t, *last;
	struct vcd_disc d;
	bool same;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cdrdao/gold/%s.showtoc", base, name);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, '(');

		if (strstr(line, " START ") && p && n < VCDROM_MAX_TRACKS)
			starts[n++] = strtoul(p + 1, NULL, 10);
		else if (strstr(line, " END") && p)
			end = strtoul(p + 1, NULL, 10);
	}
	fclose(f);
	snprintf(what, sizeof(what), "cdrdao %s.toc", name);
	snprintf(path, sizeof(path), "%s/cdrdao/%s.toc", base, name);
	if (!load_toc(what, path, NULL, &d))
		return;
	same = d.sessions[0].nr_tracks == n;
	for (i = 0; same && i < n; i++) {
		t = track(&d, i);
		same = t->start == starts[i];
	}
	last = track(&d, d.sessions[0].nr_tracks - 1);
	got_end = last->extents[last->nr_extents - 1].start +
		  last->extents[last->nr_extents - 1].length;
	ok(same && got_end == end, "%s: track starts and lead-out as cdrdao show-toc", what);
	vcd_disc_free(&d);
}

int main(void)
{
	static const char *const gold[] = {
		"cdtext", "data1", "data2", "data3", "data4", "data5", "data6", "data7", "t1",
		"t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9",
	};
	const char *base;
	unsigned int i;

	tap_begin("toc");
	test_statements();
	test_modes();
	test_cdtext();
	test_errors();
	test_sessions();
	base = corpora();
	if (base) {
		for (i = 0; i < ARRAY_SIZE(gold); i++)
			test_gold(base, gold[i]);
	} else {
		skip("no shared/corpora", "cdrdao's test TOCs");
	}
	return tap_end();
}
