// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_cdb: random and mutated CDBs sent to a vcdrom drive through SG_IO on
 * its /dev/sgN, with invariants checked on every answer.
 *
 * Usage: fuzz_cdb [-n COUNT] [-s SEED] [-m] [-r CMD] [-c LBA:FILE] [-q] /dev/sgN
 *   -n COUNT   commands to send (default 5000)
 *   -s SEED    PRNG seed (default: from the clock; always printed, to replay a run)
 *   -m         a medium is in the drive: TEST UNIT READY must come back GOOD
 *              (without -m: NOT READY, MEDIUM NOT PRESENT)
 *   -r CMD     shell command that puts the medium back, run when a fuzzed
 *              START STOP UNIT has ejected it (with -m)
 *   -c LBA:FILE  READ(10) of LBA must return FILE's first 2048 bytes
 *   -q         no per-kind statistics at the end
 *   -k         no checks of the drive's state (TUR, INQUIRY, -c): for a second
 *              fuzzer on the same drive beside one that makes them
 *
 * Commands: every third one walks all opcodes 00h-FFh with each CDB length
 * 6/10/12/16 and random bytes; the others mutate a table of valid CDBs (what
 * sr, cdrom, udev and players send): bit flips, allocation lengths of 0, 1,
 * odd and huge, LBAs near both ends of the disc, random transfer lengths,
 * data directions and buffer sizes (0 to 64 KiB and more, with random
 * payloads for data-out).
 *
 * Invariants, checked on every command (a failure prints seed, index, CDB):
 * - SG_IO answers (an alarm catches a command that never completes: the
 *   driver's eh_timed_out keeps re-arming the timer, so no SCSI timeout does);
 *   host_status is DID_OK; status is GOOD or CHECK CONDITION;
 * - 0 <= resid <= dxfer_len, and no byte past dxfer_len - resid changed in
 *   a way the path cannot explain (see check_tail());
 * - CHECK CONDITION: well-formed sense (70h/71h fixed or 72h/73h descriptor,
 *   sb_len_wr = min(8 + additional length, mx_sb_len), a sense key from 1h to
 *   Eh, an ASC for keys that need one); GOOD: no sense written at all;
 * and every 1000 commands and at the end: TEST UNIT READY (after unit
 * attentions) as -m says, INQUIRY says vcdrom and a CD/DVD device, and
 * -c's sector reads back as the image has it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <scsi/sg.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "fuzz_rng.h"

#define BUF_MAX		(128 * 1024 + 4096)	/* dxfer_len 0..BUF_MAX */
#define SENSE_MAX	96			/* SCSI_SENSE_BUFFERSIZE */
#define PAT_DATA	0xa5
#define PAT_SENSE	0x5a
#define CMD_TIMEOUT_MS	60000
#define WATCHDOG_S	120			/* TCG is slow: generous */
#define CHECK_EVERY	1000

static uint64_t seed;
static unsigned long cmd_index;
static const char *reinsert_cmd;
static bool medium_expected;
static bool no_drive_checks;
static long check_lba = -1;
static uint8_t check_data[2048];
static uint32_t capacity;		/* READ CAPACITY's last LBA + 1, 0 if unknown */
static int sg_fd;
static int reserve_size;		/* this fd's sg reserve buffer */
static uint8_t *reserve_shadow;		/* what that buffer holds, as far as we know */
static volatile sig_atomic_t timed_out;

static struct {
	unsigned long good, check, ioctl_err, dio, reserve, indirect, reinserts;
	unsigned long key[16];
} st;

static void hex(FILE *f, const uint8_t *p, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		fprintf(f, "%02x%s", p[i], i + 1 < len ? " " : "");
}

/* The command being checked, for failure reports. */
static struct {
	uint8_t cdb[16];
	unsigned int cdb_len;
	int dir;
	unsigned int dxfer_len;
	const char *what;
} cur;

static const char *dir_name(int dir)
{
	switch (dir) {
	case SG_DXFER_NONE: return "none";
	case SG_DXFER_FROM_DEV: return "from-dev";
	case SG_DXFER_TO_DEV: return "to-dev";
	default: return "?";
	}
}

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "FAIL: fuzz_cdb: seed %" PRIu64 ", command %lu (%s): ", seed, cmd_index,
		cur.what ? cur.what : "-");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n  cdb: ");
	hex(stderr, cur.cdb, cur.cdb_len);
	fprintf(stderr, "\n  dxfer %s %u bytes\n", dir_name(cur.dir), cur.dxfer_len);
	exit(1);
}

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

struct answer {
	int ret, err;
	unsigned int status, host_status, driver_status, sb_len_wr, info;
	int resid;
	uint8_t sense[SENSE_MAX];
};

