'use strict';

/**
 * Hand-written parts of the corpus: documentation examples and edge cases
 * (sets), invalid filters, and valid filters koncorde 4.7 rejects.
 */

const grace = { _id: 'a', firstName: 'Grace', lastName: 'Hopper', age: 85, city: 'NYC', hobby: 'computer', hobbies: ['compiler', 'COBOL'], alive: false, location: { lat: 32.692742, lon: -97.114127 } };
const ada = { _id: 'b', firstName: 'Ada', lastName: 'Lovelace', age: 36, city: 'London', hobby: 'computer', hobbies: ['programming', 'algorithm'], location: { lat: 51.519291, lon: -0.149817 } };
const marie = { _id: 'c', firstName: 'Marie', lastName: 'Curie', age: 55, city: 'Paris', hobby: 'radium', location: [48.8566, 2.3522] };

const in50 = [];
for (let i = 0; i < 50; i++) {
  in50.push(`v${i}`);
}

const HANDWRITTEN_SETS = [
  {
    name: 'doc-terms',
    filters: [
      { equals: { firstName: 'Grace' } },
      { exists: 'alive' },
      { exists: 'hobbies["algorithm"]' },
      { missing: 'alive' },
      { missing: 'hobbies["algorithm"]' },
      { ids: { values: ['a'] } },
      { in: { firstName: ['Grace', 'Ada'] } },
      { range: { age: { lt: 85 } } },
    ],
    docs: [grace, ada, marie],
  },
  {
    name: 'doc-terms-2',
    filters: [
      { regexp: { firstName: { value: '^g\\w+', flags: 'i' } } },
      { select: { field: 'hobbies', index: 0, query: { equals: { value: 'compiler' } } } },
      { select: { field: 'hobbies', index: -1, query: { equals: { value: 'algorithm' } } } },
      { geoDistance: { location: { lat: 51.5029017, lon: -0.1606903 }, distance: '10km' } },
      { geoDistanceRange: { location: [51.5029017, -0.1606903], from: '1km', to: '10 kilometers' } },
      {
        geoPolygon: {
          location: {
            points: [
              { lat: 51.523029, lon: -0.160793 },
              [51.522842, -0.145043],
              '51.518303, -0.146116',
              { latLon: { lat: 51.516487, lon: -0.162295 } },
              'gcpvh6uxh60x1',
            ],
          },
        },
      },
      { geoBoundingBox: { location: { top: 51.6, left: -0.3, bottom: 51.4, right: 0.1 } } },
    ],
    docs: [grace, ada, marie],
  },
  {
    name: 'doc-operands',
    filters: [
      { and: [{ equals: { city: 'NYC' } }, { equals: { hobby: 'computer' } }] },
      {
        bool: {
          must: [{ in: { firstName: ['Grace', 'Ada'] } }, { range: { age: { gte: 36, lt: 85 } } }],
          must_not: [{ equals: { city: 'NYC' } }],
          should: [{ equals: { hobby: 'computer' } }, { exists: { field: 'lastName' } }],
        },
      },
      { not: { equals: { city: 'London' } } },
      { or: [{ equals: { city: 'NYC' } }, { equals: { city: 'London' } }] },
      // filter equivalence example (both describe the same scope)
      { and: [{ not: { in: { firstName: ['Grace', 'Ada'] } } }, { missing: { field: 'alive' } }] },
      { not: { or: [{ or: [{ equals: { firstName: 'Grace' } }, { equals: { firstName: 'Ada' } }] }, { exists: { field: 'alive' } }] } },
    ],
    docs: [grace, ada, marie, { firstName: 'Ada' }, { city: 'NYC' }, {}],
  },
  {
    name: 'doc-match',
    filters: [
      { match: { foo: [1, 2, 3] } },
      { match: { foo: { a: 5 } } },
      { match: { delivery: [{ state: 'IN PROGRESS', itemIDs: [42] }] } },
    ],
    docs: [
      { foo: [0, 1, 4, 2, 3] },
      { foo: [0, 0, 1, 2] },
      { foo: { a: 5, b: 8, c: 'something' } },
      { foo: { b: 8, c: 'something' } },
      {
        delivery: [
          { city: 'London', state: 'DELIVERED', itemIDs: [21] },
          { city: 'New York', state: 'IN PROGRESS', itemIDs: [42, 84] },
          { city: 'Paris', state: 'DELIVERED', itemIDs: [168] },
        ],
      },
      {
        delivery: [
          { city: 'London', state: 'DELIVERED', itemIDs: [21] },
          { city: 'New York', state: 'DELIVERED', itemIDs: [42, 84] },
          { city: 'New York', state: 'IN PROGRESS', itemIDs: [84] },
          { city: 'Paris', state: 'DELIVERED', itemIDs: [168] },
        ],
      },
      { foo: [3, 2, 1] },
      { foo: [1, 2] },
      { foo: { a: '5' } },
      { foo: { a: 5 } },
      { foo: [{ a: 5 }] },
    ],
  },
  {
    name: 'doc-advanced',
    filters: [
      { equals: { 'name.last': 'Hopper' } },
      { exists: 'name.hobbies["compiler"]' },
      { exists: 'name.hobbies[3.14]' },
      { exists: 'name.hobbies[false]' },
      { exists: 'name.hobbies[null]' },
      { missing: 'name.hobbies["compiler"]' },
    ],
    docs: [
      { name: { first: 'Grace', last: 'Hopper', hobbies: ['compiler', 'COBOL'] } },
      { name: { first: 'Grace', last: 'Hopper', hobbies: [3.14, false] } },
      { name: { first: 'Grace', last: 'Hopper', hobbies: [null] } },
      { name: { last: 'Lovelace', hobbies: 'compiler' } },
      { name: [{ last: 'Hopper', hobbies: ['compiler'] }] },
      { name: { last: ['Hopper'] } },
      {},
    ],
  },
  {
    name: 'edge-type-mismatch',
    filters: [
      { equals: { v: 1 } },
      { equals: { v: '1' } },
      { equals: { v: true } },
      { equals: { v: 'true' } },
      { equals: { v: null } },
      { equals: { v: 'null' } },
      { equals: { v: 0 } },
      { equals: { v: '' } },
    ],
    docs: [
      { v: 1 }, { v: '1' }, { v: 1.0 }, { v: true }, { v: 'true' }, { v: null }, { v: 'null' }, { v: 0 },
      { v: false }, { v: '' }, { v: '0' }, { v: [1] }, { v: { '1': 1 } }, {}, { V: 1 }, { v: 'True' },
    ],
  },
  {
    name: 'edge-not-type-mismatch',
    filters: [
      { not: { equals: { v: 1 } } },
      { not: { equals: { v: null } } },
      { not: { in: { v: ['1', 'true'] } } },
      { not: { exists: 'v' } },
      { not: { range: { v: { gte: 0 } } } },
    ],
    docs: [{ v: 1 }, { v: '1' }, { v: null }, { v: true }, { v: 'true' }, {}, { v: -1 }, { v: [] }, { v: {} }],
  },
  {
    name: 'edge-arrays-no-descent',
    filters: [
      { equals: { 'a.b': 1 } },
      { exists: 'a.b' },
      { range: { 'a.b': { gte: 0 } } },
      { missing: 'a.b' },
      { exists: 'a' },
      { regexp: { 'a.b': '^x' } },
    ],
    docs: [
      { a: { b: 1 } }, { a: [{ b: 1 }] }, { a: [{ b: 'x' }] }, { a: { b: 'xyz' } }, { a: { b: [1] } },
      { a: { b: { c: 1 } } }, { a: null }, { a: 1 }, { a: {} }, {}, { b: 1 },
    ],
  },
  {
    name: 'edge-nested-paths',
    filters: [
      { equals: { 'a.b.c': 'deep' } },
      { exists: 'a.b' },
      { exists: 'a.b.c' },
      { not: { exists: 'a.b.c' } },
      { exists: 'a.b.c["v"]' },
      { match: { a: { b: { c: 'deep' } } } },
    ],
    docs: [
      { a: { b: { c: 'deep' } } }, { a: { b: { c: 'deep', d: 1 } } }, { a: { b: { c: ['deep'] } } },
      { a: { b: { c: ['v', 'deep'] } } }, { a: { b: 'c' } }, { a: { b: null } }, { a: { c: 'deep' } },
      { a: [{ b: { c: 'deep' } }] }, { a: { b: [{ c: 'deep' }] } },
    ],
  },
  {
    name: 'edge-empty-and-duplicates',
    filters: [
      {},
      { equals: { x: 1 } },
      { equals: { x: 1 } },
      { and: [{ equals: { x: 1 } }, { equals: { x: 1 } }] },
      { or: [{ equals: { x: 1 } }, { equals: { x: 1 } }] },
      { not: { not: { equals: { x: 1 } } } },
      { in: { y: in50 } },
    ],
    docs: [{ x: 1 }, { x: 2 }, {}, { y: 'v0' }, { y: 'v49' }, { y: 'v50' }, { x: 1, y: 'v7' }],
  },
  {
    name: 'edge-select',
    filters: [
      { select: { field: 'arr', index: 0, query: { equals: { value: 'first' } } } },
      { select: { field: 'arr', index: -1, query: { equals: { value: 'last' } } } },
      { select: { field: 'arr', index: 2, query: { exists: 'value' } } },
      { select: { field: 'arr', index: -3, query: { range: { value: { gt: 10 } } } } },
      { select: { field: 'arr', index: 1, query: { equals: { 'value.x': 1 } } } },
      { select: { field: 'arr', index: 0, query: { not: { equals: { value: 'first' } } } } },
      { select: { field: 'arr', index: 0, query: { missing: 'value.x' } } },
      { select: { field: 'o.arr', index: 0, query: { select: { field: 'value', index: -1, query: { equals: { value: 'z' } } } } } },
    ],
    docs: [
      { arr: ['first', 'mid', 'last'] }, { arr: ['last'] }, { arr: ['first'] }, { arr: [] }, { arr: 'first' },
      { arr: [20, { x: 1 }, 3] }, { arr: [20, { x: 2 }, 3, 'last'] }, { arr: [null, null, null] },
      { arr: [{ x: 1 }, { x: 1 }] }, { o: { arr: [['a', 'z']] } }, { o: { arr: [['z', 'a']] } }, { o: { arr: ['z'] } }, {},
    ],
  },
  {
    name: 'edge-geopoint-forms',
    geoFields: ['p'],
    filters: [
      { geoDistance: { p: [43.6021299, 3.8989713], distance: '1km' } },
      { geoDistance: { p: '43.6021299, 3.8989713', distance: '1 km' } },
      { geoDistance: { p: 'spfb09x0ud5s', distance: '1000m' } },
      { geoDistance: { p: { lat: 43.6021299, lon: 3.8989713 }, distance: '1,5 km' } },
      { geoDistance: { p: { latLon: [43.6021299, 3.8989713] }, distance: '3280.839895013123 ft' } },
      { geoDistance: { p: { latLon: { lat: 43.6021299, lon: 3.8989713 } }, distance: '39370.078740157485 inches' } },
      { geoDistance: { p: { lat_lon: '43.6021299, 3.8989713' }, distance: '1 093,6132983377079 yd' } },
      { geoDistance: { p: { lat_lon: 'spfb09x0ud5s' }, distance: '0.6213727366498067 miles' } },
    ],
    docs: [
      { p: [43.6021299, 3.8989713] },
      { p: '43.6021299, 3.8989713' },
      { p: 'spfb09x0ud5s' },
      { p: { lat: 43.6021299, lon: 3.8989713 } },
      { p: { latLon: [43.605, 3.9] } },
      { p: { lat_lon: { lat: 43.6, lon: 3.9 } } },
      { p: { latLon: '43.58, 3.88' } },
      { p: { lat: '43.6', lon: '3.9' } },
      { p: ['43.6', '3.9'] },
      { p: [43.7, 3.9] },
      { p: [43.6021299, 4.0] },
      { p: null },
      { p: '' },
      {},
    ],
  },
];

