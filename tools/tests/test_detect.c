// SPDX-License-Identifier: GPL-2.0
/*
 * Host-only tests of choosing a loader by content: every probe on a file
 * built here with its signature, every refusal with its reason, the
 * extension breaking ties and contradicted, --raw and --sector-size, and
 * the format and medium `vcdromctl toc` reports.
 *
 * Prints TAP, then "N passed, N failed"; exits 1 if anything failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libvcdrom.h"
#include "loaders.h"
#include "output.h"
#include "tap.h"

#define RAW	2352

/* A sparse file of @size bytes with the @len bytes of @data at @off (and more with put()). */
static char *build(const char *name, off_t size, off_t off, const void *data, size_t len)
{
	char *path = make_file(name, size, NULL, 0);
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || (len && pwrite(fd, data, len, off) != (ssize_t)len))
		die(path);
	close(fd);
	return path;
}

static void put(const char *path, off_t off, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || pwrite(fd, data, len, off) != (ssize_t)len)
		die(path);
	close(fd);
}

/* Raw sectors: @n of them, each with a sync pattern and mode @mode (-1: sector 1 has none). */
static char *build_raw(const char *name, unsigned int n, int mode, off_t extra)
{
	static const unsigned char sync[12] = {
		0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0
	};
	char *path = make_file(name, (off_t)n * RAW + extra, NULL, 0);
	unsigned char head[16];
	unsigned int i;

	memcpy(head, sync, sizeof(sync));
	head[12] = 0;
	head[13] = 2;
	head[14] = 0;
	head[15] = mode < 0 ? 1 : mode;
	for (i = 0; i < n; i++)
		if (mode >= 0 || i != 1)
			put(path, (off_t)i * RAW, head, sizeof(head));
	return path;
}

struct result {
	int ret;
	struct vcd_load ld;
	struct noted nt;
	struct vcd_disc disc;
};

static void load(struct result *r, const char *path, unsigned int sector_size)
{
	memset(r, 0, sizeof(*r));
	r->ld.note = note;
	r->ld.note_arg = &r->nt;
	r->ld.sector_size = sector_size;
	vcd_disc_init(&r->disc);
	r->ret = vcd_load_image(path, &r->disc, &r->ld);
}

/* @path is refused with @err and @reason, naming the file, leaving nothing behind. */
static void refused(const char *what, const char *path, unsigned int sector_size, int err,
		    const char *reason)
{
	int fd = next_fd();
	struct result r;

	load(&r, path, sector_size);
	if (!ok(r.ret == -err && r.ld.err == err, "%s: refused with %s", what,
		strerrorname_np(err)))
		printf("# returned %d: %s\n", r.ret, r.ld.reason);
	ok_str(r.ld.reason, reason, what, "reason");
	ok_str(r.ld.object, path, what, "the object is the file");
	ok(!r.disc.nr_files && !r.disc.nr_sessions && next_fd() == fd && !r.nt.n,
	   "%s: nothing loaded, no fd leaked, no note", what);
	vcd_disc_free(&r.disc);
}

/*
 * @path loads as @format into one track of @mode stored as @sformat from LBA
 * 0, @sectors long, on @medium; with the note @want_note (the last one) or
 * none.
 */
static void loads(const char *what, const char *path, unsigned int sector_size,
		  const char *format, uint32_t mode, uint32_t sformat, uint32_t sectors,
		  uint32_t medium, const char *want_note)
{
	const struct vcd_track *t;
	struct result r;

	load(&r, path, sector_size);
	if (!ok(r.ret == 0, "%s: loads", what))
		printf("# %s: %s\n", r.ld.object, r.ld.reason);
	ok_str(r.ld.format, format, what, "the format");
	t = r.disc.nr_sessions == 1 && r.disc.sessions[0].nr_tracks == 1 ?
	    &r.disc.sessions[0].tracks[0] : NULL;
	ok(t && t->mode == mode && t->start == 0 && t->nr_extents == 1 &&
	   t->extents[0].format == sformat && t->extents[0].start == 0 &&
	   t->extents[0].offset == 0 && t->extents[0].length == sectors,
	   "%s: one track of mode %u, format %u, %u sectors", what, mode, sformat, sectors);
	ok(vcd_disc_medium(&r.disc) == medium, "%s: the medium is %s", what,
	   vcd_medium_name(medium));
	if (want_note)
		ok_str(r.nt.text, want_note, what, "the note");
	else
		ok(!r.nt.n, "%s: no note", what);
	vcd_disc_free(&r.disc);
}

