// SPDX-License-Identifier: GPL-2.0
/*
 * The NRG loader: a Nero Burning ROM image, turned into the neutral disc
 * layout. The sectors come first; a chain of chunks follows them, and a
 * footer ends the file: "NERO" and a 32-bit offset of the chain (v1), or
 * "NER5" and a 64-bit one (v2), big-endian like everything in the chain.
 *
 * Each chunk is a 4-letter id, a 32-bit size and its body; END! ends the
 * chain. A session is either
 * - disc-at-once: CUES (v1, MSF) or CUEX (v2, LBA), the index points, then
 *   DAOI or DAOX: the MCN, and per track its ISRC, sector size, mode and
 *   the byte offsets of its pregap (index 0), its start (index 1) and its
 *   end. The index points place the tracks; the offsets must agree.
 *   The first track's pregap may begin before LBA 0 (at -150): what lies
 *   there is stored but not on the disc, and is skipped.
 * - track-at-once: ETNF (v1) or ETN2 (v2), per track its offset, size and
 *   mode. Each track has 150 sectors of gap before it that are not stored:
 *   the first track's is before LBA 0, the others' read as zeros.
 * SINF gives each session's number of tracks, in order; CDTX the disc's
 * CD-TEXT packs, MTYP the medium. A session after the first starts where
 * its index points say (disc-at-once), or a lead-out and lead-in after the
 * one before (track-at-once).
 *
 * A chain that runs past the footer, a chunk whose size overflows it,
 * offsets past the sectors, or points that disagree with the offsets are
 * refused: "disc.nrg: chunk DAOX at 1063160: ...". Nothing is guessed.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "loaders.h"

#define NRG_MAX_CHAIN		(16 << 20)	/* bytes: far more than 99 tracks need */
#define NRG_MAX_CHUNKS		4096
#define NRG_TAO_GAP		150		/* sectors before each track-at-once track */

#define DAO_HEAD		22		/* size again, MCN, 0, TOC type, first, last */
#define DAO_ENTRY_V1		30		/* ISRC, size, mode, 3 x 32-bit offsets */
#define DAO_ENTRY_V2		42		/* ... 3 x 64-bit offsets */
#define ETN_ENTRY_V1		20
#define ETN_ENTRY_V2		32
#define CUE_ENTRY		8

/* Nero's mode codes: what the track is, how its sectors are stored. */
struct nrg_mode {
	uint8_t code;
	uint32_t mode;			/* enum vcdrom_track_mode */
	uint32_t format;		/* enum vcdrom_sector_format */
	unsigned int size;		/* bytes per stored sector */
};

static const struct nrg_mode modes[] = {
	{ 0x00, VCDROM_TRACK_MODE1,	VCDROM_SECTOR_COOKED_2048,	2048 },
	{ 0x02, VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_COOKED_2048,	2048 },
	{ 0x03, VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_MODE2,		2336 },
	{ 0x05, VCDROM_TRACK_MODE1,	VCDROM_SECTOR_RAW,		2352 },
	{ 0x06, VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_RAW,		2352 },
	{ 0x07, VCDROM_TRACK_AUDIO,	VCDROM_SECTOR_RAW,		2352 },
	{ 0x08, VCDROM_TRACK_AUDIO,	VCDROM_SECTOR_RAW,		2352 },
	/* 96 bytes of interleaved (raw) P-W after each sector */
	{ 0x0f, VCDROM_TRACK_MODE1,	VCDROM_SECTOR_RAW_PW,		2448 },
	{ 0x10, VCDROM_TRACK_AUDIO,	VCDROM_SECTOR_RAW_PW,		2448 },
	{ 0x11, VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_RAW_PW,		2448 },
};

/* A CUES/CUEX entry. */
struct nrg_point {
	uint8_t ctl;			/* Q control nibble */
	unsigned int track;		/* 0: lead-in, 0xaa: lead-out */
	unsigned int index;
	int64_t lba;
};

