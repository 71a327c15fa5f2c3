import { afterEach, describe, expect, it, vi } from 'vitest';
import { splitSnippet } from './snippet';
import { adjustDepth, exactSelectorFor, expandAround, groupSelector, namesOneNode, parseDepth, preciseSelector, selectorFor, selectorForId } from './selector';
import { displayName, hasSQL, listedName, typeNoun, typeOfId } from './format';
import { pathLabels } from '../pages/lineage/PathsPanel';
import { buildHash, href, parseHash, stickyQuery } from './router';
import { HIT_BATCH, HITS_AHEAD, hitsToRender, sameHit } from './hits';
import { whenIdle } from './idle';

describe('splitSnippet', () => {
  it('turns \\x02..\\x03 markers into marked segments and keeps markup as text', () => {
    expect(splitSnippet('one \x02customer\x03 per <b>row</b>')).toEqual([
      { text: 'one ', mark: false },
      { text: 'customer', mark: true },
      { text: ' per <b>row</b>', mark: false },
    ]);
    expect(splitSnippet('')).toEqual([]);
    expect(splitSnippet('\x02a\x03\x02b\x03')).toEqual([{ text: 'a', mark: true }, { text: 'b', mark: true }]);
  });
});

describe('selectors', () => {
  it('widens around a node by one hop at a time', () => {
    expect(expandAround('+orders', 'customers', 'up')).toBe('+orders 1+customers');
    expect(expandAround('+orders 1+customers', 'customers', 'up')).toBe('+orders 2+customers');
    expect(expandAround('2+customers+2', 'customers', 'down')).toBe('2+customers+3');
    expect(expandAround('+orders', 'orders', 'up')).toBe('+orders'); // all of it already
    expect(expandAround('+orders', 'orders', 'down')).toBe('+orders+1');
    expect(expandAround('tag:a 2+exposure:"Pulse queries"+2', 'exposure:"Pulse queries"', 'up')).toBe('tag:a 3+exposure:"Pulse queries"+2');
    expect(expandAround('tag:a,orders', 'orders', 'up')).toBe('tag:a,orders 1+orders'); // an intersection stays as it is
  });
  it('tells a node from a set of them, for the default depth', () => {
    for (const one of ['orders', 'customers.v2', 'model.shop.orders', 'exposure:"Pulse queries"', 'source:raw.orders', 'metric:revenue']) expect(namesOneNode(one)).toBe(true);
    for (const many of ['*', 'stg_*', 'tag:finance', 'path:models/marts', 'config.materialized:table', 'resource_type:model', 'state:modified', 'package:shop']) expect(namesOneNode(many)).toBe(false);
  });
  it('names one resource the way the dbt CLI accepts', () => {
    expect(selectorFor({ unique_id: 'model.jaffle_shop.customers', resource_type: 'model', name: 'customers' })).toBe('customers');
    // A semantic model named as its model: the name would pick both.
    const orders = { unique_id: 'model.jaffle_shop.orders', resource_type: 'model', name: 'orders' };
    const sm = { unique_id: 'semantic_model.jaffle_shop.orders', resource_type: 'semantic_model', name: 'orders' };
    const test = { unique_id: 'test.jaffle_shop.orders', resource_type: 'test', name: 'orders' };
    expect(exactSelectorFor(orders, [sm])).toBe('model.jaffle_shop.orders');
    expect(exactSelectorFor(orders, [orders, test])).toBe('orders');
    expect(exactSelectorFor(sm, [orders])).toBe('semantic_model:orders');
    expect(exactSelectorFor({ unique_id: 'model.pkg.orders.v2', resource_type: 'model', name: 'orders' }, [sm])).toBe('orders.v2');
    expect(selectorForId('source.jaffle_shop.raw.orders')).toBe('source:raw.orders');
    expect(selectorForId('exposure.jaffle_shop.weekly_kpis')).toBe('exposure:weekly_kpis');
    // Names with spaces are quoted; versions named; unit tests by method.
    expect(selectorForId('exposure.pkg.Pulse queries')).toBe('exposure:"Pulse queries"');
    expect(selectorFor({ unique_id: 'model.pkg.customers.v2', resource_type: 'model', name: 'customers' })).toBe('customers.v2');
    expect(selectorForId('model.pkg.customers.v2')).toBe('customers.v2');
    expect(displayName({ name: 'customers', version: '2' })).toBe('customers v2');
    expect(displayName({ name: 'orders' })).toBe('orders');
    // Listed, a source is told from its namesakes by its source's name.
    expect(listedName({ unique_id: 'source.synth.shopify_apac.orders', resource_type: 'source', name: 'orders' })).toBe('shopify_apac.orders');
    expect(listedName({ unique_id: 'model.synth.customers.v2', resource_type: 'model', name: 'customers', version: '2' })).toBe('customers v2');
    expect(selectorFor({ unique_id: 'unit_test.pkg.customers.test_clv_logic', resource_type: 'unit_test', name: 'test_clv_logic' })).toBe('unit_test:test_clv_logic');
  });

  it('reads and changes the depth of a single-term selector', () => {
    expect(parseDepth('2+customers+1')).toEqual({ up: 2, down: 1, core: 'customers' });
    expect(parseDepth('+orders')).toEqual({ up: Infinity, down: null, core: 'orders' });
    expect(parseDepth('*')).toBeNull(); // the whole project: no depth controls
    expect(parseDepth('+stg_*')).toEqual({ up: Infinity, down: null, core: 'stg_*' });
    expect(parseDepth('a b')).toBeNull();
    expect(parseDepth('tag:x,tag:y')).toBeNull();
    expect(adjustDepth('2+customers+2', 'up', 1)).toBe('3+customers+2');
    expect(adjustDepth('1+customers+1', 'down', -1)).toBe('1+customers');
    expect(adjustDepth('customers', 'down', 1)).toBe('customers+1');
    expect(adjustDepth('source:raw.orders', 'down', 2)).toBe('source:raw.orders+2');
    // Digits of the name are no depth.
    expect(parseDepth('2+customers.v2')).toEqual({ up: 2, down: null, core: 'customers.v2' });
    expect(parseDepth('customers.v2')).toEqual({ up: null, down: null, core: 'customers.v2' });
    expect(parseDepth('+model_1+3')).toEqual({ up: Infinity, down: 3, core: 'model_1' });
    expect(parseDepth('3rd_party+')).toEqual({ up: null, down: Infinity, core: '3rd_party' });
    expect(adjustDepth('2+customers.v2+1', 'down', -1)).toBe('2+customers.v2');
    expect(adjustDepth('2+customers.v2', 'down', 1)).toBe('2+customers.v2+1');
    expect(expandAround('model_1', 'model_1', 'up')).toBe('1+model_1');
    expect(expandAround('2+model_1', 'model_1', 'up')).toBe('3+model_1');
  });
});

