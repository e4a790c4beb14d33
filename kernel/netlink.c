// SPDX-License-Identifier: GPL-2.0
/*
 * vcdrom: the "vcdrom" generic netlink family (uapi: linux/vcdrom.h; spec:
 * kernel/vcdrom.yaml). Every command is strictly validated against its own
 * policy; every refusal carries an extack message. Control handlers have one
 * shape: check the request, check permission, take vcdrom_ctl_lock, look the
 * drive up, check a device fd against it (the last three:
 * vcdrom_nl_lock_drive), call the drive verb, leave through one exit.
 *
 * Locks: control handlers hold vcdrom_ctl_lock (drive.c), taken killably,
 * while they use a drive; that keeps it alive (only its holder deletes
 * drives). Queries (DRIVE_GET and the dump) never take it, so that they
 * answer while a verb waits on I/O: they hold a reference on each drive
 * (vcdrom_drive_get). An insert builds its disc (fget of the fds) before
 * taking the lock. Events are sent from
 * the drive verbs and from the command path, with the gfp the caller gives.
 */
#include <linux/capability.h>
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/major.h>
#include <linux/module.h>
#include <linux/srcu.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_host.h>

#include "vcdrom.h"

#define VCDROM_FEATURES_ALL	(VCDROM_F_DRIVE_ADD_DEL | VCDROM_F_INSERT | \
				 VCDROM_F_COOKED_DATA | VCDROM_F_EVENTS | \
				 VCDROM_F_CD | VCDROM_F_FORMAT | VCDROM_F_SUBCHANNEL | \
				 VCDROM_F_DVD_STRUCTURE | VCDROM_F_SOURCE | VCDROM_F_PLAYLIST)

static struct genl_family vcdrom_family;

/* ---- policies ---- */

static const struct nla_policy vcdrom_extent_policy[VCDROM_EXTENT_A_MAX + 1] = {
	[VCDROM_EXTENT_A_START]		= { .type = NLA_U32 },
	[VCDROM_EXTENT_A_LENGTH]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VCDROM_EXTENT_A_FORMAT]	= NLA_POLICY_MAX(NLA_U32, __VCDROM_SECTOR_FORMAT_MAX - 1),
	[VCDROM_EXTENT_A_FILE]		= NLA_POLICY_MAX(NLA_U32, VCDROM_MAX_FILES - 1),
	[VCDROM_EXTENT_A_OFFSET]	= { .type = NLA_U64 },
	[VCDROM_EXTENT_A_FLAGS]		= NLA_POLICY_MASK(NLA_U32, VCDROM_EXTENT_F_ALL),
	[VCDROM_EXTENT_A_SUB_FORMAT]	= NLA_POLICY_MAX(NLA_U32, __VCDROM_SUB_FORMAT_MAX - 1),
	[VCDROM_EXTENT_A_SUB_FILE]	= NLA_POLICY_MAX(NLA_U32, VCDROM_MAX_FILES - 1),
	[VCDROM_EXTENT_A_SUB_OFFSET]	= { .type = NLA_U64 },
};

static const struct nla_policy vcdrom_track_policy[VCDROM_TRACK_A_MAX + 1] = {
	[VCDROM_TRACK_A_NUMBER]		= NLA_POLICY_RANGE(NLA_U8, 1, 99),
	[VCDROM_TRACK_A_MODE]		= NLA_POLICY_MAX(NLA_U32, __VCDROM_TRACK_MODE_MAX - 1),
	[VCDROM_TRACK_A_FLAGS]		= NLA_POLICY_MASK(NLA_U32, VCDROM_TRACK_F_ALL),
	[VCDROM_TRACK_A_START]		= { .type = NLA_U32 },
	[VCDROM_TRACK_A_EXTENT]		= NLA_POLICY_NESTED(vcdrom_extent_policy),
	[VCDROM_TRACK_A_INDEX]		= { .type = NLA_U32 },
	[VCDROM_TRACK_A_ISRC]		= { .type = NLA_NUL_STRING, .len = VCDROM_ISRC_LEN },
};

static const struct nla_policy vcdrom_session_policy[VCDROM_SESSION_A_MAX + 1] = {
	[VCDROM_SESSION_A_TRACK]	= NLA_POLICY_NESTED(vcdrom_track_policy),
};

static const struct nla_policy vcdrom_file_policy[VCDROM_FILE_A_MAX + 1] = {
	[VCDROM_FILE_A_FD]		= { .type = NLA_U32 },
};

