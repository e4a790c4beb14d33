// SPDX-License-Identifier: GPL-2.0
/*
 * MAME CHD v5: the header, the hunk map, the metadata and reading hunks;
 * the extraction of a CD's or DVD's sectors. See chd.h.
 *
 * The v5 header (124 bytes, big-endian):
 *	0 "MComprHD"  8 header length  12 version  16 four codec tags (0: none)
 *	32 logical bytes  40 map offset  48 metadata offset  56 hunk bytes
 *	60 unit bytes  64 raw SHA-1 (of the data)  84 SHA-1 (data and metadata)
 *	104 parent's SHA-1 (zeros: no parent)
 *
 * The map of a compressed CHD: 16 bytes (compressed length, first hunk's
 * offset in 48 bits, CRC-16 of the decoded map, the bit widths of a length,
 * a self and a parent reference), then a Huffman-coded type per hunk, with
 * run lengths, and then per hunk the fields its type takes. Decoded, a hunk
 * is 12 bytes: type, length (24 bits), offset (48 bits), CRC-16 of its data;
 * the CRC-16 in the map's header is over these. An uncompressed CHD's map
 * is a 32-bit offset per hunk, in hunks (0: not stored).
 *
 * Metadata: entries of tag, flags, length (24 bits), offset of the next
 * (0: last) and the data; a CD has one per track.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "chd.h"
#include "chd_int.h"
#include "common/common.h"

/* Hunk types in the decoded map. */
enum {
	CHD_CODEC0, CHD_CODEC1, CHD_CODEC2, CHD_CODEC3,
	CHD_NONE,		/* stored uncompressed */
	CHD_SELF,		/* the same as an earlier hunk */
	CHD_PARENT,		/* the parent's data, from a unit */
	/* only in the coded map */
	CHD_RLE_SMALL, CHD_RLE_LARGE, CHD_SELF_0, CHD_SELF_1, CHD_PARENT_SELF, CHD_PARENT_0,
	CHD_PARENT_1,
};

#define MAP_ENTRY		12
#define META_HEADER		16
#define META_CHECKSUM		0x01	/* the entry's flag: the header's SHA-1 covers it */
#define MAX_HUNKS		0x400000	/* 48 MiB of map: an 8.5 GB DVD in 4 KiB hunks */
#define MAX_HUNK_BYTES		0x100000
#define MAX_META_ENTRIES	1024
#define MAX_PARENTS		8

#define TAG(a, b, c, d)		CHD_CODEC(a, b, c, d)
#define TAG_CHT2		TAG('C', 'H', 'T', '2')
#define TAG_CHTR		TAG('C', 'H', 'T', 'R')
#define TAG_CHCD		TAG('C', 'H', 'C', 'D')
#define TAG_CHGD		TAG('C', 'H', 'G', 'D')
#define TAG_DVD			TAG('D', 'V', 'D', ' ')

static const uint8_t zero_sha1[20];

/* The fuzz targets' build: SHA-1s are not checked, so that changed bytes reach what follows. */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define FUZZING			1
#else
#define FUZZING			0
#endif

struct vcd_chd {
	int fd;
	bool own_fd;
	char name[PATH_MAX];
	uint64_t file_size;
	uint64_t map_offset, meta_offset;
	struct vcd_chd_info info;
	uint32_t codecs[4];
	bool compressed;
	uint8_t *map;			/* compressed: 12 bytes a hunk; else 4 */
	struct vcd_chd *parent;
	bool own_parent;
	uint8_t *cbuf;			/* a compressed hunk */
	size_t cbuf_len;
	uint8_t *hunk;			/* the last hunk read_bytes() read */
	int64_t hunk_nr;		/* which, -1: none */
};

static uint64_t be(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

/* CRC-16/CCITT tables: crc16_table[k][b], the CRC of byte b followed by k zero bytes */
static uint16_t crc16_table[8][256];
static pthread_once_t crc16_once = PTHREAD_ONCE_INIT;

static void crc16_init(void)
{
	unsigned int b, k;
	uint16_t crc;

	for (b = 0; b < 256; b++) {
		crc = b << 8;
		for (int i = 0; i < 8; i++)
			crc = crc & 0x8000 ? (uint16_t)(crc << 1) ^ 0x1021 : (uint16_t)(crc << 1);
		crc16_table[0][b] = crc;
	}
	for (k = 1; k < 8; k++)
		for (b = 0; b < 256; b++) {
			crc = crc16_table[k - 1][b];
			crc16_table[k][b] = (uint16_t)(crc << 8) ^ crc16_table[0][crc >> 8];
		}
}

/* Eight bytes a step (slicing-by-8): a hunk's CRC is checked on every read. */
uint16_t chd_crc16(const uint8_t *p, size_t len)
{
	const uint16_t (*t)[256] = crc16_table;
	uint16_t crc = 0xffff;

	pthread_once(&crc16_once, crc16_init);
	for (; len >= 8; len -= 8, p += 8)
		crc = t[7][p[0] ^ (crc >> 8)] ^ t[6][p[1] ^ (crc & 0xff)] ^ t[5][p[2]] ^
		      t[4][p[3]] ^ t[3][p[4]] ^ t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]];
	while (len--)
		crc = (uint16_t)(crc << 8) ^ t[0][(crc >> 8) ^ *p++];
	return crc;
}

static void hex(char *buf, const uint8_t *sha1)
{
	for (int i = 0; i < 20; i++)
		sprintf(buf + 2 * i, "%02x", sha1[i]);
}

static bool pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = pread(fd, p, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= n;
		off += n;
	}
	return true;
}

/* ---- the header ---- */

