#!/usr/bin/env bash
# Real Neo4j Community server from Maven Central jars (no Docker, no tarball).
#
#   scripts/neo4j.sh fetch    download the server jars into .cache/neo4j/lib (idempotent)
#   scripts/neo4j.sh start    fetch if needed, start in the background, wait until `RETURN 1` works
#   scripts/neo4j.sh stop     SIGTERM, then SIGKILL after a grace period (idempotent)
#   scripts/neo4j.sh status   exit 0 if running (prints the URI), 3 if not
#   scripts/neo4j.sh import ARG...   (server stopped) a fresh home, then `neo4j-admin database import
#                             full neo4j ARG...` from the same jars; start it after with NEO4J_KEEP_DATA=1
#
# Needs java 17 or 21 on PATH, and mvn for the first fetch.  Missing tool -> one line
# "neo4j.sh: ..." and exit 2 (tests use this to skip).
#
# Environment:
#   NEO4J_VERSION       Neo4j Community version (default: pinned below; 5.26.x LTS runs on Java 17)
#   NEO4J_BOLT_PORT     Bolt port on 127.0.0.1 (default 7687)
#   NEO4J_HEAP          max heap, e.g. 512m (default 1g)
#   NEO4J_PAGECACHE     page cache size (default 128m)
#   NEO4J_KEEP_DATA=1   keep the database between starts (default: wiped on every start)
#   NEO4J_START_TIMEOUT seconds to wait for readiness (default 180)
#   NEO4J_STOP_TIMEOUT  seconds to wait after SIGTERM before SIGKILL (default 60)
#   PYTHON              interpreter used for the readiness probe (default python3; needs pip `neo4j`,
#                       otherwise falls back to "Bolt port open + 'Started.' in the log")
#   NEO4J_JAVA          java executable (default: java on PATH)
#
# Server: Bolt on 127.0.0.1 only, auth disabled, HTTP/HTTPS disabled, usage reporting off.
set -euo pipefail

NEO4J_VERSION="${NEO4J_VERSION:-5.26.30}"     # newest 5.26.x on Maven Central (maven-metadata.xml, checked 2026-11)
PORT="${NEO4J_BOLT_PORT:-7687}"
HEAP="${NEO4J_HEAP:-1g}"
PAGECACHE="${NEO4J_PAGECACHE:-128m}"
TIMEOUT="${NEO4J_START_TIMEOUT:-180}"
PY="${PYTHON:-python3}"
JAVA="${NEO4J_JAVA:-java}"
DEP_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache/neo4j"
LIB="$CACHE/lib"            # the server classpath (flat folder of jars)
H="$CACHE/home"             # NEO4J_HOME: conf, data, logs (recreated on every start)
RUN="$CACHE/run"            # pid/port files, JVM stdout (kept outside the home)
PIDFILE="$RUN/neo4j.pid"
PORTFILE="$RUN/neo4j.port"
OUT="$RUN/neo4j.out"

die() { echo "neo4j.sh: $*" >&2; exit 1; }
missing() { echo "neo4j.sh: $*"; exit 2; }
note() { echo "neo4j.sh: $*" >&2; }
now() { date +%s.%N; }

need_java() {
  command -v "$JAVA" >/dev/null 2>&1 || missing "java not found on PATH"
  local v
  v="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
  case "$NEO4J_VERSION:$v" in
    5.*:17|5.*:21) ;;
    5.*:*) missing "java 17 or 21 required for Neo4j $NEO4J_VERSION (found java ${v:-unknown})" ;;
    *) ;;   # 2025.x+ : let the JVM complain if it is too old
  esac
}
need_mvn() { command -v mvn >/dev/null 2>&1 || missing "mvn not found on PATH"; }

jars_present() { [ "$(cat "$LIB/.complete" 2>/dev/null || true)" = "$NEO4J_VERSION" ]; }

