#!/bin/sh
# t0100-unit: run every built cmocka unit test (tests/unit/test_*) with
# CMOCKA_MESSAGE_OUTPUT=TAP and pass each of its cases on as one test point
# of this script ("test_model: test_family"), with cmocka's messages as
# comments; one more point per program says it ran all the cases it
# planned (a crash stops it early).  Their temporary files go in TMPDIR,
# here the scratch directory.  Build them first with `make`.

. "$(dirname "$0")/lib.sh"

# unit_cases PROGRAM: the TAP points of PROGRAM's cases, renumbered.
unit_cases() {
	_name=${1##*/}
	_tap=$TEST_TMP/$_name.tap
	(cd "$TEST_TMP" && TMPDIR=$TEST_TMP CMOCKA_MESSAGE_OUTPUT=TAP "$1") >"$_tap" 2>&1
	_rc=$?
	_planned=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$_tap" | head -n 1)
	_ran=0
	_failed=0
	while IFS= read -r _line; do
		case $_line in
		"not ok "[0-9]*" # SKIP "*)	# cmocka's skip()
			_ran=$((_ran + 1))
			test_count=$((test_count + 1))
			echo "ok $test_count - $_name: ${_line#* # SKIP } # SKIP" ;;
		"ok "[0-9]*|"not ok "[0-9]*)
			_ran=$((_ran + 1))
			test_count=$((test_count + 1))
			_status=ok
			case $_line in "not ok"*) _status="not ok"; _failed=$((_failed + 1)) ;; esac
			[ "$_status" = ok ] || test_failed=$((test_failed + 1))
			echo "$_status $test_count - $_name: ${_line#* - }" ;;
		"1.."[0-9]*) ;;
		*) echo "#   $_line" ;;
		esac
	done <"$_tap"
	test_count=$((test_count + 1))
	if [ -n "$_planned" ] && [ "$_ran" -eq "$_planned" ] &&
	   { [ "$_rc" -eq 0 ] || [ "$_failed" -gt 0 ]; }; then
		echo "ok $test_count - $_name: ran its $_planned cases"
	else
		echo "not ok $test_count - $_name: ran $_ran of ${_planned:-?} cases (exit $_rc)"
		test_failed=$((test_failed + 1))
	fi
}

found=0
for t in "$ROOT"/tests/unit/test_*; do
	case $t in *.c|*.h|*.o|*.d) continue ;; esac
	[ -f "$t" ] && [ -x "$t" ] || continue
	found=1
	unit_cases "$t"
done
[ "$found" -eq 1 ] || skip_all "no unit test is built (run: make)"
test_done
