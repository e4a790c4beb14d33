// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper, never installed: marks every virtio PCI device as a syscore
 * device while loaded, so that a system sleep test (pm_test=devices) skips
 * them. The QEMU test guest's root is virtio-9p, which has no PM callbacks:
 * virtio resets it on resume and the guest loses its root. With this module
 * loaded every other device, the SCSI host of vcdrom and its drives
 * included, is prepared, suspended and resumed as usual. tests/suspend.sh.
 */
#include <linux/device.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pm.h>

#define PM_KEEP_MAX	16

static struct pci_dev *pm_keep_devs[PM_KEEP_MAX];
static unsigned int pm_keep_count;

static int __init pm_keep_init(void)
{
	struct pci_dev *pdev = NULL;

	while ((pdev = pci_get_device(PCI_VENDOR_ID_REDHAT_QUMRANET, PCI_ANY_ID, pdev))) {
		if (pm_keep_count == PM_KEEP_MAX) {
			pci_dev_put(pdev);
			break;
		}
		dev_pm_syscore_device(&pdev->dev, true);
		pm_keep_devs[pm_keep_count++] = pci_dev_get(pdev);
		dev_info(&pdev->dev, "vcdrom_pm_keep: left out of system sleep\n");
	}
	return 0;
}

static void __exit pm_keep_exit(void)
{
	while (pm_keep_count) {
		struct pci_dev *pdev = pm_keep_devs[--pm_keep_count];

		dev_pm_syscore_device(&pdev->dev, false);
		pci_dev_put(pdev);
	}
}

module_init(pm_keep_init);
module_exit(pm_keep_exit);
MODULE_DESCRIPTION("vcdrom tests: keep the guest's virtio devices out of system sleep");
MODULE_LICENSE("GPL");
