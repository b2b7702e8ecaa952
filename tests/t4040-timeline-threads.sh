#!/bin/sh
# t4040-timeline-threads: a process whose threads do the IPC gets one
# sub-lane per thread under its own lane ("↳ thread TID", by tid), and
# each thread's writes and the arrows out of them are drawn on its
# sub-lane, none on the process's.  The workload prints the tids.
. "$(dirname "$0")/lib.sh"
require_recording
cd "$TEST_TMP" || exit 1
build_workload thread_writers -lpthread

"$T" -q -o tw ./thread_writers 3 6 >out.txt 2>&1
pid=$(jq ".processes[0].pid" tw/report.json)
reader=$(sed -n "s/^reader pid \([0-9]*\) got 144 bytes$/\1/p" out.txt)
tids=$(sed -n "s/^thread [0-9] tid \([0-9]*\) wrote 6$/\1/p" out.txt | sort -n)

# label_y TEXT: the y of the lane label TEXT (the lane's middle + 4).
label_y() { sed -n "s/^<text x=\"[0-9.]*\" y=\"\([0-9.]*\)\" class=\"lanelabel\" text-anchor=\"end\">$1<\/text>$/\1/p" tw/timeline.svg; }
# at Y DY: Y + DY with one decimal, as the SVG writes it.
at() { awk -v y="$1" -v d="$2" 'BEGIN { printf "%.1f", y + d }'; }

test_expect_success 'the workload ran: 3 threads wrote 6 messages each, the reader got 144 bytes' '
	cat out.txt &&
	[ "$(echo "$tids" | wc -w)" = 3 ] && [ -n "$reader" ] &&
	[ "$(jq "[.flows[] | select(.from == $pid and .to == $reader)] | .[0].messages" tw/report.json)" = 18 ]
'

test_expect_success 'lanes: the process, its 3 threads by tid, then the reader' '
	want=$(printf "thread_writers %s\n" $pid; for t in $tids; do printf "↳ thread %s\n" $t; done; printf "thread_writers %s\n" $reader) &&
	got=$(sed -n "s/.*class=\"lanelabel\" text-anchor=\"end\">\(.*\)<\/text>$/\1/p" tw/timeline.svg) &&
	same lanes "$got" "$want" &&
	[ "$(grep -c "<g class=\"lane p$pid\">" tw/timeline.svg)" = 4 ]
'

test_expect_success 'each thread: its 6 writes and 6 arrows start on its sub-lane; none on the process lane' '
	for t in $tids; do
		y=$(label_y "↳ thread $t") && [ -n "$y" ] &&
		blocks=$(grep -c "<rect x=\"[0-9.]*\" y=\"$(at $y -14)\" [^>]*class=\"send c-pipe p$pid\"" tw/timeline.svg) &&
		arrows=$(grep -c "<line x1=\"[0-9.]*\" y1=\"$(at $y -4)\" [^>]*class=\"xfer k-pipe p$pid p$reader " tw/timeline.svg) &&
		echo "thread $t: $blocks writes, $arrows arrows" &&
		[ "$blocks" = 6 ] && [ "$arrows" = 6 ] || exit 1
	done &&
	y=$(label_y "thread_writers $pid") &&
	! grep -q "<rect x=\"[0-9.]*\" y=\"$(at $y -14)\" [^>]*class=\"send" tw/timeline.svg &&
	[ "$(grep -c "class=\"send c-pipe p$pid\"" tw/timeline.svg)" = 18 ]
'

test_done
