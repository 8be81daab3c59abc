#!/usr/bin/env bash
# Memory per idle connection (herald bench connections): Herald's edge (./herald up), then the NATS peer, each
# given 10k, 50k and 100k idle WebSocket connections from 8 loopback source addresses. Raises the open-file limit
# for both servers and the harness first; where the hard limit cannot be raised (no CAP_SYS_RESOURCE, as in some
# containers), the harness measures up to the limit and says so. Results (JSON) in $OUT.
# usage: benchmarks/scripts/connections.sh [steps, default 10000,50000,100000]
set -eu
cd "$(dirname "$0")/../.."
STEPS=${1:-10000,50000,100000}
OUT=${OUT:-/tmp/herald-connections}; mkdir -p "$OUT"
WANT=$(( $(echo "$STEPS" | tr ',' '\n' | sort -n | tail -1) + 2000 ))
if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt "$WANT" ]; then
  ulimit -Hn "$WANT" 2> /dev/null || echo "connections.sh: cannot raise the hard file limit above $(ulimit -Hn)" >&2
fi
ulimit -n "$(ulimit -Hn)"
echo "file limit: $(ulimit -n)" >&2
. benchmarks/scripts/lib.sh
start_herald
$HERALD bench connections --target herald --url ws://127.0.0.1:7512 --steps "$STEPS" --json "$OUT/herald.json"
stop_herald
benchmarks/scripts/nats-peer.sh start 7522 > /dev/null
$HERALD bench connections --target nats --url ws://127.0.0.1:7522 --steps "$STEPS" --json "$OUT/nats.json"
