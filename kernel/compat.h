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

/*
 * 6.11: device_configure(sdev, struct queue_limits *) sets queue limits
 * atomically (6.14 renames it sdev_configure); before, slave_configure set
 * them on the queue itself. VCDROM_SDEV_CONFIGURE(name) defines the callback
 * around vcdrom_set_limits(sdev, lim), VCDROM_SHT_SDEV_CONFIGURE names it.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define VCDROM_SDEV_CONFIGURE(name)					\
static int name(struct scsi_device *sdev, struct queue_limits *lim)	\
{									\
	vcdrom_set_limits(sdev, lim);					\
	return 0;							\
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
#define VCDROM_SHT_SDEV_CONFIGURE	.sdev_configure
#else
#define VCDROM_SHT_SDEV_CONFIGURE	.device_configure
#endif
#define vcdrom_lim_set_io_opt(sdev, lim, bytes)	((lim)->io_opt = (bytes))
#else
#define VCDROM_SDEV_CONFIGURE(name)					\
static int name(struct scsi_device *sdev)				\
{									\
	vcdrom_set_limits(sdev, NULL);					\
	return 0;							\
}

#define VCDROM_SHT_SDEV_CONFIGURE	.slave_configure
#define vcdrom_lim_set_io_opt(sdev, lim, bytes)	\
	blk_queue_io_opt((sdev)->request_queue, (bytes))
#endif

/* 6.2: .eh_timed_out returns enum scsi_timeout_action, not enum blk_eh_timer_return. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
typedef enum scsi_timeout_action vcdrom_timeout_t;
#define VCDROM_EH_RESET_TIMER	SCSI_EH_RESET_TIMER
#else
typedef enum blk_eh_timer_return vcdrom_timeout_t;
#define VCDROM_EH_RESET_TIMER	BLK_EH_RESET_TIMER
#endif

/* 7.0: queuecommand returns enum scsi_qc_status instead of int. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 0, 0)
typedef enum scsi_qc_status vcdrom_qc_t;
#else
typedef int vcdrom_qc_t;
#endif

/*
 * 6.2: NL_SET_ERR_MSG_FMT. Before, extack held only a pointer to a constant
 * message: format into a small ring instead; the ack is built right after the
 * handler returns, long before the ring wraps.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/netlink.h>

static inline __printf(1, 2) const char *vcdrom_compat_fmt(const char *fmt, ...)
{
	static char ring[32][80];
	static atomic_t next;
	char *buf = ring[(unsigned int)atomic_inc_return(&next) % ARRAY_SIZE(ring)];
	va_list args;

	va_start(args, fmt);
	vsnprintf(buf, sizeof(ring[0]), fmt, args);
	va_end(args);
	return buf;
}

#define NL_SET_ERR_MSG_FMT(extack, fmt, args...) do {			\
	struct netlink_ext_ack *__extack = (extack);			\
									\
	if (__extack)							\
		__extack->_msg = vcdrom_compat_fmt(fmt, ##args);	\
} while (0)
#endif

/*
 * 6.4: NL_SET_ERR_MSG_ATTR_FMT (6.2 and 6.3 have NL_SET_ERR_MSG_FMT only).
 * Our own name for the local: NL_SET_ERR_MSG_FMT declares an __extack.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 4, 0)
#define NL_SET_ERR_MSG_ATTR_FMT(extack, attr, fmt, args...) do {	\
	struct netlink_ext_ack *__vcdrom_extack = (extack);		\
									\
	if (__vcdrom_extack) {						\
		NL_SET_ERR_MSG_FMT(__vcdrom_extack, fmt, ##args);	\
		__vcdrom_extack->bad_attr = (attr);			\
	}								\
} while (0)
#endif

/*
 * 6.12: the host template's queuecommand_may_block (BLK_MQ_F_BLOCKING), so
 * small reads can run inside queuecommand (our first kernel that has it).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define VCDROM_INLINE_IO	1
#else
#define VCDROM_INLINE_IO	0
#endif

/*
 * A file's buffered reads go through its page cache and honour IOCB_NOWAIT:
 * its fops say FOP_BUFFER_RASYNC (6.11+), its open set FMODE_BUF_RASYNC
 * (before).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define vcdrom_file_nowait(file)	((file)->f_op->fop_flags & FOP_BUFFER_RASYNC)
#else
#define vcdrom_file_nowait(file)	((file)->f_mode & FMODE_BUF_RASYNC)
#endif

#endif /* VCDROM_COMPAT_H */
