#!/bin/sh
# Output directories: each run without -o gets its own
# ipctrace-out/<cmd>-<YYYYmmdd-HHMMSS>/ (never colliding, even in one
# second) and ipctrace-out/latest; -o DIR refuses a non-empty DIR unless
# --force, which replaces what it held; a run that recorded nothing leaves
# nothing; readers take a run directory.
. "$(dirname "$0")/lib.sh"
require_recording

test_expect_success 'three runs in a row keep three directories; latest is the last' '
	"$T" -q sh -c "echo run1 | cat" >/dev/null && "$T" -q sh -c "echo run2 | cat" >/dev/null &&
	ls ipctrace-out >before && "$T" -q sh -c "echo run3 | cat" >/dev/null && ls ipctrace-out >after &&
	cat after && [ "$(grep -Ec "^sh-[0-9]{8}-[0-9]{6}(-[0-9]+)?\$" after)" = 3 ] &&
	for d in $(grep "^sh-" after); do test -s ipctrace-out/$d/trace.ipct || exit 1; done &&
	test -L ipctrace-out/latest &&
	[ "$(readlink ipctrace-out/latest)" = "$(comm -13 before after)" ] &&
	"$T" dump --json ipctrace-out/latest | jq -r "select(.name == \"write\") | .args.buf" | grep -qx run3
'
test_expect_success 'a name already taken in that second gets -2, -3...' '
	mkdir same && cd same && mkdir ipctrace-out &&
	for s in 0 1 2 3 4 5; do
		mkdir -p ipctrace-out/true-$(date -d "+$s sec" +%Y%m%d-%H%M%S); done &&
	ls ipctrace-out >before && "$T" -q true && "$T" -q true && ls ipctrace-out >after &&
	comm -13 before after | grep -v "^latest\$" >new && cat new &&
	[ "$(wc -l <new)" = 2 ] && [ "$(grep -Ec "^true-[0-9]{8}-[0-9]{6}-[23]\$" new)" = 2 ] &&
	for d in $(cat before); do [ -z "$(ls ipctrace-out/$d)" ] || exit 1; done &&
	for d in $(cat new); do test -s ipctrace-out/$d/report.json || exit 1; done
'
test_expect_success 'every reader takes the run directory and latest' '
	for c in report graph timeline perfetto dump; do
		"$T" $c ipctrace-out/latest >/dev/null || { echo "$c failed"; exit 1; }
	done &&
	"$T" report --json ipctrace-out/latest | jq -e ".command == [\"sh\", \"-c\", \"echo run3 | cat\"]"
'
test_expect_code 1 '-o DIR that holds something is refused, and left as it was' '
	mkdir full && echo keep >full/mine &&
	"$T" -q -o full true 2>err; rc=$?; cat err;
	grep -qx "error: .full. is not empty: give --force to replace what it holds, or another -o" err &&
	[ "$(ls full)" = mine ] && [ "$(cat full/mine)" = keep ] && exit $rc
'
test_expect_success '--force replaces the old contents whole, following no link' '
	mkdir -p full/sub/deeper && echo x >full/sub/deeper/f && ln -s /etc full/etc-link &&
	"$T" -q -o o1 sh -c "echo first | cat" && "$T" -q --force -o o1 sh -c "echo second | cat" &&
	cp -r o1/. full/ &&
	"$T" -q --force -o full sh -c "echo third | cat" &&
	ls full | sort >got && printf "%s\n" graph.dot graph.svg perfetto.json report.json timeline.svg trace.ipct >want &&
	cmp want got && test -d /etc && test -f /etc/hostname &&
	"$T" dump --json full | jq -r "select(.name == \"write\") | .args.buf" | grep -qx third &&
	"$T" dump --json o1 | jq -r "select(.name == \"write\") | .args.buf" | grep -qx second
'
test_expect_code 1 'a run that recorded nothing leaves nothing: -p of no process' '
	mkdir empty && cd empty &&
	"$T" -q -p 999999 2>err; rc=$?; cat err;
	[ "$(ls -A)" = err ] && exit $rc
'
test_expect_code 1 '... nor with -o: the directory it made goes, one that was there stays' '
	"$T" -q -p 999999 -o made 2>err; rc=$?; ! test -e made &&
	mkdir there && "$T" -q -p 999999 -o there 2>err && exit 9;
	test -d there && [ -z "$(ls there)" ] && exit $rc
'
test_expect_success 'a failed run keeps the earlier runs and latest' '
	before=$(readlink ipctrace-out/latest) && n=$(ls ipctrace-out | wc -l) &&
	! "$T" -q -p 999999 2>/dev/null &&
	[ "$(readlink ipctrace-out/latest)" = "$before" ] && [ "$(ls ipctrace-out | wc -l)" = $n ]
'
test_done
