/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vcdrom: virtual optical drives. The generic netlink interface.
 *
 * Family "vcdrom", multicast group "events". Enums are append-only.
 *
 * Permissions: FEATURES, DRIVE_GET and the events group are open to all.
 * DRIVE_ADD, DRIVE_DEL, and EJECT or SWAP with FORCE need CAP_SYS_ADMIN.
 * INSERT, EJECT and SWAP need CAP_SYS_ADMIN or VCDROM_A_DEVICE_FD: an fd of that drive's
 * /dev/srN (opened O_RDWR | O_NONBLOCK) or /dev/sgN, opened for writing.
 * An fd given is checked even for CAP_SYS_ADMIN.
 *
 * A disc (VCDROM_A_DISC) is the neutral layout every image format is turned
 * into in userspace; the kernel validates all of it:
 *
 * [VCDROM_A_DISC]
 *   [VCDROM_DISC_A_MEDIUM]			enum vcdrom_medium (default AUTO)
 *   [VCDROM_DISC_A_MCN]			13 digits (CATALOG)
 *   [VCDROM_DISC_A_CDTEXT]			CD-TEXT packs of 18 bytes
 *   [VCDROM_DISC_A_FORMAT]			in and out: the image's format
 *   [VCDROM_DISC_A_SOURCE]			in and out: the files it came from
 *   [VCDROM_DISC_A_DVD_PHYSICAL]		DVD: 2048 bytes a layer, as stored
 *   [VCDROM_DISC_A_DVD_COPYRIGHT]		DVD: 4 bytes
 *   [VCDROM_DISC_A_DVD_MANUFACTURER]		DVD: 2048 bytes
 *   [VCDROM_DISC_A_DVD_BCA]			DVD: the burst cutting area
 *   [VCDROM_DISC_A_FILE]			0-99 times; the n-th is file n
 *     [VCDROM_FILE_A_FD]			in: an fd opened for reading
 *     [VCDROM_FILE_A_PATH]			out: where the held file is
 *     [VCDROM_FILE_A_SIZE]			out: its size in bytes
 *   [VCDROM_DISC_A_SESSION]			repeated, in order
 *     [VCDROM_SESSION_A_TRACK]			repeated, in order
 *       [VCDROM_TRACK_A_NUMBER]		1-99, ascending over the disc
 *       [VCDROM_TRACK_A_MODE]			enum vcdrom_track_mode
 *       [VCDROM_TRACK_A_FLAGS]			VCDROM_TRACK_F_*
 *       [VCDROM_TRACK_A_START]			LBA of index 1
 *       [VCDROM_TRACK_A_INDEX]			repeated: LBA of index 2, 3...
 *       [VCDROM_TRACK_A_ISRC]			12 characters
 *       [VCDROM_TRACK_A_EXTENT]		repeated: contiguous, in order
 *         [VCDROM_EXTENT_A_START]		first LBA
 *         [VCDROM_EXTENT_A_LENGTH]		sectors
 *         [VCDROM_EXTENT_A_FORMAT]		enum vcdrom_sector_format
 *         [VCDROM_EXTENT_A_FILE]		file index (not for ZERO)
 *         [VCDROM_EXTENT_A_OFFSET]		byte offset in that file
 *         [VCDROM_EXTENT_A_FLAGS]		VCDROM_EXTENT_F_*
 *         [VCDROM_EXTENT_A_SUB_FORMAT]		enum vcdrom_sub_format
 *         [VCDROM_EXTENT_A_SUB_FILE]		file index of its sub-channel
 *         [VCDROM_EXTENT_A_SUB_OFFSET]		byte offset in that file
 *
 * A track runs from its first extent's start (index 0 when a pregap comes
 * first) to the end of its last extent; tracks follow each other without
 * gaps from LBA 0, and the last one's end is the lead-out. Between sessions
 * there is a gap (the previous session's lead-out, the next one's lead-in):
 * a session's first extent may start later than the last one ended, and
 * nothing is readable in between. Each session's lead-out is where its last
 * track ends.
 *
 * Audio sectors are stored as CDRWIN stores them: 588 stereo frames of
 * 16-bit little-endian samples (RAW), or big-endian (RAW_SWAPPED). Data
 * sectors stored without sync, header, subheader or EDC/ECC get them made
 * up when a command asks for them (READ CD); an extent of ZERO in a data
 * track reads as zeroed user data in valid sectors, in an audio track as
 * silence.
 */
