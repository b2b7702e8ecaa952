#!/bin/sh
# t4030-timeline-script: the timeline's embedded script (docs/pictures.md),
# driven in headless Chromium through the address (#search, #focus,
# #hover, #zoom: the functions the mouse and the Search button call), the
# DOM dumped after it ran: what it highlighted, focused and zoomed is
# checked against the pids and transfers the report counts.  A program
# named "]]><script>x" stays text: one script in the page, the name
# escaped in the SVG and never in the script, and searchable.
. "$(dirname "$0")/lib.sh"
require_recording jq chromium xmllint
cd "$TEST_TMP" || exit 1

# dom SVG HASH: the DOM after the script ran with #HASH.
dom() {
	timeout 60 chromium --headless --no-sandbox --disable-gpu --virtual-time-budget=2000 \
		--dump-dom "file://$TEST_TMP/$1#$2" 2>/dev/null
}
# ncls FILE CLASS...: how many elements of FILE have every CLASS.
ncls() {
	_f=$1
	shift
	grep -oE 'class="[^"]*"' "$_f" | sed 's/^class="/ /; s/"$/ /' |
		awk -v want="$*" 'BEGIN { n = split(want, w, " ") }
			{ ok = 1; for (i = 1; i <= n; i++) if (!index($0, " " w[i] " ")) ok = 0; c += ok }
			END { print c + 0 }'
}

"$T" -q -o ps "$D/pipe_sum" -n 600 -p 3 >/dev/null 2>&1
R=ps/report.json
root=$(jq ".processes[0].pid" $R)
w1=$(jq "[.processes[] | select(.pid != $root)][0].pid" $R)
# A tenth of the plot's span, in ms, for #zoom.
tenth=$(sed -n "s/.*spanNs: \([0-9]*\) .*/\1/p" ps/timeline.svg | awk '{ printf "%.3f", $1 / 1e6 / 10 }')
# Two page loads (Chromium takes seconds to start): a search, the rest at once.
dom ps/timeline.svg "search=pipe_sum" >s.xml
dom ps/timeline.svg "search=$w1&focus=$w1&hover=$root&zoom=0,$tenth" >f.xml

test_expect_success 'the SVG carries one script, no trace data in it, and it ran' '
	xmllint --noout ps/timeline.svg &&
	[ "$(grep -c "<script type=\"application/ecmascript\"><!\[CDATA\[" ps/timeline.svg)" = 1 ] &&
	sed -n "/<script/,/<\/script>/p" ps/timeline.svg >script.js &&
	! grep -q "pipe_sum\|$root\|$w1" script.js &&
	grep -q "data-ready=\"1\"" s.xml && grep -q "data-ready=\"1\"" f.xml
'

test_expect_success 'search by comm: 4 lanes and the 3 pipe arrows match, counted' '
	[ "$(ncls s.xml lane match)" = 4 ] &&
	[ "$(ncls s.xml xfer k-pipe p$root match)" = 3 ] &&
	grep -q ">4 processes, 3 arrows match “pipe_sum”</text>" s.xml &&
	[ "$(ncls s.xml searching)" = 1 ]
'

test_expect_success 'search by pid: its lane and its one arrow' '
	[ "$(ncls f.xml lane match)" = 1 ] && [ "$(ncls f.xml lane p$w1 match)" = 1 ] &&
	[ "$(ncls f.xml xfer match)" = 1 ] && [ "$(ncls f.xml xfer p$w1 match)" = 1 ]
'

test_expect_success 'focus on a worker: its lane and the parent it wrote to stay, one arrow' '
	[ "$(ncls f.xml focusing)" = 1 ] &&
	[ "$(ncls f.xml lane fo)" = 2 ] &&
	[ "$(ncls f.xml lane p$root fo)" = 1 ] && [ "$(ncls f.xml lane p$w1 fo)" = 1 ] &&
	[ "$(ncls f.xml xfer fo)" = 1 ] && [ "$(ncls f.xml xfer k-pipe p$w1 p$root fo)" = 1 ]
'

# The parent waits in ppoll before each read (demo_wait_readable), so its
# lane has ppoll blocks too (those within a pixel of each other drawn as one).
test_expect_success 'hover the parent: its 3 reads, its ppoll waits and the 3 arrows into it stand out' '
	[ "$(ncls f.xml hovering)" = 1 ] &&
	reads=$(( $(ncls f.xml recv c-pipe p$root hl) - $(ncls f.xml recv wait p$root hl) )) &&
	[ "$reads" = 3 ] &&
	[ "$(ncls f.xml recv wait p$root hl)" -ge 1 ] &&
	[ "$(ncls f.xml recv wait p$root hl)" = "$(ncls f.xml recv wait p$root)" ] &&
	[ "$(ncls f.xml xfer hl)" = 3 ] && [ "$(ncls f.xml xfer p$root hl)" = 3 ]
'

# Zooming to the first tenth of the span redraws the axis inside it and
# stretches the marks: the parent lives through the whole run, so its
# lifetime bar becomes (nearly) ten times wider, clipped to the plot.
ticks() { grep -o "class=\"tick\" text-anchor=\"middle\">[0-9.]* [µm]*s<" "$1" | sed "s/.*>\([0-9.]*\) \(.*\)<$/\1 \2/"; }
life_w() { grep -o "width=\"[0-9.]*\" height=\"4.0\" [^>]*class=\"life p$root[ a-z]*\"" "$1" | sed "s/width=\"\([0-9.]*\)\".*/\1/"; }
test_expect_success 'zoom to a tenth: the axis is redrawn inside it, marks stretch' '
	ticks ps/timeline.svg >before.txt && ticks f.xml >after.txt &&
	[ "$(wc -l <after.txt)" -ge 4 ] && ! cmp -s before.txt after.txt &&
	last=$(tail -1 after.txt) && echo "ticks: $(tr "\n" " " <after.txt); window: 0 to $tenth ms" &&
	awk -v t="$tenth" -v last="$last" "BEGIN { split(last, a, \" \"); v = a[2] == \"ms\" ? a[1] : a[1] / 1000; exit !(v <= t * 1.001) }" &&
	a=$(life_w ps/timeline.svg) && b=$(life_w f.xml) && echo "parent lifetime: $a px, zoomed $b px" &&
	awk -v a="$a" -v b="$b" "BEGIN { exit !(b > 8 * a) }"
'

ln -s "$D/pipe_sum" "]]><script>x"
"$T" -q -o h "./]]><script>x" -n 20 -p 1 >/dev/null 2>&1
dom h/timeline.svg "search=script>" >hs.xml

test_expect_success 'a program named "]]><script>x" is text in the SVG, not code' '
	xmllint --noout h/timeline.svg &&
	[ "$(grep -c ">\]\]&gt;&lt;script&gt;x [0-9]*</text>" h/timeline.svg)" = 2 ] &&
	[ "$(grep -c "<script" h/timeline.svg)" = 1 ] && [ "$(grep -c "<script" hs.xml)" = 1 ] &&
	[ "$(ncls hs.xml lane match)" = 2 ] &&
	grep -q ">2 processes, 1 arrow match “script&gt;”</text>" hs.xml
'

test_done
