#!/bin/sh
# t3030-demos-webserver: the prefork web server serves curl, /status, 404 and
# 400, survives webload, restarts its workers on SIGHUP, replaces a killed
# worker, and stops cleanly on SIGTERM with no process left behind.
. "$(dirname "$0")/lib.sh"
require_cmd curl

WS="$ROOT/demos/webserver"
WL="$ROOT/demos/webload"
[ -x "$WS" ] && [ -x "$WL" ] || skip_all "demos/webserver or demos/webload not built (run make)"

# Start one server for the whole script; its state lives in $TEST_TMP.
# A wrapper keeps the server's exit status in ws.rc (the cases run in
# subshells, which cannot wait for it).
(
	"$WS" -p 0 -w 2 -r 't3030 <page>' >"$TEST_TMP/ws.out" 2>"$TEST_TMP/ws.err" &
	echo $! >"$TEST_TMP/ws.pid"
	wait $!
	echo $? >"$TEST_TMP/ws.rc"
) &
i=0
while ! grep -q '^listening on ' "$TEST_TMP/ws.out" 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
WS_PID=$(cat "$TEST_TMP/ws.pid")
trap 'kill -KILL $WS_PID 2>/dev/null; rm -rf "$TEST_TMP"' EXIT
PORT=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$TEST_TMP/ws.out")
URL="http://127.0.0.1:$PORT"
export WS_PID PORT URL

workers() {  # the server's children, one pid a line
	pgrep -P "$WS_PID" | sort
}

test_expect_success 'listens on a port it prints' '
	test -n "$PORT" && test "$PORT" -gt 0
'

test_expect_success 'GET / is a page naming the worker that served it' '
	curl -sS -o page.html -w "%{http_code}" "$URL/" >code &&
	test "$(cat code)" = 200 &&
	grep -q "Served by worker pid [0-9]" page.html &&
	grep -q "t3030 &lt;page&gt;" page.html &&
	pid=$(sed -n "s/.*worker pid \([0-9]*\).*/\1/p" page.html) &&
	workers | grep -qx "$pid"
'

test_expect_success 'GET /status shows the master view of both workers' '
	curl -sS -f "$URL/status" >status &&
	grep -q "^master $WS_PID, 2 workers" status &&
	test $(grep -cE "^[0-9]+ +(idle|busy) " status) -eq 2
'

test_expect_success 'an unknown path is 404, a bad request 400, DELETE 405' '
	test "$(curl -s -o /dev/null -w "%{http_code}" "$URL/no-such-page")" = 404 &&
	test "$(curl -s -o /dev/null -w "%{http_code}" -X DELETE "$URL/")" = 405 &&
	test "$(curl -s -o /dev/null -w "%{http_code}" --request-target nopath "$URL/")" = 400
'

test_expect_success 'keep-alive: two requests over one connection' '
	curl -sS -o /dev/null -o /dev/null -w "%{num_connects}\n" "$URL/" "$URL/status" >n &&
	test "$(sed -n 2p n)" = 0
'

test_expect_success 'webload -c 4 -n 200 succeeds and reports percentiles' '
	"$WL" -c 4 -n 200 "$URL/" >load &&
	grep -q "^requests: 200 ok, 0 failed" load &&
	grep -q "^latency ms: p50 .* p90 .* p99 .* max " load &&
	curl -sS "$URL/status" >status &&
	total=$(sed -n "s/^total requests //p" status) &&
	test "$total" -ge 200
'

test_expect_success 'webload fails on a 404' '
	test_must_fail=0
	"$WL" -c 2 -n 4 "$URL/missing" >load 2>err || test_must_fail=1
	test $test_must_fail = 1 && grep -q "4 failed" load
'

test_expect_success 'SIGHUP replaces every worker, one by one, and still serves' '
	workers >before && test $(wc -l <before) -eq 2 &&
	kill -HUP $WS_PID &&
	i=0; while [ $i -lt 50 ]; do
		workers >after
		[ $(wc -l <after) -eq 2 ] && [ -z "$(comm -12 before after)" ] && break
		sleep 0.1; i=$((i + 1))
	done &&
	test $(wc -l <after) -eq 2 && test -z "$(comm -12 before after)" &&
	test "$(curl -s -o /dev/null -w "%{http_code}" "$URL/")" = 200
'

test_expect_success 'a killed worker is replaced' '
	victim=$(workers | head -1) &&
	kill -KILL $victim &&
	i=0; while [ $i -lt 50 ]; do
		[ $(workers | wc -l) -eq 2 ] && ! workers | grep -qx $victim && break
		sleep 0.1; i=$((i + 1))
	done &&
	test $(workers | wc -l) -eq 2 && ! workers | grep -qx $victim
'

test_expect_success 'SIGTTIN adds a worker, SIGTTOU removes one' '
	kill -TTIN $WS_PID &&
	i=0; while [ $(workers | wc -l) -ne 3 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done &&
	test $(workers | wc -l) -eq 3 &&
	kill -TTOU $WS_PID &&
	i=0; while [ $(workers | wc -l) -ne 2 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done &&
	test $(workers | wc -l) -eq 2
'

test_expect_success 'SIGTERM: exit 0 within 5 s, no worker left' '
	workers >last &&
	kill -TERM $WS_PID &&
	i=0; while kill -0 $WS_PID 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done &&
	! kill -0 $WS_PID 2>/dev/null &&
	i=0; while ! test -s "$TEST_TMP/ws.rc" && [ $i -lt 20 ]; do sleep 0.1; i=$((i + 1)); done &&
	test "$(cat "$TEST_TMP/ws.rc")" = 0 &&
	for p in $(cat last); do ! test -d /proc/$p || exit 1; done &&
	grep -q "webserver: stopped" "$TEST_TMP/ws.err"
'

test_done
