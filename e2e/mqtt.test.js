'use strict';
// Kuzzle's MQTT protocol with a real MQTT client (the npm `mqtt` package) beside the unchanged kuzzle-sdk over
// WebSocket, against a running Herald (HERALD_PORT for WebSocket, HERALD_MQTT_PORT for MQTT).
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const mqtt = require('mqtt');
const { Kuzzle, WebSocket } = require('kuzzle-sdk');
const { waitFor } = require('./helpers');

const port = Number(process.env.HERALD_PORT || 7512);
const mqttPort = Number(process.env.HERALD_MQTT_PORT || 1883);
const devices = [];
let kuzzle;
let nextId = 0;

// A device as Kuzzle's MQTT clients are written: requests on Kuzzle/request, answers matched by requestId on
// Kuzzle/response; every message kept by topic.
async function device () {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
    protocolVersion: 4, clean: true, reconnectPeriod: 0, clientId: `e2e-device-${++nextId}`
  });
  client.received = [];
  client.on('message', (topic, payload) => client.received.push({ topic, json: JSON.parse(payload.toString()) }));
  await client.subscribeAsync('Kuzzle/response');
  devices.push(client);
  return client;
}

async function ask (client, request, qos = 0) {
  const requestId = `mqtt-e2e-${++nextId}`;
  await client.publishAsync('Kuzzle/request', JSON.stringify({ ...request, requestId }), { qos });
  let answer;
  await waitFor(() => {
    answer = client.received.find(m => m.topic === 'Kuzzle/response' && m.json.requestId === requestId);
    return answer !== undefined;
  });
  return answer.json;
}

function on (client, topic) {
  return client.received.filter(m => m.topic === topic).map(m => m.json);
}

before(async () => {
  kuzzle = new Kuzzle(new WebSocket('localhost', { port }));
  await kuzzle.connect();
});

after(async () => {
  kuzzle.disconnect();
  await Promise.all(devices.map(d => d.endAsync()));
});

test('a device subscribes with a Koncorde filter and gets what a kuzzle-sdk client publishes', async () => {
  const sensor = await device();
  const subscribed = await ask(sensor, {
    controller: 'realtime', action: 'subscribe', index: 'plant', collection: 'readings',
    body: { range: { temp: { gt: 30 } } }
  }, 1);
  assert.strictEqual(subscribed.status, 200, JSON.stringify(subscribed));
  assert.strictEqual(subscribed.room, undefined);
  const { channel, roomId } = subscribed.result;
  await sensor.subscribeAsync(channel);

  await kuzzle.realtime.publish('plant', 'readings', { temp: 12 });
  await kuzzle.realtime.publish('plant', 'readings', { temp: 41, line: 'A' });
  await waitFor(() => on(sensor, channel).length === 1);
  const [notification] = on(sensor, channel);
  assert.strictEqual(notification.result._source.line, 'A');
  assert.strictEqual(notification.protocol, 'websocket');
  assert.strictEqual(notification.room, undefined);

  assert.strictEqual(await kuzzle.realtime.count(roomId), 1);
  const unsubscribed = await ask(sensor, { controller: 'realtime', action: 'unsubscribe', body: { roomId } });
  assert.strictEqual(unsubscribed.status, 200, JSON.stringify(unsubscribed));
  await kuzzle.realtime.publish('plant', 'readings', { temp: 50 });
  await new Promise(resolve => setTimeout(resolve, 300));
  assert.strictEqual(on(sensor, channel).length, 1, 'nothing after realtime:unsubscribe');
});

test('a kuzzle-sdk subscriber gets what a device publishes, and sees it come and go', async () => {
  const documents = [];
  const users = [];
  const roomId = await kuzzle.realtime.subscribe('plant', 'commands', { equals: { to: 'press-1' } }, n => {
    (n.type === 'user' ? users : documents).push(n);
  }, { users: 'all' });

  const press = await device();
  const joined = await ask(press, {
    controller: 'realtime', action: 'subscribe', index: 'plant', collection: 'commands',
    body: { equals: { to: 'press-1' } }
  });
  assert.strictEqual(joined.result.roomId, roomId, 'the same filter is the same room');
  await waitFor(() => users.some(n => n.user === 'in' && n.result.count === 2));
  assert.strictEqual(await kuzzle.realtime.count(roomId), 2);

  const published = await ask(press, {
    controller: 'realtime', action: 'publish', index: 'plant', collection: 'commands',
    body: { to: 'press-1', do: 'stop' }
  }, 1);
  assert.strictEqual(published.status, 200, JSON.stringify(published));
  await waitFor(() => documents.length === 1);
  assert.strictEqual(documents[0].result._source.do, 'stop');
  assert.strictEqual(documents[0].protocol, 'mqtt');

  press.stream.destroy(); // the device's connection drops without a word
  await waitFor(() => users.some(n => n.user === 'out'));
  assert.strictEqual(await kuzzle.realtime.count(roomId), 1);
  await kuzzle.realtime.unsubscribe(roomId);
});

test('wildcards and Kuzzle/request are refused in the SUBACK, and the session goes on', async () => {
  const client = await device();
  let granted;
  try {
    granted = (await client.subscribeAsync(['#', 'plant/+', 'Kuzzle/request'])).map(g => g.qos);
  } catch (error) { // mqtt.js rejects a SUBACK holding a failure, with the packet
    granted = error.packet.granted;
  }
  assert.deepStrictEqual(granted, [128, 128, 128]);
  const now = await ask(client, { controller: 'server', action: 'now' });
  assert.strictEqual(now.status, 200);
});
