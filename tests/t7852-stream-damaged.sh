#!/bin/sh
# Damage that passes the chunk checksums (tests/workloads/reflate.py
# changes bytes inside the inflated records of real traces and deflates
# them again with a fresh CRC): every streamed reader, and the whole
# load beside it, either draws what it can (exit 0) or fails with one
# "error: " line and exit 1, in bounded time, on traces of signals that
# kill (sig_kills.pl) and of epoll waits (select_echo.py asyncio).
. "$(dirname "$0")/lib.sh"
require_recording python3 perl
. "$ROOT/tests/stream_same.sh"

# readers DIR: every reader on every DIR/*.ipct; lists the failures.
readers() {
	for f in "$1"/*.ipct; do
		for r in "report --stream" "report --json --stream" "report --latency --waits --stream" \
			"graph -f dot --stream" "timeline --stream" "perfetto --format proto --stream" \
			"export --stream" "report --json --full" "timeline --full"; do
			rm -rf x.out x.dir
			case "$r" in export*) o=x.dir ;; *) o=x.out ;; esac
			timeout 60 "$T" $r -o $o "$f" >/dev/null 2>err
			rc=$?
			if [ $rc = 0 ]; then
				continue
			fi
			if [ $rc != 1 ] || [ "$(wc -l <err)" != 1 ] || ! grep -q "^error: " err; then
				echo "$r $f: exit $rc"
				head -c 600 err
			fi
		done
	done
}

test_expect_success 'sig_kills: 16 damaged copies, each reader exits 0 or with one error line' '
	record sk perl "$ROOT/tests/workloads/sig_kills.pl" &&
	python3 "$ROOT/tests/workloads/reflate.py" sk/trace.ipct skd 16 7 &&
	readers skd >bad.txt && cat bad.txt && [ ! -s bad.txt ]
'

test_expect_success 'asyncio: 16 damaged copies, each reader exits 0 or with one error line' '
	record aio python3 "$ROOT/tests/workloads/select_echo.py" asyncio 50 &&
	python3 "$ROOT/tests/workloads/reflate.py" aio/trace.ipct aiod 16 11 &&
	readers aiod >bad.txt && cat bad.txt && [ ! -s bad.txt ]
'

test_done
