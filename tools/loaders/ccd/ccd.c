// SPDX-License-Identifier: GPL-2.0
/*
 * The CCD loader: a CloneCD image, turned into the neutral disc layout.
 * disc.ccd is INI-like text: [CloneCD], [Disc] (TocEntries, Sessions,
 * DataTracksScrambled, CDTextLength, CATALOG), [Session N] (PreGapMode,
 * PreGapSubC), [Entry N] (one full-TOC descriptor each, as READ TOC format 2
 * gives it: Session, Point, ADR, Control, TrackNo, AMin/ASec/AFrame/ALBA,
 * Zero, PMin/PSec/PFrame/PLBA; numbers decimal or 0x hex), [TRACK N] (MODE,
 * INDEX n, ISRC) and [CDText] (Entries, "Entry N=" a pack's bytes in hex: 16,
 * CloneCD's, or 18 with the CRC). disc.img beside it (any letter case)
 * holds every sector as 2352 bytes, sessions back to back; disc.sub, when
 * there is one, their P-W sub-channel, 96 bytes each (P, Q, R..W, 12 each).
 *
 * The entries of ADR 1 make the layout: points 1-99 are the tracks (Control:
 * data or audio, DCP, PRE, 4CH; PMin/PSec/PFrame: index 1), A0 and A1 a
 * session's first and last track, A2 its lead-out. In session 1 the .img's
 * sector n is LBA n, and sectors before track 1's index 1 are its pregap;
 * a later session's sectors follow the one before's in the .img, from its
 * first track's index 0 (unless the .img is as long as the disc up to its
 * last lead-out: then it holds the sectors between the sessions too, as
 * DiscImageCreator's do). A track's pregap is INDEX 1 - INDEX 0 of its
 * [TRACK]; it ends where the next one's pregap starts, or at its session's
 * A2 (the last session's, when missing, where the .img ends). The mode of a
 * data track is its sector headers' (unscrambled first with
 * DataTracksScrambled=1): MODE1, or MODE2 taken as CD-ROM XA, as the cue and
 * Nero loaders take it; a MODE that disagrees gets a note.
 *
 * Refused, as "disc.ccd:LINE: ...": lines that are no section or KEY=VALUE,
 * values out of range, entries that contradict each other or the counts
 * ([Disc] Sessions and TocEntries, A0 and A1) or go back (sessions, track
 * numbers, starts), a missing key, a .img that is missing, empty, not whole
 * 2352-byte sectors or too short for the entries, a .sub that is not 96 bytes
 * for each of them. Nothing is guessed.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/common.h"
#include "loaders.h"

#define CCD_MAX_SIZE		(1 << 20)	/* a bigger file is no CloneCD sheet */
#define CCD_PROBE_SIZE		512
#define CCD_MAX_ENTRIES		1024		/* far more than 99 tracks and sessions need */
#define CCD_MODE_PROBE		16		/* sectors looked at for a data track's mode */
#define CCD_MSF_90		404850		/* LBA of 90:00:00 */
#define SECTOR			2352
#define SUB_SECTOR		96

/* The keys of an [Entry]: bits of ccd_entry.have. */
enum {
	E_SESSION, E_POINT, E_ADR, E_CONTROL, E_TRACKNO, E_AMIN, E_ASEC, E_AFRAME, E_ALBA,
	E_ZERO, E_PMIN, E_PSEC, E_PFRAME, E_PLBA, E_NR
};

static const char *const entry_keys[E_NR] = {
	"Session", "Point", "ADR", "Control", "TrackNo", "AMin", "ASec", "AFrame", "ALBA",
	"Zero", "PMin", "PSec", "PFrame", "PLBA",
};

struct ccd_entry {
	unsigned int line;		/* of its [Entry N] */
	unsigned int have;		/* 1 << E_* for each key given */
	long long v[E_NR];
};

#define NO_INDEX		(-1LL)

struct ccd_track_info {			/* a [TRACK N] */
	unsigned int line;		/* 0: none */
	int mode;			/* MODE=, -1 when not given */
	unsigned int mode_line;
	long long index[100];		/* INDEX n=, NO_INDEX when not given */
	unsigned int index_line[100];
	char isrc[VCDROM_ISRC_LEN + 1];
};

enum section { S_NONE, S_CLONECD, S_DISC, S_SESSION, S_ENTRY, S_TRACK, S_CDTEXT, S_OTHER };

struct ccd {
	const char *path;
	struct vcd_load *ld;
	unsigned int line;

	enum section sec;
	bool seen_clonecd;
	long long toc_entries, sessions, scrambled;	/* -1 when not given */
	unsigned int toc_entries_line, sessions_line;
	char mcn[VCDROM_MCN_LEN + 1];

	struct ccd_entry entries[CCD_MAX_ENTRIES];
	unsigned int nr_entries;

	struct ccd_track_info tracks[VCDROM_MAX_TRACKS + 1];	/* by number */
	struct ccd_track_info *cur_track;

	uint8_t *cdtext;		/* VCDROM_CDTEXT_MAX_PACKS packs */
	unsigned int nr_packs;
	long long cdtext_entries;	/* [CDText] Entries=, -1 when not given */
	unsigned int cdtext_line;

	/* the files beside it */
	int img_fd, sub_fd;
	char img_path[PATH_MAX], sub_path[PATH_MAX];
	uint64_t img_size, sub_size;
};

#define ccd_fail(c, line, ...) vcd_load_fail_at((c)->ld, EINVAL, (c)->path, line, __VA_ARGS__)
#define ccd_note(c, line, ...) vcd_load_note_at((c)->ld, (c)->path, line, __VA_ARGS__)

/* ---- the text ---- */

