// SPDX-License-Identifier: GPL-2.0
/*
 * CD-TEXT packs: their CRC, and block 0 (English, ISO 8859-1, with the
 * SIZE_INFO packs) built from a disc's and its tracks' texts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "helpers.h"
#include "common.h"

const struct vcd_cdtext_field vcd_cdtext_fields[CDT_NR] = {
	[CDT_TITLE]	= { "TITLE",		0x80, false },
	[CDT_PERFORMER]	= { "PERFORMER",	0x81, false },
	[CDT_SONGWRITER] = { "SONGWRITER",	0x82, false },
	[CDT_COMPOSER]	= { "COMPOSER",		0x83, false },
	[CDT_ARRANGER]	= { "ARRANGER",		0x84, false },
	[CDT_MESSAGE]	= { "MESSAGE",		0x85, false },
	[CDT_DISC_ID]	= { "DISC_ID",		0x86, true },
	[CDT_GENRE]	= { "GENRE",		0x87, true },
	[CDT_UPC_EAN]	= { "UPC_EAN",		0x8e, false },	/* on a track: its ISRC as text */
};

/* Genre codes of the CD-TEXT specification, 2 on; 1 is "not defined". */
static const char *const genres[] = {
	"Adult Contemporary", "Alternative Rock", "Childrens Music", "Classical",
	"Contemporary Christian", "Country", "Dance", "Easy Listening", "Erotic", "Folk",
	"Gospel", "Hip Hop", "Jazz", "Latin", "Musical", "New Age", "Opera", "Operetta",
	"Pop Music", "Rap", "Reggae", "Rock Music", "Rhythm & Blues", "Sound Effects",
	"Spoken Word", "World Music",
};

uint16_t vcd_cdtext_crc(const uint8_t *pack)
{
	uint16_t crc = 0;
	int i, b;

	for (i = 0; i < 16; i++) {
		crc ^= pack[i] << 8;
		for (b = 0; b < 8; b++)
			crc = crc & 0x8000 ? crc << 1 ^ 0x1021 : crc << 1;
	}
	return ~crc;
}

const char *vcd_cdtext_bad_pack(const uint8_t *packs, unsigned int n, unsigned int *bad)
{
	const uint8_t *p;
	unsigned int i;

	for (i = 0; i < n; i++) {
		p = packs + i * VCDROM_CDTEXT_PACK;
		*bad = i;
		if (p[0] < 0x80 || p[0] > 0x8f)
			return "type";
		if ((p[16] << 8 | p[17]) != vcd_cdtext_crc(p))
			return "CRC";
	}
	return NULL;
}

struct cdtext_out {
	uint8_t *buf;			/* VCDROM_CDTEXT_MAX_PACKS packs */
	unsigned int n;			/* packs done */
	unsigned int fill;		/* text bytes in the pack being filled */
	unsigned int count[16];		/* packs of each type */
};

static void pack_end(struct cdtext_out *o)
{
	uint8_t *p = o->buf + (o->n - 1) * VCDROM_CDTEXT_PACK;
	uint16_t crc = vcd_cdtext_crc(p);

	p[16] = crc >> 8;
	p[17] = crc;
	o->fill = 0;
}

/* Append @len bytes of @type for @track; false when the block is full. */
static bool pack_text(struct cdtext_out *o, uint8_t type, uint8_t track, const uint8_t *s,
		      unsigned int len)
{
	uint8_t *p;
	unsigned int i;

	for (i = 0; i < len; i++) {
		if (!o->fill) {
			if (o->n == 256 - 3)	/* one block: 256 packs, SIZE_INFO's 3 last */
				return false;
			p = o->buf + o->n++ * VCDROM_CDTEXT_PACK;
			memset(p, 0, VCDROM_CDTEXT_PACK);
			p[0] = type;
			p[1] = track;
			p[2] = o->n - 1;
			p[3] = i < 15 ? i : 15;	/* block 0; characters of this string before */
			o->count[type & 0xf]++;
		}
		o->buf[(o->n - 1) * VCDROM_CDTEXT_PACK + 4 + o->fill++] = s[i];
		if (o->fill == 12)
			pack_end(o);
	}
	return true;
}

