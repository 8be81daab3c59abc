#!/usr/bin/env bash
# Installs koncorde@4.7.0 (pinned in package.json) into tools/koncorde/node_modules
# and makes sure its native add-ons are built.
#
# npm >= 11 blocks dependency install scripts unless they are approved
# ("allowScripts" in package.json / `npm install-scripts approve`), so the
# native add-ons (re2, boost-geospatial-index, and the espresso logic
# minimizer used by koncorde's normalizer) are approved and rebuilt explicitly.
# Safe to run several times: add-ons already built are left alone.
set -euo pipefail

cd "$(dirname "$0")"

ADDONS=(re2 boost-geospatial-index kuzzle-espresso-logic-minimizer)

addon_built() {
  compgen -G "node_modules/$1/build/Release/*.node" > /dev/null
}

if [ ! -f node_modules/koncorde/package.json ] \
  || [ "$(node -p 'require("./node_modules/koncorde/package.json").version')" != "4.7.0" ]; then
  npm install --no-audit --no-fund
fi

# npm 11 "install-scripts" approval (no-op on older npm or when already approved)
if npm help install-scripts > /dev/null 2>&1; then
  npm install-scripts approve --no-allow-scripts-pin "${ADDONS[@]}" > /dev/null 2>&1 || true
fi

TO_BUILD=()
for addon in "${ADDONS[@]}"; do
  addon_built "$addon" || TO_BUILD+=("$addon")
done

if [ "${#TO_BUILD[@]}" -gt 0 ]; then
  echo "building native add-ons: ${TO_BUILD[*]}"
  npm rebuild "${TO_BUILD[@]}"
fi

for addon in "${ADDONS[@]}"; do
  if ! addon_built "$addon"; then
    echo "error: native add-on $addon is not built" >&2
    exit 1
  fi
done

# smoke test
node -e '
const { Koncorde } = require("koncorde");
const k = new Koncorde();
const id = k.register({ and: [ { equals: { a: 1 } }, { geoDistance: { p: [0, 0], distance: "1km" } } ] });
const ok = k.test({ a: 1, p: [0, 0.001] }).includes(id) && k.test({ a: 2 }).length === 0;
if (!ok) { console.error("koncorde smoke test failed"); process.exit(1); }
console.log("koncorde " + require("koncorde/package.json").version + " ready");
'
