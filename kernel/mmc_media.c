// SPDX-License-Identifier: GPL-2.0
/*
 * vcdrom: the tray, the lock and media events: TEST UNIT READY, REQUEST
 * SENSE, START STOP UNIT, PREVENT ALLOW MEDIUM REMOVAL, GET EVENT STATUS
 * NOTIFICATION and MECHANISM STATUS.
 */
#include <scsi/scsi.h>
#include <scsi/scsi_common.h>

#include "vcdrom.h"

vcdrom_sense_t vcdrom_test_unit_ready(struct vcdrom_req *rq)
{
	return vcdrom_drive_not_ready(rq->drive);
}

/* The sense a command would get now: a pending unit attention (cleared), else readiness. */
vcdrom_sense_t vcdrom_request_sense(struct vcdrom_req *rq)
{
	bool desc = rq->cdb[1] & 0x01;
	vcdrom_sense_t sense;

	sense = vcdrom_drive_take_ua(rq->drive);
	if (!sense)
		sense = vcdrom_drive_not_ready(rq->drive);
	scsi_build_sense_buffer(desc, rq->buf, VCDROM_SENSE_KEY(sense),
				VCDROM_SENSE_ASC(sense), VCDROM_SENSE_ASCQ(sense));
	vcdrom_data_in(rq, desc ? 8 : 18, rq->cdb[4]);
	return SENSE_GOOD;
}

vcdrom_sense_t vcdrom_start_stop_unit(struct vcdrom_req *rq)
{
	struct vcdrom_drive *drive = rq->drive;
	u8 power_condition = rq->cdb[4] >> 4;
	bool loej = rq->cdb[4] & 0x02, start = rq->cdb[4] & 0x01;

	/* A power condition change ignores LoEj and Start; ours is a no-op. */
	if (power_condition)
		return SENSE_GOOD;
	/* Stopping the disc ends audio play (CDROMSTOP sends this). */
	if (!start && drive->disc)
		vcdrom_audio_interrupt(drive);
	if (!loej)
		return SENSE_GOOD;
	if (start) {
		vcdrom_drive_host_load(drive, &rq->change);
		return SENSE_GOOD;
	}
	return vcdrom_drive_host_eject(drive, &rq->change);
}

vcdrom_sense_t vcdrom_prevent_allow(struct vcdrom_req *rq)
{
	/* Prevent field bit 0; persistent prevention (bit 1) is not kept apart. */
	vcdrom_drive_set_prevent(rq->drive, rq->cdb[4] & 0x01);
	return SENSE_GOOD;
}

#define GESN_CLASS_MEDIA	4
#define GESN_NEA		0x80

vcdrom_sense_t vcdrom_get_event_status(struct vcdrom_req *rq)
{
	struct vcdrom_drive *drive = rq->drive;
	unsigned int alloc_len = get_unaligned_be16(&rq->cdb[7]);
	u8 *b = rq->buf;

	if (!(rq->cdb[1] & 0x01))	/* asynchronous mode is not supported */
		return SENSE_INVALID_FIELD_IN_CDB;

	b[3] = BIT(GESN_CLASS_MEDIA);	/* supported event classes */
	if (!(rq->cdb[4] & BIT(GESN_CLASS_MEDIA))) {
		b[2] = GESN_NEA;
		put_unaligned_be16(2, &b[0]);
		vcdrom_data_in(rq, 4, alloc_len);
		return SENSE_GOOD;
	}

	b[2] = GESN_CLASS_MEDIA;
	put_unaligned_be16(6, &b[0]);
	/* Each event is reported once, to the first caller who can see it. */
	if (alloc_len > 4) {
		b[4] = drive->media_event;
		drive->media_event = VCDROM_ME_NONE;
	}
	b[5] = (drive->tray_open ? 0x01 : 0) | (drive->disc ? 0x02 : 0);
	vcdrom_data_in(rq, 8, alloc_len);
	return SENSE_GOOD;
}

vcdrom_sense_t vcdrom_mechanism_status(struct vcdrom_req *rq)
{
	/* Not a changer: no slot tables; byte 1 bit 4 is the door. */
	rq->buf[1] = rq->drive->tray_open ? 0x10 : 0;
	vcdrom_data_in(rq, 8, get_unaligned_be16(&rq->cdb[8]));
	return SENSE_GOOD;
}
