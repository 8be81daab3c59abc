#!/usr/bin/env node
'use strict';

/**
 * Generates the Koncorde conformance corpus used by Herald's filter engine
 * tests: engine/src/test/resources/koncorde/corpus.jsonl
 *
 * Deterministic (fixed seed). Line types:
 *   {"type":"set","set":name,"filters":{label: filter, ...}}
 *   {"type":"match","set":name,"doc":document,"expected":[labels...]}
 *   {"type":"invalid","filter":filter,"error":message}
 *   {"type":"koncorde-rejects-valid","filter":filter,"error":message}
 *
 * Expected labels come from koncorde@4.7.0. Every document is also
 * evaluated by an independent oracle (lib/oracle.js, written from the
 * documentation): lines where both disagree are dropped and reported, so
 * that known koncorde bugs are not baked into the expectations.
 *
 * Usage: node tools/koncorde/corpus.js [--out FILE] [--seed N]
 */

const fs = require('fs');
const path = require('path');

const { Koncorde } = require('koncorde');

const { Random } = require('./lib/prng');
const geo = require('./lib/geo');
const oracle = require('./lib/oracle');
const { INVALID_FILTERS, REJECTS_VALID_FILTERS } = require('./lib/handcrafted');

// ------------------------------------------------------------------ options
function parseArgs(argv) {
  const opts = {
    out: path.resolve(__dirname, '../../engine/src/test/resources/koncorde/corpus.jsonl'),
    seed: 0x4b6f6e63, // "Konc"
    sets: 560,
  };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') {
      opts.out = path.resolve(argv[++i]);
    }
    else if (a === '--seed') {
      opts.seed = Number(argv[++i]);
    }
    else if (a === '--sets') {
      opts.sets = Number(argv[++i]);
    }
    else {
      throw new Error(`unknown option ${a}`);
    }
  }
  return opts;
}

const OPTS = parseArgs(process.argv);
const rng = new Random(OPTS.seed);

// -------------------------------------------------------------------- pools
const STR_VALUES = [
  'foo', 'bar', 'Foo', 'foobar', 'barfoo', 'foo bar', 'hello world', 'Hello World', '',
  '1', '42', '3.14', 'true', 'false', 'null', 'café', 'CAFÉ', 'Ünïcödé', '日本語', 'x@y.com',
  'ab@cd.com', '2024-01-15', '  padded ', 'a.b', 'emoji 😀', 'ab\ncd', 'abc', 'ABC', 'a\tb',
  'quote"inside', 'back\\slash', 'Grace', 'Ada', 'NYC', 'London',
];
const NUM_VALUES = [0, 1, -1, 2, 7, 42, 3.14, -2.5, 0.5, 100, 1000, -1000, 99.99, 123456, 1e6, -0.001];
const ID_POOL = ['d1', 'd2', 'd3', 'd4', 'd5', 'doc-1', 'doc-2', 'x', 'X', '1', '42', 'abc', 'id with space', '日本'];
const ARRAY_ITEMS = ['foo', 'bar', 'baz', 'x', '', '1', 'true', 'null', 1, 2, 42, 0, -3.5, true, false, null];

const STR_FIELDS = ['name', 'city', 'tag', 'title', 'user.name', 'meta.info.label'];
const NUM_FIELDS = ['age', 'score', 'price', 'temp', 'stats.count', 'user.age'];
const BOOL_FIELDS = ['active', 'flags.enabled', 'verified'];
const MIX_FIELDS = ['value', 'v', 'data.x', 'status'];
const ARR_FIELDS = ['tags', 'nums', 'list', 'nested.arr', 'hobbies'];
const OBJ_FIELDS = ['profile', 'meta', 'user', 'address'];
const GEO_FIELDS = ['location', 'pos', 'geo.point', 'home'];

