#!/usr/bin/env bash
# Load benchmark of the gateway, on loopback only: bench/run.sh
#
# Starts its own Redis (free port, never 6379), a plain-Netty backend (bench/backend), the gateway jar with a
# routes file written here, and beside it what a user would run instead: a bare Spring Cloud Gateway app
# (bench/bare) with its built-in limiter. Then drives them with wrk, interleaved:
#   bare-plain    bare app, /plain/**: no filter                          (the bare proxy)
#   bare-builtin  bare app, /builtin/**: RequestRateLimiter + RedisRateLimiter on X-User-Id, limits alike
#   plain         gateway, /plain/**: no filter                           (our application's proxy)
#   guarded       gateway, /guarded/**: AbuseGuard=bench (token bucket, limits that deny nothing)
#   /denied/**    gateway, AbuseGuard=bench_tiny (limit 1 per 1h: 429s, then blocks and 403s)
# and prints requests/s, p50/p99 latency, the serving process's and Redis' CPU per request (medians over
# rounds), the ratios against the bare app, and the Redis commands sent per request (counted with MONITOR).
# Everything it starts is stopped on exit; a watchdog ends the run after MAX_SECONDS.
#
# Knobs (environment): ROUNDS=3 ROUND_SECONDS=10 WARMUP_SECONDS=20 DENY_SECONDS=5 THREADS=2 CONNECTIONS=32
# USERS=1000 COUNT_REQUESTS=600 BENCH_LIMIT=1000000 BENCH_WINDOW=1000000s GATEWAY_JAVA_OPTS="-Xms512m -Xmx512m"
# JFR=1 (record the gateway with JFR, settings=profile, and sum up the samples with bench/JfrSummary.java) REBUILD=1 (rebuild the jars) MAX_SECONDS=600
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

ROUNDS=${ROUNDS:-3}
ROUND_SECONDS=${ROUND_SECONDS:-10}
# 20 s per route: on 2 cores the JIT still compiles for about 30 s of load after start-up (jstat -compiler)
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
DENY_SECONDS=${DENY_SECONDS:-5}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
USERS=${USERS:-1000}
COUNT_REQUESTS=${COUNT_REQUESTS:-600}
# refill 1 request/s per user, burst 1,000,000: per-user state stays in Redis between a user's requests
# and nothing is ever denied (limit x window in ms = 10^15 < 2^50, Quota's bound)
BENCH_LIMIT=${BENCH_LIMIT:-1000000}
BENCH_WINDOW=${BENCH_WINDOW:-1000000s}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:--Xms512m -Xmx512m}
JFR=${JFR:-0}
REBUILD=${REBUILD:-0}
MAX_SECONDS=${MAX_SECONDS:-600}

# the built-in RedisRateLimiter refills per second: the same rate as the bench action, at least 1/s
[[ $BENCH_WINDOW =~ ^([0-9]+)(ms|s|m|h|d)$ ]] || { echo "BENCH_WINDOW: write it as 1000000s, 1m, 1h, 1d or 500ms" >&2; exit 2; }
case ${BASH_REMATCH[2]} in ms) per=0 ;; s) per=1 ;; m) per=60 ;; h) per=3600 ;; d) per=86400 ;; esac
if ((per == 0)); then REPLENISH=$((BENCH_LIMIT * 1000 / BASH_REMATCH[1])); else REPLENISH=$((BENCH_LIMIT / (BASH_REMATCH[1] * per))); fi
((REPLENISH >= 1)) || REPLENISH=1

for n in ROUNDS ROUND_SECONDS WARMUP_SECONDS DENY_SECONDS THREADS CONNECTIONS USERS COUNT_REQUESTS MAX_SECONDS; do
  [[ ${!n} =~ ^[0-9]+$ ]] || { echo "$n must be a whole number, was '${!n}'" >&2; exit 2; }
