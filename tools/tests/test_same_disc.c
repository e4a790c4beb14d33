// SPDX-License-Identifier: GPL-2.0
/*
 * One disc, every format, on the host: tests/same_disc.py writes the same
 * disc as a cue sheet, a cdrdao TOC, a Nero image, a CloneCD image and an
 * Alcohol 120% MDS (variant "one"; "two", with two sessions, all but the
 * TOC), and each loads into the same layout: MCN, CD-TEXT bytes, sessions,
 * tracks (mode, flags, index 1, indexes, ISRC), where each track's first
 * sector is, and the 2352 bytes each of its sectors reads as (unstored ones
 * zeros, big-endian audio swapped). Only the format differs; but the MDS has
 * no indexes past 1 or CD-TEXT, and stores no pregap (its pregaps must be
 * unstored), and its audio has its sub-channel, whose Q must be the disc's:
 * CRC, position (track, index, absolute time), MCN and ISRC; the loaders
 * take the MCN and ISRCs from that Q, so they are the disc's too. The
 * CloneCD image's .sub is read where its extents say: every sector's Q has a
 * right CRC, and where it gives the position (ADR 1), the track and absolute
 * time of that sector.
 *
 *   test_same_disc SAME_DISC_PY CDSECTOR
 *
 * Skipped without python3. Prints TAP; exits 1 if anything failed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libvcdrom.h"
#include "loaders.h"
#include "tap.h"

#define RAW	2352

struct image {
	const char *ext;
	const char *format;
	struct vcd_disc disc;
	bool loaded;
};

static bool load(struct image *im, const char *dir)
{
	struct noted nt = { 0 };
	struct vcd_load ld = { .note = note, .note_arg = &nt };
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/disc.%s", dir, im->ext);
	vcd_disc_init(&im->disc);
	im->loaded = !vcd_load_image(path, &im->disc, &ld);
	if (!ok(im->loaded, "%s loads", path))
		printf("# %s: %s\n", ld.object, ld.reason);
	else
		ok_str(ld.format, im->format, path, "the format");
	return im->loaded;
}

/* The 2352 bytes @t reads as at @lba; false when no extent of it holds @lba or cannot be read. */
static bool sector(const struct vcd_disc *d, const struct vcd_track *t, uint32_t lba, uint8_t *buf)
{
	const struct vcd_extent *e;
	unsigned int i, j, size;
	uint8_t b;

	for (i = 0; i < t->nr_extents; i++) {
		e = &t->extents[i];
		if (lba < e->start || lba - e->start >= e->length)
			continue;
		if (e->format == VCDROM_SECTOR_ZERO) {
			memset(buf, 0, RAW);
			return true;
		}
		size = e->format == VCDROM_SECTOR_RAW_PW ? RAW + 96 : RAW;
		if ((e->format != VCDROM_SECTOR_RAW && e->format != VCDROM_SECTOR_RAW_SWAPPED &&
		     e->format != VCDROM_SECTOR_RAW_PW) || e->file >= d->nr_files ||
		    pread(d->files[e->file].fd, buf, RAW,
			  e->offset + (uint64_t)(lba - e->start) * size) != RAW)
			return false;
		for (j = 0; e->format == VCDROM_SECTOR_RAW_SWAPPED && j < RAW; j += 2) {
			b = buf[j];
			buf[j] = buf[j + 1];
			buf[j + 1] = b;
		}
		return true;
	}
	return false;
}

/* The extent of @t that holds @lba, or NULL. */
static const struct vcd_extent *extent_at(const struct vcd_track *t, uint32_t lba)
{
	unsigned int i;

	for (i = 0; i < t->nr_extents; i++)
		if (lba >= t->extents[i].start && lba - t->extents[i].start < t->extents[i].length)
			return &t->extents[i];
	return NULL;
}

static uint8_t bcd(unsigned int n)
{
	return n / 10 << 4 | n % 10;
}

