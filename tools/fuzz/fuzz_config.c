// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration file of 'vcdromctl apply' (vcdromctl/config.c): any bytes,
 * read as the file, and the [cache] that save would keep of it.
 */
#include <stdio.h>

#include "config.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct vcd_config cfg;
	char err[512];
	FILE *f;

	if (!size)
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	if (!vcd_config_parse(f, "/etc/vcdrom.conf", &cfg, err, sizeof(err)))
		vcd_config_free(&cfg);
	if (!null)
		null = fopen("/dev/null", "we");
	rewind(f);
	if (null)
		vcd_config_copy_cache(f, null);
	fclose(f);
	return 0;
}
