// SPDX-License-Identifier: GPL-2.0
/*
 * vcdrom: the disc layout. Userspace parses image formats into VCDROM_A_DISC;
 * here it is checked against itself and against the real files before any
 * drive sees it. Nothing in it is trusted: every count, offset, length and
 * mode is checked, and a refusal names the part and the reason.
 *
 * Lifetime: a disc is built per insert, before any lock is taken, and never
 * changes after. Its files are fget() from the caller's fds at build time
 * and fput() when its last reference goes. References (kref): one from its
 * drive's drive->disc, swapped under drive->lock; one per read in flight
 * (mmc_read.c takes it under drive->lock, io.c drops it); one while a
 * status report reads it (netlink.c). Whoever
 * takes a disc out of a drive (eject, replace, a START STOP UNIT from the
 * host, drive deletion) puts it after dropping drive->lock. No locks here.
 */
#include <linux/blkdev.h>
#include <linux/ctype.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/major.h>
#include <linux/overflow.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_host.h>

#include "vcdrom.h"

const unsigned int vcdrom_format_size[__VCDROM_SECTOR_FORMAT_MAX] = {
	[VCDROM_SECTOR_ZERO] = 0,
	[VCDROM_SECTOR_COOKED_2048] = 2048,
	[VCDROM_SECTOR_RAW] = 2352,
	[VCDROM_SECTOR_RAW_SWAPPED] = 2352,
	[VCDROM_SECTOR_MODE2] = 2336,
	[VCDROM_SECTOR_COOKED_2324] = 2324,
	[VCDROM_SECTOR_RAW_PW] = 2448,
};

/* The sector formats each track mode may be stored in. */
static const u32 vcdrom_mode_formats[__VCDROM_TRACK_MODE_MAX] = {
	[VCDROM_TRACK_AUDIO] = BIT(VCDROM_SECTOR_ZERO) | BIT(VCDROM_SECTOR_RAW) |
			       BIT(VCDROM_SECTOR_RAW_SWAPPED) | BIT(VCDROM_SECTOR_RAW_PW),
	[VCDROM_TRACK_MODE1] = BIT(VCDROM_SECTOR_ZERO) | BIT(VCDROM_SECTOR_COOKED_2048) |
			       BIT(VCDROM_SECTOR_RAW) | BIT(VCDROM_SECTOR_RAW_PW),
	[VCDROM_TRACK_MODE2] = BIT(VCDROM_SECTOR_ZERO) | BIT(VCDROM_SECTOR_MODE2) |
			       BIT(VCDROM_SECTOR_RAW) | BIT(VCDROM_SECTOR_RAW_PW),
	[VCDROM_TRACK_MODE2_XA] = BIT(VCDROM_SECTOR_ZERO) | BIT(VCDROM_SECTOR_COOKED_2048) |
				  BIT(VCDROM_SECTOR_COOKED_2324) | BIT(VCDROM_SECTOR_MODE2) |
				  BIT(VCDROM_SECTOR_RAW) | BIT(VCDROM_SECTOR_RAW_PW),
};

static const char *const vcdrom_mode_name[__VCDROM_TRACK_MODE_MAX] = {
	[VCDROM_TRACK_AUDIO] = "audio",
	[VCDROM_TRACK_MODE1] = "mode 1",
	[VCDROM_TRACK_MODE2] = "mode 2",
	[VCDROM_TRACK_MODE2_XA] = "mode 2 XA",
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
	kfree(disc->indexes);
	kfree(disc->cdtext);
	kfree(disc->source);
	kfree(disc->dvd);
	kfree(disc);
}

void vcdrom_disc_put(struct vcdrom_disc *disc)
{
	if (disc)
		kref_put(&disc->kref, vcdrom_disc_release);
}

/* The track holding @lba; NULL past the lead-out or between sessions. */
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
	if (lba < disc->tracks[lo].first || lba >= disc->tracks[lo].end)
		return NULL;
	return &disc->tracks[lo];
}

