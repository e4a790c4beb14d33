/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CUE loader's parsed sheet, shared by its parts: cue.c (the
 * sheet, its files, the layout) and cdtext.c (CD-TEXT).
 */
#ifndef VCDROM_LOADER_CUE_H
#define VCDROM_LOADER_CUE_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"
#include "helpers.h"
#include "loaders.h"

enum cue_file_type { CUE_BINARY, CUE_MOTOROLA, CUE_WAVE };

struct cue_mode {
	const char *name;
	uint32_t mode;			/* enum vcdrom_track_mode */
	uint32_t format;		/* enum vcdrom_sector_format */
	unsigned int size;		/* bytes per stored sector */
};
struct cue_file {
	char *name;			/* as the sheet has it */
	unsigned int line;
	enum cue_file_type type;
	int disc_file;			/* its index in the disc, once opened */
	uint64_t data_off;		/* where the sectors start: 0, or WAVE's data chunk */
	uint64_t data_len;		/* bytes of sectors from there */
	bool partial_ok;		/* a last partial sector may be zero-filled */
};

/* An INDEX line. */
struct cue_point {
	unsigned int track;		/* its position in cue_sheet.tracks */
	unsigned int number;		/* 0-99 */
	unsigned int file;
	uint32_t pos;			/* sectors from the start of the file */
	unsigned int line;
	uint32_t rel;			/* sectors from the track's first stored one */
};

/* Stored sectors of a track in one file. */
struct cue_segment {
	unsigned int file;
	uint64_t offset;		/* bytes into the file */
	uint32_t length;		/* sectors */
};

struct cue_track {
	unsigned int number;
	unsigned int line;
	unsigned int session;		/* 1, 2, ... */
	const struct cue_mode *mode;
	uint32_t flags;
	char isrc[VCDROM_ISRC_LEN + 1];
	uint32_t pregap, postgap;	/* sectors */
	bool has_pregap, has_postgap, has_flags, has_isrc;
	unsigned int first_point, nr_points;
	struct cue_segment *segs;
	unsigned int nr_segs;
	uint32_t stored;		/* sectors in segs */
	char *text[CDT_NR];
};

struct cue_session {
	uint32_t leadout;		/* sectors, from REM LEAD-OUT */
	bool has_leadout;
};

struct cue_sheet {
	const char *path;		/* as the caller named it */
	char *dir;			/* the folder FILE names are relative to */
	struct vcd_load *ld;
	bool utf8;			/* else Latin-1 */
	unsigned int line;		/* the line being parsed */

	struct cue_file *files;
	unsigned int nr_files;
	struct cue_track *tracks;
	unsigned int nr_tracks;
	struct cue_point *points;
	unsigned int nr_points;
	struct cue_session sessions[VCDROM_MAX_SESSIONS + 1];	/* from 1 */
	unsigned int session;		/* the current one; 0 before REM SESSION or TRACK */
	bool explicit_sessions;

	char mcn[VCDROM_MCN_LEN + 1];
	bool has_catalog;
	char *text[CDT_NR];		/* the disc's CD-TEXT */
	char *cdtextfile;
	unsigned int cdtextfile_line;
};

/* cue.c */
#define cue_fail_err(cs, err, line, ...) \
	vcd_load_fail_at((cs)->ld, err, (cs)->path, line, __VA_ARGS__)
#define cue_fail_at(cs, line, ...) cue_fail_err(cs, EINVAL, line, __VA_ARGS__)
int cue_nomem(struct cue_sheet *cs);
bool cue_find_file(struct cue_sheet *cs, const char *name, char *buf, size_t size);

/* cdtext.c */
int cue_build_cdtext(struct cue_sheet *cs, struct vcd_disc *disc);
int cue_load_cdtextfile(struct cue_sheet *cs, struct vcd_disc *disc);

#endif /* VCDROM_LOADER_CUE_H */
