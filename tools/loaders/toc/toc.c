// SPDX-License-Identifier: GPL-2.0
/*
 * The TOC loader: a cdrdao toc-file, as cdrdao(1) describes it, and the
 * files it names, turned into the neutral disc layout.
 *
 * The text is cut into tokens (words, "strings", { } : , #) with their line
 * numbers, then parsed in cdrdao's order: header (CATALOG, CD_DA, CD_ROM,
 * CD_ROM_XA, CD_I), a disc CD_TEXT block, then TRACKs. Files are opened as
 * they are named, to know their sizes.
 *
 * How a TOC becomes a layout:
 * - A track is the concatenation of its SILENCE, ZERO, FILE/AUDIOFILE and
 *   DATAFILE parts, in bytes; each part must hold whole sectors of the
 *   track's size, but the track's last part may end inside a sector when it
 *   runs to the end of its file (the rest reads as zeros).
 * - Times are MM:SS:FF sectors; plain numbers are samples (FILE, SILENCE)
 *   or bytes (DATAFILE, ZERO).
 * - A DATAFILE without #offset goes on where the last DATAFILE of that file
 *   stopped (0 at first); without a length it runs to the end of the file.
 * - Raw audio is big-endian unless SWAP is given; a ".wav" file is a WAVE
 *   file, little-endian, whose data chunk is used.
 * - START (or PREGAP, a ZERO part and START) ends the pre-gap: index 1.
 *   INDEX positions count from index 1.
 * - CD-TEXT: language 0's block is built (in its LANGUAGE_MAP language);
 *   other languages are left out with a note.
 *
 * Errors name the file and line ("a.toc:12: unknown track mode \"MODE3\"");
 * nothing is kept from a TOC that has one.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/common.h"
#include "helpers.h"
#include "loaders.h"

#define TOC_MAX_SIZE		(1 << 20)	/* a bigger file is no TOC */
#define TOC_PROBE_SIZE		4096
#define SUBCHAN_SIZE		96
#define SAMPLE_SIZE		4		/* 16-bit stereo */
#define AUDIO_SIZE		2352

enum { SUB_NONE, SUB_RW, SUB_RW_RAW };

struct toc_mode {
	const char *name;
	uint32_t mode;			/* enum vcdrom_track_mode; MODE2 is XA on CD_ROM_XA */
	uint32_t format;		/* enum vcdrom_sector_format */
	unsigned int size;		/* bytes per stored sector */
	bool track;			/* allowed for TRACK, not only for ZERO */
};

static const struct toc_mode modes[] = {
	{ "AUDIO",		VCDROM_TRACK_AUDIO,	VCDROM_SECTOR_RAW,		2352, true },
	{ "MODE0",		VCDROM_TRACK_MODE1,	VCDROM_SECTOR_ZERO,		2336, false },
	{ "MODE1",		VCDROM_TRACK_MODE1,	VCDROM_SECTOR_COOKED_2048,	2048, true },
	{ "MODE1_RAW",		VCDROM_TRACK_MODE1,	VCDROM_SECTOR_RAW,		2352, true },
	{ "MODE2",		VCDROM_TRACK_MODE2,	VCDROM_SECTOR_MODE2,		2336, true },
	{ "MODE2_RAW",		VCDROM_TRACK_MODE2,	VCDROM_SECTOR_RAW,		2352, true },
	{ "MODE2_FORM1",	VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_COOKED_2048,	2048, true },
	{ "MODE2_FORM2",	VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_COOKED_2324,	2324, true },
	{ "MODE2_FORM_MIX",	VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_MODE2,		2336, true },
};

/* A token of the text. */
enum tok_type { T_END, T_WORD, T_STR, T_PUNCT };
struct toc_tok {
	enum tok_type type;
	char *s;			/* T_WORD, T_STR; malloc()ed */
	char c;				/* T_PUNCT */
	unsigned int line;
};

struct toc_file {
	char *name;
	int disc_file;
	uint64_t size;
	bool wave;
	uint64_t data_off, data_len;	/* the samples or bytes: WAVE's data chunk, or all */
	bool partial_ok;		/* WAVE data running to the end of the file */
	uint64_t running;		/* where the next DATAFILE without #offset starts */
};

/* Part of a track: ZERO (file < 0) or bytes of a file. */
struct toc_part {
	int file;			/* index into toc.files, or -1 */
	uint64_t offset, len;		/* bytes */
	uint32_t format;
	bool to_end;			/* it runs to the end of its file */
	unsigned int line;
};

struct toc_track {
	unsigned int number, line;
	const struct toc_mode *mode;
	unsigned int subchan;
	uint32_t flags;
	char isrc[VCDROM_ISRC_LEN + 1];
	struct toc_part *parts;
	unsigned int nr_parts;
	uint64_t bytes;			/* over its parts */
	uint64_t start;			/* bytes of pre-gap */
	unsigned int nr_indexes;
	uint32_t indexes[VCDROM_MAX_INDEXES];	/* sectors after index 1 */
	char *text[CDT_NR];
};

struct toc {
	const char *path;
	char *dir;
	struct vcd_load *ld;
	struct vcd_disc *disc;
	bool utf8;

	struct toc_tok *toks;
	unsigned int nr_toks, pos;

	bool xa;			/* CD_ROM_XA or CD_I */
	char mcn[VCDROM_MCN_LEN + 1];
	struct toc_file *files;
	unsigned int nr_files;
	struct toc_track *tracks;
	unsigned int nr_tracks;
	char *text[CDT_NR];
	int lang[8];			/* LANGUAGE_MAP; -1 when not mapped */
	unsigned int other_langs;	/* CD-TEXT blocks of languages 1-7 */
	unsigned int other_langs_line;
};