#define ISO_VD(n)	((off_t)(n) * 2048)
#define MB		(1024 * 1024)

static void test_iso(void)
{
	char *p, boot[32];

	loads("ISO 9660", build("iso9660", ISO_VD(20), ISO_VD(16) + 1, "CD001", 5), 0,
	      "ISO image", VCDROM_TRACK_MODE1, VCDROM_SECTOR_COOKED_2048, 20, VCDROM_MEDIUM_CD,
	      NULL);
	loads("UDF NSR02", build("nsr02", ISO_VD(20), ISO_VD(16) + 1, "NSR02", 5), 0,
	      "ISO image", VCDROM_TRACK_MODE1, VCDROM_SECTOR_COOKED_2048, 20, VCDROM_MEDIUM_CD,
	      NULL);
	loads("UDF NSR03 after BEA01", build("nsr03", ISO_VD(20), ISO_VD(17) + 1, "NSR03", 5), 0,
	      "ISO image", VCDROM_TRACK_MODE1, VCDROM_SECTOR_COOKED_2048, 20, VCDROM_MEDIUM_CD,
	      NULL);
	loads("High Sierra", build("hsf", ISO_VD(20), ISO_VD(16) + 9, "CDROM", 5), 0,
	      "ISO image", VCDROM_TRACK_MODE1, VCDROM_SECTOR_COOKED_2048, 20, VCDROM_MEDIUM_CD,
	      NULL);
	/* an El Torito boot record (a type 0 descriptor) first, the PVD after */
	memcpy(boot, "\0CD001\1EL TORITO SPECIFICATION", 30);
	p = build("eltorito", ISO_VD(40), ISO_VD(16), boot, 30);
	put(p, ISO_VD(19) + 1, "CD001", 5);
	loads("El Torito boot record", p, 0, "ISO image", VCDROM_TRACK_MODE1,
	      VCDROM_SECTOR_COOKED_2048, 40, VCDROM_MEDIUM_CD, NULL);
	/* isohybrid: an MBR before the PVD */
	p = build("hybrid.iso", ISO_VD(20), 510, "\x55\xaa", 2);
	put(p, ISO_VD(16) + 1, "CD001", 5);
	loads("MBR hybrid", p, 0, "ISO image", VCDROM_TRACK_MODE1, VCDROM_SECTOR_COOKED_2048, 20,
	      VCDROM_MEDIUM_CD, NULL);
	p = build("mac", ISO_VD(8), 0, "ER\x08\x00", 4);
	put(p, 512, "PM", 2);
	loads("Apple partition map", p, 0, "ISO image", VCDROM_TRACK_MODE1,
	      VCDROM_SECTOR_COOKED_2048, 8, VCDROM_MEDIUM_CD, NULL);
	p = build("mac2048", ISO_VD(8), 0, "ER\x08\x00", 4);
	put(p, 2048, "PM", 2);
	loads("Apple partition map in 2048-byte blocks", p, 0, "ISO image", VCDROM_TRACK_MODE1,
	      VCDROM_SECTOR_COOKED_2048, 8, VCDROM_MEDIUM_CD, NULL);
	refused("ER without PM", build("er", ISO_VD(8), 0, "ER", 2), 0, EINVAL,
		"unknown format: " VCD_ISO_LOOKED_FOR ", nor any other format's signature ("
		VCD_RAW_HINT ")");
	loads("DVD-sized ISO", build("big.iso", (off_t)405001 * 2048, ISO_VD(16) + 1, "CD001", 5),
	      0, "ISO image", VCDROM_TRACK_MODE1, VCDROM_SECTOR_COOKED_2048, 405001,
	      VCDROM_MEDIUM_DVD, NULL);
	loads("BD-sized ISO", build("huge.iso", (off_t)4173825 * 2048, ISO_VD(16) + 1, "CD001", 5),
	      0, "ISO image", VCDROM_TRACK_MODE1, VCDROM_SECTOR_COOKED_2048, 4173825,
	      VCDROM_MEDIUM_BD, NULL);

	refused("2048-byte sectors named .iso", make_file("zeros.iso", ISO_VD(40), NULL, 0), 0,
		EINVAL, "not an ISO image: " VCD_ISO_LOOKED_FOR " (" VCD_RAW_HINT ")");
	refused("a descriptor past sector 31", build("late.iso", ISO_VD(40), ISO_VD(32) + 1,
						     "CD001", 5), 0,
		EINVAL, "not an ISO image: " VCD_ISO_LOOKED_FOR " (" VCD_RAW_HINT ")");
	refused("unknown content, no extension", make_file("zeros", ISO_VD(40), NULL, 0), 0,
		EINVAL, "unknown format: " VCD_ISO_LOOKED_FOR ", nor any other format's "
		"signature (" VCD_RAW_HINT ")");
	refused("unknown content, unknown extension", make_file("zeros.dat", 100, NULL, 0), 0,
		EINVAL, "unknown format: " VCD_ISO_LOOKED_FOR ", nor any other format's "
		"signature (" VCD_RAW_HINT ")");
	loads("unknown content, --raw", tmp_path("zeros"), 2048, "plain data sectors",
	      VCDROM_TRACK_MODE1, VCDROM_SECTOR_COOKED_2048, 40, VCDROM_MEDIUM_CD, NULL);
	loads("unknown content, --sector-size 2048", tmp_path("zeros.iso"), 2048,
	      "plain data sectors", VCDROM_TRACK_MODE1, VCDROM_SECTOR_COOKED_2048, 40,
	      VCDROM_MEDIUM_CD, NULL);
}

