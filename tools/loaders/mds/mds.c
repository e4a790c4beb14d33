// SPDX-License-Identifier: GPL-2.0
/*
 * The MDS loader: an Alcohol 120% Media Descriptor (.mds, version 1.x) and
 * the files of sectors it names (.mdf; a split DVD image .mdf, .md0, ...),
 * turned into the neutral disc layout. Everything in the .mds is
 * little-endian:
 * - the header: "MEDIA DESCRIPTOR", the version (1.x), the medium (CD-ROM,
 *   CD-R, CD-RW, DVD-ROM, DVD-R), the number of sessions, and where the
 *   session blocks, the DVD structures, the BCA and the DPM blocks are;
 * - a session block per session: its first and last LBA (from its first
 *   track's pregap to its lead-out), its first and last track, and where
 *   its track blocks are;
 * - a track block per entry of the session's full TOC: point 1-99 is a
 *   track, A0-A2 (first track, last track, lead-out) and B0, C0... the
 *   session's control entries. A track's block gives its mode (the low
 *   nibble counts), whether 96 bytes of interleaved P-W follow each sector
 *   (sub-channel 0x08, counted in its sector size), its Q control, its
 *   start (index 1) as LBA and as MSF, the offset of its sectors in the
 *   file, its extra block (a CD's pregap and length; a DVD's length is where
 *   the offset of that block would be) and its footers: one per file, each
 *   naming the file (ASCII or UTF-16, "*.mdf": the .mds's own name, .mdf;
 *   a Windows path that is not found: its last part, with a note).
 * Pregaps are not stored: they read as zeros. Track 1's 150 sectors before
 * LBA 0 are not on the disc; a track 1 that starts later (UltraISO writes
 * its pregap as 150 all the same) has zeros before it. A DVD is one MODE1
 * track of 2048-byte sectors; its structures (copyright, manufacturing,
 * physical format) and BCA are checked and kept: the drive answers READ
 * DISC STRUCTURE from them. DPM blocks are checked and kept for vcdromctl
 * toc to show; the drive does not time reads by them. MDS 1.x
 * has no MCN, ISRC, indexes past 1 or CD-TEXT: they are in the sub-channel
 * only, where the library finds the MCN and ISRCs (common/subcode.c).
 *
 * Blocks past the end of the .mds, counts that overflow it, an unknown mode
 * or a sector size that does not fit it, tracks out of order, overlapping or
 * with sectors between them, a session block or A0-A2 entries that disagree
 * with the tracks, sectors past the end of their file, a file not found:
 * all refused, "disc.mds: track block 3 at 0x1a4: ...". Nothing is guessed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "loaders.h"

#define MDS_MAX_SIZE		(16 << 20)	/* bytes: a 99-track .mds is a few KiB */

#define HEADER_SIZE		88
#define SESSION_SIZE		24
#define TRACK_SIZE		80
#define EXTRA_SIZE		8
#define FOOTER_SIZE		16
#define DPM_HEAD		16		/* number, start, resolution, entries */
/* a DVD layer's structures: copyright 4 bytes, manufacturing 2048, physical format 2048 */
#define DVD_LAYER		4100

#define MDS_SUB_NONE		0x00
#define MDS_SUB_PW		0x08		/* 96 bytes of raw P-W after each sector */

/* What a mode's sectors may be stored as, by size. */
struct mds_format {
	unsigned int size;
	uint32_t format;			/* enum vcdrom_sector_format */
};

/* A track mode, by the low three bits of its mode byte. */
struct mds_mode {
	const char *name;
	uint32_t mode;				/* enum vcdrom_track_mode */
	struct mds_format formats[4];		/* without sub-channel; 0-terminated */
};

static const struct mds_mode modes[8] = {
	[1] = { "audio", VCDROM_TRACK_AUDIO, { { 2352, VCDROM_SECTOR_RAW } } },
	[2] = { "mode 1", VCDROM_TRACK_MODE1,
		{ { 2048, VCDROM_SECTOR_COOKED_2048 }, { 2352, VCDROM_SECTOR_RAW } } },
	/* as the cue and NRG loaders take MODE2/2336: CD-ROM XA */
	[3] = { "mode 2", VCDROM_TRACK_MODE2_XA,
		{ { 2336, VCDROM_SECTOR_MODE2 }, { 2352, VCDROM_SECTOR_RAW } } },
	[4] = { "mode 2 form 1", VCDROM_TRACK_MODE2_XA,
		{ { 2048, VCDROM_SECTOR_COOKED_2048 }, { 2336, VCDROM_SECTOR_MODE2 },
		  { 2352, VCDROM_SECTOR_RAW } } },
	[5] = { "mode 2 form 2", VCDROM_TRACK_MODE2_XA,
		{ { 2324, VCDROM_SECTOR_COOKED_2324 }, { 2336, VCDROM_SECTOR_MODE2 },
		  { 2352, VCDROM_SECTOR_RAW } } },
};

