// SPDX-License-Identifier: GPL-2.0
/*
 * vcdrom: READ(6), (10), (12), (16) and SEEK(10). A read is checked here,
 * under the drive lock, and handed to the I/O worker with a reference on the
 * disc, so an eject while it runs cannot take the files away.
 */
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
	if (!vcdrom_disc_is_data(disc, lba, count))
		return SENSE_ILLEGAL_MODE_FOR_TRACK;

	cmd->scmd = rq->scmd;
	cmd->lba = lba;
	cmd->bytes = min_t(u64, (u64)count * VCDROM_SECTOR_SIZE, scsi_bufflen(rq->scmd));
	if (!cmd->bytes || rq->scmd->sc_data_direction != DMA_FROM_DEVICE)
		return SENSE_GOOD;
	vcdrom_disc_get(disc);
	cmd->disc = disc;
	return SENSE_QUEUED;
}

vcdrom_sense_t vcdrom_seek(struct vcdrom_req *rq)
{
	if (get_unaligned_be32(&rq->cdb[2]) >= rq->drive->disc->sectors)
		return SENSE_LBA_OUT_OF_RANGE;
	return SENSE_GOOD;
}
