# sem_wake.pl MODE N - a parent takes (P) a SysV semaphore that starts at
# 0, N times, and its children post it (V) while it sleeps in semop:
#   one    one child posts N times, 0.1 s apart
#   many   N children post once each, 0.1 s apart
# A child posts only once the parent sleeps in its P (semctl GETNCNT), so
# every P waits for a V however late the parent comes to it.  The
# children exit only after the parent's last P (they wait for the pipe to
# close), so no SIGCHLD breaks into a semop.  Prints the parent's pid,
# then each child's, one per line.
use strict;
use IPC::SysV qw(IPC_PRIVATE IPC_CREAT IPC_RMID GETNCNT S_IRUSR S_IWUSR);
my ($mode, $n) = @ARGV;
die "usage: sem_wake.pl one|many N\n" unless ($mode // '') =~ /^(one|many)$/ && ($n // 0) > 0;
my $id = semget(IPC_PRIVATE, 1, S_IRUSR | S_IWUSR | IPC_CREAT) // die "semget: $!";
pipe(my $r, my $w) or die "pipe: $!";
$| = 1;
print "$$\n";
my @kids;
for my $k (1 .. ($mode eq 'one' ? 1 : $n)) {
	my $pid = fork // die "fork: $!";
	if (!$pid) {
		close $w;
		for (1 .. ($mode eq 'one' ? $n : 1)) {
			select(undef, undef, undef, 0.1 * ($mode eq 'one' ? 1 : $k));
			select(undef, undef, undef, 0.01) until semctl($id, 0, GETNCNT, 0) > 0;
			semop($id, pack("s!3", 0, 1, 0)) or die "semop V: $!";
		}
		sysread $r, my $c, 1;
		exit 0;
	}
	push @kids, $pid;
}
close $r;
print "$_\n" for @kids;
for (1 .. $n) {
	semop($id, pack("s!3", 0, -1, 0)) or die "semop P: $!";
}
close $w;
waitpid $_, 0 for @kids;
semctl($id, 0, IPC_RMID, 0);
