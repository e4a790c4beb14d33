// SPDX-License-Identifier: GPL-2.0
/*
 * Host-only unit tests for vcdromctl's pieces that need no kernel: the image
 * loaders on generated files, the disc serialiser, the DRIVE argument
 * parser, the JSON escaper and the output of drives and events; and the
 * netlink client's handling of replies, errors and events built here the
 * way the kernel would send them (through the library's internal.h),
 * first by its callbacks, then over real netlink sockets with a thread
 * playing the kernel (skipped without CAP_NET_ADMIN, which sending from one
 * user socket to another needs).
 *
 * Prints TAP, then "N passed, N failed"; exits 1 if anything failed.
 * Files go to a directory under $TMPDIR (default /tmp), removed at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "internal.h"
#include "libvcdrom.h"
#include "loaders.h"
#include "output.h"
#include "tap.h"

/* ---- loaders ---- */

/* The one-track layout of an ISO of @size bytes from @path. */
static bool check_iso_layout(const struct vcd_disc *d, const char *path, uint64_t size)
{
	const struct vcd_track *t;
	const struct vcd_extent *e;
	int fl;

	if (d->nr_files != 1 || d->nr_sessions != 1 || d->sessions[0].nr_tracks != 1 ||
	    d->sessions[0].tracks[0].nr_extents != 1)
		return false;
	fl = fcntl(d->files[0].fd, F_GETFL);
	if (d->files[0].size != size || strcmp(d->files[0].path, path) || fl < 0 ||
	    (fl & O_ACCMODE) != O_RDONLY || (fl & O_NONBLOCK) ||
	    !(fcntl(d->files[0].fd, F_GETFD) & FD_CLOEXEC))
		return false;
	t = &d->sessions[0].tracks[0];
	e = &t->extents[0];
	return t->number == 1 && t->mode == VCDROM_TRACK_MODE1 && t->flags == 0 &&
	       t->start == 0 && e->format == VCDROM_SECTOR_COOKED_2048 && e->file == 0 &&
	       e->offset == 0 && e->start == 0 && e->length == (size + 2047) / 2048;
}

/*
 * @path loads as an ISO of @size bytes (as plain sectors when @sector_size is
 * 2048), as format @format, with the note @want_note or none.
 */
static void test_iso_ok(const char *what, const char *path, uint64_t size,
			unsigned int sector_size, const char *format, const char *want_note)
{
	struct noted nt = { 0 };
	struct vcd_load ld = { .note = note, .note_arg = &nt, .sector_size = sector_size };
	struct vcd_disc disc;
	int ret, fd;

	vcd_disc_init(&disc);
	ret = vcd_load_image(path, &disc, &ld);
	if (!ok(ret == 0, "%s: loads", what))
		printf("# %s: %s\n", ld.object, ld.reason);
	ok(check_iso_layout(&disc, path, size),
	   "%s: one file, one session, one MODE1 track 1 at 0, one cooked extent of %llu sectors",
	   what, (unsigned long long)(size + 2047) / 2048);
	ok_str(ld.format, format, what, "the format");
	if (want_note) {
		ok(nt.n == 1 && !strcmp(nt.object, path), "%s: one note, about the file", what);
		ok_str(nt.text, want_note, what, "the note's text");
	} else {
		ok(nt.n == 0, "%s: no note", what);
	}
	fd = disc.nr_files ? disc.files[0].fd : -1;
	vcd_disc_free(&disc);
	ok(fd >= 0 && fcntl(fd, F_GETFD) < 0 && errno == EBADF && !disc.nr_files,
	   "%s: vcd_disc_free closes the fd", what);
}

static void test_load_fails(const char *what, const char *path, int err, const char *reason)
{
	struct noted nt = { 0 };
	struct vcd_load ld = { .note = note, .note_arg = &nt };
	struct vcd_disc disc;
	int fd = next_fd();
	int ret;

	vcd_disc_init(&disc);
	ret = vcd_load_image(path, &disc, &ld);
	if (!ok(ret == -err && ld.err == err, "%s: refused with %s", what, strerrorname_np(err)))
		printf("# returned %d\n", ret);
	ok_str(ld.reason, reason, what, "reason");
	ok_str(ld.object, path, what, "the object is the path");
	ok(!disc.nr_files && !disc.nr_sessions && next_fd() == fd && !nt.n,
	   "%s: nothing loaded, no fd leaked, no note", what);
	vcd_disc_free(&disc);
}

static void test_loaders(void)
{
	char *iso_at_cue, *p;

	test_iso_ok("exact multiple, --raw", make_file("disc.iso", 4096, NULL, 0), 4096, 2048,
		    "plain data sectors", NULL);
	test_iso_ok("not a multiple, --raw", make_file("odd.iso", 12345, NULL, 0), 12345, 2048,
		    "plain data sectors",
		    "size 12345 is not a multiple of 2048; the last sector is zero-filled");
	test_iso_ok("one byte, --raw", make_file("tiny.iso", 1, NULL, 0), 1, 2048,
		    "plain data sectors",
		    "size 1 is not a multiple of 2048; the last sector is zero-filled");
	test_iso_ok("other extension, --raw", make_file("disc.img", 6144, NULL, 0), 6144, 2048,
		    "plain data sectors", NULL);
	iso_at_cue = make_file("iso9660.cue", 40960, "CD001", 16 * 2048 + 1);
	test_iso_ok("ISO 9660 content named .cue", iso_at_cue, 40960, 0, "ISO image",
		    "loaded as ISO image, by its content: its extension says CUE sheet");
	test_iso_ok("ISO 9660 content, --raw", iso_at_cue, 40960, 2048, "ISO image", NULL);
	test_iso_ok("UDF content", make_file("udf", 40960, "BEA01", 16 * 2048 + 1), 40960, 0,
		    "ISO image", NULL);

	p = tmp_path("link.iso");
	if (symlink("disc.iso", p))
		perror(p);
	test_iso_ok("symlink to an image, --raw", p, 4096, 2048, "plain data sectors", NULL);

	test_load_fails("empty file", make_file("empty.iso", 0, NULL, 0), EINVAL, "empty file");
	test_load_fails("directory", tap_dir, EISDIR, "Is a directory");
	test_load_fails("missing file", tmp_path("missing.iso"), ENOENT,
			"No such file or directory");
	p = tmp_path("fifo");
	if (mkfifo(p, 0600))
		perror(p);
	test_load_fails("FIFO (must not block)", p, EINVAL, "not a regular file or block device");
	test_load_fails("character device", "/dev/null", EINVAL,
			"not a regular file or block device");
	test_load_fails(".ccd of binary data", make_file("game.ccd", 100, "[CloneCD]", 0),
			EINVAL, "binary data (a NUL byte): not a CloneCD sheet");
	test_load_fails(".toc of binary data", make_file("game.toc", 100, "CD_DA", 0),
			EINVAL, "binary data (a NUL byte): not a TOC file");
	test_load_fails(".CUE of binary data", make_file("GAME.CUE", 100, "FILE \"x\" BINARY", 0),
			EINVAL, "binary data (a NUL byte): not a cue sheet");

	p = make_file("secret.iso", 2048, NULL, 0);
	chmod(p, 0);
	if (geteuid() == 0)
		skip("root reads anything", "unreadable file");
	else
		test_load_fails("unreadable file", p, EACCES, "Permission denied");
}

