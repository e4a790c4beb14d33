// SPDX-License-Identifier: GPL-2.0
/*
 * vcdrom: who the drive is and what it can do: INQUIRY and its VPD pages,
 * REPORT LUNS, MODE SENSE and GET CONFIGURATION.
 */
#include <linux/cdrom.h>
#include <linux/string.h>
#include <scsi/scsi.h>
#include <scsi/scsi_proto.h>

#include "vcdrom.h"

#define INQUIRY_LEN		74	/* standard data through the version descriptors */
#define VERSION_SPC3		0x0300
#define VERSION_MMC5		0x02a0

#define VPD_SUPPORTED		0x00
#define VPD_SERIAL		0x80
#define VPD_DEVICE_ID		0x83

static void put_padded(u8 *dst, const char *src, size_t len)
{
	memcpy_and_pad(dst, len, src, strnlen(src, len), ' ');
}

static vcdrom_sense_t vcdrom_inquiry_vpd(struct vcdrom_req *rq, u8 page,
					 unsigned int alloc_len)
{
	struct vcdrom_drive *drive = rq->drive;
	size_t serial_len = strlen(drive->serial);
	u8 *b = rq->buf, *d;
	unsigned int len;

	b[0] = TYPE_ROM;
	b[1] = page;
	switch (page) {
	case VPD_SUPPORTED:
		b[4] = VPD_SUPPORTED;
		b[5] = VPD_SERIAL;
		b[6] = VPD_DEVICE_ID;
		len = 7;
		break;
	case VPD_SERIAL:
		memcpy(&b[4], drive->serial, serial_len);
		len = 4 + serial_len;
		break;
	case VPD_DEVICE_ID:
		/* One designator: T10 vendor id, vendor then serial, ASCII. */
		d = &b[4];
		d[0] = 0x02;		/* code set: ASCII */
		d[1] = 0x01;		/* association: LU; type: T10 vendor id */
		d[3] = VCDROM_VENDOR_LEN + serial_len;
		put_padded(&d[4], drive->vendor, VCDROM_VENDOR_LEN);
		memcpy(&d[4 + VCDROM_VENDOR_LEN], drive->serial, serial_len);
		len = 4 + 4 + d[3];
		break;
	default:
		return SENSE_INVALID_FIELD_IN_CDB;
	}
	put_unaligned_be16(len - 4, &b[2]);
	vcdrom_data_in(rq, len, alloc_len);
	return SENSE_GOOD;
}

vcdrom_sense_t vcdrom_inquiry(struct vcdrom_req *rq)
{
	struct vcdrom_drive *drive = rq->drive;
	unsigned int alloc_len = get_unaligned_be16(&rq->cdb[3]);
	u8 *b = rq->buf;

	if (rq->cdb[1] & ~0x01)		/* CMDDT and reserved bits */
		return SENSE_INVALID_FIELD_IN_CDB;
	if (rq->cdb[1] & 0x01)
		return vcdrom_inquiry_vpd(rq, rq->cdb[2], alloc_len);
	if (rq->cdb[2])
		return SENSE_INVALID_FIELD_IN_CDB;

	b[0] = TYPE_ROM;
	b[1] = 0x80;			/* RMB: removable medium */
	b[2] = 0x05;			/* SPC-3 */
	b[3] = 0x02;			/* response data format 2 */
	b[4] = INQUIRY_LEN - 5;
	b[7] = 0x02;			/* CmdQue */
	put_padded(&b[8], drive->vendor, VCDROM_VENDOR_LEN);
	put_padded(&b[16], drive->product, VCDROM_PRODUCT_LEN);
	put_padded(&b[32], drive->revision, VCDROM_REVISION_LEN);
	put_unaligned_be16(VERSION_MMC5, &b[58]);
	put_unaligned_be16(VERSION_SPC3, &b[60]);
	vcdrom_data_in(rq, INQUIRY_LEN, alloc_len);
	return SENSE_GOOD;
}