static int read_header(struct vcd_chd *chd, struct vcd_load *ld)
{
	struct vcd_chd_info *in = &chd->info;
	uint8_t h[VCD_CHD_HEADER_V5];
	uint64_t nr_hunks, map_offset, meta_offset;
	uint32_t len;
	int i;

	if (chd->file_size < 16 || !pread_all(chd->fd, h, 16, 0))
		return vcd_load_fail(ld, EINVAL, chd->name, "truncated: no CHD header");
	if (memcmp(h, "MComprHD", 8))
		return vcd_load_fail(ld, EINVAL, chd->name, "not a CHD: no \"MComprHD\" magic");
	in->version = be(h + 12, 4);
	len = be(h + 8, 4);
	if (in->version != 5)
		return vcd_load_fail(ld, EINVAL, chd->name,
				     "CHD version %u: only version 5 is read (chdman copy makes one)",
				     in->version);
	if (len != VCD_CHD_HEADER_V5)
		return vcd_load_fail(ld, EINVAL, chd->name, "a v5 header of %u bytes, not 124",
				     len);
	if (chd->file_size < VCD_CHD_HEADER_V5 || !pread_all(chd->fd, h, sizeof(h), 0))
		return vcd_load_fail(ld, EINVAL, chd->name, "truncated in its header");
	for (i = 0; i < 4; i++) {
		chd->codecs[i] = be(h + 16 + 4 * i, 4);
		if (chd->codecs[i])
			memcpy(in->compressors[i], h + 16 + 4 * i, 4);
		if (chd->codecs[i] && !chd_codec_known(chd->codecs[i]))
			return vcd_load_fail(ld, EINVAL, chd->name, "unknown codec \"%.4s\"",
					     (const char *)h + 16 + 4 * i);
	}
	chd->compressed = chd->codecs[0];
	in->logical_bytes = be(h + 32, 8);
	map_offset = be(h + 40, 8);
	meta_offset = be(h + 48, 8);
	in->hunk_bytes = be(h + 56, 4);
	in->unit_bytes = be(h + 60, 4);
	memcpy(in->raw_sha1, h + 64, 20);
	memcpy(in->sha1, h + 84, 20);
	memcpy(in->parent_sha1, h + 104, 20);
	for (i = 0; i < 20; i++)
		in->has_parent |= in->parent_sha1[i];
	if (!in->hunk_bytes || in->hunk_bytes > MAX_HUNK_BYTES)
		return vcd_load_fail(ld, EINVAL, chd->name, "hunk size %u: not 1 to %u bytes",
				     in->hunk_bytes, MAX_HUNK_BYTES);
	if (!in->unit_bytes || in->hunk_bytes % in->unit_bytes)
		return vcd_load_fail(ld, EINVAL, chd->name,
				     "unit size %u does not divide the hunk size %u",
				     in->unit_bytes, in->hunk_bytes);
	if (!in->logical_bytes)
		return vcd_load_fail(ld, EINVAL, chd->name, "logical size 0: no data");
	nr_hunks = (in->logical_bytes + in->hunk_bytes - 1) / in->hunk_bytes;
	if (nr_hunks > MAX_HUNKS)
		return vcd_load_fail(ld, EFBIG, chd->name, "%llu hunks: more than %u",
				     (unsigned long long)nr_hunks, MAX_HUNKS);
	in->nr_hunks = nr_hunks;
	if (map_offset < VCD_CHD_HEADER_V5)
		return vcd_load_fail(ld, EINVAL, chd->name, "map offset %llu is in the header",
				     (unsigned long long)map_offset);
	if (map_offset >= chd->file_size)
		return vcd_load_fail(ld, EINVAL, chd->name,
				     "truncated: its map at %llu is past the end of the file (%llu bytes)",
				     (unsigned long long)map_offset,
				     (unsigned long long)chd->file_size);
	if (meta_offset && (meta_offset < VCD_CHD_HEADER_V5 || meta_offset >= chd->file_size))
		return vcd_load_fail(ld, EINVAL, chd->name,
				     "metadata offset %llu is outside the file",
				     (unsigned long long)meta_offset);
	chd->map_offset = map_offset;
	chd->meta_offset = meta_offset;
	return 0;
}

/* ---- the map ---- */

static int map_fail(struct vcd_chd *chd, struct vcd_load *ld, const char *why)
{
	return vcd_load_fail(ld, EINVAL, chd->name, "%s", why);
}

/* The 12-byte entry of hunk @i. */
static uint8_t *entry(struct vcd_chd *chd, uint32_t i)
{
	return chd->map + (size_t)MAP_ENTRY * i;
}

static void put_be(uint8_t *p, uint64_t v, unsigned int n)
{
	while (n--)
		p[n] = v, v >>= 8;
}

/* The type of each hunk: Huffman codes, with run lengths of the last type. */
static int map_types(struct vcd_chd *chd, struct chd_bits *b, struct vcd_load *ld)
{
	struct chd_huff h;
	uint32_t i, repeat = 0;
	uint8_t last = 0;
	int v, hi, lo, ret = 0;

	if (chd_huff_init(&h, 16, 8))
		return vcd_load_fail(ld, ENOMEM, chd->name, NULL);
	if (chd_huff_import_rle(&h, b)) {
		ret = map_fail(chd, ld, "map: bad Huffman tree");
		goto out;
	}
	for (i = 0; i < chd->info.nr_hunks; i++) {
		if (repeat) {
			entry(chd, i)[0] = last;
			repeat--;
			continue;
		}
		v = chd_huff_decode(&h, b);
		if (v == CHD_RLE_SMALL) {
			/* 3 to 18 hunks: one 4-bit symbol */
			hi = chd_huff_decode(&h, b);
			v = hi < 0 ? -1 : v;
			repeat = v < 0 ? 0 : 2 + hi;
		} else if (v == CHD_RLE_LARGE) {
			/* 19 to 273 hunks: two */
			hi = chd_huff_decode(&h, b);
			lo = chd_huff_decode(&h, b);
			v = hi < 0 || lo < 0 ? -1 : v;
			repeat = v < 0 ? 0 : 2 + 16 + (hi << 4 | lo);
		} else if (v >= 0) {
			last = v;
		}
		if (v < 0 || b->overflow) {
			ret = map_fail(chd, ld, "map: bad Huffman data");
			goto out;
		}
		/* a run: this hunk, then @repeat more */
		entry(chd, i)[0] = last;
	}
out:
	chd_huff_free(&h);
	return ret;
}

static int read_map_v5(struct vcd_chd *chd, uint64_t map_offset, struct vcd_load *ld)
{
	struct vcd_chd_info *in = &chd->info;
	uint32_t units_per_hunk = in->hunk_bytes / in->unit_bytes;
	uint8_t mh[16], *data, *e;
	uint64_t cur, offset, last_self = 0, last_parent = 0, end;
	uint32_t map_len, i, length, crc;
	unsigned int len_bits, self_bits, parent_bits;
	struct chd_bits b;
	char obj[PATH_MAX + 32];
	int ret;

	if (map_offset + sizeof(mh) > chd->file_size || !pread_all(chd->fd, mh, 16, map_offset))
		return map_fail(chd, ld, "truncated in its map");
	map_len = be(mh, 4);
	cur = be(mh + 4, 6);
	len_bits = mh[12];
	self_bits = mh[13];
	parent_bits = mh[14];
	if (map_len > chd->file_size - map_offset - sizeof(mh))
		return map_fail(chd, ld, "truncated in its map");
	if (len_bits > 24 || self_bits > 32 || parent_bits > 32)
		return map_fail(chd, ld, "map: field widths over 32 bits");
	data = malloc(map_len ? map_len : 1);
	chd->map = calloc(in->nr_hunks, MAP_ENTRY);
	if (!data || !chd->map) {
		free(data);
		return vcd_load_fail(ld, ENOMEM, chd->name, NULL);
	}
	if (!pread_all(chd->fd, data, map_len, map_offset + sizeof(mh))) {
		free(data);
		return map_fail(chd, ld, "truncated in its map");
	}
	chd_bits_init(&b, data, map_len);
	ret = map_types(chd, &b, ld);
	if (ret)
		goto out;
	/* then each hunk's fields, offsets following on from the first's */
	for (i = 0; i < in->nr_hunks; i++) {
		e = entry(chd, i);
		offset = cur;
		length = 0;
		crc = 0;
		switch (e[0]) {
		case CHD_CODEC0: case CHD_CODEC1: case CHD_CODEC2: case CHD_CODEC3:
			length = chd_bits_read(&b, len_bits);
			cur += length;
			crc = chd_bits_read(&b, 16);
			break;
		case CHD_NONE:
			length = in->hunk_bytes;
			cur += length;
			crc = chd_bits_read(&b, 16);
			break;
		case CHD_SELF:
			last_self = chd_bits_read(&b, self_bits);
			offset = last_self;
			break;
		case CHD_PARENT:
			last_parent = chd_bits_read(&b, parent_bits);
			offset = last_parent;
			break;
		case CHD_SELF_1:
			last_self++;
			/* fall through */
		case CHD_SELF_0:
			e[0] = CHD_SELF;
			offset = last_self;
			break;
		case CHD_PARENT_SELF:
			e[0] = CHD_PARENT;
			last_parent = (uint64_t)i * units_per_hunk;
			offset = last_parent;
			break;
		case CHD_PARENT_1:
			last_parent += units_per_hunk;
			/* fall through */
		case CHD_PARENT_0:
			e[0] = CHD_PARENT;
			offset = last_parent;
			break;
		default:
			ret = map_fail(chd, ld, "map: a hunk of an unknown type");
			goto out;
		}
		put_be(e + 1, length, 3);
		put_be(e + 4, offset, 6);
		put_be(e + 10, crc, 2);
	}
	if (b.overflow) {
		ret = map_fail(chd, ld, "map: shorter than its hunks need");
		goto out;
	}
	/* each hunk where it can be read */
	for (i = 0; i < in->nr_hunks; i++) {
		e = entry(chd, i);
		in->hunks_by[e[0]]++;
		offset = be(e + 4, 6);
		end = offset + be(e + 1, 3);
		snprintf(obj, sizeof(obj), "%s: hunk %u", chd->name, i);
		if (e[0] <= CHD_CODEC3 && !chd->codecs[e[0]])
			ret = vcd_load_fail(ld, EINVAL, obj, "compressed with codec %u, which is none",
					    e[0]);
		else if (e[0] <= CHD_NONE && (offset < VCD_CHD_HEADER_V5 || end > chd->file_size))
			ret = map_fail(chd, ld, "map points past the end of the file");
		else if (e[0] == CHD_SELF && offset >= i)
			ret = vcd_load_fail(ld, EINVAL, obj, "is a copy of hunk %llu, not an earlier one",
					    (unsigned long long)offset);
		else if (e[0] == CHD_PARENT && !in->has_parent)
			ret = vcd_load_fail(ld, EINVAL, obj, "is in a parent, and the CHD has none");
		if (ret)
			goto out;
	}
	/* after the checks above, whose reasons say more */
	if (chd_crc16(chd->map, (size_t)in->nr_hunks * MAP_ENTRY) != be(mh + 10, 2))
		ret = map_fail(chd, ld, "map: CRC mismatch");
out:
	free(data);
	return ret;
}

