/*
 * model_ipc - the events of message queues, semaphores, signals and opens,
 * turned into objects, users and operations (see model.h, model_build.h).
 *
 * Objects made here (docs/report-json.md lists every id):
 *   msgq:ID        SysV queue (name "key 0x..." or "private" from msgget)
 *   msgq:DEV:INO   POSIX queue (name from mq_open)
 *   sem:ID         SysV semaphore set (name from semget's key)
 *   signal:PID     every signal sent to process PID, whoever sent it
 * Opens name the (dev, ino) objects (fifo, file, shm) once all events are
 * read: model_apply_names().
 *
 * Signals: SEND (the kill-like call, with its duration) and GENERATE (the
 * kernel queueing it) are send-side ops, DELIVER the receive side; only
 * GENERATE/DELIVER are matched (match_sync.c).  A GENERATE the kernel made
 * on its own (viz_signal_cause_of(): SI_KERNEL, timers, faults, SIGPIPE,
 * SIGCHLD...) is dropped when it was ignored (a parent that never asked
 * for SIGCHLD did not communicate) or is for a process outside the trace
 * (the root's SIGCHLD to the tracer).  The generator is 0 (the kernel) for
 * those, but SIGCHLD, which is the child's; else the acting task when it
 * is a traced process, else si_pid.  A signal a process sent to a target
 * that ignores it gets the target's receipt (a DELIVER with ret
 * IGNORED), since the kernel drops it before signal_deliver.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "model_build.h"
#include "stream.h"
#include "search.h"

#define SIGNAL_RESULT_DELIVERED 0   /* TRACE_SIGNAL_DELIVERED */
#define SIGNAL_RESULT_IGNORED 1     /* TRACE_SIGNAL_IGNORED */
#define SIGNAL_RESULT_LOSE_INFO 4   /* TRACE_SIGNAL_LOSE_INFO: queued without siginfo */

/* Name for a SysV key: "private" for IPC_PRIVATE, else "key 0x...". */
static void key_name(struct viz_object *o, int64_t key)
{
	if (o->name[0])
		return;
	if (key == 0)
		snprintf(o->name, sizeof(o->name), "private");
	else
		snprintf(o->name, sizeof(o->name), "key 0x%llx",
			 (unsigned long long)(uint32_t)key);
}

/* Object "KIND:ID" for a SysV id. */
static long sysv_object(struct builder *b, enum ipct_kind kind, int64_t id)
{
	struct object_memo key = { .ino = (uint64_t)id, .kind = kind, .form = MEMO_SYSV };

	return model_object_memo(b, &key, "%s:%lld", viz_kind_name(kind),
				 (long long)id);
}

int model_on_open(struct builder *b, const struct ipct_open_event *ev)
{
	long p = model_process_get(b, ev->hdr.pid);

	if (p < 0)
		return p;
	uint32_t inc;
	int err;

	if (ev->ret < 0 || !ev->ino)
		return 0;
	err = model_inode_seen(b, ev->dev, ev->ino, ev->generation,
			       ev->created & IPCT_OPEN_CREATED, &inc);
	if (err)
		return err;
	return model_name_hint(&b->paths, &b->npaths, &b->cap_paths, ev->dev,
			       ev->ino, inc, ev->path, sizeof(ev->path));
}

