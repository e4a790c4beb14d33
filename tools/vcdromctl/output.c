// SPDX-License-Identifier: GPL-2.0
/*
 * vcdromctl's output. Each object is described once (out_drive(), ...) as a
 * series of fields; the mode decides whether that becomes JSON, key: value
 * lines, a table row or a key=value line.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "output.h"
#include "xalloc.h"

#define BLOCK_KEY_WIDTH	12	/* "max_drives: " */

static char *xstrdup(const char *s)
{
	size_t size = strlen(s) + 1;

	return memcpy(xrealloc(NULL, size), s, size);
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = xrealloc(NULL, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Length of the valid UTF-8 sequence at @s, or 0 if it is not one. */
static int utf8_seq(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	int i, n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	n = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (s[0] == 0xe0)
		lo = 0xa0;		/* overlong */
	else if (s[0] == 0xed)
		hi = 0x9f;		/* surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90;		/* overlong */
	else if (s[0] == 0xf4)
		hi = 0x8f;		/* above U+10FFFF */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

void json_print_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int n;

	fputc('"', f);
	while (*p) {
		n = utf8_seq(p);
		if (n != 1) {
			if (n)
				fwrite(p, 1, n, f);
			else
				fputs("\\ufffd", f);
			p += n ? n : 1;
			continue;
		}
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
		p++;
	}
	fputc('"', f);
}

void out_init(struct out *o, enum out_mode mode, FILE *f)
{
	memset(o, 0, sizeof(*o));
	o->mode = mode;
	o->f = f;
}

void out_list_begin(struct out *o, const char *name, const char *const *cols, unsigned int ncols)
{
	o->in_list = true;
	o->nobjs = 0;
	o->cols = cols;
	o->ncols = ncols;
	if (o->mode == OUT_JSON) {
		fputc('{', o->f);
		json_print_string(o->f, name);
		fputs(":[", o->f);
	}
}

static void print_cell(struct out *o, unsigned int col, const char *s, const size_t *width)
{
	if (col + 1 < o->ncols)
		fprintf(o->f, "%-*s  ", (int)width[col], s);
	else
		fprintf(o->f, "%s\n", s);
}

static void print_table(struct out *o)
{
	size_t *width = xrealloc(NULL, o->ncols * sizeof(*width));
	unsigned int c, r;
	char *cell;

	for (c = 0; c < o->ncols; c++) {
		width[c] = strlen(o->cols[c]);
		for (r = 0; r < o->nrows; r++) {
			cell = o->cells[r * o->ncols + c];
			if (cell && strlen(cell) > width[c])
				width[c] = strlen(cell);
		}
	}
	for (c = 0; c < o->ncols; c++)
		print_cell(o, c, o->cols[c], width);
	for (r = 0; r < o->nrows; r++) {
		for (c = 0; c < o->ncols; c++) {
			cell = o->cells[r * o->ncols + c];
			print_cell(o, c, cell ? cell : "-", width);
			free(cell);
		}
	}
	free(width);
	free(o->cells);
	o->cells = NULL;
	o->nrows = 0;
}

void out_list_end(struct out *o)
{
	if (o->mode == OUT_JSON)
		fputs("]}\n", o->f);
	else if (o->mode == OUT_TABLE)
		print_table(o);
	o->in_list = false;
}

void out_obj_begin(struct out *o)
{
	o->nfields = 0;
	switch (o->mode) {
	case OUT_JSON:
		if (o->in_list && o->nobjs)
			fputc(',', o->f);
		fputc('{', o->f);
		break;
	case OUT_BLOCK:
		if (o->nobjs)
			fputc('\n', o->f);
		break;
	case OUT_TABLE:
		o->cells = xrealloc(o->cells, (o->nrows + 1) * o->ncols * sizeof(*o->cells));
		memset(&o->cells[o->nrows * o->ncols], 0, o->ncols * sizeof(*o->cells));
		o->nrows++;
		break;
	case OUT_LINE:
		break;
	}
}

void out_obj_end(struct out *o)
{
	if (o->mode == OUT_JSON) {
		fputc('}', o->f);
		if (!o->in_list)
			fputc('\n', o->f);
	} else if (o->mode == OUT_LINE) {
		fputc('\n', o->f);
	}
	o->nobjs++;
}

/* In JSON, start a field and say so: its value is to follow. */
static bool json_key(struct out *o, const char *key)
{
	if (o->mode != OUT_JSON)
		return false;
	if (o->nfields++)
		fputc(',', o->f);
	json_print_string(o->f, key);
	fputc(':', o->f);
	return true;
}

/* A field as text (NULL: none) in the modes that are not JSON. */
static void text_field(struct out *o, const char *key, const char *col, const char *text)
{
	unsigned int i;
	char **cell;

	switch (o->mode) {
	case OUT_BLOCK:
		fprintf(o->f, "%s: %*s%s\n", key,
			(int)(strlen(key) < BLOCK_KEY_WIDTH - 2 ? BLOCK_KEY_WIDTH - 2 - strlen(key) : 0),
			"", text ? text : "-");
		break;
	case OUT_LINE:
		if (text)
			fprintf(o->f, "%s%s=%s", o->nfields++ ? " " : "", key, text);
		break;
	case OUT_TABLE:
		for (i = 0; col && i < o->ncols; i++) {
			if (strcmp(o->cols[i], col))
				continue;
			cell = &o->cells[(o->nrows - 1) * o->ncols + i];
			free(*cell);
			*cell = text ? xstrdup(text) : NULL;
		}
		break;
	case OUT_JSON:
		break;
	}
}

void out_str(struct out *o, const char *key, const char *col, const char *val)
{
	if (!json_key(o, key))
		text_field(o, key, col, val);
	else if (val)
		json_print_string(o->f, val);
	else
		fputs("null", o->f);
}

void out_u64(struct out *o, const char *key, const char *col, uint64_t val)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, val);
	if (json_key(o, key))
		fputs(buf, o->f);
	else
		text_field(o, key, col, buf);
}