/* The index of @lba in track @t: 0 in the pregap, 1 from the start on, then 2... */
unsigned int vcdrom_track_index_at(const struct vcdrom_disc *disc,
				   const struct vcdrom_track *t, u32 lba)
{
	const u32 *idx = &disc->indexes[t->first_index];
	unsigned int n = 0;

	if (lba < t->start)
		return 0;
	while (n < t->nr_indexes && idx[n] <= lba)
		n++;
	return n + 1;
}

const struct vcdrom_session *vcdrom_disc_session_of(const struct vcdrom_disc *disc,
						    const struct vcdrom_track *t)
{
	return &disc->sessions[t->session - 1];
}

/* The extent holding @lba, which must lie in a track. */
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

/*
 * Whether all of [lba, lba + count) lies in MODE1 tracks stored as 2048-byte
 * sectors (or not stored), so that READ(10) can copy it straight from the files.
 */
bool vcdrom_disc_is_data(const struct vcdrom_disc *disc, u32 lba, u32 count)
{
	u32 end = lba + count;

	while (lba < end) {
		const struct vcdrom_track *t = vcdrom_disc_track_at(disc, lba);
		const struct vcdrom_extent *e;

		if (!t || t->mode != VCDROM_TRACK_MODE1)
			return false;
		for (e = vcdrom_disc_extent_at(disc, lba); lba < end && lba < t->end; e++) {
			if (e->format != VCDROM_SECTOR_ZERO &&
			    e->format != VCDROM_SECTOR_COOKED_2048)
				return false;
			lba = e->start + e->length;
		}
	}
	return true;
}

/* The track numbered @nr; NULL if the disc has none. */
const struct vcdrom_track *vcdrom_disc_track_nr(const struct vcdrom_disc *disc, unsigned int nr)
{
	unsigned int first = disc->tracks[0].number;

	if (nr < first || nr - first >= disc->nr_tracks)
		return NULL;
	return &disc->tracks[nr - first];	/* numbers ascend by one */
}

/* The subchannel Q control nibble of track @t. */
u8 vcdrom_track_control(const struct vcdrom_track *t)
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

/*
 * Whether reading @file reads from @sdev's disk: it is that block device,
 * or lies on a file system mounted from it. Such a drive would read from
 * itself: its worker would wait for a read queued behind it. A stack of
 * loop or dm devices in between is not seen from here.
 */
static bool vcdrom_file_reads_sdev(struct file *file, struct scsi_device *sdev)
{
	struct inode *inode = file_inode(file);
	struct block_device *bdev;

	if (S_ISBLK(inode->i_mode))
		bdev = I_BDEV(file->f_mapping->host);
	else
		bdev = inode->i_sb->s_bdev;
	return bdev && bdev->bd_disk && bdev->bd_disk->queue &&
	       bdev->bd_disk->queue->queuedata == sdev;
}

/* Refuse a disc that @sdev's drive would read through itself. */
int vcdrom_disc_check_source(const struct vcdrom_disc *disc, struct scsi_device *sdev,
			     struct netlink_ext_ack *extack)
{
	unsigned int n;

	for (n = 0; n < disc->nr_files; n++) {
		if (vcdrom_file_reads_sdev(disc->files[n], sdev)) {
			NL_SET_ERR_MSG_FMT(extack,
					   "file %u: lies on the drive it is inserted into",
					   n);
			return -EINVAL;
		}
	}
	return 0;
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
		if (!shmem_mapping(file->f_mapping))
			disc->on_store = true;
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
	bool gap_allowed;		/* a session's first extent may start later */
	const char *cd_only;		/* something only a CD can have */
};

