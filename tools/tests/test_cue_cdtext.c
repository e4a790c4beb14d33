// SPDX-License-Identifier: GPL-2.0
/*
 * Host-only unit tests of the CUE loader's CD-TEXT (loaders/cue/cdtext.c): the
 * packs it makes of a sheet's text fields, byte for byte with their CRCs,
 * and CDTEXTFILE. Run by test_cue (see test_cue.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "test_cue.h"

/* CRC-16 CCITT, done the slow way, inverted. */
static uint16_t crc_ccitt(const uint8_t *p, unsigned int n)
{
	uint16_t crc = 0;
	unsigned int i, b;

	for (i = 0; i < n; i++)
		for (b = 0; b < 8; b++) {
			bool bit = (p[i] >> (7 - b)) & 1;
			bool top = crc >> 15;

			crc <<= 1;
			if (bit != top)
				crc ^= 0x1021;
		}
	return ~crc;
}

/* Packs of one block: sequence numbers from 0, and CRCs right. */
bool packs_valid(const uint8_t *p, unsigned int len)
{
	unsigned int i;

	if (len % 18)
		return false;
	for (i = 0; i < len / 18; i++, p += 18)
		if (p[2] != i || crc_ccitt(p, 16) != (p[16] << 8 | p[17]))
			return false;
	return true;
}

/* Every pack's CRC, whatever its block. */
bool crcs_valid(const uint8_t *p, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len / 18; i++, p += 18)
		if (crc_ccitt(p, 16) != (p[16] << 8 | p[17]))
			return false;
	return len % 18 == 0;
}

static bool pack_is(const uint8_t *p, uint8_t type, uint8_t trk, uint8_t seq, uint8_t pos,
		    const char *text)
{
	if (p[0] == type && p[1] == trk && p[2] == seq && p[3] == pos && !memcmp(p + 4, text, 12))
		return true;
	printf("# pack %02x %02x %02x %02x \"%.12s\"\n", p[0], p[1], p[2], p[3], p + 4);
	return false;
}

