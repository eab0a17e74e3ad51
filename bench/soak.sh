#!/usr/bin/env bash
# Soak run of the gateway jar, on loopback only: bench/soak.sh
#
# Starts its own Redis (free port, never 6379), the plain-Netty bench backend and the gateway jar, then keeps a
# steady, paced mix going (bench/wrk/soak.lua: allowed, 429 and 403, bad input, admin reads) with the dashboard's
# event stream open, restarts Redis half-way, and prints once a minute: requests and their statuses, requests
# never answered (wrk's timeouts and socket errors), heap after a full GC, Redis memory, the gateway's open
# sockets and threads. It fails when a request went unanswered or a series kept growing: the last third's
# highest value above the middle third's by more than a quarter plus a small allowance.
#
# Knobs (environment): MINUTES=30 CONNECTIONS=4 PACE_MS=10 GATEWAY_JAVA_OPTS="-Xms256m -Xmx256m" REBUILD=1
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
MINUTES=${MINUTES:-30}
CONNECTIONS=${CONNECTIONS:-4}
PACE_MS=${PACE_MS:-10}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:--Xms256m -Xmx256m}
REBUILD=${REBUILD:-0}
for n in MINUTES CONNECTIONS PACE_MS; do
  [[ ${!n} =~ ^[0-9]+$ ]] || { echo "$n must be a whole number, was '${!n}'" >&2; exit 2; }
done
(( MINUTES >= 3 && MINUTES <= 180 && CONNECTIONS <= 64 && PACE_MS >= 1 )) \
  || { echo "keep it bounded: 3 <= MINUTES <= 180, CONNECTIONS <= 64, PACE_MS >= 1" >&2; exit 2; }
MAX_SECONDS=$((MINUTES * 60 + 300))

WORK="$ROOT/bench/target/soak-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$WORK"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

need_tools wrk redis-server redis-cli:redis-tools curl jcmd:openjdk-17-jdk-headless
build_jars "$REBUILD"

REDIS_PID="" BACKEND_PID="" GATEWAY_PID="" STREAM_PID=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ -n "$STREAM_PID" ] && pkill -TERM -P "$STREAM_PID" 2>/dev/null # the stream's curl, then its loop
  stop_pid "$STREAM_PID" 2
  stop_pid "$GATEWAY_PID" 20
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

REDIS_PORT=$(free_port); BACKEND_PORT=$(free_port); GATEWAY_PORT=$(free_port)
GW="http://127.0.0.1:$GATEWAY_PORT"
export SOAK_ADMIN_TOKEN="soak-$$-$RANDOM" SOAK_PACE_MS="$PACE_MS"
RCLI=(redis-cli -h 127.0.0.1 -p "$REDIS_PORT")

start_redis() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
    --logfile "$WORK/redis.log" --daemonize no >/dev/null 2>&1 &
  REDIS_PID=$!
  wait_for redis 10 "$REDIS_PID" bash -c "[ \"\$(${RCLI[*]} ping)\" = PONG ]"
}
log "redis-server on 127.0.0.1:$REDIS_PORT"
start_redis
start_backend "$BACKEND_PORT"

cat >"$WORK/routes.yml" <<ROUTES
# written by bench/soak.sh
spring.cloud.gateway.server.webflux.routes:
  - { id: soak,  uri: "http://127.0.0.1:$BACKEND_PORT", predicates: [ "Path=/soak/**" ],  filters: [ "AbuseGuard=soak" ] }
  - { id: tight, uri: "http://127.0.0.1:$BACKEND_PORT", predicates: [ "Path=/tight/**" ], filters: [ "AbuseGuard=tight" ] }
abuse-guard:
  actions:
    soak:  { limit: 600, window: 1m, strategy: token-bucket }
    tight: { limit: 5, window: 10s, strategy: sliding-window }
  abuse:
    block-duration: 20s
    max-block-duration: 1m
ROUTES

log "gateway on 127.0.0.1:$GATEWAY_PORT ($GATEWAY_JAVA_OPTS)"
# shellcheck disable=SC2086 # GATEWAY_JAVA_OPTS is a list of options
( cd "$WORK" && exec env ROUTES_FILE="$WORK/routes.yml" SERVER_PORT="$GATEWAY_PORT" \
    SPRING_DATA_REDIS_HOST=127.0.0.1 SPRING_DATA_REDIS_PORT="$REDIS_PORT" ABUSE_GUARD_ADMIN_TOKEN="$SOAK_ADMIN_TOKEN" \
    java $GATEWAY_JAVA_OPTS -jar "$ROOT/$GATEWAY_JAR" >"$WORK/gateway.log" 2>&1 ) &
