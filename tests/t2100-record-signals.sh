#!/bin/sh
# Signals on ordinary programs: a fatal signal is a flow to the process it
# killed (the kernel turns it into a group exit, so signal_deliver only
# sees SIGKILL), the kernel is a sender of its own (SIGPIPE, timers) with
# its cause, an ignored signal still reached its target, and a blocked
# one still pending at exit is reported as undelivered.
. "$(dirname "$0")/lib.sh"
require_recording jq perl

# record OUT CMD...: trace CMD into OUT (its exit status is not checked:
# some of these commands are killed on purpose); nothing may be lost.
record() {
	out=$1; shift
	rm -rf "$out"
	"$T" -q -o "$out" "$@" >"$out.stdout" 2>"$out.stderr"
	jq -e . "$out/report.json" >/dev/null || { cat "$out.stderr"; return 1; }
	[ "$(json_get "$out/report.json" .lost_events)" = 0 ] ||
		{ echo "lost: $(jq -c .lost_by_kind "$out/report.json")"; return 1; }
}

# pid_of REPORT COMM [N]: the pid of the N-th (from 0) process named COMM.
pid_of() {
	jq -r --arg c "$2" "[.processes[] | select(.comm == \$c)][${3:-0}].pid" "$1"
}

# sigflows REPORT: "from to messages signals from_kernel" per signal flow,
# SIGCHLD flows left out.
sigflows() {
	jq -r '.flows[] | select(.kind == "signal" and (.signals != ["SIGCHLD"]))
		| "\(.from) \(.to) \(.messages) \(.signals | join(",")) \(.from_kernel // "-")"' "$1"
}

test_expect_success 'kill -TERM of a sleeping child is a flow from sh to it' '
	record term sh -c "sleep 5 & sleep 0.3; kill -TERM \$!; wait" &&
	r=term/report.json && sh=$(pid_of $r sh) && sl=$(pid_of $r sleep) &&
	[ "$(jq ".processes[] | select(.pid == $sl) | .exit_code" $r)" = 143 ] &&
	same flows "$(sigflows $r)" "$sh $sl 1 SIGTERM -" &&
	[ "$(jq ".undelivered_signals | length" $r)" = 0 ]
'

test_expect_success 'kill -KILL is a flow too' '
	record kill sh -c "sleep 5 & sleep 0.3; kill -KILL \$!; wait" &&
	r=kill/report.json && sh=$(pid_of $r sh) && sl=$(pid_of $r sleep) &&
	[ "$(jq ".processes[] | select(.pid == $sl) | .exit_code" $r)" = 137 ] &&
	same flows "$(sigflows $r)" "$sh $sl 1 SIGKILL -"
'

test_expect_success 'timeout -s USR1: the signal that killed sleep reached it' '
	record tmo timeout -s USR1 0.3 sleep 5 &&
	r=tmo/report.json && to=$(pid_of $r timeout) && sl=$(pid_of $r sleep) &&
	[ "$(jq ".processes[] | select(.pid == $sl) | .exit_code" $r)" = 138 ] &&
	jq -e ".flows[] | select(.kind == \"signal\" and .from == $to and .to == $sl)
		| .signals | index(\"SIGUSR1\")" $r &&
	jq -e ".flows[] | select(.from == 0 and .to == $to)
		| .from_kernel == \"SIGALRM: POSIX timer expired\"" $r
'

test_expect_success 'yes | head: the kernel sends yes SIGPIPE, which kills it' '
	record yes sh -c "yes | head -c 100000 >/dev/null" &&
	r=yes/report.json && y=$(pid_of $r yes) &&
	[ "$(jq ".processes[] | select(.pid == $y) | .exit_code" $r)" = 141 ] &&
	same flows "$(sigflows $r)" "0 $y 1 SIGPIPE SIGPIPE: write to a closed pipe or socket" &&
	"$T" report yes/trace.ipct >yes.txt &&
	grep -q "kernel → $y yes via signal:$y: 1 × SIGPIPE (SIGPIPE: write to a closed pipe or socket)" yes.txt
'

test_expect_success 'ignored, caught, blocked and fatal: each has its fate' '
	record mix perl "$ROOT/tests/workloads/signal_mix.pl" &&
	grep -qx "child status 15" mix.stdout &&
	r=mix/report.json && p=$(pid_of $r perl 0) && c=$(pid_of $r perl 1) &&
	same flows "$(sigflows $r)" "$p $c 3 SIGUSR1,SIGUSR2,SIGTERM -" &&
	same undelivered "$(jq -r ".undelivered_signals[] | \"\(.from) \(.to) \(.signal) \(.reason)\"" $r)" \
		"$p $c SIGHUP still pending (or blocked) when the target exited" &&
	"$T" report mix/trace.ipct >mix.txt &&
	grep -q "signals not delivered (1):" mix.txt
'

test_expect_success 'an interval timer: three SIGALRM from the kernel' '
	record alrm perl -MTime::HiRes=ualarm -e "\$SIG{ALRM} = sub { \$n++ };
		ualarm(50000, 50000); select(undef, undef, undef, 0.01) while \$n < 3;
		ualarm(0); print \"\$n\n\"" &&
	grep -qx 3 alrm.stdout &&
	r=alrm/report.json && p=$(pid_of $r perl) &&
	same flows "$(sigflows $r)" "0 $p 3 SIGALRM SIGALRM: timer expired"
'

test_done
