#!/usr/bin/env bash
# Autoscaling trace replay: every shipped trace (bench/traces/*.csv) through every controller — the Kubernetes HPA,
# KEDA and Knative KPA algorithms re-implemented on Aether's controller SPI, and Layer 1 — and prints the
# per-controller table and the ratios against HPA and KPA. Extra arguments go to AutoscaleBench
# (e.g. --trace my-trace.csv, --controller name=CLASS@PERIOD_S, --gate CLASS).
# --eval evaluates the AI layers instead: each trace once as l1, l1+l2 and l1+l2+l3, against an in-process scripted
# policy server speaking the Ollama and OpenAI protocols, or real endpoints named by AETHER_EVAL_OLLAMA_URL (L2) and
# AETHER_EVAL_OPENAI_URL + OPENAI_API_KEY (L3); see docs/benchmarks.md.
# Regenerate a shipped trace: ... AutoscaleBench --generate step --seed 42 --out bench/traces/step.csv
set -euo pipefail
cd "$(dirname "$0")/.."
# One reactor build: the bench runs on this checkout's modules, and nothing is installed into ~/.m2.
./mvnw -q -B package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -DskipTests \
  -pl bench/autoscale -am
cp="bench/autoscale/target/classes:$(cat bench/autoscale/target/classpath.txt)"
java -cp "$cp" io.aether.bench.autoscale.AutoscaleBench --traces bench/traces "$@"
