// SPDX-License-Identifier: GPL-2.0
/*
 * Host-only unit tests for the CloneCD loader: small .ccd, .img and .sub
 * files written here, checked against the layout they must make field by
 * field: one data track; data and audio with a pregap, index 2, ISRC and a
 * CATALOG; two sessions; CD-TEXT; scrambled data; a MODE the headers
 * contradict; .sub absent, present, of the wrong size, and names in upper
 * case; every refusal with its line and reason, nothing kept, no fd leaked.
 *
 * Prints TAP, then "N passed, N failed"; exits 1 if anything failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "helpers.h"
#include "loaders.h"
#include "tap.h"

#define RAW	2352
#define SUB	96

/* ---- building images ---- */

/* A full-TOC descriptor, as an [Entry] gives it. */
struct ent {
	int session, point, adr, ctl, pmin, psec, pframe;
};

/* Entries from an LBA: PMin/PSec/PFrame of @lba. */
#define AT(lba)		((lba) + 150) / 4500, ((lba) + 150) / 75 % 60, ((lba) + 150) % 75

static char text[1 << 16];
static size_t tlen;

static void __printf(1, 2) add(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tlen += vsnprintf(text + tlen, sizeof(text) - tlen, fmt, ap);
	va_end(ap);
}

/* [CloneCD], [Disc] with @disc_extra lines, a [Session] per session, the entries. */
static void sheet(const struct ent *e, unsigned int n, unsigned int sessions,
		  const char *disc_extra)
{
	unsigned int i;

	tlen = 0;
	add("[CloneCD]\r\nVersion=3\r\n[Disc]\r\nTocEntries=%u\r\nSessions=%u\r\n"
	    "DataTracksScrambled=0\r\nCDTextLength=0\r\n%s", n, sessions, disc_extra);
	for (i = 1; i <= sessions; i++)
		add("[Session %u]\r\nPreGapMode=1\r\nPreGapSubC=0\r\n", i);
	for (i = 0; i < n; i++) {
		add("[Entry %u]\r\nSession=%d\r\nPoint=0x%02x\r\nADR=0x%02x\r\nControl=0x%02x\r\n"
		    "TrackNo=0\r\nAMin=0\r\nASec=0\r\nAFrame=0\r\nALBA=-150\r\nZero=0\r\n"
		    "PMin=%d\r\nPSec=%d\r\nPFrame=%d\r\n", i, e[i].session, e[i].point, e[i].adr,
		    e[i].ctl, e[i].pmin, e[i].psec, e[i].pframe);
		if (e[i].point >= 1 && e[i].point <= 99)
			add("PLBA=%d\r\n", (e[i].pmin * 60 + e[i].psec) * 75 + e[i].pframe - 150);
	}
}

/* The 1-based line of @text holding @needle (its first). */
static unsigned int line_of(const char *needle)
{
	const char *p = strstr(text, needle), *q;
	unsigned int line = 1;

	if (!p)
		die(needle);
	for (q = text; q < p; q++)
		line += *q == '\n';
	return line;
}

/* Replace the first @from in the sheet by @to. */
static void edit(const char *from, const char *to)
{
	char *p = strstr(text, from);
	size_t fl = strlen(from), tl = strlen(to);

	if (!p)
		die(from);
	memmove(p + tl, p + fl, tlen - (p - text) - fl + 1);
	memcpy(p, to, tl);
	tlen = tlen - fl + tl;
}

static uint8_t *sectors;

/* @n sectors: data of @mode (0: audio noise) from @from, each tagged with its index. */
static void fill(unsigned int from, unsigned int n, int mode)
{
	static const uint8_t sync[12] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					  0xff, 0xff, 0 };
	uint8_t *s;
	unsigned int i;

	for (i = from; i < from + n; i++) {
		s = sectors + (size_t)i * RAW;
		memset(s, 0x5a ^ i, RAW);
		if (mode) {
			memcpy(s, sync, 12);
			s[12] = 0;
			s[13] = 2;
			s[14] = 0;
			s[15] = mode;
		}
	}
}

static char *img(const char *name, unsigned int n)
{
	return write_file(name, sectors, (size_t)n * RAW);
}

static char *sub(const char *name, size_t bytes)
{
	static uint8_t zero[1 << 20];

	return write_file(name, zero, bytes);
}

static char *ccd(const char *name)
{
	return write_file(name, text, tlen);
}

/* ---- loading ---- */

static struct noted notes;

static bool load(const char *what, const char *path, struct vcd_disc *d)
{
	struct vcd_load ld = { .note = note, .note_arg = &notes };
	int ret;

	memset(&notes, 0, sizeof(notes));
	vcd_disc_init(d);
	ret = vcd_load_image(path, d, &ld);
	if (!ok(!ret, "%s: loads", what))
		printf("# %s: %s\n", ld.object, ld.reason);
	ok_str(ld.format, "CloneCD image", what, "the format");
	return !ret;
}