static const struct nla_policy vcdrom_disc_policy[VCDROM_DISC_A_MAX + 1] = {
	[VCDROM_DISC_A_FILE]		= NLA_POLICY_NESTED(vcdrom_file_policy),
	[VCDROM_DISC_A_SESSION]		= NLA_POLICY_NESTED(vcdrom_session_policy),
	[VCDROM_DISC_A_MEDIUM]		= NLA_POLICY_MAX(NLA_U32, __VCDROM_MEDIUM_MAX - 1),
	[VCDROM_DISC_A_MCN]		= { .type = NLA_NUL_STRING, .len = VCDROM_MCN_LEN },
	[VCDROM_DISC_A_CDTEXT]		= { .type = NLA_BINARY,
					    .len = VCDROM_CDTEXT_MAX_PACKS * VCDROM_CDTEXT_PACK },
	[VCDROM_DISC_A_FORMAT]		= { .type = NLA_NUL_STRING, .len = VCDROM_FORMAT_MAX - 1 },
	[VCDROM_DISC_A_DVD_PHYSICAL]	= { .type = NLA_BINARY, .len = 2 * VCDROM_DVD_STRUCT_LEN },
	[VCDROM_DISC_A_DVD_COPYRIGHT]	= NLA_POLICY_EXACT_LEN(VCDROM_DVD_COPYRIGHT_LEN),
	[VCDROM_DISC_A_DVD_MANUFACTURER] = NLA_POLICY_EXACT_LEN(VCDROM_DVD_STRUCT_LEN),
	[VCDROM_DISC_A_DVD_BCA]		= { .type = NLA_BINARY, .len = VCDROM_DVD_BCA_MAX },
	[VCDROM_DISC_A_SOURCE]		= { .type = NLA_NUL_STRING, .len = VCDROM_SOURCE_MAX - 1 },
};

static const struct nla_policy vcdrom_playlist_policy[VCDROM_PLAYLIST_A_MAX + 1] = {
	[VCDROM_PLAYLIST_A_DISC]	= NLA_POLICY_NESTED(vcdrom_disc_policy),
};

#define DRIVE_POLICY	NLA_POLICY_MAX(NLA_U32, VCDROM_MAX_DRIVES - 1)
#define PLAYLIST_INDEX_POLICY	NLA_POLICY_MAX(NLA_U32, VCDROM_MAX_PLAYLIST - 1)

static const struct nla_policy vcdrom_drive_add_policy[VCDROM_A_MAX + 1] = {
	[VCDROM_A_VENDOR]	= { .type = NLA_NUL_STRING, .len = VCDROM_VENDOR_MAX },
	[VCDROM_A_PRODUCT]	= { .type = NLA_NUL_STRING, .len = VCDROM_PRODUCT_MAX },
	[VCDROM_A_REVISION]	= { .type = NLA_NUL_STRING, .len = VCDROM_REVISION_MAX },
	[VCDROM_A_SERIAL]	= { .type = NLA_NUL_STRING, .len = VCDROM_SERIAL_MAX },
};

static const struct nla_policy vcdrom_drive_policy[VCDROM_A_MAX + 1] = {
	[VCDROM_A_DRIVE]	= DRIVE_POLICY,
};

static const struct nla_policy vcdrom_insert_policy[VCDROM_A_MAX + 1] = {
	[VCDROM_A_DRIVE]	= DRIVE_POLICY,
	[VCDROM_A_DISC]		= NLA_POLICY_NESTED(vcdrom_disc_policy),
	[VCDROM_A_REPLACE]	= { .type = NLA_FLAG },
	[VCDROM_A_DEVICE_FD]	= { .type = NLA_U32 },
	[VCDROM_A_PLAYLIST]	= NLA_POLICY_NESTED(vcdrom_playlist_policy),
	[VCDROM_A_PLAYLIST_INDEX] = PLAYLIST_INDEX_POLICY,
};

static const struct nla_policy vcdrom_swap_policy[VCDROM_A_MAX + 1] = {
	[VCDROM_A_DRIVE]	= DRIVE_POLICY,
	[VCDROM_A_PLAYLIST_INDEX] = PLAYLIST_INDEX_POLICY,
	[VCDROM_A_SWAP_MS]	= NLA_POLICY_MAX(NLA_U32, VCDROM_SWAP_MAX_MS),
	[VCDROM_A_FORCE]	= { .type = NLA_FLAG },
	[VCDROM_A_DEVICE_FD]	= { .type = NLA_U32 },
};

static const struct nla_policy vcdrom_eject_policy[VCDROM_A_MAX + 1] = {
	[VCDROM_A_DRIVE]	= DRIVE_POLICY,
	[VCDROM_A_FORCE]	= { .type = NLA_FLAG },
	[VCDROM_A_DEVICE_FD]	= { .type = NLA_U32 },
};

/* ---- replies ---- */

struct vcdrom_child_names {
	char block[32];
	char sg[32];
};

static int vcdrom_child_name(struct device *dev, void *data)
{
	struct vcdrom_child_names *names = data;

	if (!dev->class)
		return 0;
	if (!strcmp(dev->class->name, "block"))
		strscpy(names->block, dev_name(dev), sizeof(names->block));
	else if (!strcmp(dev->class->name, "scsi_generic"))
		strscpy(names->sg, dev_name(dev), sizeof(names->sg));
	return 0;
}

