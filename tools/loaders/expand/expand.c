// SPDX-License-Identifier: GPL-2.0
/*
 * Expanding compressed images, and the cache they are expanded into.
 *
 * An entry is KEY.img, KEY the SHA-256 of the compressed file (read once
 * for it before expanding), or of a format's own hash of its content
 * (struct vcd_expander's key): the same content is expanded once, from
 * wherever it is. It is written to an unnamed file (O_TMPFILE; else
 * .tmp-XXXXXX, removed on failure), checked by the format's own checksum,
 * flushed, and only then linked as KEY.img: a crash or an interrupt never
 * leaves a name on a partial image. idx-DEV-INO-SIZE-MTIME-CTIME, a
 * symbolic link to KEY.img, finds the entry of a file seen before without
 * reading it (any change to the file changes its ctime). Each use sets an
 * entry's access time: past the cap, the least recently used go first,
 * never one in use: the fd a load returns holds a shared flock() for as
 * long as it is open, by the caller or by the kernel it was given to (a
 * drive). The caller may name held entries too (struct vcd_expand's held).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <nettle/sha2.h>

#include "expand.h"

static const struct vcd_expander *const expanders[] = {
	&vcd_expander_gzip, &vcd_expander_xz, &vcd_expander_zstd, &vcd_expander_bzip2,
	&vcd_expander_ecm,
};

const char *const vcd_expand_exts[] = { "ecm", "gz", "xz", "zst", "bz2", NULL };

#define HEAD		8		/* bytes a probe looks at */
#define PROGRESS_STEP	(256 << 10)	/* input bytes between progress reports */
#define KEY_LEN		(2 * SHA256_DIGEST_SIZE)	/* an entry's name: this many hex digits */
#define TMP_MAX_AGE	(24 * 3600)	/* a .tmp- file older than this is left over */
#define HASH_BUF	(1 << 20)

void vcd_expand_free(struct vcd_expand *x)
{
	unsigned int i;

	for (i = 0; i < x->nr_done; i++) {
		free(x->done[i].source);
		free(x->done[i].cached);
	}
	free(x->done);
	x->done = NULL;
	x->nr_done = 0;
}

bool vcd_cache_default_dir(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	struct passwd *pw;

	if (!geteuid())
		return snprintf(buf, size, "/var/cache/vcdrom") < (int)size;
	if (xdg && xdg[0] == '/')
		return snprintf(buf, size, "%s/vcdrom", xdg) < (int)size;
	if (!home || !home[0]) {
		pw = getpwuid(geteuid());
		home = pw ? pw->pw_dir : NULL;
	}
	if (!home || !home[0])
		return false;
	return snprintf(buf, size, "%s/.cache/vcdrom", home) < (int)size;
}

static const struct vcd_expander *probe(const void *head, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(expanders); i++)
		if (expanders[i]->probe(head, len))
			return expanders[i];
	return NULL;
}

/* ---- what the expanders call ---- */

/* Tell of the progress: at the start (nothing read), every PROGRESS_STEP, and when done. */
static void progress(struct vcd_xio *io, bool done)
{
	if (!io->x || !io->x->progress)
		return;
	if (!done && io->in_pos && io->in_pos - io->last_progress < PROGRESS_STEP)
		return;
	io->last_progress = io->in_pos;
	io->x->progress(io->path, io->in_pos, io->in_size, io->out_pos, done,
			io->x->progress_arg);
}