/* Refused with @err, about @object (NULL: the sheet at the line of @needle) for @reason. */
static void fails_about(const char *what, const char *path, int err, const char *object,
			const char *reason)
{
	struct vcd_load ld = { 0 };
	struct vcd_disc d;
	int fd = next_fd(), ret;

	vcd_disc_init(&d);
	ret = vcd_load_image(path, &d, &ld);
	if (!ok(ret == -err && ld.err == err, "%s: refused with %s", what, strerrorname_np(err)))
		printf("# returned %d\n", ret);
	ok_str(ld.object, object, what, "the object");
	ok_str(ld.reason, reason, what, "the reason");
	ok(!d.nr_files && !d.nr_sessions && !d.cdtext && next_fd() == fd,
	   "%s: nothing kept, no fd leaked", what);
	vcd_disc_free(&d);
}

/* The sheet as it is now, as disc.ccd, refused at the line of @needle (NULL: no line). */
static void fails(const char *what, const char *needle, const char *reason)
{
	char object[PATH_MAX + 16];
	char *path = ccd("disc.ccd");

	if (needle)
		snprintf(object, sizeof(object), "%s:%u", path, line_of(needle));
	else
		snprintf(object, sizeof(object), "%s", path);
	fails_about(what, path, EINVAL, object, reason);
}

static const struct vcd_track *trk(const struct vcd_disc *d, unsigned int s, unsigned int t)
{
	return s < d->nr_sessions && t < d->sessions[s].nr_tracks ? &d->sessions[s].tracks[t] :
	       NULL;
}

/* The track's one extent: RAW in file 0 from @start, @length sectors, at .img sector @img. */
static bool ext_is(const struct vcd_track *t, uint32_t start, uint32_t length, uint64_t img,
		   uint32_t flags, int sub_file)
{
	const struct vcd_extent *e = t && t->nr_extents == 1 ? &t->extents[0] : NULL;

	if (e && e->start == start && e->length == length && e->format == VCDROM_SECTOR_RAW &&
	    e->file == 0 && e->offset == img * RAW && e->flags == flags &&
	    (sub_file < 0 ? e->sub_format == VCDROM_SUB_NONE && !e->sub_in_file :
	     e->sub_format == VCDROM_SUB_PW_LINEAR && e->sub_in_file &&
	     e->sub_file == (uint32_t)sub_file && e->sub_offset == img * SUB))
		return true;
	if (e)
		printf("# extent %u+%u file %u offset %llu flags %u sub %u %d %u %llu\n", e->start,
		       e->length, e->file, (unsigned long long)e->offset, e->flags, e->sub_format,
		       e->sub_in_file, e->sub_file, (unsigned long long)e->sub_offset);
	return false;
}

/* ---- tests ---- */

static const struct ent one_data[] = {
	{ 1, 0xa0, 1, 4, 1, 0x00, 0 },
	{ 1, 0xa1, 1, 4, 1, 0, 0 },
	{ 1, 0xa2, 1, 4, AT(300) },
	{ 1, 1, 1, 4, AT(0) },
};

static void test_one_data(void)
{
	const struct vcd_track *t;
	struct vcd_disc d;

	fill(0, 300, 1);
	img("disc.img", 300);
	sheet(one_data, 4, 1, "");
	add("[TRACK 1]\r\nMODE=1\r\nINDEX 1=0\r\n");
	if (!load("one data track", ccd("disc.ccd"), &d))
		return;
	t = trk(&d, 0, 0);
	ok(d.nr_sessions == 1 && d.sessions[0].nr_tracks == 1 && d.nr_files == 1 && t &&
	   t->number == 1 && t->mode == VCDROM_TRACK_MODE1 && t->start == 0 && !t->flags &&
	   !t->isrc[0] && !t->nr_indexes, "one data track: track 1, MODE1, at 0");
	ok(ext_is(t, 0, 300, 0, 0, -1), "one data track: one RAW extent, no sub-channel");
	ok(d.medium == VCDROM_MEDIUM_CD && !d.mcn[0] && !d.cdtext && d.files[0].size == 300 * RAW,
	   "one data track: a CD, no MCN, no CD-TEXT");
	ok(notes.n == 1 && strstr(notes.text, "no disc.sub beside it: the drive makes up the "
				  "sub-channel"), "one data track: a note that there is no .sub");
	vcd_disc_free(&d);
}

/* Data 0-299 (its last 10 sectors track 2's pregap), audio 300-499, index 2 at 350. */
static const struct ent mixed[] = {
	{ 1, 0xa0, 1, 4, 1, 0x00, 0 },
	{ 1, 0xa1, 1, 0, 2, 0, 0 },
	{ 1, 0xa2, 1, 0, AT(500) },
	{ 1, 1, 1, 4, AT(0) },
	{ 1, 2, 1, 0xb, AT(300) },		/* 4CH, DCP, PRE */
	{ 1, 0xb0, 5, 0, 1, 0, 0 },		/* not the layout's */
};

static void mixed_sheet(void)
{
	sheet(mixed, 6, 1, "CATALOG=0123456789012\r\n");
	add("[TRACK 1]\r\nMODE=1\r\nINDEX 1=0\r\n[TRACK 2]\r\nMODE=0\r\nINDEX 0=290\r\n"
	    "INDEX 1=300\r\nINDEX 2=350\r\nISRC=USABC2612345\r\n");
}

