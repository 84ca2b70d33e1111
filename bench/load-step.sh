#!/usr/bin/env bash
# Layer 1's reaction to a load step on a real local cluster (3 core nodes on loopback, as ./aether-local runs
# them): deploys one slice at 1 instance (min 1, max 8, SLO p99 300 ms), measures one instance's capacity, offers
# 70 % of it open-loop until L1 holds steady, then steps the offered rate to 3× and reports the time from the step
# to the scale-up committed in the KV (the L1 `applied` receipt, cross-checked with the BlueprintChanged event and
# a read of the blueprint) and to the new instances ACTIVE and serving, with p99 before, during and after. Each
# run starts a fresh cluster (L1 and the metrics window start empty) and stops it on exit. Node data and logs:
# bench/target/load-step/run-N/; per-run summaries: .../summary.tsv.
#   SLICE       paced (default): bench/paced-slice, one call at a time per instance, SERVICE_MS each and no CPU,
#               so an instance's capacity (1000/SERVICE_MS calls/s) does not depend on the machine and L1 is told
#               it (aether.controller.l1.capacity-per-instance: L1 cannot estimate it from CPU for such a slice);
#               cruncher: the CPU-bound example, WORK SHA-256 rounds per call, L1 estimating capacity from CPU.
#               On a 2-core machine one cruncher instance already uses every core (CompletableFuture.supplyAsync
#               starts a thread per call when the common pool has 1 thread), so more instances add no capacity.
#   RUNS        runs (default 1)          FACTOR  step size in single-instance capacities (default 3)
#   SERVICE_MS  paced: ms per call (default 20)      WORK  cruncher: SHA-256 rounds per call (default 50000)
#   STEP_SECONDS  how long the stepped load runs (default 30)
#   PORT_BASE   ports: HTTP base+80.., peer base+100.., calls base+200.. (default 19000)
#   AETHER_SKIP_BUILD=1  reuse the last build (deployment/target/quarkus-app, bench/target/classes)
set -euo pipefail
cd "$(dirname "$0")/.."
slice=${SLICE:-paced}
runs=${RUNS:-1}
factor=${FACTOR:-3}
service_ms=${SERVICE_MS:-20}
work=${WORK:-50000}
step_seconds=${STEP_SECONDS:-30}
base=${PORT_BASE:-19000}
out=bench/target/load-step
jar=deployment/target/quarkus-app/quarkus-run.jar

if [[ "${AETHER_SKIP_BUILD:-0}" != 1 || ! -f $jar || ! -d bench/target/classes ]]; then
  ./mvnw -q -B package -DskipTests
fi
if [[ ! -f bench/target/classpath.txt ]]; then
  ./mvnw -q -B -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
fi
# This checkout's classes first; the third-party jars from the resolved class path.
cp="bench/target/classes:bench/loadgen/target/classes:core/target/classes:slice-api/target/classes"
cp+=":$(tr ':' '\n' <bench/target/classpath.txt | grep -v '/io/aether/' | paste -sd: -)"
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)

# The paced bench slice, published into a directory repository in Maven layout (release 1.0, parent-less pom,
# .sha1 checksums: the node's resolver fails without them).
repo=bench/target/slice-repository
classes=bench/target/paced-slice
rm -rf "$classes" "$repo"
mkdir -p "$classes/META-INF/services" "$repo/io/aether/bench/paced/1.0"
javac --release 17 -cp slice-api/target/classes -d "$classes" bench/paced-slice/io/aether/bench/paced/PacedSlice.java
echo io.aether.bench.paced.PacedSlice >"$classes/META-INF/services/io.aether.slice.api.Slice"
jar --create --file "$repo/io/aether/bench/paced/1.0/paced-1.0.jar" -C "$classes" .
cat >"$repo/io/aether/bench/paced/1.0/paced-1.0.pom" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.aether.bench</groupId>
  <artifactId>paced</artifactId>
  <version>1.0</version>
