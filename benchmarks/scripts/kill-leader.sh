#!/usr/bin/env bash
# Kill the leader of a 3-node loopback cluster and time the first subscribe answered afterwards.
# usage: benchmarks/scripts/kill-leader.sh <heartbeat timeout> <heartbeat interval> <election timeout> <rounds>
#   e.g. benchmarks/scripts/kill-leader.sh 500ms 50ms 250ms 3      (needs ./herald built and e2e/node_modules)
set -u
cd "$(dirname "$0")/../.."
M=localhost:22010,localhost:22110,localhost:22210
S="--set cluster.members=$M --set cluster.heartbeat.timeout=$1 --set cluster.heartbeat.interval=$2 --set cluster.election.timeout=$3"
for r in $(seq 1 $4); do
  pkill -f "herald.jar (node|edge) --data /tmp/h3"; sleep 2; rm -rf /tmp/h3
  for i in 0 1 2; do (./herald node --data /tmp/h3 --id $i $S > /tmp/n$i.log 2>&1 &); done; sleep 7
  (./herald edge --data /tmp/h3 $S --set edge.port=7700 --set edge.answer.port=22330 > /tmp/e3.log 2>&1 &); sleep 5
  L=$(java $(cat tools/target/classes/herald-jvm.options) -cp tools/target/herald.jar io.aeron.cluster.ClusterTool /tmp/h3/node-0/cluster list-members 2>&1 | grep -o "leaderMemberId=[0-9]*" | cut -d= -f2)
  T=$(date +%s%3N); pkill -9 -f "herald.jar node --data /tmp/h3 --id $L"; echo "$1/$2/$3 round $r leader=$L $(node benchmarks/scripts/subscribe-probe.js 7700 $T)"
done
pkill -f "herald.jar (node|edge) --data /tmp/h3"
