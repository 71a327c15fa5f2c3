import { open, shot, go, settle, text } from './qa-lib.tmp.mjs';
const { browser, context, page, problems } = await open();
const waitPic = async (label) => { const t0 = Date.now(); await page.waitForTimeout(150); await page.waitForFunction(() => !document.querySelector('.lineage-page .overlay') && (document.querySelector('.canvas svg g.node') || document.querySelector('.overlay-error')), null, { timeout: 30000 }).catch(() => console.log('TIMEOUT', label)); await page.waitForTimeout(300); console.log(`${label}: ${Date.now() - t0} ms; url=${decodeURIComponent(page.url().split('#')[1])}; meta=${await page.evaluate(() => document.querySelector('.lineage-meta')?.innerText.replace(/\s+/g, ' ').slice(0, 90))}`); };
const panel = async () => (await page.evaluate(() => document.querySelector('.focus-panel')?.innerText || 'NO PANEL')).replace(/\s+/g, ' ');
const clickNode = async (name) => { const ok = await page.evaluate((name) => { const g = [...document.querySelectorAll('.canvas svg g.node')].find((g) => g.querySelector('text')?.textContent.trim() === name); if (!g) return false; const r = g.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }, name); if (!ok) { console.log('no node', name); return false; } await page.mouse.click(ok[0], ok[1]); await page.waitForTimeout(400); return true; };
try {
  await go(page, '#/lineage?snap=5&select=customers'); await waitPic('jaffle customers');
  await clickNode('customers');
  console.log('panel:', (await panel()).slice(0, 600));
  await shot(page, 'p-customers-panel');
  // expand upstream/downstream
  await page.click('.focus-panel button[aria-label^="Expand upstream"], .focus-panel button:has-text("upstream") >> nth=0'); await waitPic('expand up');
  await clickNode('customers');
  await page.click('.focus-panel button:has-text("downstream") >> nth=0'); await waitPic('expand down');
  await clickNode('customers');
  await page.click('.focus-panel button:has-text("upstream") >> nth=1'); await waitPic('collapse up');
  await shot(page, 'p-collapse-up');
  await clickNode('customers');
  console.log('panel after collapse:', (await panel()).slice(0, 200));
  // column lens: panel columns
  const cols = await page.$$eval('.focus-panel [data-column], .focus-panel .panel-columns li, .focus-panel button[title*="olumn"]', (e) => e.map((x) => x.textContent.trim()).slice(0, 20));
  console.log('panel columns elems:', cols);
  await shot(page, 'p-panel2');
  // double click opens page
  await go(page, '#/lineage?snap=5&select=%2Bcustomers'); await waitPic('+customers');
  const pos = await page.evaluate(() => { const g = [...document.querySelectorAll('.canvas svg g.node')].find((g) => g.querySelector('text')?.textContent.trim() === 'stg_orders'); const r = g.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; });
  await page.mouse.dblclick(pos[0], pos[1]); await page.waitForTimeout(800);
  console.log('after dblclick url:', decodeURIComponent(page.url().split('#')[1]));
  await page.goBack(); await waitPic('back from node');
  // group layer and click a box
  await go(page, '#/lineage?snap=5&select=*&group=layer'); await waitPic('layers');
  await shot(page, 'p-layers');
  const boxes = await page.$$eval('.canvas svg g.node', (gs) => gs.map((g) => g.querySelector('text')?.textContent.trim()));
  console.log('boxes:', boxes);
  await clickNode(boxes.find((b) => /staging/i.test(b)) || boxes[0]);
  console.log('group panel:', (await page.evaluate(() => document.querySelector('.focus-panel')?.innerText || 'NONE')).replace(/\s+/g, ' '));
  await page.click('.focus-panel button:has-text("Open here"), .focus-panel button >> nth=0').catch((e) => console.log('no open-here', e.message));
  await waitPic('opened box');
  await shot(page, 'p-layer-open');
  // collapse selection
  await page.selectOption('select[name=group]', 'select'); await page.waitForTimeout(200);
  await page.fill('input[name=collapse]', '+stg_orders'); await page.press('input[name=collapse]', 'Enter'); await waitPic('collapse +stg_orders');
  await shot(page, 'p-collapse-sel');
  await page.fill('input[name=collapse]', 'nonexisting_thing'); await page.press('input[name=collapse]', 'Enter'); await waitPic('collapse bad');
  await shot(page, 'p-collapse-bad');
} catch (e) { console.log('ERR', e.message); await shot(page, 'p-error'); }
finally { console.log('PROBLEMS\n' + problems.join('\n')); await browser.close(); }
