// SPDX-License-Identifier: GPL-2.0
/*
 * vcdrom: the disc layout. Userspace parses image formats into VCDROM_A_DISC;
 * here it is checked against itself and against the real files before any
 * drive sees it. Nothing in it is trusted: every count, offset, length and
 * mode is checked, and a refusal names the part and the reason.
 */
#include <linux/blkdev.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/major.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_host.h>

#include "vcdrom.h"

/* Bytes a stored sector of each format takes in its file. */
static const unsigned int vcdrom_format_size[__VCDROM_SECTOR_FORMAT_MAX] = {
	[VCDROM_SECTOR_ZERO] = 0,
	[VCDROM_SECTOR_COOKED_2048] = 2048,
};

static void vcdrom_disc_release(struct kref *kref)
{
	struct vcdrom_disc *disc = container_of(kref, struct vcdrom_disc, kref);
	unsigned int i;

	for (i = 0; i < disc->nr_files; i++)
		fput(disc->files[i]);
	kfree(disc->files);
	kfree(disc->sessions);
	kfree(disc->tracks);
	kfree(disc->extents);
	kfree(disc);
}

void vcdrom_disc_put(struct vcdrom_disc *disc)
{
	if (disc)
		kref_put(&disc->kref, vcdrom_disc_release);
}

/* The track holding @lba (which must be below disc->sectors). */
const struct vcdrom_track *vcdrom_disc_track_at(const struct vcdrom_disc *disc, u32 lba)
{
	unsigned int lo = 0, hi = disc->nr_tracks;

	while (hi - lo > 1) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (disc->tracks[mid].first <= lba)
			lo = mid;
		else
			hi = mid;
	}
	return &disc->tracks[lo];
}

/* The extent holding @lba (which must be below disc->sectors). */
const struct vcdrom_extent *vcdrom_disc_extent_at(const struct vcdrom_disc *disc, u32 lba)
{
	unsigned int lo = 0, hi = disc->nr_extents;

	while (hi - lo > 1) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (disc->extents[mid].start <= lba)
			lo = mid;
		else
			hi = mid;
	}
	return &disc->extents[lo];
}

/* Whether all of [lba, lba + count) lies in data tracks with 2048-byte user data. */
bool vcdrom_disc_is_data(const struct vcdrom_disc *disc, u32 lba, u32 count)
{
	u32 end = lba + count;

	while (lba < end) {
		const struct vcdrom_track *t = vcdrom_disc_track_at(disc, lba);

		if (t->mode != VCDROM_TRACK_MODE1)
			return false;
		lba = t->end;
	}
	return true;
}

static u16 vcdrom_profile_for(u32 sectors)
{
	if (sectors <= VCDROM_CD_MAX_SECTORS)
		return VCDROM_PROFILE_CD_ROM;
	if (sectors <= VCDROM_DVD_MAX_SECTORS)
		return VCDROM_PROFILE_DVD_ROM;
	return VCDROM_PROFILE_BD_ROM;
}

/* Whether @file is the block device of one of our own drives. */
static bool vcdrom_file_is_own_drive(struct file *file)
{
	struct scsi_device *sdev;
	struct gendisk *disk;

	/*
	 * file_inode() is the device node's inode (devtmpfs, ext4...), not the
	 * block device's: that one is the host of the mapping blkdev_open() set.
	 */
	if (!S_ISBLK(file_inode(file)->i_mode))
		return false;
	disk = I_BDEV(file->f_mapping->host)->bd_disk;
	if (!disk)
		return false;
	if (!disk->queue || !disk->queue->queuedata || !disk->fops ||
	    disk->major != SCSI_CDROM_MAJOR)
		return false;
	sdev = disk->queue->queuedata;
	return sdev->host->hostt == &vcdrom_sht;
}

