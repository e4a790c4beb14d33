// SPDX-License-Identifier: GPL-2.0
/* Minutes, seconds and frames (75 a second) as image formats write them. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "common.h"

bool vcd_msf_parse(const char *s, uint32_t *lba)
{
	unsigned int m, sec, f;
	int n = -1;

	if (!isdigit((unsigned char)s[0]) ||
	    sscanf(s, "%2u:%2u:%2u%n", &m, &sec, &f, &n) != 3 || n < 0 || s[n] ||
	    strspn(s, "0123456789:") != strlen(s) || sec >= 60 || f >= 75)
		return false;
	*lba = (m * 60 + sec) * 75 + f;
	return true;
}

struct vcd_extent *vcd_add_extent(struct vcd_track *vt, uint32_t *lba, uint32_t len,
				  uint32_t format)
{
	struct vcd_extent *e = vcd_track_add_extent(vt);

	if (e) {
		e->start = *lba;
		e->length = len;
		e->format = format;
		*lba += len;
	}
	return e;
}