#ifndef _UAPI_LINUX_VCDROM_H
#define _UAPI_LINUX_VCDROM_H

#include <linux/const.h>
#include <linux/types.h>

#define VCDROM_GENL_NAME		"vcdrom"
#define VCDROM_GENL_VERSION		1
#define VCDROM_GENL_MCGRP_EVENTS	"events"

/* Limits the kernel enforces on a disc layout. */
#define VCDROM_MAX_FILES		99
#define VCDROM_MAX_SESSIONS		99
#define VCDROM_MAX_TRACKS		99
#define VCDROM_MAX_EXTENTS		1024	/* over the whole disc */

#define VCDROM_VENDOR_MAX		8
#define VCDROM_PRODUCT_MAX		16
#define VCDROM_REVISION_MAX		4
#define VCDROM_SERIAL_MAX		32

/* VCDROM_A_FEATURES: what this module does. Unknown bits are never set. */
#define VCDROM_F_DRIVE_ADD_DEL		_BITULL(0)	/* DRIVE_ADD and DRIVE_DEL */
#define VCDROM_F_INSERT			_BITULL(1)	/* INSERT, EJECT */
#define VCDROM_F_COOKED_DATA		_BITULL(2)	/* MODE1 tracks of COOKED_2048 */
#define VCDROM_F_EVENTS			_BITULL(3)	/* the events group */
/* all track modes and sector formats, indexes, ISRC, MCN, CD-TEXT, sessions */
#define VCDROM_F_CD			_BITULL(4)
/* VCDROM_DISC_A_FORMAT, kept with the disc and in DRIVE_GET's reply */
#define VCDROM_F_FORMAT			_BITULL(5)
/* VCDROM_EXTENT_A_FLAGS and the stored sub-channel (VCDROM_EXTENT_A_SUB_*) */
#define VCDROM_F_SUBCHANNEL		_BITULL(6)
/* VCDROM_DISC_A_DVD_*: a DVD's stored structures */
#define VCDROM_F_DVD_STRUCTURE		_BITULL(7)
/* VCDROM_DISC_A_SOURCE, kept with the disc and in DRIVE_GET's reply */
#define VCDROM_F_SOURCE			_BITULL(8)
/* VCDROM_A_PLAYLIST: INSERT of several discs, SWAP, the next disc on the host's tray close */
#define VCDROM_F_PLAYLIST		_BITULL(9)

enum vcdrom_cmd {
	VCDROM_CMD_UNSPEC,
	VCDROM_CMD_FEATURES,	/* -> FEATURES MAX_DRIVES */
	VCDROM_CMD_DRIVE_ADD,	/* [VENDOR PRODUCT REVISION SERIAL] -> drive */
	VCDROM_CMD_DRIVE_DEL,	/* DRIVE */
	VCDROM_CMD_DRIVE_GET,	/* DRIVE -> drive; or dump: every drive */
	VCDROM_CMD_INSERT,	/* DRIVE DISC [REPLACE] [DEVICE_FD] -> drive */
	VCDROM_CMD_EJECT,	/* DRIVE [FORCE] [DEVICE_FD] */
	VCDROM_CMD_EVENT,	/* on the events group: EVENT DRIVE [EJECT_CAUSE] */
	/* DRIVE PLAYLIST_INDEX [SWAP_MS] [FORCE] [DEVICE_FD] -> drive */
	VCDROM_CMD_SWAP,
	__VCDROM_CMD_MAX,
};

#define VCDROM_CMD_MAX (__VCDROM_CMD_MAX - 1)

