// The demo project end to end: overview, search, node page, lineage,
// selector change, SVG export; plus load-to-picture and search latency.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appMetrics, artifactsDir, assert, contrastRatios, failureReport, launchBrowser, log, metric, newPage, shot, startServer } from './lib.mjs';

export default async function run() {
  const server = await startServer();
  const browser = await launchBrowser();
  let page;
  try {
    const session = await newPage(browser);
    page = session.page;
    const { context, problems } = session;

    // 1. The app opens on the demo project (or offers it on an empty store).
    await page.goto(server.url);
    const opened = await Promise.race([
      page.waitForSelector('.stat-grid', { timeout: 20_000 }).then(() => 'overview'),
      page.waitForSelector('text=Open the demo project', { timeout: 20_000 }).then(() => 'empty'),
    ]);
    if (opened === 'empty') {
      log('store is empty: opening the demo project');
      await page.click('button:has-text("Open the demo project")');
      await page.waitForSelector('.stat-grid', { timeout: 30_000 });
    }
    assert(!page.url().includes('token='), 'the session token is removed from the address bar');
    // No cookie carries it: 127.0.0.1's cookies go to every local port.
    const cookies = await context.cookies();
    assert(cookies.length === 0, `the session leaves no cookie (${cookies.map((c) => c.name)})`);
    await page.waitForSelector('h1:has-text("jaffle_shop")');
    await page.waitForSelector('.sidebar .side-item:has-text("jaffle_shop")');
    await shot(page, 'overview', { publish: true });
    // The project browser lists the demo's models.
    await page.click('.sidebar .side-item:has-text("Models")');
    await page.waitForSelector('.res-row[data-uid="model.jaffle_shop.customers"]');
    assert(await page.isVisible('.res-row[data-uid="model.jaffle_shop.orders"]'), 'orders is listed among the models');
    await page.click('.nav-tab:has-text("Project")');
    await page.waitForSelector('.stat-grid');

    // 2. Search while typing: every keystroke is a query; latency per keystroke.
    await page.keyboard.press('/');
    assert(await page.evaluate(() => document.activeElement?.id === 'global-search'), '/ focuses the search box');
    const before = (await appMetrics(page)).filter((m) => m.metric === 'search_latency').length;
    for (const ch of 'customers') {
      await page.keyboard.type(ch);
      await page.waitForTimeout(150);
    }
    await page.waitForSelector('.hit[data-uid="model.jaffle_shop.customers"]', { timeout: 10_000 });
    await page.waitForFunction((n) => (window.__ldMetrics ?? []).filter((m) => m.metric === 'search_latency').length > n, before);
    const searchTimes = (await appMetrics(page)).filter((m) => m.metric === 'search_latency').slice(before);
    for (const m of searchTimes) metric('search_keystroke', m.ms, { query: m.query, hits: m.hits });
    const sorted = searchTimes.map((m) => m.ms).sort((a, b) => a - b);
    metric('search_keystroke_p50', sorted[Math.floor(sorted.length / 2)], { samples: sorted.length });
    metric('search_keystroke_max', sorted[sorted.length - 1], { samples: sorted.length });
    await shot(page, 'search', { publish: true });
    // A match in a hit reads against its highlight (WCAG AA for small text).
    const markContrast = await contrastRatios(page, '.hit mark');
    assert(markContrast.length > 0, 'the hits highlight what matched');
    assert(markContrast.every((r) => r >= 4.5), `highlighted matches read at 4.5:1 or better, got ${markContrast.map((r) => r.toFixed(1))}`);

    // 3. Open the hit with the keyboard.
    const hits = await page.$$eval('.hit', (els) => els.map((e) => e.getAttribute('data-uid')));
    const idx = hits.indexOf('model.jaffle_shop.customers');
    for (let i = 0; i < idx; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.node-page[data-uid="model.jaffle_shop.customers"]');
    await page.waitForSelector('.table.columns tbody tr');
    const colCount = await page.$$eval('.table.columns tbody tr', (r) => r.length);
    assert(colCount > 0, 'customers has columns');
    assert(await page.isVisible('.relation code'), 'relation name shown');
    assert(await page.isVisible('.neighbours a[data-uid]'), 'upstream/downstream links shown');
    // The page sums up all the node reaches, the sources by name as links.
    await page.waitForSelector('.node-page [data-testid="impact"] .impact-named a');
    const nodeImpact = await page.textContent('.node-page [data-testid="impact"]');
    assert(/Downstream \d+ nodes?/.test(nodeImpact) && /Upstream \d+ nodes: .*sources?/.test(nodeImpact), `the node page sums up its impact (${nodeImpact})`);
    await shot(page, 'node', { publish: true });
    // Its impact analysis lists every node upstream with how far it is,
    // and saves the whole list as CSV.
    await page.click('[data-testid="impact-list-open"]');
    await page.waitForSelector('[data-testid="impact-list"] tbody tr, .node-page .section:has(select[aria-label="Direction"]) p.muted');
    await page.selectOption('select[aria-label="Direction"]', 'upstream');
    await page.waitForSelector('[data-testid="impact-list"] tbody tr[data-uid^="source."]');
    const upstreamRows = await page.$$eval('[data-testid="impact-list"] tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-uid'), tr.querySelector('td')?.textContent]));
    assert(upstreamRows.some(([id, hops]) => id === 'model.jaffle_shop.stg_customers' && hops === '1') &&
      upstreamRows.some(([id, hops]) => id === 'source.jaffle_shop.ecom.raw_customers' && hops === '2') &&
      upstreamRows.every(([, hops], i) => i === 0 || Number(hops) >= Number(upstreamRows[i - 1][1])), `the impact list reads upstream nearest first (${JSON.stringify(upstreamRows)})`);
    await page.locator('[data-testid="impact-list"]').scrollIntoViewIfNeeded();
    await shot(page, 'node-impact-list', { publish: true });
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.click('.node-page button:text("Download CSV")')]);
    const impactCSV = readFileSync(await csvDownload.path(), 'utf8');
    assert(/-upstream\.csv$/.test(csvDownload.suggestedFilename()) && impactCSV.startsWith('distance,unique_id,') && impactCSV.split('\n').filter(Boolean).length === upstreamRows.length + 1,
      `the impact CSV holds the list (${csvDownload.suggestedFilename()}: ${impactCSV.slice(0, 200)})`);
    // A hit clicked with the mouse opens its page, the panel closed.
    await page.fill('.search input', 'orders');
    await page.click('.hit[data-uid="model.jaffle_shop.orders"]');
    await page.mouse.move(1, 400); // off the panel, whose next rows would take the hover
    await page.waitForSelector('.node-page[data-uid="model.jaffle_shop.orders"]');
    assert(!(await page.isVisible('.search-panel')), 'the search panel closes when a hit opens');
    // Back while the panel is open: the panel does not stay over the page before.
    await page.fill('.search input', 'orders');
    await page.waitForSelector('.search-panel .hit');
    await page.goBack();
    await page.waitForSelector('.node-page[data-uid="model.jaffle_shop.customers"]');
    assert(!(await page.isVisible('.search-panel')), 'the search panel closes on Back');
    await page.fill('.search input', '');
    await page.keyboard.press('Escape');

    // 3b. A long answer: the panel renders a batch of rows, more as the
    // list scrolls or the arrow keys near its end, and keeps the active row
    // in view.
    await page.keyboard.press('/');
    await page.keyboard.type('order');
    // 51 matches (a semantic model's entity among them), the first 50 loaded.
    await page.waitForSelector('.search-panel .muted.small:has-text("51 matches")');
    const rendered = () => page.$$eval('.hits .hit', (els) => els.length);
    const firstBatch = await rendered();
    assert(firstBatch >= 9 && firstBatch < 50, `a batch of the 50 hits is rendered (${firstBatch})`);
    for (let i = 0; i < firstBatch + 2; i++) await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => {
      const list = document.querySelector('.hits')?.getBoundingClientRect();
      const row = document.querySelector('.hit.active')?.getBoundingClientRect();
      return list && row && row.top >= list.top - 1 && row.bottom <= list.bottom + 1;
    });
    assert(await page.getAttribute('.hit.active', 'id') === `hit-${firstBatch + 2}`, 'the arrow keys moved past the first batch');
    assert((await rendered()) > firstBatch + 2, 'rows past the active one are rendered');
    for (let i = 0; i < 10 && (await rendered()) < 50; i++) {
      await page.$eval('.hits', (ul) => ul.scrollTo(0, ul.scrollHeight));
      await page.waitForTimeout(50);
    }
    assert((await rendered()) === 50, 'scrolling to the end renders every hit loaded');
    await page.keyboard.press('Escape');

    // 3c. Column lineage: what customers' columns are made from (its
    // compiled SQL read), lifetime_spend traced upstream through every
    // model to the source, the picture saved as SVG, a node of it opened.
    await page.waitForSelector('.node-page[data-uid="model.jaffle_shop.customers"] tr[data-column="lifetime_spend"] .made-from', { timeout: 30_000 });
    const madeFrom = (await page.textContent('tr[data-column="lifetime_spend"] .made-from-cell')).trim();
    const computedTip = await page.getAttribute('tr[data-column="lifetime_spend"] .made-from-cell .kind-transformed', 'title');
    assert(madeFrom === 'orders.order_total computed' && computedTip.includes('sum(orders.order_total)'), `lifetime_spend is computed from orders.order_total (${madeFrom}; ${computedTip})`);
    const joinedOn = await page.textContent('[data-testid="column-reads"]');
    assert(joinedOn.includes('orders.customer_id'), `customers says what it joins on (${joinedOn})`);
    await page.click('tr[data-column="lifetime_spend"] a.col-trace');
    await page.waitForSelector('#column-lineage [data-testid="column-picture"] svg g.node[data-uid]', { timeout: 30_000 });
    await page.click('#column-lineage [aria-label="Direction"] button:text("Upstream")');
    await page.waitForSelector('#column-lineage [aria-label="Direction"] button[aria-pressed="true"]:text("Upstream")');
    await page.waitForSelector('#column-lineage [data-testid="column-picture"] svg g.node[data-uid]', { timeout: 30_000 });
    const columnHash = await page.evaluate(() => location.hash);
    assert(columnHash.includes('column=lifetime_spend') && columnHash.includes('direction=upstream'), `the address says which column is traced which way (${columnHash})`);
    const tracedNodes = await page.$$eval('#column-lineage [data-testid="column-picture"] svg g.node', (gs) => gs.map((g) => g.getAttribute('data-uid')).sort());
    assert(JSON.stringify(tracedNodes) === JSON.stringify(['model.jaffle_shop.customers', 'model.jaffle_shop.orders', 'model.jaffle_shop.stg_orders', 'source.jaffle_shop.ecom.raw_orders']),
      `lifetime_spend comes from orders, stg_orders and the raw_orders source (${tracedNodes})`);
    const columnLinks = await page.$$eval('[data-testid="column-links"] tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim()).filter(Boolean).join(' ')));
    assert(columnLinks.includes('stg_orders.order_total → orders.order_total passed through') && columnLinks[0].startsWith('orders.order_total → customers.lifetime_spend computed'),
      `the links read nearest first (${JSON.stringify(columnLinks)})`);
    await page.$eval('.main', (main) => main.scrollTo(0, 0)); // the node's name above its column lineage
    await shot(page, 'node-column-lineage', { publish: true });
    const [traceDownload] = await Promise.all([page.waitForEvent('download'), page.click('#column-lineage button[data-export="svg"]')]);
    const traceSVG = readFileSync(await traceDownload.path(), 'utf8');
    assert(traceSVG.startsWith('<?xml') && traceSVG.includes('<svg') && /\.svg$/.test(traceDownload.suggestedFilename()), `the column lineage downloads as SVG (${traceDownload.suggestedFilename()}: ${traceSVG.slice(0, 80)})`);
    const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.click('#column-lineage button[data-export="png"]')]);
    const tracePNG = readFileSync(await pngDownload.path());
    assert(tracePNG.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) && /\.png$/.test(pngDownload.suggestedFilename()),
      `the column lineage downloads as a PNG image (${pngDownload.suggestedFilename()}, ${tracePNG.length} bytes)`);
    // A node clicked opens its page, its column traced the same way.
    await page.click('#column-lineage [data-testid="column-picture"] svg g.node[data-uid="model.jaffle_shop.stg_orders"]');
    await page.waitForSelector('.node-page[data-uid="model.jaffle_shop.stg_orders"] #column-lineage h2:text("Column lineage of order_total")', { timeout: 30_000 });
    const stgHash = await page.evaluate(() => location.hash);
    assert(stgHash.startsWith('#/node/model.jaffle_shop.stg_orders?') && stgHash.includes('column=order_total') && stgHash.includes('direction=upstream'), `the picture's node opens stg_orders tracing order_total (${stgHash})`);
    // One level up: customers and orders, where the links go on.
    await page.goto(`${server.origin}/#/node/model.jaffle_shop.customers?column=lifetime_spend&direction=upstream&depth=1`);
    await page.waitForSelector('[data-testid="column-trace-goes-on"]', { timeout: 30_000 });
    // The picture goes in once its nodes' ids are computed, after the note.
    await page.waitForSelector('#column-lineage [data-testid="column-picture"] svg g.node[data-uid="model.jaffle_shop.orders"]', { timeout: 30_000 });
    const nearNodes = await page.$$eval('#column-lineage [data-testid="column-picture"] svg g.node', (gs) => gs.map((g) => g.getAttribute('data-uid')).sort());
    const goesOn = await page.textContent('[data-testid="column-trace-goes-on"]');
    assert(JSON.stringify(nearNodes) === JSON.stringify(['model.jaffle_shop.customers', 'model.jaffle_shop.orders']) && goesOn.includes('go on past orders (upstream)') &&
      (await page.textContent('#column-lineage [data-testid="column-picture"] svg')).includes('goes on upstream'),
      `a trace one level up stops at orders and says so (${nearNodes}; ${goesOn})`);
    // A saved query's columns: its group-by, the customers semantic
    // model's primary entity, then its metrics; traced up to the source.
    await page.goto(`${server.origin}/#/node/saved_query.jaffle_shop.customer_order_metrics?column=customer&direction=upstream`);
    await page.waitForSelector('.node-page[data-uid="saved_query.jaffle_shop.customer_order_metrics"] tr[data-column="customer"] .made-from', { timeout: 30_000 });
    const entityFrom = (await page.textContent('tr[data-column="customer"] .made-from-cell')).trim();
    const savedColumns = await page.$$eval('.node-page table.columns tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-column')));
    assert(entityFrom === 'customers.customer passthrough' && JSON.stringify(savedColumns) === JSON.stringify(['customer', 'count_lifetime_orders', 'lifetime_spend_pretax', 'average_order_value']),
      `the saved query's columns are its group-by and metrics (${entityFrom}; ${savedColumns})`);
    await page.waitForSelector('#column-lineage [data-testid="column-picture"] svg g.node[data-uid="source.jaffle_shop.ecom.raw_customers"]', { timeout: 30_000 });
    const entityNodes = await page.$$eval('#column-lineage [data-testid="column-picture"] svg g.node', (gs) => gs.map((g) => g.getAttribute('data-uid')).sort());
    assert(JSON.stringify(entityNodes) === JSON.stringify(['model.jaffle_shop.customers', 'model.jaffle_shop.stg_customers', 'saved_query.jaffle_shop.customer_order_metrics', 'semantic_model.jaffle_shop.customers', 'source.jaffle_shop.ecom.raw_customers']),
      `the saved query's customer comes from the semantic model, the models and the raw_customers source (${entityNodes})`);
    // A column found by its description opens its lineage.
    await page.fill('.search input', 'total amount');
    await page.waitForSelector('.search-panel .hit[data-uid="model.jaffle_shop.orders"] .chip:text("column order_total")', { timeout: 30_000 });
    await page.click('.search-panel .hit[data-uid="model.jaffle_shop.orders"]');
    await page.waitForSelector('.node-page[data-uid="model.jaffle_shop.orders"] #column-lineage h2:text("Column lineage of order_total")', { timeout: 30_000 });
    const foundHash = await page.evaluate(() => location.hash);
    assert(foundHash.includes('column=order_total') && foundHash.includes('direction=both'), `the hit opens order_total's lineage both ways (${foundHash})`);
    await page.fill('.search input', '');
    await page.goto(`${server.origin}/#/node/model.jaffle_shop.customers`);
    await page.waitForSelector('.node-page[data-uid="model.jaffle_shop.customers"]');

    // 4. Lineage of the node (2 hops each way).
    await page.click('a.btn:has-text("Lineage")');
    await page.waitForSelector('[data-testid="lineage-canvas"] svg [data-uid="model.jaffle_shop.customers"]', { timeout: 30_000 });
    const sel = await page.inputValue('input[name=select]');
    // The demo's semantic model and metric are named customers too: the
    // name would pick all three, the unique_id picks the model alone.
    assert(sel === '2+model.jaffle_shop.customers+2', `lineage opens at 2 hops of the model alone (${sel})`);
    const cores = await page.$$eval('[data-testid="lineage-canvas"] svg .ld-core', (els) => els.map((e) => e.getAttribute('data-uid')));
    assert(cores.length === 1 && cores[0] === 'model.jaffle_shop.customers', `one focus node (${cores})`);
    const firstNodes = await page.$$eval('[data-testid="lineage-canvas"] svg [data-uid]', (els) => els.map((e) => e.getAttribute('data-uid')));
    assert(firstNodes.includes('model.jaffle_shop.orders') || firstNodes.includes('model.jaffle_shop.stg_customers'), 'neighbours of customers are drawn');
    // Click focuses a node; the side panel shows it.
    await page.click('[data-testid="lineage-canvas"] svg [data-uid="model.jaffle_shop.customers"]');
    await page.waitForSelector('.focus-panel');
    // Keyboard: left moves to a parent of the selected node.
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => {
      const uid = document.querySelector('.ld-focused')?.getAttribute('data-uid');
      return uid && uid !== 'model.jaffle_shop.customers';
    });
    const parent = await page.$eval('.ld-focused', (e) => e.getAttribute('data-uid'));
    assert(['model.jaffle_shop.orders', 'model.jaffle_shop.stg_customers'].includes(parent), `ArrowLeft selects a parent (${parent})`);
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('.ld-focused[data-uid="model.jaffle_shop.customers"]');
    await page.waitForSelector('.focus-panel [data-testid="impact"]'); // asked once the pick settles
    // Its data health too, whatever the lens: the demo is a docs generate,
    // whose "success" builds nothing, and the panel says whose it is.
    await page.waitForSelector('.focus-panel [data-testid="health"]');
    const demoHealth = await page.textContent('.focus-panel [data-testid="health"]');
    const demoRun = await page.textContent('.focus-panel div.small:has-text("last run")');
    assert(demoHealth === 'health: unknown none of the runs held built, tested or checked it' && demoRun === 'last run: success (dbt docs generate: compiled, not built)',
      `the panel gives the node's health with the tests lens (${demoHealth}) and says its last run was a docs generate (${demoRun})`);
    // Its columns, under the actions, once the pick settles: each a way to
    // its trace, with what it is made from.
    await page.waitForSelector('.focus-panel [data-testid="panel-columns"] li[data-column="lifetime_spend"]', { timeout: 30_000 });
    const spendHint = (await page.textContent('.focus-panel li[data-column="lifetime_spend"] .panel-column-hint')).trim();
    assert(spendHint.includes('order_total'), `the panel says what lifetime_spend is made from (${spendHint})`);
    // With its description, impact and columns, every action of the panel is
    // at hand in a 1280x800 window without scrolling it; the columns may
    // run on below them.
    const panelFit = await page.evaluate(() => {
      const panel = document.querySelector('.focus-panel');
      const box = panel.getBoundingClientRect();
      const actions = panel.querySelector('.panel-actions').getBoundingClientRect();
      const spill = [...panel.querySelectorAll('.panel-actions .btn')].filter((b) => b.getBoundingClientRect().right > box.right - 8 || b.scrollWidth > b.clientWidth).map((b) => b.textContent);
      return { actionsBottom: actions.bottom, shownBottom: box.top + panel.clientTop + panel.clientHeight, scrolled: panel.scrollTop, window: innerHeight, spill };
    });
    assert(panelFit.window === 800 && panelFit.scrolled === 0 && panelFit.actionsBottom <= panelFit.shownBottom && panelFit.spill.length === 0,
      `the node panel's actions show whole at 800 pixels without scrolling it, its buttons inside it (${JSON.stringify(panelFit)})`);
    await shot(page, 'lineage', { publish: true });
    // A column's lineage outlined on the picture: the nodes it flows through,
    // the others dimmed, and a note saying how many are drawn.
    await page.click('.focus-panel li[data-column="lifetime_spend"] button.panel-column-show');
    await page.waitForSelector('[data-testid="column-lens"]:has-text("runs through")', { timeout: 30_000 });
    // The outline follows the note, once the picture's classes are set.
    await page.waitForSelector('[data-testid="lineage-canvas"] svg .ld-path', { timeout: 30_000 });
    const lens = await page.evaluate(() => ({
      note: document.querySelector('[data-testid="column-lens"]').textContent,
      on: [...document.querySelectorAll('[data-testid="lineage-canvas"] svg .ld-path')].map((g) => g.getAttribute('data-uid')).sort(),
      dim: [...document.querySelectorAll('[data-testid="lineage-canvas"] svg .ld-dim')].map((g) => g.getAttribute('data-uid')),
    }));
    assert(lens.on.includes('model.jaffle_shop.customers') && lens.on.includes('model.jaffle_shop.orders') && lens.dim.length > 0 &&
      !lens.dim.includes('model.jaffle_shop.orders') && lens.note.includes(`${lens.on.length} in the picture`),
      `lifetime_spend's lineage is outlined on the picture (${JSON.stringify(lens)})`);
    await shot(page, 'lineage-column-lens', { publish: true });
    await page.click('[data-testid="column-lens"] button[aria-label^="Stop outlining"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="lineage-canvas"] svg .ld-dim'));
    // A column of the panel opens the node's page with the column traced both ways.
    await page.click('.focus-panel [data-testid="panel-columns"] li[data-column="lifetime_spend"] a');
    await page.waitForSelector('.node-page[data-uid="model.jaffle_shop.customers"] #column-lineage h2:text("Column lineage of lifetime_spend")', { timeout: 30_000 });
    await page.waitForSelector('#column-lineage [data-testid="column-picture"] svg g.node[data-uid]', { timeout: 30_000 });
    const panelColumnHash = await page.evaluate(() => location.hash);
    assert(panelColumnHash.startsWith('#/node/model.jaffle_shop.customers?') && panelColumnHash.includes('column=lifetime_spend') && panelColumnHash.includes('direction=both'),
      `the panel's column opens customers tracing lifetime_spend both ways (${panelColumnHash})`);
    assert(await page.isVisible('#column-lineage'), 'the column lineage section shows');
    await page.goBack();
    await page.waitForSelector('[data-testid="lineage-canvas"] svg .ld-focused[data-uid="model.jaffle_shop.customers"]', { timeout: 30_000 });
    await page.waitForSelector('.focus-panel');
    // The rightmost node, picked, is pulled clear of the panel that describes
    // it; the picture ends above the help line; the check boxes sit on the
    // line of the controls beside them.
    const rightmost = await page.$$eval('[data-testid="lineage-canvas"] svg [data-uid]', (els) =>
      els.map((e) => [e.getAttribute('data-uid'), e.getBoundingClientRect().right]).sort((a, b) => b[1] - a[1])[0][0]);
    await page.keyboard.press('Escape');
    await page.waitForSelector('.focus-panel', { state: 'detached' });
    // A tall window fits the picture by its width: the rightmost node ends
    // at the canvas's right edge, where the panel opens.
    await page.setViewportSize({ width: 1280, height: 1400 });
    await page.keyboard.press('0');
    await page.click(`[data-testid="lineage-canvas"] svg [data-uid="${rightmost}"]`);
    await page.waitForFunction((uid) => {
      const node = document.querySelector(`.ld-focused[data-uid="${CSS.escape(uid)}"]`)?.getBoundingClientRect();
      const panel = document.querySelector('.focus-panel')?.getBoundingClientRect();
      const canvas = document.querySelector('[data-testid="lineage-canvas"]').getBoundingClientRect();
      return node && panel && node.right <= panel.left && node.left >= canvas.left && node.top >= canvas.top && node.bottom <= canvas.bottom;
    }, rightmost, { timeout: 5_000 });
    const [canvasBottom, helpTop] = await page.evaluate(() => [document.querySelector('[data-testid="lineage-canvas"]').getBoundingClientRect().bottom, document.querySelector('.canvas-help').getBoundingClientRect().top]);
    assert(canvasBottom <= helpTop, `the picture (bottom ${canvasBottom}) ends above the help line (top ${helpTop})`);
    const middles = await page.evaluate(() => [...document.querySelectorAll('.tests-control input[type=checkbox], input[name=runtime], select[name=group]')].map((e) => { const r = e.getBoundingClientRect(); return Math.round(r.top + r.height / 2); }));
    assert(middles.length >= 3 && Math.max(...middles) - Math.min(...middles) <= 2, `check boxes and the Group menu share a line (${middles})`);
    await page.setViewportSize({ width: 1280, height: 800 });

    // 5. Change the selector: only what feeds orders.
    await page.fill('input[name=select]', '+orders');
    await page.press('input[name=select]', 'Enter');
    await page.waitForFunction(() => {
      const ids = [...document.querySelectorAll('[data-testid="lineage-canvas"] svg [data-uid]')].map((e) => e.getAttribute('data-uid'));
      return ids.includes('model.jaffle_shop.orders') && !ids.includes('model.jaffle_shop.customers');
    }, null, { timeout: 30_000 });
    const shown = await page.$$eval('[data-testid="lineage-canvas"] svg [data-uid]', (els) => els.map((e) => ({ uid: e.getAttribute('data-uid'), id: e.getAttribute('id') })));
    const counts = await page.textContent('[data-testid="lineage-counts"]');
    assert(counts && counts.includes(`${shown.length} nodes`), `counts match the picture (${counts}, ${shown.length} drawn)`);

    // 6. Export SVG of exactly what is shown.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[data-export="svg"]')]);
    const file = join(artifactsDir, download.suggestedFilename() || 'lineage.svg');
    await download.saveAs(file);
    const svgText = readFileSync(file, 'utf8');
    assert(/<svg[\s>]/.test(svgText), 'the export is an SVG document');
    for (const n of shown) {
      assert(svgText.includes(n.uid) || (n.id && svgText.includes(`id="${n.id}"`)), `the exported SVG contains node ${n.uid}`);
    }
    log(`exported ${file}: ${svgText.length} bytes, ${shown.length} nodes`);

    // PNG at the chosen scale: twice the scale, twice the width.
    const pngWidth = async (scale) => {
      await page.selectOption('select[name=png-scale]', String(scale));
      const [png] = await Promise.all([page.waitForEvent('download'), page.click('button[data-export="png"]')]);
      const bytes = readFileSync(await png.path());
      assert(bytes.subarray(1, 4).toString() === 'PNG', 'the PNG export is a PNG');
      return bytes.readUInt32BE(16); // IHDR width
    };
    const [w1, w2] = [await pngWidth(1), await pngWidth(2)];
    assert(Math.abs(w2 - 2 * w1) <= 2, `PNG at 2x is twice as wide as at 1x (${w1}, ${w2})`);

    // PDF: one vector page, named after the project and selector.
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.click('button[data-export="pdf"]')]);
    const pdfBytes = readFileSync(await pdf.path());
    assert(pdfBytes.subarray(0, 5).toString() === '%PDF-' && pdfBytes.includes('/Type /Page '), `the PDF export is a PDF (${pdf.suggestedFilename()})`);
    assert(pdf.suggestedFilename().endsWith('.pdf'), `the PDF is named .pdf (${pdf.suggestedFilename()})`);

    // CSV: the edge list for a spreadsheet, every drawn node in it.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('button[data-export="csv"]')]);
    const csvText = readFileSync(await csv.path(), 'utf8');
    assert(csvText.startsWith('from_unique_id,from_name,') && csv.suggestedFilename().endsWith('.csv'), `the CSV export is an edge list (${csv.suggestedFilename()}): ${csvText.slice(0, 80)}`);
    for (const n of shown) assert(csvText.includes(n.uid), `the CSV names node ${n.uid}`);
    // CSV nodes: the resources, one row each, for a list to sort and share.
    const [nodesCsv] = await Promise.all([page.waitForEvent('download'), page.click('button[data-export="csv-nodes"]')]);
    const nodesText = readFileSync(await nodesCsv.path(), 'utf8');
    // Records, not lines: a description's line breaks stay in its quoted cell.
    let records = 1;
    let quoted = false;
    for (const ch of nodesText.trim()) {
      if (ch === '"') quoted = !quoted;
      else if (ch === '\n' && !quoted) records++;
    }
    assert(nodesText.startsWith('unique_id,name,resource_type,') && nodesCsv.suggestedFilename().endsWith('-nodes.csv') && records === shown.length + 1,
      `the CSV nodes export lists the ${shown.length} nodes drawn (${nodesCsv.suggestedFilename()}, ${records - 1} records): ${nodesText.slice(0, 80)}`);

    // Saved views: the picture saved by name, drawn again from the menu
    // after another selector, shared as a file, deleted, read back.
    const savedSelect = await page.inputValue('input[name=select]');
    await page.click('.views-menu > summary');
    await page.fill('input[name=view-name]', 'Orders, no customers');
    await page.click('.views-popup button[type=submit]');
    await page.waitForSelector('.view-msg:has-text("Saved view")');
    await page.waitForSelector('.views-list button[data-view="Orders, no customers"]');
    await page.click('.views-menu > summary'); // shut
    await page.fill('input[name=select]', 'stg_supplies');
    await page.press('input[name=select]', 'Enter');
    await page.waitForFunction(() => !document.querySelector('[data-testid="lineage-canvas"] svg [data-uid="model.jaffle_shop.orders"]') && document.querySelector('[data-testid="lineage-canvas"] svg [data-uid]'), null, { timeout: 30_000 });
    await page.click('.views-menu > summary');
    await page.click('.views-list button[data-view="Orders, no customers"]');
    await page.waitForFunction((sel) => document.querySelector('input[name=select]').value === sel && !!document.querySelector('[data-testid="lineage-canvas"] svg [data-uid="model.jaffle_shop.orders"]'), savedSelect, { timeout: 30_000 });
    assert(!(await page.$('.views-popup:visible')), 'the menu shuts when a view opens');
    await page.click('.views-menu > summary');
    const [viewDownload] = await Promise.all([page.waitForEvent('download'), page.click('button[aria-label="Share Orders, no customers as a file"]')]);
    const viewFile = join(artifactsDir, viewDownload.suggestedFilename());
    await viewDownload.saveAs(viewFile);
    const viewJSON = JSON.parse(readFileSync(viewFile, 'utf8'));
    assert(viewJSON.lineagedesk_view === 1 && viewJSON.name === 'Orders, no customers' && viewJSON.select === savedSelect, `the view file holds the view: ${JSON.stringify(viewJSON)}`);
    await page.click('button[aria-label="Delete Orders, no customers"]');
    await page.waitForSelector('.view-msg:has-text("Deleted view")');
    assert(!(await page.$('.views-list button[data-view="Orders, no customers"]')), 'the deleted view is gone from the menu');
    await page.setInputFiles('input[name=view-file]', viewFile);
    await page.waitForSelector('.view-msg:has-text("Imported view")');
    await page.waitForSelector('.views-list button[data-view="Orders, no customers"]');
    await shot(page, 'lineage-views', { publish: true });
    await page.click('.views-menu > summary');

    // Find in the picture: f focuses the field; the matches stand out, the
    // rest fade; Enter picks them in name order; Esc clears.
    await page.click('[data-testid="lineage-canvas"]', { position: { x: 5, y: 5 } });
    await page.keyboard.press('f');
    assert(await page.evaluate(() => document.activeElement?.getAttribute('name') === 'find'), 'f focuses the find field');
    await page.keyboard.type('stg');
    const stgNames = (await page.$$eval('[data-testid="lineage-canvas"] svg [data-uid]', (els) => els.map((e) => e.getAttribute('data-uid')))).filter((uid) => uid.includes('stg')).map((uid) => uid.split('.').pop()).sort((a, b) => a.localeCompare(b));
    await page.waitForFunction((n) => document.querySelector('[data-testid="find-count"]')?.textContent === `${n} found`, stgNames.length);
    const marked = await page.$$eval('[data-testid="lineage-canvas"] svg [data-uid]', (els) => ({ found: els.filter((e) => e.classList.contains('ld-found')).length, faded: els.filter((e) => e.classList.contains('ld-faded')).length, all: els.length }));
    assert(stgNames.length > 1 && marked.found === stgNames.length && marked.faded === marked.all - stgNames.length, `the matches stand out and the rest fade (${JSON.stringify(marked)}, ${stgNames})`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.waitForFunction((name) => document.querySelector('.focus-panel')?.textContent?.includes(name) && document.querySelector('[data-testid="find-count"]')?.textContent?.startsWith('2 of'), stgNames[1]);
    // The panel says what the picked node reaches in the whole project,
    // and draws it all on request.
    await page.waitForSelector('.focus-panel [data-testid="impact"]');
    const impact = await page.textContent('.focus-panel [data-testid="impact"]');
    assert(/Downstream \d+ nodes?: .*model/.test(impact) && /Upstream 1 node: 1 source/.test(impact), `the panel sums up the node's impact (${impact})`);
    // Its "list" link opens the node's page on its impact list, that side.
    const listHref = await page.getAttribute('.focus-panel [data-testid="impact"] .impact-side:first-child a.linklike', 'href');
    const listPage = await page.context().newPage();
    await listPage.goto(new URL(listHref, page.url()).href);
    await listPage.waitForSelector('[data-testid="impact-list"] tbody tr');
    const impactListed = await listPage.$$eval('[data-testid="impact-list"] tbody tr', (trs) => trs.length);
    const listDirection = await listPage.$eval('select[aria-label="Direction"]', (s) => s.value);
    assert(listDirection === 'downstream' && impactListed === Number(/Downstream (\d+)/.exec(impact)[1]), `the list link opens the ${impactListed} nodes downstream (${listDirection}; ${impact})`);
    await listPage.close();
    await shot(page, 'lineage-find', { publish: true });
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('[data-testid="lineage-canvas"] svg .ld-faded') && !document.querySelector('[data-testid="find-count"]'));
    await page.click('.focus-panel [data-testid="impact"] .impact-side:first-child button');
    await page.waitForFunction((name) => document.querySelector('input[name=select]').value.endsWith(`${name}+`) && document.querySelector('.focus-panel')?.textContent?.includes(name), stgNames[1], { timeout: 30_000 });
    const downCount = Number(/Downstream (\d+)/.exec(impact)[1]);
    await page.waitForFunction((n) => document.querySelector('[data-testid="lineage-counts"]')?.textContent?.startsWith(`${n + 1} nodes`), downCount, { timeout: 30_000 });
    // The semantic layer switched off leaves metrics, semantic models and
    // saved queries out: here all but the model's own models.
    const semanticCount = Object.entries(/Downstream \d+ nodes?: ([^·]*)/.exec(impact)[1].split(', ').reduce((acc, part) => {
      const [n, ...type] = part.trim().split(' ');
      return { ...acc, [type.join(' ')]: Number(n) };
    }, {})).filter(([type]) => /metric|semantic|saved/.test(type)).reduce((sum, [, n]) => sum + n, 0);
    // The counts change as the answer arrives, the picture once drawn: wait
    // for a new picture, not only for the counts.
    const pictureBefore = await page.$('[data-testid="lineage-canvas"] svg');
    await page.uncheck('input[name=semantic]');
    await page.waitForFunction((n) => document.querySelector('[data-testid="lineage-counts"]')?.textContent?.startsWith(`${n} nodes`) && location.hash.includes('semantic=0'), downCount + 1 - semanticCount, { timeout: 30_000 });
    await page.waitForFunction((old) => { const svg = document.querySelector('[data-testid="lineage-canvas"] svg'); return svg && svg !== old && svg.querySelector('[data-uid]'); }, pictureBefore, { timeout: 30_000 });
    assert(semanticCount > 0 && !(await page.$('[data-testid="lineage-canvas"] svg [data-uid^="metric."]')), `no metric drawn with the semantic layer off (${semanticCount} left out)`);
    await page.check('input[name=semantic]');
    await page.waitForFunction((n) => document.querySelector('[data-testid="lineage-counts"]')?.textContent?.startsWith(`${n} nodes`), downCount + 1, { timeout: 30_000 });
    // The project's page lists the saved views: one click back to the picture.
    await page.goto(`${server.origin}/#/`);
    await page.click('[data-testid="saved-views"] a:has-text("Orders, no customers")');
    await page.waitForFunction((sel) => document.querySelector('input[name=select]')?.value === sel && !!document.querySelector('[data-testid="lineage-canvas"] svg [data-uid="model.jaffle_shop.orders"]'), savedSelect, { timeout: 30_000 });

    // A selector that matches nothing: the error names it, and the previous
    // picture stays only as a faded backdrop, with no counts or exports that
    // would describe it as the new selection's.
    await page.fill('input[name=select]', '+ordres');
    await page.press('input[name=select]', 'Enter');
    await page.waitForSelector('.overlay-error:has-text("ordres")', { timeout: 30_000 });
    assert(await page.$('[data-testid="lineage-canvas"].stale'), 'the previous picture is marked stale');
    assert(!(await page.$('[data-testid="lineage-counts"]')), 'no counts for a selection that failed');
    assert(await page.isDisabled('button[data-export="svg"]'), 'no export of a selection that failed');
    // The 404 the browser logged for it was asked for; any other stays a problem.
    await page.waitForTimeout(200);
    const expected = problems.filter((p) => p.includes('404'));
    assert(expected.length > 0 && expected.every((p) => /ordres|status of 404/.test(p)), `only the bad selector's 404 was logged: ${expected}`);
    problems.splice(0, problems.length, ...problems.filter((p) => !expected.includes(p)));
    const painted = (await appMetrics(page)).filter((m) => m.metric === 'lineage_render').length;
    await page.fill('input[name=select]', '+orders');
    await page.press('input[name=select]', 'Enter');
    await page.waitForSelector('[data-testid="lineage-counts"]', { timeout: 30_000 });
    assert(!(await page.$('[data-testid="lineage-canvas"].stale')), 'a good selector clears the stale mark');
    await page.waitForFunction((n) => (window.__ldMetrics ?? []).filter((m) => m.metric === 'lineage_render').length > n, painted, { timeout: 30_000 });

    // Collapse what feeds orders into one box from its panel: the box holds
    // every node upstream of the model, which stays outside with what it feeds.
    const shownBefore = await page.$$eval('[data-testid="lineage-canvas"] svg [data-uid]', (els) => els.map((e) => e.getAttribute('data-uid')));
    await page.click('[data-testid="lineage-canvas"] svg [data-uid="model.jaffle_shop.orders"]');
    await page.click('.focus-panel button[aria-label="Collapse upstream"]');
    await page.waitForSelector('[data-testid="lineage-canvas"] svg [data-group]', { timeout: 30_000 });
    const outside = await page.$$eval('[data-testid="lineage-canvas"] svg [data-uid]', (els) => els.map((e) => e.getAttribute('data-uid')));
    assert(outside.includes('model.jaffle_shop.orders') && !outside.some((id) => /\.(stg|raw)_/.test(id)), `orders stays outside the box, what feeds it goes in (${outside})`);
    const grouped = await page.textContent('[data-testid="lineage-counts"]');
    assert(/drawn as 1 box and \d+ nodes alone/.test(grouped), `counts say how the picture draws the selection (${grouped})`);
    assert((await page.inputValue('input[name=collapse]')) === '+model.jaffle_shop.orders --exclude model.jaffle_shop.orders', 'the Collapse field shows what is collapsed');
    const boxed = shownBefore.length - outside.length;
    assert((await page.textContent('[data-testid="lineage-canvas"] svg [data-group]')).includes(`${boxed} nodes`), `the box holds the ${boxed} upstream nodes (before ${shownBefore}; outside ${outside})`);
    // A new selector drops what the panel collapsed around orders; back to
    // +orders, everything is drawn again, without the box.
    await page.fill('input[name=select]', '+model.jaffle_shop.orders');
    await page.press('input[name=select]', 'Enter');
    await page.waitForFunction(() => location.hash.includes('select=%2Bmodel.jaffle_shop.orders'), null, { timeout: 30_000 });
    // The Group field follows the address in the render after it: wait for that render, not the address alone.
    const dropped = await page.waitForFunction(() => document.querySelector('select[name=group]')?.value === 'none' && !location.hash.includes('group='), null, { timeout: 10_000 }).then(() => true, () => false);
    assert(dropped, 'a new selector starts without the old collapse');
    await page.fill('input[name=select]', '+orders');
    await page.press('input[name=select]', 'Enter');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="lineage-canvas"] svg [data-uid]').length === n, shownBefore.length, { timeout: 30_000 });
    assert(!(await page.$('[data-testid="lineage-canvas"] svg [data-group]')), 'no box is left');

    // Dark theme check of the same view (prefers-color-scheme): the picture
    // is drawn dark too, a model's light blue fill as its dark blue, its
    // label light (styles.css; backend/render checks every colour has one).
    await page.emulateMedia({ colorScheme: 'dark' });
    const darkPicture = await page.evaluate(() => {
      const node = document.querySelector('[data-testid="lineage-canvas"] svg g.node[data-uid^="model."]:not(.ld-core):not(.ld-own-fill)');
      const shape = node?.querySelector(':scope > path, :scope > polygon');
      const label = node?.querySelector('text:not([fill])');
      return {
        pane: getComputedStyle(document.querySelector('.lineage-body')).backgroundColor,
        fill: shape && getComputedStyle(shape).fill,
        label: label && getComputedStyle(label).fill,
      };
    });
    assert(darkPicture.pane === 'rgb(28, 32, 39)' && darkPicture.fill === 'rgb(27, 51, 82)' && darkPicture.label === 'rgb(228, 231, 236)',
      `the picture is drawn dark in the dark theme: ${JSON.stringify(darkPicture)}`);
    await shot(page, 'lineage-dark', { publish: true });
    await page.emulateMedia({ colorScheme: 'light' });

    // The Filter menu: unticking a resource type draws the picture without
    // it and says so in Exclude; ticking it again draws it all.
    const drawnIds = () => page.$$eval('[data-testid="lineage-canvas"] svg [data-uid]', (els) => els.map((e) => e.getAttribute('data-uid')));
    await page.click('.facet-menu > summary');
    const typeAtoms = await page.$$eval('[data-facet="resource_type"] input', (inputs) => inputs.map((i) => [i.getAttribute('data-atom'), `${i.closest('label').querySelector('.facet-name').textContent} ${i.closest('label').querySelector('.facet-name + .muted').textContent}`]));
    const [atom, label] = typeAtoms.find(([a]) => a !== 'resource_type:model') ?? [];
    assert(atom, `the Filter menu lists the picture's types (${JSON.stringify(typeAtoms)})`);
    const type = atom.slice('resource_type:'.length);
    const ofType = (await drawnIds()).filter((id) => id.startsWith(`${type}.`)).length;
    assert(ofType > 0 && label === `${type} ${ofType}`, `the menu counts the ${ofType} ${type} nodes drawn (${label})`);
    await page.click(`.facet-menu input[data-atom="${atom}"]`);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="lineage-canvas"] svg [data-uid]').length === n, shownBefore.length - ofType, { timeout: 30_000 });
    assert(!(await drawnIds()).some((id) => id.startsWith(`${type}.`)) && (await page.inputValue('input[name=exclude]')) === atom, `unticked, the ${type} nodes are gone and Exclude says ${atom}`);
    assert((await page.textContent('.facet-menu > summary')) === 'Filter (1 hidden)', 'the Filter button counts what it hides');
    await shot(page, 'lineage-filter', { publish: true });
    await page.click(`.facet-menu input[data-atom="${atom}"]`);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="lineage-canvas"] svg [data-uid]').length === n, shownBefore.length, { timeout: 30_000 });
    assert((await page.inputValue('input[name=exclude]')) === '', 'ticked again, Exclude is empty');
    await page.keyboard.press('Escape');

    // 7. Time from page load to the first lineage picture of a model (fresh page, deep link).
    const fresh = await context.newPage();
    await fresh.goto(`${server.origin}/#/lineage?select=${encodeURIComponent('2+orders+2')}`);
    await fresh.waitForFunction(() => (window.__ldMetrics ?? []).some((m) => m.metric === 'lineage_first_picture'), null, { timeout: 30_000 });
    const first = (await appMetrics(fresh)).find((m) => m.metric === 'lineage_first_picture');
    metric('load_to_first_lineage', first.ms, { nodes: first.nodes, select: first.select });
    const render = (await appMetrics(fresh)).find((m) => m.metric === 'lineage_render');
    if (render) metric('lineage_request_to_paint', render.ms, { nodes: render.nodes });
    await fresh.close();

    // 8. First start: delete the only snapshot, see the empty state, open the demo again.
    await page.goto(`${server.origin}/#/`);
    await page.waitForSelector('.stat-grid');
    const del = page.locator('.table button:has-text("Delete")').first();
    await del.click();
    await page.click('.table button:has-text("Click again to delete")');
    await page.waitForSelector('text=Welcome to Lineage Desk');
    assert(await page.isVisible('text=Connect dbt Cloud') && await page.isVisible('text=Import a dbt target folder'), 'the empty state offers all three ways in');
    await shot(page, 'empty-state', { publish: true });
    await page.click('button:has-text("Open the demo project")');
    await page.waitForSelector('h1:has-text("jaffle_shop")', { timeout: 30_000 });

    // Tests shown: those whose parents are all shown, then (dbt's eager
    // indirect selection) those with any parent shown. The demo was just
    // opened again as a new snapshot: start from a fresh load.
    await page.goto(`${server.origin}/#/lineage?select=orders`);
    await page.reload();
    await page.waitForSelector('[data-testid="lineage-canvas"] svg [data-uid="model.jaffle_shop.orders"]', { timeout: 30_000 });
    const nodeCount = async () => Number(/(\d+) nodes?/.exec(await page.textContent('[data-testid="lineage-counts"]'))?.[1]);
    const alone = await nodeCount();
    await page.check('label.check:has-text("Tests") input');
    await page.waitForSelector('select[name=indirect-selection]');
    await page.waitForFunction((n) => Number(/(\d+) nodes?/.exec(document.querySelector('[data-testid="lineage-counts"]')?.textContent ?? '')?.[1]) !== n, alone, { timeout: 30_000 });
    const cautious = await nodeCount();
    await page.selectOption('select[name=indirect-selection]', 'eager');
    await page.waitForFunction(() => location.hash.includes('tests=eager'), null, { timeout: 30_000 });
    await page.waitForFunction((n) => Number(/(\d+) nodes?/.exec(document.querySelector('[data-testid="lineage-counts"]')?.textContent ?? '')?.[1]) > n, cautious, { timeout: 30_000 });
    const eager = await nodeCount();
    assert(alone < cautious && cautious < eager, `tests shown: none ${alone}, cautious ${cautious}, eager ${eager}`);
    await shot(page, 'lineage-tests-eager');

    // state: against an earlier snapshot of the project: import the jaffle
    // fixture (dbt 1.11, generated before the demo's 1.12 run), then ask
    // what changed. The latest is still the demo, the project's most recent
    // run, and it is compared with the run before it: the one imported.
    const imported = await importFixture(page, 'jaffle-dap-v12-1.11', 'jaffle 1.11');
    await page.goto(`${server.origin}/#/lineage?select=${encodeURIComponent('state:modified')}`);
    await page.waitForSelector('select[name=state-base]', { timeout: 30_000 });
    const against = await page.inputValue('select[name=state-base]');
    assert(against === String(imported), `the latest run is compared with the run before it, #${imported} (${against})`);
    const stateCounts = await page.textContent('[data-testid="lineage-counts"]');
    assert(/(\d+) nodes.*· (\d+) changed/.test(stateCounts), `state:modified draws what changed and counts it (${stateCounts})`);
    // Each changed node says how, in the picture and in its panel.
    const canvasText = await page.textContent('[data-testid="lineage-canvas"] svg');
    assert(/modified: |new/.test(canvasText), 'the picture says how nodes changed');
    await page.click('[data-testid="lineage-canvas"] svg [data-uid]');
    await page.waitForSelector('.focus-panel .state-change');
    const how = await page.textContent('.focus-panel .state-change');
    assert(how.includes(`since snapshot #${against}`), `the node panel says how the node changed (${how})`);
    await shot(page, 'lineage-state');
    // The project page lists the changes as it opens (a small project), and
    // offers their lineage.
    await page.goto(`${server.origin}/#/`);
    await page.waitForSelector('[data-testid="changes"] table', { timeout: 30_000 });
    assert(!(await page.$('button[name=list-changes]')), 'a small project is compared without being asked');
    const summary = await page.textContent('.changes-summary');
    assert(/\d+ (new|modified|removed)/.test(summary), `the changes are summed up (${summary})`);
    const listed = await page.$$eval('[data-testid="changes"] tbody tr', (trs) => trs.length);
    assert(listed > 0, 'the changes are listed');
    await shot(page, 'changes');
    // A model whose code changed opens with its SQL diffed against the run compared with.
    const sqlDiffLink = await page.getAttribute('[data-testid="node-changes"] a:has-text("SQL diff")', 'href');
    assert(sqlDiffLink?.includes(`sqldiff=${against}`), `a changed model links to its SQL diff against #${against} (${sqlDiffLink})`);
    await page.click('[data-testid="node-changes"] a:has-text("SQL diff")');
    await page.waitForSelector('[data-testid="sql-diff"]', { timeout: 30_000 });
    const sqlDiffSays = await page.textContent('[data-testid="sql-diff"] p');
    assert(await page.$(`.sql .tab.on:has-text("Changes since #${against}")`) && /SQL in snapshot #\d+ against this one: \d+ lines? added, \d+ removed/.test(sqlDiffSays), `the diff tab is open (${sqlDiffSays})`);
    await page.goBack();
    await page.waitForSelector('[data-testid="changes"] table', { timeout: 30_000 });
    await page.click(`.page-head a.btn:has-text("#${against}")`);
    await page.waitForFunction(() => document.querySelector('input[name=select]')?.value === 'state:modified+', null, { timeout: 30_000 });
    await page.waitForSelector('[data-testid="lineage-counts"]', { timeout: 30_000 });
    const changesCounts = await page.textContent('[data-testid="lineage-counts"]');
    assert(await page.isChecked('input[name=diff]') && /\d+ removed/.test(changesCounts), `the changes' lineage is a diff, with what was removed (${changesCounts})`);
    // A diff: since 1.11, the semantic model order_item became order_items;
    // the picture draws the old one removed, its dependency dashed, the
    // new one's added.
    await page.goto(`${server.origin}/#/lineage?select=${encodeURIComponent('model.jaffle_shop.order_items+1')}`);
    // The hash changes in place: the changes' picture stays up until this
    // one replaces it, titled with its selector.
    await page.waitForFunction(() => document.querySelector('[data-testid="lineage-canvas"] svg')?.textContent.includes('model.jaffle_shop.order_items+1'), null, { timeout: 30_000 });
    await page.waitForSelector('[data-testid="lineage-canvas"] svg [data-uid="model.jaffle_shop.order_items"]', { timeout: 30_000 });
    assert(!(await page.$('[data-testid="lineage-canvas"] svg [data-uid="semantic_model.jaffle_shop.order_item"]')), 'no removed node before the diff is asked for');
    await page.check('input[name=diff]');
    const removedNode = '[data-testid="lineage-canvas"] svg [data-uid="semantic_model.jaffle_shop.order_item"]';
    await page.waitForSelector(removedNode, { timeout: 30_000 });
    const diffCounts = await page.textContent('[data-testid="lineage-counts"]');
    const diffText = await page.textContent('[data-testid="lineage-canvas"] svg');
    assert(/1 removed/.test(diffCounts) && /dependencies \+1 −1/.test(diffCounts) && diffText.includes('dependency added') && diffText.includes('dependency removed') && page.url().includes('diff=1') && await page.isVisible('select[name=state-base]'),
      `the diff counts the removed node, its legend names both kinds of edge, the address keeps it (${diffCounts})`);
    await page.click(removedNode);
    await page.waitForSelector('.focus-panel .state-change');
    const removedHow = await page.textContent('.focus-panel .state-change');
    assert(removedHow.includes(`removed since snapshot #${against}`) && !(await page.$('.focus-panel [data-testid="impact"]')), `the panel says the node was removed (${removedHow})`);
    await shot(page, 'lineage-diff', { publish: true });
    await page.keyboard.press('Enter');
    await page.waitForFunction((s) => location.hash.startsWith('#/node/semantic_model.jaffle_shop.order_item') && location.hash.includes(`snap=${s}`), against, { timeout: 30_000 });
    await page.waitForSelector('h1:has-text("order_item")', { timeout: 30_000 });

    // Run times and the critical path, on a real dbt build (bouncer's).
    const built = await importFixture(page, 'bouncer-build-v12-dbt1.11-duckdb', 'bouncer build');
    // Its project page reads the build's run times: the slowest first, as
    // run_results.json has them, a bar each, and one run (nothing to be slower than).
    await page.goto(`${server.origin}/#/?snap=${built}`);
    await page.waitForSelector('[data-testid="run-times-slowest"] tbody tr');
    const slowest = await page.$$eval('[data-testid="run-times-slowest"] tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-uid'), tr.querySelectorAll('.run-bar').length]));
    assert(slowest.length === 15 && slowest[0][0] === 'snapshot.dbt_bouncer_test_project.snapshot_orders' && slowest.every(([, bars]) => bars === 1) &&
      !(await page.$('[data-testid="run-times-slower"]')), `the build's run times (${JSON.stringify(slowest)})`);
    await page.goto(`${server.origin}/#/lineage?select=${encodeURIComponent('+exposure:*')}`);
    await page.waitForSelector('[data-testid="lineage-canvas"] svg [data-uid]', { timeout: 30_000 });
    assert(!(await page.isVisible('[data-testid="critical-path"]')), 'no critical path before run times are asked for');
    await page.check('input[name=runtime]');
    await page.waitForSelector('[data-testid="critical-path"]', { timeout: 30_000 });
    const critical = await page.textContent('[data-testid="critical-path"]');
    assert(/critical path [\d.]+ s · \d+ nodes/.test(critical), `the critical path is summed up (${critical})`);
    assert((await page.evaluate(() => location.hash)).includes('runtime=1'), 'run times are part of the link');
    // The picture is painted after its answer shows the path: wait for it.
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="lineage-canvas"] svg g.edge path')].some((p) => p.getAttribute('stroke')?.toLowerCase() === '#d84315'), null, { timeout: 30_000 });
    const orangeEdges = await page.$$eval('[data-testid="lineage-canvas"] svg g.edge path', (ps) => ps.filter((p) => p.getAttribute('stroke')?.toLowerCase() === '#d84315').length);
    // The build's tests are on its path but hidden: the steps drawn join the drawn nodes.
    const hidden = Number(/\((\d+) tests? not shown\)/.exec(critical)?.[1] ?? 0);
    assert(hidden > 0, `the build's path goes through tests not shown (${critical})`);
    const steps = Number(/(\d+) nodes/.exec(critical)[1]) - hidden - 1;
    assert(orangeEdges === steps, `the picture draws the path's ${steps} steps between drawn nodes in orange (${orangeEdges})`);
    assert(/ran [\d.]+ s/.test(await page.textContent('[data-testid="lineage-canvas"] svg')), 'nodes say how long they ran');
    // The runs lens: the borders and the legend show the build's statuses, in the address too.
    await page.selectOption('select[name=lens]', 'runs');
    await page.waitForFunction(() => document.querySelector('[data-testid="lineage-canvas"] svg')?.textContent.includes('last run (border):'), null, { timeout: 30_000 });
    assert((await page.evaluate(() => location.hash)).includes('lens=runs') && (await page.textContent('[data-testid="lens-legend"]')).includes('partial success'), 'the runs lens is in the address and the legend');
    await shot(page, 'lineage-runs-lens', { publish: true });
    // The docs lens: green borders for the nodes with a description, red without.
    await page.selectOption('select[name=lens]', 'docs');
    await page.waitForFunction(() => document.querySelector('[data-testid="lineage-canvas"] svg')?.textContent.includes('description (border):'), null, { timeout: 30_000 });
    const docBorders = await page.$$eval('[data-testid="lineage-canvas"] svg g.node[data-uid] > :is(path, polygon)', (els) => els.map((e) => e.getAttribute('stroke')?.toUpperCase()));
    assert(docBorders.includes('#2E7D32') && (await page.evaluate(() => location.hash)).includes('lens=docs') && (await page.textContent('[data-testid="lens-legend"]')).includes('no description'), `the docs lens colours the borders (${[...new Set(docBorders)]}) and is in the address and the legend`);
    // The trend lens: the bouncer build is its project's only run with
    // outcomes here, so no test has a trend yet: every border is grey.
    await page.selectOption('select[name=lens]', 'trend');
    await page.waitForFunction(() => document.querySelector('[data-testid="lineage-canvas"] svg')?.textContent.includes('tests over recent runs (border):'), null, { timeout: 30_000 });
    const trendBorders = await page.$$eval('[data-testid="lineage-canvas"] svg g.node[data-uid] > :is(path, polygon)', (els) => [...new Set(els.map((e) => e.getAttribute('stroke')?.toUpperCase()))]);
    assert(trendBorders.length === 1 && trendBorders[0] === '#9E9E9E' && (await page.evaluate(() => location.hash)).includes('lens=trend') && (await page.textContent('[data-testid="lens-legend"]')).includes('flaky'),
      `the trend lens greys a single run's nodes (${trendBorders}) and is in the address and the legend`);
    // The health lens: the build built and tested every model (green);
    // its seeds have no tests nor descriptions (amber), its one source no
    // freshness check nor test (unknown, grey). The panel and the page say why.
    await page.selectOption('select[name=lens]', 'health');
    await page.waitForFunction(() => document.querySelector('[data-testid="lineage-canvas"] svg')?.textContent.includes('data health (border):'), null, { timeout: 30_000 });
    const healthBorder = (uid) => page.$eval(`[data-testid="lineage-canvas"] svg g.node[data-uid="${uid}"] > :is(path, polygon)`, (e) => e.getAttribute('stroke')?.toUpperCase());
    const healthOf = { 'model.dbt_bouncer_test_project.orders': '#2E7D32', 'seed.dbt_bouncer_test_project.raw_orders': '#F9A825', 'source.dbt_bouncer_test_project.dummy_source.customers': '#9E9E9E' };
    for (const [uid, colour] of Object.entries(healthOf)) {
      assert((await healthBorder(uid)) === colour, `the health lens draws ${uid}'s border ${colour} (${await healthBorder(uid)})`);
    }
    assert((await page.evaluate(() => location.hash)).includes('lens=health') && (await page.textContent('[data-testid="lens-legend"]')).includes('degraded'), 'the health lens is in the address and the legend');
    const healthCounted = await page.textContent('[data-testid="health-counts"]');
    const judgedDrawn = await page.$$eval('[data-testid="lineage-canvas"] svg g.node[data-uid] text', (ts) => ts.filter((t) => t.textContent.startsWith('health: ')).length);
    const countedSum = [...healthCounted.matchAll(/(\d+) \w+/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    assert(/^(\d+ \w+)(, \d+ \w+)*$/.test(healthCounted) && countedSum === judgedDrawn && countedSum > 0, `the counts sum the health of every judged node drawn (${healthCounted}; ${judgedDrawn} labelled)`);
    await page.click('[data-testid="lineage-canvas"] svg [data-uid="seed.dbt_bouncer_test_project.raw_orders"]');
    await page.waitForSelector('.focus-panel [data-testid="health"]', { timeout: 5_000 });
    const panelHealth = await page.textContent('.focus-panel [data-testid="health"]');
    assert(panelHealth === 'health: caution no tests; no description', `the panel says the seed's health and why (${panelHealth})`);
    await shot(page, 'lineage-health', { publish: true });
    await page.keyboard.press('Enter');
    await page.waitForSelector('.node-page [data-testid="health"]', { timeout: 30_000 });
    const pageHealth = await page.textContent('.node-page [data-testid="health"]');
    assert(pageHealth === panelHealth, `the seed's page says its health as the panel does (${pageHealth})`);
    // The project page judges a small project as it opens, as the lens does.
    await page.goto(`${server.origin}/#/`);
    await page.waitForSelector('[data-testid="project-health"]', { timeout: 30_000 });
    const healthSummary = await page.textContent('[data-testid="project-health"] .changes-summary');
    const seedRow = await page.textContent('[data-testid="health-rows"] tr:has(a[href*="seed.dbt_bouncer_test_project.raw_orders"])');
    assert(/^0 degraded, \d+ caution, \d+ unknown, \d+ healthy$/.test(healthSummary) && seedRow.includes(panelHealth),
      `the project's health is summed up (${healthSummary}) and the seed listed as its panel says (${seedRow})`);
    await page.goBack();
    await page.goBack();
    await page.waitForSelector('[data-testid="lineage-canvas"] svg [data-uid]', { timeout: 30_000 });
    await page.selectOption('select[name=lens]', 'none');
    await page.waitForFunction(() => !document.querySelector('[data-testid="lineage-canvas"] svg')?.textContent.includes('(border'), null, { timeout: 30_000 });
    assert(!(await page.$('[data-testid="lens-legend"]')), 'no legend without a lens');
    await page.selectOption('select[name=lens]', 'tests');
    await page.waitForFunction(() => document.querySelector('[data-testid="lineage-canvas"] svg')?.textContent.includes('tests (border, worst wins):'), null, { timeout: 30_000 });
    await page.click('[data-testid="critical-path"]');
    await page.waitForSelector('[data-testid="lineage-canvas"] svg .ld-path');
    const onPath = await page.$$eval('[data-testid="lineage-canvas"] svg .ld-path', (els) => els.length);
    assert(onPath === steps + 1, `the path's nodes are outlined (${onPath}), the rest dimmed`);
    await shot(page, 'lineage-runtime', { publish: true });

    // The history of a model over two builds of the project (dbt 1.11, then Fusion).
    const again = await importFixture(page, 'bouncer-v12-fusion2.0-duckdb', 'bouncer fusion');
    await page.goto(`${server.origin}/#/node/${encodeURIComponent('model.dbt_bouncer_test_project.stg_payments')}`);
    await page.waitForSelector('[data-testid="history"]', { timeout: 30_000 });
    const columns = await page.$$eval('[data-testid="history"] thead th.history-snap', (ths) => ths.map((th) => th.textContent));
    assert(JSON.stringify(columns) === JSON.stringify([`#${built}`, `#${again}`]), `the history has a column per build, oldest first (${columns})`);
    const historyRows = await page.$$eval('[data-testid="history"] tbody tr:not(.history-times):not(.history-changes)', (trs) => trs.map((tr) => [...tr.querySelectorAll('.history-mark')].map((m) => m.getAttribute('title'))));
    const testsListed = await page.$$eval('.node-side ul.tests li', (lis) => lis.length);
    assert(historyRows.length === testsListed + 1, `the history has the model's runs and a row per test (${historyRows.length} rows, ${testsListed} tests)`);
    assert(historyRows.every((marks) => marks.length === 2 && marks.every((t) => /: (success|pass|warn|fail|error)/.test(t))), `every build ran the model and its tests: ${JSON.stringify(historyRows)}`);
    // Both builds built it: its build time in each, as a bar.
    const buildTimes = await page.$$eval('[data-testid="history-times"] .history-bar', (bars) => bars.map((b) => b.getAttribute('title')));
    assert(buildTimes.length === 2 && buildTimes.every((t) => /^#\d+ dbt build: [\d.]+ (ms|s)$/.test(t)), `the history shows the model's build time in each build (${buildTimes})`);
    // Fusion's stg_payments is laid out another way (its code, read from the
    // two manifests) and cents_to_dollars changed: one mark, on the second
    // build, and the list says so.
    const changeMarks = await page.$$eval('[data-testid="history-changes"] td.history-cell', (tds) => tds.map((td) => td.textContent));
    assert(JSON.stringify(changeMarks) === JSON.stringify(['', 'Δ']), `the history marks the change in the second build (${changeMarks})`);
    const changeChips = await page.$$eval(`[data-testid="history-change-list"] li[data-snap="${again}"] .chip`, (chips) => chips.map((c) => c.textContent));
    assert(JSON.stringify(changeChips) === JSON.stringify(['code', 'macros']), `the history says what changed (${changeChips})`);
    // Its SQL against the build before, line by line.
    await page.click(`.sql .tab:has-text("Changes since #${built}")`);
    await page.waitForSelector('[data-testid="sql-diff"]', { timeout: 30_000 });
    const diffSummary = await page.textContent('[data-testid="sql-diff"] p');
    const [, addedLines, removedLines] = /: (\d+) lines? added, (\d+) removed/.exec(diffSummary) ?? [];
    const diffRows = await page.$$eval('[data-testid="sql-diff"] .diff-add, [data-testid="sql-diff"] .diff-del', (els) => els.length);
    assert(Number(addedLines) > 0 && Number(removedLines) > 0 && diffRows === Number(addedLines) + Number(removedLines), `the SQL diff counts the lines it marks (${diffSummary}; ${diffRows} marked)`);
    await shot(page, 'node-history', { publish: true });
    // Under Fusion, orders' keys were renamed (customer_id_fk, order_id_pk in
    // its catalog, customer_id and order_id in 1.11's): its columns say so.
    await page.goto(`${server.origin}/#/node/${encodeURIComponent('model.dbt_bouncer_test_project.orders')}`);
    await page.waitForSelector('[data-testid="columns-removed"]', { timeout: 30_000 });
    const newColumns = await page.$$eval('tr[data-column] .chip[data-change="added"]', (chips) => chips.map((c) => `${c.closest('tr').getAttribute('data-column')}: ${c.textContent}`));
    assert(JSON.stringify(newColumns.sort()) === JSON.stringify([`customer_id_fk: new since #${built}`, `order_id_pk: new since #${built}`]), `orders' renamed keys are marked new (${newColumns})`);
    const gone = await page.textContent('[data-testid="columns-removed"]');
    assert(gone === `Gone from the warehouse since #${built}: customer_id (INTEGER), order_id (INTEGER)`, `orders' old keys are listed gone (${gone})`);
    await page.evaluate(() => document.querySelector('[data-testid="history-change-list"]').scrollIntoView({ block: 'start' }));
    await shot(page, 'node-column-changes', { publish: true });

    // A package's list holds as many resources as the sidebar counts for it
    // (macros and docs are left out of both).
    await page.goto(`${server.origin}/#/browse?pkg=dbt_bouncer_test_project`);
    const sidebarCount = Number((await page.textContent('a.side-item.pkg:has-text("dbt_bouncer_test_project") .count')).replace(/,/g, ''));
    await page.waitForFunction(() => /\d+ resources/.test(document.querySelector('.list-meta')?.textContent ?? ''), null, { timeout: 30_000 });
    const listedHere = Number(/(\d+) resources/.exec(await page.textContent('.list-meta'))[1]);
    assert(sidebarCount > 0 && listedHere === sidebarCount, `dbt_bouncer_test_project: the sidebar counts ${sidebarCount}, the list shows ${listedHere}`);
    // Opened from the sidebar, the list takes the arrow keys.
    await page.click('nav.sidebar a:has-text("Models")');
    await page.waitForFunction(() => location.hash.includes('type=model') && document.querySelector('.res-row.active'), null, { timeout: 30_000 });
    const firstActive = await page.getAttribute('.res-row.active', 'data-uid');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction((uid) => document.querySelector('.res-row.active')?.getAttribute('data-uid') !== uid, firstActive, { timeout: 5_000 });
    // Back from the resource opened with Enter lands on the same row.
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    const openedRow = await page.getAttribute('.res-row.active', 'data-uid');
    await page.keyboard.press('Enter');
    await page.waitForFunction((uid) => location.hash.startsWith(`#/node/${encodeURIComponent(uid)}`), openedRow, { timeout: 10_000 });
    await page.goBack();
    await page.waitForFunction(() => location.hash.includes('type=model') && document.querySelector('.res-row.active'), null, { timeout: 30_000 });
    const backAt = await page.getAttribute('.res-row.active', 'data-uid');
    assert(backAt === openedRow, `Back to the list keeps its active row (${backAt}, was ${openedRow})`);

    // A node page in a small window scrolls down, never sideways.
    await page.setViewportSize({ width: 900, height: 650 });
    await page.goto(`${server.origin}/#/node/${encodeURIComponent('model.dbt_bouncer_test_project.stg_payments')}`);
    await page.waitForSelector('[data-testid="history"]', { timeout: 30_000 });
    const sideways = await page.evaluate(() => [...document.querySelectorAll('main, .page')].some((e) => e.scrollWidth > e.clientWidth + 1));
    assert(!sideways, 'the node page fits a 900 px window');
    // The search panel opens within the window, and the snapshot menu stays readable.
    await page.fill('.search input', 'payments');
    await page.waitForSelector('.search-panel .hit', { timeout: 30_000 });
    const [panelLeft, panelRight, pageWidth] = await page.evaluate(() => {
      const r = document.querySelector('.search-panel').getBoundingClientRect();
      return [r.left, r.right, document.documentElement.scrollWidth];
    });
    assert(panelLeft >= 0 && panelRight <= 900 && pageWidth <= 900, `the search panel at 900 px spans ${panelLeft}-${panelRight} (page ${pageWidth} wide)`);
    await page.keyboard.press('Escape');
    const switcherWidth = await page.evaluate(() => document.querySelector('select[aria-label="Snapshot"]').getBoundingClientRect().width);
    assert(switcherWidth >= 150, `the snapshot menu is ${switcherWidth} px wide at 900 px`);
    // Narrower still, the top bar keeps within the window and its menu readable.
    await page.setViewportSize({ width: 780, height: 650 });
    const [barWidth, narrowSwitcher] = await page.evaluate(() => [document.querySelector('.topbar').scrollWidth, document.querySelector('select[aria-label="Snapshot"]').getBoundingClientRect().width]);
    assert(barWidth <= 780 && narrowSwitcher >= 150, `the top bar at 780 px is ${barWidth} px wide, its snapshot menu ${narrowSwitcher} px`);
    // In a short window the lineage picture keeps most of the height, and a
    // node's panel ends above the help line.
    await page.setViewportSize({ width: 900, height: 600 });
    await page.goto(`${server.origin}/#/lineage?select=${encodeURIComponent('+orders+')}`);
    await page.waitForSelector('[data-testid="lineage-canvas"] svg [data-uid="model.dbt_bouncer_test_project.orders"]', { timeout: 30_000 });
    await page.click('button:has-text("Paths…")');
    await page.waitForSelector('.paths-panel');
    const canvasHeight = await page.evaluate(() => document.querySelector('.lineage-body').getBoundingClientRect().height);
    assert(canvasHeight >= 300, `with Paths open at 900x600 the picture is ${canvasHeight} px tall`);
    await page.click('[data-testid="lineage-canvas"] svg [data-uid="model.dbt_bouncer_test_project.orders"]');
    await page.waitForSelector('.focus-panel');
    const [panelBottom, helpLineTop] = await page.evaluate(() => [document.querySelector('.focus-panel').getBoundingClientRect().bottom, document.querySelector('.canvas-help').getBoundingClientRect().top]);
    assert(panelBottom <= helpLineTop, `the node panel (bottom ${panelBottom}) ends above the help line (top ${helpLineTop})`);
    // Esc closes the node panel, also once one of its buttons has the focus.
    await page.click('.focus-panel button[aria-label="Paths from here"]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('.focus-panel', { state: 'detached' });
    // Two nodes given downstream first: the paths run the other way, and say so.
    await page.fill('.paths-panel input >> nth=0', 'model.dbt_bouncer_test_project.orders');
    await page.fill('.paths-panel input >> nth=1', 'stg_orders');
    await page.click('button:has-text("Find paths")');
    await page.waitForSelector('[data-testid="paths-reversed"]');
    const firstPath = await page.textContent('.paths-result ol li');
    assert(firstPath.startsWith('stg_orders'), `the listed path runs from stg_orders (${firstPath})`);
    // The project page's snapshot table fits a 900 px window.
    await page.goto(`${server.origin}/#/`);
    await page.waitForSelector('.table.snapshots tbody tr');
    await page.waitForSelector('[data-testid="run-times-slowest"], [data-testid="run-times-none"]'); // its run times too
    await page.waitForSelector('[data-testid="changes"]', { timeout: 30_000 }); // and the changes since the run before
    const overflowing = await page.evaluate(() => [...document.querySelectorAll('main, .table-wrap')].filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.className || e.tagName));
    assert(overflowing.length === 0, `the project page at 900 px scrolls sideways: ${overflowing}`);
    await page.setViewportSize({ width: 1280, height: 800 });
    // A model's columns and their tests fit its page at 1280 px.
    await page.goto(`${server.origin}/#/node/${encodeURIComponent('model.dbt_bouncer_test_project.orders')}?snap=${built}`);
    await page.waitForSelector('.table.columns tbody tr');
    const columnsFit = await page.$eval('.table.columns', (t) => t.scrollWidth <= t.parentElement.clientWidth + 1);
    assert(columnsFit, 'the columns table fits the page at 1280 px');
    // A table in a column's description (orders.status lists its values)
    // breaks lines between words, never inside one.
    const brokenWords = await page.$$eval('.table.columns .markdown td', (cells) => cells.flatMap((cell) => {
      const text = cell.firstChild?.nodeType === Node.TEXT_NODE ? cell.firstChild : null;
      if (!text) return [];
      const broken = [];
      for (const m of text.data.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(text, m.index);
        range.setEnd(text, m.index + m[0].length);
        if (range.getClientRects().length > 1) broken.push(m[0]);
      }
      return broken;
    }));
    const tableCells = await page.$$eval('.table.columns .markdown td', (cells) => cells.length);
    assert(tableCells >= 10 && brokenWords.length === 0, `words broken across lines in a description's table (${tableCells} cells): ${brokenWords}`);

    // Versions of a model read apart in search, as in the picture.
    await page.fill('.search input', 'customers');
    await page.waitForFunction(() => [...document.querySelectorAll('.hit-name')].some((e) => e.textContent === 'customers v2'), null, { timeout: 30_000 });
    await page.keyboard.press('Escape');

    // Lineage from a node page: an exposure whose name has a space (drawn
    // with all that feeds it), and a model version, each picked alone by
    // the selector the page builds.
    for (const [uid, selector] of [['exposure.dbt_bouncer_test_project.Pulse queries', '+exposure:"Pulse queries"'], ['model.dbt_bouncer_test_project.customers.v2', '2+customers.v2+2']]) {
      // dbt 1.11's build, followed within the page: nothing is asked of
      // the latest snapshot on the way (no 404, no cancelled picture).
      await page.goto(`${server.origin}/#/node/${encodeURIComponent(uid)}?snap=${built}`);
      await page.click('a.btn-primary:has-text("Lineage")');
      await page.waitForSelector(`[data-testid="lineage-canvas"] svg [data-uid="${uid}"]`, { timeout: 30_000 });
      assert((await page.inputValue('input[name=select]')) === selector, `lineage of ${uid} selects ${selector}`);
      // The address still names the snapshot: a reload draws the same picture.
      const snapInAddress = await page.evaluate(() => new URLSearchParams(location.hash.split('?')[1]).get('snap'));
      assert(snapInAddress === String(built), `the lineage's address names snapshot #${built} (${snapInAddress})`);
      await page.reload();
      await page.waitForSelector(`[data-testid="lineage-canvas"] svg [data-uid="${uid}"]`, { timeout: 30_000 });
      const focusCount = await page.$$eval('[data-testid="lineage-canvas"] svg .ld-core', (els) => els.length);
      assert(focusCount === 1, `${selector} focuses one node (${focusCount})`);
      if (uid.includes(' ')) {
        // Collapsing around a node whose id has a space: the id is quoted.
        await page.click(`[data-testid="lineage-canvas"] svg [data-uid="${uid}"]`);
        await page.click('.focus-panel button[aria-label="Collapse upstream"]');
        await page.waitForSelector('[data-testid="lineage-canvas"] svg [data-group]', { timeout: 30_000 });
        assert(!(await page.$('.overlay-error')), 'collapsing upstream of "Pulse queries" draws a box, not an error');
      }
    }

    // Back to an address that names no snapshot shows the latest, as a
    // reload of it would, not the one picked since.
    await page.goto(`${server.origin}/#/`);
    await page.goto(`${server.origin}/#/browse?type=model`);
    await page.waitForSelector('.res-row');
    await page.selectOption('select[aria-label="Snapshot"]', String(built));
    await page.waitForFunction((id) => location.hash.includes(`snap=${id}`), built, { timeout: 10_000 });
    await page.goBack();
    await page.waitForFunction(() => !location.hash.includes('snap='), null, { timeout: 10_000 });
    await page.waitForFunction(() => document.querySelector('select[aria-label="Snapshot"]')?.value === '0', null, { timeout: 10_000 });

    // An address typed by hand: dbt's + kept (not read as a space), and a
    // snapshot the store does not hold named as such, the latest shown.
    await page.goto(`${server.origin}/#/lineage?select=+stg_payments+&snap=999`);
    await page.waitForSelector('.banner', { timeout: 30_000 });
    assert((await page.textContent('.banner')).includes('There is no snapshot #999 in this store'), 'a missing snapshot is named');
    await page.waitForSelector('[data-testid="lineage-canvas"] svg [data-uid="model.dbt_bouncer_test_project.stg_payments"]', { timeout: 30_000 });
    assert((await page.inputValue('input[name=select]')) === '+stg_payments+', `the typed + stays (${await page.inputValue('input[name=select]')})`);
    const typedNodes = await page.$$eval('[data-testid="lineage-canvas"] svg [data-uid]', (els) => els.map((e) => e.getAttribute('data-uid')));
    assert(typedNodes.includes('seed.dbt_bouncer_test_project.raw_payments'), `+stg_payments+ draws its parents: ${typedNodes}`);
    assert(!(await page.evaluate(() => location.hash)).includes('snap=999'), 'the address stops naming the missing snapshot');

    // "Make default" keeps a depth chosen around one node, not around a
    // folder's or a package's nodes.
    for (const [selector, offered] of [['1+stg_payments+1', true], ['1+staging+1', false], ['1+package:dbt_bouncer_test_project+1', false]]) {
      await page.goto(`${server.origin}/#/lineage?select=${encodeURIComponent(selector)}`);
      // Drawn: the picture's title is the selector.
      await page.waitForFunction((sel) => document.querySelector('[data-testid="lineage-canvas"] svg')?.textContent.includes(sel) && document.querySelector('[data-testid="lineage-counts"]'), selector, { timeout: 30_000 });
      assert((await page.isVisible('button:has-text("Make default")')) === offered, `${selector}: Make default ${offered ? 'offered' : 'not offered'}`);
    }
    // A selector that fails keeps the last picture, dimmed, but neither
    // offers its own depth (0/0) as the default nor shows the last
    // picture's warnings above its error.
    await page.goto(`${server.origin}/#/lineage?select=${encodeURIComponent('1+stg_payments+1')}&exclude=no_such_model`);
    await page.waitForSelector('.warnings li');
    await page.fill('input[name=select]', 'stg_paymnts');
    await page.fill('input[name=exclude]', '');
    await page.click('button:has-text("Apply")');
    await page.waitForSelector('.error-box');
    assert(!(await page.isVisible('button:has-text("Make default")')), 'no Make default while a selector fails');
    assert(!(await page.isVisible('.warnings')), 'the last picture\'s warnings go with an error');
    await page.waitForTimeout(200);
    problems.splice(0, problems.length, ...problems.filter((p) => !(p.includes('404') && /stg_paymnts|status of 404/.test(p))));
    // Applied empty, the view asks for a selector instead of opening a model of its choosing.
    await page.fill('input[name=select]', '');
    await page.click('button:has-text("Apply")');
    await page.waitForSelector('.error-box:has-text("Type a selector")');
    // A node picked in another picture leaves the address once it is not drawn.
    await page.goto(`${server.origin}/#/lineage?select=${encodeURIComponent('1+stg_payments+1')}&focus=seed.dbt_bouncer_test_project.raw_customers`);
    await page.waitForFunction(() => document.querySelector('[data-testid="lineage-counts"]') && !location.hash.includes('focus='), null, { timeout: 30_000 });
    // Back from a node's page: the picture returns at once, not laid out
    // again, with the node that was picked.
    const payments = '[data-testid="lineage-canvas"] svg [data-uid="model.dbt_bouncer_test_project.stg_payments"]';
    await page.click(payments);
    await page.waitForFunction(() => location.hash.includes('focus=model.dbt_bouncer_test_project.stg_payments'));
    await page.dblclick(payments);
    await page.waitForSelector('.node-page[data-uid="model.dbt_bouncer_test_project.stg_payments"]');
    let laidOut = 0;
    const countLineage = (r) => { if (r.url().includes('/api/rpc/Lineage')) laidOut++; };
    page.on('request', countLineage);
    await page.goBack();
    await page.waitForSelector('.focus-panel');
    await page.waitForSelector(payments);
    page.off('request', countLineage);
    assert(laidOut === 0, `Back to the picture asked for it ${laidOut} times`);
    // A folder's box opens into the picture of its nodes.
    await page.goto(`${server.origin}/#/lineage?select=${encodeURIComponent('+orders')}&group=folder`);
    const crmBox = '[data-testid="lineage-canvas"] svg [data-group="group:folder:dbt_bouncer_test_project/models/staging/crm"]';
    await page.waitForSelector(crmBox, { timeout: 30_000 });
    await page.click(crmBox);
    await page.click('.focus-panel button:has-text("Draw only this box")');
    await page.waitForSelector('[data-testid="lineage-canvas"] svg [data-uid="model.dbt_bouncer_test_project.stg_orders"]', { timeout: 30_000 });
    assert((await page.inputValue('input[name=select]')) === '+orders,path:models/staging/crm', `the box's selector within the picture's (${await page.inputValue('input[name=select]')})`);
    assert(!(await page.$('[data-testid="lineage-canvas"] svg [data-group]')), 'the opened box is drawn ungrouped');
    // Grouped by layer: the project's staging, marts and its seeds as boxes;
    // a resource type's layer opens, a models' layer has no selector.
    await page.goto(`${server.origin}/#/lineage?select=${encodeURIComponent('+orders')}`);
    await page.waitForSelector('[data-testid="lineage-canvas"] svg [data-uid="model.dbt_bouncer_test_project.orders"]', { timeout: 30_000 });
    await page.selectOption('select[name=group]', 'layer');
    const layerBox = (layer) => `[data-testid="lineage-canvas"] svg [data-group="group:layer:${layer}"]`;
    await page.waitForSelector(layerBox('staging'), { timeout: 30_000 });
    assert(/group=layer/.test(await page.evaluate(() => location.hash)), 'the grouping is in the address');
    assert(await page.$(layerBox('marts')) && await page.$(layerBox('seeds')), 'marts and seeds are boxes too');
    assert(/2 models/.test(await page.textContent(layerBox('staging'))), `staging holds stg_orders and stg_payments (${await page.textContent(layerBox('staging'))})`);
    await page.click(layerBox('staging'));
    await page.waitForSelector('.focus-panel');
    assert(!(await page.$('.focus-panel button:has-text("Draw only this box")')), 'no selector names a models\' layer');
    // It opens in place: its models drawn, the other boxes still shut, and
    // it shuts again from its chip.
    const stgPayments = '[data-testid="lineage-canvas"] svg [data-uid="model.dbt_bouncer_test_project.stg_payments"]';
    await page.click('.focus-panel button:has-text("Open here")');
    await page.waitForSelector(stgPayments, { timeout: 30_000 });
    assert(!(await page.$(layerBox('staging'))) && await page.$(layerBox('marts')) && await page.$('[data-testid="lineage-canvas"] svg [data-uid="model.dbt_bouncer_test_project.stg_orders"]'), 'staging is drawn as its two models, marts still a box');
    assert(/open=group%3Alayer%3Astaging/.test(await page.evaluate(() => location.hash)), `the open box is in the address (${await page.evaluate(() => location.hash)})`);
    assert((await page.textContent('[data-testid="open-boxes"]')).includes('open: staging'), 'a chip says staging is open');
    await shot(page, 'lineage-open-box', { publish: true });
    // A deeper picture keeps the box open.
    await page.click('[data-testid="lineage-canvas"]', { position: { x: 5, y: 5 } });
    await page.keyboard.press(']');
    await page.waitForFunction(() => decodeURIComponent(location.hash).includes('select=+orders+1'), null, { timeout: 30_000 });
    await page.waitForSelector(stgPayments, { timeout: 30_000 });
    assert(/open=group%3Alayer%3Astaging/.test(await page.evaluate(() => location.hash)) && !(await page.$(layerBox('staging'))), 'one level deeper, staging is still open');
    await page.click('[data-testid="open-boxes"] button[aria-label="Shut staging again"]');
    await page.waitForSelector(layerBox('staging'), { timeout: 30_000 });
    assert(!(await page.$(stgPayments)) && !(await page.$('[data-testid="open-boxes"]')), 'shut again, staging is one box');
    // A double-click opens a box in place too, and so does Enter on a picked one.
    await page.click(layerBox('seeds'));
    // The panel of the box picked, not one left from before.
    await page.waitForSelector('.focus-panel[aria-label="Selected group"] > strong:text-is("seeds")');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="lineage-canvas"] svg [data-uid^="seed."]', { timeout: 30_000 });
    assert(!(await page.$(layerBox('seeds'))), 'seeds opened by Enter');
    await page.click('[data-testid="open-boxes"] button[aria-label="Shut seeds again"]');
    await page.waitForSelector(layerBox('seeds'), { timeout: 30_000 });
    await page.dblclick(layerBox('marts'));
    await page.waitForSelector('[data-testid="lineage-canvas"] svg [data-uid="model.dbt_bouncer_test_project.orders"]', { timeout: 30_000 });
    assert(await page.$(layerBox('staging')) && !(await page.$(layerBox('marts'))), 'marts opened by a double-click, staging still shut');
    await page.click(layerBox('seeds'));
    await page.click('.focus-panel button:has-text("Draw only this box")');
    await page.waitForFunction(() => document.querySelector('input[name=select]').value === '+orders+1,resource_type:seed');
    // Its picture drawn before the page moves on: a request left running
    // is cancelled, which the browser logs as an error (a 499).
    await page.waitForFunction(() => document.querySelector('[data-testid="lineage-canvas"] svg')?.textContent.includes('+orders+1,resource_type:seed'), null, { timeout: 30_000 });
    // The whole project by layer, for the README.
    await page.goto(`${server.origin}/#/lineage?select=${encodeURIComponent('* source:*')}&group=layer`);
    await page.waitForSelector(layerBox('marts'), { timeout: 30_000 });
    assert(await page.$(layerBox('exposures')) && await page.$(layerBox('intermediate')), 'the project by layer has its exposures and intermediate models as boxes');
    if (await page.$('.focus-panel')) {
      await page.click('[data-testid="lineage-canvas"]', { position: { x: 5, y: 5 } });
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.querySelector('.focus-panel'));
    }
    await shot(page, 'lineage-layers', { publish: true });
    // Picked, a node's panel leaves a small picture whole in view beside it
    // (it was panned off its left edge).
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.goto(`${server.origin}/#/lineage?select=${encodeURIComponent('2+stg_orders+3')}`);
    const stgOrders = '[data-testid="lineage-canvas"] svg [data-uid="model.dbt_bouncer_test_project.stg_orders"]';
    await page.waitForSelector(stgOrders, { timeout: 30_000 });
    await page.click(stgOrders);
    await page.waitForSelector('.focus-panel');
    await page.waitForTimeout(300);
    const [content, canvasBox, panelBox] = await page.evaluate(() => ['.svg-pan-zoom_viewport', '[data-testid="lineage-canvas"]', '.focus-panel'].map((q) => {
      const r = document.querySelector(q).getBoundingClientRect();
      return { left: r.left, right: r.right };
    }));
    assert(content.left >= canvasBox.left && content.right <= panelBox.left, `the picture (${content.left}-${content.right}) lies between the canvas's left (${canvasBox.left}) and the panel (${panelBox.left})`);
    // Esc closes the panel and the address stops naming the node.
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('.focus-panel') && !location.hash.includes('focus='));
    // After a toolbar button, a click on the picture gives the keys back to it.
    await page.click('button[aria-label="Less downstream"]');
    await page.waitForFunction(() => document.querySelector('input[name=select]').value === '2+stg_orders+2' && document.querySelector('[data-testid="lineage-counts"]'));
    await page.waitForSelector(stgOrders);
    await page.click(stgOrders);
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => /focus=/.test(location.hash) && !location.hash.includes('focus=model.dbt_bouncer_test_project.stg_orders'), null, { timeout: 5_000 });

    // A dbt 1.0 run of jaffle_shop whose build of one model failed (its
    // manifest and its run results, two fixtures): the project page lists
    // the model degraded with dbt's message and draws what it reaches.
    const failedRun = await importFixture(page, ['jaffle-dap-v4', 'jaffle-dap-results-v4'], 'jaffle 1.0 run');
    await page.goto(`${server.origin}/#/?snap=${failedRun}`);
    await page.waitForSelector('[data-testid="project-health"]', { timeout: 30_000 });
    const failedRow = await page.textContent('[data-testid="health-rows"] tr:has(a[href*="test_insert_overwrite"])');
    assert(failedRow.includes('health: degraded') && failedRow.includes('its last build failed: Database Error in model test_insert_overwrite'),
      `the failed model is listed degraded with dbt's message (${failedRow})`);
    await page.click('[data-testid="blast-radius"]');
    await page.waitForFunction(() => document.querySelector('input[name=select]')?.value === 'model.jaffle_shop.test_insert_overwrite+' &&
      document.querySelector('[data-testid="lineage-canvas"] svg')?.textContent.includes('data health (border):'), null, { timeout: 30_000 });
    const failedBorder = await page.$eval('[data-testid="lineage-canvas"] svg g.node[data-uid="model.jaffle_shop.test_insert_overwrite"] > :is(path, polygon)', (e) => e.getAttribute('stroke')?.toUpperCase());
    assert(failedBorder === '#C62828', `what the degraded reach is drawn with the health lens, the failed model red (${failedBorder})`);

    // dbt Mesh (testdata/mesh): finance refs bouncer's public models,
    // reporting refs finance's. The project page lists both sides, a ref's
    // page leads to the model in its own project (bouncer's latest run, the
    // Fusion one), and the lineage across projects draws bouncer's models
    // upstream of finance's revenue, each from its own project's run.
    const finance = await importFixture(page, '../mesh/bouncer_finance', 'finance');
    const reporting = await importFixture(page, '../mesh/bouncer_reporting', 'reporting');
    await page.goto(`${server.origin}/#/?snap=${finance}`);
    // Finance's page, not the one shown before the address changed (reporting's has a mesh section too).
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'bouncer_finance' && document.querySelector('[data-testid="mesh-reads"]'), null, { timeout: 30_000 });
    const meshReads = await page.textContent('[data-testid="mesh-reads"]');
    assert(['dbt_bouncer_test_project', `#${again}`, 'orders', 'fct_revenue', 'customers v3', 'dim_customer_value'].every((t) => meshReads.includes(t)), `finance's page lists what it reads of bouncer, in bouncer's latest run (${meshReads})`);
    const meshReadBy = await page.textContent('[data-testid="mesh-read-by"]');
    assert(meshReadBy.includes('bouncer_reporting') && meshReadBy.includes('rpt_top_customers'), `and what reporting reads of it (${meshReadBy})`);
    await page.locator('[data-testid="mesh-reads"]').scrollIntoViewIfNeeded();
    await shot(page, 'project-across-projects', { publish: true });
    await page.goto(`${server.origin}/#/node/${encodeURIComponent('model.dbt_bouncer_test_project.orders')}?snap=${finance}`);
    await page.click('[data-testid="mesh-ref"] a:has-text("Open it in")');
    await page.waitForSelector('[data-testid="mesh-readers"]', { timeout: 30_000 });
    const meshReaders = await page.textContent('[data-testid="mesh-readers"]');
    assert(page.url().includes(`snap=${again}`) && meshReaders.includes('bouncer_finance') && meshReaders.includes('fct_revenue'), `the ref opens bouncer's own orders, which says finance reads it (${page.url()}: ${meshReaders})`);
    await page.waitForSelector('[data-testid="impact-across"]', { timeout: 30_000 });
    const meshImpact = await page.$$eval('[data-testid="impact-across"]', (els) => els.map((e) => e.textContent));
    assert(meshImpact.some((t) => t.includes('in project bouncer_finance') && t.includes('revenue_review')) && meshImpact.some((t) => t.includes('in project bouncer_reporting') && t.includes('top_customers_deck')),
      `its impact reaches finance's and reporting's exposures (${meshImpact})`);
    // A column traced up from reporting goes on through finance into bouncer, to its seed.
    await page.goto(`${server.origin}/#/node/${encodeURIComponent('model.bouncer_reporting.rpt_top_customers')}?snap=${reporting}&column=first_name&direction=upstream`);
    await page.waitForSelector('[data-testid="column-trace-across"]', { timeout: 30_000 });
    const traceAcross = await page.textContent('[data-testid="column-trace-across"]');
    assert(traceAcross.includes(`from bouncer_finance #${finance}`) && traceAcross.includes(`from dbt_bouncer_test_project #${again}`), `the trace says which runs it went on into (${traceAcross})`);
    await page.waitForSelector('[data-testid="column-picture"] svg [data-uid="seed.dbt_bouncer_test_project.raw_customers"]', { timeout: 30_000 });
    await page.goto(`${server.origin}/#/lineage?snap=${finance}&select=${encodeURIComponent('+fct_revenue+')}`);
    const meshStg = '[data-testid="lineage-canvas"] svg [data-uid="model.dbt_bouncer_test_project.stg_orders"]';
    await page.waitForSelector('[data-testid="lineage-canvas"] svg [data-uid="model.bouncer_finance.fct_revenue"]', { timeout: 30_000 });
    assert(!(await page.$(meshStg)), 'finance alone does not draw bouncer\'s staging models');
    await page.check('input[name=across]');
    await page.waitForSelector(meshStg, { timeout: 30_000 });
    const acrossCounts = await page.textContent('[data-testid="across-counts"]');
    assert(acrossCounts.includes(`from dbt_bouncer_test_project #${again}`) && acrossCounts.includes('from bouncer_reporting'), `the counts say what came from which run (${acrossCounts})`);
    await shot(page, 'lineage-across-projects', { publish: true });
    await page.click(meshStg);
    await page.waitForSelector('[data-testid="node-project"]');
    const meshPanel = await page.textContent('[data-testid="node-project"]');
    assert(meshPanel.includes(`from project dbt_bouncer_test_project, snapshot #${again}`), `the panel says which run it comes from (${meshPanel})`);

    // Search of every project: from finance's run, "All projects" finds
    // bouncer's customers.v3 (finance's ref to it gives way to it) and
    // opens it in bouncer's run.
    await page.fill('#global-search', 'customers');
    await page.waitForSelector('.search-panel .hit');
    await page.click('.search-panel button.scope');
    await page.waitForSelector('.search-panel .facet.project:has-text("dbt_bouncer_test_project")');
    const v3Hits = await page.$$eval('.search-panel .hit[data-uid="model.dbt_bouncer_test_project.customers.v3"]', (els) => els.length);
    assert(v3Hits === 1, `all projects find customers.v3 once, as bouncer's model (${v3Hits} hits)`);
    await shot(page, 'search-across-projects', { publish: true });
    await page.click('.search-panel .hit[data-uid="model.dbt_bouncer_test_project.customers.v3"]');
    await page.waitForFunction(() => location.hash.startsWith('#/node/model.dbt_bouncer_test_project.customers.v3'));
    assert(page.url().includes(`snap=${again}`), `the hit opens in bouncer's run #${again} (${page.url()})`);
    await page.fill('#global-search', '');

    // A Mermaid export past Mermaid's default limits says so when it is
    // saved (tuva's models draw over 500 links).
    const tuva = await importFixture(page, 'tuva-v7-dbt1.3', 'tuva');
    await page.goto(`${server.origin}/#/lineage?select=${encodeURIComponent('resource_type:model')}&snap=${tuva}`);
    await page.waitForSelector('[data-testid="lineage-canvas"] svg [data-uid]', { timeout: 60_000 });
    await page.waitForSelector('button[data-export="mermaid"]:not([disabled])');
    const [mmd] = await Promise.all([page.waitForEvent('download'), page.click('button[data-export="mermaid"]')]);
    const links = (readFileSync(await mmd.path(), 'utf8').match(/ --> /g) ?? []).length;
    assert(links > 500, `tuva's models draw ${links} links, past Mermaid's 500`);
    await page.waitForSelector('.toast');
    const toast = await page.textContent('.toast');
    assert(toast.includes(`has ${links} links`) && toast.includes('Mermaid draws at most 500 links'), `the toast names Mermaid's limit: ${toast}`);

    // Deleting tuva's snapshot leaves free space in the store file:
    // compacting gives it back.
    await page.goto(`${server.origin}/#/`);
    await page.click('.table tr:has-text("tuva") button:has-text("Delete")');
    await page.click('.table tr:has-text("tuva") button:has-text("Click again to delete")');
    await page.waitForFunction(() => ![...document.querySelectorAll('.table.snapshots tr')].some((tr) => tr.textContent.includes('tuva')));
    const sizeText = () => page.textContent('[data-testid="store-size"]');
    const compactButton = '[data-testid="store-size"] button:has-text("Compact: give back")';
    await page.waitForSelector(compactButton);
    const beforeCompact = await sizeText();
    await page.click(compactButton);
    await page.waitForSelector('[data-testid="store-size"]:has-text("Compacted from")', { timeout: 30_000 });
    const [, from, to] = /Compacted from ([\d.]+ \w+) to ([\d.]+ \w+)/.exec(await sizeText());
    assert(beforeCompact.includes(`${from} on disk`) && (await sizeText()).includes(`${to} on disk`) && !(await page.$(compactButton)), `compacting shrinks the store (${beforeCompact} → ${await sizeText()})`);
    const toBytes = (t) => parseFloat(t) * { B: 1, KB: 1 << 10, MB: 1 << 20, GB: 1 << 30 }[t.split(' ')[1]];
    assert(toBytes(to) < toBytes(from), `the store is smaller after compacting: ${from} → ${to}`);
    // Keeping each project's latest run deletes the older ones, which the
    // button counts; every project keeps one snapshot.
    const projectsBefore = await page.evaluate(async () => {
      const secret = localStorage.getItem('lineagedesk.session');
      const res = await fetch('/api/rpc/Snapshots', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` }, body: '[]' });
      const snaps = await res.json();
      return { total: snaps.length, projects: [...new Set(snaps.map((s) => s.project))].sort() };
    });
    await page.selectOption('[data-testid="prune"] select[name=keep]', '1');
    const pruneButton = '[data-testid="prune"] button';
    await page.waitForSelector(`${pruneButton}:has-text("Delete ${projectsBefore.total - projectsBefore.projects.length} older snapshot")`);
    await page.locator('[data-testid="prune"]').scrollIntoViewIfNeeded();
    await shot(page, 'prune');
    const beforePrune = problems.length;
    await page.click(pruneButton);
    await page.click(`${pruneButton}:has-text("Click again to delete")`);
    await page.waitForFunction((n) => document.querySelectorAll('.table.snapshots tbody tr').length === n, projectsBefore.projects.length, { timeout: 30_000 });
    const projectsAfter = await page.$$eval('.table.snapshots tbody tr', (trs) => trs.length);
    // The row asks what is left to delete again once the list changed.
    await page.waitForSelector('[data-testid="prune"]:has-text("nothing older to delete")', { timeout: 10_000 });
    assert(projectsBefore.total > projectsBefore.projects.length && projectsAfter === projectsBefore.projects.length,
      `keeping the latest run of each project leaves one snapshot each (${projectsBefore.total} → ${projectsAfter}, projects ${projectsBefore.projects})`);

    // The project page compares the run shown with the one before as it
    // opens: while the older runs are deleted one by one, it may ask about
    // one just deleted (a 404 the page shows as a note until its list of
    // snapshots follows).
    problems.splice(beforePrune, problems.length, ...problems.slice(beforePrune).filter((p) => !/Changes answered 404: .*there is no snapshot|status of 404/.test(p)));
    assert(problems.length === 0, `no page errors: ${problems.join('; ')}`);
    await context.close();
  } catch (err) {
    if (page) await failureReport(page, 'demo');
    throw err;
  } finally {
    await browser.close();
    await server.stop();
  }
}

// importFixture imports a dataset of testdata/fixtures through the app's
// HTTP API, behind the page's back, then reloads the page so it sees the
// new snapshot; it returns the snapshot id. It does so from the overview:
// a lineage page would draw its picture again on the snapshot the import
// made latest, and the reload would cancel that request (a 499 the page
// logs as an error).
/** Imports a fixture (or several, as one snapshot) and returns its snapshot id. */
async function importFixture(page, dataset, name) {
  const paths = [dataset].flat().map((d) => resolve(dirname(fileURLToPath(import.meta.url)), '../../testdata/fixtures', d));
  await page.goto(`${new URL(page.url()).origin}/#/`);
  await page.waitForSelector('.topbar');
  const id = await page.evaluate(async ([p, n]) => {
    const secret = localStorage.getItem('lineagedesk.session');
    const res = await fetch('/api/rpc/ImportPaths', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` }, body: JSON.stringify([p, n]) });
    return res.ok ? (await res.json()).snapshot_id : `${res.status} ${await res.text()}`;
  }, [paths, name]);
  assert(typeof id === 'number', `${dataset} imports (${id})`);
  await page.reload();
  await page.waitForSelector('.topbar');
  return id;
}
