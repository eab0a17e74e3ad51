# Measuring for bench/run.sh (sourced): sanity checks, wrk rounds with the CPU they cost, Redis commands
# counted with MONITOR. Needs GW, BARE, WORK, the PIDs, RCLI, WRK_PIN, LAYOUT, SHAPE and the knobs set.
# shellcheck shell=bash

# ---------------------------------------------------------------- sanity: each route does what it should
check() { # path user expected-status header-or-"header: value"-or-empty [base-url]
  local path=$1 user=$2 want=$3 header=$4 base=${5:-$GW} out status pattern
  out=$(curl -s -m 5 -D - -o /dev/null ${user:+-H "X-User-Id: $user"} "$base$path" | tr -d '\r')
  status=$(printf '%s' "$out" | awk 'NR==1 {print $2}')
  if [[ $header == *:* ]]; then pattern="^${header%%:*}: *${header#*: }\$"; else pattern="^$header:"; fi
  if [ "$status" != "$want" ] || { [ -n "$header" ] && ! printf '%s\n' "$out" | grep -qi "$pattern"; }; then
    echo "sanity check failed: GET $base$path (user '${user}') answered $status, wanted $want${header:+ with $header}:" >&2
    printf '%s\n' "$out" >&2
    exit 1
  fi
}

statuses() { # url user count: the statuses of count requests in a row, space-separated
  local i cfg="$WORK/curl-sanity.cfg"
  : >"$cfg"
  for ((i = 0; i < $3; i++)); do
    ((i > 0)) && echo next >>"$cfg"
    printf 'url = "%s"\nheader = "X-User-Id: %s"\noutput = "/dev/null"\nwrite-out = "%%{http_code} "\nmax-time = 10\n' \
      "$1" "$2" >>"$cfg"
  done
  curl -s -K "$cfg"
}

# The zipf shape's routes: ours is the shipped /api/** route with the shipped api_call and abuse settings in force
# (the bench's config adds nothing to them), the bare app's is the built-in limiter with the same limit.
sanity_zipf_routes() {
  local bench_actions shipped_actions clash json got want rules
  bench_actions=$(awk '/^abuse-guard:/ { a = 1; next } a && /^  actions:/ { b = 1; next } b && /^    [a-z_]+:/ { sub(/:.*/, ""); print $1 }' \
    "$WORK/bench-routes.yml")
  shipped_actions=$(awk '/^  actions:/ { a = 1; next } a && /^    [a-z_]+:/ { sub(/:.*/, ""); print $1; next } a && /^  [^ ]/ { a = 0 }' \
    "$SHIPPED_ROUTES")
  clash=$(comm -12 <(sort <<<"$bench_actions") <(sort <<<"$shipped_actions"))
  [ -z "$clash" ] && ! grep -qE '^  (abuse|identity|action-header):' "$WORK/bench-routes.yml" \
    || { echo "bench-routes.yml must not set shipped abuse-guard values (clash: ${clash:-abuse/identity})" >&2; exit 1; }
  json=$(curl -s -m 5 -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" "$GW/admin/api/limits" | grep -o '{"action":"api_call"[^}]*}')
  [[ $json == *'"limit":'"$API_LIMIT"[,}]* && $json == *'"window":"'"$API_WINDOW"'"'* && $json == *'"strategy":"token-bucket"'* ]] \
    || { echo "api_call in force is not the shipped one ($API_LIMIT per $API_WINDOW, token bucket): $json" >&2; exit 1; }
  check /api/x sanity-api-0 200 "X-RateLimit-Limit: $API_LIMIT"
  # the shipped scoring: each 429 adds points * (1 + repeat-multiplier * earlier violations), blocked at the threshold
  rules=$(tr '\n' ' ' <"$SHIPPED_ROUTES" | grep -o 'abuse: *{[^}]*' || true)
  want=$(awk -v r="$rules" 'function num(k, d,   m) { return match(r, k ": *[0-9.]+") ? substr(r, RSTART + length(k) + 1) + 0 : d }
    BEGIN { p = num("points", 10); m = num("repeat-multiplier", 0.5); t = num("block-threshold", 100)
      while (score < t) { score += int(p * (100 + int(m * 100 + 0.5) * v) / 100); v++ }; print v }')
  got=$(statuses "$GW/api/x" sanity-api-1 $((API_LIMIT + want + 3)))
  [[ $got =~ ^(200\ ){$API_LIMIT,$((API_LIMIT + 3))}(429\ ){$want}(403\ )+$ ]] \
    || { echo "/api/x: wanted $API_LIMIT (to $((API_LIMIT + 3))) x 200, $want x 429 (the shipped scoring blocks then), then 403: $got" >&2; exit 1; }
  check /api/x sanity-api-0 200 "X-RateLimit-Burst-Capacity: $API_BURST" "$BARE"
  check /api/x sanity-api-0 200 "X-RateLimit-Replenish-Rate: $API_REPLENISH" "$BARE"
  check /api/x sanity-api-0 200 "X-RateLimit-Requested-Tokens: $API_TOKENS" "$BARE"
  got=$(statuses "$BARE/api/x" sanity-api-1 $((API_LIMIT + 6)))
  [[ $got =~ ^(200\ ){$API_LIMIT,$((API_LIMIT + 3))}(429\ )+$ ]] \
    || { echo "bare /api/x: wanted $API_LIMIT (to $((API_LIMIT + 3))) x 200, then 429: $got" >&2; exit 1; }
  ZIPF_BLOCK_AFTER=$want
}

# ---------------------------------------------------------------- wrk rounds
measure_init() { # the result files' headers
  RESULTS="$WORK/rounds.tsv"
  printf 'layout\tshape\tscenario\tround\trps\tp50_us\tp99_us\tgw_us_per_req\tredis_us_per_req\tnon2xx\tsockerr\ts200\ts429\ts403\tsother\trequests\tgw_cpu_pct\twrk_cpu_pct\tside_cpu_pct\n' >"$RESULTS"
  COUNTS="$WORK/redis-commands.tsv"
  printf 'scenario\trequests\tstatuses\tgateway_cmds\tgateway_breakdown\tinner_calls\tinner_breakdown\n' >"$COUNTS"
}
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
children_ticks() { awk '{print $16 + $17}' "/proc/$1/stat"; } # CPU of the children the process waited for

# the process a scenario loads, and the address: the shapes differ in the limited routes
target_pid() { case $1 in bare-*) echo "$BARE_PID" ;; *) echo "$GATEWAY_PID" ;; esac; }
target_url() { # shape scenario
  case $1:$2 in
    *:bare-plain) echo "$BARE/plain/x" ;; uniform:bare-builtin) echo "$BARE/builtin/x" ;; zipf:bare-builtin) echo "$BARE/api/x" ;;
    *:plain) echo "$GW/plain/x" ;; uniform:guarded) echo "$GW/guarded/x" ;; zipf:guarded) echo "$GW/api/x" ;;
    *) echo "no address for $1 $2" >&2; return 1 ;;
  esac
}

