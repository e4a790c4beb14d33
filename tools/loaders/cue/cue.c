// SPDX-License-Identifier: GPL-2.0
/*
 * The CUE loader: a CDRWIN cue sheet, as it is written in the wild, and the
 * files it names, turned into the neutral disc layout.
 *
 * It works in two steps. parse_sheet() reads the sheet's commands into a
 * cue_sheet, checking each line on its own and the order of lines; nothing
 * is opened. build_disc() then opens the FILEs (relative to the sheet's
 * folder, else by a case-insensitive match there), walks each file's INDEX
 * points to cut it into per-track segments of stored sectors, and lays the
 * tracks out from LBA 0, session after session.
 *
 * How a sheet becomes a layout:
 * - An INDEX is a position in sectors from the start of its FILE; bytes are
 *   found by walking the file, each track's sectors having that track's
 *   size. A track's stored sectors run from its first INDEX to the next
 *   track's first INDEX, or to the end of the file; a track may go on into
 *   the next FILE (EAC's "gaps appended to the previous track" sheets).
 *   Sectors of a FILE before its first INDEX belong to the track before,
 *   or, in the first FILE, to the first track (its pregap).
 * - PREGAP is a ZERO extent before a track's stored sectors, POSTGAP one
 *   after them; index 0 is where a track's first extent starts.
 * - REM SESSION n starts session n; the next session's first extent starts
 *   the previous session's lead-out (6750 sectors after session 1, 2250
 *   after later ones, or REM LEAD-OUT's) plus a 4500-sector lead-in later.
 * - CATALOG 0000000000000 and ISRC 000000000000, which rippers write for
 *   "none", are taken as none.
 * - A WAVE file's data chunk must hold whole sectors, except when it runs
 *   to the end of the file: then the last sector is zero-filled, with a note.
 *
 * Errors name the sheet and line ("game.cue:12: unknown track mode
 * \"MODE3/2352\""); nothing is kept from a sheet that has one.
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

#include "cue.h"


#define CUE_MAX_SIZE		(1 << 20)	/* a bigger file is no cue sheet */
#define CUE_PROBE_SIZE		4096


static const char *const file_types[] = {
	[CUE_BINARY]	= "BINARY",
	[CUE_MOTOROLA]	= "MOTOROLA",
	[CUE_WAVE]	= "WAVE",
};
static const struct cue_mode modes[] = {
	{ "AUDIO",	VCDROM_TRACK_AUDIO,	VCDROM_SECTOR_RAW,		2352 },
	{ "CDG",	VCDROM_TRACK_AUDIO,	VCDROM_SECTOR_RAW_PW,		2448 },
	{ "MODE1/2048",	VCDROM_TRACK_MODE1,	VCDROM_SECTOR_COOKED_2048,	2048 },
	{ "MODE1/2352",	VCDROM_TRACK_MODE1,	VCDROM_SECTOR_RAW,		2352 },
	{ "MODE2/2048",	VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_COOKED_2048,	2048 },
	{ "MODE2/2324",	VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_COOKED_2324,	2324 },
	{ "MODE2/2336",	VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_MODE2,		2336 },
	{ "MODE2/2352",	VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_RAW,		2352 },
	{ "CDI/2336",	VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_MODE2,		2336 },
	{ "CDI/2352",	VCDROM_TRACK_MODE2_XA,	VCDROM_SECTOR_RAW,		2352 },
};
/* ---- errors ---- */

/* A note about line @line of the sheet. */
#define cue_note(cs, line, ...) vcd_load_note_at((cs)->ld, (cs)->path, line, __VA_ARGS__)
#define cue_fail(cs, ...) cue_fail_at(cs, (cs)->line, __VA_ARGS__)

int cue_nomem(struct cue_sheet *cs)
{
	return vcd_load_fail(cs->ld, ENOMEM, cs->path, NULL);
}

/* ---- text ---- */

/* The next word, or "quoted text", of *@s; NULL at the end (or, with *@err, on a bad quote). */
static char *next_token(char **s, bool *quoted, bool *err)
{
	char *p = *s, *tok, *end;

	*quoted = false;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p) {
		*s = p;
		return NULL;
	}
	if (*p == '"') {
		end = strchr(p + 1, '"');
		if (!end) {
			*err = true;
			return NULL;
		}
		*quoted = true;
		*end = '\0';
		*s = end + 1;
		return p + 1;
	}
	tok = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (*p)
		*p++ = '\0';
	*s = p;
	return tok;
}

/* ---- parsing the sheet ---- */

