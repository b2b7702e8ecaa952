/*
 * model_fds - the descriptors a process had open when tracing began
 * (IPCT_EV_FD): they name the objects they lead to, as an open would.  A
 * file or FIFO gets its path; a unix socket its bound address.  Nothing is
 * created: an object nobody used in the trace stays out of the model.
 */
#include "model_build.h"

int model_on_fd(struct builder *b, const struct ipct_fd_event *ev)
{
	size_t len = ev->path_len < sizeof(ev->path) ? ev->path_len : sizeof(ev->path);
	uint32_t inc;
	int err;

	if (ev->kind == IPCT_KIND_UNIX && (err = model_unix_own(b, ev->ino)))
		return err;
	if (!ev->ino || !len)
		return 0;
	switch (ev->kind) {
	case IPCT_KIND_FILE:
	case IPCT_KIND_FIFO:
		err = model_inode_seen(b, ev->dev, ev->ino, ev->generation, false, &inc);
		if (err)
			return err;
		return model_name_hint(&b->paths, &b->npaths, &b->cap_paths, ev->dev, ev->ino, inc,
				       ev->path, len);
	case IPCT_KIND_UNIX:
		return model_name_hint(&b->sock_paths, &b->nsock_paths, &b->cap_sock_paths, 0,
				       ev->ino, 0, ev->path, len);
	default:
		return 0;
	}
}
