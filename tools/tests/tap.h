/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the host-only tests share (test_loaders, test_cue): TAP output, a
 * private folder for the files they make, and catching fds a load leaks.
 */
#ifndef VCDROM_TAP_H
#define VCDROM_TAP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "helpers.h"
#include "loaders.h"

/* The private folder, made by tap_begin(), removed by tap_end(). */
extern char tap_dir[PATH_MAX];

/* Make "$TMPDIR/vcdrom-@name.XXXXXX" (TMPDIR default /tmp) and print the TAP header; exits 2 on failure. */
void tap_begin(const char *name);
/* Remove the folder, print the plan and "N passed, N failed". Returns the exit status. */
int tap_end(void);

__printf(2, 3) bool ok(bool cond, const char *fmt, ...);
/* A test that cannot run here: counted as passed, with "# SKIP @why". */
__printf(2, 3) void skip(const char *why, const char *fmt, ...);
void diag_str(const char *what, const char *got, const char *want);
/* ok() that @got is @want, as "@what: @which" (@which may be NULL); else both in diagnostics. */
bool ok_str(const char *got, const char *want, const char *what, const char *which);

__attribute__((noreturn)) void die(const char *what);
/* "<tap_dir>/@name", in one of 8 buffers used in turn. */
char *tmp_path(const char *name);
char *write_file(const char *name, const void *data, size_t len);
char *write_text(const char *name, const char *text);
/*
 * With VCDROM_KEEP_SHEETS=DIR, a copy of the sheet at @path (a file of
 * tap_dir) and the files beside it, in a folder of DIR of its own, for
 * test_chd_sweep; else nothing.
 */
void keep_sheet(const char *path);
/* A sparse file of @size bytes, with @magic at @off when not NULL. */
char *make_file(const char *name, off_t size, const char *magic, off_t off);
/* The lowest free fd: a load that fails must leave it where it was. */
int next_fd(void);

/* What a load noted: how many notes, and the last one. */
struct noted {
	unsigned int n;
	char object[PATH_MAX + 16];
	char text[512];
};
/* A vcd_load note callback; @arg is a struct noted. */
void note(const char *object, const char *text, void *arg);

#endif /* VCDROM_TAP_H */