/* What a line's command is given: its words, quotes removed. */
struct cue_args {
	char *v[8];
	bool quoted[8];
	unsigned int n;
	char *rest;			/* after the command word, trimmed */
};

static int split_args(struct cue_sheet *cs, char *line, char **cmd, struct cue_args *a)
{
	bool quoted, rem, err = false;
	char *s = line, *tok, *end;

	memset(a, 0, sizeof(*a));
	*cmd = next_token(&s, &quoted, &err);
	while (*s == ' ' || *s == '\t')
		s++;
	a->rest = strdup(s);
	if (!a->rest)
		return cue_nomem(cs);
	end = a->rest + strlen(a->rest);
	while (end > a->rest && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	/* a REM is free text: only its first words count */
	rem = *cmd && !strcasecmp(*cmd, "REM");
	while ((tok = next_token(&s, &quoted, &err))) {
		if (a->n == ARRAY_SIZE(a->v)) {
			if (rem)
				break;
			return cue_fail(cs, "too many words");
		}
		a->quoted[a->n] = quoted;
		a->v[a->n++] = tok;
	}
	if (err && !rem)
		return cue_fail(cs, "a quote is not closed");
	return 0;
}

static int need_args(struct cue_sheet *cs, const char *cmd, const struct cue_args *a,
		     unsigned int min, unsigned int max, const char *what)
{
	if (a->n < min)
		return cue_fail(cs, "%s needs %s", cmd, what);
	if (a->n > max)
		return cue_fail(cs, "unexpected \"%s\" after %s", a->v[max], cmd);
	return 0;
}

static int get_msf(struct cue_sheet *cs, const char *s, uint32_t *lba)
{
	if (!vcd_msf_parse(s, lba))
		return cue_fail(cs, "bad time \"%s\" (mm:ss:ff, ss below 60, ff below 75)", s);
	return 0;
}

/* A number of 1 or 2 digits, up to @max. */
static bool parse_num(const char *s, unsigned int max, unsigned int *v)
{
	size_t len = strlen(s);

	if (!len || len > 2 || strspn(s, "0123456789") != len)
		return false;
	*v = atoi(s);
	return *v <= max;
}

static struct cue_track *cur_track(struct cue_sheet *cs)
{
	return cs->nr_tracks ? &cs->tracks[cs->nr_tracks - 1] : NULL;
}

static bool has_index1(const struct cue_sheet *cs, const struct cue_track *t)
{
	return t->nr_points > 1 || (t->nr_points && cs->points[t->first_point].number == 1);
}

/* The track a track-level command is about, or NULL (said) when there is none. */
static struct cue_track *need_track(struct cue_sheet *cs, const char *cmd)
{
	struct cue_track *t = cur_track(cs);

	if (!t)
		cue_fail(cs, "%s before the first TRACK", cmd);
	return t;
}

static void *grow(void *arr, unsigned int n, size_t size)
{
	char *p = realloc(arr, (n + 1) * size);

	if (p)
		memset(p + n * size, 0, size);
	return p;
}

static int cmd_file(struct cue_sheet *cs, const struct cue_args *a)
{
	struct cue_file *f;
	unsigned int type;
	int ret = need_args(cs, "FILE", a, 2, 2, "a name and a type");

	if (ret)
		return ret;
	for (type = 0; type < ARRAY_SIZE(file_types); type++)
		if (!strcasecmp(a->v[1], file_types[type]))
			break;
	if (type == ARRAY_SIZE(file_types))
		return cue_fail(cs, "unknown file type \"%s\" (BINARY, MOTOROLA or WAVE)", a->v[1]);
	if (!a->v[0][0])
		return cue_fail(cs, "FILE needs a name");
	if (cs->nr_files == VCDROM_MAX_FILES)
		return cue_fail(cs, "more than %d FILEs", VCDROM_MAX_FILES);
	f = grow(cs->files, cs->nr_files, sizeof(*f));
	if (!f)
		return cue_nomem(cs);
	cs->files = f;
	f = &f[cs->nr_files];
	f->name = strdup(a->v[0]);
	if (!f->name)
		return cue_nomem(cs);
	f->line = cs->line;
	f->type = type;
	f->disc_file = -1;
	cs->nr_files++;
	return 0;
}

static int cmd_track(struct cue_sheet *cs, const struct cue_args *a)
{
	const struct cue_track *prev = cur_track(cs);
	struct cue_track *t;
	unsigned int number, i;
	int ret = need_args(cs, "TRACK", a, 2, 2, "a number and a mode");

	if (ret)
		return ret;
	if (!cs->nr_files)
		return cue_fail(cs, "TRACK before the first FILE");
	if (!parse_num(a->v[0], 99, &number) || !number)
		return cue_fail(cs, "bad track number \"%s\" (1 to 99)", a->v[0]);
	if (prev && number != prev->number + 1)
		return cue_fail(cs, "track %u after track %u (tracks are numbered one up)",
				number, prev->number);
	for (i = 0; i < ARRAY_SIZE(modes); i++)
		if (!strcasecmp(a->v[1], modes[i].name))
			break;
	if (i == ARRAY_SIZE(modes))
		return cue_fail(cs, "unknown track mode \"%s\"", a->v[1]);
	if (prev && !has_index1(cs, prev))
		return cue_fail_at(cs, prev->line, "track %u has no INDEX 01", prev->number);

	t = grow(cs->tracks, cs->nr_tracks, sizeof(*t));
	if (!t)
		return cue_nomem(cs);
	cs->tracks = t;
	t = &t[cs->nr_tracks++];
	if (!cs->session)
		cs->session = 1;
	t->number = number;
	t->line = cs->line;
	t->session = cs->session;
	t->mode = &modes[i];
	t->first_point = cs->nr_points;
	return 0;
}

static int cmd_index(struct cue_sheet *cs, const struct cue_args *a)
{
	struct cue_track *t = need_track(cs, "INDEX");
	const struct cue_point *last;
	struct cue_point *p;
	unsigned int number;
	uint32_t pos;
	int ret;

	if (!t)
		return -EINVAL;
	ret = need_args(cs, "INDEX", a, 2, 2, "a number and a time");
	if (ret)
		return ret;
	if (!parse_num(a->v[0], 99, &number))
		return cue_fail(cs, "bad index number \"%s\" (0 to 99)", a->v[0]);
	ret = get_msf(cs, a->v[1], &pos);
	if (ret)
		return ret;
	last = t->nr_points ? &cs->points[cs->nr_points - 1] : NULL;
	if (!last && number > 1)
		return cue_fail(cs, "INDEX %02u before INDEX 01", number);
	if (last && number != last->number + 1)
		return cue_fail(cs, "INDEX %02u after INDEX %02u (indexes are numbered one up)",
				number, last->number);
	if (t->has_postgap)
		return cue_fail(cs, "INDEX after POSTGAP");

	p = grow(cs->points, cs->nr_points, sizeof(*p));
	if (!p)
		return cue_nomem(cs);
	cs->points = p;
	p = &p[cs->nr_points++];
	p->track = cs->nr_tracks - 1;
	p->number = number;
	p->file = cs->nr_files - 1;
	p->pos = pos;
	p->line = cs->line;
	t->nr_points++;
	return 0;
}

static int cmd_gap(struct cue_sheet *cs, const char *cmd, const struct cue_args *a)
{
	struct cue_track *t = need_track(cs, cmd);
	bool pre = !strcasecmp(cmd, "PREGAP");
	uint32_t len;
	int ret;

	if (!t)
		return -EINVAL;
	ret = need_args(cs, cmd, a, 1, 1, "a time");
	if (!ret)
		ret = get_msf(cs, a->v[0], &len);
	if (ret)
		return ret;
	if (pre ? t->has_pregap : t->has_postgap)
		return cue_fail(cs, "a second %s in track %u", cmd, t->number);
	if (pre && t->nr_points)
		return cue_fail(cs, "PREGAP after INDEX (it comes before them)");
	if (!pre && !t->nr_points)
		return cue_fail(cs, "POSTGAP before INDEX (it comes after them)");
	if (pre) {
		t->pregap = len;
		t->has_pregap = true;
	} else {
		t->postgap = len;
		t->has_postgap = true;
	}
	return 0;
}

static int cmd_flags(struct cue_sheet *cs, const struct cue_args *a)
{
	struct cue_track *t = need_track(cs, "FLAGS");
	unsigned int i;

	if (!t)
		return -EINVAL;
	if (!a->n)
		return cue_fail(cs, "FLAGS needs a flag (DCP, 4CH, PRE or SCMS)");
	if (t->has_flags)
		return cue_fail(cs, "a second FLAGS in track %u", t->number);
	t->has_flags = true;
	for (i = 0; i < a->n; i++) {
		if (!strcasecmp(a->v[i], "DCP"))
			t->flags |= VCDROM_TRACK_F_DCP;
		else if (!strcasecmp(a->v[i], "4CH"))
			t->flags |= VCDROM_TRACK_F_4CH;
		else if (!strcasecmp(a->v[i], "PRE"))
			t->flags |= VCDROM_TRACK_F_PRE;
		else if (strcasecmp(a->v[i], "SCMS"))	/* copy management: not in a TOC */
			return cue_fail(cs, "unknown flag \"%s\" (DCP, 4CH, PRE or SCMS)",
					a->v[i]);
	}
	return 0;
}

static int cmd_isrc(struct cue_sheet *cs, const struct cue_args *a)
{
	struct cue_track *t = need_track(cs, "ISRC");
	const char *s;
	unsigned int i;
	int ret;

	if (!t)
		return -EINVAL;
	ret = need_args(cs, "ISRC", a, 1, 1, "a code");
	if (ret)
		return ret;
	s = a->v[0];
	if (strlen(s) != VCDROM_ISRC_LEN || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"abcdefghijklmnopqrstuvwxyz0123456789") != VCDROM_ISRC_LEN)
		return cue_fail(cs, "bad ISRC \"%s\" (12 letters and digits)", s);
	if (t->has_isrc)
		return cue_fail(cs, "a second ISRC in track %u", t->number);
	t->has_isrc = true;
	if (strspn(s, "0") == VCDROM_ISRC_LEN)
		return 0;
	for (i = 0; i < VCDROM_ISRC_LEN; i++)
		t->isrc[i] = toupper((unsigned char)s[i]);
	return 0;
}

