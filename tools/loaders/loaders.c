// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing an image loader, and what every loader shares: opening a file of
 * sectors as the caller, and reporting failures and notes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <linux/fs.h>

#include "helpers.h"
#include "loaders.h"

#define EXTS(...) ((const char *const []){ __VA_ARGS__, NULL })

/*
 * Content first: the surest probe; on a tie, the entry the extension names,
 * else the first. Without a probe's word, the extension names an entry that
 * loads (its loader says what is wrong) or that has no probe; else the file
 * is refused. Entries without a load are formats known and refused.
 */
static const struct vcd_loader loaders[] = {
	{ "ISO image", EXTS("iso"), vcd_probe_iso, vcd_load_iso, NULL },
	{ "CUE sheet", EXTS("cue"), vcd_probe_cue, vcd_load_cue, NULL },
	{ "cdrdao TOC", EXTS("toc"), vcd_probe_toc, vcd_load_toc, NULL },
	{ "CloneCD image", EXTS("ccd"), NULL, NULL, NULL },
	{ "Media Descriptor image", EXTS("mds"), NULL, NULL, NULL },
	{ "Nero image", EXTS("nrg"), vcd_probe_nrg, vcd_load_nrg, NULL },
	{ "raw CD image", EXTS("bin", "img", "raw"), vcd_probe_raw, vcd_load_raw, NULL },

	{ "gzip file", EXTS("gz"), vcd_probe_gzip, NULL,
	  "is compressed with gzip: decompress it first (gzip -dk)" },
	{ "xz file", EXTS("xz"), vcd_probe_xz, NULL,
	  "is compressed with xz: decompress it first (xz -dk)" },
	{ "zstd file", EXTS("zst"), vcd_probe_zstd, NULL,
	  "is compressed with zstd: decompress it first (zstd -d)" },
	{ "bzip2 file", EXTS("bz2"), vcd_probe_bzip2, NULL,
	  "is compressed with bzip2: decompress it first (bzip2 -dk)" },
	{ "zip archive", EXTS("zip"), vcd_probe_zip, NULL,
	  "is a zip archive: extract the image from it first (unzip)" },
	{ "7-Zip archive", EXTS("7z"), vcd_probe_7z, NULL,
	  "is a 7-Zip archive: extract the image from it first (7z x)" },
	{ "CHD image", EXTS("chd"), vcd_probe_chd, NULL,
	  "is a MAME CHD image: extract it first (chdman extractcd -i IMAGE.chd -o IMAGE.cue)" },
	{ "ECM image", EXTS("ecm"), vcd_probe_ecm, NULL,
	  "is an ECM image: decode it first (unecm), then insert its cue sheet" },
	{ "MDS version 2 image", EXTS("mds"), vcd_probe_mds2, NULL,
	  "is a DAEMON Tools MDS version 2 descriptor: not supported "
	  "(convert the image to ISO or CUE/BIN)" },
	{ "MDX image", EXTS("mdx"), vcd_probe_mdx, NULL,
	  "is a DAEMON Tools MDX image: not supported (convert it to ISO or CUE/BIN)" },
	{ "DiscJuggler image", EXTS("cdi"), vcd_probe_cdi, NULL,
	  "is a DiscJuggler CDI image: not supported (convert it to CUE/BIN)" },
};

int vcd_load_fail(struct vcd_load *ld, int err, const char *object, const char *fmt, ...)
{
	va_list ap;

	ld->err = err;
	snprintf(ld->object, sizeof(ld->object), "%s", object);
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(ld->reason, sizeof(ld->reason), fmt, ap);
		va_end(ap);
	} else {
		snprintf(ld->reason, sizeof(ld->reason), "%s", strerror(err));
	}
	return -err;
}

void vcd_load_note(struct vcd_load *ld, const char *object, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	if (!ld->note)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ld->note(object, text, ld->note_arg);
}

static int check_type(const struct stat *st, const char *path, struct vcd_load *ld)
{
	if (S_ISDIR(st->st_mode))
		return vcd_load_fail(ld, EISDIR, path, NULL);
	if (!S_ISREG(st->st_mode) && !S_ISBLK(st->st_mode))
		return vcd_load_fail(ld, EINVAL, path, "not a regular file or block device");
	return 0;
}