static char *trim(char *s)
{
	char *end;

	s += strspn(s, " \t");
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	*end = '\0';
	return s;
}

/* A number, decimal or 0x hex, maybe negative, all of @s; false if it is none. */
static bool parse_num(const char *s, long long *v)
{
	bool neg = *s == '-';
	unsigned long long u;
	char *end;

	if (neg)
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (!isxdigit((unsigned char)s[2]))
			return false;
		u = strtoull(s + 2, &end, 16);
	} else {
		u = strtoull(s, &end, 10);
	}
	if (errno || *end || end == s || u > (unsigned long long)INT32_MAX)
		return false;
	*v = neg ? -(long long)u : (long long)u;
	return true;
}

/* @value as a number from @min to @max, or a refusal naming @key. */
static int get_num(struct ccd *c, const char *key, const char *value, long long min,
		   long long max, long long *v)
{
	if (!parse_num(value, v))
		return ccd_fail(c, c->line, "%s=%s: not a number", key, value);
	if (*v < min || *v > max)
		return ccd_fail(c, c->line, "%s=%s: out of range (%lld to %lld)", key, value, min,
				max);
	return 0;
}

/* "[Name N]": its name matches @name and N is a number from @min to @max. */
static int section_number(struct ccd *c, const char *rest, const char *name, long long min,
			  long long max, long long *n)
{
	char buf[32];

	if (!parse_num(rest, n) || *n < min || *n > max) {
		snprintf(buf, sizeof(buf), "%s", rest);
		return ccd_fail(c, c->line, "[%s %s]: not a number from %lld to %lld", name, buf,
				min, max);
	}
	return 0;
}

static int start_section(struct ccd *c, char *s)
{
	char *end = strchr(s, ']'), *name, *rest;
	long long n;
	int ret;

	if (!end || *trim(end + 1))
		return ccd_fail(c, c->line, "a section header without its ']'");
	*end = '\0';
	name = trim(s + 1);
	rest = name + strcspn(name, " \t");
	if (*rest)
		*rest++ = '\0';
	rest = trim(rest);

	if (!c->seen_clonecd && strcasecmp(name, "CloneCD"))
		return ccd_fail(c, c->line, "[%.32s] before [CloneCD]", name);
	if (!strcasecmp(name, "CloneCD") && !*rest) {
		if (c->seen_clonecd)
			return ccd_fail(c, c->line, "a second [CloneCD]");
		c->seen_clonecd = true;
		c->sec = S_CLONECD;
	} else if (!strcasecmp(name, "Disc") && !*rest) {
		c->sec = S_DISC;
	} else if (!strcasecmp(name, "Session")) {
		ret = section_number(c, rest, name, 1, VCDROM_MAX_SESSIONS, &n);
		if (ret)
			return ret;
		c->sec = S_SESSION;
	} else if (!strcasecmp(name, "Entry")) {
		ret = section_number(c, rest, name, 0, CCD_MAX_ENTRIES - 1, &n);
		if (ret)
			return ret;
		if (n != c->nr_entries)
			return ccd_fail(c, c->line, "[Entry %lld] where [Entry %u] belongs: entries "
					"are numbered from 0, in order", n, c->nr_entries);
		c->entries[c->nr_entries].line = c->line;
		c->nr_entries++;
		c->sec = S_ENTRY;
	} else if (!strcasecmp(name, "TRACK")) {
		ret = section_number(c, rest, name, 1, VCDROM_MAX_TRACKS, &n);
		if (ret)
			return ret;
		c->cur_track = &c->tracks[n];
		if (c->cur_track->line)
			return ccd_fail(c, c->line, "a second [TRACK %lld] (the first at line %u)", n,
					c->cur_track->line);
		c->cur_track->line = c->line;
		c->sec = S_TRACK;
	} else if (!strcasecmp(name, "CDText") && !*rest) {
		if (c->cdtext_line)
			return ccd_fail(c, c->line, "a second [CDText]");
		c->cdtext_line = c->line;
		c->sec = S_CDTEXT;
	} else {
		ccd_note(c, c->line, "section [%.32s%s%.32s] is unknown; ignored", name,
			 *rest ? " " : "", rest);
		c->sec = S_OTHER;
	}
	return 0;
}

static int disc_key(struct ccd *c, const char *key, const char *value)
{
	unsigned int i;

	if (!strcasecmp(key, "TocEntries")) {
		c->toc_entries_line = c->line;
		return get_num(c, key, value, 1, CCD_MAX_ENTRIES, &c->toc_entries);
	}
	if (!strcasecmp(key, "Sessions")) {
		c->sessions_line = c->line;
		return get_num(c, key, value, 1, VCDROM_MAX_SESSIONS, &c->sessions);
	}
	if (!strcasecmp(key, "DataTracksScrambled"))
		return get_num(c, key, value, 0, 1, &c->scrambled);
	if (!strcasecmp(key, "CATALOG")) {
		for (i = 0; isdigit((unsigned char)value[i]); i++)
			;
		if (i != VCDROM_MCN_LEN || value[i])
			return ccd_fail(c, c->line, "CATALOG=%.32s: not 13 digits", value);
		/* thirteen zeros, as a drive reads no catalog number: none */
		if (strspn(value, "0") != VCDROM_MCN_LEN)
			memcpy(c->mcn, value, sizeof(c->mcn));
	}
	return 0;			/* CDTextLength: the [CDText] says */
}