const REGEXPS = [
  { value: '^foo', samples: ['foo', 'foobar', 'Foo', 'FOOBAR', 'barfoo', 'fo'] },
  { value: 'bar$', samples: ['bar', 'foobar', 'BAR', 'bars', 'bar\n', 'Foo Bar'] },
  { value: '^[a-z]+$', samples: ['abc', 'ABC', 'abc1', '', 'a b', 'café'] },
  { value: '\\d{3}', samples: ['123', '12', 'a1234', 'x12y', '4 5 6'] },
  { value: '^\\w+@\\w+\\.com$', samples: ['x@y.com', 'a@b.org', 'ab@cd.com', '@y.com', 'X@Y.COM'] },
  { value: 'o{2,}', samples: ['foo', 'fo', 'fooo', 'boot', 'FOO'] },
  { value: '^(foo|bar)', samples: ['foo', 'bar', 'baz', 'xfoo', 'Bar'] },
  { value: '^$', samples: ['', 'a', ' '] },
  { value: '^.{3}$', samples: ['abc', 'ab', 'abcd', 'é12', 'a\nb'] },
  { value: '[A-Z]', samples: ['abc', 'aBc', '123', 'É'] },
  { value: '^\\s', samples: [' a', 'a', ' ', '\ta', '\na'] },
  { value: '\\bworld\\b', samples: ['hello world', 'helloworld', 'world!', 'World', 'worlds'] },
  { value: 'é', samples: ['café', 'cafe', 'CAFÉ', 'é'] },
  { value: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', samples: ['2024-01-15', '2024-1-15', 'x2024-01-15', '2024-01-15\n'] },
  { value: 'a.c', samples: ['abc', 'a\nc', 'ac', 'AbC', 'a c'] },
  { value: '^cd', samples: ['cd', 'ab\ncd', 'abcd', 'CD'] },
  { value: 'ab$', samples: ['ab', 'ab\ncd', 'cdab', 'AB'] },
  { value: '日本', samples: ['日本語', '本日', 'にほん'] },
  { value: 'hello world', samples: ['hello world', 'Hello World', 'hello  world', 'say hello world!'] },
  { value: '^-?\\d+(\\.\\d+)?$', samples: ['42', '-3.14', '3.', 'abc', '1e5', '0'] },
  { value: '[^a-z]', samples: ['abc', 'ab1', 'ABC', ''] },
  { value: '(ab)+c', samples: ['ababc', 'ac', 'abc', 'ABABC'] },
  { value: '\\.', samples: ['a.b', 'ab', '...'] },
  { value: 'x|y|z', samples: ['x', 'abc', 'Y', 'zz'] },
  { value: '^[^@]+@[^@]+$', samples: ['a@b', 'a@@b', '@b', 'ab'] },
  { value: 'colou?r', samples: ['color', 'colour', 'COLOR', 'colr'] },
];
const REGEXP_FLAGS = ['', 'i', 'm', 's', 'u', 'im', 'is', 'ms', 'ims', 'iu'];

const UNITS = [
  ['m', 1], ['meters', 1], ['meter', 1], ['M', 1], ['km', 1000], ['KM', 1000], ['Km', 1000],
  ['kilometers', 1000], ['kilometer', 1000], ['cm', 0.01], ['centimeters', 0.01], ['mm', 0.001],
  ['millimeters', 0.001], ['dm', 0.1], ['dam', 10], ['hm', 100], ['hectometers', 100],
  ['mi', 1609.34], ['mile', 1609.34], ['miles', 1609.34], ['Miles', 1609.34], ['yd', 0.9144],
  ['yard', 0.9144], ['yards', 0.9144], ['ft', 0.3048], ['FT', 0.3048], ['feet', 0.3048],
  ['feets', 0.3048], ['in', 0.0254], ['inch', 0.0254], ['inches', 0.0254],
];

const POINT_STYLES = [
  'array', 'string', 'stringNoSpace', 'geohash', 'latlon', 'latlonStr', 'latLonArr', 'lat_lonArr',
  'latLonObj', 'lat_lonObj', 'latLonStr', 'lat_lonStr', 'latLonHash', 'arrayStr',
];

// ---------------------------------------------------------------- helpers
const round = (x, d) => {
  const r = Number(x.toFixed(d));
  return Object.is(r, -0) ? 0 : r;
};

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function clone(v) {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

function fmtPoint(lat, lon, style = rng.pick(POINT_STYLES)) {
  lat = round(lat, 6);
  lon = round(lon, 6);
  switch (style) {
    case 'array': return [lat, lon];
    case 'string': return `${lat}, ${lon}`;
    case 'stringNoSpace': return `${lat},${lon}`;
    case 'geohash': return geo.geohashEncode(lat, lon, 12);
    case 'latlon': return { lat, lon };
    case 'latlonStr': return { lat: String(lat), lon: String(lon) };
    case 'latLonArr': return { latLon: [lat, lon] };
    case 'lat_lonArr': return { lat_lon: [lat, lon] };
    case 'latLonObj': return { latLon: { lat, lon } };
    case 'lat_lonObj': return { lat_lon: { lat, lon } };
    case 'latLonStr': return { latLon: `${lat}, ${lon}` };
    case 'lat_lonStr': return { lat_lon: `${lat}, ${lon}` };
    case 'latLonHash': return { latLon: geo.geohashEncode(lat, lon, 12) };
    case 'arrayStr': return [String(lat), String(lon)];
    default: throw new Error(style);
  }
}

function fmtDistance(meters) {
  // a unit giving a "human" number (0.5 .. 20000), e.g. "2.5km", "1 500 m", "3,1 mi"
  const fitting = UNITS.filter(([, f]) => meters / f >= 0.5 && meters / f <= 20000);
  const [unit, factor] = rng.pick(fitting.length ? fitting : UNITS);
  let n = meters / factor;
  n = n >= 100 ? Math.round(n) : round(n, 2);
  if (n <= 0) {
    n = 1;
  }
  const style = rng.int(0, 5);
  let numStr = String(n);
  if (style === 0 && Number.isInteger(n) && n >= 1000) {
    numStr = numStr.replace(/\B(?=(\d{3})+(?!\d))/g, ' '); // "1 500"
  }
  else if (style === 1 && !Number.isInteger(n)) {
    numStr = numStr.replace('.', ','); // "1,5"
  }
  const sep = rng.chance(0.5) ? ' ' : '';
  return `${numStr}${sep}${unit}`;
}

/** twisted (other-typed) variants of a scalar: 1 <-> "1", true <-> "true", null <-> "null" */
function twist(v) {
  if (typeof v === 'number') {
    return String(v);
  }
  if (typeof v === 'boolean' || v === null) {
    return String(v);
  }
  if (typeof v === 'string') {
    if (v === 'true') {
      return true;
    }
    if (v === 'false') {
      return false;
    }
    if (v === 'null') {
      return null;
    }
    if (v !== '' && !isNaN(Number(v))) {
      return Number(v);
    }
    return v.toUpperCase() !== v ? v.toUpperCase() : v + 'x';
  }
  return v;
}

function randomScalar() {
  return rng.weighted([
    [4, () => rng.pick(STR_VALUES)],
    [3, () => rng.pick(NUM_VALUES)],
    [1, () => rng.chance(0.5)],
    [1, () => null],
  ])();
}

function noiseValue(kind) {
  return rng.weighted([
    [5, () => randomScalar()],
    [1, () => [randomScalar(), randomScalar()]],
    [1, () => []],
    [1, () => ({ k: randomScalar() })],
    [kind === 'num' ? 4 : 0, () => round(rng.range(-2000, 2000), rng.int(0, 2))],
  ])();
}

// -------------------------------------------------------------- set context
/**
 * A generation context for one filter set: which fields are used, hint
 * values for the document generator, geo shapes per field, and the
 * per-filter constraints that keep known koncorde normalisation quirks out.
 */
class Ctx {
  constructor(opts = {}) {
    this.hints = new Map(); // field -> [() => value]
    this.shapes = new Map(); // geo field -> [shape]
    this.geoRegion = new Map(); // geo field -> [lat, lon]
    this.regexpNeg = new Set(); // fields holding a regexp under a negation
    this.regexpAny = new Set();
    this.geoFields = opts.geoFields || rng.sample(GEO_FIELDS, 1);
    this.prefix = opts.prefix || '';
    this.sub = opts.sub || false; // select sub-context (fields are "value"/"value.x")
    this.cur = null;
    const regions = [[45, 5], [-20, -60], [35, 135], [-33, 150], [60, -100], [0, 30], [10, -175], [-45, 170]];
    for (const [i, f] of this.geoFields.entries()) {
      const base = regions[(rng.int(0, regions.length - 1) + i * 3) % regions.length];
      this.geoRegion.set(f, i === 0 ? base : regions[(regions.indexOf(base) + 3) % regions.length]);
    }
  }

  startFilter() {
    this.cur = { eq: new Map(), paths: new Map() };
  }

  field(kind) {
    if (this.sub) {
      return kind === 'obj' || kind === 'arr' ? 'value' : rng.pick(['value', 'value', 'value.x']);
    }
    switch (kind) {
      case 'str': return rng.pick(STR_FIELDS);
      case 'num': return rng.pick(NUM_FIELDS);
      case 'bool': return rng.pick(BOOL_FIELDS);
      case 'mix': return rng.pick(MIX_FIELDS);
      case 'arr': return rng.pick(ARR_FIELDS);
      case 'obj': return rng.pick(OBJ_FIELDS);
      case 'geo': return rng.pick(this.geoFields);
      case 'any': return rng.pick([...STR_FIELDS, ...NUM_FIELDS, ...BOOL_FIELDS, ...MIX_FIELDS, ...ARR_FIELDS, ...OBJ_FIELDS]);
      default: throw new Error(kind);
    }
  }

  /**
   * koncorde quirk guard: a negated array-value exists (`a["x"]`) cancels any
   * conjunction holding another condition on the same path `a`.
   */
  usePath(p, arrayForm) {
    const prev = this.cur.paths.get(p);
    if (prev && (arrayForm || prev.array)) {
      return false;
    }
    this.cur.paths.set(p, { array: arrayForm || (prev && prev.array) });
    return true;
  }

  /**
   * koncorde quirk guard: "not equals 1" and "equals '1'" on the same field
   * collide in the normaliser (values compared through String()).
   */
  useEqValue(field, v) {
    let m = this.cur.eq.get(field);
    if (!m) {
      m = new Map();
      this.cur.eq.set(field, m);
    }
    const key = String(v);
    if (m.has(key) && m.get(key) !== typeof v + ':' + JSON.stringify(v)) {
      return false;
    }
    m.set(key, typeof v + ':' + JSON.stringify(v));
    return true;
  }

  hint(field, producer) {
    if (!this.hints.has(field)) {
      this.hints.set(field, []);
    }
    this.hints.get(field).push(producer);
  }

  hintValues(field, values) {
    for (const v of values) {
      this.hint(field, () => clone(v));
    }
  }

  addShape(field, shape) {
    if (!this.shapes.has(field)) {
      this.shapes.set(field, []);
    }
    this.shapes.get(field).push(shape);
    this.hint(field, { geo: true });
  }
}

// ---------------------------------------------------------- leaf generators
function genEquals(ctx) {
  for (let attempt = 0; attempt < 10; attempt++) {
    const kind = rng.pick(['str', 'str', 'num', 'num', 'bool', 'mix']);
    const field = ctx.field(kind);
    let v;
    if (kind === 'str') {
      v = rng.pick(STR_VALUES);
    }
    else if (kind === 'num') {
      v = rng.pick(NUM_VALUES);
    }
    else if (kind === 'bool') {
      v = rng.chance(0.8) ? rng.chance(0.5) : null;
    }
    else {
      v = randomScalar();
    }
    if (!ctx.usePath(field, false) || !ctx.useEqValue(field, v)) {
      continue;
    }
    ctx.hintValues(field, [v, v, twist(v)]);
    return { equals: { [field]: v } };
  }
  return null;
}

function genIn(ctx) {
  for (let attempt = 0; attempt < 10; attempt++) {
    const field = ctx.field(rng.pick(['str', 'mix']));
    const values = rng.sample(STR_VALUES, rng.int(1, 5));
    if (rng.chance(0.2)) {
      values.push(values[0]); // duplicates are allowed
    }
    if (!ctx.usePath(field, false) || !values.every(v => ctx.useEqValue(field, v))) {
      continue;
    }
    ctx.hintValues(field, [...values, twist(values[0])]);
    return { in: { [field]: values } };
  }
  return null;
}

function genIds(ctx) {
  if (ctx.sub) {
    return genEquals(ctx);
  }
  const values = rng.sample(ID_POOL, rng.int(1, 4));
  if (!ctx.usePath('_id', false) || !values.every(v => ctx.useEqValue('_id', v))) {
    return null;
  }
  ctx.hintValues('_id', [...values, twist(values[0])]);
  return { ids: { values } };
}

function genExists(ctx, neg, keyword = rng.chance(0.6) ? 'exists' : 'missing') {
  for (let attempt = 0; attempt < 10; attempt++) {
    const form = rng.weighted([[4, 'plain'], [1, 'legacy'], [3, 'array']]);
    if (form === 'array') {
      const field = ctx.field('arr');
      const value = rng.pick(ARRAY_ITEMS);
      if (!ctx.usePath(field, true)) {
        continue;
      }
      const other = rng.pick(ARRAY_ITEMS.filter(x => x !== value));
      ctx.hintValues(field, [
        [value], [other, value], [other], [], value, [twist(value)], [value, value, other],
      ]);
      const spec = `${field}[${JSON.stringify(value)}]`;
      return { [keyword]: rng.chance(0.15) ? { field: spec } : spec };
    }
    // plain path: sometimes an object prefix of another field (user, meta.info)
    const field = rng.chance(0.2) && !ctx.sub
      ? rng.pick(['user', 'meta', 'meta.info', 'flags', 'stats', 'nested'])
      : ctx.field(rng.pick(['str', 'num', 'bool', 'mix', 'arr']));
    if (!ctx.usePath(field, false)) {
      continue;
    }
    ctx.hintValues(field, [randomScalar(), null, rng.pick(['x', 0, false, ''])]);
    return { [keyword]: form === 'legacy' ? { field } : field };
  }
  return null;
}

const RANGE_BOUNDS = [-1000, -100, -10.5, -1, 0, 0.5, 1, 2.25, 5, 10, 18, 42, 99.99, 100, 250, 1000, 5000];

function genRange(ctx) {
  for (let attempt = 0; attempt < 10; attempt++) {
    const field = ctx.field('num');
    if (!ctx.usePath(field, false)) {
      continue;
    }
    const shape = rng.pick(['gt', 'gte', 'lt', 'lte', 'both', 'both', 'both']);
    const body = {};
    let bounds;
    if (shape === 'both') {
      const [a, b] = rng.sample(RANGE_BOUNDS, 2).sort((x, y) => x - y);
      body[rng.pick(['gt', 'gte'])] = a;
      body[rng.pick(['lt', 'lte'])] = b;
      bounds = [a, b];
      if (rng.chance(0.5)) {
        // reverse key order: koncorde must not depend on it
        const entries = Object.entries(body).reverse();
        for (const k of Object.keys(body)) {
          delete body[k];
        }
        for (const [k, v] of entries) {
          body[k] = v;
        }
      }
    }
    else {
      const b = rng.pick(RANGE_BOUNDS);
      body[shape] = b;
      bounds = [b];
    }
    const values = [];
    for (const b of bounds) {
      values.push(b, b, b + 0.5, b - 0.5, b + 1, b - 1, b + 100, b - 100);
    }
    if (bounds.length === 2) {
      values.push((bounds[0] + bounds[1]) / 2, (bounds[0] + bounds[1]) / 2);
    }
    values.push(String(bounds[0]), null, true, [bounds[0]]);
    ctx.hintValues(field, values.map(v => (typeof v === 'number' ? round(v, 4) : v)));
    return { range: { [field]: body } };
  }
  return null;
}

function genRegexp(ctx, neg) {
  for (let attempt = 0; attempt < 10; attempt++) {
    const field = ctx.field(rng.pick(['str', 'mix']));
    if (!ctx.usePath(field, false)) {
      continue;
    }
    const re = rng.pick(REGEXPS);
    ctx.regexpAny.add(field);
    if (neg) {
      ctx.regexpNeg.add(field);
    }
    ctx.hintValues(field, [...re.samples, ...re.samples]);
    const form = rng.weighted([[2, 'string'], [3, 'object'], [1, 'objectNoFlags']]);
    if (form === 'string') {
      return { regexp: { [field]: re.value } };
    }
    if (form === 'objectNoFlags') {
      return { regexp: { [field]: { value: re.value } } };
    }
    return { regexp: { [field]: { value: re.value, flags: rng.pick(REGEXP_FLAGS) } } };
  }
  return null;
}

// ---- geo
function regionOf(ctx, field) {
  return ctx.geoRegion.get(field) || [0, 0];
}

function nearRegion(ctx, field, spreadDeg) {
  const [lat, lon] = regionOf(ctx, field);
  return [
    Math.max(-65, Math.min(65, lat + rng.range(-spreadDeg, spreadDeg))),
    geo.normLon(lon + rng.range(-spreadDeg, spreadDeg)),
  ];
}

function geoFieldFor(ctx) {
  return ctx.sub ? 'value' : ctx.field('geo');
}

function genGeoBoundingBox(ctx) {
  const field = geoFieldFor(ctx);
  if (!ctx.usePath(field, false)) {
    return null;
  }
  const [clat, clon] = nearRegion(ctx, field, 4);
  const h = rng.range(0.05, 3);
  const w = rng.range(0.05, 3);
  const top = round(clat + h / 2, 4);
  const bottom = round(clat - h / 2, 4);
  let left = round(clon - w / 2, 4);
  let right = round(clon + w / 2, 4);
  if (left < -179.9 || right > 179.9) {
    left = round(clon - w - 1, 4);
    right = round(clon - 1, 4);
  }
  const form = rng.weighted([[3, 'numbers'], [1, 'strings'], [1, 'mixed'], [3, 'camel'], [2, 'snake'], [1, 'mixedCorners']]);
  let desc;
  switch (form) {
    case 'numbers': desc = { top, left, bottom, right }; break;
    case 'strings': desc = { top: String(top), left: String(left), bottom: String(bottom), right: String(right) }; break;
    case 'mixed': desc = { bottom, top: String(top), right: String(right), left }; break;
    case 'camel': desc = { topLeft: fmtPoint(top, left), bottomRight: fmtPoint(bottom, right) }; break;
    case 'snake': desc = { top_left: fmtPoint(top, left), bottom_right: fmtPoint(bottom, right) }; break;
    default: desc = { topLeft: fmtPoint(top, left, 'latlon'), bottom_right: fmtPoint(bottom, right, 'array') };
  }
  const filter = { geoBoundingBox: { [field]: desc } };
  ctx.addShape(field, oracle.geoShape('geoBoundingBox', filter.geoBoundingBox).shape);
  return filter;
}

function logUniform(lo, hi) {
  return Math.exp(rng.range(Math.log(lo), Math.log(hi)));
}

function genGeoDistance(ctx) {
  const field = geoFieldFor(ctx);
  if (!ctx.usePath(field, false)) {
    return null;
  }
  const [lat, lon] = nearRegion(ctx, field, 4);
  const dist = fmtDistance(logUniform(500, 300000));
  const center = fmtPoint(lat, lon);
  const c = geo.parseGeopoint(center);
  ctx.addShape(field, { kind: 'circle', lat: c[0], lon: c[1], radius: geo.parseDistance(dist) });
  return rng.chance(0.5)
    ? { geoDistance: { [field]: center, distance: dist } }
    : { geoDistance: { distance: dist, [field]: center } };
}

function genGeoDistanceRange(ctx) {
  const field = geoFieldFor(ctx);
  if (!ctx.usePath(field, false)) {
    return null;
  }
  const [lat, lon] = nearRegion(ctx, field, 4);
  const to = logUniform(2000, 300000);
  const fromM = rng.chance(0.15) ? 0 : to * rng.range(0.1, 0.7);
  const toS = fmtDistance(to);
  const fromS = fromM === 0 ? rng.pick(['0m', '0 km', '0ft']) : fmtDistance(fromM);
  const toM = geo.parseDistance(toS);
  const fromParsed = geo.parseDistance(fromS);
  if (!(fromParsed < toM * 0.9)) {
    return null;
  }
  const center = fmtPoint(lat, lon);
  const c = geo.parseGeopoint(center);
  ctx.addShape(field, { kind: 'annulus', lat: c[0], lon: c[1], from: fromParsed, to: toM });
  return rng.chance(0.5)
    ? { geoDistanceRange: { [field]: center, from: fromS, to: toS } }
    : { geoDistanceRange: { from: fromS, to: toS, [field]: center } };
}

function genGeoPolygon(ctx) {
  const field = geoFieldFor(ctx);
  if (!ctx.usePath(field, false)) {
    return null;
  }
  let [clat, clon] = nearRegion(ctx, field, 4);
  clon = Math.max(-170, Math.min(170, clon));
  const n = rng.int(3, 8);
  const radius = rng.range(0.1, 1.8);
  const angles = [];
  for (let i = 0; i < n; i++) {
    angles.push(rng.range(0, 2 * Math.PI));
  }
  angles.sort((a, b) => a - b);
  // avoid degenerated (too thin) polygons
  for (let i = 0; i < n; i++) {
    const next = i === n - 1 ? angles[0] + 2 * Math.PI : angles[i + 1];
    if (next - angles[i] > Math.PI * 0.95) {
      return null;
    }
  }
  const pts = angles.map(a => {
    const r = radius * rng.range(0.45, 1);
    return [round(clat + r * Math.cos(a), 5), round(clon + r * Math.sin(a), 5)];
  });
  if (rng.chance(0.5)) {
    pts.reverse(); // clockwise and counter-clockwise rings
  }
  const points = pts.map(([la, lo]) => fmtPoint(la, lo));
  if (rng.chance(0.2)) {
    points.push(clone(points[0])); // explicitly closed ring
  }
  ctx.addShape(field, { kind: 'polygon', points: points.map(geo.parseGeopoint) });
  return { geoPolygon: { [field]: { points } } };
}

// ---- match
function matchPattern(depth = 0) {
  return rng.weighted([
    [4, () => randomScalar()],
    [depth < 2 ? 2 : 0, () => {
      const o = {};
      for (const k of rng.sample(['a', 'b', 'c', 'name', 'n'], rng.int(1, 3))) {
        o[k] = matchPattern(depth + 1);
      }
      return o;
    }],
    [depth < 2 ? 2 : 0, () => {
      // scalar arrays, or arrays of objects with unique "id" keys
      if (rng.chance(0.6)) {
        return rng.sample(ARRAY_ITEMS, rng.int(1, 3));
      }
      return rng.sample([1, 2, 3, 4], rng.int(1, 2)).map(id => ({ id, v: randomScalar() }));
    }],
  ])();
}

function superset(p) {
  if (Array.isArray(p)) {
    const items = p.map(superset);
    for (let i = rng.int(0, 2); i > 0; i--) {
      items.push(p.length && isPlainObject(p[0]) ? { id: rng.int(5, 9), v: randomScalar() } : rng.pick(ARRAY_ITEMS.filter(x => !p.includes(x))));
    }
    return rng.shuffle(items);
  }
  if (isPlainObject(p)) {
    const o = {};
    for (const k of Object.keys(p)) {
      o[k] = superset(p[k]);
    }
    if (rng.chance(0.5)) {
      o.extra = randomScalar();
    }
    return o;
  }
  return p;
}

function mutate(p) {
  if (Array.isArray(p)) {
    if (p.length === 0) {
      return {};
    }
    const copy = clone(p);
    const i = rng.int(0, copy.length - 1);
    if (rng.chance(0.5)) {
      copy.splice(i, 1);
    }
    else {
      copy[i] = mutate(copy[i]);
    }
    return copy;
  }
  if (isPlainObject(p)) {
    const keys = Object.keys(p);
    const copy = clone(p);
    if (keys.length === 0) {
      return [];
    }
    const k = rng.pick(keys);
    if (rng.chance(0.4)) {
      delete copy[k];
    }
    else {
      copy[k] = mutate(copy[k]);
    }
    return copy;
  }
  return rng.chance(0.5) ? twist(p) : randomScalar();
}

function genMatch(ctx) {
  for (let attempt = 0; attempt < 10; attempt++) {
    const body = {};
    const n = ctx.sub ? 1 : rng.int(1, 2);
    let ok = true;
    for (let i = 0; i < n; i++) {
      const field = ctx.sub ? 'value' : rng.pick([...OBJ_FIELDS, ...ARR_FIELDS.filter(f => !f.includes('.')), 'name', 'age']);
      if (body[field] !== undefined || !ctx.usePath(field, false)) {
        ok = false;
        break;
      }
      const pattern = field === 'name' || field === 'age' ? randomScalar() : (rng.chance(0.5) ? matchPattern(1) : matchPattern(0));
      body[field] = pattern;
      ctx.hint(field, () => clone(pattern));
      ctx.hint(field, () => superset(pattern));
      ctx.hint(field, () => superset(pattern));
      ctx.hint(field, () => mutate(pattern));
    }
    if (ok && Object.keys(body).length > 0) {
      return { match: body };
    }
  }
  return null;
}

// ---- select
/** array element when the sub-document has no "value": never a bad geopoint */
function elementNoise(sub) {
  return sub.shapes.size > 0 ? null : noiseValue('any');
}

function genSelect(ctx, neg) {
  if (neg || ctx.sub) {
    return null; // negated select crashes koncorde (see koncorde-rejects-valid)
  }
  for (let attempt = 0; attempt < 10; attempt++) {
    const field = rng.pick(ARR_FIELDS);
    if (!ctx.usePath(field, false)) {
      continue;
    }
    const index = rng.pick([0, 0, 1, 2, -1, -1, -2, 3]);
    const sub = new Ctx({ sub: true, geoFields: ['value'] });
    sub.geoRegion.set('value', regionOf(ctx, ctx.geoFields[0]));
    sub.startFilter();
    const queryGen = rng.weighted([
      [4, genEquals], [2, genRange], [2, genRegexp], [1, genIn], [2, genExists], [1, genMatch],
      [1, genGeoDistance], [2, (c, n) => genTree(c, 1, n, LEAVES_SELECT)],
    ]);
    const query = queryGen(sub, false);
    if (!query) {
      continue;
    }
    ctx.hint(field, () => {
      const len = rng.int(0, 5);
      const arr = [];
      for (let i = 0; i < len; i++) {
        const d = buildDoc(sub, { noId: true, extraFields: false });
        arr.push(d.value === undefined ? elementNoise(sub) : d.value);
      }
      return arr;
    });
    ctx.hint(field, () => {
      const len = Math.max(index >= 0 ? index + 1 : -index, rng.int(1, 4));
      const arr = [];
      for (let i = 0; i < len; i++) {
        const d = buildDoc(sub, { noId: true, extraFields: false });
        arr.push(d.value === undefined ? elementNoise(sub) : d.value);
      }
      return arr;
    });
    return { select: { field, index, query } };
  }
  return null;
}

// ------------------------------------------------------- boolean structures
const LEAVES_ALL = [
  [5, genEquals], [2, genIn], [1, genIds], [3, genExists], [3, genRange], [2, genRegexp],
  [1, genMatch], [1, genSelect], [1, genGeoDistance], [1, genGeoBoundingBox], [1, genGeoPolygon],
  [1, genGeoDistanceRange],
];
const LEAVES_NOGEO = LEAVES_ALL.filter(([, g]) => !g.name.startsWith('genGeo'));
const LEAVES_SELECT = [[4, genEquals], [2, genRange], [2, genRegexp], [2, genExists], [1, genIn]];

function genLeaf(ctx, neg, leaves) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const gen = rng.weighted(leaves);
    const f = gen(ctx, neg);
    if (f) {
      return f;
    }
  }
  return { equals: { [ctx.sub ? 'value' : 'fallback']: 1 } };
}