done
(( ROUNDS <= 10 && ROUND_SECONDS <= 60 && WARMUP_SECONDS <= 60 && DENY_SECONDS <= 60 && COUNT_REQUESTS <= 5000 )) \
  || { echo "keep it bounded: ROUNDS<=10, *_SECONDS<=60, COUNT_REQUESTS<=5000" >&2; exit 2; }


# ---------------------------------------------------------------- tools and jars
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    log "installing ${missing[*]} (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "missing: ${missing[*]} (run as root, or install them first)" >&2
    exit 1
  fi
fi
command -v java >/dev/null 2>&1 || { echo "java (17+) is needed" >&2; exit 1; }

build_jars "$REBUILD"
BARE_JAR=bench/bare/target/bare-gateway.jar

# ---------------------------------------------------------------- processes, cleanup, watchdog
WORK="$ROOT/bench/target/run-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$WORK"
REDIS_PID="" BACKEND_PID="" GATEWAY_PID="" BARE_PID="" MONITOR_PID="" WATCHDOG_PID=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "$MONITOR_PID" 2
  stop_pid "$GATEWAY_PID" 20
  stop_pid "$BARE_PID" 20
  if [ "$JFR" = 1 ] && [ "$rc" = 0 ] && [ -s "$WORK/gateway.jfr" ]; then # written when the gateway exits
    if java "$ROOT/bench/JfrSummary.java" "$WORK/gateway.jfr" >"$WORK/jfr-summary.txt" 2>&1; then
      echo; echo "JFR: where the gateway's CPU samples fall, whole run (${WORK#"$ROOT"/}/jfr-summary.txt)"
      cat "$WORK/jfr-summary.txt"
    fi
  fi
  stop_pid "$BACKEND_PID" 5
  stop_pid "$REDIS_PID" 5
  stop_pid "$WATCHDOG_PID" 1
  wait 2>/dev/null || true
  log "stopped everything; logs and raw results in ${WORK#"$ROOT"/}"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'log "stopped (watchdog after ${MAX_SECONDS}s, or TERM)"; exit 124' TERM
( trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
  sleep "$MAX_SECONDS" & sleeper=$!
  wait "$sleeper" && kill -TERM $$ 2>/dev/null ) >/dev/null 2>&1 &
WATCHDOG_PID=$!


REDIS_PORT=$(free_port); BACKEND_PORT=$(free_port); GATEWAY_PORT=$(free_port); BARE_PORT=$(free_port)
GW="http://127.0.0.1:$GATEWAY_PORT"
BENCH_ADMIN_TOKEN="bench-$$-$RANDOM" # health details are shown only with the admin token
BARE="http://127.0.0.1:$BARE_PORT"
RCLI=(redis-cli -h 127.0.0.1 -p "$REDIS_PORT")

log "redis-server on 127.0.0.1:$REDIS_PORT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
  --logfile "$WORK/redis.log" --daemonize no >/dev/null 2>&1 &
REDIS_PID=$!
wait_for redis 10 "$REDIS_PID" bash -c "[ \"\$(${RCLI[*]} ping)\" = PONG ]"

log "backend on 127.0.0.1:$BACKEND_PORT"
java -Xms64m -Xmx128m -cp "bench/backend/target/classes:$(cat bench/backend/target/classpath.txt)" \
  dev.abuseguard.bench.BenchBackend "$BACKEND_PORT" 1 >"$WORK/backend.log" 2>&1 &
BACKEND_PID=$!
wait_for backend 20 "$BACKEND_PID" grep -q READY "$WORK/backend.log"