/* ---- the disc in a message ---- */

static void test_serialise(void)
{
	struct nlattr *tb[VCDROM_A_MAX + 1], *a, *b, *c;
	struct nlattr *ttb[VCDROM_TRACK_A_MAX + 1], *etb[VCDROM_EXTENT_A_MAX + 1];
	struct nlattr *ftb[VCDROM_FILE_A_MAX + 1];
	unsigned int files = 0, sessions = 0, tracks = 0, extents = 0;
	struct vcd_load ld = { .sector_size = 2048 };
	struct vcd_disc disc;
	struct nl_msg *msg;
	int rem, rem2, rem3;

	vcd_disc_init(&disc);
	if (vcd_load_image(tmp_path("odd.iso"), &disc, &ld)) {
		ok(false, "serialise: load odd.iso: %s", ld.reason);
		return;
	}
	msg = nlmsg_alloc();
	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0x42, 0, 0, VCDROM_CMD_INSERT,
		    VCDROM_GENL_VERSION);
	ok(vcd_disc_put(msg, &disc) == 0, "serialise: vcd_disc_put");
	ok(genlmsg_parse(nlmsg_hdr(msg), 0, tb, VCDROM_A_MAX, NULL) == 0 && tb[VCDROM_A_DISC],
	   "serialise: one VCDROM_A_DISC");

	nla_for_each_nested(a, tb[VCDROM_A_DISC], rem) {
		if (nla_type(a) == VCDROM_DISC_A_FILE) {
			files++;
			nla_parse_nested(ftb, VCDROM_FILE_A_MAX, a, NULL);
			ok(ftb[VCDROM_FILE_A_FD] && nla_len(ftb[VCDROM_FILE_A_FD]) == 4 &&
			   nla_get_u32(ftb[VCDROM_FILE_A_FD]) == (uint32_t)disc.files[0].fd &&
			   !ftb[VCDROM_FILE_A_PATH] && !ftb[VCDROM_FILE_A_SIZE],
			   "serialise: file 0 is FD %d (u32), nothing else", disc.files[0].fd);
			continue;
		}
		if (!ok(nla_type(a) == VCDROM_DISC_A_SESSION, "serialise: a session"))
			continue;
		sessions++;
		nla_for_each_nested(b, a, rem2) {
			tracks += nla_type(b) == VCDROM_SESSION_A_TRACK;
			nla_parse_nested(ttb, VCDROM_TRACK_A_MAX, b, NULL);
			ok(ttb[VCDROM_TRACK_A_NUMBER] && nla_len(ttb[VCDROM_TRACK_A_NUMBER]) == 1 &&
			   nla_get_u8(ttb[VCDROM_TRACK_A_NUMBER]) == 1 &&
			   nla_get_u32(ttb[VCDROM_TRACK_A_MODE]) == VCDROM_TRACK_MODE1 &&
			   nla_get_u32(ttb[VCDROM_TRACK_A_FLAGS]) == 0 &&
			   nla_get_u32(ttb[VCDROM_TRACK_A_START]) == 0,
			   "serialise: track NUMBER 1 (u8), MODE1, FLAGS 0, START 0");
			nla_for_each_nested(c, b, rem3) {
				if (nla_type(c) != VCDROM_TRACK_A_EXTENT)
					continue;
				extents++;
				nla_parse_nested(etb, VCDROM_EXTENT_A_MAX, c, NULL);
				ok(nla_get_u32(etb[VCDROM_EXTENT_A_START]) == 0 &&
				   nla_get_u32(etb[VCDROM_EXTENT_A_LENGTH]) == 7 &&
				   nla_get_u32(etb[VCDROM_EXTENT_A_FORMAT]) ==
				   VCDROM_SECTOR_COOKED_2048 &&
				   nla_get_u32(etb[VCDROM_EXTENT_A_FILE]) == 0 &&
				   nla_len(etb[VCDROM_EXTENT_A_OFFSET]) == 8 &&
				   nla_get_u64(etb[VCDROM_EXTENT_A_OFFSET]) == 0,
				   "serialise: extent START 0 LENGTH 7 COOKED_2048 FILE 0 OFFSET 0");
			}
		}
	}
	ok(files == 1 && sessions == 1 && tracks == 1 && extents == 1,
	   "serialise: 1 file, 1 session, 1 track, 1 extent (got %u %u %u %u)",
	   files, sessions, tracks, extents);
	nlmsg_free(msg);
	vcd_disc_free(&disc);
}

/* ---- DRIVE arguments ---- */

static void test_spec_index(const char *arg, uint32_t index)
{
	struct vcd_drive_spec s;
	int ret = vcd_drive_spec_parse(arg, &s);

	ok(ret == 0 && !s.by_name && s.index == index, "DRIVE '%s' is index %u", arg, index);
}

static void test_spec_name(const char *arg, const char *name)
{
	struct vcd_drive_spec s;
	int ret = vcd_drive_spec_parse(arg, &s);

	if (!ok(ret == 0 && s.by_name && !strcmp(s.name, name), "DRIVE '%s' is %s", arg, name))
		printf("# returned %d, name '%s'\n", ret, s.name);
}

static void test_spec_bad(const char *arg, int err)
{
	struct vcd_drive_spec s;
	int ret = vcd_drive_spec_parse(arg, &s);

	if (!ok(ret == -err, "DRIVE '%s' is refused with %s", arg, strerrorname_np(err)))
		printf("# returned %d\n", ret);
}