function genTree(ctx, depth, neg, leaves = LEAVES_ALL) {
  if (depth <= 0 || rng.chance(0.25)) {
    return genLeaf(ctx, neg, leaves);
  }
  const op = rng.weighted([[3, 'and'], [3, 'or'], [2, 'not'], [2, 'bool']]);
  if (op === 'not') {
    return { not: genTree(ctx, depth - 1, !neg, leaves) };
  }
  if (op === 'and' || op === 'or') {
    const n = rng.int(2, 3);
    const children = [];
    for (let i = 0; i < n; i++) {
      children.push(genTree(ctx, depth - 1, neg, leaves));
    }
    return { [op]: children };
  }
  const body = {};
  for (const attr of rng.sample(['must', 'must_not', 'should', 'should_not'], rng.int(1, 3))) {
    const childNeg = attr === 'must_not' || attr === 'should_not' ? !neg : neg;
    const n = rng.int(1, 2);
    const children = [];
    for (let i = 0; i < n; i++) {
      children.push(genTree(ctx, depth - 1, childNeg, leaves));
    }
    body[attr] = children;
  }
  return { bool: body };
}

// ------------------------------------------------------------ document gen
function setPath(doc, p, value, wrapArrays) {
  const keys = p.split('.');
  let cur = doc;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i];
    if (cur[k] === undefined) {
      if (wrapArrays && i === 0 && rng.chance(0.5)) {
        // "no descent into arrays": {a: [{b: v}]} must not match "a.b"
        const inner = {};
        cur[k] = [inner];
        setPath(inner, keys.slice(1).join('.'), value, false);
        return;
      }
      cur[k] = {};
    }
    else if (!isPlainObject(cur[k])) {
      return; // path blocked by a non-object value
    }
    cur = cur[k];
  }
  if (cur[keys[keys.length - 1]] === undefined) {
    cur[keys[keys.length - 1]] = value;
  }
}