static int read_map_raw(struct vcd_chd *chd, uint64_t map_offset, struct vcd_load *ld)
{
	struct vcd_chd_info *in = &chd->info;
	size_t len = (size_t)in->nr_hunks * 4;
	uint64_t off;

	if (len > chd->file_size - map_offset)
		return map_fail(chd, ld, "truncated in its map");
	chd->map = malloc(len);
	if (!chd->map)
		return vcd_load_fail(ld, ENOMEM, chd->name, NULL);
	if (!pread_all(chd->fd, chd->map, len, map_offset))
		return map_fail(chd, ld, "truncated in its map");
	for (uint32_t i = 0; i < in->nr_hunks; i++) {
		off = be(chd->map + 4 * i, 4) * in->hunk_bytes;
		if (off && off + in->hunk_bytes > chd->file_size)
			return map_fail(chd, ld, "map points past the end of the file");
		if (off)
			in->hunks_by[CHD_NONE]++;
	}
	return 0;
}

/* ---- metadata ---- */

struct track_type {
	const char *name;
	uint32_t mode, format, size;
};

static const struct track_type track_types[] = {
	{ "MODE1",		VCDROM_TRACK_MODE1,	VCDROM_SECTOR_COOKED_2048,	2048 },
	{ "MODE1_RAW",		VCDROM_TRACK_MODE1,	VCDROM_SECTOR_RAW,		2352 },
	{ "MODE2",		VCDROM_TRACK_MODE2,	VCDROM_SECTOR_MODE2,		2336 },
	{ "MODE2_FORM1",	VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_COOKED_2048,	2048 },
	{ "MODE2_FORM2",	VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_COOKED_2324,	2324 },
	{ "MODE2_FORM_MIX",	VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_MODE2,		2336 },
	{ "MODE2_RAW",		VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_RAW,		2352 },
	{ "AUDIO",		VCDROM_TRACK_AUDIO,	VCDROM_SECTOR_RAW,		2352 },
};

/* CHCD's binary track types and sub-channel types, in their order. */
static const char *const sub_types[] = { "RW", "RW_RAW", "NONE" };

static int set_type(struct vcd_chd *chd, struct vcd_chd_track *t, struct vcd_load *ld)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(track_types); i++) {
		if (!strcmp(t->type, track_types[i].name)) {
			t->mode = track_types[i].mode;
			t->format = track_types[i].format;
			t->datasize = track_types[i].size;
			break;
		}
	}
	if (i == ARRAY_SIZE(track_types))
		return vcd_load_fail(ld, EINVAL, chd->name, "track %u: unknown type \"%s\"",
				     t->number, t->type);
	if (!strcmp(t->subtype, "NONE"))
		t->subsize = 0;
	else if (!strcmp(t->subtype, "RW") || !strcmp(t->subtype, "RW_RAW"))
		t->subsize = VCD_CHD_SUB;
	else
		return vcd_load_fail(ld, EINVAL, chd->name, "track %u: unknown sub-channel type \"%s\"",
				     t->number, t->subtype);
	return 0;
}

/* One track's text metadata: CHT2 (with gaps) or CHTR. */
static int parse_track_text(struct vcd_chd *chd, uint32_t tag, const char *text,
			    struct vcd_chd_track *t, struct vcd_load *ld)
{
	int n;

	if (tag == TAG_CHT2)
		n = sscanf(text, "TRACK:%u TYPE:%15s SUBTYPE:%7s FRAMES:%u PREGAP:%u PGTYPE:%15s PGSUB:%7s POSTGAP:%u",
			   &t->number, t->type, t->subtype, &t->frames, &t->pregap, t->pgtype,
			   t->pgsub, &t->postgap) == 8;
	else
		n = sscanf(text, "TRACK:%u TYPE:%15s SUBTYPE:%7s FRAMES:%u", &t->number, t->type,
			   t->subtype, &t->frames) == 4;
	if (!n)
		return vcd_load_fail(ld, EINVAL, chd->name, "bad %s track metadata \"%.60s\"",
				     tag == TAG_CHT2 ? "CHT2" : "CHTR", text);
	/* a stored pregap is typed "V" and the track's own type: "VAUDIO" */
	t->pregap_stored = t->pgtype[0] == 'V';
	/* chdman pads each track to a multiple of 4 frames */
	t->pad = (4 - t->frames % 4) % 4;
	return set_type(chd, t, ld);
}