# ---------------------------------------------------------------------------------------------- fetch
fetch() {
  if jars_present; then return 0; fi
  need_java; need_mvn
  local work="$CACHE/fetch" tmp="$CACHE/lib.tmp" t0 i
  mkdir -p "$work"
  cat > "$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.kg</groupId><artifactId>neo4j-runtime</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.neo4j</groupId><artifactId>neo4j</artifactId><version>$NEO4J_VERSION</version></dependency>
  </dependencies>
</project>
EOF
  note "fetching Neo4j $NEO4J_VERSION jars from Maven Central (log: $work/mvn.log)"
  t0=$(now)
  for i in 1 2 3 4; do
    rm -rf "$tmp"
    # -U on retries: otherwise Maven caches the failed lookup and refuses to try again
    if (cd "$work" && mvn -B -ntp -Dstyle.color=never $([ "$i" -gt 1 ] && echo -U) -f "$work/pom.xml" \
          -Dmaven.wagon.http.retryHandler.count=3 -Dmaven.wagon.httpconnectionManager.ttlSeconds=25 \
          "$DEP_PLUGIN:copy-dependencies" -DincludeScope=runtime -DoutputDirectory="$tmp" \
          >"$work/mvn.log" 2>&1); then
      break
    fi
    if [ "$i" = 4 ] || grep -q 'Could not find artifact' "$work/mvn.log"; then   # 404 is not transient
      tail -n 30 "$work/mvn.log" >&2
      die "could not fetch Neo4j $NEO4J_VERSION from Maven Central (see $work/mvn.log)"
    fi
    note "maven failed (attempt $i), retrying in $((i * 10))s"
    sleep $((i * 10))
  done
  cp "$work/pom.xml" "$tmp/.pom.xml" 2>/dev/null || true
  # sanity: entry point jar, Bolt, Cypher and the runtime-scoped storage engine must be there
  local a
  for a in neo4j neo4j-bolt neo4j-cypher neo4j-record-storage-engine neo4j-kernel; do
    [ -f "$tmp/$a-$NEO4J_VERSION.jar" ] || die "fetched classpath lacks $a-$NEO4J_VERSION.jar"
  done
  echo "$NEO4J_VERSION" > "$tmp/.complete"
  rm -rf "$LIB"; mv "$tmp" "$LIB"
  note "fetched $(ls "$LIB"/*.jar | wc -l) jars, $(du -sh "$LIB" | cut -f1) in $(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.0f", b-a}')s"
}

# ------------------------------------------------------------------------------------ process helpers
# pid of the server started by this script, if it is alive (not a zombie, and really our JVM)
our_pid() {
  local pid state
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  if [ -r "/proc/$pid/stat" ]; then
    state="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
    [ "$state" != Z ] || return 1
    tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "CommunityEntryPoint --home-dir=$H " || return 1
  else
    ps -p "$pid" -o args= 2>/dev/null | grep -q "CommunityEntryPoint --home-dir=$H " || return 1
  fi
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

show_logs() {
  local f
  for f in "$OUT" "$H/logs/neo4j.log" "$H/logs/debug.log"; do
    [ -s "$f" ] || continue
    echo "----- last lines of $f" >&2
    tail -n 25 "$f" >&2
  done
}

# Wait until `RETURN 1` succeeds on database neo4j (Python driver), or, without the driver, until the
# Bolt port is open and the log says "Started.".  Prints the elapsed seconds since $2 on success.
# Exit status: 0 ready, 1 JVM gone, 2 timeout.
wait_ready() {
  local pid="$1" t0="$2" limit="$3"
  if "$PY" -c 'import neo4j' >/dev/null 2>&1; then
    "$PY" - "$PORT" "$pid" "$t0" "$limit" <<'PY'
import sys, time
port, pid, t0, limit = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
from neo4j import GraphDatabase

def alive():
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:
        import os
        try:
            os.kill(pid, 0); return True
        except OSError:
            return False

start = time.time()
last = None
while True:
    try:
        with GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=None, connection_timeout=3,
                                  connection_acquisition_timeout=5, max_connection_lifetime=30) as d:
            with d.session(database="neo4j") as s:
                if s.run("RETURN 1 AS x").single()["x"] == 1:
                    print(f"{time.time() - t0:.1f}")
                    sys.exit(0)
    except Exception as e:  # noqa: BLE001 - any failure means "not ready yet"
        last = e
    if not alive():
        print(f"neo4j.sh: JVM exited during start-up (last probe error: {last!r})", file=sys.stderr)
        sys.exit(1)
    if time.time() - start > limit:
        print(f"neo4j.sh: not ready after {limit:.0f}s (last probe error: {last!r})", file=sys.stderr)
        sys.exit(2)
    time.sleep(0.5)
PY
    return
  fi
  local start; start=$(now)
  while :; do
    if port_open "$PORT" && grep -q 'Started\.' "$H/logs/neo4j.log" 2>/dev/null; then
      awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.1f\n", b-a}'; return 0
    fi
    if ! our_pid >/dev/null; then note "JVM exited during start-up"; return 1; fi
    if awk -v a="$start" -v b="$(now)" -v l="$limit" 'BEGIN{exit !(b-a>l)}'; then
      note "not ready after ${limit}s"; return 2
    fi
    sleep 0.5
  done
}

