/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcdrom: virtual optical drives that the kernel's own sr, sg and cdrom
 * layers bind. One private header: one struct per role.
 *
 * Locking (outermost first):
 *   vcdrom_ctl_lock (mutex, drive.c)  drive table changes; sleeps allowed
 *   vcdrom_drive.lock (spinlock)      a drive's media state; held while a
 *                                     command handler runs, never sleeps
 */
#ifndef VCDROM_H
#define VCDROM_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <scsi/scsi_cmnd.h>

#include "compat.h"

#define VCDROM_MAX_DRIVES	256	/* SCSI target ids 0..255 */
#define VCDROM_LOAD_MAX_DRIVES	64	/* limit of the drives= parameter */
#define VCDROM_QUEUE_DEPTH	32	/* commands in flight per drive */
#define VCDROM_CAN_QUEUE	256	/* commands in flight per host */

#define VCDROM_VENDOR_LEN	8
#define VCDROM_PRODUCT_LEN	16
#define VCDROM_REVISION_LEN	4
#define VCDROM_SERIAL_MAX	32

/* MMC profiles (GET CONFIGURATION current profile). */
#define VCDROM_PROFILE_NONE	0x0000
#define VCDROM_PROFILE_CD_ROM	0x0008
#define VCDROM_PROFILE_DVD_ROM	0x0010
#define VCDROM_PROFILE_BD_ROM	0x0040

/*
 * Sense as one value: key, additional sense code and qualifier.
 * 0 means GOOD status.
 */
typedef u32 vcdrom_sense_t;
#define VCDROM_SENSE(key, asc, ascq)	(((key) << 16) | ((asc) << 8) | (ascq))
#define VCDROM_SENSE_KEY(s)		(((s) >> 16) & 0xff)
#define VCDROM_SENSE_ASC(s)		(((s) >> 8) & 0xff)
#define VCDROM_SENSE_ASCQ(s)		((s) & 0xff)

#define SENSE_GOOD			0
#define SENSE_NO_MEDIUM_TRAY_CLOSED	VCDROM_SENSE(NOT_READY, 0x3a, 0x01)
#define SENSE_NO_MEDIUM_TRAY_OPEN	VCDROM_SENSE(NOT_READY, 0x3a, 0x02)
#define SENSE_PARAM_LIST_LENGTH		VCDROM_SENSE(ILLEGAL_REQUEST, 0x1a, 0x00)
#define SENSE_INVALID_OPCODE		VCDROM_SENSE(ILLEGAL_REQUEST, 0x20, 0x00)
#define SENSE_LBA_OUT_OF_RANGE		VCDROM_SENSE(ILLEGAL_REQUEST, 0x21, 0x00)
#define SENSE_INVALID_FIELD_IN_CDB	VCDROM_SENSE(ILLEGAL_REQUEST, 0x24, 0x00)
#define SENSE_INVALID_FIELD_IN_PARAM	VCDROM_SENSE(ILLEGAL_REQUEST, 0x26, 0x00)
#define SENSE_SAVING_NOT_SUPPORTED	VCDROM_SENSE(ILLEGAL_REQUEST, 0x39, 0x00)
#define SENSE_REMOVAL_PREVENTED		VCDROM_SENSE(ILLEGAL_REQUEST, 0x53, 0x02)
#define SENSE_MEDIUM_MAY_HAVE_CHANGED	VCDROM_SENSE(UNIT_ATTENTION, 0x28, 0x00)
#define SENSE_MEDIUM_REMOVED		VCDROM_SENSE(UNIT_ATTENTION, 0x3a, 0x00)

/* Unit attentions a drive can hold, highest priority first. */
enum vcdrom_ua {
	VCDROM_UA_MEDIUM_REMOVED,	/* 06/3A/00 */
	VCDROM_UA_MEDIUM_CHANGED,	/* 06/28/00 */
	VCDROM_UA_NR
};

/* GET EVENT STATUS NOTIFICATION media event codes. */
enum vcdrom_media_event {
	VCDROM_ME_NONE		= 0,
	VCDROM_ME_EJECT_REQUEST	= 1,
	VCDROM_ME_NEW_MEDIA	= 2,
	VCDROM_ME_MEDIA_REMOVAL	= 3,
};

/* The medium in a drive. */
struct vcdrom_disc {
	u16 profile;			/* VCDROM_PROFILE_* */
	u64 sectors;			/* capacity in 2048-byte sectors */
};

/* One virtual drive: LUN 0 of SCSI target @id on the vcdrom host. */
struct vcdrom_drive {
	unsigned int id;
	struct scsi_device *sdev;	/* referenced from add to delete */

	char vendor[VCDROM_VENDOR_LEN + 1];
	char product[VCDROM_PRODUCT_LEN + 1];
	char revision[VCDROM_REVISION_LEN + 1];
	char serial[VCDROM_SERIAL_MAX + 1];

	spinlock_t lock;		/* protects everything below */
	bool tray_open;
	bool prevent;			/* PREVENT MEDIUM REMOVAL in force */
	unsigned long ua;		/* pending unit attentions, BIT(enum vcdrom_ua) */
	u8 media_event;			/* GESN media event not yet reported */
	struct vcdrom_disc *disc;	/* NULL when no medium */
};

#define VCDROM_BUF_SIZE		512	/* largest response a handler builds */

/* One command being answered: what a handler gets. */
struct vcdrom_req {
	struct vcdrom_drive *drive;
	struct scsi_cmnd *scmd;
	const u8 *cdb;
	u8 *buf;			/* zeroed, VCDROM_BUF_SIZE bytes */
	unsigned int data_len;		/* bytes of buf to return */
};

/* Per-command private data (host template cmd_size). */
struct vcdrom_cmd {
	u8 buf[VCDROM_BUF_SIZE];
};

/* A command handler; called with rq->drive->lock held. */
typedef vcdrom_sense_t (*vcdrom_handler_t)(struct vcdrom_req *rq);

/* scsi.c */
extern VCDROM_SHT_CONST struct scsi_host_template vcdrom_sht;
void vcdrom_data_in(struct vcdrom_req *rq, unsigned int len, unsigned int alloc_len);

/* drive.c */
void vcdrom_drives_init(struct Scsi_Host *shost);
void vcdrom_drives_exit(void);
int vcdrom_drive_add(unsigned int *id);
struct vcdrom_drive *vcdrom_drive_lookup(unsigned int id);
void vcdrom_drive_set_ua(struct vcdrom_drive *drive, enum vcdrom_ua ua);
vcdrom_sense_t vcdrom_drive_take_ua(struct vcdrom_drive *drive);
vcdrom_sense_t vcdrom_drive_not_ready(struct vcdrom_drive *drive);
u16 vcdrom_drive_profile(struct vcdrom_drive *drive);
void vcdrom_drive_open_tray(struct vcdrom_drive *drive);

/* mmc_identity.c: who the drive is and what it can do */
vcdrom_sense_t vcdrom_inquiry(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_report_luns(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_mode_sense(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_get_configuration(struct vcdrom_req *rq);

/* mmc_media.c: the tray, the lock and media events */
vcdrom_sense_t vcdrom_test_unit_ready(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_request_sense(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_start_stop_unit(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_prevent_allow(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_get_event_status(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_mechanism_status(struct vcdrom_req *rq);

#endif /* VCDROM_H */
