'use strict';
// Small helpers over an edge's GET /_cluster/status for the failover scripts.
//   node cluster-status.js leader <port>                       -> the leader's member id (-1: none)
//   node cluster-status.js up <port>                           -> nodes "up"
//   node cluster-status.js new-leader <port> <old> <killedAtMs> -> ms from the kill until the edge names another leader
const [what, port, old, killedAt] = process.argv.slice(2);
const status = async () => {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/_cluster/status`);
    return (await response.json()).result;
  } catch (e) { return { leader: -1, nodes: [] }; }
};
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
(async () => {
  if (what === 'leader') { console.log((await status()).leader); return; }
  if (what === 'up') { console.log((await status()).nodes.filter(n => n.state === 'up').length); return; }
  if (what === 'new-leader') {
    while (Date.now() - Number(killedAt) < 30000) {
      const s = await status();
      if (s.leader >= 0 && s.leader !== Number(old) && (s.nodes[s.leader] || {}).role === 'leader') {
        console.log(Date.now() - Number(killedAt)); return;
      }
      await sleep(10);
    }
    console.log(-1);
  }
})();
