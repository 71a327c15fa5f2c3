// @vitest-environment jsdom
/** @jsxImportSource preact */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { useRoot } from '../../testing/mount';
import type { HistoryResult, LineageNode, NodeColumns, OutputColumn } from '../../api/types';

let answer: (id: string) => Promise<NodeColumns> = async () => lineage;
const columnLineage = vi.fn((_s: number, id: string) => answer(id));
const impact = vi.fn(() => new Promise<never>(() => {}));
const health = vi.fn(() => new Promise<never>(() => {}));
let historyAnswer: () => Promise<HistoryResult> = () => new Promise<never>(() => {});
const history = vi.fn(() => historyAnswer());
vi.mock('../../api', async (original) => ({
  ...(await original<typeof import('../../api')>()),
  api: { columnLineage: (s: number, id: string) => columnLineage(s, id), impact: () => impact(), health: () => health(), history: () => history() },
}));
const { PanelColumns, madeHint, PANEL_COLUMNS_MAX } = await import('./PanelColumns');
const { NodePanel } = await import('./Panels');

const lineage: NodeColumns = {
  node: 'model.p.customers',
  columns: [
    { name: 'customer_id', sources: [{ node: 'model.p.stg_customers', column: 'customer_id', kind: 'passthrough' }] },
    { name: 'first_name', sources: [{ node: 'model.p.stg_customers', column: 'name', kind: 'rename' }], expression: 'name as first_name' },
    { name: 'lifetime_spend', sources: [{ node: 'model.p.orders', column: 'order_total', kind: 'transformed' }], expression: 'sum(orders.order_total) as lifetime_spend' },
    { name: 'full_name', sources: [{ node: 'model.p.stg_customers', column: 'first', kind: 'transformed' }, { node: 'model.p.stg_customers', column: 'last', kind: 'transformed' }], expression: "first || ' ' || last" },
    { name: 'tier', sources: [{ relation: 'analytics.legacy.tiers', column: 'tier', kind: 'passthrough' }] },
    { name: 'loaded_at', sources: [], expression: 'current_timestamp as loaded_at' },
  ],
  problem: 'its compiled SQL could not be read: line 3: unexpected token',
};

const mount = useRoot();
const block = () => mount.root.querySelector('[data-testid="panel-columns"]');
const rows = () => [...mount.root.querySelectorAll('[data-testid="panel-columns"] li')].map((li) => ({
  name: li.getAttribute('data-column'),
  href: li.querySelector('a')?.getAttribute('href'),
  hint: li.querySelector('.panel-column-hint')?.textContent?.trim() ?? '',
}));
/** Past the pick's settling, the mocked answer in. */
const settled = () => act(async () => { await vi.advanceTimersByTimeAsync(150); });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  columnLineage.mockClear();
  answer = async () => lineage;
});
afterEach(() => {
  vi.useRealTimers();
});

describe('madeHint', () => {
  const out = (sources: OutputColumn['sources'], expression?: string): OutputColumn => ({ name: 'c', sources, expression });
  it('names one source, and how it is made unless passed through', () => {
    expect(madeHint(out([{ node: 'model.p.orders', column: 'order_total', kind: 'transformed' }]))).toBe('← orders.order_total (computed)');
    expect(madeHint(out([{ node: 'model.p.stg', column: 'id', kind: 'rename' }]))).toBe('← stg.id (renamed)');
    expect(madeHint(out([{ node: 'model.p.orders.v2', column: 'id', kind: 'passthrough' }]))).toBe('← orders v2.id');
    expect(madeHint(out([{ relation: 'raw.tiers', column: 'tier', kind: 'passthrough' }]))).toBe('← raw.tiers.tier');
  });
  it('counts several, and says nothing of a literal or a column made of none', () => {
    expect(madeHint(out([{ node: 'model.p.a', column: 'x', kind: 'transformed' }, { node: 'model.p.b', column: 'y', kind: 'transformed' }]))).toBe('← 2 columns');
    expect(madeHint(out([], "'x' as c"))).toBe('');
    expect(madeHint(out(null))).toBe('');
  });
});

