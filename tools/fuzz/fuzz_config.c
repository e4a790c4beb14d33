// SPDX-License-Identifier: GPL-2.0
/* The configuration file of 'vcdromctl apply' (vcdromctl/config.c): any bytes, read as the file. */
#include <stdio.h>

#include "config.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
	fclose(f);
	return 0;
}
