#!/usr/bin/env bash
# Herald and NATS side by side, measured alternately in one run with the same harness (herald bench latency):
# the latency scenario (distinct topics, one publisher at a fixed rate) and the fan-out scenario (every connection on
# one topic). Starts ./herald up and the NATS peer on loopback, stops both afterwards. Results (JSON, PNG) in $OUT.
# usage: benchmarks/scripts/herald-vs-nats.sh [rounds, default 2] [seconds per run, default 10]
set -eu
cd "$(dirname "$0")/../.."
ROUNDS=${1:-2}; SECONDS_PER_RUN=${2:-10}
OUT=${OUT:-/tmp/herald-vs-nats}; mkdir -p "$OUT"
. benchmarks/scripts/lib.sh
benchmarks/scripts/nats-peer.sh start 7522
start_herald
run() { # target url scenario round
  local args="--connections 100 --subscriptions 1000 --rate 1000"
  [ "$3" = fanout ] && args="--fanout --connections 100 --rate 200"
  $HERALD bench latency --target "$1" --url "$2" $args --warmup 5 --seconds "$SECONDS_PER_RUN" \
    --json "$OUT/$3-$1-$4.json" 2> /dev/null
}
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
node -e '
const fs = require("fs"); const dir = process.argv[1];
for (const scenario of ["latency", "fanout"]) {
  const files = fs.readdirSync(dir).filter(f => f.startsWith(scenario + "-") && f.endsWith(".json")).sort();
  const get = t => files.filter(f => f.includes("-" + t + "-")).map(f => JSON.parse(fs.readFileSync(dir + "/" + f)).latency);
  const h = get("herald"), n = get("nats");
  const med = (xs, k) => { const s = xs.map(x => x[k]).sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  for (const k of ["p50Us", "p99Us", "p99_9Us"]) {
    console.log(`${scenario} ${k}: herald ${med(h, k).toFixed(0)} us, nats ${med(n, k).toFixed(0)} us, herald/nats ${(med(h, k) / med(n, k)).toFixed(2)} (runs: herald ${h.map(x => x[k].toFixed(0))}, nats ${n.map(x => x[k].toFixed(0))})`);
  }
  console.log(`${scenario} delivered: herald ${h.map(x => x.count)}, nats ${n.map(x => x.count)}`);
}' "$OUT"
echo "plots: $OUT/latency.png $OUT/fanout.png"