/* ---- errors ---- */

#define toc_fail_err(t, err, line, ...) \
	vcd_load_fail_at((t)->ld, err, (t)->path, line, __VA_ARGS__)
#define toc_fail(t, line, ...) toc_fail_err(t, EINVAL, line, __VA_ARGS__)
#define toc_note(t, line, ...) vcd_load_note_at((t)->ld, (t)->path, line, __VA_ARGS__)

static int toc_nomem(struct toc *t)
{
	return vcd_load_fail(t->ld, ENOMEM, t->path, NULL);
}

static void *grow(void *arr, unsigned int n, size_t size)
{
	char *p = realloc(arr, (n + 1) * size);

	if (p)
		memset(p + n * size, 0, size);
	return p;
}

/* ---- tokens ---- */

static bool is_punct(char c)
{
	return c == '{' || c == '}' || c == ':' || c == ',' || c == '#';
}

static int add_tok(struct toc *t, enum tok_type type, char *s, char c, unsigned int line)
{
	struct toc_tok *tok = grow(t->toks, t->nr_toks, sizeof(*tok));

	if (!tok) {
		free(s);
		return toc_nomem(t);
	}
	t->toks = tok;
	tok[t->nr_toks].type = type;
	tok[t->nr_toks].s = s;
	tok[t->nr_toks].c = c;
	tok[t->nr_toks].line = line;
	t->nr_toks++;
	return 0;
}