vcdrom_sense_t vcdrom_report_luns(struct vcdrom_req *rq)
{
	unsigned int alloc_len = get_unaligned_be32(&rq->cdb[6]);
	u8 select = rq->cdb[2];

	if (alloc_len < 16 || select > 0x02)
		return SENSE_INVALID_FIELD_IN_CDB;
	/* LUN 0 is the only one; select 01h asks for well-known LUNs: none. */
	if (select != 0x01)
		put_unaligned_be32(8, &rq->buf[0]);
	vcdrom_data_in(rq, select != 0x01 ? 16 : 8, alloc_len);
	return SENSE_GOOD;
}

/* ---- MODE SENSE ---- */

#define MODE_PC_CURRENT		0
#define MODE_PC_CHANGEABLE	1
#define MODE_PC_DEFAULT		2
#define MODE_PC_SAVED		3
#define MODE_ALL_PAGES		0x3f

/* Fill page @p; return its length including the 2-byte header. */
typedef unsigned int (*mode_page_fill_t)(struct vcdrom_drive *drive, u8 *p);

static unsigned int mode_page_error_recovery(struct vcdrom_drive *drive, u8 *p)
{
	p[1] = 0x0a;
	p[3] = 1;			/* read retry count */
	return 12;
}

static unsigned int mode_page_cd_device(struct vcdrom_drive *drive, u8 *p)
{
	p[1] = 0x06;
	put_unaligned_be16(60, &p[4]);	/* S units per M */
	put_unaligned_be16(75, &p[6]);	/* F units per S */
	return 8;
}

#define MODE_PAGE_CD_AUDIO	0x0e

/* Page 0Eh bytes 8-15, per output port: channel selection, volume. */
static const u8 cd_audio_ports_default[VCDROM_AUDIO_PORTS] = {
	0x01, 0xff,			/* port 0: channel 0, full volume */
	0x02, 0xff,			/* port 1: channel 1 */
	0x00, 0x00, 0x00, 0x00,		/* ports 2 and 3: muted */
};

/* What MODE SELECT may change in page 0Eh: channel selection and volume. */
static const u8 cd_audio_changeable[16] = {
	[8] = 0x0f, 0xff, 0x0f, 0xff, 0x0f, 0xff, 0x0f, 0xff,
};

static unsigned int mode_page_cd_audio(struct vcdrom_drive *drive, u8 *p)
{
	p[1] = 0x0e;
	p[2] = 0x04;			/* IMMED: play returns at once */
	memcpy(&p[8], drive->audio_ports_set ? drive->audio_ports : cd_audio_ports_default,
	       VCDROM_AUDIO_PORTS);
	return 16;
}

static unsigned int mode_page_power_condition(struct vcdrom_drive *drive, u8 *p)
{
	p[1] = 0x0a;
	return 12;
}

/* MM capabilities and mechanical status; sr reads bytes 2-15 of it. */
static unsigned int mode_page_capabilities(struct vcdrom_drive *drive, u8 *p)
{
	p[1] = 0x1c;
	p[2] = 0x3f;		/* reads CD-R, CD-RW, method 2, DVD-ROM, DVD-R, DVD-RAM */
	p[3] = 0x00;		/* writes nothing */
	p[4] = 0x71;		/* audio play, mode 2 form 1 and 2, multi-session */
	p[5] = 0x77;		/* CD-DA commands, accurate, R-W, C2, ISRC, UPC */
	p[6] = 0x20 | 0x08 | 0x01;	/* tray, eject, lock */
	if (drive->prevent)
		p[6] |= 0x02;	/* lock state */
	p[7] = 0x03;		/* separate volume and channel mute */
	put_unaligned_be16(8467, &p[8]);	/* 48x */
	put_unaligned_be16(256, &p[10]);	/* volume levels */
	put_unaligned_be16(1024, &p[12]);	/* buffer, KiB */
	put_unaligned_be16(8467, &p[14]);
	return 30;
}

