#!/bin/sh
# Descriptors open before tracing began are named: what the command
# inherits (stdout redirected to a file, stdin from a pipe), and, with -p,
# what the running process has open (a file, a bound unix socket).  The
# dump lists them as open-at-start lines and names the calls on them; the
# report names the file.  The command's list is exactly what it had open
# after exec, as /proc shows it.
. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_cmd jq
require_cmd python3
T="$ROOT/trace"

test_expect_success 'stdout redirected to a file: named in the dump and the report' '
	"$T" -q -o d sh -c "echo hi" >out.txt && grep -qx hi out.txt &&
	"$T" dump d >dump.txt &&
	grep -E "open-at-start fd=1<$TEST_TMP/out.txt> flags=O_WRONLY" dump.txt &&
	grep -F "write(1<$TEST_TMP/out.txt>, \"hi\\x0a\", 3) = 3" dump.txt &&
	"$T" report --all d | grep -E "file:[0-9]+:[0-9]+ +send +1 .* $TEST_TMP/out.txt$" &&
	"$T" report --json d | jq -e --arg p "$TEST_TMP/out.txt" "[.channels[] | select(.name == \$p)] | length == 1"
'

test_expect_success 'stdin from a pipe: the pipe the command reads is the one it inherited' '
	echo abc | "$T" -q -o p sh -c "cat >/dev/null" &&
	"$T" dump p >dump.txt &&
	pipe=$(sed -n "s/.*open-at-start fd=0<\(pipe:\[[0-9]*\]\)>.*/\1/p" dump.txt) && test -n "$pipe" &&
	grep -F "read(0<$pipe>, \"abc\\x0a\"" dump.txt
'

test_expect_success 'the command is given exactly the descriptors it has after exec' '
	"$T" -q -o l sh -c "ls /proc/\$\$/fd" >fds.txt &&
	"$T" dump l | sed -n "s/.*open-at-start fd=\([0-9]*\).*/\1/p" | sort -n >listed.txt &&
	sort -n fds.txt >want.txt && test -s want.txt && cmp want.txt listed.txt
'

cat >"$TEST_TMP/holder.py" <<'EOF_PY'
import os, socket, sys, time
d = sys.argv[1]
f = os.open(d + "/held.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(d + "/held.sock")
open(d + "/ready", "w").close()
while not os.path.exists(d + "/go"):
    time.sleep(0.01)
os.write(f, b"z")
c = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
c.sendto(b"ping", d + "/held.sock")
print(s.recv(16).decode(), f, s.fileno())
EOF_PY

test_expect_success '-p: the running process'"'"'s open file and bound socket are named' '
	python3 holder.py "$TEST_TMP" >holder.out 2>&1 &
	H=$!
	i=0; until [ -e ready ]; do i=$((i + 1)); [ $i -le 400 ] || exit 1; sleep 0.05; done
	"$T" -q -p $H -o a >trace.out 2>trace.err &
	TP=$!
	i=0; until [ -e a/trace.ipct ]; do i=$((i + 1)); [ $i -le 400 ] || { kill $H $TP; exit 1; }; sleep 0.05; done
	touch go && wait $H && wait $TP &&
	read word f s <holder.out && test "$word" = ping &&
	"$T" dump a >dump.txt &&
	grep -E "open-at-start fd=$f<$TEST_TMP/held.txt> flags=O_WRONLY" dump.txt &&
	grep -F "write($f<$TEST_TMP/held.txt>, \"z\", 1) = 1" dump.txt &&
	grep -E "open-at-start fd=$s<UNIX-DGRAM:\[[0-9]+\]> flags=O_RDWR address=\"$TEST_TMP/held.sock\"" dump.txt &&
	"$T" report --json --all a |
		jq -e --arg p "$TEST_TMP/held.sock" "[.channels[] | select(.kind == \"unix\" and .name == \$p)] | length == 1"
'

test_expect_success 'hostile path: a newline and an escape in the inherited file name stay escaped' '
	n="$(printf "x\nq\033[31m")" &&
	"$T" -q -o h sh -c "echo a" >"$n" &&
	"$T" dump h >dump.txt &&
	grep -F "open-at-start fd=1<$TEST_TMP/x\\x0aq\\x1b[31m>" dump.txt &&
	! grep -q "$(printf "\033")" dump.txt
'

test_done
