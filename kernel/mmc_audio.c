// SPDX-License-Identifier: GPL-2.0
/*
 * vcdrom: audio play without sound: PLAY AUDIO (10), (12) and MSF, PAUSE
 * RESUME, STOP PLAY/SCAN, and READ SUB-CHANNEL, which tells where play is.
 * The position advances in real time, 75 sectors a second: it is computed
 * from when play started whenever a command asks, so no timer runs. A read,
 * a seek, a stop or a change of medium ends play, as on real drives.
 *
 * Everything here runs under drive->lock. The play state lives in the drive
 * (struct vcdrom_audio, plain LBAs, no pointers) and is reset by every change
 * of medium under the same lock, so it never refers to a disc that is gone;
 * tracks are looked up in drive->disc each time a command asks.
 */
#include <linux/cdrom.h>
#include <linux/ktime.h>
#include <scsi/scsi_proto.h>

#include "vcdrom.h"

#define SUBQ_POSITION		0x01
#define SUBQ_MCN		0x02
#define SUBQ_ISRC		0x03
#define SUBQ_LEN		16	/* current position data, header included */
#define SUBQ_CODE_LEN		24	/* MCN or ISRC data, header included */
#define ADR_POSITION		0x10
#define ADR_ISRC		0x30
#define SUBQ_VALID		0x80	/* MCVal, TCVal */

/* Bring play up to now; a play that reached its end is over. */
static void audio_update(struct vcdrom_audio *a)
{
	u64 played;

	if (a->status != VCDROM_AUDIO_PLAYING)
		return;
	played = (u64)ktime_ms_delta(ktime_get(), a->since) * VCDROM_FRAMES_PER_SEC / MSEC_PER_SEC;
	if (played < a->end - a->start) {
		a->pos = a->start + played;
		return;
	}
	a->pos = a->end - 1;
	a->status = a->stop_error ? VCDROM_AUDIO_ERROR : VCDROM_AUDIO_COMPLETED;
}

/* No play from now on, and no status to report; the position stays. */
static void audio_stop(struct vcdrom_audio *a)
{
	audio_update(a);
	a->status = VCDROM_AUDIO_NONE;
}

/* A read or seek moved the head: play in progress or paused ends. */
void vcdrom_audio_interrupt(struct vcdrom_drive *drive)
{
	struct vcdrom_audio *a = &drive->audio;

	lockdep_assert_held(&drive->lock);
	audio_update(a);
	if (a->status == VCDROM_AUDIO_PLAYING || a->status == VCDROM_AUDIO_PAUSED)
		a->status = VCDROM_AUDIO_NONE;
}

/*
 * A read or seek at @lba: play ends as above, and the current position
 * READ SUB-CHANNEL reports becomes @lba, where the head now is. For read
 * handlers that know the address; an address off the tracks is ignored.
 */
void vcdrom_audio_seek(struct vcdrom_drive *drive, u32 lba)
{
	vcdrom_audio_interrupt(drive);
	if (drive->disc && vcdrom_disc_track_at(drive->disc, lba))
		drive->audio.pos = lba;
}

/* The medium left or came: no play, back at the start of the disc. */
void vcdrom_audio_reset(struct vcdrom_drive *drive)
{
	lockdep_assert_held(&drive->lock);
	memset(&drive->audio, 0, sizeof(drive->audio));
	drive->audio.status = VCDROM_AUDIO_NONE;
}

/*
 * Play [@start, @end). Play runs through the audio tracks that follow the
 * first without a gap; where they stop short of @end (a data track, the
 * session's lead-out), play stops there with an error status.
 */
static vcdrom_sense_t audio_play(struct vcdrom_drive *drive, u32 start, u32 end)
{
	const struct vcdrom_disc *disc = drive->disc;
	const struct vcdrom_track *t, *last = &disc->tracks[disc->nr_tracks - 1];
	struct vcdrom_audio *a = &drive->audio;

	if (start >= disc->sectors || end > disc->sectors || end <= start)
		return SENSE_LBA_OUT_OF_RANGE;
	t = vcdrom_disc_track_at(disc, start);
	if (!t)
		return SENSE_LBA_OUT_OF_RANGE;	/* between sessions */
	if (t->mode != VCDROM_TRACK_AUDIO)
		return SENSE_ILLEGAL_MODE_FOR_TRACK;
	while (t->end < end && t < last && t[1].mode == VCDROM_TRACK_AUDIO &&
	       t[1].session == t->session)
		t++;

	a->stop_error = end > t->end;
	a->end = min(end, t->end);
	a->start = start;
	a->pos = start;
	a->since = ktime_get();
	a->status = VCDROM_AUDIO_PLAYING;
	return SENSE_GOOD;
}

