#!/bin/sh
# A table that cannot be written (a full disk: /dev/full bind-mounted on
# the table's file) stops the export with the table's name and the
# errno, exit 1, whether the export is streamed or whole, for each of
# the tables written while the trace is read and for one written after.
. "$(dirname "$0")/lib.sh"
require_recording
command -v mount >/dev/null 2>&1 || skip_all "needs mount"

# full MODE FILE: export with FILE on /dev/full; its error in err.
full() {
	rm -rf out && mkdir out && : >"out/$2" && mount --bind /dev/full "out/$2" || return 1
	"$T" export $1 -o out run/trace.ipct 2>err
	rc=$?
	umount "out/$2"
	cat err
	[ $rc = 1 ] &&
	[ "$(cat err)" = "error: cannot write 'out/$2': No space left on device" ]
}

test_expect_success 'record a ping-pong' '
	"$T" -q -s 0 -o run "$ROOT/bench/pingpong" -n 2000 >/dev/null
'

for mode in --stream --full; do
	for f in operations.ndjson transfers.ndjson processes.ndjson; do
		test_expect_success "export $mode: $f on a full disk" "full $mode $f"
	done
done

test_expect_success 'csv too' 'full "--stream --format csv" operations.csv'

test_done
