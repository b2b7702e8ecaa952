#!/bin/sh
# First touches of shared pages: tests/workloads/shm_pages.c maps N pages
# shared without touching them, child k writes its pid into page k, the
# parent reads every page once all children are gone.  Each child's write
# fault and the parent's read fault are the page's touches; each page is a
# flow "child k -> parent" of one page, estimated.  SysV, POSIX (shm_open)
# and shared anonymous memory; shmem maps up to 16 neighbours on a read
# fault (fault-around), so the POSIX and anonymous pages are 16 apart.
. "$(dirname "$0")/lib.sh"
require_recording jq

build_workload shm_pages
build_workload shm_many

# The expected pages and flows of a run whose output is OUT, pages STRIDE
# apart: "[page, first_writer, [[pid, access]...]]" per page, and the shm
# flows as [from, to, pages, estimated], sorted.
want_pages() {
	parent=$(sed -n "s/^parent //p" "$1")
	sed -n "s/^child //p" "$1" | {
		sep=
		printf "["
		while read -r k pid; do
			printf '%s[%d,%d,[[%d,"write"],[%d,"read"]]]' "$sep" $((k * $2)) "$pid" "$pid" "$parent"
			sep=,
		done
		printf "]\n"
	}
}
want_flows() {
	parent=$(sed -n "s/^parent //p" "$1")
	sed -n "s/^child //p" "$1" | sort -n -k2 | {
		sep=
		printf "["
		while read -r k pid; do
			printf '%s[%d,%d,1,true]' "$sep" "$pid" "$parent"
			sep=,
		done
		printf "]\n"
	}
}
got_pages() {
	jq -c "[.channels[] | select(.kind == \"shm\") | .pages[] |
		[.page, .first_writer, [.touches[] | [.pid, .access]]]]" "$1"
}
got_flows() {
	jq -c "[.flows[] | select(.kind == \"shm\") | [.from, .to, .pages, .estimated]] | sort" "$1"
}

for form in "sysv 4 1" "posix 3 16" "anon 3 16"; do
	set -- $form
	test_expect_success "$1: child k wrote page k first, the parent read it after" "
		\"\$T\" -q -e shm -o $1 \"\$TEST_TMP/shm_pages\" $form >$1.out &&
		[ \"\$(json_get $1/report.json .lost_events)\" = 0 ] &&
		want_pages $1.out $3 >want && got_pages $1/report.json >got && diff -u want got &&
		want_flows $1.out >want && got_flows $1/report.json >got && diff -u want got
	"
done

# A read fault on shmem maps the page writable (no write-protect for
# dirty tracking): the text says "read (writable)".
test_expect_success 'the text report lists each page: first written by the child, read by the parent' '
	parent=$(sed -n "s/^parent //p" sysv.out) &&
	"$T" report sysv >report &&
	grep -q "^  shm:[0-9]*: 4 pages touched$" report &&
	sed -n "s/^child //p" sysv.out | while read -r k pid; do
		grep -q "^    page $k: first written by $pid shm_pages at .*, read (writable) by $parent shm_pages at " report ||
			{ cat report; exit 1; }
	done &&
	[ "$(grep -c "shm_pages via shm:[0-9]*: 1 page (estimated from first page touches)" report)" = 4 ]
'

test_expect_success 'trace dump shows the touches: 4 writes, 4 reads' '
	"$T" dump sysv/trace.ipct >dump &&
	[ "$(grep -c " touch addr=0x[0-9a-f]* access=write object=shm:\[" dump)" = 4 ] &&
	[ "$(grep -c " touch addr=0x[0-9a-f]* access=read object=shm:\[" dump)" = 4 ]
'

test_expect_success 'a shared file mapping nobody wrote into is not communication' '
	[ "$(stat -f -c %T .)" != tmpfs ] || { echo "# skipped: tmpfs maps pages writable on a read"; exit 0; }
	"$T" -q -e shm -o r "$TEST_TMP/shm_pages" file 2 1 read >r.out &&
	parent=$(sed -n "s/^parent //p" r.out) &&
	jq -c "[.channels[] | select(.kind == \"shm\") | [.communication, (.users | length),
		[.pages[] | .first_writer]]]" r/report.json >got &&
	echo "[[false,3,[null,null]]]" >want && diff -u want got &&
	[ "$(jq "[.flows[] | select(.kind == \"shm\")] | length" r/report.json)" = 0 ] &&
	"$T" report r >report && ! grep -q "shared memory pages" report
'

test_expect_success 'the same file written by the children is a channel with its page flows' '
	[ "$(stat -f -c %T .)" != tmpfs ] || { echo "# skipped: not a file system with dirty tracking"; exit 0; }
	"$T" -q -e shm -o w "$TEST_TMP/shm_pages" file 2 16 >w.out &&
	want_flows w.out >want && got_flows w/report.json >got && diff -u want got &&
	[ "$(jq "[.channels[] | select(.kind == \"shm\")][0].communication" w/report.json)" = true ]
'

test_expect_success 'a read of shmem maps the page writable; of a file, read-only' '
	"$T" dump posix/trace.ipct >dump &&
	[ "$(grep -c " access=read .* mapped=writable$" dump)" = 3 ] &&
	"$T" dump r/trace.ipct >dump &&
	! grep -q "mapped=writable" dump
'

# The BPF table of touches recorded holds 65536 (process, object, page,
# access) keys: 5 mappings of 16384 pages written make 81920, so 16384
# are not recorded and counted as lost shm events, the rest recorded.
test_expect_success 'past the bound of 65536 touches, each one not recorded is counted' '
	"$T" -q -e shm -b 64 -o many "$TEST_TMP/shm_many" 5 16384 2>many.err &&
	[ "$(json_get many/report.json .lost_by_kind.shm)" = 16384 ] &&
	[ "$("$T" dump many/trace.ipct | grep -c " touch addr=.* access=write ")" = 65536 ]
'

test_expect_success 'without shm selected, no touch is recorded' '
	"$T" -q -e sem -o none "$TEST_TMP/shm_pages" sysv 2 >/dev/null &&
	! "$T" dump none/trace.ipct | grep -q " touch "
'
test_done
