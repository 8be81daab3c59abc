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
for r in $(seq 1 "$ROUNDS"); do
  for scenario in latency fanout; do
    run mqtt mqtt://127.0.0.1:1883 $scenario "$r"
    run mqtt-broker mqtt://127.0.0.1:1884 $scenario "$r"
  done
done
summarize mqtt herald-mqtt mqtt-broker mosquitto