# ----------------------------------------------------------------------------------------- configure
xml_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g' <<<"$1"; }

configure() {
  if [ "${NEO4J_KEEP_DATA:-0}" = 1 ] && [ -d "$H/data" ]; then
    find "$H" -mindepth 1 -maxdepth 1 ! -name data -exec rm -rf {} +
  else
    rm -rf "$H"
  fi
  mkdir -p "$H"/{conf,data,logs,run,plugins,import,tmp}
  # Only keys that exist in 5.26 (strict validation aborts on unknown or duplicated keys).
  cat > "$H/conf/neo4j.conf" <<EOF
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:$PORT
server.bolt.advertised_address=127.0.0.1:$PORT
server.http.enabled=false
server.https.enabled=false
dbms.security.auth_enabled=false
dbms.usage_report.enabled=false
server.memory.pagecache.size=$PAGECACHE
db.tx_log.preallocate=false
# declared (internal) 5.26 key, INT seconds, default 5: Bolt's netty quiet period, paid twice on every stop
internal.dbms.bolt.netty_server_shutdown_quiet_period=0
EOF
  # Log4j configs: resolved against the home dir (conf/...), absolute file names.
  local logs; logs="$(xml_escape "$H/logs")"
  cat > "$H/conf/user-logs.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="ERROR">
  <Appenders>
    <File name="File" fileName="$logs/neo4j.log"><PatternLayout pattern="%d{yyyy-MM-dd HH:mm:ss.SSSZ} %-5p %m%n"/></File>
  </Appenders>
  <Loggers><Root level="INFO"><AppenderRef ref="File"/></Root></Loggers>
</Configuration>
EOF
  cat > "$H/conf/server-logs.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="ERROR">
  <Appenders>
    <File name="Debug" fileName="$logs/debug.log"><PatternLayout pattern="%d{yyyy-MM-dd HH:mm:ss.SSSZ} %-5p [%c{1.}] %m%n"/></File>
  </Appenders>
  <Loggers><Root level="INFO"><AppenderRef ref="Debug"/></Root></Loggers>
</Configuration>
EOF
}

# -------------------------------------------------------------------------------------------- commands
stop_pid() {
  local pid="$1" i grace="${NEO4J_STOP_TIMEOUT:-60}"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 $((grace * 2))); do    # clean shutdown: checkpoint, close stores
    our_pid >/dev/null || break
    sleep 0.5
  done
  if our_pid >/dev/null; then
    note "no clean shutdown after ${grace}s, sending SIGKILL to $pid"
    kill -KILL "$pid" 2>/dev/null || true
    for i in $(seq 1 20); do our_pid >/dev/null || break; sleep 0.5; done
  fi
  rm -f "$PIDFILE" "$PORTFILE"
}

cmd_stop() {
  local pid
  if pid="$(our_pid)"; then
    stop_pid "$pid"
    echo "neo4j stopped (pid $pid)"
  else
    rm -f "$PIDFILE" "$PORTFILE"
    echo "neo4j not running"
  fi
}

