/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libvcdrom: talk to the vcdrom kernel module over generic netlink, and
 * describe discs in its neutral layout.
 *
 * Its names, and the loaders', start with vcd_ (VCD_ for macros): vcdrom_
 * and VCDROM_ are the kernel's, and <linux/vcdrom.h>'s, which it shares.
 *
 * Functions that can fail return 0 (or a count) on success and a negative
 * errno on failure. When the kernel refused a request, vcd_ext_msg()
 * gives its extack message until the next request.
 */
#ifndef LIBVCDROM_H
#define LIBVCDROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/vcdrom.h>

struct nl_msg;
struct vcd_client;

/*
 * A disc in the kernel's neutral layout (see <linux/vcdrom.h>): the files it
 * is read from, as open fds, and sessions -> tracks -> extents. Build it with
 * the vcd_*_add_*() helpers; a pointer they return stays valid until the
 * next element is added at the same level.
 */
struct vcd_extent {
	uint32_t start;			/* first LBA */
	uint32_t length;		/* sectors */
	uint32_t format;		/* enum vcdrom_sector_format */
	uint32_t file;			/* index into the disc's files; not for ZERO */
	uint64_t offset;		/* byte offset in that file */
	uint32_t flags;			/* VCDROM_EXTENT_F_* */
	/* Stored sub-channel (VCDROM_F_SUBCHANNEL); VCDROM_SUB_NONE: made up. */
	uint32_t sub_format;		/* enum vcdrom_sub_format */
	bool sub_in_file;		/* in sub_file at sub_offset; else in each RAW_PW sector */
	uint32_t sub_file;
	uint64_t sub_offset;
};

struct vcd_track {
	uint8_t number;			/* 1-99 */
	uint32_t mode;			/* enum vcdrom_track_mode */
	uint32_t flags;			/* VCDROM_TRACK_F_* */
	uint32_t start;			/* LBA of index 1 */
	char isrc[VCDROM_ISRC_LEN + 1];	/* "" when none */
	unsigned int nr_indexes;
	uint32_t *indexes;		/* LBA of index 2, 3, ...; ascending */
	unsigned int nr_extents;
	struct vcd_extent *extents;
};

struct vcd_session {
	unsigned int nr_tracks;
	struct vcd_track *tracks;
};

struct vcd_disc_file {
	int fd;				/* open for reading; closed by vcd_disc_free() */
	char *path;			/* as the user named it, for messages */
	uint64_t size;			/* bytes */
};

/* A DVD's structures as its image stores them (VCDROM_F_DVD_STRUCTURE); lengths 0: not stored. */
struct vcd_dvd_structs {
	unsigned int layers;		/* physical format stored for 1 or 2 layers */
	uint8_t physical[2][VCDROM_DVD_STRUCT_LEN];
	unsigned int copyright_len;	/* 0 or VCDROM_DVD_COPYRIGHT_LEN */
	uint8_t copyright[VCDROM_DVD_COPYRIGHT_LEN];
	unsigned int manufacturer_len;	/* 0 or VCDROM_DVD_STRUCT_LEN */
	uint8_t manufacturer[VCDROM_DVD_STRUCT_LEN];
	unsigned int bca_len;		/* 0 to VCDROM_DVD_BCA_MAX */
	uint8_t bca[VCDROM_DVD_BCA_MAX];
};

/* An image's data position measurement (Alcohol's DPM): shown, not sent to the drive. */
struct vcd_dpm_block {
	uint32_t number, start;
	uint32_t resolution;		/* sectors per entry */
	uint32_t entries;
};

struct vcd_disc {
	uint32_t medium;		/* enum vcdrom_medium; AUTO is not sent */
	char mcn[VCDROM_MCN_LEN + 1];	/* "" when none */
	unsigned int cdtext_len;	/* bytes, a multiple of VCDROM_CDTEXT_PACK */
	uint8_t *cdtext;		/* CD-TEXT packs, NULL when none; freed with the disc */
	const char *format;		/* the image's format, sent when set (not owned) */
	const char *source;		/* the image paths, sent when set (not owned) */
	unsigned int nr_files;
	struct vcd_disc_file *files;
	unsigned int nr_sessions;
	struct vcd_session *sessions;
	struct vcd_dvd_structs *dvd;	/* NULL when none; malloc'ed, freed with the disc */
	unsigned int nr_dpm;
	struct vcd_dpm_block *dpm;	/* malloc'ed, freed with the disc */
};

