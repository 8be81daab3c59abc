'use strict';
// Two edges in front of one cluster (HERALD_PORT_A, HERALD_PORT_B): publishes made on either reach subscribers on
// both, with the publisher's volatile; user notifications cross edges too.
const { test, after } = require('node:test');
const assert = require('node:assert');
const { Kuzzle, WebSocket } = require('kuzzle-sdk');
const { waitFor } = require('./helpers');

const clients = [];
async function client (port) {
  const kuzzle = new Kuzzle(new WebSocket('localhost', { port }));
  clients.push(kuzzle);
  await kuzzle.connect();
  return kuzzle;
}
after(() => clients.forEach(kuzzle => kuzzle.disconnect()));

test('a publish on one edge reaches subscribers on both, exactly once', async () => {
  const a = await client(Number(process.env.HERALD_PORT_A));
  const b = await client(Number(process.env.HERALD_PORT_B));
  const onA = []; const onB = [];
  const roomA = await a.realtime.subscribe('two', 'edges', { range: { n: { gte: 0 } } }, n => onA.push(n));
  const roomB = await b.realtime.subscribe('two', 'edges', { range: { n: { gte: 0 } } }, n => onB.push(n));
  assert.strictEqual(roomA, roomB);
  assert.strictEqual(await a.realtime.count(roomA), 2);
  for (let n = 0; n < 20; n++) await a.realtime.publish('two', 'edges', { n }, { volatile: { from: 'a' } });
  for (let n = 20; n < 40; n++) await b.realtime.publish('two', 'edges', { n }, { _id: 'doc-' + n });
  await b.realtime.publish('two', 'edges', { n: -1 });
  await waitFor(() => onA.length >= 40 && onB.length >= 40);
  await new Promise(resolve => setTimeout(resolve, 300));
  for (const received of [onA, onB]) {
    assert.deepStrictEqual(received.map(n => n.result._source.n).sort((x, y) => x - y), [...Array(40).keys()]);
  }
  assert.strictEqual(onB.find(n => n.result._source.n === 3).volatile.from, 'a');
  assert.strictEqual(onA.find(n => n.result._source.n === 25).result._id, 'doc-25');
  // the protocol the publish came in on crosses edges with the document
  assert.strictEqual(onB.find(n => n.result._source.n === 3).protocol, 'websocket');
});

test('user notifications cross edges', async () => {
  const a = await client(Number(process.env.HERALD_PORT_A));
  const b = await client(Number(process.env.HERALD_PORT_B));
  const heard = [];
  const room = await a.realtime.subscribe('two', 'lobby', {}, n => heard.push(n), { users: 'all' });
  await b.realtime.subscribe('two', 'lobby', {}, () => {}, { volatile: { name: 'bob' } });
  await waitFor(() => heard.some(n => n.type === 'user' && n.user === 'in' && n.volatile.name === 'bob'));
  b.disconnect();
  await waitFor(() => heard.some(n => n.type === 'user' && n.user === 'out' && n.volatile.name === 'bob'));
  await a.realtime.unsubscribe(room);
});