cmd_status() {
  local pid
  if pid="$(our_pid)"; then
    echo "neo4j running at bolt://127.0.0.1:$(cat "$PORTFILE" 2>/dev/null || echo "$PORT") (pid $pid, version $(cat "$LIB/.complete" 2>/dev/null || echo '?'))"
    return 0
  fi
  echo "neo4j not running"
  return 3
}

cmd_start() {
  need_java
  mkdir -p "$RUN"
  exec 9>"$RUN/lock"
  command -v flock >/dev/null 2>&1 && flock 9     # serialise concurrent start/stop
  local pid t0 secs rc
  if pid="$(our_pid)"; then
    local port; port="$(cat "$PORTFILE" 2>/dev/null || echo "$PORT")"
    [ "$port" = "$PORT" ] || die "already running on port $port (requested $PORT); stop it first"
    if secs="$(wait_ready "$pid" "$(now)" 15)"; then
      echo "neo4j already running at bolt://127.0.0.1:$PORT (pid $pid)"
      return 0
    fi
    note "server pid $pid is not answering; restarting it"
    stop_pid "$pid"
  fi
  if port_open "$PORT"; then die "port 127.0.0.1:$PORT is already in use by another process"; fi
  fetch
  configure
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  local -a cmd=(
    "$JAVA" -Xms256m "-Xmx$HEAP"
    -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -XX:+ExitOnOutOfMemoryError
    -XX:+UnlockExperimentalVMOptions -XX:+TrustFinalNonStaticFields -XX:+DisableExplicitGC
    -Djdk.nio.maxCachedBufferSize=1024 -Dio.netty.tryReflectionSetAccessible=true
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
    -Dlog4j2.disable.jmx=true -Dfile.encoding=UTF-8 "-Djava.io.tmpdir=$H/tmp"
    -cp "$LIB/*" org.neo4j.server.CommunityEntryPoint
    "--home-dir=$H" "--config-dir=$H/conf" --console-mode
  )
  t0=$(now)
  if command -v setsid >/dev/null 2>&1; then
    setsid nohup "${cmd[@]}" </dev/null >"$OUT" 2>&1 9>&- &
  else
    nohup "${cmd[@]}" </dev/null >"$OUT" 2>&1 9>&- &
  fi
  pid=$!
  echo "$pid" > "$PIDFILE"
  echo "$PORT" > "$PORTFILE"
  rc=0; secs="$(wait_ready "$pid" "$t0" "$TIMEOUT")" || rc=$?
  if [ "$rc" != 0 ]; then
    show_logs
    if our_pid >/dev/null; then stop_pid "$pid"; else rm -f "$PIDFILE" "$PORTFILE"; fi
    die "start failed"
  fi
  echo "neo4j ready at bolt://127.0.0.1:$PORT (started in ${secs}s)"
}

cmd_import() {
  need_java
  mkdir -p "$RUN"
  if our_pid >/dev/null; then die "the server is running; stop it before a bulk import"; fi
  fetch
  NEO4J_KEEP_DATA=0 configure    # a fresh home: the import writes a new database
  local t0; t0=$(now)
  NEO4J_HOME="$H" NEO4J_CONF="$H/conf" "$JAVA" "-Xmx$HEAP" -Dfile.encoding=UTF-8 "-Djava.io.tmpdir=$H/tmp" \
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    -cp "$LIB/*" org.neo4j.cli.AdminTool database import full neo4j "--report-file=$RUN/import.report" "$@" >"$RUN/import.out" 2>&1 \
    || { tail -n 40 "$RUN/import.out" >&2; die "import failed (log: $RUN/import.out)"; }
  echo "neo4j import done in $(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}')s"
}

case "${1:-}" in
  start)  cmd_start ;;
  import) shift; cmd_import "$@" ;;
  stop)   cmd_stop ;;
  status) cmd_status ;;
  fetch)  need_java; fetch; echo "neo4j $NEO4J_VERSION: $(ls "$LIB"/*.jar | wc -l) jars in $LIB" ;;
  *) echo "usage: $0 start|stop|status|fetch|import" >&2; exit 64 ;;
esac