/* CRC-16 CCITT from 0, as Q stores it inverted. */
static uint16_t crc_ccitt(const uint8_t *p, size_t len)
{
	uint16_t crc = 0;
	int i;

	while (len--) {
		crc ^= *p++ << 8;
		for (i = 0; i < 8; i++)
			crc = crc & 0x8000 ? crc << 1 ^ 0x1021 : crc << 1;
	}
	return crc;
}

/*
 * What is wrong with the Q @d stores at @lba in extent @e, or NULL: the CRC,
 * and by ADR the track, index and absolute time; the MCN; the ISRC, as disc
 * @a has them, in track @t. P must be clear (no pregap is stored).
 */
static const char *bad_q(const struct vcd_disc *d, const struct vcd_extent *e, uint32_t lba,
			 const struct vcd_disc *a, const struct vcd_track *t)
{
	static const char isrc_chars[] = "0123456789???????ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	uint8_t pw[96], q[12] = { 0 };
	unsigned int i, index = 1, c;
	uint32_t f = lba + 150;
	char code[VCDROM_ISRC_LEN + 1];

	if (pread(d->files[e->file].fd, pw, 96,
		  e->offset + (uint64_t)(lba - e->start) * (RAW + 96) + RAW) != 96)
		return "not readable";
	for (i = 0; i < 96; i++) {
		q[i / 8] |= (pw[i] >> 6 & 1) << (7 - i % 8);
		if (pw[i] & 0xbf)
			return "P or R-W set";
	}
	if ((q[10] << 8 | q[11]) != (uint16_t)~crc_ccitt(q, 10))
		return "CRC";
	for (i = 0; i < t->nr_indexes; i++)
		index += t->indexes[i] <= lba;
	switch (q[0] & 0xf) {
	case 1:
		if (q[1] != bcd(t->number) || q[2] != bcd(index) || q[7] != bcd(f / 4500) ||
		    q[8] != bcd(f / 75 % 60) || q[9] != bcd(f % 75))
			return "position";
		return NULL;
	case 2:
		for (i = 0; i < VCDROM_MCN_LEN; i++)
			if (!a->mcn[0] ||
			    (q[1 + i / 2] >> (i % 2 ? 0 : 4) & 0xf) != a->mcn[i] - '0')
				return "MCN";
		return lba % 100 == 10 ? NULL : "MCN where position belongs";
	case 3:
		for (i = 0; i < 5; i++) {
			c = (q[1] << 24 | q[2] << 16 | q[3] << 8 | q[4]) >> (26 - 6 * i) & 0x3f;
			code[i] = c < sizeof(isrc_chars) - 1 ? isrc_chars[c] : '?';
		}
		for (i = 0; i < 7; i++)
			code[5 + i] = '0' + (q[5 + i / 2] >> (i % 2 ? 0 : 4) & 0xf);
		code[VCDROM_ISRC_LEN] = '\0';
		return lba % 100 == 20 && !strcmp(code, t->isrc) ? NULL : "ISRC";
	}
	return "ADR";
}

static uint32_t first_lba(const struct vcd_track *t)
{
	return t->nr_extents ? t->extents[0].start : t->start;
}

static uint32_t end_lba(const struct vcd_track *t)
{
	const struct vcd_extent *e = t->nr_extents ? &t->extents[t->nr_extents - 1] : NULL;

	return e ? e->start + e->length : t->start;
}

/*
 * @b's track @tb is @a's @ta, sector by sector; @mds: but for its indexes 2
 * and on (none: they are in its Q) and its pregap (not stored),
 * and with the Q it stores right.
 */