/* An extent's scrambling and its stored sub-channel (VCDROM_F_SUBCHANNEL). */
static int vcdrom_disc_extent_sub(struct vcdrom_disc_builder *b, const struct vcdrom_track *t,
				  struct vcdrom_extent *e, struct nlattr **tb)
{
	struct netlink_ext_ack *extack = b->extack;
	struct vcdrom_disc *disc = b->disc;
	u64 size, last_byte;

	if (tb[VCDROM_EXTENT_A_FLAGS])
		e->flags = nla_get_u32(tb[VCDROM_EXTENT_A_FLAGS]);
	if ((e->flags & VCDROM_EXTENT_F_SCRAMBLED) &&
	    (e->format != VCDROM_SECTOR_RAW || t->mode == VCDROM_TRACK_AUDIO)) {
		NL_SET_ERR_MSG_FMT(extack,
				   "track %u: only raw sectors of a data track can be scrambled",
				   t->number);
		return -EINVAL;
	}
	if (e->flags)
		b->cd_only = "scrambled sectors";
	if (tb[VCDROM_EXTENT_A_SUB_FORMAT])
		e->sub_format = nla_get_u32(tb[VCDROM_EXTENT_A_SUB_FORMAT]);
	if (e->sub_format == VCDROM_SUB_NONE) {
		if (!tb[VCDROM_EXTENT_A_SUB_FILE] && !tb[VCDROM_EXTENT_A_SUB_OFFSET])
			return 0;
		NL_SET_ERR_MSG_FMT(extack, "track %u: sub-channel file without its format",
				   t->number);
		return -EINVAL;
	}
	b->cd_only = "a stored sub-channel";
	if (!tb[VCDROM_EXTENT_A_SUB_FILE] && !tb[VCDROM_EXTENT_A_SUB_OFFSET]) {
		if (e->format == VCDROM_SECTOR_RAW_PW)
			return 0;
		NL_SET_ERR_MSG_FMT(extack,
				   "track %u: a sub-channel stored in the sectors needs format %u (raw P-W)",
				   t->number, VCDROM_SECTOR_RAW_PW);
		return -EINVAL;
	}
	if (!tb[VCDROM_EXTENT_A_SUB_FILE] || !tb[VCDROM_EXTENT_A_SUB_OFFSET]) {
		NL_SET_ERR_MSG_FMT(extack, "track %u: sub-channel without file or offset",
				   t->number);
		return -EINVAL;
	}
	e->sub_in_file = true;
	e->sub_file = nla_get_u32(tb[VCDROM_EXTENT_A_SUB_FILE]);
	e->sub_offset = nla_get_u64(tb[VCDROM_EXTENT_A_SUB_OFFSET]);
	if (e->sub_file >= disc->nr_files) {
		NL_SET_ERR_MSG_FMT(extack, "track %u: sub-channel names file %u of %u",
				   t->number, e->sub_file, disc->nr_files);
		return -EINVAL;
	}
	/* Every sector's sub-channel must start inside the file, as its data must. */
	size = i_size_read(disc->files[e->sub_file]->f_mapping->host);
	if (check_add_overflow(e->sub_offset, (u64)(e->length - 1) * VCDROM_CD_SUB, &last_byte) ||
	    last_byte >= size) {
		NL_SET_ERR_MSG_FMT(extack,
				   "track %u: sub-channel runs past the end of file %u (%llu bytes)",
				   t->number, e->sub_file, size);
		return -EINVAL;
	}
	e->sub_file_size = size;
	return 0;
}

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

	if (e->start != b->next_lba && !(b->gap_allowed && e->start > b->next_lba)) {
		NL_SET_ERR_MSG_FMT(extack, "track %u: extent starts at %u, not at %u",
				   t->number, e->start, b->next_lba);
		return -EINVAL;
	}
	b->gap_allowed = false;
	if (!(vcdrom_mode_formats[t->mode] & BIT(e->format))) {
		NL_SET_ERR_MSG_FMT(extack, "track %u: %s tracks cannot be stored in format %u",
				   t->number, vcdrom_mode_name[t->mode], e->format);
		return -EINVAL;
	}
	if (e->format != VCDROM_SECTOR_ZERO && e->format != VCDROM_SECTOR_COOKED_2048)
		b->cd_only = "raw, mode 2 or form 2 sectors";
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
		e->file_size = size;
	}
	ret = vcdrom_disc_extent_sub(b, t, e, tb);
	if (ret)
		return ret;
	b->next_lba = e->start + e->length;
	disc->nr_extents++;
	return 0;
}

