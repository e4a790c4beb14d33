// SPDX-License-Identifier: GPL-2.0
/*
 * libvcdrom: the netlink client for the vcdrom family, the disc layout and
 * how a DRIVE argument names a drive.
 *
 * Every request asks for an ACK, so a request ends with an ACK, an error or,
 * for a dump, NLMSG_DONE. Errors come back with the kernel's extack TLVs
 * (NETLINK_EXT_ACK); the message is kept in the client for the caller.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <linux/cdrom.h>
#include <scsi/sg.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "helpers.h"
#include "internal.h"
#include "libvcdrom.h"

/* How replies are parsed: every attribute the kernel may send us. */
static struct nla_policy attr_policy[VCDROM_A_MAX + 1] = {
	[VCDROM_A_FEATURES]	= { .type = NLA_U64 },
	[VCDROM_A_DRIVE]	= { .type = NLA_U32 },
	[VCDROM_A_HCTL]		= { .type = NLA_STRING },
	[VCDROM_A_BLOCK_DEV]	= { .type = NLA_STRING },
	[VCDROM_A_SG_DEV]	= { .type = NLA_STRING },
	[VCDROM_A_STATE]	= { .type = NLA_U32 },
	[VCDROM_A_LOCKED]	= { .type = NLA_U8 },
	[VCDROM_A_PROFILE]	= { .type = NLA_U32 },
	[VCDROM_A_CAPACITY]	= { .type = NLA_U64 },
	[VCDROM_A_VENDOR]	= { .type = NLA_STRING },
	[VCDROM_A_PRODUCT]	= { .type = NLA_STRING },
	[VCDROM_A_REVISION]	= { .type = NLA_STRING },
	[VCDROM_A_SERIAL]	= { .type = NLA_STRING },
	[VCDROM_A_DISC]		= { .type = NLA_NESTED },
	[VCDROM_A_EVENT]	= { .type = NLA_U32 },
	[VCDROM_A_EJECT_CAUSE]	= { .type = NLA_U32 },
	[VCDROM_A_MAX_DRIVES]	= { .type = NLA_U32 },
	[VCDROM_A_PLAYLIST]	= { .type = NLA_NESTED },
	[VCDROM_A_PLAYLIST_INDEX] = { .type = NLA_U32 },
};

static struct nla_policy file_policy[VCDROM_FILE_A_MAX + 1] = {
	[VCDROM_FILE_A_PATH]	= { .type = NLA_STRING },
	[VCDROM_FILE_A_SIZE]	= { .type = NLA_U64 },
};

/* libnl's error codes, for the few a caller can act on; the rest is EIO. */
static int nl_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_NOMEM:		return -ENOMEM;
	case NLE_AGAIN:		return -EAGAIN;
	case NLE_INTR:		return -EINTR;
	case NLE_PERM:		return -EPERM;
	case NLE_NOACCESS:	return -EACCES;
	case NLE_OBJ_NOTFOUND:	return -ENOENT;
	case NLE_MSGSIZE:	return -EMSGSIZE;
	case NLE_INVAL:		return -EINVAL;
	case NLE_RANGE:		return -ERANGE;
	case NLE_OPNOTSUPP:	return -EOPNOTSUPP;
	case NLE_PROTO_MISMATCH: return -EPROTONOSUPPORT;
	default:		return -EIO;
	}
}

static void copy_str(char *dst, size_t size, const struct nlattr *a)
{
	if (a)
		nla_strlcpy(dst, a, size);
	else
		dst[0] = '\0';
}

/* ---- the disc layout ---- */

void vcd_disc_init(struct vcd_disc *disc)
{
	memset(disc, 0, sizeof(*disc));
}

void vcd_disc_free(struct vcd_disc *disc)
{
	unsigned int i, j;

	for (i = 0; i < disc->nr_files; i++) {
		if (disc->files[i].fd >= 0)
			close(disc->files[i].fd);
		free(disc->files[i].path);
	}
	for (i = 0; i < disc->nr_sessions; i++) {
		struct vcd_session *s = &disc->sessions[i];

		for (j = 0; j < s->nr_tracks; j++) {
			free(s->tracks[j].extents);
			free(s->tracks[j].indexes);
		}
		free(s->tracks);
	}
	free(disc->cdtext);
	free(disc->dvd);
	free(disc->dpm);
	free(disc->files);
	free(disc->sessions);
	vcd_disc_init(disc);
}

/* @arr holding @n elements of @size bytes, grown by one zeroed element; NULL without memory. */
static void *array_add(void *arr, unsigned int n, size_t size)
{
	char *p = realloc(arr, (n + 1) * size);

	if (p)
		memset(p + n * size, 0, size);
	return p;
}

int vcd_disc_add_file(struct vcd_disc *disc, int fd, const char *path, uint64_t size)
{
	struct vcd_disc_file *files;
	char *copy = strdup(path);

	files = copy ? array_add(disc->files, disc->nr_files, sizeof(*files)) : NULL;
	if (!files) {
		free(copy);
		close(fd);
		return -ENOMEM;
	}
	disc->files = files;
	files[disc->nr_files].fd = fd;
	files[disc->nr_files].path = copy;
	files[disc->nr_files].size = size;
	return disc->nr_files++;
}

struct vcd_session *vcd_disc_add_session(struct vcd_disc *disc)
{
	struct vcd_session *s = array_add(disc->sessions, disc->nr_sessions, sizeof(*s));

	if (!s)
		return NULL;
	disc->sessions = s;
	return &s[disc->nr_sessions++];
}

struct vcd_track *vcd_session_add_track(struct vcd_session *session)
{
	struct vcd_track *t = array_add(session->tracks, session->nr_tracks, sizeof(*t));

	if (!t)
		return NULL;
	session->tracks = t;
	return &t[session->nr_tracks++];
}

struct vcd_extent *vcd_track_add_extent(struct vcd_track *track)
{
	struct vcd_extent *e = array_add(track->extents, track->nr_extents, sizeof(*e));

	if (!e)
		return NULL;
	track->extents = e;
	return &e[track->nr_extents++];
}

