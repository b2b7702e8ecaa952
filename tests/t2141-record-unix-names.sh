#!/bin/sh
# A unix datagram socket named before tracing, or through a relative path
# from another directory: the sender's peer is the socket the kernel
# queued the datagram at (sk_data_ready during the send), and the channel
# is named by the address that socket is bound to.  A receiver outside the
# trace still makes a channel, marked "untraced_end".  The listener
# (python3) counts what it received: that is the truth the report must
# give.
. "$(dirname "$0")/lib.sh"
require_recording jq
require_cmd python3
require_cmd logger

cat >"$TEST_TMP/listen.py" <<-\PY
import socket, sys
path, n = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
print("ready", flush=True)
total = 0
for i in range(n):
    total += len(s.recv(65536))
print("received", n, total, flush=True)
PY
cat >"$TEST_TMP/send.py" <<-\PY
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
for m in sys.argv[2:]:
    s.sendto(m.encode(), sys.argv[1])
print("sent", os.getpid(), len(sys.argv) - 2, sum(len(m) for m in sys.argv[2:]), flush=True)
PY

# start_listener PATH N OUT: an untraced listener, ready when it returns.
start_listener() {
	python3 "$TEST_TMP/listen.py" "$1" "$2" >"$3" &
	i=0
	while ! grep -q ready "$3" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	grep -q ready "$3"
}

# unix channel NAME's "users untraced_end bytes_sent messages" in REPORT
channel() {
	jq -r --arg n "$2" '.channels[] | select(.kind == "unix" and .name == $n)
		| "\(.users | map(tostring) | join(",")) \(.untraced_end) \(.bytes_sent) \(.messages)"' "$1"
}

test_expect_success 'sendto a path bound before tracing: a channel named by it, receiver untraced' '
	start_listener "$PWD/pre.sock" 3 pre.out &&
	"$T" -q -o pre python3 "$TEST_TMP/send.py" "$PWD/pre.sock" abc defgh ij >sent.out &&
	wait &&
	grep -qx "received 3 10" pre.out &&
	read -r _ sender _ <sent.out &&
	[ "$(channel pre/report.json "$PWD/pre.sock")" = "$sender true 10 3" ] &&
	"$T" dump pre/trace.ipct >pre.dump &&
	grep -q " unix-name socket=UNIX:\[[0-9]*\] address=\"$PWD/pre.sock\" file_dev=[0-9]* file_ino=$(stat -c %i pre.sock)$" pre.dump
'

test_expect_success 'logger to a private socket of an untraced listener' '
	start_listener "$PWD/log.sock" 2 log.out &&
	"$T" -q -o lg sh -c "logger -u \"$PWD/log.sock\" -d --id=42 hello && logger -u \"$PWD/log.sock\" -d --id=42 world" &&
	wait &&
	bytes=$(sed -n "s/^received 2 \([0-9]*\)$/\1/p" log.out) &&
	[ -n "$bytes" ] &&
	[ "$(jq -r ".channels[] | select(.kind == \"unix\" and .name == \"$PWD/log.sock\")
		| \"\(.users | length) \(.untraced_end) \(.bytes_sent) \(.messages)\"" lg/report.json)" = \
	  "2 true $bytes 2" ]
'

test_expect_success 'a relative path from another directory reaches the traced binder' '
	mkdir d &&
	"$T" -q -o rel sh -c "(cd d && exec python3 \"$TEST_TMP/listen.py\" sock 2 >../rel.out) &
		i=0; while ! grep -q ready rel.out 2>/dev/null && [ \$i -lt 200 ]; do sleep 0.05; i=\$((i + 1)); done
		python3 \"$TEST_TMP/send.py\" d/sock hello world! >sent2.out; wait" &&
	grep -qx "received 2 11" rel.out &&
	read -r _ sender _ <sent2.out &&
	receiver=$(jq -r ".channels[] | select(.kind == \"unix\" and .name == \"sock\") | .users[]" rel/report.json |
		grep -vx "$sender") &&
	[ "$(jq -r ".flows[] | select(.kind == \"unix\") | \"\(.from) \(.to) \(.messages) \(.bytes)\"" rel/report.json)" = \
	  "$sender $receiver 2 11" ] &&
	[ "$(channel rel/report.json sock | cut -d" " -f2)" = null ]
'
test_done
