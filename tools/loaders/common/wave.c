// SPDX-License-Identifier: GPL-2.0
/* RIFF WAVE files of CD audio: where their PCM data is. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

/* What compressed audio starts with @hdr, if any: sheets in the wild call it WAVE too. */
static const char *compressed(const uint8_t *hdr)
{
	if (!memcmp(hdr, "fLaC", 4))
		return "FLAC";
	if (!memcmp(hdr, "OggS", 4))
		return "Ogg";
	if (!memcmp(hdr, "ID3", 3) || (hdr[0] == 0xff && (hdr[1] & 0xe0) == 0xe0))
		return "MP3";
	return NULL;
}

int vcd_wave_find_data(int fd, uint64_t size, const char *object, const char *name,
		       struct vcd_load *ld, struct vcd_wave_data *data)
{
	uint8_t hdr[12] = { 0 }, ck[8], fmt[40];
	uint64_t off = 12, len;
	bool have_fmt = false;
	uint16_t tag;

	if (pread(fd, hdr, sizeof(hdr), 0) != sizeof(hdr) || memcmp(hdr, "RIFF", 4) ||
	    memcmp(hdr + 8, "WAVE", 4)) {
		const char *what = compressed(hdr);

		if (what)
			return vcd_load_fail(ld, EINVAL, object,
					     "\"%s\" is %s, not a RIFF WAVE file (decode it to WAVE)",
					     name, what);
		return vcd_load_fail(ld, EINVAL, object, "\"%s\" is not a RIFF WAVE file", name);
	}
	while (off + sizeof(ck) <= size) {
		if (pread(fd, ck, sizeof(ck), off) != sizeof(ck))
			break;
		len = le32(ck + 4);
		off += sizeof(ck);
		if (!memcmp(ck, "fmt ", 4)) {
			memset(fmt, 0, sizeof(fmt));
			if (len < 16 ||
			    pread(fd, fmt, len < sizeof(fmt) ? len : sizeof(fmt), off) < 16)
				return vcd_load_fail(ld, EINVAL, object, "\"%s\": a bad fmt chunk",
						     name);
			tag = le16(fmt);
			/* WAVE_FORMAT_EXTENSIBLE: the sub-format's first 2 bytes */
			if (tag == 0xfffe && len >= 26)
				tag = le16(fmt + 24);
			if (tag != 1 || le16(fmt + 2) != 2 || le32(fmt + 4) != 44100 ||
			    le16(fmt + 14) != 16)
				return vcd_load_fail(ld, EINVAL, object,
						     "\"%s\" is not CD audio: format %u, %u channels, %u Hz, %u bits (PCM, 2, 44100, 16 needed)",
						     name, tag, le16(fmt + 2), le32(fmt + 4),
						     le16(fmt + 14));
			have_fmt = true;
		} else if (!memcmp(ck, "data", 4)) {
			if (!have_fmt)
				return vcd_load_fail(ld, EINVAL, object,
						     "\"%s\": data before the fmt chunk", name);
			/* streamed files leave the size at 0 or ~0: the rest of the file */
			if (len == 0 || len == 0xffffffff || off + len > size) {
				if (len && len != 0xffffffff)
					vcd_load_note(ld, object,
						      "\"%s\": the data chunk says %llu bytes, the file holds %llu",
						      name, (unsigned long long)len,
						      (unsigned long long)(size - off));
				len = size - off;
			}
			data->offset = off;
			data->length = len;
			data->to_end = off + len == size;
			return 0;
		}
		off += len + (len & 1);
	}
	return vcd_load_fail(ld, EINVAL, object, "\"%s\" has no %s chunk", name,
			     have_fmt ? "data" : "fmt");
}
