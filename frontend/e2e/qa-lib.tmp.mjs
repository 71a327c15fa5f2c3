import { readFileSync } from 'node:fs';
import { launchBrowser } from './lib.mjs';
export const URL0 = readFileSync('/tmp/qa2/serve.out', 'utf8').match(/http:\/\/\S+/)[0];
export const ORIGIN = new URL(URL0).origin;
export async function open({ width = 1280, height = 800, dark = false } = {}) {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true, colorScheme: dark ? 'dark' : 'light' });
  const page = await context.newPage();
  const problems = [];
  const t0 = Date.now();
  page.on('pageerror', (e) => problems.push(`[${page.url()}] pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`[${page.url()}] console.${m.type()}: ${m.text().slice(0, 300)}`); });
  page.on('requestfailed', (r) => problems.push(`[${page.url()}] requestfailed ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', async (r) => { if (r.status() >= 400) problems.push(`[${page.url()}] HTTP ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname} ${(await r.text().catch(() => '')).slice(0, 300)}`); });
  await page.goto(URL0);
  await page.waitForSelector('.stat-grid, h1', { timeout: 20000 });
  return { browser, context, page, problems };
}
export async function shot(page, name, full = false) { const f = `/tmp/qa2/shots/${name}.png`; await page.screenshot({ path: f, fullPage: full }); console.log('shot', f); return f; }
export async function go(page, hash) { await page.evaluate((h) => { location.hash = h; }, hash); await page.waitForTimeout(300); }
export async function settle(page, ms = 8000) { const t = Date.now(); try { await page.waitForFunction(() => !document.querySelector('.spinner, [aria-busy="true"]'), null, { timeout: ms }); } catch { console.log('STILL BUSY after', ms, 'ms at', page.url()); } return Date.now() - t; }
export function text(page) { return page.evaluate(() => document.body.innerText); }
