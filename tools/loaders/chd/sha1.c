// SPDX-License-Identifier: GPL-2.0
/* SHA-1 (FIPS 180-4), for the CHD's data check: small, not fast. */
#include <string.h>

#include "chd_int.h"

static inline uint32_t rol(uint32_t x, unsigned int n)
{
	return x << n | x >> (32 - n);
}

static void block(struct chd_sha1 *s, const uint8_t *p)
{
	uint32_t w[80], a, b, c, d, e, f, k, t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | p[4 * i + 1] << 16 | p[4 * i + 2] << 8 |
		       p[4 * i + 3];
	for (; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = s->h[0];
	b = s->h[1];
	c = s->h[2];
	d = s->h[3];
	e = s->h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = t;
	}
	s->h[0] += a;
	s->h[1] += b;
	s->h[2] += c;
	s->h[3] += d;
	s->h[4] += e;
}

void chd_sha1_init(struct chd_sha1 *s)
{
	static const uint32_t h0[5] = {
		0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0
	};

	memcpy(s->h, h0, sizeof(h0));
	s->len = 0;
}

void chd_sha1_update(struct chd_sha1 *s, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t fill = s->len % 64, n;

	s->len += len;
	if (fill) {
		n = 64 - fill < len ? 64 - fill : len;
		memcpy(s->buf + fill, p, n);
		p += n;
		len -= n;
		if (fill + n < 64)
			return;
		block(s, s->buf);
	}
	for (; len >= 64; p += 64, len -= 64)
		block(s, p);
	memcpy(s->buf, p, len);
}

void chd_sha1_final(struct chd_sha1 *s, uint8_t digest[20])
{
	uint64_t bits = s->len * 8;
	size_t fill = s->len % 64;
	int i;

	s->buf[fill++] = 0x80;
	if (fill > 56) {
		memset(s->buf + fill, 0, 64 - fill);
		block(s, s->buf);
		fill = 0;
	}
	memset(s->buf + fill, 0, 56 - fill);
	for (i = 0; i < 8; i++)
		s->buf[56 + i] = bits >> (56 - 8 * i);
	block(s, s->buf);
	for (i = 0; i < 20; i++)
		digest[i] = s->h[i / 4] >> (24 - 8 * (i % 4));
}
