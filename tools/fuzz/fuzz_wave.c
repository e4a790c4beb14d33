// SPDX-License-Identifier: GPL-2.0
/* The CUE loader's WAVE reader: the input is c.wav, which a fixed sheet names. */
#include "fuzz.h"

static const char sheet[] =
	"FILE \"c.wav\" WAVE\n"
	"TRACK 01 AUDIO\nINDEX 01 00:00:00\n"
	"TRACK 02 AUDIO\nINDEX 00 00:00:01\nINDEX 01 00:00:02\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;

	if (!once++)
		fuzz_file("disc.cue", sheet, sizeof(sheet) - 1, sizeof(sheet) - 1);
	fuzz_file("c.wav", data, size, size);
	fuzz_load("disc.cue");
	return 0;
}
