// SPDX-License-Identifier: GPL-2.0
/*
 * vcdromctl apply and save: make the drives what a configuration file
 * (config.c reads it) says, and write one from what they are.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cli.h"
#include "config.h"

/* An INQUIRY string as given, against the drive's (which may be padded with spaces). */
static bool same_ident(const char *want, const char *have)
{
	size_t n = strlen(have);

	while (n && have[n - 1] == ' ')
		n--;
	return !want || (strlen(want) == n && !strncmp(want, have, n));
}

/* A [drive] without a serial takes a drive whose identity has what it gives. */
static bool ident_matches(const struct vcd_config_drive *s, const struct vcd_drive_info *d)
{
	return same_ident(s->vendor, d->vendor) && same_ident(s->product, d->product) &&
	       same_ident(s->revision, d->revision) && same_ident(s->serial, d->serial);
}

/* The drive holds @disc already: the same files (by inode), in order, and the same medium. */
static bool holds_disc(const struct vcd_drive_info *d, const struct vcd_disc *disc)
{
	uint32_t medium = vcd_disc_medium(disc);
	struct stat a, b;
	unsigned int i;

	if (d->state != VCDROM_STATE_LOADED || d->nr_files != disc->nr_files)
		return false;
	if ((medium == VCDROM_MEDIUM_CD) != (d->profile == 0x08) ||
	    (medium == VCDROM_MEDIUM_DVD) != (d->profile == 0x10))
		return false;
	for (i = 0; i < disc->nr_files; i++) {
		if (fstat(disc->files[i].fd, &a) || stat(d->files[i].path, &b) ||
		    a.st_dev != b.st_dev || a.st_ino != b.st_ino)
			return false;
	}
	return true;
}

/* The drive holds what @set is: its disc, or the same playlist with one of its discs in. */
static bool holds_set(const struct vcd_drive_info *d, const struct disc_set *set)
{
	if (!set->playlist)
		return !d->nr_playlist && holds_disc(d, &set->discs[0]);
	return d->nr_playlist == set->nr && d->playlist_pos < set->nr &&
	       holds_disc(d, &set->discs[d->playlist_pos]);
}

/*
 * apply: put the disc section @s names into drive @d, unless it is there,
 * expanding into the cache @opt says; 0 or 1 (said).
 */
static int apply_disc(struct vcd_client *c, const char *file, const struct vcd_config_drive *s,
		      const struct vcd_drive_info *d, const struct args *opt)
{
	struct args a = { .argv = (char **)s->images, .argc = s->nr_images, .medium = s->medium,
			  .sector_size = s->sector_size, .playlist = s->playlist, .replace = true,
			  .cache_dir = opt->cache_dir, .no_cache = opt->no_cache,
			  .cache_max = opt->cache_max, .cache_unlimited = opt->cache_unlimited };
	struct vcd_drive_info info;
	struct disc_set set;
	char where[PATH_MAX + 16];
	int ret = 1;

	snprintf(where, sizeof(where), "%s:%u", file, s->image_line);
	if (disc_set_load(&a, &set)) {
		say(where, "drive %u left %s", d->index,
		    d->state == VCDROM_STATE_LOADED ? "with the disc it has" : "empty");
		return 1;
	}
	if (holds_set(d, &set)) {
		printf("drive %u: %s: already in\n", d->index, s->images[0]);
		ret = 0;
		goto out;
	}
	if (d->state == VCDROM_STATE_LOADED && d->locked) {
		fail_as(EXIT_BUSY);
		say(where, "drive %u is locked by its user: %s not inserted, its disc left in",
		    d->index, s->images[0]);
		goto out;
	}
	if (disc_set_check(c, &a, &set))
		goto out;
	ret = disc_set_insert(c, d->index, &a, &set, &info);
	if (ret) {
		if (ret == -EINVAL)
			fail_as(EXIT_IMAGE);
		failed(c, s->images[0], ret);
		ret = 1;
		goto out;
	}
	printf("drive %u: %s: inserted%s\n", d->index, s->images[0],
	       d->state == VCDROM_STATE_LOADED ? " (replacing the disc in it)" : "");
	vcd_drive_info_free(&info);
out:
	disc_set_free(&set);
	return ret;
}