describe('PanelColumns', () => {
  it("lists a model's columns, each a link to its trace both ways, with what it is made from, and the problem", async () => {
    act(() => render(<PanelColumns snapshotId={3} uid="model.p.customers" type="model" />, mount.root));
    await settled();
    expect(columnLineage).toHaveBeenCalledWith(3, 'model.p.customers');
    expect(rows()).toEqual([
      { name: 'customer_id', href: '#/node/model.p.customers?column=customer_id&direction=both', hint: '← stg_customers.customer_id' },
      { name: 'first_name', href: '#/node/model.p.customers?column=first_name&direction=both', hint: '← stg_customers.name (renamed)' },
      { name: 'lifetime_spend', href: '#/node/model.p.customers?column=lifetime_spend&direction=both', hint: '← orders.order_total (computed)' },
      { name: 'full_name', href: '#/node/model.p.customers?column=full_name&direction=both', hint: '← 2 columns' },
      { name: 'tier', href: '#/node/model.p.customers?column=tier&direction=both', hint: '← analytics.legacy.tiers.tier' },
      { name: 'loaded_at', href: '#/node/model.p.customers?column=loaded_at&direction=both', hint: '' },
    ]);
    const computed = mount.root.querySelector('li[data-column="lifetime_spend"] .panel-column-hint')!.getAttribute('title')!;
    expect(computed).toContain('model.p.orders: order_total');
    expect(computed).toContain('sum(orders.order_total) as lifetime_spend');
    expect(block()!.textContent).toContain('Columns 6');
    expect(mount.root.querySelector('[data-testid="panel-columns-problem"]')?.textContent).toBe('its compiled SQL could not be read: line 3: unexpected token');
    expect(mount.root.querySelector('.panel-columns-more')).toBeNull();
  });

  it("offers each column's lineage to outline on the picture", async () => {
    const onShow = vi.fn();
    act(() => render(<PanelColumns snapshotId={3} uid="model.p.customers" type="model" />, mount.root));
    await settled();
    expect(mount.root.querySelector('.panel-column-show')).toBeNull(); // nowhere to outline it
    act(() => render(<PanelColumns snapshotId={3} uid="model.p.customers" type="model" onShow={onShow} />, mount.root));
    await settled();
    const show = mount.root.querySelector('li[data-column="lifetime_spend"] button.panel-column-show') as HTMLButtonElement;
    expect(show.getAttribute('aria-label')).toBe("Show lifetime_spend's lineage on the picture");
    act(() => show.click());
    expect(onShow).toHaveBeenCalledWith('lifetime_spend');
  });

  it('lists the first columns and links the rest to the node page', async () => {
    const many = Array.from({ length: PANEL_COLUMNS_MAX + 5 }, (_, i) => ({ name: `c${i}`, sources: [] }));
    answer = async () => ({ node: 'model.p.wide', columns: many });
    act(() => render(<PanelColumns snapshotId={3} uid="model.p.wide" type="model" />, mount.root));
    await settled();
    expect(rows().map((r) => r.name)).toEqual(many.slice(0, PANEL_COLUMNS_MAX).map((c) => c.name));
    const more = mount.root.querySelector('.panel-columns-more')!;
    expect(more.textContent).toBe('and 5 more');
    expect(more.getAttribute('href')).toBe('#/node/model.p.wide');
    expect(mount.root.querySelector('[data-testid="panel-columns-problem"]')).toBeNull();
  });

  it("lists a source's or seed's columns with their trace, nothing made from", async () => {
    answer = async (id) => ({ node: id, columns: [{ name: 'id', sources: [] }, { name: 'amount', sources: [] }] });
    act(() => render(<PanelColumns snapshotId={3} uid="source.p.raw.orders" type="source" />, mount.root));
    await settled();
    expect(rows()).toEqual([
      { name: 'id', href: '#/node/source.p.raw.orders?column=id&direction=both', hint: '' },
      { name: 'amount', href: '#/node/source.p.raw.orders?column=amount&direction=both', hint: '' },
    ]);
    act(() => render(<PanelColumns snapshotId={3} uid="seed.p.countries" type="seed" />, mount.root));
    await settled();
    expect(columnLineage).toHaveBeenLastCalledWith(3, 'seed.p.countries');
    expect(rows().map((r) => r.href)).toEqual(['#/node/seed.p.countries?column=id&direction=both', '#/node/seed.p.countries?column=amount&direction=both']);
    // A saved query's columns are its group-bys and metrics.
    act(() => render(<PanelColumns snapshotId={3} uid="saved_query.p.q" type="saved_query" />, mount.root));
    await settled();
    expect(columnLineage).toHaveBeenLastCalledWith(3, 'saved_query.p.q');
  });

  it('asks nothing for the other types', async () => {
    for (const type of ['test', 'unit_test', 'exposure', 'macro']) {
      act(() => render(<PanelColumns snapshotId={3} uid={`${type}.p.x`} type={type} />, mount.root));
      await settled();
    }
    expect(columnLineage).not.toHaveBeenCalled();
    expect(block()).toBeNull();
  });

  it('asks once the pick settles: one call for the last of quick picks, none for a pick left quickly', async () => {
    for (const uid of ['model.p.a', 'model.p.b', 'model.p.c']) {
      act(() => render(<PanelColumns snapshotId={3} uid={uid} type="model" />, mount.root));
      await act(async () => { await vi.advanceTimersByTimeAsync(50); });
    }
    expect(columnLineage).not.toHaveBeenCalled();
    expect(block()).toBeNull();
    await settled();
    expect(columnLineage.mock.calls).toEqual([[3, 'model.p.c']]);
    expect(block()).not.toBeNull();
    // Picked away before it settles: the call is never made, the old columns go at once.
    act(() => render(<PanelColumns snapshotId={3} uid="model.p.d" type="model" />, mount.root));
    expect(block()).toBeNull();
    act(() => render(null, mount.root));
    await settled();
    expect(columnLineage).toHaveBeenCalledTimes(1);
  });

  it("shows no other node's columns while the picked one's are on their way, and nothing on an error", async () => {
    act(() => render(<PanelColumns snapshotId={3} uid="model.p.customers" type="model" />, mount.root));
    await settled();
    expect(block()).not.toBeNull();
    let fail: (e: Error) => void = () => {};
    answer = () => new Promise((_, reject) => (fail = reject));
    act(() => render(<PanelColumns snapshotId={3} uid="model.p.orders" type="model" />, mount.root));
    expect(block()).toBeNull();
    await settled();
    await act(async () => fail(new Error('no such node')));
    expect(block()).toBeNull();
  });
});

