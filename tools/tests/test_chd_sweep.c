// SPDX-License-Identifier: GPL-2.0
/*
 * The CHD oracle over every cue sheet and cdrdao TOC at hand: for each
 * sheet we load, "chdman createcd" makes a CHD of it, and the CHD loaded as
 * vcdromctl insert loads one (extracted into a memfd) must be the sheet's
 * disc: the same tracks (number, mode, index 1, pregap, length) and
 * lead-out, and every sector of every track the same main-channel bytes,
 * read through each layout's extents as the drive serves them (big-endian
 * audio swapped, unstored sectors zeros; of a data sector stored without
 * its header, its user data). A CHD cannot store the MCN, ISRCs, CD-TEXT,
 * track flags, indexes past 1 or sessions: those are not compared, and of
 * a source of several sessions only the track list and each track's
 * sectors from its index 1.
 *
 * The sheets: the corpora (libcdio's, cdrdao's and whipper's, under
 * ../../shared/corpora or VCDROM_CORPORA), and those test_cue and test_toc
 * load, which they keep where VCDROM_KEEP_SHEETS says (each sheet with the
 * files beside it). A bad-* sheet must be refused by us: no CHD of it. A
 * sheet we do not load (whipper's name audio files that are not there) is
 * skipped with our reason, one chdman refuses with its first line.
 *
 * It found our CHD loader taking a PREGAP:150 not stored before track 1
 * for the lead-in: chdman writes it for a cue sheet's PREGAP 00:02:00, a
 * pregap as any other (test_cue's gaps.cue; test_chd checks it too).
 *
 * chdman 0.251's quirks met here:
 * - it spins forever, printing "-nan% complete", on a TOC it finds no
 *   frames in: SILENCE, ZERO, or a DATAFILE or FILE without its length
 *   (cdrdao's test TOCs, libcdio's cdtext.toc and t1.toc). It is stopped
 *   when it says so (and after 60 s in any case).
 * - with few hunks, it writes a map it cannot read back ("Decompression
 *   error"): hunks of 4 frames, else of 1 (libcdio's cdda.toc).
 * - a FILE name in a cue sheet must be the file's, case and all: the sheet
 *   is given to it in a folder where the names it gives lead to the files
 *   our loader finds (libcdio's cdda.cue names CDDA.BIN, p1.cue BOING.BIN).
 * - it refuses a cue sheet whose first track is not 1 ("Invalid data"),
 *   WAVE files ("Invalid data"), and a FILE reaching past its file's end
 *   ("Error reading input file").
 * - two sheets it makes another disc of, not compared (quirks[] below):
 *   track 1's INDEX 01 00:00:30 without INDEX 00 moved to the file's start
 *   (the 30 sectors before become the track's own, no pregap); a TOC's
 *   DATAFILE length 00:00:00 (to the file's end) made a track of 0 frames.
 * - discs over 20000 sectors are left out: chdman takes too long on them.
 *
 *   test_chd_sweep TEST_CUE TEST_TOC
 *
 * Skipped without chdman; the corpora skipped without them. Prints TAP;
 * exits 1 if anything failed.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "expand/expand.h"
#include "libvcdrom.h"
#include "loaders.h"
#include "tap.h"

#define RAW	2352
#define BIG	20000		/* sectors: a bigger disc is left out */

/* The first line of chdman's stderr that is no progress; "" when none. */
static void first_line(const char *path, char *buf, size_t size)
{
	static char text[16384];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
	char *p, *save = NULL;

	buf[0] = '\0';
	if (f)
		fclose(f);
	text[n] = '\0';
	/* progress is rewritten in place, after a '\r' */
	for (p = strtok_r(text, "\r\n", &save); p; p = strtok_r(NULL, "\r\n", &save)) {
		while (*p == ' ')
			p++;
		for (char *e = p + strlen(p); e > p && e[-1] == ' '; )
			*--e = '\0';
		if (*p && strncmp(p, "Compressing", 11)) {
			snprintf(buf, size, "%s", p);
			return;
		}
	}
}

/*
 * chdman createcd of @sheet into @chd, hunks of @hunk bytes: 0, else with
 * its reason in @why. Stopped when its progress shows it spinning, and
 * after 60 s.
 */
