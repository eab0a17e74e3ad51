# The report of bench/run.sh (sourced): medians over rounds per layout and shape, ratios, the MONITOR counts.
# Needs RESULTS, COUNTS, WORK, ROOT, the PIDs' logs and the knobs set.
# shellcheck shell=bash

# layout shape scenario...: one line per scenario: the median over rounds of req/s, p50, p99, gateway and Redis CPU
# per request, then the sums over rounds of non-2xx, socket errors, 200, 429, 403, other and requests, then the
# medians of the gateway's, wrk's and the load side's %CPU
median_table() {
  local layout=$1 shape=$2; shift 2
  awk -F'\t' -v layout="$layout" -v shape="$shape" -v want=" $* " '
    NR > 1 && $1 == layout && $2 == shape && index(want, " " $3 " ") {
      k = $3; n[k]++
      for (c = 5; c <= 19; c++) { val[k, c, n[k]] = $c; sum[k, c] += $c }
      if (!(k in seen)) { seen[k] = 1; order[++m] = k }
    }
    function median(k, c,   i, j, t, a, cnt) {
      cnt = n[k]; for (i = 1; i <= cnt; i++) a[i] = val[k, c, i] + 0
      for (i = 1; i <= cnt; i++) for (j = i + 1; j <= cnt; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return cnt % 2 ? a[(cnt + 1) / 2] : (a[cnt / 2] + a[cnt / 2 + 1]) / 2
    }
    END {
      for (i = 1; i <= m; i++) {
        k = order[i]; printf "%s", k
        for (c = 5; c <= 19; c++) printf "\t%s", (c >= 10 && c <= 16) ? sum[k, c] : median(k, c)
        printf "\n"
      }
    }' "$RESULTS"
}

# a table's rows, with the status mix (zipf, denials) or the non-2xx count (uniform)
print_rows() { # mix|non2xx table
  if [ "$1" = mix ]; then
    printf '%-13s %8s %7s %7s %9s %12s %6s %6s %6s %6s %6s %6s %6s\n' scenario "req/s" "p50 ms" "p99 ms" "gw us/req" \
      "redis us/req" "gw%" "wrk%" "side%" "%200" "%429" "%403" "%other"
  else
    printf '%-13s %8s %7s %7s %9s %12s %6s %6s %6s %8s\n' scenario "req/s" "p50 ms" "p99 ms" "gw us/req" \
      "redis us/req" "gw%" "wrk%" "side%" "non-2xx"
  fi
  awk -F'\t' -v mix="$1" '{
    printf "%-13s %8.0f %7.2f %7.2f %9.1f %12.1f %6.0f %6.0f %6.0f", $1, $2, $3 / 1000, $4 / 1000, $5, $6, $14, $15, $16
    if (mix == "mix") { t = $9 + $10 + $11 + $12 + $8; if (t == 0) t = 1
      printf " %6.1f %6.1f %6.1f %6.1f\n", 100 * $9 / t, 100 * $10 / t, 100 * $11 / t, 100 * ($12 + $8) / t }
    else printf " %8d\n", $7 + $8
  }' <<<"$2"
}

print_ratios() { # layout table
  awk -F'\t' -v layout="$1" '
    { rps[$1] = $2; cpu[$1] = $5; redis[$1] = $6 }
    function ratio(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "-" }
    END {
      printf "  AbuseGuard / built-in:      %5s x the requests/s        (target >= 1.5)\n", ratio(rps["guarded"], rps["bare-builtin"])
      printf "  AbuseGuard / bare plain:    %5s x the requests/s        (target >= %s)\n", ratio(rps["guarded"], rps["bare-plain"]),
        layout == "pinned" ? "1.0, pinned" : "0.8, shared"
      printf "  Redis CPU per decision:     %5s x the built-in'"'"'s (AbuseGuard %.1f us, built-in %.1f us; target < 1)\n",
        ratio(redis["guarded"], redis["bare-builtin"]), redis["guarded"], redis["bare-builtin"]
      printf "  our plain / bare plain:     %5s x the gateway CPU/request (target <= 1.10)\n", ratio(cpu["plain"], cpu["bare-plain"])
      printf "  AbuseGuard over bare plain: %+5.1f us of gateway CPU/request (target <= 25)\n", cpu["guarded"] - cpu["bare-plain"]
    }' <<<"$2"
}

