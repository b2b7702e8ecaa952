#!/bin/sh
# webrun - the investigation of docs/hot-paths.md: start the prefork
# server with 4 workers, load it with 4 keep-alive clients, then with 8,
# stop it.  Run from the top of the tree:
#   sudo ./trace -o web sh scripts/webrun.sh
out=${TMPDIR:-/tmp}/webserver.port
demos/webserver -p 0 -w 4 >"$out" &
server=$!
until grep -q listening "$out" 2>/dev/null; do sleep 0.05; done
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$out")
demos/webload -c 4 -n 4000 "http://127.0.0.1:$port/"
demos/webload -c 8 -n 400 "http://127.0.0.1:$port/"
kill -TERM "$server"
wait "$server"
