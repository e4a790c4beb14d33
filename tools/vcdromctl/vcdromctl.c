// SPDX-License-Identifier: GPL-2.0
/*
 * vcdromctl: control vcdrom's virtual CD/DVD drives.
 *
 * A thin CLI over libvcdrom and the image loaders: it parses the command
 * line, calls them, and prints through output.c. Messages read
 * "vcdromctl: VERB: OBJECT: reason". Exit status: see EXIT_* in cli.h.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <linux/capability.h>

#include "helpers.h"
#include "libvcdrom.h"
#include "loaders.h"
#include "expand/expand.h"
#include "config.h"
#include "output.h"
#include "udevwait.h"
#include "cli.h"
#include "version.h"

/*
 * Why the command failed, when it is one of the above: set where the error
 * is seen (the first one counts), returned by main() instead of EXIT_FAILURE.
 */
static int fail_class;

void fail_as(int class)
{
	if (!fail_class)
		fail_class = class;
}

struct command {
	const char *name;
	int (*run)(const struct args *a);
	const char *opts;		/* short options, as for getopt */
	int min_args, max_args;		/* operands */
	const char *operand;		/* its name, when there is one */
	const char *synopsis;		/* after "vcdromctl [--json] NAME " */
	const char *summary;
	const char *help;		/* more, and the options */
};

static const struct command *cmd;	/* the one running */
static bool json;