int vcd_track_add_index(struct vcd_track *track, uint32_t lba)
{
	uint32_t *idx = array_add(track->indexes, track->nr_indexes, sizeof(*idx));

	if (!idx)
		return -ENOMEM;
	track->indexes = idx;
	idx[track->nr_indexes++] = lba;
	return 0;
}

static int put_dvd(struct nl_msg *msg, const struct vcd_dvd_structs *dvd)
{
	if ((dvd->layers && nla_put(msg, VCDROM_DISC_A_DVD_PHYSICAL,
				    dvd->layers * VCDROM_DVD_STRUCT_LEN, dvd->physical)) ||
	    (dvd->copyright_len && nla_put(msg, VCDROM_DISC_A_DVD_COPYRIGHT,
					   dvd->copyright_len, dvd->copyright)) ||
	    (dvd->manufacturer_len && nla_put(msg, VCDROM_DISC_A_DVD_MANUFACTURER,
					      dvd->manufacturer_len, dvd->manufacturer)) ||
	    (dvd->bca_len && nla_put(msg, VCDROM_DISC_A_DVD_BCA, dvd->bca_len, dvd->bca)))
		return -EMSGSIZE;
	return 0;
}

bool vcd_disc_has_subchannel(const struct vcd_disc *disc)
{
	unsigned int s, t, e;

	for (s = 0; s < disc->nr_sessions; s++)
		for (t = 0; t < disc->sessions[s].nr_tracks; t++) {
			const struct vcd_track *tr = &disc->sessions[s].tracks[t];

			for (e = 0; e < tr->nr_extents; e++)
				if (tr->extents[e].flags || tr->extents[e].sub_format)
					return true;
		}
	return false;
}

static int put_extent(struct nl_msg *msg, const struct vcd_extent *e)
{
	struct nlattr *nest = nla_nest_start(msg, VCDROM_TRACK_A_EXTENT);

	if (!nest ||
	    nla_put_u32(msg, VCDROM_EXTENT_A_START, e->start) ||
	    nla_put_u32(msg, VCDROM_EXTENT_A_LENGTH, e->length) ||
	    nla_put_u32(msg, VCDROM_EXTENT_A_FORMAT, e->format))
		return -EMSGSIZE;
	if (e->format != VCDROM_SECTOR_ZERO &&
	    (nla_put_u32(msg, VCDROM_EXTENT_A_FILE, e->file) ||
	     nla_put_u64(msg, VCDROM_EXTENT_A_OFFSET, e->offset)))
		return -EMSGSIZE;
	if (e->flags && nla_put_u32(msg, VCDROM_EXTENT_A_FLAGS, e->flags))
		return -EMSGSIZE;
	if (e->sub_format != VCDROM_SUB_NONE &&
	    nla_put_u32(msg, VCDROM_EXTENT_A_SUB_FORMAT, e->sub_format))
		return -EMSGSIZE;
	if (e->sub_format != VCDROM_SUB_NONE && e->sub_in_file &&
	    (nla_put_u32(msg, VCDROM_EXTENT_A_SUB_FILE, e->sub_file) ||
	     nla_put_u64(msg, VCDROM_EXTENT_A_SUB_OFFSET, e->sub_offset)))
		return -EMSGSIZE;
	return nla_nest_end(msg, nest) ? -EMSGSIZE : 0;
}

static int put_track(struct nl_msg *msg, const struct vcd_track *t)
{
	struct nlattr *nest = nla_nest_start(msg, VCDROM_SESSION_A_TRACK);
	unsigned int i;

	if (!nest ||
	    nla_put_u8(msg, VCDROM_TRACK_A_NUMBER, t->number) ||
	    nla_put_u32(msg, VCDROM_TRACK_A_MODE, t->mode) ||
	    nla_put_u32(msg, VCDROM_TRACK_A_FLAGS, t->flags) ||
	    nla_put_u32(msg, VCDROM_TRACK_A_START, t->start))
		return -EMSGSIZE;
	for (i = 0; i < t->nr_indexes; i++)
		if (nla_put_u32(msg, VCDROM_TRACK_A_INDEX, t->indexes[i]))
			return -EMSGSIZE;
	if (t->isrc[0] && nla_put_string(msg, VCDROM_TRACK_A_ISRC, t->isrc))
		return -EMSGSIZE;
	for (i = 0; i < t->nr_extents; i++)
		if (put_extent(msg, &t->extents[i]))
			return -EMSGSIZE;
	return nla_nest_end(msg, nest) ? -EMSGSIZE : 0;
}

/* @disc as a nest of type @type: VCDROM_A_DISC, or VCDROM_PLAYLIST_A_DISC. */
static int put_disc(struct nl_msg *msg, const struct vcd_disc *disc, int type)
{
	struct nlattr *dnest, *nest;
	unsigned int i, j;

	dnest = nla_nest_start(msg, type);
	if (!dnest)
		return -EMSGSIZE;
	/* Only what a layout sets: an ISO's message is what it always was. */
	if ((disc->medium != VCDROM_MEDIUM_AUTO &&
	     nla_put_u32(msg, VCDROM_DISC_A_MEDIUM, disc->medium)) ||
	    (disc->mcn[0] && nla_put_string(msg, VCDROM_DISC_A_MCN, disc->mcn)) ||
	    (disc->format && nla_put_string(msg, VCDROM_DISC_A_FORMAT, disc->format)) ||
	    (disc->source && nla_put_string(msg, VCDROM_DISC_A_SOURCE, disc->source)) ||
	    (disc->cdtext_len &&
	     nla_put(msg, VCDROM_DISC_A_CDTEXT, disc->cdtext_len, disc->cdtext)))
		return -EMSGSIZE;
	if (disc->dvd && put_dvd(msg, disc->dvd))
		return -EMSGSIZE;
	for (i = 0; i < disc->nr_files; i++) {
		if (disc->files[i].fd < 0)
			return -EBADF;
		nest = nla_nest_start(msg, VCDROM_DISC_A_FILE);
		if (!nest || nla_put_u32(msg, VCDROM_FILE_A_FD, disc->files[i].fd) ||
		    nla_nest_end(msg, nest))
			return -EMSGSIZE;
	}
	for (i = 0; i < disc->nr_sessions; i++) {
		const struct vcd_session *s = &disc->sessions[i];

		nest = nla_nest_start(msg, VCDROM_DISC_A_SESSION);
		if (!nest)
			return -EMSGSIZE;
		for (j = 0; j < s->nr_tracks; j++)
			if (put_track(msg, &s->tracks[j]))
				return -EMSGSIZE;
		if (nla_nest_end(msg, nest))
			return -EMSGSIZE;
	}
	return nla_nest_end(msg, dnest) ? -EMSGSIZE : 0;
}

