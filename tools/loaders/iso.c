// SPDX-License-Identifier: GPL-2.0
/*
 * The ISO loader: a file of 2048-byte sectors (ISO 9660, UDF, or anything
 * else) is a disc with one session holding one MODE1 data track, stored
 * cooked, from LBA 0 to the end of the file. A last partial sector is
 * accepted; the kernel zero-fills the rest of it.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "loaders.h"

#define ISO_SECTOR	2048
/* The volume descriptors start at sector 16; each has a 5-byte identifier at byte 1. */
#define ISO_VD_ID_OFF	(16 * ISO_SECTOR + 1)

int vcd_probe_iso(int fd, uint64_t size)
{
	char id[5];

	if (size < ISO_VD_ID_OFF + sizeof(id) ||
	    pread(fd, id, sizeof(id), ISO_VD_ID_OFF) != (ssize_t)sizeof(id))
		return VCD_PROBE_NO;
	/* ISO 9660, or the start of a UDF volume recognition sequence */
	if (!memcmp(id, "CD001", 5) || !memcmp(id, "BEA01", 5))
		return VCD_PROBE_SURE;
	return VCD_PROBE_NO;
}

int vcd_load_iso(int fd, const char *path, uint64_t size, struct vcd_disc *disc,
		 struct vcd_load *ld)
{
	uint64_t sectors = size / ISO_SECTOR + !!(size % ISO_SECTOR);
	struct vcd_session *session;
	struct vcd_track *track;
	struct vcd_extent *ext;
	int file;

	if (sectors > UINT32_MAX) {
		close(fd);
		return vcd_load_fail(ld, EFBIG, path, "size %llu is more than a disc can hold",
				     (unsigned long long)size);
	}
	file = vcd_disc_add_file(disc, fd, path, size);
	if (file < 0)
		return vcd_load_fail(ld, -file, path, NULL);

	session = vcd_disc_add_session(disc);
	track = session ? vcd_session_add_track(session) : NULL;
	ext = track ? vcd_track_add_extent(track) : NULL;
	if (!ext)
		return vcd_load_fail(ld, ENOMEM, path, NULL);
	track->number = 1;
	track->mode = VCDROM_TRACK_MODE1;
	track->start = 0;
	ext->format = VCDROM_SECTOR_COOKED_2048;
	ext->file = file;
	ext->offset = 0;
	ext->start = 0;
	ext->length = sectors;

	if (size % ISO_SECTOR)
		vcd_load_note(ld, path, "size %llu is not a multiple of %d; "
			      "the last sector is zero-filled",
			      (unsigned long long)size, ISO_SECTOR);
	return 0;
}
