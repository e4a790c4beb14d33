// SPDX-License-Identifier: GPL-2.0
/*
 * Host-only unit tests for the MDS loader: small Alcohol 120% descriptors
 * (.mds) and their files of sectors, written here, checked against the
 * layout they must make, field by field: mode 1 data (2048, 2352), every
 * mode byte's sector sizes, data and audio with a pregap, audio with its
 * sub-channel (2448), two sessions, UltraISO's late track 1, a DVD (its
 * structures, BCA and DPM noted), a DVD split over .md0 and .md1, footer
 * names in ASCII, UTF-16 and "*.mdf"; DAEMON Tools' MDS 2.x and MDX
 * refused naming the version; every refusal with its object and reason,
 * nothing kept, no fd leaked.
 *
 * Prints TAP, then "N passed, N failed"; exits 1 if anything failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "helpers.h"
#include "loaders.h"
#include "tap.h"

/* ---- writing descriptors ---- */

/* A track block: a track (point 1-99), or a control entry (A0, A1, A2: filled in). */
struct wtrack {
	uint8_t point, mode, sub, ctl;
	uint16_t size;
	int64_t start;			/* index 1 */
	uint64_t offset;
	uint32_t pregap, length;	/* the extra block; a DVD's length */
	unsigned int nr_files;		/* 0: 1 */
	bool no_extra;
};

struct wsession {
	int32_t start, end;
	unsigned int first, last;
	unsigned int n;
	struct wtrack t[8];
};

struct wdisc {
	uint8_t major, minor;
	uint16_t medium;
	unsigned int nr_sessions;
	struct wsession s[3];
	const char *names[3];		/* the files, by footer; NULL: "*.mdf" */
	bool wide;			/* names in UTF-16 */
	unsigned int layers;		/* DVD structures: 0 none */
	uint16_t bca_len;
	unsigned int dpm;		/* DPM blocks */
};

static uint8_t mds[1 << 16];
static size_t len;
/* where the blocks went */
static uint32_t sess_at[3], trk_at[3][8], extra_at[3][8], footer_at, name_at[3];

static void le(uint8_t *p, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = v >> (8 * i);
}

static void put_msf(uint8_t *p, int64_t lba)
{
	uint32_t f = lba + 150;

	p[0] = f / 4500;
	p[1] = f / 75 % 60;
	p[2] = f % 75;
}

static void put_name(const char *name, bool wide)
{
	const unsigned char *s = (const unsigned char *)name;
	uint32_t c;

	for (; *s; s++) {
		if (!wide) {
			mds[len++] = *s;
			continue;
		}
		c = *s;
		if (c >= 0xc0) {	/* two-byte UTF-8 only, enough here */
			c = (c & 0x1f) << 6 | (s[1] & 0x3f);
			s++;
		}
		le(mds + len, c, 2);
		len += 2;
	}
	len += wide ? 2 : 1;
}

/* What the test writes at byte @i of the DVD structures (layer after layer of 4100 bytes). */
static uint8_t dvd_byte(unsigned int i)
{
	return i * 7 + i / 4100 * 3 + 1;
}

/* @s holds the structures build() wrote for @layers layers and a BCA of @bca_len bytes. */
static bool dvd_is(const struct vcd_dvd_structs *s, unsigned int layers, unsigned int bca_len)
{
	unsigned int l, i;

	if (!s || s->layers != layers || s->bca_len != bca_len ||
	    s->copyright_len != (layers ? 4 : 0) || s->manufacturer_len != (layers ? 2048 : 0))
		return false;
	for (l = 0; l < layers; l++)
		for (i = 0; i < 2048; i++)
			if (s->physical[l][i] != (!l && i == 2 ? (layers == 2 ? 0x20 : 0) :
						  dvd_byte(l * 4100 + 4 + 2048 + i)))
				return false;
	for (i = 0; layers && i < 2048; i++)
		if (s->manufacturer[i] != dvd_byte(4 + i) || (i < 4 && s->copyright[i] != dvd_byte(i)))
			return false;
	for (i = 0; i < bca_len; i++)
		if (s->bca[i] != (uint8_t)(0x40 + i))
			return false;
	return true;
}

/* Lay out @d: header, session blocks, track blocks, extra blocks, DVD structures, BCA, DPM,
 * footers, names. Returns the .mds written as @name. */
