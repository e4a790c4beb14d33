// SPDX-License-Identifier: GPL-2.0
/*
 * The CHD hunk codecs, on Debian's zlib, liblzma, libzstd and libFLAC:
 *
 * zlib	raw deflate
 * lzma	raw LZMA, lc 3 lp 0 pb 2, the dictionary as chdman sizes it
 * huff	MAME's 8-bit Huffman code (its tree first)
 * flac	'L' or 'B' (the samples' byte order out), then FLAC frames of
 *	16-bit stereo without a stream header
 * zstd	a zstd frame
 * cdzl, cdlz, cdzs
 *	a CD hunk of frames (2352 + 96 bytes): a bitmap of the frames whose
 *	sync and ECC were stripped, the length of the sectors' part (2 bytes,
 *	3 from 64 KiB hunks on), the 2352-byte parts with deflate, LZMA or
 *	zstd, then the 96-byte parts with deflate (zstd for cdzs)
 * cdfl	FLAC frames of the 2352-byte parts (big-endian samples out), then
 *	the 96-byte parts with deflate
 */
#include <stdlib.h>
#include <string.h>

#include <FLAC/stream_decoder.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "chd.h"
#include "chd_int.h"
#include "common/common.h"

#define ZLIB	CHD_CODEC('z', 'l', 'i', 'b')
#define LZMA	CHD_CODEC('l', 'z', 'm', 'a')
#define HUFF	CHD_CODEC('h', 'u', 'f', 'f')
#define FLAC	CHD_CODEC('f', 'l', 'a', 'c')
#define ZSTD	CHD_CODEC('z', 's', 't', 'd')
#define CDZL	CHD_CODEC('c', 'd', 'z', 'l')
#define CDLZ	CHD_CODEC('c', 'd', 'l', 'z')
#define CDZS	CHD_CODEC('c', 'd', 'z', 's')
#define CDFL	CHD_CODEC('c', 'd', 'f', 'l')

bool chd_codec_known(uint32_t tag)
{
	switch (tag) {
	case ZLIB: case LZMA: case HUFF: case FLAC: case ZSTD:
	case CDZL: case CDLZ: case CDZS: case CDFL:
		return true;
	}
	return false;
}

static const char *inflate_raw(const uint8_t *src, size_t len, uint8_t *dst, size_t dst_len)
{
	z_stream z;
	int ret;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
		return "out of memory";
	z.next_in = (uint8_t *)src;
	z.avail_in = len;
	z.next_out = dst;
	z.avail_out = dst_len;
	ret = inflate(&z, Z_FINISH);
	inflateEnd(&z);
	/* chdman's deflate streams end where the hunk does */
	if ((ret != Z_STREAM_END && ret != Z_OK && ret != Z_BUF_ERROR) || z.avail_out)
		return "deflate data does not decompress";
	return NULL;
}

/*
 * chdman's LZMA encoder takes level 9 and the hunk's size as its "reduce
 * size": the dictionary is then the smallest 2 << i or 3 << i (i from 11)
 * that holds the hunk.
 */
static uint32_t lzma_dict(size_t hunk)
{
	for (unsigned int i = 11; i <= 30; i++) {
		if (hunk <= (2u << i))
			return 2u << i;
		if (hunk <= (3u << i))
			return 3u << i;
	}
	return 1u << 26;
}

static const char *unlzma(const uint8_t *src, size_t len, uint8_t *dst, size_t dst_len)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_options_lzma opt = {
		.dict_size = lzma_dict(dst_len), .lc = 3, .lp = 0, .pb = 2,
	};
	lzma_filter filters[2] = {
		{ .id = LZMA_FILTER_LZMA1, .options = &opt },
		{ .id = LZMA_VLI_UNKNOWN },
	};
	lzma_ret ret;

	if (lzma_raw_decoder(&s, filters) != LZMA_OK)
		return "out of memory";
	s.next_in = src;
	s.avail_in = len;
	s.next_out = dst;
	s.avail_out = dst_len;
	/* no end marker: done when the hunk is full */
	ret = lzma_code(&s, LZMA_FINISH);
	lzma_end(&s);
	if ((ret != LZMA_OK && ret != LZMA_STREAM_END && ret != LZMA_BUF_ERROR) || s.avail_out)
		return "LZMA data does not decompress";
	return NULL;
}

static const char *unzstd(const uint8_t *src, size_t len, uint8_t *dst, size_t dst_len)
{
	size_t n = ZSTD_decompress(dst, dst_len, src, len);

	if (ZSTD_isError(n) || n != dst_len)
		return "zstd data does not decompress";
	return NULL;
}

