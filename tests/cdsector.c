// SPDX-License-Identifier: GPL-2.0
/*
 * cdsector: the tests' own CD sector encoder and checker, written from
 * ECMA-130 (2nd edition, chapters 14 and Annex A) and the CD-ROM XA
 * description. It is the oracle for the kernel's sector synthesis, so it
 * shares no code with kernel/.
 *
 *   cdsector encode --mode 1|2form1|2form2 [--lba N] [--submode X] IN OUT
 *	2048-byte (mode 1, form 1) or 2324-byte (form 2) user sectors from IN,
 *	a last partial one zero-filled, to 2352-byte raw sectors in OUT: sync,
 *	header (MSF of LBA+150 in BCD, mode), XA subheader (file 0, channel 0,
 *	submode X: default 08h for form 1, 20h for form 2; the last sector of
 *	IN gets EOR|EOF, 81h more), EDC and ECC P/Q. N (default 0) is the LBA
 *	of the first sector. IN "-" with --sectors COUNT: zeroed user data.
 *   cdsector verify [--lba N] [--quiet] FILE
 *	checks every 2352-byte sector of FILE: sync, header MSF (against N,
 *	N+1... when --lba is given), mode, the mode 1 zero field, the XA
 *	subheader copies, EDC and ECC. Exit 0 when all are good; else 1 and
 *	"cdsector: FILE: sector I (LBA L): what" on stderr for the first bad one.
 *   cdsector cook IN OUT
 *	the user data of each raw sector of IN (2048 bytes at 16 for mode 1,
 *	at 24 for mode 2) to OUT.
 *   cdsector wrap [--lba N] IN OUT
 *	2336-byte mode 2 sectors (subheader on) from IN to raw sectors in
 *	OUT: the sync and header put before each, nothing else changed.
 *   cdsector ecm IN OUT
 *	IN (raw sectors, or any bytes) in Neill Corlett's ECM format: each
 *	sector that verifies and that ECM makes again byte for byte (mode 1;
 *	mode 2 form 1; form 2 with its EDC) without its sync, header mode,
 *	EDC and ECC; anything else as it is. For tests of an ECM decoder.
 *   cdsector selftest
 *	encode, verify, and corrupt single bytes: verify must notice each.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAW 2352

/* ---- GF(2^8) with the primitive polynomial x^8 + x^4 + x^3 + x^2 + 1 ---- */

static uint8_t gf_exp[512];
static uint8_t gf_log[256];

static void gf_init(void)
{
	unsigned int x = 1;

	for (int i = 0; i < 255; i++) {
		gf_exp[i] = x;
		gf_log[x] = i;
		x <<= 1;
		if (x & 0x100)
			x ^= 0x11d;
	}
	for (int i = 255; i < 512; i++)
		gf_exp[i] = gf_exp[i - 255];
}

static uint8_t gf_mul(uint8_t a, uint8_t b)
{
	if (!a || !b)
		return 0;
	return gf_exp[gf_log[a] + gf_log[b]];
}

static uint8_t gf_div(uint8_t a, uint8_t b)
{
	if (!a)
		return 0;
	return gf_exp[gf_log[a] + 255 - gf_log[b]];
}

/* alpha^e */
static uint8_t gf_pow(int e)
{
	return gf_exp[e % 255];
}

/*
 * RSPC (ECMA-130 Annex A). The 2340 bytes from the header on (offset 12)
 * are 1170 16-bit words S(0)..S(1169); each byte plane (the even bytes, the
 * odd bytes) is coded on its own.
 *
 * P: 43 codewords of 26 symbols, Np = 0..42: S(43 Mp + Np), Mp = 0..25;
 * Mp 24 and 25 are the P parity (words 1032..1117).
 * Q: 26 codewords of 45 symbols, Nq = 0..25: S((44 Mq + 43 Nq) mod 1118),
 * Mq = 0..42, then the Q parity S(1118 + Nq) and S(1144 + Nq).
 *
 * A codeword V(0..n-1) is good when H V = 0 with
 * H = | 1        1        ... 1  1 |
 *     | a^(n-1)  a^(n-2)  ... a  1 |
 */