/* A "string": \" is a quote, \ooo an octal byte, any other \ itself; no newline. */
static int lex_string(struct toc *t, const char **pp, unsigned int line)
{
	const char *p = *pp + 1;
	char *s = malloc(strlen(p) + 1), *o = s;

	if (!s)
		return toc_nomem(t);
	for (;;) {
		if (!*p || *p == '\n' || *p == '\r') {
			free(s);
			return toc_fail(t, line, "a string is not closed");
		}
		if (*p == '"')
			break;
		if (p[0] == '\\' && p[1] == '"') {
			*o++ = '"';
			p += 2;
		} else if (p[0] == '\\' && p[1] >= '0' && p[1] <= '7' && p[2] >= '0' &&
			   p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
			*o++ = (p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0');
			p += 4;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	*pp = p + 1;
	return add_tok(t, T_STR, s, 0, line);
}

static int lex(struct toc *t, const char *p)
{
	unsigned int line = 1;
	const char *start;
	char *s;
	int ret;

	for (;;) {
		if (*p == '\n') {
			line++;
			p++;
		} else if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\v') {
			p++;
		} else if (p[0] == '/' && p[1] == '/') {
			p += strcspn(p, "\n");
		} else if (!*p) {
			return add_tok(t, T_END, NULL, 0, line);
		} else if (*p == '"') {
			ret = lex_string(t, &p, line);
			if (ret)
				return ret;
		} else if (is_punct(*p)) {
			ret = add_tok(t, T_PUNCT, NULL, *p++, line);
			if (ret)
				return ret;
		} else {
			start = p;
			while (*p && !strchr(" \t\r\n\f\v\"", *p) && !is_punct(*p) &&
			       !(p[0] == '/' && p[1] == '/'))
				p++;
			s = strndup(start, p - start);
			if (!s)
				return toc_nomem(t);
			ret = add_tok(t, T_WORD, s, 0, line);
			if (ret)
				return ret;
		}
	}
}

static const struct toc_tok *peek(struct toc *t)
{
	return &t->toks[t->pos];
}

static const struct toc_tok *next(struct toc *t)
{
	const struct toc_tok *tok = &t->toks[t->pos];

	if (tok->type != T_END)
		t->pos++;
	return tok;
}

static bool is_word(const struct toc_tok *tok, const char *w)
{
	return tok->type == T_WORD && !strcmp(tok->s, w);
}

static bool accept(struct toc *t, const char *w)
{
	if (!is_word(peek(t), w))
		return false;
	next(t);
	return true;
}

static bool accept_punct(struct toc *t, char c)
{
	if (peek(t)->type != T_PUNCT || peek(t)->c != c)
		return false;
	next(t);
	return true;
}

/* What a token is, for messages. */
static const char *tok_text(const struct toc_tok *tok, char *buf, size_t size)
{
	switch (tok->type) {
	case T_END:
		return "the end of the file";
	case T_PUNCT:
		snprintf(buf, size, "\"%c\"", tok->c);
		break;
	case T_STR:
		snprintf(buf, size, "the string \"%.40s\"", tok->s);
		break;
	default:
		snprintf(buf, size, "\"%.40s\"", tok->s);
	}
	return buf;
}

static int expected(struct toc *t, const char *what)
{
	const struct toc_tok *tok = peek(t);
	char buf[64];

	return toc_fail(t, tok->line, "%s expected, not %s", what, tok_text(tok, buf, sizeof(buf)));
}

static int need_punct(struct toc *t, char c)
{
	char what[8];

	if (accept_punct(t, c))
		return 0;
	snprintf(what, sizeof(what), "\"%c\"", c);
	return expected(t, what);
}

static bool is_number(const struct toc_tok *tok)
{
	return tok->type == T_WORD && tok->s[0] && strspn(tok->s, "0123456789") == strlen(tok->s);
}

static int get_number(struct toc *t, uint64_t max, uint64_t *v, const char *what)
{
	const struct toc_tok *tok = peek(t);

	if (!is_number(tok))
		return expected(t, what);
	errno = 0;
	*v = strtoull(tok->s, NULL, 10);
	if (errno || *v > max)
		return toc_fail(t, tok->line, "%s \"%s\" is too big", what, tok->s);
	next(t);
	return 0;
}

/* Whether an MSF time comes next. */
static bool at_msf(struct toc *t)
{
	const struct toc_tok *tok = peek(t);

	return is_number(tok) && tok[1].type == T_PUNCT && tok[1].c == ':';
}

/* MM:SS:FF in sectors. */
static int get_msf(struct toc *t, uint32_t *lba)
{
	unsigned int line = peek(t)->line;
	uint64_t m, s, f;
	int ret;

	ret = get_number(t, 99999, &m, "a time (MM:SS:FF)");
	if (!ret)
		ret = need_punct(t, ':');
	if (!ret)
		ret = get_number(t, 99999, &s, "a time (MM:SS:FF)");
	if (!ret)
		ret = need_punct(t, ':');
	if (!ret)
		ret = get_number(t, 99999, &f, "a time (MM:SS:FF)");
	if (ret)
		return ret;
	if (s > 59 || f > 74)
		return toc_fail(t, line, "bad time %llu:%llu:%llu (seconds below 60, frames below 75)",
				(unsigned long long)m, (unsigned long long)s,
				(unsigned long long)f);
	*lba = (m * 60 + s) * 75 + f;
	return 0;
}

/* A length or position: MM:SS:FF sectors of @block bytes, or a number of @unit bytes. */
static int get_amount(struct toc *t, unsigned int block, unsigned int unit, uint64_t *bytes)
{
	uint32_t lba;
	uint64_t n;
	int ret;

	if (at_msf(t)) {
		ret = get_msf(t, &lba);
		*bytes = (uint64_t)lba * block;
		return ret;
	}
	ret = get_number(t, (1ULL << 40), &n, "a length (MM:SS:FF or a number)");
	*bytes = n * unit;
	return ret;
}

static int get_string(struct toc *t, const char **s, const char *what)
{
	const struct toc_tok *tok = peek(t);

	if (tok->type != T_STR)
		return expected(t, what);
	*s = tok->s;
	next(t);
	return 0;
}

/* ---- CD-TEXT ---- */

static const char *const encodings[] = {
	"ENCODING_ISO_8859_1", "ENCODING_ASCII", "ENCODING_MS_JIS", "ENCODING_KOREAN",
	"ENCODING_MANDARIN",
};

/* { n, n, ... }: bytes; GENRE's are its code (2 bytes) then its text. */
static int skip_binary(struct toc *t, char *buf, size_t size, size_t *len)
{
	uint64_t v;
	int ret;

	*len = 0;
	ret = need_punct(t, '{');
	if (ret || accept_punct(t, '}'))
		return ret;
	do {
		ret = get_number(t, 255, &v, "a byte (0 to 255)");
		if (ret)
			return ret;
		if (*len + 1 < size)
			buf[(*len)++] = v;
	} while (accept_punct(t, ','));
	buf[*len] = '\0';
	return need_punct(t, '}');
}

static int cdtext_item(struct toc *t, struct toc_track *tr, bool keep)
{
	static const char *const ignored[] = {
		"TOC_INFO1", "TOC_INFO2", "SIZE_INFO", "RESERVED1", "RESERVED2", "RESERVED3",
		"RESERVED4",
	};
	const struct toc_tok *tok = next(t);
	char **dst, bin[256];
	unsigned int f, i, line = tok->line;
	const char *s = NULL;
	size_t len;
	int ret;

	for (f = 0; f < CDT_NR; f++)
		if (!strcmp(tok->s, vcd_cdtext_fields[f].name))
			break;
	if (!strcmp(tok->s, "ISRC"))
		f = CDT_UPC_EAN;
	if (f == CDT_NR) {
		for (i = 0; i < ARRAY_SIZE(ignored); i++)
			if (!strcmp(tok->s, ignored[i]))
				break;
		if (i == ARRAY_SIZE(ignored))
			return toc_fail(t, line, "unknown CD-TEXT item \"%s\"", tok->s);
		if (tr && strcmp(tok->s, "TOC_INFO1") && strncmp(tok->s, "RESERVED", 8))
			goto disc_only;
	} else if (tr && vcd_cdtext_fields[f].disc_only) {
		goto disc_only;
	}
	if (peek(t)->type == T_STR) {
		s = peek(t)->s;
		next(t);
	} else if (peek(t)->type == T_PUNCT && peek(t)->c == '{') {
		ret = skip_binary(t, bin, sizeof(bin), &len);
		if (ret)
			return ret;
		/* GENRE: a genre code, then text; others: text as bytes */
		s = f == CDT_GENRE ? (len > 2 ? bin + 2 : "") : bin;
	} else {
		return expected(t, "a \"string\" or { bytes }");
	}
	if (f == CDT_NR || !keep)
		return 0;
	dst = tr ? &tr->text[f] : &t->text[f];
	if (*dst)
		return toc_fail(t, line, "a second %s", tok->s);
	*dst = strdup(s);
	if (!*dst)
		return toc_nomem(t);
	vcd_text_to_latin1(*dst, t->utf8);
	if (strlen(*dst) > 160)
		return toc_fail(t, line, "%s is longer than 160 characters", tok->s);
	return 0;

disc_only:
	return toc_fail(t, line, "%s is for the disc's CD_TEXT, not a track's", tok->s);
}

static int cdtext_language(struct toc *t, struct toc_track *tr)
{
	unsigned int line = next(t)->line, i;
	uint64_t n;
	int ret;

	ret = get_number(t, 7, &n, "a language number (0 to 7)");
	if (!ret)
		ret = need_punct(t, '{');
	if (ret)
		return ret;
	if (t->lang[n] < 0)
		return toc_fail(t, line, "LANGUAGE %u is not in the LANGUAGE_MAP", (unsigned int)n);
	if (n) {
		if (!t->other_langs)
			t->other_langs_line = line;
		t->other_langs |= 1 << n;
	}
	while (!accept_punct(t, '}')) {
		if (peek(t)->type != T_WORD)
			return expected(t, "a CD-TEXT item or \"}\"");
		for (i = 0; i < ARRAY_SIZE(encodings); i++)
			if (is_word(peek(t), encodings[i]))
				break;
		if (i < ARRAY_SIZE(encodings)) {
			if (!n && i > 1)
				return toc_fail(t, peek(t)->line,
						"CD-TEXT in %s is not supported (only ISO 8859-1)",
						encodings[i] + 9);
			next(t);
			continue;
		}
		ret = cdtext_item(t, tr, !n);
		if (ret)
			return ret;
	}
	return 0;
}

static int cdtext_block(struct toc *t, struct toc_track *tr)
{
	unsigned int line = next(t)->line;
	uint64_t n, code;
	int ret;

	ret = need_punct(t, '{');
	if (ret)
		return ret;
	if (accept(t, "LANGUAGE_MAP")) {
		if (tr)
			return toc_fail(t, line, "LANGUAGE_MAP is for the disc's CD_TEXT");
		ret = need_punct(t, '{');
		if (ret)
			return ret;
		do {
			ret = get_number(t, 7, &n, "a language number (0 to 7)");
			if (!ret)
				ret = need_punct(t, ':');
			if (ret)
				return ret;
			if (accept(t, "EN"))
				code = 9;
			else if ((ret = get_number(t, 255, &code, "a language code (0 to 255 or EN)")))
				return ret;
			t->lang[n] = code;
		} while (!accept_punct(t, '}'));
	}
	while (!accept_punct(t, '}')) {
		if (!is_word(peek(t), "LANGUAGE"))
			return expected(t, "LANGUAGE or \"}\"");
		ret = cdtext_language(t, tr);
		if (ret)
			return ret;
	}
	return 0;
}

static int build_cdtext(struct toc *t)
{
	struct vcd_cdtext_track tracks[VCDROM_MAX_TRACKS];
	unsigned int i;
	int ret;

	if (t->other_langs)
		toc_note(t, t->other_langs_line,
			 "CD-TEXT of languages other than 0 is left out; only block 0 is made");
	for (i = 0; i < t->nr_tracks; i++) {
		tracks[i].number = t->tracks[i].number;
		tracks[i].text = t->tracks[i].text;
	}
	ret = vcd_cdtext_build(t->text, tracks, t->nr_tracks, t->lang[0] < 0 ? 9 : t->lang[0],
			       &t->disc->cdtext, &t->disc->cdtext_len);
	if (ret == -ENOMEM)
		return toc_nomem(t);
	if (ret)
		return toc_fail(t, 0, "CD-TEXT is too long: more than 256 packs in a block");
	return 0;
}

/* ---- files ---- */

static bool is_wave_name(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot && !strcasecmp(dot, ".wav");
}

/* The file @name, opened the first time it is named. Returns its index. */
static int get_file(struct toc *t, const char *name, unsigned int line)
{
	char path[PATH_MAX], object[PATH_MAX + 16];
	struct vcd_wave_data data;
	struct toc_file *f;
	unsigned int i;
	uint64_t size;
	int fd, ret;

	for (i = 0; i < t->nr_files; i++)
		if (!strcmp(t->files[i].name, name))
			return i;
	if (!name[0])
		return toc_fail(t, line, "a file needs a name");
	if (!strcmp(name, "-"))
		return toc_fail(t, line, "\"-\" (standard input) cannot be inserted");
	if (t->nr_files == VCDROM_MAX_FILES)
		return toc_fail(t, line, "more than %d files", VCDROM_MAX_FILES);
	if (!vcd_find_beside(t->dir, name, t->utf8, path, sizeof(path)) &&
	    !vcd_find_packed(t->dir, name, t->utf8, path, sizeof(path)))
		return toc_fail_err(t, ENOENT, line, "\"%s\": %s", name, strerror(ENOENT));
	fd = vcd_open_image_file(path, &size, t->ld);
	if (fd < 0)
		return toc_fail_err(t, t->ld->err, line, "\"%s\": %s", name, t->ld->reason);
	f = grow(t->files, t->nr_files, sizeof(*f));
	if (!f) {
		close(fd);
		return toc_nomem(t);
	}
	t->files = f;
	f = &f[t->nr_files];
	f->disc_file = vcd_disc_add_file(t->disc, fd, path, size);
	if (f->disc_file < 0)
		return toc_nomem(t);
	f->name = strdup(name);
	if (!f->name)
		return toc_nomem(t);
	t->nr_files++;
	f->size = size;
	f->data_len = size;
	if (is_wave_name(name)) {
		f->wave = true;
		snprintf(object, sizeof(object), "%s:%u", t->path, line);
		ret = vcd_wave_find_data(fd, size, object, name, t->ld, &data);
		if (ret)
			return ret;
		f->data_off = data.offset;
		f->data_len = data.length;
		f->partial_ok = data.to_end;
	}
	return t->nr_files - 1;
}

/* ---- tracks ---- */

static unsigned int block_size(const struct toc_track *tr)
{
	return tr->mode->size + (tr->subchan == SUB_RW_RAW ? SUBCHAN_SIZE : 0);
}

static int add_part(struct toc *t, struct toc_track *tr, int file, uint64_t offset,
		    uint64_t len, uint32_t format, bool to_end, unsigned int line)
{
	struct toc_part *p;

	if (!len)
		return toc_fail(t, line, "a part of length 0");
	if (tr->bytes % block_size(tr))
		return toc_fail(t, tr->parts[tr->nr_parts - 1].line,
				"track %u: this part ends inside a %u-byte sector, and more follows",
				tr->number, block_size(tr));
	if (tr->bytes + len > (uint64_t)VCDROM_CD_MAX_LEADOUT * block_size(tr))
		return toc_fail(t, line, "track %u is longer than a CD", tr->number);
	p = grow(tr->parts, tr->nr_parts, sizeof(*p));
	if (!p)
		return toc_nomem(t);
	tr->parts = p;
	p = &p[tr->nr_parts++];
	p->file = file;
	p->offset = offset;
	p->len = len;
	p->format = format;
	p->to_end = to_end;
	p->line = line;
	tr->bytes += len;
	return 0;
}

/* The sector format of audio from @f: big-endian raw unless WAVE or SWAP. */
static int audio_format(struct toc *t, struct toc_track *tr, const struct toc_file *f,
			bool swap, unsigned int line, uint32_t *format)
{
	bool le = f->wave != swap;

	if (tr->subchan == SUB_RW_RAW) {
		if (!le)
			return toc_fail(t, line, "track %u: big-endian audio with sub-channel data is not supported (SWAP it)",
					tr->number);
		*format = VCDROM_SECTOR_RAW_PW;
	} else {
		*format = le ? VCDROM_SECTOR_RAW : VCDROM_SECTOR_RAW_SWAPPED;
	}
	return 0;
}

/* FILE / AUDIOFILE "name" [SWAP] [#offset] start [length] */
static int part_audiofile(struct toc *t, struct toc_track *tr, unsigned int line)
{
	uint64_t offset = 0, start, len = 0, avail;
	bool swap, has_offset = false;
	const char *name = NULL;
	struct toc_file *f;
	uint32_t format = 0;
	int fi, ret;

	if (tr->mode->mode != VCDROM_TRACK_AUDIO)
		return toc_fail(t, line, "FILE/AUDIOFILE is for AUDIO tracks (DATAFILE for data)");
	if (tr->subchan != SUB_NONE)
		return toc_fail(t, line, "FILE/AUDIOFILE is for tracks without sub-channel data");
	ret = get_string(t, &name, "a \"file name\"");
	if (ret)
		return ret;
	swap = accept(t, "SWAP");
	if (accept_punct(t, '#')) {
		ret = get_number(t, 1ULL << 48, &offset, "a byte offset");
		if (ret)
			return ret;
		has_offset = true;
	}
	ret = get_amount(t, AUDIO_SIZE, SAMPLE_SIZE, &start);
	if (ret)
		return ret;
	if (at_msf(t) || is_number(peek(t))) {
		ret = get_amount(t, AUDIO_SIZE, SAMPLE_SIZE, &len);
		if (ret)
			return ret;
	}
	fi = get_file(t, name, line);
	if (fi < 0)
		return fi;
	f = &t->files[fi];
	if (f->wave && has_offset)
		return toc_fail(t, line, "\"%s\": #offset in a WAVE file is not supported", name);
	ret = audio_format(t, tr, f, swap, line, &format);
	if (ret)
		return ret;
	if (offset > f->data_len || start >= f->data_len - offset)
		return toc_fail(t, line, "\"%s\": its start is past its end (%llu bytes of audio)",
				name, (unsigned long long)f->data_len);
	avail = f->data_len - offset - start;
	if (len > avail)
		return toc_fail(t, line, "\"%s\": %llu bytes from its start asked, %llu there",
				name, (unsigned long long)len, (unsigned long long)avail);
	return add_part(t, tr, fi, f->data_off + offset + start, len ?: avail, format,
			(!len || len == avail) && (!f->wave || f->partial_ok), line);
}

/* DATAFILE "name" [#offset] [length] */
static int part_datafile(struct toc *t, struct toc_track *tr, unsigned int line)
{
	uint64_t offset, len = 0, avail;
	bool has_offset = false;
	const char *name = NULL;
	struct toc_file *f;
	uint32_t format = 0;
	int fi, ret;

	ret = get_string(t, &name, "a \"file name\"");
	if (ret)
		return ret;
	if (accept_punct(t, '#')) {
		ret = get_number(t, 1ULL << 48, &offset, "a byte offset");
		if (ret)
			return ret;
		has_offset = true;
	}
	if (at_msf(t) || is_number(peek(t))) {
		ret = get_amount(t, block_size(tr), 1, &len);
		if (ret)
			return ret;
	}
	fi = get_file(t, name, line);
	if (fi < 0)
		return fi;
	f = &t->files[fi];
	if (f->wave && tr->mode->mode != VCDROM_TRACK_AUDIO)
		return toc_fail(t, line, "\"%s\": a WAVE file holds audio, not %s", name,
				tr->mode->name);
	if (f->wave && has_offset)
		return toc_fail(t, line, "\"%s\": #offset in a WAVE file is not supported", name);
	if (!has_offset)
		offset = f->running;
	if (tr->mode->mode == VCDROM_TRACK_AUDIO) {
		ret = audio_format(t, tr, f, false, line, &format);
		if (ret)
			return ret;
	} else {
		format = tr->subchan == SUB_RW_RAW ? VCDROM_SECTOR_RAW_PW : tr->mode->format;
	}
	if (offset >= f->data_len)
		return toc_fail(t, line, "\"%s\": offset %llu is past its end (%llu bytes)", name,
				(unsigned long long)offset, (unsigned long long)f->data_len);
	avail = f->data_len - offset;
	if (len > avail)
		return toc_fail(t, line, "\"%s\": %llu bytes from offset %llu asked, %llu there",
				name, (unsigned long long)len, (unsigned long long)offset,
				(unsigned long long)avail);
	if (!len)
		len = avail;
	f->running = offset + len;
	return add_part(t, tr, fi, f->data_off + offset, len, format,
			len == avail && (!f->wave || f->partial_ok), line);
}

static const struct toc_mode *find_mode(const char *name, bool track)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(modes); i++)
		if (!strcmp(name, modes[i].name) && (modes[i].track || !track))
			return &modes[i];
	return NULL;
}

