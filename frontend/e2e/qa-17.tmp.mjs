import { open, shot, go, text } from './qa-lib.tmp.mjs';
const { browser, page, problems } = await open();
const url = () => decodeURIComponent(page.url().split('#')[1]);
try {
  await go(page, '#/?snap=5'); await page.waitForTimeout(1500);
  const link = page.locator('tr:has-text("seed.jaffle_shop.raw_customers") a:has-text("SQL diff")');
  console.log('href', await link.getAttribute('href'));
  await link.click(); await page.waitForTimeout(1500);
  console.log('->', url());
  const sql = await page.evaluate(() => [...document.querySelectorAll('.node-page .section, .node-page section')].find((s) => /^SQL/.test(s.innerText))?.innerText || 'NO SQL SECTION');
  console.log(sql.replace(/\s+/g, ' ').slice(0, 500));
  await page.locator('.node-page :text("Changes since")').first().scrollIntoViewIfNeeded().catch(() => {});
  await shot(page, 'seed-sqldiff');
  // run times section on #3
  await go(page, '#/?snap=3'); await page.waitForTimeout(1500);
  await page.locator('h2:has-text("Run times"), h3:has-text("Run times"), :text("Run times (1 run)")').first().scrollIntoViewIfNeeded();
  await shot(page, 'runtimes3');
  await page.locator(':text("Data health")').first().scrollIntoViewIfNeeded();
  await shot(page, 'health3');
} catch (e) { console.log('ERR', e.message); }
finally { console.log('PROBLEMS\n' + problems.join('\n')); await browser.close(); }
