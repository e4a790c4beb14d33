// SPDX-License-Identifier: GPL-2.0
/*
 * Host-only tests of the CHD decoder (loaders/chd/), with chdman (Debian's
 * mame-tools) as the oracle: small discs made here (a MODE1/2352 track
 * from the tests' sector encoder, audio of random samples with a stored
 * pregap, a MODE2/2352 XA track after an unstored pregap) go through
 * "chdman createcd" with each CD codec, and "chdman createraw" with each raw
 * codec; the extraction must be the source bytes, and chdman extractcd's
 * BIN where this chdman can read the CHD, the tracks what "chdman info -v"
 * says. A DVD (a raw CHD with "DVD " metadata), a parent and its child,
 * and bad CHDs (truncated, a map past the end, a flipped byte, a wrong
 * data SHA-1, changed metadata, a GD-ROM), each refused with its reason. This chdman (0.251)
 * writes no zstd: the zstd and cdzs codecs get hunks made here with
 * libzstd, cdzs's with stripped sync and ECC.
 *
 *   test_chd CDSECTOR
 *
 * Debian's chdman 0.251 writes a map that it cannot read back itself
 * ("Decompression error": the decoder says "map: CRC mismatch") when a CHD
 * has only a few hunks: its last bits are lost. Real discs have thousands;
 * here the hunks are small (4 frames) so that there are enough of them.
 *
 * Skipped without chdman. Prints TAP; exits 1 if anything failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <zstd.h>

#include "chd/chd.h"
#include "chd/chd_int.h"
#include "expand/expand.h"
#include "libvcdrom.h"
#include "loaders.h"
#include "tap.h"

static const char *cdsector;

/* Run @fmt in tap_dir, its output thrown away; true when it exits 0. */
__printf(1, 2) static bool run(const char *fmt, ...)
{
	char cmd[4096];
	int n;
	va_list ap;

	n = snprintf(cmd, sizeof(cmd), "cd '%s' && (", tap_dir);
	va_start(ap, fmt);
	n += vsnprintf(cmd + n, sizeof(cmd) - n, fmt, ap);
	va_end(ap);
	snprintf(cmd + n, sizeof(cmd) - n, ") >/dev/null 2>&1");
	return system(cmd) == 0;
}

