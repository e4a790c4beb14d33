// SPDX-License-Identifier: GPL-2.0
/*
 * The EDC and the RSPC (ECC P and Q) of CD data sectors (ECMA-130), for
 * what the tool rebuilds (ECM): a userspace copy of kernel/cdsector.c's,
 * which stays the kernel's own.
 */
#include <pthread.h>
#include <string.h>

#include "common.h"

/* EDC: CRC-32 of x^32 + x^31 + x^16 + x^15 + x^4 + x^3 + x + 1, LSB first. */
#define EDC_POLY_REFLECTED	0xd8018001

static uint32_t edc_table[8][256];	/* [k][b]: b followed by k zero bytes */

/* GF(2^8) over x^8 + x^4 + x^3 + x^2 + 1: times alpha, and divided by (1 + alpha). */
static uint8_t gf_mul_alpha[256];
static uint8_t gf_div_1_alpha[256];

static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void tables_init(void)
{
	unsigned int i, j;

	for (i = 0; i < 256; i++) {
		uint32_t crc = i;

		for (j = 0; j < 8; j++)
			crc = (crc >> 1) ^ ((crc & 1) ? EDC_POLY_REFLECTED : 0);
		edc_table[0][i] = crc;
	}
	for (j = 1; j < 8; j++)
		for (i = 0; i < 256; i++)
			edc_table[j][i] = (edc_table[j - 1][i] >> 8) ^
					  edc_table[0][edc_table[j - 1][i] & 0xff];
	for (i = 0; i < 256; i++) {
		uint8_t a = (i << 1) ^ ((i & 0x80) ? 0x1d : 0);

		gf_mul_alpha[i] = a;
		/* x * (1 + alpha) = x ^ x * alpha: invert that map. */
		gf_div_1_alpha[i ^ a] = i;
	}
}

static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_le64(const uint8_t *p)
{
	return get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

uint32_t vcd_cd_edc(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t a, b;

	pthread_once(&tables_once, tables_init);
	/* eight bytes a step (slicing-by-8), then the rest a byte at a time */
	for (; len >= 8; len -= 8, p += 8) {
		a = get_le32(p) ^ crc;
		b = get_le32(p + 4);
		crc = edc_table[7][a & 0xff] ^ edc_table[6][(a >> 8) & 0xff] ^
		      edc_table[5][(a >> 16) & 0xff] ^ edc_table[4][a >> 24] ^
		      edc_table[3][b & 0xff] ^ edc_table[2][(b >> 8) & 0xff] ^
		      edc_table[1][(b >> 16) & 0xff] ^ edc_table[0][b >> 24];
	}
	while (len--)
		crc = (crc >> 8) ^ edc_table[0][(crc ^ *p++) & 0xff];
	return crc;
}

/*
 * RSPC over the 2340 bytes from the header on, as kernel/cdsector.c's
 * cd_ecc() computes it (see there): all codewords of P, then of Q, eight
 * bytes at a time.
 */
static uint64_t gf_mul_alpha8(uint64_t x)
{
	uint64_t high = x & 0x8080808080808080ULL;

	return ((x & 0x7f7f7f7f7f7f7f7fULL) << 1) ^ ((high >> 7) * 0x1d);
}

static void rspc_parity(const uint64_t *s, const uint64_t *h, unsigned int n, uint8_t *parity)
{
	unsigned int j;

	for (j = 0; j < n; j++) {
		uint8_t sj = s[j / 8] >> (8 * (j % 8)), hj = h[j / 8] >> (8 * (j % 8));
		uint8_t p0 = gf_div_1_alpha[gf_mul_alpha[hj] ^ sj];

		parity[j] = p0;
		parity[n + j] = p0 ^ sj;
	}
}

void vcd_cd_ecc(uint8_t *sector, bool zero_header)
{
	/* col: Q's symbols of a column, 26 rows of 2 bytes, zeros to 56 */
	uint8_t *w = sector + 12, header[4] = { 0 }, col[56] = { 0 };
	uint64_t s[11] = { 0 }, h[11] = { 0 }, d;
	unsigned int r, k, i, v;
	/* the rows' last u64 read 2 bytes past row 23; row 25's, past the Q parity: a copy */
	uint8_t rows[2340 + 8];

	pthread_once(&tables_once, tables_init);
	if (zero_header) {
		memcpy(header, w, 4);
		memset(w, 0, 4);
	}
	memcpy(rows, w, 2340);
	memset(rows + 2340, 0, 8);
	/* P: 86 codewords, rows 0-23 */
	for (r = 0; r < 24; r++) {
		for (k = 0; k < 11; k++) {
			d = get_le64(rows + 86 * r + 8 * k);
			s[k] ^= d;
			h[k] = gf_mul_alpha8(h[k] ^ d);
		}
	}
	rspc_parity(s, h, 86, sector + 2076);
	memcpy(rows + 2064, sector + 2076, 172);
	/* Q: 52 codewords through rows 0-25 (24 and 25 are P's parity) */
	memset(s, 0, sizeof(s));
	memset(h, 0, sizeof(h));
	for (i = 0; i < 43; i++) {
		v = (26 - i % 26) % 26;
		for (r = 0; r < 26; r++) {
			memcpy(col + 2 * v, rows + 86 * r + 2 * i, 2);
			if (++v == 26)
				v = 0;
		}
		for (k = 0; k < 7; k++) {
			d = get_le64(col + 8 * k);
			s[k] ^= d;
			h[k] = gf_mul_alpha8(h[k] ^ d);
		}
	}
	rspc_parity(s, h, 52, sector + 2248);
	if (zero_header)
		memcpy(w, header, 4);
}