/* A file of sectors, as a footer names it. */
struct mds_file {
	char path[PATH_MAX];
	int index;				/* in the disc's files */
	uint64_t size;
};

struct mds_image {
	const char *path;
	struct vcd_load *ld;
	uint8_t *buf;				/* the whole .mds */
	uint64_t size;
	char dir[PATH_MAX];
	bool dvd;
	struct vcd_dvd_structs *structs;	/* a DVD's, for the disc; NULL: none stored */
	struct vcd_dpm_block *dpm;		/* for the disc: vcdromctl toc shows them */
	unsigned int nr_dpm;

	struct mds_file files[VCDROM_MAX_FILES];
	unsigned int nr_files;

	int64_t next;				/* the LBA after the last track laid out */
	unsigned int last_number;		/* of the last track laid out */
};

/* The block being read, for messages. */
struct mds_block {
	const char *kind;			/* "track block" */
	unsigned int n;				/* 1, 2, ...; 0: the only one (the header) */
	uint64_t at;
};

static uint32_t le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static int __printf(4, 5) mds_fail_err(struct mds_image *im, int err, const struct mds_block *b,
				       const char *fmt, ...)
{
	char object[sizeof(im->ld->object)], reason[sizeof(im->ld->reason)];
	va_list ap;

	if (b && b->n)
		snprintf(object, sizeof(object), "%s: %s %u at 0x%llx", im->path, b->kind, b->n,
			 (unsigned long long)b->at);
	else if (b)
		snprintf(object, sizeof(object), "%s: %s", im->path, b->kind);
	else
		snprintf(object, sizeof(object), "%s", im->path);
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return vcd_load_fail(im->ld, err, object, "%s", reason);
}

#define mds_fail(im, b, ...) mds_fail_err(im, EINVAL, b, __VA_ARGS__)

static int mds_nomem(struct mds_image *im)
{
	return vcd_load_fail(im->ld, ENOMEM, im->path, NULL);
}

/* @len bytes at @off of the .mds, for @what; NULL (failed) when they are not all in it. */
static const uint8_t *bytes_at(struct mds_image *im, const struct mds_block *b, uint64_t off,
			       uint64_t len, const char *what)
{
	if (off > im->size || len > im->size - off) {
		mds_fail(im, b, "%s: %llu bytes at 0x%llx, past the end of the file (%llu bytes)",
			 what, (unsigned long long)len, (unsigned long long)off,
			 (unsigned long long)im->size);
		return NULL;
	}
	return im->buf + off;
}

static int64_t msf_lba(unsigned int m, unsigned int s, unsigned int f)
{
	return ((int64_t)m * 60 + s) * 75 + f - 150;
}

/* ---- the header, and what the kernel does not take yet ---- */

static int read_mds(struct mds_image *im, int fd)
{
	if (im->size < HEADER_SIZE)
		return mds_fail(im, NULL, "%llu bytes: too small for a Media Descriptor",
				(unsigned long long)im->size);
	if (im->size > MDS_MAX_SIZE)
		return mds_fail(im, NULL, "%llu bytes: more than %d for a Media Descriptor",
				(unsigned long long)im->size, MDS_MAX_SIZE);
	im->buf = malloc(im->size);
	if (!im->buf)
		return mds_nomem(im);
	if (pread(fd, im->buf, im->size, 0) != (ssize_t)im->size)
		return vcd_load_fail(im->ld, errno ? errno : EIO, im->path, NULL);
	return 0;
}

static int check_header(struct mds_image *im)
{
	const uint8_t *h = im->buf;
	unsigned int medium = le16(h + 18);

	if (memcmp(h, "MEDIA DESCRIPTOR", 16))
		return mds_fail(im, NULL, "no MEDIA DESCRIPTOR signature: not a Media Descriptor");
	if (h[16] != 1)
		return mds_fail_err(im, EOPNOTSUPP, NULL, "Media Descriptor version %u.%02u: only "
				    "1.x (Alcohol 120%%) is supported", h[16], h[17]);
	switch (medium) {
	case 0x00: case 0x01: case 0x02:	/* CD-ROM, CD-R, CD-RW */
		break;
	case 0x10: case 0x12:			/* DVD-ROM, DVD-R */
		im->dvd = true;
		break;
	default:
		return mds_fail(im, NULL, "medium type 0x%02x is unknown (CD-ROM, CD-R, CD-RW, "
				"DVD-ROM and DVD-R are known)", medium);
	}
	return 0;
}

