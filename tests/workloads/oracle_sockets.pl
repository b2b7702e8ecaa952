# oracle_sockets.pl - sockets and forks for the strace oracle: a Unix
# socketpair to a forked child (three messages there, one reply back), a
# TCP connection on 127.0.0.1 to a forked client (a request and its
# echo), and UDP datagrams from a forked sender to a bound receiver.
use strict;
use warnings;
use Socket;
use IO::Socket::INET;

socketpair(my $a, my $b, AF_UNIX, SOCK_STREAM, 0) or die "socketpair: $!";
my $pid = fork // die;
if (!$pid) {
	close $a;
	my $got = '';
	sysread($b, $got, 100 - length $got, length $got) while length $got < 15;
	syswrite $b, "ok:" . length $got;
	exit 0;
}
close $b;
syswrite $a, "hello" for 1 .. 3;
sysread $a, my $reply, 100;
waitpid $pid, 0;

my $srv = IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1:0', ReuseAddr => 1) or die;
my $port = $srv->sockport;
$pid = fork // die;
if (!$pid) {
	my $c = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port") or die;
	syswrite $c, "ping" x 10;
	my $echo = '';
	sysread($c, $echo, 100 - length $echo, length $echo) while length $echo < 40;
	exit 0;
}
my $conn = $srv->accept;
my $req = '';
sysread($conn, $req, 100 - length $req, length $req) while length $req < 40;
syswrite $conn, $req;
waitpid $pid, 0;

my $rx = IO::Socket::INET->new(Proto => 'udp', LocalAddr => '127.0.0.1:0') or die;
my $uport = $rx->sockport;
$pid = fork // die;
if (!$pid) {
	my $tx = IO::Socket::INET->new(Proto => 'udp', PeerAddr => "127.0.0.1:$uport") or die;
	syswrite $tx, "dgram$_" for 1 .. 4;
	exit 0;
}
for (1 .. 4) { $rx->recv(my $d, 100) }
waitpid $pid, 0;
print "reply $reply\n";