static void test_drive_spec(void)
{
	struct vcd_drive_info drives[3] = {
		{ .index = 0, .block_dev = "sr0", .sg_dev = "sg1" },
		{ .index = 3, .block_dev = "sr1", .sg_dev = "sg4" },
		{ .index = 5 },
	};
	struct vcd_drive_spec s;
	char *p;

	test_spec_index("0", 0);
	test_spec_index("42", 42);
	test_spec_index("007", 7);
	test_spec_index("4294967295", 4294967295u);
	test_spec_bad("4294967296", ERANGE);
	test_spec_bad("", EINVAL);
	test_spec_name("sr0", "sr0");
	test_spec_name("sg12", "sg12");

	make_file("sr7", 0, NULL, 0);
	p = tmp_path("cdrom");
	if (symlink("sr7", p))
		perror(p);
	test_spec_name(p, "sr7");
	mkdir(tmp_path("by-id"), 0755);
	make_file("sg3", 0, NULL, 0);
	p = tmp_path("by-id/usb-vcdrom");
	if (symlink("../sg3", p))
		perror(p);
	test_spec_name(p, "sg3");
	test_spec_name(tmp_path("sr7"), "sr7");

	test_spec_bad(tmp_path("disc.iso"), EINVAL);
	test_spec_bad(tmp_path("missing"), ENOENT);
	test_spec_bad("-1", ENOENT);
	test_spec_bad("sr", ENOENT);
	test_spec_bad("srx0", ENOENT);

	vcd_drive_spec_parse("sg4", &s);
	ok(vcd_drive_spec_find(&s, drives, 3) == 1, "find sg4: the drive with index 3");
	vcd_drive_spec_parse("sr1", &s);
	ok(vcd_drive_spec_find(&s, drives, 3) == 1, "find sr1: the drive with index 3");
	vcd_drive_spec_parse("5", &s);
	ok(vcd_drive_spec_find(&s, drives, 3) == 2, "find index 5, a drive without devices");
	vcd_drive_spec_parse("2", &s);
	ok(vcd_drive_spec_find(&s, drives, 3) == -ENODEV, "find index 2: none");
	vcd_drive_spec_parse("sr9", &s);
	ok(vcd_drive_spec_find(&s, drives, 3) == -ENODEV, "find sr9: none");
}

/* ---- output ---- */

/* What @fn printed through an out of @mode. */
static char *capture(enum out_mode mode, void (*fn)(struct out *o, const void *arg),
		     const void *arg)
{
	struct out o;
	char *buf;
	size_t size;
	FILE *f = open_memstream(&buf, &size);

	out_init(&o, mode, f);
	fn(&o, arg);
	fclose(f);
	return buf;
}

static void print_json_string(struct out *o, const void *arg)
{
	json_print_string(o->f, arg);
}

static void test_json(const char *what, const char *in, const char *want)
{
	char *got = capture(OUT_JSON, print_json_string, in);

	ok_str(got, want, what, NULL);
	free(got);
}

