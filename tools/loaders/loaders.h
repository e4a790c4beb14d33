/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Image loaders: turn an image file (ISO, CUE/BIN, ...) into the
 * neutral disc layout of libvcdrom.h, with every file opened here, with the
 * caller's own permissions. The kernel never opens a path.
 */
#ifndef VCDROM_LOADERS_H
#define VCDROM_LOADERS_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "helpers.h"
#include "libvcdrom.h"

struct vcd_expand;

/* The caller's side of a load: where notes go, what was loaded, and why it failed. */
struct vcd_load {
	/* Set by the caller: told of things worth knowing that are no error; may be NULL. */
	void (*note)(const char *object, const char *text, void *arg);
	void *note_arg;
	/*
	 * Set by the caller: 0 to choose the format by content; else the file
	 * is sectors of this size, whatever it holds: 2048 (--raw) a plain
	 * data disc, 2352 raw sectors (one data track, its mode read from them).
	 */
	unsigned int sector_size;
	/*
	 * Set by the caller: how files found compressed (gzip, xz, zstd, bzip2,
	 * ECM) are expanded, and where what was expanded is told (expand/expand.h);
	 * NULL: they are refused, as formats no loader reads.
	 */
	struct vcd_expand *expand;
	/*
	 * Set by the caller: the files a CHD child's parent is taken from
	 * (--parent), the one with the SHA-1 it names; none: a CHD beside it.
	 */
	const char *const *chd_parents;
	unsigned int nr_chd_parents;

	/* Set when the load succeeds: the format it was loaded as, "ISO image". */
	const char *format;
	/* Set when the load succeeds: what the format cannot hold, as a note; or NULL. */
	const char *lacks;

	/* Set when the load fails. */
	int err;			/* positive errno */
	char object[PATH_MAX + 16];	/* what it is about: "disc.iso", "game.cue:12" */
	char reason[256];		/* why: "Is a directory", "empty file" */
};

/*
 * Load the image at @path into @disc (which must be empty), choosing the
 * loader by content, the extension breaking ties (or as @ld->sector_size
 * says). Returns 0, or a negative errno with
 * @ld->object and @ld->reason set; @disc is empty again after a failure.
 */
int vcd_load_image(const char *path, struct vcd_disc *disc, struct vcd_load *ld);

/*
 * Load @n images into @disc as vcd_load_image() does; several make one disc,
 * a session each, in order: cdrdao TOC files only, their data tracks CD-ROM
 * XA. Session k's track 1 starts after session k-1's lead-out (6750 sectors
 * after session 1, 2250 after later ones), a 4500-sector lead-in and a
 * 150-sector pre-gap; tracks are numbered on. Their catalog numbers, where
 * given, must agree; the CD-TEXT is the first image's.
 */
int vcd_load_images(const char *const *paths, unsigned int n, struct vcd_disc *disc,
		    struct vcd_load *ld);

/* ---- for loaders ---- */

/* How sure a probe is that the content is in its format. */
#define VCD_PROBE_NO	0
#define VCD_PROBE_MAYBE	50		/* text that starts the way the format's does */
#define VCD_PROBE_SURE	100		/* a magic number where the format has one */

/* An image format: one entry of the table in loaders.c. */
struct vcd_loader {
	const char *name;			/* for messages: "CUE sheet" */
	const char *const *exts;		/* file name extensions, NULL-terminated */
	/* VCD_PROBE_*: how sure the content at @fd is this format. NULL: never known by it. */
	int (*probe)(int fd, uint64_t size);
	/* Takes @fd in every case. NULL: a format we know but cannot load yet. */
	int (*load)(int fd, const char *path, uint64_t size, struct vcd_disc *disc,
		    struct vcd_load *ld);
	/* Without @load: why it is refused and what to do instead (NULL: "unsupported"). */
	const char *refusal;
};

/* What makes an ISO image, and what to do with a file of sectors that is none. */
#define VCD_ISO_LOOKED_FOR	"no ISO 9660, UDF or High Sierra volume descriptor in sectors " \
				"16-31, no Apple partition map"
#define VCD_RAW_HINT		"insert with --raw to use it as plain 2048-byte data sectors"

/* Record a failure; @fmt NULL means strerror(@err). Returns -@err. */
__printf(4, 5)
int vcd_load_fail(struct vcd_load *ld, int err, const char *object, const char *fmt, ...);
__printf(3, 4)
void vcd_load_note(struct vcd_load *ld, const char *object, const char *fmt, ...);
/* The same about line @line of the text file @path: the object is "PATH:LINE" (0: PATH). */
__printf(5, 6)
int vcd_load_fail_at(struct vcd_load *ld, int err, const char *path, unsigned int line,
		     const char *fmt, ...);
