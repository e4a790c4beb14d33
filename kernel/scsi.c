// SPDX-License-Identifier: GPL-2.0
/*
 * vcdrom: the SCSI host side. queuecommand looks each opcode up in one table,
 * applies the rules every command shares (CDB length, unit attentions, medium
 * presence) and completes the command with data or sense built in one place.
 */
#include <linux/cdrom.h>
#include <linux/module.h>
#include <linux/blkdev.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <scsi/scsi.h>
#include <scsi/scsi_common.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_host.h>

#include "vcdrom.h"

/* Runs with no medium in the drive. */
#define OP_NO_MEDIUM	BIT(0)
/* Runs while a unit attention is pending and leaves it pending (SPC-3 5.9.5). */
#define OP_UA_PASS	BIT(1)
/* Moves data through the I/O worker, never through the response buffer. */
#define OP_IO		BIT(2)
/* Moves the head: ends audio play (once the shared checks pass). */
#define OP_STOPS_PLAY	BIT(3)
/* Takes a parameter list: copied into rq->buf before the handler runs. */
#define OP_DATA_OUT	BIT(4)

/*
 * Where handlers build responses: one per CPU, used only under a drive's
 * lock (interrupts off), and copied into the command's pages before the lock
 * is dropped. Keeps the per-command data, which every request of every
 * drive carries, small.
 */
struct vcdrom_resp_buf {
	u8 data[VCDROM_BUF_SIZE];
};

static struct vcdrom_resp_buf __percpu *vcdrom_resp_buf;

int vcdrom_scsi_init(void)
{
	vcdrom_resp_buf = alloc_percpu(struct vcdrom_resp_buf);
	return vcdrom_resp_buf ? 0 : -ENOMEM;
}

void vcdrom_scsi_exit(void)
{
	free_percpu(vcdrom_resp_buf);
}

struct vcdrom_op {
	vcdrom_handler_t handle;
	u8 cdb_len;
	u8 flags;
};

static const struct vcdrom_op vcdrom_ops[256] = {
	[TEST_UNIT_READY] = { vcdrom_test_unit_ready, 6, OP_NO_MEDIUM },
	[REQUEST_SENSE] = { vcdrom_request_sense, 6, OP_NO_MEDIUM | OP_UA_PASS },
	[INQUIRY] = { vcdrom_inquiry, 6, OP_NO_MEDIUM | OP_UA_PASS },
	[MODE_SENSE] = { vcdrom_mode_sense, 6, OP_NO_MEDIUM },
	[START_STOP] = { vcdrom_start_stop_unit, 6, OP_NO_MEDIUM },
	[ALLOW_MEDIUM_REMOVAL] = { vcdrom_prevent_allow, 6, OP_NO_MEDIUM },
	[GPCMD_GET_CONFIGURATION] = { vcdrom_get_configuration, 10,
				      OP_NO_MEDIUM | OP_UA_PASS },
	[GPCMD_GET_EVENT_STATUS_NOTIFICATION] = { vcdrom_get_event_status, 10,
						  OP_NO_MEDIUM | OP_UA_PASS },
	[MODE_SENSE_10] = { vcdrom_mode_sense, 10, OP_NO_MEDIUM },
	[MODE_SELECT] = { vcdrom_mode_select, 6, OP_NO_MEDIUM | OP_DATA_OUT },
	[MODE_SELECT_10] = { vcdrom_mode_select, 10, OP_NO_MEDIUM | OP_DATA_OUT },
	[REPORT_LUNS] = { vcdrom_report_luns, 12, OP_NO_MEDIUM | OP_UA_PASS },
	[GPCMD_MECHANISM_STATUS] = { vcdrom_mechanism_status, 12, OP_NO_MEDIUM },
	[GPCMD_SET_SPEED] = { vcdrom_set_cd_speed, 12, OP_NO_MEDIUM },

	[READ_6] = { vcdrom_read, 6, OP_IO | OP_STOPS_PLAY },
	[READ_10] = { vcdrom_read, 10, OP_IO | OP_STOPS_PLAY },
	[READ_12] = { vcdrom_read, 12, OP_IO | OP_STOPS_PLAY },
	[READ_16] = { vcdrom_read, 16, OP_IO | OP_STOPS_PLAY },
	[GPCMD_READ_CD] = { vcdrom_read_cd, 12, OP_IO | OP_STOPS_PLAY },
	[GPCMD_READ_CD_MSF] = { vcdrom_read_cd, 12, OP_IO | OP_STOPS_PLAY },
	[GPCMD_SEEK] = { vcdrom_seek, 10, OP_STOPS_PLAY },
	[READ_CAPACITY] = { vcdrom_read_capacity, 10, 0 },
	[SERVICE_ACTION_IN_16] = { vcdrom_read_capacity16, 16, 0 },
	[GPCMD_READ_TOC_PMA_ATIP] = { vcdrom_read_toc, 10, 0 },
	[GPCMD_READ_DISC_INFO] = { vcdrom_read_disc_info, 10, 0 },
	[GPCMD_READ_TRACK_RZONE_INFO] = { vcdrom_read_track_info, 10, 0 },
	[GPCMD_READ_DVD_STRUCTURE] = { vcdrom_read_dvd_structure, 12, 0 },
	[GPCMD_GET_PERFORMANCE] = { vcdrom_get_performance, 12, 0 },
	[GPCMD_READ_HEADER] = { vcdrom_read_header, 10, 0 },

	[GPCMD_READ_SUBCHANNEL] = { vcdrom_read_subchannel, 10, 0 },
	[GPCMD_PLAY_AUDIO_10] = { vcdrom_play_audio, 10, 0 },
	[VCDROM_PLAY_AUDIO_12] = { vcdrom_play_audio, 12, 0 },
	[GPCMD_PLAY_AUDIO_MSF] = { vcdrom_play_audio_msf, 10, 0 },
	[GPCMD_PAUSE_RESUME] = { vcdrom_pause_resume, 10, 0 },
	[GPCMD_STOP_PLAY_SCAN] = { vcdrom_stop_play_scan, 10, 0 },
};