static void test_json_escape(void)
{
	test_json("JSON: plain", "abc /x", "\"abc /x\"");
	test_json("JSON: empty", "", "\"\"");
	test_json("JSON: quote and backslash", "a\"b\\c", "\"a\\\"b\\\\c\"");
	test_json("JSON: control characters", "\n\t\r\x01\x1f\x7f",
		  "\"\\n\\t\\r\\u0001\\u001f\x7f\"");
	test_json("JSON: UTF-8 kept", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x92\xbf",
		  "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x92\xbf\"");
	test_json("JSON: stray byte", "a\xff!", "\"a\\ufffd!\"");
	test_json("JSON: overlong NUL", "\xc0\x80", "\"\\ufffd\\ufffd\"");
	test_json("JSON: surrogate", "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
	test_json("JSON: truncated at the end", "x\xe2\x82", "\"x\\ufffd\\ufffd\"");
	test_json("JSON: above U+10FFFF", "\xf4\x90\x80\x80",
		  "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
}

static struct vcd_drive_file sample_files[] = {
	{ .path = "/srv/a \"b\".iso", .size = 12345 },
};

static struct vcd_playlist_disc sample_playlist[] = {
	{ .format = "CUE sheet", .source = "/g/d1.cue" },
	{ .format = "CHD image", .source = "/g/d2.chd\n/g/more" },
	{ .format = "ISO image" },
};

static const struct vcd_drive_info sample[3] = {
	{
		.index = 0, .hctl = "2:0:0:0", .block_dev = "sr0", .sg_dev = "sg1",
		.state = VCDROM_STATE_LOADED, .locked = true, .profile = 0x0008,
		.capacity = 7, .vendor = "vcdrom", .product = "Virtual CD/DVD",
		.revision = "1.0", .serial = "VCDROM0000", .format = "ISO image",
		.nr_files = 1, .files = sample_files, .source = "/srv/a.iso.gz",
	},
	{
		.index = 1, .hctl = "2:0:1:0", .sg_dev = "sg2",
		.state = VCDROM_STATE_TRAY_OPEN, .vendor = "vcdrom",
		.product = "Virtual CD/DVD", .revision = "1.0", .serial = "VCDROM0001",
	},
	{
		/* between discs of a playlist: the host ejected disc 2 */
		.index = 2, .hctl = "2:0:2:0", .sg_dev = "sg3",
		.state = VCDROM_STATE_TRAY_OPEN, .vendor = "vcdrom",
		.product = "Virtual CD/DVD", .revision = "1.0", .serial = "VCDROM0002",
		.nr_playlist = 3, .playlist = sample_playlist, .playlist_pos = 1,
	},
};

static void print_drive(struct out *o, const void *arg)
{
	out_drive(o, arg);
}

static void print_drives(struct out *o, const void *arg)
{
	out_drives(o, arg, 2);
}

static void print_no_drives(struct out *o, const void *arg)
{
	out_drives(o, arg, 0);
}

static void print_event(struct out *o, const void *arg)
{
	out_event(o, arg);
}

static void test_out(const char *what, enum out_mode mode,
		     void (*fn)(struct out *o, const void *arg), const void *arg, const char *want)
{
	char *got = capture(mode, fn, arg);

	ok_str(got, want, what, NULL);
	free(got);
}

/* A one-track image TOC, as the toc command prints it of a CHD. */
static void print_chd_toc(struct out *o, const void *arg)
{
	static struct vcd_toc toc = {
		.nr_tracks = 1, .nr_sessions = 1, .leadout = 300,
		.tracks = { { .number = 1, .session = 1, .control = VCD_Q_DATA } },
	};

	out_image_toc(o, &toc, "CHD image", "CD-ROM", NULL, arg);
}

static void test_output(void)
{
	const struct vcd_event_info ejected = {
		.event = VCDROM_EVENT_MEDIUM_EJECTED, .drive = 0, .has_cause = true,
		.cause = VCDROM_EJECT_TOOL,
	};
	const struct vcd_event_info added = {
		.event = VCDROM_EVENT_DRIVE_ADDED, .drive = 2, .block_dev = "sr2",
		.sg_dev = "sg3",
	};

	test_out("drive as JSON", OUT_JSON, print_drive, &sample[0],
		 "{\"index\":0,\"hctl\":\"2:0:0:0\",\"device\":\"/dev/sr0\",\"sg\":\"/dev/sg1\","
		 "\"state\":\"loaded\",\"locked\":true,\"profile\":\"CD-ROM\",\"capacity\":7,"
		 "\"images\":[\"/srv/a \\\"b\\\".iso\"],\"format\":\"ISO image\","
		 "\"source\":[\"/srv/a.iso.gz\"],\"playlist\":[],\"disc_number\":null,"
		 "\"serial\":\"VCDROM0000\","
		 "\"vendor\":\"vcdrom\",\"product\":\"Virtual CD/DVD\",\"revision\":\"1.0\"}\n");
	test_out("empty drive as JSON", OUT_JSON, print_drive, &sample[1],
		 "{\"index\":1,\"hctl\":\"2:0:1:0\",\"device\":null,\"sg\":\"/dev/sg2\","
		 "\"state\":\"tray-open\",\"locked\":false,\"profile\":null,\"capacity\":null,"
		 "\"images\":[],\"format\":null,\"source\":[],\"playlist\":[],"
		 "\"disc_number\":null,\"serial\":\"VCDROM0001\","
		 "\"vendor\":\"vcdrom\",\"product\":\"Virtual CD/DVD\",\"revision\":\"1.0\"}\n");
	test_out("drive between discs of a playlist as JSON", OUT_JSON, print_drive, &sample[2],
		 "{\"index\":2,\"hctl\":\"2:0:2:0\",\"device\":null,\"sg\":\"/dev/sg3\","
		 "\"state\":\"tray-open\",\"locked\":false,\"profile\":null,\"capacity\":null,"
		 "\"images\":[],\"format\":null,\"source\":[],"
		 "\"playlist\":[\"/g/d1.cue\",\"/g/d2.chd\",\"ISO image\"],\"disc_number\":2,"
		 "\"serial\":\"VCDROM0002\","
		 "\"vendor\":\"vcdrom\",\"product\":\"Virtual CD/DVD\",\"revision\":\"1.0\"}\n");
	test_out("list as JSON", OUT_JSON, print_no_drives, sample, "{\"drives\":[]}\n");
	test_out("drive as key: value", OUT_BLOCK, print_drive, &sample[0],
		 "index:      0\n"
		 "hctl:       2:0:0:0\n"
		 "device:     /dev/sr0\n"
		 "sg:         /dev/sg1\n"
		 "state:      loaded\n"
		 "locked:     yes\n"
		 "profile:    CD-ROM\n"
		 "capacity:   7\n"
		 "images:     /srv/a \"b\".iso\n"
		 "format:     ISO image\n"
		 "source:     /srv/a.iso.gz\n"
		 "playlist:   -\n"
		 "disc_number: -\n"
		 "serial:     VCDROM0000\n"
		 "vendor:     vcdrom\n"
		 "product:    Virtual CD/DVD\n"
		 "revision:   1.0\n");
	test_out("list as a table", OUT_TABLE, print_drives, sample,
		 "DRIVE  DEVICE    SG        STATE      LOCKED  PROFILE  CAPACITY  IMAGE\n"
		 "0      /dev/sr0  /dev/sg1  loaded     yes     CD-ROM   7         /srv/a \"b\".iso\n"
		 "1      -         /dev/sg2  tray-open  no      -        -         -\n");
	test_out("empty list as a table", OUT_TABLE, print_no_drives, sample,
		 "DRIVE  DEVICE  SG  STATE  LOCKED  PROFILE  CAPACITY  IMAGE\n");
	test_out("event as a line", OUT_LINE, print_event, &ejected,
		 "event=medium-ejected drive=0 cause=tool\n");
	test_out("event as JSON", OUT_JSON, print_event, &ejected,
		 "{\"event\":\"medium-ejected\",\"drive\":0,\"cause\":\"tool\"}\n");
	test_out("event with devices", OUT_LINE, print_event, &added,
		 "event=drive-added drive=2 device=/dev/sr2 sg=/dev/sg3\n");
	test_out("image TOC with a note", OUT_TABLE, print_chd_toc, "a CHD stores no MCN",
		 "SESSION  TRACK     TYPE  START  MSF       FLAGS\n"
		 "1        1         data  0      00:02:00  -\n"
		 "1        lead-out  -     300    00:06:00  -\n"
		 "mcn: -\n"
		 "format: CHD image\n"
		 "medium: CD-ROM\n"
		 "note: a CHD stores no MCN\n");
	test_out("image TOC with a note as JSON", OUT_JSON, print_chd_toc, "a CHD stores no MCN",
		 "{\"format\":\"CHD image\",\"medium\":\"CD-ROM\",\"note\":\"a CHD stores no MCN\","
		 "\"sessions\":1,\"mcn\":null,\"leadout\":{\"session\":1,\"track\":\"lead-out\","
		 "\"start\":300,\"msf\":\"00:06:00\"},\"tracks\":[{\"session\":1,\"track\":1,"
		 "\"type\":\"data\",\"start\":0,\"msf\":\"00:02:00\",\"flags\":null}]}\n");
	test_out("image TOC without a note", OUT_JSON, print_chd_toc, NULL,
		 "{\"format\":\"CHD image\",\"medium\":\"CD-ROM\",\"note\":null,"
		 "\"sessions\":1,\"mcn\":null,\"leadout\":{\"session\":1,\"track\":\"lead-out\","
		 "\"start\":300,\"msf\":\"00:06:00\"},\"tracks\":[{\"session\":1,\"track\":1,"
		 "\"type\":\"data\",\"start\":0,\"msf\":\"00:02:00\",\"flags\":null}]}\n");
}

/* ---- the netlink client, given what the kernel would send ---- */

#define FAKE_FAMILY	0x42

static struct nl_msg *kernel_msg(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 0, 0, FAKE_FAMILY, 0, 0, cmd, VCDROM_GENL_VERSION);
	return msg;
}

static void put_sample_drive(struct nl_msg *msg, bool with_index)
{
	struct nlattr *disc, *file, *list;

	if (with_index)
		nla_put_u32(msg, VCDROM_A_DRIVE, 2);
	nla_put_string(msg, VCDROM_A_HCTL, "3:0:2:0");
	nla_put_string(msg, VCDROM_A_BLOCK_DEV, "sr2");
	nla_put_string(msg, VCDROM_A_SG_DEV, "sg5");
	nla_put_u32(msg, VCDROM_A_STATE, VCDROM_STATE_LOADED);
	nla_put_u8(msg, VCDROM_A_LOCKED, 1);
	nla_put_u32(msg, VCDROM_A_PROFILE, 0x0010);
	nla_put_u64(msg, VCDROM_A_CAPACITY, 2295104);
	nla_put_string(msg, VCDROM_A_VENDOR, "ACME");
	nla_put_string(msg, VCDROM_A_PRODUCT, "Drive");
	nla_put_string(msg, VCDROM_A_REVISION, "2.0");
	nla_put_string(msg, VCDROM_A_SERIAL, "S1");
	nla_put_u32(msg, VCDROM_A_MAX + 7, 1);		/* from a newer kernel: ignored */
	disc = nla_nest_start(msg, VCDROM_A_DISC);
	nla_put_string(msg, VCDROM_DISC_A_SOURCE, "/srv/dvd.iso\n/srv/b.toc");
	file = nla_nest_start(msg, VCDROM_DISC_A_FILE);
	nla_put_string(msg, VCDROM_FILE_A_PATH, "/srv/dvd.iso");
	nla_put_u64(msg, VCDROM_FILE_A_SIZE, 4700372992ULL);
	nla_nest_end(msg, file);
	nla_nest_end(msg, disc);
	nla_put_u32(msg, VCDROM_A_PLAYLIST_INDEX, 1);
	list = nla_nest_start(msg, VCDROM_A_PLAYLIST);
	disc = nla_nest_start(msg, VCDROM_PLAYLIST_A_DISC);
	nla_put_string(msg, VCDROM_DISC_A_FORMAT, "CUE sheet");
	nla_put_string(msg, VCDROM_DISC_A_SOURCE, "/srv/d1.cue");
	nla_nest_end(msg, disc);
	disc = nla_nest_start(msg, VCDROM_PLAYLIST_A_DISC);
	nla_put_string(msg, VCDROM_DISC_A_SOURCE, "/srv/dvd.iso\n/srv/b.toc");
	nla_nest_end(msg, disc);
	nla_nest_end(msg, list);
}

/* Run @msg through the reply handler as a drive reply; the request's error. */
static int parse_reply(struct nl_msg *msg, struct vcd_drive_info *info, bool *got)
{
	struct vcd_client c = { .family = FAKE_FAMILY };
	struct vcd_drive_reply r = { .info = info };
	struct vcd_request rq = { .c = &c, .parse = vcd_parse_one_drive, .arg = &r };

	vcd_nl_on_valid(msg, &rq);
	nlmsg_free(msg);
	*got = r.got;
	return rq.err;
}

static void test_replies(void)
{
	struct vcd_drive_info info;
	struct nl_msg *msg;
	bool got;
	int ret;

	msg = kernel_msg(VCDROM_CMD_DRIVE_GET);
	put_sample_drive(msg, true);
	ret = parse_reply(msg, &info, &got);
	ok(ret == 0 && got, "reply: a drive");
	ok(info.index == 2 && !strcmp(info.hctl, "3:0:2:0") && !strcmp(info.block_dev, "sr2") &&
	   !strcmp(info.sg_dev, "sg5") && info.state == VCDROM_STATE_LOADED && info.locked &&
	   info.profile == 0x10 && info.capacity == 2295104 && !strcmp(info.vendor, "ACME") &&
	   !strcmp(info.product, "Drive") && !strcmp(info.revision, "2.0") &&
	   !strcmp(info.serial, "S1"), "reply: every drive attribute read");
	ok(info.nr_files == 1 && !strcmp(info.files[0].path, "/srv/dvd.iso") &&
	   info.files[0].size == 4700372992ULL, "reply: the held file's path and size");
	ok(info.source && !strcmp(info.source, "/srv/dvd.iso\n/srv/b.toc"), "reply: the disc's source");
	ok(info.nr_playlist == 2 && info.playlist_pos == 1 &&
	   !strcmp(info.playlist[0].format, "CUE sheet") &&
	   !strcmp(info.playlist[0].source, "/srv/d1.cue") && !info.playlist[1].format[0] &&
	   !strcmp(info.playlist[1].source, "/srv/dvd.iso\n/srv/b.toc"),
	   "reply: the playlist's discs and the one in");
	/* moved out of a list entry: each owns its part once (a double free aborts here) */
	if (got) {
		struct vcd_drive_info moved;

		vcd_drive_info_move(&moved, &info);
		ok(moved.source && moved.nr_files == 1 && moved.nr_playlist == 2 && !info.source &&
		   !info.files && !info.nr_files && !info.playlist && !info.nr_playlist,
		   "vcd_drive_info_move: the files, source and playlist go, the entry keeps nothing "
		   "to free");
		vcd_drive_info_free(&info);
		vcd_drive_info_free(&moved);
	}

	msg = kernel_msg(VCDROM_CMD_DRIVE_GET);
	put_sample_drive(msg, false);
	ret = parse_reply(msg, &info, &got);
	ok(ret == -EPROTO && !got, "reply without VCDROM_A_DRIVE: EPROTO");

	msg = kernel_msg(VCDROM_CMD_DRIVE_GET);
	nla_put_u32(msg, VCDROM_A_DRIVE, 1);
	nla_put_u8(msg, VCDROM_A_STATE, 1);
	ret = parse_reply(msg, &info, &got);
	ok(ret == -EPROTO && !got, "reply with a mistyped attribute: EPROTO");

	msg = kernel_msg(VCDROM_CMD_DRIVE_GET);
	nla_put_u32(msg, VCDROM_A_DRIVE, 4);
	nla_put_u32(msg, VCDROM_A_STATE, VCDROM_STATE_EMPTY);
	ret = parse_reply(msg, &info, &got);
	ok(ret == 0 && got && info.index == 4 && !info.block_dev[0] && !info.nr_files &&
	   !info.capacity, "reply: an empty drive, sr not bound");
}

/*
 * An NLMSG_ERROR for a request as the kernel builds it: the request's header
 * (and, unless @capped, its payload), then @msg and/or @miss as TLVs.
 */
static struct nl_msg *kernel_error(int err, bool capped, const char *text, int miss)
{
	struct nlmsgerr e = { .error = err };
	struct nl_msg *msg;
	char payload[12] = "request";
	int flags = (capped ? NLM_F_CAPPED : 0) | (text || miss ? NLM_F_ACK_TLVS : 0);

	e.msg.nlmsg_len = NLMSG_HDRLEN + (capped ? 0 : sizeof(payload));
	e.msg.nlmsg_type = FAKE_FAMILY;
	msg = nlmsg_alloc_simple(NLMSG_ERROR, flags);
	nlmsg_append(msg, &e, sizeof(e), NLMSG_ALIGNTO);
	if (!capped)
		nlmsg_append(msg, payload, sizeof(payload), NLMSG_ALIGNTO);
	if (text)
		nla_put_string(msg, NLMSGERR_ATTR_MSG, text);
	if (miss)
		nla_put_u32(msg, NLMSGERR_ATTR_MISS_TYPE, miss);
	return msg;
}

static void test_error(const char *what, struct nl_msg *msg, int err, const char *text)
{
	struct vcd_client c = { .family = FAKE_FAMILY };
	struct vcd_request rq = { .c = &c };
	const char *got;

	if (nlmsg_hdr(msg)->nlmsg_type == NLMSG_ERROR)
		vcd_nl_on_error(NULL, nlmsg_data(nlmsg_hdr(msg)), &rq);
	else
		vcd_nl_on_finish(msg, &rq);
	got = vcd_ext_msg(&c);
	ok(rq.err == err && rq.done && (text ? got && !strcmp(got, text) : !got),
	   "%s: %s, message %s%s%s", what, strerrorname_np(-err), text ? "\"" : "",
	   text ?: "none", text ? "\"" : "");
	if (got && (!text || strcmp(got, text)))
		printf("# got message \"%s\"\n", got);
	nlmsg_free(msg);
}

static void test_errors(void)
{
	const char *busy = "drive 0 already holds a medium; use --replace";
	struct nl_msg *msg;
	int err = -ENODEV;

	test_error("error, capped", kernel_error(-EBUSY, true, busy, 0), -EBUSY, busy);
	test_error("error, request echoed", kernel_error(-EBUSY, false, busy, 0), -EBUSY, busy);
	test_error("error, missing attribute", kernel_error(-EINVAL, true, NULL, VCDROM_A_DISC),
		   -EINVAL, "missing attribute 15");
	test_error("error without TLVs", kernel_error(-EPERM, true, NULL, 0), -EPERM, NULL);

	msg = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS);
	nlmsg_append(msg, &err, sizeof(err), NLMSG_ALIGNTO);
	nla_put_string(msg, NLMSGERR_ATTR_MSG, "dump failed");
	test_error("dump ends in an error", msg, -ENODEV, "dump failed");
	err = 0;
	msg = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI);
	nlmsg_append(msg, &err, sizeof(err), NLMSG_ALIGNTO);
	test_error("dump ends", msg, 0, NULL);
}

