/*
 * model_shm - shared memory: objects and attachment spans (model.h).
 *
 *   shm:ID         a SysV segment (name from shmget's key, size from shmget)
 *   shm:DEV:INO    a MAP_SHARED mapping of a file or shm_open object
 *                  (name = the path it was opened by), or a shared
 *                  anonymous one (MAP_SHARED|MAP_ANONYMOUS: the kernel's
 *                  shmem inode of the mapping; name "anonymous, mapped
 *                  by PID"), which children share from their fork on
 *
 * A span starts at shmat/mmap and ends at shmdt (same address), munmap
 * (covering the address), exec, exit, or the end of the trace.  fork()
 * keeps mappings, so a child inherits its parent's open spans from the
 * fork on (marked `inherited`) and becomes a user of the object.  Stores
 * into shared memory are not system calls: there are no transfers, only
 * who had the memory mapped when.
 */
#include <stdio.h>
#include "model_build.h"
#include "search.h"

#define MAP_ANONYMOUS_FLAG 0x20   /* mmap flags (x86_64), in the low 16 bits */

/* Start a span of PID on OBJECT. */
static int attach(struct builder *b, uint32_t object, uint32_t pid, uint64_t ts,
		  uint64_t addr, uint64_t size, bool inherited, bool writable)
{
	struct viz_model *m = b->m;

	if (model_grow((void **)&m->attachments, &b->cap_attachments,
		       m->nattachments + 1, sizeof(*m->attachments)))
		return -ENOMEM;
	m->attachments[m->nattachments++] = (struct viz_attachment){
		.object = object, .pid = pid, .start_ns = ts, .end_ns = ts,
		.addr = addr, .size = size, .inherited = inherited, .open = true,
		.writable = writable,
	};
	return model_object_user_add(b, object, pid);
}

/* End PID's open spans with address in [ADDR, ADDR + LEN) (LEN 0: ADDR only). */
static void detach(struct builder *b, uint32_t pid, uint64_t addr, uint64_t len,
		   uint64_t ts)
{
	struct viz_model *m = b->m;

	for (size_t i = 0; i < m->nattachments; i++) {
		struct viz_attachment *a = &m->attachments[i];
		if (!a->open || a->pid != pid)
			continue;
		if (len ? (a->addr >= addr && a->addr - addr < len) : a->addr == addr) {
			a->open = false;
			a->end_ns = ts;
		}
	}
}

int model_on_shm(struct builder *b, const struct ipct_shm_event *ev)
{
	struct viz_model *m = b->m;
	uint64_t ts = model_relative(m, ev->hdr.ts_ns);
	long p = model_process_get(b, ev->hdr.pid), o = -1;
	int64_t id = ev->op == IPCT_SHM_GET ? ev->ret : ev->id;
	char buf[48];

	if (p < 0)
		return p;
	if (ev->ret < 0)
		return 0;
	switch (ev->op) {
	case IPCT_SHM_DT:
		detach(b, ev->hdr.pid, ev->addr, 0, ts);
		return 0;
	case IPCT_SHM_MUNMAP:
		detach(b, ev->hdr.pid, ev->addr, ev->size ? ev->size : 1, ts);
		return 0;
	case IPCT_SHM_MMAP:
		if (!ev->ino)
			return 0;
		uint32_t inc;
		int err = model_inode_seen(b, ev->dev, ev->ino, ev->generation, false, &inc);
		if (err)
			return err;
		if (ev->flags & MAP_ANONYMOUS_FLAG) {
			/* the name of the mapping and of futexes in it */
			snprintf(buf, sizeof(buf), "anonymous, mapped by %u", ev->hdr.pid);
			err = model_name_hint(&b->paths, &b->npaths, &b->cap_paths, ev->dev,
					      ev->ino, inc, buf, sizeof(buf));
			if (err)
				return err;
		}
		o = model_object_get_inode(b, IPCT_KIND_SHM, ev->dev, ev->ino);
		break;
	case IPCT_SHM_GET:
	case IPCT_SHM_AT:
	case IPCT_SHM_CTL:
		if (id < 0)
			return 0;
		snprintf(buf, sizeof(buf), "shm:%lld", (long long)id);
		o = model_object_get(b, IPCT_KIND_SHM, buf, 0, (uint64_t)id);
		break;
	default:
		return 0;
	}
	if (o < 0)
		return o;
	struct viz_object *obj = &m->objects[o];
	if (ev->op == IPCT_SHM_GET) {
		if (!obj->name[0])
			snprintf(obj->name, sizeof(obj->name), ev->key ? "key 0x%llx" : "private",
				 (unsigned long long)(uint32_t)ev->key);
		if (ev->size)
			obj->size = ev->size;
	}
	if (ev->op == IPCT_SHM_AT || ev->op == IPCT_SHM_MMAP) {
		uint64_t size = ev->size ? ev->size : obj->size;
		if (!obj->size && ev->op == IPCT_SHM_MMAP)
			obj->size = size;
		/* mmap: flags hold prot << 16; shmat: SHM_RDONLY (010000) */
		bool writable = ev->op == IPCT_SHM_MMAP ? (ev->flags >> 16) & 2 /* PROT_WRITE */ :
				!(ev->flags & 010000);
		return attach(b, o, ev->hdr.pid, ts, ev->addr, size, false, writable);
	}
	return model_object_user_add(b, o, ev->hdr.pid);
}

const struct viz_attachment *model_shm_find(const struct builder *b, uint32_t pid, uint64_t addr)
{
	const struct viz_model *m = b->m;

	for (size_t i = m->nattachments; i-- > 0;) {
		const struct viz_attachment *a = &m->attachments[i];

		if (a->open && a->pid == pid && addr >= a->addr && addr - a->addr < a->size)
			return a;
	}
	return NULL;
}

int model_shm_fork(struct builder *b, uint32_t parent, uint32_t child, uint64_t ts)
{
	size_t n = b->m->nattachments;

	for (size_t i = 0; i < n; i++) {
		struct viz_attachment a = b->m->attachments[i];
		if (!a.open || a.pid != parent)
			continue;
		int err = attach(b, a.object, child, ts, a.addr, a.size, true, a.writable);
		if (err)
			return err;
	}
	return 0;
}

void model_shm_end(struct builder *b, uint32_t pid, uint64_t ts)
{
	struct viz_model *m = b->m;

	for (size_t i = 0; i < m->nattachments; i++) {
		struct viz_attachment *a = &m->attachments[i];
		if (a->open && a->pid == pid) {
			a->open = false;
			a->end_ns = ts;
		}
	}
}

static int cmp_attachment(const void *x, const void *y)
{
	const struct viz_attachment *a = x, *b = y;

	return VIZ_ORDER(a->object, b->object) ?: VIZ_ORDER(a->pid, b->pid) ?:
	       VIZ_ORDER(a->start_ns, b->start_ns) ?: VIZ_ORDER(a->addr, b->addr);
}

void model_shm_finish(struct builder *b)
{
	struct viz_model *m = b->m;

	for (size_t i = 0; i < m->nattachments; i++) {
		struct viz_attachment *a = &m->attachments[i];
		if (!a->open)
			continue;
		long p = model_process_find(b, a->pid);
		a->end_ns = p >= 0 && m->processes[p].exited ? m->processes[p].end_ns :
			    m->duration_ns;
		if (a->end_ns < a->start_ns)
			a->end_ns = a->start_ns;
		a->open = false;
	}
	if (m->nattachments)
		qsort(m->attachments, m->nattachments, sizeof(*m->attachments),
		      cmp_attachment);
}