int vcd_disc_put(struct nl_msg *msg, const struct vcd_disc *disc)
{
	return put_disc(msg, disc, VCDROM_A_DISC);
}

/* Room the disc takes in a message, generously. */
static size_t disc_msg_size(const struct vcd_disc *disc)
{
	size_t size = 64 + disc->cdtext_len + 16 * disc->nr_files + 8 * disc->nr_sessions +
		      (disc->dvd ? sizeof(*disc->dvd) + 64 : 0);
	unsigned int i, j;

	for (i = 0; i < disc->nr_sessions; i++) {
		size += 64 * disc->sessions[i].nr_tracks;
		for (j = 0; j < disc->sessions[i].nr_tracks; j++)
			/* an extent: 9 attributes, 108 bytes at most */
			size += 128 * disc->sessions[i].tracks[j].nr_extents +
				8 * disc->sessions[i].tracks[j].nr_indexes;
	}
	return size;
}

/* ---- tables of contents ---- */

static uint8_t q_control(const struct vcd_track *t)
{
	uint8_t c = t->mode == VCDROM_TRACK_AUDIO ? 0 : VCD_Q_DATA;

	if (t->flags & VCDROM_TRACK_F_PRE)
		c |= VCD_Q_PRE;
	if (t->flags & VCDROM_TRACK_F_DCP)
		c |= VCD_Q_DCP;
	if (t->flags & VCDROM_TRACK_F_4CH)
		c |= VCD_Q_4CH;
	return c;
}

void vcd_disc_toc(const struct vcd_disc *disc, struct vcd_toc *toc)
{
	const struct vcd_track *t = NULL;
	unsigned int i, j;

	memset(toc, 0, sizeof(*toc));
	for (i = 0; i < disc->nr_sessions; i++) {
		for (j = 0; j < disc->sessions[i].nr_tracks; j++) {
			t = &disc->sessions[i].tracks[j];
			if (toc->nr_tracks == VCDROM_MAX_TRACKS)
				break;
			if (!j)
				toc->last_session_start = t->start;
			toc->tracks[toc->nr_tracks].number = t->number;
			toc->tracks[toc->nr_tracks].session = i + 1;
			toc->tracks[toc->nr_tracks].control = q_control(t);
			toc->tracks[toc->nr_tracks].start = t->start;
			toc->nr_tracks++;
		}
	}
	toc->nr_sessions = disc->nr_sessions;
	if (t && t->nr_extents)
		toc->leadout = t->extents[t->nr_extents - 1].start +
			       t->extents[t->nr_extents - 1].length;
	memcpy(toc->mcn, disc->mcn, sizeof(toc->mcn));
}

/* The kernel's limits for an AUTO medium (kernel/vcdrom.h): larger than a CD is a DVD, ... */
#define CD_MAX_SECTORS		405000
#define DVD_MAX_SECTORS		4173824

/* What only a CD holds, as the kernel's disc.c sets cd_only; NULL when a DVD or BD can hold it. */
static const char *cd_only(const struct vcd_disc *disc)
{
	const struct vcd_extent *e;
	const struct vcd_track *t;
	unsigned int i, j, k;

	if (disc->nr_sessions > 1)
		return "several sessions";
	if (disc->mcn[0])
		return "a catalog number (MCN)";
	if (disc->cdtext_len)
		return "CD-TEXT";
	for (i = 0; i < disc->nr_sessions; i++) {
		for (j = 0; j < disc->sessions[i].nr_tracks; j++) {
			t = &disc->sessions[i].tracks[j];
			if (t->mode != VCDROM_TRACK_MODE1)
				return "audio or mode 2 tracks";
			if (t->nr_indexes)
				return "indexes";
			if (t->isrc[0])
				return "an ISRC";
			for (k = 0; k < t->nr_extents; k++) {
				e = &t->extents[k];
				if (e->sub_format != VCDROM_SUB_NONE)
					return "a stored sub-channel";
				if (e->flags & VCDROM_EXTENT_F_SCRAMBLED)
					return "scrambled sectors";
				if (e->format != VCDROM_SECTOR_ZERO &&
				    e->format != VCDROM_SECTOR_COOKED_2048)
					return "raw, mode 2 or form 2 sectors";
			}
		}
	}
	return NULL;
}

const char *vcd_disc_set_medium(struct vcd_disc *disc, uint32_t medium, char *buf, size_t size)
{
	struct vcd_toc toc;
	const char *why;

	vcd_disc_toc(disc, &toc);
	why = medium == VCDROM_MEDIUM_CD ? NULL : cd_only(disc);
	if (why) {
		snprintf(buf, size, "only a CD can have %s", why);
		return buf;
	}
	if (medium == VCDROM_MEDIUM_CD && toc.leadout > VCDROM_CD_MAX_LEADOUT) {
		snprintf(buf, size, "%u sectors do not fit on a CD (at most %u)", toc.leadout,
			 (unsigned int)VCDROM_CD_MAX_LEADOUT);
		return buf;
	}
	if (medium == VCDROM_MEDIUM_DVD && toc.leadout > DVD_MAX_SECTORS) {
		snprintf(buf, size, "%u sectors do not fit on a DVD (at most %u)", toc.leadout,
			 (unsigned int)DVD_MAX_SECTORS);
		return buf;
	}
	if (medium != VCDROM_MEDIUM_DVD && disc->dvd) {
		snprintf(buf, size, "its DVD structures need a DVD");
		return buf;
	}
	disc->medium = medium;
	return NULL;
}

