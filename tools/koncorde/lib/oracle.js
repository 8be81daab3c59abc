'use strict';

/**
 * Reference evaluator of the documented Koncorde DSL, written from the
 * documentation (not from koncorde's code). The corpus generator uses it as
 * a cross-check: a document for which koncorde and this oracle disagree is
 * dropped from the corpus (and reported), so that koncorde bugs do not end
 * up baked into the expectations.
 *
 * Only supports well-formed filters (the generator validates them with
 * koncorde first).
 */

const { contains, parseDistance, parseGeopoint } = require('./geo');

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** dot-path lookup, without descending into arrays */
function getPath(doc, path) {
  let cur = doc;
  for (const key of path.split('.')) {
    if (!isPlainObject(cur) || !Object.prototype.hasOwnProperty.call(cur, key)) {
      return undefined;
    }
    cur = cur[key];
  }
  return cur;
}

function isScalar(v) {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

function strictEquals(docValue, filterValue) {
  return docValue !== undefined && isScalar(docValue) && docValue === filterValue;
}

/** "path" or "path[<json scalar>]" */
function parseExistsField(field) {
  const m = /^(.*?[^\\])\[(.*)\]$/.exec(field);
  if (!m) {
    return { path: field.replace(/\\([[\]])/g, '$1'), array: false };
  }
  return { path: m[1].replace(/\\([[\]])/g, '$1'), array: true, value: JSON.parse(m[2]) };
}

function exists(doc, spec) {
  const field = typeof spec === 'string' ? spec : spec.field;
  const parsed = parseExistsField(field);
  const v = getPath(doc, parsed.path);
  if (!parsed.array) {
    return v !== undefined;
  }
  return Array.isArray(v) && isScalar(parsed.value) && v.some(x => Object.is(x, parsed.value) || x === parsed.value);
}

// ---------------------------------------------------------------- match
function matchValue(subject, pattern) {
  if (Array.isArray(pattern)) {
    return Array.isArray(subject) && matchArray(subject, pattern);
  }
  if (isPlainObject(pattern)) {
    return isPlainObject(subject)
      && Object.keys(pattern).every(k => Object.prototype.hasOwnProperty.call(subject, k)
        && matchValue(subject[k], pattern[k]));
  }
  return subject === pattern;
}

/** every pattern item must match a distinct subject item (multiset inclusion) */
function matchArray(subject, pattern) {
  if (pattern.length > subject.length) {
    return false;
  }
  const used = new Array(subject.length).fill(false);
  const assign = i => {
    if (i === pattern.length) {
      return true;
    }
    for (let j = 0; j < subject.length; j++) {
      if (!used[j] && matchValue(subject[j], pattern[i])) {
        used[j] = true;
        if (assign(i + 1)) {
          return true;
        }
        used[j] = false;
      }
    }
    return false;
  };
  return assign(0);
}

// ------------------------------------------------------------------ geo
function geoField(body, exclude) {
  return Object.keys(body).find(k => !exclude.includes(k));
}

function bboxShape(desc) {
  const d = {};
  for (const [k, v] of Object.entries(desc)) {
    d[k.replace(/_([a-z])/g, (_, c) => c.toUpperCase())] = v;
  }
  if (['top', 'left', 'bottom', 'right'].every(k => d[k] !== undefined)) {
    return {
      kind: 'bbox',
      top: Number(d.top), left: Number(d.left), bottom: Number(d.bottom), right: Number(d.right),
    };
  }
  const tl = parseGeopoint(d.topLeft);
  const br = parseGeopoint(d.bottomRight);
  return { kind: 'bbox', top: tl[0], left: tl[1], bottom: br[0], right: br[1] };
}

/** shape (in the geo.js format) described by a geo keyword body */
function geoShape(keyword, body) {
  switch (keyword) {
    case 'geoBoundingBox': {
      const field = Object.keys(body)[0];
      return { field, shape: bboxShape(body[field]) };
    }
    case 'geoDistance': {
      const field = geoField(body, ['distance']);
      const [lat, lon] = parseGeopoint(body[field]);
      return { field, shape: { kind: 'circle', lat, lon, radius: parseDistance(body.distance) } };
    }
    case 'geoDistanceRange': {
      const field = geoField(body, ['from', 'to']);
      const [lat, lon] = parseGeopoint(body[field]);
      return {
        field,
        shape: { kind: 'annulus', lat, lon, from: parseDistance(body.from), to: parseDistance(body.to) },
      };
    }
    case 'geoPolygon': {
      const field = Object.keys(body)[0];
      return { field, shape: { kind: 'polygon', points: body[field].points.map(parseGeopoint) } };
    }
    default:
      throw new Error('not a geo keyword: ' + keyword);
  }
}

function geoMatch(keyword, body, doc) {
  const { field, shape } = geoShape(keyword, body);
  const v = getPath(doc, field);
  if (v === undefined || v === null) {
    return false;
  }
  const p = parseGeopoint(v);
  return p !== null && contains(shape, p[0], p[1]);
}

// -------------------------------------------------------------- filters
function evaluate(filter, doc) {
  if (filter === null || Object.keys(filter).length === 0) {
    return true;
  }
  const keyword = Object.keys(filter)[0];
  const body = filter[keyword];

  switch (keyword) {
    case 'and':
      return body.every(f => evaluate(f, doc));
    case 'or':
      return body.some(f => evaluate(f, doc));
    case 'not':
      return !evaluate(body, doc);
    case 'bool': {
      const list = v => (Array.isArray(v) ? v : [v]);
      if (body.must && !list(body.must).every(f => evaluate(f, doc))) {
        return false;
      }
      if (body.must_not && list(body.must_not).some(f => evaluate(f, doc))) {
        return false;
      }
      if (body.should && !list(body.should).some(f => evaluate(f, doc))) {
        return false;
      }
      if (body.should_not && list(body.should_not).every(f => evaluate(f, doc))) {
        return false;
      }
      return true;
    }
    case 'equals': {
      const field = Object.keys(body)[0];
      return strictEquals(getPath(doc, field), body[field]);
    }
    case 'in': {
      const field = Object.keys(body)[0];
      const v = getPath(doc, field);
      return body[field].some(x => strictEquals(v, x));
    }
    case 'ids':
      return body.values.some(x => strictEquals(getPath(doc, '_id'), x));
    case 'exists':
      return exists(doc, body);
    case 'missing':
      return !exists(doc, body);
    case 'range': {
      const field = Object.keys(body)[0];
      const v = getPath(doc, field);
      if (typeof v !== 'number') {
        return false;
      }
      const b = body[field];
      return (b.gt === undefined || v > b.gt)
        && (b.gte === undefined || v >= b.gte)
        && (b.lt === undefined || v < b.lt)
        && (b.lte === undefined || v <= b.lte);
    }
    case 'regexp': {
      const field = Object.keys(body)[0];
      const v = getPath(doc, field);
      if (typeof v !== 'string') {
        return false;
      }
      const spec = typeof body[field] === 'string' ? { value: body[field] } : body[field];
      return new RegExp(spec.value, (spec.flags || '').replace(/[gy]/g, '')).test(v);
    }
    case 'match':
      return Object.keys(body).every(k => {
        const v = getPath(doc, k);
        return v !== undefined && matchValue(v, body[k]);
      });
    case 'select': {
      const arr = getPath(doc, body.field);
      if (!Array.isArray(arr)) {
        return false;
      }
      const idx = body.index >= 0 ? body.index : arr.length + body.index;
      if (idx < 0 || idx >= arr.length) {
        return false;
      }
      return evaluate(body.query, { value: arr[idx] });
    }
    case 'geoBoundingBox':
    case 'geoDistance':
    case 'geoDistanceRange':
    case 'geoPolygon':
      return geoMatch(keyword, body, doc);
    default:
      throw new Error('oracle: unsupported keyword ' + keyword);
  }
}

module.exports = { evaluate, geoShape, getPath, parseExistsField };