static int createcd_hs(const char *sheet, const char *chd, unsigned int hunk, char *why,
		       size_t size)
{
	char cmd[8 * PATH_MAX], err[PATH_MAX + 64];
	int ret;

	snprintf(err, sizeof(err), "%s.err", chd);
	snprintf(cmd, sizeof(cmd),
		 "(timeout 60 chdman createcd -i '%s' -o '%s' -hs %u -f >/dev/null 2>'%s' & "
		 "p=$!; while kill -0 $p; do "
		 "if grep -qs -- '-nan%%' '%s'; then kill $p; wait $p; exit 3; fi; sleep 0.02; "
		 "done; wait $p) 2>/dev/null", sheet, chd, hunk, err, err);
	ret = system(cmd);
	ret = WIFEXITED(ret) ? WEXITSTATUS(ret) : 1;
	if (ret == 3)
		snprintf(why, size, "chdman spins (\"-nan%% complete\"): it counts no frames");
	else if (ret == 124)
		snprintf(why, size, "chdman: no end after 60 s");
	else if (ret)
		first_line(err, why, size);
	if (ret && !why[0])
		snprintf(why, size, "chdman exits %d", ret);
	unlink(err);
	return ret;
}

/*
 * A CHD of @sheet that chdman reads back: hunks of 4 frames, else of 1
 * (with few hunks, chdman 0.251 writes a map it cannot read itself).
 */
static int createcd(const char *sheet, const char *chd, char *why, size_t size)
{
	static const unsigned int hunks[] = { 4 * 2448, 2448 };
	char cmd[2 * PATH_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(hunks); i++) {
		if (createcd_hs(sheet, chd, hunks[i], why, size))
			return -1;
		snprintf(cmd, sizeof(cmd), "timeout 60 chdman info -i '%s' >/dev/null 2>&1", chd);
		if (!system(cmd))
			return 0;
	}
	snprintf(why, size, "chdman cannot read back the CHD it wrote (\"Decompression error\")");
	return -1;
}

/*
 * @dir as a folder of links for chdman: every file of @src's, and each
 * FILE or DATAFILE name of @sheet found there only without its case.
 */
static void link_folder(const char *folder, const char *sheet, const char *dir)
{
	char src[PATH_MAX], path[2 * PATH_MAX], from[2 * PATH_MAX], to[2 * PATH_MAX], line[1024];
	struct dirent *de;
	DIR *d;
	FILE *f;

	if (!realpath(folder, src))
		die(folder);
	if (mkdir(dir, 0755) && errno != EEXIST)
		die(dir);
	d = opendir(src);
	if (!d)
		die(src);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(from, sizeof(from), "%s/%s", src, de->d_name);
		snprintf(to, sizeof(to), "%s/%s", dir, de->d_name);
		if (symlink(from, to) && errno != EEXIST)
			die(to);
	}
	snprintf(path, sizeof(path), "%s/%s", src, sheet);
	f = fopen(path, "r");
	if (!f)
		die(path);
	while (fgets(line, sizeof(line), f)) {
		char *a = strchr(line, '"'), *b = a ? strchr(a + 1, '"') : NULL;

		if (!b || (!strstr(line, "FILE") && !strstr(line, "DATAFILE")))
			continue;
		*b = '\0';
		snprintf(to, sizeof(to), "%s/%s", dir, a + 1);
		if (strchr(a + 1, '/') || !access(to, F_OK))
			continue;
		rewinddir(d);
		while ((de = readdir(d)))
			if (!strcasecmp(de->d_name, a + 1))
				break;
		/* else the file named as the sheet, with the FILE's extension */
		if (de)
			snprintf(from, sizeof(from), "%s/%s", src, de->d_name);
		else if (strrchr(a + 1, '.') && strrchr(sheet, '.'))
			snprintf(from, sizeof(from), "%s/%.*s%s", src,
				 (int)(strrchr(sheet, '.') - sheet), sheet, strrchr(a + 1, '.'));
		else
			continue;
		for (char *c = strrchr(from, '/') + 1; !de && *c; c++)
			*c = tolower(*c);
		if (!access(from, R_OK) && symlink(from, to))
			die(to);
	}
	fclose(f);
	closedir(d);
}

