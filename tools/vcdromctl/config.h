/* SPDX-License-Identifier: GPL-2.0 */
/* The configuration file of 'vcdromctl apply' and 'save': drives, their discs, the cache. */
#ifndef VCDROM_CONFIG_H
#define VCDROM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define VCD_CONFIG_FILE		"/etc/vcdrom.conf"
#define VCD_CONFIG_MAX_IMAGES	16

/* One [drive] section. Strings NULL when not given. */
struct vcd_config_drive {
	unsigned int line;		/* of "[drive]" */
	char *vendor;
	char *product;
	char *revision;
	char *serial;
	unsigned int nr_images;
	char *images[VCD_CONFIG_MAX_IMAGES];	/* relative paths made relative to the file's folder */
	unsigned int image_line;	/* of the first "image =" */
	uint32_t medium;		/* VCDROM_MEDIUM_AUTO unless "medium =" */
	unsigned int sector_size;	/* 0 unless "sector-size =" */
	bool playlist;			/* "playlist = yes": each image a disc of a playlist */
};

/* The [cache] section: where apply expands compressed images. */
struct vcd_config_cache {
	unsigned int line;		/* of "[cache]"; 0: there is none */
	char *dir;			/* "dir =", an absolute path; NULL when not given */
	bool has_max;			/* "max =" given */
	uint64_t max;			/* its bytes; 0: no cap */
	int enabled;			/* "enabled =": 1 yes, 0 no (into memory), -1 not given */
};

struct vcd_config {
	unsigned int nr_drives;
	struct vcd_config_drive *drives;
	struct vcd_config_cache cache;
};

/*
 * A size as --cache-max and "max =" take it: bytes, or with K, M, G or T
 * (maybe followed by B; powers of 1024). 0, or -1 when @s is not one.
 */
int vcd_parse_size(const char *s, uint64_t *bytes);

/*
 * Parse @f, named @file in messages. 0, or -1 with "FILE:LINE: reason" in
 * @err; @cfg is then empty.
 */
int vcd_config_parse(FILE *f, const char *file, struct vcd_config *cfg, char *err, size_t size);
void vcd_config_free(struct vcd_config *cfg);

/*
 * Fill in from @cc what the options left unset: the folder or no cache
 * (--cache-dir, --no-cache), and the cap (--cache-max, @unlimited for 0).
 * @dir then points into @cc.
 */
void vcd_config_cache_fill(const struct vcd_config_cache *cc, const char **dir, bool *no_cache,
			   uint64_t *max, bool *unlimited);

/*
 * Copy each [cache] section of @in to @out, its lines as they are, up to
 * its last "key = value" line: what save keeps of the file it replaces.
 * 0, or -1 with errno.
 */
int vcd_config_copy_cache(FILE *in, FILE *out);

#endif /* VCDROM_CONFIG_H */