/*
 * Copy an MCN (digits) or ISRC (A-Z, 0-9) of exactly @len characters into
 * @out; -EINVAL if it is anything else.
 */
static int vcdrom_check_code(const struct nlattr *attr, char *out, unsigned int len,
			     bool letters)
{
	unsigned int i;

	if (nla_strscpy(out, attr, len + 1) != len)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!isdigit(out[i]) && !(letters && isupper(out[i])))
			return -EINVAL;
	return 0;
}

/* @s: printable ASCII only (it is shown to users as it is). */
static int vcdrom_check_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return -EINVAL;
	return 0;
}

/* @s: lines of any bytes but control characters (paths, in any encoding). */
static int vcdrom_check_lines(const char *s)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\n') || *s == 0x7f)
			return -EINVAL;
	return 0;
}

/* Indexes 2 and up: ascending, after index 1, inside the track. */
static int vcdrom_disc_add_indexes(struct vcdrom_disc_builder *b, struct vcdrom_track *t,
				   const struct nlattr *nest)
{
	struct vcdrom_disc *disc = b->disc;
	u32 prev = t->start, lba;
	struct nlattr *a;
	int rem;

	t->first_index = disc->nr_indexes;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != VCDROM_TRACK_A_INDEX)
			continue;
		lba = nla_get_u32(a);
		if (t->nr_indexes >= VCDROM_MAX_INDEXES) {
			NL_SET_ERR_MSG_FMT(b->extack, "track %u: more than %u indexes",
					   t->number, VCDROM_MAX_INDEXES + 1);
			return -E2BIG;
		}
		if (lba <= prev || lba >= t->end) {
			NL_SET_ERR_MSG_FMT(b->extack,
					   "track %u: index %u at %u is not after %u and inside the track",
					   t->number, t->nr_indexes + 2, lba, prev);
			return -EINVAL;
		}
		disc->indexes[disc->nr_indexes++] = lba;
		t->nr_indexes++;
		prev = lba;
	}
	if (t->nr_indexes)
		b->cd_only = "indexes";
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
	if (tb[VCDROM_TRACK_A_ISRC]) {
		ret = vcdrom_check_code(tb[VCDROM_TRACK_A_ISRC], t->isrc, VCDROM_ISRC_LEN, true);
		if (ret) {
			NL_SET_ERR_MSG_FMT(extack, "track %u: ISRC is not 12 characters A-Z, 0-9",
					   t->number);
			return ret;
		}
		b->cd_only = "an ISRC";
	}

	if (disc->nr_tracks && t->number != disc->tracks[disc->nr_tracks - 1].number + 1) {
		NL_SET_ERR_MSG_FMT(extack, "track %u follows track %u", t->number,
				   disc->tracks[disc->nr_tracks - 1].number);
		return -EINVAL;
	}
	if (t->mode != VCDROM_TRACK_MODE1)
		b->cd_only = "audio or mode 2 tracks";

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != VCDROM_TRACK_A_EXTENT)
			continue;
		ret = vcdrom_disc_add_extent(b, t, a);
		if (ret)
			return ret;
		if (disc->nr_extents == first_extent + 1)
			t->first = disc->extents[first_extent].start;
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
	ret = vcdrom_disc_add_indexes(b, t, nest);
	if (ret)
		return ret;
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
	/* Between sessions: the last one's lead-out and this one's lead-in. */
	b->gap_allowed = s->number > 1;

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
	s->first = disc->tracks[s->first_track].first;
	s->leadout = b->next_lba;
	if (s->number > 1)
		b->cd_only = "several sessions";
	disc->nr_sessions++;
	return 0;
}

