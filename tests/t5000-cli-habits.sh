#!/bin/sh
# Everyday use of the command line: did-you-mean for a mistyped
# subcommand, the versions, and --help showing the recording options.
. "$(dirname "$0")/lib.sh"

test_expect_code 2 'a mistyped subcommand gets "did you mean"' '
	"$T" timline f.ipct 2>err; rc=$?; cat err;
	grep -q "^error: .timline. is neither a subcommand nor a command on PATH; did you mean .timeline.?$" err &&
	exit $rc
'
test_expect_code 2 'two edits away (a swap and a drop) still suggests' '
	"$T" rpeor f.ipct 2>err; rc=$?; cat err; grep -q "did you mean .report.?" err && exit $rc
'
test_expect_code 127 'three edits away is a command to run, not a typo' '
	"$T" -o d tmlxne 2>err; rc=$?; cat err;
	grep -q "command not found: .tmlxne." err && ! grep -q "did you mean" err && exit $rc
'
test_expect_success 'a word that is a program on PATH runs as a program' '
	mkdir bin && printf "#!/bin/sh\necho ran\n" >bin/timline && chmod +x bin/timline &&
	PATH="$PWD/bin:$PATH" "$T" -q -o d timline >out 2>err; cat out err;
	! grep -q "did you mean" err &&
	if [ "$(id -u)" = 0 ] && [ -r /sys/kernel/btf/vmlinux ]; then grep -qx ran out; else grep -q "needs root" err; fi
'
test_expect_code 2 'help of a mistyped subcommand suggests too' '
	"$T" help grpah 2>err; rc=$?; cat err; grep -q "did you mean .graph.?" err && exit $rc
'
test_expect_success 'version and --version print program, trace format and libbpf versions' '
	"$T" version >v1 && "$T" --version >v2 && cmp v1 v2 && cat v1 &&
	grep -q "^ipctrace [0-9][0-9.]*$" v1 &&
	grep -q "^trace format 1$" v1 &&
	lib=$(dpkg-query -W -f="\${Version}" libbpf1 | sed "s/^[0-9]*://; s/-.*//" | cut -d. -f1,2) &&
	grep -q "^libbpf v$lib (built with $lib)$" v1
'
test_expect_success '--help shows the recording options' '
	"$T" --help >h && grep -q -- "-o, --output DIR" h && grep -q -- "-e, --events" h &&
	grep -q -- "-s, --snaplen" h && grep -q "^Recording options:" h
'
test_done
