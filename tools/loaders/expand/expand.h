/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Expanding a compressed image (gzip, xz, zstd, bzip2, ECM) into a plain
 * file the kernel can read: once, into a cache keyed by the compressed
 * content (or into a memfd), verified by the format's own checksum, and
 * published under its final name only when complete.
 */
#ifndef VCDROM_EXPAND_H
#define VCDROM_EXPAND_H

#include <stdbool.h>
#include <stdint.h>

#include "loaders.h"

/* Default cap of a cache: 8 GiB. */
#define VCD_CACHE_MAX_DEFAULT	(8ULL << 30)

/* One file expanded (or found in the cache) by a load. */
struct vcd_expanded {
	char *source;			/* the compressed file, as named */
	char *cached;			/* the cache entry, or NULL (a memfd) */
	const char *format;		/* "gzip" */
	uint64_t size;			/* expanded bytes */
	bool hit;			/* found in the cache: nothing expanded */
};

/* How a load expands what it finds compressed: set by the caller, given in struct vcd_load. */
struct vcd_expand {
	/* the cache folder (made when missing); NULL: a memfd each, nothing kept */
	const char *cache_dir;
	/* when the folder cannot be made or written: a memfd, with a note (else a failure) */
	bool cache_optional;
	/* bytes the cache may hold; older entries are evicted past it (0: no cap) */
	uint64_t cache_max;
	/*
	 * Whether a drive holds the cache entry at @path (its real path): no
	 * eviction removes it. Asked only when the cache is past its cap; NULL:
	 * none is held.
	 */
	bool (*held)(const char *path, void *arg);
	void *held_arg;
	/*
	 * Told of progress while @path is expanded: @in of @in_size bytes of
	 * it read, @out written; @done at the end. May be NULL.
	 */
	void (*progress)(const char *path, uint64_t in, uint64_t in_size, uint64_t out,
			 bool done, void *arg);
	void *progress_arg;

	/* Set by the load: what it expanded, in order. Free with vcd_expand_free(). */
	unsigned int nr_done;
	struct vcd_expanded *done;
};

void vcd_expand_free(struct vcd_expand *x);

/*
 * The cache folder a user's images go to by default, in @buf: root's
 * /var/cache/vcdrom, else $XDG_CACHE_HOME/vcdrom (~/.cache/vcdrom).
 * False when there is no home to put it in.
 */
bool vcd_cache_default_dir(char *buf, size_t size);

/*
 * The expanded content of the file open at @fd (@path, *@size bytes), when
 * it is compressed: a new fd (O_RDONLY, O_CLOEXEC) and *@size its size,
 * @fd closed; else @fd itself. On failure @fd is closed and -errno returned,
 * @ld's object and reason set; no cache entry is left.
 */
int vcd_expand_fd(struct vcd_expand *x, int fd, const char *path, uint64_t *size,
		  struct vcd_load *ld);

/*
 * The same with the expander @e whatever the content (a loader's own, such
 * as CHD's, which no probe of vcd_expand_fd() knows).
 */
struct vcd_expander;
int vcd_expand_as(struct vcd_expand *x, const struct vcd_expander *e, int fd, const char *path,
		  uint64_t *size, struct vcd_load *ld);

/* File name extensions of compressed files, "ecm" and the like, NULL-terminated. */
extern const char *const vcd_expand_exts[];

/* Evict entries of @x's cache, least recently used first, until it holds @x->cache_max. */
int vcd_cache_trim(struct vcd_expand *x, const char *spare);

/* ---- for the expanders ---- */

/* An expansion under way: input, output, and where a failure is said. */
struct vcd_xio {
	int in_fd;
	uint64_t in_size, in_pos;	/* bytes read so far */
	int out_fd;
	uint64_t out_pos;		/* bytes written so far */
	const char *path;		/* for messages and progress */
	struct vcd_load *ld;
	struct vcd_expand *x;
	uint64_t last_progress;
};

/* Up to @len bytes of input: bytes read, 0 at its end, or -errno (said). */
ssize_t vcd_xio_read(struct vcd_xio *io, void *buf, size_t len);
/* @n more bytes of input read otherwise (pread): for the progress. */
void vcd_xio_advance(struct vcd_xio *io, uint64_t n);
/* All of @len bytes to the output: 0, or -errno (said). */
int vcd_xio_write(struct vcd_xio *io, const void *buf, size_t len);
/* "corrupt data at byte @at (@fmt)": -EINVAL. */
__printf(3, 4)
int vcd_xio_corrupt(struct vcd_xio *io, uint64_t at, const char *fmt, ...);

/*
 * A format: one entry of expand.c's table (and its extension in
 * vcd_expand_exts). @io->in_fd may also be read with pread() (a format
 * with an index, such as CHD), told with vcd_xio_advance().
 */
struct vcd_expander {
	const char *name;		/* "gzip" */
	bool (*probe)(const uint8_t *head, size_t len);
	/* Input to output, the format's checks verified: 0, or a failure said. */
	int (*expand)(struct vcd_xio *io);
	/*
	 * May be NULL: a key of the content at @fd, in @key (a string of up to
	 * VCD_KEY_MAX characters), when the format carries a hash of its own
	 * (CHD's SHA-1): the cache then need not read the whole file. Without,
	 * the file's SHA-256 is the key.
	 */
	int (*key)(int fd, uint64_t size, const char *path, char *key, struct vcd_load *ld);
};

#define VCD_KEY_MAX	64

/* codecs.c */
extern const struct vcd_expander vcd_expander_gzip, vcd_expander_xz, vcd_expander_zstd,
	vcd_expander_bzip2;
/* ecm.c */
extern const struct vcd_expander vcd_expander_ecm;

#endif /* VCDROM_EXPAND_H */