static int entry_key(struct ccd *c, const char *key, const char *value)
{
	struct ccd_entry *e = &c->entries[c->nr_entries - 1];
	unsigned int k;

	for (k = 0; k < E_NR; k++)
		if (!strcasecmp(key, entry_keys[k]))
			break;
	if (k == E_NR)
		return 0;
	if (e->have & 1 << k)
		return ccd_fail(c, c->line, "a second %s in [Entry %u]", entry_keys[k],
				c->nr_entries - 1);
	e->have |= 1 << k;
	switch (k) {
	case E_ALBA:
	case E_PLBA:
		return get_num(c, key, value, -450150, 450150, &e->v[k]);
	case E_SESSION:
		return get_num(c, key, value, 1, VCDROM_MAX_SESSIONS, &e->v[k]);
	case E_ADR:
	case E_CONTROL:
		return get_num(c, key, value, 0, 15, &e->v[k]);
	default:
		return get_num(c, key, value, 0, 255, &e->v[k]);
	}
}

static int track_key(struct ccd *c, const char *key, const char *value)
{
	struct ccd_track_info *t = c->cur_track;
	unsigned int i;
	long long n;
	int ret;

	if (!strcasecmp(key, "MODE")) {
		ret = get_num(c, key, value, 0, 2, &n);
		t->mode = n;
		t->mode_line = c->line;
		return ret;
	}
	if (!strncasecmp(key, "INDEX", 5) && (key[5] == ' ' || key[5] == '\t')) {
		if (!parse_num(trim((char *)key + 6), &n) || n < 0 || n > 99)
			return ccd_fail(c, c->line, "%.32s: not INDEX 0 to INDEX 99", key);
		if (t->index[n] != NO_INDEX)
			return ccd_fail(c, c->line, "a second INDEX %lld", n);
		t->index_line[n] = c->line;
		return get_num(c, "INDEX", value, 0, VCDROM_CD_MAX_LEADOUT, &t->index[n]);
	}
	if (!strcasecmp(key, "ISRC")) {
		for (i = 0; isdigit((unsigned char)value[i]) || isupper((unsigned char)value[i]); i++)
			;
		if (i != VCDROM_ISRC_LEN || value[i])
			return ccd_fail(c, c->line, "ISRC=%.32s: not 12 letters (A-Z) and digits",
					value);
		memcpy(t->isrc, value, sizeof(t->isrc));
	}
	return 0;
}

/* "Entry N=80 00 00 00 ...": a CD-TEXT pack, 16 bytes (CRC made here) or 18. */
static int cdtext_key(struct ccd *c, const char *key, const char *value)
{
	uint8_t *p;
	unsigned long b;
	unsigned int n = 0;
	const char *s = value;
	char *end;
	long long num;
	uint16_t crc;

	if (!strcasecmp(key, "Entries")) {
		if (c->cdtext_entries >= 0)
			return ccd_fail(c, c->line, "a second Entries");
		return get_num(c, key, value, 0, VCDROM_CDTEXT_MAX_PACKS, &c->cdtext_entries);
	}
	if (strncasecmp(key, "Entry", 5) || (key[5] != ' ' && key[5] != '\t'))
		return 0;
	if (!parse_num(trim((char *)key + 6), &num) || num != c->nr_packs)
		return ccd_fail(c, c->line, "%.32s where Entry %u belongs: CD-TEXT entries are "
				"numbered from 0, in order", key, c->nr_packs);
	if (c->nr_packs == VCDROM_CDTEXT_MAX_PACKS)
		return ccd_fail(c, c->line, "more than %d CD-TEXT packs", VCDROM_CDTEXT_MAX_PACKS);
	if (!c->cdtext) {
		c->cdtext = malloc(VCDROM_CDTEXT_MAX_PACKS * VCDROM_CDTEXT_PACK);
		if (!c->cdtext)
			return vcd_load_fail(c->ld, ENOMEM, c->path, NULL);
	}
	p = c->cdtext + c->nr_packs * VCDROM_CDTEXT_PACK;
	for (;;) {
		s += strspn(s, " \t");
		if (!*s)
			break;
		if (!isxdigit((unsigned char)*s))
			return ccd_fail(c, c->line, "CD-TEXT entry %u: not bytes in hex", c->nr_packs);
		b = strtoul(s, &end, 16);
		if (b > 0xff || n == VCDROM_CDTEXT_PACK || (*end && *end != ' ' && *end != '\t'))
			return ccd_fail(c, c->line, "CD-TEXT entry %u: not 16 or 18 bytes in hex",
					c->nr_packs);
		p[n++] = b;
		s = end;
	}
	if (n != 16 && n != VCDROM_CDTEXT_PACK)
		return ccd_fail(c, c->line, "CD-TEXT entry %u: %u bytes, not 16 (or 18 with the "
				"CRC)", c->nr_packs, n);
	if (n == 16) {
		crc = vcd_cdtext_crc(p);
		p[16] = crc >> 8;
		p[17] = crc;
	}
	c->nr_packs++;
	return 0;
}

static int parse_line(struct ccd *c, char *s)
{
	char *eq, *key, *value;
	long long n;

	s = trim(s);
	if (!*s || *s == ';')
		return 0;
	if (*s == '[')
		return start_section(c, s);
	eq = strchr(s, '=');
	if (!eq)
		return ccd_fail(c, c->line, "neither a [section] nor KEY=VALUE");
	*eq = '\0';
	key = trim(s);
	value = trim(eq + 1);
	switch (c->sec) {
	case S_NONE:
		return ccd_fail(c, c->line, "%.32s= before [CloneCD]", key);
	case S_CLONECD:
		if (!strcasecmp(key, "Version"))
			return get_num(c, key, value, 0, 255, &n);
		return 0;
	case S_DISC:
		return disc_key(c, key, value);
	case S_SESSION:
		if (!strcasecmp(key, "PreGapMode"))
			return get_num(c, key, value, 0, 2, &n);
		if (!strcasecmp(key, "PreGapSubC"))
			return get_num(c, key, value, 0, 1, &n);
		return 0;
	case S_ENTRY:
		return entry_key(c, key, value);
	case S_TRACK:
		return track_key(c, key, value);
	case S_CDTEXT:
		return cdtext_key(c, key, value);
	default:
		return 0;
	}
}