static int vcdrom_nl_put_files(struct sk_buff *skb, const struct vcdrom_disc *disc)
{
	struct nlattr *nest, *file_nest;
	unsigned int i;
	char *buf, *path;
	int ret = -EMSGSIZE;

	/* Without memory for a path, the reply still goes: its paths say "?". */
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	nest = nla_nest_start(skb, VCDROM_A_DISC);
	if (!nest || (disc->format[0] && nla_put_string(skb, VCDROM_DISC_A_FORMAT, disc->format)) ||
	    (disc->source && nla_put_string(skb, VCDROM_DISC_A_SOURCE, disc->source)))
		goto out_free;
	for (i = 0; i < disc->nr_files; i++) {
		struct file *file = disc->files[i];

		path = buf ? d_path(&file->f_path, buf, PATH_MAX) : ERR_PTR(-ENOMEM);
		if (IS_ERR(path))
			path = "?";
		file_nest = nla_nest_start(skb, VCDROM_DISC_A_FILE);
		if (!file_nest ||
		    nla_put_string(skb, VCDROM_FILE_A_PATH, path) ||
		    nla_put_u64_64bit(skb, VCDROM_FILE_A_SIZE,
				      i_size_read(file->f_mapping->host), VCDROM_FILE_A_PAD))
			goto out_free;
		nla_nest_end(skb, file_nest);
	}
	nla_nest_end(skb, nest);
	ret = 0;
out_free:
	kfree(buf);
	return ret;
}