static void check_mixed(const char *what, const struct vcd_disc *d, int sub_file)
{
	const struct vcd_track *t = trk(d, 0, 0);

	ok(d->nr_sessions == 1 && d->sessions[0].nr_tracks == 2 && t && t->number == 1 &&
	   t->mode == VCDROM_TRACK_MODE1 && t->start == 0 && !t->flags && !t->nr_indexes &&
	   ext_is(t, 0, 290, 0, 0, sub_file), "%s: track 1: MODE1, 0 to 289", what);
	t = trk(d, 0, 1);
	ok(t && t->number == 2 && t->mode == VCDROM_TRACK_AUDIO && t->start == 300 &&
	   t->flags == (VCDROM_TRACK_F_PRE | VCDROM_TRACK_F_DCP | VCDROM_TRACK_F_4CH) &&
	   !strcmp(t->isrc, "USABC2612345") && t->nr_indexes == 1 && t->indexes[0] == 350 &&
	   ext_is(t, 290, 210, 290, 0, sub_file),
	   "%s: track 2: audio, PRE DCP 4CH, ISRC, pregap from 290, index 2 at 350, to 499",
	   what);
	ok(!strcmp(d->mcn, "0123456789012"), "%s: the CATALOG is the MCN", what);
}

static void test_mixed(void)
{
	char reason[PATH_MAX + 100];
	struct vcd_disc d;

	fill(0, 290, 1);
	fill(290, 210, 0);
	img("disc.img", 500);
	mixed_sheet();
	if (load("data and audio", ccd("disc.ccd"), &d)) {
		check_mixed("data and audio", &d, -1);
		vcd_disc_free(&d);
	}

	sub("disc.sub", 500 * SUB);
	if (load("data and audio, .sub", tmp_path("disc.ccd"), &d)) {
		check_mixed("data and audio, .sub", &d, 1);
		ok(d.nr_files == 2 && d.files[1].size == 500 * SUB && !notes.n,
		   "data and audio, .sub: the .sub is file 1, no note");
		vcd_disc_free(&d);
	}
	sub("disc.sub", 499 * SUB);
	snprintf(reason, sizeof(reason), "47904 bytes, not 96 for each of %s's 500 sectors (48000)",
		 tmp_path("disc.img"));
	fails_about(".sub of the wrong size", tmp_path("disc.ccd"), EINVAL, tmp_path("disc.sub"),
		    reason);
	unlink(tmp_path("disc.sub"));
}

/* Q (ADR @adr, then 9 bytes of @data) at sector @lba of the .sub @s; CRC right unless @bad. */
static void put_q(uint8_t *s, unsigned int lba, unsigned int adr, const uint8_t *data, bool bad)
{
	uint8_t *q = s + (size_t)lba * SUB + 12;
	uint16_t crc = 0;
	unsigned int i, b;

	q[0] = adr;
	memcpy(q + 1, data, 9);
	for (i = 0; i < 10; i++) {
		crc ^= q[i] << 8;
		for (b = 0; b < 8; b++)
			crc = (crc << 1) ^ ((crc & 0x8000) ? 0x1021 : 0);
	}
	crc = ~crc ^ (bad ? 1 : 0);
	q[10] = crc >> 8;
	q[11] = crc;
}

/* An ISRC's Q bytes 1-9: five 6-bit characters (A-Z: 0x11-0x2a), seven BCD digits. */
static void isrc_q(const char *isrc, uint8_t *d)
{
	uint32_t v = 0;
	unsigned int i;

	memset(d, 0, 9);
	for (i = 0; i < 5; i++)
		v |= (uint32_t)(isrc[i] <= '9' ? isrc[i] - '0' : isrc[i] - 'A' + 0x11) <<
		     (26 - 6 * i);
	d[0] = v >> 24;
	d[1] = v >> 16;
	d[2] = v >> 8;
	d[3] = v;
	for (i = 0; i < 7; i++)
		d[4 + i / 2] |= (isrc[5 + i] - '0') << (i % 2 ? 0 : 4);
}

/*
 * A .sub whose Q carries an MCN and ISRCs, a sheet without CATALOG or ISRC:
 * the loader takes them from the first good frames; a damaged frame and a
 * later one do not count; a CATALOG and an ISRC in the sheet win.
 */
