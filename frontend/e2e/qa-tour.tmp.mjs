import { startServer, launchBrowser } from './lib.mjs';
const srv = await startServer({ db: '/tmp/qa/s.db' });
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: +(process.env.W||1400), height: +(process.env.H||900) } });
page.on('console', m => { if (m.type()==='error' || m.type()==='warning') console.log('console', m.type(), m.text()); });
page.on('pageerror', e => console.log('pageerror', e.message));
const stops = JSON.parse(process.env.STOPS);
for (const [name, hash, wait] of stops) {
  await page.goto(srv.url.replace(/#.*$/,'') + '#' + hash);
  await page.waitForTimeout(+(wait||2500));
  await page.screenshot({ path: `/tmp/qa/shots/${name}.png`, fullPage: process.env.FULL==='1' });
  console.log('shot', name);
}
await browser.close(); await srv.stop();
