#!/bin/sh
# End to end, `trace stat`: the hot calls are counted in the kernel per
# (process, object, direction) instead of recorded.  The sum demos know
# their own traffic: P workers each send one 8-byte partial sum (pipe,
# SysV and POSIX queues, Unix socket) or one queued signal, or do one P
# and one V on the semaphore set; the full recording of the same run is
# a second witness for the bytes.
. "$(dirname "$0")/lib.sh"
require_recording jq
P=4

# stat NAME DEMO: `trace stat --json` of DEMO -n 1000 -p $P (its own
# output discarded, so stdout is the JSON) into NAME.json.
stat() {
	rm -rf "$1"
	"$T" stat -q --json -o "$1" sh -c "\"$D/$2\" -n 1000 -p $P >/dev/null" >"$1.json" 2>"$1.err" ||
		{ echo "trace stat failed: $?"; cat "$1.err"; return 1; }
}

# sum NAME KIND DIR FIELD: FIELD summed over the counters of KIND and DIR.
sum() {
	jq "[.counters[] | select(.kind == \"$2\" and .dir == \"$3\") | .$4] | add // 0" "$1.json"
}

# per_counter NAME KIND DIR: "calls bytes" of each counter, sorted, one per line.
per_counter() {
	jq -r ".counters[] | select(.kind == \"$2\" and .dir == \"$3\") | \"\(.calls) \(.bytes)\"" "$1.json" | sort | uniq -c | sed 's/^ *//'
}

test_expect_success 'pipe_sum: each worker one 8-byte write, the parent reads them all' '
	stat pipe pipe_sum &&
	[ "$(per_counter pipe pipe send)" = "$P 1 8" ] &&
	[ "$(sum pipe pipe recv bytes)" = $((8 * P)) ]
'

test_expect_success 'msgq_sum: P messages of 8 bytes each way' '
	stat msgq msgq_sum &&
	[ "$(per_counter msgq msgq send)" = "$P 1 8" ] &&
	[ "$(sum msgq msgq recv calls)" = $P ] && [ "$(sum msgq msgq recv bytes)" = $((8 * P)) ]
'

test_expect_success 'posix_mq_sum: the same on a POSIX queue' '
	stat pmq posix_mq_sum &&
	[ "$(per_counter pmq msgq send)" = "$P 1 8" ] && [ "$(sum pmq msgq recv bytes)" = $((8 * P)) ]
'

test_expect_success 'socket_sum: one 8-byte send per worker on Unix sockets' '
	stat sock socket_sum &&
	[ "$(per_counter sock unix send)" = "$P 1 8" ] && [ "$(sum sock unix recv bytes)" = $((8 * P)) ]
'

test_expect_success 'sem_sum: one P and one V per worker' '
	stat sem sem_sum &&
	[ "$(per_counter sem sem P)" = "$P 1 0" ] && [ "$(per_counter sem sem V)" = "$P 1 0" ]
'

test_expect_success 'signal_sum: one queued signal from each worker to one target' '
	stat sig signal_sum &&
	jq -r ".counters[] | select(.object | startswith(\"SIGRTMIN to \")) | \"\(.pid) \(.object) \(.calls)\"" sig.json >rt &&
	[ $(wc -l <rt) = $P ] && [ $(cut -d" " -f1 rt | sort -u | wc -l) = $P ] &&
	[ $(cut -d" " -f4 rt | sort -u | wc -l) = 1 ] && [ "$(cut -d" " -f5 rt | sort -u)" = 1 ]
'

test_expect_success 'the bytes agree with a full recording of the same run' '
	"$T" -q -o full "$D/pipe_sum" -n 100000 -p 8 >/dev/null &&
	"$T" stat -q --json -o st8 sh -c "\"$D/pipe_sum\" -n 100000 -p 8 >/dev/null" >st8.json &&
	rec=$(jq "[.flows[] | select(.kind == \"pipe\") | .bytes] | add" full/report.json) &&
	cnt=$(sum st8 pipe send bytes) &&
	echo "recorded $rec, counted $cnt" && [ "$rec" = "$cnt" ] && [ "$rec" = 64 ]
'

test_expect_success 'the table on stderr names the processes and the objects' '
	"$T" stat -o tbl "$D/pipe_sum" -n 1000 -p 2 >/dev/null 2>err &&
	grep -q "ipctrace stat: .* counters" err &&
	grep -E -q "pipe_sum +pipe +send +1 +0 +8 .* pipe:[0-9]+:[0-9]+$" err
'

test_expect_success 'files are named by the path they were opened with' '
	echo hello >in.txt &&
	"$T" stat -o nm sh -c "cat in.txt >/dev/null" 2>err &&
	grep -E -q "cat +file +recv +[0-9]+ +0 +6 .* in.txt$" err
'

test_expect_success '--top cuts the table and says how much is left' '
	"$T" stat --top 1 -o top "$D/pipe_sum" -n 1000 -p 3 >/dev/null 2>err &&
	grep -q "and [0-9]* more counters" err
'

test_expect_success '--hist draws a log2 histogram under each line' '
	"$T" stat --hist -o h "$D/pipe_sum" -n 1000 -p 2 >/dev/null 2>err &&
	grep -q "distribution" err && grep -E -q "[0-9]+ -> [0-9]+ +: [0-9]+ +\|\*" err
'

test_expect_success '--interval prints what changed in each interval' '
	"$T" stat -q --interval 0.4 -o iv sh -c "for i in 1 2 3 4; do echo x; sleep 0.5; done | cat >/dev/null" 2>err &&
	[ $(grep -c "^--- [0-9.]* s ---" err) -ge 2 ]
'

test_expect_success 'the counters are stored in the trace' '
	n=$(jq ".counters | length" pipe.json) &&
	[ $("$T" dump pipe/trace.ipct | grep -c " counted(") -ge "$n" ]
'

test_expect_code 2 '--interval belongs to stat' '"$T" --interval 1 true'
test_expect_code 2 'a bad --interval is a usage error' '"$T" stat --interval 0 true'

test_done