void vcdrom_data_in(struct vcdrom_req *rq, unsigned int len, unsigned int alloc_len)
{
	rq->data_len = min3(len, alloc_len, (unsigned int)VCDROM_BUF_SIZE);
}

/*
 * A response of @len bytes built in rq->buf, then @ext_len bytes the drive
 * holds at @ext (valid while the drive lock is held): for answers larger
 * than rq->buf.
 */
void vcdrom_data_in_ext(struct vcdrom_req *rq, unsigned int len, const u8 *ext,
			unsigned int ext_len, unsigned int alloc_len)
{
	vcdrom_data_in(rq, len, alloc_len);
	rq->ext = ext;
	rq->ext_len = alloc_len > rq->data_len ? min(ext_len, alloc_len - rq->data_len) : 0;
}

/*
 * A command that fails completes in the context that finishes it
 * (queuecommand or the read worker, both process context), never in the
 * block softirq: scsi_done_direct(), as usb-storage's thread does. On a
 * read error near the end of the disc sr's completion calls set_capacity(),
 * whose lock sr_probe() takes with softirqs enabled, so completing it from
 * the softirq could deadlock a CPU (lockdep says so on a debug kernel).
 * A command that succeeds takes scsi_done(), which may hand its completion
 * to the submitting CPU while the worker goes on with the next read.
 */

/* Finish a command with CHECK CONDITION; @info goes in the information field if not 0. */
void vcdrom_complete_sense(struct scsi_cmnd *scmd, vcdrom_sense_t sense, u32 info)
{
	scsi_build_sense(scmd, 0, VCDROM_SENSE_KEY(sense), VCDROM_SENSE_ASC(sense),
			 VCDROM_SENSE_ASCQ(sense));
	if (info)
		scsi_set_sense_information(scmd->sense_buffer, SCSI_SENSE_BUFFERSIZE, info);
	scsi_set_resid(scmd, scsi_bufflen(scmd));
	scsi_done_direct(scmd);
}

/* Finish a command: GOOD with @done bytes transferred, or CHECK CONDITION with @sense. */
static void vcdrom_complete(struct scsi_cmnd *scmd, vcdrom_sense_t sense, unsigned int done)
{
	if (sense) {
		vcdrom_complete_sense(scmd, sense, 0);
		return;
	}
	scmd->result = SAM_STAT_GOOD;
	scsi_set_resid(scmd, scsi_bufflen(scmd) - done);
	scsi_done(scmd);
}

/* The checks every command shares, then its handler; under drive->lock. */
static vcdrom_sense_t vcdrom_dispatch(struct vcdrom_req *rq, const struct vcdrom_op *op)
{
	struct vcdrom_drive *drive = rq->drive;
	vcdrom_sense_t sense;

	lockdep_assert_held(&drive->lock);

	if (!op->handle || !(op->flags & OP_UA_PASS)) {
		sense = vcdrom_drive_take_ua(drive);
		if (sense)
			return sense;
	}
	if (!op->handle)
		return SENSE_INVALID_OPCODE;
	if (rq->scmd->cmd_len < op->cdb_len)
		return SENSE_INVALID_FIELD_IN_CDB;
	if (!(op->flags & OP_NO_MEDIUM)) {
		sense = vcdrom_drive_not_ready(drive);
		if (sense)
			return sense;
	}
	if (op->flags & OP_STOPS_PLAY)
		vcdrom_audio_interrupt(drive);
	return op->handle(rq);
}

