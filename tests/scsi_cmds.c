// SPDX-License-Identifier: GPL-2.0
/*
 * What an empty vcdrom drive answers, command by command, through SG_IO on
 * its /dev/sgN: the values sr, cdrom and udev rely on, and the sense every
 * malformed or unsupported command must get.
 *
 * Loads $VCDROM_KO itself when no vcdrom drive exists, and unloads it after.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <scsi/sg.h>

#include "kselftest_harness.h"
#include "vcdrom_test.h"

#define SENSE(k, a, q)	((k) << 16 | (a) << 8 | (q))
#define GOOD		0
#define NO_MEDIUM_CLOSED	SENSE(0x02, 0x3a, 0x01)
#define NO_MEDIUM_OPEN		SENSE(0x02, 0x3a, 0x02)
#define INVALID_OPCODE		SENSE(0x05, 0x20, 0x00)
#define INVALID_FIELD		SENSE(0x05, 0x24, 0x00)
#define SAVING_UNSUPPORTED	SENSE(0x05, 0x39, 0x00)
#define REMOVAL_PREVENTED	SENSE(0x05, 0x53, 0x02)

struct reply {
	int status;		/* SCSI status */
	unsigned int sense;	/* SENSE(key, asc, ascq), 0 when none */
	int resid;
};

/* One data-in (or no-data) command; returns 0 when SG_IO itself worked. */
static int sg_cmd(int fd, const uint8_t *cdb, int cdb_len, void *buf, int len,
		  struct reply *r)
{
	uint8_t sb[64] = { 0 };
	struct sg_io_hdr io = {
		.interface_id = 'S',
		.dxfer_direction = len ? SG_DXFER_FROM_DEV : SG_DXFER_NONE,
		.cmd_len = cdb_len,
		.mx_sb_len = sizeof(sb),
		.dxfer_len = len,
		.dxferp = buf,
		.cmdp = (uint8_t *)cdb,
		.sbp = sb,
		.timeout = 10000,
	};

	if (len)
		memset(buf, 0xa5, len);		/* so stale bytes show */
	if (ioctl(fd, SG_IO, &io) < 0)
		return -errno;
	r->status = io.status;
	r->resid = io.resid;
	r->sense = 0;
	if (io.sb_len_wr >= 14 && (sb[0] & 0x7f) == 0x70)
		r->sense = SENSE(sb[2] & 0x0f, sb[12], sb[13]);
	else if (io.sb_len_wr >= 4 && (sb[0] & 0x7f) == 0x72)
		r->sense = SENSE(sb[1] & 0x0f, sb[2], sb[3]);
	return 0;
}

#define CMD(fd, r, buf, len, ...) ({					\
	const uint8_t __cdb[] = { __VA_ARGS__ };			\
	sg_cmd(fd, __cdb, sizeof(__cdb), buf, len, r);			\
})

static unsigned int be16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

static unsigned int be32(const uint8_t *p)
{
	return (unsigned int)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

FIXTURE(drive) {
	int fd;
	uint8_t buf[4096];
	struct reply r;
};

FIXTURE_SETUP(drive)
{
	if (!sg_path[0])
		SKIP(return, "no vcdrom drive (set VCDROM_KO to load the module)");
	self->fd = open(sg_path, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", sg_path, strerror(errno));
	/* Every test starts with the tray closed and unlocked. */
	CMD(self->fd, &self->r, NULL, 0, 0x1e, 0, 0, 0, 0, 0);
	CMD(self->fd, &self->r, NULL, 0, 0x1b, 0, 0, 0, 0x03, 0);
}

FIXTURE_TEARDOWN(drive)
{
	if (sg_path[0])
		close(self->fd);
}

TEST_F(drive, inquiry_standard)
{
	uint8_t *b = self->buf;

	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 96, 0x12, 0, 0, 0, 96, 0));
	ASSERT_EQ(GOOD, self->r.sense);
	EXPECT_EQ(5, b[0] & 0x1f);		/* CD/DVD device */
	EXPECT_EQ(0x80, b[1] & 0x80);		/* removable */
	EXPECT_EQ(5, b[2]);			/* SPC-3 */
	EXPECT_EQ(2, b[3] & 0x0f);
	EXPECT_EQ(0x02, b[7] & 0x02);		/* command queuing */
	EXPECT_EQ(0, memcmp(&b[8], "vcdrom  ", 8));
	EXPECT_EQ(96 - (b[4] + 5), self->r.resid);
	/* Short allocation length: exactly that many bytes. */
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 96, 0x12, 0, 0, 0, 5, 0));
	EXPECT_EQ(GOOD, self->r.sense);
	EXPECT_EQ(91, self->r.resid);
}

