#!/bin/sh
# demo.sh - what `sudo make demo` runs after the build: trace the pipe_sum
# demo and say where the pictures are.
set -e
cd "$(dirname "$0")/.."
OUT=ipctrace-out/latest
echo "  DEMO    ./trace demos/pipe_sum -n 10000 -p 10"
./trace demos/pipe_sum -n 10000 -p 10
echo
echo "Open these in a browser:"
echo "  $OUT/graph.svg      who talked to whom (fork tree dashed, pipe edges with bytes)"
echo "  $OUT/timeline.svg   one lane per process, arrows from each write to its read"
echo "The JSON report is $OUT/report.json, a Perfetto trace $OUT/perfetto.json"
echo "(open it in ui.perfetto.dev); the trace itself is $OUT/trace.ipct"
echo "(read it again with: ./trace report $OUT/trace.ipct)."
