# bench-table.awk - the ping-pong table of scripts/bench.sh.
#
# Input: one line per run, NAME|LABEL|ROUND|NS (NS empty when the run
# failed); the runs of one round ran one after the other, so a round's
# runs saw about the same load.  The variant named "plain" is the
# untraced run and "floor" the probes alone.
#
# Per variant: the median round trip over the rounds, its spread (lowest
# and highest run, in % of the median), the ratios of the medians to the
# untraced and the floor medians, and the median of the per-round ratios
# to the floor with their range: a round's runs are neighbours in time,
# so that ratio sheds most of the load that moves both.  Variants with a
# target (TARGET_traced etc., below) say whether the median ratio meets
# it.
BEGIN {
	FS = "|"
	target["traced"] = 1.15
	target["snap0"] = 1.10
	target["stat"] = 1.05
}

!($1 in label) {
	names[++nnames] = $1
	label[$1] = $2
}

$4 ~ /^[0-9]+$/ {
	count[$1]++
	value[$1, count[$1]] = $4 + 0
	at[$1, $3] = $4 + 0
	if (!($3 in seen)) {
		seen[$3] = 1
		rounds[++nrounds] = $3
	}
}

# Sort A[1..N] in place (insertion sort: a handful of runs).
function sort(a, n,    i, j, t) {
	for (i = 2; i <= n; i++) {
		t = a[i]
		for (j = i - 1; j >= 1 && a[j] > t; j--)
			a[j + 1] = a[j]
		a[j + 1] = t
	}
}

function median(a, n) {
	sort(a, n)
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}

# The median of NAME's runs; sets lo and hi to the lowest and highest.
function runs_median(name,    a, i, n) {
	n = count[name]
	for (i = 1; i <= n; i++)
		a[i] = value[name, i]
	m = median(a, n)
	lo = a[1]
	hi = a[n]
	return m
}

# The median of NAME's per-round ratios to the floor; sets rlo and rhi.
function paired_median(name,    a, i, n, r) {
	n = 0
	for (i = 1; i <= nrounds; i++) {
		r = rounds[i]
		if ((name, r) in at && ("floor", r) in at && at["floor", r] > 0)
			a[++n] = at[name, r] / at["floor", r]
	}
	if (!n)
		return ""
	m = median(a, n)
	rlo = a[1]
	rhi = a[n]
	return m
}

END {
	plain = count["plain"] ? runs_median("plain") : 0
	floor = count["floor"] ? runs_median("floor") : 0
	printf "   %-28s %8s %13s %9s %9s %22s\n", "", "ns/trip", "runs min-max", "/untraced", "/floor",
	       "/floor, paired by round"
	for (k = 1; k <= nnames; k++) {
		name = names[k]
		if (!count[name]) {
			printf "   %-28s failed\n", label[name]
			continue
		}
		v = runs_median(name)
		spread = sprintf("-%.0f%% +%.0f%%", 100 * (v - lo) / v, 100 * (hi - v) / v)
		line = sprintf("   %-28s %8.0f %13s", label[name], v, spread)
		line = line (plain ? sprintf(" %8.2fx", v / plain) : sprintf(" %9s", "-"))
		line = line (floor ? sprintf(" %8.2fx", v / floor) : sprintf(" %9s", "-"))
		p = paired_median(name)
		if (p != "" && name != "floor")
			line = line sprintf("   %5.2fx [%4.2f-%4.2f]", p, rlo, rhi)
		else
			line = line sprintf(" %22s", "")
		if (name in target && floor)
			line = line sprintf("  target <= %.2fx: %s", target[name],
					    v / floor <= target[name] ? "met" : "missed")
		sub(/ +$/, "", line)
		print line
	}
}