/*
 * The DVD structures (per layer: copyright 4 bytes, manufacturing 2048,
 * physical format 2048) and the BCA: checked, and kept for the drive's
 * READ DISC STRUCTURE.
 */
static int check_dvd_blocks(struct mds_image *im)
{
	const struct mds_block hb = { "header", 0, 0 };
	uint32_t st = le32(im->buf + 64), bca = le32(im->buf + 36);
	unsigned int bca_len = le16(im->buf + 26), layers = 0, l;
	const uint8_t *p = NULL, *b = NULL;

	if (st) {
		p = bytes_at(im, &hb, st, DVD_LAYER, "DVD structures");
		if (!p)
			return -im->ld->err;
		/* the physical format's number of layers: 01b is two */
		layers = ((p[4 + 2048 + 2] >> 5) & 3) == 1 ? 2 : 1;
		if (layers == 2 &&
		    !bytes_at(im, &hb, st, 2 * DVD_LAYER, "DVD structures of two layers"))
			return -im->ld->err;
	}
	if (bca_len) {
		b = bytes_at(im, &hb, bca, bca_len, "BCA");
		if (!b)
			return -im->ld->err;
	}
	if (!im->dvd && (st || bca_len))
		return mds_fail(im, &hb, "a CD with DVD structures or a BCA");
	if (bca_len > VCDROM_DVD_BCA_MAX)
		return mds_fail(im, &hb, "a BCA of %u bytes: a DVD's has at most %u", bca_len,
				VCDROM_DVD_BCA_MAX);
	if (!st && !bca_len)
		return 0;
	im->structs = calloc(1, sizeof(*im->structs));
	if (!im->structs)
		return vcd_load_fail(im->ld, ENOMEM, im->path, NULL);
	im->structs->layers = layers;
	for (l = 0; l < layers; l++)
		memcpy(im->structs->physical[l], p + l * DVD_LAYER + 4 + 2048, VCDROM_DVD_STRUCT_LEN);
	if (p) {
		im->structs->copyright_len = VCDROM_DVD_COPYRIGHT_LEN;
		memcpy(im->structs->copyright, p, VCDROM_DVD_COPYRIGHT_LEN);
		im->structs->manufacturer_len = VCDROM_DVD_STRUCT_LEN;
		memcpy(im->structs->manufacturer, p + 4, VCDROM_DVD_STRUCT_LEN);
	}
	im->structs->bca_len = bca_len;
	if (bca_len)
		memcpy(im->structs->bca, b, bca_len);
	return 0;
}

/* Data position measurement: how long reads took, per area; checked and kept, not used. */
static int check_dpm(struct mds_image *im)
{
	const struct mds_block hb = { "header", 0, 0 };
	struct mds_block b = { "DPM block", 0, 0 };
	uint32_t off = le32(im->buf + 84), n, i;
	const uint8_t *p, *q;

	if (!off)
		return 0;
	p = bytes_at(im, &hb, off, 4, "DPM blocks");
	if (!p)
		return -im->ld->err;
	n = le32(p);
	p = bytes_at(im, &hb, off + 4ULL, 4ULL * n, "DPM block offsets");
	if (!p)
		return -im->ld->err;
	if (n) {
		im->dpm = calloc(n, sizeof(*im->dpm));
		if (!im->dpm)
			return vcd_load_fail(im->ld, ENOMEM, im->path, NULL);
	}
	for (i = 0; i < n; i++) {
		b.n = i + 1;
		b.at = le32(p + 4 * i);
		q = bytes_at(im, &b, b.at, DPM_HEAD, "head");
		if (!q || !bytes_at(im, &b, b.at + DPM_HEAD, 4ULL * le32(q + 12), "entries"))
			return -im->ld->err;
		im->dpm[i] = (struct vcd_dpm_block){
			.number = le32(q), .start = le32(q + 4), .resolution = le32(q + 8),
			.entries = le32(q + 12),
		};
	}
	im->nr_dpm = n;
	if (n)
		vcd_load_note(im->ld, im->path, "its data position measurement (%u block%s) is "
			      "not used: reads are not timed", n, n == 1 ? "" : "s");
	return 0;
}

/* ---- files ---- */

