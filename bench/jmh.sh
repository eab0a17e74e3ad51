#!/usr/bin/env bash
# JMH micro-benchmarks (bench/jmh): ns per decision of the five strategies alone and through the
# in-memory store, and the AbuseGuard filter's own work. Brief by default (1 fork, 2 x 1 s warm-up,
# 3 x 1 s measured per benchmark, with the GC profiler for bytes allocated per operation): about 2 minutes.
#
#   bench/jmh.sh                       all of them
#   bench/jmh.sh StrategyBenchmark     a regular expression over benchmark names
#   JMH_ARGS="-f 3 -wi 5 -i 10" bench/jmh.sh   longer, steadier runs (any JMH options; they replace the defaults)
#
# Builds the module in the reactor (-Pbench -pl bench/jmh -am: the filters jar comes from filters/target,
# nothing is installed into ~/.m2). Offline first; online (Maven Central) only when an artifact is missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

JMH_ARGS=${JMH_ARGS:--f 1 -wi 2 -w 1s -i 3 -r 1s -prof gc}
build=(-q -B -Pbench -pl bench/jmh -am -DskipTests package)
if ! ./mvnw -o "${build[@]}" >/tmp/abuse-guard-jmh-build.$$ 2>&1; then
  if grep -q 'offline mode' /tmp/abuse-guard-jmh-build.$$; then
    echo "[jmh] fetching missing artifacts from Maven Central" >&2
    ./mvnw "${build[@]}"
  else
    cat /tmp/abuse-guard-jmh-build.$$ >&2; rm -f /tmp/abuse-guard-jmh-build.$$; exit 1
  fi
fi
rm -f /tmp/abuse-guard-jmh-build.$$

mkdir -p bench/jmh/target
RESULT=bench/jmh/target/jmh-result.csv
# shellcheck disable=SC2086 # JMH_ARGS is a list of options
timeout 900 java -cp "bench/jmh/target/classes:$(cat bench/jmh/target/classpath.txt)" org.openjdk.jmh.Main \
  $JMH_ARGS -rf csv -rff "$RESULT" "$@"

# the same results, short: ns per operation (with JMH's 99.9% error) and bytes allocated per operation
echo
echo "Summary (ns/op: lower is better; B/op from -prof gc when it ran)"
awk -F, '
  { sub(/\r$/, "") }
  NR == 1 { for (i = 1; i <= NF; i++) { h = $i; gsub(/"/, "", h); if (h ~ /^Param: /) params[i] = 1 }; next }
  {
    for (i = 1; i <= NF; i++) gsub(/"/, "", $i)
    name = $1; secondary = ""
    if (index(name, ":") > 0) { secondary = substr(name, index(name, ":") + 1); name = substr(name, 1, index(name, ":") - 1) }
    n = split(name, parts, "."); short = parts[n - 1] "." parts[n]
    p = ""; for (i in params) if ($i != "") p = p (p == "" ? "" : ",") $i
    key = short (p == "" ? "" : " [" p "]")
    if (!(key in seen)) { seen[key] = 1; order[++count] = key }
    if (secondary == "") { score[key] = $5; err[key] = $6; unit[key] = $7 }
    else if (secondary == "gc.alloc.rate.norm") alloc[key] = $5
  }
  END {
    printf "%-62s %12s %10s %10s\n", "benchmark", "score", "error", "B/op"
    for (i = 1; i <= count; i++) { k = order[i]
      printf "%-62s %12.1f %10s %10s  %s\n", k, score[k], (err[k] == "NaN" ? "" : sprintf("%.1f", err[k])), (k in alloc ? sprintf("%.0f", alloc[k]) : "-"), unit[k] }
  }' "$RESULT"
echo
echo "results: $RESULT"
