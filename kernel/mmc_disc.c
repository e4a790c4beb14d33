// SPDX-License-Identifier: GPL-2.0
/*
 * vcdrom: what is on the disc: READ CAPACITY, READ TOC (formats 0, 1, 2, 3
 * and 5), READ DISC and TRACK INFORMATION, READ HEADER, READ DVD STRUCTURE,
 * and the speed commands. Every answer is
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

/* An address as READ TOC gives it: LBA, or MSF of LBA + 150. */
static void put_address(u8 *p, u32 lba, bool msf)
{
	if (!msf) {
		put_unaligned_be32(lba, p);
		return;
	}
	p[0] = 0;
	vcdrom_lba_to_msf(lba, &p[1]);
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
#define TOC_FORMAT_FULL		2
#define TOC_FORMAT_PMA		3
#define TOC_FORMAT_ATIP		4
#define TOC_FORMAT_CDTEXT	5

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
		put_toc_entry(&b[len], vcdrom_track_control(t), t->number, t->start, msf);
		len += 8;
	}
	/* The lead-out of the last session: where the readable disc ends. */
	put_toc_entry(&b[len], vcdrom_track_control(last), LEADOUT_TRACK, disc->sectors, msf);
	len += 8;
	put_unaligned_be16(len - 2, &b[0]);
	b[2] = first->number;
	b[3] = last->number;
	vcdrom_data_in(rq, len, alloc_len);
	return SENSE_GOOD;
}

/*
 * The last session and where its file system starts: its first data track
 * (its first track when it has none). sr reads this at revalidate for the
 * CDROMMULTISESSION ioctl, so mount finds the last session's ISO 9660.
 */
static vcdrom_sense_t read_toc_session(struct vcdrom_req *rq, bool msf, unsigned int alloc_len)
{
	const struct vcdrom_disc *disc = rq_disc(rq);
	const struct vcdrom_session *s = &disc->sessions[disc->nr_sessions - 1];
	const struct vcdrom_track *t = &disc->tracks[s->first_track];
	unsigned int i;
	u8 *b = rq->buf;

	for (i = 0; i < s->nr_tracks; i++) {
		if (disc->tracks[s->first_track + i].mode != VCDROM_TRACK_AUDIO) {
			t = &disc->tracks[s->first_track + i];
			break;
		}
	}
	put_unaligned_be16(10, &b[0]);
	b[2] = 1;
	b[3] = s->number;
	put_toc_entry(&b[4], vcdrom_track_control(t), t->number, t->start, msf);
	vcdrom_data_in(rq, 12, alloc_len);
	return SENSE_GOOD;
}

#define ADR_MODE5		0x50	/* ADR 5: multi-session pointers */
#define FULL_TOC_DESC		11
/* B0: the maximum lead-out start a disc of 79:59:74 allows. */
#define MAX_LEADOUT_LBA		(80 * 60 * VCDROM_FRAMES_PER_SEC - 1 - VCDROM_MSF_OFFSET)

/* One full TOC descriptor: session, ADR/CTRL, POINT and P-time (MSF, binary). */
static u8 *full_toc_point(u8 *d, u8 session, u8 adr_ctl, u8 point, u8 pmin, u8 psec,
			  u8 pframe)
{
	d[0] = session;
	d[1] = adr_ctl;
	d[3] = point;
	d[8] = pmin;
	d[9] = psec;
	d[10] = pframe;
	return d + FULL_TOC_DESC;
}

static u8 *full_toc_lba(u8 *d, u8 session, u8 adr_ctl, u8 point, u32 lba)
{
	u8 msf[3];

	vcdrom_lba_to_msf(lba, msf);
	return full_toc_point(d, session, adr_ctl, point, msf[0], msf[1], msf[2]);
}

/*
 * Format 2: per session, from session @from on, points A0 (first track,
 * disc type), A1 (last track), A2 (lead-out), then the tracks. A disc of
 * several sessions has, as pressed CD-Extra discs do, B0 in every session
 * but the last (the next session's program area, the maximum lead-out, the
 * count of mode 5 pointers) and C0 in the first. cdrdao and libcdio read
 * only ADR 1 points and take A0 to be first; ADR 5 ones they skip.
 */