uint32_t vcd_disc_medium(const struct vcd_disc *disc)
{
	struct vcd_toc toc;

	if (disc->medium != VCDROM_MEDIUM_AUTO)
		return disc->medium;
	vcd_disc_toc(disc, &toc);
	if (cd_only(disc) || toc.leadout <= CD_MAX_SECTORS)
		return VCDROM_MEDIUM_CD;
	return toc.leadout <= DVD_MAX_SECTORS ? VCDROM_MEDIUM_DVD : VCDROM_MEDIUM_BD;
}

const char *vcd_medium_name(uint32_t medium)
{
	switch (medium) {
	case VCDROM_MEDIUM_CD:	return "CD-ROM";
	case VCDROM_MEDIUM_DVD:	return "DVD-ROM";
	case VCDROM_MEDIUM_BD:	return "BD-ROM";
	default:		return NULL;
	}
}

bool vcd_full_toc_sessions(const uint8_t *buf, size_t len, struct vcd_toc *toc)
{
	const uint8_t *d;
	size_t n = 4, end;
	unsigned int i, last = 0;

	if (len < 4)
		return false;
	end = 2 + (buf[0] << 8 | buf[1]);
	if (end > len)
		end = len;
	for (; n + 11 <= end; n += 11) {
		d = buf + n;
		/* ADR 1, a track's start */
		if ((d[1] >> 4) != 1 || d[3] < 1 || d[3] > 99)
			continue;
		for (i = 0; i < toc->nr_tracks; i++)
			if (toc->tracks[i].number == d[3])
				toc->tracks[i].session = d[0];
		if (d[0] > last)
			last = d[0];
	}
	if (!last)
		return false;
	toc->nr_sessions = last;
	return true;
}

/* Which session each track is in: only SCSI's READ TOC says; best effort. */
static void read_sessions(int fd, struct vcd_toc *toc)
{
	/* READ TOC, MSF, format 0010b, from session 1 */
	uint8_t cdb[10] = { 0x43, 0x02, 0x02, 0, 0, 0, 1, 0, 0, 0 };
	uint8_t buf[4 + 11 * (3 + 99) * 2], sense[32];
	struct sg_io_hdr io = {
		.interface_id = 'S',
		.dxfer_direction = SG_DXFER_FROM_DEV,
		.cmd_len = sizeof(cdb),
		.mx_sb_len = sizeof(sense),
		.dxfer_len = sizeof(buf),
		.dxferp = buf,
		.cmdp = cdb,
		.sbp = sense,
		.timeout = 10000,
	};

	cdb[7] = sizeof(buf) >> 8;
	cdb[8] = sizeof(buf) & 0xff;
	if (ioctl(fd, SG_IO, &io) || (io.info & SG_INFO_OK_MASK) != SG_INFO_OK)
		return;
	vcd_full_toc_sessions(buf, sizeof(buf) - io.resid, toc);
}

int vcd_read_toc(int fd, struct vcd_toc *toc)
{
	struct cdrom_tochdr hdr;
	struct cdrom_tocentry e;
	struct cdrom_multisession ms = { .addr_format = CDROM_LBA };
	struct cdrom_mcn mcn;
	unsigned int n, i;

	memset(toc, 0, sizeof(*toc));
	if (ioctl(fd, CDROMREADTOCHDR, &hdr))
		return -errno;
	for (n = hdr.cdth_trk0; n && n <= hdr.cdth_trk1 && n <= VCDROM_MAX_TRACKS; n++) {
		memset(&e, 0, sizeof(e));
		e.cdte_track = n;
		e.cdte_format = CDROM_LBA;
		if (ioctl(fd, CDROMREADTOCENTRY, &e))
			return -errno;
		toc->tracks[toc->nr_tracks].number = n;
		toc->tracks[toc->nr_tracks].control = e.cdte_ctrl;
		toc->tracks[toc->nr_tracks].start = e.cdte_addr.lba;
		toc->nr_tracks++;
	}
	memset(&e, 0, sizeof(e));
	e.cdte_track = CDROM_LEADOUT;
	e.cdte_format = CDROM_LBA;
	if (ioctl(fd, CDROMREADTOCENTRY, &e))
		return -errno;
	toc->leadout = e.cdte_addr.lba;
	/* Of several sessions, the ioctls tell only where the last one starts. */
	if (!ioctl(fd, CDROMMULTISESSION, &ms))
		toc->last_session_start = ms.addr.lba;
	if (!toc->last_session_start) {
		toc->nr_sessions = 1;
		for (i = 0; i < toc->nr_tracks; i++)
			toc->tracks[i].session = 1;
	}
	read_sessions(fd, toc);
	if (!ioctl(fd, CDROM_GET_MCN, &mcn) && mcn.medium_catalog_number[0] &&
	    strspn((char *)mcn.medium_catalog_number, "0123456789") >= VCDROM_MCN_LEN)
		memcpy(toc->mcn, mcn.medium_catalog_number, VCDROM_MCN_LEN);
	return 0;
}

/* ---- drives as the kernel reports them ---- */

void vcd_drive_info_free(struct vcd_drive_info *info)
{
	unsigned int i;

	for (i = 0; i < info->nr_files; i++)
		free(info->files[i].path);
	free(info->files);
	info->files = NULL;
	info->nr_files = 0;
	free(info->source);
	info->source = NULL;
	for (i = 0; i < info->nr_playlist; i++)
		free(info->playlist[i].source);
	free(info->playlist);
	info->playlist = NULL;
	info->nr_playlist = 0;
}

void vcd_drive_info_move(struct vcd_drive_info *dst, struct vcd_drive_info *src)
{
	*dst = *src;
	src->files = NULL;
	src->nr_files = 0;
	src->source = NULL;
	src->playlist = NULL;
	src->nr_playlist = 0;
}

void vcd_drive_list_free(struct vcd_drive_info *drives, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		vcd_drive_info_free(&drives[i]);
	free(drives);
}