static void test_raw(void)
{
	static const char no_sheet[] = "is a raw CD image without its cue sheet: give the .cue, "
				       "or insert with --sector-size 2352";
	static const char not_raw[] = "not raw 2352-byte data sectors of one mode (sectors 0, 1 "
				      "and 16 must start with a sync pattern and agree)";

	refused("raw MODE1 sectors, no sheet", build_raw("m1.bin", 20, 1, 0), 0, EINVAL,
		no_sheet);
	refused("raw sectors named .iso", build_raw("raw.iso", 20, 1, 0), 0, EINVAL, no_sheet);
	refused(".bin without a sync pattern (audio)", make_file("audio.bin", 10 * RAW, NULL, 0), 0,
		EINVAL, "no data sector's sync pattern, nor any other format's signature: give "
		"its cue sheet (or " VCD_RAW_HINT ")");
	loads("raw MODE1 sectors, --sector-size 2352", tmp_path("m1.bin"), RAW, "raw CD image",
	      VCDROM_TRACK_MODE1, VCDROM_SECTOR_RAW, 20, VCDROM_MEDIUM_CD,
	      "one MODE1 data track of 20 raw sectors");
	loads("raw MODE2 sectors, --sector-size 2352", build_raw("m2", 3, 2, 0), RAW,
	      "raw CD image", VCDROM_TRACK_MODE2_XA, VCDROM_SECTOR_RAW, 3, VCDROM_MEDIUM_CD,
	      "one MODE2 data track of 3 raw sectors");
	loads("raw sectors and a partial one", build_raw("tail.bin", 2, 1, 100), RAW,
	      "raw CD image", VCDROM_TRACK_MODE1, VCDROM_SECTOR_RAW, 2, VCDROM_MEDIUM_CD,
	      "size 4804 is not a multiple of 2352; the last 100 bytes are left out");
	refused("raw sectors of mode 0", build_raw("m0.bin", 2, 0, 0), RAW, EINVAL,
		"sector 0 is of mode 0: only a MODE1 or MODE2 data track loads without a cue "
		"sheet");
	refused("sector 1 without sync", build_raw("nosync1.bin", 4, -1, 0), RAW, EINVAL,
		not_raw);
	refused("--sector-size 2352 on 2048-byte sectors", tmp_path("zeros"), RAW, EINVAL,
		not_raw);
	refused("--sector-size 1000", tmp_path("m1.bin"), 1000, EINVAL,
		"sectors of 1000 bytes: only 2048 and 2352 are known");
	loads("raw sectors, --raw", tmp_path("m1.bin"), 2048, "plain data sectors",
	      VCDROM_TRACK_MODE1, VCDROM_SECTOR_COOKED_2048, 23, VCDROM_MEDIUM_CD,
	      "its content says raw CD image; loaded as 2048-byte sectors, as asked");
}

