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
# shellcheck source=bench/measure.sh
source "$ROOT/bench/measure.sh"
# shellcheck source=bench/report.sh
source "$ROOT/bench/report.sh"

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
REDIS_PID="" BACKEND_PID="" GATEWAY_PID="" BARE_PID="" MONITOR_PID=""

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
  stop_watchdog
  wait 2>/dev/null || true
  log "stopped everything; logs and raw results in ${WORK#"$ROOT"/}"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
start_watchdog "$MAX_SECONDS"


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
start_gateway "$WORK/gateway.log" || exit 1
start_bare || exit 1
measure_init

# ---------------------------------------------------------------- sanity: each route does what it should
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
log "counting Redis commands: $COUNT_REQUESTS requests per case under MONITOR"
count_commands plain /plain/x pool "m-"
count_commands guarded /guarded/x pool "u"
count_commands bare-builtin "$BARE/builtin/x" pool "u"
count_commands 429-phase /denied/x fresh "mon429-"
count_commands blocked-1 /guarded/x one "blocked-1"

HEALTH=$(curl -s -m 5 -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" "$GW/actuator/health/abuseGuardStore" || true)
BREAKER_EVENTS=$(grep -c 'event=store_breaker' "$WORK/gateway.log" || true)

report
