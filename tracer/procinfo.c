/*
 * procinfo - see procinfo.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "procinfo.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif
#define PF_KTHREAD 0x00200000u  /* include/linux/sched.h */

int proc_read_info(pid_t pid, struct proc_info *info)
{
	char path[64], buf[1024];
	char *open_paren, *close_paren;
	unsigned long flags = 0;
	size_t len;
	int ppid = 0;
	FILE *f;

	memset(info, 0, sizeof(*info));
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -ESRCH;	/* it ended between open and read */
	}
	fclose(f);
	/* "pid (comm) state ppid pgrp session tty_nr tpgid flags ..."; comm
	 * may hold anything, so the last ')' ends it. */
	open_paren = strchr(buf, '(');
	close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren || close_paren < open_paren)
		return -EINVAL;
	len = close_paren - open_paren - 1;
	if (len >= IPCT_COMM_LEN)
		len = IPCT_COMM_LEN - 1;
	memcpy(info->comm, open_paren + 1, len);
	if (sscanf(close_paren + 1, " %*c %d %*d %*d %*d %*d %lu", &ppid, &flags) != 2)
		return -EINVAL;
	info->ppid = ppid;
	info->kernel_thread = flags & PF_KTHREAD;
	return 0;
}

int proc_for_each_thread(pid_t pid, int (*fn)(int pidfd, pid_t tid, void *arg), void *arg)
{
	char path[64];
	struct dirent *d;
	int count = 0, ret = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		pid_t tid = atoi(d->d_name);
		int fd;

		if (tid <= 0)
			continue;
		fd = syscall(SYS_pidfd_open, tid, tid == pid ? 0 : PIDFD_THREAD);
		if (fd < 0)
			continue;	/* the thread is gone */
		ret = fn(fd, tid, arg);
		close(fd);
		if (ret)
			break;
		count++;
	}
	closedir(dir);
	return ret ? ret : count;
}
