#!/bin/sh
# t3000-demos-sum: every parallel-sum demo (all socket modes) adds 1..N
# right for a spread of (N, P), rejects bad arguments with exit 2, and
# really loops (sum_range is not folded into a formula).

. "$(dirname "$0")/lib.sh"

D=$ROOT/demos
VARIANTS="pipe_sum file_sum msgq_sum shm_sum signal_sum sem_sum socket_sum
socket_sum:tcp socket_sum:udp posix_mq_sum posix_shm_sum fifo_sum"

# Run every variant against a private, initially empty TMPDIR.
mkdir "$TEST_TMP/tmp" && export TMPDIR="$TEST_TMP/tmp"

test_expect_success 'all sum demos are built' '
	for v in $VARIANTS; do
		test -x "$D/${v%%:*}" || { echo "missing $D/${v%%:*} (run make)"; exit 1; }
	done
'

# check VARIANT N P SUM: the demo exits 0 and prints exactly the right line.
check() {
	name=${1%%:*}
	mode=
	case $1 in *:*) mode=${1#*:} ;; esac
	"$D/$name" ${mode:+--$mode} -n "$2" -p "$3" >out 2>err || {
		echo "exit $?"; cat out err; return 1; }
	echo "$name: ${mode:+mode=$mode }N=$2 P=$3 sum=$4 expected=$4 ok" >want
	cmp want out && test ! -s err || { cat out err; return 1; }
}

for v in $VARIANTS; do
	test_expect_success "$v: N=10000 P=10, N=100 P=1, N=5 P=10, N=0 P=3" "
		check $v 10000 10 50005000 &&
		check $v 100 1 5050 &&
		check $v 5 10 15 &&
		check $v 0 3 0
	"
	test_expect_success "$v: N=1000000000 P=4" "
		check $v 1000000000 4 500000000500000000
	"
done

test_expect_success 'defaults are N=10000 P=10' '
	"$D/pipe_sum" >out &&
	echo "pipe_sum: N=10000 P=10 sum=50005000 expected=50005000 ok" >want &&
	cmp want out
'

test_expect_success 'the largest N (N(N+1)/2 = 2^64 - 2^31 - ...) is exact' '
	check shm_sum 6074000999 2 18446744070963499500
'

test_expect_success 'signal_sum splits sums beyond an int (P=1, N=100000)' '
	check signal_sum 100000 1 5000050000
'

test_expect_success 'P=4096 works (pipe, socket)' '
	check pipe_sum 1000000 4096 500000500000 &&
	check socket_sum:udp 1000000 4096 500000500000
'

# bad VARIANT ARGS...: exit 2, an error and the usage line on stderr.
bad() {
	name=${1%%:*}
	mode=
	case $1 in *:*) mode=${1#*:} ;; esac
	shift
	"$D/$name" ${mode:+--$mode} "$@" >out 2>err
	rc=$?
	test $rc -eq 2 || { echo "$name $*: exit $rc, want 2"; cat out err; return 1; }
	test ! -s out && grep -q "^error: " err && grep -q "^usage: $name " err || {
		echo "$name $*: bad messages"; cat out err; return 1; }
}

for v in $VARIANTS; do
	test_expect_success "$v: bad arguments exit 2 with a usage line" "
		bad $v -p 0 &&
		bad $v -p -1 &&
		bad $v -n -5 &&
		bad $v -n abc &&
		bad $v -n 12x &&
		bad $v -n '' &&
		bad $v -n ' 5' &&
		bad $v -n +5 &&
		bad $v -n 99999999999999999999999 &&
		bad $v -n 6074001000 &&
		bad $v -p 4097 &&
		bad $v -p 1.5 &&
		bad $v -n &&
		bad $v -x &&
		bad $v extra
	"
done

test_expect_success 'only socket_sum takes --tcp/--udp, and only one of them' '
	bad pipe_sum --tcp &&
	bad socket_sum:tcp --udp &&
	bad socket_sum --unix
'

test_expect_success '-h prints the usage on stdout and exits 0' '
	"$D/pipe_sum" -h >out &&
	echo "usage: pipe_sum [-n N] [-p P]" >want && cmp want out &&
	"$D/socket_sum" -h >out &&
	echo "usage: socket_sum [-n N] [-p P] [--tcp] [--udp]" >want && cmp want out
'

test_expect_success 'msgq_sum: P is limited by the queue size (kernel.msgmnb / 8)' '
	max=$(( $(cat /proc/sys/kernel/msgmnb) / 8 ))
	test $max -gt 4096 && max=4096
	check msgq_sum 100000 $max 5000050000 &&
	if [ $max -lt 4096 ]; then bad msgq_sum -p $((max + 1)); fi
'

test_expect_success 'signal_sum: P is limited by RLIMIT_SIGPENDING' '
	prlimit --sigpending=100 "$D/signal_sum" -n 1000 -p 18 >out &&
	grep -q "sum=500500 expected=500500 ok" out &&
	prlimit --sigpending=100 "$D/signal_sum" -p 19 >out 2>err
	test $? -eq 2 && grep -q "from 1 to 18" err
'

# loops FILE: sum_range in FILE contains a backward jump, i.e. a loop.
loops() {
	objdump -d --no-show-raw-insn --disassemble=sum_range "$1" >asm || return 1
	awk '
		function hex(s,    i, v) {
			v = 0
			for (i = 1; i <= length(s); i++)
				v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return v
		}
		/^[0-9a-f]+ <sum_range>:/ { inside = 1; next }
		/^[0-9a-f]+ </ { inside = 0 }
		inside && $2 ~ /^j/ && $3 ~ /^[0-9a-f]+$/ {
			sub(/:$/, "", $1)
			if (hex($3) < hex($1)) found = 1
		}
		END { exit !found }
	' asm || { echo "no backward jump in sum_range of $1:"; cat asm; return 1; }
}

test_expect_success 'sum_range is a real loop in demos/pipe_sum' '
	loops "$D/pipe_sum"
'

if command -v clang >/dev/null 2>&1; then
	test_expect_success 'sum_range stays a loop under clang -O2 and gcc -O3' '
		clang -O2 -std=gnu11 -D_GNU_SOURCE -I"$ROOT" -c "$D/demo_common.c" -o c.o &&
		loops c.o &&
		gcc -O3 -march=native -std=gnu11 -D_GNU_SOURCE -I"$ROOT" -c "$D/demo_common.c" -o g.o &&
		loops g.o
	'
else
	test_skip 'sum_range stays a loop under clang -O2' 'clang not installed'
fi

test_expect_success 'no temporary directory is left behind' '
	test -z "$(ls "$TMPDIR")"
'

test_done
