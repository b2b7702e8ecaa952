#!/bin/sh
# Recording as root writes its outputs for the invoking user without ever
# following a link or entering a directory someone else controls
# (docs/security.md).  Each case is one attack on a root run.
. "$(dirname "$0")/lib.sh"
require_recording
as_user() { SUDO_UID=65534 SUDO_GID=65534 "$@"; }

# A victim file only root may write, and its checksum.
make_victim() {
	echo "precious root data" >victim && chmod 600 victim &&
	sha256sum victim >victim.sum
}
victim_intact() {
	sha256sum -c --quiet victim.sum && [ "$(stat -c %u:%g victim)" = 0:0 ]
}

test_expect_success 'a link in the -o directory to a victim file: --force replaces it, not followed' '
	chmod 755 . && make_victim &&
	mkdir x && chown 65534 x &&
	for f in trace.ipct report.json graph.dot graph.svg timeline.svg perfetto.json; do
		ln -s "$PWD/victim" x/$f || exit 1
	done &&
	as_user "$T" -q --force -o x true &&
	victim_intact &&
	for f in trace.ipct report.json graph.dot graph.svg timeline.svg perfetto.json; do
		[ -f x/$f ] && [ ! -L x/$f ] && [ "$(stat -c %u x/$f)" = 65534 ] || exit 1
	done &&
	jq -e ".processes | length == 1" x/report.json
'

test_expect_success 'the same as plain root, without sudo' '
	make_victim && mkdir r &&
	ln -s "$PWD/victim" r/report.json && ln -s "$PWD/victim" r/trace.ipct &&
	"$T" -q --force -o r true && victim_intact &&
	[ ! -L r/report.json ] && [ ! -L r/trace.ipct ] && jq -e .processes r/report.json >/dev/null
'

test_expect_code 1 '-o a link into a root-only directory is refused' '
	mkdir -m 700 secret && ln -s "$PWD/secret" lnk &&
	as_user "$T" -q -o lnk true 2>err; rc=$?; cat err;
	grep -q "refusing to write into .lnk.: .lnk. is a symbolic link" err &&
	[ -z "$(ls secret)" ] && exit $rc
'
test_expect_code 1 '... and so is it for root itself, with a trailing slash too' '
	mkdir -m 700 secret && ln -s "$PWD/secret" lnk &&
	"$T" -q -o lnk/ true 2>err; rc=$?; cat err;
	grep -q "is a symbolic link" err && [ -z "$(ls secret)" ] && exit $rc
'
test_expect_code 1 'a link among the leading components that others control is refused' '
	mkdir -m 700 secret && mkdir -m 777 shared && ln -s "$PWD/secret" shared/lnk &&
	chown -h 65533 shared/lnk &&
	"$T" -q -o shared/lnk/out true 2>err; rc=$?; cat err;
	grep -q "symbolic link that others could change" err && [ -z "$(ls secret)" ] && exit $rc
'
test_expect_success 'a trusted link among the leading components is followed' '
	mkdir real && ln -s real via &&
	"$T" -q -o via/out true && [ -s real/out/trace.ipct ] && [ -s real/out/graph.svg ]
'

test_expect_code 1 '-o a directory owned by a third user is refused' '
	chmod 755 . && mkdir third && chown 65533 third &&
	as_user "$T" -q -o third true 2>err; rc=$?; cat err;
	grep -q "refusing to write into .third.: it belongs to user 65533" err &&
	[ -z "$(ls third)" ] && exit $rc
'
test_expect_code 1 '... also for root without sudo' '
	mkdir third && chown 65533 third &&
	"$T" -q -o third true 2>err; rc=$?; cat err;
	grep -q "it belongs to user 65533" err && [ -z "$(ls third)" ] && exit $rc
'
test_expect_code 1 'a directory others may write to (not sticky) is refused' '
	mkdir -m 777 open && chmod 777 open &&
	"$T" -q -o open true 2>err; rc=$?; cat err;
	grep -q "others can write to it (mode 0777)" err && [ -z "$(ls open)" ] && exit $rc
'
test_expect_success 'a sticky world-writable directory is accepted' '
	mkdir sticky && chmod 1777 sticky &&
	"$T" -q -o sticky true && [ -s sticky/trace.ipct ] && [ -s sticky/report.json ]
'

test_expect_success 'under sudo the user cannot be made to write where it may not' '
	chmod 755 . && mkdir -m 755 rootdir &&
	! as_user "$T" -q -o rootdir/out true 2>err && cat err &&
	grep -q "cannot create directory .rootdir/out.: Permission denied" err &&
	[ ! -e rootdir/out ]
'

test_expect_success 'traps planted in ipctrace-out (the run name, latest) are not followed' '
	chmod 755 . && mkdir work && chown 65534 work && cd work &&
	mkdir -m 700 ../secret2 ../secret4 && mkdir ipctrace-out &&
	# traps for every second the run may take to pick its name
	for s in $(seq -5 30); do
		ln -s "$PWD/../secret2" ipctrace-out/true-$(date -d "$s sec" +%Y%m%d-%H%M%S); done &&
	ln -s "$PWD/../secret4" ipctrace-out/latest &&
	chown -h 65534:65534 ipctrace-out ipctrace-out/* &&
	as_user "$T" -q true 2>err; rc=$?; cat err; [ $rc = 0 ] &&
	[ -z "$(ls ../secret2)" ] && [ -z "$(ls ../secret4)" ] &&
	test -L ipctrace-out/latest && test -s ipctrace-out/latest/trace.ipct &&
	case $(readlink ipctrace-out/latest) in
	true-*-*-[0-9]) ;;
	*) date +%Y%m%d-%H%M%S; ls -l ipctrace-out; exit 1 ;;
	esac
'
test_expect_code 1 'ipctrace-out itself a link: refused, the default path follows no link' '
	mkdir -m 700 secret3 && ln -s "$PWD/secret3" ipctrace-out &&
	"$T" -q true 2>err; rc=$?; cat err;
	grep -q "refusing to write into .ipctrace-out.: .ipctrace-out. is a symbolic link" err &&
	[ -z "$(ls secret3)" ] && exit $rc
'
test_expect_code 1 'ipctrace-out owned by another user is refused' '
	rm -f ipctrace-out && mkdir ipctrace-out && chown 65533 ipctrace-out &&
	"$T" -q true 2>err; rc=$?; cat err;
	grep -q "it belongs to user 65533" err && [ -z "$(ls ipctrace-out)" ] && exit $rc
'
test_expect_success 'the default directory is created as the user, in the user'"'"'s directory' '
	chmod 755 . && mkdir u && chown 65534:65534 u && cd u &&
	as_user "$T" -q true &&
	[ "$(stat -c %u:%g ipctrace-out ipctrace-out/true-* ipctrace-out/latest ipctrace-out/latest/graph.svg | sort -u)" = 65534:65534 ]
'

test_expect_success 'rendering runs as the user: no file of root'"'"'s is left, no temporary either' '
	chmod 755 . && mkdir v && chown 65534:65534 v &&
	as_user "$T" -q -o v/o sh -c "echo x | cat" >/dev/null &&
	[ -z "$(find v ! -user 65534)" ] && [ -z "$(find v -name ".*.tmp")" ]
'
test_done