static char *build(const char *name, const struct wdisc *d)
{
	unsigned int s, i, nr_names = 0, blocks = 0;
	const struct wsession *ws;
	const struct wtrack *t;
	uint8_t *p;
	uint32_t off, st = 0, bca = 0, dpm = 0;

	memset(mds, 0, sizeof(mds));
	memcpy(mds, "MEDIA DESCRIPTOR", 16);
	mds[16] = d->major ? d->major : 1;
	mds[17] = d->minor ? d->minor : 5;
	le(mds + 18, d->medium, 2);
	le(mds + 20, d->nr_sessions, 2);
	off = 88;
	le(mds + 80, off, 4);
	for (s = 0; s < d->nr_sessions; s++)
		sess_at[s] = off + s * 24;
	off += d->nr_sessions * 24;
	for (s = 0; s < d->nr_sessions; s++) {
		for (i = 0; i < d->s[s].n; i++)
			trk_at[s][i] = off + i * 80;
		off += d->s[s].n * 80;
		blocks += d->s[s].n;
	}
	for (s = 0; s < d->nr_sessions; s++)
		for (i = 0; i < d->s[s].n; i++, off += 8)
			extra_at[s][i] = off;
	if (d->layers) {
		st = off;
		off += d->layers * 4100;
	}
	if (d->bca_len) {
		bca = off;
		off += d->bca_len;
	}
	if (d->dpm) {
		dpm = off;
		off += 4 + 4 * d->dpm + d->dpm * (16 + 4 * 3);
	}
	for (i = 0; i < ARRAY_SIZE(d->names) && (i == 0 || d->names[i]); i++)
		nr_names++;
	footer_at = off;
	off += nr_names * 16;
	len = off;

	if (d->layers) {
		le(mds + 64, st, 4);
		for (i = 0; i < d->layers * 4100; i++)
			mds[st + i] = dvd_byte(i);
		/* the physical format's byte 2: 01b in bits 5-6 for two layers */
		mds[st + 4 + 2048 + 2] = d->layers == 2 ? 0x20 : 0;
	}
	if (d->bca_len) {
		le(mds + 26, d->bca_len, 2);
		le(mds + 36, bca, 4);
		for (i = 0; i < d->bca_len; i++)
			mds[bca + i] = 0x40 + i;
	}
	if (d->dpm) {
		le(mds + 84, dpm, 4);
		le(mds + dpm, d->dpm, 4);
		for (i = 0; i < d->dpm; i++) {
			off = dpm + 4 + 4 * d->dpm + i * 28;
			le(mds + dpm + 4 + 4 * i, off, 4);
			le(mds + off, i, 4);
			le(mds + off + 8, 2, 4);
			le(mds + off + 12, 3, 4);
		}
	}
	for (i = 0; i < nr_names; i++) {
		name_at[i] = len;
		le(mds + footer_at + 16 * i, len, 4);
		le(mds + footer_at + 16 * i + 4, d->wide, 4);
		put_name(d->names[i] ? d->names[i] : "*.mdf", d->wide);
	}

	for (s = 0; s < d->nr_sessions; s++) {
		ws = &d->s[s];
		p = mds + sess_at[s];
		le(p, (uint32_t)ws->start, 4);
		le(p + 4, (uint32_t)ws->end, 4);
		le(p + 8, s + 1, 2);
		p[10] = ws->n;
		p[11] = 3;
		le(p + 12, ws->first, 2);
		le(p + 14, ws->last, 2);
		le(p + 20, trk_at[s][0], 4);
		for (i = 0; i < ws->n; i++) {
			t = &ws->t[i];
			p = mds + trk_at[s][i];
			p[0] = t->mode;
			p[1] = t->sub;
			p[2] = 0x10 | t->ctl;
			p[4] = t->point;
			if (t->point == 0xa0 || t->point == 0xa1) {
				p[9] = t->point == 0xa0 ? ws->first : ws->last;
			} else if (t->point == 0xa2) {
				put_msf(p + 9, ws->end);
			} else {
				put_msf(p + 9, t->start);
				le(p + 12, d->medium >= 0x10 ? t->length :
				   t->no_extra ? 0 : extra_at[s][i], 4);
				le(p + 16, t->size, 2);
				le(p + 36, (uint32_t)t->start, 4);
				le(p + 40, t->offset, 8);
				le(p + 48, t->nr_files ? t->nr_files : 1, 4);
				le(p + 52, footer_at, 4);
				le(mds + extra_at[s][i], t->pregap, 4);
				le(mds + extra_at[s][i] + 4, t->length, 4);
			}
		}
	}
	return write_file(name, mds, len);
}

/* The usual control entries before the tracks. */
#define POINTS	{ .point = 0xa0 }, { .point = 0xa1 }, { .point = 0xa2 }

static char what_block[64];

static char *write_mds(const char *name)
{
	return write_file(name, mds, len);
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
	else
		ok_str(ld.format, "Media Descriptor image", what, "format");
	return !ret;
}

/* Refused with @err: the object is @path, then @block when not NULL. */
static void fails_err(const char *what, const char *path, int err, const char *block,
		      const char *reason)
{
	struct vcd_load ld = { 0 };
	char object[PATH_MAX + 64];
	struct vcd_disc d;
	int fd = next_fd(), ret;

	if (block)
		snprintf(object, sizeof(object), "%s: %s", path, block);
	else
		snprintf(object, sizeof(object), "%s", path);
	vcd_disc_init(&d);
	ret = vcd_load_image(path, &d, &ld);
	ok(ret == -err, "%s: refused (%d, want %d)", what, ret, -err);
	ok_str(ld.object, object, what, "object");
	ok_str(ld.reason, reason, what, "reason");
	ok(!d.nr_files && !d.nr_sessions && next_fd() == fd, "%s: nothing kept, no fd left", what);
	vcd_disc_free(&d);
}

#define fails(what, path, block, reason) fails_err(what, path, EINVAL, block, reason)

/* "track block N at 0x...": the block of session @s, @i. */
static const char *tblock(unsigned int s, unsigned int i)
{
	static char buf[4][64];
	static unsigned int next;
	char *p = buf[next++ % 4];

	snprintf(p, 64, "track block %u at 0x%x", i + 1, trk_at[s][i]);
	return p;
}

static const char *sblock(unsigned int s)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "session block %u at 0x%x", s + 1, sess_at[s]);
	return buf;
}

static const struct vcd_track *trk(const struct vcd_disc *d, unsigned int s, unsigned int t)
{
	return s < d->nr_sessions && t < d->sessions[s].nr_tracks ? &d->sessions[s].tracks[t] :
	       NULL;
}

static bool ext_is(const struct vcd_track *t, unsigned int i, uint32_t start, uint32_t length,
		   uint32_t format, uint32_t file, uint64_t offset)
{
	const struct vcd_extent *e = t && i < t->nr_extents ? &t->extents[i] : NULL;

	if (e && e->start == start && e->length == length && e->format == format &&
	    (format == VCDROM_SECTOR_ZERO || (e->file == file && e->offset == offset)) &&
	    e->sub_format == (format == VCDROM_SECTOR_RAW_PW ? VCDROM_SUB_PW : VCDROM_SUB_NONE))
		return true;
	if (e)
		printf("# extent %u: %u+%u format %u file %u offset %llu\n", i, e->start, e->length,
		       e->format, e->file, (unsigned long long)e->offset);
	else
		printf("# no extent %u\n", i);
	return false;
}