/* The formats and sources of a playlist's discs, and which is in (or was last). */
static int vcdrom_nl_put_playlist(struct sk_buff *skb, const struct vcdrom_playlist *pl,
				  unsigned int pos)
{
	struct nlattr *nest, *disc_nest;
	unsigned int i;

	if (nla_put_u32(skb, VCDROM_A_PLAYLIST_INDEX, pos))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, VCDROM_A_PLAYLIST);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < pl->nr; i++) {
		const struct vcdrom_disc *disc = pl->discs[i];

		disc_nest = nla_nest_start(skb, VCDROM_PLAYLIST_A_DISC);
		if (!disc_nest ||
		    (disc->format[0] && nla_put_string(skb, VCDROM_DISC_A_FORMAT, disc->format)) ||
		    (disc->source && nla_put_string(skb, VCDROM_DISC_A_SOURCE, disc->source)))
			return -EMSGSIZE;
		nla_nest_end(skb, disc_nest);
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* A drive's state; its image paths and playlist too when @files. */
static int vcdrom_nl_fill_drive(struct sk_buff *skb, struct vcdrom_drive *drive,
				u32 portid, u32 seq, int flags, u8 cmd, bool files)
{
	struct scsi_device *sdev = drive->sdev;
	struct vcdrom_child_names names = { };
	struct vcdrom_playlist *pl;
	struct vcdrom_disc *disc;
	u32 state, profile, pos;
	char hctl[48];
	u64 capacity;
	bool locked;
	void *hdr;
	int ret;

	spin_lock_irq(&drive->lock);
	disc = drive->disc;
	if (disc)
		vcdrom_disc_get(disc);
	pl = drive->playlist;
	if (pl)
		vcdrom_playlist_get(pl);
	pos = pl ? pl->pos : 0;
	state = disc ? VCDROM_STATE_LOADED :
		drive->tray_open ? VCDROM_STATE_TRAY_OPEN : VCDROM_STATE_EMPTY;
	locked = drive->prevent;
	profile = vcdrom_drive_profile(drive);
	capacity = disc ? disc->sectors : 0;
	spin_unlock_irq(&drive->lock);

	device_for_each_child(&sdev->sdev_gendev, &names, vcdrom_child_name);
	snprintf(hctl, sizeof(hctl), "%u:%u:%u:%llu", sdev->host->host_no, sdev->channel,
		 sdev->id, sdev->lun);

	ret = -EMSGSIZE;
	hdr = genlmsg_put(skb, portid, seq, &vcdrom_family, flags, cmd);
	if (!hdr)
		goto out_put;
	if (nla_put_u32(skb, VCDROM_A_DRIVE, drive->id) ||
	    nla_put_string(skb, VCDROM_A_HCTL, hctl) ||
	    (names.block[0] && nla_put_string(skb, VCDROM_A_BLOCK_DEV, names.block)) ||
	    (names.sg[0] && nla_put_string(skb, VCDROM_A_SG_DEV, names.sg)) ||
	    nla_put_u32(skb, VCDROM_A_STATE, state) ||
	    nla_put_u8(skb, VCDROM_A_LOCKED, locked) ||
	    nla_put_u32(skb, VCDROM_A_PROFILE, profile) ||
	    nla_put_u64_64bit(skb, VCDROM_A_CAPACITY, capacity, VCDROM_A_PAD) ||
	    nla_put_string(skb, VCDROM_A_VENDOR, drive->vendor) ||
	    nla_put_string(skb, VCDROM_A_PRODUCT, drive->product) ||
	    nla_put_string(skb, VCDROM_A_REVISION, drive->revision) ||
	    nla_put_string(skb, VCDROM_A_SERIAL, drive->serial))
		goto out_cancel;
	if (disc && files) {
		ret = vcdrom_nl_put_files(skb, disc);
		if (ret)
			goto out_cancel;
	}
	ret = -EMSGSIZE;
	if (pl && files && vcdrom_nl_put_playlist(skb, pl, pos))
		goto out_cancel;
	genlmsg_end(skb, hdr);
	vcdrom_disc_put(disc);
	vcdrom_playlist_put(pl);
	return 0;

out_cancel:
	genlmsg_cancel(skb, hdr);
out_put:
	vcdrom_disc_put(disc);
	vcdrom_playlist_put(pl);
	return ret;
}

/* Room for a playlist's formats and sources. */
static size_t vcdrom_nl_playlist_size(const struct vcdrom_playlist *pl)
{
	size_t size;
	unsigned int i;

	if (!pl)
		return 0;
	size = nla_total_size(sizeof(u32)) + nla_total_size(0);
	for (i = 0; i < pl->nr; i++) {
		const char *source = pl->discs[i]->source;

		size += nla_total_size(0) + nla_total_size(VCDROM_FORMAT_MAX) +
			(source ? nla_total_size(strlen(source) + 1) : 0);
	}
	return size;
}

/* Room for a drive's state with @nr_files image paths and a source, and @pl. */
static size_t vcdrom_nl_drive_size(unsigned int nr_files, const struct vcdrom_playlist *pl)
{
	return NLMSG_GOODSIZE + nla_total_size(VCDROM_SOURCE_MAX) +
	       nr_files * (nla_total_size(0) + nla_total_size(PATH_MAX) +
			   nla_total_size_64bit(sizeof(u64))) +
	       vcdrom_nl_playlist_size(pl);
}

/* Answer a request with the drive's state. */
static int vcdrom_nl_reply_drive(struct genl_info *info, struct vcdrom_drive *drive)
{
	struct vcdrom_playlist *pl;
	unsigned int nr_files;
	struct sk_buff *skb;
	size_t size;
	int ret;

	int tries = 3;

	/* Without vcdrom_ctl_lock, a disc of more files may come in meanwhile: size again. */
	do {
		spin_lock_irq(&drive->lock);
		nr_files = drive->disc ? drive->disc->nr_files : 0;
		pl = drive->playlist;
		if (pl)
			vcdrom_playlist_get(pl);
		spin_unlock_irq(&drive->lock);
		size = vcdrom_nl_drive_size(nr_files, pl);
		vcdrom_playlist_put(pl);
		skb = genlmsg_new(size, GFP_KERNEL);
		if (!skb)
			return -ENOMEM;
		ret = vcdrom_nl_fill_drive(skb, drive, info->snd_portid, info->snd_seq, 0,
					   info->genlhdr->cmd, true);
		if (!ret)
			return genlmsg_reply(skb, info);
		nlmsg_free(skb);
	} while (ret == -EMSGSIZE && --tries);
	return ret;
}

/*
 * Answer a change that is made, in @skb allocated before it: a reply that
 * cannot be filled or sent now does not make the change a failure.
 */
static void vcdrom_nl_reply_changed(struct genl_info *info, struct sk_buff *skb,
				    struct vcdrom_drive *drive)
{
	if (vcdrom_nl_fill_drive(skb, drive, info->snd_portid, info->snd_seq, 0,
				 info->genlhdr->cmd, true)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_reply(skb, info);
}

/*
 * Whether the family is registered: events of drives made at load, before
 * it is, and of the last moments before it goes are not sent. Read under
 * SRCU (an event may be sent with GFP_KERNEL, or from queuecommand), so
 * that no event is being sent once vcdrom_nl_exit() has cleared it.
 */
static bool vcdrom_nl_live;
DEFINE_STATIC_SRCU(vcdrom_nl_srcu);

void vcdrom_nl_event(unsigned int drive_id, enum vcdrom_event event, int cause, gfp_t gfp)
{
	struct sk_buff *skb;
	void *hdr;
	int idx;

	if (!READ_ONCE(vcdrom_nl_live))
		return;
	skb = genlmsg_new(3 * nla_total_size(sizeof(u32)), gfp);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &vcdrom_family, 0, VCDROM_CMD_EVENT);
	if (!hdr ||
	    nla_put_u32(skb, VCDROM_A_EVENT, event) ||
	    nla_put_u32(skb, VCDROM_A_DRIVE, drive_id) ||
	    (cause >= 0 && nla_put_u32(skb, VCDROM_A_EJECT_CAUSE, cause))) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	idx = srcu_read_lock(&vcdrom_nl_srcu);
	if (READ_ONCE(vcdrom_nl_live))
		genlmsg_multicast(&vcdrom_family, skb, 0, 0, gfp);
	else
		nlmsg_free(skb);
	srcu_read_unlock(&vcdrom_nl_srcu, idx);
}

/* ---- handlers ---- */

/*
 * Permissions. Adding and removing drives, and forcing an eject past the
 * host's lock, need CAP_SYS_ADMIN. Inserting and ejecting need CAP_SYS_ADMIN
 * or VCDROM_A_DEVICE_FD: an fd of that drive's /dev/srN or /dev/sgN opened
 * for writing, which udev lets the cdrom group and the seat's user open.
 * Image files come as fds the caller opened for reading (disc.c), so no
 * request makes the kernel read what its sender could not.
 */
static int vcdrom_nl_need_admin(struct sk_buff *skb, struct genl_info *info)
{
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	NL_SET_ERR_MSG(info->extack, "adding and removing drives needs CAP_SYS_ADMIN");
	return -EPERM;
}

/* Before any work: INSERT or EJECT from a sender without CAP_SYS_ADMIN needs a device fd. */
static int vcdrom_nl_need_admin_or_fd(struct sk_buff *skb, struct genl_info *info)
{
	if (info->attrs[VCDROM_A_DEVICE_FD] || netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	NL_SET_ERR_MSG(info->extack,
		       "changing drives needs CAP_SYS_ADMIN or an fd of the drive opened for writing");
	return -EPERM;
}

/* FORCE (@verb: EJECT or SWAP past the host's lock) needs CAP_SYS_ADMIN. */
static int vcdrom_nl_check_force(struct sk_buff *skb, struct genl_info *info, const char *verb)
{
	struct nlattr *attr = info->attrs[VCDROM_A_FORCE];

	if (!nla_get_flag(attr) || netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	NL_SET_ERR_MSG_ATTR_FMT(info->extack, attr, "a forced %s needs CAP_SYS_ADMIN", verb);
	return -EPERM;
}

/* A child device of a SCSI device: its sr disk (block) or its sg node, by number. */
static int vcdrom_nl_is_node(struct device *dev, void *data)
{
	dev_t devt = *(dev_t *)data;

	if (!dev->class || dev->devt != devt)
		return 0;
	return !strcmp(dev->class->name, "block") || !strcmp(dev->class->name, "scsi_generic");
}

/*
 * The drive whose /dev/srN or /dev/sgN @file is open on, or NULL. By device
 * number, among the devices sr and sg have now: a number stays taken while
 * a file is open on it (sr frees a disk's minor with the disk, sg an index
 * with its last open file), so a file of a removed drive matches no other.
 */
static struct vcdrom_drive *vcdrom_nl_file_drive(struct file *file)
{
	struct inode *inode = file_inode(file);
	struct vcdrom_drive *drive;
	unsigned long id = 0;
	dev_t devt;

	if (S_ISBLK(inode->i_mode) ? imajor(inode) != SCSI_CDROM_MAJOR :
	    !S_ISCHR(inode->i_mode) || imajor(inode) != SCSI_GENERIC_MAJOR)
		return NULL;
	devt = inode->i_rdev;
	for (; (drive = vcdrom_drive_next(&id)); id++)
		if (device_for_each_child(&drive->sdev->sdev_gendev, &devt, vcdrom_nl_is_node))
			return drive;
	return NULL;
}

/*
 * With vcdrom_ctl_lock held, after the lookup of @drive (so that it cannot go
 * away meanwhile): whether VCDROM_A_DEVICE_FD, when given, is an fd of
 * @drive opened for writing. Checked even for CAP_SYS_ADMIN: an fd given
 * must be right. The reference is held only for the check.
 */
static int vcdrom_nl_check_device_fd(struct genl_info *info, struct vcdrom_drive *drive)
{
	struct nlattr *attr = info->attrs[VCDROM_A_DEVICE_FD];
	struct vcdrom_drive *owner;
	struct file *file;
	u32 fd;
	int ret = -EPERM;

	if (!attr)
		return 0;
	fd = nla_get_u32(attr);
	file = fget(fd);
	if (!file) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, attr, "fd %u is not open", fd);
		return -EBADF;
	}
	owner = vcdrom_nl_file_drive(file);
	if (!owner)
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, attr, "fd %u is not a vcdrom drive", fd);
	else if (owner != drive)
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, attr, "fd %u is drive %u, not drive %u",
					fd, owner->id, drive->id);
	else if (!(file->f_mode & FMODE_WRITE))
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, attr, "fd %u is not open for writing", fd);
	else
		ret = 0;
	fput(file);
	return ret;
}

