/*
 * rundir - the directories of recordings: one new directory per run under
 * ipctrace-out/ (<cmd>-<YYYYmmdd-HHMMSS>, with -2, -3... when that name is
 * taken), the ipctrace-out/latest link to the last one, and the contents
 * of an -o DIR that --force replaces.  Everything is done relative to
 * directory fds, never following a link.  0 or -errno.
 */
#ifndef IPCTRACE_CLI_RUNDIR_H
#define IPCTRACE_CLI_RUNDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define RUNDIR_PARENT "ipctrace-out"
#define RUNDIR_LATEST "latest"

/* Make a new directory in PARENTFD named BASE-<YYYYmmdd-HHMMSS of WHEN>,
 * or that with -2, -3... appended if the name is taken; its name goes
 * into NAME (SIZE bytes). */
int rundir_make(int parentfd, const char *base, time_t when, char *name, size_t size);
/* 1 when the directory DIRFD holds nothing, 0 when it holds something. */
int rundir_is_empty(int dirfd);
/* Remove every entry of DIRFD (directories with their contents) except
 * those KEEP says to keep. */
int rundir_clear(int dirfd, bool (*keep)(const char *name, void *arg), void *arg);
/* Point PARENTFD/latest at NAME, replacing the old link in one step. */
int rundir_link_latest(int parentfd, const char *name);

#endif
