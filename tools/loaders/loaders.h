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

/* The caller's side of a load: where notes go, and why it failed. */
struct vcd_load {
	/* Set by the caller: told of things worth knowing that are no error; may be NULL. */
	void (*note)(const char *object, const char *text, void *arg);
	void *note_arg;

	/* Set when the load fails. */
	int err;			/* positive errno */
	char object[PATH_MAX + 16];	/* what it is about: "disc.iso", "game.cue:12" */
	char reason[256];		/* why: "Is a directory", "empty file" */
};

/*
 * Load the image at @path into @disc (which must be empty), choosing the
 * loader by content and by extension. Returns 0, or a negative errno with
 * @ld->object and @ld->reason set; @disc is empty again after a failure.
 */
int vcd_load_image(const char *path, struct vcd_disc *disc, struct vcd_load *ld);

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
};

/* Record a failure; @fmt NULL means strerror(@err). Returns -@err. */
__printf(4, 5)
int vcd_load_fail(struct vcd_load *ld, int err, const char *object, const char *fmt, ...);
__printf(3, 4)
void vcd_load_note(struct vcd_load *ld, const char *object, const char *fmt, ...);

/*
 * Open a file whose bytes are sectors, for reading, as the caller: a regular
 * file or a block device, not empty. Returns the fd (O_CLOEXEC) and its size.
 */
int vcd_open_image_file(const char *path, uint64_t *size, struct vcd_load *ld);

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

/* toc/: a cdrdao TOC file and the files it names */
int vcd_probe_toc(int fd, uint64_t size);
int vcd_load_toc(int fd, const char *path, uint64_t size, struct vcd_disc *disc,
		 struct vcd_load *ld);

#endif /* VCDROM_LOADERS_H */
