// SPDX-License-Identifier: GPL-2.0
/*
 * vcdrom: READ(6), (10), (12), (16), READ CD, READ CD MSF and SEEK(10). A
 * read is checked here, under the drive lock, and handed to the I/O worker
 * with a reference on the disc, so an eject while it runs cannot take the
 * files away. What each sector is gets checked there, sector by sector: a
 * read stops at the first one it cannot return, with its LBA in the sense.
 */
#include <linux/cdrom.h>
#include <scsi/scsi_proto.h>

#include "vcdrom.h"

vcdrom_sense_t vcdrom_read(struct vcdrom_req *rq)
{
	struct vcdrom_command *cmd = scsi_cmd_priv(rq->scmd);
	struct vcdrom_disc *disc = rq->drive->disc;
	const u8 *cdb = rq->cdb;
	u64 lba;
	u32 count;

	switch (cdb[0]) {
	case READ_6:
		lba = get_unaligned_be24(&cdb[1]) & 0x1fffff;
		count = cdb[4] ? cdb[4] : 256;
		break;
	case READ_10:
		lba = get_unaligned_be32(&cdb[2]);
		count = get_unaligned_be16(&cdb[7]);
		break;
	case READ_12:
		lba = get_unaligned_be32(&cdb[2]);
		count = get_unaligned_be32(&cdb[6]);
		break;
	default:	/* READ_16 */
		lba = get_unaligned_be64(&cdb[2]);
		count = get_unaligned_be32(&cdb[10]);
		break;
	}

	if (lba > disc->sectors || count > disc->sectors - lba)
		return SENSE_LBA_OUT_OF_RANGE;
	if (!count)
		return SENSE_GOOD;

	/*
	 * MODE1 stored as 2048-byte sectors reads straight through; anything
	 * else a sector at a time: its user data if it is mode 1 or form 1,
	 * else ILLEGAL MODE FOR THIS TRACK (05/64/00), and LBA OUT OF RANGE
	 * (05/21/00) between sessions, where a drive finds no data sectors.
	 */
	cmd->how = vcdrom_disc_is_data(disc, lba, count) ? VCDROM_IO_COOKED : VCDROM_IO_USER;
	cmd->scmd = rq->scmd;
	cmd->lba = lba;
	cmd->count = count;
	cmd->bytes = min_t(u64, (u64)count * VCDROM_SECTOR_SIZE, scsi_bufflen(rq->scmd));
	if (!cmd->bytes || rq->scmd->sc_data_direction != DMA_FROM_DEVICE)
		return SENSE_GOOD;
	vcdrom_disc_get(disc);
	cmd->disc = disc;
	return SENSE_QUEUED;
}

/* SEEK (10): READ SUB-CHANNEL's current position is where it went. */
vcdrom_sense_t vcdrom_seek(struct vcdrom_req *rq)
{
	u32 lba = get_unaligned_be32(&rq->cdb[2]);

	if (lba >= rq->drive->disc->sectors)
		return SENSE_LBA_OUT_OF_RANGE;
	vcdrom_audio_seek(rq->drive, lba);
	return SENSE_GOOD;
}

/*
 * READ CD and READ CD MSF: the fields of byte 9 and the subchannel of byte
 * 10 of each sector, if it is of the expected sector type (byte 1).
 */
vcdrom_sense_t vcdrom_read_cd(struct vcdrom_req *rq)
{
	struct vcdrom_command *cmd = scsi_cmd_priv(rq->scmd);
	struct vcdrom_disc *disc = rq->drive->disc;
	const u8 *cdb = rq->cdb;
	u8 type = (cdb[1] >> 2) & 0x07, fields = cdb[9], sub = cdb[10] & 0x07;
	s64 lba, end;
	u32 count;

	if (disc->profile != VCDROM_PROFILE_CD_ROM)
		return SENSE_INCOMPATIBLE_FORMAT;
	if (type > VCDROM_CD_FORM2 || (fields & VCDROM_RCD_C2) == VCDROM_RCD_C2 ||
	    (sub != VCDROM_RCD_SUB_NONE && sub != VCDROM_RCD_SUB_RAW &&
	     sub != VCDROM_RCD_SUB_Q && sub != VCDROM_RCD_SUB_RW))
		return SENSE_INVALID_FIELD_IN_CDB;
	/* MMC's illegal field combinations: EDC/ECC without user data, sync without header. */
	if (((fields & VCDROM_RCD_EDC_ECC) && !(fields & VCDROM_RCD_USER)) ||
	    ((fields & VCDROM_RCD_SYNC) && !(fields & VCDROM_RCD_HEADER)))
		return SENSE_INVALID_FIELD_IN_CDB;

	if (cdb[0] == GPCMD_READ_CD) {
		lba = get_unaligned_be32(&cdb[2]);
		count = get_unaligned_be24(&cdb[6]);
	} else {
		/* Binary MSF, not BCD; the end is not read. */
		lba = msf_to_lba(cdb[3], cdb[4], cdb[5]);
		end = msf_to_lba(cdb[6], cdb[7], cdb[8]);
		if (end < lba)
			return SENSE_INVALID_FIELD_IN_CDB;
		count = end - lba;
		if (lba < 0)
			return count ? SENSE_LBA_OUT_OF_RANGE : SENSE_GOOD;
	}
	if (lba > disc->sectors || count > disc->sectors - lba)
		return SENSE_LBA_OUT_OF_RANGE;
	if (!count || !scsi_bufflen(rq->scmd) ||
	    rq->scmd->sc_data_direction != DMA_FROM_DEVICE)
		return SENSE_GOOD;

	vcdrom_audio_seek(rq->drive, lba + count - 1);	/* where the head ends */
	cmd->how = VCDROM_IO_CD;
	cmd->scmd = rq->scmd;
	cmd->lba = lba;
	cmd->count = count;
	cmd->bytes = scsi_bufflen(rq->scmd);
	cmd->type = type;
	cmd->fields = fields;
	cmd->sub = sub;
	vcdrom_disc_get(disc);
	cmd->disc = disc;
	return SENSE_QUEUED;
}
