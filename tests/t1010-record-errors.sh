#!/bin/sh
# The tracer's error paths and exit statuses: one clear line, a non-zero
# exit, and the command's own status passed through.
. "$(dirname "$0")/lib.sh"
require_recording
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

test_expect_code 1 'not root: says so and exits 1' '
	chmod 755 . && nobody "$T" "$ROOT/demos/pipe_sum" 2>err;
	rc=$?; cat err; grep -q "needs root" err && [ $(wc -l <err) = 1 ] && exit $rc
'
test_expect_code 127 'command not found: one line, exit 127' '
	"$T" -o d no-such-command-xyz 2>err; rc=$?; cat err;
	grep -q "command not found: .no-such-command-xyz." err && [ $(wc -l <err) = 1 ] && ! test -e d/trace.ipct && exit $rc
'
test_expect_code 1 'no BTF: says what the kernel needs' '
	IPCTRACE_SYSFS_BTF=/nonexistent "$T" -o d "$ROOT/demos/pipe_sum" 2>err; rc=$?; cat err;
	grep -q "no BTF" err && grep -q CONFIG_DEBUG_INFO_BTF err && exit $rc
'
test_expect_code 2 'no command is a usage error' '"$T" record'
test_expect_code 2 'unknown option is a usage error' '"$T" --bogus true'
test_expect_code 2 'bad buffer size is a usage error' '"$T" -b 3 true'
test_expect_success '--help shows examples' '"$T" --help | grep -q Examples && "$T" record --help | grep -q -- --output'
test_expect_code 7 'exits with the command status' '"$T" -q -o d7 sh -c "exit 7" >/dev/null'
test_expect_code 137 'a command killed by signal 9 gives 128+9' '"$T" -q -o d9 sh -c "kill -9 \$\$" >/dev/null'

test_expect_success 'SUDO_UID/SUDO_GID: the command runs as that user, outputs belong to it' '
	chmod 755 . && mkdir home && chown 65534:65534 home &&
	SUDO_UID=65534 SUDO_GID=65534 "$T" -q -o home/su sh -c "id -u; id -g" >ids &&
	[ "$(sed -n 1p ids)" = 65534 ] && [ "$(sed -n 2p ids)" = 65534 ] &&
	cd home &&
	for f in su su/trace.ipct su/report.json su/graph.svg su/timeline.svg su/graph.dot su/perfetto.json; do
		[ "$(stat -c %u:%g $f)" = 65534:65534 ] || { echo "$f: $(stat -c %u:%g $f)"; exit 1; }
	done
'
test_expect_code 1 'a bad SUDO_UID is refused' 'SUDO_UID=abc "$T" -q -o d true'

test_expect_success 'Ctrl-C stops the command and still leaves a readable trace and pictures' '
	DEMO_WORKER_DELAY_MS=20000 setsid "$T" -q -o cc "$ROOT/demos/pipe_sum" -n 100 -p 2 >/dev/null 2>err &
	tpid=$! &&
	# the stop comes once the command runs (loading BPF takes seconds on a
	# loaded machine; a background job starts with SIGINT ignored)
	for i in $(seq 300); do pgrep -P $tpid pipe_sum >/dev/null && break; sleep 0.1; done &&
	sleep 0.5 && kill -INT -$tpid;
	wait $tpid; rc=$?;
	echo "trace exit $rc"; cat err;
	[ $rc = 130 ] &&
	"$T" report --json cc/trace.ipct >j && jq -e ".processes | length == 3" j &&
	xmllint --noout cc/graph.svg cc/timeline.svg
'

test_expect_success 'an orphan that outlives the command stays traced to its end' '
	"$T" -q -o orph sh -c "(sleep 0.5; echo late >f; cat f >g) & exit 3" >/dev/null;
	rc=$?; [ $rc = 3 ] && [ "$(cat g)" = late ] &&
	"$T" dump orph/trace.ipct >orph.dump && grep -q "(.*, \"late" orph.dump &&
	[ "$(jq "[.processes[] | select(.exit_code != null)] | length" orph/report.json)" = \
	  "$(jq ".processes | length" orph/report.json)" ]
'

test_expect_success 'a trace cut in half still reads back up to the cut' '
	"$T" -q -o big "$ROOT/demos/pipe_sum" -n 100 -p 200 >/dev/null &&
	size=$(stat -c %s big/trace.ipct) &&
	head -c $((size / 2)) big/trace.ipct >cut.ipct &&
	"$T" report cut.ipct >out 2>err; rc=$?; cat err;
	[ $rc = 0 ] && grep -q "cut short" err
'
test_expect_code 1 'a foreign file is rejected with one line' '
	echo "hello world, not a trace" >foreign.ipct &&
	"$T" report foreign.ipct 2>err; rc=$?; cat err; [ $(wc -l <err) = 1 ] && exit $rc
'
test_expect_success 'a write error on a device reports ENOSPC and leaves the device alone' '
	"$T" -q -o dev "$ROOT/demos/pipe_sum" -n 10 -p 2 >/dev/null &&
	mknod full c 1 7 &&
	! "$T" graph dev/trace.ipct -o full 2>err && cat err &&
	grep -q "No space left on device" err && test -c full &&
	! "$T" report dev/trace.ipct >full 2>err && grep -q "No space left on device" err && test -c full
'

test_expect_code 1 'a missing file is rejected with one line' '
	"$T" report nothing.ipct 2>err; rc=$?; cat err; grep -q "cannot open .nothing.ipct." err && exit $rc
'
test_done