/* CHCD (CHD v3/v4): a track count, then 99 tracks of six 32-bit fields. */
static int parse_chcd(struct vcd_chd *chd, const uint8_t *p, uint32_t len, struct vcd_load *ld)
{
	static const char *const types[] = {
		"MODE1", "MODE1_RAW", "MODE2", "MODE2_FORM1", "MODE2_FORM2", "MODE2_FORM_MIX",
		"MODE2_RAW", "AUDIO",
	};
	struct vcd_chd_info *in = &chd->info;
	uint32_t n, type, sub;

	n = len < 4 ? 0 : be(p, 4);
	if (len < 4 || n > VCD_CHD_MAX_TRACKS || len < 4 + 24 * n)
		return vcd_load_fail(ld, EINVAL, chd->name, "bad CHCD track metadata");
	for (uint32_t i = 0; i < n; i++) {
		struct vcd_chd_track *t = &in->tracks[i];
		const uint8_t *q = p + 4 + 24 * i;

		type = be(q, 4);
		sub = be(q + 4, 4);
		if (type >= ARRAY_SIZE(types) || sub >= ARRAY_SIZE(sub_types))
			return vcd_load_fail(ld, EINVAL, chd->name, "CHCD track %u: unknown type",
					     i + 1);
		t->number = i + 1;
		snprintf(t->type, sizeof(t->type), "%s", types[type]);
		snprintf(t->subtype, sizeof(t->subtype), "%s", sub_types[sub]);
		t->frames = be(q + 16, 4);
		t->pad = be(q + 20, 4);		/* "extra frames" */
		if (t->pad > 3)
			return vcd_load_fail(ld, EINVAL, chd->name, "CHCD track %u: %u padding frames",
					     i + 1, t->pad);
		if (set_type(chd, t, ld))
			return -EINVAL;
	}
	in->nr_tracks = n;
	return 0;
}

/* A checksummed metadata entry, as the header's SHA-1 takes it in: tag, then its data's SHA-1. */
struct meta_hash {
	uint8_t tag[4];
	uint8_t sha1[20];
};

static int meta_hash_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct meta_hash));
}

/*
 * The header's SHA-1 is that of the data's SHA-1 and then, sorted, the
 * tag and SHA-1 of each metadata entry flagged for it. 0 when it matches or
 * is not recorded (an uncompressed CHD's).
 */
static int check_sha1(struct vcd_chd *chd, struct meta_hash *hashes, unsigned int n,
		      struct vcd_load *ld)
{
	struct chd_sha1 sha;
	uint8_t digest[20];
	char want[41], got[41];

	if (!memcmp(chd->info.sha1, zero_sha1, 20) || FUZZING)
		return 0;
	qsort(hashes, n, sizeof(*hashes), meta_hash_cmp);
	chd_sha1_init(&sha);
	chd_sha1_update(&sha, chd->info.raw_sha1, 20);
	chd_sha1_update(&sha, hashes, n * sizeof(*hashes));
	chd_sha1_final(&sha, digest);
	if (!memcmp(digest, chd->info.sha1, 20))
		return 0;
	hex(want, chd->info.sha1);
	hex(got, digest);
	return vcd_load_fail(ld, EINVAL, chd->name,
			     "SHA-1 mismatch: the header's of data and metadata is %s, they make %s",
			     want, got);
}

static int read_meta(struct vcd_chd *chd, uint64_t off, struct vcd_load *ld)
{
	struct vcd_chd_info *in = &chd->info;
	uint8_t h[META_HEADER], *data = NULL;
	bool chcd = false, text_tracks = false, track;
	struct meta_hash *hashes;
	unsigned int count = 0, nr_hashes = 0;
	uint32_t tag, len;
	int ret = 0;

	hashes = calloc(MAX_META_ENTRIES, sizeof(*hashes));
	if (!hashes)
		return vcd_load_fail(ld, ENOMEM, chd->name, NULL);
	for (; off; off = be(h + 8, 8)) {
		if (++count > MAX_META_ENTRIES) {
			ret = vcd_load_fail(ld, EINVAL, chd->name, "metadata: over %u entries",
					    MAX_META_ENTRIES);
			break;
		}
		if (off > chd->file_size || chd->file_size - off < META_HEADER ||
		    !pread_all(chd->fd, h, META_HEADER, off)) {
			ret = vcd_load_fail(ld, EINVAL, chd->name,
					    "metadata entry %u is past the end of the file",
					    count);
			break;
		}
		tag = be(h, 4);
		len = be(h + 5, 3);
		if (len > chd->file_size - off - META_HEADER) {
			ret = vcd_load_fail(ld, EINVAL, chd->name,
					    "metadata entry %u runs past the end of the file",
					    count);
			break;
		}
		track = tag == TAG_CHT2 || tag == TAG_CHTR || tag == TAG_CHCD;
		if (track || (h[4] & META_CHECKSUM)) {
			free(data);
			data = malloc(len + 1);
			if (!data) {
				ret = vcd_load_fail(ld, ENOMEM, chd->name, NULL);
				break;
			}
			if (!pread_all(chd->fd, data, len, off + META_HEADER)) {
				ret = vcd_load_fail(ld, EIO, chd->name, "metadata: cannot read");
				break;
			}
			data[len] = 0;
		}
		if (h[4] & META_CHECKSUM) {
			struct chd_sha1 sha;

			memcpy(hashes[nr_hashes].tag, h, 4);
			chd_sha1_init(&sha);
			chd_sha1_update(&sha, data, len);
			chd_sha1_final(&sha, hashes[nr_hashes++].sha1);
		}
		if (tag == TAG_CHGD) {
			ret = vcd_load_fail(ld, EINVAL, chd->name,
					    "is a GD-ROM CHD (Dreamcast): GD-ROMs are not supported");
			break;
		}
		if (tag == TAG_DVD)
			in->kind = VCD_CHD_DVD;
		if (!track)
			continue;
		in->kind = VCD_CHD_CD;
		if (tag == TAG_CHCD) {
			chcd = true;
			ret = parse_chcd(chd, data, len, ld);
		} else if (in->nr_tracks == VCD_CHD_MAX_TRACKS) {
			ret = vcd_load_fail(ld, EINVAL, chd->name, "over 99 tracks");
		} else {
			text_tracks = true;
			ret = parse_track_text(chd, tag, (char *)data, &in->tracks[in->nr_tracks++],
					       ld);
		}
		if (ret)
			break;
	}
	if (!ret)
		ret = check_sha1(chd, hashes, nr_hashes, ld);
	free(hashes);
	free(data);
	if (ret)
		return ret;
	if (chcd && text_tracks)
		return vcd_load_fail(ld, EINVAL, chd->name, "both CHCD and CHT2/CHTR track metadata");
	if (in->kind == VCD_CHD_CD && !in->nr_tracks)
		return vcd_load_fail(ld, EINVAL, chd->name, "a CD without tracks");
	return 0;
}

/* Where each track is in the hunks and in the extracted file; whether the data holds them. */
static int lay_out_tracks(struct vcd_chd *chd, struct vcd_load *ld)
{
	struct vcd_chd_info *in = &chd->info;
	uint64_t frame = 0, out = 0;

	if (in->kind == VCD_CHD_DVD) {
		if (in->nr_tracks)
			return vcd_load_fail(ld, EINVAL, chd->name, "both DVD and CD metadata");
		if (in->unit_bytes != 2048 || in->logical_bytes % 2048)
			return vcd_load_fail(ld, EINVAL, chd->name,
					     "a DVD whose data is no whole number of 2048-byte sectors");
	}
	if (in->kind != VCD_CHD_CD) {
		in->out_bytes = in->logical_bytes;
		return 0;
	}
	if (in->unit_bytes != VCD_CHD_FRAME || in->hunk_bytes % VCD_CHD_FRAME)
		return vcd_load_fail(ld, EINVAL, chd->name,
				     "a CD whose units are %u bytes, hunks %u: not frames of 2448",
				     in->unit_bytes, in->hunk_bytes);
	for (unsigned int i = 0; i < in->nr_tracks; i++) {
		struct vcd_chd_track *t = &in->tracks[i];

		if (t->number != i + 1)
			return vcd_load_fail(ld, EINVAL, chd->name, "track %u where %u should be",
					     t->number, i + 1);
		if (!t->frames || (t->pregap_stored && t->pregap >= t->frames))
			return vcd_load_fail(ld, EINVAL, chd->name,
					     "track %u has no frames after its pregap", t->number);
		if (t->pregap > VCDROM_CD_MAX_LEADOUT || t->postgap > VCDROM_CD_MAX_LEADOUT)
			return vcd_load_fail(ld, EINVAL, chd->name,
					     "track %u: gaps past the end of a CD", t->number);
		t->chd_frame = frame;
		t->out_offset = out;
		frame += t->frames + t->pad;
		out += (uint64_t)t->frames * (t->datasize + t->subsize);
	}
	/* the last track's padding may lie past the data */
	frame -= in->tracks[in->nr_tracks - 1].pad;
	if (frame * VCD_CHD_FRAME > in->logical_bytes)
		return vcd_load_fail(ld, EINVAL, chd->name,
				     "tracks of %llu frames in %llu bytes of data",
				     (unsigned long long)frame,
				     (unsigned long long)in->logical_bytes);
	in->out_bytes = out;
	return 0;
}

