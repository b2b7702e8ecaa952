#!/bin/sh
# The per-task cache of what a descriptor stands for (bpf/fd_class.bpf.h)
# must follow every change of the descriptor: one fd reused by six files
# and then a pipe, dup2 moving fd 9 from one pipe to another, and a unix
# datagram socket connected to one receiver and then another
# (tests/workloads/fd_reuse.pl knows every byte).  Both the full recording
# and trace stat must put each call on its own object.
. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_cmd jq
require_cmd perl
T="$ROOT/trace"
W="$ROOT/tests/workloads/fd_reuse.pl"

test_expect_success 'record: the workload runs traced' '
	mkdir rec && "$T" -q -s 64 -o rec.out perl "$W" "$PWD/rec" &&
	"$T" dump --json rec.out >dump.json
'

# call NAME BUF FIELD: FIELD of the calls NAME that moved BUF.
call() {
	jq -r "select(.name == \"$1\" and .args.buf == \"$2\") | $3" dump.json
}

test_expect_success 'record: each file read and written through fd 3 is named by its own path' '
	for i in 1 2 3 4 5 6; do
		x=$(printf "%*s" $((10 * i)) "" | tr " " x)
		[ "$(call write "$x" .args.fd_name)" = "$PWD/rec/f$i" ] &&
		[ "$(call read "$x" .args.fd_name)" = "$PWD/rec/f$i" ] &&
		[ "$(call read "$x" .ret)" = $((10 * i)) ] || { echo "f$i"; return 1; }
	done
'

test_expect_success 'record: fd 9 writes to pipe A, then after dup2 to pipe B' '
	a=$(call write aaa .args.fd_name) && b=$(call write bbbbb .args.fd_name) &&
	[ "$(call write aaa .args.fd)" = 9 ] && [ "$(call write bbbbb .args.fd)" = 9 ] &&
	[ "$a" != "$b" ] &&
	[ "$(call read aaa .args.fd_name)" = "$a" ] && [ "$(call read bbbbb .args.fd_name)" = "$b" ]
'

test_expect_success 'record: the datagram socket sends to the peer it is connected to' '
	c=$(call sendto ccccccc .args.fd_name) && d=$(call sendto ddddddddddd .args.fd_name) &&
	r1=$(call read ccccccc .args.fd_name) && r2=$(call read ddddddddddd .args.fd_name) &&
	[ "${c#*->}" = "${r1#*[}" ] && [ "${d#*->}" = "${r2#*[}" ] && [ "$r1" != "$r2" ]
'

# counter KIND DIR SELECT: "calls bytes" of the perl counters of KIND and DIR
# that SELECT (a jq condition) keeps, one per line, sorted.
counter() {
	jq -r ".counters[] | select(.comm == \"perl\" and .kind == \"$1\" and .dir == \"$2\" and ($3)) |
		\"\(.calls) \(.bytes)\"" stat.json | sort -k2n
}

test_expect_success 'stat: the workload runs counted' '
	mkdir st && "$T" stat -q --json -o st.out perl "$W" "$PWD/st" >stat.json
'

test_expect_success 'stat: each file has its own write and reads' '
	for i in 1 2 3 4 5 6; do
		[ "$(counter file send ".name == \"$PWD/st/f$i\"")" = "1 $((10 * i))" ] &&
		[ "$(counter file recv ".name == \"$PWD/st/f$i\"")" = "2 $((10 * i))" ] ||
			{ echo "f$i"; return 1; }
	done
'

test_expect_success 'stat: the two pipes behind fd 9 count 3 and 5 bytes, sent and received' '
	[ "$(counter pipe send true)" = "1 3
1 5" ] && [ "$(counter pipe recv true)" = "1 3
1 5" ] &&
	a=$(jq -r ".counters[] | select(.kind == \"pipe\" and .dir == \"send\" and .bytes == 3) | .object" stat.json) &&
	[ "$(jq -r ".counters[] | select(.kind == \"pipe\" and .dir == \"recv\" and .bytes == 3) | .object" stat.json)" = "$a" ]
'

test_expect_success 'stat: the datagram sends to two peers are two counters' '
	[ "$(counter unix send true)" = "1 7
1 11" ] && [ "$(counter unix recv true)" = "1 7
1 11" ]
'

test_done