static int cmd_catalog(struct cue_sheet *cs, const struct cue_args *a)
{
	int ret = need_args(cs, "CATALOG", a, 1, 1, "13 digits");

	if (ret)
		return ret;
	if (cs->nr_tracks)
		return cue_fail(cs, "CATALOG after the first TRACK");
	if (cs->has_catalog)
		return cue_fail(cs, "a second CATALOG");
	if (strlen(a->v[0]) != VCDROM_MCN_LEN ||
	    strspn(a->v[0], "0123456789") != VCDROM_MCN_LEN)
		return cue_fail(cs, "bad CATALOG \"%s\" (13 digits)", a->v[0]);
	cs->has_catalog = true;
	if (strspn(a->v[0], "0") != VCDROM_MCN_LEN)
		memcpy(cs->mcn, a->v[0], VCDROM_MCN_LEN + 1);
	return 0;
}

static int cmd_cdtextfile(struct cue_sheet *cs, const struct cue_args *a)
{
	int ret = need_args(cs, "CDTEXTFILE", a, 1, 1, "a file name");

	if (ret)
		return ret;
	if (cs->cdtextfile)
		return cue_fail(cs, "a second CDTEXTFILE");
	cs->cdtextfile = strdup(a->v[0]);
	if (!cs->cdtextfile)
		return cue_nomem(cs);
	cs->cdtextfile_line = cs->line;
	return 0;
}

