const { Kuzzle, WebSocket } = require(require("path").join(__dirname, "../../e2e/node_modules/kuzzle-sdk"));
(async () => {
  const k = new Kuzzle(new WebSocket('localhost', { port: Number(process.argv[2]) })); await k.connect();
  const killAt = Number(process.argv[3]);
  let n = 0;
  while (Date.now() - killAt < 30000) {
    try {
      await Promise.race([k.realtime.subscribe('p', 'c', { equals: { n: n++ } }, () => {}),
        new Promise((_, rej) => setTimeout(() => rej(new Error('t')), 300))]);
      console.log('subscribe ok after', Date.now() - killAt, 'ms'); break;
    } catch (e) { await new Promise(r => setTimeout(r, 20)); }
  }
  k.disconnect(); process.exit(0);
})();