static int parse_files(struct nlattr *disc, struct vcd_drive_info *info)
{
	struct nlattr *tb[VCDROM_FILE_A_MAX + 1];
	struct vcd_drive_file *files;
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, disc, rem) {
		if (nla_type(a) == VCDROM_DISC_A_FORMAT)
			copy_str(info->format, sizeof(info->format), a);
		if (nla_type(a) == VCDROM_DISC_A_SOURCE && !info->source) {
			info->source = strndup(nla_data(a), nla_len(a));
			if (!info->source)
				return -ENOMEM;
		}
		if (nla_type(a) != VCDROM_DISC_A_FILE)
			continue;
		if (nla_parse_nested(tb, VCDROM_FILE_A_MAX, a, file_policy) < 0)
			return -EPROTO;
		files = array_add(info->files, info->nr_files, sizeof(*files));
		if (!files)
			return -ENOMEM;
		info->files = files;
		files = &files[info->nr_files++];
		files->path = strdup(tb[VCDROM_FILE_A_PATH] ?
				     nla_get_string(tb[VCDROM_FILE_A_PATH]) : "");
		if (!files->path)
			return -ENOMEM;
		if (tb[VCDROM_FILE_A_SIZE])
			files->size = nla_get_u64(tb[VCDROM_FILE_A_SIZE]);
	}
	return 0;
}

/* The formats and sources of a playlist's discs. */
static int parse_playlist(struct nlattr *list, struct vcd_drive_info *info)
{
	struct vcd_playlist_disc *discs;
	struct nlattr *a, *b;
	int rem, rem2;

	nla_for_each_nested(a, list, rem) {
		if (nla_type(a) != VCDROM_PLAYLIST_A_DISC)
			continue;
		discs = array_add(info->playlist, info->nr_playlist, sizeof(*discs));
		if (!discs)
			return -ENOMEM;
		info->playlist = discs;
		discs = &discs[info->nr_playlist++];
		nla_for_each_nested(b, a, rem2) {
			if (nla_type(b) == VCDROM_DISC_A_FORMAT)
				copy_str(discs->format, sizeof(discs->format), b);
			if (nla_type(b) == VCDROM_DISC_A_SOURCE && !discs->source) {
				discs->source = strndup(nla_data(b), nla_len(b));
				if (!discs->source)
					return -ENOMEM;
			}
		}
	}
	return 0;
}

static int parse_drive(struct nlattr **tb, struct vcd_drive_info *info)
{
	int ret;

	memset(info, 0, sizeof(*info));
	if (!tb[VCDROM_A_DRIVE])
		return -EPROTO;
	info->index = nla_get_u32(tb[VCDROM_A_DRIVE]);
	copy_str(info->hctl, sizeof(info->hctl), tb[VCDROM_A_HCTL]);
	copy_str(info->block_dev, sizeof(info->block_dev), tb[VCDROM_A_BLOCK_DEV]);
	copy_str(info->sg_dev, sizeof(info->sg_dev), tb[VCDROM_A_SG_DEV]);
	copy_str(info->vendor, sizeof(info->vendor), tb[VCDROM_A_VENDOR]);
	copy_str(info->product, sizeof(info->product), tb[VCDROM_A_PRODUCT]);
	copy_str(info->revision, sizeof(info->revision), tb[VCDROM_A_REVISION]);
	copy_str(info->serial, sizeof(info->serial), tb[VCDROM_A_SERIAL]);
	if (tb[VCDROM_A_STATE])
		info->state = nla_get_u32(tb[VCDROM_A_STATE]);
	if (tb[VCDROM_A_LOCKED])
		info->locked = nla_get_u8(tb[VCDROM_A_LOCKED]);
	if (tb[VCDROM_A_PROFILE])
		info->profile = nla_get_u32(tb[VCDROM_A_PROFILE]);
	if (tb[VCDROM_A_CAPACITY])
		info->capacity = nla_get_u64(tb[VCDROM_A_CAPACITY]);
	if (tb[VCDROM_A_PLAYLIST_INDEX])
		info->playlist_pos = nla_get_u32(tb[VCDROM_A_PLAYLIST_INDEX]);
	ret = tb[VCDROM_A_DISC] ? parse_files(tb[VCDROM_A_DISC], info) : 0;
	if (!ret && tb[VCDROM_A_PLAYLIST])
		ret = parse_playlist(tb[VCDROM_A_PLAYLIST], info);
	if (ret)
		vcd_drive_info_free(info);
	return ret;
}

/* ---- requests ---- */

/* Keep the extack message of an error (or NLMSG_DONE) whose TLVs start @off bytes in. */
static void read_ext_ack(struct vcd_client *c, struct nlmsghdr *nlh, size_t off)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t len = nlmsg_datalen(nlh);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= len)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlmsg_data(nlh) + off),
		      len - off, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(c->ext_msg, tb[NLMSGERR_ATTR_MSG], sizeof(c->ext_msg));
	else if (tb[NLMSGERR_ATTR_MISS_TYPE] && nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) >= 4)
		snprintf(c->ext_msg, sizeof(c->ext_msg), "missing attribute %u",
			 nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]));
}

int vcd_nl_on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct vcd_request *rq = arg;
	size_t off = sizeof(*e);

	(void)who;
	/* Unless capped, the request we sent is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len >= NLMSG_HDRLEN)
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	read_ext_ack(rq->c, nlh, off);
	rq->err = e->error < 0 ? e->error : -EPROTO;
	rq->done = true;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct vcd_request *rq = arg;

	(void)msg;
	rq->done = true;
	return NL_STOP;
}

/* NLMSG_DONE ends a dump; its payload is the dump's error, then TLVs. */
int vcd_nl_on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct vcd_request *rq = arg;
	int err;

	if (nlmsg_datalen(nlh) >= (int)sizeof(err)) {
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
		if (err < 0 && !rq->err) {
			read_ext_ack(rq->c, nlh, sizeof(err));
			rq->err = err;
		}
	}
	rq->done = true;
	return NL_STOP;
}

int vcd_nl_on_valid(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[VCDROM_A_MAX + 1];
	struct vcd_request *rq = arg;
	int ret;

	/* After a failure, read on to the end of the reply but parse no more. */
	if (!rq->parse || rq->err)
		return NL_SKIP;
	ret = genlmsg_parse(nlmsg_hdr(msg), 0, tb, VCDROM_A_MAX, attr_policy);
	ret = ret < 0 ? -EPROTO : rq->parse(tb, rq->arg);
	if (ret < 0)
		rq->err = ret;
	return NL_OK;
}

