/*
 * syscall_names - names of the followed system calls, expanded from the
 * one table of bpf/syscalls.h.
 */
#include <stddef.h>
#include <linux/types.h>
#include "../bpf/events.h"
#include "../bpf/syscalls.h"
#include "syscall_names.h"

const char *ipct_syscall_name(unsigned int nr)
{
	switch (nr) {
#define SYSCALL_NAME(name, number, handler, kinds) \
	case number: return #name;
	IPCT_SYSCALLS(SYSCALL_NAME)
#undef SYSCALL_NAME
	}
	return NULL;
}
