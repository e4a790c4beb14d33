// SPDX-License-Identifier: GPL-2.0
/*
 * Formats known by a magic number and refused (see the table in loaders.c
 * for what to do instead): compressed files and archives, and disc image
 * formats no loader reads yet.
 */
#include <string.h>
#include <unistd.h>

#include "loaders.h"

/* VCD_PROBE_SURE when the file holds the @len bytes of @magic at @off. */
static int has_magic(int fd, uint64_t size, uint64_t off, const void *magic, size_t len)
{
	unsigned char buf[32];

	if (len > sizeof(buf) || size < off + len ||
	    pread(fd, buf, len, off) != (ssize_t)len || memcmp(buf, magic, len))
		return VCD_PROBE_NO;
	return VCD_PROBE_SURE;
}

#define MAGIC(off, str) has_magic(fd, size, off, str, sizeof(str) - 1)

int vcd_probe_gzip(int fd, uint64_t size)
{
	return MAGIC(0, "\x1f\x8b\x08");		/* ID1 ID2, CM deflate */
}

int vcd_probe_xz(int fd, uint64_t size)
{
	return MAGIC(0, "\xfd" "7zXZ\0");
}

int vcd_probe_zstd(int fd, uint64_t size)
{
	return MAGIC(0, "\x28\xb5\x2f\xfd");		/* 0xFD2FB528, little-endian */
}

int vcd_probe_bzip2(int fd, uint64_t size)
{
	unsigned char level;

	/* "BZh" and a block size of '1'-'9' */
	if (MAGIC(0, "BZh") == VCD_PROBE_NO || pread(fd, &level, 1, 3) != 1 ||
	    level < '1' || level > '9')
		return VCD_PROBE_NO;
	return VCD_PROBE_SURE;
}

int vcd_probe_zip(int fd, uint64_t size)
{
	/* a local file header; an empty archive is its end of central directory */
	if (MAGIC(0, "PK\3\4") == VCD_PROBE_SURE)
		return VCD_PROBE_SURE;
	return MAGIC(0, "PK\5\6");
}

int vcd_probe_7z(int fd, uint64_t size)
{
	return MAGIC(0, "7z\xbc\xaf\x27\x1c");
}

int vcd_probe_chd(int fd, uint64_t size)
{
	return MAGIC(0, "MComprHD");
}

int vcd_probe_ecm(int fd, uint64_t size)
{
	return MAGIC(0, "ECM\0");
}

/*
 * DAEMON Tools' version 2 header: "MEDIA DESCRIPTOR", major version 2, and at
 * byte 44 the offset of an encryption header, 0xffffffff in an MDX (which
 * holds its track data too).
 */
#define MDS2_ENCRYPTION_OFF	44

static int mds2_kind(int fd, uint64_t size)
{
	unsigned char off[4];

	if (MAGIC(0, "MEDIA DESCRIPTOR\2") == VCD_PROBE_NO ||
	    pread(fd, off, sizeof(off), MDS2_ENCRYPTION_OFF) != (ssize_t)sizeof(off))
		return 0;
	return !memcmp(off, "\xff\xff\xff\xff", 4) ? 'x' : 's';
}

int vcd_probe_mds2(int fd, uint64_t size)
{
	return mds2_kind(fd, size) == 's' ? VCD_PROBE_SURE : VCD_PROBE_NO;
}

int vcd_probe_mdx(int fd, uint64_t size)
{
	return mds2_kind(fd, size) == 'x' ? VCD_PROBE_SURE : VCD_PROBE_NO;
}

/*
 * DiscJuggler: the file ends with its version (0x80000004 to 0x80000006,
 * little-endian) and where its descriptor is (from the start, or from the
 * end in version 3.5): in the file either way.
 */
int vcd_probe_cdi(int fd, uint64_t size)
{
	unsigned char tail[8];
	uint32_t version, off;

	if (size < sizeof(tail) ||
	    pread(fd, tail, sizeof(tail), size - sizeof(tail)) != (ssize_t)sizeof(tail))
		return VCD_PROBE_NO;
	version = tail[0] | tail[1] << 8 | tail[2] << 16 | (uint32_t)tail[3] << 24;
	off = tail[4] | tail[5] << 8 | tail[6] << 16 | (uint32_t)tail[7] << 24;
	if (version < 0x80000004 || version > 0x80000006 || !off || off > size)
		return VCD_PROBE_NO;
	return VCD_PROBE_SURE;
}