describe('resource types', () => {
  it('knows which hold SQL to diff, by type or by unique_id', () => {
    expect(['model', 'snapshot', 'test', 'analysis'].every(hasSQL)).toBe(true);
    expect(['seed', 'source', 'exposure', 'metric', 'semantic_model'].some(hasSQL)).toBe(false);
    expect(typeOfId('seed.jaffle_shop.raw_customers')).toBe('seed');
    expect(hasSQL(typeOfId('model.jaffle_shop.customers.v2'))).toBe(true);
  });
});

describe('hash routes', () => {
  it('round-trips paths with dots and slashes and query values', () => {
    const h = buildHash(['node', 'model.jaffle_shop.customers'], { select: '2+customers+2', tests: true, empty: '' });
    const r = parseHash(h);
    expect(r.path).toEqual(['node', 'model.jaffle_shop.customers']);
    expect(r.query).toEqual({ select: '2+customers+2', tests: 'true' });
    expect(parseHash(buildHash(['connections', 'a/b'])).path).toEqual(['connections', 'a/b']);
  });
  it("keeps dbt's + in an address typed by hand, and writes spaces so that they read back", () => {
    expect(parseHash('#/lineage?select=+orders+').query.select).toBe('+orders+');
    expect(parseHash('#/lineage?select=2+orders+2&snap=3').query).toEqual({ select: '2+orders+2', snap: '3' });
    const h = buildHash(['lineage'], { select: '+orders customers+ tag:a,tag:b', exclude: 'x&y=z' });
    expect(h).not.toContain('+orders');
    expect(parseHash(h).query).toEqual({ select: '+orders customers+ tag:a,tag:b', exclude: 'x&y=z' });
    expect(parseHash('#/lineage?select=%E0%A4').query.select).toBe('%E0%A4'); // malformed escapes are kept as typed
  });
  it('carries the snapshot shown into every link unless the link names one', () => {
    stickyQuery.value = { snap: '3' };
    try {
      expect(parseHash(href(['node', 'model.p.x'])).query).toEqual({ snap: '3' });
      expect(parseHash(href(['lineage'], { select: 'x+' })).query).toEqual({ select: 'x+', snap: '3' });
      expect(parseHash(href(['lineage'], { snap: 5 })).query).toEqual({ snap: '5' });
      expect(parseHash(href(['lineage'], { snap: undefined })).query).toEqual({});
    } finally {
      stickyQuery.value = {};
    }
    expect(parseHash(href(['node', 'model.p.x'])).query).toEqual({});
  });
});

