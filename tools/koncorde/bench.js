#!/usr/bin/env node
'use strict';

/**
 * Koncorde 4.7.0 reference benchmark.
 *
 * Reproduces the workload of koncorde's own benchmark.js: for each keyword,
 * N random filters are registered in a fresh Koncorde instance, then one
 * document is matched repeatedly. The random generators mirror the original
 * ones (random-js strings/integers, geojson-random positions and polygons)
 * using a seeded PRNG, so that runs are comparable.
 *
 * Prints one JSON line per keyword:
 *   {"engine":"koncorde","keyword":"range","filters":10000,"index_ms":123.4,"matches_per_s":210000}
 *
 * Options: --filters N (default 10000), --seconds S (default 2),
 *          --keyword K (default: all), --seed N
 */

const { Koncorde } = require('koncorde');
const { Random } = require('./lib/prng');

function parseArgs(argv) {
  const opts = { filters: 10000, seconds: 2, keyword: null, seed: 42 };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    switch (a) {
      case '--filters': opts.filters = Number(v); i++; break;
      case '--seconds': opts.seconds = Number(v); i++; break;
      case '--keyword': opts.keyword = v; i++; break;
      case '--seed': opts.seed = Number(v); i++; break;
      case '-h':
      case '--help':
        console.log('usage: node bench.js [--filters N] [--seconds S] [--keyword K] [--seed N]');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${a}`);
    }
  }
  if (!(opts.filters > 0) || !(opts.seconds > 0)) {
    throw new Error('--filters and --seconds must be positive numbers');
  }
  return opts;
}

const OPTS = parseArgs(process.argv);
const rng = new Random(OPTS.seed);

// random-js string() default pool
const STRING_POOL = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-';
const randomString = () => rng.string(20, STRING_POOL);
const randomInt = () => rng.int(-10000, 10000);

/** geojson-random position(): [lon, lat], uniform lon in [-180, 180], lat in [-90, 90] */
function position() {
  return [(rng.float() - 0.5) * 360, (rng.float() - 0.5) * 180];
}

/**
 * geojson-random polygon(1, numVertices) ring, [lon, lat] pairs:
 * numVertices + 1 cumulative random angular offsets normalised to 2*PI,
 * each vertex at a random radius in [0, maxRadialLength) degrees from a
 * random hub; the last vertex is replaced by the first one (closed ring).
 */
function polygonRing(numVertices = 5, maxRadialLength = 10, hub = null) {
  const offsets = [];
  for (let i = 0; i < numVertices + 1; i++) {
    offsets.push(rng.float());
  }
  for (let i = 1; i < offsets.length; i++) {
    offsets[i] += offsets[i - 1];
  }
  const vertices = offsets.map(cur => {
    const angle = (cur * 2 * Math.PI) / offsets[offsets.length - 1];
    const radial = rng.float();
    return [radial * maxRadialLength * Math.sin(angle), radial * maxRadialLength * Math.cos(angle)];
  });
  vertices[vertices.length - 1] = vertices[0];
  const at = hub || position();
  return vertices.map(v => [v[0] + at[0], v[1] + at[1]]);
}

/** uniform in [-half, half) */
const around = half => (rng.float() * 2 - 1) * half;

const WORKLOADS = {
  // documents that match (issue 16): the same shapes as Herald's FilterWorkload *_HIT
  'equals-hit': {
    filter: () => ({ equals: { [`f${Math.floor(rng.float() * 100)}`]: `v${Math.floor(rng.float() * 100)}` } }),
    document: () => Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, 'v7'])),
  },
  'geoDistance-hit': {
    filter: () => ({ geoDistance: { distance: '20km', point: [around(1), around(1)] } }),
    document: () => ({ point: [0, 0] }),
  },
  'geoDistanceRange-hit': {
    filter: () => ({ geoDistanceRange: { from: '5km', point: [around(1), around(1)], to: '20km' } }),
    document: () => ({ point: [0, 0] }),
  },
  'geoBoundingBox-hit': {
    filter: () => {
      const top = around(1);
      const left = around(1);
      return { geoBoundingBox: { point: { bottom: top - 0.4, left, right: left + 0.4, top } } };
    },
    document: () => ({ point: [0, 0] }),
  },
  'geoPolygon-hit': {
    filter: () => ({ geoPolygon: { point: { points: polygonRing(10, 0.75, [around(2), around(2)]).map(c => [c[1], c[0]]) } } }),
    document: () => ({ point: [0, 0] }),
  },
  equals: {
    filter: () => ({ equals: { str: randomString() } }),
    document: () => ({ str: randomString() }),
  },
  exists: {
    filter: () => ({ exists: { field: randomString() } }),
    document: () => ({ [randomString()]: true }),
  },
  geoBoundingBox: {
    filter: () => {
      const pos = position();
      return { geoBoundingBox: { point: { bottom: pos[1] - 0.5, left: pos[0], right: pos[0] + 0.5, top: pos[1] } } };
    },
    document: () => ({ point: [0, 0] }),
  },
  geoDistance: {
    filter: () => {
      const pos = position();
      return { geoDistance: { distance: '500m', point: [pos[1], pos[0]] } };
    },
    document: () => ({ point: [0, 0] }),
  },
  geoDistanceRange: {
    filter: () => {
      const pos = position();
      return { geoDistanceRange: { from: '500m', point: [pos[1], pos[0]], to: '1km' } };
    },
    document: () => ({ point: [0, 0] }),
  },
  geoPolygon: {
    filter: () => ({ geoPolygon: { point: { points: polygonRing(5).map(c => [c[1], c[0]]) } } }),
    document: () => ({ point: [0, 0] }),
  },
  in: {
    filter: () => {
      const values = [];
      for (let i = 0; i < 5; i++) {
        values.push(randomString());
      }
      return { in: { str: values } };
    },
    document: () => ({ str: randomString() }),
  },
  range: {
    filter: () => {
      const bound = randomInt();
      return { range: { integer: { gte: bound, lte: bound + 100 } } };
    },
    document: () => ({ integer: randomInt() }),
  },
};

function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** calls koncorde.test(document) repeatedly for `seconds`, returns calls per second */
function measure(koncorde, document, seconds) {
  const deadline = nowMs() + seconds * 1000;
  let calls = 0;
  let batch = 64;
  const start = nowMs();
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < batch; i++) {
      koncorde.test(document);
    }
    calls += batch;
    now = nowMs();
    if (batch < 4096) {
      batch *= 2;
    }
  }
  return calls / ((now - start) / 1000);
}

function run(keyword) {
  const workload = WORKLOADS[keyword];
  const koncorde = new Koncorde();
  const filters = [];
  for (let i = 0; i < OPTS.filters; i++) {
    filters.push(workload.filter());
  }
  const document = workload.document();

  const start = nowMs();
  for (const f of filters) {
    koncorde.register(f);
  }
  const indexMs = nowMs() - start;

  // warm-up, then measurement
  measure(koncorde, document, Math.min(0.5, OPTS.seconds / 4));
  const perSecond = measure(koncorde, document, OPTS.seconds);

  console.log(JSON.stringify({
    engine: 'koncorde',
    keyword,
    filters: OPTS.filters,
    index_ms: Math.round(indexMs * 10) / 10,
    matches_per_s: Math.round(perSecond),
    matched: koncorde.test(document).length,
  }));
}

const keywords = OPTS.keyword ? [OPTS.keyword] : Object.keys(WORKLOADS);
for (const k of keywords) {
  if (!WORKLOADS[k]) {
    console.error(`unknown keyword "${k}" (available: ${Object.keys(WORKLOADS).join(', ')})`);
    process.exit(1);
  }
}
for (const k of keywords) {
  run(k);
}
