#!/bin/sh
# Object identity and false channels on ordinary programs: a file whose
# inode number is reused after unlink is a new channel (ext4 under /tmp,
# tmpfs, overlayfs); a MAP_SHARED mapping nobody could write through is
# not communication (kept in report.json, marked); a message queue's
# zero-length end marker counts on both ends of the flow.
. "$(dirname "$0")/lib.sh"
require_recording jq
KEY=$((200000 + $$))

# record OUT CMD...: trace CMD into OUT; it must exit 0 and lose nothing.
record() {
	out=$1; shift
	"$T" -q -o "$out" "$@" >"$out.stdout" 2>"$out.stderr" ||
		{ echo "trace failed: $?"; cat "$out.stdout" "$out.stderr"; return 1; }
	jq -e . "$out/report.json" >/dev/null &&
	[ "$(json_get "$out/report.json" .lost_events)" = 0 ] ||
		{ echo "lost: $(jq -c .lost_by_kind "$out/report.json")"; return 1; }
}

# Four files written, read and removed in turn in directory $1.
cat >"$TEST_TMP/reuse.sh" <<'EOF'
for i in 1 2 3 4; do echo data$i >"$1/inotest$i"; cat "$1/inotest$i" >/dev/null; rm "$1/inotest$i"; done
EOF

# files REPORT: "name: flows (from-comm to-comm messages bytes sample)" of
# each inotest channel, one line per channel, by name.
files() {
	jq -r '(.processes | map({key: (.pid | tostring), value: .comm}) | from_entries) as $c
		| . as $r | [.channels[] | select(.name | test("inotest")) | .id as $id
		| "\(.name | sub(".*/"; "")): \([$r.flows[] | select(.channel == $id)
			| "\($c[.from | tostring]) \($c[.to | tostring]) \(.messages) \(.bytes) \(.sample | rtrimstr("\n"))"]
			| join("; "))"] | sort | .[]' "$1"
}

WANT_FILES='inotest1: sh cat 1 6 data1
inotest2: sh cat 1 6 data2
inotest3: sh cat 1 6 data3
inotest4: sh cat 1 6 data4'

# check_reuse REPORT: four channels, one flow each; says whether the inode
# number was in fact reused (ids "...#N").
check_reuse() {
	same files "$(files "$1")" "$WANT_FILES" &&
	[ "$(jq '[.channels[] | select(.name | test("inotest")) | .id] | unique | length' "$1")" = 4 ] &&
	echo "reused: $(jq '[.channels[] | select(.id | test("#"))] | length' "$1")"
}

test_expect_success 'ext4: four files, one inode number, four channels' '
	mkdir d && record ext4 sh "$TEST_TMP/reuse.sh" "$PWD/d" && check_reuse ext4/report.json
'

if grep -qw overlay /proc/filesystems && command -v unshare >/dev/null; then
	test_expect_success 'tmpfs and overlayfs: the same, and overlayfs reuses the number' '
		mkdir lo up wk mnt tm &&
		unshare -m sh -c "mount -t tmpfs t tm && mount -t overlay o -o lowerdir=lo,upperdir=up,workdir=wk mnt &&
			\"$T\" -q -o tmpfs sh $TEST_TMP/reuse.sh \"$PWD/tm\" && \"$T\" -q -o ovl sh $TEST_TMP/reuse.sh \"$PWD/mnt\"" &&
		check_reuse tmpfs/report.json && check_reuse ovl/report.json | tee ovl.reuse &&
		grep -q "reused: [1-9]" ovl.reuse
	'
else
	test_skip 'tmpfs and overlayfs: the same' 'no overlayfs or unshare'
fi

test_expect_success 'a read-only MAP_SHARED system file is not a channel' '
	record ro sh -c "sleep 0.1 & sleep 0.1; wait" && r=ro/report.json &&
	jq -e "[.channels[] | select(.kind == \"shm\")] | length >= 1" $r &&
	jq -e "[.channels[] | select(.kind == \"shm\") | select(.communication or
		(.attachments | map(.writable) | any))] | length == 0" $r &&
	jq -e "[.channels[] | select(.kind == \"shm\") | .users | length] | max >= 2" $r &&
	"$T" report ro/trace.ipct >ro.txt && ! grep -q "^  shm:" ro.txt &&
	"$T" graph --format dot ro/trace.ipct >ro.dot && ! grep -q gconv ro.dot
'

test_expect_success 'shared memory mapped writable stays a channel (shm_sum)' '
	record sum "$ROOT/demos/shm_sum" -n 100 -p 2 && r=sum/report.json &&
	jq -e "[.channels[] | select(.kind == \"shm\" and .communication)] | length == 1" $r
'

test_expect_success 'msgq: the zero-length end marker counts on both ends' '
	record mq sh -c "$ROOT/demos/classic/msgq_recv -k $KEY & sleep 0.2;
		$ROOT/demos/classic/msgq_send -k $KEY hello world; wait" &&
	[ "$(jq -c "[.flows[] | select(.kind == \"msgq\") | [.messages, .bytes]]" mq/report.json)" = "[[3,10]]" ] &&
	"$T" graph --format dot mq/trace.ipct >mq.dot &&
	id=$(jq -r ".channels[] | select(.kind == \"msgq\") | .id" mq/report.json) &&
	[ "$(grep -cF "label=\"3 msgs\\n10 bytes\"" mq.dot)" = 2 ]
'

test_done
