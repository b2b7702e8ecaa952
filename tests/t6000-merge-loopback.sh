#!/bin/sh
# t6000-merge-loopback: two `trace` instances record the two ends of one
# exchange on 127.0.0.1 as two "hosts" (one traces the server, the other
# the client), the server's wall clock moved by a known amount
# (IPCTRACE_TEST_CLOCK_SHIFT_NS).  `trace merge` must find that shift
# within the uncertainty it states, join each connection into one channel,
# and give flows equal to what the programs say they sent: TCP both ways
# over several connections, and UDP datagrams both ways.
. "$(dirname "$0")/lib.sh"
require_recording jq
build_workload netpair

# record_pair MODE N SHIFT: server traced into srv/ with its clock SHIFT ns
# off, client into cli/; their own accounts in srv.out and cli.out.
record_pair() {
	rm -rf srv cli port srv.out cli.out
	IPCTRACE_TEST_CLOCK_SHIFT_NS=$3 "$T" -q -o srv ./netpair "$1-server" port "$2" >srv.out &
	spid=$!
	i=0
	while [ ! -s port ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	[ -s port ] || { kill $spid; return 1; }
	"$T" -q -o cli ./netpair "$1-client" "$(cat port)" "$2" >cli.out &&
	wait $spid
}

# offset_ok SHIFT: merge.out states for "server" an offset within its
# uncertainty of SHIFT, and an uncertainty under 5 ms.
offset_ok() {
	line=$(grep -A1 '^  server:' merge.out | grep offset_ns=) &&
	off=$(echo "$line" | sed 's/.*offset_ns=\(-*[0-9]*\).*/\1/') &&
	unc=$(echo "$line" | sed 's/.*uncertainty_ns=\(-*[0-9]*\).*/\1/') &&
	echo "offset $off uncertainty $unc want $1" &&
	[ "$unc" -ge 0 ] && [ "$unc" -lt 5000000 ] &&
	d=$((off - $1)) && [ "${d#-}" -le "$unc" ]
}


test_expect_success 'TCP: record server and client as two hosts, server clock +3.7 s' '
	cd "$TEST_TMP" && record_pair tcp 3 3700123456 &&
	[ "$(grep -c "^sent tcp" srv.out)" = 3 ] && [ "$(grep -c "^sent tcp" cli.out)" = 3 ] &&
	cp -r cli tcp-cli
'

test_expect_success 'TCP: merge finds the shift within its stated uncertainty' '
	cd "$TEST_TMP" &&
	"$T" merge cli/trace.ipct srv --host-label srv=server --host-label cli/trace.ipct=client \
		-o tcp.ipct >merge.out && cat merge.out &&
	offset_ok 3700123456 &&
	grep -q "joined across hosts: 6 tcp, 0 udp; one-sided: 0 tcp" merge.out
'

test_expect_success 'TCP: flows across hosts equal what each side sent, both ways' '
	cd "$TEST_TMP" && "$T" report --json tcp.ipct >r.json &&
	jq -r ".flows[] | select(.kind == \"tcp\") |
		\"\(if (.from / 4194304 | floor) == 0 then \"cli\" else \"srv\" end) \(.bytes) \(.messages)\"" \
		r.json | sort >got &&
	{ sed -n "s/^sent tcp [0-9]* \([0-9]*\) \([0-9]*\)$/cli \1 \2/p" cli.out
	  sed -n "s/^sent tcp [0-9]* \([0-9]*\) \([0-9]*\)$/srv \1 \2/p" srv.out; } | sort >want &&
	cat got && diff -u want got &&
	[ "$(jq "[.flows[] | select(.kind == \"tcp\") | select((.from / 4194304 | floor) == (.to / 4194304 | floor))] | length" r.json)" = 0 ]
'

test_expect_success 'TCP: one channel per connection, both hosts its users' '
	cd "$TEST_TMP" &&
	[ "$(jq "[.channels[] | select(.kind == \"tcp\" and (.users | length) == 2)] | length" r.json)" = 3 ] &&
	[ "$(jq -r ".channels[] | select(.kind == \"tcp\") | .id" r.json | grep -c /)" = 0 ] &&
	[ "$(jq -r ".hosts | map(.name) | join(\" \")" r.json)" = "client server" ]
'

test_expect_success 'TCP: no byte received before it was sent, within the uncertainty' '
	cd "$TEST_TMP" && unc=$(jq ".hosts[1].uncertainty_ns" r.json) &&
	"$T" export --format csv -o tables tcp.ipct &&
	awk -F, -v unc="$unc" "NR > 1 && \$6 != \$8 { n++; if (\$11 < -unc) bad++ }
		END { print n \" cross pairs, \" bad+0 \" early\"; exit !(n > 0 && bad == 0) }" tables/transfers.csv
'

test_expect_success 'TCP: processes read HOST:PID in every reading subcommand' '
	cd "$TEST_TMP" &&
	cpid=$(jq -r ".processes[] | select(.host == \"client\") | .host_pid" r.json) &&
	"$T" report tcp.ipct >r.txt && grep -q "client:$cpid" r.txt &&
	grep -q "^hosts: *client (cli/trace.ipct): the reference clock" r.txt &&
	grep -q "^ *server (srv/trace.ipct): clock +3.70.* s +- .* us, from [0-9]* pairs" r.txt &&
	"$T" graph --format dot tcp.ipct >g.dot && grep -q "client:$cpid" g.dot &&
	"$T" timeline tcp.ipct -o t.svg && grep -q "client:$cpid" t.svg &&
	"$T" perfetto tcp.ipct -o p.json && jq -e ".traceEvents | length > 0" p.json >/dev/null &&
	"$T" dump tcp.ipct >/dev/null
'

test_expect_success 'UDP: datagrams both ways, server clock -2.5 s' '
	cd "$TEST_TMP" && record_pair udp 5 -2500000000 &&
	"$T" merge --host-label srv=server --host-label cli=client cli srv -o udp.ipct >merge.out &&
	cat merge.out && offset_ok -2500000000 &&
	grep -q "joined across hosts: 0 tcp, 2 udp; one-sided: 0 tcp, 0 udp" merge.out
'

test_expect_success 'UDP: flows equal the datagrams each side sent' '
	cd "$TEST_TMP" && "$T" report --json udp.ipct >u.json &&
	want_cli=$(sed -n "s/^sent udp [0-9]* //p" cli.out | paste -sd+ | bc) &&
	want_srv=$(sed -n "s/^sent udp [0-9]* //p" srv.out | paste -sd+ | bc) &&
	jq -r ".flows[] | select(.kind == \"udp\") | \"\(.from / 4194304 | floor) \(.to / 4194304 | floor) \(.messages) \(.bytes)\"" u.json | sort >got &&
	printf "0 1 5 %s\n1 0 5 %s\n" "$want_cli" "$want_srv" >want &&
	cat got && diff -u want got
'

test_expect_success 'one-sided: a connection whose peer no host recorded is marked' '
	cd "$TEST_TMP" &&
	"$T" merge -l tcp-cli=client -l srv=other -o one.ipct tcp-cli srv >merge.out &&
	cat merge.out &&
	grep -q "joined across hosts: 0 tcp, 0 udp; one-sided: 3 tcp, 1 udp" merge.out &&
	"$T" export --format csv -o one one.ipct &&
	[ "$(grep -c "^\"client\",\"client/tcp:.*\"tcp\",.*,true$" one/channels.csv)" = 3 ] &&
	[ "$("$T" report --json one.ipct | jq "[.channels[] | select(.kind == \"tcp\" and .one_sided)] | length")" = 3 ]
'

test_expect_code 1 'a merged trace is refused as an input' '
	"$T" merge -o again.ipct tcp.ipct srv 2>err; rc=$?; cat err;
	grep -q "error: .tcp.ipct. is a merged trace already" err && exit $rc
'

test_expect_code 1 'a missing input is a one-line error' '
	"$T" merge -o x.ipct srv nosuch.ipct 2>err; rc=$?; cat err;
	[ "$(wc -l <err)" = 1 ] && grep -q "cannot open .nosuch.ipct." err && [ ! -e x.ipct ] && exit $rc
'

test_expect_code 2 'no -o is a usage error' '"$T" merge srv cli'
test_expect_code 2 'a bad host label is a usage error' '"$T" merge -l "srv=a b" -o x.ipct srv cli'
test_expect_code 2 'a label for a file not merged is a usage error' '"$T" merge -l other=a -o x.ipct srv cli'

test_done