static void test_codes_from_sub(void)
{
	static const uint8_t mcn[9] = { 0x98, 0x76, 0x54, 0x32, 0x10, 0x98, 0x70 };
	static uint8_t s[500 * SUB];
	const struct vcd_track *t;
	uint8_t d[9];
	struct vcd_disc disc;

	fill(0, 290, 1);
	fill(290, 210, 0);
	img("disc.img", 500);
	memset(s, 0, sizeof(s));
	put_q(s, 10, 2, mcn, false);
	isrc_q("USABC2600007", d);
	put_q(s, 305, 3, d, true);
	isrc_q("GBXYZ2600008", d);
	put_q(s, 307, 3, d, false);
	isrc_q("FRAAA2600009", d);
	put_q(s, 309, 3, d, false);
	write_file("disc.sub", s, sizeof(s));
	sheet(mixed, 6, 1, "");
	add("[TRACK 1]\r\nMODE=1\r\nINDEX 1=0\r\n[TRACK 2]\r\nMODE=0\r\nINDEX 0=290\r\n"
	    "INDEX 1=300\r\n");
	if (load("codes from the .sub", ccd("disc.ccd"), &disc)) {
		t = trk(&disc, 0, 1);
		ok(!strcmp(disc.mcn, "9876543210987"), "codes from the .sub: MCN %s", disc.mcn);
		ok(t && !strcmp(t->isrc, "GBXYZ2600008"),
		   "codes from the .sub: track 2's ISRC %s, from the first good frame",
		   t ? t->isrc : "-");
		ok(!trk(&disc, 0, 0)->isrc[0], "codes from the .sub: track 1 has no ISRC");
		vcd_disc_free(&disc);
	}
	mixed_sheet();
	if (load("codes in the sheet and the .sub", ccd("disc.ccd"), &disc)) {
		t = trk(&disc, 0, 1);
		ok(!strcmp(disc.mcn, "0123456789012") && t && !strcmp(t->isrc, "USABC2612345"),
		   "codes in the sheet and the .sub: the sheet's win");
		vcd_disc_free(&disc);
	}
	unlink(tmp_path("disc.sub"));
}

/* Upper-case .IMG and .SUB beside a lower-case .ccd. */
static void test_case(void)
{
	struct vcd_disc d;

	fill(0, 290, 1);
	fill(290, 210, 0);
	mixed_sheet();
	ccd("upper.ccd");
	img("UPPER.IMG", 500);
	sub("Upper.Sub", 500 * SUB);
	if (load("UPPER.IMG and Upper.Sub", tmp_path("upper.ccd"), &d)) {
		check_mixed("UPPER.IMG and Upper.Sub", &d, 1);
		ok(d.nr_files == 2 && strstr(d.files[0].path, "UPPER.IMG") &&
		   strstr(d.files[1].path, "Upper.Sub"), "UPPER.IMG and Upper.Sub: found");
		vcd_disc_free(&d);
	}
}

/*
 * Session 1: audio 0-199. Session 2: a MODE2 track at 11600 (its pregap of
 * 150 stored from 11450) to 11700, sectors 200-449 of the .img.
 */
static const struct ent two[] = {
	{ 1, 0xa0, 1, 0, 1, 0x00, 0 },
	{ 1, 0xa1, 1, 0, 1, 0, 0 },
	{ 1, 0xa2, 1, 0, AT(200) },
	{ 1, 1, 1, 0, AT(0) },
	{ 1, 0xb0, 5, 0, AT(11450) },
	{ 1, 0xc0, 5, 0, 95, 0, 0 },
	{ 2, 0xa0, 1, 4, 2, 0x20, 0 },
	{ 2, 0xa1, 1, 4, 2, 0, 0 },
	{ 2, 0xa2, 1, 4, AT(11700) },
	{ 2, 2, 1, 4, AT(11600) },
};

/* The .img of two[] as LBA 0 to 11699, the gap between the sessions stored (zeros). */
static void test_img_from_lba_0(void)
{
	const struct vcd_track *t;
	struct vcd_disc d;
	char *p;
	int fd;

	p = make_file("flat.img", (off_t)11700 * RAW, NULL, 0);
	fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || pwrite(fd, sectors, 200 * RAW, 0) != 200 * RAW ||
	    pwrite(fd, sectors + 200 * RAW, 250 * RAW, (off_t)11450 * RAW) != 250 * RAW)
		die(p);
	close(fd);
	sub("flat.sub", 11700 * SUB);
	if (load("two sessions, .img from LBA 0", ccd("flat.ccd"), &d)) {
		t = trk(&d, 0, 0);
		ok(t && ext_is(t, 0, 200, 0, 0, 1), "two sessions, .img from LBA 0: session 1");
		t = trk(&d, 1, 0);
		ok(t && t->mode == VCDROM_TRACK_MODE2_XA && ext_is(t, 11450, 250, 11450, 0, 1),
		   "two sessions, .img from LBA 0: session 2 at its LBA in the .img and .sub");
		ok(notes.n == 1 && strstr(notes.text, "flat.img holds every sector from LBA 0 to the "
					  "last lead-out, those between the sessions too"),
		   "two sessions, .img from LBA 0: noted");
		vcd_disc_free(&d);
	}
}

