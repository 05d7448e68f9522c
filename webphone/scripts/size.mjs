// Prints the gzipped size of the production bundle (everything in dist/) and fails the build over the budget:
// issue 7 asks for under 250 KB gzipped.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 250 * 1024;
const dist = new URL('../dist/', import.meta.url).pathname;
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path); else files.push(path);
  }
})(dist);
let raw = 0;
let gzipped = 0;
for (const path of files.sort()) {
  const bytes = readFileSync(path);
  const gz = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzipped += gz;
  console.log(`  ${relative(dist, path).padEnd(40)} ${String(bytes.length).padStart(9)} B  ${String(gz).padStart(8)} B gzipped`);
}
const kb = (n) => (n / 1024).toFixed(1);
console.log(`webphone bundle: ${files.length} files, ${kb(raw)} KB, ${kb(gzipped)} KB gzipped (budget ${kb(BUDGET)} KB)`);
if (gzipped > BUDGET) {
  console.error(`webphone bundle is over its budget: ${kb(gzipped)} KB gzipped > ${kb(BUDGET)} KB`);
  process.exit(1);
}
