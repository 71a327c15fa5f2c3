import { open, shot, go } from './qa-lib.tmp.mjs';
const { browser, page, problems } = await open();
const url = () => decodeURIComponent(page.url().split('#')[1]);
const depth = () => page.evaluate(() => `up=${document.querySelector('[data-testid=depth-up]')?.textContent} down=${document.querySelector('[data-testid=depth-down]')?.textContent} lessDown.disabled=${document.querySelector('button[aria-label="Less downstream"]')?.disabled} moreUp.disabled=${document.querySelector('button[aria-label="More upstream"]')?.disabled}`);
try {
  await go(page, '#/lineage?snap=3&select=2%2Bcustomers.v2%2B1'); await page.waitForTimeout(1500);
  console.log(url(), await depth());
  await page.click('button[aria-label="Less downstream"]'); await page.waitForTimeout(1500);
  console.log(url(), await depth());
  await shot(page, 'depth-v2');
  await page.click('.canvas', { position: { x: 5, y: 5 } }); await page.keyboard.press(']'); await page.waitForTimeout(1500);
  console.log('after ] :', url(), await depth());
  await go(page, '#/lineage?snap=3&select=model_1'); await page.waitForTimeout(1500);
  console.log(url(), await depth());
  await go(page, '#/node/model.dbt_bouncer_test_project.model_1?snap=3'); await page.waitForTimeout(1000);
  await page.keyboard.press('l'); await page.waitForTimeout(1500);
  console.log('l on model_1:', url(), await depth());
} catch (e) { console.log('ERR', e.message); }
finally { console.log('PROBLEMS\n' + problems.join('\n')); await browser.close(); }
