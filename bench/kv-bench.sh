#!/usr/bin/env bash
# KV benchmark: a 3-node etcd cluster (Debian's etcd-server, fsync on) and a 3-node Aether cluster on
# loopback, driven by the same Java load generator (jetcd / KvClient), 256-byte values. Prints both,
# the ratios, and each system's longest write gap when one node is SIGKILLed mid-run (etcd: its leader).
#   CLIENTS  concurrency levels (default 200,1000)     SECONDS_PER_PHASE  per phase (default 10)
#   WARMUP_SECONDS  unmeasured writes at each concurrency before its phases, the same for both systems, over a
#                   fixed set of 10,000 keys so the store does not grow (default 30: the JVMs' JIT settles)
#   AETHER_JFR=DIR  record JFR (settings=profile, every fsync) on the three Aether nodes through their first
#                   warm-up and first measured write phase: DIR/node-N.jfr
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${CLIENTS:-200,1000}
seconds=${SECONDS_PER_PHASE:-10}
warmup=${WARMUP_SECONDS:-30}

if ! command -v etcd >/dev/null 2>&1; then
  echo "installing etcd-server and etcd-client (Debian packages) ..."
  apt-get update -q && apt-get install -y -q etcd-server etcd-client
fi
# Build in one reactor (package, not install: the local repository may be shared); the class paths then
# point at the reactor's own jars.
./mvnw -q -B -o package dependency:build-classpath -DskipTests -Daether.offline.protocols=file \
  -Dmdep.outputFile=target/classpath.txt -pl bench,bench/etcd,bench/loadgen,deployment -am
jfr_dir=${AETHER_JFR:-}
[[ -z "$jfr_dir" ]] || { mkdir -p "$jfr_dir"; jfr_dir=$(cd "$jfr_dir" && pwd); }

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

cluster=""; endpoints=""
for i in 0 1 2; do
  cluster+="${cluster:+,}e$i=http://127.0.0.1:$((23800 + i))"
  endpoints+="${endpoints:+,}http://127.0.0.1:$((23790 + i))"
done
for i in 0 1 2; do
  etcd --name "e$i" --data-dir "$work/etcd$i" \
    --listen-client-urls "http://127.0.0.1:$((23790 + i))" --advertise-client-urls "http://127.0.0.1:$((23790 + i))" \
    --listen-peer-urls "http://127.0.0.1:$((23800 + i))" --initial-advertise-peer-urls "http://127.0.0.1:$((23800 + i))" \
    --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token bench \
    >"$work/etcd$i.log" 2>&1 &
  pids+=($!); etcd_pids[$i]=$!
done

peers=""; aether=""
for i in 0 1 2; do
  peers+="${peers:+,}node-$i@127.0.0.1:$((17100 + i))"
  aether+="${aether:+,}127.0.0.1:$((17100 + i))"
done
mkdir "$work/slices" # the KV benchmark deploys no slices: an empty slice repository
for i in 0 1 2; do
  java -Xmx2g -Daether.kv.max-data-bytes=$((512 << 20)) -Daether.node.id="node-$i" -Daether.cluster.peers="$peers" -Daether.cluster.peer-host=127.0.0.1 \
    -Daether.cluster.peer-port=$((17100 + i)) -Daether.cluster.call-port=$((17300 + i)) -Daether.data-dir="$work/aether$i" -Daether.slices.repositories="file:$work/slices" -Dquarkus.http.port=$((18080 + i)) \
    -jar deployment/target/quarkus-app/quarkus-run.jar >"$work/aether$i.log" 2>&1 &
  pids+=($!); aether_pids[$i]=$!
done

deadline=$((SECONDS + 60))
for i in 0 1 2; do
  until curl -fsS "http://127.0.0.1:$((18080 + i))/q/health/ready" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { echo "aether node-$i not ready; log:" >&2; cat "$work/aether$i.log" >&2; exit 1; }
    sleep 0.2
  done
done
until ETCDCTL_API=3 etcdctl --endpoints="$endpoints" endpoint health >/dev/null 2>&1; do
  ((SECONDS < deadline)) || { echo "etcd not healthy" >&2; cat "$work/etcd0.log" >&2; exit 1; }
  sleep 0.2
done

leader_index=$(ETCDCTL_API=3 etcdctl --endpoints="$endpoints" endpoint status -w json | python3 -c '
import json, sys
s = json.load(sys.stdin)
for i, e in enumerate(s):
    if e["Status"]["header"]["member_id"] == e["Status"]["leader"]:
        print(i)')
echo "etcd leader: e$leader_index (pid ${etcd_pids[$leader_index]}); aether node killed: node-1 (pid ${aether_pids[1]})"

java -Xmx2g -cp "bench/etcd/target/classes:$(cat bench/etcd/target/classpath.txt)" io.aether.bench.etcd.EtcdLoad \
  "$endpoints" --clients "$clients" --seconds "$seconds" --warmup-seconds "$warmup" --value-bytes 256 \
  --kill-pid "${etcd_pids[$leader_index]}" --out "$work/etcd.tsv"
if [[ -n "$jfr_dir" ]]; then
  # JDK's "profile" settings, but every fsync recorded (not only those over 10 ms): the WAL's group commit
  # is what a write waits for.
  java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  sed '/<event name="jdk.FileForce">/,/<\/event>/ s|>10 ms<|>0 ms<|' "$java_home/lib/jfr/profile.jfc" >"$work/bench.jfc"
  jcmds=()
  for i in 0 1 2; do
    jcmd "${aether_pids[$i]}" JFR.start name=bench settings="$work/bench.jfc" duration=$((seconds + warmup + 4))s \
      filename="$jfr_dir/node-$i.jfr" >/dev/null &
    jcmds+=($!)
  done
  wait "${jcmds[@]}"
fi
java -Xmx2g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.aether.bench.AetherLoad \
  "$aether" --clients "$clients" --seconds "$seconds" --warmup-seconds "$warmup" --value-bytes 256 \
  --kill-pid "${aether_pids[1]}" --out "$work/aether.tsv"
echo
java -cp "bench/loadgen/target/classes:$(cat bench/target/classpath.txt)" io.aether.bench.load.Compare \
  "$work/aether.tsv" "$work/etcd.tsv"