/* ZERO [mode] [RW | RW_RAW] length */
static int part_zero(struct toc *t, struct toc_track *tr, unsigned int line)
{
	const struct toc_mode *mode = tr->mode;
	unsigned int sub = tr->subchan, size;
	uint64_t len;
	int ret;

	if (peek(t)->type == T_WORD && find_mode(peek(t)->s, false))
		mode = find_mode(next(t)->s, false);
	if (accept(t, "RW"))
		sub = SUB_RW;
	else if (accept(t, "RW_RAW"))
		sub = SUB_RW_RAW;
	size = mode->size + (sub != SUB_NONE ? SUBCHAN_SIZE : 0);
	ret = get_amount(t, size, 1, &len);
	if (ret)
		return ret;
	if (!len)
		return toc_fail(t, line, "ZERO of length 0");
	if (len % size)
		return toc_fail(t, line, "ZERO of %llu bytes: not whole %u-byte sectors",
				(unsigned long long)len, size);
	/* the sectors count, in the track's own size */
	return add_part(t, tr, -1, 0, len / size * block_size(tr), VCDROM_SECTOR_ZERO, false,
			line);
}

static int part_silence(struct toc *t, struct toc_track *tr, unsigned int line)
{
	uint64_t len;
	int ret;

	if (tr->mode->mode != VCDROM_TRACK_AUDIO || tr->subchan != SUB_NONE)
		return toc_fail(t, line, "SILENCE is for AUDIO tracks without sub-channel data (ZERO for data)");
	ret = get_amount(t, AUDIO_SIZE, SAMPLE_SIZE, &len);
	if (ret)
		return ret;
	if (!len)
		return toc_fail(t, line, "SILENCE of length 0");
	if (len % AUDIO_SIZE)
		return toc_fail(t, line, "SILENCE of %llu samples: not whole sectors of 588",
				(unsigned long long)len / SAMPLE_SIZE);
	return add_part(t, tr, -1, 0, len, VCDROM_SECTOR_ZERO, false, line);
}