static const char *unhuff(const uint8_t *src, size_t len, uint8_t *dst, size_t dst_len)
{
	struct chd_huff h;
	struct chd_bits b;
	const char *why = NULL;
	int v;

	if (chd_huff_init(&h, 256, 16))
		return "out of memory";
	chd_bits_init(&b, src, len);
	if (chd_huff_import_huffman(&h, &b)) {
		why = "bad Huffman tree";
		goto out;
	}
	for (size_t i = 0; i < dst_len; i++) {
		v = chd_huff_decode(&h, &b);
		if (v < 0 || b.overflow) {
			why = "Huffman data does not decompress";
			goto out;
		}
		dst[i] = v;
	}
out:
	chd_huff_free(&h);
	return why;
}

/* ---- FLAC: the frames after a stream header made here ---- */

struct flac_io {
	uint8_t header[42];		/* "fLaC" and a STREAMINFO block */
	const uint8_t *src;
	size_t len, pos;		/* over header + src */
	uint8_t *dst;
	size_t samples, done;		/* stereo samples wanted, written */
	bool big_endian;		/* the byte order of the samples out */
};

static FLAC__StreamDecoderReadStatus flac_read(const FLAC__StreamDecoder *dec, FLAC__byte *buf,
					       size_t *bytes, void *arg)
{
	struct flac_io *io = arg;
	size_t n = 0;

	(void)dec;
	while (n < *bytes && io->pos < sizeof(io->header) + io->len) {
		buf[n++] = io->pos < sizeof(io->header) ? io->header[io->pos] :
			   io->src[io->pos - sizeof(io->header)];
		io->pos++;
	}
	*bytes = n;
	return n ? FLAC__STREAM_DECODER_READ_STATUS_CONTINUE :
		   FLAC__STREAM_DECODER_READ_STATUS_END_OF_STREAM;
}

static FLAC__StreamDecoderTellStatus flac_tell(const FLAC__StreamDecoder *dec, FLAC__uint64 *pos,
					       void *arg)
{
	(void)dec;
	*pos = ((struct flac_io *)arg)->pos;
	return FLAC__STREAM_DECODER_TELL_STATUS_OK;
}

static FLAC__StreamDecoderWriteStatus flac_write(const FLAC__StreamDecoder *dec,
						 const FLAC__Frame *frame,
						 const FLAC__int32 * const buffer[], void *arg)
{
	struct flac_io *io = arg;

	(void)dec;
	if (frame->header.channels != 2 || frame->header.bits_per_sample != 16)
		return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT;
	for (unsigned int i = 0; i < frame->header.blocksize && io->done < io->samples; i++) {
		uint8_t *p = io->dst + 4 * io->done++;

		for (int c = 0; c < 2; c++) {
			uint16_t v = (uint16_t)buffer[c][i];

			p[2 * c + !io->big_endian] = v >> 8;
			p[2 * c + io->big_endian] = v;
		}
	}
	return FLAC__STREAM_DECODER_WRITE_STATUS_CONTINUE;
}

static void flac_error(const FLAC__StreamDecoder *dec, FLAC__StreamDecoderErrorStatus status,
		       void *arg)
{
	(void)dec;
	(void)status;
	(void)arg;
}

/*
 * Decode @dst_len bytes of 16-bit stereo in blocks of @block samples from
 * @src; *@used: the bytes of @src the frames took.
 */
static const char *unflac(const uint8_t *src, size_t len, uint8_t *dst, size_t dst_len,
			  uint32_t block, bool big_endian, size_t *used)
{
	static const uint8_t streaminfo[18] = {
		/* 44100 Hz, 2 channels, 16 bits, length unknown */
		0, 0, 0, 0, 0, 0, 0x0a, 0xc4, 0x42, 0xf0, 0, 0, 0, 0,
	};
	struct flac_io io = {
		.src = src, .len = len, .dst = dst, .samples = dst_len / 4,
		.big_endian = big_endian,
	};
	FLAC__StreamDecoder *dec = FLAC__stream_decoder_new();
	const char *why = "FLAC data does not decompress";
	FLAC__uint64 pos;

	if (!dec)
		return "out of memory";
	memcpy(io.header, "fLaC\x80\x00\x00\x22", 8);
	/* the smallest and largest block size */
	io.header[8] = block >> 8;
	io.header[9] = block;
	memcpy(io.header + 10, io.header + 8, 2);
	memcpy(io.header + 12, streaminfo, sizeof(streaminfo));
	if (FLAC__stream_decoder_init_stream(dec, flac_read, NULL, flac_tell, NULL, NULL,
					     flac_write, NULL, flac_error, &io) !=
	    FLAC__STREAM_DECODER_INIT_STATUS_OK)
		goto out;
	while (io.done < io.samples) {
		if (!FLAC__stream_decoder_process_single(dec) ||
		    FLAC__stream_decoder_get_state(dec) == FLAC__STREAM_DECODER_END_OF_STREAM)
			break;
	}
	if (io.done < io.samples)
		goto out;
	/* where the last frame ended: the sub-channel's deflate data starts there */
	if (used) {
		if (!FLAC__stream_decoder_get_decode_position(dec, &pos) ||
		    pos < sizeof(io.header) || pos - sizeof(io.header) > len)
			goto out;
		*used = pos - sizeof(io.header);
	}
	why = NULL;
out:
	FLAC__stream_decoder_delete(dec);
	return why;
}

