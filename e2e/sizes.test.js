'use strict';
// Requests of every size up to Herald's limit, and just over it, through the unchanged kuzzle-sdk (and raw frames
// where a size must be exact): documents published and notified whole, filters and volatiles of large subscriptions,
// user notifications carrying a large volatile, HTTP bodies. Aeron cuts anything over ~1.4 KB into fragments, and a
// message over a term / 8 is refused outright, so this is what crosses every link whole.
//
// HERALD_PORT: the edge the publishers use. HERALD_PORT_B (optional): a second edge in front of the same nodes, where
// the subscribers connect (documents then travel node -> edge as remote notifications).
// HERALD_MAX_BYTES: the edge's edge.max.frame.bytes (default 1 MiB).
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const crypto = require('node:crypto');
const http = require('node:http');
const { Kuzzle, WebSocket } = require('kuzzle-sdk');
const RawWebSocket = require('ws');
const { waitFor } = require('./helpers');

const portA = Number(process.env.HERALD_PORT || 7512);
const portB = Number(process.env.HERALD_PORT_B || portA);
const MAX = Number(process.env.HERALD_MAX_BYTES || 1048576);
const INDEX = 'sizes';

let publisher;
let subscriber;

before(async () => {
  publisher = new Kuzzle(new WebSocket('localhost', { port: portA }));
  subscriber = portB === portA ? publisher : new Kuzzle(new WebSocket('localhost', { port: portB }));
  await publisher.connect();
  if (subscriber !== publisher) {
    await subscriber.connect();
  }
});

after(() => {
  publisher.disconnect();
  subscriber.disconnect();
});

const digest = (text) => crypto.createHash('sha256').update(text).digest('hex');

// A document whose JSON is about `bytes` long in UTF-8, multi-byte characters included (1 to 4 bytes each).
function documentOf (bytes, seq) {
  const skeleton = JSON.stringify({ s: '', n: seq });
  const wide = bytes > 100 ? 'é€𝄞' : '';
  const pad = Math.max(0, bytes - skeleton.length - Buffer.byteLength(wide));
  return { s: wide + 'x'.repeat(pad), n: seq };
}

// Sizes around every boundary that matters: Aeron's fragment (~1.4 KB), powers of two (term / 8 of small terms,
// chunk sizes), and the limit itself.
function sizes () {
  const list = [2, 100, 1000];
  for (let b = 1300; b <= 1500; b += 11) list.push(b);
  for (const p of [11, 12, 13, 14, 15, 16, 17, 18, 19]) {
    list.push((1 << p) - 1, 1 << p, (1 << p) + 1);
  }
  list.push(300000, 700000, MAX - 4096);
  return list.filter((b) => b < MAX - 2048);
}

test('documents of every size up to the limit are published and notified whole', async () => {
  const received = new Map();
  const room = await subscriber.realtime.subscribe(INDEX, 'documents', {}, (notification) => {
    const source = notification.result._source;
    received.set(source.n, digest(source.s));
  });
  try {
    const expected = new Map();
    let seq = 0;
    for (const bytes of sizes()) {
      const document = documentOf(bytes, ++seq);
      expected.set(seq, digest(document.s));
      const result = await publisher.realtime.publish(INDEX, 'documents', document);
      assert.strictEqual(result, true, `publish of ${bytes} bytes`);
    }
    await waitFor(() => received.size === expected.size, 20000).catch(() => {});
    const missing = [...expected.keys()].filter((n) => !received.has(n));
    assert.deepStrictEqual(missing, [], 'every published document was notified' +
      (missing.length === 0 ? '' : `; the edges' counters: ${await edgeCounters()}`));
    for (const [n, hash] of expected) {
      assert.strictEqual(received.get(n), hash, `document ${n} arrived whole`);
    }
  } finally {
    await subscriber.realtime.unsubscribe(room);
  }
});

// What the edges counted that could explain a lost notification (read failovers, leader changes, writes sent
// again, remote notifications dropped as duplicates, cluster expiries, errors, answers by status class), for the
// assertion's message.
async function edgeCounters () {
  const wanted = /^herald_(read_failovers|leader_changes|writes_resent|remote_notifications|edge_expiries|errors|answers)/;
  const lines = [];
  for (const port of new Set([portA, portB])) {
    const text = await new Promise((resolve) => {
      http.get({ host: 'localhost', port, path: '/metrics' }, (response) => {
        let body = '';
        response.on('data', (chunk) => { body += chunk; });
        response.on('end', () => resolve(body));
      }).on('error', (error) => resolve(`unreadable: ${error.message}`));
    });
    lines.push(`${port}: ` + text.split('\n').filter((line) => wanted.test(line)).join(', '));
  }
  return lines.join('; ');
}