/* Count attributes of type path[depth] found under nests of types path[0..depth-1]. */
static unsigned int vcdrom_count_nested(const struct nlattr *nest, const int *path, int depth)
{
	unsigned int n = 0;
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != path[0])
			continue;
		n += depth ? vcdrom_count_nested(a, path + 1, depth - 1) : 1;
	}
	return n;
}

/* CD-TEXT: whole packs of the pack types MMC names, within the limit. */
static int vcdrom_disc_set_cdtext(struct vcdrom_disc *disc, const struct nlattr *attr,
				  struct netlink_ext_ack *extack)
{
	unsigned int len = nla_len(attr), i;
	const u8 *p = nla_data(attr);

	if (!len || len % VCDROM_CDTEXT_PACK ||
	    len > VCDROM_CDTEXT_MAX_PACKS * VCDROM_CDTEXT_PACK) {
		NL_SET_ERR_MSG_FMT(extack, "CD-TEXT of %u bytes is not 1 to %u packs of %u bytes",
				   len, VCDROM_CDTEXT_MAX_PACKS, VCDROM_CDTEXT_PACK);
		return -EINVAL;
	}
	for (i = 0; i < len; i += VCDROM_CDTEXT_PACK) {
		if (p[i] < 0x80 || p[i] > 0x8f) {
			NL_SET_ERR_MSG_FMT(extack, "CD-TEXT pack %u: type %#x is not 0x80-0x8f",
					   i / VCDROM_CDTEXT_PACK, p[i]);
			return -EINVAL;
		}
	}
	disc->cdtext = kmemdup(p, len, GFP_KERNEL);
	if (!disc->cdtext)
		return -ENOMEM;
	disc->cdtext_len = len;
	return 0;
}

/* A DVD's stored structures: only on a DVD medium, whole. */
static int vcdrom_disc_set_dvd(struct vcdrom_disc *disc, struct nlattr **tb,
			       struct netlink_ext_ack *extack)
{
	struct nlattr *phys = tb[VCDROM_DISC_A_DVD_PHYSICAL], *bca = tb[VCDROM_DISC_A_DVD_BCA];
	struct vcdrom_dvd_structs *dvd;

	if (!phys && !bca && !tb[VCDROM_DISC_A_DVD_COPYRIGHT] &&
	    !tb[VCDROM_DISC_A_DVD_MANUFACTURER])
		return 0;
	if (disc->profile != VCDROM_PROFILE_DVD_ROM) {
		NL_SET_ERR_MSG(extack, "DVD structures given for a medium that is not a DVD");
		return -EINVAL;
	}
	if (phys && (!nla_len(phys) || nla_len(phys) % VCDROM_DVD_STRUCT_LEN)) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, phys,
					"DVD physical format of %u bytes is not %u bytes a layer",
					nla_len(phys), VCDROM_DVD_STRUCT_LEN);
		return -EINVAL;
	}
	if (bca && !nla_len(bca)) {
		NL_SET_ERR_MSG_ATTR(extack, bca, "empty DVD BCA");
		return -EINVAL;
	}
	dvd = kzalloc(sizeof(*dvd), GFP_KERNEL);
	if (!dvd)
		return -ENOMEM;
	if (phys) {
		dvd->layers = nla_len(phys) / VCDROM_DVD_STRUCT_LEN;
		memcpy(dvd->physical, nla_data(phys), nla_len(phys));
	}
	if (bca) {
		dvd->bca_len = nla_len(bca);
		memcpy(dvd->bca, nla_data(bca), nla_len(bca));
	}
	if (tb[VCDROM_DISC_A_DVD_COPYRIGHT]) {
		dvd->has_copyright = true;
		nla_memcpy(dvd->copyright, tb[VCDROM_DISC_A_DVD_COPYRIGHT], sizeof(dvd->copyright));
	}
	if (tb[VCDROM_DISC_A_DVD_MANUFACTURER]) {
		dvd->has_manufacturer = true;
		nla_memcpy(dvd->manufacturer, tb[VCDROM_DISC_A_DVD_MANUFACTURER],
			   sizeof(dvd->manufacturer));
	}
	disc->dvd = dvd;
	return 0;
}

