# Sourced (from the repository's root) by the benchmark scripts that run ./herald up and a peer (NATS, mosquitto)
# side by side:
# the harness command, starting and stopping Herald, and stopping both when the script exits. Needs $OUT.
HERALD="java $(cat tools/target/classes/herald-jvm.options) -jar tools/target/herald.jar"

# starts ./herald up in the background (log in $OUT/herald-up.log) and waits until it listens
start_herald() {
  ./herald up > "$OUT/herald-up.log" 2>&1 & UP=$!
  until grep -q "listening on" "$OUT/herald-up.log" 2> /dev/null; do sleep 0.5; done
}

stop_herald() {
  [ -n "${UP:-}" ] && kill "$UP" 2> /dev/null
  wait 2> /dev/null || true
  UP=""
}

cleanup() { benchmarks/scripts/nats-peer.sh stop; benchmarks/scripts/mosquitto-peer.sh stop; stop_herald; }
trap cleanup EXIT
