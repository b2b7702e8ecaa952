#!/bin/sh
# How a process ended is worded the same in the text report, the graph and
# the timeline ("killed by SIGPIPE"), and a traced pipeline behaves as it
# does untraced: `yes | head -1` ends with yes killed by SIGPIPE.
. "$(dirname "$0")/lib.sh"
require_root
require_btf
T="$ROOT/trace"

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
test_done