/* The medium: asked for, or chosen by what the layout holds and its size. */
static int vcdrom_disc_set_medium(struct vcdrom_disc_builder *b, const struct nlattr *attr)
{
	u32 medium = attr ? nla_get_u32(attr) : VCDROM_MEDIUM_AUTO;
	struct vcdrom_disc *disc = b->disc;
	unsigned int i;

	if (medium == VCDROM_MEDIUM_AUTO) {
		if (b->cd_only || disc->sectors <= VCDROM_CD_MAX_SECTORS)
			medium = VCDROM_MEDIUM_CD;
		else if (disc->sectors <= VCDROM_DVD_MAX_SECTORS)
			medium = VCDROM_MEDIUM_DVD;
		else
			medium = VCDROM_MEDIUM_BD;
	}
	if (medium != VCDROM_MEDIUM_CD && b->cd_only) {
		NL_SET_ERR_MSG_ATTR_FMT(b->extack, attr, "only a CD can have %s", b->cd_only);
		return -EINVAL;
	}
	switch (medium) {
	case VCDROM_MEDIUM_CD:
		if (disc->sectors > VCDROM_CD_MAX_LEADOUT) {
			NL_SET_ERR_MSG_FMT(b->extack, "lead-out %u is past a CD's last address %u",
					   disc->sectors, VCDROM_CD_MAX_LEADOUT);
			return -EINVAL;
		}
		disc->profile = VCDROM_PROFILE_CD_ROM;
		break;
	case VCDROM_MEDIUM_DVD:
		if (disc->sectors > VCDROM_DVD_MAX_SECTORS) {
			NL_SET_ERR_MSG_FMT(b->extack, "%u sectors are more than a DVD's %u",
					   disc->sectors, VCDROM_DVD_MAX_SECTORS);
			return -EINVAL;
		}
		disc->profile = VCDROM_PROFILE_DVD_ROM;
		break;
	default:
		disc->profile = VCDROM_PROFILE_BD_ROM;
		break;
	}
	disc->disc_type = VCDROM_DISC_TYPE_CD;
	for (i = 0; i < disc->nr_tracks; i++)
		if (disc->tracks[i].mode == VCDROM_TRACK_MODE2_XA)
			disc->disc_type = VCDROM_DISC_TYPE_XA;
	return 0;
}

/* Where each kind of attribute sits under VCDROM_A_DISC. */
static const int path_files[] = { VCDROM_DISC_A_FILE };
static const int path_sessions[] = { VCDROM_DISC_A_SESSION };
static const int path_tracks[] = { VCDROM_DISC_A_SESSION, VCDROM_SESSION_A_TRACK };
static const int path_extents[] = { VCDROM_DISC_A_SESSION, VCDROM_SESSION_A_TRACK,
				    VCDROM_TRACK_A_EXTENT };
static const int path_indexes[] = { VCDROM_DISC_A_SESSION, VCDROM_SESSION_A_TRACK,
				    VCDROM_TRACK_A_INDEX };