enum vcdrom_attr {
	VCDROM_A_UNSPEC,
	VCDROM_A_PAD,
	VCDROM_A_FEATURES,	/* u64: VCDROM_F_* */
	VCDROM_A_DRIVE,		/* u32: drive index */
	VCDROM_A_HCTL,		/* string: "H:C:T:L" */
	VCDROM_A_BLOCK_DEV,	/* string: "sr0", when sr has bound the drive */
	VCDROM_A_SG_DEV,	/* string: "sg0", when sg has bound the drive */
	VCDROM_A_STATE,		/* u32: enum vcdrom_state */
	VCDROM_A_LOCKED,	/* u8: 1 while the host prevents medium removal */
	VCDROM_A_PROFILE,	/* u32: MMC current profile (0 without a medium) */
	VCDROM_A_CAPACITY,	/* u64: readable 2048-byte sectors */
	VCDROM_A_VENDOR,	/* string */
	VCDROM_A_PRODUCT,	/* string */
	VCDROM_A_REVISION,	/* string */
	VCDROM_A_SERIAL,	/* string */
	VCDROM_A_DISC,		/* nest: VCDROM_DISC_A_* */
	VCDROM_A_REPLACE,	/* flag: INSERT may replace a medium */
	VCDROM_A_FORCE,		/* flag: EJECT even a locked drive */
	VCDROM_A_EVENT,		/* u32: enum vcdrom_event */
	VCDROM_A_EJECT_CAUSE,	/* u32: enum vcdrom_eject_cause */
	VCDROM_A_MAX_DRIVES,	/* u32: in FEATURES */
	VCDROM_A_DEVICE_FD,	/* u32: INSERT, EJECT: an fd of the drive's /dev/srN or /dev/sgN */
	VCDROM_A_PLAYLIST,	/* nest: VCDROM_PLAYLIST_A_*: INSERT (instead of DISC), DRIVE_GET */
	/* u32: INSERT, SWAP: the playlist's disc to load, from 0; out: the disc in or last in */
	VCDROM_A_PLAYLIST_INDEX,
	VCDROM_A_SWAP_MS,	/* u32: SWAP: how long the tray stays open, 0-VCDROM_SWAP_MAX_MS */
	__VCDROM_A_MAX,
};

#define VCDROM_A_MAX (__VCDROM_A_MAX - 1)

enum vcdrom_disc_attr {
	VCDROM_DISC_A_UNSPEC,
	VCDROM_DISC_A_PAD,
	VCDROM_DISC_A_FILE,	/* nest: VCDROM_FILE_A_* */
	VCDROM_DISC_A_SESSION,	/* nest: VCDROM_SESSION_A_* */
	VCDROM_DISC_A_MEDIUM,	/* u32: enum vcdrom_medium */
	VCDROM_DISC_A_MCN,	/* string: 13 digits, the media catalog number */
	VCDROM_DISC_A_CDTEXT,	/* binary: CD-TEXT packs (18 bytes, CRC included) */
	VCDROM_DISC_A_FORMAT,	/* string: printable ASCII, < VCDROM_FORMAT_MAX bytes */
	/*
	 * A DVD medium's structures as READ DISC STRUCTURE returns them after
	 * its 4-byte header (VCDROM_F_DVD_STRUCTURE); the drive makes up those
	 * not given, and has no BCA without one.
	 */
	VCDROM_DISC_A_DVD_PHYSICAL,	/* binary: format 00h, 2048 bytes a layer (1 or 2) */
	VCDROM_DISC_A_DVD_COPYRIGHT,	/* binary: format 01h, 4 bytes */
	VCDROM_DISC_A_DVD_MANUFACTURER,	/* binary: format 04h, 2048 bytes */
	VCDROM_DISC_A_DVD_BCA,		/* binary: format 03h, 1-VCDROM_DVD_BCA_MAX bytes */
	/*
	 * What the disc was inserted from, in the sender's words (the image
	 * paths it opened, one a line): kept and given back, never opened.
	 */
	VCDROM_DISC_A_SOURCE,		/* string: no control byte but \n, < VCDROM_SOURCE_MAX */
	__VCDROM_DISC_A_MAX,
};

#define VCDROM_DISC_A_MAX (__VCDROM_DISC_A_MAX - 1)

/*
 * A playlist: the discs of a multi-disc set, in order, kept with the drive.
 * In INSERT each is a whole disc (VCDROM_A_DISC's attributes), and all are
 * checked before any is loaded; in DRIVE_GET's reply each has only its
 * FORMAT and SOURCE. The host's eject then tray close loads the next disc
 * (after the last, the first); SWAP loads the one asked for. An INSERT of
 * one disc, or an EJECT, ends the playlist.
 */
enum vcdrom_playlist_attr {
	VCDROM_PLAYLIST_A_UNSPEC,
	VCDROM_PLAYLIST_A_PAD,
	VCDROM_PLAYLIST_A_DISC,	/* nest: VCDROM_DISC_A_*; 1-VCDROM_MAX_PLAYLIST times */
	__VCDROM_PLAYLIST_A_MAX,
};