function geoPointFor(ctx, field) {
  const shapes = ctx.shapes.get(field) || [];
  for (let attempt = 0; attempt < 25; attempt++) {
    let lat, lon;
    const s = shapes.length ? rng.pick(shapes) : null;
    const mode = rng.weighted([[5, 'in'], [4, 'out'], [1, 'far']]);
    if (!s || mode === 'far') {
      [lat, lon] = nearRegion(ctx, field, 8);
    }
    else if (s.kind === 'circle' || s.kind === 'annulus') {
      const outer = s.kind === 'circle' ? s.radius : s.to;
      const inner = s.kind === 'circle' ? 0 : s.from;
      let d;
      if (mode === 'in') {
        d = rng.chance(0.5) && inner > 0 ? rng.range(0, inner) : rng.range(inner, outer);
      }
      else {
        d = rng.range(outer, outer * 2.5);
      }
      [lat, lon] = geo.destination(s.lat, s.lon, rng.range(0, 360), d);
    }
    else if (s.kind === 'bbox') {
      const h = s.top - s.bottom;
      const w = s.right - s.left;
      const k = mode === 'in' ? 0 : 0.6;
      lat = rng.range(s.bottom - k * h, s.top + k * h);
      lon = rng.range(s.left - k * w, s.right + k * w);
    }
    else {
      const lats = s.points.map(p => p[0]);
      const lons = s.points.map(p => p[1]);
      const minLat = Math.min(...lats), maxLat = Math.max(...lats);
      const minLon = Math.min(...lons), maxLon = Math.max(...lons);
      const k = mode === 'in' ? 0 : 0.4;
      lat = rng.range(minLat - k * (maxLat - minLat), maxLat + k * (maxLat - minLat));
      lon = rng.range(minLon - k * (maxLon - minLon), maxLon + k * (maxLon - minLon));
    }
    lat = round(lat, 6);
    lon = round(geo.normLon(lon), 6);
    if (Math.abs(lat) > 85) {
      continue;
    }
    // far from every boundary of every shape of this field (2% margin) and
    // clearly outside shapes registered on *other* geo fields (koncorde
    // crashes on points matching shapes of another field)
    let ok = true;
    for (const [f, list] of ctx.shapes) {
      for (const shape of list) {
        const c = geo.classify(shape, lat, lon, f === field ? 0.02 : 0.05);
        if (c === 'edge' || (f !== field && c === 'in')) {
          ok = false;
        }
      }
    }
    if (!ok) {
      continue;
    }
    const style = rng.pick(POINT_STYLES);
    const value = fmtPoint(lat, lon, style);
    if (style.toLowerCase().includes('hash')) {
      // re-check the decoded geohash cell centre
      const p = geo.parseGeopoint(value);
      let ok2 = true;
      for (const [f, list] of ctx.shapes) {
        for (const shape of list) {
          const c = geo.classify(shape, p[0], p[1], f === field ? 0.02 : 0.05);
          if (c === 'edge' || (f !== field && c === 'in')) {
            ok2 = false;
          }
        }
      }
      if (!ok2) {
        continue;
      }
    }
    return value;
  }
  return undefined;
}

