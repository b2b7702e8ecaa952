/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sysv.bpf.h - message queues (SysV msg* and POSIX mq_*), semaphores
 * (semget/semop/semtimedop/semctl) and shared memory (shmget/shmat/shmdt/
 * shmctl, mmap(MAP_SHARED) of a file or shm object, munmap).
 */
#ifndef IPCTRACE_SYSV_BPF_H
#define IPCTRACE_SYSV_BPF_H

#include "common.bpf.h"
#include "stat.bpf.h"

/* stat mode: a message sent or received, counted per queue. */
static __always_inline int stat_msg(struct call *c)
{
	struct pt_regs *regs = c->regs;
	bool send = c->nr == NR_msgsnd || c->nr == NR_mq_timedsend;
	struct ipct_stat_key key = { .kind = IPCT_KIND_MSGQ,
				     .dir = send ? IPCT_DIR_SEND : IPCT_DIR_RECV };
	__u64 bytes = 0;

	if (c->nr == NR_msgsnd || c->nr == NR_msgrcv) {
		key.obj = (int)SYSCALL_ARG(regs, 1);
	} else {
		struct inode *inode = fd_inode(c->task, SYSCALL_ARG(regs, 1));

		if (inode) {
			key.obj = inode->i_ino;
			key.dev = inode->i_sb->s_dev;
		}
	}
	if (c->ret >= 0)
		bytes = send ? SYSCALL_ARG(regs, 3) : c->ret;
	return stat_add(c, &key, bytes);
}

/* The arguments of a SysV msgget, msgsnd, msgrcv or msgctl into E; the
 * message text (DATA, AVAIL bytes of it) of a send or a receive. */
static __always_inline void sysv_msg_args(struct call *c, struct ipct_msg_event *e,
					  const void **data, __u64 *avail)
{
	struct pt_regs *regs = c->regs;
	__s64 ret = c->ret;

	switch (c->nr) {
	case NR_msgget:
		e->op = IPCT_MSG_GET;
		e->key = (int)SYSCALL_ARG(regs, 1);
		e->flags = SYSCALL_ARG(regs, 2);
		e->id = ret;
		break;
	case NR_msgsnd:
		e->op = IPCT_MSG_SEND;
		e->id = (int)SYSCALL_ARG(regs, 1);
		e->size = SYSCALL_ARG(regs, 3);
		e->flags = SYSCALL_ARG(regs, 4);
		bpf_probe_read_user(&e->mtype, sizeof(e->mtype), (void *)SYSCALL_ARG(regs, 2));
		*data = (const void *)SYSCALL_ARG(regs, 2) + sizeof(long);
		*avail = ret == 0 ? SYSCALL_ARG(regs, 3) : 0;
		break;
	case NR_msgrcv:
		e->op = IPCT_MSG_RECV;
		e->id = (int)SYSCALL_ARG(regs, 1);
		e->size = SYSCALL_ARG(regs, 3);
		e->mtype = SYSCALL_ARG(regs, 4);
		e->flags = SYSCALL_ARG(regs, 5);
		if (ret >= 0) {
			bpf_probe_read_user(&e->rtype, sizeof(e->rtype), (void *)SYSCALL_ARG(regs, 2));
			*data = (const void *)SYSCALL_ARG(regs, 2) + sizeof(long);
			*avail = ret;
		}
		break;
	case NR_msgctl:
		e->op = IPCT_MSG_CTL;
		e->id = (int)SYSCALL_ARG(regs, 1);
		e->cmd = SYSCALL_ARG(regs, 2);
		break;
	}
}

/* The same for POSIX mq_open, mq_unlink, mq_timedsend, mq_timedreceive;
 * the queue's inode, through its descriptor. */
