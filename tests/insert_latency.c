// SPDX-License-Identifier: GPL-2.0
/*
 * Bench helper: how long from an INSERT (image loaded and sent, as vcdromctl
 * does it, but without a process start) until a read of /dev/srN succeeds.
 *
 * insert_latency DRIVE IMAGE RUNS: prints one line per run, in milliseconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libvcdrom.h"
#include "loaders.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	struct vcd_client *c;
	struct vcd_drive_info info;
	char node[64], sector[2048];
	int drive, runs, i, ret;

	if (argc != 4) {
		fprintf(stderr, "usage: insert_latency DRIVE IMAGE RUNS\n");
		return 2;
	}
	drive = atoi(argv[1]);
	runs = atoi(argv[3]);
	ret = vcd_open(&c);
	if (ret) {
		fprintf(stderr, "insert_latency: %s\n", strerror(-ret));
		return 1;
	}
	ret = vcd_drive_get(c, drive, &info);
	if (ret || !info.block_dev[0]) {
		fprintf(stderr, "insert_latency: drive %d: no block device\n", drive);
		return 1;
	}
	snprintf(node, sizeof(node), "/dev/%s", info.block_dev);
	vcd_drive_info_free(&info);

	for (i = 0; i < runs; i++) {
		struct vcd_load ld = { 0 };
		struct vcd_disc disc;
		double t0, t1;
		int fd = -1;

		vcd_eject(c, drive, true);
		vcd_disc_init(&disc);
		t0 = now_ms();
		ret = vcd_load_image(argv[2], &disc, &ld);
		if (!ret)
			ret = vcd_insert(c, drive, &disc, false, NULL);
		vcd_disc_free(&disc);
		if (ret) {
			fprintf(stderr, "insert_latency: insert: %s %s\n", strerror(-ret),
				vcd_ext_msg(c));
			return 1;
		}
		for (;;) {
			fd = open(node, O_RDONLY);
			if (fd >= 0 && pread(fd, sector, sizeof(sector), 0) == sizeof(sector))
				break;
			if (fd >= 0)
				close(fd);
			if (now_ms() - t0 > 10000) {
				fprintf(stderr, "insert_latency: %s not readable after 10 s\n", node);
				return 1;
			}
		}
		t1 = now_ms();
		close(fd);
		printf("%.2f\n", t1 - t0);
	}
	vcd_eject(c, drive, true);
	vcd_close(c);
	return 0;
}
