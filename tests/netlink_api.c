// SPDX-License-Identifier: GPL-2.0
/*
 * The vcdrom netlink family spoken by hand, without vcdromctl or libnl:
 * malformed requests (missing, mistyped, unknown, out-of-range attributes,
 * bad nesting, fds that are not image files) must each be refused with an
 * errno and an extack message, and change nothing; good ones must work.
 * Whole-CD layouts (VCDROM_F_CD): a good one with two sessions, pregaps,
 * indexes, ISRC, MCN and CD-TEXT is taken; each of its broken variants is
 * refused with a message and leaves the drive empty.
 * Permissions: VCDROM_A_DEVICE_FD must be an fd of the drive's own sr or sg
 * node opened for writing (checked even for root); with one, a user without
 * capabilities can insert and eject, but not force an eject or add drives.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vcdrom.h>

#include "kselftest_harness.h"
#include "vcdrom_test.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

struct nlreq {
	char buf[65536];		/* room for 2049 CD-TEXT packs */
	struct nlmsghdr *nlh;
	struct nlattr *nest[8];
	int depth;
};

struct nlreply {
	int error;			/* 0 or -errno */
	char msg[256];			/* extack text */
	char data[16384];		/* the genl reply's attributes */
	int data_len;
};

static int family_id;

static void *nl_tail(struct nlreq *r)
{
	return (char *)r->nlh + NLMSG_ALIGN(r->nlh->nlmsg_len);
}

static void req_init(struct nlreq *r, int family, int cmd, int flags)
{
	struct genlmsghdr *g;

	memset(r->buf, 0, sizeof(r->buf));
	r->nlh = (struct nlmsghdr *)r->buf;
	r->nlh->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nlh->nlmsg_type = family;
	r->nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r->depth = 0;
	g = NLMSG_DATA(r->nlh);
	g->cmd = cmd;
	g->version = family == GENL_ID_CTRL ? 2 : VCDROM_GENL_VERSION;
}

static void put_attr(struct nlreq *r, int type, const void *data, int len)
{
	struct nlattr *a = nl_tail(r);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nlh->nlmsg_len = NLMSG_ALIGN(r->nlh->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static void put_u8(struct nlreq *r, int type, uint8_t v) { put_attr(r, type, &v, 1); }
static void put_u32(struct nlreq *r, int type, uint32_t v) { put_attr(r, type, &v, 4); }
static void put_u64(struct nlreq *r, int type, uint64_t v) { put_attr(r, type, &v, 8); }
static void put_str(struct nlreq *r, int type, const char *s) { put_attr(r, type, s, strlen(s) + 1); }

static void nest_start(struct nlreq *r, int type)
{
	struct nlattr *a = nl_tail(r);

	a->nla_type = type | NLA_F_NESTED;
	a->nla_len = NLA_HDRLEN;
	r->nlh->nlmsg_len = NLMSG_ALIGN(r->nlh->nlmsg_len) + NLA_HDRLEN;
	r->nest[r->depth++] = a;
}

static void nest_end(struct nlreq *r)
{
	struct nlattr *a = r->nest[--r->depth];

	a->nla_len = (char *)nl_tail(r) - (char *)a;
}

static int nl_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	int one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return fd;
}

/* Send @r; collect the reply's attributes and the ack's errno and message. */
static int nl_talk(int fd, struct nlreq *r, struct nlreply *rep)
{
	char buf[32768];
	int done = 0;

	memset(rep, 0, sizeof(*rep));
	if (send(fd, r->nlh, r->nlh->nlmsg_len, 0) < 0)
		return -errno;
	while (!done) {
		int len = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (len < 0)
			return -errno;
		for (h = (void *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);
				int off = NLMSG_HDRLEN + sizeof(*e);
				struct nlattr *a;

				rep->error = e->error;
				/* With NETLINK_CAP_ACK, the TLVs follow the header copy. */
				while (off + NLA_HDRLEN <= (int)h->nlmsg_len) {
					a = (void *)((char *)h + off);
					if (a->nla_len < NLA_HDRLEN)
						break;
					if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
						snprintf(rep->msg, sizeof(rep->msg), "%s",
							 (char *)a + NLA_HDRLEN);
					off += NLA_ALIGN(a->nla_len);
				}
				done = 1;
			} else if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
			} else {
				int n = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

				if (n > 0 && rep->data_len + n <= (int)sizeof(rep->data)) {
					memcpy(rep->data + rep->data_len,
					       (char *)NLMSG_DATA(h) + GENL_HDRLEN, n);
					rep->data_len += n;
				}
			}
		}
	}
	return rep->error;
}

/* The first attribute @type at the top level of @data, or NULL. */
static struct nlattr *find_attr(const char *data, int len, int type)
{
	int off = 0;

