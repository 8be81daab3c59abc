# Sourced (from the repository's root) by the benchmark scripts that run ./herald up and a peer (NATS, mosquitto)
# side by side:
# the harness command, starting and stopping Herald, and stopping both when the script exits. Needs $OUT.
# (Netty's leak detector off, as ./herald runs it: sampled, it took a stack trace for 3% of the harness's samples)
HERALD="java $(cat tools/target/classes/herald-jvm.options) -Dio.netty.leakDetection.level=disabled -jar tools/target/herald.jar"

# starts ./herald up in the background (log in $OUT/herald-up.log) and waits until it listens
start_herald() {
  ./herald up > "$OUT/herald-up.log" 2>&1 & UP=$!
  until grep -q "listening on" "$OUT/herald-up.log" 2> /dev/null; do
    # a herald up that could not start (a port taken by another one) has exited: say why instead of waiting forever
    kill -0 "$UP" 2> /dev/null || { echo "herald up did not start:" >&2; cat "$OUT/herald-up.log" >&2; exit 1; }
    sleep 0.5
  done
}

stop_herald() {
  [ -n "${UP:-}" ] && kill "$UP" 2> /dev/null
  wait 2> /dev/null || true
  UP=""
}

# CPU time a process has used so far, in clock ticks (user + system, all threads)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2> /dev/null || echo 0; }

# runs a command and prints how many microseconds of CPU a server process used per delivery during it:
# cpu_per_delivery <server pid> <json the command writes, with "delivered"> <command...>
cpu_per_delivery() {
  local pid=$1 json=$2; shift 2
  local before; before=$(cpu_ticks "$pid")
  "$@" || return 1
  local after; after=$(cpu_ticks "$pid")
  node -e 'const [t, hz, f] = process.argv.slice(1); const d = JSON.parse(require("fs").readFileSync(f)).delivered;
console.log(`  server CPU: ${(t / hz).toFixed(1)} s, ${(t / hz * 1e6 / d).toFixed(2)} us per delivery (subscribing and warm-up included)`);' \
    "$((after - before))" "$(getconf CLK_TCK)" "$json"
}

cleanup() { benchmarks/scripts/nats-peer.sh stop; benchmarks/scripts/mosquitto-peer.sh stop; stop_herald; }
trap cleanup EXIT

# DOCUMENT_BYTES=2048 in the environment: every harness run publishes documents of about that size
DOCUMENT_ARGS=${DOCUMENT_BYTES:+--document-bytes $DOCUMENT_BYTES}

# one run of the latency scenario (distinct topics, 1,000 publishes/s) or the fan-out one (one topic, 200/s) against a
# target of the harness; results in $OUT/<scenario>-<target>-<round>.json. Needs $SECONDS_PER_RUN.
run() { # target url scenario round
  local args="--connections 100 --subscriptions 1000 --rate 1000"
  [ "$3" = fanout ] && args="--fanout --connections 100 --rate 200"
  $HERALD bench latency --target "$1" --url "$2" $args --warmup 5 --seconds "$SECONDS_PER_RUN" $DOCUMENT_ARGS \
    --json "$OUT/$3-$1-$4.json" 2> /dev/null
}

# the median of each percentile over the rounds, per scenario, for two targets side by side, with the ratio
summarize() { # targetA labelA targetB labelB
  node -e '
const fs = require("fs"); const [dir, a, aName, b, bName] = process.argv.slice(1);
for (const scenario of ["latency", "fanout"]) {
  const get = t => fs.readdirSync(dir).sort().filter(f => new RegExp("^" + scenario + "-" + t + "-[0-9]+\\.json$").test(f))
    .map(f => JSON.parse(fs.readFileSync(dir + "/" + f)).latency);
  const x = get(a), y = get(b);
  const med = (xs, k) => { const s = xs.map(v => v[k]).sort((p, q) => p - q); return s[Math.floor(s.length / 2)]; };
  for (const k of ["p50Us", "p99Us", "p99_9Us"]) {
    console.log(`${scenario} ${k}: ${aName} ${med(x, k).toFixed(0)} us, ${bName} ${med(y, k).toFixed(0)} us, ${aName}/${bName} ${(med(x, k) / med(y, k)).toFixed(2)} (runs: ${aName} ${x.map(v => v[k].toFixed(0))}, ${bName} ${y.map(v => v[k].toFixed(0))})`);
  }
  console.log(`${scenario} delivered: ${aName} ${x.map(v => v.count)}, ${bName} ${y.map(v => v.count)}`);
}' "$OUT" "$1" "$2" "$3" "$4"
}