int vcd_open_image_file(const char *path, uint64_t *size, struct vcd_load *ld)
{
	struct stat st;
	int fd, ret;

	/* Look first: opening a FIFO blocks, opening a device can do things. */
	if (stat(path, &st))
		return vcd_load_fail(ld, errno, path, NULL);
	ret = check_type(&st, path, ld);
	if (ret)
		return ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return vcd_load_fail(ld, errno, path, NULL);
	/* It may have been replaced since stat(); what counts is what we opened. */
	if (fstat(fd, &st)) {
		ret = vcd_load_fail(ld, errno, path, NULL);
		goto out_close;
	}
	ret = check_type(&st, path, ld);
	if (ret)
		goto out_close;
	if (fcntl(fd, F_SETFL, 0)) {			/* O_NONBLOCK off */
		ret = vcd_load_fail(ld, errno, path, NULL);
		goto out_close;
	}

	if (!S_ISBLK(st.st_mode)) {
		*size = st.st_size;
	} else if (ioctl(fd, BLKGETSIZE64, size)) {
		ret = vcd_load_fail(ld, errno, path, NULL);
		goto out_close;
	}
	if (!*size) {
		ret = vcd_load_fail(ld, EINVAL, path, S_ISBLK(st.st_mode) ?
				    "empty device (no medium?)" : "empty file");
		goto out_close;
	}
	return fd;

out_close:
	close(fd);
	return ret;
}

static bool has_ext(const char *path, const char *const *exts)
{
	const char *base = strrchr(path, '/');
	const char *dot = strrchr(base ? base + 1 : path, '.');

	if (!dot)
		return false;
	for (; *exts; exts++)
		if (!strcasecmp(dot + 1, *exts))
			return true;
	return false;
}

/* The first entry that names @path's extension, or NULL. */
static const struct vcd_loader *named_by(const char *path)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(loaders); i++)
		if (has_ext(path, loaders[i].exts))
			return &loaders[i];
	return NULL;
}

/* The entry the content is surest of (on a tie: @named, else the first), or NULL. */
static const struct vcd_loader *by_content(int fd, uint64_t size,
					   const struct vcd_loader *named)
{
	const struct vcd_loader *best = NULL;
	int sure, best_sure = VCD_PROBE_NO;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(loaders); i++) {
		sure = loaders[i].probe ? loaders[i].probe(fd, size) : VCD_PROBE_NO;
		if (sure > best_sure ||
		    (sure != VCD_PROBE_NO && sure == best_sure && &loaders[i] == named)) {
			best = &loaders[i];
			best_sure = sure;
		}
	}
	return best;
}

static const struct vcd_loader *loader_of(int (*load)(int, const char *, uint64_t,
						      struct vcd_disc *, struct vcd_load *))
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(loaders); i++)
		if (loaders[i].load == load)
			return &loaders[i];
	return NULL;
}

/* --raw, --sector-size: the file is sectors of @ld->sector_size, whatever it holds. */
static int load_sectors(int fd, const char *path, uint64_t size, struct vcd_disc *disc,
			struct vcd_load *ld)
{
	const struct vcd_loader *found = by_content(fd, size, NULL);
	const struct vcd_loader *loader;

	if (ld->sector_size == 2048)
		loader = loader_of(vcd_load_iso);
	else if (ld->sector_size == 2352)
		loader = loader_of(vcd_load_raw);
	else
		loader = NULL;
	if (!loader) {
		close(fd);
		return vcd_load_fail(ld, EINVAL, path, "sectors of %u bytes: only 2048 and 2352 "
				     "are known", ld->sector_size);
	}
	if (loader->load(fd, path, size, disc, ld))
		return -ld->err;
	if (found && found != loader)
		vcd_load_note(ld, path, "its content says %s; loaded as %u-byte sectors, as asked",
			      found->name, ld->sector_size);
	ld->format = found == loader ? loader->name : ld->sector_size == 2048 ?
		     "plain data sectors" : loader->name;
	return 0;
}

int vcd_load_image(const char *path, struct vcd_disc *disc, struct vcd_load *ld)
{
	const struct vcd_loader *loader, *named = named_by(path);
	uint64_t size;
	int fd, ret;

	ld->format = NULL;
	fd = vcd_open_image_file(path, &size, ld);
	if (fd < 0)
		return fd;
	if (ld->sector_size) {
		ret = load_sectors(fd, path, size, disc, ld);
		goto out;
	}
	loader = by_content(fd, size, named);
	/* An entry the content could have told, and did not, is not the extension's to name. */
	if (!loader && named && (named->load || !named->probe))
		loader = named;
	if (!loader) {
		close(fd);
		return vcd_load_fail(ld, EINVAL, path, "unknown format: %s, nor any other "
				     "format's signature (%s)", VCD_ISO_LOOKED_FOR, VCD_RAW_HINT);
	}
	if (!loader->load) {
		close(fd);
		if (loader->refusal)
			return vcd_load_fail(ld, EOPNOTSUPP, path, "%s", loader->refusal);
		return vcd_load_fail(ld, EOPNOTSUPP, path, "unsupported image format (%s)",
				     loader->name);
	}
	ret = loader->load(fd, path, size, disc, ld);
	if (!ret) {
		ld->format = loader->name;
		if (named && loader != named)
			vcd_load_note(ld, path, "loaded as %s, by its content: its extension "
				      "says %s", loader->name, named->name);
	}
out:
	if (ret)
		vcd_disc_free(disc);
	return ret;
}
