// SPDX-License-Identifier: GPL-2.0
/*
 * The CHD's bit reader and canonical Huffman decoder, as its map and its
 * "huff" codec use them. Written from the format's description in MAME's
 * src/lib/util/huffman.cpp: code lengths are given per symbol, and codes
 * are assigned from the longest length down, so that the longest codes get
 * the lowest values.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "chd_int.h"

void chd_bits_init(struct chd_bits *b, const uint8_t *data, size_t len)
{
	b->data = data;
	b->len = len;
	b->pos = 0;
	b->overflow = false;
}

uint32_t chd_bits_peek(struct chd_bits *b, unsigned int n)
{
	uint64_t v = 0;
	size_t byte = b->pos / 8;
	unsigned int i, skip = b->pos % 8;

	if (!n)
		return 0;
	/* the 5 bytes that hold bits pos .. pos + 32, zeros past the end */
	for (i = 0; i < 5; i++)
		v = v << 8 | (byte + i < b->len ? b->data[byte + i] : 0);
	return (uint32_t)(v >> (40 - skip - n)) & (uint32_t)((1ull << n) - 1);
}

uint32_t chd_bits_read(struct chd_bits *b, unsigned int n)
{
	uint32_t v = chd_bits_peek(b, n);

	b->pos += n;
	if (b->pos > (uint64_t)b->len * 8)
		b->overflow = true;
	return v;
}

size_t chd_bits_bytes(const struct chd_bits *b)
{
	return (b->pos + 7) / 8;
}

int chd_huff_init(struct chd_huff *h, unsigned int nr_codes, unsigned int max_bits)
{
	memset(h, 0, sizeof(*h));
	h->nr_codes = nr_codes;
	h->max_bits = max_bits;
	h->lookup = calloc(1u << max_bits, sizeof(*h->lookup));
	return h->lookup ? 0 : -ENOMEM;
}

void chd_huff_free(struct chd_huff *h)
{
	free(h->lookup);
	h->lookup = NULL;
}

/* Codes from the lengths, into the lookup table; -EINVAL when they make no prefix code. */
static int build(struct chd_huff *h)
{
	uint32_t start[33] = { 0 }, next = 0, code;
	unsigned int i, len, shift;
	int bits;

	for (i = 0; i < h->nr_codes; i++) {
		if (h->len[i] > h->max_bits)
			return -EINVAL;
		start[h->len[i]]++;
	}
	/* from the longest codes to the shortest, each length's first code */
	for (bits = 32; bits > 0; bits--) {
		uint32_t n = next + start[bits];

		if (bits != 1 && (n & 1))
			return -EINVAL;
		start[bits] = next;
		next = n >> 1;
	}
	memset(h->lookup, 0, sizeof(*h->lookup) << h->max_bits);
	for (i = 0; i < h->nr_codes; i++) {
		len = h->len[i];
		if (!len)
			continue;
		code = start[len]++;
		shift = h->max_bits - len;
		/* a code past the table: the lengths over-fill it */
		if ((code + 1) << shift > 1u << h->max_bits)
			return -EINVAL;
		for (uint32_t j = code << shift; j < (code + 1) << shift; j++)
			h->lookup[j] = i << 5 | len;
	}
	return 0;
}

int chd_huff_decode(struct chd_huff *h, struct chd_bits *b)
{
	uint16_t e = h->lookup[chd_bits_peek(b, h->max_bits)];

	if (!e)
		return -1;
	chd_bits_read(b, e & 0x1f);
	return e >> 5;
}

/*
 * Lengths of 3, 4 or 5 bits each (by the longest code); 1 is an escape:
 * 1 1 is a length of 1, 1 L N is N + 3 codes of length L.
 */
int chd_huff_import_rle(struct chd_huff *h, struct chd_bits *b)
{
	unsigned int n = h->max_bits >= 16 ? 5 : h->max_bits >= 8 ? 4 : 3;
	unsigned int i = 0, len, count;

	while (i < h->nr_codes) {
		len = chd_bits_read(b, n);
		if (len != 1) {
			h->len[i++] = len;
			continue;
		}
		len = chd_bits_read(b, n);
		if (len == 1) {
			h->len[i++] = 1;
			continue;
		}
		count = chd_bits_read(b, n) + 3;
		if (count > h->nr_codes - i)
			return -EINVAL;
		while (count--)
			h->len[i++] = len;
	}
	if (b->overflow)
		return -EINVAL;
	return build(h);
}

/*
 * A small code of 24 symbols first (its lengths in 3 bits each: symbol 0's,
 * then from which symbol on they are given, 7 ending them); its symbol 0
 * repeats the last length 2 + 3 bits times (9 and more: plus more bits),
 * symbol N is a length of N - 1.
 */
int chd_huff_import_huffman(struct chd_huff *h, struct chd_bits *b)
{
	struct chd_huff small;
	unsigned int i, from, count = 0, last = 0, rle_bits = 0, t;
	int v, ret;

	ret = chd_huff_init(&small, 24, 6);
	if (ret)
		return ret;
	small.len[0] = chd_bits_read(b, 3);
	from = chd_bits_read(b, 3) + 1;
	for (i = 1; i < 24; i++) {
		if (i < from || count == 7) {
			small.len[i] = 0;
		} else {
			count = chd_bits_read(b, 3);
			small.len[i] = count == 7 ? 0 : count;
		}
	}
	ret = build(&small);
	if (ret)
		goto out;
	for (t = h->nr_codes - 9; t; t >>= 1)
		rle_bits++;
	for (i = 0; i < h->nr_codes && !b->overflow;) {
		v = chd_huff_decode(&small, b);
		if (v < 0) {
			ret = -EINVAL;
			goto out;
		}
		if (v) {
			last = v - 1;
			h->len[i++] = last;
			continue;
		}
		count = chd_bits_read(b, 3) + 2;
		if (count == 9)
			count += chd_bits_read(b, rle_bits);
		for (; count && i < h->nr_codes; count--)
			h->len[i++] = last;
	}
	ret = b->overflow || i != h->nr_codes ? -EINVAL : build(h);
out:
	chd_huff_free(&small);
	return ret;
}
