// SPDX-License-Identifier: GPL-2.0
/*
 * vcdrom: the drive table and each drive's media state machine.
 *
 * Lock order: vcdrom_ctl_lock (mutex), then a drive's lock (spinlock).
 * Commands take only the drive lock; control verbs (netlink, load, unload)
 * take the mutex for their whole run, killably from netlink: only a holder
 * of the mutex deletes drives, so a drive it looked up stays. Adding and
 * deleting a drive wait for the SCSI midlayer, and deleting waits for the
 * drive's reads, which may wait on a backing store that stops answering.
 * So queries (DRIVE_GET, the dump) never take the mutex: they find a drive
 * under RCU and take a reference on it (vcdrom_drive_get), which keeps its
 * memory and its scsi_device; the last put frees it after a grace period.
 *
 * Lifetime: a drive's target id is reserved in vcdrom_drives before its SCSI
 * device is added, and the entry is published before scsi_add_device() so
 * the scan's sdev_init finds it. Deletion unpublishes the entry, removes the
 * SCSI device (after which no command reaches the drive), and only then
 * frees it. We hold a device reference on the scsi_device, never a module
 * one (that would pin our own module): whoever opens a drive (sr, sg: via
 * scsi_device_get) holds the module, so rmmod fails with EBUSY while any
 * drive is open, and module exit deletes drives nobody holds. A medium
 * (struct vcdrom_disc, disc.c) is referenced by its drive and by each read
 * in flight (io.c). mmc_audio.c's play state lives under the drive lock.
 *
 * The media state machine lives here: every transition of a drive's medium
 * (insert and replace, eject by the tool or forced, eject and tray close by
 * the host, its lock) is a function below, made under the drive lock; the
 * per-medium state (unit attentions, GESN event, audio play) is reset in one
 * place (vcdrom_medium_reset). Each transition fills a struct vcdrom_change,
 * and vcdrom_drive_announce() announces it after the lock is dropped, the
 * same way whoever asked: uevent (SDEV_EVT_MEDIA_CHANGE) and netlink event.
 * The unit attention and GESN event are set with the change itself.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <net/netlink.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_host.h>

#include "vcdrom.h"

/* Serialises control verbs: adding, deleting, inserting, ejecting, reporting. */
static DEFINE_MUTEX(vcdrom_ctl_mutex);
/*
 * Drives by target id; written under vcdrom_ctl_mutex. Readers: control
 * verbs under the mutex, and sdev_init under the host's scan_mutex, which
 * scsi_remove_device() also takes: a drive is erased before its device goes,
 * so no scan can find it once deletion starts.
 */
static DEFINE_XARRAY_ALLOC(vcdrom_drives);
static struct Scsi_Host *vcdrom_host;

static const vcdrom_sense_t vcdrom_ua_sense[VCDROM_UA_NR] = {
	[VCDROM_UA_MEDIUM_REMOVED] = SENSE_MEDIUM_REMOVED,
	[VCDROM_UA_MEDIUM_CHANGED] = SENSE_MEDIUM_MAY_HAVE_CHANGED,
};

void vcdrom_ctl_lock(void)
{
	mutex_lock(&vcdrom_ctl_mutex);
}

/* For netlink verbs: a caller stuck behind a verb that waits on I/O can be killed. */
int vcdrom_ctl_lock_killable(void)
{
	return mutex_lock_killable(&vcdrom_ctl_mutex);
}

void vcdrom_ctl_unlock(void)
{
	mutex_unlock(&vcdrom_ctl_mutex);
}

struct vcdrom_drive *vcdrom_drive_lookup(unsigned int id)
{
	return xa_load(&vcdrom_drives, id);
}

struct vcdrom_drive *vcdrom_drive_find(unsigned int id)
{
	lockdep_assert_held(&vcdrom_ctl_mutex);
	return xa_load(&vcdrom_drives, id);
}

