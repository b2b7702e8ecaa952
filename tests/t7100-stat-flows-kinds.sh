#!/bin/sh
# `trace stat` flows of the kinds that t7040 leaves out, against a full
# recording of the same workload and against what the workload itself
# knows: TCP connections (both ends traced, joined by the 4-tuple) and UDP
# datagrams (tests/workloads/netpair.c: request and answer sizes fixed per
# connection and datagram), SIGCHLD exit reports (flows that are not
# communication, folded), and SysV semaphores (a V-er's flow to the P
# that slept until it posted: exact with one V-er, estimated with several).
# The timeline and both Perfetto exports show the counters, marked as
# counts.
. "$(dirname "$0")/lib.sh"
require_recording jq perl protoc
build_workload netpair
build_workload zero_tails -I"$ROOT" "$ROOT/.output/libipct.a" -lz \
	${IPCT_SANITIZER_PASS:+-fsanitize=address,undefined}

# flows NAME KIND: "from to messages bytes estimated folded" of NAME's
# flows of KIND, sorted.
flows() {
	"$T" report --json "$1" >"$1.json" &&
	jq -r ".flows[] | select(.kind == \"$2\") |
		\"\(.from) \(.to) \(.messages) \(.bytes) \(.estimated // false) \(.folded)\"" "$1.json" | sort
}

# anon TEXT PID...: TEXT with each PID replaced by its role (p1, p2...).
anon() {
	_t=$1; shift; _i=0
	for _p; do _i=$((_i + 1)); _t=$(echo "$_t" | sed "s/\b$_p\b/p$_i/g"); done
	echo "$_t" | sort
}

# net NAME MODE N [stat]: netpair's MODE-server and MODE-client in one
# traced tree; their pids in NAME.pids (server first).
net() {
	rm -f port
	"$T" $4 -q -o "$1" sh -c '"$0" "$1-server" port "$2" >srv & echo $! >spid
		while [ ! -s port ]; do sleep 0.05; done
		"$0" "$1-client" "$(cat port)" "$2" >cli & echo $! >cpid; wait' \
		"$TEST_TMP/netpair" "$2" "$3" >/dev/null 2>"$1.err" &&
	echo "$(cat spid) $(cat cpid)" >"$1.pids"
}