/* The extent of @t that holds @lba, or NULL. */
static const struct vcd_extent *extent_at(const struct vcd_track *t, uint32_t lba)
{
	for (unsigned int i = 0; i < t->nr_extents; i++)
		if (lba >= t->extents[i].start && lba - t->extents[i].start < t->extents[i].length)
			return &t->extents[i];
	return NULL;
}

/*
 * The 2352 bytes the drive serves for @lba of @t, in @buf, those known from
 * [@from, @to): all of an audio sector or a raw one; of a data sector whose
 * header the drive makes up, its user data. False when unreadable.
 */
static bool served(const struct vcd_disc *d, const struct vcd_track *t, uint32_t lba,
		   uint8_t *buf, unsigned int *from, unsigned int *to)
{
	const struct vcd_extent *e = extent_at(t, lba);
	bool xa = t->mode == VCDROM_TRACK_MODE2_XA;
	unsigned int size = RAW, off = 0;
	uint64_t at;

	if (!e)
		return false;
	memset(buf, 0, RAW);
	*from = 0;
	*to = RAW;
	switch (e->format) {
	case VCDROM_SECTOR_ZERO:
		if (t->mode == VCDROM_TRACK_AUDIO)
			return true;
		*from = t->mode == VCDROM_TRACK_MODE2 ? 16 : xa ? 24 : 16;
		*to = t->mode == VCDROM_TRACK_MODE2 ? RAW : *from + 2048;
		return true;
	case VCDROM_SECTOR_RAW:
	case VCDROM_SECTOR_RAW_SWAPPED:
		break;
	case VCDROM_SECTOR_RAW_PW:
		size = RAW + 96;
		break;
	case VCDROM_SECTOR_COOKED_2048:
		off = xa ? 24 : 16;
		size = 2048;
		break;
	case VCDROM_SECTOR_MODE2:
		off = 16;
		size = RAW - 16;
		break;
	case VCDROM_SECTOR_COOKED_2324:
		off = 24;
		size = 2324;
		break;
	default:
		return false;
	}
	*from = off;
	*to = off + (size > RAW ? RAW : size);
	at = e->offset + (uint64_t)(lba - e->start) * size;
	if (e->file >= d->nr_files ||
	    pread(d->files[e->file].fd, buf + off, *to - off, at) != (ssize_t)(*to - off))
		return false;
	for (unsigned int j = 0; e->format == VCDROM_SECTOR_RAW_SWAPPED && j < RAW; j += 2) {
		uint8_t b = buf[j];

		buf[j] = buf[j + 1];
		buf[j + 1] = b;
	}
	return true;
}

static uint32_t first_lba(const struct vcd_track *t)
{
	return t->nr_extents ? t->extents[0].start : t->start;
}

static uint32_t end_lba(const struct vcd_track *t)
{
	const struct vcd_extent *e = t->nr_extents ? &t->extents[t->nr_extents - 1] : NULL;

	return e ? e->start + e->length : t->start;
}

/* Every track of @d, its sessions one after the other; their number. */
static unsigned int tracks(const struct vcd_disc *d, const struct vcd_track **out)
{
	unsigned int n = 0;

	for (unsigned int s = 0; s < d->nr_sessions; s++)
		for (unsigned int t = 0; t < d->sessions[s].nr_tracks && n < VCDROM_MAX_TRACKS; t++)
			out[n++] = &d->sessions[s].tracks[t];
	return n;
}