static bool track_is(const struct vcd_track *t, unsigned int number, uint32_t mode,
		     uint32_t flags, uint32_t start, unsigned int nr_extents)
{
	if (t && t->number == number && t->mode == mode && t->flags == flags &&
	    t->start == start && t->nr_extents == nr_extents && !t->nr_indexes && !t->isrc[0])
		return true;
	if (t)
		printf("# track %u mode %u flags %#x start %u, %u extents, %u indexes\n",
		       t->number, t->mode, t->flags, t->start, t->nr_extents, t->nr_indexes);
	return false;
}

static bool file_is(const struct vcd_disc *d, unsigned int i, const char *name, uint64_t size)
{
	const char *base;

	if (i >= d->nr_files)
		return false;
	base = strrchr(d->files[i].path, '/');
	base = base ? base + 1 : d->files[i].path;
	if (!strcmp(base, name) && d->files[i].size == size && d->files[i].fd >= 0)
		return true;
	printf("# file %u: %s, %llu bytes\n", i, d->files[i].path,
	       (unsigned long long)d->files[i].size);
	return false;
}

/* ---- CDs ---- */

static const struct wdisc one_mode1 = {
	.nr_sessions = 1,
	.s = { { .start = -150, .end = 100, .first = 1, .last = 1, .n = 4, .t = { POINTS,
		{ .point = 1, .mode = 0xaa, .ctl = 4, .size = 2048, .pregap = 150,
		  .length = 100 } } } },
};

static void test_mode1(void)
{
	struct wdisc w = one_mode1;
	struct vcd_disc d;
	char *p;

	make_file("m1.mdf", 100 * 2048, NULL, 0);
	p = build("m1.mds", &w);
	if (load("mode 1, 2048", p, &d)) {
		ok(d.medium == VCDROM_MEDIUM_CD && d.nr_sessions == 1 &&
		   d.sessions[0].nr_tracks == 1 && !d.mcn[0] && !d.cdtext,
		   "mode 1, 2048: a CD, one session, one track, no MCN or CD-TEXT");
		ok(track_is(trk(&d, 0, 0), 1, VCDROM_TRACK_MODE1, 0, 0, 1) &&
		   ext_is(trk(&d, 0, 0), 0, 0, 100, VCDROM_SECTOR_COOKED_2048, 0, 0),
		   "mode 1, 2048: track 1 at 0, 100 cooked sectors from byte 0, no pregap");
		ok(file_is(&d, 0, "m1.mdf", 100 * 2048) && d.nr_files == 1,
		   "mode 1, 2048: m1.mdf, \"*.mdf\" in the footer");
		ok(!notes.n, "mode 1, 2048: no note (%u)", notes.n);
		vcd_disc_free(&d);
	}

	/* by its content, whatever its name */
	make_file("content.mdf", 100 * 2048, NULL, 0);
	p = build("content.img", &w);
	if (load("named .img", p, &d)) {
		ok(file_is(&d, 0, "content.mdf", 100 * 2048), "named .img: *.mdf is content.mdf");
		ok_str(notes.text, "loaded as Media Descriptor image, by its content: its "
		       "extension says raw CD image", "named .img", "note");
		vcd_disc_free(&d);
	}

	/* UltraISO: a track 1 that starts late, still with a pregap of 150 */
	w.s[0].t[3].start = 200;
	w.s[0].end = 300;
	make_file("late.mdf", 100 * 2048, NULL, 0);
	p = build("late.mds", &w);
	if (load("track 1 at LBA 200", p, &d)) {
		ok(track_is(trk(&d, 0, 0), 1, VCDROM_TRACK_MODE1, 0, 200, 2) &&
		   ext_is(trk(&d, 0, 0), 0, 0, 200, VCDROM_SECTOR_ZERO, 0, 0) &&
		   ext_is(trk(&d, 0, 0), 1, 200, 100, VCDROM_SECTOR_COOKED_2048, 0, 0),
		   "track 1 at LBA 200: zeros from 0, then its 100 sectors");
		ok(notes.n == 1 && !strcmp(notes.object, p), "track 1 at LBA 200: a note");
		ok_str(notes.text, "track 1 starts at LBA 200: the sectors before it (a hidden "
		       "track?) are not in the image and read as zeros", "track 1 at LBA 200",
		       "note");
		vcd_disc_free(&d);
	}
	w.s[0].t[3].pregap = 100;
	p = build("late.mds", &w);
	fails("track 1 at LBA 200, a pregap of 100", p, tblock(0, 3), "track 1: the disc "
	      "starts at LBA 100 (its pregap), not at 0 or before");

	w = one_mode1;
	w.s[0].t[3].size = 2352;
	w.s[0].t[3].mode = 0x02;		/* the low nibble is what counts */
	make_file("raw.mdf", 100 * 2352, NULL, 0);
	p = build("raw.mds", &w);
	if (load("mode 1, 2352", p, &d)) {
		ok(track_is(trk(&d, 0, 0), 1, VCDROM_TRACK_MODE1, 0, 0, 1) &&
		   ext_is(trk(&d, 0, 0), 0, 0, 100, VCDROM_SECTOR_RAW, 0, 0),
		   "mode 1, 2352 (mode byte 0x02): 100 raw sectors");
		vcd_disc_free(&d);
	}
}

