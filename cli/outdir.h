/*
 * outdir - the output directory of a recording: found without following
 * links others control, checked on its fd, written as the invoking user,
 * each file created under a fresh temporary name and renamed into place.
 * docs/security.md gives the rules.  Functions return 0, an fd, or -errno.
 */
#ifndef IPCTRACE_CLI_OUTDIR_H
#define IPCTRACE_CLI_OUTDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define OUT_USER_MAX_GROUPS 64
#define OUTDIR_TMP_LEN 64

/* Who the outputs are for: the user behind sudo, or root itself. */
struct out_user {
	uid_t uid;
	gid_t gid;
	gid_t groups[OUT_USER_MAX_GROUPS];  /* supplementary groups, gid first */
	int ngroups;
};

int out_user_init(struct out_user *u, uid_t uid, gid_t gid);
/* Take on U's file system identity (fsuid, fsgid, groups) for what
 * follows, keeping root for the rest; out_user_leave() gives it back. */
int out_user_enter(const struct out_user *u);
void out_user_leave(const struct out_user *u);
/* Become U for good (all ids, groups); root can no longer be regained. */
int out_user_drop(const struct out_user *u);

/* Open the directory PATH, creating missing components.  A symbolic link
 * among its leading components is followed only when FOLLOW_LINKS and it is
 * trusted; the directory itself must belong to U or root and be writable by
 * nobody else (sticky excepted).  An fd or -errno; WHY (LEN bytes) says
 * what was refused when it is not empty. */
int outdir_open(const char *path, const struct out_user *u, bool follow_links,
		char *why, size_t len);
/* Create a new file for NAME in DIRFD under a fresh name written to TMP
 * (O_RDWR|O_CREAT|O_EXCL|O_NOFOLLOW, mode 0644 less the umask).  An fd or
 * -errno. */
int outdir_create_file(int dirfd, const char *name, char tmp[OUTDIR_TMP_LEN]);
/* Rename TMP to NAME in DIRFD, replacing what NAME was (never following it). */
int outdir_commit_file(int dirfd, const char *tmp, const char *name);

#endif
