/*
 * shm_write - the writing half of the classic System V shared-memory pair.
 *
 *   demos/classic/shm_write [-k KEY] TEXT
 *   demos/classic/shm_read [-k KEY]             (afterwards)
 *
 * The two programs meet at a shared KEY (default 0x5678).  shm_write gets a
 * 4096-byte segment with that key (shmget, IPC_CREAT: create it if there is
 * none), attaches it to its address space (shmat), copies TEXT into it - a
 * length, then the bytes - and detaches (shmdt).  The segment and the text
 * stay in the kernel after shm_write exits; shm_read prints them and
 * removes the segment.
 */
#include "demos/demo_common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#define SEGMENT_SIZE 4096

/* The layout both programs agree on. */
struct shared_text {
	uint32_t length;
	char text[SEGMENT_SIZE - sizeof(uint32_t)];
};

int main(int argc, char **argv)
{
	uint64_t key = 0x5678;
	struct shared_text *shared;
	const char *text;
	size_t len;
	int shmid;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: shm_write [-k KEY] TEXT\n");
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "-k")) {
		if (demo_parse_u64(argv[2], &key) || key == 0 || key > INT32_MAX) {
			fprintf(stderr, "error: bad key '%s': want a number from 1 to %d\n",
				argv[2], INT32_MAX);
			fprintf(stderr, "usage: shm_write [-k KEY] TEXT\n");
			return 2;
		}
	} else if (argc != 2) {
		fprintf(stderr, "usage: shm_write [-k KEY] TEXT\n");
		return 2;
	}
	text = argv[argc - 1];
	len = strlen(text);
	if (len > sizeof(shared->text)) {
		fprintf(stderr, "error: text longer than %zu bytes\n", sizeof(shared->text));
		return 1;
	}

	shmid = shmget((key_t)key, SEGMENT_SIZE, IPC_CREAT | 0600);
	if (shmid < 0) {
		fprintf(stderr, "error: cannot get shared memory %llu: %s\n",
			(unsigned long long)key, strerror(errno));
		return 1;
	}
	shared = shmat(shmid, NULL, 0);	/* any address, read-write */
	if (shared == (void *)-1) {
		fprintf(stderr, "error: cannot attach shared memory: %s\n", strerror(errno));
		return 1;
	}
	memcpy(shared->text, text, len);	/* plain memory: no system call */
	shared->length = (uint32_t)len;
	shmdt(shared);
	printf("shm_write: wrote '%s' (%zu bytes) to segment %d\n", text, len, shmid);
	return 0;
}