TEST_F(drive, inquiry_vpd)
{
	uint8_t *b = self->buf;
	char serial[64];
	unsigned int n;

	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 255, 0x12, 1, 0x00, 0, 255, 0));
	ASSERT_EQ(GOOD, self->r.sense);
	ASSERT_EQ(3, be16(&b[2]));
	EXPECT_EQ(0x00, b[4]);
	EXPECT_EQ(0x80, b[5]);
	EXPECT_EQ(0x83, b[6]);

	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 255, 0x12, 1, 0x80, 0, 255, 0));
	ASSERT_EQ(GOOD, self->r.sense);
	n = be16(&b[2]);
	ASSERT_LT(0, n);
	ASSERT_GT(sizeof(serial), n);
	memcpy(serial, &b[4], n);
	serial[n] = 0;

	/* The device identifier is vendor then the same serial. */
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 255, 0x12, 1, 0x83, 0, 255, 0));
	ASSERT_EQ(GOOD, self->r.sense);
	EXPECT_EQ(0x01, b[5] & 0x0f);		/* T10 vendor id */
	EXPECT_EQ(8 + n, b[7]);
	EXPECT_EQ(0, memcmp(&b[8], "vcdrom  ", 8));
	EXPECT_EQ(0, memcmp(&b[16], serial, n));

	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 255, 0x12, 1, 0xb0, 0, 255, 0));
	EXPECT_EQ(INVALID_FIELD, self->r.sense);
	/* A page code without EVPD, and the obsolete CMDDT bit. */
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 255, 0x12, 0, 0x80, 0, 255, 0));
	EXPECT_EQ(INVALID_FIELD, self->r.sense);
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 255, 0x12, 2, 0, 0, 255, 0));
	EXPECT_EQ(INVALID_FIELD, self->r.sense);
}

TEST_F(drive, unknown_opcodes)
{
	/* Never MMC read-only drive commands: ATA PASS-THROUGH (12, 16), vendor, junk. */
	static const uint8_t ops[] = { 0x02, 0x0a, 0x2a, 0x85, 0xa1, 0xc0, 0xe7, 0xff };
	unsigned int i;

	for (i = 0; i < sizeof(ops); i++) {
		uint8_t cdb[16] = { ops[i] };
		int len = ops[i] == 0x85 ? 16 : ops[i] >= 0xa0 ? 12 : 10;

		ASSERT_EQ(0, sg_cmd(self->fd, cdb, len, self->buf, 64, &self->r));
		EXPECT_EQ(2, self->r.status) TH_LOG("opcode %02x", ops[i]);
		EXPECT_EQ(INVALID_OPCODE, self->r.sense) TH_LOG("opcode %02x", ops[i]);
		EXPECT_EQ(64, self->r.resid);
	}
}

TEST_F(drive, short_cdb)
{
	/* GET CONFIGURATION is a 10-byte command. */
	ASSERT_EQ(0, CMD(self->fd, &self->r, self->buf, 8, 0x46, 0, 0, 0, 0, 8));
	EXPECT_EQ(INVALID_FIELD, self->r.sense);
}

