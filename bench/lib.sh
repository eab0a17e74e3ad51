# Shared by bench/run.sh and bench/soak.sh (sourced): processes, ports, tools and jars. Needs ROOT and WORK set.
# shellcheck shell=bash

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

need_tools() { # command[:debian-package] ...: installs what is missing with apt-get when root
  local missing=() spec cmd pkg
  for spec in "$@"; do
    cmd=${spec%%:*}; pkg=${spec#*:}
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ]; then
    log "installing ${missing[*]} (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "missing: ${missing[*]} (run as root, or install them first)" >&2
    exit 1
  fi
}

GATEWAY_JAR=gateway/target/abuse-guard-gateway.jar
build_jars() { # rebuild(0|1): the gateway jar and the bench backend, when missing or asked for
  if [ "$1" = 1 ] || [ ! -f "$GATEWAY_JAR" ]; then
    log "building the gateway jar"
    ./mvnw -q -B -DskipTests package
  elif [ -n "$(find filters/src gateway/src -newer "$GATEWAY_JAR" -type f -print -quit)" ]; then
    log "WARNING: $GATEWAY_JAR is older than sources under filters/ or gateway/ (REBUILD=1 rebuilds it)"
  fi
  if [ "$1" = 1 ] || [ ! -f bench/backend/target/classpath.txt ] || [ ! -f bench/bare/target/bare-gateway.jar ]; then
    log "building the bench backend and the bare gateway"
    ./mvnw -q -B -Pbench -pl bench/backend,bench/bare -DskipTests package
  fi
}

stop_pid() { # pid [seconds]: TERM, wait, then KILL; only processes this script started
  local pid=$1 wait_s=${2:-10} i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait_s * 10; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

WATCHDOG_PID=""
start_watchdog() { # seconds: TERM to this script then
  ( trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
    sleep "$1" & sleeper=$!
    wait "$sleeper" && kill -TERM $$ 2>/dev/null ) >/dev/null 2>&1 &
  WATCHDOG_PID=$!
  trap 'log "stopped (watchdog after '"$1"'s, or TERM)"; exit 124' TERM
}
stop_watchdog() { stop_pid "$WATCHDOG_PID" 1; }

USED_PORTS=" 6379 "
free_port() { # a port on 127.0.0.1 nobody listens on (and not one handed out already)
  local p i
  for ((i = 0; i < 100; i++)); do
    p=$((20000 + RANDOM % 20000))
    [[ $USED_PORTS == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then USED_PORTS+="$p "; echo "$p"; return 0; fi
  done
  echo "no free port found" >&2; return 1
}

wait_for() { # description seconds pid command...: polls until the command succeeds
  local what=$1 secs=$2 pid=$3 i; shift 3
  for ((i = 0; i < secs * 5; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "$what died; see its log in $WORK" >&2; return 1; }
    sleep 0.2
  done
  echo "$what not ready after ${secs}s; see its log in $WORK" >&2; return 1
}

BACKEND_PID=""
start_backend() { # port: the plain-Netty backend (200, 11 bytes)
  log "backend on 127.0.0.1:$1"
  java -Xms64m -Xmx128m -cp "bench/backend/target/classes:$(cat bench/backend/target/classpath.txt)" \
    dev.abuseguard.bench.BenchBackend "$1" 1 >"$WORK/backend.log" 2>&1 &
  BACKEND_PID=$!
  wait_for backend 20 "$BACKEND_PID" grep -q READY "$WORK/backend.log"
}
