// SPDX-License-Identifier: GPL-2.0
/*
 * Bench helper: sectors per second of sequential reads through SG_IO, as a
 * ripper reads (cdparanoia, cdrdao: READ CD of whole sectors, a few at a
 * time), or the same with READ(10) of the user data.
 *
 * read_rate DEVICE cd|read10 SECTORS_PER_COMMAND SECONDS
 *	reads from LBA 0 on, wrapping at READ CAPACITY's end, for SECONDS;
 *	prints the sectors per second. READ CD asks for sync, header,
 *	subheader, user data and EDC/ECC (F8h) of any sector type. Exit 1 on
 *	any failed command.
 */
#include <fcntl.h>
#include <scsi/sg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int sg_cmd(int fd, const uint8_t *cdb, int cdb_len, void *buf, unsigned int len)
{
	uint8_t sense[32];
	struct sg_io_hdr h = {
		.interface_id = 'S',
		.dxfer_direction = SG_DXFER_FROM_DEV,
		.cmd_len = cdb_len,
		.mx_sb_len = sizeof(sense),
		.dxfer_len = len,
		.dxferp = buf,
		.cmdp = (uint8_t *)cdb,
		.sbp = sense,
		.timeout = 30000,
	};

	if (ioctl(fd, SG_IO, &h) < 0) {
		perror("SG_IO");
		return -1;
	}
	if (h.status || h.host_status || h.driver_status || h.resid) {
		fprintf(stderr, "read_rate: CDB %02x: status %u, sense %02x/%02x/%02x, resid %d\n",
			cdb[0], h.status, sense[2] & 0xf, sense[12], sense[13], h.resid);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	uint8_t cdb[12] = {}, cap[8];
	unsigned int per, size, n, lba = 0, end;
	double seconds, t0, t;
	unsigned long sectors = 0;
	int fd, cd;
	void *buf;

	if (argc != 5 || (strcmp(argv[2], "cd") && strcmp(argv[2], "read10"))) {
		fprintf(stderr, "usage: read_rate DEVICE cd|read10 SECTORS_PER_COMMAND SECONDS\n");
		return 2;
	}
	cd = !strcmp(argv[2], "cd");
	per = atoi(argv[3]);
	seconds = atof(argv[4]);
	size = cd ? 2352 : 2048;
	fd = open(argv[1], O_RDONLY | O_NONBLOCK);
	if (fd < 0 || per < 1 || per > 400) {
		perror(argv[1]);
		return 2;
	}
	/* page-aligned: the block layer maps it, never copies it */
	if (posix_memalign(&buf, 4096, (size_t)per * size))
		return 1;
	cdb[0] = 0x25;		/* READ CAPACITY */
	if (sg_cmd(fd, cdb, 10, cap, sizeof(cap)))
		return 1;
	end = (cap[0] << 24 | cap[1] << 16 | cap[2] << 8 | cap[3]) + 1;
	if (end < per)
		return 1;
	t0 = now_s();
	do {
		for (int i = 0; i < 64; i++) {
			n = per;
			if (lba + n > end)
				lba = 0;
			memset(cdb, 0, sizeof(cdb));
			if (cd) {
				cdb[0] = 0xbe;
				cdb[6] = n >> 16;
				cdb[7] = n >> 8;
				cdb[8] = n;
				cdb[9] = 0xf8;
			} else {
				cdb[0] = 0x28;
				cdb[7] = n >> 8;
				cdb[8] = n;
			}
			cdb[2] = lba >> 24;
			cdb[3] = lba >> 16;
			cdb[4] = lba >> 8;
			cdb[5] = lba;
			if (sg_cmd(fd, cdb, cd ? 12 : 10, buf, n * size))
				return 1;
			lba += n;
			sectors += n;
		}
		t = now_s() - t0;
	} while (t < seconds);
	printf("%.0f\n", sectors / t);
	return 0;
}
