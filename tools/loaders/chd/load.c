// SPDX-License-Identifier: GPL-2.0
/*
 * The CHD loader: a CHD is extracted once (vcd_chd_extract) into a plain
 * file, through the expansion cache (or a memfd) as compressed files are,
 * keyed by the SHA-1 its header gives of its data and metadata; its disc
 * layout comes from its track metadata (vcd_chd_fill_disc).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "chd.h"
#include "expand/expand.h"
#include "loaders.h"

/* Extraction's progress as expansion's: input read in proportion to output written. */
static int chd_progress(uint64_t done, uint64_t total, void *arg)
{
	struct vcd_xio *io = arg;
	uint64_t in = total ? (uint64_t)((double)done / total * io->in_size) : 0;

	if (in > io->in_pos)
		vcd_xio_advance(io, in - io->in_pos);
	return 0;
}

static int chd_expand(struct vcd_xio *io)
{
	struct vcd_chd *chd;
	struct stat st;
	int ret;

	/* by its path: a parent not given is looked for beside it */
	ret = vcd_chd_open_path(io->path, io->ld->chd_parents, io->ld->nr_chd_parents, io->ld,
				&chd);
	if (ret)
		return ret;
	ret = vcd_chd_extract(chd, io->out_fd, chd_progress, io, io->ld);
	vcd_chd_close(chd);
	if (ret)
		return ret;
	if (fstat(io->out_fd, &st))
		return vcd_load_fail(io->ld, errno, io->path, NULL);
	io->out_pos = st.st_size;
	return 0;
}

/* The header's SHA-1 of data and metadata: what the extracted file and its layout come from. */
static int chd_key(int fd, uint64_t size, const char *path, char *key, struct vcd_load *ld)
{
	uint8_t sha1[20];
	unsigned int i;

	(void)size;
	if (pread(fd, sha1, sizeof(sha1), 84) != (ssize_t)sizeof(sha1))
		return vcd_load_fail(ld, EIO, path, "cannot read its header's SHA-1");
	for (i = 0; i < sizeof(sha1); i++)
		sprintf(key + 2 * i, "%02x", sha1[i]);
	return 0;
}

/* Uncompressed CHDs carry no SHA-1 (zeros): the file's own hash is the key. */
static const struct vcd_expander chd_keyed = { "CHD", NULL, chd_expand, chd_key };
static const struct vcd_expander chd_hashed = { "CHD", NULL, chd_expand, NULL };

int vcd_load_chd(int fd, const char *path, uint64_t size, struct vcd_disc *disc,
		 struct vcd_load *ld)
{
	static const uint8_t zero[20];
	struct vcd_chd_info *info;
	struct vcd_chd *chd;
	int ret, out;

	if (!ld->expand) {
		close(fd);
		return vcd_load_fail(ld, EOPNOTSUPP, path, "is a MAME CHD image: extract it first "
				     "(chdman extractcd -i IMAGE.chd -o IMAGE.cue)");
	}
	/* checked whole (header, map, metadata, a parent) before anything is extracted */
	ret = vcd_chd_open_path(path, ld->chd_parents, ld->nr_chd_parents, ld, &chd);
	if (ret) {
		close(fd);
		return ret;
	}
	if (ld->nr_chd_parents && !vcd_chd_info(chd)->has_parent)
		vcd_load_note(ld, path, "has no parent CHD: --parent is not used");
	info = malloc(sizeof(*info));
	if (info)
		*info = *vcd_chd_info(chd);
	vcd_chd_close(chd);
	if (!info) {
		close(fd);
		return vcd_load_fail(ld, ENOMEM, path, NULL);
	}
	out = vcd_expand_as(ld->expand, memcmp(info->sha1, zero, sizeof(zero)) ?
			    &chd_keyed : &chd_hashed, fd, path, &size, ld);
	if (out < 0) {
		free(info);
		return out;
	}
	ret = vcd_chd_fill_disc(info, out, path, size, disc, ld);
	free(info);
	/* only a CD has these, and a CHD's track metadata has no place for them */
	if (!ret && vcd_disc_medium(disc) == VCDROM_MEDIUM_CD)
		ld->lacks = "a CHD stores no MCN, ISRCs, CD-TEXT, track flags, indexes past 1 "
			    "or sessions";
	return ret;
}