/**
 * Builds a document from the context hints. Fields targeted by geo filters
 * only get valid geopoints or falsy values; fields targeted by negated
 * regexps only get strings (koncorde stringifies non-strings there).
 */
function buildDoc(ctx, opts = {}) {
  const doc = {};
  if (!opts.noId && rng.chance(0.9)) {
    doc._id = ctx.hints.has('_id') && rng.chance(0.6) ? ctx.hints.get('_id')[rng.int(0, ctx.hints.get('_id').length - 1)]() : rng.pick(ID_POOL);
  }
  const fields = rng.shuffle([...ctx.hints.keys()].filter(f => f !== '_id'));
  for (const field of fields) {
    if (rng.chance(opts.missingRate === undefined ? 0.15 : opts.missingRate)) {
      continue;
    }
    const hints = ctx.hints.get(field);
    let value;
    if (ctx.shapes.has(field)) {
      value = rng.chance(0.9)
        ? geoPointFor(ctx, field)
        : rng.pick([null, 0, '', false]);
      if (value === undefined) {
        continue;
      }
    }
    else if (rng.chance(0.8)) {
      value = rng.pick(hints)();
    }
    else {
      value = noiseValue(NUM_FIELDS.includes(field) ? 'num' : 'any');
    }
    if (ctx.regexpNeg.has(field) && typeof value !== 'string') {
      value = rng.pick(REGEXPS).samples[0];
    }
    setPath(doc, field, value, !ctx.sub && field.includes('.') && rng.chance(0.06));
  }
  if (opts.extraFields !== false && rng.chance(0.35)) {
    setPath(doc, rng.pick(['extra', 'other.field', 'zzz', 'misc']), noiseValue('any'), false);
  }
  return doc;
}

