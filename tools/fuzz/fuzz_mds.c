// SPDX-License-Identifier: GPL-2.0
/*
 * The MDS loader: the input is disc.mds, after 8 bytes (little-endian) that
 * say how long disc.mdf is, then disc.md0 and disc.md1 (0: not there), the
 * files its footers may name ("*.mdf", "*.md0", ...). They are zeros (sparse
 * files), so that seeds stay small and their offsets stay true.
 */
#include <stdlib.h>

#include "fuzz.h"

static void data_file(const char *name, uint32_t size)
{
	if (size)
		fuzz_file(name, NULL, 0, size);
	else
		fuzz_remove(name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t mdf, parts;

	if (size < 8)
		return 0;
	mdf = data[0] | data[1] << 8 | data[2] << 16 | (uint32_t)data[3] << 24;
	parts = data[4] | data[5] << 8 | data[6] << 16 | (uint32_t)data[7] << 24;
	data_file("disc.mdf", mdf);
	data_file("disc.md0", parts);
	data_file("disc.md1", parts);
	fuzz_file("disc.mds", data + 8, size - 8, size - 8);
	fuzz_load("disc.mds");
	return 0;
}