/* Whether the required attribute @type is there; if not, say which is missing. */
static bool vcdrom_nl_missing(struct genl_info *info, int type, const char *name)
{
	if (info->attrs[type])
		return false;
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, type);
	NL_SET_ERR_MSG_FMT(info->extack, "missing attribute: %s", name);
	return true;
}

/* With vcdrom_ctl_lock held: the drive VCDROM_A_DRIVE names, or NULL and a message. */
static struct vcdrom_drive *vcdrom_nl_drive(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[VCDROM_A_DRIVE];
	struct vcdrom_drive *drive = vcdrom_drive_find(nla_get_u32(attr));

	if (!drive)
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, attr, "no drive %u", nla_get_u32(attr));
	return drive;
}

/*
 * Take vcdrom_ctl_lock and look up the drive VCDROM_A_DRIVE names, checked
 * against VCDROM_A_DEVICE_FD: 0 with the lock held and *@drivep set, or an
 * error (the message said) with the lock not held.
 */
static int vcdrom_nl_lock_drive(struct genl_info *info, struct vcdrom_drive **drivep)
{
	struct vcdrom_drive *drive;
	int ret;

	ret = vcdrom_ctl_lock_killable();
	if (ret)
		return ret;
	drive = vcdrom_nl_drive(info);
	ret = drive ? vcdrom_nl_check_device_fd(info, drive) : -ENODEV;
	if (ret) {
		vcdrom_ctl_unlock();
		return ret;
	}
	*drivep = drive;
	return 0;
}

