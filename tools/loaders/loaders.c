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
 * Content first: the surest probe, on a tie the one whose extension the
 * file has, else the first; then the extension; anything else is plain
 * 2048-byte sectors: the first entry.
 */
static const struct vcd_loader loaders[] = {
	{ "ISO image", EXTS("iso"), vcd_probe_iso, vcd_load_iso },
	{ "CUE sheet", EXTS("cue"), vcd_probe_cue, vcd_load_cue },
	{ "cdrdao TOC", EXTS("toc"), vcd_probe_toc, vcd_load_toc },
	{ "CloneCD image", EXTS("ccd"), NULL, NULL },
	{ "Media Descriptor image", EXTS("mds"), NULL, NULL },
	{ "Nero image", EXTS("nrg"), vcd_probe_nrg, vcd_load_nrg },
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

static const struct vcd_loader *choose_loader(int fd, const char *path, uint64_t size)
{
	const struct vcd_loader *best = NULL;
	int sure, best_sure = VCD_PROBE_NO;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(loaders); i++) {
		sure = loaders[i].probe ? loaders[i].probe(fd, size) : VCD_PROBE_NO;
		if (sure > best_sure || (best && sure == best_sure && !has_ext(path, best->exts) &&
					 has_ext(path, loaders[i].exts))) {
			best = &loaders[i];
			best_sure = sure;
		}
	}
	if (best)
		return best;
	for (i = 0; i < ARRAY_SIZE(loaders); i++)
		if (has_ext(path, loaders[i].exts))
			return &loaders[i];
	return &loaders[0];
}

int vcd_load_image(const char *path, struct vcd_disc *disc, struct vcd_load *ld)
{
	const struct vcd_loader *loader;
	uint64_t size;
	int fd, ret;

	fd = vcd_open_image_file(path, &size, ld);
	if (fd < 0)
		return fd;
	loader = choose_loader(fd, path, size);
	if (!loader->load) {
		close(fd);
		return vcd_load_fail(ld, EOPNOTSUPP, path, "unsupported image format (%s)",
				     loader->name);
	}
	ret = loader->load(fd, path, size, disc, ld);
	if (ret)
		vcd_disc_free(disc);
	return ret;
}