static int p_word(int n, int m) { return 43 * m + n; }
static int q_word(int n, int m)
{
	if (m < 43)
		return (44 * m + 43 * n) % 1118;
	return 1118 + (m - 43) * 26 + n;
}

static uint8_t *sym(uint8_t *sector, int word, int plane)
{
	return sector + 12 + 2 * word + plane;
}

/* The two syndromes of codeword n of @len symbols. */
static void syndromes(uint8_t *sector, int plane, int n, int len, int (*word)(int, int),
		      uint8_t *s0, uint8_t *s1)
{
	*s0 = *s1 = 0;
	for (int m = 0; m < len; m++) {
		uint8_t v = *sym(sector, word(n, m), plane);

		*s0 ^= v;
		*s1 ^= gf_mul(v, gf_pow(len - 1 - m));
	}
}

/*
 * Parity p0 = V(n-2), p1 = V(n-1) from the data symbols' sums
 * S0 = sum V(m), S1 = sum V(m) a^(n-1-m) (m < n-2):
 * p0 + p1 = S0 and p0 a + p1 = S1, so p0 = (S0 + S1) / (a + 1), p1 = S0 + p0.
 */
static void rspc_encode(uint8_t *sector, int codewords, int len, int (*word)(int, int))
{
	for (int plane = 0; plane < 2; plane++) {
		for (int n = 0; n < codewords; n++) {
			uint8_t s0, s1, p0;

			*sym(sector, word(n, len - 2), plane) = 0;
			*sym(sector, word(n, len - 1), plane) = 0;
			syndromes(sector, plane, n, len, word, &s0, &s1);
			p0 = gf_div(s0 ^ s1, gf_pow(1) ^ 1);
			*sym(sector, word(n, len - 2), plane) = p0;
			*sym(sector, word(n, len - 1), plane) = s0 ^ p0;
		}
	}
}

/* -1 if all codewords are good, else the first bad one (P: 0..85, Q: 100..151). */
static int rspc_check(uint8_t *sector)
{
	for (int plane = 0; plane < 2; plane++) {
		for (int n = 0; n < 43; n++) {
			uint8_t s0, s1;

			syndromes(sector, plane, n, 26, p_word, &s0, &s1);
			if (s0 || s1)
				return plane * 43 + n;
		}
	}
	for (int plane = 0; plane < 2; plane++) {
		for (int n = 0; n < 26; n++) {
			uint8_t s0, s1;

			syndromes(sector, plane, n, 45, q_word, &s0, &s1);
			if (s0 || s1)
				return 100 + plane * 26 + n;
		}
	}
	return -1;
}

/* P then Q (Q covers the P parity). */
static void ecc_encode(uint8_t *sector)
{
	rspc_encode(sector, 43, 26, p_word);
	rspc_encode(sector, 26, 45, q_word);
}

/*
 * EDC: the CRC of P(x) = (x^16 + x^15 + x^2 + 1)(x^16 + x^2 + x + 1)
 * = x^32 + x^31 + x^16 + x^15 + x^4 + x^3 + x + 1 (0x8001801B), bits taken
 * least significant first, register starting at 0; stored least significant
 * byte first.
 */
static uint32_t edc_table[256];

static void edc_init(void)
{
	const uint32_t poly = 0x8001801b;
	uint32_t rev = 0;

	for (int i = 0; i < 32; i++)
		if (poly & (1u << i))
			rev |= 1u << (31 - i);
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t r = i;

		for (int b = 0; b < 8; b++)
			r = (r >> 1) ^ ((r & 1) ? rev : 0);
		edc_table[i] = r;
	}
}

