/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels vcdrom builds on lives here, keyed on
 * LINUX_VERSION_CODE, one entry per change, naming the release that made it.
 */
#ifndef VCDROM_COMPAT_H
#define VCDROM_COMPAT_H

#include <linux/version.h>

/* 6.12: <asm/unaligned.h> became <linux/unaligned.h>. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* 6.4: scsi_host_alloc() takes a const template. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define VCDROM_SHT_CONST const
#else
#define VCDROM_SHT_CONST
#endif

/* 6.14: slave_alloc/slave_configure/slave_destroy renamed sdev_init/sdev_configure/sdev_destroy. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
#define VCDROM_SHT_SDEV_INIT		.sdev_init
#define VCDROM_SHT_SDEV_DESTROY		.sdev_destroy
#else
#define VCDROM_SHT_SDEV_INIT		.slave_alloc
#define VCDROM_SHT_SDEV_DESTROY		.slave_destroy
#endif

/* 7.0: queuecommand returns enum scsi_qc_status instead of int. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 0, 0)
typedef enum scsi_qc_status vcdrom_qc_t;
#else
typedef int vcdrom_qc_t;
#endif

#endif /* VCDROM_COMPAT_H */