/* A drive that is added (its sdev set) and not yet freed: take a reference. */
static struct vcdrom_drive *vcdrom_drive_tryget(struct vcdrom_drive *drive)
{
	/* Acquire: pairs with the release in vcdrom_drive_add(), the drive is set up. */
	if (!drive || !smp_load_acquire(&drive->sdev) || !kref_get_unless_zero(&drive->ref))
		return NULL;
	return drive;
}

/* For queries, without the mutex: a reference on the drive at @id, or NULL. */
struct vcdrom_drive *vcdrom_drive_get(unsigned int id)
{
	struct vcdrom_drive *drive;

	rcu_read_lock();
	drive = vcdrom_drive_tryget(xa_load(&vcdrom_drives, id));
	rcu_read_unlock();
	return drive;
}

/* For queries: a reference on the drive at *@id or the next one; @id is updated. */
struct vcdrom_drive *vcdrom_drive_get_next(unsigned long *id)
{
	struct vcdrom_drive *drive, *got = NULL;

	rcu_read_lock();
	for (; (drive = xa_find(&vcdrom_drives, id, VCDROM_MAX_DRIVES - 1, XA_PRESENT)); (*id)++) {
		got = vcdrom_drive_tryget(drive);
		if (got)
			break;
	}
	rcu_read_unlock();
	return got;
}

static void vcdrom_drive_release(struct kref *ref)
{
	struct vcdrom_drive *drive = container_of(ref, struct vcdrom_drive, ref);

	put_device(&drive->sdev->sdev_gendev);
	kfree_rcu(drive, rcu);
}

void vcdrom_drive_put(struct vcdrom_drive *drive)
{
	if (drive)
		kref_put(&drive->ref, vcdrom_drive_release);
}

/* The drive at @id or the next one after it; @id is updated. */
struct vcdrom_drive *vcdrom_drive_next(unsigned long *id)
{
	lockdep_assert_held(&vcdrom_ctl_mutex);
	return xa_find(&vcdrom_drives, id, VCDROM_MAX_DRIVES - 1, XA_PRESENT);
}

void vcdrom_drive_set_ua(struct vcdrom_drive *drive, enum vcdrom_ua ua)
{
	lockdep_assert_held(&drive->lock);
	__set_bit(ua, &drive->ua);
}

/* Report and clear the highest-priority pending unit attention, if any. */
vcdrom_sense_t vcdrom_drive_take_ua(struct vcdrom_drive *drive)
{
	unsigned int ua;

	lockdep_assert_held(&drive->lock);
	ua = find_first_bit(&drive->ua, VCDROM_UA_NR);
	if (ua >= VCDROM_UA_NR)
		return SENSE_GOOD;
	__clear_bit(ua, &drive->ua);
	return vcdrom_ua_sense[ua];
}

/* GOOD with a medium; otherwise NOT READY, saying whether the tray is open. */
vcdrom_sense_t vcdrom_drive_not_ready(struct vcdrom_drive *drive)
{
	lockdep_assert_held(&drive->lock);
	if (drive->disc)
		return SENSE_GOOD;
	return drive->tray_open ? SENSE_NO_MEDIUM_TRAY_OPEN : SENSE_NO_MEDIUM_TRAY_CLOSED;
}

u16 vcdrom_drive_profile(struct vcdrom_drive *drive)
{
	lockdep_assert_held(&drive->lock);
	return drive->disc ? drive->disc->profile : VCDROM_PROFILE_NONE;
}

/*
 * A medium left (@ua VCDROM_UA_MEDIUM_REMOVED) or came (MEDIUM_CHANGED): the
 * per-medium state starts afresh, here only. No audio play; the host is told
 * by a unit attention and a GESN media event (@event). A change the host has
 * not seen yet is moot once the medium is gone: only the removal is.
 */
