// SPDX-License-Identifier: GPL-2.0
/*
 * The CloneCD loader: the input is 8 bytes, then disc.ccd. The bytes say
 * what lies beside it: disc.img's sectors (big-endian, 0-3; zeros but for
 * a sync pattern and header of mode byte 5, when not 0, every 150 sectors),
 * and disc.sub (byte 4: 0 none, 1 96 bytes a sector, else one byte more).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

#define RAW	2352

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t sync[12] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					  0xff, 0xff, 0 };
	uint8_t head[16];
	uint32_t sectors;
	unsigned int i;
	int fd;

	if (size < 8)
		return 0;
	/* a CD's 449850 sectors and a little more: past them only the same limits again */
	sectors = ((uint32_t)data[0] << 24 | data[1] << 16 | data[2] << 8 | data[3]) % 460000;
	fuzz_file("disc.img", NULL, 0, (off_t)sectors * RAW);
	if (data[5]) {
		memcpy(head, sync, sizeof(sync));
		head[12] = head[14] = 0;
		head[13] = 2;
		head[15] = data[5];
		fd = open(fuzz_path("disc.img"), O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			abort();
		for (i = 0; i < 16 && i * 150 < sectors; i++)
			if (pwrite(fd, head, sizeof(head), (off_t)i * 150 * RAW) != sizeof(head))
				abort();
		close(fd);
	}
	if (data[4])
		fuzz_file("disc.sub", NULL, 0, (off_t)sectors * 96 + (data[4] != 1));
	else
		fuzz_remove("disc.sub");
	fuzz_file("disc.ccd", data + 8, size - 8, size - 8);
	fuzz_load("disc.ccd");
	return 0;
}