static const struct {
	u8 code;
	mode_page_fill_t fill;
	const u8 *changeable;		/* the page's changeable bits; NULL: none */
} mode_pages[] = {
	{ 0x01, mode_page_error_recovery },
	{ 0x0d, mode_page_cd_device },
	{ MODE_PAGE_CD_AUDIO, mode_page_cd_audio, cd_audio_changeable },
	{ 0x1a, mode_page_power_condition },
	{ 0x2a, mode_page_capabilities },
};

vcdrom_sense_t vcdrom_mode_sense(struct vcdrom_req *rq)
{
	const u8 *cdb = rq->cdb;
	bool ten = cdb[0] == MODE_SENSE_10;
	unsigned int hdr_len = ten ? 8 : 4, len = hdr_len;
	unsigned int alloc_len = ten ? get_unaligned_be16(&cdb[7]) : cdb[4];
	u8 pc = cdb[2] >> 6, page = cdb[2] & 0x3f, subpage = cdb[3];
	bool found = false;
	unsigned int i, n;

	if (pc == MODE_PC_SAVED)
		return SENSE_SAVING_NOT_SUPPORTED;
	if (subpage && !(page == MODE_ALL_PAGES && subpage == 0xff))
		return SENSE_INVALID_FIELD_IN_CDB;

	for (i = 0; i < ARRAY_SIZE(mode_pages); i++) {
		u8 *p = &rq->buf[len];

		if (page != MODE_ALL_PAGES && page != mode_pages[i].code)
			continue;
		p[0] = mode_pages[i].code;
		n = mode_pages[i].fill(rq->drive, p);
		if (pc == MODE_PC_CHANGEABLE) {
			memset(&p[2], 0, n - 2);
			if (mode_pages[i].changeable)
				memcpy(&p[2], &mode_pages[i].changeable[2], n - 2);
		}
		len += n;
		found = true;
	}
	if (!found)
		return SENSE_INVALID_FIELD_IN_CDB;

	/* No block descriptors; medium type and device-specific byte 0. */
	if (ten)
		put_unaligned_be16(len - 2, &rq->buf[0]);
	else
		rq->buf[0] = len - 1;
	vcdrom_data_in(rq, len, alloc_len);
	return SENSE_GOOD;
}

/*
 * MODE SELECT (6) and (10): page 0Eh only, its channel selection and volume
 * (cdrom.c's CDROMVOLCTRL). No sound is made; the values are kept and
 * MODE SENSE reports them. Saving (SP) is not supported.
 */
vcdrom_sense_t vcdrom_mode_select(struct vcdrom_req *rq)
{
	const u8 *cdb = rq->cdb, *b = rq->buf;
	bool ten = cdb[0] == MODE_SELECT_10;
	unsigned int len = ten ? get_unaligned_be16(&cdb[7]) : cdb[4];
	unsigned int hdr = ten ? 8 : 4, off, i;
	u8 ports[VCDROM_AUDIO_PORTS];
	bool set = false;

	if (cdb[1] & 0x01)
		return SENSE_SAVING_NOT_SUPPORTED;
	if (!(cdb[1] & 0x10))		/* PF: pages as MMC defines them */
		return SENSE_INVALID_FIELD_IN_CDB;
	len = min(len, rq->out_len);
	if (!len)
		return SENSE_GOOD;
	if (len < hdr)
		return SENSE_PARAM_LIST_LENGTH;
	off = hdr + (ten ? get_unaligned_be16(&b[6]) : b[3]);	/* past block descriptors */
	while (off < len) {
		const u8 *p = &b[off];

		if (len - off < 2 || len - off < 2u + p[1])
			return SENSE_PARAM_LIST_LENGTH;
		if ((p[0] & 0x3f) != MODE_PAGE_CD_AUDIO || p[1] != 0x0e)
			return SENSE_INVALID_FIELD_IN_PARAM;
		for (i = 0; i < VCDROM_AUDIO_PORTS; i++)
			ports[i] = p[8 + i] & cd_audio_changeable[8 + i];
		set = true;
		off += 2 + p[1];
	}
	if (set) {
		memcpy(rq->drive->audio_ports, ports, VCDROM_AUDIO_PORTS);
		rq->drive->audio_ports_set = true;
	}
	return SENSE_GOOD;
}

