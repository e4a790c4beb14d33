// SPDX-License-Identifier: GPL-2.0
/*
 * cdrom_status DEVICE: print what the CDROM_DRIVE_STATUS ioctl answers for the current slot, as a number
 * (CDS_NO_INFO 0, CDS_NO_DISC 1, CDS_TRAY_OPEN 2, CDS_DRIVE_NOT_READY 3, CDS_DISC_OK 4). A test helper.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>	/* CDSL_CURRENT is INT_MAX */
#include <linux/cdrom.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd, status;

	if (argc != 2) {
		fprintf(stderr, "usage: cdrom_status DEVICE\n");
		return 2;
	}
	/* O_NONBLOCK: open the drive even with no disc in it */
	fd = open(argv[1], O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		fprintf(stderr, "cdrom_status: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	status = ioctl(fd, CDROM_DRIVE_STATUS, CDSL_CURRENT);
	if (status < 0) {
		fprintf(stderr, "cdrom_status: %s: CDROM_DRIVE_STATUS: %s\n", argv[1], strerror(errno));
		close(fd);
		return 1;
	}
	printf("%d\n", status);
	close(fd);
	return 0;
}