/* A UTF-16LE name at @p (@len bytes, NUL-terminated or not) in UTF-8, in @buf. */
static bool utf16_name(const uint8_t *p, uint64_t len, char *buf, size_t size)
{
	uint32_t c, lo;
	size_t n = 0;
	uint64_t i;

	for (i = 0; i + 1 < len; i += 2) {
		c = le16(p + i);
		if (!c)
			break;
		if (c >= 0xdc00 && c < 0xe000)
			return false;
		if (c >= 0xd800 && c < 0xdc00) {
			if (i + 3 >= len)
				return false;
			lo = le16(p + i + 2);
			if (lo < 0xdc00 || lo >= 0xe000)
				return false;
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			i += 2;
		}
		if (n + 5 > size)
			return false;
		if (c < 0x80) {
			buf[n++] = c;
		} else if (c < 0x800) {
			buf[n++] = 0xc0 | c >> 6;
			buf[n++] = 0x80 | (c & 0x3f);
		} else if (c < 0x10000) {
			buf[n++] = 0xe0 | c >> 12;
			buf[n++] = 0x80 | (c >> 6 & 0x3f);
			buf[n++] = 0x80 | (c & 0x3f);
		} else {
			buf[n++] = 0xf0 | c >> 18;
			buf[n++] = 0x80 | (c >> 12 & 0x3f);
			buf[n++] = 0x80 | (c >> 6 & 0x3f);
			buf[n++] = 0x80 | (c & 0x3f);
		}
	}
	buf[n] = '\0';
	return true;
}

/* The name footer @f gives, in @name (UTF-8 when *@utf8). */
static int footer_name(struct mds_image *im, const struct mds_block *b, const uint8_t *f,
		       char *name, size_t size, bool *utf8)
{
	uint32_t off = le32(f), wide = le32(f + 4);
	const uint8_t *p;
	uint64_t len;

	p = bytes_at(im, b, off, 1, "file name");
	if (!p)
		return -im->ld->err;
	len = im->size - off;		/* up to its NUL, or the end of the .mds */
	if (wide > 1)
		return mds_fail(im, b, "its footer says the file name is in characters of type "
				"%u (0: 8-bit, 1: UTF-16)", wide);
	*utf8 = wide;
	if (wide) {
		if (!utf16_name(p, len, name, size))
			return mds_fail(im, b, "its file name (at 0x%x) is not UTF-16", off);
	} else {
		len = strnlen((const char *)p, len);
		if (len >= size)
			return mds_fail(im, b, "its file name (at 0x%x) is too long", off);
		memcpy(name, p, len);
		name[len] = '\0';
	}
	if (!name[0])
		return mds_fail(im, b, "its file name (at 0x%x) is empty", off);
	return 0;
}

/* The file a footer names, opened once: its index in im->files. */
static int open_file(struct mds_image *im, const struct mds_block *b, const uint8_t *footer,
		     struct vcd_disc *disc)
{
	const char *base = strrchr(im->path, '/'), *dot, *last;
	size_t stem;
	char name[PATH_MAX], path[PATH_MAX], *wild = NULL;
	struct mds_file *mf;
	bool utf8 = false, found;
	unsigned int i;
	uint64_t size;
	int ret, fd;

	ret = footer_name(im, b, footer, name, sizeof(name), &utf8);
	if (ret)
		return ret;
	if (!strncmp(name, "*.", 2)) {
		/* "*.mdf": the .mds's own name with that extension */
		base = base ? base + 1 : im->path;
		dot = strrchr(base, '.');
		stem = dot ? (size_t)(dot - base) : strlen(base);
		if (asprintf(&wild, "%.*s%s", (int)stem, base, name + 1) < 0)
			return mds_nomem(im);
		found = vcd_find_nocase(im->dir, wild, path, sizeof(path));
	} else {
		found = vcd_find_beside(im->dir, name, utf8, path, sizeof(path)) ||
			vcd_find_packed(im->dir, name, utf8, path, sizeof(path));
		/* a Windows path where it was made: its last part, beside the .mds */
		last = strrchr(name, '\\');
		if (!found && last && last[1] &&
		    vcd_find_beside(im->dir, last + 1, utf8, path, sizeof(path))) {
			found = true;
			vcd_load_note(im->ld, im->path, "\"%s\" not found; using %s", name, path);
		}
	}
	if (!found) {
		ret = mds_fail_err(im, ENOENT, b, "\"%s\"%s%s%s: %s", name, wild ? " (" : "",
				   wild ? wild : "", wild ? ")" : "", strerror(ENOENT));
		free(wild);
		return ret;
	}
	free(wild);
	for (i = 0; i < im->nr_files; i++)
		if (!strcmp(im->files[i].path, path))
			return i;
	if (im->nr_files == VCDROM_MAX_FILES)
		return mds_fail(im, b, "more than %d files", VCDROM_MAX_FILES);
	fd = vcd_open_image_file(path, &size, im->ld);
	if (fd < 0)
		return mds_fail_err(im, im->ld->err, b, "\"%s\": %s", name, im->ld->reason);
	mf = &im->files[im->nr_files];
	mf->index = vcd_disc_add_file(disc, fd, path, size);
	if (mf->index < 0)
		return mds_nomem(im);
	snprintf(mf->path, sizeof(mf->path), "%s", path);
	mf->size = size;
	return im->nr_files++;
}