static uint32_t edc(const uint8_t *p, size_t len)
{
	uint32_t r = 0;

	while (len--)
		r = (r >> 8) ^ edc_table[(r ^ *p++) & 0xff];
	return r;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static const uint8_t sync_pattern[12] = {
	0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00
};

static uint8_t bcd(int v) { return (v / 10) << 4 | (v % 10); }

static void header(uint8_t *sector, long lba, int mode)
{
	long a = lba + 150;

	memcpy(sector, sync_pattern, 12);
	sector[12] = bcd(a / (60 * 75));
	sector[13] = bcd(a / 75 % 60);
	sector[14] = bcd(a % 75);
	sector[15] = mode;
}

enum kind { MODE1, FORM1, FORM2 };

static int user_size(enum kind k) { return k == FORM2 ? 2324 : 2048; }

/* One raw sector of @kind at @lba from @user. */
static void encode(uint8_t *s, enum kind k, long lba, const uint8_t *user, uint8_t submode)
{
	memset(s, 0, RAW);
	if (k == MODE1) {
		header(s, lba, 1);
		memcpy(s + 16, user, 2048);
		put_le32(s + 2064, edc(s, 2064));
		ecc_encode(s);
		return;
	}
	header(s, lba, 2);
	s[16] = s[20] = 0;		/* file number */
	s[17] = s[21] = 0;		/* channel */
	s[18] = s[22] = submode;
	s[19] = s[23] = 0;		/* coding information */
	if (k == FORM1) {
		uint8_t hdr[4];

		memcpy(s + 24, user, 2048);
		put_le32(s + 2072, edc(s + 16, 2056));
		/* the header does not take part in a mode 2 sector's ECC */
		memcpy(hdr, s + 12, 4);
		memset(s + 12, 0, 4);
		ecc_encode(s);
		memcpy(s + 12, hdr, 4);
	} else {
		memcpy(s + 24, user, 2324);
		put_le32(s + 2348, edc(s + 16, 2332));
	}
}

static long msf_lba(const uint8_t *h)
{
	int m = (h[0] >> 4) * 10 + (h[0] & 15);
	int s = (h[1] >> 4) * 10 + (h[1] & 15);
	int f = (h[2] >> 4) * 10 + (h[2] & 15);

	return ((long)m * 60 + s) * 75 + f - 150;
}

static int bcd_ok(uint8_t b) { return (b >> 4) < 10 && (b & 15) < 10; }

/* NULL if @s is a good sector (at @lba unless @lba < 0), else what is wrong. */
static const char *check(uint8_t *s, long lba, char *why, size_t len)
{
	int bad;

	if (memcmp(s, sync_pattern, 12))
		return "bad sync pattern";
	if (!bcd_ok(s[12]) || !bcd_ok(s[13]) || !bcd_ok(s[14]) || s[13] >= 0x60 || s[14] >= 0x75) {
		snprintf(why, len, "header address %02x:%02x:%02x is not BCD MSF", s[12], s[13], s[14]);
		return why;
	}
	if (lba >= 0 && msf_lba(s + 12) != lba) {
		snprintf(why, len, "header address %02x:%02x:%02x is LBA %ld, not %ld",
			 s[12], s[13], s[14], msf_lba(s + 12), lba);
		return why;
	}
	if (s[15] == 1) {
		if (get_le32(s + 2064) != edc(s, 2064))
			return "mode 1 EDC mismatch";
		for (int i = 2068; i < 2076; i++)
			if (s[i])
				return "mode 1 intermediate field not zero";
		bad = rspc_check(s);
		if (bad >= 0) {
			snprintf(why, len, "mode 1 ECC %c codeword %d fails", bad < 100 ? 'P' : 'Q',
				 bad < 100 ? bad : bad - 100);
			return why;
		}
		return NULL;
	}
	if (s[15] != 2) {
		snprintf(why, len, "mode byte %u", s[15]);
		return why;
	}
	if (memcmp(s + 16, s + 20, 4))
		return "XA subheader copies differ";
	if (s[18] & 0x20) {
		uint32_t e = get_le32(s + 2348);

		if (e && e != edc(s + 16, 2332))
			return "mode 2 form 2 EDC mismatch";
		return NULL;
	}
	if (get_le32(s + 2072) != edc(s + 16, 2056))
		return "mode 2 form 1 EDC mismatch";
	{
		uint8_t hdr[4];

		memcpy(hdr, s + 12, 4);
		memset(s + 12, 0, 4);
		bad = rspc_check(s);
		memcpy(s + 12, hdr, 4);
	}
	if (bad >= 0) {
		snprintf(why, len, "mode 2 form 1 ECC %c codeword %d fails", bad < 100 ? 'P' : 'Q',
			 bad < 100 ? bad : bad - 100);
		return why;
	}
	return NULL;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: cdsector encode --mode 1|2form1|2form2 [--lba N] [--submode X] IN OUT\n"
		"       cdsector encode --mode ... [--lba N] --sectors COUNT - OUT\n"
		"       cdsector verify [--lba N] [--quiet] FILE\n"
		"       cdsector cook IN OUT\n"
		"       cdsector wrap [--lba N] IN OUT\n"
		"       cdsector ecm IN OUT\n"
		"       cdsector selftest\n");
	exit(2);
}