static struct nl_msg *new_msg(const struct vcd_client *c, uint8_t cmd, int flags, size_t extra)
{
	struct nl_msg *msg = nlmsg_alloc_size(4096 + extra);

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, c->family, 0, flags, cmd,
				VCDROM_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

/* Send @msg (and free it), then read until the ACK, the error or the end of the dump. */
static int request(struct vcd_client *c, struct nl_msg *msg,
		   int (*parse)(struct nlattr **tb, void *arg), void *arg)
{
	struct vcd_request rq = { .c = c, .parse = parse, .arg = arg };
	struct nl_cb *cb;
	int ret;

	c->ext_msg[0] = '\0';
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, vcd_nl_on_valid, &rq);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &rq);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, vcd_nl_on_finish, &rq);
	nl_cb_err(cb, NL_CB_CUSTOM, vcd_nl_on_error, &rq);

	ret = nl_send_auto(c->sk, msg);
	nlmsg_free(msg);
	while (ret >= 0 && !rq.done)
		ret = nl_recvmsgs(c->sk, cb);
	nl_cb_put(cb);
	if (rq.err)
		return rq.err;
	return ret < 0 ? nl_errno(ret) : 0;
}

int vcd_nl_socket(struct nl_sock **skp)
{
	struct nl_sock *sk = nl_socket_alloc();
	int one = 1;
	int ret;

	if (!sk)
		return -ENOMEM;
	ret = genl_connect(sk);
	if (ret < 0) {
		nl_socket_free(sk);
		return nl_errno(ret);
	}
	/* Best effort: without these we only lose the kernel's message. */
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	*skp = sk;
	return 0;
}

int vcd_open(struct vcd_client **clientp)
{
	struct vcd_client *c = calloc(1, sizeof(*c));
	int ret;

	if (!c)
		return -ENOMEM;
	ret = vcd_nl_socket(&c->sk);
	if (ret)
		goto out_free;
	c->family = genl_ctrl_resolve(c->sk, VCDROM_GENL_NAME);
	if (c->family < 0) {
		ret = nl_errno(c->family);
		goto out_free_sk;
	}
	*clientp = c;
	return 0;

out_free_sk:
	nl_socket_free(c->sk);
out_free:
	free(c);
	return ret;
}

void vcd_close(struct vcd_client *c)
{
	if (!c)
		return;
	if (c->ev_sk)
		nl_socket_free(c->ev_sk);
	nl_socket_free(c->sk);
	free(c);
}

const char *vcd_ext_msg(const struct vcd_client *c)
{
	return c->ext_msg[0] ? c->ext_msg : NULL;
}

struct features_reply {
	uint64_t features;
	uint32_t max_drives;
	bool got;
};

static int parse_features(struct nlattr **tb, void *arg)
{
	struct features_reply *r = arg;

	if (!tb[VCDROM_A_FEATURES])
		return -EPROTO;
	r->features = nla_get_u64(tb[VCDROM_A_FEATURES]);
	/* The command's comment in the uapi says VCDROM_A_DRIVE; take either. */
	if (tb[VCDROM_A_MAX_DRIVES])
		r->max_drives = nla_get_u32(tb[VCDROM_A_MAX_DRIVES]);
	else if (tb[VCDROM_A_DRIVE])
		r->max_drives = nla_get_u32(tb[VCDROM_A_DRIVE]);
	r->got = true;
	return 0;
}

int vcd_features(struct vcd_client *c, uint64_t *features, uint32_t *max_drives)
{
	struct features_reply r = { 0 };
	struct nl_msg *msg = new_msg(c, VCDROM_CMD_FEATURES, 0, 0);
	int ret;

	if (!msg)
		return -ENOMEM;
	ret = request(c, msg, parse_features, &r);
	if (!ret && !r.got)
		ret = -EPROTO;
	if (ret)
		return ret;
	*features = r.features;
	*max_drives = r.max_drives;
	return 0;
}

int vcd_parse_one_drive(struct nlattr **tb, void *arg)
{
	struct vcd_drive_reply *r = arg;
	int ret;

	if (r->got)
		return 0;
	ret = parse_drive(tb, r->info);
	r->got = !ret;
	return ret;
}

/* Send a request answered by one drive; @info may be NULL when it is not wanted. */
static int drive_request(struct vcd_client *c, struct nl_msg *msg,
			 struct vcd_drive_info *info)
{
	struct vcd_drive_info scratch = { 0 };
	struct vcd_drive_reply r = { .info = info ? info : &scratch };
	int ret;

	ret = request(c, msg, vcd_parse_one_drive, &r);
	if (!ret && !r.got)
		ret = -EPROTO;
	if (ret && r.got)
		vcd_drive_info_free(r.info);
	else if (!ret && !info)
		vcd_drive_info_free(&scratch);
	return ret;
}

int vcd_drive_get(struct vcd_client *c, uint32_t index, struct vcd_drive_info *info)
{
	struct nl_msg *msg = new_msg(c, VCDROM_CMD_DRIVE_GET, 0, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, VCDROM_A_DRIVE, index)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return drive_request(c, msg, info);
}

int vcd_parse_list_drive(struct nlattr **tb, void *arg)
{
	struct vcd_list_reply *r = arg;
	struct vcd_drive_info *drives;

	drives = array_add(r->drives, r->n, sizeof(*drives));
	if (!drives)
		return -ENOMEM;
	r->drives = drives;
	if (parse_drive(tb, &drives[r->n]))
		return -EPROTO;
	r->n++;
	return 0;
}

static int cmp_index(const void *a, const void *b)
{
	const struct vcd_drive_info *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
}

int vcd_drive_list(struct vcd_client *c, struct vcd_drive_info **drives, size_t *n)
{
	struct vcd_list_reply r = { 0 };
	struct nl_msg *msg = new_msg(c, VCDROM_CMD_DRIVE_GET, NLM_F_DUMP, 0);
	int ret;

	if (!msg)
		return -ENOMEM;
	ret = request(c, msg, vcd_parse_list_drive, &r);
	if (ret) {
		vcd_drive_list_free(r.drives, r.n);
		return ret;
	}
	qsort(r.drives, r.n, sizeof(*r.drives), cmp_index);
	*drives = r.drives;
	*n = r.n;
	return 0;
}