void __printf(2, 3) say(const char *object, const char *fmt, ...)
{
	va_list ap;

	fputs("vcdromctl: ", stderr);
	if (cmd)
		fprintf(stderr, "%s: ", cmd->name);
	if (object)
		fprintf(stderr, "%s: ", object);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A request the kernel (or the way to it) refused: the errno's text, then the kernel's words. */
int failed(struct vcd_client *c, const char *object, int err)
{
	const char *ext = c ? vcd_ext_msg(c) : NULL;

	if (err == -EPERM || err == -EACCES)
		fail_as(EXIT_DENIED);
	else if (err == -EBUSY)
		fail_as(EXIT_BUSY);
	else if (err == -ENOENT || err == -EPROTONOSUPPORT)
		fail_as(EXIT_NOT_LOADED);
	else if (err == -ENODEV)
		fail_as(EXIT_NO_DRIVE);
	if (ext)
		say(object, "%s (%s)", strerror(-err), ext);
	else if (err == -EPERM)
		say(object, "%s (changing drives needs CAP_SYS_ADMIN)",
		    strerror(-err));
	else if (err == -ENOENT || err == -EPROTONOSUPPORT)
		/* genl's answers, to a request and to a dump, for a family that is going away */
		say(object, "the vcdrom module is not loaded (it was unloaded during the request)");
	else
		say(object, "%s", strerror(-err));
	return EXIT_FAILURE;
}

struct vcd_client *connect_kernel(void)
{
	struct vcd_client *c;
	int ret = vcd_open(&c);

	if (ret == -ENOENT) {
		fail_as(EXIT_NOT_LOADED);
		say(NULL, "the vcdrom module is not loaded (no generic netlink family \"%s\")",
		    VCDROM_GENL_NAME);
	} else if (ret) {
		say(NULL, "cannot reach the kernel: %s", strerror(-ret));
	}
	return ret ? NULL : c;
}

static enum out_mode plain_or_json(enum out_mode plain)
{
	return json ? OUT_JSON : plain;
}

/* A DRIVE argument, checked before anything is asked of the kernel. */
static int parse_drive(const char *arg, struct vcd_drive_spec *spec)
{
	int ret = vcd_drive_spec_parse(arg, spec);

	if (ret == -EINVAL || ret == -ERANGE) {
		fail_as(EXIT_NO_DRIVE);
		say(arg, "not a drive index or an sr/sg device");
	} else if (ret == -ENOENT || ret == -ENOTDIR) {
		fail_as(EXIT_NO_DRIVE);
		say(arg, "no such drive or device");
	} else if (ret) {
		say(arg, "%s", strerror(-ret));
	}
	return ret ? EXIT_FAILURE : 0;
}

/*
 * The drive @arg (parsed into @spec) names: its index, and what the kernel
 * says about it when @info is not NULL. Without @info, an index is taken as
 * it is: the kernel answers for it.
 */
static int find_drive(struct vcd_client *c, const char *arg,
		      const struct vcd_drive_spec *spec, uint32_t *index,
		      struct vcd_drive_info *info)
{
	struct vcd_drive_info *drives;
	size_t n;
	int ret, i;

	if (!spec->by_name) {
		*index = spec->index;
		ret = info ? vcd_drive_get(c, spec->index, info) : 0;
		return ret ? failed(c, arg, ret) : 0;
	}

	ret = vcd_drive_list(c, &drives, &n);
	if (ret)
		return failed(c, arg, ret);
	i = vcd_drive_spec_find(spec, drives, n);
	if (i < 0) {
		fail_as(EXIT_NO_DRIVE);
		say(arg, "not a vcdrom drive");
		ret = EXIT_FAILURE;
	} else {
		*index = drives[i].index;
		if (info) {
			vcd_drive_info_move(info, &drives[i]);
		}
	}
	vcd_drive_list_free(drives, n);
	return ret;
}

/*
 * The drive named by @arg, for a command: parse it, connect, find it. 0 with
 * *@cp connected and *@index (and *@info, if given) set; else EXIT_FAILURE,
 * said, with nothing left open.
 */
static int open_drive(const char *arg, struct vcd_client **cp, uint32_t *index,
		      struct vcd_drive_info *info)
{
	struct vcd_drive_spec spec;
	struct vcd_client *c;

	if (parse_drive(arg, &spec))
		return EXIT_FAILURE;
	c = connect_kernel();
	if (!c)
		return EXIT_FAILURE;
	if (find_drive(c, arg, &spec, index, info)) {
		vcd_close(c);
		return EXIT_FAILURE;
	}
	*cp = c;
	return 0;
}

/* The drive's device node, or with --json the drive (and, after an insert, "cache"). */
static void print_device(const struct vcd_drive_info *d, bool inserted)
{
	if (json && inserted) {
		const struct vcd_expand *x = expanded();
		const char **cache = calloc(x->nr_done + 1, sizeof(*cache));
		unsigned int i, n = 0;
		struct out o;

		for (i = 0; cache && i < x->nr_done; i++)
			if (x->done[i].cached)
				cache[n++] = x->done[i].cached;
		out_init(&o, OUT_JSON, stdout);
		out_drive_cache(&o, d, cache ? cache : (const char **)&cache, n);
		free(cache);
	} else if (json) {
		struct out o;

		out_init(&o, OUT_JSON, stdout);
		out_drive(&o, d);
	} else if (d->block_dev[0]) {
		printf("/dev/%s\n", d->block_dev);
	} else if (d->sg_dev[0]) {
		printf("/dev/%s\n", d->sg_dev);
	} else {
		printf("drive %u\n", d->index);
	}
}

static int cmd_list(const struct args *a)
{
	struct vcd_client *c = connect_kernel();
	struct vcd_drive_info *drives;
	struct out o;
	size_t n;
	int ret;

	(void)a;
	if (!c)
		return EXIT_FAILURE;
	ret = vcd_drive_list(c, &drives, &n);
	if (ret) {
		ret = failed(c, NULL, ret);
	} else {
		out_init(&o, plain_or_json(OUT_TABLE), stdout);
		out_drives(&o, drives, n);
		vcd_drive_list_free(drives, n);
	}
	vcd_close(c);
	return ret;
}

/* The TOC of the medium in drive @info, read through its /dev/srN as any program would. */
static int print_drive_toc(const char *arg, const struct vcd_drive_info *info)
{
	struct vcd_toc toc;
	char dev[48];
	struct out o;
	int fd, ret;

	if (info->state != VCDROM_STATE_LOADED) {
		say(arg, "no medium");
		return EXIT_FAILURE;
	}
	if (!info->block_dev[0]) {
		say(arg, "no sr device: cannot read its TOC");
		return EXIT_FAILURE;
	}
	snprintf(dev, sizeof(dev), "/dev/%s", info->block_dev);
	fd = open(dev, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		say(dev, "%s", strerror(errno));
		return EXIT_FAILURE;
	}
	ret = vcd_read_toc(fd, &toc);
	close(fd);
	if (ret) {
		say(dev, "cannot read the TOC: %s", ret == -ENOMEDIUM || ret == -EIO ?
		    "no medium" : strerror(-ret));
		return EXIT_FAILURE;
	}
	out_init(&o, plain_or_json(OUT_TABLE), stdout);
	out_image_toc(&o, &toc, info->format, vcd_profile_name(info->profile) ?: "-", NULL, NULL);
	return 0;
}

/* Without a DRIVE argument: the only drive there is. */
static int only_drive(struct vcd_client **cp, struct vcd_drive_info *info)
{
	struct vcd_drive_info *drives;
	struct vcd_client *c;
	size_t n;
	int ret;

	c = connect_kernel();
	if (!c)
		return EXIT_FAILURE;
	ret = vcd_drive_list(c, &drives, &n);
	if (ret) {
		ret = failed(c, NULL, ret);
		goto out_close;
	}
	if (n == 1) {
		vcd_drive_info_move(info, &drives[0]);
		*cp = c;
	} else {
		if (n)
			say(NULL, "there are %zu drives: name one", n);
		else
			say(NULL, "there is no drive (add one with 'vcdromctl add')");
		fail_as(n ? EXIT_USAGE : EXIT_NO_DRIVE);
		ret = EXIT_FAILURE;
	}
	vcd_drive_list_free(drives, n);
	if (!ret)
		return 0;
out_close:
	vcd_close(c);
	return ret;
}

static int cmd_status(const struct args *a)
{
	const char *drive = a->argc ? a->argv[0] : NULL;
	struct vcd_drive_info info;
	struct vcd_client *c;
	struct out o;
	uint32_t index;
	char name[16];
	int ret = 0;

	if (drive ? open_drive(drive, &c, &index, &info) : only_drive(&c, &info))
		return EXIT_FAILURE;
	if (!drive) {
		snprintf(name, sizeof(name), "%u", info.index);
		drive = name;
	}
	if (a->toc) {
		ret = print_drive_toc(drive, &info);
	} else {
		out_init(&o, plain_or_json(OUT_BLOCK), stdout);
		out_drive(&o, &info);
	}
	vcd_drive_info_free(&info);
	vcd_close(c);
	return ret;
}

void note(const char *object, const char *text, void *arg)
{
	(void)arg;
	say(object, "%s", text);
}

/*
 * Without --drive: the first drive without a medium; with --replace and a
 * single drive, that one.
 */
static int first_empty_drive(struct vcd_client *c, const struct args *a, uint32_t *index)
{
	const char *image = a->argv[0];
	struct vcd_drive_info *drives;
	size_t i, n;
	int ret;

	ret = vcd_drive_list(c, &drives, &n);
	if (ret)
		return failed(c, image, ret);
	for (i = 0; i < n; i++)
		if (drives[i].state == VCDROM_STATE_EMPTY ||
		    drives[i].state == VCDROM_STATE_TRAY_OPEN)
			break;
	if (i == n && n == 1 && a->replace)
		i = 0;
	if (i < n)
		*index = drives[i].index;
	else if (!n)
		say(image, "there is no drive (add one with 'vcdromctl add')");
	else
		say(image, "no drive is empty (name one with --drive, and add --replace)");
	vcd_drive_list_free(drives, n);
	return i < n ? 0 : EXIT_FAILURE;
}

static bool has_cap_sys_admin(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { { 0 } };

	if (syscall(SYS_capget, &hdr, data))
		return false;
	return data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective & CAP_TO_MASK(CAP_SYS_ADMIN);
}

/*
 * Without CAP_SYS_ADMIN, insert and eject show the kernel the drive's own
 * device opened for writing: /dev/srN, or /dev/sgN when @spec names that.
 * 0 (with *@fd -1 for a caller that needs none); else EXIT_FAILURE, said.
 */
static int open_device(struct vcd_client *c, const char *object, uint32_t index,
		       const struct vcd_drive_spec *spec, int *fd)
{
	struct vcd_drive_info info;
	char path[64];
	int ret;

	*fd = -1;
	if (has_cap_sys_admin())
		return 0;
	ret = vcd_drive_get(c, index, &info);
	if (ret)
		return failed(c, object, ret);
	if (spec && spec->by_name && !strncmp(spec->name, "sg", 2))
		snprintf(path, sizeof(path), "/dev/%s", spec->name);
	else if (info.block_dev[0])
		snprintf(path, sizeof(path), "/dev/%s", info.block_dev);
	else if (info.sg_dev[0])
		snprintf(path, sizeof(path), "/dev/%s", info.sg_dev);
	else
		path[0] = '\0';
	vcd_drive_info_free(&info);
	if (!path[0]) {
		say(object, "drive %u has no sr or sg device yet (needed without CAP_SYS_ADMIN)", index);
		return EXIT_FAILURE;
	}
	/* O_NONBLOCK: the cdrom layer refuses to open a CD-ROM for writing otherwise. */
	*fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (*fd < 0) {
		if (errno == EACCES || errno == EPERM)
			fail_as(EXIT_DENIED);
		say(object, "cannot open %s for writing: %s (needed without CAP_SYS_ADMIN)", path,
		    strerror(errno));
		return EXIT_FAILURE;
	}
	vcd_set_device_fd(c, *fd);
	return 0;
}

/*
 * What @a's images are, as the kernel keeps it: their absolute paths, one a
 * line, in @buf. NULL when a path cannot be resolved, has a control
 * character, or they do not fit: the disc then goes in without.
 */
static const char *source_of(const struct args *a, char *buf, size_t size)
{
	char path[PATH_MAX];
	size_t len = 0, n;
	int i;

	for (i = 0; i < a->argc; i++) {
		const char *p;

		if (!realpath(a->argv[i], path))
			return NULL;
		for (p = path; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				return NULL;
		n = strlen(path);
		if (len + n + 1 >= size)
			return NULL;
		if (i)
			buf[len++] = '\n';
		memcpy(buf + len, path, n + 1);
		len += n;
	}
	return len ? buf : NULL;
}

/*
 * A CD layout (from a cue sheet) needs a module with the "cd" feature, a
 * stored sub-channel one with "subchannel": say so before trying. The disc
 * carries @format, and what @a loaded it from, where the module keeps them.
 */
int check_features(struct vcd_client *c, const struct args *a, struct vcd_disc *disc,
		   const char *format)
{
	static char source[VCDROM_SOURCE_MAX];	/* until the next call: one insert at a time */
	const char *image = a->argv[0];
	uint64_t features;
	uint32_t max_drives;
	int ret;

	ret = vcd_features(c, &features, &max_drives);
	if (ret)
		return failed(c, image, ret);
	if ((features & VCDROM_F_FORMAT) && format && strlen(format) < VCDROM_FORMAT_MAX)
		disc->format = format;
	if (features & VCDROM_F_SOURCE)
		disc->source = source_of(a, source, sizeof(source));
	if (vcd_disc_has_subchannel(disc) && !(features & VCDROM_F_SUBCHANNEL)) {
		fail_as(EXIT_IMAGE);
		say(image, "the loaded vcdrom module cannot serve this image's stored sub-channel or "
		    "scrambled sectors (it lacks the \"subchannel\" feature)");
		return EXIT_FAILURE;
	}
	if (disc->dvd && !(features & VCDROM_F_DVD_STRUCTURE)) {
		/* the drive makes up what it has always made up: a note, no refusal */
		note(image, "the loaded vcdrom module cannot answer with this DVD's stored structures "
		     "(it lacks the \"dvd-structure\" feature): made up instead", NULL);
		free(disc->dvd);
		disc->dvd = NULL;
	}
	if (disc->medium != VCDROM_MEDIUM_CD || (features & VCDROM_F_CD))
		return 0;
	fail_as(EXIT_IMAGE);
	say(image, "the loaded vcdrom module cannot play this CD layout (it lacks the \"cd\" feature)");
	return EXIT_FAILURE;
}

/* Load the operands into @disc, as the medium --medium asks for; 0, or -1 when said why not. */
int load_disc(const struct args *a, struct vcd_disc *disc, struct vcd_load *ld)
{
	const char *why;
	char buf[128];

	setup_expand(a, ld);
	if (vcd_load_images((const char *const *)a->argv, a->argc, disc, ld)) {
		expand_progress_clear();
		fail_as(ld->err == EACCES || ld->err == EPERM ? EXIT_DENIED : EXIT_IMAGE);
		say(ld->object, "%s", ld->reason);
		return -1;
	}
	if (a->medium == VCDROM_MEDIUM_AUTO)
		return 0;
	why = vcd_disc_set_medium(disc, a->medium, buf, sizeof(buf));
	if (!why)
		return 0;
	fail_as(EXIT_IMAGE);
	say(a->argv[0], "cannot be a %s (--medium): %s", a->medium == VCDROM_MEDIUM_CD ? "CD" :
	    a->medium == VCDROM_MEDIUM_DVD ? "DVD" : "BD", why);
	vcd_disc_free(disc);
	return -1;
}

/* Subscribe to udev's events before a change that --wait waits for. */
static int open_udev_wait(const char *object, struct udev_wait *w)
{
	int ret = udev_wait_open(w);

	if (ret)
		say(object, "cannot listen to udev's events (--wait): %s", strerror(-ret));
	return ret ? EXIT_FAILURE : 0;
}

/*
 * Until udev has finished with the medium in @info's drive: 0, or
 * EXIT_FAILURE, said. @changed: the medium went in after @w was opened.
 */
static int wait_medium(struct udev_wait *w, const char *object, const struct vcd_drive_info *info,
		       bool changed, int timeout_ms)
{
	int ret;

	if (!info->block_dev[0]) {
		say(object, "drive %u has no block device to wait for (sr has not bound it)",
		    info->index);
		return EXIT_FAILURE;
	}
	ret = udev_wait_medium(w, info->hctl, info->block_dev, changed, timeout_ms);
	if (ret == -ETIMEDOUT) {
		fail_as(EXIT_TIMEOUT);
		say(object, "udev has not finished with the disc in /dev/%s after %d s%s",
		    info->block_dev, timeout_ms / 1000, changed ? " (it is inserted)" : "");
	} else if (ret) {
		say(object, "waiting for udev: %s", strerror(-ret));
	}
	return ret ? EXIT_FAILURE : 0;
}

static int cmd_insert(const struct args *a)
{
	struct udev_wait uw = { .fd = -1 };
	const char *image = a->argv[0];
	struct vcd_drive_spec spec;
	struct vcd_drive_info info;
	struct disc_set set;
	struct vcd_client *c;
	int dev_fd = -1;
	uint32_t index;
	int ret;

	if (a->drive && parse_drive(a->drive, &spec))
		return EXIT_FAILURE;
	if (disc_set_load(a, &set))
		return EXIT_FAILURE;
	c = connect_kernel();
	if (!c) {
		ret = EXIT_FAILURE;
		goto out_free_disc;
	}
	if (a->wait && open_udev_wait(image, &uw)) {
		ret = EXIT_FAILURE;
		goto out_close;
	}
	ret = disc_set_check(c, a, &set);
	if (ret)
		goto out_close;
	if (a->drive)
		ret = find_drive(c, a->drive, &spec, &index, NULL);
	else
		ret = first_empty_drive(c, a, &index);
	if (ret)
		goto out_close;
	ret = open_device(c, image, index, a->drive ? &spec : NULL, &dev_fd);
	if (ret)
		goto out_close;

	/* The kernel takes its references to the fds in this request; close them after. */
	ret = disc_set_insert(c, index, a, &set, &info);
	if (ret) {
		if (ret == -EINVAL)
			fail_as(EXIT_IMAGE);	/* the kernel refused the layout */
		ret = failed(c, image, ret);
		goto out_close;
	}
	if (a->wait)
		ret = wait_medium(&uw, image, &info, true, a->timeout_ms);
	if (!ret)
		print_device(&info, true);
	vcd_drive_info_free(&info);

out_close:
	udev_wait_close(&uw);
	if (dev_fd >= 0)
		close(dev_fd);
	vcd_close(c);
out_free_disc:
	disc_set_free(&set);
	return ret;
}

/* The TOC of the disc a loader makes of @image, as a drive would report it; no kernel needed. */
static int cmd_toc(const struct args *a)
{
	struct vcd_load ld = { .note = note, .sector_size = a->sector_size };
	struct vcd_disc disc;
	struct vcd_toc toc;
	struct out o;

	vcd_disc_init(&disc);
	if (load_disc(a, &disc, &ld))
		return EXIT_FAILURE;
	vcd_disc_toc(&disc, &toc);
	out_init(&o, plain_or_json(OUT_TABLE), stdout);
	out_image_toc(&o, &toc, ld.format, vcd_medium_name(vcd_disc_medium(&disc)), &disc,
		      ld.lacks);
	vcd_disc_free(&disc);
	return 0;
}

/* After EBUSY from EJECT without FORCE: the kernel has raised an eject request. */
static const char eject_locked_hint[] =
	"the medium is locked; its user was asked to release it (--force ejects anyway)";

static int cmd_eject(const struct args *a)
{
	const char *drive = a->argv[0];
	struct vcd_drive_spec spec;
	struct vcd_client *c;
	uint32_t index;
	int dev_fd;
	int ret;

	if (open_drive(drive, &c, &index, NULL))
		return EXIT_FAILURE;
	vcd_drive_spec_parse(drive, &spec);	/* open_drive() parsed it already */
	ret = open_device(c, drive, index, &spec, &dev_fd);
	if (ret)
		goto out_close;
	ret = vcd_eject(c, index, a->force);
	if (ret) {
		failed(c, drive, ret);
		if (ret == -EBUSY && !a->force)
			say(drive, "%s", eject_locked_hint);
		ret = EXIT_FAILURE;
	}
	if (dev_fd >= 0)
		close(dev_fd);
out_close:
	vcd_close(c);
	return ret;
}

static int cmd_swap(const struct args *a)
{
	const char *drive = a->argv[0];
	struct vcd_drive_spec spec;
	struct vcd_drive_info info;
	struct vcd_client *c;
	uint32_t index, disc;
	int dev_fd = -1;
	int ret;

	if (open_drive(drive, &c, &index, &info))
		return EXIT_FAILURE;
	ret = EXIT_FAILURE;
	if (!info.nr_playlist) {
		fail_as(EXIT_IMAGE);
		say(drive, "holds no playlist (insert an .m3u, or insert --playlist)");
		goto out_free;
	}
	if (swap_target(a->argc > 1 ? a->argv[1] : NULL, info.nr_playlist, info.playlist_pos,
			&disc)) {
		fail_as(EXIT_USAGE);
		say(drive, "'%s': not a disc of its playlist (1-%u, next or prev)", a->argv[1],
		    info.nr_playlist);
		goto out_free;
	}
	vcd_drive_spec_parse(drive, &spec);	/* open_drive() parsed it already */
	ret = open_device(c, drive, index, &spec, &dev_fd);
	if (ret)
		goto out_free;
	vcd_drive_info_free(&info);
	ret = vcd_swap(c, index, disc, a->delay_ms, a->force, &info);
	if (ret) {
		failed(c, drive, ret);
		if (ret == -EBUSY && !a->force)
			say(drive, "the medium is locked by the system using the drive (--force "
			    "swaps anyway)");
		ret = EXIT_FAILURE;
	} else {
		print_device(&info, false);
	}
	if (dev_fd >= 0)
		close(dev_fd);
out_free:
	vcd_drive_info_free(&info);
	vcd_close(c);
	return ret;
}

/*
 * add --wait: until sr has bound the new drive and udev has finished with its
 * block device; @info read again then. 0, or EXIT_FAILURE, said.
 */
static int wait_added(struct vcd_client *c, struct udev_wait *w, struct vcd_drive_info *info,
		      int timeout_ms)
{
	uint32_t index = info->index;
	char name[32];
	int ret, waited;

	ret = udev_wait_added(w, info->hctl, name, sizeof(name), timeout_ms);
	/* Without udev (or its events lost): sr binding is what there is to see. */
	for (waited = 0; (ret == -ENOENT || ret == -ENOBUFS) && waited < timeout_ms; waited += 20) {
		vcd_drive_info_free(info);
		ret = vcd_drive_get(c, index, info);
		if (ret)
			return failed(c, NULL, ret);
		if (info->block_dev[0])
			return 0;
		ret = -ENOENT;
		usleep(20000);
	}
	if (ret == -ENOENT)
		ret = -ETIMEDOUT;
	if (!ret) {
		vcd_drive_info_free(info);
		ret = vcd_drive_get(c, index, info);
		if (ret)
			return failed(c, NULL, ret);
		return 0;
	}
	if (ret == -ETIMEDOUT) {
		fail_as(EXIT_TIMEOUT);
		say(NULL, "drive %u has no block device after %d s (it is added)", index,
		    timeout_ms / 1000);
	} else {
		say(NULL, "waiting for udev: %s", strerror(-ret));
	}
	return EXIT_FAILURE;
}

static int cmd_add(const struct args *a)
{
	struct udev_wait uw = { .fd = -1 };
	struct vcd_drive_info info;
	struct vcd_client *c;
	struct out o;
	int ret;

	c = connect_kernel();
	if (!c)
		return EXIT_FAILURE;
	if (a->wait && open_udev_wait(NULL, &uw)) {
		vcd_close(c);
		return EXIT_FAILURE;
	}
	ret = vcd_drive_add(c, &a->id, &info);
	if (ret) {
		ret = failed(c, NULL, ret);
		goto out_close;
	}
	if (a->wait)
		ret = wait_added(c, &uw, &info, a->timeout_ms);
	if (!ret) {
		out_init(&o, plain_or_json(OUT_BLOCK), stdout);
		out_drive(&o, &info);
	}
	vcd_drive_info_free(&info);
out_close:
	udev_wait_close(&uw);
	vcd_close(c);
	return ret;
}

/* Until the drive holds a medium and udev has finished with it. */
static int cmd_wait(const struct args *a)
{
	const char *drive = a->argc ? a->argv[0] : NULL;
	struct udev_wait uw = { .fd = -1 };
	struct vcd_drive_info info;
	bool changed = false;
	struct vcd_client *c;
	uint32_t index;
	char name[16];
	int ret, waited;

	if (drive ? open_drive(drive, &c, &index, &info) : only_drive(&c, &info))
		return EXIT_FAILURE;
	if (!drive) {
		snprintf(name, sizeof(name), "%u", info.index);
		drive = name;
	}
	index = info.index;
	ret = open_udev_wait(drive, &uw);
	if (ret)
		goto out_free;
	/* No medium yet: until one is inserted (after the subscription). */
	for (waited = 0; info.state != VCDROM_STATE_LOADED; waited += 50) {
		if (waited >= a->timeout_ms) {
			fail_as(EXIT_TIMEOUT);
			say(drive, "no medium after %d s", a->timeout_ms / 1000);
			ret = EXIT_FAILURE;
			goto out_free;
		}
		changed = true;
		usleep(50000);
		vcd_drive_info_free(&info);
		ret = vcd_drive_get(c, index, &info);
		if (ret) {
			memset(&info, 0, sizeof(info));
			ret = failed(c, drive, ret);
			goto out_free;
		}
	}
	ret = wait_medium(&uw, drive, &info, changed, a->timeout_ms - waited);
	if (!ret)
		print_device(&info, false);
out_free:
	vcd_drive_info_free(&info);
	udev_wait_close(&uw);
	vcd_close(c);
	return ret;
}

static int cmd_remove(const struct args *a)
{
	const char *drive = a->argv[0];
	struct vcd_client *c;
	uint32_t index;
	int ret;

	if (open_drive(drive, &c, &index, NULL))
		return EXIT_FAILURE;
	ret = vcd_drive_del(c, index);
	if (ret)
		ret = failed(c, drive, ret);
	vcd_close(c);
	return ret;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void print_event(const struct vcd_event_info *ev, void *arg)
{
	out_event(arg, ev);
	fflush(stdout);
}

static int cmd_watch(const struct args *a)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct vcd_client *c;
	struct pollfd pfd;
	sigset_t block, orig;
	struct out o;
	int ret;

	(void)a;
	c = connect_kernel();
	if (!c)
		return EXIT_FAILURE;
	ret = vcd_events_subscribe(c);
	if (ret) {
		ret = failed(c, NULL, ret);
		goto out_close;
	}

	/* The signals are let in only while waiting, so none is missed. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	out_init(&o, plain_or_json(OUT_LINE), stdout);
	pfd.fd = vcd_events_fd(c);
	pfd.events = POLLIN;
	while (!stop) {
		if (ppoll(&pfd, 1, NULL, &orig) < 0) {
			if (errno == EINTR)
				continue;
			ret = failed(c, NULL, -errno);
			break;
		}
		ret = vcd_events_read(c, print_event, &o);
		if (ret == -ENOBUFS) {
			say(NULL, "events were lost: they came faster than they were read");
		} else if (ret < 0) {
			ret = failed(c, NULL, ret);
			break;
		}
		ret = 0;
	}
	sigprocmask(SIG_SETMASK, &orig, NULL);
out_close:
	vcd_close(c);
	return ret;
}

static int cmd_features(const struct args *a)
{
	struct vcd_client *c = connect_kernel();
	uint64_t features;
	uint32_t max_drives;
	struct out o;
	int ret;

	(void)a;
	if (!c)
		return EXIT_FAILURE;
	ret = vcd_features(c, &features, &max_drives);
	if (ret) {
		ret = failed(c, NULL, ret);
	} else {
		out_init(&o, plain_or_json(OUT_BLOCK), stdout);
		out_features(&o, features, max_drives);
	}
	vcd_close(c);
	return ret;
}

/*
 * The loaded module's version (MODULE_VERSION, in sysfs) into @buf: NULL
 * when the module is not loaded, "unknown" when it has none.
 */
static const char *module_version(char *buf, size_t size)
{
	FILE *f = fopen("/sys/module/vcdrom/version", "re");
	size_t len;

	if (!f)
		return access("/sys/module/vcdrom", F_OK) ? NULL : "unknown";
	if (!fgets(buf, size, f))
		buf[0] = '\0';
	fclose(f);
	len = strcspn(buf, "\n");
	buf[len] = '\0';
	return len ? buf : "unknown";
}

/* --version: the tool's, and the loaded module's with its features. */
static int print_version(void)
{
	const char *modver;
	struct vcd_client *c;
	uint64_t features;
	uint32_t max_drives;
	char buf[128];
	struct out o;
	bool known = false;

	modver = module_version(buf, sizeof(buf));
	if (modver && !vcd_open(&c)) {
		known = !vcd_features(c, &features, &max_drives);
		vcd_close(c);
	}
	out_init(&o, plain_or_json(OUT_BLOCK), stdout);
	out_version(&o, VCDROM_VERSION, modver, known ? &features : NULL);
	return 0;
}

static int cmd_help(const struct args *a);

#define SECTOR_OPTS \
	"  -w, --raw           IMAGE is plain 2048-byte data sectors, whatever it holds:\n" \
	"                      one data track (for a file with no file system's\n" \
	"                      volume descriptor)\n" \
	"  -b, --sector-size N IMAGE is sectors of N bytes: 2048 as --raw, or 2352 raw\n" \
	"                      CD sectors without a cue sheet, one MODE1 or MODE2 data\n" \
	"                      track (its mode read from the sector headers)\n" \
	"  -m, --medium M      make the disc a cd, dvd or bd whatever its size (a disc\n" \
	"                      with what only a CD holds, or too big, is refused)\n"

#define CACHE_OPTS \
	"  -c, --cache-dir DIR a compressed IMAGE (gzip, xz, zstd, bzip2, ECM) is expanded\n" \
	"                      once into this cache (default: /var/cache/vcdrom for root,\n" \
	"                      else $XDG_CACHE_HOME/vcdrom or ~/.cache/vcdrom)\n" \
	"  -n, --no-cache      expand it into memory instead, kept only while inserted\n" \
	"  -M, --cache-max SIZE the cache's cap (K, M, G, T: binary units; default 8G;\n" \
	"                      0: none): the least recently used images go past it\n" \
	"  -a, --parent FILE   a CHD IMAGE's parent CHD (the one with the SHA-1 it names),\n" \
	"                      else looked for beside it; again for a parent's parent\n"

#define WAIT_OPTS \
	"  -W, --wait          return once udev has finished with the disc: its\n" \
	"                      /dev/disk/by-* links exist, ID_CDROM_MEDIA=1\n" \
	"  -T, --timeout S     give up waiting after S seconds (default 30; the disc\n" \
	"                      stays in; exit status 8)\n"

static const struct command commands[] = {
	{ "list", cmd_list, "jh", 0, 0, NULL, "",
	  "list the drives",
	  "One line per drive, under a header: DRIVE DEVICE SG STATE LOCKED PROFILE CAPACITY IMAGE.\n"
	  "With --json: {\"drives\":[...]}, each drive as in 'status --json'.\n" },
	{ "status", cmd_status, "tjh", 0, 1, "DRIVE", "[--toc] [DRIVE]",
	  "show a drive",
	  "One \"key: value\" line per field; the keys are those of the JSON object.\n"
	  "Without DRIVE: the only drive, when there is just one.\n\n"
	  "  -t, --toc           the medium's table of contents instead, read through the\n"
	  "                      drive's /dev/srN: one line per track (session, number,\n"
	  "                      audio or data, start LBA and MSF, flags), the lead-out\n"
	  "                      and the MCN\n" },
	{ "insert", cmd_insert, "d:rPwb:m:WT:c:nM:a:jh", 1, INT_MAX, "IMAGE",
	  "[--drive DRIVE] [--replace] [--playlist] [--raw | --sector-size N] [--medium M] [--wait] "
	  "[--timeout S] [--cache-dir DIR | --no-cache] [--cache-max SIZE] [--parent FILE...] "
	  "IMAGE [IMAGE...]",
	  "put an image in a drive",
	  "Into the first empty drive (no medium, or the tray open) unless --drive names one.\n"
	  "Prints the drive's device node (with --json, the drive). The format is read from\n"
	  "IMAGE's content (its extension breaks ties); what is not a known format is refused.\n"
	  "Several IMAGEs make one multi-session disc, a session each, in order: cdrdao TOC\n"
	  "files only, their data tracks CD-ROM XA (as cdrdao --multi writes them).\n"
	  "A compressed IMAGE, or a file its sheet names, is expanded first (a progress\n"
	  "bar on a terminal); with --json, \"cache\" lists the cache entries used.\n"
	  "An .m3u IMAGE (one image path a line) is a playlist of discs, as --playlist.\n\n"
	  "  -d, --drive DRIVE   this drive\n"
	  "  -r, --replace       replace a medium already in it (without --drive: in the\n"
	  "                      only drive, when there is one)\n"
	  "  -P, --playlist      each IMAGE is a disc of a multi-disc set, the first in\n"
	  "                      first: every one is checked now, the drive keeps them\n"
	  "                      all, and an eject then tray close by the system using\n"
	  "                      the drive (or swap) changes to the next\n"
	  SECTOR_OPTS
	  CACHE_OPTS
	  WAIT_OPTS },
	{ "toc", cmd_toc, "wb:m:c:nM:a:jh", 1, INT_MAX, "IMAGE",
	  "[--raw | --sector-size N] [--medium M] [--cache-dir DIR | --no-cache] [--cache-max SIZE] "
	  "[--parent FILE...] IMAGE [IMAGE...]",
	  "show the TOC an image would have, without a drive",
	  "Loads IMAGE (several IMAGEs: one disc) as insert does and prints its table of\n"
	  "contents as 'status --toc' would once it is inserted, then the format it was\n"
	  "read as and the medium it makes (CD-ROM, DVD-ROM, BD-ROM), and of a CD CHD a note\n"
	  "of what it cannot store; with --json, as \"format\", \"medium\" and \"note\".\n\n"
	  SECTOR_OPTS
	  CACHE_OPTS },
	{ "swap", cmd_swap, "fD:jh", 1, 2, "DRIVE", "[--delay MS] [--force] DRIVE [N | next | prev]",
	  "change to another disc of a drive's playlist",
	  "As a person at the drive does: the tray opens (the system sees it open and\n"
	  "empty), stays open a moment, and closes on disc N of the playlist (from 1),\n"
	  "or the next (the default) or previous one, wrapping around. Prints the drive's\n"
	  "device node (with --json, the drive).\n\n"
	  "  -D, --delay MS      how long the tray stays open (default 1000, at most 10000)\n"
	  "  -f, --force         swap even when the system has locked the drive\n" },
	{ "eject", cmd_eject, "fjh", 1, 1, "DRIVE", "[--force] DRIVE",
	  "take the medium out of a drive",
	  "When the system using the drive has locked it, the eject is refused and the\n"
	  "system is asked to release it.\n\n"
	  "  -f, --force         eject even a locked drive\n" },
	{ "add", cmd_add, "v:p:R:s:WT:jh", 0, 0, NULL,
	  "[--vendor V] [--product P] [--revision R] [--serial S] [--wait] [--timeout S]",
	  "add a drive",
	  "Prints the new drive. What is not given is the module's default.\n\n"
	  "  -v, --vendor V      INQUIRY vendor, up to 8 characters\n"
	  "  -p, --product P     INQUIRY product, up to 16 characters\n"
	  "  -R, --revision R    INQUIRY revision, up to 4 characters\n"
	  "  -s, --serial S      unit serial number, up to 32 characters\n"
	  "  -W, --wait          return once sr has bound the drive and udev has made its\n"
	  "                      /dev/srN (and links); the output names it\n"
	  "  -T, --timeout S     give up waiting after S seconds (default 30)\n" },
	{ "wait", cmd_wait, "T:jh", 0, 1, "DRIVE", "[--timeout S] [DRIVE]",
	  "wait until a drive's disc is ready",
	  "Returns when DRIVE holds a medium and udev has finished with it (its\n"
	  "/dev/disk/by-* links made, ID_CDROM_MEDIA=1), and prints the device node.\n"
	  "An empty drive is waited on until a disc is inserted. Without DRIVE: the only\n"
	  "drive. Right after an insert --replace that did not wait, udev may still show\n"
	  "the disc before: use insert --wait for that.\n\n"
	  "  -T, --timeout S     give up after S seconds (default 30; exit status 8)\n" },
	{ "apply", cmd_apply, "c:nM:h", 0, 1, "FILE",
	  "[--cache-dir DIR | --no-cache] [--cache-max SIZE] [FILE]",
	  "make the drives what a configuration file says",
	  "Reads FILE (default " VCD_CONFIG_FILE "; - for standard input): one [drive] section\n"
	  "per drive. Adds the drives that are missing and inserts their images where they\n"
	  "are not in; reports each drive on a line. What is right already, and drives the\n"
	  "file does not name, are left alone. A bad line (FILE:LINE: reason) changes\n"
	  "nothing; an image that cannot be inserted is said and the others go on.\n"
	  "Compressed images are expanded as the file's [cache] says, unless an option\n"
	  "below says otherwise.\n\n"
	  "  -c, --cache-dir DIR expand them into this cache, not the file's or the default\n"
	  "  -n, --no-cache      expand them into memory\n"
	  "  -M, --cache-max SIZE the cache's cap, not the file's (as insert takes it)\n" },
	{ "save", cmd_save, "h", 0, 1, "FILE", "[FILE]",
	  "write the drives and their discs as a configuration file",
	  "Writes FILE (default " VCD_CONFIG_FILE "; - for standard output) as apply reads\n"
	  "it, replacing it whole once written; a [cache] section it had is kept.\n" },
	{ "remove", cmd_remove, "jh", 1, 1, "DRIVE", "DRIVE",
	  "remove a drive",
	  NULL },
	{ "watch", cmd_watch, "jh", 0, 0, NULL, "",
	  "print events as they happen",
	  "One line per event (with --json, one object per line) until interrupted.\n" },
	{ "features", cmd_features, "jh", 0, 0, NULL, "",
	  "show what the loaded module supports",
	  NULL },
	{ "help", cmd_help, "h", 0, 1, "COMMAND", "[COMMAND]",
	  "show help",
	  NULL },
	{ NULL },
};

static void print_usage(FILE *f)
{
	const struct command *c;
	int len;

	fputs("Usage: vcdromctl [--json] COMMAND [ARGS]\n\n"
	      "Virtual CD/DVD drives whose discs are image files.\n\nCommands:\n", f);
	for (c = commands; c->name; c++) {
		len = fprintf(f, "  %s %s", c->name, c->synopsis);
		if (len > 26) {
			fputc('\n', f);
			len = 0;
		}
		fprintf(f, "%*s%s\n", 28 - len, "", c->summary);
	}
	fputs("\nDRIVE is a drive index, or /dev/srN or /dev/sgN, or a link to one (/dev/cdrom).\n"
	      "  -j, --json      print JSON\n"
	      "  -h, --help      show help (also: vcdromctl COMMAND --help)\n"
	      "  -V, --version   show the versions of vcdromctl and of the loaded module\n\n"
	      "See vcdromctl(8).\n", f);
}

static void print_command_help(const struct command *c, FILE *f)
{
	fprintf(f, "Usage: vcdromctl [--json] %s %s\n\n%c%s.\n", c->name, c->synopsis,
		toupper(c->summary[0]), c->summary + 1);
	if (c->help)
		fprintf(f, "\n%s", c->help);
	if (strchr(c->opts, 'j'))
		fputs("\n  -j, --json   print JSON", f);
	fputs("\n  -h, --help   show this help\n", f);
}

static const struct command *find_command(const char *name)
{
	const struct command *c;

	for (c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static int cmd_help(const struct args *a)
{
	const struct command *c;

	if (!a->argc) {
		print_usage(stdout);
		return 0;
	}
	c = find_command(a->argv[0]);
	if (!c) {
		say(a->argv[0], "no such command (see 'vcdromctl help')");
		return EXIT_USAGE;
	}
	print_command_help(c, stdout);
	return 0;
}

static const struct option all_opts[] = {
	{ "drive",	required_argument,	NULL, 'd' },
	{ "replace",	no_argument,		NULL, 'r' },
	{ "force",	no_argument,		NULL, 'f' },
	{ "playlist",	no_argument,		NULL, 'P' },
	{ "delay",	required_argument,	NULL, 'D' },
	{ "toc",	no_argument,		NULL, 't' },
	{ "wait",	no_argument,		NULL, 'W' },
	{ "timeout",	required_argument,	NULL, 'T' },
	{ "raw",	no_argument,		NULL, 'w' },
	{ "sector-size", required_argument,	NULL, 'b' },
	{ "medium",	required_argument,	NULL, 'm' },
	{ "vendor",	required_argument,	NULL, 'v' },
	{ "product",	required_argument,	NULL, 'p' },
	{ "revision",	required_argument,	NULL, 'R' },
	{ "serial",	required_argument,	NULL, 's' },
	{ "cache-dir",	required_argument,	NULL, 'c' },
	{ "no-cache",	no_argument,		NULL, 'n' },
	{ "cache-max",	required_argument,	NULL, 'M' },
	{ "parent",	required_argument,	NULL, 'a' },
	{ "json",	no_argument,		NULL, 'j' },
	{ "help",	no_argument,		NULL, 'h' },
};

static int __printf(1, 2) usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vcdromctl: %s%s", cmd ? cmd->name : "", cmd ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "\nUsage: vcdromctl [--json] %s %s\nTry 'vcdromctl %s --help'.\n",
			cmd->name, cmd->synopsis, cmd->name);
	else
		fputs("\nTry 'vcdromctl help'.\n", stderr);
	return EXIT_USAGE;
}

/* An INQUIRY string option: no longer than @max. */
static int set_ident(const char **dst, const char *opt, const char *val, size_t max)
{
	if (strlen(val) > max)
		return usage_error("--%s: longer than %zu characters", opt, max);
	*dst = val;
	return -1;
}

/* --raw (@arg NULL) or --sector-size @arg; one of them, once. */
static int set_sector_size(unsigned int *dst, const char *arg)
{
	unsigned int n = 2048;
	char *end;

	if (arg) {
		errno = 0;
		n = strtoul(arg, &end, 10);
		if (errno || end == arg || *end || (n != 2048 && n != 2352))
			return usage_error("--sector-size: \"%s\" is not 2048 or 2352", arg);
	}
	if (*dst && *dst != n)
		return usage_error("--raw and --sector-size %u contradict each other",
				   *dst == 2048 ? n : *dst);
	*dst = n;
	return -1;
}

/* --timeout S: whole seconds, 1 to a day. */
static int set_timeout(int *dst, const char *arg)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || !n || n > 86400)
		return usage_error("--timeout: \"%s\" is not a number of seconds from 1 to 86400",
				   arg);
	*dst = n * 1000;
	return -1;
}

/* swap --delay MS: 0 to VCDROM_SWAP_MAX_MS. */
static int set_delay(unsigned int *dst, const char *arg)
{
	unsigned long ms;
	char *end;

	errno = 0;
	ms = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || ms > VCDROM_SWAP_MAX_MS)
		return usage_error("--delay: \"%s\" is not a number of ms from 0 to %u", arg,
				   VCDROM_SWAP_MAX_MS);
	*dst = ms;
	return -1;
}

