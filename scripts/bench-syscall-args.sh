#!/bin/sh
# bench-syscall-args.sh - what reading the system call arguments with
# libbpf's PT_REGS_PARMn_CORE_SYSCALL would cost, against the direct loads
# bpf/common.bpf.h uses (SYSCALL_ARG).  Builds ./trace a second time from
# HEAD with the CORE variant (in a temporary worktree), then alternates the
# two on the pinned pipe ping-pong with kernel.bpf_stats_enabled=1, reading
# the run time of each tracer's own sys_enter and sys_exit programs (found
# through its fdinfo).  Those programs also run, as a filter, for every
# other system call on the machine, so the traced cost per call is the
# intercept of a least-squares fit of run time against the untraced runs.
# Needs root; run from a built tree (`make trace bench/pingpong`).
#
# Environment: ROUNDS (round trips per run, default 100000), REPEAT
# (alternating pairs, default 6).
set -e
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-100000}
REPEAT=${REPEAT:-6}
OUT=$(mktemp -d /tmp/ipctrace-args.XXXXXX)
old=$(sysctl -n kernel.bpf_stats_enabled)
cleanup() {
	sysctl -qw kernel.bpf_stats_enabled="$old"
	git worktree remove --force "$OUT/core" 2>/dev/null || true
	rm -rf "$OUT"
}
trap cleanup EXIT
trap 'exit 130' INT

[ -x trace ] && [ -x bench/pingpong ] || { echo "error: build first: make trace bench/pingpong" >&2; exit 1; }
git worktree add -q --detach "$OUT/core" HEAD
sed -i 's/^#define SYSCALL_ARG(regs, n) .*/#define SYSCALL_ARG(regs, n) ({ struct pt_regs *regs_ = (regs); PT_REGS_PARM##n##_CORE_SYSCALL(regs_); })/' \
	"$OUT/core/bpf/common.bpf.h"
make -s -C "$OUT/core" trace >/dev/null
echo "probe-read helper calls in the object: direct $(llvm-objdump -d .output/ipctrace.bpf.o | grep -c 'call 113$'), CORE $(llvm-objdump -d "$OUT/core/.output/ipctrace.bpf.o" | grep -c 'call 113$')"

sysctl -qw kernel.bpf_stats_enabled=1
PP="$PWD/bench/pingpong -n $ROUNDS"
for r in $(seq "$REPEAT"); do
	for v in direct:./trace core:"$OUT/core/trace"; do
		name=${v%%:*}
		rm -f "$OUT/stats"
		${v#*:} -q --force -o "$OUT/rec" $PP >"$OUT/rtt" &
		tp=$!
		# sample this tracer's two programs until it detaches
		while kill -0 $tp 2>/dev/null; do
			for id in $(grep -h "^prog_id:" /proc/$tp/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -un); do
				bpftool prog show id "$id" -j 2>/dev/null
			done | jq -sc '[.[] | select(.name == "ipct_sys_enter" or .name == "ipct_sys_exit")]
				| select(length == 2) | [(map(.run_time_ns) | add), (map(.run_cnt) | add)]' \
				>"$OUT/stats.tmp" 2>/dev/null && [ -s "$OUT/stats.tmp" ] && cp "$OUT/stats.tmp" "$OUT/stats"
			sleep 0.05
		done
		wait $tp || true
		[ -s "$OUT/stats" ] && echo "$name $(jq -r '"\(.[0]) \(.[1])"' "$OUT/stats") $(cat "$OUT/rtt")" >>"$OUT/runs"
	done
done
# per variant: fit run_time = traced * T + per_untraced * (runs - 2T), T = 4 * ROUNDS traced calls
awk -v T=$((4 * ROUNDS)) '
	{ n[$1]++; x = $3 - 2 * T; y = $2; sx[$1] += x; sy[$1] += y; sxx[$1] += x * x; sxy[$1] += x * y; rtt[$1] = rtt[$1] " " $4 }
	END {
		for (v in n) {
			b = (n[v] * sxy[v] - sx[v] * sy[v]) / (n[v] * sxx[v] - sx[v] * sx[v]);
			a = (sy[v] - b * sx[v]) / n[v];
			printf "%-6s %d runs: %.0f ns of BPF per traced call (enter + exit), %.0f ns per untraced run; round trips (ns):%s\n", v, n[v], a / T, b, rtt[v];
		}
	}' "$OUT/runs" | sort
