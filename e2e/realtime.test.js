'use strict';
// The unchanged kuzzle-sdk against a running Herald (HERALD_PORT): what its users do with realtime.
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const { Kuzzle, WebSocket } = require('kuzzle-sdk');

const port = Number(process.env.HERALD_PORT || 7512);
const clients = [];

function client () {
  const kuzzle = new Kuzzle(new WebSocket('localhost', { port }));
  clients.push(kuzzle);
  return kuzzle;
}

function waitFor (predicate, ms = 5000) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (predicate()) { clearInterval(timer); resolve(); }
      else if (Date.now() - started > ms) { clearInterval(timer); reject(new Error('timed out')); }
    }, 10);
  });
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