# load name round url seconds count-status wrk-script-args...: a row of RESULTS for LAYOUT and SHAPE. CPU is read
# from the process that serves it, Redis, the backend and wrk (this shell's waited-for children: wrk alone here).
load() {
  local name=$1 round=$2 url=$3 secs=$4 count=$5; shift 5
  local out="$WORK/wrk-$LAYOUT-$SHAPE-$name-$round.txt" pid me=$BASHPID line g0 g1 r0 r1 b0 b1 w0 w1
  pid=$(target_pid "$name")
  g0=$(cpu_ticks "$pid"); r0=$(cpu_ticks "$REDIS_PID"); b0=$(cpu_ticks "$BACKEND_PID"); w0=$(children_ticks "$me")
  WRK_COUNT_STATUS=$count "${WRK_PIN[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --timeout 5s \
    -s bench/wrk/users.lua "$url" -- "$@" >"$out" 2>&1 || { cat "$out" >&2; return 1; }
  g1=$(cpu_ticks "$pid"); r1=$(cpu_ticks "$REDIS_PID"); b1=$(cpu_ticks "$BACKEND_PID"); w1=$(children_ticks "$me")
  line=$(grep '^RESULT ' "$out") || { echo "wrk printed no RESULT line:" >&2; cat "$out" >&2; return 1; }
  [ "$round" = warmup ] && return 0
  awk -v id="$LAYOUT	$SHAPE	$name	$round" -v g="$((g1 - g0))" -v r="$((r1 - r0))" -v b="$((b1 - b0))" -v w="$((w1 - w0))" \
    -v tck="$CLK_TCK" '
    { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
    END {
      n = v["requests"]; s = v["duration_us"] / 1e6
      printf "%s\t%.0f\t%d\t%d\t%.1f\t%.1f\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.0f\t%.0f\t%.0f\n", id, n / s, v["p50_us"],
        v["p99_us"], g * 1e6 / tck / n, r * 1e6 / tck / n, v["non2xx"], v["sockerr"], v["s200"], v["s429"],
        v["s403"], v["sother"], n, 100 * g / tck / s, 100 * w / tck / s, 100 * (w + r + b) / tck / s
    }' <<<"$line" >>"$RESULTS"
}

# a user blocked for abuse: 1 allowed, 5 violations (scores 10 .. 100) on the tiny limit
block_user() {
  local user=$1 i
  for ((i = 0; i < 6; i++)); do curl -s -m 5 -o /dev/null -H "X-User-Id: $user" "$GW/denied/x"; done
  check /guarded/x "$user" 403 X-Abuse-Blocked
}

# ---------------------------------------------------------------- Redis commands per request (MONITOR)
# COUNT_REQUESTS requests, one at a time on one connection (curl), while redis-cli MONITOR records. A line
# whose source is "lua" is a call made inside a script; every other line is a command the gateway sent.
count_commands() { # name url user-mode(pool|fresh|one) prefix
  local name=$1 url=$2 mode=$3 prefix=$4 i user
  local cfg="$WORK/curl-$name.cfg" mon="$WORK/monitor-$name.txt"
  : >"$cfg"
  for ((i = 0; i < COUNT_REQUESTS; i++)); do
    case $mode in
      pool) user="$prefix$((i % USERS + 1))" ;;
      fresh) user="$prefix$((i / 6))" ;;
      one) user="$prefix" ;;
    esac
    ((i > 0)) && echo next >>"$cfg"
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