#define VCDROM_PLAYLIST_A_MAX (__VCDROM_PLAYLIST_A_MAX - 1)

enum vcdrom_file_attr {
	VCDROM_FILE_A_UNSPEC,
	VCDROM_FILE_A_PAD,
	VCDROM_FILE_A_FD,	/* u32 */
	VCDROM_FILE_A_PATH,	/* string */
	VCDROM_FILE_A_SIZE,	/* u64 */
	__VCDROM_FILE_A_MAX,
};

#define VCDROM_FILE_A_MAX (__VCDROM_FILE_A_MAX - 1)

enum vcdrom_session_attr {
	VCDROM_SESSION_A_UNSPEC,
	VCDROM_SESSION_A_PAD,
	VCDROM_SESSION_A_TRACK,	/* nest: VCDROM_TRACK_A_* */
	__VCDROM_SESSION_A_MAX,
};

#define VCDROM_SESSION_A_MAX (__VCDROM_SESSION_A_MAX - 1)

enum vcdrom_track_attr {
	VCDROM_TRACK_A_UNSPEC,
	VCDROM_TRACK_A_PAD,
	VCDROM_TRACK_A_NUMBER,	/* u8 */
	VCDROM_TRACK_A_MODE,	/* u32: enum vcdrom_track_mode */
	VCDROM_TRACK_A_FLAGS,	/* u32: VCDROM_TRACK_F_* */
	VCDROM_TRACK_A_START,	/* u32: LBA of index 1 */
	VCDROM_TRACK_A_EXTENT,	/* nest: VCDROM_EXTENT_A_* */
	VCDROM_TRACK_A_INDEX,	/* u32: LBA of the next index from 2 on; ascending */
	VCDROM_TRACK_A_ISRC,	/* string: 12 characters, A-Z and 0-9 */
	__VCDROM_TRACK_A_MAX,
};

#define VCDROM_TRACK_A_MAX (__VCDROM_TRACK_A_MAX - 1)

enum vcdrom_extent_attr {
	VCDROM_EXTENT_A_UNSPEC,
	VCDROM_EXTENT_A_PAD,
	VCDROM_EXTENT_A_START,	/* u32: LBA */
	VCDROM_EXTENT_A_LENGTH,	/* u32: sectors */
	VCDROM_EXTENT_A_FORMAT,	/* u32: enum vcdrom_sector_format */
	VCDROM_EXTENT_A_FILE,	/* u32: index into the disc's files */
	VCDROM_EXTENT_A_OFFSET,	/* u64: bytes */
	VCDROM_EXTENT_A_FLAGS,	/* u32: VCDROM_EXTENT_F_* */
	VCDROM_EXTENT_A_SUB_FORMAT,	/* u32: enum vcdrom_sub_format */
	VCDROM_EXTENT_A_SUB_FILE,	/* u32: index into the disc's files */
	VCDROM_EXTENT_A_SUB_OFFSET,	/* u64: bytes */
	__VCDROM_EXTENT_A_MAX,
};

#define VCDROM_EXTENT_A_MAX (__VCDROM_EXTENT_A_MAX - 1)

enum vcdrom_track_mode {
	VCDROM_TRACK_AUDIO,
	VCDROM_TRACK_MODE1,
	VCDROM_TRACK_MODE2,	/* formless, 2336 user bytes */
	VCDROM_TRACK_MODE2_XA,	/* CD-ROM XA form 1 / form 2 */
	__VCDROM_TRACK_MODE_MAX,
};

/* Subchannel Q control bits of a track. */
#define VCDROM_TRACK_F_PRE		_BITUL(0)	/* pre-emphasis */
#define VCDROM_TRACK_F_DCP		_BITUL(1)	/* digital copy permitted */
#define VCDROM_TRACK_F_4CH		_BITUL(2)	/* four-channel audio */
#define VCDROM_TRACK_F_ALL		0x7

/* How an extent's sectors are stored. */
enum vcdrom_sector_format {
	VCDROM_SECTOR_ZERO,		/* not stored: silence, or zeroed data */
	VCDROM_SECTOR_COOKED_2048,	/* 2048 bytes of user data each (XA: form 1) */
	VCDROM_SECTOR_RAW,		/* 2352: the whole sector */
	VCDROM_SECTOR_RAW_SWAPPED,	/* 2352: audio with big-endian samples */
	VCDROM_SECTOR_MODE2,		/* 2336: a mode 2 sector after its header */
	VCDROM_SECTOR_COOKED_2324,	/* 2324 bytes of XA form 2 user data */
	VCDROM_SECTOR_RAW_PW,		/* 2448: RAW, then 96 bytes of raw P-W */
	__VCDROM_SECTOR_FORMAT_MAX,
};