static void die(const char *what, const char *name)
{
	fprintf(stderr, "cdsector: %s: %s: %s\n", what, name, strerror(errno));
	exit(2);
}

static int do_encode(enum kind k, long lba, int submode, long count, const char *in, const char *out)
{
	FILE *fi = NULL, *fo;
	uint8_t user[2324], s[RAW];
	int us = user_size(k);
	long n = 0;

	if (strcmp(in, "-")) {
		fi = fopen(in, "rb");
		if (!fi)
			die("encode", in);
	} else if (count < 0) {
		usage();
	}
	fo = fopen(out, "wb");
	if (!fo)
		die("encode", out);
	if (submode < 0)
		submode = k == FORM2 ? 0x20 : 0x08;
	for (;;) {
		size_t got;
		int last;

		memset(user, 0, sizeof(user));
		if (fi) {
			got = fread(user, 1, us, fi);
			if (!got)
				break;
			last = got < (size_t)us || fgetc(fi) == EOF;
			if (!last)
				fseek(fi, -1, SEEK_CUR);
		} else {
			if (n == count)
				break;
			last = n + 1 == count;
		}
		encode(s, k, lba + n, user, last && k != MODE1 ? submode | 0x81 : submode);
		if (fwrite(s, RAW, 1, fo) != 1)
			die("encode", out);
		n++;
		if (fi && last)
			break;
	}
	if (fi)
		fclose(fi);
	if (fclose(fo))
		die("encode", out);
	return 0;
}

static int do_verify(long lba, int quiet, const char *name)
{
	FILE *f = fopen(name, "rb");
	uint8_t s[RAW];
	char why[128];
	long i = 0;
	size_t got;

	if (!f)
		die("verify", name);
	while ((got = fread(s, 1, RAW, f)) > 0) {
		const char *bad;

		if (got != RAW) {
			fprintf(stderr, "cdsector: %s: %zu bytes after %ld whole sectors\n", name, got, i);
			return 1;
		}
		bad = check(s, lba >= 0 ? lba + i : -1, why, sizeof(why));
		if (bad) {
			fprintf(stderr, "cdsector: %s: sector %ld (LBA %ld): %s\n", name, i,
				lba >= 0 ? lba + i : msf_lba(s + 12), bad);
			return 1;
		}
		i++;
	}
	fclose(f);
	if (!i) {
		fprintf(stderr, "cdsector: %s: no sectors\n", name);
		return 1;
	}
	if (!quiet)
		printf("%s: %ld good sectors\n", name, i);
	return 0;
}

static int do_cook(const char *in, const char *out)
{
	FILE *fi = fopen(in, "rb"), *fo;
	uint8_t s[RAW];

	if (!fi)
		die("cook", in);
	fo = fopen(out, "wb");
	if (!fo)
		die("cook", out);
	while (fread(s, RAW, 1, fi) == 1) {
		const uint8_t *user = s[15] == 2 ? s + 24 : s + 16;

		if (fwrite(user, 2048, 1, fo) != 1)
			die("cook", out);
	}
	fclose(fi);
	if (fclose(fo))
		die("cook", out);
	return 0;
}

static int do_wrap(long lba, const char *in, const char *out)
{
	FILE *fi = fopen(in, "rb"), *fo;
	uint8_t s[RAW];
	long n = 0;

	if (!fi)
		die("wrap", in);
	fo = fopen(out, "wb");
	if (!fo)
		die("wrap", out);
	while (fread(s + 16, RAW - 16, 1, fi) == 1) {
		header(s, lba + n++, 2);
		if (fwrite(s, RAW, 1, fo) != 1)
			die("wrap", out);
	}
	fclose(fi);
	if (fclose(fo))
		die("wrap", out);
	return 0;
}