/*
 * Make the drives what the file says: add the [drive]s that no drive is,
 * insert their images where they are not in. Drives the file does not name,
 * and what is right already, are left alone. The cache is the options', else
 * the file's [cache].
 */
int cmd_apply(const struct args *a)
{
	const char *file = a->argc ? a->argv[0] : VCD_CONFIG_FILE;
	struct vcd_drive_info *drives = NULL, info;
	struct args opt = *a;
	struct vcd_config cfg;
	struct vcd_client *c;
	unsigned int i, *match;
	size_t j, n = 0;
	char err[512];
	bool *claimed;
	int ret, bad = 0;
	FILE *f;

	f = strcmp(file, "-") ? fopen(file, "re") : stdin;
	if (!f) {
		say(file, "%s", strerror(errno));
		return EXIT_FAILURE;
	}
	ret = vcd_config_parse(f, file, &cfg, err, sizeof(err));
	if (f != stdin)
		fclose(f);
	if (ret) {
		say(NULL, "%s", err);
		return EXIT_FAILURE;
	}
	vcd_config_cache_fill(&cfg.cache, &opt.cache_dir, &opt.no_cache, &opt.cache_max,
			      &opt.cache_unlimited);
	c = connect_kernel();
	if (!c) {
		vcd_config_free(&cfg);
		return EXIT_FAILURE;
	}
	ret = vcd_drive_list(c, &drives, &n);
	if (ret) {
		ret = failed(c, NULL, ret);
		goto out;
	}
	match = calloc(cfg.nr_drives + 1, sizeof(*match));
	claimed = calloc(n + 1, sizeof(*claimed));
	if (!match || !claimed) {
		say(NULL, "%s", strerror(ENOMEM));
		ret = EXIT_FAILURE;
		goto out_free;
	}
	/* a serial names its drive; then the others take the first drive that fits */
	for (i = 0; i < cfg.nr_drives; i++) {
		match[i] = UINT_MAX;
		for (j = 0; cfg.drives[i].serial && j < n; j++) {
			if (!claimed[j] && same_ident(cfg.drives[i].serial, drives[j].serial)) {
				claimed[j] = true;
				match[i] = j;
				break;
			}
		}
	}
	for (i = 0; i < cfg.nr_drives; i++) {
		for (j = 0; !cfg.drives[i].serial && j < n; j++) {
			if (!claimed[j] && ident_matches(&cfg.drives[i], &drives[j])) {
				claimed[j] = true;
				match[i] = j;
				break;
			}
		}
	}
	for (i = 0; i < cfg.nr_drives; i++) {
		const struct vcd_config_drive *s = &cfg.drives[i];
		struct vcd_identity id = { s->vendor, s->product, s->revision, s->serial };
		char where[PATH_MAX + 16];

		snprintf(where, sizeof(where), "%s:%u", file, s->line);
		if (match[i] != UINT_MAX) {
			const struct vcd_drive_info *d = &drives[match[i]];

			if (!ident_matches(s, d))
				say(where, "drive %u has serial \"%s\" but not the vendor, product or "
				    "revision given (set when a drive is added): its identity left as it is",
				    d->index, s->serial);
			else if (!s->nr_images)
				printf("drive %u: as it is\n", d->index);
			if (s->nr_images)
				bad |= apply_disc(c, file, s, d, &opt);
			continue;
		}
		ret = vcd_drive_add(c, &id, &info);
		if (ret) {
			bad |= failed(c, where, ret);
			continue;
		}
		printf("drive %u: added\n", info.index);
		if (s->nr_images)
			bad |= apply_disc(c, file, s, &info, &opt);
		vcd_drive_info_free(&info);
	}
	ret = bad ? EXIT_FAILURE : 0;
out_free:
	free(match);
	free(claimed);
	vcd_drive_list_free(drives, n);
out:
	vcd_close(c);
	vcd_config_free(&cfg);
	return ret;
}

static void quiet(const char *object, const char *text, void *arg)
{
	(void)object;
	(void)text;
	(void)arg;
}

/*
 * The files @d's disc was inserted from (the kernel keeps what the tool
 * said), when loading them now gives the disc the drive holds: the same
 * data files. So a source that names other files than those held, or files
 * changed since, is not written (apply would insert something else).
 */