/* ---- hunks ---- */

static int hunk_fail(struct vcd_chd *chd, struct vcd_load *ld, uint32_t hunk, int err,
		     const char *why)
{
	char obj[PATH_MAX + 32];

	snprintf(obj, sizeof(obj), "%s: hunk %u", chd->name, hunk);
	return vcd_load_fail(ld, err, obj, "%s", why);
}

/* From the parent: @len bytes at @offset, zeros past its end. */
static int parent_read(struct vcd_chd *chd, uint64_t offset, uint8_t *buf, size_t len,
		       struct vcd_load *ld)
{
	struct vcd_chd *p = chd->parent;
	size_t n = 0;

	if (offset < p->info.logical_bytes)
		n = p->info.logical_bytes - offset < len ? p->info.logical_bytes - offset : len;
	memset(buf + n, 0, len - n);
	return n ? vcd_chd_read_bytes(p, offset, buf, n, ld) : 0;
}

/* Hunk @hunk into @buf, its compressed bytes read into *@cbuf (grown as needed). */
static int read_hunk(struct vcd_chd *chd, uint32_t hunk, uint8_t *buf, uint8_t **cbuf,
		     size_t *cbuf_len, struct vcd_load *ld)
{
	const struct vcd_chd_info *in = &chd->info;
	uint64_t offset;
	uint32_t length;
	const uint8_t *e;
	const char *why;

	if (hunk >= in->nr_hunks)
		return hunk_fail(chd, ld, hunk, EINVAL, "past the last hunk");
	if (!chd->compressed) {
		offset = be(chd->map + 4 * (size_t)hunk, 4) * in->hunk_bytes;
		if (offset) {
			if (!pread_all(chd->fd, buf, in->hunk_bytes, offset))
				return hunk_fail(chd, ld, hunk, EIO, "cannot be read: truncated file");
			return 0;
		}
		if (chd->parent)
			return parent_read(chd, (uint64_t)hunk * in->hunk_bytes, buf,
					   in->hunk_bytes, ld);
		memset(buf, 0, in->hunk_bytes);
		return 0;
	}
	/* a copy of an earlier hunk: the map made sure it is earlier */
	while (entry(chd, hunk)[0] == CHD_SELF)
		hunk = be(entry(chd, hunk) + 4, 6);
	e = entry(chd, hunk);
	length = be(e + 1, 3);
	offset = be(e + 4, 6);
	switch (e[0]) {
	case CHD_PARENT:
		if (!chd->parent)
			return hunk_fail(chd, ld, hunk, EINVAL, "is in the parent CHD, not opened");
		return parent_read(chd, offset * in->unit_bytes, buf, in->hunk_bytes, ld);
	case CHD_NONE:
		if (!pread_all(chd->fd, buf, in->hunk_bytes, offset))
			return hunk_fail(chd, ld, hunk, EIO, "cannot be read: truncated file");
		break;
	default:
		if (length > *cbuf_len) {
			uint8_t *p = realloc(*cbuf, length);

			if (!p)
				return hunk_fail(chd, ld, hunk, ENOMEM, "out of memory");
			*cbuf = p;
			*cbuf_len = length;
		}
		if (!pread_all(chd->fd, *cbuf, length, offset))
			return hunk_fail(chd, ld, hunk, EIO, "cannot be read: truncated file");
		why = chd_codec_decompress(chd->codecs[e[0]], *cbuf, length, buf, in->hunk_bytes);
		if (why)
			return hunk_fail(chd, ld, hunk, EINVAL, why);
		break;
	}
	if (chd_crc16(buf, in->hunk_bytes) != be(e + 10, 2))
		return hunk_fail(chd, ld, hunk, EINVAL, "CRC mismatch");
	return 0;
}

int vcd_chd_read_hunk(struct vcd_chd *chd, uint32_t hunk, uint8_t *buf, struct vcd_load *ld)
{
	return read_hunk(chd, hunk, buf, &chd->cbuf, &chd->cbuf_len, ld);
}

int vcd_chd_read_bytes(struct vcd_chd *chd, uint64_t offset, uint8_t *buf, size_t len,
		       struct vcd_load *ld)
{
	const struct vcd_chd_info *in = &chd->info;
	uint64_t hunk;
	size_t at, n;
	int ret;

	if (offset > in->logical_bytes || len > in->logical_bytes - offset)
		return vcd_load_fail(ld, EINVAL, chd->name, "a read past the end of its data");
	while (len) {
		hunk = offset / in->hunk_bytes;
		at = offset % in->hunk_bytes;
		n = in->hunk_bytes - at < len ? in->hunk_bytes - at : len;
		if (chd->hunk_nr != (int64_t)hunk) {
			chd->hunk_nr = -1;
			ret = vcd_chd_read_hunk(chd, hunk, chd->hunk, ld);
			if (ret)
				return ret;
			chd->hunk_nr = hunk;
		}
		memcpy(buf, chd->hunk + at, n);
		buf += n;
		offset += n;
		len -= n;
	}
	return 0;
}

/* ---- opening ---- */

int vcd_chd_open(int fd, const char *name, struct vcd_chd *parent, struct vcd_load *ld,
		 struct vcd_chd **chdp)
{
	struct vcd_chd *chd;
	struct stat st;
	char want[41], got[41];
	int ret;

