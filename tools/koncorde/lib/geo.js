'use strict';

/**
 * Independent geometry helpers used by the corpus generator (reference
 * oracle + safety margins). They deliberately do NOT reuse koncorde code.
 *
 * - distances: haversine on a sphere of mean radius 6371008.8 m
 * - bounding boxes: lat/lon ranges (longitudes compared after normalisation)
 * - polygons: planar point-in-polygon in (lat, lon) degrees
 *
 * The generator only keeps points that are far (2% margin) from every
 * shape boundary, so that any correct geometry gives the same answers.
 */

const EARTH_RADIUS = 6371008.8;
const DEG = Math.PI / 180;

function normLon(lon) {
  let l = ((lon + 180) % 360 + 360) % 360 - 180;
  if (l === -180 && lon > 0) {
    l = 180;
  }
  return l;
}

function haversine(lat1, lon1, lat2, lon2) {
  const dLat = (lat2 - lat1) * DEG;
  const dLon = (lon2 - lon1) * DEG;
  const h = Math.sin(dLat / 2) ** 2
    + Math.cos(lat1 * DEG) * Math.cos(lat2 * DEG) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** point reached from (lat, lon) going `dist` meters along `bearing` degrees */
function destination(lat, lon, bearing, dist) {
  const d = dist / EARTH_RADIUS;
  const b = bearing * DEG;
  const p1 = lat * DEG;
  const l1 = lon * DEG;
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(b));
  const l2 = l1 + Math.atan2(
    Math.sin(b) * Math.sin(d) * Math.cos(p1),
    Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return [p2 / DEG, normLon(l2 / DEG)];
}

// ---------------------------------------------------------------- geohash
const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';

function geohashEncode(lat, lon, precision) {
  let latLo = -90, latHi = 90, lonLo = -180, lonHi = 180;
  let hash = '';
  let bit = 0, ch = 0, even = true;

  while (hash.length < precision) {
    if (even) {
      const mid = (lonLo + lonHi) / 2;
      if (lon >= mid) {
        ch = (ch << 1) | 1;
        lonLo = mid;
      }
      else {
        ch <<= 1;
        lonHi = mid;
      }
    }
    else {
      const mid = (latLo + latHi) / 2;
      if (lat >= mid) {
        ch = (ch << 1) | 1;
        latLo = mid;
      }
      else {
        ch <<= 1;
        latHi = mid;
      }
    }
    even = !even;
    if (++bit === 5) {
      hash += BASE32[ch];
      bit = 0;
      ch = 0;
    }
  }
  return hash;
}

/** returns the centre of the geohash cell, or null if not a valid geohash */
function geohashDecode(hash) {
  let latLo = -90, latHi = 90, lonLo = -180, lonHi = 180;
  let even = true;

  for (const c of hash) {
    const v = BASE32.indexOf(c);
    if (v === -1) {
      return null;
    }
    for (let i = 4; i >= 0; i--) {
      const bitSet = (v >> i) & 1;
      if (even) {
        const mid = (lonLo + lonHi) / 2;
        if (bitSet) {
          lonLo = mid;
        }
        else {
          lonHi = mid;
        }
      }
      else {
        const mid = (latLo + latHi) / 2;
        if (bitSet) {
          latLo = mid;
        }
        else {
          latHi = mid;
        }
      }
      even = !even;
    }
  }
  return [(latLo + latHi) / 2, (lonLo + lonHi) / 2];
}

// ------------------------------------------------------------ geopoints
function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function num(v) {
  if (typeof v === 'number') {
    return Number.isFinite(v) ? v : null;
  }
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) {
    return Number(v);
  }
  return null;
}

function pair(a, b) {
  const lat = num(a);
  const lon = num(b);
  return lat === null || lon === null ? null : [lat, lon];
}

function pointFromString(s) {
  const parts = s.split(',');
  if (parts.length === 2) {
    return pair(parts[0], parts[1]);
  }
  if (/^[0-9b-hjkmnp-z]{4,}$/.test(s)) {
    return geohashDecode(s);
  }
  return null;
}

/**
 * Parses the documented geopoint formats. Returns [lat, lon] or null.
 * Strict on purpose: the generator only produces well-formed points.
 */
function parseGeopoint(v) {
  if (typeof v === 'string') {
    return pointFromString(v);
  }
  if (Array.isArray(v)) {
    return v.length === 2 ? pair(v[0], v[1]) : null;
  }
  if (!isPlainObject(v)) {
    return null;
  }
  if ('lat' in v && 'lon' in v) {
    return pair(v.lat, v.lon);
  }
  const ll = 'latLon' in v ? v.latLon : v.lat_lon;
  if (ll === undefined) {
    return null;
  }
  if (typeof ll === 'string') {
    return pointFromString(ll);
  }
  if (Array.isArray(ll)) {
    return ll.length === 2 ? pair(ll[0], ll[1]) : null;
  }
  if (isPlainObject(ll) && 'lat' in ll && 'lon' in ll) {
    return pair(ll.lat, ll.lon);
  }
  return null;
}