/* A DAO or ETN chunk: one session's tracks. */
struct nrg_group {
	bool dao;
	bool v2;			/* DAOX, ETN2: 64-bit offsets */
	bool cuex;			/* DAO: its cue chunk is CUEX (LBA), not CUES (MSF) */
	unsigned int entry;		/* bytes per track */
	uint64_t chunk;			/* where it is, for messages */
	const uint8_t *body;
	uint32_t size;
	const uint8_t *cue;		/* DAO: its CUES/CUEX entries */
	uint32_t cue_size;
	uint64_t cue_chunk;
	unsigned int nr_tracks;
};

struct nrg_image {
	const char *path;
	struct vcd_load *ld;
	uint64_t size;			/* of the file */
	uint64_t chain;			/* where the chain starts: the sectors end there */
	bool v2;
	uint8_t *buf;			/* the chain */
	uint64_t len;

	struct nrg_group groups[VCDROM_MAX_SESSIONS];
	unsigned int nr_groups;
	uint32_t sinf[VCDROM_MAX_SESSIONS];
	unsigned int nr_sinf;
	const uint8_t *cdtx;
	uint32_t cdtx_size;
	uint64_t cdtx_chunk;
	bool has_mtyp;
	uint32_t mtyp;

	int file;			/* the image in the disc's files */
	int64_t next;			/* the LBA after the last track laid out */
	unsigned int last_number;	/* of the last track laid out */
};

static uint32_t be16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static unsigned int bcd(uint8_t b)
{
	return (b >> 4) * 10 + (b & 0xf);
}

static bool is_bcd(uint8_t b)
{
	return (b >> 4) < 10 && (b & 0xf) < 10;
}

static int __printf(2, 3) nrg_fail(struct nrg_image *im, const char *fmt, ...)
{
	char reason[sizeof(im->ld->reason)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return vcd_load_fail(im->ld, EINVAL, im->path, "%s", reason);
}

/* A chunk id as it can be printed. */
static const char *chunk_name(const uint8_t *id, char *buf)
{
	int i;

	for (i = 0; i < 4; i++)
		buf[i] = isprint(id[i]) ? id[i] : '?';
	buf[4] = '\0';
	return buf;
}

static const struct nrg_mode *find_mode(unsigned int code)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(modes); i++)
		if (modes[i].code == code)
			return &modes[i];
	return NULL;
}

/* ---- the footer and the chain ---- */

static int read_footer(struct nrg_image *im, int fd)
{
	uint8_t tail[12];
	uint64_t end;

	/* the smallest chain is END!, after it the footer */
	if (im->size < 16)
		return nrg_fail(im, "%llu bytes: too small for a Nero image",
				(unsigned long long)im->size);
	if (pread(fd, tail, sizeof(tail), im->size - sizeof(tail)) != (ssize_t)sizeof(tail))
		return vcd_load_fail(im->ld, errno ? errno : EIO, im->path, NULL);
	if (!memcmp(tail, "NER5", 4)) {
		im->v2 = true;
		im->chain = be64(tail + 4);
		end = im->size - 12;
	} else if (!memcmp(tail + 4, "NERO", 4)) {
		im->chain = be32(tail + 8);
		end = im->size - 8;
	} else {
		return nrg_fail(im, "no NERO or NER5 footer: not a Nero image");
	}
	if (im->chain >= end)
		return nrg_fail(im, "the chunk chain's offset %llu is past the end of the chunks (%llu)",
				(unsigned long long)im->chain, (unsigned long long)end);
	im->len = end - im->chain;
	if (im->len > NRG_MAX_CHAIN)
		return nrg_fail(im, "the chunk chain is %llu bytes long, more than %d",
				(unsigned long long)im->len, NRG_MAX_CHAIN);
	im->buf = malloc(im->len);
	if (!im->buf)
		return vcd_load_fail(im->ld, ENOMEM, im->path, NULL);
	if (pread(fd, im->buf, im->len, im->chain) != (ssize_t)im->len)
		return vcd_load_fail(im->ld, errno ? errno : EIO, im->path, NULL);
	return 0;
}