test_expect_success 'tcp: each connection both ways, exact, as recorded' '
	net tcp-full tcp 3 && net tcp-stat tcp 3 stat &&
	f=$(anon "$(flows tcp-full tcp)" $(cat tcp-full.pids)) &&
	s=$(anon "$(flows tcp-stat tcp)" $(cat tcp-stat.pids)) &&
	want=$(printf "%s\n" "p1 p2 5 3000 false false" "p1 p2 5 3500 false false" \
		"p1 p2 6 4000 false false" "p2 p1 2 1007 false false" \
		"p2 p1 3 2007 false false" "p2 p1 4 3007 false false" | sort) &&
	same "stat flows" "$s" "$want" && same "full flows" "$f" "$want" &&
	[ "$(jq "[.channels[] | select(.kind == \"tcp\")] | length" tcp-stat.json)" = 3 ] &&
	jq -r ".channels[] | select(.kind == \"tcp\") | .id" tcp-stat.json | grep -q "^tcp:127.0.0.1:[0-9]*-127.0.0.1:[0-9]*$"
'

test_expect_success 'tcp: the endpoints are in the trace, one record per counter' '
	"$T" dump tcp-stat >dump &&
	[ "$(grep -c "counted_endpoints(tcp:" dump)" = 12 ] &&
	[ "$(grep -c "counted(tcp:" dump)" = 12 ]
'

test_expect_success 'tcp: the timeline and the Perfetto exports show the counters as counts' '
	"$T" timeline -o tl.svg tcp-stat && "$T" perfetto -o p.json tcp-stat &&
	"$T" perfetto --format proto -o p.pb tcp-stat &&
	# JSON: a track per counter in its process, 0 at its start, the totals at its end
	tcp=$(jq "[.traceEvents[] | select(.ph == \"C\" and (.name | startswith(\"counted tcp:\")))
		| .args.bytes] | add" p.json) &&
	[ "$tcp" = $((2 * (3000 + 3500 + 4000 + 1007 + 2007 + 3007))) ] &&
	[ "$(jq "[.traceEvents[] | select(.ph == \"C\" and (.name | startswith(\"counted tcp:\")))
		| .args.calls] | map(select(. == 0)) | length" p.json)" = 12 ] &&
	# the timeline: a band per process drawn with counters (the folded
	# ones have no lane), its tooltip listing them
	set -- $(cat tcp-stat.pids) &&
	[ "$(grep -c "<g class=\"countedset\"><title>pid \($1\|$2\), counted" tl.svg)" = 2 ] &&
	grep -o "<title>pid $1, counted by trace stat[^<]*" tl.svg |
		grep -q "#10;tcp:127.0.0.1:[0-9]*-127.0.0.1:[0-9]* send: 5 calls (0 failed), 3000 bytes" &&
	grep -q "counted by trace stat: totals over the lifetime, not calls" tl.svg &&
	# protobuf: two counter tracks (calls, bytes) per counter
	protoc --decode_raw <p.pb >p.txt &&
	[ "$(grep -c "\"counted tcp:.* bytes\"" p.txt)" = 12 ] &&
	[ "$(grep -c "\"counted tcp:.* calls\"" p.txt)" = 12 ]
'

test_expect_success 'udp: datagrams each way, exact, as recorded' '
	net udp-full udp 4 && net udp-stat udp 4 stat &&
	f=$(anon "$(flows udp-full udp)" $(cat udp-full.pids)) &&
	s=$(anon "$(flows udp-stat udp)" $(cat udp-stat.pids)) &&
	want=$(printf "%s\n" "p1 p2 4 806 false false" "p2 p1 4 406 false false" | sort) &&
	same "stat flows" "$s" "$want" && same "full flows" "$f" "$want"
'

test_expect_success 'the endpoint records have zero tails' '
	./zero_tails tcp-stat/trace.ipct && ./zero_tails udp-stat/trace.ipct
'

test_expect_success 'SIGCHLD exit reports: the same flows, folded, as recorded' '
	cat >chld.pl <<-\EOF &&
	$| = 1; $SIG{CHLD} = sub { };
	# one child at a time: its SIGCHLD is delivered (on the return from
	# waitpid) before the next can be generated, so none merges into a
	# pending one
	for (1 .. 3) {
		my $p = fork // die;
		if (!$p) { exit 0 }
		print "$p\n";
		waitpid $p, 0;
	}
	print "$$\n";
	EOF
	"$T" -q -o chld-full perl chld.pl >chld-full.pids &&
	"$T" stat -q -o chld-stat perl chld.pl >chld-stat.pids 2>/dev/null &&
	f=$(anon "$(flows chld-full signal)" $(cat chld-full.pids)) &&
	s=$(anon "$(flows chld-stat signal)" $(cat chld-stat.pids)) &&
	want=$(printf "%s\n" "p1 p4 1 0 false true" "p2 p4 1 0 false true" "p3 p4 1 0 false true" | sort) &&
	same "stat flows" "$s" "$want" && same "full flows" "$f" "$want" &&
	[ "$(jq "[.flows[] | select(.signals == [\"SIGCHLD\"])] | length" chld-stat.json)" = 3 ]
'

test_expect_success 'ignored SIGCHLDs are counted apart and make no flow' '
	"$T" stat -q -o ign "$D/pipe_sum" -n 100 -p 3 >/dev/null 2>ign.err &&
	[ "$(grep -c "SIGCHLD to [0-9]* (ignored)" ign.err)" = 3 ] &&
	[ -z "$(flows ign signal)" ]
'

test_expect_success 'sem: one V-er, three Ps that slept: one exact flow, as recorded' '
	"$T" -q -o one-full perl "$ROOT/tests/workloads/sem_wake.pl" one 3 >one-full.pids &&
	"$T" stat -q -o one-stat perl "$ROOT/tests/workloads/sem_wake.pl" one 3 >one-stat.pids 2>one.err &&
	f=$(anon "$(flows one-full sem)" $(cat one-full.pids)) &&
	s=$(anon "$(flows one-stat sem)" $(cat one-stat.pids)) &&
	same "stat flows" "$s" "p2 p1 3 0 false false" && same "full flows" "$f" "p2 p1 3 0 false false" &&
	grep -q " P .*sem:[0-9]* (slept)$" one.err
'

test_expect_success 'sem: three V-ers: shared out, estimated; the recording is exact' '
	"$T" -q -o many-full perl "$ROOT/tests/workloads/sem_wake.pl" many 3 >many-full.pids &&
	"$T" stat -q -o many-stat perl "$ROOT/tests/workloads/sem_wake.pl" many 3 >many-stat.pids 2>/dev/null &&
	f=$(anon "$(flows many-full sem)" $(cat many-full.pids)) &&
	s=$(anon "$(flows many-stat sem)" $(cat many-stat.pids)) &&
	same "stat flows" "$s" "$(printf "%s\n" "p2 p1 1 0 true false" "p3 p1 1 0 true false" "p4 p1 1 0 true false")" &&
	same "full flows" "$f" "$(printf "%s\n" "p2 p1 1 0 false false" "p3 p1 1 0 false false" "p4 p1 1 0 false false")"
'

test_done
