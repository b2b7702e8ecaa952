/*
 * outdir - the output directory of a recording, opened and written so that
 * nobody else can steer where root writes (docs/security.md).
 *
 * The directory is found by walking its path one component at a time with
 * openat(O_DIRECTORY|O_NOFOLLOW), creating what is missing with mkdirat.
 * A symbolic link on the way is followed only when it and the directory
 * holding it are trusted (owned by root or the user, not writable by
 * others); the last component is never a link.  The directory reached is
 * checked on its fd.  Files in it are created O_CREAT|O_EXCL|O_NOFOLLOW
 * under a temporary name and renamed into place, so a name planted there
 * is replaced, never followed, and a stopped run leaves no partial file.
 *
 * All of this runs with the invoking user's file system identity
 * (out_user_enter), so what is created belongs to the user and the kernel
 * checks the user's rights, not root's.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include "outdir.h"

#define MAX_LINK_DEPTH 8     /* links followed within links */
#define MAX_GROUPS 256

static gid_t saved_groups[MAX_GROUPS];   /* root's, while the user's are on */
static int nsaved_groups = -1;

int out_user_init(struct out_user *u, uid_t uid, gid_t gid)
{
	struct passwd *pw = getpwuid(uid);

	memset(u, 0, sizeof(*u));
	u->uid = uid;
	u->gid = gid;
	u->ngroups = 1;
	u->groups[0] = gid;
	if (pw && uid != 0) {
		int n = OUT_USER_MAX_GROUPS;

		if (getgrouplist(pw->pw_name, gid, u->groups, &n) < 0)
			n = OUT_USER_MAX_GROUPS;	/* the first ones: a subset grants less */
		u->ngroups = n;
	}
	return 0;
}

/* Nothing to switch: the user is root itself. */
static bool is_root(const struct out_user *u)
{
	return u->uid == 0;
}

int out_user_enter(const struct out_user *u)
{
	if (is_root(u))
		return 0;
	if (nsaved_groups < 0) {
		nsaved_groups = getgroups(MAX_GROUPS, saved_groups);
		if (nsaved_groups < 0)
			return -errno;
	}
	if (setgroups(u->ngroups, u->groups))
		return -errno;
	setfsgid(u->gid);
	setfsuid(u->uid);
	/* setfsuid() reports no error: ask back. */
	if ((uid_t)setfsuid(-1) != u->uid || (gid_t)setfsgid(-1) != u->gid)
		return -EPERM;
	return 0;
}

void out_user_leave(const struct out_user *u)
{
	if (is_root(u))
		return;
	setfsuid(0);
	setfsgid(0);
	if (nsaved_groups >= 0 && setgroups(nsaved_groups, saved_groups))
		return;	/* keeps the user's groups: less, not more */
}

int out_user_drop(const struct out_user *u)
{
	if (is_root(u))
		return 0;
	if (setgroups(u->ngroups, u->groups) || setresgid(u->gid, u->gid, u->gid) ||
	    setresuid(u->uid, u->uid, u->uid))
		return -errno;
	if (getuid() != u->uid || geteuid() != u->uid || setuid(0) == 0)
		return -EPERM;
	return 0;
}

static bool trusted_owner(const struct out_user *u, uid_t owner)
{
	return owner == 0 || owner == u->uid;
}

/* May others than root and the user add, remove or rename entries of the
 * directory ST?  A sticky directory lets them add their own entries only. */
static bool others_can_change(const struct out_user *u, const struct stat *st)
{
	if (st->st_mode & S_ISVTX)
		return false;
	if (st->st_mode & S_IWOTH)
		return true;
	return (st->st_mode & S_IWGRP) && st->st_gid != 0 && st->st_gid != u->gid;
}

static void explain(char *why, size_t len, const char *fmt, const char *name)
{
	if (why)
		snprintf(why, len, fmt, name);
}

/* Open (or create when CREATE) NAME in the directory DIRFD, not following
 * a link; a trusted link is followed when FOLLOW.  The new fd or -errno. */
static int walk(int dirfd, const char *path, const struct out_user *u, bool create,
		bool follow, int depth, char *why, size_t len);

