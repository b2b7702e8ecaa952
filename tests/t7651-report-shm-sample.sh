#!/bin/sh
# A shared-memory flow is a page touched by one process and then another:
# no call sent it, so its sample is null in both loads of the report,
# never the bytes of some other call of the trace (the first op's).
. "$(dirname "$0")/lib.sh"
require_recording jq

for demo in shm_sum posix_shm_sum; do
	test_expect_success "$demo: every shm flow has no sample, whole and streamed" '
		record_clean d "$D/'$demo'" -n 1000 -p 4 &&
		n=$(jq "[.flows[] | select(.kind == \"shm\")] | length" "$r") &&
		[ "$n" -ge 4 ] &&
		for load in full stream; do
			"$T" report --json --$load d/trace.ipct >$load.json &&
			same "$load: shm samples" \
				"$(jq -c "[.flows[] | select(.kind == \"shm\") | .sample] | unique" $load.json)" \
				"[null]" &&
			same "$load: shm flows" \
				"$(jq "[.flows[] | select(.kind == \"shm\")] | length" $load.json)" "$n" || return 1
		done
	'
done

test_done
