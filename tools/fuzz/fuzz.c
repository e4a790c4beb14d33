// SPDX-License-Identifier: GPL-2.0
/* The fuzz targets' private folder: see fuzz.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netlink/msg.h>

#include "common/common.h"
#include "loaders.h"
#include "output.h"
#include "fuzz.h"

static char dir[PATH_MAX];
static pid_t owner;

static void remove_dir(void)
{
	struct dirent *de;
	DIR *d;

	if (getpid() != owner)
		return;
	d = opendir(dir);
	if (d) {
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				unlinkat(dirfd(d), de->d_name, 0);
		closedir(d);
	}
	rmdir(dir);
}

static void die(const char *what)
{
	perror(what);
	abort();
}

const char *fuzz_path(const char *name)
{
	static char path[PATH_MAX];
	const char *tmp;

	if (!dir[0]) {
		tmp = getenv("TMPDIR");
		if (snprintf(dir, sizeof(dir), "%s/vcdrom-fuzz.XXXXXX",
			     tmp && *tmp ? tmp : "/tmp") >= (int)sizeof(dir) - 32 || !mkdtemp(dir))
			die("mkdtemp");
		owner = getpid();
		atexit(remove_dir);
	}
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		die(name);
	return path;
}

void fuzz_file(const char *name, const void *data, size_t len, off_t size)
{
	int fd = open(fuzz_path(name), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		die("open");
	if ((len && write(fd, data, len) != (ssize_t)len) || ftruncate(fd, size))
		die("write");
	close(fd);
}

void fuzz_remove(const char *name)
{
	unlink(fuzz_path(name));
}

static void put_le(uint8_t *p, uint32_t v, unsigned int n)
{
	while (n--) {
		*p++ = v;
		v >>= 8;
	}
}

void fuzz_files(off_t a, off_t b, uint32_t w, off_t v)
{
	uint8_t wav[44] = "RIFF....WAVEfmt ";
	/* TITLE "Title" and track 1's "One"; then a SIZE_INFO pack */
	uint8_t cdt[2 * VCDROM_CDTEXT_PACK] = {
		0x80, 0, 0, 0, 'T', 'i', 't', 'l', 'e', 0, 'O', 'n', 'e', 0, 0, 0, 0, 0,
		0x8f, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	uint16_t crc;
	int i;

	fuzz_file("a.bin", NULL, 0, a);
	fuzz_file("b.bin", NULL, 0, b);

	put_le(wav + 4, 36 + w, 4);
	put_le(wav + 16, 16, 4);		/* fmt: PCM, 2 channels, 44100 Hz, 16 bits */
	put_le(wav + 20, 1, 2);
	put_le(wav + 22, 2, 2);
	put_le(wav + 24, 44100, 4);
	put_le(wav + 28, 44100 * 4, 4);
	put_le(wav + 32, 4, 2);
	put_le(wav + 34, 16, 2);
	memcpy(wav + 36, "data", 4);
	put_le(wav + 40, w, 4);
	fuzz_file("c.wav", wav, sizeof(wav), sizeof(wav) + v);

	for (i = 0; i < 2; i++) {
		crc = vcd_cdtext_crc(cdt + i * VCDROM_CDTEXT_PACK);
		cdt[i * VCDROM_CDTEXT_PACK + 16] = crc >> 8;
		cdt[i * VCDROM_CDTEXT_PACK + 17] = crc;
	}
	fuzz_file("t.cdt", cdt, sizeof(cdt), sizeof(cdt));
}

/* The lowest free fd: the same before and after a load, or the load leaked one. */
static int next_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die("/dev/null");
	close(fd);
	return fd;
}

static void note(const char *object, const char *text, void *arg)
{
	size_t *n = arg;

	*n += strlen(object) + strlen(text);
}

void fuzz_load_n(const char *name, unsigned int n)
{
	static FILE *null;
	size_t noted = 0;
	struct vcd_load ld = { .note = note, .note_arg = &noted };
	struct vcd_disc disc;
	struct vcd_toc toc;
	struct nl_msg *msg;
	struct out o;
	char path[PATH_MAX];
	const char *paths[2] = { path, path };
	int fd;

	if (!null) {
		null = fopen("/dev/null", "we");
		if (!null)
			die("/dev/null");
	}
	snprintf(path, sizeof(path), "%s", fuzz_path(name));
	fd = next_fd();
	vcd_disc_init(&disc);
	if (n > ARRAY_SIZE(paths))
		die("fuzz_load_n: too many");
	if (vcd_load_images(paths, n, &disc, &ld)) {
		/* a failure names the thing and the reason, and leaves nothing behind */
		if (!ld.err || !ld.object[0] || !ld.reason[0] || disc.nr_files ||
		    disc.nr_sessions || disc.cdtext || next_fd() != fd)
			abort();
		if (getenv("FUZZ_VERBOSE"))
			fprintf(stderr, "%s: %s\n", ld.object, ld.reason);
		return;
	}
	vcd_disc_toc(&disc, &toc);
	out_init(&o, OUT_TABLE, getenv("FUZZ_VERBOSE") ? stderr : null);
	out_toc(&o, &toc);
	out_init(&o, OUT_JSON, null);
	out_toc(&o, &toc);
	msg = nlmsg_alloc();
	if (!msg)
		die("nlmsg_alloc");
	/* too big for one message is an error the caller reports, not a crash */
	vcd_disc_put(msg, &disc);
	nlmsg_free(msg);
	vcd_disc_free(&disc);
	if (next_fd() != fd)
		abort();			/* an fd leaked */
}

void fuzz_load(const char *name)
{
	fuzz_load_n(name, 1);
}
