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
#   same WHAT GOT WANT        compare two texts, show both when they differ
#   json_get FILE FILTER      print what jq's FILTER gives on FILE
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

# test_done: print the plan and exit 0, or 1 when a case failed.
test_done() {
	echo "1..$test_count"
	[ "$test_failed" -eq 0 ]
	exit $?
}