static void vcdrom_medium_changed(struct vcdrom_drive *drive, enum vcdrom_ua ua, u8 event)
{
	lockdep_assert_held(&drive->lock);
	vcdrom_audio_reset(drive);
	if (ua == VCDROM_UA_MEDIUM_REMOVED)
		__clear_bit(VCDROM_UA_MEDIUM_CHANGED, &drive->ua);
	vcdrom_drive_set_ua(drive, ua);
	drive->media_event = event;
}

/* Open the tray; a medium in it is taken out, for @chg's owner to put. */
static void vcdrom_medium_out(struct vcdrom_drive *drive, int cause, struct vcdrom_change *chg)
{
	lockdep_assert_held(&drive->lock);
	drive->tray_open = true;
	if (!drive->disc) {
		vcdrom_audio_reset(drive);
		return;
	}
	chg->removed = drive->disc;
	chg->cause = cause;
	drive->disc = NULL;
	vcdrom_medium_changed(drive, VCDROM_UA_MEDIUM_REMOVED, VCDROM_ME_MEDIA_REMOVAL);
}

/* Load @disc with the tray closed; a medium in the drive is swapped out, one change. */
static void vcdrom_medium_in(struct vcdrom_drive *drive, struct vcdrom_disc *disc,
			     struct vcdrom_change *chg)
{
	lockdep_assert_held(&drive->lock);
	if (drive->disc) {
		chg->removed = drive->disc;
		chg->cause = VCDROM_EJECT_REPLACED;
	}
	drive->disc = disc;
	drive->tray_open = false;
	vcdrom_medium_changed(drive, VCDROM_UA_MEDIUM_CHANGED, VCDROM_ME_NEW_MEDIA);
	chg->inserted = true;
}

/*
 * After the drive lock is dropped: put what a change took out and announce
 * it, the same way whoever made it: a uevent (SDEV_EVT_MEDIA_CHANGE: the
 * kernel and udev look now rather than at the next poll) and netlink
 * events. @gfp: GFP_ATOMIC from queuecommand.
 */
void vcdrom_drive_announce(struct vcdrom_drive *drive, struct vcdrom_change *chg, gfp_t gfp)
{
	if (!vcdrom_change_made(chg))
		return;
	vcdrom_disc_put(chg->removed);
	sdev_evt_send_simple(drive->sdev, SDEV_EVT_MEDIA_CHANGE, gfp);
	if (chg->removed)
		vcdrom_nl_event(drive->id, VCDROM_EVENT_MEDIUM_EJECTED, chg->cause, gfp);
	if (chg->inserted)
		vcdrom_nl_event(drive->id, VCDROM_EVENT_MEDIUM_INSERTED, -1, gfp);
	if (chg->eject_requested)
		vcdrom_nl_event(drive->id, VCDROM_EVENT_EJECT_REQUESTED, -1, gfp);
	chg->removed = NULL;
}

/* START STOP UNIT with LoEj and not Start, from the host: unless it locked the medium in. */
vcdrom_sense_t vcdrom_drive_host_eject(struct vcdrom_drive *drive, struct vcdrom_change *chg)
{
	lockdep_assert_held(&drive->lock);
	if (drive->prevent)
		return SENSE_REMOVAL_PREVENTED;
	if (drive->disc && drive->playlist)
		drive->playlist->next = (drive->playlist->pos + 1) % drive->playlist->nr;
	vcdrom_medium_out(drive, VCDROM_EJECT_HOST, chg);
	return SENSE_GOOD;
}

/* Load disc @index of the drive's playlist: the tray closes on it. */
static void vcdrom_playlist_load(struct vcdrom_drive *drive, unsigned int index,
				 struct vcdrom_change *chg)
{
	struct vcdrom_playlist *pl = drive->playlist;

	lockdep_assert_held(&drive->lock);
	pl->pos = index;
	vcdrom_disc_get(pl->discs[index]);
	vcdrom_medium_in(drive, pl->discs[index], chg);
}

/*
 * START STOP UNIT with LoEj and Start: close the tray. An empty drive stays
 * empty, unless it has a playlist: then the next disc of it goes in, as a
 * person changing discs would do.
 */
