# trace_sums.jq - ./trace's side of tests/t2500-oracle-strace.sh, in the
# format of strace_sums.pl.  Input: `trace dump --json` lines (slurped with
# -s) as .[0], report.json as $report[0].  Bytes come from the recorded
# calls, signals from the model's flows (what a user sees) and its
# undelivered signals (sent, never taken).
def sends: ["write", "writev", "pwrite64", "sendto", "sendmsg", "sendmmsg", "msgsnd", "mq_timedsend"];
def calls: sends + ["read", "readv", "pread64", "recvfrom", "recvmsg", "recvmmsg", "msgrcv", "mq_timedreceive"];
def object:
  if .kind == "pipe" then "pipe:" + (.args.fd_name | capture("\\[(?<n>[0-9]+)\\]").n)
  elif .kind == "file" or .kind == "fifo" then "path"
  else .kind end;
def amount:
  if .name == "msgsnd" or .name == "mq_timedsend" then (.args.size // .args.len) else .ret end;
([.[] | select(.event == "call" and .ret >= 0 and (.name as $n | calls | index($n))
		and (.kind | IN("pipe", "fifo", "file", "unix", "tcp", "udp", "msgq")))
	| {key: "\(.pid) \(object) \(if (.name as $n | sends | index($n)) then "send" else "recv" end)",
	   n: amount}]
 | group_by(.key) | map("\(.[0].key) \(map(.n) | add)")) +
([$report[0].flows[] | select(.kind == "signal") | (.signals - ["SIGCHLD", "SIGSTOP", "SIGCONT"]) as $s | select($s | length > 0)
	| if ($s | length) == 1 then . as $f | range(.messages) | ($s[0]) as $sig
		| (if $f.from != 0 then ["\($f.from) sent \($f.to) \($sig)"] else [] end) + ["\($f.to) took \($sig)"]
	  elif ($s | length) == .messages then . as $f | $s[]
		| (if $f.from != 0 then ["\($f.from) sent \($f.to) \(.)"] else [] end) + ["\($f.to) took \(.)"]
	  else ["\(.to) took \(.signals) in \(.messages) deliveries: ambiguous"] end | .[]])
+ [$report[0].undelivered_signals[] | select(.from != 0 and (.signal | IN("SIGCHLD", "SIGSTOP", "SIGCONT") | not))
	| "\(.from) sent \(.to) \(.signal)"]
| sort | .[]
