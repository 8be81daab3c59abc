'use strict';
// Steady publishing through a running Herald while the caller kills a node (HERALD_PORT, SECONDS_TO_RUN; the caller
// writes the kill's epoch milliseconds to KILL_FILE). Prints one JSON line: publishes sent/acknowledged/refused,
// acknowledged publishes never or twice notified, the longest gap between notifications, and how long after the kill
// a new subscription was first answered. "ready" is printed once publishing starts.
const { Kuzzle, WebSocket } = require('kuzzle-sdk');

const port = Number(process.env.HERALD_PORT || 7512);
const seconds = Number(process.env.SECONDS_TO_RUN || 12);
const killFile = process.env.KILL_FILE;
const fs = require('fs');
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

(async () => {
  const subscriber = new Kuzzle(new WebSocket('localhost', { port }));
  const publisher = new Kuzzle(new WebSocket('localhost', { port }));
  const prober = new Kuzzle(new WebSocket('localhost', { port }));
  await subscriber.connect(); await publisher.connect(); await prober.connect();
  let disconnected = 0;
  for (const k of [subscriber, publisher, prober]) k.on('disconnected', () => disconnected++).on('networkError', () => disconnected++);
  const seen = new Map();
  let last = 0; let maxGap = 0;
  await subscriber.realtime.subscribe('failover', 'c', { exists: 'seq' }, n => {
    const seq = n.result._source.seq;
    seen.set(seq, (seen.get(seq) || 0) + 1);
    const now = Date.now();
    if (last) maxGap = Math.max(maxGap, now - last);
    last = now;
  });
  const started = Date.now();
  const acked = new Set(); let refused = 0; let seq = 0; let resumedAfter = -1;
  const probe = (async () => {
    let killedAt = 0;
    while (!killedAt && Date.now() - started < seconds * 1000) {
      await sleep(5);
      try { killedAt = Number(fs.readFileSync(killFile, 'utf8')); } catch (e) { killedAt = 0; }
    }
    if (!killedAt) return;
    for (let n = 0; Date.now() - killedAt < 30000; n++) {
      try {
        await Promise.race([prober.realtime.subscribe('failover', 'probe', { equals: { n } }, () => {}),
          sleep(300).then(() => { throw new Error('late'); })]);
        resumedAfter = Date.now() - killedAt; return;
      } catch (e) { await sleep(10); }
    }
  })();
  console.log('ready');
  while (Date.now() - started < seconds * 1000) {
    const s = seq++;
    publisher.realtime.publish('failover', 'c', { seq: s }).then(() => acked.add(s), () => refused++);
    await sleep(10);
  }
  await probe;
  await sleep(3000);
  let missing = 0; let duplicates = 0;
  for (const s of acked) { const c = seen.get(s) || 0; if (c === 0) missing++; if (c > 1) duplicates++; }
  console.log(JSON.stringify({ sent: seq, acked: acked.size, refused, missing, duplicates, maxGapMs: maxGap,
    subscribeResumedAfterMs: resumedAfter, disconnected }));
  for (const k of [subscriber, publisher, prober]) k.disconnect();
  process.exit(0);
})().catch(e => { console.error(e); process.exit(1); });
