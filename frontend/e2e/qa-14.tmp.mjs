import { open, shot, go, settle, text } from './qa-lib.tmp.mjs';
const { browser, context, page, problems } = await open();
await context.grantPermissions(['clipboard-read', 'clipboard-write']);
const url = () => decodeURIComponent(page.url().split('#')[1]);
const active = () => page.evaluate(() => { const a = document.activeElement; return a ? `${a.tagName}.${a.className}#${a.id}[${a.getAttribute('name') || a.textContent?.trim().slice(0, 30)}]` : 'none'; });
try {
  await go(page, '#/node/model.dbt_bouncer_test_project.orders?snap=7'); await page.waitForTimeout(800);
  await page.keyboard.press('l'); await page.waitForTimeout(1200); console.log('l ->', url());
  await page.goBack(); await page.waitForTimeout(800); console.log('back ->', url());
  await page.keyboard.press('?'); await page.waitForTimeout(300); console.log('? dialog visible', await page.isVisible('.modal'), 'focus', await active());
  await shot(page, 'k-help');
  await page.keyboard.press('Escape'); await page.waitForTimeout(200); console.log('dialog after Esc', await page.isVisible('.modal'), 'focus', await active());
  await page.keyboard.press('g'); await page.keyboard.press('l'); await page.waitForTimeout(1000); console.log('g l ->', url());
  await page.keyboard.press('g'); await page.keyboard.press('h'); await page.waitForTimeout(1000); console.log('g h ->', url());
  // Copy selector on node page
  await go(page, '#/node/model.dbt_bouncer_test_project.customers.v2?snap=7'); await page.waitForTimeout(800);
  await page.click('button:has-text("Copy selector")'); await page.waitForTimeout(300);
  console.log('copied selector:', await page.evaluate(() => navigator.clipboard.readText()));
  await page.click('.node-page button:has-text("Copy")'); await page.waitForTimeout(300);
  console.log('copied relation:', await page.evaluate(() => navigator.clipboard.readText()));
  // Lineage button of versioned model
  await page.click('.node-page a:has-text("Lineage"), .node-page button:has-text("Lineage") >> nth=0'); await page.waitForTimeout(1500);
  console.log('Lineage of customers v2 ->', url(), await page.evaluate(() => document.querySelector('.lineage-meta')?.innerText.slice(0, 60).replace(/\s+/g, ' ')));
  await shot(page, 'k-lineage-v2');
  // Tab through lineage toolbar
  await page.click('input[name=select]');
  const seq = [];
  for (let i = 0; i < 30; i++) { await page.keyboard.press('Tab'); seq.push(await active()); }
  console.log('TAB order:\n ' + seq.join('\n '));
  // browse keyboard
  await go(page, '#/browse?snap=7&type=model'); await page.waitForTimeout(800);
  await page.keyboard.press('ArrowDown'); await page.keyboard.press('ArrowDown'); await page.keyboard.press('Enter'); await page.waitForTimeout(800);
  console.log('browse Enter ->', url());
  await page.goBack(); await page.waitForTimeout(800);
  console.log('back active row:', await page.evaluate(() => document.querySelector('.res-row.active')?.getAttribute('data-uid')));
  // Browse filters
  await page.fill('input[placeholder="any"]', 'finance'); await page.keyboard.press('Enter'); await page.waitForTimeout(800);
  console.log('tag finance:', url(), await page.evaluate(() => document.querySelector('.browse, main')?.innerText.match(/\d+ resources?/)?.[0]));
  await shot(page, 'k-browse-tag');
  await page.fill('input[placeholder="any"]', 'nosuchtag'); await page.keyboard.press('Enter'); await page.waitForTimeout(800);
  await shot(page, 'k-browse-tag-none');
  console.log('tag none text:', (await page.evaluate(() => document.querySelector('main')?.innerText.slice(0, 300))).replace(/\s+/g, ' '));
} catch (e) { console.log('ERR', e.message); await shot(page, 'k-error'); }
finally { console.log('PROBLEMS\n' + problems.join('\n')); await browser.close(); }
