/*
 * shm_read - the reading half of the classic System V shared-memory pair.
 *
 *   demos/classic/shm_read [-k KEY]
 *
 * Finds the segment shm_write left under KEY (default 0x5678; shmget
 * without IPC_CREAT fails if there is none), attaches it read-only
 * (SHM_RDONLY), prints the text with its byte count, detaches, and removes
 * the segment (shmctl IPC_RMID) - without that it would stay until reboot.
 */
#include "demos/demo_common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#define SEGMENT_SIZE 4096

struct shared_text {
	uint32_t length;
	char text[SEGMENT_SIZE - sizeof(uint32_t)];
};

int main(int argc, char **argv)
{
	uint64_t key = 0x5678;
	const struct shared_text *shared;
	uint32_t len;
	int shmid, status = 0;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: shm_read [-k KEY]\n");
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "-k")) {
		if (demo_parse_u64(argv[2], &key) || key == 0 || key > INT32_MAX) {
			fprintf(stderr, "error: bad key '%s': want a number from 1 to %d\n",
				argv[2], INT32_MAX);
			fprintf(stderr, "usage: shm_read [-k KEY]\n");
			return 2;
		}
	} else if (argc != 1) {
		fprintf(stderr, "usage: shm_read [-k KEY]\n");
		return 2;
	}

	shmid = shmget((key_t)key, 0, 0);	/* size 0: use the existing size */
	if (shmid < 0) {
		fprintf(stderr, "error: no shared memory with key %llu: %s\n",
			(unsigned long long)key, strerror(errno));
		return 1;
	}
	shared = shmat(shmid, NULL, SHM_RDONLY);
	if (shared == (void *)-1) {
		fprintf(stderr, "error: cannot attach shared memory: %s\n", strerror(errno));
		return 1;
	}
	len = shared->length;
	if (len > sizeof(shared->text)) {
		fprintf(stderr, "error: corrupt segment (length %u)\n", len);
		status = 1;
	} else {
		printf("shm_read: read '%.*s' (%u bytes) from segment %d\n", (int)len,
		       shared->text, len, shmid);
	}
	shmdt(shared);
	if (shmctl(shmid, IPC_RMID, NULL) < 0) {
		fprintf(stderr, "error: cannot remove shared memory: %s\n", strerror(errno));
		status = 1;
	}
	return status;
}