void vcd_disc_init(struct vcd_disc *disc);
/* Close the disc's fds and free it; it is empty again afterwards. */
void vcd_disc_free(struct vcd_disc *disc);
/* Add a file; the disc owns @fd from now on (even on failure). Returns its index. */
int vcd_disc_add_file(struct vcd_disc *disc, int fd, const char *path, uint64_t size);
struct vcd_session *vcd_disc_add_session(struct vcd_disc *disc);
struct vcd_track *vcd_session_add_track(struct vcd_session *session);
struct vcd_extent *vcd_track_add_extent(struct vcd_track *track);
/* Append an index (2, 3, ...) at @lba; -ENOMEM. */
int vcd_track_add_index(struct vcd_track *track, uint32_t lba);
/* An extent of @disc stores its sub-channel or is scrambled (VCDROM_F_SUBCHANNEL). */
bool vcd_disc_has_subchannel(const struct vcd_disc *disc);
/* Append the disc to @msg as a VCDROM_A_DISC nest. */
int vcd_disc_put(struct nl_msg *msg, const struct vcd_disc *disc);

/*
 * A disc's table of contents, as READ TOC gives it: for the layout a loader
 * built (vcd_disc_toc), or read from a drive (vcd_read_toc).
 */
#define VCD_Q_PRE		0x1	/* subchannel Q control bits */
#define VCD_Q_DCP		0x2
#define VCD_Q_DATA		0x4
#define VCD_Q_4CH		0x8

struct vcd_toc_track {
	uint8_t number;
	uint8_t session;		/* 0 when the drive did not say */
	uint8_t control;		/* VCD_Q_* */
	uint32_t start;			/* LBA of index 1 */
};

struct vcd_toc {
	unsigned int nr_tracks;
	struct vcd_toc_track tracks[VCDROM_MAX_TRACKS];
	unsigned int nr_sessions;	/* 0 when unknown */
	uint32_t last_session_start;	/* LBA of the last session's first track */
	uint32_t leadout;		/* LBA of the (last session's) lead-out */
	char mcn[VCDROM_MCN_LEN + 1];	/* "" when none */
};

void vcd_disc_toc(const struct vcd_disc *disc, struct vcd_toc *toc);
/*
 * The medium the kernel makes of @disc: the one it asks for, else (AUTO) a CD
 * when only a CD can hold it, else chosen by its size. Never AUTO.
 */
uint32_t vcd_disc_medium(const struct vcd_disc *disc);
/*
 * Make @disc a @medium (VCDROM_MEDIUM_CD, _DVD, _BD) whatever its size says;
 * NULL, or why it cannot be (in @buf, @size bytes): it holds what only a CD
 * can, does not fit, or has a DVD's structures. @disc is unchanged then.
 */
const char *vcd_disc_set_medium(struct vcd_disc *disc, uint32_t medium, char *buf, size_t size);
/* "CD-ROM", "DVD-ROM", "BD-ROM" (what the drive reports), or NULL. */
const char *vcd_medium_name(uint32_t medium);
/*
 * Read the TOC of the medium in the CD drive open at @fd: cdrom ioctls, and
 * SCSI READ TOC's full TOC for the sessions when the drive answers it; -errno.
 */
int vcd_read_toc(int fd, struct vcd_toc *toc);

/* What DRIVE_GET reports about a drive. Strings are "" when not reported. */
struct vcd_drive_file {
	char *path;			/* where the kernel holds the file */
	uint64_t size;
};

/* A disc of a drive's playlist, as DRIVE_GET reports it. */
struct vcd_playlist_disc {
	char format[VCDROM_FORMAT_MAX];	/* "" when not known */
	char *source;			/* NULL when not known */
};

struct vcd_drive_info {
	uint32_t index;
	char hctl[32];
	char block_dev[32];		/* "sr0", or "" before sr binds */
	char sg_dev[32];		/* "sg0", or "" before sg binds */
	uint32_t state;			/* enum vcdrom_state */
	bool locked;
	uint32_t profile;		/* MMC profile, 0 without a medium */
	uint64_t capacity;		/* 2048-byte sectors */
	char vendor[VCDROM_VENDOR_MAX + 1];
	char product[VCDROM_PRODUCT_MAX + 1];
	char revision[VCDROM_REVISION_MAX + 1];
	char serial[VCDROM_SERIAL_MAX + 1];
	char format[VCDROM_FORMAT_MAX];	/* the disc's image format, "" when not known */
	char *source;			/* what it was inserted from, NULL when not known */
	unsigned int nr_files;
	struct vcd_drive_file *files;
	unsigned int nr_playlist;	/* 0: no playlist */
	struct vcd_playlist_disc *playlist;
	uint32_t playlist_pos;		/* the disc in, or last in, from 0 */
};

