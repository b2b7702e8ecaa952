# sig_kills.pl - two ways programs die of signals.  A writer sends 5
# blocks of 1000 bytes down a pipe to its child, which reads them and
# exits; the writer's next write fails with EPIPE and SIGPIPE kills it.
# Then 3 children, put in one process group, each write one byte to the
# parent, which kills the group with SIGKILL.  Prints each pid and how
# it ended.
use strict;
use POSIX ();
$| = 1;

my $w = fork // die "fork: $!";
if (!$w) {
	pipe(my $r, my $o) or die "pipe: $!";
	my $rd = fork // die "fork: $!";
	if (!$rd) {
		close $o;
		my $n = 0;
		$n += sysread($r, my $b, 1000) for 1 .. 5;
		POSIX::_exit($n == 5000 ? 0 : 1);
	}
	close $r;
	syswrite($o, "x" x 1000) == 1000 or die "write: $!" for 1 .. 5;
	waitpid $rd, 0;
	print "reader $rd $?\n";
	syswrite $o, "y" x 1000;
	POSIX::_exit(3);
}
waitpid $w, 0;
print "writer $w ", $? & 127, "\n";

pipe(my $r, my $o) or die "pipe: $!";
my ($pg, @kids);
for (1 .. 3) {
	my $p = fork // die "fork: $!";
	if (!$p) {
		close $r;
		POSIX::setpgid(0, $pg // 0);
		syswrite $o, "k";
		sleep 30;
		POSIX::_exit(0);
	}
	$pg //= $p;
	POSIX::setpgid($p, $pg);
	push @kids, $p;
}
close $o;
sysread($r, my $c, 1) == 1 or die "read: $!" for 1 .. 3;
kill 'KILL', -$pg;
for (@kids) {
	waitpid $_, 0;
	print "killed $_ ", $? & 127, "\n";
}
