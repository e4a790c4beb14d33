// SPDX-License-Identifier: GPL-2.0
/*
 * ECM (Neill Corlett's Error Code Modeler): CD sectors with what can be
 * made again from the rest (sync, header mode, EDC, ECC) left out.
 *
 * "ECM\0", then records: a type and a count (a varint: type in bits 0-1
 * and count-1's low 5 bits in bits 2-6 of the first byte, 7 more bits in
 * each next byte while bit 7 is set), then the count's data:
 *   0  bytes, as they are;
 *   1  mode 1 sectors: 3 address bytes and 2048 user bytes each, 2352 out;
 *   2  mode 2 form 1 sectors without sync and header: the subheader once
 *      and 2048 user bytes each, 2336 out (subheader twice, EDC, ECC);
 *   3  mode 2 form 2, the same way: subheader and 2324 bytes, 2336 out.
 * The count-1 0xffffffff ends them, then the EDC of the whole output,
 * little-endian: it checks the expansion.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "expand.h"

#define BUF_SIZE	(256 * 1024)
#define SECTOR		2352
#define END_COUNT	0xffffffffu

struct ecm {
	struct vcd_xio *io;
	uint8_t *in;
	size_t pos, len;
	uint8_t *out;
	size_t out_len;
	uint32_t edc;			/* of all output so far */
};

/* The input offset of the next byte. */
static uint64_t ecm_at(const struct ecm *e)
{
	return e->io->in_pos - (e->len - e->pos);
}

/* @n bytes of input to @dst: 0, or a failure said. */
static int get(struct ecm *e, void *dst, size_t n)
{
	uint8_t *d = dst;
	size_t k;
	ssize_t r;

	while (n) {
		if (e->pos == e->len) {
			r = vcd_xio_read(e->io, e->in, BUF_SIZE);
			if (r < 0)
				return r;
			if (!r)
				return vcd_xio_corrupt(e->io, e->io->in_pos, "truncated: the ECM "
						       "data ends before its end");
			e->pos = 0;
			e->len = r;
		}
		k = e->len - e->pos < n ? e->len - e->pos : n;
		memcpy(d, e->in + e->pos, k);
		e->pos += k;
		d += k;
		n -= k;
	}
	return 0;
}

static int flush(struct ecm *e)
{
	int ret = vcd_xio_write(e->io, e->out, e->out_len);

	e->out_len = 0;
	return ret;
}

static int put(struct ecm *e, const uint8_t *p, size_t n)
{
	int ret;

	e->edc = vcd_cd_edc(e->edc, p, n);
	if (e->out_len + n > BUF_SIZE) {
		ret = flush(e);
		if (ret)
			return ret;
	}
	memcpy(e->out + e->out_len, p, n);
	e->out_len += n;
	return 0;
}

/* A record's type and count (the count-1 as stored). */
static int get_record(struct ecm *e, unsigned int *type, uint32_t *count)
{
	uint64_t at = ecm_at(e);
	unsigned int bits = 5;
	uint64_t n;
	uint8_t c;
	int ret;

	ret = get(e, &c, 1);
	if (ret)
		return ret;
	*type = c & 3;
	n = (c >> 2) & 0x1f;
	while (c & 0x80) {
		ret = get(e, &c, 1);
		if (ret)
			return ret;
		if (bits >= 32)
			return vcd_xio_corrupt(e->io, at, "ECM record count longer than 32 bits");
		n |= (uint64_t)(c & 0x7f) << bits;
		bits += 7;
	}
	if (n > END_COUNT)
		return vcd_xio_corrupt(e->io, at, "ECM record count longer than 32 bits");
	*count = n;
	return 0;
}

static const uint8_t sync_pattern[12] = {
	0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00
};

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/* One sector of record type @type (1-3), from the input into the output. */
static int sector(struct ecm *e, unsigned int type, uint8_t *s)
{
	int ret;

	memset(s, 0, SECTOR);
	switch (type) {
	case 1:
		memcpy(s, sync_pattern, sizeof(sync_pattern));
		ret = get(e, s + 12, 3);
		if (!ret)
			ret = get(e, s + 16, 2048);
		if (ret)
			return ret;
		s[15] = 1;
		put_le32(s + 2064, vcd_cd_edc(0, s, 2064));
		vcd_cd_ecc(s, false);
		return put(e, s, SECTOR);
	case 2:
		ret = get(e, s + 20, 4 + 2048);
		if (ret)
			return ret;
		memcpy(s + 16, s + 20, 4);
		put_le32(s + 2072, vcd_cd_edc(0, s + 16, 2056));
		vcd_cd_ecc(s, true);
		return put(e, s + 16, SECTOR - 16);
	default:
		ret = get(e, s + 20, 4 + 2324);
		if (ret)
			return ret;
		memcpy(s + 16, s + 20, 4);
		put_le32(s + 2348, vcd_cd_edc(0, s + 16, 2332));
		return put(e, s + 16, SECTOR - 16);
	}
}

static int records(struct ecm *e)
{
	uint8_t s[SECTOR], tail[4];
	unsigned int type = 0;
	uint32_t count = 0, i, stored;
	uint64_t at;
	size_t k;
	int ret;

	ret = get(e, s, 4);
	if (ret)
		return ret;
	if (memcmp(s, "ECM", 4))
		return vcd_xio_corrupt(e->io, 0, "no ECM header");
	for (;;) {
		ret = get_record(e, &type, &count);
		if (ret)
			return ret;
		if (count == END_COUNT)		/* of any type, as unecm takes it */
			break;
		count++;
		if (!type) {
			for (i = 0; i < count; i += k) {
				k = count - i < sizeof(s) ? count - i : sizeof(s);
				ret = get(e, s, k);
				if (!ret)
					ret = put(e, s, k);
				if (ret)
					return ret;
			}
			continue;
		}
		for (i = 0; i < count; i++) {
			ret = sector(e, type, s);
			if (ret)
				return ret;
		}
	}
	at = ecm_at(e);
	ret = get(e, tail, 4);
	if (ret)
		return ret;
	stored = tail[0] | tail[1] << 8 | tail[2] << 16 | (uint32_t)tail[3] << 24;
	if (stored != e->edc)
		return vcd_xio_corrupt(e->io, at, "wrong ECM checksum: EDC %08x, the data's "
				       "%08x", stored, e->edc);
	if (e->pos != e->len || vcd_xio_read(e->io, s, 1) != 0)
		return vcd_xio_corrupt(e->io, ecm_at(e), "data after the end of the ECM "
				       "records");
	return flush(e);
}

static bool probe_ecm(const uint8_t *h, size_t len)
{
	return len >= 4 && !memcmp(h, "ECM", 4);
}

static int expand_ecm(struct vcd_xio *io)
{
	struct ecm e = { .io = io };
	int ret;

	e.in = malloc(BUF_SIZE);
	e.out = malloc(BUF_SIZE);
	if (!e.in || !e.out)
		ret = vcd_load_fail(io->ld, ENOMEM, io->path, NULL);
	else
		ret = records(&e);
	free(e.in);
	free(e.out);
	return ret;
}

const struct vcd_expander vcd_expander_ecm = {
	.name = "ECM", .probe = probe_ecm, .expand = expand_ecm,
};
