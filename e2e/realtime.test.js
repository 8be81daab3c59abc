'use strict';
// The unchanged kuzzle-sdk against a running Herald (HERALD_PORT): what its users do with realtime.
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const { Kuzzle, WebSocket, Http } = require('kuzzle-sdk');
const { waitFor } = require('./helpers');

const port = Number(process.env.HERALD_PORT || 7512);
// HERALD_SSL=1: the same suite over wss:// and https:// (the test gives node its certificate: NODE_EXTRA_CA_CERTS)
const ssl = process.env.HERALD_SSL === '1';
const clients = [];

function client (options = {}) {
  const kuzzle = new Kuzzle(new WebSocket('localhost', { port, ssl, ...options }));
  clients.push(kuzzle);
  return kuzzle;
}

let subscriber, publisher;

before(async () => {
  subscriber = client();
  publisher = client();
  await subscriber.connect();
  await publisher.connect();
});

after(() => clients.forEach(kuzzle => kuzzle.disconnect()));

test('server:now answers the time', async () => {
  const now = await subscriber.server.now();
  assert.ok(Math.abs(now - Date.now()) < 5000, `now=${now}`);
});

test('a publish reaches the subscription whose filter it matches, with the document', async () => {
  const received = [];
  const roomId = await subscriber.realtime.subscribe('e2e', 'orders', { range: { total: { gt: 100 } } },
    notification => received.push(notification));
  assert.match(roomId, /^[0-9a-f]{32}$/);
  assert.strictEqual(await subscriber.realtime.count(roomId), 1);
  await publisher.realtime.publish('e2e', 'orders', { total: 150, item: 'tent' });
  await publisher.realtime.publish('e2e', 'orders', { total: 20, item: 'torch' });
  await publisher.realtime.publish('e2e', 'orders', { total: 101, item: 'boots' });
  await waitFor(() => received.length >= 2);
  assert.deepStrictEqual(received.map(n => n.result._source.item), ['tent', 'boots']);
  assert.strictEqual(received[0].type, 'document');
  assert.strictEqual(received[0].action, 'publish');
  await subscriber.realtime.unsubscribe(roomId);
});

test('subscribeToSelf:false drops the publisher\'s own notifications, others still get them', async () => {
  const own = [];
  const others = [];
  const ownRoom = await publisher.realtime.subscribe('e2e', 'chat', {}, n => own.push(n), { subscribeToSelf: false });
  const otherRoom = await subscriber.realtime.subscribe('e2e', 'chat', {}, n => others.push(n));
  await publisher.realtime.publish('e2e', 'chat', { text: 'hi' });
  await waitFor(() => others.length === 1);
  await new Promise(resolve => setTimeout(resolve, 200));
  assert.strictEqual(own.length, 0);
  await publisher.realtime.unsubscribe(ownRoom);
  await subscriber.realtime.unsubscribe(otherRoom);
});

test('subscribers asking for user notifications hear others join and leave', async () => {
  const heard = [];
  const watching = await subscriber.realtime.subscribe('e2e', 'lobby', { exists: 'name' },
    notification => heard.push(notification), { users: 'all' });
  const joining = await publisher.realtime.subscribe('e2e', 'lobby', { exists: 'name' }, () => {},
    { volatile: { nickname: 'ada' } });
  assert.strictEqual(joining, watching);
  await waitFor(() => heard.some(n => n.type === 'user' && n.user === 'in' && n.result.count === 2));
  assert.strictEqual(heard.find(n => n.user === 'in' && n.result.count === 2).volatile.nickname, 'ada');
  await publisher.realtime.unsubscribe(joining);
  await waitFor(() => heard.some(n => n.type === 'user' && n.user === 'out' && n.result.count === 1));
  await subscriber.realtime.unsubscribe(watching);
});

test('a subscriber that disconnects is announced "out" with the volatile it subscribed with', async () => {
  const heard = [];
  const watching = await subscriber.realtime.subscribe('e2e', 'lobby2', {}, n => heard.push(n), { users: 'all' });
  const leaving = client();
  await leaving.connect();
  await leaving.realtime.subscribe('e2e', 'lobby2', {}, () => {}, { volatile: { nickname: 'grace' } });
  await waitFor(() => heard.some(n => n.user === 'in' && n.result.count === 2));
  leaving.disconnect();
  await waitFor(() => heard.some(n => n.user === 'out' && n.result.count === 1));
  assert.strictEqual(heard.find(n => n.user === 'out').volatile.nickname, 'grace');
  await subscriber.realtime.unsubscribe(watching);
});

