#!/usr/bin/env bash
# Autoscaling trace replay: every shipped trace (bench/traces/*.csv) through every controller — the Kubernetes HPA,
# KEDA and Knative KPA algorithms re-implemented on Aether's controller SPI, and Layer 1 when it is built — and
# prints the per-controller table and the ratios against HPA and KPA. Extra arguments go to AutoscaleBench
# (e.g. --trace my-trace.csv, --controller name=CLASS@PERIOD_S, --gate CLASS).
# Regenerate a shipped trace: ... AutoscaleBench --generate step --seed 42 --out bench/traces/step.csv
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B install -DskipTests -pl bench/autoscale -am
./mvnw -q -B -pl bench/autoscale dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
cp="bench/autoscale/target/classes:$(cat bench/autoscale/target/classpath.txt)"
java -cp "$cp" io.aether.bench.autoscale.AutoscaleBench --traces bench/traces "$@"
