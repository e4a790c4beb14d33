// SPDX-License-Identifier: GPL-2.0
/*
 * The TOC loader: the input is a toc-file, disc.toc, beside the files it may
 * name (see fuzz_files()). A first line "// FUZZ A B W V" (a comment to the
 * loader; after a BOM or not) sets those files' sizes, so that the fuzzer
 * varies them too. It is loaded alone, then twice as one disc of two
 * sessions.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned long long n[4] = { 2352 * 300, 2352 * 300, 2352 * 300, 2352 * 300 };
	char head[128], *p, *end;
	size_t len;
	int i;

	len = size < sizeof(head) - 1 ? size : sizeof(head) - 1;
	memcpy(head, data, len);
	head[len] = '\0';
	p = head + (!memcmp(head, "\xef\xbb\xbf", 3) ? 3 : 0);	/* a BOM */
	if (!memcmp(p, "// FUZZ ", 8)) {
		p += 8;
		for (i = 0; i < 4; i++) {
			n[i] = strtoull(p, &end, 0);
			if (end == p)
				break;
			p = end;
		}
	}
	/* beyond a disc's 4 GiB of sectors, sizes only test the same limit again */
	for (i = 0; i < 4; i++)
		n[i] %= 1ULL << 33;
	fuzz_files(n[0], n[1], n[2], n[3]);
	fuzz_file("disc.toc", data, size, size);
	fuzz_load("disc.toc");
	fuzz_load_n("disc.toc", 2);		/* twice: one disc of two sessions */
	return 0;
}
