/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcdrom: virtual optical drives that the kernel's own sr, sg and cdrom
 * layers bind. One private header: one struct per role.
 *
 * Locking (outermost first):
 *   vcdrom_ctl_lock (mutex, drive.c)  drive table changes; sleeps allowed;
 *                                     queries never take it
 *   vcdrom_drive.lock (spinlock)      a drive's media state; held while a
 *                                     command handler runs, never sleeps
 */
#ifndef VCDROM_H
#define VCDROM_H

#include <linux/kref.h>
#include <linux/ktime.h>
#include <linux/llist.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <scsi/scsi_cmnd.h>
#include <linux/vcdrom.h>

#include "compat.h"

struct netlink_ext_ack;
struct nlattr;

#define VCDROM_MAX_DRIVES	256	/* SCSI target ids 0..255 */
#define VCDROM_LOAD_MAX_DRIVES	64	/* limit of the drives= parameter */
#define VCDROM_QUEUE_DEPTH	32	/* commands in flight per drive */
#define VCDROM_CAN_QUEUE	64	/* commands in flight per host queue */
#define VCDROM_HW_QUEUES	2	/* host queues */

#define VCDROM_VENDOR_LEN	VCDROM_VENDOR_MAX
#define VCDROM_PRODUCT_LEN	VCDROM_PRODUCT_MAX
#define VCDROM_REVISION_LEN	VCDROM_REVISION_MAX

#define VCDROM_SECTOR_SIZE	2048
#define VCDROM_CD_MAX_SECTORS	405000		/* larger: DVD */
#define VCDROM_DVD_MAX_SECTORS	4173824		/* larger: BD */

/* MMC's PLAY AUDIO(12); <linux/cdrom.h> does not name it. */
#define VCDROM_PLAY_AUDIO_12	0xa5

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
/* Not a sense: the handler queued the command for the I/O worker. */
#define SENSE_QUEUED			0xffffffff
#define SENSE_READ_ERROR		VCDROM_SENSE(MEDIUM_ERROR, 0x11, 0x00)
#define SENSE_INCOMPATIBLE_FORMAT	VCDROM_SENSE(ILLEGAL_REQUEST, 0x30, 0x02)
#define SENSE_ILLEGAL_MODE_FOR_TRACK	VCDROM_SENSE(ILLEGAL_REQUEST, 0x64, 0x00)
#define SENSE_NO_MEDIUM_TRAY_CLOSED	VCDROM_SENSE(NOT_READY, 0x3a, 0x01)
#define SENSE_NO_MEDIUM_TRAY_OPEN	VCDROM_SENSE(NOT_READY, 0x3a, 0x02)
#define SENSE_PARAM_LIST_LENGTH		VCDROM_SENSE(ILLEGAL_REQUEST, 0x1a, 0x00)
#define SENSE_INVALID_OPCODE		VCDROM_SENSE(ILLEGAL_REQUEST, 0x20, 0x00)
#define SENSE_LBA_OUT_OF_RANGE		VCDROM_SENSE(ILLEGAL_REQUEST, 0x21, 0x00)
#define SENSE_INVALID_FIELD_IN_CDB	VCDROM_SENSE(ILLEGAL_REQUEST, 0x24, 0x00)
#define SENSE_INVALID_FIELD_IN_PARAM	VCDROM_SENSE(ILLEGAL_REQUEST, 0x26, 0x00)
#define SENSE_SAVING_NOT_SUPPORTED	VCDROM_SENSE(ILLEGAL_REQUEST, 0x39, 0x00)
#define SENSE_REMOVAL_PREVENTED		VCDROM_SENSE(ILLEGAL_REQUEST, 0x53, 0x02)
#define SENSE_COMMAND_SEQUENCE_ERROR	VCDROM_SENSE(ILLEGAL_REQUEST, 0x2c, 0x00)
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

