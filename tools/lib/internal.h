/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libvcdrom's insides, for its host tests and fuzz targets, never for
 * programs: the client, a request's state, and the callbacks that parse
 * what the kernel sends, so that replies built by hand can be fed to them.
 */
#ifndef VCDROM_LIB_INTERNAL_H
#define VCDROM_LIB_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

#include "libvcdrom.h"

struct nl_sock;
struct nlattr;
struct nlmsgerr;

struct vcd_client {
	struct nl_sock *sk;		/* requests and their replies */
	struct nl_sock *ev_sk;		/* the events group, once subscribed */
	int family;
	bool has_device_fd;		/* send device_fd with INSERT and EJECT */
	int device_fd;
	char ext_msg[256];		/* the kernel's message for the last failure */
};

/* A connected generic netlink socket that asks for extack messages; -errno. */
int vcd_nl_socket(struct nl_sock **skp);

/* A request in flight: what parses its replies, and how it ended. */
struct vcd_request {
	struct vcd_client *c;
	int (*parse)(struct nlattr **tb, void *arg);	/* for each reply message */
	void *arg;
	int err;		/* the first error: the kernel's, or parsing a reply */
	bool done;
};

/* libnl callbacks of a request; @arg is its struct vcd_request. */
int vcd_nl_on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg);
int vcd_nl_on_finish(struct nl_msg *msg, void *arg);
int vcd_nl_on_valid(struct nl_msg *msg, void *arg);

/* One drive in reply: @info is filled once. A request's parse, @arg this. */
struct vcd_drive_reply {
	struct vcd_drive_info *info;
	bool got;
};
int vcd_parse_one_drive(struct nlattr **tb, void *arg);

/* Every drive of a dump, in the order they came. A request's parse, @arg this. */
struct vcd_list_reply {
	struct vcd_drive_info *drives;
	size_t n;
};
int vcd_parse_list_drive(struct nlattr **tb, void *arg);

/* Reading events: the libnl callback, @arg a struct vcd_events_ctx. */
struct vcd_events_ctx {
	const struct vcd_client *c;
	vcd_event_cb cb;
	void *arg;
	int n;
};
int vcd_nl_on_event(struct nl_msg *msg, void *arg);

/*
 * Sessions from READ TOC's full TOC (format 0010b) in @buf: the session of
 * each track @toc already holds, and how many sessions there are. False
 * when @buf is not one.
 */
bool vcd_full_toc_sessions(const uint8_t *buf, size_t len, struct vcd_toc *toc);

#endif /* VCDROM_LIB_INTERNAL_H */