static int vcdrom_nl_features(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vcdrom_family, 0, VCDROM_CMD_FEATURES);
	if (!hdr ||
	    nla_put_u64_64bit(msg, VCDROM_A_FEATURES, VCDROM_FEATURES_ALL, VCDROM_A_PAD) ||
	    nla_put_u32(msg, VCDROM_A_MAX_DRIVES, VCDROM_MAX_DRIVES)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* SCSI identity strings are printable ASCII (SPC-3 4.4.1). */
static int vcdrom_nl_check_ident(struct genl_info *info, int type, const char **out)
{
	struct nlattr *attr = info->attrs[type];
	const char *s;

	*out = NULL;
	if (!attr)
		return 0;
	s = nla_data(attr);
	if (!*s) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "empty identity string");
		return -EINVAL;
	}
	for (; *s; s++) {
		if (*s < 0x20 || *s > 0x7e) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "identity strings must be printable ASCII");
			return -EINVAL;
		}
	}
	*out = nla_data(attr);
	return 0;
}

static int vcdrom_nl_drive_add(struct sk_buff *skb, struct genl_info *info)
{
	struct vcdrom_identity ident;
	struct vcdrom_drive *drive;
	struct sk_buff *reply;
	int ret;

	ret = vcdrom_nl_check_ident(info, VCDROM_A_VENDOR, &ident.vendor) ?:
	      vcdrom_nl_check_ident(info, VCDROM_A_PRODUCT, &ident.product) ?:
	      vcdrom_nl_check_ident(info, VCDROM_A_REVISION, &ident.revision) ?:
	      vcdrom_nl_check_ident(info, VCDROM_A_SERIAL, &ident.serial) ?:
	      vcdrom_nl_need_admin(skb, info);
	if (ret)
		return ret;
	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;

	ret = vcdrom_ctl_lock_killable();
	if (ret)
		goto out_free;
	ret = vcdrom_drive_add(&ident, &drive);
	if (ret == -ENOSPC) {
		NL_SET_ERR_MSG_FMT(info->extack, "all %u drives exist", VCDROM_MAX_DRIVES);
	} else if (ret && !module_is_live(THIS_MODULE)) {
		/* rmmod marks us going before our exit unregisters the family: the scan fails */
		NL_SET_ERR_MSG(info->extack, "the vcdrom module is being unloaded");
	} else if (ret) {
		NL_SET_ERR_MSG(info->extack, "cannot create the drive");
	} else {
		vcdrom_nl_reply_changed(info, reply, drive);
		reply = NULL;
	}
	vcdrom_ctl_unlock();
out_free:
	nlmsg_free(reply);
	return ret;
}

static int vcdrom_nl_drive_del(struct sk_buff *skb, struct genl_info *info)
{
	struct vcdrom_drive *drive;
	int ret;

	if (vcdrom_nl_missing(info, VCDROM_A_DRIVE, "drive"))
		return -EINVAL;
	ret = vcdrom_nl_need_admin(skb, info);
	if (ret)
		return ret;

	ret = vcdrom_ctl_lock_killable();
	if (ret)
		return ret;
	drive = vcdrom_nl_drive(info);
	if (!drive) {
		ret = -ENODEV;
		goto out_unlock;
	}
	ret = vcdrom_drive_del(drive);
	if (ret)
		NL_SET_ERR_MSG_FMT(info->extack, "drive %u is locked by the host (in use)",
				   nla_get_u32(info->attrs[VCDROM_A_DRIVE]));
out_unlock:
	vcdrom_ctl_unlock();
	return ret;
}

