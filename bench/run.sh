#!/usr/bin/env bash
# Load benchmark of the gateway, on loopback only: bench/run.sh
#
# Starts its own Redis (free port, never 6379), a plain-Netty backend (bench/backend), our gateway jar with the
# shipped routes.yml plus the bench's routes, and beside it what a user would run instead: a bare Spring Cloud
# Gateway app (bench/bare) with its built-in limiter. Both apps start alike (same JVM options, no affinity). Then
# it drives them with wrk, four scenarios interleaved:
#   bare-plain    bare app, /plain/**: no filter                                    (the bare proxy)
#   bare-builtin  bare app: RequestRateLimiter + RedisRateLimiter on X-User-Id, limits alike
#   plain         gateway, /plain/**: no filter                                     (our application's proxy)
#   guarded       gateway: AbuseGuard
# in each layout (LAYOUTS) and traffic shape (SHAPES), on the same started processes (start-up and warm-up once):
#   layout shared   no affinity: every process on every CPU
#   layout pinned   both gateway JVMs on the first CPU (taskset -a, all their threads; they are loaded one at a
#                   time, so the idle one shares that CPU with the busy one), Redis, the backend and wrk on the
#                   second; back to shared, every process gets every CPU again. Skipped with fewer than 2 CPUs.
#   shape uniform   USERS users in turn; guarded = /guarded/** (AbuseGuard=bench: limits that deny nothing),
#                   bare-builtin = /builtin/** with the same rate
#   shape zipf      ZIPF_USERS users, user k drawn with probability ~ 1/k^ZIPF_S (bench/wrk/users.lua);
#                   guarded = the shipped /api/** route (api_call, 100 per 1m, and the shipped abuse settings:
#                   429s, blocks, 403s), bare-builtin = /api/** with RedisRateLimiter at the same limit; statuses
#                   counted. Each layout has users of its own, new to Redis at its first round.
# A round runs every layout, in each every shape, in each the four scenarios (order rotating). Then, in the
# shared layout, the denial phases (/denied/**: AbuseGuard=bench_tiny, limit 1 per 1h: 429s, blocks, 403s) and
# the Redis commands per request (MONITOR), a zipf sample on /api/** split by status among them. It prints per
# layout and shape: requests/s, p50/p99, the gateway's CPU per request, Redis' CPU per request (per decision on
# a limited route), wrk's CPU, the status mix, the ratios against the bare app; rows go to rounds.tsv in the
# run's folder. Everything it starts is stopped on exit; a watchdog ends the run after MAX_SECONDS.
#
# Knobs (environment): LAYOUTS="shared pinned" SHAPES="uniform zipf" ROUNDS=3 ROUND_SECONDS=10 WARMUP_SECONDS=20
# DENY_SECONDS=5 THREADS=2 CONNECTIONS=32 USERS=1000 ZIPF_USERS=100000 ZIPF_S=1.0 ZIPF_SEED=1 COUNT_REQUESTS=600
# BENCH_LIMIT=1000000 BENCH_WINDOW=1000000s GATEWAY_JAVA_OPTS="-Xms512m -Xmx512m" JFR=1 (record the gateway
# with JFR, settings=profile, summed up by bench/JfrSummary.java) REBUILD=1 (rebuild the jars)
# MAX_SECONDS (default: the expected duration, printed at start, plus 300)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
COMMAND_LINE="$0${*:+ $*}"
STARTED_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOADAVG_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

LAYOUTS=${LAYOUTS:-shared pinned}
SHAPES=${SHAPES:-uniform zipf}
ROUNDS=${ROUNDS:-3}
ROUND_SECONDS=${ROUND_SECONDS:-10}
# 20 s per route: on 2 cores the JIT still compiles for about 30 s of load after start-up (jstat -compiler)
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
DENY_SECONDS=${DENY_SECONDS:-5}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
USERS=${USERS:-1000}
ZIPF_USERS=${ZIPF_USERS:-100000}
ZIPF_S=${ZIPF_S:-1.0}
ZIPF_SEED=${ZIPF_SEED:-1}
COUNT_REQUESTS=${COUNT_REQUESTS:-600}
# refill 1 request/s per user, burst 1,000,000: per-user state stays in Redis between a user's requests
# and nothing is ever denied (limit x window in ms = 10^15 < 2^50, Quota's bound)
BENCH_LIMIT=${BENCH_LIMIT:-1000000}
BENCH_WINDOW=${BENCH_WINDOW:-1000000s}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:--Xms512m -Xmx512m}
JFR=${JFR:-0}
REBUILD=${REBUILD:-0}