void out_bool(struct out *o, const char *key, const char *col, bool val)
{
	if (json_key(o, key))
		fputs(val ? "true" : "false", o->f);
	else
		text_field(o, key, col, val ? "yes" : "no");
}

void out_strv(struct out *o, const char *key, const char *col, const char *const *v,
	      unsigned int n)
{
	unsigned int i;
	char *text;

	if (json_key(o, key)) {
		fputc('[', o->f);
		for (i = 0; i < n; i++) {
			if (i)
				fputc(',', o->f);
			json_print_string(o->f, v[i]);
		}
		fputc(']', o->f);
	} else if (o->mode == OUT_BLOCK) {
		/* the first on the key's line, the others below it */
		text_field(o, key, col, n ? v[0] : NULL);
		for (i = 1; i < n; i++)
			fprintf(o->f, "%*s%s\n", BLOCK_KEY_WIDTH, "", v[i]);
	} else if (n > 1) {
		if (asprintf(&text, "%s (+%u)", v[0], n - 1) < 0)
			text = xstrdup(v[0]);
		text_field(o, key, col, text);
		free(text);
	} else {
		text_field(o, key, col, n ? v[0] : NULL);
	}
}

/* ---- vcdromctl's objects ---- */

static const char *const drive_cols[] = {
	"DRIVE", "DEVICE", "SG", "STATE", "LOCKED", "PROFILE", "CAPACITY", "IMAGE",
};

/* "/dev/" @name in @buf, or NULL when there is no name */
static const char *dev_path(char *buf, size_t size, const char *name)
{
	if (!name[0])
		return NULL;
	snprintf(buf, size, "/dev/%s", name);
	return buf;
}

/* @name, or @value as a number in @buf when there is no name */
static const char *name_or_num(char *buf, size_t size, const char *name, uint32_t value)
{
	if (name)
		return name;
	snprintf(buf, size, "%u", value);
	return buf;
}