static vcdrom_sense_t read_toc_full(struct vcdrom_req *rq, u8 from, unsigned int alloc_len)
{
	const struct vcdrom_disc *disc = rq_disc(rq);
	unsigned int si, i;
	u8 *b = rq->buf, *d = &b[4], max_leadout[3];

	BUILD_BUG_ON(VCDROM_BUF_SIZE < 4 + FULL_TOC_DESC *
		     (VCDROM_MAX_TRACKS + 4 * VCDROM_MAX_SESSIONS + 1));
	if (from > disc->nr_sessions)
		return SENSE_INVALID_FIELD_IN_CDB;
	vcdrom_lba_to_msf(MAX_LEADOUT_LBA, max_leadout);

	for (si = from ? from - 1 : 0; si < disc->nr_sessions; si++) {
		const struct vcdrom_session *s = &disc->sessions[si];
		const struct vcdrom_track *ft = &disc->tracks[s->first_track];
		const struct vcdrom_track *lt = ft + s->nr_tracks - 1;
		u8 ctl_first = ADR_POSITION | vcdrom_track_control(ft);
		u8 ctl_last = ADR_POSITION | vcdrom_track_control(lt);
		bool last = si == disc->nr_sessions - 1;

		d = full_toc_point(d, s->number, ctl_first, 0xa0, ft->number, disc->disc_type, 0);
		d = full_toc_point(d, s->number, ctl_last, 0xa1, lt->number, 0, 0);
		d = full_toc_lba(d, s->number, ctl_last, 0xa2, s->leadout);
		for (i = 0; i < s->nr_tracks; i++)
			d = full_toc_lba(d, s->number, ADR_POSITION | vcdrom_track_control(ft + i),
					 ft[i].number, ft[i].start);
		if (last)
			continue;
		/* The next program area: where the next session's first track begins. */
		d = full_toc_lba(d, s->number, ADR_MODE5 | vcdrom_track_control(ft), 0xb0,
				 disc->sessions[si + 1].first);
		memcpy(&d[-FULL_TOC_DESC + 4], max_leadout, 3);
		d[-FULL_TOC_DESC + 7] = si ? 1 : 2;	/* mode 5 pointers: B0 (and C0) */
		if (si)
			continue;
		/* C0: no ATIP on a pressed disc; the start of the first lead-in. */
		d = full_toc_point(d, s->number, ADR_MODE5 | vcdrom_track_control(ft), 0xc0,
				   97, 27, 0);
	}
	put_unaligned_be16(d - b - 2, &b[0]);
	b[2] = disc->sessions[0].number;
	b[3] = disc->sessions[disc->nr_sessions - 1].number;
	vcdrom_data_in(rq, d - b, alloc_len);
	return SENSE_GOOD;
}

/* Format 5: the CD-TEXT packs as the disc holds them, CRC included. */
static vcdrom_sense_t read_toc_cdtext(struct vcdrom_req *rq, unsigned int alloc_len)
{
	const struct vcdrom_disc *disc = rq_disc(rq);

	if (!disc->cdtext)
		return SENSE_INVALID_FIELD_IN_CDB;
	put_unaligned_be16(disc->cdtext_len + 2, &rq->buf[0]);
	vcdrom_data_in_ext(rq, 4, disc->cdtext, disc->cdtext_len, alloc_len);
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
	/* What follows the first two formats is a CD's only. */
	if (format > TOC_FORMAT_SESSION && rq_disc(rq)->profile != VCDROM_PROFILE_CD_ROM)
		return SENSE_INVALID_FIELD_IN_CDB;

	switch (format) {
	case TOC_FORMAT_TOC:
		return read_toc_tracks(rq, msf, cdb[6], alloc_len);
	case TOC_FORMAT_SESSION:
		return read_toc_session(rq, msf, alloc_len);
	case TOC_FORMAT_FULL:
		return read_toc_full(rq, cdb[6], alloc_len);
	case TOC_FORMAT_PMA:
		/* Nothing was ever recorded on a pressed disc: the header alone. */
		put_unaligned_be16(2, &rq->buf[0]);
		vcdrom_data_in(rq, 4, alloc_len);
		return SENSE_GOOD;
	case TOC_FORMAT_CDTEXT:
		return read_toc_cdtext(rq, alloc_len);
	case TOC_FORMAT_ATIP:		/* no ATIP: not a recordable disc */
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
	b[8] = disc->disc_type;		/* CD-DA or CD-ROM, or CD-ROM XA */
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
	u8 *b = rq->buf;

	switch (rq->cdb[1] & 0x03) {
	case TI_ADDR_LBA:
		if (addr < disc->sectors)
			t = vcdrom_disc_track_at(disc, addr);
		break;
	case TI_ADDR_TRACK:
		t = vcdrom_disc_track_nr(disc, addr);
		break;
	case TI_ADDR_SESSION:
		if (addr >= 1 && addr <= disc->nr_sessions)
			t = &disc->tracks[disc->sessions[addr - 1].first_track];
		break;
	}
	/* Past the lead-out or between sessions: no track is there. */
	if (!t)
		return SENSE_INVALID_FIELD_IN_CDB;

	put_unaligned_be16(46, &b[0]);
	b[2] = t->number;
	b[3] = t->session;
	b[5] = vcdrom_track_control(t);
	b[6] = t->mode == VCDROM_TRACK_MODE1 ? 0x01 :
	       t->mode == VCDROM_TRACK_AUDIO ? 0x0f : 0x02;
	b[7] = 0x02;			/* last recorded address valid */
	put_unaligned_be32(t->start, &b[8]);
	put_unaligned_be32(t->end - t->start, &b[24]);
	put_unaligned_be32(t->end - 1, &b[28]);
	vcdrom_data_in(rq, 48, get_unaligned_be16(&rq->cdb[7]));
	return SENSE_GOOD;
}

/* READ HEADER: the data mode and address in a data sector's header. */
vcdrom_sense_t vcdrom_read_header(struct vcdrom_req *rq)
{
	const struct vcdrom_disc *disc = rq_disc(rq);
	u32 lba = get_unaligned_be32(&rq->cdb[2]);
	const struct vcdrom_track *t;
	u8 *b = rq->buf;

	if (disc->profile != VCDROM_PROFILE_CD_ROM)
		return SENSE_INCOMPATIBLE_FORMAT;	/* a CD command */
	if (lba >= disc->sectors)
		return SENSE_LBA_OUT_OF_RANGE;
	t = vcdrom_disc_track_at(disc, lba);
	if (!t)
		return SENSE_LBA_OUT_OF_RANGE;	/* between sessions */
	if (t->mode == VCDROM_TRACK_AUDIO)
		return SENSE_ILLEGAL_MODE_FOR_TRACK;
	b[0] = t->mode == VCDROM_TRACK_MODE1 ? 1 : 2;
	put_address(&b[4], lba, rq->cdb[1] & 0x02);
	vcdrom_data_in(rq, 8, get_unaligned_be16(&rq->cdb[7]));
	return SENSE_GOOD;
}

/* READ DVD STRUCTURE formats answered for DVD media. */
#define DVD_STRUCT_PHYSICAL	0x00
#define DVD_STRUCT_COPYRIGHT	0x01
#define DVD_STRUCT_BCA		0x03
#define DVD_STRUCT_MANUFACTURER	0x04
#define DVD_STRUCT_LIST		0xff
#define DVD_LAYER_SECTORS	2295104		/* single-layer capacity */
#define DVD_DATA_START		0x30000		/* first physical sector of the data area */

/* One entry of the structure list (format FFh): readable, @len bytes after the header. */
static u8 *dvd_list_entry(u8 *p, u8 format, unsigned int len)
{
	p[0] = format;
	p[1] = 0x40;
	put_unaligned_be16(len + 4, &p[2]);
	return p + 4;
}

static void dvd_physical(const struct vcdrom_disc *disc, u8 *p)
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
}