static int add_group(struct nrg_image *im, const uint8_t *id, uint64_t at, const uint8_t *body,
		     uint32_t size, const uint8_t **cue, uint32_t cue_size, uint64_t cue_at)
{
	bool dao = id[0] == 'D';
	unsigned int entry = dao ? (id[3] == 'X' ? DAO_ENTRY_V2 : DAO_ENTRY_V1) :
			     (id[3] == '2' ? ETN_ENTRY_V2 : ETN_ENTRY_V1);
	unsigned int head = dao ? DAO_HEAD : 0;
	struct nrg_group *g;
	char name[5];

	chunk_name(id, name);
	if (im->nr_groups == VCDROM_MAX_SESSIONS)
		return nrg_fail(im, "chunk %s at %llu: more than %d sessions", name,
				(unsigned long long)at, VCDROM_MAX_SESSIONS);
	if (size < head + entry || (size - head) % entry)
		return nrg_fail(im, "chunk %s at %llu: size %u is not that of %s%u-byte entries",
				name, (unsigned long long)at, size, dao ? "a header and " : "",
				entry);
	if (dao && !*cue)
		return nrg_fail(im, "chunk %s at %llu: no CUES or CUEX chunk before it", name,
				(unsigned long long)at);
	g = &im->groups[im->nr_groups++];
	g->dao = dao;
	g->v2 = id[3] == 'X' || id[3] == '2';
	g->entry = entry;
	g->chunk = at;
	g->body = body;
	g->size = size;
	g->nr_tracks = (size - head) / entry;
	if (dao) {
		g->cue = *cue;
		g->cuex = (*cue)[-8 + 3] == 'X';	/* the id before its size and body */
		g->cue_size = cue_size;
		g->cue_chunk = cue_at;
		*cue = NULL;
	}
	return 0;
}

static int walk_chain(struct nrg_image *im)
{
	const uint8_t *cue = NULL, *p, *body;
	uint32_t size, cue_size = 0;
	uint64_t pos = 0, at, cue_at = 0;
	unsigned int n;
	char name[5];
	int ret;

	for (n = 0;; n++) {
		at = im->chain + pos;
		if (n == NRG_MAX_CHUNKS)
			return nrg_fail(im, "more than %d chunks", NRG_MAX_CHUNKS);
		if (im->len - pos < 8)
			return nrg_fail(im, "truncated chunk chain: %s at %llu",
					pos == im->len ? "no END! chunk" : "a chunk header runs past the footer",
					(unsigned long long)at);
		p = im->buf + pos;
		body = p + 8;
		size = be32(p + 4);
		chunk_name(p, name);
		/* 64-bit: a size that would wrap 32-bit offsets (a loop) is past the footer */
		if (size > im->len - pos - 8)
			return nrg_fail(im, "chunk %s at %llu: size %u runs past the footer", name,
					(unsigned long long)at, size);
		pos += 8 + (uint64_t)size;

		if (!memcmp(p, "END!", 4))
			return 0;
		if (!memcmp(p, "CUES", 4) || !memcmp(p, "CUEX", 4)) {
			if (size % CUE_ENTRY)
				return nrg_fail(im, "chunk %s at %llu: size %u is not a multiple of %d",
						name, (unsigned long long)at, size, CUE_ENTRY);
			if (cue)
				return nrg_fail(im, "chunk %s at %llu: a second cue chunk before its DAO chunk",
						name, (unsigned long long)at);
			cue = body;
			cue_size = size;
			cue_at = at;
		} else if (!memcmp(p, "DAOI", 4) || !memcmp(p, "DAOX", 4) ||
			   !memcmp(p, "ETNF", 4) || !memcmp(p, "ETN2", 4)) {
			ret = add_group(im, p, at, body, size, &cue, cue_size, cue_at);
			if (ret)
				return ret;
		} else if (!memcmp(p, "SINF", 4)) {
			if (size != 4)
				return nrg_fail(im, "chunk SINF at %llu: size %u, not 4",
						(unsigned long long)at, size);
			if (im->nr_sinf == VCDROM_MAX_SESSIONS)
				return nrg_fail(im, "chunk SINF at %llu: more than %d sessions",
						(unsigned long long)at, VCDROM_MAX_SESSIONS);
			im->sinf[im->nr_sinf++] = be32(body);
		} else if (!memcmp(p, "CDTX", 4)) {
			if (im->cdtx)
				return nrg_fail(im, "chunk CDTX at %llu: a second one",
						(unsigned long long)at);
			im->cdtx = body;
			im->cdtx_size = size;
			im->cdtx_chunk = at;
		} else if (!memcmp(p, "MTYP", 4)) {
			if (size != 4)
				return nrg_fail(im, "chunk MTYP at %llu: size %u, not 4",
						(unsigned long long)at, size);
			im->has_mtyp = true;
			im->mtyp = be32(body);
		} else if (memcmp(p, "DINF", 4) && memcmp(p, "TOCT", 4) && memcmp(p, "RELO", 4) &&
			   memcmp(p, "AFNM", 4)) {
			/* those are about how it was burnt; anything else is worth a word */
			vcd_load_note(im->ld, im->path, "chunk %s at %llu is unknown; ignored", name,
				      (unsigned long long)at);
		}
	}
}