/* A run of sectors stored alike (uapi: VCDROM_EXTENT_A_*). */
struct vcdrom_extent {
	u32 start;			/* first LBA */
	u32 length;			/* sectors */
	u8 format;			/* enum vcdrom_sector_format */
	u32 file;			/* index into vcdrom_disc.files */
	u64 offset;			/* bytes into that file */
	u64 file_size;			/* its size at insert: EOF short of it is an error */
	u8 flags;			/* VCDROM_EXTENT_F_* */
	u8 sub_format;			/* enum vcdrom_sub_format: stored sub-channel */
	bool sub_in_file;		/* in sub_file, else in each RAW_PW sector */
	u32 sub_file;
	u64 sub_offset;
	u64 sub_file_size;
};

struct vcdrom_track {
	u8 number;
	u8 mode;			/* enum vcdrom_track_mode */
	u8 flags;			/* VCDROM_TRACK_F_* */
	u8 session;			/* 1-based */
	u8 nr_indexes;			/* after index 1 */
	u16 first_index;		/* into vcdrom_disc.indexes */
	u32 first;			/* first LBA (index 0 when a pregap leads) */
	u32 start;			/* index 1 */
	u32 end;			/* one past the last LBA */
	char isrc[VCDROM_ISRC_LEN + 1];	/* "" when none */
};

struct vcdrom_session {
	u8 number;
	unsigned int first_track;	/* index into vcdrom_disc.tracks */
	unsigned int nr_tracks;
	u32 first;			/* the first track's first LBA */
	u32 leadout;			/* one past the last track's last LBA */
};

/* Full TOC disc types (point A0, PSEC). */
#define VCDROM_DISC_TYPE_CD	0x00	/* CD-DA or CD-ROM */
#define VCDROM_DISC_TYPE_XA	0x20	/* CD-ROM XA */

/* A DVD's structures as the image stores them (VCDROM_DISC_A_DVD_*). */
struct vcdrom_dvd_structs {
	u8 physical[2][VCDROM_DVD_STRUCT_LEN];
	u8 manufacturer[VCDROM_DVD_STRUCT_LEN];
	u8 bca[VCDROM_DVD_BCA_MAX];
	u8 copyright[VCDROM_DVD_COPYRIGHT_LEN];
	u8 layers;			/* physical format stored for this many; 0: none */
	u8 bca_len;			/* 0: no BCA */
	bool has_copyright;
	bool has_manufacturer;
};

/*
 * The medium: a validated, immutable layout and the files behind it.
 * Referenced by the drive holding it and by each command reading it; the
 * last put releases the files.
 */
struct vcdrom_disc {
	struct kref kref;
	u16 profile;			/* VCDROM_PROFILE_* */
	u8 disc_type;			/* VCDROM_DISC_TYPE_* */
	u32 sectors;			/* capacity: the last session's lead-out LBA */
	unsigned int nr_files;
	unsigned int nr_sessions;
	unsigned int nr_tracks;
	unsigned int nr_extents;
	unsigned int nr_indexes;
	unsigned int cdtext_len;	/* bytes: a multiple of VCDROM_CDTEXT_PACK */
	struct file **files;
	struct vcdrom_session *sessions;
	struct vcdrom_track *tracks;
	struct vcdrom_extent *extents;	/* ascending; contiguous inside a session */
	u32 *indexes;			/* LBAs of indexes 2.., track by track */
	u8 *cdtext;			/* NULL when none */
	char mcn[VCDROM_MCN_LEN + 1];	/* "" when none */
	char format[VCDROM_FORMAT_MAX];	/* the image's format; "" when not given */
	char *source;			/* what it was inserted from; NULL when not given */
	bool on_store;			/* a file is not tmpfs: a read of it may wait on a store */
	struct vcdrom_dvd_structs *dvd;	/* NULL when none is stored */
};

/*
 * The discs of a multi-disc set a drive changes between (uapi:
 * VCDROM_A_PLAYLIST), each referenced; immutable but for @pos and @next,
 * which change under the drive's lock.
 */
struct vcdrom_playlist {
	struct kref kref;		/* the drive's, and each reply's being filled */
	unsigned int nr;
	unsigned int pos;		/* the disc in the drive, or the last one in it */
	unsigned int next;		/* what the host's next tray close loads */
	struct vcdrom_disc *discs[];
};

/* CD addresses: MSF time counts from LBA -150 (the first track's 2 s pregap). */
#define VCDROM_MSF_OFFSET	150
#define VCDROM_FRAMES_PER_SEC	75