/* --cache-max SIZE (vcd_parse_size(), as the file's "max ="); 0: no cap. */
static int set_cache_max(struct args *a, const char *arg)
{
	if (vcd_parse_size(arg, &a->cache_max))
		return usage_error("--cache-max: \"%s\" is not a size (bytes, or with K, M, G "
				   "or T)", arg);
	a->cache_unlimited = !a->cache_max;
	return -1;
}

/* --parent FILE, once or more: @arg is argv's, kept as long as @a. */
static int add_parent(struct args *a, const char *arg)
{
	const char **grown = realloc(a->parents, (a->nr_parents + 1) * sizeof(*grown));

	if (!grown) {
		say("--parent", "%s", strerror(ENOMEM));
		return EXIT_FAILURE;
	}
	a->parents = grown;
	a->parents[a->nr_parents++] = arg;
	return -1;
}

/* --medium cd, dvd or bd. */
static int set_medium(uint32_t *dst, const char *arg)
{
	if (!strcasecmp(arg, "cd"))
		*dst = VCDROM_MEDIUM_CD;
	else if (!strcasecmp(arg, "dvd"))
		*dst = VCDROM_MEDIUM_DVD;
	else if (!strcasecmp(arg, "bd"))
		*dst = VCDROM_MEDIUM_BD;
	else
		return usage_error("--medium: \"%s\" is not cd, dvd or bd", arg);
	return -1;
}

