// SPDX-License-Identifier: GPL-2.0
/*
 * vcdrom: what is on the disc: READ CAPACITY, READ TOC, READ DISC and TRACK
 * INFORMATION, READ DVD STRUCTURE, and the speed commands. Every answer is
 * derived from the one disc model, so they agree with each other.
 */
#include <linux/cdrom.h>
#include <scsi/scsi_proto.h>

#include "vcdrom.h"

#define LEADOUT_TRACK		0xaa
#define ADR_POSITION		0x10	/* ADR 1 in the high nibble */
#define CD_SPEED_1X		176	/* KB/s */
#define VCDROM_SPEED_KBS	(48 * CD_SPEED_1X)

static const struct vcdrom_disc *rq_disc(const struct vcdrom_req *rq)
{
	return rq->drive->disc;
}

/* Subchannel Q control nibble of a track. */
static u8 track_control(const struct vcdrom_track *t)
{
	u8 ctl;

	if (t->mode != VCDROM_TRACK_AUDIO)
		ctl = 0x04;
	else
		ctl = (t->flags & VCDROM_TRACK_F_4CH) ? 0x08 : 0;
	if (t->flags & VCDROM_TRACK_F_DCP)
		ctl |= 0x02;
	if (t->flags & VCDROM_TRACK_F_PRE)
		ctl |= 0x01;
	return ctl;
}

/* An address as READ TOC gives it: LBA, or MSF of LBA + 150. */
static void put_address(u8 *p, u32 lba, bool msf)
{
	if (!msf) {
		put_unaligned_be32(lba, p);
		return;
	}
	lba += CD_MSF_OFFSET;
	p[0] = 0;
	p[1] = lba / (CD_SECS * CD_FRAMES);
	p[2] = (lba / CD_FRAMES) % CD_SECS;
	p[3] = lba % CD_FRAMES;
}

static void put_toc_entry(u8 *d, u8 control, u8 number, u32 lba, bool msf)
{
	d[1] = ADR_POSITION | control;
	d[2] = number;
	put_address(&d[4], lba, msf);
}

vcdrom_sense_t vcdrom_read_capacity(struct vcdrom_req *rq)
{
	put_unaligned_be32(rq_disc(rq)->sectors - 1, &rq->buf[0]);
	put_unaligned_be32(VCDROM_SECTOR_SIZE, &rq->buf[4]);
	vcdrom_data_in(rq, 8, 8);
	return SENSE_GOOD;
}

vcdrom_sense_t vcdrom_read_capacity16(struct vcdrom_req *rq)
{
	if ((rq->cdb[1] & 0x1f) != SAI_READ_CAPACITY_16)
		return SENSE_INVALID_FIELD_IN_CDB;
	put_unaligned_be64(rq_disc(rq)->sectors - 1, &rq->buf[0]);
	put_unaligned_be32(VCDROM_SECTOR_SIZE, &rq->buf[8]);
	vcdrom_data_in(rq, 32, get_unaligned_be32(&rq->cdb[10]));
	return SENSE_GOOD;
}

#define TOC_FORMAT_TOC		0
#define TOC_FORMAT_SESSION	1

static vcdrom_sense_t read_toc_tracks(struct vcdrom_req *rq, bool msf, u8 from,
				      unsigned int alloc_len)
{
	const struct vcdrom_disc *disc = rq_disc(rq);
	const struct vcdrom_track *first = &disc->tracks[0];
	const struct vcdrom_track *last = &disc->tracks[disc->nr_tracks - 1];
	unsigned int i, len = 4;
	u8 *b = rq->buf;

	if (from > last->number && from != LEADOUT_TRACK)
		return SENSE_INVALID_FIELD_IN_CDB;
	for (i = 0; i < disc->nr_tracks; i++) {
		const struct vcdrom_track *t = &disc->tracks[i];

		if (t->number < from)
			continue;
		put_toc_entry(&b[len], track_control(t), t->number, t->start, msf);
		len += 8;
	}
	put_toc_entry(&b[len], track_control(last), LEADOUT_TRACK, disc->sectors, msf);
	len += 8;
	put_unaligned_be16(len - 2, &b[0]);
	b[2] = first->number;
	b[3] = last->number;
	vcdrom_data_in(rq, len, alloc_len);
	return SENSE_GOOD;
}