// Sends raw frames on a socket of its own; resolves with the responses by request id.
function rawRequests (frames) {
  return new Promise((resolve, reject) => {
    const socket = new RawWebSocket(`ws://localhost:${portA}`);
    const answers = new Map();
    socket.on('open', () => frames.forEach((frame) => socket.send(frame)));
    socket.on('message', (data) => {
      const response = JSON.parse(String(data));
      if (response.requestId) {
        answers.set(response.requestId, response);
      }
      if (answers.size === frames.length) {
        socket.close();
        resolve(answers);
      }
    });
    socket.on('error', reject);
    setTimeout(() => reject(new Error(`only ${answers.size} of ${frames.length} answered`)), 30000);
  });
}

// A publish frame of exactly `bytes` bytes.
function publishFrame (requestId, bytes) {
  const head = `{"controller":"realtime","action":"publish","index":"${INDEX}","collection":"exact",` +
    `"requestId":"${requestId}","body":{"s":"`;
  const tail = '"}}';
  return head + 'y'.repeat(bytes - head.length - tail.length) + tail;
}

test('a frame of exactly the limit is published; one byte more is answered 413 in its room', async () => {
  let notified = 0;
  const room = await subscriber.realtime.subscribe(INDEX, 'exact', {}, () => notified++);
  try {
    const answers = await rawRequests([publishFrame('at-limit', MAX), publishFrame('over-limit', MAX + 1)]);
    assert.strictEqual(answers.get('at-limit').status, 200, JSON.stringify(answers.get('at-limit').error));
    const over = answers.get('over-limit');
    assert.strictEqual(over.status, 413);
    assert.strictEqual(over.room, 'over-limit');
    assert.strictEqual(over.error.id, 'network.entrypoint.request_too_large');
    assert.match(over.error.message, new RegExp(`limit of ${MAX} bytes`));
    await waitFor(() => notified === 1, 10000);
  } finally {
    await subscriber.realtime.unsubscribe(room);
  }
});

test('large filters and volatiles subscribe, match, and reach user notifications whole', async (t) => {
  // the joiner has a connection of its own: one connection subscribed twice to a room holds one subscription
  const joiner = new Kuzzle(new WebSocket('localhost', { port: portA }));
  await joiner.connect();
  t.after(() => joiner.disconnect());
  // filter and volatile travel in one request: together they stay within the limit
  for (const bytes of [1500, 20000, 300000, (MAX - 8192) / 2]) {
    const value = 'f'.repeat(bytes);
    const filter = { equals: { v: value } };
    const volatile = { pad: 'v'.repeat(bytes) };
    const watcher = [];
    const watched = await subscriber.realtime.subscribe(INDEX, `filters-${bytes}`, filter, (n) => watcher.push(n),
      { users: 'all' });
    const joined = [];
    const room = await joiner.realtime.subscribe(INDEX, `filters-${bytes}`, filter, (n) => joined.push(n),
      { volatile });
    try {
      await publisher.realtime.publish(INDEX, `filters-${bytes}`, { v: value });
      await publisher.realtime.publish(INDEX, `filters-${bytes}`, { v: 'other' });
      const documents = () => watcher.filter((n) => n.type === 'document');
      const joinerIn = () => watcher.find((n) => n.type === 'user' && n.volatile && 'pad' in n.volatile);
      await waitFor(() => joined.length === 1 && documents().length === 1 && joinerIn(), 10000);
      assert.strictEqual(joined[0].result._source.v, value);
      assert.strictEqual(documents()[0].result._source.v, value);
      const userIn = joinerIn();
      assert.strictEqual(digest(userIn.volatile.pad), digest(volatile.pad), `user notification volatile of ${bytes}`);
    } finally {
      await joiner.realtime.unsubscribe(room);
      await subscriber.realtime.unsubscribe(watched);
    }
  }
});

test('a filter over the limit is answered 413 naming the limit', async () => {
  await assert.rejects(
    publisher.realtime.subscribe(INDEX, 'too-large', { equals: { v: 'g'.repeat(MAX) } }, () => {}),
    (error) => error.status === 413 && error.message.includes(`limit of ${MAX} bytes`));
});

function post (path, body) {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: 'localhost', port: portA, path, method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, body: JSON.parse(Buffer.concat(chunks)) }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

test('HTTP publishes up to the limit; over it, 413 with a Kuzzle error', async () => {
  let notified = 0;
  const room = await subscriber.realtime.subscribe(INDEX, 'http', {}, () => notified++);
  try {
    const fits = '{"s":"' + 'h'.repeat(MAX - 8) + '"}';
    assert.strictEqual(Buffer.byteLength(fits), MAX - 0);
    const ok = await post(`/${INDEX}/http/_publish`, fits);
    assert.strictEqual(ok.status, 200, JSON.stringify(ok.body.error));
    const over = await post(`/${INDEX}/http/_publish`, '{"s":"' + 'h'.repeat(MAX - 7) + '"}').catch((e) => e);
    if (!(over instanceof Error)) {
      // the edge answers before the body is all read, then closes: the client may or may not see the answer
      assert.strictEqual(over.status, 413);
      assert.strictEqual(over.body.error.id, 'network.entrypoint.request_too_large');
    }
    await waitFor(() => notified === 1, 10000);
  } finally {
    await subscriber.realtime.unsubscribe(room);
  }
});
