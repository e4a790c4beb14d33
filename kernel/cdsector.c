// SPDX-License-Identifier: GPL-2.0
/*
 * vcdrom: CD sectors and subchannel made up from the layout (ECMA-130).
 * The sync pattern, headers, XA subheaders, the EDC (a CRC-32) and the
 * RSPC P and Q parity of data sectors an image stores without them; the Q
 * subchannel of any sector, and P-W as a drive returns it raw.
 */
#include <linux/bcd.h>
#include <linux/cdrom.h>
#include <linux/string.h>

#include "vcdrom.h"

/* EDC: CRC-32 of x^32 + x^31 + x^16 + x^15 + x^4 + x^3 + x + 1, LSB first. */
#define EDC_POLY_REFLECTED	0xd8018001

static u32 edc_table[8][256];		/* [k][b]: b followed by k zero bytes */

/* GF(2^8) over x^8 + x^4 + x^3 + x^2 + 1: times alpha, and divided by (1 + alpha). */
static u8 gf_mul_alpha[256];
static u8 gf_div_1_alpha[256];

/* ECMA-130 annex B: what bytes 12-2351 of a data sector are XORed with on the disc. */
static u8 scramble_table[VCDROM_CD_SECTOR - 12];

void vcdrom_cd_init(void)
{
	unsigned int i, j, reg;

	for (i = 0; i < 256; i++) {
		u32 crc = i;

		for (j = 0; j < 8; j++)
			crc = (crc >> 1) ^ ((crc & 1) ? EDC_POLY_REFLECTED : 0);
		edc_table[0][i] = crc;
	}
	for (j = 1; j < 8; j++)
		for (i = 0; i < 256; i++)
			edc_table[j][i] = (edc_table[j - 1][i] >> 8) ^
					  edc_table[0][edc_table[j - 1][i] & 0xff];
	for (i = 0; i < 256; i++) {
		u8 a = (i << 1) ^ ((i & 0x80) ? 0x1d : 0);

		gf_mul_alpha[i] = a;
		/* x * (1 + alpha) = x ^ x * alpha: invert that map. */
		gf_div_1_alpha[i ^ a] = i;
	}
	/* x^15 + x + 1, from 0x0001, least significant bit first. */
	for (i = 0, reg = 1; i < ARRAY_SIZE(scramble_table); i++) {
		u8 b = 0;

		for (j = 0; j < 8; j++) {
			b |= (reg & 1) << j;
			reg = (reg >> 1) | (((reg ^ (reg >> 1)) & 1) << 14);
		}
		scramble_table[i] = b;
	}
}

/* Unscramble (or scramble: the same XOR) a whole data sector; its sync is not scrambled. */
void vcdrom_cd_unscramble(u8 *sector)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(scramble_table); i++)
		sector[12 + i] ^= scramble_table[i];
}

/* Eight bytes a step (slicing-by-8), then the rest a byte at a time. */
static u32 cd_edc(const u8 *p, size_t len)
{
	u32 crc = 0, a, b;

	for (; len >= 8; len -= 8, p += 8) {
		a = get_unaligned_le32(p) ^ crc;
		b = get_unaligned_le32(p + 4);
		crc = edc_table[7][a & 0xff] ^ edc_table[6][(a >> 8) & 0xff] ^
		      edc_table[5][(a >> 16) & 0xff] ^ edc_table[4][a >> 24] ^
		      edc_table[3][b & 0xff] ^ edc_table[2][(b >> 8) & 0xff] ^
		      edc_table[1][(b >> 16) & 0xff] ^ edc_table[0][b >> 24];
	}
	while (len--)
		crc = (crc >> 8) ^ edc_table[0][(crc ^ *p++) & 0xff];
	return crc;
}

/* CRC-16 of x^16 + x^12 + x^5 + 1, MSB first, from 0 (the Q subchannel's, before inversion). */
static u16 crc_ccitt(const u8 *p, size_t len)
{
	u16 crc = 0;
	unsigned int i;

	while (len--) {
		crc ^= *p++ << 8;
		for (i = 0; i < 8; i++)
			crc = (crc << 1) ^ ((crc & 0x8000) ? 0x1021 : 0);
	}
	return crc;
}