void test_cdtext(void)
{
	struct vcd_disc d;
	const uint8_t *p;
	unsigned int i, counts[16] = { 0 };

	make_bin("cdt.bin", 20 * 2352);
	if (!load_cue("CD-TEXT TITLE", "cdt.cue",
		      "TITLE \"Disc\"\n"
		      "FILE \"cdt.bin\" BINARY\n"
		      "TRACK 01 AUDIO\n"
		      "  TITLE \"Song One Long Name\"\n"
		      "  INDEX 01 00:00:00\n"
		      "TRACK 02 AUDIO\n"
		      "  INDEX 01 00:00:10\n", &d))
		return;
	p = d.cdtext;
	if (!ok(p && d.cdtext_len == 6 * 18, "CD-TEXT TITLE: 3 text packs and 3 SIZE_INFO"))
		goto out;
	ok(packs_valid(p, d.cdtext_len), "CD-TEXT TITLE: sequence numbers and CRCs");
	ok(pack_is(p, 0x80, 0, 0, 0, "Disc\0Song On") &&
	   pack_is(p + 18, 0x80, 1, 1, 7, "e Long Name") &&
	   pack_is(p + 36, 0x80, 2, 2, 0, "\0\0\0\0\0\0\0\0\0\0\0"),
	   "CD-TEXT TITLE: disc, track 1 over two packs (7 characters before), track 2 empty");
	ok(pack_is(p + 54, 0x8f, 0, 3, 0, "\x00\x01\x02\x00\x03\0\0\0\0\0\0") &&
	   pack_is(p + 72, 0x8f, 1, 4, 0, "\0\0\0\0\0\0\0\x03\x05\0\0") &&
	   pack_is(p + 90, 0x8f, 2, 5, 0, "\0\0\0\0\x09\0\0\0\0\0\0") &&
	   p[90 + 4 + 11] == 0,
	   "CD-TEXT SIZE_INFO: Latin-1, tracks 1-2, 3 0x80 and 3 0x8f packs, last 5, English");
out:
	vcd_disc_free(&d);

	if (!load_cue("CD-TEXT every field, UTF-8", "fields.cue",
		      "\xef\xbb\xbfREM a sheet with a BOM\r\n"
		      "TITLE \"Caf\xc3\xa9 \xe2\x98\x95\"\r\n"
		      "PERFORMER The Band\r\n"
		      "SONGWRITER \"S\"\r\n"
		      "COMPOSER \"C\"\r\n"
		      "ARRANGER \"A\"\r\n"
		      "MESSAGE \"M\"\r\n"
		      "DISC_ID \"XY12345\"\r\n"
		      "GENRE \"Jazz\"\r\n"
		      "UPC_EAN \"0123456789012\"\r\n"
		      "SIZE_INFO \"ignored\"\r\n"
		      "FILE \"cdt.bin\" BINARY\r\n"
		      "TRACK 01 AUDIO\r\n"
		      "  PERFORMER \"P1\"\r\n"
		      "  UPC_EAN \"USRC17607839\"\r\n"
		      "  INDEX 01 00:00:00\r\n", &d))
		return;
	p = d.cdtext;
	for (i = 0; p && i < d.cdtext_len / 18; i++)
		counts[p[i * 18] & 0xf]++;
	ok(p && packs_valid(p, d.cdtext_len), "every field: sequence numbers and CRCs");
	ok(counts[0] == 1 && counts[1] == 1 && counts[2] == 1 && counts[3] == 1 &&
	   counts[4] == 1 && counts[5] == 1 && counts[6] == 1 && counts[7] == 1 &&
	   counts[0xe] == 3 && counts[0xf] == 3 && d.cdtext_len == 14 * 18,
	   "every field: a pack of each type, UPC_EAN and ISRC over 3, SIZE_INFO");
	if (p && d.cdtext_len == 14 * 18) {
		ok(pack_is(p, 0x80, 0, 0, 0, "Caf\xe9 ?\0\0\0\0\0"),
		   "UTF-8 TITLE to Latin-1, '?' for what Latin-1 lacks");
		ok(pack_is(p + 18, 0x81, 0, 1, 0, "The Band\0P1\0"),
		   "PERFORMER unquoted: the rest of the line; the track's after the disc's");
		ok(pack_is(p + 6 * 18, 0x86, 0, 6, 0, "XY12345\0\0\0\0"),
		   "DISC_ID: disc only");
		ok(pack_is(p + 7 * 18, 0x87, 0, 7, 0, "\x00\x0eJazz\0\0\0\0\0"),
		   "GENRE: code 0x000e (Jazz), then its text");
		ok(pack_is(p + 8 * 18, 0x8e, 0, 8, 0, "012345678901") &&
		   pack_is(p + 9 * 18, 0x8e, 0, 9, 12, "2\0USRC176078") &&
		   pack_is(p + 10 * 18, 0x8e, 1, 10, 10, "39\0\0\0\0\0\0\0\0\0"),
		   "UPC_EAN: the disc's, then the track's ISRC text");
		ok(pack_is(p + 11 * 18, 0x8f, 0, 11, 0,
			   "\x00\x01\x01\x00\x01\x01\x01\x01\x01\x01\x01\x01") &&
		   pack_is(p + 12 * 18, 0x8f, 1, 12, 0, "\0\0\0\0\0\0\x03\x03\x0d\0\0") &&
		   pack_is(p + 13 * 18, 0x8f, 2, 13, 0, "\0\0\0\0\x09\0\0\0\0\0\0"),
		   "SIZE_INFO: tracks 1-1, a pack of 0x80-0x87 each, 3 of 0x8e, 3 of 0x8f, last 13");
	}
	vcd_disc_free(&d);

	if (load_cue("GENRE without \"Music\"", "genre.cue",
		     "GENRE pop\nFILE \"cdt.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n", &d))
		ok(d.cdtext && pack_is(d.cdtext, 0x87, 0, 0, 0, "\x00\x14pop\0\0\0\0\0\0\0"),
		   "GENRE pop: code 0x0014 (Pop Music)");
	vcd_disc_free(&d);
	if (load_cue("GENRE unknown", "genre2.cue",
		     "GENRE \"Chiptune\"\nFILE \"cdt.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n", &d))
		ok(d.cdtext && pack_is(d.cdtext, 0x87, 0, 0, 0, "\x00\x01" "Chiptune\0\0"),
		   "GENRE Chiptune: code 1 (not defined), and the text");
	vcd_disc_free(&d);

	if (load_cue("Latin-1 sheet", "latin1.cue",
		     "TITLE \"Caf\xe9 \xfc\"\nFILE \"cdt.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n",
		     &d))
		ok(d.cdtext && pack_is(d.cdtext, 0x80, 0, 0, 0, "Caf\xe9 \xfc\0\0\0\0\0\0"),
		   "Latin-1 sheet: text kept as it is");
	vcd_disc_free(&d);
}

