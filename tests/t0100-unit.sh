#!/bin/sh
# t0100-unit: run every built cmocka unit test (tests/unit/test_*) as one TAP
# test point each; a failing test's output is shown as TAP comments.
# Build them first with `make` (or `make tests/unit/test_trace_file`).

. "$(dirname "$0")/lib.sh"

found=0
for t in "$ROOT"/tests/unit/test_*; do
	case $t in *.c|*.o|*.d) continue ;; esac
	[ -f "$t" ] && [ -x "$t" ] || continue
	found=1
	test_expect_success "unit: ${t##*/}" "CMOCKA_MESSAGE_OUTPUT=stdout '$t'"
done
[ "$found" -eq 1 ] || skip_all "no unit test is built (run: make)"
test_done