static void test_two_sessions(void)
{
	struct ent no_a2[9];
	const struct vcd_track *t;
	struct vcd_disc d;

	fill(0, 200, 0);
	fill(200, 250, 2);
	img("disc.img", 450);
	sub("disc.sub", 450 * SUB);
	sheet(two, 10, 2, "");
	add("[TRACK 1]\r\nMODE=0\r\nINDEX 1=0\r\n[TRACK 2]\r\nMODE=2\r\nINDEX 0=11450\r\n"
	    "INDEX 1=11600\r\n");
	if (load("two sessions", ccd("disc.ccd"), &d)) {
		t = trk(&d, 0, 0);
		ok(d.nr_sessions == 2 && d.sessions[0].nr_tracks == 1 && t && t->number == 1 &&
		   t->mode == VCDROM_TRACK_AUDIO && t->start == 0 && ext_is(t, 0, 200, 0, 0, 1),
		   "two sessions: session 1, audio 0 to 199");
		t = trk(&d, 1, 0);
		ok(d.sessions[1].nr_tracks == 1 && t && t->number == 2 &&
		   t->mode == VCDROM_TRACK_MODE2_XA && t->start == 11600 &&
		   ext_is(t, 11450, 250, 200, 0, 1),
		   "two sessions: session 2, MODE2 (XA) at 11600, pregap from 11450, .img sector "
		   "200 on");
		vcd_disc_free(&d);
	}

	/* session 2 without INDEX 0, without its lead-out: from index 1 to the .img's end */
	memcpy(no_a2, two, sizeof(no_a2));
	no_a2[8] = two[9];
	sheet(no_a2, 9, 2, "");
	add("[TRACK 2]\r\nMODE=2\r\nINDEX 1=11600\r\n");
	if (load("two sessions, no A2", ccd("disc.ccd"), &d)) {
		t = trk(&d, 1, 0);
		ok(t && t->start == 11600 && ext_is(t, 11600, 250, 200, 0, 1),
		   "two sessions, no A2: session 2 from 11600 to the .img's end");
		ok(notes.n == 1 && strstr(notes.text, "no lead-out (point 0xa2) for session 2: "
					  "it ends where"), "two sessions, no A2: noted");
		vcd_disc_free(&d);
	}
	/* INDEX values from the session's start: only their difference counts */
	sheet(two, 10, 2, "");
	add("[TRACK 2]\r\nMODE=2\r\nINDEX 0=0\r\nINDEX 1=150\r\nINDEX 2=170\r\n");
	if (load("two sessions, INDEX from the session", ccd("disc.ccd"), &d)) {
		t = trk(&d, 1, 0);
		ok(t && t->start == 11600 && t->nr_indexes == 1 && t->indexes[0] == 11620 &&
		   ext_is(t, 11450, 250, 200, 0, 1),
		   "two sessions, INDEX from the session: pregap 150, index 2 at 11620");
		vcd_disc_free(&d);
	}

	/* every sector from LBA 0, those between the sessions too: told by the size */
	test_img_from_lba_0();
	unlink(tmp_path("disc.sub"));
}

static void test_cdtext(void)
{
	static const uint8_t pack1[16] = { 0x80, 1, 1, 0, 'S', 'o', 'n', 'g', 0 };
	uint8_t want[36] = { 0x80, 0, 0, 0, 'D', 'i', 's', 'c', 0 };
	struct vcd_disc d;
	uint16_t crc;
	unsigned int i;

	fill(0, 300, 1);
	img("disc.img", 300);
	memcpy(want + 18, pack1, 16);
	for (i = 0; i < 2; i++) {
		crc = vcd_cdtext_crc(want + 18 * i);
		want[18 * i + 16] = crc >> 8;
		want[18 * i + 17] = crc;
	}
	sheet(one_data, 4, 1, "");
	edit("CDTextLength=0", "CDTextLength=36");
	/* CloneCD's 16 bytes, and 18 with the CRC */
	add("[CDText]\r\nEntries=2\r\nEntry 0=80 00 00 00 44 69 73 63 00 00 00 00 00 00 00 00\r\n"
	    "Entry 1=");
	for (i = 0; i < 18; i++)
		add("%02x%s", want[18 + i], i < 17 ? " " : "\r\n");
	if (load("CD-TEXT", ccd("disc.ccd"), &d)) {
		ok(d.cdtext_len == 36 && d.cdtext && !memcmp(d.cdtext, want, 36),
		   "CD-TEXT: two packs, the CRC made for the first");
		vcd_disc_free(&d);
	}
	edit("Entry 1=80", "Entry 1=81");
	fails("CD-TEXT pack with a bad CRC", "[CDText]", "CD-TEXT entry 1 has a bad CRC");
	edit("Entries=2", "Entries=3");
	fails("CD-TEXT Entries= not the count", "[CDText]", "Entries=3, but 2 CD-TEXT entries");
	edit("Entries=3", "Entries=2");
	edit("Entry 1=81", "Entry 2=81");
	fails("CD-TEXT entry out of order", "Entry 2=",
	      "Entry 2 where Entry 1 belongs: CD-TEXT entries are numbered from 0, in order");
	edit("Entry 0=80 00", "Entry 0=80");
	fails("CD-TEXT entry of 15 bytes", "Entry 0=",
	      "CD-TEXT entry 0: 15 bytes, not 16 (or 18 with the CRC)");
}

/* ECMA-130 annex B: the scrambler's bytes 12-15 (after the sync, which is not scrambled). */
static const uint8_t scramble[4] = { 0x01, 0x80, 0x00, 0x60 };

