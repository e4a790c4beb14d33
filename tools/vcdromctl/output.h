/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcdromctl's output: one description of each object (a drive, an event,
 * the features), printed as JSON or as plain text by the same calls.
 */
#ifndef VCDROM_OUTPUT_H
#define VCDROM_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "libvcdrom.h"

enum out_mode {
	OUT_JSON,	/* {"key":value,...}; a list is {"NAME":[...]} */
	OUT_BLOCK,	/* one "key: value" line per field */
	OUT_TABLE,	/* a list as a table: a header, then one row per object */
	OUT_LINE,	/* an object on one line: key=value ... */
};

struct out {
	enum out_mode mode;
	FILE *f;
	unsigned int nfields;		/* in the current object */
	unsigned int nobjs;		/* so far */
	bool in_list;
	/* OUT_TABLE */
	const char *const *cols;	/* column names, which fields name */
	unsigned int ncols;
	unsigned int nrows;
	char **cells;			/* nrows * ncols; NULL prints as "-" */
};

void out_init(struct out *o, enum out_mode mode, FILE *f);
/* A list of objects: @name in JSON, @cols in a table. */
void out_list_begin(struct out *o, const char *name, const char *const *cols, unsigned int ncols);
void out_list_end(struct out *o);
void out_obj_begin(struct out *o);
void out_obj_end(struct out *o);

/*
 * A field: @key in JSON and key: value text, @col its table column (NULL: not
 * in the table). A NULL string is JSON null, and "-" in text.
 */
void out_str(struct out *o, const char *key, const char *col, const char *val);
void out_u64(struct out *o, const char *key, const char *col, uint64_t val);
void out_bool(struct out *o, const char *key, const char *col, bool val);
void out_strv(struct out *o, const char *key, const char *col, const char *const *v,
	      unsigned int n);

/* @s as a JSON string, quoted; bytes that are not UTF-8 become U+FFFD. */
void json_print_string(FILE *f, const char *s);

void out_drives(struct out *o, const struct vcd_drive_info *drives, size_t n);
void out_drive(struct out *o, const struct vcd_drive_info *d);
/* The drive, and (unless NULL) "cache": the cache entries an insert used. */
void out_drive_cache(struct out *o, const struct vcd_drive_info *d, const char *const *cache,
		     unsigned int nr_cache);
void out_event(struct out *o, const struct vcd_event_info *ev);
/* A TOC: a table of tracks and the lead-out, then the MCN; or one JSON object. */
void out_toc(struct out *o, const struct vcd_toc *toc);
/*
 * An image's TOC, with the format it was loaded as and the medium it makes (neither NULL),
 * what else @disc (or NULL) holds that a TOC does not: DPM blocks, and a @note (or NULL)
 * on what the format cannot hold.
 */
void out_image_toc(struct out *o, const struct vcd_toc *toc, const char *format,
		   const char *medium, const struct vcd_disc *disc, const char *note);
void out_features(struct out *o, uint64_t features, uint32_t max_drives);
/*
 * The tool's version, the loaded module's (NULL: not loaded) and its
 * features (NULL: the module could not be asked).
 */
void out_version(struct out *o, const char *tool, const char *module, const uint64_t *features);

#endif /* VCDROM_OUTPUT_H */
