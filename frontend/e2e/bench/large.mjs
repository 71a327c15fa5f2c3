// The UI's speed on a big store, for `make bench` (backend/synth/cmd/bench),
// in Debian's chromium against the real binary in serve mode:
//
//  - launch to first lineage picture: from starting `lineagedesk serve` on
//    the store to the lineage of a model painted in the page (deep link, the
//    UI's default 2 hops each way), per launch;
//  - search while typing: the time from each keystroke's query to its
//    results painted (the app's own search_latency metric), per keystroke.
//
// Env: LINEAGEDESK_BIN, LINEAGEDESK_BENCH_DB (an imported store; serve may
// add caches to it), LINEAGEDESK_BENCH_MODEL (a model name), optionally
// LINEAGEDESK_BENCH_LAUNCHES (default 3). Prints one JSON line per figure.
import { appMetrics, assert, launchBrowser, log, metric, newPage, startServer } from '../lib.mjs';

const db = process.env.LINEAGEDESK_BENCH_DB;
const model = process.env.LINEAGEDESK_BENCH_MODEL;
const launches = Number(process.env.LINEAGEDESK_BENCH_LAUNCHES || 3);
const typed = ['customer', 'revenue daily', 'fct_orders_12'];

async function launchToFirstLineage(browser) {
  const { context, page, problems } = await newPage(browser); // the browser is up: only the app's launch is timed
  const started = performance.now();
  const server = await startServer({ db });
  try {
    const printedURL = performance.now();
    const select = `2+${model}+2`;
    await page.goto(`${server.url}#/lineage?select=${encodeURIComponent(select)}`);
    await page.waitForSelector(`[data-testid="lineage-canvas"] svg [data-uid$=".${model}"]`, { timeout: 60_000 });
    const painted = performance.now();
    const first = (await appMetrics(page)).find((m) => m.metric === 'lineage_first_picture');
    assert(problems.length === 0, `no page errors: ${problems.join('; ')}`);
    metric('launch_to_first_lineage', painted - started, { url_ms: Math.round(printedURL - started), nodes: first?.nodes, select });
    return { context, page, server };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

async function searchWhileTyping(page) {
  for (const text of typed) {
    await page.keyboard.press('/');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    const before = (await appMetrics(page)).filter((m) => m.metric === 'search_latency').length;
    for (const ch of text) {
      await page.keyboard.type(ch);
      await page.waitForTimeout(200); // a brisk typist; each keystroke's query finishes before the next
    }
    await page.waitForFunction(
      ([n, want]) => (window.__ldMetrics ?? []).filter((m) => m.metric === 'search_latency').slice(n).some((m) => m.query === want),
      [before, text.trim()],
      { timeout: 30_000 },
    );
    for (const m of (await appMetrics(page)).filter((m) => m.metric === 'search_latency').slice(before)) {
      metric('search_keystroke', m.ms, { query: m.query, hits: m.hits });
    }
  }
}

export default async function run() {
  assert(db && model, 'set LINEAGEDESK_BENCH_DB and LINEAGEDESK_BENCH_MODEL');
  const browser = await launchBrowser();
  try {
    for (let i = 0; i < launches; i++) {
      const { context, page, server } = await launchToFirstLineage(browser);
      if (i === launches - 1) await searchWhileTyping(page);
      await context.close();
      await server.stop();
      log(`launch ${i + 1}/${launches} done`);
    }
  } finally {
    await browser.close();
  }
}

await run();