/* Each mode byte's sizes, as the cue and NRG loaders map their modes. */
static const struct {
	uint8_t mode, sub;
	uint16_t size;
	uint32_t track_mode, format;
	const char *reason;			/* refused: why */
} modes[] = {
	{ 0xa9, 0, 2352, VCDROM_TRACK_AUDIO, VCDROM_SECTOR_RAW, NULL },
	{ 0xa9, 8, 2448, VCDROM_TRACK_AUDIO, VCDROM_SECTOR_RAW_PW, NULL },
	{ 0xaa, 0, 2048, VCDROM_TRACK_MODE1, VCDROM_SECTOR_COOKED_2048, NULL },
	{ 0xea, 0, 2352, VCDROM_TRACK_MODE1, VCDROM_SECTOR_RAW, NULL },
	{ 0xaa, 8, 2448, VCDROM_TRACK_MODE1, VCDROM_SECTOR_RAW_PW, NULL },
	{ 0xab, 0, 2336, VCDROM_TRACK_MODE2_XA, VCDROM_SECTOR_MODE2, NULL },
	{ 0xab, 0, 2352, VCDROM_TRACK_MODE2_XA, VCDROM_SECTOR_RAW, NULL },
	{ 0xac, 0, 2048, VCDROM_TRACK_MODE2_XA, VCDROM_SECTOR_COOKED_2048, NULL },
	{ 0xec, 0, 2336, VCDROM_TRACK_MODE2_XA, VCDROM_SECTOR_MODE2, NULL },
	{ 0xac, 8, 2448, VCDROM_TRACK_MODE2_XA, VCDROM_SECTOR_RAW_PW, NULL },
	{ 0xad, 0, 2324, VCDROM_TRACK_MODE2_XA, VCDROM_SECTOR_COOKED_2324, NULL },
	{ 0xed, 0, 2352, VCDROM_TRACK_MODE2_XA, VCDROM_SECTOR_RAW, NULL },
	{ 0xa9, 0, 2048, 0, 0, "track 1: 2048-byte sectors do not fit its mode (0xa9, audio)" },
	{ 0xab, 0, 2048, 0, 0, "track 1: 2048-byte sectors do not fit its mode (0xab, mode 2)" },
	{ 0xad, 0, 2048, 0, 0,
	  "track 1: 2048-byte sectors do not fit its mode (0xad, mode 2 form 2)" },
	{ 0xab, 4, 2352, 0, 0, "track 1: sub-channel 0x04 is unknown (0: none, 8: 96 bytes of "
	  "interleaved P-W)" },
	{ 0xa8, 0, 2352, 0, 0, "track 1: mode 0xa8 is unknown (its low nibble: 1 or 9 audio, 2 "
	  "or a mode 1, 3 or b mode 2, 4 or c mode 2 form 1, 5 or d form 2)" },
	{ 0xaf, 0, 2352, 0, 0, "track 1: mode 0xaf is unknown (its low nibble: 1 or 9 audio, 2 "
	  "or a mode 1, 3 or b mode 2, 4 or c mode 2 form 1, 5 or d form 2)" },
	{ 0x00, 0, 2352, 0, 0, "track 1: mode 0x00 is unknown (its low nibble: 1 or 9 audio, 2 "
	  "or a mode 1, 3 or b mode 2, 4 or c mode 2 form 1, 5 or d form 2)" },
};

static void test_modes(void)
{
	struct wdisc w = one_mode1;
	struct wtrack *t = &w.s[0].t[3];
	char what[64];
	struct vcd_disc d;
	unsigned int i;
	char *p;

	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		t->mode = modes[i].mode;
		t->sub = modes[i].sub;
		t->size = modes[i].size;
		t->ctl = (modes[i].mode & 7) == 1 ? 0 : 4;
		snprintf(what, sizeof(what), "mode 0x%02x, %u bytes%s", modes[i].mode,
			 modes[i].size, modes[i].sub ? ", sub-channel" : "");
		make_file("mode.mdf", 100 * modes[i].size, NULL, 0);
		p = build("mode.mds", &w);
		if (modes[i].reason) {
			fails(what, p, tblock(0, 3), modes[i].reason);
			continue;
		}
		if (!load(what, p, &d))
			continue;
		ok(track_is(trk(&d, 0, 0), 1, modes[i].track_mode, 0, 0, 1) &&
		   ext_is(trk(&d, 0, 0), 0, 0, 100, modes[i].format, 0, 0),
		   "%s: track mode %u, sector format %u", what, modes[i].track_mode,
		   modes[i].format);
		vcd_disc_free(&d);
	}
}

static void test_mixed(void)
{
	struct wdisc w = {
		.nr_sessions = 1,
		.s = { { .start = -150, .end = 330, .first = 1, .last = 3, .n = 6, .t = { POINTS,
			{ .point = 1, .mode = 0xaa, .ctl = 4, .size = 2352, .pregap = 150,
			  .length = 100 },
			{ .point = 2, .mode = 0xa9, .ctl = 2, .size = 2352, .start = 250,
			  .offset = 100 * 2352, .pregap = 150, .length = 50 },
			{ .point = 3, .mode = 0xe9, .ctl = 9, .size = 2352, .start = 300,
			  .offset = 150 * 2352, .length = 30 } } } },
	};
	const struct vcd_track *t;
	struct vcd_disc d;
	char *p;

	make_file("mixed.mdf", 180 * 2352, NULL, 0);
	p = build("mixed.mds", &w);
	if (!load("data and audio", p, &d))
		return;
	ok(d.sessions[0].nr_tracks == 3 && d.nr_files == 1, "data and audio: 3 tracks, 1 file");
	ok(track_is(trk(&d, 0, 0), 1, VCDROM_TRACK_MODE1, 0, 0, 1) &&
	   ext_is(trk(&d, 0, 0), 0, 0, 100, VCDROM_SECTOR_RAW, 0, 0),
	   "data and audio: track 1, mode 1, 0 to 100");
	t = trk(&d, 0, 1);
	ok(track_is(t, 2, VCDROM_TRACK_AUDIO, VCDROM_TRACK_F_DCP, 250, 2) &&
	   ext_is(t, 0, 100, 150, VCDROM_SECTOR_ZERO, 0, 0) &&
	   ext_is(t, 1, 250, 50, VCDROM_SECTOR_RAW, 0, 100 * 2352),
	   "data and audio: track 2, audio, copy permitted, 150 zeros of pregap, 50 sectors");
	ok(track_is(trk(&d, 0, 2), 3, VCDROM_TRACK_AUDIO, VCDROM_TRACK_F_PRE | VCDROM_TRACK_F_4CH,
		    300, 1) &&
	   ext_is(trk(&d, 0, 2), 0, 300, 30, VCDROM_SECTOR_RAW, 0, 150 * 2352),
	   "data and audio: track 3 (mode 0xe9), pre-emphasis, 4 channels, no pregap");
	vcd_disc_free(&d);
}

