#!/usr/bin/env node
'use strict';

/**
 * Koncorde 4.7.0's answers for points placed on purpose near the boundaries of geo filters (issue 16): circles and
 * rings (points at ±0.01%, ±0.1% and ±1% of a radius, any bearing), boxes (points a hair inside and outside each
 * side) and polygons (points 0.5 m to 1 km either side of each edge, at the edge's geodesic midpoint, along the
 * perpendicular geodesic on the WGS84 ellipsoid, computed with GeographicLib). The corpus elsewhere keeps its points
 * 2% away from boundaries; this one is where answers can differ.
 *
 * Writes engine/src/test/resources/koncorde/boundary.jsonl, one line per point:
 *   {"filter": <geo filter on "p">, "doc": {"p": {"lat", "lon"}}, "koncorde": true|false}
 * polygon points also carry "offsetM": their signed distance from the edge (positive: right of the edge's direction).
 * KoncordeBoundaryTest reads it.
 *
 * usage: node tools/koncorde/boundary.js [--out FILE] [--seed N] [--shapes N] [--polygons N]
 */

const fs = require('fs');
const path = require('path');
const { Koncorde } = require('koncorde');
const { Random } = require('./lib/prng');
const { Geodesic } = require('geographiclib-geodesic');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const OUT = option('--out', path.join(__dirname, '..', '..', 'engine', 'src', 'test', 'resources', 'koncorde',
  'boundary.jsonl'));
const rng = new Random(Number(option('--seed', 16)));
const SHAPES = Number(option('--shapes', 300));
const POLYGONS = Number(option('--polygons', 150));
const OFFSETS = [0.5, 2, 10, 100, 1000];
const FRACTIONS = [0.0001, 0.001, 0.01];
const EARTH = 6371008.8;
const toRad = d => d * Math.PI / 180;
const toDeg = r => r * 180 / Math.PI;

/** a point `meters` from (lat, lon) along `bearing` degrees, on the sphere (the label is Koncorde's answer anyway) */
function destination(lat, lon, bearing, meters) {
  const d = meters / EARTH;
  const phi1 = toRad(lat);
  const theta = toRad(bearing);
  const phi2 = Math.asin(Math.sin(phi1) * Math.cos(d) + Math.cos(phi1) * Math.sin(d) * Math.cos(theta));
  const lambda2 = toRad(lon) + Math.atan2(Math.sin(theta) * Math.sin(d) * Math.cos(phi1),
    Math.cos(d) - Math.sin(phi1) * Math.sin(phi2));
  return { lat: toDeg(phi2), lon: ((toDeg(lambda2) + 540) % 360) - 180 };
}

function answer(filter, doc) {
  const koncorde = new Koncorde();
  const id = koncorde.register(filter);
  return koncorde.test(doc).includes(id);
}

const lines = [];
for (let s = 0; s < SHAPES; s++) {
  const lat = (rng.float() * 2 - 1) * 80;
  const lon = (rng.float() * 2 - 1) * 180;
  const radius = Math.round(Math.pow(10, 2 + 3.3 * rng.float())); // 100 m to 200 km
  const ring = rng.float() < 0.4;
  const inner = ring ? Math.round(radius * (0.2 + 0.6 * rng.float())) : 0;
  const filter = ring
    ? { geoDistanceRange: { p: { lat, lon }, from: `${inner}m`, to: `${radius}m` } }
    : { geoDistance: { p: { lat, lon }, distance: `${radius}m` } };
  for (const fraction of FRACTIONS) {
    const bearing = rng.float() * 360;
    for (const edge of ring ? [radius, inner] : [radius]) {
      for (const sign of [-1, 1]) {
        const doc = { p: destination(lat, lon, bearing, edge * (1 + sign * fraction)) };
        lines.push({ filter, doc, koncorde: answer(filter, doc) });
      }
    }
  }
  // a box around the same place: points a hair inside and outside each side
  const top = lat + 0.5 * rng.float() + 0.01;
  const bottom = lat - 0.5 * rng.float() - 0.01;
  const left = lon - 0.5 * rng.float() - 0.01;
  const right = lon + 0.5 * rng.float() + 0.01;
  const box = { geoBoundingBox: { p: { top, left, bottom, right } } };
  const midLat = (top + bottom) / 2;
  const midLon = (left + right) / 2;
  for (const hair of [1e-6, 1e-4]) {
    for (const doc of [
      { p: { lat: top - hair, lon: midLon } }, { p: { lat: top + hair, lon: midLon } },
      { p: { lat: bottom + hair, lon: midLon } }, { p: { lat: bottom - hair, lon: midLon } },
      { p: { lat: midLat, lon: left + hair } }, { p: { lat: midLat, lon: left - hair } },
      { p: { lat: midLat, lon: right - hair } }, { p: { lat: midLat, lon: right + hair } }]) {
      lines.push({ filter: box, doc, koncorde: answer(box, doc) });
    }
  }
}
// polygons up to 1.5 degrees across, star-shaped around a centre (so simple), counter-clockwise (Boost's ring order
// for Koncorde's polygons) or, one in three, clockwise
const geodesic = Geodesic.WGS84;
for (let s = 0; s < POLYGONS; s++) {
  const lat = (rng.float() * 2 - 1) * 70;
  const lon = (rng.float() * 2 - 1) * 170;
  const n = 4 + Math.floor(rng.float() * 7);
  const radius = 0.1 + 0.65 * rng.float();
  const angles = [];
  for (let v = 0; v < n; v++) angles.push(rng.float() * 2 * Math.PI);
  angles.sort((a, b) => a - b);
  let vertices = angles.map(a => {
    const r = radius * (0.6 + 0.4 * rng.float());
    return { lat: lat + r * Math.sin(a), lon: lon + r * Math.cos(a) / Math.cos(toRad(lat)) };
  });
  if (rng.float() < 1 / 3) vertices = vertices.reverse();
  const filter = { geoPolygon: { p: { points: vertices } } };
  for (let v = 0; v < n; v++) {
    const a = vertices[v];
    const b = vertices[(v + 1) % n];
    const line = geodesic.InverseLine(a.lat, a.lon, b.lat, b.lon);
    const middle = line.Position(line.s13 / 2);
    for (const offset of OFFSETS) {
      for (const sign of [-1, 1]) {
        const at = geodesic.Direct(middle.lat2, middle.lon2, middle.azi2 + 90 * sign, offset);
        const doc = { p: { lat: at.lat2, lon: at.lon2 } };
        lines.push({ filter, doc, koncorde: answer(filter, doc), offsetM: sign * offset });
      }
    }
  }
}
fs.writeFileSync(OUT, lines.map(l => JSON.stringify(l)).join('\n') + '\n');
console.log(`${lines.length} points near ${SHAPES} circles or rings, ${SHAPES} boxes and ${POLYGONS} polygons -> ${OUT}`);
