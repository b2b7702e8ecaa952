#!/bin/sh
# How a process ended is worded the same in the text report, the graph and
# the timeline ("killed by SIGPIPE"), and a traced pipeline behaves as it
# does untraced: `yes | head -1` ends with yes killed by SIGPIPE.  A
# channel's id is shown with its name.
. "$(dirname "$0")/lib.sh"
require_recording

test_expect_code 141 'a pipeline writer dies of SIGPIPE under the tracer as without it' '
	"$T" -q -o d sh -c "yes | head -1 >/dev/null; kill -PIPE \$\$" >/dev/null 2>err; rc=$?;
	cat err; ! grep -q "Broken pipe" err && exit $rc
'
test_expect_success 'report, graph and timeline all say "killed by SIGPIPE"' '
	"$T" report d/trace.ipct >r && cat r &&
	grep -q "^exit status: 141 (killed by SIGPIPE)$" r &&
	grep -Eq "^ +[0-9]+ +[0-9]+  yes +killed by SIGPIPE +[0-9]" r &&
	grep -Eq "^ +[0-9]+ +[0-9]+  sh +killed by SIGPIPE +[0-9]" r &&
	grep -Eq "^ +[0-9]+ +[0-9]+  head +0 +[0-9]" r &&
	! grep -q "sig 13\|signal 13" r &&
	grep -q "killed by SIGPIPE" d/graph.svg && grep -q "killed by SIGPIPE" d/graph.dot &&
	grep -q "killed by SIGPIPE" d/timeline.svg &&
	! grep -q "signal 13\|sig 13" d/graph.dot d/timeline.svg
'
test_expect_success 'channel ids come with their names: time in calls, timeline tooltips' '
	"$T" -q -o f "$ROOT/demos/fifo_sum" -n 100 -p 2 >/dev/null &&
	fifo=$(jq -r ".channels[] | select(.kind == \"fifo\") | .name" f/report.json) &&
	id=$(jq -r ".channels[] | select(.kind == \"fifo\") | .id" f/report.json) &&
	case $fifo in /*/fifo_sum.*/sum.fifo) ;; *) echo "fifo name: $fifo"; exit 1 ;; esac &&
	"$T" report f/trace.ipct | sed -n "/^time in calls/,\$p" >calls && cat calls &&
	[ "$(grep -c "^  $id  *send  *2 .*  $fifo\$" calls)" = 1 ] &&
	[ "$(grep -c "^  $id  *recv  *2 .*  $fifo\$" calls)" = 1 ] &&
	[ "$(grep -c "<title>write of 8 bytes into $id ($fifo), " f/timeline.svg)" = 2 ]
'
test_done
