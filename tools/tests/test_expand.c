// SPDX-License-Identifier: GPL-2.0
/*
 * Host-only tests of expanding compressed images (loaders/expand/): gzip,
 * xz, zstd and bzip2 of an image made here, compressed by their own
 * commands (a codec whose command is missing is skipped), expanded byte
 * for byte; corrupt, truncated, wrongly checked, trailing and nested
 * input refused with no cache entry left; an expansion killed half-way,
 * one stopped by a file size limit, one on a full tmpfs (root); the cache
 * found again without expanding, from a copy too; eviction in LRU order,
 * entries in use (flock) or held by a drive kept; ECM round trips against
 * sectors tests/cdsector (argv[1]) encoded, every record type, its own
 * ECM encoder; a cue naming x.bin finds x.bin.ecm, a TOC file x.bin.gz.
 *
 * Prints TAP, then "N passed, N failed"; exits 1 if anything failed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "common/common.h"
#include "expand/expand.h"
#include "libvcdrom.h"
#include "loaders.h"
#include "tap.h"

#define RAW		2352
#define ISO_SECTORS	1600		/* 3.2 MB: more than one progress step compressed */

static const char *cdsector;
static char cache[PATH_MAX + 16];

/* ---- files ---- */

static uint8_t *slurp(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st))
		die(path);
	buf = malloc(st.st_size + 1);
	if (!buf || pread(fd, buf, st.st_size, 0) != st.st_size)
		die(path);
	close(fd);
	*len = st.st_size;
	return buf;
}

/* An ISO image of half-compressible bytes: text, and a xorshift's noise. */
static char *make_iso(const char *name)
{
	size_t len = (size_t)ISO_SECTORS * 2048, i;
	uint8_t *buf = calloc(1, len);
	uint32_t r = 2463534242u;
	char *path;

	if (!buf)
		die("calloc");
	for (i = 0; i < len; i++) {
		r ^= r << 13;
		r ^= r >> 17;
		r ^= r << 5;
		buf[i] = (i / 512) % 2 ? (uint8_t)r : "vcdrom expands "[i % 15];
	}
	memset(buf + 16 * 2048, 0, 2048);
	memcpy(buf + 16 * 2048, "\1CD001\1", 7);
	memset(buf + 17 * 2048, 0, 2048);
	memcpy(buf + 17 * 2048, "\377CD001\1", 7);
	path = write_file(name, buf, len);
	free(buf);
	return path;
}

static bool have(const char *cmd)
{
	char *sh;
	int ret;

	if (asprintf(&sh, "command -v %s >/dev/null 2>&1", cmd) < 0)
		die("asprintf");
	ret = system(sh);
	free(sh);
	return !ret;
}

static __printf(1, 2) void run(const char *fmt, ...)
{
	char cmd[4 * PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd))
		die(cmd);
}

/* Entries (and temp files, when @tmp) in the cache folder. */
static unsigned int count_entries(bool tmp)
{
	DIR *d = opendir(cache);
	struct dirent *de;
	unsigned int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (strstr(de->d_name, ".img") || (tmp && !strncmp(de->d_name, ".tmp-", 5)))
			n++;
	closedir(d);
	return n;
}

static void empty_cache(void)
{
	run("rm -rf '%s'", cache);
}

/* ---- loading ---- */

struct result {
	int ret;
	struct vcd_load ld;
	struct noted nt;
	struct vcd_disc disc;
	struct vcd_expand x;
	unsigned int progress;		/* reports before the last */
	bool done;
};

static int kill_at_progress;		/* > 0: SIGKILL at this report */

static void on_progress(const char *path, uint64_t in, uint64_t in_size, uint64_t out,
			bool done, void *arg)
{
	struct result *r = arg;

	(void)path;
	(void)in;
	(void)in_size;
	(void)out;
	if (done)
		r->done = true;
	else
		r->progress++;
	if (kill_at_progress && (int)r->progress == kill_at_progress)
		raise(SIGKILL);
}

