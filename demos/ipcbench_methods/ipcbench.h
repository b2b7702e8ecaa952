/*
 * ipcbench_methods/ipcbench.h - what the ipcbench driver (demos/ipcbench.c) and its
 * methods (demos/ipcbench_methods/methods.c) share: the channel, the method table and
 * the flags the driver's signal handlers set.
 */
#ifndef IPCBENCH_H
#define IPCBENCH_H

#include <mqueue.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define KiB 1024UL
#define MiB (1024UL * 1024UL)

/* ---- the channel: one struct for all methods, each uses its part ---- */

struct fsem {                   /* a counting semaphore on a futex word */
	_Atomic int count;
	_Atomic int waiters;
};

struct shm_header {             /* start of the shared region */
	sem_t full[2], empty[2];    /* shm_sem: per direction */
	struct fsem ffull[2], fempty[2];    /* shm_futex: per direction */
};

struct channel {
	size_t max;                 /* largest message this cell sends */
	int fd[2][2];               /* [direction][0 = read end, 1 = write end] */
	int msqid;                  /* sysv_msgq */
	struct { long mtype; char data[]; } *msg;  /* sysv_msgq buffer */
	mqd_t mq[2];                /* posix_mq, one queue per direction */
	struct shm_header *shm;     /* shm_sem, shm_futex */
	size_t shm_len;
	char *shm_data[2];
	pid_t peer;                 /* signal: the other process */
	int file_fd;                /* file */
	uint64_t sent[2], got[2];   /* file: messages per direction so far */
};

struct method {
	const char *name;
	size_t (*limit)(void);      /* largest message it can carry */
	int (*setup)(struct channel *ch);   /* before fork: 0 or -errno */
	int (*send)(struct channel *ch, int dir, const char *buf, size_t len);
	int (*recv)(struct channel *ch, int dir, char *buf, size_t len);
	void (*teardown)(struct channel *ch);
	int credits;                /* receiver must pace the sender (UDP drops) */
};

extern const struct method ipc_methods[];
extern const size_t ipc_nmethods;

/* Set by the driver's SIGCHLD/SIGALRM handler: a blocked wait gives up. */
extern volatile sig_atomic_t ipc_stop;

/* Fill ch with "nothing open" for messages of up to max bytes. */
void channel_init(struct channel *ch, size_t max);
/* Undo m->setup(): close, unmap, remove. */
void channel_release(const struct method *m, struct channel *ch);
/* Remove every named object still alive; async-signal-safe. */
void ipc_emergency_cleanup(void);

#endif