/* @b (the CHD's disc) against @a (the sheet's), as the header says. */
static void compare(const char *what, const struct vcd_disc *a, const struct vcd_disc *b)
{
	static const struct vcd_track *ta[VCDROM_MAX_TRACKS], *tb[VCDROM_MAX_TRACKS];
	static uint8_t sa[RAW], sb[RAW];
	unsigned int na = tracks(a, ta), nb = tracks(b, tb), i, said = 0;
	unsigned int fa, ea, fb, eb, bad = 0, unread = 0, sectors = 0;
	bool one = a->nr_sessions == 1, same = na == nb;
	struct vcd_toc toca, tocb;

	if (!same)
		printf("# %u tracks, the CHD's %u\n", na, nb);
	for (i = 0; i < na && i < nb; i++) {
		const struct vcd_track *x = ta[i], *y = tb[i];
		uint32_t pa = x->start - first_lba(x), pb = y->start - first_lba(y);
		uint32_t la = end_lba(x) - x->start, lb = end_lba(y) - y->start;

		if (x->number != y->number || x->mode != y->mode || (one && x->start != y->start) ||
		    pa != pb || la != lb) {
			printf("# track %u: number %u, mode %u, index 1 at %u, pregap %u, %u long; "
			       "the CHD's: %u, %u, %u, %u, %u\n", i + 1, x->number, x->mode,
			       x->start, pa, la, y->number, y->mode, y->start, pb, lb);
			same = false;
		}
		/* the sectors both have, from each one's pregap to its end */
		for (int64_t k = -(int64_t)(pa < pb ? pa : pb); k < (la < lb ? la : lb); k++) {
			sectors++;
			if (!served(a, x, x->start + k, sa, &fa, &ea) ||
			    !served(b, y, y->start + k, sb, &fb, &eb)) {
				unread++;
				continue;
			}
			fa = fa > fb ? fa : fb;
			ea = ea < eb ? ea : eb;
			if (fa < ea && !memcmp(sa + fa, sb + fa, ea - fa))
				continue;
			if (said++ < 3)
				printf("# track %u: sector %+lld from index 1: bytes %u-%u\n",
				       x->number, (long long)k, fa, ea);
			bad++;
		}
	}
	vcd_disc_toc(a, &toca);
	vcd_disc_toc(b, &tocb);
	if (one && toca.leadout != tocb.leadout) {
		printf("# lead-out %u, the CHD's %u\n", toca.leadout, tocb.leadout);
		same = false;
	}
	ok(same, "%s: the CHD's tracks and lead-out are the sheet's (%u tracks%s)", what, na,
	   one ? "" : ", its sessions made one");
	if (!ok(!bad && !unread && sectors, "%s: its %u sectors serve the same bytes", what,
		sectors))
		printf("# %u differ, %u not readable\n", bad, unread);
}

/* Sheets chdman makes another disc of, what it does: their CHD is not compared. */
static const struct {
	const char *sheet, *why;
} quirks[] = {
	{ "libcdio/data: vcd2.toc", "chdman makes DATAFILE \"../data/cdda.bin\" 00:00:00 (to "
	  "the file's end, for cdrdao and us) a track 1 of 0 frames, which we refuse" },
	{ "test_cue 0004: late.cue", "chdman starts track 1 at its file's start, not at its "
	  "INDEX 01 00:00:30 (no INDEX 00): the sectors before are the track's own" },
};

static unsigned int nr_sheets;