/* ---- the layout ---- */

static struct vcd_extent *add_extent(struct vcd_track *vt, int64_t lba, uint32_t len,
				     uint32_t format, int file, uint64_t offset)
{
	struct vcd_extent *e = vcd_track_add_extent(vt);

	if (e) {
		e->start = lba;
		e->length = len;
		e->format = format;
		e->file = format == VCDROM_SECTOR_ZERO ? 0 : file;
		e->offset = format == VCDROM_SECTOR_ZERO ? 0 : offset;
	}
	return e;
}

/* Twelve A-Z or 0-9 (an ISRC) or thirteen digits (an MCN); all NUL or all '0' is none. */
static int copy_code(struct nrg_image *im, const uint8_t *p, unsigned int len, char *dst,
		     const char *what, unsigned int track)
{
	bool zero = true, nul = true;
	unsigned int i;

	for (i = 0; i < len; i++) {
		nul &= !p[i];
		zero &= p[i] == '0';
		if (!isdigit(p[i]) && (track == 0 || !isupper(p[i])))
			break;
	}
	if (nul || zero) {
		dst[0] = '\0';
		return 0;
	}
	if (i < len) {
		if (track)
			return nrg_fail(im, "track %u: its %s is not 12 letters and digits", track,
					what);
		return nrg_fail(im, "the %s is not 13 digits", what);
	}
	memcpy(dst, p, len);
	dst[len] = '\0';
	return 0;
}

static struct vcd_track *new_track(struct nrg_image *im, struct vcd_session *vs,
				   unsigned int number, const struct nrg_mode *m)
{
	struct vcd_track *vt;

	if (number > VCDROM_MAX_TRACKS) {
		nrg_fail(im, "track %u: more than %d tracks", number, VCDROM_MAX_TRACKS);
		return NULL;
	}
	if (number <= im->last_number) {
		nrg_fail(im, "track %u comes after track %u", number, im->last_number);
		return NULL;
	}
	vt = vcd_session_add_track(vs);
	if (!vt) {
		vcd_load_fail(im->ld, ENOMEM, im->path, NULL);
		return NULL;
	}
	vt->number = number;
	vt->mode = m->mode;
	im->last_number = number;
	return vt;
}