static int parse(struct ccd *c, char *text)
{
	char *s = text, *nl;
	int ret;

	for (c->line = 1; s; c->line++, s = nl) {
		nl = strchr(s, '\n');
		if (nl)
			*nl++ = '\0';
		ret = parse_line(c, s);
		if (ret)
			return ret;
	}
	if (!c->seen_clonecd)
		return ccd_fail(c, 0, "no [CloneCD] section: not a CloneCD sheet");
	if (!c->nr_entries)
		return ccd_fail(c, 0, "no [Entry] sections: no tracks");
	if (c->toc_entries >= 0 && c->toc_entries != c->nr_entries)
		return ccd_fail(c, c->toc_entries_line, "TocEntries=%lld, but %u [Entry] sections",
				c->toc_entries, c->nr_entries);
	if (c->cdtext_line && c->cdtext_entries >= 0 && c->cdtext_entries != c->nr_packs)
		return ccd_fail(c, c->cdtext_line, "Entries=%lld, but %u CD-TEXT entries",
				c->cdtext_entries, c->nr_packs);
	return 0;
}

/* ---- the entries ---- */

/* What the layout takes from the entries, per session. */
struct ccd_session {
	int first_entry;		/* its A0, A1, A2 entries, -1 when none */
	int a0, a1, a2;
	unsigned int first, last;	/* its tracks' numbers */
	int64_t leadout;		/* A2's LBA, or -1 */
	int64_t i0;			/* its first track's index 0: where its sectors start */
	uint64_t img;			/* the .img sector its i0 is */
};

struct ccd_point {			/* a track: a point from 1 to 99 */
	const struct ccd_entry *e;
	unsigned int session;
	int64_t start;			/* index 1 */
	int64_t i0;			/* index 0 */
	int64_t end;
};

struct ccd_layout {
	struct ccd_session s[VCDROM_MAX_SESSIONS + 1];	/* by number */
	unsigned int nr_sessions;
	struct ccd_point t[VCDROM_MAX_TRACKS + 1];	/* by number */
	unsigned int first, last;
};

static int64_t p_lba(const struct ccd_entry *e)
{
	return ((int64_t)e->v[E_PMIN] * 60 + e->v[E_PSEC]) * 75 + e->v[E_PFRAME] - 150;
}

static unsigned int entry_no(const struct ccd *c, const struct ccd_entry *e)
{
	return e - c->entries;
}

/* A point's MSF, checked, agreeing with its PLBA when given (DiscImageCreator's and Aaru's). */
static int check_msf(struct ccd *c, const struct ccd_entry *e, const char *what)
{
	if (e->v[E_PMIN] > 99 || e->v[E_PSEC] > 59 || e->v[E_PFRAME] > 74)
		return ccd_fail(c, e->line, "[Entry %u] (%s): PMin/PSec/PFrame %lld:%lld:%lld is no "
				"time on a CD", entry_no(c, e), what, e->v[E_PMIN], e->v[E_PSEC],
				e->v[E_PFRAME]);
	/* from 90:00:00 on, writers give PLBA as lead-in times, negative, each its own way */
	if ((e->have & 1 << E_PLBA) && p_lba(e) < CCD_MSF_90 && e->v[E_PLBA] != p_lba(e))
		return ccd_fail(c, e->line, "[Entry %u] (%s): PLBA=%lld, but PMin/PSec/PFrame "
				"%02lld:%02lld:%02lld is LBA %lld", entry_no(c, e), what,
				e->v[E_PLBA], e->v[E_PMIN], e->v[E_PSEC], e->v[E_PFRAME],
				(long long)p_lba(e));
	return 0;
}

