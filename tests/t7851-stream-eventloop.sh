#!/bin/sh
# Event loops that wait in epoll for their peer (tests/workloads/
# select_echo.py): a parent and its child echo N messages over a
# socketpair with Python's selectors module and with asyncio streams.
# Every output of the streamed load equals the full load's
# (tests/stream_same.sh); the flows are the N messages each way, each
# side's waits are epoll_waits that the other side's sends ended, and
# both timelines draw the same transfers and the same wait blocks.
. "$(dirname "$0")/lib.sh"
require_recording jq python3
. "$ROOT/tests/stream_same.sh"

N=200

# loop MODE SIZE: record select_echo.py MODE, check its flows and waits.
loop() {
	record $1 python3 "$ROOT/tests/workloads/select_echo.py" $1 $N && compare $1 &&
	read -r parent child got <$1.out &&
	same "$1: bytes echoed" "$got" $((N * $2)) &&
	same "$1: flows" "$(jq -c "[.flows[] | select(.kind == \"unix\") |
		[.from, .to, .messages, .bytes]] | sort" stream.json)" \
		"$(jq -nc "[[$parent, $child, $N, $N * $2], [$child, $parent, $N, $N * $2]] | sort")" &&
	for p in "$parent $child" "$child $parent"; do
		set -- $p &&
		jq -e --argjson p $1 --argjson q $2 --argjson n $N "[.processes[] |
			select(.pid == \$p) | .waits[] | select(.peer == \$q)] |
			length == 1 and .[0].call == \"epoll_wait\" and
			.[0].count >= 1 and .[0].count <= \$n" stream.json >/dev/null ||
			{ echo "no epoll_wait of $1 ended by $2"; return 1; }
	done
}

# waits SVG: the wait blocks of a timeline (place, size, tooltip), sorted
waits() {
	grep -o '<rect[^>]*class="recv wait[^>]*><title>[^<]*' "$1" | sed 's/ data-w="[^"]*"//' | sort
}

# transfers W: both timelines of W draw the same transfers and wait blocks.
transfers() {
	"$T" timeline --stream -o $1-s.svg $1/trace.ipct &&
	"$T" timeline --full -o $1-f.svg $1/trace.ipct &&
	same "$1: transfers" "$(sums $1-s.svg | cut -d" " -f5-)" "$(sums $1-f.svg | cut -d" " -f5-)" &&
	waits $1-f.svg >$1-f.waits && waits $1-s.svg >$1-s.waits &&
	[ -s $1-f.waits ] && grep -q "waiting in epoll_wait" $1-f.waits &&
	same "$1: wait blocks" "$(cat $1-s.waits)" "$(cat $1-f.waits)"
}

test_expect_success 'selectors: epoll echo of 100-byte messages' '
	loop selectors 100 && transfers selectors
'

test_expect_success 'asyncio: stream echo of 10-byte lines' '
	loop asyncio 10 && transfers asyncio
'

test_done
