import { writeFileSync } from 'node:fs';
import { open, shot, go, settle, text } from './qa-lib.tmp.mjs';
const { browser, page, problems } = await open();
try {
  for (const s of [2, 3, 8, 12, 6]) {
    await go(page, `#/?snap=${s}`); const t0 = Date.now(); await settle(page, 20000); await page.waitForTimeout(1500); console.log('snap', s, 'settled', Date.now() - t0);
    writeFileSync(`/tmp/qa2/home-${s}.txt`, await text(page));
    // scroll main container screenshots
    const heights = await page.evaluate(() => { const m = document.querySelector('main, .main, .page'); return m ? [m.className, m.scrollHeight, m.clientHeight] : null; });
    console.log(heights);
  }
} finally { console.log('PROBLEMS\n' + problems.join('\n')); await browser.close(); }
