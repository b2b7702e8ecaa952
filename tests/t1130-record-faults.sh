#!/bin/sh
# Honest messages after faults: a full disk, a command line longer than
# the format stores, a kernel thread for -p, an empty -o.
. "$(dirname "$0")/lib.sh"
require_recording mount

# listed ERR: the file names of the "wrote DIR/{...}" line, sorted.
listed() {
	sed -n "s/^ipctrace: wrote [^{]*{\(.*\)}$/\1/p; s/^ipctrace: wrote .*\/\([^/{}]*\)$/\1/p" "$1" |
		tr , "\n" | sort | tr "\n" " "
}
present() { ls "$1" | sort | tr "\n" " "; }

test_expect_success 'disk full while drawing: only the files written are named, exit 1' '
	mkdir full && mount -t tmpfs -o size=16k tmpfs full || exit 1
	"$T" -o full/o sh -c "echo hi | cat" >/dev/null 2>err; rc=$?;
	cat err; echo "present: $(present full/o)";
	ok=false
	[ $rc = 1 ] && grep -q "No space left on device" err &&
	[ "$(listed err)" = "$(present full/o)" ] && [ -z "$(ls -A full/o | grep "^\.")" ] &&
	for f in $(ls full/o); do [ -s full/o/$f ] || exit 1; done &&
	"$T" report full/o/trace.ipct >/dev/null && ok=true
	umount full; $ok
'
test_expect_success 'disk full while recording: the events stored are counted, not the others' '
	mkdir full2 && mount -t tmpfs -o size=128k tmpfs full2 || exit 1
	"$T" -o full2/o sh -c "dd if=/dev/urandom bs=1 count=60000 status=none | cat >/dev/null" \
		>/dev/null 2>err; rc=$?; cat err;
	ok=false
	stored=$(sed -n "s/^ipctrace: recorded \([0-9]*\) of \([0-9]*\) events.*/\1/p" err)
	seen=$(sed -n "s/^ipctrace: recorded \([0-9]*\) of \([0-9]*\) events.*/\2/p" err)
	echo "stored $stored of $seen"
	[ $rc = 1 ] && grep -q "cannot write .full2/o/trace.ipct.: No space left on device" err &&
	[ "$stored" -gt 0 ] && [ "$seen" -gt 30000 ] && [ "$stored" -lt "$seen" ] &&
	[ "$("$T" dump full2/o/trace.ipct 2>/dev/null | grep -c "^ *[0-9]")" = "$stored" ] &&
	[ "$(listed err)" = "$(present full2/o)" ] && ok=true
	umount full2; $ok
'

test_expect_success '5000 arguments: the command runs with all, the trace stores 4096 and a note' '
	rm -rf x
	"$T" -q -o x sh -c "echo \$#" sh $(seq 4999) >out &&
	[ "$(cat out)" = 4999 ] &&
	[ "$(jq ".command | length" x/report.json)" = 4096 ] &&
	[ "$(jq -r ".command[4094]" x/report.json)" = 4091 ] &&
	[ "$(jq -r ".command[4095]" x/report.json)" = "[908 more arguments not stored]" ]
'
test_expect_success '/bin/true with 5000 arguments exits 0' '
	rm -rf x
	"$T" -q -o x /bin/true $(seq 5000) && [ -s x/graph.svg ]
'

test_expect_code 1 '-p on a kernel thread is refused with one clear line' '
	kt=$(ps -eo pid=,comm= | awk "\$2 == \"kthreadd\" {print \$1}") &&
	"$T" -q -p "$kt" -o k 2>err; rc=$?; cat err;
	grep -q "cannot attach to process $kt (kthreadd): it is a kernel thread" err &&
	[ $(wc -l <err) = 1 ] && [ ! -e k/trace.ipct ] && exit $rc
'
test_expect_code 2 '-o "" is a usage error that says so' '
	"$T" -q -o "" true 2>err; rc=$?; cat err;
	grep -q "the output directory name is empty" err && exit $rc
'
test_done