static int track_flags(struct toc *t, struct toc_track *tr)
{
	const struct toc_tok *tok;
	const char *s = NULL;
	bool no;
	int ret;

	for (;;) {
		tok = peek(t);
		no = is_word(tok, "NO");
		if (no)
			tok = &tok[1];
		if (is_word(tok, "COPY") || is_word(tok, "PRE_EMPHASIS")) {
			uint32_t bit = is_word(tok, "COPY") ? VCDROM_TRACK_F_DCP :
				       VCDROM_TRACK_F_PRE;

			t->pos += no ? 2 : 1;
			tr->flags = no ? tr->flags & ~bit : tr->flags | bit;
		} else if (no) {
			next(t);
			return expected(t, "COPY or PRE_EMPHASIS after NO");
		} else if (accept(t, "TWO_CHANNEL_AUDIO")) {
			tr->flags &= ~VCDROM_TRACK_F_4CH;
		} else if (accept(t, "FOUR_CHANNEL_AUDIO")) {
			tr->flags |= VCDROM_TRACK_F_4CH;
		} else if (is_word(tok, "ISRC")) {
			unsigned int line = next(t)->line, i;

			ret = get_string(t, &s, "an ISRC \"CCOOOYYSSSSS\"");
			if (ret)
				return ret;
			for (i = 0; i < VCDROM_ISRC_LEN && s[i]; i++)
				if (!(isdigit((unsigned char)s[i]) ||
				      (i < 5 && isupper((unsigned char)s[i]))))
					break;
			if (strlen(s) != VCDROM_ISRC_LEN || i != VCDROM_ISRC_LEN)
				return toc_fail(t, line, "bad ISRC \"%s\" (CCOOOYYSSSSS: 5 capitals or digits, then 7 digits)",
						s);
			memcpy(tr->isrc, s, VCDROM_ISRC_LEN + 1);
		} else {
			return 0;
		}
	}
}

