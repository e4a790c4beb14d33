// SPDX-License-Identifier: GPL-2.0
/*
 * Host-only unit tests for the NRG loader: small Nero images built here,
 * v1 and v2, disc- and track-at-once, every mode code, several sessions,
 * CD-TEXT, MCN and ISRC, checked against the layout they must make; every
 * refusal with its message. Then, where ../../shared/corpora is
 * (VCDROM_CORPORA overrides it), libcdio's p1.nrg and videocd.nrg against
 * what cd-info --nrg-file says of them.
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

#include "common/common.h"
#include "helpers.h"
#include "loaders.h"
#include "tap.h"

/* ---- building images ---- */

static uint8_t img[2 << 20];
static size_t len;

/* Room for @n more bytes, or the test stops: an image never overruns the buffer. */
static void room(size_t n)
{
	if (n > sizeof(img) - len) {
		fprintf(stderr, "test_nrg: an image of over %zu bytes\n", sizeof(img));
		exit(2);
	}
}

static void put(const void *p, size_t n)
{
	room(n);
	memcpy(img + len, p, n);
	len += n;
}

static void be(uint64_t v, unsigned int n)
{
	room(n);
	while (n--)
		img[len++] = v >> (8 * n);
}

static void zeros(size_t n)
{
	room(n);
	memset(img + len, 0, n);
	len += n;
}

static size_t chunk(const char *id, uint32_t size)
{
	put(id, 4);
	be(size, 4);
	return len;
}

/* A CUEX (v2) or CUES (v1) entry. */
static void cue_entry(bool v2, uint8_t ctl_adr, uint8_t track, uint8_t index, int32_t lba)
{
	uint32_t f = lba + 150;

	be(ctl_adr, 1);
	be(track, 1);
	be(index, 1);
	be(0, 1);
	if (v2) {
		be((uint32_t)lba, 4);
	} else {
		be(0, 1);
		be(f / 4500, 1);
		be(f / 75 % 60, 1);
		be(f % 75, 1);
	}
}

static void dao_head(bool v2, unsigned int tracks, const char *mcn, uint8_t first)
{
	uint32_t size = 22 + tracks * (v2 ? 42 : 30);

	chunk(v2 ? "DAOX" : "DAOI", size);
	be(size, 4);
	if (mcn)
		put(mcn, 13);
	else
		zeros(13);
	zeros(1);
	be(1, 2);
	be(first, 1);
	be(first + tracks - 1, 1);
}

static void dao_track(bool v2, const char *isrc, unsigned int ss, uint8_t mode, uint64_t pre,
		      uint64_t start, uint64_t end)
{
	if (isrc)
		put(isrc, 12);
	else
		zeros(12);
	be(ss, 2);
	be(mode, 1);
	be(1, 3);
	be(pre, v2 ? 8 : 4);
	be(start, v2 ? 8 : 4);
	be(end, v2 ? 8 : 4);
}

static void etn_track(bool v2, uint64_t off, uint64_t size, uint32_t mode)
{
	be(off, v2 ? 8 : 4);
	be(size, v2 ? 8 : 4);
	be(mode, 4);
	be(0, 4);
	be(0, v2 ? 8 : 4);
}

/* END!, then the footer pointing at @chain; written to @name. */
static char *finish(const char *name, bool v2, uint64_t chain)
{
	chunk("END!", 0);
	if (v2) {
		put("NER5", 4);
		be(chain, 8);
	} else {
		put("NERO", 4);
		be(chain, 4);
	}
	return write_file(name, img, len);
}

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
	return !ret;
}

static void fails(const char *what, const char *path, const char *reason)
{
	struct vcd_load ld = { 0 };
	struct vcd_disc d;
	int fd = next_fd(), ret;

	vcd_disc_init(&d);
	ret = vcd_load_image(path, &d, &ld);
	ok(ret == -EINVAL && !strcmp(ld.object, path), "%s: refused (%d), naming the file", what,
	   ret);
	ok_str(ld.reason, reason, what, "reason");
	ok(!d.nr_files && !d.nr_sessions && next_fd() == fd, "%s: nothing kept", what);
	vcd_disc_free(&d);
}

static const struct vcd_track *trk(const struct vcd_disc *d, unsigned int s, unsigned int t)
{
	return s < d->nr_sessions && t < d->sessions[s].nr_tracks ? &d->sessions[s].tracks[t] :
	       NULL;
}

