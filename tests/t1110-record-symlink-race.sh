#!/bin/sh
# A user who races the tracer: while recordings run under sudo, the user's
# process flips links to a root-only victim file in and over the output
# directory in a tight loop.  No run may write or chown the victim, or put
# anything in a root-only directory.  IPCTRACE_RACE_RUNS sets the number of
# recordings: 30 by default, to keep `make check` short; `make race` runs
# 200 (each recording loads the BPF programs, about 0.7 s here).  The
# recordings use --force: the flipper keeps the directory full of links,
# which a plain -o refuses, and --force must replace them without
# following any.
. "$(dirname "$0")/lib.sh"
require_recording perl
RUNS=${IPCTRACE_RACE_RUNS:-30}

test_expect_success "$RUNS recordings against a process flipping links: victim untouched" '
	chmod 755 . &&
	echo "precious root data" >victim && chmod 600 victim && sha256sum victim >victim.sum &&
	mkdir -m 700 secret && mkdir p && chown 65534:65534 p || exit 1
	setpriv --reuid=65534 --regid=65534 --clear-groups perl -e "
		my (\$victim, \$secret) = @ARGV;
		my @names = qw(trace.ipct report.json graph.dot graph.svg timeline.svg perfetto.json);
		mkdir \"p/x\";
		while (1) {
			for my \$f (@names) { unlink \"p/x/\$f\"; symlink \$victim, \"p/x/\$f\"; }
			rename \"p/x\", \"p/x.d\"; symlink \$secret, \"p/x\";
			unlink \"p/x\"; rename \"p/x.d\", \"p/x\";
			select undef, undef, undef, 0.003;
		}" "$PWD/victim" "$PWD/secret" &
	flipper=$! &&
	ok=0 && refused=0 && i=0 &&
	while [ $i -lt $RUNS ]; do
		SUDO_UID=65534 SUDO_GID=65534 "$T" -q --force -o p/x true 2>>err
		case $? in
		0) ok=$((ok + 1)) ;;
		1) refused=$((refused + 1)) ;;
		*) echo "run $i: unexpected exit $?"; kill $flipper; exit 1 ;;
		esac
		i=$((i + 1))
	done
	kill $flipper; wait $flipper 2>/dev/null
	echo "$ok recordings completed, $refused refused"; sort err | uniq -c | sort -rn | head;
	sha256sum -c --quiet victim.sum && [ "$(stat -c %u:%g:%a victim)" = 0:0:600 ] &&
	[ -z "$(ls -A secret)" ] && [ -z "$(find p ! -user 65534)" ] &&
	[ $((ok + refused)) = $RUNS ] && [ $ok -gt 0 ]
'
test_done
