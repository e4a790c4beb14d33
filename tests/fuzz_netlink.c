// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_netlink: random and malformed messages to the "vcdrom" generic netlink
 * family over a raw netlink socket (no libnl: it would not build most of them).
 *
 * Usage: fuzz_netlink [-n COUNT] [-s SEED] [-u] [-i IMAGE] [-d /dev/srN]
 *   -n COUNT  messages (default 5000)
 *   -s SEED   PRNG seed (default: from the clock; always printed)
 *   -u        the caller is unprivileged: every request that would change
 *             something (DRIVE_ADD, DRIVE_DEL, INSERT, EJECT) must fail
 *   -i IMAGE  a readable image file for the fd attributes (a valid INSERT)
 *   -d DEV    a vcdrom drive's block node, passed as an fd too
 *
 * Messages: random commands (valid, out of range, EVENT, which is not a
 * request), random attribute types (in and out of each space, with the
 * NESTED and BYTEORDER bits), lengths (0, short, unaligned, long, nla_len
 * lying), nests up to 8 deep, and mutations of a valid INSERT (disc, file,
 * session, track, extent nests) whose fd attribute is one of: a regular file
 * read-only, write-only or O_PATH, a directory, a pipe's ends, a socket,
 * /dev/null, the drive's /dev/srN, a memfd, a closed fd, huge numbers.
 * Flags: NLM_F_REQUEST mostly, NLM_F_DUMP, NLM_F_ECHO...; NLM_F_ACK always,
 * so that every message must get an answer.
 *
 * Invariants: every message is answered (an ack, an error or a dump's DONE)
 * within the receive timeout; an error is a negative errno; with -u, no
 * request that changes state succeeds. Exit 0 on success, 1 on a failure
 * (with seed, index and the message in hex).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vcdrom.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fuzz_rng.h"

#define MSG_MAX		16384
#define RECV_TIMEOUT_S	30

static uint64_t seed;
static unsigned long msg_index;
static int nl;
static uint16_t family;
static uint32_t seq = 1000;
static bool unpriv;
static uint8_t msg[MSG_MAX];
static unsigned int msg_len;

static struct {
	unsigned long acks, errors, with_msg, dumps, changed;
	unsigned long err[135], err_nomsg[135];
} st;

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
	unsigned int i;
	va_list ap;

	fprintf(stderr, "FAIL: fuzz_netlink: seed %" PRIu64 ", message %lu: ", seed, msg_index);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n  message (%u bytes):", msg_len);
	for (i = 0; i < msg_len && i < 512; i++)
		fprintf(stderr, "%s%02x", i % 32 ? " " : "\n  ", msg[i]);
	fprintf(stderr, "\n");
	exit(1);
}

/* ---- fds of every kind ---- */

static int fds[16];
static const char *fd_names[16];
static unsigned int n_fds;
static int image_fd = -1;

static void add_fd(const char *name, int fd)
{
	if (fd < 0)
		return;		/* not available here (e.g. /dev/srN for an unprivileged user) */
	fd_names[n_fds] = name;
	fds[n_fds++] = fd;
}

static void open_fds(const char *image, const char *dev)
{
	char tmpl[] = "/tmp/fuzz_netlink.XXXXXX";
	int p[2], fd;

	if (image) {
		image_fd = open(image, O_RDONLY);
		if (image_fd < 0) {
			perror(image);
			exit(2);
		}
		add_fd("image read-only", image_fd);
		add_fd("image O_PATH", open(image, O_PATH));
	}
	fd = mkstemp(tmpl);
	if (fd >= 0) {
		if (write(fd, msg, 4096) != 4096)
			perror("fuzz_netlink: write");
		close(fd);
		add_fd("file write-only", open(tmpl, O_WRONLY));
		unlink(tmpl);
	}
	add_fd("directory", open("/", O_RDONLY | O_DIRECTORY));
	if (!pipe(p)) {
		add_fd("pipe read end", p[0]);
		add_fd("pipe write end", p[1]);
	}
	add_fd("socket", socket(AF_UNIX, SOCK_STREAM, 0));
	add_fd("/dev/null", open("/dev/null", O_RDONLY));
	if (dev)
		add_fd("vcdrom drive", open(dev, O_RDONLY | O_NONBLOCK));
	fd = memfd_create("fuzz_netlink", 0);
	if (fd >= 0 && ftruncate(fd, 64 * 2048) == 0)
		add_fd("memfd", fd);
}

