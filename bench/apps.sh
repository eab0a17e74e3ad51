# The two apps bench/run.sh loads (sourced): their configuration and their start. Needs ROOT, WORK, the ports,
# GW, BARE, REDIS_PORT, BACKEND_PORT, BENCH_ADMIN_TOKEN and the knobs set; sets GATEWAY_PID and BARE_PID.
# shellcheck shell=bash

SHIPPED_ROUTES="$ROOT/routes.yml"
BARE_JAR=bench/bare/target/bare-gateway.jar

# The shipped api_call action, as routes.yml writes it, and the built-in limiter's equivalent: RedisRateLimiter
# refills whole tokens per second, so a request asks for K tokens: LIMIT per WINDOW_S seconds is R tokens/s with
# R/K = LIMIT/WINDOW_S (R = LIMIT/g, K = WINDOW_S/g, g their greatest common divisor), burst LIMIT*K tokens.
# 100 per 1m: 5 tokens/s, 3 per request, burst 300.
shipped_api_call() {
  local line window unit
  line=$(grep -E '^[[:space:]]+api_call:' "$SHIPPED_ROUTES") \
    || { echo "$SHIPPED_ROUTES has no api_call action: the zipf shape needs it" >&2; return 1; }
  [[ $line =~ limit:\ *([0-9]+) ]] && API_LIMIT=${BASH_REMATCH[1]}
  [[ $line =~ window:\ *([0-9]+)([smhd])[,\ }] ]] && window=${BASH_REMATCH[1]} unit=${BASH_REMATCH[2]}
  [[ $line =~ strategy:\ *([a-z-]+) ]] && API_STRATEGY=${BASH_REMATCH[1]}
  [ -n "${API_LIMIT:-}" ] && [ -n "${window:-}" ] && [ "${API_STRATEGY:-}" = token-bucket ] \
    || { echo "can't read a token bucket's limit and window from routes.yml's api_call: '$line'" >&2; return 1; }
  API_WINDOW="$window$unit"
  case $unit in s) API_WINDOW_S=$window ;; m) API_WINDOW_S=$((window * 60)) ;; h) API_WINDOW_S=$((window * 3600)) ;;
    d) API_WINDOW_S=$((window * 86400)) ;; esac
  local a=$API_LIMIT b=$API_WINDOW_S t
  while ((b)); do t=$((a % b)); a=$b; b=$t; done
  API_REPLENISH=$((API_LIMIT / a)) API_TOKENS=$((API_WINDOW_S / a)) API_BURST=$((API_LIMIT * API_WINDOW_S / a))
}

# Our gateway reads the shipped routes.yml itself (ROUTES_FILE), so its actions and abuse settings are the shipped
# ones, word for word. The bench's file comes after it (SPRING_CONFIG_ADDITIONAL_LOCATION): a list set there
# replaces the shipped list, so it repeats the shipped routes, copied line for line, beside the bench's own; a
# map merges, so the bench's actions join the shipped ones. It sets nothing else of abuse-guard's (measure.sh's
# sanity_zipf_routes holds it to that).
write_gateway_config() {
  local shipped
  shipped=$(awk '/^spring\.cloud\.gateway\.server\.webflux\.routes:/ { on = 1; next } on && /^[^[:space:]#]/ { exit } on' \
    "$SHIPPED_ROUTES")
  grep -q 'Path=/api/\*\*' <<<"$shipped" \
    || { echo "no /api/** route under spring.cloud.gateway.server.webflux.routes in $SHIPPED_ROUTES" >&2; return 1; }
  cat >"$WORK/bench-routes.yml" <<EOF
# written by bench/run.sh, read after the shipped routes.yml: the bench's plain route first (as in the bare app),
# then the shipped routes copied as they are (/api/** is the zipf shape's), then the bench's others
spring.cloud.gateway.server.webflux.routes:
  - id: plain
    uri: http://127.0.0.1:$BACKEND_PORT
    predicates: [ "Path=/plain/**" ]
$shipped
  # the bench's
  - id: guarded
    uri: http://127.0.0.1:$BACKEND_PORT
    predicates: [ "Path=/guarded/**" ]
    filters: [ "AbuseGuard=bench" ]
  - id: denied
    uri: http://127.0.0.1:$BACKEND_PORT
    predicates: [ "Path=/denied/**" ]
    filters: [ "AbuseGuard=bench_tiny" ]
abuse-guard:
  actions:
    bench:      { limit: $BENCH_LIMIT, window: $BENCH_WINDOW, strategy: token-bucket }
    bench_tiny: { limit: 1, window: 1h, strategy: token-bucket }
EOF
  # the shipped backends (PACKS_BACKEND_URI, API_BACKEND_URI, ...) all point at the bench backend
  GATEWAY_ENV=()
  local name
  for name in $(grep -o '\${[A-Z_]*_BACKEND_URI' "$SHIPPED_ROUTES" | tr -d '${' | sort -u); do
    GATEWAY_ENV+=("$name=http://127.0.0.1:$BACKEND_PORT")
  done
}