# ---------------------------------------------------------------- knobs
bad() { echo "$*" >&2; exit 2; }
for n in ROUNDS ROUND_SECONDS WARMUP_SECONDS DENY_SECONDS THREADS CONNECTIONS USERS ZIPF_USERS ZIPF_SEED COUNT_REQUESTS; do
  [[ ${!n} =~ ^[0-9]+$ ]] || bad "$n must be a whole number, was '${!n}'"
done
(( ROUNDS >= 1 && ROUNDS <= 10 && ROUND_SECONDS >= 1 && ROUND_SECONDS <= 60 && WARMUP_SECONDS <= 60 && DENY_SECONDS >= 1 \
  && DENY_SECONDS <= 60 && COUNT_REQUESTS >= 1 && COUNT_REQUESTS <= 5000 && THREADS >= 1 && THREADS <= 16 \
  && CONNECTIONS >= THREADS && CONNECTIONS <= 1024 && USERS >= 1 && ZIPF_USERS >= 1 && ZIPF_USERS <= 1000000 )) \
  || bad "keep it bounded: 1<=ROUNDS<=10, *_SECONDS<=60 (ROUND and DENY at least 1), 1<=COUNT_REQUESTS<=5000," \
    "1<=THREADS<=16, THREADS<=CONNECTIONS<=1024, USERS>=1, 1<=ZIPF_USERS<=1000000"
[[ $ZIPF_S =~ ^[0-9]+(\.[0-9]+)?$ ]] || bad "ZIPF_S must be a number, was '$ZIPF_S'"
awk -v s="$ZIPF_S" 'BEGIN { exit !(s > 0 && s <= 3) }' || bad "ZIPF_S must be a number above 0 and at most 3, was '$ZIPF_S'"
for n in LAYOUTS SHAPES; do
  [ -n "${!n// /}" ] || bad "$n must name at least one"
  [ "$(tr ' ' '\n' <<<"${!n}" | grep -c .)" = "$(tr ' ' '\n' <<<"${!n}" | grep . | sort -u | wc -l)" ] || bad "$n names one twice: '${!n}'"
done
for l in $LAYOUTS; do [[ $l == shared || $l == pinned ]] || bad "LAYOUTS: shared and/or pinned, was '$LAYOUTS'"; done
for s in $SHAPES; do [[ $s == uniform || $s == zipf ]] || bad "SHAPES: uniform and/or zipf, was '$SHAPES'"; done
read -ra words <<<"$LAYOUTS"; LAYOUTS="${words[*]}" # one space between names
read -ra words <<<"$SHAPES"; SHAPES="${words[*]}"
[[ $JFR =~ ^[01]$ && $REBUILD =~ ^[01]$ ]] || bad "JFR and REBUILD are 0 or 1"
# the built-in RedisRateLimiter refills per second: the same rate as the bench action, at least 1/s
[[ $BENCH_WINDOW =~ ^([0-9]+)(ms|s|m|h|d)$ ]] || bad "BENCH_WINDOW: write it as 1000000s, 1m, 1h, 1d or 500ms"
case ${BASH_REMATCH[2]} in ms) per=0 ;; s) per=1 ;; m) per=60 ;; h) per=3600 ;; d) per=86400 ;; esac
if ((per == 0)); then REPLENISH=$((BENCH_LIMIT * 1000 / BASH_REMATCH[1])); else REPLENISH=$((BENCH_LIMIT / (BASH_REMATCH[1] * per))); fi
((REPLENISH >= 1)) || REPLENISH=1

WORK="$ROOT/bench/target/run-$(date +%Y%m%d-%H%M%S)" # made once the knobs pass
# shellcheck source=bench/pin.sh
source "$ROOT/bench/pin.sh"     # layouts: which CPUs each process may use
# shellcheck source=bench/apps.sh
source "$ROOT/bench/apps.sh"    # the two apps' configuration and start
# shellcheck source=bench/measure.sh
source "$ROOT/bench/measure.sh" # sanity checks, wrk rounds, MONITOR counts
# shellcheck source=bench/report.sh
source "$ROOT/bench/report.sh"  # the printout
layouts_preflight # drops pinned with fewer than 2 CPUs
shipped_api_call  # the zipf shape's limit, read from routes.yml

