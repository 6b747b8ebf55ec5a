#!/usr/bin/env bash
# A real open-source MLflow 2.22 server (../shared/mlflow-server beside the clone) for the MLflow
# contract and differential tests, the real-MLflow e2e spec, and trying Switchboard against it.
#   start [DIR] [PORT]  start it (default: a new temporary DIR, a free PORT); prints `export MLFLOW_CONTRACT_URL=...`
#   stop DIR            stop the server started with DIR
#   test                run the MLflow contract and differential suites against it (and the sandbox),
#                       against $MLFLOW_CONTRACT_URL if set, else a server started and stopped here
# MLFLOW_SERVER_DIR overrides where the server package is (default: ../shared/mlflow-server).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
server_dir=${MLFLOW_SERVER_DIR:-$root/../shared/mlflow-server}

free_port() { node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'; }

start() {
  if [ ! -x "$server_dir/start.sh" ]; then
    echo "No MLflow server package at $server_dir (expected ../shared/mlflow-server beside the clone, with start.sh)." >&2
    echo "Set MLFLOW_SERVER_DIR to where it is, or point MLFLOW_CONTRACT_URL at a running MLflow server." >&2
    exit 1
  fi
  local dir=${1:-$(mktemp -d /tmp/switchboard-mlflow.XXXXXX)} port=${2:-$(free_port)}
  # start.sh prints MLFLOW_URL=...; its progress goes to stderr so the output can be eval'd.
  "$server_dir/start.sh" "$port" "$dir" >&2
  echo "export MLFLOW_CONTRACT_URL=http://127.0.0.1:$port MLFLOW_SERVER_DATA=$dir"
}

stop() {
  local pid_file="$1/server.pid"
  [ -f "$pid_file" ] || return 0
  # The server runs in its own session (setsid): the minus sign ends gunicorn's workers too.
  kill -TERM -- "-$(cat "$pid_file")" 2>/dev/null || true
  rm -f "$pid_file"
}

contract_tests() {
  cd "$root"
  if [ -n "${MLFLOW_CONTRACT_URL:-}" ]; then
    echo "Using the MLflow server at $MLFLOW_CONTRACT_URL" >&2
  else
    eval "$(start)"
    trap 'stop "$MLFLOW_SERVER_DATA"' EXIT
  fi
  npx vitest run lib/clients/mlflow sandbox/mlflow/differential.int.test.ts
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop "${2:?usage: mlflow-server.sh stop DIR}" ;;
  test) contract_tests ;;
  *) sed -n '2,8p' "$0" >&2; exit 2 ;;
esac