static __always_inline void posix_mq_args(struct call *c, struct ipct_msg_event *e,
					  const void **data, __u64 *avail)
{
	struct pt_regs *regs = c->regs;
	__u32 nr = c->nr;
	__s64 ret = c->ret;
	struct inode *inode;

	e->queue_flags = IPCT_MSG_POSIX;
	if (nr == NR_mq_open || nr == NR_mq_unlink) {
		e->op = nr == NR_mq_open ? IPCT_MQ_OPEN : IPCT_MQ_UNLINK;
		bpf_probe_read_user_str(e->name, sizeof(e->name), (void *)SYSCALL_ARG(regs, 1));
		if (nr == NR_mq_open) {
			e->flags = SYSCALL_ARG(regs, 2);
			e->fd = ret;
		}
	} else {
		e->op = nr == NR_mq_timedsend ? IPCT_MSG_SEND : IPCT_MSG_RECV;
		e->fd = SYSCALL_ARG(regs, 1);
		e->size = SYSCALL_ARG(regs, 3);
		*data = (const void *)SYSCALL_ARG(regs, 2);
		if (nr == NR_mq_timedsend) {
			e->prio = SYSCALL_ARG(regs, 4);
			*avail = ret == 0 ? SYSCALL_ARG(regs, 3) : 0;
		} else if (ret >= 0) {
			if (SYSCALL_ARG(regs, 4))
				bpf_probe_read_user(&e->prio, sizeof(e->prio), (void *)SYSCALL_ARG(regs, 4));
			*avail = ret;
		}
	}
	if (e->fd >= 0 && (inode = fd_inode(c->task, e->fd))) {
		e->ino = inode->i_ino;
		e->dev = inode->i_sb->s_dev;
	}
}

static __noinline int handle_msg(struct call *c)
{
	__u32 nr = c->nr;
	struct ipct_msg_event *e;
	const void *data = NULL;
	__u64 avail = 0;
	__u32 n;

	if (stat_mode && (nr == NR_msgsnd || nr == NR_msgrcv ||
			  nr == NR_mq_timedsend || nr == NR_mq_timedreceive))
		return stat_msg(c);
	e = reserve_call(c, sizeof(*e), payload_bytes, IPCT_EV_MSG, IPCT_KIND_MSGQ);
	if (!e)
		return 0;
	e->id = -1;
	e->fd = -1;
	e->syscall = nr;
	e->kind = IPCT_KIND_MSGQ;
	if (nr == NR_mq_open || nr == NR_mq_unlink || nr == NR_mq_timedsend ||
	    nr == NR_mq_timedreceive)
		posix_mq_args(c, e, &data, &avail);
	else
		sysv_msg_args(c, e, &data, &avail);
	n = copy_payload(e->payload, data, avail);
	e->payload_len = n;
	e->hdr.size = padded_size(sizeof(*e), n);
	submit(e);
	return 0;
}

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CMD_MASK 0x7f

/* A futex op worth recording: a wait or wake on a process-shared word
 * (private futexes, every pthread mutex, are not IPC).  The sem op, or 0. */
static __always_inline __u8 futex_op_of(__u32 op)
{
	__u32 cmd = op & FUTEX_CMD_MASK;

	if (op & FUTEX_PRIVATE_FLAG)
		return 0;
	if (cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET)
		return IPCT_SEM_FUTEX_WAIT;
	if (cmd == FUTEX_WAKE || cmd == FUTEX_WAKE_BITSET)
		return IPCT_SEM_FUTEX_WAKE;
	return 0;
}

static __always_inline bool futex_followed(__u32 op)
{
	return futex_op_of(op) != 0;
}

/* stat mode: a semop counted per set, as a V (send: the first operation
 * adds) or a P (receive); a futex wake as a send, a wait as a receive,
 * per address (peer 1 tells it from a SysV set).  A P or a wait that
 * slept in the call counts apart, under dev 1. */
