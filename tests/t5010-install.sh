#!/bin/sh
# make install / uninstall / deb: what lands where, the installed
# `ipctrace` tracing a demo without touching the source tree, the man page
# and bash completion, and the help, man page and README agreeing.
. "$(dirname "$0")/lib.sh"
require_cmd dpkg-deb
require_cmd dpkg-shlibdeps
M="make -C $ROOT --no-print-directory"
FILES="usr/bin/ipctrace usr/share/man/man8/ipctrace.8 usr/share/bash-completion/completions/ipctrace
usr/share/doc/ipctrace/README.md usr/share/doc/ipctrace/docs/trace-format.md"

test_expect_success 'make install honours DESTDIR and PREFIX' '
	$M install DESTDIR="$TEST_TMP/root" PREFIX=/usr >/dev/null &&
	for f in $FILES; do test -f "$TEST_TMP/root/$f" || { echo "missing $f"; exit 1; }; done &&
	test -x "$TEST_TMP/root/usr/bin/ipctrace" &&
	$M install DESTDIR="$TEST_TMP/local" >/dev/null && test -x "$TEST_TMP/local/usr/local/bin/ipctrace"
'
test_expect_success 'the installed binary calls itself ipctrace' '
	PATH="$TEST_TMP/root/usr/bin:$PATH" ipctrace --help >h && grep -q "^Usage: ipctrace " h &&
	PATH="$TEST_TMP/root/usr/bin:$PATH" ipctrace version | grep -q "^ipctrace "
'
test_expect_success 'the man page renders and names every option of --help' '
	MANWIDTH=80 man -l "$TEST_TMP/root/usr/share/man/man8/ipctrace.8" >man.txt 2>man.err &&
	! test -s man.err && grep -q "^NAME" man.txt &&
	sed -n "/^Recording options:/,/^\$/p" h | grep -o -- "^  -[a-zA-Z], --[a-z-]*" | tr -d , >opts &&
	test -s opts &&
	while read short long; do
		grep -q -- "$short, $long" man.txt || { echo "man page lacks $short, $long"; exit 1; }
		grep -q -- "$short\b" "$ROOT/README.md" || { echo "README lacks $short"; exit 1; }
	done <opts &&
	for sub in $(sed -n "/^Subcommands:/,/^\$/p" h | awk "NR>1 && NF {print \$1}"); do
		grep -q "^ *$sub" man.txt || { echo "man page lacks subcommand $sub"; exit 1; }
		grep -q "trace $sub\|$sub" "$ROOT/README.md" || { echo "README lacks $sub"; exit 1; }
	done
'
test_expect_success 'bash completion offers subcommands, options and kinds' '
	test -r /usr/share/bash-completion/bash_completion || { echo "# no bash-completion"; exit 0; }
	cat >c.bash <<-\EOS
	. /usr/share/bash-completion/bash_completion
	. "$1/usr/share/bash-completion/completions/ipctrace"
	comp() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE};
		COMPREPLY=(); _ipctrace; printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "; echo; }
	comp ipctrace timel
	comp ipctrace --sn
	comp ipctrace -e ms
	comp ipctrace graph --format ""
	comp ipctrace help re
	EOS
	bash c.bash "$TEST_TMP/root" >got && cat got &&
	[ "$(sed -n 1p got)" = "timeline " ] && [ "$(sed -n 2p got)" = "--snaplen " ] &&
	[ "$(sed -n 3p got)" = "msgq " ] && [ "$(sed -n 4p got)" = "dot svg " ] &&
	[ "$(sed -n 5p got)" = "record report " ]
'
test_expect_success 'make uninstall removes what install put there' '
	$M uninstall DESTDIR="$TEST_TMP/root" PREFIX=/usr >/dev/null &&
	for f in $FILES; do ! test -e "$TEST_TMP/root/$f" || { echo "left $f"; exit 1; }; done &&
	test -z "$(find "$TEST_TMP/root" -type f)"
'
test_expect_success 'make deb builds a package whose dependencies Debian can meet' '
	$M deb >out && cat out && deb=$(ls "$ROOT"/.output/deb/ipctrace_*.deb) &&
	dpkg-deb -f "$deb" Package Version Architecture Depends >ctl && cat ctl &&
	grep -q "^Package: ipctrace$" ctl && grep -q "^Depends: .*libbpf1" ctl &&
	dpkg-deb -c "$deb" | grep -q "./usr/bin/ipctrace$" &&
	dpkg-deb -c "$deb" | grep -q "./usr/share/man/man8/ipctrace.8.gz$" &&
	apt-get -s -o Debug::NoLocking=1 install "$deb" >sim 2>&1; rc=$?; tail -3 sim; [ $rc = 0 ] &&
	grep -q "^Inst ipctrace\|ipctrace is already the newest" sim &&
	dpkg-deb -x "$deb" debroot && test -x debroot/usr/bin/ipctrace
'
if [ "$(id -u)" -ne 0 ] || ! [ -r /sys/kernel/btf/vmlinux ]; then
	test_skip 'the packaged ipctrace traces a demo, reading nothing from the source tree' 'needs root and BTF'
else
# strace's ptrace rules out LeakSanitizer in a sanitizer build (for the
# tracer too): no-leak-check turns it off there.
test_expect_success 'the packaged ipctrace traces a demo, reading nothing from the source tree' '
	mkdir bin run && cp "$ROOT/demos/pipe_sum" bin/ && cp debroot/usr/bin/ipctrace bin/ && chmod 755 . run &&
	cd run && env -i PATH="$TEST_TMP/bin:/usr/bin:/bin" ${NO_LEAK_CHECK:+"$NO_LEAK_CHECK"} \
		strace -f -qq -e trace=%file -o ../files.log ipctrace -q -o out pipe_sum -n 1000 -p 4 >sum &&
	grep -q "sum=500500 expected=500500 ok" sum &&
	jq -e "[.flows[] | select(.kind == \"pipe\")] | map(.messages) | add == 4" out/report.json >/dev/null &&
	for f in trace.ipct report.json graph.svg timeline.svg; do test -s out/$f || { echo "no $f"; exit 1; }; done &&
	! grep -F "$ROOT" ../files.log
'
fi
test_done
