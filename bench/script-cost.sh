#!/usr/bin/env bash
# Redis instructions per decision script, counted by valgrind's callgrind inside EVALSHA only: a figure that
# stays the same whatever else the machine is doing, unlike CPU seconds. bench/script-cost.sh
#
# Compares, with 1,000 users and 16 commands per read (redis-benchmark -P 16):
#   ours          the token bucket's allowed decision, as the gateway sends it: the action's settings compiled
#                 into the script's first line, the call passing the time ('' = Redis TIME inside) and the mode
#   ours-now      the same with the time passed in, so without the TIME call
#   ours-batch4   4 users decided in one call at one TIME (a variant the gateway does not send): per call, so
#                 divide by 4 for a decision
#   builtin       Spring Cloud Gateway's request_rate_limiter.lua, as RedisRateLimiter sends it
#   empty-2       'return {0,1,2,3,4,5,6,7}' with our 4 keys and the 2 arguments the gateway passes: what any
#                 such script costs
# Loopback only; starts and stops its own redis-server under valgrind. CALLS=2000 per case.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in valgrind redis-server redis-benchmark redis-cli; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install valgrind redis-server redis-tools)" >&2; exit 1; }
done
CALLS=${CALLS:-2000}
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
./mvnw -q -B -DskipTests compile -pl filters # the scripts are dumped from the classes as built now
java -cp filters/target/classes bench/script-cost/DumpScripts.java "$WORK/ours.lua" "$WORK/ours-batch4.lua"
scg=$(find ~/.m2/repository/org/springframework/cloud/spring-cloud-gateway-server-webflux -name '*.jar' \
  ! -name '*sources*' | sort | tail -1)
unzip -p "$scg" META-INF/scripts/request_rate_limiter.lua >"$WORK/builtin.lua"
echo 'return {0,1,2,3,4,5,6,7}' >"$WORK/empty.lua"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
OURS_KEYS=(4 'ag:{u:__rand_int__}:a' 'ag:{u:__rand_int__}:s:bench' 'ag:{u:__rand_int__}:v' 'ag:{u:__rand_int__}:ov')
count() { # name script args...
  local name=$1 script=$2 port pid sha calls ir; shift 2
  port=$(free_port)
  valgrind --tool=callgrind --toggle-collect=evalShaCommand --callgrind-out-file="$WORK/$name.cg" \
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 150); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.2; done
  sha=$(redis-cli -p "$port" SCRIPT LOAD "$(cat "$script")")
  redis-benchmark -p "$port" -c 8 -n "$CALLS" -P 16 -r 1000 -q EVALSHA "$sha" "$@" >/dev/null 2>&1
  calls=$(redis-cli -p "$port" INFO commandstats | tr -d '\r' | sed -nE 's/^cmdstat_evalsha:calls=([0-9]+),.*/\1/p')
  redis-cli -p "$port" SHUTDOWN NOSAVE >/dev/null 2>&1 || true
  wait "$pid" || true
  ir=$(sed -nE 's/^summary: ([0-9]+)/\1/p' "$WORK/$name.cg")
  printf '%-11s %8d instructions per call (%d calls)\n' "$name" $((ir / calls)) "$calls"
}

echo "Redis $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/'): instructions inside EVALSHA per call, callgrind"
count ours "$WORK/ours.lua" "${OURS_KEYS[@]}" '' consume
count ours-now "$WORK/ours.lua" "${OURS_KEYS[@]}" 1764700000000 consume
count ours-batch4 "$WORK/ours-batch4.lua" 16 "${OURS_KEYS[@]:1}" "${OURS_KEYS[@]:1}" "${OURS_KEYS[@]:1}" \
  "${OURS_KEYS[@]:1}" '' consume
count builtin "$WORK/builtin.lua" 2 'request_rate_limiter.{__rand_int__}.tokens' \
  'request_rate_limiter.{__rand_int__}.timestamp' 1 1000000 '' 1
count empty-2 "$WORK/empty.lua" "${OURS_KEYS[@]}" '' consume