void vcdrom_drive_host_load(struct vcdrom_drive *drive, struct vcdrom_change *chg)
{
	lockdep_assert_held(&drive->lock);
	if (!drive->disc && drive->playlist) {
		vcdrom_playlist_load(drive, drive->playlist->next, chg);
		wake_up(&drive->swap_wait);
		return;
	}
	drive->tray_open = false;
}

/* PREVENT ALLOW MEDIUM REMOVAL: the host locks the medium in, or lets it go. */
void vcdrom_drive_set_prevent(struct vcdrom_drive *drive, bool prevent)
{
	lockdep_assert_held(&drive->lock);
	drive->prevent = prevent;
}

/* Refuse a disc, or a disc of @pl, that @drive would read through itself. */
static int vcdrom_drive_check_sources(struct vcdrom_drive *drive, struct vcdrom_disc *disc,
				      struct vcdrom_playlist *pl, struct netlink_ext_ack *extack)
{
	unsigned int i;
	int ret;

	if (!pl)
		return vcdrom_disc_check_source(disc, drive->sdev, extack);
	for (i = 0; i < pl->nr; i++) {
		ret = vcdrom_disc_check_source(pl->discs[i], drive->sdev, extack);
		if (ret) {
			vcdrom_extack_prefix(extack, "playlist disc", i + 1);
			return ret;
		}
	}
	return 0;
}

/*
 * Insert @disc, taking over the caller's reference to it, and @pl (NULL, or
 * the playlist @disc is the current disc of), which replaces any playlist.
 */
int vcdrom_drive_insert(struct vcdrom_drive *drive, struct vcdrom_disc *disc,
			struct vcdrom_playlist *pl, bool replace, struct netlink_ext_ack *extack)
{
	struct vcdrom_change chg = {};
	struct vcdrom_playlist *old;
	int ret;

	lockdep_assert_held(&vcdrom_ctl_mutex);
	ret = vcdrom_drive_check_sources(drive, disc, pl, extack);
	if (ret)
		return ret;
	ret = vcdrom_io_start_drive(drive);
	if (ret) {
		NL_SET_ERR_MSG_FMT(extack, "drive %u: cannot start its reader threads (%d)",
				   drive->id, ret);
		return ret;
	}
	spin_lock_irq(&drive->lock);
	if (drive->disc && !replace) {
		spin_unlock_irq(&drive->lock);
		NL_SET_ERR_MSG_FMT(extack, "drive %u already holds a medium; use replace",
				   drive->id);
		return -EBUSY;
	}
	if (drive->disc && drive->prevent) {
		spin_unlock_irq(&drive->lock);
		NL_SET_ERR_MSG_FMT(extack, "drive %u is locked by the host; eject it first",
				   drive->id);
		return -EBUSY;
	}
	vcdrom_medium_in(drive, disc, &chg);
	old = drive->playlist;
	drive->playlist = pl;
	spin_unlock_irq(&drive->lock);

	vcdrom_drive_announce(drive, &chg, GFP_KERNEL);
	vcdrom_playlist_put(old);
	return 0;
}

/*
 * Change to disc @index of the drive's playlist as a person at the drive
 * does: the tray opens (the host sees NOT READY, tray open), stays open for
 * @ms, and closes on that disc. Sleeps with vcdrom_ctl_lock held, so that no
 * other verb changes the drive meanwhile; a signal cuts the wait short, and
 * so does the host closing the tray itself: the disc is in already then.
 */
