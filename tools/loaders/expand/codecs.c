// SPDX-License-Identifier: GPL-2.0
/*
 * The general-purpose compressors an image may come in: gzip (zlib), xz
 * (liblzma), zstd (libzstd) and bzip2 (libbz2). Each verifies what its
 * format checks (gzip's CRC-32 and length, xz's and zstd's checks where
 * the stream has them, bzip2's block and stream CRCs). Concatenated
 * members, streams or frames are one output, as their own tools have it;
 * bytes after the last that start none are refused (but gzip's and xz's
 * zero padding).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "expand.h"

#define BUF_SIZE	(256 * 1024)

struct bufs {
	uint8_t *in, *out;
};

static int bufs_get(struct vcd_xio *io, struct bufs *b)
{
	b->in = malloc(BUF_SIZE);
	b->out = malloc(BUF_SIZE);
	if (b->in && b->out)
		return 0;
	free(b->in);
	free(b->out);
	return vcd_load_fail(io->ld, ENOMEM, io->path, NULL);
}

static void bufs_put(struct bufs *b)
{
	free(b->in);
	free(b->out);
}

/* Where the next unread byte of input is, with @avail of it still in the buffer. */
static uint64_t at(const struct vcd_xio *io, size_t avail)
{
	return io->in_pos - avail;
}

/* True when the rest of the input (@avail bytes at @p, then the file) is zeros. */
static int only_zeros(struct vcd_xio *io, const uint8_t *p, size_t avail, uint8_t *buf)
{
	ssize_t n;
	size_t i;

	for (;;) {
		for (i = 0; i < avail; i++)
			if (p[i])
				return vcd_xio_corrupt(io, at(io, avail - i),
						       "data after the end of the stream");
		n = vcd_xio_read(io, buf, BUF_SIZE);
		if (n <= 0)
			return n;
		p = buf;
		avail = n;
	}
}

/* ---- gzip ---- */

static bool probe_gzip(const uint8_t *h, size_t len)
{
	return len >= 3 && h[0] == 0x1f && h[1] == 0x8b && h[2] == 8;
}

static int expand_gzip(struct vcd_xio *io)
{
	z_stream z = { 0 };
	struct bufs b;
	ssize_t n;
	int ret, zr = Z_OK;

	ret = bufs_get(io, &b);
	if (ret)
		return ret;
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		bufs_put(&b);
		return vcd_load_fail(io->ld, ENOMEM, io->path, "zlib: %s", z.msg ? z.msg : "init");
	}
	for (;;) {
		if (!z.avail_in) {
			n = vcd_xio_read(io, b.in, BUF_SIZE);
			if (n < 0) {
				ret = n;
				break;
			}
			if (!n) {
				ret = zr == Z_STREAM_END ? 0 :
				      vcd_xio_corrupt(io, io->in_pos, "truncated: the gzip stream "
						      "ends before its end");
				break;
			}
			z.next_in = b.in;
			z.avail_in = n;
		}
		if (zr == Z_STREAM_END) {
			/* another member, or padding */
			if (z.next_in[0] != 0x1f) {
				ret = only_zeros(io, z.next_in, z.avail_in, b.in);
				break;
			}
			inflateReset(&z);
		}
		z.next_out = b.out;
		z.avail_out = BUF_SIZE;
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
			ret = zr == Z_MEM_ERROR ? vcd_load_fail(io->ld, ENOMEM, io->path, NULL) :
			      vcd_xio_corrupt(io, at(io, z.avail_in), "zlib: %s",
					      z.msg ? z.msg : zError(zr));
			break;
		}
		ret = vcd_xio_write(io, b.out, BUF_SIZE - z.avail_out);
		if (ret)
			break;
	}
	inflateEnd(&z);
	bufs_put(&b);
	return ret;
}

const struct vcd_expander vcd_expander_gzip = {
	.name = "gzip", .probe = probe_gzip, .expand = expand_gzip,
};

/* ---- xz ---- */

static bool probe_xz(const uint8_t *h, size_t len)
{
	return len >= 6 && !memcmp(h, "\xfd" "7zXZ\0", 6);
}