int model_on_msg(struct builder *b, const struct ipct_msg_event *ev)
{
	long p = model_process_get(b, ev->hdr.pid), o;
	/* Older files lack the flag; their POSIX sends and receives have no
	 * SysV id but the queue's inode. */
	bool posix = (ev->queue_flags & IPCT_MSG_POSIX) || (ev->id < 0 && ev->ino);
	int err;

	if (p < 0)
		return p;
	switch (ev->op) {
	case IPCT_MSG_GET:
		if (ev->ret < 0)
			return 0;
		o = sysv_object(b, IPCT_KIND_MSGQ, ev->ret);
		if (o < 0)
			return o;
		key_name(&b->m->objects[o], ev->key);
		return model_object_user_add(b, o, ev->hdr.pid);
	case IPCT_MQ_OPEN:
		if (ev->ret < 0 || !ev->ino)
			return 0;
		o = model_object_get_dev(b, IPCT_KIND_MSGQ, ev->dev, ev->ino);
		if (o < 0)
			return o;
		if (!b->m->objects[o].name[0])
			model_copy_string(b->m->objects[o].name, sizeof(b->m->objects[o].name),
					  ev->name, sizeof(ev->name));
		return model_object_user_add(b, o, ev->hdr.pid);
	case IPCT_MSG_SEND:
	case IPCT_MSG_RECV:
		break;
	default:
		return 0;
	}
	if (posix)
		o = model_object_get_dev(b, IPCT_KIND_MSGQ, ev->dev, ev->ino);
	else if (ev->id >= 0)
		o = sysv_object(b, IPCT_KIND_MSGQ, ev->id);
	else
		return 0;
	if (o < 0)
		return o;
	if ((err = model_object_user_add(b, o, ev->hdr.pid)))
		return err;

	struct viz_op op = {
		MODEL_CALL_FIELDS(b->m, ev),
		.object = o,
		.dir = ev->op == IPCT_MSG_SEND ? IPCT_DIR_SEND : IPCT_DIR_RECV,
		.ret = ev->ret,
		.requested = ev->size,
		.syscall = ev->syscall,
		.type = VIZ_OP_MSG,
		.flags = ev->flags,
		.u.msg = { ev->mtype, ev->rtype, ev->prio, posix },
	};
	/* A send returns 0: what it moved is the message size. */
	if (op.dir == IPCT_DIR_SEND && ev->ret == 0)
		op.ret = (int64_t)ev->size;
	size_t plen = ev->payload_len;
	if (plen > ev->hdr.size - sizeof(*ev))
		plen = ev->hdr.size - sizeof(*ev);
	return model_op_take(b, &op, ev->payload, plen);
}

/* Semop OP with its entries E[0..op->u.sem.n): to the stream, or kept
 * with its entries in m->semops.  0 or -errno. */
static int sem_op_add(struct builder *b, struct viz_op *op, const struct viz_semop *e)
{
	struct viz_model *m = b->m;
	size_t n = op->u.sem.n;

	if (b->stream && stream_takes(b, op->object))
		return stream_op(b, op, (const uint8_t *)e, n * sizeof(*e));
	if (model_grow((void **)&m->semops, &b->cap_semops, m->nsemops + n + 1,
		       sizeof(*m->semops)))
		return -ENOMEM;
	op->u.sem.first = (uint32_t)m->nsemops;
	memcpy(m->semops + m->nsemops, e, n * sizeof(*e));
	m->nsemops += n;
	long i = model_op_add(b, op, NULL, 0);
	return i < 0 ? i : 0;
}

/* The object of the futex word at OFF in the inode of shm object SHM:
 * "sem:DEV:INO+OFF" ("sem:DEV:INO#N+OFF" from its N = 2nd incarnation
 * on). */
static long futex_object(struct builder *b, uint32_t shm, uint64_t off)
{
	const struct viz_object *s = &b->m->objects[shm];
	struct object_memo key = { .ino = s->ino, .off = off, .dev = s->dev, .kind = IPCT_KIND_SEM,
				   .incarnation = s->incarnation, .form = MEMO_FUTEX };
	unsigned long long ino = key.ino;
	long o;

	if (key.incarnation > 1)
		o = model_object_memo(b, &key, "sem:%u:%llu#%u+%llu", key.dev, ino,
				      key.incarnation, (unsigned long long)off);
	else
		o = model_object_memo(b, &key, "sem:%u:%llu+%llu", key.dev, ino,
				      (unsigned long long)off);
	if (o >= 0)
		b->m->objects[o].incarnation = key.incarnation;
	return o;
}

