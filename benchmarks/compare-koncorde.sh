#!/usr/bin/env bash
# Runs Koncorde's benchmark workload on koncorde 4.7.0 (node) and on Herald's filter engine (./herald bench
# filters), alternately keyword by keyword on this machine, and prints both with the Herald/Koncorde ratios.
#   benchmarks/compare-koncorde.sh [--filters N] [--seconds S] [--rounds R] [--out FILE] [--keywords "K1 K2"]
set -euo pipefail
cd "$(dirname "$0")/.."

FILTERS=10000 SECONDS_PER=2 ROUNDS=1 OUT=benchmarks/target/compare-koncorde.jsonl
# Koncorde's own workload (documents that match nothing), then documents that match many filters (issue 16)
KEYWORDS="equals exists geoBoundingBox geoDistance geoDistanceRange geoPolygon in range equals-hit geoDistance-hit
geoDistanceRange-hit geoBoundingBox-hit geoPolygon-hit"
while [ $# -gt 0 ]; do
    case "$1" in
        --filters) FILTERS=$2; shift 2 ;;
        --seconds) SECONDS_PER=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --keywords) KEYWORDS=$2; shift 2 ;;
        *) echo "usage: $0 [--filters N] [--seconds S] [--rounds R] [--out FILE] [--keywords \"K1 K2\"]" >&2
           exit 2 ;;
    esac
done

tools/koncorde/install.sh >&2
./herald --version >&2
mkdir -p "$(dirname "$OUT")"
: > "$OUT"
for round in $(seq "$ROUNDS"); do
    for keyword in $KEYWORDS; do
        echo "round $round: $keyword" >&2
        node tools/koncorde/bench.js --keyword "$keyword" --filters "$FILTERS" --seconds "$SECONDS_PER" >> "$OUT"
        ./herald bench filters --keyword "$keyword" --filters "$FILTERS" --seconds "$SECONDS_PER" >> "$OUT"
    done
done

node - "$OUT" <<'JS'
const lines = require('fs').readFileSync(process.argv[2], 'utf8').trim().split('\n').map(JSON.parse);
const best = {};
for (const l of lines) {
  const k = `${l.engine}/${l.keyword}`;
  if (!best[k] || l.matches_per_s > best[k].matches_per_s) best[k] = l;
}
const keywords = [...new Set(lines.map(l => l.keyword))];
const pad = (s, n) => String(s).padStart(n);
console.log(['keyword'.padEnd(17), pad('koncorde/s', 12), pad('herald/s', 12), pad('ratio', 7),
  pad('k index ms', 11), pad('h index ms', 11), pad('h matched', 10)].join(' '));
for (const kw of keywords) {
  const k = best[`koncorde/${kw}`], h = best[`herald/${kw}`];
  if (!k || !h) continue;
  console.log([kw.padEnd(17), pad(Math.round(k.matches_per_s), 12), pad(Math.round(h.matches_per_s), 12),
    pad((h.matches_per_s / k.matches_per_s).toFixed(1) + 'x', 7), pad(k.index_ms.toFixed(0), 11),
    pad(h.index_ms.toFixed(0), 11), pad(h.matched, 10)].join(' '));
}
JS
