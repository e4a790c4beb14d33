/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the C tests share: finding a vcdrom drive's nodes, and loading
 * $VCDROM_KO (once, before the harness starts) when no drive exists.
 */
#ifndef VCDROM_TEST_H
#define VCDROM_TEST_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The first vcdrom drive's node of @class ("scsi_generic" or "block"), as /dev/NAME. */
static int find_vcdrom_node(const char *class, char *path, size_t len)
{
	char p[600], vendor[16] = "";
	struct dirent *de, *ge;
	DIR *d, *g;
	FILE *f;
	int found = 0;

	d = opendir("/sys/bus/scsi/devices");
	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		snprintf(p, sizeof(p), "/sys/bus/scsi/devices/%s/vendor", de->d_name);
		f = fopen(p, "r");
		if (!f)
			continue;
		if (!fgets(vendor, sizeof(vendor), f))
			vendor[0] = 0;
		fclose(f);
		if (strncmp(vendor, "vcdrom ", 7))
			continue;
		snprintf(p, sizeof(p), "/sys/bus/scsi/devices/%s/%s", de->d_name, class);
		g = opendir(p);
		if (!g)
			continue;
		while ((ge = readdir(g))) {
			if (ge->d_name[0] != '.') {
				snprintf(path, len, "/dev/%.32s", ge->d_name);
				found = 1;
				break;
			}
		}
		closedir(g);
	}
	closedir(d);
	return found && access(path, R_OK | W_OK) == 0;
}

static char sg_path[64];
static int loaded_module;

__attribute__((constructor)) static void load_vcdrom(void)
{
	const char *ko = getenv("VCDROM_KO");
	char cmd[512];
	int i;

	if (find_vcdrom_node("scsi_generic", sg_path, sizeof(sg_path)) || !ko)
		return;
	snprintf(cmd, sizeof(cmd),
		 "modprobe -a sr_mod sg >/dev/null 2>&1; insmod '%s' drives=1", ko);
	if (system(cmd) != 0)
		return;
	loaded_module = 1;
	for (i = 0; i < 100 && !find_vcdrom_node("scsi_generic", sg_path, sizeof(sg_path)); i++)
		usleep(100000);
}

__attribute__((destructor)) static void unload_vcdrom(void)
{
	if (loaded_module && system("rmmod vcdrom") != 0)
		fprintf(stderr, "rmmod vcdrom failed\n");
}

#endif /* VCDROM_TEST_H */
