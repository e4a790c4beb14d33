// SPDX-License-Identifier: GPL-2.0
/*
 * vcdrom: the drive table and each drive's media state.
 *
 * Lifetime: a drive is allocated and its target id reserved in vcdrom_drives
 * before its SCSI device is added; the entry is published before
 * scsi_add_device() so that the scan's sdev_init can find it. Deleting a
 * drive unpublishes it, removes the SCSI device (after which no command can
 * reach it) and only then frees it. We hold a device reference on the
 * scsi_device, never a module one (that would pin our own module).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_host.h>

#include "vcdrom.h"

/* Serialises adding and deleting drives. */
static DEFINE_MUTEX(vcdrom_ctl_lock);
/*
 * Drives by target id; written under vcdrom_ctl_lock. The only reader is
 * sdev_init, under the host's scan_mutex, which scsi_remove_device() also
 * takes: a drive is erased here before its device goes, so no scan can find
 * it once deletion starts.
 */
static DEFINE_XARRAY_ALLOC(vcdrom_drives);
static struct Scsi_Host *vcdrom_host;

static const vcdrom_sense_t vcdrom_ua_sense[VCDROM_UA_NR] = {
	[VCDROM_UA_MEDIUM_REMOVED] = SENSE_MEDIUM_REMOVED,
	[VCDROM_UA_MEDIUM_CHANGED] = SENSE_MEDIUM_MAY_HAVE_CHANGED,
};

struct vcdrom_drive *vcdrom_drive_lookup(unsigned int id)
{
	return xa_load(&vcdrom_drives, id);
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

/* Open the tray; a medium in it is removed, which the host will be told of. */
void vcdrom_drive_open_tray(struct vcdrom_drive *drive)
{
	lockdep_assert_held(&drive->lock);
	drive->tray_open = true;
	if (!drive->disc)
		return;
	drive->disc = NULL;
	vcdrom_drive_set_ua(drive, VCDROM_UA_MEDIUM_REMOVED);
	drive->media_event = VCDROM_ME_MEDIA_REMOVAL;
}

static void vcdrom_drive_init_identity(struct vcdrom_drive *drive)
{
	strscpy(drive->vendor, "vcdrom", sizeof(drive->vendor));
	strscpy(drive->product, "Virtual CD/DVD", sizeof(drive->product));
	strscpy(drive->revision, "1.0", sizeof(drive->revision));
	snprintf(drive->serial, sizeof(drive->serial), "VCDROM%04u", drive->id);
}

/* Create a drive at the lowest free target id; its id is stored in @id. */
int vcdrom_drive_add(unsigned int *id)
{
	struct vcdrom_drive *drive;
	struct scsi_device *sdev;
	int ret;

	drive = kzalloc(sizeof(*drive), GFP_KERNEL);
	if (!drive)
		return -ENOMEM;
	spin_lock_init(&drive->lock);

	mutex_lock(&vcdrom_ctl_lock);
	/* Reserve the id with no entry, so lookups miss it until it is set up. */
	ret = xa_alloc(&vcdrom_drives, &drive->id, NULL,
		       XA_LIMIT(0, VCDROM_MAX_DRIVES - 1), GFP_KERNEL);
	if (ret)
		goto out_unlock;
	vcdrom_drive_init_identity(drive);
	xa_store(&vcdrom_drives, drive->id, drive, GFP_KERNEL);

	sdev = __scsi_add_device(vcdrom_host, 0, drive->id, 0, NULL);
	if (IS_ERR(sdev)) {
		ret = PTR_ERR(sdev);
		goto out_erase;
	}
	/* Keep the device, drop the module reference scsi_add_device took. */
	get_device(&sdev->sdev_gendev);
	scsi_device_put(sdev);
	drive->sdev = sdev;
	*id = drive->id;
	mutex_unlock(&vcdrom_ctl_lock);
	return 0;

out_erase:
	xa_erase(&vcdrom_drives, drive->id);
out_unlock:
	mutex_unlock(&vcdrom_ctl_lock);
	kfree(drive);
	return ret;
}

static void vcdrom_drive_del(struct vcdrom_drive *drive)
{
	lockdep_assert_held(&vcdrom_ctl_lock);
	xa_erase(&vcdrom_drives, drive->id);
	scsi_remove_device(drive->sdev);
	put_device(&drive->sdev->sdev_gendev);
	kfree(drive);
}

void vcdrom_drives_init(struct Scsi_Host *shost)
{
	vcdrom_host = shost;
}

void vcdrom_drives_exit(void)
{
	struct vcdrom_drive *drive;
	unsigned long id;

	mutex_lock(&vcdrom_ctl_lock);
	xa_for_each(&vcdrom_drives, id, drive)
		vcdrom_drive_del(drive);
	mutex_unlock(&vcdrom_ctl_lock);
	xa_destroy(&vcdrom_drives);
}
