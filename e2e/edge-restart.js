'use strict';
// Edge B starts, then restarts, while edge A publishes 200/s (HERALD_PORT_A, HERALD_PORT_B, SECONDS_TO_RUN; the
// caller starts B after "ready", kills it and starts it again): a subscriber connects to B as soon as it listens, and
// again once it lost B. Once a subscription is acknowledged, every publish A sends afterwards and acknowledges must
// reach it, exactly once: the nodes know where B reads from its start (the cluster log), not from a later poll.
// Publishing goes on until the second subscriber has been subscribed for AFTER_SECONDS (default 3), or SECONDS_TO_RUN
// (a cap: a slow machine restarts B late) have passed.
// Prints "ready" once publishing, then one JSON line: each subscriber's publishes due, missing and duplicated.
const { Kuzzle, WebSocket } = require('kuzzle-sdk');

const portA = Number(process.env.HERALD_PORT_A);
const portB = Number(process.env.HERALD_PORT_B);
const seconds = Number(process.env.SECONDS_TO_RUN || 10);
const afterMs = Number(process.env.AFTER_SECONDS || 3) * 1000;
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function subscriber (port) {
  const kuzzle = new Kuzzle(new WebSocket('localhost', { port, autoReconnect: false }), { offlineMode: 'manual' });
  const state = { kuzzle, seen: new Map(), subscribedAt: 0, lostAt: 0, firstAt: 0 };
  kuzzle.on('disconnected', () => { if (!state.lostAt) state.lostAt = Date.now(); });
  kuzzle.on('networkError', () => { if (!state.lostAt) state.lostAt = Date.now(); });
  await kuzzle.connect();
  await kuzzle.realtime.subscribe('restart', 'c', { exists: 'seq' }, n => {
    const seq = n.result._source.seq;
    if (!state.firstAt) state.firstAt = Date.now();
    state.seen.set(seq, (state.seen.get(seq) || 0) + 1);
  });
  state.subscribedAt = Date.now();
  return state;
}

(async () => {
  const publisher = new Kuzzle(new WebSocket('localhost', { port: portA }));
  await publisher.connect();
  console.log('ready');

  const sent = []; // { seq, at, acked }
  const started = Date.now();
  let refused = 0;
  let after = null;
  const running = () => Date.now() - started < seconds * 1000 &&
    !(after && Date.now() - after.subscribedAt >= afterMs);
  const publishing = (async () => {
    for (let seq = 0; running(); seq++) {
      const entry = { seq, at: Date.now(), acked: false };
      sent.push(entry);
      publisher.realtime.publish('restart', 'c', { seq }).then(() => { entry.acked = true; }, () => refused++);
      await sleep(5);
    }
  })();

  let attempts = 0;
  async function connectWhenListening () {
    while (Date.now() - started < seconds * 1000) {
      try {
        attempts++;
        return await subscriber(portB);
      } catch (e) {
        await sleep(20);
      }
    }
    return null;
  }
  const before = await connectWhenListening();
  while (before && !before.lostAt && Date.now() - started < seconds * 1000) await sleep(10);
  after = before ? await connectWhenListening() : null;
  await publishing;
  await sleep(1500);

  function verdict (state, until) {
    if (!state || !state.subscribedAt) return { subscribed: false };
    let due = 0; let missing = 0; let duplicates = 0; const firstMissing = [];
    for (const entry of sent) {
      if (!entry.acked || entry.at <= state.subscribedAt || (until && entry.at >= until)) continue;
      due++;
      const count = state.seen.get(entry.seq) || 0;
      if (count === 0) { missing++; if (firstMissing.length < 5) firstMissing.push(entry.seq); }
      if (count > 1) duplicates++;
    }
    return { subscribed: true, due, missing, duplicates, firstMissing,
      firstNotificationAfterMs: state.firstAt ? state.firstAt - state.subscribedAt : -1 };
  }
  // the first subscriber is held to what was sent well before it lost B (a notification in flight then is lost with
  // the connection)
  console.log(JSON.stringify({
    sent: sent.length,
    acked: sent.filter(e => e.acked).length,
    refused,
    before: verdict(before, before && before.lostAt ? before.lostAt - 500 : 0),
    beforeLost: before ? before.lostAt > 0 : false,
    after: verdict(after, 0),
    attempts
  }));
  publisher.disconnect();
  if (after) after.kuzzle.disconnect();
  process.exit(0);
})().catch(e => { console.error(e); process.exit(1); });
