#!/usr/bin/perl
# accept_wait - a test workload: a process blocked in accept, then in a
# select on a pipe, for times the test knows.
#
#   perl accept_wait.pl DIR
#
# The parent listens on the unix socket DIR/sock and forks a child that
# sleeps 60 ms, connects and sends a line, sleeps 40 ms more and writes a
# byte into a pipe.  The parent waits in accept for the connection, reads
# the line, then waits in select for the pipe.  Prints "parent PID child
# PID" and exits 0 when both arrived.
use strict;
use warnings;
use IO::Socket::UNIX;
use Socket qw(SOCK_STREAM);

my $path = "$ARGV[0]/sock";
unlink $path;
my $server = IO::Socket::UNIX->new(Type => SOCK_STREAM, Local => $path, Listen => 1)
	or die "listen: $!";
pipe(my $r, my $w) or die "pipe: $!";
my $pid = fork // die "fork: $!";
if ($pid == 0) {
	select(undef, undef, undef, 0.06);
	my $c = IO::Socket::UNIX->new(Type => SOCK_STREAM, Peer => $path) or die "connect: $!";
	syswrite $c, "hello\n";
	close $c;
	select(undef, undef, undef, 0.04);
	syswrite $w, "x";
	exit 0;
}
close $w;
my $conn = $server->accept or die "accept: $!";
my $line = <$conn>;
my $rin = '';
vec($rin, fileno($r), 1) = 1;
my $ready = select(my $rout = $rin, undef, undef, 5);
sysread $r, my $byte, 1;
waitpid $pid, 0;
print "parent $$ child $pid\n";
exit($line eq "hello\n" && $ready == 1 && $byte eq "x" && $? == 0 ? 0 : 1);
