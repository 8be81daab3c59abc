'use strict';
// An edge dies (kill -9) with a subscriber on it: the cluster drops that subscription once the edge's session timed
// out and its grace period ended, and a "users: all" subscriber on a surviving edge hears the user leave.
// HERALD_PORT_A: the surviving edge, HERALD_PORT_B: the edge the caller kills once this script prints "ready".
// Prints one JSON line: when the "user out" came (ms after "ready") and the room's count afterwards.
const { Kuzzle, WebSocket } = require('kuzzle-sdk');
const { waitFor } = require('./helpers');

(async () => {
  const a = new Kuzzle(new WebSocket('localhost', { port: Number(process.env.HERALD_PORT_A) }));
  const b = new Kuzzle(new WebSocket('localhost', { port: Number(process.env.HERALD_PORT_B), autoReconnect: false }));
  b.on('networkError', () => {}); // the caller kills b's edge: expected
  await a.connect(); await b.connect();
  const heard = [];
  const room = await a.realtime.subscribe('edge', 'death', { equals: { k: 1 } }, n => heard.push(n),
    { users: 'all' });
  await b.realtime.subscribe('edge', 'death', { equals: { k: 1 } }, () => {}, { volatile: { name: 'doomed' } });
  await waitFor(() => heard.some(n => n.type === 'user' && n.user === 'in' && n.volatile.name === 'doomed'));
  if (await a.realtime.count(room) !== 2) throw new Error('both subscriptions expected in the room');
  const readyAt = Date.now();
  console.log('ready');
  await waitFor(() => heard.some(n => n.type === 'user' && n.user === 'out'), 60000);
  const out = heard.find(n => n.type === 'user' && n.user === 'out');
  const result = { outAfterMs: Date.now() - readyAt, volatile: out.volatile, count: await a.realtime.count(room) };
  console.log(JSON.stringify(result));
  a.disconnect(); b.disconnect();
  process.exit(0);
})().catch(error => { console.error(error); process.exit(1); });