static int parse_points(struct nrg_image *im, const struct nrg_group *g, struct nrg_point *pts,
			unsigned int *nr)
{
	const uint8_t *p;
	unsigned int i, n = g->cue_size / CUE_ENTRY;
	int64_t prev = INT64_MIN;

	for (i = 0; i < n; i++) {
		p = g->cue + i * CUE_ENTRY;
		if (!is_bcd(p[2]) || (!is_bcd(p[1]) && p[1] != 0xaa))
			return nrg_fail(im, "chunk %s at %llu: entry %u: track %02x index %02x is not BCD",
					g->cuex ? "CUEX" : "CUES",
					(unsigned long long)g->cue_chunk, i, p[1], p[2]);
		pts[i].ctl = p[0] >> 4;
		pts[i].track = p[1] == 0xaa ? 0xaa : bcd(p[1]);
		pts[i].index = bcd(p[2]);
		if (g->cuex) {
			pts[i].lba = (int32_t)be32(p + 4);
		} else {
			if (p[4] || p[6] > 59 || p[7] > 74)
				return nrg_fail(im, "chunk CUES at %llu: entry %u: %u:%u:%u is no MSF time",
						(unsigned long long)g->cue_chunk, i, p[5], p[6], p[7]);
			pts[i].lba = ((int64_t)p[5] * 60 + p[6]) * 75 + p[7] - 150;
		}
		/* the lead-in's point is where the session's area starts: before all */
		if (pts[i].track == 0)
			continue;
		if (pts[i].lba < prev)
			return nrg_fail(im, "chunk %s at %llu: entry %u (track %u index %u) goes back",
					g->cuex ? "CUEX" : "CUES",
					(unsigned long long)g->cue_chunk, i, pts[i].track,
					pts[i].index);
		prev = pts[i].lba;
	}
	*nr = n;
	return 0;
}

/* The LBA of @track's @index in @pts, or false. */
static bool point(const struct nrg_point *pts, unsigned int n, unsigned int track,
		  unsigned int index, int64_t *lba)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (pts[i].track == track && pts[i].index == index) {
			*lba = pts[i].lba;
			return true;
		}
	return false;
}

static uint32_t q_flags(uint8_t ctl, uint32_t mode)
{
	uint32_t f = ctl & 2 ? VCDROM_TRACK_F_DCP : 0;

	if (mode == VCDROM_TRACK_AUDIO)
		f |= (ctl & 1 ? VCDROM_TRACK_F_PRE : 0) | (ctl & 8 ? VCDROM_TRACK_F_4CH : 0);
	return f;
}

/* Where a stored run of sectors is: it must end before the chain. */
static int check_bytes(struct nrg_image *im, unsigned int number, uint64_t from, uint64_t to,
		       unsigned int ss, const char *what)
{
	if (from > to || to > im->chain)
		return nrg_fail(im, "track %u: its %s (bytes %llu to %llu) %s", number, what,
				(unsigned long long)from, (unsigned long long)to,
				from > to ? "ends before it starts" : "runs past the sectors, into the chunks");
	if ((to - from) % ss)
		return nrg_fail(im, "track %u: its %s (%llu bytes) is not a whole number of %u-byte sectors",
				number, what, (unsigned long long)(to - from), ss);
	return 0;
}

static int lay_out_dao(struct nrg_image *im, const struct nrg_group *g, struct vcd_session *vs,
		       struct vcd_disc *disc, bool first_session)
{
	struct nrg_point pts[NRG_MAX_CHAIN / CUE_ENTRY / 1024];
	unsigned int i, j, n, nr_pts = 0, first = g->body[20], number;
	int64_t i0, i1, end, lba, skip;
	uint64_t pre_off, start_off, end_off, pre_n, data_n;
	const struct nrg_mode *m;
	const uint8_t *e;
	struct vcd_track *vt;
	char mcn[VCDROM_MCN_LEN + 1];
	int ret;