static __always_inline int stat_sem(struct call *c, __u8 futex_op)
{
	struct pt_regs *regs = c->regs;
	struct ipct_stat_key key = { .kind = IPCT_KIND_SEM };
	__s16 b[2] = {};

	if (c->nr == NR_futex) {
		key.obj = regs->di;
		key.peer = 1;
		key.dir = futex_op == IPCT_SEM_FUTEX_WAKE ? IPCT_DIR_SEND : IPCT_DIR_RECV;
	} else {
		key.obj = (int)regs->di;
		bpf_probe_read_user(b, sizeof(b), (const void *)regs->si);
		key.dir = b[1] > 0 ? IPCT_DIR_SEND : IPCT_DIR_RECV;
	}
	/* a P or a wait that slept: released by a V or a wake */
	if (key.dir == IPCT_DIR_RECV && c->ret == 0 && c->task->nvcsw != c->st->enter_nvcsw)
		key.dev = 1;
	return stat_add(c, &key, 0);
}

static __noinline int handle_sem(struct call *c)
{
	struct pt_regs *regs = c->regs;
	__u32 nr = c->nr;
	__s64 ret = c->ret;
	struct ipct_sem_event *e;
	__u8 futex_op = nr == NR_futex ? futex_op_of(SYSCALL_ARG(regs, 2)) : 0;

	if (stat_mode && (nr == NR_semop || nr == NR_semtimedop || nr == NR_futex))
		return stat_sem(c, futex_op);
	e = reserve_call(c, sizeof(*e), 0, IPCT_EV_SEM, IPCT_KIND_SEM);
	if (!e)
		return 0;
	e->syscall = nr;
	e->kind = IPCT_KIND_SEM;
	switch (nr) {
	case NR_semget:
		e->op = IPCT_SEM_GET;
		e->key = (int)SYSCALL_ARG(regs, 1);
		e->nsems = SYSCALL_ARG(regs, 2);
		e->cmd = SYSCALL_ARG(regs, 3);
		e->id = ret;
		break;
	case NR_semop:
	case NR_semtimedop: {
		const struct ipct_sembuf *uops = (const void *)SYSCALL_ARG(regs, 2);
		__u32 nsops = SYSCALL_ARG(regs, 3);

		e->op = IPCT_SEM_OP;
		e->id = (int)SYSCALL_ARG(regs, 1);
		e->nsops = nsops;
		/* struct sembuf is 6 bytes in user space: num, op, flags */
		for (int i = 0; i < IPCT_SEMOPS_MAX; i++) {
			__u16 b[3];

			if (i >= nsops)
				break;
			if (bpf_probe_read_user(b, sizeof(b), (const void *)uops + i * 6))
				break;
			e->ops[i].num = b[0];
			e->ops[i].op = b[1];
			e->ops[i].flags = b[2];
		}
		break;
	}
	case NR_semctl:
		e->op = IPCT_SEM_CTL;
		e->id = (int)SYSCALL_ARG(regs, 1);
		e->nsems = SYSCALL_ARG(regs, 2);
		e->cmd = SYSCALL_ARG(regs, 3);
		break;
	case NR_futex:
		e->op = futex_op;
		e->id = -1;
		e->key = SYSCALL_ARG(regs, 1);
		e->nsems = SYSCALL_ARG(regs, 3);
		e->cmd = SYSCALL_ARG(regs, 2);
		break;
	}
	submit(e);
	return 0;
}

/* bpf_find_vma's callback: the inode of the file the mapping maps. */
static long vma_inode(struct task_struct *task, struct vm_area_struct *vma, void *ctx)
{
	struct inode **inode = ctx;
	struct file *file = vma->vm_file;

	*inode = file ? file->f_inode : NULL;
	return 0;
}

/* The inode behind the mapping at ADDR of TASK (NULL if none). */
static __always_inline struct inode *mapping_inode(struct task_struct *task, __s64 addr)
{
	struct inode *inode = NULL;

	if (addr < 0 || bpf_find_vma(task, addr, vma_inode, &inode, 0))
		return NULL;
	return inode;
}

