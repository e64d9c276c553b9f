#!/usr/bin/env bash
# Checks (and where it can, installs) the programs CivicGraph needs outside Python.
# Usage: scripts/require.sh python|java|redis|chromium
# Installs redis-server with apt when it is missing and we are root; otherwise says what to do.
set -euo pipefail

need() { printf 'civicgraph: %s\n' "$*" >&2; exit 1; }

apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    return 1
  fi
  echo "civicgraph: installing $* with apt-get" >&2
  if [ ! -f /var/lib/apt/periodic/civicgraph-updated ] || [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 && mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/civicgraph-updated
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

case "${1:-}" in
  python)
    py="${PYTHON:-python3}"
    command -v "$py" >/dev/null 2>&1 || need "Python 3.11+ is required: install python3 (3.11 or newer) and run make again."
    "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
      || need "Python 3.11+ is required, found $("$py" --version 2>&1). Set PYTHON=/path/to/python3.11 and run make again."
    "$py" -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv \
      || need "Python's venv module is missing: install python3-venv (apt) and run make again."
    ;;
  java)
    if [ -n "${NEO4J_URI:-}" ]; then exit 0; fi
    command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1 \
      || apt_install openjdk-17-jdk-headless \
      || need "Java 17+ (java and javac) is required for the embedded Neo4j: install a JDK 17, or set NEO4J_URI to use your own Neo4j server."
    version=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    [ "${version%%.*}" -ge 17 ] 2>/dev/null \
      || need "Java 17+ is required for Neo4j 5.26, found Java ${version:-unknown}. Install a JDK 17 or set NEO4J_URI."
    command -v mvn >/dev/null 2>&1 || apt_install maven \
      || need "Maven (mvn) is required to fetch Neo4j's jars: install maven, or set NEO4J_URI to use your own Neo4j server."
    ;;
  redis)
    if [ -n "${REDIS_URL:-}" ]; then exit 0; fi
    command -v redis-server >/dev/null 2>&1 || apt_install redis-server \
      || need "redis-server is missing: install it (apt-get install redis-server, or your system's package), or set REDIS_URL to a Redis you run."
    ;;
  chromium)
    # The lab console's browser tests drive Debian's Chromium through Playwright (no download).
    [ -x /usr/bin/chromium ] || apt_install chromium \
      || need "Chromium is missing at /usr/bin/chromium: install it (apt-get install chromium) for the console's browser tests."
    ;;
  *)
    need "usage: scripts/require.sh python|java|redis|chromium"
    ;;
esac
