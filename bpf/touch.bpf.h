/* SPDX-License-Identifier: GPL-2.0 */
/*
 * touch.bpf.h - first touches of shared pages (IPCT_EV_TOUCH).
 *
 * Stores into shared memory are no system calls.  What the kernel does
 * show is the page fault a process takes the first time it touches a page
 * it has no page-table entry for: tp_btf/page_fault_user gives the address
 * and the error code (bit 1: write).  bpf_find_vma() finds the mapping; a
 * fault in a mapping made with MAP_SHARED (VM_MAYSHARE: a file, shm_open
 * object, SysV segment, memfd or shared anonymous memory) is recorded as
 * (object inode, page index in the object), once per (process, object,
 * page, read or write): the `touch_seen` hash remembers what was recorded.
 * A key past its bound is not recorded and is counted in lost[] (kind shm).
 * The kernel's own rules decide what faults (docs/tracing.md): a write
 * after a read faults again only where the mapping write-protects clean
 * pages (a file with dirty tracking; not shmem, whose read fault maps the
 * page writable: IPCT_TOUCH_WRITABLE says so), a read may map neighbour
 * pages too (fault-around), and stores after the first fault are never
 * seen.
 */
#ifndef IPCTRACE_TOUCH_BPF_H
#define IPCTRACE_TOUCH_BPF_H

#include "common.bpf.h"
#include "stat.bpf.h"

#define VM_MAYSHARE 0x80ul
#define X86_PF_WRITE 2ul
#define X86_PAGE_RW 2ul            /* pgprot bit: the page table entry allows writes */
#define TOUCH_PAGE_SHIFT 12
#define TOUCH_EEXIST 17

/* Are first page touches recorded (the page-fault program loaded)?  Only
 * then is the shared_ranges map kept. */
static __always_inline bool touches_on(void)
{
	return kind_on(IPCT_KIND_SHM) && !stat_mode;
}

struct touch_key {
	__u32 pid;
	__u32 dev;
	__u64 ino;
	__u64 page;
	__u32 generation;
	__u32 write;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, IPCT_TOUCH_SEEN_MAX);
	__type(key, struct touch_key);
	__type(value, __u8);
} touch_seen SEC(".maps");

/* Per process (tgid): the address ranges of its shared mappings, kept by
 * handle_shm (mmap, shmat, munmap, shmdt), copied at fork, dropped at exec
 * and exit.  bpf_find_vma at the fault tracepoint runs with interrupts off
 * and releases the mapping lock through an irq_work (a self-interrupt, 14 to
 * 30 us in a VM): only a fault inside a known range pays it. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, SHARED_RANGES_PROCS);
	__type(key, __u32);
	__type(value, struct shared_ranges);
} shared_ranges SEC(".maps");

static const struct shared_ranges no_ranges;

/* TGID mapped [START, START + LEN) shared. */
static __always_inline void shared_range_add(__u32 tgid, __u64 start, __u64 len)
{
	struct shared_ranges *r = bpf_map_lookup_elem(&shared_ranges, &tgid);

	if (!r) {
		bpf_map_update_elem(&shared_ranges, &tgid, &no_ranges, BPF_NOEXIST);
		r = bpf_map_lookup_elem(&shared_ranges, &tgid);
		if (!r)
			return;
	}
	if (r->all)
		return;
	len = (len + 4095) & ~4095ull;
	for (int i = 0; i < SHARED_RANGES; i++) {
		if (!r->end[i]) {
			r->start[i] = start;
			r->end[i] = start + (len ? len : 4096);
			return;
		}
	}
	r->all = 1;	/* out of slots: look at every fault from now on */
}

/* TGID unmapped what starts in [ADDR, ADDR + LEN) (LEN 0: at ADDR). */
static __always_inline void shared_range_remove(__u32 tgid, __u64 addr, __u64 len)
{
	struct shared_ranges *r = bpf_map_lookup_elem(&shared_ranges, &tgid);

	if (!r)
		return;
	for (int i = 0; i < SHARED_RANGES; i++)
		if (r->end[i] && (len ? r->start[i] >= addr && r->start[i] - addr < len :
				  r->start[i] == addr))
			r->start[i] = r->end[i] = 0;
}

