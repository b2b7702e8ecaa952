# tests/lib.sh - a small TAP library for the shell tests (tests/tNNNN-*.sh).
#
# Source it from a test script, then write titled cases:
#
#   . "$(dirname "$0")/lib.sh"
#   test_expect_success 'pipe_sum adds 1..10' '
#       "$ROOT/demos/pipe_sum" -n 10 -p 2 >out && grep -q 55 out
#   '
#   test_done
#
# Each case runs in a subshell in the script's scratch directory ($TEST_TMP,
# shared by its cases, removed at exit) with `set -e` semantics off: the
# body's exit status is the verdict.  On failure the case's output is shown
# as TAP comments on stderr.
#
# What it defines:
#   ROOT                      the source tree (tests/..), exported
#   TEST_TMP                  the scratch directory, under $TMPDIR (or /tmp)
#   test_expect_success T B   case T passes when body B exits 0; a failing
#                             case's output goes to stderr, which prove shows
#   test_expect_code C T B    case T passes when body B exits with code C
#   test_skip T REASON        case T is skipped
#   skip_all REASON           skip the whole script (plan 1..0)
#   require_root, require_btf, require_cmd X
#                             skip_all unless root / kernel BTF / command X
#   require_recording [X...]  all of root, BTF and each command X
#   T, D                      the trace binary, the demos directory
#   NO_LEAK_CHECK             in a sanitizer build (./trace links ASan or
#                             LSan), tests/sanitizer/no-leak-check, else
#                             empty: ${NO_LEAK_CHECK:+"$NO_LEAK_CHECK"} CMD
#                             runs CMD with LeakSanitizer off, for a
#                             workload whose processes a test counts or
#                             that runs under strace
#   build_workload NAME [CC ARGS...]
#                             compile tests/workloads/NAME.c into
#                             $TEST_TMP/NAME, or bail out
#   record_workload KINDS NAME ARGS...
#                             trace the built workload NAME, recording
#                             KINDS, into $TEST_TMP/d, or bail out
#   TIME_TOL_NS               the noise a measured time may have here
#   same WHAT GOT WANT        compare two texts, show both when they differ
#   json_get FILE FILTER      print what jq's FILTER gives on FILE
#   record_clean OUT CMD...   trace CMD into OUT/; it and every process
#                             exit 0, nothing lost
#   report_roles REPORT [ROOT]
#                             JSON map pid -> "root", "w0", "w1"...
#   report_flows REPORT [NAMES [FILTER]]
#                             "kind from to messages bytes" per flow,
#                             pids named by the map NAMES, sorted
#   test_done                 print the plan; exit 1 when a case failed

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export ROOT
T="$ROOT/trace"
D="$ROOT/demos"
NO_LEAK_CHECK=
if ldd "$T" 2>/dev/null | grep -q 'lib[al]san'; then
	NO_LEAK_CHECK="$ROOT/tests/sanitizer/no-leak-check"
fi
# The scratch directory by its canonical path: TMPDIR may end in '/' or
# pass through a symlink, and the kernel (strace -yy, /proc) names files by
# the resolved path.
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ipctrace-test.XXXXXX") &&
	TEST_TMP=$(cd "$TEST_TMP" && pwd -P) || { echo "Bail out! cannot make a scratch directory"; exit 1; }
trap 'rm -rf "$TEST_TMP"' EXIT
test_count=0
test_failed=0

# test_expect_code CODE TITLE BODY: one case, passing when BODY exits with CODE.
test_expect_code() {
	_code=$1
	_title=$2
	_body=$3
	test_count=$((test_count + 1))
	(cd "$TEST_TMP" && eval "$_body") >"$TEST_TMP/.case-output" 2>&1
	_rc=$?
	if [ "$_rc" -eq "$_code" ]; then
		echo "ok $test_count - $_title"
	else
		echo "not ok $test_count - $_title (exit $_rc, want $_code)"
		sed 's/^/#   /' "$TEST_TMP/.case-output" >&2
		test_failed=$((test_failed + 1))
	fi
}

# test_expect_success TITLE BODY: one case, passing when BODY exits 0.
test_expect_success() {
	test_expect_code 0 "$1" "$2"
}

# test_skip TITLE REASON: one case, reported as skipped.
test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count - $1 # SKIP $2"
}

# skip_all REASON: skip the whole script (no case has run yet).
skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

# require_root, require_btf, require_cmd CMD: skip_all unless running as
# root, the kernel has BTF, or CMD is on the PATH.
require_root() {
	[ "$(id -u)" -eq 0 ] || skip_all "needs root (run: sudo make check)"
}