	if (g->cue_size / CUE_ENTRY > ARRAY_SIZE(pts))
		return nrg_fail(im, "chunk %s at %llu: more than %zu entries",
				g->cuex ? "CUEX" : "CUES", (unsigned long long)g->cue_chunk,
				ARRAY_SIZE(pts));
	ret = parse_points(im, g, pts, &nr_pts);
	if (ret)
		return ret;
	n = g->nr_tracks;
	if (!first)
		return nrg_fail(im, "chunk %s at %llu: its tracks start at 0",
				g->v2 ? "DAOX" : "DAOI", (unsigned long long)g->chunk);
	if (g->body[21] != first + n - 1)
		return nrg_fail(im, "chunk %s at %llu: tracks %u to %u, but %u entries",
				g->v2 ? "DAOX" : "DAOI", (unsigned long long)g->chunk, first,
				g->body[21], n);
	if (!point(pts, nr_pts, 0xaa, 1, &end) && !point(pts, nr_pts, 0xaa, 0, &end))
		return nrg_fail(im, "chunk %s at %llu: no lead-out", g->cuex ? "CUEX" : "CUES",
				(unsigned long long)g->cue_chunk);
	for (i = 0; i < nr_pts; i++)
		if (pts[i].track && pts[i].track != 0xaa &&
		    (pts[i].track < first || pts[i].track >= first + n))
			return nrg_fail(im, "chunk %s at %llu: track %u is not in the %s chunk",
					g->cuex ? "CUEX" : "CUES", (unsigned long long)g->cue_chunk,
					pts[i].track, g->v2 ? "DAOX" : "DAOI");

	ret = copy_code(im, g->body + 4, VCDROM_MCN_LEN, mcn, "MCN", 0);
	if (ret)
		return ret;
	if (mcn[0] && !disc->mcn[0])
		memcpy(disc->mcn, mcn, sizeof(mcn));

	for (i = 0; i < n; i++) {
		number = first + i;
		e = g->body + DAO_HEAD + i * g->entry;
		m = find_mode(e[14]);
		if (!m)
			return nrg_fail(im, "track %u: unknown mode code 0x%02x", number, e[14]);
		if (be16(e + 12) != m->size)
			return nrg_fail(im, "track %u: mode code 0x%02x has %u-byte sectors, not %u",
					number, e[14], m->size, be16(e + 12));
		if (g->v2) {
			pre_off = be64(e + 18);
			start_off = be64(e + 26);
			end_off = be64(e + 34);
		} else {
			pre_off = be32(e + 18);
			start_off = be32(e + 22);
			end_off = be32(e + 26);
		}
		ret = check_bytes(im, number, pre_off, start_off, m->size, "pregap");
		if (!ret)
			ret = check_bytes(im, number, start_off, end_off, m->size, "data");
		if (ret)
			return ret;
		pre_n = (start_off - pre_off) / m->size;
		data_n = (end_off - start_off) / m->size;

		if (!point(pts, nr_pts, number, 1, &i1))
			return nrg_fail(im, "track %u has no index 1 in the %s chunk", number,
					g->cuex ? "CUEX" : "CUES");
		if (!point(pts, nr_pts, number, 0, &i0))
			i0 = i1;
		if (i0 > i1)
			return nrg_fail(im, "track %u: index 0 is after index 1", number);
		lba = end;
		if (i + 1 < n && !point(pts, nr_pts, number + 1, 0, &lba))
			point(pts, nr_pts, number + 1, 1, &lba);
		if (pre_n && (uint64_t)(i1 - i0) != pre_n)
			return nrg_fail(im, "track %u: a pregap of %lld sectors by the cue chunk, %llu stored",
					number, (long long)(i1 - i0), (unsigned long long)pre_n);
		if (lba - i1 <= 0 || (uint64_t)(lba - i1) != data_n)
			return nrg_fail(im, "track %u: %lld sectors by the cue chunk, %llu stored",
					number, (long long)(lba - i1), (unsigned long long)data_n);

		/* where the disc starts: LBA 0, or after the session before */
		skip = 0;
		if (i == 0 && first_session) {
			if (i1 < 0)
				return nrg_fail(im, "track %u starts at LBA %lld, before 0", number,
						(long long)i1);
			if (i0 > 0)
				return nrg_fail(im, "track %u: the disc starts at LBA %lld, not 0",
						number, (long long)i0);
			skip = -i0;
		} else if (i == 0 && i0 < im->next) {
			return nrg_fail(im, "track %u starts at LBA %lld, in the session before",
					number, (long long)i0);
		}
		if (lba > (m->mode == VCDROM_TRACK_MODE1 ? UINT32_MAX : VCDROM_CD_MAX_LEADOUT))
			return nrg_fail(im, "track %u ends past 99:59:74, the end of a CD", number);

		vt = new_track(im, vs, number, m);
		if (!vt)
			return -im->ld->err;
		vt->start = i1;
		for (j = 0; j < nr_pts; j++)
			if (pts[j].track == number && pts[j].index == 1)
				vt->flags = q_flags(pts[j].ctl, m->mode);
		ret = copy_code(im, e, VCDROM_ISRC_LEN, vt->isrc, "ISRC", number);
		if (ret)
			return ret;
		if (i1 - i0 > skip &&
		    !add_extent(vt, i0 + skip, i1 - i0 - skip,
				pre_n ? m->format : VCDROM_SECTOR_ZERO, im->file,
				pre_off + skip * m->size))
			return vcd_load_fail(im->ld, ENOMEM, im->path, NULL);
		if (!add_extent(vt, i1, data_n, m->format, im->file, start_off))
			return vcd_load_fail(im->ld, ENOMEM, im->path, NULL);
		for (j = 0; j < nr_pts; j++) {
			if (pts[j].track != number || pts[j].index < 2)
				continue;
			if (pts[j].lba <= i1 || pts[j].lba >= lba)
				return nrg_fail(im, "track %u: index %u is not inside it", number,
						pts[j].index);
			if (vcd_track_add_index(vt, pts[j].lba))
				return vcd_load_fail(im->ld, ENOMEM, im->path, NULL);
		}
		im->next = lba;
	}
	return 0;
}

