#!/bin/sh
# A reading command names a refused option as it was typed, whether its
# value came in the same word (--top=3) or in the next (--top 3).
. "$(dirname "$0")/lib.sh"

test_expect_code 2 'an option with its value in the next word is named, not its value' '
	"$T" graph --top 3 f.ipct 2>err; rc=$?; cat err;
	grep -qx "error: .graph. has no --top option" err && exit $rc
'
test_expect_code 2 'an option with its value after = is named with it' '
	"$T" graph --top=3 f.ipct 2>err; rc=$?; cat err;
	grep -qx "error: .graph. has no --top=3 option" err && exit $rc
'
test_expect_code 2 'an option without a value is named' '
	"$T" timeline --waits f.ipct 2>err; rc=$?; cat err;
	grep -qx "error: .timeline. has no --waits option" err && exit $rc
'
test_expect_code 2 'a value that looks like the option is not taken for it' '
	"$T" perfetto --top --top f.ipct 2>err; rc=$?; cat err;
	grep -qx "error: .perfetto. has no --top option" err && exit $rc
'
test_done
