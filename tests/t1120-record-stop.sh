#!/bin/sh
# Stopping: a stop while the outputs are drawn ends the drawing at once and
# keeps the trace and the outputs finished so far, each whole; a Ctrl-C the
# command already got from the terminal is not sent to it a second time,
# while a command in another session still gets it from the tracer.
. "$(dirname "$0")/lib.sh"
require_recording perl python3

# on_pty GLOB CMD...: run CMD on a new pseudo-terminal as its foreground
# job; once a file matches GLOB, type one Ctrl-C.  Prints what CMD wrote,
# exits with its status (128+N for signal N).
on_pty() {
	python3 - "$@" <<'PY'
import glob, os, pty, select, sys, time
pattern, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out, sent, deadline = b"", False, time.time() + 60
while time.time() < deadline:
    if not sent and glob.glob(pattern):
        os.write(fd, b"\x03")
        sent = True
    r, _, _ = select.select([fd], [], [], 0.02)
    if r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
sys.stdout.write("" if sent else "on_pty: never saw %s\n" % pattern)
sys.exit(128 + os.WTERMSIG(st) if os.WIFSIGNALED(st) else os.WEXITSTATUS(st))
PY
}

# A command that counts the SIGINTs it gets: it says it is ready, waits
# for the first one (30 s at most), then 1.5 s for more, and writes the
# count to INTS.  Each case runs in its own directory.
COUNTER='$SIG{INT} = sub { $n++ }; open F, ">ready"; close F;
	my $give_up = time + 30; sleep 1 until $n or time > $give_up; exit 3 unless $n;
	my $end = time + 1.5;
	select undef, undef, undef, 0.1 while time < $end;
	open F, ">ints"; print F "$n\n"; close F; exit 0'

# kept DIR: the files in DIR, sorted, on one line.
kept() { ls -A "$1" | sort | tr "\n" " "; }

test_expect_success 'SIGINT while drawing: stops at once, keeps the trace and what was whole' '
	rm -rf d
	IPCTRACE_TEST_DRAW_DELAY=graph.svg "$T" -o d sh -c "echo hi | cat" >out 2>err &
	tp=$! &&
	i=0; until ls d/.graph.svg.*.tmp >/dev/null 2>&1 || [ $i -gt 400 ]; do sleep 0.05; i=$((i+1)); done;
	start=$(date +%s%N) && kill -INT $tp; wait $tp; rc=$?;
	took=$((($(date +%s%N) - start) / 1000000)); cat err; echo "exit $rc after $took ms";
	[ $rc = 130 ] && [ $took -lt 3000 ] &&
	[ "$(kept d)" = "graph.dot report.json trace.ipct " ] &&
	grep -q "ipctrace: stopped while drawing; kept d/{trace.ipct,report.json,graph.dot}" err &&
	jq -e ".processes | length == 3" d/report.json && "$T" report d/trace.ipct >/dev/null &&
	grep -q "^digraph" d/graph.dot
'
test_expect_success 'SIGTERM while drawing: the same, exit 143' '
	rm -rf d
	mkdir c2 && cd c2 || exit 1
	IPCTRACE_TEST_DRAW_DELAY=timeline.svg "$T" -q -o d true 2>err &
	tp=$! &&
	i=0; until ls d/.timeline.svg.*.tmp >/dev/null 2>&1 || [ $i -gt 400 ]; do sleep 0.05; i=$((i+1)); done;
	kill -TERM $tp; wait $tp; rc=$?; cat err;
	[ $rc = 143 ] && [ "$(kept d)" = "graph.dot graph.svg report.json trace.ipct " ] &&
	xmllint --noout d/graph.svg
'
test_expect_success 'Ctrl-C on the terminal while drawing: the same, exit 130' '
	rm -rf d
	mkdir c3 && cd c3 &&
	IPCTRACE_TEST_DRAW_DELAY=graph.svg on_pty "d/.graph.svg.*.tmp" "$T" -q -o d true >out; rc=$?;
	cat out; [ $rc = 130 ] && [ "$(kept d)" = "graph.dot report.json trace.ipct " ]
'

test_expect_success 'Ctrl-C on the terminal reaches the command once, not twice' '
	rm -rf d
	mkdir c4 && cd c4 &&
	on_pty ready "$T" -q -o d perl -e "$COUNTER" >out; rc=$?; cat out;
	[ $rc = 0 ] && [ "$(cat ints)" = 1 ] &&
	[ "$(jq .interrupted d/report.json)" = true ]
'
test_expect_success '... and the tracer passes it on to a command in another session' '
	rm -rf d
	mkdir c5 && cd c5 &&
	on_pty ready "$T" -q -o d setsid perl -e "$COUNTER" >out; rc=$?; cat out;
	[ $rc = 0 ] && [ "$(cat ints)" = 1 ] && [ "$(jq .interrupted d/report.json)" = true ]
'
test_expect_success 'a SIGINT sent to the tracer alone is passed on to the command once' '
	rm -rf d
	mkdir c6 && cd c6 || exit 1
	setsid "$T" -q -o d perl -e "$COUNTER" >/dev/null 2>err &
	tp=$! &&
	i=0; until [ -e ready ] || [ $i -gt 400 ]; do sleep 0.05; i=$((i+1)); done;
	kill -INT $tp; wait $tp; rc=$?; cat err;
	[ $rc = 0 ] && [ "$(cat ints)" = 1 ]
'
test_done