static bool save_source(FILE *f, const struct vcd_drive_info *d)
{
	struct vcd_load ld = { .note = quiet };
	char *copy, *line, *next;
	char *paths[VCDROM_MAX_FILES];
	struct args a = { .argv = paths, .medium = VCDROM_MEDIUM_AUTO };
	struct vcd_disc disc;
	bool same;
	int i;

	if (!d->source || !d->source[0])
		return false;
	copy = strdup(d->source);
	if (!copy)
		return false;
	for (line = copy; line && a.argc < VCDROM_MAX_FILES; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		paths[a.argc++] = line;
	}
	vcd_disc_init(&disc);
	same = !vcd_load_images((const char *const *)a.argv, a.argc, &disc, &ld) &&
	       holds_disc(d, &disc);
	if (same)
		for (i = 0; i < a.argc; i++)
			fprintf(f, "image = %s\n", paths[i]);
	vcd_disc_free(&disc);
	free(copy);
	return same;
}

/*
 * Whether @d's disc was expanded from one compressed file (gzip, xz, zstd,
 * bzip2, ECM or CHD): the kernel holds the expansion (a cache entry or a
 * memfd) and keeps that file as the disc's source. The file is what apply
 * must get, as the user gave it: apply expands it again, or finds its
 * cache entry (keyed by content), where the entry may be evicted by then.
 */
static bool expanded_from_source(const struct vcd_drive_info *d)
{
	int (*const packed[])(int fd, uint64_t size) = {
		vcd_probe_gzip, vcd_probe_xz, vcd_probe_zstd, vcd_probe_bzip2, vcd_probe_ecm,
		vcd_probe_chd,
	};
	bool found = false;
	struct stat st;
	size_t i;
	int fd;

	if (d->nr_files != 1 || !d->source || !d->source[0] || strchr(d->source, '\n') ||
	    !strcmp(d->source, d->files[0].path))
		return false;
	fd = open(d->source, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode))
		for (i = 0; i < ARRAY_SIZE(packed) && !found; i++)
			found = packed[i](fd, st.st_size) != VCD_PROBE_NO;
	close(fd);
	return found;
}

/*
 * @d's playlist, a disc an image line (its first disc goes in on apply); a
 * disc not known by one file (several sessions, or no source) as a comment.
 */
static void save_playlist(FILE *f, const struct vcd_drive_info *d)
{
	unsigned int i;
	bool whole = true;

	for (i = 0; i < d->nr_playlist; i++)
		whole &= d->playlist[i].source && !strchr(d->playlist[i].source, '\n');
	if (!whole) {
		fprintf(f, "# its playlist of %u discs cannot be written as image lines: a disc is\n"
			"# not one file\n", d->nr_playlist);
		for (i = 0; i < d->nr_playlist; i++) {
			const char *s = d->playlist[i].source ? d->playlist[i].source : "?";

			fputs("#  ", f);
			for (; *s; s++) {
				if (*s == '\n')
					fputs(" +", f);
				else
					fputc(*s, f);
			}
			fputc('\n', f);
		}
		return;
	}
	for (i = 0; i < d->nr_playlist; i++)
		fprintf(f, "image = %s\n", d->playlist[i].source);
	fprintf(f, "playlist = yes\n");
}