TEST_F(drive, test_unit_ready_and_tray)
{
	ASSERT_EQ(0, CMD(self->fd, &self->r, NULL, 0, 0x00, 0, 0, 0, 0, 0));
	EXPECT_EQ(NO_MEDIUM_CLOSED, self->r.sense);
	/* START STOP UNIT LoEj: open the tray. */
	ASSERT_EQ(0, CMD(self->fd, &self->r, NULL, 0, 0x1b, 0, 0, 0, 0x02, 0));
	EXPECT_EQ(GOOD, self->r.sense);
	ASSERT_EQ(0, CMD(self->fd, &self->r, NULL, 0, 0x00, 0, 0, 0, 0, 0));
	EXPECT_EQ(NO_MEDIUM_OPEN, self->r.sense);
	/* LoEj + Start: close it. */
	ASSERT_EQ(0, CMD(self->fd, &self->r, NULL, 0, 0x1b, 0, 0, 0, 0x03, 0));
	EXPECT_EQ(GOOD, self->r.sense);
	ASSERT_EQ(0, CMD(self->fd, &self->r, NULL, 0, 0x00, 0, 0, 0, 0, 0));
	EXPECT_EQ(NO_MEDIUM_CLOSED, self->r.sense);
}

TEST_F(drive, request_sense)
{
	uint8_t *b = self->buf;

	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 252, 0x03, 0, 0, 0, 252, 0));
	ASSERT_EQ(GOOD, self->r.sense);
	EXPECT_EQ(0x70, b[0] & 0x7f);
	EXPECT_EQ(0x02, b[2] & 0x0f);
	EXPECT_EQ(0x3a, b[12]);
	EXPECT_EQ(0x01, b[13]);
	EXPECT_EQ(252 - 18, self->r.resid);
	/* Descriptor format. */
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 252, 0x03, 1, 0, 0, 252, 0));
	ASSERT_EQ(GOOD, self->r.sense);
	EXPECT_EQ(0x72, b[0] & 0x7f);
	EXPECT_EQ(0x02, b[1] & 0x0f);
	EXPECT_EQ(0x3a, b[2]);
}

TEST_F(drive, prevent_blocks_eject)
{
	uint8_t *b = self->buf;

	ASSERT_EQ(0, CMD(self->fd, &self->r, NULL, 0, 0x1e, 0, 0, 0, 1, 0));
	EXPECT_EQ(GOOD, self->r.sense);
	/* The capabilities page shows the lock. */
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 128, 0x5a, 0, 0x2a, 0, 0, 0, 0, 0, 128, 0));
	ASSERT_EQ(GOOD, self->r.sense);
	EXPECT_EQ(0x02, b[8 + 6] & 0x02);
	ASSERT_EQ(0, CMD(self->fd, &self->r, NULL, 0, 0x1b, 0, 0, 0, 0x02, 0));
	EXPECT_EQ(REMOVAL_PREVENTED, self->r.sense);
	ASSERT_EQ(0, CMD(self->fd, &self->r, NULL, 0, 0x00, 0, 0, 0, 0, 0));
	EXPECT_EQ(NO_MEDIUM_CLOSED, self->r.sense);
	/* Allow, and the eject goes through. */
	ASSERT_EQ(0, CMD(self->fd, &self->r, NULL, 0, 0x1e, 0, 0, 0, 0, 0));
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 128, 0x5a, 0, 0x2a, 0, 0, 0, 0, 0, 128, 0));
	EXPECT_EQ(0, b[8 + 6] & 0x02);
	ASSERT_EQ(0, CMD(self->fd, &self->r, NULL, 0, 0x1b, 0, 0, 0, 0x02, 0));
	EXPECT_EQ(GOOD, self->r.sense);
	ASSERT_EQ(0, CMD(self->fd, &self->r, NULL, 0, 0x00, 0, 0, 0, 0, 0));
	EXPECT_EQ(NO_MEDIUM_OPEN, self->r.sense);
}

