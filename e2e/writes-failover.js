'use strict';
// Subscribes, joins and unsubscribes issued continuously through a running Herald while the caller kills the leader
// (HERALD_PORT, SECONDS_TO_RUN, CONNECTIONS; the caller writes the kill's epoch milliseconds to KILL_FILE, and may
// write it again for a second kill). Every CONNECTIONS connection issues one write every 20 ms: a subscribe to a
// filter of its own, a join of another connection's room, or an unsubscribe of a room it holds. When the run ends,
// what the clients were told is compared with what the nodes answer: realtime:list, asked often enough to reach every
// node (reads go round the nodes), must equal the rooms and counts the clients hold. Prints "ready", then one JSON
// line: writes issued, succeeded, failed (with the first errors), the longest wait of any write, of writes issued
// within 2 s of a kill and of writes in flight at a kill (from the kill), and whether the lists agree. (Whether any
// request was answered twice is for the caller to check on the edge's counters: the SDK keeps the first answer.)
const { Kuzzle, WebSocket } = require('kuzzle-sdk');
const fs = require('fs');

const port = Number(process.env.HERALD_PORT || 7512);
const seconds = Number(process.env.SECONDS_TO_RUN || 10);
const connections = Number(process.env.CONNECTIONS || 4);
const killFile = process.env.KILL_FILE;
const index = 'writes';
const collection = 'c' + process.pid;
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

function kills () {
  try {
    return fs.readFileSync(killFile, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  } catch (e) {
    return [];
  }
}

(async () => {
  const clients = [];
  for (let c = 0; c < connections; c++) {
    const kuzzle = new Kuzzle(new WebSocket('localhost', { port }), { offlineMode: 'manual' });
    await kuzzle.connect();
    clients.push(kuzzle);
  }
  let disconnected = 0;
  for (const k of clients) k.on('disconnected', () => disconnected++).on('networkError', () => disconnected++);

  // what the clients were told: per connection, the rooms it holds
  const held = clients.map(() => new Set());
  const writes = [];
  const errors = [];

  async function write (c, kind, run) {
    const entry = { c, kind, issued: Date.now(), answered: 0, ok: false };
    writes.push(entry);
    try {
      const result = await run();
      entry.ok = true;
      return result;
    } catch (e) {
      if (errors.length < 5) errors.push(kind + ': ' + (e.status || '') + ' ' + (e.id || '') + ' ' + e.message);
      return undefined;
    } finally {
      entry.answered = Date.now();
    }
  }

  // each connection's home room, never left by its owner: the rooms the others join (a room whose last subscriber
  // left is gone, and joining it is rightly 404)
  const home = [];
  for (let c = 0; c < connections; c++) {
    const answer = await clients[c].query({ controller: 'realtime', action: 'subscribe', index, collection,
      body: { equals: { home: c } } });
    home.push(answer.result.roomId);
    held[c].add(answer.result.roomId);
  }
  let n = 0;
  async function connectionLoop (c) {
    const kuzzle = clients[c];
    const started = Date.now();
    while (Date.now() - started < seconds * 1000) {
      const step = n++;
      const leavable = [...held[c]].filter(roomId => roomId !== home[c]);
      const other = home[(c + 1 + step) % connections];
      const choice = step % 3;
      if (choice === 0 || (choice === 2 && leavable.length === 0)) {
        const body = { equals: { k: 'c' + c + '-' + step } };
        const answer = await write(c, 'subscribe', () =>
          kuzzle.query({ controller: 'realtime', action: 'subscribe', index, collection, body }));
        if (answer) held[c].add(answer.result.roomId);
      } else if (choice === 1 && !held[c].has(other)) {
        const answer = await write(c, 'join', () =>
          kuzzle.query({ controller: 'realtime', action: 'join', body: { roomId: other } }));
        if (answer) held[c].add(other);
      } else if (leavable.length > 0) {
        const roomId = leavable[step % leavable.length];
        const answer = await write(c, 'unsubscribe', () =>
          kuzzle.query({ controller: 'realtime', action: 'unsubscribe', body: { roomId } }));
        if (answer) held[c].delete(roomId);
      }
      await sleep(20);
    }
  }

  console.log('ready');
  await Promise.all(clients.map((k, c) => connectionLoop(c)));

  // what the clients hold, as realtime:list would say it
  const expected = {};
  for (const set of held) {
    for (const roomId of set) expected[roomId] = (expected[roomId] || 0) + 1;
  }
  const lists = [];
  const deadline = Date.now() + 20000;
  let agree = false;
  let lastList = null;
  // a node restarted by the caller may still be catching up: asked until every answer of a full round agrees
  while (!agree && Date.now() < deadline) {
    let round = true;
    for (let i = 0; i < 9; i++) {
      try {
        const answer = await clients[0].query({ controller: 'realtime', action: 'list' });
        const got = ((answer.result[index] || {})[collection]) || {};
        lastList = got;
        if (JSON.stringify(sorted(got)) !== JSON.stringify(sorted(expected))) round = false;
      } catch (e) {
        round = false;
        lastList = String(e.message);
      }
    }
    agree = round;
    lists.push(agree);
    if (!agree) await sleep(500);
  }

  const killedAt = kills();
  const waits = writes.map(w => w.answered - w.issued);
  const nearKill = writes.filter(w => killedAt.some(k => w.issued >= k - 2000 && w.issued <= k + 2000));
  const answeredAfterKill = writes.filter(w => killedAt.some(k => w.issued <= k && w.answered > k))
    .map(w => w.answered - Math.max(...killedAt.filter(k => k >= w.issued).slice(0, 1)));
  console.log(JSON.stringify({
    issued: writes.length,
    succeeded: writes.filter(w => w.ok).length,
    failed: writes.filter(w => !w.ok).length,
    errors,
    maxWaitMs: Math.max(0, ...waits),
    nearKill: nearKill.length,
    maxWaitNearKillMs: Math.max(0, ...nearKill.map(w => w.answered - w.issued)),
    inFlightAtKill: answeredAfterKill.length,
    maxAnsweredAfterKillMs: Math.max(0, ...answeredAfterKill),
    rooms: Object.keys(expected).length,
    subscriptions: Object.values(expected).reduce((a, b) => a + b, 0),
    listsAgree: agree,
    listRounds: lists.length,
    lastList: agree ? undefined : { got: lastList, expected },
    kills: killedAt.length,
    disconnected
  }));
  for (const k of clients) k.disconnect();
  process.exit(0);
})().catch(e => { console.error(e); process.exit(1); });

function sorted (object) {
  return Object.keys(object).sort().map(key => [key, object[key]]);
}