ssize_t vcd_xio_read(struct vcd_xio *io, void *buf, size_t len)
{
	ssize_t n;

	do
		n = read(io->in_fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return vcd_load_fail(io->ld, errno, io->path, "reading at byte %llu: %s",
				     (unsigned long long)io->in_pos, strerror(errno));
	io->in_pos += n;
	progress(io, false);
	return n;
}

void vcd_xio_advance(struct vcd_xio *io, uint64_t n)
{
	io->in_pos += n;
	progress(io, false);
}

int vcd_xio_write(struct vcd_xio *io, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = write(io->out_fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return vcd_load_fail(io->ld, errno, io->path, "expanding it to %s: %s",
					     io->x && io->x->cache_dir ? io->x->cache_dir :
					     "memory", strerror(errno));
		p += n;
		len -= n;
		io->out_pos += n;
	}
	return 0;
}

int vcd_xio_corrupt(struct vcd_xio *io, uint64_t at, const char *fmt, ...)
{
	char why[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return vcd_load_fail(io->ld, EINVAL, io->path, "corrupt data at byte %llu (%s)",
			     (unsigned long long)at, why);
}

/* ---- one expansion ---- */

/* Expand @fd into @out_fd with @e. */
static int run(struct vcd_expand *x, const struct vcd_expander *e, int fd, const char *path,
	       uint64_t size, int out_fd, struct vcd_load *ld)
{
	struct vcd_xio io = { .in_fd = fd, .in_size = size, .out_fd = out_fd, .path = path,
			      .ld = ld, .x = x };
	const struct vcd_expander *inner;
	uint8_t head[HEAD];
	int ret;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return vcd_load_fail(ld, errno, path, NULL);
	progress(&io, false);
	ret = e->expand(&io);
	if (ret)
		return ret;
	progress(&io, true);
	if (!io.out_pos)
		return vcd_load_fail(ld, EINVAL, path, "expands to nothing (%s)", e->name);
	/* no nesting */
	if (pread(out_fd, head, sizeof(head), 0) == (ssize_t)sizeof(head)) {
		inner = probe(head, sizeof(head));
		if (inner)
			return vcd_load_fail(ld, EOPNOTSUPP, path, "holds a %s file inside its %s: "
					     "compressed files inside compressed files are not "
					     "expanded (expand the outer one first)",
					     inner->name, e->name);
	}
	return 0;
}

static void hex(const uint8_t *digest, char *key)
{
	unsigned int i;

	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		sprintf(key + 2 * i, "%02x", digest[i]);
}

/* A format's own key (CHD's SHA-1), made an entry name: the SHA-256 of "FORMAT:KEY". */
static int format_key(const struct vcd_expander *e, int fd, uint64_t size, const char *path,
		      char *key, struct vcd_load *ld)
{
	uint8_t digest[SHA256_DIGEST_SIZE];
	char own[VCD_KEY_MAX + 1] = "";
	struct sha256_ctx sha;
	int ret;

	ret = e->key(fd, size, path, own, ld);
	if (ret)
		return ret;
	sha256_init(&sha);
	sha256_update(&sha, strlen(e->name), (const uint8_t *)e->name);
	sha256_update(&sha, 1, (const uint8_t *)":");
	sha256_update(&sha, strnlen(own, VCD_KEY_MAX), (const uint8_t *)own);
	sha256_digest(&sha, sizeof(digest), digest);
	hex(digest, key);
	return 0;
}

/* The SHA-256 of the file open at @fd, in hex: the cache key of its content. */
static int hash_file(int fd, const char *path, char *key, struct vcd_load *ld)
{
	uint8_t digest[SHA256_DIGEST_SIZE], *buf = malloc(HASH_BUF);
	struct sha256_ctx sha;
	uint64_t off = 0;
	ssize_t n;

	if (!buf)
		return vcd_load_fail(ld, ENOMEM, path, NULL);
	sha256_init(&sha);
	while ((n = pread(fd, buf, HASH_BUF, off)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return vcd_load_fail(ld, errno, path, "reading at byte %llu: %s",
					     (unsigned long long)off, strerror(errno));
		}
		sha256_update(&sha, n, buf);
		off += n;
	}
	free(buf);
	sha256_digest(&sha, sizeof(digest), digest);
	hex(digest, key);
	return 0;
}

/* A read-only fd of the file open at @fd (closed), or -errno. */
static int reopen_ro(int fd)
{
	char proc[64];
	int ro;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	ro = open(proc, O_RDONLY | O_CLOEXEC);
	if (ro < 0)
		ro = -errno;
	close(fd);
	return ro;
}

static int record(struct vcd_expand *x, const char *path, const char *cached,
		  const struct vcd_expander *e, uint64_t size, bool hit, struct vcd_load *ld)
{
	struct vcd_expanded *d = realloc(x->done, (x->nr_done + 1) * sizeof(*d));

	if (!d)
		return vcd_load_fail(ld, ENOMEM, path, NULL);
	x->done = d;
	d += x->nr_done;
	d->source = strdup(path);
	d->cached = cached ? strdup(cached) : NULL;
	d->format = e->name;
	d->size = size;
	d->hit = hit;
	if (!d->source || (cached && !d->cached)) {
		free(d->source);
		free(d->cached);
		return vcd_load_fail(ld, ENOMEM, path, NULL);
	}
	x->nr_done++;
	return 0;
}

static int file_size(int fd, uint64_t *size)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	*size = st.st_size;
	return 0;
}

/* --no-cache: into a memfd. */
static int expand_memfd(struct vcd_expand *x, const struct vcd_expander *e, int fd,
			const char *path, uint64_t *size, struct vcd_load *ld)
{
	const char *base = strrchr(path, '/');
	char name[64];
	int mfd, ret;

	snprintf(name, sizeof(name), "vcdrom:%s", base ? base + 1 : path);
	mfd = memfd_create(name, MFD_CLOEXEC);
	if (mfd < 0)
		return vcd_load_fail(ld, errno, path, "memfd_create: %s", strerror(errno));
	ret = run(x, e, fd, path, *size, mfd, ld);
	if (!ret)
		ret = record(x, path, NULL, e, 0, false, ld);
	if (ret) {
		close(mfd);
		return ret;
	}
	mfd = reopen_ro(mfd);
	if (mfd < 0 || file_size(mfd, size)) {
		ret = mfd < 0 ? -mfd : errno;
		if (mfd >= 0)
			close(mfd);
		return vcd_load_fail(ld, ret, path, NULL);
	}
	x->done[x->nr_done - 1].size = *size;
	return mfd;
}

/* ---- the cache ---- */

static int mkdir_p(const char *dir)
{
	char buf[PATH_MAX], *p;

	if (!mkdir(dir, 0700) || errno == EEXIST)
		return 0;
	if (errno != ENOENT || snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return -1;
	for (p = buf + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(dir, 0700) && errno != EEXIST ? -1 : 0;
}

/* The quick index's name for the file open at @fd; "" but for a regular file. */
static int index_name(int fd, char *buf, size_t size)
{
	struct stat st;

	buf[0] = '\0';
	if (fstat(fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return 0;
	snprintf(buf, size, "idx-%llx-%llx-%llx-%lld.%09ld-%lld.%09ld",
		 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
		 (unsigned long long)st.st_size, (long long)st.st_mtim.tv_sec,
		 st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
	return 0;
}

/* Mark the entry @name just used: its access time now. */
static void touch(int dfd, const char *name)
{
	const struct timespec ts[2] = { { .tv_nsec = UTIME_NOW }, { .tv_nsec = UTIME_OMIT } };

	utimensat(dfd, name, ts, 0);
}

/* An entry's name: 64 hex digits, ".img". */
static bool is_entry(const char *name)
{
	size_t i;

	for (i = 0; i < KEY_LEN; i++)
		if (!strchr("0123456789abcdef", name[i]) || !name[i])
			return false;
	return !strcmp(name + KEY_LEN, ".img");
}

/*
 * The entry @entry, open for reading and in use: a shared flock() on the
 * open file, which lasts as long as anything holds it (a drive: the kernel
 * holds the very file it was given), and which eviction respects; its
 * access time now. -1 when it is not there (or was just evicted).
 */
static int open_entry(int dfd, const char *entry)
{
	int fd = openat(dfd, entry, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;

	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_SH) || fstat(fd, &st) || !st.st_nlink) {
		close(fd);
		errno = ENOENT;
		return -1;
	}
	touch(dfd, entry);
	return fd;
}

/* The entry the quick index names for @idx: its fd, or -1. */
static int lookup(int dfd, const char *idx, char *entry, size_t size)
{
	ssize_t n = readlinkat(dfd, idx, entry, size - 1);

	if (n <= 0)
		return -1;
	entry[n] = '\0';
	if (!is_entry(entry))
		return -1;
	return open_entry(dfd, entry);
}

/* An unnamed file in the cache folder; else .tmp-XXXXXX, its name in @tmp. */
static int make_temp(int dfd, const char *dir, char *tmp, size_t size)
{
	int fd = openat(dfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);

	tmp[0] = '\0';
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	snprintf(tmp, size, "%s/.tmp-XXXXXX", dir);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd >= 0)
		fchmod(fd, 0644);
	else
		tmp[0] = '\0';
	return fd;
}

/* Give the complete temp file @fd (or @tmp) the name @entry; EEXIST: another made it first. */
static int publish(int dfd, int fd, const char *tmp, const char *entry)
{
	char proc[64];
	const char *base;

	if (tmp[0]) {
		base = strrchr(tmp, '/') + 1;
		return renameat(dfd, base, dfd, entry) ? -errno : 0;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (!linkat(AT_FDCWD, proc, dfd, entry, AT_SYMLINK_FOLLOW))
		return 0;
	return -errno;
}

/*
 * The cache folder cannot be made or written (errno): a failure, or with
 * @x->cache_optional, a note and an expansion into memory.
 */
static int no_cache(struct vcd_expand *x, const struct vcd_expander *e, int fd,
		    const char *path, uint64_t *size, struct vcd_load *ld)
{
	int err = errno, ret;

	if (!x->cache_optional)
		return vcd_load_fail(ld, err, path, "cache folder %s: %s", x->cache_dir,
				     strerror(err));
	ret = expand_memfd(x, e, fd, path, size, ld);
	/* after: a failure to expand says all there is to say */
	if (ret >= 0)
		vcd_load_note(ld, path, "cache folder %s: %s: expanded into memory instead",
			      x->cache_dir, strerror(err));
	return ret;
}

static int expand_cached(struct vcd_expand *x, const struct vcd_expander *e, int fd,
			 const char *path, uint64_t *size, struct vcd_load *ld)
{
	char idx[128], entry[KEY_LEN + 8], key[KEY_LEN + 1] = "", tmp[PATH_MAX];
	char cached[PATH_MAX + 80];
	int dfd, out = -1, ret;
	bool hit = false;

	dfd = mkdir_p(x->cache_dir) ? -1 : open(x->cache_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return no_cache(x, e, fd, path, size, ld);
	ret = index_name(fd, idx, sizeof(idx));
	if (ret) {
		ret = vcd_load_fail(ld, -ret, path, NULL);
		goto out;
	}
	out = idx[0] ? lookup(dfd, idx, entry, sizeof(entry)) : -1;
	if (out >= 0) {
		hit = true;
		goto found;
	}
	/* the same content from another file (a copy), expanded before */
	ret = e->key ? format_key(e, fd, *size, path, key, ld) : hash_file(fd, path, key, ld);
	if (ret)
		goto out;
	snprintf(entry, sizeof(entry), "%s.img", key);
	out = open_entry(dfd, entry);
	if (out >= 0) {
		hit = true;
		goto indexed;
	}

	out = make_temp(dfd, x->cache_dir, tmp, sizeof(tmp));
	if (out < 0) {
		ret = errno;
		close(dfd);
		errno = ret;
		return no_cache(x, e, fd, path, size, ld);
	}
	ret = run(x, e, fd, path, *size, out, ld);
	if (!ret && fsync(out))
		ret = vcd_load_fail(ld, errno, path, "expanding it to %s: %s", x->cache_dir,
				    strerror(errno));
	if (!ret) {
		ret = publish(dfd, out, tmp, entry);
		if (ret == -EEXIST)		/* the same content, expanded before */
			ret = 0;
		if (ret)
			ret = vcd_load_fail(ld, -ret, path, "cache entry %s/%s: %s",
					    x->cache_dir, entry, strerror(-ret));
	}
	if (ret && tmp[0])
		unlink(tmp);
	close(out);
	if (ret)
		goto out;
	out = open_entry(dfd, entry);
	if (out < 0) {
		ret = vcd_load_fail(ld, errno, path, "cache entry %s/%s: %s", x->cache_dir,
				    entry, strerror(errno));
		goto out;
	}
indexed:
	/* the quick index, for the next time; without it the content is hashed again */
	if (idx[0]) {
		unlinkat(dfd, idx, 0);
		symlinkat(entry, dfd, idx);
	}

found:
	ret = file_size(out, size);
	if (ret) {
		ret = vcd_load_fail(ld, -ret, path, NULL);
		goto out;
	}
	/* as the kernel will name it: a real path */
	if (!realpath(x->cache_dir, tmp))
		snprintf(tmp, sizeof(tmp), "%s", x->cache_dir);
	snprintf(cached, sizeof(cached), "%s/%s", tmp, entry);
	ret = record(x, path, cached, e, *size, hit, ld);
	if (!ret)
		vcd_cache_trim(x, entry);
out:
	close(dfd);
	if (ret) {
		if (out >= 0)
			close(out);
		return ret;
	}
	return out;
}

int vcd_expand_fd(struct vcd_expand *x, int fd, const char *path, uint64_t *size,
		  struct vcd_load *ld)
{
	const struct vcd_expander *e;
	uint8_t head[HEAD];
	ssize_t n;

	n = pread(fd, head, sizeof(head), 0);
	e = n > 0 ? probe(head, n) : NULL;
	if (!e)
		return fd;
	return vcd_expand_as(x, e, fd, path, size, ld);
}

int vcd_expand_as(struct vcd_expand *x, const struct vcd_expander *e, int fd, const char *path,
		  uint64_t *size, struct vcd_load *ld)
{
	int ret;

	if (x->cache_dir)
		ret = expand_cached(x, e, fd, path, size, ld);
	else
		ret = expand_memfd(x, e, fd, path, size, ld);
	close(fd);
	return ret;
}

/* ---- eviction ---- */

struct entry {
	char name[KEY_LEN + 8];
	struct timespec atime;
	uint64_t size;
};

static int by_atime(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->atime.tv_sec != y->atime.tv_sec)
		return x->atime.tv_sec < y->atime.tv_sec ? -1 : 1;
	if (x->atime.tv_nsec != y->atime.tv_nsec)
		return x->atime.tv_nsec < y->atime.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Held by a drive, as @x->held says. */
static bool kept(const struct vcd_expand *x, const char *real_dir, const char *name)
{
	char path[PATH_MAX + 80];

	if (!x->held)
		return false;
	snprintf(path, sizeof(path), "%s/%s", real_dir, name);
	return x->held(path, x->held_arg);
}

/* Remove quick-index links to no entry, and temp files left over by a crash. */
static void tidy(int dfd, const struct dirent *de, const struct stat *st)
{
	struct stat target;

	if (!strncmp(de->d_name, "idx-", 4) && S_ISLNK(st->st_mode) &&
	    fstatat(dfd, de->d_name, &target, 0) && errno == ENOENT)
		unlinkat(dfd, de->d_name, 0);
	else if (!strncmp(de->d_name, ".tmp-", 5) && S_ISREG(st->st_mode) &&
		 st->st_mtime < time(NULL) - TMP_MAX_AGE)
		unlinkat(dfd, de->d_name, 0);
}

/* Remove the entry @name unless it is in use (see open_entry()): true if removed. */
static bool evict(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	bool gone;

	if (fd < 0)
		return false;
	gone = !flock(fd, LOCK_EX | LOCK_NB) && !unlinkat(dfd, name, 0);
	close(fd);
	return gone;
}

int vcd_cache_trim(struct vcd_expand *x, const char *spare)
{
	struct entry *list = NULL, *grown;
	char real_dir[PATH_MAX];
	size_t n = 0, i;
	uint64_t total = 0;
	struct dirent *de;
	struct stat st;
	DIR *d;
	int dfd;

	if (!x->cache_dir || !realpath(x->cache_dir, real_dir))
		return -errno;
	d = opendir(x->cache_dir);
	if (!d)
		return -errno;
	dfd = dirfd(d);
	while ((de = readdir(d))) {
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW))
			continue;
		if (!is_entry(de->d_name) || !S_ISREG(st.st_mode)) {
			tidy(dfd, de, &st);
			continue;
		}
		total += st.st_size;
		if (spare && !strcmp(de->d_name, spare))
			continue;
		grown = realloc(list, (n + 1) * sizeof(*list));
		if (!grown)
			break;
		list = grown;
		memcpy(list[n].name, de->d_name, KEY_LEN + 5);	/* is_entry(): its length */
		list[n].atime = st.st_atim;
		list[n].size = st.st_size;
		n++;
	}
	qsort(list, n, sizeof(*list), by_atime);
	for (i = 0; x->cache_max && total > x->cache_max && i < n; i++)
		if (!kept(x, real_dir, list[i].name) && evict(dfd, list[i].name))
			total -= list[i].size;
	free(list);
	closedir(d);
	return 0;
}
