// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration file: one [drive] section per drive, at most one
 * [cache], "key = value" lines, '#' or ';' comments. Everything is checked
 * before anything is used, so a file with one bad line changes nothing.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "helpers.h"
#include "libvcdrom.h"

#define LINE_MAX_LEN	4096

struct parser {
	const char *file;
	unsigned int line;
	bool in_cache;		/* the lines are [cache]'s, not the last [drive]'s */
	char *err;
	size_t size;
};

static int __printf(2, 3) bad(struct parser *p, const char *fmt, ...)
{
	int n = snprintf(p->err, p->size, "%s:%u: ", p->file, p->line);
	va_list ap;

	if (n < 0 || (size_t)n >= p->size)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->size - n, fmt, ap);
	va_end(ap);
	return -1;
}

static char *trim(char *s)
{
	char *end = s + strlen(s);

	while (*s == ' ' || *s == '\t')
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	return s;
}

/* An identity string: at most @max characters, printable ASCII (INQUIRY data). */
static int set_ident(struct parser *p, char **dst, const char *key, const char *val, size_t max)
{
	const char *s;

	if (*dst)
		return bad(p, "\"%s\" given twice in one [drive]", key);
	if (strlen(val) > max)
		return bad(p, "%s \"%s\" is longer than %zu characters", key, val, max);
	for (s = val; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return bad(p, "%s \"%s\" is not printable ASCII", key, val);
	*dst = strdup(val);
	return *dst ? 0 : bad(p, "%s", strerror(ENOMEM));
}

/* "image = PATH": a relative PATH is taken from the folder of the file. */
static int add_image(struct parser *p, struct vcd_config_drive *d, const char *val)
{
	const char *slash = strrchr(p->file, '/');
	char **dst = &d->images[d->nr_images];
	int ret;

	if (d->nr_images == VCD_CONFIG_MAX_IMAGES)
		return bad(p, "more than %d images in one [drive]", VCD_CONFIG_MAX_IMAGES);
	if (val[0] == '/' || !slash) {
		*dst = strdup(val);
		ret = *dst ? 0 : -1;
	} else {
		ret = asprintf(dst, "%.*s/%s", (int)(slash - p->file), p->file, val);
	}
	if (ret < 0) {
		*dst = NULL;
		return bad(p, "%s", strerror(ENOMEM));
	}
	if (!d->nr_images)
		d->image_line = p->line;
	d->nr_images++;
	return 0;
}

int vcd_parse_size(const char *s, uint64_t *bytes)
{
	static const char units[] = "KMGT";
	unsigned long long n;
	unsigned int shift = 0;
	const char *u;
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (*end) {
		u = strchr(units, toupper((unsigned char)*end));
		if (!u || !*u || (end[1] && (toupper((unsigned char)end[1]) != 'B' || end[2])))
			return -1;
		shift = 10 * (u - units + 1);
	}
	if (n > (~0ULL >> shift))
		return -1;
	*bytes = (uint64_t)n << shift;
	return 0;
}

static int set_yes_no(struct parser *p, int *dst, const char *key, const char *val)
{
	if (!strcasecmp(val, "yes"))
		*dst = 1;
	else if (!strcasecmp(val, "no"))
		*dst = 0;
	else
		return bad(p, "%s \"%s\" is not yes or no", key, val);
	return 0;
}

static int set_cache_option(struct parser *p, struct vcd_config_cache *cc, const char *key,
			    const char *val)
{
	bool twice = !strcmp(key, "dir") ? !!cc->dir :
		     !strcmp(key, "max") ? cc->has_max :
		     !strcmp(key, "enabled") ? cc->enabled >= 0 : false;

	if (twice)
		return bad(p, "\"%s\" given twice in [cache]", key);
	if (!strcmp(key, "dir")) {
		if (val[0] != '/')
			return bad(p, "dir \"%s\" is not an absolute path", val);
		cc->dir = strdup(val);
		if (!cc->dir)
			return bad(p, "%s", strerror(ENOMEM));
	} else if (!strcmp(key, "max")) {
		if (vcd_parse_size(val, &cc->max))
			return bad(p, "max \"%s\" is not a size (bytes, or with K, M, G or T)",
				   val);
		cc->has_max = true;
	} else if (!strcmp(key, "enabled")) {
		if (set_yes_no(p, &cc->enabled, key, val))
			return -1;
	} else {
		return bad(p, "unknown key \"%s\" in [cache] (dir, max, enabled)", key);
	}
	if (cc->dir && !cc->enabled)
		return bad(p, "dir and \"enabled = no\" contradict each other");
	return 0;
}

static int set_option(struct parser *p, struct vcd_config_drive *d, const char *key,
		      const char *val)
{
	if (!strcmp(key, "vendor"))
		return set_ident(p, &d->vendor, key, val, VCDROM_VENDOR_MAX);
	if (!strcmp(key, "product"))
		return set_ident(p, &d->product, key, val, VCDROM_PRODUCT_MAX);
	if (!strcmp(key, "revision"))
		return set_ident(p, &d->revision, key, val, VCDROM_REVISION_MAX);
	if (!strcmp(key, "serial"))
		return set_ident(p, &d->serial, key, val, VCDROM_SERIAL_MAX);
	if (!strcmp(key, "image"))
		return add_image(p, d, val);
	if (!strcmp(key, "medium")) {
		if (d->medium != VCDROM_MEDIUM_AUTO)
			return bad(p, "\"medium\" given twice in one [drive]");
		if (!strcasecmp(val, "cd"))
			d->medium = VCDROM_MEDIUM_CD;
		else if (!strcasecmp(val, "dvd"))
			d->medium = VCDROM_MEDIUM_DVD;
		else if (!strcasecmp(val, "bd"))
			d->medium = VCDROM_MEDIUM_BD;
		else
			return bad(p, "medium \"%s\" is not cd, dvd or bd", val);
		return 0;
	}
	if (!strcmp(key, "sector-size")) {
		if (d->sector_size)
			return bad(p, "\"sector-size\" given twice in one [drive]");
		if (!strcmp(val, "2048"))
			d->sector_size = 2048;
		else if (!strcmp(val, "2352"))
			d->sector_size = 2352;
		else
			return bad(p, "sector-size \"%s\" is not 2048 or 2352", val);
		return 0;
	}
	if (!strcmp(key, "playlist")) {
		int yes = 0;

		if (set_yes_no(p, &yes, key, val))
			return -1;
		d->playlist = yes;
		return 0;
	}
	return bad(p, "unknown key \"%s\" (serial, vendor, product, revision, image, medium, "
		   "sector-size, playlist)", key);
}

static struct vcd_config_drive *new_drive(struct parser *p, struct vcd_config *cfg)
{
	struct vcd_config_drive *drives, *d;

	drives = reallocarray(cfg->drives, cfg->nr_drives + 1, sizeof(*drives));
	if (!drives) {
		bad(p, "%s", strerror(ENOMEM));
		return NULL;
	}
	cfg->drives = drives;
	d = &drives[cfg->nr_drives++];
	memset(d, 0, sizeof(*d));
	d->line = p->line;
	d->medium = VCDROM_MEDIUM_AUTO;
	return d;
}

/* "[name]": a new [drive], or the one [cache]. */
static int new_section(struct parser *p, struct vcd_config *cfg, const char *name)
{
	p->in_cache = !strcmp(name, "cache");
	if (p->in_cache) {
		if (cfg->cache.line)
			return bad(p, "a second [cache] (the first is line %u's)", cfg->cache.line);
		cfg->cache.line = p->line;
		return 0;
	}
	if (strcmp(name, "drive"))
		return bad(p, "unknown section [%s] (there are [drive] and [cache])", name);
	return new_drive(p, cfg) ? 0 : -1;
}

static int parse_line(struct parser *p, struct vcd_config *cfg, char *line)
{
	struct vcd_config_drive *d = cfg->nr_drives ? &cfg->drives[cfg->nr_drives - 1] : NULL;
	char *s = trim(line), *eq, *key, *val;
	const char *c;

	if (!*s || *s == '#' || *s == ';')
		return 0;
	for (c = s; *c; c++)
		if ((unsigned char)*c < 0x20 && *c != '\t')
			return bad(p, "a control character in the line");
	if (*s == '[') {
		if (s[strlen(s) - 1] != ']')
			return bad(p, "\"%s\": a section header ends with ']'", s);
		s[strlen(s) - 1] = '\0';
		return new_section(p, cfg, trim(s + 1));
	}
	eq = strchr(s, '=');
	if (!eq)
		return bad(p, "\"%s\" is not \"key = value\" or \"[drive]\"", s);
	*eq = '\0';
	key = trim(s);
	val = trim(eq + 1);
	if (!*key)
		return bad(p, "no key before '='");
	if (!*val)
		return bad(p, "\"%s\" has no value", key);
	if (p->in_cache)
		return set_cache_option(p, &cfg->cache, key, val);
	if (!d)
		return bad(p, "\"%s\" before the first [drive] or [cache]", key);
	return set_option(p, d, key, val);
}

/* Two sections cannot be one drive: no serial twice. */
static int check_drives(struct parser *p, const struct vcd_config *cfg)
{
	unsigned int i, j;

	for (i = 0; i < cfg->nr_drives; i++) {
		const struct vcd_config_drive *d = &cfg->drives[i];

		if (d->nr_images > 1 && d->sector_size) {
			p->line = d->image_line;
			return bad(p, "several images make a multi-session disc of TOC files: "
				   "sector-size is for one image");
		}
		for (j = 0; j < i && d->serial; j++) {
			if (cfg->drives[j].serial && !strcmp(cfg->drives[j].serial, d->serial)) {
				p->line = d->line;
				return bad(p, "serial \"%s\" is the [drive] of line %u's too",
					   d->serial, cfg->drives[j].line);
			}
		}
	}
	return 0;
}

int vcd_config_parse(FILE *f, const char *file, struct vcd_config *cfg, char *err, size_t size)
{
	struct parser p = { .file = file, .err = err, .size = size };
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->cache.enabled = -1;
	while (!ret && (len = getline(&line, &cap, f)) >= 0) {
		p.line++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		if (len > LINE_MAX_LEN)
			ret = bad(&p, "longer than %d characters", LINE_MAX_LEN);
		else if (strlen(line) != (size_t)len)
			ret = bad(&p, "a NUL byte in the line");
		else
			ret = parse_line(&p, cfg, line);
	}
	if (!ret && ferror(f))
		ret = bad(&p, "%s", strerror(errno));
	if (!ret)
		ret = check_drives(&p, cfg);
	free(line);
	if (ret)
		vcd_config_free(cfg);
	return ret;
}

void vcd_config_free(struct vcd_config *cfg)
{
	unsigned int i, j;

	for (i = 0; i < cfg->nr_drives; i++) {
		struct vcd_config_drive *d = &cfg->drives[i];

		free(d->vendor);
		free(d->product);
		free(d->revision);
		free(d->serial);
		for (j = 0; j < d->nr_images; j++)
			free(d->images[j]);
	}
	free(cfg->drives);
	free(cfg->cache.dir);
	memset(cfg, 0, sizeof(*cfg));
	cfg->cache.enabled = -1;
}

void vcd_config_cache_fill(const struct vcd_config_cache *cc, const char **dir, bool *no_cache,
			   uint64_t *max, bool *unlimited)
{
	if (!*dir && !*no_cache) {
		*dir = cc->dir;
		*no_cache = !cc->enabled;
	}
	if (!*max && !*unlimited && cc->has_max) {
		*max = cc->max;
		*unlimited = !cc->max;
	}
}

/* Whether @line is a section header; if so, @cache says whether [cache]'s. */
static bool section_header(const char *line, bool *cache)
{
	const char *name, *end;

	line += strspn(line, " \t");
	if (*line != '[')
		return false;
	end = line + strcspn(line, "\r\n");
	while (end > line + 1 && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*cache = end > line + 1 && end[-1] == ']';
	if (*cache) {
		name = line + 1 + strspn(line + 1, " \t");
		for (end--; end > name && (end[-1] == ' ' || end[-1] == '\t'); end--)
			;
		*cache = end - name == 5 && !strncmp(name, "cache", 5);
	}
	return true;
}

int vcd_config_copy_cache(FILE *in, FILE *out)
{
	char *line = NULL, *held = NULL;
	size_t cap = 0, held_len = 0;
	bool in_cache = false;
	FILE *pending;		/* blank and comment lines, kept if a key line follows */
	const char *s;
	ssize_t len;
	int ret = 0;

	pending = open_memstream(&held, &held_len);
	if (!pending)
		return -1;
	while ((len = getline(&line, &cap, in)) >= 0) {
		bool nl = len && line[len - 1] == '\n';

		if (section_header(line, &in_cache)) {
			rewind(pending);
			if (in_cache)
				fprintf(out, "\n%s%s", line, nl ? "" : "\n");
			continue;
		}
		if (!in_cache)
			continue;
		for (s = line; *s == ' ' || *s == '\t'; s++)
			;
		fprintf(pending, "%s%s", line, nl ? "" : "\n");
		if (*s && *s != '#' && *s != ';' && *s != '\n' && *s != '\r') {
			if (fflush(pending)) {
				ret = -1;
				break;
			}
			fwrite(held, 1, ftell(pending), out);
			rewind(pending);
		}
	}
	if (fclose(pending) || ferror(in))
		ret = -1;
	free(held);
	free(line);
	return ret;
}