# COUNT_REQUESTS users drawn as the zipf shape draws them (awk's generator, so another sequence), among the
# population of PREFIX, one request at a time, each after a marker (ECHO) sent to Redis on a connection of this
# shell's: what the gateway sends between two markers belongs to the request between them, so the commands are
# told apart by the request's status. A command the gateway sends after its answer falls to the next request.
count_zipf_commands() { # name url prefix
  local name=$1 url=$2 prefix=$3 mon="$WORK/monitor-$1.txt" users="$WORK/users-$1.txt" st="$WORK/curl-$1.status"
  local fd i=0 user reply
  awk -v n="$ZIPF_USERS" -v s="$ZIPF_S" -v count="$COUNT_REQUESTS" -v seed="$ZIPF_SEED" -v p="$prefix" 'BEGIN {
    for (k = 1; k <= n; k++) { sum += k ^ -s; cdf[k] = sum }
    srand(seed)
    for (i = 0; i < count; i++) {
      u = rand() * sum; lo = 1; hi = n
      while (lo < hi) { mid = int((lo + hi) / 2); if (cdf[mid] < u) lo = mid + 1; else hi = mid }
      print p lo
    } }' >"$users"
  exec {fd}<>"/dev/tcp/127.0.0.1/$REDIS_PORT"
  mark() { printf 'ECHO agbench-mark-%s\r\n' "$1" >&"$fd"; read -r -t 5 reply <&"$fd" && read -r -t 5 reply <&"$fd"; }
  "${RCLI[@]}" monitor >"$mon" 2>&1 &
  MONITOR_PID=$!
  sleep 0.5
  : >"$st"
  while read -r user; do
    i=$((i + 1))
    mark "$i"
    curl -s -m 10 -o /dev/null -w '%{http_code}\n' -H "X-User-Id: $user" "$url" </dev/null >>"$st"
  done <"$users"
  mark end
  sleep 0.5
  stop_pid "$MONITOR_PID" 2; MONITOR_PID=""
  exec {fd}>&-
  awk -v name="$name" '
    FNR == NR { st[FNR] = $1; n[$1]++; next }
    /^[0-9]+\.[0-9]+ \[/ {
      cmd = tolower($4); gsub(/"/, "", cmd)
      if (cmd == "echo" && $5 ~ /^"agbench-mark-/) { cur = $5; gsub(/"|agbench-mark-/, "", cur); if (cur == "end") cur = 0; next }
      if (!cur) next
      s = st[cur]
      if ($3 == "lua]") { inner[s]++; ib[s, cmd]++ } else { outer[s]++; ob[s, cmd]++ }
    }
    function breakdown(arr, s,   k, parts, out) {
      out = ""
      for (k in arr) { split(k, parts, SUBSEP); if (parts[1] == s) out = out (out == "" ? "" : " ") parts[2] "=" sprintf("%.2f", arr[k] / n[s]) }
      return out == "" ? "-" : out
    }
    END {
      for (s in n) printf "%s %s\t%d\t%sx%d\t%.2f\t%s\t%.2f\t%s\n", name, s, n[s], s, n[s], outer[s] / n[s], breakdown(ob, s),
        inner[s] / n[s], breakdown(ib, s)
    }' "$st" "$mon" | sort >>"$COUNTS"
}