static int read_entries(struct ccd *c, struct ccd_layout *l)
{
	static const unsigned int need[] = { E_SESSION, E_POINT, E_ADR, E_CONTROL, E_PMIN,
					     E_PSEC, E_PFRAME };
	unsigned int i, k, session = 0, point, last = 0;
	struct ccd_session *s = NULL;
	struct ccd_entry *e;
	char what[16];
	int ret;

	for (i = 0; i < c->nr_entries; i++) {
		e = &c->entries[i];
		for (k = 0; k < ARRAY_SIZE(need); k++)
			if (!(e->have & 1 << need[k]))
				return ccd_fail(c, e->line, "[Entry %u] has no %s", i,
						entry_keys[need[k]]);
		if (e->v[E_SESSION] < session)
			return ccd_fail(c, e->line, "[Entry %u] is of session %lld, after session "
					"%u's", i, e->v[E_SESSION], session);
		if (e->v[E_SESSION] > session) {
			if (e->v[E_SESSION] != session + 1)
				return ccd_fail(c, e->line, "[Entry %u] is of session %lld: session "
						"%u has no entries", i, e->v[E_SESSION],
						session + 1);
			session = e->v[E_SESSION];
			s = &l->s[session];
			s->a0 = s->a1 = s->a2 = -1;
			s->leadout = -1;
			l->nr_sessions = session;
		}
		if (e->v[E_ADR] != 1)
			continue;		/* B0, C0 (ADR 5) and the like: not the layout's */
		point = e->v[E_POINT];
		snprintf(what, sizeof(what), "point 0x%02x", point);
		if (point >= 0xa0 && point <= 0xa2) {
			int *a = point == 0xa0 ? &s->a0 : point == 0xa1 ? &s->a1 : &s->a2;

			if (*a >= 0)
				return ccd_fail(c, e->line, "[Entry %u]: a second point 0x%02x in "
						"session %u", i, point, session);
			*a = i;
			if (point == 0xa2) {
				ret = check_msf(c, e, what);
				if (ret)
					return ret;
				s->leadout = p_lba(e);
			} else if (point == 0xa0 && e->v[E_PSEC] != 0x00 && e->v[E_PSEC] != 0x10 &&
				   e->v[E_PSEC] != 0x20) {
				return ccd_fail(c, e->line, "[Entry %u] (point 0xa0): PSec=%lld is no "
						"disc type (0x00 CD-DA or CD-ROM, 0x10 CD-I, 0x20 "
						"CD-ROM XA)", i, e->v[E_PSEC]);
			}
			continue;
		}
		if (point < 1 || point > 99)
			return ccd_fail(c, e->line, "[Entry %u]: point 0x%02x of ADR 1 is neither a "
					"track (1 to 99) nor 0xa0 to 0xa2", i, point);
		/* a disc may start at another track than 1; they are numbered on from there */
		if (last && point != last + 1)
			return ccd_fail(c, e->line, "[Entry %u]: track %u after track %u", i, point,
					last);
		ret = check_msf(c, e, what);
		if (ret)
			return ret;
		if (last && p_lba(e) <= l->t[last].start)
			return ccd_fail(c, e->line, "[Entry %u]: track %u starts at LBA %lld, not "
					"after track %u (LBA %lld)", i, point, (long long)p_lba(e),
					last, (long long)l->t[last].start);
		if (!s->first)
			s->first = point;
		s->last = point;
		l->t[point].e = e;
		l->t[point].session = session;
		l->t[point].start = p_lba(e);
		if (!l->first)
			l->first = point;
		l->last = last = point;
	}
	if (c->sessions >= 0 && c->sessions != l->nr_sessions)
		return ccd_fail(c, c->sessions_line, "Sessions=%lld, but the entries are of %u",
				c->sessions, l->nr_sessions);
	return 0;
}

static int check_sessions(struct ccd *c, struct ccd_layout *l)
{
	const struct ccd_entry *e;
	struct ccd_session *s;
	unsigned int n;

	for (n = 1; n <= l->nr_sessions; n++) {
		s = &l->s[n];
		if (!s->first)
			return ccd_fail(c, 0, "session %u has no tracks (no points 1 to 99 of ADR 1)",
					n);
		if (s->a0 >= 0 && c->entries[s->a0].v[E_PMIN] != s->first) {
			e = &c->entries[s->a0];
			return ccd_fail(c, e->line, "[Entry %u] (point 0xa0): first track %lld, but "
					"session %u's is %u", entry_no(c, e), e->v[E_PMIN], n,
					s->first);
		}
		if (s->a1 >= 0 && c->entries[s->a1].v[E_PMIN] != s->last) {
			e = &c->entries[s->a1];
			return ccd_fail(c, e->line, "[Entry %u] (point 0xa1): last track %lld, but "
					"session %u's is %u", entry_no(c, e), e->v[E_PMIN], n,
					s->last);
		}
		if (s->a2 < 0 && n < l->nr_sessions)
			return ccd_fail(c, 0, "session %u has no lead-out (point 0xa2)", n);
		if (s->a2 >= 0 && s->leadout <= l->t[s->last].start) {
			e = &c->entries[s->a2];
			return ccd_fail(c, e->line, "[Entry %u] (point 0xa2): the lead-out at LBA "
					"%lld is not after track %u (LBA %lld)", entry_no(c, e),
					(long long)s->leadout, s->last,
					(long long)l->t[s->last].start);
		}
	}
	return 0;
}

/* Each [TRACK] is of a track of the entries; its pregap, and where each track starts. */
static int place_tracks(struct ccd *c, struct ccd_layout *l)
{
	const struct ccd_track_info *ti;
	struct ccd_session *s;
	struct ccd_point *t;
	unsigned int n;
	int64_t pregap, floor;

	for (n = 1; n <= VCDROM_MAX_TRACKS; n++)
		if (c->tracks[n].line && !l->t[n].e)
			return ccd_fail(c, c->tracks[n].line, "[TRACK %u], but no entry has track %u",
					n, n);
	for (n = l->first; n && n <= l->last; n++) {
		t = &l->t[n];
		ti = &c->tracks[n];
		s = &l->s[t->session];
		pregap = 0;
		if (ti->index[0] != NO_INDEX) {
			if (ti->index[1] == NO_INDEX)
				return ccd_fail(c, ti->index_line[0], "track %u: INDEX 0 without "
						"INDEX 1", n);
			if (ti->index[0] > ti->index[1])
				return ccd_fail(c, ti->index_line[0], "track %u: INDEX 0 (%lld) is "
						"after INDEX 1 (%lld)", n, ti->index[0],
						ti->index[1]);
			pregap = ti->index[1] - ti->index[0];
		}
		if (n == l->first) {
			if (t->start < 0)
				return ccd_fail(c, t->e->line, "[Entry %u]: track %u starts at LBA "
						"%lld, before 0", entry_no(c, t->e), n,
						(long long)t->start);
			t->i0 = 0;		/* the .img starts at LBA 0 */
		} else {
			t->i0 = t->start - pregap;
		}
		if (n == s->first && t->session == 1)
			floor = 0;
		else if (n == s->first)
			floor = l->s[t->session - 1].leadout;
		else
			floor = l->t[n - 1].start + 1;
		if (t->i0 < floor)
			return ccd_fail(c, ti->index_line[0] ? ti->index_line[0] : t->e->line,
					"track %u: its pregap from LBA %lld starts %s", n,
					(long long)t->i0, n == s->first ?
					"in the session before" : "before the track before");
		if (n == s->first)
			s->i0 = t->i0;
		if (n > l->first && n != s->first)
			l->t[n - 1].end = t->i0;
	}
	return 0;
}

