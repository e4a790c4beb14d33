/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MAME CHD ("Compressed Hunks of Data") images: the container (v5, the one
 * chdman writes), its hunk map, metadata and codecs, and the extraction of
 * a CD's or DVD's sectors into a plain file that the kernel can read.
 *
 * Written from MAME's src/lib/util/chd.cpp and libchdr's description of the
 * format; no code is taken from either.
 *
 * Every failure is reported through a struct vcd_load: the object is the
 * CHD's name ("game.chd", "game.chd: hunk 12"), the reason says what is
 * wrong with it.
 */
#ifndef VCDROM_CHD_H
#define VCDROM_CHD_H

#include <stdbool.h>
#include <stdint.h>

#include "loaders.h"

#define VCD_CHD_HEADER_V5	124
/* a CD frame in a CHD: 2352 bytes of sector, 96 of sub-channel */
#define VCD_CHD_FRAME		2448
#define VCD_CHD_SECTOR		2352
#define VCD_CHD_SUB		96
#define VCD_CHD_MAX_TRACKS	99

struct vcd_chd;

enum vcd_chd_kind {
	VCD_CHD_RAW,		/* no CD or DVD metadata: plain data */
	VCD_CHD_CD,
	VCD_CHD_DVD,
};

/* A CD track as the CHD's metadata (CHT2, CHTR or CHCD) describes it. */
struct vcd_chd_track {
	unsigned int number;		/* 1-99 */
	char type[16];			/* "MODE1_RAW", "AUDIO", ... */
	char subtype[8];		/* "NONE", "RW", "RW_RAW" */
	uint32_t mode;			/* enum vcdrom_track_mode */
	uint32_t datasize;		/* bytes of each frame's sector data: 2048 to 2352 */
	uint32_t format;		/* enum vcdrom_sector_format of that data */
	uint32_t subsize;		/* 96 when the sub-channel is stored, else 0 */
	uint32_t frames;		/* stored, the pregap included when it is stored */
	uint32_t pregap;		/* frames before index 1 */
	bool pregap_stored;		/* the pregap's frames are in the data (PGTYPE "V...") */
	char pgtype[16], pgsub[8];	/* the pregap's type and sub-channel type */
	uint32_t postgap;		/* frames after the track, not stored */
	uint32_t pad;			/* padding frames after it in the hunks (to 4 frames) */
	uint64_t chd_frame;		/* its first frame in the hunks */
	uint64_t out_offset;		/* where vcd_chd_extract() writes it */
};

struct vcd_chd_info {
	uint32_t version;
	char compressors[4][5];		/* "cdlz", ""; none: all "" */
	uint64_t logical_bytes;
	uint32_t hunk_bytes, unit_bytes, nr_hunks;
	uint8_t raw_sha1[20];		/* of the logical data */
	uint8_t sha1[20];		/* of the data and the metadata */
	uint8_t parent_sha1[20];	/* that parent's sha1 */
	bool has_parent;
	/* hunks by how they are stored: codec 0-3, uncompressed, copies, in the parent */
	uint32_t hunks_by[7];
	enum vcd_chd_kind kind;
	unsigned int nr_tracks;
	struct vcd_chd_track tracks[VCD_CHD_MAX_TRACKS];
	uint64_t out_bytes;		/* what vcd_chd_extract() writes */
};

/*
 * Open the CHD at @fd (the caller keeps it open as long as the handle),
 * @name for messages; @parent an opened parent, or NULL. Validates the
 * header, reads the map and the metadata. A child whose parent is not given
 * is refused, naming the parent's SHA-1. Returns 0 or -errno (@ld says why).
 */
int vcd_chd_open(int fd, const char *name, struct vcd_chd *parent, struct vcd_load *ld,
		 struct vcd_chd **chdp);
/*
 * Open the CHD at @path, and the parents it needs: each the one of the
 * @nr_parents files in @parents whose SHA-1 it names (every one must be a
 * CHD), or else the CHD beside it with that SHA-1. When parents are given,
 * @path's own must be among them. The handle owns its fds.
 */
int vcd_chd_open_path(const char *path, const char *const *parents, unsigned int nr_parents,
		      struct vcd_load *ld, struct vcd_chd **chdp);
/* Close it (and the parent vcd_chd_open_path() opened). NULL is fine. */
void vcd_chd_close(struct vcd_chd *chd);
const struct vcd_chd_info *vcd_chd_info(const struct vcd_chd *chd);

/* Hunk @hunk, decompressed and its CRC checked, in @buf (hunk_bytes). */
int vcd_chd_read_hunk(struct vcd_chd *chd, uint32_t hunk, uint8_t *buf, struct vcd_load *ld);
/* @len bytes of the logical data from @offset. */
int vcd_chd_read_bytes(struct vcd_chd *chd, uint64_t offset, uint8_t *buf, size_t len,
		       struct vcd_load *ld);
/* Read every hunk and check the data's SHA-1 against the header's. */
int vcd_chd_verify(struct vcd_chd *chd, struct vcd_load *ld);

/* Told how far an extraction is; a non-zero return stops it (-ECANCELED). */
typedef int (*vcd_chd_progress_fn)(uint64_t done, uint64_t total, void *arg);

/*
 * Write the disc's sectors to @out_fd from its start, in order: a CD's
 * tracks one after the other, each frame as its track stores it (datasize
 * bytes, then the sub-channel's 96 when stored), its stored pregap
 * included, padding frames left out, audio turned little-endian (what
 * "chdman extractcd" writes as its BIN); a DVD's or raw CHD's data as it
 * is. The data's SHA-1 is checked on the way: a mismatch fails it.
 */
int vcd_chd_extract(struct vcd_chd *chd, int out_fd, vcd_chd_progress_fn progress, void *arg,
		    struct vcd_load *ld);

/*
 * Fill the empty @disc with the layout of the CD or DVD that
 * vcd_chd_extract() wrote to the file @fd (@path, @size bytes), which the
 * disc owns from now on (even on failure): the first track's pregap from
 * LBA 0 (the lead-in's 150 frames are before it, never in the CHD),
 * pregaps not stored and postgaps as zero sectors, a stored pregap before
 * index 1 as a cue sheet's INDEX 00. A "CD" of one MODE1 (2048) track
 * longer than a CD (chdman createcd of a DVD image) is a DVD.
 */
int vcd_chd_fill_disc(const struct vcd_chd_info *info, int fd, const char *path, uint64_t size,
		      struct vcd_disc *disc, struct vcd_load *ld);

#endif /* VCDROM_CHD_H */