static int vcdrom_nl_drive_get(struct sk_buff *skb, struct genl_info *info)
{
	struct vcdrom_drive *drive;
	struct nlattr *attr;
	int ret;

	if (vcdrom_nl_missing(info, VCDROM_A_DRIVE, "drive"))
		return -EINVAL;
	attr = info->attrs[VCDROM_A_DRIVE];
	drive = vcdrom_drive_get(nla_get_u32(attr));
	if (!drive) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, attr, "no drive %u", nla_get_u32(attr));
		return -ENODEV;
	}
	ret = vcdrom_nl_reply_drive(info, drive);
	vcdrom_drive_put(drive);
	return ret;
}

static int vcdrom_nl_drive_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned long id = cb->args[0];
	struct vcdrom_drive *drive;
	int ret = 0;

	for (; (drive = vcdrom_drive_get_next(&id)); id++) {
		ret = vcdrom_nl_fill_drive(skb, drive, NETLINK_CB(cb->skb).portid,
					   cb->nlh->nlmsg_seq, NLM_F_MULTI,
					   VCDROM_CMD_DRIVE_GET, true);
		/* Paths that fill more than a message: listed without them (DRIVE_GET has them). */
		if (ret == -EMSGSIZE && !skb->len)
			ret = vcdrom_nl_fill_drive(skb, drive, NETLINK_CB(cb->skb).portid,
						   cb->nlh->nlmsg_seq, NLM_F_MULTI,
						   VCDROM_CMD_DRIVE_GET, false);
		vcdrom_drive_put(drive);
		if (ret)
			break;
	}
	cb->args[0] = id;
	/* A full skb ends this part of the dump; the rest comes in the next. */
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret ?: skb->len;
}

/* The disc INSERT brings, or the playlist and its first disc: referenced for the caller. */
static int vcdrom_nl_insert_build(struct genl_info *info, struct vcdrom_disc **discp,
				  struct vcdrom_playlist **plp)
{
	struct nlattr *index = info->attrs[VCDROM_A_PLAYLIST_INDEX];
	struct nlattr *list = info->attrs[VCDROM_A_PLAYLIST];
	struct vcdrom_playlist *pl;
	struct vcdrom_disc *disc;

	*plp = NULL;
	if (!list == !info->attrs[VCDROM_A_DISC]) {
		NL_SET_ERR_MSG(info->extack, "give a disc or a playlist, one of them");
		return -EINVAL;
	}
	if (index && !list) {
		NL_SET_ERR_MSG_ATTR(info->extack, index, "a disc index needs a playlist");
		return -EINVAL;
	}
	if (!list) {
		disc = vcdrom_disc_build(info->attrs[VCDROM_A_DISC], info->extack);
		if (IS_ERR(disc))
			return PTR_ERR(disc);
		*discp = disc;
		return 0;
	}
	pl = vcdrom_playlist_build(list, index ? nla_get_u32(index) : 0, info->extack);
	if (IS_ERR(pl))
		return PTR_ERR(pl);
	*discp = pl->discs[pl->pos];
	vcdrom_disc_get(*discp);
	*plp = pl;
	return 0;
}

static int vcdrom_nl_insert(struct sk_buff *skb, struct genl_info *info)
{
	struct vcdrom_playlist *pl;
	struct vcdrom_drive *drive;
	struct vcdrom_disc *disc;
	struct sk_buff *reply;
	unsigned int nr_files;
	int ret;

	if (vcdrom_nl_missing(info, VCDROM_A_DRIVE, "drive"))
		return -EINVAL;
	ret = vcdrom_nl_need_admin_or_fd(skb, info) ?:
	      vcdrom_nl_insert_build(info, &disc, &pl);
	if (ret)
		return ret;
	nr_files = disc->nr_files;
	reply = genlmsg_new(vcdrom_nl_drive_size(nr_files, pl), GFP_KERNEL);
	if (!reply) {
		vcdrom_disc_put(disc);
		vcdrom_playlist_put(pl);
		return -ENOMEM;
	}

	ret = vcdrom_nl_lock_drive(info, &drive);
	if (ret)
		goto out_put;
	ret = vcdrom_drive_insert(drive, disc, pl, nla_get_flag(info->attrs[VCDROM_A_REPLACE]),
				  info->extack);
	if (ret)
		goto out_unlock;
	disc = NULL;		/* the drive holds them now */
	pl = NULL;
	vcdrom_nl_reply_changed(info, reply, drive);
	reply = NULL;
out_unlock:
	vcdrom_ctl_unlock();
out_put:
	vcdrom_disc_put(disc);
	vcdrom_playlist_put(pl);
	nlmsg_free(reply);
	return ret;
}

static int vcdrom_nl_eject(struct sk_buff *skb, struct genl_info *info)
{
	bool force = nla_get_flag(info->attrs[VCDROM_A_FORCE]);
	struct vcdrom_drive *drive;
	int ret;

	if (vcdrom_nl_missing(info, VCDROM_A_DRIVE, "drive"))
		return -EINVAL;
	ret = vcdrom_nl_need_admin_or_fd(skb, info) ?: vcdrom_nl_check_force(skb, info, "eject");
	if (ret)
		return ret;

	ret = vcdrom_nl_lock_drive(info, &drive);
	if (ret)
		return ret;
	ret = vcdrom_drive_eject(drive, force, info->extack);
	vcdrom_ctl_unlock();
	return ret;
}

