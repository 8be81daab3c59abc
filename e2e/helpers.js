'use strict';
// Shared by the end-to-end suites.

// Resolves once predicate() is true (checked every 10 ms), rejects after ms.
function waitFor (predicate, ms = 5000) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (predicate()) { clearInterval(timer); resolve(); }
      else if (Date.now() - started > ms) { clearInterval(timer); reject(new Error('timed out')); }
    }, 10);
  });
}

module.exports = { waitFor };