__printf(4, 5)
void vcd_load_note_at(struct vcd_load *ld, const char *path, unsigned int line,
		      const char *fmt, ...);

/*
 * Open a file whose bytes are sectors, for reading, as the caller: a regular
 * file or a block device, not empty. Returns the fd (O_CLOEXEC) and its size:
 * with @ld->expand, of its expanded content when it is compressed.
 */
int vcd_open_image_file(const char *path, uint64_t *size, struct vcd_load *ld);

/* Whether @path's extension is one of an image format's, as the loaders know them. */
bool vcd_names_image(const char *path);

/* m3u.c: playlists of discs (a multi-disc game), read by the tool, never loaded as a disc */
#define VCD_PLAYLIST_MAX	32	/* the kernel's VCDROM_MAX_PLAYLIST */

struct vcd_playlist {
	unsigned int nr;
	char **paths;			/* each disc's image, as found beside the playlist */
};

int vcd_probe_m3u(int fd, uint64_t size);
/* Whether @path is a playlist, by its content. */
bool vcd_is_playlist(const char *path);
/*
 * The discs the playlist at @path names, every one found; a playlist naming
 * another is refused. Returns 0, or vcd_load_fail()'s -errno.
 */
int vcd_playlist_read(const char *path, struct vcd_playlist *pl, struct vcd_load *ld);
void vcd_playlist_free(struct vcd_playlist *pl);

/* iso.c: 2048-byte sectors, one data track */
int vcd_probe_iso(int fd, uint64_t size);
int vcd_load_iso(int fd, const char *path, uint64_t size, struct vcd_disc *disc,
		 struct vcd_load *ld);

/* cue/: a CDRWIN cue sheet and the files it names */
int vcd_probe_cue(int fd, uint64_t size);
int vcd_load_cue(int fd, const char *path, uint64_t size, struct vcd_disc *disc,
		 struct vcd_load *ld);

/* nrg/: a Nero Burning ROM image (v1 "NERO", v2 "NER5") */
int vcd_probe_nrg(int fd, uint64_t size);
int vcd_load_nrg(int fd, const char *path, uint64_t size, struct vcd_disc *disc,
		 struct vcd_load *ld);

/* mds/: an Alcohol 120% Media Descriptor (version 1.x) and the files it names */
int vcd_probe_mds(int fd, uint64_t size);
int vcd_load_mds(int fd, const char *path, uint64_t size, struct vcd_disc *disc,
		 struct vcd_load *ld);

/* toc/: a cdrdao TOC file and the files it names */
int vcd_probe_toc(int fd, uint64_t size);
int vcd_load_toc(int fd, const char *path, uint64_t size, struct vcd_disc *disc,
		 struct vcd_load *ld);

/* ccd/: a CloneCD image: disc.ccd, disc.img and maybe disc.sub */
int vcd_probe_ccd(int fd, uint64_t size);
int vcd_load_ccd(int fd, const char *path, uint64_t size, struct vcd_disc *disc,
		 struct vcd_load *ld);

/* raw.c: 2352-byte sectors without a sheet, one data track */
int vcd_probe_raw(int fd, uint64_t size);
int vcd_load_raw(int fd, const char *path, uint64_t size, struct vcd_disc *disc,
		 struct vcd_load *ld);

/* magic.c: formats known by a magic number, and refused */
int vcd_probe_gzip(int fd, uint64_t size);
int vcd_probe_xz(int fd, uint64_t size);
int vcd_probe_zstd(int fd, uint64_t size);
int vcd_probe_bzip2(int fd, uint64_t size);
int vcd_probe_zip(int fd, uint64_t size);
int vcd_probe_7z(int fd, uint64_t size);
int vcd_probe_chd(int fd, uint64_t size);
/* chd/load.c: extracted through @ld->expand (refused without one) */
int vcd_load_chd(int fd, const char *path, uint64_t size, struct vcd_disc *disc,
		 struct vcd_load *ld);
int vcd_probe_ecm(int fd, uint64_t size);
int vcd_probe_mds2(int fd, uint64_t size);
int vcd_probe_mdx(int fd, uint64_t size);
int vcd_probe_cdi(int fd, uint64_t size);

#endif /* VCDROM_LOADERS_H */