static int lay_out_tao(struct nrg_image *im, const struct nrg_group *g, struct vcd_session *vs,
		       bool first_session, unsigned int session)
{
	uint64_t off, len, n;
	const struct nrg_mode *m;
	const uint8_t *e;
	struct vcd_track *vt;
	unsigned int i, number, code;
	int64_t lba;
	int ret;

	if (!first_session)
		im->next += (session == 2 ? VCD_LEADOUT_FIRST : VCD_LEADOUT_NEXT) + VCD_LEADIN;
	for (i = 0; i < g->nr_tracks; i++) {
		number = im->last_number + 1;
		e = g->body + i * g->entry;
		if (g->v2) {
			off = be64(e);
			len = be64(e + 8);
			code = be32(e + 16);
		} else {
			off = be32(e);
			len = be32(e + 4);
			code = be32(e + 8);
		}
		m = find_mode(code);
		if (!m)
			return nrg_fail(im, "track %u: unknown mode code 0x%02x", number, code);
		ret = check_bytes(im, number, off, off + len < off ? UINT64_MAX : off + len,
				  m->size, "data");
		if (ret)
			return ret;
		n = len / m->size;
		if (!n)
			return nrg_fail(im, "track %u: no sectors", number);
		/* the gap before the first track is before LBA 0 */
		lba = im->next + (first_session && i == 0 ? 0 : NRG_TAO_GAP);
		if (lba + n > (m->mode == VCDROM_TRACK_MODE1 ? UINT32_MAX : VCDROM_CD_MAX_LEADOUT))
			return nrg_fail(im, "track %u ends past 99:59:74, the end of a CD", number);
		vt = new_track(im, vs, number, m);
		if (!vt)
			return -im->ld->err;
		vt->start = lba;
		if ((lba > im->next &&
		     !add_extent(vt, im->next, lba - im->next, VCDROM_SECTOR_ZERO, 0, 0)) ||
		    !add_extent(vt, lba, n, m->format, im->file, off))
			return vcd_load_fail(im->ld, ENOMEM, im->path, NULL);
		im->next = lba + n;
	}
	return 0;
}