/*
 * Whether the .img holds every sector from LBA 0 to the last lead-out, those
 * between the sessions too (as DiscImageCreator writes it), rather than the
 * sessions back to back from their first track's index 0: its size tells.
 */
static bool img_from_lba_0(const struct ccd *c, const struct ccd_layout *l)
{
	int64_t packed = 0, end = l->s[l->nr_sessions].leadout;
	unsigned int n;

	for (n = 1; n <= l->nr_sessions; n++)
		packed += l->s[n].leadout - l->s[n].i0;
	return l->nr_sessions > 1 && end >= 0 && c->img_size / SECTOR == (uint64_t)end &&
	       end != packed;
}

/* Where each session's sectors are in the .img, and its end (a missing A2 from the size). */
static int place_sessions(struct ccd *c, struct ccd_layout *l)
{
	uint64_t sectors = c->img_size / SECTOR, img = 0;
	bool flat = img_from_lba_0(c, l);
	struct ccd_session *s;
	unsigned int n, line;

	if (flat)
		ccd_note(c, 0, "%s holds every sector from LBA 0 to the last lead-out, those between "
			 "the sessions too", c->img_path);
	for (n = 1; n <= l->nr_sessions; n++) {
		s = &l->s[n];
		s->img = flat ? (uint64_t)s->i0 : img;
		line = s->a2 >= 0 ? c->entries[s->a2].line : 0;
		if (s->leadout < 0) {		/* the last session's: the .img's end */
			if (s->img + (l->t[s->last].start - s->i0) >= sectors)
				return ccd_fail(c, 0, "no lead-out (point 0xa2) for session %u, and "
						"%s (%llu sectors) ends before track %u's first "
						"sector", n, c->img_path,
						(unsigned long long)sectors, s->last);
			s->leadout = s->i0 + (sectors - s->img);
			ccd_note(c, 0, "no lead-out (point 0xa2) for session %u: it ends where %s "
				 "does, at LBA %lld", n, c->img_path, (long long)s->leadout);
		}
		if (s->leadout > VCDROM_CD_MAX_LEADOUT)
			return ccd_fail(c, line, "session %u's lead-out at LBA %lld is past 99:59:74, "
					"the end of a CD", n, (long long)s->leadout);
		l->t[s->last].end = s->leadout;
		img = s->img + (s->leadout - s->i0);
		if (img > sectors)
			return ccd_fail(c, line, "session %u ends at LBA %lld, past the end of %s: its "
					"sessions need %llu sectors, it has %llu", n,
					(long long)s->leadout, c->img_path,
					(unsigned long long)img, (unsigned long long)sectors);
	}
	if (img < sectors)
		ccd_note(c, 0, "%s has %llu sectors after the last session's lead-out; ignored",
			 c->img_path, (unsigned long long)(sectors - img));
	return 0;
}

/* ---- the sectors ---- */

/* Bytes 12-15 of ECMA-130 annex B's scrambler sequence (x^15 + x + 1, from 1). */
static void scramble_head(uint8_t out[4])
{
	unsigned int reg = 1, i, bit;

	memset(out, 0, 4);
	for (i = 0; i < 32; i++) {
		out[i / 8] |= (reg & 1) << (i % 8);
		bit = (reg ^ reg >> 1) & 1;
		reg = reg >> 1 | bit << 14;
	}
}

/*
 * The mode (1 or 2) the first of a data track's sectors with a sync pattern
 * and a header of mode 1 or 2 says; 0 when none does.
 */
static int header_mode(struct ccd *c, uint64_t img, uint64_t n)
{
	static const uint8_t sync[12] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					  0xff, 0xff, 0 };
	uint8_t head[16], scr[4];
	unsigned int i, mode;

	scramble_head(scr);
	for (; n; n--, img++) {
		if (pread(c->img_fd, head, sizeof(head), img * SECTOR) != (ssize_t)sizeof(head))
			return 0;
		if (memcmp(head, sync, sizeof(sync)))
			continue;
		if (c->scrambled == 1)
			for (i = 0; i < 4; i++)
				head[12 + i] ^= scr[i];
		mode = head[15];
		if (mode == 1 || mode == 2)
			return mode;
	}
	return 0;
}

static int track_mode(struct ccd *c, const struct ccd_layout *l, unsigned int n,
		      uint32_t *mode)
{
	const struct ccd_point *t = &l->t[n];
	const struct ccd_session *s = &l->s[t->session];
	const struct ccd_track_info *ti = &c->tracks[n];
	uint64_t img = s->img + (t->start - s->i0);
	unsigned int line = ti->mode_line ? ti->mode_line : t->e->line;
	int hdr;

	if (!(t->e->v[E_CONTROL] & 4)) {
		if (ti->mode > 0)
			ccd_note(c, line, "track %u: MODE=%d, but its Control (0x%02llx) says audio; "
				 "audio", n, ti->mode, t->e->v[E_CONTROL]);
		*mode = VCDROM_TRACK_AUDIO;
		return 0;
	}
	hdr = header_mode(c, img, t->end - t->start < CCD_MODE_PROBE ?
			  t->end - t->start : CCD_MODE_PROBE);
	if (!hdr && ti->mode <= 0)
		return ccd_fail(c, line, "track %u: data, but no sector header says its mode%s", n,
				ti->mode == 0 ? ", and MODE=0 says audio" : ", and it has no MODE");
	if (!hdr) {
		hdr = ti->mode;
		ccd_note(c, line, "track %u: no sector header says its mode; mode %d, as MODE says",
			 n, hdr);
	} else if (ti->mode >= 0 && ti->mode != hdr) {
		ccd_note(c, line, "track %u: MODE=%d, but its sector headers say mode %d; mode %d",
			 n, ti->mode, hdr, hdr);
	}
	/* raw mode 2 is CD-ROM XA, as a cue sheet's MODE2/2352 and Nero's are */
	*mode = hdr == 1 ? VCDROM_TRACK_MODE1 : VCDROM_TRACK_MODE2_XA;
	return 0;
}