static int track_index(struct toc *t, struct toc_track *tr)
{
	unsigned int line = next(t)->line;
	uint32_t pos;
	int ret;

	ret = get_msf(t, &pos);
	if (ret)
		return ret;
	if (tr->nr_indexes == VCDROM_MAX_INDEXES)
		return toc_fail(t, line, "more than %d INDEX increments", VCDROM_MAX_INDEXES);
	if (!pos)
		return toc_fail(t, line, "INDEX at the start of the track (that is index 1)");
	if (tr->nr_indexes && pos <= tr->indexes[tr->nr_indexes - 1])
		return toc_fail(t, line, "INDEX is not after the INDEX before it");
	if ((uint64_t)pos * block_size(tr) + tr->start >= tr->bytes)
		return toc_fail(t, line, "INDEX past the end of track %u", tr->number);
	tr->indexes[tr->nr_indexes++] = pos;
	return 0;
}

static int parse_track(struct toc *t)
{
	const struct toc_tok *tok = next(t);
	unsigned int line = tok->line, start_line = 0;
	struct toc_track *tr;
	bool has_start = false, any = false;
	uint64_t start = 0;
	uint32_t lba;
	int ret;

	if (t->nr_tracks == VCDROM_MAX_TRACKS)
		return toc_fail(t, line, "more than %d tracks", VCDROM_MAX_TRACKS);
	tr = grow(t->tracks, t->nr_tracks, sizeof(*tr));
	if (!tr)
		return toc_nomem(t);
	t->tracks = tr;
	tr = &tr[t->nr_tracks++];
	tr->number = t->nr_tracks;
	tr->line = line;
	tok = peek(t);
	if (tok->type != T_WORD)
		return expected(t, "a track mode");
	tr->mode = find_mode(tok->s, true);
	if (!tr->mode)
		return toc_fail(t, tok->line, "unknown track mode \"%s\"", tok->s);
	next(t);
	if (is_word(peek(t), "RW"))
		return toc_fail(t, peek(t)->line,
				"sub-channel mode RW (packed R-W) is not supported; RW_RAW is");
	if (accept(t, "RW_RAW")) {
		if (tr->mode->size != AUDIO_SIZE)
			return toc_fail(t, line, "RW_RAW sub-channel data is supported with AUDIO, MODE1_RAW and MODE2_RAW, not %s",
					tr->mode->name);
		tr->subchan = SUB_RW_RAW;
	}

	ret = track_flags(t, tr);
	if (ret)
		return ret;
	if (is_word(peek(t), "CD_TEXT")) {
		ret = cdtext_block(t, tr);
		if (ret)
			return ret;
	}
	if (is_word(peek(t), "PREGAP")) {
		start_line = next(t)->line;
		ret = get_msf(t, &lba);
		if (ret)
			return ret;
		if (!lba)
			return toc_fail(t, start_line, "PREGAP of length 0");
		ret = add_part(t, tr, -1, 0, (uint64_t)lba * block_size(tr), VCDROM_SECTOR_ZERO,
			       false, start_line);
		if (ret)
			return ret;
		start = tr->bytes;
		has_start = true;
	}
	for (;;) {
		tok = peek(t);
		if (is_word(tok, "START")) {
			next(t);
			if (has_start)
				return toc_fail(t, tok->line, "a second START (or START after PREGAP)");
			has_start = true;
			start_line = tok->line;
			start = tr->bytes;
			if (at_msf(t)) {
				ret = get_msf(t, &lba);
				if (ret)
					return ret;
				start = (uint64_t)lba * block_size(tr);
			}
			continue;
		}
		if (is_word(tok, "FIFO"))
			return toc_fail(t, tok->line, "FIFO cannot be inserted (its data is read once)");
		if (is_word(tok, "END"))
			return toc_fail(t, tok->line, "END (a post-gap index mark) is not supported");
		if (is_word(tok, "SILENCE"))
			ret = part_silence(t, tr, next(t)->line);
		else if (is_word(tok, "ZERO"))
			ret = part_zero(t, tr, next(t)->line);
		else if (is_word(tok, "FILE") || is_word(tok, "AUDIOFILE"))
			ret = part_audiofile(t, tr, next(t)->line);
		else if (is_word(tok, "DATAFILE"))
			ret = part_datafile(t, tr, next(t)->line);
		else
			break;
		if (ret)
			return ret;
		any = true;
	}
	if (!any)
		return expected(t, "SILENCE, ZERO, FILE, AUDIOFILE or DATAFILE");
	if (has_start) {
		if (start % block_size(tr))
			start += block_size(tr) - start % block_size(tr);
		if (start >= tr->bytes)
			return toc_fail(t, start_line, "START at or after the end of track %u",
					tr->number);
		tr->start = start;
	}
	while (is_word(peek(t), "INDEX")) {
		ret = track_index(t, tr);
		if (ret)
			return ret;
	}
	return 0;
}

