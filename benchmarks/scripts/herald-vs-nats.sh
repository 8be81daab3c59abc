#!/usr/bin/env bash
# Herald and NATS side by side, measured alternately in one run with the same harness (herald bench latency):
# the latency scenario (distinct topics, one publisher at a fixed rate) and the fan-out scenario (every connection on
# one topic). Starts ./herald up and the NATS peer on loopback, stops both afterwards. Results (JSON, PNG) in $OUT.
# usage: benchmarks/scripts/herald-vs-nats.sh [rounds, default 2] [seconds per run, default 10]
# (DOCUMENT_BYTES=2048 in the environment: 2 KB documents)
set -eu
cd "$(dirname "$0")/../.."
ROUNDS=${1:-2}; SECONDS_PER_RUN=${2:-10}
OUT=${OUT:-/tmp/herald-vs-nats}; mkdir -p "$OUT"
. benchmarks/scripts/lib.sh
benchmarks/scripts/nats-peer.sh start 7522
start_herald
for r in $(seq 1 "$ROUNDS"); do
  for scenario in latency fanout; do
    run herald ws://127.0.0.1:7512 $scenario "$r"
    run nats ws://127.0.0.1:7522 $scenario "$r"
  done
done
for scenario in latency fanout; do
  $HERALD bench plot --title "$scenario: Herald vs NATS (same harness, same box)" --out "$OUT/$scenario.png" \
    "$OUT/$scenario-herald-1.json" "$OUT/$scenario-nats-1.json" > /dev/null
done
summarize herald herald nats nats
echo "plots: $OUT/latency.png $OUT/fanout.png"