int vcd_drive_add(struct vcd_client *c, const struct vcd_identity *id,
		  struct vcd_drive_info *info)
{
	struct nl_msg *msg = new_msg(c, VCDROM_CMD_DRIVE_ADD, 0, 0);

	if (!msg)
		return -ENOMEM;
	if (id && ((id->vendor && nla_put_string(msg, VCDROM_A_VENDOR, id->vendor)) ||
		   (id->product && nla_put_string(msg, VCDROM_A_PRODUCT, id->product)) ||
		   (id->revision && nla_put_string(msg, VCDROM_A_REVISION, id->revision)) ||
		   (id->serial && nla_put_string(msg, VCDROM_A_SERIAL, id->serial)))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return drive_request(c, msg, info);
}

int vcd_drive_del(struct vcd_client *c, uint32_t index)
{
	struct nl_msg *msg = new_msg(c, VCDROM_CMD_DRIVE_DEL, 0, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, VCDROM_A_DRIVE, index)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return request(c, msg, NULL, NULL);
}

void vcd_set_device_fd(struct vcd_client *c, int fd)
{
	c->has_device_fd = fd >= 0;
	c->device_fd = fd;
}

static int put_device_fd(const struct vcd_client *c, struct nl_msg *msg)
{
	return c->has_device_fd ? nla_put_u32(msg, VCDROM_A_DEVICE_FD, c->device_fd) : 0;
}

int vcd_insert(struct vcd_client *c, uint32_t index, const struct vcd_disc *disc,
	       bool replace, struct vcd_drive_info *info)
{
	struct nl_msg *msg = new_msg(c, VCDROM_CMD_INSERT, 0, disc_msg_size(disc));
	int ret;

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, VCDROM_A_DRIVE, index) ||
	    (replace && nla_put_flag(msg, VCDROM_A_REPLACE)) ||
	    put_device_fd(c, msg)) {
		ret = -EMSGSIZE;
		goto out_free;
	}
	ret = vcd_disc_put(msg, disc);
	if (ret)
		goto out_free;
	return drive_request(c, msg, info);

out_free:
	nlmsg_free(msg);
	return ret;
}

int vcd_insert_playlist(struct vcd_client *c, uint32_t index, const struct vcd_disc *discs,
			unsigned int nr, uint32_t pos, bool replace, struct vcd_drive_info *info)
{
	struct nlattr *nest;
	struct nl_msg *msg;
	size_t size = 0;
	unsigned int i;
	int ret;

	for (i = 0; i < nr; i++)
		size += disc_msg_size(&discs[i]);
	msg = new_msg(c, VCDROM_CMD_INSERT, 0, size);
	if (!msg)
		return -ENOMEM;
	ret = -EMSGSIZE;
	if (nla_put_u32(msg, VCDROM_A_DRIVE, index) ||
	    nla_put_u32(msg, VCDROM_A_PLAYLIST_INDEX, pos) ||
	    (replace && nla_put_flag(msg, VCDROM_A_REPLACE)) ||
	    put_device_fd(c, msg))
		goto out_free;
	nest = nla_nest_start(msg, VCDROM_A_PLAYLIST);
	if (!nest)
		goto out_free;
	for (i = 0; i < nr; i++) {
		ret = put_disc(msg, &discs[i], VCDROM_PLAYLIST_A_DISC);
		if (ret)
			goto out_free;
	}
	ret = -EMSGSIZE;
	if (nla_nest_end(msg, nest))
		goto out_free;
	return drive_request(c, msg, info);

out_free:
	nlmsg_free(msg);
	return ret;
}

