// SPDX-License-Identifier: GPL-2.0
/*
 * Finding a file an image names, beside the image: as named, else but for
 * case, else with Windows' '\' as '/', else (from Latin-1 text) in UTF-8.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "common.h"
#include "expand/expand.h"

bool vcd_find_nocase(const char *dir, const char *name, char *buf, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	bool found = false;

	if (!d)
		return false;
	while (!found && (de = readdir(d)))
		if (!strcasecmp(de->d_name, name))
			found = snprintf(buf, size, "%s/%s", dir, de->d_name) < (int)size;
	closedir(d);
	return found;
}

static bool exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/*
 * @name (relative to @dir unless absolute) in @buf, each part of it as
 * named or else as the entry of the folder so far that differs only in
 * case. False when some part is in neither.
 */
static bool resolve(const char *dir, const char *name, char *buf, size_t size)
{
	char *copy = strdup(name), *part, *save = NULL, cur[PATH_MAX], next[PATH_MAX];
	bool found = !!copy;

	snprintf(cur, sizeof(cur), "%s", name[0] == '/' ? "" : dir);
	for (part = copy ? strtok_r(copy, "/", &save) : NULL; found && part;
	     part = strtok_r(NULL, "/", &save)) {
		if (snprintf(next, sizeof(next), "%s/%s", cur, part) >= (int)sizeof(next))
			found = false;
		else if (!exists(next) && strcmp(part, ".") && strcmp(part, ".."))
			found = vcd_find_nocase(cur[0] ? cur : "/", part, next, sizeof(next));
		if (found)
			memcpy(cur, next, sizeof(cur));
	}
	free(copy);
	if (found)
		snprintf(buf, size, "%s", cur);
	return found;
}

bool vcd_find_beside(const char *dir, const char *name, bool utf8, char *buf, size_t size)
{
	char *alt, *p;
	bool found;

	if (resolve(dir, name, buf, size))
		return true;
	alt = strdup(name);
	if (!alt)
		return false;
	for (p = alt; (p = strchr(p, '\\')); )
		*p = '/';
	found = strcmp(alt, name) && resolve(dir, alt, buf, size);
	if (!found && !utf8 && !vcd_text_is_utf8(alt)) {
		p = vcd_text_latin1_to_utf8(alt);
		found = p && resolve(dir, p, buf, size);
		free(p);
	}
	free(alt);
	return found;
}

bool vcd_find_packed(const char *dir, const char *name, bool utf8, char *buf, size_t size)
{
	const char *const *ext;
	char *packed;
	bool found = false;

	for (ext = vcd_expand_exts; !found && *ext; ext++) {
		if (asprintf(&packed, "%s.%s", name, *ext) < 0)
			return false;
		found = vcd_find_beside(dir, packed, utf8, buf, size);
		free(packed);
	}
	return found;
}
