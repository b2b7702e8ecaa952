#!/bin/sh
# End to end, the record options that shape what is captured:
#   -e KINDS   only those kinds of IPC are recorded (the process lifecycle
#              always is); an unknown kind is a usage error (exit 2);
#   -s N       the first N bytes of each message are kept (0: none), as
#              `trace dump` shows in write(fd, "...", n); beyond 256 is a
#              usage error.
. "$(dirname "$0")/lib.sh"
require_recording jq

# kinds TRACE: the kinds of the events in `trace dump TRACE`, one per line,
# sorted; "none" for fork, exec and exit.
kinds() {
	"$T" dump --json "$1" | jq -r .kind | sort -u
}

# record OUT ARGS...: run the trace with ARGS; it must exit 0, lose nothing.
record() {
	out=$1; shift
	rm -rf "$out"
	"$T" -q -o "$out" "$@" >"$out.stdout" 2>"$out.stderr" ||
		{ echo "trace failed: $?"; cat "$out.stderr"; return 1; }
	[ "$(json_get "$out/report.json" .lost_events)" = 0 ] &&
	[ "$(json_get "$out/report.json" .exit_status)" = 0 ]
}

# flows REPORT: "kind messages bytes" per flow, sorted (pids left out).
flows() {
	jq -r '[.flows[] | "\(.kind) \(.messages) \(.bytes)"] | sort | .[]' "$1"
}

# ---- -e ----

test_expect_success 'without -e, msgq_sum records files, shm, signals and msgq' '
	record all "$D/msgq_sum" -n 1000 -p 3 &&
	kinds all/trace.ipct >k && cat k &&
	grep -qx file k && grep -qx msgq k && grep -qx signal k && grep -qx none k
'
test_expect_success '-e msgq: only msgq events and the lifecycle, same msgq flows' '
	record mq -e msgq "$D/msgq_sum" -n 1000 -p 3 &&
	same kinds "$(kinds mq/trace.ipct)" "msgq
none" &&
	[ "$(json_get mq/report.json ".processes | length")" = 4 ] &&
	same flows "$(flows mq/report.json)" "msgq 1 8