describe('NodePanel', () => {
  const node = (extra: Partial<LineageNode> = {}) =>
    ({ unique_id: 'model.p.customers', resource_type: 'model', name: 'customers', package: 'p', test_summary: { total: 0, pass: 0, warn: 0, fail: 0, error: 0, skipped: 0 }, ...extra }) as unknown as LineageNode;
  const actions = { close() {}, refocus() {}, expandUp() {}, expandDown() {}, collapseUp() {}, collapseDown() {}, pathsFrom() {}, pathsTo() {}, showAll() {} };

  it('shows the columns under its actions', async () => {
    act(() => render(<NodePanel node={node()} snapshotId={3} stateBase={0} actions={actions} />, mount.root));
    await settled();
    const panel = mount.root.querySelector('.focus-panel')!;
    expect(panel.lastElementChild?.getAttribute('data-testid')).toBe('panel-columns');
    expect(panel.querySelector('.panel-actions')!.compareDocumentPosition(block()!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('says how the node changed since the run before, from its history', async () => {
    const snap = (id: number) => ({ id, name: '', generated_at: '2031-01-01T00:00:00Z' });
    historyAnswer = async () => ({
      snapshot_id: 3, unique_id: 'model.p.customers', project: 'p', later: 0, snapshots: [snap(2), snap(3)], rows: [],
      changes: [null, { parts: ['body'], columns: [{ node: 'model.p.customers', column: 'tier', change: 'retyped', type: 'bigint', old_type: 'int' }] }],
    });
    act(() => render(<NodePanel node={node()} snapshotId={3} stateBase={0} actions={actions} />, mount.root));
    await settled();
    expect(mount.root.querySelector('[data-testid="recent-change"]')?.textContent).toBe('changed since #2: code, column tier retyped int → bigint what changed');
    // Compared with a snapshot already (state_change), the panel says that instead.
    history.mockClear();
    act(() => render(<NodePanel node={node({ state_change: ['body'] })} snapshotId={3} stateBase={2} actions={actions} />, mount.root));
    await settled();
    expect(history).not.toHaveBeenCalled();
    expect(mount.root.querySelector('[data-testid="recent-change"]')).toBeNull();
    historyAnswer = () => new Promise<never>(() => {});
  });

  it('asks nothing for a node removed since the snapshot compared with', async () => {
    act(() => render(<NodePanel node={node({ state_change: ['removed'] })} snapshotId={3} stateBase={2} actions={actions} />, mount.root));
    await settled();
    expect(columnLineage).not.toHaveBeenCalled();
    expect(block()).toBeNull();
  });
});
