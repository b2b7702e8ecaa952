#!/bin/sh
# End to end, process trees: children, grandchildren and execs are all
# followed, each with the right parent, name and exec path, and the IPC
# between grandchildren is attributed to them.  The shells write their own
# pid (and parent pid) into files, the ground truth the report must match.
. "$(dirname "$0")/lib.sh"
require_recording jq

# record OUT CMD...: trace CMD into OUT; exit 0 and nothing lost.
record() {
	out=$1; shift
	rm -rf "$out"
	"$T" -q -o "$out" "$@" >"$out.stdout" 2>"$out.stderr" ||
		{ echo "trace failed: $?"; cat "$out.stdout" "$out.stderr"; return 1; }
	jq -e . "$out/report.json" >/dev/null &&
	[ "$(json_get "$out/report.json" .lost_events)" = 0 ] &&
	[ "$(json_get "$out/report.json" .exit_status)" = 0 ]
}

# proc REPORT PID FIELDS: the process's fields, e.g. proc r 42 "[.ppid, .comm]".
proc() {
	jq -c ".processes[] | select(.pid == $2) | $3" "$1"
}

# The root shell starts two children; child A runs a pipeline of two
# grandchildren, A1 (a shell's printf) into A2 (a shell that execs tr);
# child B execs true.
cat >tree.sh <<'SCRIPT'
echo $$ >root.pid
sh -c 'echo $$ >a.pid; sh -c "echo \$\$ >a1.pid; printf hello-tree" | sh -c "echo \$\$ >a2.pid; exec tr a-z A-Z" >tr.out' &
sh -c 'echo $$ >b.pid; exec true' &
wait
SCRIPT
mv tree.sh "$TEST_TMP/"

test_expect_success 'a tree of 5 with a pipeline of grandchildren and execs' '
	record d sh tree.sh && [ "$(cat tr.out)" = HELLO-TREE ] &&
	r=d/report.json &&
	root=$(cat root.pid) a=$(cat a.pid) a1=$(cat a1.pid) a2=$(cat a2.pid) b=$(cat b.pid) &&
	[ "$(json_get $r ".processes | length")" = 5 ] &&
	same root "$(proc $r $root "[.comm, .exit_code]")" "[\"sh\",0]" &&
	# the root'"'"'s parent is the tracer, not in the trace
	[ "$(jq "[.processes[].pid] | index($(proc $r $root .ppid))" $r)" = null ] &&
	same A "$(proc $r $a "[.ppid, .comm, .exit_code]")" "[$root,\"sh\",0]" &&
	same B "$(proc $r $b "[.ppid, .comm, .exit_code]")" "[$root,\"true\",0]" &&
	same A1 "$(proc $r $a1 "[.ppid, .comm, .exit_code]")" "[$a,\"sh\",0]" &&
	same A2 "$(proc $r $a2 "[.ppid, .comm, .exit_code]")" "[$a,\"tr\",0]" &&
	proc $r $a2 .exec | grep -q "/tr\"$" && proc $r $b .exec | grep -q "/true\"$" &&
	# the pipe between the grandchildren: A1 wrote 10 bytes, A2 read them
	same flows "$(jq -r "[.flows[] | select(.kind != \"signal\") | \"\(.kind) \(.from) \(.to) \(.messages) \(.bytes)\"] | .[]" $r)" \
		"pipe $a1 $a2 1 10" &&
	# the shells SIGCHLD: only from a child to its parent
	[ "$(jq "(.processes | map({key: (.pid | tostring), value: .ppid}) | from_entries) as \$pp
		| [.flows[] | select(.kind == \"signal\") | select(\$pp[.from | tostring] != .to)] | length" $r)" = 0 ]
'
test_expect_success 'the dump shows both execs of A2, sh then tr, in order' '
	a2=$(cat a2.pid) &&
	"$T" dump d/trace.ipct >dump &&
	same execs "$(awk -v p="$a2/$a2" "\$2 == p && \$3 ~ /^execve\\(/ { print \$NF }" dump)" "comm=\"sh\"
comm=\"tr\"" &&
	[ "$(grep -c " execve(" dump)" = 7 ] &&
	[ "$(grep -c " fork() = " dump)" = 4 ] &&
	[ "$(grep -Ec " \+\+\+ (exit|killed)" dump)" = 5 ]
'
test_expect_success 'graph and timeline name every process of the tree (timeline: those not folded)' '
	for pid in $(cat root.pid a.pid a1.pid a2.pid b.pid); do
		grep -qw "$pid" d/graph.svg || { echo "graph misses $pid"; exit 1; }
		[ "$(jq ".processes[] | select(.pid == $pid) | .folded" d/report.json)" = true ] ||
			grep -qw "$pid" d/timeline.svg || { echo "timeline misses $pid"; exit 1; }
	done
'

# A binary tree of shells 4 levels deep (15 processes), every one started
# in the background so they run at once; each logs "pid ppid".
cat >bintree.sh <<'SCRIPT'
echo $$ $PPID >>tree.log
if [ "$1" -gt 0 ]; then
	sh bintree.sh $(($1 - 1)) &
	sh bintree.sh $(($1 - 1)) &
	wait
fi
SCRIPT
mv bintree.sh "$TEST_TMP/"

test_expect_success 'a binary tree of 15 concurrent shells: every pid with its parent' '
	rm -f tree.log && record bt sh bintree.sh 3 &&
	[ "$(wc -l <tree.log)" = 15 ] &&
	same "pid ppid" "$(jq -r ".processes[] | \"\(.pid) \(.ppid)\"" bt/report.json | sort)" "$(sort tree.log)" &&
	[ "$(jq "[.processes[] | select(.comm != \"sh\" or .exit_code != 0)] | length" bt/report.json)" = 0 ]
'
test_expect_success 'exit codes down the tree: 3, killed by SIGTERM (143), 0' '
	record ex sh -c "echo \$\$ >r.pid; sh -c \"echo \\\$\\\$ >c1.pid; exit 3\"; sh -c \"echo \\\$\\\$ >c2.pid; kill -TERM \\\$\\\$\"; exit 0" &&
	r=ex/report.json &&
	[ "$(json_get $r ".processes | length")" = 3 ] &&
	same c1 "$(proc $r $(cat c1.pid) "[.ppid, .exit_code]")" "[$(cat r.pid),3]" &&
	same c2 "$(proc $r $(cat c2.pid) "[.ppid, .exit_code]")" "[$(cat r.pid),143]" &&
	same root "$(proc $r $(cat r.pid) .exit_code)" 0
'
test_expect_success 'a root killed by SIGKILL: trace exits 137 like a shell' '
	"$T" -q -o k sh -c "kill -KILL \$\$" >/dev/null 2>&1
	[ $? = 137 ] && [ "$(json_get k/report.json .exit_status)" = 137 ] &&
	[ "$(json_get k/report.json ".processes[0].exit_code")" = 137 ]
'
test_expect_success 'an exec chain in one process: sh, sh, env, true' '
	record ch sh -c "exec sh -c \"exec env true\"" &&
	r=ch/report.json &&
	[ "$(json_get $r ".processes | length")" = 1 ] &&
	same proc "$(jq -c ".processes[0] | [.comm, .exit_code]" $r)" "[\"true\",0]" &&
	json_get $r ".processes[0].exec" | grep -q "/true$" &&
	same execs "$("$T" dump ch/trace.ipct | awk "\$3 ~ /^execve\\(/ { print \$NF }")" "comm=\"sh\"
comm=\"sh\"
comm=\"env\"
comm=\"true\""
'
test_done
