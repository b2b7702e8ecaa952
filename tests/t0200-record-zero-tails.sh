#!/bin/sh
# Records have zeros where they carry no data (padding fields, bytes after
# the NUL of comm, filename, path and name, payload padding), so the same
# workload gives the same bytes.  The ring buffer is made small and filled
# with long strings and payloads first, so a byte the BPF side forgot to
# set would show what an earlier record left there; tests/workloads/
# zero_tails.c reads every record and lists any such byte.
. "$(dirname "$0")/lib.sh"
require_recording

# zero_tails reads with the project's trace reader (libipct.a), which the
# sanitizer pass (make check-sanitize) builds with ASan and UBSan.
build_workload zero_tails -I"$ROOT" "$ROOT/.output/libipct.a" -lz \
	${IPCT_SANITIZER_PASS:+-fsanitize=address,undefined}
build_workload waits
build_workload fd_pass
build_workload eventfd_pass
build_workload dgram_to

cat >"$TEST_TMP/workload.sh" <<'SH'
#!/bin/sh
# long paths and payloads first, short ones after
dir=$1/$(printf 'd%.0s' $(seq 1 100))
mkdir -p "$dir"
long=$dir/$(printf 'f%.0s' $(seq 1 100))
printf '%0200d' 0 >"$long"
for i in $(seq 1 300); do cat "$long" >/dev/null; done
echo x >"$1/s"
for i in $(seq 1 300); do cat "$1/s"; done | wc -c
"$ROOT/demos/socket_sum" -n 500 -p 2
"$ROOT/demos/socket_sum" -n 500 -p 2 --udp
"$ROOT/demos/posix_mq_sum" -n 500 -p 2
"$ROOT/demos/msgq_sum" -n 500 -p 2
"$ROOT/demos/shm_sum" -n 500 -p 2
"$1/../waits" >/dev/null
"$1/../fd_pass" "$1/passed" >/dev/null
"$1/../eventfd_pass" init >/dev/null
mkdir "$1/dg" && "$1/../dgram_to" "$1/dg" >/dev/null
SH
chmod +x "$TEST_TMP/workload.sh"

test_expect_success 'every record of a wrapped 1 MiB ring has zero tails' '
	"$T" -q -b 1 -s 61 -o out ./workload.sh "$TEST_TMP/w" >stdout 2>stderr || { cat stderr; exit 1; }
	grep -qx 600 stdout || { cat stdout; exit 1; }
	./zero_tails out/trace.ipct >tails || { cat tails; exit 1; }
	cat tails
	checked=$(sed -n "s/.*checked \([0-9]*\),.*/\1/p" tails)
	# the ring wrapped: more records were checked than its 1 MiB holds
	[ "$checked" -gt 10000 ]
'

test_expect_success 'the checker sees stale bytes (a hand-made dirty record)' '
	python3 "$ROOT/tests/workloads/mktrace.py" --end dirty.ipct 6:320:00:64=2f7800ff >/dev/null &&
	! ./zero_tails dirty.ipct >tails && grep -q "path byte 0 is 0xff" tails
'

test_done