static void test_scrambled(void)
{
	const struct vcd_track *t;
	struct vcd_disc d;
	unsigned int i, j;

	fill(0, 290, 2);
	for (i = 0; i < 290; i++)
		for (j = 0; j < 4; j++)
			sectors[(size_t)i * RAW + 12 + j] ^= scramble[j];
	fill(290, 210, 0);
	img("disc.img", 500);
	mixed_sheet();
	edit("DataTracksScrambled=0", "DataTracksScrambled=1");
	edit("MODE=1", "MODE=2");
	if (load("scrambled", ccd("disc.ccd"), &d)) {
		t = trk(&d, 0, 0);
		ok(t && t->mode == VCDROM_TRACK_MODE2_XA &&
		   ext_is(t, 0, 290, 0, VCDROM_EXTENT_F_SCRAMBLED, -1),
		   "scrambled: data track MODE2 from its unscrambled header, flagged scrambled");
		t = trk(&d, 0, 1);
		ok(t && t->mode == VCDROM_TRACK_AUDIO && ext_is(t, 290, 210, 290, 0, -1),
		   "scrambled: the audio track is not flagged");
		ok(notes.n == 1, "scrambled: no note but the .sub's");
		vcd_disc_free(&d);
	}
	/* read as it is stored, the header says mode 0x62: the sheet's MODE=2 stays */
	edit("DataTracksScrambled=1", "DataTracksScrambled=0");
	if (load("scrambled, not said", ccd("disc.ccd"), &d)) {
		t = trk(&d, 0, 0);
		ok(t && t->mode == VCDROM_TRACK_MODE2_XA && ext_is(t, 0, 290, 0, 0, -1) &&
		   strstr(notes.text, "track 1: no sector header says its mode; mode 2, as MODE "
			  "says"), "scrambled, not said: MODE=2, noted, not flagged");
		vcd_disc_free(&d);
	}
}

static void test_wrong_mode(void)
{
	char object[PATH_MAX + 16];
	const struct vcd_track *t;
	struct vcd_disc d;

	fill(0, 290, 1);
	fill(290, 210, 0);
	img("disc.img", 500);
	mixed_sheet();
	edit("MODE=1", "MODE=2");
	if (load("MODE=2 on mode 1 sectors", ccd("disc.ccd"), &d)) {
		t = trk(&d, 0, 0);
		snprintf(object, sizeof(object), "%s:%u", tmp_path("disc.ccd"), line_of("MODE=2"));
		ok(t && t->mode == VCDROM_TRACK_MODE1, "MODE=2 on mode 1 sectors: MODE1");
		ok(notes.n == 2 && !strcmp(notes.object, object) &&
		   !strcmp(notes.text, "track 1: MODE=2, but its sector headers say mode 1; mode 1"),
		   "MODE=2 on mode 1 sectors: noted at its line");
		vcd_disc_free(&d);
	}
	/* Control says audio: MODE is not asked */
	edit("MODE=2", "MODE=1");
	edit("[TRACK 2]\r\nMODE=0", "[TRACK 2]\r\nMODE=2");
	if (load("MODE=2 on an audio track", ccd("disc.ccd"), &d)) {
		t = trk(&d, 0, 1);
		ok(t && t->mode == VCDROM_TRACK_AUDIO && !strcmp(notes.text, "track 2: MODE=2, but "
		   "its Control (0x0b) says audio; audio"), "MODE=2 on an audio track: audio, noted");
		vcd_disc_free(&d);
	}
	edit("[TRACK 2]\r\nMODE=2", "[TRACK 2]\r\nMODE=0");
	fill(0, 290, 0);
	img("disc.img", 500);
	edit("MODE=1", "MODE=0");
	fails("data track without headers, MODE=0", "MODE=0",
	      "track 1: data, but no sector header says its mode, and MODE=0 says audio");
}

static void test_files(void)
{
	char object[PATH_MAX + 16], reason[PATH_MAX + 100];
	char *path;

	fill(0, 300, 1);
	sheet(one_data, 4, 1, "");
	path = ccd("nofile.ccd");
	fails_about("no .img", path, ENOENT, path,
		    "no nofile.img beside it (in any letter case)");
	write_file("empty.img", "", 0);
	path = ccd("empty.ccd");
	fails_about("empty .img", path, EINVAL, tmp_path("empty.img"), "empty file");
	write_file("odd.img", sectors, 300 * RAW + 1);
	path = ccd("odd.ccd");
	fails_about(".img not whole sectors", path, EINVAL, tmp_path("odd.img"),
		    "705601 bytes: not whole 2352-byte sectors");
	img("short.img", 299);
	path = ccd("short.ccd");
	snprintf(object, sizeof(object), "%s:%u", path, line_of("[Entry 2]"));
	snprintf(reason, sizeof(reason), "session 1 ends at LBA 300, past the end of %s: its "
		 "sessions need 300 sectors, it has 299", tmp_path("short.img"));
	fails_about("tracks past the .img's end", path, EINVAL, object, reason);
}