static int vcdrom_disc_add_file(struct vcdrom_disc *disc, const struct nlattr *nest,
				struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VCDROM_FILE_A_MAX + 1];
	unsigned int n = disc->nr_files;
	struct file *file;
	umode_t mode;
	int ret;

	ret = nla_parse_nested(tb, VCDROM_FILE_A_MAX, nest, NULL, extack);
	if (ret)
		return ret;
	if (!tb[VCDROM_FILE_A_FD]) {
		NL_SET_ERR_MSG_FMT(extack, "file %u: no fd", n);
		return -EINVAL;
	}
	file = fget(nla_get_u32(tb[VCDROM_FILE_A_FD]));
	if (!file) {
		NL_SET_ERR_MSG_FMT(extack, "file %u: fd %u is not open", n,
				   nla_get_u32(tb[VCDROM_FILE_A_FD]));
		return -EBADF;
	}
	mode = file_inode(file)->i_mode;
	ret = -EINVAL;
	if (S_ISDIR(mode)) {
		NL_SET_ERR_MSG_FMT(extack, "file %u: is a directory", n);
		ret = -EISDIR;
	} else if (!S_ISREG(mode) && !S_ISBLK(mode)) {
		NL_SET_ERR_MSG_FMT(extack, "file %u: not a regular file or block device", n);
	} else if (!(file->f_mode & FMODE_READ) || !file->f_op->read_iter) {
		NL_SET_ERR_MSG_FMT(extack, "file %u: not open for reading", n);
		ret = -EBADF;
	} else if (vcdrom_file_is_own_drive(file)) {
		NL_SET_ERR_MSG_FMT(extack, "file %u: is a vcdrom drive", n);
	} else if (i_size_read(file->f_mapping->host) == 0) {
		NL_SET_ERR_MSG_FMT(extack, "file %u: is empty", n);
	} else {
		disc->files[disc->nr_files++] = file;
		return 0;
	}
	fput(file);
	return ret;
}

/* Builder state while walking the nests. */
struct vcdrom_disc_builder {
	struct vcdrom_disc *disc;
	struct netlink_ext_ack *extack;
	u32 next_lba;			/* where the next extent must start */
};

static int vcdrom_disc_add_extent(struct vcdrom_disc_builder *b, struct vcdrom_track *t,
				  const struct nlattr *nest)
{
	struct netlink_ext_ack *extack = b->extack;
	struct vcdrom_disc *disc = b->disc;
	struct nlattr *tb[VCDROM_EXTENT_A_MAX + 1];
	struct vcdrom_extent *e;
	u64 size, last_byte;
	unsigned int ssize;
	int ret;

	if (disc->nr_extents >= VCDROM_MAX_EXTENTS) {
		NL_SET_ERR_MSG_FMT(extack, "more than %u extents", VCDROM_MAX_EXTENTS);
		return -E2BIG;
	}
	ret = nla_parse_nested(tb, VCDROM_EXTENT_A_MAX, nest, NULL, extack);
	if (ret)
		return ret;
	if (!tb[VCDROM_EXTENT_A_START] || !tb[VCDROM_EXTENT_A_LENGTH] ||
	    !tb[VCDROM_EXTENT_A_FORMAT]) {
		NL_SET_ERR_MSG_FMT(extack, "track %u: extent without start, length or format",
				   t->number);
		return -EINVAL;
	}
	e = &disc->extents[disc->nr_extents];
	e->start = nla_get_u32(tb[VCDROM_EXTENT_A_START]);
	e->length = nla_get_u32(tb[VCDROM_EXTENT_A_LENGTH]);
	e->format = nla_get_u32(tb[VCDROM_EXTENT_A_FORMAT]);

	if (e->start != b->next_lba) {
		NL_SET_ERR_MSG_FMT(extack, "track %u: extent starts at %u, not at %u",
				   t->number, e->start, b->next_lba);
		return -EINVAL;
	}
	if (e->length > U32_MAX - e->start) {
		NL_SET_ERR_MSG_FMT(extack, "track %u: extent runs past LBA %u", t->number,
				   U32_MAX);
		return -EINVAL;
	}

	ssize = vcdrom_format_size[e->format];
	if (ssize) {
		if (!tb[VCDROM_EXTENT_A_FILE] || !tb[VCDROM_EXTENT_A_OFFSET]) {
			NL_SET_ERR_MSG_FMT(extack, "track %u: stored extent without file or offset",
					   t->number);
			return -EINVAL;
		}
		e->file = nla_get_u32(tb[VCDROM_EXTENT_A_FILE]);
		e->offset = nla_get_u64(tb[VCDROM_EXTENT_A_OFFSET]);
		if (e->file >= disc->nr_files) {
			NL_SET_ERR_MSG_FMT(extack, "track %u: extent names file %u of %u",
					   t->number, e->file, disc->nr_files);
			return -EINVAL;
		}
		/* Every sector must start inside the file; a short last one reads as zeros. */
		size = i_size_read(disc->files[e->file]->f_mapping->host);
		if (check_add_overflow(e->offset, (u64)(e->length - 1) * ssize, &last_byte) ||
		    last_byte >= size) {
			NL_SET_ERR_MSG_FMT(extack,
					   "track %u: extent runs past the end of file %u (%llu bytes)",
					   t->number, e->file, size);
			return -EINVAL;
		}
	}
	b->next_lba = e->start + e->length;
	disc->nr_extents++;
	return 0;
}

