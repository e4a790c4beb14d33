// SPDX-License-Identifier: GPL-2.0
/*
 * The CHD decoder (loaders/chd/): the input is a CHD file. It is opened
 * (header, map, metadata) and, when its data is small, extracted into a
 * file whose disc layout is then made; a child CHD has no parent here, and
 * is refused. The fuzz build checks no SHA-1 (the header's, the data's),
 * so that a changed byte reaches what follows. Seeds: small CHDs from
 * chdman (a CD with CD codecs, raw CHDs with each raw codec, a DVD, a
 * GD-ROM).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

#include "chd/chd.h"
#include "fuzz.h"
#include "libvcdrom.h"

/* Data above this is not extracted: a small map can describe terabytes. */
#define MAX_EXTRACT	(8u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct vcd_chd_info *in;
	struct vcd_load ld = { 0 };
	struct vcd_disc disc;
	struct vcd_chd *chd;
	struct stat st;
	int fd, out;

	fuzz_file("disc.chd", data, size, size);
	fd = open(fuzz_path("disc.chd"), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		abort();
	if (vcd_chd_open(fd, "disc.chd", NULL, &ld, &chd)) {
		close(fd);
		return 0;
	}
	in = vcd_chd_info(chd);
	if (in->logical_bytes <= MAX_EXTRACT) {
		out = open(fuzz_path("disc.bin"), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (out < 0)
			abort();
		if (!vcd_chd_extract(chd, out, NULL, NULL, &ld) && !fstat(out, &st)) {
			vcd_disc_init(&disc);
			/* the disc owns @out from here */
			vcd_chd_fill_disc(in, out, "disc.bin", st.st_size, &disc, &ld);
			vcd_disc_free(&disc);
		} else {
			close(out);
		}
	}
	vcd_chd_close(chd);
	close(fd);
	return 0;
}
