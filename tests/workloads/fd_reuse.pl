#!/usr/bin/perl
# fd_reuse.pl DIR - calls whose descriptors change what they stand for,
# with traffic the test knows:
#   files: DIR/f1..f6 created and written with 10*i bytes, closed, opened
#          again and read to the end, closed; every open gets the same fd;
#   dup2:  fd 9 is made the write end of pipe A, 3 bytes are written, then
#          the write end of pipe B, 5 bytes; both pipes are read empty;
#   connect: one unconnected unix datagram socket is connected to the
#          receiver bound at DIR/r1 and sends 7 bytes, then to DIR/r2 and
#          sends 11; each receiver reads its datagram.
# Exits 0 when every read got what was sent.
use strict;
use warnings;
use POSIX qw(dup2);
use Socket qw(AF_UNIX SOCK_DGRAM pack_sockaddr_un);
use Fcntl qw(O_RDONLY O_WRONLY O_CREAT O_EXCL);

my $dir = shift // die "usage: fd_reuse.pl DIR\n";
my $buf;

for my $i (1 .. 6) {
	my $path = "$dir/f$i";
	sysopen(my $w, $path, O_WRONLY | O_CREAT | O_EXCL) or die "cannot create '$path': $!\n";
	syswrite($w, "x" x (10 * $i)) == 10 * $i or die "short write\n";
	close($w);
	sysopen(my $r, $path, O_RDONLY) or die "cannot open '$path': $!\n";
	my $got = 0;
	while ((my $n = sysread($r, $buf, 4096)) > 0) { $got += $n }
	close($r);
	$got == 10 * $i or die "read $got of '$path'\n";
}

pipe(my $ra, my $wa) or die "pipe: $!\n";
pipe(my $rb, my $wb) or die "pipe: $!\n";
dup2(fileno($wa), 9) // die "dup2: $!\n";
POSIX::write(9, "aaa", 3) == 3 or die "write A\n";
dup2(fileno($wb), 9) // die "dup2: $!\n";
POSIX::write(9, "bbbbb", 5) == 5 or die "write B\n";
POSIX::close(9);
close($wa);
close($wb);
sysread($ra, $buf, 64) == 3 or die "read A\n";
sysread($rb, $buf, 64) == 5 or die "read B\n";

my @rx;
for my $name ("r1", "r2") {
	socket(my $r, AF_UNIX, SOCK_DGRAM, 0) or die "socket: $!\n";
	bind($r, pack_sockaddr_un("$dir/$name")) or die "bind: $!\n";
	push @rx, $r;
}
socket(my $s, AF_UNIX, SOCK_DGRAM, 0) or die "socket: $!\n";
connect($s, pack_sockaddr_un("$dir/r1")) or die "connect: $!\n";
send($s, "c" x 7, 0) == 7 or die "send 1\n";
connect($s, pack_sockaddr_un("$dir/r2")) or die "connect: $!\n";
send($s, "d" x 11, 0) == 11 or die "send 2\n";
sysread($rx[0], $buf, 64) == 7 or die "recv 1\n";
sysread($rx[1], $buf, 64) == 11 or die "recv 2\n";
exit 0;
