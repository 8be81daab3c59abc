#!/usr/bin/env bash
# Herald's MQTT listener and mosquitto side by side, measured alternately in one run with the same harness (herald
# bench latency over MQTT 3.1.1/TCP): the latency scenario (1,000 topics over 100 connections, one publisher at
# 1,000/s) and the fan-out scenario (100 connections on one topic, 200/s). Herald gets Kuzzle requests on
# Kuzzle/request and `equals` filters; mosquitto the topic-equivalent (a topic per filter). Starts ./herald up and
# mosquitto on loopback, stops both afterwards. Results (JSON) in $OUT.
# usage: benchmarks/scripts/mqtt-vs-mosquitto.sh [rounds, default 2] [seconds per run, default 10]
set -eu
cd "$(dirname "$0")/../.."
ROUNDS=${1:-2}; SECONDS_PER_RUN=${2:-10}
OUT=${OUT:-/tmp/herald-vs-mosquitto}; mkdir -p "$OUT"
. benchmarks/scripts/lib.sh
benchmarks/scripts/mosquitto-peer.sh start 1884
start_herald
run() { # target url scenario round
  local args="--connections 100 --subscriptions 1000 --rate 1000"
  [ "$3" = fanout ] && args="--fanout --connections 100 --rate 200"
  $HERALD bench latency --target "$1" --url "$2" $args --warmup 5 --seconds "$SECONDS_PER_RUN" \
    --json "$OUT/$3-$1-$4.json" 2> /dev/null
}
for r in $(seq 1 "$ROUNDS"); do
  for scenario in latency fanout; do
    run mqtt mqtt://127.0.0.1:1883 $scenario "$r"
    run mqtt-broker mqtt://127.0.0.1:1884 $scenario "$r"
  done
done
node -e '
const fs = require("fs"); const dir = process.argv[1];
for (const scenario of ["latency", "fanout"]) {
  const files = fs.readdirSync(dir).filter(f => f.startsWith(scenario + "-") && f.endsWith(".json")).sort();
  const get = t => files.filter(f => new RegExp("^" + scenario + "-" + t + "-[0-9]+\\.json$").test(f)).map(f => JSON.parse(fs.readFileSync(dir + "/" + f)).latency);
  const h = get("mqtt"), m = get("mqtt-broker");
  const med = (xs, k) => { const s = xs.map(x => x[k]).sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  for (const k of ["p50Us", "p99Us", "p99_9Us"]) {
    console.log(`${scenario} ${k}: herald-mqtt ${med(h, k).toFixed(0)} us, mosquitto ${med(m, k).toFixed(0)} us, herald/mosquitto ${(med(h, k) / med(m, k)).toFixed(2)} (runs: herald ${h.map(x => x[k].toFixed(0))}, mosquitto ${m.map(x => x[k].toFixed(0))})`);
  }
  console.log(`${scenario} delivered: herald ${h.map(x => x.count)}, mosquitto ${m.map(x => x.count)}`);
}' "$OUT"