static void load_with(struct result *r, const char *path, const char *dir, uint64_t max)
{
	memset(r, 0, sizeof(*r));
	r->ld.note = note;
	r->ld.note_arg = &r->nt;
	r->x.cache_dir = dir;
	r->x.cache_max = max;
	r->x.progress = on_progress;
	r->x.progress_arg = r;
	r->ld.expand = &r->x;
	vcd_disc_init(&r->disc);
	r->ret = vcd_load_image(path, &r->disc, &r->ld);
}

static void load(struct result *r, const char *path)
{
	load_with(r, path, cache, 0);
}

static void done(struct result *r)
{
	vcd_disc_free(&r->disc);
	vcd_expand_free(&r->x);
}

/* The disc's file @i holds the bytes of @path. */
static bool same_bytes(const struct result *r, unsigned int i, const char *path)
{
	size_t len;
	uint8_t *want = slurp(path, &len), *got;
	bool same;

	if (r->ret || i >= r->disc.nr_files || r->disc.files[i].size != len) {
		free(want);
		return false;
	}
	got = malloc(len);
	same = got && pread(r->disc.files[i].fd, got, len, 0) == (ssize_t)len &&
	       !memcmp(got, want, len);
	free(got);
	free(want);
	return same;
}

static bool failed_with(const struct result *r, const char *want)
{
	bool good = r->ret && strstr(r->ld.reason, want);

	if (!good)
		diag_str("reason", r->ret ? r->ld.reason : "(loaded)", want);
	return good;
}

/* ---- the codecs ---- */

struct codec {
	const char *cmd;		/* compresses stdin to stdout */
	const char *ext;
	const char *name;
	long check;			/* a byte of its stored check, from the end */
	const char *check_why;		/* what a wrong one is refused with */
};

static const struct codec codecs[] = {
	{ "gzip -c", "gz", "gzip", -6, "zlib: incorrect data check" },
	{ "xz -c", "xz", "xz", -30, "liblzma: compressed data is corrupt" },
	{ "zstd -q -c", "zst", "zstd", -2, "zstd: Restored data doesn't match checksum" },
	{ "bzip2 -c", "bz2", "bzip2", -3, "libbz2: data integrity error (a CRC does not match)" },
};

static char *compress(const struct codec *c, const char *in, const char *name)
{
	char *out = tmp_path(name);

	run("%s <'%s' >'%s'", c->cmd, in, out);
	return out;
}

/* Flip the byte @off of @path (from the end when negative). */
static void flip(const char *path, long off)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	struct stat st;
	uint8_t b;

	if (fd < 0 || fstat(fd, &st))
		die(path);
	if (off < 0)
		off += st.st_size;
	if (pread(fd, &b, 1, off) != 1)
		die(path);
	b ^= 0x55;
	if (pwrite(fd, &b, 1, off) != 1)
		die(path);
	close(fd);
}