int vcdrom_drive_swap(struct vcdrom_drive *drive, unsigned int index, unsigned int ms,
		      bool force, struct netlink_ext_ack *extack)
{
	struct vcdrom_change chg = {};
	struct vcdrom_playlist *pl;

	lockdep_assert_held(&vcdrom_ctl_mutex);
	spin_lock_irq(&drive->lock);
	pl = drive->playlist;
	if (!pl) {
		spin_unlock_irq(&drive->lock);
		NL_SET_ERR_MSG_FMT(extack, "drive %u holds no playlist", drive->id);
		return -ENOENT;
	}
	if (index >= pl->nr) {
		spin_unlock_irq(&drive->lock);
		NL_SET_ERR_MSG_FMT(extack, "disc index %u: drive %u's playlist has %u discs (0-%u)",
				   index, drive->id, pl->nr, pl->nr - 1);
		return -EINVAL;
	}
	if (drive->disc && drive->prevent && !force) {
		spin_unlock_irq(&drive->lock);
		NL_SET_ERR_MSG_FMT(extack, "drive %u is locked by the host (force overrides)",
				   drive->id);
		return -EBUSY;
	}
	if (drive->disc)
		drive->prevent = false;		/* forced */
	vcdrom_medium_out(drive, VCDROM_EJECT_SWAPPED, &chg);
	pl->next = index;
	spin_unlock_irq(&drive->lock);
	vcdrom_drive_announce(drive, &chg, GFP_KERNEL);

	if (ms)
		wait_event_interruptible_timeout(drive->swap_wait, READ_ONCE(drive->disc),
						 msecs_to_jiffies(ms));

	/* Only holders of vcdrom_ctl_lock change drive->playlist: it is still @pl. */
	chg = (struct vcdrom_change){};
	spin_lock_irq(&drive->lock);
	if (!drive->disc)
		vcdrom_playlist_load(drive, index, &chg);
	spin_unlock_irq(&drive->lock);
	vcdrom_drive_announce(drive, &chg, GFP_KERNEL);
	return 0;
}

int vcdrom_drive_eject(struct vcdrom_drive *drive, bool force, struct netlink_ext_ack *extack)
{
	struct vcdrom_change chg = {};
	int cause = VCDROM_EJECT_TOOL;
	struct vcdrom_playlist *pl;

	lockdep_assert_held(&vcdrom_ctl_mutex);
	spin_lock_irq(&drive->lock);
	if (!drive->disc) {
		/* Between discs of a playlist (the host ejected): the playlist ends. */
		pl = drive->playlist;
		drive->playlist = NULL;
		spin_unlock_irq(&drive->lock);
		if (pl) {
			vcdrom_playlist_put(pl);
			return 0;
		}
		NL_SET_ERR_MSG_FMT(extack, "drive %u holds no medium", drive->id);
		return -ENOMEDIUM;
	}
	if (drive->prevent && !force) {
		/*
		 * Ask the host, as the eject button does: GESN event 1. The
		 * uevent has the kernel look now rather than at the next poll
		 * (which may be never): udev re-probes, sr sees the request,
		 * udev ejects when nothing holds the medium.
		 */
		drive->media_event = VCDROM_ME_EJECT_REQUEST;
		chg.eject_requested = true;
		spin_unlock_irq(&drive->lock);
		vcdrom_drive_announce(drive, &chg, GFP_KERNEL);
		NL_SET_ERR_MSG_FMT(extack,
				   "drive %u is locked by the host; eject requested (force overrides)",
				   drive->id);
		return -EBUSY;
	}
	if (drive->prevent) {
		drive->prevent = false;
		cause = VCDROM_EJECT_FORCED;
	}
	vcdrom_medium_out(drive, cause, &chg);
	pl = drive->playlist;
	drive->playlist = NULL;
	spin_unlock_irq(&drive->lock);

	vcdrom_drive_announce(drive, &chg, GFP_KERNEL);
	vcdrom_playlist_put(pl);
	return 0;
}

static void vcdrom_drive_set_identity(struct vcdrom_drive *drive,
				      const struct vcdrom_identity *ident)
{
	strscpy(drive->vendor, ident && ident->vendor ? ident->vendor : "vcdrom",
		sizeof(drive->vendor));
	strscpy(drive->product, ident && ident->product ? ident->product : "Virtual CD/DVD",
		sizeof(drive->product));
	strscpy(drive->revision, ident && ident->revision ? ident->revision : "1.0",
		sizeof(drive->revision));
	if (ident && ident->serial)
		strscpy(drive->serial, ident->serial, sizeof(drive->serial));
	else
		snprintf(drive->serial, sizeof(drive->serial), "VCDROM%04u", drive->id);
}

