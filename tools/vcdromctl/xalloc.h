/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allocation that exits on failure, for vcdromctl's own code only: the
 * library and the loaders (helpers.h is theirs too) return -ENOMEM instead.
 * Inline, as output.c is also linked without the rest of vcdromctl.
 */
#ifndef VCDROMCTL_XALLOC_H
#define VCDROMCTL_XALLOC_H

#include <stdio.h>
#include <stdlib.h>

static inline __attribute__((noreturn)) void xalloc_failed(void)
{
	fputs("vcdromctl: out of memory\n", stderr);
	exit(EXIT_FAILURE);
}

static inline void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p)
		xalloc_failed();
	return p;
}

static inline void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p)
		xalloc_failed();
	return p;
}

#endif /* VCDROMCTL_XALLOC_H */