/* @text's lines as a list: what a disc was inserted from. */
static void out_lines(struct out *o, const char *key, const char *text)
{
	char *copy = text ? xstrdup(text) : NULL, *p, *line;
	const char **lines = NULL;
	unsigned int n = 0;

	for (p = copy; p && (line = strsep(&p, "\n")); ) {
		lines = xrealloc(lines, (n + 1) * sizeof(*lines));
		lines[n++] = line;
	}
	out_strv(o, key, NULL, lines, n);
	free(lines);
	free(copy);
}

/* A drive's playlist: each disc by its first source line, and which is in (from 1). */
static void out_playlist(struct out *o, const struct vcd_drive_info *d)
{
	const char **discs = xrealloc(NULL, (d->nr_playlist + 1) * sizeof(*discs));
	unsigned int i;

	for (i = 0; i < d->nr_playlist; i++) {
		const char *src = d->playlist[i].source;

		discs[i] = src ? xstrndup(src, strcspn(src, "\n")) :
			   xstrdup(d->playlist[i].format[0] ? d->playlist[i].format : "?");
	}
	out_strv(o, "playlist", NULL, discs, d->nr_playlist);
	if (d->nr_playlist)
		out_u64(o, "disc_number", NULL, d->playlist_pos + 1);
	else
		out_str(o, "disc_number", NULL, NULL);
	for (i = 0; i < d->nr_playlist; i++)
		free((char *)discs[i]);
	free(discs);
}

void out_drive(struct out *o, const struct vcd_drive_info *d)
{
	out_drive_cache(o, d, NULL, 0);
}

void out_drive_cache(struct out *o, const struct vcd_drive_info *d, const char *const *cache,
		     unsigned int nr_cache)
{
	const char **images = xrealloc(NULL, (d->nr_files + 1) * sizeof(*images));
	char dev[48], sg[48], state[16], profile[16];
	bool loaded = d->state == VCDROM_STATE_LOADED;
	unsigned int i;

	for (i = 0; i < d->nr_files; i++)
		images[i] = d->files[i].path;
	if (d->profile)
		snprintf(profile, sizeof(profile), "0x%04x", d->profile);

	out_obj_begin(o);
	out_u64(o, "index", "DRIVE", d->index);
	out_str(o, "hctl", NULL, d->hctl[0] ? d->hctl : NULL);
	out_str(o, "device", "DEVICE", dev_path(dev, sizeof(dev), d->block_dev));
	out_str(o, "sg", "SG", dev_path(sg, sizeof(sg), d->sg_dev));
	out_str(o, "state", "STATE", name_or_num(state, sizeof(state),
						 vcd_state_name(d->state), d->state));
	out_bool(o, "locked", "LOCKED", d->locked);
	out_str(o, "profile", "PROFILE", !d->profile ? NULL :
		vcd_profile_name(d->profile) ?: profile);
	if (loaded)
		out_u64(o, "capacity", "CAPACITY", d->capacity);
	else
		out_str(o, "capacity", "CAPACITY", NULL);
	out_strv(o, "images", "IMAGE", images, d->nr_files);
	out_str(o, "format", NULL, loaded && d->format[0] ? d->format : NULL);
	out_lines(o, "source", loaded ? d->source : NULL);
	out_playlist(o, d);
	out_str(o, "serial", NULL, d->serial[0] ? d->serial : NULL);
	out_str(o, "vendor", NULL, d->vendor[0] ? d->vendor : NULL);
	out_str(o, "product", NULL, d->product[0] ? d->product : NULL);
	out_str(o, "revision", NULL, d->revision[0] ? d->revision : NULL);
	if (cache)
		out_strv(o, "cache", NULL, cache, nr_cache);
	out_obj_end(o);
	free(images);
}

void out_drives(struct out *o, const struct vcd_drive_info *drives, size_t n)
{
	size_t i;

	out_list_begin(o, "drives", drive_cols, ARRAY_SIZE(drive_cols));
	for (i = 0; i < n; i++)
		out_drive(o, &drives[i]);
	out_list_end(o);
}