static void same_track(const char *what, const struct vcd_disc *a, const struct vcd_track *ta,
		       const struct vcd_disc *b, const struct vcd_track *tb, bool mds)
{
	static uint8_t sa[RAW], sb[RAW];
	uint32_t lba, bad = 0, unread = 0, pregap = 0, subs = 0, bad_sub = 0;
	const struct vcd_extent *e;
	const char *why, *last = "";

	ok(ta->number == tb->number && ta->mode == tb->mode && ta->flags == tb->flags &&
	   ta->start == tb->start && !strcmp(ta->isrc, tb->isrc) &&
	   (mds ? !tb->nr_indexes : ta->nr_indexes == tb->nr_indexes &&
	    (!ta->nr_indexes || !memcmp(ta->indexes, tb->indexes,
					ta->nr_indexes * sizeof(*ta->indexes)))),
	   "%s: track %u: number, mode %u/%u, flags %#x/%#x, index 1 %u/%u, ISRC, indexes", what,
	   ta->number, ta->mode, tb->mode, ta->flags, tb->flags, ta->start, tb->start);
	if (!ok(first_lba(ta) == first_lba(tb) && end_lba(ta) == end_lba(tb),
		"%s: track %u: from LBA %u to %u", what, ta->number, first_lba(ta), end_lba(ta)))
		printf("# here from %u to %u\n", first_lba(tb), end_lba(tb));
	for (lba = first_lba(ta); lba < end_lba(ta); lba++) {
		e = extent_at(tb, lba);
		if (mds && lba < ta->start) {
			pregap++;
			bad += !e || e->format != VCDROM_SECTOR_ZERO;
			continue;
		}
		if (!sector(a, ta, lba, sa) || !sector(b, tb, lba, sb))
			unread++;
		else if (memcmp(sa, sb, RAW))
			bad++;
		if (e && e->format == VCDROM_SECTOR_RAW_PW) {
			subs++;
			if (e->sub_format != VCDROM_SUB_PW || e->sub_in_file)
				why = "format";
			else
				why = bad_q(b, e, lba, a, ta);
			if (why) {
				bad_sub++;
				last = why;
			}
		}
	}
	if (!ok(!bad && !unread, "%s: track %u: its %u sectors read the same%s", what, ta->number,
		end_lba(ta) - first_lba(ta), pregap ? " (its pregap unstored)" : ""))
		printf("# %u differ, %u not readable\n", bad, unread);
	if (mds && ta->mode == VCDROM_TRACK_AUDIO &&
	    !ok(subs && !bad_sub, "%s: track %u: %u sectors store their sub-channel, Q right", what,
		ta->number, subs))
		printf("# %u wrong (the last: %s)\n", bad_sub, last);
}

static void same_disc(const char *what, const struct vcd_disc *a, const struct vcd_disc *b,
		      bool mds)
{
	unsigned int s, t;

	ok(vcd_disc_medium(a) == vcd_disc_medium(b) && !strcmp(a->mcn, b->mcn),
	   "%s: medium and MCN %s", what, b->mcn[0] ? b->mcn : "(none)");
	if (mds)
		ok(!b->cdtext && !b->cdtext_len, "%s: no CD-TEXT", what);
	else
		ok(a->cdtext_len && a->cdtext_len == b->cdtext_len &&
		   !memcmp(a->cdtext, b->cdtext, a->cdtext_len),
		   "%s: CD-TEXT (%u bytes, %u here)", what, a->cdtext_len, b->cdtext_len);
	if (!ok(a->nr_sessions == b->nr_sessions, "%s: %u sessions", what, b->nr_sessions))
		return;
	for (s = 0; s < a->nr_sessions; s++) {
		if (!ok(a->sessions[s].nr_tracks == b->sessions[s].nr_tracks,
			"%s: session %u: %u tracks", what, s + 1, b->sessions[s].nr_tracks))
			continue;
		for (t = 0; t < a->sessions[s].nr_tracks; t++)
			same_track(what, a, &a->sessions[s].tracks[t], b, &b->sessions[s].tracks[t],
				   mds);
	}
}

static uint16_t q_crc(const uint8_t *q)
{
	uint16_t crc = 0;
	unsigned int i, j;

	for (i = 0; i < 10; i++) {
		crc ^= q[i] << 8;
		for (j = 0; j < 8; j++)
			crc = crc & 0x8000 ? crc << 1 ^ 0x1021 : crc << 1;
	}
	return ~crc;
}