static int cmd_text(struct cue_sheet *cs, unsigned int field, const struct cue_args *a)
{
	const char *name = vcd_cdtext_fields[field].name;
	struct cue_track *t = cur_track(cs);
	char **dst = t ? &t->text[field] : &cs->text[field];
	char *text;

	if (!a->n)
		return cue_fail(cs, "%s needs a text", name);
	/* "quoted", or the rest of the line as it is */
	if (a->quoted[0] && a->n > 1)
		return cue_fail(cs, "unexpected \"%s\" after %s", a->v[1], name);
	text = a->quoted[0] ? a->v[0] : a->rest;
	if (t && vcd_cdtext_fields[field].disc_only)
		return cue_fail(cs, "%s is for the disc (before the first TRACK), not a track",
				name);
	if (*dst)
		return cue_fail(cs, "a second %s for %s", name, t ? "the track" : "the disc");
	*dst = strdup(text);
	if (!*dst)
		return cue_nomem(cs);
	vcd_text_to_latin1(*dst, cs->utf8);
	if (strlen(*dst) > 160)
		return cue_fail(cs, "%s is longer than 160 characters", name);
	return 0;
}

static int cmd_rem(struct cue_sheet *cs, const struct cue_args *a)
{
	struct cue_track *t = cur_track(cs);
	unsigned int n;
	uint32_t len;
	int ret;

	if (a->n && !strcasecmp(a->v[0], "SESSION")) {
		if (a->n != 2 || !parse_num(a->v[1], VCDROM_MAX_SESSIONS, &n) || !n)
			return cue_fail(cs, "REM SESSION needs a session number (1 to %d)",
					VCDROM_MAX_SESSIONS);
		if (!cs->session && n != 1)
			return cue_fail(cs, "REM SESSION %u before session 1", n);
		if (cs->session && (n != cs->session + 1 || !t || t->session != cs->session))
			return cue_fail(cs, "REM SESSION %u after session %u%s", n, cs->session,
					t && t->session == cs->session ? "" :
					" without a TRACK");
		cs->session = n;
		cs->explicit_sessions = true;
		return 0;
	}
	if (a->n && !strcasecmp(a->v[0], "LEAD-OUT")) {
		if (a->n != 2)
			return cue_fail(cs, "REM LEAD-OUT needs a time");
		ret = get_msf(cs, a->v[1], &len);
		if (ret)
			return ret;
		if (!t || t->session != cs->session)
			return cue_fail(cs, "REM LEAD-OUT before the session's first TRACK");
		if (cs->sessions[cs->session].has_leadout)
			return cue_fail(cs, "a second REM LEAD-OUT in session %u", cs->session);
		cs->sessions[cs->session].leadout = len;
		cs->sessions[cs->session].has_leadout = true;
	}
	/* any other REM is a comment */
	return 0;
}