cat >"$WORK/routes.yml" <<EOF
# written by bench/run.sh
spring.cloud.gateway.server.webflux.routes:
  - id: plain
    uri: http://127.0.0.1:$BACKEND_PORT
    predicates: [ "Path=/plain/**" ]
  - id: guarded
    uri: http://127.0.0.1:$BACKEND_PORT
    predicates: [ "Path=/guarded/**" ]
    filters: [ "AbuseGuard=bench" ]
  - id: builtin
    uri: http://127.0.0.1:$BACKEND_PORT
    predicates: [ "Path=/builtin/**" ]
    filters:
      - name: RequestRateLimiter
        args:
          # alike: burst $BENCH_LIMIT, refill $BENCH_LIMIT per $BENCH_WINDOW as a whole number per second
          redis-rate-limiter.replenishRate: $REPLENISH
          redis-rate-limiter.burstCapacity: $BENCH_LIMIT
          redis-rate-limiter.requestedTokens: 1
          key-resolver: "#{@userIdKeyResolver}"
  - id: denied
    uri: http://127.0.0.1:$BACKEND_PORT
    predicates: [ "Path=/denied/**" ]
    filters: [ "AbuseGuard=bench_tiny" ]
abuse-guard:
  actions:
    bench:      { limit: $BENCH_LIMIT, window: $BENCH_WINDOW, strategy: token-bucket }
    bench_tiny: { limit: 1, window: 1h, strategy: token-bucket }
EOF

# the bare app: the same limits as the gateway's built-in route, everything else at Spring's defaults
cat >"$WORK/bare.yml" <<EOF
spring.cloud.gateway.server.webflux.routes:
  - id: plain
    uri: http://127.0.0.1:$BACKEND_PORT
    predicates: [ "Path=/plain/**" ]
  - id: builtin
    uri: http://127.0.0.1:$BACKEND_PORT
    predicates: [ "Path=/builtin/**" ]
    filters:
      - name: RequestRateLimiter
        args:
          redis-rate-limiter.replenishRate: $REPLENISH
          redis-rate-limiter.burstCapacity: $BENCH_LIMIT
          redis-rate-limiter.requestedTokens: 1
          key-resolver: "#{@userKeyResolver}"
EOF

JFR_OPTS=()
if [ "$JFR" = 1 ]; then
  JFR_OPTS=("-XX:FlightRecorderOptions:stackdepth=256"
    "-XX:StartFlightRecording=filename=$WORK/gateway.jfr,settings=profile,dumponexit=true")
fi
start_bare() {
  log "bare Spring Cloud Gateway on 127.0.0.1:$BARE_PORT ($GATEWAY_JAVA_OPTS)"
  # shellcheck disable=SC2086 # GATEWAY_JAVA_OPTS is a list of options
  ( cd "$WORK" && exec env SERVER_PORT="$BARE_PORT" SPRING_DATA_REDIS_HOST=127.0.0.1 SPRING_DATA_REDIS_PORT="$REDIS_PORT" \
      SPRING_CONFIG_ADDITIONAL_LOCATION="file:$WORK/bare.yml" \
      java $GATEWAY_JAVA_OPTS -jar "$ROOT/$BARE_JAR" >"$WORK/bare.log" 2>&1 ) &
  BARE_PID=$!
  wait_for bare 90 "$BARE_PID" \
    bash -c "[ \"\$(curl -s -m 2 -o /dev/null -w '%{http_code}' $BARE/plain/ready)\" = 200 ]"
}
start_gateway() { # log-file
  log "gateway on 127.0.0.1:$GATEWAY_PORT ($GATEWAY_JAVA_OPTS${JFR_OPTS[*]:+ JFR})"
  # shellcheck disable=SC2086 # GATEWAY_JAVA_OPTS is a list of options
  ( cd "$WORK" && exec env ROUTES_FILE="$WORK/routes.yml" SERVER_PORT="$GATEWAY_PORT" \
      SPRING_DATA_REDIS_HOST=127.0.0.1 SPRING_DATA_REDIS_PORT="$REDIS_PORT" ABUSE_GUARD_ADMIN_TOKEN="$BENCH_ADMIN_TOKEN" \
      java $GATEWAY_JAVA_OPTS "${JFR_OPTS[@]}" -jar "$ROOT/$GATEWAY_JAR" >"$1" 2>&1 ) &
  GATEWAY_PID=$!
  wait_for gateway 90 "$GATEWAY_PID" \
    bash -c "[ \"\$(curl -s -m 2 -o /dev/null -w '%{http_code}' -H 'X-User-Id: probe' $GW/plain/ready)\" = 200 ]"
}
JFR_OPTS=()
if [ "$JFR" = 1 ]; then
  JFR_OPTS=("-XX:FlightRecorderOptions:stackdepth=256"
    "-XX:StartFlightRecording=filename=$WORK/gateway.jfr,settings=profile,dumponexit=true")
