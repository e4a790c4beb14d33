// SPDX-License-Identifier: GPL-2.0
/*
 * test_udevwait: what --wait takes from udev's messages. The parser and the
 * device-path match are static: this includes udevwait.c.
 */
#include "../vcdromctl/udevwait.c"

#include "tap.h"

/* A udevd message: the header, then @props ("K=V\0K=V\0"), @plen bytes. */
static size_t make_msg(char *buf, const char *props, size_t plen, uint32_t magic)
{
	struct udev_msg_header h = {
		.prefix = "libudev", .magic = htonl(magic), .header_size = sizeof(h),
		.properties_off = sizeof(h), .properties_len = plen,
	};

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), props, plen);
	buf[sizeof(h) + plen] = '\0';
	return sizeof(h) + plen;
}

#define PROPS(s) s, sizeof(s)

int main(void)
{
	char buf[1024];
	struct uevent ev;
	size_t len;

	tap_begin("udevwait");

	len = make_msg(buf, PROPS("ACTION=change\0DEVPATH=/devices/x/host0/target0:0:0/0:0:0:0/block/sr0\0"
				  "SUBSYSTEM=block\0DEVNAME=/dev/sr0\0SEQNUM=4711\0DISKSEQ=12\0ID_CDROM=1\0"
				  "ID_CDROM_MEDIA=1\0"), UDEV_MAGIC);
	ok(parse_event(buf, len, &ev), "a block change parses");
	ok_str(ev.action, "change", "ACTION", NULL);
	ok_str(ev.subsystem, "block", "SUBSYSTEM", NULL);
	ok_str(base(ev.devname), "sr0", "DEVNAME's name", NULL);
	ok(ev.seqnum == 4711 && ev.diskseq == 12 && ev.cdrom && ev.cdrom_media && !ev.media_change,
	   "SEQNUM, DISKSEQ, ID_CDROM, ID_CDROM_MEDIA");
	ok(of_drive(ev.devpath, "0:0:0:0", true) && !of_drive(ev.devpath, "0:0:0:0", false),
	   "the block device of drive 0:0:0:0, not the drive");
	ok(!of_drive(ev.devpath, "10:0:0:0", true) && !of_drive(ev.devpath, "0:0:0:", true),
	   "not another drive's");

	len = make_msg(buf, PROPS("ACTION=change\0DEVPATH=/devices/x/host10/target10:0:0/10:0:0:0\0"
				  "SUBSYSTEM=scsi\0SDEV_MEDIA_CHANGE=1\0ID_CDROM_MEDIA=0\0"), UDEV_MAGIC);
	ok(parse_event(buf, len, &ev) && ev.media_change && !ev.cdrom_media && !ev.devname &&
	   !ev.diskseq, "a SCSI media change parses (no DISKSEQ)");
	ok(of_drive(ev.devpath, "10:0:0:0", false) && !of_drive(ev.devpath, "0:0:0:0", false),
	   "the drive 10:0:0:0 is not 0:0:0:0");

	len = make_msg(buf, PROPS("ACTION=change\0SUBSYSTEM=block\0DEVPATH=/x\0"), 0x12345678);
	ok(!parse_event(buf, len, &ev), "a wrong magic is not udevd's");
	len = make_msg(buf, PROPS("ACTION=change\0SUBSYSTEM=block\0"), UDEV_MAGIC);
	ok(!parse_event(buf, len, &ev), "no DEVPATH: not taken");
	len = make_msg(buf, PROPS("ACTION=change\0SUBSYSTEM=block\0DEVPATH=/x\0"), UDEV_MAGIC);
	((struct udev_msg_header *)buf)->properties_len = 4000;
	ok(!parse_event(buf, len, &ev), "properties past the message: refused");
	((struct udev_msg_header *)buf)->properties_len = 10;
	((struct udev_msg_header *)buf)->properties_off = 0xfffffff0;
	ok(!parse_event(buf, len, &ev), "an offset past the message: refused");
	ok(!parse_event(buf, 10, &ev), "shorter than the header: refused");

	return tap_end();
}