static int vcdrom_disc_add_track(struct vcdrom_disc_builder *b, u8 session,
				 const struct nlattr *nest)
{
	struct netlink_ext_ack *extack = b->extack;
	struct vcdrom_disc *disc = b->disc;
	struct nlattr *tb[VCDROM_TRACK_A_MAX + 1];
	unsigned int first_extent = disc->nr_extents;
	struct vcdrom_track *t;
	struct nlattr *a;
	int rem, ret;

	if (disc->nr_tracks >= VCDROM_MAX_TRACKS) {
		NL_SET_ERR_MSG_FMT(extack, "more than %u tracks", VCDROM_MAX_TRACKS);
		return -E2BIG;
	}
	ret = nla_parse_nested(tb, VCDROM_TRACK_A_MAX, nest, NULL, extack);
	if (ret)
		return ret;
	t = &disc->tracks[disc->nr_tracks];
	if (!tb[VCDROM_TRACK_A_NUMBER] || !tb[VCDROM_TRACK_A_MODE] ||
	    !tb[VCDROM_TRACK_A_START]) {
		NL_SET_ERR_MSG_FMT(extack, "track %u: no number, mode or start",
				   disc->nr_tracks + 1);
		return -EINVAL;
	}
	t->number = nla_get_u8(tb[VCDROM_TRACK_A_NUMBER]);
	t->mode = nla_get_u32(tb[VCDROM_TRACK_A_MODE]);
	t->flags = tb[VCDROM_TRACK_A_FLAGS] ? nla_get_u32(tb[VCDROM_TRACK_A_FLAGS]) : 0;
	t->start = nla_get_u32(tb[VCDROM_TRACK_A_START]);
	t->session = session;
	t->first = b->next_lba;

	if (disc->nr_tracks && t->number != disc->tracks[disc->nr_tracks - 1].number + 1) {
		NL_SET_ERR_MSG_FMT(extack, "track %u follows track %u", t->number,
				   disc->tracks[disc->nr_tracks - 1].number);
		return -EINVAL;
	}
	if (t->mode != VCDROM_TRACK_MODE1) {
		NL_SET_ERR_MSG_FMT(extack, "track %u: mode %u is not supported yet",
				   t->number, t->mode);
		return -EOPNOTSUPP;
	}

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != VCDROM_TRACK_A_EXTENT)
			continue;
		ret = vcdrom_disc_add_extent(b, t, a);
		if (ret)
			return ret;
	}
	if (disc->nr_extents == first_extent) {
		NL_SET_ERR_MSG_FMT(extack, "track %u: no extents", t->number);
		return -EINVAL;
	}
	t->end = b->next_lba;
	if (t->start < t->first || t->start >= t->end) {
		NL_SET_ERR_MSG_FMT(extack, "track %u: start %u outside its sectors %u-%u",
				   t->number, t->start, t->first, t->end - 1);
		return -EINVAL;
	}
	disc->nr_tracks++;
	return 0;
}

