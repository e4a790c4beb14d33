// SPDX-License-Identifier: GPL-2.0
/*
 * The NRG loader: the input is an image's tail, its chunk chain and footer,
 * after 8 bytes (big-endian) saying where in disc.nrg that tail starts; the
 * sectors before it are zeros (a sparse file), so that seeds taken from
 * real images stay small and their offsets stay true.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t at = 0;
	int fd, i;

	if (size < 8)
		return 0;
	for (i = 0; i < 8; i++)
		at = at << 8 | data[i];
	at %= 1ULL << 32;		/* past 4 GiB only the same limits again */
	fuzz_file("disc.nrg", NULL, 0, at);
	fd = open(fuzz_path("disc.nrg"), O_WRONLY | O_CLOEXEC);
	if (fd < 0 || pwrite(fd, data + 8, size - 8, at) != (ssize_t)(size - 8))
		abort();
	close(fd);
	fuzz_load("disc.nrg");
	return 0;
}