import { idProblems, toDraft, toInput } from './connection';

describe('connection form', () => {
  const saved = { name: 'prod', access_url: 'https://emea.dbt.com', account_id: 42, job_id: 7, token_storage: 'keyring', created_at: '', updated_at: '' };

  it('never pre-fills the token and leaves an empty one out, so an edit keeps the saved token', () => {
    const d = toDraft(saved);
    expect(d.token).toBe('');
    expect(d.job_id).toBe('7');
    expect(d.project_id).toBe('');
    const input = toInput(d);
    expect('token' in input && input.token !== undefined).toBe(false);
    expect(input).toMatchObject({ name: 'prod', access_url: 'https://emea.dbt.com', account_id: 42, job_id: 7 });
    expect(input.project_id).toBeUndefined();
  });

  it('sends a typed token and numeric ids', () => {
    // A new connection starts with no access URL: each account has its own.
    expect(toDraft(null).access_url).toBe('');
    const input = toInput({ ...toDraft(null), name: ' new ', account_id: ' 12 ', token: 'dbtc_secret', run_id: '99', access_url: 'https://ab123.us1.dbt.com' });
    expect(input).toMatchObject({ name: 'new', account_id: 12, token: 'dbtc_secret', run_id: 99, access_url: 'https://ab123.us1.dbt.com' });
  });

  it('says which ids are not numbers, instead of sending them as missing', () => {
    expect(idProblems({ ...toDraft(null), account_id: 'abc', job_id: '12x', run_id: ' 7 ' })).toEqual([
      'Account ID must be a number: the digits after /accounts/ (or /deploy/) in your dbt Cloud URL.',
      'Job ID must be a number.',
    ]);
    expect(idProblems({ ...toDraft(null), account_id: '42' })).toEqual([]);
  });
});

import { defaultHops, focusSelector, setDefaultHops } from './prefs';

describe('default lineage depth', () => {
  it('opens at two hops each way unless the user picked another depth', () => {
    expect(defaultHops.value).toEqual({ up: 2, down: 2 });
    expect(focusSelector('customers')).toBe('2+customers+2');
    setDefaultHops({ up: 1, down: 0 }); // no localStorage under node: kept for the session
    expect(focusSelector('source:ecom.raw_orders')).toBe('1+source:ecom.raw_orders');
    expect(focusSelector('orders', { up: 0, down: 3 })).toBe('orders+3');
  });
});

describe('search hits', () => {
  it('renders a batch, what was rendered, and a few rows past the active one', () => {
    expect(hitsToRender(50, 0, 0)).toBe(HIT_BATCH);
    expect(hitsToRender(5, HIT_BATCH, 0)).toBe(5);
    expect(hitsToRender(50, 2 * HIT_BATCH, 0)).toBe(2 * HIT_BATCH);
    expect(hitsToRender(50, HIT_BATCH, HIT_BATCH - 1)).toBe(HIT_BATCH + HITS_AHEAD);
    expect(hitsToRender(50, HIT_BATCH, 49)).toBe(50);
  });

  it('compares hits by what a row shows', () => {
    const ts = { total: 1, pass: 1, warn: 0, fail: 0, error: 0, skipped: 0 };
    const a = { unique_id: 'model.p.a', resource_type: 'model', name: 'a', package: 'p', path: 'models/a.sql', test_summary: ts, matched_in: 'name', snippet: '\x02a\x03' };
    expect(sameHit(a, { ...a, test_summary: { ...ts } })).toBe(true);
    expect(sameHit(a, { ...a, snippet: 'a' })).toBe(false);
    expect(sameHit(a, { ...a, matched_in: 'sql' })).toBe(false);
    expect(sameHit(a, { ...a, unique_id: 'model.p.b' })).toBe(false);
    expect(sameHit(a, { ...a, path: 'models/b.sql' })).toBe(false);
  });
});

describe('whenIdle', () => {
  afterEach(() => void vi.useRealTimers());

  it('waits for idleMs without input, counting from the start', () => {
    vi.useFakeTimers();
    const target = new EventTarget();
    const fn = vi.fn();
    whenIdle(fn, 2000, target, () => Date.now());
    vi.advanceTimersByTime(1500);
    target.dispatchEvent(new Event('keydown')); // typing postpones it
    vi.advanceTimersByTime(1900);
    expect(fn).not.toHaveBeenCalled();
    target.dispatchEvent(new Event('pointerdown'));
    vi.advanceTimersByTime(1999);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    target.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(5000);
    expect(fn).toHaveBeenCalledTimes(1); // once
  });

  it('can be cancelled', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const cancel = whenIdle(fn, 100, new EventTarget(), () => Date.now());
    cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).not.toHaveBeenCalled();
  });
});

