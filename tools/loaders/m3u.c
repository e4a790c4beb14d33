// SPDX-License-Identifier: GPL-2.0
/*
 * M3U playlists of discs, as emulators keep multi-disc games: one image
 * path a line, relative to the playlist's folder unless absolute, '#'
 * starting a comment (and "#EXTM3U" the extended form's header). Not a disc
 * itself: the tool inserts its discs as a drive's playlist.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"
#include "loaders.h"

#define M3U_MAX_SIZE	65536
#define M3U_PROBE_SIZE	4096

/* The next line of @p, ends trimmed, in place; *@p moves past it. NULL at the end. */
static char *next_line(char **p)
{
	char *line = *p, *end;

	if (!*line)
		return NULL;
	end = line + strcspn(line, "\n");
	*p = *end ? end + 1 : end;
	*end = '\0';
	while (end > line && strchr(" \t\r", end[-1]))
		*--end = '\0';
	return line + strspn(line, " \t");
}

int vcd_probe_m3u(int fd, uint64_t size)
{
	char buf[M3U_PROBE_SIZE + 1], *p, *line;
	unsigned int entries = 0;

	p = vcd_probe_text(fd, size, M3U_MAX_SIZE, buf, M3U_PROBE_SIZE);
	if (!p)
		return VCD_PROBE_NO;
	if (!strncmp(p, "#EXTM3U", 7))
		return VCD_PROBE_SURE;
	/* Only whole lines: the last may be cut short by the probe's window. */
	if (size > M3U_PROBE_SIZE && strrchr(p, '\n'))
		strrchr(p, '\n')[1] = '\0';
	while ((line = next_line(&p))) {
		if (!*line || *line == '#')
			continue;
		if (!vcd_names_image(line))
			return VCD_PROBE_NO;
		entries++;
	}
	return entries ? VCD_PROBE_MAYBE : VCD_PROBE_NO;
}

bool vcd_is_playlist(const char *path)
{
	struct stat st;
	int fd, sure;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return false;
	sure = !fstat(fd, &st) && S_ISREG(st.st_mode) ? vcd_probe_m3u(fd, st.st_size) :
	       VCD_PROBE_NO;
	close(fd);
	return sure != VCD_PROBE_NO;
}

void vcd_playlist_free(struct vcd_playlist *pl)
{
	unsigned int i;

	for (i = 0; i < pl->nr; i++)
		free(pl->paths[i]);
	free(pl->paths);
	pl->paths = NULL;
	pl->nr = 0;
}

/* Add the disc at @path, named on line @line of @m3u. */
static int add_disc(struct vcd_playlist *pl, const char *m3u, unsigned int line,
		    const char *path, struct vcd_load *ld)
{
	char **paths;

	if (pl->nr == VCD_PLAYLIST_MAX)
		return vcd_load_fail_at(ld, E2BIG, m3u, line, "more than %u discs",
					VCD_PLAYLIST_MAX);
	if (vcd_is_playlist(path))
		return vcd_load_fail_at(ld, EINVAL, m3u, line,
					"%s is a playlist itself: playlists do not nest", path);
	paths = realloc(pl->paths, (pl->nr + 1) * sizeof(*paths));
	if (!paths)
		return vcd_load_fail(ld, ENOMEM, m3u, NULL);
	pl->paths = paths;
	paths[pl->nr] = strdup(path);
	if (!paths[pl->nr])
		return vcd_load_fail(ld, ENOMEM, m3u, NULL);
	pl->nr++;
	return 0;
}

int vcd_playlist_read(const char *path, struct vcd_playlist *pl, struct vcd_load *ld)
{
	char *text = NULL, *dir, *p, *line, found[PATH_MAX];
	unsigned int lineno = 0;
	struct stat st;
	bool utf8;
	int fd, ret;

	memset(pl, 0, sizeof(*pl));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return vcd_load_fail(ld, errno, path, NULL);
	if (fstat(fd, &st))
		ret = vcd_load_fail(ld, errno, path, NULL);
	else if (!S_ISREG(st.st_mode))
		ret = vcd_load_fail(ld, EINVAL, path, "not a regular file");
	else
		ret = vcd_read_text(fd, st.st_size, M3U_MAX_SIZE, path, "a playlist", ld, &text);
	close(fd);
	if (ret)
		return ret;

	dir = strdup(path);
	if (!dir) {
		free(text);
		return vcd_load_fail(ld, ENOMEM, path, NULL);
	}
	p = strrchr(dir, '/');
	if (p)
		p[p == dir] = '\0';	/* "/x.m3u": "/" */
	else
		strcpy(dir, ".");
	utf8 = vcd_text_is_utf8(text);
	for (p = text; !ret && (line = next_line(&p)); ) {
		lineno++;
		if (!*line || *line == '#')
			continue;
		if (!vcd_find_beside(dir, line, utf8, found, sizeof(found)) &&
		    !vcd_find_packed(dir, line, utf8, found, sizeof(found)))
			ret = vcd_load_fail_at(ld, ENOENT, path, lineno, "%s: no such file", line);
		else
			ret = add_disc(pl, path, lineno, found, ld);
	}
	if (!ret && !pl->nr)
		ret = vcd_load_fail(ld, EINVAL, path, "names no disc (one image path a line)");
	if (ret)
		vcd_playlist_free(pl);
	free(dir);
	free(text);
	return ret;
}