// --------------------------------------------------------------- koncorde
const stats = {
  lines: { set: 0, match: 0, invalid: 0, 'koncorde-rejects-valid': 0 },
  matchPerKeyword: {},
  setsPerKeyword: {},
  invalidPerKeyword: {},
  rejectsValidPerKeyword: {},
  matchedLines: 0,
  labelsMatched: 0,
  droppedTestThrows: 0,
  droppedDisagreements: 0,
  disagreementExamples: [],
  testThrowExamples: [],
  filtersRejectedInSets: 0,
};
const out = [];
const seenRejectsValid = new Set();

function keywordsOf(filter, acc = new Set()) {
  if (!isPlainObject(filter)) {
    return acc;
  }
  for (const [k, v] of Object.entries(filter)) {
    acc.add(k);
    if (k === 'and' || k === 'or') {
      if (Array.isArray(v)) {
        v.forEach(f => keywordsOf(f, acc));
      }
    }
    else if (k === 'not') {
      keywordsOf(v, acc);
    }
    else if (k === 'bool' && isPlainObject(v)) {
      for (const list of Object.values(v)) {
        (Array.isArray(list) ? list : [list]).forEach(f => keywordsOf(f, acc));
      }
    }
    else if (k === 'select' && isPlainObject(v)) {
      keywordsOf(v.query, acc);
    }
  }
  return acc;
}

