/*
 * model_signal - names for signals and for why the kernel sent one
 * (model.h): viz_signal_name(), viz_signal_cause_of(),
 * viz_signal_cause_text(), viz_undelivered_text().
 *
 * The cause comes from what signal_generate saw: si_code (SI_KERNEL, the
 * CLD_* codes of SIGCHLD, SI_TIMER, SI_MESGQ, SI_ASYNCIO, SI_SIGIO, the
 * fault codes) and whether the kernel passed no siginfo at all
 * (IPCT_SIG_NOINFO, IPCT_SIG_PRIV).  A signal sent with SEND_SIG_NOINFO
 * to the generating task itself (SIGPIPE, SIGXFSZ) is the kernel's; to
 * another task (a parent-death signal) it is that task's.
 */
#include <signal.h>
#include <sys/wait.h>
#include <stdio.h>
#include <string.h>
#include "model.h"

#define CODE_KERNEL 0x80       /* SI_KERNEL */
#define CODE_TIMER (-2)        /* SI_TIMER */
#define CODE_MESGQ (-3)        /* SI_MESGQ */
#define CODE_ASYNCIO (-4)      /* SI_ASYNCIO */
#define CODE_SIGIO (-5)        /* SI_SIGIO */

const char *viz_exit_describe(int32_t status, char *buf, size_t size)
{
	char sig[24];

	if (status < 0)
		snprintf(buf, size, "unknown");
	else if (WIFEXITED(status))
		snprintf(buf, size, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by %s", viz_signal_name(WTERMSIG(status), sig, sizeof(sig)));
	else
		snprintf(buf, size, "status 0x%x", (unsigned)status);
	return buf;
}

char *viz_concat3(char *buf, size_t size, const char *a, const char *b, const char *c)
{
	const char *part[3] = { a, b, c };
	size_t used = 0;

	for (int i = 0; i < 3; i++) {
		size_t n = strlen(part[i]);
		if (n > size - 1 - used)
			n = size - 1 - used;
		memcpy(buf + used, part[i], n);
		used += n;
	}
	buf[used] = '\0';
	return buf;
}

const char *viz_signal_name(uint32_t sig, char *buf, size_t size)
{
	const char *abbrev = sig < 32 ? sigabbrev_np(sig) : NULL;

	if (abbrev)
		viz_concat3(buf, size, "SIG", abbrev, "");
	else if (sig >= 34 && sig <= 64)    /* the kernel's SIGRTMIN is 32, glibc's 34 */
		snprintf(buf, size, sig == 34 ? "SIGRTMIN" : "SIGRTMIN+%u", sig - 34);
	else
		snprintf(buf, size, "signal %u", sig);
	return buf;
}

/* The cause of a signal the kernel sent of its own accord, by signal. */
static enum viz_signal_cause cause_by_signal(uint32_t sig)
{
	switch (sig) {
	case SIGPIPE:
		return VIZ_CAUSE_PIPE;
	case SIGALRM: case SIGVTALRM: case SIGPROF:
		return VIZ_CAUSE_TIMER;
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
		return VIZ_CAUSE_FAULT;
	case SIGXCPU: case SIGXFSZ:
		return VIZ_CAUSE_LIMIT;
	case SIGHUP: case SIGINT: case SIGQUIT: case SIGTSTP: case SIGTTIN:
	case SIGTTOU: case SIGWINCH:
		return VIZ_CAUSE_TERMINAL;
	case SIGIO: case SIGURG:
		return VIZ_CAUSE_IO;
	}
	return VIZ_CAUSE_KERNEL;
}

enum viz_signal_cause viz_signal_cause_of(uint32_t sig, int32_t code, uint32_t flags, bool self)
{
	if (sig == SIGCHLD && code >= 1 && code <= 6)
		return VIZ_CAUSE_CHILD_EXITED + (code - 1);
	if (flags & IPCT_SIG_PRIV || code == CODE_KERNEL)
		return cause_by_signal(sig);
	if (flags & IPCT_SIG_NOINFO)
		return self ? cause_by_signal(sig) : VIZ_CAUSE_NONE;
	switch (code) {
	case CODE_TIMER:
		return VIZ_CAUSE_POSIX_TIMER;
	case CODE_MESGQ:
		return VIZ_CAUSE_MQ;
	case CODE_ASYNCIO:
		return VIZ_CAUSE_AIO;
	case CODE_SIGIO:
		return VIZ_CAUSE_IO;
	}
	if (code > 0) {          /* a fault, SIGIO's POLL_*, seccomp's SYS_SECCOMP */
		if (sig == SIGSYS)
			return VIZ_CAUSE_SECCOMP;
		return cause_by_signal(sig);
	}
	return VIZ_CAUSE_NONE;
}

const char *viz_signal_cause_text(unsigned cause, uint32_t sig, char *buf, size_t size)
{
	static const char *const text[VIZ_CAUSE_MAX] = {
		[VIZ_CAUSE_KERNEL] = "sent by the kernel",
		[VIZ_CAUSE_PIPE] = "write to a closed pipe or socket",
		[VIZ_CAUSE_TIMER] = "timer expired",
		[VIZ_CAUSE_POSIX_TIMER] = "POSIX timer expired",
		[VIZ_CAUSE_FAULT] = "fault",
		[VIZ_CAUSE_LIMIT] = "resource limit exceeded",
		[VIZ_CAUSE_TERMINAL] = "terminal",
		[VIZ_CAUSE_IO] = "I/O possible",
		[VIZ_CAUSE_MQ] = "message queue notification",
		[VIZ_CAUSE_AIO] = "asynchronous I/O completed",
		[VIZ_CAUSE_CHILD_EXITED] = "child exited",
		[VIZ_CAUSE_CHILD_KILLED] = "child killed",
		[VIZ_CAUSE_CHILD_DUMPED] = "child dumped core",
		[VIZ_CAUSE_CHILD_TRAPPED] = "child trapped",
		[VIZ_CAUSE_CHILD_STOPPED] = "child stopped",
		[VIZ_CAUSE_CHILD_CONTINUED] = "child continued",
		[VIZ_CAUSE_SECCOMP] = "seccomp filter",
	};
	char name[32];

	if (cause == VIZ_CAUSE_NONE || cause >= VIZ_CAUSE_MAX) {
		if (size)
			buf[0] = '\0';
		return buf;
	}
	snprintf(buf, size, "%s: %s", viz_signal_name(sig, name, sizeof(name)), text[cause]);
	return buf;
}

const char *viz_undelivered_text(unsigned reason)
{
	switch (reason) {
	case VIZ_UNDELIVERED_PENDING:
		return "still pending at the end of the recording";
	case VIZ_UNDELIVERED_AT_EXIT:
		return "still pending (or blocked) when the target exited";
	case VIZ_UNDELIVERED_MERGED:
		return "merged: the same signal was already pending";
	case VIZ_UNDELIVERED_OVERFLOW:
		return "dropped: the signal queue was full";
	case VIZ_UNDELIVERED_EXITING:
		return "dropped: the target was already exiting";
	}
	return "not delivered";
}

const char *viz_flow_from_kernel(const struct viz_flow *f, char *buf, size_t size)
{
	size_t used = 0;
	char one[96];

	if (size)
		buf[0] = '\0';
	for (unsigned c = VIZ_CAUSE_NONE + 1; c < VIZ_CAUSE_MAX && used < size; c++) {
		if (!f->kernel_sig[c])
			continue;
		viz_signal_cause_text(c, f->kernel_sig[c], one, sizeof(one));
		used += snprintf(buf + used, size - used, "%s%s", used ? ", " : "", one);
	}
	return buf;
}
