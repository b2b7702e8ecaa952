#!/bin/sh
# The recording ends when the command does: the drain loop sleeps on the
# command's pidfd and on a self-pipe the signal handlers write to, so an
# exit that lands just before it sleeps does not leave it waiting out its
# 100 ms timeout.  The tail (end of recording minus the last exit) is
# measured over several runs; its median stays well below 100 ms (it was
# about 100 ms in most runs when SIGCHLD could be missed).  Timing under a
# loaded machine varies: re-run alone before concluding.
. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_cmd jq
T="$ROOT/trace"

# tail DIR: ms from the last process exit to the end of the recording
tail_ms() {
	"$T" report --json "$1" | jq '(.duration_ns - ([.processes[].end_ns] | max)) / 1000000 | floor'
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

test_expect_success 'trace true: the median tail of 7 runs is under 40 ms' '
	for i in 1 2 3 4 5 6 7; do
		"$T" -q -o r$i true && tail_ms r$i || exit 1
	done >tails.txt &&
	cat tails.txt | tr "\n" " " && m=$(median <tails.txt) && echo "median $m ms" &&
	[ "$m" -lt 40 ]
'

test_expect_success '-p: the recording ends when the attached process does' '
	for i in 1 2 3; do
		rm -f go$i && mkfifo go$i || exit 1
		sh -c "read x <go$i" & S=$!
		"$T" -q -p $S -o a$i & TP=$!
		n=0; until [ -e a$i/trace.ipct ]; do
			n=$((n + 1)); [ $n -le 1200 ] || { kill $S $TP; exit 1; }; sleep 0.05
		done
		echo go >go$i && wait $TP || exit 1
		tail_ms a$i
	done >atails.txt &&
	cat atails.txt | tr "\n" " " && m=$(median <atails.txt) && echo "median $m ms" &&
	[ "$m" -lt 40 ]
'

test_expect_success 'Ctrl-C (SIGINT) still ends a recording at once' '
	"$T" -q -o c sleep 30 & TP=$!
	i=0; until [ -e c/trace.ipct ]; do i=$((i + 1)); [ $i -le 400 ] || exit 1; sleep 0.05; done
	start=$(date +%s%N) && kill -INT $TP; wait $TP; rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 )) && echo "exit $rc after $ms ms" &&
	[ $rc = 130 ] && [ $ms -lt 3000 ]
'

test_done