/* The position play starts from when the CDB asks for the current one. */
static u32 audio_here(struct vcdrom_drive *drive)
{
	audio_update(&drive->audio);
	return drive->audio.pos;
}

#define PLAY_FROM_HERE		0xffffffff

/* PLAY AUDIO (10) and (12): a start LBA and a length; length 0 plays nothing. */
vcdrom_sense_t vcdrom_play_audio(struct vcdrom_req *rq)
{
	const u8 *cdb = rq->cdb;
	u32 lba = get_unaligned_be32(&cdb[2]);
	u32 len = cdb[0] == GPCMD_PLAY_AUDIO_10 ? get_unaligned_be16(&cdb[7]) :
						   get_unaligned_be32(&cdb[6]);

	if (!len)
		return SENSE_GOOD;
	if (lba == PLAY_FROM_HERE)
		lba = audio_here(rq->drive);
	if (len > U32_MAX - lba)
		return SENSE_LBA_OUT_OF_RANGE;
	return audio_play(rq->drive, lba, lba + len);
}

/*
 * PLAY AUDIO MSF: from start to end time. A start of FF:FF:FF is the current
 * position; a start before 00:02:00 is track 1's pregap, which the disc
 * begins with: play from LBA 0. Equal times play nothing.
 */
vcdrom_sense_t vcdrom_play_audio_msf(struct vcdrom_req *rq)
{
	const u8 *s = &rq->cdb[3], *e = &rq->cdb[6];
	bool here = s[0] == 0xff && s[1] == 0xff && s[2] == 0xff;
	s32 start, end;

	if (e[1] >= 60 || e[2] >= VCDROM_FRAMES_PER_SEC ||
	    (!here && (s[1] >= 60 || s[2] >= VCDROM_FRAMES_PER_SEC)))
		return SENSE_INVALID_FIELD_IN_CDB;
	end = vcdrom_msf_to_lba(e[0], e[1], e[2]);
	start = here ? audio_here(rq->drive) : vcdrom_msf_to_lba(s[0], s[1], s[2]);
	if (start == end)
		return SENSE_GOOD;
	if (start > end)
		return SENSE_INVALID_FIELD_IN_CDB;
	if (end <= 0)
		return SENSE_GOOD;	/* all of it before the disc's first sector */
	return audio_play(rq->drive, max(start, 0), end);
}

/* PAUSE/RESUME: byte 8 bit 0 resumes. Either asked twice is not an error. */
vcdrom_sense_t vcdrom_pause_resume(struct vcdrom_req *rq)
{
	struct vcdrom_audio *a = &rq->drive->audio;
	bool resume = rq->cdb[8] & 0x01;

	audio_update(a);
	if (a->status != VCDROM_AUDIO_PLAYING && a->status != VCDROM_AUDIO_PAUSED)
		return SENSE_COMMAND_SEQUENCE_ERROR;
	if (resume && a->status == VCDROM_AUDIO_PAUSED) {
		a->start = a->pos;
		a->since = ktime_get();
		a->status = VCDROM_AUDIO_PLAYING;
	} else if (!resume) {
		a->status = VCDROM_AUDIO_PAUSED;
	}
	return SENSE_GOOD;
}

vcdrom_sense_t vcdrom_stop_play_scan(struct vcdrom_req *rq)
{
	audio_stop(&rq->drive->audio);
	return SENSE_GOOD;
}

/* A relative address: LBA (negative in the pregap), or the MSF distance to index 1. */
static void put_relative(u8 *p, s32 rel, bool msf)
{
	u32 d = rel >= 0 ? rel : -rel;

	if (!msf) {
		put_unaligned_be32(rel, p);
		return;
	}
	p[0] = 0;
	p[1] = d / (60 * VCDROM_FRAMES_PER_SEC);
	p[2] = (d / VCDROM_FRAMES_PER_SEC) % 60;
	p[3] = d % VCDROM_FRAMES_PER_SEC;
}

static void put_absolute(u8 *p, u32 lba, bool msf)
{
	if (!msf) {
		put_unaligned_be32(lba, p);
		return;
	}
	p[0] = 0;
	vcdrom_lba_to_msf(lba, &p[1]);
}

/*
 * Format 01h: where the head is, as subchannel Q says it there: the stored
 * Q @stored when it is a position (vcdrom_cd_subq_position), else the one
 * the layout makes. Fills @b from byte 4; returns the response's length.
 */
