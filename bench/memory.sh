#!/usr/bin/env bash
# Memory per user: Redis used_memory per active user (100,000 users) and the gateway heap held by the
# in-memory store with 1,000,000 users. Loopback only; starts and stops its own redis-server.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v redis-server >/dev/null || { echo "needs redis-server (apt-get install redis-server)" >&2; exit 1; }
./mvnw -q -B -DskipTests package -pl filters -am
cp="$(mktemp)"; trap 'rm -f "$cp"; [ -n "${redis_pid:-}" ] && kill "$redis_pid" 2>/dev/null || true' EXIT
./mvnw -q -B dependency:build-classpath -pl filters -Dmdep.outputFile="$cp" >/dev/null
classes="$(mktemp -d)"
javac -d "$classes" -cp "filters/target/classes:$(cat "$cp")" bench/memory/Footprint.java
port=$(( 20000 + RANDOM % 20000 ))
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >/dev/null &
redis_pid=$!
for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
java -cp "$classes:filters/target/classes:$(cat "$cp")" Footprint redis "$port" "${REDIS_USERS:-100000}"
java -Xmx2g -cp "$classes:filters/target/classes:$(cat "$cp")" Footprint heap "${HEAP_USERS:-1000000}"
