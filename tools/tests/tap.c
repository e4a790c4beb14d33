// SPDX-License-Identifier: GPL-2.0
/* What the host-only tests share: see tap.h. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

char tap_dir[PATH_MAX];
static unsigned int tests, passed, failed;

void tap_begin(const char *name)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(tap_dir, sizeof(tap_dir), "%s/vcdrom-%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
	if (!mkdtemp(tap_dir)) {
		perror(tap_dir);
		exit(2);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	puts("TAP version 13");
}

int tap_end(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tap_dir);
	if (system(cmd))
		fprintf(stderr, "# could not remove %s\n", tap_dir);
	printf("1..%u\n%u passed, %u failed\n", tests, passed, failed);
	return failed ? 1 : 0;
}

bool ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	tests++;
	cond ? passed++ : failed++;
	printf("%sok %u - ", cond ? "" : "not ", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return cond;
}

void skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	tests++;
	passed++;
	printf("ok %u - ", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
}

void diag_str(const char *what, const char *got, const char *want)
{
	printf("# %s\n#   got:  %s\n#   want: %s\n", what, got, want);
}

bool ok_str(const char *got, const char *want, const char *what, const char *which)
{
	if (ok(got && !strcmp(got, want), "%s%s%s", what, which ? ": " : "", which ?: ""))
		return true;
	diag_str(which ?: what, got ? got : "(null)", want);
	return false;
}

void die(const char *what)
{
	perror(what);
	exit(2);
}

char *tmp_path(const char *name)
{
	static char paths[8][PATH_MAX];
	static unsigned int next;
	char *p = paths[next++ % 8];

	if (snprintf(p, PATH_MAX, "%s/%s", tap_dir, name) >= PATH_MAX) {
		fprintf(stderr, "%s/%s: name too long\n", tap_dir, name);
		exit(2);
	}
	return p;
}

char *write_file(const char *name, const void *data, size_t len)
{
	char *path = tmp_path(name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		die(path);
	close(fd);
	return path;
}

void keep_sheet(const char *path)
{
	static unsigned int n;
	const char *keep = getenv("VCDROM_KEEP_SHEETS");
	const char *slash = strrchr(path, '/');
	char cmd[4 * PATH_MAX];

	if (!keep || !*keep || !slash || strncmp(path, tap_dir, strlen(tap_dir)))
		return;
	snprintf(cmd, sizeof(cmd), "d='%s/%04u' && mkdir -p \"$d\" && cp -r '%.*s'/. \"$d\" && "
		 "echo '%s' >\"$d/SHEET\"", keep, n++, (int)(slash - path), path, slash + 1);
	if (system(cmd))
		die(cmd);
}

char *write_text(const char *name, const char *text)
{
	return write_file(name, text, strlen(text));
}

char *make_file(const char *name, off_t size, const char *magic, off_t off)
{
	char *path = tmp_path(name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || ftruncate(fd, size) ||
	    (magic && pwrite(fd, magic, strlen(magic), off) != (ssize_t)strlen(magic)))
		die(path);
	close(fd);
	return path;
}

int next_fd(void)
{
	int fd = dup(0);

	close(fd);
	return fd;
}

void note(const char *object, const char *text, void *arg)
{
	struct noted *nt = arg;

	nt->n++;
	snprintf(nt->object, sizeof(nt->object), "%s", object);
	snprintf(nt->text, sizeof(nt->text), "%s", text);
}