/* ---- tracks ---- */

/* A track block's fields. */
struct mds_track {
	uint8_t mode, sub, ctl, point;
	int64_t msf;				/* its P-MSF as an LBA */
	uint32_t extra;				/* its extra block (a DVD's: its length) */
	unsigned int sector_size;
	uint32_t start;
	uint64_t offset;
	uint32_t nr_files;
	uint32_t footer;
};

static void parse_track(const uint8_t *p, struct mds_track *t)
{
	t->mode = p[0];
	t->sub = p[1];
	t->ctl = p[2] & 0xf;
	t->point = p[4];
	/* a minute count past 99 in the zero byte, as some writers put it */
	t->msf = msf_lba(p[8] * 60 + p[9], p[10], p[11]);
	t->extra = le32(p + 12);
	t->sector_size = le16(p + 16);
	t->start = le32(p + 36);
	t->offset = le64(p + 40);
	t->nr_files = le32(p + 48);
	t->footer = le32(p + 52);
}

/* The track mode and sector format of @t; NULL (failed) when they do not fit. */
static const struct mds_mode *track_format(struct mds_image *im, const struct mds_block *b,
					   const struct mds_track *t, uint32_t *format)
{
	const struct mds_mode *m = &modes[t->mode & 7];
	unsigned int i;

	if (!m->name) {
		mds_fail(im, b, "track %u: mode 0x%02x is unknown (its low nibble: 1 or 9 audio, "
			 "2 or a mode 1, 3 or b mode 2, 4 or c mode 2 form 1, 5 or d form 2)",
			 t->point, t->mode);
		return NULL;
	}
	if (t->sub != MDS_SUB_NONE && t->sub != MDS_SUB_PW) {
		mds_fail(im, b, "track %u: sub-channel 0x%02x is unknown (0: none, 8: 96 bytes "
			 "of interleaved P-W)", t->point, t->sub);
		return NULL;
	}
	if (t->sub == MDS_SUB_PW) {
		if (t->sector_size == 2448) {
			*format = VCDROM_SECTOR_RAW_PW;
			return m;
		}
		mds_fail(im, b, "track %u: %u-byte sectors with a sub-channel: only 2448 "
			 "(2352 and 96) are known", t->point, t->sector_size);
		return NULL;
	}
	for (i = 0; m->formats[i].size; i++)
		if (m->formats[i].size == t->sector_size) {
			*format = m->formats[i].format;
			return m;
		}
	mds_fail(im, b, "track %u: %u-byte sectors do not fit its mode (0x%02x, %s)%s", t->point,
		 t->sector_size, t->mode, m->name,
		 t->sector_size == 2448 ? ": 2448 needs the sub-channel flag 0x08" : "");
	return NULL;
}

static struct vcd_extent *add_extent(struct vcd_track *vt, uint32_t start, uint32_t length,
				     uint32_t format, int file, uint64_t offset)
{
	struct vcd_extent *e = vcd_track_add_extent(vt);

	if (!e)
		return NULL;
	e->start = start;
	e->length = length;
	e->format = format;
	if (format != VCDROM_SECTOR_ZERO) {
		e->file = file;
		e->offset = offset;
	}
	if (format == VCDROM_SECTOR_RAW_PW) {
		/* the kernel returns the stored P-W, Q as it is */
		e->sub_format = VCDROM_SUB_PW;
		e->sub_in_file = false;
	}
	return e;
}

static uint32_t q_flags(uint8_t ctl, uint32_t mode)
{
	uint32_t f = ctl & 2 ? VCDROM_TRACK_F_DCP : 0;

	if (mode == VCDROM_TRACK_AUDIO)
		f |= (ctl & 1 ? VCDROM_TRACK_F_PRE : 0) | (ctl & 8 ? VCDROM_TRACK_F_4CH : 0);
	return f;
}

static struct vcd_track *new_track(struct mds_image *im, struct vcd_session *vs,
				   const struct mds_track *t, const struct mds_mode *m)
{
	struct vcd_track *vt = vcd_session_add_track(vs);

	if (!vt) {
		mds_nomem(im);
		return NULL;
	}
	vt->number = t->point;
	vt->mode = m->mode;
	vt->flags = im->dvd ? 0 : q_flags(t->ctl, m->mode);
	vt->start = t->start;
	im->last_number = t->point;
	return vt;
}