static void test_subchannel(void)
{
	struct wdisc w = {
		.nr_sessions = 1,
		.s = { { .start = -150, .end = 30, .first = 1, .last = 1, .n = 4, .t = { POINTS,
			{ .point = 1, .mode = 0xa9, .sub = 8, .size = 2448, .pregap = 150,
			  .length = 30 } } } },
	};
	const struct vcd_extent *e;
	struct vcd_disc d;
	char *p;

	make_file("sub.mdf", 30 * 2448, NULL, 0);
	p = build("sub.mds", &w);
	if (!load("audio with sub-channel", p, &d))
		return;
	e = trk(&d, 0, 0) && trk(&d, 0, 0)->nr_extents == 1 ? &trk(&d, 0, 0)->extents[0] : NULL;
	ok(track_is(trk(&d, 0, 0), 1, VCDROM_TRACK_AUDIO, 0, 0, 1) && e && e->start == 0 &&
	   e->length == 30 && e->format == VCDROM_SECTOR_RAW_PW && e->file == 0 && !e->offset,
	   "audio with sub-channel: 30 sectors of 2448 bytes (raw P-W)");
	ok(e && e->sub_format == VCDROM_SUB_PW && !e->sub_in_file && !e->flags,
	   "audio with sub-channel: its P-W stored interleaved, in each sector");
	ok(vcd_disc_has_subchannel(&d), "audio with sub-channel: the disc has one");
	vcd_disc_free(&d);
}

static void test_sessions(void)
{
	struct wdisc w = {
		.nr_sessions = 2,
		.s = {
			{ .start = -150, .end = 100, .first = 1, .last = 1, .n = 4, .t = { POINTS,
				{ .point = 1, .mode = 0xa9, .size = 2352, .pregap = 150,
				  .length = 100 } } },
			{ .start = 11200, .end = 11390, .first = 2, .last = 2, .n = 4, .t = {
				POINTS,
				{ .point = 2, .mode = 0xac, .ctl = 4, .size = 2048, .start = 11350,
				  .offset = 100 * 2352, .pregap = 150, .length = 40 } } },
		},
	};
	const struct vcd_track *t;
	struct vcd_disc d;
	char *p;

	make_file("two.mdf", 100 * 2352 + 40 * 2048, NULL, 0);
	p = build("two.mds", &w);
	if (!load("two sessions", p, &d))
		return;
	ok(d.nr_sessions == 2 && d.sessions[0].nr_tracks == 1 && d.sessions[1].nr_tracks == 1,
	   "two sessions: a track each");
	ok(track_is(trk(&d, 0, 0), 1, VCDROM_TRACK_AUDIO, 0, 0, 1) &&
	   ext_is(trk(&d, 0, 0), 0, 0, 100, VCDROM_SECTOR_RAW, 0, 0),
	   "two sessions: track 1, audio, 0 to 100");
	t = trk(&d, 1, 0);
	ok(track_is(t, 2, VCDROM_TRACK_MODE2_XA, 0, 11350, 2) &&
	   ext_is(t, 0, 11200, 150, VCDROM_SECTOR_ZERO, 0, 0) &&
	   ext_is(t, 1, 11350, 40, VCDROM_SECTOR_COOKED_2048, 0, 100 * 2352),
	   "two sessions: track 2, mode 2 form 1 (XA), its pregap at 11200, cooked from 11350");
	vcd_disc_free(&d);
}

/* ---- DVDs ---- */

