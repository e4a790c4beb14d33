// SPDX-License-Identifier: GPL-2.0
/*
 * Waiting for udev to finish with a drive.
 *
 * udev tells listeners about an event on its netlink group (2) once it has
 * run the rules and made the device's node, links and database entry, so an
 * event seen there means /dev/disk/by-label/... and ID_CDROM_MEDIA are in
 * place. No libudev: the message is the "libudev" header and NUL-separated
 * KEY=VALUE properties; only root's (udevd's) messages are taken.
 *
 * Which event shows the new medium: the drive announces a change with a
 * uevent on its SCSI device (SDEV_MEDIA_CHANGE=1), sent after the medium is
 * in place. udev's rules answer it with a "change" on the block device, and
 * udev handles a block device's events only after those of its parent that
 * came before. So a block-device event whose sequence number is above that
 * SCSI event's was handled with the new medium in the drive. Earlier block
 * events can still be in flight from a change before ours (an insert that
 * did not wait) and describe the old disc.
 *
 * But the first of them can come before the kernel's block layer has seen
 * the change (its DISKSEQ is the old disc's), and then blkid read what the
 * block device's cache held: no label. Opening the device makes sr see the
 * change, count a new disk sequence number and send a uevent of its own
 * (DISK_MEDIA_CHANGE=1), whose handling has the disc right. So an event is
 * taken only when its DISKSEQ is the device's current one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/netlink.h>

#include "udevwait.h"

#define UDEV_GROUP		2
#define UDEV_MAGIC		0xfeedcafe
#define UDEV_CONTROL		"/run/udev/control"
#define UDEV_QUEUE		"/run/udev/queue"

/* The header udevd puts before the properties (libudev's monitor_netlink_header). */
struct udev_msg_header {
	char prefix[8];			/* "libudev" */
	uint32_t magic;			/* UDEV_MAGIC, big-endian */
	uint32_t header_size;
	uint32_t properties_off;
	uint32_t properties_len;
	uint32_t filter[4];
};

/* What a wait looks at in one event. */
struct uevent {
	const char *action;
	const char *subsystem;
	const char *devpath;
	const char *devname;
	unsigned long long seqnum;
	unsigned long long diskseq;	/* 0 when not given */
	bool cdrom;			/* ID_CDROM=1: cdrom_id ran */
	bool cdrom_media;		/* ID_CDROM_MEDIA=1 */
	bool media_change;		/* SDEV_MEDIA_CHANGE=1 */
};

static uint64_t uevent_seqnum(void)
{
	unsigned long long seq = 0;
	FILE *f = fopen("/sys/kernel/uevent_seqnum", "re");

	if (f) {
		if (fscanf(f, "%llu", &seq) != 1)
			seq = 0;
		fclose(f);
	}
	return seq;
}

/*
 * Whether udevd listens: its control socket takes a connection. A caller
 * without the right to connect cannot tell, and assumes it does.
 */
static bool udev_running(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = UDEV_CONTROL };
	bool running;
	int fd;

	if (access(UDEV_CONTROL, F_OK))
		return false;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return true;
	running = !connect(fd, (struct sockaddr *)&sa, sizeof(sa)) || errno == EACCES ||
		  errno == EPERM;
	close(fd);
	return running;
}

