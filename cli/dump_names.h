/*
 * dump_names - what `trace dump` knows of each object as it reads a trace
 * in order: the path a file or FIFO was opened by, the name a POSIX queue
 * was opened by, keyed by (dev, ino).  Bounded: past DUMP_NAMES_MAX
 * objects the older names stay and newer ones are not kept.
 */
#ifndef IPCTRACE_CLI_DUMP_NAMES_H
#define IPCTRACE_CLI_DUMP_NAMES_H

#include <stddef.h>
#include <stdint.h>

#define DUMP_NAMES_MAX 65536

struct dump_names {
	struct dump_name *slots;  /* open addressing, 2 * DUMP_NAMES_MAX at most */
	size_t nslots, used;
};

void dump_names_init(struct dump_names *n);
void dump_names_release(struct dump_names *n);
/* Remember NAME (LEN bytes) for (DEV, INO), replacing an older one.
 * 0 or -ENOMEM (then the name is not kept). */
int dump_names_set(struct dump_names *n, uint32_t dev, uint64_t ino, const char *name, size_t len);
/* The name of (DEV, INO), NUL-terminated, or NULL. */
const char *dump_names_get(const struct dump_names *n, uint32_t dev, uint64_t ino);

#endif
