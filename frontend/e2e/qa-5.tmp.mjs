import { open, shot, go, settle, text } from './qa-lib.tmp.mjs';
const { browser, page, problems } = await open();
const waitPic = async (label) => { const t0 = Date.now(); await page.waitForFunction(() => !document.querySelector('.lineage-page .overlay') && (document.querySelector('.canvas svg g.node') || document.querySelector('.overlay-error')), null, { timeout: 30000 }).catch(() => console.log('TIMEOUT', label)); await page.waitForTimeout(300); const ms = Date.now() - t0; console.log(`${label}: ${ms} ms; url=${decodeURIComponent(page.url().split('#')[1])}`); return ms; };
const meta = () => page.evaluate(() => document.querySelector('.lineage-meta')?.innerText.replace(/\s+/g, ' ').slice(0, 120));
try {
  await go(page, '#/lineage?snap=3&select=%2Borders%2B'); await waitPic('initial');
  // click a node
  const uid = 'model.dbt_bouncer_test_project.stg_orders';
  await page.click(`.canvas svg g.node[id*="stg_orders"], .canvas svg g.node:has-text("stg_orders")`).catch(e => console.log('click fail', e.message));
  await page.waitForTimeout(500);
  console.log('panel:', (await page.evaluate(() => document.querySelector('.focus-panel')?.innerText || 'NO PANEL')).replace(/\s+/g,' ').slice(0,400));
  await shot(page, 'i-panel-stg_orders');
  // arrows
  for (const k of ['ArrowRight', 'ArrowRight', 'ArrowLeft', 'ArrowDown', 'ArrowUp']) { await page.keyboard.press(k); await page.waitForTimeout(250); console.log(k, '->', await page.evaluate(() => document.querySelector('.focus-panel strong')?.textContent)); }
  // depth keys
  await page.keyboard.press('Escape'); await page.waitForTimeout(200);
  console.log('after Esc panel?', await page.isVisible('.focus-panel'));
  // find
  await page.keyboard.press('f'); await page.waitForTimeout(100);
  console.log('focus after f:', await page.evaluate(() => document.activeElement?.getAttribute('name')));
  await page.keyboard.type('pay'); await page.waitForTimeout(300);
  console.log('find count:', await page.textContent('[data-testid="find-count"]').catch(() => 'none'));
  await page.keyboard.press('Enter'); await page.waitForTimeout(300);
  console.log('find count after Enter:', await page.textContent('[data-testid="find-count"]').catch(() => 'none'), 'panel:', await page.evaluate(() => document.querySelector('.focus-panel strong')?.textContent));
  await shot(page, 'i-find-pay');
  await page.keyboard.type('zzzz'); await page.waitForTimeout(300);
  console.log('find none:', await page.textContent('[data-testid="find-count"]').catch(() => 'none'));
  await shot(page, 'i-find-none');
  await page.keyboard.press('Escape'); await page.waitForTimeout(200);
  await page.keyboard.press('Escape');
  // filter menu
  await page.click('.facet-menu summary'); await page.waitForTimeout(300);
  console.log('facet popup:', (await page.evaluate(() => document.querySelector('.facet-popup')?.innerText)).replace(/\s+/g, ' '));
  await shot(page, 'i-filter-open');
  await page.click('.facet-value:has-text("seed") input'); await waitPic('untick seed');
  console.log('exclude field:', await page.inputValue('input[name=exclude]'), await meta());
  await shot(page, 'i-filter-seed-off');
  await page.keyboard.press('Escape');
  // depth buttons
  await go(page, '#/lineage?snap=3&select=orders'); await waitPic('orders alone');
  await page.click('button[aria-label="More upstream"]'); await waitPic('more up');
  await page.click('button[aria-label="More upstream"]'); await waitPic('more up2');
  await page.click('button[aria-label="Less upstream"]'); await waitPic('less up');
  await page.locator('.canvas').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press(']'); await waitPic('] key');
  await page.keyboard.press('}'); await waitPic('} key');
  // Paths panel
  await go(page, '#/lineage?snap=3&select=%2Borders%2B'); await waitPic('back');
  await page.click('button:has-text("Paths…")'); await page.waitForTimeout(300);
  console.log('paths panel:', (await page.evaluate(() => document.querySelector('.paths-panel, [class*=path]')?.innerText || 'none')).replace(/\s+/g, ' ').slice(0, 300));
  await shot(page, 'i-paths-open');
} catch (e) { console.log('ERR', e.message); await shot(page, 'i-error'); }
finally { console.log('PROBLEMS\n' + problems.join('\n')); await browser.close(); }
