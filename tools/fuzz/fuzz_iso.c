// SPDX-License-Identifier: GPL-2.0
/*
 * ISO detection and the ISO loader: the input is what follows the 16 system
 * sectors (32 KiB of zeros) of a file named without extension, so that only
 * its content chooses the loader.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define SYSTEM_AREA (16 * 2048)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = calloc(1, SYSTEM_AREA + size);

	if (!buf)
		abort();
	memcpy(buf + SYSTEM_AREA, data, size);
	fuzz_file("image", buf, SYSTEM_AREA + size, SYSTEM_AREA + size);
	free(buf);
	fuzz_load("image");
	return 0;
}