/* Sheet @name of folder @dir, as "@label: @name" in the results. */
static void sweep_sheet(const char *dir, const char *name, const char *label)
{
	struct vcd_expand x = { 0 };
	struct vcd_load ld = { 0 };
	struct vcd_disc src, cd;
	struct vcd_toc toc;
	char path[2 * PATH_MAX + 32], links[PATH_MAX + 32], chd[PATH_MAX + 32], what[2 * PATH_MAX];
	char why[PATH_MAX + 512];
	int ret;

	snprintf(what, sizeof(what), "%s: %s", label, name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	vcd_disc_init(&src);
	ret = vcd_load_image(path, &src, &ld);
	if (!strncmp(name, "bad-", 4)) {
		ok(ret, "%s: refused by us (%s: %s)", what, ld.object, ld.reason);
		skip("a bad sheet: no CHD of it", "%s: CHD", what);
		vcd_disc_free(&src);
		return;
	}
	if (ret) {
		snprintf(why, sizeof(why), "we do not load it: %s: %s", ld.object, ld.reason);
		skip(why, "%s: CHD", what);
		return;
	}
	vcd_disc_toc(&src, &toc);
	if (toc.leadout > BIG) {
		snprintf(why, sizeof(why), "%u sectors: chdman takes too long", toc.leadout);
		skip(why, "%s: CHD", what);
		vcd_disc_free(&src);
		return;
	}
	snprintf(links, sizeof(links), "%s/s%u", tap_dir, nr_sheets);
	snprintf(chd, sizeof(chd), "%s/s%u.chd", tap_dir, nr_sheets++);
	link_folder(dir, name, links);
	snprintf(path, sizeof(path), "%s/%s", links, name);
	if (createcd(path, chd, why, sizeof(why))) {
		skip(why, "%s: CHD", what);
		vcd_disc_free(&src);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(quirks); i++)
		if (!strcmp(what, quirks[i].sheet)) {
			skip(quirks[i].why, "%s: CHD", what);
			goto out;
		}
	/* as vcdromctl insert: expanded, here into a memfd */
	memset(&ld, 0, sizeof(ld));
	ld.expand = &x;
	vcd_disc_init(&cd);
	if (ok(!vcd_load_image(chd, &cd, &ld), "%s: chdman createcd; its CHD loads", what))
		compare(what, &src, &cd);
	else
		printf("# %s: %s\n", ld.object, ld.reason);
	vcd_expand_free(&x);
	vcd_disc_free(&cd);
out:
	vcd_disc_free(&src);
	unlink(chd);
}

static int sheet_filter(const struct dirent *de)
{
	size_t n = strlen(de->d_name);
	const char *ext = n > 4 ? de->d_name + n - 4 : "";

	return !strcmp(ext, ".cue") || !strcmp(ext, ".toc");
}

/* Every cue sheet and TOC of @dir, in name order; false when there is no @dir. */
static bool sweep_dir(const char *dir, const char *label)
{
	struct dirent **names;
	int n = scandir(dir, &names, sheet_filter, alphasort);

	if (n < 0)
		return false;
	for (int i = 0; i < n; i++) {
		sweep_sheet(dir, names[i]->d_name, label);
		free(names[i]);
	}
	free(names);
	return true;
}

/* The sheets a test program loads, kept by it each in a folder of its own. */
static void sweep_kept(const char *prog, const char *name)
{
	char dir[2 * PATH_MAX], cmd[5 * PATH_MAX], label[PATH_MAX];
	struct dirent **names;
	int n;

	snprintf(dir, sizeof(dir), "%s/%s", tap_dir, name);
	snprintf(cmd, sizeof(cmd), "VCDROM_KEEP_SHEETS='%s' '%s' >/dev/null", dir, prog);
	if (!ok(system(cmd) == 0, "%s, its sheets kept", prog))
		return;
	n = scandir(dir, &names, NULL, alphasort);
	if (!ok(n > 2, "%s keeps sheets (%d)", prog, n - 2))
		return;
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			char sub[3 * PATH_MAX], sheet[PATH_MAX];
			FILE *f;

			snprintf(label, sizeof(label), "%s %s", name, names[i]->d_name);
			snprintf(sub, sizeof(sub), "%s/%s/SHEET", dir, names[i]->d_name);
			f = fopen(sub, "r");
			if (!f || !fgets(sheet, sizeof(sheet), f))
				die(sub);
			fclose(f);
			sheet[strcspn(sheet, "\n")] = '\0';
			snprintf(sub, sizeof(sub), "%s/%s", dir, names[i]->d_name);
			sweep_sheet(sub, sheet, label);
		}
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	static const char *const dirs[] = { "libcdio/data", "cdrdao", "whipper" };
	const char *base = getenv("VCDROM_CORPORA") ?: "../../shared/corpora";
	char dir[PATH_MAX];

	if (argc != 3) {
		fprintf(stderr, "usage: test_chd_sweep TEST_CUE TEST_TOC\n");
		return 2;
	}
	tap_begin("chd_sweep");
	if (system("command -v chdman >/dev/null")) {
		skip("no chdman (mame-tools)", "the CHD sweep");
		return tap_end();
	}
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		snprintf(dir, sizeof(dir), "%s/%s", base, dirs[i]);
		if (!sweep_dir(dir, dirs[i]))
			skip("no shared corpora", "the CHD sweep of %s", dir);
	}
	sweep_kept(argv[1], "test_cue");
	sweep_kept(argv[2], "test_toc");
	return tap_end();
}
