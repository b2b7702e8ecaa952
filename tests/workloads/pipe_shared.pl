#!/usr/bin/perl
# pipe_shared.pl - two writers and then two readers on one pipe, with
# amounts the test knows: writer 1 writes 10 bytes, writer 2 30 bytes (the
# parent waits for both), then reader 1 reads 16 bytes and reader 2 the
# remaining 24.  Prints the four pids, one per line: w1 w2 r1 r2.
use strict;
use warnings;

pipe(my $r, my $w) or die "pipe: $!\n";
my @pids;
for my $n (10, 30) {
	my $pid = fork() // die "fork: $!\n";
	if (!$pid) {
		close($r);
		syswrite($w, "w" x $n) == $n or die "short write\n";
		exit 0;
	}
	push @pids, $pid;
	waitpid($pid, 0);
}
close($w);
for my $n (16, 24) {
	my $pid = fork() // die "fork: $!\n";
	if (!$pid) {
		my ($buf, $got) = ("", 0);
		while ($got < $n) {
			my $k = sysread($r, $buf, $n - $got) or die "short read\n";
			$got += $k;
		}
		exit 0;
	}
	push @pids, $pid;
	waitpid($pid, 0);
}
print "$_\n" for @pids;
exit 0;