static int vcdrom_nl_swap(struct sk_buff *skb, struct genl_info *info)
{
	bool force = nla_get_flag(info->attrs[VCDROM_A_FORCE]);
	struct nlattr *ms = info->attrs[VCDROM_A_SWAP_MS];
	struct vcdrom_playlist *pl;
	struct vcdrom_drive *drive;
	struct sk_buff *reply = NULL;
	unsigned int i, nr_files = 0;
	int ret;

	if (vcdrom_nl_missing(info, VCDROM_A_DRIVE, "drive") ||
	    vcdrom_nl_missing(info, VCDROM_A_PLAYLIST_INDEX, "playlist-index"))
		return -EINVAL;
	ret = vcdrom_nl_need_admin_or_fd(skb, info) ?: vcdrom_nl_check_force(skb, info, "swap");
	if (ret)
		return ret;

	ret = vcdrom_nl_lock_drive(info, &drive);
	if (ret)
		return ret;
	/* The playlist stays while we hold vcdrom_ctl_lock: room for the reply first. */
	pl = drive->playlist;
	for (i = 0; pl && i < pl->nr; i++)
		nr_files = max(nr_files, pl->discs[i]->nr_files);
	reply = genlmsg_new(vcdrom_nl_drive_size(nr_files, pl), GFP_KERNEL);
	if (!reply) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	ret = vcdrom_drive_swap(drive, nla_get_u32(info->attrs[VCDROM_A_PLAYLIST_INDEX]),
				ms ? nla_get_u32(ms) : 0, force, info->extack);
	if (ret)
		goto out_unlock;
	vcdrom_nl_reply_changed(info, reply, drive);
	reply = NULL;
out_unlock:
	vcdrom_ctl_unlock();
	nlmsg_free(reply);
	return ret;
}

static const struct genl_ops vcdrom_nl_ops[] = {
	{
		.cmd = VCDROM_CMD_FEATURES,
		.doit = vcdrom_nl_features,
	},
	{
		.cmd = VCDROM_CMD_DRIVE_ADD,
		.doit = vcdrom_nl_drive_add,
		.policy = vcdrom_drive_add_policy,
		.maxattr = VCDROM_A_MAX,
	},
	{
		.cmd = VCDROM_CMD_DRIVE_DEL,
		.doit = vcdrom_nl_drive_del,
		.policy = vcdrom_drive_policy,
		.maxattr = VCDROM_A_MAX,
	},
	{
		.cmd = VCDROM_CMD_DRIVE_GET,
		.doit = vcdrom_nl_drive_get,
		.dumpit = vcdrom_nl_drive_dump,
		.policy = vcdrom_drive_policy,
		.maxattr = VCDROM_A_MAX,
	},
	{
		.cmd = VCDROM_CMD_INSERT,
		.doit = vcdrom_nl_insert,
		.policy = vcdrom_insert_policy,
		.maxattr = VCDROM_A_MAX,
	},
	{
		.cmd = VCDROM_CMD_EJECT,
		.doit = vcdrom_nl_eject,
		.policy = vcdrom_eject_policy,
		.maxattr = VCDROM_A_MAX,
	},
	{
		.cmd = VCDROM_CMD_SWAP,
		.doit = vcdrom_nl_swap,
		.policy = vcdrom_swap_policy,
		.maxattr = VCDROM_A_MAX,
	},
};

static const struct genl_multicast_group vcdrom_nl_mcgrps[] = {
	{ .name = VCDROM_GENL_MCGRP_EVENTS },
};

static struct genl_family vcdrom_family __ro_after_init = {
	.name		= VCDROM_GENL_NAME,
	.version	= VCDROM_GENL_VERSION,
	.module		= THIS_MODULE,
	.parallel_ops	= true,
	.resv_start_op	= 0,		/* strict validation for every command */
	.ops		= vcdrom_nl_ops,
	.n_ops		= ARRAY_SIZE(vcdrom_nl_ops),
	.mcgrps		= vcdrom_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(vcdrom_nl_mcgrps),
};

/* Last in (main.c): the host and the drives made at load exist already. */
int __init vcdrom_nl_init(void)
{
	int ret;

	ret = genl_register_family(&vcdrom_family);
	if (!ret)
		WRITE_ONCE(vcdrom_nl_live, true);
	return ret;
}

/* First out: no event is being sent, and no request is being handled, after this. */
void vcdrom_nl_exit(void)
{
	WRITE_ONCE(vcdrom_nl_live, false);
	synchronize_srcu(&vcdrom_nl_srcu);
	genl_unregister_family(&vcdrom_family);
}