# The bare app: the uniform shape's limits on /builtin/**, the shipped api_call's on /api/**, Spring's defaults
write_bare_config() {
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
          # alike: burst $BENCH_LIMIT, refill $BENCH_LIMIT per $BENCH_WINDOW as a whole number per second
          redis-rate-limiter.replenishRate: $REPLENISH
          redis-rate-limiter.burstCapacity: $BENCH_LIMIT
          redis-rate-limiter.requestedTokens: 1
          key-resolver: "#{@userKeyResolver}"
  - id: api
    uri: http://127.0.0.1:$BACKEND_PORT
    predicates: [ "Path=/api/**" ]
    filters:
      - name: RequestRateLimiter
        args:
          # as the shipped api_call ($API_LIMIT per $API_WINDOW, burst $API_LIMIT): $API_REPLENISH tokens/s, $API_TOKENS per request
          redis-rate-limiter.replenishRate: $API_REPLENISH
          redis-rate-limiter.burstCapacity: $API_BURST
          redis-rate-limiter.requestedTokens: $API_TOKENS
          key-resolver: "#{@userKeyResolver}"
EOF
}

JFR_OPTS=()
if [ "$JFR" = 1 ]; then
  JFR_OPTS=("-XX:FlightRecorderOptions:stackdepth=256"
    "-XX:StartFlightRecording=filename=$WORK/gateway.jfr,settings=profile,dumponexit=true")
fi

start_gateway() {
  log "gateway on 127.0.0.1:$GATEWAY_PORT ($GATEWAY_JAVA_OPTS${JFR_OPTS[*]:+ JFR}), routes.yml as shipped + bench-routes.yml"
  # shellcheck disable=SC2086 # GATEWAY_JAVA_OPTS is a list of options
  ( cd "$WORK" && exec env ROUTES_FILE="$SHIPPED_ROUTES" SPRING_CONFIG_ADDITIONAL_LOCATION="file:$WORK/bench-routes.yml" \
      "${GATEWAY_ENV[@]}" SERVER_PORT="$GATEWAY_PORT" SPRING_DATA_REDIS_HOST=127.0.0.1 SPRING_DATA_REDIS_PORT="$REDIS_PORT" \
      ABUSE_GUARD_ADMIN_TOKEN="$BENCH_ADMIN_TOKEN" \
      java $GATEWAY_JAVA_OPTS "${JFR_OPTS[@]}" -jar "$ROOT/$GATEWAY_JAR" >"$WORK/gateway.log" 2>&1 ) &
  GATEWAY_PID=$!
  wait_for gateway 90 "$GATEWAY_PID" \
    bash -c "[ \"\$(curl -s -m 2 -o /dev/null -w '%{http_code}' -H 'X-User-Id: probe' $GW/plain/ready)\" = 200 ]"
}

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