/* MSF of @lba (as absolute time, offset included) into @p[0..2]. */
static inline void vcdrom_lba_to_msf(u32 lba, u8 *p)
{
	lba += VCDROM_MSF_OFFSET;
	p[0] = lba / (60 * VCDROM_FRAMES_PER_SEC);
	p[1] = (lba / VCDROM_FRAMES_PER_SEC) % 60;
	p[2] = lba % VCDROM_FRAMES_PER_SEC;
}

/* LBA of M/S/F absolute time; negative before 00:02:00. */
static inline s32 vcdrom_msf_to_lba(u8 m, u8 s, u8 f)
{
	return (m * 60 + s) * VCDROM_FRAMES_PER_SEC + f - VCDROM_MSF_OFFSET;
}

/* Bytes a stored sector of each format takes in its file. */
extern const unsigned int vcdrom_format_size[__VCDROM_SECTOR_FORMAT_MAX];

/*
 * Reads waiting for the I/O reader, one list per host queue of a drive: a
 * reader takes all that has come in since it last looked, so a burst of
 * commands costs one wakeup, and a drive's two queues read at once.
 */
struct vcdrom_io_queue {
	struct llist_head cmds;
	struct task_struct *task;	/* its reader, a kthread a timeout may kill */
	spinlock_t lock;		/* a command's abort against its completion */
	struct vcdrom_command *reading;	/* what @task reads now, or NULL */
};

/* READ SUB-CHANNEL audio status (MMC), the state of a drive's audio play. */
enum vcdrom_audio_status {
	VCDROM_AUDIO_PLAYING	= 0x11,
	VCDROM_AUDIO_PAUSED	= 0x12,
	VCDROM_AUDIO_COMPLETED	= 0x13,	/* reported once, then NONE */
	VCDROM_AUDIO_ERROR	= 0x14,	/* reported once, then NONE */
	VCDROM_AUDIO_NONE	= 0x15,
};

/*
 * Audio play (mmc_audio.c). No timer runs: while playing, the position is
 * computed when asked, from @since, at 75 sectors a second.
 */
struct vcdrom_audio {
	u8 status;			/* enum vcdrom_audio_status; 0 (none) at first */
	bool stop_error;		/* reaching @end stopped short of the range asked */
	u32 start;			/* where play (re)started at @since */
	u32 end;			/* one past the last sector to play */
	u32 pos;			/* the current position, as of the last update */
	ktime_t since;
};

/* Page 0Eh's output ports: channel selection and volume, 4 ports. */
#define VCDROM_AUDIO_PORTS	8

/* One virtual drive: LUN 0 of SCSI target @id on the vcdrom host. */
struct vcdrom_drive {
	unsigned int id;
	struct kref ref;		/* the table's, and each query's (drive.c) */
	struct rcu_head rcu;
	struct scsi_device *sdev;	/* set once added; referenced until freed */
	struct vcdrom_io_queue io[VCDROM_HW_QUEUES];
	wait_queue_head_t swap_wait;	/* a SWAP's open tray: woken when the host closes it */

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
	struct vcdrom_playlist *playlist;	/* NULL when none; set under vcdrom_ctl_lock too */
	struct vcdrom_audio audio;
	bool audio_ports_set;		/* MODE SELECT set audio_ports; else defaults */
	u8 audio_ports[VCDROM_AUDIO_PORTS];	/* page 0Eh bytes 8-15 */
};

/*
 * Largest response a handler builds in rq->buf: a full TOC of 99 sessions
 * of one track each (4 + 11 * (99 tracks + 4 points * 99 sessions + C0)).
 */
#define VCDROM_BUF_SIZE		5460

/*
 * A change of a drive's medium, made under its lock by drive.c, and what is
 * left to do once the lock is dropped (vcdrom_drive_announce): put the
 * medium taken out, tell the kernel (uevent) and netlink listeners.
 */
struct vcdrom_change {
	struct vcdrom_disc *removed;	/* taken out: put after unlock */
	s8 cause;			/* enum vcdrom_eject_cause of @removed */
	bool inserted;			/* a medium came in */
	bool eject_requested;		/* the tool asked the host to eject */
};

