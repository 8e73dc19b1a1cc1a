#!/usr/bin/env bash
# Two replicas of the app behind HAProxy (cookie stickiness, /_stcore/health checks), sharing one PostgreSQL,
# on this machine, loopback only: http://127.0.0.1:8500 by default. Ctrl-C stops everything.
#   deploy/start.sh [--replicas N] [--port P] [--database-url postgresql+psycopg://...]
# Without --database-url (or CI_DSS_DATABASE_URL) a throwaway PostgreSQL cluster is started and deleted on exit.
# Installs the pinned Python packages and, as root, Debian's haproxy and postgresql when missing.
set -euo pipefail
exec "$(dirname "$0")/../run.sh" deploy "$@"