msgq 1 8
msgq 1 8" &&
	[ "$(jq "[.channels[] | select(.kind != \"msgq\")] | length" mq/report.json)" = 0 ]
'
test_expect_success '-e file,signal on msgq_sum: no msgq at all' '
	record fs -e file,signal "$D/msgq_sum" -n 1000 -p 3 &&
	kinds fs/trace.ipct >k && cat k &&
	! grep -qx msgq k && grep -qx file k &&
	[ -z "$(grep -vx -e file -e signal -e none k)" ] &&
	[ "$(json_get fs/report.json ".processes | length")" = 4 ] &&
	[ "$(jq "[.flows[] | select(.kind == \"msgq\")] | length" fs/report.json)" = 0 ] &&
	[ "$(jq "[.channels[] | select(.kind == \"msgq\")] | length" fs/report.json)" = 0 ]
'
test_expect_success '-e pipe on pipe_sum: pipe only, 3 flows of 8 bytes' '
	record pp -e pipe "$D/pipe_sum" -n 1000 -p 3 &&
	same kinds "$(kinds pp/trace.ipct)" "none
pipe" &&
	same flows "$(flows pp/report.json)" "pipe 1 8
pipe 1 8
pipe 1 8"
'
test_expect_success '-e signal on signal_sum: signals only, 3 flows' '
	record sg -e signal "$D/signal_sum" -n 1000 -p 3 &&
	same kinds "$(kinds sg/trace.ipct)" "none
signal" &&
	same flows "$(flows sg/report.json)" "signal 1 0
signal 1 0
signal 1 0"
'
test_expect_success '-e tcp,udp on the Unix socket_sum: no socket events at all' '
	record un -e tcp,udp "$D/socket_sum" -n 1000 -p 3 &&
	same kinds "$(kinds un/trace.ipct)" "none" &&
	same flows "$(flows un/report.json)" "" &&
	[ "$(json_get un/report.json ".processes | length")" = 4 ]
'
test_expect_success '-e udp,unix on socket_sum --udp: the datagrams only' '
	record ud -e udp,unix "$D/socket_sum" -n 1000 -p 3 --udp &&
	same kinds "$(kinds ud/trace.ipct)" "none
udp" &&
	same flows "$(flows ud/report.json)" "udp 1 8
udp 1 8
udp 1 8"
'
test_expect_success '-e all is the default' '
	record al -e all "$D/msgq_sum" -n 1000 -p 3 &&
	same kinds "$(kinds al/trace.ipct)" "$(kinds all/trace.ipct)"
'
test_expect_code 2 '-e pipe,bogus: an unknown kind is a usage error' '
	"$T" -q -e pipe,bogus -o bad "$D/pipe_sum" >out 2>err
'
test_expect_success '... with one error line naming it, and nothing run or written' '
	"$T" -q -e pipe,bogus -o bad "$D/pipe_sum" >out 2>err
	[ $? = 2 ] && grep -q "^error: unknown kind .bogus." err &&
	[ ! -e bad ] && [ ! -s out ]
'
test_expect_code 2 '-e with an empty list is a usage error' '
	"$T" -q -e "" -o bad2 "$D/pipe_sum"
'
test_expect_code 2 '-e without a value is a usage error' '
	"$T" -e
'

# ---- -s ----

MSG=0123456789abcdefghijklmnopqrstuvwxyzABCD	# 40 bytes

# payloads TRACE KIND: the bytes shown of every read and write on KIND,
# write(3<pipe:[45991]>, "...", 40): the first string after the fd.
payloads() {
	"$T" dump --kind "$2" "$1" | grep -E " (read|write|recvfrom|sendto|readv|writev)\(" |
		sed -n "s/^[^(]*([0-9]*<[^\"]*>, \"\(\([^\"\\\\]\|\\\\.\)*\)\".*/\1/p" | grep -v "^\$"
}

test_expect_success 'default snaplen: the first 32 bytes of the write and of the read' '
	record s32 "$ROOT/demos/classic/pipe_hello" "$MSG" &&
	same payloads "$(payloads s32/trace.ipct pipe)" "0123456789abcdefghijklmnopqrstuv
0123456789abcdefghijklmnopqrstuv"
'
test_expect_success '-s 5: the first 5 bytes' '
	record s5 -s 5 "$ROOT/demos/classic/pipe_hello" "$MSG" &&
	same payloads "$(payloads s5/trace.ipct pipe)" "01234
01234"
'
test_expect_success '-s 0: no payload anywhere, and the same flows' '
	record s0 -s 0 "$ROOT/demos/classic/pipe_hello" "$MSG" &&
	[ "$(payloads s0/trace.ipct pipe)" = "" ] &&
	"$T" dump s0/trace.ipct | grep -q " write([0-9]*<pipe:\[[0-9]*\]>, ?, 40) = 40 <" &&
	same flows "$(flows s0/report.json)" "pipe 1 40"
'
test_expect_success '-s 256: 256 bytes of a 300-byte message' '
	long=$(printf "%0300d" 0 | tr 0 x) &&
	record s256 -s 256 "$ROOT/demos/classic/pipe_hello" "$long" &&
	payloads s256/trace.ipct pipe >p &&
	[ "$(wc -l <p)" = 2 ] &&
	[ "$(head -n1 p)" = "$(printf "%0256d" 0 | tr 0 x)" ] &&
	same flows "$(flows s256/report.json)" "pipe 1 300"
'
test_expect_success '-s 8 on a message queue: msgsnd and msgrcv carry 8 bytes' '
	key=$((200000 + $$)) &&
	record sq -s 8 sh -c "\"$ROOT/demos/classic/msgq_send\" -k $key alphabetical && \"$ROOT/demos/classic/msgq_recv\" -k $key" &&
	same payloads "$("$T" dump sq/trace.ipct | grep -E " msg(snd|rcv)\(" |
		sed -n "s/^[^(]*([0-9]*, [0-9]*, \"\([^\"]*\)\".*/\1/p" | grep -v "^\$")" "alphabet
alphabet"
'
# socket_sum --tcp -n 1000 -p 1: one partial, 500500 = 0x7a314, 8 bytes
# little-endian, sent by the worker and read by the parent.
TCP_DATA='\x14\xa3\x07\x00\x00\x00\x00\x00'
test_expect_success '-s 16 on a TCP connection: the 8 bytes, on both sides' '
	record st -s 16 "$D/socket_sum" --tcp -n 1000 -p 1 &&
	same payloads "$(payloads st/trace.ipct tcp)" "$TCP_DATA
$TCP_DATA"
'
test_expect_code 2 '-s 257 is a usage error' '"$T" -q -s 257 -o bad3 true'
test_expect_code 2 '-s -1 is a usage error' '"$T" -q -s -1 -o bad4 true'
test_expect_code 2 '-s abc is a usage error' '"$T" -q -s abc -o bad5 true'
test_done
