#!/usr/bin/env bash
# The embedded default stack: a Kafka broker (KRaft) on 127.0.0.1:9092 and an S3-compatible server
# (s3proxy, filesystem backend) on 127.0.0.1:9000, each a separate JVM started from Maven artifacts.
#
#   deploy/local/local-stack.sh start [options]   start in the background, wait until ready
#   deploy/local/local-stack.sh stop              stop (data kept)
#   deploy/local/local-stack.sh status            print the endpoints when running (exit 3 when not)
#   deploy/local/local-stack.sh run [options]     run in the foreground (Ctrl-C stops)
#
# Options (passed to org.musicgen.localstack.LocalStackMain): --kafka-port N, --s3-port N,
# --access-key K, --secret-key S. Data directory: $MUSICGEN_DATA_DIR, default <repository>/.local-stack.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
launcher="$root/deploy/local/launcher"

data_dir="${MUSICGEN_DATA_DIR:-$root/.local-stack}"
case "$data_dir" in /*) ;; *) data_dir="$(pwd)/$data_dir" ;; esac
pid_file="$data_dir/local-stack.pid"
ready_file="$data_dir/local-stack.ready"
log_file="$data_dir/logs/local-stack.log"
start_timeout="${LOCAL_STACK_START_TIMEOUT:-240}"

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java_cmd="$JAVA_HOME/bin/java"; else java_cmd=java; fi

# Prints the launcher's classpath when every entry of it exists.
launcher_classpath() {
  local cp_file="$launcher/target/local-stack.classpath" classes="$launcher/target/classes" entry
  [ -f "$cp_file" ] && [ -f "$classes/org/musicgen/localstack/LocalStackMain.class" ] || return 1
  local cp; cp="$(cat "$cp_file")"
  local IFS=':'
  for entry in $cp; do [ -e "$entry" ] || return 1; done
  printf '%s:%s' "$classes" "$cp"
}

ensure_built() {
  if ! launcher_classpath >/dev/null; then
    echo "local-stack: building the launcher (./mvnw -q -pl deploy/local/launcher -am install -DskipTests)" >&2
    (cd "$root" && ./mvnw -B -q -pl deploy/local/launcher -am install -DskipTests) >&2
    launcher_classpath >/dev/null || { echo "local-stack: build did not produce the launcher classpath" >&2; exit 1; }
  fi
}

running_pid() {
  [ -f "$pid_file" ] || return 1
  local pid; pid="$(cat "$pid_file" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

cmd_start() {
  local pid
  if pid="$(running_pid)"; then
    echo "local-stack: already running (pid $pid)"; cmd_status; return 0
  fi
  ensure_built
  mkdir -p "$data_dir/logs"
  rm -f "$ready_file"
  local cp; cp="$(launcher_classpath)"
  nohup "$java_cmd" -Xmx128m -cp "$cp" org.musicgen.localstack.LocalStackMain run --data-dir "$data_dir" "$@" \
    >>"$log_file" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$pid_file"
  echo "local-stack: starting (pid $pid, log $log_file)"
  local waited=0
  while [ ! -f "$ready_file" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "local-stack: failed to start; tail of $log_file:" >&2
      tail -n 40 "$log_file" >&2
      rm -f "$pid_file"
      exit 1
    fi
    if [ "$waited" -ge "$((start_timeout * 2))" ]; then
      echo "local-stack: not ready after ${start_timeout}s; stopping it. Tail of $log_file:" >&2
      tail -n 40 "$log_file" >&2
      cmd_stop >&2 || true
      exit 1
    fi
    sleep 0.5; waited=$((waited + 1))
  done
  cmd_status
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    echo "local-stack: not running"; rm -f "$pid_file"; return 0
  fi
  kill -TERM "$pid"
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge 120 ]; then
      echo "local-stack: pid $pid did not stop within 60 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.5; waited=$((waited + 1))
  done
  rm -f "$pid_file" "$ready_file"
  echo "local-stack: stopped (data kept in $data_dir)"
}

cmd_status() {
  local pid
  if pid="$(running_pid)" && [ -f "$ready_file" ]; then
    echo "local-stack: running (pid $pid)"
    sed 's/^/  /' "$ready_file"
  elif pid="$(running_pid)"; then
    echo "local-stack: starting (pid $pid), not ready yet"; return 3
  else
    echo "local-stack: not running"; return 3
  fi
}

cmd_run() {
  ensure_built
  local cp; cp="$(launcher_classpath)"
  exec "$java_cmd" -Xmx128m -cp "$cp" org.musicgen.localstack.LocalStackMain run --data-dir "$data_dir" "$@"
}

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
  start) cmd_start "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  run) cmd_run "$@" ;;
  *) echo "usage: $0 start|stop|status|run [--kafka-port N] [--s3-port N] [--access-key K] [--secret-key S]" >&2; exit 2 ;;
esac