int vcd_swap(struct vcd_client *c, uint32_t index, uint32_t disc, uint32_t ms, bool force,
	     struct vcd_drive_info *info)
{
	struct nl_msg *msg = new_msg(c, VCDROM_CMD_SWAP, 0, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, VCDROM_A_DRIVE, index) ||
	    nla_put_u32(msg, VCDROM_A_PLAYLIST_INDEX, disc) ||
	    nla_put_u32(msg, VCDROM_A_SWAP_MS, ms) ||
	    (force && nla_put_flag(msg, VCDROM_A_FORCE)) ||
	    put_device_fd(c, msg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return drive_request(c, msg, info);
}

int vcd_eject(struct vcd_client *c, uint32_t index, bool force)
{
	struct nl_msg *msg = new_msg(c, VCDROM_CMD_EJECT, 0, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, VCDROM_A_DRIVE, index) ||
	    (force && nla_put_flag(msg, VCDROM_A_FORCE)) ||
	    put_device_fd(c, msg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return request(c, msg, NULL, NULL);
}

/* ---- events ---- */

int vcd_events_subscribe(struct vcd_client *c)
{
	struct nl_sock *sk;
	int group, ret;

	if (c->ev_sk)
		return 0;
	group = genl_ctrl_resolve_grp(c->sk, VCDROM_GENL_NAME, VCDROM_GENL_MCGRP_EVENTS);
	if (group < 0)
		return nl_errno(group);
	ret = vcd_nl_socket(&sk);
	if (ret)
		return ret;
	ret = nl_socket_add_membership(sk, group);
	if (!ret)
		ret = nl_socket_set_nonblocking(sk);
	if (ret < 0) {
		nl_socket_free(sk);
		return nl_errno(ret);
	}
	c->ev_sk = sk;
	return 0;
}

int vcd_events_fd(const struct vcd_client *c)
{
	return c->ev_sk ? nl_socket_get_fd(c->ev_sk) : -1;
}

/* Events are not replies: they have no sequence number to check. */
static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int vcd_nl_on_event(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[VCDROM_A_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct vcd_events_ctx *er = arg;
	struct vcd_event_info ev = { 0 };

	if (nlh->nlmsg_type != er->c->family || !genlmsg_valid_hdr(nlh, 0) ||
	    genlmsg_hdr(nlh)->cmd != VCDROM_CMD_EVENT ||
	    genlmsg_parse(nlh, 0, tb, VCDROM_A_MAX, attr_policy) < 0 ||
	    !tb[VCDROM_A_EVENT] || !tb[VCDROM_A_DRIVE])
		return NL_SKIP;
	ev.event = nla_get_u32(tb[VCDROM_A_EVENT]);
	ev.drive = nla_get_u32(tb[VCDROM_A_DRIVE]);
	if (tb[VCDROM_A_EJECT_CAUSE]) {
		ev.has_cause = true;
		ev.cause = nla_get_u32(tb[VCDROM_A_EJECT_CAUSE]);
	}
	copy_str(ev.block_dev, sizeof(ev.block_dev), tb[VCDROM_A_BLOCK_DEV]);
	copy_str(ev.sg_dev, sizeof(ev.sg_dev), tb[VCDROM_A_SG_DEV]);
	er->cb(&ev, er->arg);
	er->n++;
	return NL_OK;
}

int vcd_events_read(struct vcd_client *c, vcd_event_cb cb, void *arg)
{
	struct vcd_events_ctx er = { .c = c, .cb = cb, .arg = arg };
	struct nl_cb *nlcb;
	int ret;

	if (!c->ev_sk)
		return -EINVAL;
	nlcb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nlcb)
		return -ENOMEM;
	nl_cb_set(nlcb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, vcd_nl_on_event, &er);
	do
		ret = nl_recvmsgs(c->ev_sk, nlcb);
	while (ret >= 0);
	nl_cb_put(nlcb);
	if (ret == -NLE_AGAIN)
		return er.n;
	/* libnl reports a receive buffer overrun (ENOBUFS) as NLE_NOMEM. */
	return ret == -NLE_NOMEM ? -ENOBUFS : nl_errno(ret);
}

/* ---- naming a drive ---- */

static bool all_digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/* "srN" or "sgN" */
static bool is_drive_name(const char *s)
{
	return (!strncmp(s, "sr", 2) || !strncmp(s, "sg", 2)) && all_digits(s + 2);
}

static int set_name(struct vcd_drive_spec *spec, const char *name)
{
	size_t len = strlen(name);

	if (!is_drive_name(name) || len >= sizeof(spec->name))
		return -EINVAL;
	spec->by_name = true;
	memcpy(spec->name, name, len + 1);
	return 0;
}

int vcd_drive_spec_parse(const char *arg, struct vcd_drive_spec *spec)
{
	unsigned long long index;
	char *real;
	int ret;

	memset(spec, 0, sizeof(*spec));
	if (all_digits(arg)) {
		errno = 0;
		index = strtoull(arg, NULL, 10);
		if (errno || index > UINT32_MAX)
			return -ERANGE;
		spec->index = index;
		return 0;
	}
	if (is_drive_name(arg))
		return set_name(spec, arg);
	if (!*arg)
		return -EINVAL;
	real = realpath(arg, NULL);
	if (!real)
		return -errno;
	ret = set_name(spec, strrchr(real, '/') + 1);
	free(real);
	return ret;
}

int vcd_drive_spec_find(const struct vcd_drive_spec *spec,
			const struct vcd_drive_info *drives, size_t n)
{
	size_t i;

	for (i = 0; i < n && i <= INT_MAX; i++) {
		const struct vcd_drive_info *d = &drives[i];

		if (!spec->by_name ? spec->index == d->index :
		    !strcmp(spec->name, d->block_dev) || !strcmp(spec->name, d->sg_dev))
			return i;
	}
	return -ENODEV;
}

/* ---- names ---- */

static const char *name_of(const char *const *names, size_t n, uint32_t value)
{
	return value < n ? names[value] : NULL;
}

const char *vcd_state_name(uint32_t state)
{
	static const char *const names[] = {
		[VCDROM_STATE_EMPTY]	= "empty",
		[VCDROM_STATE_LOADED]	= "loaded",
		[VCDROM_STATE_TRAY_OPEN] = "tray-open",
	};

	return name_of(names, ARRAY_SIZE(names), state);
}

const char *vcd_profile_name(uint32_t profile)
{
	switch (profile) {
	case 0x0008:	return "CD-ROM";
	case 0x0010:	return "DVD-ROM";
	case 0x0040:	return "BD-ROM";
	default:	return NULL;
	}
}

const char *vcd_event_name(uint32_t event)
{
	static const char *const names[] = {
		[VCDROM_EVENT_DRIVE_ADDED]	= "drive-added",
		[VCDROM_EVENT_DRIVE_REMOVED]	= "drive-removed",
		[VCDROM_EVENT_MEDIUM_INSERTED]	= "medium-inserted",
		[VCDROM_EVENT_MEDIUM_EJECTED]	= "medium-ejected",
		[VCDROM_EVENT_EJECT_REQUESTED]	= "eject-requested",
	};

	return name_of(names, ARRAY_SIZE(names), event);
}

const char *vcd_eject_cause_name(uint32_t cause)
{
	static const char *const names[] = {
		[VCDROM_EJECT_TOOL]	= "tool",
		[VCDROM_EJECT_FORCED]	= "forced",
		[VCDROM_EJECT_HOST]	= "host",
		[VCDROM_EJECT_REPLACED]	= "replaced",
		[VCDROM_EJECT_SWAPPED]	= "swapped",
	};

	return name_of(names, ARRAY_SIZE(names), cause);
}

const char *vcd_feature_name(unsigned int bit)
{
	static const char *const names[] = {
		"drive-add-del",	/* VCDROM_F_DRIVE_ADD_DEL */
		"insert",		/* VCDROM_F_INSERT */
		"cooked-data",		/* VCDROM_F_COOKED_DATA */
		"events",		/* VCDROM_F_EVENTS */
		"cd",			/* VCDROM_F_CD */
		"format",		/* VCDROM_F_FORMAT */
		"subchannel",		/* VCDROM_F_SUBCHANNEL */
		"dvd-structure",	/* VCDROM_F_DVD_STRUCTURE */
		"source",		/* VCDROM_F_SOURCE */
		"playlist",		/* VCDROM_F_PLAYLIST */
	};

	return name_of(names, ARRAY_SIZE(names), bit);
}
