#!/bin/sh
# strace habits on the recording side: -f, -T, -y accepted, -e trace=KINDS
# and -e '!KINDS', -c's table, and the no-root hint repeating the command
# line.
. "$(dirname "$0")/lib.sh"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

if [ "$(id -u)" -eq 0 ]; then
test_expect_code 1 'the no-root hint repeats the whole command line, quoted' '
	chmod 755 . && nobody "$T" -o X -e "!file" sh -c "echo \"it'\''s\" | cat" 2>err; rc=$?; cat err;
	[ $(wc -l <err) = 1 ] &&
	grep -qxF "error: recording needs root to load BPF programs: run sudo $T -o X -e '\''!file'\'' sh -c '\''echo \"it'\''\\'\'''\''s\" | cat'\''" err &&
	cmd=$(sed "s/.*: run sudo //" err) && eval "set -- $cmd" &&
	[ "$1" = "$T" ] && [ "$5" = "!file" ] && [ "$8" = "echo \"it'\''s\" | cat" ] && [ $# = 8 ] && exit $rc
'
test_expect_code 1 'the hint after "record" keeps it' '
	chmod 755 . && nobody "$T" record -q true 2>err; rc=$?; cat err;
	grep -qxF "error: recording needs root to load BPF programs: run sudo $T record -q true" err && exit $rc
'
fi
test_expect_code 2 'a bad kind after trace= is still a usage error' '"$T" -e trace=pipes true'
test_expect_code 2 '"!all" leaves nothing to record: a usage error' '"$T" -e "!all" true'

[ "$(id -u)" -eq 0 ] && [ -r /sys/kernel/btf/vmlinux ] || { test_done; exit; }

test_expect_success '-f, -T and -y are accepted; -f says children are always followed' '
	"$T" -f -T -y -q -o d sh -c "echo hi | cat" >out 2>err && cat err &&
	[ "$(cat out)" = hi ] &&
	[ "$(cat err)" = "ipctrace: note: -f is not needed, every child is always followed" ] &&
	test -s d/trace.ipct
'
test_expect_success '-e trace=pipe records only the pipe' '
	"$T" -q -e trace=pipe -o p sh -c "echo hi | cat; cat /etc/hostname" >/dev/null &&
	[ "$(json_get p/report.json "[.channels[].kind] | unique | join(\",\")")" = pipe ] &&
	[ "$("$T" dump --json p/trace.ipct | jq -c "select(.kind == \"file\")" | wc -l)" = 0 ]
'
test_expect_success "-e '!file,signal,shm' records everything but those" '
	"$T" -q -e "!file,signal,shm" -o n sh -c "echo hi | cat; cat /etc/hostname" >/dev/null &&
	[ "$(json_get n/report.json "[.channels[].kind] | unique | join(\",\")")" = pipe ] &&
	"$T" -q -e "!pipe" -o n2 sh -c "echo hi | cat; cat /etc/hostname" >/dev/null &&
	[ "$(json_get n2/report.json "[.channels[] | select(.kind == \"pipe\")] | length")" = 0 ] &&
	[ "$(json_get n2/report.json "[.channels[] | select(.kind == \"file\")] | length")" -gt 0 ]
'
test_expect_success '-c counts in the kernel, as trace stat does' '
	"$T" -c -e pipe -o cc "$ROOT/demos/pipe_sum" -n 1000 -p 4 >/dev/null 2>err && cat err &&
	grep -q "^ipctrace stat: .* counters" err &&
	[ $(grep -E -c "pipe_sum +pipe +send +1 +0 +8 " err) = 4 ] &&
	[ "$("$T" dump cc/trace.ipct | grep -c " counted(")" -ge 5 ]
'
test_expect_success '--summary prints the per-process and per-channel time table, sorted by time' '
	"$T" --summary -e pipe -o c "$ROOT/demos/pipe_sum" -n 1000 -p 4 >/dev/null 2>err && cat err &&
	! grep -q "^processes (" err && test -s c/report.json &&
	sed -n "/^% time .* process\$/,/ total\$/p" err >procs &&
	sed -n "/^% time .* channel\$/,/ total\$/p" err >chans &&
	[ $(grep -c "pipe_sum\$" procs) = 5 ] &&
	# every worker wrote once, the parent read its 4 results: 8 calls in all
	[ "$(awk "/ total\$/ {print \$3}" procs)" = 8 ] &&
	[ "$(awk "/ total\$/ {print \$3}" chans)" = 8 ] &&
	[ "$(grep -c "^ *[0-9.]* .* pipe:[0-9]*:[0-9]*\$" chans)" -ge 1 ] &&
	awk "/^ *[0-9]+\\.[0-9]+ / && !/total/ {print \$2}" procs >t && sort -rn t | cmp - t &&
	awk "/^ *[0-9]+\\.[0-9]+ / && !/total/ {print \$2}" chans >t && sort -rn t | cmp - t &&
	[ "$(awk "/ total\$/ {print \$1}" procs)" = 100.00 ]
'
test_done