static void keep_event(const struct vcd_event_info *ev, void *arg)
{
	memcpy(arg, ev, sizeof(*ev));
}

static void test_events(void)
{
	struct vcd_client c = { .family = FAKE_FAMILY };
	struct vcd_event_info ev = { 0 };
	struct vcd_events_ctx er = { .c = &c, .cb = keep_event, .arg = &ev };
	struct nl_msg *msg;

	msg = kernel_msg(VCDROM_CMD_EVENT);
	nla_put_u32(msg, VCDROM_A_EVENT, VCDROM_EVENT_MEDIUM_EJECTED);
	nla_put_u32(msg, VCDROM_A_DRIVE, 3);
	nla_put_u32(msg, VCDROM_A_EJECT_CAUSE, VCDROM_EJECT_FORCED);
	vcd_nl_on_event(msg, &er);
	nlmsg_free(msg);
	ok(er.n == 1 && ev.event == VCDROM_EVENT_MEDIUM_EJECTED && ev.drive == 3 &&
	   ev.has_cause && ev.cause == VCDROM_EJECT_FORCED && !ev.block_dev[0],
	   "event: medium ejected from drive 3, forced");

	msg = kernel_msg(VCDROM_CMD_EVENT);
	nla_put_u32(msg, VCDROM_A_EVENT, VCDROM_EVENT_MEDIUM_INSERTED);
	nla_put_u32(msg, VCDROM_A_DRIVE, 1);
	nla_put_string(msg, VCDROM_A_BLOCK_DEV, "sr1");
	vcd_nl_on_event(msg, &er);
	nlmsg_free(msg);
	ok(er.n == 2 && ev.event == VCDROM_EVENT_MEDIUM_INSERTED && ev.drive == 1 &&
	   !ev.has_cause && !strcmp(ev.block_dev, "sr1"), "event: medium inserted in sr1");

	msg = kernel_msg(VCDROM_CMD_DRIVE_GET);
	nla_put_u32(msg, VCDROM_A_EVENT, VCDROM_EVENT_DRIVE_ADDED);
	nla_put_u32(msg, VCDROM_A_DRIVE, 1);
	vcd_nl_on_event(msg, &er);
	nlmsg_free(msg);
	msg = kernel_msg(VCDROM_CMD_EVENT);
	nla_put_u32(msg, VCDROM_A_EVENT, VCDROM_EVENT_DRIVE_ADDED);
	vcd_nl_on_event(msg, &er);
	nlmsg_free(msg);
	ok(er.n == 2, "event: other commands and events without a drive are skipped");
}

