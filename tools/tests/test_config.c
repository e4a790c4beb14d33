// SPDX-License-Identifier: GPL-2.0
/* test_config: the configuration file of 'vcdromctl apply': what it reads, and each refusal's message. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "libvcdrom.h"
#include "tap.h"

static int parse(const char *text, size_t len, const char *file, struct vcd_config *cfg, char *err)
{
	FILE *f = fmemopen((void *)text, len, "r");
	int ret;

	if (!f)
		die("fmemopen");
	err[0] = '\0';
	ret = vcd_config_parse(f, file, cfg, err, 512);
	fclose(f);
	return ret;
}

/* @text is refused with exactly @msg, and leaves no drive. */
static void refused(const char *what, const char *text, const char *msg)
{
	struct vcd_config cfg;
	char err[512];

	ok(parse(text, strlen(text), "/etc/v.conf", &cfg, err) == -1 && !cfg.nr_drives &&
	   !cfg.drives, "%s: refused", what);
	ok_str(err, msg, what, "message");
}

/* @text's [cache] is refused with exactly @msg, and leaves no cache folder. */
static void cache_refused(const char *what, const char *text, const char *msg)
{
	struct vcd_config cfg;
	char err[512];

	ok(parse(text, strlen(text), "/etc/v.conf", &cfg, err) == -1 && !cfg.cache.line &&
	   !cfg.cache.dir && !cfg.cache.has_max && cfg.cache.enabled == -1 && !cfg.nr_drives,
	   "%s: refused", what);
	ok_str(err, msg, what, "message");
}

