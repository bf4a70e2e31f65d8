// Adds the lock entries `npm install` leaves out when the registry it used does not serve
// DuckDB's prebuilt bindings for other platforms (@duckdb/node-bindings-<os>-<cpu>).
// Without them `npm ci` refuses the lock ("Missing: ... from lock file"). The added entries are
// optional and platform-restricted, so npm never fetches them on a platform they do not match.
// Usage (in reports/, after any `npm install`): node tools/complete-lock.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;

for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const m = /^@duckdb\/node-bindings-(darwin|linux|win32)-(x64|arm64)$/.exec(dep);
    if (!m) continue;
    const where = `${path.slice(0, path.length - '@duckdb/node-bindings'.length)}${dep}`;
    if (packages[where]) continue;
    packages[where] = { version, cpu: [m[2]], license: 'MIT', optional: true, os: [m[1]] };
    added++;
  }
}

const sorted = Object.keys(packages).sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0));
lock.packages = Object.fromEntries(sorted.map((k) => [k, packages[k]]));
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lock: added ${added} platform entr${added === 1 ? 'y' : 'ies'}`);
