// SPDX-License-Identifier: GPL-2.0
/*
 * vcdromctl's side of expanding compressed images (expand/expand.h): the
 * cache folder and cap the options choose, a progress bar on a terminal,
 * and which cache entries the drives hold, so that eviction leaves them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "libvcdrom.h"
#include "loaders.h"
#include "expand/expand.h"
#include "cli.h"


static struct vcd_expand expand;	/* what the last load expanded */
static char cache_dir[PATH_MAX];
static char **keep;			/* the files drives hold */
static unsigned int nr_keep;

const struct vcd_expand *expanded(void)
{
	return &expand;
}

/* A progress bar on a terminal: read, of all, the rate, the time left; 10 a second at most. */
struct progress {
	struct timespec start, last;
	bool shown;
};

static struct progress progress;

/* The bar away, for what comes next on the terminal. */
static void progress_clear(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = false;
}

static double since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) + (now.tv_nsec - t->tv_nsec) / 1e9;
}

static void human(char *buf, size_t size, double n)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned int u = 0;

	while (n >= 1024 && u + 1 < ARRAY_SIZE(units)) {
		n /= 1024;
		u++;
	}
	snprintf(buf, size, u ? "%.1f %s" : "%.0f %s", n, units[u]);
}

static void show_progress(const char *path, uint64_t in, uint64_t in_size, uint64_t out,
			  bool done, void *arg)
{
	struct progress *p = arg;
	char read[16], all[16], written[16], rate[16], left[24] = "";
	const char *base = strrchr(path, '/');
	double t, bps;

	if (!in) {
		clock_gettime(CLOCK_MONOTONIC, &p->start);
		p->last = p->start;
		return;
	}
	if (done) {
		progress_clear(p);
		return;
	}
	if (since(&p->last) < 0.1)
		return;
	clock_gettime(CLOCK_MONOTONIC, &p->last);
	t = since(&p->start);
	bps = t > 0 ? in / t : 0;
	human(read, sizeof(read), in);
	human(all, sizeof(all), in_size);
	human(written, sizeof(written), out);
	human(rate, sizeof(rate), bps);
	if (bps > 0 && in_size > in)
		snprintf(left, sizeof(left), ", %.0f s left", (in_size - in) / bps);
	fprintf(stderr, "\r\033[Kvcdromctl: expanding %s: %s of %s (%s out), %s/s%s",
		base ? base + 1 : path, read, all, written, rate, left);
	p->shown = true;
}

/* Remember the files the drives hold: false when they cannot all be known. */
static bool list_held(void)
{
	struct vcd_drive_info *drives;
	struct vcd_client *c;
	unsigned int i, j;
	bool known = true;
	char **grown;
	size_t n;
	int ret;

	ret = vcd_open(&c);
	if (ret)
		return ret == -ENOENT;		/* no module: none held */
	if (vcd_drive_list(c, &drives, &n)) {
		vcd_close(c);
		return false;
	}
	for (i = 0; known && i < n; i++) {
		for (j = 0; known && j < drives[i].nr_files; j++) {
			grown = realloc(keep, (nr_keep + 1) * sizeof(*keep));
			if (grown)
				keep = grown;
			if (grown && (keep[nr_keep] = strdup(drives[i].files[j].path)))
				nr_keep++;
			else
				known = false;
		}
	}
	vcd_drive_list_free(drives, n);
	vcd_close(c);
	return known;
}

/*
 * Whether a drive holds @path, which eviction must then leave. The drives
 * are asked once; when they cannot be asked, every entry is kept.
 */
static bool held(const char *path, void *arg)
{
	static bool asked, known;
	unsigned int i;

	(void)arg;
	if (!asked) {
		known = list_held();
		asked = true;
	}
	if (!known)
		return true;
	for (i = 0; i < nr_keep; i++)
		if (!strcmp(keep[i], path))
			return true;
	return false;
}

/* Set up @ld to expand what it finds compressed, as @a says. */
void setup_expand(const struct args *a, struct vcd_load *ld)
{
	vcd_expand_free(&expand);
	memset(&expand, 0, sizeof(expand));
	if (isatty(STDERR_FILENO)) {
		expand.progress = show_progress;
		expand.progress_arg = &progress;
	}
	ld->expand = &expand;
	ld->chd_parents = a->parents;
	ld->nr_chd_parents = a->nr_parents;
	if (a->no_cache)
		return;
	if (a->cache_dir)
		snprintf(cache_dir, sizeof(cache_dir), "%s", a->cache_dir);
	else if (!vcd_cache_default_dir(cache_dir, sizeof(cache_dir)))
		return;		/* no home: into memory */
	/* the default folder, when it cannot be had: memory, with a note */
	expand.cache_optional = !a->cache_dir;
	expand.cache_dir = cache_dir;
	expand.held = held;
	if (!a->cache_unlimited)
		expand.cache_max = a->cache_max ? a->cache_max : VCD_CACHE_MAX_DEFAULT;
}

void expand_progress_clear(void)
{
	progress_clear(&progress);
}