static uint32_t q_flags(unsigned int ctl, uint32_t mode)
{
	uint32_t f = ctl & 2 ? VCDROM_TRACK_F_DCP : 0;

	if (mode == VCDROM_TRACK_AUDIO)
		f |= (ctl & 1 ? VCDROM_TRACK_F_PRE : 0) | (ctl & 8 ? VCDROM_TRACK_F_4CH : 0);
	return f;
}

static int add_indexes(struct ccd *c, const struct ccd_point *t, unsigned int n,
		       struct vcd_track *vt)
{
	const struct ccd_track_info *ti = &c->tracks[n];
	unsigned int i;
	int64_t lba, prev = t->start;

	for (i = 2; i < 100; i++) {
		if (ti->index[i] == NO_INDEX)
			continue;
		if (ti->index[i - 1] == NO_INDEX)
			return ccd_fail(c, ti->index_line[i], "track %u: INDEX %u without INDEX %u",
					n, i, i - 1);
		/* from INDEX 1, which is the entry's start: absolute or from the session's */
		lba = t->start + (ti->index[i] - ti->index[1]);
		if (lba <= prev || lba >= t->end)
			return ccd_fail(c, ti->index_line[i], "track %u: INDEX %u (LBA %lld) is not "
					"after index %u and inside the track (LBA %lld to %lld)",
					n, i, (long long)lba, i - 1, (long long)t->start,
					(long long)t->end - 1);
		if (vcd_track_add_index(vt, lba))
			return vcd_load_fail(c->ld, ENOMEM, c->path, NULL);
		prev = lba;
	}
	return 0;
}

static int build(struct ccd *c, const struct ccd_layout *l, struct vcd_disc *disc, int img_file,
		 int sub_file)
{
	const struct ccd_session *s;
	const struct ccd_point *t;
	struct vcd_session *vs = NULL;
	struct vcd_track *vt;
	struct vcd_extent *e;
	unsigned int n, session = 0;
	uint64_t img;
	uint32_t mode = VCDROM_TRACK_AUDIO;
	int ret;

	for (n = l->first; n <= l->last; n++) {
		t = &l->t[n];
		s = &l->s[t->session];
		if (t->session != session) {
			vs = vcd_disc_add_session(disc);
			if (!vs)
				return vcd_load_fail(c->ld, ENOMEM, c->path, NULL);
			session = t->session;
		}
		ret = track_mode(c, l, n, &mode);
		if (ret)
			return ret;
		vt = vcd_session_add_track(vs);
		if (!vt)
			return vcd_load_fail(c->ld, ENOMEM, c->path, NULL);
		vt->number = n;
		vt->mode = mode;
		vt->flags = q_flags(t->e->v[E_CONTROL], mode);
		vt->start = t->start;
		memcpy(vt->isrc, c->tracks[n].isrc, sizeof(vt->isrc));
		e = vcd_track_add_extent(vt);
		if (!e)
			return vcd_load_fail(c->ld, ENOMEM, c->path, NULL);
		img = s->img + (t->i0 - s->i0);
		e->start = t->i0;
		e->length = t->end - t->i0;
		e->format = VCDROM_SECTOR_RAW;
		e->file = img_file;
		e->offset = img * SECTOR;
		if (c->scrambled == 1 && mode != VCDROM_TRACK_AUDIO)
			e->flags = VCDROM_EXTENT_F_SCRAMBLED;
		if (sub_file >= 0) {
			e->sub_format = VCDROM_SUB_PW_LINEAR;
			e->sub_in_file = true;
			e->sub_file = sub_file;
			e->sub_offset = img * SUB_SECTOR;
		}
		ret = add_indexes(c, t, n, vt);
		if (ret)
			return ret;
	}
	if (c->mcn[0])
		memcpy(disc->mcn, c->mcn, sizeof(disc->mcn));
	disc->medium = VCDROM_MEDIUM_CD;
	return 0;
}

static int check_cdtext(struct ccd *c, struct vcd_disc *disc)
{
	unsigned int bad;
	const char *why;

	if (!c->nr_packs)
		return 0;
	why = vcd_cdtext_bad_pack(c->cdtext, c->nr_packs, &bad);
	if (why)
		return ccd_fail(c, c->cdtext_line, "CD-TEXT entry %u has a bad %s", bad, why);
	disc->cdtext = c->cdtext;
	disc->cdtext_len = c->nr_packs * VCDROM_CDTEXT_PACK;
	c->cdtext = NULL;
	return 0;
}

/* ---- the files ---- */