/* ---- the same over sockets, with a thread as the kernel ---- */

enum answer { ANSWER_ACK, ANSWER_DRIVE, ANSWER_DUMP, ANSWER_FEATURES, ANSWER_EBUSY };

struct fake_kernel {
	struct nl_sock *sk;
	uint32_t client;		/* the client's port */
	enum answer answer;		/* to the next request */
	struct nlmsghdr *req;		/* a copy of it */
	pthread_t thread;
};

static void fake_send(struct fake_kernel *k, struct nl_msg *msg, const struct nlmsghdr *req)
{
	nlmsg_hdr(msg)->nlmsg_seq = req->nlmsg_seq;
	nlmsg_hdr(msg)->nlmsg_pid = nl_socket_get_local_port(k->sk);
	if (nl_send(k->sk, msg) < 0)
		printf("# fake kernel: send failed\n");
	nlmsg_free(msg);
}

static struct nl_msg *fake_ack(int err)
{
	struct nlmsgerr e = { .error = err };
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_ERROR, NLM_F_CAPPED);

	nlmsg_append(msg, &e, sizeof(e), NLMSG_ALIGNTO);
	return msg;
}

static struct nl_msg *fake_drive(uint32_t index, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 0, 0, FAKE_FAMILY, 0, flags, VCDROM_CMD_DRIVE_GET, VCDROM_GENL_VERSION);
	nla_put_u32(msg, VCDROM_A_DRIVE, index);
	nla_put_u32(msg, VCDROM_A_STATE, VCDROM_STATE_EMPTY);
	return msg;
}