/* ---- GET CONFIGURATION ---- */

#define FEAT_PROFILE_LIST	0x0000
#define FEAT_CORE		0x0001
#define FEAT_MORPHING		0x0002
#define FEAT_REMOVABLE_MEDIUM	0x0003
#define FEAT_RANDOM_READABLE	0x0010
#define FEAT_MULTI_READ		0x001d
#define FEAT_CD_READ		0x001e
#define FEAT_DVD_READ		0x001f
#define FEAT_BD_READ		0x0040
#define FEAT_POWER_MANAGEMENT	0x0100
#define FEAT_CD_AUDIO_EXT	0x0103

#define GC_RT_ALL		0
#define GC_RT_CURRENT		1
#define GC_RT_ONE		2

struct feature_ctx {
	u16 profile;		/* current profile, 0 without a medium */
	u8 *p;			/* where the descriptor goes */
};

/* Build the feature's descriptor at ctx->p; return its length. */
typedef unsigned int (*feature_fill_t)(const struct feature_ctx *ctx);

static unsigned int feature_header(u8 *p, u16 code, u8 version, bool persistent,
				   bool cur, u8 add_len)
{
	put_unaligned_be16(code, &p[0]);
	p[2] = version << 2 | (persistent ? 0x02 : 0) | (cur ? 0x01 : 0);
	p[3] = add_len;
	return 4 + add_len;
}

static const u16 profiles[] = {
	VCDROM_PROFILE_BD_ROM, VCDROM_PROFILE_DVD_ROM, VCDROM_PROFILE_CD_ROM,
};

static unsigned int feature_profile_list(const struct feature_ctx *ctx)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(profiles); i++) {
		u8 *d = &ctx->p[4 + 4 * i];

		put_unaligned_be16(profiles[i], d);
		d[2] = profiles[i] == ctx->profile;	/* CurrentP */
	}
	return feature_header(ctx->p, FEAT_PROFILE_LIST, 0, true, true,
			      4 * ARRAY_SIZE(profiles));
}

static unsigned int feature_core(const struct feature_ctx *ctx)
{
	put_unaligned_be32(1, &ctx->p[4]);	/* physical interface: SCSI */
	return feature_header(ctx->p, FEAT_CORE, 2, true, true, 8);
}

static unsigned int feature_morphing(const struct feature_ctx *ctx)
{
	return feature_header(ctx->p, FEAT_MORPHING, 1, true, true, 4);
}

static unsigned int feature_removable_medium(const struct feature_ctx *ctx)
{
	ctx->p[4] = 0x20 | 0x08 | 0x01;		/* tray, eject, lock */
	return feature_header(ctx->p, FEAT_REMOVABLE_MEDIUM, 0, true, true, 4);
}

static bool profile_is_cd(u16 profile)
{
	return profile == VCDROM_PROFILE_CD_ROM;
}

static unsigned int feature_random_readable(const struct feature_ctx *ctx)
{
	put_unaligned_be32(2048, &ctx->p[4]);
	put_unaligned_be16(profile_is_cd(ctx->profile) || !ctx->profile ? 1 : 16,
			   &ctx->p[8]);
	return feature_header(ctx->p, FEAT_RANDOM_READABLE, 0, false,
			      ctx->profile != VCDROM_PROFILE_NONE, 8);
}

static unsigned int feature_multi_read(const struct feature_ctx *ctx)
{
	return feature_header(ctx->p, FEAT_MULTI_READ, 0, false,
			      profile_is_cd(ctx->profile), 0);
}

