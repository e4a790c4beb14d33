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

#include "common/common.h"
#include "expand/expand.h"
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
	{ "CloneCD image", EXTS("ccd"), vcd_probe_ccd, vcd_load_ccd, NULL },
	{ "Nero image", EXTS("nrg"), vcd_probe_nrg, vcd_load_nrg, NULL },
	{ "Media Descriptor image", EXTS("mds"), vcd_probe_mds, vcd_load_mds, NULL },
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
	{ "CHD image", EXTS("chd"), vcd_probe_chd, vcd_load_chd, NULL },
	{ "M3U playlist", EXTS("m3u", "m3u8"), vcd_probe_m3u, NULL,
	  "is a playlist of discs: insert it into a drive (vcdromctl insert), or name one of "
	  "its discs" },
	{ "ECM image", EXTS("ecm"), vcd_probe_ecm, NULL,
	  "is an ECM image: decode it first (unecm), then insert its cue sheet" },
	{ "MDS version 2 image", EXTS("mds"), vcd_probe_mds2, NULL,
	  "is a DAEMON Tools MDS 2.x descriptor: not supported, only Alcohol 120%'s MDS 1.x "
	  "(convert the image to ISO, CUE/BIN or MDS 1.x)" },
	{ "MDX image", EXTS("mdx"), vcd_probe_mdx, NULL,
	  "is a DAEMON Tools MDX image (MDS 2.x, its data inside): not supported "
	  "(convert it to ISO or CUE/BIN)" },
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

/* "@path:@line", or @path alone when @line is 0: the object of a refusal or note about a line. */
static void line_object(char *object, size_t size, const char *path, unsigned int line)
{
	if (line)
		snprintf(object, size, "%s:%u", path, line);
	else
		snprintf(object, size, "%s", path);
}

int vcd_load_fail_at(struct vcd_load *ld, int err, const char *path, unsigned int line,
		     const char *fmt, ...)
{
	char object[sizeof(ld->object)], reason[sizeof(ld->reason)];
	va_list ap;

	/* built aside: an argument may be ld->reason itself */
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	line_object(object, sizeof(object), path, line);
	return vcd_load_fail(ld, err, object, "%s", reason);
}

void vcd_load_note_at(struct vcd_load *ld, const char *path, unsigned int line,
		      const char *fmt, ...)
{
	char object[sizeof(ld->object)], text[512];
	va_list ap;

	if (!ld->note)
		return;
	line_object(object, sizeof(object), path, line);
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
	if (ld->expand)
		return vcd_expand_fd(ld->expand, fd, path, size, ld);
	return fd;

out_close:
	close(fd);
	return ret;
}

/* The extension of the file named @base ("x.bin.ecm": "ecm"), @len bytes of it, or NULL. */
static const char *ext_of(const char *base, size_t len)
{
	const char *dot = memrchr(base, '.', len);

	return dot ? dot + 1 : NULL;
}

/* Whether @ext (@len bytes) is one of @exts. */
static bool is_one_of(const char *ext, size_t len, const char *const *exts)
{
	for (; *exts; exts++)
		if (strlen(*exts) == len && !strncasecmp(ext, *exts, len))
			return true;
	return false;
}

/*
 * @path's extension is one of @exts; a compressed file's is its content's
 * when it names one ("x.iso.gz": "iso"; "x.gz": "gz").
 */
