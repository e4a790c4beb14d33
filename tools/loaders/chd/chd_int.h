/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the CHD decoder: a bit reader, canonical Huffman decoding, the
 * hunk codecs, CRC-16 and SHA-1.
 */
#ifndef VCDROM_CHD_INT_H
#define VCDROM_CHD_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- huff.c: bits, most significant first ---- */

struct chd_bits {
	const uint8_t *data;
	size_t len;		/* bytes */
	size_t pos;		/* bits read so far */
	bool overflow;		/* a read went past the end (it got zeros) */
};

void chd_bits_init(struct chd_bits *b, const uint8_t *data, size_t len);
/* The next @n (0-32) bits, zeros past the end. */
uint32_t chd_bits_peek(struct chd_bits *b, unsigned int n);
uint32_t chd_bits_read(struct chd_bits *b, unsigned int n);
/* Bytes consumed, the last one counted whole. */
size_t chd_bits_bytes(const struct chd_bits *b);

/* A canonical Huffman code of up to 256 symbols, codes of up to 16 bits. */
#define CHD_HUFF_MAX_CODES	256
#define CHD_HUFF_MAX_BITS	16

struct chd_huff {
	unsigned int nr_codes, max_bits;
	uint8_t len[CHD_HUFF_MAX_CODES];	/* code lengths in bits, 0: unused */
	uint16_t *lookup;	/* 1 << max_bits entries: symbol << 5 | length, 0: no code */
};

int chd_huff_init(struct chd_huff *h, unsigned int nr_codes, unsigned int max_bits);
void chd_huff_free(struct chd_huff *h);
/* The tree as the map stores it (run-length coded lengths). 0 or -EINVAL. */
int chd_huff_import_rle(struct chd_huff *h, struct chd_bits *b);
/* The tree as the huff codec stores it (lengths coded with a small Huffman code). */
int chd_huff_import_huffman(struct chd_huff *h, struct chd_bits *b);
/* One symbol; -1 on bits that are no code. */
int chd_huff_decode(struct chd_huff *h, struct chd_bits *b);

/* ---- codec.c ---- */

#define CHD_CODEC(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (c) << 8 | (d))

/* Whether @tag names a codec this decoder knows. */
bool chd_codec_known(uint32_t tag);
/*
 * Decompress the @len bytes at @src with codec @tag into @dst, exactly
 * @dst_len bytes (a hunk). NULL when done, else why not (a static string).
 */
const char *chd_codec_decompress(uint32_t tag, const uint8_t *src, size_t len, uint8_t *dst,
				 size_t dst_len);

/* ---- chd.c ---- */

/* CRC-16/CCITT-FALSE, as the map and the hunks' checks use it. */
uint16_t chd_crc16(const uint8_t *p, size_t len);

/* SHA-1, as the header's hashes use it: nettle's. */
#include <nettle/sha1.h>

#define chd_sha1		sha1_ctx
#define chd_sha1_init(s)	sha1_init(s)
#define chd_sha1_update(s, data, len)	sha1_update((s), (len), (const uint8_t *)(data))
#define chd_sha1_final(s, digest)	sha1_digest((s), SHA1_DIGEST_SIZE, (digest))

#endif /* VCDROM_CHD_INT_H */