static void test_codec(const struct codec *c, const char *iso)
{
	char name[64], *packed, *cut;
	struct result r, again;
	struct stat st, st2;
	size_t len;
	uint8_t *buf;

	if (!have(c->cmd)) {
		skip("no command", "%s: not installed", c->cmd);
		return;
	}
	empty_cache();
	snprintf(name, sizeof(name), "image.iso.%s", c->ext);
	packed = strdup(compress(c, iso, name));

	load(&r, packed);
	ok(!r.ret && r.ld.format && !strcmp(r.ld.format, "ISO image"),
	   "%s: loaded as an ISO image (%s)", c->name, r.ret ? r.ld.reason : r.ld.format);
	ok(same_bytes(&r, 0, iso), "%s: expanded byte for byte", c->name);
	ok(r.x.nr_done == 1 && !r.x.done[0].hit && r.x.done[0].cached &&
	   !strcmp(r.x.done[0].format, c->name), "%s: expanded into the cache", c->name);
	ok(r.progress > 1 && r.done, "%s: progress reported (%u times)", c->name, r.progress);
	ok(!r.nt.n, "%s: no note about the extension (%s)", c->name, r.nt.n ? r.nt.text : "");
	if (r.x.nr_done != 1 || stat(r.x.done[0].cached, &st))
		memset(&st, 0, sizeof(st));

	load(&again, packed);
	ok(!again.ret && again.x.nr_done == 1 && again.x.done[0].hit && !again.progress &&
	   !again.done, "%s: the second load finds it in the cache, expands nothing", c->name);
	ok(!stat(again.x.done[0].cached, &st2) && st2.st_mtim.tv_sec == st.st_mtim.tv_sec &&
	   st2.st_mtim.tv_nsec == st.st_mtim.tv_nsec, "%s: the entry is not rewritten",
	   c->name);
	ok(same_bytes(&again, 0, iso), "%s: the entry holds the image", c->name);
	done(&again);
	done(&r);

	/* a copy: another file, the same content, the same entry */
	run("cp '%s' '%s.copy'", packed, packed);
	snprintf(name, sizeof(name), "%s.copy", packed);
	load(&again, name);
	ok(!again.ret && count_entries(true) == 1 && again.x.nr_done == 1 &&
	   again.x.done[0].hit && !again.progress,
	   "%s: a copy finds the same entry, expands nothing", c->name);
	done(&again);

	/* corrupt in the middle */
	empty_cache();
	flip(packed, 1 << 19);
	load(&r, packed);
	ok(failed_with(&r, "corrupt data at byte"), "%s: a corrupt byte is refused", c->name);
	ok(!strcmp(r.ld.object, packed), "%s: ... naming the file", c->name);
	ok(!count_entries(true), "%s: ... and no cache entry is left", c->name);
	ok(!r.disc.nr_files, "%s: ... nor a file in the disc", c->name);
	done(&r);
	flip(packed, 1 << 19);

	/* its stored check wrong (gzip's CRC-32, xz's index, zstd's XXH64, bzip2's CRC) */
	flip(packed, c->check);
	load(&r, packed);
	ok(failed_with(&r, c->check_why), "%s: a wrong check is refused", c->name);
	ok(!count_entries(true), "%s: ... no cache entry left", c->name);
	done(&r);
	flip(packed, c->check);

	/* cut in half */
	buf = slurp(packed, &len);
	cut = write_file("cut", buf, len / 2);
	load(&r, cut);
	ok(failed_with(&r, "truncated") || failed_with(&r, "corrupt data"),
	   "%s: a truncated stream is refused (%s)", c->name, r.ld.reason);
	ok(!count_entries(true), "%s: ... no cache entry left", c->name);
	done(&r);
	free(buf);
	free(packed);
}

