# Measuring for bench/run.sh (sourced): sanity checks, wrk rounds with the CPU they cost, Redis commands
# counted with MONITOR. Needs GW, WORK, GATEWAY_PID, BARE_PID, REDIS_PID, RCLI and the knobs set.
# shellcheck shell=bash

# sanity: each route does what it should
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

measure_init() { # the result files' headers
  RESULTS="$WORK/rounds.tsv"
  printf 'scenario\tround\trps\tp50_us\tp99_us\tgw_us_per_req\tredis_us_per_req\tnon2xx\tsockerr\ts200\ts429\ts403\tsother\trequests\n' >"$RESULTS"
  COUNTS="$WORK/redis-commands.tsv"
  printf 'scenario\trequests\tstatuses\tgateway_cmds\tgateway_breakdown\tinner_calls\tinner_breakdown\n' >"$COUNTS"
}
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

# COUNT_REQUESTS requests, one at a time on one connection (curl), while redis-cli MONITOR records. A line
# whose source is "lua" is a call made inside a script; every other line is a command the gateway sent.
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