/* Build a disc from VCDROM_A_DISC (already validated against the policy). */
struct vcdrom_disc *vcdrom_disc_build(const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	struct vcdrom_disc_builder b = { .extack = extack };
	unsigned int nr_files, nr_sessions, nr_tracks, nr_extents, nr_indexes;
	struct nlattr *tb[VCDROM_DISC_A_MAX + 1];
	struct vcdrom_disc *disc;
	struct nlattr *a;
	int rem, ret;

	/* Count first, so arrays are sized once; the limits bound each count. */
	nr_files = vcdrom_count_nested(attr, path_files, ARRAY_SIZE(path_files) - 1);
	nr_sessions = vcdrom_count_nested(attr, path_sessions, ARRAY_SIZE(path_sessions) - 1);
	nr_tracks = vcdrom_count_nested(attr, path_tracks, ARRAY_SIZE(path_tracks) - 1);
	nr_extents = vcdrom_count_nested(attr, path_extents, ARRAY_SIZE(path_extents) - 1);
	nr_indexes = vcdrom_count_nested(attr, path_indexes, ARRAY_SIZE(path_indexes) - 1);
	/* No file at all is a disc of unstored sectors only (a TOC of SILENCE and ZERO). */
	if (nr_files > VCDROM_MAX_FILES) {
		NL_SET_ERR_MSG_FMT(extack, "a disc has at most %u files, not %u",
				   VCDROM_MAX_FILES, nr_files);
		return ERR_PTR(-EINVAL);
	}
	if (!nr_sessions || nr_sessions > VCDROM_MAX_SESSIONS ||
	    !nr_tracks || nr_tracks > VCDROM_MAX_TRACKS ||
	    !nr_extents || nr_extents > VCDROM_MAX_EXTENTS) {
		NL_SET_ERR_MSG_FMT(extack,
				   "bad counts: %u sessions, %u tracks, %u extents (1-%u, 1-%u, 1-%u)",
				   nr_sessions, nr_tracks, nr_extents, VCDROM_MAX_SESSIONS,
				   VCDROM_MAX_TRACKS, VCDROM_MAX_EXTENTS);
		return ERR_PTR(-EINVAL);
	}
	if (nr_indexes > VCDROM_MAX_TRACKS * VCDROM_MAX_INDEXES) {
		NL_SET_ERR_MSG_FMT(extack, "%u indexes are too many", nr_indexes);
		return ERR_PTR(-E2BIG);
	}
	ret = nla_parse_nested(tb, VCDROM_DISC_A_MAX, attr, NULL, extack);
	if (ret)
		return ERR_PTR(ret);

	disc = kzalloc(sizeof(*disc), GFP_KERNEL);
	if (!disc)
		return ERR_PTR(-ENOMEM);
	kref_init(&disc->kref);
	disc->files = kcalloc(nr_files ?: 1, sizeof(*disc->files), GFP_KERNEL);
	disc->sessions = kcalloc(nr_sessions, sizeof(*disc->sessions), GFP_KERNEL);
	disc->tracks = kcalloc(nr_tracks, sizeof(*disc->tracks), GFP_KERNEL);
	disc->extents = kcalloc(nr_extents, sizeof(*disc->extents), GFP_KERNEL);
	disc->indexes = kcalloc(nr_indexes ?: 1, sizeof(*disc->indexes), GFP_KERNEL);
	ret = -ENOMEM;
	if (!disc->files || !disc->sessions || !disc->tracks || !disc->extents ||
	    !disc->indexes)
		goto out_put;
	b.disc = disc;

	if (tb[VCDROM_DISC_A_MCN]) {
		ret = vcdrom_check_code(tb[VCDROM_DISC_A_MCN], disc->mcn, VCDROM_MCN_LEN, false);
		if (ret) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VCDROM_DISC_A_MCN], "MCN is not 13 digits");
			goto out_put;
		}
		b.cd_only = "an MCN";
	}
	if (tb[VCDROM_DISC_A_FORMAT]) {
		nla_strscpy(disc->format, tb[VCDROM_DISC_A_FORMAT], sizeof(disc->format));
		ret = vcdrom_check_printable(disc->format);
		if (ret) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VCDROM_DISC_A_FORMAT],
					    "format name is not printable ASCII");
			goto out_put;
		}
	}
	if (tb[VCDROM_DISC_A_SOURCE]) {
		disc->source = nla_strdup(tb[VCDROM_DISC_A_SOURCE], GFP_KERNEL);
		if (!disc->source) {
			ret = -ENOMEM;
			goto out_put;
		}
		ret = vcdrom_check_lines(disc->source);
		if (ret) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VCDROM_DISC_A_SOURCE],
					    "source has a control character other than newline");
			goto out_put;
		}
	}
	if (tb[VCDROM_DISC_A_CDTEXT]) {
		ret = vcdrom_disc_set_cdtext(disc, tb[VCDROM_DISC_A_CDTEXT], extack);
		if (ret)
			goto out_put;
		b.cd_only = "CD-TEXT";
	}

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
	ret = vcdrom_disc_set_medium(&b, tb[VCDROM_DISC_A_MEDIUM]);
	if (ret)
		goto out_put;
	ret = vcdrom_disc_set_dvd(disc, tb, extack);
	if (ret)
		goto out_put;
	return disc;