/* An extent's data sectors are stored scrambled (ECMA-130 annex B): RAW only. */
#define VCDROM_EXTENT_F_SCRAMBLED	_BITUL(0)
#define VCDROM_EXTENT_F_ALL		0x1

/*
 * An extent's stored sub-channel, 96 bytes a sector: with SUB_FILE, a
 * sector's at SUB_OFFSET + 96 * (its LBA - the extent's start) in that file;
 * without, in the sector itself (RAW_PW). The drive returns it as stored
 * (raw P-W, and Q from it) instead of making up P and Q.
 */
enum vcdrom_sub_format {
	VCDROM_SUB_NONE,		/* none stored: P and Q made up */
	VCDROM_SUB_PW,			/* raw P-W as READ CD returns it: bit 7 P ... bit 0 W */
	VCDROM_SUB_PW_LINEAR,		/* P, Q, R ... W: 12 bytes each (CloneCD .sub) */
	__VCDROM_SUB_FORMAT_MAX,
};

/* What kind of disc the layout is: its MMC profile. */
enum vcdrom_medium {
	/* CD if any track is not MODE1 or there are several sessions; else by size */
	VCDROM_MEDIUM_AUTO,
	VCDROM_MEDIUM_CD,
	VCDROM_MEDIUM_DVD,		/* one session of MODE1 tracks */
	VCDROM_MEDIUM_BD,		/* one session of MODE1 tracks */
	__VCDROM_MEDIUM_MAX,
};

/* Limits on CD layouts. */
#define VCDROM_CD_MAX_LEADOUT		449849	/* LBA of MSF 99:59:74 */
#define VCDROM_MAX_INDEXES		98	/* per track, after index 1 */
#define VCDROM_MCN_LEN			13
#define VCDROM_ISRC_LEN			12
#define VCDROM_CDTEXT_PACK		18
#define VCDROM_CDTEXT_MAX_PACKS		2048	/* 8 blocks of 256 */
/* DVD structures */
#define VCDROM_DVD_STRUCT_LEN		2048	/* physical format (a layer's), manufacturer's */
#define VCDROM_DVD_COPYRIGHT_LEN	4
#define VCDROM_DVD_BCA_MAX		188
/* The name of an image's format ("cue sheet"), as the tool that loaded it says, NUL included */
#define VCDROM_FORMAT_MAX		32
/* What a disc was inserted from (VCDROM_DISC_A_SOURCE), NUL included */
#define VCDROM_SOURCE_MAX		4096
/* Discs in a playlist */
#define VCDROM_MAX_PLAYLIST		32
/* The longest a SWAP holds the tray open, in ms */
#define VCDROM_SWAP_MAX_MS		10000

enum vcdrom_state {
	VCDROM_STATE_EMPTY,		/* tray closed, no medium */
	VCDROM_STATE_LOADED,
	VCDROM_STATE_TRAY_OPEN,
	__VCDROM_STATE_MAX,
};

enum vcdrom_event {
	VCDROM_EVENT_UNSPEC,
	VCDROM_EVENT_DRIVE_ADDED,
	VCDROM_EVENT_DRIVE_REMOVED,
	VCDROM_EVENT_MEDIUM_INSERTED,
	VCDROM_EVENT_MEDIUM_EJECTED,	/* with VCDROM_A_EJECT_CAUSE */
	VCDROM_EVENT_EJECT_REQUESTED,	/* EJECT refused: the host holds the lock */
	__VCDROM_EVENT_MAX,
};

enum vcdrom_eject_cause {
	VCDROM_EJECT_TOOL,		/* EJECT */
	VCDROM_EJECT_FORCED,		/* EJECT with FORCE on a locked drive */
	VCDROM_EJECT_HOST,		/* START STOP UNIT: the OS, or a guest by passthrough */
	VCDROM_EJECT_REPLACED,		/* INSERT with REPLACE */
	VCDROM_EJECT_SWAPPED,		/* SWAP */
	__VCDROM_EJECT_CAUSE_MAX,
};

#endif /* _UAPI_LINUX_VCDROM_H */
