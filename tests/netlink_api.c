// SPDX-License-Identifier: GPL-2.0
/*
 * The vcdrom netlink family spoken by hand, without vcdromctl or libnl:
 * malformed requests (missing, mistyped, unknown, out-of-range attributes,
 * bad nesting, fds that are not image files) must each be refused with an
 * errno and an extack message, and change nothing; good ones must work.
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
	char buf[8192];
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
	pid_t pid = fork();
	int status;

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
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(self->state0, drive_state(_metadata, self));
}

TEST_HARNESS_MAIN