static inline bool vcdrom_change_made(const struct vcdrom_change *chg)
{
	return chg->removed || chg->inserted || chg->eject_requested;
}

/* One command being answered: what a handler gets. */
struct vcdrom_req {
	struct vcdrom_drive *drive;
	struct scsi_cmnd *scmd;
	const u8 *cdb;
	u8 *buf;			/* zeroed, VCDROM_BUF_SIZE bytes (per CPU) */
	unsigned int out_len;		/* bytes of parameter list sent, in buf (OP_DATA_OUT) */
	unsigned int data_len;		/* bytes of buf to return */
	const u8 *ext;			/* returned after those: data the drive holds */
	unsigned int ext_len;		/* bytes of ext to return */
	struct vcdrom_change change;	/* a medium change the command made */
};

/* How the I/O worker serves a read. */
enum vcdrom_io_how {
	VCDROM_IO_COOKED,		/* MODE1 stored as 2048-byte sectors: straight copy */
	VCDROM_IO_USER,			/* READ(10) elsewhere: 2048 user bytes per sector */
	VCDROM_IO_CD,			/* READ CD: the fields asked for, sector by sector */
	VCDROM_IO_SUBQ,			/* READ SUB-CHANNEL 01h from a stored Q */
};

/* A CD sector's kind, numbered as READ CD's expected sector type. */
enum vcdrom_cd_kind {
	VCDROM_CD_ANY,
	VCDROM_CD_AUDIO,
	VCDROM_CD_MODE1,
	VCDROM_CD_MODE2,		/* formless */
	VCDROM_CD_FORM1,		/* mode 2 XA */
	VCDROM_CD_FORM2,
};

#define VCDROM_CD_SECTOR	2352	/* a whole CD sector: sync to EDC/ECC, or audio */
#define VCDROM_CD_SUB		96	/* P-W of one sector */

/* READ CD byte 9: the main channel fields asked for. */
#define VCDROM_RCD_SYNC		0x80
#define VCDROM_RCD_HEADER	0x20
#define VCDROM_RCD_SUBHEADER	0x40
#define VCDROM_RCD_USER		0x10
#define VCDROM_RCD_EDC_ECC	0x08
#define VCDROM_RCD_C2		0x06	/* 01b: C2 pointers, 10b: and block error byte */

/* READ CD byte 10 bits 2-0: the subchannel asked for. */
#define VCDROM_RCD_SUB_NONE	0
#define VCDROM_RCD_SUB_RAW	1	/* raw P-W, 96 bytes */
#define VCDROM_RCD_SUB_Q	2	/* formatted Q, 16 bytes */
#define VCDROM_RCD_SUB_RW	4	/* R-W de-interleaved, 96 bytes */

/* Per-command private data (host template cmd_size). */
struct vcdrom_command {
	struct llist_node node;		/* on a vcdrom_io_queue */
	struct scsi_cmnd *scmd;
	struct vcdrom_disc *disc;	/* referenced while queued */
	struct vcdrom_io_queue *q;	/* queued on q, until it completes */
	bool aborted;			/* timed out: fail it unread (under q->lock) */
	u32 lba;			/* what to read */
	u32 bytes;			/* COOKED, USER, SUBQ: bytes to transfer */
	u32 count;			/* USER, CD: sectors */
	u8 how;				/* enum vcdrom_io_how */
	u8 type;			/* CD: expected enum vcdrom_cd_kind; SUBQ: audio status */
	u8 fields;			/* CD: VCDROM_RCD_* of byte 9; SUBQ: MSF */
	u8 sub;				/* CD: VCDROM_RCD_SUB_* */
};

/* A command handler; called with rq->drive->lock held. */
typedef vcdrom_sense_t (*vcdrom_handler_t)(struct vcdrom_req *rq);

/* scsi.c */
extern VCDROM_SHT_CONST struct scsi_host_template vcdrom_sht;
int vcdrom_scsi_init(void);
void vcdrom_scsi_exit(void);
void vcdrom_data_in(struct vcdrom_req *rq, unsigned int len, unsigned int alloc_len);
void vcdrom_data_in_ext(struct vcdrom_req *rq, unsigned int len, const u8 *ext,
			unsigned int ext_len, unsigned int alloc_len);
