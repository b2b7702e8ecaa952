#!/bin/sh
# t3010-demos-cleanup: the sum demos leave nothing behind - no SysV object
# (ipcs), no /dev/shm entry, no POSIX queue, no temporary directory, FIFO or
# socket file, no process - after a normal run, after SIGINT or SIGTERM
# mid-run (to the parent alone, or to the whole process group as Ctrl-C
# does), and after a worker is killed with SIGKILL (the parent must then
# exit 1).  Runs are made to last with the DEMO_WORKER_DELAY_MS hook (see
# demos/demo_common.h) or with a large N.

. "$(dirname "$0")/lib.sh"

D=$ROOT/demos
VARIANTS="pipe_sum file_sum msgq_sum shm_sum signal_sum sem_sum socket_sum
socket_sum:tcp socket_sum:udp posix_mq_sum posix_shm_sum fifo_sum"

mkdir "$TEST_TMP/tmp" && export TMPDIR="$TEST_TMP/tmp"

# POSIX message queues are visible only through an mqueue file system.
MQDIR=
if grep -q ' /dev/mqueue mqueue ' /proc/mounts; then
	MQDIR=/dev/mqueue
elif [ "$(id -u)" -eq 0 ]; then
	# A mount point of its own, outside $TEST_TMP: an "rm -rf" must
	# never walk into it (it would delete every queue on the system).
	MQDIR=$(mktemp -d /tmp/ipctrace-mqueue.XXXXXX)
	if mount -t mqueue none "$MQDIR" 2>/dev/null; then
		trap 'umount "$MQDIR" && rmdir "$MQDIR"; rm -rf "$TEST_TMP"' EXIT
		trap 'exit 130' INT
		trap 'exit 143' TERM
	else
		rmdir "$MQDIR"
		MQDIR=
	fi
fi

# snapshot: every IPC object and temporary name the demos could leave,
# sorted, one per line.
snapshot() {
	{
		{ ipcs -q; ipcs -m; ipcs -s; } | awk '/^0x/ { print "sysv", $1, $2 }'
		ls -A /dev/shm | sed 's/^/shm /'
		if [ -n "$MQDIR" ]; then ls -A "$MQDIR" | sed 's/^/mq /'; fi
		ls -A "$TMPDIR" | sed 's/^/tmp /'
	} | LC_ALL=C sort
}

# clean: nothing exists that was not there in "before".  (Objects that
# vanished belong to other programs; so may new ones for a moment, hence
# a few retries.)
clean() {
	for try in 1 2 3 4 5; do
		snapshot >after
		LC_ALL=C comm -13 before after >new
		test -s new || return 0
		sleep 0.2
	done
	echo "left behind:"; cat new
	return 1
}

# wait_live COUNT: wait (up to 5 s) until $pid has exactly COUNT live
# children, and set $workers to their pids.
wait_live() {
	for try in $(seq 50); do
		workers=$(live_children "$pid")
		test "$(echo $workers | wc -w)" -eq "$1" && return 0
		sleep 0.1
	done
	echo "want $1 live workers, have: $workers"
	return 1
}

# run_bg VARIANT ARGS...: start a demo in the background; sets $pid.
run_bg() {
	name=${1%%:*}
	mode=
	case $1 in *:*) mode=${1#*:} ;; esac
	shift
	"$D/$name" ${mode:+--$mode} "$@" >out 2>err &
	pid=$!
}

# live_children PID: the pids of PID's children that are not zombies.
live_children() {
	ps -o pid=,stat= --ppid "$1" | awk '$2 !~ /^Z/ { print $1 }'
}

# all_gone PIDS...: none of these processes exists any more.
all_gone() {
	for p in "$@"; do
		if kill -0 "$p" 2>/dev/null; then echo "process $p survived"; return 1; fi
	done
}

# mid_run VARIANT: snapshot the objects, then start VARIANT -p 3 in the
# background with workers 0 and 2 delivering at once and worker 1 asleep;
# return once worker 1 is the one live worker ($workers).
mid_run() {
	snapshot >before &&
	DEMO_WORKER_DELAY_MS=20000 DEMO_WORKER_DELAY_ONLY=1 run_bg "$1" -p 3 &&
	wait_live 1
}

# wait_status WANT: wait for $pid and check its exit status.
wait_status() {
	wait "$pid"
	rc=$?
	test "$rc" -eq "$1" || { echo "exit $rc, want $1"; cat out err; return 1; }
}

for v in $VARIANTS; do
	test_expect_success "$v: a normal run leaves nothing" "
		snapshot >before &&
		run_bg $v -n 100000 -p 5 && wait_status 0 && clean
	"

	# The parent dies of the signal (exit 128 + its number).
	for sig in INT:130 TERM:143; do
		test_expect_success "$v: SIG${sig%:*} to the parent mid-run: dies of it, cleans up" "
			mid_run $v &&
			kill -${sig%:*} \$pid && wait_status ${sig#*:} &&
			all_gone \$workers && clean
		"
	done

	test_expect_success "$v: a worker killed with SIGKILL: exit 1, cleans up" "
		mid_run $v &&
		kill -KILL \$workers && wait_status 1 &&
		grep -q \"worker 1 (pid \$workers) killed by signal 9\" err &&
		test ! -s out && all_gone \$workers && clean
	"

	# Ctrl-C: SIGINT to the whole process group, workers included, while
	# they are busy adding (a large N, no hook).
	test_expect_success "$v: SIGINT to the process group mid-sum: cleans up" "
		snapshot >before &&
		name=${v%%:*}; mode=\$(echo $v | sed -n 's/.*://p')
		setsid \"$D/\$name\" \${mode:+--\$mode} -n 6000000000 -p 2 >out 2>err &
		pid=\$!
		sleep 0.2 && wait_live 2 &&
		kill -INT -\$pid && wait_status 130 &&
		all_gone \$workers && clean
	"
done

test_expect_success 'the objects really existed mid-run (the checks can fail)' '
	snapshot >before &&
	for v in msgq_sum sem_sum shm_sum file_sum fifo_sum socket_sum; do
		DEMO_WORKER_DELAY_MS=20000 run_bg $v -p 2 &&
		sleep 0.2 && snapshot >during &&
		if cmp -s before during; then echo "$v: nothing visible mid-run"; exit 1; fi
		kill -INT $pid && wait_status 130 && clean || exit 1
	done
'

test_expect_success 'two runs at once do not collide' '
	snapshot >before &&
	for v in $VARIANTS; do
		name=${v%%:*} mode=
		case $v in *:*) mode=${v#*:} ;; esac
		"$D/$name" ${mode:+--$mode} -n 3000000 -p 4 >out1 2>&1 &
		a=$!
		"$D/$name" ${mode:+--$mode} -n 3000000 -p 4 >out2 2>&1 &
		b=$!
		wait $a && wait $b &&
		grep -q "sum=4500001500000 expected=4500001500000 ok" out1 &&
		grep -q "sum=4500001500000 expected=4500001500000 ok" out2 || {
			echo "$v:"; cat out1 out2; exit 1; }
	done &&
	clean
'

test_done