static const struct {
	const char *what, *name;
	off_t off;		/* -8: the end of the file */
	const char *magic;
	size_t len;
	const char *reason;
} refusals[] = {
	{ "gzip", "a.gz", 0, "\x1f\x8b\x08\0", 4,
	  "is compressed with gzip: decompress it first (gzip -dk)" },
	{ "xz", "a.xz", 0, "\xfd" "7zXZ\0", 6,
	  "is compressed with xz: decompress it first (xz -dk)" },
	{ "zstd", "a.zst", 0, "\x28\xb5\x2f\xfd", 4,
	  "is compressed with zstd: decompress it first (zstd -d)" },
	{ "bzip2", "a.bz2", 0, "BZh9", 4,
	  "is compressed with bzip2: decompress it first (bzip2 -dk)" },
	{ "zip", "a.zip", 0, "PK\3\4", 4,
	  "is a zip archive: extract the image from it first (unzip)" },
	{ "empty zip", "empty.zip", 0, "PK\5\6", 4,
	  "is a zip archive: extract the image from it first (unzip)" },
	{ "7z", "a.7z", 0, "7z\xbc\xaf\x27\x1c", 6,
	  "is a 7-Zip archive: extract the image from it first (7z x)" },
	{ "CHD", "a.chd", 0, "MComprHD", 8,
	  "is a MAME CHD image: extract it first (chdman extractcd -i IMAGE.chd -o IMAGE.cue)" },
	{ "ECM", "a.ecm", 0, "ECM\0", 4,
	  "is an ECM image: decode it first (unecm), then insert its cue sheet" },
	{ "MDS v2", "a.mds", 0, "MEDIA DESCRIPTOR\2\1", 18,
	  "is a DAEMON Tools MDS 2.x descriptor: not supported, only Alcohol 120%'s MDS 1.x "
	  "(convert the image to ISO, CUE/BIN or MDS 1.x)" },
	{ "MDX", "a.mdx", 0, "MEDIA DESCRIPTOR\2\1", 18,
	  "is a DAEMON Tools MDX image (MDS 2.x, its data inside): not supported "
	  "(convert it to ISO or CUE/BIN)" },
	{ "CDI 2", "a.cdi", -8, "\x04\0\0\x80\x10\0\0\0", 8,
	  "is a DiscJuggler CDI image: not supported (convert it to CUE/BIN)" },
	{ "CDI 3", "b.cdi", -8, "\x05\0\0\x80\x10\0\0\0", 8,
	  "is a DiscJuggler CDI image: not supported (convert it to CUE/BIN)" },
	{ "CDI 3.5", "c.cdi", -8, "\x06\0\0\x80\x10\0\0\0", 8,
	  "is a DiscJuggler CDI image: not supported (convert it to CUE/BIN)" },
};