static bool ext_is(const struct vcd_track *t, unsigned int i, uint32_t start, uint32_t length,
		   uint32_t format, uint64_t offset)
{
	const struct vcd_extent *e = t && i < t->nr_extents ? &t->extents[i] : NULL;

	if (e && e->start == start && e->length == length && e->format == format &&
	    (format == VCDROM_SECTOR_ZERO || e->offset == offset))
		return true;
	if (e)
		printf("# extent %u: %u+%u format %u offset %llu\n", i, e->start, e->length,
		       e->format, (unsigned long long)e->offset);
	return false;
}

/* ---- disc-at-once ---- */

/* Like p1.nrg: audio, the first pregap from LBA -150, stored. */
static void test_dao(bool v2)
{
	const char *name = v2 ? "dao2.nrg" : "dao1.nrg";
	const uint8_t packs[18] = { 0x80, 0, 0, 0, 'T', 'i', 't', 'l', 'e' };
	uint8_t cdtx[18];
	uint64_t chain = 452 * 2352;
	const struct vcd_track *t;
	struct vcd_disc d;
	uint16_t crc;

	len = 0;
	zeros(chain);
	chunk(v2 ? "CUEX" : "CUES", 6 * 8);
	cue_entry(v2, 0x01, 0, 0, -150);
	cue_entry(v2, 0x21, 1, 0, -150);
	cue_entry(v2, 0x21, 1, 1, 150);
	cue_entry(v2, 0x01, 2, 0, 225);
	cue_entry(v2, 0x01, 2, 1, 300);
	cue_entry(v2, 0x01, 0xaa, 1, 302);
	dao_head(v2, 2, "1234567890123", 1);
	dao_track(v2, "USRC17607839", 2352, 0x07, 0, 300 * 2352, 375 * 2352);
	dao_track(v2, NULL, 2352, 0x07, 375 * 2352, 450 * 2352, 452 * 2352);
	memcpy(cdtx, packs, sizeof(cdtx));
	crc = vcd_cdtext_crc(cdtx);
	cdtx[16] = crc >> 8;
	cdtx[17] = crc;
	chunk("CDTX", 18);
	put(cdtx, 18);
	chunk("SINF", 4);
	be(2, 4);
	chunk("MTYP", 4);
	be(1, 4);
	if (!load(v2 ? "DAO v2 (CUEX, DAOX)" : "DAO v1 (CUES, DAOI)", finish(name, v2, chain), &d))
		return;
	t = trk(&d, 0, 0);
	ok(d.nr_sessions == 1 && t && t->number == 1 && t->start == 150 &&
	   t->mode == VCDROM_TRACK_AUDIO && t->flags == VCDROM_TRACK_F_DCP &&
	   !strcmp(t->isrc, "USRC17607839"), "%s: track 1 at 150, audio, DCP, ISRC", name);
	ok(t && t->nr_extents == 2 && ext_is(t, 0, 0, 150, VCDROM_SECTOR_RAW, 150 * 2352) &&
	   ext_is(t, 1, 150, 75, VCDROM_SECTOR_RAW, 300 * 2352),
	   "%s: track 1's pregap before LBA 0 is skipped", name);
	t = trk(&d, 0, 1);
	ok(t && t->start == 300 && !t->flags && !t->isrc[0] && t->nr_extents == 2 &&
	   ext_is(t, 0, 225, 75, VCDROM_SECTOR_RAW, 375 * 2352) &&
	   ext_is(t, 1, 300, 2, VCDROM_SECTOR_RAW, 450 * 2352),
	   "%s: track 2: stored pregap from 225, index 1 at 300, to 302", name);
	ok(!strcmp(d.mcn, "1234567890123") && d.medium == VCDROM_MEDIUM_CD &&
	   d.cdtext_len == 18 && !memcmp(d.cdtext, cdtx, 18), "%s: MCN, CD medium, CD-TEXT", name);
	vcd_disc_free(&d);
}