# the duration: about 40 s to start both apps and check them, the warm-up once, the rounds, the denials, the counts
# (0.1 s of curl per MONITOR request at most), 0.2 s for each wrk run to start and end
warm=0
[[ " $SHAPES " == *" uniform "* ]] && warm=4
[[ " $SHAPES " == *" zipf "* ]] && warm=$((warm + (warm ? 2 : 4))) # the plain routes are warm already after uniform
nl=$(wc -w <<<"$LAYOUTS") ns=$(wc -w <<<"$SHAPES")
EXPECTED=$((40 + warm * WARMUP_SECONDS + 9 + ROUNDS * nl * ns * 4 * ROUND_SECONDS + ROUNDS * 3 * DENY_SECONDS \
  + 8 + COUNT_REQUESTS / 50 + (ROUNDS * nl * ns * 4 + warm + ROUNDS * 3 + 2) / 5))
MAX_SECONDS=${MAX_SECONDS:-$((EXPECTED + 300))}
[[ $MAX_SECONDS =~ ^[0-9]+$ ]] || bad "MAX_SECONDS must be a whole number, was '$MAX_SECONDS'"
((MAX_SECONDS >= 60 && MAX_SECONDS <= 14400)) || bad "MAX_SECONDS: 60 to 14400, was $MAX_SECONDS"
((MAX_SECONDS >= EXPECTED)) || log "WARNING: MAX_SECONDS=$MAX_SECONDS is below the expected ${EXPECTED}s: the watchdog will end the run"
KNOBS="LAYOUTS=\"$LAYOUTS\" SHAPES=\"$SHAPES\" ROUNDS=$ROUNDS ROUND_SECONDS=$ROUND_SECONDS WARMUP_SECONDS=$WARMUP_SECONDS"
KNOBS+=" DENY_SECONDS=$DENY_SECONDS THREADS=$THREADS CONNECTIONS=$CONNECTIONS USERS=$USERS ZIPF_USERS=$ZIPF_USERS"
KNOBS+=" ZIPF_S=$ZIPF_S ZIPF_SEED=$ZIPF_SEED COUNT_REQUESTS=$COUNT_REQUESTS BENCH_LIMIT=$BENCH_LIMIT BENCH_WINDOW=$BENCH_WINDOW"
KNOBS+=" GATEWAY_JAVA_OPTS=\"$GATEWAY_JAVA_OPTS\" JFR=$JFR MAX_SECONDS=$MAX_SECONDS"
log "layouts: $LAYOUTS; shapes: $SHAPES; $ROUNDS rounds x ${ROUND_SECONDS}s per scenario;" \
  "expected duration about $((EXPECTED / 60)) min $((EXPECTED % 60)) s (watchdog at ${MAX_SECONDS}s)"

# ---------------------------------------------------------------- tools, jars, processes, watchdog
mkdir -p "$WORK"
need_tools wrk redis-server redis-cli:redis-tools curl taskset:util-linux
command -v java >/dev/null 2>&1 || { echo "java (17+) is needed" >&2; exit 1; }
build_jars "$REBUILD"

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
BARE="http://127.0.0.1:$BARE_PORT"
BENCH_ADMIN_TOKEN="bench-$$-$RANDOM" # health details and the admin API only with the admin token
RCLI=(redis-cli -h 127.0.0.1 -p "$REDIS_PORT")

log "redis-server on 127.0.0.1:$REDIS_PORT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
  --logfile "$WORK/redis.log" --daemonize no >/dev/null 2>&1 &
REDIS_PID=$!
wait_for redis 10 "$REDIS_PID" bash -c "[ \"\$(${RCLI[*]} ping)\" = PONG ]"
start_backend "$BACKEND_PORT"
write_gateway_config
write_bare_config
start_gateway || exit 1
start_bare || exit 1
measure_init

# ---------------------------------------------------------------- sanity: each route does what it should
# the first requests after start-up open the Redis connections and load the scripts; on a cold JVM that can
# take longer than AbuseGuard's 250 ms store timeout, and such a request is decided from memory instead
for ((i = 0; i < 20; i++)); do
  curl -s -m 5 -o /dev/null -H "X-User-Id: probe$i" "$GW/guarded/x"
  curl -s -m 5 -o /dev/null -H "X-User-Id: probe$i" "$GW/api/x"
  curl -s -m 5 -o /dev/null -H "X-User-Id: probe$i" "$BARE/builtin/x"
  curl -s -m 5 -o /dev/null -H "X-User-Id: probe$i" "$BARE/api/x"