void out_event(struct out *o, const struct vcd_event_info *ev)
{
	char event[16], cause[16], dev[48], sg[48];

	out_obj_begin(o);
	out_str(o, "event", NULL, name_or_num(event, sizeof(event),
					      vcd_event_name(ev->event), ev->event));
	out_u64(o, "drive", NULL, ev->drive);
	if (ev->block_dev[0])
		out_str(o, "device", NULL, dev_path(dev, sizeof(dev), ev->block_dev));
	if (ev->sg_dev[0])
		out_str(o, "sg", NULL, dev_path(sg, sizeof(sg), ev->sg_dev));
	if (ev->has_cause)
		out_str(o, "cause", NULL, name_or_num(cause, sizeof(cause),
						      vcd_eject_cause_name(ev->cause),
						      ev->cause));
	out_obj_end(o);
}

/* The names of the bits set in @features into @names (bitN for one libvcdrom does not know); how many. */
static unsigned int feature_names(uint64_t features, const char *names[64], char unknown[64][8])
{
	unsigned int bit, n = 0;

	for (bit = 0; bit < 64; bit++) {
		if (!(features & (1ULL << bit)))
			continue;
		names[n] = vcd_feature_name(bit);
		if (!names[n]) {
			snprintf(unknown[bit], sizeof(unknown[bit]), "bit%u", bit);
			names[n] = unknown[bit];
		}
		n++;
	}
	return n;
}

void out_features(struct out *o, uint64_t features, uint32_t max_drives)
{
	const char *names[64];
	char unknown[64][8];
	unsigned int n = feature_names(features, names, unknown);

	out_obj_begin(o);
	out_strv(o, "features", NULL, names, n);
	if (max_drives)
		out_u64(o, "max_drives", NULL, max_drives);
	else
		out_str(o, "max_drives", NULL, NULL);
	out_obj_end(o);
}

void out_version(struct out *o, const char *tool, const char *module, const uint64_t *features)
{
	const char *names[64];
	char unknown[64][8];
	unsigned int n;

	out_obj_begin(o);
	out_str(o, "vcdromctl", NULL, tool);
	out_str(o, "module", NULL, module);
	if (features) {
		n = feature_names(*features, names, unknown);
		out_strv(o, "features", NULL, names, n);
	} else {
		out_str(o, "features", NULL, NULL);
	}
	out_obj_end(o);
}

static const char *const toc_cols[] = { "SESSION", "TRACK", "TYPE", "START", "MSF", "FLAGS" };

/* @lba as the MSF address READ TOC gives: 150 sectors of lead-in before LBA 0 */
static void lba_msf(char *buf, size_t size, uint32_t lba)
{
	uint32_t a = lba + 150;

	snprintf(buf, size, "%02u:%02u:%02u", a / 4500, a / 75 % 60, a % 75);
}

static void q_flags(char *buf, size_t size, uint8_t control)
{
	snprintf(buf, size, "%s%s%s", control & VCD_Q_DCP ? "dcp," : "",
		 control & VCD_Q_PRE ? "pre," : "", control & VCD_Q_4CH ? "4ch," : "");
	if (buf[0])
		buf[strlen(buf) - 1] = '\0';
}

/* A track (@number 1-99) or the lead-out (@number 0). */
static void toc_row(struct out *o, unsigned int number, unsigned int session, const char *type,
		    uint32_t lba, uint8_t control, bool flags)
{
	char msf[16], fl[16];

	lba_msf(msf, sizeof(msf), lba);
	q_flags(fl, sizeof(fl), control);
	out_obj_begin(o);
	if (session)
		out_u64(o, "session", "SESSION", session);
	else
		out_str(o, "session", "SESSION", NULL);
	if (number)
		out_u64(o, "track", "TRACK", number);
	else
		out_str(o, "track", "TRACK", "lead-out");
	if (type)
		out_str(o, "type", "TYPE", type);
	out_u64(o, "start", "START", lba);
	out_str(o, "msf", "MSF", msf);
	if (flags)
		out_str(o, "flags", "FLAGS", fl[0] ? fl : NULL);
	out_obj_end(o);
}