out_put:
	vcdrom_disc_put(disc);
	return ERR_PTR(ret);
}

/*
 * After a refusal: put "@what @n: " before the message extack holds, so that
 * the sender knows which of several the message is about.
 */
void vcdrom_extack_prefix(struct netlink_ext_ack *extack, const char *what, unsigned int n)
{
	char msg[80];

	if (!extack || !extack->_msg)
		return;
	strscpy(msg, extack->_msg, sizeof(msg));
	NL_SET_ERR_MSG_FMT(extack, "%s %u: %s", what, n, msg);
}

static void vcdrom_playlist_release(struct kref *kref)
{
	struct vcdrom_playlist *pl = container_of(kref, struct vcdrom_playlist, kref);
	unsigned int i;

	for (i = 0; i < pl->nr; i++)
		vcdrom_disc_put(pl->discs[i]);
	kfree(pl);
}

void vcdrom_playlist_put(struct vcdrom_playlist *pl)
{
	if (pl)
		kref_put(&pl->kref, vcdrom_playlist_release);
}

/* The discs of a playlist (VCDROM_A_PLAYLIST), each built and checked; disc @pos goes in first. */
struct vcdrom_playlist *vcdrom_playlist_build(const struct nlattr *attr, u32 pos,
					      struct netlink_ext_ack *extack)
{
	static const int path_discs[] = { VCDROM_PLAYLIST_A_DISC };
	struct vcdrom_playlist *pl;
	struct vcdrom_disc *disc;
	unsigned int nr;
	struct nlattr *a;
	int rem;

	nr = vcdrom_count_nested(attr, path_discs, 0);
	if (!nr || nr > VCDROM_MAX_PLAYLIST) {
		NL_SET_ERR_MSG_FMT(extack, "a playlist has 1-%u discs, not %u",
				   VCDROM_MAX_PLAYLIST, nr);
		return ERR_PTR(-EINVAL);
	}
	if (pos >= nr) {
		NL_SET_ERR_MSG_FMT(extack, "disc index %u: the playlist has %u discs (0-%u)",
				   pos, nr, nr - 1);
		return ERR_PTR(-EINVAL);
	}
	pl = kzalloc(struct_size(pl, discs, nr), GFP_KERNEL);
	if (!pl)
		return ERR_PTR(-ENOMEM);
	kref_init(&pl->kref);
	pl->pos = pos;
	pl->next = pos;
	nla_for_each_nested(a, attr, rem) {
		if (nla_type(a) != VCDROM_PLAYLIST_A_DISC)
			continue;
		disc = vcdrom_disc_build(a, extack);
		if (IS_ERR(disc)) {
			vcdrom_extack_prefix(extack, "playlist disc", pl->nr + 1);
			vcdrom_playlist_put(pl);
			return ERR_CAST(disc);
		}
		pl->discs[pl->nr++] = disc;
	}
	return pl;
}