void vcdrom_complete_sense(struct scsi_cmnd *scmd, vcdrom_sense_t sense, u32 info);

/* disc.c: the layout, built from netlink attributes and validated */
int vcdrom_disc_check_source(const struct vcdrom_disc *disc, struct scsi_device *sdev,
			     struct netlink_ext_ack *extack);
struct vcdrom_disc *vcdrom_disc_build(const struct nlattr *attr,
				      struct netlink_ext_ack *extack);
void vcdrom_disc_put(struct vcdrom_disc *disc);
static inline void vcdrom_disc_get(struct vcdrom_disc *disc)
{
	kref_get(&disc->kref);
}

struct vcdrom_playlist *vcdrom_playlist_build(const struct nlattr *attr, u32 pos,
					      struct netlink_ext_ack *extack);
void vcdrom_playlist_put(struct vcdrom_playlist *pl);
static inline void vcdrom_playlist_get(struct vcdrom_playlist *pl)
{
	kref_get(&pl->kref);
}

void vcdrom_extack_prefix(struct netlink_ext_ack *extack, const char *what, unsigned int n);

const struct vcdrom_track *vcdrom_disc_track_at(const struct vcdrom_disc *disc, u32 lba);
const struct vcdrom_extent *vcdrom_disc_extent_at(const struct vcdrom_disc *disc, u32 lba);
unsigned int vcdrom_track_index_at(const struct vcdrom_disc *disc,
				   const struct vcdrom_track *t, u32 lba);
const struct vcdrom_session *vcdrom_disc_session_of(const struct vcdrom_disc *disc,
						    const struct vcdrom_track *t);
bool vcdrom_disc_is_data(const struct vcdrom_disc *disc, u32 lba, u32 count);
const struct vcdrom_track *vcdrom_disc_track_nr(const struct vcdrom_disc *disc, unsigned int nr);
u8 vcdrom_track_control(const struct vcdrom_track *t);

/* cdsector.c: sector fields and subchannel made up from the layout */
void vcdrom_cd_init(void);
void vcdrom_cd_sync_header(u8 *sector, u32 lba, u8 mode);
void vcdrom_cd_subheader(u8 *sector, bool form2);
void vcdrom_cd_encode(u8 *sector, u32 lba, enum vcdrom_cd_kind kind, bool edc_ecc);
bool vcdrom_cd_subq(const struct vcdrom_disc *disc, const struct vcdrom_track *t, u32 lba,
		    u8 *q);
void vcdrom_cd_pw(u8 *pw, const u8 *q, bool p, const u8 *rw);
void vcdrom_cd_pw_interleave(u8 *pw, const u8 *linear);
bool vcdrom_cd_pw_q(u8 *q, const u8 *pw);
void vcdrom_cd_rw_deinterleave(u8 *packs, const u8 *rw);

/* Where a Q of ADR 1 says the head is. */
struct vcdrom_subq_pos {
	u8 control, track, index;
	u32 abs;			/* LBA */
	s32 rel;			/* LBA from index 1: negative in the pregap */
};

bool vcdrom_cd_subq_position(const u8 *q, struct vcdrom_subq_pos *pos);
void vcdrom_cd_unscramble(u8 *sector);

/* io.c: reads from the backing files, by a reader thread per host queue */
int vcdrom_io_init(void);
void vcdrom_io_exit(void);
void vcdrom_io_read(struct vcdrom_command *cmd);
void vcdrom_io_init_drive(struct vcdrom_drive *drive);
int vcdrom_io_start_drive(struct vcdrom_drive *drive);
bool vcdrom_io_abort(struct vcdrom_command *cmd);
#if VCDROM_INLINE_IO
bool vcdrom_io_try_inline(struct vcdrom_command *cmd);
#else
static inline bool vcdrom_io_try_inline(struct vcdrom_command *cmd)
{
	return false;
}
#endif
void vcdrom_io_exit_drive(struct vcdrom_drive *drive);
void vcdrom_io_queue(struct vcdrom_drive *drive, struct vcdrom_command *cmd);

/* drive.c */
struct vcdrom_identity {
	const char *vendor, *product, *revision, *serial;	/* NULL: default */
};