TEST_F(drive, mode_sense_capabilities)
{
	uint8_t *b = self->buf, *p;

	/* MODE SENSE(10), page 2Ah: the bits sr reads. */
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 128, 0x5a, 0, 0x2a, 0, 0, 0, 0, 0, 128, 0));
	ASSERT_EQ(GOOD, self->r.sense);
	EXPECT_EQ(0, be16(&b[6]));		/* no block descriptors */
	p = &b[8];
	ASSERT_EQ(0x2a, p[0] & 0x3f);
	EXPECT_LE(20, p[1]);
	EXPECT_EQ(be16(b) + 2, 8 + p[1] + 2);
	EXPECT_EQ(0x08, p[2] & 0x08);		/* reads DVD */
	EXPECT_EQ(1, p[6] >> 5);		/* tray */
	EXPECT_EQ(0x08, p[6] & 0x08);		/* can eject */
	EXPECT_EQ(0x01, p[6] & 0x01);		/* can lock */
	EXPECT_LT(0, be16(&p[8]) / 176);	/* speed */

	/* MODE SENSE(6): same page behind a 4-byte header. */
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 128, 0x1a, 0, 0x2a, 0, 128, 0));
	ASSERT_EQ(GOOD, self->r.sense);
	EXPECT_EQ(0, b[3]);
	EXPECT_EQ(0x2a, b[4] & 0x3f);
	EXPECT_EQ(b[0] + 1, 4 + b[5] + 2);
	EXPECT_EQ(0x08, b[4 + 6] & 0x08);

	/* Changeable values: the page, all zero. */
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 128, 0x1a, 0, 0x40 | 0x2a, 0, 128, 0));
	ASSERT_EQ(GOOD, self->r.sense);
	EXPECT_EQ(0x2a, b[4] & 0x3f);
	EXPECT_EQ(0, b[4 + 6]);
}

TEST_F(drive, mode_sense_pages)
{
	uint8_t *b = self->buf;
	unsigned int off, len, found_2a = 0, pages = 0;

	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 1024, 0x5a, 0, 0x3f, 0, 0, 0, 0, 4, 0, 0));
	ASSERT_EQ(GOOD, self->r.sense);
	len = be16(b) + 2;
	ASSERT_EQ(1024 - len, self->r.resid);
	for (off = 8; off + 2 <= len; off += b[off + 1] + 2, pages++)
		found_2a |= (b[off] & 0x3f) == 0x2a;
	EXPECT_EQ(len, off);			/* pages tile the data exactly */
	EXPECT_EQ(1, found_2a);
	EXPECT_LE(2, pages);

	/* Saved values are not supported; nor is an unknown page or subpage. */
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 128, 0x1a, 0, 0xc0 | 0x2a, 0, 128, 0));
	EXPECT_EQ(SAVING_UNSUPPORTED, self->r.sense);
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 128, 0x1a, 0, 0x05, 0, 128, 0));
	EXPECT_EQ(INVALID_FIELD, self->r.sense);
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 128, 0x1a, 0, 0x2a, 1, 128, 0));
	EXPECT_EQ(INVALID_FIELD, self->r.sense);
}

