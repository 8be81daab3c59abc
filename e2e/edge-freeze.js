'use strict';
// An edge freezes (SIGSTOP) longer than its session timeout plus the edge expiry, then runs again: the cluster gave it
// up and dropped its subscriptions, so the edge closes its client connections; the SDK reconnects, subscribes again
// by itself, and notifications resume. HERALD_PORT_A: another edge (publisher), HERALD_PORT_B: the frozen edge.
// Prints "ready" once subscribed, then one JSON line.
const { Kuzzle, WebSocket } = require('kuzzle-sdk');
const { waitFor } = require('./helpers');

(async () => {
  const a = new Kuzzle(new WebSocket('localhost', { port: Number(process.env.HERALD_PORT_A) }));
  const b = new Kuzzle(new WebSocket('localhost', { port: Number(process.env.HERALD_PORT_B), reconnectionDelay: 200 }));
  let reconnected = 0; let networkErrors = 0;
  b.on('reconnected', () => reconnected++).on('networkError', () => networkErrors++);
  await a.connect(); await b.connect();
  const heard = [];
  await b.realtime.subscribe('edge', 'freeze', { equals: { k: 1 } }, n => heard.push(n));
  console.log('ready');
  await waitFor(() => reconnected > 0, 60000);
  const reconnectedAt = Date.now();
  let sent = 0; const errors = [];
  await waitFor(() => {
    if (heard.length === 0 && sent < 2000) {
      a.realtime.publish('edge', 'freeze', { k: 1, n: sent++ }).catch(error => errors.push(error.message));
    }
    return heard.length > 0;
  }, 20000).catch(async () => {
    const list = await a.query({ controller: 'realtime', action: 'list' }).then(r => r.result, e => e.message);
    throw new Error(`no notification after ${sent} publishes; errors: ${[...new Set(errors)]}; rooms: ${JSON.stringify(list)}`);
  });
  console.log(JSON.stringify({ reconnected, networkErrors, notifiedAfterReconnectMs: Date.now() - reconnectedAt }));
  a.disconnect(); b.disconnect();
  process.exit(0);
})().catch(error => { console.error(error); process.exit(1); });
