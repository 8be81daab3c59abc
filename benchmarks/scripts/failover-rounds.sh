#!/usr/bin/env bash
# Failover figures over many kills: three herald node JVMs and an edge on loopback, e2e/failover.js publishing
# ~90/s with a subscriber; each round kills one node with -9 (odd rounds the leader, even rounds a follower),
# restarts it on its data and waits until it is back. Prints one JSON line per round, then p50/max per figure.
# usage: benchmarks/scripts/failover-rounds.sh <rounds>       (needs ./herald built and e2e/node_modules)
set -u
cd "$(dirname "$0")/../.."
ROUNDS=${1:-20}
DATA=/tmp/herald-failover
M=localhost:23010,localhost:23110,localhost:23210
PORT=7710
STATUS="node benchmarks/scripts/cluster-status.js"
stop() { pkill -f "herald.jar (node|edge) --data $DATA"; sleep 1; }
trap stop EXIT
stop; rm -rf $DATA; mkdir -p $DATA
for i in 0 1 2; do (./herald node --data $DATA --id $i --set cluster.members=$M > $DATA/node-$i.log 2>&1 &); done
sleep 5
(./herald edge --data $DATA --set cluster.members=$M --set edge.port=$PORT --set edge.answer.port=23330 > $DATA/edge.log 2>&1 &)
until [ "$($STATUS up $PORT)" = 3 ] && [ "$($STATUS leader $PORT)" -ge 0 ]; do sleep 0.5; done
: > $DATA/rounds.jsonl
for r in $(seq 1 "$ROUNDS"); do
  L=$($STATUS leader $PORT)
  if [ $((r % 2)) = 1 ]; then V=$L; ROLE=leader; else V=$(( (L + 1) % 3 )); ROLE=follower; fi
  rm -f $DATA/killed-at
  (cd e2e && HERALD_PORT=$PORT SECONDS_TO_RUN=7 KILL_FILE=$DATA/killed-at node failover.js > $DATA/round.out 2>&1 &)
  until grep -q ready $DATA/round.out 2>/dev/null; do sleep 0.1; done
  sleep 2
  T=$(date +%s%3N); pkill -9 -f "herald.jar node --data $DATA --id $V "; echo "$T" > $DATA/killed-at
  NEW=-1; [ $ROLE = leader ] && NEW=$($STATUS new-leader $PORT "$L" "$T")
  (./herald node --data $DATA --id $V --set cluster.members=$M >> $DATA/node-$V.log 2>&1 &)
  until [ -n "$(tail -c 2000 $DATA/round.out | grep '^{')" ]; do sleep 0.2; done
  LINE="{\"round\":$r,\"killed\":\"$ROLE\",\"newLeaderSeenAfterMs\":$NEW,$(grep '^{' $DATA/round.out | tail -1 | cut -c2-)"
  echo "$LINE" | tee -a $DATA/rounds.jsonl
  until [ "$($STATUS up $PORT)" = 3 ]; do sleep 0.5; done
  pkill -f "e2e.*failover.js" 2>/dev/null; sleep 1
done
node -e '
const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const pct = (xs, p) => { const s = xs.filter(x => x >= 0).sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : -1; };
for (const role of ["leader", "follower"]) {
  const r = rows.filter(x => x.killed === role);
  if (!r.length) continue;
  const f = k => pct(r.map(x => x[k]), 1) < 0 ? "n/a" : `p50 ${pct(r.map(x => x[k]), 0.5)} max ${pct(r.map(x => x[k]), 1)}`;
  console.log(`${role} kills: ${r.length}; new leader seen (ms) ${f("newLeaderSeenAfterMs")}; subscribe resumed (ms) ${f("subscribeResumedAfterMs")}; max notification gap (ms) ${f("maxGapMs")}; missed ${r.reduce((a, x) => a + x.missing, 0)}, duplicated ${r.reduce((a, x) => a + x.duplicates, 0)}, refused ${r.reduce((a, x) => a + x.refused, 0)}, disconnected ${r.reduce((a, x) => a + x.disconnected, 0)} of ${r.reduce((a, x) => a + x.acked, 0)} acknowledged`);
}' $DATA/rounds.jsonl
