# signal_mix.pl - a parent sends its child one signal of each fate:
# SIGUSR1 (the child ignores it), SIGUSR2 (caught by a handler), SIGHUP
# (blocked: still pending when the child dies) and SIGTERM (default
# action: kills it).  The child tells the parent over a pipe when its
# dispositions are set.
use POSIX ();
pipe(my $r, my $w) or die;
my $pid = fork;
if (!$pid) {
	$SIG{USR1} = 'IGNORE';
	$SIG{USR2} = sub { };
	POSIX::sigprocmask(POSIX::SIG_BLOCK(), POSIX::SigSet->new(POSIX::SIGHUP()));
	syswrite $w, "r";
	select(undef, undef, undef, 0.05) while 1;
}
sysread $r, my $c, 1;
kill 'USR1', $pid; kill 'USR2', $pid; kill 'HUP', $pid;
select(undef, undef, undef, 0.2);
kill 'TERM', $pid;
waitpid $pid, 0;
print "child status $?\n";
