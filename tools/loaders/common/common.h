/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What image loaders share, whatever their format: text encodings, finding
 * a file beside the image, MSF times, WAVE files and CD-TEXT packs.
 */
#ifndef VCDROM_LOADERS_COMMON_H
#define VCDROM_LOADERS_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loaders.h"

/* ---- text.c ---- */

/*
 * Read the text file at @fd (@size bytes, at most @max) whole, NUL-terminated and
 * without a UTF-8 BOM, into *@textp (to free). @what names the format in the
 * refusals: "not a cue sheet". Returns 0 or vcd_load_fail()'s -errno.
 */
int vcd_read_text(int fd, uint64_t size, uint64_t max, const char *path, const char *what,
		  struct vcd_load *ld, char **textp);
/*
 * For a probe: the first @len bytes of the text file at @fd (@size bytes, at
 * most @max) in @buf (@len + 1 bytes), NUL-terminated, after a UTF-8 BOM.
 * NULL when it is too big, cannot be read or holds a NUL: not text.
 */
char *vcd_probe_text(int fd, uint64_t size, uint64_t max, char *buf, size_t len);
bool vcd_text_is_utf8(const char *s);
/*
 * @s (UTF-8 when @utf8, else Latin-1) as CD-TEXT wants it, in ISO 8859-1:
 * in place, never longer. Control characters become spaces, characters
 * Latin-1 lacks '?'; in UTF-8, a byte that starts no sequence (a TOC's
 * octal escape) is taken as Latin-1.
 */
void vcd_text_to_latin1(char *s, bool utf8);
/* @s, a Latin-1 string, in UTF-8; NULL without memory. */
char *vcd_text_latin1_to_utf8(const char *s);

/* ---- lookup.c ---- */

/* The entry of @dir named @name but for case, in @buf; false if there is none. */
bool vcd_find_nocase(const char *dir, const char *name, char *buf, size_t size);
/*
 * Where the file @name, as an image names it, is, in @buf: relative to @dir
 * (unless absolute), each part as named or else but for case; then with
 * Windows' '\' as '/'; then, when the image's text is not UTF-8 (@utf8
 * false), with the name taken as Latin-1, in UTF-8. False when none exists.
 */
bool vcd_find_beside(const char *dir, const char *name, bool utf8, char *buf, size_t size);
/*
 * The file @name compressed, beside the image, as vcd_find_beside() finds
 * it: "x.bin" as "x.bin.ecm", "x.bin.gz", ... (expand/expand.h's extensions).
 */
bool vcd_find_packed(const char *dir, const char *name, bool utf8, char *buf, size_t size);

/* ---- subcode.c ---- */

/* Sectors from index 1 of each track searched for its ISRC and the MCN (Red Book: one in 100). */
#define VCD_SUB_SCAN		300
/*
 * The MCN and the tracks' ISRCs from @disc's stored sub-channel (Q with ADR
 * 2 and 3 whose CRC is good), where the image names none: a drive reads
 * them from the disc. Sectors that cannot be read are passed over.
 */
void vcd_disc_codes_from_sub(struct vcd_disc *disc);

/* ---- msf.c ---- */

/* Sectors between sessions: the lead-out after the first, after later ones, and a lead-in. */
#define VCD_LEADOUT_FIRST	6750		/* 01:30:00 */
#define VCD_LEADOUT_NEXT	2250		/* 00:30:00 */
#define VCD_LEADIN		4500		/* 01:00:00 */
/* The pre-gap a session's first track starts with. */
#define VCD_PREGAP		150		/* 00:02:00 */

/* "mm:ss:ff" in sectors (frames); false when it is not one. */
bool vcd_msf_parse(const char *s, uint32_t *lba);

/* A new extent of @vt at *@lba, @len sectors stored as @format; *@lba moves past it. NULL: no memory. */
struct vcd_extent *vcd_add_extent(struct vcd_track *vt, uint32_t *lba, uint32_t len,
				  uint32_t format);

/* ---- wave.c ---- */

/* Where a WAVE file's samples are. */
struct vcd_wave_data {
	uint64_t offset;		/* bytes into the file */
	uint64_t length;		/* bytes */
	bool to_end;			/* they run to the end of the file */
};

/*
 * Find the PCM data of the WAVE file open at @fd, of @size bytes, which must
 * be CD audio: 16-bit stereo at 44100 Hz. A data chunk whose size is 0, ~0
 * or past the end (with a note) runs to the end of the file. Failures and
 * notes are about @object ("game.cue:3") and name the file as @name.
 * Returns 0 or -EINVAL.
 */
int vcd_wave_find_data(int fd, uint64_t size, const char *object, const char *name,
		       struct vcd_load *ld, struct vcd_wave_data *data);

/* ---- cdtext.c ---- */

/* The text fields of CD-TEXT, in the order of their pack types. */
enum {
	CDT_TITLE, CDT_PERFORMER, CDT_SONGWRITER, CDT_COMPOSER, CDT_ARRANGER, CDT_MESSAGE,
	CDT_DISC_ID, CDT_GENRE, CDT_UPC_EAN, CDT_NR
};

struct vcd_cdtext_field {
	const char *name;		/* as the CD-TEXT specification and cue sheets name it */
	uint8_t type;			/* pack type */
	bool disc_only;
};

extern const struct vcd_cdtext_field vcd_cdtext_fields[CDT_NR];

/* A track's texts, for vcd_cdtext_build(). */
struct vcd_cdtext_track {
	unsigned int number;
	char *const *text;		/* CDT_NR strings in Latin-1, NULL when none */
};

/* A CD-TEXT pack's CRC, over its first 16 bytes, as stored in bytes 16-17 (big-endian). */
uint16_t vcd_cdtext_crc(const uint8_t *pack);
/*
 * NULL when the @n packs at @packs have known types and right CRCs; else what
 * is wrong ("type", "CRC"), and the first such pack's number in *@bad.
 */
const char *vcd_cdtext_bad_pack(const uint8_t *packs, unsigned int n, unsigned int *bad);
/*
 * Block 0 of CD-TEXT (in language @lang, ISO 8859-1) from the disc's texts @disc_text
 * (CDT_NR, NULL when none) and @nr_tracks tracks' (at least one; their texts
 * of disc-only fields are left out), ending in the SIZE_INFO packs; GENRE's
 * text gets its genre code. *@packs is NULL when there is no text at all,
 * else malloc()ed. Returns 0, -ENOMEM, or -E2BIG when the texts need more
 * than one block of 256 packs (or GENRE's is longer than 197 bytes).
 */
int vcd_cdtext_build(char *const *disc_text, const struct vcd_cdtext_track *tracks,
		     unsigned int nr_tracks, uint8_t lang, uint8_t **packs, unsigned int *len);

/* ---- cdsector.c ---- */

/* The CD EDC (a CRC-32) of @len bytes at @buf, on from @crc (0 to start). */
uint32_t vcd_cd_edc(uint32_t crc, const void *buf, size_t len);
/*
 * The ECC P and Q parity (bytes 2076-2351) of the 2352-byte data sector
 * @sector, whose bytes 12-2075 are final; @zero_header: computed with the
 * header as zeros, as mode 2 has it.
 */
void vcd_cd_ecc(uint8_t *sector, bool zero_header);

#endif /* VCDROM_LOADERS_COMMON_H */