/* ---- ECM ---- */

struct ecm_writer {
	FILE *f;
	const char *name;
	int type;			/* of the record being gathered; -1: none */
	uint32_t count;
	uint8_t *lit;			/* its bytes, when literal */
	size_t lit_len, lit_size;
	uint8_t *data;			/* or its sectors' stored bytes */
	size_t data_len, data_size;
};

static void ecm_put(struct ecm_writer *w, const void *p, size_t n)
{
	if (n && fwrite(p, n, 1, w->f) != 1)
		die("ecm", w->name);
}

static void grow_append(uint8_t **buf, size_t *len, size_t *size, const void *p, size_t n)
{
	if (*len + n > *size) {
		*size = (*len + n) * 2;
		*buf = realloc(*buf, *size);
		if (!*buf)
			die("ecm", "realloc");
	}
	memcpy(*buf + *len, p, n);
	*len += n;
}

/* The gathered record: its type and count-1, 5 bits then 7 a byte, then its bytes. */
static void ecm_flush(struct ecm_writer *w)
{
	uint32_t n;
	uint8_t c;

	if (w->type < 0)
		return;
	n = (w->type ? w->count : (uint32_t)w->lit_len) - 1;
	c = w->type | (n & 0x1f) << 2;
	n >>= 5;
	for (;;) {
		c |= n ? 0x80 : 0;
		ecm_put(w, &c, 1);
		if (!n)
			break;
		c = n & 0x7f;
		n >>= 7;
	}
	if (w->type)
		ecm_put(w, w->data, w->data_len);
	else
		ecm_put(w, w->lit, w->lit_len);
	w->type = -1;
	w->count = 0;
	w->lit_len = w->data_len = 0;
}

static void ecm_literal(struct ecm_writer *w, const uint8_t *p, size_t n)
{
	if (w->type != 0)
		ecm_flush(w);
	w->type = 0;
	grow_append(&w->lit, &w->lit_len, &w->lit_size, p, n);
}

/* A sector of record @type, its stored parts @a (@an bytes) and @b (@bn). */
static void ecm_sector(struct ecm_writer *w, int type, const uint8_t *a, size_t an,
		       const uint8_t *b, size_t bn)
{
	if (w->type != type)
		ecm_flush(w);
	w->type = type;
	w->count++;
	grow_append(&w->data, &w->data_len, &w->data_size, a, an);
	grow_append(&w->data, &w->data_len, &w->data_size, b, bn);
}

static uint32_t edc_more(uint32_t r, const uint8_t *p, size_t len)
{
	while (len--)
		r = (r >> 8) ^ edc_table[(r ^ *p++) & 0xff];
	return r;
}

static int do_ecm(const char *in, const char *out)
{
	struct ecm_writer w = { .name = out, .type = -1 };
	FILE *fi = fopen(in, "rb");
	uint32_t total = 0;
	uint8_t s[RAW], tail[4];
	char why[128];
	size_t n;

	if (!fi)
		die("ecm", in);
	w.f = fopen(out, "wb");
	if (!w.f)
		die("ecm", out);
	ecm_put(&w, "ECM", 4);
	while ((n = fread(s, 1, RAW, fi)) > 0) {
		total = edc_more(total, s, n);
		if (n < RAW || check(s, -1, why, sizeof(why)))
			ecm_literal(&w, s, n);
		else if (s[15] == 1)
			ecm_sector(&w, 1, s + 12, 3, s + 16, 2048);
		else if (!(s[18] & 0x20) || get_le32(s + 2348)) {
			/* mode 2: sync and header as they are, then from the subheader on */
			ecm_literal(&w, s, 16);
			if (s[18] & 0x20)
				ecm_sector(&w, 3, s + 16, 4, s + 24, 2324);
			else
				ecm_sector(&w, 2, s + 16, 4, s + 24, 2048);
		} else {
			ecm_literal(&w, s, n);	/* form 2 without EDC: ECM would add one */
		}
	}
	ecm_flush(&w);
	/* the end: type 0, count-1 0xffffffff; then the EDC of all of IN */
	ecm_put(&w, "\xfc\xff\xff\xff\x3f", 5);
	put_le32(tail, total);
	ecm_put(&w, tail, 4);
	free(w.lit);
	free(w.data);
	fclose(fi);
	if (fclose(w.f))
		die("ecm", out);
	return 0;
}