/* Read one request and answer it as told. */
static void *fake_kernel_main(void *arg)
{
	struct fake_kernel *k = arg;
	struct sockaddr_nl who;
	struct nlmsghdr *req;
	unsigned char *buf;
	struct nl_msg *msg;
	int n, zero = 0;

	n = nl_recv(k->sk, &who, &buf, NULL);
	if (n <= 0)
		return NULL;
	req = (struct nlmsghdr *)buf;
	k->req = req;
	switch (k->answer) {
	case ANSWER_ACK:
		break;
	case ANSWER_DRIVE:
		msg = kernel_msg(genlmsg_hdr(req)->cmd);
		put_sample_drive(msg, true);
		fake_send(k, msg, req);
		break;
	case ANSWER_DUMP:
		fake_send(k, fake_drive(5, NLM_F_MULTI), req);
		fake_send(k, fake_drive(1, NLM_F_MULTI), req);
		msg = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI);
		nlmsg_append(msg, &zero, sizeof(zero), NLMSG_ALIGNTO);
		fake_send(k, msg, req);
		return NULL;
	case ANSWER_FEATURES:
		msg = kernel_msg(VCDROM_CMD_FEATURES);
		nla_put_u64(msg, VCDROM_A_FEATURES, VCDROM_F_INSERT | VCDROM_F_EVENTS);
		nla_put_u32(msg, VCDROM_A_MAX_DRIVES, 256);
		fake_send(k, msg, req);
		break;
	case ANSWER_EBUSY:
		fake_send(k, kernel_error(-EBUSY, true, "drive 0 already holds a medium", 0), req);
		return NULL;
	}
	fake_send(k, fake_ack(0), req);
	return NULL;
}

static void fake_expect(struct fake_kernel *k, enum answer answer)
{
	free(k->req);
	k->req = NULL;
	k->answer = answer;
	pthread_create(&k->thread, NULL, fake_kernel_main, k);
}

/* The request the fake kernel got: its attributes in @tb; false if there was none. */
static bool fake_request(struct fake_kernel *k, uint8_t cmd, struct nlattr **tb)
{
	pthread_join(k->thread, NULL);
	return k->req && k->req->nlmsg_type == FAKE_FAMILY &&
	       (k->req->nlmsg_flags & (NLM_F_REQUEST | NLM_F_ACK)) == (NLM_F_REQUEST | NLM_F_ACK) &&
	       genlmsg_hdr(k->req)->cmd == cmd &&
	       genlmsg_hdr(k->req)->version == VCDROM_GENL_VERSION &&
	       genlmsg_parse(k->req, 0, tb, VCDROM_A_MAX, NULL) == 0;
}

