#!/bin/sh
# Every reading subcommand given a FIFO, a directory, a device or a socket
# instead of a trace: one clear error line, exit 1, and no blocking (a
# FIFO's open would wait for a writer forever; the reader opens with
# O_NONBLOCK, checks fstat, then clears O_NONBLOCK).
. "$(dirname "$0")/lib.sh"
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3
CMDS="dump report graph timeline perfetto"

# refused CMD PATH PATTERN: CMD on PATH exits 1 within 10 s with one line
# on stderr matching PATTERN, and writes no output file.
refused() {
	timeout 10 "$T" "$1" -o out.x "$2" 2>err >/dev/null; rc=$?
	[ "$1" = dump ] && { timeout 10 "$T" dump "$2" 2>err >/dev/null; rc=$?; }
	cat err
	[ $rc = 1 ] && [ $(wc -l <err) = 1 ] && grep -q "^error: cannot .* '.*': $3" err && ! [ -e out.x ]
}

for c in $CMDS; do
	test_expect_success "$c: a FIFO without a writer is refused, not waited on" '
		mkfifo f-'$c' && refused '$c' f-'$c' "not a trace file: a FIFO, not a regular file"
	'
done
test_expect_success 'a FIFO with a writer holding it open is refused too' '
	mkfifo fw && { sleep 30 >fw & } && w=$! &&
	refused report fw "not a trace file: a FIFO" ; rc=$?; kill $w 2>/dev/null; exit $rc
'
test_expect_success 'a symlink to a FIFO, and a run directory whose trace.ipct is a FIFO' '
	mkfifo fl && ln -s fl l && refused dump l "not a trace file: a FIFO" &&
	mkdir run && mkfifo run/trace.ipct && refused dump run "not a trace file: a FIFO"
'
for c in $CMDS; do
	test_expect_success "$c: /dev/null and /dev/zero (character devices) are refused" '
		refused '$c' /dev/null "not a trace file: a character device, not a regular file" &&
		refused '$c' /dev/zero "not a trace file: a character device, not a regular file"
	'
done
blk=$(find /dev -maxdepth 1 -type b 2>/dev/null | head -n 1)
if [ -n "$blk" ] && [ -r "$blk" ]; then
	test_expect_success "a block device ($blk) is refused" '
		refused dump '"$blk"' "not a trace file: a block device, not a regular file"
	'
else
	test_skip 'a block device is refused' 'no readable block device'
fi
test_expect_success 'a unix socket is refused' '
	$PY -c "import socket; socket.socket(socket.AF_UNIX).bind(\"s\")" &&
	refused dump s "not a trace file: a socket, not a regular file"
'
test_expect_success 'a directory without trace.ipct names the file it looked for' '
	mkdir d && refused report d "No such file or directory" && grep -q "d/trace.ipct" err
'
test_expect_success 'a directory whose trace.ipct is a directory' '
	mkdir -p dd/trace.ipct && refused dump dd "Is a directory"
'
test_done