/* gzip's and zstd's several members or frames are one; bytes after the end refused. */
static void test_concat(const char *iso)
{
	char *a, *b, *both, *iso2;

	if (!have("gzip") || !have("zstd")) {
		skip("no command", "gzip or zstd: not installed");
		return;
	}
	empty_cache();
	iso2 = strdup(tmp_path("twice.iso"));
	run("cat '%s' '%s' >'%s'", iso, iso, iso2);
	a = strdup(compress(&codecs[0], iso, "a.iso.gz"));
	both = tmp_path("both.iso.gz");
	run("cat '%s' '%s' >'%s'", a, a, both);
	{
		struct result r;

		load(&r, both);
		ok(same_bytes(&r, 0, iso2), "gzip: two members make one image");
		done(&r);
	}
	b = strdup(compress(&codecs[2], iso, "b.iso.zst"));
	both = tmp_path("both.iso.zst");
	run("cat '%s' '%s' >'%s'", b, b, both);
	{
		struct result r;

		load(&r, both);
		ok(same_bytes(&r, 0, iso2), "zstd: two frames make one image");
		done(&r);
	}
	{
		struct result r;

		both = tmp_path("junk.iso.gz");
		run("cat '%s' >'%s'; printf 'junk' >>'%s'", a, both, both);
		load(&r, both);
		ok(failed_with(&r, "after the end"), "gzip: bytes after the end are refused");
		ok(!count_entries(true) || count_entries(true) == 2, "gzip: ... no entry made");
		done(&r);
		both = tmp_path("zeros.iso.gz");
		run("cat '%s' >'%s'; head -c 100 /dev/zero >>'%s'", a, both, both);
		load(&r, both);
		ok(same_bytes(&r, 0, iso), "gzip: zeros after the end are padding");
		done(&r);
		both = tmp_path("junk.iso.zst");
		run("cat '%s' >'%s'; printf 'junk' >>'%s'", b, both, both);
		load(&r, both);
		ok(failed_with(&r, "corrupt data"), "zstd: bytes after the end are refused");
		done(&r);
	}
	if (have("bzip2")) {
		struct result r;
		char *c = strdup(compress(&codecs[3], iso, "c.iso.bz2"));

		both = tmp_path("both.iso.bz2");
		run("cat '%s' '%s' >'%s'", c, c, both);
		load(&r, both);
		ok(same_bytes(&r, 0, iso2), "bzip2: two streams make one image");
		done(&r);
		both = tmp_path("junk.iso.bz2");
		run("cat '%s' >'%s'; printf 'junk' >>'%s'", c, both, both);
		load(&r, both);
		ok(failed_with(&r, "after the end"), "bzip2: bytes after the end are refused");
		done(&r);
		free(c);
	}
	{
		struct result r;

		both = tmp_path("nested.iso.zst.gz");
		run("gzip -c <'%s' >'%s'", b, both);
		load(&r, both);
		ok(failed_with(&r, "inside"), "a zstd file inside a gzip file is refused");
		done(&r);
	}
	free(a);
	free(b);
	free(iso2);
}

/* --no-cache: a memfd, nothing in a folder. */
static void test_memfd(const char *iso)
{
	struct result r;
	char *gz;

	empty_cache();
	gz = strdup(compress(&codecs[0], iso, "m.iso.gz"));
	load_with(&r, gz, NULL, 0);
	ok(same_bytes(&r, 0, iso), "no cache: expanded into memory");
	ok(r.x.nr_done == 1 && !r.x.done[0].cached && !count_entries(true),
	   "no cache: ... no cache entry");
	ok(r.ret || fcntl(r.disc.files[0].fd, F_GETFL) >= 0, "no cache: ... its fd is open");
	ok(!r.ret && (fcntl(r.disc.files[0].fd, F_GETFL) & O_ACCMODE) == O_RDONLY,
	   "no cache: ... read-only");
	done(&r);

	/* a cache folder that cannot be made: a failure, or memory with a note when optional */
	{
		char bad[PATH_MAX + 16];

		snprintf(bad, sizeof(bad), "%s/cache", write_text("plain", "a file\n"));
		load_with(&r, gz, bad, 0);
		ok(failed_with(&r, "cache folder") && strstr(r.ld.reason, "Not a directory"),
		   "a cache folder that cannot be made is a failure");
		done(&r);
		memset(&r, 0, sizeof(r));
		r.ld.note = note;
		r.ld.note_arg = &r.nt;
		r.x.cache_dir = bad;
		r.x.cache_optional = true;
		r.ld.expand = &r.x;
		vcd_disc_init(&r.disc);
		r.ret = vcd_load_image(gz, &r.disc, &r.ld);
		ok(same_bytes(&r, 0, iso) && !r.x.done[0].cached && r.nt.n == 1 &&
		   strstr(r.nt.text, "expanded into memory instead"),
		   "... or, optional, memory with a note (%s)", r.nt.text);
		done(&r);

		/* corrupt: the failure alone (bad_input.sh's read-only /var/cache in the guest) */
		flip(gz, 1 << 19);
		memset(&r, 0, sizeof(r));
		r.ld.note = note;
		r.ld.note_arg = &r.nt;
		r.x.cache_dir = bad;
		r.x.cache_optional = true;
		r.ld.expand = &r.x;
		vcd_disc_init(&r.disc);
		r.ret = vcd_load_image(gz, &r.disc, &r.ld);
		ok(failed_with(&r, "corrupt data at byte") && !r.nt.n,
		   "... and corrupt, refused with no note about the folder");
		done(&r);
		flip(gz, 1 << 19);
	}
	free(gz);
}

