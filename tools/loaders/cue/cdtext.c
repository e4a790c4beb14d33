// SPDX-License-Identifier: GPL-2.0
/*
 * The CUE loader's CD-TEXT: packs built from the sheet's TITLE, PERFORMER...
 * (by common/cdtext.c), or a CDTEXTFILE's packs passed through once their
 * CRCs are checked.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cue.h"

int cue_build_cdtext(struct cue_sheet *cs, struct vcd_disc *disc)
{
	struct vcd_cdtext_track tracks[VCDROM_MAX_TRACKS];
	unsigned int i;
	int ret;

	for (i = 0; i < cs->nr_tracks; i++) {
		tracks[i].number = cs->tracks[i].number;
		tracks[i].text = cs->tracks[i].text;
	}
	ret = vcd_cdtext_build(cs->text, tracks, cs->nr_tracks, 0x09, &disc->cdtext,
			       &disc->cdtext_len);
	if (ret == -ENOMEM)
		return cue_nomem(cs);
	if (ret)
		return cue_fail_at(cs, 0, "CD-TEXT is too long: more than 256 packs in a block");
	return 0;
}

/* A CDTEXTFILE: 18-byte packs, maybe after READ TOC's 4-byte header, maybe a NUL after. */
int cue_load_cdtextfile(struct cue_sheet *cs, struct vcd_disc *disc)
{
	unsigned int line = cs->cdtextfile_line, i, n;
	const char *name = cs->cdtextfile, *bad;
	char path[PATH_MAX];
	uint8_t *buf, *packs;
	uint64_t size;
	ssize_t got;
	int fd;

	if (!cue_find_file(cs, name, path, sizeof(path)))
		return cue_fail_err(cs, ENOENT, line, "\"%s\": %s", name, strerror(ENOENT));
	fd = vcd_open_image_file(path, &size, cs->ld);
	if (fd < 0)
		return cue_fail_err(cs, cs->ld->err, line, "\"%s\": %s", name, cs->ld->reason);
	if (size > 4 + VCDROM_CDTEXT_MAX_PACKS * VCDROM_CDTEXT_PACK + 1) {
		close(fd);
		return cue_fail_at(cs, line, "\"%s\": more than %d CD-TEXT packs", name,
				   VCDROM_CDTEXT_MAX_PACKS);
	}
	buf = malloc(size);
	if (!buf) {
		close(fd);
		return cue_nomem(cs);
	}
	got = pread(fd, buf, size, 0);
	close(fd);
	if (got != (ssize_t)size) {
		free(buf);
		return cue_fail_at(cs, line, "\"%s\": %s", name,
				   got < 0 ? strerror(errno) : "short read");
	}
	packs = buf;
	if ((size % VCDROM_CDTEXT_PACK == 1 || size % VCDROM_CDTEXT_PACK == 5) && !buf[size - 1])
		size--;
	if (size % VCDROM_CDTEXT_PACK == 4) {
		packs += 4;
		size -= 4;
	}
	n = size / VCDROM_CDTEXT_PACK;
	if (size % VCDROM_CDTEXT_PACK || !n) {
		free(buf);
		return cue_fail_at(cs, line, "\"%s\" is not a file of 18-byte CD-TEXT packs", name);
	}
	bad = vcd_cdtext_bad_pack(packs, n, &i);
	if (bad) {
		free(buf);
		return cue_fail_at(cs, line, "\"%s\": CD-TEXT pack %u has a bad %s", name, i, bad);
	}
	disc->cdtext = malloc(size);
	if (!disc->cdtext) {
		free(buf);
		return cue_nomem(cs);
	}
	memcpy(disc->cdtext, packs, size);
	disc->cdtext_len = size;
	free(buf);
	return 0;
}