	while (off + NLA_HDRLEN <= len) {
		struct nlattr *a = (void *)(data + off);

		if (a->nla_len < NLA_HDRLEN)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		off += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

static uint32_t attr_u32(struct nlattr *a)
{
	return *(uint32_t *)((char *)a + NLA_HDRLEN);
}

static int resolve_family(void)
{
	struct nlreply rep;
	struct nlreq r;
	struct nlattr *a;
	int fd = nl_open();

	if (fd < 0)
		return -1;
	req_init(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	put_str(&r, CTRL_ATTR_FAMILY_NAME, VCDROM_GENL_NAME);
	nl_talk(fd, &r, &rep);
	close(fd);
	a = find_attr(rep.data, rep.data_len, CTRL_ATTR_FAMILY_ID);
	return a ? *(uint16_t *)((char *)a + NLA_HDRLEN) : -1;
}

/* A disc of one MODE1 track over @fd, as vcdromctl sends it for an ISO. */
static void put_iso_disc(struct nlreq *r, int fd, uint32_t sectors, uint64_t offset)
{
	nest_start(r, VCDROM_A_DISC);
	nest_start(r, VCDROM_DISC_A_FILE);
	put_u32(r, VCDROM_FILE_A_FD, fd);
	nest_end(r);
	nest_start(r, VCDROM_DISC_A_SESSION);
	nest_start(r, VCDROM_SESSION_A_TRACK);
	put_u8(r, VCDROM_TRACK_A_NUMBER, 1);
	put_u32(r, VCDROM_TRACK_A_MODE, VCDROM_TRACK_MODE1);
	put_u32(r, VCDROM_TRACK_A_START, 0);
	nest_start(r, VCDROM_TRACK_A_EXTENT);
	put_u32(r, VCDROM_EXTENT_A_START, 0);
	put_u32(r, VCDROM_EXTENT_A_LENGTH, sectors);
	put_u32(r, VCDROM_EXTENT_A_FORMAT, VCDROM_SECTOR_COOKED_2048);
	put_u32(r, VCDROM_EXTENT_A_FILE, 0);
	put_u64(r, VCDROM_EXTENT_A_OFFSET, offset);
	nest_end(r);
	nest_end(r);
	nest_end(r);
	nest_end(r);
}

FIXTURE(nl) {
	int fd;
	int drive;
	int image;
	int state0;		/* the drive's state when the test began */
	struct nlreq r;
	struct nlreply rep;
	char image_path[64];
};

/* The state the drive reports, or -1. */
static int drive_state(struct __test_metadata *_metadata, FIXTURE_DATA(nl) *self)
{
	struct nlattr *a;

	req_init(&self->r, family_id, VCDROM_CMD_DRIVE_GET, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, self->drive);
	if (nl_talk(self->fd, &self->r, &self->rep))
		return -1;
	a = find_attr(self->rep.data, self->rep.data_len, VCDROM_A_STATE);
	return a ? (int)attr_u32(a) : -1;
}

FIXTURE_SETUP(nl)
{
	struct nlattr *a;

	if (!sg_path[0])
		SKIP(return, "no vcdrom drive (set VCDROM_KO to load the module)");
	if (!family_id)
		family_id = resolve_family();
	ASSERT_LT(0, family_id);
	self->fd = nl_open();
	ASSERT_LE(0, self->fd);

	/* The first drive in a dump is ours to use. */
	req_init(&self->r, family_id, VCDROM_CMD_DRIVE_GET, NLM_F_DUMP);
	ASSERT_EQ(0, nl_talk(self->fd, &self->r, &self->rep));
	a = find_attr(self->rep.data, self->rep.data_len, VCDROM_A_DRIVE);
	ASSERT_NE(NULL, a);
	self->drive = attr_u32(a);

	self->state0 = drive_state(_metadata, self);
	ASSERT_LE(0, self->state0);
	ASSERT_NE(VCDROM_STATE_LOADED, self->state0);

	/* A 1 MiB image of a recognisable pattern. */
	strcpy(self->image_path, "/tmp/vcdrom-nl-XXXXXX");
	self->image = mkstemp(self->image_path);
	ASSERT_LE(0, self->image);
	for (int i = 0; i < 512; i++) {
		char sector[2048];

		memset(sector, i & 0xff, sizeof(sector));
		ASSERT_EQ(sizeof(sector), write(self->image, sector, sizeof(sector)));
	}
}

FIXTURE_TEARDOWN(nl)
{
	if (!sg_path[0])
		return;
	/* Leave the drive empty whatever a test did. */
	req_init(&self->r, family_id, VCDROM_CMD_EJECT, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, self->drive);
	put_attr(&self->r, VCDROM_A_FORCE, NULL, 0);
	nl_talk(self->fd, &self->r, &self->rep);
	close(self->image);
	unlink(self->image_path);
	close(self->fd);
}

TEST_F(nl, features)
{
	struct nlattr *a;
	uint64_t f;

	req_init(&self->r, family_id, VCDROM_CMD_FEATURES, 0);
	ASSERT_EQ(0, nl_talk(self->fd, &self->r, &self->rep));
	a = find_attr(self->rep.data, self->rep.data_len, VCDROM_A_FEATURES);
	ASSERT_NE(NULL, a);
	memcpy(&f, (char *)a + NLA_HDRLEN, sizeof(f));
	EXPECT_NE(0, f & VCDROM_F_INSERT);
	a = find_attr(self->rep.data, self->rep.data_len, VCDROM_A_MAX_DRIVES);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(256, attr_u32(a));
	/* FEATURES takes no attributes. */
	req_init(&self->r, family_id, VCDROM_CMD_FEATURES, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, 0);
	EXPECT_GT(0, nl_talk(self->fd, &self->r, &self->rep));
	EXPECT_NE(0, self->rep.msg[0]);
}

TEST_F(nl, missing_attribute)
{
	req_init(&self->r, family_id, VCDROM_CMD_DRIVE_GET, 0);
	EXPECT_EQ(-EINVAL, nl_talk(self->fd, &self->r, &self->rep));
	EXPECT_NE(NULL, strstr(self->rep.msg, "drive")) TH_LOG("msg: %s", self->rep.msg);

	req_init(&self->r, family_id, VCDROM_CMD_INSERT, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, self->drive);
	EXPECT_EQ(-EINVAL, nl_talk(self->fd, &self->r, &self->rep));
	EXPECT_NE(NULL, strstr(self->rep.msg, "disc")) TH_LOG("msg: %s", self->rep.msg);
	EXPECT_EQ(self->state0, drive_state(_metadata, self));
}

TEST_F(nl, mistyped_unknown_out_of_range)
{
	/* A u8 where a u32 belongs. */
	req_init(&self->r, family_id, VCDROM_CMD_DRIVE_GET, 0);
	put_u8(&self->r, VCDROM_A_DRIVE, self->drive);
	EXPECT_EQ(-EINVAL, nl_talk(self->fd, &self->r, &self->rep));
	EXPECT_NE(0, self->rep.msg[0]);
	/* An attribute the family does not have. */
	req_init(&self->r, family_id, VCDROM_CMD_DRIVE_GET, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, self->drive);
	put_u32(&self->r, 200, 1);
	EXPECT_GT(0, nl_talk(self->fd, &self->r, &self->rep));
	EXPECT_NE(0, self->rep.msg[0]);
	/* A drive index past the limit, and one in range that does not exist. */
	req_init(&self->r, family_id, VCDROM_CMD_DRIVE_GET, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, 100000);
	EXPECT_GT(0, nl_talk(self->fd, &self->r, &self->rep));
	EXPECT_NE(0, self->rep.msg[0]);
	req_init(&self->r, family_id, VCDROM_CMD_DRIVE_GET, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, 250);
	EXPECT_EQ(-ENODEV, nl_talk(self->fd, &self->r, &self->rep));
	EXPECT_NE(NULL, strstr(self->rep.msg, "250")) TH_LOG("msg: %s", self->rep.msg);
	/* A string too long for a vendor. */
	req_init(&self->r, family_id, VCDROM_CMD_DRIVE_ADD, 0);
	put_str(&self->r, VCDROM_A_VENDOR, "much too long a vendor");
	EXPECT_EQ(-EINVAL, nl_talk(self->fd, &self->r, &self->rep));
	EXPECT_NE(0, self->rep.msg[0]);
}

TEST_F(nl, bad_layouts)
{
	struct nlreq *r = &self->r;

	/* Track number 0 is out of range. */
	req_init(r, family_id, VCDROM_CMD_INSERT, 0);
	put_u32(r, VCDROM_A_DRIVE, self->drive);
	nest_start(r, VCDROM_A_DISC);
	nest_start(r, VCDROM_DISC_A_FILE);
	put_u32(r, VCDROM_FILE_A_FD, self->image);
	nest_end(r);
	nest_start(r, VCDROM_DISC_A_SESSION);
	nest_start(r, VCDROM_SESSION_A_TRACK);
	put_u8(r, VCDROM_TRACK_A_NUMBER, 0);
	nest_end(r);
	nest_end(r);
	nest_end(r);
	EXPECT_EQ(-ERANGE, nl_talk(self->fd, r, &self->rep));
	EXPECT_NE(0, self->rep.msg[0]);

	/* An unknown attribute deep inside the disc. */
	req_init(r, family_id, VCDROM_CMD_INSERT, 0);
	put_u32(r, VCDROM_A_DRIVE, self->drive);
	nest_start(r, VCDROM_A_DISC);
	nest_start(r, VCDROM_DISC_A_FILE);
	put_u32(r, VCDROM_FILE_A_FD, self->image);
	put_u32(r, 77, 1);
	nest_end(r);
	nest_end(r);
	EXPECT_GT(0, nl_talk(self->fd, r, &self->rep));
	EXPECT_NE(0, self->rep.msg[0]);

	/* More sectors than the file has. */
	req_init(r, family_id, VCDROM_CMD_INSERT, 0);
	put_u32(r, VCDROM_A_DRIVE, self->drive);
	put_iso_disc(r, self->image, 513, 0);
	EXPECT_EQ(-EINVAL, nl_talk(self->fd, r, &self->rep));
	EXPECT_NE(NULL, strstr(self->rep.msg, "past the end")) TH_LOG("msg: %s", self->rep.msg);

	/* An offset that overflows. */
	req_init(r, family_id, VCDROM_CMD_INSERT, 0);
	put_u32(r, VCDROM_A_DRIVE, self->drive);
	put_iso_disc(r, self->image, 2, UINT64_MAX - 100);
	EXPECT_EQ(-EINVAL, nl_talk(self->fd, r, &self->rep));
	EXPECT_NE(0, self->rep.msg[0]);

	EXPECT_EQ(self->state0, drive_state(_metadata, self));
}

TEST_F(nl, bad_fds)
{
	int sock = socket(AF_UNIX, SOCK_STREAM, 0);
	int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
	int wronly = open(self->image_path, O_WRONLY);

	ASSERT_LE(0, sock);
	ASSERT_LE(0, dir);
	ASSERT_LE(0, wronly);

	req_init(&self->r, family_id, VCDROM_CMD_INSERT, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, self->drive);
	put_iso_disc(&self->r, sock, 1, 0);
	EXPECT_EQ(-EINVAL, nl_talk(self->fd, &self->r, &self->rep));
	EXPECT_NE(NULL, strstr(self->rep.msg, "regular file")) TH_LOG("msg: %s", self->rep.msg);

	req_init(&self->r, family_id, VCDROM_CMD_INSERT, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, self->drive);
	put_iso_disc(&self->r, dir, 1, 0);
	EXPECT_EQ(-EISDIR, nl_talk(self->fd, &self->r, &self->rep));
	EXPECT_NE(NULL, strstr(self->rep.msg, "directory")) TH_LOG("msg: %s", self->rep.msg);

	req_init(&self->r, family_id, VCDROM_CMD_INSERT, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, self->drive);
	put_iso_disc(&self->r, wronly, 1, 0);
	EXPECT_EQ(-EBADF, nl_talk(self->fd, &self->r, &self->rep));
	EXPECT_NE(NULL, strstr(self->rep.msg, "reading")) TH_LOG("msg: %s", self->rep.msg);

	req_init(&self->r, family_id, VCDROM_CMD_INSERT, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, self->drive);
	put_iso_disc(&self->r, 987, 1, 0);
	EXPECT_EQ(-EBADF, nl_talk(self->fd, &self->r, &self->rep));
	EXPECT_NE(NULL, strstr(self->rep.msg, "not open")) TH_LOG("msg: %s", self->rep.msg);

	EXPECT_EQ(self->state0, drive_state(_metadata, self));
	close(sock);
	close(dir);
	close(wronly);
}

/* The drive's node of reply attribute @type (VCDROM_A_BLOCK_DEV, VCDROM_A_SG_DEV) as /dev/NAME. */
static int drive_node(FIXTURE_DATA(nl) *self, int type, char *path, size_t len)
{
	struct nlattr *a;

	req_init(&self->r, family_id, VCDROM_CMD_DRIVE_GET, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, self->drive);
	if (nl_talk(self->fd, &self->r, &self->rep))
		return -1;
	a = find_attr(self->rep.data, self->rep.data_len, type);
	if (!a)
		return -1;
	snprintf(path, len, "/dev/%s", (char *)a + NLA_HDRLEN);
	return 0;
}

/* INSERT of the test image (or EJECT, @insert false) with DEVICE_FD @devfd (-1: none); the errno. */
static int change_with(FIXTURE_DATA(nl) *self, int sock, bool insert, int devfd, bool force)
{
	req_init(&self->r, family_id, insert ? VCDROM_CMD_INSERT : VCDROM_CMD_EJECT, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, self->drive);
	if (insert)
		put_iso_disc(&self->r, self->image, 512, 0);
	if (devfd >= 0)
		put_u32(&self->r, VCDROM_A_DEVICE_FD, devfd);
	if (force)
		put_attr(&self->r, VCDROM_A_FORCE, NULL, 0);
	return nl_talk(sock, &self->r, &self->rep);
}

TEST_F(nl, device_fd)
{
	char sr[64], sg[64], want[96];
	int sr_rw, sr_ro, sr_path, sg_rw, sg_ro, null, pipefd[2];

	ASSERT_EQ(0, drive_node(self, VCDROM_A_BLOCK_DEV, sr, sizeof(sr)));
	ASSERT_EQ(0, drive_node(self, VCDROM_A_SG_DEV, sg, sizeof(sg)));
	/* The cdrom layer opens a CD-ROM for writing only with O_NONBLOCK. */
	sr_rw = open(sr, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, sr_rw) TH_LOG("%s: %s", sr, strerror(errno));
	sr_ro = open(sr, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, sr_ro);
	sr_path = open(sr, O_PATH);
	ASSERT_LE(0, sr_path);
	sg_rw = open(sg, O_RDWR);
	ASSERT_LE(0, sg_rw);
	sg_ro = open(sg, O_RDONLY);
	ASSERT_LE(0, sg_ro);
	null = open("/dev/null", O_RDWR);
	ASSERT_LE(0, null);
	ASSERT_EQ(0, pipe(pipefd));

	/* Each refusal names the fd and the reason, and changes nothing. */
	struct { int fd; int err; const char *why; } bad[] = {
		{ 987, -EBADF, "is not open" },
		{ sr_path, -EBADF, "is not open" },	/* O_PATH: fget() refuses it */
		{ null, -EPERM, "is not a vcdrom drive" },
		{ self->image, -EPERM, "is not a vcdrom drive" },
		{ pipefd[1], -EPERM, "is not a vcdrom drive" },
		{ self->fd, -EPERM, "is not a vcdrom drive" },	/* a socket */
		{ sr_ro, -EPERM, "is not open for writing" },
		{ sg_ro, -EPERM, "is not open for writing" },
	};
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (int insert = 1; insert >= 0; insert--) {
			snprintf(want, sizeof(want), "fd %d %s", bad[i].fd, bad[i].why);
			EXPECT_EQ(bad[i].err, change_with(self, self->fd, insert, bad[i].fd, false))
				TH_LOG("case %u %s: %s", i, insert ? "insert" : "eject", self->rep.msg);
			EXPECT_STREQ(want, self->rep.msg);
			EXPECT_EQ(self->state0, drive_state(_metadata, self));
		}
	}

	/* The drive's own sr node opened for writing, then its sg node: insert, eject, again. */
	EXPECT_EQ(0, change_with(self, self->fd, true, sr_rw, false)) TH_LOG("%s", self->rep.msg);
	EXPECT_EQ(VCDROM_STATE_LOADED, drive_state(_metadata, self));
	EXPECT_EQ(0, change_with(self, self->fd, false, sg_rw, false)) TH_LOG("%s", self->rep.msg);
	EXPECT_EQ(VCDROM_STATE_TRAY_OPEN, drive_state(_metadata, self));
	EXPECT_EQ(0, change_with(self, self->fd, true, sg_rw, false)) TH_LOG("%s", self->rep.msg);
	EXPECT_EQ(VCDROM_STATE_LOADED, drive_state(_metadata, self));
	/* Checked for root too, even with FORCE. */
	EXPECT_EQ(-EPERM, change_with(self, self->fd, false, sr_ro, true));
	EXPECT_EQ(VCDROM_STATE_LOADED, drive_state(_metadata, self));
	EXPECT_EQ(0, change_with(self, self->fd, false, sr_rw, true)) TH_LOG("%s", self->rep.msg);
	EXPECT_EQ(VCDROM_STATE_TRAY_OPEN, drive_state(_metadata, self));

	close(sr_rw);
	close(sr_ro);
	close(sr_path);
	close(sg_rw);
	close(sg_ro);
	close(null);
	close(pipefd[0]);
	close(pipefd[1]);
}

/* Image fds that must never be read: O_PATH, a pipe, the drive itself. */
TEST_F(nl, bad_image_fds)
{
	int opath = open(self->image_path, O_PATH);
	int pipefd[2];
	char sr[64];
	int self_sr;

	ASSERT_LE(0, opath);
	ASSERT_EQ(0, pipe(pipefd));
	ASSERT_EQ(0, drive_node(self, VCDROM_A_BLOCK_DEV, sr, sizeof(sr)));
	self_sr = open(sr, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, self_sr);

	req_init(&self->r, family_id, VCDROM_CMD_INSERT, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, self->drive);
	put_iso_disc(&self->r, opath, 1, 0);
	EXPECT_EQ(-EBADF, nl_talk(self->fd, &self->r, &self->rep));
	EXPECT_NE(NULL, strstr(self->rep.msg, "is not open")) TH_LOG("msg: %s", self->rep.msg);

	req_init(&self->r, family_id, VCDROM_CMD_INSERT, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, self->drive);
	put_iso_disc(&self->r, pipefd[0], 1, 0);
	EXPECT_EQ(-EINVAL, nl_talk(self->fd, &self->r, &self->rep));
	EXPECT_NE(NULL, strstr(self->rep.msg, "regular file")) TH_LOG("msg: %s", self->rep.msg);

	req_init(&self->r, family_id, VCDROM_CMD_INSERT, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, self->drive);
	put_iso_disc(&self->r, self_sr, 1, 0);
	EXPECT_EQ(-EINVAL, nl_talk(self->fd, &self->r, &self->rep));
	EXPECT_NE(NULL, strstr(self->rep.msg, "is a vcdrom drive")) TH_LOG("msg: %s", self->rep.msg);

	EXPECT_EQ(self->state0, drive_state(_metadata, self));
	close(opath);
	close(pipefd[0]);
	close(pipefd[1]);
	close(self_sr);
}

TEST_F(nl, insert_get_eject)
{
	struct nlattr *a, *disc, *file;

	req_init(&self->r, family_id, VCDROM_CMD_INSERT, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, self->drive);
	put_iso_disc(&self->r, self->image, 512, 0);
	ASSERT_EQ(0, nl_talk(self->fd, &self->r, &self->rep)) TH_LOG("msg: %s", self->rep.msg);
	a = find_attr(self->rep.data, self->rep.data_len, VCDROM_A_STATE);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(VCDROM_STATE_LOADED, attr_u32(a));
	a = find_attr(self->rep.data, self->rep.data_len, VCDROM_A_CAPACITY);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(512, *(uint64_t *)((char *)a + NLA_HDRLEN));
	a = find_attr(self->rep.data, self->rep.data_len, VCDROM_A_PROFILE);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(0x0008, attr_u32(a));
	/* The reply names the held file. */
	disc = find_attr(self->rep.data, self->rep.data_len, VCDROM_A_DISC);
	ASSERT_NE(NULL, disc);
	file = find_attr((char *)disc + NLA_HDRLEN, disc->nla_len - NLA_HDRLEN,
			 VCDROM_DISC_A_FILE);
	ASSERT_NE(NULL, file);
	a = find_attr((char *)file + NLA_HDRLEN, file->nla_len - NLA_HDRLEN,
		      VCDROM_FILE_A_PATH);
	ASSERT_NE(NULL, a);
	EXPECT_STREQ(self->image_path, (char *)a + NLA_HDRLEN);

	/* A second insert without replace is refused and changes nothing. */
	req_init(&self->r, family_id, VCDROM_CMD_INSERT, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, self->drive);
	put_iso_disc(&self->r, self->image, 4, 0);
	EXPECT_EQ(-EBUSY, nl_talk(self->fd, &self->r, &self->rep));
	EXPECT_NE(NULL, strstr(self->rep.msg, "replace")) TH_LOG("msg: %s", self->rep.msg);

	req_init(&self->r, family_id, VCDROM_CMD_EJECT, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, self->drive);
	EXPECT_EQ(0, nl_talk(self->fd, &self->r, &self->rep)) TH_LOG("msg: %s", self->rep.msg);
	EXPECT_EQ(VCDROM_STATE_TRAY_OPEN, drive_state(_metadata, self));
	/* Ejecting an empty drive says so. */
	req_init(&self->r, family_id, VCDROM_CMD_EJECT, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, self->drive);
	EXPECT_EQ(-ENOMEDIUM, nl_talk(self->fd, &self->r, &self->rep));
	EXPECT_NE(0, self->rep.msg[0]);
}

TEST_F(nl, unprivileged)
{
	int status, sg_rw, sg_ro;
	char sg[64];
	pid_t pid;

	ASSERT_EQ(0, drive_node(self, VCDROM_A_SG_DEV, sg, sizeof(sg)));
	sg_rw = open(sg, O_RDWR);
	ASSERT_LE(0, sg_rw);
	sg_ro = open(sg, O_RDONLY);
	ASSERT_LE(0, sg_ro);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct nlreply rep;
		struct nlreq r;
		int fd;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		fd = nl_open();
		/* Looking is open to everyone. */
		req_init(&r, family_id, VCDROM_CMD_FEATURES, 0);
		if (nl_talk(fd, &r, &rep))
			_exit(11);
		req_init(&r, family_id, VCDROM_CMD_DRIVE_GET, NLM_F_DUMP);
		if (nl_talk(fd, &r, &rep))
			_exit(12);
		/* Changing is not. */
		req_init(&r, family_id, VCDROM_CMD_INSERT, 0);
		put_u32(&r, VCDROM_A_DRIVE, self->drive);
		put_iso_disc(&r, self->image, 512, 0);
		if (nl_talk(fd, &r, &rep) != -EPERM || !strstr(rep.msg, "CAP_SYS_ADMIN"))
			_exit(13);
		req_init(&r, family_id, VCDROM_CMD_EJECT, 0);
		put_u32(&r, VCDROM_A_DRIVE, self->drive);
		if (nl_talk(fd, &r, &rep) != -EPERM)
			_exit(14);
		req_init(&r, family_id, VCDROM_CMD_DRIVE_ADD, 0);
		if (nl_talk(fd, &r, &rep) != -EPERM)
			_exit(15);
		/* With the drive's sg node open for writing (root opened it): insert, eject. */
		if (change_with(self, fd, true, sg_rw, false))
			_exit(16);
		if (change_with(self, fd, false, sg_rw, true) != -EPERM ||
		    !strstr(self->rep.msg, "forced eject needs CAP_SYS_ADMIN"))
			_exit(17);
		if (change_with(self, fd, false, sg_rw, false))
			_exit(18);
		if (change_with(self, fd, true, sg_ro, false) != -EPERM)
			_exit(19);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* what the user did with the fd: an insert and an eject leave the tray open */
	EXPECT_EQ(VCDROM_STATE_TRAY_OPEN, drive_state(_metadata, self));
	close(sg_rw);
	close(sg_ro);
}

/* ---- whole-CD layouts ---- */

struct cd_extent {
	uint32_t start, length, format;
	int file;			/* -1: none (ZERO) */
	uint64_t offset;
};

struct cd_track {
	uint8_t number;
	uint32_t mode, flags, start;
	uint32_t index[4];
	int nindex;
	const char *isrc;
	struct cd_extent ext[3];
	int next;			/* extents sent */
};

struct cd_session {
	struct cd_track track[3];
	int ntrack;
};

struct cd_disc {
	int medium;			/* -1: not sent */
	const char *mcn;
	const char *format;		/* NULL: not sent */
	const char *source;		/* NULL: not sent */
	int cdtext_packs;		/* CD-TEXT of this many packs; 0: none */
	int cdtext_extra;		/* bytes after the whole packs */
	struct cd_session session[3];
	int nsession;
};

/*
 * The good layout, over the fixture's 1 MiB file:
 * session 1: track 1 MODE1 LBA 0-99 (COOKED_2048 from byte 0);
 *            track 2 AUDIO, DCP, index 0 at 100 (150 ZERO), index 1 at 250,
 *            index 2 at 300, 100 RAW sectors from byte 204800, ISRC;
 * session 2 (after the 11250-sector gap, from 11600): track 3 MODE1,
 *            index 0 at 11600 (150 ZERO), index 1 at 11750, 100 COOKED_2048
 *            from byte 450560;
 * MCN and 8 CD-TEXT packs.
 */
static void good_cd(struct cd_disc *d)
{
	struct cd_track *t;

	memset(d, 0, sizeof(*d));
	d->medium = -1;
	d->mcn = "0123456789012";
	d->format = "cdrdao TOC";
	d->source = "/srv/a b/disc \xc3\xa9.toc\n/srv/session2.toc";
	d->cdtext_packs = 8;
	d->nsession = 2;
	d->session[0].ntrack = 2;
	t = &d->session[0].track[0];
	*t = (struct cd_track){ .number = 1, .mode = VCDROM_TRACK_MODE1, .start = 0, .next = 1,
		.ext = { { 0, 100, VCDROM_SECTOR_COOKED_2048, 0, 0 } } };
	t = &d->session[0].track[1];
	*t = (struct cd_track){ .number = 2, .mode = VCDROM_TRACK_AUDIO, .flags = VCDROM_TRACK_F_DCP,
		.start = 250, .index = { 300 }, .nindex = 1, .isrc = "USVCD2600001", .next = 2,
		.ext = { { 100, 150, VCDROM_SECTOR_ZERO, -1, 0 },
			 { 250, 100, VCDROM_SECTOR_RAW, 0, 204800 } } };
	d->session[1].ntrack = 1;
	t = &d->session[1].track[0];
	*t = (struct cd_track){ .number = 3, .mode = VCDROM_TRACK_MODE1, .start = 11750, .next = 2,
		.ext = { { 11600, 150, VCDROM_SECTOR_ZERO, -1, 0 },
			 { 11750, 100, VCDROM_SECTOR_COOKED_2048, 0, 450560 } } };
}

/* CD-TEXT's CRC: CCITT x^16 + x^12 + x^5 + 1 over the first 16 bytes, inverted, big-endian. */
static void cdtext_crc(uint8_t *pack)
{
	uint16_t crc = 0;

	for (int i = 0; i < 16; i++) {
		crc ^= pack[i] << 8;
		for (int b = 0; b < 8; b++)
			crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
	}
	crc = ~crc;
	pack[16] = crc >> 8;
	pack[17] = crc;
}

/*
 * @n packs of block 0: TITLE packs (80h) for the disc and tracks 1-3 (as
 * many as fit in n - 3, repeating), then the three size information packs
 * (8Fh).
 */
static int make_cdtext(uint8_t *buf, int n)
{
	static const char text[] = "vcdrom disc\0One\0Two\0Three";
	int titles = n > 3 ? n - 3 : n, pos = 0, track = 0, since = 0;
	uint8_t info[36] = { 0 };

	for (int p = 0; p < titles; p++) {
		uint8_t *k = buf + 18 * p;

		memset(k, 0, 18);
		k[0] = 0x80;
		k[1] = track;
		k[2] = p;
		k[3] = since > 15 ? 15 : since;
		for (int i = 0; i < 12; i++) {
			k[4 + i] = text[pos];
			since++;
			if (!text[pos]) {
				track = (track + 1) % 4;
				since = 0;
			}
			pos = (pos + 1) % sizeof(text);
		}
		cdtext_crc(k);
	}
	if (n <= 3)
		return 18 * n;
	info[0] = 0;		/* ISO 8859-1 */
	info[1] = 1;		/* first track */
	info[2] = 3;		/* last track */
	info[4] = titles;	/* packs of type 80h */
	info[4 + 15] = 3;	/* of type 8Fh */
	info[20] = n - 1;	/* last sequence number of block 0 */
	info[28] = 0x09;	/* English */
	for (int p = 0; p < 3; p++) {
		uint8_t *k = buf + 18 * (titles + p);

		k[0] = 0x8f;
		k[1] = p;
		k[2] = titles + p;
		k[3] = 0;
		memcpy(k + 4, info + 12 * p, 12);
		cdtext_crc(k);
	}
	return 18 * n;
}

static void put_cd(struct nlreq *r, int fd, const struct cd_disc *d)
{
	static uint8_t cdtext[18 * 2100];

	nest_start(r, VCDROM_A_DISC);
	if (d->medium >= 0)
		put_u32(r, VCDROM_DISC_A_MEDIUM, d->medium);
	if (d->mcn)
		put_str(r, VCDROM_DISC_A_MCN, d->mcn);
	if (d->format)
		put_str(r, VCDROM_DISC_A_FORMAT, d->format);
	if (d->source)
		put_str(r, VCDROM_DISC_A_SOURCE, d->source);
	if (d->cdtext_packs || d->cdtext_extra)
		put_attr(r, VCDROM_DISC_A_CDTEXT, cdtext,
			 make_cdtext(cdtext, d->cdtext_packs) + d->cdtext_extra);
	nest_start(r, VCDROM_DISC_A_FILE);
	put_u32(r, VCDROM_FILE_A_FD, fd);
	nest_end(r);
	for (int s = 0; s < d->nsession; s++) {
		nest_start(r, VCDROM_DISC_A_SESSION);
		for (int i = 0; i < d->session[s].ntrack; i++) {
			const struct cd_track *t = &d->session[s].track[i];

			nest_start(r, VCDROM_SESSION_A_TRACK);
			put_u8(r, VCDROM_TRACK_A_NUMBER, t->number);
			put_u32(r, VCDROM_TRACK_A_MODE, t->mode);
			if (t->flags)
				put_u32(r, VCDROM_TRACK_A_FLAGS, t->flags);
			put_u32(r, VCDROM_TRACK_A_START, t->start);
			for (int x = 0; x < t->nindex; x++)
				put_u32(r, VCDROM_TRACK_A_INDEX, t->index[x]);
			if (t->isrc)
				put_str(r, VCDROM_TRACK_A_ISRC, t->isrc);
			for (int e = 0; e < t->next; e++) {
				const struct cd_extent *x = &t->ext[e];

				nest_start(r, VCDROM_TRACK_A_EXTENT);
				put_u32(r, VCDROM_EXTENT_A_START, x->start);
				put_u32(r, VCDROM_EXTENT_A_LENGTH, x->length);
				put_u32(r, VCDROM_EXTENT_A_FORMAT, x->format);
				if (x->file >= 0) {
					put_u32(r, VCDROM_EXTENT_A_FILE, x->file);
					put_u64(r, VCDROM_EXTENT_A_OFFSET, x->offset);
				}
				nest_end(r);
			}
			nest_end(r);
		}
		nest_end(r);
	}
	nest_end(r);
}

static uint64_t features(FIXTURE_DATA(nl) *self)
{
	struct nlattr *a;
	uint64_t f = 0;

	req_init(&self->r, family_id, VCDROM_CMD_FEATURES, 0);
	if (nl_talk(self->fd, &self->r, &self->rep))
		return 0;
	a = find_attr(self->rep.data, self->rep.data_len, VCDROM_A_FEATURES);
	if (a)
		memcpy(&f, (char *)a + NLA_HDRLEN, sizeof(f));
	return f;
}

static int insert_cd(FIXTURE_DATA(nl) *self, const struct cd_disc *d)
{
	req_init(&self->r, family_id, VCDROM_CMD_INSERT, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, self->drive);
	put_cd(&self->r, self->image, d);
	return nl_talk(self->fd, &self->r, &self->rep);
}

TEST_F(nl, cd_layout_good)
{
	struct cd_disc d;

	if (!(features(self) & VCDROM_F_CD))
		SKIP(return, "the module does not take whole-CD layouts (no VCDROM_F_CD)");
	good_cd(&d);
	ASSERT_EQ(0, insert_cd(self, &d)) TH_LOG("the good CD layout refused: %s", self->rep.msg);
	EXPECT_EQ(VCDROM_STATE_LOADED, drive_state(_metadata, self));
	/* DRIVE_GET gives the format back, in the disc's nest */
	if (features(self) & VCDROM_F_FORMAT) {
		struct nlattr *disc, *a;

		EXPECT_EQ(VCDROM_STATE_LOADED, drive_state(_metadata, self));
		disc = find_attr(self->rep.data, self->rep.data_len, VCDROM_A_DISC);
		ASSERT_NE(NULL, disc);
		a = find_attr((char *)disc + NLA_HDRLEN, disc->nla_len - NLA_HDRLEN,
			      VCDROM_DISC_A_FORMAT);
		ASSERT_NE(NULL, a);
		EXPECT_STREQ("cdrdao TOC", (char *)a + NLA_HDRLEN);
	}
	/* and the source, as sent */
	if (features(self) & VCDROM_F_SOURCE) {
		struct nlattr *disc, *a;

		EXPECT_EQ(VCDROM_STATE_LOADED, drive_state(_metadata, self));
		disc = find_attr(self->rep.data, self->rep.data_len, VCDROM_A_DISC);
		ASSERT_NE(NULL, disc);
		a = find_attr((char *)disc + NLA_HDRLEN, disc->nla_len - NLA_HDRLEN,
			      VCDROM_DISC_A_SOURCE);
		ASSERT_NE(NULL, a);
		EXPECT_STREQ(d.source, (char *)a + NLA_HDRLEN);
	}
	/* the same, said to be a CD: still good */
	req_init(&self->r, family_id, VCDROM_CMD_EJECT, 0);
	put_u32(&self->r, VCDROM_A_DRIVE, self->drive);
	put_attr(&self->r, VCDROM_A_FORCE, NULL, 0);
	ASSERT_EQ(0, nl_talk(self->fd, &self->r, &self->rep));
	d.medium = VCDROM_MEDIUM_CD;
	EXPECT_EQ(0, insert_cd(self, &d)) TH_LOG("MEDIUM CD refused: %s", self->rep.msg);
	EXPECT_EQ(VCDROM_STATE_LOADED, drive_state(_metadata, self));
}

/* Each way to break the good layout, by what it breaks. */
enum cd_breakage {
	BREAK_EXTENT_GAP,		/* a sector between two extents of a track */
	BREAK_EXTENT_OVERLAP,
	BREAK_TRACK_GAP,		/* between two tracks of a session */
	BREAK_TRACK_OVERLAP,
	BREAK_SESSION_EARLY,		/* session 2 starts before session 1 ended */
	BREAK_START_OUTSIDE,		/* index 1 before the track's first sector */
	BREAK_START_PAST_END,		/* index 1 past the track's last sector */
	BREAK_INDEX_OUTSIDE,		/* index 2 after the track's end */
	BREAK_INDEX_BEFORE_START,	/* index 2 before index 1 */
	BREAK_INDEX_DESCENDING,		/* index 3 before index 2 */
	BREAK_ISRC_SHORT,
	BREAK_ISRC_LONG,
	BREAK_ISRC_LOWER,
	BREAK_ISRC_PUNCT,
	BREAK_MCN_SHORT,
	BREAK_MCN_LONG,
	BREAK_MCN_LETTER,
	BREAK_CDTEXT_PARTIAL,		/* not a multiple of 18 bytes */
	BREAK_CDTEXT_TOO_MANY,		/* 2049 packs */
	BREAK_COOKED_2324_MODE1,	/* a format the track mode does not allow */
	BREAK_SWAPPED_DATA,
	BREAK_COOKED_2048_AUDIO,
	BREAK_MODE2_AUDIO,
	BREAK_DVD_AUDIO,		/* MEDIUM DVD with an audio track */
	BREAK_LEADOUT_PAST_MAX,		/* lead-out past 449849 */
	BREAK_EXTENT_PAST_FILE,		/* stored sectors past the file's end */
	BREAK_TRACK_NUMBER_ORDER,	/* track numbers not ascending */
	BREAK_UNKNOWN_FLAG,
	BREAK_UNKNOWN_FORMAT,
	BREAK_UNKNOWN_MODE,
	BREAK_ZERO_LENGTH_EXTENT,
	BREAK_FORMAT_LONG,		/* a format name of 32 characters */
	BREAK_FORMAT_CONTROL,		/* a newline in the format name */
	BREAK_SOURCE_LONG,		/* a source of VCDROM_SOURCE_MAX characters */
	BREAK_SOURCE_CONTROL,		/* a tab in the source */
	__BREAK_MAX,
};

static const char *const breakage_name[] = {
	"extent gap", "extent overlap", "track gap", "track overlap", "session before the previous ended",
	"index 1 before the track", "index 1 past the track", "index 2 outside the track",
	"index 2 before index 1", "indexes descending", "ISRC of 11", "ISRC of 13", "ISRC in lower case",
	"ISRC with a hyphen", "MCN of 12", "MCN of 14", "MCN with a letter", "CD-TEXT of 8 packs and 5 bytes",
	"CD-TEXT of 2049 packs", "COOKED_2324 in a MODE1 track", "RAW_SWAPPED in a data track",
	"COOKED_2048 in an audio track", "MODE2 sectors in an audio track", "MEDIUM DVD with an audio track",
	"lead-out past 449849", "an extent past its file's end", "track numbers 1 2 2",
	"an unknown track flag", "an unknown sector format", "an unknown track mode", "an empty extent",
	"a format name of 32 characters", "a newline in the format name",
	"a source of 4096 characters", "a tab in the source",
};

static void break_cd(struct cd_disc *d, enum cd_breakage b)
{
	struct cd_track *t1 = &d->session[0].track[0], *t2 = &d->session[0].track[1];
	struct cd_track *t3 = &d->session[1].track[0];

	switch (b) {
	case BREAK_EXTENT_GAP:
		t2->ext[0].length = 149;
		break;
	case BREAK_EXTENT_OVERLAP:
		t2->ext[0].length = 151;
		break;
	case BREAK_TRACK_GAP:
		t2->ext[0].start = 101;
		t2->ext[0].length = 149;
		break;
	case BREAK_TRACK_OVERLAP:
		t2->ext[0].start = 99;
		t2->ext[0].length = 151;
		break;
	case BREAK_SESSION_EARLY:
		t3->ext[0].start = 300;
		t3->ext[1].start = 450;
		t3->start = 450;
		break;
	case BREAK_START_OUTSIDE:
		t2->start = 99;
		break;
	case BREAK_START_PAST_END:
		t2->start = 350;
		t2->nindex = 0;
		break;
	case BREAK_INDEX_OUTSIDE:
		t2->index[0] = 350;
		break;
	case BREAK_INDEX_BEFORE_START:
		t2->index[0] = 200;
		break;
	case BREAK_INDEX_DESCENDING:
		t2->index[0] = 320;
		t2->index[1] = 300;
		t2->nindex = 2;
		break;
	case BREAK_ISRC_SHORT:
		t2->isrc = "USVCD260001";
		break;
	case BREAK_ISRC_LONG:
		t2->isrc = "USVCD26000012";
		break;
	case BREAK_ISRC_LOWER:
		t2->isrc = "usvcd2600001";
		break;
	case BREAK_ISRC_PUNCT:
		t2->isrc = "US-VCD-26-01";
		break;
	case BREAK_MCN_SHORT:
		d->mcn = "012345678901";
		break;
	case BREAK_MCN_LONG:
		d->mcn = "01234567890123";
		break;
	case BREAK_FORMAT_LONG:
		d->format = "0123456789abcdef0123456789abcdef";
		break;
	case BREAK_FORMAT_CONTROL:
		d->format = "cdrdao\nTOC";
		break;
	case BREAK_SOURCE_LONG: {
		static char long_source[VCDROM_SOURCE_MAX + 1];

		memset(long_source, 'a', VCDROM_SOURCE_MAX);
		long_source[0] = '/';
		d->source = long_source;
		break;
	}
	case BREAK_SOURCE_CONTROL:
		d->source = "/srv/disc\t1.cue";
		break;
	case BREAK_MCN_LETTER:
		d->mcn = "01234567890A2";
		break;
	case BREAK_CDTEXT_PARTIAL:
		d->cdtext_extra = 5;
		break;
	case BREAK_CDTEXT_TOO_MANY:
		d->cdtext_packs = VCDROM_CDTEXT_MAX_PACKS + 1;
		break;
	case BREAK_COOKED_2324_MODE1:
		t1->ext[0].format = VCDROM_SECTOR_COOKED_2324;
		break;
	case BREAK_SWAPPED_DATA:
		t1->ext[0].format = VCDROM_SECTOR_RAW_SWAPPED;
		break;
	case BREAK_COOKED_2048_AUDIO:
		t2->ext[1].format = VCDROM_SECTOR_COOKED_2048;
		break;
	case BREAK_MODE2_AUDIO:
		t2->ext[1].format = VCDROM_SECTOR_MODE2;
		break;
	case BREAK_DVD_AUDIO:
		/* one session, so that only the audio track is wrong for a DVD */
		d->nsession = 1;
		d->medium = VCDROM_MEDIUM_DVD;
		d->mcn = NULL;
		d->cdtext_packs = 0;
		break;
	case BREAK_LEADOUT_PAST_MAX:
		t3->ext[0].start = 449800;
		t3->ext[1].start = 449950;
		t3->start = 449950;
		break;
	case BREAK_EXTENT_PAST_FILE:
		t2->ext[1].offset = 1048576 - 50 * 2352;
		break;
	case BREAK_TRACK_NUMBER_ORDER:
		t3->number = 2;
		break;
	case BREAK_UNKNOWN_FLAG:
		t2->flags = VCDROM_TRACK_F_ALL + 1;
		break;
	case BREAK_UNKNOWN_FORMAT:
		t1->ext[0].format = __VCDROM_SECTOR_FORMAT_MAX;
		break;
	case BREAK_UNKNOWN_MODE:
		t1->mode = __VCDROM_TRACK_MODE_MAX;
		break;
	case BREAK_ZERO_LENGTH_EXTENT:
		/* track 1 of 99 sectors, then an empty extent */
		t1->ext[0].length = 99;
		t1->ext[1] = (struct cd_extent){ 99, 0, VCDROM_SECTOR_ZERO, -1, 0 };
		t1->ext[2] = (struct cd_extent){ 99, 1, VCDROM_SECTOR_ZERO, -1, 0 };
		t1->next = 3;
		break;
	case __BREAK_MAX:
		break;
	}
}

TEST_F(nl, cd_layout_bad)
{
	struct cd_disc d;
	int failed = 0;

	if (!(features(self) & VCDROM_F_CD))
		SKIP(return, "the module does not take whole-CD layouts (no VCDROM_F_CD)");
	for (int b = 0; b < __BREAK_MAX; b++) {
		char msg[sizeof(self->rep.msg)];
		int err, state;

		good_cd(&d);
		break_cd(&d, b);
		err = insert_cd(self, &d);
		/* the state query below is a request of its own: keep this one's message */
		memcpy(msg, self->rep.msg, sizeof(msg));
		state = drive_state(_metadata, self);
		if (err >= 0 || !msg[0] || state != self->state0) {
			TH_LOG("%s: error %d, message \"%s\", drive state %d (was %d)", breakage_name[b],
			       err, msg, state, self->state0);
			failed++;
		} else {
			TH_LOG("%s: refused, %s: %s", breakage_name[b], strerror(-err), msg);
		}
		if (state == VCDROM_STATE_LOADED) {
			req_init(&self->r, family_id, VCDROM_CMD_EJECT, 0);
			put_u32(&self->r, VCDROM_A_DRIVE, self->drive);
			put_attr(&self->r, VCDROM_A_FORCE, NULL, 0);
			nl_talk(self->fd, &self->r, &self->rep);
		}
	}
	EXPECT_EQ(0, failed);
	/* and the good layout still goes in after all that */
	good_cd(&d);
	EXPECT_EQ(0, insert_cd(self, &d)) TH_LOG("the good CD layout refused: %s", self->rep.msg);
}

TEST_HARNESS_MAIN