static void test_dvd(void)
{
	char why[PATH_MAX + 128];
	struct wdisc w = {
		.medium = 0x10, .nr_sessions = 1, .layers = 1, .bca_len = 64, .dpm = 1,
		.s = { { .start = 0, .end = 500, .first = 1, .last = 1, .n = 1, .t = {
			{ .point = 1, .mode = 0x02, .ctl = 4, .size = 2048, .length = 500 } } } },
	};
	struct vcd_disc d;
	char *p;

	make_file("dvd.mdf", 500 * 2048, NULL, 0);
	p = build("dvd.mds", &w);
	if (load("DVD", p, &d)) {
		ok(d.medium == VCDROM_MEDIUM_DVD && d.nr_sessions == 1 &&
		   d.sessions[0].nr_tracks == 1 && d.nr_files == 1,
		   "DVD: medium DVD, one session, one track, one file");
		ok(track_is(trk(&d, 0, 0), 1, VCDROM_TRACK_MODE1, 0, 0, 1) &&
		   ext_is(trk(&d, 0, 0), 0, 0, 500, VCDROM_SECTOR_COOKED_2048, 0, 0),
		   "DVD: track 1, 500 cooked sectors");
		ok(notes.n == 1, "DVD: one note, the DPM's (%u)", notes.n);
		ok(d.nr_dpm == 1 && d.dpm[0].number == 0 && d.dpm[0].start == 0 &&
		   d.dpm[0].resolution == 2 && d.dpm[0].entries == 3,
		   "DVD: its DPM block kept for vcdromctl toc");
		ok(dvd_is(d.dvd, 1, 64), "DVD: its structures and BCA kept for the drive");
		vcd_disc_free(&d);
	}
	w.dpm = 0;
	w.bca_len = 0;
	p = build("dvd.mds", &w);
	if (load("DVD, no DPM", p, &d)) {
		ok(notes.n == 0 && !d.nr_dpm && !d.dpm, "DVD without DPM: no note (%u), no block",
		   notes.n);
		ok(dvd_is(d.dvd, 1, 0), "DVD: one layer's structures kept, no BCA");
		vcd_disc_free(&d);
	}
	w.layers = 2;
	w.dpm = 2;
	p = build("dvd.mds", &w);
	if (load("DVD, two layers", p, &d)) {
		ok(notes.n == 1, "DVD, two layers: one note, the DPM's");
		ok(d.nr_dpm == 2 && d.dpm[1].number == 1 && d.dpm[1].entries == 3,
		   "DVD, two layers: both DPM blocks kept");
		ok(dvd_is(d.dvd, 2, 0), "DVD, two layers: both layers' structures kept");
		ok_str(notes.text, "its data position measurement (2 blocks) is not used: reads "
		       "are not timed", "DVD, two layers", "note");
		vcd_disc_free(&d);
	}

	/* split: the parts in the footers, in order */
	w = (struct wdisc){
		.medium = 0x12, .nr_sessions = 1, .names = { "*.md0", "*.md1" },
		.s = { { .start = 0, .end = 500, .first = 1, .last = 1, .n = 1, .t = {
			{ .point = 1, .mode = 0x02, .ctl = 4, .size = 2048, .length = 500,
			  .nr_files = 2 } } } },
	};
	make_file("split.md0", 300 * 2048, NULL, 0);
	make_file("split.md1", 200 * 2048, NULL, 0);
	p = build("split.mds", &w);
	if (load("split DVD", p, &d)) {
		ok(d.medium == VCDROM_MEDIUM_DVD && d.nr_files == 2 &&
		   file_is(&d, 0, "split.md0", 300 * 2048) &&
		   file_is(&d, 1, "split.md1", 200 * 2048),
		   "split DVD: DVD-R is a DVD, in split.md0 and split.md1");
		ok(track_is(trk(&d, 0, 0), 1, VCDROM_TRACK_MODE1, 0, 0, 2) &&
		   ext_is(trk(&d, 0, 0), 0, 0, 300, VCDROM_SECTOR_COOKED_2048, 0, 0) &&
		   ext_is(trk(&d, 0, 0), 1, 300, 200, VCDROM_SECTOR_COOKED_2048, 1, 0),
		   "split DVD: an extent per file");
		vcd_disc_free(&d);
	}

	make_file("split.md1", 300 * 2048, NULL, 0);
	p = build("split.mds", &w);
	ok(load("split DVD, a longer last part", p, &d) &&
	   ext_is(trk(&d, 0, 0), 1, 300, 200, VCDROM_SECTOR_COOKED_2048, 1, 0),
	   "split DVD, a longer last part: its first 200 sectors");
	vcd_disc_free(&d);
	w.s[0].t[0].length = 250;
	w.s[0].end = 250;
	p = build("split.mds", &w);
	snprintf(why, sizeof(why), "track 1: %s, part 2 of 2, holds sectors past the track's end",
		 tmp_path("split.md1"));
	fails("split DVD, a part past the end", p, tblock(0, 0), why);
	w.s[0].t[0].length = 500;
	w.s[0].end = 500;
	make_file("split.md1", 200 * 2048, NULL, 0);
	p = build("split.mds", &w);

	/* the first part opened, the second missing: nothing kept, no fd left */
	unlink(tmp_path("split.md1"));
	fails_err("split DVD, no .md1", p, ENOENT, tblock(0, 0),
		  "\"*.md1\" (split.md1): No such file or directory");
	mkdir(tmp_path("split.md1"), 0755);
	fails_err("split DVD, .md1 a folder", p, EISDIR, tblock(0, 0),
		  "\"*.md1\": Is a directory");
	rmdir(tmp_path("split.md1"));
	make_file("split.md1", 200 * 2048, NULL, 0);

	make_file("split.md0", 300 * 2048 + 5, NULL, 0);
	snprintf(why, sizeof(why), "track 1: %s, part 1 of 2, is not whole 2048-byte sectors",
		 tmp_path("split.md0"));
	fails("split DVD, a part not whole sectors", p, tblock(0, 0), why);
	make_file("split.md0", 300 * 2048, NULL, 0);
	make_file("split.md1", 100 * 2048, NULL, 0);
	p = build("split.mds", &w);		/* tmp_path()'s buffers have gone round */
	fails("split DVD, too short", p, tblock(0, 0), "track 1 has 500 sectors; its 2 files "
	      "hold 400");
}

