/* SPDX-License-Identifier: GPL-2.0 */
/* The configuration file of 'vcdromctl apply' and 'save': drives and their discs. */
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

struct vcd_config {
	unsigned int nr_drives;
	struct vcd_config_drive *drives;
};

/*
 * Parse @f, named @file in messages. 0, or -1 with "FILE:LINE: reason" in
 * @err; @cfg is then empty.
 */
int vcd_config_parse(FILE *f, const char *file, struct vcd_config *cfg, char *err, size_t size);
void vcd_config_free(struct vcd_config *cfg);

#endif /* VCDROM_CONFIG_H */