static bool has_ext(const char *path, const char *const *exts)
{
	const char *base = strrchr(path, '/'), *ext, *inner;
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	ext = ext_of(base, len);
	if (ext && is_one_of(ext, base + len - ext, vcd_expand_exts)) {
		inner = ext_of(base, ext - 1 - base);
		if (inner) {
			len = ext - 1 - base;
			ext = inner;
		}
	}
	return ext && is_one_of(ext, base + len - ext, exts);
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

bool vcd_names_image(const char *path)
{
	const struct vcd_loader *named = named_by(path);

	return named && named->probe != vcd_probe_m3u;
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

/*
 * The loader @path's content (or extension) names: 0 with *@loaderp set, or
 * a failure, @fd closed.
 */
static int choose(int fd, const char *path, uint64_t size, const struct vcd_loader **loaderp,
		  struct vcd_load *ld)
{
	const struct vcd_loader *loader, *named = named_by(path);

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
	*loaderp = loader;
	return 0;
}

/* After @loader loaded @path: its format, and a note when its extension said another. */
static void loaded_as(const char *path, const struct vcd_loader *loader, struct vcd_load *ld)
{
	const struct vcd_loader *named = named_by(path);

	ld->format = loader->name;
	/* "x.gz" expanded: the extension said what it was */
	if (named && ld->expand && is_one_of(named->exts[0], strlen(named->exts[0]),
					     vcd_expand_exts))
		return;
	if (named && loader != named)
		vcd_load_note(ld, path, "loaded as %s, by its content: its extension says %s",
			      loader->name, named->name);
}

int vcd_load_image(const char *path, struct vcd_disc *disc, struct vcd_load *ld)
{
	const struct vcd_loader *loader;
	uint64_t size;
	int fd, ret;

	ld->format = NULL;
	ld->lacks = NULL;
	fd = vcd_open_image_file(path, &size, ld);
	if (fd < 0)
		return fd;
	if (ld->sector_size) {
		ret = load_sectors(fd, path, size, disc, ld);
		goto out;
	}
	ret = choose(fd, path, size, &loader, ld);
	if (ret)
		return ret;
	ret = loader->load(fd, path, size, disc, ld);
	if (!ret && vcd_disc_has_subchannel(disc))
		vcd_disc_codes_from_sub(disc);
	if (!ret)
		loaded_as(path, loader, ld);
out:
	if (ret)
		vcd_disc_free(disc);
	return ret;
}

/* ---- several images, one session each ---- */

/* A data track on a disc of several sessions is CD-ROM XA, as cdrdao --multi wants. */
static int check_xa(const char *path, const struct vcd_session *s, struct vcd_load *ld)
{
	unsigned int i;

	for (i = 0; i < s->nr_tracks; i++)
		if (s->tracks[i].mode != VCDROM_TRACK_AUDIO &&
		    s->tracks[i].mode != VCDROM_TRACK_MODE2_XA)
			return vcd_load_fail(ld, EINVAL, path, "track %u is data but not CD-ROM "
					     "XA (MODE2_FORM1, MODE2_FORM2, MODE2_FORM_MIX, or MODE2 "
					     "in a CD_ROM_XA TOC): a disc of several sessions needs "
					     "it, as cdrdao --multi does",
					     s->tracks[i].number);
	return 0;
}

static uint32_t session_end(const struct vcd_session *s)
{
	const struct vcd_track *t = &s->tracks[s->nr_tracks - 1];
	const struct vcd_extent *e = &t->extents[t->nr_extents - 1];

	return e->start + e->length;
}

/*
 * Move @img's one session to the end of @disc, after the previous session's
 * lead-out, a lead-in and the 150-sector pre-gap its first track starts
 * with, tracks numbered on; @img keeps nothing @disc owns.
 */
static int append_session(struct vcd_disc *disc, struct vcd_disc *img, const char *path,
			  const char *first, struct vcd_load *ld)
{
	struct vcd_session *s = &img->sessions[0], *to;
	unsigned int i, j, nr_files = disc->nr_files, tracks = 0;
	uint32_t base = 0;
	struct vcd_extent *e;
	struct vcd_track *t;
	uint64_t end;
	int ret;

	for (i = 0; i < disc->nr_sessions; i++)
		tracks += disc->sessions[i].nr_tracks;
	if (tracks + s->nr_tracks > VCDROM_MAX_TRACKS)
		return vcd_load_fail(ld, E2BIG, path, "more than %d tracks on the disc with "
				     "those before it", VCDROM_MAX_TRACKS);
	if (disc->nr_sessions)
		base = session_end(&disc->sessions[disc->nr_sessions - 1]) + VCD_LEADIN +
		       (disc->nr_sessions == 1 ? VCD_LEADOUT_FIRST : VCD_LEADOUT_NEXT) +
		       VCD_PREGAP;
	end = (uint64_t)base + session_end(s);
	if (end > VCDROM_CD_MAX_LEADOUT)
		return vcd_load_fail(ld, EFBIG, path, "its session ends past 99:59:74, the end "
				     "of a CD, after those before it");

	if (img->mcn[0] && disc->mcn[0] && strcmp(img->mcn, disc->mcn))
		return vcd_load_fail(ld, EINVAL, path, "its catalog number %s is not %s's (%s): "
				     "a disc has one", img->mcn, first, disc->mcn);
	if (img->mcn[0])
		memcpy(disc->mcn, img->mcn, sizeof(disc->mcn));
	if (img->cdtext && disc->nr_sessions)
		vcd_load_note(ld, path, "its CD-TEXT is left out: a disc's CD-TEXT is in its "
			      "first session's lead-in");
	else if (img->cdtext) {
		disc->cdtext = img->cdtext;
		disc->cdtext_len = img->cdtext_len;
		img->cdtext = NULL;
		img->cdtext_len = 0;
	}

	for (i = 0; i < s->nr_tracks; i++) {
		t = &s->tracks[i];
		t->number += tracks;
		t->start += base;
		for (j = 0; j < t->nr_indexes; j++)
			t->indexes[j] += base;
		for (j = 0; j < t->nr_extents; j++) {
			t->extents[j].start += base;
			t->extents[j].file += nr_files;
		}
	}
	if (base) {
		/* The first track's pre-gap, before the sectors the TOC gives from its 0. */
		t = &s->tracks[0];
		if (!vcd_track_add_extent(t))
			return vcd_load_fail(ld, ENOMEM, path, NULL);
		memmove(t->extents + 1, t->extents, (t->nr_extents - 1) * sizeof(*t->extents));
		e = &t->extents[0];
		memset(e, 0, sizeof(*e));
		e->start = base - VCD_PREGAP;
		e->length = VCD_PREGAP;
		e->format = VCDROM_SECTOR_ZERO;
	}

	to = vcd_disc_add_session(disc);
	if (!to)
		return vcd_load_fail(ld, ENOMEM, path, NULL);
	*to = *s;
	s->tracks = NULL;
	s->nr_tracks = 0;
	for (i = 0; i < img->nr_files; i++) {
		/* The disc owns the fd from here, even when it fails. */
		ret = vcd_disc_add_file(disc, img->files[i].fd, img->files[i].path,
					img->files[i].size);
		img->files[i].fd = -1;
		if (ret < 0)
			return vcd_load_fail(ld, -ret, path, NULL);
	}
	return 0;
}

int vcd_load_images(const char *const *paths, unsigned int n, struct vcd_disc *disc,
		    struct vcd_load *ld)
{
	const struct vcd_loader *loader;
	struct vcd_disc img;
	unsigned int i;
	uint64_t size;
	int fd, ret = 0;

	if (n == 1)
		return vcd_load_image(paths[0], disc, ld);
	ld->format = NULL;
	ld->lacks = NULL;
	if (!n)
		return vcd_load_fail(ld, EINVAL, "", "no image");
	if (ld->sector_size)
		return vcd_load_fail(ld, EINVAL, paths[1], "--raw and --sector-size take a "
				     "single image");
	if (n > VCDROM_MAX_SESSIONS)
		return vcd_load_fail(ld, E2BIG, paths[VCDROM_MAX_SESSIONS], "more than %d "
				     "images: a disc holds at most %d sessions",
				     VCDROM_MAX_SESSIONS, VCDROM_MAX_SESSIONS);
	vcd_disc_init(&img);
	for (i = 0; !ret && i < n; i++) {
		fd = vcd_open_image_file(paths[i], &size, ld);
		if (fd < 0) {
			ret = fd;
			break;
		}
		ret = choose(fd, paths[i], size, &loader, ld);
		if (ret)
			break;
		if (loader->load != vcd_load_toc) {
			close(fd);
			ret = vcd_load_fail(ld, EINVAL, paths[i], "%s, not a cdrdao TOC: a disc "
					    "of several images takes TOC files only, one session "
					    "each", loader->name);
			break;
		}
		ret = loader->load(fd, paths[i], size, &img, ld);
		if (!ret && img.nr_sessions != 1)
			ret = vcd_load_fail(ld, EINVAL, paths[i], "%u sessions, not one",
					    img.nr_sessions);
		if (!ret)
			ret = check_xa(paths[i], &img.sessions[0], ld);
		if (!ret)
			ret = append_session(disc, &img, paths[i], paths[0], ld);
		if (!ret)
			loaded_as(paths[i], loader, ld);
		vcd_disc_free(&img);
	}
	if (ret)
		vcd_disc_free(disc);
	else
		disc->medium = VCDROM_MEDIUM_CD;
	return ret;
}
