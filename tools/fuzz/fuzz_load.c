// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing the loader by content: the input is a file named without
 * extension (a cue sheet, an image, anything), beside the files a sheet may
 * name (see fuzz_files()).
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;

	if (!once++)
		fuzz_files(2352 * 300, 2048 * 10, 2352 * 20, 2352 * 20);
	fuzz_file("image", data, size, size);
	fuzz_load("image");
	return 0;
}