/* Parse the command's options and operands into @a; -1 to go on, or the exit status. */
static int parse_args(int argc, char **argv, struct args *a)
{
	struct option longopts[ARRAY_SIZE(all_opts) + 1] = { { 0 } };
	char shortopts[32];
	unsigned int i, n = 0;
	bool timeout = false;
	int opt, ret = -1;

	for (i = 0; i < ARRAY_SIZE(all_opts); i++)
		if (strchr(cmd->opts, all_opts[i].val))
			longopts[n++] = all_opts[i];
	snprintf(shortopts, sizeof(shortopts), ":%s", cmd->opts);
	opterr = 0;
	optind = 1;
	while (ret < 0 && (opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			a->drive = optarg;
			break;
		case 'r':
			a->replace = true;
			break;
		case 'f':
			a->force = true;
			break;
		case 'P':
			a->playlist = true;
			break;
		case 'D':
			ret = set_delay(&a->delay_ms, optarg);
			break;
		case 't':
			a->toc = true;
			break;
		case 'W':
			a->wait = true;
			break;
		case 'T':
			ret = set_timeout(&a->timeout_ms, optarg);
			timeout = true;
			break;
		case 'w':
			ret = set_sector_size(&a->sector_size, NULL);
			break;
		case 'b':
			ret = set_sector_size(&a->sector_size, optarg);
			break;
		case 'm':
			ret = set_medium(&a->medium, optarg);
			break;
		case 'v':
			ret = set_ident(&a->id.vendor, "vendor", optarg, VCDROM_VENDOR_MAX);
			break;
		case 'p':
			ret = set_ident(&a->id.product, "product", optarg, VCDROM_PRODUCT_MAX);
			break;
		case 'R':
			ret = set_ident(&a->id.revision, "revision", optarg, VCDROM_REVISION_MAX);
			break;
		case 's':
			ret = set_ident(&a->id.serial, "serial", optarg, VCDROM_SERIAL_MAX);
			break;
		case 'c':
			a->cache_dir = optarg;
			break;
		case 'n':
			a->no_cache = true;
			break;
		case 'M':
			ret = set_cache_max(a, optarg);
			break;
		case 'a':
			ret = add_parent(a, optarg);
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			print_command_help(cmd, stdout);
			ret = 0;
			break;
		case ':':
			ret = usage_error("option '%s' needs an argument", argv[optind - 1]);
			break;
		default:
			if (optopt)
				ret = usage_error("unknown option '-%c'", optopt);
			else
				ret = usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (ret >= 0)
		return ret;
	if (ret < 0 && a->no_cache && a->cache_dir)
		return usage_error("--cache-dir and --no-cache contradict each other");
	if (timeout && !a->wait && strchr(cmd->opts, 'W'))
		return usage_error("--timeout is for --wait");
	a->argv = argv + optind;
	a->argc = argc - optind;
	if (a->argc < cmd->min_args)
		return usage_error("missing %s", cmd->operand);
	if (a->argc > cmd->max_args)
		return usage_error("unexpected argument '%s'", a->argv[cmd->max_args]);
	return -1;
}

int main(int argc, char **argv)
{
	struct args a = { .timeout_ms = 30000, .delay_ms = 1000 };
	bool version = false;
	int i, ret;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			print_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
			version = true;
		} else {
			return usage_error("unknown option '%s'", argv[i]);
		}
	}
	if (version) {
		if (i < argc)
			return usage_error("--version takes no command");
		ret = print_version();
		goto out_flush;
	}
	if (i == argc) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	cmd = find_command(argv[i]);
	if (!cmd)
		return usage_error("unknown command '%s'", argv[i]);

	ret = parse_args(argc - i, argv + i, &a);
	if (ret < 0)
		ret = cmd->run(&a);
	free(a.parents);
out_flush:
	if (fflush(stdout) || ferror(stdout)) {
		say(NULL, "cannot write the output: %s", strerror(errno));
		ret = EXIT_FAILURE;
	}
	return ret == EXIT_FAILURE && fail_class ? fail_class : ret;
}