done
check /plain/x check-u 200 ""
check /guarded/x check-u 200 X-RateLimit-Limit
check /guarded/x "" 400 ""
check /plain/x check-u 200 "" "$BARE"
check /builtin/x check-u 200 X-RateLimit-Burst-Capacity "$BARE"
check /denied/x check-d 200 X-RateLimit-Limit
check /denied/x check-d 429 Retry-After
# (at once: check-u's state is gone once its bucket is full again, 2 s after its 2 requests)
[ "$("${RCLI[@]}" --scan --pattern 'ag:{u:check-u}:*' | wc -l)" -ge 1 ] \
  || { echo "AbuseGuard wrote nothing to the bench Redis: is it deciding from memory?" >&2; exit 1; }
[ "$("${RCLI[@]}" --scan --pattern 'request_rate_limiter.*check-u*' | wc -l)" -ge 1 ] \
  || { echo "RedisRateLimiter wrote nothing to the bench Redis" >&2; exit 1; }
sanity_zipf_routes
log "routes answer as expected; both limiters decide in the bench Redis; /api/** has the shipped api_call" \
  "($API_LIMIT per $API_WINDOW) and scoring (blocked after $ZIPF_BLOCK_AFTER violations), the bare app's the same limit"

# ---------------------------------------------------------------- measuring
shape_args() { # shape round: load's count-status flag and users.lua's arguments
  case $1 in
    uniform) echo "0 pool $USERS u" ;;
    zipf) echo "1 zipf $ZIPF_USERS $ZIPF_S z-$2- $((ZIPF_SEED + ${3:-0}))" ;;
  esac
}
ORDER=(bare-plain bare-builtin plain guarded)

LAYOUT=shared
apply_layout shared
log "warm-up, shared layout: ${WARMUP_SECONDS}s on each scenario (zipf: its limited routes, users of their own), 3s on each denial path"
for SHAPE in $SHAPES; do
  for scenario in "${ORDER[@]}"; do
    [[ $SHAPE == zipf && $scenario == *plain && " $SHAPES " == *" uniform "* ]] && continue
    # shellcheck disable=SC2046 # shape_args is a list of words
    load "$scenario" warmup "$(target_url "$SHAPE" "$scenario")" "$WARMUP_SECONDS" $(shape_args "$SHAPE" warm 1000)
  done
done
SHAPE=deny
block_user blocked-warm1
load 429-phase warmup "$GW/denied/x" 3 1 fresh 6 "w429-"
load blocked-1 warmup "$GW/guarded/x" 3 1 pool 1 "blocked-warm"

for ((r = 1; r <= ROUNDS; r++)); do
  for LAYOUT in $LAYOUTS; do
    apply_layout "$LAYOUT"
    for SHAPE in $SHAPES; do
      log "round $r/$ROUNDS, layout $LAYOUT, shape $SHAPE: ${ROUND_SECONDS}s on each scenario"
      for ((k = 0; k < 4; k++)); do # rotate the order so no scenario always runs first
        scenario=${ORDER[$(((k + r - 1) % 4))]}
        # shellcheck disable=SC2046 # shape_args is a list of words
        load "$scenario" "$r" "$(target_url "$SHAPE" "$scenario")" "$ROUND_SECONDS" $(shape_args "$SHAPE" "$LAYOUT" "$r")
      done
    done
  done
done

LAYOUT=shared SHAPE=deny
apply_layout shared
log "denials, shared layout: $ROUNDS rounds x ${DENY_SECONDS}s of: 429 phase (fresh users, 6 requests each), 403 phase (20 users), one blocked user"
block_user blocked-1
for ((r = 1; r <= ROUNDS; r++)); do
  load 429-phase "$r" "$GW/denied/x" "$DENY_SECONDS" 1 fresh 6 "r$r-"
  load 403-phase "$r" "$GW/denied/x" "$DENY_SECONDS" 1 pool 20 "few$r-"
  load blocked-1 "$r" "$GW/guarded/x" "$DENY_SECONDS" 1 pool 1 "blocked-"
done

# ---------------------------------------------------------------- Redis commands per request (MONITOR)
log "counting Redis commands: $COUNT_REQUESTS requests per case under MONITOR"
count_commands plain "$GW/plain/x" pool "m-"
count_commands guarded "$GW/guarded/x" pool "u"
count_commands bare-builtin "$BARE/builtin/x" pool "u"
count_commands 429-phase "$GW/denied/x" fresh "mon429-"
count_commands blocked-1 "$GW/guarded/x" one "blocked-1"
if [[ " $SHAPES " == *" zipf "* ]]; then
  ZIPF_COUNT_LAYOUT=${LAYOUTS##* } # the last layout's users, after its rounds
  count_zipf_commands zipf-api "$GW/api/x" "z-$ZIPF_COUNT_LAYOUT-"
fi

report
