#!/usr/bin/env bash
# Router benchmark: calls/s and latency of the example greeting slice's `greet` entry point through the Aether
# router (instance on the called node, and one remote hop away) against a bare Quarkus REST endpoint doing the
# same work, with the same load generator in the same run; then the time from publishing a blueprint of 10
# instances on 3 nodes to all of them ACTIVE and serving.
#   CLIENTS  concurrent callers (default 64)     SECONDS  per phase (default 10)     RUNS  deploy runs (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${CLIENTS:-64}
seconds=${SECONDS_PER_PHASE:-10}
runs=${RUNS:-3}

./mvnw -q -B install -DskipTests
./mvnw -q -B -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
cp="bench/target/classes:$(cat bench/target/classpath.txt)"

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

await() { # URL
  local deadline=$((SECONDS + 60))
  until curl -fsS "$1" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { echo "not up within 60 s: $1" >&2; exit 1; }
    sleep 0.1
  done
}

java -Xmx512m -Dquarkus.http.port=18090 -jar bench/bare-quarkus/target/quarkus-app/quarkus-run.jar \
  >"$work/bare.log" 2>&1 &
pids+=($!)
peers="node-0@127.0.0.1:17100,node-1@127.0.0.1:17101,node-2@127.0.0.1:17102"
for i in 0 1 2; do
  java -Xmx512m -Daether.node.id="node-$i" -Daether.cluster.peers="$peers" -Daether.cluster.peer-host=127.0.0.1 \
    -Daether.cluster.peer-port=$((17100 + i)) -Daether.cluster.call-port=$((17200 + i)) \
    -Daether.data-dir="$work/node-$i" -Daether.slices.repositories=file:examples/target/slice-repository \
    -Dquarkus.http.port=$((18080 + i)) -Dquarkus.log.console.json.enabled=false \
    -jar deployment/target/quarkus-app/quarkus-run.jar >"$work/node-$i.log" 2>&1 &
  pids+=($!)
done
await http://127.0.0.1:18090/q/health/ready
for i in 0 1 2; do await "http://127.0.0.1:$((18080 + i))/q/health/ready"; done

version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
artifact="io.aether.examples:greeting:$version"
curl -fsS -X PUT -H 'Content-Type: application/json' http://127.0.0.1:18080/api/v1/blueprints/bench/router \
  --data "{\"v\":1,\"slices\":[{\"artifact\":\"$artifact\",\"instances\":1,\"min\":1,\"max\":1,
           \"routes\":[{\"method\":\"POST\",\"path\":\"/greet\",\"entry\":\"greet\"}]}]}" >/dev/null
host_node=""
deadline=$((SECONDS + 60))
until [[ -n "$host_node" ]]; do
  ((SECONDS < deadline)) || { echo "the greeting instance did not become ACTIVE within 60 s" >&2; exit 1; }
  host_node=$(curl -fsS http://127.0.0.1:18080/api/v1/endpoints | python3 -c '
import json, sys
items = json.load(sys.stdin)["items"]
print(next((e["node"] for e in items if e["entry"] == "greet" and e["state"] == "ACTIVE"), ""))')
  sleep 0.1
done
local_index=${host_node#node-}
remote_index=$(( (local_index + 1) % 3 ))
echo "greeting runs on $host_node: local = node-$local_index, remote hop = through node-$remote_index"
await_post() { until curl -fsS -X POST --data '{"name":"x"}' "$1" >/dev/null 2>&1; do sleep 0.1; done; }
await_post "http://127.0.0.1:$((18080 + remote_index))/greet"

java -Xmx1g -cp "$cp" io.aether.bench.RouterBench --clients "$clients" --seconds "$seconds" \
  --bare http://127.0.0.1:18090/greet \
  --local "http://127.0.0.1:$((18080 + local_index))/greet" \
  --remote "http://127.0.0.1:$((18080 + remote_index))/greet"

curl -fsS -X DELETE http://127.0.0.1:18080/api/v1/blueprints/bench/router >/dev/null
java -cp "$cp" -Daether.version="$version" io.aether.bench.DeployBench http://127.0.0.1:18080 --instances 10 \
  --runs "$runs"