static void test_refusals(void)
{
	const off_t size = 4096;
	char what[80], name[32];
	unsigned int i;
	char *p;

	for (i = 0; i < ARRAY_SIZE(refusals); i++) {
		off_t off = refusals[i].off < 0 ? size + refusals[i].off : refusals[i].off;

		p = build(refusals[i].name, size, off, refusals[i].magic, refusals[i].len);
		if (!strcmp(refusals[i].what, "MDX"))
			put(p, 44, "\xff\xff\xff\xff", 4);
		snprintf(what, sizeof(what), "%s", refusals[i].what);
		refused(what, p, 0, EOPNOTSUPP, refusals[i].reason);

		/* the content, not the extension */
		snprintf(name, sizeof(name), "%s.iso", refusals[i].name);
		p = build(name, size, off, refusals[i].magic, refusals[i].len);
		if (!strcmp(refusals[i].what, "MDX"))
			put(p, 44, "\xff\xff\xff\xff", 4);
		snprintf(what, sizeof(what), "%s named .iso", refusals[i].what);
		refused(what, p, 0, EOPNOTSUPP, refusals[i].reason);
	}
	loads("gzip, --raw", tmp_path("a.gz"), 2048, "plain data sectors", VCDROM_TRACK_MODE1,
	      VCDROM_SECTOR_COOKED_2048, 2, VCDROM_MEDIUM_CD,
	      "its content says gzip file; loaded as 2048-byte sectors, as asked");

	/* near misses: not the signature */
	refused("BZh without a block size", build("bzh0", size, 0, "BZh0", 4), 0, EINVAL,
		"unknown format: " VCD_ISO_LOOKED_FOR ", nor any other format's signature ("
		VCD_RAW_HINT ")");
	refused("MEDIA DESCRIPTOR version 1, no sessions",
		build("v1.mds", size, 0, "MEDIA DESCRIPTOR\1\5", 18), 0, EINVAL,
		"0 sessions: a CD has 1 to 99");
	refused("CDI version 7", build("v7.cdi", size, size - 8, "\x07\0\0\x80\x10\0\0\0", 8), 0,
		EINVAL, "unknown format: " VCD_ISO_LOOKED_FOR ", nor any other format's "
		"signature (" VCD_RAW_HINT ")");
	refused("CDI descriptor past the end", build("far.cdi", size, size - 8,
						     "\x06\0\0\x80\0\0\1\0", 8), 0,
		EINVAL, "unknown format: " VCD_ISO_LOOKED_FOR ", nor any other format's "
		"signature (" VCD_RAW_HINT ")");
}

/* Content against extension: content wins, with a note; the extension breaks ties. */
static void test_extension(void)
{
	char *p;

	write_file("t.bin", "", 0);
	make_file("t.bin", 2048 * 3, NULL, 0);
	p = write_text("sheet.img", "FILE \"t.bin\" BINARY\n  TRACK 01 MODE1/2048\n"
		       "    INDEX 01 00:00:00\n");
	loads("a cue sheet named .img", p, 0, "CUE sheet", VCDROM_TRACK_MODE1,
	      VCDROM_SECTOR_COOKED_2048, 3, VCDROM_MEDIUM_CD,
	      "loaded as CUE sheet, by its content: its extension says raw CD image");
	loads("an ISO named .img", build("disc.img", ISO_VD(20), ISO_VD(16) + 1, "CD001", 5), 0,
	      "ISO image", VCDROM_TRACK_MODE1, VCDROM_SECTOR_COOKED_2048, 20, VCDROM_MEDIUM_CD,
	      "loaded as ISO image, by its content: its extension says raw CD image");
	loads("an ISO named .bin", build("disc.bin", ISO_VD(20), ISO_VD(16) + 1, "CD001", 5), 0,
	      "ISO image", VCDROM_TRACK_MODE1, VCDROM_SECTOR_COOKED_2048, 20, VCDROM_MEDIUM_CD,
	      "loaded as ISO image, by its content: its extension says raw CD image");

	/* both an ISO and a gzip file: the first entry, unless the extension names the other */
	p = build("both", ISO_VD(20), ISO_VD(16) + 1, "CD001", 5);
	put(p, 0, "\x1f\x8b\x08", 3);
	loads("ISO and gzip, no extension", p, 0, "ISO image", VCDROM_TRACK_MODE1,
	      VCDROM_SECTOR_COOKED_2048, 20, VCDROM_MEDIUM_CD, NULL);
	p = build("both.gz", ISO_VD(20), ISO_VD(16) + 1, "CD001", 5);
	put(p, 0, "\x1f\x8b\x08", 3);
	refused("ISO and gzip, named .gz", p, 0, EOPNOTSUPP,
		"is compressed with gzip: decompress it first (gzip -dk)");
}