/* chdman's FLAC block size for a hunk of @bytes: a quarter, halved down to @max. */
static uint32_t flac_block(size_t bytes, uint32_t max)
{
	uint32_t b = bytes / 4;

	while (b > max)
		b /= 2;
	return b;
}

/* ---- the CD codecs ---- */

static const uint8_t cd_sync[12] = {
	0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00
};

static const char *uncd(uint32_t tag, const uint8_t *src, size_t len, uint8_t *dst,
			size_t dst_len)
{
	size_t frames = dst_len / VCD_CHD_FRAME, sectors = frames * VCD_CHD_SECTOR;
	size_t ecc_bytes = (frames + 7) / 8, len_bytes = dst_len < 65536 ? 2 : 3;
	size_t base_len, used;
	const uint8_t *ecc = src;
	uint8_t *buf;
	const char *why;

	if (!frames || dst_len % VCD_CHD_FRAME)
		return "a CD codec on a hunk that is no whole number of frames";
	buf = malloc(dst_len);
	if (!buf)
		return "out of memory";
	if (tag == CDFL) {
		why = unflac(src, len, buf, sectors, flac_block(sectors, VCD_CHD_SECTOR), true,
			     &used);
		if (!why)
			why = inflate_raw(src + used, len - used, buf + sectors,
					  frames * VCD_CHD_SUB);
		ecc = NULL;
		goto reassemble;
	}
	why = "CD hunk shorter than its header";
	if (len < ecc_bytes + len_bytes)
		goto out;
	base_len = src[ecc_bytes] << 8 | src[ecc_bytes + 1];
	if (len_bytes == 3)
		base_len = base_len << 8 | src[ecc_bytes + 2];
	why = "CD hunk's sector data runs past its end";
	if (base_len > len - ecc_bytes - len_bytes)
		goto out;
	src += ecc_bytes + len_bytes;
	len -= ecc_bytes + len_bytes;
	if (tag == CDZL)
		why = inflate_raw(src, base_len, buf, sectors);
	else if (tag == CDLZ)
		why = unlzma(src, base_len, buf, sectors);
	else
		why = unzstd(src, base_len, buf, sectors);
	if (why)
		goto out;
	if (tag == CDZS)
		why = unzstd(src + base_len, len - base_len, buf + sectors, frames * VCD_CHD_SUB);
	else
		why = inflate_raw(src + base_len, len - base_len, buf + sectors,
				  frames * VCD_CHD_SUB);
reassemble:
	if (why)
		goto out;
	for (size_t f = 0; f < frames; f++) {
		uint8_t *sector = dst + f * VCD_CHD_FRAME;

		memcpy(sector, buf + f * VCD_CHD_SECTOR, VCD_CHD_SECTOR);
		memcpy(sector + VCD_CHD_SECTOR, buf + sectors + f * VCD_CHD_SUB, VCD_CHD_SUB);
		/* a frame whose sync and ECC chdman stripped: made again over its header */
		if (ecc && ecc[f / 8] & (1 << (f % 8))) {
			memcpy(sector, cd_sync, sizeof(cd_sync));
			/* mode 2 (form 1): the header counts as zeros, as MAME has it */
			vcd_cd_ecc(sector, sector[15] == 2);
		}
	}
out:
	free(buf);
	return why;
}

const char *chd_codec_decompress(uint32_t tag, const uint8_t *src, size_t len, uint8_t *dst,
				 size_t dst_len)
{
	switch (tag) {
	case ZLIB:
		return inflate_raw(src, len, dst, dst_len);
	case LZMA:
		return unlzma(src, len, dst, dst_len);
	case HUFF:
		return unhuff(src, len, dst, dst_len);
	case ZSTD:
		return unzstd(src, len, dst, dst_len);
	case FLAC:
		if (!len || (src[0] != 'L' && src[0] != 'B'))
			return "FLAC hunk's byte order is neither 'L' nor 'B'";
		if (dst_len % 4)
			return "FLAC hunk is no whole number of stereo samples";
		return unflac(src + 1, len - 1, dst, dst_len, flac_block(dst_len, 2048),
			      src[0] == 'B', NULL);
	case CDZL: case CDLZ: case CDZS: case CDFL:
		return uncd(tag, src, len, dst, dst_len);
	}
	return "unknown codec";
}