fi
start_gateway "$WORK/gateway.log" || exit 1
start_bare || exit 1

# ---------------------------------------------------------------- sanity: each route does what it should
check() { # path user expected-status header-that-must-be-there-or-empty [base-url]
  local path=$1 user=$2 want=$3 header=$4 base=${5:-$GW} out status
  out=$(curl -s -m 5 -D - -o /dev/null ${user:+-H "X-User-Id: $user"} "$base$path")
  status=$(printf '%s' "$out" | awk 'NR==1 {print $2}')
  if [ "$status" != "$want" ] || { [ -n "$header" ] && ! printf '%s' "$out" | grep -qi "^$header:"; }; then
    echo "sanity check failed: GET $path (user '${user}') answered $status, wanted $want${header:+ with $header}:" >&2
    printf '%s\n' "$out" >&2
    exit 1
  fi
}
# the first requests after start-up open the Redis connections and load the scripts; on a cold JVM that can
# take longer than AbuseGuard's 250 ms store timeout, and such a request is decided from memory instead
for ((i = 0; i < 20; i++)); do
  curl -s -m 5 -o /dev/null -H "X-User-Id: probe$i" "$GW/guarded/x"
  curl -s -m 5 -o /dev/null -H "X-User-Id: probe$i" "$BARE/builtin/x"
done
check /plain/x check-u 200 ""
check /guarded/x check-u 200 X-RateLimit-Limit
check /guarded/x "" 400 ""
check /plain/x check-u 200 "" "$BARE"
check /builtin/x check-u 200 X-RateLimit-Burst-Capacity "$BARE"
check /denied/x check-d 200 X-RateLimit-Limit
check /denied/x check-d 429 Retry-After
[ "$("${RCLI[@]}" --scan --pattern 'ag:{u:check-u}:*' | wc -l)" -ge 1 ] \
  || { echo "AbuseGuard wrote nothing to the bench Redis: is it deciding from memory?" >&2; exit 1; }
[ "$("${RCLI[@]}" --scan --pattern 'request_rate_limiter.*check-u*' | wc -l)" -ge 1 ] \
  || { echo "RedisRateLimiter wrote nothing to the bench Redis" >&2; exit 1; }
log "routes answer as expected; both limiters decide in the bench Redis"

# ---------------------------------------------------------------- measuring
RESULTS="$WORK/rounds.tsv"
printf 'scenario\tround\trps\tp50_us\tp99_us\tgw_us_per_req\tredis_us_per_req\tnon2xx\tsockerr\ts200\ts429\ts403\tsother\trequests\n' >"$RESULTS"
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# the process and address a scenario loads
target_pid() { case $1 in bare-*) echo "$BARE_PID" ;; *) echo "$GATEWAY_PID" ;; esac; }
target_url() { case $1 in bare-plain) echo "$BARE/plain/x" ;; bare-builtin) echo "$BARE/builtin/x" ;; *) echo "$GW/$1/x" ;; esac; }