/* A process-shared futex word (POSIX semaphores, shared mutexes): the
 * waiting process's mapping turns its address into (object, offset), so
 * the two processes, which map it at different addresses, meet on one
 * object "sem:DEV:INO+OFF".  A wait that returned 0 slept and was woken:
 * a P; a wake that woke someone: a V of +woken.  Both become a one-entry
 * semop on num 0, matched like SysV semaphores (match_sync.c). */
static int on_futex(struct builder *b, const struct ipct_sem_event *ev)
{
	struct viz_model *m = b->m;
	const struct viz_attachment *a = model_shm_find(b, ev->hdr.pid, (uint64_t)ev->key);
	int16_t delta;
	long o;
	int err;

	if (!a)
		return 0;	/* not in a shared mapping we know: not IPC we can name */
	if (ev->op == IPCT_SEM_FUTEX_WAIT && ev->ret != 0)
		return 0;	/* the word had changed: it did not sleep */
	if (ev->op == IPCT_SEM_FUTEX_WAKE && ev->ret <= 0)
		return 0;	/* nobody was sleeping */
	if ((o = futex_object(b, a->object, (uint64_t)ev->key - a->addr)) < 0)
		return o;
	if ((err = model_object_user_add(b, o, ev->hdr.pid)))
		return err;
	delta = ev->op == IPCT_SEM_FUTEX_WAIT ? -1 : (ev->ret > 32767 ? 32767 : ev->ret);
	struct viz_op op = {
		MODEL_CALL_FIELDS(m, ev),
		.object = o,
		.ret = 0,		/* a wait that slept, a wake that woke: both succeeded */
		.requested = 1,
		.syscall = ev->syscall,
		.type = VIZ_OP_SEM,
		.dir = delta < 0 ? IPCT_DIR_RECV : IPCT_DIR_SEND,
		.u.sem = { m->nsemops, 1 },
	};
	struct viz_semop e = { 0, delta };
	return sem_op_add(b, &op, &e);
}

int model_on_sem(struct builder *b, const struct ipct_sem_event *ev)
{
	struct viz_model *m = b->m;
	long p = model_process_get(b, ev->hdr.pid), o;
	int64_t id = ev->op == IPCT_SEM_GET ? ev->ret : ev->id;
	int err;

	if (p < 0)
		return p;
	if (ev->op == IPCT_SEM_FUTEX_WAIT || ev->op == IPCT_SEM_FUTEX_WAKE)
		return on_futex(b, ev);
	if (id < 0 || (ev->op == IPCT_SEM_GET && ev->ret < 0))
		return 0;
	o = sysv_object(b, IPCT_KIND_SEM, id);
	if (o < 0)
		return o;
	if (ev->op == IPCT_SEM_GET)
		key_name(&m->objects[o], ev->key);
	if ((err = model_object_user_add(b, o, ev->hdr.pid)))
		return err;
	if (ev->op != IPCT_SEM_OP)
		return 0;

	uint32_t n = ev->nsops < IPCT_SEMOPS_MAX ? ev->nsops : IPCT_SEMOPS_MAX;
	struct viz_semop e[IPCT_SEMOPS_MAX];
	bool waits = false;
	struct viz_op op = {
		MODEL_CALL_FIELDS(m, ev),
		.object = o,
		.ret = ev->ret,
		.requested = ev->nsops,
		.syscall = ev->syscall,
		.type = VIZ_OP_SEM,
		.u.sem = { m->nsemops, n },
	};
	for (uint32_t k = 0; k < n; k++) {
		e[k] = (struct viz_semop){ ev->ops[k].num, ev->ops[k].op };
		if (ev->ops[k].op <= 0)
			waits = true;
	}
	op.dir = waits ? IPCT_DIR_RECV : IPCT_DIR_SEND;
	return sem_op_add(b, &op, e);
}

