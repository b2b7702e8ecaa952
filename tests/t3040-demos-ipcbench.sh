#!/bin/sh
# t3040-demos-ipcbench: the IPC benchmark's quick mode measures every method
# in both placements, as JSON and as tables, and leaves no IPC object behind.
. "$(dirname "$0")/lib.sh"
require_cmd jq

IB="$ROOT/demos/ipcbench"
[ -x "$IB" ] || skip_all "demos/ipcbench not built (run make)"
METHODS="pipe fifo unix_stream unix_dgram tcp udp sysv_msgq posix_mq shm_sem shm_futex signal file"
NCPU=$(nproc)
export IB METHODS NCPU

test_expect_success 'ipcbench --quick --json is valid JSON' '
	ipcs -q | grep -c "^0x" >msgq.before || true
	"$IB" --quick --json >q.json &&
	jq -e ".format == \"ipcbench\" and .version == 1" q.json >/dev/null
'

test_expect_success 'every method has an entry in both placements' '
	for m in $METHODS; do
		for p in same cross; do
			n=$(jq "[.results[] | select(.method == \"$m\" and .placement == \"$p\")] | length" q.json)
			test "$n" -eq 2 || { echo "$m $p: $n entries"; exit 1; }
		done
	done &&
	test "$(jq ".results | length" q.json)" -eq $((12 * 2 * 2))
'

test_expect_success 'every measured latency and throughput is positive' '
	test "$(jq "[.results[] | select(.supported and .error == null)] | length" q.json)" -ge 20 &&
	test "$(jq "[.results[] | select(.error != null)] | length" q.json)" -eq 0 &&
	jq -e "[.results[] | select(.latency_us) |
		.latency_us.median > 0 and .latency_us.p99 >= .latency_us.median and
		.latency_us.samples > 0 and .throughput.mb_per_s > 0] | all" q.json >/dev/null
'

test_expect_success 'sizes a method cannot carry are n/a, not errors' '
	test "$(jq -r ".results[] | select(.method == \"signal\" and .size == 4096 and .placement == \"same\") | .supported" q.json)" = false &&
	test "$(jq -r ".results[] | select(.method == \"signal\" and .size == 1 and .placement == \"same\") | .supported" q.json)" = true &&
	"$IB" --method sysv_msgq,udp --size 1M --placement same --json >big.json &&
	test "$(jq "[.results[] | select(.supported)] | length" big.json)" -eq 0
'

test_expect_success 'cross placement uses two CPUs (n/a on one CPU)' '
	if [ "$NCPU" -ge 2 ]; then
		jq -e "[.results[] | select(.placement == \"cross\") | .cpus[0] != .cpus[1]] | all" q.json >/dev/null &&
		jq -e "[.results[] | select(.placement == \"same\") | .cpus[0] == .cpus[1]] | all" q.json >/dev/null
	else
		jq -e "[.results[] | select(.placement == \"cross\") | .supported == false] | all" q.json >/dev/null
	fi
'

test_expect_success 'the table output has one row per method in each table' '
	"$IB" --quick --size 1,100 >table &&
	for m in $METHODS; do
		test "$(grep -c "^$m " table)" -eq 6 || { echo "$m: $(grep -c "^$m " table) rows"; exit 1; }
	done &&
	grep -q "^placement same" table && grep -q "^placement cross" table
'

test_expect_success 'no SysV queue, /dev/shm entry, FIFO or temp file is left' '
	ipcs -q | grep -c "^0x" >msgq.after || true
	test "$(cat msgq.after)" -le "$(cat msgq.before)" &&
	! ls /dev/shm | grep -q ipcbench &&
	! ls "${TMPDIR:-/tmp}" | grep -q "^ipcbench\."
'

test_expect_success 'SIGINT in the middle cleans up too' '
	"$IB" --method sysv_msgq --size 1 --count 100000 --runs 50 >/dev/null 2>&1 &
	pid=$!
	sleep 0.5
	kids=$(pgrep -P $pid)
	kill -INT $pid
	wait $pid
	rc=$?
	sleep 0.2
	left=$(ipcs -q | grep -c "^0x")
	echo "exit $rc, queues $left (before: $(cat msgq.before)), children: $kids"
	test $rc -eq 130 && test -n "$kids" &&
	test "$left" -le "$(cat msgq.before)" &&
	for k in $kids; do ! test -d /proc/$k || exit 1; done
'

test_expect_code 2 'a bad method is a usage error' '
	"$IB" --method carrier-pigeon
'

test_done