/* Keep the process's shared ranges (touch.bpf.h) after a successful
 * mmap (shared: handle_shm sees no other), shmat, munmap or shmdt. */
static __always_inline void shm_ranges(struct call *c)
{
	__u32 tgid = c->task->tgid;
	__u64 len = 0;

	if (c->ret < 0)
		return;
	switch (c->nr) {
	case NR_mmap:
		shared_range_add(tgid, c->ret, SYSCALL_ARG(c->regs, 2));
		break;
	case NR_shmat:
		if (!bpf_find_vma(c->task, c->ret, vma_length, &len, 0))
			shared_range_add(tgid, c->ret, len);
		break;
	case NR_munmap:
		shared_range_remove(tgid, SYSCALL_ARG(c->regs, 1), SYSCALL_ARG(c->regs, 2) ? : 1);
		break;
	case NR_shmdt:
		shared_range_remove(tgid, SYSCALL_ARG(c->regs, 1), 0);
		break;
	}
}

static __noinline int handle_shm(struct call *c)
{
	struct task_struct *task = c->task;
	struct pt_regs *regs = c->regs;
	__u32 nr = c->nr;
	__s64 ret = c->ret;
	struct ipct_shm_event *e;
	struct inode *inode = NULL;

	if (nr == NR_mmap) {
		/* sys_enter let only shared mappings through: of a descriptor,
		 * or anonymous ones, whose inode is the shmem file the kernel
		 * made for the new mapping */
		if (SYSCALL_ARG(regs, 4) & MAP_ANONYMOUS)
			inode = mapping_inode(task, ret);
		else
			inode = fd_inode(task, SYSCALL_ARG(regs, 5));
		if (!inode)
			return 0;
	}
	if (touches_on())
		shm_ranges(c);
	e = reserve_call(c, sizeof(*e), 0, IPCT_EV_SHM, IPCT_KIND_SHM);
	if (!e)
		return 0;
	e->id = -1;
	e->fd = -1;
	e->syscall = nr;
	e->kind = IPCT_KIND_SHM;
	switch (nr) {
	case NR_shmget:
		e->op = IPCT_SHM_GET;
		e->key = (int)SYSCALL_ARG(regs, 1);
		e->size = SYSCALL_ARG(regs, 2);
		e->flags = SYSCALL_ARG(regs, 3);
		e->id = ret;
		break;
	case NR_shmat:
		e->op = IPCT_SHM_AT;
		e->id = (int)SYSCALL_ARG(regs, 1);
		e->addr = ret;
		e->flags = SYSCALL_ARG(regs, 3);
		break;
	case NR_shmdt:
		e->op = IPCT_SHM_DT;
		e->addr = SYSCALL_ARG(regs, 1);
		break;
	case NR_shmctl:
		e->op = IPCT_SHM_CTL;
		e->id = (int)SYSCALL_ARG(regs, 1);
		e->cmd = SYSCALL_ARG(regs, 2);
		break;
	case NR_mmap:
		e->op = IPCT_SHM_MMAP;
		e->addr = ret;
		e->size = SYSCALL_ARG(regs, 2);
		e->flags = ((__u32)SYSCALL_ARG(regs, 3) << 16) | (SYSCALL_ARG(regs, 4) & 0xffff);
		e->fd = SYSCALL_ARG(regs, 4) & MAP_ANONYMOUS ? -1 : (int)SYSCALL_ARG(regs, 5);
		e->ino = inode->i_ino;
		e->dev = inode->i_sb->s_dev;
		e->generation = inode->i_generation;
		break;
	case NR_munmap:
		e->op = IPCT_SHM_MUNMAP;
		e->addr = SYSCALL_ARG(regs, 1);
		e->size = SYSCALL_ARG(regs, 2);
		break;
	}
	submit(e);
	return 0;
}

#endif