/* A disc whose first track is 2 (Aaru's test_disc_starts_at_track2.ccd is one). */
static void test_track_2_first(void)
{
	const struct vcd_track *t;
	struct vcd_disc d;

	fill(0, 290, 1);
	fill(290, 210, 0);
	img("disc.img", 500);
	mixed_sheet();
	edit("PMin=2\r\nPSec=0", "PMin=3\r\nPSec=0");	/* A1 */
	edit("PMin=1\r\n", "PMin=2\r\n");			/* A0 */
	edit("Point=0x02", "Point=0x03");
	edit("Point=0x01", "Point=0x02");
	edit("[TRACK 2]", "[TRACK 3]");
	edit("[TRACK 1]", "[TRACK 2]");
	if (load("first track 2", ccd("disc.ccd"), &d)) {
		t = trk(&d, 0, 0);
		ok(t && t->number == 2 && t->mode == VCDROM_TRACK_MODE1 && t->start == 0 &&
		   ext_is(t, 0, 290, 0, 0, -1), "first track 2: track 2 from LBA 0");
		t = trk(&d, 0, 1);
		ok(t && t->number == 3 && t->start == 300 && !strcmp(t->isrc, "USABC2612345") &&
		   ext_is(t, 290, 210, 290, 0, -1), "first track 2: track 3 at 300");
		vcd_disc_free(&d);
	}
}

/* A track from 90:00:00 on: its PLBA, a lead-in time, is not checked. */
static void test_past_90_minutes(void)
{
	static const struct ent e[] = {
		{ 1, 0xa0, 1, 4, 1, 0x00, 0 },
		{ 1, 0xa1, 1, 0, 2, 0, 0 },
		{ 1, 0xa2, 1, 0, 91, 0, 0 },
		{ 1, 1, 1, 4, AT(0) },
		{ 1, 2, 1, 0, 90, 30, 0 },
	};
	const struct vcd_track *t;
	struct vcd_disc d;
	char *p;
	int fd;

	fill(0, 16, 1);
	p = make_file("long.img", (off_t)(409500 - 150) * RAW, NULL, 0);
	fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || pwrite(fd, sectors, 16 * RAW, 0) != 16 * RAW)
		die(p);
	close(fd);
	sheet(e, 5, 1, "");
	edit("PLBA=407100", "PLBA=-42900");	/* 90:30:00 as DiscImageCreator writes it */
	if (load("a track past 90:00:00", ccd("long.ccd"), &d)) {
		t = trk(&d, 0, 1);
		ok(t && t->start == 407100 && ext_is(t, 407100, 409350 - 407100, 407100, 0, -1),
		   "a track past 90:00:00: at 407100, its negative PLBA not checked");
		vcd_disc_free(&d);
	}
	unlink(p);
}

/* The mixed sheet with one thing changed: what, from, to, the line named, the reason. */
static const struct {
	const char *what, *from, *to, *needle, *reason;
} edits[] = {
	{ "Sessions= not the entries'", "Sessions=1", "Sessions=2", "Sessions=2",
	  "Sessions=2, but the entries are of 1" },
	{ "TocEntries= not the count", "TocEntries=6", "TocEntries=5", "TocEntries=5",
	  "TocEntries=5, but 6 [Entry] sections" },
	{ "[Entry] numbers out of order", "[Entry 1]", "[Entry 7]", "[Entry 7]",
	  "[Entry 7] where [Entry 1] belongs: entries are numbered from 0, in order" },
	{ "track 3 after track 1", "Point=0x02", "Point=0x03", "[Entry 4]",
	  "[Entry 4]: track 3 after track 1" },
	{ "track 1 twice", "Point=0x02", "Point=0x01", "[Entry 4]",
	  "[Entry 4]: track 1 after track 1" },
	{ "a track's start before the one before", "PMin=0\r\nPSec=6\r\nPFrame=0\r\nPLBA=300",
	  "PMin=0\r\nPSec=1\r\nPFrame=0\r\nPLBA=-75", "[Entry 4]",
	  "[Entry 4]: track 2 starts at LBA -75, not after track 1 (LBA 0)" },
	{ "PSec=60", "PSec=6\r\nPFrame=0", "PSec=60\r\nPFrame=0", "[Entry 4]",
	  "[Entry 4] (point 0x02): PMin/PSec/PFrame 0:60:0 is no time on a CD" },
	{ "PLBA not PMin/PSec/PFrame", "PLBA=300", "PLBA=301", "[Entry 4]",
	  "[Entry 4] (point 0x02): PLBA=301, but PMin/PSec/PFrame 00:06:00 is LBA 300" },
	{ "Control=0x10", "Control=0x0b", "Control=0x10", "Control=0x10",
	  "Control=0x10: out of range (0 to 15)" },
	{ "Control not a number", "Control=0x0b", "Control=eleven", "Control=eleven",
	  "Control=eleven: not a number" },
	{ "A1 not the last track", "PMin=2\r\n", "PMin=3\r\n", "[Entry 1]",
	  "[Entry 1] (point 0xa1): last track 3, but session 1's is 2" },
	{ "A0 of disc type 0x30", "PMin=1\r\nPSec=0\r\n", "PMin=1\r\nPSec=48\r\n", "[Entry 0]",
	  "[Entry 0] (point 0xa0): PSec=48 is no disc type (0x00 CD-DA or CD-ROM, 0x10 CD-I, "
	  "0x20 CD-ROM XA)" },
};

