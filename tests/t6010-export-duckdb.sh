#!/bin/sh
# t6010-export-duckdb: `trace export` writes the five tables as NDJSON and
# CSV, one row per line whatever the names, with the rows report.json has;
# and the SQL of docs/export.md, run as written by DuckDB (the npm
# package @duckdb/node-api, installed into .output/npm by this test), gives
# report.json's flows and the top channels by bytes.
. "$(dirname "$0")/lib.sh"
require_recording jq
NPM_DIR="$ROOT/.output/npm"
DUCKDB_VERSION=1.5.6-r.1

# doc_sql NAME: the ```sql block of docs/export.md whose first line is "-- NAME".
doc_sql() {
	awk -v name="-- $1" '/^```sql/ { inb = 1; first = 1; next }
		/^```/ { inb = 0; keep = 0; next }
		inb && first { first = 0; keep = ($0 == name) }
		inb && keep' "$ROOT/docs/export.md"
}

# A program whose name is hostile in CSV and JSON: comma, quote, newline.
cp "$ROOT/demos/pipe_sum" "$TEST_TMP/p,\"q
x" || exit 1

test_expect_success 'record a parallel sum under a hostile name' '
	"$T" -q -o run "./p,\"q
x" -n 1000 -p 3 >/dev/null && "$T" report --json run/trace.ipct >r.json &&
	[ "$(jq ".flows | length" r.json)" -ge 3 ]
'

test_expect_success 'export writes five NDJSON files, one JSON object per line' '
	"$T" export -o exports/h1 run/trace.ipct &&
	for t in processes channels operations transfers flows; do
		test -s exports/h1/$t.ndjson &&
		jq -c . exports/h1/$t.ndjson >/dev/null || { echo "bad $t"; exit 1; }
	done &&
	[ "$(wc -l <exports/h1/processes.ndjson)" = "$(jq ".processes | length" r.json)" ] &&
	[ "$(wc -l <exports/h1/flows.ndjson)" = "$(jq ".flows | length" r.json)" ] &&
	jq -r .host exports/h1/processes.ndjson | sort -u >hosts &&
	[ "$(cat hosts)" = "$(jq -r .host r.json)" ]
'

test_expect_success 'the CSV files have a header and the same rows, one per line' '
	"$T" export --format csv -o csv/h1 run/trace.ipct &&
	for t in processes channels operations transfers flows; do
		[ $(($(wc -l <csv/h1/$t.csv) - 1)) = "$(wc -l <exports/h1/$t.ndjson)" ] ||
			{ echo "rows differ in $t"; exit 1; }
	done &&
	head -1 csv/h1/flows.csv | grep -qx "host,channel,kind,from_host,from_pid,to_host,to_pid,messages,bytes" &&
	grep -q "\"p,\"\"q\\\\x0ax\"" csv/h1/processes.csv
'

test_expect_success 'export flows equal report.json flows' '
	jq -r ".flows[] | \"\(.channel) \(.kind) \(.from) \(.to) \(.messages) \(.bytes)\"" r.json | sort >want &&
	jq -r "\"\(.channel) \(.kind) \(.from_pid) \(.to_pid) \(.messages) \(.bytes)\"" exports/h1/flows.ndjson | sort >got &&
	diff -u want got &&
	[ "$(jq -s "map(select(.dir == \"send\" and .kind == \"pipe\") | .bytes) | add" exports/h1/operations.ndjson)" = \
	  "$(jq "[.channels[] | select(.kind == \"pipe\") | .bytes_sent] | add" r.json)" ]
'

test_expect_code 2 'export without -o is a usage error' '"$T" export run/trace.ipct'
test_expect_code 2 'an unknown format is a usage error' '"$T" export --format xml -o x run/trace.ipct'
test_expect_code 1 'a trace that is not there is a one-line error' '
	"$T" export -o x nosuch.ipct 2>err; rc=$?; cat err; [ "$(wc -l <err)" = 1 ] && exit $rc
'

# DuckDB from the npm registry, once per build tree.
duckdb_ready=
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
	why="needs node and npm for the DuckDB package"
elif [ -d "$NPM_DIR/node_modules/@duckdb/node-api" ] ||
     { mkdir -p "$NPM_DIR" && timeout 300 npm install --prefix "$NPM_DIR" --no-audit --no-fund \
		--loglevel=error "@duckdb/node-api@$DUCKDB_VERSION" >"$TEST_TMP/npm.log" 2>&1; }; then
	duckdb_ready=1
else
	why="cannot install @duckdb/node-api from npm: $(tail -1 "$TEST_TMP/npm.log")"
fi
duck() { node "$ROOT/tests/workloads/duckdb_sql.mjs" "$NPM_DIR" "$@"; }

if [ -n "$duckdb_ready" ]; then
	test_expect_success 'DuckDB: the docs flows query gives report.json flows (NDJSON and CSV)' '
		doc_sql "load ndjson" >load.sql && doc_sql flows >flows.sql &&
		doc_sql "load csv" | sed "s|exports/|csv/|" >loadcsv.sql &&
		[ -s load.sql ] && [ -s flows.sql ] &&
		host=$(jq -r .host r.json) &&
		jq -r ".flows[] | \"$host \(.channel) \(.kind) $host \(.from) $host \(.to) \(.messages) \(.bytes)\"" r.json | sort >want &&
		cat load.sql flows.sql >q1.sql && duck q1.sql | sort >got && diff -u want got &&
		cat loadcsv.sql flows.sql >q2.sql && duck q2.sql | sort >got2 && diff -u want got2
	'
	test_expect_success 'DuckDB: the docs top-channels query gives the top channels by bytes' '
		doc_sql "top channels" >top.sql && [ -s top.sql ] &&
		host=$(jq -r .host r.json) &&
		jq -r "[.flows | group_by(.channel)[] | {c: .[0].channel, k: .[0].kind,
			b: (map(.bytes) | add), m: (map(.messages) | add)}]
			| sort_by(-.b, .c) | .[:10][] | \"$host \(.c) \(.k) \(.b) \(.m)\"" r.json >want &&
		cat load.sql top.sql >q3.sql && duck q3.sql >got && diff -u want got
	'
	test_expect_success 'DuckDB: two hosts export directories load as one dataset' '
		mkdir -p exports/h2 && "$T" export -o exports/h2 run/trace.ipct &&
		echo "SELECT count(*) FROM flows;" >count.sql &&
		cat load.sql count.sql >q4.sql &&
		[ "$(duck q4.sql)" = $((2 * $(jq ".flows | length" r.json))) ]
	'
else
	test_skip 'DuckDB: the docs queries' "$why"
fi

test_done