/* @c->path with its extension replaced by @ext, found beside it in any letter case. */
static bool find_beside(const struct ccd *c, const char *ext, char *buf, size_t size,
			char *name, size_t name_size)
{
	char *copy = strdup(c->path), *dir, *base, *dot;
	bool found = false;

	if (!copy)
		return false;
	base = strrchr(copy, '/');
	if (base) {
		*base++ = '\0';
		dir = copy[0] ? copy : "/";
	} else {
		base = copy;
		dir = ".";
	}
	dot = strrchr(base, '.');
	if (dot && dot != base)
		*dot = '\0';
	/* disc.img, or compressed: disc.img.ecm, disc.img.gz, ... */
	if (snprintf(name, name_size, "%s.%s", base, ext) < (int)name_size)
		found = vcd_find_beside(dir, name, true, buf, size) ||
			vcd_find_packed(dir, name, true, buf, size);
	free(copy);
	return found;
}

static int open_files(struct ccd *c)
{
	char name[NAME_MAX + 8];

	if (!find_beside(c, "img", c->img_path, sizeof(c->img_path), name, sizeof(name)))
		return vcd_load_fail(c->ld, ENOENT, c->path, "no %s beside it (in any letter case)",
				     name);
	c->img_fd = vcd_open_image_file(c->img_path, &c->img_size, c->ld);
	if (c->img_fd < 0)
		return c->img_fd;
	if (c->img_size % SECTOR)
		return vcd_load_fail(c->ld, EINVAL, c->img_path, "%llu bytes: not whole %d-byte "
				     "sectors", (unsigned long long)c->img_size, SECTOR);
	if (!find_beside(c, "sub", c->sub_path, sizeof(c->sub_path), name, sizeof(name))) {
		ccd_note(c, 0, "no %s beside it: the drive makes up the sub-channel (P and Q)",
			 name);
		return 0;
	}
	c->sub_fd = vcd_open_image_file(c->sub_path, &c->sub_size, c->ld);
	if (c->sub_fd < 0)
		return c->sub_fd;
	if (c->sub_size != c->img_size / SECTOR * SUB_SECTOR)
		return vcd_load_fail(c->ld, EINVAL, c->sub_path, "%llu bytes, not %d for each of "
				     "%s's %llu sectors (%llu)", (unsigned long long)c->sub_size,
				     SUB_SECTOR, c->img_path,
				     (unsigned long long)(c->img_size / SECTOR),
				     (unsigned long long)(c->img_size / SECTOR * SUB_SECTOR));
	return 0;
}

static int lay_out(struct ccd *c, struct vcd_disc *disc)
{
	struct ccd_layout *l = calloc(1, sizeof(*l));
	int ret, img_file, sub_file = -1;

	if (!l)
		return vcd_load_fail(c->ld, ENOMEM, c->path, NULL);
	ret = read_entries(c, l);
	if (!ret)
		ret = check_sessions(c, l);
	if (!ret)
		ret = place_tracks(c, l);
	if (!ret)
		ret = open_files(c);
	if (!ret)
		ret = place_sessions(c, l);
	if (ret)
		goto out;

	/* the disc owns the fds from here */
	img_file = vcd_disc_add_file(disc, c->img_fd, c->img_path, c->img_size);
	c->img_fd = -1;
	if (img_file < 0) {
		ret = vcd_load_fail(c->ld, -img_file, c->img_path, NULL);
		goto out;
	}
	if (c->sub_fd >= 0) {
		sub_file = vcd_disc_add_file(disc, c->sub_fd, c->sub_path, c->sub_size);
		c->sub_fd = -1;
		if (sub_file < 0) {
			ret = vcd_load_fail(c->ld, -sub_file, c->sub_path, NULL);
			goto out;
		}
	}
	/* the mode is read through the disc's fd */
	c->img_fd = disc->files[img_file].fd;
	ret = build(c, l, disc, img_file, sub_file);
	c->img_fd = -1;
	if (!ret)
		ret = check_cdtext(c, disc);
out:
	free(l);
	return ret;
}

int vcd_load_ccd(int fd, const char *path, uint64_t size, struct vcd_disc *disc,
		 struct vcd_load *ld)
{
	struct ccd *c = calloc(1, sizeof(*c));
	char *text = NULL;
	unsigned int n;
	int ret;

	if (!c) {
		close(fd);
		return vcd_load_fail(ld, ENOMEM, path, NULL);
	}
	c->path = path;
	c->ld = ld;
	c->img_fd = c->sub_fd = -1;
	c->toc_entries = c->sessions = c->scrambled = c->cdtext_entries = -1;
	for (n = 0; n <= VCDROM_MAX_TRACKS; n++) {
		c->tracks[n].mode = -1;
		memset(c->tracks[n].index, 0xff, sizeof(c->tracks[n].index));	/* NO_INDEX */
	}
	ret = vcd_read_text(fd, size, CCD_MAX_SIZE, path, "a CloneCD sheet", ld, &text);
	close(fd);
	if (!ret)
		ret = parse(c, text);
	if (!ret)
		ret = lay_out(c, disc);
	if (c->img_fd >= 0)
		close(c->img_fd);
	if (c->sub_fd >= 0)
		close(c->sub_fd);
	free(c->cdtext);
	free(text);
	free(c);
	return ret;
}

/* Text that starts with [CloneCD], after a BOM and blank lines. */
int vcd_probe_ccd(int fd, uint64_t size)
{
	static const char head[] = "[CloneCD]";
	char buf[CCD_PROBE_SIZE + 1], *p;

	p = vcd_probe_text(fd, size, CCD_MAX_SIZE, buf, CCD_PROBE_SIZE);
	if (!p)
		return VCD_PROBE_NO;
	p += strspn(p, " \t\r\n");
	if (strncasecmp(p, head, sizeof(head) - 1))
		return VCD_PROBE_NO;
	p += sizeof(head) - 1;
	p += strspn(p, " \t\r");
	return *p == '\n' || !*p ? VCD_PROBE_MAYBE : VCD_PROBE_NO;
}
