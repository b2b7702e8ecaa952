#!/usr/bin/perl
# strace_sums.pl DIR PREFIX - sum what `strace -ff -yy -s 0 -o DIR/PREFIX`
# saw, per process: one line per (pid, object, direction) with the bytes
# moved ("PID pipe:INO send BYTES", objects: pipe:INO, path for regular
# files and FIFOs, unix, tcp, udp, msgq), one per signal a process took
# ("PID took SIGX") and one per signal a process sent with a kill-like
# call that succeeded ("PID sent TARGET SIGX").  SIGCHLD is left out (a
# ptraced parent takes every one, even those it ignores), and so are
# SIGSTOP and SIGCONT (strace's own start-up of the command).  The format is
# the one tests/t2500-oracle-strace.sh builds from ./trace's side.
use strict;
use warnings;

my ($dir, $prefix) = @ARGV;
my (%bytes, @lines);
my %send = map { $_ => 1 } qw(write writev pwrite64 sendto sendmsg sendmmsg msgsnd mq_timedsend);

# Signal number N as ./trace names it: "SIGRTMIN+2", or strace's own name.
sub signame {
	my ($n) = @_;
	return $n == 34 ? "SIGRTMIN" : "SIGRTMIN+" . ($n - 34) if $n >= 34;
	my %byno = (1, 'SIGHUP', 2, 'SIGINT', 3, 'SIGQUIT', 6, 'SIGABRT', 9, 'SIGKILL',
		10, 'SIGUSR1', 12, 'SIGUSR2', 13, 'SIGPIPE', 14, 'SIGALRM', 15, 'SIGTERM',
		17, 'SIGCHLD', 18, 'SIGCONT', 19, 'SIGSTOP');
	return $byno{$n} // "signal $n";
}

# strace's SIGRT_N as ./trace names it.
sub rtname {
	my ($s) = @_;
	return $s =~ /^SIGRT_(\d+)$/ ? signame($1 + 32) : $s;
}

opendir(my $dh, $dir) or die "cannot open $dir: $!";
for my $f (sort grep { /^\Q$prefix\E\.\d+$/ } readdir $dh) {
	my ($pid) = $f =~ /\.(\d+)$/;
	open(my $fh, '<', "$dir/$f") or die "cannot open $f: $!";
	while (my $l = <$fh>) {
		if ($l =~ /^--- (SIG\w+) /) {
			my $sig = rtname($1);
			push @lines, "$pid took $sig" unless $sig =~ /^SIG(CHLD|STOP|CONT)$/;
			next;
		}
		if ($l =~ /^\+\+\+ killed by SIGKILL/) {
			push @lines, "$pid took SIGKILL";
			next;
		}
		my ($name, $args, $ret) = $l =~ /^(\w+)\((.*)\)\s+= (-?\d+)/ or next;
		next if $ret < 0;
		if ($name eq 'rt_sigtimedwait') {      # sigwaitinfo takes a signal without a delivery
			my $sig = signame($ret);
			push @lines, "$pid took $sig" unless $sig =~ /^SIG(CHLD|STOP|CONT)$/;
			next;
		}
		if ($name =~ /^(kill|tkill|tgkill|rt_sigqueueinfo|rt_tgsigqueueinfo)$/) {
			my @a = split /, /, $args;
			my $sig = $name eq 'tgkill' || $name eq 'rt_tgsigqueueinfo' ? $a[2] : $a[1];
			$sig = signame($1 + 32) if $sig =~ /^SIGRT_(\d+)$/;
			push @lines, "$pid sent $a[0] $sig" if $a[0] > 0 && $sig !~ /^(SIGCHLD|SIGSTOP|SIGCONT|0)$/;
			next;
		}
		my ($obj, $n);
		if ($name eq 'msgsnd') {
			($n) = $args =~ /\}, (\d+), /;
			$obj = 'msgq';
		} elsif ($name eq 'msgrcv') {
			($obj, $n) = ('msgq', $ret);
		} elsif ($name eq 'mq_timedsend') {
			($n) = $args =~ /"(?:\.\.\.)?, (\d+), /;
			$obj = 'msgq';
		} elsif ($name eq 'mq_timedreceive') {
			($obj, $n) = ('msgq', $ret);
		} else {
			my ($annot) = $args =~ /^\d+<(.*?)>(?:,|$)/ or next;
			if ($annot =~ /^pipe:\[(\d+)\]/) {
				$obj = "pipe:$1";
			} elsif ($annot =~ /^(UNIX|TCP|UDP)/) {
				$obj = lc $1;
			} elsif ($annot =~ /^\// && $annot !~ /<(char|block) /) {
				$obj = 'path';
			} else {
				next;   # ttys, /dev/null, anon inodes
			}
			$n = $ret;
			if ($name =~ /^(send|recv)mmsg$/) {	# the messages' msg_len (needs abbrev off)
				$n = 0;
				$n += $1 while $args =~ /msg_len=(\d+)/g;
			}
		}
		$bytes{"$pid $obj " . ($send{$name} ? 'send' : 'recv')} += $n;
	}
}
push @lines, map { "$_ $bytes{$_}" } keys %bytes;
print "$_\n" for sort @lines;