/* Killed half-way: no entry; the next load expands it whole. */
static void test_killed(const char *iso)
{
	struct result r;
	char *gz;
	pid_t pid;
	int status;

	empty_cache();
	gz = strdup(compress(&codecs[0], iso, "k.iso.gz"));
	pid = fork();
	if (!pid) {
		kill_at_progress = 2;
		load(&r, gz);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "killed half-way");
	ok(!count_entries(true), "killed: no entry, no temp file left");
	load(&r, gz);
	ok(same_bytes(&r, 0, iso) && !r.x.done[0].hit, "killed: the next load expands it whole");
	done(&r);

	/* a full disk, as a file size limit has it: EFBIG (ENOSPC the same way) */
	empty_cache();
	pid = fork();
	if (!pid) {
		struct rlimit rl = { 1 << 20, 1 << 20 };

		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &rl);
		load(&r, gz);
		_exit(r.ret == -EFBIG && strstr(r.ld.reason, "expanding it to") &&
		      !count_entries(true) ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && !WEXITSTATUS(status),
	   "no room: refused, naming the cache, no entry left");
	ok(!count_entries(true), "no room: nothing in the cache");
	free(gz);
}

/* ---- eviction ---- */

static char *entry_path(char c)
{
	static char path[PATH_MAX + 96];
	char key[65];

	memset(key, c, 64);
	key[64] = '\0';
	snprintf(path, sizeof(path), "%s/%s.img", cache, key);
	return path;
}

static void make_entry(char c, time_t atime)
{
	struct timespec ts[2] = { { .tv_sec = atime }, { .tv_nsec = UTIME_OMIT } };
	char *path = entry_path(c);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || ftruncate(fd, 1000) || futimens(fd, ts))
		die(path);
	close(fd);
}

static bool exists(char c)
{
	return !access(entry_path(c), F_OK);
}

static bool is_held(const char *path, void *arg)
{
	return !strcmp(path, arg);
}

