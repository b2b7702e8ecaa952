# A local web server and curl fetching one file from it N times.
PY=$1; N=$2
"$PY" -m http.server 0 --bind 127.0.0.1 >srv.log 2>&1 &
srv=$!
i=0; while ! port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' srv.log | head -1) || [ -z "$port" ]; do
	sleep 0.05; i=$((i + 1)); [ $i -lt 200 ] || exit 1; done
k=0; while [ $k -lt "$N" ]; do
	curl -s -o /dev/null -w '%{size_download}\n' "http://127.0.0.1:$port/blob" || exit 1
	k=$((k + 1)); done
kill $srv; wait $srv 2>/dev/null; exit 0
