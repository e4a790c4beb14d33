// SPDX-License-Identifier: GPL-2.0
/*
 * Raw 2352-byte sectors without a cue sheet: known by the sync pattern that
 * starts every data sector, loaded only when the caller says so
 * (--sector-size 2352), as one data track from LBA 0 whose mode is read from
 * the sector headers: MODE1, or MODE2 (CD-ROM XA, as a cue sheet's
 * MODE2/2352 is).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "loaders.h"

#define RAW_SECTOR	2352
#define RAW_MODE_OFF	15		/* the header's mode byte */

static const unsigned char sync_pattern[12] = {
	0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00
};

/* The mode byte of sector @lba, or -1 when it has no sync pattern. */
static int sector_mode(int fd, uint64_t lba)
{
	unsigned char head[RAW_MODE_OFF + 1];

	if (pread(fd, head, sizeof(head), lba * RAW_SECTOR) != (ssize_t)sizeof(head) ||
	    memcmp(head, sync_pattern, sizeof(sync_pattern)))
		return -1;
	return head[RAW_MODE_OFF];
}

int vcd_probe_raw(int fd, uint64_t size)
{
	if (size < RAW_SECTOR)
		return VCD_PROBE_NO;
	return sector_mode(fd, 0) < 0 ? VCD_PROBE_NO : VCD_PROBE_SURE;
}

int vcd_load_raw(int fd, const char *path, uint64_t size, struct vcd_disc *disc,
		 struct vcd_load *ld)
{
	uint64_t sectors = size / RAW_SECTOR;
	struct vcd_session *session;
	struct vcd_track *track;
	struct vcd_extent *ext;
	int mode, file, err;

	/* Named by its extension alone (game.bin), without a sync pattern: audio, or unknown. */
	if (ld->sector_size != RAW_SECTOR && vcd_probe_raw(fd, size) == VCD_PROBE_NO) {
		err = vcd_load_fail(ld, EINVAL, path, "no data sector's sync pattern, nor any other "
				    "format's signature: give its cue sheet (or %s)", VCD_RAW_HINT);
		goto out_close;
	}
	if (ld->sector_size != RAW_SECTOR) {
		err = vcd_load_fail(ld, EINVAL, path, "is a raw CD image without its cue sheet: "
				    "give the .cue, or insert with --sector-size 2352");
		goto out_close;
	}
	/* The first sector, the second and the sixteenth (ISO 9660's descriptor) agree. */
	mode = sectors ? sector_mode(fd, 0) : -1;
	if (mode < 0 || (sectors > 1 && sector_mode(fd, 1) != mode) ||
	    (sectors > 16 && sector_mode(fd, 16) != mode)) {
		err = vcd_load_fail(ld, EINVAL, path, "not raw 2352-byte data sectors of one mode "
				    "(sectors 0, 1 and 16 must start with a sync pattern and agree)");
		goto out_close;
	}
	if (mode != 1 && mode != 2) {
		err = vcd_load_fail(ld, EINVAL, path, "sector 0 is of mode %d: only a MODE1 or "
				    "MODE2 data track loads without a cue sheet", mode);
		goto out_close;
	}
	if (sectors > VCDROM_CD_MAX_LEADOUT) {
		err = vcd_load_fail(ld, EFBIG, path, "%llu sectors are more than a CD holds (%u)",
				    (unsigned long long)sectors, VCDROM_CD_MAX_LEADOUT);
		goto out_close;
	}
	file = vcd_disc_add_file(disc, fd, path, size);
	if (file < 0)
		return vcd_load_fail(ld, -file, path, NULL);

	session = vcd_disc_add_session(disc);
	track = session ? vcd_session_add_track(session) : NULL;
	ext = track ? vcd_track_add_extent(track) : NULL;
	if (!ext)
		return vcd_load_fail(ld, ENOMEM, path, NULL);
	disc->medium = VCDROM_MEDIUM_CD;
	track->number = 1;
	track->mode = mode == 1 ? VCDROM_TRACK_MODE1 : VCDROM_TRACK_MODE2_XA;
	track->start = 0;
	ext->format = VCDROM_SECTOR_RAW;
	ext->file = file;
	ext->offset = 0;
	ext->start = 0;
	ext->length = sectors;

	vcd_load_note(ld, path, "one MODE%d data track of %llu raw sectors", mode,
		      (unsigned long long)sectors);
	if (size % RAW_SECTOR)
		vcd_load_note(ld, path, "size %llu is not a multiple of %d; the last %llu bytes "
			      "are left out", (unsigned long long)size, RAW_SECTOR,
			      (unsigned long long)(size % RAW_SECTOR));
	return 0;

out_close:
	close(fd);
	return err;
}