static u8 bcd(unsigned int v)
{
	return ((v / 10) << 4) | (v % 10);
}

static void put_msf_bcd(u8 *p, u32 frames)
{
	p[0] = bcd(frames / (CD_SECS * CD_FRAMES));
	p[1] = bcd((frames / CD_FRAMES) % CD_SECS);
	p[2] = bcd(frames % CD_FRAMES);
}

/*
 * RSPC over the 2340 bytes from the header on, seen as 1170 16-bit words in
 * two planes (the even bytes, then the odd ones) of 26 rows of 43 words
 * (ECMA-130 annex A). Each codeword of n data symbols d[i] and two parity
 * symbols p0, p1 satisfies sum c[i] = 0 and sum c[i] alpha^(n+1-i) = 0;
 * with s the sum of the data and h their Horner sum times alpha,
 * p0 = (h * alpha + s) / (1 + alpha) and p1 = s + p0.
 *
 * All codewords of P (or Q) at once, eight bytes in a u64: P's codeword j
 * is byte j of each 86-byte row; Q's codeword 2v + plane takes from column
 * i the word of row (v + i) mod 26, so column i, rotated by i rows, is the
 * i-th symbol of all 52 of them.
 */

/* Times alpha, in each byte of @x. */
static inline u64 gf_mul_alpha8(u64 x)
{
	u64 high = x & 0x8080808080808080ULL;

	return ((x & 0x7f7f7f7f7f7f7f7fULL) << 1) ^ ((high >> 7) * 0x1d);
}

/* Parity of @n codewords from their sums @s and Horner sums @h: p0s, then p1s. */
static void rspc_parity(const u64 *s, const u64 *h, unsigned int n, u8 *parity)
{
	unsigned int j;

	for (j = 0; j < n; j++) {
		u8 sj = s[j / 8] >> (8 * (j % 8)), hj = h[j / 8] >> (8 * (j % 8));
		u8 p0 = gf_div_1_alpha[gf_mul_alpha[hj] ^ sj];

		parity[j] = p0;
		parity[n + j] = p0 ^ sj;
	}
}

/* P then Q parity of a sector whose bytes 12-2075 are final; mode 2 zeroes its header. */
static void cd_ecc(u8 *sector, bool zero_header)
{
	u8 *w = sector + 12, header[4];
	u64 s[11] = {}, h[11] = {}, d;
	unsigned int r, k, i, v;
	__le16 col[28] = {};		/* 26 rows, then zeros to a whole u64 */

	if (zero_header) {
		memcpy(header, w, 4);
		memset(w, 0, 4);
	}
	/* P: 86 codewords, rows 0-23; a row's last u64 reads 2 bytes past it, unused. */
	for (r = 0; r < 24; r++) {
		for (k = 0; k < 11; k++) {
			d = get_unaligned_le64(w + 86 * r + 8 * k);
			s[k] ^= d;
			h[k] = gf_mul_alpha8(h[k] ^ d);
		}
	}
	rspc_parity(s, h, 86, sector + 2076);
	/* Q: 52 codewords through rows 0-25 (24 and 25 are P's parity). */
	memset(s, 0, sizeof(s));
	memset(h, 0, sizeof(h));
	for (i = 0; i < 43; i++) {
		v = (26 - i % 26) % 26;
		for (r = 0; r < 26; r++) {
			col[v] = get_unaligned((__le16 *)(w + 86 * r + 2 * i));
			if (++v == 26)
				v = 0;
		}
		for (k = 0; k < 7; k++) {
			d = get_unaligned_le64((u8 *)col + 8 * k);
			s[k] ^= d;
			h[k] = gf_mul_alpha8(h[k] ^ d);
		}
	}
	rspc_parity(s, h, 52, sector + 2248);
	if (zero_header)
		memcpy(w, header, 4);
}

static const u8 cd_sync[12] = {
	0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00,
};

/* Sync and header of the sector at @lba, in @mode (0-2). */
void vcdrom_cd_sync_header(u8 *sector, u32 lba, u8 mode)
{
	memcpy(sector, cd_sync, sizeof(cd_sync));
	put_msf_bcd(sector + 12, lba + CD_MSF_OFFSET);
	sector[15] = mode;
}