static void test_evict(const char *iso)
{
	struct vcd_expand x = { .cache_dir = cache, .cache_max = 2500 };
	char real[PATH_MAX], held[PATH_MAX + 80];
	struct result r;
	char *gz;

	empty_cache();
	if (mkdir(cache, 0700))
		die(cache);
	make_entry('a', 1000);
	make_entry('b', 3000);
	make_entry('c', 2000);
	make_entry('d', 4000);
	ok(!vcd_cache_trim(&x, NULL) && !exists('a') && !exists('c') && exists('b') &&
	   exists('d'), "evicted the least recently used first, to the cap");
	make_entry('a', 1000);
	make_entry('c', 2000);
	if (!realpath(cache, real))
		die(cache);
	snprintf(held, sizeof(held), "%s/%s", real, strrchr(entry_path('a'), '/') + 1);
	x.held = is_held;
	x.held_arg = held;
	ok(!vcd_cache_trim(&x, NULL) && exists('a') && !exists('c') && !exists('b') &&
	   exists('d'), "an entry a drive holds is kept");
	x.cache_max = 0;
	make_entry('c', 2000);
	ok(!vcd_cache_trim(&x, NULL) && exists('c'), "no cap: nothing evicted");

	/* in use: a shared flock on an open file, as the kernel keeps the one it was given */
	{
		int fd = open(entry_path('c'), O_RDONLY | O_CLOEXEC);

		x.held = NULL;
		x.cache_max = 1;
		ok(fd >= 0 && !flock(fd, LOCK_SH) && !vcd_cache_trim(&x, NULL) && exists('c') &&
		   !exists('a') && !exists('d'), "an entry in use (flock) is kept");
		close(fd);
		ok(!vcd_cache_trim(&x, NULL) && !exists('c'), "... and evicted once closed");
		x.cache_max = 0;
	}

	/* a load past the cap keeps what it made, evicts the rest */
	make_entry('c', 2000);
	make_entry('d', 4000);
	gz = strdup(compress(&codecs[0], iso, "e.iso.gz"));
	load_with(&r, gz, cache, 1);
	ok(!r.ret && !exists('c') && !exists('d') && count_entries(false) == 1 &&
	   !access(r.x.done[0].cached, F_OK),
	   "a load past the cap keeps its own entry, evicts the others");
	x.cache_max = 1;
	ok(!vcd_cache_trim(&x, NULL) && !r.ret && !access(r.x.done[0].cached, F_OK),
	   "... which stays while its disc holds it");
	{
		char *cached = strdup(r.ret ? "" : r.x.done[0].cached);

		done(&r);
		ok(!vcd_cache_trim(&x, NULL) && access(cached, F_OK),
		   "... and goes once the disc is freed");
		free(cached);
	}
	free(gz);
}

/* ---- ECM ---- */

struct ecm_out {
	FILE *f;
	uint32_t edc;
};

static void ecm_record(struct ecm_out *o, unsigned int type, uint32_t count)
{
	uint32_t n = count - 1;
	uint8_t c = type | (n & 0x1f) << 2;

	n >>= 5;
	fputc(c | (n ? 0x80 : 0), o->f);
	while (n) {
		c = n & 0x7f;
		n >>= 7;
		fputc(c | (n ? 0x80 : 0), o->f);
	}
}

/*
 * ECM of the raw sectors at @bin: mode 1 as type 1, mode 2 as 16 literal
 * bytes and type 2 (form 1) or 3 (form 2, by the subheader), anything
 * else as literal bytes. No check of what it leaves out: the round trip
 * to the same bytes is the check.
 */
static char *ecm_encode(const char *bin, const char *name, const uint8_t *lead, size_t nlead)
{
	struct ecm_out o = { 0 };
	size_t len, i;
	uint8_t *b = slurp(bin, &len), *s, tail[4];
	char *path = tmp_path(name);

	o.f = fopen(path, "wb");
	if (!o.f)
		die(path);
	fwrite("ECM", 1, 4, o.f);
	if (nlead) {
		ecm_record(&o, 0, nlead);
		fwrite(lead, 1, nlead, o.f);
		o.edc = vcd_cd_edc(o.edc, lead, nlead);
	}
	for (i = 0; i + RAW <= len; i += RAW) {
		s = b + i;
		if (s[15] == 1) {
			ecm_record(&o, 1, 1);
			fwrite(s + 12, 1, 3, o.f);
			fwrite(s + 16, 1, 2048, o.f);
		} else {
			ecm_record(&o, 0, 16);
			fwrite(s, 1, 16, o.f);
			ecm_record(&o, s[18] & 0x20 ? 3 : 2, 1);
			fwrite(s + 16, 1, 4, o.f);
			fwrite(s + 24, 1, s[18] & 0x20 ? 2324 : 2048, o.f);
		}
		o.edc = vcd_cd_edc(o.edc, s, RAW);
	}
	ecm_record(&o, 0, 0);		/* count-1 0xffffffff: the end */
	tail[0] = o.edc;
	tail[1] = o.edc >> 8;
	tail[2] = o.edc >> 16;
	tail[3] = o.edc >> 24;
	fwrite(tail, 1, 4, o.f);
	if (fclose(o.f))
		die(path);
	free(b);
	return path;
}