/* First track of the last session: where a multi-session file system starts. */
static vcdrom_sense_t read_toc_session(struct vcdrom_req *rq, bool msf, unsigned int alloc_len)
{
	const struct vcdrom_disc *disc = rq_disc(rq);
	const struct vcdrom_session *s = &disc->sessions[disc->nr_sessions - 1];
	const struct vcdrom_track *t = &disc->tracks[s->first_track];
	u8 *b = rq->buf;

	put_unaligned_be16(10, &b[0]);
	b[2] = 1;
	b[3] = s->number;
	put_toc_entry(&b[4], track_control(t), t->number, t->start, msf);
	vcdrom_data_in(rq, 12, alloc_len);
	return SENSE_GOOD;
}

vcdrom_sense_t vcdrom_read_toc(struct vcdrom_req *rq)
{
	const u8 *cdb = rq->cdb;
	bool msf = cdb[1] & 0x02;
	u8 format = cdb[2] & 0x0f;
	unsigned int alloc_len = get_unaligned_be16(&cdb[7]);

	/* SFF-8020 drives took the format in the top bits of the control byte. */
	if (!format)
		format = cdb[9] >> 6;

	switch (format) {
	case TOC_FORMAT_TOC:
		return read_toc_tracks(rq, msf, cdb[6], alloc_len);
	case TOC_FORMAT_SESSION:
		return read_toc_session(rq, msf, alloc_len);
	default:
		return SENSE_INVALID_FIELD_IN_CDB;
	}
}

vcdrom_sense_t vcdrom_read_disc_info(struct vcdrom_req *rq)
{
	const struct vcdrom_disc *disc = rq_disc(rq);
	const struct vcdrom_session *s = &disc->sessions[disc->nr_sessions - 1];
	const struct vcdrom_track *last = &disc->tracks[s->first_track + s->nr_tracks - 1];
	u8 *b = rq->buf;

	if (rq->cdb[1] & 0x07)		/* only standard disc information */
		return SENSE_INVALID_FIELD_IN_CDB;

	put_unaligned_be16(32, &b[0]);
	b[2] = 0x0e;			/* last session complete, disc complete */
	b[3] = disc->tracks[0].number;
	b[4] = disc->nr_sessions;
	b[5] = disc->tracks[s->first_track].number;
	b[6] = last->number;
	b[8] = 0x00;			/* CD-DA or CD-ROM */
	put_unaligned_be32(0xffffffff, &b[16]);	/* no next session: lead-in */
	put_unaligned_be32(0xffffffff, &b[20]);	/* ...nor lead-out */
	vcdrom_data_in(rq, 34, get_unaligned_be16(&rq->cdb[7]));
	return SENSE_GOOD;
}

#define TI_ADDR_LBA		0
#define TI_ADDR_TRACK		1
#define TI_ADDR_SESSION		2

vcdrom_sense_t vcdrom_read_track_info(struct vcdrom_req *rq)
{
	const struct vcdrom_disc *disc = rq_disc(rq);
	u32 addr = get_unaligned_be32(&rq->cdb[2]);
	const struct vcdrom_track *t = NULL;
	unsigned int i;
	u8 *b = rq->buf;

	switch (rq->cdb[1] & 0x03) {
	case TI_ADDR_LBA:
		if (addr < disc->sectors)
			t = vcdrom_disc_track_at(disc, addr);
		break;
	case TI_ADDR_TRACK:
		for (i = 0; i < disc->nr_tracks; i++)
			if (disc->tracks[i].number == addr)
				t = &disc->tracks[i];
		break;
	case TI_ADDR_SESSION:
		if (addr >= 1 && addr <= disc->nr_sessions)
			t = &disc->tracks[disc->sessions[addr - 1].first_track];
		break;
	}
	if (!t)
		return SENSE_INVALID_FIELD_IN_CDB;

	put_unaligned_be16(46, &b[0]);
	b[2] = t->number;
	b[3] = t->session;
	b[5] = track_control(t);
	b[6] = t->mode == VCDROM_TRACK_MODE1 ? 0x01 :
	       t->mode == VCDROM_TRACK_AUDIO ? 0x0f : 0x02;
	b[7] = 0x02;			/* last recorded address valid */
	put_unaligned_be32(t->start, &b[8]);
	put_unaligned_be32(t->end - t->start, &b[24]);
	put_unaligned_be32(t->end - 1, &b[28]);
	vcdrom_data_in(rq, 48, get_unaligned_be16(&rq->cdb[7]));
	return SENSE_GOOD;
}

/* READ DVD STRUCTURE formats answered for DVD media. */
#define DVD_STRUCT_PHYSICAL	0x00
#define DVD_STRUCT_COPYRIGHT	0x01
#define DVD_STRUCT_MANUFACTURER	0x04
#define DVD_STRUCT_LIST		0xff
#define DVD_LAYER_SECTORS	2295104		/* single-layer capacity */
#define DVD_DATA_START		0x30000		/* first physical sector of the data area */