/* Is ADDR in a shared mapping TGID made (or are its mappings unknown)? */
static __always_inline bool shared_range_has(__u32 tgid, __u64 addr)
{
	struct shared_ranges *r = bpf_map_lookup_elem(&shared_ranges, &tgid);

	if (!r)
		return false;
	if (r->all)
		return true;
	for (int i = 0; i < SHARED_RANGES; i++)
		if (addr >= r->start[i] && addr < r->end[i])
			return true;
	return false;
}

/* A new process (fork) has its parent's mappings. */
static __always_inline void shared_range_fork(__u32 parent, __u32 child)
{
	struct shared_ranges *r = bpf_map_lookup_elem(&shared_ranges, &parent);

	if (r)
		bpf_map_update_elem(&shared_ranges, &child, r, BPF_ANY);
}

/* bpf_find_vma's callback: the length of the mapping (shmat's segment). */
static long vma_length(struct task_struct *task, struct vm_area_struct *vma, void *ctx)
{
	*(__u64 *)ctx = vma->vm_end - vma->vm_start;
	return 0;
}

/* What bpf_find_vma's callback learned about the faulting address. */
struct touch_vma {
	__u64 addr;
	__u64 ino;
	__u64 page;
	__u64 map_start;
	__u32 dev;
	__u32 generation;
	__u64 prot;                /* vm_page_prot: what a read fault maps */
};

static long touch_vma(struct task_struct *task, struct vm_area_struct *vma, void *ctx)
{
	struct touch_vma *t = ctx;
	struct file *file = vma->vm_file;
	struct inode *inode;

	if (!(vma->vm_flags & VM_MAYSHARE) || !file)
		return 0;
	inode = file->f_inode;
	if (!inode)
		return 0;
	t->ino = inode->i_ino;
	t->dev = inode->i_sb->s_dev;
	t->generation = inode->i_generation;
	t->map_start = vma->vm_start;
	t->prot = vma->vm_page_prot.pgprot;
	t->page = vma->vm_pgoff + ((t->addr - vma->vm_start) >> TOUCH_PAGE_SHIFT);
	return 0;
}

SEC("tp_btf/page_fault_user")
int BPF_PROG(ipct_page_fault, unsigned long address, struct pt_regs *regs,
	     unsigned long error_code)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct task_state *st;
	struct touch_vma t = { .addr = address };
	struct touch_key key;
	struct ipct_touch_event *e;
	__u8 one = 1;
	long err;

	st = bpf_task_storage_get(&traced, task, 0, 0);
	if (!st || st->flags || !shared_range_has(task->tgid, address))
		return 0;
	if (bpf_find_vma(task, address, touch_vma, &t, 0) || !t.ino)
		return 0;
	key.pid = task->tgid;
	key.dev = t.dev;
	key.ino = t.ino;
	key.page = t.page;
	key.generation = t.generation;
	key.write = error_code & X86_PF_WRITE ? 1 : 0;
	err = bpf_map_update_elem(&touch_seen, &key, &one, BPF_NOEXIST);
	if (err == -TOUCH_EEXIST)
		return 0;
	if (err) {
		count_lost(IPCT_KIND_SHM);
		return 0;
	}
	e = reserve(sizeof(*e), IPCT_EV_TOUCH, IPCT_KIND_SHM, task, bpf_ktime_get_ns());
	if (!e)
		return 0;
	e->addr = address;
	e->ino = t.ino;
	e->page = t.page;
	e->map_start = t.map_start;
	e->dev = t.dev;
	e->generation = t.generation;
	e->error_code = error_code;
	e->flags = key.write ? IPCT_TOUCH_WRITE : t.prot & X86_PAGE_RW ? IPCT_TOUCH_WRITABLE : 0;
	e->kind = IPCT_KIND_SHM;
	e->pad = 0;
	submit(e);
	return 0;
}

#endif