static int step(int dirfd, const char *name, bool last, const struct out_user *u,
		bool create, bool follow, int depth, char *why, size_t len)
{
	struct stat dst, lst;
	char target[PATH_MAX];
	ssize_t n;
	int fd, err;

	for (int tries = 0; tries < 2; tries++) {
		fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0)
			return fd;
		if (errno != ENOENT || !create)
			break;
		if (mkdirat(dirfd, name, 0755) && errno != EEXIST)
			return -errno;
	}
	err = -errno;
	if (err != -ELOOP && err != -ENOTDIR)
		return err;
	if (fstatat(dirfd, name, &lst, AT_SYMLINK_NOFOLLOW) || !S_ISLNK(lst.st_mode))
		return err;
	/* A symbolic link. */
	if (last || !follow) {
		explain(why, len, "'%s' is a symbolic link", name);
		return -ELOOP;
	}
	if (depth >= MAX_LINK_DEPTH)
		return -ELOOP;
	if (fstat(dirfd, &dst))
		return -errno;
	if (!trusted_owner(u, lst.st_uid) || others_can_change(u, &dst)) {
		explain(why, len, "'%s' is a symbolic link that others could change", name);
		return -ELOOP;
	}
	n = readlinkat(dirfd, name, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = 0;
	if (target[0] == '/') {
		int root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (root < 0)
			return -errno;
		fd = walk(root, target, u, false, true, depth + 1, why, len);
		close(root);
		return fd;
	}
	return walk(dirfd, target, u, false, true, depth + 1, why, len);
}

static int walk(int dirfd, const char *path, const struct out_user *u, bool create,
		bool follow, int depth, char *why, size_t len)
{
	char name[NAME_MAX + 1];
	const char *p = path;
	int cur = dup(dirfd);

	if (cur < 0)
		return -errno;
	while (*p) {
		const char *end = strchrnul(p, '/');
		const char *next = end;
		size_t n = end - p;
		int fd;

		while (*next == '/')
			next++;
		if (n == 0 || (n == 1 && p[0] == '.')) {
			p = next;
			continue;
		}
		if (n > NAME_MAX) {
			close(cur);
			return -ENAMETOOLONG;
		}
		memcpy(name, p, n);
		name[n] = 0;
		fd = step(cur, name, !*next && depth == 0, u, create, follow, depth, why, len);
		close(cur);
		if (fd < 0)
			return fd;
		cur = fd;
		p = next;
	}
	return cur;
}

int outdir_open(const char *path, const struct out_user *u, bool follow_links,
		char *why, size_t len)
{
	struct stat st;
	int start, fd;

	if (why && len)
		why[0] = 0;
	if (!*path)
		return -ENOENT;
	start = open(path[0] == '/' ? "/" : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (start < 0)
		return -errno;
	fd = walk(start, path, u, true, follow_links, 0, why, len);
	close(start);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st)) {
		int err = -errno;

		close(fd);
		return err;
	}
	if (!trusted_owner(u, st.st_uid)) {
		if (why)
			snprintf(why, len, "it belongs to user %u", (unsigned)st.st_uid);
		close(fd);
		return -EPERM;
	}
	if (others_can_change(u, &st)) {
		if (why)
			snprintf(why, len, "others can write to it (mode %04o)",
				 (unsigned)(st.st_mode & 07777));
		close(fd);
		return -EPERM;
	}
	return fd;
}

int outdir_create_file(int dirfd, const char *name, char tmp[OUTDIR_TMP_LEN])
{
	for (int tries = 0; tries < 16; tries++) {
		uint32_t r;
		int fd;

		if (getrandom(&r, sizeof(r), 0) != sizeof(r))
			r = (uint32_t)rand();
		snprintf(tmp, OUTDIR_TMP_LEN, ".%.40s.%08x.tmp", name, r);
		fd = openat(dirfd, tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0 || errno != EEXIST)
			return fd < 0 ? -errno : fd;
	}
	return -EEXIST;
}

int outdir_commit_file(int dirfd, const char *tmp, const char *name)
{
	return renameat(dirfd, tmp, dirfd, name) ? -errno : 0;
}