/* The DVD structures, the BCA and DPM: checked, refused when they run past the end. */
static void test_dvd_blocks(void)
{
	struct wdisc w = {
		.medium = 0x10, .nr_sessions = 1, .layers = 1, .bca_len = 64, .dpm = 1,
		.s = { { .start = 0, .end = 500, .first = 1, .last = 1, .n = 1, .t = {
			{ .point = 1, .mode = 0x02, .ctl = 4, .size = 2048, .length = 500 } } } },
	};
	char why[256];
	uint32_t st;
	char *p;

	make_file("dvdb.mdf", 500 * 2048, NULL, 0);
	p = build("dvdb.mds", &w);
	st = mds[64] | mds[65] << 8 | mds[66] << 16 | (uint32_t)mds[67] << 24;
	le(mds + 64, len - 100, 4);
	write_mds("dvdb.mds");
	snprintf(why, sizeof(why), "DVD structures: 4100 bytes at 0x%zx, past the end of the file "
		 "(%zu bytes)", len - 100, len);
	fails("DVD structures past the end", p, "header", why);

	p = build("dvdb.mds", &w);
	mds[st + 4 + 2048 + 2] = 0x20;	/* two layers, one stored */
	write_mds("dvdb.mds");
	snprintf(why, sizeof(why), "DVD structures of two layers: 8200 bytes at 0x%x, past the end "
		 "of the file (%zu bytes)", st, len);
	fails("two layers, one stored", p, "header", why);

	p = build("dvdb.mds", &w);
	le(mds + 26, 0xffff, 2);
	write_mds("dvdb.mds");
	snprintf(why, sizeof(why), "BCA: 65535 bytes at 0x%x, past the end of the file (%zu bytes)",
		 mds[36] | mds[37] << 8, len);
	fails("BCA past the end", p, "header", why);

	p = build("dvdb.mds", &w);
	st = mds[84] | mds[85] << 8;
	le(mds + st, 0x40000000, 4);
	write_mds("dvdb.mds");
	snprintf(why, sizeof(why), "DPM block offsets: 4294967296 bytes at 0x%x, past the end of "
		 "the file (%zu bytes)", st + 4, len);
	fails("a DPM block count that overflows", p, "header", why);

	p = build("dvdb.mds", &w);
	le(mds + st + 8 + 12, 1000, 4);
	write_mds("dvdb.mds");
	snprintf(why, sizeof(why), "entries: 4000 bytes at 0x%x, past the end of the file (%zu "
		 "bytes)", st + 8 + 16, len);
	snprintf(what_block, sizeof(what_block), "DPM block 1 at 0x%x", st + 8);
	fails("DPM entries past the end", p, what_block, why);

	w.medium = 0x02;		/* CD-RW */
	w.dpm = 0;
	p = build("dvdb.mds", &w);
	fails("a CD with DVD structures", p, "header",
	      "a CD with DVD structures or a BCA");
}

/* ---- footers ---- */

static void test_names(void)
{
	char why[PATH_MAX + 128];
	struct wdisc w = one_mode1;
	struct vcd_disc d;
	char *p;

	w.names[0] = "Disc Name.MDF";
	make_file("disc name.mdf", 100 * 2048, NULL, 0);
	p = build("ascii.mds", &w);
	if (load("an ASCII name, another case", p, &d)) {
		ok(file_is(&d, 0, "disc name.mdf", 100 * 2048),
		   "an ASCII name, another case: disc name.mdf");
		vcd_disc_free(&d);
	}
	w.names[0] = "C:\\Images\\Disc Name.mdf";
	p = build("winpath.mds", &w);
	if (load("a Windows path", p, &d)) {
		ok(file_is(&d, 0, "disc name.mdf", 100 * 2048), "a Windows path: its last part");
		snprintf(why, sizeof(why), "\"C:\\Images\\Disc Name.mdf\" not found; using %s",
			 tmp_path("disc name.mdf"));
		ok_str(notes.text, why, "a Windows path", "note");
		vcd_disc_free(&d);
	}
	w.names[0] = "d\xc3\xadsc.mdf";		/* U+00ED */
	w.wide = true;
	make_file("d\xc3\xadsc.mdf", 100 * 2048, NULL, 0);
	p = build("wide.mds", &w);
	if (load("a UTF-16 name", p, &d)) {
		ok(file_is(&d, 0, "d\xc3\xadsc.mdf", 100 * 2048), "a UTF-16 name: in UTF-8");
		vcd_disc_free(&d);
	}
	w.names[0] = "*.mdf";
	make_file("Star.MDF", 100 * 2048, NULL, 0);
	p = build("star.mds", &w);
	if (load("*.mdf in UTF-16, another case", p, &d)) {
		ok(file_is(&d, 0, "Star.MDF", 100 * 2048), "*.mdf: the .mds's name, .mdf");
		vcd_disc_free(&d);
	}

	/* a lone surrogate */
	w.names[0] = "x.mdf";
	p = build("bad16.mds", &w);
	le(mds + name_at[0], 0xd800, 2);
	write_mds("bad16.mds");
	snprintf(why, sizeof(why), "its file name (at 0x%x) is not UTF-16", name_at[0]);
	fails("not UTF-16", p, tblock(0, 3), why);
	w.wide = false;
	p = build("nomdf.mds", &w);
	fails_err("no .mdf", p, ENOENT, tblock(0, 3), "\"x.mdf\": No such file or directory");
	w.names[0] = NULL;
	p = build("nomdf.mds", &w);
	fails_err("no .mdf for *.mdf", p, ENOENT, tblock(0, 3),
		  "\"*.mdf\" (nomdf.mdf): No such file or directory");
}

/* ---- refused ---- */

static void test_versions(void)
{
	struct wdisc w = one_mode1;
	char *p;

	w.major = 2;
	p = build("v2.mds", &w);
	fails_err("MDS 2.x", p, EOPNOTSUPP, NULL, "is a DAEMON Tools MDS 2.x descriptor: not "
		  "supported, only Alcohol 120%'s MDS 1.x (convert the image to ISO, CUE/BIN or "
		  "MDS 1.x)");
	le(mds + 44, 0xffffffff, 4);
	p = write_mds("v2.mdx");
	fails_err("MDX", p, EOPNOTSUPP, NULL, "is a DAEMON Tools MDX image (MDS 2.x, its data "
		  "inside): not supported (convert it to ISO or CUE/BIN)");
	w.major = 3;
	w.minor = 1;
	p = build("v3.mds", &w);
	fails_err("MDS 3.x", p, EOPNOTSUPP, NULL,
		  "Media Descriptor version 3.01: only 1.x (Alcohol 120%) is supported");
}

