// SPDX-License-Identifier: GPL-2.0
/*
 * vcdrom: reads from the backing files. queuecommand never sleeps, so reads
 * run here: each host queue of a drive has a list of pending reads and a
 * reader, a kthread that drains it (a drive's two queues read at once). A
 * kthread, not a work item, because a read that waits on a backing store
 * that stopped answering must end at its timeout: a kthread can be killed
 * out of that wait (vcdrom_io_abort), a shared worker cannot.
 *
 * System sleep. The reader is not freezable, as no block driver's I/O path
 * should be: a read it has accepted goes on until it is done, and what
 * stops new reads is the freezer stopping the tasks that make them. A
 * freezable worker deadlocks whenever the image sits on a device whose own
 * worker is freezable too (a file system on a loop device): both are frozen
 * at the same moment, our read in flight waits for loop's next work item,
 * which waits for the thaw, and the freezer waits for our read until it
 * gives up and the suspend fails with EBUSY. A read in flight when the
 * freezer is done (an sg command whose caller was frozen, a readahead) is
 * one the PM core then waits for, when it quiesces each SCSI device before
 * suspending it: if that read waits on a backing store that is itself
 * frozen (loop) or that stops answering (a hung NFS or FUSE server, a
 * suspended dm device), it would wait for ever and the system would hang.
 * So before any device is suspended (the root device's PM prepare,
 * main.c) we wait for the host's commands in flight to be done, for at most
 * 10 s, and refuse the suspend with EBUSY if they are not: a failed
 * suspend, said in the log, never a hung one. A task blocked in a
 * read of a store that stops answering keeps the freezer from freezing it,
 * as on any block device.
 *
 * Locks: a queue's list is a lock-free llist; its reader is the one
 * consumer. q->lock (innermost, process context) orders a timeout's abort
 * against the completion of the same command. Lifetimes: a queued command
 * holds a reference on its disc (taken in mmc_read.c under drive->lock),
 * dropped here before the command completes, so an eject never frees files
 * a read uses; the last put may come from here and fput the files. A
 * drive's readers are stopped after its SCSI device is gone and before it
 * is freed (vcdrom_io_exit_drive); the buffer pool lives from module init
 * to exit. On 6.12+ small reads may run in queuecommand, even inside
 * submit_bio, but only from the page cache (vcdrom_io_try_inline): no wait
 * there for a timeout to abort.
 *
 * Ways to serve a read. MODE1 data stored as 2048-byte sectors is read
 * straight into the command's pages through a bvec iov_iter (a batch of
 * segments per call): no bounce buffer, no allocation. Sectors stored whole
 * (2352, 2448) or as 2336-byte mode 2 are gathered, a run of up to 32 at a
 * time, the user bytes of each (READ(10)) or the whole sector (READ CD of
 * sectors as stored) into their places in the pages: copied straight from
 * the file's page cache while it holds them (where the file's reads go
 * through it), the rest with one read_iter call whose segments send the
 * stored bytes between them to a junk page. One copy, as for an ISO. Any
 * other READ CD builds each whole sector (and its subchannel) in a buffer
 * from a small mempool and copies out the fields asked for.
 */
#include <linux/bvec.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/mempool.h>
#include <linux/pagemap.h>
#include <linux/scatterlist.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/swab.h>
#include <linux/uio.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_common.h>

#include "vcdrom.h"

#define VCDROM_RUN_BVECS	128	/* segments per read_iter call of a gathered run */
#define VCDROM_RUN_MAX		32	/* sectors in one gathered run */

/* Where a READ CD builds one sector: enough for each command in flight to get one soon. */
struct vcdrom_io_buf {
	u8 sector[VCDROM_CD_SECTOR];
	u8 rw[VCDROM_CD_SUB];		/* P-W as stored (RAW_PW, or a stored sub-channel) */
	u8 sub[VCDROM_CD_SUB];		/* the subchannel to return */
	u8 q[12];
	/* De-interleaved R-W: the stored R-W of sectors rw_lba to rw_lba + 2 */
	u8 rw3[3 * VCDROM_CD_SUB];
	u32 rw_lba;
	bool rw_valid;
	/* A gathered run (vcdrom_gather): its bvecs, and each sector's XA subheader. */
	struct bio_vec bv[VCDROM_RUN_BVECS];
	u8 subs[VCDROM_RUN_MAX][8];
};

#define VCDROM_IO_BUFS	4
static mempool_t *vcdrom_buf_pool;
/* Where a gathered run reads the stored bytes nobody asked for. */
static struct page *vcdrom_junk;

#if VCDROM_INLINE_IO
/* A read of up to this many bytes may run inside queuecommand. */
#define VCDROM_INLINE_MAX	(64 * 1024)
#define VCDROM_PIN_MAX	(VCDROM_INLINE_MAX / PAGE_SIZE + 1)

/*
 * tmpfs ignores IOCB_NOWAIT: it may read a page back from swap. So hold the
 * folios of the range first, every one there and up to date (none can be
 * swapped out while held), then read; else -EAGAIN.
 */
static ssize_t vcdrom_shmem_read_nowait(struct kiocb *kiocb, struct iov_iter *iter)
{
	struct address_space *mapping = kiocb->ki_filp->f_mapping;
	size_t len = iov_iter_count(iter);
	pgoff_t index = kiocb->ki_pos >> PAGE_SHIFT, last;
	struct folio *folios[VCDROM_PIN_MAX];
	unsigned int n = 0;
	ssize_t ret = -EAGAIN;

	if (!len)
		return 0;
	last = (kiocb->ki_pos + len - 1) >> PAGE_SHIFT;
	while (index <= last) {
		struct folio *folio;

		if (n == ARRAY_SIZE(folios))
			goto out;
		folio = filemap_get_folio(mapping, index);
		if (IS_ERR_OR_NULL(folio))
			goto out;
		folios[n++] = folio;
		if (!folio_test_uptodate(folio))
			goto out;
		index = folio->index + folio_nr_pages(folio);
	}
	ret = kiocb->ki_filp->f_op->read_iter(kiocb, iter);
out:
	while (n--)
		folio_put(folios[n]);
	return ret;
}
#endif

/*
 * Read @file at @pos into @iter. @nowait (queuecommand's inline reads): only
 * what is in the page cache, with no I/O and no wait on the backing store;
 * -EAGAIN, or 0, when that is not all.
 */
static ssize_t vcdrom_file_read(struct file *file, struct iov_iter *iter, loff_t pos,
				bool nowait)
{
	struct kiocb kiocb;

	init_sync_kiocb(&kiocb, file);
	kiocb.ki_pos = pos;
#if VCDROM_INLINE_IO
	if (nowait) {
		if (shmem_mapping(file->f_mapping))
			return vcdrom_shmem_read_nowait(&kiocb, iter);
		if (!vcdrom_file_nowait(file))
			return -EAGAIN;	/* NFS, FUSE...: may wait on their server */
		kiocb.ki_flags |= IOCB_NOWAIT | IOCB_NOIO;
	}
#endif
	return file->f_op->read_iter(&kiocb, iter);
}

/*
 * Fill @iter with @bytes of extent @e from @lba on. Bytes past the end of
 * the file (a short last sector) read as zeros; an end of file short of its
 * size at insert (the file was truncated since) is an error. Returns 0, or
 * -EIO with what was read before the error in *@got; -EAGAIN when @nowait
 * and the read would wait (an end of file too: the waiting read decides).
 */