function negatedKeywords(filter, neg = false, acc = new Set()) {
  if (!isPlainObject(filter)) {
    return acc;
  }
  for (const [k, v] of Object.entries(filter)) {
    if (k === 'and' || k === 'or') {
      v.forEach(f => negatedKeywords(f, neg, acc));
    }
    else if (k === 'not') {
      negatedKeywords(v, !neg, acc);
    }
    else if (k === 'bool') {
      for (const [attr, list] of Object.entries(v)) {
        const n = attr === 'must_not' || attr === 'should_not' ? !neg : neg;
        (Array.isArray(list) ? list : [list]).forEach(f => negatedKeywords(f, n, acc));
      }
    }
    else if (neg) {
      acc.add(k === 'missing' ? 'exists' : k);
    }
    else if (k === 'missing') {
      acc.add('exists'); // missing is a negated exists
    }
  }
  return acc;
}

/** fields of regexp conditions under a negation (select queries excluded) */
function negatedRegexpFields(filter, neg, acc) {
  if (!isPlainObject(filter)) {
    return acc;
  }
  for (const [k, v] of Object.entries(filter)) {
    if (k === 'and' || k === 'or') {
      v.forEach(f => negatedRegexpFields(f, neg, acc));
    }
    else if (k === 'not') {
      negatedRegexpFields(v, !neg, acc);
    }
    else if (k === 'bool') {
      for (const [attr, list] of Object.entries(v)) {
        const n = attr === 'must_not' || attr === 'should_not' ? !neg : neg;
        (Array.isArray(list) ? list : [list]).forEach(f => negatedRegexpFields(f, n, acc));
      }
    }
    else if (k === 'regexp' && neg) {
      acc.add(Object.keys(v)[0]);
    }
  }
  return acc;
}

function bump(obj, key, n = 1) {
  obj[key] = (obj[key] || 0) + n;
}

function tryRegister(filter) {
  const k = new Koncorde();
  try {
    k.register(filter);
    return null;
  }
  catch (e) {
    return e;
  }
}

function emit(obj) {
  out.push(JSON.stringify(obj));
  bump(stats.lines, obj.type);
}

function emitRejectsValid(filter, error) {
  const key = JSON.stringify(filter);
  if (seenRejectsValid.has(key)) {
    return;
  }
  seenRejectsValid.add(key);
  emit({ type: 'koncorde-rejects-valid', filter, error: error.message });
  for (const kw of keywordsOf(filter)) {
    bump(stats.rejectsValidPerKeyword, kw);
  }
}

const autoRejects = { count: 0, perMessage: new Map() };

/**
 * Generates `n` filters with `gen`, validated by koncorde alone first.
 * Filters koncorde rejects although they are valid go to
 * koncorde-rejects-valid (a few of them), and are regenerated.
 */
function makeFilters(ctx, n, gen) {
  const filters = [];
  let guard = 0;
  while (filters.length < n && guard++ < n * 10) {
    ctx.startFilter();
    const snapshot = { hints: new Map([...ctx.hints].map(([k, v]) => [k, v.slice()])), shapes: new Map([...ctx.shapes].map(([k, v]) => [k, v.slice()])) };
    const f = gen(ctx);
    if (!f) {
      continue;
    }
    const err = tryRegister(f);
    if (err) {
      stats.filtersRejectedInSets++;
      const kind = err.message.replace(/^"[^"]*": /, '');
      const seen = autoRejects.perMessage.get(kind) || 0;
      if (autoRejects.count < 30 && seen < 12 && JSON.stringify(f).length < 1500) {
        autoRejects.count++;
        autoRejects.perMessage.set(kind, seen + 1);
        emitRejectsValid(f, err);
      }
      ctx.hints = snapshot.hints;
      ctx.shapes = snapshot.shapes;
      continue;
    }
    filters.push(f);
  }
  return filters;
}

let setCounter = 0;

function runSet(theme, ctx, filters, docCount, extraDocs = []) {
  if (filters.length === 0) {
    return;
  }
  setCounter++;
  const name = `s${String(setCounter).padStart(4, '0')}-${theme}`;
  const labelled = {};
  filters.forEach((f, i) => {
    labelled[`f${i + 1}`] = f;
  });

  const koncorde = new Koncorde();
  const byId = new Map();
  for (const [label, f] of Object.entries(labelled)) {
    const id = koncorde.register(f);
    if (!byId.has(id)) {
      byId.set(id, []);
    }
    byId.get(id).push(label);
  }

  for (const f of filters) {
    negatedRegexpFields(f, false, ctx.regexpNeg);
  }

  const lines = [];
  const seenDocs = new Set();
  const docs = extraDocs.slice();
  let guard = 0;
  while (docs.length < docCount + extraDocs.length && guard++ < docCount * 4) {
    docs.push(buildDoc(ctx));
  }
  for (const doc of docs) {
    const key = JSON.stringify(doc);
    if (seenDocs.has(key)) {
      continue;
    }
    seenDocs.add(key);
    let ids;
    try {
      ids = koncorde.test(doc);
    }
    catch (e) {
      stats.droppedTestThrows++;
      if (stats.testThrowExamples.length < 20) {
        stats.testThrowExamples.push({ set: name, filters: labelled, doc, error: e.message });
      }
      continue;
    }
    const expected = [];
    for (const id of ids) {
      expected.push(...byId.get(id));
    }
    expected.sort();
    const oracleLabels = Object.keys(labelled).filter(l => oracle.evaluate(labelled[l], doc)).sort();
    if (JSON.stringify(oracleLabels) !== JSON.stringify(expected)) {
      stats.droppedDisagreements++;
      if (stats.disagreementExamples.length < 60) {
        stats.disagreementExamples.push({ set: name, filters: labelled, doc, koncorde: expected, oracle: oracleLabels });
      }
      continue;
    }
    lines.push({ type: 'match', set: name, doc, expected });
  }
  if (lines.length === 0) {
    setCounter--;
    return;
  }
  emit({ type: 'set', set: name, filters: labelled });
  const kws = new Set();
  for (const f of filters) {
    keywordsOf(f, kws);
    for (const k of negatedKeywords(f)) {
      kws.add('not ' + k);
    }
  }
  for (const kw of kws) {
    bump(stats.setsPerKeyword, kw);
  }
  for (const line of lines) {
    emit(line);
    if (line.expected.length > 0) {
      stats.matchedLines++;
      stats.labelsMatched += line.expected.length;
    }
    for (const kw of kws) {
      bump(stats.matchPerKeyword, kw);
    }
  }
}

// ------------------------------------------------------------------ themes
function negate(f) {
  return rng.weighted([
    [3, () => ({ not: f })],
    [1, () => ({ bool: { must_not: [f] } })],
    [1, () => ({ bool: { should_not: [f] } })],
  ])();
}

const SINGLE = {
  equals: genEquals,
  in: genIn,
  ids: genIds,
  exists: (c, n) => genExists(c, n, 'exists'),
  missing: (c, n) => genExists(c, n, 'missing'),
  range: genRange,
  regexp: genRegexp,
  match: genMatch,
  select: genSelect,
  geoBoundingBox: genGeoBoundingBox,
  geoDistance: genGeoDistance,
  geoDistanceRange: genGeoDistanceRange,
  geoPolygon: genGeoPolygon,
};