unsigned int vcdrom_subq_position(const struct vcdrom_disc *disc, u32 pos, const u8 *stored,
				  bool msf, u8 *b)
{
	const struct vcdrom_track *t = vcdrom_disc_track_at(disc, pos);
	struct vcdrom_subq_pos q;

	b[4] = SUBQ_POSITION;
	if (stored && vcdrom_cd_subq_position(stored, &q)) {
		b[5] = ADR_POSITION | q.control;
		b[6] = q.track;
		b[7] = q.index;
		put_absolute(&b[8], q.abs, msf);
		put_relative(&b[12], q.rel, msf);
		return SUBQ_LEN;
	}
	if (!t) {
		t = &disc->tracks[0];
		pos = 0;
	}
	b[5] = ADR_POSITION | vcdrom_track_control(t);
	b[6] = t->number;
	b[7] = vcdrom_track_index_at(disc, t, pos);
	put_absolute(&b[8], pos, msf);
	put_relative(&b[12], (s32)(pos - t->start), msf);
	return SUBQ_LEN;
}

/* Whether the sector at @pos has a stored sub-channel, whose Q the reader gets. */
static bool subq_stored(const struct vcdrom_disc *disc, u32 pos)
{
	const struct vcdrom_extent *e;

	if (!vcdrom_disc_track_at(disc, pos))
		return false;
	e = vcdrom_disc_extent_at(disc, pos);
	return e && e->sub_format != VCDROM_SUB_NONE;
}

/*
 * Format 01h where the sub-channel is stored: the reader reads the Q and
 * answers (vcdrom_io_subq), with the header built here, under the lock.
 */
static vcdrom_sense_t subq_queue(struct vcdrom_req *rq, u32 pos, bool msf, u8 status,
				 unsigned int alloc_len)
{
	struct vcdrom_command *cmd = scsi_cmd_priv(rq->scmd);

	cmd->bytes = min3(alloc_len, (unsigned int)SUBQ_LEN, scsi_bufflen(rq->scmd));
	if (!cmd->bytes || rq->scmd->sc_data_direction != DMA_FROM_DEVICE)
		return SENSE_GOOD;
	cmd->how = VCDROM_IO_SUBQ;
	cmd->scmd = rq->scmd;
	cmd->lba = pos;
	cmd->count = 1;
	cmd->type = status;
	cmd->fields = msf;
	vcdrom_disc_get(rq->drive->disc);
	cmd->disc = rq->drive->disc;
	return SENSE_QUEUED;
}

/*
 * READ SUB-CHANNEL: the audio status in the header (a completed or failed
 * play is reported once), then the current position, the MCN or a track's
 * ISRC when SubQ asks for data.
 */
vcdrom_sense_t vcdrom_read_subchannel(struct vcdrom_req *rq)
{
	const struct vcdrom_disc *disc = rq->drive->disc;
	struct vcdrom_audio *a = &rq->drive->audio;
	const u8 *cdb = rq->cdb;
	bool msf = cdb[1] & 0x02, subq = cdb[2] & 0x40;
	const struct vcdrom_track *t = NULL;
	unsigned int len = 4;
	u8 *b = rq->buf;

	if (subq) {
		if (cdb[3] < SUBQ_POSITION || cdb[3] > SUBQ_ISRC)
			return SENSE_INVALID_FIELD_IN_CDB;
		if (cdb[3] == SUBQ_ISRC) {
			t = vcdrom_disc_track_nr(disc, cdb[6]);
			if (!t)
				return SENSE_INVALID_FIELD_IN_CDB;
		}
	}

	audio_update(a);
	b[1] = a->status ?: VCDROM_AUDIO_NONE;
	if (a->status == VCDROM_AUDIO_COMPLETED || a->status == VCDROM_AUDIO_ERROR)
		a->status = VCDROM_AUDIO_NONE;

	if (subq) {
		b[4] = cdb[3];
		switch (cdb[3]) {
		case SUBQ_POSITION:
			if (subq_stored(disc, a->pos))
				return subq_queue(rq, a->pos, msf, b[1],
						  get_unaligned_be16(&cdb[7]));
			len = vcdrom_subq_position(disc, a->pos, NULL, msf, b);
			break;
		case SUBQ_MCN:
			if (disc->mcn[0]) {
				b[8] = SUBQ_VALID;
				memcpy(&b[9], disc->mcn, VCDROM_MCN_LEN);
			}
			len = SUBQ_CODE_LEN;
			break;
		case SUBQ_ISRC:
			b[5] = ADR_ISRC | vcdrom_track_control(t);
			b[6] = t->number;
			if (t->isrc[0]) {
				b[8] = SUBQ_VALID;
				memcpy(&b[9], t->isrc, VCDROM_ISRC_LEN);
			}
			len = SUBQ_CODE_LEN;
			break;
		}
	}
	put_unaligned_be16(len - 4, &b[2]);
	vcdrom_data_in(rq, len, get_unaligned_be16(&cdb[7]));
	return SENSE_GOOD;
}
