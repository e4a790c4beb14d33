// SPDX-License-Identifier: GPL-2.0
/*
 * vcdromctl: what insert puts in a drive, one disc or a playlist of them
 * (an .m3u, or insert --playlist), every disc loaded and checked before the
 * kernel sees any.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xalloc.h"

void disc_set_free(struct disc_set *set)
{
	unsigned int i;

	for (i = 0; i < set->nr; i++) {
		vcd_disc_free(&set->discs[i]);
		free(set->sources[i]);
	}
	free(set->discs);
	free(set->sources);
	free(set->formats);
	vcd_playlist_free(&set->m3u);
	memset(set, 0, sizeof(*set));
}

/* Operands for disc @i of @set: its image, or all of them for a single disc. */
static struct args disc_args(const struct args *a, const struct disc_set *set, unsigned int i)
{
	struct args one = *a;

	if (set->playlist) {
		one.argv = set->paths + i;
		one.argc = 1;
	}
	return one;
}

int disc_set_load(const struct args *a, struct disc_set *set)
{
	unsigned int i;

	memset(set, 0, sizeof(*set));
	set->playlist = a->playlist || (a->argc == 1 && vcd_is_playlist(a->argv[0]));
	if (set->playlist && !a->playlist) {
		struct vcd_load ld = { .note = note };

		if (vcd_playlist_read(a->argv[0], &set->m3u, &ld)) {
			fail_as(ld.err == EACCES || ld.err == EPERM ? EXIT_DENIED : EXIT_IMAGE);
			say(ld.object, "%s", ld.reason);
			return -1;
		}
		set->paths = set->m3u.paths;
		set->nr = set->m3u.nr;
	} else if (set->playlist) {
		if (a->argc > VCD_PLAYLIST_MAX) {
			fail_as(EXIT_IMAGE);
			say(a->argv[0], "a playlist has at most %u discs, not %d", VCD_PLAYLIST_MAX,
			    a->argc);
			return -1;
		}
		set->paths = a->argv;
		set->nr = a->argc;
	} else {
		set->nr = 1;
	}
	set->discs = xcalloc(set->nr, sizeof(*set->discs));
	set->sources = xcalloc(set->nr, sizeof(*set->sources));
	set->formats = xcalloc(set->nr, sizeof(*set->formats));
	for (i = 0; i < set->nr; i++) {
		struct vcd_load ld = { .note = note, .sector_size = a->sector_size };
		struct args one = disc_args(a, set, i);

		vcd_disc_init(&set->discs[i]);
		if (set->playlist && vcd_is_playlist(one.argv[0])) {
			fail_as(EXIT_IMAGE);
			say(one.argv[0], "is a playlist itself: playlists do not nest");
			goto fail;
		}
		if (load_disc(&one, &set->discs[i], &ld)) {
			vcd_disc_init(&set->discs[i]);	/* load_disc() freed it */
			goto fail;
		}
		set->formats[i] = ld.format;
	}
	return 0;

fail:
	disc_set_free(set);
	return -1;
}

int disc_set_check(struct vcd_client *c, const struct args *a, struct disc_set *set)
{
	uint32_t max_drives;
	uint64_t features;
	unsigned int i;
	int ret;

	if (set->playlist) {
		ret = vcd_features(c, &features, &max_drives);
		if (ret)
			return failed(c, a->argv[0], ret);
		if (!(features & VCDROM_F_PLAYLIST)) {
			fail_as(EXIT_IMAGE);
			say(a->argv[0], "the loaded vcdrom module keeps no playlists (it lacks the "
			    "\"playlist\" feature)");
			return EXIT_FAILURE;
		}
	}
	for (i = 0; i < set->nr; i++) {
		struct args one = disc_args(a, set, i);

		ret = check_features(c, &one, &set->discs[i], set->formats[i]);
		if (ret)
			return ret;
		/* check_features() keeps the source in a buffer of its own, until its next call */
		if (set->discs[i].source) {
			set->sources[i] = strdup(set->discs[i].source);
			set->discs[i].source = set->sources[i];
		}
	}
	return 0;
}

int disc_set_insert(struct vcd_client *c, uint32_t index, const struct args *a,
		    const struct disc_set *set, struct vcd_drive_info *info)
{
	if (!set->playlist)
		return vcd_insert(c, index, &set->discs[0], a->replace, info);
	return vcd_insert_playlist(c, index, set->discs, set->nr, 0, a->replace, info);
}

/* swap's DISC operand: 1-based, "next" or "prev", for a playlist of @nr discs now at @pos. */
int swap_target(const char *arg, unsigned int nr, unsigned int pos, uint32_t *disc)
{
	unsigned long n;
	char *end;

	if (!arg || !strcmp(arg, "next")) {
		*disc = (pos + 1) % nr;
		return 0;
	}
	if (!strcmp(arg, "prev")) {
		*disc = (pos + nr - 1) % nr;
		return 0;
	}
	errno = 0;
	n = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || n < 1 || n > nr)
		return -1;
	*disc = n - 1;
	return 0;
}
