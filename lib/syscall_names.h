/*
 * syscall_names - names of the system calls that records carry in their
 * `syscall` field (x86_64 numbers, from the table of bpf/syscalls.h).
 */
#ifndef IPCTRACE_LIB_SYSCALL_NAMES_H
#define IPCTRACE_LIB_SYSCALL_NAMES_H

/* The name of system call NR as strace prints it ("pread64"), or NULL
 * when NR is not one that ipctrace follows. */
const char *ipct_syscall_name(unsigned int nr);

#endif