/* The .sub where each extent says it is: Q's CRC, and its position where it gives one. */
static void check_sub(const char *what, const struct vcd_disc *d)
{
	unsigned int s, t, x, lba, bad = 0, adr1 = 0, n = 0;
	const struct vcd_extent *e;
	const struct vcd_track *tr;
	uint8_t pw[96], *q = pw + 12;
	uint32_t abs;

	for (s = 0; s < d->nr_sessions; s++)
		for (t = 0; t < d->sessions[s].nr_tracks; t++) {
			tr = &d->sessions[s].tracks[t];
			for (x = 0; x < tr->nr_extents; x++) {
				e = &tr->extents[x];
				if (e->sub_format != VCDROM_SUB_PW_LINEAR || !e->sub_in_file ||
				    e->sub_file >= d->nr_files ||
				    e->sub_offset != e->offset / RAW * 96) {
					bad++;
					continue;
				}
				for (lba = e->start; lba < e->start + e->length; lba++, n++) {
					abs = lba + 150;
					if (pread(d->files[e->sub_file].fd, pw, 96, e->sub_offset +
						  (uint64_t)(lba - e->start) * 96) != 96 ||
					    (q[10] << 8 | q[11]) != q_crc(q) ||
					    (pw[0] != 0 && pw[0] != 0xff) ||
					    ((q[0] & 0xf) == 1 &&
					     (q[1] != bcd(tr->number) ||
					      q[7] != bcd(abs / 4500) || q[8] != bcd(abs / 75 % 60) ||
					      q[9] != bcd(abs % 75) ||
					      !(pw[0] == 0xff) != (lba >= tr->start))))
						bad++;
					adr1 += (q[0] & 0xf) == 1;
				}
			}
		}
	if (!ok(!bad && n && adr1 > n * 9 / 10, "%s: the .sub's Q: CRC, track, time, P in pregaps",
		what))
		printf("# %u of %u sectors wrong\n", bad, n);
}

static void variant(const char *py, const char *cdsector, const char *name, bool toc)
{
	struct image im[] = {
		{ .ext = "cue", .format = "CUE sheet" }, { .ext = "nrg", .format = "Nero image" },
		{ .ext = "ccd", .format = "CloneCD image" },
		{ .ext = "mds", .format = "Media Descriptor image" },
		{ .ext = "toc", .format = "cdrdao TOC" },
	};
	unsigned int i, n = toc ? 5 : 4;
	char dir[PATH_MAX + 8], cmd[3 * PATH_MAX + 64], what[64];

	snprintf(dir, sizeof(dir), "%s/%s", tap_dir, name);
	snprintf(cmd, sizeof(cmd), "python3 '%s' write '%s' '%s' %s", py, cdsector, dir, name);
	if (!ok(system(cmd) == 0, "%s: same_disc.py writes disc %s", name, name))
		return;
	for (i = 0; i < n; i++)
		load(&im[i], dir);
	for (i = 1; i < n; i++) {
		snprintf(what, sizeof(what), "disc %s: %s against cue", name, im[i].ext);
		if (im[0].loaded && im[i].loaded)
			same_disc(what, &im[0].disc, &im[i].disc, !strcmp(im[i].ext, "mds"));
	}
	if (im[2].loaded) {
		snprintf(what, sizeof(what), "disc %s: ccd", name);
		check_sub(what, &im[2].disc);
	}
	for (i = 0; i < n; i++)
		vcd_disc_free(&im[i].disc);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: test_same_disc SAME_DISC_PY CDSECTOR\n");
		return 2;
	}
	tap_begin("same_disc");
	if (system("python3 -c '' 2>/dev/null") != 0) {
		skip("no python3", "one disc, every format");
		return tap_end();
	}
	variant(argv[1], argv[2], "one", true);
	variant(argv[1], argv[2], "two", false);
	return tap_end();
}
