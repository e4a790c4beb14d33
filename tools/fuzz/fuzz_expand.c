// SPDX-License-Identifier: GPL-2.0
/*
 * The expanders (gzip, xz, zstd, bzip2, ECM): the input is the compressed
 * file, expanded into memory as --no-cache does, then loaded by content.
 * Output is capped by a file size limit: a small input may expand a lot.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/resource.h>

#include "expand/expand.h"
#include "fuzz.h"

#define OUT_MAX	(64 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool limited;
	struct vcd_expand x = { 0 };
	struct vcd_load ld = { .expand = &x };
	uint64_t len = size;
	int fd, out;

	if (!limited) {
		struct rlimit rl = { OUT_MAX, OUT_MAX };

		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &rl);
		limited = true;
	}
	fuzz_file("image", data, size, size);
	fd = open(fuzz_path("image"), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		abort();
	out = vcd_expand_fd(&x, fd, "image", &len, &ld);
	if (out >= 0)
		close(out);
	vcd_expand_free(&x);
	return 0;
}
