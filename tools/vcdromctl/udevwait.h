/* SPDX-License-Identifier: GPL-2.0 */
/* Waiting for udev to finish with a drive: insert --wait, add --wait, wait. */
#ifndef VCDROM_UDEVWAIT_H
#define VCDROM_UDEVWAIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A subscription to the events udev has finished with. */
struct udev_wait {
	int fd;			/* -1: udev is not running; nothing to wait for */
	uint64_t seq_before;	/* the kernel's uevent sequence number when opened */
};

/* Subscribe before the change to wait for; 0, or -errno (said by the caller). */
int udev_wait_open(struct udev_wait *w);
void udev_wait_close(struct udev_wait *w);

/*
 * After an insert: until udev has handled the medium change of the drive
 * @hctl on its block device @block_dev ("sr0") and, where cdrom_id runs,
 * found the medium. @changed: the change happened after udev_wait_open()
 * (insert --wait); false for 'wait', which takes udev's current view when it
 * has nothing queued. 0, -ETIMEDOUT, or -errno.
 */
int udev_wait_medium(struct udev_wait *w, const char *hctl, const char *block_dev,
		     bool changed, int timeout_ms);

/*
 * After an add: until udev has handled the block device of the drive @hctl;
 * its name into @block_dev. 0, -ETIMEDOUT, or -errno.
 */
int udev_wait_added(struct udev_wait *w, const char *hctl, char *block_dev, size_t size,
		    int timeout_ms);

#endif /* VCDROM_UDEVWAIT_H */