/* A CD track: its pregap (not stored) and its sectors, in one file. */
static int lay_out_cd(struct mds_image *im, const struct mds_block *b, const struct mds_track *t,
		      struct vcd_session *vs, struct vcd_disc *disc, bool first_session,
		      int64_t *from)
{
	const struct mds_mode *m;
	const struct mds_file *f;
	struct vcd_track *vt;
	const uint8_t *p;
	uint32_t format, pregap, length;
	int64_t i0, zero_from;
	bool disc_first;
	uint64_t end;
	int file;

	m = track_format(im, b, t, &format);
	if (!m)
		return -im->ld->err;
	if ((m->mode != VCDROM_TRACK_AUDIO) != !!(t->ctl & 4))
		return mds_fail(im, b, "track %u: its Q control 0x%x says %s, its mode 0x%02x "
				"(%s) %s", t->point, t->ctl, t->ctl & 4 ? "data" : "audio", t->mode,
				m->name, t->ctl & 4 ? "audio" : "data");
	if (!t->extra)
		return mds_fail(im, b, "track %u has no extra block (its offset is 0): its pregap "
				"and length are not known", t->point);
	p = bytes_at(im, b, t->extra, EXTRA_SIZE, "extra block");
	if (!p)
		return -im->ld->err;
	pregap = le32(p);
	length = le32(p + 4);
	if (!length)
		return mds_fail(im, b, "track %u has no sectors", t->point);
	if (t->msf != t->start)
		return mds_fail(im, b, "track %u starts at LBA %u, but at %lld by its MSF",
				t->point, t->start, (long long)t->msf);
	if ((uint64_t)t->start + length > VCDROM_CD_MAX_LEADOUT)
		return mds_fail(im, b, "track %u ends past 99:59:74, the end of a CD", t->point);

	i0 = (int64_t)t->start - pregap;
	disc_first = first_session && !vs->nr_tracks;
	if (disc_first) {
		/* UltraISO gives a track 1 that starts late a pregap of 150 all the same */
		if (i0 > 0 && pregap != 150)
			return mds_fail(im, b, "track %u: the disc starts at LBA %lld (its "
					"pregap), not at 0 or before", t->point, (long long)i0);
		if (t->start)
			vcd_load_note(im->ld, im->path, "track %u starts at LBA %u: the "
				      "sectors before it (a hidden track?) are not in the image "
				      "and read as zeros", t->point, t->start);
	} else if (i0 < im->next) {
		return mds_fail(im, b, "track %u starts at LBA %lld (its pregap), inside the "
				"track before, which ends at %lld", t->point, (long long)i0,
				(long long)im->next);
	} else if (vs->nr_tracks && i0 > im->next) {
		return mds_fail(im, b, "track %u starts at LBA %lld (its pregap): the %lld sectors "
				"after track %u are in no track", t->point, (long long)i0,
				(long long)(i0 - im->next), im->last_number);
	}

	if (t->nr_files != 1)
		return mds_fail(im, b, "track %u is in %u files: a CD track is in one", t->point,
				t->nr_files);
	p = bytes_at(im, b, t->footer, FOOTER_SIZE, "footer");
	if (!p)
		return -im->ld->err;
	file = open_file(im, b, p, disc);
	if (file < 0)
		return file;
	f = &im->files[file];
	end = t->offset + (uint64_t)length * t->sector_size;
	if (t->offset > f->size || end > f->size)
		return mds_fail(im, b, "track %u: its sectors (bytes %llu to %llu) run past the "
				"end of %s (%llu bytes)", t->point, (unsigned long long)t->offset,
				(unsigned long long)end, f->path, (unsigned long long)f->size);

	*from = i0;
	vt = new_track(im, vs, t, m);
	if (!vt)
		return -im->ld->err;
	/* the disc starts at LBA 0: what lies before is not on it */
	zero_from = disc_first ? 0 : i0;
	if (zero_from < t->start &&
	    !add_extent(vt, zero_from, t->start - zero_from, VCDROM_SECTOR_ZERO, 0, 0))
		return mds_nomem(im);
	if (!add_extent(vt, t->start, length, format, f->index, t->offset))
		return mds_nomem(im);
	im->next = (int64_t)t->start + length;
	return 0;
}

/* A DVD's track: 2048-byte sectors, maybe split over several files. */
static int lay_out_dvd(struct mds_image *im, const struct mds_block *b, const struct mds_track *t,
		       struct vcd_session *vs, struct vcd_disc *disc)
{
	const struct mds_mode *m;
	const struct mds_file *f;
	struct vcd_track *vt;
	const uint8_t *p;
	uint64_t off, n, left = t->extra;
	uint32_t format, lba = 0;
	unsigned int i;
	int file;

