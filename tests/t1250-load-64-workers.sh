#!/bin/sh
# Load: every parallel-sum demo with 64 workers, traced, is exact: 65
# processes, nothing lost, and for the demos that hand the partial sums
# over a channel exactly one flow per worker to the parent (kind, one
# message, 8 bytes; signals carry no bytes).  In the shared-memory demos
# every process is a user of the shared objects; a contended lock passes
# from worker to worker, and pages pass as first page touches show them
# (estimated flows in pages): shm_sum's slot page from each worker to the
# parent, the shared total of the others from each toucher to every later
# one.
. "$(dirname "$0")/lib.sh"
require_recording jq
P=64

# run OUT DEMO ARGS...: trace DEMO -p 64 ARGS; the demo says ok, nothing is
# lost, 65 processes that all exited 0.
run() {
	out=$1 demo=$2; shift 2
	"$T" -q -o "$out" "$D/$demo" -p $P "$@" >"$out.stdout" 2>"$out.stderr" ||
		{ echo "trace failed: $?"; cat "$out.stderr"; return 1; }
	grep -q " ok$" "$out.stdout" || { cat "$out.stdout"; return 1; }
	jq -e --argjson n $((P + 1)) '.lost_events == 0 and .exit_status == 0 and
		(.processes | length) == $n and all(.processes[]; .exit_code == 0)' \
		"$out/report.json" >/dev/null || { jq -c "{lost_by_kind, exit_status, n: (.processes | length)}" "$out/report.json"; return 1; }
}

# one_flow_each OUT KIND BYTES: exactly one flow per worker, KIND, one
# message of BYTES bytes, from each child of the root to the root.
one_flow_each() {
	jq -e --arg k "$2" --argjson b "$3" --argjson p $P '
		[.processes[].pid] as $all
		| [.processes[] | select(.ppid as $q | $all | index($q) | not)][0].pid as $root
		| ([.processes[] | select(.ppid == $root) | .pid] | sort) as $kids
		| ($kids | length) == $p and (.flows | length) == $p
		and ([.flows[] | select(.kind == $k and .to == $root and .messages == 1 and .bytes == $b)
		      | .from] | sort) == $kids' "$1/report.json" >/dev/null ||
		{ jq -c ".flows[]" "$1/report.json" | head; return 1; }
}

# users OUT KIND: every process used a channel of KIND.
users() {
	jq -e --arg k "$2" --argjson n $((P + 1)) \
		'any(.channels[]; .kind == $k and (.users | length) == $n)' "$1/report.json" >/dev/null ||
		{ jq -c "[.channels[] | {kind, users: (.users | length)}]" "$1/report.json"; return 1; }
}

for spec in pipe_sum:pipe:8 fifo_sum:fifo:8 file_sum:file:8 msgq_sum:msgq:8 \
	    posix_mq_sum:msgq:8 signal_sum:signal:0 socket_sum:unix:8 \
	    socket_sum--tcp:tcp:8 socket_sum--udp:udp:8; do
	demo=${spec%%:*} rest=${spec#*:}; kind=${rest%:*} bytes=${rest#*:}
	args=; case $demo in *--*) args=--${demo#*--}; demo=${demo%%--*} ;; esac
	test_expect_success "$demo${args:+ $args} -p 64 -n 64000: one $kind flow per worker, exact" '
		run o-'$demo$args' '$demo' -n 64000 '$args' && one_flow_each o-'$demo$args' '$kind' '$bytes'
	'
done
test_expect_success 'shm_sum -p 64: one segment used by all 65, one slot page from each worker to the root' '
	run shm shm_sum -n 64000 && users shm shm &&
	jq -e --argjson p $P "
		[.processes[].pid] as \$all
		| [.processes[] | select(.ppid as \$q | \$all | index(\$q) | not)][0].pid as \$root
		| ([.processes[] | select(.ppid == \$root) | .pid] | sort) as \$kids
		| (.flows | length) == \$p and ([.flows[] | select(.kind == \"shm\" and .to == \$root and
			.pages == 1 and .estimated) | .from] | sort) == \$kids" shm/report.json >/dev/null ||
		{ jq -c ".flows[]" shm/report.json | head; false; }
'
# worker_sem_flows OUT: every flow but the shm page ones is a semaphore
# hand-over (no bytes) between two different workers; the root never
# takes part.  How many there are depends on contention: a V that found no
# waiter hands nothing.  The shm page flows are estimated, between two
# processes, never from the root (it reads the total last).
worker_sem_flows() {
	jq -e "[.processes[].pid] as \$all
		| [.processes[] | select(.ppid as \$q | \$all | index(\$q) | not)][0].pid as \$root
		| all(.flows[] | select(.kind != \"shm\"); .kind == \"sem\" and .bytes == 0 and .from != \$root and .to != \$root and .from != .to)
		and all(.flows[] | select(.kind == \"shm\"); .estimated and .pages == 1 and .from != \$root and .from != .to)" \
		"$1/report.json" >/dev/null ||
		{ jq -c "[.processes[0].pid, [.flows[] | [.from, .to, .kind, .messages, .bytes]]]" "$1/report.json"; false; }
}
test_expect_success 'posix_shm_sum -p 64: shared total and semaphore used by all 65, semaphore flows between workers' '
	run pshm posix_shm_sum -n 64000 && users pshm shm && worker_sem_flows pshm
'
test_expect_success 'sem_sum -p 64: one semaphore used by all 65, flows only between workers' '
	run sem sem_sum -n 64000 && users sem sem && worker_sem_flows sem
'
test_done