// Filters koncorde must reject (error messages are recorded by corpus.js)

const INVALID_FILTERS = [
  // syntax
  { equals: { a: 1 }, exists: 'a' },
  { foo: { a: 1 } },
  { Equals: { a: 1 } },
  { geodistance: { location: [0, 0], distance: '1km' } },
  { nothing_here: 1 },
  { and: [{ equals: { a: 1 } }, { unknown: {} }] },
  { not: { unknownKeyword: 1 } },
  { or: [{ equals: { a: 1 }, range: { b: { gt: 1 } } }] },
  // and / or / not / bool
  { and: [] }, { or: [] }, { and: {} }, { or: { equals: { a: 1 } } }, { and: 'x' },
  { and: [1] }, { and: [{}] }, { and: [[]] }, { and: [null] }, { or: ['x'] }, { or: [{ equals: { a: 1 } }, 2] },
  { and: [{ equals: { a: 1 } }, {}] }, { or: [[{ equals: { a: 1 } }]] },
  { not: [] }, { not: 1 }, { not: {} }, { not: { equals: { a: 1 }, exists: 'b' } }, { not: null },
  { bool: {} }, { bool: [] }, { bool: { must: [] } }, { bool: { should: [] } }, { bool: { must_not: [] } },
  { bool: { must: [{ equals: { a: 1 } }], filter: [{ equals: { b: 1 } }] } },
  { bool: { must: [{ equals: { a: 1 } }], should: [] } },
  { bool: { must: [1] } }, { bool: { must: [{}] } }, { bool: { must: 'x' } },
  { bool: { must: [{ equals: { a: 1 } }], must_not: [{ foo: 1 }] } },
  // equals
  { equals: {} }, { equals: { a: 1, b: 2 } }, { equals: { a: [1] } }, { equals: { a: {} } },
  { equals: { a: { b: 1 } } }, { equals: 'a' }, { equals: [{ a: 1 }] },
  // exists / missing
  { exists: '' }, { missing: '' }, { exists: {} }, { exists: { field: '' } }, { exists: { field: 1 } },
  { exists: { field: 'a', other: 1 } }, { exists: { fields: 'a' } }, { exists: 1 }, { exists: ['a'] },
  { exists: 'a[nope]' }, { exists: 'a[]' }, { exists: "a['x']" }, { exists: 'a[1][2]' }, { exists: 'a["x"' + ']]' },
  { missing: 'a[nope]' }, { missing: { field: 1 } }, { missing: {} }, { missing: 1 }, { missing: { field: 'a[x y]' } },
  // ids
  { ids: {} }, { ids: { values: [] } }, { ids: { values: [1] } }, { ids: { values: ['a', 1] } },
  { ids: { values: 'a' } }, { ids: ['a'] }, { ids: { values: ['a'], other: 1 } }, { ids: { value: ['a'] } },
  { ids: { values: [null] } },
  // in
  { in: {} }, { in: { a: [] } }, { in: { a: 'x' } }, { in: { a: ['x'], b: ['y'] } }, { in: ['x'] },
  { in: { a: [['x']] } }, { in: { a: [{ x: 1 }] } },
  // range
  { range: {} }, { range: { a: {} } }, { range: { a: 1 } }, { range: { a: { gt: '1' } } },
  { range: { a: { gt: null } } }, { range: { a: { gt: 1, gte: 0 } } }, { range: { a: { lt: 1, lte: 0 } } },
  { range: { a: { gt: 10, lt: 5 } } }, { range: { a: { gte: 5, lte: 5 } } }, { range: { a: { gt: 5, lt: 5 } } },
  { range: { a: { gte: 5, lt: 5 } } }, { range: { a: { foo: 1 } } }, { range: { a: { gt: 1 }, b: { lt: 2 } } },
  { range: { a: { between: [1, 2] } } }, { range: { a: { gt: [1] } } }, { range: { a: { lt: true } } },
  // regexp
  { regexp: {} }, { regexp: { a: 'x', b: 'y' } }, { regexp: { a: 1 } }, { regexp: { a: ['x'] } },
  { regexp: { a: {} } }, { regexp: { a: { flags: 'i' } } }, { regexp: { a: { value: 'x', flags: 1 } } },
  { regexp: { a: { value: 'x', foo: 'bar' } } }, { regexp: { a: { value: 1 } } }, { regexp: { a: { value: null } } },
  { regexp: { a: '(' } }, { regexp: { a: 'a**' } }, { regexp: { a: '[a-' } }, { regexp: { a: 'a(?=b)' } },
  { regexp: { a: 'a(?!b)' } }, { regexp: { a: '(?<=a)b' } }, { regexp: { a: '(a)\\1' } }, { regexp: { a: '\\Z' } },
  { regexp: { a: { value: 'x{2,1}', flags: 'i' } } }, { regexp: { a: '(?<n>a)(?<n>b)' } }, { regexp: { a: 'a{1001}' } },
  // match
  { match: {} }, { match: [] }, { match: 'a' }, { match: 1 }, { match: null },
  // select
  { select: {} }, { select: { field: 'a', index: 0 } }, { select: { field: 'a', index: 0, query: { equals: { value: 1 } }, x: 1 } },
  { select: { field: '', index: 0, query: { exists: 'value' } } }, { select: { field: 1, index: 0, query: { exists: 'value' } } },
  { select: { field: 'a', index: '0', query: { exists: 'value' } } }, { select: { field: 'a', index: 0.5, query: { exists: 'value' } } },
  { select: { field: 'a', index: null, query: { exists: 'value' } } }, { select: { field: 'a', index: 0, query: {} } },
  { select: { field: 'a', index: 0, query: [] } }, { select: { field: 'a', index: 0, query: { foo: 1 } } },
  { select: { field: 'a', index: 0, query: { equals: { value: [1] } } } },
  { select: { fields: 'a', index: 0, query: { exists: 'value' } } },
  // geoBoundingBox
  { geoBoundingBox: {} }, { geoBoundingBox: { a: {}, b: {} } },
  { geoBoundingBox: { location: { top: 1, left: 0, bottom: 0 } } },
  { geoBoundingBox: { location: { top: 'a', left: 0, bottom: 0, right: 1 } } },
  { geoBoundingBox: { location: { top: true, left: 0, bottom: 0, right: 1 } } },
  { geoBoundingBox: { location: { top: null, left: 0, bottom: 0, right: 1 } } },
  { geoBoundingBox: { location: { topLeft: 'not a point', bottomRight: [0, 1] } } },
  { geoBoundingBox: { location: { topLeft: [1, 0] } } },
  { geoBoundingBox: { location: { top_left: [1, 0, 3], bottom_right: [0, 1] } } },
  { geoBoundingBox: { location: { top_left: { lat: 1 }, bottom_right: { lat: 0, lon: 1 } } } },
  { geoBoundingBox: { location: { topLeft: [1, 0], bottom: 0, right: 1 } } },
  { geoBoundingBox: { location: [1, 0, 0, 1] } },
  { geoBoundingBox: { location: { top: 0, left: 0, bottom: 10, right: 10 } } },
  { geoBoundingBox: { location: { top: 43.5810609, left: 3.8433703, bottom: 43.6331979, right: 3.9282093 } } },
  { geoBoundingBox: { location: { top: 10, left: 5, bottom: 0, right: 5 } } },
  { geoBoundingBox: { location: { top: 5, left: 0, bottom: 5, right: 10 } } },
  // geoDistance
  { geoDistance: {} }, { geoDistance: { location: [0, 0] } }, { geoDistance: { distance: '1km' } },
  { geoDistance: { location: [0, 0], distance: '1km', other: 1 } },
  { geoDistance: { location: [0, 0], distance: 1000 } }, { geoDistance: { location: [0, 0], distance: '' } },
  { geoDistance: { location: [0, 0], distance: 'far' } }, { geoDistance: { location: [0, 0], distance: '10 lightyears' } },
  { geoDistance: { location: [0, 0], distance: '1e3m' } }, { geoDistance: { location: [0, 0], distance: '10 kg' } },
  { geoDistance: { location: [0, 0], distance: '10 metres' } }, { geoDistance: { location: [0, 0], distance: 'km' } },
  { geoDistance: { location: [0, 0], distance: '5 nautical miles' } },
  { geoDistance: { location: 'nope', distance: '1km' } }, { geoDistance: { location: [0], distance: '1km' } },
  { geoDistance: { location: { lat: 0 }, distance: '1km' } }, { geoDistance: { location: 'u09', distance: '1km' } },
  { geoDistance: { location: '1, 2, 3', distance: '1km' } }, { geoDistance: { location: ['a', 'b'], distance: '1km' } },
  { geoDistance: { location: { latLon: [1, 2, 3] }, distance: '1km' } }, { geoDistance: { location: 12, distance: '1km' } },
  { geoDistance: { location: null, distance: '1km' } }, { geoDistance: { location: true, distance: '1km' } },
  // geoDistanceRange
  { geoDistanceRange: {} }, { geoDistanceRange: { location: [0, 0], from: '1km' } },
  { geoDistanceRange: { location: [0, 0], to: '1km' } }, { geoDistanceRange: { location: [0, 0], from: '1km', to: '1km' } },
  { geoDistanceRange: { location: [0, 0], from: '2km', to: '1km' } }, { geoDistanceRange: { location: [0, 0], from: '1000m', to: '1km' } },
  { geoDistanceRange: { location: [0, 0], from: 1, to: '1km' } }, { geoDistanceRange: { location: [0, 0], from: '1km', to: 'x' } },
  { geoDistanceRange: { location: [0, 0], from: '', to: '1km' } },
  { geoDistanceRange: { location: [0, 0], from: '1km', to: '2km', x: 1 } },
  { geoDistanceRange: { location: 'bad', from: '1km', to: '2km' } },
  { geoDistanceRange: { location: [0, 0], from: '1 mi', to: '1 km' } },
  // geoPolygon
  { geoPolygon: {} }, { geoPolygon: { location: {} } }, { geoPolygon: { location: { points: [] } } },
  { geoPolygon: { location: { points: [[0, 0], [1, 1]] } } }, { geoPolygon: { location: { points: 'x' } } },
  { geoPolygon: { location: { points: [[0, 0], [1, 1], 'nope'] } } },
  { geoPolygon: { location: { points: [[0, 0], [1, 1], [1]] } } },
  { geoPolygon: { location: { points: [[0, 0], [1, 1], [0, 1]], other: 1 } } },
  { geoPolygon: { location: { point: [[0, 0], [1, 1], [0, 1]] } } },
  { geoPolygon: { location: [[0, 0], [1, 1], [0, 1]] } },
  { geoPolygon: { a: { points: [[0, 0], [1, 1], [0, 1]] }, b: { points: [[0, 0], [1, 1], [0, 1]] } } },
  // maxConditions (default 50)
  (() => { const v = []; for (let i = 0; i < 60; i++) { v.push(`v${i}`); } return { in: { a: v } }; })(),
  (() => { const v = []; for (let i = 0; i < 51; i++) { v.push(`v${i}`); } return { in: { a: v } }; })(),
  (() => { const v = []; for (let i = 0; i < 51; i++) { v.push(`id${i}`); } return { ids: { values: v } }; })(),
  (() => { const v = []; for (let i = 0; i < 51; i++) { v.push({ equals: { [`f${i}`]: i } }); } return { and: v }; })(),
  (() => { const v = []; for (let i = 0; i < 51; i++) { v.push({ equals: { a: i } }); } return { or: v }; })(),
  (() => { const v = []; for (let i = 0; i < 51; i++) { v.push({ exists: `f${i}` }); } return { bool: { must: v } }; })(),
  (() => { const v = []; for (let i = 0; i < 26; i++) { v.push({ and: [{ equals: { a: i } }, { equals: { b: i } }] }); } return { or: v }; })(),
  (() => { const v = []; for (let i = 0; i < 51; i++) { v.push(`v${i}`); } return { not: { in: { a: v } } }; })(),
  { and: [{ in: { a: ['x'] } }, (() => { const v = []; for (let i = 0; i < 50; i++) { v.push(`v${i}`); } return { in: { b: v } }; })()] },
];

