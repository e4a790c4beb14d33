// SPDX-License-Identifier: GPL-2.0
/*
 * libvcdrom's parsing of what the kernel sends (through its internal.h, as
 * test_loaders.c does): the first input byte chooses a drive
 * reply, an event, an error or the end of a dump, the rest is the message's
 * payload after its headers. What parses is printed as vcdromctl would.
 */
#include <stdio.h>
#include <stdlib.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "internal.h"
#include "output.h"
#include "fuzz.h"

#define FAMILY 0x42

static FILE *null;

static void print_event(const struct vcd_event_info *ev, void *arg)
{
	struct out o;

	(void)arg;
	out_init(&o, OUT_JSON, null);
	out_event(&o, ev);
	out_init(&o, OUT_LINE, null);
	out_event(&o, ev);
}

static struct nl_msg *genl_msg(uint8_t cmd, const uint8_t *data, size_t size)
{
	struct nl_msg *msg = nlmsg_alloc_size(NLMSG_HDRLEN + GENL_HDRLEN + size + NLMSG_ALIGNTO);

	if (!msg || !genlmsg_put(msg, 0, 0, FAMILY, 0, 0, cmd, VCDROM_GENL_VERSION) ||
	    nlmsg_append(msg, (void *)data, size, NLMSG_ALIGNTO))
		abort();
	return msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vcd_client c = { .family = FAMILY };
	struct vcd_list_reply lr = { 0 };
	struct vcd_request rq = { .c = &c, .parse = vcd_parse_list_drive, .arg = &lr };
	struct vcd_events_ctx er = { .c = &c, .cb = print_event };
	struct nl_msg *msg;
	struct out o;
	uint8_t kind;

	if (!null) {
		null = getenv("FUZZ_VERBOSE") ? stderr : fopen("/dev/null", "we");
		if (!null)
			abort();
	}
	if (size < 2)
		return 0;
	kind = data[0];
	data++;
	size--;
	switch (kind & 3) {
	case 0:		/* DRIVE_GET or a DRIVE_LIST dump's message */
		msg = genl_msg(VCDROM_CMD_DRIVE_GET, data, size);
		vcd_nl_on_valid(msg, &rq);
		out_init(&o, kind & 4 ? OUT_JSON : OUT_TABLE, null);
		out_drives(&o, lr.drives, lr.n);
		if (lr.n) {
			out_init(&o, kind & 8 ? OUT_JSON : OUT_BLOCK, null);
			out_drive(&o, &lr.drives[0]);
		}
		vcd_drive_list_free(lr.drives, lr.n);
		break;
	case 1:		/* an event, from the multicast group */
		msg = genl_msg(VCDROM_CMD_EVENT, data, size);
		vcd_nl_on_event(msg, &er);
		break;
	case 2:		/* NLMSG_ERROR: struct nlmsgerr, then (maybe) the request and TLVs */
		if (size < sizeof(struct nlmsgerr))
			return 0;	/* libnl calls it invalid, not an error */
		msg = nlmsg_alloc_simple(NLMSG_ERROR, (kind >> 2 & 3) << 8);	/* CAPPED, ACK_TLVS */
		if (!msg || nlmsg_append(msg, (void *)data, size, NLMSG_ALIGNTO))
			abort();
		vcd_nl_on_error(NULL, nlmsg_data(nlmsg_hdr(msg)), &rq);
		break;
	default:	/* NLMSG_DONE: the dump's error, then TLVs */
		msg = nlmsg_alloc_simple(NLMSG_DONE, (kind >> 2 & 3) << 8);
		if (!msg || nlmsg_append(msg, (void *)data, size, NLMSG_ALIGNTO))
			abort();
		vcd_nl_on_finish(msg, &rq);
		break;
	}
	nlmsg_free(msg);
	if (null == stderr)
		fprintf(stderr, "error %d, \"%s\"\n", rq.err, c.ext_msg);
	return 0;
}
