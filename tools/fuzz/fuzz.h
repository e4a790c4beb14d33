/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the fuzz targets share: a private folder for the files a loader
 * reads (the loaders take paths), made once per process and removed at exit.
 */
#ifndef VCDROM_FUZZ_H
#define VCDROM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* "<private folder>/@name"; the folder is made on the first call. */
const char *fuzz_path(const char *name);
/* Make @name hold @len bytes of @data, then be @size bytes long (zeros after, or cut). */
void fuzz_file(const char *name, const void *data, size_t len, off_t size);
/* Remove @name if it exists. */
void fuzz_remove(const char *name);
/*
 * The files a fuzzed sheet may name, in the private folder: a.bin and b.bin
 * (@a and @b bytes, zeros), c.wav (CD audio whose data chunk says @w bytes,
 * followed by @v bytes) and t.cdt (two valid CD-TEXT packs).
 */
void fuzz_files(off_t a, off_t b, uint32_t w, off_t v);
/*
 * What `vcdromctl toc` and `insert` do with @name in the private folder: load
 * it, print its TOC (table and JSON, to /dev/null) and serialise it. Leaves
 * nothing open or allocated. With FUZZ_VERBOSE set in the environment, tells
 * on stderr why a load failed, or the TOC it made (for writing seeds).
 */
void fuzz_load(const char *name);
/* The same with @name given @n times (1 or 2): one disc of @n sessions. */
void fuzz_load_n(const char *name, unsigned int n);

#endif /* VCDROM_FUZZ_H */