static void test_refusals(void)
{
	char why[PATH_MAX + 128];
	struct vcd_disc d;
	struct wdisc w;
	char *p;

	make_file("bad.mdf", 100 * 2048, NULL, 0);

	w = one_mode1;
	p = build("bad.mds", &w);
	mds[sess_at[0] + 10] = 200;
	write_mds("bad.mds");
	snprintf(why, sizeof(why), "track blocks: 16000 bytes at 0x%x, past the end of the "
		 "file (%zu bytes)", trk_at[0][0], len);
	fails("a track block count past the end", p, sblock(0), why);

	w = one_mode1;
	p = build("bad.mds", &w);
	le(mds + trk_at[0][3] + 12, 0x7ffffff0, 4);
	write_mds("bad.mds");
	snprintf(why, sizeof(why), "extra block: 8 bytes at 0x7ffffff0, past the end of the "
		 "file (%zu bytes)", len);
	fails("extra block past the end", p, tblock(0, 3), why);

	p = build("bad.mds", &w);
	le(mds + trk_at[0][3] + 52, len - 8, 4);
	write_mds("bad.mds");
	snprintf(why, sizeof(why), "footer: 16 bytes at 0x%zx, past the end of the file (%zu "
		 "bytes)", len - 8, len);
	fails("footer past the end", p, tblock(0, 3), why);

	p = build("bad.mds", &w);
	le(mds + trk_at[0][3] + 12, 0, 4);
	write_mds("bad.mds");
	fails("no extra block", p, tblock(0, 3), "track 1 has no extra block (its offset is 0): "
	      "its pregap and length are not known");

	w.s[0].t[3].offset = 4096;
	p = build("bad.mds", &w);
	snprintf(why, sizeof(why), "track 1: its sectors (bytes 4096 to 208896) run past the "
		 "end of %s (204800 bytes)", tmp_path("bad.mdf"));
	fails("sectors past the end of the .mdf", p, tblock(0, 3), why);

	w = one_mode1;
	w.s[0].t[3].size = 2336;
	p = build("bad.mds", &w);
	fails("a size that is not the mode's", p, tblock(0, 3),
	      "track 1: 2336-byte sectors do not fit its mode (0xaa, mode 1)");
	w.s[0].t[3].size = 2448;
	p = build("bad.mds", &w);
	fails("2448 without the sub-channel flag", p, tblock(0, 3), "track 1: 2448-byte sectors "
	      "do not fit its mode (0xaa, mode 1): 2448 needs the sub-channel flag 0x08");
	w.s[0].t[3].sub = 8;
	w.s[0].t[3].size = 2352;
	p = build("bad.mds", &w);
	fails("the sub-channel flag with 2352", p, tblock(0, 3), "track 1: 2352-byte sectors "
	      "with a sub-channel: only 2448 (2352 and 96) are known");
	w = one_mode1;
	w.s[0].t[3].mode = 0xae;
	p = build("bad.mds", &w);
	fails("an unknown mode", p, tblock(0, 3), "track 1: mode 0xae is unknown (its low "
	      "nibble: 1 or 9 audio, 2 or a mode 1, 3 or b mode 2, 4 or c mode 2 form 1, 5 or d "
	      "form 2)");
	w = one_mode1;
	w.s[0].t[3].ctl = 0;
	p = build("bad.mds", &w);
	fails("Q control says audio", p, tblock(0, 3), "track 1: its Q control 0x0 says audio, "
	      "its mode 0xaa (mode 1) data");

	w = one_mode1;
	w.s[0].end = 99;
	p = build("bad.mds", &w);
	fails("session end", p, sblock(0), "the session ends at LBA 99, its tracks at 100");
	w = one_mode1;
	w.s[0].start = 0;
	p = build("bad.mds", &w);
	fails("session start", p, sblock(0),
	      "the session starts at LBA 0, its first track (with its pregap) at -150");
	w = one_mode1;
	p = build("bad.mds", &w);
	put_msf(mds + trk_at[0][2] + 9, 101);
	write_mds("bad.mds");
	fails("A2 disagrees", p, tblock(0, 2),
	      "point A2 puts the lead-out at LBA 101, the tracks at 100");
	w = one_mode1;
	p = build("bad.mds", &w);
	le(mds + 20, 0, 2);
	write_mds("bad.mds");
	fails("no sessions", p, NULL, "0 sessions: a CD has 1 to 99");
	w = one_mode1;
	w.s[0].n = 3;
	p = build("bad.mds", &w);
	fails("no track block", p, sblock(0), "tracks 1 to 1, but none of its 3 blocks is a track");
	w = one_mode1;
	w.s[0].last = 2;
	p = build("bad.mds", &w);
	fails("a track missing", p, sblock(0),
	      "tracks 1 to 2, but its track blocks end at track 1");

	/* tracks: out of order, overlapping, apart */
	w = (struct wdisc){
		.nr_sessions = 1,
		.s = { { .start = -150, .end = 100, .first = 1, .last = 2, .n = 5, .t = { POINTS,
			{ .point = 1, .mode = 0xa9, .size = 2352, .pregap = 150, .length = 50 },
			{ .point = 2, .mode = 0xa9, .size = 2352, .start = 50,
			  .offset = 50 * 2352, .length = 50 } } } },
	};
	make_file("order.mdf", 100 * 2352, NULL, 0);
	p = build("order.mds", &w);
	if (load("two tracks", p, &d))
		vcd_disc_free(&d);
	w.s[0].t[4].point = 3;
	w.s[0].last = 3;
	p = build("order.mds", &w);
	fails("track 3 after 1", p, tblock(0, 4), "track 3 where track 2 comes");
	w.s[0].t[4].point = 2;
	w.s[0].last = 2;
	w.s[0].t[4].start = 40;
	p = build("order.mds", &w);
	fails("overlapping", p, tblock(0, 4),
	      "track 2 starts at LBA 40 (its pregap), inside the track before, which ends at 50");
	w.s[0].t[4].start = 60;
	p = build("order.mds", &w);
	fails("a gap", p, tblock(0, 4), "track 2 starts at LBA 60 (its pregap): the 10 sectors "
	      "after track 1 are in no track");
}

int main(void)
{
	tap_begin("mds");
	test_mode1();
	test_modes();
	test_mixed();
	test_subchannel();
	test_sessions();
	test_dvd();
	test_dvd_blocks();
	test_names();
	test_versions();
	test_refusals();
	return tap_end();
}