require_btf() {
	[ -r /sys/kernel/btf/vmlinux ] || skip_all "kernel has no BTF (/sys/kernel/btf/vmlinux)"
}

require_cmd() {
	command -v "$1" >/dev/null 2>&1 || skip_all "needs $1"
}

# require_recording [CMD...]: what a recording test needs: root, kernel
# BTF, and each CMD on the PATH.
require_recording() {
	require_root
	require_btf
	for _c in "$@"; do
		require_cmd "$_c"
	done
}

# build_workload NAME [CC ARGS...]: compile tests/workloads/NAME.c (with
# CC ARGS after it, e.g. -lpthread) into $TEST_TMP/NAME; a failure bails
# out of the whole script.
build_workload() {
	_w=$1
	shift
	cc -O2 -Wall -Wextra -o "$TEST_TMP/$_w" "$ROOT/tests/workloads/$_w.c" "$@" ||
		{ echo "Bail out! cannot build tests/workloads/$_w.c"; exit 1; }
}

# record_workload KINDS NAME ARGS...: trace $TEST_TMP/NAME (built by
# build_workload) with ARGS, recording only the kinds KINDS (-e), into
# $TEST_TMP/d, its output in $TEST_TMP/out; a failure bails out of the
# whole script.
record_workload() {
	_k=$1 _w=$2
	shift 2
	"$T" -q -e "$_k" -o "$TEST_TMP/d" "$TEST_TMP/$_w" "$@" >"$TEST_TMP/out" ||
		{ echo "Bail out! $_w failed under the tracer"; exit 1; }
}

# TIME_TOL_NS: how far above what a workload sleeps a time it measures may
# be: these 2-core machines run ~20 jobs at once.
TIME_TOL_NS=1000000000

# same WHAT GOT WANT: compare two texts, show both when they differ.
same() {
	[ "$2" = "$3" ] && return 0
	echo "$1 differ"; echo "--- got:"; echo "$2"; echo "--- want:"; echo "$3"
	return 1
}

# json_get FILE FILTER: print a value from a JSON file with jq (installed by
# `make deps`), e.g. json_get report.json '.flows | length'.
json_get() {
	jq -r "$2" "$1"
}

# record_clean OUT CMD...: trace CMD into the directory OUT (its output in
# OUT.stdout and OUT.stderr); CMD must exit 0, the report lose nothing and
# every process in it exit 0.  Sets r to OUT/report.json.
record_clean() {
	out=$1; shift
	rm -rf "$out"
	"$T" -q -o "$out" "$@" >"$out.stdout" 2>"$out.stderr" ||
		{ echo "trace failed: $?"; cat "$out.stdout" "$out.stderr"; return 1; }
	r=$out/report.json
	jq -e . "$r" >/dev/null || return 1
	[ "$(json_get "$r" .lost_events)" = 0 ] || { echo "lost: $(jq -c .lost_by_kind "$r")"; return 1; }
	[ "$(json_get "$r" .exit_status)" = 0 ] || { echo "exit_status"; return 1; }
	[ "$(jq '[.processes[] | select(.exit_code != 0)] | length' "$r")" = 0 ] ||
		{ echo "a process failed"; jq -c .processes "$r"; return 1; }
}

# report_roles REPORT [ROOT]: a JSON map pid -> name: "root" for the
# process ROOT (by default the one whose parent is not in the trace),
# "w0", "w1"... for its children in fork order.
report_roles() {
	jq -c --argjson root "${2:-null}" '[.processes[].pid] as $all
		| ($root // [.processes[] | select(.ppid as $q | $all | index($q) | not)][0].pid) as $root
		| ([.processes[] | select(.ppid == $root)] | sort_by(.start_ns)
		   | to_entries | map({key: (.value.pid | tostring), value: "w\(.key)"})
		   | from_entries) + {($root | tostring): "root"}' "$1"
}

# report_flows REPORT [NAMES [FILTER]]: one line "kind from to messages
# bytes" per flow of REPORT that passes the jq FILTER, pids named by the
# JSON map NAMES (by default report_roles'), sorted.
report_flows() {
	jq -r --argjson n "${2:-$(report_roles "$1")}" "[.flows[] | ${3:-.}
		| \"\(.kind) \(\$n[.from | tostring] // .from) \(\$n[.to | tostring] // .to) \(.messages) \(.bytes)\"]
		| sort | .[]" "$1"
}

# test_done: print the plan and exit 0, or 1 when a case failed.
test_done() {
	echo "1..$test_count"
	[ "$test_failed" -eq 0 ]
	exit $?
}