/* Create a drive at the lowest free target id. */
int vcdrom_drive_add(const struct vcdrom_identity *ident, struct vcdrom_drive **out)
{
	struct vcdrom_drive *drive;
	struct scsi_device *sdev;
	int ret;

	lockdep_assert_held(&vcdrom_ctl_mutex);
	drive = kzalloc(sizeof(*drive), GFP_KERNEL);
	if (!drive)
		return -ENOMEM;
	spin_lock_init(&drive->lock);
	init_waitqueue_head(&drive->swap_wait);
	kref_init(&drive->ref);
	vcdrom_io_init_drive(drive);

	/* Reserve the id with no entry, so lookups miss it until it is set up. */
	ret = xa_alloc(&vcdrom_drives, &drive->id, NULL,
		       XA_LIMIT(0, VCDROM_MAX_DRIVES - 1), GFP_KERNEL);
	if (ret)
		goto out_free;
	vcdrom_drive_set_identity(drive, ident);
	xa_store(&vcdrom_drives, drive->id, drive, GFP_KERNEL);

	sdev = __scsi_add_device(vcdrom_host, 0, drive->id, 0, NULL);
	if (IS_ERR(sdev)) {
		ret = PTR_ERR(sdev);
		goto out_erase;
	}
	/* Keep the device, drop the module reference the scan took. */
	get_device(&sdev->sdev_gendev);
	scsi_device_put(sdev);
	/* Release: queries see the drive from now on, set up (vcdrom_drive_tryget). */
	smp_store_release(&drive->sdev, sdev);
	if (out)
		*out = drive;
	vcdrom_nl_event(drive->id, VCDROM_EVENT_DRIVE_ADDED, -1, GFP_KERNEL);
	return 0;

out_erase:
	xa_erase(&vcdrom_drives, drive->id);
out_free:
	/* A query may be looking at it (and finding no sdev). */
	kfree_rcu(drive, rcu);
	return ret;
}

/* Queries that hold the drive still may: they see it empty. */
static void vcdrom_drive_destroy(struct vcdrom_drive *drive)
{
	struct vcdrom_playlist *pl;
	struct vcdrom_disc *disc;

	xa_erase(&vcdrom_drives, drive->id);
	scsi_remove_device(drive->sdev);
	vcdrom_io_exit_drive(drive);
	spin_lock_irq(&drive->lock);
	disc = drive->disc;
	drive->disc = NULL;
	pl = drive->playlist;
	drive->playlist = NULL;
	spin_unlock_irq(&drive->lock);
	vcdrom_disc_put(disc);
	vcdrom_playlist_put(pl);
	vcdrom_drive_put(drive);
}

int vcdrom_drive_del(struct vcdrom_drive *drive)
{
	unsigned int id = drive->id;
	bool locked;

	lockdep_assert_held(&vcdrom_ctl_mutex);
	spin_lock_irq(&drive->lock);
	locked = drive->prevent;
	spin_unlock_irq(&drive->lock);
	if (locked)
		return -EBUSY;

	vcdrom_drive_destroy(drive);
	vcdrom_nl_event(id, VCDROM_EVENT_DRIVE_REMOVED, -1, GFP_KERNEL);
	return 0;
}

void vcdrom_drives_init(struct Scsi_Host *shost)
{
	vcdrom_host = shost;
}

void vcdrom_drives_exit(void)
{
	struct vcdrom_drive *drive;
	unsigned long id;

	mutex_lock(&vcdrom_ctl_mutex);
	xa_for_each(&vcdrom_drives, id, drive)
		vcdrom_drive_destroy(drive);
	mutex_unlock(&vcdrom_ctl_mutex);
	xa_destroy(&vcdrom_drives);
}
