/*
 * rundir - per-run output directories, the latest link, and replacing an
 * output directory's contents (see rundir.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "rundir.h"

#define RUNDIR_TRIES 1000

int rundir_make(int parentfd, const char *base, time_t when, char *name, size_t size)
{
	char stamp[32];
	struct tm tm;

	if (!localtime_r(&when, &tm) || !strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm))
		return -EINVAL;
	for (int i = 1; i <= RUNDIR_TRIES; i++) {
		int n = i == 1 ? snprintf(name, size, "%s-%s", base, stamp)
			       : snprintf(name, size, "%s-%s-%d", base, stamp, i);

		if (n < 0 || (size_t)n >= size)
			return -ENAMETOOLONG;
		if (mkdirat(parentfd, name, 0755) == 0)
			return 0;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

/* Open DIRFD's entries for reading; NULL with errno set. */
static DIR *open_entries(int dirfd)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (fd >= 0 && !d)
		close(fd);
	return d;
}

static bool is_dot(const char *name)
{
	return !strcmp(name, ".") || !strcmp(name, "..");
}

int rundir_is_empty(int dirfd)
{
	DIR *d = open_entries(dirfd);
	struct dirent *e;
	int ret = 1;

	if (!d)
		return -errno;
	while ((e = readdir(d)))
		if (!is_dot(e->d_name)) {
			ret = 0;
			break;
		}
	closedir(d);
	return ret;
}

static int clear_dir(int dirfd, bool (*keep)(const char *name, void *arg), void *arg, int depth);

/* Remove NAME in DIRFD: a file or link as it is, a directory with all
 * it holds (DEPTH bounds the recursion). */
static int remove_entry(int dirfd, const char *name, int depth)
{
	int fd, ret;

	if (unlinkat(dirfd, name, 0) == 0)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -errno;
	if (depth <= 0)
		return -ELOOP;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = clear_dir(fd, NULL, NULL, depth - 1);
	close(fd);
	if (!ret && unlinkat(dirfd, name, AT_REMOVEDIR))
		ret = -errno;
	return ret;
}

static int clear_dir(int dirfd, bool (*keep)(const char *name, void *arg), void *arg, int depth)
{
	DIR *d = open_entries(dirfd);
	struct dirent *e;
	int ret = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		int err;

		if (is_dot(e->d_name) || (keep && keep(e->d_name, arg)))
			continue;
		err = remove_entry(dirfd, e->d_name, depth);
		if (err && !ret)
			ret = err;
	}
	closedir(d);
	return ret;
}

int rundir_clear(int dirfd, bool (*keep)(const char *name, void *arg), void *arg)
{
	return clear_dir(dirfd, keep, arg, 64);
}

int rundir_link_latest(int parentfd, const char *name)
{
	char tmp[64];
	int ret = 0;

	snprintf(tmp, sizeof(tmp), ".%s.%d", RUNDIR_LATEST, (int)getpid());
	unlinkat(parentfd, tmp, 0);
	if (symlinkat(name, parentfd, tmp))
		return -errno;
	if (renameat(parentfd, tmp, parentfd, RUNDIR_LATEST)) {
		ret = -errno;
		unlinkat(parentfd, tmp, 0);
	}
	return ret;
}