	*chdp = NULL;
	chd = calloc(1, sizeof(*chd));
	if (!chd)
		return vcd_load_fail(ld, ENOMEM, name, NULL);
	chd->fd = fd;
	chd->hunk_nr = -1;
	snprintf(chd->name, sizeof(chd->name), "%s", name);
	if (fstat(fd, &st)) {
		ret = vcd_load_fail(ld, errno, name, NULL);
		goto fail;
	}
	chd->file_size = st.st_size;
	ret = read_header(chd, ld);
	if (ret)
		goto fail;
	if (chd->info.has_parent) {
		hex(want, chd->info.parent_sha1);
		ret = -EINVAL;
		if (!parent) {
			vcd_load_fail(ld, ENOENT, name, "needs its parent CHD, with SHA-1 %s",
				      want);
			goto fail;
		}
		if (memcmp(parent->info.sha1, chd->info.parent_sha1, 20)) {
			hex(got, parent->info.sha1);
			vcd_load_fail(ld, EINVAL, name,
				      "needs a parent CHD with SHA-1 %s; %s has %s", want,
				      parent->name, got);
			goto fail;
		}
		if (parent->info.unit_bytes != chd->info.unit_bytes) {
			vcd_load_fail(ld, EINVAL, name, "its parent %s has units of %u bytes, not %u",
				      parent->name, parent->info.unit_bytes, chd->info.unit_bytes);
			goto fail;
		}
		chd->parent = parent;
	}
	chd->hunk = malloc(chd->info.hunk_bytes);
	if (!chd->hunk) {
		ret = vcd_load_fail(ld, ENOMEM, name, NULL);
		goto fail;
	}
	ret = chd->compressed ? read_map_v5(chd, chd->map_offset, ld) :
				read_map_raw(chd, chd->map_offset, ld);
	if (!ret)
		ret = read_meta(chd, chd->meta_offset, ld);
	if (!ret)
		ret = lay_out_tracks(chd, ld);
	if (ret)
		goto fail;
	*chdp = chd;
	return 0;
fail:
	chd->parent = NULL;
	vcd_chd_close(chd);
	return ret;
}

void vcd_chd_close(struct vcd_chd *chd)
{
	if (!chd)
		return;
	if (chd->own_parent)
		vcd_chd_close(chd->parent);
	if (chd->own_fd)
		close(chd->fd);
	free(chd->map);
	free(chd->cbuf);
	free(chd->hunk);
	free(chd);
}

const struct vcd_chd_info *vcd_chd_info(const struct vcd_chd *chd)
{
	return &chd->info;
}

/* The header's SHA-1 of the CHD at @path: 0, -errno, or -EMEDIUMTYPE for no v5 CHD. */
static int header_sha1(const char *path, uint8_t sha1[20])
{
	uint8_t h[VCD_CHD_HEADER_V5];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	bool ok;

	if (fd < 0)
		return -errno;
	ok = pread_all(fd, h, sizeof(h), 0) && !memcmp(h, "MComprHD", 8) && be(h + 12, 4) == 5;
	close(fd);
	if (!ok)
		return -EMEDIUMTYPE;
	memcpy(sha1, h + 84, 20);
	return 0;
}

/* The CHD beside @path whose SHA-1 is @sha1, in @buf. */
static bool find_parent(const char *path, const uint8_t *sha1, char *buf, size_t size)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct dirent *de;
	uint8_t got[20];
	bool found = false;
	size_t n;
	DIR *d;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + 1 : 1,
		 slash ? path : ".");
	d = opendir(dir);
	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		n = strlen(de->d_name);
		if (n < 5 || strcasecmp(de->d_name + n - 4, ".chd"))
			continue;
		if (snprintf(buf, size, "%s%s%s", dir, slash ? "" : "/", de->d_name) >= (int)size)
			continue;
		found = !header_sha1(buf, got) && !memcmp(got, sha1, 20);
	}
	closedir(d);
	return found;
}

/*
 * Of the parents given (@parents), the one whose SHA-1 is @sha1: 1 with it
 * in *@found; 0 when none is, @why then saying what each has; -errno (@ld
 * says why) for one that is no v5 CHD.
 */
static int given_parent(const char *const *parents, unsigned int nr, const uint8_t *sha1,
			const char **found, char *why, size_t size, struct vcd_load *ld)
{
	uint8_t got[20];
	char hx[41];
	size_t n = 0;
	int ret;

	for (unsigned int i = 0; i < nr; i++) {
		ret = header_sha1(parents[i], got);
		if (ret == -EMEDIUMTYPE)
			return vcd_load_fail(ld, EINVAL, parents[i],
					     "is not a CHD (v5), so no parent (--parent)");
		if (ret)
			return vcd_load_fail(ld, -ret, parents[i], "%s (--parent)",
					     strerror(-ret));
		if (!memcmp(got, sha1, 20)) {
			*found = parents[i];
			return 1;
		}
		hex(hx, got);
		if (n < size)
			n += snprintf(why + n, size - n, "%s%s has %s", n ? ", " : "", parents[i],
				      hx);
	}
	return 0;
}

static int open_path(const char *path, const char *const *parents, unsigned int nr_parents,
		     unsigned int depth, struct vcd_load *ld, struct vcd_chd **chdp)
{
	struct vcd_chd *parent = NULL;
	char found[PATH_MAX], want[41], why[200];
	const char *parent_path = NULL;
	uint8_t h[VCD_CHD_HEADER_V5];
	bool child;
	int fd, ret;

	*chdp = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return vcd_load_fail(ld, errno, path, NULL);
	/* a child: its parent first */
	child = pread_all(fd, h, sizeof(h), 0) && !memcmp(h, "MComprHD", 8) &&
		be(h + 12, 4) == 5 && memcmp(h + 104, zero_sha1, 20);
	if (child) {
		hex(want, h + 104);
		if (depth >= MAX_PARENTS) {
			close(fd);
			return vcd_load_fail(ld, ELOOP, path, "over %u parent CHDs deep",
					     MAX_PARENTS);
		}
		ret = given_parent(parents, nr_parents, h + 104, &parent_path, why, sizeof(why),
				   ld);
		if (ret < 0) {
			close(fd);
			return ret;
		}
		/* the image's own parent must be one given; a parent's may be beside it */
		if (!ret && nr_parents && !depth) {
			close(fd);
			return vcd_load_fail(ld, EINVAL, path,
					     "needs a parent CHD with SHA-1 %s; --parent %s", want,
					     why);
		}
		if (!ret && !find_parent(path, h + 104, found, sizeof(found))) {
			close(fd);
			return vcd_load_fail(ld, ENOENT, path,
					     "needs its parent CHD, with SHA-1 %s: none beside it (--parent)",
					     want);
		}
		if (!ret)
			parent_path = found;
		ret = open_path(parent_path, parents, nr_parents, depth + 1, ld, &parent);
		if (ret) {
			close(fd);
			return ret;
		}
	}
	ret = vcd_chd_open(fd, path, parent, ld, chdp);
	if (ret) {
		vcd_chd_close(parent);
		close(fd);
		return ret;
	}
	(*chdp)->own_fd = true;
	(*chdp)->own_parent = parent;
	return 0;
}

int vcd_chd_open_path(const char *path, const char *const *parents, unsigned int nr_parents,
		      struct vcd_load *ld, struct vcd_chd **chdp)
{
	return open_path(path, parents, nr_parents, 0, ld, chdp);
}

/* ---- whole-data passes ---- */

/* Told each hunk in order: @len logical bytes of it at @data. */
typedef int (*hunk_fn)(void *arg, uint32_t hunk, uint8_t *data, size_t len);

/*
 * Hunks decompressed ahead by worker threads, into a ring of slots: hunk i
 * goes to slot i % nr_slots, and is claimed only once hunk i - nr_slots is
 * consumed. The caller's thread consumes them in order.
 */
#define MAX_WORKERS		8
#define SLOTS_PER_WORKER	8

struct hunk_slot {
	uint8_t *buf;
	int state;			/* 0: being decoded (or free), 1: ready, < 0: -errno */
	struct vcd_load ld;		/* why it failed */
};