static int parse_line(struct cue_sheet *cs, char *line)
{
	struct cue_args a;
	unsigned int i;
	char *cmd;
	int ret;

	ret = split_args(cs, line, &cmd, &a);
	if (ret || !cmd)
		goto out;
	if (!strcasecmp(cmd, "REM")) {
		ret = cmd_rem(cs, &a);
	} else if (!strcasecmp(cmd, "FILE")) {
		ret = cmd_file(cs, &a);
	} else if (!strcasecmp(cmd, "TRACK")) {
		ret = cmd_track(cs, &a);
	} else if (!strcasecmp(cmd, "INDEX")) {
		ret = cmd_index(cs, &a);
	} else if (!strcasecmp(cmd, "PREGAP") || !strcasecmp(cmd, "POSTGAP")) {
		ret = cmd_gap(cs, cmd, &a);
	} else if (!strcasecmp(cmd, "FLAGS")) {
		ret = cmd_flags(cs, &a);
	} else if (!strcasecmp(cmd, "ISRC")) {
		ret = cmd_isrc(cs, &a);
	} else if (!strcasecmp(cmd, "CATALOG")) {
		ret = cmd_catalog(cs, &a);
	} else if (!strcasecmp(cmd, "CDTEXTFILE")) {
		ret = cmd_cdtextfile(cs, &a);
	} else if (!strcasecmp(cmd, "SIZE_INFO")) {
		ret = 0;		/* made here from the other fields */
	} else {
		for (i = 0; i < CDT_NR; i++)
			if (!strcasecmp(cmd, vcd_cdtext_fields[i].name))
				break;
		if (i < CDT_NR)
			ret = cmd_text(cs, i, &a);
		else
			ret = cue_fail(cs, "unknown command \"%s\"", cmd);
	}
out:
	free(a.rest);
	return ret;
}

/* Read the sheet from @fd: the text without BOM, NUL-terminated. */
static int read_sheet(struct cue_sheet *cs, int fd, uint64_t size, char **textp)
{
	return vcd_read_text(fd, size, CUE_MAX_SIZE, cs->path, "a cue sheet", cs->ld, textp);
}

static int parse_sheet(struct cue_sheet *cs, char *text)
{
	char *line, *next, *cr;
	int ret;

	cs->utf8 = vcd_text_is_utf8(text);
	for (line = text, cs->line = 1; line; line = next, cs->line++) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		cr = strchr(line, '\r');	/* CRLF; a stray CR ends the line too */
		if (cr)
			*cr = '\0';
		ret = parse_line(cs, line);
		if (ret)
			return ret;
	}
	cs->line = 0;
	if (!cs->nr_tracks)
		return cue_fail(cs, "no TRACK");
	if (!has_index1(cs, cur_track(cs)))
		return cue_fail_at(cs, cur_track(cs)->line, "track %u has no INDEX 01",
				   cur_track(cs)->number);
	if (cs->explicit_sessions && cur_track(cs)->session != cs->session)
		return cue_fail(cs, "session %u has no TRACK", cs->session);
	return 0;
}

/* ---- the files ---- */

/* Where the file @name of the sheet is, in @buf: beside the sheet (see vcd_find_beside()). */
bool cue_find_file(struct cue_sheet *cs, const char *name, char *buf, size_t size)
{
	return vcd_find_beside(cs->dir, name, cs->utf8, buf, size);
}

/*
 * A sheet with a single FILE that is not found: the sheet's own name with
 * that file's extension ("p1.cue" naming "BOING.BIN": "p1.bin").
 */