static uint32_t pick_fd(void)
{
	switch (rnd_n(8)) {
	case 0: return 1000 + rnd_n(100);	/* closed */
	case 1: return (uint32_t[]){ 1u << 20, 0x7fffffff, 0xffffffff, 0x80000000 }[rnd_n(4)];
	case 2: return rnd_n(3);		/* stdin, stdout, stderr */
	default: return n_fds ? fds[rnd_n(n_fds)] : 1000;
	}
}

/* ---- building messages ---- */

static unsigned int put_attr(unsigned int off, uint16_t type, const void *data, unsigned int len)
{
	struct nlattr *a = (struct nlattr *)(msg + off);

	if (off + NLA_HDRLEN + NLA_ALIGN(len) > MSG_MAX)
		return off;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (data)
		memcpy(msg + off + NLA_HDRLEN, data, len);
	memset(msg + off + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return off + NLA_HDRLEN + NLA_ALIGN(len);
}

static unsigned int put_u32(unsigned int off, uint16_t type, uint32_t v)
{
	return put_attr(off, type, &v, 4);
}

static unsigned int put_u64(unsigned int off, uint16_t type, uint64_t v)
{
	return put_attr(off, type, &v, 8);
}

static unsigned int nest_start(unsigned int off, uint16_t type)
{
	return put_attr(off, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(unsigned int start, unsigned int end)
{
	((struct nlattr *)(msg + start))->nla_len = end - start;
}

/* A random attribute list at @off, nesting @depth deep at most. */
static unsigned int gen_attrs(unsigned int off, unsigned int depth)
{
	unsigned int n = rnd_n(6), i, len, start;
	uint8_t data[256];
	uint16_t type;

	for (i = 0; i < n && off < MSG_MAX - 512; i++) {
		type = rnd_n(4) ? rnd_n(VCDROM_A_MAX + 3) : (uint16_t)rnd();
		if (!rnd_n(8))
			type |= NLA_F_NET_BYTEORDER;
		switch (depth && rnd_n(3) ? 8 : rnd_n(8)) {
		case 0: off = put_attr(off, type, NULL, 0); break;
		case 1: off = put_u32(off, type, rnd_n(4) ? rnd_n(300) : (uint32_t)rnd()); break;
		case 2: off = put_u64(off, type, rnd()); break;
		case 3: off = put_u32(off, type, pick_fd()); break;
		case 4:		/* short and unaligned */
			len = 1 + rnd_n(7);
			data[0] = rnd();
			data[1] = rnd();
			off = put_attr(off, type, data, len);
			break;
		case 5:		/* a string, NUL-terminated or not */
			len = rnd_n(sizeof(data));
			for (unsigned int j = 0; j < len; j++)
				data[j] = 0x20 + rnd_n(0x5f);
			if (len && rnd_n(2))
				data[len - 1] = 0;
			off = put_attr(off, type, data, len);
			break;
		case 6:		/* long */
			len = rnd_n(4000);
			if (off + len + 64 < MSG_MAX) {
				for (unsigned int j = 0; j < len; j++)
					msg[off + NLA_HDRLEN + j] = rnd();
				off = put_attr(off, type, msg + off + NLA_HDRLEN, len);
			}
			break;
		default:	/* a nest */
			if (depth >= 8)
				break;
			start = off;
			off = nest_start(off, rnd_n(4) ? type & ~NLA_F_NESTED : type);
			off = gen_attrs(off, depth + 1);
			nest_end(start, off);
			break;
		}
	}
	return off;
}

/* In a mutated INSERT, the type or value the @bend_skip-th call bends. */
static int bend_skip, bend_k;

static uint32_t bend(uint32_t v)
{
	if (bend_skip != bend_k++)
		return v;
	return rnd_n(2) ? (uint32_t)rnd() : rnd_n(4);
}

#define BEND(v) bend(v)

/* A valid INSERT of the image (or a mutation of one) at @off. */
static unsigned int gen_insert(unsigned int off, bool mutate)
{
	unsigned int disc, file, sess, track, ext, sectors = 16 + rnd_n(48);
	uint32_t fd = image_fd >= 0 ? (uint32_t)image_fd : 1000;
	uint32_t v;

	bend_skip = mutate ? (int)rnd_n(24) : -1;
	bend_k = 0;
	if (mutate && rnd_n(2))
		fd = pick_fd();
	off = put_u32(off, VCDROM_A_DRIVE, BEND(0));
	if (rnd_n(2))
		off = put_attr(off, VCDROM_A_REPLACE, NULL, 0);
	disc = off;
	off = nest_start(off, VCDROM_A_DISC);
	if (mutate && !rnd_n(4))
		off = put_u32(off, VCDROM_DISC_A_MEDIUM, rnd_n(6));
	if (mutate && !rnd_n(6))
		off = put_attr(off, VCDROM_DISC_A_MCN, "0123456789012", 13 + rnd_n(3));
	if (mutate && !rnd_n(6))
		off = put_attr(off, VCDROM_DISC_A_CDTEXT, msg, 18 * rnd_n(4) + rnd_n(2));
	if (mutate && !rnd_n(6))	/* a good name, or 30 to 34 bytes without a NUL, a tab in */
		off = rnd_n(2) ? put_attr(off, VCDROM_DISC_A_FORMAT, "CUE sheet", 10) :
		      put_attr(off, VCDROM_DISC_A_FORMAT, "CUE sheet\t0123456789abcdef0123456789", 30 + rnd_n(5));
	if (mutate && !rnd_n(6))	/* two paths, a tab in, or cut short of its NUL */
		off = rnd_n(2) ? put_attr(off, VCDROM_DISC_A_SOURCE, "/a/b.cue\n/c/d.toc", 18) :
		      put_attr(off, VCDROM_DISC_A_SOURCE, "/a/b\t.cue", 1 + rnd_n(10));
	for (int f = 0, nf = mutate && !rnd_n(5) ? rnd_n(4) : 1; f < nf; f++) {
		file = off;
		off = nest_start(off, BEND(VCDROM_DISC_A_FILE));
		v = BEND(VCDROM_FILE_A_FD);
		off = put_u32(off, v, f ? pick_fd() : fd);
		nest_end(file, off);
	}
	sess = off;
	off = nest_start(off, BEND(VCDROM_DISC_A_SESSION));
	track = off;
	off = nest_start(off, BEND(VCDROM_SESSION_A_TRACK));
	v = BEND(VCDROM_TRACK_A_NUMBER);
	off = put_attr(off, v, (uint8_t[]){ BEND(1) }, 1);
	v = BEND(VCDROM_TRACK_A_MODE);
	off = put_u32(off, v, BEND(VCDROM_TRACK_MODE1));
	v = BEND(VCDROM_TRACK_A_START);
	off = put_u32(off, v, BEND(0));
	if (mutate && !rnd_n(4))
		off = put_u32(off, VCDROM_TRACK_A_INDEX, rnd_n(sectors + 2));
	if (mutate && !rnd_n(6))
		off = put_attr(off, VCDROM_TRACK_A_ISRC, "USVCD2600002", 12 + rnd_n(2));
	ext = off;
	off = nest_start(off, BEND(VCDROM_TRACK_A_EXTENT));
	v = BEND(VCDROM_EXTENT_A_START);
	off = put_u32(off, v, BEND(0));
	v = BEND(VCDROM_EXTENT_A_LENGTH);
	off = put_u32(off, v, BEND(sectors));
	v = BEND(VCDROM_EXTENT_A_FORMAT);
	off = put_u32(off, v, BEND(VCDROM_SECTOR_COOKED_2048));
	v = BEND(VCDROM_EXTENT_A_FILE);
	off = put_u32(off, v, BEND(0));
	v = BEND(VCDROM_EXTENT_A_OFFSET);
	off = put_u64(off, v, bend_skip == bend_k++ ? rnd() : 0);
	if (mutate && !rnd_n(4))
		off = gen_attrs(off, 4);
	nest_end(ext, off);
	nest_end(track, off);
	nest_end(sess, off);
	nest_end(disc, off);
	return off;
}

/* Mangle the bytes of the message after the genl header. */
static void mangle(unsigned int start)
{
	unsigned int n = 1 + rnd_n(4), i, at;

	if (msg_len <= start)
		return;
	for (i = 0; i < n; i++) {
		at = start + rnd_n(msg_len - start);
		switch (rnd_n(3)) {
		case 0: msg[at] ^= 1 << rnd_n(8); break;
		case 1: msg[at] = rnd(); break;
		default:	/* an nla_len that lies (where an attribute starts, or not) */
			at &= ~3u;
			if (at + 2 <= msg_len)
				*(uint16_t *)(msg + at) = rnd_n(2) ? rnd_n(16) : (uint16_t)rnd();
			break;
		}
	}
}

static bool changes_state(uint8_t cmd)
{
	return cmd == VCDROM_CMD_DRIVE_ADD || cmd == VCDROM_CMD_DRIVE_DEL ||
	       cmd == VCDROM_CMD_INSERT || cmd == VCDROM_CMD_EJECT;
}

/* Build message number msg_index; returns its command. */
static uint8_t gen_msg(void)
{
	struct nlmsghdr *h = (struct nlmsghdr *)msg;
	struct genlmsghdr *g = (struct genlmsghdr *)(msg + NLMSG_HDRLEN);
	unsigned int off = NLMSG_HDRLEN + GENL_HDRLEN, kind = rnd_n(10);
	uint8_t cmd;

	memset(msg, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	cmd = rnd_n(5) ? rnd_n(VCDROM_CMD_MAX + 2) : (uint8_t)rnd();
	if (kind < 3) {
		cmd = VCDROM_CMD_INSERT;
		off = gen_insert(off, kind > 0);
	} else if (kind < 4) {
		off = put_u32(off, VCDROM_A_DRIVE, rnd_n(4) ? rnd_n(4) : (uint32_t)rnd());
		if (!rnd_n(3))
			off = put_attr(off, VCDROM_A_FORCE, NULL, 0);
	} else {
		off = gen_attrs(off, 0);
	}
	/* DRIVE_ADD makes a SCSI device: keep those rare, they are slow */
	if (cmd == VCDROM_CMD_DRIVE_ADD && !unpriv && rnd_n(20))
		cmd = VCDROM_CMD_DRIVE_GET;
	/* and DRIVE_DEL too: the INSERTs need a drive */
	if (cmd == VCDROM_CMD_DRIVE_DEL && !unpriv && rnd_n(10))
		cmd = VCDROM_CMD_DRIVE_GET;
	h->nlmsg_len = off;
	h->nlmsg_type = family;
	h->nlmsg_flags = NLM_F_ACK | (rnd_n(10) ? NLM_F_REQUEST : 0);
	if (!rnd_n(6))
		h->nlmsg_flags |= NLM_F_DUMP;
	if (!rnd_n(20))
		h->nlmsg_flags |= (uint16_t)rnd() & ~(NLM_F_MULTI);
	h->nlmsg_seq = ++seq;
	g->cmd = cmd;
	g->version = rnd_n(8) ? VCDROM_GENL_VERSION : (uint8_t)rnd();
	g->reserved = rnd_n(8) ? 0 : (uint16_t)rnd();
	msg_len = off;
	if (kind >= 1 && kind <= 3 && !rnd_n(3))
		mangle(NLMSG_HDRLEN + GENL_HDRLEN);
	if (!rnd_n(30))		/* the header's length lies */
		h->nlmsg_len = rnd_n(2) ? rnd_n(msg_len + 1) : msg_len + rnd_n(64);
	if (!rnd_n(40))		/* truncated on the wire */
		msg_len = NLMSG_HDRLEN + rnd_n(msg_len - NLMSG_HDRLEN + 1);
	return cmd;
}

/* ---- talking ---- */

static uint8_t rbuf[65536];

/* The extack message in an error, or NULL. */
static const char *ext_msg(struct nlmsghdr *h)
{
	struct nlmsgerr *e = NLMSG_DATA(h);
	unsigned int off, end = h->nlmsg_len;
	struct nlattr *a;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	off = NLMSG_HDRLEN + sizeof(*e);
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	while (off + NLA_HDRLEN <= end) {
		a = (struct nlattr *)((uint8_t *)h + off);
		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > end)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			return (const char *)a + NLA_HDRLEN;
		off += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

/* Messages the kernel drops without an answer (netlink_rcv_skb stops at a header whose length does not fit). */
static bool may_stay_unanswered(void)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)msg;

	return msg_len < NLMSG_HDRLEN || h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > msg_len;
}

/* After a message the kernel may drop: a FEATURES request that must be answered. */
static uint32_t send_probe(void)
{
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
	} p = {
		.h = { .nlmsg_len = sizeof(p), .nlmsg_type = family,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK, .nlmsg_seq = ++seq },
		.g = { .cmd = VCDROM_CMD_FEATURES, .version = VCDROM_GENL_VERSION },
	};
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };

	if (sendto(nl, &p, sizeof(p), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		fail("sendto (probe): %s", strerror(errno));
	return p.h.nlmsg_seq;
}

/*
 * Send the message and read until its answer: an NLMSG_ERROR (ack or error)
 * or an NLMSG_DONE for its sequence number. Returns the error (0: ack), 1
 * when nothing came in time, 2 when the kernel dropped a malformed message
 * (a probe sent after it was answered first). Replies to earlier messages
 * (an ack after a dump's DONE, a probe's) are skipped.
 */
static int transact(const char **emsg)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	uint32_t want = ((struct nlmsghdr *)msg)->nlmsg_seq, probe = 0;
	struct nlmsghdr *h;
	ssize_t n;

	*emsg = NULL;
	if (sendto(nl, msg, msg_len, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
		/* refused before any family saw it */
		if (errno == EINVAL || errno == EMSGSIZE)
			return -errno;
		fail("sendto: %s", strerror(errno));
	}
	if (may_stay_unanswered())
		probe = send_probe();
	for (;;) {
		n = recv(nl, rbuf, sizeof(rbuf), 0);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 1;
		if (n < 0 && errno == ENOBUFS)
			continue;
		if (n < 0)
			fail("recv: %s", strerror(errno));
		for (h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, (unsigned int)n); h = NLMSG_NEXT(h, n)) {
			if (probe && h->nlmsg_seq == probe && h->nlmsg_type == NLMSG_ERROR)
				return 2;
			if (h->nlmsg_seq != want)
				continue;
			if (h->nlmsg_type == NLMSG_DONE) {
				st.dumps++;
				return 0;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				*emsg = ext_msg(h);
				return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			}
		}
	}
}

static int resolve_family(void)
{
	struct nlmsghdr *h = (struct nlmsghdr *)msg;
	struct genlmsghdr *g = (struct genlmsghdr *)(msg + NLMSG_HDRLEN);
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	unsigned int off = NLMSG_HDRLEN + GENL_HDRLEN;
	struct nlattr *a;
	ssize_t n;

	memset(msg, 0, off);
	off = put_attr(off, CTRL_ATTR_FAMILY_NAME, VCDROM_GENL_NAME, sizeof(VCDROM_GENL_NAME));
	h->nlmsg_len = off;
	h->nlmsg_type = GENL_ID_CTRL;
	h->nlmsg_flags = NLM_F_REQUEST;
	h->nlmsg_seq = 1;
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 2;
	if (sendto(nl, msg, off, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -1;
	n = recv(nl, rbuf, sizeof(rbuf), 0);
	h = (struct nlmsghdr *)rbuf;
	if (n < (ssize_t)NLMSG_HDRLEN || !NLMSG_OK(h, (unsigned int)n) || h->nlmsg_type != GENL_ID_CTRL)
		return -1;
	for (off = NLMSG_HDRLEN + GENL_HDRLEN; off + NLA_HDRLEN <= h->nlmsg_len;
	     off += NLA_ALIGN(a->nla_len)) {
		a = (struct nlattr *)(rbuf + off);
		if (a->nla_len < NLA_HDRLEN)
			break;
		if (a->nla_type == CTRL_ATTR_FAMILY_ID) {
			family = *(uint16_t *)((uint8_t *)a + NLA_HDRLEN);
			return 0;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	const char *image = NULL, *dev = NULL, *emsg;
	unsigned long count = 5000, unanswered = 0;
	struct timeval tv = { .tv_sec = RECV_TIMEOUT_S };
	int opt, one = 1, err, i;
	uint8_t cmd;

	seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
	while ((opt = getopt(argc, argv, "n:s:ui:d:")) != -1) {
		switch (opt) {
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'u': unpriv = true; break;
		case 'i': image = optarg; break;
		case 'd': dev = optarg; break;
		default:
			fprintf(stderr, "usage: fuzz_netlink [-n COUNT] [-s SEED] [-u] [-i IMAGE] "
				"[-d /dev/srN]\n");
			return 2;
		}
	}
	rng = seed;
	printf("fuzz_netlink: seed %" PRIu64 ", %lu messages%s\n", seed, count,
	       unpriv ? ", unprivileged" : "");
	fflush(stdout);

	open_fds(image, dev);
	nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl < 0 ||
	    setsockopt(nl, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(nl, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    setsockopt(nl, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		perror("fuzz_netlink: netlink socket");
		return 1;
	}
	if (resolve_family()) {
		fprintf(stderr, "fuzz_netlink: no generic netlink family \"vcdrom\"\n");
		return 1;
	}

	for (msg_index = 0; msg_index < count; msg_index++) {
		cmd = gen_msg();
		err = transact(&emsg);
		if (err == 1)
			fail("no answer in %d s", RECV_TIMEOUT_S);
		if (err == 2) {
			unanswered++;
			continue;
		}
		if (err > 0 || err < -4095)
			fail("error %d is not a negative errno", err);
		if (!err) {
			st.acks++;
			if (unpriv && changes_state(cmd) &&
			    (((struct nlmsghdr *)msg)->nlmsg_flags & NLM_F_REQUEST) &&
			    ((struct nlmsghdr *)msg)->nlmsg_type == family)
				fail("an unprivileged command %u succeeded", cmd);
			if (changes_state(cmd) &&
			    (((struct nlmsghdr *)msg)->nlmsg_flags & NLM_F_REQUEST))
				st.changed++;
			continue;
		}
		st.errors++;
		st.err[-err < 134 ? -err : 134]++;
		if (emsg)
			st.with_msg++;
		else
			st.err_nomsg[-err < 134 ? -err : 134]++;
		if (unpriv && err == -EPERM && !emsg)
			fail("EPERM without an extack message");
	}
	printf("fuzz_netlink: %lu messages: %lu acks (%lu changing state, %lu dumps), %lu errors "
	       "(%lu with a message), %lu malformed and dropped\nfuzz_netlink: errnos:", count,
	       st.acks, st.changed, st.dumps, st.errors, st.with_msg, unanswered);
	for (i = 1; i < 135; i++)
		if (st.err[i])
			printf(" %s:%lu", strerrorname_np(i) ?: "?", st.err[i]);
	printf("\nfuzz_netlink: errnos without an extack message:");
	for (i = 1; i < 135; i++)
		if (st.err_nomsg[i])
			printf(" %s:%lu", strerrorname_np(i) ?: "?", st.err_nomsg[i]);
	printf("\n");
	return 0;
}