	m = track_format(im, b, t, &format);
	if (!m)
		return -im->ld->err;
	if (m->mode != VCDROM_TRACK_MODE1 || format != VCDROM_SECTOR_COOKED_2048)
		return mds_fail(im, b, "a DVD's track is mode 1 with 2048-byte sectors, not %s "
				"with %u", m->name, t->sector_size);
	if (t->point != 1 || vs->nr_tracks)
		return mds_fail(im, b, "track %u: a DVD has one track, 1", t->point);
	if (t->start)
		return mds_fail(im, b, "track 1 starts at LBA %u: a DVD's starts at 0", t->start);
	if (!left)
		return mds_fail(im, b, "track 1 has no sectors");
	if (!t->nr_files || t->nr_files > VCDROM_MAX_FILES)
		return mds_fail(im, b, "track 1 is in %u files, not 1 to %d", t->nr_files,
				VCDROM_MAX_FILES);
	p = bytes_at(im, b, t->footer, (uint64_t)t->nr_files * FOOTER_SIZE, "footers");
	if (!p)
		return -im->ld->err;
	vt = new_track(im, vs, t, m);
	if (!vt)
		return -im->ld->err;
	for (i = 0; i < t->nr_files; i++) {
		file = open_file(im, b, p + i * FOOTER_SIZE, disc);
		if (file < 0)
			return file;
		f = &im->files[file];
		/* the offset is the first file's; the others are sectors from their start */
		off = i ? 0 : t->offset;
		if (off > f->size)
			return mds_fail(im, b, "track 1: its offset %llu is past the end of %s "
					"(%llu bytes)", (unsigned long long)off, f->path,
					(unsigned long long)f->size);
		n = (f->size - off) / 2048;
		if (i + 1 < t->nr_files && (f->size - off) % 2048)
			return mds_fail(im, b, "track 1: %s, part %u of %u, is not whole 2048-byte "
					"sectors", f->path, i + 1, t->nr_files);
		if (!left || !n)
			return mds_fail(im, b, "track 1: %s, part %u of %u, holds %s", f->path,
					i + 1, t->nr_files, n ? "sectors past the track's end" :
					"no sectors");
		n = n < left ? n : left;
		if (!add_extent(vt, lba, n, format, f->index, off))
			return mds_nomem(im);
		lba += n;
		left -= n;
	}
	if (left)
		return mds_fail(im, b, "track 1 has %u sectors; its %u file%s hold %u", t->extra,
				t->nr_files, t->nr_files == 1 ? "" : "s", lba);
	im->next = lba;
	return 0;
}

/* ---- sessions ---- */

/* A0, A1, A2: the session's first and last track and its lead-out, as the tracks say. */
static int check_points(struct mds_image *im, const struct mds_block *b, const uint8_t *p,
			unsigned int first, unsigned int last, int64_t leadout)
{
	unsigned int point = p[4];
	int64_t lba = msf_lba(p[9], p[10], p[11]);

	if (point == 0xa0 && p[9] != first)
		return mds_fail(im, b, "point A0 says the first track is %u, the session block %u",
				p[9], first);
	if (point == 0xa1 && p[9] != last)
		return mds_fail(im, b, "point A1 says the last track is %u, the session block %u",
				p[9], last);
	if (point == 0xa2 && lba != leadout)
		return mds_fail(im, b, "point A2 puts the lead-out at LBA %lld, the tracks at "
				"%lld", (long long)lba, (long long)leadout);
	return 0;
}