static const char *lzma_why(lzma_ret r)
{
	switch (r) {
	case LZMA_FORMAT_ERROR:
		return "not in the .xz format";
	case LZMA_OPTIONS_ERROR:
		return "unsupported compression options";
	case LZMA_DATA_ERROR:
		return "compressed data is corrupt";
	case LZMA_BUF_ERROR:
		return "unexpected end of input";
	case LZMA_MEMLIMIT_ERROR:
	case LZMA_MEM_ERROR:
		return "out of memory";
	default:
		return "internal error";
	}
}

static int expand_xz(struct vcd_xio *io)
{
	lzma_stream z = LZMA_STREAM_INIT;
	lzma_action action = LZMA_RUN;
	struct bufs b;
	lzma_ret lr;
	ssize_t n;
	int ret;

	ret = bufs_get(io, &b);
	if (ret)
		return ret;
	/* concatenated streams and stream padding, as xz -d; any check it knows, verified */
	if (lzma_stream_decoder(&z, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
		bufs_put(&b);
		return vcd_load_fail(io->ld, ENOMEM, io->path, NULL);
	}
	for (;;) {
		if (!z.avail_in && action == LZMA_RUN) {
			n = vcd_xio_read(io, b.in, BUF_SIZE);
			if (n < 0) {
				ret = n;
				break;
			}
			if (!n)
				action = LZMA_FINISH;
			z.next_in = b.in;
			z.avail_in = n;
		}
		z.next_out = b.out;
		z.avail_out = BUF_SIZE;
		lr = lzma_code(&z, action);
		ret = vcd_xio_write(io, b.out, BUF_SIZE - z.avail_out);
		if (ret)
			break;
		if (lr == LZMA_STREAM_END)
			break;
		if (lr != LZMA_OK) {
			if (lr == LZMA_BUF_ERROR)
				ret = vcd_xio_corrupt(io, io->in_pos, "truncated: the xz stream "
						      "ends before its end");
			else if (lr == LZMA_MEM_ERROR)
				ret = vcd_load_fail(io->ld, ENOMEM, io->path, NULL);
			else
				ret = vcd_xio_corrupt(io, at(io, z.avail_in), "liblzma: %s",
						      lzma_why(lr));
			break;
		}
	}
	lzma_end(&z);
	bufs_put(&b);
	return ret;
}

const struct vcd_expander vcd_expander_xz = {
	.name = "xz", .probe = probe_xz, .expand = expand_xz,
};

/* ---- zstd ---- */

static bool probe_zstd(const uint8_t *h, size_t len)
{
	return len >= 4 && !memcmp(h, "\x28\xb5\x2f\xfd", 4);
}

static int expand_zstd(struct vcd_xio *io)
{
	ZSTD_DCtx *z = ZSTD_createDCtx();
	ZSTD_inBuffer in = { 0 };
	ZSTD_outBuffer out;
	size_t zr = 0;
	struct bufs b;
	ssize_t n;
	int ret;

	if (!z)
		return vcd_load_fail(io->ld, ENOMEM, io->path, NULL);
	ret = bufs_get(io, &b);
	if (ret) {
		ZSTD_freeDCtx(z);
		return ret;
	}
	in.src = b.in;
	for (;;) {
		if (in.pos == in.size) {
			n = vcd_xio_read(io, b.in, BUF_SIZE);
			if (n < 0) {
				ret = n;
				break;
			}
			/* zr 0: the last frame is complete; frames may follow each other */
			if (!n) {
				ret = !zr ? 0 : vcd_xio_corrupt(io, io->in_pos, "truncated: the "
								"zstd frame ends before its end");
				break;
			}
			in.size = n;
			in.pos = 0;
		}
		out.dst = b.out;
		out.size = BUF_SIZE;
		out.pos = 0;
		zr = ZSTD_decompressStream(z, &out, &in);
		if (ZSTD_isError(zr)) {
			ret = vcd_xio_corrupt(io, at(io, in.size - in.pos), "zstd: %s",
					      ZSTD_getErrorName(zr));
			break;
		}
		ret = vcd_xio_write(io, b.out, out.pos);
		if (ret)
			break;
	}
	ZSTD_freeDCtx(z);
	bufs_put(&b);
	return ret;
}

const struct vcd_expander vcd_expander_zstd = {
	.name = "zstd", .probe = probe_zstd, .expand = expand_zstd,
};

/* ---- bzip2 ---- */

static bool probe_bzip2(const uint8_t *h, size_t len)
{
	return len >= 4 && !memcmp(h, "BZh", 3) && h[3] >= '1' && h[3] <= '9';
}

static const char *bz_why(int r)
{
	switch (r) {
	case BZ_DATA_ERROR:
		return "data integrity error (a CRC does not match)";
	case BZ_DATA_ERROR_MAGIC:
		return "not bzip2 data";
	case BZ_MEM_ERROR:
		return "out of memory";
	default:
		return "internal error";
	}
}

/* A new stream's decoder, the input where it was. */
static int restart_bzip2(struct vcd_xio *io, bz_stream *z)
{
	char *next = z->next_in;
	unsigned int avail = z->avail_in;

	BZ2_bzDecompressEnd(z);
	memset(z, 0, sizeof(*z));
	if (BZ2_bzDecompressInit(z, 0, 0) != BZ_OK)
		return vcd_load_fail(io->ld, ENOMEM, io->path, NULL);
	z->next_in = next;
	z->avail_in = avail;
	return 0;
}

static int expand_bzip2(struct vcd_xio *io)
{
	bz_stream z = { 0 };
	bool end = false;
	struct bufs b;
	int ret, br;
	ssize_t n;

	ret = bufs_get(io, &b);
	if (ret)
		return ret;
	if (BZ2_bzDecompressInit(&z, 0, 0) != BZ_OK) {
		bufs_put(&b);
		return vcd_load_fail(io->ld, ENOMEM, io->path, NULL);
	}
	for (;;) {
		if (!z.avail_in) {
			n = vcd_xio_read(io, b.in, BUF_SIZE);
			if (n < 0) {
				ret = n;
				break;
			}
			if (!n) {
				ret = end ? 0 : vcd_xio_corrupt(io, io->in_pos, "truncated: the "
								"bzip2 stream ends before its end");
				break;
			}
			z.next_in = (char *)b.in;
			z.avail_in = n;
		}
		if (end) {
			/* another stream, as bzip2 -d takes them: its 4-byte header whole */
			if (z.avail_in < 4) {
				memmove(b.in, z.next_in, z.avail_in);
				n = vcd_xio_read(io, b.in + z.avail_in, BUF_SIZE - z.avail_in);
				if (n < 0) {
					ret = n;
					break;
				}
				z.next_in = (char *)b.in;
				z.avail_in += n;
			}
			if (!probe_bzip2((const uint8_t *)z.next_in, z.avail_in)) {
				ret = vcd_xio_corrupt(io, at(io, z.avail_in),
						      "data after the end of the stream");
				break;
			}
			ret = restart_bzip2(io, &z);
			if (ret)
				break;
			end = false;
		}
		z.next_out = (char *)b.out;
		z.avail_out = BUF_SIZE;
		br = BZ2_bzDecompress(&z);
		if (br != BZ_OK && br != BZ_STREAM_END) {
			ret = br == BZ_MEM_ERROR ? vcd_load_fail(io->ld, ENOMEM, io->path, NULL) :
			      vcd_xio_corrupt(io, at(io, z.avail_in), "libbz2: %s", bz_why(br));
			break;
		}
		ret = vcd_xio_write(io, b.out, BUF_SIZE - z.avail_out);
		if (ret)
			break;
		end = br == BZ_STREAM_END;
	}
	BZ2_bzDecompressEnd(&z);
	bufs_put(&b);
	return ret;
}

const struct vcd_expander vcd_expander_bzip2 = {
	.name = "bzip2", .probe = probe_bzip2, .expand = expand_bzip2,
};