static int vcdrom_disc_add_session(struct vcdrom_disc_builder *b, const struct nlattr *nest)
{
	struct vcdrom_disc *disc = b->disc;
	struct vcdrom_session *s;
	struct nlattr *a;
	int rem, ret;

	if (disc->nr_sessions >= VCDROM_MAX_SESSIONS) {
		NL_SET_ERR_MSG_FMT(b->extack, "more than %u sessions", VCDROM_MAX_SESSIONS);
		return -E2BIG;
	}
	s = &disc->sessions[disc->nr_sessions];
	s->number = disc->nr_sessions + 1;
	s->first_track = disc->nr_tracks;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != VCDROM_SESSION_A_TRACK)
			continue;
		ret = vcdrom_disc_add_track(b, s->number, a);
		if (ret)
			return ret;
	}
	s->nr_tracks = disc->nr_tracks - s->first_track;
	if (!s->nr_tracks) {
		NL_SET_ERR_MSG_FMT(b->extack, "session %u: no tracks", s->number);
		return -EINVAL;
	}
	if (s->number > 1) {
		NL_SET_ERR_MSG(b->extack, "more than one session is not supported yet");
		return -EOPNOTSUPP;
	}
	disc->nr_sessions++;
	return 0;
}

static unsigned int vcdrom_count_nested(const struct nlattr *nest, int type, int depth)
{
	unsigned int n = 0;
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		if (depth)
			n += vcdrom_count_nested(a, type, depth - 1);
		else if (nla_type(a) == type)
			n++;
	}
	return n;
}

/* Build a disc from VCDROM_A_DISC (already validated against the policy). */
struct vcdrom_disc *vcdrom_disc_build(const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	struct vcdrom_disc_builder b = { .extack = extack };
	unsigned int nr_files, nr_sessions, nr_tracks, nr_extents;
	struct vcdrom_disc *disc;
	struct nlattr *a;
	int rem, ret;

	/* Count first, so arrays are sized once; the limits bound each count. */
	nr_files = vcdrom_count_nested(attr, VCDROM_DISC_A_FILE, 0);
	nr_sessions = vcdrom_count_nested(attr, VCDROM_DISC_A_SESSION, 0);
	nr_tracks = vcdrom_count_nested(attr, VCDROM_SESSION_A_TRACK, 1);
	nr_extents = vcdrom_count_nested(attr, VCDROM_TRACK_A_EXTENT, 2);
	if (!nr_files || nr_files > VCDROM_MAX_FILES) {
		NL_SET_ERR_MSG_FMT(extack, "a disc needs 1 to %u files, not %u",
				   VCDROM_MAX_FILES, nr_files);
		return ERR_PTR(-EINVAL);
	}
	if (!nr_sessions || nr_sessions > VCDROM_MAX_SESSIONS ||
	    !nr_tracks || nr_tracks > VCDROM_MAX_TRACKS ||
	    !nr_extents || nr_extents > VCDROM_MAX_EXTENTS) {
		NL_SET_ERR_MSG_FMT(extack, "bad counts: %u sessions, %u tracks, %u extents (1-%u, 1-%u, 1-%u)",
				   nr_sessions, nr_tracks, nr_extents, VCDROM_MAX_SESSIONS,
				   VCDROM_MAX_TRACKS, VCDROM_MAX_EXTENTS);
		return ERR_PTR(-EINVAL);
	}

	disc = kzalloc(sizeof(*disc), GFP_KERNEL);
	if (!disc)
		return ERR_PTR(-ENOMEM);
	kref_init(&disc->kref);
	disc->files = kcalloc(nr_files, sizeof(*disc->files), GFP_KERNEL);
	disc->sessions = kcalloc(nr_sessions, sizeof(*disc->sessions), GFP_KERNEL);
	disc->tracks = kcalloc(nr_tracks, sizeof(*disc->tracks), GFP_KERNEL);
	disc->extents = kcalloc(nr_extents, sizeof(*disc->extents), GFP_KERNEL);
	ret = -ENOMEM;
	if (!disc->files || !disc->sessions || !disc->tracks || !disc->extents)
		goto out_put;
	b.disc = disc;

	nla_for_each_nested(a, attr, rem) {
		if (nla_type(a) != VCDROM_DISC_A_FILE)
			continue;
		ret = vcdrom_disc_add_file(disc, a, extack);
		if (ret)
			goto out_put;
	}
	nla_for_each_nested(a, attr, rem) {
		if (nla_type(a) != VCDROM_DISC_A_SESSION)
			continue;
		ret = vcdrom_disc_add_session(&b, a);
		if (ret)
			goto out_put;
	}
	disc->sectors = b.next_lba;
	disc->profile = vcdrom_profile_for(disc->sectors);
	return disc;

out_put:
	vcdrom_disc_put(disc);
	return ERR_PTR(ret);
}