// ------------------------------------------------------------ distances
const UNIT_FACTORS = {
  m: 1, meter: 1, meters: 1,
  km: 1000, kilometer: 1000, kilometers: 1000,
  cm: 0.01, centimeter: 0.01, centimeters: 0.01,
  mm: 0.001, millimeter: 0.001, millimeters: 0.001,
  dm: 0.1, dam: 10, hm: 100, hectometer: 100, hectometers: 100,
  mi: 1609.34, mile: 1609.34, miles: 1609.34,
  yd: 0.9144, yard: 0.9144, yards: 0.9144,
  ft: 0.3048, feet: 0.3048, feets: 0.3048,
  in: 0.0254, inch: 0.0254, inches: 0.0254,
};

/** parses "<number><unit>" distances (documented format), in meters */
function parseDistance(s) {
  const cleaned = String(s).replace(/[\s-]/g, '').replace(/,/g, '.').toLowerCase();
  const m = /^(\d+(?:\.\d+)?)([a-z]+)$/.exec(cleaned);
  if (!m || UNIT_FACTORS[m[2]] === undefined) {
    return null;
  }
  return Number(m[1]) * UNIT_FACTORS[m[2]];
}

// ------------------------------------------------------------- polygons
function pointInPolygon(lat, lon, pts) {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [yi, xi] = pts[i];
    const [yj, xj] = pts[j];
    if (((yi > lat) !== (yj > lat))
      && (lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi)) {
      inside = !inside;
    }
  }
  return inside;
}

function segmentDistance(lat, lon, a, b) {
  const [ay, ax] = a;
  const [by, bx] = b;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((lon - ax) * dx + (lat - ay) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  const px = ax + t * dx;
  const py = ay + t * dy;
  return Math.hypot(lon - px, lat - py);
}

function polygonEdgeDistance(lat, lon, pts) {
  let min = Infinity;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    min = Math.min(min, segmentDistance(lat, lon, pts[j], pts[i]));
  }
  return min;
}

function polygonExtent(pts) {
  const lats = pts.map(p => p[0]);
  const lons = pts.map(p => p[1]);
  return Math.max(Math.max(...lats) - Math.min(...lats), Math.max(...lons) - Math.min(...lons));
}

// --------------------------------------------------------------- shapes
/**
 * Shapes:
 *   { kind: 'bbox', top, left, bottom, right }
 *   { kind: 'circle', lat, lon, radius }
 *   { kind: 'annulus', lat, lon, from, to }
 *   { kind: 'polygon', points: [[lat, lon], ...] }
 */
function contains(shape, lat, lon) {
  switch (shape.kind) {
    case 'bbox': {
      const l = normLon(lon);
      return lat >= shape.bottom && lat <= shape.top && l >= shape.left && l <= shape.right;
    }
    case 'circle':
      return haversine(shape.lat, shape.lon, lat, lon) <= shape.radius;
    case 'annulus': {
      const d = haversine(shape.lat, shape.lon, lat, lon);
      return d >= shape.from && d <= shape.to;
    }
    case 'polygon':
      return pointInPolygon(lat, normLon(lon), shape.points);
    default:
      throw new Error('unknown shape ' + shape.kind);
  }
}

/**
 * 'in', 'out', or 'edge' when the point is within `margin` (relative) of
 * the shape's boundary.
 */
function classify(shape, lat, lon, margin = 0.02) {
  switch (shape.kind) {
    case 'bbox': {
      const l = normLon(lon);
      const mLat = Math.max(1e-6, (shape.top - shape.bottom) * margin);
      const mLon = Math.max(1e-6, (shape.right - shape.left) * margin);
      if (lat >= shape.bottom + mLat && lat <= shape.top - mLat
        && l >= shape.left + mLon && l <= shape.right - mLon) {
        return 'in';
      }
      if (lat < shape.bottom - mLat || lat > shape.top + mLat
        || l < shape.left - mLon || l > shape.right + mLon) {
        return 'out';
      }
      return 'edge';
    }
    case 'circle': {
      const d = haversine(shape.lat, shape.lon, lat, lon);
      if (d <= shape.radius * (1 - margin)) {
        return 'in';
      }
      return d >= shape.radius * (1 + margin) ? 'out' : 'edge';
    }
    case 'annulus': {
      const d = haversine(shape.lat, shape.lon, lat, lon);
      const inner = shape.from;
      const outer = shape.to;
      if (d >= inner * (1 + margin) && d <= outer * (1 - margin)) {
        return 'in';
      }
      if (d <= inner * (1 - margin) || d >= outer * (1 + margin)) {
        return inner > 0 || d > 0 ? 'out' : 'in';
      }
      return 'edge';
    }
    case 'polygon': {
      const l = normLon(lon);
      const dist = polygonEdgeDistance(lat, l, shape.points);
      if (dist < polygonExtent(shape.points) * margin) {
        return 'edge';
      }
      return pointInPolygon(lat, l, shape.points) ? 'in' : 'out';
    }
    default:
      throw new Error('unknown shape ' + shape.kind);
  }
}

module.exports = {
  EARTH_RADIUS,
  UNIT_FACTORS,
  classify,
  contains,
  destination,
  geohashDecode,
  geohashEncode,
  haversine,
  normLon,
  parseDistance,
  parseGeopoint,
  polygonExtent,
};