static int selftest(void)
{
	static const enum kind kinds[] = { MODE1, FORM1, FORM2 };
	uint8_t user[2324], s[RAW], t[RAW];
	char why[128];
	int fails = 0;

	srand(1);
	for (size_t i = 0; i < sizeof(user); i++)
		user[i] = rand();
	for (int k = 0; k < 3; k++) {
		long lba = 16 + 1000 * k;

		encode(s, kinds[k], lba, user, kinds[k] == FORM2 ? 0x20 : 0x08);
		if (check(s, lba, why, sizeof(why))) {
			printf("not ok: kind %d does not verify: %s\n", k, check(s, lba, why, sizeof(why)));
			fails++;
		}
		if (!check(s, lba + 1, why, sizeof(why))) {
			printf("not ok: kind %d verifies at the wrong LBA\n", k);
			fails++;
		}
		/* every byte after the sync: one flipped bit must be noticed (form 2's EDC included) */
		for (int b = 12; b < RAW; b++) {
			memcpy(t, s, RAW);
			t[b] ^= 1 << (b % 8);
			if (!check(t, lba, why, sizeof(why))) {
				printf("not ok: kind %d: a flipped bit in byte %d goes unnoticed\n", k, b);
				fails++;
				break;
			}
		}
	}
	/*
	 * A zeroed mode 1 sector at LBA 0 as libcdio's isofs-m1.bin (written by
	 * other software) holds it: EDC c5 13 68 2b, P parity from 00 f7 00 f5.
	 */
	memset(user, 0, sizeof(user));
	encode(s, MODE1, 0, user, 0);
	if (memcmp(s + 2064, "\xc5\x13\x68\x2b", 4) || memcmp(s + 2076, "\x00\xf7\x00\xf5", 4)) {
		printf("not ok: the zeroed mode 1 sector at LBA 0 has the wrong EDC or P parity\n");
		fails++;
	}
	printf("%s: cdsector selftest\n", fails ? "not ok" : "ok");
	return fails ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *mode = "1";
	long lba = -1, count = -1;
	int submode = -1, quiet = 0;
	enum kind k;
	int i;

	gf_init();
	edc_init();
	if (argc < 2)
		usage();
	for (i = 2; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (!strcmp(argv[i], "--quiet")) {
			quiet = 1;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "--mode"))
			mode = argv[++i];
		else if (!strcmp(argv[i], "--lba"))
			lba = strtol(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--submode"))
			submode = strtol(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--sectors"))
			count = strtol(argv[++i], NULL, 0);
		else
			usage();
	}
	if (!strcmp(mode, "1"))
		k = MODE1;
	else if (!strcmp(mode, "2form1"))
		k = FORM1;
	else if (!strcmp(mode, "2form2"))
		k = FORM2;
	else
		usage();
	if (!strcmp(argv[1], "encode") && argc - i == 2)
		return do_encode(k, lba < 0 ? 0 : lba, submode, count, argv[i], argv[i + 1]);
	if (!strcmp(argv[1], "verify") && argc - i == 1)
		return do_verify(lba, quiet, argv[i]);
	if (!strcmp(argv[1], "cook") && argc - i == 2)
		return do_cook(argv[i], argv[i + 1]);
	if (!strcmp(argv[1], "wrap") && argc - i == 2)
		return do_wrap(lba < 0 ? 0 : lba, argv[i], argv[i + 1]);
	if (!strcmp(argv[1], "ecm") && argc - i == 2)
		return do_ecm(argv[i], argv[i + 1]);
	if (!strcmp(argv[1], "selftest") && argc == i)
		return selftest();
	usage();
	return 2;
}