struct hunk_pool {
	struct vcd_chd *chd;
	pthread_mutex_t lock;		/* protects the rest, and each slot's state */
	pthread_cond_t cond;		/* a slot ready, one consumed, or stop */
	uint32_t next;			/* the next hunk to claim */
	uint32_t consumed;		/* hunks the consumer is done with */
	bool stop;
	unsigned int nr_slots;
	struct hunk_slot *slots;
};

static void *hunk_worker(void *arg)
{
	struct hunk_pool *p = arg;
	uint8_t *cbuf = NULL;
	size_t cbuf_len = 0;
	struct hunk_slot *sl;
	uint32_t i;
	int ret;

	pthread_mutex_lock(&p->lock);
	while (!p->stop && p->next < p->chd->info.nr_hunks) {
		if (p->next >= p->consumed + p->nr_slots) {
			pthread_cond_wait(&p->cond, &p->lock);
			continue;
		}
		i = p->next++;
		sl = &p->slots[i % p->nr_slots];
		pthread_mutex_unlock(&p->lock);
		ret = read_hunk(p->chd, i, sl->buf, &cbuf, &cbuf_len, &sl->ld);
		pthread_mutex_lock(&p->lock);
		sl->state = ret ? ret : 1;
		pthread_cond_broadcast(&p->cond);
	}
	pthread_mutex_unlock(&p->lock);
	free(cbuf);
	return NULL;
}

/* Workers for @chd: one a CPU it may run on; 0: it reads alone (a parent's hunks are shared). */
static unsigned int nr_workers(const struct vcd_chd *chd)
{
	cpu_set_t cpus;
	int n = 1;

	if (!sched_getaffinity(0, sizeof(cpus), &cpus))
		n = CPU_COUNT(&cpus);
	if (!chd->compressed || chd->parent || chd->info.nr_hunks < 2 || n < 2 || FUZZING)
		return 0;
	return n > MAX_WORKERS ? MAX_WORKERS : n;
}

/* Every hunk in order, from @nr workers, to @fn and into @sha. */
static int each_hunk_threads(struct vcd_chd *chd, unsigned int nr, hunk_fn fn, void *arg,
			     struct chd_sha1 *sha, struct vcd_load *ld)
{
	const struct vcd_chd_info *in = &chd->info;
	struct hunk_pool p = { .chd = chd, .nr_slots = nr * SLOTS_PER_WORKER };
	pthread_t threads[MAX_WORKERS];
	uint64_t left = in->logical_bytes;
	unsigned int started = 0, i;
	struct hunk_slot *sl;
	size_t n;
	int ret = 0;

	p.slots = calloc(p.nr_slots, sizeof(*p.slots));
	if (!p.slots)
		return vcd_load_fail(ld, ENOMEM, chd->name, NULL);
	for (i = 0; i < p.nr_slots; i++) {
		p.slots[i].buf = malloc(in->hunk_bytes);
		if (!p.slots[i].buf) {
			ret = vcd_load_fail(ld, ENOMEM, chd->name, NULL);
			goto out_free;
		}
	}
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cond, NULL);
	for (; started < nr; started++)
		if (pthread_create(&threads[started], NULL, hunk_worker, &p))
			break;
	if (!started) {
		ret = vcd_load_fail(ld, EAGAIN, chd->name, "cannot start a thread");
		goto out_destroy;
	}
	for (uint32_t h = 0; h < in->nr_hunks; h++, left -= n) {
		sl = &p.slots[h % p.nr_slots];
		pthread_mutex_lock(&p.lock);
		while (!sl->state)
			pthread_cond_wait(&p.cond, &p.lock);
		pthread_mutex_unlock(&p.lock);
		if (sl->state < 0) {
			ret = sl->state;
			ld->err = sl->ld.err;
			memcpy(ld->object, sl->ld.object, sizeof(ld->object));
			memcpy(ld->reason, sl->ld.reason, sizeof(ld->reason));
			break;
		}
		n = left < in->hunk_bytes ? left : in->hunk_bytes;
		chd_sha1_update(sha, sl->buf, n);
		ret = fn ? fn(arg, h, sl->buf, n) : 0;
		if (ret)
			break;
		pthread_mutex_lock(&p.lock);
		sl->state = 0;
		p.consumed = h + 1;
		pthread_cond_broadcast(&p.cond);
		pthread_mutex_unlock(&p.lock);
	}
	pthread_mutex_lock(&p.lock);
	p.stop = true;
	pthread_cond_broadcast(&p.cond);
	pthread_mutex_unlock(&p.lock);
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
out_destroy:
	pthread_cond_destroy(&p.cond);
	pthread_mutex_destroy(&p.lock);
out_free:
	for (i = 0; i < p.nr_slots; i++)
		free(p.slots[i].buf);
	free(p.slots);
	return ret;
}

/* Every hunk in order, read here, to @fn and into @sha. */
static int each_hunk_alone(struct vcd_chd *chd, hunk_fn fn, void *arg, struct chd_sha1 *sha,
			   struct vcd_load *ld)
{
	const struct vcd_chd_info *in = &chd->info;
	uint64_t left = in->logical_bytes;
	size_t n;
	int ret;

	for (uint32_t i = 0; i < in->nr_hunks; i++, left -= n) {
		chd->hunk_nr = -1;
		ret = vcd_chd_read_hunk(chd, i, chd->hunk, ld);
		if (ret)
			return ret;
		n = left < in->hunk_bytes ? left : in->hunk_bytes;
		chd_sha1_update(sha, chd->hunk, n);
		ret = fn ? fn(arg, i, chd->hunk, n) : 0;
		if (ret)
			return ret;
	}
	return 0;
}

/* Every hunk in order, its logical bytes to @fn; the data's SHA-1 checked at the end. */
static int each_hunk(struct vcd_chd *chd, hunk_fn fn, void *arg, struct vcd_load *ld)
{
	const struct vcd_chd_info *in = &chd->info;
	unsigned int workers = nr_workers(chd);
	struct chd_sha1 sha;
	uint8_t digest[20];
	char want[41], got[41];
	int ret;

	chd_sha1_init(&sha);
	if (workers)
		ret = each_hunk_threads(chd, workers, fn, arg, &sha, ld);
	else
		ret = each_hunk_alone(chd, fn, arg, &sha, ld);
	if (ret)
		return ret;
	chd_sha1_final(&sha, digest);
	/* chdman records no SHA-1 in an uncompressed CHD */
	if ((!chd->compressed && !memcmp(in->raw_sha1, zero_sha1, 20)) || FUZZING)
		return 0;
	if (memcmp(digest, in->raw_sha1, 20)) {
		hex(want, in->raw_sha1);
		hex(got, digest);
		return vcd_load_fail(ld, EINVAL, chd->name,
				     "SHA-1 mismatch: the data's is %s, the header says %s", got,
				     want);
	}
	return 0;
}

int vcd_chd_verify(struct vcd_chd *chd, struct vcd_load *ld)
{
	return each_hunk(chd, NULL, NULL, ld);
}

struct extract {
	struct vcd_chd *chd;
	struct vcd_load *ld;
	int fd;
	vcd_chd_progress_fn progress;
	void *arg;
	uint64_t frame;			/* the next frame of the hunks */
	unsigned int track;		/* the track it is in, or past */
	uint64_t done;
	uint8_t *buf;
	size_t len;			/* in buf */
};

#define OUT_BUF		0x100000

