/*
 * record_outputs - the output directory of a recording: a new run
 * directory in ipctrace-out (pointed at by ipctrace-out/latest) or the
 * -o DIR given, the trace created in it as the user the outputs are for,
 * and what a failed run leaves behind removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "record_cmd.h"
#include "rundir.h"

/* The recording has begun: the trace takes its name (so its presence
 * tells that the command or process is traced). */
static void name_trace(void *arg)
{
	struct record_cmd *rc = arg;

	if (out_user_enter(&rc->owner) == 0) {
		rc->trace_named = outdir_commit_file(rc->dirfd, rc->trace_tmp, CLI_TRACE_FILE);
		out_user_leave(&rc->owner);
	}
	rc->written[0] = rc->trace_named == 0;
}

/* Without -o: open (making it) ipctrace-out, and make and open this
 * run's new directory in it.  Sets rc->dirfd (or -errno); 0, or an exit
 * code after saying what failed. */
static int open_run_dir(struct record_cmd *rc, char *why, size_t len)
{
	char name[NAME_MAX + 1];
	struct stat st;
	int ret;

	rc->made_parent = fstatat(AT_FDCWD, RUNDIR_PARENT, &st, AT_SYMLINK_NOFOLLOW) != 0;
	rc->parentfd = outdir_open(RUNDIR_PARENT, &rc->owner, false, why, len);
	if (rc->parentfd < 0) {
		rc->dirfd = rc->parentfd;
		return 0;
	}
	ret = rundir_make(rc->parentfd, rc->run_base, time(NULL), name, sizeof(name));
	if (ret) {
		cli_error("cannot create a directory in '%s': %s", RUNDIR_PARENT, strerror(-ret));
		return 1;
	}
	rc->made_outdir = true;
	rc->dirfd = openat(rc->parentfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (rc->dirfd < 0)
		rc->dirfd = -errno;
	snprintf(rc->defdir, sizeof(rc->defdir), "%s/%s", RUNDIR_PARENT, name);
	rc->outdir = rc->defdir;
	/* both fit: NAME_MAX bounds the name */
	snprintf(rc->trace_path, sizeof(rc->trace_path), "%.300s/%s", rc->outdir, CLI_TRACE_FILE);
	return 0;
}

/* With -o DIR: open (making it) DIR, which must be empty unless --force.
 * Sets rc->dirfd (or -errno); 0, or an exit code after saying why. */
static int open_given_dir(struct record_cmd *rc, char *why, size_t len)
{
	struct stat st;

	rc->made_outdir = fstatat(AT_FDCWD, rc->outdir, &st, 0) != 0;
	rc->dirfd = outdir_open(rc->outdir, &rc->owner, rc->outdir_given, why, len);
	if (rc->dirfd >= 0 && !rc->force && rundir_is_empty(rc->dirfd) == 0) {
		cli_error("'%s' is not empty: give --force to replace what it holds, or "
			  "another -o", rc->outdir);
		return 1;
	}
	return 0;
}

/* A run that recorded nothing leaves nothing: the directories it made,
 * now empty, go. */
void record_remove_made_dirs(struct record_cmd *rc)
{
	const char *name = rc->outdir + strlen(RUNDIR_PARENT) + 1;

	if (!rc->made_outdir)
		return;
	if (rc->run_base && rc->parentfd >= 0) {
		unlinkat(rc->parentfd, name, AT_REMOVEDIR);
		if (rc->made_parent)
			unlinkat(AT_FDCWD, RUNDIR_PARENT, AT_REMOVEDIR);
	} else if (!rc->run_base) {
		unlinkat(AT_FDCWD, rc->outdir, AT_REMOVEDIR);
	}
}

/* Is NAME one of the outputs this run wrote (kept by --force)? */
static bool is_written_output(const char *name, void *arg)
{
	struct record_cmd *rc = arg;

	for (size_t i = 0; i < cli_noutputs; i++)
		if (rc->written[i] && !strcmp(name, cli_outputs[i].name))
			return true;
	return false;
}

/* After a recording: --force removes what DIR held before; a new run's
 * directory becomes ipctrace-out/latest. */
void record_finish_outputs(struct record_cmd *rc)
{
	int ret;

	if (rc->force && !rc->run_base && (ret = rundir_clear(rc->dirfd, is_written_output, rc)))
		cli_warning("cannot remove all of what '%s' held before: %s", rc->outdir,
			    strerror(-ret));
	if (rc->run_base && rc->parentfd >= 0 &&
	    (ret = rundir_link_latest(rc->parentfd, rc->outdir + strlen(RUNDIR_PARENT) + 1)))
		cli_warning("cannot point '%s/%s' at this run: %s", RUNDIR_PARENT, RUNDIR_LATEST,
			    strerror(-ret));
}

/* Open (making it) the output directory and create the trace in it, as
 * the user the outputs are for.  0 or the exit code. */
int record_open_outputs(struct record_cmd *rc)
{
	char why[256];
	int ret, fd = -1;

	ret = out_user_enter(&rc->owner);
	if (ret) {
		cli_error("cannot take on user %u's identity: %s", (unsigned)rc->owner.uid,
			  strerror(-ret));
		return 1;
	}
	ret = rc->run_base ? open_run_dir(rc, why, sizeof(why)) : open_given_dir(rc, why, sizeof(why));
	if (ret > 0) {
		out_user_leave(&rc->owner);
		return ret;
	}
	if (rc->dirfd >= 0)
		fd = outdir_create_file(rc->dirfd, CLI_TRACE_FILE, rc->trace_tmp);
	out_user_leave(&rc->owner);
	if (rc->dirfd < 0) {
		if (why[0])
			cli_error("refusing to write into '%s': %s", rc->outdir, why);
		else
			cli_error("cannot create directory '%s': %s", rc->outdir, strerror(-rc->dirfd));
		return 1;
	}
	if (fd < 0) {
		cli_error("cannot create '%s': %s", rc->trace_path, strerror(-fd));
		return 1;
	}
	rc->trace_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (rc->trace_fd < 0) {
		cli_error("cannot keep '%s' open: %s", rc->trace_path, strerror(errno));
		close(fd);
		return 1;
	}
	rc->opt.trace_fd = fd;
	rc->opt.on_tracing = name_trace;
	rc->opt.arg = rc;
	rc->trace_named = -EAGAIN;
	return 0;
}

/* Remove the trace, if its name still leads to the file we created. */
void record_remove_trace(struct record_cmd *rc)
{
	struct stat ours, named;

	if (fstat(rc->trace_fd, &ours) == 0 &&
	    fstatat(rc->dirfd, CLI_TRACE_FILE, &named, AT_SYMLINK_NOFOLLOW) == 0 &&
	    ours.st_dev == named.st_dev && ours.st_ino == named.st_ino &&
	    unlinkat(rc->dirfd, CLI_TRACE_FILE, 0) == 0)
		rc->written[0] = false;
}