/* Who generated signal event EV of cause CAUSE: see the top of the file. */
static uint32_t signal_generator(const struct builder *b, const struct ipct_signal_event *ev,
				 enum viz_signal_cause cause)
{
	if (cause != VIZ_CAUSE_NONE && (cause < VIZ_CAUSE_CHILD_EXITED ||
					cause > VIZ_CAUSE_CHILD_CONTINUED))
		return 0;
	if (ev->hdr.pid && model_process_find(b, ev->hdr.pid) >= 0)
		return ev->hdr.pid;
	return ev->sender_pid ? ev->sender_pid : ev->hdr.pid;
}

/* Did the target of generation EV ignore the signal (rather than being
 * already on its way out, which the kernel reports the same way)? */
static bool target_ignores(const struct ipct_signal_event *ev)
{
	if (ev->action == IPCT_SIGACT_IGNORE)
		return true;
	return ev->action == IPCT_SIGACT_DEFAULT &&
	       (ev->sig == SIGCHLD || ev->sig == SIGCONT || ev->sig == SIGWINCH || ev->sig == SIGURG);
}

/* A signal a process sent that its target ignores reached it all the
 * same: the target's receipt, at the generation, with action ignore. */
static int signal_ignored(struct builder *b, const struct viz_op *gen)
{
	struct viz_op op = *gen;

	if (model_process_find(b, gen->u.sig.target) < 0)
		return 0;
	op.pid = op.tid = gen->u.sig.target;
	op.dir = IPCT_DIR_RECV;
	op.type = VIZ_OP_SIG_DELIVER;
	op.ret = SIGNAL_RESULT_IGNORED;       /* marks the receipt as such */
	op.syscall = 0;
	op.flags = IPCT_SIGACT_IGNORE;
	int err = model_object_user_add(b, op.object, op.pid);
	return err ? err : model_op_take(b, &op, NULL, 0);
}

int model_on_signal(struct builder *b, const struct ipct_signal_event *ev)
{
	enum viz_signal_cause cause = VIZ_CAUSE_NONE;
	uint32_t pid, target;
	enum ipct_dir dir = IPCT_DIR_SEND;
	enum viz_op_type type;
	int err;

	switch (ev->op) {
	case IPCT_SIG_SEND:
		pid = ev->hdr.pid;
		target = ev->target_pid;
		type = VIZ_OP_SIG_SEND;
		break;
	case IPCT_SIG_GENERATE:
		target = ev->target_pid ? ev->target_pid : ev->target_tid;
		cause = viz_signal_cause_of(ev->sig, ev->code, ev->flags, ev->hdr.pid == target);
		if (cause != VIZ_CAUSE_NONE &&
		    ((ev->ret != SIGNAL_RESULT_DELIVERED && ev->ret != SIGNAL_RESULT_LOSE_INFO) ||
		     model_process_find(b, target) < 0))
			return 0;       /* the kernel's own signal: ignored, or
					   for an untraced process (SIGCHLD to
					   the tracer) */
		pid = signal_generator(b, ev, cause);
		type = VIZ_OP_SIG_GENERATE;
		break;
	case IPCT_SIG_DELIVER:
		pid = target = ev->hdr.pid;
		dir = IPCT_DIR_RECV;
		type = VIZ_OP_SIG_DELIVER;
		break;
	default:
		return 0;
	}
	if (!target || (type != VIZ_OP_SIG_GENERATE && !pid))
		return 0;
	/* Only traced processes become processes (and users). */
	bool traced = pid && (type != VIZ_OP_SIG_GENERATE ||
			      model_process_find(b, pid) >= 0);
	if (traced) {
		long p = model_process_get(b, pid);
		if (p < 0)
			return p;
	}
	struct object_memo key = { .ino = target, .kind = IPCT_KIND_SIGNAL, .form = MEMO_SIGNAL };
	long o = model_object_memo(b, &key, "signal:%u", target);
	if (o < 0)
		return o;
	if (traced && (err = model_object_user_add(b, o, pid)))
		return err;
	struct viz_op op = {
		.ts_ns = model_relative(b->m, ev->hdr.ts_ns),
		/* a signal taken by rt_sigtimedwait: the time waited in the call */
		.duration_ns = type == VIZ_OP_SIG_SEND ||
			       (type == VIZ_OP_SIG_DELIVER && ev->action == IPCT_SIGACT_WAITED) ?
			       ev->duration_ns : 0,
		.pid = pid,
		.tid = type == VIZ_OP_SIG_GENERATE && pid != ev->hdr.pid ? pid : ev->hdr.tid,
		.object = o,
		.dir = dir,
		.ret = ev->ret,
		.syscall = ev->syscall,
		.type = type,
		.flags = ev->action | (ev->flags & 0xff) << 8,
		.u.sig = { ev->sig, target, ev->sender_pid, ev->code, cause },
	};
	if ((err = model_op_take(b, &op, NULL, 0)))
		return err;
	if (type == VIZ_OP_SIG_GENERATE && ev->ret == SIGNAL_RESULT_IGNORED && target_ignores(ev))
		return signal_ignored(b, &op);
	return 0;
}