static int load_cdtext(struct nrg_image *im, struct vcd_disc *disc)
{
	unsigned int n = im->cdtx_size / VCDROM_CDTEXT_PACK, bad;
	const char *why;

	if (!n || im->cdtx_size % VCDROM_CDTEXT_PACK || n > VCDROM_CDTEXT_MAX_PACKS)
		return nrg_fail(im, "chunk CDTX at %llu: %u bytes are not 1 to %d CD-TEXT packs",
				(unsigned long long)im->cdtx_chunk, im->cdtx_size,
				VCDROM_CDTEXT_MAX_PACKS);
	why = vcd_cdtext_bad_pack(im->cdtx, n, &bad);
	if (why)
		return nrg_fail(im, "chunk CDTX at %llu: CD-TEXT pack %u has a bad %s",
				(unsigned long long)im->cdtx_chunk, bad, why);
	disc->cdtext = malloc(im->cdtx_size);
	if (!disc->cdtext)
		return vcd_load_fail(im->ld, ENOMEM, im->path, NULL);
	memcpy(disc->cdtext, im->cdtx, im->cdtx_size);
	disc->cdtext_len = im->cdtx_size;
	return 0;
}

static int check_sessions(struct nrg_image *im)
{
	unsigned int s;

	if (!im->nr_groups)
		return nrg_fail(im, "no DAOI, DAOX, ETNF or ETN2 chunk: no tracks");
	for (s = 0; s < im->nr_sinf; s++)
		if (s >= im->nr_groups || im->sinf[s] != im->groups[s].nr_tracks)
			return nrg_fail(im, "SINF %u says session %u has %u tracks; %s",
					s + 1, s + 1, im->sinf[s], s >= im->nr_groups ?
					"there is no such session" : "its chunk has others");
	if (im->nr_sinf && im->nr_sinf != im->nr_groups)
		return nrg_fail(im, "%u SINF chunks for %u sessions", im->nr_sinf, im->nr_groups);
	return 0;
}

static int build_disc(struct nrg_image *im, int fd, struct vcd_disc *disc)
{
	struct vcd_session *vs;
	const struct nrg_group *g;
	unsigned int s;
	int ret;

	im->file = vcd_disc_add_file(disc, fd, im->path, im->size);
	if (im->file < 0)
		return vcd_load_fail(im->ld, -im->file, im->path, NULL);
	for (s = 0; s < im->nr_groups; s++) {
		g = &im->groups[s];
		vs = vcd_disc_add_session(disc);
		if (!vs)
			return vcd_load_fail(im->ld, ENOMEM, im->path, NULL);
		ret = g->dao ? lay_out_dao(im, g, vs, disc, s == 0) :
			       lay_out_tao(im, g, vs, s == 0, s + 1);
		if (ret)
			return ret;
	}
	/* Nero's media type 1 is a CD; without one it is a CD too; else by content and size */
	disc->medium = !im->has_mtyp || (im->mtyp & 1) ? VCDROM_MEDIUM_CD : VCDROM_MEDIUM_AUTO;
	return im->cdtx ? load_cdtext(im, disc) : 0;
}

int vcd_load_nrg(int fd, const char *path, uint64_t size, struct vcd_disc *disc,
		 struct vcd_load *ld)
{
	struct nrg_image im = { .path = path, .ld = ld, .size = size };
	int ret;

	ret = read_footer(&im, fd);
	if (!ret)
		ret = walk_chain(&im);
	if (!ret)
		ret = check_sessions(&im);
	if (!ret)
		ret = build_disc(&im, fd, disc);	/* takes fd */
	else
		close(fd);
	free(im.buf);
	return ret;
}

/* The footer's magic at the end of the file. */
int vcd_probe_nrg(int fd, uint64_t size)
{
	uint8_t tail[12];

	if (size < sizeof(tail) || pread(fd, tail, sizeof(tail), size - sizeof(tail)) !=
	    (ssize_t)sizeof(tail))
		return VCD_PROBE_NO;
	if (!memcmp(tail, "NER5", 4) || !memcmp(tail + 4, "NERO", 4))
		return VCD_PROBE_SURE;
	return VCD_PROBE_NO;
}