static int parse(struct toc *t)
{
	const struct toc_tok *tok;
	const char *s = NULL;
	int ret;

	for (;;) {
		tok = peek(t);
		if (is_word(tok, "CATALOG")) {
			next(t);
			ret = get_string(t, &s, "a \"catalog number\" (13 digits)");
			if (ret)
				return ret;
			if (strlen(s) != VCDROM_MCN_LEN || strspn(s, "0123456789") != VCDROM_MCN_LEN)
				return toc_fail(t, tok->line, "bad CATALOG \"%s\" (13 digits)", s);
			memcpy(t->mcn, s, VCDROM_MCN_LEN + 1);
		} else if (is_word(tok, "CD_DA") || is_word(tok, "CD_ROM")) {
			next(t);
			t->xa = false;
		} else if (is_word(tok, "CD_ROM_XA") || is_word(tok, "CD_I")) {
			next(t);
			t->xa = true;
		} else {
			break;
		}
	}
	if (is_word(peek(t), "CD_TEXT")) {
		ret = cdtext_block(t, NULL);
		if (ret)
			return ret;
	}
	while (is_word(peek(t), "TRACK")) {
		ret = parse_track(t);
		if (ret)
			return ret;
	}
	if (peek(t)->type != T_END)
		return expected(t, t->nr_tracks ? "TRACK" : "a header statement or TRACK");
	if (!t->nr_tracks)
		return toc_fail(t, 0, "no TRACK");
	return 0;
}

/* ---- the layout ---- */

