# The report of bench/run.sh (sourced): medians over rounds, ratios, the MONITOR counts. Needs RESULTS,
# COUNTS, WORK, ROOT and the knobs set.
# shellcheck shell=bash

report() {
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

}