static vcdrom_qc_t vcdrom_queuecommand(struct Scsi_Host *shost, struct scsi_cmnd *scmd)
{
	const struct vcdrom_op *op = &vcdrom_ops[scmd->cmnd[0]];
	struct vcdrom_req rq = {
		.drive = scmd->device->hostdata,
		.scmd = scmd,
		.cdb = scmd->cmnd,
	};
	unsigned int done = 0;
	vcdrom_sense_t sense;
	unsigned long flags;

	((struct vcdrom_command *)scsi_cmd_priv(scmd))->q = NULL;	/* not queued */
	if (!rq.drive) {
		scmd->result = DID_NO_CONNECT << 16;
		scsi_done_direct(scmd);
		return 0;
	}

	spin_lock_irqsave(&rq.drive->lock, flags);
	rq.buf = this_cpu_ptr(vcdrom_resp_buf)->data;
	if (!(op->flags & OP_IO))
		memset(rq.buf, 0, VCDROM_BUF_SIZE);
	if ((op->flags & OP_DATA_OUT) && scmd->sc_data_direction == DMA_TO_DEVICE)
		rq.out_len = scsi_sg_copy_to_buffer(scmd, rq.buf,
						    min_t(unsigned int, scsi_bufflen(scmd),
							  VCDROM_BUF_SIZE));
	sense = vcdrom_dispatch(&rq, op);
	if (!sense && rq.data_len && scmd->sc_data_direction == DMA_FROM_DEVICE)
		done = scsi_sg_copy_from_buffer(scmd, rq.buf, rq.data_len);
	if (!sense && rq.ext_len && done == rq.data_len)
		done += sg_pcopy_from_buffer(scsi_sglist(scmd), scsi_sg_count(scmd), rq.ext,
					     rq.ext_len, done);
	spin_unlock_irqrestore(&rq.drive->lock, flags);

	/* Rare (the host ejected): no call on the way of every other command. */
	if (vcdrom_change_made(&rq.change))
		vcdrom_drive_announce(rq.drive, &rq.change, GFP_ATOMIC);
	if (sense != SENSE_QUEUED)
		vcdrom_complete(scmd, sense, done);
	else if (!vcdrom_io_try_inline(scsi_cmd_priv(scmd)))
		vcdrom_io_queue(rq.drive, scsi_cmd_priv(scmd));
	return 0;
}

/*
 * Every command completes, and only we complete it: a read that timed out
 * is failed by its reader (vcdrom_io_abort), which then completes it; the
 * midlayer must not reuse it before. Other commands complete at once.
 */
static vcdrom_timeout_t vcdrom_eh_timed_out(struct scsi_cmnd *scmd)
{
	vcdrom_io_abort(scsi_cmd_priv(scmd));
	return VCDROM_EH_RESET_TIMER;
}

static int vcdrom_sdev_init(struct scsi_device *sdev)
{
	struct vcdrom_drive *drive;

	if (sdev->channel || sdev->lun)
		return -ENXIO;
	drive = vcdrom_drive_lookup(sdev->id);
	if (!drive)
		return -ENXIO;	/* no drive at this target: quiet scan miss */
	sdev->hostdata = drive;
	set_bit(SDEV_EVT_MEDIA_CHANGE, sdev->supported_events);
	return 0;
}

/*
 * An optimal I/O size of 1 MiB makes the block layer read ahead 2 MiB on
 * our drives (instead of 128 KiB): sequential reads keep the worker busy
 * while the reader copies the last chunk out.
 */
static void vcdrom_set_limits(struct scsi_device *sdev, struct queue_limits *lim)
{
	vcdrom_lim_set_io_opt(sdev, lim, SZ_1M);
}

VCDROM_SDEV_CONFIGURE(vcdrom_sdev_configure)

static void vcdrom_sdev_destroy(struct scsi_device *sdev)
{
	sdev->hostdata = NULL;
}

VCDROM_SHT_CONST struct scsi_host_template vcdrom_sht = {
	.module			= THIS_MODULE,
	.name			= "vcdrom",
	.proc_name		= "vcdrom",
	.queuecommand		= vcdrom_queuecommand,
	.eh_timed_out		= vcdrom_eh_timed_out,
	VCDROM_SHT_SDEV_INIT	= vcdrom_sdev_init,
	VCDROM_SHT_SDEV_CONFIGURE = vcdrom_sdev_configure,
	VCDROM_SHT_SDEV_DESTROY	= vcdrom_sdev_destroy,
	.can_queue		= VCDROM_CAN_QUEUE,
	.cmd_per_lun		= VCDROM_QUEUE_DEPTH,
	.this_id		= -1,
	.sg_tablesize		= SG_MAX_SEGMENTS,
	.max_sectors		= 2048,		/* 1 MiB */
	.cmd_size		= sizeof(struct vcdrom_command),
	.skip_settle_delay	= 1,
#if VCDROM_INLINE_IO
	.queuecommand_may_block	= 1,
#endif
};