static void test_ecm(void)
{
	char *data = make_file("user", 40 * 2048, NULL, 0), *bin, *ecm, *cue;
	struct result r;
	uint8_t lead[100];
	size_t i;

	empty_cache();
	for (i = 0; i < sizeof(lead); i++)
		lead[i] = i * 7;
	run("head -c %d /dev/urandom >'%s'", 40 * 2048, data);
	run("'%s' encode --mode 1 --lba 0 '%s' '%s'", cdsector, data, tmp_path("m1.bin"));
	run("'%s' encode --mode 2form1 --lba 40 '%s' '%s'", cdsector, data, tmp_path("f1.bin"));
	run("'%s' encode --mode 2form2 --lba 80 '%s' '%s'", cdsector, data, tmp_path("f2.bin"));
	bin = strdup(tmp_path("mixed.bin"));
	run("cd '%s' && cat m1.bin f1.bin f2.bin >mixed.bin", tap_dir);

	/* every record type, and a count over several bytes (100 literal bytes) */
	ecm = strdup(ecm_encode(bin, "mixed.bin.ecm", lead, sizeof(lead)));
	run("cd '%s' && { head -c 100 /dev/zero | tr '\\0' x; cat mixed.bin; } >lead.bin",
	    tap_dir);
	{
		char *want = tmp_path("lead.bin");
		uint8_t *w;
		size_t len;
		int fd;

		/* the lead's bytes are not x's: write them as the ECM has them */
		fd = open(want, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || pwrite(fd, lead, sizeof(lead), 0) != (ssize_t)sizeof(lead))
			die(want);
		close(fd);
		memset(&r, 0, sizeof(r));
		r.ld.expand = &r.x;
		r.x.cache_dir = cache;
		fd = open(ecm, O_RDONLY | O_CLOEXEC);
		{
			uint64_t size = 0;
			int out = vcd_expand_fd(&r.x, fd, ecm, &size, &r.ld);
			uint8_t *got;

			w = slurp(want, &len);
			got = malloc(len);
			ok(out >= 0 && size == len && pread(out, got, len, 0) == (ssize_t)len &&
			   !memcmp(got, w, len), "ECM: literal, mode 1, form 1 and form 2 "
			   "records expand to the sectors encoded (%s)",
			   out < 0 ? r.ld.reason : "");
			if (out >= 0)
				close(out);
			free(got);
			free(w);
		}
		vcd_expand_free(&r.x);
	}

	/* tests/cdsector's encoder: audio-like bytes and a partial sector as literals too */
	run("cd '%s' && { cat mixed.bin; head -c 5000 /dev/urandom; } >odd.bin && "
	    "'%s' ecm odd.bin odd.bin.ecm", tap_dir, cdsector);
	load_with(&r, tmp_path("odd.bin.ecm"), NULL, 0);
	{
		char *odd = strdup(tmp_path("odd.bin"));
		uint64_t size = 0;
		int fd = open(tmp_path("odd.bin.ecm"), O_RDONLY | O_CLOEXEC);
		int out = vcd_expand_fd(&r.x, fd, "odd.bin.ecm", &size, &r.ld);
		size_t len;
		uint8_t *want = slurp(odd, &len), *got = malloc(len);

		struct stat st;

		ok(out >= 0 && size == len && pread(out, got, len, 0) == (ssize_t)len &&
		   !memcmp(got, want, len), "ECM: cdsector ecm's output expands to its input");
		/* 40 sectors of mode 1 and of form 1: 301 and 282 bytes less each, less records */
		ok(!stat(tmp_path("odd.bin.ecm"), &st) && st.st_size + 40 * (301 + 282) - 200 <=
		   (off_t)len, "ECM: ... which left out what can be made again");
		if (out >= 0)
			close(out);
		free(got);
		free(want);
		free(odd);
	}
	done(&r);

	/* a data byte changed: the sectors' EDC is made again, the whole's is not */
	empty_cache();
	flip(ecm, 5000);
	load(&r, ecm);
	ok(failed_with(&r, "wrong ECM checksum"), "ECM: a changed byte fails its checksum");
	ok(!count_entries(true), "ECM: ... no cache entry left");
	done(&r);
	flip(ecm, 5000);
	ecm = strdup(ecm);

	/* a cue naming game.bin finds game.bin.ecm */
	run("cd '%s' && cp m1.bin game.bin", tap_dir);
	ecm_encode(tmp_path("game.bin"), "game.bin.ecm", NULL, 0);
	run("cd '%s' && rm game.bin", tap_dir);
	cue = write_text("game.cue", "FILE \"game.bin\" BINARY\n  TRACK 01 MODE1/2352\n"
			 "    INDEX 01 00:00:00\n");
	load(&r, cue);
	ok(!r.ret && same_bytes(&r, 0, tmp_path("m1.bin")),
	   "ECM: a cue naming game.bin loads game.bin.ecm (%s)", r.ret ? r.ld.reason : "");
	ok(!r.ret && r.disc.nr_files == 1 && strstr(r.disc.files[0].path, "game.bin.ecm"),
	   "ECM: ... the disc's file is named as found");
	done(&r);

	/* a TOC file naming tr.bin finds tr.bin.gz */
	run("cd '%s' && gzip -c m1.bin >tr.bin.gz", tap_dir);
	cue = write_text("tr.toc", "CD_ROM\nTRACK MODE1_RAW\nDATAFILE \"tr.bin\"\n");
	load(&r, cue);
	ok(!r.ret && same_bytes(&r, 0, tmp_path("m1.bin")),
	   "a TOC file naming tr.bin loads tr.bin.gz (%s)", r.ret ? r.ld.reason : "");
	done(&r);
	free(bin);
	free(ecm);
}