TEST_F(drive, get_configuration_empty)
{
	uint8_t *b = self->buf;
	unsigned int len, off, i, profiles = 0, prev = 0;

	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 1024, 0x46, 0, 0, 0, 0, 0, 0, 4, 0, 0));
	ASSERT_EQ(GOOD, self->r.sense);
	len = be32(b) + 4;
	ASSERT_EQ(1024 - len, self->r.resid);
	EXPECT_EQ(0, be16(&b[6]));		/* no current profile */
	/* Feature 0: the profile list, CD-ROM, DVD-ROM and BD-ROM, none current. */
	ASSERT_EQ(0, be16(&b[8]));
	for (i = 0; i < b[11]; i += 4) {
		unsigned int prof = be16(&b[12 + i]);

		profiles |= prof == 0x08 ? 1 : prof == 0x10 ? 2 : prof == 0x40 ? 4 : 0;
		EXPECT_EQ(0, b[12 + i + 2] & 1);
	}
	EXPECT_EQ(7, profiles);
	/* Descriptors ascend and tile the data. */
	for (off = 8; off + 4 <= len; off += 4 + b[off + 3]) {
		if (off > 8)
			EXPECT_LT(prev, be16(&b[off]));
		prev = be16(&b[off]);
	}
	EXPECT_EQ(len, off);
	EXPECT_EQ(0x103, prev);			/* through CD External Audio Play */

	/* RT=2: exactly the CD Read feature, not current without a disc. */
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 1024, 0x46, 2, 0, 0x1e, 0, 0, 0, 4, 0, 0));
	ASSERT_EQ(GOOD, self->r.sense);
	ASSERT_EQ(8 + 4 + b[11], be32(b) + 4);
	EXPECT_EQ(0x1e, be16(&b[8]));
	EXPECT_EQ(0, b[10] & 1);

	/* RT=1: current features only; Random Readable is not among them. */
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 1024, 0x46, 1, 0, 0, 0, 0, 0, 4, 0, 0));
	ASSERT_EQ(GOOD, self->r.sense);
	len = be32(b) + 4;
	for (off = 8; off + 4 <= len; off += 4 + b[off + 3]) {
		EXPECT_EQ(1, b[off + 2] & 1);
		EXPECT_NE(0x10, be16(&b[off]));
	}
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 1024, 0x46, 3, 0, 0, 0, 0, 0, 4, 0, 0));
	EXPECT_EQ(INVALID_FIELD, self->r.sense);
}

TEST_F(drive, event_status)
{
	uint8_t *b = self->buf;

	/* Polled, media class. */
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 8, 0x4a, 1, 0, 0, 0x10, 0, 0, 0, 8, 0));
	ASSERT_EQ(GOOD, self->r.sense);
	EXPECT_EQ(6, be16(b));
	EXPECT_EQ(0, b[2] & 0x80);		/* an event class is there */
	EXPECT_EQ(4, b[2] & 0x07);		/* media */
	EXPECT_EQ(0x10, b[3] & 0x10);
	EXPECT_EQ(0, b[5] & 0x03);		/* closed, no medium */

	ASSERT_EQ(0, CMD(self->fd, &self->r, NULL, 0, 0x1b, 0, 0, 0, 0x02, 0));
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 8, 0x4a, 1, 0, 0, 0x10, 0, 0, 0, 8, 0));
	EXPECT_EQ(0x01, b[5] & 0x03);		/* open, no medium */

	/* No supported class asked for: NEA. */
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 8, 0x4a, 1, 0, 0, 0x02, 0, 0, 0, 8, 0));
	ASSERT_EQ(GOOD, self->r.sense);
	EXPECT_EQ(0x80, b[2] & 0x80);
	EXPECT_EQ(4, 8 - self->r.resid);
	/* Asynchronous mode is refused. */
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 8, 0x4a, 0, 0, 0, 0x10, 0, 0, 0, 8, 0));
	EXPECT_EQ(INVALID_FIELD, self->r.sense);
}

TEST_F(drive, mechanism_status)
{
	uint8_t *b = self->buf;

	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 64, 0xbd, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0));
	ASSERT_EQ(GOOD, self->r.sense);
	EXPECT_EQ(56, self->r.resid);
	EXPECT_EQ(0, b[1] & 0x10);
	EXPECT_EQ(0, b[5]);			/* not a changer */
	ASSERT_EQ(0, CMD(self->fd, &self->r, NULL, 0, 0x1b, 0, 0, 0, 0x02, 0));
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 64, 0xbd, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0));
	EXPECT_EQ(0x10, b[1] & 0x10);
}

TEST_F(drive, report_luns)
{
	uint8_t *b = self->buf;
	unsigned int i;

	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 64, 0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0));
	ASSERT_EQ(GOOD, self->r.sense);
	EXPECT_EQ(8, be32(b));
	for (i = 8; i < 16; i++)
		EXPECT_EQ(0, b[i]);
	EXPECT_EQ(48, self->r.resid);
	/* SPC: allocation length under 16 is invalid. */
	ASSERT_EQ(0, CMD(self->fd, &self->r, b, 64, 0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0));
	EXPECT_EQ(INVALID_FIELD, self->r.sense);
}

TEST_HARNESS_MAIN