void out_toc(struct out *o, const struct vcd_toc *toc)
{
	out_image_toc(o, toc, NULL, NULL, NULL, NULL);
}

/* An image's DPM blocks: a JSON member "dpm", or a line each. */
static void out_dpm(struct out *o, const struct vcd_disc *disc)
{
	const struct vcd_dpm_block *b;
	unsigned int i;

	if (o->mode == OUT_JSON)
		fputs(",\"dpm\":[", o->f);
	for (i = 0; i < disc->nr_dpm; i++) {
		b = &disc->dpm[i];
		if (o->mode == OUT_JSON)
			fprintf(o->f, "%s{\"block\":%u,\"start\":%u,\"resolution\":%u,"
				"\"entries\":%u}", i ? "," : "", b->number, b->start,
				b->resolution, b->entries);
		else
			fprintf(o->f, "dpm: block %u: from sector %u, an entry every %u sectors, "
				"%u entries\n", b->number, b->start, b->resolution, b->entries);
	}
	if (o->mode == OUT_JSON)
		fputc(']', o->f);
}

void out_image_toc(struct out *o, const struct vcd_toc *toc, const char *format,
		   const char *medium, const struct vcd_disc *disc, const char *note)
{
	const struct vcd_toc_track *t;
	unsigned int i;

	if (o->mode == OUT_JSON) {
		fputc('{', o->f);
		if (format) {
			fputs("\"format\":", o->f);
			if (format[0])
				json_print_string(o->f, format);
			else
				fputs("null", o->f);
			fputs(",\"medium\":", o->f);
			json_print_string(o->f, medium);
			fputs(",\"note\":", o->f);
			if (note)
				json_print_string(o->f, note);
			else
				fputs("null", o->f);
			fputc(',', o->f);
		}
		fputs("\"sessions\":", o->f);
		if (toc->nr_sessions)
			fprintf(o->f, "%u", toc->nr_sessions);
		else
			fputs("null", o->f);
		fputs(",\"mcn\":", o->f);
		if (toc->mcn[0])
			json_print_string(o->f, toc->mcn);
		else
			fputs("null", o->f);
		fputs(",\"leadout\":", o->f);
		o->in_list = true;
		o->nobjs = 0;
		toc_row(o, 0, toc->nr_sessions, NULL, toc->leadout, 0, false);
		fputs(",\"tracks\":[", o->f);
		o->nobjs = 0;
		for (i = 0; i < toc->nr_tracks; i++) {
			t = &toc->tracks[i];
			toc_row(o, t->number, t->session,
				t->control & VCD_Q_DATA ? "data" : "audio", t->start,
				t->control, true);
		}
		fputc(']', o->f);
		if (disc && disc->nr_dpm)
			out_dpm(o, disc);
		fputs("}\n", o->f);
		o->in_list = false;
		return;
	}
	out_list_begin(o, "tracks", toc_cols, ARRAY_SIZE(toc_cols));
	for (i = 0; i < toc->nr_tracks; i++) {
		t = &toc->tracks[i];
		toc_row(o, t->number, t->session, t->control & VCD_Q_DATA ? "data" : "audio",
			t->start, t->control, true);
	}
	toc_row(o, 0, toc->nr_sessions, NULL, toc->leadout, 0, false);
	out_list_end(o);
	fprintf(o->f, "mcn: %s\n", toc->mcn[0] ? toc->mcn : "-");
	if (format)
		fprintf(o->f, "format: %s\nmedium: %s\n", format[0] ? format : "-", medium);
	if (format && note)
		fprintf(o->f, "note: %s\n", note);
	if (disc && disc->nr_dpm)
		out_dpm(o, disc);
}