vcdrom_sense_t vcdrom_read_dvd_structure(struct vcdrom_req *rq)
{
	const struct vcdrom_disc *disc = rq_disc(rq);
	unsigned int alloc_len = get_unaligned_be16(&rq->cdb[8]);
	const struct vcdrom_dvd_structs *dvd = disc->dvd;
	u8 format = rq->cdb[7], *b = rq->buf, *p = &b[4];
	unsigned int len;

	if (disc->profile != VCDROM_PROFILE_DVD_ROM)
		return SENSE_INCOMPATIBLE_FORMAT;
	if (rq->cdb[1] & 0x0f)		/* media type: DVD only */
		return SENSE_INVALID_FIELD_IN_CDB;

	switch (format) {
	case DVD_STRUCT_PHYSICAL:
		if (dvd && dvd->layers) {
			if (rq->cdb[6] >= dvd->layers)
				return SENSE_INVALID_FIELD_IN_CDB;
			memcpy(p, dvd->physical[rq->cdb[6]], VCDROM_DVD_STRUCT_LEN);
			len = VCDROM_DVD_STRUCT_LEN;
			break;
		}
		if (rq->cdb[6] > (disc->sectors > DVD_LAYER_SECTORS ? 1 : 0))
			return SENSE_INVALID_FIELD_IN_CDB;
		dvd_physical(disc, p);
		len = VCDROM_DVD_STRUCT_LEN;	/* the rest of it zero */
		break;
	case DVD_STRUCT_COPYRIGHT:
		/* made up: no copy protection, all regions */
		if (dvd && dvd->has_copyright)
			memcpy(p, dvd->copyright, VCDROM_DVD_COPYRIGHT_LEN);
		len = VCDROM_DVD_COPYRIGHT_LEN;
		break;
	case DVD_STRUCT_BCA:
		if (!dvd || !dvd->bca_len)
			return SENSE_INVALID_FIELD_IN_CDB;
		memcpy(p, dvd->bca, dvd->bca_len);
		len = dvd->bca_len;
		break;
	case DVD_STRUCT_MANUFACTURER:
		if (dvd && dvd->has_manufacturer)
			memcpy(p, dvd->manufacturer, VCDROM_DVD_STRUCT_LEN);
		len = VCDROM_DVD_STRUCT_LEN;	/* made up: all zero */
		break;
	case DVD_STRUCT_LIST:
		p = dvd_list_entry(p, DVD_STRUCT_PHYSICAL, VCDROM_DVD_STRUCT_LEN);
		p = dvd_list_entry(p, DVD_STRUCT_COPYRIGHT, VCDROM_DVD_COPYRIGHT_LEN);
		if (dvd && dvd->bca_len)
			p = dvd_list_entry(p, DVD_STRUCT_BCA, dvd->bca_len);
		p = dvd_list_entry(p, DVD_STRUCT_MANUFACTURER, VCDROM_DVD_STRUCT_LEN);
		p = dvd_list_entry(p, DVD_STRUCT_LIST, 0);
		len = p - &b[4];
		/* the list's own entry says how long the list is */
		put_unaligned_be16(len + 4, p - 2);
		break;
	default:
		return SENSE_INVALID_FIELD_IN_CDB;
	}
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
