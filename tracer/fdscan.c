/*
 * fdscan - see fdscan.h.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include "ipctrace.skel.h"
#include "bpf/events.h"
#include "fdscan.h"

int fdscan_run(struct ipctrace_bpf *skel, pid_t pid, bool skip_cloexec)
{
	DECLARE_LIBBPF_OPTS(bpf_iter_attach_opts, opts);
	union bpf_iter_link_info info;
	struct bpf_link *link;
	char buf[64];
	ssize_t n;
	int fd, ret = 0;

	memset(&info, 0, sizeof(info));
	info.task.pid = pid;
	opts.link_info = &info;
	opts.link_info_len = sizeof(info);
	skel->bss->fds_skip_cloexec = skip_cloexec;
	skel->bss->fds_left = IPCT_FDS_MAX;
	link = bpf_program__attach_iter(skel->progs.ipct_open_fds, &opts);
	if (!link)
		return -errno;
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	/* Reading runs the iterator; it writes into the ring buffer, not here. */
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	if (n < 0)
		ret = -errno;
	close(fd);
out:
	bpf_link__destroy(link);
	return ret;
}
