#!/usr/bin/env bash
# The test suite on a fresh Debian machine with a JDK: installs what the tests need when run as root
# (or names exactly what to install), then runs every test with the Maven wrapper.
#   ./test.sh              the whole suite (./mvnw -B verify)
#   ./test.sh -o -pl filters   extra arguments go to Maven
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
# the tests start their own Redis servers (standalone, TLS, Sentinel, Cluster) on free loopback ports
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# the dashboard's browser test drives Debian's chromium through its chromedriver
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
# the TLS Redis tests make their certificates with openssl
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# the Discord REST client test runs @discordjs/rest under Node.js
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "the tests need: ${missing[*]}" >&2
    echo "install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    echo "(or run ./test.sh as root, which installs them)" >&2
    exit 1
  fi
fi

exec ./mvnw -B verify "$@"