/** sets focused on one keyword, with some negations of that keyword */
function themeKeyword(keyword) {
  const ctx = new Ctx({ geoFields: rng.chance(0.15) ? rng.sample(GEO_FIELDS, 2) : rng.sample(GEO_FIELDS, 1) });
  const gen = SINGLE[keyword];
  const negAllowed = keyword !== 'select';
  const filters = makeFilters(ctx, rng.int(2, 7), c => {
    const neg = negAllowed && rng.chance(0.35);
    const f = gen(c, neg);
    return f && neg ? negate(f) : f;
  });
  runSet(keyword, ctx, filters, rng.int(12, 20));
}

/** boolean combinations 2-3 levels deep */
function themeCombo(withGeo) {
  const ctx = new Ctx();
  const leaves = withGeo ? LEAVES_ALL : LEAVES_NOGEO;
  const filters = makeFilters(ctx, rng.int(2, 6), c => genTree(c, rng.int(2, 3), false, leaves));
  runSet(withGeo ? 'combo-geo' : 'combo', ctx, filters, rng.int(14, 22));
}

/** several filters sharing the same conditions */
function themeShared() {
  const ctx = new Ctx();
  // one constraint scope for the whole pool: its leaves get combined
  ctx.startFilter();
  const pool = [];
  while (pool.length < 4) {
    const f = genLeaf(ctx, false, LEAVES_NOGEO.filter(([, g]) => g !== genSelect));
    if (!tryRegister(f)) {
      pool.push(f);
    }
  }
  const [a, b, c, d] = pool;
  const candidates = [
    a, { and: [a, b] }, { or: [a, c] }, { not: b }, { and: [b, a] }, { bool: { must: [a], must_not: [c] } },
    { or: [{ and: [a, b] }, { and: [c, d] }] }, { and: [a, { not: d }] }, a, { or: [b, c, d] },
    { and: [{ or: [a, b] }, { or: [c, d] }] }, { not: { or: [a, d] } }, { bool: { should: [a, b], should_not: [c] } },
  ];
  // same-path constraints do not apply across filters: each filter is separate
  const filters = rng.sample(candidates, rng.int(4, 8)).filter(f => !tryRegister(f));
  runSet('shared', ctx, filters, rng.int(14, 22));
}

/** mixed bag: random leaves of many keywords on shared fields */
function themeMixed() {
  const ctx = new Ctx({ geoFields: rng.sample(GEO_FIELDS, rng.chance(0.3) ? 2 : 1) });
  const filters = makeFilters(ctx, rng.int(4, 8), c => {
    const neg = rng.chance(0.3);
    const f = genLeaf(c, neg, LEAVES_ALL.filter(([, g]) => !(neg && g === genSelect)));
    return neg ? negate(f) : f;
  });
  runSet('mixed', ctx, filters, rng.int(14, 22));
}

/** hand-written sets (documentation examples, edge cases) */
function themeHandwritten() {
  const sets = require('./lib/handcrafted').HANDWRITTEN_SETS;
  for (const s of sets) {
    const ctx = new Ctx({ geoFields: s.geoFields || ['location'] });
    for (const f of s.filters) {
      const e = tryRegister(f);
      if (e) {
        throw new Error(`handwritten set ${s.name}: ${JSON.stringify(f)} rejected: ${e.message}`);
      }
    }
    runSet(s.name, ctx, s.filters, 0, s.docs);
  }
}

// -------------------------------------------------------------- main flow
function generateInvalid() {
  const seen = new Set();
  const all = INVALID_FILTERS.slice();
  // systematic wrong types for every keyword
  const badValues = [null, 1, 'x', true, [], {}, [1], [{}], { a: 1 }];
  for (const kw of ['and', 'or', 'not', 'bool', 'equals', 'exists', 'missing', 'ids', 'in', 'range', 'regexp', 'match', 'select',
    'geoBoundingBox', 'geoDistance', 'geoDistanceRange', 'geoPolygon']) {
    for (const bad of badValues) {
      all.push({ [kw]: bad });
    }
  }
  for (const field of ['geoBoundingBox', 'geoPolygon', 'equals', 'in', 'range', 'regexp']) {
    for (const bad of [null, 1, 'x', true, [], {}]) {
      all.push({ [field]: { location: bad } });
    }
  }
  for (const filter of all) {
    const key = JSON.stringify(filter);
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    const err = tryRegister(filter);
    if (!err) {
      continue; // accepted by koncorde: not an invalid filter
    }
    emit({ type: 'invalid', filter, error: err.message });
    bump(stats.invalidPerKeyword, Object.keys(filter || {})[0] || '(empty)');
  }
}

function generateRejectsValid() {
  for (const filter of REJECTS_VALID_FILTERS) {
    const err = tryRegister(filter);
    if (!err) {
      throw new Error('expected koncorde to reject ' + JSON.stringify(filter));
    }
    emitRejectsValid(filter, err);
  }
}

function main() {
  themeHandwritten();

  const keywords = Object.keys(SINGLE);
  const plan = [];
  for (let i = 0; i < OPTS.sets; i++) {
    plan.push(rng.weighted([
      [26, () => themeKeyword(keywords[i % keywords.length])],
      [7, () => themeCombo(false)],
      [3, () => themeCombo(true)],
      [3, () => themeShared()],
      [6, () => themeMixed()],
    ]));
  }
  for (const step of plan) {
    step();
  }

  generateRejectsValid();
  generateInvalid();

  fs.mkdirSync(path.dirname(OPTS.out), { recursive: true });
  fs.writeFileSync(OPTS.out, out.join('\n') + '\n');

  const size = fs.statSync(OPTS.out).size;
  const summary = {
    out: path.relative(process.cwd(), OPTS.out),
    bytes: size,
    lines: stats.lines,
    matchLinesWithMatches: stats.matchedLines,
    labelsMatched: stats.labelsMatched,
    droppedTestThrows: stats.droppedTestThrows,
    droppedDisagreements: stats.droppedDisagreements,
    filtersRejectedWhileBuildingSets: stats.filtersRejectedInSets,
    matchLinesPerKeyword: sortObj(stats.matchPerKeyword),
    setsPerKeyword: sortObj(stats.setsPerKeyword),
    invalidPerKeyword: sortObj(stats.invalidPerKeyword),
    rejectsValidPerKeyword: sortObj(stats.rejectsValidPerKeyword),
  };
  console.log(JSON.stringify(summary, null, 2));
  if (process.env.KONCORDE_CORPUS_DEBUG) {
    fs.writeFileSync(process.env.KONCORDE_CORPUS_DEBUG, JSON.stringify({
      disagreements: stats.disagreementExamples,
      testThrows: stats.testThrowExamples,
    }, null, 1));
  }
}

function sortObj(o) {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

main();