/* What `vcdromctl toc` prints: the format and the medium after the TOC. */
static void test_toc_output(void)
{
	struct vcd_toc toc;
	struct result r;
	struct out o;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	load(&r, tmp_path("m2"), RAW);
	vcd_disc_toc(&r.disc, &toc);
	f = open_memstream(&buf, &len);
	out_init(&o, OUT_JSON, f);
	out_image_toc(&o, &toc, r.ld.format, vcd_medium_name(vcd_disc_medium(&r.disc)),
		      &r.disc, r.ld.lacks);
	fclose(f);
	ok_str(buf, "{\"format\":\"raw CD image\",\"medium\":\"CD-ROM\",\"note\":null,"
	       "\"sessions\":1,\"mcn\":null,\"leadout\":{\"session\":1,\"track\":\"lead-out\","
	       "\"start\":3,\"msf\":\"00:02:03\"},\"tracks\":[{\"session\":1,\"track\":1,\"type\":\"data\","
	       "\"start\":0,\"msf\":\"00:02:00\",\"flags\":null}]}\n", "toc --json", NULL);
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	out_init(&o, OUT_TABLE, f);
	out_image_toc(&o, &toc, r.ld.format, vcd_medium_name(vcd_disc_medium(&r.disc)),
		      &r.disc, r.ld.lacks);
	fclose(f);
	ok_str(buf, "SESSION  TRACK     TYPE  START  MSF       FLAGS\n"
	       "1        1         data  0      00:02:00  -\n"
	       "1        lead-out  -     3      00:02:03  -\n"
	       "mcn: -\nformat: raw CD image\nmedium: CD-ROM\n", "toc", NULL);
	free(buf);
	vcd_disc_free(&r.disc);
}

/* A CloneCD sheet by its content, after a BOM and blank lines; its .img is not one. */
static void test_ccd(void)
{
	static const char entries[] =
		"[Entry 0]\nSession=1\nPoint=0xa2\nADR=1\nControl=4\nPMin=0\nPSec=2\n"
		"PFrame=20\n[Entry 1]\nSession=1\nPoint=0x01\nADR=1\nControl=4\nPMin=0\n"
		"PSec=2\nPFrame=0\n[TRACK 1]\nMODE=1\n";
	char text[512];

	build_raw("sheet.img", 20, 1, 0);
	snprintf(text, sizeof(text), "\xef\xbb\xbf\r\n\n  [CloneCD]\r\n%s", entries);
	loads("a CloneCD sheet with a BOM, named .txt", write_text("sheet.txt", text), 0,
	      "CloneCD image", VCDROM_TRACK_MODE1, VCDROM_SECTOR_RAW, 20, VCDROM_MEDIUM_CD,
	      "no sheet.sub beside it: the drive makes up the sub-channel (P and Q)");
	refused("a CloneCD image's .img alone", tmp_path("sheet.img"), 0, EINVAL,
		"is a raw CD image without its cue sheet: give the .cue, or insert with "
		"--sector-size 2352");
	snprintf(text, sizeof(text), "[CloneCD] more\n%s", entries);
	refused("[CloneCD] and more, named .txt", write_text("near.txt", text), 0, EINVAL,
		"unknown format: " VCD_ISO_LOOKED_FOR ", nor any other format's signature ("
		VCD_RAW_HINT ")");
}