report() {
  local layout shape table lanes summary="" health breaker pinned_note=""
  [[ " $LAYOUTS " == *" pinned "* ]] \
    && pinned_note=" (when pinned all on CPU $LOAD_CPU: near 100 means that CPU, not the gateway, set the pace)"
  lanes=$(grep -o 'event=redis_lanes[^ ]* count=[0-9]*' "$WORK/gateway.log" | head -1 | sed 's/.*count=//')
  health=$(curl -s -m 5 -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" "$GW/actuator/health/abuseGuardStore" || true)
  breaker=$(grep -c 'event=store_breaker' "$WORK/gateway.log" || true)
  echo
  echo "abuse-guard load benchmark  started $STARTED_AT, reported $(date -u +%Y-%m-%dT%H:%M:%SZ) ($((SECONDS / 60)) min $((SECONDS % 60)) s)"
  echo "machine: nproc $(nproc), CPUs $ALL_CPUS allowed, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)," \
    "load average at start $LOADAVG_AT_START"
  echo "command: $COMMAND_LINE"
  echo "knobs: $KNOBS"
  echo "gateway: $GATEWAY_JAVA_OPTS, ${lanes:-no} event loops with a Redis decision connection each; routes.yml as shipped + the bench's routes"
  echo "rounds: median of $ROUNDS rounds x ${ROUND_SECONDS}s per scenario; each round runs every layout, in each every shape," \
    "in each the 4 scenarios in a rotating order; wrk -t$THREADS -c$CONNECTIONS"
  [[ " $SHAPES " == *" uniform "* ]] && echo "shape uniform: $USERS users in turn; guarded = AbuseGuard=bench ($BENCH_LIMIT per $BENCH_WINDOW, token bucket: denies nothing)," \
    "built-in = RedisRateLimiter burst $BENCH_LIMIT, $REPLENISH/s"
  [[ " $SHAPES " == *" zipf "* ]] && echo "shape zipf: $ZIPF_USERS users, user k drawn with probability ~ 1/k^$ZIPF_S (seed $ZIPF_SEED; in a round every scenario sends" \
    "the same ids); guarded = routes.yml's /api/** (api_call: $API_LIMIT per $API_WINDOW, token bucket; abuse settings as" \
    "shipped: blocked after ${ZIPF_BLOCK_AFTER:-?} violations), built-in = /api/** with replenishRate $API_REPLENISH," \
    "burstCapacity $API_BURST, requestedTokens $API_TOKENS (the same $API_LIMIT per $API_WINDOW, burst $API_LIMIT)"
  [[ " $SHAPES " == *" zipf "* ]] && echo "  each layout has users of its own (ids z-<layout>-<k>), new to Redis in its first round;" \
    "a layout's rounds share them, so a blocked user stays blocked from round to round, as in production (until the shipped" \
    "decay lifts the block). Statuses are counted in zipf only (wrk's response() callback), which costs wrk CPU per request" \
    "in every zipf scenario alike."
  echo "columns: gw us/req = CPU of the gateway serving the route per request; redis us/req = Redis' CPU per request, on a" \
    "limited route per decision (a user the gateway knows blocked takes none); gw%, wrk% = that process's CPU in % of one CPU;" \
    "side% = wrk + Redis + backend$pinned_note"
  for layout in $LAYOUTS; do
    for shape in $SHAPES; do
      table=$(median_table "$layout" "$shape" bare-plain bare-builtin plain guarded)
      [ -n "$table" ] || continue
      echo
      echo "== $(layout_text "$layout"); shape $shape"
      if [ "$shape" = zipf ]; then print_rows mix "$table"; else print_rows non2xx "$table"; fi
      print_ratios "$layout" "$table"
      summary+=$(awk -F'\t' -v l="$layout" -v s="$shape" '{ rps[$1] = $2; redis[$1] = $6; p99[$1] = $4 }
        function ratio(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "-" }
        END { printf "%-7s %-8s %12s %12s %16s %14.2f %14.2f\n", l, s, ratio(rps["guarded"], rps["bare-builtin"]),
          ratio(rps["guarded"], rps["bare-plain"]), ratio(redis["guarded"], redis["bare-builtin"]),
          p99["guarded"] / 1000, p99["bare-builtin"] / 1000 }' <<<"$table")$'\n'
    done
  done
  echo
  echo "Summary: AbuseGuard against the built-in limiter and the bare proxy (targets: >= 1.5, >= 1.0 pinned, < 1)"
  printf '%-7s %-8s %12s %12s %16s %14s %14s\n' layout shape "/built-in" "/bare plain" "Redis us/dec" "p99 ours ms" "p99 built-in"
  printf '%-7s %-8s %12s %12s %16s\n' "" "" "req/s" "req/s" "ours/built-in"
  printf '%s' "$summary"
  echo
  echo "Denials, shared layout: median of $ROUNDS rounds x ${DENY_SECONDS}s (429 phase: fresh users, 6 requests each = 1 allowed" \
    "+ 5 violations; 403 phase: 20 users on the limit-1 action, blocked after their first 6 requests; blocked-1: one blocked user on /guarded)"
  print_rows mix "$(median_table shared deny 429-phase 403-phase blocked-1)"
  echo
  echo "Redis commands per request, $COUNT_REQUESTS requests one at a time per case, counted with MONITOR, shared layout"
  echo "(sent by the gateway = round trips; inside scripts = the script's own redis.call()s, for information; zipf-api rows:"
  echo " users drawn from the zipf popularity among the ${ZIPF_COUNT_LAYOUT:-?} layout's users after its rounds, split by status;"
  echo " what the gateway sends on its own timers, such as lifting blocks or writing trends, falls to the case running then)"
  printf '%-13s %-16s %8s %-30s %9s %s\n' case statuses "sent/req" "sent, by command" "in-script" "in-script, by command"
  awk -F'\t' 'NR > 1 { printf "%-13s %-16s %8.2f %-30s %9.2f %s\n", $1, $3, $4, $5, $6, $7 }' "$COUNTS"
  echo
  echo "store health after the run: ${health:-unavailable}; circuit-breaker transitions logged: ${breaker:-0}"
  echo "all rounds (layout, shape, scenario, round): ${RESULTS#"$ROOT"/}; MONITOR captures and logs: ${WORK#"$ROOT"/}/"
}
