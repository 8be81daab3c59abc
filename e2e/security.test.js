'use strict';
// Tokens and rights with the unchanged kuzzle-sdk, against a Herald whose rights file and token keys the Java side
// (SecurityEndToEndTest) set up: HERALD_PORT, and HERALD_TOKENS, a JSON object of tokens it minted.
const { test, after } = require('node:test');
const assert = require('node:assert');
const { Kuzzle, WebSocket } = require('kuzzle-sdk');
const crypto = require('node:crypto');
const { waitFor } = require('./helpers');

const port = Number(process.env.HERALD_PORT || 7512);
const tokens = JSON.parse(process.env.HERALD_TOKENS || '{}');
const clients = [];

// an HS256 token as the application would mint it (HERALD_SECRET is the test's shared secret), made when needed
function mint (claims) {
  const encode = value => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ iss: 'my-app', ...claims })}`;
  const signature = crypto.createHmac('sha256', process.env.HERALD_SECRET).update(signed).digest('base64url');
  return `${signed}.${signature}`;
}

async function client (jwt) {
  const kuzzle = new Kuzzle(new WebSocket('localhost', { port }));
  clients.push(kuzzle);
  await kuzzle.connect();
  if (jwt) {
    kuzzle.jwt = jwt;
  }
  return kuzzle;
}

async function refusal (promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('the request was not refused');
}

after(() => clients.forEach(kuzzle => kuzzle.disconnect()));

test('anonymous users get the anonymous profile: the time yes, a subscription no', async () => {
  const anonymous = await client();
  assert.ok(await anonymous.server.now() > 0);
  const error = await refusal(anonymous.realtime.subscribe('iot', 'sensors', {}, () => {}));
  assert.strictEqual(error.status, 401);
  assert.strictEqual(error.id, 'security.rights.unauthorized');
});

test('a reader subscribes where its profile allows it, gets 403 elsewhere, and gets what a writer publishes',
  async () => {
    const reader = await client(tokens.reader);
    const writer = await client(tokens.writer);
    const me = await reader.auth.getCurrentUser();
    assert.strictEqual(me._id, 'ada');
    assert.deepStrictEqual(me._source.profileIds, ['reader']);
    const check = await reader.auth.checkToken(tokens.writer);
    assert.strictEqual(check.valid, true);
    assert.strictEqual(check.kuid, 'bob');

    const received = [];
    const roomId = await reader.realtime.subscribe('iot', 'sensors', {}, n => received.push(n));
    const outside = await refusal(reader.realtime.subscribe('iot', 'commands', {}, () => {}));
    assert.strictEqual(outside.status, 403);
    assert.strictEqual(outside.id, 'security.rights.forbidden');
    const publish = await refusal(reader.realtime.publish('iot', 'sensors', { temp: 1 }));
    assert.strictEqual(publish.status, 403);

    await writer.realtime.publish('iot', 'sensors', { temp: 21 }); // an RS256 token
    await waitFor(() => received.length === 1);
    assert.strictEqual(received[0].result._source.temp, 21);
    assert.strictEqual(received[0].result._source._kuzzle_info.author, 'bob');
    await reader.realtime.unsubscribe(roomId);
  });

test('forged and expired tokens are refused in the request\'s room', async () => {
  const forged = await client(tokens.forged);
  const invalid = await refusal(forged.realtime.publish('iot', 'sensors', {}));
  assert.strictEqual(invalid.status, 401);
  assert.strictEqual(invalid.id, 'security.token.invalid');

  const expired = await client(tokens.expired);
  const late = await refusal(expired.realtime.publish('iot', 'sensors', {}));
  assert.strictEqual(late.status, 401);
  assert.strictEqual(late.id, 'security.token.expired');

  const checker = await client();
  const check = await checker.auth.checkToken(tokens.forged);
  assert.strictEqual(check.valid, false);
  const login = await refusal(checker.auth.login('local', { username: 'a', password: 'b' }));
  assert.match(login.message, /your application/);
});

test('when a token expires the client is told (TokenExpired) and its subscriptions stop', async () => {
  const reader = await client(mint({ sub: 'eve', profiles: ['reader'], exp: Math.floor(Date.now() / 1000) + 3 }));
  const writer = await client(tokens.writer);
  let expired = 0;
  reader.on('tokenExpired', () => expired++);
  const received = [];
  await reader.realtime.subscribe('iot', 'sensors', { equals: { batch: 'short' } }, n => received.push(n));
  await writer.realtime.publish('iot', 'sensors', { batch: 'short', n: 1 });
  await waitFor(() => received.length === 1);
  await waitFor(() => expired === 1, 15000);
  assert.strictEqual(reader.jwt, null, 'the SDK forgot the token');
  await writer.realtime.publish('iot', 'sensors', { batch: 'short', n: 2 });
  await new Promise(resolve => setTimeout(resolve, 300));
  assert.strictEqual(received.length, 1, 'no notification after the expiry');
});

test('a profile\'s rateLimit answers 429 in the request\'s room', async () => {
  const limited = await client(tokens.limited);
  const results = await Promise.allSettled(
    Array.from({ length: 20 }, (_, i) => limited.realtime.publish('iot', 'sensors', { i })));
  const refused = results.filter(r => r.status === 'rejected');
  assert.ok(refused.length >= 10, `refused: ${refused.length}`);
  for (const r of refused) {
    assert.strictEqual(r.reason.status, 429);
    assert.strictEqual(r.reason.id, 'api.process.too_many_requests');
  }
});

test('a connection holds at most edge.limit.subscriptions.per.connection subscriptions', async () => {
  const writer = await client(tokens.writer);
  const rooms = [];
  for (let i = 0; i < 3; i++) {
    rooms.push(await writer.realtime.subscribe('iot', 'sensors', { equals: { n: i } }, () => {}));
  }
  const fourth = await refusal(writer.realtime.subscribe('iot', 'sensors', { equals: { n: 3 } }, () => {}));
  assert.strictEqual(fourth.status, 429);
  assert.strictEqual(fourth.id, 'core.realtime.too_many_subscriptions');
  await writer.realtime.unsubscribe(rooms[0]);
  await writer.realtime.subscribe('iot', 'sensors', { equals: { n: 3 } }, () => {});
});

test('HTTP takes the token from the Authorization header', async () => {
  const url = `http://localhost:${port}/iot/sensors/_publish`;
  const anonymous = await fetch(url, { method: 'POST', body: '{"a":1}' });
  assert.strictEqual(anonymous.status, 401);
  const allowed = await fetch(url, {
    method: 'POST', body: '{"a":1}', headers: { Authorization: `Bearer ${tokens.writer}` }
  });
  assert.strictEqual(allowed.status, 200, await allowed.text());
});
