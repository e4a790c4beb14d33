// SPDX-License-Identifier: GPL-2.0
/*
 * The MCN and ISRCs a stored sub-channel carries. A drive reads them from Q
 * (ADR 2: the catalog number; ADR 3: the track's ISRC), which Red Book puts
 * in at least one frame of every hundred; an image whose sheet does not name
 * them (MDS 1.x never does) still has them there.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"

#define SUB		96
#define RAW_PW		2448

static uint16_t crc_q(const uint8_t *p)
{
	uint16_t crc = 0;
	unsigned int i, b;

	for (i = 0; i < 10; i++) {
		crc ^= p[i] << 8;
		for (b = 0; b < 8; b++)
			crc = (crc << 1) ^ ((crc & 0x8000) ? 0x1021 : 0);
	}
	return ~crc;
}

/* Q of the sector at @lba of @e, CRC checked; false when unreadable or damaged. */
static bool read_q(const struct vcd_disc *disc, const struct vcd_extent *e, uint32_t lba,
		   uint8_t *q)
{
	uint8_t sub[SUB];
	unsigned int i;
	uint64_t at;
	int fd;

	if (e->sub_in_file) {
		fd = disc->files[e->sub_file].fd;
		at = e->sub_offset + (uint64_t)(lba - e->start) * SUB;
	} else {
		fd = disc->files[e->file].fd;
		at = e->offset + (uint64_t)(lba - e->start) * RAW_PW + 2352;
	}
	if (pread(fd, sub, SUB, at) != SUB)
		return false;
	if (e->sub_format == VCDROM_SUB_PW_LINEAR) {
		memcpy(q, sub + 12, 12);
	} else {
		memset(q, 0, 12);
		for (i = 0; i < SUB; i++)
			q[i / 8] |= ((sub[i] >> 6) & 1) << (7 - i % 8);
	}
	return ((q[10] << 8) | q[11]) == crc_q(q);
}

/* 13 BCD digits; false if one is not a digit or all are zero (no MCN). */
static bool q_mcn(const uint8_t *q, char *mcn)
{
	unsigned int i, d;
	bool zero = true;

	for (i = 0; i < VCDROM_MCN_LEN; i++) {
		d = (q[1 + i / 2] >> (i % 2 ? 0 : 4)) & 0x0f;
		if (d > 9)
			return false;
		zero &= !d;
		mcn[i] = '0' + d;
	}
	mcn[i] = '\0';
	return !zero;
}

/* Five 6-bit characters (0-9: 0x00-0x09, A-Z: 0x11-0x2a), then seven BCD digits. */
static bool q_isrc(const uint8_t *q, char *isrc)
{
	uint32_t v = (uint32_t)q[1] << 24 | (uint32_t)q[2] << 16 | q[3] << 8 | q[4];
	unsigned int i, c, d;

	for (i = 0; i < 5; i++) {
		c = (v >> (26 - 6 * i)) & 0x3f;
		if (c <= 9)
			isrc[i] = '0' + c;
		else if (c >= 0x11 && c <= 0x2a)
			isrc[i] = 'A' + c - 0x11;
		else
			return false;
	}
	for (i = 0; i < 7; i++) {
		d = (q[5 + i / 2] >> (i % 2 ? 0 : 4)) & 0x0f;
		if (d > 9)
			return false;
		isrc[5 + i] = '0' + d;
	}
	isrc[12] = '\0';
	return true;
}

/* The extent of @t that holds @lba, or NULL. */
static const struct vcd_extent *extent_at(const struct vcd_track *t, uint32_t lba)
{
	unsigned int x;

	for (x = 0; x < t->nr_extents; x++)
		if (lba >= t->extents[x].start && lba - t->extents[x].start < t->extents[x].length)
			return &t->extents[x];
	return NULL;
}

void vcd_disc_codes_from_sub(struct vcd_disc *disc)
{
	const struct vcd_extent *e;
	struct vcd_track *t;
	unsigned int s, n;
	uint32_t lba;
	char code[VCDROM_MCN_LEN + 1];
	uint8_t q[12];

	for (s = 0; s < disc->nr_sessions; s++) {
		for (n = 0; n < disc->sessions[s].nr_tracks; n++) {
			t = &disc->sessions[s].tracks[n];
			for (lba = t->start; lba - t->start < VCD_SUB_SCAN; lba++) {
				if (t->isrc[0] && disc->mcn[0])
					break;
				e = extent_at(t, lba);
				if (!e)
					break;
				if (e->sub_format == VCDROM_SUB_NONE || !read_q(disc, e, lba, q))
					continue;
				if ((q[0] & 0x0f) == 2 && !disc->mcn[0] && q_mcn(q, code))
					memcpy(disc->mcn, code, sizeof(disc->mcn));
				if ((q[0] & 0x0f) == 3 && !t->isrc[0] && q_isrc(q, code))
					memcpy(t->isrc, code, sizeof(t->isrc));
			}
		}
	}
}
