#!/usr/bin/env bash
# Deliveries per second, Herald and NATS alternately through the same harness (herald bench fanout): 1k and 10k
# subscribers on one topic, 4 publishers publishing as fast as each server answers. Starts ./herald up and the
# NATS peer on loopback, stops both afterwards. Results (JSON) in $OUT.
# usage: benchmarks/scripts/fanout-vs-nats.sh [rounds, default 2] [seconds per run, default 10]
# (DOCUMENT_BYTES=2048 in the environment: 2 KB documents)
set -u
cd "$(dirname "$0")/../.."
ROUNDS=${1:-2}; SECONDS_PER_RUN=${2:-10}
OUT=${OUT:-/tmp/herald-fanout}; mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)"
. benchmarks/scripts/lib.sh
benchmarks/scripts/nats-peer.sh start 7522
start_herald
HERALD_PID=$(pgrep -f "herald.jar up" | head -1); NATS_PID=$(cat /tmp/herald-nats-peer/pid)
for r in $(seq 1 "$ROUNDS"); do
  for n in 1000 10000; do
    # a failed run is reported and the next one goes on: the table shows what failed instead of stopping there
    # each line is followed by the server's CPU per delivery: NATS packs many messages per WebSocket frame
    # (deliveries_per_frame), which costs the harness, on the same cores, less per delivery than Kuzzle's one per frame
    cpu_per_delivery "$HERALD_PID" "$OUT/herald-$n-$r.json" \
      $HERALD bench fanout --target herald --url ws://127.0.0.1:7512 --subscribers $n --seconds "$SECONDS_PER_RUN" \
      $DOCUMENT_ARGS --json "$OUT/herald-$n-$r.json" 2>> "$OUT/harness.log" || echo "herald $n subscribers, round $r: failed (see $OUT/harness.log)"
    cpu_per_delivery "$NATS_PID" "$OUT/nats-$n-$r.json" \
      $HERALD bench fanout --target nats --url ws://127.0.0.1:7522 --subscribers $n --seconds "$SECONDS_PER_RUN" \
      $DOCUMENT_ARGS --json "$OUT/nats-$n-$r.json" 2>> "$OUT/harness.log" || echo "nats $n subscribers, round $r: failed (see $OUT/harness.log)"
  done
done
