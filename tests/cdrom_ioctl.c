// SPDX-License-Identifier: GPL-2.0
/*
 * cdrom_ioctl DEVICE eject|close|lock|unlock: issue one CD-ROM ioctl (CDROMEJECT, CDROMCLOSETRAY,
 * CDROM_LOCKDOOR 1 or 0) on DEVICE, opened read-only and non-blocking as eject(1) does, and nothing else
 * (eject(1) unlocks the door before CDROMEJECT). Exits 0 when the ioctl returned 0; 1 with
 * "cdrom_ioctl: DEVICE: IOCTL: error" on stderr when it failed, or "returned N" when it returned a positive
 * value: sr passes CDROMEJECT and CDROMCLOSETRAY to the SCSI midlayer, whose answer to a command that ended
 * in CHECK CONDITION is the SCSI result, not an errno. A test helper.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/cdrom.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long req, arg = 0;
	const char *name;
	int fd, ret;

	if (argc != 3)
		goto usage;
	if (!strcmp(argv[2], "eject")) {
		req = CDROMEJECT;
		name = "CDROMEJECT";
	} else if (!strcmp(argv[2], "close")) {
		req = CDROMCLOSETRAY;
		name = "CDROMCLOSETRAY";
	} else if (!strcmp(argv[2], "lock") || !strcmp(argv[2], "unlock")) {
		req = CDROM_LOCKDOOR;
		arg = argv[2][0] == 'l';
		name = "CDROM_LOCKDOOR";
	} else {
		goto usage;
	}

	fd = open(argv[1], O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		fprintf(stderr, "cdrom_ioctl: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	ret = ioctl(fd, req, arg);
	if (ret < 0)
		fprintf(stderr, "cdrom_ioctl: %s: %s: %s\n", argv[1], name, strerror(errno));
	else if (ret > 0)
		fprintf(stderr, "cdrom_ioctl: %s: %s: returned %#x\n", argv[1], name, ret);
	close(fd);
	return ret != 0;

usage:
	fprintf(stderr, "usage: cdrom_ioctl DEVICE eject|close|lock|unlock\n");
	return 2;
}