GATEWAY_PID=$!
wait_for gateway 90 "$GATEWAY_PID" \
  bash -c "[ \"\$(curl -s -m 2 -o /dev/null -w '%{http_code}' -H 'X-User-Id: probe' $GW/soak/ready)\" = 200 ]"

# the dashboard's live stream of audit events, kept open (and opened again should it end) for the whole run
( while true; do
    curl -s -N -m $((MAX_SECONDS)) -H "Authorization: Bearer $SOAK_ADMIN_TOKEN" -H 'Accept: text/event-stream' \
      "$GW/admin/api/events" >>"$WORK/events.txt" 2>/dev/null || true
    echo "stream ended $(date +%T)" >>"$WORK/stream-ends.txt"; sleep 1
  done ) &
STREAM_PID=$!

heap_after_gc_kb() {
  jcmd "$GATEWAY_PID" GC.run >/dev/null
  jcmd "$GATEWAY_PID" GC.heap_info | awk '/total/ && /used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); print v; exit } }'
}

SERIES="$WORK/minutes.tsv"
printf 'minute\trequests\ts200\ts400\ts401\ts403\ts429\tother\tunanswered\tp99_ms\theap_mb\tredis_mb\tsockets\tthreads\n' | tee "$SERIES"
for ((minute = 1; minute <= MINUTES; minute++)); do
  out="$WORK/wrk-$minute.txt"
  wrk -t2 -c"$CONNECTIONS" -d60s --timeout 3s -s bench/wrk/soak.lua "$GW/" >"$out" 2>&1 &
  wrk_pid=$!
  if ((minute == MINUTES / 2 + 1)); then
    sleep 20
    log "Redis stopped for 5 s, then started afresh (nothing is persisted: its data is gone)"
    stop_pid "$REDIS_PID" 5
    sleep 5
    start_redis
  fi
  wait "$wrk_pid" || { cat "$out" >&2; exit 1; }
  line=$(grep '^RESULT ' "$out") || { echo "wrk printed no RESULT line:" >&2; cat "$out" >&2; exit 1; }
  declare -A r=()
  for kv in ${line#RESULT }; do r[${kv%%=*}]=${kv#*=}; done
  heap=$(( $(heap_after_gc_kb) / 1024 ))
  redis_mb=$(( $("${RCLI[@]}" info memory 2>/dev/null | awk -F: '/^used_memory:/ {print $2+0}') / 1048576 ))
  sockets=$(find "/proc/$GATEWAY_PID/fd" -lname 'socket:*' 2>/dev/null | wc -l)
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$GATEWAY_PID/status")
  printf '%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n' "$minute" "${r[requests]}" "${r[s200]}" "${r[s400]}" \
    "${r[s401]}" "${r[s403]}" "${r[s429]}" "${r[sother]}" "$(( r[timeouts] + r[sockerr] ))" "$(( r[p99_us] / 1000 ))" \
    "$heap" "$redis_mb" "$sockets" "$threads" | tee -a "$SERIES"
  unset r
done

# verdict: no request unanswered; no series growing in the last third beyond the middle third's
awk -F'\t' -v minutes="$MINUTES" '
  NR == 1 { next }
  { unanswered += $9; third = ($1 <= minutes / 3) ? 1 : ($1 <= 2 * minutes / 3 ? 2 : 3)
    for (c = 11; c <= 14; c++) if ($c > top[third, c]) top[third, c] = $c }
  END {
    split("heap_mb redis_mb sockets threads", name, " "); split("16 2 20 8", allowance, " ")
    bad = 0
    if (unanswered > 0) { printf "FAIL: %d requests never answered\n", unanswered; bad = 1 }
    for (c = 11; c <= 14; c++) {
      i = c - 10; limit = top[2, c] * 1.25 + allowance[i]
      printf "%s: highest %d in the middle third, %d in the last (allowed up to %d)\n", name[i], top[2, c], top[3, c], limit
      if (top[3, c] > limit) { printf "FAIL: %s keeps growing\n", name[i]; bad = 1 }
    }
    if (!bad) print "PASS: every request answered, nothing grew without bound"
    exit bad
  }' "$SERIES"