/* READ CD with CD-TEXT (READ TOC format 5) and C2 error pointers. */
static unsigned int feature_cd_read(const struct feature_ctx *ctx)
{
	ctx->p[4] = 0x01 | 0x02;		/* CD-Text, C2 Flags */
	return feature_header(ctx->p, FEAT_CD_READ, 2, false,
			      profile_is_cd(ctx->profile), 4);
}

static unsigned int feature_dvd_read(const struct feature_ctx *ctx)
{
	return feature_header(ctx->p, FEAT_DVD_READ, 0, false,
			      ctx->profile == VCDROM_PROFILE_DVD_ROM, 0);
}

static unsigned int feature_bd_read(const struct feature_ctx *ctx)
{
	return feature_header(ctx->p, FEAT_BD_READ, 0, false,
			      ctx->profile == VCDROM_PROFILE_BD_ROM, 28);
}

static unsigned int feature_power_management(const struct feature_ctx *ctx)
{
	return feature_header(ctx->p, FEAT_POWER_MANAGEMENT, 0, true, true, 0);
}

/*
 * CD External Audio Play: PLAY AUDIO, PAUSE/RESUME, STOP PLAY/SCAN, READ
 * SUB-CHANNEL. Volume and mute per channel, as page 0Eh shows them; no SCAN.
 */
static unsigned int feature_cd_audio_ext(const struct feature_ctx *ctx)
{
	ctx->p[4] = 0x02 | 0x01;		/* SCM, SV */
	put_unaligned_be16(256, &ctx->p[6]);	/* volume levels */
	return feature_header(ctx->p, FEAT_CD_AUDIO_EXT, 0, false,
			      profile_is_cd(ctx->profile), 4);
}

/* In ascending feature code order, as GET CONFIGURATION returns them. */
static const struct {
	u16 code;
	feature_fill_t fill;
} features[] = {
	{ FEAT_PROFILE_LIST, feature_profile_list },
	{ FEAT_CORE, feature_core },
	{ FEAT_MORPHING, feature_morphing },
	{ FEAT_REMOVABLE_MEDIUM, feature_removable_medium },
	{ FEAT_RANDOM_READABLE, feature_random_readable },
	{ FEAT_MULTI_READ, feature_multi_read },
	{ FEAT_CD_READ, feature_cd_read },
	{ FEAT_DVD_READ, feature_dvd_read },
	{ FEAT_BD_READ, feature_bd_read },
	{ FEAT_POWER_MANAGEMENT, feature_power_management },
	{ FEAT_CD_AUDIO_EXT, feature_cd_audio_ext },
};

vcdrom_sense_t vcdrom_get_configuration(struct vcdrom_req *rq)
{
	u8 rt = rq->cdb[1] & 0x03;
	u16 start = get_unaligned_be16(&rq->cdb[2]);
	unsigned int alloc_len = get_unaligned_be16(&rq->cdb[7]);
	struct feature_ctx ctx = { .profile = vcdrom_drive_profile(rq->drive) };
	unsigned int i, len = 8, n;

	if (rt > GC_RT_ONE)
		return SENSE_INVALID_FIELD_IN_CDB;

	for (i = 0; i < ARRAY_SIZE(features); i++) {
		if (features[i].code < start)
			continue;
		if (rt == GC_RT_ONE && features[i].code != start)
			break;
		ctx.p = &rq->buf[len];
		n = features[i].fill(&ctx);
		if (rt == GC_RT_CURRENT && !(ctx.p[2] & 0x01)) {
			memset(ctx.p, 0, n);
			continue;
		}
		len += n;
	}
	put_unaligned_be32(len - 4, &rq->buf[0]);
	put_unaligned_be16(ctx.profile, &rq->buf[6]);
	vcdrom_data_in(rq, len, alloc_len);
	return SENSE_GOOD;
}