/* --cache-max's and "max ="'s sizes: what each is, or -1. */
static void sizes(void)
{
	static const struct {
		const char *s;
		int ret;
		uint64_t bytes;
	} t[] = {
		{ "0", 0, 0 }, { "4096", 0, 4096 }, { "8G", 0, 8ULL << 30 },
		{ "8g", 0, 8ULL << 30 }, { "3KB", 0, 3072 }, { "5mb", 0, 5ULL << 20 },
		{ "2T", 0, 2ULL << 40 },
		{ "16777215T", 0, 16777215ULL << 40 }, { "16777216T", -1, 0 },
		{ "18446744073709551615", 0, ~0ULL }, { "18446744073709551616", -1, 0 },
		{ "", -1, 0 }, { "G", -1, 0 }, { "-1", -1, 0 }, { "+1", -1, 0 }, { " 1", -1, 0 },
		{ "1 G", -1, 0 }, { "1B", -1, 0 }, { "1X", -1, 0 }, { "1GiB", -1, 0 },
		{ "1GBB", -1, 0 }, { "0x10", -1, 0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		uint64_t bytes = 12345;
		int ret = vcd_parse_size(t[i].s, &bytes);

		ok(ret == t[i].ret && bytes == (t[i].ret ? 12345 : t[i].bytes),
		   "size \"%s\": %d, %llu", t[i].s, ret, (unsigned long long)bytes);
	}
}

/* What the cache options say, before and after the file's [cache] fills in the rest. */
struct opts {
	const char *dir;
	bool no_cache;
	uint64_t max;
	bool unlimited;
};

static struct opts fill(const struct vcd_config_cache *cc, struct opts o)
{
	vcd_config_cache_fill(cc, &o.dir, &o.no_cache, &o.max, &o.unlimited);
	return o;
}

/* The [cache] section: its keys, the options over it, and each refusal. */
static void cache_section(void)
{
	static const char text[] =
		"[drive]\n"
		"image = a.iso\n"
		"[ cache ]\n"
		"# a comment in it\n"
		"dir = /srv/cache/vcdrom \n"
		"max=20G\n"
		"enabled = Yes\n"
		"[drive]\n"
		"image = b.iso\n";
	struct vcd_config cfg;
	struct opts o;
	char err[512];

	ok(!parse(text, strlen(text), "/etc/vcdrom.conf", &cfg, err) && cfg.nr_drives == 2,
	   "[cache] between two [drive]s: %s", err);
	ok(cfg.cache.line == 3, "[cache] on line %u", cfg.cache.line);
	ok_str(cfg.cache.dir, "/srv/cache/vcdrom", "dir", NULL);
	ok(cfg.cache.has_max && cfg.cache.max == 20ULL << 30, "max 20G: %llu",
	   (unsigned long long)cfg.cache.max);
	ok(cfg.cache.enabled == 1, "enabled = Yes");
	ok(cfg.drives[1].nr_images == 1 && !strcmp(cfg.drives[1].images[0], "/etc/b.iso"),
	   "the [drive] after [cache] gets its image");

	/* the options first, then the file */
	o = fill(&cfg.cache, (struct opts){ 0 });
	ok(o.dir && !strcmp(o.dir, "/srv/cache/vcdrom") && !o.no_cache &&
	   o.max == 20ULL << 30 && !o.unlimited, "no options: the file's dir and max");
	o = fill(&cfg.cache, (struct opts){ .dir = "/tmp/c", .max = 1024 });
	ok(!strcmp(o.dir, "/tmp/c") && !o.no_cache && o.max == 1024 && !o.unlimited,
	   "--cache-dir and --cache-max over the file's");
	o = fill(&cfg.cache, (struct opts){ .no_cache = true, .unlimited = true });
	ok(!o.dir && o.no_cache && !o.max && o.unlimited,
	   "--no-cache and --cache-max 0 over the file's");
	vcd_config_free(&cfg);
	ok(!cfg.cache.line && !cfg.cache.dir && cfg.cache.enabled == -1, "freed: no [cache]");

	ok(!parse("[cache]\nenabled = no\nmax = 0\n", 29, "/etc/v.conf", &cfg, err) &&
	   cfg.cache.enabled == 0 && !cfg.cache.dir && cfg.cache.has_max && !cfg.cache.max &&
	   !cfg.nr_drives, "enabled = no, max = 0, no drive: %s", err);
	o = fill(&cfg.cache, (struct opts){ 0 });
	ok(!o.dir && o.no_cache && !o.max && o.unlimited,
	   "enabled = no: into memory; max 0: no cap");
	o = fill(&cfg.cache, (struct opts){ .dir = "/tmp/c" });
	ok(!strcmp(o.dir, "/tmp/c") && !o.no_cache, "--cache-dir over enabled = no");
	vcd_config_free(&cfg);

	ok(!parse("[drive]\n", 8, "/etc/v.conf", &cfg, err) && !cfg.cache.line &&
	   cfg.cache.enabled == -1 && !cfg.cache.has_max, "no [cache]: nothing set");
	o = fill(&cfg.cache, (struct opts){ 0 });
	ok(!o.dir && !o.no_cache && !o.max && !o.unlimited, "no [cache]: the defaults");
	vcd_config_free(&cfg);

	cache_refused("a relative dir", "[cache]\ndir = cache\n",
		      "/etc/v.conf:2: dir \"cache\" is not an absolute path");
	cache_refused("a bad max", "[drive]\n[cache]\nmax = 8X\n",
		      "/etc/v.conf:3: max \"8X\" is not a size (bytes, or with K, M, G or T)");
	cache_refused("a negative max", "[cache]\nmax = -1\n",
		      "/etc/v.conf:2: max \"-1\" is not a size (bytes, or with K, M, G or T)");
	cache_refused("a max too big", "[cache]\nmax = 16777216T\n",
		      "/etc/v.conf:2: max \"16777216T\" is not a size (bytes, or with K, M, G "
		      "or T)");
	cache_refused("a bad enabled", "[cache]\nenabled = off\n",
		      "/etc/v.conf:2: enabled \"off\" is not yes or no");
	cache_refused("no value", "[cache]\ndir =\n", "/etc/v.conf:2: \"dir\" has no value");
	cache_refused("an unknown key", "[cache]\nsize = 8G\n",
		      "/etc/v.conf:2: unknown key \"size\" in [cache] (dir, max, enabled)");
	cache_refused("a drive's key in [cache]", "[drive]\n[cache]\nimage = a.iso\n",
		      "/etc/v.conf:3: unknown key \"image\" in [cache] (dir, max, enabled)");
	cache_refused("a key twice", "[cache]\nmax = 1G\nmax = 2G\n",
		      "/etc/v.conf:3: \"max\" given twice in [cache]");
	cache_refused("dir twice", "[cache]\ndir = /a\ndir = /b\n",
		      "/etc/v.conf:3: \"dir\" given twice in [cache]");
	cache_refused("dir with enabled = no", "[cache]\nenabled = no\ndir = /a\n",
		      "/etc/v.conf:3: dir and \"enabled = no\" contradict each other");
	cache_refused("enabled = no after dir", "[cache]\ndir = /a\nenabled = NO\n",
		      "/etc/v.conf:3: dir and \"enabled = no\" contradict each other");
	cache_refused("a second [cache]", "[cache]\nmax = 1G\n[drive]\n[cache]\n",
		      "/etc/v.conf:4: a second [cache] (the first is line 1's)");
	cache_refused("a bad [drive] after a good [cache]",
		      "[cache]\ndir = /a\n[drive]\nmedium = hd\n",
		      "/etc/v.conf:4: medium \"hd\" is not cd, dvd or bd");
}

/* What save keeps of the file it replaces: its [cache], read back as it was. */
static void save_keeps_cache(void)
{
	static const char old[] =
		"# vcdrom drives\n"
		"[drive]\n"
		"image = /srv/a.iso\n"
		"# about the cache\n"
		"  [cache]  \n"
		"; 20G for the games\n"
		"max = 20G\n"
		"\n"
		"dir = /srv/cache\n"
		"\n"
		"# the second drive\n"
		"[drive]\n"
		"serial = B\n"
		"[cache]\n"
		"# nothing but this\n"
		"\n"
		"[drive]\n"
		"[cache]\n"
		"enabled = yes";
	static const char kept[] =
		"\n  [cache]  \n"
		"; 20G for the games\n"
		"max = 20G\n"
		"\n"
		"dir = /srv/cache\n"
		"\n[cache]\n"
		"\n[cache]\n"
		"enabled = yes\n";
	FILE *in = fmemopen((void *)old, strlen(old), "r"), *out;
	char *text = NULL, *saved, err[512];
	size_t len = 0;
	struct vcd_config cfg;

	out = open_memstream(&text, &len);
	if (!in || !out)
		die("fmemopen");
	ok(!vcd_config_copy_cache(in, out), "copy a file's [cache] sections");
	fclose(in);
	fclose(out);
	ok_str(text, kept, "the [cache] sections", "each as it was, up to its last key line");
	free(text);

	/* as save writes it: its header, the first [cache] kept, then the drives */
	in = fmemopen((void *)old, strstr(old, "[drive]\nserial") - old, "r");
	text = NULL;
	out = open_memstream(&text, &len);
	if (!in || !out)
		die("fmemopen");
	fputs("# vcdrom drives, for 'vcdromctl apply'\n", out);
	ok(!vcd_config_copy_cache(in, out), "copy one [cache]");
	fputs("\n[drive]\nserial = A\nimage = /srv/b.iso\n", out);
	fclose(in);
	fclose(out);
	saved = text;
	ok(!parse(saved, len, "/etc/vcdrom.conf", &cfg, err), "the saved file parses: %s", err);
	ok(cfg.cache.line == 3 && cfg.cache.has_max && cfg.cache.max == 20ULL << 30 &&
	   cfg.cache.dir && !strcmp(cfg.cache.dir, "/srv/cache") && cfg.cache.enabled == -1,
	   "its [cache] read back: line %u, max %llu, dir %s", cfg.cache.line,
	   (unsigned long long)cfg.cache.max, cfg.cache.dir);
	ok(cfg.nr_drives == 1 && cfg.drives[0].serial && !strcmp(cfg.drives[0].serial, "A") &&
	   cfg.drives[0].nr_images == 1, "and the drive after it");
	vcd_config_free(&cfg);
	free(saved);

	in = fmemopen((void *)"[drive]\nimage = a.iso\n", 22, "r");
	text = NULL;
	out = open_memstream(&text, &len);
	if (!in || !out)
		die("fmemopen");
	ok(!vcd_config_copy_cache(in, out), "a file without [cache]");
	fclose(in);
	fclose(out);
	ok_str(text, "", "no [cache]", "nothing copied");
	free(text);
}

static const char good[] =
	"# drives\r\n"
	"\n"
	"[drive]\n"
	"  serial = GAMES-1  \n"
	"vendor=ACME\n"
	"product = Virtual DVD\n"
	"revision = 2.0\n"
	"image = discs/game disc 1.cue\r\n"
	"medium = DVD\n"
	"; the second\n"
	"[ drive ]\n"
	"image = /srv/a.toc\n"
	"image = b.toc\n"
	"[drive]\n"
	"sector-size = 2352\n"
	"image = raw.bin\n"
	"[drive]\n"
	"image = d1.cue\n"
	"image = d2.chd\n"
	"playlist = Yes\n";

int main(void)
{
	struct vcd_config cfg;
	struct vcd_config_drive *d;
	char err[512];

	tap_begin("config");

	ok(!parse(good, strlen(good), "/etc/vcdrom.conf", &cfg, err) && cfg.nr_drives == 4,
	   "a file of four drives parses: %s", err);
	d = &cfg.drives[0];
	ok(d->line == 3 && d->image_line == 8, "the first [drive]'s lines: %u, %u", d->line,
	   d->image_line);
	ok_str(d->serial, "GAMES-1", "serial", "spaces around it dropped");
	ok_str(d->vendor, "ACME", "vendor", "no spaces around '='");
	ok_str(d->product, "Virtual DVD", "product", "a space inside kept");
	ok_str(d->revision, "2.0", "revision", NULL);
	ok(d->nr_images == 1, "one image");
	ok_str(d->images[0], "/etc/discs/game disc 1.cue", "image", "relative to the file's folder");
	ok(d->medium == VCDROM_MEDIUM_DVD && !d->sector_size, "medium DVD (any case)");
	d = &cfg.drives[1];
	ok(d->line == 11 && !d->serial && !d->vendor && d->nr_images == 2 &&
	   d->medium == VCDROM_MEDIUM_AUTO, "the second: no identity, two images");
	ok_str(d->images[0], "/srv/a.toc", "image", "an absolute path kept");
	ok_str(d->images[1], "/etc/b.toc", "image", "the second image");
	ok(!cfg.drives[0].playlist && !d->playlist, "no playlist unless it says so");
	d = &cfg.drives[2];
	ok(d->sector_size == 2352, "sector-size 2352");
	d = &cfg.drives[3];
	ok(d->playlist && d->nr_images == 2, "playlist = Yes: a playlist of two discs");
	vcd_config_free(&cfg);

	ok(!parse("[drive]\nimage = x.iso\n", 21, "v.conf", &cfg, err) && cfg.nr_drives == 1,
	   "a file named without a folder");
	ok_str(cfg.drives[0].images[0], "x.iso", "image", "relative to the working folder");
	vcd_config_free(&cfg);
	ok(!parse("# nothing\n", 10, "/etc/vcdrom.conf", &cfg, err) && !cfg.nr_drives,
	   "a file of comments: no drive");

	refused("a key before [drive]", "# x\nimage = a.iso\n",
		"/etc/v.conf:2: \"image\" before the first [drive] or [cache]");
	refused("an unknown key", "[drive]\nlabel = x\n",
		"/etc/v.conf:2: unknown key \"label\" (serial, vendor, product, revision, image, "
		"medium, sector-size, playlist)");
	refused("a bad playlist value", "[drive]\nplaylist = 1\n",
		"/etc/v.conf:2: playlist \"1\" is not yes or no");
	refused("an unknown section", "[drives]\n",
		"/etc/v.conf:1: unknown section [drives] (there are [drive] and [cache])");
	refused("an unclosed section", "[drive\n",
		"/etc/v.conf:1: \"[drive\": a section header ends with ']'");
	refused("no '='", "[drive]\nimage a.iso\n",
		"/etc/v.conf:2: \"image a.iso\" is not \"key = value\" or \"[drive]\"");
	refused("no key", "[drive]\n = a.iso\n", "/etc/v.conf:2: no key before '='");
	refused("no value", "[drive]\nserial =  \n", "/etc/v.conf:2: \"serial\" has no value");
	refused("a vendor too long", "[drive]\nvendor = NINECHARS\n",
		"/etc/v.conf:2: vendor \"NINECHARS\" is longer than 8 characters");
	refused("a serial not ASCII", "[drive]\nserial = caf\xc3\xa9\n",
		"/etc/v.conf:2: serial \"caf\xc3\xa9\" is not printable ASCII");
	refused("a key twice", "[drive]\nserial = A\nserial = B\n",
		"/etc/v.conf:3: \"serial\" given twice in one [drive]");
	refused("a serial in two drives", "[drive]\nserial = A\n[drive]\n[drive]\nserial = A\n",
		"/etc/v.conf:4: serial \"A\" is the [drive] of line 1's too");
	refused("a bad medium", "[drive]\nmedium = hddvd\n",
		"/etc/v.conf:2: medium \"hddvd\" is not cd, dvd or bd");
	refused("a bad sector size", "[drive]\nsector-size = 2336\n",
		"/etc/v.conf:2: sector-size \"2336\" is not 2048 or 2352");
	refused("sector-size with two images", "[drive]\nimage = a\nsector-size = 2048\nimage = b\n",
		"/etc/v.conf:2: several images make a multi-session disc of TOC files: sector-size "
		"is for one image");
	refused("a control character", "[drive]\nserial = A\033B\n",
		"/etc/v.conf:2: a control character in the line");
	ok(parse("[drive]\nserial = A\0B\n", 20, "/etc/v.conf", &cfg, err) == -1 && !cfg.nr_drives,
	   "a NUL byte: refused");
	ok_str(err, "/etc/v.conf:2: a NUL byte in the line", "a NUL byte", "message");
	{
		static char longline[5000];

		memset(longline, 'a', sizeof(longline) - 2);
		memcpy(longline, "[drive]\nimage = ", 16);
		longline[sizeof(longline) - 2] = '\n';
		refused("a line too long", longline, "/etc/v.conf:2: longer than 4096 characters");
	}
	sizes();
	cache_section();
	save_keeps_cache();
	return tap_end();
}