/* The disc in @d as config lines: the files it came from, or the one file the kernel holds. */
static void save_disc(FILE *f, const struct vcd_drive_info *d)
{
	const char *medium = d->profile == 0x10 ? "dvd" : d->profile == 0x40 ? "bd" : "cd";
	bool whole = !strcmp(d->format, "ISO image") || !strcmp(d->format, "Nero image");
	bool raw2048 = !strcmp(d->format, "plain data sectors");
	bool raw2352 = !strcmp(d->format, "raw CD image");
	unsigned int i;

	if (d->nr_playlist) {
		save_playlist(f, d);
		return;
	}
	if (d->state != VCDROM_STATE_LOADED)
		return;
	if (expanded_from_source(d)) {
		fprintf(f, "image = %s\nmedium = %s\n", d->source, medium);
		if (raw2048 || raw2352)
			fprintf(f, "sector-size = %s\n", raw2048 ? "2048" : "2352");
		return;
	}
	if (d->nr_files == 1 && (whole || raw2048 || raw2352)) {
		fprintf(f, "image = %s\nmedium = %s\n", d->files[0].path, medium);
		if (raw2048 || raw2352)
			fprintf(f, "sector-size = %s\n", raw2048 ? "2048" : "2352");
		return;
	}
	/* a sheet (CUE, TOC, CCD, MDS): the kernel holds its data files, not the sheet */
	if (save_source(f, d)) {
		fprintf(f, "medium = %s\n", medium);
		return;
	}
	fprintf(f, "# its disc, a%s %s, is from these files; the file that named them is not\n"
		"# known (or now names others): give it as \"image =\"\n",
		strchr("aeiouAEIOU", d->format[0]) && d->format[0] ? "n" : "",
		d->format[0] ? d->format : "image of unknown format");
	for (i = 0; i < d->nr_files; i++)
		fprintf(f, "#   %s\n", d->files[i].path);
}

/* "key = value" for an identity string the drive has, without the padding. */
static void save_ident(FILE *f, const char *key, const char *val)
{
	int n = strlen(val);

	while (n && val[n - 1] == ' ')
		n--;
	if (n)
		fprintf(f, "%s = %.*s\n", key, n, val);
}

/*
 * Write what the drives are and hold, as apply reads it, after the [cache]
 * of the file it replaces: that is no drive's, so it is kept as it was.
 */
int cmd_save(const struct args *a)
{
	const char *file = a->argc ? a->argv[0] : VCD_CONFIG_FILE;
	struct vcd_drive_info *drives;
	struct vcd_client *c;
	FILE *f, *old = NULL;
	char *tmp = NULL;
	size_t i, n;
	int ret, fd;

	if (strcmp(file, "-")) {
		old = fopen(file, "re");
		if (!old && errno != ENOENT) {
			say(file, "cannot read its [cache] to keep it: %s", strerror(errno));
			return EXIT_FAILURE;
		}
	}
	c = connect_kernel();
	if (!c) {
		ret = EXIT_FAILURE;
		goto out;
	}
	ret = vcd_drive_list(c, &drives, &n);
	vcd_close(c);
	if (ret) {
		ret = failed(NULL, NULL, ret);
		goto out;
	}
	if (!strcmp(file, "-")) {
		f = stdout;
	} else {
		/* beside the file, renamed over it once complete */
		if (asprintf(&tmp, "%s.XXXXXX", file) < 0) {
			tmp = NULL;
			ret = -ENOMEM;
		} else {
			fd = mkostemp(tmp, O_CLOEXEC);
			ret = fd < 0 ? -errno : 0;
		}
		f = ret ? NULL : fdopen(fd, "w");
		if (!f) {
			say(file, "cannot write it: %s", strerror(ret ? -ret : errno));
			if (!ret) {
				close(fd);
				unlink(tmp);
			}
			free(tmp);
			vcd_drive_list_free(drives, n);
			ret = EXIT_FAILURE;
			goto out;
		}
		fchmod(fd, 0644);
	}
	fprintf(f, "# vcdrom drives, for 'vcdromctl apply' (vcdromctl(8), CONFIGURATION)\n");
	if (old && vcd_config_copy_cache(old, f)) {
		say(file, "cannot read its [cache] to keep it: %s", strerror(errno));
		fclose(f);
		unlink(tmp);
		free(tmp);
		vcd_drive_list_free(drives, n);
		ret = EXIT_FAILURE;
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct vcd_drive_info *d = &drives[i];

		fprintf(f, "\n[drive]\n");
		save_ident(f, "serial", d->serial);
		save_ident(f, "vendor", d->vendor);
		save_ident(f, "product", d->product);
		save_ident(f, "revision", d->revision);
		save_disc(f, d);
	}
	ret = 0;
	if (f != stdout) {
		if (fflush(f) || fsync(fileno(f)) || fclose(f) || rename(tmp, file)) {
			say(file, "cannot write it: %s", strerror(errno));
			unlink(tmp);
			ret = EXIT_FAILURE;
		}
		free(tmp);
	}
	vcd_drive_list_free(drives, n);
out:
	if (old)
		fclose(old);
	return ret;
}
