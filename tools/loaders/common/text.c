// SPDX-License-Identifier: GPL-2.0
/* Text in the encodings image formats use: UTF-8, and ISO 8859-1 (Latin-1). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

/* Length of the valid UTF-8 sequence at @s, or 0 if it is not one. */
static int utf8_seq(const unsigned char *s)
{
	int i, n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	n = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

bool vcd_text_is_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int n;

	for (; *p; p += n) {
		n = utf8_seq(p);
		if (!n)
			return false;
	}
	return true;
}

void vcd_text_to_latin1(char *s, bool utf8)
{
	unsigned char *in = (unsigned char *)s, *out = in;
	int n;

	if (!utf8) {
		for (; *in; in++)
			if (*in < 0x20)
				*in = ' ';
		return;
	}
	for (; *in; in += n) {
		n = utf8_seq(in);
		if (!n) {			/* not UTF-8 (a TOC's \ooo escape): Latin-1 */
			*out++ = *in;
			n = 1;
		} else if (n == 1)
			*out++ = *in < 0x20 ? ' ' : *in;	/* a TAB means "as before" */
		else if (n == 2 && in[0] < 0xc4)	/* U+0080 to U+00FF */
			*out++ = (in[0] & 0x03) << 6 | (in[1] & 0x3f);
		else
			*out++ = '?';
	}
	*out = '\0';
}

char *vcd_text_latin1_to_utf8(const char *s)
{
	char *out = malloc(2 * strlen(s) + 1), *o = out;
	const unsigned char *p;

	if (!out)
		return NULL;
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x80) {
			*o++ = *p;
		} else {
			*o++ = 0xc0 | *p >> 6;
			*o++ = 0x80 | (*p & 0x3f);
		}
	}
	*o = '\0';
	return out;
}

int vcd_read_text(int fd, uint64_t size, uint64_t max, const char *path, const char *what,
		  struct vcd_load *ld, char **textp)
{
	char *text;
	ssize_t n;

	if (size > max)
		return vcd_load_fail(ld, EFBIG, path, "larger than %llu bytes: not %s",
				     (unsigned long long)max, what);
	text = malloc(size + 1);
	if (!text)
		return vcd_load_fail(ld, ENOMEM, path, NULL);
	n = pread(fd, text, size, 0);
	if (n < 0) {
		free(text);
		return vcd_load_fail(ld, errno, path, NULL);
	}
	if (memchr(text, '\0', n)) {
		free(text);
		return vcd_load_fail(ld, EINVAL, path, "binary data (a NUL byte): not %s", what);
	}
	text[n] = '\0';
	if (n >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		memmove(text, text + 3, n - 2);
	*textp = text;
	return 0;
}

char *vcd_probe_text(int fd, uint64_t size, uint64_t max, char *buf, size_t len)
{
	ssize_t n;

	if (size > max)
		return NULL;
	n = pread(fd, buf, len, 0);
	if (n <= 0 || memchr(buf, '\0', n))
		return NULL;
	buf[n] = '\0';
	return memcmp(buf, "\xef\xbb\xbf", 3) ? buf : buf + 3;
}
