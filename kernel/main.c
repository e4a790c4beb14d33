// SPDX-License-Identifier: GPL-2.0
/*
 * vcdrom: module lifecycle. One SCSI host under /sys/devices/vcdrom; each
 * drive is LUN 0 of its own target on it.
 *
 * Order: the control interface (the netlink family) comes last in and goes
 * first out, as null_blk and loop order theirs. Generic netlink takes no
 * module reference for a request, so a request must never find a host that
 * is not there yet or is being removed: the family is registered once the
 * host and the drives made at load exist, and unregistered before they go.
 * Unregistering waits for the requests being handled (genl's cb_lock), so
 * none is left when the drives are removed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/pm.h>
#include <linux/pm_domain.h>
#include <scsi/scsi_host.h>

#include "vcdrom.h"

static unsigned int drives = 1;
module_param(drives, uint, 0444);
MODULE_PARM_DESC(drives, "drives created at load (0-64, default 1)");

static struct device *vcdrom_root;
static struct Scsi_Host *vcdrom_shost;

/* How long suspend waits for commands in flight before it is refused. */
#define VCDROM_PM_WAIT_MS	10000

/*
 * System sleep, before any device is suspended (every task is frozen by
 * now): the commands in flight must be done, or the quiesce of our SCSI
 * devices would wait for them for ever. Why, and when they are not: io.c.
 */
static int vcdrom_pm_prepare(struct device *dev)
{
	unsigned long end = jiffies + msecs_to_jiffies(VCDROM_PM_WAIT_MS);
	int busy;

	while ((busy = scsi_host_busy(vcdrom_shost)) && time_before(jiffies, end))
		msleep(20);
	if (!busy)
		return 0;
	pr_warn("suspend refused: %d read%s still wait%s for the image's backing store after %u s\n",
		busy, busy == 1 ? "" : "s", busy == 1 ? "s" : "", VCDROM_PM_WAIT_MS / 1000);
	return -EBUSY;
}

static struct dev_pm_domain vcdrom_pm_domain = {
	.ops = {
		.prepare = vcdrom_pm_prepare,
	},
};

static int __init vcdrom_init(void)
{
	unsigned int i;
	int ret;

	if (drives > VCDROM_LOAD_MAX_DRIVES) {
		pr_err("drives=%u: at most %u drives at load\n", drives,
		       VCDROM_LOAD_MAX_DRIVES);
		return -EINVAL;
	}

	ret = vcdrom_scsi_init();
	if (ret)
		return ret;
	ret = vcdrom_io_init();
	if (ret)
		goto out_scsi_exit;

	vcdrom_root = root_device_register("vcdrom");
	if (IS_ERR(vcdrom_root)) {
		ret = PTR_ERR(vcdrom_root);
		goto out_io_exit;
	}

	ret = -ENOMEM;
	vcdrom_shost = scsi_host_alloc(&vcdrom_sht, 0);
	if (!vcdrom_shost)
		goto out_unregister_root;
	vcdrom_shost->max_id = VCDROM_MAX_DRIVES;
	vcdrom_shost->max_lun = 1;
	vcdrom_shost->max_channel = 0;
	vcdrom_shost->max_cmd_len = 16;
	/* More than one hardware queue: the block layer gives no I/O scheduler by default. */
	vcdrom_shost->nr_hw_queues = VCDROM_HW_QUEUES;

	ret = scsi_add_host(vcdrom_shost, vcdrom_root);
	if (ret)
		goto out_put_host;
	/* prepare runs for every device before any is suspended. */
	dev_pm_domain_set(vcdrom_root, &vcdrom_pm_domain);

	vcdrom_drives_init(vcdrom_shost);
	ret = 0;
	vcdrom_ctl_lock();
	for (i = 0; i < drives; i++) {
		ret = vcdrom_drive_add(NULL, NULL);
		if (ret) {
			pr_err("cannot create drive %u: %d\n", i, ret);
			break;
		}
	}
	vcdrom_ctl_unlock();
	if (ret)
		goto out_remove_drives;

	ret = vcdrom_nl_init();
	if (ret)
		goto out_remove_drives;
	return 0;

out_remove_drives:
	vcdrom_drives_exit();
	dev_pm_domain_set(vcdrom_root, NULL);
	scsi_remove_host(vcdrom_shost);
out_put_host:
	scsi_host_put(vcdrom_shost);
out_unregister_root:
	root_device_unregister(vcdrom_root);
out_io_exit:
	vcdrom_io_exit();
out_scsi_exit:
	vcdrom_scsi_exit();
	return ret;
}

static void __exit vcdrom_exit(void)
{
	vcdrom_nl_exit();
	vcdrom_drives_exit();
	dev_pm_domain_set(vcdrom_root, NULL);
	scsi_remove_host(vcdrom_shost);
	scsi_host_put(vcdrom_shost);
	root_device_unregister(vcdrom_root);
	vcdrom_io_exit();
	vcdrom_scsi_exit();
}

module_init(vcdrom_init);
module_exit(vcdrom_exit);

MODULE_DESCRIPTION("Virtual CD/DVD/BD drives backed by image files");
MODULE_AUTHOR("The vcdrom developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(VCDROM_VERSION);