/* An XA subheader, written twice: file 0, channel 0, data (form 1) or form 2. */
void vcdrom_cd_subheader(u8 *sector, bool form2)
{
	u8 *p = sector + 16;

	memset(p, 0, 8);
	p[2] = form2 ? 0x20 : 0x08;
	p[6] = p[2];
}

/*
 * Complete a data sector whose user data (and XA subheader) are in place:
 * sync, header, then EDC and ECC as @kind has them, unless @edc_ecc is
 * false (nobody will read them).
 */
void vcdrom_cd_encode(u8 *sector, u32 lba, enum vcdrom_cd_kind kind, bool edc_ecc)
{
	vcdrom_cd_sync_header(sector, lba, kind == VCDROM_CD_MODE1 ? 1 : 2);
	if (!edc_ecc)
		return;
	switch (kind) {
	case VCDROM_CD_MODE1:
		put_unaligned_le32(cd_edc(sector, 2064), sector + 2064);
		memset(sector + 2068, 0, 8);
		cd_ecc(sector, false);
		break;
	case VCDROM_CD_FORM1:
		put_unaligned_le32(cd_edc(sector + 16, 2056), sector + 2072);
		cd_ecc(sector, true);
		break;
	case VCDROM_CD_FORM2:
		put_unaligned_le32(cd_edc(sector + 16, 2332), sector + 2348);
		break;
	default:	/* formless mode 2 has neither */
		break;
	}
}

/* ISRC characters in Q: 0-9 as 0x00-0x09, A-Z as 0x11-0x2a. */
static u8 isrc_code(char c)
{
	return c <= '9' ? c - '0' : c - 'A' + 0x11;
}

/*
 * The 12 bytes of Q at @lba in track @t: position (ADR 1), or now and then
 * the MCN (ADR 2, LBA % 100 == 10) or the track's ISRC (ADR 3, LBA % 100 ==
 * 20), outside pregaps and when the disc has them. Returns whether P is set
 * (in the pregap).
 */
bool vcdrom_cd_subq(const struct vcdrom_disc *disc, const struct vcdrom_track *t, u32 lba,
		    u8 *q)
{
	unsigned int index = vcdrom_track_index_at(disc, t, lba);
	u8 ctl = vcdrom_track_control(t) << 4;
	u32 abs = lba + CD_MSF_OFFSET;
	unsigned int i;

	memset(q, 0, 12);
	if (index && lba % 100 == 10 && disc->mcn[0]) {
		/* 13 BCD digits, 12 zero bits, AFRAME. */
		q[0] = ctl | 0x02;
		for (i = 0; i < VCDROM_MCN_LEN; i++)
			q[1 + i / 2] |= (disc->mcn[i] - '0') << (i % 2 ? 0 : 4);
		q[9] = bcd(abs % CD_FRAMES);
	} else if (index && lba % 100 == 20 && t->isrc[0]) {
		const char *s = t->isrc;

		/* Five 6-bit characters, 2 zero bits, seven BCD digits, 4 zero bits, AFRAME. */
		q[0] = ctl | 0x03;
		q[1] = isrc_code(s[0]) << 2 | isrc_code(s[1]) >> 4;
		q[2] = isrc_code(s[1]) << 4 | isrc_code(s[2]) >> 2;
		q[3] = isrc_code(s[2]) << 6 | isrc_code(s[3]);
		q[4] = isrc_code(s[4]) << 2;
		for (i = 0; i < 7; i++)
			q[5 + i / 2] |= ((s[5 + i] - '0') & 0x0f) << (i % 2 ? 0 : 4);
		q[9] = bcd(abs % CD_FRAMES);
	} else {
		q[0] = ctl | 0x01;
		q[1] = bcd(t->number);
		q[2] = bcd(index);
		/* Relative time: down to 0 through the pregap, up from index 1. */
		put_msf_bcd(q + 3, index ? lba - t->start : t->start - 1 - lba);
		put_msf_bcd(q + 7, abs);
	}
	put_unaligned_be16(~crc_ccitt(q, 10), q + 10);
	return !index;
}

