#!/usr/bin/env bash
# Start-up time and idle RSS of an Aether node vs a bare Quarkus app with the same extensions,
# measured alternately in the same run. Prints each run and the ratios (Aether / bare).
#   RUNS  number of starts of each app (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
node_jar=deployment/target/quarkus-app/quarkus-run.jar
bare_jar=bench/bare-quarkus/target/quarkus-app/quarkus-run.jar
if [[ ! -f $node_jar || ! -f $bare_jar ]]; then
  ./mvnw -q -B install -DskipTests
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# measure JAR EXTRA_ARGS... -> prints "start_ms rss_mb"
measure() {
  local jar=$1; shift
  local port=18080
  local t0 t1 pid rss
  t0=$(date +%s%N)
  java -Xmx256m -Dquarkus.http.port=$port "$@" -jar "$jar" >"$work/out.log" 2>&1 &
  pid=$!
  until curl -fsS "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; do
    kill -0 $pid 2>/dev/null || { cat "$work/out.log" >&2; exit 1; }
    sleep 0.01
  done
  t1=$(date +%s%N)
  # Idle RSS: after start-up and one request settle.
  curl -fsS "http://127.0.0.1:$port/q/health/live" >/dev/null
  sleep 2
  rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  kill -TERM $pid; wait $pid 2>/dev/null || true
  echo "$(( (t1 - t0) / 1000000 )) $(( rss / 1024 ))"
}

node_args=(-Daether.node.id=bench -Daether.data-dir="$work/data" -Daether.cluster.peer-host=127.0.0.1
           -Daether.cluster.peer-port=17100)
node_start=0; node_rss=0; bare_start=0; bare_rss=0
for ((r = 1; r <= runs; r++)); do
  read -r ns nr < <(measure "$node_jar" "${node_args[@]}")
  read -r bs br < <(measure "$bare_jar")
  echo "run $r: aether ${ns} ms ${nr} MB | bare ${bs} ms ${br} MB"
  node_start=$((node_start + ns)); node_rss=$((node_rss + nr))
  bare_start=$((bare_start + bs)); bare_rss=$((bare_rss + br))
done
awk -v ns=$node_start -v nr=$node_rss -v bs=$bare_start -v br=$bare_rss -v n=$runs 'BEGIN {
  printf "mean start: aether %.0f ms, bare %.0f ms, ratio %.2f\n", ns/n, bs/n, ns/bs
  printf "mean idle RSS: aether %.0f MB, bare %.0f MB, ratio %.2f\n", nr/n, br/n, nr/br }'