/* Send cur's CDB with @buf as its data buffer; fill @a. */
static void sg_cmd(uint8_t *buf, struct answer *a)
{
	struct sg_io_hdr io = {
		.interface_id = 'S',
		.dxfer_direction = cur.dir,
		.cmd_len = cur.cdb_len,
		.mx_sb_len = SENSE_MAX,
		.dxfer_len = cur.dxfer_len,
		.dxferp = cur.dxfer_len ? buf : NULL,
		.cmdp = cur.cdb,
		.sbp = a->sense,
		.timeout = CMD_TIMEOUT_MS,
		.flags = SG_FLAG_DIRECT_IO,
	};

	memset(a->sense, PAT_SENSE, sizeof(a->sense));
	timed_out = 0;
	alarm(WATCHDOG_S);
	a->ret = ioctl(sg_fd, SG_IO, &io);
	a->err = errno;
	alarm(0);
	if (timed_out)
		fail("no answer in %d s (SG_IO: %s)", WATCHDOG_S, strerror(a->err));
	a->status = io.status;
	a->host_status = io.host_status;
	a->driver_status = io.driver_status;
	a->sb_len_wr = io.sb_len_wr;
	a->resid = io.resid;
	a->info = io.info;
}

static unsigned int sense_key(const uint8_t *s)
{
	return (s[0] & 0x7f) >= 0x72 ? s[1] & 0xf : s[2] & 0xf;
}

static unsigned int sense_asc(const uint8_t *s)
{
	return (s[0] & 0x7f) >= 0x72 ? s[2] << 8 | s[3] : s[12] << 8 | s[13];
}

/* The VALID bit (fixed format), or an information descriptor (descriptor format). */
static bool sense_info_valid(const uint8_t *s)
{
	unsigned int off;

	if ((s[0] & 0x7f) < 0x72)
		return s[0] & 0x80;
	for (off = 8; off + 2 <= 8u + s[7] && off + 2 <= SENSE_MAX; off += 2 + s[off + 1])
		if (s[off] == 0x00)
			return true;
	return false;
}

static void check_sense(const struct answer *a)
{
	const uint8_t *s = a->sense;
	unsigned int code = s[0] & 0x7f, want, key, i;

	if (a->sb_len_wr < 8)
		fail("CHECK CONDITION with %u bytes of sense", a->sb_len_wr);
	if (code < 0x70 || code > 0x73)
		fail("sense response code %02xh", code);
	want = 8 + s[7];
	if (want > SENSE_MAX)
		want = SENSE_MAX;
	if (a->sb_len_wr != want)
		fail("sense: %u bytes written, additional length %u says %u", a->sb_len_wr, s[7],
		     want);
	if (code <= 0x71 && a->sb_len_wr < 14)
		fail("fixed-format sense of %u bytes has no ASC/ASCQ", a->sb_len_wr);
	for (i = a->sb_len_wr; i < SENSE_MAX; i++)
		if (s[i] != PAT_SENSE)
			fail("sense byte %u written past sb_len_wr %u", i, a->sb_len_wr);
	key = sense_key(s);
	if (key == 0 || key == 0xf)
		fail("CHECK CONDITION with sense key %xh", key);
	if ((key == 2 || key == 3 || key == 5 || key == 6) && !(sense_asc(s) >> 8))
		fail("sense key %xh without an additional sense code", key);
	st.key[key]++;
}

/*
 * What the bytes past dxfer_len - resid may hold. sg maps the user buffer
 * in one of three ways (drivers/scsi/sg.c sg_start_req, block/blk-map.c):
 * - direct I/O (allow_dio=1, aligned buffer and length; SG_INFO_DIRECT_IO):
 *   the driver writes the user's pages: the tail keeps our pattern;
 * - copy through the fd's reserve buffer (dxfer_len <= its size): the whole
 *   buffer is copied back (bio_uncopy_user ignores resid), so the tail holds
 *   whatever the reserve buffer held: what earlier commands on this fd left,
 *   tracked in reserve_shadow;
 * - copy through pages sg_build_indirect allocates with __GFP_ZERO: zeros.
 * Anything else in the tail was written by the driver past what it reported.
 */
static void check_tail(const uint8_t *buf, const struct answer *a)
{
	unsigned int done = cur.dxfer_len - a->resid, i;
	const char *how;

	if (cur.dir != SG_DXFER_FROM_DEV || !cur.dxfer_len)
		return;
	if (a->info & SG_INFO_DIRECT_IO_MASK) {
		st.dio++;
		how = "direct I/O";
		for (i = done; i < cur.dxfer_len; i++)
			if (buf[i] != PAT_DATA)
				goto bad;
		return;
	}
	if ((int)cur.dxfer_len <= reserve_size) {
		st.reserve++;
		how = "sg reserve buffer";
		for (i = done; i < cur.dxfer_len; i++)
			if (buf[i] != reserve_shadow[i])
				goto bad;
		memcpy(reserve_shadow, buf, cur.dxfer_len);
		return;
	}
	st.indirect++;
	how = "zeroed pages";
	for (i = done; i < cur.dxfer_len; i++)
		if (buf[i])
			goto bad;
	return;
bad:
	fail("data-in byte %u of %u is %02xh past the %u bytes reported (resid %d, %s)", i,
	     cur.dxfer_len, buf[i], done, a->resid, how);
}

static uint8_t *buf;		/* page aligned, BUF_MAX */

