/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What vcdromctl's commands share across its files: the exit statuses, what
 * a command was given, and the helpers that say why something failed.
 */
#ifndef VCDROMCTL_CLI_H
#define VCDROMCTL_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "helpers.h"
#include "libvcdrom.h"
#include "loaders.h"

/* Exit statuses (vcdromctl(8), EXIT STATUS): what a script can tell apart. */
#define EXIT_USAGE	2
#define EXIT_NOT_LOADED	3	/* the vcdrom module is not loaded */
#define EXIT_DENIED	4	/* not permitted */
#define EXIT_BUSY	5	/* the drive or its medium is in use or locked */
#define EXIT_IMAGE	6	/* an image that cannot be served */
#define EXIT_NO_DRIVE	7	/* no such drive */
#define EXIT_TIMEOUT	8	/* --wait, wait: not ready in time */

/* What a command was given. */
struct args {
	const char *drive;		/* --drive */
	bool replace;			/* --replace */
	bool force;			/* --force */
	bool toc;			/* --toc */
	bool wait;			/* --wait */
	int timeout_ms;			/* --timeout */
	unsigned int sector_size;	/* --raw (2048), --sector-size; 0: by content */
	uint32_t medium;		/* --medium; VCDROM_MEDIUM_AUTO: by content and size */
	struct vcd_identity id;		/* --vendor ... */
	const char *cache_dir;		/* --cache-dir; NULL: the default */
	bool no_cache;			/* --no-cache: expand into memory */
	uint64_t cache_max;		/* --cache-max; 0: VCD_CACHE_MAX_DEFAULT */
	bool cache_unlimited;		/* --cache-max 0 */
	bool playlist;			/* --playlist: each operand a disc of a playlist */
	unsigned int delay_ms;		/* swap --delay */
	const char **parents;		/* --parent, each one given */
	unsigned int nr_parents;
	char **argv;			/* operands */
	int argc;
};

/* vcdromctl.c */
void fail_as(int class);
void __printf(2, 3) say(const char *object, const char *fmt, ...);
int failed(struct vcd_client *c, const char *object, int err);
struct vcd_client *connect_kernel(void);
void note(const char *object, const char *text, void *arg);
int check_features(struct vcd_client *c, const struct args *a, struct vcd_disc *disc,
		   const char *format);
int load_disc(const struct args *a, struct vcd_disc *disc, struct vcd_load *ld);
/* expand.c: what the last load_disc() expanded (expand/expand.h), until the next. */
const struct vcd_expand *expanded(void);
/* Set up @ld to expand what it finds compressed, as @a's options say. */
void setup_expand(const struct args *a, struct vcd_load *ld);
/* The progress bar off the terminal, for what comes next. */
void expand_progress_clear(void);

/* playlist.c: what insert puts in a drive, one disc or a playlist */
struct disc_set {
	bool playlist;			/* several discs, kept with the drive */
	unsigned int nr;
	struct vcd_disc *discs;
	const char **formats;		/* each disc's, as its loader names it */
	char **sources;			/* each disc's source, kept past check_features() */
	char **paths;			/* a playlist's images */
	struct vcd_playlist m3u;	/* the .m3u read, if any */
};

/* Load @a's operands, a playlist when --playlist or an .m3u says so; 0, or -1 said. */
int disc_set_load(const struct args *a, struct disc_set *set);
/* What the loaded module must do to serve @set: 0, or an exit status, said. */
int disc_set_check(struct vcd_client *c, const struct args *a, struct disc_set *set);
int disc_set_insert(struct vcd_client *c, uint32_t index, const struct args *a,
		    const struct disc_set *set, struct vcd_drive_info *info);
void disc_set_free(struct disc_set *set);
int swap_target(const char *arg, unsigned int nr, unsigned int pos, uint32_t *disc);

/* apply.c */
int cmd_apply(const struct args *a);
int cmd_save(const struct args *a);

#endif
