// Shared e2e plumbing: start the real lineagedesk binary in serve mode on a
// fresh database, and Debian's chromium through playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const artifactsDir = join(here, 'artifacts');
export const screenshotsDir = resolve(here, '../../docs/screenshots');
export const binary = resolve(process.cwd(), process.env.LINEAGEDESK_BIN || '../build/bin/lineagedesk');

export function metric(name, ms, extra = {}) {
  // One JSON line per figure, for the bench harness.
  console.log(JSON.stringify({ metric: name, ms: Math.round(ms * 10) / 10, ...extra }));
}

export function log(msg) {
  console.error(`[e2e] ${msg}`);
}

/**
 * Starts `lineagedesk serve` and resolves with { url, origin, stop }: on a
 * fresh database, or on opts.db.
 */
export async function startServer(opts = {}) {
  if (!existsSync(binary)) throw new Error(`no lineagedesk binary at ${binary}: build it (make build-cli) or set LINEAGEDESK_BIN`);
  const db = opts.db ?? join(mkdtempSync(join(tmpdir(), 'lineagedesk-e2e-')), 'e2e.db');
  const child = spawn(binary, ['serve', '--addr', '127.0.0.1:0', '--db', db, ...(opts.args ?? [])], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(opts.env ?? {}) } });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const url = await new Promise((resolveUrl, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`lineagedesk serve printed no http:// URL within 30 s. stderr:\n${stderr}`)), 30_000);
    child.stdout.on('data', (d) => {
      buf += d;
      for (const line of buf.split('\n')) {
        const m = line.includes('http://') && /(http:\/\/[^\s"']+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolveUrl(m[1]);
          return;
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`lineagedesk serve exited with ${code} before printing its URL. stderr:\n${stderr}`));
    });
  });
  const origin = new URL(url).origin;
  log(`server at ${origin} (db ${db})`);
  return {
    url,
    origin,
    db,
    stderr: () => stderr,
    stop: () =>
      new Promise((res) => {
        if (child.exitCode !== null) return res();
        child.once('exit', () => res());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

export async function launchBrowser() {
  // playwright's launch() always starts chromium on a fresh temporary profile
  // (it refuses an explicit --user-data-dir), which is what we want.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return browser;
}

export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, colorScheme: 'light' });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => (problems.push(`page error: ${e.message}`), log(`page error at ${page.url()}: ${e.stack}`)));
  page.on('response', async (r) => {
    if (r.url().includes('/api/rpc/') && r.status() >= 400) problems.push(`API ${new URL(r.url()).pathname} answered ${r.status()}: ${(await r.text().catch(() => '')).trim()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  return { context, page, problems };
}

// Screenshots always go to e2e/artifacts; the README's copies in
// docs/screenshots are refreshed only on request (LINEAGEDESK_PUBLISH_SCREENSHOTS=1,
// `make screenshots`), so a test run never dirties the working tree.
export async function shot(page, name, { publish: wanted = false } = {}) {
  const publish = wanted && process.env.LINEAGEDESK_PUBLISH_SCREENSHOTS === '1';
  mkdirSync(artifactsDir, { recursive: true });
  const file = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file });
  if (publish) {
    mkdirSync(screenshotsDir, { recursive: true });
    copyFileSync(file, join(screenshotsDir, `${name}.png`));
  }
  log(`screenshot ${file}${publish ? ' (published to docs/screenshots)' : ''}`);
  return file;
}

export function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

/** Reads the metrics the app recorded (window.__ldMetrics). */
export async function appMetrics(page) {
  return page.evaluate(() => window.__ldMetrics ?? []);
}

// failureReport keeps what the page showed when a scenario failed: a
// screenshot in e2e/artifacts and, in the log, its address and text.
export async function failureReport(page, name) {
  try {
    await shot(page, `failure-${name}`);
    const text = await page.evaluate(() => document.body?.innerText ?? '');
    log(`failed at ${page.url()}; the page read:\n${text.slice(0, 3000)}`);
  } catch (err) {
    log(`no failure report: ${err}`);
  }
}

// The WCAG contrast ratio of each element's text against its own background,
// from computed styles (rgb() colours; elements with a transparent
// background are not measured and give NaN).
export async function contrastRatios(page, selector) {
  return page.$$eval(selector, (els) => {
    const luminance = (css) => {
      const [r, g, b] = css.match(/[\d.]+/g).slice(0, 3).map((v) => {
        const c = Number(v) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    return els.map((el) => {
      const style = getComputedStyle(el);
      if (style.backgroundColor === 'rgba(0, 0, 0, 0)') return NaN;
      const [hi, lo] = [luminance(style.color), luminance(style.backgroundColor)].sort((a, b) => b - a);
      return (hi + 0.05) / (lo + 0.05);
    });
  });
}