/* Send cur and check every per-command invariant; returns the answer. */
static void run(struct answer *a)
{
	if (cur.dir == SG_DXFER_FROM_DEV)
		memset(buf, PAT_DATA, cur.dxfer_len);
	sg_cmd(buf, a);
	if (a->ret < 0) {
		/* sg's own refusals (a length it will not map): nothing reached the drive */
		if (a->err != EINVAL && a->err != ENOMEM && a->err != EMSGSIZE)
			fail("SG_IO: %s", strerror(a->err));
		st.ioctl_err++;
		return;
	}
	if (a->host_status)
		fail("host_status %02xh", a->host_status);
	if (a->driver_status & ~0x08u)	/* DRIVER_SENSE is the only one allowed */
		fail("driver_status %02xh", a->driver_status);
	if (a->resid < 0 || (unsigned int)a->resid > cur.dxfer_len)
		fail("resid %d with dxfer_len %u", a->resid, cur.dxfer_len);
	if (a->status == 0x02) {
		st.check++;
		check_sense(a);
		/*
		 * A read that stops part way (a read error, a track of another
		 * mode) hands over the sectors before, and says where it stopped
		 * in the information field (sr_done relies on it); nothing else
		 * moves data with CHECK CONDITION.
		 */
		if (cur.dir == SG_DXFER_FROM_DEV && a->resid != (int)cur.dxfer_len &&
		    !sense_info_valid(a->sense))
			fail("CHECK CONDITION (sense %x/%04x) with %u bytes of data-in and no information field",
			     sense_key(a->sense), sense_asc(a->sense), cur.dxfer_len - a->resid);
	} else if (a->status == 0) {
		st.good++;
		if (a->sb_len_wr)
			fail("GOOD with %u bytes of sense", a->sb_len_wr);
		if (a->sense[0] != PAT_SENSE)
			fail("GOOD, and the sense buffer was written");
	} else {
		fail("status %02xh", a->status);
	}
	if (cur.dir == SG_DXFER_TO_DEV && cur.dxfer_len && (int)cur.dxfer_len <= reserve_size &&
	    !(a->info & SG_INFO_DIRECT_IO_MASK))
		memcpy(reserve_shadow, buf, cur.dxfer_len);
	check_tail(buf, a);
}

/* ---- the drive's state: checks every CHECK_EVERY commands ---- */

static void set_cdb(const char *what, int dir, unsigned int dxfer_len, unsigned int len, ...)
{
	va_list ap;
	unsigned int i;

	memset(&cur, 0, sizeof(cur));
	cur.what = what;
	cur.dir = dir;
	cur.dxfer_len = dxfer_len;
	cur.cdb_len = len;
	va_start(ap, len);
	for (i = 0; i < len; i++)
		cur.cdb[i] = (uint8_t)va_arg(ap, int);
	va_end(ap);
}

/* TEST UNIT READY until no unit attention is left; the final answer in @a. */
static void tur(struct answer *a)
{
	int i;

	for (i = 0; i < 20; i++) {
		set_cdb("check: TEST UNIT READY", SG_DXFER_NONE, 0, 6, 0, 0, 0, 0, 0, 0);
		run(a);
		if (a->ret < 0)
			fail("SG_IO refused TEST UNIT READY");
		if (a->status != 2 || sense_key(a->sense) != 6)
			return;
	}
	fail("unit attentions do not stop");
}