static const struct {
	uint8_t code;
	unsigned int size;
	uint32_t mode, format;
} mode_codes[] = {
	{ 0x00, 2048, VCDROM_TRACK_MODE1, VCDROM_SECTOR_COOKED_2048 },
	{ 0x02, 2048, VCDROM_TRACK_MODE2_XA, VCDROM_SECTOR_COOKED_2048 },
	{ 0x03, 2336, VCDROM_TRACK_MODE2_XA, VCDROM_SECTOR_MODE2 },
	{ 0x05, 2352, VCDROM_TRACK_MODE1, VCDROM_SECTOR_RAW },
	{ 0x06, 2352, VCDROM_TRACK_MODE2_XA, VCDROM_SECTOR_RAW },
	{ 0x07, 2352, VCDROM_TRACK_AUDIO, VCDROM_SECTOR_RAW },
	{ 0x08, 2352, VCDROM_TRACK_AUDIO, VCDROM_SECTOR_RAW },
	{ 0x0f, 2448, VCDROM_TRACK_MODE1, VCDROM_SECTOR_RAW_PW },
	{ 0x10, 2448, VCDROM_TRACK_AUDIO, VCDROM_SECTOR_RAW_PW },
	{ 0x11, 2448, VCDROM_TRACK_MODE2_XA, VCDROM_SECTOR_RAW_PW },
};

/* One DAO track of @code, index 0 at -150 (stored), index 1 at 0, 10 sectors. */
static char *one_track(const char *name, uint8_t code, unsigned int ss, unsigned int dao_ss,
		       uint64_t end)
{
	len = 0;
	zeros(160 * ss);
	chunk("CUEX", 4 * 8);
	cue_entry(true, 0x41, 0, 0, -150);
	cue_entry(true, 0x41, 1, 0, -150);
	cue_entry(true, 0x41, 1, 1, 0);
	cue_entry(true, 0x41, 0xaa, 1, 10);
	dao_head(true, 1, NULL, 1);
	dao_track(true, NULL, dao_ss, code, 0, 150 * ss, end);
	return finish(name, true, 160 * ss);
}

static void test_modes(void)
{
	const struct vcd_track *t;
	struct vcd_disc d;
	char what[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mode_codes); i++) {
		unsigned int ss = mode_codes[i].size;

		snprintf(what, sizeof(what), "mode code 0x%02x", mode_codes[i].code);
		if (!load(what, one_track("mode.nrg", mode_codes[i].code, ss, ss, 160 * ss), &d))
			continue;
		t = trk(&d, 0, 0);
		ok(t && t->mode == mode_codes[i].mode && t->start == 0 && t->nr_extents == 1 &&
		   ext_is(t, 0, 0, 10, mode_codes[i].format, 150 * ss),
		   "%s: mode %u, %u-byte sectors", what, mode_codes[i].mode, ss);
		vcd_disc_free(&d);
	}
	fails("unknown mode code", one_track("bad.nrg", 0x04, 2352, 2352, 160 * 2352),
	      "track 1: unknown mode code 0x04");
	fails("sector size not the mode's", one_track("bad.nrg", 0x00, 2048, 2352, 160 * 2048),
	      "track 1: mode code 0x00 has 2048-byte sectors, not 2352");
	fails("stored sectors not the cue's", one_track("bad.nrg", 0x00, 2048, 2048, 159 * 2048),
	      "track 1: 10 sectors by the cue chunk, 9 stored");
	fails("end offset past the sectors", one_track("bad.nrg", 0x00, 2048, 2048, 161 * 2048),
	      "track 1: its data (bytes 307200 to 329728) runs past the sectors, into the chunks");
}

/* ---- track-at-once ---- */

/* Like videocd.nrg: 2336-byte tracks, 150 unstored sectors before each after the first. */
static void test_tao(bool v2, unsigned int sessions)
{
	const char *name = v2 ? "tao2.nrg" : "tao1.nrg";
	const struct vcd_track *t;
	struct vcd_disc d;
	unsigned int s;
	char what[64];

	len = 0;
	zeros(30 * 2336);
	for (s = 0; s < sessions; s++) {
		chunk(v2 ? "ETN2" : "ETNF", 2 * (v2 ? 32 : 20));
		etn_track(v2, s * 15 * 2336, 10 * 2336, 3);
		etn_track(v2, (s * 15 + 10) * 2336, 5 * 2336, 3);
		chunk("SINF", 4);
		be(2, 4);
	}
	snprintf(what, sizeof(what), "TAO %s, %u session%s", v2 ? "v2 (ETN2)" : "v1 (ETNF)",
		 sessions, sessions > 1 ? "s" : "");
	if (!load(what, finish(name, v2, 30 * 2336), &d))
		return;
	t = trk(&d, 0, 0);
	ok(t && t->number == 1 && t->start == 0 && t->mode == VCDROM_TRACK_MODE2_XA &&
	   t->nr_extents == 1 && ext_is(t, 0, 0, 10, VCDROM_SECTOR_MODE2, 0),
	   "%s: track 1 at 0, its gap before LBA 0", what);
	t = trk(&d, 0, 1);
	ok(t && t->number == 2 && t->start == 160 && t->nr_extents == 2 &&
	   ext_is(t, 0, 10, 150, VCDROM_SECTOR_ZERO, 0) &&
	   ext_is(t, 1, 160, 5, VCDROM_SECTOR_MODE2, 10 * 2336),
	   "%s: track 2 after a 150-sector gap of zeros", what);
	if (sessions > 1) {
		t = trk(&d, 1, 0);
		ok(d.nr_sessions == 2 && t && t->number == 3 &&
		   t->start == 165 + VCD_LEADOUT_FIRST + VCD_LEADIN + 150 &&
		   ext_is(t, 1, t->start, 10, VCDROM_SECTOR_MODE2, 15 * 2336),
		   "%s: session 2 (SINF) after a lead-out and lead-in", what);
	}
	vcd_disc_free(&d);
}