static bool guess_file(struct cue_sheet *cs, const char *name, char *buf, size_t size)
{
	const char *base = strrchr(cs->path, '/');
	const char *ext = strrchr(name, '.');
	char *guess, *dot;
	bool found;

	base = base ? base + 1 : cs->path;
	if (cs->nr_files != 1 || !ext || strchr(ext, '/') || strchr(ext, '\\'))
		return false;
	if (asprintf(&guess, "%s%s", base, ext) < 0)
		return false;
	/* "p1.cue" and "BOING.BIN": "p1.BIN"; the sheet's own extension goes */
	dot = strrchr(base, '.');
	if (dot) {
		free(guess);
		if (asprintf(&guess, "%.*s%s", (int)(dot - base), base, ext) < 0)
			return false;
	}
	found = vcd_find_nocase(cs->dir, guess, buf, size);
	free(guess);
	return found;
}

/* Find a WAVE file's PCM data: 16-bit stereo at 44100 Hz, as on a CD. */
static int parse_wave(struct cue_sheet *cs, struct cue_file *f, int fd, uint64_t size)
{
	struct vcd_wave_data data;
	char object[PATH_MAX + 16];
	int ret;

	snprintf(object, sizeof(object), "%s:%u", cs->path, f->line);
	ret = vcd_wave_find_data(fd, size, object, f->name, cs->ld, &data);
	if (ret)
		return ret;
	f->data_off = data.offset;
	f->data_len = data.length;
	f->partial_ok = data.to_end;
	return 0;
}