/* M3U playlists: found by content, each disc found beside it, and what is refused. */
static void test_m3u(void)
{
	struct vcd_playlist pl;
	struct vcd_load ld = { 0 };
	char text[2048], want[PATH_MAX + 16];
	int fd = next_fd(), ret, i;
	char *m3u;

	if (mkdir(tmp_path("sub"), 0755))
		die("sub");
	write_text("Disc 1.cue", "FILE \"d1.bin\" BINARY\n  TRACK 01 MODE1/2352\n    INDEX 01 00:00:00\n");
	write_text("sub/Disc2.cue", "FILE \"d2.bin\" BINARY\n");
	make_file("d3.iso.gz", 100, NULL, 0);
	write_text("inner.m3u", "Disc 1.cue\n");

	m3u = write_text("game.m3u", "\xef\xbb\xbf#EXTM3U\n# disc one\nDisc 1.cue\r\n"
			 "  sub\\disc2.CUE \n\nd3.iso\n");
	ok(vcd_is_playlist(m3u), "m3u: #EXTM3U after a BOM is a playlist");
	ret = vcd_playlist_read(m3u, &pl, &ld);
	if (!ok(ret == 0 && pl.nr == 3, "m3u: 3 discs read"))
		printf("# %d: %s: %s\n", ret, ld.object, ld.reason);
	ok(!ret && pl.nr == 3 && !strcmp(pl.paths[0], tmp_path("Disc 1.cue")) &&
	   !strcmp(pl.paths[1], tmp_path("sub/Disc2.cue")) && !strcmp(pl.paths[2], tmp_path("d3.iso.gz")),
	   "m3u: relative names found as named, but for case and '\\', and compressed");
	if (!ret)
		vcd_playlist_free(&pl);

	m3u = write_text("plain.m3u", "Disc 1.cue\nsub/Disc2.cue\n");
	ok(vcd_is_playlist(m3u), "m3u: lines of image names without a header are a playlist");
	ok(!vcd_is_playlist(tmp_path("Disc 1.cue")), "m3u: a cue sheet is not a playlist");
	ok(!vcd_is_playlist(write_text("words.m3u", "hello\nworld\n")),
	   "m3u: lines that name no image are not a playlist");
	refused("an m3u given as a disc", m3u, 0, EOPNOTSUPP,
		"is a playlist of discs: insert it into a drive (vcdromctl insert), or name one of "
		"its discs");

	m3u = write_text("missing.m3u", "#EXTM3U\nDisc 1.cue\nnone.cue\n");
	ret = vcd_playlist_read(m3u, &pl, &ld);
	snprintf(want, sizeof(want), "%s:3", m3u);
	ok(ret == -ENOENT && !pl.nr && !pl.paths, "m3u: a missing disc refuses the playlist");
	ok_str(ld.object, want, "m3u: missing disc", "the object is its line");
	ok_str(ld.reason, "none.cue: no such file", "m3u: missing disc", "reason");

	m3u = write_text("nest.m3u", "#EXTM3U\ninner.m3u\n");
	ret = vcd_playlist_read(m3u, &pl, &ld);
	ok(ret == -EINVAL && strstr(ld.reason, "playlists do not nest"),
	   "m3u: a playlist naming a playlist is refused");

	m3u = write_text("none.m3u", "#EXTM3U\n# nothing\n\n");
	ret = vcd_playlist_read(m3u, &pl, &ld);
	ok(ret == -EINVAL, "m3u: a playlist of no disc is refused");
	ok_str(ld.reason, "names no disc (one image path a line)", "m3u: no disc", "reason");

	text[0] = '\0';
	strcat(text, "#EXTM3U\n");
	for (i = 0; i <= VCD_PLAYLIST_MAX; i++)
		strcat(text, "Disc 1.cue\n");
	m3u = write_text("long.m3u", text);
	ret = vcd_playlist_read(m3u, &pl, &ld);
	ok(ret == -E2BIG && !pl.nr, "m3u: more than %u discs are refused", VCD_PLAYLIST_MAX);
	ok(next_fd() == fd, "m3u: no fd leaked");
}

int main(void)
{
	tap_begin("detect");
	test_m3u();
	test_iso();
	test_raw();
	test_refusals();
	test_extension();
	test_ccd();
	test_toc_output();
	return tap_end();
}
