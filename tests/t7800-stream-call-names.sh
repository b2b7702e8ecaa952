#!/bin/sh
# The streamed timeline names its blocks' calls as the full load's
# tooltips do (viz/timeline_stream.c draw_run()): "4 msgsnd calls",
# "2 semop V calls", "1 futex wake call", and counts failed calls apart
# ("7 recvfrom calls (5 failed)").  For each workload, the calls per
# name in the streamed timeline equal the full load's single-call
# tooltips, and the counts the workload itself knows.  The futex words
# case also checks that two semaphores in one shared file (one inode,
# offsets 0 and 256) stay two objects when their ids come from the
# builder's memo rather than a formatted name (viz/model_objects.c).
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/stream_same.sh"
require_recording jq python3
build_workload futex_words -lpthread

# names SVG: "NAME=N ..." of the calls a timeline's tooltips name: the
# streamed blocks ("N NAME calls") and the full load's single calls
# ("NAME of B bytes into|from", "NAME on ...").
names() {
	python3 - "$1" <<'PY'
import re, sys, html, collections
c = collections.Counter()
for t in re.findall(r"<title>([^<]*)</title>", open(sys.argv[1], encoding="utf-8").read()):
    t = html.unescape(t)
    m = re.match(r"(\d+) ([a-z_0-9]+(?: (?:V|P|wake|wait))?) calls?\b", t)
    if m:
        c[m.group(2)] += int(m.group(1)); continue
    m = re.match(r"([a-z_0-9]+(?: (?:V|P|wake|wait))?) (?:of \d+ bytes (?:into|from) |on )", t)
    if m:
        c[m.group(1)] += 1
print(" ".join("%s=%d" % kv for kv in sorted(c.items())))
PY
}

# both NAME: NAME's timeline streamed (NAME-s.svg) and full (NAME-f.svg),
# naming the same calls as many times.
both() {
	"$T" timeline --stream -o $1-s.svg $1/trace.ipct &&
	"$T" timeline --full -o $1-f.svg $1/trace.ipct &&
	same "$1 names" "$(names $1-s.svg)" "$(names $1-f.svg)"
}

# failed SVG: the failed calls the streamed blocks count.
failed() {
	grep -o "([0-9]* failed)" "$1" | tr -dc "0-9\n" | awk "{ n += \$1 } END { print n + 0 }"
}

test_expect_success 'SysV queue: msgsnd and msgrcv named, 4 of each' '
	record msgq "$D/msgq_sum" -n 3000 -p 4 && both msgq &&
	same "msgq names" "$(names msgq-s.svg)" "msgrcv=4 msgsnd=4" &&
	! grep -q "[0-9] writes\?, " msgq-s.svg
'

test_expect_success 'SysV semaphore: semop V and P named, no bytes' '
	record one perl "$ROOT/tests/workloads/sem_wake.pl" one 4 && both one &&
	same "sem names" "$(names one-s.svg)" "semop P=4 semop V=4" &&
	grep -q "<title>[0-9]* semop V calls\? on sem, " one-s.svg &&
	! grep -q "bytes into sem\|bytes from sem" one-s.svg
'

test_expect_success 'two futex words in one mapping: two objects, each hand-off named' '
	record fw "$TEST_TMP/futex_words" 6 && compare fw &&
	read -r _ parent _ c0 _ c1 _ w0 _ w1 <fw.out &&
	"$T" dump fw/trace.ipct >fw.dump &&
	n0=$(grep -Ec " $parent/$parent +futex\($w0, FUTEX_WAKE, 1\) = 1 <" fw.dump) &&
	n1=$(grep -Ec " $parent/$parent +futex\($w1, FUTEX_WAKE, 1\) = 1 <" fw.dump) &&
	{ [ "$n0" -ge 3 ] && [ "$n1" -ge 6 ] || { grep futex fw.dump | head; false; }; } &&
	same "futex words" "$(jq -c "[.flows[] | select(.kind == \"sem\") |
		[(.channel | sub(\"^sem:[0-9]+:[0-9]+\"; \"\")), .from, .to, .messages]] | sort" stream.json)" \
		"[[\"+0\",$parent,$c0,$n0],[\"+256\",$parent,$c1,$n1]]" &&
	both fw &&
	same "futex names" "$(names fw-s.svg)" "futex wait=$((n0 + n1)) futex wake=$((n0 + n1))"
'

test_expect_success 'failed receives counted apart, as many as the workload saw' '
	record ra python3 "$ROOT/tests/workloads/recv_again.py" 5 && compare ra &&
	read -r _ parent _ child _ f <ra.out && [ "$f" -ge 5 ] &&
	both ra &&
	same "failed" "$(failed ra-s.svg)" "$f" &&
	same "recvfrom calls" "$(names ra-s.svg | tr " " "\n" | grep "^recvfrom=")" \
		"recvfrom=$((f + 5))" &&
	same "sums" "$(sums ra-s.svg)" "$(sums ra-f.svg)" &&
	same "unix flow" "$(jq -c "[.flows[] | select(.kind == \"unix\") | [.from, .to, .messages, .bytes]]" stream.json)" \
		"[[$child,$parent,5,50]]"
'

test_done
