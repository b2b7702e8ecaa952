/*
 * record_signals - the signal handlers a recording installs: a stop signal
 * is counted (and passed on to the command by the drain loop), SIGCHLD
 * noted, SIGPIPE ignored; all put back before rendering.  Each handled
 * signal also writes a byte to a self-pipe, so the drain loop wakes for a
 * signal that arrived just before it went to sleep.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "record_session.h"

volatile sig_atomic_t record_stop_signal;   /* last stop signal received */
volatile sig_atomic_t record_stop_count;    /* how many */
volatile sig_atomic_t record_stop_from_terminal; /* the last came from the tty */
volatile sig_atomic_t record_child_exited;
/* SIGPIPE as the tracer found it: the command gets it back. */
static struct sigaction inherited_sigpipe;
static int signal_pipe[2] = { -1, -1 };

static void wake_drain(void)
{
	int saved = errno;

	/* full (EAGAIN) is as good: the loop is woken already */
	if (signal_pipe[1] >= 0 && write(signal_pipe[1], "s", 1) < 0)
		errno = saved;
	errno = saved;
}

static void on_stop(int sig, siginfo_t *info, void *uctx)
{
	record_stop_signal = sig;
	/* The terminal's Ctrl-C, Ctrl-\ or hangup is sent by the kernel
	 * (SI_KERNEL) to the whole foreground group; kill(2) says SI_USER. */
	record_stop_from_terminal = info && info->si_code == SI_KERNEL;
	record_stop_count++;
	wake_drain();
}

static void on_child(int sig)
{
	record_child_exited = 1;
	wake_drain();
}

/* The signals recording handles, and what they did before. */
static const int handled_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD };
static struct sigaction saved_actions[sizeof(handled_signals) / sizeof(handled_signals[0])];

void record_install_handlers(void)
{
	struct sigaction sa;

	if (signal_pipe[0] < 0 && pipe2(signal_pipe, O_NONBLOCK | O_CLOEXEC))
		signal_pipe[0] = signal_pipe[1] = -1;
	for (size_t i = 0; i < sizeof(handled_signals) / sizeof(handled_signals[0]); i++) {
		int sig = handled_signals[i];

		memset(&sa, 0, sizeof(sa));
		if (sig == SIGCHLD) {
			sa.sa_handler = on_child;
			sa.sa_flags = SA_NOCLDSTOP;
		} else {
			sa.sa_sigaction = on_stop;
			sa.sa_flags = SA_SIGINFO;
		}
		sigaction(sig, &sa, &saved_actions[i]);
	}
	/* A write to a closed pipe is an error return, not the end of us (the
	 * command gets SIGPIPE back as we found it). */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &inherited_sigpipe);
}

/* Put back what record_install_handlers() replaced, so what runs after the
 * recording (the rendering) stops on Ctrl-C as any program does. */
void record_restore_handlers(void)
{
	for (size_t i = 0; i < sizeof(handled_signals) / sizeof(handled_signals[0]); i++)
		sigaction(handled_signals[i], &saved_actions[i], NULL);
	for (int i = 0; i < 2; i++) {
		if (signal_pipe[i] >= 0)
			close(signal_pipe[i]);
		signal_pipe[i] = -1;
	}
}

int record_signal_fd(void)
{
	return signal_pipe[0];
}

void record_reset_child_signals(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	sigaction(SIGPIPE, &inherited_sigpipe, NULL);
}