static int open_files(struct cue_sheet *cs, struct vcd_disc *disc)
{
	char path[PATH_MAX];
	struct cue_file *f;
	unsigned int i;
	uint64_t size;
	int fd, ret;

	for (i = 0; i < cs->nr_files; i++) {
		f = &cs->files[i];
		if (!cue_find_file(cs, f->name, path, sizeof(path)) &&
		    !vcd_find_packed(cs->dir, f->name, cs->utf8, path, sizeof(path))) {
			if (!guess_file(cs, f->name, path, sizeof(path)))
				return cue_fail_err(cs, ENOENT, f->line, "\"%s\": %s", f->name,
						    strerror(ENOENT));
			cue_note(cs, f->line, "\"%s\" not found; using %s", f->name, path);
		}
		fd = vcd_open_image_file(path, &size, cs->ld);
		if (fd < 0)
			return cue_fail_err(cs, cs->ld->err, f->line, "\"%s\": %s", f->name,
					    cs->ld->reason);
		f->disc_file = vcd_disc_add_file(disc, fd, path, size);
		if (f->disc_file < 0)
			return cue_nomem(cs);
		f->data_len = size;
		if (f->type == CUE_WAVE) {
			ret = parse_wave(cs, f, fd, size);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* ---- from the sheet to the layout ---- */

static int add_segment(struct cue_sheet *cs, struct cue_track *t, unsigned int file,
		       uint64_t offset, uint32_t length)
{
	struct cue_segment *s;

	if (!length)
		return 0;
	s = grow(t->segs, t->nr_segs, sizeof(*s));
	if (!s)
		return cue_nomem(cs);
	t->segs = s;
	s[t->nr_segs].file = file;
	s[t->nr_segs].offset = offset;
	s[t->nr_segs].length = length;
	t->nr_segs++;
	t->stored += length;
	return 0;
}

/*
 * Cut file @fi into segments of the tracks its INDEX points fall in, and
 * place each point in its track. @cur is the track the file starts in
 * (the last one of the file before), or -1.
 */
static int walk_file(struct cue_sheet *cs, unsigned int fi, int *cur)
{
	struct cue_file *f = &cs->files[fi];
	uint64_t byte = 0, rest;
	uint32_t sector = 0, seg_start = 0;
	uint64_t seg_byte = 0;
	struct cue_point *p;
	struct cue_track *t;
	unsigned int i, size, n = 0;
	int ret;

	for (i = 0; i < cs->nr_points; i++) {
		p = &cs->points[i];
		if (p->file != fi)
			continue;
		if (*cur < 0)
			*cur = p->track;
		size = cs->tracks[*cur].mode->size;
		if (p->pos < sector)
			return cue_fail_at(cs, p->line, "INDEX %02u is before the INDEX above it",
					   p->number);
		byte += (uint64_t)(p->pos - sector) * size;
		sector = p->pos;
		if (byte >= f->data_len)
			return cue_fail_at(cs, p->line,
					   "track %u: INDEX %02u is past the end of \"%s\" (%llu bytes)",
					   cs->tracks[p->track].number, p->number, f->name,
					   (unsigned long long)f->data_len);
		if ((int)p->track != *cur) {
			ret = add_segment(cs, &cs->tracks[*cur], fi, f->data_off + seg_byte,
					  sector - seg_start);
			if (ret)
				return ret;
			*cur = p->track;
			seg_start = sector;
			seg_byte = byte;
		}
		p->rel = cs->tracks[*cur].stored + (sector - seg_start);
		n++;
	}
	if (!n)
		return cue_fail_at(cs, f->line, "no INDEX in FILE \"%s\"", f->name);

	/* the last track of the file takes the rest of it */
	t = &cs->tracks[*cur];
	size = t->mode->size;
	rest = f->data_len - seg_byte;
	if (rest % size && !f->partial_ok)
		return cue_fail_at(cs, t->line,
				   "track %u: the rest of \"%s\" (%llu bytes) is not a whole number of %u-byte sectors",
				   t->number, f->name, (unsigned long long)rest, size);
	if (rest % size)
		cue_note(cs, f->line,
			 "\"%s\": its audio ends %llu bytes into a sector; the rest of it is silence",
			 f->name, (unsigned long long)(rest % size));
	return add_segment(cs, t, fi, f->data_off + seg_byte, rest / size + !!(rest % size));
}

static uint32_t sector_format(const struct cue_track *t, const struct cue_file *f)
{
	if (f->type == CUE_MOTOROLA && t->mode->format == VCDROM_SECTOR_RAW &&
	    t->mode->mode == VCDROM_TRACK_AUDIO)
		return VCDROM_SECTOR_RAW_SWAPPED;
	return t->mode->format;
}

static int check_files_for(struct cue_sheet *cs, const struct cue_track *t)
{
	const struct cue_file *f;
	unsigned int i;

	for (i = 0; i < t->nr_segs; i++) {
		f = &cs->files[t->segs[i].file];
		if (f->type == CUE_WAVE && strcmp(t->mode->name, "AUDIO"))
			return cue_fail_at(cs, t->line, "track %u: a WAVE file holds AUDIO, not %s",
					   t->number, t->mode->name);
		if (f->type == CUE_MOTOROLA && t->mode->format == VCDROM_SECTOR_RAW_PW)
			return cue_fail_at(cs, t->line,
					   "track %u: CDG in a MOTOROLA file is not supported",
					   t->number);
	}
	return 0;
}

static int lay_out(struct cue_sheet *cs, struct vcd_disc *disc)
{
	struct vcd_session *vs = NULL;
	const struct cue_session *prev;
	const struct cue_segment *sg;
	const struct cue_point *p;
	struct vcd_track *vt;
	struct vcd_extent *e;
	struct cue_track *t;
	uint32_t lba = 0, stored_lba, end, idx_lba = 0;
	uint64_t lba64;
	unsigned int i, j, session = 0;
	int ret;

	for (i = 0; i < cs->nr_tracks; i++) {
		t = &cs->tracks[i];
		ret = check_files_for(cs, t);
		if (ret)
			return ret;
		if (t->session != session) {
			if (session) {
				prev = &cs->sessions[session];
				lba += (prev->has_leadout ? prev->leadout : session == 1 ?
					VCD_LEADOUT_FIRST : VCD_LEADOUT_NEXT) + VCD_LEADIN;
			}
			session = t->session;
			vs = vcd_disc_add_session(disc);
			if (!vs)
				return cue_nomem(cs);
		}
		vt = vcd_session_add_track(vs);
		if (!vt)
			return cue_nomem(cs);
		vt->number = t->number;
		vt->mode = t->mode->mode;
		vt->flags = t->flags;
		memcpy(vt->isrc, t->isrc, sizeof(vt->isrc));

		lba64 = (uint64_t)lba + t->pregap + t->stored + t->postgap;
		if (lba64 > VCDROM_CD_MAX_LEADOUT)
			return cue_fail_at(cs, t->line,
					   "track %u ends past 99:59:74, the end of a CD",
					   t->number);
		if (t->pregap && !vcd_add_extent(vt, &lba, t->pregap, VCDROM_SECTOR_ZERO))
			return cue_nomem(cs);
		stored_lba = lba;
		for (j = 0; j < t->nr_segs; j++) {
			sg = &t->segs[j];
			e = vcd_add_extent(vt, &lba, sg->length,
				       sector_format(t, &cs->files[sg->file]));
			if (!e)
				return cue_nomem(cs);
			e->file = cs->files[sg->file].disc_file;
			e->offset = sg->offset;
		}
		end = lba;
		if (t->postgap && !vcd_add_extent(vt, &lba, t->postgap, VCDROM_SECTOR_ZERO))
			return cue_nomem(cs);

		for (j = 0; j < t->nr_points; j++) {
			p = &cs->points[t->first_point + j];
			if (p->number >= 2 && stored_lba + p->rel <= idx_lba)
				return cue_fail_at(cs, p->line,
						   "INDEX %02u is not after INDEX %02u",
						   p->number, p->number - 1);
			idx_lba = stored_lba + p->rel;
			if (p->number == 1)
				vt->start = idx_lba;
			else if (p->number > 1 && vcd_track_add_index(vt, idx_lba))
				return cue_nomem(cs);
		}
		if (idx_lba >= end)
			return cue_fail_at(cs, t->line,
					   "track %u has no sectors from its last INDEX on",
					   t->number);
	}
	disc->medium = VCDROM_MEDIUM_CD;
	memcpy(disc->mcn, cs->mcn, sizeof(disc->mcn));
	return 0;
}
/* ---- the loader ---- */

static void free_sheet(struct cue_sheet *cs)
{
	unsigned int i, f;

	for (i = 0; i < cs->nr_files; i++)
		free(cs->files[i].name);
	for (i = 0; i < cs->nr_tracks; i++) {
		free(cs->tracks[i].segs);
		for (f = 0; f < CDT_NR; f++)
			free(cs->tracks[i].text[f]);
	}
	for (f = 0; f < CDT_NR; f++)
		free(cs->text[f]);
	free(cs->files);
	free(cs->tracks);
	free(cs->points);
	free(cs->cdtextfile);
	free(cs->dir);
}

static int build_disc(struct cue_sheet *cs, struct vcd_disc *disc)
{
	unsigned int i, f;
	int cur = -1, ret;
	bool text = false;

	ret = open_files(cs, disc);
	for (i = 0; !ret && i < cs->nr_files; i++)
		ret = walk_file(cs, i, &cur);
	if (!ret)
		ret = lay_out(cs, disc);
	if (ret)
		return ret;
	if (!cs->cdtextfile)
		return cue_build_cdtext(cs, disc);

	for (f = 0; f < CDT_NR; f++) {
		text |= !!cs->text[f];
		for (i = 0; i < cs->nr_tracks; i++)
			text |= !!cs->tracks[i].text[f];
	}
	if (text)
		cue_note(cs, cs->cdtextfile_line,
			 "CD-TEXT from CDTEXTFILE; the sheet's own is left out");
	return cue_load_cdtextfile(cs, disc);
}

int vcd_load_cue(int fd, const char *path, uint64_t size, struct vcd_disc *disc,
		 struct vcd_load *ld)
{
	struct cue_sheet cs = { .path = path, .ld = ld };
	const char *slash = strrchr(path, '/');
	char *text = NULL;
	int ret;

	ret = read_sheet(&cs, fd, size, &text);
	close(fd);
	if (ret)
		return ret;
	cs.dir = slash ? strndup(path, slash == path ? 1 : slash - path) : strdup(".");
	if (!cs.dir) {
		ret = cue_nomem(&cs);
		goto out;
	}
	ret = parse_sheet(&cs, text);
	if (!ret)
		ret = build_disc(&cs, disc);
out:
	free(text);
	free_sheet(&cs);
	return ret;
}

/* Text whose first command (after a BOM, blank lines and REMs) is one a sheet starts with. */
int vcd_probe_cue(int fd, uint64_t size)
{
	static const char *const first[] = {
		"FILE", "CATALOG", "CDTEXTFILE", "TITLE", "PERFORMER", "SONGWRITER", "COMPOSER",
		"ARRANGER", "MESSAGE", "DISC_ID", "GENRE", "UPC_EAN", "SIZE_INFO",
	};
	char buf[CUE_PROBE_SIZE + 1], *p, *word;
	unsigned int i;
	size_t len;

	p = vcd_probe_text(fd, size, CUE_MAX_SIZE, buf, CUE_PROBE_SIZE);
	if (!p)
		return VCD_PROBE_NO;
	for (;;) {
		p += strspn(p, " \t\r\n");
		word = p;
		len = strcspn(p, " \t\r\n");
		if (!len || !p[len])
			return VCD_PROBE_NO;
		if (len == 3 && !strncasecmp(word, "REM", 3)) {
			p += strcspn(p, "\n");
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(first); i++)
			if (strlen(first[i]) == len && !strncasecmp(word, first[i], len))
				return VCD_PROBE_MAYBE;
		return VCD_PROBE_NO;
	}
}