static unsigned int dvd_physical(const struct vcdrom_disc *disc, u8 *p)
{
	bool dual = disc->sectors > DVD_LAYER_SECTORS;
	u32 end = DVD_DATA_START + (dual ? DIV_ROUND_UP(disc->sectors, 2) : disc->sectors) - 1;

	p[0] = 0x01;			/* DVD-ROM, part version 1 */
	p[1] = 0x02;			/* 120 mm, maximum rate not specified */
	p[2] = (dual ? 0x20 : 0x00) | 0x01;	/* layers, parallel track path, embossed */
	p[3] = 0x00;			/* 0.267 um/bit, 0.74 um/track */
	put_unaligned_be32(DVD_DATA_START, &p[4]);
	put_unaligned_be32(end, &p[8]);
	put_unaligned_be32(0, &p[12]);	/* end of layer 0 (opposite track path only) */
	return 17;
}

vcdrom_sense_t vcdrom_read_dvd_structure(struct vcdrom_req *rq)
{
	const struct vcdrom_disc *disc = rq_disc(rq);
	unsigned int alloc_len = get_unaligned_be16(&rq->cdb[8]);
	u8 format = rq->cdb[7], *b = rq->buf, *p = &b[4];
	unsigned int len;

	if (disc->profile != VCDROM_PROFILE_DVD_ROM)
		return SENSE_INCOMPATIBLE_FORMAT;
	if (rq->cdb[1] & 0x0f)		/* media type: DVD only */
		return SENSE_INVALID_FIELD_IN_CDB;

	switch (format) {
	case DVD_STRUCT_PHYSICAL:
		if (rq->cdb[6] > (disc->sectors > DVD_LAYER_SECTORS ? 1 : 0))
			return SENSE_INVALID_FIELD_IN_CDB;
		len = dvd_physical(disc, p);
		break;
	case DVD_STRUCT_COPYRIGHT:
		p[0] = 0;		/* no copy protection */
		p[1] = 0;		/* all regions */
		len = 4;
		break;
	case DVD_STRUCT_MANUFACTURER:
		len = 2048;		/* all zero */
		break;
	case DVD_STRUCT_LIST:
		p[0] = DVD_STRUCT_PHYSICAL;
		p[1] = 0x40;		/* readable */
		put_unaligned_be16(2048 + 4, &p[2]);
		p[4] = DVD_STRUCT_COPYRIGHT;
		p[5] = 0x40;
		put_unaligned_be16(4 + 4, &p[6]);
		p[8] = DVD_STRUCT_MANUFACTURER;
		p[9] = 0x40;
		put_unaligned_be16(2048 + 4, &p[10]);
		p[12] = DVD_STRUCT_LIST;
		p[13] = 0x40;
		put_unaligned_be16(16 + 4, &p[14]);
		len = 16;
		break;
	default:
		return SENSE_INVALID_FIELD_IN_CDB;
	}
	/* The physical format structure is 2048 bytes; the rest are zero. */
	if (format == DVD_STRUCT_PHYSICAL)
		len = 2048;
	put_unaligned_be16(len + 2, &b[0]);
	vcdrom_data_in(rq, len + 4, alloc_len);
	return SENSE_GOOD;
}

/* GET PERFORMANCE, type 00h (performance): one nominal descriptor. */
vcdrom_sense_t vcdrom_get_performance(struct vcdrom_req *rq)
{
	const struct vcdrom_disc *disc = rq_disc(rq);
	u16 max_desc = get_unaligned_be16(&rq->cdb[8]);
	u8 type = rq->cdb[10];
	u8 *b = rq->buf;

	if (type != 0x00)
		return SENSE_INVALID_FIELD_IN_CDB;
	if (rq->cdb[1] & 0x04)		/* write performance: none */
		max_desc = 0;
	put_unaligned_be32(max_desc ? 4 + 16 : 4, &b[0]);
	if (max_desc) {
		put_unaligned_be32(0, &b[8]);
		put_unaligned_be32(VCDROM_SPEED_KBS, &b[12]);
		put_unaligned_be32(disc->sectors - 1, &b[16]);
		put_unaligned_be32(VCDROM_SPEED_KBS, &b[20]);
	}
	vcdrom_data_in(rq, max_desc ? 24 : 8, 8 + 16 * max_desc);
	return SENSE_GOOD;
}

/* SET CD SPEED: any speed is accepted; reads run as fast as the file allows. */
vcdrom_sense_t vcdrom_set_cd_speed(struct vcdrom_req *rq)
{
	return SENSE_GOOD;
}