static int lay_out(struct toc *t)
{
	struct vcd_session *vs = vcd_disc_add_session(t->disc);
	const struct toc_track *tr;
	const struct toc_part *p;
	struct vcd_track *vt;
	struct vcd_extent *e;
	unsigned int i, j, size;
	uint64_t lba = 0, first;
	uint32_t len;

	if (!vs)
		return toc_nomem(t);
	for (i = 0; i < t->nr_tracks; i++) {
		tr = &t->tracks[i];
		size = block_size(tr);
		if (tr->bytes % size && !tr->parts[tr->nr_parts - 1].to_end)
			return toc_fail(t, tr->parts[tr->nr_parts - 1].line,
					"track %u ends inside a %u-byte sector before the end of its file",
					tr->number, size);
		vt = vcd_session_add_track(vs);
		if (!vt)
			return toc_nomem(t);
		vt->number = tr->number;
		vt->mode = tr->mode->mode;
		if (vt->mode == VCDROM_TRACK_MODE2 && t->xa)
			vt->mode = VCDROM_TRACK_MODE2_XA;
		vt->flags = tr->flags;
		if (vt->mode != VCDROM_TRACK_AUDIO)
			vt->flags &= VCDROM_TRACK_F_DCP;
		memcpy(vt->isrc, tr->isrc, sizeof(vt->isrc));
		first = lba;
		for (j = 0; j < tr->nr_parts; j++) {
			p = &tr->parts[j];
			len = (p->len + size - 1) / size;
			if (lba + len > VCDROM_CD_MAX_LEADOUT)
				return toc_fail(t, p->line, "track %u ends past 99:59:74, the end of a CD",
						tr->number);
			e = vcd_track_add_extent(vt);
			if (!e)
				return toc_nomem(t);
			e->start = lba;
			e->length = len;
			e->format = p->format;
			if (p->file >= 0) {
				e->file = t->files[p->file].disc_file;
				e->offset = p->offset;
			}
			lba += len;
		}
		vt->start = first + tr->start / size;
		for (j = 0; j < tr->nr_indexes; j++)
			if (vcd_track_add_index(vt, vt->start + tr->indexes[j]))
				return toc_nomem(t);
	}
	t->disc->medium = VCDROM_MEDIUM_CD;
	memcpy(t->disc->mcn, t->mcn, sizeof(t->disc->mcn));
	return build_cdtext(t);
}

/* ---- the loader ---- */

static void free_toc(struct toc *t)
{
	unsigned int i, f;

	for (i = 0; i < t->nr_toks; i++)
		free(t->toks[i].s);
	for (i = 0; i < t->nr_files; i++)
		free(t->files[i].name);
	for (i = 0; i < t->nr_tracks; i++) {
		free(t->tracks[i].parts);
		for (f = 0; f < CDT_NR; f++)
			free(t->tracks[i].text[f]);
	}
	for (f = 0; f < CDT_NR; f++)
		free(t->text[f]);
	free(t->toks);
	free(t->files);
	free(t->tracks);
	free(t->dir);
}

static int read_text(struct toc *t, int fd, uint64_t size, char **textp)
{
	return vcd_read_text(fd, size, TOC_MAX_SIZE, t->path, "a TOC file", t->ld, textp);
}

int vcd_load_toc(int fd, const char *path, uint64_t size, struct vcd_disc *disc,
		 struct vcd_load *ld)
{
	struct toc t = { .path = path, .ld = ld, .disc = disc };
	const char *slash = strrchr(path, '/');
	char *text = NULL;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(t.lang); i++)
		t.lang[i] = -1;
	t.lang[0] = 9;		/* language 0 is English unless mapped */
	ret = read_text(&t, fd, size, &text);
	close(fd);
	if (ret)
		return ret;
	t.dir = slash ? strndup(path, slash == path ? 1 : slash - path) : strdup(".");
	if (!t.dir) {
		ret = toc_nomem(&t);
		goto out;
	}
	t.utf8 = vcd_text_is_utf8(text);
	ret = lex(&t, text);
	if (!ret)
		ret = parse(&t);
	if (!ret)
		ret = lay_out(&t);
out:
	free(text);
	free_toc(&t);
	return ret;
}

/*
 * Text whose first word (after a BOM, blanks and // comments) is one a TOC
 * starts with; CATALOG with a "string" and TRACK with a mode, unlike a cue
 * sheet's.
 */
int vcd_probe_toc(int fd, uint64_t size)
{
	static const char *const first[] = {
		"CD_DA", "CD_ROM", "CD_ROM_XA", "CD_I", "CATALOG", "CD_TEXT", "TRACK",
	};
	char buf[TOC_PROBE_SIZE + 1], *p;
	unsigned int i;
	size_t len;

	p = vcd_probe_text(fd, size, TOC_MAX_SIZE, buf, TOC_PROBE_SIZE);
	if (!p)
		return VCD_PROBE_NO;
	for (;;) {
		p += strspn(p, " \t\r\n");
		if (p[0] == '/' && p[1] == '/') {
			p += strcspn(p, "\n");
			continue;
		}
		len = strcspn(p, " \t\r\n\"{/");
		if (!len || !p[len])
			return VCD_PROBE_NO;
		for (i = 0; i < ARRAY_SIZE(first); i++)
			if (strlen(first[i]) == len && !strncmp(p, first[i], len))
				break;
		if (i == ARRAY_SIZE(first))
			return VCD_PROBE_NO;
		p += len + strspn(p + len, " \t\r\n");
		if (!strcmp(first[i], "CATALOG"))
			return *p == '"' ? VCD_PROBE_MAYBE : VCD_PROBE_NO;
		if (!strcmp(first[i], "TRACK"))
			return isupper((unsigned char)*p) ? VCD_PROBE_MAYBE : VCD_PROBE_NO;
		return VCD_PROBE_MAYBE;
	}
}