/* A full disk: a small tmpfs, in a mount namespace of its own (root only). */
static void test_full(const char *iso)
{
	struct result r;
	char *gz, dir[PATH_MAX + 16];
	pid_t pid;
	int status;

	gz = strdup(compress(&codecs[0], iso, "f.iso.gz"));
	snprintf(dir, sizeof(dir), "%s/small", tap_dir);
	if (mkdir(dir, 0700))
		die(dir);
	pid = fork();
	if (!pid) {
		if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    mount("tmpfs", dir, "tmpfs", 0, "size=1m"))
			_exit(77);
		snprintf(cache, sizeof(cache), "%s", dir);
		load(&r, gz);
		_exit(r.ret == -ENOSPC && strstr(r.ld.reason, "No space left on device") &&
		      strstr(r.ld.reason, dir) && !count_entries(true) ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
		skip("cannot mount a tmpfs here (not root?)", "a full tmpfs");
	else
		ok(WIFEXITED(status) && !WEXITSTATUS(status),
		   "a full tmpfs: ENOSPC, naming the cache, no entry left");
	free(gz);
}

int main(int argc, char **argv)
{
	char *iso;
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CDSECTOR\n", argv[0]);
		return 2;
	}
	cdsector = argv[1];
	if (cdsector[0] != '/' && !realpath(argv[1], cache))
		die(argv[1]);
	if (cdsector[0] != '/')
		cdsector = strdup(cache);
	tap_begin("expand");
	snprintf(cache, sizeof(cache), "%s/cache", tap_dir);
	iso = strdup(make_iso("image.iso"));
	for (i = 0; i < ARRAY_SIZE(codecs); i++)
		test_codec(&codecs[i], iso);
	test_concat(iso);
	test_memfd(iso);
	test_killed(iso);
	test_full(iso);
	test_evict(iso);
	test_ecm();
	free(iso);
	return tap_end();
}