static int lay_out_session(struct mds_image *im, unsigned int s, struct vcd_disc *disc)
{
	struct mds_block sb = { "session block", s + 1, le32(im->buf + 80) + (uint64_t)s *
				SESSION_SIZE };
	struct mds_block tb = { "track block", 0, 0 };
	const uint8_t *p = bytes_at(im, NULL, sb.at, SESSION_SIZE, "session block"), *blocks, *e;
	unsigned int i, n, number, first, last;
	int64_t start, end, from = 0;
	struct vcd_session *vs;
	struct mds_track t;
	int ret;

	if (!p)
		return -im->ld->err;
	start = (int32_t)le32(p);
	end = (int32_t)le32(p + 4);
	number = le16(p + 8);
	n = p[10];
	first = le16(p + 12);
	last = le16(p + 14);
	if (number != s + 1)
		return mds_fail(im, &sb, "session %u where session %u comes", number, s + 1);
	if (!first || first > last || last > VCDROM_MAX_TRACKS)
		return mds_fail(im, &sb, "tracks %u to %u: not 1 to 99, in order", first, last);
	if (first != im->last_number + 1)
		return mds_fail(im, &sb, "its tracks start at %u, after track %u", first,
				im->last_number);
	blocks = bytes_at(im, &sb, le32(p + 20), (uint64_t)n * TRACK_SIZE, "track blocks");
	if (!blocks)
		return -im->ld->err;
	vs = vcd_disc_add_session(disc);
	if (!vs)
		return mds_nomem(im);

	for (i = 0; i < n; i++) {
		tb.n = i + 1;
		tb.at = le32(p + 20) + (uint64_t)i * TRACK_SIZE;
		parse_track(blocks + i * TRACK_SIZE, &t);
		if (t.point >= 0xa0)
			continue;	/* the session's control entries, checked below */
		if (!t.point || t.point > 99)
			return mds_fail(im, &tb, "point 0x%02x is neither a track (1-99) nor a "
					"control entry (A0 and on)", t.point);
		if (im->last_number + 1 > last)
			return mds_fail(im, &tb, "track %u: the session's tracks end at %u",
					t.point, last);
		if (t.point != im->last_number + 1)
			return mds_fail(im, &tb, "track %u where track %u comes", t.point,
					im->last_number + 1);
		ret = im->dvd ? lay_out_dvd(im, &tb, &t, vs, disc) :
				lay_out_cd(im, &tb, &t, vs, disc, !s, &from);
		if (ret)
			return ret;
		/* the first session starts at -150 whatever its first track's pregap says */
		if (vs->nr_tracks == 1 && !im->dvd && from != start && (s || start != -150))
			return mds_fail(im, &sb, "the session starts at LBA %lld, its first track "
					"(with its pregap) at %lld", (long long)start,
					(long long)from);
	}
	if (!vs->nr_tracks)
		return mds_fail(im, &sb, "tracks %u to %u, but none of its %u blocks is a track",
				first, last, n);
	if (im->last_number != last)
		return mds_fail(im, &sb, "tracks %u to %u, but its track blocks end at track %u",
				first, last, im->last_number);
	if (end != im->next)
		return mds_fail(im, &sb, "the session ends at LBA %lld, its tracks at %lld",
				(long long)end, (long long)im->next);
	for (i = 0; !im->dvd && i < n; i++) {
		tb.n = i + 1;
		tb.at = le32(p + 20) + (uint64_t)i * TRACK_SIZE;
		e = blocks + i * TRACK_SIZE;
		ret = check_points(im, &tb, e, first, last, im->next);
		if (ret)
			return ret;
	}
	return 0;
}

static int build_disc(struct mds_image *im, struct vcd_disc *disc)
{
	unsigned int s, n = le16(im->buf + 20);
	int ret;

	if (!n || n > VCDROM_MAX_SESSIONS || (im->dvd && n != 1))
		return mds_fail(im, NULL, "%u sessions: %s", n, im->dvd ? "a DVD has one" :
				"a CD has 1 to 99");
	if (!bytes_at(im, NULL, le32(im->buf + 80), (uint64_t)n * SESSION_SIZE, "session blocks"))
		return -im->ld->err;
	for (s = 0; s < n; s++) {
		ret = lay_out_session(im, s, disc);
		if (ret)
			return ret;
	}
	disc->medium = im->dvd ? VCDROM_MEDIUM_DVD : VCDROM_MEDIUM_CD;
	return 0;
}

int vcd_load_mds(int fd, const char *path, uint64_t size, struct vcd_disc *disc,
		 struct vcd_load *ld)
{
	struct mds_image im = { .path = path, .ld = ld, .size = size };
	const char *slash = strrchr(path, '/');
	int ret;

	if (!slash)
		snprintf(im.dir, sizeof(im.dir), ".");
	else
		snprintf(im.dir, sizeof(im.dir), "%.*s", (int)(slash == path ? 1 : slash - path),
			 path);
	ret = read_mds(&im, fd);
	/* the .mds is read whole: the disc needs only the files it names */
	close(fd);
	if (!ret)
		ret = check_header(&im);
	if (!ret)
		ret = check_dvd_blocks(&im);
	if (!ret)
		ret = check_dpm(&im);
	if (!ret)
		ret = build_disc(&im, disc);
	if (!ret) {
		disc->dvd = im.structs;
		im.structs = NULL;
		disc->dpm = im.dpm;
		disc->nr_dpm = im.nr_dpm;
		im.dpm = NULL;
	}
	free(im.dpm);
	free(im.structs);
	free(im.buf);
	return ret;
}

/* "MEDIA DESCRIPTOR" and major version 1: DAEMON Tools' version 2 is magic.c's. */
int vcd_probe_mds(int fd, uint64_t size)
{
	uint8_t head[17];

	if (size < HEADER_SIZE || pread(fd, head, sizeof(head), 0) != (ssize_t)sizeof(head) ||
	    memcmp(head, "MEDIA DESCRIPTOR\1", sizeof(head)))
		return VCD_PROBE_NO;
	return VCD_PROBE_SURE;
}