// Valid filters (per the documented DSL) that koncorde 4.7 rejects or crashes on
const geo = {
  geoDistance: { location: [43.6, 3.9], distance: '10km' },
  geoBoundingBox: { location: { top: 44, left: 3, bottom: 43, right: 4 } },
  geoDistanceRange: { location: [43.6, 3.9], from: '1km', to: '10km' },
  geoPolygon: { location: { points: [[43, 3], [44, 3], [44, 4]] } },
};
const REJECTS_VALID_FILTERS = [];
for (const [kw, body] of Object.entries(geo)) {
  const g = { [kw]: body };
  REJECTS_VALID_FILTERS.push(
    { and: [g, { equals: { a: 1 } }, { or: [{ equals: { b: 1 } }, { equals: { c: 1 } }] }] },
    { or: [g, { equals: { a: 1 } }, { and: [{ equals: { b: 1 } }, { equals: { c: 1 } }] }] },
    { not: { and: [g, { equals: { a: 1 } }] } },
    { not: { or: [g, { exists: 'a' }] } },
    { bool: { must_not: [g, { equals: { a: 1 } }] } },
    { bool: { should_not: [g, { equals: { a: 1 } }] } },
  );
}
REJECTS_VALID_FILTERS.push(
  { bool: { must: [{ geoDistance: geo.geoDistance }, { equals: { a: 1 } }], should: [{ equals: { b: 1 } }, { equals: { c: 1 } }] } },
  { select: { field: 'arr', index: 0, query: { and: [{ geoDistance: { value: [0, 0], distance: '1km' } }, { exists: 'value' }, { or: [{ equals: { x: 1 } }, { equals: { y: 1 } }] }] } } },
  // distance without unit: documented as meters
  { geoDistance: { location: [43.6, 3.9], distance: '1000' } },
  { geoDistance: { location: [43.6, 3.9], distance: '1 000' } },
  { geoDistance: { location: [43.6, 3.9], distance: '2,5' } },
  { geoDistanceRange: { location: [43.6, 3.9], from: '100', to: '1000' } },
  { geoDistanceRange: { location: [43.6, 3.9], from: '100m', to: '1000' } },
  // "in": documented as an array of scalar values, koncorde only accepts strings
  { in: { a: [1, 2, 3] } },
  { in: { a: ['1', 1] } },
  { in: { a: [true, false] } },
  { in: { a: [null] } },
  { in: { a: [1.5, 'x', null] } },
  // negated select crashes when stored
  { not: { select: { field: 'arr', index: 0, query: { equals: { value: 1 } } } } },
  { bool: { must_not: [{ select: { field: 'arr', index: -1, query: { exists: 'value' } } }] } },
  { not: { and: [{ select: { field: 'arr', index: 0, query: { equals: { value: 1 } } } }, { equals: { a: 1 } }] } },
  { bool: { should_not: [{ select: { field: 'arr', index: 0, query: { equals: { value: 1 } } } }] } },
  // bounding boxes crossing the antimeridian (left > right)
  { geoBoundingBox: { location: { top: 10, left: 170, bottom: 0, right: -170 } } },
  { geoBoundingBox: { location: { topLeft: [10, 179], bottomRight: [-10, -179] } } },
);

module.exports = { HANDWRITTEN_SETS, INVALID_FILTERS, REJECTS_VALID_FILTERS };