test('an invalid filter is refused with a Koncorde DSL error, and the connection stays usable', async () => {
  await assert.rejects(subscriber.realtime.subscribe('e2e', 'orders', { equlas: { a: 1 } }, () => {}),
    error => error.status === 400 && error.id === 'api.assert.koncorde_dsl_error');
  assert.ok(await subscriber.server.now() > 0);
});

test('unsubscribing twice says not subscribed', async () => {
  const roomId = await subscriber.realtime.subscribe('e2e', 'orders', { exists: 'total' }, () => {});
  await subscriber.realtime.unsubscribe(roomId);
  await assert.rejects(subscriber.realtime.unsubscribe(roomId),
    error => error.status === 412 && error.id === 'core.realtime.not_subscribed');
});

test('server:info names the server', async () => {
  const info = await subscriber.server.info();
  assert.strictEqual(info.serverInfo.kuzzle.implementation, 'herald');
  assert.ok(info.serverInfo.kuzzle.version);
});

test('cluster:status names the leader and each node', async () => {
  let status;
  for (let i = 0; i < 50; i++) {
    status = (await subscriber.query({ controller: 'cluster', action: 'status' })).result;
    // a node's role comes with its status, polled once a second: after an election it may lag the leader id
    if (status.nodes.length && status.nodes.every(n => n.state === 'up') && status.leader >= 0 &&
      status.nodes[status.leader] && status.nodes[status.leader].role === 'leader') break;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  assert.ok(status.nodes.length >= 1);
  assert.ok(status.nodes.every(n => n.state === 'up' && n.pid > 0), JSON.stringify(status));
  assert.strictEqual(status.nodes[status.leader].role, 'leader', JSON.stringify(status));
});

test('realtime:validate checks a filter without subscribing', async () => {
  const good = await subscriber.query({ controller: 'realtime', action: 'validate', index: 'e2e', collection: 'c',
    body: { equals: { a: 1 } } });
  assert.deepStrictEqual(good.result, { valid: true });
  const bad = await subscriber.query({ controller: 'realtime', action: 'validate', index: 'e2e', collection: 'c',
    body: { equals: { a: [1] } } });
  assert.strictEqual(bad.result.valid, false);
  assert.match(bad.result.errorMessages[0], /equals\.a/);
});

test('realtime:list shows rooms with their subscriber counts', async () => {
  const roomId = await subscriber.realtime.subscribe('e2e-list', 'things', { equals: { color: 'red' } }, () => {});
  const list = await subscriber.query({ controller: 'realtime', action: 'list' });
  assert.strictEqual(list.result['e2e-list'].things[roomId], 1);
  await subscriber.realtime.unsubscribe(roomId);
});

test('scope: a publish notifies "in" and "all" subscriptions, not "out"', async () => {
  const seen = { all: [], in: [], out: [] };
  const rooms = [];
  for (const scope of ['all', 'in', 'out']) {
    rooms.push(await subscriber.realtime.subscribe('e2e', 'scoped', { equals: { k: 'v' } },
      n => seen[scope].push(n), { scope }));
  }
  assert.strictEqual(new Set(rooms).size, 1, 'one room, three channels');
  await publisher.realtime.publish('e2e', 'scoped', { k: 'v' });
  await waitFor(() => seen.all.length === 1 && seen.in.length === 1);
  await new Promise(resolve => setTimeout(resolve, 200));
  assert.strictEqual(seen.out.length, 0);
  assert.strictEqual(seen.in[0].scope, 'in');
  await subscriber.realtime.unsubscribe(rooms[0]);
});

test('several subscriptions on one connection each get their notification once', async () => {
  const byFilter = { cheap: [], red: [] };
  const cheap = await subscriber.realtime.subscribe('e2e', 'items', { range: { price: { lt: 10 } } },
    n => byFilter.cheap.push(n));
  const red = await subscriber.realtime.subscribe('e2e', 'items', { equals: { color: 'red' } },
    n => byFilter.red.push(n));
  await publisher.realtime.publish('e2e', 'items', { price: 5, color: 'red' });
  await publisher.realtime.publish('e2e', 'items', { price: 50, color: 'red' });
  await waitFor(() => byFilter.cheap.length === 1 && byFilter.red.length === 2);
  await new Promise(resolve => setTimeout(resolve, 200));
  assert.strictEqual(byFilter.cheap.length, 1);
  assert.strictEqual(byFilter.red.length, 2);
  await subscriber.realtime.unsubscribe(cheap);
  await subscriber.realtime.unsubscribe(red);
});

test('realtime:join puts a connection on an existing room, and a publish reaches it', async () => {
  const roomId = await subscriber.realtime.subscribe('e2e', 'joined', { exists: 'x' }, () => {});
  const joiner = client();
  await joiner.connect();
  const joined = await joiner.query({ controller: 'realtime', action: 'join', body: { roomId } });
  assert.strictEqual(joined.result.roomId, roomId);
  const heard = [];
  joiner.protocol.on(joined.result.channel, n => heard.push(n));
  assert.strictEqual(await subscriber.realtime.count(roomId), 2);
  await publisher.realtime.publish('e2e', 'joined', { x: 1 });
  await waitFor(() => heard.length === 1);
  assert.strictEqual(heard[0].result._source.x, 1);
  await assert.rejects(joiner.query({ controller: 'realtime', action: 'join', body: { roomId: 'nope' } }),
    error => error.status === 404 && error.id === 'core.realtime.room_not_found');
  joiner.disconnect();
  await subscriber.realtime.unsubscribe(roomId);
});

test('a closed socket\'s subscriptions are cleaned up', async () => {
  const leaving = client();
  await leaving.connect();
  const roomId = await subscriber.realtime.subscribe('e2e', 'cleanup', { exists: 'y' }, () => {});
  assert.strictEqual(await leaving.realtime.subscribe('e2e', 'cleanup', { exists: 'y' }, () => {}), roomId);
  assert.strictEqual(await subscriber.realtime.count(roomId), 2);
  leaving.disconnect();
  let count = 2;
  const started = Date.now();
  while (count !== 1 && Date.now() - started < 5000) {
    count = await subscriber.realtime.count(roomId);
  }
  assert.strictEqual(count, 1);
  await subscriber.realtime.unsubscribe(roomId);
});

test('after a network drop the SDK reconnects and resubscribes to the same room, and notifications resume', async () => {
  const dropping = client({ reconnectionDelay: 100 });
  await dropping.connect();
  const received = [];
  const roomId = await dropping.realtime.subscribe('e2e', 'flaky', { equals: { n: 1 } }, n => received.push(n));
  let reconnected = false;
  dropping.on('reconnected', () => { reconnected = true; });
  dropping.protocol.client.terminate(); // the TCP connection dies without a close frame
  await waitFor(() => reconnected, 10000);
  // the SDK resubscribes on 'reconnected', in its own time: publish until the new connection is notified (a count
  // of 1 alone could still be the dead connection, not yet cleaned up, before the resubscription)
  const started = Date.now();
  while (received.length === 0 && Date.now() - started < 10000) {
    await publisher.realtime.publish('e2e', 'flaky', { n: 1 });
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  assert.ok(received.length > 0, 'notifications resume on the new connection');
  assert.ok(received.every(n => n.result._source.n === 1));
  // and the dead connection was cleaned up: the room holds the new connection alone
  let count = 0;
  while (count !== 1 && Date.now() - started < 15000) {
    count = await publisher.realtime.count(roomId).catch(() => 0);
  }
  assert.strictEqual(count, 1, 'the dead connection was cleaned up and the new one resubscribed');
  await dropping.realtime.unsubscribe(roomId);
});

test('bad requests get Kuzzle errors and the connection stays usable', async () => {
  await assert.rejects(subscriber.query({ controller: 'realtime', action: 'nope' }),
    error => error.status === 404 && error.id === 'api.process.action_not_found');
  await assert.rejects(subscriber.query({ controller: 'nope', action: 'now' }),
    error => error.status === 404 && error.id === 'api.process.controller_not_found');
  await assert.rejects(subscriber.query({ controller: 'realtime', action: 'publish', index: 'e2e', collection: 'c',
    body: [1, 2] }), error => error.status === 400);
  await assert.rejects(subscriber.query({ controller: 'realtime', action: 'subscribe', collection: 'c', body: {} }),
    error => error.status === 400 && error.id === 'api.assert.missing_argument');
  await assert.rejects(subscriber.realtime.count('no-such-room'),
    error => error.status === 404 && error.id === 'core.realtime.room_not_found');
  assert.ok(await subscriber.server.now() > 0);
});

test('the SDK\'s Http protocol publishes to WebSocket subscribers', async () => {
  const http = new Kuzzle(new Http('localhost', { port, ssl }));
  await http.connect();
  const received = [];
  const roomId = await subscriber.realtime.subscribe('e2e', 'overhttp', {}, n => received.push(n));
  assert.ok(await http.server.now() > 0);
  await http.realtime.publish('e2e', 'overhttp', { via: 'http' });
  await subscriber.realtime.publish('e2e', 'overhttp', { via: 'websocket' });
  await waitFor(() => received.length === 2);
  assert.strictEqual(received[0].result._source.via, 'http');
  // notifications say which protocol the publish came in on, as Kuzzle's do
  assert.strictEqual(received[0].protocol, 'http');
  assert.strictEqual(received[1].protocol, 'websocket');
  http.disconnect();
  await subscriber.realtime.unsubscribe(roomId);
});