static int vcdrom_read_extent(const struct vcdrom_disc *disc, const struct vcdrom_extent *e,
			      u32 lba, struct iov_iter *iter, size_t bytes, size_t *got,
			      bool nowait)
{
	struct iov_iter part = *iter;
	loff_t pos;
	ssize_t ret;

	iov_iter_truncate(&part, bytes);
	if (e->format == VCDROM_SECTOR_ZERO)
		goto zero_rest;
	pos = e->offset + (u64)(lba - e->start) * VCDROM_SECTOR_SIZE;
	while (iov_iter_count(&part)) {
		ret = vcdrom_file_read(disc->files[e->file], &part, pos, nowait);
		if (nowait && ret <= 0) {
			*got = 0;
			return -EAGAIN;
		}
		if (ret < 0 || (ret == 0 && pos < e->file_size)) {
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
			    struct iov_iter *iter, bool nowait)
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
		ret = vcdrom_read_extent(disc, &at, cur, iter, n, &got, nowait);
		*done += got;
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Fill @iter from @file at @pos; what lies past the end of the file reads as
 * zeros, unless the file was @size bytes long at insert and is shorter now.
 */
static int vcdrom_file_fill(struct file *file, struct iov_iter *iter, loff_t pos, u64 size)
{
	ssize_t ret;

	while (iov_iter_count(iter)) {
		ret = vcdrom_file_read(file, iter, pos, false);
		if (ret < 0 || (ret == 0 && pos < size))
			return -EIO;
		if (ret == 0)
			break;
		pos += ret;
	}
	iov_iter_zero(iov_iter_count(iter), iter);
	return 0;
}

/* Read @len bytes of @file at @pos into @buf (kmalloc'ed: contiguous pages). */
static int vcdrom_file_read_buf(struct file *file, void *buf, size_t len, loff_t pos,
				u64 size)
{
	struct bio_vec bv = {
		.bv_page = virt_to_page(buf),
		.bv_offset = offset_in_page(buf),
		.bv_len = len,
	};
	struct iov_iter iter;

	iov_iter_bvec(&iter, ITER_DEST, &bv, 1, len);
	return vcdrom_file_fill(file, &iter, pos, size);
}

/* The COOKED_2048 fast path: the whole transfer, a batch of segments per read. */
static int vcdrom_io_cooked(struct vcdrom_command *cmd, u32 *done, bool nowait)
{
	struct bio_vec bv[VCDROM_IO_BATCH];
	struct scsi_cmnd *scmd = cmd->scmd;
	struct scatterlist *sg;
	struct iov_iter iter;
	unsigned int i, nr = 0;
	u32 batch = 0;
	int ret = 0;

	for_each_sg(scsi_sglist(scmd), sg, scsi_sg_count(scmd), i) {
		u32 seg = min_t(u32, sg->length, cmd->bytes - *done - batch);

		if (seg) {
			bv[nr].bv_page = sg_page(sg);
			bv[nr].bv_len = seg;
			bv[nr].bv_offset = sg->offset;
			nr++;
			batch += seg;
		}
		if (nr < VCDROM_IO_BATCH && *done + batch < cmd->bytes && !sg_is_last(sg))
			continue;
		iov_iter_bvec(&iter, ITER_DEST, bv, nr, batch);
		ret = vcdrom_read_iter(cmd->disc, cmd->lba, done, &iter, nowait);
		if (ret)
			break;
		batch = 0;
		nr = 0;
		if (*done == cmd->bytes)
			break;
	}
	return ret;
}

/* The command's pages, filled in order, a piece at a time. */
struct vcdrom_dest {
	struct sg_mapping_iter m;
	u32 left;			/* room left in the command's buffer */
	u32 done;			/* bytes put */
	u64 size;			/* the file read from: its size at insert */
};

/*
 * The next piece of the command's pages, at most @want bytes: at
 * d->m.addr + d->m.consumed (m.consumed: what of the piece mapped now is
 * used, which sg_miter_next skips). Returns its length; 0 when full.
 */
static size_t vcdrom_dest_piece(struct vcdrom_dest *d, size_t want)
{
	if (!d->left || !want)
		return 0;
	if (d->m.consumed == d->m.length) {
		if (!sg_miter_next(&d->m)) {
			d->left = 0;
			return 0;
		}
		d->m.consumed = 0;
	}
	return min3(d->m.length - d->m.consumed, want, (size_t)d->left);
}

/* @n bytes of the piece vcdrom_dest_piece() gave are put. */
static void vcdrom_dest_used(struct vcdrom_dest *d, size_t n)
{
	d->m.consumed += n;
	d->left -= n;
	d->done += n;
}

/*
 * Put @len bytes at the destination's end (as many as fit): read from
 * @file at @pos if @file, else copied from @buf, else zeros.
 */
static int vcdrom_dest_put(struct vcdrom_dest *d, struct file *file, loff_t pos,
			   const u8 *buf, size_t len)
{
	struct iov_iter iter;
	struct bio_vec bv;
	void *to;
	size_t n;

	while ((n = vcdrom_dest_piece(d, len))) {
		to = d->m.addr + d->m.consumed;
		if (file) {
			bv.bv_page = d->m.page;
			bv.bv_offset = offset_in_page(to);
			bv.bv_len = n;
			iov_iter_bvec(&iter, ITER_DEST, &bv, 1, n);
			if (vcdrom_file_fill(file, &iter, pos, d->size))
				return -EIO;
			pos += n;
		} else if (buf) {
			memcpy(to, buf, n);
			buf += n;
		} else {
			memset(to, 0, n);
		}
		vcdrom_dest_used(d, n);
		len -= n;
	}
	return 0;
}

/*
 * A gathered run: sectors stored at a fixed stride, read with one read_iter
 * call for many of them through a list of segments, the bytes asked for
 * into the command's pages and the others into the junk page.
 */
struct vcdrom_run {
	struct bio_vec *bv;
	unsigned int nr;
	size_t bytes;			/* in bv[0..nr) */
	struct file *file;
	loff_t pos;			/* what bv[0] reads; after an error, where it stopped */
	u64 size;			/* the file's size at insert */
	bool nowait;
};

static int vcdrom_run_flush(struct vcdrom_run *r)
{
	struct iov_iter iter;
	loff_t pos = r->pos;
	ssize_t ret;
	int err = 0;

	if (!r->nr)
		return 0;
	iov_iter_bvec(&iter, ITER_DEST, r->bv, r->nr, r->bytes);
	if (!r->nowait) {
		err = vcdrom_file_fill(r->file, &iter, pos, r->size);
	} else {
		while (iov_iter_count(&iter)) {
			ret = vcdrom_file_read(r->file, &iter, pos, true);
			if (ret <= 0) {
				err = -EAGAIN;
				break;
			}
			pos += ret;
		}
	}
	r->pos += r->bytes - iov_iter_count(&iter);
	r->nr = 0;
	r->bytes = 0;
	return err;
}

/* Append a segment, merged with the last one where they touch (junk: overlap). */
static int vcdrom_run_add(struct vcdrom_run *r, struct page *page, unsigned int off,
			  unsigned int len)
{
	struct bio_vec *last = r->nr ? &r->bv[r->nr - 1] : NULL;
	int ret;

	if (!len)
		return 0;
	if (last && last->bv_page == page &&
	    (page == vcdrom_junk ? last->bv_len + len <= PAGE_SIZE :
	     last->bv_offset + last->bv_len == off)) {
		last->bv_len += len;
	} else {
		if (r->nr == VCDROM_RUN_BVECS) {
			ret = vcdrom_run_flush(r);
			if (ret)
				return ret;
		}
		r->bv[r->nr++] = (struct bio_vec){
			.bv_page = page, .bv_offset = off, .bv_len = len,
		};
	}
	r->bytes += len;
	return 0;
}

static int vcdrom_run_junk(struct vcdrom_run *r, unsigned int len)
{
	return vcdrom_run_add(r, vcdrom_junk, 0, len);
}

/* The next @len bytes of the command's pages (as many as are left) as segments of @r. */
static int vcdrom_dest_run(struct vcdrom_dest *d, struct vcdrom_run *r, size_t len,
			   size_t *took)
{
	size_t n;
	int ret;

	for (*took = 0; (n = vcdrom_dest_piece(d, len - *took)); *took += n) {
		ret = vcdrom_run_add(r, d->m.page, offset_in_page(d->m.addr) + d->m.consumed, n);
		if (ret)
			return ret;
		vcdrom_dest_used(d, n);
	}
	return 0;
}

/* Where a sector is: its track and extent, looked up again only when it leaves the last ones. */
struct vcdrom_pos {
	const struct vcdrom_track *t;
	const struct vcdrom_extent *e;
	struct file *file;
	loff_t pos;			/* the stored sector's first byte */
};

static bool vcdrom_locate(const struct vcdrom_disc *disc, struct vcdrom_pos *p, u32 lba)
{
	if (!p->t || lba < p->t->first || lba >= p->t->end) {
		p->t = vcdrom_disc_track_at(disc, lba);
		if (!p->t)
			return false;
		p->e = NULL;
	}
	if (!p->e || lba >= p->e->start + p->e->length)
		p->e = vcdrom_disc_extent_at(disc, lba);
	p->file = p->e->format == VCDROM_SECTOR_ZERO ? NULL : disc->files[p->e->file];
	p->pos = p->e->offset + (u64)(lba - p->e->start) * vcdrom_format_size[p->e->format];
	return true;
}

/* A sector's kind by its track, and for XA by the subheader it is stored with. */
static enum vcdrom_cd_kind vcdrom_kind(const struct vcdrom_pos *p, const u8 *subheader)
{
	switch (p->t->mode) {
	case VCDROM_TRACK_AUDIO:
		return VCDROM_CD_AUDIO;
	case VCDROM_TRACK_MODE1:
		return VCDROM_CD_MODE1;
	case VCDROM_TRACK_MODE2:
		return VCDROM_CD_MODE2;
	}
	switch (p->e->format) {
	case VCDROM_SECTOR_COOKED_2324:
		return VCDROM_CD_FORM2;
	case VCDROM_SECTOR_RAW:
	case VCDROM_SECTOR_RAW_PW:
	case VCDROM_SECTOR_MODE2:
		return (subheader[2] & 0x20) ? VCDROM_CD_FORM2 : VCDROM_CD_FORM1;
	default:
		return VCDROM_CD_FORM1;
	}
}

/* Where a stored sector's XA subheader is, or -1 when it is stored without one. */
static int vcdrom_subheader_offset(u8 format)
{
	switch (format) {
	case VCDROM_SECTOR_RAW:
	case VCDROM_SECTOR_RAW_PW:
		return 16;
	case VCDROM_SECTOR_MODE2:
		return 0;
	default:
		return -1;
	}
}

/* Offset of the 2048 user bytes of a mode 1 or form 1 sector in its stored form. */
static unsigned int vcdrom_user_offset(u8 format, enum vcdrom_cd_kind kind)
{
	switch (format) {
	case VCDROM_SECTOR_RAW:
	case VCDROM_SECTOR_RAW_PW:
		return kind == VCDROM_CD_MODE1 ? 16 : 24;
	case VCDROM_SECTOR_MODE2:
		return 8;
	default:
		return 0;
	}
}

/* A read stopped at @lba: the sense to answer with (0: none). */
struct vcdrom_stop {
	vcdrom_sense_t sense;
	u32 lba;
};

/* The file's folios a gathered run copies from: at most two hold one sector. */
struct vcdrom_cache {
	struct address_space *mapping;
	struct folio *f[2];
};

/* The up-to-date folio of @c's file holding byte @pos, kept in @c; NULL on a miss. */
static struct folio *vcdrom_cache_get(struct vcdrom_cache *c, loff_t pos)
{
	struct folio *folio;
	unsigned int i;

	for (i = 0; i < 2; i++)
		if (c->f[i] && pos >= folio_pos(c->f[i]) &&
		    pos < folio_pos(c->f[i]) + folio_size(c->f[i]))
			return c->f[i];
	folio = filemap_get_folio(c->mapping, pos >> PAGE_SHIFT);
	if (IS_ERR_OR_NULL(folio))
		return NULL;
	if (!folio_test_uptodate(folio)) {
		folio_put(folio);
		return NULL;
	}
	folio_mark_accessed(folio);	/* as a read() of it would */
	if (c->f[0])
		folio_put(c->f[0]);
	c->f[0] = c->f[1];
	c->f[1] = folio;
	return folio;
}

/* Copy @len bytes at @pos of @c's file to @to; every folio of it is in @c already. */
static void vcdrom_cache_copy(struct vcdrom_cache *c, loff_t pos, u8 *to, size_t len)
{
	struct folio *folio;
	size_t off, n;
	void *from;

	while (len) {
		folio = vcdrom_cache_get(c, pos);
		off = pos - folio_pos(folio);
		n = min3(len, folio_size(folio) - off, PAGE_SIZE - offset_in_page(off));
		from = kmap_local_folio(folio, off);
		memcpy(to, from, n);
		kunmap_local(from);
		pos += n;
		to += n;
		len -= n;
	}
}

/*
 * The start of a gathered run copied straight from the page cache of a file
 * whose reads go through it, one copy of each byte asked for and none of the
 * others: of each sector, @len bytes at @off into the command's pages, 8 at
 * @sh (if >= 0) into @buf->subs. Stops at the first sector with a byte not
 * cached and up to date, or past the file's end. Returns the sectors done.
 */
static u32 vcdrom_gather_cached(struct vcdrom_dest *d, const struct vcdrom_pos *p, u32 n,
				unsigned int off, unsigned int len, int sh,
				struct vcdrom_io_buf *buf)
{
	unsigned int stride = vcdrom_format_size[p->e->format], first = sh >= 0 ? sh : off;
	struct vcdrom_cache c = { .mapping = p->file->f_mapping };
	loff_t at = p->pos, size;
	size_t k, chunk;
	u32 i;

	if (!shmem_mapping(c.mapping) && !vcdrom_file_nowait(p->file))
		return 0;
	size = i_size_read(c.mapping->host);
	for (i = 0; i < n && d->left; i++, at += stride) {
		if (at + off + len > size || !vcdrom_cache_get(&c, at + first) ||
		    !vcdrom_cache_get(&c, at + off + len - 1))
			break;
		if (sh >= 0)
			vcdrom_cache_copy(&c, at + sh, buf->subs[i], 8);
		for (k = 0; (chunk = vcdrom_dest_piece(d, len - k)); k += chunk) {
			vcdrom_cache_copy(&c, at + off + k, d->m.addr + d->m.consumed, chunk);
			vcdrom_dest_used(d, chunk);
		}
		if (k < len) {
			i++;
			break;
		}
	}
	for (k = 0; k < 2; k++)
		if (c.f[k])
			folio_put(c.f[k]);
	return i;
}

/*
 * Read @n sectors from @p on (one extent, stored whole or as 2336-byte
 * mode 2) with as few read_iter calls as a batch of segments allows: of
 * each, @len bytes at @off into the command's pages, and its 8-byte XA
 * subheader at @sh (if >= 0) into @buf->subs. One copy of each byte, as
 * for an ISO; the bytes nobody asked for go to the junk page. Returns 0,
 * or an error with *@ok the sectors read whole before it.
 */
static int vcdrom_gather(struct vcdrom_dest *d, const struct vcdrom_pos *p, u32 n,
			 unsigned int off, unsigned int len, int sh,
			 struct vcdrom_io_buf *buf, bool nowait, u32 *ok)
{
	unsigned int stride = vcdrom_format_size[p->e->format], at = 0, i;
	struct vcdrom_run r = {
		.bv = buf->bv, .file = p->file, .pos = p->pos, .size = p->e->file_size,
		.nowait = nowait,
	};
	u32 done, cached;
	size_t took = len;
	u64 read;
	int ret = 0;

	cached = vcdrom_gather_cached(d, p, n, off, len, sh, buf);
	if (cached == n || !d->left) {
		*ok = cached;
		return 0;
	}
	/* The rest through read_iter, its subheaders after the cached ones'. */
	r.pos += (u64)cached * stride;
	done = d->done;
	for (i = cached; i < n && d->left && took == len && !ret; i++) {
		if (sh >= 0) {
			ret = vcdrom_run_junk(&r, sh) ?:
			      vcdrom_run_add(&r, virt_to_page(buf->subs[i]),
					     offset_in_page(buf->subs[i]), 8);
			at = sh + 8;
		}
		ret = ret ?: vcdrom_run_junk(&r, off - at) ?: vcdrom_dest_run(d, &r, len, &took);
		if (!ret && i + 1 < n)
			ret = vcdrom_run_junk(&r, stride - off - len);
	}
	ret = ret ?: vcdrom_run_flush(&r);
	*ok = i;
	if (ret) {
		read = r.pos - p->pos - (u64)cached * stride;
		i -= cached;
		*ok = read < off + len ? 0 : min_t(u64, i, (read - off - len) / stride + 1);
		d->done = min_t(u32, d->done, done + *ok * len);
		*ok += cached;
	}
	return ret;
}

static int vcdrom_build_sector(const struct vcdrom_pos *p, u32 lba, struct vcdrom_io_buf *buf,
			       bool *has_rw, bool edc_ecc);

/* READ(10) of a scrambled sector: the whole of it unscrambled in @buf, then its user data. */
static int vcdrom_io_user_scrambled(const struct vcdrom_pos *p, u32 lba, struct vcdrom_dest *d,
				    struct vcdrom_io_buf *buf, struct vcdrom_stop *stop)
{
	bool has_rw;
	int kind;

	kind = vcdrom_build_sector(p, lba, buf, &has_rw, false);
	if (kind < 0) {
		stop->sense = SENSE_READ_ERROR;
		return -EIO;
	}
	if (kind != VCDROM_CD_MODE1 && kind != VCDROM_CD_FORM1) {
		stop->sense = SENSE_ILLEGAL_MODE_FOR_TRACK;
		return -EINVAL;
	}
	vcdrom_dest_put(d, NULL, 0, buf->sector + vcdrom_user_offset(p->e->format, kind),
			VCDROM_SECTOR_SIZE);
	return 0;
}

/*
 * How many sectors from @lba on (up to @end) one gathered run may read:
 * those left in the extent, stored with all their bytes as the image has
 * them (not scrambled, not byte-swapped, not made up); 0 for none.
 */
static u32 vcdrom_run_len(const struct vcdrom_pos *p, u32 lba, u32 end)
{
	if (!p->file || (p->e->flags & VCDROM_EXTENT_F_SCRAMBLED) ||
	    p->e->format == VCDROM_SECTOR_RAW_SWAPPED)
		return 0;
	end = min3(end, p->e->start + p->e->length, p->t->end);
	return min_t(u32, end - lba, VCDROM_RUN_MAX);
}

/*
 * READ(10) of a run of mode 1 or XA sectors stored alike: their user data
 * gathered (vcdrom_gather); an XA run stops at its first form 2 sector.
 * Returns the sectors done, or 0 with @stop set, or -EAGAIN (@nowait).
 */
static int vcdrom_io_user_run(const struct vcdrom_pos *p, u32 lba, u32 n, struct vcdrom_dest *d,
			      struct vcdrom_io_buf *buf, struct vcdrom_stop *stop, bool nowait)
{
	int sh = -1, ret;
	enum vcdrom_cd_kind kind = VCDROM_CD_MODE1;
	u32 done = d->done, ok, i;

	if (p->t->mode == VCDROM_TRACK_MODE2_XA) {
		sh = vcdrom_subheader_offset(p->e->format);
		kind = sh >= 0 ? VCDROM_CD_FORM1 : vcdrom_kind(p, NULL);
	} else if (p->t->mode != VCDROM_TRACK_MODE1) {
		kind = vcdrom_kind(p, NULL);
	}
	if (kind != VCDROM_CD_MODE1 && kind != VCDROM_CD_FORM1) {
		stop->sense = SENSE_ILLEGAL_MODE_FOR_TRACK;
		return 0;
	}
	ret = vcdrom_gather(d, p, n, vcdrom_user_offset(p->e->format, kind), VCDROM_SECTOR_SIZE,
			    sh, buf, nowait, &ok);
	if (ret == -EAGAIN)
		return ret;
	for (i = 0; sh >= 0 && i < ok; i++) {
		if (buf->subs[i][2] & 0x20) {
			stop->lba = lba + i;
			stop->sense = SENSE_ILLEGAL_MODE_FOR_TRACK;
			d->done = min_t(u32, d->done, done + i * VCDROM_SECTOR_SIZE);
			return 0;
		}
	}
	if (ret) {
		stop->lba = lba + ok;
		stop->sense = SENSE_READ_ERROR;
		return 0;
	}
	return ok;
}

/*
 * READ(10) of anything but COOKED_2048 MODE1: each sector's user data read
 * straight into the pages, a gathered run at a time where it can be. Mode 1
 * and form 1 only; XA sectors stored whole are told apart by their
 * subheader. -EAGAIN: @nowait, and a sector would have to wait or cannot
 * be gathered.
 */
static int vcdrom_io_user(struct vcdrom_command *cmd, struct vcdrom_dest *d,
			  struct vcdrom_io_buf *buf, struct vcdrom_stop *stop, bool nowait)
{
	const struct vcdrom_disc *disc = cmd->disc;
	struct vcdrom_pos p = {};
	u32 lba = cmd->lba, end = cmd->lba + cmd->count, n;
	enum vcdrom_cd_kind kind;
	u8 *subheader = buf->sector + 16;
	int at, ret;

	while (lba < end && d->left) {
		stop->lba = lba;
		if (!vcdrom_locate(disc, &p, lba)) {
			stop->sense = SENSE_LBA_OUT_OF_RANGE;
			return 0;
		}
		n = vcdrom_run_len(&p, lba, end);
		if (n) {
			ret = vcdrom_io_user_run(&p, lba, n, d, buf, stop, nowait);
			if (ret <= 0)
				return ret;
			lba += ret;
			continue;
		}
		if (nowait)
			return -EAGAIN;
		if (p.e->flags & VCDROM_EXTENT_F_SCRAMBLED) {
			if (vcdrom_io_user_scrambled(&p, lba, d, buf, stop))
				return 0;
			lba++;
			continue;
		}
		at = vcdrom_subheader_offset(p.e->format);
		if (p.t->mode == VCDROM_TRACK_MODE2_XA && at >= 0 &&
		    vcdrom_file_read_buf(p.file, subheader, 8, p.pos + at, p.e->file_size))
			goto read_error;
		kind = vcdrom_kind(&p, subheader);
		if (kind != VCDROM_CD_MODE1 && kind != VCDROM_CD_FORM1) {
			stop->sense = SENSE_ILLEGAL_MODE_FOR_TRACK;
			return 0;
		}
		d->size = p.e->file_size;
		if (vcdrom_dest_put(d, p.file, p.pos + vcdrom_user_offset(p.e->format, kind),
				    NULL, VCDROM_SECTOR_SIZE))
			goto read_error;
		lba++;
	}
	return 0;

read_error:
	stop->sense = SENSE_READ_ERROR;
	return 0;
}

/*
 * Build the whole sector at @lba in @buf->sector as a drive would read it:
 * what the image stores, and what it does not made up. EDC and ECC are
 * made up only if @edc_ecc. Returns the sector's kind, or a negative errno.
 */
static int vcdrom_build_sector(const struct vcdrom_pos *p, u32 lba, struct vcdrom_io_buf *buf,
			       bool *has_rw, bool edc_ecc)
{
	u8 *s = buf->sector;
	enum vcdrom_cd_kind kind;
	unsigned int i;
	int ret = 0;

	*has_rw = false;
	switch (p->e->format) {
	case VCDROM_SECTOR_RAW_PW:
		ret = vcdrom_file_read_buf(p->file, buf->rw, VCDROM_CD_SUB,
					   p->pos + VCDROM_CD_SECTOR, p->e->file_size);
		*has_rw = true;
		fallthrough;
	case VCDROM_SECTOR_RAW:
	case VCDROM_SECTOR_RAW_SWAPPED:
		ret = ret ?: vcdrom_file_read_buf(p->file, s, VCDROM_CD_SECTOR, p->pos,
						  p->e->file_size);
		if (p->e->format == VCDROM_SECTOR_RAW_SWAPPED)
			for (i = 0; i < VCDROM_CD_SECTOR; i += 2)
				swab16s((u16 *)(s + i));
		if (!ret && (p->e->flags & VCDROM_EXTENT_F_SCRAMBLED))
			vcdrom_cd_unscramble(s);
		return ret ?: vcdrom_kind(p, s + 16);
	case VCDROM_SECTOR_MODE2:
		ret = vcdrom_file_read_buf(p->file, s + 16, VCDROM_CD_SECTOR - 16, p->pos,
					   p->e->file_size);
		if (ret)
			return ret;
		vcdrom_cd_sync_header(s, lba, 2);
		return vcdrom_kind(p, s + 16);
	}

	/* Only user data stored, or nothing: make up the rest. */
	memset(s, 0, VCDROM_CD_SECTOR);
	kind = vcdrom_kind(p, NULL);
	if (kind == VCDROM_CD_AUDIO)
		return kind;
	if (kind == VCDROM_CD_FORM1 || kind == VCDROM_CD_FORM2)
		vcdrom_cd_subheader(s, kind == VCDROM_CD_FORM2);
	if (p->file) {
		unsigned int at = kind == VCDROM_CD_MODE1 || kind == VCDROM_CD_MODE2 ? 16 : 24;

		ret = vcdrom_file_read_buf(p->file, s + at, vcdrom_format_size[p->e->format],
					   p->pos, p->e->file_size);
		if (ret)
			return ret;
	}
	vcdrom_cd_encode(s, lba, kind, edc_ecc);
	return kind;
}

/* Where each READ CD field lies in a whole sector of each kind: offset, length. */
struct vcdrom_cd_fields {
	u16 header[2], subheader[2], user[2], edc[2];
};

static const struct vcdrom_cd_fields vcdrom_cd_fields[] = {
	[VCDROM_CD_AUDIO] = { .user = { 0, 2352 } },
	[VCDROM_CD_MODE1] = { { 12, 4 }, { 16, 0 }, { 16, 2048 }, { 2064, 288 } },
	[VCDROM_CD_MODE2] = { { 12, 4 }, { 16, 0 }, { 16, 2336 }, { 2352, 0 } },
	[VCDROM_CD_FORM1] = { { 12, 4 }, { 16, 8 }, { 24, 2048 }, { 2072, 280 } },
	[VCDROM_CD_FORM2] = { { 12, 4 }, { 16, 8 }, { 24, 2324 }, { 2348, 4 } },
};

static int vcdrom_dest_field(struct vcdrom_dest *d, const u8 *s, const u16 *f)
{
	return vcdrom_dest_put(d, NULL, 0, s + f[0], f[1]);
}

#define VCDROM_C2_BYTES		294	/* one bit per byte of the sector */

/*
 * The stored sub-channel of the sector at @lba as raw P-W, in @buf->rw
 * (where RAW_PW sectors have theirs already) and @buf->sub.
 */
static int vcdrom_stored_sub(const struct vcdrom_disc *disc, const struct vcdrom_pos *p,
			     u32 lba, struct vcdrom_io_buf *buf)
{
	const struct vcdrom_extent *e = p->e;
	int ret;

	if (e->sub_in_file) {
		ret = vcdrom_file_read_buf(disc->files[e->sub_file], buf->rw, VCDROM_CD_SUB,
					   e->sub_offset + (u64)(lba - e->start) * VCDROM_CD_SUB,
					   e->sub_file_size);
		if (ret)
			return ret;
	}
	if (e->sub_format == VCDROM_SUB_PW_LINEAR) {
		vcdrom_cd_pw_interleave(buf->sub, buf->rw);
		memcpy(buf->rw, buf->sub, VCDROM_CD_SUB);
	} else {
		memcpy(buf->sub, buf->rw, VCDROM_CD_SUB);
	}
	return 0;
}

/*
 * The stored R-W of the sector at @lba in @rw (low 6 bits of its raw P-W:
 * from a sub-channel stored beside it, or inside a RAW_PW sector), zeros
 * where none is stored or past the disc.
 */
static int vcdrom_rw_at(const struct vcdrom_disc *disc, u32 lba, u8 *rw)
{
	struct vcdrom_pos p = {};
	const struct vcdrom_extent *e;
	u8 linear[VCDROM_CD_SUB];
	unsigned int i;
	int ret = 0;

	memset(rw, 0, VCDROM_CD_SUB);
	if (lba >= disc->sectors || !vcdrom_locate(disc, &p, lba))
		return 0;
	e = p.e;
	if (e->sub_in_file && e->sub_format == VCDROM_SUB_PW_LINEAR) {
		ret = vcdrom_file_read_buf(disc->files[e->sub_file], linear, VCDROM_CD_SUB,
					   e->sub_offset + (u64)(lba - e->start) * VCDROM_CD_SUB,
					   e->sub_file_size);
		if (!ret)
			vcdrom_cd_pw_interleave(rw, linear);
	} else if (e->sub_in_file) {
		ret = vcdrom_file_read_buf(disc->files[e->sub_file], rw, VCDROM_CD_SUB,
					   e->sub_offset + (u64)(lba - e->start) * VCDROM_CD_SUB,
					   e->sub_file_size);
	} else if (e->format == VCDROM_SECTOR_RAW_PW) {
		ret = vcdrom_file_read_buf(p.file, rw, VCDROM_CD_SUB, p.pos + VCDROM_CD_SECTOR,
					   e->file_size);
	}
	for (i = 0; i < VCDROM_CD_SUB; i++)
		rw[i] &= 0x3f;
	return ret;
}

/*
 * The four R-W packs that start in the sector at @lba, de-interleaved (not
 * corrected), in @buf->sub: its stored R-W and the next two sectors', kept
 * in @buf->rw3 so that a read of consecutive sectors reads each once.
 */
static int vcdrom_rw_packs(const struct vcdrom_disc *disc, u32 lba, struct vcdrom_io_buf *buf)
{
	unsigned int i, keep = 0;
	int ret;

	if (buf->rw_valid && lba >= buf->rw_lba && lba - buf->rw_lba < 3) {
		keep = 3 - (lba - buf->rw_lba);
		memmove(buf->rw3, buf->rw3 + (3 - keep) * VCDROM_CD_SUB, keep * VCDROM_CD_SUB);
	}
	buf->rw_valid = false;
	for (i = keep; i < 3; i++) {
		ret = vcdrom_rw_at(disc, lba + i, buf->rw3 + i * VCDROM_CD_SUB);
		if (ret)
			return ret;
	}
	buf->rw_lba = lba;
	buf->rw_valid = true;
	vcdrom_cd_rw_deinterleave(buf->sub, buf->rw3);
	return 0;
}

/* Whether @fields of a sector of @kind are all of its 2352 bytes. */
static bool vcdrom_cd_whole(u8 fields, enum vcdrom_cd_kind kind)
{
	const struct vcdrom_cd_fields *f = &vcdrom_cd_fields[kind];
	unsigned int len = 0;

	if (kind == VCDROM_CD_AUDIO)	/* user data is all of it */
		return fields & VCDROM_RCD_USER;
	if (fields & VCDROM_RCD_SYNC)
		len += 12;
	if (fields & VCDROM_RCD_HEADER)
		len += f->header[1];
	if (fields & VCDROM_RCD_SUBHEADER)
		len += f->subheader[1];
	if (fields & VCDROM_RCD_USER)
		len += f->user[1];
	if (fields & VCDROM_RCD_EDC_ECC)
		len += f->edc[1];
	return len == VCDROM_CD_SECTOR;
}

/*
 * READ CD of whole sectors stored whole (RAW, RAW_PW), of any kind or the
 * track's, with no C2 pointers or sub-channel (as rippers and cdrdao read):
 * how many from @lba on may be gathered as they are stored; 0 for none.
 */
static u32 vcdrom_cd_run_len(const struct vcdrom_command *cmd, const struct vcdrom_pos *p,
			     u32 lba, u32 end)
{
	enum vcdrom_cd_kind kind;

	if (cmd->sub != VCDROM_RCD_SUB_NONE || (cmd->fields & VCDROM_RCD_C2) ||
	    (p->e->format != VCDROM_SECTOR_RAW && p->e->format != VCDROM_SECTOR_RAW_PW))
		return 0;
	switch (p->t->mode) {
	case VCDROM_TRACK_AUDIO:
		kind = VCDROM_CD_AUDIO;
		break;
	case VCDROM_TRACK_MODE1:
		kind = VCDROM_CD_MODE1;
		break;
	case VCDROM_TRACK_MODE2:
		kind = VCDROM_CD_MODE2;
		break;
	default:
		/* XA: form 1 or 2 by each subheader; the same fields make either whole. */
		if (cmd->type != VCDROM_CD_ANY || !vcdrom_cd_whole(cmd->fields, VCDROM_CD_FORM1))
			return 0;
		return vcdrom_run_len(p, lba, end);
	}
	if ((cmd->type != VCDROM_CD_ANY && cmd->type != kind) ||
	    !vcdrom_cd_whole(cmd->fields, kind))
		return 0;
	return vcdrom_run_len(p, lba, end);
}

/*
 * READ CD: the fields asked for of each sector, then C2 pointers and
 * subchannel; whole stored sectors a gathered run at a time. -EAGAIN:
 * @nowait, and a sector would have to wait or cannot be gathered.
 */
static int vcdrom_io_cd(struct vcdrom_command *cmd, struct vcdrom_dest *d,
			struct vcdrom_io_buf *buf, struct vcdrom_stop *stop, bool nowait)
{
	const struct vcdrom_disc *disc = cmd->disc;
	bool edc_ecc = cmd->fields & VCDROM_RCD_EDC_ECC, has_rw, p_bit;
	u32 lba = cmd->lba, end = cmd->lba + cmd->count;
	const struct vcdrom_cd_fields *f;
	struct vcdrom_pos p = {};
	const u8 *s = buf->sector;
	u8 c2 = cmd->fields & VCDROM_RCD_C2;
	u32 n, ok;
	int kind, ret;

	for (; lba < end && d->left; lba++) {
		stop->lba = lba;
		if (!vcdrom_locate(disc, &p, lba)) {
			stop->sense = SENSE_LBA_OUT_OF_RANGE;
			return 0;
		}
		n = vcdrom_cd_run_len(cmd, &p, lba, end);
		if (n) {
			ret = vcdrom_gather(d, &p, n, 0, VCDROM_CD_SECTOR, -1, buf, nowait, &ok);
			if (ret == -EAGAIN)
				return ret;
			if (ret) {
				stop->lba = lba + ok;
				goto read_error;
			}
			if (!ok)	/* the command's pages are full */
				break;
			lba += ok - 1;
			continue;
		}
		if (nowait)
			return -EAGAIN;
		kind = vcdrom_build_sector(&p, lba, buf, &has_rw, edc_ecc);
		if (kind < 0)
			goto read_error;
		if (cmd->type != VCDROM_CD_ANY && cmd->type != kind) {
			stop->sense = SENSE_ILLEGAL_MODE_FOR_TRACK;
			return 0;
		}
		f = &vcdrom_cd_fields[kind];
		if (kind == VCDROM_CD_AUDIO) {
			/* Sync, headers and EDC/ECC do not apply: user data is all of it. */
			if (cmd->fields & VCDROM_RCD_USER)
				vcdrom_dest_field(d, s, f->user);
		} else {
			if (cmd->fields & VCDROM_RCD_SYNC)
				vcdrom_dest_put(d, NULL, 0, s, 12);
			if (cmd->fields & VCDROM_RCD_HEADER)
				vcdrom_dest_field(d, s, f->header);
			if (cmd->fields & VCDROM_RCD_SUBHEADER)
				vcdrom_dest_field(d, s, f->subheader);
			if (cmd->fields & VCDROM_RCD_USER)
				vcdrom_dest_field(d, s, f->user);
			if (edc_ecc)
				vcdrom_dest_field(d, s, f->edc);
		}
		/* C2 pointers: no errors; then the block error byte and a pad byte. */
		if (c2)
			vcdrom_dest_put(d, NULL, 0, NULL, VCDROM_C2_BYTES + (c2 == 0x04 ? 2 : 0));
		if (cmd->sub == VCDROM_RCD_SUB_NONE)
			continue;
		if (p.e->sub_format != VCDROM_SUB_NONE) {
			/* As stored: raw P-W in buf->sub, Q and P from it. */
			if (vcdrom_stored_sub(disc, &p, lba, buf))
				goto read_error;
			p_bit = vcdrom_cd_pw_q(buf->q, buf->sub);
			has_rw = true;
		} else {
			p_bit = vcdrom_cd_subq(disc, p.t, lba, buf->q);
			vcdrom_cd_pw(buf->sub, buf->q, p_bit, has_rw ? buf->rw : NULL);
		}
		switch (cmd->sub) {
		case VCDROM_RCD_SUB_RAW:
			vcdrom_dest_put(d, NULL, 0, buf->sub, VCDROM_CD_SUB);
			break;
		case VCDROM_RCD_SUB_Q:
			/* Q with its CRC, three zero bytes, P in bit 7 of the last. */
			memset(buf->sub, 0, 16);
			memcpy(buf->sub, buf->q, 12);
			buf->sub[15] = p_bit ? 0x80 : 0;
			vcdrom_dest_put(d, NULL, 0, buf->sub, 16);
			break;
		default:
			/* R-W de-interleaved (not corrected), or zeros where none is stored. */
			if (!has_rw)
				memset(buf->sub, 0, VCDROM_CD_SUB);
			else if (vcdrom_rw_packs(disc, lba, buf))
				goto read_error;
			vcdrom_dest_put(d, NULL, 0, buf->sub, VCDROM_CD_SUB);
			break;
		}
	}
	return 0;

read_error:
	stop->sense = SENSE_READ_ERROR;
	return 0;
}

/*
 * READ SUB-CHANNEL 01h at a sector with a stored sub-channel: the header
 * (the audio status taken under the drive lock), then the position its Q
 * gives, or the made-up one where that Q is not a position.
 */
static void vcdrom_io_subq(struct vcdrom_command *cmd, struct vcdrom_dest *d,
			   struct vcdrom_io_buf *buf, struct vcdrom_stop *stop)
{
	const struct vcdrom_disc *disc = cmd->disc;
	struct vcdrom_pos p = {};
	u8 *b = buf->sector;
	int ret = 0;

	stop->lba = cmd->lba;
	if (!vcdrom_locate(disc, &p, cmd->lba) || p.e->sub_format == VCDROM_SUB_NONE) {
		stop->sense = SENSE_LBA_OUT_OF_RANGE;	/* subq_stored() said otherwise */
		return;
	}
	if (!p.e->sub_in_file)
		ret = vcdrom_file_read_buf(p.file, buf->rw, VCDROM_CD_SUB,
					   p.pos + VCDROM_CD_SECTOR, p.e->file_size);
	if (ret || vcdrom_stored_sub(disc, &p, cmd->lba, buf)) {
		stop->sense = SENSE_READ_ERROR;
		return;
	}
	vcdrom_cd_pw_q(buf->q, buf->sub);
	memset(b, 0, 16);
	b[1] = cmd->type;
	put_unaligned_be16(vcdrom_subq_position(disc, cmd->lba, buf->q, cmd->fields, b) - 4, &b[2]);
	vcdrom_dest_put(d, NULL, 0, b, cmd->bytes);
}

/*
 * Complete a read that put @done bytes, with @sense (information: @info)
 * unless 0. A queued read leaves its queue first: from here on no timeout
 * signals its reader for it, and a signal that came is dropped.
 */
static void vcdrom_io_complete(struct vcdrom_command *cmd, vcdrom_sense_t sense, u32 info,
			       u32 done)
{
	struct vcdrom_io_queue *q = cmd->q;
	struct scsi_cmnd *scmd = cmd->scmd;

	if (q) {
		spin_lock(&q->lock);
		q->reading = NULL;
		cmd->q = NULL;
		spin_unlock(&q->lock);
		flush_signals(current);
	}
	scsi_set_resid(scmd, scsi_bufflen(scmd) - done);
	if (!sense) {
		scmd->result = SAM_STAT_GOOD;
		scsi_done(scmd);
		return;
	}
	scsi_build_sense(scmd, 0, VCDROM_SENSE_KEY(sense), VCDROM_SENSE_ASC(sense),
			 VCDROM_SENSE_ASCQ(sense));
	scsi_set_sense_information(scmd->sense_buffer, SCSI_SENSE_BUFFERSIZE, info);
	scsi_done_direct(scmd);	/* a failure: never from the softirq (scsi.c) */
}

/*
 * Drop @cmd's disc and complete a 2048-byte read that put @done bytes; when
 * @ret is an error, MEDIUM ERROR at the first sector not read whole.
 */
static void vcdrom_io_finish(struct vcdrom_command *cmd, int ret, u32 done)
{
	vcdrom_disc_put(cmd->disc);
	cmd->disc = NULL;
	vcdrom_io_complete(cmd, ret ? SENSE_READ_ERROR : 0,
			   cmd->lba + done / VCDROM_SECTOR_SIZE, done);
}

/*
 * READ(10) of other than COOKED_2048, READ CD, a stored Q: sector by
 * sector, or a gathered run at a time. @nowait (queuecommand's inline
 * reads, USER and CD): -EAGAIN, and @cmd not completed, when that would
 * wait on the store or cannot be gathered.
 */
static int vcdrom_io_sectors(struct vcdrom_command *cmd, bool nowait)
{
	struct scsi_cmnd *scmd = cmd->scmd;
	struct vcdrom_stop stop = {};
	struct vcdrom_io_buf *buf;
	struct vcdrom_dest d = {
		.left = cmd->how == VCDROM_IO_CD ? scsi_bufflen(scmd) : cmd->bytes,
	};
	int ret = 0;

	/* May wait for a buffer another command gives back, never fails (but @nowait). */
	buf = mempool_alloc(vcdrom_buf_pool, nowait ? GFP_NOWAIT | __GFP_NOWARN : GFP_NOIO);
	if (!buf)
		return -EAGAIN;
	buf->rw_valid = false;		/* another command's, maybe of another disc */
	sg_miter_start(&d.m, scsi_sglist(scmd), scsi_sg_count(scmd), SG_MITER_TO_SG);
	if (cmd->how == VCDROM_IO_USER)
		ret = vcdrom_io_user(cmd, &d, buf, &stop, nowait);
	else if (cmd->how == VCDROM_IO_SUBQ)
		vcdrom_io_subq(cmd, &d, buf, &stop);
	else
		ret = vcdrom_io_cd(cmd, &d, buf, &stop, nowait);
	sg_miter_stop(&d.m);
	mempool_free(buf, vcdrom_buf_pool);
	if (ret)
		return ret;
	vcdrom_disc_put(cmd->disc);
	cmd->disc = NULL;
	vcdrom_io_complete(cmd, stop.sense, stop.lba, d.done);
	return 0;
}

/*
 * Serve one queued read and complete it; from the worker, or from
 * queuecommand where it may sleep. No I/O from reclaim while we hold pages.
 */
void vcdrom_io_read(struct vcdrom_command *cmd)
{
	unsigned int noio;
	u32 done = 0;
	int ret;

	noio = memalloc_noio_save();
	if (cmd->how != VCDROM_IO_COOKED) {
		vcdrom_io_sectors(cmd, false);
		memalloc_noio_restore(noio);
		return;
	}
	ret = vcdrom_io_cooked(cmd, &done, false);
	memalloc_noio_restore(noio);
	vcdrom_io_finish(cmd, ret, done);
}

#if VCDROM_INLINE_IO
/*
 * queuecommand where it may sleep (6.12+): serve a small read at once, with
 * no wakeup of the reader, when that cannot wait on the backing store. A
 * MODE1 read takes only what the page cache holds (IOCB_NOWAIT|IOCB_NOIO,
 * or held tmpfs folios), so it may even run inside submit_bio, where I/O
 * of ours would wait on current->bio_list for ever; on a miss the reader
 * does it all again. READ(10) and READ CD of gathered runs (vcdrom_gather)
 * do the same. Other reads run here only from a tmpfs image and outside
 * submit_bio. Every read that can wait on a store is the reader's,
 * and so ends at its timeout (vcdrom_io_abort). False: queue @cmd.
 */
bool vcdrom_io_try_inline(struct vcdrom_command *cmd)
{
	unsigned int noio;
	u32 done = 0;
	int ret;

	if (cmd->bytes > VCDROM_INLINE_MAX)
		return false;
	if (cmd->how != VCDROM_IO_COOKED) {
		if (cmd->how != VCDROM_IO_SUBQ) {
			noio = memalloc_noio_save();
			ret = vcdrom_io_sectors(cmd, true);
			memalloc_noio_restore(noio);
			if (!ret)
				return true;
		}
		if (current->bio_list || cmd->disc->on_store)
			return false;
		vcdrom_io_read(cmd);
		return true;
	}
	noio = memalloc_noio_save();
	ret = vcdrom_io_cooked(cmd, &done, true);
	memalloc_noio_restore(noio);
	if (ret == -EAGAIN)
		return false;
	vcdrom_io_finish(cmd, ret, done);
	return true;
}
#endif

/* Read @cmd, or fail it unread if it timed out while it waited its turn. */
static void vcdrom_io_serve(struct vcdrom_io_queue *q, struct vcdrom_command *cmd)
{
	bool aborted;

	spin_lock(&q->lock);
	aborted = cmd->aborted;
	if (!aborted)
		q->reading = cmd;
	spin_unlock(&q->lock);
	if (!aborted) {
		vcdrom_io_read(cmd);
		return;
	}
	vcdrom_io_finish(cmd, -EIO, 0);
}

/*
 * A host queue's reader. It sleeps as TASK_IDLE (no load, not freezable)
 * and lets SIGKILL in: a timeout kills it out of a read that waits on its
 * backing store (vcdrom_io_abort).
 */
static int vcdrom_io_thread(void *data)
{
	struct vcdrom_io_queue *q = data;
	struct vcdrom_command *cmd, *next;
	struct llist_node *list;

	allow_signal(SIGKILL);
	for (;;) {
		set_current_state(TASK_IDLE);
		if (llist_empty(&q->cmds)) {
			if (kthread_should_stop())
				break;
			schedule();
			continue;
		}
		__set_current_state(TASK_RUNNING);
		/* llist hands them back newest first: turn them round, oldest first. */
		list = llist_reverse_order(llist_del_all(&q->cmds));
		llist_for_each_entry_safe(cmd, next, list, node)
			vcdrom_io_serve(q, cmd);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* Queue @cmd on its host queue's list; wake that queue's reader if the list was empty. */
void vcdrom_io_queue(struct vcdrom_drive *drive, struct vcdrom_command *cmd)
{
	struct request *rq = scsi_cmd_to_rq(cmd->scmd);
	struct vcdrom_io_queue *q = &drive->io[rq->mq_hctx->queue_num % VCDROM_HW_QUEUES];

	cmd->aborted = false;
	cmd->q = q;
	if (llist_add(&cmd->node, &q->cmds))
		wake_up_process(q->task);
}

/*
 * A command's timeout (scsi.c): a read that has waited so long on its
 * backing store fails, as a real drive's host gives up on a command that
 * never ends. Its reader is killed out of the wait (the page cache waits
 * killably for a read, as NFS and FUSE do for their servers), the read
 * returns an error and completes as MEDIUM ERROR; one queued behind it
 * fails unread. A wait that cannot be killed goes on, and the next timeout
 * tries again. False when @cmd is no read of ours in flight. The midlayer
 * holds the request while it calls us, so @cmd is not reused meanwhile.
 */
bool vcdrom_io_abort(struct vcdrom_command *cmd)
{
	struct vcdrom_io_queue *q = READ_ONCE(cmd->q);
	bool first = false, ours;

	if (!q)
		return false;
	spin_lock(&q->lock);
	ours = cmd->q == q;
	if (ours) {
		first = !cmd->aborted;
		cmd->aborted = true;
		if (q->reading == cmd)
			send_sig(SIGKILL, q->task, 1);
	}
	spin_unlock(&q->lock);
	if (first)
		pr_warn_ratelimited("%s: a read at LBA %u timed out waiting for the image's backing store: failed\n",
				    dev_name(&cmd->scmd->device->sdev_gendev), cmd->lba);
	return ours;
}

void vcdrom_io_init_drive(struct vcdrom_drive *drive)
{
	unsigned int i;

	for (i = 0; i < VCDROM_HW_QUEUES; i++) {
		init_llist_head(&drive->io[i].cmds);
		spin_lock_init(&drive->io[i].lock);
	}
}

/*
 * A drive's readers, one per host queue, started at its first disc (an
 * empty drive costs no threads) and before the disc is published under
 * drive->lock, which orders them before any read can be queued. Under the
 * control lock; none is left half started.
 */
int vcdrom_io_start_drive(struct vcdrom_drive *drive)
{
	struct task_struct *task;
	unsigned int i;

	if (drive->io[0].task)
		return 0;
	for (i = 0; i < VCDROM_HW_QUEUES; i++) {
		task = kthread_run(vcdrom_io_thread, &drive->io[i], "vcdrom%u.%u", drive->id, i);
		if (IS_ERR(task)) {
			while (i--) {
				kthread_stop(drive->io[i].task);
				drive->io[i].task = NULL;
			}
			return PTR_ERR(task);
		}
		drive->io[i].task = task;
	}
	return 0;
}

/* Once no command can reach the drive: its readers are idle; stop them. */
void vcdrom_io_exit_drive(struct vcdrom_drive *drive)
{
	unsigned int i;

	for (i = 0; i < VCDROM_HW_QUEUES; i++)
		if (drive->io[i].task)
			kthread_stop(drive->io[i].task);
}

int vcdrom_io_init(void)
{
	vcdrom_cd_init();
	vcdrom_junk = alloc_page(GFP_KERNEL);
	if (!vcdrom_junk)
		return -ENOMEM;
	vcdrom_buf_pool = mempool_create_kmalloc_pool(VCDROM_IO_BUFS,
						      sizeof(struct vcdrom_io_buf));
	if (!vcdrom_buf_pool) {
		__free_page(vcdrom_junk);
		return -ENOMEM;
	}
	return 0;
}

void vcdrom_io_exit(void)
{
	mempool_destroy(vcdrom_buf_pool);
	__free_page(vcdrom_junk);
}
