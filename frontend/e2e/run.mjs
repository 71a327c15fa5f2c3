// `npm run e2e`: runs every e2e/*.e2e.mjs scenario against the real binary.
// A scenario that needs an environment variable (requiresEnv) is not run when
// it is missing, and the runner says so; a scenario that runs must pass.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here).filter((f) => f.endsWith('.e2e.mjs')).filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
let failed = 0;
let ran = 0;
for (const f of files) {
  const mod = await import(pathToFileURL(join(here, f)).href);
  const missing = (mod.requiresEnv ?? []).filter((v) => !process.env[v]);
  if (missing.length) {
    console.error(`[e2e] not running ${f}: ${missing.join(', ')} not set`);
    continue;
  }
  const t0 = performance.now();
  console.error(`[e2e] ${f} …`);
  try {
    await mod.default();
    ran++;
    console.error(`[e2e] ${f} passed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } catch (err) {
    failed++;
    console.error(`[e2e] ${f} FAILED: ${err?.stack ?? err}`);
  }
}
console.error(`[e2e] ${ran} passed, ${failed} failed`);
process.exit(failed > 0 || ran === 0 ? 1 : 0);