int udev_wait_open(struct udev_wait *w)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = UDEV_GROUP };
	int one = 1, size = 1 << 20;

	w->fd = -1;
	w->seq_before = uevent_seqnum();
	if (!udev_running())
		return 0;
	w->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
		       NETLINK_KOBJECT_UEVENT);
	if (w->fd < 0)
		return -errno;
	/* SO_RCVBUFFORCE needs CAP_NET_ADMIN; SO_RCVBUF is capped, and enough. */
	if (setsockopt(w->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(w->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(w->fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) ||
	    bind(w->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int err = errno;

		close(w->fd);
		w->fd = -1;
		return -err;
	}
	/* Read again: an event before the bind cannot be ours. */
	w->seq_before = uevent_seqnum();
	return 0;
}

void udev_wait_close(struct udev_wait *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}

/* The properties of one udevd message in @buf (NUL-terminated by the caller) into @ev. */
static bool parse_event(char *buf, size_t len, struct uevent *ev)
{
	const struct udev_msg_header *h = (const void *)buf;
	size_t off, end;
	char *p;

	if (len < sizeof(*h) || memcmp(h->prefix, "libudev", 8) || ntohl(h->magic) != UDEV_MAGIC)
		return false;
	off = h->properties_off;
	end = off + h->properties_len;
	if (off < sizeof(*h) || off > len || end > len || end < off)
		return false;
	memset(ev, 0, sizeof(*ev));
	for (p = buf + off; p < buf + end; p += strlen(p) + 1) {
		if (!strncmp(p, "ACTION=", 7))
			ev->action = p + 7;
		else if (!strncmp(p, "SUBSYSTEM=", 10))
			ev->subsystem = p + 10;
		else if (!strncmp(p, "DEVPATH=", 8))
			ev->devpath = p + 8;
		else if (!strncmp(p, "DEVNAME=", 8))
			ev->devname = p + 8;
		else if (!strncmp(p, "SEQNUM=", 7))
			ev->seqnum = strtoull(p + 7, NULL, 10);
		else if (!strncmp(p, "DISKSEQ=", 8))
			ev->diskseq = strtoull(p + 8, NULL, 10);
		else if (!strcmp(p, "ID_CDROM=1"))
			ev->cdrom = true;
		else if (!strcmp(p, "ID_CDROM_MEDIA=1"))
			ev->cdrom_media = true;
		else if (!strcmp(p, "SDEV_MEDIA_CHANGE=1"))
			ev->media_change = true;
	}
	return ev->action && ev->subsystem && ev->devpath;
}

/*
 * The next event from udevd, waiting until @deadline (CLOCK_MONOTONIC ms):
 * 1, 0 on timeout, or -errno (-ENOBUFS: events were lost).
 */
static int next_event(struct udev_wait *w, char *buf, size_t size, struct uevent *ev,
		      long long deadline)
{
	char control[CMSG_SPACE(sizeof(struct ucred))];
	struct sockaddr_nl from;
	struct iovec iov = { .iov_base = buf, .iov_len = size - 1 };
	struct msghdr msg = {
		.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
		.msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof(control),
	};
	struct pollfd pfd = { .fd = w->fd, .events = POLLIN };
	struct cmsghdr *cmsg;
	struct ucred *cred;
	struct timespec now;
	long long left;
	ssize_t len;

	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = deadline - (now.tv_sec * 1000LL + now.tv_nsec / 1000000);
		if (left <= 0)
			return 0;
		if (poll(&pfd, 1, left > 100 ? 100 : left) < 0 && errno != EINTR)
			return -errno;
		msg.msg_namelen = sizeof(from);
		msg.msg_controllen = sizeof(control);
		len = recvmsg(w->fd, &msg, 0);
		if (len < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		/* udevd's own messages only: from user space (a port), sent by root. */
		cmsg = CMSG_FIRSTHDR(&msg);
		if (!from.nl_pid || !cmsg || cmsg->cmsg_type != SCM_CREDENTIALS)
			continue;
		cred = (struct ucred *)CMSG_DATA(cmsg);
		if (cred->uid != 0 || (msg.msg_flags & MSG_TRUNC))
			continue;
		buf[len] = '\0';
		if (parse_event(buf, len, ev))
			return 1;
	}
}

/* The last component of @path. */
static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* @devpath is the SCSI device @hctl (".../0:0:0:0") or, with @block, its block device. */
static bool of_drive(const char *devpath, const char *hctl, bool block)
{
	size_t n = strlen(hctl);
	const char *p;

	for (p = strstr(devpath, hctl); p; p = strstr(p + 1, hctl)) {
		if (p == devpath || p[-1] != '/')
			continue;
		if (block ? !strncmp(p + n, "/block/", 7) : !p[n])
			return true;
	}
	return false;
}

/* The block device's disk sequence number now (/sys/.../diskseq, Linux 5.15); 0 when unknown. */
static unsigned long long current_diskseq(const char *block_dev)
{
	unsigned long long seq = 0;
	char path[96];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/block/%s/diskseq", block_dev);
	f = fopen(path, "re");
	if (f) {
		if (fscanf(f, "%llu", &seq) != 1)
			seq = 0;
		fclose(f);
	}
	return seq;
}

static long long deadline_ms(int timeout_ms)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec * 1000LL + now.tv_nsec / 1000000 + timeout_ms;
}

/*
 * udev's current view of @block_dev, for 'wait': nothing queued, and its
 * database entry is of the current disk sequence number (its by-diskseq
 * link, where udev makes one) and says the medium is there (or cdrom_id
 * does not run).
 */
static bool udev_settled_with_medium(const char *block_dev)
{
	unsigned long long diskseq = current_diskseq(block_dev);
	char path[96], line[256], seqlink[64];
	bool cdrom = false, media = false, seq = !diskseq, seq_links = false;
	unsigned int major, minor;
	FILE *f;

	if (!access(UDEV_QUEUE, F_OK))
		return false;
	snprintf(path, sizeof(path), "/sys/class/block/%s/dev", block_dev);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fscanf(f, "%u:%u", &major, &minor) != 2) {
		fclose(f);
		return false;
	}
	fclose(f);
	snprintf(path, sizeof(path), "/run/udev/data/b%u:%u", major, minor);
	f = fopen(path, "re");
	if (!f)
		return false;
	snprintf(seqlink, sizeof(seqlink), "S:disk/by-diskseq/%llu\n", diskseq);
	while (fgets(line, sizeof(line), f)) {
		if (!strcmp(line, "E:ID_CDROM=1\n"))
			cdrom = true;
		else if (!strcmp(line, "E:ID_CDROM_MEDIA=1\n"))
			media = true;
		else if (!strcmp(line, seqlink))
			seq = true;
		if (!strncmp(line, "S:disk/by-diskseq/", 18))
			seq_links = true;
	}
	fclose(f);
	return (seq || !seq_links) && (media || !cdrom);
}