static void read_capacity(void)
{
	struct answer a = { 0 };

	set_cdb("check: READ CAPACITY", SG_DXFER_FROM_DEV, 8, 10, 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	run(&a);
	if (a.ret == 0 && a.status == 0 && !a.resid)
		capacity = ((uint32_t)buf[0] << 24 | buf[1] << 16 | buf[2] << 8 | buf[3]) + 1;
}

static void check_drive(void)
{
	struct answer a = { 0 };
	unsigned int i;

	if (no_drive_checks)
		return;
	tur(&a);
	/* a fuzzer beside this one (-k) or a script may eject again right after a re-insert */
	for (i = 0; i < 20 && medium_expected && a.status == 2 && sense_key(a.sense) == 2 &&
	     sense_asc(a.sense) >> 8 == 0x3a; i++) {
		if (!reinsert_cmd)
			fail("the medium is gone and there is no -r command to put it back");
		/* a fuzzed PREVENT may have locked the tray */
		set_cdb("check: ALLOW MEDIUM REMOVAL", SG_DXFER_NONE, 0, 6, 0x1e, 0, 0, 0, 0, 0);
		run(&a);
		if (system(reinsert_cmd))
			fail("could not put the medium back: %s", reinsert_cmd);
		st.reinserts++;
		tur(&a);
	}
	if (medium_expected && a.status)
		fail("TEST UNIT READY with a medium: status %02xh, sense %x/%04x", a.status,
		     sense_key(a.sense), sense_asc(a.sense));
	if (!medium_expected && (a.status != 2 || sense_key(a.sense) != 2 ||
				 sense_asc(a.sense) >> 8 != 0x3a))
		fail("TEST UNIT READY without a medium: status %02xh, sense %x/%04x, not 2/3Axx",
		     a.status, sense_key(a.sense), sense_asc(a.sense));

	set_cdb("check: INQUIRY", SG_DXFER_FROM_DEV, 36, 6, 0x12, 0, 0, 0, 36, 0);
	run(&a);
	if (a.ret || a.status || a.resid)
		fail("INQUIRY: status %02xh resid %d", a.status, a.resid);
	if ((buf[0] & 0x1f) != 5 || memcmp(buf + 8, "vcdrom  ", 8))
		fail("INQUIRY: type %u, vendor '%.8s': not vcdrom's CD/DVD drive", buf[0] & 0x1f,
		     buf + 8);

	if (!medium_expected || check_lba < 0)
		return;
	/* again after a unit attention, or an eject by the fuzzer beside this one */
	for (i = 0; i < 20; i++) {
		set_cdb("check: READ(10)", SG_DXFER_FROM_DEV, 2048, 10, 0x28, 0,
			(int)(check_lba >> 24) & 0xff, (int)(check_lba >> 16) & 0xff,
			(int)(check_lba >> 8) & 0xff, (int)check_lba & 0xff, 0, 0, 1, 0);
		run(&a);
		if (!a.ret && a.status == 2 && sense_key(a.sense) == 2 &&
		    sense_asc(a.sense) >> 8 == 0x3a && reinsert_cmd) {
			if (system(reinsert_cmd))
				fail("could not put the medium back: %s", reinsert_cmd);
			st.reinserts++;
			continue;
		}
		if (a.ret || a.status != 2 || sense_key(a.sense) != 6)
			break;
	}
	if (a.ret || a.status || a.resid)
		fail("READ(10) of LBA %ld: status %02xh sense %x/%04x resid %d", check_lba,
		     a.status, sense_key(a.sense), sense_asc(a.sense), a.resid);
	if (memcmp(buf, check_data, 2048))
		fail("READ(10) of LBA %ld does not return the image's bytes", check_lba);
}

/* ---- generation ---- */

enum { F_NONE, F_IN, F_OUT };

/* A valid CDB and where its fields are (0: none). */
struct valid_cdb {
	const char *name;
	uint8_t len;
	uint8_t cdb[16];
	uint8_t dir;
	uint8_t lba_off, lba_size;	/* LBA (or MSF, track number...) */
	uint8_t alloc_off, alloc_size;	/* allocation or parameter list length */
	uint8_t xfer_off, xfer_size;	/* transfer length in blocks */
	unsigned int dxfer;		/* the usual buffer */
};

/* fields a row leaves out are 0: none */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const struct valid_cdb valid[] = {
	{ "TEST UNIT READY", 6, { 0x00 }, F_NONE },
	{ "REQUEST SENSE", 6, { 0x03, 0, 0, 0, 18 }, F_IN, 0, 0, 4, 1, 0, 0, 18 },
	{ "REQUEST SENSE desc", 6, { 0x03, 1, 0, 0, 252 }, F_IN, 0, 0, 4, 1, 0, 0, 252 },
	{ "INQUIRY", 6, { 0x12, 0, 0, 0, 96 }, F_IN, 0, 0, 3, 2, 0, 0, 96 },
	{ "INQUIRY VPD 00", 6, { 0x12, 1, 0x00, 0, 255 }, F_IN, 0, 0, 3, 2, 0, 0, 255 },
	{ "INQUIRY VPD 80", 6, { 0x12, 1, 0x80, 0, 255 }, F_IN, 0, 0, 3, 2, 0, 0, 255 },
	{ "INQUIRY VPD 83", 6, { 0x12, 1, 0x83, 0, 255 }, F_IN, 0, 0, 3, 2, 0, 0, 255 },
	{ "INQUIRY VPD 89", 6, { 0x12, 1, 0x89, 0, 255 }, F_IN, 0, 0, 3, 2, 0, 0, 255 },
	{ "INQUIRY VPD B0", 6, { 0x12, 1, 0xb0, 0, 255 }, F_IN, 0, 0, 3, 2, 0, 0, 255 },
	{ "MODE SENSE(6) 2A", 6, { 0x1a, 0x08, 0x2a, 0, 128 }, F_IN, 0, 0, 4, 1, 0, 0, 128 },
	{ "MODE SENSE(6) 3F", 6, { 0x1a, 0x00, 0x3f, 0, 255 }, F_IN, 0, 0, 4, 1, 0, 0, 255 },
	{ "MODE SENSE(10) 2A", 10, { 0x5a, 0x08, 0x2a, 0, 0, 0, 0, 0, 128 }, F_IN, 0, 0, 7, 2, 0,
	  0, 128 },
	{ "MODE SENSE(10) 0E", 10, { 0x5a, 0x08, 0x0e, 0, 0, 0, 0, 0, 64 }, F_IN, 0, 0, 7, 2, 0,
	  0, 64 },
	{ "MODE SENSE(10) 3F", 10, { 0x5a, 0x00, 0x3f, 0, 0, 0, 0, 0xff, 0xff }, F_IN, 0, 0, 7, 2,
	  0, 0, 65535 },
	{ "MODE SELECT(6)", 6, { 0x15, 0x10, 0, 0, 28 }, F_OUT, 0, 0, 4, 1, 0, 0, 28 },
	{ "MODE SELECT(10)", 10, { 0x55, 0x10, 0, 0, 0, 0, 0, 0, 32 }, F_OUT, 0, 0, 7, 2, 0, 0, 32 },
	{ "START STOP UNIT", 6, { 0x1b, 0, 0, 0, 0x01 }, F_NONE },
	/* a bit flip makes it an eject: rare, as each costs a re-insert */
	{ "START STOP UNIT load", 6, { 0x1b, 0, 0, 0, 0x03 }, F_NONE },
	{ "PREVENT", 6, { 0x1e, 0, 0, 0, 1 }, F_NONE },
	{ "ALLOW", 6, { 0x1e, 0, 0, 0, 0 }, F_NONE },
	{ "READ CAPACITY", 10, { 0x25 }, F_IN, 2, 4, 0, 0, 0, 0, 8 },
	{ "READ CAPACITY(16)", 16, { 0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32 }, F_IN, 2, 8,
	  10, 4, 0, 0, 32 },
	{ "READ(6)", 6, { 0x08, 0, 0, 0, 1 }, F_IN, 1, 3, 0, 0, 4, 1, 2048 },
	{ "READ(10)", 10, { 0x28, 0, 0, 0, 0, 16, 0, 0, 1 }, F_IN, 2, 4, 0, 0, 7, 2, 2048 },
	{ "READ(12)", 12, { 0xa8, 0, 0, 0, 0, 0, 0, 0, 0, 2 }, F_IN, 2, 4, 0, 0, 6, 4, 4096 },
	{ "READ(16)", 16, { 0x88, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4 }, F_IN, 2, 8, 0, 0, 10, 4,
	  8192 },
	{ "READ CD user", 12, { 0xbe, 0, 0, 0, 0, 0, 0, 0, 1, 0x10 }, F_IN, 2, 4, 0, 0, 6, 3, 2352 },
	{ "READ CD raw", 12, { 0xbe, 0, 0, 0, 0, 0, 0, 0, 2, 0xf8 }, F_IN, 2, 4, 0, 0, 6, 3, 4704 },
	{ "READ CD raw+sub", 12, { 0xbe, 0, 0, 0, 0, 16, 0, 0, 1, 0xf8, 0x01 }, F_IN, 2, 4, 0, 0, 6,
	  3, 2448 },
	{ "READ CD C2+sub Q", 12, { 0xbe, 0, 0, 0, 0, 0, 0, 0, 1, 0xfa, 0x02 }, F_IN, 2, 4, 0, 0, 6,
	  3, 2646 },
	{ "READ CD MSF", 12, { 0xb9, 0, 0, 0, 2, 0, 0, 2, 1, 0x10 }, F_IN, 3, 6, 0, 0, 0, 0, 2352 },
	{ "SEEK(10)", 10, { 0x2b, 0, 0, 0, 0, 100 }, F_NONE, 2, 4 },
	{ "READ TOC 0", 10, { 0x43, 0, 0, 0, 0, 0, 1, 0x03, 0x24 }, F_IN, 6, 1, 7, 2, 0, 0, 804 },
	{ "READ TOC 0 MSF", 10, { 0x43, 2, 0, 0, 0, 0, 0, 0, 12 }, F_IN, 6, 1, 7, 2, 0, 0, 12 },
	{ "READ TOC session", 10, { 0x43, 0, 1, 0, 0, 0, 0, 0, 12 }, F_IN, 6, 1, 7, 2, 0, 0, 12 },
	{ "READ TOC old session", 10, { 0x43, 0, 0, 0, 0, 0, 0, 0, 12, 0x40 }, F_IN, 6, 1, 7, 2, 0,
	  0, 12 },
	{ "READ TOC full", 10, { 0x43, 2, 2, 0, 0, 0, 1, 0xff, 0xff }, F_IN, 6, 1, 7, 2, 0, 0,
	  65535 },
	{ "READ TOC PMA", 10, { 0x43, 2, 3, 0, 0, 0, 0, 0x10, 0 }, F_IN, 6, 1, 7, 2, 0, 0, 4096 },
	{ "READ TOC ATIP", 10, { 0x43, 2, 4, 0, 0, 0, 0, 0x10, 0 }, F_IN, 6, 1, 7, 2, 0, 0, 4096 },
	{ "READ TOC CD-TEXT", 10, { 0x43, 0, 5, 0, 0, 0, 0, 0xff, 0xff }, F_IN, 6, 1, 7, 2, 0, 0,
	  65535 },
	{ "READ DISC INFORMATION", 10, { 0x51, 0, 0, 0, 0, 0, 0, 0, 34 }, F_IN, 0, 0, 7, 2, 0, 0,
	  34 },
	{ "READ TRACK INFO track", 10, { 0x52, 1, 0, 0, 0, 1, 0, 0, 48 }, F_IN, 2, 4, 7, 2, 0, 0,
	  48 },
	{ "READ TRACK INFO lba", 10, { 0x52, 0, 0, 0, 0, 0, 0, 0, 48 }, F_IN, 2, 4, 7, 2, 0, 0, 48 },
	{ "READ TRACK INFO session", 10, { 0x52, 2, 0, 0, 0, 1, 0, 0, 48 }, F_IN, 2, 4, 7, 2, 0, 0,
	  48 },
	{ "READ DVD STRUCTURE 00", 12, { 0xad, 0, 0, 0, 0, 0, 0, 0x00, 0x08, 0x04 }, F_IN, 2, 4, 8,
	  2, 0, 0, 2052 },
	{ "READ DVD STRUCTURE 01", 12, { 0xad, 0, 0, 0, 0, 0, 0, 0x01, 0, 8 }, F_IN, 2, 4, 8, 2, 0,
	  0, 8 },
	{ "READ DVD STRUCTURE FF", 12, { 0xad, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff }, F_IN, 2, 4, 8,
	  2, 0, 0, 65535 },
	{ "GET CONFIGURATION", 10, { 0x46, 0, 0, 0, 0, 0, 0, 0xff, 0xff }, F_IN, 2, 2, 7, 2, 0, 0,
	  65535 },
	{ "GET CONFIGURATION 8", 10, { 0x46, 0, 0, 0, 0, 0, 0, 0, 8 }, F_IN, 2, 2, 7, 2, 0, 0, 8 },
	{ "GET CONFIGURATION one", 10, { 0x46, 2, 0, 0x28, 0, 0, 0, 0, 32 }, F_IN, 2, 2, 7, 2, 0, 0,
	  32 },
	{ "GET CONFIGURATION current", 10, { 0x46, 1, 0, 0x20, 0, 0, 0, 1, 0 }, F_IN, 2, 2, 7, 2, 0,
	  0, 256 },
	{ "GESN media", 10, { 0x4a, 1, 0, 0, 0x10, 0, 0, 0, 8 }, F_IN, 0, 0, 7, 2, 0, 0, 8 },
	{ "GESN all", 10, { 0x4a, 1, 0, 0, 0xff, 0, 0, 0, 0xff }, F_IN, 0, 0, 7, 2, 0, 0, 255 },
	{ "MECHANISM STATUS", 12, { 0xbd, 0, 0, 0, 0, 0, 0, 0, 0, 8 }, F_IN, 0, 0, 8, 2, 0, 0, 8 },
	{ "SET CD SPEED", 12, { 0xbb, 0, 0xff, 0xff, 0xff, 0xff }, F_NONE, 2, 2 },
	{ "GET PERFORMANCE", 12, { 0xac, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, F_IN, 2, 4, 8, 2, 0, 0, 24 },
	{ "GET PERFORMANCE speed", 12, { 0xac, 0, 0, 0, 0, 0, 0, 0, 0, 8, 3 }, F_IN, 2, 4, 8, 2, 0,
	  0, 136 },
	{ "READ HEADER", 10, { 0x44, 0, 0, 0, 0, 16, 0, 0, 8 }, F_IN, 2, 4, 7, 2, 0, 0, 8 },
	{ "READ HEADER MSF", 10, { 0x44, 2, 0, 0, 0, 16, 0, 0, 8 }, F_IN, 2, 4, 7, 2, 0, 0, 8 },
	{ "READ SUB-CHANNEL Q", 10, { 0x42, 2, 0x40, 1, 0, 0, 0, 0, 16 }, F_IN, 6, 1, 7, 2, 0, 0,
	  16 },
	{ "READ SUB-CHANNEL MCN", 10, { 0x42, 0, 0x40, 2, 0, 0, 0, 0, 24 }, F_IN, 6, 1, 7, 2, 0, 0,
	  24 },
	{ "READ SUB-CHANNEL ISRC", 10, { 0x42, 0, 0x40, 3, 0, 0, 2, 0, 24 }, F_IN, 6, 1, 7, 2, 0, 0,
	  24 },
	{ "PLAY AUDIO(10)", 10, { 0x45, 0, 0, 0, 0, 0, 0, 0, 75 }, F_NONE, 2, 4, 0, 0, 7, 2 },
	{ "PLAY AUDIO(12)", 12, { 0xa5, 0, 0, 0, 0, 0, 0, 0, 0, 75 }, F_NONE, 2, 4, 0, 0, 6, 4 },
	{ "PLAY AUDIO MSF", 10, { 0x47, 0, 0, 0, 2, 0, 0, 3, 0 }, F_NONE, 3, 6 },
	{ "PAUSE", 10, { 0x4b }, F_NONE },
	{ "RESUME", 10, { 0x4b, 0, 0, 0, 0, 0, 0, 0, 1 }, F_NONE },
	{ "STOP PLAY/SCAN", 10, { 0x4e }, F_NONE },
	{ "REPORT LUNS", 12, { 0xa0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0 }, F_IN, 0, 0, 6, 4, 0, 0, 4096 },
	{ "REPORT SUPPORTED OPCODES", 12, { 0xa3, 0x0c, 0, 0, 0, 0, 0, 0, 0x10, 0 }, F_IN, 0, 0, 6,
	  4, 0, 0, 4096 },
	{ "ATA PASS-THROUGH(12)", 12, { 0xa1, 0x08, 0x0e, 0, 1, 0, 0, 0, 0, 0xec }, F_IN, 0, 0, 0,
	  0, 0, 0, 512 },
	{ "ATA PASS-THROUGH(16)", 16, { 0x85, 0x08, 0x0e, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0xec },
	  F_IN, 0, 0, 0, 0, 0, 0, 512 },
	{ "READ FORMAT CAPACITIES", 10, { 0x23, 0, 0, 0, 0, 0, 0, 0, 0xfc }, F_IN, 0, 0, 7, 2, 0, 0,
	  252 },
	{ "VERIFY(10)", 10, { 0x2f, 0, 0, 0, 0, 0, 0, 0, 1 }, F_NONE, 2, 4, 0, 0, 7, 2 },
	{ "SYNCHRONIZE CACHE", 10, { 0x35 }, F_NONE },
};
#pragma GCC diagnostic pop

#define N_VALID (sizeof(valid) / sizeof(valid[0]))

static void put_be(uint8_t *p, unsigned int size, uint64_t v)
{
	while (size--) {
		p[size] = v & 0xff;
		v >>= 8;
	}
}

static uint64_t pick_lba(void)
{
	uint64_t end = capacity ? capacity : 405000;

	switch (rnd_n(10)) {
	case 0: return 0;
	case 1: return rnd_n(16);
	case 2: return end - 1 - rnd_n(4);
	case 3: return end + rnd_n(4);
	case 4: return 0xffffffffULL - rnd_n(2);
	case 5: return rnd();
	case 6: return end + 11250 + rnd_n(400);	/* past a session gap */
	case 7: return 675 + rnd_n(11250 + 300);	/* in a 2-session disc's gap */
	default: return rnd_n((uint32_t)end + 1);
	}
}

static uint32_t pick_len(void)
{
	switch (rnd_n(8)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return 2 * rnd_n(100) + 1;	/* odd */
	case 3: return 0xffffffff;
	case 4: return 0xffff - rnd_n(2);
	case 5: return rnd_n(64);
	case 6: return (uint32_t)rnd();
	default: return rnd_n(4096);
	}
}

static unsigned int pick_dxfer_any(unsigned int usual)
{
	switch (rnd_n(10)) {
	case 0: return 0;
	case 1: return 1 + rnd_n(64);
	case 2: return rnd_n(BUF_MAX + 1);
	case 3: return 64 * 1024 + rnd_n(4097);
	case 4: return usual ? usual - 1 : 0;
	case 5: return usual + 1 + rnd_n(3000);
	case 6: return (rnd_n(32) + 1) * 2048;
	default: return usual;
	}
}

static unsigned int pick_dxfer(unsigned int usual)
{
	unsigned int len = pick_dxfer_any(usual);

	return len > BUF_MAX ? BUF_MAX : len;
}

static int pick_dir(int usual)
{
	if (rnd_n(5))
		return usual;
	return (int[]){ SG_DXFER_NONE, SG_DXFER_FROM_DEV, SG_DXFER_TO_DEV }[rnd_n(3)];
}

static const int dir_of[] = { SG_DXFER_NONE, SG_DXFER_FROM_DEV, SG_DXFER_TO_DEV };

/* Every opcode with every CDB length, random bytes, any direction and size. */
static void gen_sweep(unsigned long k)
{
	static const uint8_t lens[] = { 6, 10, 12, 16 };
	unsigned int i;

	memset(&cur, 0, sizeof(cur));
	cur.what = "sweep";
	cur.cdb_len = lens[k % 4];
	for (i = 0; i < cur.cdb_len; i++)
		cur.cdb[i] = rnd();
	cur.cdb[0] = (k / 4) % 256;
	if (rnd_n(2))
		cur.cdb[1] &= 0x1f;	/* old LUN bits clear, as sr sends */
	cur.dir = pick_dir(SG_DXFER_FROM_DEV);
	cur.dxfer_len = cur.dir == SG_DXFER_NONE ? 0 : pick_dxfer(rnd_n(2) ? 2048 : 252);
}

static void gen_mutant(void)
{
	const struct valid_cdb *v = &valid[rnd_n(N_VALID)];
	unsigned int n, i, usual = v->dxfer;

	memset(&cur, 0, sizeof(cur));
	cur.what = v->name;
	cur.cdb_len = v->len;
	memcpy(cur.cdb, v->cdb, sizeof(cur.cdb));
	if (v->lba_size && rnd_n(2))
		put_be(cur.cdb + v->lba_off, v->lba_size, pick_lba());
	if (v->alloc_size && rnd_n(2)) {
		uint32_t len = pick_len();

		put_be(cur.cdb + v->alloc_off, v->alloc_size, len);
		usual = len > BUF_MAX ? BUF_MAX : len;
	}
	if (v->xfer_size && rnd_n(2)) {
		uint32_t len = rnd_n(3) ? rnd_n(40) : pick_len();

		put_be(cur.cdb + v->xfer_off, v->xfer_size, len);
		usual = len * 2352ULL > BUF_MAX ? BUF_MAX : len * 2352;
	}
	n = rnd_n(4);
	for (i = 0; i < n; i++) {
		switch (rnd_n(4)) {
		case 0:	/* a bit flip past the opcode */
			cur.cdb[1 + rnd_n(cur.cdb_len - 1)] ^= 1 << rnd_n(8);
			break;
		case 1:
			cur.cdb[1 + rnd_n(cur.cdb_len - 1)] = rnd();
			break;
		case 2:	/* the control byte */
			cur.cdb[cur.cdb_len - 1] = rnd();
			break;
		default:
			break;
		}
	}
	if (!rnd_n(20))
		cur.cdb_len = 6 + rnd_n(11);	/* a length not the opcode's */
	cur.dir = pick_dir(dir_of[v->dir]);
	cur.dxfer_len = cur.dir == SG_DXFER_NONE ? 0 : pick_dxfer(usual);
	if (cur.dir == SG_DXFER_TO_DEV) {
		/* a parameter list: a mode header and page, or noise */
		for (i = 0; i < cur.dxfer_len && i < 512; i++)
			buf[i] = rnd();
		if (rnd_n(2) && cur.dxfer_len >= 16) {
			static const uint8_t pages[] = { 0x01, 0x0d, 0x0e, 0x1a, 0x2a, 0x05 };

			memset(buf, 0, 8);
			buf[cur.cdb[0] == 0x15 ? 4 : 8] = pages[rnd_n(sizeof(pages))];
			buf[cur.cdb[0] == 0x15 ? 5 : 9] = rnd_n(2) ? rnd() : 14;
		}
		for (; i < cur.dxfer_len; i++)
			buf[i] = 0;
	}
}

int main(int argc, char **argv)
{
	unsigned long count = 5000, i;
	struct timespec t0, t1;
	bool quiet = false;
	char *colon;
	struct answer a = { 0 };
	double secs;
	int opt;
	FILE *f;

	seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
	while ((opt = getopt(argc, argv, "n:s:mr:c:qk")) != -1) {
		switch (opt) {
		case 'k': no_drive_checks = true; break;
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'm': medium_expected = true; break;
		case 'r': reinsert_cmd = optarg; break;
		case 'q': quiet = true; break;
		case 'c':
			check_lba = strtol(optarg, &colon, 0);
			if (*colon != ':') {
				fprintf(stderr, "fuzz_cdb: -c LBA:FILE\n");
				return 2;
			}
			f = fopen(colon + 1, "rb");
			if (!f || fread(check_data, 1, 2048, f) != 2048) {
				fprintf(stderr, "fuzz_cdb: cannot read 2048 bytes of %s\n", colon + 1);
				return 2;
			}
			fclose(f);
			break;
		default:
			fprintf(stderr, "usage: fuzz_cdb [-n COUNT] [-s SEED] [-m] [-r CMD] "
				"[-c LBA:FILE] [-q] [-k] /dev/sgN\n");
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "fuzz_cdb: which /dev/sgN?\n");
		return 2;
	}
	rng = seed;
	printf("fuzz_cdb: %s, seed %" PRIu64 ", %lu commands\n", argv[optind], seed, count);
	fflush(stdout);

	sigaction(SIGALRM, &(struct sigaction){ .sa_handler = on_alarm }, NULL);
	sg_fd = open(argv[optind], O_RDWR | O_NONBLOCK);
	if (sg_fd < 0) {
		perror(argv[optind]);
		return 1;
	}
	if (ioctl(sg_fd, SG_GET_RESERVED_SIZE, &reserve_size) < 0) {
		perror("SG_GET_RESERVED_SIZE");
		return 1;
	}
	/* sg_add_sfp builds the reserve buffer with sg_build_indirect: zeroed */
	reserve_shadow = calloc(1, reserve_size > 0 ? reserve_size : 1);
	/* a guard page after the buffer: nothing may write past BUF_MAX */
	buf = mmap(NULL, BUF_MAX + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!reserve_shadow || buf == MAP_FAILED || mprotect(buf + BUF_MAX, 4096, PROT_NONE)) {
		perror("fuzz_cdb: memory");
		return 1;
	}

	check_drive();
	read_capacity();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < count; i++) {
		cmd_index = i;
		if (i % 3 == 0)
			gen_sweep(i / 3);
		else
			gen_mutant();
		run(&a);
		/* a fuzzed eject: put the medium back now, not at the next check */
		if ((i + 1) % CHECK_EVERY == 0 ||
		    (medium_expected && !a.ret && a.status == 2 && sense_key(a.sense) == 2 &&
		     sense_asc(a.sense) >> 8 == 0x3a)) {
			check_drive();
			read_capacity();
		}
	}
	cmd_index = count;
	check_drive();
	/* leave the tray unlocked for the eject that comes next */
	set_cdb("ALLOW MEDIUM REMOVAL", SG_DXFER_NONE, 0, 6, 0x1e, 0, 0, 0, 0, 0);
	run(&a);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("fuzz_cdb: %lu commands in %.1f s (%.0f/s): %lu good, %lu check condition, "
	       "%lu refused by sg; data-in %lu direct, %lu via reserve, %lu via zeroed pages; "
	       "%lu re-inserts\n", count, secs, secs > 0 ? count / secs : 0.0, st.good, st.check,
	       st.ioctl_err, st.dio, st.reserve, st.indirect, st.reinserts);
	if (!quiet) {
		printf("fuzz_cdb: sense keys:");
		for (i = 0; i < 16; i++)
			if (st.key[i])
				printf(" %lx:%lu", i, st.key[i]);
		printf("\n");
	}
	return 0;
}
