import { open, shot, go, settle, text } from './qa-lib.tmp.mjs';
const { browser, context, page, problems } = await open({ width: 1920, height: 1080 });
const url = () => decodeURIComponent(page.url().split('#')[1]);
const waitPic = async (label) => { const t0 = Date.now(); await page.waitForTimeout(150); await page.waitForFunction(() => !document.querySelector('.lineage-page .overlay') && (document.querySelector('.canvas svg g.node') || document.querySelector('.overlay-error')), null, { timeout: 60000 }).catch(() => console.log('TIMEOUT', label)); await page.waitForTimeout(300); console.log(`${label}: ${Date.now() - t0} ms; url=${url()}; meta=${await page.evaluate(() => document.querySelector('.lineage-meta')?.innerText.replace(/\s+/g, ' ').slice(0, 110))}`); };
const clickNode = async (name) => { const ok = await page.evaluate((name) => { const g = [...document.querySelectorAll('.canvas svg g.node')].find((g) => g.querySelector('text')?.textContent.trim() === name); if (!g) return false; const r = g.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }, name); if (!ok) { console.log('no node', name); return false; } await page.mouse.click(ok[0], ok[1]); await page.waitForTimeout(400); return true; };
try {
  await go(page, '#/lineage?snap=1&select=*&tests=eager'); await waitPic('hub1 all with tests');
  await shot(page, 'wide-hub1-tests');
  await go(page, '#/lineage?snap=2&select=*&group=folder'); await waitPic('hub2 folder');
  await shot(page, 'wide-hub2-folder');
  await go(page, '#/lineage?snap=2&select=*&runtime=1'); await waitPic('hub2 runtime (no run results)');
  await shot(page, 'wide-hub2-runtime');
  await go(page, '#/lineage?snap=3&select=%2Bcustomers.v2'); await waitPic('b3 +customers.v2');
  await clickNode('customers v2');
  const lens = page.locator('.focus-panel button:has-text("⤳"), .focus-panel a:has-text("⤳"), .focus-panel [title*="utline"]');
  console.log('column lens buttons', await lens.count());
  if (await lens.count()) { await lens.nth(1).click(); await page.waitForTimeout(1200); console.log('col lens note:', (await page.evaluate(() => document.querySelector('.column-lens, [class*=lens-note], .lineage-page .note')?.innerText || 'none')).replace(/\s+/g, ' ').slice(0, 300)); }
  await shot(page, 'wide-collens');
  await page.click('.focus-panel a:has-text("what changed")').catch(() => console.log('no what changed link'));
  await page.waitForTimeout(1200); console.log('what changed ->', url());
} catch (e) { console.log('ERR', e.message); await shot(page, 'wide-error'); }
finally { console.log('PROBLEMS\n' + problems.join('\n')); await browser.close(); }