/* Two DAO sessions: the second where its CUEX says. */
static void test_dao_sessions(void)
{
	const struct vcd_track *t;
	struct vcd_disc d;
	int32_t s2 = 20 + 11400;

	len = 0;
	zeros(180 * 2048);
	chunk("CUEX", 4 * 8);
	cue_entry(true, 0x41, 0, 0, -150);
	cue_entry(true, 0x41, 1, 0, -150);
	cue_entry(true, 0x41, 1, 1, 0);
	cue_entry(true, 0x41, 0xaa, 1, 20);
	dao_head(true, 1, NULL, 1);
	dao_track(true, NULL, 2048, 0x00, 0, 0, 20 * 2048);
	chunk("SINF", 4);
	be(1, 4);
	chunk("CUEX", 4 * 8);
	cue_entry(true, 0x41, 0, 0, s2 - 4650);
	cue_entry(true, 0x41, 2, 0, s2 - 150);
	cue_entry(true, 0x41, 2, 1, s2);
	cue_entry(true, 0x41, 0xaa, 1, s2 + 10);
	dao_head(true, 1, NULL, 2);
	dao_track(true, NULL, 2048, 0x00, 20 * 2048, 170 * 2048, 180 * 2048);
	chunk("SINF", 4);
	be(1, 4);
	if (!load("DAO, 2 sessions", finish("dao_s.nrg", true, 180 * 2048), &d))
		return;
	t = trk(&d, 1, 0);
	ok(d.nr_sessions == 2 && t && t->number == 2 && (int32_t)t->start == s2 &&
	   ext_is(t, 0, s2 - 150, 150, VCDROM_SECTOR_COOKED_2048, 20 * 2048) &&
	   ext_is(t, 1, s2, 10, VCDROM_SECTOR_COOKED_2048, 170 * 2048),
	   "DAO, 2 sessions: session 2 where its CUEX says");
	vcd_disc_free(&d);
}

/* ---- refusals ---- */

