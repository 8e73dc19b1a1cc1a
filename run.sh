#!/usr/bin/env bash
# One entry point for people and CI. Needs only python3 (3.11+) on the machine.
#   ./run.sh app     set up (first time) and start the app on http://127.0.0.1:8501 (this machine only; server.py: UI + API + CDS Hooks)
#   ./run.sh test    set up (first time) and run lint, the teaching-case check and every test
#   ./run.sh bench   set up and run the benchmarks (python -m benchmarks)
#   ./run.sh deploy  set up and start two replicas behind HAProxy sharing one PostgreSQL (deploy/cluster.py)
set -euo pipefail
cd "$(dirname "$0")"
VENV=.venv
PY="$VENV/bin/python"

setup() {
  if [ ! -x "$PY" ]; then
    echo "setup: creating $VENV" >&2
    python3 -m venv "$VENV"
  fi
  local stamp="$VENV/.requirements.sha"
  local want
  want=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "setup: installing pinned requirements" >&2
    "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$PY" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
    echo "$want" > "$stamp"
  fi
}

browser() {
  # Debian's Chromium for the real-browser tests (Playwright drives it; no browser download).
  if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = "0" ]; then
      echo "setup: installing Debian chromium" >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      echo "setup: /usr/bin/chromium is missing; run: sudo apt-get install -y chromium" >&2
    fi
  fi
}

servers() {
  # Debian's HAProxy and PostgreSQL for the scale-out test and the teaching database on PostgreSQL (the tests
  # start their own throwaway PostgreSQL cluster and HAProxy on 127.0.0.1; no service is enabled).
  local missing=()
  command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = "0" ]; then
      echo "setup: installing Debian ${missing[*]}" >&2
      # No default cluster (it would start a server on port 5432): the tests start their own.
      mkdir -p /etc/postgresql-common/createcluster.d
      echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/ci-dss.conf
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
    else
      echo "setup: missing ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2
    fi
  fi
}

case "${1:-}" in
  app)
    setup
    args=("${@:2}")
    # Listen on this machine only (127.0.0.1) unless told otherwise: the app has no login.
    # To serve others, put it behind a reverse proxy with authentication (see README, "Serving").
    case " ${args[*]-} " in
      *" --server.address "* | *" --server.address="*) ;;
      *) [ -n "${STREAMLIT_SERVER_ADDRESS:-}" ] || args=(--server.address 127.0.0.1 "${args[@]}") ;;
    esac
    # glibc malloc: mmap large arrays (an upload, a batch result) so that freeing them when a session ends
    # gives the memory back, and use at most two arenas for the script threads (tools/serve.py: the same).
    export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}" MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-131072}"
    export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
    exec "$VENV/bin/streamlit" run server.py "${args[@]}"
    ;;
  test)
    setup
    browser
    servers
    "$VENV/bin/ruff" check .
    "$PY" -m decision cases check
    exec "$PY" -m pytest "${@:2}"
    ;;
  bench)
    setup
    browser
    servers
    exec "$PY" -m benchmarks "${@:2}"
    ;;
  deploy)
    setup
    servers
    exec "$PY" -m deploy.cluster "${@:2}"
    ;;
  *)
    echo "usage: ./run.sh app | test | bench | deploy" >&2
    exit 2
    ;;
esac
