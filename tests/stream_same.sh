# stream_same.sh - sourced by the tests that compare a streamed load with
# the full one (t7050, t7060, t7070, t7200, t73xx): record NAME CMD... records
# into NAME/, compare NAME checks every output of both loads of
# NAME/trace.ipct, sums SVG adds up what a timeline's tooltips say, and
# peak CMD... measures a command's memory.

# The JSON of a full load without what a streamed one leaves out (the
# critical path; waits and blocked_ns are summed as they are matched).
NOHOT='del(.critical_path_end_ns, .critical_path_segments,
	.critical_path_truncated, .critical_path_by_process, .critical_path)'

# record NAME CMD...: a quiet recording into NAME/.
record() {
	_n=$1
	shift
	"$T" -q -o "$_n" "$@" >"$_n.out" 2>"$_n.err" || { cat "$_n.err"; return 1; }
}

# compare NAME: every output of both loads of NAME/trace.ipct.
compare() {
	_f=$1/trace.ipct
	"$T" report --full "$_f" >full.txt && "$T" report --stream "$_f" >stream.txt &&
	same "$1: report" "$(cat stream.txt)" "$(cat full.txt)" &&
	"$T" report --all --full "$_f" >full.txt && "$T" report --all --stream "$_f" >stream.txt &&
	same "$1: report --all" "$(cat stream.txt)" "$(cat full.txt)" &&
	"$T" report --latency --waits --full "$_f" >full.txt &&
	"$T" report --latency --waits --stream "$_f" >stream.txt &&
	same "$1: report --latency --waits" "$(cat stream.txt)" "$(cat full.txt)" &&
	"$T" report --json --full "$_f" | jq -S "$NOHOT" >full.json &&
	"$T" report --json --stream "$_f" >stream.json &&
	same "$1: streamed" "$(jq -c .streamed stream.json)" '{"late_events":0,"dropped_in_flight":0}' &&
	same "$1: critical path" "$(jq -c .critical_path stream.json)" null &&
	jq -S 'del(.streamed, .critical_path)' stream.json >stream-nohot.json &&
	same "$1: JSON" "$(cat stream-nohot.json)" "$(cat full.json)" &&
	"$T" graph -f dot --full "$_f" >full.dot && "$T" graph -f dot --stream "$_f" >stream.dot &&
	same "$1: graph" "$(cat stream.dot)" "$(cat full.dot)" &&
	"$T" graph -f dot --all --full "$_f" >full.dot &&
	"$T" graph -f dot --all --stream "$_f" >stream.dot &&
	same "$1: graph --all" "$(cat stream.dot)" "$(cat full.dot)" &&
	"$T" perfetto --format proto --full -o full.pb "$_f" &&
	"$T" perfetto --format proto --stream -o stream.pb "$_f" &&
	python3 "$ROOT/tests/workloads/pftrace.py" full.pb | grep -v "^packets" | sort >full.pf &&
	python3 "$ROOT/tests/workloads/pftrace.py" stream.pb | grep -v "^packets" | sort >stream.pf &&
	same "$1: perfetto" "$(cat stream.pf)" "$(cat full.pf)" &&
	grep -q "^unmatched 0$" stream.pf &&
	rm -rf xf xs && "$T" export --full -o xf "$_f" && "$T" export --stream -o xs "$_f" &&
	python3 "$ROOT/tests/workloads/export_same.py" xf xs
}

# sums SVG: "WRITES WRITE_BYTES READS READ_BYTES TRANSFERS TRANSFER_BYTES"
# from the tooltips of the call blocks and the arrows: the streamed
# blocks ("N CALL calls (F failed), B bytes into|from KINDS", or "N
# writes, ..." when they made several calls; F failed calls not
# counted; calls that move no bytes, "... on KINDS", not either), the
# full load's merged blocks ("N writes, B bytes"), its single calls
# ("CALL of B bytes into|from"), bundles "N transfers, B bytes", single
# arrows "P → P: B bytes via".
sums() {
	python3 - "$1" <<'EOF'
import re, sys, html
svg = open(sys.argv[1], encoding="utf-8").read()
w = [0] * 6
for t in re.findall(r"<title>([^<]*)</title>", svg):
    t = html.unescape(t)
    m = re.match(r"(\d+) .+?(?: calls?|s)?(?: \((\d+) failed\))?, (\d+) bytes (into|from) ", t)
    if m:
        i = 0 if m.group(4) == "into" else 2
        w[i] += int(m.group(1)) - int(m.group(2) or 0); w[i + 1] += int(m.group(3)); continue
    m = re.match(r"(\d+) (write|read)s?, (\d+) bytes", t)
    if m:
        i = 0 if m.group(2) == "write" else 2
        w[i] += int(m.group(1)); w[i + 1] += int(m.group(3)); continue
    m = re.match(r"\S+ of (\d+) bytes (into|from) ", t)
    if m:
        i = 0 if m.group(2) == "into" else 2
        w[i] += 1; w[i + 1] += int(m.group(1)); continue
    m = re.match(r"\d+ \u2192 \d+: (\d+) transfers?, (\d+) bytes", t)
    if m:
        w[4] += int(m.group(1)); w[5] += int(m.group(2)); continue
    m = re.match(r"\d+ \u2192 \d+: (\d+) bytes via", t)
    if m:
        w[4] += 1; w[5] += int(m.group(1))
print(*w)
EOF
}

# peak CMD...: run CMD under /usr/bin/time, print its peak RSS in KB.
peak() {
	/usr/bin/time -f %M -o rss "$@" >/dev/null 2>err || { cat err; return 1; }
	cat rss
}

# peak_bound KB: the bound for a peak that stays under KB in a plain
# build; a sanitized build's shadow memory and quarantine take three times
# as much.
peak_bound() {
	if [ -n "${IPCT_SANITIZER_PASS:-}" ]; then echo $(($1 * 3)); else echo "$1"; fi
}
