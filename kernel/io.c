// SPDX-License-Identifier: GPL-2.0
/*
 * vcdrom: reads from the backing files. queuecommand never sleeps, so reads
 * run here, on an unbound workqueue: each host queue of a drive has a list
 * of pending reads and a work item that drains it (a drive's two queues
 * read at once). The file is read straight into the
 * command's pages through a bvec iov_iter (a batch of segments per call):
 * no bounce buffer, and no allocation on this path. The worker is
 * freezable: suspend waits for the reads in flight and holds new ones until
 * resume.
 */
#include <linux/bvec.h>
#include <linux/fs.h>
#include <linux/sched/mm.h>
#include <linux/uio.h>
#include <scsi/scsi_cmnd.h>

#include "vcdrom.h"

static struct workqueue_struct *vcdrom_wq;

static ssize_t vcdrom_file_read(struct file *file, struct iov_iter *iter, loff_t pos)
{
	struct kiocb kiocb;

	init_sync_kiocb(&kiocb, file);
	kiocb.ki_pos = pos;
	return file->f_op->read_iter(&kiocb, iter);
}

/*
 * Fill @iter with @bytes of extent @e from @lba on. Bytes past the end of
 * the file (a short last sector) read as zeros. Returns 0, or -EIO with
 * what was read before the error in *@got.
 */
static int vcdrom_read_extent(const struct vcdrom_disc *disc, const struct vcdrom_extent *e,
			      u32 lba, struct iov_iter *iter, size_t bytes, size_t *got)
{
	struct iov_iter part = *iter;
	loff_t pos;
	ssize_t ret;

	iov_iter_truncate(&part, bytes);
	if (e->format == VCDROM_SECTOR_ZERO)
		goto zero_rest;
	pos = e->offset + (u64)(lba - e->start) * VCDROM_SECTOR_SIZE;
	while (iov_iter_count(&part)) {
		ret = vcdrom_file_read(disc->files[e->file], &part, pos);
		if (ret < 0) {
			*got = bytes - iov_iter_count(&part);
			return -EIO;
		}
		if (ret == 0)
			break;		/* end of file */
		pos += ret;
	}
zero_rest:
	iov_iter_zero(iov_iter_count(&part), &part);
	iov_iter_advance(iter, bytes);
	*got = bytes;
	return 0;
}

#define VCDROM_IO_BATCH	16	/* segments per read_iter call: bvecs on the stack */

/*
 * Fill @iter from byte *@done of the read at sector @lba on, extent by
 * extent; *@done counts what was read, also when an error stops it.
 */
static int vcdrom_read_iter(const struct vcdrom_disc *disc, u32 lba, u32 *done,
			    struct iov_iter *iter)
{
	while (iov_iter_count(iter)) {
		u32 cur = lba + *done / VCDROM_SECTOR_SIZE;
		const struct vcdrom_extent *e = vcdrom_disc_extent_at(disc, cur);
		size_t in_sector = *done % VCDROM_SECTOR_SIZE, got;
		u64 left = (u64)(e->start + e->length - cur) * VCDROM_SECTOR_SIZE - in_sector;
		size_t n = min_t(u64, iov_iter_count(iter), left);
		struct vcdrom_extent at = *e;
		int ret;

		/* Reading mid-sector: shift the extent's offset by what was read. */
		at.offset += in_sector;
		ret = vcdrom_read_extent(disc, &at, cur, iter, n, &got);
		*done += got;
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Serve one queued read and complete it; from the worker, or from
 * queuecommand where it may sleep. No I/O from reclaim while we hold pages.
 */
void vcdrom_io_read(struct vcdrom_command *cmd)
{
	struct bio_vec bv[VCDROM_IO_BATCH];
	struct scsi_cmnd *scmd = cmd->scmd;
	struct vcdrom_disc *disc = cmd->disc;
	struct scatterlist *sg;
	struct iov_iter iter;
	unsigned int i, noio, nr = 0;
	u32 done = 0, batch = 0;
	int ret = 0;

	noio = memalloc_noio_save();
	for_each_sg(scsi_sglist(scmd), sg, scsi_sg_count(scmd), i) {
		u32 seg = min_t(u32, sg->length, cmd->bytes - done - batch);

		if (seg) {
			bv[nr].bv_page = sg_page(sg);
			bv[nr].bv_len = seg;
			bv[nr].bv_offset = sg->offset;
			nr++;
			batch += seg;
		}
		if (nr < VCDROM_IO_BATCH && done + batch < cmd->bytes && !sg_is_last(sg))
			continue;
		iov_iter_bvec(&iter, ITER_DEST, bv, nr, batch);
		ret = vcdrom_read_iter(disc, cmd->lba, &done, &iter);
		if (ret)
			break;
		batch = 0;
		nr = 0;
		if (done == cmd->bytes)
			break;
	}
	memalloc_noio_restore(noio);
	cmd->disc = NULL;
	vcdrom_disc_put(disc);
	if (ret) {
		vcdrom_complete_sense(scmd, SENSE_READ_ERROR,
				      cmd->lba + done / VCDROM_SECTOR_SIZE);
		return;
	}
	scsi_set_resid(scmd, scsi_bufflen(scmd) - done);
	scmd->result = SAM_STAT_GOOD;
	scsi_done(scmd);
}

static void vcdrom_io_work(struct work_struct *work)
{
	struct vcdrom_io_queue *q = container_of(work, struct vcdrom_io_queue, work);
	struct vcdrom_command *cmd, *next;
	struct llist_node *list;

	/* llist hands them back newest first: turn them round, oldest first. */
	list = llist_reverse_order(llist_del_all(&q->cmds));
	llist_for_each_entry_safe(cmd, next, list, node)
		vcdrom_io_read(cmd);
}

/* Queue @cmd on its host queue's list; wake that queue's worker unless it is already due. */
void vcdrom_io_queue(struct vcdrom_drive *drive, struct vcdrom_command *cmd)
{
	struct request *rq = scsi_cmd_to_rq(cmd->scmd);
	struct vcdrom_io_queue *q = &drive->io[rq->mq_hctx->queue_num % VCDROM_HW_QUEUES];

	llist_add(&cmd->node, &q->cmds);
	queue_work(vcdrom_wq, &q->work);
}

void vcdrom_io_init_drive(struct vcdrom_drive *drive)
{
	unsigned int i;

	for (i = 0; i < VCDROM_HW_QUEUES; i++) {
		init_llist_head(&drive->io[i].cmds);
		INIT_WORK(&drive->io[i].work, vcdrom_io_work);
	}
}

/* Once no command can reach the drive: wait for its workers to be done with it. */
void vcdrom_io_exit_drive(struct vcdrom_drive *drive)
{
	unsigned int i;

	for (i = 0; i < VCDROM_HW_QUEUES; i++)
		flush_work(&drive->io[i].work);
}

int vcdrom_io_init(void)
{
	vcdrom_wq = alloc_workqueue("vcdrom", WQ_UNBOUND | WQ_MEM_RECLAIM | WQ_FREEZABLE, 0);
	return vcdrom_wq ? 0 : -ENOMEM;
}

void vcdrom_io_exit(void)
{
	destroy_workqueue(vcdrom_wq);
}
