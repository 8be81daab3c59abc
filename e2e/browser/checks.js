'use strict';
// Runs in a real browser with kuzzle-sdk's browser bundle (dist/kuzzle.js, the global KuzzleSDK) against Herald at
// ws://localhost:<?herald=port>, then POSTs {passed: [...], failed: [{check, error}]} to /result on the page's origin.
(function () {
  const port = Number(new URLSearchParams(location.search).get('herald'));
  const passed = [];
  const failed = [];
  const log = (line) => { document.getElementById('log').textContent += line + '\n'; };
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const waitFor = async (predicate, ms) => {
    const started = Date.now();
    while (!predicate()) {
      if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
      await sleep(10);
    }
  };
  const check = async (name, body) => {
    try {
      await body();
      passed.push(name);
      log('ok ' + name);
    } catch (error) {
      failed.push({ check: name, error: String(error && error.message || error) });
      log('not ok ' + name + ': ' + error);
    }
  };
  const report = () => fetch('/result', { method: 'POST', body: JSON.stringify({ passed, failed }) });

  (async () => {
    const kuzzle = new KuzzleSDK.Kuzzle(new KuzzleSDK.WebSocket('localhost', { port }));
    const disconnections = [];
    kuzzle.on('disconnected', (event) => disconnections.push(event));
    await check('connects (the bundle asks for subprotocol "null")', () => kuzzle.connect());
    if (failed.length) {
      await report();
      return;
    }
    await check('server:now', async () => {
      const now = await kuzzle.server.now();
      if (Math.abs(now - Date.now()) > 60000) throw new Error(`server time ${now}`);
    });
    const received = [];
    let roomId;
    await check('subscribe with a filter', async () => {
      roomId = await kuzzle.realtime.subscribe('browser', 'checks', { range: { n: { gte: 10 } } },
        (notification) => received.push(notification.result._source));
    });
    await check('publish: only matching documents are notified, a 2 KB one whole', async () => {
      await kuzzle.realtime.publish('browser', 'checks', { n: 5 });
      await kuzzle.realtime.publish('browser', 'checks', { n: 15 });
      const large = 'é'.repeat(1000) + 'z'.repeat(100);
      await kuzzle.realtime.publish('browser', 'checks', { n: 20, large });
      await waitFor(() => received.length >= 2, 5000);
      await sleep(200);
      if (received.length !== 2) throw new Error(`${received.length} notifications`);
      if (received[0].n !== 15 || received[1].n !== 20 || received[1].large !== large) {
        throw new Error(JSON.stringify(received).slice(0, 200));
      }
    });
    await check('count', async () => {
      const count = await kuzzle.realtime.count(roomId);
      if (count !== 1) throw new Error(`count ${count}`);
    });
    await check('stays connected over several heartbeats ({"p":1} every 2 s)', async () => {
      await sleep(7000);
      if (disconnections.length > 0) throw new Error(`disconnected: ${JSON.stringify(disconnections)}`);
      await kuzzle.server.now();
    });
    await check('unsubscribe: nothing more is notified', async () => {
      await kuzzle.realtime.unsubscribe(roomId);
      await kuzzle.realtime.publish('browser', 'checks', { n: 30 });
      await sleep(300);
      if (received.length !== 2) throw new Error(`${received.length} notifications`);
    });
    kuzzle.disconnect();
    await report();
  })().catch((error) => {
    failed.push({ check: 'the page', error: String(error) });
    report();
  });
})();