void vcdrom_drives_init(struct Scsi_Host *shost);
void vcdrom_drives_exit(void);
void vcdrom_ctl_lock(void);
int vcdrom_ctl_lock_killable(void);
void vcdrom_ctl_unlock(void);
struct vcdrom_drive *vcdrom_drive_get(unsigned int id);
struct vcdrom_drive *vcdrom_drive_get_next(unsigned long *id);
void vcdrom_drive_put(struct vcdrom_drive *drive);
struct vcdrom_drive *vcdrom_drive_find(unsigned int id);
struct vcdrom_drive *vcdrom_drive_next(unsigned long *id);
int vcdrom_drive_add(const struct vcdrom_identity *ident, struct vcdrom_drive **out);
int vcdrom_drive_del(struct vcdrom_drive *drive);
int vcdrom_drive_insert(struct vcdrom_drive *drive, struct vcdrom_disc *disc,
			struct vcdrom_playlist *pl, bool replace, struct netlink_ext_ack *extack);
int vcdrom_drive_swap(struct vcdrom_drive *drive, unsigned int index, unsigned int ms,
		      bool force, struct netlink_ext_ack *extack);
int vcdrom_drive_eject(struct vcdrom_drive *drive, bool force,
		       struct netlink_ext_ack *extack);
void vcdrom_drive_announce(struct vcdrom_drive *drive, struct vcdrom_change *chg, gfp_t gfp);
struct vcdrom_drive *vcdrom_drive_lookup(unsigned int id);
void vcdrom_drive_set_ua(struct vcdrom_drive *drive, enum vcdrom_ua ua);
vcdrom_sense_t vcdrom_drive_take_ua(struct vcdrom_drive *drive);
vcdrom_sense_t vcdrom_drive_not_ready(struct vcdrom_drive *drive);
u16 vcdrom_drive_profile(struct vcdrom_drive *drive);
vcdrom_sense_t vcdrom_drive_host_eject(struct vcdrom_drive *drive, struct vcdrom_change *chg);
void vcdrom_drive_host_load(struct vcdrom_drive *drive, struct vcdrom_change *chg);
void vcdrom_drive_set_prevent(struct vcdrom_drive *drive, bool prevent);

/* mmc_identity.c: who the drive is and what it can do */
vcdrom_sense_t vcdrom_inquiry(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_report_luns(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_mode_sense(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_mode_select(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_get_configuration(struct vcdrom_req *rq);

/* mmc_media.c: the tray, the lock and media events */
vcdrom_sense_t vcdrom_test_unit_ready(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_request_sense(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_start_stop_unit(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_prevent_allow(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_get_event_status(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_mechanism_status(struct vcdrom_req *rq);

/* mmc_disc.c: what is on the disc: capacity, TOC, disc and track information */
vcdrom_sense_t vcdrom_read_capacity(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_read_capacity16(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_read_toc(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_read_disc_info(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_read_track_info(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_read_dvd_structure(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_get_performance(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_set_cd_speed(struct vcdrom_req *rq);

/* mmc_disc.c, continued */
vcdrom_sense_t vcdrom_read_header(struct vcdrom_req *rq);

/* mmc_audio.c: audio play and the subchannel; all under drive->lock */
vcdrom_sense_t vcdrom_play_audio(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_play_audio_msf(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_pause_resume(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_stop_play_scan(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_read_subchannel(struct vcdrom_req *rq);
void vcdrom_audio_interrupt(struct vcdrom_drive *drive);
void vcdrom_audio_seek(struct vcdrom_drive *drive, u32 lba);
void vcdrom_audio_reset(struct vcdrom_drive *drive);
unsigned int vcdrom_subq_position(const struct vcdrom_disc *disc, u32 pos, const u8 *stored,
				  bool msf, u8 *b);

/* mmc_read.c: reads */
vcdrom_sense_t vcdrom_read(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_seek(struct vcdrom_req *rq);
vcdrom_sense_t vcdrom_read_cd(struct vcdrom_req *rq);

/* netlink.c */
int vcdrom_nl_init(void);
void vcdrom_nl_exit(void);
void vcdrom_nl_event(unsigned int drive_id, enum vcdrom_event event, int cause, gfp_t gfp);

#endif /* VCDROM_H */
