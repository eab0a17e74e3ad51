# Layouts of bench/run.sh (sourced): which CPUs the processes it started may run on.
#   shared  no affinity: every process on every CPU this script may use (as started)
#   pinned  both gateways (ours and the bare app) on the first of those CPUs, Redis, the backend and wrk on the
#           second; the gateways are loaded one at a time, so the idle one costs the busy one next to nothing
# Needs log, GATEWAY_PID, BARE_PID, REDIS_PID, BACKEND_PID; sets WRK_PIN, the command wrk is run under.
# shellcheck shell=bash

ALL_CPUS=$(awk '/^Cpus_allowed_list:/ { print $2 }' /proc/$$/status) # as the kernel writes it, e.g. 0-1
cpu_numbers() { # a CPU list (0-2,5) as numbers (0 1 2 5)
  local part parts i out=()
  IFS=, read -ra parts <<<"$1"
  for part in "${parts[@]}"; do
    if [[ $part == *-* ]]; then for ((i = ${part%-*}; i <= ${part#*-}; i++)); do out+=("$i"); done; else out+=("$part"); fi
  done
  echo "${out[*]}"
}
read -ra CPU_LIST <<<"$(cpu_numbers "$ALL_CPUS")"
GATEWAY_CPU=${CPU_LIST[0]}
LOAD_CPU=${CPU_LIST[1]:-}
WRK_PIN=()

# Drops pinned from LAYOUTS with fewer than 2 CPUs; fails when taskset is missing or may not set an affinity.
layouts_preflight() {
  if [[ " $LAYOUTS " == *" pinned "* ]]; then
    if [ -z "$LOAD_CPU" ]; then
      log "pinned layout skipped: this script may use only CPU $ALL_CPUS (nproc $(nproc)); it needs 2"
      LAYOUTS=$(sed 's/pinned//; s/  */ /g; s/^ //; s/ $//' <<<"$LAYOUTS")
      [ -n "$LAYOUTS" ] || { echo "no layout left to run" >&2; exit 2; }
      return 0
    fi
    command -v taskset >/dev/null 2>&1 || { echo "the pinned layout needs taskset (util-linux)" >&2; exit 1; }
    taskset -c "$LOAD_CPU" true 2>/dev/null \
      || { echo "taskset may not run a command on CPU $LOAD_CPU here: $(taskset -c "$LOAD_CPU" true 2>&1)" >&2; exit 1; }
  fi
}

# every thread of the process allowed exactly the CPUs of the list, as /proc/PID/task/*/status says
affinity_is() { # cpu-list pid
  local got
  got=$(cat /proc/"$2"/task/*/status 2>/dev/null | awk '/^Cpus_allowed_list:/ { print $2 }' | sort -u)
  [ "$got" = "$1" ]
}

pin() { # cpu-list name pid [name pid ...]: every existing thread (taskset -a); threads started later inherit it
  local cpus=$1 name pid try err; shift
  while [ $# -gt 0 ]; do
    name=$1 pid=$2; shift 2
    for try in 1 2 3; do # a thread that ends while taskset walks them fails the call: again
      err=$(taskset -a -p -c "$cpus" "$pid" 2>&1 >/dev/null) && affinity_is "$cpus" "$pid" && continue 2
    done
    echo "could not set the $name's (pid $pid) CPUs to $cpus: ${err:-its threads allow $(cat /proc/"$pid"/task/*/status \
      2>/dev/null | awk '/^Cpus_allowed_list:/ { print $2 }' | sort | uniq -c | tr -s ' \n' ' ')}" >&2
    exit 1
  done
}

threads() { find "/proc/$1/task" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }

apply_layout() { # shared|pinned, and a line saying what every thread now may use
  case $1 in
    shared)
      pin "$ALL_CPUS" gateway "$GATEWAY_PID" "bare app" "$BARE_PID" Redis "$REDIS_PID" backend "$BACKEND_PID"
      WRK_PIN=()
      log "layout shared: every thread of the gateway ($(threads "$GATEWAY_PID")), the bare app ($(threads "$BARE_PID"))," \
        "Redis ($(threads "$REDIS_PID")) and the backend ($(threads "$BACKEND_PID")) allowed CPUs $ALL_CPUS" ;;
    pinned)
      pin "$GATEWAY_CPU" gateway "$GATEWAY_PID" "bare app" "$BARE_PID"
      pin "$LOAD_CPU" Redis "$REDIS_PID" backend "$BACKEND_PID"
      WRK_PIN=(taskset -c "$LOAD_CPU")
      log "layout pinned: every thread of the gateway ($(threads "$GATEWAY_PID")) and the bare app ($(threads "$BARE_PID"))" \
        "allowed CPU $GATEWAY_CPU only, of Redis ($(threads "$REDIS_PID")) and the backend ($(threads "$BACKEND_PID")) CPU $LOAD_CPU;" \
        "wrk runs under taskset -c $LOAD_CPU" ;;
  esac
}

layout_text() { # shared|pinned: one line saying where everything runs
  case $1 in
    shared) echo "shared: no affinity, everything on CPUs $ALL_CPUS" ;;
    pinned) echo "pinned: both gateways on CPU $GATEWAY_CPU (taskset -a, every thread; loaded one at a time, the idle one" \
      "shares it), Redis, the backend and wrk on CPU $LOAD_CPU" ;;
  esac
}