import { latestOf, runBefore, stateBaseOf } from './snapshots';
import type { Snapshot } from '../api/types';

describe('the run before', () => {
  const snap = (id: number, project: string, generated: string) =>
    ({ id, project, generated_at: generated, name: project, origin: { kind: 'path' }, dbt_version: '', schema_versions: {}, taken_at: '', counts: {}, warnings: null }) as unknown as Snapshot;
  it('goes by when dbt generated it, not by import order', () => {
    const march = snap(1, 'shop', '2026-03-01T00:00:00Z');
    const may = snap(2, 'shop', '2026-05-01T00:00:00Z');
    const april = snap(3, 'shop', '2026-04-01T00:00:00Z'); // imported last
    const other = snap(4, 'other', '2026-04-15T00:00:00Z');
    const all = [other, april, may, march];
    expect(runBefore(all, may)?.id).toBe(3);
    expect(runBefore(all, april)?.id).toBe(1);
    expect(runBefore(all, march)).toBeUndefined();
    // The same run imported again is no run before.
    const mayAgain = { ...may, id: 5, invocation_id: 'inv-may' } as Snapshot;
    const mayFirst = { ...may, invocation_id: 'inv-may' } as Snapshot;
    expect(runBefore([mayAgain, mayFirst, april, march], mayAgain)?.id).toBe(3);
    // state: compares the earliest with the run after it, as the app does.
    expect(stateBaseOf(all, march)).toEqual({ base: april, later: true });
    expect(stateBaseOf(all, may)).toEqual({ base: april, later: false });
    expect(stateBaseOf([other], other)).toBeUndefined();
  });
  it('takes the latest as the project imported last, at its most recent run', () => {
    const march = snap(1, 'shop', '2026-03-01T00:00:00Z');
    const may = snap(2, 'shop', '2026-05-01T00:00:00Z');
    const april = snap(3, 'shop', '2026-04-01T00:00:00Z'); // imported last, listed first
    expect(latestOf([april, may, march])?.id).toBe(2);
    const other = snap(4, 'other', '2020-01-01T00:00:00Z'); // another project imported last
    expect(latestOf([other, april, may, march])?.id).toBe(4);
    expect(latestOf([])).toBeUndefined();
  });
});

describe('typeNoun', () => {
  it('names resource types for a count, as the picture does', () => {
    expect([typeNoun('model', 1), typeNoun('model', 2), typeNoun('semantic_model', 3), typeNoun('analysis', 2), typeNoun('saved_query', 2)]).toEqual(['model', 'models', 'semantic models', 'analyses', 'saved queries']);
  });
});

describe('groupSelector', () => {
  it('names the nodes of a group box', () => {
    expect(groupSelector('group:package:tiktok_ads')).toBe('package:tiktok_ads');
    expect(groupSelector('group:group:finance')).toBe('group:finance'); // dbt's groups, by their own method
    expect(groupSelector('group:group:odd name')).toBe(null);
    expect(groupSelector('group:folder:jaffle_shop/models/staging/crm')).toBe('jaffle_shop.staging.crm');
    expect(groupSelector('group:folder:jaffle_shop/models/staging/crm', 'jaffle_shop')).toBe('path:models/staging/crm');
    expect(preciseSelector({ unique_id: 'model.p.orders', resource_type: 'model', name: 'orders' })).toBe('model.p.orders');
    expect(preciseSelector({ unique_id: 'model.p.orders.v2', resource_type: 'model', name: 'orders' })).toBe('orders.v2');
    expect(preciseSelector({ unique_id: 'exposure.p.Pulse queries', resource_type: 'exposure', name: 'Pulse queries' })).toBe('exposure:"Pulse queries"');
    expect(groupSelector('group:folder:jaffle_shop/seeds')).toBe('package:jaffle_shop,resource_type:seed');
    expect(groupSelector('group:selection:+orders --exclude orders')).toBe('+orders --exclude orders');
    expect(groupSelector('group:schema:dbt.main')).toBeNull();
    expect(groupSelector('group:layer:sources')).toBe('resource_type:source');
    expect(groupSelector('group:layer:semantic layer')).toBe('resource_type:semantic_model resource_type:metric resource_type:saved_query');
    expect(groupSelector('group:layer:staging')).toBeNull();
    expect(groupSelector('group:folder:p/models/with space')).toBeNull();
  });
});

describe('pathLabels', () => {
  it('says the type of a name that comes twice in a path', () => {
    expect(pathLabels(['model.p.stg_orders', 'model.p.orders', 'semantic_model.p.orders', 'metric.p.orders'], [])).toEqual(['stg_orders', 'orders (model)', 'orders (semantic model)', 'orders (metric)']);
  });
});
