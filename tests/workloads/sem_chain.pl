# sem_chain.pl - a parent and two children hand one SysV semaphore on:
# both children block in P on a semaphore at 0 (the first child 0.1 s
# before the second), the parent's V releases the first, the first's V
# releases the second, and the second's V releases nobody.  The children
# are siblings alike in all but that last V.  Prints the parent's pid,
# then the children's, one per line.
use strict;
use IPC::SysV qw(IPC_PRIVATE IPC_CREAT IPC_RMID S_IRUSR S_IWUSR);
my $id = semget(IPC_PRIVATE, 1, S_IRUSR | S_IWUSR | IPC_CREAT) // die "semget: $!";
$| = 1;
print "$$\n";
my @kids;
for my $k (1, 2) {
	my $pid = fork // die "fork: $!";
	if (!$pid) {
		select(undef, undef, undef, 0.1 * $k);
		semop($id, pack("s!3", 0, -1, 0)) or die "semop P: $!";
		semop($id, pack("s!3", 0, 1, 0)) or die "semop V: $!";
		exit 0;
	}
	push @kids, $pid;
}
print "$_\n" for @kids;
select(undef, undef, undef, 0.4);
semop($id, pack("s!3", 0, 1, 0)) or die "semop V: $!";
waitpid $_, 0 for @kids;
semctl($id, 0, IPC_RMID, 0);