# load name round path-or-url seconds count-status wrk-script-args...: CPU is read from the process that serves it
load() {
  local name=$1 round=$2 path=$3 secs=$4 count=$5; shift 5
  local out="$WORK/wrk-$name-$round.txt" g0 g1 r0 r1 line pid url
  pid=$(target_pid "$name")
  if [[ $path == http* ]]; then url=$path; else url="$GW$path"; fi
  g0=$(cpu_ticks "$pid"); r0=$(cpu_ticks "$REDIS_PID")
  WRK_COUNT_STATUS=$count wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --timeout 5s \
    -s bench/wrk/users.lua "$url" -- "$@" >"$out" 2>&1 || { cat "$out" >&2; return 1; }
  g1=$(cpu_ticks "$pid"); r1=$(cpu_ticks "$REDIS_PID")
  line=$(grep '^RESULT ' "$out") || { echo "wrk printed no RESULT line:" >&2; cat "$out" >&2; return 1; }
  [ "$round" = warmup ] && return 0
  awk -v name="$name" -v round="$round" -v g="$((g1 - g0))" -v r="$((r1 - r0))" -v tck="$CLK_TCK" '
    { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
    END {
      n = v["requests"]; s = v["duration_us"] / 1e6
      printf "%s\t%s\t%.0f\t%d\t%d\t%.1f\t%.1f\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", name, round, n / s, v["p50_us"],
        v["p99_us"], g * 1e6 / tck / n, r * 1e6 / tck / n, v["non2xx"], v["sockerr"], v["s200"], v["s429"],
        v["s403"], v["sother"], n
    }' <<<"$line" >>"$RESULTS"
}

# a user blocked for abuse: 1 allowed, 5 violations (scores 10 .. 100) on the tiny limit
block_user() {
  local user=$1 i
  for ((i = 0; i < 6; i++)); do curl -s -m 5 -o /dev/null -H "X-User-Id: $user" "$GW/denied/x"; done
  check /guarded/x "$user" 403 X-Abuse-Blocked
}

log "warm-up: ${WARMUP_SECONDS}s on each allowed route, 3s on each denial path"
for route in bare-plain bare-builtin plain guarded; do
  load "$route" warmup "$(target_url "$route")" "$WARMUP_SECONDS" 0 pool "$USERS" "u"
done
block_user blocked-warm1
load 429-phase warmup /denied/x 3 1 fresh 6 "w429-"
load blocked-1 warmup /guarded/x 3 1 pool 1 "blocked-warm"

ORDER=(bare-plain bare-builtin plain guarded)
for ((r = 1; r <= ROUNDS; r++)); do
  log "round $r/$ROUNDS: ${ROUND_SECONDS}s on each allowed route"
  for ((k = 0; k < 4; k++)); do # rotate the order so no route always runs first
    route=${ORDER[$(((k + r - 1) % 4))]}
    load "$route" "$r" "$(target_url "$route")" "$ROUND_SECONDS" 0 pool "$USERS" "u"
  done
done

log "denials: $ROUNDS rounds x ${DENY_SECONDS}s of: 429 phase (fresh users, 6 requests each), 403 phase (20 users), one blocked user"
block_user blocked-1
for ((r = 1; r <= ROUNDS; r++)); do
  load 429-phase "$r" /denied/x "$DENY_SECONDS" 1 fresh 6 "r$r-"
  load 403-phase "$r" /denied/x "$DENY_SECONDS" 1 pool 20 "few$r-"
  load blocked-1 "$r" /guarded/x "$DENY_SECONDS" 1 pool 1 "blocked-"
done

# ---------------------------------------------------------------- Redis commands per request (MONITOR)
# COUNT_REQUESTS requests, one at a time on one connection (curl), while redis-cli MONITOR records. A line
# whose source is "lua" is a call made inside a script; every other line is a command the gateway sent.
COUNTS="$WORK/redis-commands.tsv"
printf 'scenario\trequests\tstatuses\tgateway_cmds\tgateway_breakdown\tinner_calls\tinner_breakdown\n' >"$COUNTS"
count_commands() { # name path-or-url user-mode(pool|fresh|one) prefix
  local name=$1 path=$2 mode=$3 prefix=$4 i user url
  local cfg="$WORK/curl-$name.cfg" mon="$WORK/monitor-$name.txt"
  : >"$cfg"
  for ((i = 0; i < COUNT_REQUESTS; i++)); do
    case $mode in
      pool) user="$prefix$((i % USERS + 1))" ;;
      fresh) user="$prefix$((i / 6))" ;;
      one) user="$prefix" ;;
    esac
    ((i > 0)) && echo next >>"$cfg"
    if [[ $path == http* ]]; then url=$path; else url="$GW$path"; fi
    printf 'url = "%s"\nheader = "X-User-Id: %s"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\nmax-time = 10\n' \
      "$url" "$user" >>"$cfg"
  done
  "${RCLI[@]}" monitor >"$mon" 2>&1 &
  MONITOR_PID=$!
  sleep 0.5
  curl -s -K "$cfg" >"$WORK/curl-$name.status"
  sleep 0.5
  stop_pid "$MONITOR_PID" 2; MONITOR_PID=""
  awk -v name="$name" -v n="$COUNT_REQUESTS" -v statuses="$(sort "$WORK/curl-$name.status" | uniq -c | awk '{printf "%s%sx%s", sep, $2, $1; sep=" "}')" '
    /^[0-9]+\.[0-9]+ \[/ {
      cmd = tolower($4); gsub(/"/, "", cmd)
      if ($3 == "lua]") { inner++; ib[cmd]++ } else { outer++; ob[cmd]++ }
    }
    function breakdown(arr,   k, s) { s = ""; for (k in arr) s = s (s == "" ? "" : " ") k "=" sprintf("%.2f", arr[k] / n); return s == "" ? "-" : s }
    END { printf "%s\t%d\t%s\t%.2f\t%s\t%.2f\t%s\n", name, n, statuses, outer / n, breakdown(ob), inner / n, breakdown(ib) }
  ' "$mon" >>"$COUNTS"
}
log "counting Redis commands: $COUNT_REQUESTS requests per case under MONITOR"
count_commands plain /plain/x pool "m-"
count_commands guarded /guarded/x pool "u"
count_commands bare-builtin "$BARE/builtin/x" pool "u"
count_commands 429-phase /denied/x fresh "mon429-"
count_commands blocked-1 /guarded/x one "blocked-1"

HEALTH=$(curl -s -m 5 -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" "$GW/actuator/health/abuseGuardStore" || true)
BREAKER_EVENTS=$(grep -c 'event=store_breaker' "$WORK/gateway.log" || true)

# ---------------------------------------------------------------- report
median_table() { # scenarios...: median per column over rounds
  awk -F'\t' -v want=" $* " '
    NR > 1 && index(want, " " $1 " ") {
      k = $1; n[k]++
      for (c = 3; c <= 14; c++) val[k, c, n[k]] = $c
      if (!(k in seen)) { seen[k] = 1; order[++m] = k }
    }
    function median(k, c,   i, j, t, a, cnt) {
      cnt = n[k]; for (i = 1; i <= cnt; i++) a[i] = val[k, c, i] + 0
      for (i = 1; i <= cnt; i++) for (j = i + 1; j <= cnt; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return cnt % 2 ? a[(cnt + 1) / 2] : (a[cnt / 2] + a[cnt / 2 + 1]) / 2
    }
    END { for (i = 1; i <= m; i++) { k = order[i]; printf "%s", k; for (c = 3; c <= 14; c++) printf "\t%s", median(k, c); printf "\n" } }
  ' "$RESULTS"
}
ALLOWED=$(median_table bare-plain bare-builtin plain guarded)
DENIED=$(median_table 429-phase 403-phase blocked-1)

echo
echo "abuse-guard load benchmark  $(date -u +%Y-%m-%dT%H:%MZ)  $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS, $USERS users"
LANES=$(grep -o 'event=redis_lanes[^ ]* count=[0-9]*' "$WORK/gateway.log" | head -1 | sed 's/.*count=//')
echo "gateway: $GATEWAY_JAVA_OPTS, ${LANES:-no} event loops with a Redis decision connection each; action bench: limit $BENCH_LIMIT per $BENCH_WINDOW (token bucket); RedisRateLimiter: burst $BENCH_LIMIT, $REPLENISH/s"
echo
echo "Allowed traffic: median of $ROUNDS rounds x ${ROUND_SECONDS}s per route (routes interleaved)"
printf '%-13s %10s %9s %9s %13s %15s %8s\n' route "req/s" "p50 ms" "p99 ms" "gw CPU us/req" "redis CPU us/req" "non-2xx"
awk -F'\t' '{ printf "%-13s %10.0f %9.2f %9.2f %13.1f %15.1f %8d\n", $1, $2, $3 / 1000, $4 / 1000, $5, $6, $7 + $8 }' <<<"$ALLOWED"
awk -F'\t' '
  { rps[$1] = $2; cpu[$1] = $5; redis[$1] = $6 }
  END {
    printf "\nagainst the bare Spring Cloud Gateway app, this run:\n"
    printf "  our plain route / bare plain:     %.2f x the gateway CPU per request   (target <= 1.10)\n", cpu["plain"] / cpu["bare-plain"]
    printf "  AbuseGuard / bare built-in:       %.2f x the requests/s                (target >= 1.5)\n", rps["guarded"] / rps["bare-builtin"]
    printf "  AbuseGuard / bare plain:          %.2f x the requests/s                (target >= 0.8)\n", rps["guarded"] / rps["bare-plain"]
    printf "  AbuseGuard over bare plain:       %+.1f us of gateway CPU per request  (target <= 25)\n", cpu["guarded"] - cpu["bare-plain"]
    printf "  Redis CPU per decision:           AbuseGuard %.1f us, built-in %.1f us\n", redis["guarded"], redis["bare-builtin"]
  }' <<<"$ALLOWED"
echo
echo "Denials: median of $ROUNDS rounds x ${DENY_SECONDS}s (429 phase: fresh users, 6 requests each = 1 allowed + 5 violations;"
echo "         403 phase: 20 users on the limit-1 action, blocked after their first 6 requests; blocked-1: one blocked user on /guarded)"
printf '%-10s %10s %9s %9s %13s %15s %7s %7s %7s %7s\n' scenario "req/s" "p50 ms" "p99 ms" "gw CPU us/req" "redis CPU us/req" "%200" "%429" "%403" "%other"
awk -F'\t' '{ t = $9 + $10 + $11 + $12; if (t == 0) t = 1
  printf "%-10s %10.0f %9.2f %9.2f %13.1f %15.1f %7.1f %7.1f %7.1f %7.1f\n", $1, $2, $3 / 1000, $4 / 1000, $5, $6, 100 * $9 / t, 100 * $10 / t, 100 * $11 / t, 100 * ($12 + $8) / t }' <<<"$DENIED"
echo
echo "Redis commands per request, $COUNT_REQUESTS requests one at a time, counted with MONITOR"
echo "(sent by the gateway = round trips; inside scripts = the script's own redis.call()s, for information)"
printf '%-10s %-16s %8s %-30s %8s %s\n' case statuses "sent/req" "sent, by command" "in-script" "in-script, by command"
awk -F'\t' 'NR > 1 { printf "%-10s %-16s %8.2f %-30s %8.2f %s\n", $1, $3, $4, $5, $6, $7 }' "$COUNTS"
echo
echo "store health after the run: ${HEALTH:-unavailable}; circuit-breaker transitions logged: ${BREAKER_EVENTS:-0}"
echo "raw rounds: ${RESULTS#"$ROOT"/}; MONITOR captures and logs: ${WORK#"$ROOT"/}/"