static bool fake_kernel_init(struct fake_kernel *k, struct vcd_client *c)
{
	struct timeval tv = { .tv_sec = 5 };
	struct nl_msg *msg;
	int ret;

	memset(k, 0, sizeof(*k));
	memset(c, 0, sizeof(*c));
	c->family = FAKE_FAMILY;
	k->sk = nl_socket_alloc();
	if (genl_connect(k->sk) || vcd_nl_socket(&c->sk) || vcd_nl_socket(&c->ev_sk) ||
	    nl_socket_set_nonblocking(c->ev_sk))
		return false;
	/* never wait for ever on a request that did not come */
	setsockopt(nl_socket_get_fd(k->sk), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	k->client = nl_socket_get_local_port(c->sk);
	nl_socket_set_peer_port(k->sk, k->client);
	nl_socket_set_peer_port(c->sk, nl_socket_get_local_port(k->sk));

	/* Can we send to a user socket at all? An ACK nobody waits for tells. */
	msg = fake_ack(0);
	ret = nl_send(k->sk, msg);
	nlmsg_free(msg);
	if (ret < 0)
		return false;
	nl_recvmsgs_default(c->sk);		/* eat it: a sequence mismatch */
	return true;
}

static void send_event(struct fake_kernel *k, struct vcd_client *c, uint32_t event,
		       uint32_t drive)
{
	struct nl_msg *msg = kernel_msg(VCDROM_CMD_EVENT);

	nla_put_u32(msg, VCDROM_A_EVENT, event);
	nla_put_u32(msg, VCDROM_A_DRIVE, drive);
	nl_socket_set_peer_port(k->sk, nl_socket_get_local_port(c->ev_sk));
	nl_send(k->sk, msg);
	nl_socket_set_peer_port(k->sk, k->client);
	nlmsg_free(msg);
}

static void count_event(const struct vcd_event_info *ev, void *arg)
{
	unsigned int *n = arg;

	*n = *n * 10 + ev->drive;
}

static void test_sockets(void)
{
	struct vcd_identity id = { .vendor = "ACME" };
	struct nlattr *tb[VCDROM_A_MAX + 1], *a;
	struct vcd_drive_info info, *drives;
	struct vcd_load ld = { .sector_size = 2048 };
	struct vcd_disc disc;
	struct fake_kernel k;
	struct vcd_client c;
	uint64_t features;
	uint32_t max;
	unsigned int events = 0;
	size_t n;
	int ret;

	if (!fake_kernel_init(&k, &c)) {
		skip("no user-to-user netlink (needs CAP_NET_ADMIN)", "client over sockets");
		goto out;
	}

	fake_expect(&k, ANSWER_DRIVE);
	ret = vcd_drive_get(&c, 2, &info);
	ok(fake_request(&k, VCDROM_CMD_DRIVE_GET, tb) && tb[VCDROM_A_DRIVE] &&
	   nla_get_u32(tb[VCDROM_A_DRIVE]) == 2 && !(k.req->nlmsg_flags & NLM_F_DUMP),
	   "socket: DRIVE_GET asks for DRIVE 2, with NLM_F_REQUEST|NLM_F_ACK");
	ok(ret == 0 && info.index == 2 && info.nr_files == 1, "socket: DRIVE_GET answered");
	if (!ret)
		vcd_drive_info_free(&info);

	fake_expect(&k, ANSWER_DUMP);
	ret = vcd_drive_list(&c, &drives, &n);
	ok(fake_request(&k, VCDROM_CMD_DRIVE_GET, tb) && (k.req->nlmsg_flags & NLM_F_DUMP) &&
	   !tb[VCDROM_A_DRIVE], "socket: the list is a DRIVE_GET dump");
	ok(ret == 0 && n == 2 && drives[0].index == 1 && drives[1].index == 5,
	   "socket: the dump's two drives, in index order");
	if (!ret)
		vcd_drive_list_free(drives, n);

	vcd_disc_init(&disc);
	vcd_load_image(tmp_path("disc.iso"), &disc, &ld);
	fake_expect(&k, ANSWER_EBUSY);
	ret = vcd_insert(&c, 0, &disc, true, &info);
	ok(fake_request(&k, VCDROM_CMD_INSERT, tb) && nla_get_u32(tb[VCDROM_A_DRIVE]) == 0 &&
	   tb[VCDROM_A_REPLACE] && tb[VCDROM_A_DISC], "socket: INSERT with DRIVE, REPLACE, DISC");
	a = tb[VCDROM_A_DISC] ? nla_find(nla_data(tb[VCDROM_A_DISC]), nla_len(tb[VCDROM_A_DISC]),
					 VCDROM_DISC_A_FILE) : NULL;
	ok(a && disc.nr_files && nla_find(nla_data(a), nla_len(a), VCDROM_FILE_A_FD) &&
	   nla_get_u32(nla_find(nla_data(a), nla_len(a), VCDROM_FILE_A_FD)) ==
	   (uint32_t)disc.files[0].fd, "socket: INSERT passes the image's fd");
	ok(ret == -EBUSY && vcd_ext_msg(&c) &&
	   !strcmp(vcd_ext_msg(&c), "drive 0 already holds a medium"),
	   "socket: INSERT refused: EBUSY and the kernel's message");
	vcd_disc_free(&disc);

	fake_expect(&k, ANSWER_ACK);
	ret = vcd_eject(&c, 7, true);
	ok(fake_request(&k, VCDROM_CMD_EJECT, tb) && nla_get_u32(tb[VCDROM_A_DRIVE]) == 7 &&
	   tb[VCDROM_A_FORCE] && ret == 0 && !vcd_ext_msg(&c),
	   "socket: EJECT of DRIVE 7 with FORCE, acknowledged");
	ok(!tb[VCDROM_A_DEVICE_FD], "socket: no DEVICE_FD unless one is set");

	vcd_set_device_fd(&c, 0);
	fake_expect(&k, ANSWER_ACK);
	ret = vcd_eject(&c, 7, false);
	ok(fake_request(&k, VCDROM_CMD_EJECT, tb) && tb[VCDROM_A_DEVICE_FD] &&
	   nla_get_u32(tb[VCDROM_A_DEVICE_FD]) == 0 && !tb[VCDROM_A_FORCE] && ret == 0,
	   "socket: EJECT with the DEVICE_FD set (fd 0)");
	vcd_set_device_fd(&c, -1);

	fake_expect(&k, ANSWER_DRIVE);
	ret = vcd_drive_add(&c, &id, &info);
	ok(fake_request(&k, VCDROM_CMD_DRIVE_ADD, tb) && tb[VCDROM_A_VENDOR] &&
	   !strcmp(nla_get_string(tb[VCDROM_A_VENDOR]), "ACME") && !tb[VCDROM_A_PRODUCT] &&
	   ret == 0 && info.index == 2, "socket: DRIVE_ADD with VENDOR only, answered");
	if (!ret)
		vcd_drive_info_free(&info);

	fake_expect(&k, ANSWER_FEATURES);
	ret = vcd_features(&c, &features, &max);
	ok(fake_request(&k, VCDROM_CMD_FEATURES, tb) && ret == 0 &&
	   features == (VCDROM_F_INSERT | VCDROM_F_EVENTS) && max == 256,
	   "socket: FEATURES");

	ok(vcd_events_read(&c, count_event, &events) == 0 && events == 0,
	   "socket: no event yet");
	send_event(&k, &c, VCDROM_EVENT_MEDIUM_INSERTED, 3);
	send_event(&k, &c, VCDROM_EVENT_MEDIUM_EJECTED, 4);
	ret = vcd_events_read(&c, count_event, &events);
	ok(ret == 2 && events == 34, "socket: two events, in order (%d, %u)", ret, events);
	free(k.req);
out:
	nl_socket_free(k.sk);
	if (c.ev_sk)
		nl_socket_free(c.ev_sk);
	if (c.sk)
		nl_socket_free(c.sk);
}

/* ---- sessions from READ TOC's full TOC ---- */

static void test_full_toc(void)
{
	/* two sessions: A0-A2 and tracks 1-2 of session 1, track 3 of session 2, a B0 */
	static const uint8_t buf[] = {
		0, 2 + 7 * 11, 1, 2,
		1, 0x10, 0, 0xa0, 0, 0, 0, 0, 1, 0x20, 0,
		1, 0x10, 0, 0xa2, 0, 0, 0, 0, 2, 0, 0,
		1, 0x10, 0, 1, 0, 0, 0, 0, 0, 2, 0,
		1, 0x14, 0, 2, 0, 0, 0, 0, 1, 0, 0,
		1, 0x54, 0, 0xb0, 4, 32, 0, 2, 79, 59, 74,
		2, 0x14, 0, 3, 0, 0, 0, 0, 4, 34, 0,
		2, 0x30, 0, 3, 0, 0, 0, 0, 0, 0, 0,	/* ADR 3: an ISRC, not a start */
	};
	struct vcd_toc toc = { .nr_tracks = 3 };

	toc.tracks[0].number = 1;
	toc.tracks[1].number = 2;
	toc.tracks[2].number = 3;
	ok(vcd_full_toc_sessions(buf, sizeof(buf), &toc) && toc.nr_sessions == 2 &&
	   toc.tracks[0].session == 1 && toc.tracks[1].session == 1 && toc.tracks[2].session == 2,
	   "full TOC: tracks 1 and 2 in session 1, track 3 in session 2");
	memset(&toc, 0, sizeof(toc));
	ok(!vcd_full_toc_sessions(buf, 3, &toc) && !vcd_full_toc_sessions(buf, 4, &toc),
	   "full TOC: too short, or without a track");
}

int main(void)
{
	tap_begin("test");
	test_loaders();
	test_serialise();
	test_drive_spec();
	test_json_escape();
	test_output();
	test_replies();
	test_errors();
	test_events();
	test_sockets();
	test_full_toc();

	chmod(tmp_path("secret.iso"), 0600);	/* so that it can be removed */
	return tap_end();
}
