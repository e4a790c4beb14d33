// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration file: one [drive] section per drive, "key = value"
 * lines, '#' or ';' comments. Everything is checked before anything is
 * used, so a file with one bad line changes nothing.
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
		if (!strcasecmp(val, "yes"))
			d->playlist = true;
		else if (strcasecmp(val, "no"))
			return bad(p, "playlist \"%s\" is not yes or no", val);
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
		if (strcmp(trim(s + 1), "drive"))
			return bad(p, "unknown section [%s] (there is only [drive])", trim(s + 1));
		return new_drive(p, cfg) ? 0 : -1;
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
	if (!d)
		return bad(p, "\"%s\" before the first [drive]", key);
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
	memset(cfg, 0, sizeof(*cfg));
}