int udev_wait_medium(struct udev_wait *w, const char *hctl, const char *block_dev,
		     bool changed, int timeout_ms)
{
	long long step, deadline = deadline_ms(timeout_ms);
	unsigned long long scsi_seq = 0;
	struct uevent ev;
	static char buf[65536];	/* a device with many properties; a truncated message is dropped */
	int ret;

	if (w->fd < 0)
		return 0;
	for (;;) {
		if (!changed && udev_settled_with_medium(block_dev))
			return 0;
		/* Without events to go by, udev's view is looked at every 100 ms. */
		step = deadline_ms(100);
		ret = next_event(w, buf, sizeof(buf), &ev, step < deadline ? step : deadline);
		if (ret == -ENOBUFS) {
			/* Ours may be among the lost: fall back to udev's current view. */
			changed = false;
			continue;
		}
		if (ret < 0)
			return ret;
		if (!ret) {
			if (deadline_ms(0) >= deadline)
				return -ETIMEDOUT;
			continue;
		}
		if (!strcmp(ev.subsystem, "scsi") && ev.media_change && !scsi_seq &&
		    ev.seqnum > w->seq_before && of_drive(ev.devpath, hctl, false)) {
			scsi_seq = ev.seqnum;
			continue;
		}
		if (strcmp(ev.subsystem, "block") || !ev.devname ||
		    strcmp(base(ev.devname), block_dev) || !strcmp(ev.action, "remove"))
			continue;
		if (changed && (!scsi_seq || ev.seqnum <= scsi_seq))
			continue;
		if (ev.diskseq && ev.diskseq != current_diskseq(block_dev))
			continue;
		if (ev.cdrom_media || !ev.cdrom)
			return 0;
	}
}

int udev_wait_added(struct udev_wait *w, const char *hctl, char *block_dev, size_t size,
		    int timeout_ms)
{
	long long deadline = deadline_ms(timeout_ms);
	struct uevent ev;
	static char buf[65536];	/* a device with many properties; a truncated message is dropped */
	int ret;

	if (w->fd < 0)
		return -ENOENT;
	for (;;) {
		ret = next_event(w, buf, sizeof(buf), &ev, deadline);
		if (ret < 0)
			return ret;
		if (!ret)
			return -ETIMEDOUT;
		if (!strcmp(ev.subsystem, "block") && !strcmp(ev.action, "add") && ev.devname &&
		    ev.seqnum > w->seq_before && of_drive(ev.devpath, hctl, true)) {
			snprintf(block_dev, size, "%s", base(ev.devname));
			return 0;
		}
	}
}