void vcd_drive_info_free(struct vcd_drive_info *info);
/* @src into @dst, which then owns what @src did (@src is left with nothing to free). */
void vcd_drive_info_move(struct vcd_drive_info *dst, struct vcd_drive_info *src);
void vcd_drive_list_free(struct vcd_drive_info *drives, size_t n);

/* Identity for a new drive; NULL members take the module's defaults. */
struct vcd_identity {
	const char *vendor;
	const char *product;
	const char *revision;
	const char *serial;
};

/* An event from the "events" multicast group. */
struct vcd_event_info {
	uint32_t event;			/* enum vcdrom_event */
	uint32_t drive;
	bool has_cause;
	uint32_t cause;			/* enum vcdrom_eject_cause, with MEDIUM_EJECTED */
	char block_dev[32];		/* when the event names them */
	char sg_dev[32];
};

typedef void (*vcd_event_cb)(const struct vcd_event_info *ev, void *arg);

/*
 * Connect and resolve the "vcdrom" family. -ENOENT means the kernel has no
 * such family: the module is not loaded.
 */
int vcd_open(struct vcd_client **clientp);
void vcd_close(struct vcd_client *c);
/* The kernel's extack message for the last failed request, or NULL. */
const char *vcd_ext_msg(const struct vcd_client *c);

int vcd_features(struct vcd_client *c, uint64_t *features, uint32_t *max_drives);
int vcd_drive_get(struct vcd_client *c, uint32_t index, struct vcd_drive_info *info);
/* Every drive, by index; free with vcd_drive_list_free(). */
int vcd_drive_list(struct vcd_client *c, struct vcd_drive_info **drives, size_t *n);
int vcd_drive_add(struct vcd_client *c, const struct vcd_identity *id,
		  struct vcd_drive_info *info);
int vcd_drive_del(struct vcd_client *c, uint32_t index);
/*
 * From now on send @fd with INSERT and EJECT (-1: stop): an fd of the drive's
 * /dev/srN (opened O_RDWR | O_NONBLOCK) or /dev/sgN opened for writing, which
 * lets a caller without CAP_SYS_ADMIN change that drive. The caller keeps @fd
 * open until those requests return, and closes it.
 */
void vcd_set_device_fd(struct vcd_client *c, int fd);
/* The disc's fds must stay open until this returns. @info may be NULL. */
int vcd_insert(struct vcd_client *c, uint32_t index, const struct vcd_disc *disc,
	       bool replace, struct vcd_drive_info *info);
/*
 * Insert the @nr discs of a playlist, disc @pos first (from 0). The kernel
 * checks every disc before any goes in; it keeps them all, and the host's
 * eject and tray close loads the next.
 */
int vcd_insert_playlist(struct vcd_client *c, uint32_t index, const struct vcd_disc *discs,
			unsigned int nr, uint32_t pos, bool replace, struct vcd_drive_info *info);
/* Change to disc @disc (from 0) of the drive's playlist, the tray open for @ms. */
int vcd_swap(struct vcd_client *c, uint32_t index, uint32_t disc, uint32_t ms, bool force,
	     struct vcd_drive_info *info);
int vcd_eject(struct vcd_client *c, uint32_t index, bool force);

/* Join the events group, on a socket of its own, in non-blocking mode. */
int vcd_events_subscribe(struct vcd_client *c);
/* The events socket, to poll for POLLIN. */
int vcd_events_fd(const struct vcd_client *c);
/* Call @cb for every event already received; returns how many. */
int vcd_events_read(struct vcd_client *c, vcd_event_cb cb, void *arg);

/*
 * A DRIVE argument: a drive index, an sr/sg name ("sr0", "sg1"), or a path
 * that resolves to /dev/srN or /dev/sgN (/dev/cdrom, /dev/disk/by-id/...).
 */
struct vcd_drive_spec {
	bool by_name;
	uint32_t index;			/* when !by_name */
	char name[32];			/* when by_name: "sr0" or "sg1" */
};

/* -EINVAL: neither an index nor an sr/sg device; other errors from realpath(). */
int vcd_drive_spec_parse(const char *arg, struct vcd_drive_spec *spec);
/* Position in @drives of the drive @spec names, or -ENODEV. */
int vcd_drive_spec_find(const struct vcd_drive_spec *spec,
			const struct vcd_drive_info *drives, size_t n);

/* Names for values; NULL when unknown (or no profile). */
const char *vcd_state_name(uint32_t state);
const char *vcd_profile_name(uint32_t profile);
const char *vcd_event_name(uint32_t event);
const char *vcd_eject_cause_name(uint32_t cause);
const char *vcd_feature_name(unsigned int bit);

#endif /* LIBVCDROM_H */