void test_cdtextfile(void)
{
	struct vcd_disc d, d2;
	uint8_t buf[4 + 6 * 18 + 1];

	make_bin("cdt.bin", 20 * 2352);
	if (!load_cue("CD-TEXT to copy", "src.cue",
		      "TITLE \"Disc\"\nFILE \"cdt.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n",
		      &d))
		return;
	if (!ok(d.cdtext_len == 4 * 18, "CD-TEXT to copy: 4 packs"))
		goto out;
	write_file("plain.cdt", d.cdtext, d.cdtext_len);
	if (load_cue("CDTEXTFILE", "cdtf.cue",
		     "CDTEXTFILE \"plain.cdt\"\nFILE \"cdt.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n",
		     &d2))
		ok(d2.cdtext_len == d.cdtext_len && !memcmp(d2.cdtext, d.cdtext, d.cdtext_len),
		   "CDTEXTFILE: its packs as they are");
	vcd_disc_free(&d2);

	buf[0] = 0;
	buf[1] = 4 * 18 + 2;
	buf[2] = buf[3] = 0;
	memcpy(buf + 4, d.cdtext, d.cdtext_len);
	buf[4 + d.cdtext_len] = 0;
	write_file("header.CDT", buf, 4 + d.cdtext_len + 1);
	if (load_cue("CDTEXTFILE with READ TOC's header and a NUL after", "cdth.cue",
		     "CDTEXTFILE \"header.cdt\"\nTITLE \"Other\"\n"
		     "FILE \"cdt.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n", &d2))
		ok(d2.cdtext_len == d.cdtext_len && !memcmp(d2.cdtext, d.cdtext, d.cdtext_len) &&
		   notes.n == 1, "CDTEXTFILE with a header, named in another case: the packs; "
		   "a note that the sheet's TITLE is left out");
	vcd_disc_free(&d2);

	memcpy(buf, d.cdtext, d.cdtext_len);
	buf[18 + 5] ^= 1;
	write_file("bad.cdt", buf, d.cdtext_len);
	cue_fails("CDTEXTFILE with a bad CRC",
		  "CDTEXTFILE \"bad.cdt\"\nFILE \"cdt.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n",
		  EINVAL, 1, "\"bad.cdt\": CD-TEXT pack 1 has a bad CRC");
	write_file("short.cdt", buf, 20);
	cue_fails("CDTEXTFILE of the wrong size",
		  "CDTEXTFILE \"short.cdt\"\nFILE \"cdt.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n",
		  EINVAL, 1, "\"short.cdt\" is not a file of 18-byte CD-TEXT packs");
	cue_fails("CDTEXTFILE missing",
		  "CDTEXTFILE \"none.cdt\"\nFILE \"cdt.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n",
		  ENOENT, 1, "\"none.cdt\": No such file or directory");
out:
	vcd_disc_free(&d);
}
