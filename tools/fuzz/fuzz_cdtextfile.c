// SPDX-License-Identifier: GPL-2.0
/* The CUE loader's CDTEXTFILE reader: the input is t.cdt, which a fixed sheet names. */
#include "fuzz.h"

static const char sheet[] =
	"CDTEXTFILE \"t.cdt\"\n"
	"FILE \"a.bin\" BINARY\n"
	"TRACK 01 AUDIO\nINDEX 01 00:00:00\n"
	"TRACK 02 AUDIO\nINDEX 01 00:00:02\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;

	if (!once++) {
		fuzz_files(2352 * 300, 2352, 2352, 2352);
		fuzz_file("disc.cue", sheet, sizeof(sheet) - 1, sizeof(sheet) - 1);
	}
	fuzz_file("t.cdt", data, size, size);
	fuzz_load("disc.cue");
	return 0;
}