</project>
POM
for f in "$repo"/io/aether/bench/paced/1.0/paced-1.0.{jar,pom}; do sha1sum "$f" | cut -d' ' -f1 | tr -d '\n' >"$f.sha1"; done

case $slice in
  paced)
    artifact=io.aether.bench:paced:1.0
    body='{}'
    config="\"config\":{\"serviceMs\":\"$service_ms\"},"
    controller=(-Daether.controller.l1.capacity-per-instance=$((1000 / service_ms)))
    ;;
  cruncher)
    artifact="io.aether.examples:cruncher:$version"
    body="{\"work\":$work}"
    config=""
    controller=()
    ;;
  *) echo "SLICE must be paced or cruncher, not '$slice'" >&2; exit 1 ;;
esac

mkdir -p "$out"
rm -f "$out/summary.tsv"
pids=()
stop_cluster() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  pids=()
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

await() { # URL WHAT
  local deadline=$((SECONDS + 60))
  until curl -fsS "$1" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { echo "$2 not up within 60 s ($1)" >&2; exit 1; }
    sleep 0.2
  done
}

for port in $((base + 80)) $((base + 100)) $((base + 200)); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use; set PORT_BASE to a free range" >&2
    exit 1
  fi
done

peers="node-0@127.0.0.1:$((base + 100)),node-1@127.0.0.1:$((base + 101)),node-2@127.0.0.1:$((base + 102))"
urls="http://127.0.0.1:$((base + 80)),http://127.0.0.1:$((base + 81)),http://127.0.0.1:$((base + 82))"
blueprint="{\"v\":1,\"slices\":[{\"artifact\":\"$artifact\",\"instances\":1,\"min\":1,\"max\":8,$config
  \"slo\":{\"p99Ms\":300,\"errorRate\":0.01},\"routes\":[{\"method\":\"POST\",\"path\":\"/step\",\"entry\":\"handle\"}]}]}"

for ((run = 1; run <= runs; run++)); do
  dir="$out/run-$run"
  rm -rf "$dir"
  mkdir -p "$dir"
  started=$SECONDS
  for i in 0 1 2; do
    java -Xmx256m -Daether.node.id="node-$i" -Daether.node.role=core -Daether.cluster.peers="$peers" \
      -Daether.cluster.peer-host=127.0.0.1 -Daether.cluster.peer-port=$((base + 100 + i)) \
      -Daether.cluster.call-port=$((base + 200 + i)) -Daether.slices.repositories=file:examples/target/slice-repository,file:$repo \
      -Daether.data-dir="$dir/node-$i" -Dquarkus.http.port=$((base + 80 + i)) "${controller[@]}" \
      -Dquarkus.log.console.json.enabled=false -jar "$jar" >"$dir/node-$i.log" 2>&1 &
    pids+=($!)
  done
  for i in 0 1 2; do await "http://127.0.0.1:$((base + 80 + i))/q/health/ready" "node-$i"; done
  curl -fsS -X PUT -H 'Content-Type: application/json' --data "$blueprint" \
    "http://127.0.0.1:$((base + 80))/api/v1/blueprints/bench/step" >/dev/null
  deadline=$((SECONDS + 60))
  until curl -fsS -X POST --data "$body" "http://127.0.0.1:$((base + 82))/step" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { echo "$artifact not serving within 60 s; see $dir/node-N.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "run $run: cluster up and $artifact serving after $((SECONDS - started)) s"
  java -Xmx512m -cp "$cp" io.aether.bench.LoadStep --nodes "$urls" --blueprint bench/step \
    --artifact "$artifact" --path /step --body "$body" --factor "$factor" \
    --step-seconds "$step_seconds" --run "$run" --out "$out/summary.tsv" | tee "$dir/load-step.txt"
  stop_cluster
  echo "run $run took $((SECONDS - started)) s"
done
java -cp "$cp" io.aether.bench.LoadStep --summarise "$out/summary.tsv"