/* A genre as the spec names it, or without its " Music" ("Pop", "Childrens"). */
static bool is_genre(const char *text, const char *genre)
{
	size_t len = strlen(genre);

	if (!strcasecmp(text, genre))
		return true;
	return len > 6 && !strcmp(genre + len - 6, " Music") && strlen(text) == len - 6 &&
	       !strncasecmp(text, genre, len - 6);
}

/* GENRE's pack data: the genre code (big-endian), then the text as given. */
static void genre_bytes(const char *text, uint8_t *buf, unsigned int *len)
{
	unsigned int i, code = 1;		/* "not defined", with the text */

	for (i = 0; i < ARRAY_SIZE(genres); i++)
		if (is_genre(text, genres[i]))
			code = i + 2;
	buf[0] = code >> 8;
	buf[1] = code;
	*len = 2 + strlen(text) + 1;
	memcpy(buf + 2, text, strlen(text) + 1);
}

/* Whether field @f has a text: the disc's, or a track's unless it is for the disc only. */
static bool has_text(char *const *disc_text, const struct vcd_cdtext_track *tracks,
		     unsigned int nr_tracks, unsigned int f)
{
	unsigned int i;

	if (disc_text[f])
		return true;
	for (i = 0; i < nr_tracks && !vcd_cdtext_fields[f].disc_only; i++)
		if (tracks[i].text[f])
			return true;
	return false;
}

int vcd_cdtext_build(char *const *disc_text, const struct vcd_cdtext_track *tracks,
		     unsigned int nr_tracks, uint8_t lang, uint8_t **packs, unsigned int *len)
{
	struct cdtext_out o = { 0 };
	uint8_t size_info[36] = { 0 }, genre[200];
	unsigned int f, i, n, total;
	const char *s;
	bool any;

	for (f = 0, any = false; f < CDT_NR; f++)
		any |= has_text(disc_text, tracks, nr_tracks, f);
	*packs = NULL;
	*len = 0;
	if (!any)
		return 0;
	o.buf = calloc(256, VCDROM_CDTEXT_PACK);
	if (!o.buf)
		return -ENOMEM;

	for (f = 0; f < CDT_NR; f++) {
		uint8_t type = vcd_cdtext_fields[f].type;

		if (!has_text(disc_text, tracks, nr_tracks, f))
			continue;
		/* the disc's, then every track's, "" when it has none */
		if (f == CDT_GENRE) {
			if (strlen(disc_text[f]) > sizeof(genre) - 3)
				goto too_long;
			genre_bytes(disc_text[f], genre, &n);
			if (!pack_text(&o, type, 0, genre, n))
				goto too_long;
		} else {
			s = disc_text[f] ?: "";
			if (!pack_text(&o, type, 0, (const uint8_t *)s, strlen(s) + 1))
				goto too_long;
		}
		for (i = 0; i < nr_tracks && !vcd_cdtext_fields[f].disc_only; i++) {
			s = tracks[i].text[f] ?: "";
			if (!pack_text(&o, type, tracks[i].number, (const uint8_t *)s,
				       strlen(s) + 1))
				goto too_long;
		}
		if (o.fill)
			pack_end(&o);
	}

	/* SIZE_INFO: 3 packs closing block 0 */
	total = o.n + 3;
	o.count[0xf] = 3;
	size_info[0] = 0x00;				/* ISO 8859-1 */
	size_info[1] = tracks[0].number;
	size_info[2] = tracks[nr_tracks - 1].number;
	for (i = 0; i < 16; i++)
		size_info[4 + i] = o.count[i];
	size_info[20] = total - 1;			/* block 0's last sequence number */
	size_info[28] = lang;				/* block 0's language */
	for (i = 0; i < 3; i++) {
		uint8_t *p = o.buf + o.n++ * VCDROM_CDTEXT_PACK;

		p[0] = 0x8f;
		p[1] = i;
		p[2] = o.n - 1;
		p[3] = 0;
		memcpy(p + 4, size_info + 12 * i, 12);
		pack_end(&o);
	}
	*packs = o.buf;
	*len = o.n * VCDROM_CDTEXT_PACK;
	return 0;

too_long:
	free(o.buf);
	return -E2BIG;
}