static int flush(struct extract *x)
{
	size_t off = 0;
	ssize_t n;

	while (off < x->len) {
		n = write(x->fd, x->buf + off, x->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return vcd_load_fail(x->ld, errno, x->chd->name, "cannot write: %s",
					     strerror(errno));
		off += n;
	}
	x->done += x->len;
	x->len = 0;
	if (x->progress && x->progress(x->done, x->chd->info.out_bytes, x->arg))
		return vcd_load_fail(x->ld, ECANCELED, x->chd->name, "extraction stopped");
	return 0;
}

static int put(struct extract *x, const uint8_t *p, size_t len, bool swap)
{
	int ret;

	while (len) {
		size_t n = OUT_BUF - x->len < len ? OUT_BUF - x->len : len;

		memcpy(x->buf + x->len, p, n);
		/* audio: the CHD's big-endian samples little-endian */
		for (size_t i = 0; swap && i + 1 < n; i += 2) {
			uint8_t t = x->buf[x->len + i];

			x->buf[x->len + i] = x->buf[x->len + i + 1];
			x->buf[x->len + i + 1] = t;
		}
		x->len += n;
		p += n;
		len -= n;
		if (x->len == OUT_BUF) {
			ret = flush(x);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int extract_hunk(void *arg, uint32_t hunk, uint8_t *data, size_t len)
{
	struct extract *x = arg;
	const struct vcd_chd_info *in = &x->chd->info;
	const struct vcd_chd_track *t;
	int ret;

	(void)hunk;
	if (in->kind != VCD_CHD_CD)
		return put(x, data, len, false);
	for (size_t f = 0; f + VCD_CHD_FRAME <= len; f += VCD_CHD_FRAME, x->frame++) {
		while (x->track < in->nr_tracks &&
		       x->frame >= in->tracks[x->track].chd_frame + in->tracks[x->track].frames +
				   in->tracks[x->track].pad)
			x->track++;
		if (x->track == in->nr_tracks)
			return 0;
		t = &in->tracks[x->track];
		/* padding frames are not the disc's */
		if (x->frame >= t->chd_frame + t->frames)
			continue;
		ret = put(x, data + f, t->datasize, t->mode == VCDROM_TRACK_AUDIO);
		if (!ret && t->subsize)
			ret = put(x, data + f + VCD_CHD_SECTOR, t->subsize, false);
		if (ret)
			return ret;
	}
	return 0;
}

int vcd_chd_extract(struct vcd_chd *chd, int out_fd, vcd_chd_progress_fn progress, void *arg,
		    struct vcd_load *ld)
{
	struct extract x = {
		.chd = chd, .ld = ld, .fd = out_fd, .progress = progress, .arg = arg,
	};
	int ret;

	x.buf = malloc(OUT_BUF);
	if (!x.buf)
		return vcd_load_fail(ld, ENOMEM, chd->name, NULL);
	ret = each_hunk(chd, extract_hunk, &x, ld);
	if (!ret)
		ret = flush(&x);
	if (!ret && x.done != chd->info.out_bytes)
		ret = vcd_load_fail(ld, EINVAL, chd->name, "its tracks need more data than it holds");
	free(x.buf);
	return ret;
}

/* ---- the disc ---- */

int vcd_chd_fill_disc(const struct vcd_chd_info *in, int fd, const char *path, uint64_t size,
		      struct vcd_disc *disc, struct vcd_load *ld)
{
	struct vcd_session *vs;
	struct vcd_track *vt;
	struct vcd_extent *e;
	uint32_t lba = 0, stored;
	bool dvd = false;
	int file;

	file = vcd_disc_add_file(disc, fd, path, size);
	if (file < 0)
		return vcd_load_fail(ld, -file, path, NULL);
	if (size != in->out_bytes)
		return vcd_load_fail(ld, EINVAL, path, "%llu bytes, the CHD's sectors are %llu",
				     (unsigned long long)size, (unsigned long long)in->out_bytes);
	vs = vcd_disc_add_session(disc);
	if (!vs)
		return vcd_load_fail(ld, ENOMEM, path, NULL);
	/*
	 * A DVD image through chdman createcd (before createdvd was): one MODE1
	 * track of 2048-byte sectors, longer than a CD. It is a DVD.
	 */
	if (in->kind == VCD_CHD_CD && in->nr_tracks == 1 && in->tracks[0].datasize == 2048 &&
	    in->tracks[0].mode == VCDROM_TRACK_MODE1 && !in->tracks[0].subsize &&
	    in->tracks[0].frames > VCDROM_CD_MAX_LEADOUT)
		dvd = true;
	if (in->kind != VCD_CHD_CD || dvd) {
		if ((in->kind != VCD_CHD_DVD && !dvd) || size % 2048 || size / 2048 > UINT32_MAX)
			return vcd_load_fail(ld, EINVAL, path,
					     "is neither a CD nor a DVD of 2048-byte sectors");
		vt = vcd_session_add_track(vs);
		e = vt ? vcd_add_extent(vt, &lba, size / 2048, VCDROM_SECTOR_COOKED_2048) : NULL;
		if (!e)
			return vcd_load_fail(ld, ENOMEM, path, NULL);
		vt->number = 1;
		vt->mode = VCDROM_TRACK_MODE1;
		e->file = file;
		disc->medium = VCDROM_MEDIUM_DVD;
		return 0;
	}
	for (unsigned int i = 0; i < in->nr_tracks; i++) {
		const struct vcd_chd_track *t = &in->tracks[i];
		uint32_t format = t->format;

		if (t->subsize && (t->datasize != VCD_CHD_SECTOR || strcmp(t->subtype, "RW_RAW")))
			return vcd_load_fail(ld, EINVAL, path,
					     "track %u: sub-channel %s with %u-byte sectors is not supported",
					     t->number, t->subtype, t->datasize);
		if (t->subsize)
			format = VCDROM_SECTOR_RAW_PW;
		vt = vcd_session_add_track(vs);
		if (!vt)
			return vcd_load_fail(ld, ENOMEM, path, NULL);
		vt->number = t->number;
		vt->mode = t->mode;
		/*
		 * A pregap not stored, track 1's too: chdman writes PREGAP:150 for a
		 * cue sheet's PREGAP 00:02:00 before track 1, which puts index 1 at
		 * LBA 150 as our cue loader, cdrdao and MAME's own reader do.
		 */
		if (!t->pregap_stored && t->pregap &&
		    !vcd_add_extent(vt, &lba, t->pregap, VCDROM_SECTOR_ZERO))
			return vcd_load_fail(ld, ENOMEM, path, NULL);
		stored = lba;
		e = vcd_add_extent(vt, &lba, t->frames, format);
		if (!e)
			return vcd_load_fail(ld, ENOMEM, path, NULL);
		e->file = file;
		e->offset = t->out_offset;
		if (t->subsize)
			e->sub_format = VCDROM_SUB_PW;
		vt->start = stored + (t->pregap_stored ? t->pregap : 0);
		if (t->postgap && !vcd_add_extent(vt, &lba, t->postgap, VCDROM_SECTOR_ZERO))
			return vcd_load_fail(ld, ENOMEM, path, NULL);
		if (lba > VCDROM_CD_MAX_LEADOUT)
			return vcd_load_fail(ld, EINVAL, path,
					     "track %u ends past 99:59:74, the end of a CD",
					     t->number);
	}
	disc->medium = VCDROM_MEDIUM_CD;
	return 0;
}