static bool bcd_ok(u8 v)
{
	return (v >> 4) <= 9 && (v & 0x0f) <= 9;
}

static u32 msf_bcd_frames(const u8 *p)
{
	return (bcd2bin(p[0]) * CD_SECS + bcd2bin(p[1])) * CD_FRAMES + bcd2bin(p[2]);
}

/*
 * A stored Q read back as a position (ADR 1): track, index, and the
 * absolute and track-relative addresses as LBAs (negative in a pregap,
 * whose relative time counts down to 0). False for other ADRs, a Q that
 * fails its CRC and fields that are not BCD: a drive passes those over.
 */
bool vcdrom_cd_subq_position(const u8 *q, struct vcdrom_subq_pos *pos)
{
	unsigned int i;
	u32 rel;

	if ((q[0] & 0x0f) != 0x01 || get_unaligned_be16(q + 10) != (u16)~crc_ccitt(q, 10))
		return false;
	for (i = 1; i < 10; i++)
		if (i != 6 && !bcd_ok(q[i]))
			return false;
	if (msf_bcd_frames(q + 7) < CD_MSF_OFFSET || q[4] >= 0x60 || q[5] >= 0x75 ||
	    q[8] >= 0x60 || q[9] >= 0x75)
		return false;
	pos->control = q[0] >> 4;
	pos->track = bcd2bin(q[1]);
	pos->index = bcd2bin(q[2]);
	pos->abs = msf_bcd_frames(q + 7) - CD_MSF_OFFSET;
	rel = msf_bcd_frames(q + 3);
	pos->rel = pos->index ? (s32)rel : -(s32)rel - 1;
	return true;
}

/*
 * Raw P-W as a drive returns it: byte i holds bit i of each channel, P in
 * bit 7, Q in bit 6, R-W from @rw (the low 6 bits of each byte) or zero.
 */
void vcdrom_cd_pw(u8 *pw, const u8 *q, bool p, const u8 *rw)
{
	unsigned int i;

	for (i = 0; i < 96; i++) {
		pw[i] = (p ? 0x80 : 0) | ((q[i / 8] >> (7 - i % 8)) & 1) << 6;
		if (rw)
			pw[i] |= rw[i] & 0x3f;
	}
}

/* Raw P-W from the 8 channels stored one after another (P, Q, R ... W: 12 bytes each). */
void vcdrom_cd_pw_interleave(u8 *pw, const u8 *linear)
{
	unsigned int i, ch;

	for (i = 0; i < 96; i++) {
		pw[i] = 0;
		for (ch = 0; ch < 8; ch++)
			pw[i] |= ((linear[ch * 12 + i / 8] >> (7 - i % 8)) & 1) << (7 - ch);
	}
}

/*
 * R-W packs of 24 six-bit symbols, four a sector, are interleaved on the
 * disc (IEC 60908): symbols 1, 2 and 3 trade places with 18, 5 and 23,
 * then symbol i goes out (i & 7) packs later. De-interleave the four packs
 * that start in a sector from @rw, the R-W symbols (low 6 bits) of it and
 * of the two sectors after it (3 * 96 bytes), into @packs (96 bytes).
 */
void vcdrom_cd_rw_deinterleave(u8 *packs, const u8 *rw)
{
	static const u8 column[24] = {
		0, 18, 5, 23, 4, 2, 6, 7, 8, 9, 10, 11,
		12, 13, 14, 15, 16, 17, 1, 19, 20, 21, 22, 3,
	};
	unsigned int pack, i, at;

	for (pack = 0; pack < 4; pack++) {
		for (i = 0; i < 24; i++) {
			at = column[i];
			packs[pack * 24 + i] = rw[(pack + (at & 7)) * 24 + at] & 0x3f;
		}
	}
}

/* Q (12 bytes, CRC included) out of raw P-W; returns the P bit of its first byte. */
bool vcdrom_cd_pw_q(u8 *q, const u8 *pw)
{
	unsigned int i;

	memset(q, 0, 12);
	for (i = 0; i < 96; i++)
		q[i / 8] |= ((pw[i] >> 6) & 1) << (7 - i % 8);
	return pw[0] & 0x80;
}