/* The whole file @name of tap_dir, malloc()ed; NULL when it cannot be read. */
static uint8_t *slurp(const char *name, size_t *len)
{
	FILE *f = fopen(tmp_path(name), "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	n = fseek(f, 0, SEEK_END) ? -1 : ftell(f);
	if (n >= 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc(n ? n : 1);
		if (buf && fread(buf, 1, n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = n;
	}
	fclose(f);
	return buf;
}

static bool same_files(const char *a, const char *b)
{
	size_t la = 0, lb = 0;
	uint8_t *pa = slurp(a, &la), *pb = slurp(b, &lb);
	bool same = pa && pb && la == lb && !memcmp(pa, pb, la);

	free(pa);
	free(pb);
	return same;
}

/* @n random bytes of values below @range (256: any), to @name. */
static void random_file(const char *name, size_t n, unsigned int range)
{
	uint8_t *p = malloc(n);

	if (!p)
		die("malloc");
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned int)random() % range;
	write_file(name, p, n);
	free(p);
}

/* Open @name of tap_dir, @parent given as --parent; NULL with the reason in @ld. */
static struct vcd_chd *open_chd(const char *name, const char *parent, struct vcd_load *ld)
{
	struct vcd_chd *chd;
	char pp[PATH_MAX] = "";
	const char *parents[] = { pp };

	if (parent)
		snprintf(pp, sizeof(pp), "%s", tmp_path(parent));
	if (vcd_chd_open_path(tmp_path(name), parents, parent ? 1 : 0, ld, &chd))
		return NULL;
	return chd;
}

static int progress(uint64_t done, uint64_t total, void *arg)
{
	uint64_t *last = arg;

	if (done < *last || done > total)
		*last = UINT64_MAX;
	else
		*last = done;
	return 0;
}

/* Extract @name to @out; true when it worked (else the reason is printed). */
static bool extract(const char *name, const char *parent, const char *out)
{
	struct vcd_load ld = { 0 };
	struct vcd_chd *chd = open_chd(name, parent, &ld);
	uint64_t last = 0;
	int fd, ret = -1;

	if (chd) {
		fd = open(tmp_path(out), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0)
			die(out);
		ret = vcd_chd_extract(chd, fd, progress, &last, &ld);
		close(fd);
		/* the progress went up, to the total */
		if (!ret && last != vcd_chd_info(chd)->out_bytes) {
			printf("# progress ended at %llu of %llu\n", (unsigned long long)last,
			       (unsigned long long)vcd_chd_info(chd)->out_bytes);
			ret = -1;
			snprintf(ld.reason, sizeof(ld.reason), "progress");
		}
		vcd_chd_close(chd);
	}
	if (ret)
		printf("# %s: %s\n", ld.object, ld.reason);
	return !ret;
}

/* A refusal: @name (with @parent) fails to open or extract, the reason holding @want. */
static void expect_refusal(const char *name, const char *parent, const char *want,
			   const char *what)
{
	struct vcd_load ld = { 0 };
	struct vcd_chd *chd = open_chd(name, parent, &ld);
	int fd, ret = -1;

	if (chd) {
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		ret = vcd_chd_extract(chd, fd, NULL, NULL, &ld);
		close(fd);
		vcd_chd_close(chd);
	}
	if (!ok(ret && (strstr(ld.reason, want) || strstr(ld.object, want)),
		"%s: refused, %s", what, want))
		printf("# got: %s: %s\n", ld.object, ld.reason);
	else
		printf("# %s: %s\n", ld.object, ld.reason);
}

/* ---- a CD ---- */

static void make_cd(void)
{
	random_file("d1.in", 30 * 2048, 256);
	random_file("x.in", 10 * 2048, 256);
	random_file("a.bin", 17 * 2352, 256);
	if (!run("'%s' encode --mode 1 d1.in d1.bin && '%s' encode --mode 2form1 --lba 50 x.in x.bin",
		 cdsector, cdsector))
		die("cdsector encode");
	write_text("cd.cue",
		   "FILE \"d1.bin\" BINARY\n"
		   "  TRACK 01 MODE1/2352\n"
		   "    INDEX 01 00:00:00\n"
		   "FILE \"a.bin\" BINARY\n"
		   "  TRACK 02 AUDIO\n"
		   "    INDEX 00 00:00:00\n"
		   "    INDEX 01 00:00:05\n"
		   "FILE \"x.bin\" BINARY\n"
		   "  TRACK 03 MODE2/2352\n"
		   "    PREGAP 00:00:03\n"
		   "    INDEX 01 00:00:00\n");
	if (!run("cat d1.bin a.bin x.bin > cd.want"))
		die("cat");
}

/* The tracks as chdman info -v prints their metadata: each of ours must be there. */
static void check_tracks(const char *name, const struct vcd_chd_info *in)
{
	size_t len = 0;
	uint8_t *text;
	char line[256];
	bool all = in->nr_tracks == 3;

	if (!run("chdman info -v -i '%s' > '%s.info'", name, name))
		die("chdman info");
	snprintf(line, sizeof(line), "%s.info", name);
	text = slurp(line, &len);
	if (!text)
		die("info");
	text[len - 1] = 0;
	for (unsigned int i = 0; i < in->nr_tracks; i++) {
		const struct vcd_chd_track *t = &in->tracks[i];

		snprintf(line, sizeof(line),
			 "TRACK:%u TYPE:%s SUBTYPE:%s FRAMES:%u PREGAP:%u PGTYPE:%s PGSUB:%s POSTGAP:%u",
			 t->number, t->type, t->subtype, t->frames, t->pregap, t->pgtype, t->pgsub,
			 t->postgap);
		if (!strstr((char *)text, line)) {
			printf("# not in chdman info: %s\n", line);
			all = false;
		}
	}
	ok(all, "%s: 3 tracks, as chdman info -v says", name);
	free(text);
}

static void test_cd(const char *codecs, const char *hunk)
{
	char name[64], out[80];
	struct vcd_load ld = { 0 };
	struct vcd_chd *chd;
	const struct vcd_chd_info *in;

	snprintf(name, sizeof(name), "cd-%s%s.chd", codecs, hunk ? "-big" : "");
	if (!ok(run("chdman createcd -i %s -o '%s' -c %s -hs %s", hunk ? "big.cue" : "cd.cue",
		    name, codecs, hunk ? hunk : "9792"),
		"chdman createcd -c %s -hs %s", codecs, hunk ? hunk : "9792"))
		return;
	chd = open_chd(name, NULL, &ld);
	if (!ok(chd, "%s opens", name)) {
		printf("# %s: %s\n", ld.object, ld.reason);
		return;
	}
	in = vcd_chd_info(chd);
	ok(in->kind == VCD_CHD_CD, "%s is a CD", name);
	if (!ok(!vcd_chd_verify(chd, &ld), "%s: every hunk's CRC and the data's SHA-1", name))
		printf("# %s: %s\n", ld.object, ld.reason);
	if (!hunk)
		check_tracks(name, in);
	if (strcmp(codecs, "none"))
		ok(in->hunks_by[0] + in->hunks_by[1] + in->hunks_by[2] + in->hunks_by[3] > 0,
		   "%s: hunks compressed (%u %u %u %u, %u stored)", name, in->hunks_by[0],
		   in->hunks_by[1], in->hunks_by[2], in->hunks_by[3], in->hunks_by[4]);
	vcd_chd_close(chd);
	snprintf(out, sizeof(out), "%s.bin", name);
	if (ok(extract(name, NULL, out), "%s extracts", name))
		ok(same_files(out, hunk ? "big.bin" : "cd.want"), "%s: the tracks' bytes", name);
	/* this chdman (0.251) reads back no compressed CD CHD: then the source is the oracle */
	if (run("chdman extractcd -i '%s' -o ext.cue -ob ext.bin -f", name))
		ok(same_files(out, "ext.bin"), "%s: chdman extractcd's BIN", name);
	else
		skip("chdman extractcd fails on it", "%s: chdman extractcd's BIN", name);
}

static void test_cd_disc(void)
{
	struct vcd_load ld = { 0 };
	struct vcd_chd *chd = open_chd("cd-none.chd", NULL, &ld);
	struct vcd_disc disc;
	struct vcd_toc toc;
	const char *path = tmp_path("cd-none.chd.bin");
	struct stat st;
	int fd;

	fd = chd && !stat(path, &st) ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0) {
		ok(false, "the extracted CD for a disc");
		vcd_chd_close(chd);
		return;
	}
	vcd_disc_init(&disc);
	if (ok(!vcd_chd_fill_disc(vcd_chd_info(chd), fd, path, st.st_size, &disc, &ld),
	       "the extracted CD makes a disc")) {
		vcd_disc_toc(&disc, &toc);
		ok(toc.nr_tracks == 3 && toc.tracks[0].start == 0 && toc.tracks[1].start == 35 &&
		   toc.tracks[2].start == 50 && toc.leadout == 60,
		   "its TOC: tracks at 0, 35 (after a stored pregap), 50 (after one not stored), lead-out 60");
		ok(disc.sessions[0].tracks[1].mode == VCDROM_TRACK_AUDIO &&
		   disc.sessions[0].tracks[2].mode == VCDROM_TRACK_MODE2_XA,
		   "audio, then CD-ROM XA");
	} else {
		printf("# %s: %s\n", ld.object, ld.reason);
	}
	vcd_disc_free(&disc);
	vcd_chd_close(chd);
}

/*
 * PREGAP 00:02:00 before track 1: chdman writes PREGAP:150, not stored; it
 * is a pregap like any other (index 1 at LBA 150, as the cue sheet loads),
 * not the lead-in.
 */
static void test_first_pregap(void)
{
	struct vcd_expand x = { 0 };
	struct vcd_load ld = { .expand = &x };
	struct vcd_disc disc;
	struct vcd_toc toc;

	write_text("pg.cue", "FILE \"a.bin\" BINARY\n  TRACK 01 AUDIO\n    PREGAP 00:02:00\n"
		   "    INDEX 01 00:00:00\n");
	if (!ok(run("timeout 60 chdman createcd -i pg.cue -o pg.chd -hs 2448"),
		"chdman createcd: PREGAP 00:02:00 before track 1"))
		return;
	vcd_disc_init(&disc);
	if (ok(!vcd_load_image(tmp_path("pg.chd"), &disc, &ld), "pg.chd loads")) {
		vcd_disc_toc(&disc, &toc);
		if (!ok(toc.nr_tracks == 1 && toc.tracks[0].start == 150 && toc.leadout == 167,
			"pg.chd: track 1 at 150 after its pregap, lead-out 167, as pg.cue"))
			printf("# track 1 at %u, lead-out %u\n", toc.tracks[0].start, toc.leadout);
	} else {
		printf("# %s: %s\n", ld.object, ld.reason);
	}
	vcd_expand_free(&x);
	vcd_disc_free(&disc);
}

/* A track with its raw P-W sub-channel (RW_RAW), from a cdrdao TOC. */
static void test_sub(void)
{
	size_t len = 0;
	uint8_t *d1 = slurp("d1.bin", &len), *p;
	struct vcd_load ld = { 0 };
	struct vcd_chd *chd;
	int fd;

	p = malloc(30 * VCD_CHD_FRAME);
	if (!d1 || !p || len < 30 * VCD_CHD_SECTOR)
		die("d1.bin");
	for (int f = 0; f < 30; f++) {
		memcpy(p + f * VCD_CHD_FRAME, d1 + f * VCD_CHD_SECTOR, VCD_CHD_SECTOR);
		for (int i = 0; i < VCD_CHD_SUB; i++)
			p[f * VCD_CHD_FRAME + VCD_CHD_SECTOR + i] = random();
	}
	write_file("sub.bin", p, 30 * VCD_CHD_FRAME);
	free(p);
	free(d1);
	/* chdman 0.251 spins forever on a DATAFILE without its length: the length, a timeout */
	write_text("sub.toc", "CD_ROM\n\nTRACK MODE1_RAW RW_RAW\nDATAFILE \"sub.bin\" 00:00:30\n");
	if (!ok(run("timeout 60 chdman createcd -i sub.toc -o sub.chd -hs 9792 -c cdlz,cdzl"),
		"chdman createcd: a track with RW_RAW sub-channel"))
		return;
	chd = open_chd("sub.chd", NULL, &ld);
	if (!ok(chd && vcd_chd_info(chd)->tracks[0].subsize == VCD_CHD_SUB, "sub.chd: RW_RAW"))
		printf("# %s: %s\n", ld.object, ld.reason);
	if (ok(extract("sub.chd", NULL, "sub.out"), "sub.chd extracts"))
		ok(same_files("sub.out", "sub.bin"), "sub.chd: 2448-byte frames, sectors and P-W");
	fd = chd ? open(tmp_path("sub.out"), O_RDONLY | O_CLOEXEC) : -1;
	if (fd >= 0) {
		struct vcd_disc disc;
		const struct vcd_extent *e;

		vcd_disc_init(&disc);
		ok(!vcd_chd_fill_disc(vcd_chd_info(chd), fd, "sub.out", 30 * VCD_CHD_FRAME, &disc,
				      &ld) &&
		   (e = disc.sessions[0].tracks[0].extents) && e->format == VCDROM_SECTOR_RAW_PW &&
		   e->sub_format == VCDROM_SUB_PW && e->length == 30,
		   "sub.chd's disc: 30 sectors of RAW_PW, raw P-W");
		vcd_disc_free(&disc);
	}
	vcd_chd_close(chd);
	if (run("timeout 60 chdman extractcd -i sub.chd -o ext.toc -ob ext.bin -f"))
		ok(same_files("sub.out", "ext.bin"), "sub.chd: chdman extractcd's BIN (TOC)");
	else
		skip("chdman extractcd fails on it", "sub.chd: chdman extractcd's BIN (TOC)");
}

/* A "CD" of one MODE1 track longer than a CD (chdman createcd of a DVD image) makes a DVD. */
static void test_cd_as_dvd(void)
{
	static struct vcd_chd_info in;
	struct vcd_load ld = { 0 };
	struct vcd_disc disc;
	const uint64_t size = 500000ull * 2048;
	int fd;

	in.kind = VCD_CHD_CD;
	in.nr_tracks = 1;
	in.tracks[0] = (struct vcd_chd_track){
		.number = 1, .type = "MODE1", .subtype = "NONE", .mode = VCDROM_TRACK_MODE1,
		.datasize = 2048, .format = VCDROM_SECTOR_COOKED_2048, .frames = 500000,
	};
	in.out_bytes = size;
	make_file("big.iso", size, NULL, 0);
	fd = open(tmp_path("big.iso"), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("big.iso");
	vcd_disc_init(&disc);
	if (!ok(!vcd_chd_fill_disc(&in, fd, "big.iso", size, &disc, &ld) &&
		disc.medium == VCDROM_MEDIUM_DVD &&
		disc.sessions[0].tracks[0].extents[0].length == 500000,
		"a CD CHD of one MODE1 track of 500000 sectors makes a DVD"))
		printf("# %s: %s\n", ld.object, ld.reason);
	vcd_disc_free(&disc);
}

/* ---- raw CHDs and a DVD ---- */

static void test_raw(const char *codec)
{
	char name[64], out[80];
	struct vcd_load ld = { 0 };
	struct vcd_chd *chd;

	snprintf(name, sizeof(name), "raw-%s.chd", codec);
	if (!ok(run("chdman createraw -i data.iso -o '%s' -hs 4096 -us 2048 -c %s", name, codec),
		"chdman createraw -c %s", codec))
		return;
	chd = open_chd(name, NULL, &ld);
	if (!ok(chd, "%s opens", name)) {
		printf("# %s: %s\n", ld.object, ld.reason);
		return;
	}
	if (strcmp(codec, "none"))
		ok(vcd_chd_info(chd)->hunks_by[0] + vcd_chd_info(chd)->hunks_by[1] +
		   vcd_chd_info(chd)->hunks_by[2] + vcd_chd_info(chd)->hunks_by[3] > 0,
		   "%s: hunks compressed with %s", name, codec);
	vcd_chd_close(chd);
	snprintf(out, sizeof(out), "%s.out", name);
	if (ok(extract(name, NULL, out), "%s extracts", name))
		ok(same_files(out, "data.iso"), "%s: the data", name);
	if (run("chdman extractraw -i '%s' -o x.raw -f", name))
		ok(same_files(out, "x.raw"), "%s: chdman extractraw's", name);
	else
		skip("chdman extractraw fails on it", "%s: chdman extractraw's", name);
}

static void test_dvd(void)
{
	struct vcd_load ld = { 0 };
	struct vcd_chd *chd;

	/* addmeta writes only to an uncompressed CHD; copy keeps the metadata */
	if (!ok(run("chdman createraw -i data.iso -o dvd0.chd -hs 4096 -us 2048 -c none && "
		    "chdman addmeta -i dvd0.chd --tag 'DVD ' --valuetext '' && "
		    "chdman copy -i dvd0.chd -o dvd.chd -c zlib,lzma"),
		"a DVD CHD (createraw, addmeta, copy: this chdman has no createdvd)"))
		return;
	chd = open_chd("dvd.chd", NULL, &ld);
	if (!ok(chd && vcd_chd_info(chd)->kind == VCD_CHD_DVD, "dvd.chd is a DVD"))
		printf("# %s: %s\n", ld.object, ld.reason);
	vcd_chd_close(chd);
	if (ok(extract("dvd.chd", NULL, "dvd.iso"), "dvd.chd extracts"))
		ok(same_files("dvd.iso", "data.iso"), "dvd.chd: its sectors");
}

/* ---- parent and child ---- */

static void test_parent(void)
{
	if (!run("mkdir -p kid && cp cd.cue a.bin x.bin kid/ && "
		 "head -c 20480 d1.bin > kid/d1.bin && head -c 2048 /dev/urandom >> kid/d1.bin && "
		 "tail -c +22529 d1.bin >> kid/d1.bin && cat kid/d1.bin a.bin x.bin > kid.want"))
		die("the child's files");
	if (!ok(run("chdman createcd -i cd.cue -o mom.chd -hs 9792 -c cdlz,cdzl,cdfl && "
		    "chdman createcd -i kid/cd.cue -o kid/kid.chd -hs 9792 -op mom.chd "
		    "-c cdlz,cdzl,cdfl"),
		"chdman createcd --outputparent"))
		return;
	expect_refusal("kid/kid.chd", NULL, "needs its parent CHD, with SHA-1",
		       "a child without its parent");
	expect_refusal("kid/kid.chd", "raw-zlib.chd", "needs a parent CHD with SHA-1",
		       "a child with the wrong parent");
	if (ok(extract("kid/kid.chd", "mom.chd", "kid.out"), "the child extracts with --parent"))
		ok(same_files("kid.out", "kid.want"), "the child's bytes");
	run("mv mom.chd kid/");
	if (ok(extract("kid/kid.chd", NULL, "kid.out"), "the child extracts, its parent beside it"))
		ok(same_files("kid.out", "kid.want"), "the child's bytes");
}

/*
 * Load @name through the CHD loader into a fresh cache, @parents (of
 * tap_dir) as --parent: 0 with the cache entry's path in @cached, or
 * -errno with the reason in @ld.
 */
static int load_given(const char *name, const char *const *parents, unsigned int n,
		      struct vcd_load *ld, char *cached, size_t size)
{
	static struct vcd_expand x;
	char paths[4][PATH_MAX];
	const char *list[4];
	struct vcd_disc disc;
	int ret;

	if (!run("rm -rf pcache"))
		die("pcache");
	for (unsigned int i = 0; i < n && i < ARRAY_SIZE(list); i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s", tmp_path(parents[i]));
		list[i] = paths[i];
	}
	memset(&x, 0, sizeof(x));
	x.cache_dir = tmp_path("pcache");
	memset(ld, 0, sizeof(*ld));
	ld->expand = &x;
	ld->chd_parents = list;
	ld->nr_chd_parents = n;
	vcd_disc_init(&disc);
	ret = vcd_load_image(tmp_path(name), &disc, ld);
	if (!ret && x.nr_done == 1 && x.done[0].cached)
		snprintf(cached, size, "%s", x.done[0].cached);
	else if (!ret)
		ret = -EIO;
	/* a refusal leaves nothing in the cache */
	if (ret && x.nr_done)
		ret = 0;
	vcd_expand_free(&x);
	vcd_disc_free(&disc);
	return ret;
}

/* The child's parent moved away: found only through --parent, checked against chdman. */
static void test_parent_given(void)
{
	static const char *const mom[] = { "away/mom.chd" }, *const wrong[] = { "raw-zlib.chd" };
	static const char *const junk[] = { "d1.bin" }, *const both[] = { "away/mom.chd",
									   "kid/kid.chd" };
	struct vcd_load ld;
	char cached[PATH_MAX], want[64];
	struct vcd_chd *chd;
	int ret;

	if (!ok(run("mkdir -p away gk && mv kid/mom.chd away/ && "
		    "chdman extractcd -i kid/kid.chd -ip away/mom.chd -o kidx.cue -f && "
		    "chdman extractcd -i away/mom.chd -o momx.cue -f && "
		    "chdman createcd -i cd.cue -o gk/gk.chd -hs 9792 -op kid/kid.chd -f"),
		"the parent away from its child; chdman extractcd -ip; a grandchild"))
		return;
	chd = open_chd("away/mom.chd", NULL, &ld);
	if (!chd)
		die("away/mom.chd");
	snprintf(want, sizeof(want), "SHA-1 ");
	for (unsigned int i = 0; i < 20; i++)
		sprintf(want + 6 + 2 * i, "%02x", vcd_chd_info(chd)->sha1[i]);
	vcd_chd_close(chd);

	ret = load_given("kid/kid.chd", NULL, 0, &ld, cached, sizeof(cached));
	if (!ok(ret == -ENOENT && strstr(ld.reason, want) && strstr(ld.object, "kid.chd"),
		"no --parent, none beside: refused, naming the parent's %s", want))
		printf("# %d %s: %s\n", ret, ld.object, ld.reason);
	ret = load_given("kid/kid.chd", mom, 1, &ld, cached, sizeof(cached));
	if (ok(!ret, "--parent away/mom.chd: the child loads"))
		ok(run("cmp '%s' kidx.bin", cached), "its expansion is chdman extractcd's BIN");
	else
		printf("# %s: %s\n", ld.object, ld.reason);
	ret = load_given("kid/kid.chd", wrong, 1, &ld, cached, sizeof(cached));
	if (!ok(ret == -EINVAL && strstr(ld.object, "kid.chd") && strstr(ld.reason, want) &&
		strstr(ld.reason, "raw-zlib.chd has"),
		"--parent of another CHD: refused, naming both and the SHA-1s, nothing cached"))
		printf("# %d %s: %s\n", ret, ld.object, ld.reason);
	ret = load_given("kid/kid.chd", junk, 1, &ld, cached, sizeof(cached));
	if (!ok(ret == -EINVAL && strstr(ld.object, "d1.bin") &&
		strstr(ld.reason, "is not a CHD"), "--parent of no CHD: refused"))
		printf("# %d %s: %s\n", ret, ld.object, ld.reason);
	/* gk/gk.chd needs kid/kid.chd, which needs away/mom.chd */
	ret = load_given("gk/gk.chd", mom, 1, &ld, cached, sizeof(cached));
	if (!ok(ret == -EINVAL && strstr(ld.object, "gk.chd"),
		"a grandchild given only its grandparent: refused"))
		printf("# %d %s: %s\n", ret, ld.object, ld.reason);
	ret = load_given("gk/gk.chd", both, 2, &ld, cached, sizeof(cached));
	if (ok(!ret, "a grandchild, --parent twice: loads"))
		ok(run("cmp '%s' momx.bin", cached), "its expansion is chdman extractcd's BIN");
	else
		printf("# %s: %s\n", ld.object, ld.reason);
}

/* ---- codecs this chdman cannot write: zstd, cdzs; the ECC made again ---- */

static void test_zstd(void)
{
	enum { FRAMES = 4, HUNK = FRAMES * VCD_CHD_FRAME };
	static uint8_t raw[HUNK], base[FRAMES * VCD_CHD_SECTOR], sub[FRAMES * VCD_CHD_SUB];
	static uint8_t comp[2 * HUNK], out[HUNK];
	size_t n, nb, ns, len = 0;
	uint8_t *d1 = slurp("d1.bin", &len), *x = NULL;
	const char *why;

	x = slurp("x.bin", &n);
	if (!d1 || !x || len < 2 * VCD_CHD_SECTOR || n < VCD_CHD_SECTOR)
		die("d1.bin, x.bin");
	for (size_t i = 0; i < sizeof(raw); i++)
		raw[i] = random() % 8;
	n = ZSTD_compress(comp, sizeof(comp), raw, sizeof(raw), 3);
	if (ZSTD_isError(n))
		die("ZSTD_compress");
	why = chd_codec_decompress(CHD_CODEC('z', 's', 't', 'd'), comp, n, out, sizeof(out));
	ok(!why && !memcmp(out, raw, sizeof(raw)), "zstd: a hunk (%s)", why ? why : "no error");

	/* frames 0 and 1 mode 1, frame 2 mode 2 form 1 (data as chdman leaves it), 3 audio */
	memcpy(raw, d1, VCD_CHD_SECTOR);
	memcpy(raw + VCD_CHD_FRAME, d1 + VCD_CHD_SECTOR, VCD_CHD_SECTOR);
	memcpy(raw + 2 * VCD_CHD_FRAME, x, VCD_CHD_SECTOR);
	for (int f = 0; f < FRAMES; f++) {
		memcpy(base + f * VCD_CHD_SECTOR, raw + f * VCD_CHD_FRAME, VCD_CHD_SECTOR);
		memcpy(sub + f * VCD_CHD_SUB, raw + f * VCD_CHD_FRAME + VCD_CHD_SECTOR,
		       VCD_CHD_SUB);
		if (f < 3) {
			/* stripped: sync and P/Q parity zeros, the frame's bit set */
			memset(base + f * VCD_CHD_SECTOR, 0, 12);
			memset(base + f * VCD_CHD_SECTOR + 2076, 0, VCD_CHD_SECTOR - 2076);
		}
	}
	comp[0] = 0x07;
	nb = ZSTD_compress(comp + 3, sizeof(comp) - 3, base, sizeof(base), 3);
	if (ZSTD_isError(nb))
		die("ZSTD_compress");
	comp[1] = nb >> 8;
	comp[2] = nb;
	ns = ZSTD_compress(comp + 3 + nb, sizeof(comp) - 3 - nb, sub, sizeof(sub), 3);
	if (ZSTD_isError(ns))
		die("ZSTD_compress");
	why = chd_codec_decompress(CHD_CODEC('c', 'd', 'z', 's'), comp, 3 + nb + ns, out,
				   sizeof(out));
	ok(!why && !memcmp(out, raw, sizeof(raw)),
	   "cdzs: a hunk, sync and ECC made again for mode 1 and mode 2 form 1 (%s)",
	   why ? why : "no error");
	free(d1);
	free(x);
}

/* ---- bad CHDs ---- */

static void patch(const char *name, off_t off, const void *bytes, size_t n)
{
	int fd = open(tmp_path(name), O_WRONLY | O_CLOEXEC);

	if (fd < 0 || pwrite(fd, bytes, n, off) != (ssize_t)n)
		die(name);
	close(fd);
}

static void test_bad(void)
{
	uint8_t b;
	size_t len = 0;
	uint8_t *p;

	/* random data: chdman stores every hunk as it is, with its CRC */
	random_file("rand.iso", 16 * 4096, 256);
	if (!run("chdman createraw -i rand.iso -o bad.chd -hs 4096 -us 2048 -c zlib && "
		 "cp bad.chd crc.chd && cp bad.chd sha.chd && cp bad.chd map.chd && "
		 "head -c 20000 bad.chd > short.chd && cp cd-none.chd map-raw.chd"))
		die("the bad CHDs");
	expect_refusal("short.chd", NULL, "truncated", "a truncated CHD");
	p = slurp("crc.chd", &len);
	if (!p)
		die("crc.chd");
	b = p[124 + 4096 + 100] ^ 0x40;	/* hunk 1: after the header and hunk 0 */
	free(p);
	patch("crc.chd", 124 + 4096 + 100, &b, 1);
	expect_refusal("crc.chd", NULL, "CRC mismatch", "a flipped byte in a hunk");
	expect_refusal("crc.chd", NULL, "hunk 1", "a flipped byte in a hunk, by its number");
	/*
	 * The data's SHA-1 changed, and the header's SHA-1 (of it and the
	 * metadata: here none) made to agree: the data must be found wrong.
	 */
	{
		uint8_t h[20], sha1[20];
		struct chd_sha1 sha;

		p = slurp("sha.chd", &len);
		if (!p)
			die("sha.chd");
		memcpy(h, p + 64, 20);
		free(p);
		h[0] ^= 0xff;
		chd_sha1_init(&sha);
		chd_sha1_update(&sha, h, 20);
		chd_sha1_final(&sha, sha1);
		patch("sha.chd", 64, h, 20);
		patch("sha.chd", 84, sha1, 20);
	}
	expect_refusal("sha.chd", NULL, "SHA-1 mismatch: the data's", "a wrong data SHA-1");
	/* a track's metadata changed: the header's SHA-1 covers it */
	p = slurp("cd-cdzl.chd", &len);
	if (!p)
		die("cd-cdzl.chd");
	{
		uint8_t *at = memmem(p, len, "FRAMES:30", 9);

		if (!at)
			die("FRAMES:30 in cd-cdzl.chd");
		write_file("meta.chd", p, len);
		patch("meta.chd", at - p + 8, "2", 1);
	}
	free(p);
	expect_refusal("meta.chd", NULL, "SHA-1 mismatch: the header's of data and metadata",
		       "a track's metadata changed");
	/* the map's first hunk offset, 48 bits at the map's byte 4, past the end */
	p = slurp("map.chd", &len);
	if (!p)
		die("map.chd");
	{
		uint64_t mo = 0;

		for (int i = 0; i < 8; i++)
			mo = mo << 8 | p[40 + i];
		patch("map.chd", mo + 4, "\x00\x00\x7f\x00\x00\x00", 6);
	}
	free(p);
	expect_refusal("map.chd", NULL, "map points past the end of the file", "a map past the end");
	/* an uncompressed CHD's map: hunk 2's offset far out */
	p = slurp("map-raw.chd", &len);
	if (!p)
		die("map-raw.chd");
	{
		uint64_t mo = 0;

		for (int i = 0; i < 8; i++)
			mo = mo << 8 | p[40 + i];
		patch("map-raw.chd", mo + 8, "\x7f\x00\x00\x00", 4);
	}
	free(p);
	expect_refusal("map-raw.chd", NULL, "map points past the end of the file",
		       "an uncompressed CHD's map past the end");
	write_file("v4.chd", "MComprHD\0\0\0\x6c\0\0\0\x04", 16);
	expect_refusal("v4.chd", NULL, "CHD version 4", "a v4 CHD");
	/* a GD-ROM, from a .gdi */
	write_text("g.gdi", "2\n1 0 4 2352 d1.bin 0\n2 600 0 2352 a.bin 0\n");
	if (ok(run("chdman createcd -i g.gdi -o gd.chd -hs 2448 -c none"), "a GD-ROM CHD"))
		expect_refusal("gd.chd", NULL, "is a GD-ROM CHD", "a GD-ROM CHD");
}

/*
 * vcd_load_image() of a CHD, as vcdromctl insert loads one: refused without
 * an expansion, else extracted into the cache (then found there) or a
 * memfd, and the same TOC as its cue sheet's.
 */
static void test_load(void)
{
	struct vcd_expand x = { .cache_dir = tmp_path("cache") };
	struct vcd_load ld = { 0 };
	struct vcd_disc disc, cue;
	struct vcd_toc want, got;
	unsigned int pass;

	vcd_disc_init(&cue);
	if (!ok(!vcd_load_image(tmp_path("cd.cue"), &cue, &ld), "the cue sheet loads"))
		return;
	ok(!ld.lacks, "a cue sheet lacks nothing said");
	vcd_disc_toc(&cue, &want);
	vcd_disc_free(&cue);
	vcd_disc_init(&disc);
	ok(vcd_load_image(tmp_path("cd-cdlz,cdzl,cdfl.chd"), &disc, &ld) == -EOPNOTSUPP &&
	   strstr(ld.reason, "chdman extractcd"), "without an expansion: refused, with chdman's command");
	for (pass = 0; pass < 3; pass++) {
		/* the cache, the cache again (a hit), a memfd */
		memset(&ld, 0, sizeof(ld));
		ld.expand = &x;
		if (pass == 2)
			x.cache_dir = NULL;
		vcd_disc_init(&disc);
		if (!ok(!vcd_load_image(tmp_path("cd-cdlz,cdzl,cdfl.chd"), &disc, &ld),
			"load %u of the CHD", pass)) {
			printf("# %s: %s\n", ld.object, ld.reason);
			continue;
		}
		vcd_disc_toc(&disc, &got);
		ok(got.nr_tracks == want.nr_tracks && got.leadout == want.leadout &&
		   !memcmp(got.tracks, want.tracks, want.nr_tracks * sizeof(want.tracks[0])),
		   "load %u: the cue sheet's TOC", pass);
		ok(!strcmp(ld.format, "CHD image"), "load %u: format %s", pass, ld.format);
		ok(ld.lacks && strstr(ld.lacks, "a CHD stores no MCN"), "load %u: what a CHD lacks",
		   pass);
		ok(x.nr_done == 1 && x.done[0].hit == (pass == 1) &&
		   !x.done[0].cached == (pass == 2), "load %u: %s", pass,
		   pass == 0 ? "extracted into the cache" : pass == 1 ? "found in the cache" :
		   "extracted into memory");
		vcd_expand_free(&x);
		vcd_disc_free(&disc);
	}
}

int main(int argc, char **argv)
{
	static const char *const cd_codecs[] = { "cdlz,cdzl,cdfl", "cdzl", "cdlz", "cdfl", "none" };
	static const char *const raw_codecs[] = { "zlib", "lzma", "huff", "flac", "none",
						  "zlib,lzma,huff,flac" };

	tap_begin("chd");
	if (argc != 2 || !run("command -v chdman")) {
		skip("no chdman (mame-tools)", "the CHD tests");
		return tap_end();
	}
	cdsector = realpath(argv[1], NULL);
	if (!cdsector)
		die(argv[1]);
	srandom(17);
	make_cd();
	for (size_t i = 0; i < ARRAY_SIZE(cd_codecs); i++)
		test_cd(cd_codecs[i], NULL);
	/* 30 frames a hunk: over 64 KiB, the sectors' length in 3 bytes; 30 hunks */
	random_file("big.in", 900 * 2048, 16);
	if (!run("'%s' encode --mode 1 big.in big.bin", cdsector))
		die("cdsector encode");
	write_text("big.cue", "FILE \"big.bin\" BINARY\n  TRACK 01 MODE1/2352\n    INDEX 01 00:00:00\n");
	test_cd("cdlz,cdzl", "73440");
	test_cd_disc();
	test_load();
	test_first_pregap();
	test_zstd();
	test_sub();
	test_cd_as_dvd();
	/* compressible data: bytes of 16 values, runs of zeros */
	random_file("data.iso", 40 * 2048, 16);
	if (!run("head -c 32768 /dev/zero >> data.iso"))
		die("data.iso");
	for (size_t i = 0; i < ARRAY_SIZE(raw_codecs); i++)
		test_raw(raw_codecs[i]);
	test_dvd();
	test_parent();
	test_parent_given();
	test_bad();
	return tap_end();
}
