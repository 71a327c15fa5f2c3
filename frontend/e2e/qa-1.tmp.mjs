import { open, shot, go, settle, text } from './qa-lib.tmp.mjs';
const { browser, page, problems } = await open();
try {
  let t = await settle(page); console.log('home settle', t);
  await shot(page, 'home-latest', true);
  console.log((await text(page)).slice(0, 3000));
  // snapshot switcher
  console.log('---- hubspot snap 2');
  await go(page, '#/?snap=2'); t = await settle(page, 15000); console.log('hubspot home settle', t);
  await shot(page, 'home-hubspot2', true);
  console.log((await text(page)).slice(0, 6000));
} finally { console.log('PROBLEMS\n' + problems.join('\n')); await browser.close(); }