static void test_refusals(void)
{
	char reason[PATH_MAX + 100];
	struct vcd_disc d;

	fill(0, 500, 1);
	img("disc.img", 500);

	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(edits); i++) {
		sheet(mixed, 6, 1, "");
		edit(edits[i].from, edits[i].to);
		fails(edits[i].what, edits[i].needle, edits[i].reason);
	}
	sheet(mixed, 6, 1, "");
	edit("PMin=0\r\nPSec=8\r\nPFrame=50\r\n", "PMin=0\r\nPSec=8\r\nPFrame=51\r\n");
	snprintf(reason, sizeof(reason), "session 1 ends at LBA 501, past the end of %s: its "
		 "sessions need 501 sectors, it has 500", tmp_path("disc.img"));
	fails("A2 past the .img's end", "[Entry 2]", reason);
	sheet(mixed, 6, 1, "");
	edit("Session=1\r\nPoint=0x02", "Session=2\r\nPoint=0x02");
	fails("a session going back", "[Entry 5]", "[Entry 5] is of session 1, after session 2's");
	fill(0, 450, 2);
	img("disc.img", 450);
	sheet(two, 10, 2, "");
	edit("[Entry 8]\r\nSession=2\r\nPoint=0xa2", "[Entry 8]\r\nSession=2\r\nPoint=0xa3");
	fails("point 0xa3 of ADR 1", "[Entry 8]", "[Entry 8]: point 0xa3 of ADR 1 is neither a "
	      "track (1 to 99) nor 0xa0 to 0xa2");
	sheet(two, 10, 2, "");
	edit("[Entry 2]\r\nSession=1\r\nPoint=0xa2\r\nADR=0x01",
	     "[Entry 2]\r\nSession=1\r\nPoint=0xa2\r\nADR=0x05");
	fails("session 1 without A2", NULL, "session 1 has no lead-out (point 0xa2)");
	sheet(two, 10, 2, "");
	edit("Session=2", "Session=3");
	fails("session 2 skipped", "[Entry 6]", "[Entry 6] is of session 3: session 2 has no "
	      "entries");
	sheet(two, 9, 2, "");
	fails("session 2 without tracks", NULL, "session 2 has no tracks (no points 1 to 99 of "
	      "ADR 1)");
	sheet(two, 10, 2, "");
	add("[TRACK 2]\r\nINDEX 0=0\r\nINDEX 1=11500\r\n");
	fails("session 2's pregap in session 1", "INDEX 0=0", "track 2: its pregap from LBA 100 "
	      "starts in the session before");
	fill(0, 500, 1);
	img("disc.img", 500);

	sheet(mixed, 6, 1, "");
	edit("PFrame=0\r\nPLBA=300", "PLBA=300");
	fails("an entry without PFrame", "[Entry 4]", "[Entry 4] has no PFrame");
	sheet(mixed, 6, 1, "");
	add("[TRACK 3]\r\nMODE=0\r\n");
	fails("[TRACK] of no entry", "[TRACK 3]", "[TRACK 3], but no entry has track 3");
	sheet(mixed, 6, 1, "");
	add("[TRACK 2]\r\nINDEX 0=310\r\nINDEX 1=300\r\n");
	fails("INDEX 0 after INDEX 1", "INDEX 0=310", "track 2: INDEX 0 (310) is after INDEX 1 "
	      "(300)");
	sheet(mixed, 6, 1, "");
	add("[TRACK 2]\r\nINDEX 0=0\r\nINDEX 1=300\r\n");
	fails("a pregap before the track before", "INDEX 0=0", "track 2: its pregap from LBA 0 "
	      "starts before the track before");
	sheet(mixed, 6, 1, "");
	add("[TRACK 2]\r\nINDEX 1=300\r\nINDEX 2=600\r\n");
	fails("INDEX 2 past the track", "INDEX 2=600", "track 2: INDEX 2 (LBA 600) is not after "
	      "index 1 and inside the track (LBA 300 to 499)");
	sheet(mixed, 6, 1, "");
	add("[TRACK 2]\r\nISRC=usabc2612345\r\n");
	fails("ISRC in lower case", "ISRC=", "ISRC=usabc2612345: not 12 letters (A-Z) and digits");
	sheet(one_data, 4, 1, "CATALOG=0000000000000\r\n");
	if (load("CATALOG of 13 zeros", ccd("disc.ccd"), &d)) {
		ok(!d.mcn[0], "CATALOG of 13 zeros: no MCN");
		vcd_disc_free(&d);
	}
	sheet(mixed, 6, 1, "CATALOG=012345678901\r\n");
	fails("CATALOG of 12 digits", "CATALOG=", "CATALOG=012345678901: not 13 digits");
	sheet(mixed, 6, 1, "");
	add("garbage\r\n");
	fails("a line that is neither", "garbage", "neither a [section] nor KEY=VALUE");
	sheet(mixed, 6, 1, "");
	edit("[CloneCD]\r\n", "");
	edit("Version=3", "[Other]");
	fails("no [CloneCD]", "[Other]", "[Other] before [CloneCD]");
}

int main(void)
{
	tap_begin("ccd");
	sectors = calloc(500, RAW);
	if (!sectors)
		die("calloc");
	test_one_data();
	test_mixed();
	test_codes_from_sub();
	test_case();
	test_two_sessions();
	test_cdtext();
	test_scrambled();
	test_wrong_mode();
	test_files();
	test_past_90_minutes();
	test_track_2_first();
	test_refusals();
	free(sectors);
	return tap_end();
}