static void test_refusals(void)
{
	char *p;

	fails("no footer", make_file("plain.nrg", 4096, NULL, 0),
	      "no NERO or NER5 footer: not a Nero image");
	fails("too small", write_file("small.nrg", "NERO\0\0\0\0", 8),
	      "8 bytes: too small for a Nero image");

	len = 0;
	zeros(2048);
	put("NERO", 4);
	be(1 << 20, 4);
	fails("chain offset past the end", write_file("past.nrg", img, len),
	      "the chunk chain's offset 1048576 is past the end of the chunks (2048)");

	len = 0;
	zeros(2048);
	chunk("SINF", 4);
	be(1, 4);
	put("NERO", 4);
	be(2048, 4);
	fails("truncated chain (no END!)", write_file("trunc.nrg", img, len),
	      "truncated chunk chain: no END! chunk at 2060");

	len = 0;
	zeros(2048);
	chunk("SINF", 4);
	be(1, 4);
	put("EN", 2);
	put("NERO", 4);
	be(2048, 4);
	fails("truncated chain (a cut header)", write_file("trunc2.nrg", img, len),
	      "truncated chunk chain: a chunk header runs past the footer at 2060");

	len = 0;
	zeros(2048);
	chunk("CUEX", 1000);
	p = finish("over.nrg", true, 2048);
	fails("chunk size past the footer", p, "chunk CUEX at 2048: size 1000 runs past the footer");

	/* 2048 + 8 + 0xfffffff8 wraps a 32-bit offset back to 2048: a loop */
	len = 0;
	zeros(2048);
	chunk("MTYP", 0xfffffff8);
	p = finish("loop.nrg", false, 2048);
	fails("looping chain", p, "chunk MTYP at 2048: size 4294967288 runs past the footer");

	len = 0;
	zeros(2048);
	chunk("DAOX", 64);
	zeros(64);
	fails("DAO without cue", finish("nocue.nrg", true, 2048),
	      "chunk DAOX at 2048: no CUES or CUEX chunk before it");

	len = 0;
	zeros(2048);
	chunk("ETNF", 21);
	zeros(21);
	fails("ETNF of no whole entries", finish("etn.nrg", false, 2048),
	      "chunk ETNF at 2048: size 21 is not that of 20-byte entries");

	len = 0;
	zeros(10 * 2048);
	chunk("ETNF", 20);
	etn_track(false, 0, 10 * 2048, 0);
	chunk("SINF", 4);
	be(3, 4);
	fails("SINF disagrees", finish("sinf.nrg", false, 10 * 2048),
	      "SINF 1 says session 1 has 3 tracks; its chunk has others");

	len = 0;
	zeros(10 * 2048);
	chunk("ETNF", 20);
	etn_track(false, 4096, 10 * 2048, 0);
	fails("ETNF data into the chain", finish("etnpast.nrg", false, 10 * 2048),
	      "track 1: its data (bytes 4096 to 24576) runs past the sectors, into the chunks");

	len = 0;
	zeros(2048);
	fails("no tracks", finish("empty.nrg", false, 2048),
	      "no DAOI, DAOX, ETNF or ETN2 chunk: no tracks");

	len = 0;
	zeros(10 * 2048);
	chunk("ETNF", 20);
	etn_track(false, 0, 10 * 2048, 0);
	chunk("CDTX", 18);
	zeros(18);
	fails("bad CD-TEXT", finish("cdtx.nrg", false, 10 * 2048),
	      "chunk CDTX at 20508: CD-TEXT pack 0 has a bad type");
}

/* ---- third-party images ---- */

static const char *corpora(void)
{
	static char path[PATH_MAX];
	const char *env = getenv("VCDROM_CORPORA");
	struct stat st;

	snprintf(path, sizeof(path), "%s", env && *env ? env : "../../shared/corpora");
	return !stat(path, &st) && S_ISDIR(st.st_mode) ? path : NULL;
}

/* What cd-info --nrg-file (libcdio 2.1.0) says: track starts, lead-out, copy flag. */
static void test_corpus(const char *base, const char *name, const uint32_t *starts,
			unsigned int n, uint32_t leadout, bool audio, bool dcp)
{
	char path[PATH_MAX];
	struct vcd_disc d;
	struct vcd_toc toc;
	unsigned int i;
	bool same;

	snprintf(path, sizeof(path), "%s/libcdio/data/%s", base, name);
	if (access(path, R_OK)) {
		skip("not in the corpora", "%s", name);
		return;
	}
	if (!load(name, path, &d))
		return;
	vcd_disc_toc(&d, &toc);
	same = toc.nr_tracks == n && toc.leadout == leadout && toc.nr_sessions == 1;
	for (i = 0; same && i < n; i++)
		same = toc.tracks[i].start == starts[i] &&
		       !(toc.tracks[i].control & VCD_Q_DATA) == audio &&
		       !!(toc.tracks[i].control & VCD_Q_DCP) == dcp;
	ok(same, "%s: tracks, modes, copy flags and lead-out as cd-info --nrg-file says", name);
	vcd_disc_free(&d);
}

int main(void)
{
	static const uint32_t p1[] = { 150, 300 }, videocd[] = { 0, 826, 1051, 1276, 1501 };
	const char *base;

	tap_begin("nrg");
	test_dao(true);
	test_dao(false);
	test_modes();
	test_tao(false, 1);
	test_tao(true, 1);
	test_tao(false, 2);
	test_dao_sessions();
	test_refusals();
	base = corpora();
	if (base) {
		test_corpus(base, "p1.nrg", p1, 2, 302, true, true);
		test_corpus(base, "videocd.nrg", videocd, 5, 1726, false, false);
	} else {
		skip("no shared/corpora", "libcdio's NRG images");
	}
	return tap_end();
}
