#!/usr/bin/env bash
# Run a command (the test suite) with NEO4J_URI and NEO4J_BOLT_PORT naming a Neo4j server of this project.
#
#   scripts/with-neo4j.sh CMD...
#
# - NEO4J_URI already set: CMD runs as it is (the user named the server).
# - This project's server already running (scripts/neo4j.sh status): CMD uses it, on its port.
# - Otherwise a server is started for CMD and stopped after it, on NEO4J_BOLT_PORT (default 7687) when
#   that port is free, else on the next free port after it: another program on 7687 (a researcher's
#   Neo4j Desktop, say) is never touched, and the tests never wipe a database that is not ours.
# Under CI=true a server that cannot be started fails the run; elsewhere CMD runs and the Neo4j tests
# skip with one line saying why.  The exit status is CMD's.
#
# Environment: PYTHON (interpreter for the port probe and the readiness check; default python3), and
# everything scripts/neo4j.sh reads.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${PYTHON:-python3}"

[ "$#" -gt 0 ] || { echo "usage: $0 CMD..." >&2; exit 64; }

if [ -n "${NEO4J_URI:-}" ]; then
  exec "$@"
fi

port_free() {   # whether nothing listens on 127.0.0.1:$1
  "$PY" - "$1" <<'PY'
import socket, sys
with socket.socket() as s:
    sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) != 0 else 1)
PY
}

free_port() {   # the first port after $1 no one listens on (7688, 7689…), else one the kernel chooses
  local p
  for p in $(seq $(($1 + 1)) $(($1 + 100))); do
    if port_free "$p"; then echo "$p"; return; fi
  done
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

started=
stop_ours() { if [ -n "$started" ]; then bash "$HERE/neo4j.sh" stop >/dev/null; fi; }
trap stop_ours EXIT   # also after Ctrl-C: a server started here never outlives the run

if status="$(bash "$HERE/neo4j.sh" status 2>/dev/null)"; then
  port="$(sed -n 's|.*bolt://127\.0\.0\.1:\([0-9]*\).*|\1|p' <<<"$status")"
else
  port="${NEO4J_BOLT_PORT:-7687}"
  if ! port_free "$port"; then
    other="$port"
    port="$(free_port "$other")"
    echo "with-neo4j.sh: 127.0.0.1:$other is taken by another program; the tests' server uses port $port" >&2
  fi
  if NEO4J_BOLT_PORT="$port" PYTHON="$PY" bash "$HERE/neo4j.sh" start; then
    started=1
  elif [ "${CI:-}" = "true" ]; then
    exit 1
  fi
fi

export NEO4J_BOLT_PORT="$port" NEO4J_URI="bolt://127.0.0.1:$port"
"$@"
