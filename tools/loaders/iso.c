// SPDX-License-Identifier: GPL-2.0
/*
 * The ISO loader: a file of 2048-byte sectors is a disc with one session
 * holding one MODE1 data track, stored cooked, from LBA 0 to the end of the
 * file. It is taken for one when it holds a file system's volume descriptor
 * (ISO 9660, UDF, High Sierra) or an Apple partition map, or when the caller
 * says the file is plain data sectors (--raw). A last partial sector is
 * accepted; the kernel zero-fills the rest of it.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "loaders.h"

#define ISO_SECTOR	2048
/* The volume recognition area starts at sector 16 and is read this far. */
#define ISO_VRS_FIRST	16
#define ISO_VRS_SECTORS	16

/*
 * A descriptor of the volume recognition area: ISO 9660 (its El Torito boot
 * record too), UDF's BEA01 and NSR02/NSR03 have their identifier at byte 1,
 * High Sierra at byte 9.
 */
static bool is_descriptor(const unsigned char *d)
{
	return !memcmp(d + 1, "CD001", 5) || !memcmp(d + 1, "BEA01", 5) ||
	       !memcmp(d + 1, "NSR02", 5) || !memcmp(d + 1, "NSR03", 5) ||
	       !memcmp(d + 9, "CDROM", 5);
}

int vcd_probe_iso(int fd, uint64_t size)
{
	unsigned char d[16];
	uint64_t off;
	int i;

	/* A Mac hybrid: block 0 "ER", then "PM" entries, in blocks of 512 or 2048 bytes. */
	if (pread(fd, d, 2, 0) == 2 && !memcmp(d, "ER", 2) &&
	    ((pread(fd, d, 2, 512) == 2 && !memcmp(d, "PM", 2)) ||
	     (pread(fd, d, 2, 2048) == 2 && !memcmp(d, "PM", 2))))
		return VCD_PROBE_SURE;
	for (i = 0; i < ISO_VRS_SECTORS; i++) {
		off = (uint64_t)(ISO_VRS_FIRST + i) * ISO_SECTOR;
		if (size < off + sizeof(d) || pread(fd, d, sizeof(d), off) != (ssize_t)sizeof(d))
			break;
		if (is_descriptor(d))
			return VCD_PROBE_SURE;
	}
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

	if (ld->sector_size != ISO_SECTOR && vcd_probe_iso(fd, size) == VCD_PROBE_NO) {
		close(fd);
		return vcd_load_fail(ld, EINVAL, path, "not an ISO image: %s (%s)",
				     VCD_ISO_LOOKED_FOR, VCD_RAW_HINT);
	}
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