/* ---- names ---- */

static int cmp_hint(const void *a, const void *b)
{
	const struct name_hint *x = a, *y = b;

	/* seq last: file order, whatever qsort does */
	return VIZ_ORDER(x->dev, y->dev) ?: VIZ_ORDER(x->ino, y->ino) ?:
	       VIZ_ORDER(x->incarnation, y->incarnation) ?: VIZ_ORDER(x->seq, y->seq);
}

/* The first hint for (DEV, INO, INC) in sorted HINTS (DEV and INC ignored
 * if ANY_DEV; INC 0 is the first incarnation, 1). */
static const char *find_hint(const struct name_hint *h, size_t n, uint32_t dev,
			     uint64_t ino, uint32_t inc, bool any_dev)
{
	size_t lo = 0, hi = n;

	if (any_dev) {
		for (size_t i = 0; i < n; i++)
			if (h[i].ino == ino)
				return h[i].name;
		return NULL;
	}
	if (!inc)
		inc = 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h[mid].dev < dev || (h[mid].dev == dev && (h[mid].ino < ino ||
		    (h[mid].ino == ino && h[mid].incarnation < inc))))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && h[lo].dev == dev && h[lo].ino == ino && h[lo].incarnation == inc ?
	       h[lo].name : NULL;
}

void model_apply_names(struct builder *b)
{
	struct viz_model *m = b->m;

	if (b->npaths)
		qsort(b->paths, b->npaths, sizeof(*b->paths), cmp_hint);
	for (size_t i = 0; i < m->nobjects; i++) {
		struct viz_object *o = &m->objects[i];
		const char *name = NULL;

		if (o->name[0])
			continue;
		switch (o->kind) {
		case IPCT_KIND_FIFO:
		case IPCT_KIND_FILE:
		case IPCT_KIND_SHM:
			if (o->dev)     /* not a SysV segment (shm:ID) */
				name = find_hint(b->paths, b->npaths, o->dev, o->ino,
						 o->incarnation, false);
			break;
		case IPCT_KIND_UNIX:
			name = find_hint(b->sock_paths, b->nsock_paths, 0, o->ino, 0, true);
			if (!name && o->ino2)
				name = find_hint(b->sock_paths, b->nsock_paths, 0, o->ino2, 0, true);
			break;
		case IPCT_KIND_SEM:
			/* a futex word in a shared mapping (on_futex) */
			if (o->dev && (name = find_hint(b->paths, b->npaths, o->dev, o->ino,
							 o->incarnation, false))) {
				snprintf(o->name, sizeof(o->name), "futex in %.*s",
					 (int)sizeof(o->name) - 10, name);
				name = NULL;
			}
			break;
		default:
			break;
		}
		if (name)
			snprintf(o->name, sizeof(o->name), "%s", name);
	}
}
