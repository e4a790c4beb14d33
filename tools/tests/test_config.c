// SPDX-License-Identifier: GPL-2.0
/* test_config: the configuration file of 'vcdromctl apply': what it reads, and each refusal's message. */
#define _GNU_SOURCE
#include <stdio.h>
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
		"/etc/v.conf:2: \"image\" before the first [drive]");
	refused("an unknown key", "[drive]\nlabel = x\n",
		"/etc/v.conf:2: unknown key \"label\" (serial, vendor, product, revision, image, "
		"medium, sector-size, playlist)");
	refused("a bad playlist value", "[drive]\nplaylist = 1\n",
		"/etc/v.conf:2: playlist \"1\" is not yes or no");
	refused("an unknown section", "[drives]\n",
		"/etc/v.conf:1: unknown section [drives] (there is only [drive])");
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
	return tap_end();
}
